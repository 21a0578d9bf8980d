"""What `track history` shows, in every format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from html import escape as html_escape
from itertools import compress
from json.encoder import encode_basestring as _quote  # as json.dumps(ensure_ascii=False) quotes a string
from operator import itemgetter, not_

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from track.domain.history import ACTION_ROWS, ISSUED, PUBLISHED, History
from track.domain.record import Memo
from track.views import formats
from track.views.formats import Column, cell, escape, one_line
from track.views.html import WEB, esc, page, scroll_box, web_link

# --------------------------------------------------------------------------- history

HISTORY_FIELDS = ["id", "report", "date", "event", "status", "basis", "response", "due", "reason", "owner", "superseded_by",
                  "duplicate_of", "related", "amended", "note", "source", "evidence", "recorded", "recorded_by",
                  "status_after", "old_status", "old_due", "old_owner", "source_url"]


HISTORY_COLUMNS = [
    Column("date", "DATE"),
    Column("id", "ID", stack=3, above=True),
    Column("changes", "CHANGES", stack=2, above=True),
    Column("source", "SOURCE", stack=1),
    Column("note", "NOTE", wide=True),
]


def packed_event_fields(t: tuple) -> dict[str, Any]:
    """query.event_fields of an event as progress.packed_event packs it."""
    from track.domain.model import unpacked_amendment

    out: dict[str, Any] = {"date": date.fromordinal(t[0])}
    if t[1] in ENTRIES:  # a report published, a recommendation issued: no event's status
        out["event"] = t[1]
        t = (t[0], None, *t[2:])
    for key, at in _CHANGES:
        if t[at] is not None:
            out[key] = date.fromordinal(t[at]) if key == "due" else t[at]
    if t[8]:
        out["related"] = list(t[8])
    if t[1] is not None:
        out["basis"] = t[12]
    if t[4] is not None:
        out["reason"] = t[4]
    if t[13] or t[14]:
        old, new = unpacked_amendment(t[13]), unpacked_amendment(t[14])
        from track.domain.query import amended_values

        out["amended"] = amended_values(old, new)  # the ledger's own fields each by its name
    out["note"] = t[9]
    out["source"] = t[10]
    out["evidence"] = list(t[11])
    out["recorded"] = None if t[15] is None else date.fromordinal(t[15])
    out["recorded_by"] = t[16]
    return out


ENTRIES = (ISSUED, PUBLISHED, *ACTION_ROWS)
_CHANGES = (("status", 1), ("response", 2), ("due", 3), ("owner", 5), ("superseded_by", 6), ("duplicate_of", 7))


def source_pieces(source: str | None, url: str | None, evidence: Any) -> list[tuple[str, str | None]]:
    """What history's SOURCE cell says, as (text, address) pieces: the source (an address
    itself on a report's publication row), then the url of the report it names, then each
    evidence link; the address is where a piece links to (an http(s) one: see html.WEB), ""
    for the words between pieces, None for text that links nowhere."""
    pieces: list[tuple[str, str | None]] = []
    if source:
        pieces.append((source, _address(source)))
    if url:
        pieces += [(" (", ""), (url, _address(url)), (")", "")]
    links = [e for e in evidence if e]
    for i, link in enumerate(links):
        pieces += [("; " if pieces else "", "") if i == 0 else (", ", ""), *([("evidence: ", "")] if i == 0 else []),
                   (link, _address(link))]
    return [p for p in pieces if p[0]]


def _address(text: str) -> str | None:
    return text.strip() if WEB.match(text.strip()) else None


def source_text(source: str | None, url: str | None, evidence: Any) -> str:
    """The SOURCE cell in words (before `cell` makes it one line): "q1 (https://...); evidence: a, b"."""
    return "".join(text for text, _ in source_pieces(source, url, evidence))


def source_markdown(source: str | None, url: str | None, evidence: Any) -> str:
    """The SOURCE cell of a markdown table: each address a link (formats.md_link), the other
    text escaped as the table's other cells are."""
    out = []
    for text, address in source_pieces(source, url, evidence):
        if address == "":
            out.append(text)
        elif address is None:
            out.append(formats.markdown_escaped([cell(text)])[0])
        else:
            out.append(formats.md_link(cell(text), address))
    return "".join(out)


