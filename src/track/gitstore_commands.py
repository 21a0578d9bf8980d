"""The body of `track merge-driver` (declared in cmd_team.py). No typer here; see commands.py."""

from __future__ import annotations

from .commands import Run


def merge_driver(run: Run, *, base: str, ours: str, theirs: str, path: str) -> None:
    from .errors import TrackError

    raise TrackError("merge-driver is not built yet")
