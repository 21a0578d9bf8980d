"""`track redo` through the command line: it puts back what `track undo` took back, as many
times as undo was run, byte for byte; a new change clears it; it refuses, writing nothing,
when there is nothing to redo or a file changed since the undo; in a git ledger each redo is
committed as "redo: <message>"."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import Cli, own_git_home
from typer.testing import CliRunner

from track.cli.app import app
from track.store import gitstore

R = "hmic-2016-met-cp"
WHEN = r"\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)"  # when the change was made, on the wall clock: matched, not compared


def journal(root: Path) -> bytes:
    return (root / ".track" / "journal.json").read_bytes()


def three_changes(cli: Cli) -> None:
    cli("reports", "add", R, "--title", "Child protection", "--by", "HMIC", "--subject", "Met", "--published", "2016-11-24")
    cli("add", R, "--ref", "R1", "--text", "Appoint a lead", "--due", "+6 months")
    cli("update", "R1", "--response", "accepted", "--date", "2017-01-10")


def test_redo_three_undos_gives_back_the_ledger_byte_for_byte(cli: Cli, snapshot) -> None:
    three_changes(cli)
    before = snapshot(cli.root)
    undone = [cli("undo").stdout for _ in range(3)]
    assert not (cli.root / "reports" / f"{R}.toml").exists()
    redone = [cli("redo").stdout for _ in range(3)]
    assert [re.fullmatch(f"redid: (.*) {WHEN}\n", out).group(1) for out in redone] == \
        [f"reports add {R}", f"add {R}/R1", f"update {R}/R1 (2017-01-10)"]
    assert [out.replace("redid:", "undid:") for out in redone] == undone[::-1]  # the same changes, the same times
    assert snapshot(cli.root) == before
    result = cli("redo", expect=1)
    assert (result.stdout, result.stderr) == ("", "track: nothing to redo\n")
    cli("check")  # exit 0: no problems
    assert cli("undo").stdout == undone[0]  # undo after redo takes back the last change again


def test_a_new_change_after_an_undo_leaves_nothing_to_redo(cli: Cli, snapshot) -> None:
    three_changes(cli)
    cli("undo")
    cli("update", "R1", "--note", "Chased", "--date", "2017-02-01")
    before, journal_before = snapshot(cli.root), journal(cli.root)
    result = cli("redo", expect=1)
    assert (result.stdout, result.stderr) == ("", "track: nothing to redo\n")
    assert snapshot(cli.root) == before and journal(cli.root) == journal_before


def test_redo_refuses_when_the_file_was_edited_after_the_undo(cli: Cli, snapshot) -> None:
    three_changes(cli)
    cli("undo")
    path = cli.root / "reports" / f"{R}.toml"
    path.write_text(path.read_text().replace("Appoint a lead", "Appoint a lead (edited by hand)"))
    before, journal_before = snapshot(cli.root), journal(cli.root)
    result = cli("redo", expect=1)
    assert result.stdout == ""
    assert result.stderr == (f"track: cannot redo 'update {R}/R1 (2017-01-10)': reports/{R}.toml has changed since "
                             "track undid it; nothing was changed\n")
    assert snapshot(cli.root) == before and journal(cli.root) == journal_before


def test_redo_with_nothing_undone_is_refused(cli: Cli, snapshot) -> None:
    before = snapshot(cli.root)
    result = cli("redo", expect=1)
    assert (result.stdout, result.stderr) == ("", "track: nothing to redo\n")
    assert snapshot(cli.root) == before


def test_redo_help_says_what_it_does_with_an_example() -> None:
    result = CliRunner().invoke(app, ["redo", "--help"], env={"COLUMNS": "100"}, prog_name="track")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert text.startswith("Usage: track redo [OPTIONS] Put back the last change `track undo` took back, and say what it was.")
    assert "Any new change clears what can be redone." in text
    assert "It refuses, changing nothing, if a file has changed since the undo." in text
    assert "Example: track undo; track redo" in text
    top = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"}, prog_name="track").stdout
    assert re.search(r"│ redo +Put back the last change", top)


@pytest.mark.skipif(not gitstore.installed(), reason="git is not installed")
def test_in_git_each_undo_and_redo_is_committed(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own_git_home(tmp_path, monkeypatch)
    root = tmp_path / "met"
    Cli(runner, None)("init", "--git", root)
    cli = Cli(runner, root)
    three_changes(cli)
    for command in ("undo", "undo", "undo", "redo", "redo", "redo"):
        assert cli(command).stderr == ""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout

    assert git("log", "--format=%s").splitlines() == [
        f"redo: R1: awaiting-response -> not-started, response accepted ({R})",
        f"redo: add R1 ({R})",
        f"redo: add report {R}",
        f"undo: add report {R}",
        f"undo: add R1 ({R})",
        f"undo: R1: awaiting-response -> not-started, response accepted ({R})",
        f"R1: awaiting-response -> not-started, response accepted ({R})",
        f"add R1 ({R})",
        f"add report {R}",
        "create ledger met",
    ]
    assert git("status", "--porcelain") == ""
    assert git("diff", "HEAD~6", "HEAD") == ""  # after three undos and three redos: the same tree
