"""What `track report` shows, in every format: the progress tables, the trend across
follow-ups and the movement of each recommendation."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from track.domain.grades import GradeTable
    from typing import Any, TextIO

from track.domain.actions import newest_evidence, rollup
from track.domain.dates import parse_duration
from track.domain.model import STATUSES
from track.domain.progress import Progress, percent
from track.views import formats
from track.views.evidence import latest_evidence
from track.views.formats import Column, cell, dropped_first, md, one_line, padded_table
from track.views.grades import grades_data, grades_html
from track.views.html import COLOUR, SHORT, bar_svg, esc, html_table, legend_html, page, scroll_box, status_badge, trend_svg

# The fields of a progress row in CSV, after row/of/report/date; by_status follows as one column per status
# (STATUS_FIELDS), spelt as every CSV heading is (awaiting_response, not_started, ...), each once: the
# status implemented is the field implemented; awaiting_response is the status, as in by_status (the open
# ones with no response recorded are no_response).
COUNT_FIELDS = ["key", "total", "open", "closed", "duplicate", "implemented", "implemented_verified",
                "implemented_unverified", "share_closed", "share_implemented",
                "overdue", "due_soon", "no_response", "response_overdue"]
STATUS_FIELDS = {s: s.replace("-", "_") for s in STATUSES if s != "implemented"}


GROUP_HEADER = {"status": "STATUS", "kind": "KIND", "owner": "OWNER", "tag": "TAG", "report": "REPORT",
                "subject": "SUBJECT", "response": "RESPONSE"}


def group_header(data: dict[str, Any]) -> str:
    """The heading of the groups' column: the grouping, or the label of the ledger's own field."""
    return GROUP_HEADER.get(data["by"]) or (data.get("by_label") or data["by"]).upper()


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
      several tags is in each tag's group; "(none)" for no owner, tag or response, last; an
      owner is one group under any of their names, as `track owners` counts them: the name
      track.toml declares for a name or alias, ignoring case; an own choice field's groups
      follow its declared choices, then the values no longer offered), and
      total: the same fields for everything in scope (key "all"). Fields: key, total,
      by_status {every status: count, whatever else is true of it (a duplicate keeps its
      status)}, by_kind {every kind: count} (the headline says the kinds apart), open (open by status and not a duplicate), closed (status implemented,
      not-implemented, superseded or withdrawn), implemented_verified and
      implemented_unverified (implemented, with the basis verified or not: claimed, assessed or
      not stated), duplicate (open by status but marked a
      duplicate of another, `duplicate_of`: counted with the one it duplicates, so in none of
      open, overdue, due_soon, no_response, response_overdue; total = open + closed +
      duplicate), implemented, share_closed and share_implemented (fractions of total to 4
      places, null when total is 0), overdue (open, due before as_of), due_soon (open, due
      within 30 days from as_of, as_of included), no_response (open, no response recorded
      yet, whatever the status: the response clock's count; not the same as
      by_status["awaiting-response"], the status, which an event can end without recording a
      response), response_overdue (no response recorded after the report's
      response clock ended).
    - trend: for each report in scope with follow-ups published by as_of, one point at its own
      publication and one at each follow-up's: of (the report counted), report (the report at
      whose publication), date, moved (how many changed status since the previous point), then
      the fields of a group (key left out) for that report's own recommendations on that date.
    - movement: for each recommendation of such a report: id, of, statuses (one per point of
      its trend, in order) and changes (how many times the status changed between points).
    - metrics: null, or with --metrics: years (N), implementation_rate_by_year [{year, issued,
      implemented_within (implemented within N years of issue), rate, window_open (N years
      not yet passed for all of them)}], days_to_close {count, median, mean}, closed_on_time
      {closed_with_due, by_original_due, by_revised_due, share_original, share_revised},
      open_by_age {under 1 year, 1 to 2 years, 2 to 3 years, 3 years and over},
      open_overdue, open_not_yet_due, open_no_due (domain/progress.metrics says how each is
      counted).
    - latest_evidence: the date of the newest event in scope (null when none): when it is more
      than evidence_after before as_of, the headline says so, for a count can be no fresher.
    - evidence_after: that threshold ([report] evidence_after in track.toml, else "90 days").
    - period: null, or with --since: since, until (as_of), and groups and total (grouped as
      above), each with key, issued (report published in the period), closed (closed at its end
      by an event dated in it), closed_by {implemented, not-implemented, superseded, withdrawn:
      count}, reopened (open again after being closed, by an event in it), moved (due date
      moved in it) and open (open at its end, duplicates left out).
    - actions: null when no recommendation in scope has an action plan by as_of; else action
      completion: total, done, open, overdue (open, due before as_of), share_done, then
      by_report, by_owner (the action's lead, one row under any of their names, as for the
      groups) and by_status (the recommendation's status),
      each a list of {key, total, done, open, overdue, share_done}, and ready (the ids of open
      recommendations whose actions are all done: ready to be reported complete). Each trend
      point also has actions_done and actions_total: the plan of its report's recommendations
      at that date.
    """
    trend = []
    movement = []
    for t in p.trends:
        for point in t.points:
            trend.append({"of": t.of.id, "report": point.report.id, "date": point.date, "moved": point.moved,
                          **point.counts.fields(), "actions_done": point.actions[0], "actions_total": point.actions[1]})
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
        **({"by_label": p.by_label} if getattr(p, "by_label", None) else {}),
        "groups": [g.fields() for g in p.groups],
        "total": p.total.fields(),
        "trend": trend,
        "movement": movement,
        "latest_evidence": newest_evidence(max((f.state.last_event for f in p.facts if f.state.last_event), default=None),
                                           (f.rec for f in p.facts), p.as_of),  # the action plans' events too
        "evidence_after": str(p.evidence_after),
        "metrics": getattr(p, "measures", None),
        "period": None if p.period is None else {
            "since": p.period.since, "until": p.period.until, "groups": [g.fields() for g in p.period.groups],
            "total": p.period.total.fields()},
        "actions": rollup(p.facts, p.as_of, getattr(p, "owner_name", None)),
    }


