"""Export: the ledger as JSON or as rows of CSV, carrying everything a report file holds, so
that importing an export into an empty ledger writes the same files byte for byte."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

from track.domain.dates import Duration
from track.domain.model import Action, Event, Recommendation, Report, packed_amendment
from track.domain.record import Memo, replace

FILE_FORMATS = ("csv", "json")  # what export writes and import reads
RAW_CSV = "csv-raw"  # export's fmt for CSV whose cells are written as they are (export --raw)
GUARDED = ("=", "+", "-", "@", "\t", "\r", "'")  # a cell starting so is written after a ' (export) and read without it (import)
_C0 = bytes([*range(9), 11, 12, *range(14, 32), 127])  # the ASCII controls but tab, line feed and carriage return
_C1_PAIRS = bytes.maketrans(b"\xc2" + bytes(range(0x80, 0xa0)), b"\x01" + b"\x02" * 32)  # U+0080-U+009F: \xc2 then 0x80-0x9f


def shown_controls(text: str, fmt: str) -> str:
    """A part of the export with the control characters `check` refuses (all but tab, line
    feed and carriage return; DEL; C1) escaped, so that a hand-edited file cannot send a
    terminal's escape codes through an export: in JSON as \\u00XX (JSON escapes the rest of
    C0 itself, and reads \\u00XX back as the character), in CSV as the text \\xNN, as the
    other outputs show them. Looked for in a scan or two at C speed; a valid ledger has none."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _C0)) == len(data) and b"\x01\x02" not in data.translate(_C1_PAIRS):
        return text
    import re

    if fmt == "json":
        return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


# a comma or a line end (where a cell begins) as \x01 and what guard() changes as \x02
_CELL_STARTS = bytes.maketrans(b",\n=+-@\t\r'", b"\x01\x01\x02\x02\x02\x02\x02\x02\x02")


def _may_need_guard(text: str) -> bool:
    """Whether some cell of this CSV text (no cell quoted yet) may start with what guard()
    changes: a comma or a line end and then such a character, looked for in one scan at C
    speed (a regular expression, or a search for each pair, takes seconds on a national
    register); a \x01 or \x02 in the text itself can only make it say yes."""
    return text.startswith(GUARDED) or b"\x01\x02" in text.encode("utf-8", "surrogatepass").translate(_CELL_STARTS)


def guard(value: str) -> str:
    """A cell as export writes it: one a spreadsheet would read as a formula (=, +, -, @, a
    tab or a carriage return first, OWASP's list) after a ', so that opening the export in a
    spreadsheet runs nothing; and one that starts with ' after another, so that import, which
    takes one ' off a cell starting so, gives back every cell exactly."""
    return "'" + value if value.startswith(GUARDED) else value


def unguard(value: str) -> str:
    """A cell as export had it before guard."""
    return value[1:] if value[:1] == "'" and value[1:2] and value[1] in GUARDED else value
# The fields track.toml declares, as export writes them: (key, label) of each, in its order.
Own = tuple[tuple[str, str], ...]

EXPORT_FORMAT = "track-export"
EXPORT_VERSION = 1

REC_COLUMNS = ("report", "ref", "kind", "text", "answers", "owner", "tags", "priority", "due", "entered",
               "evidence", "related", "extra")
EVENT_COLUMNS = ("date", "status", "response", "new_due", "reason", "new_owner", "note", "source",
                 "event_evidence", "superseded_by", "duplicate_of", "event_related", "basis", "amended_old",
                 "amended_new", "recorded", "recorded_by", "event_extra")
REPORT_COLUMNS = ("report_title", "report_by", "report_subject", "report_published", "report_kind", "report_url",
                  "report_follows", "report_note", "report_response_within", "report_response_from", "report_revisit",
                  "report_followup_every", "report_followup_from", "report_followup_until", "report_figures",
                  "report_grades", "report_entered", "report_extra")
