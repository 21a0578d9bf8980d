"""The rules `check` applies within a report file and across the ledger, worked out once per
file as items the index can keep."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator
from datetime import date

from track.domain import fields
from track.domain.fields import Field
from track.domain.model import Action, Recommendation, Report
from track.store import layout, reportfile
from track.store.reportfile import Problem

# An item: (kind, target, path, line, column, message); kind is "problem" (always reported),
# "report" (a problem if no report has the id `target`), "link" (if no recommendation has it)
# or "answers" (if none has it, or it is not a cause of concern); "future" (the latest day of a
# report's events, as an ordinal: a problem if after the day `check` runs, see future_problems).
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: a tenth of a small command's start-up
    from typing import Any

    Item = tuple[str, Any, str, Any, Any, str]


TODAY = "{today}"  # in a "future" item's message: the day check runs, put in when it is judged


def report_checks(report: Report, text: str) -> list[Item]:
    out: list[Item] = []
    path = f"{layout.REPORTS}/{report.id}.toml"

    def add(kind: str, target: Any, keys: tuple[Any, ...], message: str) -> None:
        line, column = reportfile.locate(text, keys)
        out.append((kind, target, path, line, column, message))

    for followed in report.follows:
        if followed == report.id:  # it would hide a missed follow-up of its own
            add("problem", None, ("follows",), f"follows {followed!r}: a report cannot follow itself")
            continue
        add("report", followed, ("follows",), f"follows {followed!r}, which is not a report of this ledger")
    latest = 0
    for i, rec in enumerate(report.recommendations):
        for keys, kind, target, message in recommendation_checks(report, rec):
            if kind == "future":  # kept as the latest day alone: judged against the day `check` runs
                latest = max(latest, target)
                continue
            add(kind, target, ("recommendations", i) + keys, message)
    if latest:
        out.append(("future", latest, path, None, None, report.id))
    return out


def future_problems(report: Report, text: str, today: date) -> list[Problem]:
    """The events (and actions' adding) of a report dated after `today`, each where it stands:
    looked for only when the report's latest day is after today, so the index keeps one day a
    report, not one an event."""
    path = f"{layout.REPORTS}/{report.id}.toml"
    out = []
    for i, rec in enumerate(report.recommendations):
        for keys, kind, target, message in recommendation_checks(report, rec):
            if kind == "future" and target > today.toordinal():
                line, column = reportfile.locate(text, ("recommendations", i) + keys)
                out.append(Problem(path, line, column, message.replace(TODAY, str(today))))
    return out


def recommendation_checks(report: Report, rec: Recommendation) -> Iterator[tuple[tuple[Any, ...], str, Any, str]]:
    """One recommendation's items as (keys within the recommendation, kind, target, message)."""
    if rec.answers is not None:
        yield ("answers",), "answers", rec.answers, rec.id
    for name, value in rec.fields.items():  # as the index can keep it: a date as its ordinal
        dated = type(value) is date
        yield ("fields", name), "field", (name, value.toordinal() if dated else value, dated), rec.id
    for link in rec.related:
        yield ("related",), "link", link, f"{rec.id} is related to {link!r}, which is not in the ledger"
    state_due = rec.due
    if rec.due is not None and rec.due < report.published:  # as add and update refuse it
        yield ("due",), "problem", None, f"{rec.id}: due {rec.due} is before the report's publication ({report.published})"
    response_seen = False
    superseded_by = None
    for j, event in enumerate(rec.events):
        ekeys = ("events", j)
        if event.date < report.published:
            yield ekeys + ("date",), "problem", None, f"{rec.id}: event of {event.date} is before the report's publication ({report.published})"
        yield ekeys + ("date",), "future", event.date.toordinal(), f"{rec.id}: event of {event.date} is after today ({TODAY}): record an event once it has happened"
        if event.due is not None and event.due < report.published:
            yield ekeys + ("due",), "problem", None, f"{rec.id}: due {event.due} is before the report's publication ({report.published})"
        if event.due is not None:
            if state_due is not None and event.due != state_due and not event.reason:
                yield ekeys + ("due",), "problem", None, f"{rec.id}: the due date changes from {state_due} to {event.due} without a reason"
            state_due = event.due
        if event.response is not None:
            response_seen = True
        if event.status == "awaiting-response" and response_seen:
            yield ekeys + ("status",), "problem", None, f"{rec.id}: awaiting-response after a response was recorded"
        superseded_by = event.superseded_by or superseded_by
        if event.status == "superseded" and superseded_by is None:
            yield ekeys + ("status",), "problem", None, f"{rec.id}: superseded without superseded_by"
        for name, link in (("superseded_by", event.superseded_by), ("duplicate_of", event.duplicate_of),
                           *(("related", r) for r in event.related)):
            if link is not None:
                yield ekeys + (name,), "link", link, f"{rec.id}: {name} {link!r} is not in the ledger"
        if event.amendment:
            if not (event.reason and event.reason.strip()):
                yield ekeys, "problem", None, f"{rec.id}: the amendment of {event.date} gives no reason"
        elif not event.changes() and not (event.note and event.note.strip()):
            yield ekeys, "problem", None, f"{rec.id}: event of {event.date} changes nothing and has no note"
        if event.basis is not None and event.status is None:
            yield ekeys + ("basis",), "problem", None, f"{rec.id}: event of {event.date} has a basis but sets no status"
    for j, action in enumerate(rec.actions):
        yield from action_checks(report, rec, action, ("actions", j))


def action_checks(report: Report, rec: Recommendation, action: Action, akeys: tuple[Any, ...]
                  ) -> Iterator[tuple[tuple[Any, ...], str, Any, str]]:
    """One action's items, as the rules for a recommendation's events have them."""
    name = f"{rec.id}/{action.n}"
    if action.added is not None and action.added < report.published:
        yield akeys + ("added",), "problem", None, f"{name}: added {action.added}, before the report's publication ({report.published})"
    if action.added is not None:
        yield akeys + ("added",), "future", action.added.toordinal(), f"{name}: added {action.added}, after today ({TODAY})"
    if action.due is not None and action.due < report.published:
        yield akeys + ("due",), "problem", None, f"{name}: due {action.due} is before the report's publication ({report.published})"
    due = action.due
    done = False
    for j, event in enumerate(action.events):
        ekeys = akeys + ("events", j)
        if event.date < report.published:
            yield ekeys + ("date",), "problem", None, f"{name}: event of {event.date} is before the report's publication ({report.published})"
        yield ekeys + ("date",), "future", event.date.toordinal(), f"{name}: event of {event.date} is after today ({TODAY}): record an event once it has happened"
        if event.due is not None:
            if event.due < report.published:
                yield ekeys + ("due",), "problem", None, f"{name}: due {event.due} is before the report's publication ({report.published})"
            if due is not None and event.due != due and not (event.reason and event.reason.strip()):
                yield ekeys + ("due",), "problem", None, f"{name}: the due date changes from {due} to {event.due} without a reason"
            due = event.due
        if event.done is not None:
            if event.done == done:
                yield ekeys + ("done",), "problem", None, (f"{name}: event of {event.date} marks it done when it is done already"
                                                           if done else f"{name}: event of {event.date} reopens it when it is not done")
            done = event.done
        if not event.changes() and not (event.note and event.note.strip()):
            yield ekeys, "problem", None, f"{name}: event of {event.date} changes nothing and has no note"


def evaluate(items: list[Item], reports: set[str], kinds: dict[str, str], unreadable: frozenset[str] = frozenset(),
             declared: dict[str, Field] | None = None, *, misdeclared: Container[str] = frozenset(),
             today: date | None = None, future: Callable[[str], list[Problem]] | None = None) -> list[Problem]:
    """The problems among a report's items, given every report id and every recommendation's
    kind, and the fields track.toml declares (a value of one it does not, or that does not fit;
    none of one whose declaration is wrong, `misdeclared`: the declaration is the problem). A
    link into a report file that cannot be read (`unreadable`: a merge conflict, a bad edit) is
    not judged: that file's own problem is the one to fix. With `today` and `future`, an
    event dated after today is a problem, as the commands refuse one: `future(report id)`
    names each of a report's (a "future" item holds only its latest day)."""
    out = []
    for kind, target, path, line, column, message in items:
        if kind == "problem":
            out.append(Problem(path, line, column, message))
        elif kind == "future":
            if today is not None and future is not None and target > today.toordinal():
                out.extend(future(message))  # a report's latest day is after today: find its events
        elif kind == "field":
            name, value, dated = target
            if dated:
                value = date.fromordinal(value)
            field = (declared or {}).get(name)
            if field is None and name in misdeclared:
                continue
            if field is None:
                out.append(Problem(path, line, column, f"{message}: field {name!r} is not declared in track.toml "
                                                       f"([fields.{name}]; kept as it is)"))
            else:
                wrong = fields.problem(field, value)
                if wrong:
                    out.append(Problem(path, line, column, f"{message}: {name} = {wrong}"))
        elif kind == "report":
            if target not in reports and target not in unreadable:
                out.append(Problem(path, line, column, message))
        elif isinstance(target, str) and target.partition("/")[0] in unreadable:
            continue
        elif kind == "link":
            if target not in kinds:
                out.append(Problem(path, line, column, message))
        elif kind == "answers":
            if target not in kinds:
                out.append(Problem(path, line, column, f"{message} answers {target!r}, which is not in the ledger"))
            elif kinds[target] != "cause-of-concern":
                out.append(Problem(path, line, column, f"{message} answers {target}, which is not a cause-of-concern"))
    return out


def follow_cycles(checks: list[list[Item]]) -> list[Problem]:
    """Reports that follow each other round in a circle (a follows b follows a): each would
    count the other as its follow-up and hide a missed one. Found from the "report" items (a
    report's `follows`) by one depth-first walk, iterative and linear in the links; a problem a
    circle, at the `follows` that closes it."""
    edges: dict[str, list[tuple[str, Item]]] = {}
    prefix = f"{layout.REPORTS}/"
    for items in checks:
        for item in items:
            if item[0] == "report":
                edges.setdefault(item[2][len(prefix):-len(".toml")], []).append((item[1], item))
    out = []
    state: dict[str, int] = {}  # 1: on the walk's path, 2: done
    for root in sorted(edges):
        if root in state:
            continue
        path: list[str] = [root]
        state[root] = 1
        todo = [iter(sorted(edges.get(root, []), key=lambda e: e[0]))]
        while todo:
            step = next(todo[-1], None)
            if step is None:
                state[path.pop()] = 2
                todo.pop()
                continue
            target, item = step
            if state.get(target) == 1:  # back to a report on the path: a circle
                circle = path[path.index(target):]
                round_trip = " -> ".join([*circle, target])
                out.append(Problem(item[2], item[3], item[4], f"follows {target!r}, which leads back to it "
                                                              f"({round_trip}): follow-ups cannot go round in a circle"))
            elif target not in state and target in edges:
                state[target] = 1
                path.append(target)
                todo.append(iter(sorted(edges[target], key=lambda e: e[0])))
    return out
