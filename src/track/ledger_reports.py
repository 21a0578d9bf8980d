"""Changing a report's metadata after it was added: title, issuing body, subject, kind, url,
note, the reports it follows, figures, graded judgements, the response clock, the revisit
and the follow-up schedule.

    from track import Ledger
    from track.report_edit import update_report
    update_report(Ledger.find("data/met-police"), "peel-2017-met", grades={"effectiveness": "good"})

The publication date is not changed here: events and follow-ups are checked against it.
Like every change, it takes the ledger's lock, re-reads the files and writes one file.
"""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import model
from track.domain.dates import parse_duration
from track.domain.errors import BadValue, Refused
from track.ledger import Ledger, _choice, clean_text, _figure
from track.domain.model import Followup, Report
from track.domain.progress import followers


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def update_report(
    ledger: Ledger,
    report_text: str,
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
    revisit_by: str | None = None,
    followup_every: str | None = None,
    followup_from: str | None = None,
    followup_until: str | None = None,
) -> tuple[Report, list[str]]:
    """Apply the changes given (None leaves a field alone; "" clears an optional one) and
    return the report and a description of each change. Nothing is written if nothing changes."""
    required = {"--title": title, "--by": by, "--subject": subject}
    clean: dict[str, Any] = {k: clean_text(v, k, required=True, single_line=True) for k, v in required.items() if v is not None}
    new_kind = _choice(kind, model.REPORT_KINDS, "report kind")
    new_url = None if url is None else (clean_text(url, "--url", single_line=True) or "")
    new_note = None if note is None else (clean_text(note, "--note") or "")
    new_grades = {}
    for question, grade in (grades or {}).items():
        question = clean_text(question, "grade question", required=True, single_line=True) or ""
        new_grades[question.strip()] = _choice(grade, model.GRADES, "grade") or ""
    remove_grades = [g.strip() for g in remove_grades]
    remove_figures = [f.strip() for f in remove_figures]
    for key in (figures or {}):
        clean_text(key, "figure name", required=True, single_line=True)
    within = None
    if response_within is not None:
        within = parse_duration(response_within, "--response-within") if response_within.strip() else ""

    changes: list[str] = []
    with ledger._changing(f"reports update {report_text}") as dirty:
        report = ledger.report(report_text)
        full = getattr(ledger, "full", None)  # a report served from the index must be read whole before it changes
        if full is not None:
            report = full(report.id)
        for flag, field in (("--title", "title"), ("--by", "by"), ("--subject", "subject")):
            if flag in clean and clean[flag] != getattr(report, field):
                setattr(report, field, clean[flag])
                changes.append(f"{field} {clean[flag]!r}")
        if new_kind is not None and new_kind != report.kind:
            report.kind = new_kind
            changes.append(f"kind {new_kind}")
        for field, value in (("url", new_url), ("note", new_note)):
            if value is not None and (value or None) != getattr(report, field):
                setattr(report, field, value or None)
                changes.append(f"{field} {value!r}" if value else f"{field} removed")
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
        for question in remove_grades:
            key = next((q for q in report.grades if _norm(q) == _norm(question)), None)
            if key is None:
                raise Refused(f"{report.id} has no grade for {question!r}" + (f"; it grades: {', '.join(report.grades)}" if report.grades else ""))
            del report.grades[key]
            changes.append(f"grade {key} removed")
        for question, grade in new_grades.items():
            key = next((q for q in report.grades if _norm(q) == _norm(question)), question)
            if report.grades.get(key) != grade:
                report.grades[key] = grade
                changes.append(f"grade {key}={grade}")
        for name in remove_figures:
            if name not in report.figures:
                raise Refused(f"{report.id} has no figure {name!r}" + (f"; its figures: {', '.join(report.figures)}" if report.figures else ""))
            del report.figures[name]
            changes.append(f"figure {name} removed")
        for name, value in (figures or {}).items():
            _figure(name, value)
            if report.figures.get(name) != value:
                report.figures[name] = value
                changes.append(f"figure {name}={value}")
        if within is not None and (within or None) != report.response_within:
            report.response_within = within or None
            changes.append(f"response within {within}" if within else "response clock removed")
        if revisit_by is not None:
            value = ledger._revisit(revisit_by, report.published) if revisit_by.strip() else None
            if value != report.revisit:
                report.revisit = value
                changes.append(f"revisit {value}" if value else "revisit removed")
        if followup_every is not None or followup_from is not None or followup_until is not None:
            current = report.followup
            if followup_every is not None and not followup_every.strip():
                if followup_from or followup_until:
                    raise BadValue("--followup-every '' removes the schedule: give no --followup-from or --followup-until with it")
                if current is not None:
                    report.followup = None
                    changes.append("follow-up schedule removed")
            else:
                if current is None and followup_every is None:
                    raise BadValue("--followup-from and --followup-until need --followup-every (the report has no schedule yet)")
                every = parse_duration(followup_every, "--followup-every") if followup_every is not None else current.every  # type: ignore[union-attr]
                start = current.start if current else None
                until = current.until if current else None
                if followup_from is not None:
                    start = ledger._date(followup_from, base=report.published, month="start", what="--followup-from") if followup_from.strip() else None
                if followup_until is not None:
                    until = ledger._date(followup_until, base=report.published, month="end", what="--followup-until") if followup_until.strip() else None
                if start and until and until < start:
                    raise BadValue(f"--followup-until {until} is before --followup-from {start}")
                schedule = Followup(every, start, until)
                if schedule != current:
                    report.followup = schedule
                    changes.append(f"follow-ups every {every}" + (f" from {start}" if start else "") + (f" until {until}" if until else ""))
        if changes:
            dirty.add(report.id)
    return report, changes
