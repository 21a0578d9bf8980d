"""How `track remind` looks: a heading with absolute dates, then one table per section that
has anything in it. Built on render's primitives; plain text (what cron mails) is ASCII
apart from what the ledger itself holds, with no colour and no box characters."""

from __future__ import annotations

from datetime import date
from typing import Any, TextIO

from . import render
from .reminders import Reminders
from .render import Column, escape, one_line

FORMATS = ("table", "plain", "json", "markdown")
TEXT_WIDTH = 60

DUE_COLUMNS = [Column("id", "ID", plain=True), Column("due", "DUE", plain=True), Column("when", "OVERDUE", right=True, plain=True),
               Column("owner", "OWNER"), Column("text", "TEXT", wide=True, plain=True)]
SOON_COLUMNS = [Column("id", "ID", plain=True), Column("due", "DUE", plain=True), Column("when", "DUE IN", plain=True),
                Column("owner", "OWNER"), Column("text", "TEXT", wide=True, plain=True)]
RESPONSE_COLUMNS = [Column("report", "REPORT"), Column("published", "PUBLISHED"), Column("clock", "CLOCK"),
                    Column("deadline", "DEADLINE"), Column("when", "WHEN"), Column("awaiting", "AWAITING RESPONSE")]
FOLLOWUP_COLUMNS = [Column("report", "REPORT"), Column("expected", "EXPECTED"), Column("state", "STATE"),
                    Column("what", "WHAT", wide=True)]
STALE_COLUMNS = [Column("id", "ID", plain=True), Column("last", "LAST EVENT", plain=True),
                 Column("quiet", "QUIET", right=True, plain=True), Column("status", "STATUS", plain=True), Column("owner", "OWNER")]


def days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def relative(n: int) -> str:
    """Days from the as-of date: 'in 3 days', 'today', '2 days ago'."""
    if n == 0:
        return "today"
    return f"in {days(n)}" if n > 0 else f"{days(-n)} ago"


def short(text: str, width: int = TEXT_WIDTH) -> str:
    """The text as one line (see render.one_line), cut to `width` with "..." when longer."""
    if len(text) > width:
        # The usual long text: when its first width + 1 characters are already tidy (nothing to
        # escape, no run of spaces, no leading space) and more than spaces follows them, they
        # are also the first width + 1 of its one line, so it is cut there: the rest of a long
        # text (hundreds of characters) need not be read.
        head = text[: width + 1]
        if (head.isprintable() and "  " not in head and not head.startswith(" ")
                and (not head.endswith(" ") or text[width + 1:].strip())):
            return head[: width - 3].rstrip() + "..."
    line = one_line(text)
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


Section = tuple[str, list[Column], list[list[Any]], list[str | None]]


