"""track history: every event in date order."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, as_of_date
from track.domain.errors import BadValue


def history(run: Run, *, target: str | None, since: str | None, until: str | None, as_of: str | None,
            format: str | None, recorded_since: str | None = None) -> None:
    from track.domain import history as events
    from track.domain import progress
    from track.domain.dates import parse_date
    from track.views import formats
    from track.views import history as history_view

    fmt = formats.choose_format(format, formats.PAGE_FORMATS)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    today = ledger.today()
    start = parse_date(since, base=today, month="start", what="--since") if since else None
    end = parse_date(until, base=today, month="end", what="--until") if until else day
    if start is not None and until and start > end:
        raise BadValue(f"--since {start} is after --until {end}")
    end = min(end, day)
    entered = parse_date(recorded_since, base=today, month="start", what="--recorded-since") if recorded_since else None
    kind, recs, report_ = ("ledger", None, None)
    if target:
        kind, found, report_ = events.history_target(ledger.reports, ledger.resolve, target)
        if report_ is not None:
            recs = [rec for r in progress.scope_reports(ledger.reports, report_) for rec in r.recommendations]
        else:
            recs = found
    name = report_.id if report_ is not None else (recs[0].id if recs else None)
    result = events.history(ledger.reports, recs, since=start, until=end, target=name, kind=kind,
                              ledger_name=ledger.name, ledger_root=str(ledger.root), recorded_since=entered)
    history_view.history_view(result, fmt)


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import AsOfOpt, ReportFormatOpt, runs

    @app.command("history")
    @runs(history)
    def history_command(
        ctx: typer.Context,
        target: Annotated[Optional[str], typer.Argument(
            metavar="ID|REPORT", autocompletion=complete.targets, help="One recommendation, or one report and every report that follows it. Default: the whole ledger.")] = None,
        since: Annotated[Optional[str], typer.Option(
            metavar="DATE", help="Only events on or after DATE ('May 2017' or 'Q2 2017' = its first day, 'end of May 2017' = the 31st, '-3 months').")] = None,
        until: Annotated[Optional[str], typer.Option(
            metavar="DATE", help="Only events on or before DATE ('May 2017', 'Q2 2017' or 'end of May 2017' = its last day).")] = None,
        recorded_since: Annotated[Optional[str], typer.Option(
            metavar="DATE", help="Only what was entered on or after DATE, whatever its own date: events, recommendations and reports added, amendments (what changed since the last check). Entries older than this option record no such day and are left out.")] = None,
        as_of: AsOfOpt = None,
        format: ReportFormatOpt = None,
    ) -> None:
        """Every event in date order: what changed, its note and its source; each report's publication and each recommendation's issue are rows of their own.

        Example: track history hmic-2016-met-cp --since 2017-03-01 --until 2017-06-30

        What was entered since the last check: track history --recorded-since 2026-11-01
        """
