"""What each command does. The command line itself (options, help, errors of usage) is
declared once, with Typer, in cli.py, cmd_report.py and cmd_remind.py; each Typer function
there only hands its values to the body of the same name here (report_commands.py and
remind_commands.py hold the bodies of the other two modules).

Nothing here imports typer: the fast path (fastpath.py) calls these bodies directly when
the command line is well formed. A body takes a `Run` and keyword arguments named as the
Typer function's parameters, with the values Typer would pass (None, False or the default
when not given; a list for a repeatable option). It prints with `echo` and ends with
`raise SystemExit(code)` when the exit code is not 0 (never typer.Exit).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # no typing or datetime to import for --version
    from datetime import date
    from typing import Any

from . import __version__
from .errors import BadValue, TrackError

# --------------------------------------------------------------------------- running


class Run:
    """What every body gets: which ledger (--ledger), opened when first asked for."""

    def __init__(self, ledger_path: str | None = None) -> None:
        self.ledger_path = ledger_path
        self._ledger: Any = None

    @property
    def ledger(self) -> Any:
        if self._ledger is None:
            from .ledger import Ledger

            self._ledger = Ledger.find(self.ledger_path)
        return self._ledger


def echo(message: str = "", err: bool = False) -> None:
    """click.echo for text: the message and a newline, flushed; ANSI codes removed unless
    the stream is a terminal."""
    stream = sys.stderr if err else sys.stdout
    text = f"{message}\n"
    if "\x1b" in text and not _isatty(stream):
        import re

        text = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", text)
    stream.write(text)
    stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


def one_line(text: str) -> str:
    from .render import escape

    return escape(" ".join(text.split()))


def failure(error: BaseException) -> int | None:
    """Says what went wrong, in one line on stderr, and returns the exit code; None when the
    error must propagate (a bug under TRACK_DEBUG=1). Used by both paths: cli.TrackGroup and
    the fast path."""
    if isinstance(error, TrackError):
        echo(f"track: {one_line(str(error))}", err=True)
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        echo("track: interrupted", err=True)
        return 130
    if isinstance(error, BrokenPipeError):
        # `track list | head`: the reader left; say nothing more.
        silence_stdout()
        return 1
    if os.environ.get("TRACK_DEBUG"):
        return None
    echo(f"track: internal error: {type(error).__name__}: {one_line(str(error))} (set TRACK_DEBUG=1 to see where)",
         err=True)
    return 1


def silence_stdout() -> None:
    """After a broken pipe: whatever is still buffered goes nowhere, quietly, at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


# --------------------------------------------------------------------------- the group


def start(run: Run, *, ledger: str | None, version: Any) -> None:
    """The options before the command. (--version is done by its callback, show_version.)"""
    run.ledger_path = ledger


def show_version(value: bool) -> None:
    """The --version callback."""
    if value:
        echo(f"track {__version__}")
        raise SystemExit(0)


# --------------------------------------------------------------------------- shared helpers


def as_of_date(ledger: Any, text: str | None) -> date:
    """The day an --as-of TEXT names (its month's last day for a month), else today."""
    from .dates import parse_date

    today = ledger.today()
    return parse_date(text, base=today, month="end", what="--as-of") if text else today


def pairs(values: list[str] | None, what: str, number: bool) -> dict[str, Any]:
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


def _counts(ledger: Any, report: Any, day: date) -> tuple[int, int]:
    from .model import state_at

    if report.published > day:
        return 0, 0
    states = [state_at(r, day) for r in report.recommendations]
    return len(states), sum(1 for s in states if not s.closed)


# --------------------------------------------------------------------------- init


def init(run: Run, *, directory: str, name: str | None, git: bool) -> None:
    from pathlib import Path

    from . import store
    from .ledger import Ledger

    root = Path(directory)
    if git:
        from . import gitstore

        gitstore.require()
        if (root / store.SETTINGS).exists():  # a fresh clone: git's merge set-up lives in each clone
            for line in gitstore.set_up(root):
                echo(line)
            try:
                wanted = gitstore.wanted(store.load_settings(root))
            except TrackError:
                wanted = True  # `track check` says what is wrong with it
            if not wanted:
                echo(f"to commit each change, add [git] commit = true to {root / store.SETTINGS} and commit it")
            return
    ours = [store.SETTINGS, *([".gitignore"] if not (root / ".gitignore").exists() else [])]
    ledger = Ledger.init(directory, name, git=git)
    echo(f"created ledger {ledger.name!r} in {ledger.root}")
    if git:
        for line in gitstore.set_up(ledger.root):
            echo(line)
        created = [*ours, gitstore.ATTRIBUTES]
        if gitstore.committed(ledger.root, created, f"create ledger {ledger.name}") is None:
            echo(f"committed {', '.join(created)}")