def sections(r: Reminders, tidy: Any = None) -> list[Section]:
    """(title, columns, rows, row styles) for every section that has anything in it: each row
    the values of its columns in order, made cells by `tidy(column, value)` when given."""
    out: list[Section] = []
    limit = r.as_of.toordinal()
    iso = _Memo(lambda n: date.fromordinal(n).isoformat())  # dates and day counts repeat a lot
    ago = _Memo(days)
    if r.overdue_hits:
        rows = [[rec.id, iso[due], ago[limit - due], owner, short(rec.text)]
                for due, rec, _report, _status, owner, _last in r.overdue_hits]
        out.append((f"Overdue: {_plural(len(rows), 'open recommendation')} past the due date, oldest first",
                    DUE_COLUMNS, rows, ["red"] * len(rows)))
    if r.due_soon_hits:
        rows = [[rec.id, iso[due], relative(due - limit), owner, short(rec.text)]
                for due, rec, _report, _status, owner, _last in r.due_soon_hits]
        out.append((f"Due soon: {_plural(len(rows), 'open recommendation')} due by {r.due_by} (within {r.within})",
                    SOON_COLUMNS, rows, ["yellow"] * len(rows)))
    if r.responses_due:
        rows = [[x.report, x.published, str(x.within), x.deadline, ("passed " if x.days < 0 else "") + relative(x.days),
                 f"{len(x.awaiting)} of {x.issued}"] for x in r.responses_due]
        out.append((f"Responses due: {_plural(len(rows), 'report')} with recommendations awaiting a response",
                    RESPONSE_COLUMNS, rows, ["red" if x.days < 0 else "yellow" for x in r.responses_due]))
    if r.followups_expected:
        rows = []
        for f in r.followups_expected:
            state = f"missed ({days(-f.days)} ago)" if f.missed else f"due {relative(f.days)}"
            what = f"{f.kind} {f.number}" if f.kind == "follow-up" else f.kind
            what += f" ({f.schedule})" + (f"; last recorded: {f.last_followup}" if f.last_followup else "; none recorded yet")
            rows.append([f.report, f.expected, state, what])
        out.append((f"Follow-up reports expected: {len(rows)} not recorded", FOLLOWUP_COLUMNS, rows,
                    ["red" if f.missed else "yellow" for f in r.followups_expected]))
    if r.stale_hits:
        rows = [[rec.id, iso[last] if last is not None else f"none (issued {iso[since]})", ago[limit - since], status, owner]
                for since, rec, _report, status, owner, last in r.stale_hits]
        out.append((f"Stale: {_plural(len(rows), 'open recommendation')} with no event for {r.stale_after} or more",
                    STALE_COLUMNS, rows, [None] * len(rows)))
    if tidy is not None:
        for _name, columns, rows, _styles in out:
            for i, column in enumerate(columns):
                if tidy is plain_cell and column.plain:
                    continue  # plain columns hold strings here, which a plain column shows as they are
                made = _Memo(lambda v, c=column: tidy(c, v))
                for row in rows:
                    row[i] = made[row[i]]
    return out


class _Memo(dict):  # type: ignore[type-arg]
    """A function's values, each worked out once (owners, dates and day counts repeat)."""

    def __init__(self, function: Any) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.function(key)
        return value


plain_cell = render.table_cell  # a cell of a plain or terminal table


def markdown_cell(column: Column, value: Any) -> str:
    """A cell of a markdown table, as render.markdown_table makes them from rows."""
    return render.cell(value)


def heading(r: Reminders) -> tuple[str, str]:
    return (f"track remind: {one_line(r.ledger)} as of {r.as_of}",
            f"due-soon window {r.within} (to {r.due_by}); stale after {r.stale_after} without an event")


def show(r: Reminders, fmt: str, out: TextIO | None = None) -> None:
    """Write the reminders. Nothing at all when nothing needs attention, except in JSON, which
    is always a whole document (with empty lists) for the programs that read it."""
    if fmt == "json":
        render.write(render.to_json(r.to_dict()), out)
        return
    if r.empty:
        return
    title, subtitle = heading(r)
    if fmt == "markdown":
        render.write(f"## {escape(title)}\n\n{escape(subtitle)}\n", out)
        for name, columns, rows, _styles in sections(r, markdown_cell):
            render.write(f"\n**{escape(name)}**\n\n" + render.markdown_table(columns, [], cells=rows), out)
    elif fmt == "table":
        color = render.use_color()
        width = render.terminal_width()
        text = (render.paint(escape(title), "bold") if color else escape(title)) + "\n"
        text += (render.paint(escape(subtitle), "dim") if color else escape(subtitle)) + "\n"
        render.write(text, out)
        for name, columns, rows, styles in sections(r, plain_cell):
            text = "\n" + (render.paint(escape(name), "bold") if color else escape(name)) + "\n\n"
            render.write(text + render.plain_table(columns, [], width=width, color=color, styles=styles, cells=rows), out)
    else:
        render.write(f"{title}\n{subtitle}\n", out)
        for name, columns, rows, _styles in sections(r, plain_cell):
            render.write(f"\n{name}\n\n" + render.plain_table(columns, [], cells=rows), out)
