"""The bodies of `track import` and `track export` (declared in cmd_team.py). No typer here;
see commands.py."""

from __future__ import annotations

from .commands import Run


def import_(run: Run, *, file: str, report: str | None, create_reports: bool, dry_run: bool, format: str | None) -> None:
    from .errors import TrackError

    raise TrackError("import is not built yet")


def export(run: Run, *, format: str | None, report: list[str] | None, as_of: str | None) -> None:
    from .errors import TrackError

    raise TrackError("export is not built yet")
