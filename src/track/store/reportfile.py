"""A report file's format: reading its TOML into the domain with each problem located
(file, line, column), and writing it back canonically."""

from __future__ import annotations

import re
from datetime import date, datetime
from datetime import time as time_of_day

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import model
from track.domain.dates import EARLIEST, LATEST, LONGEST_YEARS, Duration, TooLong, parse_duration
from track.domain.errors import TrackError
from track.domain.model import Action, ActionEvent, Event, Followup, Recommendation, Report
from track.domain.record import Frozen
from track.domain.values import MAX_TEXT
from track.store.layout import REPORTS


def toml_reader():  # noqa: ANN201
    """The TOML parser: tomli where installed (the same parser as the standard library's
    tomllib, compiled, about 2.5 times as fast on a large ledger), else tomllib."""
    try:
        import tomli

        return tomli
    except ImportError:  # pragma: no cover - tomli is a dependency, but tomllib reads the same
        import tomllib

        return tomllib


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


def locate(text: str, keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
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
        if len(keys) >= 2 and keys[0] == "fields":  # [recommendations.fields], or fields = { ... }
            table = next((i for i in range(start, end) if lines[i].strip() == "[recommendations.fields]"), None)
            if table is not None:
                start, keys = table, keys[1:]
            else:
                return _key_line(lines, "fields", start, end) or (start + 1, None)
        if len(keys) >= 2 and keys[0] == "actions" and isinstance(keys[1], int):
            tables = [i for i in range(start, end) if lines[i].strip() == "[[recommendations.actions]]"]
            if keys[1] >= len(tables):
                return start + 1, None
            start = tables[keys[1]]
            end = tables[keys[1] + 1] if keys[1] + 1 < len(tables) else end
            keys = keys[2:]
            if len(keys) >= 2 and keys[0] == "events" and isinstance(keys[1], int):
                events = [i for i in range(start, end) if lines[i].strip() == "[[recommendations.actions.events]]"]
                if keys[1] < len(events):
                    start = events[keys[1]]
                    end = events[keys[1] + 1] if keys[1] + 1 < len(events) else end
                else:  # events = [ { date = ... }, ... ]: one inline table a line, as tomli-w writes them
                    inline = [i for i in range(start, end) if lines[i].lstrip().startswith("{")]
                    if keys[1] < len(inline):
                        line = inline[keys[1]]
                        col = lines[line].find(f"{keys[2]} =") if len(keys) > 2 else -1
                        return line + 1, (col + 1 if col >= 0 else lines[line].index("{") + 1)
                keys = keys[2:]
            if not keys:
                return start + 1, 1
            found = _key_line(lines, str(keys[0]), start, end)
            return found if found is not None else (start + 1, None)
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


def syntax_problem(path: str, text: str, error: Exception) -> Problem:
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


def conflict_problems(path: str, text: str) -> list[Problem]:
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


def nesting_problem(path: str, text: str) -> Problem | None:
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
        line, column = locate(self.text, keys)
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
            self.problem(keys + (key,), f"{self.where(keys + (key,))} must be a date such as 2017-05-24, not {written_as(value)}")
            return None
        if not EARLIEST <= value <= LATEST:
            self.problem(keys + (key,), f"{self.where(keys + (key,))} = {value} is outside the dates track takes "
                                        f"({EARLIEST.year} to {LATEST.year})")
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
            return parse_duration(value) if isinstance(value, str) else not_a_string()
        except TrackError as error:
            self.problem(keys + (key,), f"{self.where(keys + (key,))} = {value!r} is "
                                        + (f"longer than {LONGEST_YEARS} years" if isinstance(error, TooLong)
                                           else "not a duration such as '56 days' or '3 months'"))
            return None

    def own_fields(self, data: dict, key: str, keys: tuple) -> dict[str, Any]:
        """A table of the ledger's own fields: {name: text, number or date} (whether track.toml
        declares them, and whether the values fit, is check's to say)."""
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(keys + (key,), f"{self.where(keys + (key,))} must be a table such as {{ risk = \"high\" }}")
            return {}
        out = {}
        for name, v in value.items():
            if isinstance(v, bool) or not isinstance(v, (str, int, float)) and type(v) is not date:
                self.problem(keys + (key, name), f"{self.where(keys + (key, name))} must be text, a number or a date, "
                                                 f"not {written_as(v)}")
            else:
                out[name] = v
        return out

    def extra(self, data: dict, known: tuple[str, ...], keys: tuple) -> dict[str, Any]:
        out = {}
        for key in data:
            if key not in known:
                out[key] = data[key]
                self.problem(keys + (key,), f"unknown key {self.where(keys + (key,))!r} (kept as it is)", unknown=True)
        return out


def written_as(value: Any) -> str:
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


def not_a_string() -> Any:
    raise TrackError("not a string")


REPORT_KEYS = ("title", "by", "subject", "kind", "published", "url", "follows", "note",
               "response_within", "response_from", "revisit", "followup", "figures", "grades", "entered", "recommendations")
FOLLOWUP_KEYS = ("every", "from", "until")
REC_KEYS = ("ref", "kind", "text", "answers", "owner", "tags", "priority", "due", "entered",
            "evidence", "related", "fields", "events", "actions")
ACTION_KEYS = ("n", "text", "owner", "due", "added", "recorded", "recorded_by", "events")
ACTION_EVENT_KEYS = ("date", "done", "due", "reason", "owner", "note", "source", "evidence", "recorded", "recorded_by")
EVENT_KEYS = ("date", "status", "basis", "response", "due", "reason", "owner", "superseded_by",
              "duplicate_of", "related", "note", "source", "evidence", "old", "new", "recorded", "recorded_by")


def decode_report(report_id: str, data: dict, path: str, text: str) -> tuple[Report | None, list[Problem], list[Problem]]:
    """A report file's data as a Report, with the problems that block reading it and those
    (unknown keys) that do not; None when any blocks it."""
    r = _Reader(path, text)
    if not _walk_problems(r, data):
        return None, r.problems, r.unknown
    title = r.string(data, "title", (), required=True)
    by = r.string(data, "by", (), required=True)
    subject = r.string(data, "subject", (), required=True)
    published = r.day(data, "published", (), required=True)
    kind = r.choice(data, "kind", (), model.REPORT_KINDS) or "inspection"
    figures = _figures(r, data)
    grades = _grades(r, data)
    followup = _followup(r, data)
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
        response_from=r.string(data, "response_from", ()),
        extra=r.extra(data, REPORT_KEYS, ()),
        entered=r.day(data, "entered", ()),
    )
    raw_recs = data.get("recommendations", [])
    if not isinstance(raw_recs, list):
        r.problem(("recommendations",), "recommendations must be an array of tables")
        raw_recs = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_recs):
        rec = _recommendation(r, report_id, raw, i, seen)
        if rec is not None:
            report.recommendations.append(rec)
    return report, r.problems, r.unknown


