"""Action plans: each action's state at the end of a day (open or done, its due date and lead,
overdue, due soon) and a recommendation's plan rolled up, all derived from the events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from track.domain.model import CLOSED, Action, ActionEvent, Recommendation
from track.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class ActionState(Record):
    """An action as it stood at the end of a day."""

    __slots__ = ("n", "text", "done", "done_on", "due", "owner", "last_event", "last_note", "events")
    _fields = __slots__

    def __init__(self, n: int, text: str, done: bool, done_on: date | None, due: date | None, owner: str | None,
                 last_event: date | None, last_note: str | None, events: int) -> None:
        self.n = n
        self.text = text
        self.done = done
        self.done_on = done_on
        self.due = due
        self.owner = owner
        self.last_event = last_event
        self.last_note = last_note
        self.events = events

    @property
    def status(self) -> str:
        return "done" if self.done else "open"

    def overdue(self, as_of: date) -> bool:
        return not self.done and self.due is not None and self.due < as_of

    def state(self, as_of: date) -> str:
        """done, overdue or open."""
        if self.done:
            return "done"
        return "overdue" if self.overdue(as_of) else "open"


def exists(action: Action, as_of: date | None) -> bool:
    """Whether the action was in the plan at the end of `as_of`."""
    return as_of is None or action.added is None or action.added <= as_of


def action_state(action: Action, as_of: date | None = None) -> ActionState:
    """The action at the end of `as_of` (after all its events when None)."""
    done, done_on, due, owner = False, None, action.due, action.owner
    last_event: date | None = None
    last_note: str | None = None
    count = 0
    for event in action.events:
        if as_of is not None and event.date > as_of:
            break
        count += 1
        last_event = event.date
        if event.note:
            last_note = event.note
        if event.done is not None:
            if event.done and not done:
                done_on = event.date
            done = event.done
            if not done:
                done_on = None
        if event.due is not None:
            due = event.due
        if event.owner is not None:
            owner = event.owner
    return ActionState(action.n, action.text, done, done_on, due, owner, last_event, last_note, count)


def plan_at(rec: Recommendation, as_of: date | None = None) -> list[ActionState]:
    """The recommendation's actions that existed at the end of `as_of`, in number order."""
    return [action_state(a, as_of) for a in sorted(getattr(rec, "actions", ()), key=lambda a: a.n) if exists(a, as_of)]


def counts(states: Iterable[ActionState]) -> tuple[int, int]:
    """(done, total)."""
    done = total = 0
    for s in states:
        total += 1
        done += s.done
    return done, total


def ready(states: list[ActionState], status: str) -> bool:
    """Every action of the plan done while the recommendation is still open and not yet
    reported complete: ready to be reported complete (never closed by itself)."""
    return bool(states) and all(s.done for s in states) and status not in CLOSED and status != "reported-complete"


def fields(action: Action, state: ActionState, rec_id: str, as_of: date) -> dict[str, Any]:
    """An action as `show` and export give it: its fields, its state as of the day, its events."""
    return {
        "id": f"{rec_id}/{action.n}",
        "n": action.n,
        "text": action.text,
        "owner": state.owner,
        "due": state.due,
        "state": state.state(as_of),
        "done": state.done,
        "done_on": state.done_on,
        "days_overdue": days_overdue(state, as_of),
        "added": action.added,
        "events": [event_fields(e, was) for e, was in zip(action.events, befores(action)) if e.date <= as_of],
    }


def befores(action: Action) -> list[dict[str, Any] | None]:
    """For each of the action's events, what the due date and lead (owner) it changed held
    until then, as a recommendation's event has it in show's `before`: {field: old value} of
    those it set to another value, None when it changed neither."""
    due, owner = action.due, action.owner
    out: list[dict[str, Any] | None] = []
    for e in action.events:
        was = {}
        if e.due is not None and e.due != due:
            was["due"] = due
        if e.owner is not None and e.owner != owner:
            was["owner"] = owner
        out.append(was or None)
        if e.due is not None:
            due = e.due
        if e.owner is not None:
            owner = e.owner
    return out


def event_fields(event: ActionEvent, before: dict[str, Any] | None = None) -> dict[str, Any]:
    """An action's event as show gives it; `before` (see befores), when it changed the due date
    or lead from another value, after recorded_by."""
    return {"date": event.date, "done": event.done, "due": event.due, "reason": event.reason, "owner": event.owner,
            "note": event.note, "source": event.source, "evidence": list(event.evidence), "recorded": event.recorded,
            "recorded_by": event.recorded_by, **({"before": before} if before else {})}


