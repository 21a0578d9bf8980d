"""The one place that decides how output looks: table (a terminal), plain (piped), json, csv
and markdown, and the writers of each."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from json.encoder import encode_basestring as quote  # json.dumps(ensure_ascii=False) quotes strings with it (C)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from track.domain.errors import BadValue
from track.domain.record import Record

FORMATS = ("table", "plain", "json", "csv", "markdown")
PAGE_FORMATS = (*FORMATS, "html")  # report and history: one self-contained page too
REMIND_FORMATS = ("table", "plain", "json", "markdown")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STATUS_STYLE = {
    "awaiting-response": "magenta",
    "not-started": "yellow",
    "in-progress": "cyan",
    "partially-implemented": "cyan",
    "reported-complete": "blue",
    "implemented": "green",
    "not-implemented": "red",
    "superseded": "dim",
    "withdrawn": "dim",
}


def is_terminal(stream: TextIO | None = None) -> bool:
    env = os.environ
    tty_compatible = env.get("TTY_COMPATIBLE", "")
    if tty_compatible == "0":
        return False
    if tty_compatible == "1":
        return True
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def choose_format(requested: str | None, allowed: Sequence[str] = FORMATS) -> str:
    if requested is None:
        return "table" if is_terminal() else "plain"
    value = requested.strip().lower()
    if value not in allowed:
        raise BadValue(f"unknown format {requested!r}: use one of {', '.join(allowed)}")
    return value


def escape(text: str) -> str:
    """Control characters never reach the terminal raw: they are shown as \\xNN."""
    return _CONTROL.sub(_hex, text)


def one_line(text: str | None) -> str:
    if text and text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text  # already one tidy line, the usual case
    return escape(" ".join((text or "").split()))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (list, tuple)):
        return ", ".join(one_line(str(v)) for v in value)
    return one_line(str(value))


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    """JSON as json.dumps(indent=2, ensure_ascii=False) writes it, dates as ISO strings, DEL
    and C1 controls escaped, and a final newline."""
    return "".join(_json_pieces(data))


def write_json(data: Any, out: TextIO | None = None) -> None:
    """to_json(data), written a few hundred items of a top-level list at a time (`data` may
    also be an iterator of the items, made as they are written)."""
    for piece in _json_pieces(data):
        write(piece, out)


def _json_pieces(data: Any) -> Iterator[str]:
    if not isinstance(data, (list, tuple, Iterator)):
        yield json_safe(_json(data, "\n") + "\n")
        return
    items = iter(data)
    first = True
    while True:
        block = list(islice(items, 256))
        if not block:
            break
        yield json_safe(("[\n  " if first else ",\n  ") + ",\n  ".join([_json(v, "\n  ") for v in block]))
        first = False
    yield "[]\n" if first else "\n]\n"


def _json(o: Any, nl: str) -> str:
    """A value as json.dumps(indent=2, ensure_ascii=False, default=...) writes it where `nl`
    (a newline and the indent of the line it starts on) is its indent: the plain JSON types
    and dates here, without json's generators (several times faster); anything else (a
    subclass, a key that is not a string) by json.dumps itself, indented to fit."""
    t = type(o)
    if t is str:
        return quote(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if t is int:
        return int.__repr__(o)
    if t is float:
        return _float(o)
    if t is date or t is datetime:
        return quote(o.isoformat())
    if t is dict and o:
        # a pattern for each set of keys (and indent) met: the records of a list share one
        keys = tuple(o)
        pattern = _DICT_PATTERNS.get((keys, nl))
        if pattern is None:
            if not all(type(k) is str for k in keys):
                return _dumps(o, nl)
            inner = nl + "  "
            pattern = _DICT_PATTERNS[keys, nl] = (
                "{" + inner + ("," + inner).join(quote(k).replace("%", "%%") + ": %s" for k in keys) + nl + "}")
        inner = nl + "  "
        values = []
        for v in o.values():
            t = type(v)
            if t is str:
                values.append(quote(v))
            elif v is None:
                values.append("null")
            elif t in _SCALARS:
                values.append(_SCALARS[t](v))
            elif (t is list or t is tuple) and not v:
                values.append("[]")
            else:
                values.append(_json(v, inner))
        return pattern % tuple(values)
    if t is dict:
        return "{}"
    if t is list or t is tuple:
        if not o:
            return "[]"
        inner = nl + "  "
        return "[" + inner + ("," + inner).join([_json(v, inner) for v in o]) + nl + "]"
    return _dumps(o, nl)


_DICT_PATTERNS: dict[tuple[tuple[str, ...], str], str] = {}
_SCALARS: dict[type, Any] = {bool: lambda v: "true" if v else "false", int: int.__repr__,
                             date: lambda v: f'"{v.isoformat()}"', datetime: lambda v: f'"{v.isoformat()}"'}  # ISO: nothing to escape


def _dumps(o: Any, nl: str) -> str:
    import json

    # json.dumps lays out a value the same at any depth but for the indent after each newline
    # (newlines never occur inside its strings)
    return json.dumps(o, indent=2, ensure_ascii=False, default=_json_default).replace("\n", nl)


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


def json_safe(text: str) -> str:
    """JSON text (as json.dumps writes it, ensure_ascii off) with DEL and C1 controls
    \\u-escaped: json escapes C0 controls itself, but not these (\\x9b is CSI to a terminal)."""
    if text.isascii() and "\x7f" not in text:  # ASCII is known without reading the text; DEL is ASCII
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_JSON_RAW = re.compile(r"[\x7f-\x9f]")


def write(text: str, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(text)


class Column(Record):
    """A column of a table: the key of its values, its header and how it is laid out."""

    _fields = ("key", "header", "right", "wide", "plain", "stack", "drop", "above", "keep")

    def __init__(self, key: str, header: str, right: bool = False, wide: bool = False, plain: bool = False,
                 stack: int = 0, drop: int = 0, above: bool = False, keep: bool = False) -> None:
        self.key = key
        self.header = header
        self.right = right
        self.wide = wide  # the one column that takes the remaining width and wraps
        self.plain = plain  # its values are ids, statuses, dates or numbers: nothing to tidy or escape, never wrapped
        self.stack = stack  # on a narrow terminal, moved below the row's text: 1 first, then 2, ... (0: never)
        self.drop = drop  # on a terminal too narrow even so, left out: 1 first, then 2, ... (0: never)
        self.above = above  # stacked, its values go above the text, unlabelled (else below, after the header)
        self.keep = keep  # stacked only when the text would be narrower than its least (else, a third of the width)


def dropped_first(i: int, n: int) -> int:
    """Where the i-th of n dated columns comes in the order a narrow terminal leaves them out:
    the checks between the first and the latest, oldest first, then the first; never the latest."""
    return 0 if i == n - 1 else (n - 1 if i == 0 else i)


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(csv_value(v) for v in value)
    return escape(str(value)) if not isinstance(value, str) else csv_cell(value)


FORMULA = ("=", "+", "-", "@", "\t")  # what a spreadsheet reads as the start of a formula


def csv_cell(text: str) -> str:
    """A string as a CSV cell: carriage returns dropped, other control characters but tab and
    newline shown as \\xNN, and a cell a spreadsheet would read as a formula (=, +, -, @ or a
    tab first) neutralised with a leading ' (OWASP's rule), so that opening a listing never runs one."""
    if "\r" in text:
        text = text.replace("\r", "")
    if _CONTROL.search(text):
        text = _CONTROL.sub(_hex, text)
    return "'" + text if text.startswith(FORMULA) else text


def csv_field(text: str) -> str:
    """A cell as csv.writer (excel dialect, lineterminator "\\n") writes it in a row of several:
    quoted when it holds a comma, a quote or a line break, its quotes doubled."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_fields(values: list[str | None]) -> list[str]:
    """csv_field(csv_cell(value)) of each value ("" for None), the values looked at all at once
    as one text: in the usual case (no control character, no carriage return) each is only
    quoted or not."""
    text = "\n".join(filter(None, values))
    if (not (ascii_free_of(text, _CSV_CONTROLS) if text.isascii() else "\r" not in text and not _CONTROL.search(text))
            or any(v and v.startswith(FORMULA) for v in values)):
        return ["" if v is None else csv_field(csv_cell(v)) for v in values]
    return ["" if v is None else csv_field(v) for v in values]


