"""`track report --since DATE [--until DATE]`: what happened in a period, per group and in
total, with the same numbers in every format. Built on conftest's story ledger `met` (today
pinned to 2018-06-30)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from conftest import IOPC, PEEL, Q1, A, Cli


def period(cli: Cli, *args: str) -> dict[str, Any]:
    data = cli.json("report", *args)
    assert data["period"] is not None
    return data["period"]


def test_a_year_issued_closed_moved_and_open_at_its_end(met: Cli) -> None:
    p = period(met, "--since", "2017-01-01", "--until", "2017-12-31")
    assert (p["since"], p["until"]) == ("2017-01-01", "2017-12-31")
    total = p["total"]
    # issued: PEEL's two (published 2017-12-12); closed: R10 (not-implemented, 2017-02-01);
    # moved: R1 (its due date moved on 2017-06-01); open at the end: all but R10, IOPC not yet issued
    assert (total["issued"], total["closed"], total["reopened"], total["moved"], total["open"]) == (2, 1, 0, 1, 5)
    assert total["closed_by"] == {"implemented": 0, "not-implemented": 1, "superseded": 0, "withdrawn": 0}
    assert [(g["key"], g["issued"], g["closed"], g["open"]) for g in p["groups"]] == [(A, 0, 1, 3), (PEEL, 2, 0, 2)]


def test_a_quarter_by_name_and_a_recommendation_reopened(met: Cli) -> None:
    met("update", f"{A}/R10", "--status", "in-progress", "--date", "2018-04-10", "--note", "Reopened by the board")
    p = period(met, "--since", "2018-Q2", "--until", "2018-Q2", "--by", "status")
    assert (p["since"], p["until"]) == ("2018-04-01", "2018-06-30")
    assert (p["total"]["reopened"], p["total"]["closed"], p["total"]["issued"]) == (1, 0, 0)
    q1 = period(met, "--since", "2018-Q1", "--until", "2018-Q1")
    # R1 implemented on 2018-02-20; IOPC/R1 issued on 2018-02-01
    assert (q1["total"]["closed"], q1["total"]["closed_by"]["implemented"], q1["total"]["issued"]) == (1, 1, 1)
    assert [g["key"] for g in q1["groups"]] == [A, PEEL, IOPC]


def test_the_same_numbers_in_every_format(met: Cli) -> None:
    args = ["report", "--since", "2017-01-01", "--until", "2017-12-31"]
    total = period(met, "--since", "2017-01-01", "--until", "2017-12-31")["total"]
    want = [str(total[k]) for k in ("issued", "closed")] + [str(n) for n in total["closed_by"].values()] + \
        [str(total[k]) for k in ("reopened", "moved", "open")]
    plain = met(*args, "--format", "plain").stdout
    lines = plain.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("In the period 2017-01-01 to 2017-12-31")))
    assert re.split(r"\s{2,}", lines[at + 2]) == ["REPORT", "ISSUED", "CLOSED", "IMPL", "NOT-IMPL", "SUPERSEDED", "WITHDRAWN",
                                                 "REOPENED", "DUE-MOVED", "OPEN-AT-END"]
    total_line = next(line for line in lines[at:] if line.startswith("Total "))
    assert total_line.split()[1:] == want
    md = met(*args, "--format", "markdown").stdout
    assert "### In the period 2017-01-01 to 2017-12-31" in md
    assert "| Total | " + " | ".join(want) + " |" in md
    rows = list(csv.DictReader(io.StringIO(met(*args, "--format", "csv").stdout)))
    mine = [r for r in rows if r["row"] == "period-total"]
    assert len(mine) == 1
    r = mine[0]
    assert [r["issued"], r["closed"], r["closed_implemented"], r["closed_not_implemented"], r["closed_superseded"],
            r["closed_withdrawn"], r["reopened"], r["moved"], r["open_at_end"]] == want
    assert (r["date"], r["of"]) == ("2017-01-01", "2017-12-31")
    html = met(*args, "--format", "html").stdout
    assert 'id="period"' in html and "In the period 2017-01-01 to 2017-12-31" in html


def test_without_since_there_is_no_period_and_bad_periods_are_refused(met: Cli) -> None:
    assert met.json("report")["period"] is None
    assert "In the period" not in met("report").stdout
    result = met("report", "--until", "2017-12-31", expect=2)
    assert result.stderr == "track: --until ends a period: give --since as well\n"
    result = met("report", "--since", "2018-01-01", "--until", "2017-12-31", expect=2)
    assert result.stderr == "track: --since 2018-01-01 is after the period's end (2017-12-31)\n"
    result = met("report", "--since", "2018-01-01", "--until", "2018-03-31", "--as-of", "2018-03-31", expect=2)
    assert result.stderr.startswith("track: give --until or --as-of, not both")


def test_the_paper_in_markdown_holds_the_open_items_and_their_latest_notes(met: Cli) -> None:
    md = met("report", "--format", "markdown").stdout
    assert "### Open items (5, of which 3 overdue)" in md
    assert "| ID | STATUS | DUE | OWNER | RECOMMENDATION | LATEST NOTE |" in md
    assert f"| {PEEL}/AFI1 | not-started | 2018-06-12 (overdue 18d) | " in md
    assert "Vetting backlog halved (2018-06-01) |" in md
    html = met("report", "--format", "html").stdout
    assert "Open items (5, of which 3 overdue)" in html  # the same list as the page's


def test_the_report_csv_carries_the_movement_grid(met: Cli) -> None:
    data = met.json("report", A)
    rows = [r for r in csv.DictReader(io.StringIO(met("report", A, "--format", "csv").stdout)) if r["row"] == "movement"]
    assert [(r["key"], r["of"], r["report"], r["moved"]) for r in rows] == \
        [(m["id"], m["of"], "; ".join(m["statuses"]), str(m["changes"])) for m in data["movement"]]
    assert rows and all(r["report"] for r in rows)


def test_old_evidence_is_said_in_the_headline(met: Cli) -> None:
    data = met.json("report", "--as-of", "2026-12-05")
    assert data["latest_evidence"] == "2018-06-01"
    plain = met("report", "--as-of", "2026-12-05").stdout
    assert "; latest evidence 2018-06-01 (3,109 days ago)." in plain
    assert "- latest evidence 2018-06-01 (3,109 days ago)" in met("report", "--as-of", "2026-12-05", "-f", "markdown").stdout
    assert 'id="latest-evidence"' in met("report", "--as-of", "2026-12-05", "-f", "html").stdout
    assert "latest evidence" not in met("report").stdout  # 29 days before today: fresh enough


def test_the_headline_counts_each_kind_apart_and_the_scope_its_own_items(met: Cli) -> None:
    data = met.json("report")
    assert data["total"]["by_kind"] == {"cause-of-concern": 1, "recommendation": 4, "area-for-improvement": 2, "finding": 0}
    plain = met("report").stdout
    assert "7 items (1 cause of concern, 4 recommendations, 2 areas for improvement), 5 open," in plain
    assert "items of its own" not in met("report", A).stdout  # its follow-up made none
    met("add", Q1, "--ref", "R1", "--text", "Audit the cases referred back")  # one the follow-up made
    scope = met("report", A).stdout.splitlines()[1]
    assert scope.startswith(f"Scope: {A}: ") and scope.endswith("and the 1 report that follow it (4 items of its own, 1 from "
                                                                "those reports)")


def test_metrics_as_oversight_bodies_publish_them(met: Cli) -> None:
    m = met.json("report", "--metrics")["metrics"]
    assert m["years"] == 4
    # R1 closed 453 days after issue (implemented), R10 69 days (not implemented)
    assert m["days_to_close"] == {"count": 2, "median": 261, "mean": 261.0}
    # R1 had a due date and closed after both its first (2017-05-24) and its revised one (2017-12-31)
    assert m["closed_on_time"] == {"closed_with_due": 1, "by_original_due": 0, "by_revised_due": 0,
                                   "share_original": 0.0, "share_revised": 0.0}
    assert m["open_by_age"] == {"under 1 year": 3, "1 to 2 years": 2, "2 to 3 years": 0, "3 years and over": 0}
    assert m["open_overdue"] == 3 and m["open_overdue"] + m["open_not_yet_due"] + m["open_no_due"] == 5
    assert m["implementation_rate_by_year"] == [
        {"year": 2016, "issued": 4, "implemented_within": 1, "rate": 0.25, "window_open": True},
        {"year": 2017, "issued": 2, "implemented_within": 0, "rate": 0.0, "window_open": True},
        {"year": 2018, "issued": 1, "implemented_within": 0, "rate": 0.0, "window_open": True}]
    later = met.json("report", "--metrics", "--years", "1", "--as-of", "2018-06-30")["metrics"]
    assert later["years"] == 1 and later["implementation_rate_by_year"][0]["window_open"] is False
    assert later["implementation_rate_by_year"][0]["implemented_within"] == 0  # R1 took more than a year
    assert met.json("report")["metrics"] is None


def test_metrics_the_same_numbers_in_every_format(met: Cli) -> None:
    plain = met("report", "--metrics", "--format", "plain").stdout
    assert re.search(r"^days to close, median\s+261$", plain, re.M)
    assert re.search(r"^closed by the original due date\s+0 of 1 \(0%\)$", plain, re.M)
    assert re.search(r"^2016\s+4\s+1\s+25% \(so far\)$", plain, re.M)
    md = met("report", "--metrics", "--format", "markdown").stdout
    assert "| open, overdue | 3 |" in md and "| 2016 | 4 | 1 | 25% (so far) |" in md
    rows = list(csv.DictReader(io.StringIO(met("report", "--metrics", "--format", "csv").stdout)))
    assert {r["key"]: r["report"] for r in rows if r["row"] == "metric"}["days to close, mean"] == "261"
    assert [(r["key"], r["total"], r["implemented"], r["report"]) for r in rows if r["row"] == "metric-year"][0] == \
        ("2016", "4", "1", "25% (so far)")
    html = met("report", "--metrics", "--format", "html").stdout
    assert 'id="measures"' in html and 'id="rate-by-year"' in html
    assert met("report", "--years", "0", expect=2).stderr == "track: --years '0': give a whole number of years from 1 to 50\n"


def test_the_paper_cites_its_sources_with_their_addresses(met: Cli) -> None:
    md = met("report", "--format", "markdown").stdout
    assert "### Sources" in md and "| REPORT | TITLE | BY | PUBLISHED | ADDRESS |" in md
    assert f"| {A} | National child protection inspection: Metropolitan Police Service | HMIC | 2016-11-24 | " \
           f"https://example.org/{A} |" in md
    assert f"| {IOPC} | Investigation into a death in custody | IOPC | 2018-02-01 | (no address recorded) |" in md
    html = met("report", "--format", "html").stdout
    assert 'id="sources"' in html and f"https://example.org/{A}" in html and "href=" not in html