def _figures(r: _Reader, data: dict) -> dict[str, int | float]:
    figures: dict[str, int | float] = {}
    raw_figures = data.get("figures", {})
    if isinstance(raw_figures, dict):
        for k, v in raw_figures.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                r.problem(("figures", k), f"figures.{k} must be a number")
            else:
                if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):  # kept, but named
                    r.problem(("figures", k), f"figures.{k} = {v} is not a finite number: JSON cannot carry it", unknown=True)
                figures[k] = v
    else:
        r.problem(("figures",), "figures must be a table of numbers")
    return figures


def _grades(r: _Reader, data: dict) -> dict[str, str]:
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
    return grades


def _followup(r: _Reader, data: dict) -> Followup | None:
    raw_followup = data.get("followup")
    if raw_followup is None:
        return None
    if not isinstance(raw_followup, dict) or "every" not in raw_followup:
        r.problem(("followup",), "followup must be a table with every = '3 months' (and optional from, until)")
        return None
    every = r.duration(raw_followup, "every", ("followup",))
    followup_extra = r.extra(raw_followup, FOLLOWUP_KEYS, ("followup",))
    if not every:
        return None
    return Followup(every, r.day(raw_followup, "from", ("followup",)), r.day(raw_followup, "until", ("followup",)),
                    extra=followup_extra)


