"""Tables on a terminal: laid out here to fit its width, drawn by rich; a long table by
`fast_lines`, which draws the same table (the same columns, widths, wrapping, box and escape
codes) a few times faster and is held to rich byte for byte by tests/views/test_tables.py.

The layout: text wraps at words, and a column is never narrower than its longest word, so
that ids, statuses, dates and numbers never wrap and are never cut. When the table is wider than the terminal, the text columns narrow to
their longest word, then the columns that may be stacked (`Column.stack`) move, in their
order, below the row's text as "header value" lines, and last the columns that may be
dropped (`Column.drop`) are left out, which the caller is told of; the text is never left
out. Only a hostile table (an id wider than the terminal) has a cell folded to fit."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rich.console import Console
    from rich.table import Table

    from track.views.formats import Column

GAP = 2  # the columns' gap: one cell's right padding and the box's divider
WIDE_MIN = 20  # the narrowest the text column is made before columns are stacked (else a third of the width)
WIDE_LEAST = 12  # the narrowest it is made before the other columns are folded
FAST_ROWS = 60  # from this many rows, fast_lines draws the table
STACK_MARK = "\u00b7"  # between stacked values on their line


class Layout:
    """Which columns show, how wide each is, which are stacked below the text and which are
    left out (their headers)."""

    __slots__ = ("shown", "widths", "stacked", "dropped", "wide")

    def __init__(self, shown: list[int], widths: list[int], stacked: list[int], dropped: list[int], wide: int | None) -> None:
        self.shown = shown  # indexes into the columns, in order
        self.widths = widths  # one for each shown column
        self.stacked = stacked  # indexes of columns shown below the wide column's text
        self.dropped = dropped  # indexes of columns left out
        self.wide = wide  # the index (into the columns) of the wide column, if shown


def cell_width(text: str) -> int:
    from rich.cells import cell_len

    return len(text) if text.isascii() else cell_len(text)


def _longest_word(text: str) -> int:
    return max(map(len if text.isascii() else cell_width, text.split()), default=0)


def _widest(cells: Sequence[str]) -> int:
    """The widest of a column's cells (its lines, for a cell of several)."""
    text = "\n".join(cells)
    if "\n" in text[-1:] or text.count("\n") != len(cells) - 1:  # a cell of several lines
        text_lines = text.split("\n")
    else:
        text_lines = cells  # type: ignore[assignment]
    return max(map(len if text.isascii() else cell_width, text_lines), default=0)


WORD_MAX = 40  # a stacked value's word up to this long keeps the text column wide enough not to fold it


