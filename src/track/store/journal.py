"""The undo journal (.track/journal.json): each change's old text, so that `undo` can put it
back while the file still holds exactly what track wrote; and, for each change undone, the
text it took back, so that `redo` can put that back in turn.

The journal is a JSON list of entries, oldest first. An entry is one change:

    {"id", "what", "when", "message"?,
     "files": {"reports/X.toml": {"before": old text or null (the file was created),
                                  "after": sha256 of the new bytes, or null (the file was deleted)}},
     "undone": true, "redo": {"reports/X.toml": the text undo took back, or null}   once undone,
     "undoing": true | "redoing": true                                               while moving}

The changes undone are the last entries of the list (marked "undone"): `undo` takes back the
last entry not undone, `redo` puts back the first undone one, and a new change drops them all
(with any "redo" texts left behind), so that what can be redone is exactly what was undone
since the last change. A journal written before `redo` existed (no "undone", no "redo") reads
as a journal with nothing to redo.

Each move is noted before any file is touched ("undoing", with the texts to redo; "redoing"),
so that a command killed midway leaves an entry in between, whose files each hold either the
old or the new text: the next `undo` or `redo` finishes the move either way, and never takes
a change back (or puts one back) twice."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
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
            if not (_REL.match(rel) and isinstance(info, dict) and _text_or_none(info.get("before")) and "after" in info
                    and _text_or_none(info["after"]) and (info.get("before"), info["after"]) != (None, None)):
                return False
        redo = entry.get("redo")
        if redo is not None and not (isinstance(redo, dict) and all(rel in entry["files"] and _text_or_none(text)
                                                                     for rel, text in redo.items())):
            return False
        if entry.get("undone") and redo is None:  # an undone change can always be redone
            return False
    return True


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


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


def _size(entry: dict[str, Any]) -> int:
    texts = [info["before"] for info in entry["files"].values()] + list((entry.get("redo") or {}).values())
    return sum(len(text or "") for text in texts) + 200


def _bounded(entries: list[dict[str, Any]], keep: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries within MAX_CHARS: the oldest changes go first, then the changes undone
    furthest back (the last to be redone); `keep` (the change being made or undone) stays."""
    entries = list(entries)
    total = sum(_size(e) for e in entries)
    while len(entries) > 1 and total > MAX_CHARS:
        if entries[0] is not keep and not entries[0].get("undone"):
            total -= _size(entries.pop(0))
        elif entries[-1] is not keep and entries[-1].get("undone"):
            total -= _size(entries.pop())
        else:
            break
    return entries


def _save(root: Path, entries: list[dict[str, Any]]) -> None:
    (root / layout.PRIVATE).mkdir(exist_ok=True)
    disk.refuse_link(_path(root), "the undo journal")
    disk.atomic_write(_path(root), json.dumps(entries, ensure_ascii=False, indent=1) + "\n")


def _entry(what: str, files: dict[str, tuple[bytes | None, bytes | str | None]], message: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": f"{os.getpid()}-{datetime.now().isoformat()}",
        "what": what,
        "when": datetime.now().isoformat(timespec="seconds"),
        "files": {
            rel: {"before": None if old is None else old.decode("utf-8"), "after": new if isinstance(new, str) else digest(new)}
            for rel, (old, new) in sorted(files.items())
        },
    }
    if message is not None and message != what:
        entry["message"] = message
    return entry


def _record(root: Path, what: str, files: dict[str, tuple[bytes | None, bytes | str | None]],
            message: str | None) -> tuple[str, list[dict[str, Any]] | None]:
    """record(), and the journal as it was (None if it could not be read)."""
    try:
        previous: list[dict[str, Any]] | None = read(root)
    except TrackError:
        previous = None  # an unreadable journal costs only the undo history, never a change
    entries = []
    for old_entry in previous or []:
        if old_entry.get("undone"):  # a new change: what was undone can no longer be redone
            continue
        old_entry = dict(old_entry)
        old_entry.pop("redo", None)  # (an undo killed midway is finished by undo, never redone)
        entries.append(old_entry)
    entry = _entry(what, files, message)
    entry["id"] += f"-{len(entries)}"
    entries.append(entry)
    try:
        _save(root, _bounded(entries[-KEEP:], keep=entry))
    except OSError as error:  # .track/ cannot be created
        raise TrackError(f"{_path(root)}: cannot record the change for `track undo`: {error.strerror}; "
                         "nothing was written") from None
    except disk.WriteFailed as error:
        raise TrackError(f"{_path(root)}: cannot record the change for `track undo`: {error.reason}; "
                         "nothing was written") from None
    return entry["id"], previous


def record(root: Path, what: str, files: dict[str, tuple[bytes | None, bytes | None]], message: str | None = None) -> str:
    """Note a change about to be written: {relative path: (old bytes or None, new bytes, or None
    to delete the file)}; `message` is what its git commit says, if not `what`. Called with the
    ledger's lock held, before the files are replaced. A new change clears what `redo` could
    put back. Returns the entry's id."""
    return _record(root, what, files, message)[0]


