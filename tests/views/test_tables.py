"""The terminal's tables (views.tables). fast_lines, which draws long tables, is held byte for
byte to rich's own drawing of the same table (rich_lines) on generated tables: long words,
accents, wide characters, emoji, empty cells, cells of spaces, very long ids, several lines
in a cell, right-aligned columns, statuses in colour and rows in a style, with and without
colour, at several widths. The layout is held to its promises: no line wider than the
terminal, ids whole, no word of the text lost, stacked values kept, left-out columns named."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from track.views import formats, tables
from track.views.formats import STATUS_STYLE, Column

WORDS = ["a", "the", "Children", "protection", "child-protection", "supervision", "x" * 45, "日本語", "émigré", "naïve",
         "😀", "wide日本", "AC", "Territorial", "Policing", "%s", "{}", "…", "·", "—", "\u00e9", "e\u0301"]
SPACES = st.sampled_from([" ", " ", " ", "  ", "\n"])


@st.composite
def texts(draw: Any, max_words: int = 30) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=max_words))
    out = ""
    for i, word in enumerate(words):
        out += (draw(SPACES) if i else draw(st.sampled_from(["", "", " "]))) + word
    return out


IDS = st.one_of(st.from_regex(r"[a-z0-9-]{1,30}/[A-Z]{1,4}[0-9]{1,3}", fullmatch=True),
                st.from_regex(r"[a-z]{60,120}/R1", fullmatch=True))  # very long ids too


@st.composite
def table_data(draw: Any) -> tuple[list[Column], list[list[str]], list[Any], list[str | None]]:
    rows = draw(st.integers(0, 9))
    columns = [Column("id", "ID", plain=True), Column("status", "STATUS", plain=True, stack=4),
               Column("count", "COUNT", right=True, drop=1), Column("owner", "OWNER", stack=1),
               Column("due", "DUE", stack=2, above=draw(st.booleans())), Column("text", "TEXT", wide=True)]
    by_column = [
        [draw(IDS) for _ in range(rows)],
        [draw(st.sampled_from(list(STATUS_STYLE))) for _ in range(rows)],
        [str(draw(st.integers(0, 10 ** 6))) for _ in range(rows)],
        [draw(texts(max_words=4)) for _ in range(rows)],
        [draw(st.sampled_from(["", "2017-01-01", "2026-12-05"])) for _ in range(rows)],
        [draw(texts()) for _ in range(rows)],
    ]
    keep = draw(st.lists(st.booleans(), min_size=len(columns), max_size=len(columns)))
    if not any(keep):
        keep[-1] = True
    columns = [c for c, k in zip(columns, keep) if k]
    by_column = [v for v, k in zip(by_column, keep) if k]
    cell_styles = [STATUS_STYLE if c.key == "status" else None for c in columns]
    row_styles = [draw(st.sampled_from([None, None, "red", "dim", "yellow"])) for _ in range(rows)]
    return columns, by_column, cell_styles, row_styles


@settings(max_examples=150, deadline=None)
@given(data=table_data(), width=st.sampled_from([20, 41, 60, 80, 120, 200, 250]), color=st.booleans(),
       styled=st.booleans(), marked=st.booleans())
def test_the_fast_renderer_draws_what_rich_draws(data: Any, width: int, color: bool, styled: bool, marked: bool) -> None:
    columns, by_column, cell_styles, row_styles = data
    lay, shown, cells = tables.arranged(columns, by_column, width)
    styles = [cell_styles[i] for i in lay.shown] if color else [None] * len(shown)
    rows = row_styles if styled and color else None
    if rows and marked:  # the rows' styles on the id's and the text's cells alone, as lists of a style a row
        styles = [tables._marked(style, cells[i], rows) if c.key in ("id", "text") else style
                  for i, (c, style) in enumerate(zip(shown, styles))]
        rows = None
    expected = tables.rich_lines(shown, cells, lay.widths, width, color, styles, rows)
    assert "".join(tables.fast_lines(shown, cells, lay.widths, width, color, styles, rows)) == expected


ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


@settings(max_examples=150, deadline=None)
@given(data=table_data(), width=st.integers(20, 250), color=st.booleans())
def test_a_table_fits_the_terminal_and_loses_no_word(data: Any, width: int, color: bool) -> None:
    columns, by_column, cell_styles, row_styles = data
    by_column = [[" ".join(v.split()) for v in column] for column in by_column]  # tidy, as the views' cells are
    text = "".join(formats.terminal_table(columns, by_column, width, color, row_styles))
    lines = ESCAPES.sub("", text).splitlines()
    assert all(cell_len(line) <= width for line in lines), width
    lay = tables.layout(columns, by_column, width)
    seen = " ".join(lines)
    keys = [c.key for c in columns]
    if "text" in keys and keys.index("text") in lay.shown:
        for value in by_column[keys.index("text")]:
            for word in value.split():
                if cell_len(word) <= lay.widths[lay.shown.index(keys.index("text"))]:
                    assert word in seen.split(), word  # a word the column can hold is whole
    # the promise: where the columns that can neither stack nor be left out fit at their
    # natural width beside a few words of text, every id is whole
    wide = any(c.wide for c in columns)
    kept = [i for i, c in enumerate(columns) if not (c.stack and wide) and not c.drop and not c.wide]
    natural = sum(max([cell_len(c.header), *map(cell_len, by_column[i])]) for i, c in enumerate(columns) if i in kept)
    if "id" in keys and natural + (tables.WIDE_LEAST if wide else 0) + 2 * (len(kept) - 1 + wide) <= width:
        for value in by_column[keys.index("id")]:
            assert value in seen.split(), value
    for i in lay.dropped:  # a column left out is named
        assert columns[i].header in ESCAPES.sub("", text).replace("\n", " ")


def test_a_narrow_terminal_stacks_the_owner_below_the_text_and_keeps_the_status() -> None:
    columns = [Column("id", "ID"), Column("status", "STATUS"), Column("owner", "OWNER", stack=1),
               Column("text", "TEXT", wide=True)]
    by_column = [["hmic-2016-met-cp/R1"], ["partially-implemented"], ["AC Territorial Policing"],
                 ["Put clear governance in place to monitor child-protection practice in borough teams."]]
    wide = "".join(formats.terminal_table(columns, by_column, 200, False))
    assert wide.splitlines()[0].split() == ["ID", "STATUS", "OWNER", "TEXT"]
    narrow = "".join(formats.terminal_table(columns, by_column, 60, False))
    assert narrow.splitlines()[0].split() == ["ID", "STATUS", "TEXT"]
    assert "owner AC" in narrow and "Territorial" in narrow and "partially-implemented" in narrow.splitlines()[2]
    assert max(map(cell_len, narrow.splitlines())) <= 60


def test_a_column_left_out_is_named() -> None:
    columns = [Column("label", "STATUS")] + [Column(f"p{i}", f"2017-0{i + 1}-01", right=True, drop=formats.dropped_first(i, 8))
                                             for i in range(8)]
    by_column = [["not-started", "implemented"]] + [["1", "2"] for _ in range(8)]
    text = "".join(formats.terminal_table(columns, by_column, 60, False))
    head = text.splitlines()[0].split()
    assert head[0] == "STATUS" and "2017-08-01" in head and "2017-01-01" in head  # the first and the latest kept
    assert "Left out at 60 columns: 2017-02-01" in text.replace("\n", " ")
    assert max(map(cell_len, text.splitlines())) <= 60


def test_the_fast_renderer_takes_over_only_for_long_tables() -> None:
    columns = [Column("id", "ID"), Column("text", "TEXT", wide=True)]
    few = [["r/R1"] * (tables.FAST_ROWS - 1), ["text"] * (tables.FAST_ROWS - 1)]
    many = [["r/R1"] * tables.FAST_ROWS, ["text"] * tables.FAST_ROWS]
    _, drawn = tables.draw(columns, few, 80, True, [None, None], None)
    assert drawn.__class__ is list().__iter__().__class__  # one piece: rich's
    _, drawn = tables.draw(columns, many, 80, True, [None, None], None)
    assert drawn.__class__.__name__ == "generator"
    assert "".join(drawn) == tables.rich_lines(columns, many, tables.layout(columns, many, 80).widths, 80, True, [None, None], None)