def event_text(event: dict[str, Any]) -> str:
    """What an action's event changed, in words, each moved value old → new as a
    recommendation's event says it: "done", "reopened", "due 2017-05-31 → 2017-09-30 (reason:
    ...)", "lead A → B"."""
    out = []
    was = event.get("before") or {}
    if event.get("done") is not None:
        out.append("done" if event["done"] else "reopened")
    if event.get("due") is not None:
        out.append("due " + (f"{was['due']} → " if was.get("due") is not None else "") + f"{event['due']}"
                   + (f" (reason: {event['reason']})" if event.get("reason") else ""))
    if event.get("owner") is not None:
        out.append("lead " + (f"{was['owner']} → " if was.get("owner") is not None else "") + f"{event['owner']}")
    return ", ".join(out) or "note"


def newest_evidence(latest: date | None, recs: Iterable[Recommendation], as_of: date) -> date | None:
    """The newest evidence in scope, as the "latest evidence" line says it: `latest` (the newest
    event of these recommendations by `as_of`), or the newest event of their action plans dated
    on or before `as_of` when that is newer (an action done is evidence as much as an update)."""
    for rec in recs:
        for action in getattr(rec, "actions", ()):  # most have none
            for event in action.events:  # in date order
                if event.date > as_of:
                    break
                if latest is None or event.date > latest:
                    latest = event.date
    return latest


def days_overdue(state: ActionState, as_of: date) -> int:
    return (as_of - state.due).days if state.overdue(as_of) and state.due else 0



def rollup(facts: Iterable[Any], as_of: date, owner_name: Any = None) -> dict[str, Any] | None:
    """Action completion of the recommendations of `facts` (progress.Fact) at the end of
    `as_of`: total, done, open, overdue, share_done, then the same by report, by lead (the
    action's owner, one lead however named: `owner_name`, progress.owner_names, folds case and
    the aliases track.toml declares) and by the recommendation's status, and the ids of the
    recommendations whose actions are all done while they are open (ready to be reported
    complete). None when no action is in scope."""
    from track.domain.progress import owner_names, share

    lead = owner_name if owner_name is not None else owner_names()

    groups: dict[str, dict[str, dict[str, Any]]] = {"by_report": {}, "by_owner": {}, "by_status": {}}
    total = _group("all")
    ready_ids = []
    for f in facts:
        if not getattr(f.rec, "actions", ()):  # most have none (and an index entry never has)
            continue
        states = plan_at(f.rec, as_of)
        if not states:
            continue
        if ready(states, f.state.status):
            ready_ids.append(f.rec.id)
        for s in states:
            keys = (("by_report", f.report.id), ("by_owner", lead(s.owner) if s.owner else "(none)"), ("by_status", f.state.status))
            for row in [total, *(groups[g].setdefault(k, _group(k)) for g, k in keys)]:
                row["total"] += 1
                row["done"] += s.done
                row["open"] += not s.done
                row["overdue"] += s.overdue(as_of)
    if not total["total"]:
        return None
    from track.domain.model import STATUSES

    order = {"by_report": None, "by_owner": None, "by_status": {k: i for i, k in enumerate(STATUSES)}}
    out: dict[str, Any] = {}
    for row in [total, *(r for g in groups.values() for r in g.values())]:
        row["share_done"] = share(row["done"], row["total"])
    out.update({k: v for k, v in total.items() if k != "key"})
    for name, rows in groups.items():
        out[name] = sorted(rows.values(), key=_by_rank(order[name]))
    out["ready"] = ready_ids
    return out


def _by_rank(rank: dict[str, int] | None) -> Any:
    """Statuses in their order; reports and leads by name, ignoring case, "(none)" last."""
    if rank:
        return lambda r: rank[r["key"]]
    return lambda r: (r["key"] == "(none)", r["key"].casefold())


def _group(key: str) -> dict[str, Any]:
    return {"key": key, "total": 0, "done": 0, "open": 0, "overdue": 0}


def done_at(recs: Iterable[Recommendation], day: date) -> tuple[int, int]:
    """(done, total) of the actions of these recommendations at the end of `day`."""
    done = total = 0
    for rec in recs:
        d, t = counts(plan_at(rec, day))
        done += d
        total += t
    return done, total