# A recommendation's action plan in one cell of its first row: the TOML text of its actions as
# the report file holds them ([[actions]] tables, each with its [[actions.events]]).
ACTION_COLUMNS = ("actions",)
COLUMNS = REC_COLUMNS + EVENT_COLUMNS + REPORT_COLUMNS + ACTION_COLUMNS

# JSON keys of a report, a recommendation and an event, as the columns they fill.
REPORT_COLUMN_OF_KEY = {"id": "report", "title": "report_title", "by": "report_by", "subject": "report_subject",
               "published": "report_published", "kind": "report_kind", "url": "report_url",
               "follows": "report_follows", "note": "report_note", "response_within": "report_response_within",
               "response_from": "report_response_from", "revisit": "report_revisit", "figures": "report_figures",
               "grades": "report_grades", "entered": "report_entered",
               "extra": "report_extra"}
FOLLOWUP_COLUMN_OF_KEY = {"every": "report_followup_every", "from": "report_followup_from", "until": "report_followup_until"}
REC_COLUMN_OF_KEY = {c: c for c in REC_COLUMNS if c != "report"}
EVENT_COLUMN_OF_KEY = {"date": "date", "status": "status", "response": "response", "due": "new_due", "reason": "reason",
              "owner": "new_owner", "note": "note", "source": "source", "evidence": "event_evidence",
              "superseded_by": "superseded_by", "duplicate_of": "duplicate_of", "related": "event_related",
              "basis": "basis", "old": "amended_old", "new": "amended_new", "recorded": "recorded",
              "recorded_by": "recorded_by", "extra": "event_extra"}


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
    """The report as it stood at the end of `day`: only the events up to then, and only the
    actions added by then, with their events up to then."""
    recs = [replace(r, events=[e for e in r.events if e.date <= day],
                    actions=[replace(a, events=[e for e in a.events if e.date <= day])
                             for a in r.actions if a.added is None or a.added <= day])
            for r in report.recommendations]
    return replace(report, recommendations=recs)


def plan_toml(rec: Recommendation) -> str | None:
    """A recommendation's action plan as the TOML text of the `actions` cell; None without one."""
    if not rec.actions:
        return None
    import tomli_w

    from track.store.reportfile import encode_action

    return tomli_w.dumps({"actions": [encode_action(a) for a in rec.actions]})


