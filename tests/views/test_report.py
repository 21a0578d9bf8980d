"""`track report`: counts by status per group as of a date, the clocks (overdue, due soon,
response overdue), the trend across follow-up reports, graded judgements, `reports update`,
and every format carrying the same numbers.

Ledgers are built through the command line (conftest's `cli`, `make_report`, `make_rec` and
the story ledger `met`); today is pinned to 2018-06-30.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import IOPC, PEEL, Q1, A, Cli

from track.domain.model import CLOSED, STATUSES

ESC = "\x1b"
BOX = re.compile("[\u2500-\u257f]")
REPO = Path(__file__).resolve().parents[2]
MET_DATA = REPO / "data" / "met-police"


def report_json(cli: Cli, *args: str) -> dict[str, Any]:
    return cli.json("report", *args)


def zero_statuses(**counts: int) -> dict[str, int]:
    out = dict.fromkeys(STATUSES, 0)
    out.update({k.replace("_", "-"): v for k, v in counts.items()})
    return out


# --------------------------------------------------------------------------- the story ledger


def test_json_fields_and_numbers_of_the_whole_ledger(met: Cli) -> None:
    data = report_json(met, "--as-of", "2018-06-30")
    assert list(data) == ["as_of", "ledger", "report", "reports", "by", "groups", "total", "trend", "movement",
                          "latest_evidence", "evidence_after", "metrics", "period", "actions"]
    assert data["as_of"] == "2018-06-30"
    assert data["ledger"] == {"name": "met", "root": str(met.root)}
    assert data["report"] is None and data["by"] == "report"
    assert [g["key"] for g in data["groups"]] == [A, PEEL, IOPC]  # publication order; Q1 made none
    assert data["reports"] == [A, Q1, PEEL, IOPC]
    total = data["total"]
    assert list(total) == ["key", "total", "by_status", "by_kind", "open", "closed", "duplicate", "implemented", "implemented_verified",
                           "implemented_unverified", "share_closed", "share_implemented", "overdue", "due_soon",
                           "no_response", "response_overdue"]
    # R1's implemented was recorded without --basis or a source: claimed, not verified
    assert (total["implemented_verified"], total["implemented_unverified"]) == (0, 1)
    assert total["by_status"] == zero_statuses(awaiting_response=3, not_started=1, partially_implemented=1,
                                               implemented=1, not_implemented=1)
    assert (total["total"], total["open"], total["closed"], total["implemented"]) == (7, 5, 2, 1)
    assert total["share_closed"] == round(2 / 7, 4) and total["share_implemented"] == round(1 / 7, 4)
    # overdue: A/R2 (due 2017-05-31), PEEL/AFI1 (2018-06-12), IOPC/R1 (2018-03-29); C1 has no due date
    assert total["overdue"] == 3 and total["due_soon"] == 0
    # response clocks: A's ended 2017-01-18 (C1 never answered), IOPC's 2018-03-28; PEEL has none
    assert total["no_response"] == 3 and total["response_overdue"] == 2
    assert "awaiting_response" not in total and total["duplicate"] == 0  # the status count is by_status's alone
    by_key = {g["key"]: g for g in data["groups"]}
    assert by_key[A]["total"] == 4 and by_key[A]["response_overdue"] == 1 and by_key[A]["overdue"] == 1
    assert by_key[PEEL]["no_response"] == 1 and by_key[PEEL]["response_overdue"] == 0
    assert by_key[IOPC]["response_overdue"] == 1


def test_one_report_is_grouped_by_status_with_its_trend(met: Cli) -> None:
    data = report_json(met, A, "--as-of", "2018-06-30")
    assert data["report"] == A and data["reports"] == [A, Q1] and data["by"] == "status"
    assert [g["key"] for g in data["groups"]] == ["awaiting-response", "partially-implemented", "implemented", "not-implemented"]
    assert data["total"]["total"] == 4
    trend = data["trend"]
    assert [(t["of"], t["report"], t["date"]) for t in trend] == [(A, A, "2016-11-24"), (A, Q1, "2017-03-15")]
    assert list(trend[0])[:5] == ["of", "report", "date", "moved", "total"]
    assert trend[0]["by_status"] == zero_statuses(awaiting_response=4)
    # at the end of 2017-03-15: C1 awaiting, R1 in progress (that day), R2 accepted in part, R10 closed
    assert trend[1]["by_status"] == zero_statuses(awaiting_response=1, not_started=1, in_progress=1, not_implemented=1)
    assert trend[1]["moved"] == 3 and trend[1]["response_overdue"] == 1
    movement = {m["id"]: m for m in data["movement"]}
    assert movement[f"{A}/C1"] == {"id": f"{A}/C1", "of": A, "statuses": ["awaiting-response"] * 2, "changes": 0}
    assert movement[f"{A}/R1"]["statuses"] == ["awaiting-response", "in-progress"]


def test_as_of_reproduces_the_ledger_as_it_stood(met: Cli) -> None:
    before = report_json(met, A, "--as-of", "2017-03-14")
    on = report_json(met, A, "--as-of", "2017-03-15")
    assert [t["report"] for t in before["trend"]] == []  # Q1 not yet published: no trend
    assert before["reports"] == [A]
    assert before["total"]["by_status"] == zero_statuses(awaiting_response=1, not_started=2, not_implemented=1)
    assert on["total"]["by_status"] == zero_statuses(awaiting_response=1, not_started=1, in_progress=1, not_implemented=1)
    early = report_json(met, "--as-of", "2017-12-11")
    assert early["reports"] == [A, Q1]  # PEEL published the next day
    # 'May 2017' as --as-of means its last day
    assert report_json(met, "--as-of", "May 2017")["as_of"] == "2017-05-31"


def test_grouping_by_tag_owner_kind_response_subject(met: Cli) -> None:
    tags = {g["key"]: g["total"] for g in report_json(met, "--by", "tag", "--as-of", "2018-06-30")["groups"]}
    # A/R1 has two tags: it counts under both; the total still counts it once
    assert tags == {"corruption": 1, "governance": 1, "safeguarding": 2, "training": 1, "vetting": 1, "(none)": 2}
    owners = report_json(met, "--by", "owner", "--as-of", "2017-03-31")["groups"]
    assert [g["key"] for g in owners] == ["DCS Child Protection", "Head of Training", "(none)"]
    owners = report_json(met, "--by", "owner", "--as-of", "2017-04-01")["groups"]
    assert "Director of Learning" in [g["key"] for g in owners]  # the owner as of the day
    kinds = [g["key"] for g in report_json(met, "--by", "kind")["groups"]]
    assert kinds == ["cause-of-concern", "recommendation", "area-for-improvement"]
    responses = {g["key"]: g["total"] for g in report_json(met, "--by", "response")["groups"]}
    assert responses == {"accepted": 2, "partially-accepted": 1, "not-accepted": 1, "(none)": 3}
    subjects = {g["key"]: g["total"] for g in report_json(met, "--by", "subject")["groups"]}
    assert subjects == {"Essex Police": 1, "Metropolitan Police Service": 6}
    statuses = report_json(met, "--by", "Status")["groups"]
    assert sum(g["total"] for g in statuses) == 7


def test_bad_values_exit_2_and_unknown_ids_exit_1(met: Cli) -> None:
    for args in (["--by", "colour"], ["--format", "pdf"], ["--as-of", "someday"], ["--grades", "--by", "status"]):
        result = met("report", *args, expect=2)
        assert result.stdout == "" and result.stderr
    result = met("report", "no-such-report", expect=1)
    assert result.stderr.startswith("track: unknown report") and "\n" == result.stderr[-1] and result.stderr.count("\n") == 1
    result = met("report", PEEL, "--as-of", "2017-01-01", expect=1)
    assert "not published until 2017-12-12" in result.stderr
    met("report", "hmic", expect=1)  # ambiguous prefix: A and Q1


def test_empty_ledger_reports_nothing_and_exits_0(cli: Cli) -> None:
    out = cli("report", "--format", "plain").stdout
    assert "No recommendations issued by 2018-06-30." in out
    data = report_json(cli)
    assert data["groups"] == [] and data["total"]["total"] == 0 and data["total"]["share_closed"] is None
    for fmt in ("csv", "markdown", "html", "table"):
        cli("report", "--format", fmt)


def test_heading_names_the_date_and_the_ledger(met: Cli) -> None:
    out = met("report", "--as-of", "2017-06-30", "--format", "plain").stdout
    assert out.splitlines()[0] == f"Progress report as of 2017-06-30, ledger met ({met.root})"
    md = met("report", "--as-of", "2017-06-30", "--format", "markdown").stdout
    assert md.startswith(f"## Progress report as of 2017-06-30, ledger met ({met.root})")
    html = met("report", "--as-of", "2017-06-30", "--format", "html").stdout
    assert '<strong id="as-of">2017-06-30</strong>' in html and "ledger <strong>met</strong>" in html


def test_plain_output_has_no_escapes_or_box_characters(met: Cli) -> None:
    for args in ([], [A]):
        out = met("report", *args).stdout  # piped: plain by default
        assert ESC not in out and not BOX.search(out)
    table = met("report", A, "--format", "table", env={"COLUMNS": "200"}).stdout
    assert ESC in table and "━" in table  # colour, and the progress bars
    no_colour = met("report", A, "--format", "table", env={"COLUMNS": "200", "NO_COLOR": "1"}).stdout
    assert ESC not in no_colour and "█" in no_colour and "░" in no_colour


# --------------------------------------------------------------------------- the clocks


@pytest.fixture
def clocks(cli: Cli, make_report: Any, make_rec: Any) -> Cli:
    make_report("r", published="2016-11-24", response_within="56 days")
    for ref, due in (("D0", "2017-01-18"), ("D1", "2017-01-17"), ("D30", "2017-02-17"), ("D31", "2017-02-18")):
        make_rec("r", ref, due=due)
    make_rec("r", "ANS")
    cli("update", "r/ANS", "--response", "accepted", "--date", "2016-12-01")
    make_rec("r", "MOVED")
    cli("update", "r/MOVED", "--status", "in-progress", "--date", "2016-12-01")
    make_rec("r", "DONE", due="2017-01-01")
    cli("update", "r/DONE", "--status", "implemented", "--date", "2016-12-02")
    return cli


def test_overdue_and_due_soon_boundaries(clocks: Cli) -> None:
    groups = {g["key"]: g for g in report_json(clocks, "r", "--by", "status", "--as-of", "2017-01-18")["groups"]}
    total = report_json(clocks, "r", "--as-of", "2017-01-18")["total"]
    # due the day before is overdue; due on the day is not, but is due soon, as is 30 days on; 31 is not
    assert total["overdue"] == 1  # D1 (DONE is closed)
    assert total["due_soon"] == 2  # D0, D30
    assert groups["implemented"]["overdue"] == 0


def test_response_clock_begins_with_the_day_of_publication(clocks: Cli) -> None:
    on_deadline = report_json(clocks, "r", "--as-of", "2017-01-18")["total"]
    after = report_json(clocks, "r", "--as-of", "2017-01-19")["total"]
    # awaiting: D0, D1, D30, D31 and MOVED (a status but no response recorded); ANS answered; DONE closed
    assert on_deadline["no_response"] == 5 and on_deadline["response_overdue"] == 0
    assert after["no_response"] == 5 and after["response_overdue"] == 5
    clocks("update", "r/D0", "--response", "noted", "--date", "2017-01-19")
    assert report_json(clocks, "r", "--as-of", "2017-01-19")["total"]["response_overdue"] == 4


# --------------------------------------------------------------------------- every format agrees


class Tables(HTMLParser):
    """Each <table id=...> as rows of cell texts, and the headline cards by data-figure."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figures: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._figure: str | None = None
        self._in_n = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "div" and a.get("data-figure"):
            self._figure = a["data-figure"]
        elif tag == "span" and self._figure and a.get("class") == "n":
            self._in_n = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "span":
            self._in_n = False
        elif tag == "div":
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_n and self._figure:
            self.figures[self._figure] = data.strip()


