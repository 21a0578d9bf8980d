"""Every event in date order, as `track history` lists it: of one recommendation, of a report
and those that follow it, or of the whole ledger, between two dates."""

from __future__ import annotations

from datetime import date
from itertools import chain, repeat
from operator import attrgetter, itemgetter, sub

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain.errors import AmbiguousId, UnknownId
from track.domain.model import Entry, Event, Recommendation, Report, as_it_stood, packed_amendment
from track.domain.record import Record

# --------------------------------------------------------------------------- history


class History(Record):
    """Every event shown, kept compact (a national register has hundreds of thousands): each
    event as the index packs it (see `packed_event`), with parallel lists saying whose it is
    and the status it left, all in the order they were read (recommendation by recommendation,
    as the index lies in memory), and `order`, which puts them in date order: the views make
    their cells in the order read, where it is quick to go through them, and only the cells
    (few distinct ones, bar the notes) are put in date order."""

    _fields = ("target", "kind", "since", "until", "ledger_name", "ledger_root", "ids", "report_ids", "events", "whose",
               "status_after", "order", "before", "source_urls")

    def __init__(self, target: str | None, kind: str, since: date | None, until: date, ledger_name: str, ledger_root: str,
                 ids: list[str], report_ids: list[str], events: list[tuple], whose: list[int], status_after: list[str],
                 order: list[int], before: list[tuple | None] | None = None, source_urls: dict[str, str] | None = None) -> None:
        self.target = target  # what was asked for: a recommendation id, a report id, or None (all)
        self.kind = kind  # "recommendation", "report" or "ledger"
        self.since = since
        self.until = until
        self.ledger_name = ledger_name
        self.ledger_root = ledger_root
        self.ids = ids  # the id of each recommendation looked at
        self.report_ids = report_ids  # and the id of its report
        self.events = events  # the events, each as packed_event makes it, recommendation by recommendation
        self.whose = whose  # for each event, the index of its recommendation in `ids`
        self.status_after = status_after  # for each event, the status after it
        self.order = order  # the events' indices in date order (one day: issue order)
        # for each event, what the status, due date and owner it changed held until then, as
        # query.detail's `before` says it: ((field, old value), ...), None when it changed none of them
        self.before = [None] * len(events) if before is None else before
        self.source_urls = {} if source_urls is None else source_urls  # each report's url, by id, where it has one


def packed_event(event: Event) -> tuple:
    """An event as the index packs it (cache.pack): (date, status, response, due, reason, owner,
    superseded_by, duplicate_of, related, note, source, evidence, basis, old, new, recorded,
    recorded_by), dates as ordinals, lists as tuples, an amendment's values as TOML text."""
    return (event.date.toordinal(), event.status, event.response, None if event.due is None else event.due.toordinal(),
            event.reason, event.owner, event.superseded_by, event.duplicate_of, tuple(event.related), event.note,
            event.source, tuple(event.evidence), event.basis, packed_amendment(event.old), packed_amendment(event.new),
            None if event.recorded is None else event.recorded.toordinal(), event.recorded_by)


def packed_events(rec: Recommendation) -> tuple | list:
    """A recommendation's events as packed_event makes them: straight from the index when it
    was read from there, else made from its events (a report file with unknown keys)."""
    if isinstance(rec, Entry):
        first, end = rec.notes_span  # type: ignore[attr-defined]
        return rec.packed.get()[first:end]  # type: ignore[attr-defined]
    return [packed_event(e) for e in rec.events]


def _between(packed: tuple | list, start: int | None, limit: int, after: list[str], before: list[tuple | None],
             rec: Recommendation, entered_from: int | None = None) -> list[tuple]:
    """The events dated from `start` to `limit` (ordinals; both included, `start` None: from
    the first), and entered on or after `entered_from` when given, each with the status after
    it added to `after` and what it changed added to `before` (see _was)."""
    out = []
    status = "awaiting-response"
    response_seen = False
    due = None if rec.due is None else rec.due.toordinal()
    owner = rec.owner
    for t in packed:
        if t[0] > limit:
            break
        was = status, due, owner
        status, due, owner, response_seen = _folded(t, status, due, owner, response_seen)
        if start is not None and t[0] < start:
            continue
        if entered_from is not None and (t[15] is None or t[15] < entered_from):
            continue
        out.append(t)
        after.append(status)
        before.append(_was(t, *was))
    return out