def _recommendation(r: _Reader, report_id: str, raw: Any, i: int, seen: set[str]) -> Recommendation | None:
    """recommendations[i] with its events; None when it is not a table."""
    keys: tuple[Any, ...] = ("recommendations", i)
    if not isinstance(raw, dict):
        r.problem(keys, f"recommendations[{i}] must be a table")
        return None
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
        fields=r.own_fields(raw, "fields", keys),
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
        when, event = _event(r, raw_event, ekeys)
        if when is not None and previous is not None and when < previous:
            r.problem(ekeys + ("date",), f"{rec.ref}: event {j + 1} ({when}) comes after a later event ({previous}): events must be in date order")
        previous = when or previous
        rec.events.append(event)
    raw_actions = raw.get("actions", [])
    if not isinstance(raw_actions, list):
        r.problem(keys + ("actions",), f"{r.where(keys + ('actions',))} must be an array of tables")
        raw_actions = []
    numbers: set[int] = set()
    for j, raw_action in enumerate(raw_actions):
        action = _action(r, rec.ref, raw_action, keys + ("actions", j), numbers)
        if action is not None:
            rec.actions.append(action)
    return rec


def decode_actions(ref: str, raw: Any, path: str) -> tuple[list[Action], list[Problem]]:
    """An action plan given apart from its file (an import's `actions` cell): the actions of
    `raw` (a list of tables as the file holds them) and the problems that block reading them
    (unknown keys do not: they ride along)."""
    r = _Reader(path, "")
    if not isinstance(raw, list):
        return [], [Problem(path, None, None, "actions must be an array of tables")]
    numbers: set[int] = set()
    out = [a for j, item in enumerate(raw) if (a := _action(r, ref, item, ("actions", j), numbers)) is not None]
    return out, r.problems  # unknown keys are kept, as a file's are


def _action(r: _Reader, ref: str, raw: Any, akeys: tuple[Any, ...], numbers: set[int]) -> Action | None:
    """An action of a recommendation's plan with its events; None when it is not a table."""
    if not isinstance(raw, dict):
        r.problem(akeys, f"{r.where(akeys)} must be a table")
        return None
    n = raw.get("n")
    if n is None:
        r.problem(akeys, f"{r.where(akeys + ('n',))} is missing")
        n = 0
    elif type(n) is not int or n < 1:
        r.problem(akeys + ("n",), f"{r.where(akeys + ('n',))} must be a whole number from 1")
        n = 0
    elif n in numbers:
        r.problem(akeys + ("n",), f"{ref}: duplicate action number {n}")
    numbers.add(n)
    action = Action(
        n=n,
        text=r.string(raw, "text", akeys, required=True) or "",
        owner=r.string(raw, "owner", akeys),
        due=r.day(raw, "due", akeys),
        added=r.day(raw, "added", akeys),
        recorded=r.day(raw, "recorded", akeys),
        recorded_by=r.string(raw, "recorded_by", akeys),
        extra=r.extra(raw, ACTION_KEYS, akeys),
    )
    raw_events = raw.get("events", [])
    if not isinstance(raw_events, list):
        r.problem(akeys + ("events",), f"{r.where(akeys + ('events',))} must be an array of tables")
        raw_events = []
    previous: date | None = action.added
    for j, raw_event in enumerate(raw_events):
        ekeys = akeys + ("events", j)
        if not isinstance(raw_event, dict):
            r.problem(ekeys, f"{ref}/{n}: event {j + 1} must be a table")
            continue
        when = r.day(raw_event, "date", ekeys, required=True)
        if when is not None and previous is not None and when < previous:
            r.problem(ekeys + ("date",), f"{ref}/{n}: event {j + 1} ({when}) comes before {previous}: "
                                         "an action's events follow its adding, in date order")
        previous = when or previous
        done = raw_event.get("done")
        if done is not None and not isinstance(done, bool):
            r.problem(ekeys + ("done",), f"{r.where(ekeys + ('done',))} must be true or false")
            done = None
        action.events.append(ActionEvent(
            date=when or date.min,
            done=done,
            due=r.day(raw_event, "due", ekeys),
            reason=r.string(raw_event, "reason", ekeys),
            owner=r.string(raw_event, "owner", ekeys),
            note=r.string(raw_event, "note", ekeys),
            source=r.string(raw_event, "source", ekeys),
            evidence=r.strings(raw_event, "evidence", ekeys),
            recorded=r.day(raw_event, "recorded", ekeys),
            recorded_by=r.string(raw_event, "recorded_by", ekeys),
            extra=r.extra(raw_event, ACTION_EVENT_KEYS, ekeys),
        ))
    return action


def _event(r: _Reader, raw_event: dict, ekeys: tuple[Any, ...]) -> tuple[date | None, Event]:
    """An event and its date as read (None when it has none or a bad one)."""
    when = r.day(raw_event, "date", ekeys, required=True)
    return when, Event(
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
        basis=r.choice(raw_event, "basis", ekeys, model.BASES),
        old=_amended(r, raw_event, "old", ekeys),
        new=_amended(r, raw_event, "new", ekeys),
        recorded=r.day(raw_event, "recorded", ekeys),
        recorded_by=r.string(raw_event, "recorded_by", ekeys),
    )


