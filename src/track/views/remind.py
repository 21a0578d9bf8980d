"""How `track remind` looks: a heading with absolute dates, then one table per section that
has anything in it. Built on formats' primitives; plain text (what cron mails) is ASCII
apart from what the ledger itself holds, with no colour and no box characters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from operator import itemgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from track.domain.record import Memo
from track.domain.reminders import Reminders, action_fields, followup_fields, response_fields
from track.views import formats
from track.views.evidence import latest_evidence
from track.views.formats import Column, escape, one_line

TEXT_WIDTH = 60
_CUT = f"%.{TEXT_WIDTH - 3}s..."

DUE_COLUMNS = [Column("id", "ID", plain=True), Column("due", "DUE", plain=True, stack=2),
               Column("when", "OVERDUE", right=True, plain=True, stack=3),
               Column("owner", "OWNER", stack=1), Column("text", "TEXT", wide=True, plain=True)]
SOON_COLUMNS = [Column("id", "ID", plain=True), Column("due", "DUE", plain=True, stack=2), Column("when", "DUE IN", plain=True, stack=3),
                Column("owner", "OWNER", stack=1), Column("text", "TEXT", wide=True, plain=True)]
RESPONSE_COLUMNS = [Column("report", "REPORT"), Column("published", "PUBLISHED"), Column("clock", "CLOCK"),
                    Column("deadline", "DEADLINE"), Column("when", "WHEN"), Column("awaiting", "AWAITING RESPONSE")]
FOLLOWUP_COLUMNS = [Column("report", "REPORT"), Column("expected", "EXPECTED"), Column("state", "STATE"),
                    Column("what", "WHAT", wide=True)]
STALE_COLUMNS = [Column("id", "ID", plain=True), Column("last", "LAST EVENT", plain=True, stack=2),
                 Column("quiet", "QUIET", right=True, plain=True, stack=3), Column("status", "STATUS", plain=True, stack=1),
                 Column("owner", "OWNER", wide=True)]


def days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def relative(n: int) -> str:
    """Days from the as-of date: 'in 3 days', 'today', '2 days ago'."""
    if n == 0:
        return "today"
    return f"in {days(n)}" if n > 0 else f"{days(-n)} ago"


def short(text: str, width: int = TEXT_WIDTH) -> str:
    """The text as one line (see formats.one_line), cut to `width` with "..." when longer."""
    if len(text) > width:
        # The usual long text: when its first width + 1 characters are already tidy (nothing to
        # escape, no run of spaces, no leading space) and more than spaces follows them, they
        # are also the first width + 1 of its one line, so it is cut there: the rest of a long
        # text (hundreds of characters) need not be read.
        head = text[: width + 1]
        if (head.isprintable() and head[0] != " " and "  " not in head
                and (head[-1] != " " or text[width + 1:].strip())):
            if width == TEXT_WIDTH and head[width - 4] != " ":
                return _CUT % head  # nothing to strip before the "...": one step
            return head[: width - 3].rstrip() + "..."
    line = one_line(text)
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


if TYPE_CHECKING:
    Section = tuple[str, list[Column], list[list[Any]], list[str | None]]


def sections(r: Reminders, tidy: Any = None) -> list[Section]:
    """(title, columns, values, row styles) for every section that has anything in it, the
    values a column at a time (each column's in row order), made cells by `tidy(column)(value)`
    when given (`tidy(column)` None: as they are).

    Each distinct owner, date and day count is worked out once: the overdue and stale sections
    of a national register run to a hundred thousand rows each."""
    out: list[Section] = []
    limit = r.as_of.toordinal()
    iso = Memo(lambda n: date.fromordinal(n).isoformat()).__getitem__

    def by_due(hits: list[tuple], when: Any) -> list[list[Any]]:
        """The columns of DUE_COLUMNS / SOON_COLUMNS: id, due date, `when(due)`, owner, text."""
        dues = list(map(itemgetter(0), hits))
        return [list(map(itemgetter(1), hits)), list(map(iso, dues)), list(map(Memo(when).__getitem__, dues)),
                list(map(itemgetter(5), hits)), list(map(short, map(itemgetter(2), hits)))]

    if r.overdue_hits:
        hits = r.overdue_hits
        out.append((f"Overdue: {_plural(len(hits), 'open recommendation')} past the due date, oldest first",
                    DUE_COLUMNS, by_due(hits, lambda due: days(limit - due)), ["red"] * len(hits)))
    if r.due_soon_hits:
        hits = r.due_soon_hits
        out.append((f"Due soon: {_plural(len(hits), 'open recommendation')} due by {r.due_by} (within {r.within})",
                    SOON_COLUMNS, by_due(hits, lambda due: relative(due - limit)), ["yellow"] * len(hits)))
    if r.action_overdue_hits:
        hits = r.action_overdue_hits
        out.append((f"Actions overdue: {_plural(len(hits), 'open action')} past the due date, oldest first",
                    DUE_COLUMNS, by_due(hits, lambda due: days(limit - due)), ["red"] * len(hits)))
    if r.action_due_soon_hits:
        hits = r.action_due_soon_hits
        out.append((f"Actions due soon: {_plural(len(hits), 'open action')} due by {r.due_by} (within {r.within})",
                    SOON_COLUMNS, by_due(hits, lambda due: relative(due - limit)), ["yellow"] * len(hits)))
    if r.responses_due:
        rows = [[x.report, x.published, str(x.within) + (f", from {x.response_from}" if x.response_from else ""), x.deadline,
                 ("passed " if x.days < 0 else "") + relative(x.days),
                 f"{len(x.awaiting)} of {x.issued}"] for x in r.responses_due]
        out.append((f"Responses due: {_plural(len(rows), 'report')} with recommendations awaiting a response",
                    RESPONSE_COLUMNS, [list(c) for c in zip(*rows)],
                    ["red" if x.days < 0 else "yellow" for x in r.responses_due]))
    if r.followups_expected:
        rows = []
        for f in r.followups_expected:
            state = f"missed ({days(-f.days)} ago)" if f.missed else f"due {relative(f.days)}"
            what = f"{f.kind} {f.number}" if f.kind == "follow-up" else f.kind
            what += f" ({f.schedule})" + (f"; last recorded: {f.last_followup}" if f.last_followup else "; none recorded yet")
            rows.append([f.report, f.expected, state, what])
        out.append((f"Follow-up reports expected: {len(rows)} not recorded", FOLLOWUP_COLUMNS, [list(c) for c in zip(*rows)],
                    ["red" if f.missed else "yellow" for f in r.followups_expected]))
    if r.stale_hits:
        hits = r.stale_hits
        since = list(map(itemgetter(0), hits))
        quiet = Memo(lambda day: days(limit - day)).__getitem__
        never = Memo(lambda day: f"none (issued {iso(day)})").__getitem__
        columns = [list(map(itemgetter(1), hits)),
                   [iso(last) if last is not None else never(day) for day, last in zip(since, map(itemgetter(6), hits))],
                   list(map(quiet, since)), list(map(itemgetter(4), hits)), list(map(itemgetter(5), hits))]
        out.append((f"Stale: {_plural(len(hits), 'open recommendation')} with no event for {r.stale_after} or more",
                    STALE_COLUMNS, columns, [None] * len(hits)))
    if tidy is not None:
        for _name, columns_of, values, _styles in out:
            for i, column in enumerate(columns_of):
                made = tidy(column)
                if made is None:
                    continue
                # owners and the like repeat, and are tidied once each; ids and texts do not
                values[i] = list(map(made if column.plain else Memo(made).__getitem__, values[i]))
    return out


def plain_cell(column: Column) -> Any:
    """How a value becomes a cell of a plain or terminal table (as formats.plain_table makes
    them from rows); None where the strings put in sections() are shown as they are."""
    return None if column.plain else formats.cell_text


def markdown_cell(column: Column) -> Any:
    """How a value becomes a cell of a markdown table (as formats.markdown_table makes them);
    None for the plain columns, whose strings (ids, dates, day counts, statuses, texts cut by
    short) are already one tidy line, which `formats.cell` would give back unchanged."""
    return None if column.plain else formats.cell


def heading(r: Reminders) -> tuple[str, str]:
    whose = f", for {one_line(r.owner)}" if r.owner is not None else ""  # one owner's part (owners.parts)
    old = latest_evidence(r.latest_evidence, r.as_of, r.evidence_after)
    return (f"track remind: {one_line(r.ledger)} as of {r.as_of}{whose}",
            f"due-soon window {r.within} (to {r.due_by}); stale after {r.stale_after} without an event"
            + (f"; {old}" if old else ""))


def show(r: Reminders, fmt: str, out: TextIO | None = None) -> None:
    """Write the reminders. Nothing at all when nothing needs attention, except in JSON, which
    is always a whole document (with empty lists) for the programs that read it."""
    if fmt == "json":
        for text in _json(r):
            formats.write(formats.json_safe(text), out)
        return
    if r.empty:
        return
    title, subtitle = heading(r)
    if fmt == "markdown":
        formats.write(f"## {escape(title)}\n\n{escape(subtitle)}\n", out)
        for name, columns, values, styles in sections(r, markdown_cell):
            formats.write(f"\n**{escape(name)}**\n\n", out)
            formats.write_cells(columns, values, fmt, out=out)
    elif fmt == "table":
        color = formats.use_color()
        width = formats.terminal_width()
        formats.write(formats.heading(escape(title), width, color) + formats.heading(escape(subtitle), width, color, "dim"), out)
        for name, columns, values, styles in sections(r, plain_cell):
            formats.write("\n" + formats.heading(escape(name), width, color) + "\n", out)
            formats.write_cells(columns, values, fmt, styles=styles, out=out)
    else:
        formats.write(f"{title}\n{subtitle}\n", out)
        for name, columns, values, styles in sections(r, plain_cell):
            formats.write(f"\n{name}\n\n", out)
            formats.write_cells(columns, values, fmt, out=out)


def _json(r: Reminders) -> Iterator[str]:
    """formats.to_json(r.to_dict()) (before json_safe), in pieces, written straight from the
    hits: the dictionaries of a national register's hundreds of thousands of items would take
    seconds and hundreds of megabytes."""
    from json.encoder import encode_basestring as quote  # as json.dumps(ensure_ascii=False) writes a string

    iso = Memo(lambda n: f'"{date.fromordinal(n)}"').__getitem__
    few = Memo(lambda v: "null" if v is None else quote(v)).__getitem__  # reports, statuses and owners repeat
    limit = r.as_of.toordinal()
    quoted: dict[str, str] = {}  # texts quoted for overdue and due soon, until stale (which repeats many) takes them

    def text_of(text: str) -> str:
        done = quoted[text] = quote(text)
        return done

    def small(items: list[dict[str, Any]]) -> str:
        return formats.to_json(items)[:-1].replace("\n", "\n  ")  # a list one level in

    def due(hits: list[Any], sign: int) -> Iterator[str]:
        for day, rec_id, text, report, status, owner, _last in hits:
            yield (f'    {{\n      "id": {quote(rec_id)},\n      "report": {few(report)},\n      "text": {text_of(text)},\n'
                   f'      "status": {few(status)},\n      "due": {iso(day)},\n      "days": {sign * (limit - day)},\n'
                   f'      "owner": {few(owner)}\n    }}')

    def stale(hits: list[Any]) -> Iterator[str]:
        for since, rec_id, text, report, status, owner, last in hits:
            yield (f'    {{\n      "id": {quote(rec_id)},\n      "report": {few(report)},\n'
                   f'      "text": {quoted.pop(text, None) or quote(text)},\n      "status": {few(status)},\n'
                   f'      "last_event": {"null" if last is None else iso(last)},\n      "since": {iso(since)},\n'
                   f'      "days": {limit - since},\n      "owner": {few(owner)}\n    }}')

    def listed(items: Iterator[str]) -> Iterator[str]:
        first = True
        while True:
            block = list(islice(items, 4096))
            if not block:
                break
            yield ("[\n" if first else ",\n") + ",\n".join(block)
            first = False
        yield "[]" if first else "\n  ]"

    whose = f'\n  "owner": {quote(r.owner)},' if r.owner is not None else ""  # one owner's part only
    latest = "null" if r.latest_evidence is None else f'"{r.latest_evidence}"'
    yield (f'{{\n  "ledger": {quote(r.ledger)},{whose}\n  "as_of": "{r.as_of}",\n  "within": {quote(str(r.within))},\n'
           f'  "due_by": "{r.due_by}",\n  "stale_after": {quote(str(r.stale_after))},\n'
           f'  "latest_evidence": {latest},\n'
           f'  "evidence_after": {quote(str(r.evidence_after))},\n  "overdue": ')
    yield from listed(due(r.overdue_hits, 1))
    yield ',\n  "due_soon": '
    yield from listed(due(r.due_soon_hits, -1))
    yield ',\n  "responses_due": ' + small([response_fields(x) for x in r.responses_due])
    yield ',\n  "followups_expected": ' + small([followup_fields(f) for f in r.followups_expected])
    yield ',\n  "stale": '
    yield from listed(stale(r.stale_hits))
    yield ',\n  "actions_overdue": ' + small([action_fields(h, r.as_of, 1) for h in r.action_overdue_hits])
    yield ',\n  "actions_due_soon": ' + small([action_fields(h, r.as_of, -1) for h in r.action_due_soon_hits])
    yield "\n}\n"
