"""Putting the record right: amending a recommendation's fields (`track edit`), correcting or
dropping one of its events (`track update --correct N / --drop N`), and removing what was
entered in error (`track remove`). An amendment is an event of its own, dated, with its reason
and the old and new values, so that the record shows what was corrected and `--as-of` before
it shows the old values; only `remove` deletes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from track.ledger.changes import Ledger

from track.domain import model, values
from track.domain.errors import BadValue, Refused, UnknownId
from track.domain.model import Event, Recommendation, Report
from track.store import reportfile
from track.store.checks import recommendation_checks

CLEAR = ("", "none")  # what clears an optional field: --priority none, --answers ""


def stored(value: Any) -> Any:
    """A field's value as an amendment keeps it: "" for none, a list for tags, a table for
    the ledger's own fields."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return "" if value is None else value


def edit(ledger: Ledger, id_text: str, *, reason: str, when: date | str | None = None, text: str | None = None,
         kind: str | None = None, tags: Iterable[str] = (), untags: Iterable[str] = (), priority: str | None = None,
         answers: str | None = None, ref: str | None = None, sets: Iterable[str] = (),
         unsets: Iterable[str] = ()) -> tuple[Recommendation, Event]:
    """Amend a recommendation's text, kind, tags, priority, answers link, ref or own fields
    (`sets` NAME=VALUE, `unsets` NAME): one event."""
    from track.domain import fields

    today = ledger.today()
    given = ledger.field_values(sets)
    cleared = list(dict.fromkeys(fields.find(ledger.fields, n, "field to unset").name for n in unsets))
    both = [n for n in cleared if n in given]
    if both:
        raise BadValue(f"--set and --unset both name {both[0]}: give one")
    day = _day(when, today)
    why = values.clean_text(reason, "--reason", required=True)
    new_text = values.clean_text(text, "--text", required=True) if text is not None else None
    new_kind = values.choice(kind, model.KINDS, "kind") if kind is not None else None
    new_priority: str | None = None
    if priority is not None and priority.strip().lower() not in CLEAR:
        new_priority = values.choice(priority, model.PRIORITIES, "priority")
    added = [values.name(t, "--tag", required=True) or "" for t in tags]
    removed = [values.name(t, "--untag", required=True) or "" for t in untags]
    if ref is not None and not model.SAFE_REF.match(ref):
        raise BadValue(f"--ref {ref!r} must be letters, digits, '.', '_' or '-' (at most 40), such as R3 or AFI2")
    with ledger.changing(f"edit {id_text}") as dirty:
        report, rec = ledger.to_change(id_text)
        if day < report.published:
            raise Refused(f"--date {day} is before {report.id} was published ({report.published})")
        wanted: dict[str, Any] = {}
        if new_text is not None:
            wanted["text"] = new_text
        if new_kind is not None:
            wanted["kind"] = new_kind
        if added or removed:
            folded = {t.casefold() for t in removed}
            for tag in removed:  # matched as list --tag matches them: whatever the case
                if not any(t.casefold() == tag.casefold() for t in rec.tags) and tag not in added:
                    raise Refused(f"{rec.id} is not tagged {tag!r} (its tags: {', '.join(rec.tags) or 'none'})")
            kept = [t for t in rec.tags if t.casefold() not in folded]
            wanted["tags"] = kept + [t for t in dict.fromkeys(added) if t.casefold() not in {k.casefold() for k in kept}]
        if priority is not None:
            wanted["priority"] = new_priority
        if answers is not None:
            wanted["answers"] = None if answers.strip().lower() in CLEAR else _cause(ledger, report, rec, answers)
        kind_after = wanted.get("kind", rec.kind)
        answers_after = wanted.get("answers", rec.answers)
        if kind_after == "cause-of-concern" and answers_after:
            raise Refused(f"a cause of concern cannot answer another: give --answers \"\" as well to make {rec.id} one")
        if rec.kind == "cause-of-concern" and kind_after != "cause-of-concern":
            answering = [r.id for r in ledger.recommendations() if r.answers == rec.id]
            if answering:
                raise Refused(f"{rec.id} is answered by {_names(answering)}: it stays a cause-of-concern while they do "
                              "(edit their --answers first)")
        if ref is not None and ref != rec.ref:
            clash = next((r for r in report.recommendations if r.ref.lower() == ref.lower() and r is not rec), None)
            if clash is not None:
                raise Refused(f"{clash.id} already exists: refs are unique within a report, whatever their case")
            links = list(links_to(ledger, {rec.id}, set()))
            if links:
                raise Refused(f"{rec.id} cannot take a new ref while others link to it: {_names(links)}")
            wanted["ref"] = ref
        if given or cleared:
            absent = [n for n in cleared if n not in rec.fields]
            if absent:
                raise Refused(f"{rec.id} has no {absent[0]} to unset")
            now = {**rec.fields, **given}
            wanted["fields"] = {n: now[n] for n in sorted(now) if n not in cleared}  # in name order, as the file keeps them
        old = {k: stored(getattr(rec, k)) for k, v in wanted.items() if v != getattr(rec, k)}
        new = {k: stored(wanted[k]) for k in old}
        if not old:
            raise BadValue("nothing to amend: give --text, --kind, --tag, --untag, --priority, --answers, --ref, --set "
                           "or --unset with a value other than the one it has")
        later = [e for e in rec.events if e.date > day and set(e.old) & set(old)]
        if later:
            raise Refused(f"{rec.id}: {', '.join(sorted(set(later[-1].old) & set(old)))} was amended again on "
                          f"{later[-1].date}; an amendment dated {day} would come before it (give a later --date)")
        before = _problems(report, rec)
        for key in old:
            setattr(rec, key, wanted[key])
        event = Event(date=day, reason=why, old=old, new=new, recorded=today, recorded_by=ledger.user())
        rec.add_event(event)
        _no_new_problems(report, rec, before)
        if "ref" in old:
            ledger.reindex()
        ledger.describe = f"edit {rec.id} ({day})"
        ledger.commit_message = f"{rec.ref}: amended {', '.join(old)} ({report.id}): {why}"
        dirty.add(report.id)
    return rec, event


