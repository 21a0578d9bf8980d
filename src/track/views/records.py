"""What each command shows: the columns of a list, the layout of a record and its timeline,
the reports. Built on formats' primitives, so every format stays in one place."""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Iterator
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from track.domain.model import CLOSED, Report, slippage
from track.domain.record import Memo
from track.views import formats
from track.views.formats import Column, cell, escape, md, one_line

LIST_COLUMNS = [
    Column("id", "ID", plain=True),
    Column("status", "STATUS", plain=True, stack=4, keep=True),
    Column("response", "RESPONSE", plain=True, stack=2),
    Column("due", "DUE", plain=True, stack=3),
    Column("owner", "OWNER", stack=1),
    Column("text", "TEXT", wide=True),
]
RECORD_FIELDS = [
    "id", "report", "ref", "kind", "text", "answers", "owner", "tags", "priority", "status", "basis",
    "response", "due", "overdue", "days_overdue", "closed", "issued", "subject", "issued_by",
    "last_event", "last_note", "superseded_by", "duplicate_of", "related", "evidence", "entered",
    "closed_on", "age_days", "original_due", "due_moves",
]
EVENT_FIELDS = ["id", "number", "date", "status", "basis", "response", "due", "reason", "owner", "superseded_by",
                "duplicate_of", "related", "amended", "note", "source", "evidence", "recorded", "recorded_by"]
BASIS_MEANING = {"claimed": "claimed: the owner says so", "assessed": "assessed: the ledger keeper's reading of a source",
                 "verified": "verified: an inspectorate or auditor confirmed it"}


def status_text(status: str, basis: str | None) -> str:
    """A status as `show` names it: implemented that no inspectorate or auditor confirmed is
    "implemented (unverified)"."""
    return status + (" (unverified)" if status == "implemented" and basis != "verified" else "")


def _due_text(row: dict[str, Any], as_of: date) -> str:
    due = row.get("due")
    if due is None:
        return ""
    if row.get("overdue"):
        return f"{due} (overdue {row['days_overdue']}d)"
    return str(due)


def records(items: list[Any], fmt: str, as_of: date, out: TextIO | None = None, declared: Any = None) -> None:
    """`list`: json and csv carry every documented field (given the ledger's own fields, json
    their `fields` and csv a column for each, named by its key); the tables carry six columns."""
    if declared and fmt in ("json", "csv"):
        from track.domain.query import record

        rows = [record(item, as_of, declared) for item in items]
        if fmt == "json":
            formats.write_json(rows, out)
        else:
            for r in rows:
                r.update(r.pop("fields"))
            flat = rows
            formats.table(LIST_COLUMNS, flat, "csv", fields=[*RECORD_FIELDS, *declared], out=out)
        return
    if fmt == "json":
        _records_json(items, as_of, out)
        return
    if fmt == "csv":
        _records_csv(items, as_of, out)
        return
    ids: list[str] = []  # the table a column at a time
    statuses: list[str] = []
    responses: list[str] = []
    whens: list[str] = []
    whos: list[str] = []
    texts: list[str] = []
    styles: list[str | None] = []
    tidy = formats.cell_text
    owners: dict[str | None, str] = {}  # owners and due dates repeat: each is worked out once
    late: dict[date, str] = {}
    dues: dict[date, str] = {}
    for item in items:
        state = item.state
        status = state.status
        closed = status in CLOSED
        due = state.due
        overdue = not closed and due is not None and due < as_of  # as State.overdue
        owner = state.owner
        if due is None:
            whens.append("")
        elif overdue:
            whens.append(late.get(due) or late.setdefault(due, f"{due} (overdue {(as_of - due).days}d)"))
        else:
            whens.append(dues.get(due) or dues.setdefault(due, str(due)))
        whos.append(owners[owner] if owner in owners else owners.setdefault(owner, tidy(owner)))
        ids.append(item.rec.id)
        statuses.append(status)
        responses.append(state.response or "")
        texts.append(item.rec.text)
        styles.append("red" if overdue else ("dim" if closed else None))
    texts = formats.tidy_cells(texts, tidy)  # a block at a time: texts seldom repeat
    columns = [ids, statuses, responses, whens, whos, texts]
    if fmt == "markdown":  # as formats.table makes markdown of these cells: `cell` of each
        seen: dict[str, str] = {}
        columns = [[seen[v] if v in seen else seen.setdefault(v, cell(v)) for v in column] for column in columns[:-1]]
        columns.append(formats.tidy_cells(texts, cell))
    formats.write_cells(LIST_COLUMNS, columns, fmt, styles=styles, out=out)