def parse_html(text: str) -> Tables:
    parser = Tables()
    parser.feed(text)
    return parser


def plain_block(text: str, first_header: str) -> list[list[str]]:
    """The plain table whose header line starts with `first_header`: rows split on 2+ spaces."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_header + " "))
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def markdown_block(text: str, first_header: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        if set(line) <= set("|-: "):
            continue
        rows.append([c.strip() for c in line.strip("|").split(" | ")])
    return rows


ANSI = re.compile(r"\x1b\[[0-9;]*m")
BAR = re.compile(r"^[━─█▓▒░]+$")


def terminal_block(text: str, first_header: str) -> list[list[str]]:
    """The table format's progress table as rows: colour codes, rules and bars dropped."""
    lines = ANSI.sub("", text).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_header + " "))
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        if set(line.strip()) <= {"─"}:
            continue
        rows.append([c for c in re.split(r"\s{2,}", line.strip()) if not BAR.match(c)])
    return rows


def _pct(part: int, whole: int) -> str:
    return f"{(200 * part + whole) // (2 * whole)}%" if whole else ""


def expected_rows(data: dict[str, Any], header: list[str]) -> list[list[str]]:
    """What every tabular format must show, computed from the JSON alone."""
    columns = {"TOTAL": "total", "IMPL": "implemented", "CLOSED": "closed", "OVERDUE": "overdue",
               "DUE-30D": "due_soon", "NO-RESPONSE": "no_response", "RESP-OVERDUE": "response_overdue", "DUPLICATE": "duplicate"}
    short = {"AWAITING": "awaiting-response", "NOT-STARTED": "not-started", "IN-PROGRESS": "in-progress",
             "PARTIAL": "partially-implemented", "REPORTED": "reported-complete", "NOT-IMPL": "not-implemented",
             "SUPERSEDED": "superseded", "WITHDRAWN": "withdrawn"}
    rows = []
    for g, label in [(g, g["key"]) for g in data["groups"]] + [(data["total"], "Total")]:
        row = []
        for h in header:
            if h in ("REPORT", "STATUS", "TAG", "OWNER", "KIND", "SUBJECT", "RESPONSE"):
                row.append(label)
            elif h in columns:
                row.append(str(g[columns[h]]))
            elif h in short:
                row.append(str(g["by_status"][short[h]]))
            elif h == "CLOSED%":
                row.append(_pct(g["closed"], g["total"]))
            elif h == "IMPL%":
                row.append(_pct(g["implemented"], g["total"]))
            else:
                raise AssertionError(f"unexpected column {h}")
        rows.append(row)
    return rows