def source_html(source: str | None, url: str | None, evidence: Any) -> str:
    """The SOURCE cell of the HTML page: each http(s) address a link (html.web_link), all escaped."""
    return "".join(text if address == "" else (esc(cell(text)) if address is None else web_link(address, cell(text)))
                   for text, address in source_pieces(source, url, evidence))


def before_fields(was: tuple | None) -> dict[str, Any]:
    """The old values (`old_status`, `old_due`, `old_owner`) of a History.before."""
    found = dict(was or ())
    return {f"old_{key}": found.get(key) for key in ("status", "due", "owner")}


def _history_heading(h: History) -> str:
    what = {"recommendation": f"History of {h.target}", "report": f"History of {h.target} and the reports that follow it",
            "ledger": "History of the whole ledger"}[h.kind]
    span = f"from {h.since} to {h.until}" if h.since else f"up to {h.until}"
    return f"{what}, {span}; ledger {one_line(h.ledger_name)} ({one_line(h.ledger_root)})"


_A_CHUNK = 4096  # rows written at a time: the text of a few hundred thousand is costly to hold whole


def history_view(h: History, fmt: str, out: TextIO | None = None) -> None:
    """`track history` in every format. The documented JSON is one object per event holding
    id and report, the fields that event changed (status, response, due, owner,
    superseded_by, duplicate_of, related), reason when the due date changed, and always note,
    source, evidence and status_after; source_url (the url of the report the source names)
    after source where it has one, and before ({field: old value}, as show's JSON has it) when
    the event changed the status, due date or owner from another value; the CSV has those as
    old_status, old_due, old_owner and source_url. Every format is what formats writes of those
    dictionaries (tests/test_fast_history.py), but made a column at a time from the packed
    events, in the order they were read, with each repeated value (date, id, changes, source)
    worked out once; a row is then the pieces of its columns, joined in date order a few
    thousand rows at a time (see _ordered_rows)."""
    if fmt == "json":
        _history_json(h, out)
        return
    if fmt == "csv":
        _history_csv(h, out)
        return
    heading = _history_heading(h)
    count = len(h.events)
    if fmt == "html":
        _history_html(h, heading, out)
        return
    if not count:
        empty = f"No events {('from ' + str(h.since) + ' to ' + str(h.until)) if h.since else 'up to ' + str(h.until)}."
        if fmt == "markdown":
            formats.write(f"**{escape(heading)}**\n\n{empty}\n", out)
        elif fmt == "table":
            formats.write(f"{formats.paint(escape(heading), 'bold') if formats.use_color() else escape(heading)}\n\n{empty}\n", out)
        else:
            formats.write(f"{heading}\n\n{empty}\n", out)
        return
    if fmt == "markdown":  # the cells as formats.markdown_table makes them, each row "| a | b | ... |"
        formats.write(f"**{escape(heading)}**\n\n| " + " | ".join(c.header for c in HISTORY_COLUMNS) + " |\n| "
                     + " | ".join("---:" if c.right else "---" for c in HISTORY_COLUMNS) + " |\n", out)
        pieces = _glued(h, _history_cells(h, cell, formats.markdown_escaped, linked=source_markdown),
                        ["| ", " | ", " | ", " | ", " | "], " |\n")
        for text in _ordered_rows(pieces, h, formats.markdown_escaped):
            formats.write(text, out)
    else:
        _history_table(h, heading, fmt, out)


