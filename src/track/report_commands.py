"""The bodies of `report`, `history` and `reports update` (declared with Typer in
cmd_report.py): they call progress (or report_edit) and hand the results to progress_views.
No typer here; see commands.py."""

from __future__ import annotations

from .commands import Run, as_of_date, echo, pairs
from .errors import BadValue


def _format(text: str | None) -> str:
    from . import render
    from .progress_views import FORMATS

    return render.choose_format(text, FORMATS)


def report(run: Run, *, target: str | None, by: str | None, grades: bool, as_of: str | None, format: str | None) -> None:
    from . import progress, progress_views

    fmt = _format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
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


def history(run: Run, *, target: str | None, since: str | None, until: str | None, as_of: str | None,
            format: str | None) -> None:
    from . import progress, progress_views
    from .dates import parse_date

    fmt = _format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
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


def reports_update(run: Run, *, report_id: str, title: str | None, by: str | None, subject: str | None,
                   kind: str | None, url: str | None, note: str | None, follows: list[str] | None,
                   grade: list[str] | None, remove_grade: list[str] | None, figure: list[str] | None,
                   remove_figure: list[str] | None, response_within: str | None, revisit_by: str | None,
                   followup_every: str | None, followup_from: str | None, followup_until: str | None) -> None:
    from .render import cell
    from .report_edit import update_report

    given = [title, by, subject, kind, url, note, follows, grade, remove_grade, figure, remove_figure, response_within,
             revisit_by, followup_every, followup_from, followup_until]
    if all(v is None or v == [] for v in given):
        raise BadValue("nothing to change: give --title, --by, --subject, --kind, --url, --note, --follows, --grade, "
                       "--remove-grade, --figure, --remove-figure, --response-within, --revisit-by or --followup-*")
    report_, changes = update_report(
        run.ledger, report_id, title=title, by=by, subject=subject, kind=kind, url=url, note=note, follows=follows or [],
        grades=pairs(grade, "--grade", False), remove_grades=remove_grade or [], figures=pairs(figure, "--figure", True),
        remove_figures=remove_figure or [], response_within=response_within, revisit_by=revisit_by,
        followup_every=followup_every, followup_from=followup_from, followup_until=followup_until,
    )
    if changes:
        echo(f"updated report {report_.id}: {cell('; '.join(changes))}")
    else:
        echo(f"report {report_.id} unchanged: it already says that")
