"""A ledger kept in git: `track init --git`, a commit after each change when track.toml says
[git] commit = true, and git's merges through `track merge-driver` between clones.

git runs here with a HOME of its own (identity and default branch in its .gitconfig) and
without the system's config, so that nothing depends on the machine. Merges that git makes
run the driver as a process: the installed track, as `track init --git` names it.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import Cli, own_git_home
from typer.testing import CliRunner

from track.store import gitstore

R = "hmic-2016-met-cp"

pytestmark = pytest.mark.skipif(not gitstore.installed(), reason="git is not installed")


@pytest.fixture(autouse=True)
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return own_git_home(tmp_path, monkeypatch, more="[advice]\n\tdetachedHead = false\n")


def git(where: Path, *args: str, expect: int | None = 0) -> str:
    done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True)
    if expect is not None:
        assert done.returncode == expect, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def log(where: Path) -> list[str]:
    return git(where, "log", "--format=%s").splitlines()


def new_ledger(runner: CliRunner, root: Path) -> Cli:
    Cli(runner, None)("init", "--git", root)
    cli = Cli(runner, root)
    cli("reports", "add", R, "--title", "Child protection", "--by", "HMIC", "--subject", "Met", "--published", "2016-11-24")
    for ref in ("R1", "R2"):
        cli("add", R, "--ref", ref, "--text", f"Recommendation {ref}", "--due", "2017-06-30")
    return cli


# --------------------------------------------------------------------------- init --git


def test_init_git_makes_a_repository_and_commits_the_new_ledger(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "met"
    result = Cli(runner, None)("init", "--git", root)
    driver = f"{gitstore.track_command()} merge-driver %O %A %B %P"
    assert result.stdout.splitlines() == [
        f"created ledger 'met' in {root}",
        f"created a git repository in {root}",
        f"added reports/*.toml merge=track to {root}/.gitattributes",
        "set git config merge.track.name 'track report merge'",
        f"set git config merge.track.driver '{driver}'",
        "set git config pull.rebase false (git pull merges, so that the driver runs)",
        "committed track.toml, .gitignore, .gitattributes",
    ]
    assert result.stderr == ""
    assert tomllib.loads((root / "track.toml").read_text())["git"] == {"commit": True}
    assert (root / ".gitattributes").read_text() == "reports/*.toml merge=track\n"
    assert git(root, "config", "merge.track.driver") == driver + "\n"
    assert git(root, "config", "merge.track.name") == "track report merge\n"
    assert log(root) == ["create ledger met"]
    assert git(root, "status", "--porcelain") == ""  # .track/ is ignored
    Cli(runner, root)("check")


def test_init_git_in_an_existing_ledger_only_appends_to_gitattributes(runner: CliRunner, ledger_path: Path, snapshot) -> None:
    (ledger_path / ".gitattributes").write_text("*.pdf binary")  # no newline at the end
    before = snapshot(ledger_path)
    result = Cli(runner, None)("init", "--git", ledger_path)
    assert result.stdout.splitlines()[:2] == [f"created a git repository in {ledger_path}",
                                              f"added reports/*.toml merge=track to {ledger_path}/.gitattributes"]
    assert result.stdout.splitlines()[-1] == f"to commit each change, add [git] commit = true to {ledger_path}/track.toml and commit it"
    assert (ledger_path / ".gitattributes").read_text() == "*.pdf binary\nreports/*.toml merge=track\n"
    after = snapshot(ledger_path)
    assert {k: v for k, v in after.items() if not k.startswith((".git/", ".gitattributes"))} == \
        {k: v for k, v in before.items() if k != ".gitattributes"}
    again = Cli(runner, None)("init", "--git", ledger_path)
    assert f"{ledger_path}/.gitattributes already has reports/*.toml merge=track" in again.stdout.splitlines()
    assert (ledger_path / ".gitattributes").read_text() == "*.pdf binary\nreports/*.toml merge=track\n"
    git(ledger_path, "rev-parse", "--verify", "-q", "HEAD", expect=1)  # nothing committed


def test_init_git_inside_a_work_tree_uses_that_repository(runner: CliRunner, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "repo")
    root = tmp_path / "repo" / "ledgers" / "met"
    out = Cli(runner, None)("init", "--git", root).stdout
    assert "created a git repository" not in out
    assert not (root / ".git").exists()
    assert git(tmp_path / "repo", "config", "merge.track.name") == "track report merge\n"
    assert git(tmp_path / "repo", "ls-files").splitlines() == ["ledgers/met/.gitattributes", "ledgers/met/.gitignore",
                                                              "ledgers/met/track.toml"]


def test_init_git_refuses_when_git_is_missing(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = Cli(runner, None)("init", "--git", tmp_path / "met", expect=1)
    assert result.stderr == "track: git is not installed (or not on PATH): install git, or leave out --git; nothing was written\n"
    assert not (tmp_path / "met").exists()


# --------------------------------------------------------------------------- a commit per change


def test_each_change_is_committed_with_what_it_changed(runner: CliRunner, tmp_path: Path) -> None:
    cli = new_ledger(runner, tmp_path / "met")
    cli("update", "R1", "--response", "accepted", "--date", "2017-01-10")
    cli("update", "R1", "--status", "in-progress")
    cli("update", "R1", "--status", "implemented", "--note", "Verified")
    cli("update", "R2", "--note", "Chased")
    cli("update", "R2", "--due", "2017-09-30", "--reason", "Restructure")
    cli("update", "R2", "--owner", "Head of Training")
    cli("update", "R2", "--response", "noted")
    cli("undo")
    assert log(cli.root) == [
        f"undo: R2: awaiting-response -> not-started, response noted ({R})",
        f"R2: awaiting-response -> not-started, response noted ({R})",
        f"R2: owner Head of Training ({R})",
        f"R2: due 2017-06-30 -> 2017-09-30 ({R})",
        f"R2: note ({R})",
        f"R1: in-progress -> implemented ({R})",
        f"R1: not-started -> in-progress ({R})",
        f"R1: awaiting-response -> not-started, response accepted ({R})",
        f"add R2 ({R})",
        f"add R1 ({R})",
        f"add report {R}",
        "create ledger met",
    ]
    assert git(cli.root, "status", "--porcelain") == ""
    cli("check")


def test_a_commit_holds_only_the_files_of_the_change(runner: CliRunner, tmp_path: Path) -> None:
    cli = new_ledger(runner, tmp_path / "met")
    (cli.root / "minutes.md").write_text("Board minutes\n")
    git(cli.root, "add", "minutes.md")
    with (cli.root / "track.toml").open("a") as settings:
        settings.write("lock_timeout = 5\n")  # changed, not staged
    cli("update", "R1", "--note", "Discussed at the board")
    assert git(cli.root, "show", "--name-only", "--format=%s", "HEAD").split() == \
        ["R1:", "note", f"({R})", f"reports/{R}.toml"]
    assert git(cli.root, "status", "--porcelain").splitlines() == ["A  minutes.md", " M track.toml"]


def test_a_failed_commit_keeps_the_change_and_says_so(runner: CliRunner, tmp_path: Path, git_home: Path) -> None:
    cli = new_ledger(runner, tmp_path / "met")
    (git_home / ".gitconfig").write_text("")  # nobody
    git(cli.root, "config", "user.useConfigOnly", "true")  # and git may not guess
    result = cli("update", "R1", "--note", "Saved anyway")
    assert result.stdout == f"{R}/R1: note (2018-06-30)\n"
    assert result.stderr == ("track: saved, but git commit failed: git does not know who you are: set "
                             "`git config user.name \"Your Name\"` and `git config user.email you@example.org`, "
                             "then commit the change by hand\n")
    assert "Saved anyway" in (cli.root / "reports" / f"{R}.toml").read_text()
    result = cli("update", "R1", "--note", "No git at all", env={"PATH": str(tmp_path / "no-bin")})
    assert result.stderr == "track: saved, but git commit failed: git is not installed (or not on PATH)\n"
    assert "No git at all" in (cli.root / "reports" / f"{R}.toml").read_text()
    assert log(cli.root)[0] == f"add R2 ({R})"


def test_without_commit_true_track_runs_no_git(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = new_ledger(runner, tmp_path / "met")
    settings = cli.root / "track.toml"
    settings.write_text(settings.read_text().replace("commit = true", "commit = false"))

    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("git was run")

    monkeypatch.setattr(subprocess, "run", no_git)
    monkeypatch.setattr(subprocess, "Popen", no_git)
    cli("update", "R1", "--note", "Not committed")
    cli("undo")
    monkeypatch.undo()
    assert log(cli.root)[0] == f"add R2 ({R})"


def test_check_flags_a_git_setting_that_is_not_a_boolean(runner: CliRunner, ledger_path: Path) -> None:
    with (ledger_path / "track.toml").open("a") as settings:
        settings.write('\n[git]\ncommit = "yes"\npush = true\n')
    out = Cli(runner, ledger_path)("check", expect=1).stdout
    assert out.splitlines() == ["track.toml: unknown key 'git.push'", "track.toml: git.commit = 'yes' must be true or false"]


# --------------------------------------------------------------------------- working as a team


@pytest.fixture
def team(runner: CliRunner, tmp_path: Path) -> tuple[Cli, Cli]:
    """A ledger pushed to a bare origin, and two clones of it, each set up with `track init --git`."""
    seed = new_ledger(runner, tmp_path / "seed")
    git(tmp_path, "clone", "-q", "--bare", str(seed.root), "origin.git")
    clones = []
    for name in ("alice", "bob"):
        git(tmp_path, "clone", "-q", "origin.git", name)
        Cli(runner, None)("init", "--git", tmp_path / name)
        clones.append(Cli(runner, tmp_path / name))
    return clones[0], clones[1]


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "reports").iterdir())}


def test_two_clones_recording_events_at_once_merge_without_conflict(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    alice("update", "R1", "--response", "accepted", "--date", "2017-01-10")
    alice("update", "R1", "--status", "in-progress", "--note", "Lead appointed")
    alice("update", "R2", "--note", "Alice chased the training team")
    bob("update", "R1", "--note", "Bob heard from the force", "--date", "2017-02-01")
    bob("update", "R1", "--note", "Bob: lead named in the minutes")
    bob("update", "R2", "--status", "in-progress", "--date", "2017-05-01")
    bob("reports", "add", "peel-2017-met", "--title", "PEEL", "--by", "HMICFRS", "--subject", "Met", "--published", "2017-12-12")
    git(alice.root, "push", "-q", "origin", "main")
    out = git(bob.root, "pull", "--no-edit", "origin", "main")  # a merge: init --git set pull.rebase false
    assert "CONFLICT" not in out
    text = (bob.root / "reports" / f"{R}.toml").read_text()
    for note in ("Lead appointed", "Alice chased", "Bob heard", "Bob: lead named"):
        assert note in text
    assert bob("check").stdout == "ok: 2 reports, 2 recommendations, no problems\n"
    # same-day events: the merging side's first, then the other's
    notes = [row["note"] for row in bob.json("history", f"{R}/R1")]
    assert notes == ["Recommendation R1", None, "Bob heard from the force", "Bob: lead named in the minutes", "Lead appointed"]  # issued, then its events
    assert bob.json("show", f"{R}/R1")["status"] == "in-progress"
    git(bob.root, "push", "-q", "origin", "main")
    git(alice.root, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert files(alice.root) == files(bob.root)
    assert git(alice.root, "status", "--porcelain") == git(bob.root, "status", "--porcelain") == ""
    alice("check")


def test_a_true_conflict_is_left_with_markers_that_check_points_at(team: tuple[Cli, Cli]) -> None:
    alice, bob = team
    alice("add", R, "--ref", "R3", "--text", "Alice's wording")
    alice("update", "R1", "--note", "Alice")
    bob("add", R, "--ref", "R3", "--text", "Bob's wording")
    git(alice.root, "push", "-q", "origin", "main")
    out = git(bob.root, "pull", "--no-rebase", "--no-edit", "origin", "main", expect=1)
    assert f"reports/{R}.toml: both sides changed R3.text differently" in out
    assert f"CONFLICT (content): Merge conflict in reports/{R}.toml" in out
    lines = (bob.root / "reports" / f"{R}.toml").read_text().splitlines()
    at = lines.index("<<<<<<< ours") + 1
    assert lines[at - 1:at + 4] == ["<<<<<<< ours", 'text = "Bob\'s wording"', "=======", 'text = "Alice\'s wording"',
                                    ">>>>>>> theirs"]
    check = bob("check", expect=1)
    assert check.stdout == f"reports/{R}.toml:{at}:1: git conflict marker: resolve the merge, then run `track check`\n"
    assert "Alice" in "\n".join(lines)  # the rest is merged: Alice's event is there


# --------------------------------------------------------------------------- another git program at work


def test_a_commit_waits_for_another_git_programs_index_lock(runner: CliRunner, tmp_path: Path) -> None:
    """An editor's `git status` holds .git/index.lock for a moment: the commit waits for it
    instead of being skipped (issue 18 saw 4 of 20 skipped)."""
    import threading

    cli = new_ledger(runner, tmp_path / "met")
    lock = cli.root / ".git" / "index.lock"
    lock.write_text("")
    threading.Timer(0.5, lock.unlink).start()  # the other program finishes
    result = cli("update", f"{R}/R1", "--note", "while git status ran")
    assert result.stderr == ""
    assert log(cli.root)[0].startswith("R1: note")


def test_a_stale_index_lock_is_named_with_what_to_do(runner: CliRunner, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitstore, "INDEX_WAIT", 0.3)
    cli = new_ledger(runner, tmp_path / "met")
    lock = cli.root / ".git" / "index.lock"
    lock.write_text("")  # left by a git program that was killed
    result = cli("update", f"{R}/R1", "--note", "saved all the same")
    assert result.stderr == (f"track: saved, but git commit failed: git's index stayed locked for 0.3 s ({lock}): if no git "
                             "program is running, remove that file, then commit the change by hand\n")
    assert "saved all the same" in (cli.root / "reports" / f"{R}.toml").read_text()


def test_a_hook_that_hangs_is_stopped_and_the_ledger_released(runner: CliRunner, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitstore, "GIT_TIMEOUT", 3)  # the hook sleeps 30 s; git add takes far less
    cli = new_ledger(runner, tmp_path / "met")
    hook = cli.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 30\n")
    hook.chmod(0o755)
    result = cli("update", f"{R}/R1", "--note", "the hook hangs")
    assert result.stderr == "track: saved, but git commit failed: git commit did not finish within 3 s (a hook that waits?) and was stopped\n"
    hook.unlink()
    assert cli("update", f"{R}/R2", "--note", "the ledger is free").stderr == ""  # the lock was released


def test_a_commit_on_a_detached_head_is_made_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    cli = new_ledger(runner, tmp_path / "met")
    git(cli.root, "checkout", "-q", "--detach")
    result = cli("update", f"{R}/R1", "--note", "on no branch")
    assert result.stderr == ("track: committed on a detached HEAD: no branch holds the commit; "
                             "`git switch -c NAME` keeps it on one\n")
    assert log(cli.root)[0].startswith("R1: note")


def test_a_pre_commit_hook_that_runs_track_check_is_not_held_up_by_the_change_it_commits(runner: CliRunner, tmp_path: Path) -> None:
    """A change holds the ledger's lock while git commits it; a hook that reads the ledger (as
    `track check` does) reads it without waiting for that lock, which would wait for the hook."""
    import sys

    root = tmp_path / "ledger"
    cli = new_ledger(runner, root)
    (root / "track.toml").write_text("lock_timeout = 2\n" + (root / "track.toml").read_text())
    git(root, "add", "track.toml")
    git(root, "commit", "-q", "-m", "lock_timeout")
    record = tmp_path / "hook.txt"
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\n'{sys.executable}' -c \"import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; "
                    f"entry()\" --ledger '{root}' check > '{record}' 2>&1\n")
    hook.chmod(0o755)
    before = len(log(root))
    done = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; entry()",
                           "--ledger", str(root), "update", f"{R}/R1", "--note", "From cron.", "--date", "2017-01-05"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert record.read_text().startswith("ok: 1 report, 2 recommendations"), record.read_text()
    assert len(log(root)) == before + 1
