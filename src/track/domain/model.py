"""The domain: reports, recommendations and their events, and the state derived from them.

Nothing here knows about files or the terminal. A recommendation's status, response, due
date and owner at any date are derived from its events up to that date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R", "Recommendation", "Entry")

from track.domain.dates import Duration
from track.domain.record import Record

STATUSES: tuple[str, ...] = (
    "awaiting-response",
    "not-started",
    "in-progress",
    "partially-implemented",
    "reported-complete",
    "implemented",
    "not-implemented",
    "superseded",
    "withdrawn",
)
CLOSED: frozenset[str] = frozenset({"implemented", "not-implemented", "superseded", "withdrawn"})
OPEN: tuple[str, ...] = tuple(s for s in STATUSES if s not in CLOSED)
RESPONSES: tuple[str, ...] = ("accepted", "partially-accepted", "not-accepted", "noted")
# A finding states what an inspection found, without the formal standing of a cause of concern.
KINDS: tuple[str, ...] = ("cause-of-concern", "recommendation", "area-for-improvement", "finding")
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
REPORT_KINDS: tuple[str, ...] = (
    "inspection",
    "follow-up",
    "revisit",
    "review",
    "peel",
    "thematic",
    "investigation",
    "prevention-of-future-deaths",
    "audit",
    "other",
)
GRADES: tuple[str, ...] = ("outstanding", "good", "adequate", "requires-improvement", "inadequate")
# Who vouches for a status: the owner says so; the ledger keeper's reading of a source; an
# inspectorate or auditor confirmed it.
BASES: tuple[str, ...] = ("claimed", "assessed", "verified")
# What `track edit` can amend: an amendment event holds each one's old and new value.
AMENDABLE: tuple[str, ...] = ("text", "kind", "tags", "priority", "answers", "ref", "fields")

# A report id is its file name: letters, digits, '.', '_' and '-', starting with a letter or
# digit. A ref is the same, shorter. Neither may hold '/', which joins them into an id.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")  # \Z: "$" would let a final newline through
SAFE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}\Z")
# Control characters (C0, DEL and C1) other than tab and newline: refused on input, noted by check.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_report_id(value: str) -> bool:
    return bool(SAFE_ID.match(value)) and not value.endswith((".", ".toml")) and ".." not in value


class Event(Record):
    """Something that happened to a recommendation on a day: the fields it changed, a note, a
    source; the basis of a status it sets; when it was entered and by whom. An amendment
    (`old`/`new` hold the values a correction replaced and those it set, `reason` why)
    corrects the record rather than telling of progress."""

    _fields = ("date", "status", "basis", "response", "due", "reason", "owner", "superseded_by", "duplicate_of", "related",
               "note", "source", "evidence", "old", "new", "recorded", "recorded_by", "extra")

    def __init__(self, date: date, status: str | None = None, response: str | None = None, due: date | None = None,
                 reason: str | None = None, owner: str | None = None, superseded_by: str | None = None,
                 duplicate_of: str | None = None, related: list[str] | None = None, note: str | None = None,
                 source: str | None = None, evidence: list[str] | None = None, extra: dict[str, Any] | None = None,
                 basis: str | None = None, old: dict[str, Any] | None = None, new: dict[str, Any] | None = None,
                 recorded: date | None = None, recorded_by: str | None = None) -> None:
        self.date = date
        self.status = status
        self.basis = basis
        self.response = response
        self.due = due
        self.reason = reason
        self.owner = owner
        self.superseded_by = superseded_by
        self.duplicate_of = duplicate_of
        self.related = [] if related is None else related
        self.note = note
        self.source = source
        self.evidence = [] if evidence is None else evidence
        self.old = {} if old is None else old
        self.new = {} if new is None else new
        self.recorded = recorded
        self.recorded_by = recorded_by
        self.extra = {} if extra is None else extra

    CHANGE_FIELDS = ("status", "response", "due", "owner", "superseded_by", "duplicate_of")

    @property
    def amendment(self) -> bool:
        """Whether this event corrects the record (track edit, or a corrected or dropped event)."""
        return bool(self.old or self.new)

    def changes(self) -> dict[str, Any]:
        """The fields this event changes, in a fixed order (related only when it adds any)."""
        out: dict[str, Any] = {k: getattr(self, k) for k in self.CHANGE_FIELDS if getattr(self, k) is not None}
        if self.related:
            out["related"] = list(self.related)
        return out

    def same_as(self, other: Event) -> bool:
        """The same record of the same thing: equal in date, every field and note, whoever
        entered them and whenever."""
        return all(getattr(self, k) == getattr(other, k) for k in self._fields if k not in ("recorded", "recorded_by"))


class ActionEvent(Record):
    """Something that happened to an action on a day: done (True) or reopened (False), a new
    due date (with a reason when it moves one), a new owner, a note, a source, evidence."""

    _fields = ("date", "done", "due", "reason", "owner", "note", "source", "evidence", "recorded", "recorded_by", "extra")

    def __init__(self, date: date, done: bool | None = None, due: date | None = None, reason: str | None = None,
                 owner: str | None = None, note: str | None = None, source: str | None = None,
                 evidence: list[str] | None = None, recorded: date | None = None, recorded_by: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.date = date
        self.done = done
        self.due = due
        self.reason = reason
        self.owner = owner
        self.note = note
        self.source = source
        self.evidence = [] if evidence is None else evidence
        self.recorded = recorded
        self.recorded_by = recorded_by
        self.extra = {} if extra is None else extra

    def changes(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("done", "due", "owner") if getattr(self, k) is not None}

    def same_as(self, other: ActionEvent) -> bool:
        return all(getattr(self, k) == getattr(other, k) for k in self._fields if k not in ("recorded", "recorded_by"))


class Action(Record):
    """One action of a recommendation's action plan: number `n` (stable, never reused), its
    text, lead (owner) and due date as first set, the day it joined the plan (`added`: before
    it the action does not exist), and its events in date order."""

    _fields = ("n", "text", "owner", "due", "added", "recorded", "recorded_by", "events", "extra")

    def __init__(self, n: int, text: str, owner: str | None = None, due: date | None = None, added: date | None = None,
                 recorded: date | None = None, recorded_by: str | None = None, events: list[ActionEvent] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.n = n
        self.text = text
        self.owner = owner
        self.due = due
        self.added = added
        self.recorded = recorded
        self.recorded_by = recorded_by
        self.events = [] if events is None else events
        self.extra = {} if extra is None else extra

    def add_event(self, event: ActionEvent) -> None:
        """Events in date order; events of the same day stay in the order entered."""
        at = len(self.events)
        while at > 0 and self.events[at - 1].date > event.date:
            at -= 1
        self.events.insert(at, event)


class Recommendation(Record):
    """A recommendation (or cause of concern, or area for improvement) and its events in date order."""

    _fields = ("report", "ref", "text", "kind", "answers", "owner", "tags", "priority", "due", "entered", "evidence", "related",
               "events", "extra", "fields", "actions")

    def __init__(self, report: str, ref: str, text: str, kind: str = "recommendation", answers: str | None = None,
                 owner: str | None = None, tags: list[str] | None = None, priority: str | None = None, due: date | None = None,
                 entered: date | None = None, evidence: list[str] | None = None, related: list[str] | None = None,
                 events: list[Event] | None = None, extra: dict[str, Any] | None = None,
                 fields: dict[str, Any] | None = None, actions: list[Action] | None = None) -> None:
        self.report = report
        self.ref = ref
        self.text = text
        self.kind = kind
        self.answers = answers
        self.owner = owner
        self.tags = [] if tags is None else tags
        self.priority = priority
        self.due = due
        self.entered = entered
        self.evidence = [] if evidence is None else evidence
        self.related = [] if related is None else related
        self.events = [] if events is None else events
        self.extra = {} if extra is None else extra
        self.fields = {} if fields is None else fields  # the ledger's own fields (track.toml [fields]): {name: value}
        self.actions = [] if actions is None else actions  # its action plan, by number

    @property
    def id(self) -> str:
        return f"{self.report}/{self.ref}"

    def action(self, n: int) -> Action | None:
        return next((a for a in self.actions if a.n == n), None)

    def add_event(self, event: Event) -> None:
        """Keep events in date order; events of the same day stay in the order entered."""
        at = len(self.events)
        while at > 0 and self.events[at - 1].date > event.date:
            at -= 1
        self.events.insert(at, event)


class Followup(Record):
    """Follow-up reports expected on start + k x every (k >= 0) while on or before until."""

    _fields = ("every", "start", "until", "extra")

    def __init__(self, every: Duration, start: date | None = None, until: date | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.every = every
        self.start = start
        self.until = until
        self.extra = {} if extra is None else extra


class Report(Record):
    """A published report and its recommendations."""

    _fields = ("id", "title", "by", "subject", "published", "kind", "url", "follows", "note", "figures", "grades", "followup",
               "revisit", "response_within", "recommendations", "extra", "entered", "response_from")

    def __init__(self, id: str, title: str, by: str, subject: str, published: date, kind: str = "inspection",
                 url: str | None = None, follows: list[str] | None = None, note: str | None = None,
                 figures: dict[str, int | float] | None = None, grades: dict[str, str] | None = None,
                 followup: Followup | None = None, revisit: Duration | date | None = None,
                 response_within: Duration | None = None, recommendations: list[Recommendation] | None = None,
                 extra: dict[str, Any] | None = None, entered: date | None = None,
                 response_from: str | None = None) -> None:
        self.id = id
        self.title = title
        self.by = by
        self.subject = subject
        self.published = published
        self.kind = kind
        self.url = url
        self.follows = [] if follows is None else follows
        self.note = note
        self.figures = {} if figures is None else figures
        self.grades = {} if grades is None else grades
        self.followup = followup
        self.revisit = revisit
        self.response_within = response_within
        self.response_from = response_from  # whose response the clock waits for, e.g. the local policing body
        self.recommendations = [] if recommendations is None else recommendations
        self.extra = {} if extra is None else extra
        self.entered = entered  # the day it was added to the ledger

    def recommendation(self, ref: str) -> Recommendation | None:
        for rec in self.recommendations:
            if rec.ref == ref:
                return rec
        return None


class State(Record):
    """A recommendation as it stood at the end of a given day."""

    __slots__ = ("status", "response", "due", "owner", "superseded_by", "duplicate_of", "related", "last_event", "last_note",
                 "events", "basis")
    _fields = __slots__
    status: str
    response: str | None
    due: date | None
    owner: str | None
    superseded_by: str | None
    duplicate_of: str | None
    related: list[str]
    last_event: date | None
    last_note: str | None
    events: int
    basis: str | None  # who vouches for the status: claimed, assessed, verified; None when not stated

    def __init__(self, status: str, response: str | None, due: date | None, owner: str | None, superseded_by: str | None,
                 duplicate_of: str | None, related: list[str], last_event: date | None, last_note: str | None,
                 events: int, basis: str | None = None) -> None:
        self.status = status
        self.response = response
        self.due = due
        self.owner = owner
        self.superseded_by = superseded_by
        self.duplicate_of = duplicate_of
        self.related = related
        self.last_event = last_event
        self.last_note = last_note
        self.events = events
        self.basis = basis

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def overdue(self, as_of: date) -> bool:
        return not self.closed and self.due is not None and self.due < as_of

    def days_overdue(self, as_of: date) -> int:
        return (as_of - self.due).days if self.overdue(as_of) and self.due else 0


def initial_state(rec: Recommendation | Entry) -> State:
    """Where every recommendation starts, on its report's publication."""
    return State("awaiting-response", None, rec.due, rec.owner, None, None, list(rec.related), None, None, 0)


