"""Changing a report's details after it was added (`Ledger.update_report`): title, issuing
body, subject, kind, url, note, the reports it follows, figures, graded judgements, the
response clock (and whose response it waits for), the revisit and the follow-up schedule. The publication date is not changed
here: events and follow-ups are checked against it."""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from track.ledger.reading import Reading

from track.domain import model, values
from track.domain.dates import parse_duration
from track.domain.errors import BadValue, Refused
from track.domain.model import Followup, Report
from track.domain.progress import followers
from track.domain.values import fold


def wanted(
    *,
    title: str | None = None,
    by: str | None = None,
    subject: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    note: str | None = None,
    follows: Iterable[str] = (),
    grades: dict[str, str] | None = None,
    remove_grades: Iterable[str] = (),
    figures: dict[str, int | float] | None = None,
    remove_figures: Iterable[str] = (),
    response_within: str | None = None,
    response_from: str | None = None,
    revisit_by: str | None = None,
    followup_every: str | None = None,
    followup_from: str | None = None,
    followup_until: str | None = None,
) -> dict[str, Any]:
    """The changes asked for, checked before the ledger is locked (None leaves a field alone;
    "" clears an optional one)."""
    required = {"--title": title, "--by": by, "--subject": subject}
    out: dict[str, Any] = {
        "texts": {k: values.clean_text(v, k, required=True, single_line=True) for k, v in required.items() if v is not None},
        "kind": values.choice(kind, model.REPORT_KINDS, "report kind"),
        "url": None if url is None else (values.clean_text(url, "--url", single_line=True) or ""),
        "note": None if note is None else (values.clean_text(note, "--note") or ""),
        "follows": list(follows),
        "grades": {},
        "within": None,
        "from": None if response_from is None else (values.clean_text(response_from, "--response-from", single_line=True) or ""),
        "revisit_by": revisit_by,
        "followup": (followup_every, followup_from, followup_until),
    }
    for question, grade in (grades or {}).items():
        question = values.clean_text(question, "grade question", required=True, single_line=True) or ""
        out["grades"][question.strip()] = values.choice(grade, model.GRADES, "grade") or ""
    out["remove_grades"] = [g.strip() for g in remove_grades]
    out["remove_figures"] = [f.strip() for f in remove_figures]
    out["figures"] = dict(figures or {})
    for key in out["figures"]:
        values.clean_text(key, "figure name", required=True, single_line=True)
    if response_within is not None:
        out["within"] = parse_duration(response_within, "--response-within") if response_within.strip() else ""
    return out


def apply(ledger: Reading, report: Report, wanted: dict[str, Any]) -> list[str]:
    """Make the changes `wanted` describes to `report` (read whole, under the ledger's lock);
    returns a description of each change made."""
    changes: list[str] = []
    _texts(report, wanted, changes)
    _follows(ledger, report, wanted["follows"], changes)
    _grades(report, wanted["remove_grades"], wanted["grades"], changes)
    _figures(report, wanted["remove_figures"], wanted["figures"], changes)
    _clocks(report, wanted["within"], wanted["from"], wanted["revisit_by"], changes)
    _schedule(report, *wanted["followup"], changes)
    return changes


def _texts(report: Report, wanted: dict[str, Any], changes: list[str]) -> None:
    clean = wanted["texts"]
    for flag, field in (("--title", "title"), ("--by", "by"), ("--subject", "subject")):
        if flag in clean and clean[flag] != getattr(report, field):
            setattr(report, field, clean[flag])
            changes.append(f"{field} {clean[flag]!r}")
    new_kind = wanted["kind"]
    if new_kind is not None and new_kind != report.kind:
        report.kind = new_kind
        changes.append(f"kind {new_kind}")
    for field in ("url", "note"):
        value = wanted[field]
        if value is not None and (value or None) != getattr(report, field):
            setattr(report, field, value or None)
            changes.append(f"{field} {value!r}" if value else f"{field} removed")


def _follows(ledger: Reading, report: Report, follows: list[str], changes: list[str]) -> None:
    for text in follows:
        target = ledger.report(text)
        if target.id == report.id:
            raise Refused(f"{report.id} cannot follow itself")
        if target.published > report.published:
            raise Refused(f"{report.id} cannot follow {target.id}: that was published later ({target.published})")
        if any(r.id == target.id for r in followers(ledger.reports, report)):
            raise Refused(f"{report.id} cannot follow {target.id}: {target.id} already follows {report.id}")
        if target.id not in report.follows:
            report.follows.append(target.id)
            changes.append(f"follows {target.id}")


def _grades(report: Report, remove: list[str], new: dict[str, str], changes: list[str]) -> None:
    for question in remove:
        key = next((q for q in report.grades if fold(q) == fold(question)), None)
        if key is None:
            raise Refused(f"{report.id} has no grade for {question!r}" + (f"; it grades: {', '.join(report.grades)}" if report.grades else ""))
        del report.grades[key]
        changes.append(f"grade {key} removed")
    for question, grade in new.items():
        key = next((q for q in report.grades if fold(q) == fold(question)), question)
        if report.grades.get(key) != grade:
            report.grades[key] = grade
            changes.append(f"grade {key}={grade}")


def _figures(report: Report, remove: list[str], new: dict[str, int | float], changes: list[str]) -> None:
    for name in remove:
        if name not in report.figures:
            raise Refused(f"{report.id} has no figure {name!r}" + (f"; its figures: {', '.join(report.figures)}" if report.figures else ""))
        del report.figures[name]
        changes.append(f"figure {name} removed")
    for name, value in new.items():
        values.figure(name, value)
        if report.figures.get(name) != value:
            report.figures[name] = value
            changes.append(f"figure {name}={value}")


def _clocks(report: Report, within: Any, response_from: str | None, revisit_by: str | None, changes: list[str]) -> None:
    if within is not None and (within or None) != report.response_within:
        report.response_within = within or None
        changes.append(f"response within {within}" if within else "response clock removed")
    if response_from is not None and (response_from or None) != report.response_from:
        report.response_from = response_from or None
        changes.append(f"response from {response_from}" if response_from else "response from removed")
    if revisit_by is not None:
        value = values.revisit(revisit_by, report.published) if revisit_by.strip() else None
        if value != report.revisit:
            report.revisit = value
            changes.append(f"revisit {value}" if value else "revisit removed")


def _schedule(report: Report, every_text: str | None, from_text: str | None, until_text: str | None,
              changes: list[str]) -> None:
    if every_text is None and from_text is None and until_text is None:
        return
    current = report.followup
    if every_text is not None and not every_text.strip():
        if from_text or until_text:
            raise BadValue("--followup-every '' removes the schedule: give no --followup-from or --followup-until with it")
        if current is not None:
            report.followup = None
            changes.append("follow-up schedule removed")
        return
    if current is None and every_text is None:
        raise BadValue("--followup-from and --followup-until need --followup-every (the report has no schedule yet)")
    every = parse_duration(every_text, "--followup-every") if every_text is not None else current.every  # type: ignore[union-attr]
    start = current.start if current else None
    until = current.until if current else None
    if from_text is not None:
        start = values.day(from_text, base=report.published, month="start", what="--followup-from") if from_text.strip() else None
    if until_text is not None:
        until = values.day(until_text, base=report.published, month="end", what="--followup-until") if until_text.strip() else None
    if start and until and until < start:
        raise BadValue(f"--followup-until {until} is before --followup-from {start}")
    schedule = Followup(every, start, until)
    if schedule != current:
        report.followup = schedule
        changes.append(f"follow-ups every {every}" + (f" from {start}" if start else "") + (f" until {until}" if until else ""))