def forget(root: Path, key: str, previous: list[dict[str, Any]] | None = None) -> None:
    """Best effort: drop the entry `key` (a change that did not land) if it is still the last,
    putting back the journal as it was before it (`previous`), what could be redone included."""
    try:
        entries = read(root)
        if entries and entries[-1].get("id") == key:
            _save(root, previous if previous is not None else entries[:-1])
    except (TrackError, OSError):
        pass  # undo passes over an entry whose files hold their old text


def commit(root: Path, what: str, writes: dict[str, tuple[Path, bytes | None, bytes | None]], message: str | None = None) -> None:
    """Journal a change, then replace each file atomically: {relative path: (path, old, new)},
    where new None deletes the file (unlinked, then its folder fsynced). Called with the lock
    held, once the old bytes are known to be still on disk."""
    writes = {rel: write for rel, write in writes.items() if write[1] != write[2]}
    if not writes:
        return
    key, previous = _record(root, what, {rel: (old, new) for rel, (_path, old, new) in writes.items()}, message)
    landed: list[str] = []
    try:
        for rel, (path, _old, new) in writes.items():
            _put(path, rel, None if new is None else new.decode("utf-8"))
            landed.append(rel)
    except BaseException as error:
        if not landed:
            forget(root, key, previous)
        elif isinstance(error, TrackError):
            raise TrackError(f"{error}; {', '.join(landed)} had been written already (`track undo` reverts it)") from None
        raise


