"""The fast ways big outputs are made (remind's compact hits and hand-written JSON, tables
built a column at a time and written in chunks, short()) give exactly what the
straightforward definitions give: those definitions are written out here as references."""

from __future__ import annotations

import io
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from track import Ledger
from track.domain.dates import Duration
from track.domain.model import Event, Followup, Recommendation, Report, state_at
from track.domain.query import natural
from track.store import disk, reportfile
from track.views import formats, remind
from track.views.formats import STATUS_STYLE, Column, one_line, paint

AWKWARD = [" ", "  ", "a", "b", "\n", "\t", "\x1b", "\x9b", "\x7f", "\u00a0", "\u200b", "é", "\u3000", "|", "\\", '"',
           "\r", "x" * 12, "…"]


# --------------------------------------------------------------------------- short


def short_reference(text: str, width: int = remind.TEXT_WIDTH) -> str:
    line = one_line(text)
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


@settings(max_examples=3000, deadline=None)
@given(text=st.lists(st.sampled_from(AWKWARD), max_size=40).map("".join), width=st.sampled_from([60, 60, 3, 4, 10, 61]))
def test_short_is_the_one_line_cut(text: str, width: int) -> None:
    assert remind.short(text, width) == short_reference(text, width)


def test_short_of_long_tidy_texts() -> None:
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(rng.choice(["word", " ", "  ", "x", "\t", "é"]) for _ in range(rng.randint(10, 60)))
        assert remind.short(text) == short_reference(text)


@settings(max_examples=2000, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "\x7e", "\x7f", "\x80", "\x9b", "\x9f", "\xa0", "é", "—", "\n"]), max_size=12).map("".join))
def test_json_safe_escapes_del_and_c1(text: str) -> None:
    assert formats.json_safe(text) == "".join(f"\\u{ord(c):04x}" if "\x7f" <= c <= "\x9f" else c for c in text)


@settings(max_examples=3000, deadline=None)
@given(text=st.lists(st.sampled_from(AWKWARD + ["\x00", "\x1f", "~", "\x80"]), max_size=16).map("".join))
def test_cell_text_keeps_tidy_text_and_tidies_the_rest(text: str) -> None:
    tidy = text.isprintable() and "  " not in text
    assert formats.cell_text(text) == (text if tidy else formats.fast_cell(text))


def json_reference(data: Any) -> str:
    import json

    return formats.json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=formats._json_default) + "\n")


class Name(str):
    pass


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.lists(st.sampled_from(AWKWARD + ["\x00", "\x85", "\u2028", "'"]), max_size=6).map("".join)
           | st.dates() | st.datetimes() | st.builds(Name, st.text(max_size=3)))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=4)
                      | st.dictionaries(st.integers(0, 3) | st.text(max_size=2), inner, max_size=3), max_leaves=25)


@settings(max_examples=3000, deadline=None)
@given(data=VALUES)
def test_json_is_what_json_dumps_writes(data: Any) -> None:
    expected = json_reference(data)
    assert formats.to_json(data) == expected
    if isinstance(data, (list, tuple)):
        out = io.StringIO()
        formats.write_json(iter(data), out)
        assert out.getvalue() == json_reference(list(data))


def test_json_of_long_lists_in_pieces() -> None:
    rows = [{"id": f"r/{i}", "n": i, "day": date(2020, 1, 1) + timedelta(days=i), "tags": ["a", "b"][: i % 3], "x": None}
            for i in range(1000)]
    out = io.StringIO()
    formats.write_json((dict(r) for r in rows), out)
    assert out.getvalue() == formats.to_json(rows) == json_reference(rows)


# --------------------------------------------------------------------------- tables