def _metrics_tables(data: dict[str, Any]) -> list[tuple[str, list[Column], list[dict[str, Any]]]]:
    """report --metrics as (heading, columns, rows) tables: the measures, then the rate by year."""
    m = data["metrics"]
    pct = lambda v: _pct(round(v * 100)) if v is not None else "-"  # noqa: E731
    d = m["days_to_close"]
    t = m["closed_on_time"]
    rows = [
        {"measure": "days to close, median", "value": "-" if d["median"] is None else f"{d['median']:g}"},
        {"measure": "days to close, mean", "value": "-" if d["mean"] is None else f"{d['mean']:g}"},
        {"measure": "closed, count", "value": str(d["count"])},
        {"measure": "closed by the original due date", "value": f"{t['by_original_due']} of {t['closed_with_due']} ({pct(t['share_original'])})"},
        {"measure": "closed by the due date then in force", "value": f"{t['by_revised_due']} of {t['closed_with_due']} ({pct(t['share_revised'])})"},
        *({"measure": f"open, {band}", "value": str(n)} for band, n in m["open_by_age"].items()),
        {"measure": "open, overdue", "value": str(m["open_overdue"])},
        {"measure": "open, not yet due", "value": str(m["open_not_yet_due"])},
        {"measure": "open, no due date", "value": str(m["open_no_due"])},
    ]
    measures = [Column("measure", "MEASURE"), Column("value", "VALUE", wide=True)]
    years = [{"year": str(y["year"]), "issued": str(y["issued"]), "within": str(y["implemented_within"]),
              "rate": pct(y["rate"]) + (" (so far)" if y["window_open"] else "")} for y in m["implementation_rate_by_year"]]
    year_cols = [Column("year", "ISSUED IN"), Column("issued", "ISSUED", right=True),
                 Column("within", f"IMPL IN {m['years']}Y", right=True), Column("rate", "RATE", wide=True)]
    return [("Measures", measures, rows),
            (f"Implemented within {m['years']} years of issue, by year of issue (as the US GAO reports it)", year_cols, years)]


PERIOD_HEAD = {"implemented": "IMPL", "not-implemented": "NOT-IMPL", "superseded": "SUPERSEDED", "withdrawn": "WITHDRAWN"}


def _period_table(data: dict[str, Any]) -> tuple[str, list[Column], list[dict[str, Any]]]:
    """The heading, columns and rows (the groups, then the total) of what happened in the period."""
    period = data["period"]
    cols = [Column("key", group_header(data)), Column("issued", "ISSUED", right=True),
            Column("closed", "CLOSED", right=True)]
    cols += [Column(f"c:{s}", head, right=True, drop=5) for s, head in PERIOD_HEAD.items()]
    cols += [Column("reopened", "REOPENED", right=True, drop=6), Column("moved", "DUE-MOVED", right=True),
             Column("open", "OPEN-AT-END", right=True)]
    rows = []
    for g, label in [(g, None) for g in period["groups"]] + [(period["total"], "Total")]:
        row = dict(g, key=label or g["key"])
        row.update({f"c:{s}": n for s, n in g["closed_by"].items()})
        rows.append(row)
    heading = f"In the period {period['since']} to {period['until']}: issued, closed (and how), reopened, due dates moved, open at its end"
    return heading, cols, rows


def _scope_text(p: Progress) -> str:
    if p.scope is None:
        n = len(p.reports)
        return f"all {n} report{'s' if n != 1 else ''}"
    others = len(p.reports) - 1
    subject = "" if p.scope.subject.casefold() in p.scope.title.casefold() else f"{one_line(p.scope.subject)}, "
    text = f"{p.scope.id}: {one_line(p.scope.title)} ({subject}published {p.scope.published})"
    if others:
        text += f", and the {others} report{'s' if others != 1 else ''} that follow it"
        own = sum(1 for f in p.facts if f.report is p.scope or f.report.id == p.scope.id)
        if len(p.facts) > own:  # items the follow-ups made are counted with the report's own: say so
            text += f" ({own} items of its own, {len(p.facts) - own} from those reports)"
    return text


