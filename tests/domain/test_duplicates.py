"""A recommendation marked as a duplicate (`update ID --duplicate-of OTHER`) is counted with the
one it duplicates: from the day of that event it is no longer open, overdue, due soon, stale or
awaiting a response in `list` filters, `report` and `remind`; `list` without filters still shows
it, with its own status. Before that day it counts as any other. Dates are pinned with --as-of.

The ledger (report r, published 2017-01-01, response within 56 days: by 2017-02-25):
    r/R1  due 2017-03-01                        the one duplicated
    r/R2  due 2017-06-20, duplicate of R1 from 2017-06-01
    r/R3  due 2017-12-31
    r/R4  due 2017-02-15, duplicate of R1 from 2017-06-01
No response is ever recorded: every one keeps the status awaiting-response.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from conftest import Cli

from track.domain.dates import Duration
from track.domain.model import Event, Recommendation, Report

BEFORE = "2017-05-31"  # the day before the duplicate marks
AFTER = "2017-06-05"


@pytest.fixture
def dups(cli: Cli, make_report: Any, make_rec: Any) -> Cli:
    make_report("r", published="2017-01-01", response_within="56 days")
    make_rec("r", "R1", due="2017-03-01")
    make_rec("r", "R2", due="2017-06-20")
    make_rec("r", "R3", due="2017-12-31")
    make_rec("r", "R4", due="2017-02-15")
    cli("update", "r/R2", "--duplicate-of", "r/R1", "--date", "2017-06-01")
    cli("update", "r/R4", "--duplicate-of", "R1", "--date", "2017-06-01")
    return cli


def test_list_filters_leave_a_duplicate_out_from_the_day_it_is_marked(dups: Cli) -> None:
    # before the marks: counted as any other
    assert dups.ids("--status", "open", "--as-of", BEFORE) == ["r/R1", "r/R2", "r/R3", "r/R4"]
    assert dups.ids("--overdue", "--as-of", BEFORE) == ["r/R1", "r/R4"]
    assert dups.ids("--due-within", "30 days", "--as-of", BEFORE) == ["r/R2"]
    assert dups.ids("--stale", "--as-of", BEFORE) == ["r/R1", "r/R2", "r/R3", "r/R4"]  # 150 days, no event
    # from the end of the day of the mark: neither open, overdue, due soon nor stale
    assert dups.ids("--status", "open", "--as-of", "2017-06-01") == ["r/R1", "r/R3"]
    assert dups.ids("--status", "open", "--as-of", AFTER) == ["r/R1", "r/R3"]
    assert dups.ids("--overdue", "--as-of", AFTER) == ["r/R1"]
    assert dups.ids("--due-within", "30 days", "--as-of", AFTER) == []
    assert dups.ids("--stale", "--as-of", "2017-09-30") == ["r/R1", "r/R3"]  # R2, R4: 121 days since their mark
    assert dups.ids("--overdue", "--status", "awaiting-response", "--as-of", AFTER) == ["r/R1"]
    # but listed unfiltered, and by their own status, which they keep
    rows = {row["id"]: row for row in dups.json("list", "--as-of", AFTER)}
    assert list(rows) == ["r/R1", "r/R2", "r/R3", "r/R4"]
    assert rows["r/R2"]["status"] == "awaiting-response" and rows["r/R2"]["duplicate_of"] == "r/R1"
    assert dups.ids("--status", "awaiting-response", "--as-of", AFTER) == ["r/R1", "r/R2", "r/R3", "r/R4"]
    assert dups.ids("--status", "open,awaiting-response", "--as-of", AFTER) == ["r/R1", "r/R2", "r/R3", "r/R4"]
    plain = dups("list", "--status", "open", "--as-of", AFTER, "--format", "plain").stdout
    assert "r/R2" not in plain and "r/R4" not in plain and "r/R1" in plain


def test_report_counts_a_duplicate_under_its_own_heading(dups: Cli) -> None:
    before = dups.json("report", "--as-of", BEFORE)["total"]
    assert (before["total"], before["open"], before["duplicate"], before["overdue"], before["due_soon"]) == (4, 4, 0, 2, 1)
    assert (before["no_response"], before["response_overdue"]) == (4, 4)
    after = dups.json("report", "--as-of", AFTER)["total"]
    assert (after["total"], after["open"], after["closed"], after["duplicate"]) == (4, 2, 0, 2)
    assert (after["overdue"], after["due_soon"], after["no_response"], after["response_overdue"]) == (1, 0, 2, 2)
    assert "awaiting_response" not in after  # the status count is by_status["awaiting-response"] alone
    assert after["by_status"]["awaiting-response"] == 4  # a duplicate keeps its status
    plain = dups("report", "--as-of", AFTER, "--format", "plain").stdout
    assert ("4 recommendations, 2 open, 0 closed (0%), 2 duplicates (counted with the one duplicated), "
            "0 implemented (0%; 0 verified), 1 overdue, 0 due within 30 days, 2 with no response recorded, 2 response overdue.\n") in plain
    header = next(line for line in plain.splitlines() if line.startswith("REPORT "))
    assert header.split() == ["REPORT", "TOTAL", "AWAITING", "IMPL", "DUPLICATE", "CLOSED", "CLOSED%", "IMPL%", "OVERDUE",
                              "DUE-30D", "NO-RESPONSE", "RESP-OVERDUE"]
    # before the marks there is no duplicate to speak of
    plain = dups("report", "--as-of", BEFORE, "--format", "plain").stdout
    assert "4 recommendations, 4 open, 0 closed (0%), 0 implemented (0%; 0 verified), 2 overdue," in plain
    assert "DUPLICATE" not in plain
    rows = list(csv.DictReader(io.StringIO(dups("report", "--as-of", AFTER, "--format", "csv").stdout)))
    total = next(r for r in rows if r["row"] == "total")
    assert (total["open"], total["duplicate"], total["overdue"], total["no_response"]) == ("2", "2", "1", "2")
    html = dups("report", "r", "--as-of", AFTER, "--format", "html").stdout
    assert "Open items (2, of which 1 overdue)" in html and 'data-figure="duplicate"' in html


def test_a_closed_duplicate_is_closed_and_the_trend_counts_duplicates(dups: Cli, make_report: Any) -> None:
    dups("update", "r/R4", "--status", "withdrawn", "--date", "2017-07-01")
    total = dups.json("report", "--as-of", "2017-07-05")["total"]
    assert (total["open"], total["closed"], total["duplicate"]) == (2, 1, 1)
    make_report("r-q1", published="2017-08-01", kind="follow-up", follows="r")
    data = dups.json("report", "r", "--as-of", "2017-08-01")
    assert [(t["report"], t["duplicate"], t["open"]) for t in data["trend"]] == [("r", 0, 4), ("r-q1", 1, 2)]
    out = dups("report", "r", "--as-of", "2017-08-01", "--format", "plain").stdout
    trend = out[out.index("Trend of r"):]
    assert any(line.split() == ["duplicate", "0", "1"] for line in trend.splitlines())


def test_remind_does_not_chase_a_duplicate(dups: Cli) -> None:
    before = dups.json("remind", "--as-of", BEFORE, "--within", "30 days")
    assert [d["id"] for d in before["overdue"]] == ["r/R4", "r/R1"]
    assert [d["id"] for d in before["due_soon"]] == ["r/R2"]
    assert before["responses_due"][0]["ids"] == ["r/R1", "r/R2", "r/R3", "r/R4"]
    assert [s["id"] for s in before["stale"]] == ["r/R1", "r/R2", "r/R3", "r/R4"]
    after = dups.json("remind", "--as-of", AFTER, "--within", "30 days")
    assert [d["id"] for d in after["overdue"]] == ["r/R1"]
    assert after["due_soon"] == []
    [clock] = after["responses_due"]
    assert clock["ids"] == ["r/R1", "r/R3"] and clock["awaiting"] == 2
    assert [s["id"] for s in dups.json("remind", "--as-of", "2017-09-30")["stale"]] == ["r/R1", "r/R3"]
    plain = dups("remind", "--as-of", AFTER, "--within", "30 days", "--format", "plain").stdout
    assert "r/R2" not in plain and "r/R4" not in plain


def _report() -> Report:
    """The same ledger as plain domain objects (no index): what a command works on after a change."""
    recs = [Recommendation("r", f"R{n}", "t", due=due) for n, due in
            ((1, date(2017, 3, 1)), (2, date(2017, 6, 20)), (3, date(2017, 12, 31)), (4, date(2017, 2, 15)))]
    for rec in (recs[1], recs[3]):
        rec.events.append(Event(date(2017, 6, 1), duplicate_of="r/R1"))
    return Report("r", "T", "B", "S", date(2017, 1, 1), response_within=Duration(56, "days"), recommendations=recs)


def test_the_domain_agrees_on_recommendations_read_from_files() -> None:
    from track.domain.progress import progress
    from track.domain.query import Filter, select
    from track.domain.reminders import gather

    report = _report()
    after = date(2017, 6, 5)
    total = progress({"r": report}, after).total
    assert (total.open, total.duplicate, total.overdue, total.no_response, total.response_overdue) == (2, 2, 1, 2, 2)
    assert progress({"r": report}, date(2017, 5, 31)).total.duplicate == 0
    found = gather({"r": report}, "l", after, Duration(30, "days"), Duration(90, "days"))
    assert [d.id for d in found.overdue] == ["r/R1"] and found.due_soon == []
    assert found.responses_due[0].awaiting == ("r/R1", "r/R3")
    assert [i.rec.ref for i in select([report], Filter(statuses=["open"]), after)] == ["R1", "R3"]
    assert [i.rec.ref for i in select([report], Filter(), after)] == ["R1", "R2", "R3", "R4"]
