"""Reading the rows of a file to import: CSV (with its column names' common aliases), or JSON as
`track export` writes it; and reading one cell of a row as the value it stands for, or a
message naming the file, the line and the column."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


from track.domain import model
from track.domain.dates import Duration, parse_date, parse_duration
from track.domain.errors import BadValue, TrackError
from track.domain.values import clean_text
from track.exchange.export import (
    COLUMNS,
    EVENT_COLUMN_OF_KEY,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    FIELD_COLUMN,
    FOLLOWUP_COLUMN_OF_KEY,
    REC_COLUMN_OF_KEY,
    REPORT_COLUMN_OF_KEY,
)


class ImportProblems(TrackError):
    """Rows that cannot be imported; nothing was written. `problems` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems[0] if problems else "nothing to import")


# --------------------------------------------------------------------------- reading files


@dataclass
class Row:
    """One row to import: column -> value (text from CSV; text, lists or tables from JSON),
    and where it came from, to name in a message."""

    values: dict[str, Any]
    line: int | None
    path: str = ""  # JSON: where in the document, e.g. reports[0].recommendations[2]
    keys: dict[str, str] = field(default_factory=dict)  # JSON: column -> the key that gave it
    lines: Any = None  # JSON: the _JsonLines that finds a path's line, when a message needs it
    exact: bool = False  # JSON: an empty or blank text is a value (CSV cannot tell it from none)

    def given(self, column: str) -> bool:
        return column in self.filled

    @property
    def filled(self) -> frozenset[str]:
        """The columns with a value (not empty, not blank)."""
        found = self.__dict__.get("_filled")
        if found is None:
            found = self.__dict__["_filled"] = frozenset(
                c for c, v in self.values.items()
                if ((self.exact or v.strip()) if isinstance(v, str) else v is not None and v != [] and v != {}))
        return found

    def spot(self) -> Row:
        """Where the row came from, without its values: what a message about it needs."""
        return Row({}, self.line, self.path, self.keys, self.lines, self.exact)


def read_csv(text: str, name: str, raw: bool = False, own: tuple[tuple[str, str], ...] = ()) -> list[Row]:
    """The rows of a CSV file; unless `raw`, each cell as it was before export guarded it
    (one ' taken off a cell that starts with ' and then =, +, -, @, a tab, a carriage return
    or '). A column headed by the label or key of one of the ledger's own fields (`own`:
    (key, label) of each, matched whatever the case) is that field's (fields.KEY)."""
    import io

    text = text.removeprefix("\ufeff")
    return list(_csv_rows(lambda: io.StringIO(text, newline=""), text.split("\n", 1)[0], name, raw, own=own))


class CsvRows:
    """The rows of a CSV file read from the disk as they are needed, never all held at once:
    as read_csv gives them, in the same order, with the same refusals. `scan` reads the file
    through once first (refusing it as read_csv would), counting the rows and noting the last
    row of each value of the report column (`ends`: its value, stripped, to the row's number
    from 1), so that an import knows when it has seen the last row of a report. The file is
    UTF-8 (checked by the caller); `skip` is the bytes of byte-order marks at its start."""

    def __init__(self, path: str, name: str, raw: bool = False, skip: int = 0, own: tuple[tuple[str, str], ...] = ()) -> None:
        self.path = path
        self.name = name
        self.raw = raw
        self.skip = skip
        self.own = own
        self.count = 0
        self.ends: dict[str | None, int] = {}

    def _open(self, newline: str = "") -> Any:
        import io

        binary = open(self.path, "rb")  # noqa: SIM115 - closed with the wrapper
        binary.seek(self.skip)
        return io.TextIOWrapper(binary, encoding="utf-8", newline=newline)

    def _rows(self, report_only: bool = False) -> Iterator[Row]:
        with self._open("\n") as stream:
            header_line = stream.readline().removesuffix("\n")
        return _csv_rows(self._open, header_line, self.name, self.raw, report_only, self.own)

    def scan(self) -> CsvRows:
        import os

        ends: dict[str | None, int] = {}
        count = 0
        for count, row in enumerate(self._rows(report_only=True), 1):
            value = row.values.get("report")
            ends[sys.intern(value.strip()) if value is not None else ""] = count
        self.ends, self.count = ends, count
        st = os.stat(self.path)
        self._seen = (st.st_size, st.st_mtime_ns)
        return self

    def __iter__(self) -> Iterator[Row]:
        import os

        count = 0
        for count, row in enumerate(self._rows(), 1):
            yield row
        st = os.stat(self.path)
        if count != self.count or (st.st_size, st.st_mtime_ns) != self._seen:
            raise TrackError(f"{self.name}: the file changed while it was read; nothing was written")

    def __len__(self) -> int:
        return self.count