COLUMN_ALIASES = {"age": "age_days", "moves": "due_moves", "closed": "closed_on", "by": "issued_by"}
# Columns of the action plan, only for --columns: actions is "done/total" ("" with no plan),
# ready says whether every action is done while the recommendation is open.
PLAN_COLUMNS = ["actions", "actions_done", "actions_total", "actions_overdue", "ready"]


def plan_columns(item: Any, as_of: date) -> dict[str, Any]:
    from track.domain import actions

    states = actions.plan_at(item.rec, as_of)
    done, total = actions.counts(states)
    return {"actions": f"{done}/{total}" if total else "", "actions_done": done, "actions_total": total,
            "actions_overdue": sum(1 for s in states if s.overdue(as_of)), "ready": actions.ready(states, item.state.status)}


def chosen_columns(text: str, declared: Any = None) -> list[str]:
    """`list --columns`: the fields named, in order (aliases such as age for age_days; the
    ledger's own fields by key or label); a bad name is refused, naming those there are."""
    from track.domain.errors import BadValue

    own = {name: name for name in declared or {}}
    own.update({field.label.casefold(): name for name, field in (declared or {}).items()})
    names = [COLUMN_ALIASES.get(n.strip().lower(), own.get(n.strip().casefold(), n.strip().lower()))
             for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in RECORD_FIELDS and n not in PLAN_COLUMNS and n not in own]
    if not names or unknown:
        raise BadValue(f"--columns: {'unknown column ' + repr(unknown[0]) if unknown else 'no column named'}; "
                       f"use any of {', '.join([*RECORD_FIELDS, *PLAN_COLUMNS, *(declared or {})])} (or age, moves)")
    return list(dict.fromkeys(names))


def chosen_records(items: list[Any], names: list[str], fmt: str, as_of: date, out: TextIO | None = None,
                   declared: Any = None) -> None:
    """`list --columns`: these fields of each record, in every format (the tables' text column
    wraps); the ledger's own fields by their key (json, csv) or label (the tables)."""
    from track.domain.fields import shown as field_text
    from track.domain.query import record

    declared = declared or {}
    rows = [record(item, as_of, declared) for item in items]
    for r in rows:
        r.update(r.pop("fields", {}))
    if any(n in PLAN_COLUMNS for n in names):
        for row, item in zip(rows, items):
            row.update(plan_columns(item, as_of))
    if fmt in ("json", "csv"):
        formats.table([], rows, fmt, fields=names, out=out)
        return
    shown = [{n: (_due_text(r, as_of) if n == "due" else cell(field_text(r[n]) if n in declared else r[n])) for n in names}
             for r in rows]
    columns = table_columns(names, shown, declared)
    styles = ["red" if r["overdue"] else ("dim" if r["closed"] else None) for r in rows]
    formats.table(columns, shown, fmt, styles=styles, out=out)


# --columns in the tables: the columns whose values are words of a person's (never laid out
# `plain`); every other one holds ids, statuses, dates, numbers, counts or choices, which never wrap.
FREE_TEXT = {"text", "owner", "tags", "subject", "issued_by", "last_note", "related", "evidence"}
RIGHT = {"age_days", "due_moves", "days_overdue", "actions", "actions_done", "actions_total", "actions_overdue"}
HEADERS = {"actions_done": "DONE", "actions_total": "TOTAL", "actions_overdue": "LATE"}  # short: they never wrap


def table_columns(names: list[str], shown: list[dict[str, str]], declared: Any = None) -> list[Column]:
    """The Columns of `list --columns` on a terminal, laid out as `list`'s own: ids, statuses,
    dates, numbers and choices `plain` (never wrapped); the text (else the widest column of free
    text) `wide`, wrapped at words; when the row does not fit, the others moved below the text
    (without one, left out, which the table says): first those empty in every row, then free
    text, then the rest from the last named, the status last; the id (or the first column) never."""
    declared = declared or {}
    free = [n for n in names if n in FREE_TEXT or (n in declared and declared[n].type == "text")]
    widest = {n: max((len(r[n]) for r in shown), default=0) for n in names}
    wide = "text" if "text" in names else (max(free, key=widest.__getitem__) if free and any(widest[n] for n in free) else None)
    kept = "id" if "id" in names else names[0]
    movable = [n for n in reversed(names) if n not in (kept, wide, "status")]
    order = sorted(movable, key=lambda n: (0 if not widest[n] else (1 if n in free else 2)))
    if "status" in names and "status" != kept:
        order.append("status")
    rank = {n: i for i, n in enumerate(order, 1)}
    return [Column(n, declared[n].label if n in declared else HEADERS.get(n, n.upper().replace("_", "-")),
                   right=n in RIGHT or (n in declared and declared[n].type == "number"),
                   wide=n == wide, plain=n not in free,
                   stack=rank.get(n, 0) if wide else 0, drop=0 if wide else rank.get(n, 0),
                   keep=n == "status" and wide is not None)
            for n in names]


