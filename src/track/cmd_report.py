"""The commands `report`, `history` and `reports update`: thin layers that parse options, call
progress (or report_edit) and hand the results to progress_views."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .cli import AsOfOpt, _as_of, _ledger, _pairs, app, reports_app
from .errors import BadValue

ReportFormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", metavar="FORMAT",
    help="table, plain, json, csv, markdown or html (one self-contained page). Default: table on a terminal, plain when piped.")]


def _format(text: str | None) -> str:
    from . import render
    from .progress_views import FORMATS

    return render.choose_format(text, FORMATS)


@app.command("report")
def report(
    ctx: typer.Context,
    target: Annotated[Optional[str], typer.Argument(
        metavar="REPORT", help="One report (id or unique prefix) and every report that follows it; with --grades, a subject "
                                 "(part of its name) or a report whose subject to show. Default: the whole ledger.")] = None,
    by: Annotated[Optional[str], typer.Option(
        "--by", metavar="GROUP", help="Group by status, kind, owner, tag, report, subject or response. "
                                      "Default: report for the whole ledger, status for one report.")] = None,
    grades: Annotated[bool, typer.Option(
        "--grades", help="Show each graded question at every inspection of a subject side by side, with the direction of change.")] = False,
    as_of: AsOfOpt = None,
    format: ReportFormatOpt = None,
) -> None:
    """How far things have got: counts by status, share closed and implemented, overdue, due in the
    next 30 days, awaiting response and response overdue, per group with a total; then the trend of
    each report that has follow-ups (its recommendations' status at each follow-up's publication):
    in full for one report, or for the whole ledger when at most five reports have follow-ups,
    else one line each. JSON: as_of, ledger, report, reports, by, groups, total, trend, movement.

    Example: track report hmic-2016-met-cp --as-of 2017-06-30 --format html > met-progress.html
    """
    from . import progress, progress_views

    fmt = _format(format)
    ledger = _ledger(ctx)
    day = _as_of(ledger, as_of)
    if grades:
        if by is not None:
            raise BadValue("--by does not apply to --grades")
        tables = progress.grade_tables(ledger.reports, day, target)
        progress_views.grades_view(tables, day, ledger.name, str(ledger.root), fmt)
        return
    if by is not None and by.strip().lower() not in progress.GROUP_BY:
        raise BadValue(f"unknown --by {by!r}: use one of {', '.join(progress.GROUP_BY)}")
    scope = ledger.report(target) if target else None
    if scope is not None and scope.published > day:
        from .errors import UnknownId

        raise UnknownId(f"{scope.id} was not published until {scope.published} (asked as of {day})")
    result = progress.progress(ledger.reports, day, scope=scope, by=by, ledger_name=ledger.name, ledger_root=str(ledger.root))
    progress_views.progress_report(result, fmt)


@app.command("history")
def history(
    ctx: typer.Context,
    target: Annotated[Optional[str], typer.Argument(
        metavar="ID|REPORT", help="One recommendation, or one report and every report that follows it. Default: the whole ledger.")] = None,
    since: Annotated[Optional[str], typer.Option(
        metavar="DATE", help="Only events on or after DATE ('May 2017' = its first day, '-3 months').")] = None,
    until: Annotated[Optional[str], typer.Option(
        metavar="DATE", help="Only events on or before DATE ('May 2017' = its last day).")] = None,
    as_of: AsOfOpt = None,
    format: ReportFormatOpt = None,
) -> None:
    """Every event in date order: what changed, its note and its source.

    Example: track history hmic-2016-met-cp --since 2017-03-01 --until 2017-06-30
    """
    from . import progress, progress_views
    from .dates import parse_date

    fmt = _format(format)
    ledger = _ledger(ctx)
    day = _as_of(ledger, as_of)
    today = ledger.today()
    start = parse_date(since, base=today, month="start", what="--since") if since else None
    end = parse_date(until, base=today, month="end", what="--until") if until else day
    if start is not None and until and start > end:
        raise BadValue(f"--since {start} is after --until {end}")
    end = min(end, day)
    kind, recs, report_ = ("ledger", None, None)
    if target:
        kind, found, report_ = progress.history_target(ledger.reports, ledger.resolve, target)
        if report_ is not None:
            recs = [rec for r in progress.scope_reports(ledger.reports, report_) for rec in r.recommendations]
        else:
            recs = found
    name = report_.id if report_ is not None else (recs[0].id if recs else None)
    result = progress.history(ledger.reports, recs, since=start, until=end, target=name, kind=kind,
                              ledger_name=ledger.name, ledger_root=str(ledger.root))
    progress_views.history_view(result, fmt)


@reports_app.command("update")
def reports_update(
    ctx: typer.Context,
    report_id: Annotated[str, typer.Argument(metavar="ID", help="A report id or a unique prefix of one.")],
    title: Annotated[Optional[str], typer.Option(help="A new title.")] = None,
    by: Annotated[Optional[str], typer.Option(help="A new issuing body.")] = None,
    subject: Annotated[Optional[str], typer.Option(help="A new inspected body.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="A new kind: inspection, follow-up, revisit, review, peel, ...")] = None,
    url: Annotated[Optional[str], typer.Option(help="A new url ('' removes it).")] = None,
    note: Annotated[Optional[str], typer.Option(help="A new note ('' removes it).")] = None,
    follows: Annotated[Optional[list[str]], typer.Option("--follows", metavar="ID", help="Also follows this report (repeatable).")] = None,
    grade: Annotated[Optional[list[str]], typer.Option(
        metavar="QUESTION=GRADE", help="Record or change a graded judgement: outstanding, good, adequate, requires-improvement "
                                       "or inadequate (repeatable).")] = None,
    remove_grade: Annotated[Optional[list[str]], typer.Option(metavar="QUESTION", help="Remove a graded judgement (repeatable).")] = None,
    figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY=N", help="Record or change a figure (repeatable).")] = None,
    remove_figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY", help="Remove a figure (repeatable).")] = None,
    response_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="The response clock, e.g. '56 days' ('' removes it).")] = None,
    revisit_by: Annotated[Optional[str], typer.Option(metavar="WHEN", help="A revisit promised 'within 12 months' or by a date ('' removes it).")] = None,
    followup_every: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Follow-ups expected every DURATION ('' removes the schedule).")] = None,
    followup_from: Annotated[Optional[str], typer.Option(metavar="DATE", help="The first follow-up expected on DATE.")] = None,
    followup_until: Annotated[Optional[str], typer.Option(metavar="DATE", help="No follow-up expected after DATE.")] = None,
) -> None:
    """Change a report's details, figures or graded judgements (its publication date stays).

    Example: track reports update peel-2017-met --grade "protecting vulnerable people=inadequate"
    """
    from .render import cell
    from .report_edit import update_report

    given = [title, by, subject, kind, url, note, follows, grade, remove_grade, figure, remove_figure, response_within,
             revisit_by, followup_every, followup_from, followup_until]
    if all(v is None or v == [] for v in given):
        raise BadValue("nothing to change: give --title, --by, --subject, --kind, --url, --note, --follows, --grade, "
                       "--remove-grade, --figure, --remove-figure, --response-within, --revisit-by or --followup-*")
    report_, changes = update_report(
        _ledger(ctx), report_id, title=title, by=by, subject=subject, kind=kind, url=url, note=note, follows=follows or [],
        grades=_pairs(grade, "--grade", False), remove_grades=remove_grade or [], figures=_pairs(figure, "--figure", True),
        remove_figures=remove_figure or [], response_within=response_within, revisit_by=revisit_by,
        followup_every=followup_every, followup_from=followup_from, followup_until=followup_until,
    )
    if changes:
        typer.echo(f"updated report {report_.id}: {cell('; '.join(changes))}")
    else:
        typer.echo(f"report {report_.id} unchanged: it already says that")