AMENDED_KEYS = (*model.AMENDABLE, "event")


def _amended(r: _Reader, raw_event: dict, key: str, ekeys: tuple[Any, ...]) -> dict[str, Any]:
    """An amendment's `old` or `new` values: {field: value}, "" for a field that was empty; an
    `event` is the table of a corrected or dropped event."""
    value = raw_event.get(key)
    if value is None:
        return {}
    keys = ekeys + (key,)
    if not isinstance(value, dict):
        r.problem(keys, f"{r.where(keys)} must be a table of the amended fields")
        return {}
    out: dict[str, Any] = {}
    for field, was in value.items():
        if field not in AMENDED_KEYS:
            r.problem(keys + (field,), f"{r.where(keys + (field,))}: {field!r} cannot be amended (one of: {', '.join(AMENDED_KEYS)})")
        elif field == "tags":
            out[field] = r.strings(value, field, keys)
        elif field == "fields":
            out[field] = r.own_fields(value, field, keys)
        elif field == "event":
            if not isinstance(was, dict):
                r.problem(keys + (field,), f"{r.where(keys + (field,))} must be a table")
            else:
                _event(r, was, keys + (field,))  # checked as any event is
                out[field] = was
        elif not isinstance(was, str):
            r.problem(keys + (field,), f"{r.where(keys + (field,))} must be a string")
        else:
            out[field] = was
    return out


# --------------------------------------------------------------------------- encoding


def _put(out: dict, key: str, value: Any) -> None:
    if value is None or value == [] or value == {}:
        return
    if isinstance(value, (Duration,)):
        value = str(value)
    out[key] = value


def _canonical(extra: dict[str, Any]) -> list[tuple[str, Any]]:
    """Unknown keys in the order the file will read back in: tomli-w writes a table's tables
    after its other values (as sections) unless it writes the whole table inline, so tables
    go last here too, and a file reads back in the order it was written, whatever its layout."""
    return [(k, v) for k, v in extra.items() if not isinstance(v, dict)] + \
        [(k, v) for k, v in extra.items() if isinstance(v, dict)]


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
    _put(out, "response_from", report.response_from)
    _put(out, "revisit", report.revisit)
    if report.followup:
        followup: dict[str, Any] = {}
        _put(followup, "every", report.followup.every)
        _put(followup, "from", report.followup.start)
        _put(followup, "until", report.followup.until)
        for key, value in _canonical(report.followup.extra):
            followup[key] = value
        out["followup"] = followup
    _put(out, "figures", dict(report.figures))
    _put(out, "grades", dict(report.grades))
    _put(out, "entered", report.entered)
    for key, value in _canonical(report.extra):
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
        for key, value in _canonical(rec.extra):
            r[key] = value
        _put(r, "fields", {k: rec.fields[k] for k in sorted(rec.fields)})  # by name: one order, however they came
        _put(r, "events", [encode_event(event) for event in rec.events])
        _put(r, "actions", [encode_action(action) for action in rec.actions])
        recs.append(r)
    _put(out, "recommendations", recs)
    return out


def encode_event(event: Event) -> dict[str, Any]:
    """An event as its file's table holds it."""
    e: dict[str, Any] = {}
    for key in EVENT_KEYS:
        value = getattr(event, key)
        if key in ("old", "new") and value:
            e[key] = dict(value)  # "" and [] kept: a field that was empty
        else:
            _put(e, key, value)
    for key, value in _canonical(event.extra):
        e[key] = value
    return e


def encode_action(action: Action) -> dict[str, Any]:
    """An action as its table holds it, its events after its fields."""
    a: dict[str, Any] = {}
    for key in ACTION_KEYS[:-1]:
        _put(a, key, getattr(action, key))
    for key, value in _canonical(action.extra):
        a[key] = value
    _put(a, "events", [encode_action_event(e) for e in action.events])
    return a


def encode_action_event(event: ActionEvent) -> dict[str, Any]:
    e: dict[str, Any] = {}
    for key in ACTION_EVENT_KEYS:
        _put(e, key, getattr(event, key))
    for key, value in _canonical(event.extra):
        e[key] = value
    return e


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
