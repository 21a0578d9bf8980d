"""What `track report` and `track history` show, in every format: table (a terminal: colour
and a progress bar per group, drawn with render's fast painter, since rich takes seconds on
thousands of rows), plain, json, csv, markdown and html (one self-contained page: inline CSS
and an inline SVG chart, no scripts, nothing fetched).

Every format of `report` is built from the same dictionaries (`progress_data`, `grades_data`),
so every number agrees across them; `history` writes each format straight from its packed
events (see history_view), held by tests/test_fast_history.py to one dictionary an event.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from html import escape as html_escape
from itertools import compress
from operator import getitem, itemgetter, not_
from json.encoder import encode_basestring as _quote  # as json.dumps(ensure_ascii=False) quotes a string

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from track.domain.record import Memo
from track.views import formats
from track.domain.model import STATUSES
from track.domain.progress import GradeTable, History, Progress, percent
from track.views.formats import Column, cell, escape, one_line

FORMATS = (*formats.FORMATS, "html")

SHORT = {
    "awaiting-response": "awaiting",
    "not-started": "not-started",
    "in-progress": "in-progress",
    "partially-implemented": "partial",
    "reported-complete": "reported",
    "implemented": "implemented",
    "not-implemented": "not-impl",
    "superseded": "superseded",
    "withdrawn": "withdrawn",
}
COLOUR = {
    "awaiting-response": "#8e44ad",
    "not-started": "#e67e22",
    "in-progress": "#f1c40f",
    "partially-implemented": "#5dade2",
    "reported-complete": "#1f618d",
    "implemented": "#1e8449",
    "not-implemented": "#c0392b",
    "superseded": "#95a5a6",
    "withdrawn": "#cdd3d6",
}
GRADE_COLOUR = {
    "outstanding": "#1e8449",
    "good": "#52be80",
    "adequate": "#f4d03f",
    "requires-improvement": "#e67e22",
    "inadequate": "#c0392b",
}
ARROW = {"improved": "▲", "declined": "▼", "unchanged": "=", "new": "new", "": ""}
# The fields of a progress row in CSV, after row/of/report/date; by_status follows as one column per status.
COUNT_FIELDS = ["key", "total", "open", "closed", "implemented", "share_closed", "share_implemented", "overdue",
                "due_soon", "awaiting_response", "response_overdue"]
GROUP_HEADER = {"status": "STATUS", "kind": "KIND", "owner": "OWNER", "tag": "TAG", "report": "REPORT",
                "subject": "SUBJECT", "response": "RESPONSE"}


def _plain_table(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    """render.plain_table, with the last real column aligned as it asks (plain_table leaves its
    last column unpadded, for free text): an empty last column takes that place."""
    return formats.plain_table([*columns, Column("", "")], rows)


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


# --------------------------------------------------------------------------- the data


def progress_data(p: Progress) -> dict[str, Any]:
    """The documented JSON of `track report` (fields in this order, stable):

    - as_of: the date (end of that day) everything is measured at.
    - ledger: {name, root}.
    - report: the report asked for, or null for the whole ledger; reports: the ids in scope
      (that report and every report that follows it, directly or not), published by as_of.
    - by: the grouping (status, kind, owner, tag, report, subject, response).
    - groups: one object per group (only groups with recommendations; a recommendation with
      several tags is in each tag's group; "(none)" for no owner, tag or response), and
      total: the same fields for everything in scope (key "all"). Fields: key, total,
      by_status {every status: count}, open, closed, implemented, share_closed and
      share_implemented (fractions to 4 places, null when total is 0), overdue, due_soon
      (open, due within 30 days from as_of, as_of included), awaiting_response (open, no
      response recorded), response_overdue (awaiting a response after the report's response
      clock ended).
    - trend: for each report in scope with follow-ups published by as_of, one point at its own
      publication and one at each follow-up's: of (the report counted), report (the report at
      whose publication), date, moved (how many changed status since the previous point), then
      the fields of a group (key left out) for that report's own recommendations on that date.
    - movement: for each recommendation of such a report: id, of, statuses (one per point of
      its trend, in order) and changes (how many times the status changed between points).
    """
    trend = []
    movement = []
    for t in p.trends:
        for point in t.points:
            trend.append({"of": t.of.id, "report": point.report.id, "date": point.date, "moved": point.moved,
                          **point.counts.fields()})
        for m in t.items:
            movement.append({"id": m.id, "of": m.of, "statuses": list(m.statuses), "changes": m.changes})
    for row in trend:  # `key` of a trend point is its report; say it once, as `report`
        row.pop("key")
    return {
        "as_of": p.as_of,
        "ledger": {"name": p.ledger_name, "root": p.ledger_root},
        "report": p.scope.id if p.scope else None,
        "reports": [r.id for r in p.reports],
        "by": p.by,
        "groups": [g.fields() for g in p.groups],
        "total": p.total.fields(),
        "trend": trend,
        "movement": movement,
    }


def _scope_text(p: Progress) -> str:
    if p.scope is None:
        n = len(p.reports)
        return f"all {n} report{'s' if n != 1 else ''}"
    others = len(p.reports) - 1
    subject = "" if p.scope.subject.casefold() in p.scope.title.casefold() else f"{one_line(p.scope.subject)}, "
    text = f"{p.scope.id}: {one_line(p.scope.title)} ({subject}published {p.scope.published})"
    if others:
        text += f", and the {others} report{'s' if others != 1 else ''} that follow it"
    return text


def _heading(p: Progress) -> str:
    return f"Progress report as of {p.as_of}, ledger {one_line(p.ledger_name)} ({one_line(p.ledger_root)})"


def headline(total: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, value, label) of the headline figures."""
    n = total["total"]
    return [
        ("total", str(n), "recommendations" if n != 1 else "recommendation"),
        ("open", str(total["open"]), "open"),
        ("closed", str(total["closed"]), f"closed ({_pct(percent(total['closed'], n)) or '-'})"),
        ("implemented", str(total["implemented"]), f"implemented ({_pct(percent(total['implemented'], n)) or '-'})"),
        ("overdue", str(total["overdue"]), "overdue"),
        ("due_soon", str(total["due_soon"]), "due within 30 days"),
        ("awaiting_response", str(total["awaiting_response"]), "awaiting a response"),
        ("response_overdue", str(total["response_overdue"]), "response overdue"),
    ]