def correct(ledger: Ledger, id_text: str, number: int | date, *, reason: str, drop: bool = False,
            fields: dict[str, Any] | None = None) -> tuple[Recommendation, Event]:
    """Correct event `number` (1 = its first, as `show` numbers them, amendments not counted;
    or the one event of a day) of a recommendation, or drop it: an amendment dated today holds
    the event as it was (and as it is now)."""
    today = ledger.today()
    why = values.clean_text(reason, "--reason", required=True)
    fields = {k: v for k, v in (fields or {}).items() if v is not None and v != []}
    if drop and fields:
        raise BadValue(f"--drop takes only --reason: {', '.join('--' + k.replace('_', '-') for k in fields)} "
                       "would correct the event (use --correct)")
    if not drop and not fields:
        raise BadValue("--correct N needs the fields to correct: --status, --basis, --response, --due, --owner, "
                       "--note, --source, --evidence or --date")
    with ledger.changing(f"update {id_text}") as dirty:
        report, rec = ledger.to_change(id_text)
        events = [e for e in rec.events if not e.amendment]  # as show numbers them: amendments are not numbered
        if isinstance(number, date):
            on_day = [n for n, e in enumerate(events, 1) if e.date == number]
            if len(on_day) != 1:
                raise UnknownId(f"{rec.id} has {'no event' if not on_day else 'several events'} on {number}"
                                + (f": give its number ({', '.join('#' + str(n) for n in on_day)})" if on_day
                                   else " (see track show)"))
            number = on_day[0]
        if not 1 <= number <= len(events):
            raise UnknownId(f"{rec.id} has no event {number}: its events are numbered 1 to {len(events)} "
                            "(see track show)" if events else f"{rec.id} has no events yet")
        target = events[number - 1]
        was = reportfile.encode_event(target)
        before = _problems(report, rec)
        rec.events.remove(target)
        past_due: str | None = None  # a due date the correction leaves already past on its event's date
        if drop:
            now: dict[str, Any] = {}
            done = f"dropped event {number} ({target.date})"
        else:
            fixed = _corrected(ledger, report, rec, target, fields, today)
            if fixed.same_as(target):
                raise BadValue(f"nothing to correct: event {number} of {rec.id} already holds those values")
            twin = next((n for n, e in enumerate(events, 1) if e is not target and e.date == fixed.date
                         and e.same_as(fixed)), None)
            if twin is not None:
                raise Refused(f"{rec.id}: corrected, event {number} would be the same as event {twin} in date, fields "
                              f"and note; if it was recorded twice, take it out with --drop {number}")
            rec.add_event(fixed)
            now = {"event": reportfile.encode_event(fixed)}
            if fixed.due is not None and fixed.due < fixed.date and (fixed.due, fixed.date) != (target.due, target.date):
                past_due = (f"warning: the new due date {fixed.due} is already past on {fixed.date} (the event's date); "
                            "give --date if the event happened earlier")
            done = f"corrected event {number} ({target.date}): {', '.join(sorted(fields))}"
        event = Event(date=today, reason=why, old={"event": was}, new=now, recorded=today,
                      recorded_by=ledger.user())
        rec.add_event(event)
        _no_new_problems(report, rec, before)
        if past_due is not None:
            ledger.warnings.append(past_due)
        ledger.describe = f"update {rec.id}: {done}"
        ledger.commit_message = f"{rec.ref}: {done} ({report.id}): {why}"
        dirty.add(report.id)
    return rec, event