def timeline(rec: Recommendation) -> Iterator[State]:
    """The state after each event, in order: state_at is the last one dated on or before a day."""
    status = "awaiting-response"
    response: str | None = None
    due = rec.due
    owner = rec.owner
    superseded_by: str | None = None
    duplicate_of: str | None = None
    related = list(rec.related)
    last_note: str | None = None
    basis: str | None = None
    count = 0
    for event in rec.events:
        count += 1
        if event.note:
            last_note = event.note
        if event.response is not None:
            if response is None and status == "awaiting-response" and event.status is None:
                status = "not-started"
            response = event.response
        if event.status is not None:
            status = event.status
            basis = event.basis
        if event.due is not None:
            due = event.due
        if event.owner is not None:
            owner = event.owner
        if event.superseded_by is not None:
            superseded_by = event.superseded_by
        if event.duplicate_of is not None:
            duplicate_of = event.duplicate_of
        for link in event.related:
            if link not in related:
                related = [*related, link]
        yield State(status, response, due, owner, superseded_by, duplicate_of, related, event.date, last_note, count, basis)


def state_at(rec: Recommendation | Entry, as_of: date | None = None) -> State:
    """The recommendation as it stood at the end of `as_of` (after all its events when None)."""
    if isinstance(rec, Entry):
        return rec.state(as_of)
    state = None
    for after in timeline(rec):
        if as_of is not None and after.last_event is not None and after.last_event > as_of:
            break
        state = after
    return state if state is not None else initial_state(rec)


