"""The command line: thin commands that parse options, call the library and hand the result
to views. Expected failures become one line on stderr and their exit code."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import BadValue, TrackError

# --------------------------------------------------------------------------- start-up
# Typer 0.29 converts every non-flag parameter through a pydantic TypeAdapter, and importing
# pydantic costs more than the rest of a command. track's parameters are all text (str or
# list[str]) or flags, which need no conversion: give those a plain pass-through. Anything
# else still goes through Typer's own path. (tests/test_startup.py checks pydantic stays out.)


def _install_text_params() -> None:
    try:
        from dataclasses import dataclass

        from typer._coercion import RuntimeParam
        from typer.core import _TyperParameter
    except ImportError:  # a Typer without this internal: slower, still correct
        return

    @dataclass(frozen=True)
    class TextParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
            return str(value)

    @dataclass(frozen=True)
    class FlagParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return bool(value)

    original = _TyperParameter.get_runtime_param
    text_types = (str, list[str])

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if descriptor.file_annotation is None and descriptor.annotation in text_types:
                self._runtime_param = TextParam(descriptor.parameter_info, descriptor.annotation)
            elif descriptor.file_annotation is None and descriptor.annotation is bool and getattr(self, "is_flag", False):
                self._runtime_param = FlagParam(descriptor.parameter_info, descriptor.annotation)
        return original(self)

    _TyperParameter.get_runtime_param = get_runtime_param


_install_text_params()


# --------------------------------------------------------------------------- errors


class TrackGroup(TyperGroup):
    """Turns every expected failure into `track: message` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TrackError as error:
            typer.echo(f"track: {_one_line(str(error))}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            typer.echo("track: interrupted", err=True)
            ctx.exit(130)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:  # a bug: say so in one line, never a traceback
            if os.environ.get("TRACK_DEBUG"):
                raise
            if type(error).__module__.startswith("typer"):
                raise
            typer.echo(f"track: internal error: {type(error).__name__}: {_one_line(str(error))} "
                       "(set TRACK_DEBUG=1 to see where)", err=True)
            ctx.exit(1)


def _one_line(text: str) -> str:
    from .render import escape

    return escape(" ".join(text.split()))


app = typer.Typer(
    cls=TrackGroup,
    help="Keep a ledger of inspectorates' recommendations: responses, deadlines, follow-ups and history.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
reports_app = typer.Typer(
    help="Published reports: add, list and show them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(reports_app, name="reports")


class Context:
    def __init__(self, ledger_path: str | None) -> None:
        self.ledger_path = ledger_path
        self._ledger: Any = None

    @property
    def ledger(self) -> Any:
        if self._ledger is None:
            from .ledger import Ledger

            self._ledger = Ledger.find(self.ledger_path)
        return self._ledger


def _version(value: bool) -> None:
    if value:
        typer.echo(f"track {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    ledger: Annotated[Optional[str], typer.Option("--ledger", "-L", metavar="PATH",
                      help="The ledger folder. Default: $TRACK_LEDGER, else the nearest folder upwards holding track.toml.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    ctx.obj = Context(ledger)


def _ledger(ctx: typer.Context) -> Any:
    return ctx.find_root().obj.ledger


# --------------------------------------------------------------------------- shared options

FormatOpt = Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT",
                      help="table, plain, json, csv or markdown. Default: table on a terminal, plain when piped.")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE",
                    help="Show the ledger as it stood at the end of DATE (2017-05-24, 'May 2017' = its last day, '-3 months').")]


def _as_of(ledger: Any, text: str | None) -> date:
    from .dates import parse_date

    today = ledger.today()
    return parse_date(text, base=today, month="end", what="--as-of") if text else today


def _pairs(values: list[str] | None, what: str, number: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value in values or []:
        key, sep, raw = value.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key or not raw:
            raise BadValue(f"{what} {value!r} must be written KEY=VALUE")
        if number:
            try:
                out[key] = int(raw.replace(",", ""))
                if not -(2**63) <= out[key] < 2**63:
                    raise BadValue(f"{what} {value!r}: {raw!r} is too large for a TOML integer")
            except ValueError:
                try:
                    out[key] = float(raw)
                except ValueError:
                    raise BadValue(f"{what} {value!r}: {raw!r} is not a number") from None
        else:
            out[key] = raw
    return out


# --------------------------------------------------------------------------- init


@app.command()
def init(
    directory: Annotated[str, typer.Argument(metavar="DIR", help="Where to create the ledger (default: here).")] = ".",
    name: Annotated[Optional[str], typer.Option(help="The ledger's name (default: the folder's name).")] = None,
) -> None:
    """Create a ledger: track.toml, reports/, and a .gitignore for track's own files.

    Example: track init met-ledger
    """
    from .ledger import Ledger

    ledger = Ledger.init(directory, name)
    typer.echo(f"created ledger {ledger.name!r} in {ledger.root}")


# --------------------------------------------------------------------------- reports


@reports_app.command("add")
def reports_add(
    ctx: typer.Context,
    report_id: Annotated[str, typer.Argument(metavar="ID", help="The report's id, also its file name, e.g. hmic-2016-met-cp.")],
    title: Annotated[str, typer.Option(help="The report's title.")],
    by: Annotated[str, typer.Option(help="The issuing body, e.g. HMIC.")],
    subject: Annotated[str, typer.Option(help="The inspected body, e.g. 'Metropolitan Police Service'.")],
    published: Annotated[str, typer.Option(metavar="DATE", help="Publication date, e.g. 2016-11-24 or '24 November 2016'.")],
    kind: Annotated[str, typer.Option(help="inspection, follow-up, revisit, review, peel, thematic, investigation, prevention-of-future-deaths, audit or other.")] = "inspection",
    follows: Annotated[Optional[list[str]], typer.Option("--follows", metavar="ID", help="A report this one follows up (repeatable).")] = None,
    url: Annotated[Optional[str], typer.Option(help="Where the report is published.")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note on the report (e.g. that a date is approximate).")] = None,
    followup_every: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Follow-up reports expected every DURATION, e.g. '3 months'.")] = None,
    followup_from: Annotated[Optional[str], typer.Option(metavar="DATE", help="The first follow-up expected on DATE (default: publication + interval).")] = None,
    followup_until: Annotated[Optional[str], typer.Option(metavar="DATE", help="No follow-up expected after DATE.")] = None,
    revisit_by: Annotated[Optional[str], typer.Option(metavar="WHEN", help="A revisit promised 'within 12 months' or by a date.")] = None,
    response_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="The response clock, e.g. '56 days' (Police Act 1996 s.55).")] = None,
    figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY=N", help="A figure, e.g. 'cases reviewed=374' (repeatable).")] = None,
    grade: Annotated[Optional[list[str]], typer.Option(metavar="QUESTION=GRADE", help="A graded judgement, e.g. 'effectiveness=requires-improvement' (repeatable).")] = None,
) -> None:
    """Add a published report.

    Example: track reports add hmic-2016-met-cp --title "National child protection inspection" --by HMIC
    --subject "Metropolitan Police Service" --published 2016-11-25 --response-within "56 days"
    """
    report = _ledger(ctx).add_report(
        report_id, title=title, by=by, subject=subject, published=published, kind=kind,
        follows=follows or [], url=url, note=note, followup_every=followup_every,
        followup_from=followup_from, followup_until=followup_until, revisit_by=revisit_by,
        response_within=response_within, figures=_pairs(figure, "--figure", True),
        grades=_pairs(grade, "--grade", False),
    )
    typer.echo(f"added report {report.id} (published {report.published})")


def _counts(ledger: Any, report: Any, as_of: date) -> tuple[int, int]:
    from .model import state_at

    if report.published > as_of:
        return 0, 0
    states = [state_at(r, as_of) for r in report.recommendations]
    return len(states), sum(1 for s in states if not s.closed)


@reports_app.command("list")
def reports_list(ctx: typer.Context, format: FormatOpt = None, as_of: AsOfOpt = None) -> None:
    """List the reports, oldest first, with how many recommendations each has and how many are open."""
    from . import render, views

    fmt = render.choose_format(format)
    ledger = _ledger(ctx)
    day = _as_of(ledger, as_of)
    reports = sorted((r for r in ledger.reports.values() if r.published <= day), key=lambda r: (r.published, r.id))
    views.reports([views.report_fields(r, _counts(ledger, r, day)) for r in reports], fmt)


@reports_app.command("show")
def reports_show(
    ctx: typer.Context,
    report_id: Annotated[str, typer.Argument(metavar="ID", help="A report id or a unique prefix of one.")],
    format: FormatOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Show a report: its details, figures, grades, schedule and recommendations."""
    from . import query, render, views

    fmt = render.choose_format(format)
    ledger = _ledger(ctx)
    day = _as_of(ledger, as_of)
    report = ledger.report(report_id)
    if report.published > day:
        from .errors import UnknownId

        raise UnknownId(f"{report.id} was not published until {report.published} (asked as of {day})")
    items = query.select([report], query.Filter(), day)
    recs = [query.record(i, day) for i in query.sort_items(items, "issued", day)]
    followups = [r.id for r in ledger.followups(report) if r.published <= day]
    views.report_detail(views.report_fields(report, _counts(ledger, report, day)), recs, followups, fmt, day)


# --------------------------------------------------------------------------- add / update


@app.command()
def add(
    ctx: typer.Context,
    report: Annotated[str, typer.Argument(metavar="REPORT", help="The report that makes the recommendation (id or unique prefix).")],
    ref: Annotated[str, typer.Option(help="Its reference within the report, e.g. R3, C1 or AFI2.")],
    text: Annotated[str, typer.Option(help="What the report asks for, in its words or yours.")],
    kind: Annotated[str, typer.Option(help="recommendation, cause-of-concern or area-for-improvement.")] = "recommendation",
    answers: Annotated[Optional[str], typer.Option(metavar="CAUSE", help="The cause of concern this recommendation answers.")] = None,
    owner: Annotated[Optional[str], typer.Option(help="Who must act.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="A theme (repeatable).")] = None,
    due: Annotated[Optional[str], typer.Option(metavar="DATE", help="Due date: 2017-06-30, 'June 2017' (its last day), '+6 months' or '56 days after publication', counted from publication.")] = None,
    priority: Annotated[Optional[str], typer.Option(help="high, medium or low.")] = None,
) -> None:
    """Add a recommendation (or cause of concern, or area for improvement) to a report.

    Example: track add hmic-2016-met-cp --ref R1 --text "Appoint a chief officer lead for child protection" --due "+3 months"
    """
    rec = _ledger(ctx).add_recommendation(report, ref=ref, text=text, kind=kind, answers=answers, owner=owner,
                                          tags=tag or [], due=due, priority=priority)
    typer.echo(f"added {rec.id}" + (f" (due {rec.due})" if rec.due else ""))


@app.command()
def update(
    ctx: typer.Context,
    rec_id: Annotated[str, typer.Argument(metavar="ID", help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
    status: Annotated[Optional[str], typer.Option(help="not-started, in-progress, partially-implemented, reported-complete, implemented, not-implemented, superseded or withdrawn.")] = None,
    response: Annotated[Optional[str], typer.Option(help="accepted, partially-accepted, not-accepted or noted.")] = None,
    due: Annotated[Optional[str], typer.Option(metavar="DATE", help="A new due date (counted from the event's date when relative); needs --reason if one was set.")] = None,
    reason: Annotated[Optional[str], typer.Option(help="Why the due date changes.")] = None,
    owner: Annotated[Optional[str], typer.Option(help="A new owner.")] = None,
    note: Annotated[Optional[str], typer.Option(help="What happened.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where it is recorded: a follow-up report's id, or e.g. 'force update'.")] = None,
    evidence: Annotated[Optional[list[str]], typer.Option("--evidence", help="A link to evidence (repeatable).")] = None,
    superseded_by: Annotated[Optional[str], typer.Option(metavar="ID", help="The recommendation that replaces this one.")] = None,
    duplicate_of: Annotated[Optional[str], typer.Option(metavar="ID", help="The recommendation this one duplicates.")] = None,
    related: Annotated[Optional[list[str]], typer.Option("--related", metavar="ID", help="A related recommendation (repeatable).")] = None,
    when: Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="When it happened (default: today).")] = None,
) -> None:
    """Record what happened to a recommendation: one event in its history.

    Example: track update hmic-2016-met-cp/R1 --status in-progress --source hmic-2017-met-cp-q1 --date 2017-03-15 --note "Lead appointed"
    """
    ledger = _ledger(ctx)
    rec, event = ledger.update(rec_id, when=when, status=status, response=response, due=due, reason=reason, owner=owner,
                               note=note, source=source, evidence=evidence or [], superseded_by=superseded_by,
                               duplicate_of=duplicate_of, related=related or [])
    from .render import cell
    from .views import _changes_text

    from .query import event_fields

    changes = _changes_text(event_fields(event)) or "note"
    typer.echo(f"{rec.id}: {cell(changes)} ({event.date})")


# --------------------------------------------------------------------------- reading


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[Optional[list[str]], typer.Option("--status", "-s", help="A status, 'open' or 'closed' (repeatable, or comma-separated).")] = None,
    report: Annotated[Optional[str], typer.Option(metavar="REPORT", help="Only this report's recommendations.")] = None,
    subject: Annotated[Optional[str], typer.Option(help="Only reports on this inspected body (part of its name).")] = None,
    issued_by: Annotated[Optional[str], typer.Option(metavar="BODY", help="Only reports by this body (part of its name).")] = None,
    owner: Annotated[Optional[str], typer.Option(help="Only this owner (part of the name).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="Only with this theme (repeatable: any of them).")] = None,
    kind: Annotated[Optional[list[str]], typer.Option("--kind", help="recommendation, cause-of-concern or area-for-improvement (repeatable).")] = None,
    priority: Annotated[Optional[list[str]], typer.Option("--priority", help="high, medium or low (repeatable).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open items past their due date.")] = False,
    due_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Only open items due within DURATION, e.g. 30d.")] = None,
    stale: Annotated[bool, typer.Option("--stale", help="Only open items with no event for longer than the ledger's stale setting.")] = False,
    search: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Only items whose id, text, owner, tags or notes contain TEXT.")] = None,
    sort: Annotated[str, typer.Option(help="issued (default), id, due, status, owner, priority, last-event or overdue.")] = "issued",
    as_of: AsOfOpt = None,
    format: FormatOpt = None,
) -> None:
    """List recommendations (all of them unless filtered), as they stood on a date.

    Example: track list --status open --sort due
    """
    from . import query, render, views
    from .dates import parse_duration
    from .model import KINDS, PRIORITIES

    fmt = render.choose_format(format)
    ledger = _ledger(ctx)
    day = _as_of(ledger, as_of)
    for value, choices, what in ((kind or [], KINDS, "kind"), (priority or [], PRIORITIES, "priority")):
        for v in value:
            if v.lower() not in choices:
                raise BadValue(f"unknown {what} {v!r}: use one of {', '.join(choices)}")
    flt = query.Filter(
        statuses=status or [],
        subject=subject,
        issued_by=issued_by,
        owner=owner,
        tags=tag or [],
        kinds=kind or [],
        priorities=priority or [],
        overdue=overdue,
        due_within=parse_duration(due_within, "--due-within") if due_within else None,
        stale=ledger.setting_duration("stale") if stale else None,
        search=search,
    )
    query.expand_statuses(flt.statuses)
    reports = [ledger.report(report)] if report else list(ledger.reports.values())
    items = query.sort_items(query.select(reports, flt, day), sort, day)
    views.records(items, fmt, day)


@app.command()
def show(
    ctx: typer.Context,
    rec_id: Annotated[str, typer.Argument(metavar="ID", help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
    as_of: AsOfOpt = None,
    format: FormatOpt = None,
) -> None:
    """Show one recommendation and its history as a timeline.

    Example: track show hmic-2016-met-cp/R1 --as-of 2017-06-30
    """
    from . import query, render, views
    from .errors import UnknownId
    from .model import state_at

    fmt = render.choose_format(format)
    ledger = _ledger(ctx)
    day = _as_of(ledger, as_of)
    rec = ledger.resolve(rec_id)
    report = ledger.report_of(rec)
    if report.published > day:
        raise UnknownId(f"{rec.id} was not issued until {report.published} (asked as of {day})")
    item = query.Item(rec, report, state_at(rec, day))
    width = 100
    if fmt == "table":
        import shutil

        width = max(60, min(120, shutil.get_terminal_size((100, 24)).columns))
    views.detail(query.detail(item, day), fmt, day, width=width)


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the whole ledger: syntax, keys, values, links and dates. Exit 1 if anything is wrong."""
    from . import views

    ledger = _ledger(ctx)
    problems = ledger.check()
    if problems:
        views.problems(problems)
        count = len(problems)
        typer.echo(f"{count} problem{'s' if count != 1 else ''} in {ledger.root}", err=True)
        raise typer.Exit(1)
    count = sum(len(r.recommendations) for r in ledger.reports.values())
    typer.echo(f"ok: {len(ledger.reports)} reports, {count} recommendations, no problems")


@app.command()
def undo(ctx: typer.Context) -> None:
    """Revert the last change track made to the ledger (kept in .track/journal.json), and say what it was.

    It refuses, changing nothing, if a file has changed since track wrote it.
    """
    done = _ledger(ctx).undo()
    typer.echo(f"undid: {done}")


def _build_only_the_command(argv: list[str]) -> None:
    """Typer builds every command's parameters before running one; when the command line
    names a command, register only that one (help, completion and mistakes see them all)."""
    if any(k.startswith("_TRACK_COMPLETE") for k in os.environ):
        return
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--ledger", "-L"):
            i += 2
        elif arg.startswith("--ledger=") or (arg.startswith("-L") and len(arg) > 2):
            i += 1
        elif arg.startswith("-"):
            return
        else:
            break
    else:
        return
    name = argv[i]
    commands = [c for c in app.registered_commands
                if (c.name or (c.callback.__name__ if c.callback else "")).replace("_", "-") == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups


def main() -> None:
    _build_only_the_command(sys.argv[1:])
    try:
        app()
    except BrokenPipeError:
        # `track list | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


from . import cmd_remind  # noqa: E402,F401  (registers remind)
from . import cmd_report  # noqa: E402,F401  (registers report, history, reports update)
