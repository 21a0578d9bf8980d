"""The undo journal (.track/journal.json): each change's old text, so that `undo` can put it
back while the file still holds exactly what track wrote."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain.errors import Refused, TrackError
from track.store import disk, layout

KEEP = 20  # changes
MAX_CHARS = 4_000_000  # the journal holds whole files and is rewritten on every change
NAME = "journal.json"
_REL = re.compile(r"^reports/[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.toml\Z")


def _path(root: Path) -> Path:
    return root / layout.PRIVATE / NAME


def digest(data: bytes | None) -> str | None:
    import hashlib

    return None if data is None else hashlib.sha256(data).hexdigest()


def _valid(entries: Any) -> bool:
    if not isinstance(entries, list):
        return False
    for entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("what"), str) and isinstance(entry.get("when"), str)
                and isinstance(entry.get("files"), dict) and entry["files"]):
            return False
        for rel, info in entry["files"].items():
            if not (_REL.match(rel) and isinstance(info, dict) and isinstance(info.get("after"), str)
                    and (info.get("before") is None or isinstance(info.get("before"), str))):
                return False
    return True


def read(root: Path) -> list[dict[str, Any]]:
    path = _path(root)
    disk.refuse_link(path, "the undo journal")
    try:
        entries = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        entries = None
    if not _valid(entries):
        raise TrackError(f"{path}: the undo journal cannot be read; delete it to start afresh (the ledger is unaffected)")
    return entries


def _bounded(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = entries[-KEEP:]
    sizes = [sum(len(info["before"] or "") for info in e["files"].values()) + 200 for e in entries]
    while len(entries) > 1 and sum(sizes) > MAX_CHARS:
        entries, sizes = entries[1:], sizes[1:]
    return entries


def _save(root: Path, entries: list[dict[str, Any]]) -> None:
    (root / layout.PRIVATE).mkdir(exist_ok=True)
    disk.refuse_link(_path(root), "the undo journal")
    disk.atomic_write(_path(root), json.dumps(entries, ensure_ascii=False, indent=1) + "\n")


def record(root: Path, what: str, files: dict[str, tuple[bytes | None, bytes]], message: str | None = None) -> str:
    """Note a change about to be written: {relative path: (old bytes or None, new bytes)};
    `message` is what its git commit says, if not `what`. Called with the ledger's lock held,
    before the files are replaced. Returns the entry's id."""
    try:
        entries = read(root)
    except TrackError:
        entries = []  # an unreadable journal costs only the undo history, never a change
    key = f"{os.getpid()}-{datetime.now().isoformat()}-{len(entries)}"
    entry: dict[str, Any] = {
        "id": key,
        "what": what,
        "when": datetime.now().isoformat(timespec="seconds"),
        "files": {
            rel: {"before": None if old is None else old.decode("utf-8"), "after": digest(new)}
            for rel, (old, new) in sorted(files.items())
        },
    }
    if message is not None and message != what:
        entry["message"] = message
    entries.append(entry)
    try:
        _save(root, _bounded(entries))
    except OSError as error:  # .track/ cannot be created
        raise TrackError(f"{_path(root)}: cannot record the change for `track undo`: {error.strerror}; "
                         "nothing was written") from None
    except disk.WriteFailed as error:
        raise TrackError(f"{_path(root)}: cannot record the change for `track undo`: {error.reason}; "
                         "nothing was written") from None
    return key


def forget(root: Path, key: str) -> None:
    """Best effort: drop the entry `key` (a change that did not land) if it is still the last."""
    try:
        entries = read(root)
        if entries and entries[-1].get("id") == key:
            _save(root, entries[:-1])
    except (TrackError, OSError):
        pass  # undo passes over an entry whose files hold their old text


def commit(root: Path, what: str, writes: dict[str, tuple[Path, bytes | None, bytes]], message: str | None = None) -> None:
    """Journal a change, then replace each file atomically: {relative path: (path, old, new)}.
    Called with the lock held, once the old bytes are known to be still on disk."""
    key = record(root, what, {rel: (old, new) for rel, (_path, old, new) in writes.items()}, message)
    landed: list[str] = []
    try:
        for rel, (path, _old, new) in writes.items():
            disk.atomic_write(path, new.decode("utf-8"))
            landed.append(rel)
    except BaseException as error:
        if not landed:
            forget(root, key)
        elif isinstance(error, TrackError):
            raise TrackError(f"{error}; {', '.join(landed)} had been written already (`track undo` reverts it)") from None
        raise


def _now(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise TrackError(f"{rel}: cannot read: {error.strerror}; nothing was changed") from None


def undo(root: Path, timeout: float) -> str:
    """Revert the last change track made; returns what it was. Refuses, writing nothing, when
    a file has changed since (by hand, by git, or by a change made outside track)."""
    with disk.locked(root, timeout, "undo"):
        disk.clean_temps(root)
        entries = read(root)
        passed = False
        while entries:
            last = entries[-1]
            restore: list[tuple[str, str | None]] = []
            for rel, info in last["files"].items():
                now = _now(root, rel)
                before = info["before"]
                if digest(now) == info["after"]:
                    restore.append((rel, before))
                elif now == (None if before is None else before.encode("utf-8")):
                    continue  # this file never received the change
                else:
                    raise Refused(f"cannot undo {last['what']!r}: {rel} has changed since track wrote it; nothing was changed")
            if not restore and last.get("undoing"):  # an undo of it was killed once its files were back: finish it
                _save(root, entries[:-1])
                _commit_undo(root, list(last["files"]), last)
                return f"{last['what']} ({last['when']})"
            if not restore:  # the change never landed (a failed write, or a process killed): pass over it
                entries.pop()
                passed = True
                continue
            last["undoing"] = True  # noted first, so that an undo killed midway is finished, not taken twice
            _save(root, entries)
            for rel, before in restore:
                path = root / rel
                if before is None:
                    try:
                        path.unlink()
                    except OSError as error:
                        raise TrackError(f"{rel}: cannot remove: {error.strerror}; nothing was changed") from None
                    disk.fsync_dir(path.parent)
                else:
                    disk.atomic_write(path, before)
            _save(root, entries[:-1])
            _commit_undo(root, [rel for rel, _before in restore], last)
            return f"{last['what']} ({last['when']})"
        if passed:
            _save(root, entries)
        raise Refused("nothing to undo: the journal is empty")


def _commit_undo(root: Path, paths: list[str], entry: dict[str, Any]) -> None:
    """Commit the files an undo restored, when track.toml asks for commits (else no git at all)."""
    try:
        settings = disk.load_settings(root)
    except TrackError:
        return
    git = settings.get("git")
    if isinstance(git, dict) and git.get("commit") is True:
        from track.store import gitstore

        message = entry.get("message")
        gitstore.committed(root, sorted(paths), f"undo: {message if isinstance(message, str) else entry['what']}")