def _csv_rows(opened: Callable[[], Any], header_line: str, name: str, raw: bool,
              report_only: bool = False, own: tuple[tuple[str, str], ...] = ()) -> Iterator[Row]:
    """The rows of a CSV text, one by one, from a stream `opened` gives (newline=""), whose
    first line (up to its first \\n) is `header_line`; the problems of the header refused at
    once, those of the rows at the end. `report_only`: each row holds its report cell only.
    A column headed by the label or key of one of the ledger's own fields (`own`: (key,
    label) of each, matched whatever the case) is that field's (fields.KEY)."""
    import csv

    from track.exchange.export import unguard

    header_line = header_line.rstrip("\r")
    headings = {_plain_name(heading): FIELD_COLUMN + key for key, label in own for heading in (key, label)}

    def column_name(text: str) -> str:
        return headings.get(_plain_name(text)) or _column_name(text)

    def fit(candidate: str) -> tuple[int, int]:  # (known columns, columns) the header splits into
        fields = [column_name(c) for c in next(csv.reader([header_line], delimiter=candidate), [])]
        return sum(1 for f in fields if f in COLUMNS or f.startswith(FIELD_COLUMN)), len(fields)

    delimiter = max((",", ";", "\t"), key=fit)  # the first of the best: a comma unless another fits better
    # Lines end at \n, \r\n or \r only (str.splitlines would also break at \u2028 inside a text).
    with opened() as stream:
        reader = csv.reader(stream, delimiter=delimiter, strict=True)
        problems: list[str] = []
        try:
            header = next(reader)
        except StopIteration:
            raise ImportProblems([f"{name}: empty: the first line must name the columns ({', '.join(COLUMNS[:4])}, ...)"]) from None
        except csv.Error as error:
            raise ImportProblems([f"{name}:1: {error}"]) from None
        columns = [column_name(c) for c in header]
        for i, column in enumerate(columns):
            if column and column not in COLUMNS and not column.startswith(FIELD_COLUMN):
                mine = f", or one of the ledger's own fields ({', '.join(label for _key, label in own)})" if own else \
                    ", or declare it in track.toml as one of the ledger's own fields ([fields.NAME] with label = ...)"
                problems.append(f"{name}:1: column {i + 1} {header[i].strip()!r} is not a column track knows: "
                                f"use {', '.join(COLUMNS)}{mine} (see README: Import and export)")
        seen = Counter(c for c in columns if c)
        for column, count in seen.items():
            if count > 1:
                problems.append(f"{name}:1: column {column!r} appears {count} times")
        if "ref" not in columns:
            problems.append(f"{name}:1: no ref column: each recommendation needs its ref (R1, AFI2 ...)")
        if problems:
            raise ImportProblems(problems)
        # The columns' names, each one string for every row; the report column's place, for report_only.
        columns = [sys.intern(c) for c in columns]
        at = columns.index("report") if "report" in columns else None
        width = len(columns)
        start = reader.line_num + 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    problems.append(f"{name}:{line}: {len(cells)} cells but {width} columns: a quote or a {delimiter!r} too many?")
                    continue
                if problems:
                    continue  # refused at the end: the rows are not made
                if report_only:
                    cell = cells[at] if at is not None and at < len(cells) else None
                    values = {} if cell is None else {"report": (cell if raw else unguard(cell)).replace("\r\n", "\n")}
                else:
                    values = {col: (cell if raw else unguard(cell)).replace("\r\n", "\n")
                              for col, cell in zip(columns, cells) if col}
                yield Row(values, line)
        except csv.Error as error:
            hint = ": a quote opened in this row is not closed" if "end of data" in str(error) else ""
            problems.append(f"{name}:{start}: {error}{hint}")
    if problems:
        raise ImportProblems(problems)


