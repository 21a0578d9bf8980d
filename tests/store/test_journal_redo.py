"""`track redo` in the journal: it puts back what undo took back, one undo at a time; a new change
clears it; a redo or an undo killed midway is finished by the next one, never done twice; a
journal written before redo existed is still read; and a change may delete a file (journal
entry `after` = null), which undo puts back byte for byte and redo deletes again, in git too."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import own_git_home
from faults_support import PEEL, REPORT, fast_folder, files, new_ledger, track

from track import Ledger
from track.domain.errors import TrackError
from track.store import disk, gitstore, journal

REPORT_FILE = f"reports/{REPORT}.toml"
PEEL_FILE = f"reports/{PEEL}.toml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return new_ledger(tmp_path / "ledger")


@pytest.fixture
def fast(tmp_path: Path) -> Iterator[Path]:
    """A folder where fsync costs nothing, for the tests that run many commands."""
    folder = fast_folder(tmp_path)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def notes(root: Path) -> list[str | None]:
    return [e.note for e in Ledger(root).full(REPORT).recommendations[0].events]


def delete(root: Path, rel: str, what: str = "remove") -> bytes:
    """A change that deletes one file, as `track remove` will make it (journaled, then committed
    when track.toml asks); returns the old bytes."""
    old = (root / rel).read_bytes()
    with disk.locked(root, 5, what):
        journal.commit(root, what, {rel: (root / rel, old, None)}, message=f"{what} (message)")
        if gitstore.wanted(disk.load_settings(root)):
            gitstore.committed(root, [rel], f"{what} (message)")
    return old


# --------------------------------------------------------------------------- redo


def test_redo_puts_back_each_undo_latest_first(root: Path) -> None:
    states = [files(root)]
    for note in ("one", "two", "three"):
        track(root, "update", f"{REPORT}/R1", "--note", note)
        states.append(files(root))
    for n in (2, 1, 0):
        track(root, "undo")
        assert files(root) == states[n]
    for n in (1, 2, 3):
        assert track(root, "redo").stdout.startswith(f"redid: update {REPORT}/R1 (2018-06-30) (")
        assert files(root) == states[n]
    assert track(root, "redo", expect=1).stderr == "track: nothing to redo\n"
    track(root, "undo")  # and undo takes back what redo put back
    assert files(root) == states[2]


def test_a_new_change_clears_what_can_be_redone(root: Path) -> None:
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    track(root, "undo")
    track(root, "update", f"{PEEL}/AFI1", "--note", "elsewhere")
    before, journal_before = files(root), (root / ".track" / journal.NAME).read_bytes()
    assert track(root, "redo", expect=1).stderr == "track: nothing to redo\n"
    assert files(root) == before and (root / ".track" / journal.NAME).read_bytes() == journal_before
    assert all("redo" not in entry and "undone" not in entry for entry in journal.read(root))


def test_a_change_that_failed_keeps_what_can_be_redone(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    undone = files(root)
    track(root, "undo")
    real_replace = os.replace

    def failing(src: object, dst: object) -> None:
        if str(dst).endswith(".toml"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_replace(src, dst)  # type: ignore[arg-type]

    with monkeypatch.context() as mp:
        mp.setattr(os, "replace", failing)
        track(root, "update", f"{REPORT}/R1", "--note", "never written", expect=1)
    track(root, "redo")
    assert files(root) == undone


def test_redo_refuses_when_a_file_changed_since_the_undo(root: Path) -> None:
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    track(root, "undo")
    path = root / REPORT_FILE
    path.write_text(path.read_text().replace("Recommendation 2", "Recommendation 2 (edited by hand)"))
    before, journal_before = files(root), (root / ".track" / journal.NAME).read_bytes()
    result = track(root, "redo", expect=1)
    assert result.stderr == (f"track: cannot redo 'update {REPORT}/R1 (2018-06-30)': {REPORT_FILE} has changed since "
                             "track undid it; nothing was changed\n")
    assert files(root) == before and (root / ".track" / journal.NAME).read_bytes() == journal_before


def test_a_redo_killed_before_it_updated_the_journal_is_not_done_twice(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    track(root, "update", f"{REPORT}/R1", "--note", "two")
    track(root, "undo")
    track(root, "undo")
    saves: list[int] = []
    real_save = journal._save

    def killed(root_: Path, entries: list) -> None:
        saves.append(len(entries))
        if len(saves) == 2:  # the last step of the redo: the entry back among the changes done
            raise KeyboardInterrupt
        real_save(root_, entries)

    monkeypatch.setattr(journal, "_save", killed)
    with pytest.raises(KeyboardInterrupt):
        Ledger(root).redo()
    monkeypatch.setattr(journal, "_save", real_save)
    assert notes(root) == ["one"]  # the file holds the change again
    assert track(root, "redo").stdout.startswith(f"redid: update {REPORT}/R1 (2018-06-30) (")  # "one", finished
    assert notes(root) == ["one"]
    track(root, "redo")  # and only then "two"
    assert notes(root) == ["one", "two"]
    assert track(root, "redo", expect=1).stderr == "track: nothing to redo\n"


def test_a_redo_killed_between_two_files_is_finished_by_redo_or_taken_back_by_undo(root: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    start = files(root)
    texts = {rel: (root / rel).read_bytes() for rel in (REPORT_FILE, PEEL_FILE)}
    with disk.locked(root, 5, "both"):
        journal.commit(root, "both", {rel: (root / rel, old, old + b"# changed\n") for rel, old in texts.items()})
    changed = files(root)
    track(root, "undo")
    assert files(root) == start
    real_put = journal._put
    puts: list[str] = []

    def killed(path: Path, rel: str, text: str | None) -> None:
        puts.append(rel)
        if len(puts) == 2:
            raise KeyboardInterrupt
        real_put(path, rel, text)

    for finish, expected in (("redo", changed), ("undo", start)):
        puts.clear()
        monkeypatch.setattr(journal, "_put", killed)
        with pytest.raises(KeyboardInterrupt):
            Ledger(root).redo()
        monkeypatch.setattr(journal, "_put", real_put)
        assert files(root) not in (start, changed)  # one file changed, the other not
        assert track(root, finish).stdout.startswith(f"{finish.replace('o', 'i', 1)}d: both (")
        assert files(root) == expected
        if finish == "redo":
            track(root, "undo")
            assert files(root) == start
    track(root, "redo")
    assert files(root) == changed


def test_redo_after_an_undo_killed_midway_puts_the_change_back(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    changed = files(root)
    real_save = journal._save
    saves: list[int] = []

    def killed(root_: Path, entries: list) -> None:
        saves.append(len(entries))
        if len(saves) == 2:  # the undo's last step
            raise KeyboardInterrupt
        real_save(root_, entries)

    monkeypatch.setattr(journal, "_save", killed)
    with pytest.raises(KeyboardInterrupt):
        Ledger(root).undo()
    monkeypatch.setattr(journal, "_save", real_save)
    assert notes(root) == []
    track(root, "redo")
    assert files(root) == changed
    assert track(root, "redo", expect=1).stderr == "track: nothing to redo\n"
    track(root, "undo")
    assert notes(root) == []


def test_a_journal_written_before_redo_existed_is_still_read(root: Path) -> None:
    """Old entries have no `undone` or `redo`; one whose undo was killed has `undoing` only."""
    old = (root / REPORT_FILE).read_bytes()
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    new = (root / REPORT_FILE).read_bytes()
    entry = {"id": "1-x-0", "what": "update one", "when": "2018-06-30T10:00:00",
             "files": {REPORT_FILE: {"before": old.decode(), "after": journal.digest(new)}}}
    path = root / ".track" / journal.NAME
    path.write_text(json.dumps([entry]))
    assert track(root, "undo").stdout == "undid: update one (2018-06-30T10:00:00)\n"
    assert track(root, "redo").stdout == "redid: update one (2018-06-30T10:00:00)\n"
    assert (root / REPORT_FILE).read_bytes() == new
    # an undo killed by an older track, once the file was back: undo finishes it; nothing to redo
    (root / REPORT_FILE).write_bytes(old)
    path.write_text(json.dumps([{**entry, "undoing": True}]))
    assert track(root, "redo", expect=1).stderr == "track: nothing to redo\n"
    assert track(root, "undo").stdout == "undid: update one (2018-06-30T10:00:00)\n"
    assert journal.read(root) == []
    assert track(root, "redo", expect=1).stderr == "track: nothing to redo\n"


class Killed(BaseException):
    pass


def _trajectory(root: Path, commands: list[str]) -> list[tuple[str, int, dict[str, bytes]]]:
    """What each command says (its time left out) and leaves, one after another."""
    out = []
    for command in commands:
        result = track(root, command, expect=None)
        out.append((result.stdout.split(" (")[0] + result.stderr, result.exit_code, files(root)))
    return out


@pytest.mark.parametrize("killed", ["undo", "redo"])
def test_an_undo_or_a_redo_killed_at_any_step_is_whole_or_not_at_all(fast: Path, killed: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A change of two files; an undo (or a redo after an undo) killed before each of its steps
    (each save of the journal, each file written); then undo or redo, and undo, undo, redo, redo,
    redo: each command says and leaves what it would have, had the killed command run whole or
    not at all."""
    root, tmp_path = new_ledger(fast / "ledger"), fast
    track(root, "update", f"{REPORT}/R1", "--note", "first")
    texts = {rel: (root / rel).read_bytes() for rel in (REPORT_FILE, PEEL_FILE)}
    with disk.locked(root, 5, "both"):
        journal.commit(root, "both", {rel: (root / rel, old, old + b"# changed\n") for rel, old in texts.items()})
    if killed == "redo":
        track(root, "undo")
    start = tmp_path / "start"
    shutil.copytree(root, start)
    finished = tmp_path / "finished"
    shutil.copytree(root, finished)
    getattr(Ledger(finished), killed)()
    steps: list[str] = []
    real_save, real_put = journal._save, journal._put

    def step(real):  # type: ignore[no-untyped-def]
        def wrapped(*args):  # type: ignore[no-untyped-def]
            steps.append(real.__name__)
            if len(steps) == kill_at:
                raise Killed
            return real(*args)
        return wrapped

    for recovery in ("undo", "redo"):
        follow = [recovery, "undo", "undo", "redo", "redo", "redo"]
        whole = {_key(_trajectory(_copy(finished, tmp_path / "w"), follow)), _key(_trajectory(_copy(start, tmp_path / "n"), follow))}
        kill_at = 1
        while True:
            place = _copy(start, tmp_path / "k")
            steps.clear()
            monkeypatch.setattr(journal, "_save", step(real_save))
            monkeypatch.setattr(journal, "_put", step(real_put))
            try:
                getattr(Ledger(place), killed)()
                done = True
            except Killed:
                done = False
            monkeypatch.setattr(journal, "_save", real_save)
            monkeypatch.setattr(journal, "_put", real_put)
            if done:
                break
            assert _key(_trajectory(place, follow)) in whole, (recovery, kill_at, steps)
            kill_at += 1
        assert kill_at == 5  # the journal noted, two files, the journal again


