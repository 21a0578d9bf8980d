"""Dates as people write them, through the command line: a ledger's `day_first` setting
(10/08/2017 is 10 August where dates are written day first, refused as ambiguous elsewhere),
"end of May 2017", and quarters (Q2 2017). Today is pinned (conftest: 2018-06-30)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Q1, A, Cli

from track.domain import dates

REC = f"{A}/R2"


@pytest.fixture(autouse=True)
def ledger_preference_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a ledger sets how this process reads 10/08/2017 (dates._day_first); whatever a
    test's ledger said, the preference before the test comes back after it."""
    monkeypatch.setattr(dates, "_day_first", dates._day_first)


def set_first(root: Path, line: str) -> None:
    """Put `line` at the top of track.toml, beside the other top-level settings."""
    settings = root / "track.toml"
    settings.write_text(f"{line}\n{settings.read_text()}")


def event_dates(cli: Cli, rec: str) -> list[str]:
    return [event["date"] for event in cli.json("show", rec)["events"]]


# --------------------------------------------------------------------------- day_first


def test_a_day_first_ledger_records_10_08_2017_as_the_10th_of_august(met: Cli) -> None:
    set_first(met.root, "day_first = true")
    met("update", REC, "--date", "10/08/2017", "--note", "x")
    shown = met.json("show", REC)
    assert [(e["date"], e["note"]) for e in shown["events"] if e["note"] == "x"] == [("2017-08-10", "x")]
    assert met("check").exit_code == 0  # a known setting


def test_a_day_first_ledger_reads_day_first_every_date_typed(met: Cli) -> None:
    set_first(met.root, "day_first = true")
    met("reports", "add", "hmic-2017-met-cp-q2", "--title", "Second quarterly", "--by", "HMIC",
        "--subject", "Metropolitan Police Service", "--published", "07/06/2017", "--kind", "follow-up", "--follows", A)
    assert met.json("reports", "show", "hmic-2017-met-cp-q2")["published"] == "2017-06-07"
    met("add", A, "--ref", "R11", "--text", "t", "--due", "01/12/2017")
    assert met.json("show", f"{A}/R11")["due"] == "2017-12-01"
    met("update", f"{A}/R11", "--due", "02.11.2017", "--reason", "sooner", "--date", "03-10-2017")
    shown = met.json("show", f"{A}/R11")
    assert (shown["due"], shown["events"][-1]["date"]) == ("2017-11-02", "2017-10-03")
    # --as-of 01/04/2017 is the 1st of April: R1 in progress since 15 March, R2 not yet partly done (1 April is)
    as_of = {row["id"]: row["status"] for row in met.json("list", "--as-of", "01/04/2017")}
    assert (as_of[f"{A}/R1"], as_of[f"{A}/R2"]) == ("in-progress", "partially-implemented")
    assert {row["id"]: row["status"] for row in met.json("list", "--as-of", "31/03/2017")}[REC] == "not-started"
    # --since / --until
    shown = met.json("history", A, "--since", "01/02/2017", "--until", "01/04/2017")
    assert {e["date"] for e in shown} == {"2017-02-01", "2017-03-15", "2017-04-01"}


def test_a_ledger_without_day_first_refuses_10_08_2017_naming_the_setting_and_writes_nothing(met: Cli, snapshot) -> None:
    before = snapshot(met.root)
    result = met("update", REC, "--date", "10/08/2017", "--note", "x", expect=2)
    assert result.stderr == ("track: --date '10/08/2017' reads two ways (day/month or month/day): write it as "
                             "YYYY-MM-DD or like '10 August 2017' (or, if this ledger writes dates day first, "
                             "set day_first = true in track.toml)\n")
    assert result.stdout == ""
    assert snapshot(met.root) == before
    set_first(met.root, "day_first = false")  # said outright: the same
    before = snapshot(met.root)
    assert "day_first = true" in met("update", REC, "--date", "10/08/2017", "--note", "x", expect=2).stderr
    assert snapshot(met.root) == before


def test_iso_dates_read_the_same_with_or_without_day_first(met: Cli) -> None:
    met("update", REC, "--date", "2017-08-10", "--note", "iso")
    set_first(met.root, "day_first = true")
    met("update", REC, "--date", "2017-08-10", "--note", "iso again")
    assert event_dates(met, REC)[-2:] == ["2017-08-10", "2017-08-10"]


def test_an_invalid_day_first_setting_is_a_one_line_error_and_writes_nothing(met: Cli, snapshot) -> None:
    set_first(met.root, 'day_first = "yes"')
    before = snapshot(met.root)
    result = met("update", REC, "--date", "10/08/2017", "--note", "x", expect=1)
    assert result.stderr == "track: track.toml: day_first = 'yes' must be true or false\n"
    assert snapshot(met.root) == before
    result = met("check", expect=1)
    assert "track.toml:1:1: day_first = 'yes' must be true or false" in result.stdout.splitlines()