def _history_table(h: History, heading: str, fmt: str, out: TextIO | None) -> None:
    """The plain table of the rows, or on a terminal (`fmt` table) the one rich draws."""
    if fmt == "table":
        _history_terminal(h, heading, out)
        return
    formats.write(f"{escape(heading)}\n\n", out)
    untidy: list[range] = []
    distinct: list[set[str]] = []
    dates, ids, changes, sources, notes = _history_cells(h, formats.fast_cell, untidy=untidy, distinct=distinct)
    widths = [max(len(c.header), max(map(len, values))) for c, values in
              zip(HISTORY_COLUMNS, (distinct[0], list(map(ids.__getitem__, set(h.whose))), distinct[1], distinct[2], notes))]
    head, fields = formats.table_layout(HISTORY_COLUMNS, widths)
    formats.write(head, out)
    # formats.write_cells' plain table: each cell but the last padded to its column's width,
    # once for each distinct value; a row whose note is empty or ends in a space is made
    # here, stripped whole (as plain_table strips every row)
    pieces = [_repeated(dates, lambda v: fields[0] % v + "  "),
              list(map([fields[1] % v + "  " for v in ids].__getitem__, h.whose)),
              _repeated(changes, lambda v: fields[2] % v + "  "), _repeated(sources, lambda v: fields[3] % v + "  "), notes]
    for i in _ending_in_space(notes, untidy):
        pieces[0][i] = "".join([p[i] for p in pieces]).rstrip()
        for p in pieces[1:]:
            p[i] = ""
    pieces.append("\n")
    for text in _ordered_rows(pieces, h):
        formats.write(text, out)


def _history_terminal(h: History, heading: str, out: TextIO | None) -> None:
    """The history on a terminal: the heading wrapped, and the table rich draws, each row's
    date and changes in the colour of the status it sets."""
    color = formats.use_color()
    width = formats.terminal_width()
    formats.write(formats.heading(escape(heading), width, color) + "\n", out)
    dates, ids, changes, sources, notes = _history_cells(h, formats.fast_cell)
    order = h.order
    by_column = [[column[i] for i in order] for column in (dates, list(map(ids.__getitem__, h.whose)), changes, sources, notes)]
    styles = [formats.STATUS_STYLE.get(_STATUS(h.events[i])) for i in order] if color else None
    for text in formats.terminal_table(HISTORY_COLUMNS, by_column, width, color, styles, marked={"date", "changes"}):
        formats.write(text, out)


def _ending_in_space(cells: list[str], blocks: list[range]) -> set[int]:
    """Where a cell is empty or ends in white space, looked for only in these blocks of them:
    the ones formats.tidy_cells did not find all tidy."""
    found: set[int] = set()
    for rows in blocks:
        block = cells[rows.start:rows.stop]
        found.update(compress(rows, map(str.isspace, map(_LAST, block))), compress(rows, map(not_, block)))
    return found


def _glued(h: History, cells: list[list[str]], before: list[str], end: str) -> list[Any]:
    """The pieces of rows written before[0], cell, before[1], cell, ... before[4], note, `end`,
    from _history_cells' cells: each distinct cell but the notes glued once."""
    dates, ids, changes, sources, notes = cells
    return [_repeated(dates, before[0].__add__), list(map([before[1] + v for v in ids].__getitem__, h.whose)),
            _repeated(changes, before[2].__add__), _repeated(sources, lambda v: before[3] + v + before[4]), notes, end]


def _ordered_rows(pieces: list[Any], h: History, finish: Any = None, at: int = 4) -> Iterator[str]:
    """The rows of these pieces (each a list in the events' order as read, or one text for
    every row), joined in date order (h.order), a few thousand rows at a time; `finish`, when
    given, is applied to the notes (pieces[at]) a chunk at a time (escaped for the format: a
    whole column of escaped notes would be costly to hold)."""
    order = h.order
    template = [p if p.__class__ is str else "" for p in pieces]  # a row's texts, with its cells to fill in
    columns = [(i, p) for i, p in enumerate(pieces) if p.__class__ is list]
    for first in range(0, len(order), _A_CHUNK):
        chunk = order[first:first + _A_CHUNK]
        take = itemgetter(*chunk) if len(chunk) > 1 else lambda p, i=chunk[0]: (p[i],)
        yield formats.laid_out(template, [(i, finish(list(take(p))) if i == at and finish is not None else take(p))
                                         for i, p in columns], len(chunk))