# --------------------------------------------------------------------------- reports


def reports_add(run: Run, *, report_id: str, title: str, by: str, subject: str, published: str, kind: str,
                follows: list[str] | None, url: str | None, note: str | None, followup_every: str | None,
                followup_from: str | None, followup_until: str | None, revisit_by: str | None,
                response_within: str | None, figure: list[str] | None, grade: list[str] | None) -> None:
    report = run.ledger.add_report(
        report_id, title=title, by=by, subject=subject, published=published, kind=kind,
        follows=follows or [], url=url, note=note, followup_every=followup_every,
        followup_from=followup_from, followup_until=followup_until, revisit_by=revisit_by,
        response_within=response_within, figures=pairs(figure, "--figure", True),
        grades=pairs(grade, "--grade", False),
    )
    echo(f"added report {report.id} (published {report.published})")


def reports_list(run: Run, *, format: str | None, as_of: str | None) -> None:
    from . import render, views

    fmt = render.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    reports = sorted((r for r in ledger.reports.values() if r.published <= day), key=lambda r: (r.published, r.id))
    views.reports([views.report_fields(r, _counts(ledger, r, day)) for r in reports], fmt)


def reports_show(run: Run, *, report_id: str, format: str | None, as_of: str | None) -> None:
    from . import query, render, views

    fmt = render.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    report = ledger.report(report_id)
    if report.published > day:
        from .errors import UnknownId

        raise UnknownId(f"{report.id} was not published until {report.published} (asked as of {day})")
    items = query.select([report], query.Filter(), day)
    recs = [query.record(i, day) for i in query.sort_items(items, "issued", day)]
    followups = [r.id for r in ledger.followups(report) if r.published <= day]
    views.report_detail(views.report_fields(report, _counts(ledger, report, day)), recs, followups, fmt, day)


# --------------------------------------------------------------------------- add / update


def add(run: Run, *, report: str, ref: str, text: str, kind: str, answers: str | None, owner: str | None,
        tag: list[str] | None, due: str | None, priority: str | None) -> None:
    rec = run.ledger.add_recommendation(report, ref=ref, text=text, kind=kind, answers=answers, owner=owner,
                                        tags=tag or [], due=due, priority=priority)
    echo(f"added {rec.id}" + (f" (due {rec.due})" if rec.due else ""))


def update(run: Run, *, rec_id: str, status: str | None, response: str | None, due: str | None, reason: str | None,
           owner: str | None, note: str | None, source: str | None, evidence: list[str] | None,
           superseded_by: str | None, duplicate_of: str | None, related: list[str] | None, when: str | None) -> None:
    ledger = run.ledger
    rec, event = ledger.update(rec_id, when=when, status=status, response=response, due=due, reason=reason, owner=owner,
                               note=note, source=source, evidence=evidence or [], superseded_by=superseded_by,
                               duplicate_of=duplicate_of, related=related or [])
    from .query import event_fields
    from .render import cell
    from .views import _changes_text

    changes = _changes_text(event_fields(event)) or "note"
    echo(f"{rec.id}: {cell(changes)} ({event.date})")


# --------------------------------------------------------------------------- reading


def list_(run: Run, *, status: list[str] | None, report: str | None, subject: str | None, issued_by: str | None,
          owner: str | None, tag: list[str] | None, kind: list[str] | None, priority: list[str] | None, overdue: bool,
          due_within: str | None, stale: bool, search: str | None, sort: str, as_of: str | None,
          format: str | None) -> None:
    from . import query, render, views
    from .dates import parse_duration
    from .model import KINDS, PRIORITIES

    fmt = render.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
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


def show(run: Run, *, rec_id: str, as_of: str | None, format: str | None) -> None:
    from . import query, render, views
    from .errors import UnknownId
    from .model import state_at

    fmt = render.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
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


def check(run: Run) -> None:
    from . import views
    from .bars import bar

    ledger = run.ledger
    with bar("checking reports") as progress:  # on a terminal, for a large or slow ledger
        problems = ledger.check(progress=progress)
    if problems:
        views.problems(problems)
        count = len(problems)
        echo(f"{count} problem{'s' if count != 1 else ''} in {ledger.root}", err=True)
        raise SystemExit(1)
    count = sum(len(r.recommendations) for r in ledger.reports.values())
    reports = len(ledger.reports)
    echo(f"ok: {reports:,} report{'s' if reports != 1 else ''}, {count:,} recommendation{'s' if count != 1 else ''}, no problems")


def undo(run: Run) -> None:
    done = run.ledger.undo()
    echo(f"undid: {done}")

