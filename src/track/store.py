"""The ledger folder on disk: discovery, reading with located problems, canonical writing,
the lock and atomic replacement. Nothing here knows about the terminal.

    ledger/track.toml            settings
    ledger/reports/ID.toml       one report, its recommendations and their events
    ledger/.track/               what track keeps for itself (lock, journal); never in git
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from . import model
from .dates import Duration, parse_duration
from .errors import ChangedOnDisk, InvalidLedger, LedgerLocked, LedgerNotFound, TrackError
from .model import Event, Followup, Recommendation, Report
from .record import Frozen

def toml_reader():  # noqa: ANN201
    """The TOML parser: tomli where installed (the same parser as the standard library's
    tomllib, compiled, about 2.5 times as fast on a large ledger), else tomllib."""
    try:
        import tomli

        return tomli
    except ImportError:  # pragma: no cover - tomli is a dependency, but tomllib reads the same
        import tomllib

        return tomllib


SETTINGS = "track.toml"
REPORTS = "reports"
PRIVATE = ".track"
SCHEMA = 1
DEFAULT_SETTINGS: dict[str, Any] = {"remind": {"within": "14 days", "stale": "90 days"}}
CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)")


# --------------------------------------------------------------------------- problems


class Problem(Frozen):
    """Something wrong with a file, where it is (line and column when known)."""

    __slots__ = ("path", "line", "column", "message")
    _fields = __slots__
    path: str
    line: int | None
    column: int | None
    message: str

    def __init__(self, path: str, line: int | None, column: int | None, message: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "message", message)

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def _locate(text: str, keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Best-effort line and column of a key path such as ("recommendations", 2, "events", 0,
    "status") in a report file written by tomli-w or by hand. Only used on the error path."""
    lines = _lines(text)
    start, end = 0, len(lines)
    rec_index = keys[1] if len(keys) > 1 and keys[0] == "recommendations" and isinstance(keys[1], int) else None
    if rec_index is not None:
        headers = [i for i, ln in enumerate(lines) if ln.strip() == "[[recommendations]]"]
        if rec_index < len(headers):
            start = headers[rec_index]
            end = headers[rec_index + 1] if rec_index + 1 < len(headers) else len(lines)
        else:  # recommendations = [ {...}, ... ]: one inline table a line, as tomli-w writes them
            top = _key_line(lines, "recommendations", 0, len(lines))
            if top is None:
                return None, None
            inline = [i for i in range(top[0], len(lines)) if lines[i].lstrip().startswith("{")]
            if rec_index >= len(inline):
                return top
            line = inline[rec_index]
            key = keys[-1] if len(keys) > 2 and isinstance(keys[-1], str) else None
            col = lines[line].find(f"{key} =") if key else -1
            return line + 1, (col + 1 if col >= 0 else lines[line].index("{") + 1)
        keys = keys[2:]
        if len(keys) >= 2 and keys[0] == "events" and isinstance(keys[1], int):
            event_index = keys[1]
            tables = [i for i in range(start, end) if lines[i].strip() == "[[recommendations.events]]"]
            if event_index < len(tables):
                start = tables[event_index]
                end = tables[event_index + 1] if event_index + 1 < len(tables) else end
                keys = keys[2:]
            else:
                inline = [i for i in range(start, end) if lines[i].lstrip().startswith("{")]
                if event_index < len(inline):
                    line = inline[event_index]
                    key = keys[2] if len(keys) > 2 else None
                    col = lines[line].find(f"{key} =") if key else -1
                    return line + 1, (col + 1 if col >= 0 else lines[line].index("{") + 1)
    elif keys and keys[0] in ("followup", "figures", "grades"):
        for i, ln in enumerate(lines):
            if ln.strip() == f"[{keys[0]}]":
                start = i
                break
        else:
            found = _key_line(lines, str(keys[0]), 0, len(lines))  # followup = { every = ... }
            if found is not None:
                return found
        keys = keys[1:]
    if not keys:  # a table itself (its header line), or a key missing from the top of the file
        if rec_index is not None or start > 0:
            return (start + 1, 1) if start < len(lines) else (None, None)
        return (1, None) if lines else (None, None)
    found = _key_line(lines, str(keys[0]), start, end)
    if found is not None:
        return found
    return (start + 1, None) if rec_index is not None and start < len(lines) else (None, None)