def _plain_name(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def _column_name(text: str) -> str:
    name = "_".join(text.strip().lower().replace("-", " ").split())
    return ALIASES.get(name, name)


# Headings that inspectorates' and committees' tables use for track's columns.
ALIASES = {"recommendation": "text", "recommendation_text": "text", "description": "text", "reference": "ref",
           "rec_ref": "ref", "report_id": "report", "due_date": "due", "deadline": "due", "theme": "tags",
           "themes": "tags", "lead": "owner"}


def read_json(text: str, name: str) -> list[Row]:
    try:
        document = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        raise ImportProblems([f"{name}:{line}: not JSON: {getattr(error, 'msg', error)}"]) from None
    except RecursionError:  # an export is four levels deep; a file nested thousands deep is not one
        raise ImportProblems([f"{name}: nested too deeply to be a track export"]) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportProblems([f"{name}: not a track export (a JSON object with \"format\": \"{EXPORT_FORMAT}\", as `track export` writes)"])
    if document.get("version") != EXPORT_VERSION:
        raise ImportProblems([f"{name}: export version {document.get('version')!r}; this track reads version {EXPORT_VERSION}"])
    lines = _JsonLines(text)
    rows: list[Row] = []
    problems: list[str] = []

    def where(path: str, key: str | None = None) -> str:
        line = lines.line(path, key)
        return f"{name}:{line}: {path}" if line else f"{name}: {path}"

    def take(obj: Any, path: str, keys: dict[str, str], known: set[str]) -> Row | None:
        if not isinstance(obj, dict):
            problems.append(f"{where(path)}: must be an object")
            return None
        unknown = [k for k in obj if k not in keys and k not in known]
        for k in unknown:
            problems.append(f"{where(path, k)}.{k}: not a key of a track export")
        values = {column: obj[key] for key, column in keys.items() if key in obj}
        return Row(values, None, path=path, keys={c: k for k, c in keys.items()}, lines=lines, exact=True)

    reports = document.get("reports")
    if not isinstance(reports, list):
        raise ImportProblems([f"{where('reports')}: must be a list of reports"])
    for i, raw in enumerate(reports):
        path = f"reports[{i}]"
        row = take(raw, path, REPORT_COLUMN_OF_KEY, {"followup", "recommendations"})
        if row is None:
            continue
        followup = raw.get("followup")
        if followup is not None:
            sub = take(followup, f"{path}.followup", FOLLOWUP_COLUMN_OF_KEY, set())
            if sub is not None:
                row.values.update(sub.values)
                row.keys.update({c: f"followup.{k}" for c, k in sub.keys.items()})
        rows.append(row)
        report_id = raw.get("id")
        recs = raw.get("recommendations", [])
        if not isinstance(recs, list):
            problems.append(f"{where(path, 'recommendations')}.recommendations: must be a list")
            continue
        for j, rec in enumerate(recs):
            rpath = f"{path}.recommendations[{j}]"
            rec_row = take(rec, rpath, {**REC_COLUMN_OF_KEY, "fields": "fields"}, {"events", "actions"})
            if rec_row is None:
                continue
            if "actions" in rec:
                rec_row.values["actions"] = plan_text(rec["actions"])
                rec_row.keys["actions"] = "actions"
            rec_row.values["report"] = report_id
            rows.append(rec_row)
            events = rec.get("events", [])
            if not isinstance(events, list):
                problems.append(f"{where(rpath, 'events')}.events: must be a list")
                continue
            for k, event in enumerate(events):
                event_row = take(event, f"{rpath}.events[{k}]", EVENT_COLUMN_OF_KEY, set())
                if event_row is not None:
                    event_row.values["report"] = report_id
                    event_row.values["ref"] = rec.get("ref")
                    event_row.keys.pop("ref", None)
                    rows.append(event_row)
    if problems:
        raise ImportProblems(problems)
    return rows


_ACTION_DAYS = ("due", "added", "recorded", "date")


def plan_text(actions: Any) -> Any:
    """An export's JSON action plan as the TOML text of the CSV `actions` cell (dates as dates,
    `extra` as keys of their own), so that import reads one form; what is not a list of objects
    is left for the import to refuse."""
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        return actions

    def table(obj: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if value is None or key == "extra":
                continue
            if key in _ACTION_DAYS and isinstance(value, str):
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    pass
            if key == "events" and isinstance(value, list):
                value = [table(e) if isinstance(e, dict) else e for e in value]
            out[key] = value
        extra = obj.get("extra")
        if isinstance(extra, str) and extra.strip():
            from track.store import reportfile

            try:
                for key, value in reportfile.toml_reader().loads(extra).items():
                    out.setdefault(key, value)
            except Exception:  # noqa: BLE001 - a bad extra is the import's to refuse
                out["extra"] = extra
        events = out.pop("events", None)
        if events:
            out["events"] = events  # last, as the file has them
        return out

    import tomli_w

    try:
        return tomli_w.dumps({"actions": [table(a) for a in actions]})
    except (TypeError, ValueError):
        return actions


class _JsonLines:
    """The line of an object of a JSON document, by its path: found by parsing the text again,
    noting where each object starts (only when a message needs it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, int] | None = None
        self._breaks: list[int] | None = None

    def line(self, path: str, key: str | None = None) -> int | None:
        if self._starts is None:
            self._starts = self._index()
        start = self._starts.get(path)
        if start is None:
            return None
        if key is not None:
            at = self.text.find(json.dumps(key), start)
            if at >= 0:
                start = at
        import bisect

        if self._breaks is None:
            self._breaks = [i for i, c in enumerate(self.text) if c == "\n"]
        return bisect.bisect_left(self._breaks, start) + 1

    def _index(self) -> dict[str, int]:
        import json.decoder
        import json.scanner

        order: list[tuple[int, dict]] = []

        def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[dict, int]:
            start = s_and_end[1] - 1
            obj, end = json.decoder.JSONObject(s_and_end, *args)
            order.append((start, obj))
            return obj, end

        decoder = json.JSONDecoder()
        decoder.parse_object = parse_object  # type: ignore[assignment]
        decoder.scan_once = json.scanner.py_make_scanner(decoder)
        try:
            document = decoder.decode(self.text)
        except ValueError:
            return {}
        where = {id(obj): start for start, obj in order}
        out: dict[str, int] = {}

        def walk(value: Any, path: str) -> None:
            if isinstance(value, dict):
                if id(value) in where:
                    out[path] = where[id(value)]
                for k, v in value.items():
                    walk(v, f"{path}.{k}" if path else k)
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    walk(v, f"{path}[{i}]")

        walk(document, "")
        return out


class BadCell(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message


def cell_number(raw: Any, column: str) -> int | float:
    if isinstance(raw, bool):
        raise BadCell(column, f"{raw!r} is not a number")
    if isinstance(raw, (int, float)):
        value: int | float = raw
        text = repr(raw)
    else:
        text = str(raw).strip()
        try:
            value = int(text.replace(",", "")) if text.replace(",", "").lstrip("+-").isdigit() else float(text)
        except ValueError:
            raise BadCell(column, f"{text!r} is not a number") from None
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise BadCell(column, f"{text!r} is not a finite number: JSON cannot carry it")
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise BadCell(column, f"{text!r} is too large for a TOML integer")
    return value


def shown_value(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, (date, Duration)):
        return str(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Cells:
    """Reading the cells of rows: each method returns a cell's value, or raises BadCell; `bad`
    notes a problem, named by file, line (or JSON path) and column. A subclass sets `name` (the
    file's), `problems` (the list of messages) and `day_first`."""

    name: str
    problems: list[str]
    day_first: bool

    # ----------------------------------------------------------------- messages

    def where(self, row: Row, column: str | None) -> str:
        if row.path:
            key = row.keys.get(column or "", column)
            found = row.lines.line(row.path, key) if row.lines is not None else None
            line = f":{found}" if found else ""
            return f"{self.name}{line}: {row.path}" + (f".{key}" if column else "")
        return f"{self.name}:{row.line}" + (f": column {column}" if column else "")

    def bad(self, row: Row, column: str | None, message: str) -> None:
        self.problems.append(f"{self.where(row, column)}: {message}")

    # ----------------------------------------------------------------- cells

    def text(self, row: Row, column: str, *, single_line: bool = False) -> str | None:
        if column not in row.filled:
            return None
        value = row.values[column]
        if not isinstance(value, str):
            raise BadCell(column, f"{shown_value(value)} must be text")
        try:
            return clean_text(value, column, single_line=single_line)
        except BadValue as error:
            raise BadCell(column, f"{shown_value(value)}: {error}") from None

    def word(self, row: Row, column: str, choices: tuple[str, ...], what: str) -> str | None:
        value = self.text(row, column, single_line=True)
        if value is None:
            return None
        normal = value.strip().lower().replace(" ", "-").replace("_", "-")
        if normal not in choices:
            raise BadCell(column, f"{value!r} is not a {what}: use one of {', '.join(choices)}")
        return normal

    def day(self, row: Row, column: str, *, base: date, month: str = "refuse", publication: date | None = None) -> date | None:
        value = self.text(row, column, single_line=True)
        if value is None:
            return None
        return self.read_day(value, column, base=base, month=month, publication=publication)

    def read_day(self, value: str, column: str, *, base: date, month: str = "refuse", publication: date | None = None,
                 what: str | None = None) -> date:
        """A date as the file writes it (day first with --day-first); one that reads two ways
        without it is refused with a pointer to --day-first (not to track.toml: the import's
        option, not the ledger's setting, says how the file writes dates)."""
        try:
            return parse_date(value, base=base, month=month, publication=publication, what=what or column,  # type: ignore[arg-type]
                              day_first=self.day_first)
        except BadValue as error:
            message = str(error)
            if not self.day_first:
                try:
                    parse_date(value, base=base, month=month, publication=publication, what=what or column,  # type: ignore[arg-type]
                               day_first=True)
                    message += " (or, if the file writes dates day first, import it with --day-first)"
                except BadValue:
                    pass
            raise BadCell(column, message) from None

    def duration(self, row: Row, column: str) -> Duration | None:
        value = self.text(row, column, single_line=True)
        if value is None:
            return None
        try:
            return parse_duration(value, column)
        except BadValue as error:
            raise BadCell(column, str(error)) from None

    def items(self, row: Row, column: str) -> list[str]:
        value = row.values.get(column)
        if value is None:
            return []
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise BadCell(column, f"{shown_value(value)} must be a list of text")
            parts = value
        elif isinstance(value, str):
            parts = value.split("\n") if "\n" in value else [p.strip() for p in value.split(";")]
            parts = [p for p in parts if p.strip()]
        else:
            raise BadCell(column, f"{shown_value(value)} must be a list of text")
        try:
            return [clean_text(p, column, required=True, single_line=True) or "" for p in parts]
        except BadValue as error:
            raise BadCell(column, str(error)) from None

    def pairs(self, row: Row, column: str, number: bool) -> dict[str, Any]:
        value = row.values.get(column)
        if value is None:
            return {}
        if isinstance(value, dict):
            pairs = list(value.items())
        elif isinstance(value, str):
            pairs = []
            lines = "\n" in value
            for part in (value.split("\n") if lines else value.split(";")):
                if not part.strip():
                    continue
                key, sep, raw = part.rpartition("=")
                if not sep or not key.strip():
                    raise BadCell(column, f"{part!r} must be written name=value")
                pairs.append((key if lines else key.strip(), raw.strip()))
        else:
            raise BadCell(column, f"{shown_value(value)} must be name=value pairs")
        out: dict[str, Any] = {}
        for key, raw in pairs:
            if number:
                out[key] = cell_number(raw, column)
            else:
                grade = str(raw).strip().lower().replace(" ", "-")
                if grade not in model.GRADES:
                    raise BadCell(column, f"{key}={raw!r}: not a grade: use one of {', '.join(model.GRADES)}")
                out[key] = grade
        return out

    def extra(self, row: Row, column: str) -> dict[str, Any]:
        value = self.text(row, column)
        if value is None:
            return {}
        from track.store import reportfile

        try:
            return reportfile.toml_reader().loads(value)
        except Exception as error:  # noqa: BLE001 - any parse failure is the cell's fault
            raise BadCell(column, f"not TOML text: {error}") from None