def _corrected(ledger: Ledger, report: Report, rec: Recommendation, target: Event, fields: dict[str, Any],
               today: date) -> Event:
    """`target` with the fields given put right ("" clears an optional text)."""
    from track.domain.record import replace

    out: dict[str, Any] = {}
    if "date" in fields:
        day = values.day(fields["date"], base=today, what="--date")
        if day > today:
            raise Refused(f"--date {day} is after today ({today}): record an event once it has happened")
        if day < report.published:
            raise Refused(f"--date {day} is before {report.id} was published ({report.published})")
        out["date"] = day
    if "status" in fields:
        status = values.choice(fields["status"], model.STATUSES, "status")
        if status == "awaiting-response":
            raise Refused("awaiting-response is where every recommendation starts; it ends when a response is recorded")
        out["status"] = status
    if "basis" in fields:
        out["basis"] = values.choice(fields["basis"], model.BASES, "basis")
    if "response" in fields:
        out["response"] = values.choice(fields["response"], model.RESPONSES, "response")
    if "due" in fields:
        base = out.get("date", target.date)
        out["due"] = values.day(fields["due"], base=base, month="end", publication=report.published, what="--due")
    for key in ("owner", "note", "source"):
        if key in fields:
            text = fields[key]
            out[key] = None if not text.strip() else (values.name(text, "--owner", required=True) if key == "owner"
                                                       else values.clean_text(text, f"--{key}", single_line=key == "source"))
    if "evidence" in fields:
        out["evidence"] = [values.clean_text(e, "--evidence", required=True, single_line=True) or "" for e in fields["evidence"]]
    fixed = replace(target, **out)
    if fixed.basis is not None and fixed.status is None:
        raise BadValue("--basis says who vouches for a status: the event sets none (give --status as well)")
    if not fixed.changes() and not (fixed.note and fixed.note.strip()):
        raise BadValue("the corrected event would change nothing and have no note: use --drop to take it out")
    return fixed