def expected_trend(points: list[dict[str, Any]], labels: list[str]) -> list[list[str]]:
    out = []
    for label in labels:
        row = [label]
        for i, p in enumerate(points):
            if label in STATUSES:
                row.append(str(p["by_status"][label]))
            elif label == "closed%":
                row.append(_pct(p["closed"], p["total"]))
            elif label == "implemented%":
                row.append(_pct(p["implemented"], p["total"]))
            elif label == "moved since previous":
                row.append("" if i == 0 else str(p["moved"]))
            else:
                key = {"due-30d": "due_soon", "no-response": "no_response", "resp-overdue": "response_overdue"}.get(label, label)
                row.append(str(p[key]))
        out.append([c for c in row if c != ""] if label == "moved since previous" else row)
    return out


@pytest.mark.parametrize("args", [["--as-of", "2018-06-30"], [A, "--as-of", "2017-03-15"], ["--by", "tag", "--as-of", "2018-01-31"]])
def test_every_number_agrees_across_formats(met: Cli, args: list[str]) -> None:
    data = report_json(met, *args)
    key_header = {"report": "REPORT", "status": "STATUS", "tag": "TAG"}[data["by"]]

    plain = plain_block(met("report", *args, "--format", "plain").stdout, key_header)
    header = plain[0]
    assert header[0] == key_header and header[1] == "TOTAL"
    assert plain[1:] == expected_rows(data, header)

    md = markdown_block(met("report", *args, "--format", "markdown").stdout, key_header)
    assert md[0] == header and md[1:] == expected_rows(data, header)

    table = terminal_block(met("report", *args, "--format", "table", env={"COLUMNS": "220"}).stdout, key_header)
    assert table[0] == [key_header, "PROGRESS", *header[1:]]
    assert table[1:] == expected_rows(data, header)

    rows = list(csv.DictReader(io.StringIO(met("report", *args, "--format", "csv").stdout)))
    groups = [r for r in rows if r["row"] == "group"]
    total = [r for r in rows if r["row"] == "total"]
    assert len(groups) == len(data["groups"]) and len(total) == 1
    for row, g in zip(groups + total, data["groups"] + [data["total"]]):
        assert row["key"] == g["key"]
        for field in ("total", "open", "closed", "duplicate", "implemented", "overdue", "due_soon", "no_response",
                      "response_overdue"):
            assert int(row[field]) == g[field], field
        for s in STATUSES:  # spelt as CSV headings are; the status implemented is the field implemented
            assert int(row[s.replace("-", "_")]) == g["by_status"][s]
    trend_rows = [r for r in rows if r["row"] == "trend"]
    assert [(r["of"], r["report"], r["date"], int(r["total"]), int(r["moved"])) for r in trend_rows] == \
        [(t["of"], t["report"], t["date"], t["total"], t["moved"]) for t in data["trend"]]

    html = parse_html(met("report", *args, "--format", "html").stdout)
    progress = html.tables["progress"]
    assert progress[0] == [key_header, "PROGRESS", *header[1:]]
    assert [[c for i, c in enumerate(r) if i != 1] for r in progress[1:]] == expected_rows(data, header)
    total = data["total"]
    for field in ("total", "open", "closed", "implemented", "overdue", "due_soon", "no_response", "response_overdue"):
        assert html.figures[field] == str(total[field]), field

    # the trend tables
    for of in dict.fromkeys(t["of"] for t in data["trend"]):
        points = [t for t in data["trend"] if t["of"] == of]
        trend_plain = plain_block(met("report", *args, "--format", "plain").stdout, "STATUS")
        if data["by"] == "status":  # the first STATUS table is the progress table
            out = met("report", *args, "--format", "plain").stdout
            trend_plain = plain_block(out[out.index(f"Trend of {of}"):], "STATUS")
        assert trend_plain[0] == ["STATUS", *[p["date"] for p in points]]
        labels = [r[0] for r in trend_plain[1:]]
        assert trend_plain[1:] == expected_trend(points, labels)
        trend_html = html.tables[f"trend-{of}"]
        assert trend_html[0] == ["STATUS", *[p["date"] for p in points]]
        assert [[c for c in r if c != ""] for r in trend_html[1:]] == expected_trend(points, labels)