def changes_text(event: dict[str, Any]) -> str:
    parts = []
    for key, label in (("status", "status"), ("response", "response"), ("due", "due"), ("owner", "owner"),
                       ("superseded_by", "superseded by"), ("duplicate_of", "duplicate of"), ("related", "related to")):
        if event.get(key) not in (None, []):
            was = (event.get("before") or {}).get(key)
            parts.append(f"{label} " + (f"{cell(was)} → " if was is not None else "") + cell(event[key])
                         + (f" ({event['basis']})" if key == "status" and event.get("basis") else ""))
    text = "; ".join(parts)
    if event.get("reason"):
        text += f" (reason: {one_line(event['reason'])})"
    if event.get("status_after") and not event.get("status") and event.get("response"):
        text += f": now {event['status_after']}"
    return text


def detail(data: dict[str, Any], fmt: str, as_of: date, width: int = 100, out: TextIO | None = None,
           labels: dict[str, str] | None = None) -> None:
    """`show`; `labels` names the ledger's own fields (track.toml [fields]) as their label says."""
    if fmt == "json":
        formats.write(formats.to_json(data), out)
        return
    if fmt == "csv":
        rows = [dict(e, id=data["id"], **({"amended": amended_cell(e["amended"])} if "amended" in e else {})) for e in data["events"]]
        formats.write(formats.csv_text(rows, EVENT_FIELDS), out)
        return
    if data.get("fields"):
        from track.domain.fields import shown

        data = dict(data, own_fields=[((labels or {}).get(k, k), one_line(shown(v))) for k, v in data["fields"].items()
                                      if v is not None])
    if fmt == "markdown":
        formats.write(_detail_markdown(data, as_of), out)
        return
    if fmt == "table":
        formats.write(_detail_terminal(data, as_of, width, formats.use_color()), out)
        return
    formats.write("".join(text + "\n" for text, _ in _detail_lines(data, as_of, width)), out)


def _fields(data: dict[str, Any], as_of: date) -> list[tuple[str, str]]:
    out = [
        ("report", f"{data['report']}: {one_line(data['report_title'])} (published {data['issued']})"),
        ("kind", data["kind"]),
        ("status", status_text(data["status"], data.get("basis")) + (" (closed)" if data["closed"] else "")),
    ]
    if data["status"] != "awaiting-response":
        out.append(("basis", BASIS_MEANING.get(data.get("basis") or "", "not stated")))
    out += [
        ("response", data["response"] or "none yet"),
        ("due", _due_text(data, as_of) or "none set"),
        ("owner", cell(data["owner"]) or "none"),
    ]
    if data.get("due_moves"):
        out.append(("due moved", f"{data['due_moves']} time{'s' if data['due_moves'] != 1 else ''} since first due "
                                 f"{data['original_due']}"))
    if "age_days" in data:
        out.append(("age", f"{data['age_days']:,} days " + (f"from issue to closing ({data['closed_on']})" if data.get("closed_on")
                                                             else "since issue, open")))
    if data.get("actions_total"):
        out.append(("actions", actions_summary(data)))
    for key in ("priority", "tags", "answers", "supersedes", "superseded_by", "duplicate_of", "duplicated_by", "related",
                "related_by", "evidence"):
        if data.get(key):
            value = cell(data[key])
            shared = data.get("shares_progress_of")
            if key == "duplicate_of" and shared:
                value += f" (counted there, not here: it shares that one's progress, {shared['status']})"
            out.append((key.replace("_", " "), value))
    out.extend(data.get("own_fields", ()))
    return out


def actions_summary(data: dict[str, Any]) -> str:
    """"2 of 3 done", and when all are done while it is open, that it is ready to be reported complete."""
    text = f"{data['actions_done']} of {data['actions_total']} done"
    return text + (": all done, ready to be reported complete" if data.get("ready_to_report_complete") else "")


