"""A ledger can carry what git carries: symbolic links and special files where track keeps its
own. None of them makes track write outside the ledger, read without end, or hang: each is
refused in one line naming it, and what it points at is left untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import A, Cli

R1 = f"{A}/R1"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "victim.txt"
    path.parent.mkdir()
    path.write_text("not the ledger's\n")
    return path


@pytest.mark.parametrize("name, what", [(".track/lock", "its lock"), (".track/journal.json", "the undo journal")])
def test_a_link_in_track_folder_is_refused_and_its_target_untouched(met: Cli, snapshot, victim: Path, name: str,
                                                                    what: str) -> None:
    (met.root / ".track").mkdir(exist_ok=True)
    link = met.root / name
    link.unlink(missing_ok=True)
    link.symlink_to(victim)
    before = snapshot(met.root)
    result = met("update", R1, "--note", "n", expect=1)
    assert f"{link}: a symbolic link where track keeps {what}: track follows no link there; remove it" in result.stderr
    assert result.stderr.count("\n") == 1
    assert victim.read_text() == "not the ledger's\n" and snapshot(met.root) == before


@pytest.mark.parametrize("name", [".track", ".track/cache"])
def test_a_track_folder_that_is_a_link_is_refused(met: Cli, snapshot, victim: Path, name: str) -> None:
    private = met.root / name
    if private.exists():
        shutil.rmtree(private)
    private.parent.mkdir(exist_ok=True)
    private.symlink_to(victim.parent, target_is_directory=True)
    before = snapshot(met.root)
    result = met("update", R1, "--note", "n", expect=1)
    assert snapshot(met.root) == before
    assert result.stderr == (f"track: {private}: a symbolic link where track keeps its lock, undo journal and index: "
                             "track follows no link there; remove it\n")
    assert sorted(p.name for p in victim.parent.iterdir()) == ["victim.txt"]


def test_a_gitattributes_link_is_refused_before_git_is_touched(met: Cli, snapshot, victim: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (met.root / ".gitattributes").symlink_to(victim)
    before = snapshot(met.root)
    result = met("init", "--git", str(met.root), expect=1)
    assert snapshot(met.root) == before
    assert ".gitattributes: a symbolic link where track keeps git's merge set-up" in result.stderr
    assert victim.read_text() == "not the ledger's\n" and not (met.root / ".git").exists()


def test_a_report_file_linked_out_of_the_ledger_is_not_read(met: Cli) -> None:
    (met.root / "reports" / "zero.toml").symlink_to("/dev/zero")
    listing = met("list", expect=1)
    assert listing.stderr.startswith("track: reports/zero.toml: a symbolic link to /dev/zero, outside the ledger: ")
    check = met("check", expect=1)
    assert "reports/zero.toml: a symbolic link to /dev/zero, outside the ledger" in check.stdout


def test_a_report_file_linked_within_the_ledger_is_read(met: Cli) -> None:
    source = met.root / "reports" / f"{A}.toml"
    kept = met.root / "kept.toml"
    source.rename(kept)
    source.symlink_to(kept)
    assert R1 in met("list").stdout


def test_a_fifo_among_the_reports_does_not_hang_a_command(met: Cli) -> None:
    os.mkfifo(met.root / "reports" / "fifo.toml")
    result = met("list", expect=1)
    assert result.stderr == ("track: reports/fifo.toml: not a regular file: a ledger's files are plain files; "
                             "run `track check` to see every problem\n")


def test_a_report_file_too_large_to_be_one_is_not_read(met: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from track.store import disk

    monkeypatch.setattr(disk, "MAX_FILE", 100)
    result = met("show", R1, expect=1)
    assert "bytes, more than the 100 a ledger's file may hold" in result.stderr
