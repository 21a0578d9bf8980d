"""Export: the ledger as rows of CSV or as JSON; importing.py reads such rows back.

Both formats carry everything a report file holds, so that an export imported into an empty
ledger writes the same files, byte for byte. One row (CSV) is one of:
  - a report: `report` and report_* columns, `ref` empty;
  - a recommendation: `report`, `ref` and its columns, and optionally its first event;
  - a further event of a recommendation named earlier: `report`, `ref` and event columns.
A row may carry report_* columns as well (an inspectorate's table repeats them on each row).
JSON (as `export` writes it) is read into the same rows, so both are checked alike.

Lists (tags, evidence, links, follows) are written "a; b", or one per line where an item holds
';'; figures and grades "name=value", one per line. Keys that track does not know (kept from
hand edits) travel as TOML text in the *extra columns. Nothing here knows about the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from .dates import Duration
from .model import Event, Recommendation, Report

EXPORT_FORMAT = "track-export"
EXPORT_VERSION = 1

REC_COLUMNS = ("report", "ref", "kind", "text", "answers", "owner", "tags", "priority", "due", "entered",
               "evidence", "related", "extra")
EVENT_COLUMNS = ("date", "status", "response", "new_due", "reason", "new_owner", "note", "source",
                 "event_evidence", "superseded_by", "duplicate_of", "event_related", "event_extra")
REPORT_COLUMNS = ("report_title", "report_by", "report_subject", "report_published", "report_kind", "report_url",
                  "report_follows", "report_note", "report_response_within", "report_revisit",
                  "report_followup_every", "report_followup_from", "report_followup_until", "report_figures",
                  "report_grades", "report_extra")
COLUMNS = REC_COLUMNS + EVENT_COLUMNS + REPORT_COLUMNS

# JSON keys of a report, a recommendation and an event, as the columns they fill.
REPORT_KEYS = {"id": "report", "title": "report_title", "by": "report_by", "subject": "report_subject",
               "published": "report_published", "kind": "report_kind", "url": "report_url",
               "follows": "report_follows", "note": "report_note", "response_within": "report_response_within",
               "revisit": "report_revisit", "figures": "report_figures", "grades": "report_grades",
               "extra": "report_extra"}
FOLLOWUP_KEYS = {"every": "report_followup_every", "from": "report_followup_from", "until": "report_followup_until"}
REC_KEYS = {c: c for c in REC_COLUMNS if c != "report"}
EVENT_KEYS = {"date": "date", "status": "status", "response": "response", "due": "new_due", "reason": "reason",
              "owner": "new_owner", "note": "note", "source": "source", "evidence": "event_evidence",
              "superseded_by": "superseded_by", "duplicate_of": "duplicate_of", "related": "event_related",
              "extra": "event_extra"}


# --------------------------------------------------------------------------- export


def _toml_text(extra: dict[str, Any]) -> str | None:
    if not extra:
        return None
    import tomli_w

    return tomli_w.dumps(extra)


def _report_extra(report: Report) -> dict[str, Any]:
    extra = dict(report.extra)
    if report.followup is not None and report.followup.extra:
        extra["followup"] = dict(report.followup.extra)  # `followup` is a known key: it cannot clash
    return extra


def as_of(report: Report, day: date) -> Report:
    """The report as it stood at the end of `day`: only the events up to then."""
    recs = [replace(r, events=[e for e in r.events if e.date <= day]) for r in report.recommendations]
    return replace(report, recommendations=recs)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _revisit(value: Duration | date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


def event_json(event: Event) -> dict[str, Any]:
    return {"date": _day(event.date), "status": event.status, "response": event.response, "due": _day(event.due),
            "reason": event.reason, "owner": event.owner, "note": event.note, "source": event.source,
            "evidence": list(event.evidence), "superseded_by": event.superseded_by,
            "duplicate_of": event.duplicate_of, "related": list(event.related), "extra": _toml_text(event.extra)}


def recommendation_json(rec: Recommendation) -> dict[str, Any]:
    return {"ref": rec.ref, "kind": rec.kind, "text": rec.text, "answers": rec.answers, "owner": rec.owner,
            "tags": list(rec.tags), "priority": rec.priority, "due": _day(rec.due), "entered": _day(rec.entered),
            "evidence": list(rec.evidence), "related": list(rec.related), "extra": _toml_text(rec.extra),
            "events": [event_json(e) for e in rec.events]}


def report_json(report: Report) -> dict[str, Any]:
    followup = None
    if report.followup is not None:
        followup = {"every": str(report.followup.every), "from": _day(report.followup.start),
                    "until": _day(report.followup.until)}
    return {"id": report.id, "title": report.title, "by": report.by, "subject": report.subject,
            "published": _day(report.published), "kind": report.kind, "url": report.url,
            "follows": list(report.follows), "note": report.note,
            "response_within": str(report.response_within) if report.response_within is not None else None,
            "revisit": _revisit(report.revisit), "followup": followup, "figures": dict(report.figures),
            "grades": dict(report.grades), "extra": _toml_text(_report_extra(report)),
            "recommendations": [recommendation_json(r) for r in report.recommendations]}


def json_document(blocks: Iterable[str], *, ledger_name: str, as_of_day: date | None) -> str:
    """The export document around its reports' blocks (json_block), laid out a report, a
    recommendation and an event a line, so that an import's messages can name lines; written
    by the compiled encoder, since json's indenting one is pure Python and slow at scale."""
    head = ["{", f'  "format": {_dump(EXPORT_FORMAT)},', f'  "version": {EXPORT_VERSION},',
            f'  "ledger": {_dump(ledger_name)},', f'  "as_of": {_dump(_day(as_of_day))},', '  "reports": [']
    body = ",\n".join(blocks)
    return "\n".join(head) + ("\n" + body if body else "") + "\n  ]\n}\n"


