"""`track history` is made the fast way (domain/history.py keeps the events packed, as the
index holds them; views/history.py writes every format a column at a time, in chunks). Here the
straightforward definition is written out as the reference (an Event per event, one
dictionary per row through query.event_fields, then render's own JSON, CSV and tables), and
the fast output must equal it byte for byte, on awkward data: control characters, C1
characters, DEL, newlines and tabs in notes, empty and missing notes, non-ASCII, events on
one day, events after --until, and reports read from files with unknown keys (plain
recommendations) mixed with reports read from the index."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from track import Ledger
from track.domain import history, model, progress
from track.domain.model import Event, Recommendation, Report, as_it_stood
from track.domain.query import event_fields
from track.store import cache, disk, reportfile
from track.views import formats
from track.views import history as history_view
from track.views.formats import Column, cell, escape, one_line

FORMATS = ["plain", "table", "markdown", "json", "csv", "html"]
AWKWARD = ["a", "b", " ", "  ", "\n", "\t", "\r", "\x1b", "\x9b", "\x85", "\x7f", "\x00", "é", "日", "\u00a0", "\u200b",
           "\u2028", "|", "\\", '"', ",", "<", "&", "'", "~", "…", "x" * 30]


# --------------------------------------------------------------------------- the reference


def reference_events(reports: dict[str, Report], recs: list[Any] | None, since: date | None,
                     until: date) -> list[tuple[Any, Report, Event, str, dict[str, Any]]]:
    """progress.history as it was first written: (rec, report, event, status after, before) in
    date order, one day's events in issue order; before is what the status, due date and owner
    the event changed held until then, as query.detail says it for show."""
    if recs is None:
        ordered = sorted(reports.values(), key=lambda r: (r.published, r.id))
        recs = [rec for r in ordered if r.published <= until for rec in r.recommendations]
    rows = []
    for n, rec in enumerate(recs):
        report = reports[rec.report]
        status = "awaiting-response"
        response_seen = False
        held = {"status": status, "due": rec.due, "owner": rec.owner}
        for j, (event, state) in enumerate(zip(rec.events, model.timeline(rec))):
            if event.date > until:
                break
            changed = event.changes()
            was = {k: held[k] for k in ("status", "due", "owner") if k in changed and held[k] != changed[k]}
            held = {"status": state.status, "due": state.due, "owner": state.owner}
            if event.response is not None:
                if not response_seen and status == "awaiting-response" and event.status is None:
                    status = "not-started"
                response_seen = True
            if event.status is not None:
                status = event.status
            if since is not None and event.date < since:
                continue
            rows.append((event.date, n, j, (rec, report, event, status, was)))
    rows.sort(key=lambda row: row[:3])
    return [row[3] for row in rows]


def entry_rows(reports: dict[str, Report], recs: list[Any] | None, since: date | None, until: date,
               kind: str) -> list[dict[str, Any]]:
    """The rows that say a report was published and a recommendation issued, in that order."""
    ordered = sorted(reports.values(), key=lambda r: (r.published, r.id))
    if recs is None:
        recs = [rec for r in ordered if r.published <= until for rec in r.recommendations]
        shown = ordered
    else:
        named = {rec.report for rec in recs}
        shown = [r for r in ordered if r.id in named] if kind != "recommendation" else []
    rows = []
    for report in shown:
        if report.published <= until and (since is None or report.published >= since):
            rows.append({"id": report.id, "report": report.id, "date": report.published, "event": "published",
                         "note": report.title, "source": report.url, "evidence": [], "recorded": report.entered,
                         "recorded_by": None, "status_after": None})
    for rec in recs:
        report = reports[rec.report]
        if report.published <= until and (since is None or report.published >= since):
            rows.append({"id": rec.id, "report": report.id, "date": report.published, "event": "issued",
                         "note": as_it_stood(rec, until).text, "source": report.id, "evidence": [], "recorded": rec.entered,
                         "recorded_by": None, "status_after": "awaiting-response"})
    return rows


def reference_view(reports: dict[str, Report], recs: list[Any] | None, since: date | None, until: date, fmt: str,
                   kind: str = "ledger", target: str | None = None) -> str:
    """progress_views.history_view as it was first written."""
    from track.views.history import HISTORY_COLUMNS, HISTORY_FIELDS
    from track.views.html import esc, html_table, page
    from track.views.records import amended_cell, change_cell

    out = io.StringIO()
    urls = {r.id: r.url for r in reports.values() if r.url}
    rows = entry_rows(reports, recs, since, until, kind)
    rows += [{"id": rec.id, "report": report.id, **event_fields(event), **({"before": was} if was else {}),
              "status_after": after}
             for rec, report, event, after, was in reference_events(reports, recs, since, until)]
    rows.sort(key=lambda row: row["date"])  # stable: each day's reports, then issues, then events
    rows = [with_source_url(row, urls) for row in rows]
    if fmt == "json":
        out.write(formats.to_json(rows))
        return out.getvalue()
    if fmt == "csv":  # an amendment's values in one cell; the old values a column each
        out.write(formats.csv_text([{**r, **({"amended": amended_cell(r["amended"])} if "amended" in r else {}),
                                     **{f"old_{k}": v for k, v in (r.get("before") or {}).items()}} for r in rows],
                                   HISTORY_FIELDS))
        return out.getvalue()
    shown = [{**row, "changes": change_cell(row) or "note", "note": one_line(row.get("note")),
              "source": history_view.source_text(row["source"], row.get("source_url"), row["evidence"])} for row in rows]
    what = {"recommendation": f"History of {target}", "report": f"History of {target} and the reports that follow it",
            "ledger": "History of the whole ledger"}[kind]
    span = f"from {since} to {until}" if since else f"up to {until}"
    heading = f"{what}, {span}; ledger {one_line('name')} ({one_line('root')})"
    if fmt == "html":
        title = heading.split(";")[0]
        body = [f"<h1>{esc(title)}</h1>", f'<p class="meta">{esc(heading)}</p>',
                f"<p>{len(rows)} event{'s' if len(rows) != 1 else ''}.</p>"]
        def linked(column: Column, row: dict[str, Any]) -> str | None:
            if column.key != "source":
                return None
            return f'<td data-col="source">{history_view.source_html(row["source"], row.get("source_url"), row["evidence"])}</td>'

        if shown:
            body.append(html_table(HISTORY_COLUMNS, [{**s, "evidence": r["evidence"], "source": r["source"]}
                                                     for s, r in zip(shown, rows)], table_id="history", cell_html=linked))
        out.write(page(title, body))
        return out.getvalue()
    if not rows:
        empty = f"No events {('from ' + str(since) + ' to ' + str(until)) if since else 'up to ' + str(until)}."
        if fmt == "markdown":
            out.write(f"**{escape(heading)}**\n\n{empty}\n")
        elif fmt == "table":
            out.write(f"{formats.paint(escape(heading), 'bold') if formats.use_color() else escape(heading)}\n\n{empty}\n")
        else:
            out.write(f"{heading}\n\n{empty}\n")
        return out.getvalue()
    styles = [formats.STATUS_STYLE.get(r.get("status") or "", None) for r in rows] if fmt == "table" else None
    columns: list[Column] = HISTORY_COLUMNS
    if fmt == "markdown":  # the sources' links made by source_markdown, the other cells as markdown_table makes them
        table = formats.markdown_table(columns, [{**s, "source": "\ue000"} for s in shown]).split("\n")
        table[2:-1] = [line.replace("\ue000", history_view.source_markdown(r["source"], r.get("source_url"), r["evidence"]))
                       for line, r in zip(table[2:-1], rows)]
        out.write(f"**{escape(heading)}**\n\n" + "\n".join(table))
    elif fmt == "table":
        head = formats.heading(escape(heading), formats.terminal_width(), formats.use_color()) + "\n"
        by_column = [[formats.fast_cell(r.get(c.key)) for r in shown] for c in columns]
        out.write(head + "".join(formats.terminal_table(columns, by_column, formats.terminal_width(), formats.use_color(),
                                                        styles if formats.use_color() else None, marked={"date", "changes"})))
    else:
        out.write(f"{escape(heading)}\n\n" + formats.plain_table(columns, shown))
    return out.getvalue()


def with_source_url(row: dict[str, Any], urls: dict[str, str]) -> dict[str, Any]:
    """The row with source_url after source, where the source names a report with a url."""
    if row.get("source") not in urls:
        return row
    out: dict[str, Any] = {}
    for key, value in row.items():
        out[key] = value
        if key == "source":
            out["source_url"] = urls[value]
    return out


def fast_view(reports: dict[str, Report], recs: list[Any] | None, since: date | None, until: date, fmt: str,
              kind: str = "ledger", target: str | None = None) -> str:
    out = io.StringIO()
    h = history.history(reports, recs, since=since, until=until, target=target, kind=kind, ledger_name="name",
                         ledger_root="root")
    history_view.history_view(h, fmt, out)
    return out.getvalue()


def same(reports: dict[str, Report], recs: list[Any] | None, since: date | None, until: date, **kw: Any) -> None:
    for fmt in FORMATS:
        assert fast_view(reports, recs, since, until, fmt, **kw) == reference_view(reports, recs, since, until, fmt, **kw), fmt


@pytest.fixture(params=[{}, {"NO_COLOR": "1", "COLUMNS": "60"}, {"COLUMNS": "250"}, {"COLUMNS": "20"}])
def looks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal table in colour or not, wide or narrow."""
    for name, value in request.param.items():
        monkeypatch.setenv(name, value)