def _history_cells(h: History, made: Any, finish: Any = None, untidy: list[range] | None = None,
                   distinct: list[set[str]] | None = None, linked: Any = None) -> list[list[str]]:
    """DATE, CHANGES, SOURCE and NOTE, each a column of cells in the events' order as read,
    and ID a cell for each of h.ids (the column is h.whose's): `made` makes a value's cell (a
    note's after formats.one_line), then `finish`, when given, escapes a list of them for the
    format (see _escaped): all but the notes, which are escaped a chunk at a time as they are
    written. Dates, changes and sources repeat and are made once each; ids and notes seldom
    do, and a tidy one is taken as it is (formats.tidy_cells). The distinct cells of dates,
    changes and sources are added to `distinct`, when given. A source's cell is `linked` of its
    source, url and evidence when given (a format's links, already escaped), else `made` of
    source_text."""
    events = h.events

    def one(value: Any) -> str:
        return finish([made(value)])[0] if finish else made(value)

    dates = Memo(lambda day: one(date.fromordinal(day)))
    changes = Memo(lambda key: one(_changes(key)))
    urls = h.source_urls

    def source(key: tuple) -> str:
        said, evidence = key
        url = urls.get(said) if said else None
        return linked(said, url, evidence) if linked else one(source_text(said, url, evidence))

    sources = Memo(source)
    ids = formats.tidy_cells(h.ids, made)
    cells = [  # each column in one pass of C (map and itemgetter), with nothing in Python a row
        list(map(dates.__getitem__, map(_DATE, events))),
        finish(ids) if finish else ids,
        list(map(changes.__getitem__, zip(map(_CHANGED, events), h.status_after, h.before))),
        list(map(sources.__getitem__, map(_SOURCE_EVIDENCE, events))),
        formats.tidy_cells(list(map(_NOTE, events)), lambda note: made(one_line(note)), untidy),
    ]
    if distinct is not None:
        distinct += [set(dates.values()), set(changes.values()), set(sources.values())]
    return cells


_DATE, _STATUS, _CHANGED, _NOTE, _SOURCE, _EVIDENCE = (itemgetter(0), itemgetter(1), itemgetter(1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14),
                                                       itemgetter(9), itemgetter(10), itemgetter(11))
_RECORDED = itemgetter(15, 16)
_SOURCE_EVIDENCE = itemgetter(10, 11)


_LAST = itemgetter(slice(-1, None))


def _changes(key: tuple) -> str:
    """views.change_cell of an event's row (its changes, old -> new, and reason, then the status
    after it; or what it amended), or "note" when it changes nothing."""
    from track.views.records import change_cell

    changed, after, was = key
    fields = packed_event_fields((1, *changed[:8], None, None, (), *changed[8:], None, None))
    return change_cell({**fields, **({"before": dict(was)} if was else {}), "status_after": after}) or "note"


def _escaped(cells: list[str], escape_text: Any) -> list[str]:
    """Each cell escaped by `escape_text`, all of them as one text: an escape that keeps
    newlines as they are, of cells that hold none, gives the same lines as escaping each cell.
    When nothing needs escaping, the cells themselves (no copy of each)."""
    text = "\n".join(cells)
    escaped = escape_text(text)
    if escaped == text:
        return cells
    if text.count("\n") == len(cells) - 1:
        return escaped.split("\n")
    return list(map(escape_text, cells))


def _html_escaped(cells: list[str]) -> list[str]:
    return _escaped(cells, html_escape)


def _json_list(items: tuple, nl: str) -> str:
    """A list of strings as formats.to_json writes it where `nl` is its indent."""
    if not items:
        return "[]"
    inner = nl + "  "
    return "[" + inner + ("," + inner).join(map(_quote, items)) + nl + "]"


