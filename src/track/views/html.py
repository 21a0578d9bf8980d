"""The HTML page, the one place that writes HTML: its stylesheet, escaping, tables, status
badges and SVG charts, self-contained (no scripts, fonts or requests)."""

from __future__ import annotations

import re
from html import escape as html_escape

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain.model import STATUSES
from track.domain.progress import percent
from track.views.formats import Column, cell, escape, one_line

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


INK, DARK_INK = "#ffffff", "#1c2833"


def _luminance(colour: str) -> float:
    """WCAG 2's relative luminance of #rrggbb."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours (#rrggbb): 1 to 21; AA asks 4.5 for text."""
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def ink(background: str) -> str:
    """The text colour, white or near-black, that reads best on `background`."""
    return INK if contrast(INK, background) >= contrast(DARK_INK, background) else DARK_INK


# --------------------------------------------------------------------------- html

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1c2833; margin: 0;
       background: #fff; line-height: 1.4; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; }
@media (max-width: 600px) { main { padding: 16px 12px 32px; } h1 { font-size: 20px; } }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid #d5d8dc; padding-bottom: 4px; }
p.meta, p.scope { margin: 2px 0; color: #566573; font-size: 14px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 18px 0 6px; }
.card { flex: 1 1 110px; border: 1px solid #d5d8dc; border-radius: 6px; padding: 10px 12px; background: #f8f9f9; }
.card .n { display: block; font-size: 26px; font-weight: bold; }
.card .l { display: block; font-size: 12px; color: #566573; }
.card.alert .n { color: #c0392b; }
.table-scroll { max-width: 100%; overflow-x: auto; margin: 6px 0 10px; }
.table-scroll:focus { outline: 2px solid #1f618d; outline-offset: 2px; }
table { border-collapse: collapse; font-size: 13px; margin: 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e5e8e8; vertical-align: top; text-align: left; white-space: nowrap; }
td.note, td[data-col="note"], td[data-col="question"], td[data-col="changes"], td[data-col="title"] {
  white-space: normal; min-width: 12em; }
th { background: #f2f3f4; font-weight: bold; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #aab7b8; }
td.bad { color: #c0392b; font-weight: bold; }
td.note { max-width: 420px; }
#open-items { width: 100%; }
#open-items td.note { min-width: 12em; }
td.due, td[data-col="id"], td[data-col="key"] { white-space: nowrap; }
.status.same { background: #fff; color: #1c2833; border: 1px dashed #566573; }
.status { display: inline-block; padding: 1px 6px; border-radius: 3px; font-size: 12px; white-space: nowrap; }
.legend { font-size: 12px; color: #566573; margin: 4px 0 10px; }
.legend span { display: inline-block; margin-right: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
svg { max-width: 100%; height: auto; }
svg text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
.trend { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.trend ul.legend { padding-left: 18px; }
footer { margin-top: 30px; font-size: 12px; color: #566573; }
@media print { main { padding: 0; } .card { break-inside: avoid; } }
"""


def esc(text: Any) -> str:
    return html_escape(escape(str(text)) if text is not None else "", quote=True)


WEB = re.compile(r"https?://[^\s<>\"'`]+\Z", re.IGNORECASE)  # an address a page may link to


def web_link(url: str | None, text: str | None = None) -> str:
    """An address given in the ledger: a link only if it is http(s), else its text."""
    if not url:
        return ""
    shown = esc(one_line(text if text is not None else url))
    if WEB.match(url.strip()):
        return f'<a href="{esc(url.strip())}" rel="external noopener noreferrer">{shown}</a>'
    return shown


def page(title: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n<footer>Made by track from the ledger's files; every figure is "
            "derived from the recorded events.</footer>\n</main>\n</body>\n</html>\n")


def status_badge(status: str, label: str | None = None, *, same: bool = False) -> str:
    """A status in its colour; `same`: unchanged since the previous check, drawn outlined."""
    if same:
        return f'<span class="status same" title="{esc(status)}, unchanged">{esc(label or status)}</span>'
    return badge(COLOUR.get(status, "#aab7b8"), label or status, title=status)


def badge(colour: str, text: str, title: str | None = None) -> str:
    """Text on a coloured label, in the ink that reads best on it."""
    hint = f' title="{esc(title)}"' if title is not None else ""
    return f'<span class="status" style="background:{colour};color:{ink(colour)}"{hint}>{esc(text)}</span>'


def scroll_box(label: str, inner: str) -> str:
    """A wide table scrolls sideways in its own box, never the page (a region a keyboard can reach)."""
    return f'<div class="table-scroll" role="region" aria-label="{esc(label)}" tabindex="0">{inner}</div>'


def html_table(columns: list[Column], rows: list[dict[str, Any]], *, table_id: str, total_last: bool = False,
               cell_html: Any = None, label: str | None = None) -> str:
    head = "".join(f'<th class="n">{esc(c.header)}</th>' if c.right else f"<th>{esc(c.header)}</th>" for c in columns)
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
            cells.append(f'<td class="{klass.strip()}" data-col="{esc(c.key)}">{esc(value)}</td>' if klass.strip()
                         else f'<td data-col="{esc(c.key)}">{esc(value)}</td>')
        body.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    table = f'<table id="{esc(table_id)}"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(body) + "\n</tbody></table>"
    return scroll_box(label or table_id.replace("-", " "), table)


def bar_svg(fields: dict[str, Any], width: int = 140, height: int = 12) -> str:
    total = fields["total"]
    parts = []
    x = 0.0
    if total:
        for s in STATUSES:
            n = fields["by_status"][s]
            if not n:
                continue
            w = width * n / total
            parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{COLOUR[s]}"><title>{esc(s)}: {n}</title></rect>')
            x += w
    label = f"{percent(fields['closed'], total)}% closed" if total else "no recommendations"
    return (f'<svg role="img" aria-label="{esc(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="#eaeded"/>' + "".join(parts) + "</svg>")


def legend_html(statuses: list[str]) -> str:
    return '<div class="legend">' + "".join(f'<span><i style="background:{COLOUR[s]}"></i>{esc(s)}</span>' for s in statuses) + "</div>"


def trend_svg(of: str, points: list[dict[str, Any]]) -> str:
    """Stacked bars: one per check, a segment per status, its count written inside."""
    n = len(points)
    step, ticks = axis_ticks(max([p["total"] for p in points] + [1]))
    top = step * ticks
    bar_w, gap, left, chart_h, top_pad, bottom = 64, 36, 44, 240, 24, 46
    width = left + n * (bar_w + gap) + 10
    height = top_pad + chart_h + bottom
    out = [f'<svg id="trend-chart-{esc(of)}" role="img" aria-label="Status of the recommendations of {esc(of)} at each check" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for k in range(ticks + 1):
        value = step * k
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
                       f'stroke-width="0.5"><title>{esc(p["date"])} {esc(s)}: {count}</title></rect>')
            if h >= 13:
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y + h / 2 + 4:.1f}" font-size="11" text-anchor="middle" '
                           f'fill="{ink(COLOUR[s])}">{count}</text>')
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 6:.1f}" font-size="11" text-anchor="middle" fill="#1c2833">'
                   f'{percent(p["closed"], p["total"]) if p["total"] else 0}% closed</text>')
        base = top_pad + chart_h
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" fill="#1c2833">{esc(p["date"])}</text>')
        label = "published" if i == 0 else _short_report(p["report"], of)
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base + 31}" font-size="10" text-anchor="middle" fill="#566573">{esc(label)}</text>')
    out.append(f'<line x1="{left - 4}" y1="{top_pad + chart_h}" x2="{width - 6}" y2="{top_pad + chart_h}" stroke="#566573"/>')
    out.append("</svg>")
    return "".join(out)


def axis_ticks(top: int, most: int = 5) -> tuple[int, int]:
    """(step, number of steps) of an axis from 0 that reaches `top` in even steps of 1, 2 or 5
    times a power of ten, with at most `most` steps: 7 -> (2, 4), ticks 0, 2, 4, 6, 8."""
    power = 1
    while True:
        for unit in (1, 2, 5):
            step = unit * power
            steps = -(-top // step)
            if steps <= most:
                return step, max(steps, 1)
        power *= 10


def _short_report(report_id: str, of: str) -> str:
    """A follow-up's id without what it shares with the report it follows, for a chart label."""
    if len(report_id) <= 14:
        return report_id
    tail = report_id.rsplit("-", 1)[-1]
    return "…" + tail if len(tail) <= 12 else report_id[:13] + "…"
