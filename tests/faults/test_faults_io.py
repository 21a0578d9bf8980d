"""Faults of the file system, injected in-process (monkeypatched os calls) while real commands
run through the CliRunner: a full disk, permission denied, a failing fsync or os.replace.
Each time the report file is byte-identical, no temp file is left, the undo journal is
unchanged, and the message says what happened. Also: symlinked report files, writes that
change nothing, the optimistic check, the lock's folder, and temp files left by the dead."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from faults_support import REPORT, TEMP, files, new_ledger, temps, track

from track import Ledger
from track.domain.errors import ChangedOnDisk
from track.store import disk, reportfile

REC = f"{REPORT}/R1"
UPDATE = ("update", REC, "--status", "in-progress", "--note", "Lead appointed")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return new_ledger(tmp_path / "ledger")


def _journal(root: Path) -> bytes:
    return (root / ".track" / "journal.json").read_bytes()


def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def _is_temp(path: str | os.PathLike[str], name: str | None = None) -> bool:
    base = os.path.basename(os.fspath(path))
    return bool(TEMP.match(base)) and (name is None or base.startswith(f".{name}."))


def inject(monkeypatch: pytest.MonkeyPatch, call: str, code: int, hit: Callable[..., bool]) -> list[Any]:
    """Make os.<call> raise OSError(code) whenever hit(*args) is true; returns the calls that failed."""
    real = getattr(os, call)
    failed: list[Any] = []

    def fake(*args: Any, **kwargs: Any) -> Any:
        if hit(*args):
            failed.append(args)
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, call, fake)
    return failed


def _assert_untouched(root: Path, before: dict[str, bytes], journal_before: bytes) -> None:
    assert files(root) == before
    assert temps(root) == []
    assert _journal(root) == journal_before  # no entry for a change that did not happen


# --------------------------------------------------------------------------- disk full


def test_disk_full_half_way_through_the_report_leaves_it_byte_identical(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, journal_before = files(root), _journal(root)
    real_write = os.write
    calls = []

    def half_then_full(fd: int, data: Any) -> int:  # a partial temp file, then ENOSPC
        if _is_temp(_fd_path(fd), f"{REPORT}.toml"):
            calls.append(fd)
            if len(calls) > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, bytes(data[: len(data) // 2]))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half_then_full)
    result = track(root, *UPDATE, expect=1)
    assert len(calls) == 2
    assert result.stderr == (f"track: {root}/reports/{REPORT}.toml: could not write: No space left on device "
                             "(the disk or quota is full); the file is unchanged\n")
    assert result.stdout == ""
    _assert_untouched(root, before, journal_before)
    monkeypatch.undo()
    track(root, *UPDATE)  # once there is room, the same command works
    assert track(root, "check").stdout == "ok: 2 reports, 3 recommendations, no problems\n"


def test_disk_full_for_the_undo_journal_writes_nothing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, journal_before = files(root), _journal(root)
    failed = inject(monkeypatch, "write", errno.ENOSPC, lambda fd, data: _is_temp(_fd_path(fd)))
    result = track(root, *UPDATE, expect=1)
    assert len(failed) == 1  # the journal is written first; the report was never touched
    assert result.stderr == (f"track: {root}/.track/journal.json: cannot record the change for `track undo`: "
                             "No space left on device (the disk or quota is full); nothing was written\n")
    _assert_untouched(root, before, journal_before)


def test_a_failing_fsync_leaves_the_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, journal_before = files(root), _journal(root)
    inject(monkeypatch, "fsync", errno.EIO, lambda fd: _is_temp(_fd_path(fd), f"{REPORT}.toml"))
    result = track(root, *UPDATE, expect=1)
    assert result.stderr == f"track: {root}/reports/{REPORT}.toml: could not write: Input/output error; the file is unchanged\n"
    _assert_untouched(root, before, journal_before)


# --------------------------------------------------------------------------- permission denied


def test_permission_denied_on_the_reports_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, chmod does not stop us: the denial is injected where the temp file is created."""
    before, journal_before = files(root), _journal(root)
    inject(monkeypatch, "open", errno.EACCES, lambda path, *a: _is_temp(path, f"{REPORT}.toml"))
    result = track(root, *UPDATE, expect=1)
    assert result.stderr == f"track: {root}/reports/{REPORT}.toml: could not write: Permission denied; the file is unchanged\n"
    _assert_untouched(root, before, journal_before)


