"""What needs attention on a date, in the sections `track remind` prints: overdue, due soon,
response clocks, expected follow-ups and stale items. A recommendation marked as a duplicate
(duplicate_of set by that date) is in none of them: the one it duplicates is chased instead."""

from __future__ import annotations

from datetime import date
from operator import attrgetter, itemgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import schedule
from track.domain.dates import Duration, clock_deadline
from track.domain.model import CLOSED, Recommendation, Report, packed_states, state_at
from track.domain.query import natural_part
from track.domain.record import Frozen, Record

AWAITING = "awaiting-response"
_fromordinal = date.fromordinal

if TYPE_CHECKING:
    from collections.abc import Mapping


class Due(Frozen):
    """An open recommendation in the overdue or due-soon section."""

    __slots__ = ("id", "report", "text", "status", "due", "days", "owner")
    _fields = __slots__
    id: str
    report: str
    text: str
    status: str
    due: date
    days: int  # overdue: days past the due date; due soon: days left (0 = due today)
    owner: str | None

    def __init__(self, id: str, report: str, text: str, status: str, due: date, days: int, owner: str | None) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "report", report)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "due", due)
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "owner", owner)


class ResponseDue(Frozen):
    """A report whose response is due (or late)."""

    __slots__ = ("report", "title", "published", "within", "deadline", "days", "awaiting", "issued", "response_from")
    _fields = __slots__
    report: str
    title: str
    published: date
    within: Duration
    deadline: date
    days: int  # deadline minus as-of: negative once passed
    awaiting: tuple[str, ...]
    issued: int
    response_from: str | None  # whose response the clock waits for, when the report says

    def __init__(self, report: str, title: str, published: date, within: Duration, deadline: date, days: int,
                 awaiting: tuple[str, ...], issued: int, response_from: str | None = None) -> None:
        object.__setattr__(self, "report", report)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "published", published)
        object.__setattr__(self, "within", within)
        object.__setattr__(self, "deadline", deadline)
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "awaiting", awaiting)
        object.__setattr__(self, "issued", issued)
        object.__setattr__(self, "response_from", response_from)


class FollowupExpected(Frozen):
    """A follow-up report or revisit expected (or missed)."""

    __slots__ = ("report", "title", "kind", "number", "expected", "days", "missed", "schedule", "last_followup")
    _fields = __slots__
    report: str
    title: str
    kind: str  # "follow-up" or "revisit"
    number: int
    expected: date
    days: int  # expected minus as-of: negative once missed
    missed: bool
    schedule: str  # "every 3 months from 2017-03-01 until 2018-02-28", "within 12 months", "by 2019-06-30"
    last_followup: str | None  # the latest follow-up report recorded by then, if any

    def __init__(self, report: str, title: str, kind: str, number: int, expected: date, days: int, missed: bool, schedule: str,
                 last_followup: str | None) -> None:
        object.__setattr__(self, "report", report)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "expected", expected)
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "missed", missed)
        object.__setattr__(self, "schedule", schedule)
        object.__setattr__(self, "last_followup", last_followup)


class Stale(Frozen):
    """An open recommendation with no event for too long."""

    __slots__ = ("id", "report", "text", "status", "last_event", "since", "days", "owner")
    _fields = __slots__
    id: str
    report: str
    text: str
    status: str
    last_event: date | None  # None: no event since it was issued
    since: date  # the last event, else the publication
    days: int  # days since `since`
    owner: str | None

    def __init__(self, id: str, report: str, text: str, status: str, last_event: date | None, since: date, days: int,
                 owner: str | None) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "report", report)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "last_event", last_event)
        object.__setattr__(self, "since", since)
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "owner", owner)


# A recommendation in the overdue, due-soon or stale section, kept compact until someone asks
# for Due or Stale objects (`remind` on a national register lists hundreds of thousands):
# (the section's date as an ordinal: the due date, or for stale the last event else the
# publication; id; text; its report's id; status; owner; last event as an ordinal or None),
# in the section's order.
Hit = tuple[int, str, str, str, str, "str | None", "int | None"]


