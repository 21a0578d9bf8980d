"""Selecting, sorting and describing recommendations as they stood on a date.

The dictionaries built here are the documented fields of `list` and `show` in every format.
"""

from __future__ import annotations

import functools
import re
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import actions, model
from track.domain.dates import Duration
from track.domain.errors import BadValue
from track.domain.model import Event, Recommendation, Report, State
from track.domain.record import Record
from track.domain.values import same_key

SORTS = ("id", "due", "status", "owner", "report", "priority", "last-event", "overdue", "issued")


class Item(Record):
    """A recommendation with its report and its state on the day asked about."""

    __slots__ = ("rec", "report", "state")
    _fields = __slots__

    def __init__(self, rec: Recommendation, report: Report, state: State) -> None:
        self.rec = rec
        self.report = report
        self.state = state


class Filter(Record):
    """What `list` and `remind` select by: every field left empty selects all."""

    _fields = ("statuses", "report", "subject", "issued_by", "owner", "tags", "kinds", "priorities", "overdue", "due_within",
               "stale", "search", "unverified", "all_tags", "issued_since", "closed_since", "where")

    def __init__(self, statuses: list[str] | None = None, report: str | None = None, subject: str | None = None,
                 issued_by: str | None = None, owner: str | None = None, tags: list[str] | None = None,
                 kinds: list[str] | None = None, priorities: list[str] | None = None, overdue: bool = False,
                 due_within: Duration | None = None, stale: Duration | None = None, search: str | None = None,
                 unverified: bool = False, all_tags: bool = False, issued_since: date | None = None,
                 closed_since: date | None = None, where: list[Condition] | None = None) -> None:
        self.statuses = [] if statuses is None else statuses
        self.report = report
        self.subject = subject
        self.issued_by = issued_by
        self.owner = owner
        self.tags = [] if tags is None else tags
        self.kinds = [] if kinds is None else kinds
        self.priorities = [] if priorities is None else priorities
        self.overdue = overdue
        self.due_within = due_within
        self.stale = stale
        self.search = search
        self.unverified = unverified  # only statuses no inspectorate or auditor verified
        self.all_tags = all_tags  # every tag given, not any of them
        self.issued_since = issued_since  # only those whose report was published on or after
        self.closed_since = closed_since  # only those closed (by their closing event) on or after
        self.where = [] if where is None else where  # list --where: every one must hold


# list --where on track's own fields: how each is read from an item (a list: any of its values).
WHERE_FIELDS: dict[str, Any] = {
    "id": lambda rec, state, report: rec.id,
    "report": lambda rec, state, report: rec.report,
    "ref": lambda rec, state, report: rec.ref,
    "kind": lambda rec, state, report: rec.kind,
    "priority": lambda rec, state, report: rec.priority,
    "tag": lambda rec, state, report: list(rec.tags),
    "status": lambda rec, state, report: state.status,
    "basis": lambda rec, state, report: state.basis,
    "response": lambda rec, state, report: state.response,
    "owner": lambda rec, state, report: state.owner,
    "due": lambda rec, state, report: state.due,
    "subject": lambda rec, state, report: report.subject,
    "issued_by": lambda rec, state, report: report.by,
    "issued": lambda rec, state, report: report.published,
}
WHERE_ALIASES = {"tags": "tag", "by": "issued_by"}


class Condition(Record):
    """One `list --where`: a field (track's own, or one track.toml declares), how it compares
    ("=", ">=" or "<="), and the value (None: it has none)."""

    __slots__ = ("name", "op", "value", "own")
    _fields = __slots__

    def __init__(self, name: str, op: str, value: Any, own: bool) -> None:
        self.name = name
        self.op = op
        self.value = value
        self.own = own  # one of the ledger's own fields (track.toml [fields])

    def holds(self, rec: Any, state: State, report: Report) -> bool:
        got = rec.fields.get(self.name) if self.own else WHERE_FIELDS[self.name](rec, state, report)
        if self.value is None:
            return got is None or got == [] or got == ""
        if isinstance(got, list):
            return any(self._compare(g) for g in got)
        return got is not None and self._compare(got)

    def _compare(self, got: Any) -> bool:
        want = self.value
        if isinstance(want, str):
            if not isinstance(got, str):
                return False
            got, want = same_key(got), same_key(want)
        elif isinstance(want, (int, float)) and (isinstance(got, bool) or not isinstance(got, (int, float))):
            return False
        elif isinstance(want, date) and type(got) is not date:
            return False
        if self.op == "=":
            return bool(got == want)
        return bool(got >= want) if self.op == ">=" else bool(got <= want)