_CSV_CONTROLS = bytes([*range(9), *range(11, 32), 127])  # the ASCII csv_cell drops or shows as \xNN


def json_strings(values: Sequence[str | None]) -> list[str]:
    """Each value as JSON (quote, or null): when none of them holds a quote, a backslash or a
    control character (looked for in all of them at once), only put in quotes."""
    if None not in values:
        text = "".join(values)  # type: ignore[arg-type]
        if '"' not in text and "\\" not in text and (ascii_free_of(text, _JSON_ESCAPED) if text.isascii()
                                                        else not _JSON_ESCAPED_RE.search(text)):
            return list(map('"%s"'.__mod__, values))
        return list(map(quote, values))  # type: ignore[arg-type]
    return ["null" if v is None else quote(v) for v in values]


_JSON_ESCAPED = bytes(range(32))  # what json escapes, besides " and \
_JSON_ESCAPED_RE = re.compile(r"[\x00-\x1f]")
_TIDY_A_BLOCK = 4096


def tidy_cells(values: Sequence[str | None], made: Any, untidy: list[range] | None = None) -> list[str]:
    """Each value as `made` makes its cell, but a tidy one (a printable string with no leading,
    trailing or double space: its own one_line, cell and cell_text) as it is. Values are looked
    at a few thousand at a time, as one text joined by single spaces, where an empty value or a
    space at either end of one shows as a double space or a space at an end of the text: in the
    usual block of tidy ASCII values nothing is done a value. The blocks that were not all tidy
    so are added to `untidy`, when given (elsewhere no cell is empty or ends in white space)."""
    out: list[str] = []
    for at in range(0, len(values), _TIDY_A_BLOCK):
        block = values[at:at + _TIDY_A_BLOCK]
        if None not in block:
            text = " ".join(block)  # type: ignore[arg-type]
            if (text.isascii() and "  " not in text and text[:1] not in ("", " ") and text[-1] != " "
                    and ascii_free_of(text, _ASCII_CONTROLS)):
                out += block  # type: ignore[arg-type]
                continue
        if untidy is not None:
            untidy.append(range(at, at + len(block)))
        out += [v if v and v.isprintable() and "  " not in v and v[0] != " " and v[-1] != " " else made(v) for v in block]
    return out


