"""The body of `track merge-driver` (declared in cmd_team.py). No typer here; see commands.py."""

from __future__ import annotations

from .commands import Run


def merge_driver(run: Run, *, base: str, ours: str, theirs: str, path: str) -> None:
    """git calls it as `track merge-driver %O %A %B %P`: the merged file goes to OURS; exit 0
    when merged, 1 with the conflict left in OURS (between markers) when both sides changed
    the same field differently, or when a version cannot be read as a report (then OURS holds
    git's own line merge)."""
    from pathlib import Path

    from . import merge, store
    from .errors import InvalidLedger

    shown = path or ours
    name = Path(shown).name
    report_id = name[:-5] if name.endswith(".toml") and len(name) > 5 else "report"
    try:
        texts = [store.read_text(Path(file), side) for side, file in
                 (("base", base), ("ours", ours), ("theirs", theirs))]
        outcome = merge.merge_texts(*texts, report_id=report_id)
    except (merge.Unreadable, InvalidLedger) as error:
        from . import gitstore

        clean = gitstore.line_merge(base, ours, theirs)
        left = "git's line merge" + ("" if clean else " with its conflict markers")
        raise merge.MergeConflict(f"{shown}: cannot merge it as a report ({error}); it holds {left}: "
                                  "check it, then run `track check`") from None
    store.atomic_write(Path(ours), outcome.text)
    if outcome.conflicts:
        fields = ", ".join(outcome.conflicts)
        raise merge.MergeConflict(f"{shown}: both sides changed {fields} differently; both versions are in the file "
                                  "between <<<<<<< ours and >>>>>>> theirs: keep one, then run `track check`")
