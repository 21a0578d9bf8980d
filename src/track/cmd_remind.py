"""`track remind`: what needs attention today, for cron and for people.

Registered on the app by the last line of cli.py. This declares the command line; the body
is remind_commands.remind (it asks `reminders.gather` for the sections and hands them to
`remind_views`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import complete, remind_commands
from .cli import AsOfOpt, app, runs


@app.command()
@runs(remind_commands.remind)
def remind(
    ctx: typer.Context,
    within: Annotated[str | None, typer.Option(metavar="DURATION",
                      help="The due-soon window, e.g. 14d or '1 month'. Default: [remind] within in track.toml, else 14 days.")] = None,
    stale: Annotated[str | None, typer.Option(metavar="DURATION",
                     help="Stale after this long with no event. Default: [remind] stale in track.toml, else 90 days.")] = None,
    as_of: AsOfOpt = None,
    format: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.remind_formats,
                      help="table, plain, json or markdown. Default: table on a terminal, plain when piped (as under cron).")] = None,
    fail_on_overdue: Annotated[bool, typer.Option("--fail-on-overdue",
                               help="Exit 3 when anything is past its date: an overdue recommendation, a passed "
                                    "response deadline, a missed follow-up report.")] = False,
) -> None:
    """Say what needs attention: overdue and due-soon recommendations, response clocks running
    out, follow-up reports the schedules expect, stale items. Prints nothing (and exits 0) when
    nothing does, so that cron mails only when there is something to do.

    Today is --as-of if given, else $TRACK_TODAY, else today's date in the ledger's time zone
    (timezone in track.toml), else the local date.

    \b
    Example, a crontab line (weekdays at 07:00; cron mails what it prints):
    0 7 * * 1-5  TRACK_LEDGER=/srv/ledger /opt/track/bin/track remind
    """
