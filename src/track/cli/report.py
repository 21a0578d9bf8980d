"""track report: progress tables and the trend across follow-ups."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, as_of_date
from track.domain.errors import BadValue


def _format(text: str | None) -> str:
    from track.views import formats
    return formats.choose_format(text, formats.PAGE_FORMATS)


def report(run: Run, *, target: str | None, by: str | None, grades: bool, as_of: str | None, format: str | None) -> None:
    from track.domain import grades as graded
    from track.domain import progress
    from track.views import grades as grades_view
    from track.views import report

    fmt = _format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    if grades:
        if by is not None:
            raise BadValue("--by does not apply to --grades")
        tables = graded.grade_tables(ledger.reports, day, target)
        grades_view.grades_view(tables, day, ledger.name, str(ledger.root), fmt)
        return
    if by is not None and by.strip().lower() not in progress.GROUP_BY:
        raise BadValue(f"unknown --by {by!r}: use one of {', '.join(progress.GROUP_BY)}")
    scope = ledger.report(target) if target else None
    if scope is not None and scope.published > day:
        from track.domain.errors import UnknownId

        raise UnknownId(f"{scope.id} was not published until {scope.published} (asked as of {day})")
    result = progress.progress(ledger.reports, day, scope=scope, by=by, ledger_name=ledger.name, ledger_root=str(ledger.root))
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
            "--by", metavar="GROUP", autocompletion=complete.groupings, help="Group by status, kind, owner, tag, report, subject or response. "
                                          "Default: report for the whole ledger, status for one report.")] = None,
        grades: Annotated[bool, typer.Option(
            "--grades", help="Show each graded question at every inspection of a subject side by side, with the direction of change.")] = False,
        as_of: AsOfOpt = None,
        format: ReportFormatOpt = None,
    ) -> None:
        """How far things have got: counts by status, duplicates, share closed and implemented, overdue,
        due in the next 30 days, no response recorded (whatever the status) and response overdue, per
        group with a total; duplicates are counted with the one they duplicate; then the trend of
        each report that has follow-ups (its recommendations' status at each follow-up's publication):
        in full for one report, or for the whole ledger when at most five reports have follow-ups,
        else one line each. JSON: as_of, ledger, report, reports, by, groups, total, trend, movement.

        Example: track report hmic-2016-met-cp --as-of 2017-06-30 --format html > met-progress.html
        """