def test_trend_table_shows_each_check_side_by_side(met: Cli) -> None:
    out = met("report", A, "--format", "plain").stdout
    trend = plain_block(out[out.index(f"Trend of {A}"):], "STATUS")
    assert trend[0] == ["STATUS", "2016-11-24", "2017-03-15"]
    rows = {r[0]: r[1:] for r in trend[1:]}
    assert rows["awaiting-response"] == ["4", "1"]
    assert rows["in-progress"] == ["0", "1"]
    assert rows["not-implemented"] == ["0", "1"]
    assert rows["moved since previous"] == ["3"]
    assert f"2017-03-15  {Q1}: First quarterly progress report" in out
    movement = plain_block(out[out.index("Movement of"):], "ID")
    assert movement[0] == ["ID", "2016-11-24", "2017-03-15", "CHANGES"]
    assert [f"{A}/C1", "awaiting-response", "awaiting-response", "never"] in movement  # plain cuts nothing
    assert [f"{A}/R10", "awaiting-response", "not-implemented", "1"] in movement


def test_html_is_one_self_contained_file(met: Cli) -> None:
    html = met("report", A, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert not re.search(r"url\(", html)
    assert html.count("<svg") >= 2 and f'id="trend-chart-{A}"' in html
    tables = parse_html(html).tables
    open_items = tables["open-items"]
    assert open_items[0] == ["ID", "STATUS", "DUE", "OWNER", "RECOMMENDATION", "LATEST NOTE"]
    ids = [r[0] for r in open_items[1:]]
    assert ids == [f"{A}/R2", f"{A}/C1"]  # overdue first, then the rest
    assert "overdue" in open_items[1][2]


def test_html_lists_at_most_so_many_open_items(met: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import track.views.report

    monkeypatch.setattr(track.views.report, "OPEN_ITEMS_MAX", 2)
    html = met("report", "--format", "html").stdout
    assert "Open items (5, of which 3 overdue)" in html and "lists all 5" in html
    assert len(parse_html(html).tables["open-items"]) == 3  # the header and two items


def test_html_escapes_what_the_ledger_holds(cli: Cli, make_report: Any, make_rec: Any) -> None:
    make_report("x", title="<script>alert(1)</script> & co")
    make_rec("x", "R1", text="<img src=x onerror=alert(1)>")
    html = cli("report", "x", "--format", "html").stdout
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_whole_ledger_shows_trends_in_full_up_to_five_then_a_line_each(cli: Cli, make_report: Any, make_rec: Any) -> None:
    for n in range(1, 7):
        make_report(f"i{n}", published=f"2017-0{n}-01")
        make_rec(f"i{n}", "R1")
        cli("update", f"i{n}/R1", "--status", "in-progress", "--date", f"2017-0{n}-10")
        make_report(f"i{n}-q1", published=f"2017-0{n}-20", kind="follow-up", follows=f"i{n}")
    data = report_json(cli)
    assert len(data["trend"]) == 12 and len(data["movement"]) == 6  # JSON always carries every trend
    plain = cli("report").stdout
    assert "Trend of" not in plain and "Follow-ups: 6 reports" in plain
    rows = plain_block(plain[plain.index("Follow-ups:"):], "REPORT")
    assert rows[0] == ["REPORT", "CHECKS", "LATEST-CHECK", "TOTAL", "CLOSED", "CLOSED%", "IMPL%", "OVERDUE", "MOVED", "NEVER-MOVED"]
    assert rows[1] == ["i1", "1", "2017-01-20", "1", "0", "0%", "0%", "0", "1", "0"] and len(rows) == 7
    assert "Follow-ups: 6 reports" in cli("report", "--format", "markdown").stdout
    assert 'id="trend-summary"' in cli("report", "--format", "html").stdout
    assert "Trend of i1" in cli("report", "--as-of", "2017-05-31").stdout  # five: in full
    assert "Trend of i6" in cli("report", "i6").stdout  # one report: always in full


# --------------------------------------------------------------------------- grades


@pytest.fixture
def graded(cli: Cli, make_report: Any) -> Cli:
    make_report("peel-2015", published="2016-02-18", kind="peel",
                grade=["effectiveness=requires improvement", "efficiency=good", "legitimacy=good"])
    make_report("peel-2016", published="2017-04-30", kind="peel",
                grade=["Effectiveness=inadequate", "efficiency=good", "legitimacy=requires-improvement"])
    make_report("peel-2017", published="2018-03-22", kind="peel", grade=["effectiveness=requires-improvement"])
    make_report("other", published="2017-01-01", subject="Essex Police", grade=["overall=good"])
    return cli


def test_grades_side_by_side_with_direction(graded: Cli) -> None:
    data = graded.json("report", "--grades", "metropolitan")
    assert list(data) == ["as_of", "ledger", "subjects"]
    [subject] = data["subjects"]
    assert subject["subject"] == "Metropolitan Police Service"
    assert [i["report"] for i in subject["inspections"]] == ["peel-2015", "peel-2016", "peel-2017"]
    questions = {q["question"]: q for q in subject["questions"]}
    eff = questions["effectiveness"]
    assert eff["grades"] == {"peel-2015": "requires-improvement", "peel-2016": "inadequate", "peel-2017": "requires-improvement"}
    assert (eff["previous"], eff["latest"], eff["direction"]) == ("inadequate", "requires-improvement", "improved")
    assert questions["efficiency"]["direction"] == "unchanged"
    assert questions["legitimacy"]["direction"] == "declined"
    assert questions["efficiency"]["grades"]["peel-2017"] is None
    out = graded("report", "--grades", "metropolitan", "--format", "plain").stdout
    rows = plain_block(out, "QUESTION")
    assert rows[0] == ["QUESTION", "2016-02-18", "2017-04-30", "2018-03-22", "CHANGE"]
    assert ["effectiveness", "requires-improvement", "inadequate", "requires-improvement", "improved"] in rows
    assert ["efficiency", "good", "good", "-", "unchanged"] in rows
    # as of a date: only the inspections published by then
    early = graded.json("report", "--grades", "--as-of", "2017-12-31")
    met_subject = next(s for s in early["subjects"] if s["subject"].startswith("Metropolitan"))
    assert len(met_subject["inspections"]) == 2
    assert {s["subject"] for s in early["subjects"]} == {"Metropolitan Police Service", "Essex Police"}
    for fmt in ("csv", "markdown", "html", "table"):
        assert "effectiveness" in graded("report", "--grades", "--format", fmt, env={"COLUMNS": "200"}).stdout.lower()
    single = graded.json("report", "--grades", "other")  # a report id: its subject
    assert [s["subject"] for s in single["subjects"]] == ["Essex Police"]
    graded("report", "--grades", "Kent", expect=1)


def test_reports_update_records_grades_and_show_prints_them(graded: Cli, snapshot: Any) -> None:
    result = graded("reports", "update", "peel-2017", "--grade", "efficiency=Requires Improvement",
                    "--grade", "EFFECTIVENESS=good")
    assert result.stdout == "updated report peel-2017: grade efficiency=requires-improvement; grade effectiveness=good\n"
    data = graded.json("reports", "show", "peel-2017")
    assert data["grades"] == {"effectiveness": "good", "efficiency": "requires-improvement"}
    assert "effectiveness: good" in graded("reports", "show", "peel-2017", "--format", "plain").stdout
    subject = graded.json("report", "--grades", "metropolitan")["subjects"][0]
    questions = {q["question"]: q["direction"] for q in subject["questions"]}
    assert questions == {"effectiveness": "improved", "efficiency": "declined", "legitimacy": "declined"}
    assert graded("reports", "update", "peel-2017", "--grade", "effectiveness=good").stdout.startswith("report peel-2017 unchanged")
    graded("reports", "update", "peel-2017", "--remove-grade", "Efficiency")
    assert graded.json("reports", "show", "peel-2017")["grades"] == {"effectiveness": "good"}
    before = snapshot(graded.root)
    graded("reports", "update", "peel-2017", "--grade", "effectiveness=brilliant", expect=2)
    graded("reports", "update", "peel-2017", "--grade", "effectiveness", expect=2)
    graded("reports", "update", "peel-2017", expect=2)
    graded("reports", "update", "peel-2017", "--remove-grade", "nothing", expect=1)
    graded("reports", "update", "nope", "--title", "x", expect=1)
    graded("reports", "update", "peel-2015", "--follows", "peel-2017", expect=1)  # published later
    assert snapshot(graded.root) == before


def test_reports_update_changes_other_metadata(cli: Cli, make_report: Any, make_rec: Any) -> None:
    make_report("a", published="2016-11-24")
    make_report("b", published="2017-03-01", kind="follow-up")
    make_rec("a", "R1")
    out = cli("reports", "update", "b", "--follows", "a", "--title", "First quarterly report", "--url", "https://example.org/b",
              "--figure", "cases=12", "--response-within", "56 days", "--note", "Date approximate").stdout
    assert out.startswith("updated report b: title 'First quarterly report'; url 'https://example.org/b'; note 'Date approximate'")
    data = cli.json("reports", "show", "b")
    assert data["follows"] == ["a"] and data["figures"] == {"cases": 12} and data["response_within"] == "56 days"
    cli("reports", "update", "b", "--url", "", "--remove-figure", "cases", "--followup-every", "3 months")
    data = cli.json("reports", "show", "b")
    assert data["url"] is None and data["figures"] == {} and data["followup"]["every"] == "3 months"
    cli("reports", "update", "a", "--follows", "b", expect=1)  # b follows a already (and is later)
    cli("reports", "update", "a", "--follows", "a", expect=1)
    cli("reports", "update", "a", "--kind", "sideways", expect=2)
    cli("reports", "update", "a", "--response-within", "soon", expect=2)
    # the trend now follows a through b
    assert [t["report"] for t in cli.json("report", "a")["trend"]] == ["a", "b"]
    cli("check")


# --------------------------------------------------------------------------- data/met-police


def _fold(events: list[dict[str, Any]], due: date | None, day: date) -> tuple[str, str | None, date | None]:
    """An independent reading of the rules in DESIGN.md: status, response and due date after
    the events dated on or before `day`."""
    status, response = "awaiting-response", None
    for e in events:
        if e["date"] > day:
            break
        if "response" in e:
            if response is None and status == "awaiting-response" and "status" not in e:
                status = "not-started"
            response = e["response"]
        status = e.get("status", status)
        due = e.get("due", due)
    return status, response, due


def _met_files() -> dict[str, dict[str, Any]]:
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted((MET_DATA / "reports").glob("*.toml"))}


def _followers(files: dict[str, dict[str, Any]], report: str) -> list[str]:
    found: list[str] = []
    frontier = [report]
    while frontier:
        current = frontier.pop()
        for rid, data in files.items():
            if current in data.get("follows", []) and rid not in found and rid != report:
                found.append(rid)
                frontier.append(rid)
    return sorted(found, key=lambda r: (files[r]["published"], r))


met_data = pytest.mark.skipif(not (MET_DATA / "track.toml").exists(),
                              reason="data/met-police is not built yet (data/met-police/track.toml missing)")
MET_CP = "hmic-2016-met-cp"


def _met_cli(runner: Any) -> Cli:
    return Cli(runner, MET_DATA)


@met_data
def test_met_police_report_at_each_followup_matches_the_recorded_events(runner: Any) -> None:
    files = _met_files()
    if MET_CP not in files:
        pytest.skip(f"data/met-police has no {MET_CP} yet")
    followups = _followers(files, MET_CP)
    if not followups:
        pytest.skip(f"data/met-police has no follow-up of {MET_CP} yet")
    track = _met_cli(runner)
    scope = [MET_CP, *followups]
    for fid in followups:
        day = files[fid]["published"]
        data = track.json("report", MET_CP, "--as-of", day.isoformat())
        expected = dict.fromkeys(STATUSES, 0)
        overdue = due_soon = awaiting = 0
        for rid in scope:
            if files[rid]["published"] > day:
                continue
            for rec in files[rid].get("recommendations", []):
                status, response, due = _fold(rec.get("events", []), rec.get("due"), day)
                expected[status] += 1
                is_open = status not in CLOSED
                overdue += is_open and due is not None and due < day
                due_soon += is_open and due is not None and day <= due <= day + timedelta(days=30)
                awaiting += is_open and response is None
        total = data["total"]
        assert total["by_status"] == expected, fid
        assert (total["overdue"], total["due_soon"], total["no_response"]) == (overdue, due_soon, awaiting), fid
        assert {g["key"]: g["total"] for g in data["groups"]} == {s: n for s, n in expected.items() if n}, fid
        # and the trend point of that follow-up counts the inspection's own recommendations
        point = next(t for t in data["trend"] if t["report"] == fid)
        own = dict.fromkeys(STATUSES, 0)
        for rec in files[MET_CP].get("recommendations", []):
            own[_fold(rec.get("events", []), rec.get("due"), day)[0]] += 1
        assert point["by_status"] == own and point["date"] == day.isoformat(), fid


@met_data
def test_met_police_trend_shows_every_followup_side_by_side(runner: Any) -> None:
    files = _met_files()
    if MET_CP not in files or not _followers(files, MET_CP):
        pytest.skip(f"data/met-police has no follow-up of {MET_CP} yet")
    followups = _followers(files, MET_CP)
    track = _met_cli(runner)
    last = max(files[f]["published"] for f in followups)
    out = track("report", MET_CP, "--as-of", last.isoformat(), "--format", "plain").stdout
    trend = plain_block(out[out.index(f"Trend of {MET_CP}"):], "STATUS")
    dates = [files[MET_CP]["published"]] + [files[f]["published"] for f in followups]
    assert trend[0] == ["STATUS", *[d.isoformat() for d in dates]]
    rows = {r[0]: r[1:] for r in trend[1:]}
    recs = files[MET_CP].get("recommendations", [])
    for status in STATUSES:
        counts = [sum(1 for rec in recs if _fold(rec.get("events", []), rec.get("due"), d)[0] == status) for d in dates]
        if any(counts):
            assert rows[status] == [str(n) for n in counts], status
        else:
            assert status not in rows
    assert rows["total"] == [str(len(recs))] * len(dates)
    for fid in followups:
        assert f"{files[fid]['published']}  {fid}: " in out
