"""The public register `track publish` writes: a static site made from the ledger as it stood on
a date, as {relative path: bytes}. Pure: reports in, files out; cli/publish.py writes them.

The pages, each at an address that depends only on what it shows, so that it keeps it:

    index.html                  headline figures, every report with its progress, the follow-ups
    reports/REPORT.html         a report: its recommendations, trend, schedule, grades
    reports/REPORT/REF.html     a recommendation: its record and full history, its links both ways
    owners/index.html           every owner and what each holds
    owners/OWNER.html           one owner's recommendations (OWNER: the name made a web name)
    feed.xml                    an Atom feed of the latest changes
    data/ledger.json, .csv      the ledger as `track export` writes it (cli/publish.py adds them)

Only the front page says the date the register is as of: every other page shows
what is recorded (dates of events, due dates, and whether a due date had passed), so that
republishing on a later day rewrites only the pages where something changed. Every text is
escaped (html.esc); the only script is a small inline one on the front page that adds a filter
to the reports table, which works without it."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import date
from urllib.parse import quote

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import grades as graded
from track.domain import progress, query, schedule
from track.domain.model import STATUSES, Report
from track.views.formats import cell, escape, one_line
from track.views.grades import GRADE_COLOUR
from track.views.html import CSS, badge, bar_svg, legend_html, scroll_box, status_badge, trend_svg
from track.views.html import esc as html_esc
from track.views.html import web_link as _web_link
from track.views.records import BASIS_MEANING, amendment_values, change_cell, entered_text, status_text
from track.views.report import headline

FEED_ENTRIES = 100  # the feed holds the latest changes: reports published and events recorded
INDEX = "index.html"
FEED = "feed.xml"
OWNERS = "owners/index.html"
DATA_JSON = "data/ledger.json"
DATA_CSV = "data/ledger.csv"

SITE_CSS = """
header.site { background: #1c2833; }
header.site nav { max-width: 1100px; margin: 0 auto; padding: 10px 28px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
header.site a { color: #fff; font-size: 14px; }
header.site a.home { font-weight: bold; }
@media (max-width: 600px) { header.site nav { padding: 10px 12px; } }
nav.crumbs ol { list-style: none; margin: 0 0 10px; padding: 0; font-size: 14px; display: flex; flex-wrap: wrap; }
nav.crumbs li { min-width: 0; overflow-wrap: anywhere; }
nav.crumbs li + li::before { content: "\\203A"; padding: 0 6px; color: #566573; }
h1, h2, p, li, dd { overflow-wrap: break-word; }
a { color: #1f4e8c; }
.text { font-size: 17px; white-space: pre-line; margin: 8px 0 14px; }
dl.fields { display: grid; grid-template-columns: fit-content(15em) minmax(0, 1fr); gap: 4px 16px; margin: 12px 0; font-size: 15px; }
dl.fields dt { font-weight: bold; color: #566573; }
dl.fields dd { margin: 0; min-width: 0; }
@media (max-width: 600px) { dl.fields { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.fields dd { margin-bottom: 8px; } }
ol.timeline { list-style: none; padding: 0; margin: 8px 0; }
ol.timeline li { border-left: 3px solid #d5d8dc; padding: 2px 0 10px 12px; margin: 0; }
ol.timeline li:target { border-left-color: #1f618d; background: #f4f6f7; }
ol.timeline p { margin: 2px 0; }
ol.timeline .note { white-space: pre-line; }
ol.timeline .meta, .meta { color: #566573; font-size: 13px; }
.overdue { color: #c0392b; font-weight: bold; }
td.wrap { white-space: normal; min-width: 9em; }
td .meta { display: block; }
.long { white-space: pre-line; }
p.filter { margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; font-size: 14px; }
p.filter input[type=search] { font-size: 15px; padding: 3px 6px; max-width: 100%; }
footer.site { max-width: 1100px; margin: 0 auto; padding: 0 28px 28px; font-size: 12px; color: #566573; }
@media (max-width: 600px) { footer.site { padding: 0 12px 24px; } }
"""

# On the front page: a filter for the reports table (by any words in a row, and overdue only),
# added by the script itself, so that with scripts off there is no control that does nothing.
FILTER_SCRIPT = """
(function () {
  var table = document.getElementById("reports");
  if (!table || !table.tBodies.length) return;
  var rows = table.tBodies[0].rows, box = table.parentNode;
  var p = document.createElement("p");
  p.className = "filter";
  p.innerHTML = '<label for="filter">Filter the reports</label> <input id="filter" type="search" autocomplete="off">' +
    ' <label><input id="filter-overdue" type="checkbox"> only with overdue recommendations</label>' +
    ' <span id="filter-count" role="status"></span>';
  box.parentNode.insertBefore(p, box);
  var input = document.getElementById("filter"), overdue = document.getElementById("filter-overdue");
  var count = document.getElementById("filter-count");
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      if (overdue.checked && rows[i].getAttribute("data-overdue") !== "1") hit = false;
      rows[i].hidden = !hit;
      if (hit) shown++;
    }
    count.textContent = words.length || overdue.checked ? shown + " of " + rows.length + " reports shown" : "";
  }
  input.addEventListener("input", apply);
  overdue.addEventListener("change", apply);
})();
"""

# html.esc, remembered: a register says the same dates, statuses, owners and ids again and again
esc = functools.lru_cache(maxsize=1 << 16)(html_esc)

_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")  # characters XML 1.0 cannot hold, even escaped


class Site:
    """What every page needs to know: the register's title, and where each thing's page is."""

    def __init__(self, title: str, ledger_name: str, as_of: date, base_url: str | None) -> None:
        self.title = title
        self.ledger_name = ledger_name
        self.as_of = as_of
        self.base_url = base_url
        self.reports: dict[str, Report] = {}  # published by as_of
        self.recs: set[str] = set()  # ids of the recommendations issued by as_of
        self.owner_pages: dict[str, str] = {}  # owner -> its page


# --------------------------------------------------------------------------- addresses


@functools.cache
def report_path(report_id: str) -> str:
    return f"reports/{quote(report_id, safe='')}.html"


@functools.cache
def rec_path(rec_id: str) -> str:
    report_id, _, ref = rec_id.rpartition("/")
    return f"reports/{quote(report_id, safe='')}/{quote(ref, safe='')}.html"


def owner_slugs(owners: list[str]) -> dict[str, str]:
    """Each owner's page name: the name in lower-case ASCII words joined by '-' ("Head of
    Training" -> head-of-training); names that would share one (or make none, or `index`)
    each add a hash of the name, so that no page takes another's address."""
    plain: dict[str, list[str]] = {}
    for name in owners:
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-")
        plain.setdefault(slug, []).append(name)
    out: dict[str, str] = {}
    for slug, names in plain.items():
        for name in names:
            if len(names) == 1 and slug and slug != "index":
                out[name] = slug
            else:
                digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
                out[name] = f"{slug or 'owner'}-{digest}"
    return out


def _href(here: str, target: str) -> str:
    """`target` (a path from the site's root, maybe with a #fragment) as a link from the page
    at `here`."""
    folder, _, name = target.rpartition("/")
    return _climb(here.rpartition("/")[0], folder) + name


@functools.lru_cache(maxsize=4096)
def _climb(start: str, folder: str) -> str:
    """The relative way from the folder `start` to the folder `folder` ("" the root), ending in '/'."""
    a, b = start.split("/") if start else [], folder.split("/") if folder else []
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return "../" * (len(a) - common) + "".join(part + "/" for part in b[common:])


def _link(here: str, target: str, text: str, cls: str | None = None) -> str:
    return _link_from(here.rpartition("/")[0], target, text, cls)


@functools.lru_cache(maxsize=1 << 16)
def _link_from(folder: str, target: str, text: str, cls: str | None) -> str:
    klass = f' class="{cls}"' if cls else ""
    here = f"{folder}/x" if folder else "x"
    return f'<a href="{esc(_href(here, target))}"{klass}>{esc(text)}</a>'


def _rec_link(site: Site, here: str, rec_id: str, text: str | None = None) -> str:
    if rec_id in site.recs:
        return _link(here, rec_path(rec_id), text or rec_id)
    return esc(text or rec_id)


def _report_link(site: Site, here: str, report_id: str, text: str | None = None) -> str:
    if report_id in site.reports:
        return _link(here, report_path(report_id), text or report_id)
    return esc(text or report_id)


def _owner_link(site: Site, here: str, owner: str | None) -> str:
    if not owner:
        return ""
    page = site.owner_pages.get(unicodedata.normalize("NFC", owner))
    return _link(here, page, one_line(owner)) if page else esc(one_line(owner))


# --------------------------------------------------------------------------- the page


def _page(site: Site, here: str, title: str, body: list[str], *, script: str = "", head: str = "") -> bytes:
    nav = [_link(here, INDEX, one_line(site.title), "home"), _link(here, OWNERS, "Owners"),
           _link(here, FEED, "Changes (Atom feed)"), _link(here, DATA_JSON, "Data: JSON"), _link(here, DATA_CSV, "CSV")]
    page_title = title if here == INDEX else f"{title} · {one_line(site.title)}"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(page_title)}</title>\n"
            f'<link rel="alternate" type="application/atom+xml" title="{esc(one_line(site.title))}: changes" '
            f'href="{esc(_href(here, FEED))}">\n{head}'
            f"<style>{CSS}{SITE_CSS}</style>\n</head>\n<body>\n"
            f'<header class="site"><nav aria-label="Register">{"".join(nav)}</nav></header>\n<main>\n'
            + "\n".join(body)
            + "\n</main>\n<footer class=\"site\">Published by track from the ledger "
            f"{esc(one_line(site.ledger_name))}: every status is derived from the events recorded. "
            "&ldquo;Overdue&rdquo; means past its due date on the date the register was published (on its "
            f"{_link(here, INDEX, 'front page')}).</footer>\n"
            + (f"<script>{script}</script>\n" if script else "")
            + "</body>\n</html>\n").encode("utf-8")


def _crumbs(site: Site, here: str, trail: list[tuple[str | None, str]]) -> str:
    items = [f"<li>{_link(here, INDEX, 'Register')}</li>"]
    for target, text in trail:
        items.append(f"<li>{_link(here, target, text)}</li>" if target else f'<li aria-current="page">{esc(text)}</li>')
    return f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{"".join(items)}</ol></nav>'


def _fields_html(pairs: list[tuple[str, str]]) -> str:
    """A definition list of (label, HTML)."""
    return '<dl class="fields">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs if v) + "</dl>"


def _cards(fields: dict[str, Any], keys: tuple[str, ...] | None = None) -> str:
    out = ['<div class="cards">']
    for key, value, label in headline(fields):
        if keys is not None and key not in keys:
            continue
        alert = " alert" if key in ("overdue", "response_overdue") and value != "0" else ""
        out.append(f'<div class="card{alert}" data-figure="{esc(key)}"><span class="n">{esc(value)}</span>'
                   f'<span class="l">{esc(label)}</span></div>')
    out.append("</div>")
    return "".join(out)


def _due_html(state: Any, overdue: bool) -> str:
    if state.due is None:
        return ""
    return f'{esc(state.due)} <span class="overdue">(overdue)</span>' if overdue else esc(state.due)


def _status_html(state: Any) -> str:
    return _status_badge(state.status, state.basis)


@functools.lru_cache(maxsize=256)
def _status_badge(status: str, basis: str | None) -> str:
    return status_badge(status, status_text(status, basis))


def _pct(part: int, whole: int) -> str:
    value = progress.percent(part, whole)
    return "" if value is None else f"{value}%"


# --------------------------------------------------------------------------- the site


def render(reports: Mapping[str, Report], as_of: date, *, title: str, ledger_name: str,
           base_url: str | None = None) -> dict[str, bytes]:
    """Every file of the register as it stood at the end of `as_of`, by path from its root:
    recommendations' pages first, then reports', owners', the feed and the front page last
    (the order to write them in, so that no page links to one not yet written)."""
    site = Site(title, ledger_name, as_of, base_url)
    shown = sorted((r for r in reports.values() if r.published <= as_of), key=lambda r: (r.published, r.id))
    site.reports = {r.id: r for r in shown}
    facts = progress.facts(shown, as_of)
    site.recs = {f.rec.id for f in facts}
    owners = sorted({unicodedata.normalize("NFC", f.state.owner) for f in facts if f.state.owner},
                    key=lambda o: (o.casefold(), o))
    site.owner_pages = {o: f"owners/{slug}.html" for o, slug in owner_slugs(owners).items()}
    links = links_to(facts)
    answered: dict[str, list[str]] = {}
    for f in facts:
        if f.rec.answers:
            answered.setdefault(_answers_id(f.rec.report, f.rec.answers), []).append(f.rec.id)

    files: dict[str, bytes] = {}
    changes: list[tuple[Any, ...]] = []  # (date, order, rec id, event, anchor) of every event, for the feed
    recorded_from: dict[str, list[tuple[Any, ...]]] = {}  # report id -> (rec id, event, anchor) of the events it is the source of
    for f in facts:
        path = rec_path(f.rec.id)
        data = query.detail(query.Item(f.rec, f.report, f.state), as_of)
        anchors = _anchors(data["events"])
        files[path] = _rec_page(site, path, f, data, anchors, links.get(f.rec.id, {}), answered.get(f.rec.id, []))
        for event, anchor in zip(data["events"], anchors):
            changes.append((event["date"], len(changes), f.rec.id, event, anchor))
            source = event.get("source")
            if source in site.reports and source != f.report.id:
                recorded_from.setdefault(source, []).append((f.rec.id, event, anchor))
    by_report: dict[str, list[progress.Fact]] = {}
    for f in facts:
        by_report.setdefault(f.report.id, []).append(f)
    everything = dict(reports)
    index = progress.follow_index(everything)
    followers = {r.id: [x for x in progress.followers(everything, r, index) if x.published <= as_of] for r in shown}
    trends: dict[str, progress.Trend] = {}
    for r in shown:
        t = progress.trend(everything, r, as_of, index)
        if t is not None:
            trends[r.id] = t
    grade_tables = graded.grade_tables(everything, as_of) if any(r.grades for r in shown) else []
    for r in shown:
        path = report_path(r.id)
        files[path] = _report_page(site, path, r, by_report.get(r.id, []), followers[r.id], trends.get(r.id),
                                   _grades_of(grade_tables, r), recorded_from.get(r.id, []))
    held: dict[str, list[progress.Fact]] = {}
    for f in facts:
        if f.state.owner:
            held.setdefault(unicodedata.normalize("NFC", f.state.owner), []).append(f)
    for owner in owners:
        path = site.owner_pages[owner]
        files[path] = _owner_page(site, path, owner, held[owner])
    files[OWNERS] = _owners_page(site, owners, held, sum(1 for f in facts if not f.state.owner))
    files[FEED] = feed(site, changes, shown)
    files[INDEX] = _index_page(site, shown, facts, by_report, trends)
    return files


def _answers_id(report_id: str, answers: str) -> str:
    return answers if "/" in answers else f"{report_id}/{answers}"


def links_to(facts: list[progress.Fact]) -> dict[str, dict[str, list[str]]]:
    """For each recommendation, those whose state names it (query.links_from_others for all
    of them in one pass): {id: {supersedes, duplicated_by, related_by}}."""
    out: dict[str, dict[str, list[str]]] = {}

    def add(target: str, key: str, rec_id: str) -> None:
        found = out.setdefault(target, {"supersedes": [], "duplicated_by": [], "related_by": []})[key]
        if rec_id not in found:
            found.append(rec_id)

    for f in facts:
        state = f.state
        if state.superseded_by:
            add(state.superseded_by, "supersedes", f.rec.id)
        if state.duplicate_of:
            add(state.duplicate_of, "duplicated_by", f.rec.id)
        for other in state.related:
            add(other, "related_by", f.rec.id)
    return out


def _anchors(events: list[dict[str, Any]]) -> list[str]:
    """Each event's anchor on its recommendation's page: its date, and its place among that
    day's events after the first (event-2017-03-15, event-2017-03-15-2): an event recorded
    later on another day leaves it as it is."""
    seen: dict[date, int] = {}
    out = []
    for event in events:
        n = seen[event["date"]] = seen.get(event["date"], 0) + 1
        out.append(f"event-{event['date']}" + (f"-{n}" if n > 1 else ""))
    return out


# --------------------------------------------------------------------------- a recommendation


def _rec_page(site: Site, here: str, f: progress.Fact, data: dict[str, Any], anchors: list[str],
              links: dict[str, list[str]], answered_by: list[str]) -> bytes:
    rec, report, state = f.rec, f.report, f.state
    body = [_crumbs(site, here, [(report_path(report.id), report.id), (None, rec.ref)]),
            f"<h1>{esc(rec.id)}</h1>",
            f'<p class="meta">{esc(rec.kind)}' + (f" · priority {esc(rec.priority)}" if rec.priority else "")
            + (f" · {esc(cell(rec.tags))}" if rec.tags else "") + "</p>",
            f'<p class="text">{esc(rec.text)}</p>']
    status = _status_html(state) + (" (closed)" if state.closed else "")
    if f.duplicate:
        status += " (a duplicate: counted with the one it duplicates)"
    pairs = [("Status", status)]
    if state.status != "awaiting-response":
        pairs.append(("Basis", esc(BASIS_MEANING.get(state.basis or "", "not stated"))))
    pairs += [
        ("Response", esc(state.response or "none recorded yet")),
        ("Due", _due_html(state, f.overdue) or "none set"),
        ("Owner", _owner_link(site, here, state.owner) or "none named"),
        ("Report", _report_link(site, here, report.id) + f": {esc(one_line(report.title))} ({esc(report.by)}, "
                   f"published {esc(report.published)})"),
        ("Latest event", esc(state.last_event or "")),
    ]
    if rec.answers:
        pairs.append(("Answers", _rec_link(site, here, _answers_id(report.id, rec.answers))))
    if answered_by:
        pairs.append(("Answered by", ", ".join(_rec_link(site, here, r) for r in answered_by)))
    for label, ids in (("Supersedes", links.get("supersedes", [])),
                       ("Superseded by", [state.superseded_by] if state.superseded_by else []),
                       ("Duplicate of", [state.duplicate_of] if state.duplicate_of else []),
                       ("Duplicated by", links.get("duplicated_by", [])),
                       ("Related to", state.related),
                       ("Related from", links.get("related_by", []))):
        if ids:
            pairs.append((label, ", ".join(_rec_link(site, here, r) for r in ids)))
    if rec.evidence:
        pairs.append(("Evidence", "<br>".join(_web_link(e) for e in rec.evidence)))
    body.append(_fields_html(pairs))

    body.append("<h2>History</h2>")
    items = [f'<li id="issued"><p><strong><time datetime="{report.published}">{report.published}</time></strong> issued, '
             "awaiting a response</p></li>"]
    for event, anchor in zip(data["events"], anchors):
        head = change_cell(event)
        parts = [f'<p><strong><time datetime="{event["date"]}">{event["date"]}</time></strong>' + (f" {esc(head)}" if head else "") + "</p>"]
        for para in amendment_values(event):
            parts.append(f'<p class="note">{esc(para)}</p>')
        if event.get("note"):
            parts.append(f'<p class="note">{esc(event["note"])}</p>')
        meta = []
        if event.get("source"):
            meta.append("source: " + _report_link(site, here, event["source"], one_line(event["source"])))
        for link in event.get("evidence") or []:
            meta.append("evidence: " + _web_link(link))
        entered = entered_text(event)
        if entered:
            meta.append(esc(entered))
        if meta:
            parts.append('<p class="meta">' + " · ".join(meta) + "</p>")
        items.append(f'<li id="{anchor}">' + "".join(parts) + "</li>")
    body.append('<ol class="timeline">' + "".join(items) + "</ol>")
    return _page(site, here, rec.id, body)


# --------------------------------------------------------------------------- a report


REC_HEADERS = ("REF", "STATUS (BASIS)", "RESPONSE", "DUE", "OWNER", "RECOMMENDATION", "LATEST NOTE")


def _rec_rows_html(site: Site, here: str, facts: list[progress.Fact]) -> str:
    rows = []
    for f in facts:
        s = f.state
        note = one_line(s.last_note) + (f" ({s.last_event})" if s.last_note and s.last_event else "")
        basis = f'<span class="meta">{esc(s.basis)}</span>' if s.basis and s.status != "awaiting-response" else ""
        rows.append(f'<tr><td data-col="id">{_rec_link(site, here, f.rec.id, f.rec.ref)}</td><td>{_status_html(s)}{basis}</td>'
                    f'<td>{esc(s.response or "")}</td><td class="due">{_due_html(s, f.overdue)}</td>'
                    f'<td class="wrap">{_owner_link(site, here, s.owner)}</td><td class="note">{esc(one_line(f.rec.text))}</td>'
                    f'<td class="note">{esc(note)}</td></tr>')
    head = "".join(f"<th>{esc(h)}</th>" for h in REC_HEADERS)
    return scroll_box("recommendations", f'<table id="recommendations"><thead><tr>{head}</tr></thead><tbody>\n'
                      + "\n".join(rows) + "\n</tbody></table>")


def _report_page(site: Site, here: str, r: Report, facts: list[progress.Fact], followers: list[Report],
                 trend: progress.Trend | None, grades: list[tuple[str, str | None, str | None, str]],
                 recorded: list[tuple[Any, ...]]) -> bytes:
    body = [_crumbs(site, here, [(None, r.id)]), f"<h1>{esc(one_line(r.title))}</h1>",
            f'<p class="meta">{esc(r.id)} · {esc(r.kind)} · {esc(one_line(r.by))} · published {esc(r.published)}</p>']
    pairs = [("Issued by", esc(one_line(r.by))), ("Subject", esc(one_line(r.subject))), ("Kind", esc(r.kind)),
             ("Published", esc(r.published))]
    if r.url:
        pairs.append(("Source", _web_link(r.url)))
    if r.follows:
        pairs.append(("Follows", ", ".join(_report_link(site, here, x) for x in r.follows)))
    if followers:
        pairs.append(("Followed by", ", ".join(_report_link(site, here, x.id) for x in followers)))
    if r.response_within:
        deadline = progress.response_deadline(r)
        pairs.append(("Response", esc(f"within {r.response_within} of publication (by {deadline})")))
    for key, value in r.figures.items():
        pairs.append((f"Figure: {one_line(key)}", esc(value)))
    if r.note:
        pairs.append(("Note", f'<span class="long">{esc(r.note)}</span>'))
    body.append(_fields_html(pairs))

    if facts:
        _, total = progress.count(facts, "status")
        fields = total.fields()
        body.append(_cards(fields))
        body.append(f"<p>{bar_svg(fields, width=280, height=14)}</p>")
        body.append(legend_html([s for s in STATUSES if fields["by_status"][s]]))
        body.append(f"<h2>Recommendations ({len(facts)})</h2>")
        body.append(_rec_rows_html(site, here, facts))
    else:
        body.append("<p>This report makes no recommendations of its own.</p>")

    expected = schedule.expectations(r, followers, site.as_of) if (r.followup or r.revisit) else []
    if expected:
        body.append("<h2>Follow-up reports expected</h2>")
        items = []
        for e in expected:
            what = "revisit" if e.kind == schedule.REVISIT else f"follow-up {e.number}"
            if e.satisfied_by:
                late = f", {(e.satisfied_on - e.expected).days} days late" if e.late and e.satisfied_on else ""  # type: ignore[operator]
                met = f"met by {_report_link(site, here, e.satisfied_by)} ({esc(e.satisfied_on)}{esc(late)})"
            elif e.expected < site.as_of:
                met = '<span class="overdue">missed</span>'
            else:
                met = "to come"
            items.append(f"<li>{esc(what)}: expected by {esc(e.expected)}: {met}</li>")
        body.append("<ul>" + "".join(items) + "</ul>")

    if trend is not None:
        points = [{"of": trend.of.id, "report": p.report.id, "date": p.date, "moved": p.moved, **p.counts.fields()}
                  for p in trend.points]
        body.append("<h2>Trend: status at publication and at each follow-up</h2>")
        body.append(f'<div class="trend"><div>{trend_svg(r.id, points)}'
                    + legend_html([s for s in STATUSES if any(p["by_status"][s] for p in points)]) + "</div>"
                    + _trend_table(site, here, points) + "</div>")

    if grades:
        body.append("<h2>Graded judgements</h2>")
        rows = []
        for question, grade, previous, direction in grades:
            shown = badge(GRADE_COLOUR[grade], grade) if grade in GRADE_COLOUR else esc(grade or "-")
            rows.append(f'<tr><td data-col="question">{esc(one_line(question))}</td><td>{shown}</td>'
                        f"<td>{esc(previous or '')}</td><td>{esc(direction)}</td></tr>")
        body.append(scroll_box("graded judgements", '<table id="grades"><thead><tr><th>QUESTION</th><th>GRADE</th>'
                               "<th>PREVIOUS INSPECTION</th><th>CHANGE</th></tr></thead><tbody>\n"
                               + "\n".join(rows) + "\n</tbody></table>"))

    if recorded:
        body.append(f"<h2>Changes recorded from this report ({len(recorded)})</h2>")
        rows = []
        for rec_id, event, anchor in recorded:
            link = _link(here, rec_path(rec_id) + "#" + anchor, rec_id)
            rows.append(f'<tr><td data-col="id">{link}</td><td>{esc(event["date"])}</td>'
                        f'<td class="note">{esc(change_cell(event))}</td><td class="note">{esc(one_line(event.get("note")))}</td></tr>')
        body.append(scroll_box("changes recorded from this report", '<table id="recorded"><thead><tr><th>RECOMMENDATION</th>'
                               "<th>DATE</th><th>CHANGE</th><th>NOTE</th></tr></thead><tbody>\n"
                               + "\n".join(rows) + "\n</tbody></table>"))
    return _page(site, here, one_line(r.title), body)


def _grades_of(tables: list[graded.GradeTable], r: Report) -> list[tuple[str, str | None, str | None, str]]:
    """(question, grade, the grade the subject's previous graded inspection gave, direction) of
    each question this report graded."""
    if not r.grades:
        return []
    for t in tables:
        ids = [x.id for x in t.inspections]
        if r.id not in ids:
            continue
        at = ids.index(r.id)
        out = []
        for row in t.rows:
            grade = row.grades[at]
            if grade is None:
                continue
            before = [g for g in row.grades[:at] if g is not None]
            previous = before[-1] if before else None
            out.append((row.question, grade, previous, graded.direction(previous, grade)))
        return out
    return [(q, g, None, "") for q, g in r.grades.items()]


def _trend_table(site: Site, here: str, points: list[dict[str, Any]]) -> str:
    head = "<th>STATUS</th>" + "".join(f'<th class="n">{esc(p["date"])}</th>' for p in points)
    rows = []
    for s in STATUSES:
        if any(p["by_status"][s] for p in points):
            rows.append(f'<tr><td>{esc(s)}</td>' + "".join(f'<td class="n">{p["by_status"][s]}</td>' for p in points) + "</tr>")
    rows.append("<tr><td>closed</td>" + "".join(f'<td class="n">{_pct(p["closed"], p["total"])}</td>' for p in points) + "</tr>")
    rows.append("<tr><td>overdue</td>" + "".join(f'<td class="n">{p["overdue"]}</td>' for p in points) + "</tr>")
    rows.append("<tr><td>moved since the previous</td>" + "".join(f'<td class="n">{p["moved"] if i else ""}</td>'
                                                                   for i, p in enumerate(points)) + "</tr>")
    rows.append("<tr><td>check</td>" + "".join(f'<td class="n">{_report_link(site, here, p["report"], "published" if i == 0 else p["report"])}</td>'
                                              for i, p in enumerate(points)) + "</tr>")
    return scroll_box("trend", f'<table id="trend"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>")


# --------------------------------------------------------------------------- owners


def _owner_page(site: Site, here: str, owner: str, facts: list[progress.Fact]) -> bytes:
    _, total = progress.count(facts, "status")
    fields = total.fields()
    body = [_crumbs(site, here, [(OWNERS, "Owners"), (None, one_line(owner))]), f"<h1>{esc(one_line(owner))}</h1>",
            f'<p class="meta">The recommendations {esc(one_line(owner))} is named as owner of.</p>',
            _cards(fields, ("total", "open", "closed", "overdue", "due_soon")),
            f"<h2>Recommendations ({len(facts)})</h2>"]
    rows = []
    for f in sorted(facts, key=lambda f: (f.state.closed, not f.overdue, f.state.due or date.max, f.report.published,
                                          f.report.id, query.natural_part(f.rec.ref))):
        rows.append(f'<tr><td data-col="id">{_rec_link(site, here, f.rec.id)}</td><td>{_status_html(f.state)}</td>'
                    f'<td class="due">{_due_html(f.state, f.overdue)}</td><td>{esc(f.state.response or "")}</td>'
                    f'<td class="note">{esc(one_line(f.rec.text))}</td></tr>')
    body.append(scroll_box("recommendations", '<table id="recommendations"><thead><tr><th>ID</th><th>STATUS</th><th>DUE</th>'
                           "<th>RESPONSE</th><th>RECOMMENDATION</th></tr></thead><tbody>\n" + "\n".join(rows)
                           + "\n</tbody></table>"))
    return _page(site, here, one_line(owner), body)


def _owners_page(site: Site, owners: list[str], held: dict[str, list[progress.Fact]], unowned: int) -> bytes:
    here = OWNERS
    body = [_crumbs(site, here, [(None, "Owners")]), "<h1>Owners</h1>",
            '<p class="meta">Who is named as owner of each recommendation, and what each holds.'
            + (f" {unowned} recommendation{'s' if unowned != 1 else ''} name{'s' if unowned == 1 else ''} no owner." if unowned else "")
            + "</p>"]
    rows = []
    for owner in owners:
        _, total = progress.count(held[owner], "status")
        fields = total.fields()
        rows.append(f"<tr><td>{_owner_link(site, here, owner)}</td><td class=\"n\">{fields['total']}</td>"
                    f"<td class=\"n\">{fields['open']}</td><td class=\"n{' bad' if fields['overdue'] else ''}\">{fields['overdue']}</td>"
                    f"<td class=\"n\">{fields['closed']}</td><td class=\"n\">{_pct(fields['closed'], fields['total'])}</td></tr>")
    body.append(scroll_box("owners", '<table id="owners"><thead><tr><th>OWNER</th><th class="n">TOTAL</th><th class="n">OPEN</th>'
                           '<th class="n">OVERDUE</th><th class="n">CLOSED</th><th class="n">CLOSED%</th></tr></thead><tbody>\n'
                           + "\n".join(rows) + "\n</tbody></table>") if rows else "<p>No recommendation names an owner.</p>")
    return _page(site, here, "Owners", body)


# --------------------------------------------------------------------------- the front page


def _index_page(site: Site, shown: list[Report], facts: list[progress.Fact], by_report: dict[str, list[progress.Fact]],
                trends: dict[str, progress.Trend]) -> bytes:
    here = INDEX
    _, total = progress.count(facts, "status")
    fields = total.fields()
    n = len(shown)
    body = [f"<h1>{esc(one_line(site.title))}</h1>",
            f'<p class="meta">As of <strong id="as-of">{esc(site.as_of)}</strong>: {n} report{"s" if n != 1 else ""}, '
            f'{fields["total"]} recommendation{"s" if fields["total"] != 1 else ""}, from the ledger '
            f"{esc(one_line(site.ledger_name))}.</p>"]
    if fields["total"]:
        body.append(_cards(fields))
    body.append(f"<h2>Reports ({n})</h2>")
    rows = []
    for r in shown:
        own = by_report.get(r.id, [])
        _, counts = progress.count(own, "status")
        c = counts.fields()
        rows.append(f'<tr data-overdue="{1 if c["overdue"] else 0}"><td data-col="id">{_report_link(site, here, r.id)}</td>'
                    f'<td class="note">{esc(one_line(r.title))}</td><td>{esc(r.published)}</td>'
                    f"<td class=\"n\">{c['total']}</td><td class=\"n\">{c['open']}</td>"
                    f"<td class=\"n\">{_pct(c['closed'], c['total'])}</td><td class=\"n{' bad' if c['overdue'] else ''}\">{c['overdue']}</td>"
                    f"<td>{bar_svg(c) if c['total'] else ''}</td><td>{esc(r.kind)}</td><td class=\"wrap\">{esc(one_line(r.by))}: "
                    f"{esc(one_line(r.subject))}</td></tr>")
    if not shown:
        body.append(f"<p>No report was published by {esc(site.as_of)}.</p>")
    else:
        body.append(scroll_box("reports", '<table id="reports"><thead><tr><th>REPORT</th><th>TITLE</th><th>PUBLISHED</th>'
                               '<th class="n">TOTAL</th><th class="n">OPEN</th><th class="n">CLOSED%</th><th class="n">OVERDUE</th>'
                               '<th>PROGRESS</th><th>KIND</th><th>BY: SUBJECT</th></tr></thead><tbody>\n' + "\n".join(rows)
                               + "\n</tbody></table>"))
    if fields["total"]:
        body.append(legend_html([s for s in STATUSES if fields["by_status"][s]]))
    if trends:
        body.append(f"<h2>Follow-ups: {len(trends)} report{'s' if len(trends) != 1 else ''} checked since publication</h2>")
        body.append('<p class="meta">Each report\'s recommendations at its publication and at its latest follow-up; its '
                    "page shows every check.</p>")
        rows = []
        for r in shown:
            t = trends.get(r.id)
            if t is None:
                continue
            first, last = t.points[0].counts, t.points[-1].counts
            never = sum(1 for m in t.items if m.changes == 0)
            rows.append(f'<tr><td data-col="id">{_report_link(site, here, r.id)}</td><td class="n">{len(t.points) - 1}</td>'
                        f"<td>{_report_link(site, here, t.points[-1].report.id, str(t.points[-1].date))}</td>"
                        f'<td class="n">{last.total}</td><td class="n">{_pct(first.closed, first.total)}</td>'
                        f'<td class="n">{_pct(last.closed, last.total)}</td><td class="n">{_pct(last.implemented, last.total)}</td>'
                        f'<td class="n">{last.overdue}</td><td class="n">{sum(p.moved for p in t.points)}</td>'
                        f'<td class="n">{never}</td></tr>')
        body.append(scroll_box("follow-ups", '<table id="follow-ups"><thead><tr><th>REPORT</th><th class="n">CHECKS</th>'
                               '<th>LATEST CHECK</th><th class="n">TOTAL</th><th class="n">CLOSED AT PUBLICATION</th>'
                               '<th class="n">CLOSED AT LATEST</th><th class="n">IMPLEMENTED</th><th class="n">OVERDUE THEN</th>'
                               '<th class="n">MOVES</th><th class="n">NEVER MOVED</th></tr></thead><tbody>\n'
                               + "\n".join(rows) + "\n</tbody></table>"))
    body.append("<h2>Re-use</h2>")
    body.append(f"<ul><li>{_link(here, FEED, 'The latest changes')}, as an Atom feed to subscribe to.</li>"
                f"<li>The whole ledger as {_link(here, DATA_JSON, 'JSON')} and as {_link(here, DATA_CSV, 'CSV')}: every report, "
                "recommendation and event, as <code>track export</code> writes them.</li>"
                f"<li>{_link(here, OWNERS, 'Owners')}: what each owner holds.</li></ul>")
    return _page(site, here, one_line(site.title), body, script=FILTER_SCRIPT)


# --------------------------------------------------------------------------- the feed


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", escape(str(value)))


def entry_id(site: Site, path: str) -> str:
    """An entry's id: a name-based UUID of the ledger's name and the entry's place, so that it
    stays the same wherever the register is published (a feed's ids must never change)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"track:{site.ledger_name}/{path}"))


def feed(site: Site, changes: list[tuple[Any, ...]], shown: list[Report]) -> bytes:
    """The Atom feed (RFC 4287) of the latest FEED_ENTRIES changes: reports published and
    events recorded, newest first, each dated by its own date and linked to its page."""
    from xml.etree import ElementTree as ET

    ns = "http://www.w3.org/2005/Atom"
    base = site.base_url or ""
    entries: list[tuple[Any, ...]] = [(e[0], 1, e[1], "event", e) for e in changes]
    entries += [(r.published, 0, i, "report", r) for i, r in enumerate(shown)]
    entries.sort(key=lambda e: (e[0], e[1], e[2]), reverse=True)
    entries = entries[:FEED_ENTRIES]
    root = ET.Element("feed", {"xmlns": ns})
    ET.SubElement(root, "title").text = _xml_text(f"{one_line(site.title)}: changes")
    ET.SubElement(root, "subtitle").text = _xml_text(f"Reports published and progress recorded, from the ledger "
                                                     f"{one_line(site.ledger_name)}")
    ET.SubElement(root, "id").text = entry_id(site, FEED)
    updated = entries[0][0] if entries else site.as_of
    ET.SubElement(root, "updated").text = f"{updated}T00:00:00Z"
    ET.SubElement(ET.SubElement(root, "author"), "name").text = _xml_text(one_line(site.title))
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": base + INDEX})
    if base:
        ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": base + FEED})
    ET.SubElement(root, "generator").text = "track"
    for day, _, _, kind, item in entries:
        entry = ET.SubElement(root, "entry")
        if kind == "report":
            r = item
            path = report_path(r.id)
            title = f"Published: {one_line(r.title)} ({r.id})"
            summary = f"{one_line(r.by)} published {r.id} ({r.kind}) on {r.published}, about {one_line(r.subject)}."
            href = base + path
        else:
            _, _, rec_id, event, anchor = item
            path = f"{rec_path(rec_id)}#{anchor}"
            what = change_cell(event) or "note"
            title = f"{rec_id}: {what}"
            summary = " ".join(p for p in [one_line(event.get("note")),
                                            f"(source: {one_line(event['source'])})" if event.get("source") else ""] if p)
            href = base + path
        ET.SubElement(entry, "title").text = _xml_text(title)
        ET.SubElement(entry, "id").text = entry_id(site, path)
        ET.SubElement(entry, "updated").text = f"{day}T00:00:00Z"
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": href})
        if summary:
            ET.SubElement(entry, "summary").text = _xml_text(summary)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