def action_json(action: Action) -> dict[str, Any]:
    return {"n": action.n, "text": action.text, "owner": action.owner, "due": _day(action.due), "added": _day(action.added),
            "recorded": _day(action.recorded), "recorded_by": action.recorded_by, "extra": _toml_text(action.extra),
            "events": [{"date": _day(e.date), "done": e.done, "due": _day(e.due), "reason": e.reason, "owner": e.owner,
                        "note": e.note, "source": e.source, "evidence": list(e.evidence), "recorded": _day(e.recorded),
                        "recorded_by": e.recorded_by, "extra": _toml_text(e.extra)} for e in action.events]}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _revisit(value: Duration | date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


def event_json(event: Event) -> dict[str, Any]:
    return {"date": _day(event.date), "status": event.status, "response": event.response, "due": _day(event.due),
            "reason": event.reason, "owner": event.owner, "note": event.note, "source": event.source,
            "evidence": list(event.evidence), "superseded_by": event.superseded_by,
            "duplicate_of": event.duplicate_of, "related": list(event.related), "basis": event.basis,
            "old": packed_amendment(event.old), "new": packed_amendment(event.new), "recorded": _day(event.recorded),
            "recorded_by": event.recorded_by, "extra": _toml_text(event.extra)}


def own_fields(rec: Recommendation, own: Own) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the values of the fields track.toml declares, in its order; the recommendation's
    extra keys, with the values of fields it does not declare under `fields`, so that they
    travel as the other kept keys do)."""
    declared = {name: rec.fields[name] for name, _label in own if name in rec.fields}
    undeclared = {k: v for k, v in rec.fields.items() if k not in declared}
    return declared, ({**rec.extra, "fields": undeclared} if undeclared else rec.extra)


def _field_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def recommendation_json(rec: Recommendation, own: Own = ()) -> dict[str, Any]:
    declared, extra = own_fields(rec, own)
    out = {"ref": rec.ref, "kind": rec.kind, "text": rec.text, "answers": rec.answers, "owner": rec.owner,
           "tags": list(rec.tags), "priority": rec.priority, "due": _day(rec.due), "entered": _day(rec.entered),
           "evidence": list(rec.evidence), "related": list(rec.related), "extra": _toml_text(extra)}
    if declared:  # only where it has some: an export of a ledger without own fields is as it was
        out["fields"] = {k: _field_json(v) for k, v in declared.items()}
    out["events"] = [event_json(e) for e in rec.events]
    if rec.actions:  # only where it has a plan: an export of a ledger without plans is as it was
        out["actions"] = [action_json(a) for a in rec.actions]
    return out


def report_json(report: Report, own: Own = ()) -> dict[str, Any]:
    followup = None
    if report.followup is not None:
        followup = {"every": str(report.followup.every), "from": _day(report.followup.start),
                    "until": _day(report.followup.until)}
    return {"id": report.id, "title": report.title, "by": report.by, "subject": report.subject,
            "published": _day(report.published), "kind": report.kind, "url": report.url,
            "follows": list(report.follows), "note": report.note,
            "response_within": str(report.response_within) if report.response_within is not None else None,
            "response_from": report.response_from, "revisit": _revisit(report.revisit), "followup": followup,
            "figures": dict(report.figures),
            "grades": dict(report.grades), "entered": _day(report.entered), "extra": _toml_text(_report_extra(report)),
            "recommendations": [recommendation_json(r, own) for r in report.recommendations]}


def _json_head(ledger_name: str, as_of_day: date | None) -> str:
    return "\n".join(["{", f'  "format": {_dump(EXPORT_FORMAT)},', f'  "version": {EXPORT_VERSION},',
                      f'  "ledger": {_dump(ledger_name)},', f'  "as_of": {_dump(_day(as_of_day))},', '  "reports": ['])


_JSON_TAIL = "\n  ]\n}\n"


def json_block(report: Report, own: Own = ()) -> str:
    """One report of the export document, at its indent."""
    fields = report_json(report, own)
    recs = fields.pop("recommendations")
    rec_texts = []
    for rec in recs:
        actions = rec.pop("actions", None)
        events = rec.pop("events")
        events_text = ",\n".join(f"        {_dump(e)}" for e in events)
        text = f'      {_dump(rec)[:-1]}, "events": [' + (f"\n{events_text}\n      ]" if events else "]")
        if actions:  # an action a line, its events in it
            text += ', "actions": [\n' + ",\n".join(f"        {_dump(a)}" for a in actions) + "\n      ]"
        rec_texts.append(text + "}")
    recs_text = ",\n".join(rec_texts)
    return f'    {_dump(fields)[:-1]}, "recommendations": [' + (f"\n{recs_text}\n    ]}}" if recs else "]}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_export(out: BinaryIO, root: Any, report_ids: list[str], fmt: str, as_of_day: date | None, *,
                 ledger_name: str, use_index: bool = True, own: Own = ()) -> None:
    """Write the export of these reports to `out` as UTF-8: CSV's header and each report's
    rows (csv_block), or the JSON document around each report's block (json_block), laid out a
    report, a recommendation and an event a line, so that an import's messages can name lines.
    Every report is read before the first byte is written, so that a file that cannot be read
    stops it (InvalidLedger) with nothing written. `own`: the fields track.toml declares, a
    CSV column each (headed by its label) and a recommendation's `fields` in JSON."""
    json_format = fmt == "json"
    with _Parts() as parts:
        blocks = _export_parts(parts, str(root), report_ids, fmt, as_of_day, use_index, own)
        out.write((_json_head(ledger_name, as_of_day) if json_format else csv_block(None, own=own)).encode())
        first = json_format  # each JSON block comes after ",\n"; the first after "\n"
        for block in blocks:
            if first:
                out.write(b"\n")
                block = block[2:] if isinstance(block, bytes) else (block[0], block[1] + 2, block[2] - 2)
                first = False
            if isinstance(block, bytes):
                out.write(block)
            else:
                parts.copy(block, out)
        if json_format:
            out.write(_JSON_TAIL.encode())
    out.flush()