def _heading(p: Progress) -> str:
    return f"Progress report as of {p.as_of}, ledger {one_line(p.ledger_name)} ({one_line(p.ledger_root)})"


def _kind_name(kind: str, n: int) -> str:
    """A kind in words, plural unless one: "areas for improvement", "cause of concern"."""
    one = kind.replace("-", " ")
    if n == 1:
        return one
    return {"area-for-improvement": "areas for improvement", "cause-of-concern": "causes of concern"}.get(kind, one + "s")


def headline(total: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, value, label) of the headline figures: duplicates only when there are any.
    "awaiting" is kept for the status awaiting-response (the table's AWAITING column); the
    response clock's count is "no response recorded" (NO-RESPONSE)."""
    n = total["total"]
    dup = total["duplicate"]
    kinds = {k: v for k, v in total.get("by_kind", {}).items() if v}
    what = "recommendations" if n != 1 else "recommendation"
    if len(kinds) > 1 or (kinds and "recommendation" not in kinds):  # say what they are, each kind apart
        what = ("items" if n != 1 else "item") + " (" + ", ".join(f"{v} {_kind_name(k, v)}" for k, v in kinds.items()) + ")"
    return [
        ("total", str(n), what),
        ("open", str(total["open"]), "open"),
        ("closed", str(total["closed"]), f"closed ({_pct(percent(total['closed'], n)) or '-'})"),
        *([("duplicate", str(dup), f"{'duplicates' if dup != 1 else 'duplicate'} (counted with the one duplicated)")]
          if dup else []),
        ("implemented", str(total["implemented"]), f"implemented ({_pct(percent(total['implemented'], n)) or '-'}; "
                                                   f"{total['implemented_verified']} verified)"),
        ("overdue", str(total["overdue"]), "overdue"),
        ("due_soon", str(total["due_soon"]), "due within 30 days"),
        ("no_response", str(total["no_response"]), "with no response recorded"),
        ("response_overdue", str(total["response_overdue"]), "response overdue"),
    ]


def _headline_text(total: dict[str, Any], data: dict[str, Any] | None = None) -> str:
    return ", ".join(f"{value} {label}" for _, value, label in headline(total)) + (_evidence_text(data) if data else "")


def _evidence_text(data: dict[str, Any]) -> str:
    """"; latest evidence 2019-06-01 (2,744 days ago)" when the newest event in scope is old (evidence.latest_evidence)."""
    line = latest_evidence(data.get("latest_evidence"), data["as_of"], parse_duration(data.get("evidence_after", "90 days")))
    return f"; {line}" if line else ""


def _progress_columns(data: dict[str, Any]) -> list[Column]:
    """KEY, TOTAL, then (unless grouped by status) a column per status that any row has
    (implemented always), DUPLICATE if any, then the shares and the clocks. AWAITING is the
    status awaiting-response; NO-RESPONSE counts the open items with no response recorded."""
    cols = [Column("key", group_header(data)), Column("total", "TOTAL", right=True)]
    if data["by"] == "status":
        cols.append(Column("implemented", "IMPL", right=True))
    else:
        for s in STATUSES:
            if s == "implemented":
                cols.append(Column("implemented", "IMPL", right=True))
            elif data["total"]["by_status"][s]:
                cols.append(Column(f"s:{s}", SHORT[s].upper(), right=True, drop=1 + STATUSES.index(s)))
    if data["total"]["duplicate"]:
        cols.append(Column("duplicate", "DUPLICATE", right=True, drop=10))
    cols += [
        Column("closed", "CLOSED", right=True, drop=13),
        Column("pct_closed", "CLOSED%", right=True, drop=15),
        Column("pct_implemented", "IMPL%", right=True, drop=14),
        Column("overdue", "OVERDUE", right=True),
        Column("due_soon", "DUE-30D", right=True, drop=10),
        Column("no_response", "NO-RESPONSE", right=True, drop=11),
        Column("response_overdue", "RESP-OVERDUE", right=True, drop=12),
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


TREND_SUMMARY = [("total", "total"), ("closed", "closed"), ("duplicate", "duplicate"), ("pct_closed", "closed%"),
                 ("pct_implemented", "implemented%"), ("overdue", "overdue"), ("due_soon", "due-30d"),
                 ("no_response", "no-response"), ("response_overdue", "resp-overdue"), ("moved", "moved since previous")]


def _trend_table(points: list[dict[str, Any]]) -> tuple[list[Column], list[dict[str, Any]]]:
    """Statuses down, checks across: one column per point, headed by its date."""
    cols = [Column("label", "STATUS")] + [Column(f"p{i}", str(p["date"]), right=True, drop=dropped_first(i, len(points)))
                                          for i, p in enumerate(points)]
    rows = []
    for s in STATUSES:
        if any(p["by_status"][s] for p in points):
            rows.append({"label": s, **{f"p{i}": p["by_status"][s] for i, p in enumerate(points)}})
    for key, label in TREND_SUMMARY:
        if key == "duplicate" and not any(p["duplicate"] for p in points):
            continue  # a row only when some check had duplicates
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
    if any(p.get("actions_total") for p in points):
        rows.append({"label": "actions done", **{f"p{i}": f"{p['actions_done']}/{p['actions_total']}" for i, p in enumerate(points)}})
    return cols, rows


ACTION_GROUPS = (("by_report", "REPORT", "by report"), ("by_owner", "LEAD", "by lead"),
                 ("by_status", "RECOMMENDATION STATUS", "by the recommendation's status"))


def _action_tables(data: dict[str, Any]) -> list[tuple[str, list[Column], list[dict[str, Any]]]]:
    """The action plans' completion as (heading, columns, rows) tables: by report, by lead and
    by the recommendation's status."""
    a = data["actions"]
    out = []
    for name, head, words in ACTION_GROUPS:
        cols = [Column("key", head), Column("total", "ACTIONS", right=True), Column("done", "DONE", right=True),
                Column("open", "OPEN", right=True), Column("overdue", "OVERDUE", right=True), Column("pct", "DONE%", right=True)]
        rows = [dict(r, pct=_pct(percent(r["done"], r["total"]))) for r in a[name]]
        out.append((f"Actions {words}", cols, rows))
    return out


def _actions_headline(data: dict[str, Any]) -> list[str]:
    a = data["actions"]
    lines = [f"Action plans: {a['done']} of {a['total']} actions done ({_pct(percent(a['done'], a['total']))}), "
             f"{a['open']} open, {a['overdue']} overdue."]
    if a["ready"]:
        lines.append(f"All actions done, ready to be reported complete: {', '.join(a['ready'])}.")
    return lines


def _legend(points: list[dict[str, Any]], reports: dict[str, Any]) -> list[str]:
    out = []
    for i, p in enumerate(points):
        r = reports.get(p["report"])
        title = f": {one_line(r.title)}" if r is not None else ""
        out.append(f"{p['date']}  {p['report']}{title}" + ("  (publication)" if i == 0 else ""))
    return out


def _movement_table(data: dict[str, Any], of: str, points: list[dict[str, Any]],
                    full: bool = False) -> tuple[list[Column], list[dict[str, Any]]]:
    """A row per recommendation, its status at each check: shortened ("reported") for a
    terminal and the page's badges, in full ("reported-complete") where nothing is cut."""
    cols = [Column("id", "ID")] + [Column(f"p{i}", str(p["date"]), drop=dropped_first(i, len(points))) for i, p in enumerate(points)]
    cols.append(Column("changes", "CHANGES", right=True, drop=len(points)))
    rows = []
    for m in data["movement"]:
        if m["of"] != of:
            continue
        row: dict[str, Any] = {"id": m["id"], "changes": m["changes"] or "never"}
        for i, s in enumerate(m["statuses"]):
            row[f"p{i}"] = s if full else SHORT[s]
        rows.append(row)
    return cols, rows


# --------------------------------------------------------------------------- progress report


def progress_report(p: Progress, fmt: str, out: TextIO | None = None, grades: list[GradeTable] | None = None) -> None:
    """`track report` in `fmt`; the HTML page also shows `grades`, the graded judgements of its scope."""
    data = progress_data(p)
    if fmt == "json":
        formats.write(formats.to_json(data), out)
    elif fmt == "csv":
        formats.write(progress_csv(data), out)
    elif fmt == "markdown":
        formats.write(progress_markdown(p, data), out)
    elif fmt == "html":
        formats.write(progress_html(p, data, grades or []), out)
    else:
        formats.write(progress_text(p, data, terminal=fmt == "table"), out)


def progress_csv(data: dict[str, Any]) -> str:
    """One row per group (row=group), the total (row=total) and each trend point (row=trend,
    with of/report/date/moved); the status counts follow as one column per status
    (STATUS_FIELDS; implemented is the field of that name). Then the movement grid: a row per
    recommendation of a trend (row=movement: key its id, of its report, report its status at
    each check in order joined by "; ", moved how many times it changed); with --since the
    period (row=period and period-total); and when any recommendation has an action plan, the
    columns actions_done and actions_total of each trend row (its report's plans at that
    check) and the plans' completion (row=actions, of all, report, lead or status; the columns
    done and share_done then follow the others)."""
    fields = ["row", "of", "report", "date", "moved", *COUNT_FIELDS, *STATUS_FIELDS.values(), "issued", "closed_implemented",
              "closed_not_implemented", "closed_superseded", "closed_withdrawn", "reopened", "open_at_end"]

    def row(kind: str, g: dict[str, Any], **more: Any) -> dict[str, Any]:
        out = {"row": kind, **{f: g.get(f) for f in COUNT_FIELDS}, **more}
        out.update((STATUS_FIELDS[s], n) for s, n in g["by_status"].items() if s in STATUS_FIELDS)
        return out

    rows = []
    for kind, items in (("group", data["groups"]), ("total", [data["total"]])):
        rows.extend(row(kind, g) for g in items)
    plans = data["actions"] is not None or any(p.get("actions_total") for p in data["trend"])
    if plans:  # the trend's "actions done" row of the tables, as two columns of each trend row
        fields += ["actions_done", "actions_total"]
    for point in data["trend"]:
        rows.append(row("trend", point, key=point["report"], of=point["of"], report=point["report"], date=point["date"],
                        moved=point["moved"],
                        **({"actions_done": point["actions_done"], "actions_total": point["actions_total"]} if plans else {})))
    for m in data["movement"]:  # row=movement: a recommendation's status at each check of its report's trend, joined by "; "
        rows.append({"row": "movement", "key": m["id"], "of": m["of"], "report": "; ".join(m["statuses"]),
                     "moved": m["changes"]})
    if data["metrics"] is not None:  # row=metric: key the measure, report its value as the tables show it
        for _heading, _cols, mrows in _metrics_tables(data):
            for r in mrows:
                if "measure" in r:
                    rows.append({"row": "metric", "key": r["measure"], "report": r["value"]})
                else:
                    rows.append({"row": "metric-year", "key": r["year"], "total": r["issued"], "implemented": r["within"],
                                 "report": r["rate"]})
    if data["actions"] is not None:  # row=actions: the plans' completion, of the grouping (all, report, lead, status)
        a = data["actions"]
        fields += ["done", "share_done"]
        groups = [("all", [dict(a, key="all")]), ("report", a["by_report"]), ("lead", a["by_owner"]), ("status", a["by_status"])]
        for of, items in groups:
            rows.extend({"row": "actions", "of": of, "key": g["key"], "total": g["total"], "done": g["done"], "open": g["open"],
                         "overdue": g["overdue"], "share_done": g["share_done"]} for g in items)
    if data["period"] is not None:  # row=period: the period's counts; date is its first day, of its last
        period = data["period"]
        for kind, items in (("period", period["groups"]), ("period-total", [period["total"]])):
            for g in items:
                rows.append({"row": kind, "key": g["key"], "date": period["since"], "of": period["until"],
                             "issued": g["issued"], "closed": g["closed"], "moved": g["moved"], "reopened": g["reopened"],
                             "open_at_end": g["open"],
                             **{f"closed_{s.replace('-', '_')}": n for s, n in g["closed_by"].items()}})
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


def _bar_pieces(fields: dict[str, Any], color: bool, width: int = BAR_WIDTH) -> list[tuple[str, str | None]]:
    """A stacked bar of a group, as (text, style) pieces: implemented, closed otherwise,
    reported complete, then open; in colour a line, else shades."""
    total = fields["total"]
    if not total:
        return [(" " * width, None)]
    parts = [(fields["implemented"], "green", "█"), (fields["closed"] - fields["implemented"], "blue", "▓"),
             (fields["by_status"]["reported-complete"], "cyan", "▒")]
    out: list[tuple[str, str | None]] = []
    used, drawn = 0, 0
    for n, style, char in parts:
        cells = round(width * (used + n) / total) - round(width * used / total)
        used += n
        if cells:
            out.append(("━" * cells, style) if color else (char * cells, None))
            drawn += cells
    if drawn < width:
        out.append(("─" * (width - drawn), "dim") if color else ("░" * (width - drawn), None))
    return out


def _terminal_progress(data: dict[str, Any], width: int, color: bool) -> str:
    """The progress table for a terminal, drawn by rich: a bar per group, the statuses in
    their colours, overdue figures in red, the total in bold below a rule."""
    from rich.text import Text

    columns = _progress_columns(data)
    columns.insert(1, Column("bar", "PROGRESS"))
    rows = _progress_rows(data)
    bar_width = BAR_WIDTH if width >= 100 else BAR_WIDTH // 2  # a narrow terminal's bar is half as long
    by_column = [[cell(r.get(c.key)) if c.key != "bar" else "x" * bar_width for r in rows] for c in columns]
    bars = []
    for row in rows:
        bar = Text()
        for piece, style in _bar_pieces(row, color, bar_width):
            bar.append(piece, style or "")
        bars.append(bar)
    red = _Nonzero("red")
    cell_styles = [formats.STATUS_STYLE if color and data["by"] == "status" else None, None,
                   *(red if color and c.key in ("overdue", "response_overdue") else None for c in columns[2:])]
    styles = [None] * (len(rows) - 1) + ["bold"] if color else None
    return "".join(formats.terminal_table(columns, by_column, width, color, styles, cell_styles=cell_styles,
                                          texts={"bar": bars}, sections={len(rows) - 2}))


class _Nonzero:
    """A cell style for figures: `style` for any but 0 (or nothing)."""

    def __init__(self, style: str) -> None:
        self.style = style

    def get(self, value: str) -> str | None:
        return self.style if value not in ("", "0") else None


def progress_text(p: Progress, data: dict[str, Any], terminal: bool = False) -> str:
    """plain (terminal=False: no colour, no box characters) or table (a terminal: bars, colour
    unless NO_COLOR, rules, cut to the width)."""
    width = formats.terminal_width() if terminal else None
    color = terminal and formats.use_color()

    def bold(text: str) -> str:
        return formats.paint(text, "bold") if color else text

    def table(cols: list[Column], rows: list[dict[str, Any]]) -> str:
        if not terminal:
            return padded_table(cols, rows)
        return formats.plain_table(cols, rows, width=width, color=color)

    def para(text: str, indent: str = "") -> str:  # on a terminal wrapped at words
        return formats.wrapped(text, width, indent=indent).rstrip("\n") if width else text

    if width:
        def bold(text: str) -> str:
            return formats.heading(text, width, color).rstrip("\n")

    reports = {r.id: r for r in p.reports}
    out = [bold(_heading(p)), para(f"Scope: {_scope_text(p)}"), ""]
    if not data["total"]["total"]:
        out.append(f"No recommendations issued by {p.as_of}.")
        return "\n".join(out) + "\n"
    out += [para(_headline_text(data["total"], data) + "."), ""]
    if terminal:
        out.append(_terminal_progress(data, width or 100, color))
    else:
        out.append(padded_table(_progress_columns(data), _progress_rows(data)))
    if data["actions"] is not None:
        out += [para(line) for line in _actions_headline(data)] + [""]
        for heading, cols, rows in _action_tables(data):
            out += [bold(heading), ""]
            out.append(table(cols, rows))
    if data["period"] is not None:
        heading, cols, rows = _period_table(data)
        out += [bold(heading), ""]
        out.append(table(cols, rows))
    if data["metrics"] is not None:
        for heading, cols, rows in _metrics_tables(data):
            out += [bold(heading), ""]
            out.append(table(cols, rows))
    if data["trend"] and not _trend_in_full(p, data):
        cols, rows = _trend_summary(data)
        out += [bold(f"Follow-ups: {len(rows)} reports, each at its latest check (`track report REPORT` shows one in full)"), ""]
        out.append(table(cols, rows))
        return "\n".join(out).rstrip("\n") + "\n"
    for of, points in _trend_groups(data):
        cols, rows = _trend_table(points)
        out += [bold(f"Trend of {of}: its {points[0]['total']} recommendations at publication and at each follow-up"), ""]
        out.append(table(cols, rows))
        out.extend(_legend(points, reports) if not width else [formats.hanging(line, width, 12) for line in _legend(points, reports)])
        out.append("")
        if p.scope is not None:
            cols, rows = _movement_table(data, of, points, full=not terminal)
            out += [bold(f"Movement of each recommendation of {of} (status at each check)"), ""]
            out.append(table(cols, rows))
    return "\n".join(out).rstrip("\n") + "\n"


def progress_markdown(p: Progress, data: dict[str, Any]) -> str:
    reports = {r.id: r for r in p.reports}
    out = [f"## {_heading(p)}", "", f"Scope: {md(_scope_text(p))}", ""]
    if not data["total"]["total"]:
        out.append(f"No recommendations issued by {p.as_of}.")
        return "\n".join(out) + "\n"
    out += [f"- **{value}** {label}" for _, value, label in headline(data["total"])]
    if _evidence_text(data):
        out.append(f"- {_evidence_text(data)[2:]}")
    out.append("")
    out.append(formats.markdown_table(_progress_columns(data), _progress_rows(data)))
    out += _open_items_markdown(p)
    if data["actions"] is not None:
        out += ["### Action plans", ""] + [f"- {md(line)}" for line in _actions_headline(data)] + [""]
        for heading, cols, rows in _action_tables(data):
            out += [f"#### {heading}", "", formats.markdown_table(cols, rows)]
    if data["period"] is not None:
        heading, cols, rows = _period_table(data)
        out += [f"### {heading}", "", formats.markdown_table(cols, rows)]
    if data["metrics"] is not None:
        for heading, cols, rows in _metrics_tables(data):
            out += [f"### {heading}", "", formats.markdown_table(cols, rows)]
    if data["trend"] and not _trend_in_full(p, data):
        cols, rows = _trend_summary(data)
        out += [f"### Follow-ups: {len(rows)} reports, each at its latest check", "", formats.markdown_table(cols, rows)]
        out += _sources_markdown(p)
        return "\n".join(out).rstrip("\n") + "\n"
    for of, points in _trend_groups(data):
        cols, rows = _trend_table(points)
        out.append(f"### Trend of {of}")
        out.append("")
        out.append(formats.markdown_table(cols, rows))
        out.extend(f"- {md(line)}" for line in _legend(points, reports))
        out.append("")
        if p.scope is not None:
            cols, rows = _movement_table(data, of, points, full=True)
            out.append(f"### Movement of each recommendation of {of}")
            out.append("")
            out.append(formats.markdown_table(cols, rows))
    out += _sources_markdown(p)
    return "\n".join(out).rstrip("\n") + "\n"


OPEN_ITEMS_MAX = 500  # a page that can be mailed: beyond this, `track list` has the rest


def progress_html(p: Progress, data: dict[str, Any], grades: list[GradeTable]) -> str:
    reports = {r.id: r for r in p.reports}
    title = f"Progress report: {p.scope.id if p.scope else p.ledger_name} as of {p.as_of}"
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="meta">As of <strong id="as-of">{esc(p.as_of)}</strong> · ledger <strong>{esc(p.ledger_name)}</strong> '
            f'({esc(p.ledger_root)})</p>',
            f'<p class="scope">Scope: {esc(_scope_text(p))}</p>']
    total = data["total"]
    if not total["total"]:
        body.append(f"<p>No recommendations issued by {esc(p.as_of)}.</p>")
        return page(title, body)
    body.append('<div class="cards" id="headline">')
    for key, value, label in headline(total):
        alert = " alert" if key in ("overdue", "response_overdue") and value != "0" else ""
        body.append(f'<div class="card{alert}" data-figure="{esc(key)}"><span class="n">{esc(value)}</span>'
                    f'<span class="l">{esc(label)}</span></div>')
    body.append("</div>")
    if _evidence_text(data):
        body.append(f'<p class="meta" id="latest-evidence">{esc(_evidence_text(data)[2:].capitalize())}.</p>')

    body.append(f"<h2>Progress by {esc(data.get('by_label') or data['by'])}</h2>")
    columns = _progress_columns(data)
    columns.insert(1, Column("bar", "PROGRESS"))
    rows = _progress_rows(data)

    def progress_cell(c: Column, row: dict[str, Any]) -> str | None:
        if c.key == "bar":
            return f"<td>{bar_svg(row)}</td>"
        if c.key == "key" and data["by"] == "status":
            return f'<td data-col="key">{status_badge(row["key"]) if row["key"] in COLOUR else esc(row["key"])}</td>'
        return None

    body.append(html_table(columns, rows, table_id="progress", total_last=True, cell_html=progress_cell))
    body.append(legend_html([s for s in STATUSES if total["by_status"][s]]))
    if data["actions"] is not None:
        body.append("<h2>Action plans</h2>")
        body.extend(f'<p class="meta">{esc(line)}</p>' for line in _actions_headline(data))
        for n, (heading, cols, arows) in enumerate(_action_tables(data)):
            body.append(f"<h3>{esc(heading)}</h3>")
            body.append(html_table(cols, arows, table_id=("actions-by-report", "actions-by-lead", "actions-by-status")[n]))
    if data["period"] is not None:
        heading, cols, prows = _period_table(data)
        body.append(f"<h2>{esc(heading)}</h2>")
        body.append(html_table(cols, prows, table_id="period", total_last=True))
    if data["metrics"] is not None:
        for n, (heading, cols, mrows) in enumerate(_metrics_tables(data)):
            body.append(f"<h2>{esc(heading)}</h2>")
            body.append(html_table(cols, mrows, table_id=("measures", "rate-by-year")[n]))

    trends = _trend_groups(data) if _trend_in_full(p, data) else []
    if data["trend"] and not trends:
        cols, srows = _trend_summary(data)
        body.append(f"<h2>Follow-ups: {len(srows)} reports, each at its latest check</h2>")
        body.append(html_table(cols, srows, table_id="trend-summary"))
    for of, points in trends:
        body.append(f"<h2>Trend of {esc(of)}: status at publication and at each follow-up</h2>")
        used = [s for s in STATUSES if any(pt["by_status"][s] for pt in points)]
        cols, trows = _trend_table(points)
        body.append('<div class="trend"><div>' + trend_svg(of, points) + legend_html(used)
                    + '<ul class="legend">' + "".join(f"<li>{esc(line)}</li>" for line in _legend(points, reports)) + "</ul></div>"
                    + html_table(cols, trows, table_id=f"trend-{of}") + "</div>")
        if p.scope is not None:
            cols, mrows = _movement_table(data, of, points)
            statuses = {m["id"]: m["statuses"] for m in data["movement"] if m["of"] == of}

            def movement_cell(c: Column, row: dict[str, Any], statuses: dict[str, list[str]] = statuses) -> str | None:
                if c.key.startswith("p") and c.key[1:].isdigit():
                    at = int(c.key[1:])
                    s = statuses[row["id"]][at]
                    same = at > 0 and statuses[row["id"]][at - 1] == s
                    badge = status_badge(s, SHORT[s], same=same)
                    return f'<td class="same">{badge}</td>' if same else f"<td>{badge}</td>"
                return None

            body.append(f"<h2>Movement of each recommendation of {esc(of)}</h2>")
            body.append('<p class="meta">Each recommendation\'s status at each check; a status outlined in a dashed '
                        "line is unchanged since the previous check.</p>")
            body.append(html_table(cols, mrows, table_id=f"movement-{of}", cell_html=movement_cell))

    if grades:
        body += grades_html(grades_data(grades, p.as_of, p.ledger_name, p.ledger_root)["subjects"],
                            "Graded judgements: {subject}")
    body.extend(_open_items_html(p))
    body.append("<h2>Sources</h2>")
    body.append(html_table(SOURCE_COLUMNS, _source_rows(p), table_id="sources"))
    return page(title, body)


SOURCE_COLUMNS = [Column("id", "REPORT"), Column("title", "TITLE", wide=True), Column("by", "BY"),
                  Column("published", "PUBLISHED"), Column("url", "ADDRESS")]


def _source_rows(p: Progress) -> list[dict[str, Any]]:
    """The reports in scope, each with where it is published: what the figures rest on."""
    return [{"id": r.id, "title": r.title, "by": r.by, "published": r.published, "url": r.url or "(no address recorded)"}
            for r in p.reports]


def _sources_markdown(p: Progress) -> list[str]:
    return ["### Sources", "", formats.markdown_table(SOURCE_COLUMNS, _source_rows(p))]




OPEN_COLUMNS = [Column("id", "ID"), Column("status", "STATUS"), Column("due", "DUE"), Column("owner", "OWNER"),
                Column("text", "RECOMMENDATION", wide=True), Column("note", "LATEST NOTE", wide=True)]


def _open_items_markdown(p: Progress) -> list[str]:
    """The open items as the HTML page lists them (the most overdue first, at most
    OPEN_ITEMS_MAX), each with its latest note and that note's date."""
    items = p.open_items()
    overdue = sum(1 for f in items if f.overdue)
    out = [f"### Open items ({len(items)}, of which {overdue} overdue)", ""]
    if len(items) > OPEN_ITEMS_MAX:
        out += [f"The {OPEN_ITEMS_MAX} listed are the most overdue, then the soonest due; "
                f"`track list --status open --sort overdue` lists all {len(items)}.", ""]
    if not items:
        return out + ["None: every recommendation is closed.", ""]
    rows = []
    for f in items[:OPEN_ITEMS_MAX]:
        due, note, when = _open_item(f)
        rows.append({"id": f.rec.id, "status": f.state.status, "due": due, "owner": f.state.owner or "",
                     "text": f.rec.text, "note": note + (when if note else "")})
    return out + [formats.markdown_table(OPEN_COLUMNS, rows)]


def _open_item(f: Any) -> tuple[str, str, str]:
    """An open item's due cell ("2017-05-31 (overdue 30d)"), its latest note, and " (DATE)" of
    that note's event, as the HTML page and the markdown list them."""
    due = f"{f.state.due}" if f.state.due else ""
    if f.overdue:
        due += f" (overdue {f.days_overdue}d)"
    return due, f.state.last_note or "", f" ({f.state.last_event})" if f.state.last_event else ""


def _open_items_html(p: Progress) -> list[str]:
    """The open items: the most overdue first, at most OPEN_ITEMS_MAX of them."""
    body: list[str] = []
    items = p.open_items()
    overdue = sum(1 for f in items if f.overdue)
    body.append(f"<h2>Open items ({len(items)}, of which {overdue} overdue)</h2>")
    if len(items) > OPEN_ITEMS_MAX:
        body.append(f"<p>The {OPEN_ITEMS_MAX} listed are the most overdue, then the soonest due; "
                    f"<code>track list --status open --sort overdue</code> lists all {len(items)}.</p>")
    if items:
        rows_html = []
        for f in items[:OPEN_ITEMS_MAX]:
            due, note, when = _open_item(f)
            rows_html.append(
                f'<tr><td data-col="id">{esc(f.rec.id)}</td><td>{status_badge(f.state.status)}</td>'
                f'<td class="{"bad due" if f.overdue else "due"}">{esc(due)}</td><td>{esc(f.state.owner or "")}</td>'
                f'<td class="note">{esc(one_line(f.rec.text))}</td><td class="note">{esc(one_line(note))}{esc(when) if note else ""}</td></tr>')
        body.append(scroll_box("open items", '<table id="open-items"><thead><tr><th>ID</th><th>STATUS</th><th>DUE</th>'
                               "<th>OWNER</th><th>RECOMMENDATION</th><th>LATEST NOTE</th></tr></thead><tbody>\n"
                               + "\n".join(rows_html) + "\n</tbody></table>"))
    else:
        body.append("<p>None: every recommendation is closed.</p>")
    return body