def condition(text: str, declared: dict[str, Any], today: date) -> Condition:
    """`list --where NAME=VALUE` (or NAME>=VALUE, NAME<=VALUE for a number or a date; NAME=
    for those without a value), NAME one of track.toml's own fields or one of WHERE_FIELDS."""
    from track.domain import fields

    match = re.match(r"\s*([^=<>]+?)\s*(>=|<=|=)(.*)\Z", text, re.S)
    if not match:
        raise BadValue(f"--where {text!r}: give NAME=VALUE, such as risk=high or owner=\"Head of Audit\"")
    name, op, raw = match.group(1), match.group(2), match.group(3).strip()
    key = WHERE_ALIASES.get(name.lower(), name.lower())
    if key in WHERE_FIELDS:
        if op != "=" and key not in ("due", "issued"):
            raise BadValue(f"--where {name}{op}: {op} compares numbers and dates; use {name}=")
        if not raw:
            return Condition(key, op, None, False)
        value: Any = raw
        if key in ("due", "issued"):
            from track.domain import values

            value = values.day(raw, base=today, month="end", what=f"--where {key}")
        return Condition(key, op, value, False)
    try:
        field = fields.find(declared, name)
    except BadValue:
        import difflib

        known = [*declared, *WHERE_FIELDS]
        close = difflib.get_close_matches(name.strip().lower(), known, n=3, cutoff=0.6)
        raise BadValue(f"--where: unknown field {name.strip()!r}" + (f"; did you mean {' or '.join(close)}?" if close
                       else f" (use one of {', '.join(known)})")) from None
    if op != "=" and field.type not in ("number", "date"):
        raise BadValue(f"--where {field.name}{op}: {op} compares numbers and dates; {field.name} is {field.type}")
    if not raw:
        if op != "=":
            raise BadValue(f"--where {field.name}{op}: give a value to compare with")
        return Condition(field.name, op, None, True)
    return Condition(field.name, op, fields.parse(field, raw, f"--where {field.name}", today=today), True)


def expand_statuses(values: list[str]) -> set[str]:
    """The statuses that --status values name (`open`, `closed`, or statuses, comma-separated)."""
    return _statuses(values)[0]


def _statuses(values: list[str]) -> tuple[set[str], set[str]]:
    """(every status named, the statuses named by their own name rather than by `open`): a
    duplicate is open by status but not counted as open, so `--status open` leaves it out
    while `--status in-progress` keeps it."""
    out: set[str] = set()
    named: set[str] = set()
    for value in values:
        for part in value.split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part == "open":
                out.update(model.OPEN)
            elif part == "closed":
                out.update(model.CLOSED)
                named.update(model.CLOSED)
            elif part in model.STATUSES:
                out.add(part)
                named.add(part)
            else:
                raise BadValue(f"unknown status {part!r}: use open, closed or one of {', '.join(model.STATUSES)}")
    if values and not out:
        raise BadValue(f"--status is empty: use open, closed or one of {', '.join(model.STATUSES)}")
    return out, named


def _contains(haystack: str | None, needle: str) -> bool:
    return haystack is not None and same_key(needle) in same_key(haystack)


def select(reports: list[Report], flt: Filter, as_of: date) -> list[Item]:
    """Recommendations issued by the end of `as_of` that pass every filter given. A duplicate
    (open by status, `duplicate_of` set by `as_of`) is counted with the one it duplicates: it is
    listed unfiltered and by its own status, never as open, overdue, due soon or stale."""
    statuses, named = _statuses(flt.statuses) if flt.statuses else (None, set())
    # the open measures never count a duplicate; a status filter only when it says `open`
    measured = flt.overdue or flt.due_within is not None or flt.stale is not None
    by_open = statuses is not None and not named >= statuses
    undup = measured or by_open  # else no filter leaves duplicates out: duplicate_of is not looked at
    kinds = {k.lower() for k in flt.kinds}
    priorities = {p.lower() for p in flt.priorities}
    tags = {same_key(t) for t in flt.tags}
    soon = flt.due_within.after(as_of) if flt.due_within else None
    stale_before = flt.stale.before(as_of) if flt.stale else None
    out: list[Item] = []
    for report in reports:
        if report.published > as_of:
            continue
        if flt.subject and not _contains(report.subject, flt.subject):
            continue
        if flt.issued_by and not _contains(report.by, flt.issued_by):
            continue
        if flt.issued_since is not None and report.published < flt.issued_since:
            continue
        for rec in report.recommendations:
            rec = model.as_it_stood(rec, as_of)  # its text, kind, tags and priority as they stood then
            if kinds and rec.kind not in kinds:
                continue
            if priorities and (rec.priority or "") not in priorities:
                continue
            if tags and not (tags.issubset if flt.all_tags else tags.intersection)(set(map(same_key, rec.tags))):
                continue
            state = model.state_at(rec, as_of)
            if statuses is not None and state.status not in statuses:
                continue
            if flt.unverified and (state.basis == "verified" or state.status == "awaiting-response"):
                continue
            if flt.closed_since is not None:
                closed_on = model.slippage(rec, as_of)[2] if state.closed else None
                if closed_on is None or closed_on < flt.closed_since:
                    continue
            if undup and state.duplicate_of is not None and not state.closed and (measured or state.status not in named):
                continue  # a duplicate: not open, overdue, due soon or stale
            if flt.owner and not _contains(state.owner, flt.owner):
                continue
            if flt.overdue and not state.overdue(as_of):
                continue
            if soon is not None and (state.closed or state.due is None or state.due < as_of or state.due > soon):
                continue
            if stale_before is not None and (state.closed or (state.last_event or report.published) > stale_before):
                continue
            if flt.search and not _matches(rec, state, flt.search, as_of):
                continue
            if flt.where and not all(c.holds(rec, state, report) for c in flt.where):
                continue
            out.append(Item(rec, report, state))
    return out