# --------------------------------------------------------------------------- awkward data

NOTES = ["tab\there", "line one\nline two", "esc \x1b[31mred\x1b[0m", "csi \x9b2J", "del\x7fx", "", None,
         "  lead and  double  ", "naïve café — 日本", "pipe | back\\slash *star* _u_", "<b>&amp;\"q'</b>", "\r\ncr",
         "nel\x85x", "a, b, \"c\"", "~ tilde ~", "trailing ", " leading", "\u2028sep", "plain tidy note"]


def awkward_report(number: int, published: date, unknown: bool) -> Report:
    report = Report(id=f"r{number:02d}", title=f"Report {number}", by="HMICFRS", subject="Force", published=published,
                    url=[None, "https://e.org/r?a=(1)|b\\c d", "javascript:alert(1)", "https://e.org/<x>"][number % 4])
    if unknown:
        report.extra["x_custom"] = "read from the file, not the index"
    for i in range(4):
        rec = Recommendation(report.id, f"R{i + 1}", f"Text {i} \x9b")
        day = published + timedelta(days=3 * i)
        for j in range(3 + 2 * i - (number % 2)):  # recommendations with more and fewer events
            k = number * 7 + i * 5 + j
            rec.add_event(Event(
                day + timedelta(days=j // 2),  # two events a day
                status=["in-progress", None, "implemented", None, "superseded", None][(k + j) % 6],
                response=[None, "accepted", None, "noted", None, None][k % 6] if j else "accepted",
                due=date(2030, 1, 1) + timedelta(days=k) if k % 5 == 0 else None,
                reason="why\nnot" if k % 5 == 0 else None,
                owner=["Own\ter", None, "Chief, \"A\"", None][k % 4],
                superseded_by="r01/R1" if k % 9 == 0 else None, duplicate_of="r02/R2" if k % 11 == 0 else None,
                related=["r01/R2", "c\nd"] if k % 7 == 0 else [], note=NOTES[k % len(NOTES)],
                source=[None, "follow-up 1", "src\x85x", "a | b", "", "n\u00e9", "r01", "r02", "r00"][k % 9],
                evidence=["https://e.org/1", "e\x9bv"] if k % 8 == 0 else [],
                basis=["claimed", None, "verified", "assessed"][k % 4] if (k + j) % 6 in (0, 2, 4) else None,
                recorded=date(2018, 6, 30) if k % 3 else None, recorded_by=["Kim \"K\"", None, "a\x9bb, c"][k % 3]))
            if k % 4 == 1:  # an amendment: of the text and tags, or of an event
                rec.add_event(Event(day + timedelta(days=j // 2), reason="typo\x9b", recorded=date(2018, 7, 1),
                                    old={"text": "Old, \"text\"\nline", "tags": []} if k % 8 == 1 else
                                    {"event": {"date": day, "note": "a | b"}},
                                    new={"text": rec.text, "tags": ["x y"]} if k % 8 == 1 else {}))
        report.recommendations.append(rec)
    return report


@pytest.fixture(scope="module")
def mixed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger on disk whose reports are read from the index, but for those whose files hold
    an unknown key (read from the file)."""
    root = tmp_path_factory.mktemp("mixed") / "ledger"
    Ledger.init(root, name="mixed")
    for n in range(6):
        report = awkward_report(n, date(2016, 1, 1) + timedelta(days=5 * n), unknown=n % 3 == 1)
        if n in (3, 4):
            report.follows = ["r01"]
        disk.atomic_write(disk.report_path(root, report.id), reportfile.dumps_report(report))
    Ledger(root).reports.values()  # builds the index
    return root


@pytest.fixture(scope="module")
def mixed(mixed_root: Path) -> dict[str, Report]:
    reports = Ledger(mixed_root).reports
    kinds = {rec.__class__ for r in reports.values() for rec in r.recommendations}
    assert cache.IndexedEntry in kinds and Recommendation in kinds
    return dict(reports.items())


@pytest.mark.parametrize("since, until", [
    (None, date(2030, 1, 1)), (None, date(2016, 1, 20)), (date(2016, 1, 12), date(2030, 1, 1)),
    (date(2016, 1, 12), date(2016, 1, 14)), (date(2016, 1, 13), date(2016, 1, 13)), (date(2031, 1, 1), date(2032, 1, 1)),
    (None, date(2015, 1, 1))])
def test_the_whole_ledger(mixed: dict[str, Report], looks: None, since: date | None, until: date) -> None:
    same(mixed, None, since, until)


def test_a_report_and_its_followers_and_one_recommendation(mixed: dict[str, Report], looks: None) -> None:
    recs = [rec for r in progress.scope_reports(mixed, mixed["r01"]) for rec in r.recommendations]
    assert len({rec.__class__ for rec in recs}) == 2
    for since, until in [(None, date(2030, 1, 1)), (date(2016, 1, 8), date(2016, 1, 12))]:
        same(mixed, recs, since, until, kind="report", target="r01")
        same(mixed, [mixed["r00"].recommendations[2]], since, until, kind="recommendation", target="r00/R3")
        same(mixed, [mixed["r01"].recommendations[1]], since, until, kind="recommendation", target="r01/R2")


def test_the_cli_writes_the_fast_output(mixed_root: Path, mixed: dict[str, Report]) -> None:
    """What the command writes is history_view's: checked once through the command line."""
    from typer.testing import CliRunner

    from track.cli.app import app

    for fmt in ("json", "csv"):
        result = CliRunner().invoke(app, ["--ledger", str(mixed_root), "history", "--format", fmt])
        assert result.exit_code == 0
        assert result.stdout == reference_view(mixed, None, None, date(2018, 6, 30), fmt)  # today, as conftest pins it


# --------------------------------------------------------------------------- any events

texts = st.one_of(st.none(), st.lists(st.sampled_from(AWKWARD), max_size=8).map("".join))
events = st.lists(st.tuples(st.integers(0, 6), st.sampled_from([None, "in-progress", "implemented", "awaiting-response"]),
                            st.sampled_from([None, None, "accepted", "noted"]), texts, texts, texts,
                            st.sampled_from([[], ["x/R1"], ["a\x9b", " b "]])), max_size=6)


@settings(max_examples=150, deadline=None)
@given(recs=st.lists(events, min_size=1, max_size=4), since=st.sampled_from([None, 0, 2, 3]), until=st.sampled_from([1, 3, 9]),
       fmt=st.sampled_from(FORMATS))
def test_any_events_in_any_format(recs: list[list[tuple]], since: int | None, until: int, fmt: str) -> None:
    start = date(2017, 1, 1)
    report = Report(id="r", title="t", by="b", subject="s", published=start)
    for i, evs in enumerate(recs):
        rec = Recommendation("r", f"R{i}", "text")
        for day, status, response, note, source, owner, related in sorted(evs, key=lambda e: e[0]):
            rec.add_event(Event(start + timedelta(days=day), status=status, response=response, note=note, source=source,
                                owner=owner, related=related, reason=note if day == 4 else None))
        report.recommendations.append(rec)
    reports = {"r": report}
    first = start + timedelta(days=since) if since is not None else None
    last = start + timedelta(days=until)
    assert fast_view(reports, None, first, last, fmt) == reference_view(reports, None, first, last, fmt)


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1", "COLUMNS": "60"}])
def test_many_events_are_written_in_several_chunks(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """More events than a chunk (and than a block of notes): tidy notes with now and then an
    awkward one, where some blocks hold no missing or empty note."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    start = date(2017, 1, 1)
    report = Report(id="big", title="t", by="b", subject="s", published=start)
    for i in range(220):
        rec = Recommendation("big", f"R{i}", "text")
        awkward = [n for n in NOTES if n] if i < 160 else NOTES
        for j in range(25):
            note = awkward[(i * j) % len(awkward)] if (i + j) % 97 == 0 else f"Tidy note {i} {j}, with a comma."
            rec.add_event(Event(start + timedelta(days=(i * 7 + j) % 40), status="in-progress" if j % 3 == 0 else None,
                                response="accepted" if j == 1 else None, note=note, source=f"source {j % 4}"))
        report.recommendations.append(rec)
    same({"big": report}, None, None, date(2018, 1, 1))


@pytest.mark.parametrize("awkward", [n for n in NOTES if n is not None]
                         + ["a\nb", "ab~ ", " ~x", "x\x00", "\x7f", "x \nb", "a  b", "", " ", "\n", "\x85", "é  ", "\u2028"])
@pytest.mark.parametrize("where", [(0,), (17, 4100), (4095,), (4096,), (4999,)])
def test_a_block_of_notes_with_one_awkward_note(awkward: str, where: tuple[int, ...]) -> None:
    """The notes are looked at a block at a time, as one text: one awkward note among tidy ones
    is found wherever it is (first or last of a block or of them all)."""
    notes = [f"Tidy note {i}, fine." for i in range(5000)]
    for at in where:
        notes[at] = awkward
    for made in (formats.fast_cell, cell, lambda v: escape(cell(v))):
        assert formats.tidy_cells(notes, lambda v: made(one_line(v))) == [made(one_line(v)) for v in notes]


@pytest.mark.parametrize("cells", [["a|b", "c\\d", "<&>\"'", "", "plain"], ["x" * 3] * 5000, ["a\nb", "|"]])
def test_cells_are_escaped_a_block_at_a_time_as_one_by_one(cells: list[str]) -> None:
    for escape_text in (lambda t: t.replace("\\", "\\\\").replace("|", "\\|"), html.escape):
        assert history_view._escaped(cells, escape_text) == list(map(escape_text, cells))


@pytest.mark.parametrize("odd", ["tidy", None, "", 'a "q"', "back\\slash", "tab\tx", "x\x1f", "naïve café", "日本 \x9b", "del\x7f",
                                 "ends in a space ", "é and \x01"])
def test_tidy_notes_and_one_odd_one(odd: str | None) -> None:
    """Where every note is tidy (JSON takes each as it is, in quotes; the tables as they are),
    and where one of them is not: written as the reference writes them."""
    start = date(2017, 1, 1)
    report = Report(id="t", title="t", by="b", subject="s", published=start)
    for i in range(12):
        rec = Recommendation("t", f"R{i}", "text")
        for j in range(4):
            rec.add_event(Event(start + timedelta(days=(i * 5 + j) % 9), status="in-progress" if j == 1 else None,
                                response="accepted" if j == 0 else None, note=odd if (i, j) == (5, 2) else f"Note {i} {j}, tidy.",
                                source="follow-up"))
        report.recommendations.append(rec)
    same({"t": report}, None, None, date(2018, 1, 1))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.none() | st.lists(st.sampled_from(["a", "b", " ", "\t", "\x1c", "\x85", "\u3000", "\u00a0", "é", "x" * 5]),
                                            max_size=4).map("".join), max_size=30),
       block=st.sampled_from([1, 2, 5, 4096]))
def test_cells_ending_in_space_are_found_where_not_proven_tidy(values: list[str | None], block: int) -> None:
    """_ending_in_space looks only in the blocks tidy_cells could not prove tidy; it finds what
    looking at every cell finds."""
    size = formats._TIDY_A_BLOCK
    formats._TIDY_A_BLOCK = block
    try:
        untidy: list[range] = []
        cells = formats.tidy_cells(values, lambda v: formats.fast_cell(one_line(v)), untidy)
        found = history_view._ending_in_space(cells, untidy)
    finally:
        formats._TIDY_A_BLOCK = size
    assert found == {i for i, v in enumerate(cells) if not v or v[-1].isspace()}