def as_it_stood(rec: R, as_of: date | None) -> R:
    """The recommendation with the text, kind, tags, priority, answers and own fields it had at the end of
    `as_of`: itself when no amendment was made after that day, else a copy holding the values
    each later amendment replaced. (Its id stays as it is now: an id is a handle, not a value.)"""
    if as_of is None:
        return rec
    if isinstance(rec, Entry):
        if rec.amended is None or rec.amended <= as_of.toordinal():
            return rec
    elif not any(e.old and e.date > as_of for e in rec.events):
        return rec
    changes: dict[str, Any] = {}
    for event in reversed(rec.events):
        if event.date <= as_of:
            break
        for key, value in event.old.items():
            if key == "fields":
                changes[key] = dict(value)
            elif key in AMENDABLE and key != "ref":
                changes[key] = list(value) if key == "tags" else (value or None)
    if "text" in changes and not changes["text"]:
        changes["text"] = rec.text
    if "kind" in changes and not changes["kind"]:
        changes["kind"] = rec.kind
    from track.domain.record import replace

    return replace(rec, **changes) if changes else rec


def steps(rec: Recommendation | Entry) -> list[tuple[str, int | None, int]]:
    """(status, due date, day) after each event, the dates as ordinals: what a period's counts
    need of each event, read from the index's packed states where it was read from there."""
    if isinstance(rec, Entry):
        last, history = rec.states
        if last is None:
            return []
        import marshal

        packed = marshal.loads(history) if history is not None else (last,)
        return [(p[0], p[2], p[7]) for p in packed]
    return [(s.status, None if s.due is None else s.due.toordinal(), s.last_event.toordinal())  # type: ignore[union-attr]
            for s in timeline(rec)]