def _befores(packed: tuple | list, rec: Recommendation) -> list[tuple | None]:
    """_was of each of these events, all of one recommendation's from its first."""
    out: list[tuple | None] = []
    add = out.append
    status = "awaiting-response"
    response_seen = False
    due = None if rec.due is None else rec.due.toordinal()
    owner = rec.owner
    for t in packed:
        if t[1] is None and t[3] is None and t[5] is None:  # changes none of them (a note, a response): the usual case
            if t[2] is not None:
                if not response_seen and status == "awaiting-response":
                    status = "not-started"
                response_seen = True
            add(None)
            continue
        add(_was(t, status, due, owner))
        status, due, owner, response_seen = _folded(t, status, due, owner, response_seen)
    return out


def _folded(t: tuple, status: str, due: int | None, owner: str | None, response_seen: bool
            ) -> tuple[str, int | None, str | None, bool]:
    """The status, due date and owner after this packed event, and whether a response has
    been recorded by then: folded as model.state_at does."""
    if t[2] is not None:
        if not response_seen and status == "awaiting-response" and t[1] is None:
            status = "not-started"
        response_seen = True
    if t[1] is not None:
        status = t[1]
    if t[3] is not None:
        due = t[3]
    if t[5] is not None:
        owner = t[5]
    return status, due, owner, response_seen


def _was(t: tuple, status: str, due: int | None, owner: str | None) -> tuple | None:
    """What the status, due date and owner this packed event sets held before it, those that
    differ, as query.detail's `before` has them: ((field, old value), ...), or None."""
    if t[1] is None and t[3] is None and t[5] is None:
        return None
    was = []
    if t[1] is not None and t[1] != status:
        was.append(("status", status))
    if t[3] is not None and t[3] != due:
        was.append(("due", None if due is None else date.fromordinal(due)))
    if t[5] is not None and t[5] != owner:
        was.append(("owner", owner))
    return tuple(was) or None


def history_target(reports: dict[str, Report], resolve: Any, text: str) -> tuple[str, list[Recommendation], Report | None]:
    """What ID|REPORT names: an exact report id, a REPORT/REF id, a unique report prefix, then
    anything `resolve` accepts (REF alone, a prefix of a full id)."""
    text = text.strip()
    if "/" not in text:
        if text in reports:
            return "report", [], reports[text]
        matches = [rid for rid in reports if rid.startswith(text)] or [rid for rid in reports if rid.lower().startswith(text.lower())]
        if len(matches) == 1:
            return "report", [], reports[matches[0]]
        if len(matches) > 1:
            try:
                rec = resolve(text)
            except UnknownId:
                raise AmbiguousId(f"report {text!r} is ambiguous: it could be {', '.join(sorted(matches)[:10])}") from None
            return "recommendation", [rec], None
    try:
        rec = resolve(text)
    except UnknownId:
        raise UnknownId(f"unknown report or recommendation {text!r}") from None
    return "recommendation", [rec], None


ISSUED = "issued"  # the status of the row that says a recommendation was issued (no event may set it)
PUBLISHED = "published"  # ... that a report was published and added
# ... that an action joined a recommendation's plan (its text as the note), was marked done,
# was reopened, or had another event (a moved due date, a new lead, a note): its id is the
# action's, REPORT/REF/N.
ACTION_ADDED, ACTION_DONE, ACTION_REOPENED, ACTION_EVENT = "action-added", "action-done", "action-reopened", "action-updated"
ACTION_ROWS = (ACTION_ADDED, ACTION_DONE, ACTION_REOPENED, ACTION_EVENT)