def action_lines(data: dict[str, Any], width: int) -> list[tuple[str, str | None]]:
    """The action plan under `show`: each action's number, state, lead and due date, its text
    and its events, wrapped to the width."""
    from track.domain.actions import event_text

    if not data.get("actions"):
        return []
    lines: list[tuple[str, str | None]] = [("", None), (f"Action plan ({actions_summary(data)})", "bold")]
    indent = " " * 6
    for a in data["actions"]:
        state = a["state"] + (f" {a['done_on']}" if a["done"] else "") + (f" {a['days_overdue']}d" if a["days_overdue"] else "")
        style = {"done": "green", "overdue": "red"}.get(a["state"])
        lines.append((f"  #{a['n']:<3}{state}  {cell(a['owner']) or 'no lead'}, due {a['due']}", style))
        for para in escape(a["text"]).splitlines() or [""]:
            lines.extend((line, None) for line in textwrap.wrap(para, width, initial_indent=indent, subsequent_indent=indent))
        for event in a["events"]:
            head = f"{indent}{event['date']}  {one_line(event_text(event))}"  # a lead or reason as one line, escaped
            if event.get("source"):
                head += f"  [source: {one_line(event['source'])}]"
            lines.append((head, "dim"))
            for para in escape(event.get("note") or "").splitlines():
                lines.extend((line, "dim") for line in textwrap.wrap(para, width, initial_indent=indent + "  ", subsequent_indent=indent + "  "))
    return lines


def change_cell(event: dict[str, Any]) -> str:
    """What an event changed (changes_text), or what it amended; for history's own rows, "issued"
    or "report published"."""
    if event.get("event"):
        if event["event"].startswith("action"):  # an action's row in history: what it changed
            said = [event["event"].replace("-", " ")]
            was = event.get("before") or {}  # what a moved due date or lead held until then
            if event.get("due") is not None:
                said.append("due " + (f"{was['due']} → " if was.get("due") is not None else "") + f"{event['due']}"
                            + (f" (reason: {one_line(event['reason'])})" if event.get("reason") else ""))
            if event.get("owner") is not None:
                said.append("lead " + (f"{cell(was['owner'])} → " if was.get("owner") is not None else "")
                            + cell(event["owner"]))
            return "; ".join(said)
        return {"published": "report published"}.get(event["event"], event["event"])
    return amendment_text(event) if event.get("amended") else changes_text(event)


def amended_cell(amended: dict[str, Any]) -> str:
    """An amendment's old and new values in one cell (CSV): "text: 'old' → 'new'; ..."."""
    parts = []
    for key, v in amended.items():
        if key == "event":
            old, new = v["old"] or {}, v["new"]
            parts.append(f"event of {old.get('date')}: " + ("dropped" if new is None else ", ".join(
                f"{k} {_value(old.get(k))} → {_value(new.get(k))}" for k in dict.fromkeys([*old, *new])
                if k not in ("recorded", "recorded_by") and old.get(k) != new.get(k))))
        else:
            parts.append(f"{key}: {_value(v['old'])} → {_value(v['new'])}")
    return "; ".join(parts)


def event_head(event: dict[str, Any]) -> str:
    """An event's first line in a timeline: its number, then what it changed or amended."""
    what = change_cell(event)
    return f"#{event['number']}" + (" " + what if what else "") if event.get("number") else what


def amendment_values(event: dict[str, Any]) -> list[str]:
    """The long values an amendment replaced, as paragraphs under its first line: "was: ...", "now: ..."."""
    out = []
    for key, v in (event.get("amended") or {}).items():
        if key != "event" and _long(v["old"], v["new"]):
            out += [f"{key} was: {escape(v['old'] or '(none)')}", f"{key} now: {escape(v['new'] or '(none)')}"]
    return out


def _long(*values: Any) -> bool:
    return any(isinstance(v, str) and (len(v) > 40 or "\n" in v) for v in values)


def entered_text(event: dict[str, Any]) -> str:
    """When and by whom an event was entered, where the record says."""
    when, who = event.get("recorded"), event.get("recorded_by")
    if when is None and not who:
        return ""
    return "entered" + (f" {when}" if when is not None and when != event.get("date") else "") + (f" by {one_line(who)}" if who else "")


def amendment_text(event: dict[str, Any]) -> str:
    amended = event["amended"]
    if "event" in amended:
        old, new = amended["event"]["old"] or {}, amended["event"]["new"]
        if new is None:
            text = f"dropped the event of {old.get('date')} ({_event_summary(old)})"
        else:
            keys = [k for k in dict.fromkeys([*old, *new]) if k not in ("recorded", "recorded_by") and old.get(k) != new.get(k)]
            text = f"corrected the event of {old.get('date')}: " + ", ".join(f"{k} {_value(old.get(k))} → {_value(new.get(k))}" for k in keys)
    else:
        text = "amended " + "; ".join(k if _long(v["old"], v["new"]) else f"{k} {_value(v['old'])} → {_value(v['new'])}"
                                      for k, v in amended.items())
    return text + (f" (reason: {one_line(event['reason'])})" if event.get("reason") else "")