def commit_staged(root: Path, what: str, staged: dict[str, tuple[Path, bytes | None, str, Path]], message: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> None:
    """commit() for files written beforehand, whole and fsynced, to temp files in a folder
    of the ledger's own (.track/): {relative path: (path, old bytes or None, sha256 of the new
    bytes, the temp file)}. The journal is written first, as by commit(); then each temp file
    is moved onto its report's file, which is as atomic as atomic_write's rename (the new
    file keeps the mode of the one it replaces). Nothing of the new texts is held in memory."""
    if not staged:
        return
    key, previous = _record(root, what, {rel: (old, after) for rel, (_path, old, after, _temp) in staged.items()}, message)
    landed: list[str] = []
    try:
        for done, (rel, (path, _old, _after, temp)) in enumerate(staged.items()):
            _move(temp, path)
            landed.append(rel)
            if progress is not None:
                progress(done + 1, len(staged))
        for folder in {Path(os.path.realpath(path)).parent for path, _old, _after, _temp in staged.values()}:
            disk.fsync_dir(folder)
    except BaseException as error:
        if not landed:
            forget(root, key, previous)
        elif isinstance(error, TrackError):
            raise TrackError(f"{error}; {', '.join(landed)} had been written already (`track undo` reverts it)") from None
        raise


def _move(temp: Path, path: Path) -> None:
    """Replace the file at `path` (through a link, as atomic_write) with the temp file."""
    try:
        target = Path(os.path.realpath(path))
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None:
            try:
                os.chown(temp, st.st_uid, st.st_gid)
            except OSError:
                pass  # only root may give a file away; the mode still follows
            os.chmod(temp, st.st_mode & 0o7777)
        os.replace(temp, target)
    except OSError as error:
        reason = disk.why(error)
        raise disk.WriteFailed(f"{path}: could not write: {reason}; the file is unchanged", reason) from None


def _put(path: Path, rel: str, text: str | None) -> None:
    """Give the file at `path` the text `text`, or delete it (None), atomically."""
    if text is not None:
        path.parent.mkdir(exist_ok=True)
        disk.atomic_write(path, text)
        return
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        raise TrackError(f"{rel}: cannot remove: {error.strerror}; nothing was changed") from None
    disk.fsync_dir(path.parent)


def _now(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise TrackError(f"{rel}: cannot read: {error.strerror}; nothing was changed") from None


def _encoded(text: str | None) -> bytes | None:
    return None if text is None else text.encode("utf-8")


def _moving(entry: dict[str, Any]) -> bool:
    """Whether an undo or a redo of this change was killed midway (its files may be half moved)."""
    return bool(entry.get("undoing") or entry.get("redoing"))


def _pivot(entries: list[dict[str, Any]]) -> int:
    """Where the changes undone begin: entries[pivot:] are undone, entries[:pivot] are not."""
    pivot = len(entries)
    while pivot > 0 and entries[pivot - 1].get("undone"):
        pivot -= 1
    return pivot


def _drop(entries: list[dict[str, Any]], entry: dict[str, Any]) -> None:
    del entries[next(i for i, e in enumerate(entries) if e is entry)]


def _to_undo(root: Path, entry: dict[str, Any]) -> list[tuple[str, str | None, bytes | None]]:
    """The files to put back to what they held before the change: (path, old text, bytes now).
    Refuses when a file holds neither what track wrote nor what it replaced."""
    restore = []
    for rel, info in entry["files"].items():
        now = _now(root, rel)
        if digest(now) == info["after"]:
            restore.append((rel, info["before"], now))
        elif now == _encoded(info["before"]):
            continue  # this file never received the change (or is back already)
        else:
            raise Refused(f"cannot undo {entry['what']!r}: {rel} has changed since track wrote it; nothing was changed")
    return restore


def _to_redo(root: Path, entry: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The files to give back what undo took from them: (path, text). Refuses when a file holds
    something other than what undo put back (unless a redo or an undo was killed midway and
    the file already holds the change)."""
    put = []
    for rel, text in entry["redo"].items():
        info = entry["files"][rel]
        if digest(_encoded(text)) != info["after"]:
            raise TrackError(f"{_path(root)}: the undo journal cannot be read; delete it to start afresh (the ledger is unaffected)")
        now = _now(root, rel)
        if now == _encoded(info["before"]):
            put.append((rel, text))
        elif _moving(entry) and digest(now) == info["after"]:
            continue  # put back already, before the command was killed
        else:
            raise Refused(f"cannot redo {entry['what']!r}: {rel} has changed since track undid it; nothing was changed")
    return put


def undo(root: Path, timeout: float) -> str:
    """Revert the last change track made; returns what it was. Refuses, writing nothing, when
    a file has changed since (by hand, by git, or by a change made outside track)."""
    with disk.locked(root, timeout, "undo"):
        disk.clean_temps(root)
        entries = read(root)
        passed = False
        while True:
            pivot = _pivot(entries)
            if pivot < len(entries) and entries[pivot].get("redoing"):
                entry = entries[pivot]  # a redo was killed midway: take back what it put back
            elif pivot > 0:
                entry = entries[pivot - 1]
            else:
                break
            restore = _to_undo(root, entry)
            if not restore and not _moving(entry):  # the change never landed (a failed write, a kill): pass over it
                _drop(entries, entry)
                passed = True
                continue
            if not _moving(entry):
                # noted first, with what redo will need, so that an undo killed midway is finished, not taken twice
                entry["undoing"] = True
                entry["redo"] = {rel: None if now is None else now.decode("utf-8") for rel, _before, now in restore}
                entries = _bounded(entries, keep=entry)
                _save(root, entries)
            for rel, before, _now_bytes in restore:
                _put(root / rel, rel, before)
            entry.pop("undoing", None)
            entry.pop("redoing", None)
            if isinstance(entry.get("redo"), dict):
                entry["undone"] = True
            else:  # an undo killed midway by a track that kept no texts to redo: it cannot be redone
                _drop(entries, entry)
            _save(root, entries)
            _commit(root, "undo", [rel for rel, _before, _now_bytes in restore] or list(entry["files"]), entry)
            return f"{entry['what']} ({entry['when']})"
        if passed:
            _save(root, entries)
        raise Refused("nothing to undo: the journal is empty")


def redo(root: Path, timeout: float) -> str:
    """Put back the last change `undo` took back (as many times as undo was run since the last
    change); returns what it was. Refuses, writing nothing, when a file has changed since the
    undo, or when there is nothing to redo."""
    with disk.locked(root, timeout, "redo"):
        disk.clean_temps(root)
        entries = read(root)
        pivot = _pivot(entries)
        if pivot > 0 and entries[pivot - 1].get("undoing") and isinstance(entries[pivot - 1].get("redo"), dict):
            entry = entries[pivot - 1]  # an undo was killed midway: put back what it took back
        elif pivot < len(entries):
            entry = entries[pivot]
        else:
            raise Refused("nothing to redo")
        put = _to_redo(root, entry)
        if put and not _moving(entry):
            entry["redoing"] = True  # noted first, so that a redo killed midway is finished, not done twice
            _save(root, entries)
        for rel, text in put:
            _put(root / rel, rel, text)
        paths = [rel for rel, _text in put] or list(entry["redo"])
        for key in ("undone", "undoing", "redoing", "redo"):
            entry.pop(key, None)
        _save(root, entries)  # the change is in the journal again, for undo
        _commit(root, "redo", paths, entry)
        return f"{entry['what']} ({entry['when']})"


def _commit(root: Path, verb: str, paths: list[str], entry: dict[str, Any]) -> None:
    """Commit the files an undo or a redo changed, as "VERB: " and the message the change was
    committed with, when track.toml asks for commits (else no git at all)."""
    try:
        settings = disk.load_settings(root)
    except TrackError:
        return
    git = settings.get("git")
    if isinstance(git, dict) and git.get("commit") is True:
        from track.store import gitstore

        message = entry.get("message")
        gitstore.committed(root, sorted(paths), f"{verb}: {message if isinstance(message, str) else entry['what']}")
