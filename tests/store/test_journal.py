"""`track undo`: reverts the last change track made (kept in .track/journal.json), says what
it undid, refuses when a file changed since, passes over changes that never landed, and keeps
the journal bounded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from faults_support import PEEL, REPORT, files, new_ledger, track

from track import Ledger
from track.store import disk, journal

WHEN = r"\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)"  # when the change was made: the wall clock, so matched, not compared


def undid(root: Path, what: str) -> None:
    result = track(root, "undo")
    assert re.fullmatch(f"undid: {re.escape(what)} {WHEN}\n", result.stdout), result.stdout
    assert result.stderr == ""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return new_ledger(tmp_path / "ledger")


def test_undo_after_update_add_and_reports_add_restores_each_earlier_state(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    track(None, "init", root)
    states = [files(root)]
    track(root, "reports", "add", REPORT, "--title", "T", "--by", "HMIC", "--subject", "Met", "--published", "2016-11-24")
    states.append(files(root))
    track(root, "add", REPORT, "--ref", "R1", "--text", "Appoint a lead", "--due", "+6 months")
    states.append(files(root))
    track(root, "update", "R1", "--response", "accepted", "--date", "2017-01-10")
    states.append(files(root))

    undid(root, f"update {REPORT}/R1 (2017-01-10)")
    assert files(root) == states[2]
    undid(root, f"add {REPORT}/R1")
    assert files(root) == states[1]
    undid(root, f"reports add {REPORT}")
    assert files(root) == states[0] and not (root / "reports" / f"{REPORT}.toml").exists()
    result = track(root, "undo", expect=1)
    assert result.stderr == "track: nothing to undo: the journal is empty\n"
    assert track(root, "check").stdout == "ok: 0 reports, 0 recommendations, no problems\n"


def test_undo_reverts_only_the_last_change(root: Path) -> None:
    track(root, "update", f"{PEEL}/AFI1", "--note", "one")
    before = files(root)
    track(root, "update", f"{REPORT}/R1", "--note", "two")
    undid(root, f"update {REPORT}/R1 (2018-06-30)")
    assert files(root) == before
    assert [e.note for e in Ledger(root).full(PEEL).recommendations[0].events] == ["one"]


def test_undo_refuses_when_the_file_changed_since(root: Path) -> None:
    track(root, "update", f"{REPORT}/R1", "--status", "in-progress")
    path = root / "reports" / f"{REPORT}.toml"
    path.write_text(path.read_text().replace("Recommendation 2", "Recommendation 2 (edited by hand)"))
    before = files(root)
    journal_before = (root / ".track" / "journal.json").read_bytes()
    result = track(root, "undo", expect=1)
    assert result.stderr == (f"track: cannot undo 'update {REPORT}/R1 (2018-06-30)': reports/{REPORT}.toml has changed "
                             "since track wrote it; nothing was changed\n")
    assert files(root) == before
    assert (root / ".track" / "journal.json").read_bytes() == journal_before


def test_undo_refuses_when_a_created_file_was_removed_or_recreated(root: Path) -> None:
    track(root, "reports", "add", "new", "--title", "T", "--by", "B", "--subject", "S", "--published", "2017-01-01")
    (root / "reports" / "new.toml").write_text((root / "reports" / "new.toml").read_text() + "# a comment\n")
    assert "reports/new.toml has changed since track wrote it" in track(root, "undo", expect=1).stderr


def test_undo_passes_over_a_change_that_never_landed(root: Path) -> None:
    """A process killed between writing the journal and replacing the file leaves an entry
    whose file still holds its old text: undo goes on to the change before it."""
    track(root, "update", f"{REPORT}/R1", "--note", "landed")
    before = files(root)
    old = (root / "reports" / f"{REPORT}.toml").read_bytes()
    journal.record(root, "update never landed", {f"reports/{REPORT}.toml": (old, old + b"# never written\n")})
    undid(root, f"update {REPORT}/R1 (2018-06-30)")
    assert files(root) != before
    assert [e.note for e in Ledger(root).full(REPORT).recommendations[0].events] == []


def test_an_undo_killed_before_it_updated_the_journal_is_not_undone_twice_over(root: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed once the file is back but before the journal is shortened, undo run again
    finishes that undo and takes back exactly one change (issue 18: it took back two)."""
    track(root, "update", f"{REPORT}/R1", "--note", "one")
    track(root, "update", f"{REPORT}/R1", "--note", "two")
    kept = len(journal.read(root))
    saves = []
    real_save = journal._save

    def killed(root_: Path, entries: list) -> None:
        saves.append(len(entries))
        if len(saves) == 2:  # the last step of the undo: the journal without the entry
            raise KeyboardInterrupt
        real_save(root_, entries)

    monkeypatch.setattr(journal, "_save", killed)
    with pytest.raises(KeyboardInterrupt):
        Ledger(root).undo()
    monkeypatch.setattr(journal, "_save", real_save)
    assert [e.note for e in Ledger(root).full(REPORT).recommendations[0].events] == ["one"]  # the file is back
    undid(root, f"update {REPORT}/R1 (2018-06-30)")  # the undo of "two", finished
    assert [e.note for e in Ledger(root).full(REPORT).recommendations[0].events] == ["one"]
    assert len([e for e in journal.read(root) if not e.get("undone")]) == kept - 1  # the others can be redone
    undid(root, f"update {REPORT}/R1 (2018-06-30)")  # and only then "one"
    assert [e.note for e in Ledger(root).full(REPORT).recommendations[0].events] == []