def _headline_text(total: dict[str, Any]) -> str:
    return ", ".join(f"{value} {label}" for _, value, label in headline(total))


def _progress_columns(data: dict[str, Any]) -> list[Column]:
    """KEY, TOTAL, then (unless grouped by status) a column per status that any row has
    (implemented always), then the shares and the clocks."""
    cols = [Column("key", GROUP_HEADER[data["by"]]), Column("total", "TOTAL", right=True)]
    if data["by"] == "status":
        cols.append(Column("implemented", "IMPL", right=True))
    else:
        for s in STATUSES:
            if s == "implemented":
                cols.append(Column("implemented", "IMPL", right=True))
            elif data["total"]["by_status"][s]:
                cols.append(Column(f"s:{s}", SHORT[s].upper(), right=True))
    cols += [
        Column("closed", "CLOSED", right=True),
        Column("pct_closed", "CLOSED%", right=True),
        Column("pct_implemented", "IMPL%", right=True),
        Column("overdue", "OVERDUE", right=True),
        Column("due_soon", "DUE-30D", right=True),
        Column("awaiting_response", "RESP-AWAITED", right=True),
        Column("response_overdue", "RESP-OVERDUE", right=True),
    ]
    return cols


def _progress_row(fields: dict[str, Any], label: str | None = None) -> dict[str, Any]:
    row = dict(fields)
    if label is not None:
        row["key"] = label
    for s, n in fields["by_status"].items():
        row[f"s:{s}"] = n
    row["pct_closed"] = _pct(percent(fields["closed"], fields["total"]))
    row["pct_implemented"] = _pct(percent(fields["implemented"], fields["total"]))
    return row


def _progress_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [_progress_row(g) for g in data["groups"]] + [_progress_row(data["total"], "Total")]


