"""What each command shows: the columns of a list, the layout of a record and its timeline,
the reports. Built on render's primitives, so every format stays in one place."""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any, TextIO

from . import render
from .model import CLOSED, Report
from .render import Column, cell, escape, one_line

LIST_COLUMNS = [
    Column("id", "ID", plain=True),
    Column("status", "STATUS", plain=True),
    Column("response", "RESPONSE", plain=True),
    Column("due", "DUE", plain=True),
    Column("owner", "OWNER"),
    Column("text", "TEXT", wide=True),
]
RECORD_FIELDS = [
    "id", "report", "ref", "kind", "text", "answers", "owner", "tags", "priority", "status",
    "response", "due", "overdue", "days_overdue", "closed", "issued", "subject", "issued_by",
    "last_event", "last_note", "superseded_by", "duplicate_of", "related", "evidence", "entered",
]
EVENT_FIELDS = ["id", "date", "status", "response", "due", "reason", "owner", "superseded_by",
                "duplicate_of", "related", "note", "source", "evidence"]


def _due_text(row: dict[str, Any], as_of: date) -> str:
    due = row.get("due")
    if due is None:
        return ""
    if row.get("overdue"):
        return f"{due} (overdue {row['days_overdue']}d)"
    return str(due)


def records(items: list[Any], fmt: str, as_of: date, out: TextIO | None = None) -> None:
    """`list`: json and csv carry every documented field; the tables carry six columns."""
    from .query import record

    if fmt == "json":  # written as made: record's fields are RECORD_FIELDS, in that order
        render.write_json((record(i, as_of) for i in items), out)
        return
    if fmt == "csv":
        render.table(LIST_COLUMNS, [record(i, as_of) for i in items], fmt, fields=RECORD_FIELDS, out=out)
        return
    ids: list[str] = []  # the table a column at a time
    statuses: list[str] = []
    responses: list[str] = []
    whens: list[str] = []
    whos: list[str] = []
    texts: list[str] = []
    styles: list[str | None] = []
    tidy = render.cell_text
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
        texts.append(tidy(item.rec.text))
        styles.append("red" if overdue else ("dim" if closed else None))
    columns = [ids, statuses, responses, whens, whos, texts]
    if fmt == "markdown":
        render.table(LIST_COLUMNS, [dict(zip((c.key for c in LIST_COLUMNS), row)) for row in zip(*columns)], fmt, out=out)
    else:
        render.write_cells(LIST_COLUMNS, columns, fmt, styles=styles, out=out)


def _changes_text(event: dict[str, Any]) -> str:
    parts = []
    for key, label in (("status", "status"), ("response", "response"), ("due", "due"), ("owner", "owner"),
                       ("superseded_by", "superseded by"), ("duplicate_of", "duplicate of"), ("related", "related to")):
        if event.get(key) not in (None, []):
            parts.append(f"{label} {cell(event[key])}")
    text = "; ".join(parts)
    if event.get("reason"):
        text += f" (reason: {one_line(event['reason'])})"
    if event.get("status_after") and not event.get("status") and event.get("response"):
        text += f": now {event['status_after']}"
    return text


def detail(data: dict[str, Any], fmt: str, as_of: date, width: int = 100, out: TextIO | None = None) -> None:
    if fmt == "json":
        render.write(render.to_json(data), out)
        return
    if fmt == "csv":
        rows = [dict(e, id=data["id"]) for e in data["events"]]
        render.write(render.csv_text(rows, EVENT_FIELDS), out)
        return
    if fmt == "markdown":
        render.write(_detail_markdown(data, as_of), out)
        return
    lines = _detail_lines(data, as_of, width)
    if fmt == "table" and render.use_color():
        render.write("".join(render.paint(text, style) + "\n" for text, style in lines), out)
    else:
        render.write("".join(text + "\n" for text, _ in lines), out)


