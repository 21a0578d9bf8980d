"""track report: progress tables and the trend across follow-ups."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, as_of_date
from track.domain.errors import BadValue


def _format(text: str | None) -> str:
    from track.views import formats
    return formats.choose_format(text, formats.PAGE_FORMATS)


def report(run: Run, *, target: str | None, by: str | None, grades: bool, as_of: str | None, format: str | None,
           since: str | None = None, until: str | None = None, metrics: bool = False,
           years: str | None = None) -> None:
    from track.cli.owners import directory
    from track.domain import grades as graded
    from track.domain import progress
    from track.views import grades as grades_view
    from track.views import report

    fmt = _format(format)
    ledger = run.ledger
    start = None
    if until is not None:  # the period's end is the day everything is measured at
        if as_of is not None:
            raise BadValue("give --until or --as-of, not both: the period ends on the day the report is as of")
        as_of = until
    day = as_of_date(ledger, as_of)
    if since is not None:
        from track.domain.dates import parse_date

        start = parse_date(since, base=ledger.today(), month="start", what="--since")
        if start > day:
            raise BadValue(f"--since {start} is after the period's end ({day})")
    elif until is not None:
        raise BadValue("--until ends a period: give --since as well")
    if grades:
        if by is not None:
            raise BadValue("--by does not apply to --grades")
        tables = graded.grade_tables(ledger.reports, day, target)
        grades_view.grades_view(tables, day, ledger.name, str(ledger.root), fmt)
        return
    declared = ledger.fields
    if by is not None and by.strip().lower() not in progress.GROUP_BY:
        from track.domain.fields import find

        try:
            find(declared, by)
        except BadValue:
            raise BadValue(f"unknown --by {by!r}: use one of {', '.join([*progress.GROUP_BY, *declared])}") from None
    scope = ledger.report(target) if target else None
    if scope is not None and scope.published > day:
        from track.domain.errors import UnknownId

        raise UnknownId(f"{scope.id} was not published until {scope.published} (asked as of {day})")
    within = 4
    if years is not None:
        if not years.strip().isdigit() or not 1 <= int(years) <= 50:
            raise BadValue(f"--years {years!r}: give a whole number of years from 1 to 50")
        within = int(years)
        metrics = True
    result = progress.progress(ledger.reports, day, scope=scope, by=by, ledger_name=ledger.name, ledger_root=str(ledger.root),
                               since=start, metrics_years=within if metrics else None, declared=declared,
                               owners=directory(ledger))
    result.evidence_after = ledger.evidence_after
    grade_tables = None
    if fmt == "html" and (scope is None or scope.grades):  # the page shows the graded judgements too
        grade_tables = graded.grade_tables(ledger.reports, day, scope.id if scope is not None else None)
    report.progress_report(result, fmt, grades=grade_tables)


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import AsOfOpt, ReportFormatOpt, runs

    @app.command("report")
    @runs(report)
    def report_command(
        ctx: typer.Context,
        target: Annotated[Optional[str], typer.Argument(
            metavar="REPORT", autocompletion=complete.report_targets,
            help="One report (id or unique prefix) and every report that follows it; with --grades, a subject "
                                     "(part of its name) or a report whose subject to show. Default: the whole ledger.")] = None,
        by: Annotated[Optional[str], typer.Option(
            "--by", metavar="GROUP", autocompletion=complete.report_groupings, help="Group by status, kind, owner, tag, report, subject or response, "
                                          "or one of the ledger's own fields (track.toml [fields]: --by risk; those without a value under (none)). "
                                          "Default: report for the whole ledger, status for one report.")] = None,
        grades: Annotated[bool, typer.Option(
            "--grades", help="Show each graded question at every inspection of a subject side by side, with the direction of change.")] = False,
        since: Annotated[Optional[str], typer.Option(
            metavar="DATE", help="Also show what happened from DATE to the end (--until, else --as-of or today), per group: issued, closed and how, reopened, due dates moved, open at the end. A quarter ('2026-Q3') or month means its first day.")] = None,
        until: Annotated[Optional[str], typer.Option(
            metavar="DATE", help="The period's last day ('2026-Q3' = 30 September): the report is as of that day.")] = None,
        metrics: Annotated[bool, typer.Option(
            "--metrics", help="Also give the measures oversight bodies publish: the share implemented within N years of issue by year of issue (as the US GAO reports it), median and mean days to close, the share closed by the original and by the revised due date, open items by age band, and open overdue against not yet due.")] = False,
        years: Annotated[Optional[str], typer.Option(
            metavar="N", help="The N of --metrics' implementation rate (default 4).")] = None,
        as_of: AsOfOpt = None,
        format: ReportFormatOpt = None,
    ) -> None:
        """How far things have got: counts by status, duplicates, share closed and implemented, overdue,
        due in the next 30 days, no response recorded (whatever the status) and response overdue, per
        group with a total; duplicates are counted with the one they duplicate; then the trend of
        each report that has follow-ups (its recommendations' status at each follow-up's publication):
        in full for one report, or for the whole ledger when at most five reports have follow-ups,
        else one line each; with --since, what happened in the period. JSON: as_of, ledger, report,
        reports, by, groups, total, trend, movement, period.

        Example: track report hmic-2016-met-cp --as-of 2017-06-30 --format html > met-progress.html

        A quarter for the committee: track report --since 2026-Q3 --until 2026-Q3 --format markdown

        By one of the ledger's own fields: track report --by risk --as-of 2018-06-30
        """