def _trend_groups(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for point in data["trend"]:
        groups.setdefault(point["of"], []).append(point)
    return list(groups.items())


TREND_SUMMARY = [("total", "total"), ("closed", "closed"), ("pct_closed", "closed%"), ("pct_implemented", "implemented%"), ("overdue", "overdue"), ("due_soon", "due-30d"),
                 ("awaiting_response", "resp-awaited"), ("response_overdue", "resp-overdue"), ("moved", "moved since previous")]


def _trend_table(points: list[dict[str, Any]]) -> tuple[list[Column], list[dict[str, Any]]]:
    """Statuses down, checks across: one column per point, headed by its date."""
    cols = [Column("label", "STATUS")] + [Column(f"p{i}", str(p["date"]), right=True) for i, p in enumerate(points)]
    rows = []
    for s in STATUSES:
        if any(p["by_status"][s] for p in points):
            rows.append({"label": s, **{f"p{i}": p["by_status"][s] for i, p in enumerate(points)}})
    for key, label in TREND_SUMMARY:
        row: dict[str, Any] = {"label": label}
        for i, p in enumerate(points):
            if key == "pct_closed":
                row[f"p{i}"] = _pct(percent(p["closed"], p["total"]))
            elif key == "pct_implemented":
                row[f"p{i}"] = _pct(percent(p["implemented"], p["total"]))
            elif key == "moved" and i == 0:
                row[f"p{i}"] = ""
            else:
                row[f"p{i}"] = p[key]
        rows.append(row)
    return cols, rows


def _legend(points: list[dict[str, Any]], reports: dict[str, Any]) -> list[str]:
    out = []
    for i, p in enumerate(points):
        r = reports.get(p["report"])
        title = f": {one_line(r.title)}" if r is not None else ""
        out.append(f"{p['date']}  {p['report']}{title}" + ("  (publication)" if i == 0 else ""))
    return out


def _movement_table(data: dict[str, Any], of: str, points: list[dict[str, Any]]) -> tuple[list[Column], list[dict[str, Any]]]:
    cols = [Column("id", "ID")] + [Column(f"p{i}", str(p["date"])) for i, p in enumerate(points)]
    cols.append(Column("changes", "CHANGES", right=True))
    rows = []
    for m in data["movement"]:
        if m["of"] != of:
            continue
        row: dict[str, Any] = {"id": m["id"], "changes": m["changes"] or "never"}
        for i, s in enumerate(m["statuses"]):
            row[f"p{i}"] = SHORT[s]
        rows.append(row)
    return cols, rows


# --------------------------------------------------------------------------- progress report


def progress_report(p: Progress, fmt: str, out: TextIO | None = None) -> None:
    data = progress_data(p)
    if fmt == "json":
        formats.write(formats.to_json(data), out)
    elif fmt == "csv":
        formats.write(progress_csv(data), out)
    elif fmt == "markdown":
        formats.write(progress_markdown(p, data), out)
    elif fmt == "html":
        formats.write(progress_html(p, data), out)
    else:
        formats.write(progress_text(p, data, terminal=fmt == "table"), out)


def progress_csv(data: dict[str, Any]) -> str:
    """One row per group (row=group), the total (row=total) and each trend point (row=trend,
    with of/report/date/moved); the status counts follow as one column per status."""
    fields = ["row", "of", "report", "date", "moved", *COUNT_FIELDS, *STATUSES]
    rows = []
    for kind, items in (("group", data["groups"]), ("total", [data["total"]])):
        for g in items:
            rows.append({"row": kind, **g, **g["by_status"]})
    for point in data["trend"]:
        rows.append({"row": "trend", "key": point["report"], **point, **point["by_status"]})
    return formats.csv_text(rows, fields)


TREND_DETAIL_MAX = 5  # the whole ledger shows each trend in full up to this many reports with follow-ups


def _trend_in_full(p: Progress, data: dict[str, Any]) -> bool:
    return p.scope is not None or len(_trend_groups(data)) <= TREND_DETAIL_MAX


def _trend_summary(data: dict[str, Any]) -> tuple[list[Column], list[dict[str, Any]]]:
    """One line per report with follow-ups: where its recommendations stood at the latest check."""
    never: dict[str, int] = {}
    for m in data["movement"]:
        never[m["of"]] = never.get(m["of"], 0) + (m["changes"] == 0)
    cols = [Column("of", "REPORT"), Column("checks", "CHECKS", right=True), Column("latest", "LATEST-CHECK"),
            Column("total", "TOTAL", right=True), Column("closed", "CLOSED", right=True),
            Column("pct_closed", "CLOSED%", right=True), Column("pct_implemented", "IMPL%", right=True),
            Column("overdue", "OVERDUE", right=True), Column("moved", "MOVED", right=True),
            Column("never", "NEVER-MOVED", right=True)]
    rows = []
    for of, points in _trend_groups(data):
        last = points[-1]
        rows.append({"of": of, "checks": len(points) - 1, "latest": last["date"], "total": last["total"],
                     "closed": last["closed"], "pct_closed": _pct(percent(last["closed"], last["total"])),
                     "pct_implemented": _pct(percent(last["implemented"], last["total"])), "overdue": last["overdue"],
                     "moved": sum(pt["moved"] for pt in points), "never": never.get(of, 0)})
    return cols, rows


BAR_WIDTH = 20


def _bar(fields: dict[str, Any], color: bool, width: int = BAR_WIDTH) -> str:
    """A stacked bar of a group: implemented, closed otherwise, reported complete, then open."""
    total = fields["total"]
    if not total:
        return " " * width
    parts = [(fields["implemented"], "green", "█"), (fields["closed"] - fields["implemented"], "blue", "▓"),
             (fields["by_status"]["reported-complete"], "cyan", "▒")]
    out, used, drawn = [], 0, 0
    for n, style, char in parts:
        cells = round(width * (used + n) / total) - round(width * used / total)
        used += n
        if cells:
            out.append(formats.paint("━" * cells, style) if color else char * cells)
            drawn += cells
    if drawn < width:
        out.append(formats.paint("─" * (width - drawn), "dim") if color else "░" * (width - drawn))
    return "".join(out)


def _terminal_progress(data: dict[str, Any], width: int, color: bool) -> str:
    """The progress table for a terminal: a bar per group, colour unless NO_COLOR, the group
    names cut to fit the width. Drawn directly (thousands of groups must stay fast)."""
    columns = _progress_columns(data)
    rest = columns[1:]
    rows = _progress_rows(data)
    keys = [cell(r["key"]) for r in rows]
    cells = [[cell(r.get(c.key)) for c in rest] for r in rows]
    widths = [max([len(c.header)] + [len(v[i]) for v in cells]) for i, c in enumerate(rest)]
    key_width = max([len(columns[0].header)] + [len(k) for k in keys])
    fixed = BAR_WIDTH + 2 + sum(widths) + 2 * len(widths)
    if key_width + 2 + fixed > width:
        key_width = max(8, width - fixed - 2)
    header = "  ".join([columns[0].header.ljust(key_width), "PROGRESS".ljust(BAR_WIDTH),
                        *(c.header.rjust(w) for c, w in zip(rest, widths))])
    rule = "─" * min(width, len(header))
    lines = [formats.paint(header, "bold") if color else header, rule]
    for i, (row, key, values) in enumerate(zip(rows, keys, cells)):
        is_total = i == len(rows) - 1
        if is_total:
            lines.append(rule)
        shown = key if len(key) <= key_width else key[: key_width - 1] + "…"
        style = "bold" if is_total else (formats.STATUS_STYLE.get(row["key"]) if data["by"] == "status" else None)
        parts = [(formats.paint(shown, style) if color else shown) + " " * (key_width - len(shown)), _bar(row, color)]
        for c, v, w in zip(rest, values, widths):
            padded = v.rjust(w)
            if color and c.key in ("overdue", "response_overdue") and row.get(c.key):
                padded = formats.paint(padded, "red")
            elif color and is_total:
                padded = formats.paint(padded, "bold")
            parts.append(padded)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def progress_text(p: Progress, data: dict[str, Any], terminal: bool = False) -> str:
    """plain (terminal=False: no colour, no box characters) or table (a terminal: bars, colour
    unless NO_COLOR, rules, cut to the width)."""
    width = formats.terminal_width() if terminal else None
    color = terminal and formats.use_color()

    def bold(text: str) -> str:
        return formats.paint(text, "bold") if color else text

    def table(cols: list[Column], rows: list[dict[str, Any]]) -> str:
        if not terminal:
            return _plain_table(cols, rows)
        return formats.plain_table([*cols, Column("", "")], rows, width=width, color=color)

    reports = {r.id: r for r in p.reports}
    out = [bold(_heading(p)), f"Scope: {_scope_text(p)}", ""]
    if not data["total"]["total"]:
        out.append(f"No recommendations issued by {p.as_of}.")
        return "\n".join(out) + "\n"
    out += [_headline_text(data["total"]) + ".", ""]
    if terminal:
        out.append(_terminal_progress(data, width or 100, color))
    else:
        out.append(_plain_table(_progress_columns(data), _progress_rows(data)))
    if data["trend"] and not _trend_in_full(p, data):
        cols, rows = _trend_summary(data)
        out += [bold(f"Follow-ups: {len(rows)} reports, each at its latest check (`track report REPORT` shows one in full)"), ""]
        out.append(table(cols, rows))
        return "\n".join(out).rstrip("\n") + "\n"
    for of, points in _trend_groups(data):
        cols, rows = _trend_table(points)
        out += [bold(f"Trend of {of}: its {points[0]['total']} recommendations at publication and at each follow-up"), ""]
        out.append(table(cols, rows))
        out.extend(_legend(points, reports))
        out.append("")
        if p.scope is not None:
            cols, rows = _movement_table(data, of, points)
            out += [bold(f"Movement of each recommendation of {of} (status at each check)"), ""]
            out.append(table(cols, rows))
    return "\n".join(out).rstrip("\n") + "\n"


def progress_markdown(p: Progress, data: dict[str, Any]) -> str:
    reports = {r.id: r for r in p.reports}
    out = [f"## {_heading(p)}", "", f"Scope: {_md(_scope_text(p))}", ""]
    if not data["total"]["total"]:
        out.append(f"No recommendations issued by {p.as_of}.")
        return "\n".join(out) + "\n"
    out += [f"- **{value}** {label}" for _, value, label in headline(data["total"])]
    out.append("")
    out.append(formats.markdown_table(_progress_columns(data), _progress_rows(data)))
    if data["trend"] and not _trend_in_full(p, data):
        cols, rows = _trend_summary(data)
        out += [f"### Follow-ups: {len(rows)} reports, each at its latest check", "", formats.markdown_table(cols, rows)]
        return "\n".join(out).rstrip("\n") + "\n"
    for of, points in _trend_groups(data):
        cols, rows = _trend_table(points)
        out.append(f"### Trend of {of}")
        out.append("")
        out.append(formats.markdown_table(cols, rows))
        out.extend(f"- {_md(line)}" for line in _legend(points, reports))
        out.append("")
        if p.scope is not None:
            cols, rows = _movement_table(data, of, points)
            out.append(f"### Movement of each recommendation of {of}")
            out.append("")
            out.append(formats.markdown_table(cols, rows))
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


# --------------------------------------------------------------------------- html

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1c2833; margin: 0;
       background: #fff; line-height: 1.4; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid #d5d8dc; padding-bottom: 4px; }
p.meta, p.scope { margin: 2px 0; color: #566573; font-size: 14px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 6px; }
.card { flex: 1 1 110px; border: 1px solid #d5d8dc; border-radius: 6px; padding: 10px 12px; background: #f8f9f9; }
.card .n { display: block; font-size: 26px; font-weight: bold; }
.card .l { display: block; font-size: 12px; color: #566573; }
.card.alert .n { color: #c0392b; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e5e8e8; vertical-align: top; text-align: left; }
th { background: #f2f3f4; font-weight: bold; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #aab7b8; }
td.bad { color: #c0392b; font-weight: bold; }
td.note { max-width: 420px; }
#open-items { width: 100%; table-layout: fixed; }
#open-items td { overflow-wrap: anywhere; white-space: normal; }
td.due, td[data-col="id"], td[data-col="key"] { white-space: nowrap; }
td.same .status { opacity: 0.45; }
.status { display: inline-block; padding: 1px 6px; border-radius: 3px; font-size: 12px; white-space: nowrap; }
.legend { font-size: 12px; color: #566573; margin: 4px 0 10px; }
.legend span { display: inline-block; margin-right: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
svg text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
.trend { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.trend ul.legend { padding-left: 18px; }
footer { margin-top: 30px; font-size: 12px; color: #808b96; }
@media print { main { padding: 0; } .card { break-inside: avoid; } }
"""


def _h(text: Any) -> str:
    return html_escape(escape(str(text)) if text is not None else "", quote=True)


def _page(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n<footer>Made by track from the ledger's files; every figure is "
            "derived from the recorded events.</footer>\n</main>\n</body>\n</html>\n")


def _status_badge(status: str, label: str | None = None) -> str:
    colour = COLOUR.get(status, "#aab7b8")
    fg = "#fff" if status not in ("in-progress", "withdrawn", "superseded") else "#1c2833"
    return f'<span class="status" style="background:{colour};color:{fg}" title="{_h(status)}">{_h(label or status)}</span>'


def _html_table(columns: list[Column], rows: list[dict[str, Any]], *, table_id: str, total_last: bool = False,
                cell_html: Any = None) -> str:
    head = "".join(f'<th class="n">{_h(c.header)}</th>' if c.right else f"<th>{_h(c.header)}</th>" for c in columns)
    body = []
    for i, row in enumerate(rows):
        cls = ' class="total"' if total_last and i == len(rows) - 1 else ""
        cells = []
        for c in columns:
            custom = cell_html(c, row) if cell_html else None
            if custom is not None:
                cells.append(custom)
                continue
            value = cell(row.get(c.key))
            klass = "n" if c.right else ""
            if c.key in ("overdue", "response_overdue") and row.get(c.key):
                klass += " bad"
            cells.append(f'<td class="{klass.strip()}" data-col="{_h(c.key)}">{_h(value)}</td>' if klass.strip()
                         else f'<td data-col="{_h(c.key)}">{_h(value)}</td>')
        body.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    return f'<table id="{_h(table_id)}"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(body) + "\n</tbody></table>"


def _bar_svg(fields: dict[str, Any], width: int = 140, height: int = 12) -> str:
    total = fields["total"]
    parts = []
    x = 0.0
    if total:
        for s in STATUSES:
            n = fields["by_status"][s]
            if not n:
                continue
            w = width * n / total
            parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{COLOUR[s]}"><title>{_h(s)}: {n}</title></rect>')
            x += w
    label = f"{percent(fields['closed'], total)}% closed" if total else "no recommendations"
    return (f'<svg role="img" aria-label="{_h(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="#eaeded"/>' + "".join(parts) + "</svg>")


def _legend_html(statuses: list[str]) -> str:
    return '<div class="legend">' + "".join(f'<span><i style="background:{COLOUR[s]}"></i>{_h(s)}</span>' for s in statuses) + "</div>"


def _trend_svg(of: str, points: list[dict[str, Any]]) -> str:
    """Stacked bars: one per check, a segment per status, its count written inside."""
    n = len(points)
    top = max([p["total"] for p in points] + [1])
    bar_w, gap, left, chart_h, top_pad, bottom = 64, 36, 44, 240, 24, 46
    width = left + n * (bar_w + gap) + 10
    height = top_pad + chart_h + bottom
    out = [f'<svg id="trend-chart-{_h(of)}" role="img" aria-label="Status of the recommendations of {_h(of)} at each check" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for k in range(5):
        value = round(top * k / 4)
        y = top_pad + chart_h - chart_h * value / top
        out.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{width - 6}" y2="{y:.1f}" stroke="#e5e8e8"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#566573">{value}</text>')
    for i, p in enumerate(points):
        x = left + gap / 2 + i * (bar_w + gap)
        y = top_pad + chart_h
        for s in STATUSES:
            count = p["by_status"][s]
            if not count:
                continue
            h = chart_h * count / top
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" fill="{COLOUR[s]}" stroke="#fff" '
                       f'stroke-width="0.5"><title>{_h(p["date"])} {_h(s)}: {count}</title></rect>')
            if h >= 13:
                fg = "#1c2833" if s in ("in-progress", "withdrawn", "superseded") else "#fff"
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y + h / 2 + 4:.1f}" font-size="11" text-anchor="middle" '
                           f'fill="{fg}">{count}</text>')
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 6:.1f}" font-size="11" text-anchor="middle" fill="#1c2833">'
                   f'{percent(p["closed"], p["total"]) if p["total"] else 0}% closed</text>')
        base = top_pad + chart_h
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" fill="#1c2833">{_h(p["date"])}</text>')
        label = "published" if i == 0 else _short_report(p["report"], of)
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base + 31}" font-size="10" text-anchor="middle" fill="#566573">{_h(label)}</text>')
    out.append(f'<line x1="{left - 4}" y1="{top_pad + chart_h}" x2="{width - 6}" y2="{top_pad + chart_h}" stroke="#566573"/>')
    out.append("</svg>")
    return "".join(out)


def _short_report(report_id: str, of: str) -> str:
    """A follow-up's id without what it shares with the report it follows, for a chart label."""
    if len(report_id) <= 14:
        return report_id
    tail = report_id.rsplit("-", 1)[-1]
    return "…" + tail if len(tail) <= 12 else report_id[:13] + "…"


OPEN_ITEMS_MAX = 500  # a page that can be mailed: beyond this, `track list` has the rest


def progress_html(p: Progress, data: dict[str, Any]) -> str:
    reports = {r.id: r for r in p.reports}
    title = f"Progress report: {p.scope.id if p.scope else p.ledger_name} as of {p.as_of}"
    body = [f"<h1>{_h(title)}</h1>",
            f'<p class="meta">As of <strong id="as-of">{_h(p.as_of)}</strong> · ledger <strong>{_h(p.ledger_name)}</strong> '
            f'({_h(p.ledger_root)})</p>',
            f'<p class="scope">Scope: {_h(_scope_text(p))}</p>']
    total = data["total"]
    if not total["total"]:
        body.append(f"<p>No recommendations issued by {_h(p.as_of)}.</p>")
        return _page(title, body)
    body.append('<div class="cards" id="headline">')
    for key, value, label in headline(total):
        alert = " alert" if key in ("overdue", "response_overdue") and value != "0" else ""
        body.append(f'<div class="card{alert}" data-figure="{_h(key)}"><span class="n">{_h(value)}</span>'
                    f'<span class="l">{_h(label)}</span></div>')
    body.append("</div>")

    body.append(f"<h2>Progress by {_h(data['by'])}</h2>")
    columns = _progress_columns(data)
    columns.insert(1, Column("bar", "PROGRESS"))
    rows = _progress_rows(data)

    def progress_cell(c: Column, row: dict[str, Any]) -> str | None:
        if c.key == "bar":
            return f"<td>{_bar_svg(row)}</td>"
        if c.key == "key" and data["by"] == "status":
            return f'<td data-col="key">{_status_badge(row["key"]) if row["key"] in COLOUR else _h(row["key"])}</td>'
        return None

    body.append(_html_table(columns, rows, table_id="progress", total_last=True, cell_html=progress_cell))
    body.append(_legend_html([s for s in STATUSES if total["by_status"][s]]))

    trends = _trend_groups(data) if _trend_in_full(p, data) else []
    if data["trend"] and not trends:
        cols, srows = _trend_summary(data)
        body.append(f"<h2>Follow-ups: {len(srows)} reports, each at its latest check</h2>")
        body.append(_html_table(cols, srows, table_id="trend-summary"))
    for of, points in trends:
        body.append(f"<h2>Trend of {_h(of)}: status at publication and at each follow-up</h2>")
        used = [s for s in STATUSES if any(pt["by_status"][s] for pt in points)]
        cols, trows = _trend_table(points)
        body.append('<div class="trend"><div>' + _trend_svg(of, points) + _legend_html(used)
                    + '<ul class="legend">' + "".join(f"<li>{_h(line)}</li>" for line in _legend(points, reports)) + "</ul></div>"
                    + _html_table(cols, trows, table_id=f"trend-{of}") + "</div>")
        if p.scope is not None:
            cols, mrows = _movement_table(data, of, points)
            statuses = {m["id"]: m["statuses"] for m in data["movement"] if m["of"] == of}

            def movement_cell(c: Column, row: dict[str, Any], statuses: dict[str, list[str]] = statuses) -> str | None:
                if c.key.startswith("p") and c.key[1:].isdigit():
                    at = int(c.key[1:])
                    s = statuses[row["id"]][at]
                    same = at > 0 and statuses[row["id"]][at - 1] == s
                    badge = _status_badge(s, SHORT[s])
                    return f'<td class="same">{badge}</td>' if same else f"<td>{badge}</td>"
                return None

            body.append(f"<h2>Movement of each recommendation of {_h(of)}</h2>")
            body.append('<p class="meta">Each recommendation\'s status at each check; a faded status is unchanged since '
                        "the previous check.</p>")
            body.append(_html_table(cols, mrows, table_id=f"movement-{of}", cell_html=movement_cell))

    items = p.open_items()
    overdue = sum(1 for f in items if f.overdue)
    body.append(f"<h2>Open items ({len(items)}, of which {overdue} overdue)</h2>")
    if len(items) > OPEN_ITEMS_MAX:
        body.append(f"<p>The {OPEN_ITEMS_MAX} listed are the most overdue, then the soonest due; "
                    f"<code>track list --status open --sort overdue</code> lists all {len(items)}.</p>")
    if items:
        rows_html = []
        for f in items[:OPEN_ITEMS_MAX]:
            due = f"{f.state.due}" if f.state.due else ""
            if f.overdue:
                due += f" (overdue {f.days_overdue}d)"
            note = f.state.last_note or ""
            when = f" ({f.state.last_event})" if f.state.last_event else ""
            rows_html.append(
                f'<tr><td data-col="id">{_h(f.rec.id)}</td><td>{_status_badge(f.state.status)}</td>'
                f'<td class="{"bad due" if f.overdue else "due"}">{_h(due)}</td><td>{_h(f.state.owner or "")}</td>'
                f'<td class="note">{_h(one_line(f.rec.text))}</td><td class="note">{_h(one_line(note))}{_h(when) if note else ""}</td></tr>')
        body.append('<table id="open-items"><thead><tr><th style="width:15%">ID</th><th style="width:15%">STATUS</th>'
                    '<th style="width:12%">DUE</th><th style="width:11%">OWNER</th><th style="width:21%">RECOMMENDATION</th>'
                    '<th style="width:26%">LATEST NOTE</th></tr></thead><tbody>\n' + "\n".join(rows_html)
                    + "\n</tbody></table>")
    else:
        body.append("<p>None: every recommendation is closed.</p>")
    return _page(title, body)


# --------------------------------------------------------------------------- history

HISTORY_FIELDS = ["id", "report", "date", "status", "response", "due", "reason", "owner", "superseded_by",
                  "duplicate_of", "related", "note", "source", "evidence", "status_after"]
HISTORY_COLUMNS = [
    Column("date", "DATE"),
    Column("id", "ID"),
    Column("changes", "CHANGES"),
    Column("source", "SOURCE"),
    Column("note", "NOTE", wide=True),
]


def event_fields(t: tuple) -> dict[str, Any]:
    """query.event_fields of an event as progress.packed_event packs it."""
    out: dict[str, Any] = {"date": date.fromordinal(t[0])}
    for key, at in _CHANGES:
        if t[at] is not None:
            out[key] = date.fromordinal(t[at]) if key == "due" else t[at]
    if t[8]:
        out["related"] = list(t[8])
    if t[4] is not None:
        out["reason"] = t[4]
    out["note"] = t[9]
    out["source"] = t[10]
    out["evidence"] = list(t[11])
    return out


_CHANGES = (("status", 1), ("response", 2), ("due", 3), ("owner", 5), ("superseded_by", 6), ("duplicate_of", 7))


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
    source, evidence and status_after; every format is what render writes of those
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
    if fmt == "markdown":  # the cells as render.markdown_table makes them, each row "| a | b | ... |"
        formats.write(f"**{escape(heading)}**\n\n| " + " | ".join(c.header for c in HISTORY_COLUMNS) + " |\n| "
                     + " | ".join("---:" if c.right else "---" for c in HISTORY_COLUMNS) + " |\n", out)
        pieces = _glued(h, _history_cells(h, cell, formats.markdown_escaped), ["| ", " | ", " | ", " | ", " | "], " |\n")
        for text in _ordered_rows(pieces, h, formats.markdown_escaped):
            formats.write(text, out)
    else:
        _history_table(h, heading, fmt, out)


def _history_table(h: History, heading: str, fmt: str, out: TextIO | None) -> None:
    """render.write_cells' plain or terminal table of the rows (`fmt` plain or table): each
    cell but the last padded to its column's width, once for each distinct value; a row
    whose last cell is empty or ends in a space is stripped whole (as plain_table strips
    every row); on a terminal the notes are cut to fit and a row that sets a status is
    painted in its colour."""
    terminal = fmt == "table"
    color = terminal and formats.use_color()
    formats.write(formats.paint(escape(heading), "bold") + "\n\n" if color else f"{escape(heading)}\n\n", out)
    untidy: list[range] = []
    distinct: list[set[str]] = []
    dates, ids, changes, sources, notes = _history_cells(h, formats.fast_cell, untidy=untidy, distinct=distinct)
    widths = [max(len(c.header), max(map(len, values))) for c, values in
              zip(HISTORY_COLUMNS, (distinct[0], list(map(ids.__getitem__, set(h.whose))), distinct[1], distinct[2], notes))]
    longest = widths[-1]
    head, fields, cut = formats.table_layout(HISTORY_COLUMNS, widths, formats.terminal_width() if terminal else None, color)
    formats.write(head, out)
    pieces = [_repeated(dates, lambda v: fields[0] % v + "  "),
              list(map([fields[1] % v + "  " for v in ids].__getitem__, h.whose)),
              _repeated(changes, lambda v: fields[2] % v + "  "), _repeated(sources, lambda v: fields[3] % v + "  "), notes]
    # a row ends in spaces only where its note is empty or ends in one (and is not cut): that row
    # is made here, stripped
    stripped = _ending_in_space(notes, untidy)
    if cut is not None and longest > cut:  # a note too long is cut, and "…" follows it
        long = list(map(cut.__lt__, map(len, notes)))
        pieces[4] = list(map(getitem, notes, map((slice(None), slice(cut - 1)).__getitem__, long)))
        pieces.append(list(map(("", "…").__getitem__, long)))
        stripped = {i for i in stripped if not long[i]}
    for i in stripped:
        pieces[0][i] = "".join([p[i] for p in pieces]).rstrip()
        for p in pieces[1:]:
            p[i] = ""
    if color:  # a row that sets a status is painted in its colour
        styles = list(map(formats.STATUS_STYLE.get, map(_STATUS, h.events)))
        starts = {style: formats.sgr(style) if style else "" for style in set(styles)}
        ends = {style: "\x1b[0m\n" if start else "\n" for style, start in starts.items()}
        pieces = [list(map(starts.__getitem__, styles)), *pieces, list(map(ends.__getitem__, styles))]
    else:
        pieces.append("\n")
    for text in _ordered_rows(pieces, h):
        formats.write(text, out)


def _ending_in_space(cells: list[str], blocks: list[range]) -> set[int]:
    """Where a cell is empty or ends in white space, looked for only in these blocks of them:
    the ones render.tidy_cells did not find all tidy."""
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
                   distinct: list[set[str]] | None = None) -> list[list[str]]:
    """DATE, CHANGES, SOURCE and NOTE, each a column of cells in the events' order as read,
    and ID a cell for each of h.ids (the column is h.whose's): `made` makes a value's cell (a
    note's after render.one_line), then `finish`, when given, escapes a list of them for the
    format (see _escaped): all but the notes, which are escaped a chunk at a time as they are
    written. Dates, changes and sources repeat and are made once each; ids and notes seldom
    do, and a tidy one is taken as it is (render.tidy_cells). The distinct cells of dates,
    changes and sources are added to `distinct`, when given."""
    events = h.events

    def one(value: Any) -> str:
        return finish([made(value)])[0] if finish else made(value)

    dates = Memo(lambda day: one(date.fromordinal(day)))
    changes = Memo(lambda key: one(_changes(key)))
    sources = Memo(one)
    ids = formats.tidy_cells(h.ids, made)
    cells = [  # each column in one pass of C (map and itemgetter), with nothing in Python a row
        list(map(dates.__getitem__, map(_DATE, events))),
        finish(ids) if finish else ids,
        list(map(changes.__getitem__, zip(map(_CHANGED, events), h.status_after))),
        list(map(sources.__getitem__, map(_SOURCE, events))),
        formats.tidy_cells(list(map(_NOTE, events)), lambda note: made(one_line(note)), untidy),
    ]
    if distinct is not None:
        distinct += [set(dates.values()), set(changes.values()), set(sources.values())]
    return cells


_DATE, _STATUS, _CHANGED, _NOTE, _SOURCE, _EVIDENCE = (itemgetter(0), itemgetter(1), itemgetter(slice(1, 9)), itemgetter(9),
                                                       itemgetter(10), itemgetter(11))
_LAST = itemgetter(slice(-1, None))


def _changes(key: tuple) -> str:
    """views.changes_text of an event's row (its changes and reason, then the status after it),
    or "note" when it changes nothing."""
    from track.views.records import changes_text

    (status, response, due, reason, owner, superseded_by, duplicate_of, related), after = key
    fields = event_fields((1, status, response, due, reason, owner, superseded_by, duplicate_of, related, None, None, ()))
    return changes_text({**fields, "status_after": after}) or "note"


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
    """A list of strings as render.to_json writes it where `nl` is its indent."""
    if not items:
        return "[]"
    inner = nl + "  "
    return "[" + inner + ("," + inner).join(map(_quote, items)) + nl + "]"


def _json_changes(key: tuple) -> str:
    """The lines of an event's JSON from status to reason (those it has), each after a comma."""
    status, response, due, reason, owner, superseded_by, duplicate_of, related = key
    out = []
    for name, value in (("status", status), ("response", response), ("due", due), ("owner", owner),
                        ("superseded_by", superseded_by), ("duplicate_of", duplicate_of)):
        if value is not None:
            out.append(f',\n    "{name}": ' + (f'"{date.fromordinal(value).isoformat()}"' if name == "due" else _quote(value)))
    if related:
        out.append(',\n    "related": ' + _json_list(related, "\n    "))
    if reason is not None:
        out.append(',\n    "reason": ' + _quote(reason))
    return "".join(out)


def _history_json(h: History, out: TextIO | None) -> None:
    """render.to_json of history's dictionaries (see history_view): each event's object is the
    pieces of its columns (see _ordered_rows), each repeated one (date, changes, source,
    evidence, status after) made once with the keys around it."""
    events = h.events
    if not events:
        formats.write("[]\n", out)
        return
    quote = _quote
    small = Memo(lambda v: "null" if v is None else quote(v))  # sources and statuses repeat
    pieces = [
        list(map([f',\n  {{\n    "id": {quote(i)},\n    "report": {quote(r)},\n    "date": ' for i, r in zip(h.ids, h.report_ids)]
                 .__getitem__, h.whose)),
        _repeated(map(_DATE, events), lambda day: f'"{date.fromordinal(day).isoformat()}"'),
        _repeated(map(_CHANGED, events), lambda key: _json_changes(key) + ',\n    "note": '),
        list(map(_NOTE, events)),
        _repeated(map(_SOURCE, events), lambda v: f',\n    "source": {small[v]},\n    "evidence": '),
        _repeated(map(_EVIDENCE, events), lambda v: _json_list(v, "\n    ") + ',\n    "status_after": '),
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
    """render.csv_text of history's dictionaries (see history_view) and HISTORY_FIELDS, each line made here of the
    pieces of its columns (see _ordered_rows: the csv module takes seconds for a few hundred thousand)."""
    formats.write(",".join(map(formats.csv_field, HISTORY_FIELDS)) + "\n", out)
    events = h.events
    if not events:
        return
    dates = Memo(lambda day: date.fromordinal(day).isoformat())
    small = Memo(_csv_cell)  # sources, statuses and the like repeat

    def changes(key: tuple) -> str:
        status, response, due, reason, owner, superseded_by, duplicate_of, related = key
        return ",".join([small[status], small[response], "" if due is None else dates[due], small[reason], small[owner],
                         small[superseded_by], small[duplicate_of], small[related], ""])

    pieces = [
        list(map([f"{_csv_id(i)},{_csv_id(r)}," for i, r in zip(h.ids, h.report_ids)].__getitem__, h.whose)),
        _repeated(map(_DATE, events), lambda day: dates[day] + ","),
        _repeated(map(_CHANGED, events), changes),
        list(map(_NOTE, events)),
        _repeated(map(_SOURCE, events), lambda v: f",{small[v]},"),
        _repeated(map(_EVIDENCE, events), lambda v: small[v] + ","),
        _repeated(h.status_after, lambda v: small[v] + "\n"),
    ]
    for text in _ordered_rows(pieces, h, formats.csv_fields, at=3):
        formats.write(text, out)


def _history_html(h: History, heading: str, out: TextIO | None) -> None:
    """The page _page makes of the heading and _html_table(HISTORY_COLUMNS, rows), its rows
    written a few thousand at a time."""
    count = len(h.events)
    title = heading.split(";")[0]
    body = [f"<h1>{_h(title)}</h1>", f'<p class="meta">{_h(heading)}</p>', f"<p>{count} event{'s' if count != 1 else ''}.</p>"]
    if not count:
        formats.write(_page(title, body), out)
        return
    table = "\x00table\x00"  # _h escapes a NUL anywhere else: only this one is raw
    before, after = _page(title, [*body, table]).split(table)
    head = "".join(f'<th class="n">{_h(c.header)}</th>' if c.right else f"<th>{_h(c.header)}</th>" for c in HISTORY_COLUMNS)
    formats.write(before + f'<table id="history"><thead><tr>{head}</tr></thead><tbody>\n', out)
    cells = _history_cells(h, lambda v: escape(cell(v)), _html_escaped)  # _h(cell(v)), made in two steps
    tds = [f'<td data-col="{_h(c.key)}">' for c in HISTORY_COLUMNS]
    pieces = _glued(h, cells, ["<tr>" + tds[0], *("</td>" + td for td in tds[1:])], "</td></tr>\n")
    for text in _ordered_rows(pieces, h, _html_escaped):
        formats.write(text, out)
    formats.write("</tbody></table>" + after, out)


# --------------------------------------------------------------------------- grades


def grades_data(tables: list[GradeTable], as_of: date, ledger_name: str, ledger_root: str) -> dict[str, Any]:
    """The documented JSON of `track report --grades`."""
    return {
        "as_of": as_of,
        "ledger": {"name": ledger_name, "root": ledger_root},
        "subjects": [
            {
                "subject": t.subject,
                "inspections": [{"report": r.id, "date": r.published, "kind": r.kind, "title": r.title} for r in t.inspections],
                "questions": [
                    {"question": row.question, "grades": {r.id: g for r, g in zip(t.inspections, row.grades)},
                     "previous": row.previous, "latest": row.latest, "direction": row.direction}
                    for row in t.rows
                ],
            }
            for t in tables
        ],
    }


def _grade_columns(subject: dict[str, Any]) -> list[Column]:
    cols = [Column("question", "QUESTION", wide=True)]
    cols += [Column(f"g{i}", str(ins["date"])) for i, ins in enumerate(subject["inspections"])]
    cols.append(Column("direction", "CHANGE"))
    return cols


def _grade_rows(subject: dict[str, Any], arrows: bool) -> list[dict[str, Any]]:
    rows = []
    for q in subject["questions"]:
        row: dict[str, Any] = {"question": q["question"]}
        for i, ins in enumerate(subject["inspections"]):
            row[f"g{i}"] = q["grades"][ins["report"]] or "-"
        d = q["direction"]
        row["direction"] = f"{ARROW[d]} {d}".strip() if arrows and d not in ("", "new") else d
        rows.append(row)
    return rows


def grades_view(tables: list[GradeTable], as_of: date, ledger_name: str, ledger_root: str, fmt: str,
                out: TextIO | None = None) -> None:
    data = grades_data(tables, as_of, ledger_name, ledger_root)
    heading = f"Graded judgements as of {as_of}, ledger {one_line(ledger_name)} ({one_line(ledger_root)})"
    if fmt == "json":
        formats.write(formats.to_json(data), out)
        return
    if fmt == "csv":
        rows = []
        for s in data["subjects"]:
            for q in s["questions"]:
                for ins in s["inspections"]:
                    rows.append({"subject": s["subject"], "question": q["question"], "report": ins["report"],
                                 "date": ins["date"], "grade": q["grades"][ins["report"]], "direction": q["direction"]})
        formats.write(formats.csv_text(rows, ["subject", "question", "report", "date", "grade", "direction"]), out)
        return
    if fmt == "html":
        body = [f"<h1>{_h('Graded judgements')}</h1>", f'<p class="meta">{_h(heading)}</p>']
        if not data["subjects"]:
            body.append(f"<p>No graded inspections by {_h(as_of)}.</p>")
        for number, s in enumerate(data["subjects"]):
            body.append(f"<h2>{_h(s['subject'])}</h2>")
            cols = _grade_columns(s)

            def grade_cell(c: Column, row: dict[str, Any]) -> str | None:
                if c.key.startswith("g") and c.key[1:].isdigit():
                    g = row[c.key]
                    colour = GRADE_COLOUR.get(g)
                    if colour is None:
                        return f"<td>{_h(g)}</td>"
                    fg = "#1c2833" if g in ("adequate", "good") else "#fff"
                    return f'<td><span class="status" style="background:{colour};color:{fg}">{_h(g)}</span></td>'
                return None

            body.append(_html_table(cols, _grade_rows(s, True), table_id=f"grades-{number}", cell_html=grade_cell))
            body.append("<ul class=\"legend\">" + "".join(f"<li>{_h(i['date'])}  {_h(i['report'])}: {_h(one_line(i['title']))}</li>"
                                                         for i in s["inspections"]) + "</ul>")
        formats.write(_page("Graded judgements", body), out)
        return
    if not data["subjects"]:
        formats.write(f"{heading}\n\nNo graded inspections by {as_of}.\n", out)
        return
    if fmt == "markdown":
        parts = [f"## {heading}", ""]
        for s in data["subjects"]:
            parts += [f"### {_md(one_line(s['subject']))}", "", formats.markdown_table(_grade_columns(s), _grade_rows(s, True))]
            parts += [f"- {i['date']}: {_md(i['report'])}: {_md(one_line(i['title']))}" for i in s["inspections"]] + [""]
        formats.write("\n".join(parts).rstrip("\n") + "\n", out)
        return
    terminal = fmt == "table"
    color = terminal and formats.use_color()
    parts = [formats.paint(heading, "bold") if color else heading, ""]
    for s in data["subjects"]:
        rows = _grade_rows(s, terminal)
        table = (formats.plain_table(_grade_columns(s), rows, width=formats.terminal_width(), color=color) if terminal
                 else _plain_table(_grade_columns(s), rows))
        parts += [formats.paint(one_line(s["subject"]), "bold") if color else one_line(s["subject"]), "", table]
        parts += [f"{i['date']}  {i['report']}: {one_line(i['title'])}" for i in s["inspections"]] + [""]
    formats.write("\n".join(parts).rstrip("\n") + "\n", out)