class Reminders(Record):
    """What `track remind` says, section by section."""

    _fields = ("ledger", "as_of", "within", "stale_after", "due_by", "overdue_hits", "due_soon_hits", "responses_due",
               "followups_expected", "stale_hits", "action_overdue_hits", "action_due_soon_hits")

    def __init__(self, ledger: str, as_of: date, within: Duration, stale_after: Duration, due_by: date,
                 overdue_hits: list[Hit] | None = None, due_soon_hits: list[Hit] | None = None,
                 responses_due: list[ResponseDue] | None = None, followups_expected: list[FollowupExpected] | None = None,
                 stale_hits: list[Hit] | None = None, action_overdue_hits: list[Hit] | None = None,
                 action_due_soon_hits: list[Hit] | None = None) -> None:
        self.ledger = ledger
        self.as_of = as_of
        self.within = within
        self.stale_after = stale_after
        self.due_by = due_by
        self.overdue_hits: list[Hit] = [] if overdue_hits is None else overdue_hits
        self.due_soon_hits: list[Hit] = [] if due_soon_hits is None else due_soon_hits
        self.responses_due: list[ResponseDue] = [] if responses_due is None else responses_due
        self.followups_expected: list[FollowupExpected] = [] if followups_expected is None else followups_expected
        self.stale_hits: list[Hit] = [] if stale_hits is None else stale_hits
        # Open actions of open recommendations past or near their due date, as hits whose id is
        # the action's (REPORT/REF/N) and whose owner is the action's lead, not the recommendation's.
        self.action_overdue_hits: list[Hit] = [] if action_overdue_hits is None else action_overdue_hits
        self.action_due_soon_hits: list[Hit] = [] if action_due_soon_hits is None else action_due_soon_hits
        # Not fields: whose part this is (owners.parts; None for the whole ledger), and the
        # owner of each recommendation that awaits a response (its id: its owner), for the parts.
        self.owner: str | None = None
        self.awaiting_owners: dict[str, str | None] = {}
        # the date of the ledger's newest event by as_of (None when none), and how old it may be
        # before remind says so ([report] evidence_after: see views/evidence.py)
        self.latest_evidence: date | None = None
        self.evidence_after = Duration(90, "days")

    @property
    def overdue(self) -> list[Due]:
        """Open recommendations past their due date, oldest due date first."""
        limit = self.as_of.toordinal()
        return [Due(rec_id, report, text, status, _fromordinal(due), limit - due, owner)
                for due, rec_id, text, report, status, owner, _last in self.overdue_hits]

    @property
    def due_soon(self) -> list[Due]:
        limit = self.as_of.toordinal()
        return [Due(rec_id, report, text, status, _fromordinal(due), due - limit, owner)
                for due, rec_id, text, report, status, owner, _last in self.due_soon_hits]

    @property
    def stale(self) -> list[Stale]:
        limit = self.as_of.toordinal()
        return [Stale(rec_id, report, text, status, None if last is None else _fromordinal(last), _fromordinal(since),
                      limit - since, owner)
                for since, rec_id, text, report, status, owner, last in self.stale_hits]

    @property
    def empty(self) -> bool:
        """Nothing needs attention: `remind` prints nothing."""
        return not (self.overdue_hits or self.due_soon_hits or self.responses_due or self.followups_expected or self.stale_hits
                    or self.action_overdue_hits or self.action_due_soon_hits)

    @property
    def late(self) -> bool:
        """Something is past its date: an overdue recommendation, a response deadline that has
        passed with responses still awaited, or a missed follow-up (`--fail-on-overdue`)."""
        return (bool(self.overdue_hits) or bool(self.action_overdue_hits) or any(r.days < 0 for r in self.responses_due)
                or any(f.missed for f in self.followups_expected))

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON fields (dates stay date objects; render writes them ISO)."""
        whose = {"owner": self.owner} if self.owner is not None else {}  # one owner's part only
        return {
            "ledger": self.ledger,
            **whose,
            "as_of": self.as_of,
            "within": str(self.within),
            "due_by": self.due_by,
            "stale_after": str(self.stale_after),
            "latest_evidence": self.latest_evidence,
            "evidence_after": str(self.evidence_after),
            "overdue": [_due_fields(d) for d in self.overdue],
            "due_soon": [_due_fields(d) for d in self.due_soon],
            "responses_due": [response_fields(r) for r in self.responses_due],
            "followups_expected": [followup_fields(f) for f in self.followups_expected],
            "stale": [
                {"id": s.id, "report": s.report, "text": s.text, "status": s.status, "last_event": s.last_event,
                 "since": s.since, "days": s.days, "owner": s.owner}
                for s in self.stale
            ],
            "actions_overdue": [action_fields(h, self.as_of, 1) for h in self.action_overdue_hits],
            "actions_due_soon": [action_fields(h, self.as_of, -1) for h in self.action_due_soon_hits],
        }


def action_fields(hit: Hit, as_of: date, sign: int) -> dict[str, Any]:
    """An action in remind's JSON: its id, its recommendation's, its report, text, due date,
    days (overdue: past; due soon: left), lead."""
    due, action_id, text, report, _status, owner, _last = hit
    return {"id": action_id, "recommendation": action_id.rpartition("/")[0], "report": report, "text": text,
            "due": _fromordinal(due), "days": sign * (as_of.toordinal() - due), "owner": owner}


def response_fields(r: ResponseDue) -> dict[str, Any]:
    return {"report": r.report, "title": r.title, "published": r.published, "within": str(r.within),
            "deadline": r.deadline, "days": r.days, "awaiting": len(r.awaiting), "recommendations": r.issued,
            "ids": list(r.awaiting), "response_from": r.response_from}


def followup_fields(f: FollowupExpected) -> dict[str, Any]:
    return {"report": f.report, "title": f.title, "kind": f.kind, "number": f.number, "expected": f.expected,
            "days": f.days, "missed": f.missed, "schedule": f.schedule, "last_followup": f.last_followup}


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


def gather(reports: Mapping[str, Report], name: str, as_of: date, within: Duration, stale: Duration) -> Reminders:
    """The remind sections of the ledger `name`, whose reports are `reports`, as it stood at the
    end of `as_of`: due soon means within `within`, stale means no event for `stale`."""
    out = Reminders(ledger=name, as_of=as_of, within=within, stale_after=stale, due_by=within.after(as_of))
    limit = as_of.toordinal()
    due_by = out.due_by.toordinal()
    stale_before = stale.before(as_of).toordinal()
    issued = sorted((r for r in reports.values() if r.published <= as_of), key=lambda r: (r.published, r.id))
    overdue, due_soon, quiet = out.overdue_hits, out.due_soon_hits, out.stale_hits
    followers: dict[str, list[Report]] | None = None
    latest = 0  # the newest event's date, as an ordinal (0: none yet)
    # Each section is in date order, then by report (publication, id), then by ref in natural
    # order (R2 before R10): reports are taken in that order and each one's recommendations
    # in natural order, so that a stable sort by date alone gives the whole order.
    for report in issued:
        published = report.published.toordinal()
        report_id = report.id
        recs = report.recommendations
        known = facts(recs, limit, as_of)
        latest = max(latest, max((k[4] for k in known if k[4] is not None), default=0))
        refs = list(map(natural_part, map(_ref, recs)))
        for i in sorted(range(len(recs)), key=refs.__getitem__):
            status, _response, due, owner, last, duplicate = known[i]
            if status in CLOSED or duplicate is not None:  # a duplicate is chased through the one it duplicates
                continue
            rec = recs[i]
            rec_id, text = rec.id, rec.text
            if due is not None:
                if due < limit:
                    overdue.append((due, rec_id, text, report_id, status, owner, last))
                elif due <= due_by:
                    due_soon.append((due, rec_id, text, report_id, status, owner, last))
            since = published if last is None else last
            if since <= stale_before:
                quiet.append((since, rec_id, text, report_id, status, owner, last))
            if rec.actions:
                _action_hits(out, rec, report_id, as_of, limit, due_by)
        if report.response_within is not None:
            deadline = clock_deadline(report.published, report.response_within)
            if deadline <= out.due_by:
                # as schedule.response_clock: awaiting while no response is recorded and not closed
                # (nor a duplicate: its response is the one it duplicates')
                awaiting = tuple(rec.id for rec, (status, response, _due, _owner, _last, duplicate) in zip(recs, known)
                                 if response is None and status not in CLOSED and duplicate is None)
                if awaiting:
                    owners = out.awaiting_owners
                    for rec, (status, response, _due, owner, _last, duplicate) in zip(recs, known):
                        if response is None and status not in CLOSED and duplicate is None:
                            owners[rec.id] = owner
                    out.responses_due.append(ResponseDue(report_id, report.title, report.published, report.response_within,
                                                         deadline, (deadline - as_of).days, awaiting, len(recs),
                                                         report.response_from))
        if report.followup is not None or report.revisit is not None:
            if followers is None:
                followers = _followers(reports)
            followups = followers.get(report_id, [])
            arrived = [f.id for f in followups if f.published <= as_of]
            for e in schedule.outstanding(report, followups, as_of, out.due_by):
                out.followups_expected.append(FollowupExpected(
                    report_id, report.title, e.kind, e.number, e.expected, (e.expected - as_of).days, e.missed(as_of),
                    schedule_text(report, e.kind), arrived[-1] if arrived else None))
    from track.domain.actions import newest_evidence

    out.latest_evidence = newest_evidence(_fromordinal(latest) if latest else None,  # the action plans' events too
                                          (rec for r in issued for rec in r.recommendations), as_of)
    order = {r.id: i for i, r in enumerate(issued)}
    first = itemgetter(0)
    overdue.sort(key=first)
    due_soon.sort(key=first)
    out.action_overdue_hits.sort(key=first)
    out.action_due_soon_hits.sort(key=first)
    quiet.sort(key=first)
    out.responses_due.sort(key=lambda r: (r.deadline, order[r.report]))
    out.followups_expected.sort(key=lambda f: (f.expected, order[f.report], f.kind != schedule.FOLLOW_UP, f.number))
    return out


_ref = attrgetter("ref")


def _action_hits(out: Reminders, rec: Recommendation, report_id: str, as_of: date, limit: int, due_by: int) -> None:
    """The open actions of an open recommendation that are overdue or due soon, in number order."""
    from track.domain.actions import plan_at

    for state in plan_at(rec, as_of):
        if state.done or state.due is None:
            continue
        day = state.due.toordinal()
        hit = (day, f"{rec.id}/{state.n}", state.text, report_id, "open", state.owner, None)
        if day < limit:
            out.action_overdue_hits.append(hit)
        elif day <= due_by:
            out.action_due_soon_hits.append(hit)


Facts = tuple[str, "str | None", "int | None", "str | None", "int | None", "str | None"]


def facts(recs: list[Recommendation], limit: int, as_of: date) -> list[Facts]:
    """(status, response, due, owner, last event, duplicate_of) of each of a report's
    recommendations at the end of `as_of` (whose ordinal is `limit`), the dates as ordinals:
    what remind needs, read from the index's packed states where it can be, without making a State."""
    packed = packed_states(recs, limit)
    if packed is not None:
        return [(t[0], t[1], t[2], t[3], t[7], t[5]) if t is not None else
                (AWAITING, None, None if rec.due is None else rec.due.toordinal(), rec.owner, None, None)
                for rec, t in zip(recs, packed)]
    out = []
    for rec in recs:
        state = state_at(rec, as_of)
        due, last = state.due, state.last_event
        out.append((state.status, state.response, None if due is None else due.toordinal(), state.owner,
                    None if last is None else last.toordinal(), state.duplicate_of))
    return out


def _followers(reports: Mapping[str, Report]) -> dict[str, list[Report]]:
    """The reports that follow each report (as Ledger.followups), in publication order."""
    out: dict[str, list[Report]] = {}
    for r in reports.values():
        for followed in dict.fromkeys(r.follows):
            out.setdefault(followed, []).append(r)
    for reports in out.values():
        reports.sort(key=lambda r: (r.published, r.id))
    return out
