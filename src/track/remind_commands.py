"""The body of `track remind` (declared with Typer in cmd_remind.py): it reads the options,
asks `reminders.gather` for the sections and hands them to `remind_views`. No typer here;
see commands.py."""

from __future__ import annotations

from .commands import Run, as_of_date

EXIT_OVERDUE = 3


def remind(run: Run, *, within: str | None, stale: str | None, as_of: str | None, format: str | None,
           fail_on_overdue: bool) -> None:
    from . import remind_views, reminders, render
    from .dates import parse_duration

    fmt = render.choose_format(format, remind_views.FORMATS)
    window = parse_duration(within, "--within") if within is not None else None
    quiet = parse_duration(stale, "--stale") if stale is not None else None
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    found = reminders.gather(ledger, day, window, quiet)
    remind_views.show(found, fmt)
    if fail_on_overdue and found.late:
        raise SystemExit(EXIT_OVERDUE)
