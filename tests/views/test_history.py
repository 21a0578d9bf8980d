"""`track history [ID|REPORT] [--since] [--until] [--as-of]`: every event in date order, in
every format; its JSON is a list of events with id, date, note, source and the fields each
changed. Built on conftest's story ledger `met` (today pinned to 2018-06-30)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from conftest import IOPC, PEEL, Q1, A, Cli

ESC = "\x1b"
BOX = re.compile("[\u2500-\u257f]")
ALL = [  # (date, id) of every event of the story, in date order
    ("2017-01-10", f"{A}/R1"),
    ("2017-01-10", f"{A}/R2"),
    ("2017-02-01", f"{A}/R10"),
    ("2017-03-15", f"{A}/R1"),
    ("2017-04-01", f"{A}/R2"),
    ("2017-06-01", f"{A}/R1"),
    ("2018-01-05", f"{PEEL}/AFI1"),
    ("2018-02-20", f"{A}/R1"),
    ("2018-06-01", f"{PEEL}/AFI1"),
]


def history(cli: Cli, *args: str) -> list[dict[str, Any]]:
    """The events (the rows that say a report was published or a recommendation issued left out)."""
    return [row for row in cli.json("history", *args) if "event" not in row]


def test_reports_published_and_recommendations_issued_are_rows_of_their_own(met: Cli) -> None:
    rows = met.json("history", "--until", "2016-12-31")
    assert [(r["date"], r["id"], r["event"]) for r in rows] == [
        ("2016-11-24", A, "published"), ("2016-11-24", f"{A}/C1", "issued"), ("2016-11-24", f"{A}/R1", "issued"),
        ("2016-11-24", f"{A}/R2", "issued"), ("2016-11-24", f"{A}/R10", "issued")]
    assert rows[0]["note"] == "National child protection inspection: Metropolitan Police Service"
    assert rows[1]["source"] == A and rows[1]["status_after"] == "awaiting-response" and rows[1]["recorded"] == "2018-06-30"
    one = met.json("history", f"{A}/R1")
    assert [r.get("event") for r in one][:2] == ["issued", None]  # one recommendation: no report row
    plain = met("history", "--until", "2016-12-31", "--format", "plain").stdout
    assert re.split(r"\s{2,}", plain.splitlines()[3]) == ["2016-11-24", A, "report published", f"https://example.org/{A}",
                                                          "National child protection inspection: Metropolitan Police Service"]
    rows = list(csv.DictReader(io.StringIO(met("history", "--until", "2016-12-31", "--format", "csv").stdout)))
    assert [r["event"] for r in rows] == ["published", "issued", "issued", "issued", "issued"]


def test_recorded_since_lists_what_was_entered_whatever_its_date(met: Cli) -> None:
    assert met.json("history", "--recorded-since", "2018-07-01") == []  # the story was all typed in on 2018-06-30
    met("update", f"{A}/R2", "--note", "Minutes found", "--date", "2017-02-02", env={"TRACK_TODAY": "2018-07-03"})
    met("edit", f"{A}/R2", "--text", "Better text", "--reason", "typo", env={"TRACK_TODAY": "2018-07-04"})
    rows = met.json("history", "--recorded-since", "2018-07-01", "--as-of", "2018-07-05")
    assert [(r["date"], r.get("note"), r["recorded"]) for r in rows] == [
        ("2017-02-02", "Minutes found", "2018-07-03"), ("2018-07-04", None, "2018-07-04")]
    assert rows[1]["amended"] == {"text": {"old": "Train staff in assessing risk to children", "new": "Better text"}}
    assert len(met.json("history", "--recorded-since", "2018-06-30", "--as-of", "2018-07-05")) > 9 + 2


def test_every_event_of_the_ledger_in_date_order(met: Cli) -> None:
    events = history(met)
    assert [(e["date"], e["id"]) for e in events] == ALL


def test_json_holds_only_the_fields_each_event_changed(met: Cli) -> None:
    events = history(met, f"{A}/R1")
    entered = {"recorded": "2018-06-30", "recorded_by": "tester"}  # when and by whom each was typed in
    assert events[0] == {"id": f"{A}/R1", "report": A, "date": "2017-01-10", "response": "accepted", "note": None,
                         "source": "force update", "evidence": [], **entered, "status_after": "not-started"}
    assert events[1] == {"id": f"{A}/R1", "report": A, "date": "2017-03-15", "status": "in-progress", "basis": "assessed",
                         "note": "Lead appointed", "source": Q1, "evidence": [], **entered,
                         "before": {"status": "not-started"}, "status_after": "in-progress"}
    assert events[2] == {"id": f"{A}/R1", "report": A, "date": "2017-06-01", "due": "2017-12-31",
                         "reason": "Restructure delayed the work", "note": None, "source": None, "evidence": [],
                         **entered, "before": {"due": "2017-05-24"}, "status_after": "in-progress"}
    assert events[3]["status"] == "implemented" and events[3]["evidence"] == ["https://example.org/q4"]
    note_only = history(met, "AFI1")[1]  # REF alone, where one report has it
    assert note_only == {"id": f"{PEEL}/AFI1", "report": PEEL, "date": "2018-06-01", "note": "Vetting backlog halved",
                         "source": None, "evidence": [], **entered, "status_after": "not-started"}


def test_since_and_until_include_their_days_and_read_months(met: Cli) -> None:
    assert [(e["date"], e["id"]) for e in history(met, "--since", "2017-03-15", "--until", "2017-06-01")] == ALL[3:6]
    # a month alone: its first day for --since, its last for --until
    assert [e["date"] for e in history(met, "--since", "January 2017", "--until", "February 2017")] == \
        ["2017-01-10", "2017-01-10", "2017-02-01"]
    assert history(met, "--since", "2019-01-01") == []
    # relative dates count from today (2018-06-30)
    assert [e["date"] for e in history(met, "--since", "-1 month")] == ["2018-06-01"]
    # --as-of: the ledger as it stood that day
    assert [e["date"] for e in history(met, "--as-of", "2017-02-01")] == ["2017-01-10", "2017-01-10", "2017-02-01"]


def test_a_report_means_its_recommendations_and_those_of_the_reports_that_follow_it(met: Cli) -> None:
    assert {e["id"].split("/")[0] for e in history(met, A)} == {A}
    met("add", Q1, "--ref", "N1", "--text", "A new recommendation of the first quarterly report")
    met("update", f"{Q1}/N1", "--response", "accepted", "--date", "2017-04-01")
    events = history(met, A)
    assert [(e["date"], e["id"]) for e in events if e["date"] == "2017-04-01"] == [("2017-04-01", f"{A}/R2"), ("2017-04-01", f"{Q1}/N1")]
    assert [e["id"] for e in history(met, Q1)] == [f"{Q1}/N1"]
    assert [e["id"] for e in history(met, IOPC)] == []
    assert len(history(met, "peel")) == 2  # a unique prefix of a report id


def test_same_day_events_keep_the_order_entered(met: Cli) -> None:
    met("update", f"{PEEL}/AFI2", "--response", "accepted", "--date", "2018-06-10")
    met("update", f"{PEEL}/AFI2", "--status", "in-progress", "--date", "2018-06-10", "--note", "second")
    met("update", f"{PEEL}/AFI2", "--note", "third", "--date", "2018-06-10")
    events = history(met, f"{PEEL}/AFI2")
    assert [(e.get("response"), e.get("status"), e["note"], e["status_after"]) for e in events] == [
        ("accepted", None, None, "not-started"), (None, "in-progress", "second", "in-progress"), (None, None, "third", "in-progress")]


def test_errors_exit_1_for_unknown_ids_and_2_for_bad_values(met: Cli) -> None:
    result = met("history", "nothing-like-it", expect=1)
    assert result.stderr == "track: unknown report or recommendation 'nothing-like-it'\n" and result.stdout == ""
    met("history", f"{A}/R99", expect=1)
    met("history", "R1", expect=1)  # two reports have an R1: ambiguous
    met("history", "--since", "2018-01-01", "--until", "2017-01-01", expect=2)
    met("history", "--since", "the other day", expect=2)
    met("history", "--format", "yaml", expect=2)


def test_every_format(met: Cli) -> None:
    plain = met("history", A, "--since", "2017-03-01", "--until", "2017-06-30").stdout
    lines = plain.splitlines()
    assert lines[0] == f"History of {A} and the reports that follow it, from 2017-03-01 to 2017-06-30; ledger met ({met.root})"
    assert ESC not in plain and not BOX.search(plain)
    assert re.split(r"\s{2,}", lines[2]) == ["DATE", "ID", "CHANGES", "SOURCE", "NOTE"]
    assert re.split(r"\s{2,}", lines[3]) == ["2017-03-15", f"{A}/R1", "status not-started → in-progress (assessed)", Q1,
                                                "Lead appointed"]
    assert lines[5].startswith("2017-06-01") and "due 2017-05-24 → 2017-12-31 (reason: Restructure delayed the work)" in lines[5]
    rows = list(csv.DictReader(io.StringIO(met("history", "--format", "csv").stdout)))
    assert [(r["date"], r["id"]) for r in rows if not r["event"]] == ALL
    entries = len(rows) - len(ALL)  # 4 reports published, 7 recommendations issued
    assert entries == 11
    assert list(rows[0]) == ["id", "report", "date", "event", "status", "basis", "response", "due", "reason", "owner",
                             "superseded_by", "duplicate_of", "related", "amended", "note", "source", "evidence",
                             "recorded", "recorded_by", "status_after", "old_status", "old_due", "old_owner", "source_url"]
    md = met("history", "--format", "markdown").stdout
    assert md.startswith("**History of the whole ledger, up to 2018-06-30;") and "| 2017-03-15 | hmic-2016-met-cp/R1 |" in md
    html = met("history", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and html.count("<tr>") == len(ALL) + entries + 1
    table = met("history", "--format", "table", env={"COLUMNS": "160"}).stdout
    assert "Lead appointed" in table


def test_no_events_is_not_an_error(met: Cli, cli: Cli) -> None:
    assert met("history", "--since", "2019-01-01").stdout.endswith("No events from 2019-01-01 to 2018-06-30.\n")
    assert cli.json("history") == []
    for fmt in ("plain", "csv", "markdown", "html", "table"):
        cli("history", "--format", fmt)