def _event_summary(table: dict[str, Any]) -> str:
    return ", ".join(f"{k} {_short(_value(v))}" for k, v in table.items() if k not in ("date", "recorded", "recorded_by")) or "nothing"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    text = one_line(str(value))
    return repr(text) if " " in text else text


def _detail_lines(data: dict[str, Any], as_of: date, width: int) -> list[tuple[str, str | None]]:
    lines: list[tuple[str, str | None]] = [(f"{data['id']}  {status_text(data['status'], data.get('basis'))}", "bold")]
    for para in escape(data["text"]).splitlines() or [""]:
        lines.extend((line, None) for line in textwrap.wrap(para, width - 2, initial_indent="  ", subsequent_indent="  ") or [""])
    lines.append(("", None))
    for label, value in _fields(data, as_of):
        style = "red" if label == "due" and data.get("overdue") else None
        lines.append((f"  {label:<14}{value}", style))
    lines.append(("", None))
    lines.append((f"History (as of {as_of})", "bold"))
    lines.append((f"  {data['issued']}  issued: awaiting-response", "dim"))
    for event in data["events"]:
        head = event_head(event)
        if event.get("source"):
            head += ("  " if head else "") + f"[source: {one_line(event['source'])}]"
        lines.append((f"  {event['date']}  {head}".rstrip(), formats.STATUS_STYLE.get(event.get("status") or "", None)))
        indent = " " * 14
        for para in [*amendment_values(event), *escape(event.get("note") or "").splitlines()]:
            lines.extend((line, None) for line in textwrap.wrap(para, width, initial_indent=indent, subsequent_indent=indent))
        for link in event.get("evidence") or []:
            lines.append((f"{indent}evidence: {one_line(link)}", "dim"))
        if event.get("source_url"):
            lines.append((f"{indent}source: {one_line(event['source_url'])}", "dim"))
        if entered_text(event):
            lines.append((f"{indent}{entered_text(event)}", "dim"))
    lines.extend(action_lines(data, width))
    return lines