def remove(ledger: Ledger, text: str, *, reason: str, force: bool = False) -> tuple[str, list[str]]:
    """Delete a recommendation, or a report with its recommendations, entered in error: one
    change. Refused, naming them, when others link to what would go, unless `force`. Returns
    what went and the links left pointing at nothing."""
    why = values.clean_text(reason, "--reason", required=True)
    with ledger.changing(f"remove {text}") as dirty:
        reports = ledger.reports
        if text in reports:
            report = ledger.full(text)
            gone_ids = {r.id for r in report.recommendations}
            gone_reports = {report.id}
            what = f"report {report.id}" + (f" and its {_count(len(gone_ids), 'recommendation')}" if gone_ids else "")
        else:
            found = ledger.resolve(text)
            if found.id != text.strip():  # a prefix or a REF alone: a deletion names what it deletes in full
                raise UnknownId(f"remove takes an exact id: {text!r} is not one (did you mean {found.id}?)")
            report = ledger.full(found.report)
            gone_ids, gone_reports = {found.id}, set()
            what = found.id
        links = list(links_to(ledger, gone_ids, gone_reports))
        if links and not force:
            raise Refused(f"{what} {'are' if ' and its ' in what else 'is'} linked from {_names(links)}: remove or "
                          "edit those first, or give --force (the links are then left naming nothing: check reports "
                          "those of answers, related, superseded_by, duplicate_of and follows; a source stays as text)")
        if gone_reports:
            del reports[report.id]
        else:
            report.recommendations = [r for r in report.recommendations if r.id not in gone_ids]
        ledger.reindex()
        ledger.describe = f"remove {what}"
        ledger.commit_message = f"remove {what} (entered in error: {why})"
        dirty.add(report.id)
    return what, links


def links_to(ledger: Ledger, ids: set[str], report_ids: set[str]) -> Iterator[str]:
    """Where the ledger outside `ids` and `report_ids` names one of them: "R2 (answers)",
    "report q1 (follows)"."""
    for report in ledger.reports.values():
        if report.id in report_ids:
            continue
        for followed in report.follows:
            if followed in report_ids:
                yield f"report {report.id} (follows)"
        for rec in report.recommendations:
            if rec.id in ids:
                continue
            if rec.answers in ids:
                yield f"{rec.id} (answers)"
            if any(link in ids for link in rec.related):
                yield f"{rec.id} (related)"
            for event in rec.events:
                for name in ("superseded_by", "duplicate_of"):
                    if getattr(event, name) in ids:
                        yield f"{rec.id} ({name.replace('_', ' ')}, {event.date})"
                if any(link in ids for link in event.related):
                    yield f"{rec.id} (related, {event.date})"
                if event.source in report_ids:
                    yield f"{rec.id} (source, {event.date})"


def _cause(ledger: Ledger, report: Report, rec: Recommendation, text: str) -> str:
    cause = ledger.resolve_in(report, text)
    if cause is rec:
        raise Refused(f"--answers cannot name {rec.id} itself")
    if cause.kind != "cause-of-concern":
        raise Refused(f"--answers {cause.id} is a {cause.kind}, not a cause-of-concern")
    return cause.id


def _day(when: date | str | None, today: date) -> date:
    day = values.day(when, base=today, what="--date") if when is not None else today
    if day > today:
        raise Refused(f"--date {day} is after today ({today}): an amendment is dated when it is made")
    return day


def _problems(report: Report, rec: Recommendation) -> set[str]:
    return {message for _keys, kind, _target, message in recommendation_checks(report, rec) if kind == "problem"}


def _no_new_problems(report: Report, rec: Recommendation, before: set[str]) -> None:
    """Refuse a correction that would leave the record breaking a rule it kept."""
    new = sorted(_problems(report, rec) - before)
    if new:
        raise Refused(f"{new[0]}; nothing was written")


def _names(items: list[str]) -> str:
    return ", ".join(items[:8]) + (f" and {len(items) - 8} more" if len(items) > 8 else "")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