def test_the_journal_keeps_the_last_changes_only(root: Path) -> None:
    start = files(root)
    for n in range(journal.KEEP + 5):
        track(root, "update", f"{REPORT}/R1", "--note", f"note {n}")
        if n == 4:
            after_five = files(root)
    assert len(journal.read(root)) == journal.KEEP
    for _ in range(journal.KEEP):
        track(root, "undo")
    assert files(root) == after_five != start
    assert track(root, "undo", expect=1).stderr == "track: nothing to undo: the journal is empty\n"


def test_the_journal_is_bounded_in_size_too(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    size = len((root / "reports" / f"{REPORT}.toml").read_text())
    monkeypatch.setattr(journal, "MAX_CHARS", 3 * (size + 400))
    for n in range(8):
        track(root, "update", f"{REPORT}/R1", "--note", f"note {n}")
    assert 1 <= len(journal.read(root)) <= 3
    monkeypatch.setattr(journal, "MAX_CHARS", 1)  # even then, the last change can be undone
    track(root, "update", f"{REPORT}/R1", "--note", "last")
    assert len(journal.read(root)) == 1
    undid(root, f"update {REPORT}/R1 (2018-06-30)")


def test_an_unreadable_journal_never_blocks_a_change(root: Path) -> None:
    path = root / ".track" / "journal.json"
    path.write_text("{ not json")
    assert track(root, "undo", expect=1).stderr == (
        f"track: {path}: the undo journal cannot be read; delete it to start afresh (the ledger is unaffected)\n")
    track(root, "update", f"{REPORT}/R1", "--note", "still works")  # starts the journal afresh
    undid(root, f"update {REPORT}/R1 (2018-06-30)")
    path.write_text(json.dumps([{"what": "x", "when": "y", "files": {"../../etc/passwd": {"before": "", "after": "0"}}}]))
    assert "the undo journal cannot be read" in track(root, "undo", expect=1).stderr


def test_undo_waits_for_the_lock_and_names_its_holder(root: Path) -> None:
    import os

    settings = root / "track.toml"
    settings.write_text("lock_timeout = 0.2\n" + settings.read_text())  # before any [table]
    with disk.locked(root, 1, f"update {REPORT}/R1"):
        result = track(root, "undo", expect=1)
    assert re.fullmatch(
        rf"track: {re.escape(str(root))}: the ledger is locked by process {os.getpid()} \(update {REPORT}/R1, since "
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\); waited 0.2s. Try again when it has finished.\n", result.stderr), result.stderr
