"""The commands `report`, `history` and `reports update`, declared with Typer; their bodies
(which call progress or report_edit and hand the results to progress_views) are in
report_commands.py."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import complete, report_commands
from .cli import AsOfOpt, app, reports_app, runs

ReportFormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", metavar="FORMAT", autocompletion=complete.report_formats,
    help="table, plain, json, csv, markdown or html (one self-contained page). Default: table on a terminal, plain when piped.")]


@app.command("report")
@runs(report_commands.report)
def report(
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
    """How far things have got: counts by status, share closed and implemented, overdue, due in the
    next 30 days, awaiting response and response overdue, per group with a total; then the trend of
    each report that has follow-ups (its recommendations' status at each follow-up's publication):
    in full for one report, or for the whole ledger when at most five reports have follow-ups,
    else one line each. JSON: as_of, ledger, report, reports, by, groups, total, trend, movement.

    Example: track report hmic-2016-met-cp --as-of 2017-06-30 --format html > met-progress.html
    """


@app.command("history")
@runs(report_commands.history)
def history(
    ctx: typer.Context,
    target: Annotated[Optional[str], typer.Argument(
        metavar="ID|REPORT", autocompletion=complete.targets, help="One recommendation, or one report and every report that follows it. Default: the whole ledger.")] = None,
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


@reports_app.command("update")
@runs(report_commands.reports_update)
def reports_update(
    ctx: typer.Context,
    report_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.report_ids, help="A report id or a unique prefix of one.")],
    title: Annotated[Optional[str], typer.Option(help="A new title.")] = None,
    by: Annotated[Optional[str], typer.Option(autocompletion=complete.bodies, help="A new issuing body.")] = None,
    subject: Annotated[Optional[str], typer.Option(autocompletion=complete.subjects, help="A new inspected body.")] = None,
    kind: Annotated[Optional[str], typer.Option(autocompletion=complete.report_kinds, help="A new kind: inspection, follow-up, revisit, review, peel, ...")] = None,
    url: Annotated[Optional[str], typer.Option(help="A new url ('' removes it).")] = None,
    note: Annotated[Optional[str], typer.Option(help="A new note ('' removes it).")] = None,
    follows: Annotated[Optional[list[str]], typer.Option("--follows", metavar="ID", autocompletion=complete.report_ids, help="Also follows this report (repeatable).")] = None,
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