def _json_changes(key: tuple) -> str:
    """The lines of an event's JSON from status to amended (those it has), each after a comma."""
    status, response, due, reason, owner, superseded_by, duplicate_of, related, basis, old, new = key
    out = []
    if status in ENTRIES:
        out.append(',\n    "event": ' + _quote(status))
        status = None
    for name, value in (("status", status), ("response", response), ("due", due), ("owner", owner),
                        ("superseded_by", superseded_by), ("duplicate_of", duplicate_of)):
        if value is not None:
            out.append(f',\n    "{name}": ' + (f'"{date.fromordinal(value).isoformat()}"' if name == "due" else _quote(value)))
    if related:
        out.append(',\n    "related": ' + _json_list(related, "\n    "))
    if status is not None:
        out.append(',\n    "basis": ' + ("null" if basis is None else _quote(basis)))
    if reason is not None:
        out.append(',\n    "reason": ' + _quote(reason))
    if old or new:
        amended = packed_event_fields((1, None, None, None, None, None, None, None, (), None, None, (), None, old, new,
                                       None, None))["amended"]
        out.append(',\n    "amended": ' + formats.to_json(amended).rstrip("\n").replace("\n", "\n    "))
    return "".join(out)


def _json_recorded(key: tuple) -> str:
    when, who = key
    return (',\n    "recorded": ' + ("null" if when is None else f'"{date.fromordinal(when).isoformat()}"')
            + ',\n    "recorded_by": ' + ("null" if who is None else _quote(who)))


def _json_before(was: tuple | None) -> str:
    """An event's "before" (see History.before), when it has one, then the key of status_after."""
    if not was:
        return ',\n    "status_after": '
    return (',\n    "before": ' + formats.to_json(dict(was)).rstrip("\n").replace("\n", "\n    ")
            + ',\n    "status_after": ')


def _history_json(h: History, out: TextIO | None) -> None:
    """formats.to_json of history's dictionaries (see history_view): each event's object is the
    pieces of its columns (see _ordered_rows), each repeated one (date, changes, source,
    evidence, status after) made once with the keys around it."""
    events = h.events
    if not events:
        formats.write("[]\n", out)
        return
    quote = _quote
    urls = h.source_urls
    small = Memo(lambda v: "null" if v is None else quote(v))  # sources and statuses repeat
    pieces = [
        list(map([f',\n  {{\n    "id": {quote(i)},\n    "report": {quote(r)},\n    "date": ' for i, r in zip(h.ids, h.report_ids)]
                 .__getitem__, h.whose)),
        _repeated(map(_DATE, events), lambda day: f'"{date.fromordinal(day).isoformat()}"'),
        _repeated(map(_CHANGED, events), lambda key: _json_changes(key) + ',\n    "note": '),
        list(map(_NOTE, events)),
        _repeated(map(_SOURCE, events), lambda v: f',\n    "source": {small[v]}'
                  + (f',\n    "source_url": {quote(urls[v])}' if v in urls else "") + ',\n    "evidence": '),
        _repeated(map(_EVIDENCE, events), lambda v: _json_list(v, "\n    ")),
        _repeated(map(_RECORDED, events), _json_recorded),
        _repeated(h.before, _json_before),
        _repeated(h.status_after, lambda v: small[v] + "\n  }"),
    ]
    first = True
    for text in _ordered_rows(pieces, h, formats.json_strings, at=3):
        formats.write(formats.json_safe("[\n  " + text[4:] if first else text), out)  # the first without ",\n  "
        first = False
    formats.write("\n]\n", out)


def _repeated(values: Any, made: Any) -> list[str]:
    """`made` of each value, worked out once for each distinct one (they repeat)."""
    return list(map(Memo(made).__getitem__, values))


def _csv_cell(value: Any) -> str:
    return formats.csv_field(formats.csv_value(value))


def _csv_id(text: str) -> str:
    """_csv_cell(text) of an id (letters, digits and . _ - as a rule: nothing to change)."""
    return text if text.isprintable() and "," not in text and '"' not in text else _csv_cell(text)