def test_permission_denied_on_the_lock(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, journal_before = files(root), _journal(root)
    inject(monkeypatch, "open", errno.EACCES, lambda path, flags, *a: str(path).endswith("/.track/lock") and flags & os.O_CREAT)
    result = track(root, *UPDATE, expect=1)
    assert result.stderr == f"track: {root}/.track/lock: cannot create the lock: Permission denied; nothing was written\n"
    _assert_untouched(root, before, journal_before)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_read_only_ledger_refuses_changes_but_can_be_read(root: Path) -> None:  # pragma: no cover - not as root
    before = files(root)
    for folder in (root, root / "reports", root / ".track"):
        folder.chmod(0o555)
    try:
        result = track(root, *UPDATE, expect=1)
        assert "Permission denied" in result.stderr
        track(root, "list")
    finally:
        for folder in (root, root / "reports", root / ".track"):
            folder.chmod(0o755)
    assert files(root) == before and temps(root) == []


# --------------------------------------------------------------------------- os.replace


@pytest.mark.parametrize("code,words", [(errno.EIO, "Input/output error"), (errno.EXDEV, "Invalid cross-device link"),
                                        (errno.EACCES, "Permission denied")])
def test_a_failing_os_replace_leaves_the_file(root: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str) -> None:
    before, journal_before = files(root), _journal(root)
    failed = inject(monkeypatch, "replace", code, lambda src, dst: _is_temp(src, f"{REPORT}.toml"))
    result = track(root, *UPDATE, expect=1)
    assert len(failed) == 1
    assert result.stderr == f"track: {root}/reports/{REPORT}.toml: could not write: {words}; the file is unchanged\n"
    _assert_untouched(root, before, journal_before)


def test_when_every_os_replace_fails_nothing_is_left_behind(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index cache writes through os.replace too; by the next command no temp file remains."""
    before, journal_before = files(root), _journal(root)
    inject(monkeypatch, "replace", errno.EIO, lambda src, dst: True)
    for args in (UPDATE, ("add", REPORT, "--ref", "R9", "--text", "t"), ("reports", "add", "x", "--title", "T",
                 "--by", "B", "--subject", "S", "--published", "2017-01-01")):
        assert "Input/output error" in track(root, *args, expect=1).stderr
        assert files(root) == before and _journal(root) == journal_before
    monkeypatch.undo()
    track(root, "list")
    assert temps(root) == []


def test_a_failed_write_of_one_file_is_not_left_in_the_journal_for_undo(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    track(root, "update", REC, "--note", "first")
    with monkeypatch.context() as mp:
        inject(mp, "replace", errno.EIO, lambda src, dst: _is_temp(src, f"{REPORT}.toml"))
        track(root, "update", REC, "--note", "second", expect=1)
    assert track(root, "undo").stdout.startswith(f"undid: update {REC} (2018-06-30) (")
    assert [e.note for e in Ledger(root).full(REPORT).recommendations[0].events] == []


# --------------------------------------------------------------------------- symlinks, modes, no-op writes


def test_a_report_file_linked_outside_the_ledger_is_refused_not_written_through(root: Path, tmp_path: Path) -> None:
    """A link could take a change anywhere (issue 18): one that leaves the ledger is refused."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = root / "reports" / f"{REPORT}.toml"
    target = elsewhere / f"{REPORT}.toml"
    target.write_bytes(link.read_bytes())
    link.unlink()
    link.symlink_to(target)
    before = target.read_bytes()
    result = track(root, *UPDATE, expect=1)
    assert result.stderr.startswith(f"track: reports/{REPORT}.toml: a symbolic link to {target}, outside the ledger")
    assert link.is_symlink() and target.read_bytes() == before
    assert temps(root) == [] and [p.name for p in elsewhere.iterdir()] == [f"{REPORT}.toml"]


def test_a_relative_symlink_in_another_folder(root: Path) -> None:
    (root / "shared").mkdir()
    link = root / "reports" / f"{REPORT}.toml"
    os.replace(link, root / "shared" / "cp.toml")
    link.symlink_to(Path("..") / "shared" / "cp.toml")
    track(root, *UPDATE)
    assert link.is_symlink() and "Lead appointed" in (root / "shared" / "cp.toml").read_text()


def test_a_report_file_keeps_its_mode(root: Path) -> None:
    path = root / "reports" / f"{REPORT}.toml"
    path.chmod(0o640)
    track(root, *UPDATE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_report_file_follows_the_umask(root: Path) -> None:
    old = os.umask(0o027)
    try:
        track(root, "reports", "add", "new", "--title", "T", "--by", "B", "--subject", "S", "--published", "2017-01-01")
    finally:
        os.umask(old)
    assert stat.S_IMODE((root / "reports" / "new.toml").stat().st_mode) == 0o640


def test_a_write_that_changes_nothing_touches_nothing(root: Path) -> None:
    path = root / "reports" / f"{REPORT}.toml"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    st = path.stat()
    assert disk.atomic_write(path, path.read_text()) is False
    lib = Ledger(root)
    journal_before = _journal(root)
    with lib.changing("nothing") as dirty:  # a change that changes nothing: no write, no journal entry
        lib.full(REPORT)
        dirty.add(REPORT)
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino, after.st_ctime_ns) == (st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    assert _journal(root) == journal_before and temps(root) == []


# --------------------------------------------------------------------------- the optimistic check


def test_an_edit_made_between_the_read_and_the_write_is_not_overwritten(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = root / "reports" / f"{REPORT}.toml"
    edited = path.read_text().replace("Recommendation 1", "Recommendation 1, as the editor saved it")
    real = reportfile.dumps_report

    def editor_saves_meanwhile(report: Any) -> str:  # called after the read, before the write
        path.write_text(edited)
        return real(report)

    journal_before = _journal(root)
    monkeypatch.setattr(reportfile, "dumps_report", editor_saves_meanwhile)
    result = track(root, *UPDATE, expect=1)
    assert result.stderr == (f"track: {root}/reports/{REPORT}.toml: changed on disk while track was working; "
                             "nothing was written. Run the command again.\n")
    assert path.read_text() == edited and _journal(root) == journal_before and temps(root) == []
    monkeypatch.undo()
    track(root, *UPDATE)  # run again: the edit and the update both land
    assert "as the editor saved it" in path.read_text() and "Lead appointed" in path.read_text()


def test_check_unchanged_compares_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"a = 1\n")
    disk.check_unchanged(path, b"a = 1\n")
    with pytest.raises(ChangedOnDisk):
        disk.check_unchanged(path, b"a = 2\n")
    with pytest.raises(ChangedOnDisk):
        disk.check_unchanged(tmp_path / "new.toml", b"")
    disk.check_unchanged(tmp_path / "new.toml", None)


# --------------------------------------------------------------------------- the lock's folder, temp files


def test_a_fresh_clone_without_the_private_folder_works(root: Path) -> None:
    import shutil

    shutil.rmtree(root / ".track")  # .track/ is in .gitignore: a clone has none
    track(root, "list")
    assert not (root / ".track" / "lock").exists()  # a read takes no lock (the index cache may be rebuilt)
    track(root, *UPDATE)
    assert (root / ".track" / "lock").is_file() and (root / ".track" / "journal.json").is_file()
    assert ".track/" in (root / ".gitignore").read_text().splitlines()


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_read_removes_temp_files_a_dead_writer_left_and_ignores_them(root: Path) -> None:
    dead = _dead_pid()
    left = [root / "reports" / f".{REPORT}.toml.{dead}.tmp", root / ".track" / f".journal.json.{dead}.tmp",
            root / f".track.toml.{dead}.tmp"]
    for path in left:
        path.write_text("half a fi")
    mine = root / "reports" / ".notes.tmp"  # not track's: left alone
    mine.write_text("mine")
    live = root / "reports" / f".{REPORT}.toml.{os.getppid()}.tmp"  # a writer still at work
    live.write_text("in progress")
    assert track(root, "check").stdout == "ok: 2 reports, 3 recommendations, no problems\n"
    assert [p.exists() for p in left] == [False, False, False]
    assert mine.exists() and live.exists()


def test_a_read_leaves_temp_files_alone_while_a_writer_holds_the_lock(root: Path) -> None:
    stale = root / "reports" / f".{REPORT}.toml.{_dead_pid()}.tmp"
    stale.write_text("x")
    with disk.locked(root, 1, "a writer at work"):
        track(root, "list")
        assert stale.exists()
    track(root, "list")
    assert not stale.exists()


# --------------------------------------------------------------------------- verify after render


def test_a_renderer_that_loses_anything_is_caught_before_writing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write parses the rendered text back and compares it with what was meant."""
    import tomli_w

    real = tomli_w.dumps
    before, journal_before = files(root), _journal(root)
    for lossy in (lambda text: text.replace("Lead appointed", "Lead appointe"),  # a lost character
                  lambda text: text.replace("\u2028", ""),  # a lost line separator
                  lambda text: text.replace('"in-progress"', '"in-progress"\nstatus = "implemented"')):  # unreadable
        monkeypatch.setattr(tomli_w, "dumps", lambda doc, _l=lossy, **kw: _l(real(doc, **kw)))
        result = track(root, "update", REC, "--status", "in-progress", "--note", "Lead appointed \u2028 now", expect=1)
        assert result.stderr == f"track: {REPORT}: the new text did not read back as written; nothing was written\n"
        _assert_untouched(root, before, journal_before)
    monkeypatch.undo()
    track(root, "update", REC, "--status", "in-progress", "--note", "Lead appointed \u2028 now")
    assert Ledger(root).full(REPORT).recommendations[0].events[0].note == "Lead appointed \u2028 now"