def history(reports: dict[str, Report], recs: list[Recommendation] | None, *, since: date | None, until: date,
            target: str | None = None, kind: str = "ledger", ledger_name: str = "", ledger_root: str = "",
            recorded_since: date | None = None) -> History:
    """Every event dated from `since` to `until` (both included) of these recommendations (all
    of the given reports when None), in date order; events of one day in issue order. Each
    report's publication and each recommendation's issue are rows of their own, first on their
    day. With `recorded_since`, only what was entered on or after that day (whatever its date):
    events by their `recorded`, recommendations and reports by their `entered`."""
    if recs is None:
        ordered = sorted(reports.values(), key=lambda r: (r.published, r.id))
        groups = [r.recommendations for r in ordered if r.published <= until]
        shown = [r for r in ordered if r.published <= until]
    else:
        groups = [recs]
        shown = [] if kind == "recommendation" else sorted({reports[r.report].id: reports[r.report] for r in recs}.values(),
                                                            key=lambda r: (r.published, r.id))
    limit = until.toordinal()
    start = since.toordinal() if since is not None else None
    entered_from = recorded_since.toordinal() if recorded_since is not None else None
    ids: list[str] = []
    report_ids: list[str] = []
    events: list[tuple] = []
    whose: list[int] = []
    after: list[str] = []
    before: list[tuple | None] = []
    keep, mark, stated, olds = events.extend, whose.extend, after.extend, before.extend
    _entries(reports, shown, [rec for group in groups for rec in group], start, until, entered_from, ids, report_ids,
             events, whose, after)
    olds([None] * len(events))
    for group in groups:
        whole = _whole_report(group, limit) if start is None and entered_from is None else None
        if whole is not None:  # all of a report's events, as its shard holds them, with the status after each
            notes, counts = whole
            n = len(ids)
            ids += map(_ID, group)
            report_ids += map(_REPORT, group)
            keep(notes.items)
            stated(notes.afters)
            mark(chain.from_iterable(map(repeat, range(n, n + len(group)), counts)))
            for rec in group:
                first, end = rec.notes_span  # type: ignore[attr-defined]
                olds(_befores(notes.items[first:end], rec))
            continue
        for rec in group:
            n = len(ids)
            ids.append(rec.id)
            report_ids.append(rec.report)  # its report's id
            if isinstance(rec, Entry):  # read from the index: its events are in date order
                first, end = rec.notes_span  # type: ignore[attr-defined]
                notes = rec.packed  # type: ignore[attr-defined]
                packed = notes.get()[first:end]
                if start is None and entered_from is None and (not packed or packed[-1][0] <= limit):
                    keep(packed)  # all, with the status after each as indexed
                    mark([n] * len(packed))
                    stated(notes.afters[first:end])
                    olds(_befores(packed, rec))
                    if rec.actions:
                        _action_rows(rec, start, limit, entered_from, ids, report_ids, events, whose, after, before)
                    continue
            else:
                packed = packed_events(rec)
            packed = _between(packed, start, limit, after, before, rec, entered_from)  # some of them, maybe
            keep(packed)
            mark([n] * len(packed))
            if rec.actions:
                _action_rows(rec, start, limit, entered_from, ids, report_ids, events, whose, after, before)
    days = list(map(_DAY, events))
    # a stable sort by date keeps one day's events in issue order (recommendation, then event)
    order = sorted(range(len(days)), key=days.__getitem__)
    urls = {r.id: r.url for r in reports.values() if r.url}
    return History(target, kind, since, until, ledger_name, ledger_root, ids, report_ids, events, whose, after, order, before,
                   urls)