def _detail_terminal(data: dict[str, Any], as_of: date, width: int, color: bool) -> str:
    """`show` on a terminal, drawn by rich: the id and status, the text, the fields, and the
    history as a timeline, every paragraph wrapped at words to the width."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from track.views import tables

    console = tables.console(width, color)
    head = Text(f"{data['id']}  ", style="bold")
    head.append(status_text(data["status"], data.get("basis")), style=formats.STATUS_STYLE.get(data["status"]) or "")
    console.print(head)
    console.print(Padding(Text(escape(data["text"])), (0, 0, 0, 2)))
    console.print()
    _print_fields(console, [(label, Text(value, style="red" if label == "due" and data.get("overdue") else ""))
                            for label, value in _fields(data, as_of)])
    console.print()
    console.print(Text(f"History (as of {as_of})", style="bold"))
    timeline = Table.grid(padding=(0, 2))
    timeline.add_column(no_wrap=True)
    timeline.add_column(overflow="fold")
    timeline.add_row(str(data["issued"]), Text("issued: awaiting-response", style="dim"))
    for event in data["events"]:
        what = event_head(event)
        if event.get("source"):
            what += ("  " if what else "") + f"[source: {one_line(event['source'])}]"
        entry = Text(what, style=formats.STATUS_STYLE.get(event.get("status") or "") or "")
        for para in [*amendment_values(event), *escape(event.get("note") or "").splitlines()]:
            entry.append("\n" + para)
        for link in event.get("evidence") or []:
            entry.append(f"\nevidence: {one_line(link)}", style="dim")
        if event.get("source_url"):
            entry.append(f"\nsource: {one_line(event['source_url'])}", style="dim")
        if entered_text(event):
            entry.append(f"\n{entered_text(event)}", style="dim")
        timeline.add_row(str(event["date"]), entry)
    console.print(Padding(timeline, (0, 0, 0, 2)))
    for text, style in action_lines(data, width):
        console.print(Text(text, style=style or ""), overflow="fold")
    return console.file.getvalue()  # type: ignore[attr-defined]


def _print_fields(console: Any, fields: list[tuple[str, Any]]) -> None:
    """Fields as a grid indented two columns: the labels, then each value wrapped at words."""
    from rich.padding import Padding
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in fields:
        grid.add_row(label, value)
    console.print(Padding(grid, (0, 0, 0, 2)))


def _detail_markdown(data: dict[str, Any], as_of: date) -> str:
    # what a person wrote is escaped (formats.md): it can add no heading, field or HTML tag
    out = [f"### {md(data['id'])}: {data['status']}", "", md(data["text"]), ""]
    out.extend(f"- **{label}**: {md(str(value))}" for label, value in _fields(data, as_of))
    out += ["", f"**History** (as of {as_of})", "", f"- {data['issued']}: issued, awaiting-response"]
    for event in data["events"]:
        links = ", ".join(_md_address(link) for link in event.get("evidence") or [] if link)
        bits = [b for b in (md(event_head(event)), md(one_line(event.get("note"))),
                            f"source: {md(one_line(event['source']))}" if event.get("source") else "",
                            f"source report: {_md_address(event['source_url'])}" if event.get("source_url") else "",
                            f"evidence: {links}" if links else "") if b]
        out.append(f"- {event['date']}: " + " — ".join(bits))
    if data.get("actions"):
        out += ["", f"**Action plan** ({md(actions_summary(data))})", ""]
        for a in data["actions"]:
            state = a["state"] + (f" {a['done_on']}" if a["done"] else "")
            out.append(f"- #{a['n']} {state}: {md(one_line(a['text']))} — {md(a['owner'] or 'no lead')}, due {a['due']}")
    return "\n".join(out) + "\n"


def _md_address(text: str) -> str:
    """An address in markdown: a link when it is a web one (html.WEB), else its text, escaped."""
    from track.views.html import WEB

    return formats.md_link(one_line(text), text.strip()) if WEB.match(text.strip()) else md(one_line(text))


REPORT_COLUMNS = [
    Column("id", "ID"),
    Column("published", "PUBLISHED", stack=3),
    Column("by", "BY", stack=1),
    Column("kind", "KIND", stack=2),
    Column("recommendations", "RECS", right=True, stack=4),
    Column("open", "OPEN", right=True, stack=5),
    Column("title", "TITLE", wide=True),
]
REPORT_FIELDS = ["id", "title", "by", "subject", "kind", "published", "url", "follows", "note",
                 "response_within", "response_from", "revisit", "followup", "figures", "grades", "recommendations", "open"]


def report_fields(report: Report, counts: tuple[int, int]) -> dict[str, Any]:
    followup = None
    if report.followup:
        followup = {"every": str(report.followup.every), "from": report.followup.start, "until": report.followup.until}
    return {
        "id": report.id,
        "title": report.title,
        "by": report.by,
        "subject": report.subject,
        "kind": report.kind,
        "published": report.published,
        "url": report.url,
        "follows": list(report.follows),
        "note": report.note,
        "response_within": str(report.response_within) if report.response_within else None,
        "response_from": report.response_from,
        "revisit": str(report.revisit) if report.revisit else None,
        "followup": followup,
        "figures": dict(report.figures),
        "grades": dict(report.grades),
        "recommendations": counts[0],
        "open": counts[1],
    }


def reports(rows: list[dict[str, Any]], fmt: str, out: TextIO | None = None) -> None:
    if fmt == "csv":
        flat = [dict(r, followup=_followup_text(r["followup"]), figures=_pairs(r["figures"]), grades=_pairs(r["grades"])) for r in rows]
        formats.table(REPORT_COLUMNS, flat, fmt, fields=REPORT_FIELDS, out=out)
    else:
        formats.table(REPORT_COLUMNS, rows, fmt, fields=REPORT_FIELDS if fmt == "json" else None, out=out)


def _pairs(mapping: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in mapping.items())


def _followup_text(followup: dict[str, Any] | None) -> str | None:
    if not followup:
        return None
    text = f"every {followup['every']}"
    if followup.get("from"):
        text += f" from {followup['from']}"
    if followup.get("until"):
        text += f" until {followup['until']}"
    return text


def report_detail(data: dict[str, Any], recs: list[dict[str, Any]], followups: list[str], fmt: str, as_of: date,
                  out: TextIO | None = None) -> None:
    if fmt == "json":
        formats.write(formats.to_json(dict(data, followed_by=followups, items=recs)), out)
        return
    if fmt == "csv":
        formats.table(LIST_COLUMNS, recs, fmt, fields=RECORD_FIELDS, out=out)
        return
    fields = [("title", one_line(data["title"])), ("by", one_line(data["by"])), ("subject", one_line(data["subject"])),
              ("kind", data["kind"]), ("published", str(data["published"]))]
    for key in ("url", "note"):
        if data.get(key):
            fields.append((key, one_line(data[key])))
    if data["follows"]:
        fields.append(("follows", cell(data["follows"])))
    if followups:
        fields.append(("followed by", ", ".join(followups)))
    if data["response_within"]:
        fields.append(("response", f"within {data['response_within']} of publication"
                       + (f", from {one_line(data['response_from'])}" if data.get("response_from") else "")))
    if data["followup"]:
        fields.append(("follow-ups", _followup_text(data["followup"]) or ""))
    if data["revisit"]:
        fields.append(("revisit", f"by {data['revisit']}" if data["revisit"][0].isdigit() and "-" in data["revisit"] else f"within {data['revisit']}"))
    for key, value in data["figures"].items():
        fields.append((f"figure", f"{one_line(key)}: {value}"))
    for key, value in data["grades"].items():
        fields.append((f"grade", f"{one_line(key)}: {value}"))
    shown = [dict(r, due=_due_text(r, as_of)) for r in recs]
    if fmt == "markdown":
        text = f"## {data['id']}\n\n" + "".join(f"- **{k}**: {v}\n" for k, v in fields) + "\n"
        formats.write(text + (formats.markdown_table(LIST_COLUMNS, shown) if recs else "No recommendations.\n"), out)
        return
    width = max(len(k) for k, _ in fields) + 2
    head = f"{data['id']}\n" + "".join(f"  {k:<{width}}{v}\n" for k, v in fields) + "\n"
    if fmt == "table":
        from rich.text import Text

        from track.views import tables

        console = tables.console(formats.terminal_width(), formats.use_color())
        console.print(Text(data["id"], style="bold"))
        _print_fields(console, [(k, Text(v)) for k, v in fields])
        console.print()
        formats.write(console.file.getvalue(), out)  # type: ignore[attr-defined]
        if recs:
            formats.table(LIST_COLUMNS, shown, fmt, out=out)
        else:
            formats.write("No recommendations.\n", out)
    else:
        formats.write(head + (formats.plain_table(LIST_COLUMNS, shown) if recs else "No recommendations.\n"), out)


PROBLEM_COLUMNS = [Column("where", "WHERE"), Column("problem", "PROBLEM", wide=True)]
_WHERE = re.compile(r"(\S+?:(?:\d+:)?) (.*)", re.DOTALL)


def problems(items: list[Any], out: TextIO | None = None) -> None:
    """check's problems, one a line ("file:line: what is wrong"); on a terminal a table of
    where and what, drawn by rich, the problems wrapped at words."""
    lines = [escape(str(p)) for p in items]
    if not formats.is_terminal(out or sys.stdout):
        formats.write("".join(line + "\n" for line in lines), out)
        return
    found = [_WHERE.fullmatch(line) for line in lines]
    by_column = [[m.group(1) if m else "" for m in found], [m.group(2) if m else line for m, line in zip(found, lines)]]
    for text in formats.terminal_table(PROBLEM_COLUMNS, by_column, formats.terminal_width(), formats.use_color()):
        formats.write(text, out)


# `list` as JSON and CSV: `query.record` of each item as formats.write_json and formats.table
# write it, made straight as text (a national register lists a hundred thousand records of 25
# fields; a dictionary a record and a type test a value took seconds). The records are made a
# field at a time, each field's values converted by a C loop (map, a memo of the texts of
# values that repeat), a block of records at a time. tests/test_fast_output.py
# holds these to the straightforward definition.

_RECORDS_A_BLOCK = 4096


def _record_blocks(items: list[Any], as_of: date, glue: list[str], scalar: Any, many: Any, unique: Any,
                   flag: tuple[str, str]) -> Iterator[str]:
    """Each item's record written glue[0], its first value, glue[1], ... its last value,
    glue[-1], a block of items at a time as one text; its values converted: `scalar` for a
    value that repeats (str, None or date), `many` for a list (as a tuple), `unique` for the
    texts met once (id, text, last note), given all of a block's values of one field as a list
    and giving back their texts; `flag` is (false, true). A block's text is laid out as a list
    of its pieces (the glue, then each field's values put in by slice) and joined once: a
    %-format a record of 25 fields took seconds."""
    from operator import attrgetter

    one = Memo(scalar).__getitem__
    group = Memo(many).__getitem__
    days = Memo(lambda due: str((as_of - due).days)).__getitem__
    by_report: dict[int, tuple[str, str, str]] = {}
    no, yes = flag

    def field(values: Any, convert: Any = one) -> list[str]:
        return list(map(convert, values))

    def lists(of: list[Any], name: str) -> list[str]:
        return field(map(tuple, map(attrgetter(name), of)), group)

    template = [text for part in glue for text in (part, "")][:-1]  # a record's texts, "" where its values go
    for start in range(0, len(items), _RECORDS_A_BLOCK):
        block = items[start:start + _RECORDS_A_BLOCK]
        recs = list(map(attrgetter("rec"), block))
        states = list(map(attrgetter("state"), block))
        statuses = list(map(attrgetter("status"), states))
        dues = list(map(attrgetter("due"), states))
        closed = [status in CLOSED for status in statuses]
        slips = [slippage(r, as_of) if s.events else (r.due, 0, None) for r, s in zip(recs, states)]
        late = [not shut and due is not None and due < as_of for shut, due in zip(closed, dues)]
        issued = []
        for report in map(attrgetter("report"), block):
            known = by_report.get(id(report))
            if known is None:
                known = by_report[id(report)] = (one(report.published), one(report.subject), one(report.by))
            issued.append(known)
        fields = [
            unique(list(map(attrgetter("id"), recs))),
            field(map(attrgetter("report"), recs)),
            field(map(attrgetter("ref"), recs)),
            field(map(attrgetter("kind"), recs)),
            unique(list(map(attrgetter("text"), recs))),
            field(map(attrgetter("answers"), recs)),
            field(map(attrgetter("owner"), states)),
            lists(recs, "tags"),
            field(map(attrgetter("priority"), recs)),
            field(statuses),
            field(map(attrgetter("basis"), states)),
            field(map(attrgetter("response"), states)),
            field(dues),
            [yes if x else no for x in late],
            [days(due) if x else "0" for x, due in zip(late, dues)],
            [yes if x else no for x in closed],
            [i[0] for i in issued],
            [i[1] for i in issued],
            [i[2] for i in issued],
            field(map(attrgetter("last_event"), states)),
            unique(list(map(attrgetter("last_note"), states))),
            field(map(attrgetter("superseded_by"), states)),
            field(map(attrgetter("duplicate_of"), states)),
            lists(states, "related"),
            lists(recs, "evidence"),
            field(map(attrgetter("entered"), recs)),
            field([s[2] for s in slips]),
            [str(((s[2] or as_of) - report.published).days) for s, report in zip(slips, map(attrgetter("report"), block))],
            field([s[0] for s in slips]),
            [str(s[1]) for s in slips],
        ]
        yield formats.laid_out(template, list(zip(range(1, len(template), 2), fields)), len(block))


def _records_json(items: list[Any], as_of: date, out: TextIO | None) -> None:
    quote = formats.quote
    inner = "\n    "

    def scalar(v: Any) -> str:
        return "null" if v is None else (quote(v) if v.__class__ is str else f'"{v.isoformat()}"')

    def many(v: tuple[str, ...]) -> str:
        return "[" + inner + "  " + ("," + inner + "  ").join(map(quote, v)) + inner + "]" if v else "[]"

    unique = formats.json_strings
    keys = [quote(k) + ": " for k in RECORD_FIELDS]
    glue = [",\n  {" + inner + keys[0], *("," + inner + k for k in keys[1:]), "\n  }"]  # each record after ",\n  "
    first = True
    for block in _record_blocks(items, as_of, glue, scalar, many, unique, ("false", "true")):
        formats.write(formats.json_safe("[\n  " + block[4:] if first else block), out)  # the first without ",\n  "
        first = False
    formats.write("[]\n" if first else "\n]\n", out)


def _records_csv(items: list[Any], as_of: date, out: TextIO | None) -> None:
    """As csv.writer (its default dialect, lines ended by \\n) writes the cells formats.csv_cell
    makes (formats.csv_field)."""
    clean = formats.csv_cell
    quoted = formats.csv_field

    def scalar(v: Any) -> str:
        return "" if v is None else (quoted(clean(v)) if v.__class__ is str else v.isoformat())

    def many(v: tuple[str, ...]) -> str:
        return quoted("; ".join(map(clean, v)))

    unique = formats.csv_fields

    formats.write(",".join(map(quoted, RECORD_FIELDS)) + "\n", out)
    glue = ["", *[","] * (len(RECORD_FIELDS) - 1), "\n"]
    for block in _record_blocks(items, as_of, glue, scalar, many, unique, ("false", "true")):
        formats.write(block, out)
