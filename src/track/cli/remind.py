"""track remind: what needs attention today, for cron and for people."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, as_of_date

EXIT_OVERDUE = 3


def remind(run: Run, *, within: str | None, stale: str | None, as_of: str | None, format: str | None,
           fail_on_overdue: bool) -> None:
    from track.domain.dates import parse_duration
    from track.views import formats
    from track.views import remind as remind_view

    fmt = formats.choose_format(format, formats.REMIND_FORMATS)
    window = parse_duration(within, "--within") if within is not None else None
    quiet = parse_duration(stale, "--stale") if stale is not None else None
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    found = ledger.reminders(day, window, quiet)
    remind_view.show(found, fmt)
    if fail_on_overdue and found.late:
        raise SystemExit(EXIT_OVERDUE)


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated

    import typer

    from track.cli import complete
    from track.cli.declare import AsOfOpt, runs

    @app.command("remind")
    @runs(remind)
    def remind_command(
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