def layout(columns: Sequence[Column], by_column: Sequence[Sequence[str]], width: int) -> Layout:
    """How a table of these columns (each column's cells, as strings) fits `width` columns."""
    n = len(columns)
    natural = [max(cell_width(c.header), _widest(cells)) for c, cells in zip(columns, by_column)]
    # a column narrows to its longest word (ids, statuses, dates and numbers are one word);
    # one of plain values (a date and how overdue it is) not at all
    wide = next((i for i, c in enumerate(columns) if c.wide), None)
    least = [natural[i] if c.plain else max(1, min(natural[i], max(_longest_word(c.header), _longest_word(" ".join(by_column[i])))))
             if i != wide else 1 for i, c in enumerate(columns)]  # (the text's width is the room left)
    stackable = sorted((i for i, c in enumerate(columns) if c.stack and i != wide and wide is not None), key=lambda i: columns[i].stack)
    droppable = sorted((i for i, c in enumerate(columns) if c.drop and i != wide), key=lambda i: columns[i].drop)
    stacked: list[int] = []
    dropped: list[int] = []
    target = max(WIDE_MIN, width // 3) if wide is not None else 0
    stacked_words = {i: max(_longest_word(columns[i].header.lower()), _longest_word(" ".join(by_column[i]))) for i in stackable}

    def attempt(cap: int, words: bool = True) -> list[int] | None:
        shown = [i for i in range(n) if i not in stacked and i not in dropped]
        widths = {i: natural[i] for i in shown}
        if stacked and wide is not None:  # the wide column also holds the stacked lines
            widths[wide] = max(widths[wide], *(cell_width(columns[i].header.lower()) + 1 + natural[i] for i in stacked))
        # the text's goal: as wide as it and its stacked lines are, up to `cap`, and (unless it
        # cannot be) no narrower than a stacked value's longest word up to WORD_MAX (an id, a
        # source report's id: not folded; a long link may be)
        target = (max([min(widths[wide], cap), *(min(stacked_words[i], WORD_MAX) for i in stacked if words)])
                  if wide is not None else 0)
        room = width - GAP * (len(shown) - 1)
        if sum(widths.values()) <= room:
            return [widths[i] for i in shown]
        others = [i for i in shown if i != wide and least[i] < widths[i]]
        if wide is not None:
            widths[wide] = room - sum(w for i, w in widths.items() if i != wide)
            # narrow the other text columns, widest first, while the text is narrower than its goal
            while widths[wide] < target:
                candidates = [i for i in others if widths[i] > least[i]]
                if not candidates:
                    break
                i = max(candidates, key=widths.__getitem__)
                widths[i] -= 1
                widths[wide] += 1
            if widths[wide] >= target:
                return [widths[i] for i in shown]
            return None
        for i in sorted(others, key=widths.__getitem__, reverse=True):
            excess = sum(widths.values()) - room
            if excess <= 0:
                break
            widths[i] = max(least[i], widths[i] - excess)
        return [widths[i] for i in shown] if sum(widths.values()) <= room else None

    while True:
        widths = attempt(target)
        if widths is not None:
            break
        if stackable and columns[stackable[0]].keep:  # kept beside a text of WIDE_MIN columns
            widths = attempt(WIDE_MIN)
            if widths is not None:
                break
        if stackable:
            stacked.append(stackable.pop(0))
        elif droppable:
            dropped.append(droppable.pop(0))
        else:  # the text as wide as the rest leaves it, if that is a few words' worth; else squeezed
            widths = attempt(WIDE_LEAST, words=False) if wide is not None else None
            if widths is None:
                widths = _squeezed(columns, natural, stacked, dropped, wide, width)
            break
    shown = [i for i in range(n) if i not in stacked and i not in dropped]
    return Layout(shown, widths, stacked, dropped, wide if wide in shown else None)


def _squeezed(columns: Sequence[Column], natural: list[int], stacked: list[int], dropped: list[int],
              wide: int | None, width: int) -> list[int]:
    """A hostile table's widths: with everything that may go gone, the widest columns are
    narrowed (their cells folded) until the table fits, the text column keeping a few columns."""
    shown = [i for i in range(len(columns)) if i not in stacked and i not in dropped]
    room = max(len(shown), width - GAP * (len(shown) - 1))
    widths = {i: natural[i] for i in shown}
    if wide is not None:
        widths[wide] = min(natural[wide], 8)
    while sum(widths.values()) > room:
        i = max(widths, key=widths.__getitem__)
        if widths[i] <= 1:
            break
        widths[i] -= 1
    return [widths[i] for i in shown]


def stacked_cells(columns: Sequence[Column], by_column: Sequence[Sequence[str]], lay: Layout) -> list[str]:
    """The wide column's cells with the stacked columns' values about each text: those
    `above` it on a line before it, "a · b"; the others on a line after it, each after its
    header, "owner X · due 2017-01-01" (an empty value left out)."""
    assert lay.wide is not None
    texts = by_column[lay.wide]
    order = sorted(lay.stacked)  # in the columns' order
    above = [by_column[i] for i in order if columns[i].above]
    names = [columns[i].header.lower() for i in order if not columns[i].above]
    below = [by_column[i] for i in order if not columns[i].above]
    mark = f" {STACK_MARK} "
    out = []
    for row, text in enumerate(texts):
        first = mark.join(column[row] for column in above if column[row])
        last = mark.join(f"{name} {column[row]}" for name, column in zip(names, below) if column[row])
        out.append("\n".join(part for part in (first, text, last) if part) if first or last else text)
    return out


def arranged(columns: Sequence[Column], by_column: Sequence[Sequence[str]], width: int) -> tuple[Layout, list[Column], list[Sequence[str]]]:
    """The layout, and the columns and their cells as drawn (stacked values in the text's cells)."""
    lay = layout(columns, by_column, width)
    shown_columns = [columns[i] for i in lay.shown]
    shown_cells = [stacked_cells(columns, by_column, lay) if i == lay.wide and lay.stacked else by_column[i] for i in lay.shown]
    return lay, shown_columns, shown_cells


def console(width: int, color: bool, file: Any = None) -> Console:
    """The Console every table and paragraph on a terminal is drawn with: `width` wide, the
    standard 16 colours (or no escape codes at all), no markup, emoji or highlighting."""
    import io

    from rich.console import Console

    return Console(file=file if file is not None else io.StringIO(), width=width, color_system="standard" if color else None,
                   force_terminal=True, no_color=False, highlight=False, markup=False, emoji=False,
                   legacy_windows=False, soft_wrap=False, _environ={})


def house_box() -> Any:
    """The one box of every table: rich's SIMPLE_HEAD (no edges, no lines between columns, a
    rule below the head), with a rule too where a section ends (above a total)."""
    from rich.box import Box

    return Box("    \n    \n \u2500\u2500 \n    \n \u2500\u2500 \n \u2500\u2500 \n    \n    \n")


def rich_table(columns: Sequence[Column], by_column: Sequence[Sequence[Any]], widths: Sequence[int],
               cell_styles: Sequence[Any], row_styles: Sequence[str | None] | None, sections: set[int] | None = None) -> Table:
    """The rich Table of cells laid out: every column its width, each cell a Text (a string
    given is made one, styled by its column's `cell_styles` mapping of value to style), each
    row in its style, a rule after each row in `sections`."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=house_box(), show_edge=False, pad_edge=False, collapse_padding=True,
                  header_style="bold", expand=False)
    for column, w in zip(columns, widths):
        table.add_column(Text(column.header), width=w, justify="right" if column.right else "left",
                         overflow="fold", no_wrap=False)
    rows = len(by_column[0]) if by_column else 0
    for r in range(rows):
        cells = [Text(cells[r], style=_own(style, cells[r], r) or "") if isinstance(cells[r], str) else cells[r]
                 for cells, style in zip(by_column, cell_styles)]
        table.add_row(*cells, style=(row_styles[r] or None) if row_styles else None,
                      end_section=bool(sections) and r in sections)  # type: ignore[operator]
    return table


def _own(style: Any, value: str, row: int) -> str | None:
    """A cell's own style: its column's `cell_styles` entry is None, a mapping of value to
    style, or a list of a style for each row."""
    if style is None:
        return None
    return style[row] if isinstance(style, list) else style.get(value)


def rich_lines(columns: Sequence[Column], by_column: Sequence[Sequence[Any]], widths: Sequence[int], width: int,
               color: bool, cell_styles: Sequence[Any], row_styles: Sequence[str | None] | None,
               sections: set[int] | None = None) -> str:
    """The table as rich draws it."""
    out = console(width, color)
    out.print(rich_table(columns, by_column, widths, cell_styles, row_styles, sections))
    return out.file.getvalue()  # type: ignore[attr-defined]


def fast_lines(columns: Sequence[Column], by_column: Sequence[Sequence[str]], widths: Sequence[int], width: int,
               color: bool, cell_styles: Sequence[Any], row_styles: Sequence[str | None] | None) -> Iterator[str]:
    """rich_lines' text, a few hundred rows at a time, made without rich's renderables: each
    cell wrapped as rich's Text wraps it (`_wrapper`), padded and painted as rich's Table pads
    and paints it (a segment at a time, each with its own escape codes)."""
    from rich.style import Style

    from rich.cells import _is_single_cell_widths as narrow

    standard = _standard()
    n = len(columns)
    pads = [1] * (n - 1) + [0]  # collapsed padding, no edge: a space after each cell but the last
    rights = [c.right for c in columns]
    parsed: dict[str | None, Style] = {}
    null = Style.null()

    def styled(name: str | None) -> Style:
        found = parsed.get(name)
        if found is None:
            found = parsed[name] = Style.parse(name) if name else null
        return found

    def code(style: Style) -> tuple[str, str]:
        start, _, end = (style.render("\0", color_system=standard) if color else "\0").partition("\0")
        return start, end

    painted: dict[tuple[int, str | None, str | None], tuple[str, str, str]] = {}

    def paints(i: int, row: str | None, own: str | None) -> tuple[str, str, str]:
        """How column i's cell is painted in a row of style `row` when its text has style
        `own`: the text's escape codes (start, end) and the padding after it, painted; and a
        %-format that makes a line of narrow characters a whole cell's line (padded)."""
        key = (i, row, own)
        found = painted.get(key)
        if found is None:
            outer = styled(row)
            start, end = code(outer + styled(own))
            pad_start, pad_end = code(outer)
            after = end + (f"{pad_start}{' ' * pads[i]}{pad_end}" if pads[i] else "")
            pattern = start.replace("%", "%%") + ("%" + ("" if rights[i] else "-") + str(widths[i]) + "s") + after.replace("%", "%%")
            found = painted[key] = (start, after, pattern)
        return found

    blanks: dict[tuple[int, str | None], str] = {}

    def blank(i: int, row: str | None) -> str:
        found = blanks.get((i, row))
        if found is None:
            start, end = code(styled(row))
            found = blanks[i, row] = f"{start}{' ' * (widths[i] + pads[i])}{end}"
        return found

    wrap = _wrapper()

    def row_lines(texts: Sequence[str], row: str | None, owns: Sequence[str | None], bottom: bool) -> str:
        cells = []
        tall = False
        for i in range(n):
            start, after, pattern = paints(i, row, owns[i])
            w = widths[i]
            text = texts[i]
            lines = wrap(text, w)
            if len(lines) > 1:
                tall = True
            if text.isascii() or narrow(text.replace("\n", " ")):  # every line padded by the format (a character a column)
                cells.append(list(map(pattern.__mod__, lines)))
                continue
            out = []
            for line in lines:
                size = cell_width(line)
                if size < w:
                    line = " " * (w - size) + line if rights[i] else line + " " * (w - size)
                out.append(f"{start}{line}{after}")
            cells.append(out)
        if not tall:
            return " ".join([c[0] for c in cells]) + "\n"
        height = max(map(len, cells))
        for i, c in enumerate(cells):
            if len(c) < height:  # a shorter cell is made as tall with blank lines, below (above in the head)
                filler = [blank(i, row)] * (height - len(c))
                cells[i] = filler + c if bottom else c + filler
        return "\n".join(map(" ".join, zip(*cells))) + "\n"

    prefixes: dict[str | None, str] = {}
    last = n - 1

    def short_row(texts: Sequence[str], row: str | None, owns: Sequence[str | None]) -> str:
        """row_lines' text of a row whose cells are one line each, but the last."""
        text = texts[last]
        for i in range(last):  # a cell of two lines, or of other than ASCII: the general way
            cell = texts[i]
            if len(cell) > widths[i] or not cell.isascii() or "\n" in cell:
                return row_lines(texts, row, owns, False)
        if not (text.isascii() or narrow(text.replace("\n", " "))):
            return row_lines(texts, row, owns, False)
        prefix = prefixes.get(row)
        if prefix is None:  # the blank cells before the text's second and later lines
            prefix = prefixes[row] = "\n" + " ".join([blank(i, row) for i in range(last)]) + " "
        first = [paints(i, row, owns[i])[2] % texts[i] for i in range(last)]
        lines = wrap(text, widths[last])
        return " ".join(first) + " " + prefix.join(map(paints(last, row, owns[last])[2].__mod__, lines)) + "\n"

    # the head: its cells in bold, aligned to the bottom; then the rule
    yield (row_lines([c.header for c in columns], "bold", [None] * n, True)
           + "\u2500" * (sum(widths) + sum(pads) + (n - 1)) + "\n")
    def plain_block(block: list[Sequence[str]], owns: list[list[str | None]]) -> str | None:
        """The rows of a block without row styles whose cells are all one line of ASCII but the
        last column's, made a column at a time: each column's cells by its format (one for
        each style met), each row's first line their join, the text's further lines after
        the blank cells; None if a cell is not so."""
        for i in range(last):
            column = block[i]
            text = "\n".join(column)
            if not text.isascii() or text.count("\n") != len(column) - 1 or max(map(len, column)) > widths[i]:
                return None
        made = []
        for i in range(last):
            column, styles = block[i], owns[i]
            if not any(styles):
                made.append(list(map(paints(i, None, None)[2].__mod__, column)))
            else:
                formats = {style: paints(i, None, style)[2] for style in set(styles)}
                made.append([formats[style] % value for value, style in zip(column, styles)])
        prefix = prefixes.get(None)
        if prefix is None:
            prefix = prefixes[None] = "\n" + " ".join([blank(i, None) for i in range(last)]) + " "
        lasts = {style: paints(last, None, style)[2] for style in set(owns[last])}
        out = []
        for first, text, style in zip(map(" ".join, zip(*made)), block[last], owns[last]):
            if not (text.isascii() or narrow(text.replace("\n", " "))):
                return None
            out.append(first + " " + prefix.join(map(lasts[style].__mod__, wrap(text, widths[last]))) + "\n")
        return "".join(out)

    rows = len(by_column[0]) if by_column else 0
    for at in range(0, rows, 256):
        block = [column[at:at + 256] for column in by_column]
        block_styles = row_styles[at:at + 256] if row_styles else [None] * len(block[0])
        owns = [(m[at:at + 256] if isinstance(m, list) else [m.get(v) for v in column]) if m is not None else [None] * len(column)
                for m, column in zip(cell_styles, block)]
        if n > 1 and not row_styles:
            done = plain_block(block, owns)
            if done is not None:
                yield done
                continue
        if n > 1:  # the usual row: every cell one line but the last column's (the text), which is laid
            # out on its own: its lines each a format, joined by the blank cells before it
            yield "".join([short_row(texts, row, own) for texts, row, own in zip(zip(*block), block_styles, zip(*owns))])
        else:
            yield "".join([row_lines(texts, row, own, False) for texts, row, own in zip(zip(*block), block_styles, zip(*owns))])


def _wrapper() -> Any:
    """A function (text, width) -> the text's lines as rich's Text wraps them in a column of
    that width with overflow "fold", before padding: rich's own divide_line, or for a text of
    narrow characters split by single spaces (the usual cell), the same greedy wrap made by
    one regular expression, several times faster."""
    from rich._wrap import divide_line
    from rich.cells import _is_single_cell_widths as narrow
    from rich.cells import set_cell_size

    patterns: dict[int, Any] = {}

    def wrap(text: str, w: int) -> list[str]:
        if "\n" not in text and text.isascii():  # the usual cell: one paragraph of ASCII
            if len(text) <= w:
                return [text]
            pattern = patterns.get(w)
            if pattern is None:
                pattern = patterns[w] = re.compile(r"[^ ].{0,%d}(?= |\Z)" % (w - 1), re.DOTALL)
            found = pattern.findall(text)
            if sum(map(len, found)) + len(found) - 1 == len(text):
                return found
        elif "\n" not in text and cell_width(text) <= w:
            return [text]
        lines = []
        for para in text.split("\n"):
            if para.isascii() or narrow(para):
                if len(para) <= w:
                    lines.append(para)
                    continue
                # divide_line puts as many words on a line as fit: the longest run of words
                # a line can hold, when no word is longer than the line
                pattern = patterns.get(w)
                if pattern is None:
                    pattern = patterns[w] = re.compile(r"[^ ].{0,%d}(?= |\Z)" % (w - 1), re.DOTALL)
                found = pattern.findall(para)
                if sum(map(len, found)) + len(found) - 1 == len(para):
                    lines += found
                    continue
            elif cell_width(para) <= w:
                lines.append(para)
                continue
            offsets = divide_line(para, w, fold=True)
            for piece in [para[a:b] for a, b in zip([0, *offsets], [*offsets, len(para)])]:
                if len(piece) > w:  # rich's Text.rstrip_end: trailing white space beyond the width goes
                    excess = len(piece) - w
                    stripped = piece.rstrip(" ")
                    piece = piece[: len(piece) - min(len(piece) - len(stripped), excess)]
                if cell_width(piece) > w:
                    piece = set_cell_size(piece, w)
                lines.append(piece)
        return lines

    return wrap


def _marked(style: Any, cells: Sequence[str], row_styles: Sequence[str | None]) -> list[str | None]:
    """A column's own style for each row with the row's style put first (its own, a
    status's colour, wins where both set one)."""
    if style is None:  # the rows' styles alone
        return list(row_styles)
    out = []
    for r, (value, row) in enumerate(zip(cells, row_styles)):
        own = _own(style, value, r)
        out.append(f"{row} {own}" if row and own else (row or own))
    return out


def _known(name: str | None) -> str | None:
    """A style's name if rich knows it, else None (no style)."""
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    try:
        return name if name and Style.parse(name) is not None else None
    except StyleSyntaxError:
        return None


def _standard() -> Any:
    from rich.color import ColorSystem

    return ColorSystem.STANDARD


def draw(columns: Sequence[Column], by_column: Sequence[Sequence[str]], width: int, color: bool,
         cell_styles: Sequence[Any], row_styles: Sequence[str | None] | None, *,
         texts: dict[str, Sequence[Any]] | None = None, sections: set[int] | None = None,
         marked: set[str] | None = None) -> tuple[Layout, Iterator[str]]:
    """The table fitted to `width`: its layout and its text in pieces, drawn by rich, or for a
    long table of plain cells by fast_lines. `texts`: some columns' cells as rich Text, by
    key (the strings in `by_column` are their plain text); `sections`: rows followed by a
    rule; `marked`: the keys of the columns whose text a row's style colours (else the whole
    row, its padding too)."""
    lay, shown, cells = arranged(columns, by_column, width)
    styles = [cell_styles[i] for i in lay.shown]
    if row_styles:
        known = {name: _known(name) for name in set(row_styles)}
        row_styles = [known[name] for name in row_styles]
        if marked is not None:  # the rows' styles go on these columns' texts alone (fewer escape codes to write)
            styles = [_marked(style, cells[i], row_styles) if c.key in marked else style for i, (c, style) in enumerate(zip(shown, styles))]
            row_styles = None
    rows = len(cells[0]) if cells else 0
    if rows >= FAST_ROWS and not texts and not sections:
        return lay, fast_lines(shown, cells, lay.widths, width, color, styles, row_styles)
    if texts:
        cells = [texts.get(c.key, column) for c, column in zip(shown, cells)]  # type: ignore[misc]
    return lay, iter([rich_lines(shown, cells, lay.widths, width, color, styles, row_styles, sections)])
