"""How `track remind` looks: a heading with absolute dates, then one table per section that
has anything in it. Built on render's primitives; plain text (what cron mails) is ASCII
apart from what the ledger itself holds, with no colour and no box characters."""

from __future__ import annotations

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
    line = one_line(text)
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def sections(r: Reminders) -> list[tuple[str, list[Column], list[dict[str, Any]], list[str | None]]]:
    """(title, columns, rows, row styles) for every section that has anything in it."""
    out: list[tuple[str, list[Column], list[dict[str, Any]], list[str | None]]] = []
    if r.overdue:
        rows = [{"id": d.id, "due": d.due, "when": days(d.days), "owner": d.owner, "text": short(d.text)} for d in r.overdue]
        out.append((f"Overdue: {_plural(len(rows), 'open recommendation')} past the due date, oldest first",
                    DUE_COLUMNS, rows, ["red"] * len(rows)))
    if r.due_soon:
        rows = [{"id": d.id, "due": d.due, "when": relative(d.days), "owner": d.owner, "text": short(d.text)} for d in r.due_soon]
        out.append((f"Due soon: {_plural(len(rows), 'open recommendation')} due by {r.due_by} (within {r.within})",
                    SOON_COLUMNS, rows, ["yellow"] * len(rows)))
    if r.responses_due:
        rows = [{"report": x.report, "published": x.published, "clock": str(x.within), "deadline": x.deadline,
                 "when": ("passed " if x.days < 0 else "") + relative(x.days),
                 "awaiting": f"{len(x.awaiting)} of {x.issued}"} for x in r.responses_due]
        out.append((f"Responses due: {_plural(len(rows), 'report')} with recommendations awaiting a response",
                    RESPONSE_COLUMNS, rows, ["red" if x.days < 0 else "yellow" for x in r.responses_due]))
    if r.followups_expected:
        rows = []
        for f in r.followups_expected:
            state = f"missed ({days(-f.days)} ago)" if f.missed else f"due {relative(f.days)}"
            what = f"{f.kind} {f.number}" if f.kind == "follow-up" else f.kind
            what += f" ({f.schedule})" + (f"; last recorded: {f.last_followup}" if f.last_followup else "; none recorded yet")
            rows.append({"report": f.report, "expected": f.expected, "state": state, "what": what})
        out.append((f"Follow-up reports expected: {len(rows)} not recorded", FOLLOWUP_COLUMNS, rows,
                    ["red" if f.missed else "yellow" for f in r.followups_expected]))
    if r.stale:
        rows = [{"id": s.id, "last": str(s.last_event) if s.last_event else f"none (issued {s.since})", "quiet": days(s.days),
                 "status": s.status, "owner": s.owner} for s in r.stale]
        out.append((f"Stale: {_plural(len(rows), 'open recommendation')} with no event for {r.stale_after} or more",
                    STALE_COLUMNS, rows, [None] * len(rows)))
    return out


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
    parts = sections(r)
    if fmt == "markdown":
        text = f"## {escape(title)}\n\n{escape(subtitle)}\n"
        for name, columns, rows, _styles in parts:
            text += f"\n**{escape(name)}**\n\n" + render.markdown_table(columns, rows)
        render.write(text, out)
    elif fmt == "table":
        color = render.use_color()
        width = render.terminal_width()
        text = (render.paint(escape(title), "bold") if color else escape(title)) + "\n"
        text += (render.paint(escape(subtitle), "dim") if color else escape(subtitle)) + "\n"
        for name, columns, rows, styles in parts:
            text += "\n" + (render.paint(escape(name), "bold") if color else escape(name)) + "\n\n"
            text += render.plain_table(columns, rows, width=width, color=color, styles=styles)
        render.write(text, out)
    else:
        text = f"{title}\n{subtitle}\n"
        for name, columns, rows, _styles in parts:
            text += f"\n{name}\n\n" + render.plain_table(columns, rows)
        render.write(text, out)