def _matches(rec: Recommendation, state: State, needle: str, as_of: date) -> bool:
    if any(_contains(v, needle) for v in (rec.id, rec.text, state.owner, *rec.tags)):
        return True
    return any(_contains(note, needle) or _contains(source, needle) for note, source in model.notes_upto(rec, as_of))


_DIGITS = re.compile(r"(\d+)")


def natural(text: str) -> tuple[Any, ...]:
    """R2 before R10 (a report id and a ref each sort this way; the parts are kept apart)."""
    report, slash, ref = text.rpartition("/")
    if slash:
        return (_natural(report), _natural(ref))
    return _natural(text)


@functools.lru_cache(maxsize=65536)
def _natural(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p.lower() for p in _DIGITS.split(text))


natural_part = _natural  # the key of a report id or a ref alone (`natural` of an id is the pair)


_PRIORITY_ORDER = {p: i for i, p in enumerate(model.PRIORITIES)}
_STATUS_ORDER = {s: i for i, s in enumerate(model.STATUSES)}


def sort_items(items: list[Item], key: str, as_of: date) -> list[Item]:
    key = key.lower()
    if key not in SORTS:
        raise BadValue(f"unknown sort {key!r}: use one of {', '.join(SORTS)}")
    far = date.max
    base = lambda i: (i.report.published, i.report.id, natural(i.rec.ref))  # noqa: E731
    keys = {
        "id": lambda i: (natural(i.rec.id),),
        "issued": base,
        "report": base,
        "due": lambda i: (i.state.due or far, *base(i)),
        "status": lambda i: (_STATUS_ORDER[i.state.status], *base(i)),
        "owner": lambda i: ((i.state.owner or "\uffff").casefold(), *base(i)),
        "priority": lambda i: (_PRIORITY_ORDER.get(i.rec.priority or "", 9), *base(i)),
        "last-event": lambda i: (i.state.last_event or i.report.published, *base(i)),
        "overdue": lambda i: (-i.state.days_overdue(as_of), i.state.due or far, *base(i)),
    }
    return sorted(items, key=keys[key])


def record(item: Item, as_of: date, declared: Any = None) -> dict[str, Any]:
    """The documented fields of one recommendation, as of a date (dates stay date objects);
    given the ledger's own fields (track.toml [fields]), `fields` holds each one's value (None
    where it has none)."""
    rec, report, state = item.rec, item.report, item.state
    out = {
        "id": rec.id,
        "report": rec.report,
        "ref": rec.ref,
        "kind": rec.kind,
        "text": rec.text,
        "answers": rec.answers,
        "owner": state.owner,
        "tags": list(rec.tags),
        "priority": rec.priority,
        "status": state.status,
        "basis": state.basis,
        "response": state.response,
        "due": state.due,
        "overdue": state.overdue(as_of),
        "days_overdue": state.days_overdue(as_of),
        "closed": state.closed,
        "issued": report.published,
        "subject": report.subject,
        "issued_by": report.by,
        "last_event": state.last_event,
        "last_note": state.last_note,
        "superseded_by": state.superseded_by,
        "duplicate_of": state.duplicate_of,
        "related": state.related,
        "evidence": list(rec.evidence),
        "entered": rec.entered,
        **ageing(rec, report, state, as_of),
    }
    if declared:
        out["fields"] = {name: rec.fields.get(name) for name in declared}
    return out