def _fields(data: dict[str, Any], as_of: date) -> list[tuple[str, str]]:
    out = [
        ("report", f"{data['report']}: {one_line(data['report_title'])} (published {data['issued']})"),
        ("kind", data["kind"]),
        ("status", data["status"] + (" (closed)" if data["closed"] else "")),
        ("response", data["response"] or "none yet"),
        ("due", _due_text(data, as_of) or "none set"),
        ("owner", cell(data["owner"]) or "none"),
    ]
    for key in ("priority", "tags", "answers", "superseded_by", "duplicate_of", "related", "evidence"):
        if data.get(key):
            out.append((key.replace("_", " "), cell(data[key])))
    return out


def _detail_lines(data: dict[str, Any], as_of: date, width: int) -> list[tuple[str, str | None]]:
    lines: list[tuple[str, str | None]] = [(f"{data['id']}  {data['status']}", "bold")]
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
        head = _changes_text(event)
        if event.get("source"):
            head += ("  " if head else "") + f"[source: {one_line(event['source'])}]"
        lines.append((f"  {event['date']}  {head}".rstrip(), render.STATUS_STYLE.get(event.get("status") or "", None)))
        indent = " " * 14
        for para in escape(event.get("note") or "").splitlines():
            lines.extend((line, None) for line in textwrap.wrap(para, width, initial_indent=indent, subsequent_indent=indent))
        for link in event.get("evidence") or []:
            lines.append((f"{indent}evidence: {one_line(link)}", "dim"))
    return lines


def _detail_markdown(data: dict[str, Any], as_of: date) -> str:
    out = [f"### {data['id']}: {data['status']}", "", escape(data["text"]), ""]
    out.extend(f"- **{label}**: {value}" for label, value in _fields(data, as_of))
    out += ["", f"**History** (as of {as_of})", "", f"- {data['issued']}: issued, awaiting-response"]
    for event in data["events"]:
        bits = [b for b in (_changes_text(event), one_line(event.get("note")),
                            f"source: {one_line(event['source'])}" if event.get("source") else "") if b]
        out.append(f"- {event['date']}: " + " — ".join(bits))
    return "\n".join(out) + "\n"


REPORT_COLUMNS = [
    Column("id", "ID"),
    Column("published", "PUBLISHED"),
    Column("by", "BY"),
    Column("kind", "KIND"),
    Column("recommendations", "RECS", right=True),
    Column("open", "OPEN", right=True),
    Column("title", "TITLE", wide=True),
]
REPORT_FIELDS = ["id", "title", "by", "subject", "kind", "published", "url", "follows", "note",
                 "response_within", "revisit", "followup", "figures", "grades", "recommendations", "open"]


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
        render.table(REPORT_COLUMNS, flat, fmt, fields=REPORT_FIELDS, out=out)
    else:
        render.table(REPORT_COLUMNS, rows, fmt, fields=REPORT_FIELDS if fmt == "json" else None, out=out)


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
        render.write(render.to_json(dict(data, followed_by=followups, items=recs)), out)
        return
    if fmt == "csv":
        render.table(LIST_COLUMNS, recs, fmt, fields=RECORD_FIELDS, out=out)
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
        fields.append(("response", f"within {data['response_within']} of publication"))
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
        render.write(text + (render.markdown_table(LIST_COLUMNS, shown) if recs else "No recommendations.\n"), out)
        return
    width = max(len(k) for k, _ in fields) + 2
    head = f"{data['id']}\n" + "".join(f"  {k:<{width}}{v}\n" for k, v in fields) + "\n"
    if fmt == "table" and recs:
        render.write(head, out)
        render.table(LIST_COLUMNS, shown, fmt, out=out)
    else:
        render.write(head + (render.plain_table(LIST_COLUMNS, shown) if recs else "No recommendations.\n"), out)


def problems(items: list[Any], out: TextIO | None = None) -> None:
    render.write("".join(escape(str(p)) + "\n" for p in items), out)
