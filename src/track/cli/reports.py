"""track reports add, list, show and update: the published reports."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

    from typer import Typer

    from track.domain.model import Report
    from track.ledger import Ledger

from track.cli.run import Run, as_of_date, echo, pairs
from track.domain.errors import BadValue


def _counts(ledger: "Ledger", report: "Report", day: "date") -> tuple[int, int]:
    from track.domain.model import state_at

    if report.published > day:
        return 0, 0
    states = [state_at(r, day) for r in report.recommendations]
    return len(states), sum(1 for s in states if not s.closed)


def reports_add(run: Run, *, report_id: str, title: str, by: str, subject: str, published: str, kind: str,
                follows: list[str] | None, url: str | None, note: str | None, followup_every: str | None,
                followup_from: str | None, followup_until: str | None, revisit_by: str | None,
                response_within: str | None, response_from: str | None, figure: list[str] | None,
                grade: list[str] | None) -> None:
    report = run.ledger.add_report(
        report_id, title=title, by=by, subject=subject, published=published, kind=kind,
        follows=follows or [], url=url, note=note, followup_every=followup_every,
        followup_from=followup_from, followup_until=followup_until, revisit_by=revisit_by,
        response_within=response_within, response_from=response_from, figures=pairs(figure, "--figure", True),
        grades=pairs(grade, "--grade", False),
    )
    echo(f"added report {report.id} (published {report.published})")


def reports_list(run: Run, *, format: str | None, as_of: str | None) -> None:
    from track.views import formats, records

    fmt = formats.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    reports = sorted((r for r in ledger.reports.values() if r.published <= day), key=lambda r: (r.published, r.id))
    records.reports([records.report_fields(r, _counts(ledger, r, day)) for r in reports], fmt)


def reports_show(run: Run, *, report_id: str, format: str | None, as_of: str | None) -> None:
    from track.domain import query
    from track.views import formats, records

    fmt = formats.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    report = ledger.report(report_id)
    if report.published > day:
        from track.domain.errors import UnknownId

        raise UnknownId(f"{report.id} was not published until {report.published} (asked as of {day})")
    items = query.select([report], query.Filter(), day)
    recs = [query.record(i, day) for i in query.sort_items(items, "issued", day)]
    followups = [r.id for r in ledger.followups(report) if r.published <= day]
    records.report_detail(records.report_fields(report, _counts(ledger, report, day)), recs, followups, fmt, day)


def reports_update(run: Run, *, report_id: str, title: str | None, by: str | None, subject: str | None,
                   kind: str | None, url: str | None, note: str | None, follows: list[str] | None,
                   grade: list[str] | None, remove_grade: list[str] | None, figure: list[str] | None,
                   remove_figure: list[str] | None, response_within: str | None, response_from: str | None,
                   revisit_by: str | None, followup_every: str | None, followup_from: str | None,
                   followup_until: str | None) -> None:
    from track.views.formats import cell

    given = [title, by, subject, kind, url, note, follows, grade, remove_grade, figure, remove_figure, response_within,
             response_from, revisit_by, followup_every, followup_from, followup_until]
    if all(v is None or v == [] for v in given):
        raise BadValue("nothing to change: give --title, --by, --subject, --kind, --url, --note, --follows, --grade, "
                       "--remove-grade, --figure, --remove-figure, --response-within, --response-from, --revisit-by or --followup-*")
    report_, changes = run.ledger.update_report(
        report_id, title=title, by=by, subject=subject, kind=kind, url=url, note=note, follows=follows or [],
        grades=pairs(grade, "--grade", False), remove_grades=remove_grade or [], figures=pairs(figure, "--figure", True),
        remove_figures=remove_figure or [], response_within=response_within, response_from=response_from,
        revisit_by=revisit_by,
        followup_every=followup_every, followup_from=followup_from, followup_until=followup_until,
    )
    if changes:
        echo(f"updated report {report_.id}: {cell('; '.join(changes))}")
    else:
        echo(f"report {report_.id} unchanged: it already says that")


def declare(reports_app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import AsOfOpt, FormatOpt, runs

    _declare_add(reports_app)

    @reports_app.command("list")
    @runs(reports_list)
    def reports_list_command(ctx: typer.Context, format: FormatOpt = None, as_of: AsOfOpt = None) -> None:
        """List the reports, oldest first, with how many recommendations each has and how many are open.

        Example: track reports list --as-of 2018-06-30
        """

    @reports_app.command("show")
    @runs(reports_show)
    def reports_show_command(
        ctx: typer.Context,
        report_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.report_ids, help="A report id or a unique prefix of one.")],
        format: FormatOpt = None,
        as_of: AsOfOpt = None,
    ) -> None:
        """Show a report: its details, figures, grades, schedule and recommendations.

        Example: track reports show hmic-2016-met-cp
        """

    @reports_app.command("update")
    @runs(reports_update)
    def reports_update_command(
        ctx: typer.Context,
        report_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.report_ids, help="A report id or a unique prefix of one.")],
        title: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A new title.")] = None,
        by: Annotated[Optional[str], typer.Option(metavar="BODY", autocompletion=complete.bodies, help="A new issuing body.")] = None,
        subject: Annotated[Optional[str], typer.Option(metavar="SUBJECT", autocompletion=complete.subjects, help="A new inspected body.")] = None,
        kind: Annotated[Optional[str], typer.Option(metavar="KIND", autocompletion=complete.report_kinds, help="A new kind: inspection, follow-up, revisit, review, peel, ...")] = None,
        url: Annotated[Optional[str], typer.Option(metavar="URL", help="A new url ('' removes it).")] = None,
        note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A new note ('' removes it).")] = None,
        follows: Annotated[Optional[list[str]], typer.Option("--follows", metavar="ID", autocompletion=complete.report_ids, help="Also follows this report (repeatable).")] = None,
        grade: Annotated[Optional[list[str]], typer.Option(
            metavar="QUESTION=GRADE", help="Record or change a graded judgement: outstanding, good, adequate, requires-improvement "
                                           "or inadequate (repeatable).")] = None,
        remove_grade: Annotated[Optional[list[str]], typer.Option(metavar="QUESTION", help="Remove a graded judgement (repeatable).")] = None,
        figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY=N", help="Record or change a figure (repeatable).")] = None,
        remove_figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY", help="Remove a figure (repeatable).")] = None,
        response_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="The response clock, e.g. '56 days' ('' removes it).")] = None,
        response_from: Annotated[Optional[str], typer.Option(
            metavar="TEXT", help="Whose response the clock waits for, e.g. 'the local policing body' ('' removes it).")] = None,
        revisit_by: Annotated[Optional[str], typer.Option(metavar="WHEN", help="A revisit promised 'within 12 months' or by a date ('' removes it).")] = None,
        followup_every: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Follow-ups expected every DURATION ('' removes the schedule).")] = None,
        followup_from: Annotated[Optional[str], typer.Option(metavar="DATE", help="The first follow-up expected on DATE.")] = None,
        followup_until: Annotated[Optional[str], typer.Option(metavar="DATE", help="No follow-up expected after DATE.")] = None,
    ) -> None:
        """Change a report's details, figures or graded judgements (its publication date stays).

        Example: track reports update peel-2017-met --grade "protecting vulnerable people=inadequate"
        """


def _declare_add(reports_app: "Typer") -> None:
    """track reports add, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import runs

    @reports_app.command("add")
    @runs(reports_add)
    def reports_add_command(
        ctx: typer.Context,
        report_id: Annotated[str, typer.Argument(metavar="ID", help="The report's id, also its file name, e.g. hmic-2016-met-cp.")],
        title: Annotated[str, typer.Option(metavar="TEXT", help="The report's title.")],
        by: Annotated[str, typer.Option(metavar="BODY", autocompletion=complete.bodies, help="The issuing body, e.g. HMIC.")],
        subject: Annotated[str, typer.Option(metavar="SUBJECT", autocompletion=complete.subjects, help="The inspected body, e.g. 'Metropolitan Police Service'.")],
        published: Annotated[str, typer.Option(metavar="DATE", help="Publication date, e.g. 2016-11-24 or '24 November 2016' (24/11/2016 reads one way; 10/08/2017 needs day_first = true in track.toml).")],
        kind: Annotated[str, typer.Option(metavar="KIND", autocompletion=complete.report_kinds, help="inspection, follow-up, revisit, review, peel, thematic, investigation, prevention-of-future-deaths, audit or other.")] = "inspection",
        follows: Annotated[Optional[list[str]], typer.Option("--follows", metavar="ID", autocompletion=complete.report_ids, help="A report this one follows up (repeatable).")] = None,
        url: Annotated[Optional[str], typer.Option(metavar="URL", help="Where the report is published.")] = None,
        note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="A note on the report (e.g. that a date is approximate).")] = None,
        followup_every: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Follow-up reports expected every DURATION, e.g. '3 months'.")] = None,
        followup_from: Annotated[Optional[str], typer.Option(metavar="DATE", help="The first follow-up expected on DATE (default: publication + interval).")] = None,
        followup_until: Annotated[Optional[str], typer.Option(metavar="DATE", help="No follow-up expected after DATE.")] = None,
        revisit_by: Annotated[Optional[str], typer.Option(metavar="WHEN", help="A revisit promised 'within 12 months' or by a date.")] = None,
        response_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="The response clock, e.g. '56 days' (Police Act 1996 s.55).")] = None,
        response_from: Annotated[Optional[str], typer.Option(
            metavar="TEXT", help="Whose response the clock waits for, e.g. 'the local policing body'.")] = None,
        figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY=N", help="A figure, e.g. 'cases reviewed=374' (repeatable).")] = None,
        grade: Annotated[Optional[list[str]], typer.Option(metavar="QUESTION=GRADE", help="A graded judgement, e.g. 'effectiveness=requires-improvement' (repeatable).")] = None,
    ) -> None:
        """Add a published report.

        Example: track reports add hmic-2016-met-cp --title "National child protection inspection" --by HMIC
        --subject "Metropolitan Police Service" --published 2016-11-25 --response-within "56 days"
        """