def _key_line(lines: list[str], key: str, start: int, end: int) -> tuple[int, int] | None:
    # key = ..., or a dotted key.sub = ...; a quoted key may write a control character as \u001b
    written = model.CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", key)
    pattern = re.compile(r'^\s*"?(?:' + re.escape(key) + "|" + re.escape(written) + r')"?\s*[=.]')
    for i in range(start, end):
        if pattern.match(lines[i]):
            return i + 1, len(lines[i]) - len(lines[i].lstrip()) + 1
    return None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_END = re.compile(r"\(at end of document\)")


def _syntax_problem(path: str, text: str, error: Exception) -> Problem:
    message = str(error)
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    match = _TOML_POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
    elif _TOML_END.search(message):
        line = text.count("\n") + 1
    message = _TOML_POSITION.sub("", _TOML_END.sub("", getattr(error, "msg", message))).strip()
    if line:
        # tomllib's words for two common slips are obscure: say what is wrong instead.
        source = _lines(text)[line - 1] if line <= len(_lines(text)) else ""
        for found in _DATE_LIKE.finditer(source):
            if source[: found.start()].count('"') % 2:
                continue  # inside a string
            try:
                date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            except ValueError:
                return Problem(path, line, found.start() + 1, f"TOML syntax: {found.group()} is not a date that exists")
        if message == "Illegal character '\\n'":
            message = "a string is not closed before the end of the line"
    return Problem(path, line, column, f"TOML syntax: {message}")


_DATE_LIKE = re.compile(r"(?<![\w.:-])(\d{4})-(\d{2})-(\d{2})(?![\d])")


def _conflict_problems(path: str, text: str) -> list[Problem]:
    out = []
    for number, line in enumerate(_lines(text), 1):
        if CONFLICT.match(line):
            out.append(Problem(path, number, 1, "git conflict marker: resolve the merge, then run `track check`"))
            break
    return out


def _lines(text: str) -> list[str]:
    """The lines as TOML (and an editor's line numbers) count them: only \\n ends a line, not
    the other breaks str.splitlines knows (\\u2028, \\x0c, \\x1c, \\x85 ...), which a string may hold."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


MAX_DEPTH = 50  # arrays and tables inside each other; a report file needs four
MAX_TEXT = 20_000  # characters in one text, as ledger.clean_text takes them


# What matters to nesting: strings and comments (skipped whole: brackets inside them do not
# count), brackets and braces, and line ends (to say where).
_NESTING = re.compile(
    r'"""(?:[^\\]|\\.)*?"""'  # a multi-line basic string
    r"|'{3}.*?'{3}"  # a multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # a basic string
    r"|'[^'\n]*'"  # a literal string
    r"|#[^\n]*"  # a comment
    r"|[\[\]{}\n]",
    re.S,
)


def _nesting_problem(path: str, text: str) -> Problem | None:
    """Where brackets and braces first nest deeper than MAX_DEPTH, found before parsing (the
    parser and the writer recurse, so a deep enough file would otherwise crash them)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth, line, line_start = 0, 1, 0
    for match in _NESTING.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(path, line, match.start() - line_start + 1, f"nested more than {MAX_DEPTH} levels deep")
        elif token in ("]", "}"):
            depth = max(0, depth - 1)
        elif "\n" in token:
            line += token.count("\n")
            line_start = match.start() + token.rindex("\n") + 1
    return None


