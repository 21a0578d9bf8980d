"""The undo journal: before track replaces a report file, it notes the file's old text and a
hash of the new one in .track/journal.json (the last few changes). `undo` puts the old text
back, but only while the file still holds exactly what track wrote."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from . import store
from .errors import Refused, TrackError

KEEP = 20
NAME = "journal.json"


def _path(root: Path) -> Path:
    return root / store.PRIVATE / NAME


def digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def read(root: Path) -> list[dict[str, Any]]:
    try:
        entries = json.loads(_path(root).read_text("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        raise TrackError(f"{_path(root)}: the undo journal cannot be read; delete it to start afresh (the ledger is unaffected)") from None
    return entries if isinstance(entries, list) else []


def record(root: Path, what: str, files: dict[str, tuple[bytes | None, bytes]]) -> None:
    """Note a change about to be written: {relative path: (old bytes or None, new bytes)}.
    Called with the ledger's lock held, before the files are replaced."""
    entries = read(root)
    entries.append({
        "what": what,
        "when": datetime.now().isoformat(timespec="seconds"),
        "files": {
            rel: {"before": None if old is None else old.decode("utf-8"), "after": digest(new)}
            for rel, (old, new) in sorted(files.items())
        },
    })
    (root / store.PRIVATE).mkdir(exist_ok=True)
    store.atomic_write(_path(root), json.dumps(entries[-KEEP:], ensure_ascii=False, indent=1) + "\n")


def undo(root: Path, timeout: float) -> str:
    """Revert the last change track made; returns what it was. Refuses, writing nothing, when
    a file has changed since (by hand, by git, or by a change made outside track)."""
    with store.locked(root, timeout, "undo"):
        entries = read(root)
        if not entries:
            raise Refused("nothing to undo: the journal is empty")
        last = entries[-1]
        restores: list[tuple[Path, str | None]] = []
        for rel, info in last["files"].items():
            path = root / rel
            try:
                now: bytes | None = path.read_bytes()
            except FileNotFoundError:
                now = None
            if digest(now) != info["after"]:
                raise Refused(f"cannot undo {last['what']!r}: {rel} has changed since track wrote it; nothing was changed")
            restores.append((path, info["before"]))
        for path, before in restores:
            if before is None:
                path.unlink()
                store._fsync_dir(path.parent)
            else:
                store.atomic_write(path, before)
        store.atomic_write(_path(root), json.dumps(entries[:-1], ensure_ascii=False, indent=1) + "\n")
        return f"{last['what']} ({last['when']})"