def table_reference(columns: list[Column], cells: list[list[str]], width: int | None, color: bool,
                    styles: list[str | None] | None) -> str:
    """plain_table as it was written cell by cell; on a terminal (`width` given), the table as
    rich draws it at the layout views.tables chooses."""
    if width is not None:
        return terminal_reference(columns, cells, width, color, styles)
    keys = [c.key for c in columns]
    widths = [len(c.header) for c in columns]
    for values in cells:
        for i, v in enumerate(values):
            widths[i] = max(widths[i], len(v))
    last = len(columns) - 1
    if width is not None:
        fixed = sum(widths[:last]) + 2 * last
        widths[last] = max(10, min(widths[last], width - fixed))

    def line(values: list[str], style: str | None, header: bool = False) -> str:
        parts = []
        for i, v in enumerate(values):
            if i == last and not columns[i].right:
                if width is not None and len(v) > widths[i]:
                    v = v[: widths[i] - 1] + "…"
                parts.append(v)
            elif columns[i].right:
                parts.append(v.rjust(widths[i]))
            else:
                padded = v.ljust(widths[i])
                if color and not header and keys[i] == "status" and not style:
                    padded = paint(v, STATUS_STYLE.get(v)) + " " * (widths[i] - len(v))
                parts.append(padded)
        text = "  ".join(parts).rstrip()
        return paint(text, style) if color else text

    out = [line([c.header for c in columns], "bold" if width is not None else None, header=True)]
    if width is not None:
        out.append("─" * min(width, sum(widths) + 2 * last))
    for index, values in enumerate(cells):
        out.append(line(values, styles[index] if styles else None))
    return "\n".join(out) + "\n"


def terminal_reference(columns: list[Column], cells: list[list[str]], width: int, color: bool,
                       styles: list[str | None] | None) -> str:
    from track.views import tables

    by_column = [[row[i] for row in cells] for i in range(len(columns))]
    lay, shown, laid = tables.arranged(columns, by_column, width)
    cell_styles = [STATUS_STYLE if color and c.key == "status" else None for c in shown]
    known = [s if s != "nonsense" else None for s in styles] if styles and color else None  # rich knows no "nonsense"
    if known:  # a row's style colours the text of these columns alone
        cell_styles = [tables._marked(style, laid[i], known) if c.key in formats.ROW_MARKED else style
                       for i, (c, style) in enumerate(zip(shown, cell_styles))]
    text = tables.rich_lines(shown, laid, lay.widths, width, color, cell_styles, None)
    if lay.dropped:
        text += formats.wrapped(f"Left out at {width} columns: {', '.join(columns[i].header for i in lay.dropped)}"
                                " (a wider terminal or --format plain shows them).", width)
    return text


CELL = st.lists(st.sampled_from(["", " ", "a", "bc", "déf", "in-progress", "implemented", "x" * 30, "%s", "%", "{}", "…"]),
                max_size=4).map("".join)


@st.composite
def tables(draw: Any) -> tuple[list[Column], list[list[str]], list[str | None]]:
    n = draw(st.integers(1, 5))
    columns = [Column(draw(st.sampled_from(["id", "status", "owner", "text"])), draw(st.sampled_from(["ID", "STATUS", "A LONG HEADER", "%d"])),
                      right=draw(st.booleans())) for _ in range(n)]
    cells = draw(st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=12))
    styles = [draw(st.sampled_from([None, "red", "dim", "bold yellow", "nonsense"])) for _ in cells]
    return columns, cells, styles


@contextmanager
def chunks_of(rows: int, **env: str) -> Iterator[None]:
    """Tables written `rows` rows a chunk, with these environment variables."""
    saved = formats._ROWS_A_CHUNK, {k: os.environ.get(k) for k in env}
    formats._ROWS_A_CHUNK = rows
    os.environ.update(env)
    try:
        yield
    finally:
        formats._ROWS_A_CHUNK = saved[0]
        for k, v in saved[1].items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@settings(max_examples=1500, deadline=None)
@given(table=tables(), width=st.sampled_from([None, 20, 40, 200]), color=st.booleans(), styled=st.booleans(),
       chunk=st.sampled_from([2, 3, 4096]))