def ascii_free_of(text: str, controls: bytes) -> bool:
    """An ASCII text holds none of these characters: checked bytewise, several times faster
    than a regular expression or str.isprintable on the long texts of a national register."""
    return len(text.encode("ascii").translate(None, controls)) == len(text)


def _hex(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def csv_text(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([csv_value(row.get(f)) for f in fields])
    return buffer.getvalue()


def _plain_cell(value: Any) -> str:
    return "" if value is None else (value if isinstance(value, str) else str(value))


def cell_text(value: Any) -> str:
    """A value as one tidy line of a table, control characters escaped."""
    if value is None:
        return ""
    if isinstance(value, str) and "  " not in value and (
            ascii_free_of(value, _ASCII_CONTROLS) if value.isascii()
            else value.isprintable()):
        return value  # already tidy (for ASCII, printable means no control character: checked bytewise, twice as fast)
    return fast_cell(value)


_ASCII_CONTROLS = bytes(range(32)) + b"\x7f"


def fast_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if value.isprintable() and "  " not in value:  # the common case, at C speed
            return value
        text = " ".join(value.split()) if ("\n" in value or "\t" in value or "  " in value) else value
    elif isinstance(value, bool):
        return "yes" if value else ""
    elif isinstance(value, (list, tuple)):
        text = ", ".join(" ".join(str(v).split()) for v in value)
    else:
        text = str(value)
    return _CONTROL.sub(_hex, text) if _CONTROL.search(text) else text


ANSI = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


def paint(text: str, style: str | None) -> str:
    if not style or not text:
        return text
    start = sgr(style)
    return f"{start}{text}\x1b[0m" if start else text


def sgr(style: str) -> str:
    """The escape sequence that turns `style` on ("" when it names no known style)."""
    codes = ";".join(ANSI[s] for s in style.split() if s in ANSI)
    return f"\x1b[{codes}m" if codes else ""


def plain_table(columns: Sequence[Column], rows: Sequence[dict[str, Any]], *, width: int | None = None,
                color: bool = False, styles: Sequence[str | None] | None = None,
                cells: Sequence[Sequence[str]] | None = None) -> str:
    """Aligned columns separated by two spaces. Plain: no colour, no box characters, the last
    column never cut. For a terminal (`width` given): the table rich draws, fitted to the
    width (terminal_table). Fast enough for tens of thousands of rows. `cells`, when
    given, are the rows already as strings (tidied and escaped), one tuple (or list) per row."""
    if cells is None:
        convert = [_plain_cell if c.plain else fast_cell for c in columns]
        pairs = [(c.key, f) for c, f in zip(columns, convert)]
        cells = [[f(row.get(k)) for k, f in pairs] for row in rows]
    by_column = list(zip(*cells)) if cells else [()] * len(columns)
    return "".join(_table_chunks(columns, by_column, width, color, styles))


def laid_out(template: list[str], cells: list[tuple[int, Sequence[str]]], rows: int) -> str:
    """`rows` rows, each `template` (a row's texts, "" where a cell goes) with the cells of each
    (place, cells) put in, as one text: one list laid out by slice assignment and joined once,
    with nothing done a row (a %-format a row of a few hundred thousand rows takes seconds)."""
    width = len(template)
    out = template * rows
    for place, values in cells:
        out[place::width] = values
    return "".join(out)


def write_cells(columns: Sequence[Column], by_column: Sequence[Sequence[str]], fmt: str, *,
                styles: Sequence[str | None] | None = None, out: TextIO | None = None) -> None:
    """A table (fmt table, plain or markdown) whose cells are made already, given a column at a
    time (each column's cells in row order: strings as plain_table's cells, or for markdown as
    `cell` makes them), written a few thousand rows at a time: tables of a national register
    run to hundreds of thousands of rows, and a text that size is costly to hold twice over."""
    if fmt == "markdown":
        chunks = _markdown_table(columns, by_column)
    elif fmt == "table":
        chunks = _table_chunks(columns, by_column, terminal_width(), use_color(), styles)
    else:
        chunks = _table_chunks(columns, by_column, None, False, styles)
    for chunk in chunks:
        write(chunk, out)


_ROWS_A_CHUNK = 4096


def _chunks(lines: Iterator[str]) -> Iterator[str]:
    """The lines, each ending in a newline, joined a few thousand at a time."""
    while True:
        block = list(islice(lines, _ROWS_A_CHUNK))
        if not block:
            return
        yield "\n".join(block) + "\n"


def table_layout(columns: Sequence[Column], widths: list[int]) -> tuple[str, list[str]]:
    """The head of plain_table's table (with a newline) whose columns' cells and headers are at
    most `widths` wide, and each column's %-format (the last, unless right-aligned, unpadded)."""
    last = len(columns) - 1
    fields = ["%s" if i == last and not c.right else ("%%%ds" % widths[i] if c.right else "%%-%ds" % widths[i])
              for i, c in enumerate(columns)]
    return ("  ".join(fields) % tuple(c.header for c in columns)).rstrip() + "\n", fields


def _table_chunks(columns: Sequence[Column], by_column: Sequence[Sequence[str]], width: int | None, color: bool,
                 styles: Sequence[str | None] | None) -> Iterator[str]:
    """plain_table's text in pieces, from its cells a column at a time: on a terminal (`width`
    given), the table rich draws (views.tables)."""
    if width is not None:
        yield from terminal_table(columns, by_column, width, color, styles, marked=ROW_MARKED)
        return
    keys = [c.key for c in columns]
    widths = [max(len(c.header), max(map(len, values), default=0)) for c, values in zip(columns, by_column)]
    last = len(columns) - 1
    # Each row is one format operation (tables run to a hundred thousand rows): the columns
    # padded but the last; then, in colour, the row is painted in its style, and a row without
    # one has its status cells painted in their own colours instead.
    head, fields = table_layout(columns, widths)
    pattern = "  ".join(fields)
    yield head
    if not color:
        yield from _chunks(map(str.rstrip, map(pattern.__mod__, zip(*by_column))))  # no Python code a row
        return
    # In colour: the rows formatted as above a few thousand at a time, the status cells painted first.
    rows = len(by_column[0]) if by_column else 0
    row_styles = styles if styles else [None] * rows
    statuses = [i for i, c in enumerate(columns) if keys[i] == "status" and i != last and not c.right]
    # given padded: painted (or not) the same for every row with that status
    painted = {i: {v: paint(v, STATUS_STYLE.get(v)) + " " * (widths[i] - len(v)) for v in set(by_column[i])} for i in statuses}
    bare = "  ".join("%s" if i in statuses else f for i, f in enumerate(fields))
    starts = {style: sgr(style) if style else "" for style in set(row_styles)}  # "": as it is
    ends = {style: "\x1b[0m" if start else "" for style, start in starts.items()}
    for at in range(0, rows, _ROWS_A_CHUNK):
        cells = [column[at:at + _ROWS_A_CHUNK] for column in by_column]
        chunk_styles = row_styles[at:at + _ROWS_A_CHUNK]
        for i in statuses:
            w, paint_one = widths[i], painted[i]
            cells[i] = [v.ljust(w) if style else paint_one[v] for v, style in zip(cells[i], chunk_styles)]
        lines = list(map(str.rstrip, map(bare.__mod__, zip(*cells))))
        if "" not in lines:  # an empty row is never painted
            lines = list(map("%s%s%s".__mod__, zip(map(starts.__getitem__, chunk_styles), lines,
                                                    map(ends.__getitem__, chunk_styles))))
        else:
            lines = [f"{starts[style]}{text}{ends[style]}" if text else text for text, style in zip(lines, chunk_styles)]
        yield "\n".join(lines) + "\n"


ROW_MARKED = {"id", "date", "due", "text", "note", "report", "when"}  # what a row's style (overdue red, closed dim) colours


def terminal_table(columns: Sequence[Column], by_column: Sequence[Sequence[str]], width: int, color: bool,
                   styles: Sequence[str | None] | None = None, *, cell_styles: Sequence[Any] | None = None,
                   texts: dict[str, Sequence[Any]] | None = None, sections: set[int] | None = None,
                   marked: set[str] | None = None) -> Iterator[str]:
    """The table on a terminal `width` wide, drawn by rich (views.tables): statuses in their
    colours (or each column's cells styled by `cell_styles`, a mapping of value to style, for
    each column), each row in its style (overdue red, closed dim), and a line naming any
    column the width left out. `texts` gives some columns' cells as rich Text (by key; the
    cells in `by_column` are their plain text, for the layout); `sections`, the rows after
    which a rule is drawn; `marked`, the keys of the columns a row's style colours (else all
    of the row)."""
    from track.views import tables

    if cell_styles is None:
        cell_styles = [STATUS_STYLE if color and c.key == "status" else None for c in columns]
    lay, text = tables.draw(columns, by_column, width, color, cell_styles, styles if color else None,
                            texts=texts, sections=sections, marked=marked)
    yield from text
    if lay.dropped:
        yield wrapped(f"Left out at {width} columns: {', '.join(columns[i].header for i in lay.dropped)}"
                      " (a wider terminal or --format plain shows them).", width)


def wrapped(text: str, width: int, indent: str = "") -> str:
    """A paragraph wrapped at words to `width` (as rich wraps it), each line indented, with a
    final newline."""
    import textwrap

    return "".join(line + "\n" for line in textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
                                                          break_on_hyphens=False)) or "\n"


def hanging(text: str, width: int, indent: int) -> str:
    """A line such as "2016-11-25  report: title" wrapped at words to `width`, its later lines
    indented `indent` columns (no final newline)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width, subsequent_indent=" " * indent, break_on_hyphens=False)) or text


def heading(text: str, width: int, color: bool, style: str = "bold") -> str:
    """A heading on a terminal: wrapped at words to its width, in bold (or `style`) when in colour."""
    lines = wrapped(text, width)
    return "".join(paint(line, style) + "\n" for line in lines.splitlines()) if color else lines


def terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def use_color() -> bool:
    """Colour on a terminal, unless NO_COLOR is set or the terminal is dumb (TERM=dumb or
    unknown, by rich's rule: no escape codes at all)."""
    env = os.environ
    return env.get("NO_COLOR", "") == "" and env.get("TERM", "").lower() not in ("dumb", "unknown")


def markdown_table(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> str:
    cells = [[cell(row.get(c.key)) for c in columns] for row in rows]
    return "".join(_markdown_table(columns, list(zip(*cells)) if cells else [()] * len(columns)))


def _markdown_table(columns: Sequence[Column], by_column: Sequence[Sequence[str]]) -> Iterator[str]:
    yield ("| " + " | ".join(c.header for c in columns) + " |\n"
           + "| " + " | ".join("---:" if c.right else "---" for c in columns) + " |\n")
    pattern = "| " + " | ".join(["%s"] * len(columns)) + " |"
    yield from _chunks(map(pattern.__mod__, zip(*map(markdown_escaped, by_column))))


def markdown_escaped(cells: Sequence[str]) -> Sequence[str]:
    """A column's cells with \\ and | escaped, < and > so that no cell can carry HTML into a
    page, and [ and ] so that none can make a link or an image ([text](address), ![alt](src),
    [text][ref]: its words would hide where it leads; track's own links are made by md_link):
    the whole column in a few string operations when no cell holds a newline (cells are one
    line), else cell by cell."""
    text = "\n".join(cells)
    if "|" not in text and "\\" not in text and "<" not in text and ">" not in text and "[" not in text and "]" not in text:
        return cells
    if text.count("\n") == len(cells) - 1:
        return _md_cell(text).split("\n")
    return [_md_cell(v) for v in cells]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<").replace(">", "\\>").replace("[", "\\[").replace("]", "\\]")


def table(columns: Sequence[Column], rows: Sequence[dict[str, Any]], fmt: str, *, fields: Sequence[str] | None = None,
          title: str | None = None, styles: Sequence[str | None] | None = None, out: TextIO | None = None) -> None:
    """Rows in any format: json and csv carry every field in `fields` (all keys when None)."""
    if fmt == "json":
        write_json(({k: r.get(k) for k in fields} for r in rows) if fields else rows, out)
    elif fmt == "csv":
        write(csv_text(rows, fields or (list(rows[0]) if rows else [c.key for c in columns])), out)
    elif fmt == "markdown":
        write((f"**{escape(title)}**\n\n" if title else "") + markdown_table(columns, rows), out)
    elif fmt == "table":
        head = paint(escape(title), "bold") + "\n\n" if title and use_color() else (f"{escape(title)}\n\n" if title else "")
        write(head + plain_table(columns, rows, width=terminal_width(), color=use_color(), styles=styles), out)
    else:
        write((f"{escape(title)}\n\n" if title else "") + plain_table(columns, rows), out)


def padded_table(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    """formats.plain_table, with the last real column aligned as it asks (plain_table leaves its
    last column unpadded, for free text): an empty last column takes that place."""
    return plain_table([*columns, Column("", "")], rows)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d+[.)])", re.MULTILINE)


def md(text: str) -> str:
    """Text for markdown: each character markdown or HTML would read as syntax escaped with a
    backslash (\\ ` * _ [ ] < > | ~), and a line that would start a heading, a quote or a list
    item escaped at its start, so that what a person wrote can add no heading, field or tag."""
    text = _MD_SPECIAL.sub(r"\\\1", escape(text))
    return _MD_LINE_START.sub(_md_line_start, text) if "\n" in text or text[:1] in "#>+=-0123456789 \t" else text


def md_link(text: str, address: str) -> str:
    """A markdown link [text](address): the text as `md` escapes it, the address with what would
    end it or a table's cell (spaces, brackets, |, \\, anything not ASCII) %-escaped."""
    from urllib.parse import quote

    return f"[{md(text)}]({quote(address, safe=_URL_SAFE)})"


_URL_SAFE = "/:?#[]@!$&*+,;=%~"  # kept as they are in a link's address (letters, digits, - . _ too)


def _md_line_start(match: re.Match[str]) -> str:
    """`# x` -> `\\# x`; `1. x` -> `1\\. x` (markdown escapes the list number's dot)."""
    indent, mark = match.groups()
    return indent + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)
