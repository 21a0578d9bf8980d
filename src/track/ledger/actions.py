"""Changing a recommendation's action plan: add an action, mark one done (or reopen it), move
its due date or lead, note progress. Each change is one dated event under the same rules as a
recommendation's (a date not in the future, a reason for a moved due date, nothing recorded
twice), made through Ledger.changing so that locking, the journal, undo and git work as for
any change."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from track.ledger.changes import Ledger

from track.domain import values
from track.domain.actions import action_state, exists
from track.domain.errors import BadValue, Refused, UnknownId
from track.domain.model import Action, ActionEvent, Recommendation, Report
from track.ledger.changes import refuse_twice, what_is_new

_ACTION_ID = re.compile(r"^(?P<rec>.+)/(?P<n>\d{1,6})\Z")


def split_id(text: str) -> tuple[str, int]:
    """ID/N as (the recommendation's id as typed, N)."""
    match = _ACTION_ID.match(text.strip())
    if not match or int(match.group("n")) < 1:
        raise BadValue(f"{text!r} names no action: an action is ID/N, the recommendation's id and the action's "
                       "number, e.g. hmic-2016-met-cp/R1/2")
    return match.group("rec"), int(match.group("n"))


def find(rec: Recommendation, n: int) -> Action:
    action = rec.action(n)
    if action is None:
        numbers = ", ".join(str(a.n) for a in sorted(rec.actions, key=lambda a: a.n))
        raise UnknownId(f"{rec.id} has no action {n}" + (f" (its actions: {numbers})" if numbers else " (it has no actions)"))
    return action


def _day(when: date | str | None, today: date) -> date:
    day = values.day(when, base=today, what="--date") if when is not None else today
    if day > today:
        raise Refused(f"--date {day} is after today ({today}): record an event once it has happened")
    return day


def _due(due: date | str, base: date, report: Report) -> date:
    due_date = values.day(due, base=base, month="end", publication=report.published, what="--due")
    if due_date < report.published:
        raise Refused(f"--due {due_date} is before the report's publication ({report.published})")
    return due_date


def add(ledger: Ledger, id_text: str, *, text: str, owner: str, due: date | str, when: date | str | None = None
        ) -> tuple[Recommendation, Action]:
    """Add an action to a recommendation's plan: the next number, never one used before."""
    today = ledger.today()
    day = _day(when, today)
    clean = values.clean_text(text, "--text", required=True) or ""
    lead = values.name(owner, "--owner", required=True)
    with ledger.changing(f"action add {id_text}") as dirty:
        report, rec = ledger.to_change(id_text)
        if day < report.published:
            raise Refused(f"--date {day} is before {report.id} was published ({report.published})")
        due_date = _due(due, day, report)
        if any(values.fold(a.text) == values.fold(clean) for a in rec.actions):
            same = next(a for a in rec.actions if values.fold(a.text) == values.fold(clean))
            raise Refused(f"{rec.id}/{same.n} already has this text; nothing was written")
        action = Action(n=max((a.n for a in rec.actions), default=0) + 1, text=clean, owner=lead, due=due_date, added=day,
                        recorded=today, recorded_by=ledger.user())
        rec.actions.append(action)
        if due_date < day:
            ledger.warnings.append(f"warning: the due date {due_date} is already past on {day} (the day it was added)")
        ledger.describe = f"action add {rec.id}/{action.n}"
        ledger.commit_message = f"{rec.ref}: action {action.n} added, {lead}, due {due_date} ({report.id})"
        dirty.add(report.id)
    return rec, action


def record(ledger: Ledger, action_text: str, *, when: date | str | None = None, done: bool | None = None,
           due: date | str | None = None, reason: str | None = None, owner: str | None = None, note: str | None = None,
           source: str | None = None, evidence: Iterable[str] = ()) -> tuple[Recommendation, Action, ActionEvent]:
    """One event of an action: done (True), reopened (False), a new due date (with a reason
    when it moves one), a new lead, a note."""
    id_text, n = split_id(action_text)
    today = ledger.today()
    day = _day(when, today)
    if reason is not None and due is None:
        raise BadValue("--reason explains a change of due date: give --due as well, or use --note")
    evidence = [values.clean_text(e, "--evidence", required=True, single_line=True) or "" for e in evidence]
    verb = "done" if done else ("reopen" if done is False else "update")
    with ledger.changing(f"action {verb} {action_text}") as dirty:
        report, rec = ledger.to_change(id_text)
        action = find(rec, n)
        name = f"{rec.id}/{n}"
        if not exists(action, day):
            raise Refused(f"--date {day} is before {name} was added to the plan ({action.added})")
        before = action_state(action, day)
        if done is True and before.done:
            raise Refused(f"{name} is already done (on {before.done_on}); nothing was written")
        if done is False and not before.done:
            raise Refused(f"{name} is not done on {day}: there is nothing to reopen")
        due_date = _due(due, day, report) if due is not None else None
        if due_date is not None and before.due is not None and due_date != before.due and not (reason and reason.strip()):
            raise Refused(f"{name} is due {before.due}: changing its due date needs --reason")
        if due_date is not None and due_date != before.due:
            later = next((e for e in action.events if e.date > day and e.due is not None), None)
            if later is not None and later.due != due_date and not (later.reason and later.reason.strip()):
                raise Refused(f"{name}: the event of {later.date} sets the due date {later.due} without a reason; "
                              f"a due date of {due_date} on {day} would make that an unexplained change")
        if done is not None:
            later_done = next((e for e in action.events if e.date > day and e.done is not None), None)
            if later_done is not None and later_done.done == done:
                raise Refused(f"{name}: the event of {later_done.date} already marks it "
                              f"{'done' if done else 'reopened'}; record this one with a --date after it or not at all")
        event = ActionEvent(
            date=day,
            done=done,
            due=due_date,
            reason=values.clean_text(reason, "--reason") if due_date is not None else None,
            owner=values.name(owner, "--owner", required=owner is not None),
            note=values.clean_text(note, "--note"),
            source=values.clean_text(source, "--source", single_line=True),
            evidence=list(evidence),
            recorded=today,
            recorded_by=ledger.user(),
        )
        if not event.changes() and not (event.note and event.note.strip()):
            raise BadValue("nothing to record: give --due, --owner, --reopen or a --note")
        refuse_twice(name, action.events, event)  # the same event entered again, as it was given
        # A due date or lead the action already has on the event's day is no change: left out of
        # the event, so that its history tells only what changed; what is left must still change
        # something or carry a note.
        unchanged: list[tuple[str, str]] = []  # (flag, what it restated)
        if event.due is not None and event.due == before.due:
            unchanged.append(("--due", f"{name} is already due {event.due} on {day}"))
            event.due = event.reason = None
        if event.owner is not None and event.owner == before.owner:
            unchanged.append(("--owner", f"{event.owner} is already the lead of {name} on {day}"))
            event.owner = None
        what_is_new(name, action.events, event, unchanged, due_date, before.due, day, ledger.warnings)
        action.add_event(event)
        ledger.describe = f"action {verb} {name} ({day})"
        ledger.commit_message = f"{rec.ref}: action {n} {changed(event)} ({report.id})"
        dirty.add(report.id)
    return rec, action, event


def changed(event: ActionEvent) -> str:
    out = []
    if event.done is not None:
        out.append("done" if event.done else "reopened")
    if event.due is not None:
        out.append(f"due {event.due}")
    if event.owner is not None:
        out.append(f"owner {event.owner}")
    return ", ".join(out) or "note"
