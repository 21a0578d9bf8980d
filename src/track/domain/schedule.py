"""What a report's schedule expects, and when: follow-up reports, a one-off revisit, and the
response clock; which follow-up satisfies which expectation (docs/internals.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from track.domain.dates import Duration, clock_deadline
from track.domain.model import Recommendation, Report, state_at
from track.domain.record import Frozen, Record

FOLLOW_UP = "follow-up"
REVISIT = "revisit"


class Expectation(Record):
    """One report that a schedule expects, and the follow-up that satisfied it (if any)."""

    _fields = ("report", "kind", "number", "expected", "satisfied_by", "satisfied_on")

    def __init__(self, report: str, kind: str, number: int, expected: date, satisfied_by: str | None = None,
                 satisfied_on: date | None = None) -> None:
        self.report = report  # the id of the report whose schedule expects it
        self.kind = kind  # FOLLOW_UP (from the schedule) or REVISIT
        self.number = number  # 1 for the first of the schedule (and for the revisit)
        self.expected = expected
        self.satisfied_by = satisfied_by
        self.satisfied_on = satisfied_on

    @property
    def satisfied(self) -> bool:
        return self.satisfied_by is not None

    def missed(self, as_of: date) -> bool:
        return self.satisfied_by is None and self.expected < as_of

    @property
    def late(self) -> bool:
        return self.satisfied_on is not None and self.satisfied_on > self.expected


def followup_dates(report: Report) -> Iterator[date]:
    """Every date the report's follow-up schedule expects, in order; endless with no `until`."""
    schedule = report.followup
    if schedule is None or schedule.every.count <= 0:  # a zero interval expects nothing
        return
    anchor, k = (schedule.start, 0) if schedule.start is not None else (report.published, 1)
    while True:
        expected = schedule.every.after(anchor, times=k)
        if schedule.until is not None and expected > schedule.until:
            return
        yield expected
        k += 1


def revisit_date(report: Report) -> date | None:
    """When the promised revisit is expected: publication + the duration, or the date given."""
    if report.revisit is None:
        return None
    if isinstance(report.revisit, Duration):
        return report.revisit.after(report.published)
    return report.revisit


def expectations(report: Report, followups: Sequence[Report], as_of: date, horizon: date | None = None) -> list[Expectation]:
    """The report's expectations as they stood at the end of `as_of`, each with the follow-up
    that satisfied it: the schedule's up to `horizon` (default `as_of`), and always enough of
    them to match every follow-up published by then plus the next one still to come; then the
    revisit, if any. `followups` are the reports that follow this one, in any order."""
    horizon = max(horizon or as_of, as_of)
    arrived = sorted((f for f in followups if f.published <= as_of), key=lambda f: (f.published, f.id))
    schedule: list[Expectation] = []
    for expected in followup_dates(report):
        if expected > horizon and len(schedule) > len(arrived) and schedule[-1].expected > horizon:
            break
        schedule.append(Expectation(report.id, FOLLOW_UP, len(schedule) + 1, expected))
    when = revisit_date(report)
    revisit = Expectation(report.id, REVISIT, 1, when) if when is not None else None

    def satisfy(expectation: Expectation, by: Report) -> None:
        expectation.satisfied_by = by.id
        expectation.satisfied_on = by.published

    nxt = 0  # schedule expectations are satisfied in order: those before `nxt` are met
    for followup in arrived:
        if followup.kind == REVISIT and revisit is not None and not revisit.satisfied:
            satisfy(revisit, followup)
        elif nxt < len(schedule):
            satisfy(schedule[nxt], followup)
            nxt += 1
        elif revisit is not None and not revisit.satisfied:
            satisfy(revisit, followup)
    return schedule + ([revisit] if revisit is not None else [])


def outstanding(report: Report, followups: Sequence[Report], as_of: date, horizon: date | None = None) -> list[Expectation]:
    """Expectations not satisfied at the end of `as_of` and expected by `horizon` (default
    `as_of`): the missed ones and those falling due, earliest first."""
    horizon = max(horizon or as_of, as_of)
    found = [e for e in expectations(report, followups, as_of, horizon) if not e.satisfied and e.expected <= horizon]
    return sorted(found, key=lambda e: (e.expected, e.kind != FOLLOW_UP, e.number))


# --------------------------------------------------------------------------- response clocks


class ResponseClock(Frozen):
    """A report's response clock as it stood on a date."""

    __slots__ = ("report", "within", "deadline", "issued", "awaiting")
    _fields = __slots__
    report: str
    within: Duration
    deadline: date
    issued: int  # recommendations the report made
    awaiting: tuple[str, ...]  # ids of those still awaiting a response

    def __init__(self, report: str, within: Duration, deadline: date, issued: int, awaiting: tuple[str, ...]) -> None:
        object.__setattr__(self, "report", report)
        object.__setattr__(self, "within", within)
        object.__setattr__(self, "deadline", deadline)
        object.__setattr__(self, "issued", issued)
        object.__setattr__(self, "awaiting", awaiting)

    def days(self, as_of: date) -> int:
        """Days left until the deadline: 0 on the day, negative once it has passed."""
        return (self.deadline - as_of).days


def awaits_response(rec: Recommendation, as_of: date) -> bool:
    state = state_at(rec, as_of)
    return state.response is None and not state.closed


def response_clock(report: Report, as_of: date) -> ResponseClock | None:
    """None when the report has no clock or was not yet published at the end of `as_of`."""
    if report.response_within is None or report.published > as_of:
        return None
    return ResponseClock(
        report=report.id,
        within=report.response_within,
        deadline=clock_deadline(report.published, report.response_within),
        issued=len(report.recommendations),
        awaiting=tuple(rec.id for rec in report.recommendations if awaits_response(rec, as_of)),
    )