def _history_csv(h: History, out: TextIO | None) -> None:
    """formats.csv_text of history's dictionaries (see history_view) and HISTORY_FIELDS, each line made here of the
    pieces of its columns (see _ordered_rows: the csv module takes seconds for a few hundred thousand)."""
    formats.write(",".join(map(formats.csv_field, HISTORY_FIELDS)) + "\n", out)
    events = h.events
    if not events:
        return
    dates = Memo(lambda day: date.fromordinal(day).isoformat())
    small = Memo(_csv_cell)  # sources, statuses and the like repeat

    def changes(key: tuple) -> str:
        status, response, due, reason, owner, superseded_by, duplicate_of, related, basis, old, new = key
        event = status if status in ENTRIES else None
        status = None if event else status
        amended = ""
        if old or new:
            from track.views.records import amended_cell

            amended = _csv_cell(amended_cell(packed_event_fields((1, None, None, None, None, None, None, None, (), None,
                                                                  None, (), None, old, new, None, None))["amended"]))
        return ",".join([small[event], small[status], small[basis if status is not None else None], small[response],
                         "" if due is None else dates[due], small[reason], small[owner], small[superseded_by],
                         small[duplicate_of], small[related], amended, ""])

    def recorded(key: tuple) -> str:
        when, who = key
        return ("" if when is None else dates[when]) + "," + small[who] + ","

    pieces = [
        list(map([f"{_csv_id(i)},{_csv_id(r)}," for i, r in zip(h.ids, h.report_ids)].__getitem__, h.whose)),
        _repeated(map(_DATE, events), lambda day: dates[day] + ","),
        _repeated(map(_CHANGED, events), changes),
        list(map(_NOTE, events)),
        _repeated(map(_SOURCE, events), lambda v: f",{small[v]},"),
        _repeated(map(_EVIDENCE, events), lambda v: small[v] + ","),
        _repeated(map(_RECORDED, events), recorded),
        _repeated(h.status_after, lambda v: small[v] + ","),
        _repeated(h.before, lambda was: ",".join(map(_csv_cell, before_fields(was).values())) + ","),
        _repeated(map(_SOURCE, events), lambda v: small[h.source_urls.get(v) if v else None] + "\n"),
    ]
    for text in _ordered_rows(pieces, h, formats.csv_fields, at=3):
        formats.write(text, out)


def _history_html(h: History, heading: str, out: TextIO | None) -> None:
    """The page page makes of the heading and html_table(HISTORY_COLUMNS, rows), its rows
    written a few thousand at a time."""
    count = len(h.events)
    title = heading.split(";")[0]
    body = [f"<h1>{esc(title)}</h1>", f'<p class="meta">{esc(heading)}</p>', f"<p>{count} event{'s' if count != 1 else ''}.</p>"]
    if not count:
        formats.write(page(title, body), out)
        return
    table = "\x00table\x00"  # esc escapes a NUL anywhere else: only this one is raw
    before, after = page(title, [*body, table]).split(table)
    head = "".join(f'<th class="n">{esc(c.header)}</th>' if c.right else f"<th>{esc(c.header)}</th>" for c in HISTORY_COLUMNS)
    box_start, box_end = scroll_box("history", table).split(table)  # html_table's box, as the reference draws it
    formats.write(before + box_start + f'<table id="history"><thead><tr>{head}</tr></thead><tbody>\n', out)
    cells = _history_cells(h, lambda v: escape(cell(v)), _html_escaped, linked=source_html)  # esc(cell(v)), made in two steps
    tds = [f'<td data-col="{esc(c.key)}">' for c in HISTORY_COLUMNS]
    pieces = _glued(h, cells, ["<tr>" + tds[0], *("</td>" + td for td in tds[1:])], "</td></tr>\n")
    for text in _ordered_rows(pieces, h, _html_escaped):
        formats.write(text, out)
    formats.write("</tbody></table>" + box_end + after, out)
