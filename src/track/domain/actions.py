"""Action plans: each action's state at the end of a day (open or done, its due date and lead,
overdue, due soon) and a recommendation's plan rolled up, all derived from the events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from track.domain.model import Action, Recommendation
from track.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from track.domain.dates import Duration


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

    def due_soon(self, as_of: date, within: Duration) -> bool:
        return not self.done and self.due is not None and as_of <= self.due <= within.after(as_of)

    def state(self, as_of: date, within: Duration | None = None) -> str:
        """done, overdue, due-soon (when `within` is given) or open."""
        if self.done:
            return "done"
        if self.overdue(as_of):
            return "overdue"
        if within is not None and self.due_soon(as_of, within):
            return "due-soon"
        return "open"


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


def ready(states: list[ActionState], closed: bool) -> bool:
    """Every action of the plan done while the recommendation is still open and not yet
    reported complete: ready to be reported complete (never closed by itself)."""
    return bool(states) and all(s.done for s in states) and not closed


def in_window(due: date, as_of: date, within: Duration) -> bool:
    return as_of <= due <= within.after(as_of)


def days_overdue(state: ActionState, as_of: date) -> int:
    return (as_of - state.due).days if state.overdue(as_of) and state.due else 0


ONE_DAY = timedelta(days=1)