def _entries(reports: dict[str, Report], shown: list[Report], recs: list[Recommendation], start: int | None, until: date,
             entered_from: int | None, ids: list[str], report_ids: list[str], events: list[tuple], whose: list[int],
             after: list[str]) -> None:
    """The rows that say a report was published (its title as the note) and a recommendation
    issued (its text as it stood at the end of `until` as the note, its report as the source),
    packed as events are: the first rows, so that each comes first on its day."""
    limit = until.toordinal()
    for report in shown:
        day = report.published.toordinal()
        if (start is not None and day < start) or day > limit or not _entered(report.entered, entered_from):
            continue
        whose.append(len(ids))
        ids.append(report.id)
        report_ids.append(report.id)
        events.append(_entry_row(day, PUBLISHED, report.title, report.url, report.entered))
        after.append(None)  # type: ignore[arg-type]
    for rec in recs:
        report = reports[rec.report]
        day = report.published.toordinal()
        if (start is not None and day < start) or day > limit or not _entered(rec.entered, entered_from):
            continue
        whose.append(len(ids))
        ids.append(rec.id)
        report_ids.append(rec.report)
        events.append(_entry_row(day, ISSUED, as_it_stood(rec, until).text, report.id, rec.entered))
        after.append("awaiting-response")


def _action_rows(rec: Recommendation, start: int | None, limit: int, entered_from: int | None, ids: list[str],
                 report_ids: list[str], events: list[tuple], whose: list[int], after: list[str],
                 before: list[tuple | None]) -> None:
    """A recommendation's action plan as rows of its own, packed as events are: each action's
    adding (on the day it was added) and each of its events, dated from `start` to `limit`
    (with no status after them), each event with the action's due date and lead it moved, as
    they stood until then, in `before` (actions.befores: ("due", old), ("owner", old))."""
    from track.domain.actions import befores

    for action in sorted(rec.actions, key=attrgetter("n")):
        rows = []
        if action.added is not None:
            rows.append(((action.added.toordinal(), ACTION_ADDED, None, _ord(action.due), None, action.owner, None, None, (),
                          action.text, None, (), None, None, None, _ord(action.recorded), action.recorded_by), None))
        for e, was in zip(action.events, befores(action)):
            kind = ACTION_EVENT if e.done is None else (ACTION_DONE if e.done else ACTION_REOPENED)
            rows.append(((e.date.toordinal(), kind, None, _ord(e.due), e.reason, e.owner, None, None, (), e.note, e.source,
                          tuple(e.evidence), None, None, None, _ord(e.recorded), e.recorded_by),
                         tuple(was.items()) if was else None))
        rows = [(t, was) for t, was in rows if (start is None or t[0] >= start) and t[0] <= limit
                and (entered_from is None or (t[15] is not None and t[15] >= entered_from))]
        if rows:
            whose.extend([len(ids)] * len(rows))
            ids.append(f"{rec.id}/{action.n}")
            report_ids.append(rec.report)
            events.extend(t for t, _ in rows)
            after.extend([None] * len(rows))  # type: ignore[list-item]
            before.extend(was for _, was in rows)


def _ord(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _entered(day: date | None, entered_from: int | None) -> bool:
    return entered_from is None or (day is not None and day.toordinal() >= entered_from)


def _entry_row(day: int, what: str, note: str, source: str | None, entered: date | None) -> tuple:
    return (day, what, None, None, None, None, None, None, (), note, source, (), None, None, None,
            None if entered is None else entered.toordinal(), None)


_DAY = itemgetter(0)


_ID, _REPORT, _SPAN, _PACKED = attrgetter("id"), attrgetter("report"), attrgetter("notes_span"), attrgetter("packed")


def _whole_report(recs: list[Recommendation], limit: int) -> tuple[Any, list[int]] | None:
    """When these are all of one report's recommendations, read from the index, whose events
    lie one after another in its shard and end by `limit` (an ordinal): (their Notes, how
    many events each has). Then history takes the shard's events and statuses whole (in C)
    instead of each recommendation's. (Not when one has an action plan: its rows go in too.)"""
    kinds = set(map(type, recs))
    if len(kinds) != 1 or not issubclass(kinds.pop(), Entry) or any(rec.actions for rec in recs):
        return None
    packed = set(map(_PACKED, recs))
    if len(packed) != 1:
        return None
    notes = packed.pop()
    items = notes.get()
    firsts, ends = zip(*map(_SPAN, recs))
    if firsts[0] != 0 or ends[-1] != len(items) or firsts[1:] != ends[:-1] or (items and max(map(_DAY, items)) > limit):
        return None
    return notes, list(map(sub, ends, firsts))