def _walk_problems(r: _Reader, data: dict) -> bool:
    """Every string and key in a parsed file: a control character (tab and newline apart) is
    noted, not refused (it is escaped whenever shown); nesting deeper than MAX_DEPTH (tables
    of dotted keys nest without brackets) is refused. False when refused."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        keys, value = stack.pop()
        if len(keys) > MAX_DEPTH:
            r.problem(keys[:1], f"{r.where(keys[:1])} is nested more than {MAX_DEPTH} levels deep")
            return False
        if isinstance(value, str):
            match = model.CONTROL.search(value)
            if match:
                r.problem(keys, f"{r.where(keys)} holds a control character ({match.group()!r}): "
                          "only tab and newline are allowed", unknown=True)
            if len(value) > MAX_TEXT:
                r.problem(keys, f"{r.where(keys)} is {len(value):,} characters long; track takes at most {MAX_TEXT:,}",
                          unknown=True)
        elif isinstance(value, dict):
            for key in reversed(list(value)):
                match = model.CONTROL.search(key)
                if match:
                    r.problem(keys + (key,), f"the key {r.where(keys + (key,))!r} holds a control character ({match.group()!r}): "
                              "only tab and newline are allowed", unknown=True)
                stack.append((keys + (key,), value[key]))
        elif isinstance(value, list):
            for index in reversed(range(len(value))):
                stack.append((keys + (index,), value[index]))
    return True


# --------------------------------------------------------------------------- decoding


class _Reader:
    """Turns one parsed report file into a Report, collecting every problem with its place."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        self.unknown: list[Problem] = []

    def problem(self, keys: tuple[Any, ...], message: str, *, unknown: bool = False) -> None:
        line, column = _locate(self.text, keys)
        (self.unknown if unknown else self.problems).append(Problem(self.path, line, column, message))

    def where(self, keys: tuple[Any, ...]) -> str:
        parts = []
        for key in keys:
            parts.append(f"[{key}]" if isinstance(key, int) else (("." if parts else "") + str(key)))
        return "".join(parts)

    def string(self, data: dict, key: str, keys: tuple, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(keys, f"{self.where(keys + (key,))} is missing")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(keys + (key,), f"{self.where(keys + (key,))} must be a non-empty string")
            return None
        return value

    def choice(self, data: dict, key: str, keys: tuple, choices: tuple[str, ...]) -> str | None:
        value = self.string(data, key, keys)
        if value is not None and value not in choices:
            self.problem(keys + (key,), f"{self.where(keys + (key,))} = {value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def day(self, data: dict, key: str, keys: tuple, *, required: bool = False) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(keys, f"{self.where(keys + (key,))} is missing")
            return None
        if type(value) is not date:
            self.problem(keys + (key,), f"{self.where(keys + (key,))} must be a date such as 2017-05-24, not {_shown(value)}")
            return None
        return value

    def strings(self, data: dict, key: str, keys: tuple) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(keys + (key,), f"{self.where(keys + (key,))} must be a list of strings")
            return []
        return list(value)

    def duration(self, data: dict, key: str, keys: tuple) -> Duration | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return parse_duration(value) if isinstance(value, str) else _fail()
        except TrackError:
            self.problem(keys + (key,), f"{self.where(keys + (key,))} = {value!r} is not a duration such as '56 days' or '3 months'")
            return None

    def extra(self, data: dict, known: tuple[str, ...], keys: tuple) -> dict[str, Any]:
        out = {}
        for key in data:
            if key not in known:
                out[key] = data[key]
                self.problem(keys + (key,), f"unknown key {self.where(keys + (key,))!r} (kept as it is)", unknown=True)
        return out


def _shown(value: Any) -> str:
    """A value as the file writes it, for a message: 2017-05-24T12:00:00+01:00, not datetime.datetime(...)."""
    if isinstance(value, (date, datetime, time_of_day)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _fail() -> Any:
    raise TrackError("not a string")


REPORT_KEYS = ("title", "by", "subject", "kind", "published", "url", "follows", "note",
               "response_within", "revisit", "followup", "figures", "grades", "recommendations")
FOLLOWUP_KEYS = ("every", "from", "until")
REC_KEYS = ("ref", "kind", "text", "answers", "owner", "tags", "priority", "due", "entered",
            "evidence", "related", "events")
EVENT_KEYS = ("date", "status", "response", "due", "reason", "owner", "superseded_by",
              "duplicate_of", "related", "note", "source", "evidence")


def decode_report(report_id: str, data: dict, path: str, text: str) -> tuple[Report | None, list[Problem], list[Problem]]:
    r = _Reader(path, text)
    if not _walk_problems(r, data):
        return None, r.problems, r.unknown
    title = r.string(data, "title", (), required=True)
    by = r.string(data, "by", (), required=True)
    subject = r.string(data, "subject", (), required=True)
    published = r.day(data, "published", (), required=True)
    kind = r.choice(data, "kind", (), model.REPORT_KINDS) or "inspection"
    figures: dict[str, int | float] = {}
    raw_figures = data.get("figures", {})
    if isinstance(raw_figures, dict):
        for k, v in raw_figures.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                r.problem(("figures", k), f"figures.{k} must be a number")
            else:
                figures[k] = v
    else:
        r.problem(("figures",), "figures must be a table of numbers")
    grades: dict[str, str] = {}
    raw_grades = data.get("grades", {})
    if isinstance(raw_grades, dict):
        for k, v in raw_grades.items():
            if v not in model.GRADES:
                r.problem(("grades", k), f"grades.{k} = {v!r} is not one of: {', '.join(model.GRADES)}")
            else:
                grades[k] = v
    else:
        r.problem(("grades",), "grades must be a table of question = grade")
    followup = None
    raw_followup = data.get("followup")
    if raw_followup is not None:
        if not isinstance(raw_followup, dict) or "every" not in raw_followup:
            r.problem(("followup",), "followup must be a table with every = '3 months' (and optional from, until)")
        else:
            every = r.duration(raw_followup, "every", ("followup",))
            followup_extra = r.extra(raw_followup, FOLLOWUP_KEYS, ("followup",))
            if every:
                followup = Followup(every, r.day(raw_followup, "from", ("followup",)), r.day(raw_followup, "until", ("followup",)),
                                    extra=followup_extra)
    revisit: Duration | date | None = None
    if "revisit" in data:
        revisit = r.day(data, "revisit", ()) if not isinstance(data["revisit"], str) else r.duration(data, "revisit", ())
    report = Report(
        id=report_id,
        title=title or "",
        by=by or "",
        subject=subject or "",
        published=published or date.min,
        kind=kind,
        url=r.string(data, "url", ()),
        follows=r.strings(data, "follows", ()),
        note=r.string(data, "note", ()),
        figures=figures,
        grades=grades,
        followup=followup,
        revisit=revisit,
        response_within=r.duration(data, "response_within", ()),
        extra=r.extra(data, REPORT_KEYS, ()),
    )
    raw_recs = data.get("recommendations", [])
    if not isinstance(raw_recs, list):
        r.problem(("recommendations",), "recommendations must be an array of tables")
        raw_recs = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_recs):
        keys: tuple[Any, ...] = ("recommendations", i)
        if not isinstance(raw, dict):
            r.problem(keys, f"recommendations[{i}] must be a table")
            continue
        ref = r.string(raw, "ref", keys, required=True)
        if ref is not None and not model.SAFE_REF.match(ref):
            r.problem(keys + ("ref",), f"ref {ref!r} must be letters, digits, '.', '_' or '-'")
        if ref in seen:
            r.problem(keys + ("ref",), f"duplicate ref {ref!r} in this report")
        seen.add(ref or "")
        rec = Recommendation(
            report=report_id,
            ref=ref or f"#{i}",
            text=r.string(raw, "text", keys, required=True) or "",
            kind=r.choice(raw, "kind", keys, model.KINDS) or "recommendation",
            answers=r.string(raw, "answers", keys),
            owner=r.string(raw, "owner", keys),
            tags=r.strings(raw, "tags", keys),
            priority=r.choice(raw, "priority", keys, model.PRIORITIES),
            due=r.day(raw, "due", keys),
            entered=r.day(raw, "entered", keys),
            evidence=r.strings(raw, "evidence", keys),
            related=r.strings(raw, "related", keys),
            extra=r.extra(raw, REC_KEYS, keys),
        )
        raw_events = raw.get("events", [])
        if not isinstance(raw_events, list):
            r.problem(keys + ("events",), f"{r.where(keys + ('events',))} must be an array of tables")
            raw_events = []
        previous: date | None = None
        for j, raw_event in enumerate(raw_events):
            ekeys = keys + ("events", j)
            if not isinstance(raw_event, dict):
                r.problem(ekeys, f"{rec.ref}: event {j + 1} must be a table")
                continue
            when = r.day(raw_event, "date", ekeys, required=True)
            event = Event(
                date=when or date.min,
                status=r.choice(raw_event, "status", ekeys, model.STATUSES),
                response=r.choice(raw_event, "response", ekeys, model.RESPONSES),
                due=r.day(raw_event, "due", ekeys),
                reason=r.string(raw_event, "reason", ekeys),
                owner=r.string(raw_event, "owner", ekeys),
                superseded_by=r.string(raw_event, "superseded_by", ekeys),
                duplicate_of=r.string(raw_event, "duplicate_of", ekeys),
                related=r.strings(raw_event, "related", ekeys),
                note=r.string(raw_event, "note", ekeys),
                source=r.string(raw_event, "source", ekeys),
                evidence=r.strings(raw_event, "evidence", ekeys),
                extra=r.extra(raw_event, EVENT_KEYS, ekeys),
            )
            if when is not None and previous is not None and when < previous:
                r.problem(ekeys + ("date",), f"{rec.ref}: event {j + 1} ({when}) comes after a later event ({previous}): events must be in date order")
            previous = when or previous
            rec.events.append(event)
        report.recommendations.append(rec)
    return report, r.problems, r.unknown


# --------------------------------------------------------------------------- encoding


def _put(out: dict, key: str, value: Any) -> None:
    if value is None or value == [] or value == {}:
        return
    if isinstance(value, (Duration,)):
        value = str(value)
    out[key] = value


def encode_report(report: Report) -> dict[str, Any]:
    """The canonical TOML document of a report: fixed key order, empty values left out,
    unknown keys kept after the known ones."""
    out: dict[str, Any] = {}
    _put(out, "title", report.title)
    _put(out, "by", report.by)
    _put(out, "subject", report.subject)
    _put(out, "kind", report.kind)
    _put(out, "published", report.published)
    _put(out, "url", report.url)
    _put(out, "follows", report.follows)
    _put(out, "note", report.note)
    _put(out, "response_within", report.response_within)
    _put(out, "revisit", report.revisit)
    if report.followup:
        followup: dict[str, Any] = {}
        _put(followup, "every", report.followup.every)
        _put(followup, "from", report.followup.start)
        _put(followup, "until", report.followup.until)
        for key, value in report.followup.extra.items():
            followup[key] = value
        out["followup"] = followup
    _put(out, "figures", dict(report.figures))
    _put(out, "grades", dict(report.grades))
    for key, value in report.extra.items():
        out[key] = value
    recs = []
    for rec in report.recommendations:
        r: dict[str, Any] = {}
        _put(r, "ref", rec.ref)
        _put(r, "kind", rec.kind)
        _put(r, "text", rec.text)
        _put(r, "answers", rec.answers)
        _put(r, "owner", rec.owner)
        _put(r, "tags", rec.tags)
        _put(r, "priority", rec.priority)
        _put(r, "due", rec.due)
        _put(r, "entered", rec.entered)
        _put(r, "evidence", rec.evidence)
        _put(r, "related", rec.related)
        for key, value in rec.extra.items():
            r[key] = value
        events = []
        for event in rec.events:
            e: dict[str, Any] = {}
            for key in EVENT_KEYS:
                _put(e, key, getattr(event, key))
            for key, value in event.extra.items():
                e[key] = value
            events.append(e)
        _put(r, "events", events)
        recs.append(r)
    _put(out, "recommendations", recs)
    return out


def same_document(a: Any, b: Any) -> bool:
    """Equal as TOML documents: the same types (True is not 1, 1 is not 1.0), the same keys in
    the same order, and nan equal to nan."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_document(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_document(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def dumps_report(report: Report) -> str:
    import tomli_w

    try:
        return tomli_w.dumps(encode_report(report))
    except (TypeError, ValueError, RecursionError) as error:  # None, a set, an aware time, a cycle ...
        message = f"{REPORTS}/{report.id}.toml: a value cannot be written as TOML ({error}); nothing was written"
        raise TrackError(message) from None


# --------------------------------------------------------------------------- the folder


def find_ledger(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """--ledger, else $TRACK_LEDGER, else the nearest folder upwards holding track.toml."""
    given = explicit if explicit is not None else os.environ.get("TRACK_LEDGER") or None
    if given is not None:
        path = Path(given).expanduser()
        if path.name == SETTINGS and path.is_file():
            path = path.parent
        if not (path / SETTINGS).is_file():
            source = "--ledger" if explicit is not None else "TRACK_LEDGER"
            raise LedgerNotFound(f"{path}: not a ledger (no {SETTINGS}; {source} names it); create one with `track init {path}`")
        return path
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS).is_file():
            return folder
    raise LedgerNotFound(
        f"no ledger found: no {SETTINGS} in {here} or any folder above it; "
        "run `track init`, pass --ledger PATH or set TRACK_LEDGER"
    )


def read_text(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidLedger(f"{shown}: cannot read: {error.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise InvalidLedger(f"{shown}:1:1: starts with a UTF-8 byte-order mark: save it as UTF-8 without BOM")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InvalidLedger(f"{shown}:{line}:{column}: not UTF-8 text (byte 0x{data[error.start]:02x})") from None


def load_settings(root: Path) -> dict[str, Any]:
    tomllib = toml_reader()

    shown = SETTINGS
    text = read_text(root / SETTINGS, shown)
    conflicts = _conflict_problems(shown, text)
    if conflicts:
        raise InvalidLedger(str(conflicts[0]))
    deep = _nesting_problem(shown, text)
    if deep:
        raise InvalidLedger(str(deep))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidLedger(str(_syntax_problem(shown, text, error))) from None
    except RecursionError:
        raise InvalidLedger(f"{shown}:1:1: nested too deeply to read") from None
    return data


def settings_problems(root: Path, data: dict[str, Any]) -> list[Problem]:
    out = []
    known = {"name", "schema", "timezone", "remind", "lock_timeout", "git"}
    for key in data:
        if key not in known:
            out.append(Problem(SETTINGS, None, None, f"unknown key {key!r}"))
    if data.get("schema", SCHEMA) != SCHEMA:
        out.append(Problem(SETTINGS, None, None, f"schema {data.get('schema')!r}: this track reads schema {SCHEMA}"))
    found = model.CONTROL.search(data["name"]) if isinstance(data.get("name"), str) else None
    if found:
        out.append(Problem(SETTINGS, None, None, f"name holds a control character ({found.group()!r}): only tab and newline are allowed"))
    remind = data.get("remind", {})
    if not isinstance(remind, dict):
        out.append(Problem(SETTINGS, None, None, "remind must be a table"))
    else:
        for key in ("within", "stale"):
            if key in remind:
                try:
                    parse_duration(remind[key]) if isinstance(remind[key], str) else _fail()
                except TrackError:
                    out.append(Problem(SETTINGS, None, None, f"remind.{key} = {remind[key]!r} is not a duration such as '14 days'"))
    git = data.get("git", {})
    if not isinstance(git, dict):
        out.append(Problem(SETTINGS, None, None, "git must be a table, such as [git] commit = true"))
    else:
        for key in git:
            if key != "commit":
                out.append(Problem(SETTINGS, None, None, f"unknown key 'git.{key}'"))
        if "commit" in git and not isinstance(git["commit"], bool):
            out.append(Problem(SETTINGS, None, None, f"git.commit = {_shown(git['commit'])} must be true or false"))
    tz = data.get("timezone")
    if tz is not None:
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except Exception:
            out.append(Problem(SETTINGS, None, None, f"timezone {tz!r} is not a time zone name such as 'Europe/London'"))
    return out


def report_path(root: Path, report_id: str) -> Path:
    return root / REPORTS / f"{report_id}.toml"


def report_ids(root: Path) -> list[str]:
    try:
        names = os.listdir(os.path.join(root, REPORTS))  # not Path.iterdir: a national register has thousands
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(name[:-5] for name in names if name.endswith(".toml") and not name.startswith("."))


def read_report(root: Path, report_id: str) -> tuple[Report | None, list[Problem], list[Problem]]:
    """(report or None, blocking problems, unknown-key notices) for one report file."""
    report, problems, unknown, _raw = read_report_raw(root, report_id)
    return report, problems, unknown


def read_report_raw(root: Path, report_id: str) -> tuple[Report | None, list[Problem], list[Problem], bytes | None]:
    """read_report, plus the exact bytes the report was read from."""
    tomllib = toml_reader()

    shown = f"{REPORTS}/{report_id}.toml"
    if not model.safe_report_id(report_id):
        return None, [Problem(shown, None, None, "file name is not a safe report id (letters, digits, '.', '_', '-')")], [], None
    try:
        text = read_text(report_path(root, report_id), shown)
    except InvalidLedger as error:
        return None, [_raw_problem(str(error))], [], None
    conflicts = _conflict_problems(shown, text)
    if conflicts:
        return None, conflicts, [], None
    if not text.strip():
        return None, [Problem(shown, 1, 1, "empty file: a report needs title, by, subject and published")], [], None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [_nesting_problem(shown, text) or _syntax_problem(shown, text, error)], [], None
    except RecursionError:
        return None, [_nesting_problem(shown, text) or Problem(shown, 1, 1, "nested too deeply to read")], [], None
    report, problems, unknown = decode_report(report_id, data, shown, text)
    if problems and any(f"nested more than {MAX_DEPTH} levels deep" in p.message for p in problems):
        deep = _nesting_problem(shown, text)  # brackets too deep: say where they start
        if deep:
            return None, [deep], [], None
    return (None if problems else report), problems, unknown, text.encode("utf-8")


def unreadable(problems: list[Problem]) -> str:
    """What a command says of a report file it cannot read: the first problem, how many more,
    and where to see them all."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    hint = "" if "track check" in str(problems[0]) else "; run `track check` to see every problem"
    return f"{problems[0]}{more}{hint}"


def _raw_problem(message: str) -> Problem:
    path, _, rest = message.partition(":")
    match = re.match(r"(\d+):(\d+): (.*)", rest)
    if match:
        return Problem(path, int(match.group(1)), int(match.group(2)), match.group(3))
    return Problem(path, None, None, rest.strip())


# --------------------------------------------------------------------------- writing


class WriteFailed(TrackError):
    """A file could not be replaced: it still holds exactly what it held, and no temp file is left."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def atomic_write(path: Path, text: str) -> bool:
    """Replace `path` with `text` so that a reader or a crash sees the old or the new file,
    never a mixture: a temp file in the same folder with the original's mode, written and
    fsynced, then os.replace and an fsync of the folder. A symlink is written through to its
    target. Returns False (and touches nothing, mtime included) when the bytes are already
    there. On failure raises WriteFailed, having removed its temp file."""
    data = text.encode("utf-8")
    try:
        target = Path(os.path.realpath(path))
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and target.read_bytes() == data:
            return False
    except OSError as error:
        reason = _reason(error)
        raise WriteFailed(f"{path}: cannot read it before replacing it: {reason}; the file is unchanged", reason) from None
    folder = target.parent
    temp = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        # A new file gets the usual mode (0o666 less the umask); a replaced one keeps its own.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o666 if st is None else 0o600)
        try:
            if st is not None:
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except OSError:
                    pass  # only root may give a file away; the mode still follows
                os.fchmod(fd, st.st_mode & 0o7777)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise WriteFailed(f"{path}: could not write: {_reason(error)}; the file is unchanged", _reason(error)) from None
        raise
    _fsync_dir(folder)
    return True


def _reason(error: OSError) -> str:
    import errno

    text = error.strerror or str(error) or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        text += " (the disk or quota is full)"
    return text


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")  # .NAME.PID.tmp, as atomic_write names them


def remove_stale_temps(folder: Path) -> None:
    """Temp files left by a process killed mid-write are never part of the ledger: remove
    those whose process is gone (or is this one)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = TEMP.match(name)
        if not match:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or not _alive(pid):
            try:
                os.unlink(Path(folder) / name)
            except OSError:
                pass


def clean_temps(root: Path) -> None:
    """remove_stale_temps in every folder track writes to. Call it holding the lock."""
    for folder in (root, root / REPORTS, root / PRIVATE, root / PRIVATE / "cache"):
        remove_stale_temps(folder)


def tidy(root: Path) -> None:
    """On a read: remove the temp files a killed writer left, but only when no writer is at
    work (the lock is free), and never creating anything (a read-only ledger stays untouched)."""
    import fcntl

    try:
        fd = os.open(root / PRIVATE / "lock", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return  # no lock file: no track writer has worked here (a fresh clone)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        clean_temps(root)
    finally:
        os.close(fd)  # releases the lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def locked(root: Path, timeout: float, what: str) -> Iterator[None]:
    """Hold the ledger's lock (flock on .track/lock; the kernel releases it if we die)."""
    import fcntl

    private = root / PRIVATE
    lock = private / "lock"
    try:
        private.mkdir(exist_ok=True)  # .track/ is not in git: a fresh clone has none
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as error:
        raise TrackError(f"{lock}: cannot create the lock: {_reason(error)}; nothing was written") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _lock_holder(fd)
                    raise LedgerLocked(
                        f"{root}: the ledger is locked by {holder}; waited {timeout:g}s. "
                        "Try again when it has finished."
                    ) from None
                time.sleep(0.005)
            except OSError as error:
                raise TrackError(f"{lock}: cannot take the lock: {_reason(error)}; nothing was written") from None
        stamp = json.dumps({"pid": os.getpid(), "what": what, "since": datetime.now().isoformat(timespec="seconds")})
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, stamp.encode(), 0)
        except OSError:
            pass  # who holds it is only for the message of a process that waits
        try:
            yield
        finally:
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
        return f"process {info['pid']} ({info['what']}, since {info['since']})"
    except (ValueError, KeyError, TypeError, OSError):
        return "another process"


def check_unchanged(path: Path, expected: bytes | None) -> None:
    """Refuse to overwrite a file that changed on disk since it was read."""
    try:
        now: bytes | None = path.read_bytes()
    except FileNotFoundError:
        now = None
    except OSError as error:
        raise TrackError(f"{path}: cannot read it again before writing: {_reason(error)}; nothing was written") from None
    if now != expected:
        raise ChangedOnDisk(f"{path}: changed on disk while track was working; nothing was written. Run the command again.")
