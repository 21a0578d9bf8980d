"""What needs attention on a date, in the sections `track remind` prints. Pure: a ledger and
a date in, plain data out; nothing here knows about the terminal.

- overdue: open recommendations past their due date, oldest due date first;
- due_soon: open recommendations due from the date to the end of the window;
- responses_due: reports whose response clock has run out, or runs out within the window,
  while some of their recommendations still await a response;
- followups_expected: follow-up reports (or a revisit) that a schedule expected by the end of
  the window and that have not been recorded (missed ones first, as they are earliest);
- stale: open recommendations with no event for the stale period or longer (counted from
  publication when they have none), the longest quiet first. As with `track list --stale`.

Everything is as the ledger stood at the end of `as_of`: reports published later, and events
dated later, do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from . import schedule
from .dates import Duration
from .model import Recommendation, Report, State
from .query import natural

if TYPE_CHECKING:
    from .ledger import Ledger


@dataclass(frozen=True)
class Due:
    """An open recommendation in the overdue or due-soon section."""

    id: str
    report: str
    text: str
    status: str
    due: date
    days: int  # overdue: days past the due date; due soon: days left (0 = due today)
    owner: str | None


@dataclass(frozen=True)
class ResponseDue:
    report: str
    title: str
    published: date
    within: Duration
    deadline: date
    days: int  # deadline minus as-of: negative once passed
    awaiting: tuple[str, ...]
    issued: int


@dataclass(frozen=True)
class FollowupExpected:
    report: str
    title: str
    kind: str  # "follow-up" or "revisit"
    number: int
    expected: date
    days: int  # expected minus as-of: negative once missed
    missed: bool
    schedule: str  # "every 3 months from 2017-03-01 until 2018-02-28", "within 12 months", "by 2019-06-30"
    last_followup: str | None  # the latest follow-up report recorded by then, if any


@dataclass(frozen=True)
class Stale:
    id: str
    report: str
    text: str
    status: str
    last_event: date | None  # None: no event since it was issued
    since: date  # the last event, else the publication
    days: int  # days since `since`
    owner: str | None


@dataclass
class Reminders:
    ledger: str
    as_of: date
    within: Duration
    stale_after: Duration
    due_by: date
    overdue: list[Due] = field(default_factory=list)
    due_soon: list[Due] = field(default_factory=list)
    responses_due: list[ResponseDue] = field(default_factory=list)
    followups_expected: list[FollowupExpected] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing needs attention: `remind` prints nothing."""
        return not (self.overdue or self.due_soon or self.responses_due or self.followups_expected or self.stale)

    @property
    def late(self) -> bool:
        """Something is past its date: an overdue recommendation, a response deadline that has
        passed with responses still awaited, or a missed follow-up (`--fail-on-overdue`)."""
        return bool(self.overdue) or any(r.days < 0 for r in self.responses_due) or any(f.missed for f in self.followups_expected)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON fields (dates stay date objects; render writes them ISO)."""
        return {
            "ledger": self.ledger,
            "as_of": self.as_of,
            "within": str(self.within),
            "due_by": self.due_by,
            "stale_after": str(self.stale_after),
            "overdue": [_due_fields(d) for d in self.overdue],
            "due_soon": [_due_fields(d) for d in self.due_soon],
            "responses_due": [
                {"report": r.report, "title": r.title, "published": r.published, "within": str(r.within),
                 "deadline": r.deadline, "days": r.days, "awaiting": len(r.awaiting), "recommendations": r.issued,
                 "ids": list(r.awaiting)}
                for r in self.responses_due
            ],
            "followups_expected": [
                {"report": f.report, "title": f.title, "kind": f.kind, "number": f.number, "expected": f.expected,
                 "days": f.days, "missed": f.missed, "schedule": f.schedule, "last_followup": f.last_followup}
                for f in self.followups_expected
            ],
            "stale": [
                {"id": s.id, "report": s.report, "text": s.text, "status": s.status, "last_event": s.last_event,
                 "since": s.since, "days": s.days, "owner": s.owner}
                for s in self.stale
            ],
        }


def _due_fields(d: Due) -> dict[str, Any]:
    return {"id": d.id, "report": d.report, "text": d.text, "status": d.status, "due": d.due, "days": d.days, "owner": d.owner}


def schedule_text(report: Report, kind: str) -> str:
    if kind == schedule.REVISIT:
        revisit = report.revisit
        return f"within {revisit}" if isinstance(revisit, Duration) else f"by {revisit}"
    plan = report.followup
    if plan is None:
        return ""
    text = f"every {plan.every}"
    if plan.start:
        text += f" from {plan.start}"
    if plan.until:
        text += f" until {plan.until}"
    return text


def gather(ledger: Ledger, as_of: date, within: Duration | None = None, stale: Duration | None = None) -> Reminders:
    """The remind sections as the ledger stood at the end of `as_of`. `within` and `stale`
    default to the ledger's settings ([remind] within and stale in track.toml)."""
    within = within if within is not None else ledger.setting_duration("within")
    stale = stale if stale is not None else ledger.setting_duration("stale")
    out = Reminders(ledger=ledger.name, as_of=as_of, within=within, stale_after=stale, due_by=within.after(as_of))
    stale_before = stale.before(as_of)
    issued = sorted((r for r in ledger.reports.values() if r.published <= as_of), key=lambda r: (r.published, r.id))
    for report in issued:
        for rec in report.recommendations:
            _sort_recommendation(out, report, rec, ledger.state(rec, as_of), stale_before)
        clock = schedule.response_clock(report, as_of)
        if clock is not None and clock.awaiting and clock.deadline <= out.due_by:
            out.responses_due.append(ResponseDue(report.id, report.title, report.published, clock.within, clock.deadline,
                                                 clock.days(as_of), clock.awaiting, clock.issued))
        if report.followup is not None or report.revisit is not None:
            followups = ledger.followups(report)
            arrived = [f.id for f in followups if f.published <= as_of]
            for e in schedule.outstanding(report, followups, as_of, out.due_by):
                out.followups_expected.append(FollowupExpected(
                    report.id, report.title, e.kind, e.number, e.expected, (e.expected - as_of).days, e.missed(as_of),
                    schedule_text(report, e.kind), arrived[-1] if arrived else None))
    order = {r.id: i for i, r in enumerate(issued)}

    def by_rec(item: Due | Stale) -> tuple[Any, ...]:
        return (order[item.report], natural(item.id))

    out.overdue.sort(key=lambda d: (d.due, *by_rec(d)))
    out.due_soon.sort(key=lambda d: (d.due, *by_rec(d)))
    out.stale.sort(key=lambda s: (s.since, *by_rec(s)))
    out.responses_due.sort(key=lambda r: (r.deadline, order[r.report]))
    out.followups_expected.sort(key=lambda f: (f.expected, order[f.report], f.kind != schedule.FOLLOW_UP, f.number))
    return out


def _sort_recommendation(out: Reminders, report: Report, rec: Recommendation, state: State, stale_before: date) -> None:
    if state.closed:
        return
    as_of = out.as_of
    if state.due is not None:
        if state.due < as_of:
            out.overdue.append(Due(rec.id, report.id, rec.text, state.status, state.due, (as_of - state.due).days, state.owner))
        elif state.due <= out.due_by:
            out.due_soon.append(Due(rec.id, report.id, rec.text, state.status, state.due, (state.due - as_of).days, state.owner))
    since = state.last_event or report.published
    if since <= stale_before:
        out.stale.append(Stale(rec.id, report.id, rec.text, state.status, state.last_event, since, (as_of - since).days, state.owner))