def test_tables_are_laid_out_as_cell_by_cell(table: Any, width: int | None, color: bool, styled: bool, chunk: int) -> None:
    columns, cells, styles = table
    expected = table_reference(columns, cells, width, color, styles if styled else None)
    with chunks_of(chunk):
        assert formats.plain_table(columns, [], width=width, color=color, styles=styles if styled else None, cells=cells) == expected
        if width is None and not color:
            out = io.StringIO()
            by_column = [[row[i] for row in cells] for i in range(len(columns))]
            formats.write_cells(columns, by_column, "plain", styles=styles if styled else None, out=out)
            assert out.getvalue() == expected


@settings(max_examples=500, deadline=None)
@given(table=tables(), width=st.sampled_from([20, 200]), no_color=st.booleans(), chunk=st.sampled_from([2, 4096]))
def test_terminal_tables_written_in_chunks(table: Any, width: int, no_color: bool, chunk: int) -> None:
    columns, cells, styles = table
    expected = table_reference(columns, cells, width, not no_color, styles)
    out = io.StringIO()
    with chunks_of(chunk, COLUMNS=str(width), NO_COLOR="1" if no_color else ""):
        formats.write_cells(columns, [[row[i] for row in cells] for i in range(len(columns))], "table", styles=styles, out=out)
    assert out.getvalue() == expected


def markdown_reference(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    def md(value: str) -> str:  # and < > [ ] too: no cell makes a tag, a link or an image
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<").replace(">", "\\>").replace(
            "[", "\\[").replace("]", "\\]")

    lines = ["| " + " | ".join(c.header for c in columns) + " |",
             "| " + " | ".join("---:" if c.right else "---" for c in columns) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(md(formats.cell(row.get(c.key))) for c in columns) + " |")
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None)
@given(table=tables(), chunk=st.sampled_from([2, 4096]))
def test_markdown_tables(table: Any, chunk: int) -> None:
    columns, cells, _styles = table
    columns = [Column(f"k{i}", c.header, right=c.right) for i, c in enumerate(columns)]
    rows = [{c.key: v.replace("a", "a|\\") for c, v in zip(columns, row)} for row in cells]
    expected = markdown_reference(columns, rows)
    out = io.StringIO()
    with chunks_of(chunk):
        assert formats.markdown_table(columns, rows) == expected
        formats.write_cells(columns, [[formats.cell(r[c.key]) for r in rows] for c in columns], "markdown", out=out)
    assert out.getvalue() == expected


@settings(max_examples=1000, deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(["a", "|", "\\", "\n", " ", ""]), max_size=5).map("".join), max_size=6))
def test_markdown_column_escaping(cells: list[str]) -> None:
    assert list(formats.markdown_escaped(cells)) == [v.replace("\\", "\\\\").replace("|", "\\|") for v in cells]