def ageing(rec: Any, report: Report, state: State, as_of: date) -> dict[str, Any]:
    """closed_on (the day of the event that closed it), age_days (from issue to that day, or
    to as_of while open), original_due (the first due date it had) and due_moves (how many
    times the due date moved since)."""
    first, moves, closed_on = model.slippage(rec, as_of) if state.events else (rec.due, 0, None)
    return {"closed_on": closed_on, "age_days": ((closed_on or as_of) - report.published).days, "original_due": first,
            "due_moves": moves}


def event_fields(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"date": event.date}
    out.update(event.changes())
    if event.status is not None:
        out["basis"] = event.basis
    if event.reason is not None:
        out["reason"] = event.reason
    if event.amendment:
        out["amended"] = amended_values(event.old, event.new)
    out["note"] = event.note
    out["source"] = event.source
    out["evidence"] = list(event.evidence)
    out["recorded"] = event.recorded
    out["recorded_by"] = event.recorded_by
    return out


def amended_values(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} of an amendment; the ledger's own fields each by its
    name, those it changed only (None where one had no value)."""
    out: dict[str, dict[str, Any]] = {}
    for key in dict.fromkeys([*old, *new]):
        if key == "fields":
            was, now = old.get(key) or {}, new.get(key) or {}
            for name in dict.fromkeys([*was, *now]):
                if was.get(name) != now.get(name):
                    out[name] = {"old": was.get(name), "new": now.get(name)}
        else:
            out[key] = {"old": old.get(key), "new": new.get(key)}
    return out


def detail(item: Item, as_of: date, reports: Any = None, declared: Any = None) -> dict[str, Any]:
    """`record` plus the report's title, the events up to `as_of`, oldest first (numbered as
    `update --correct N` takes them, amendments unnumbered), and, given every report, the links other
    recommendations make to this one (supersedes, duplicated_by, related_by)."""
    out = record(item, as_of, declared)
    out["report_title"] = item.report.title
    events = []
    before = model.initial_state(item.rec)
    number = 0
    for event, after in zip(item.rec.events, model.timeline(item.rec)):  # type: ignore[arg-type]
        if event.date > as_of:
            break
        number += not event.amendment  # amendments are not numbered: an edit renumbers nothing
        fields = {"number": None if event.amendment else number, **event_fields(event)}
        was = {k: getattr(before, k) for k in ("status", "due", "owner") if k in fields and getattr(before, k) != fields[k]}
        if was:
            fields["before"] = was  # what the fields it changed held until then
        fields["status_after"] = after.status
        events.append(fields)
        before = after
    out["events"] = events
    plan = [a for a in getattr(item.rec, "actions", ()) if actions.exists(a, as_of)]
    if plan:
        states = [actions.action_state(a, as_of) for a in plan]
        done, total = actions.counts(states)
        out["actions_done"], out["actions_total"] = done, total
        out["ready_to_report_complete"] = actions.ready(states, item.state.status)
        out["actions"] = [actions.fields(a, s, item.rec.id, as_of)
                          for a, s in sorted(zip(plan, states), key=lambda p: p[0].n)]
    if reports is not None:
        for event in events:
            source = reports.get(event["source"]) if event.get("source") and event["source"] in reports else None
            if source is not None and source.url:
                event["source_url"] = source.url
        out.update(links_from_others(item.rec.id, reports, as_of))
    return out


def links_from_others(rec_id: str, reports: Any, as_of: date) -> dict[str, list[str]]:
    """The recommendations whose state at the end of `as_of` names `rec_id`: those it
    supersedes (superseded_by it), those that duplicate it, those related to it."""
    found: dict[str, list[str]] = {"supersedes": [], "duplicated_by": [], "related_by": []}
    limit = as_of.toordinal()
    for report in reports.values():
        if report.published > as_of:
            continue
        recs = report.recommendations
        packed = model.packed_states(recs, limit)
        for at, rec in enumerate(recs):
            if packed is not None:
                p = packed[at]
                superseded_by, duplicate_of, related = (p[4], p[5], p[6]) if p is not None else (None, None, rec.related)
            else:
                state = model.state_at(rec, as_of)
                superseded_by, duplicate_of, related = state.superseded_by, state.duplicate_of, state.related
            if superseded_by == rec_id:
                found["supersedes"].append(rec.id)
            if duplicate_of == rec_id:
                found["duplicated_by"].append(rec.id)
            if rec_id in related:
                found["related_by"].append(rec.id)
    return found