def json_block(report: Report) -> str:
    """One report of the export document, at its indent."""
    fields = report_json(report)
    recs = fields.pop("recommendations")
    rec_texts = []
    for rec in recs:
        events = rec.pop("events")
        events_text = ",\n".join(f"        {_dump(e)}" for e in events)
        rec_texts.append(f'      {_dump(rec)[:-1]}, "events": [' + (f"\n{events_text}\n      ]}}" if events else "]}"))
    recs_text = ",\n".join(rec_texts)
    return f'    {_dump(fields)[:-1]}, "recommendations": [' + (f"\n{recs_text}\n    ]}}" if recs else "]}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def export_blocks(root: Any, report_ids: list[str], fmt: str, as_of_day: date | None) -> Iterator[str]:
    """Each report's part of the export, in the order given, read from its file; on every core
    when there are many. A file that cannot be read stops it (InvalidLedger, as any read)."""
    jobs = [(str(root), report_id, fmt, as_of_day) for report_id in report_ids]
    from .cache import cores

    workers = cores()
    if workers < 2 or len(jobs) < 16:
        results: Iterable[tuple[str | None, str | None]] = map(_export_block, jobs)
        yield from _blocks(results)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from _blocks(pool.imap(_export_block, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


def _blocks(results: Iterable[tuple[str | None, str | None]]) -> Iterator[str]:
    from .errors import InvalidLedger

    for block, problem in results:
        if problem is not None:
            raise InvalidLedger(problem)
        if block is not None:
            yield block


def _export_block(job: tuple[str, str, str, date | None]) -> tuple[str | None, str | None]:
    from pathlib import Path

    from . import store

    root, report_id, fmt, day = job
    report, problems, _unknown, _raw = store.read_report_raw(Path(root), report_id)
    if problems or report is None:
        return None, store.unreadable(problems) if problems else f"{report_id}: cannot be read"
    if day is not None:
        if report.published > day:
            return None, None
        report = as_of(report, day)
    return (json_block(report) if fmt == "json" else csv_block(report)), None


def _list_cell(values: list[str]) -> str:
    """'a; b', or one per line when an item holds ';' or spaces at its ends (a lone item then
    ends with a newline, so that it reads back as one)."""
    if not values:
        return ""
    if any(";" in v or v != v.strip() or "\n" in v for v in values):
        return "\n".join(values) + ("\n" if len(values) == 1 else "")
    return "; ".join(values)


def _pairs_cell(values: dict[str, Any]) -> str:
    """'name=value; name=value', or one per line where a name holds ';' or spaces at its ends."""
    lines = [f"{k}={v!r}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()]
    if any(k != k.strip() for k in values):
        return "\n".join(lines) + ("\n" if len(lines) == 1 else "")
    return _list_cell(lines)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _event_cells(event: Event) -> dict[str, str]:
    return {"date": _cell(event.date), "status": _cell(event.status), "response": _cell(event.response),
            "new_due": _cell(event.due), "reason": _cell(event.reason), "new_owner": _cell(event.owner),
            "note": _cell(event.note), "source": _cell(event.source), "event_evidence": _list_cell(event.evidence),
            "superseded_by": _cell(event.superseded_by), "duplicate_of": _cell(event.duplicate_of),
            "event_related": _list_cell(event.related), "event_extra": _cell(_toml_text(event.extra))}


def csv_rows(report: Report) -> Iterator[dict[str, str]]:
    followup = report.followup
    yield {"report": report.id, "report_title": report.title, "report_by": report.by,
           "report_subject": report.subject, "report_published": _cell(report.published),
           "report_kind": report.kind, "report_url": _cell(report.url), "report_follows": _list_cell(report.follows),
           "report_note": _cell(report.note), "report_response_within": _cell(report.response_within),
           "report_revisit": _cell(_revisit(report.revisit)),
           "report_followup_every": _cell(followup.every if followup else None),
           "report_followup_from": _cell(followup.start if followup else None),
           "report_followup_until": _cell(followup.until if followup else None),
           "report_figures": _pairs_cell(report.figures), "report_grades": _pairs_cell(report.grades),
           "report_extra": _cell(_toml_text(_report_extra(report)))}
    for rec in report.recommendations:
        row = {"report": report.id, "ref": rec.ref, "kind": rec.kind, "text": rec.text, "answers": _cell(rec.answers),
               "owner": _cell(rec.owner), "tags": _list_cell(rec.tags), "priority": _cell(rec.priority),
               "due": _cell(rec.due), "entered": _cell(rec.entered), "evidence": _list_cell(rec.evidence),
               "related": _list_cell(rec.related), "extra": _cell(_toml_text(rec.extra))}
        events = iter(rec.events)
        first = next(events, None)
        if first is not None:
            row.update(_event_cells(first))
        yield row
        for event in events:
            yield {"report": report.id, "ref": rec.ref, **_event_cells(event)}


def csv_document(blocks: Iterable[str]) -> str:
    return csv_block(None) + "".join(blocks)


def csv_block(report: Report | None) -> str:
    """One report's rows (the header for None)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if report is None:
        writer.writerow(COLUMNS)
    else:
        for row in csv_rows(report):
            writer.writerow([row.get(c, "") for c in COLUMNS])
    return buffer.getvalue()