# A part of the export: UTF-8 text, or where a worker wrote it (file descriptor, offset, length).
Part = bytes | tuple[int, int, int]


class _Parts:
    """The files that workers write their reports' parts to, so that those parts go to the
    output without passing through this process (a national register's export is 200 MB)."""

    def __init__(self) -> None:
        self.files: list[Any] = []

    def __enter__(self) -> _Parts:
        return self

    def __exit__(self, *_exc: object) -> None:
        for file in self.files:
            file.close()

    def new(self) -> int | None:
        import tempfile

        try:
            self.files.append(tempfile.TemporaryFile())  # no name: nothing is left if we are killed
        except OSError:
            return None
        return self.files[-1].fileno()

    @staticmethod
    def copy(part: tuple[int, int, int], out: BinaryIO) -> None:
        fd, offset, length = part
        end = offset + length
        try:
            target = out.fileno()
        except (AttributeError, OSError, ValueError):
            target = None
        if target is not None:
            out.flush()
            try:
                while offset < end:
                    sent = os.sendfile(target, fd, offset, end - offset)
                    if sent == 0:
                        break  # the spool is short: said below
                    offset += sent
                if offset >= end:
                    return
            except OSError:
                pass  # not every output takes sendfile: copy the rest
        while offset < end:
            data = os.pread(fd, min(end - offset, 1 << 20), offset)
            if not data:
                raise OSError(f"export spool ended {end - offset} bytes short")
            out.write(data)
            offset += len(data)