def test_day_first_belongs_at_the_top_of_track_toml(met: Cli) -> None:
    settings = met.root / "track.toml"
    settings.write_text(settings.read_text() + "day_first = true\n")  # after [remind]: inside it
    result = met("check", expect=1)
    assert any("unknown key 'remind.day_first' (it belongs above [remind], at the top of track.toml)" in line
               for line in result.stdout.splitlines())


def test_each_ledger_a_process_opens_reads_dates_its_own_way(runner, tmp_path: Path) -> None:
    uk, other = tmp_path / "uk", tmp_path / "other"
    for root in (uk, other):
        Cli(runner, None)("init", root)
    set_first(uk, "day_first = true")
    def add(report_id: str) -> list[str]:
        return ["reports", "add", report_id, "--title", "t", "--by", "b", "--subject", "s", "--published", "10/08/2017"]

    Cli(runner, uk)(*add("r"))
    Cli(runner, other)(*add("r"), expect=2)  # the one opened last decides, not the one opened first
    Cli(runner, uk)(*add("r2"))
    assert [Cli(runner, uk).json("reports", "show", r)["published"] for r in ("r", "r2")] == ["2017-08-10"] * 2
    assert not (other / "reports" / "r.toml").exists()


# --------------------------------------------------------------------------- end of, quarters


def test_due_end_of_may_2017_is_the_31st(cli: Cli, make_report) -> None:
    make_report(A)
    cli("add", A, "--ref", "R1", "--text", "t", "--due", "end of May 2017")
    assert cli.json("show", f"{A}/R1")["due"] == "2017-05-31"
    cli("update", f"{A}/R1", "--due", "the end of February 2018", "--reason", "later")
    assert cli.json("show", f"{A}/R1")["due"] == "2018-02-28"


def test_due_q2_2017_is_the_quarters_last_day(cli: Cli, make_report) -> None:
    make_report(A)
    cli("add", A, "--ref", "R1", "--text", "t", "--due", "Q2 2017")
    assert cli.json("show", f"{A}/R1")["due"] == "2017-06-30"
    cli("update", f"{A}/R1", "--due", "2017-Q4", "--reason", "later")
    assert cli.json("show", f"{A}/R1")["due"] == "2017-12-31"


def test_an_events_date_may_be_the_end_of_a_month_but_not_a_quarter_alone(met: Cli, snapshot) -> None:
    met("update", REC, "--date", "end of May 2017", "--note", "end of May")
    assert event_dates(met, REC)[-1] == "2017-05-31"
    before = snapshot(met.root)
    result = met("update", REC, "--date", "Q2 2017", "--note", "x", expect=2)
    assert result.stderr == ("track: --date 'Q2 2017' names a quarter, not a day: write it like 2017-06-30 "
                             "or 'end of Q2 2017'\n")
    assert snapshot(met.root) == before


def test_list_as_of_q1_2017_is_the_ledger_at_the_end_of_march(met: Cli) -> None:
    at_quarter = met.json("list", "--as-of", "Q1 2017")
    assert at_quarter == met.json("list", "--as-of", "2017-03-31")
    assert met.json("list", "--as-of", "end of Q1 2017") == at_quarter
    statuses = {row["id"]: row["status"] for row in at_quarter}
    assert f"{A}/R1" in statuses and not any(i.startswith("peel-") for i in statuses)  # PEEL came in December
    assert statuses[f"{A}/R1"] == "in-progress"  # since 15 March
    assert statuses[REC] == "not-started"  # partly done on 1 April


def test_since_a_quarter_is_its_first_day_and_until_its_last(met: Cli) -> None:
    events = met.json("history", A, "--since", "Q1 2017", "--until", "2017-Q1")
    assert {e["date"] for e in events} == {"2017-01-10", "2017-02-01", "2017-03-15"}
    assert met.json("history", A, "--since", "Q2 2017", "--until", "Q2 2017") == met.json(
        "history", A, "--since", "2017-04-01", "--until", "2017-06-30")
    # "end of" is explicit: as --since it is the last day too
    assert met.json("history", A, "--since", "end of May 2017", "--until", "end of 2017") == met.json(
        "history", A, "--since", "2017-05-31", "--until", "2017-12-31")


@pytest.mark.parametrize("quarter", ["Q0 2017", "Q5 2017"])
def test_a_quarter_that_does_not_exist_is_refused(met: Cli, quarter: str) -> None:
    result = met("list", "--as-of", quarter, expect=2)
    assert result.stderr == f"track: --as-of {quarter!r}: there is no quarter {quarter[:2]}: a year has four, Q1 to Q4\n"


def test_reports_list_as_of_q1_2017_holds_the_first_quarterly_report(met: Cli) -> None:
    ids = [r["id"] for r in met.json("reports", "list", "--as-of", "Q1 2017")]
    assert ids == [A, Q1]  # published 2016-11-24 and 2017-03-15; PEEL and IOPC later