# --------------------------------------------------------------------------- remind


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reports written straight to their files (as a hand edit could): control characters,
    quotes, backslashes, C1 and wide characters, missing owners and due dates, refs that sort
    naturally, reports published the same day, clocks, schedules and revisits, follow-ups."""
    root = tmp_path_factory.mktemp("fast") / "ledger"
    Ledger.init(root, name='awkward "ledger" \\ two')
    rng = random.Random(11)
    rng2 = random.Random(12)  # the fields list shows and remind does not: apart, so the rest stays as it was
    texts = ["Short.", "A  text  with   runs of spaces\nand\tbreaks", "Escape \x1b[2J and \x9b inside " * 3, "x" * 59, "y" * 60,
             "z" * 61, "w" * 62, "word " * 30, " leading", "trailing ", "ünïcödé — dash … " * 5, 'quote " and back\\slash ' * 4,
             "del \x7f char", "nbsp\u00a0and zero\u200bwidth " * 5]
    owners = [None, "DCS", "Owner  with  spaces", "Ctrl\x1bowner", 'quo"te', "ünï", " lead"]
    for n in range(1, 15):
        published = date(2016, 1, 1) + timedelta(days=rng.randint(0, 900))
        if n in (3, 4, 5):
            published = date(2017, 5, 1)
        report = Report(id=f"rep{n}" if n % 3 else f"Rep-{n}.x", title=f"Report {n} \x1b title \x85", by="HMIC", subject="Met",
                        published=published, response_within=Duration(56, "days") if n % 2 else None,
                        followup=Followup(Duration(3, "months"), None, published + timedelta(days=800)) if n % 4 == 1 else None,
                        revisit=(Duration(12, "months") if n % 4 == 2 else (published + timedelta(days=400) if n % 4 == 3 else None)))
        if n in (5, 9, 13):
            report.follows = ["rep1", "rep2"]
            report.kind = "follow-up" if n != 13 else "revisit"
        for i in range(rng.randint(0, 16)):
            ref = rng.choice([f"R{i + 1}", f"AFI{i + 1}", f"r{i + 1}", f"R{i + 1}a", f"R{10 + i}", f"R{i + 1}.{i}"])
            if report.recommendation(ref):
                ref = f"X{i}"
            rec = Recommendation(report=report.id, ref=ref, text=rng.choice(texts), owner=rng.choice(owners),
                                 due=(published + timedelta(days=rng.randint(-10, 900))) if rng.random() < 0.8 else None)
            day = published
            for k in range(rng.choice([0, 0, 1, 2, 3, 4])):
                day += timedelta(days=rng.randint(0, 300))
                event = Event(date=day, note=f"note {k}")
                r = rng.random()
                if k == 0 and r < 0.6:
                    event.response = "accepted"
                elif r < 0.5:
                    event.status = rng.choice(["in-progress", "partially-implemented", "reported-complete", "implemented", "withdrawn"])
                elif r < 0.7:
                    event.due = day + timedelta(days=rng.randint(-30, 200))
                    event.reason = "moved"
                elif r < 0.8:
                    event.owner = rng.choice([o for o in owners if o])
                rec.events.append(event)
            _more_fields(rec, published, rng2)
            report.recommendations.append(rec)
        disk.atomic_write(disk.report_path(root, report.id), reportfile.dumps_report(report))
    return root


AWKWARD_NOTES = [None, "", "plain note", "comma, and \"quotes\"", "line\nbreak", "cr\r\nlf", "tab\there", "esc \x1b[31m",
                 "c1 \x85 \x9b", "del \x7f", "ünï — …", "per%cent %s", "back\\slash", "  spaced  ", "\u2028sep"]
AWKWARD_LISTS = [[], ["a"], ["two words", "x,y"], ['q"uote', "ünï", "semi; colon"], ["\x1b", "line\nbreak"]]


def _more_fields(rec: Recommendation, published: date, rng: random.Random) -> None:
    """Tags, priority, kind, answers, evidence, related, entered, notes of every shape, and
    events that supersede or mark a duplicate."""
    rec.tags = rng.choice(AWKWARD_LISTS)
    rec.evidence = rng.choice(AWKWARD_LISTS)
    rec.related = rng.choice([[], [], ["rep1/R1"], ["rep2/R2", "rep1/R1"]])
    rec.priority = rng.choice([None, "high", "low"])
    rec.kind = rng.choice(["recommendation", "recommendation", "cause-of-concern", "area-for-improvement"])
    rec.answers = rng.choice([None, None, "rep1/R1"])
    rec.entered = rng.choice([None, published, published + timedelta(days=3)])
    for event in rec.events:
        event.note = rng.choice(AWKWARD_NOTES)
    if rec.events and rng.random() < 0.2:
        last = rec.events[-1]
        last.status = rng.choice(["superseded", "withdrawn"])
        if last.status == "superseded":
            last.superseded_by = "rep1/R1"
        else:
            last.duplicate_of = "rep2/R2"


DAYS = [date(2015, 12, 31), date(2016, 6, 30), date(2017, 5, 1), date(2017, 6, 1), date(2018, 3, 1), date(2019, 1, 1),
        date(2026, 11, 25)]
WINDOWS = [(Duration(14, "days"), Duration(90, "days")), (Duration(6, "months"), Duration(2, "years")),
           (Duration(0, "days"), Duration(1, "days"))]


def books(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Ledger]:
    """The ledger read from the index, and read from its files."""
    Ledger(root).reports.values()  # builds the index
    from_index = Ledger(root)
    monkeypatch.setattr(Ledger, "use_cache", False)
    from_files = Ledger(root)
    from_files.reports.values()
    monkeypatch.undo()
    return [from_index, from_files]


def test_remind_json_is_the_json_of_to_dict(awkward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for book in books(awkward, monkeypatch):
        for day in DAYS:
            for within, stale in WINDOWS:
                found = book.reminders(day, within, stale)
                out = io.StringIO()
                remind.show(found, "json", out)
                assert out.getvalue() == formats.to_json(found.to_dict()), (day, within, stale)


def test_remind_sections_are_the_states_sorted_as_documented(awkward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """overdue and due soon by due date, stale by quiet-since, then report (publication, id),
    then id in natural order; each from the recommendation's state as of the day."""
    for book in books(awkward, monkeypatch):
        for day in DAYS:
            for within, stale in WINDOWS:
                found = book.reminders(day, within, stale)
                issued = sorted((r for r in book.reports.values() if r.published <= day), key=lambda r: (r.published, r.id))
                order = {r.id: i for i, r in enumerate(issued)}
                overdue, soon, quiet = [], [], []
                for report in issued:
                    for rec in report.recommendations:
                        s = state_at(rec, day)
                        if s.closed:
                            continue
                        if s.due is not None and s.due < day:
                            overdue.append((rec.id, report.id, rec.text, s.status, s.due, (day - s.due).days, s.owner))
                        elif s.due is not None and s.due <= within.after(day):
                            soon.append((rec.id, report.id, rec.text, s.status, s.due, (s.due - day).days, s.owner))
                        since = s.last_event or report.published
                        if since <= stale.before(day):
                            quiet.append((rec.id, report.id, rec.text, s.status, s.last_event, since, (day - since).days, s.owner))
                overdue.sort(key=lambda d: (d[4], order[d[1]], natural(d[0])))
                soon.sort(key=lambda d: (d[4], order[d[1]], natural(d[0])))
                quiet.sort(key=lambda d: (d[5], order[d[1]], natural(d[0])))
                assert [(d.id, d.report, d.text, d.status, d.due, d.days, d.owner) for d in found.overdue] == overdue
                assert [(d.id, d.report, d.text, d.status, d.due, d.days, d.owner) for d in found.due_soon] == soon
                assert [(s.id, s.report, s.text, s.status, s.last_event, s.since, s.days, s.owner) for s in found.stale] == quiet