def slippage(rec: Recommendation | Entry, as_of: date) -> tuple[date | None, int, date | None]:
    """(the first due date it had, how many times the due date moved since, the day it closed:
    the date of the event that made its status closed, None while open) at the end of `as_of`."""
    limit = as_of.toordinal()
    first = rec.due
    moves = 0
    closed_on: int | None = None
    due = rec.due.toordinal() if rec.due is not None else None
    was_closed = False
    for status, new_due, day in steps(rec):
        if day > limit:
            break
        if new_due != due:
            if due is not None:
                moves += 1
            elif first is None and new_due is not None:
                first = date.fromordinal(new_due)
            due = new_due
        shut = status in CLOSED
        if shut and not was_closed:
            closed_on = day
        elif not shut:
            closed_on = None
        was_closed = shut
    return first, moves, None if closed_on is None else date.fromordinal(closed_on)


def packed_amendment(values: dict[str, Any]) -> str | None:
    """An amendment's old or new values as the index and export keep them: TOML text (one
    string, whatever types they hold); None when there are none."""
    if not values:
        return None
    import tomli_w

    return tomli_w.dumps(values)


def unpacked_amendment(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    import tomllib

    return tomllib.loads(text)


def notes_upto(rec: Recommendation | Entry, as_of: date) -> Iterator[tuple[str | None, str | None]]:
    """(note, source) of each event dated on or before `as_of`."""
    if isinstance(rec, Entry):
        limit = as_of.toordinal()
        return ((note, source) for day, note, source in rec.notes if day <= limit)  # type: ignore[operator]
    return ((e.note, e.source) for e in rec.events if e.date <= as_of)


class Entry(Record):
    """A recommendation as the index knows it (see cache.py): its fields and its state after
    every event; its events stay packed (`packed`) until asked for. Everything that needs
    only states (list, remind, report) runs on entries. Each one is itself (equal only to
    itself)."""

    __slots__ = ("report", "ref", "text", "kind", "answers", "owner", "tags", "priority", "due", "entered", "evidence", "related",
                 "states", "notes_span", "packed", "amended", "fields", "actions")
    _fields = __slots__
    report: str
    ref: str
    text: str
    kind: str
    answers: str | None
    owner: str | None
    tags: list[str]
    priority: str | None
    due: date | None
    entered: date | None
    evidence: list[str]
    related: list[str]
    states: Any
    notes_span: tuple[int, int]
    packed: Any  # the report's events, unpacked on first use
    amended: int | None  # the date (an ordinal) of its latest amendment, if any
    fields: dict[str, Any]  # the ledger's own fields (track.toml [fields]): {name: value}
    actions: list[Action]  # its action plan (the index keeps it whole: plans are small)

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, report: str, ref: str, text: str, kind: str, answers: str | None, owner: str | None, tags: list[str],
                 priority: str | None, due: date | None, entered: date | None, evidence: list[str], related: list[str],
                 states: Any, notes_span: tuple[int, int], packed: Any = None, amended: int | None = None,
                 fields: dict[str, Any] | None = None, actions: list[Action] | None = None) -> None:
        self.report = report
        self.ref = ref
        self.text = text
        self.kind = kind
        self.answers = answers
        self.owner = owner
        self.tags = tags
        self.priority = priority
        self.due = due
        self.entered = entered
        self.evidence = evidence
        self.related = related
        self.states = states
        self.notes_span = notes_span
        self.packed = packed
        self.amended = amended
        self.fields = {} if fields is None else fields
        self.actions = [] if actions is None else actions

    @property
    def id(self) -> str:
        return f"{self.report}/{self.ref}"

    @property
    def events(self) -> list[Event]:
        raise NotImplementedError

    @property
    def notes(self) -> list[tuple[int, str | None, str | None]]:
        """(date as an ordinal, note, source) of every event."""
        raise NotImplementedError

    def state(self, as_of: date | None = None) -> State:
        raise NotImplementedError

    def packed_at(self, limit: int) -> tuple | None:
        """The state at the end of the day whose ordinal is `limit`, as the index packs it;
        None before the first event."""
        raise NotImplementedError


def packed_states(recs: list, limit: int) -> list[tuple | None] | None:
    """Entry.packed_at(limit) of each of a report's recommendations, or None if they
    were not read from the index."""
    out: list[tuple | None] = []
    append = out.append
    for rec in recs:
        if not isinstance(rec, Entry):
            return None
        last = rec.states[0]
        append(last if last is None or last[7] <= limit else rec.packed_at(limit))
    return out