def _copy(source: Path, place: Path) -> Path:
    if place.exists():
        shutil.rmtree(place)
    shutil.copytree(source, place)
    return place


def _key(trajectory: list[tuple[str, int, dict[str, bytes]]]) -> str:
    return repr([(said, code, sorted(state.items())) for said, code, state in trajectory])


@pytest.mark.parametrize("bad", [
    {"undone": True},  # undone, but nothing to redo it with
    {"undone": True, "redo": {"reports/other.toml": None}},  # a file the change did not touch
    {"undone": True, "redo": {REPORT_FILE: 3}},
    {"files": {REPORT_FILE: {"before": None, "after": None}}},
    {"files": {REPORT_FILE: {"before": "x"}}},
])
def test_a_journal_with_a_malformed_redo_cannot_be_read(root: Path, bad: dict) -> None:
    entry = {"id": "1", "what": "w", "when": "t", "files": {REPORT_FILE: {"before": "x", "after": "0"}}, **bad}
    (root / ".track" / journal.NAME).write_text(json.dumps([entry]))
    for command in ("undo", "redo"):
        assert "the undo journal cannot be read" in track(root, command, expect=1).stderr


def test_a_redo_text_that_does_not_match_its_digest_is_refused(root: Path) -> None:
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    track(root, "undo")
    path = root / ".track" / journal.NAME
    entries = json.loads(path.read_text())
    entries[-1]["redo"][REPORT_FILE] += "# tampered\n"
    path.write_text(json.dumps(entries))
    before = files(root)
    assert "the undo journal cannot be read" in track(root, "redo", expect=1).stderr
    assert files(root) == before