def test_remind_text_formats_from_index_and_from_files_agree(awkward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    from_index, from_files = books(awkward, monkeypatch)
    for day in DAYS:
        for fmt in ("plain", "table", "markdown", "json"):
            a, b = io.StringIO(), io.StringIO()
            remind.show(from_index.reminders(day), fmt, a)
            remind.show(from_files.reminders(day), fmt, b)
            assert a.getvalue() == b.getvalue(), (day, fmt)


def remind_text_reference(r: Any, fmt: str) -> str:
    """remind's plain, table and markdown output made the straightforward way: Due and Stale
    objects, a dictionary a row, and render's row-based tables."""
    from track.views.remind import (
        DUE_COLUMNS,
        FOLLOWUP_COLUMNS,
        RESPONSE_COLUMNS,
        SOON_COLUMNS,
        STALE_COLUMNS,
        _plural,
        days,
        heading,
        relative,
    )
    if r.empty:
        return ""
    parts = []
    if r.overdue:
        rows = [{"id": d.id, "due": d.due, "when": days(d.days), "owner": d.owner, "text": short_reference(d.text)} for d in r.overdue]
        parts.append((f"Overdue: {_plural(len(rows), 'open recommendation')} past the due date, oldest first", DUE_COLUMNS, rows,
                      ["red"] * len(rows)))
    if r.due_soon:
        rows = [{"id": d.id, "due": d.due, "when": relative(d.days), "owner": d.owner, "text": short_reference(d.text)}
                for d in r.due_soon]
        parts.append((f"Due soon: {_plural(len(rows), 'open recommendation')} due by {r.due_by} (within {r.within})", SOON_COLUMNS,
                      rows, ["yellow"] * len(rows)))
    if r.responses_due:
        rows = [{"report": x.report, "published": x.published, "clock": str(x.within), "deadline": x.deadline,
                 "when": ("passed " if x.days < 0 else "") + relative(x.days), "awaiting": f"{len(x.awaiting)} of {x.issued}"}
                for x in r.responses_due]
        parts.append((f"Responses due: {_plural(len(rows), 'report')} with recommendations awaiting a response", RESPONSE_COLUMNS,
                      rows, ["red" if x.days < 0 else "yellow" for x in r.responses_due]))
    if r.followups_expected:
        rows = []
        for f in r.followups_expected:
            state = f"missed ({days(-f.days)} ago)" if f.missed else f"due {relative(f.days)}"
            what = f"{f.kind} {f.number}" if f.kind == "follow-up" else f.kind
            what += f" ({f.schedule})" + (f"; last recorded: {f.last_followup}" if f.last_followup else "; none recorded yet")
            rows.append({"report": f.report, "expected": f.expected, "state": state, "what": what})
        parts.append((f"Follow-up reports expected: {len(rows)} not recorded", FOLLOWUP_COLUMNS, rows,
                      ["red" if f.missed else "yellow" for f in r.followups_expected]))
    if r.stale:
        rows = [{"id": s.id, "last": str(s.last_event) if s.last_event else f"none (issued {s.since})", "quiet": days(s.days),
                 "status": s.status, "owner": s.owner} for s in r.stale]
        parts.append((f"Stale: {_plural(len(rows), 'open recommendation')} with no event for {r.stale_after} or more",
                      STALE_COLUMNS, rows, [None] * len(rows)))
    title, subtitle = heading(r)
    escape = formats.escape
    if fmt == "markdown":
        text = f"## {escape(title)}\n\n{escape(subtitle)}\n"
        for name, columns, rows, _styles in parts:
            text += f"\n**{escape(name)}**\n\n" + markdown_reference(columns, rows)
        return text
    if fmt == "table":
        color = formats.use_color()
        width = formats.terminal_width()
        text = formats.heading(escape(title), width, color) + formats.heading(escape(subtitle), width, color, "dim")
        for name, columns, rows, styles in parts:
            text += "\n" + formats.heading(escape(name), width, color) + "\n"
            cells = [[formats._plain_cell(row.get(c.key)) if c.plain else formats.fast_cell(row.get(c.key)) for c in columns]
                     for row in rows]
            text += table_reference(columns, cells, width, color, styles)
        return text
    text = f"{title}\n{subtitle}\n"
    for name, columns, rows, _styles in parts:
        cells = [[formats._plain_cell(row.get(c.key)) if c.plain else formats.fast_cell(row.get(c.key)) for c in columns]
                 for row in rows]
        text += f"\n{name}\n\n" + table_reference(columns, cells, None, False, None)
    return text


def test_remind_text_formats_are_the_row_by_row_tables(awkward: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    for book in books(awkward, monkeypatch):
        for day in DAYS:
            for within, stale in WINDOWS:
                found = book.reminders(day, within, stale)
                for fmt in ("plain", "table", "markdown"):
                    for no_color in ("", "1"):
                        monkeypatch.setenv("NO_COLOR", no_color)
                        out = io.StringIO()
                        remind.show(found, fmt, out)
                        assert out.getvalue() == remind_text_reference(found, fmt), (day, within, stale, fmt, no_color)


def list_reference(items: list[Any], fmt: str, as_of: date) -> str:
    """`list` in every format, as first written: a record() dictionary an item, then render's
    general writers."""
    from track.domain import query
    from track.views import records

    out = io.StringIO()
    rows = [query.record(i, as_of) for i in items]
    if fmt == "json":
        formats.write_json(rows, out)
    elif fmt == "csv":
        formats.table(records.LIST_COLUMNS, rows, "csv", fields=records.RECORD_FIELDS, out=out)
    else:
        shown = [{"id": r["id"], "status": r["status"], "response": r["response"] or "", "due": records._due_text(r, as_of),
                  "owner": formats.cell_text(r["owner"]), "text": formats.cell_text(r["text"])} for r in rows]
        styles = ["red" if r["overdue"] else ("dim" if r["closed"] else None) for r in rows]
        formats.table(records.LIST_COLUMNS, shown, fmt, styles=styles if fmt == "table" else None, out=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "plain", "table"])
def test_list_outputs_are_the_record_by_record_ones(awkward: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from track.domain import query
    from track.views import records

    made: list[list[str]] = []
    for book in books(awkward, monkeypatch):
        made.append([])
        reports = list(book.reports.values())
        for day in DAYS:
            for sort in ("id", "due", "overdue"):
                items = query.sort_items(query.select(reports, query.Filter(), day), sort, day)
                for size in (1, 3, 4096):
                    monkeypatch.setattr(records, "_RECORDS_A_BLOCK", size)
                    out = io.StringIO()
                    records.records(items, fmt, day, out)
                    assert out.getvalue() == list_reference(items, fmt, day), (day, sort, size)
                    made[-1].append(out.getvalue())
    assert made[0] == made[1]  # from the index (latest notes kept apart from the events) as from the files
    empty = io.StringIO()
    records.records([], fmt, DAYS[0], empty)
    assert empty.getvalue() == list_reference([], fmt, DAYS[0])


@settings(max_examples=500, deadline=None)
@given(values=st.lists(st.none() | st.lists(st.sampled_from(['a', ',', '"', "\n", "\r", " ", "\t", "é", "\x85", "\x00", "\x7f"]),
                                            max_size=5).map("".join), max_size=30))
def test_csv_cells_of_a_block_are_each_cells(values: list[str | None]) -> None:
    """A block of texts met once (ids, texts, notes) made CSV cells all at once is made as each alone."""
    assert formats.csv_fields(values) == ["" if v is None else formats.csv_field(formats.csv_cell(v)) for v in values]


@settings(max_examples=500, deadline=None)
@given(cell=st.lists(st.sampled_from(['a', ',', '"', "\n", "\r", " ", "\t", ";", "'", "é", "\u2028", "\x85", "\x00"]),
                     max_size=8).map("".join))
def test_list_csv_quotes_as_the_csv_module(cell: str) -> None:
    """The cells list's CSV quotes itself are quoted as csv.writer quotes them."""
    import csv

    from track.domain import query
    from track.domain.model import State
    from track.views import records

    rec = Recommendation(report="r", ref="R1", text=cell or "x", owner=cell or None, tags=[cell, cell])
    report = Report(id="r", title="t", by=cell, subject=cell, published=date(2020, 1, 1))
    state = State("in-progress", None, None, rec.owner, None, None, [], date(2020, 1, 2), cell or None, 1)
    out = io.StringIO()
    records.records([query.Item(rec, report, state)], "csv", date(2021, 1, 1), out)
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(records.RECORD_FIELDS)
    writer.writerow([formats.csv_value(v) for v in query.record(query.Item(rec, report, state), date(2021, 1, 1)).values()])
    assert out.getvalue() == expected.getvalue()


def test_a_record_has_the_list_fields_in_order(awkward: Path) -> None:
    """list --format json writes record() as it is: its keys must be RECORD_FIELDS."""
    from track.domain import query
    from track.views import records

    book = Ledger(awkward)
    for item in query.select(list(book.reports.values()), query.Filter(), date(2026, 11, 25)):
        assert list(query.record(item, date(2026, 11, 25))) == records.RECORD_FIELDS