def _export_parts(parts: _Parts, root: str, report_ids: list[str], fmt: str, as_of_day: date | None,
                  use_index: bool, own: Own = ()) -> list[Part]:
    """Each report's part of the export, in the order given, but those not yet published on
    `as_of_day`; a JSON part begins with ",\\n". A report comes from its index shard (cache.py)
    where the shard provably matches the file, else from its file, whose shard is then rebuilt
    (as cache.rebuild does); on every core when there are many. A file that cannot be read
    stops it (InvalidLedger, as any read)."""
    from track.store.cache import cores

    workers = cores()
    parallel = workers >= 2 and len(report_ids) >= 16
    blocks: list[Part | None] = [None] * len(report_ids)
    if use_index and not own:  # a shard's CSV rows have track's columns only (a report with own fields has no shard)
        size = max(1, -(-len(report_ids) // (workers * 4)))
        jobs = [(root, report_ids[at:at + size], fmt, as_of_day, parts.new() if parallel else None)
                for at in range(0, len(report_ids), size)]
        at = 0
        for job, lengths in zip(jobs, _map(_indexed_blocks, jobs, workers if parallel and len(jobs) > 1 else 1)):
            offset = 0
            for length in lengths:
                if isinstance(length, int):
                    blocks[at] = (job[4], offset, length)
                    offset += length
                else:
                    blocks[at] = length  # the text itself, or None: read from its file below
                at += 1
    missing = [at for at, block in enumerate(blocks) if block is None]
    if missing:
        file_jobs = [(root, report_ids[at], fmt, as_of_day, use_index, own) for at in missing]
        chunk = max(1, len(file_jobs) // (workers * 8))
        results = _map(_export_block, file_jobs, workers if parallel and len(file_jobs) >= 16 else 1, chunk)
        from track.domain.errors import InvalidLedger

        for at, (block, problem) in zip(missing, results):
            if problem is not None:
                raise InvalidLedger(problem)
            blocks[at] = (b",\n" + block if fmt == "json" else block) if block else b""
    return _joined([block for block in blocks if block])  # type: ignore[misc]


def _joined(blocks: list[Part]) -> list[Part]:
    """Neighbouring parts of one file as one (one copy instead of hundreds)."""
    out: list[Part] = []
    for block in blocks:
        last = out[-1] if out else None
        if isinstance(block, tuple) and isinstance(last, tuple) and last[0] == block[0] and last[1] + last[2] == block[1]:
            out[-1] = (last[0], last[1], last[2] + block[2])
        else:
            out.append(block)
    return out


def _map(function: Any, jobs: list, workers: int, chunk: int = 1) -> Iterator[Any]:
    """function over jobs, in order; on `workers` forked processes when more than one."""
    if workers < 2:
        yield from map(function, jobs)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(function, jobs, chunksize=chunk)


def _export_block(job: tuple[str, str, str, date | None, bool, Own]) -> tuple[bytes | None, str | None]:
    """One report's part, read from its file (and its shard rebuilt, as cache.rebuild does)."""
    from pathlib import Path

    from track.store import cache, disk

    root, report_id, fmt, day, use_index, own = job
    built = cache.now_ns()
    try:
        st: os.stat_result | None = os.stat(disk.report_path(Path(root), report_id))  # before reading
    except OSError:
        st = None
    report, problems, unknown, raw = disk.read_report_raw(Path(root), report_id)
    if problems or report is None:
        return None, disk.unreadable(problems) if problems else f"{report_id}: cannot be read"
    if use_index and st is not None and raw is not None:
        cache.write_shard(Path(root), report, st, built, raw, unknown)
    if day is not None:
        if report.published > day:
            return None, None
        report = as_of(report, day)
    text = json_block(report, own) if fmt == "json" else csv_block(report, guarded=fmt != RAW_CSV, own=own)
    return shown_controls(text, fmt).encode(), None


# --------------------------------------------------------------------------- export from the index
# A shard (see cache.pack) holds every field that export writes but the unknown keys, and a
# report with unknown keys has no shard. Written here straight from the packed tuples, as
# json_block and csv_block write a Report, since making Reports and Events costs more than
# writing them.


def _indexed_blocks(job: tuple[str, list[str], str, date | None, int | None]) -> list[int | bytes | None]:
    """The parts of the reports whose shards provably match their files, None for the others.
    Where a spool file `fd` is given, the parts are written to it and only their lengths are
    returned, but those that could not be written (b'' for a report not yet published)."""
    from pathlib import Path

    from track.store import cache, layout

    root, report_ids, fmt, day, fd = job
    reports = os.path.join(root, layout.REPORTS)
    shards = os.fspath(cache.folder(Path(root)))
    limit = day.toordinal() if day is not None else None
    render = _shard_json if fmt == "json" else (_shard_csv_raw if fmt == RAW_CSV else _shard_csv)
    out: list[int | bytes | None] = []
    batch: list[int] = []  # where in `out` the parts not yet spooled are
    size = 0
    spool = fd is not None
    for report_id in report_ids:
        path = os.path.join(reports, report_id + ".toml")
        shard = cache.read_shard_at(os.path.join(shards, report_id))
        try:
            if shard is None or not cache.valid(shard, os.stat(path), path):
                out.append(None)
                continue
        except OSError:
            out.append(None)
            continue
        if any(rec[14] is not None or rec[15] is not None for rec in shard[5]):  # own fields, action plans: written as json_block and csv_block write them
            out.append(None)
            continue
        text = shown_controls(render(report_id, shard, limit), fmt)
        block = ((",\n" + text) if text and fmt == "json" else text).encode()
        out.append(block)
        if spool and block:
            batch.append(len(out) - 1)
            size += len(block)
            if size > _SPOOL_BATCH:
                spool = _spooled(fd, out, batch)  # type: ignore[arg-type]
                batch, size = [], 0
    if spool and batch:
        _spooled(fd, out, batch)  # type: ignore[arg-type]
    return out


_SPOOL_BATCH = 1 << 20  # bytes a worker writes to its spool file at once


def _spooled(fd: int, out: list, batch: list[int]) -> bool:
    """Write these parts to the spool file and put their lengths in their place; False, and
    the parts left as they are, if it cannot be written (a full disk, say)."""
    try:
        view = memoryview(b"".join([out[at] for at in batch]))
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        return False
    for at in batch:
        out[at] = len(out[at])
    return True


_DAYS: dict[int | None, str | None] = {None: None}


def _iso(number: int | None) -> str | None:
    """An ordinal as ISO date text (remembered: a ledger has a few thousand distinct days)."""
    text = _DAYS.get(number)
    if text is None and number is not None:
        text = _DAYS[number] = date.fromordinal(number).isoformat()
    return text


def _shard_report_fields(report_id: str, meta: tuple) -> dict[str, Any]:
    """report_json's fields, but the recommendations, from a shard's meta (see cache.pack)."""
    (title, by, subject, kind, published, url, follows, note, figures, grades, followup, revisit, within, entered,
     response_from) = meta
    if followup is not None:
        followup = {"every": followup[0], "from": _iso(followup[1]), "until": _iso(followup[2])}
    return {"id": report_id, "title": title, "by": by, "subject": subject, "published": _iso(published),
            "kind": kind, "url": url, "follows": follows, "note": note, "response_within": within,
            "response_from": response_from, "revisit": _iso(revisit) if isinstance(revisit, int) else revisit,
            "followup": followup,
            "figures": figures, "grades": grades, "entered": _iso(entered), "extra": None}


def _shard_json(report_id: str, shard: tuple, limit: int | None) -> str:
    """json_block of the report a shard holds, as it stood at the end of day `limit` (an ordinal):
    the same text, written field by field (statuses, owners, dates and empty lists recur, so
    each is encoded once)."""
    meta, recs = shard[4], shard[5]
    if limit is not None and meta[4] > limit:
        return ""
    from json.encoder import encode_basestring as text_of  # what json.dumps(ensure_ascii=False) writes for a str

    day = _JSON_DAYS
    one = Memo(_dump)  # str or None -> its JSON text
    many = Memo(_dump)  # a tuple of str -> its JSON text
    notes = shard[8].load()[0] if recs else ()
    rec_texts = []
    for (ref, text, kind, answers, owner, tags, priority, due, entered, evidence, related, _states, span, _amended, _own, _plan) in recs:
        head = (f'      {{"ref": {text_of(ref)}, "kind": {one[kind]}, "text": {text_of(text)}, '
                f'"answers": {one[answers]}, "owner": {one[owner]}, "tags": {many[tags]}, "priority": {one[priority]}, '
                f'"due": {day[due]}, "entered": {day[entered]}, "evidence": {many[evidence]}, '
                f'"related": {many[related]}, "extra": null, "events": [')
        events = [f'        {{"date": {day[on]}, "status": {one[status]}, "response": {one[response]}, '
                  f'"due": {day[due_]}, "reason": {one[reason]}, "owner": {one[owner_]}, '
                  f'"note": {"null" if note is None else text_of(note)}, "source": {one[source]}, '
                  f'"evidence": {many[evidence_]}, "superseded_by": {one[superseded_by]}, '
                  f'"duplicate_of": {one[duplicate_of]}, "related": {many[related_]}, "basis": {one[basis]}, '
                  f'"old": {_dump(old)}, "new": {_dump(new)}, '
                  f'"recorded": {day[recorded]}, "recorded_by": {one[recorded_by]}, "extra": null}}'
                  for (on, status, response, due_, reason, owner_, superseded_by, duplicate_of, related_, note, source,
                       evidence_, basis, old, new, recorded, recorded_by) in notes[span[0]:span[1]] if limit is None or on <= limit]
        rec_texts.append(head + ("\n" + ",\n".join(events) + "\n      ]}" if events else "]}"))
    fields = _dump(_shard_report_fields(report_id, meta))
    return f'    {fields[:-1]}, "recommendations": [' + ("\n" + ",\n".join(rec_texts) + "\n    ]}" if rec_texts else "]}")


_JSON_DAYS = Memo(lambda number: _dump(_iso(number)))  # a day's ordinal or None -> its JSON text


def _shard_csv_raw(report_id: str, shard: tuple, limit: int | None) -> str:
    return _shard_csv(report_id, shard, limit, guarded=False)


def _shard_csv(report_id: str, shard: tuple, limit: int | None, guarded: bool = True) -> str:
    """csv_block of the report a shard holds, as it stood at the end of day `limit` (an
    ordinal), each cell guarded unless not `guarded`."""
    meta, recs = shard[4], shard[5]
    if limit is not None and meta[4] > limit:
        return ""
    (title, by, subject, kind, published, url, follows, note, figures, grades, followup, revisit, within, entered,
     response_from) = meta
    iso = _iso_cell
    cells = _list_cell
    every, start, until = followup if followup is not None else ("", None, None)
    report_row = {"report": report_id, "report_title": title, "report_by": by, "report_subject": subject,
                  "report_published": iso(published), "report_kind": kind, "report_url": url or "",
                  "report_follows": cells(follows), "report_note": note or "", "report_response_within": within or "",
                  "report_response_from": response_from or "",
                  "report_revisit": iso(revisit) if isinstance(revisit, int) else revisit or "",
                  "report_followup_every": every, "report_followup_from": iso(start),
                  "report_followup_until": iso(until), "report_figures": _pairs_cell(figures),
                  "report_grades": _pairs_cell(grades), "report_entered": iso(entered)}
    rows: list[Any] = [tuple([report_row.get(c, "") for c in COLUMNS])]
    notes = shard[8].load()[0] if recs else ()
    after = ("",) * (len(REPORT_COLUMNS) + len(ACTION_COLUMNS))  # a report with actions is written from its file
    blank = ("",) * (len(REC_COLUMNS) - 2)
    no_event = ("",) * len(EVENT_COLUMNS)
    for (ref, text, kind_, answers, owner, tags, priority, due, entered, evidence, related, _states, span, _amended, _own, _plan) in recs:
        rec_cells = (report_id, ref, kind_, text, answers or "", owner or "", cells(tags), priority or "", iso(due),
                     iso(entered), cells(evidence), cells(related), "")
        events = [(iso(t[0]), t[1] or "", t[2] or "", iso(t[3]), t[4] or "", t[5] or "", t[9] or "", t[10] or "",
                   cells(t[11]), t[6] or "", t[7] or "", cells(t[8]), t[12] or "", t[13] or "",
                   t[14] or "", iso(t[15]), t[16] or "", "")
                  for t in notes[span[0]:span[1]] if limit is None or t[0] <= limit]
        if not events:
            rows.append(rec_cells + no_event + after)
            continue
        rows.append(rec_cells + events[0] + after)
        lead = (report_id, ref) + blank
        rows.extend([lead + e + after for e in events[1:]])
    text = "\n".join([",".join(row) for row in rows]) + "\n"
    if guarded and _may_need_guard(text):  # (else no cell starts so)
        rows = [tuple(map(guard, row)) for row in rows]
        text = "\n".join([",".join(row) for row in rows]) + "\n"
    return _csv_lines(rows, text)


def _iso_cell(number: int | None) -> str:
    return "" if number is None else _iso(number)  # type: ignore[return-value]


def _csv_lines(rows: list[tuple[str, ...]], text: str | None = None) -> str:
    """What csv.writer (minimal quoting, '\n' line ends) writes for these rows of text. A cell
    without ',', '"' or a line end is written as it is, so most rows are simply joined; csv.writer
    quotes a cell or not whatever the others hold, so the other rows are written a cell at a
    time, each distinct cell quoted once. `text`: the rows joined so, when made already."""
    if text is None:
        text = "\n".join([",".join(row) for row in rows]) + "\n"
    commas = len(COLUMNS) - 1
    if (text.count(",") == commas * len(rows) and text.count("\n") == len(rows) and '"' not in text
            and "\r" not in text):
        return text
    cell = Memo(_csv_cell).__getitem__
    out = []
    for row in rows:
        line = ",".join(row)
        if line.count(",") != commas or '"' in line or "\n" in line or "\r" in line:
            line = ",".join(map(cell, row))
        out.append(line)
    return "\n".join(out) + "\n"


def _csv_cell(value: str) -> str:
    """A cell's text as csv.writer writes it in a row of many cells."""
    if "," in value or '"' in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    if "\r" in value:  # quoted by some versions of Python and not by others: ask this one
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([value, ""])  # not alone: "" alone is quoted
        return buffer.getvalue()[:-2]
    return value


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
            "event_related": _list_cell(event.related), "basis": _cell(event.basis),
            "amended_old": _cell(packed_amendment(event.old)), "amended_new": _cell(packed_amendment(event.new)),
            "recorded": _cell(event.recorded), "recorded_by": _cell(event.recorded_by),
            "event_extra": _cell(_toml_text(event.extra))}


def csv_rows(report: Report, own: Own = ()) -> Iterator[dict[str, str]]:
    followup = report.followup
    yield {"report": report.id, "report_title": report.title, "report_by": report.by,
           "report_subject": report.subject, "report_published": _cell(report.published),
           "report_kind": report.kind, "report_url": _cell(report.url), "report_follows": _list_cell(report.follows),
           "report_note": _cell(report.note), "report_response_within": _cell(report.response_within),
           "report_response_from": _cell(report.response_from),
           "report_revisit": _cell(_revisit(report.revisit)),
           "report_followup_every": _cell(followup.every if followup else None),
           "report_followup_from": _cell(followup.start if followup else None),
           "report_followup_until": _cell(followup.until if followup else None),
           "report_figures": _pairs_cell(report.figures), "report_grades": _pairs_cell(report.grades),
           "report_entered": _cell(report.entered),
           "report_extra": _cell(_toml_text(_report_extra(report)))}
    for rec in report.recommendations:
        declared, extra = own_fields(rec, own)
        row = {"report": report.id, "ref": rec.ref, "kind": rec.kind, "text": rec.text, "answers": _cell(rec.answers),
               "owner": _cell(rec.owner), "tags": _list_cell(rec.tags), "priority": _cell(rec.priority),
               "due": _cell(rec.due), "entered": _cell(rec.entered), "evidence": _list_cell(rec.evidence),
               "related": _list_cell(rec.related), "extra": _cell(_toml_text(extra)), "actions": _cell(plan_toml(rec)),
               **{FIELD_COLUMN + k: _cell(v) for k, v in declared.items()}}
        events = iter(rec.events)
        first = next(events, None)
        if first is not None:
            row.update(_event_cells(first))
        yield row
        for event in events:
            yield {"report": report.id, "ref": rec.ref, **_event_cells(event)}


FIELD_COLUMN = "fields."  # a row's column of one of the ledger's own fields: fields.KEY (headed by its label)


def csv_block(report: Report | None, guarded: bool = True, own: Own = ()) -> str:
    """One report's rows (the header for None), each cell guarded unless not `guarded`; the
    ledger's own fields (`own`) a column each, after track's, headed by its label."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = COLUMNS + tuple(FIELD_COLUMN + name for name, _label in own)
    if report is None:
        writer.writerow(COLUMNS + tuple(label for _name, label in own))
    else:
        for row in csv_rows(report, own):
            cells = [row.get(c, "") for c in columns]
            writer.writerow(list(map(guard, cells)) if guarded else cells)
    return buffer.getvalue()