def test_the_journal_with_texts_to_redo_stays_bounded(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = len((root / REPORT_FILE).read_text())
    for n in range(4):
        track(root, "update", f"{REPORT}/R1", "--note", f"note {n}")
    monkeypatch.setattr(journal, "MAX_CHARS", 5 * (size + 400))
    for _ in range(3):
        track(root, "undo")
        assert sum(journal._size(e) for e in journal.read(root)) <= journal.MAX_CHARS or len(journal.read(root)) == 1
    assert notes(root) == ["note 0"]
    while track(root, "redo", expect=None).exit_code == 0:
        pass
    assert notes(root)[:2] == ["note 0", "note 1"]  # the undo done last is the first kept for redo


# --------------------------------------------------------------------------- deleting a file


def test_a_change_may_delete_a_file_and_undo_and_redo_follow_it(root: Path) -> None:
    before = files(root)
    old = delete(root, PEEL_FILE)
    assert not (root / PEEL_FILE).exists()
    assert journal.read(root)[-1]["files"] == {PEEL_FILE: {"before": old.decode(), "after": None}}
    gone = files(root)
    assert track(root, "undo").stdout.startswith("undid: remove (")
    assert (root / PEEL_FILE).read_bytes() == old and files(root) == before
    assert track(root, "redo").stdout.startswith("redid: remove (")
    assert not (root / PEEL_FILE).exists() and files(root) == gone
    track(root, "undo")
    assert files(root) == before


def test_undo_of_a_deletion_refuses_when_the_file_is_back(root: Path) -> None:
    old = delete(root, PEEL_FILE)
    (root / PEEL_FILE).write_bytes(old + b"# written again by hand\n")
    assert track(root, "undo", expect=1).stderr == (f"track: cannot undo 'remove': {PEEL_FILE} has changed since track "
                                                    "wrote it; nothing was changed\n")
    (root / PEEL_FILE).unlink()
    track(root, "undo")
    (root / PEEL_FILE).write_bytes(old + b"# edited by hand\n")
    assert "has changed since track undid it" in track(root, "redo", expect=1).stderr
    assert (root / PEEL_FILE).read_bytes() == old + b"# edited by hand\n"


def test_a_deletion_is_journaled_before_the_file_goes(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal entry is saved first; a deletion that failed is not left in it for undo."""
    order: list[str] = []
    real_save, real_unlink = journal._save, Path.unlink

    def save(root_: Path, entries: list) -> None:
        order.append("journal")
        real_save(root_, entries)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name != f"{PEEL}.toml":
            return real_unlink(self, missing_ok)
        order.append("unlink")
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    journal_before = (root / ".track" / journal.NAME).read_bytes()
    before = files(root)
    monkeypatch.setattr(journal, "_save", save)
    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(TrackError, match="cannot remove: Permission denied"):
        delete(root, PEEL_FILE)
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert order == ["journal", "unlink", "journal"]
    assert files(root) == before and (root / ".track" / journal.NAME).read_bytes() == journal_before


# --------------------------------------------------------------------------- in git


@pytest.mark.skipif(not gitstore.installed(), reason="git is not installed")
def test_in_git_a_deletion_its_undo_and_its_redo_are_committed(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    own_git_home(tmp_path, monkeypatch)

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    track(None, "init", "--git", root)
    with (root / "track.toml").open("a") as settings:
        settings.write("\n[git]\ncommit = true\n")
    git("add", "-A")
    git("commit", "-qm", "the ledger")
    old = delete(root, PEEL_FILE)
    assert git("log", "-1", "--format=%s", "--name-status").split() == ["remove", "(message)", "D", PEEL_FILE]
    assert git("status", "--porcelain") == ""
    assert track(root, "undo").stderr == ""
    assert git("log", "-1", "--format=%s", "--name-status").split() == ["undo:", "remove", "(message)", "A", PEEL_FILE]
    assert git("show", f"HEAD:{PEEL_FILE}").encode() == old
    assert track(root, "redo").stderr == ""
    assert git("log", "-1", "--format=%s", "--name-status").split() == ["redo:", "remove", "(message)", "D", PEEL_FILE]
    assert git("status", "--porcelain") == ""
    # a file git never held, created and deleted: nothing to commit, and nothing to say
    (root / "reports" / "x.toml").write_text("# by hand\n")
    delete(root, "reports/x.toml")
    assert gitstore.commit(root, ["reports/x.toml"], "nothing") is None
    assert git("log", "-1", "--format=%s") == "redo: remove (message)\n"
    # a file written, and one git had only staged deleted: the commit holds the one, the index forgets the other
    text = (root / REPORT_FILE).read_text()
    (root / REPORT_FILE).write_text(text + "# appended\n")
    (root / "reports" / "y.toml").write_text("# by hand\n")
    git("add", "reports/y.toml")  # staged, never committed
    (root / "reports" / "y.toml").unlink()
    assert gitstore.commit(root, [REPORT_FILE, "reports/y.toml"], "both") is None
    assert git("log", "-1", "--format=%s", "--name-status").split() == ["both", "M", REPORT_FILE]
    assert git("status", "--porcelain") == ""
    assert capsys.readouterr().err == ""  # no warning from git
