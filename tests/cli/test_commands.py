"""The core commands through the CLI runner: init, reports add/list/show, add, update, list,
show, check; every output format; --as-of; id resolution; and the library without a terminal."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest
from conftest import BOX_CHARS, IOPC, PEEL, Q1, A, Cli

from track import Ledger

ALL = [f"{A}/C1", f"{A}/R1", f"{A}/R2", f"{A}/R10", f"{PEEL}/AFI1", f"{PEEL}/AFI2", f"{IOPC}/R1"]
# What the issue documents for `list --format json` (at least) and what `show` adds.
LIST_FIELDS = {"id", "report", "ref", "kind", "text", "owner", "tags", "status", "response", "due", "overdue",
               "last_event", "closed"}
EVENT_FIELDS = {"date", "note", "source", "evidence"}


def plain(text: str) -> None:
    """Plain output: no escape sequences, no box drawing."""
    assert "\x1b" not in text
    assert not BOX_CHARS & set(text), sorted(BOX_CHARS & set(text))


def report_file(root: Path, report_id: str) -> dict:
    return tomllib.loads((root / "reports" / f"{report_id}.toml").read_text("utf-8"))


# --------------------------------------------------------------------------- init


def test_init_creates_the_ledger_folder(runner, tmp_path: Path) -> None:
    root = tmp_path / "met-ledger"
    result = Cli(runner, None)("init", root)
    assert result.stdout == f"created ledger 'met-ledger' in {root}\n"
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", ".track", "reports", "track.toml"]
    settings = tomllib.loads((root / "track.toml").read_text())
    assert settings["name"] == "met-ledger" and settings["schema"] == 1
    assert ".track/" in (root / ".gitignore").read_text().splitlines()
    assert list((root / "reports").iterdir()) == []
    assert Cli(runner, root)("check").stdout == "ok: 0 reports, 0 recommendations, no problems\n"


def test_init_defaults_to_the_working_directory_and_takes_a_name(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Cli(runner, None)("init", "--name", "Met inspections")
    assert tomllib.loads((tmp_path / "track.toml").read_text())["name"] == "Met inspections"


def test_init_refuses_an_existing_ledger_and_changes_nothing(runner, ledger_path: Path, snapshot) -> None:
    before = snapshot(ledger_path)
    result = Cli(runner, None)("init", ledger_path, expect=1)
    assert result.stderr == f"track: {ledger_path}: already a ledger (track.toml exists)\n"
    assert snapshot(ledger_path) == before


def test_init_keeps_an_existing_gitignore(runner, tmp_path: Path) -> None:
    (tmp_path / "l").mkdir()
    (tmp_path / "l" / ".gitignore").write_text("*.bak\n")
    Cli(runner, None)("init", tmp_path / "l")
    assert (tmp_path / "l" / ".gitignore").read_text() == "*.bak\n"


def test_init_git_in_an_existing_ledger_only_sets_up_git(runner, ledger_path: Path, snapshot) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    before = snapshot(ledger_path)
    Cli(runner, None)("init", "--git", ledger_path)
    assert (ledger_path / ".git").exists()
    after = snapshot(ledger_path)
    assert {k: v for k, v in after.items() if not k.startswith(".git/")}.items() >= before.items()


def test_the_ledger_is_found_by_option_environment_or_working_directory(met: Cli, tmp_path: Path, monkeypatch) -> None:
    bare = Cli(met.runner, None)
    deep = met.root / "reports"
    monkeypatch.chdir(deep)
    assert bare.ids() == ALL  # nearest track.toml upwards
    monkeypatch.chdir(tmp_path)
    assert bare.ids(env={"TRACK_LEDGER": str(met.root)}) == ALL
    empty = tmp_path / "empty"
    bare("init", empty)
    assert Cli(met.runner, empty).ids(env={"TRACK_LEDGER": str(met.root)}) == []  # --ledger wins
    assert bare("-L", empty, "list", env={"TRACK_LEDGER": str(met.root)}).stdout == "ID  STATUS  RESPONSE  DUE  OWNER  TEXT\n"
    missing = bare("list", expect=1)
    assert missing.stdout == ""
    assert missing.stderr.startswith("track: no ledger found: no track.toml in ") and missing.stderr.count("\n") == 1
    result = bare("--ledger", tmp_path / "nowhere", "list", expect=1)
    assert "not a ledger" in result.stderr and "track init" in result.stderr


# --------------------------------------------------------------------------- reports add


def test_reports_add_with_every_option(cli: Cli) -> None:
    cli("reports", "add", "base", "--title", "Base", "--by", "HMIC", "--subject", "Met", "--published", "2016-11-24")
    result = cli(
        "reports", "add", "hmic-2018-met-cp-review", "--title", "Post-inspection review", "--by", "HMICFRS",
        "--subject", "Metropolitan Police Service", "--published", "24 May 2018", "--kind", "Review",
        "--follows", "base", "--url", "https://example.org/r", "--note", "Promised a revisit",
        "--followup-every", "3 months", "--followup-from", "June 2018", "--followup-until", "March 2019",
        "--revisit-by", "within 12 months", "--response-within", "56d",
        "--figure", "cases reviewed=1,234", "--figure", "share=0.5", "--grade", "effectiveness=requires improvement",
    )
    assert result.stdout == "added report hmic-2018-met-cp-review (published 2018-05-24)\n"
    data = report_file(cli.root, "hmic-2018-met-cp-review")
    assert data == {
        "title": "Post-inspection review",
        "by": "HMICFRS",
        "subject": "Metropolitan Police Service",
        "kind": "review",
        "published": date(2018, 5, 24),
        "url": "https://example.org/r",
        "follows": ["base"],
        "note": "Promised a revisit",
        "response_within": "56 days",
        "revisit": "12 months",
        "followup": {"every": "3 months", "from": date(2018, 6, 1), "until": date(2019, 3, 31)},
        "figures": {"cases reviewed": 1234, "share": 0.5},
        "grades": {"effectiveness": "requires-improvement"},
        "entered": date(2018, 6, 30),  # the day it was added
    }


def test_reports_add_minimal_and_a_revisit_by_a_date(cli: Cli, make_report) -> None:
    make_report("r1", published="2017-01-31", revisit_by="+6 months")
    make_report("r2", published="2017-01-31", revisit_by="2017-12-31")
    make_report("r3", published="2017-01-31", revisit_by="30 days after publication")
    assert report_file(cli.root, "r1")["revisit"] == date(2017, 7, 31)
    assert report_file(cli.root, "r2")["revisit"] == date(2017, 12, 31)
    assert report_file(cli.root, "r3")["revisit"] == date(2017, 3, 2)
    assert report_file(cli.root, "r1")["kind"] == "inspection"


# --------------------------------------------------------------------------- add


def test_add_records_a_recommendation(cli: Cli, make_report) -> None:
    make_report("hmic-2016-met-cp", published="2016-11-24")
    cause = cli("add", "hmic-2016", "--ref", "C1", "--kind", "cause of concern", "--text", 'Children "at risk"\n\tstill')
    assert cause.stdout == "added hmic-2016-met-cp/C1\n"
    result = cli("add", "hmic-2016-met-cp", "--ref", "R1", "--text", "Appoint a lead", "--answers", "C1",
                 "--owner", "DCS", "--tag", "governance", "--tag", "safeguarding", "--tag", "governance",
                 "--due", "+6 months", "--priority", "High")
    assert result.stdout == "added hmic-2016-met-cp/R1 (due 2017-05-24)\n"
    recs = report_file(cli.root, "hmic-2016-met-cp")["recommendations"]
    assert recs == [
        {"ref": "C1", "kind": "cause-of-concern", "text": 'Children "at risk"\n\tstill', "entered": date(2018, 6, 30)},
        {"ref": "R1", "kind": "recommendation", "text": "Appoint a lead", "answers": "hmic-2016-met-cp/C1", "owner": "DCS",
         "tags": ["governance", "safeguarding"], "priority": "high", "due": date(2017, 5, 24), "entered": date(2018, 6, 30)},
    ]


@pytest.mark.parametrize(
    ("published", "due", "expected"),
    [
        ("2016-11-24", "2017-05-24", "2017-05-24"),
        ("2016-11-24", "24 May 2017", "2017-05-24"),
        ("2016-11-24", "May 2017", "2017-05-31"),  # a month alone: its last day
        ("2016-11-24", "+6 months", "2017-05-24"),  # counted from publication
        ("2017-08-31", "+6 months", "2018-02-28"),  # month-end clamping
        ("2016-11-24", "56 days after publication", "2017-01-19"),
        ("2016-11-24", "24/05/2017", "2017-05-24"),
    ],
)
def test_add_due_dates_as_people_write_them(cli: Cli, make_report, make_rec, published: str, due: str, expected: str) -> None:
    make_report("r", published=published)
    result = make_rec("r", "R1", due=due)
    assert result.stdout == f"added r/R1 (due {expected})\n"
    assert report_file(cli.root, "r")["recommendations"][0]["due"] == date.fromisoformat(expected)


# --------------------------------------------------------------------------- update


def test_update_appends_one_event_and_confirms_it(met: Cli) -> None:
    result = met("update", f"{A}/R2", "--status", "in-progress", "--note", "Course rewritten", "--source", "force update",
                 "--evidence", "https://example.org/a", "--evidence", "https://example.org/b")
    assert result.stdout == f"{A}/R2: status in-progress (claimed) (2018-06-30)\n"  # --date defaults to today; the force's word
    events = report_file(met.root, A)["recommendations"][2]["events"]
    assert events[-1] == {"date": date(2018, 6, 30), "status": "in-progress", "basis": "claimed", "note": "Course rewritten",
                          "source": "force update", "evidence": ["https://example.org/a", "https://example.org/b"],
                          "recorded": date(2018, 6, 30), "recorded_by": "tester"}
    assert len(events) == 3


@pytest.mark.parametrize(
    ("args", "confirmation", "event"),
    [
        (["C1", "--response", "accepted", "--date", "2017-01-05"], f"{A}/C1: response accepted (2017-01-05)",
         {"date": date(2017, 1, 5), "response": "accepted"}),
        (["C1", "--note", "Raised at the board", "--date", "24 May 2017"], f"{A}/C1: note (2017-05-24)",
         {"date": date(2017, 5, 24), "note": "Raised at the board"}),
        (["C1", "--owner", "ACC Specialist Crime", "--date", "yesterday"], f"{A}/C1: owner ACC Specialist Crime (2018-06-29)",
         {"date": date(2018, 6, 29), "owner": "ACC Specialist Crime"}),
        (["C1", "--due", "+6 months", "--date", "2017-08-31"], f"{A}/C1: due 2018-02-28 (2017-08-31)",
         {"date": date(2017, 8, 31), "due": date(2018, 2, 28)}),  # relative to the event, clamped
        (["C1", "--due", "May 2018"], f"{A}/C1: due 2018-05-31 (2018-06-30)", {"date": date(2018, 6, 30), "due": date(2018, 5, 31)}),
        ([f"{A}/R2", "--due", "2018-12-31", "--reason", "New training contract", "--date", "2018-01-02"],
         f"{A}/R2: due 2018-12-31 (reason: New training contract) (2018-01-02)",
         {"date": date(2018, 1, 2), "due": date(2018, 12, 31), "reason": "New training contract"}),
        ([f"{A}/R2", "--status", "superseded", "--superseded-by", "R10", "--date", "2018-01-01"],
         f"{A}/R2: status superseded (claimed); superseded by {A}/R10 (2018-01-01)",
         {"date": date(2018, 1, 1), "status": "superseded", "basis": "claimed", "superseded_by": f"{A}/R10"}),
        (["AFI2", "--duplicate-of", "AFI1", "--related", f"{A}/R2", "--related", "C1"],
         f"{PEEL}/AFI2: duplicate of {PEEL}/AFI1; related to {A}/R2, {A}/C1 (2018-06-30)",
         {"date": date(2018, 6, 30), "duplicate_of": f"{PEEL}/AFI1", "related": [f"{A}/R2", f"{A}/C1"]}),
        (["AFI2", "--status", "withdrawn", "--response", "noted", "--date", "2018-02-01"],
         f"{PEEL}/AFI2: status withdrawn (claimed); response noted (2018-02-01)",
         {"date": date(2018, 2, 1), "status": "withdrawn", "basis": "claimed", "response": "noted"}),
    ],
)
def test_update_options(met: Cli, args: list[str], confirmation: str, event: dict) -> None:
    result = met("update", *args)
    assert result.stdout == confirmation + "\n"
    past = event.get("due") is not None and event["due"] < event["date"] and "reason" not in event
    assert result.stderr == (f"warning: the new due date {event['due']} is already past on {event['date']} (the event's date); "
                             "give --date if the event happened earlier\n" if past else "")
    rec_id = json.loads(met("show", args[0], "--format", "json").stdout)["id"]
    report_id, ref = rec_id.split("/")
    raw = next(r for r in report_file(met.root, report_id)["recommendations"] if r["ref"] == ref)
    assert {**event, "recorded": date(2018, 6, 30), "recorded_by": "tester"} in raw["events"]


def test_a_backdated_event_takes_its_place_in_date_order(met: Cli) -> None:
    met("update", f"{A}/R1", "--note", "Board briefed", "--date", "2017-03-15")
    met("update", f"{A}/R1", "--note", "Earliest", "--date", "2016-12-01")
    events = report_file(met.root, A)["recommendations"][1]["events"]
    assert [(e["date"], e.get("note")) for e in events] == [
        (date(2016, 12, 1), "Earliest"),
        (date(2017, 1, 10), None),
        (date(2017, 3, 15), "Lead appointed"),
        (date(2017, 3, 15), "Board briefed"),  # same day: after the one entered first
        (date(2017, 6, 1), None),
        (date(2018, 2, 20), "Verified in the fourth quarterly report"),
    ]
    assert met("check").exit_code == 0


# --------------------------------------------------------------------------- list


def test_plain_list_shows_every_item_with_a_header(met: Cli) -> None:
    out = met("list").stdout  # not a terminal: plain is the default
    plain(out)
    lines = out.splitlines()
    assert lines[0] == ("ID                    STATUS                 RESPONSE            DUE                        "
                        "OWNER                    TEXT")
    assert lines[1:] == [
        "hmic-2016-met-cp/C1   awaiting-response                                                                              "
        "Children at risk were not protected quickly enough",
        "hmic-2016-met-cp/R1   implemented            accepted            2017-12-31                 DCS Child Protection     "
        "Appoint a chief officer lead for child protection",
        "hmic-2016-met-cp/R2   partially-implemented  partially-accepted  2017-05-31 (overdue 395d)  Director of Learning     "
        "Train staff in assessing risk to children",
        "hmic-2016-met-cp/R10  not-implemented        not-accepted                                                            "
        "Review the use of police protection powers",
        "peel-2017-met/AFI1    not-started            accepted            2018-06-12 (overdue 18d)   Professional Standards   "
        "Vetting should follow national policy",
        "peel-2017-met/AFI2    awaiting-response                                                     Anti-Corruption Command  "
        "Build capacity for counter-corruption work",
        "iopc-2018-essex/R1    awaiting-response                          2018-03-29 (overdue 93d)   Custody Command          "
        "Review custody observation levels",
    ]
    assert met("list", "--format", "plain").stdout == out
    assert met("list", "--format", "table", env={"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}).stdout != out
    assert met("list", env={"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}).stdout == out  # rich's rule: 0 wins


def test_an_empty_list_is_a_success(met: Cli) -> None:
    result = met("list", "--status", "in-progress")
    assert result.stdout == "ID  STATUS  RESPONSE  DUE  OWNER  TEXT\n"
    assert met.json("list", "--status", "in-progress") == []
    assert met.json("list", "--search", "no such words") == []


def test_list_json_fields(met: Cli) -> None:
    rows = met.json("list")
    assert isinstance(rows, list) and [r["id"] for r in rows] == ALL
    for row in rows:
        assert LIST_FIELDS <= set(row), LIST_FIELDS - set(row)
        for key in ("due", "last_event", "issued", "entered"):
            assert row[key] is None or date.fromisoformat(row[key]).isoformat() == row[key]
    r2 = rows[2]
    assert {k: r2[k] for k in sorted(LIST_FIELDS)} == {
        "closed": False,
        "due": "2017-05-31",
        "id": f"{A}/R2",
        "kind": "recommendation",
        "last_event": "2017-04-01",
        "overdue": True,
        "owner": "Director of Learning",
        "ref": "R2",
        "report": A,
        "response": "partially-accepted",
        "status": "partially-implemented",
        "tags": ["training"],
        "text": "Train staff in assessing risk to children",
    }
    assert rows[0]["last_event"] is None and rows[0]["due"] is None and rows[0]["response"] is None
    assert rows[1]["closed"] is True and rows[1]["overdue"] is False and rows[1]["answers"] == f"{A}/C1"


def test_list_csv_and_markdown(met: Cli) -> None:
    out = met("list", "--format", "csv").stdout
    plain(out)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ALL
    assert LIST_FIELDS <= set(rows[0])
    assert (rows[2]["due"], rows[2]["overdue"], rows[2]["closed"], rows[2]["tags"]) == ("2017-05-31", "true", "false", "training")
    assert rows[1]["tags"] == "governance; safeguarding"
    md = met("list", "--format", "markdown").stdout.splitlines()
    plain("\n".join(md))
    assert md[0] == "| ID | STATUS | RESPONSE | DUE | OWNER | TEXT |"
    assert md[1] == "| --- | --- | --- | --- | --- | --- |"
    assert md[4] == ("| hmic-2016-met-cp/R2 | partially-implemented | partially-accepted | 2017-05-31 (overdue 395d) "
                     "| Director of Learning | Train staff in assessing risk to children |")
    assert len(md) == 2 + len(ALL)


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_list_table_on_a_terminal(met: Cli, env: dict) -> None:
    out = met("list", env={**env, "COLUMNS": "200"}).stdout
    assert "\x1b[" in out and BOX_CHARS & set(out)
    for rec_id in ALL:
        assert rec_id in out
    assert "Train staff in assessing risk to children" in out
    assert met("list", "--format", "table", env={"COLUMNS": "200"}).stdout.count("─") > 10  # asked for, not a terminal


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--status", "open"], [f"{A}/C1", f"{A}/R2", f"{PEEL}/AFI1", f"{PEEL}/AFI2", f"{IOPC}/R1"]),
        (["--status", "closed"], [f"{A}/R1", f"{A}/R10"]),
        (["-s", "not-started,awaiting-response"], [f"{A}/C1", f"{PEEL}/AFI1", f"{PEEL}/AFI2", f"{IOPC}/R1"]),
        (["--status", "implemented", "--status", "Not-Implemented"], [f"{A}/R1", f"{A}/R10"]),
        (["--report", "peel"], [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        (["--report", A], [f"{A}/C1", f"{A}/R1", f"{A}/R2", f"{A}/R10"]),
        (["--subject", "essex"], [f"{IOPC}/R1"]),
        (["--issued-by", "HMICFRS"], [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        (["--issued-by", "iopc"], [f"{IOPC}/R1"]),
        (["--owner", "learning"], [f"{A}/R2"]),  # the owner as of now
        (["--owner", "Head of Training"], []),  # ... not the one it was added with
        (["--tag", "safeguarding"], [f"{A}/C1", f"{A}/R1"]),
        (["--tag", "vetting", "--tag", "CORRUPTION"], [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        (["--kind", "area-for-improvement"], [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        (["--kind", "cause-of-concern", "--kind", "area-for-improvement"], [f"{A}/C1", f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        (["--priority", "high"], [f"{A}/C1", f"{A}/R1"]),
        (["--priority", "medium", "--priority", "low"], [f"{A}/R2", f"{A}/R10"]),
        (["--overdue"], [f"{A}/R2", f"{PEEL}/AFI1", f"{IOPC}/R1"]),
        (["--stale"], [f"{A}/C1", f"{A}/R2", f"{PEEL}/AFI2", f"{IOPC}/R1"]),  # no event for 90 days, open
        (["--due-within", "30d", "--as-of", "2018-06-01"], [f"{PEEL}/AFI1"]),
        (["--due-within", "30d"], []),
        (["--search", "backlog"], [f"{PEEL}/AFI1"]),  # in a note
        (["--search", Q1], [f"{A}/R1"]),  # in a source
        (["--search", "CUSTODY"], [f"{IOPC}/R1"]),
        (["--search", "governance"], [f"{A}/R1"]),  # a tag
        (["--status", "open", "--overdue", "--issued-by", "HMIC"], [f"{A}/R2", f"{PEEL}/AFI1"]),
    ],
)
def test_list_filters(met: Cli, args: list[str], expected: list[str]) -> None:
    assert met.ids(*args) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("issued", ALL),
        ("report", ALL),
        ("id", [f"{A}/C1", f"{A}/R1", f"{A}/R2", f"{A}/R10", f"{IOPC}/R1", f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        ("due", [f"{A}/R2", f"{A}/R1", f"{IOPC}/R1", f"{PEEL}/AFI1", f"{A}/C1", f"{A}/R10", f"{PEEL}/AFI2"]),
        ("overdue", [f"{A}/R2", f"{IOPC}/R1", f"{PEEL}/AFI1", f"{A}/R1", f"{A}/C1", f"{A}/R10", f"{PEEL}/AFI2"]),
        ("status", [f"{A}/C1", f"{PEEL}/AFI2", f"{IOPC}/R1", f"{PEEL}/AFI1", f"{A}/R2", f"{A}/R1", f"{A}/R10"]),
        ("owner", [f"{PEEL}/AFI2", f"{IOPC}/R1", f"{A}/R1", f"{A}/R2", f"{PEEL}/AFI1", f"{A}/C1", f"{A}/R10"]),
        ("priority", [f"{A}/C1", f"{A}/R1", f"{A}/R2", f"{A}/R10", f"{PEEL}/AFI1", f"{PEEL}/AFI2", f"{IOPC}/R1"]),
        ("last-event", [f"{A}/C1", f"{A}/R10", f"{A}/R2", f"{PEEL}/AFI2", f"{IOPC}/R1", f"{A}/R1", f"{PEEL}/AFI1"]),
    ],
)
def test_list_sorts(met: Cli, sort: str, expected: list[str]) -> None:
    assert met.ids("--sort", sort) == expected


# --------------------------------------------------------------------------- --as-of


def test_list_as_of_derives_state_from_the_events_up_to_that_day(met: Cli) -> None:
    rows = {r["id"]: r for r in met.json("list", "--as-of", "2017-03-31")}
    assert list(rows) == [f"{A}/C1", f"{A}/R1", f"{A}/R2", f"{A}/R10"]  # later reports are absent
    r1, r2 = rows[f"{A}/R1"], rows[f"{A}/R2"]
    assert (r1["status"], r1["response"], r1["due"], r1["overdue"], r1["last_event"], r1["closed"]) == (
        "in-progress", "accepted", "2017-05-24", False, "2017-03-15", False)
    assert (r2["status"], r2["owner"]) == ("not-started", "Head of Training")
    assert rows[f"{A}/R10"]["status"] == "not-implemented"


def test_as_of_a_month_means_its_last_day_and_overdue_is_measured_against_it(met: Cli) -> None:
    rows = {r["id"]: r for r in met.json("list", "--as-of", "May 2017")}
    assert (rows[f"{A}/R1"]["overdue"], rows[f"{A}/R1"]["days_overdue"]) == (True, 7)  # due 2017-05-24
    assert rows[f"{A}/R2"]["overdue"] is False  # due "May 2017" is met until the month ends
    assert met.ids("--overdue", "--as-of", "2017-05-31") == [f"{A}/R1"]
    assert met.ids("--overdue", "--as-of", "2017-06-01") == [f"{A}/R2"]  # R1's due moved that day
    assert met.ids("--as-of", "-1 year") == met.ids("--as-of", "2017-06-30")
    assert met.ids("--as-of", "2016-11-23") == []
    assert met.ids("--as-of", "2016-11-24") == [f"{A}/C1", f"{A}/R1", f"{A}/R2", f"{A}/R10"]
    r1_line = next(line for line in met("list", "--as-of", "May 2017").stdout.splitlines() if line.startswith(f"{A}/R1 "))
    assert r1_line.split()[:5] == [f"{A}/R1", "in-progress", "accepted", "2017-05-24", "(overdue"]
    assert "(overdue 7d)" in r1_line


def test_show_as_of_and_before_issue(met: Cli) -> None:
    data = met.json("show", f"{A}/R1", "--as-of", "2017-03-31")
    assert [e["date"] for e in data["events"]] == ["2017-01-10", "2017-03-15"]
    assert (data["status"], data["due"], data["closed"]) == ("in-progress", "2017-05-24", False)
    result = met("show", f"{PEEL}/AFI1", "--as-of", "2017-06-30", expect=1)
    assert result.stderr == f"track: {PEEL}/AFI1 was not issued until 2017-12-12 (asked as of 2017-06-30)\n"


def test_reports_as_of(met: Cli) -> None:
    assert [r["id"] for r in met.json("reports", "list", "--as-of", "2017-06-30")] == [A, Q1]
    counts = {r["id"]: (r["recommendations"], r["open"]) for r in met.json("reports", "list", "--as-of", "2017-03-31")}
    assert counts == {A: (4, 3), Q1: (0, 0)}
    data = met.json("reports", "show", A, "--as-of", "2017-03-01")
    assert data["followed_by"] == []
    assert [i["status"] for i in data["items"]] == ["awaiting-response", "not-started", "not-started", "not-implemented"]


# --------------------------------------------------------------------------- show


def test_show_plain_is_the_record_and_its_timeline(met: Cli) -> None:
    out = met("show", f"{A}/R1").stdout
    plain(out)
    assert out == (
        f"{A}/R1  implemented (unverified)\n"
        "  Appoint a chief officer lead for child protection\n"
        "\n"
        f"  report        {A}: National child protection inspection: Metropolitan Police Service (published 2016-11-24)\n"
        "  kind          recommendation\n"
        "  status        implemented (unverified) (closed)\n"
        "  basis         claimed: the owner says so\n"
        "  response      accepted\n"
        "  due           2017-12-31\n"
        "  owner         DCS Child Protection\n"
        "  due moved     1 time since first due 2017-05-24\n"
        "  age           453 days from issue to closing (2018-02-20)\n"
        "  priority      high\n"
        "  tags          governance, safeguarding\n"
        f"  answers       {A}/C1\n"
        "\n"
        "History (as of 2018-06-30)\n"
        "  2016-11-24  issued: awaiting-response\n"
        "  2017-01-10  #1 response accepted: now not-started  [source: force update]\n"
        "              entered 2018-06-30 by tester\n"
        f"  2017-03-15  #2 status not-started → in-progress (assessed)  [source: {Q1}]\n"
        "              Lead appointed\n"
        "              entered 2018-06-30 by tester\n"
        "  2017-06-01  #3 due 2017-05-24 → 2017-12-31 (reason: Restructure delayed the work)\n"
        "              entered 2018-06-30 by tester\n"
        "  2018-02-20  #4 status in-progress → implemented (claimed)\n"
        "              Verified in the fourth quarterly report\n"
        "              evidence: https://example.org/q4\n"
        "              entered 2018-06-30 by tester\n"
    )


def test_show_json_adds_the_events(met: Cli) -> None:
    data = met.json("show", f"{A}/R1")
    assert isinstance(data, dict) and data["id"] == f"{A}/R1"
    assert LIST_FIELDS <= set(data)
    assert (data["status"], data["closed"], data["overdue"], data["last_event"]) == ("implemented", True, False, "2018-02-20")
    events = [{k: v for k, v in e.items() if k != "status_after"} for e in data["events"]]
    entered = {"recorded": "2018-06-30", "recorded_by": "tester"}
    assert events == [
        {"number": 1, "date": "2017-01-10", "response": "accepted", "note": None, "source": "force update", "evidence": [],
         **entered},
        {"number": 2, "date": "2017-03-15", "status": "in-progress", "basis": "assessed", "note": "Lead appointed",
         "source": Q1, "evidence": [], **entered, "before": {"status": "not-started"}},
        {"number": 3, "date": "2017-06-01", "due": "2017-12-31", "reason": "Restructure delayed the work", "note": None,
         "source": None, "evidence": [], **entered, "before": {"due": "2017-05-24"}},
        {"number": 4, "date": "2018-02-20", "status": "implemented", "basis": "claimed",
         "note": "Verified in the fourth quarterly report", "source": None, "evidence": ["https://example.org/q4"],
         **entered, "before": {"status": "in-progress"}},
    ]
    assert (data["basis"], data["supersedes"], data["duplicated_by"], data["related_by"]) == ("claimed", [], [], [])
    assert [e["status_after"] for e in data["events"]] == ["not-started", "in-progress", "in-progress", "implemented"]
    owner_change = met.json("show", f"{A}/R2")["events"][1]
    assert EVENT_FIELDS <= set(owner_change)
    assert (owner_change["owner"], owner_change["status"]) == ("Director of Learning", "partially-implemented")
    assert met.json("show", f"{A}/C1")["events"] == []


def test_show_csv_markdown_and_table(met: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(met("show", f"{A}/R1", "--format", "csv").stdout)))
    assert [(r["date"], r["status"], r["due"], r["reason"]) for r in rows] == [
        ("2017-01-10", "", "", ""), ("2017-03-15", "in-progress", "", ""),
        ("2017-06-01", "", "2017-12-31", "Restructure delayed the work"), ("2018-02-20", "implemented", "", "")]
    assert {r["id"] for r in rows} == {f"{A}/R1"} and EVENT_FIELDS <= set(rows[0])
    md = met("show", f"{A}/R1", "--format", "markdown").stdout
    plain(md)
    assert md.startswith(f"### {A}/R1: implemented\n")
    assert "- 2017-06-01: \\#3 due 2017-05-24 → 2017-12-31 (reason: Restructure delayed the work)\n" in md
    table = met("show", f"{A}/R1", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in table and "Verified in the fourth quarterly report" in table
    assert met("show", f"{A}/R1", env={"TTY_COMPATIBLE": "1"}).stdout.startswith("\x1b[1m")


# --------------------------------------------------------------------------- reports list / show


def test_reports_list_formats(met: Cli) -> None:
    out = met("reports", "list").stdout
    plain(out)
    assert out.splitlines() == [
        "ID                   PUBLISHED   BY       KIND           RECS  OPEN  TITLE",
        "hmic-2016-met-cp     2016-11-24  HMIC     inspection        4     2  National child protection inspection: Metropolitan Police Service",
        "hmic-2017-met-cp-q1  2017-03-15  HMIC     follow-up         0     0  First quarterly progress report",
        "peel-2017-met        2017-12-12  HMICFRS  peel              2     2  PEEL: police legitimacy 2017",
        "iopc-2018-essex      2018-02-01  IOPC     investigation     1     1  Investigation into a death in custody",
    ]
    data = met.json("reports", "list")
    assert [r["id"] for r in data] == [A, Q1, PEEL, IOPC]
    assert data[0]["published"] == "2016-11-24" and data[0]["figures"]["cases reviewed"] == 374
    assert data[0]["followup"] == {"every": "3 months", "from": "2017-03-01", "until": "2018-02-28"}
    assert data[1]["follows"] == [A] and data[1]["note"] == "The publication date is approximate."
    rows = list(csv.DictReader(io.StringIO(met("reports", "list", "--format", "csv").stdout)))
    assert rows[0]["followup"] == "every 3 months from 2017-03-01 until 2018-02-28"
    assert rows[0]["figures"] == "cases reviewed=374; needing improvement or inadequate=278; referred back=38"
    md = met("reports", "list", "--format", "markdown").stdout.splitlines()
    assert md[0] == "| ID | PUBLISHED | BY | KIND | RECS | OPEN | TITLE |" and len(md) == 6
    table = met("reports", "list", env={"FORCE_COLOR": "1", "COLUMNS": "200"}).stdout
    assert "\x1b[" in table and BOX_CHARS & set(table) and Q1 in table


def test_reports_show_formats(met: Cli) -> None:
    out = met("reports", "show", "peel").stdout  # a unique prefix
    plain(out)
    assert out == (
        f"{PEEL}\n"
        "  title      PEEL: police legitimacy 2017\n"
        "  by         HMICFRS\n"
        "  subject    Metropolitan Police Service\n"
        "  kind       peel\n"
        "  published  2017-12-12\n"
        "  grade      legitimacy: requires-improvement\n"
        "\n"
        "ID                  STATUS             RESPONSE  DUE                       OWNER                    TEXT\n"
        "peel-2017-met/AFI1  not-started        accepted  2018-06-12 (overdue 18d)  Professional Standards   Vetting should follow national policy\n"
        "peel-2017-met/AFI2  awaiting-response                                      Anti-Corruption Command  Build capacity for counter-corruption work\n"
    )
    full = met("reports", "show", A).stdout
    for line in ("  follow-ups   every 3 months from 2017-03-01 until 2018-02-28", "  response     within 56 days of publication",
                 "  revisit      within 12 months", "  figure       cases reviewed: 374", f"  followed by  {Q1}",
                 "  url          https://example.org/hmic-2016-met-cp", "  grade        overall: inadequate"):
        assert line in full.splitlines()
    assert met("reports", "show", Q1).stdout.endswith("No recommendations.\n")
    data = met.json("reports", "show", A)
    assert (data["id"], data["published"], data["followed_by"], data["recommendations"], data["open"]) == (A, "2016-11-24", [Q1], 4, 2)
    assert [i["id"] for i in data["items"]] == ALL[:4] and LIST_FIELDS <= set(data["items"][0])
    rows = list(csv.DictReader(io.StringIO(met("reports", "show", A, "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == ALL[:4]
    md = met("reports", "show", A, "--format", "markdown").stdout
    assert md.startswith(f"## {A}\n") and "| ID | STATUS | RESPONSE | DUE | OWNER | TEXT |" in md
    table = met("reports", "show", A, env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"}).stdout
    assert "\x1b[" in table and BOX_CHARS & set(table) and f"{A}/R10" in table


# --------------------------------------------------------------------------- id resolution


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{A}/R1", f"{A}/R1"),  # exact wins over the prefix of R10
        (f"{A}/R10", f"{A}/R10"),
        ("AFI1", f"{PEEL}/AFI1"),  # REF alone, one report has it
        ("R10", f"{A}/R10"),
        ("C1", f"{A}/C1"),
        ("afi2", f"{PEEL}/AFI2"),  # case folded
        (f"{IOPC}/", f"{IOPC}/R1"),  # a unique prefix of the full id
        ("iopc", f"{IOPC}/R1"),
        (f"{PEEL}/AFI2", f"{PEEL}/AFI2"),
        (f" {A}/C1 ", f"{A}/C1"),
    ],
)
def test_id_resolution(met: Cli, text: str, expected: str) -> None:
    assert met.json("show", text)["id"] == expected


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("R1", [f"{A}/R1", f"{IOPC}/R1"]),
        (f"{PEEL}/AFI", [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        ("peel", [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]),
        (f"{A}/R", [f"{A}/R1", f"{A}/R10", f"{A}/R2"]),
    ],
)
def test_an_ambiguous_id_is_refused_with_the_candidates(met: Cli, text: str, candidates: list[str]) -> None:
    result = met("show", text, expect=1)
    assert result.stdout == ""
    assert result.stderr == f"track: {text!r} is ambiguous: it could be {', '.join(candidates)}\n"


def test_an_unknown_id_is_refused(met: Cli) -> None:
    assert met("show", "AFI3", expect=1).stderr == f"track: unknown recommendation 'AFI3'; did you mean {PEEL}/AFI1 or {PEEL}/AFI2?\n"
    assert met("show", "ZZZ9", expect=1).stderr == "track: unknown recommendation 'ZZZ9'\n"
    assert met("reports", "show", "nope", expect=1).stderr.startswith("track: unknown report 'nope'; reports are: ")
    assert met("reports", "show", "hmic", expect=1).stderr == f"track: report 'hmic' is ambiguous: it could be {A}, {Q1}\n"


# --------------------------------------------------------------------------- check


def test_check_a_clean_ledger(met: Cli) -> None:
    result = met("check")
    assert (result.stdout, result.stderr) == ("ok: 4 reports, 7 recommendations, no problems\n", "")


BAD_FILES = {
    "syntax": 'title = "x"\nby = "HMIC"\nsubject = "s"\npublished = 2017-01-01\noops = = 3\n',
    "values": (
        'title = "x"\nby = "HMIC"\nsubject = "s"\npublished = 2017-01-01\nkind = "gossip"\n\n'
        '[[recommendations]]\nref = "R1"\ntext = "t"\n\n'
        '[[recommendations.events]]\ndate = 2017-02-01\nstatus = "finished"\n'
    ),
    "links": (
        'title = "x"\nby = "HMIC"\nsubject = "s"\npublished = 2017-01-01\nfollows = ["ghost"]\n\n'
        '[[recommendations]]\nref = "R1"\ntext = "t"\nanswers = "gone/C1"\nrelated = ["nowhere/R9"]\n\n'
        '[[recommendations.events]]\ndate = 2017-02-01\nresponse = "accepted"\n\n'
        '[[recommendations.events]]\ndate = 2017-03-01\nstatus = "superseded"\nsuperseded_by = "nope/R1"\n\n'
        '[[recommendations.events]]\ndate = 2017-03-02\nduplicate_of = "nope/R2"\nrelated = ["nope/R3"]\n'
    ),
    "conflict": 'title = "x"\nby = "HMIC"\n<<<<<<< HEAD\nsubject = "s"\n=======\nsubject = "t"\n>>>>>>> theirs\npublished = 2017-01-01\n',
    "rules": (
        'title = "x"\nby = "HMIC"\nsubject = "s"\npublished = 2017-01-01\n\n'
        '[[recommendations]]\nref = "R1"\ntext = "t"\ndue = 2017-06-30\n\n'
        '[[recommendations.events]]\ndate = 2016-12-01\nnote = "before publication"\n\n'
        '[[recommendations.events]]\ndate = 2017-02-01\ndue = 2017-09-30\n\n'
        '[[recommendations.events]]\ndate = 2017-03-01\nstatus = "superseded"\n\n'
        '[[recommendations.events]]\ndate = 2017-04-01\n'
    ),
    "unknown": 'title = "x"\nby = "HMIC"\nsubject = "s"\npublished = 2017-01-01\ncolour = "blue"\n',
}
EXPECTED_PROBLEMS = [
    "reports/conflict.toml:3:1: git conflict marker",
    "reports/links.toml:5:1: follows 'ghost', which is not a report of this ledger",
    "reports/links.toml:10:1: links/R1 answers 'gone/C1', which is not in the ledger",
    "reports/links.toml:11:1: links/R1 is related to 'nowhere/R9', which is not in the ledger",
    "reports/links.toml:20:1: links/R1: superseded_by 'nope/R1' is not in the ledger",
    "reports/links.toml:24:1: links/R1: duplicate_of 'nope/R2' is not in the ledger",
    "reports/links.toml:25:1: links/R1: related 'nope/R3' is not in the ledger",
    "reports/rules.toml:12:1: rules/R1: event of 2016-12-01 is before the report's publication (2017-01-01)",
    "reports/rules.toml:17:1: rules/R1: the due date changes from 2017-06-30 to 2017-09-30 without a reason",
    "reports/rules.toml:21:1: rules/R1: superseded without superseded_by",
    "reports/rules.toml:23:1: rules/R1: event of 2017-04-01 changes nothing and has no note",
    "reports/syntax.toml:5:8: TOML syntax: Invalid value",
    "reports/unknown.toml:5:1: unknown key 'colour'",
    "reports/values.toml:5:1: kind = 'gossip' is not one of: inspection",
    "reports/values.toml:13:1: recommendations[0].events[0].status = 'finished' is not one of: awaiting-response",
]


def test_check_reports_every_problem_with_file_line_and_column(met: Cli) -> None:
    for name, text in BAD_FILES.items():
        (met.root / "reports" / f"{name}.toml").write_text(text)
    result = met("check", expect=1)
    plain(result.stdout)
    lines = result.stdout.splitlines()
    for expected in EXPECTED_PROBLEMS:
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in:\n{result.stdout}"
    assert len(lines) == len(EXPECTED_PROBLEMS)
    assert result.stderr == f"{len(lines)} problems in {met.root}\n"
    # the other commands refuse to work on a broken ledger, naming the place
    listing = met("list", expect=1)
    assert listing.stderr.startswith("track: reports/") and "run `track check`" in listing.stderr
    assert listing.stderr.count("\n") == 1


def test_check_settings_and_stray_files(met: Cli) -> None:
    (met.root / "reports" / "notes.txt").write_text("not a report\n")
    settings = met.root / "track.toml"
    settings.write_text('colour = "blue"\n' + settings.read_text())
    result = met("check", expect=1)
    assert "track.toml:1:1: unknown key 'colour'" in result.stdout
    assert "reports/notes.txt: not a report file (reports are ID.toml)" in result.stdout


def test_an_unknown_key_is_reported_and_kept_when_a_command_rewrites_the_file(met: Cli) -> None:
    path = met.root / "reports" / f"{PEEL}.toml"
    text = path.read_text()
    text = text.replace('kind = "peel"\n', 'kind = "peel"\nx_reviewer = "J. Smith"\n')
    text = text.replace('ref = "AFI2"\n', 'ref = "AFI2"\nx_internal_ref = 42\n')
    # tomli-w writes short events inline ({ date = ..., note = ... }), longer ones as tables
    note = 'note = "Vetting backlog halved"'
    line = next(line for line in text.splitlines() if note in line)
    text = text.replace(note, note + (", x_minute = 2018-06-02" if line.lstrip().startswith("{") else "\nx_minute = 2018-06-02"))
    path.write_text(text)
    lines = text.splitlines()
    event_line = next(i for i, line in enumerate(lines, 1) if "x_minute" in line)
    rec_line = next(i for i, line in enumerate(lines, 1) if "x_internal_ref" in line)
    result = met("check", expect=1)
    assert result.stdout.splitlines() == [
        f"reports/{PEEL}.toml:5:1: unknown key 'x_reviewer' (kept as it is)",
        f"reports/{PEEL}.toml:{event_line}:{lines[event_line - 1].index('x_minute') + 1}: "
        "unknown key 'recommendations[0].events[1].x_minute' (kept as it is)",
        f"reports/{PEEL}.toml:{rec_line}:1: unknown key 'recommendations[1].x_internal_ref' (kept as it is)",
    ]
    assert met.ids("--report", PEEL) == [f"{PEEL}/AFI1", f"{PEEL}/AFI2"]  # unknown keys do not block reading
    met("update", "AFI2", "--status", "in-progress", "--date", "2018-06-20")
    data = report_file(met.root, PEEL)
    assert data["x_reviewer"] == "J. Smith"
    assert data["recommendations"][1]["x_internal_ref"] == 42
    assert data["recommendations"][0]["events"][1]["x_minute"] == date(2018, 6, 2)
    assert data["recommendations"][1]["events"][-1]["status"] == "in-progress"


# --------------------------------------------------------------------------- help and version


def test_help_and_version(met: Cli) -> None:
    for command in (["--help"], ["reports", "--help"], ["list", "-h"], ["update", "--help"], ["check", "--help"]):
        result = met(*command)
        assert result.stdout.lstrip().startswith("Usage: ") and result.stderr == ""
    assert met("--version").stdout.startswith("track ")


# --------------------------------------------------------------------------- the library


def test_the_library_without_a_terminal(tmp_path: Path) -> None:
    import track

    assert track.Ledger is Ledger
    ledger = Ledger.init(tmp_path / "lib", name="library")
    ledger.add_report("hmic-2016-met-cp", title="Child protection", by="HMIC", subject="Met", published="2016-11-24",
                      response_within="56 days", figures={"cases reviewed": 374})
    rec = ledger.add_recommendation("hmic", ref="R1", text="Appoint a lead", due="+6 months", tags=["governance"])
    assert (rec.id, rec.due, rec.entered) == ("hmic-2016-met-cp/R1", date(2017, 5, 24), date(2018, 6, 30))
    rec, event = ledger.update("R1", when="2017-01-10", response="accepted", note="Accepted in full")
    assert event.date == date(2017, 1, 10)
    ledger.update("R1", when=date(2017, 6, 1), due=date(2017, 12, 31), reason="Slipped")

    again = Ledger.find(tmp_path / "lib")
    found = again.resolve("hmic-2016-met-cp/R1")
    state = again.state(found)
    assert (state.status, state.response, state.due, state.last_event) == ("not-started", "accepted", date(2017, 12, 31), date(2017, 6, 1))
    assert again.state(found, date(2017, 1, 9)).status == "awaiting-response"
    assert [r.id for r in again.recommendations()] == ["hmic-2016-met-cp/R1"]
    assert again.reports["hmic-2016-met-cp"].figures == {"cases reviewed": 374}
    assert again.check() == []

    before = (tmp_path / "lib" / "reports" / "hmic-2016-met-cp.toml").read_bytes()
    with pytest.raises(track.TrackError, match="needs --reason"):
        again.update("R1", due="2018-06-30")
    assert (tmp_path / "lib" / "reports" / "hmic-2016-met-cp.toml").read_bytes() == before


def test_the_command_line_does_not_import_rich_or_dateutil_to_start() -> None:
    import subprocess
    import sys

    code = "import sys, track.cli.app; print(sorted(m for m in ('rich', 'dateutil') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- the example ledger

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"


@pytest.fixture
def example(tmp_path: Path, runner, monkeypatch) -> Cli:
    if not (EXAMPLE / "track.toml").is_file():
        pytest.fail(f"{EXAMPLE}: the example ledger of issue 2 is missing")
    monkeypatch.setenv("TRACK_TODAY", "2025-01-01")  # after every report in it
    root = tmp_path / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    return Cli(runner, root)


def test_the_example_ledger_is_clean_canonical_and_lists_its_open_items(example: Cli) -> None:
    from track.store import reportfile

    assert example("check").stdout.startswith("ok: ")
    files = sorted((example.root / "reports").glob("*.toml"))
    total = 0
    for path in files:
        text = path.read_text("utf-8")
        report, problems, unknown = reportfile.decode_report(path.stem, tomllib.loads(text), path.name, text)
        assert problems == [] and unknown == [] and report is not None
        assert reportfile.dumps_report(report) == text, f"{path.name} is not in canonical form"
        total += len(report.recommendations)
    every = example.json("list")
    assert len(every) == total > 0
    listed = example("list").stdout.splitlines()
    assert len(listed) == total + 3  # plain list: a header, every item, and below them its latest evidence (years old)
    assert listed[-2] == "" and re.fullmatch(r"latest evidence 2021-09-01 \([\d,]+ days ago\)", listed[-1])
    open_items = example.json("list", "--status", "open")
    assert 0 < len(open_items) < total
    assert all(not r["closed"] for r in open_items)
    assert {r["id"] for r in open_items} == {r["id"] for r in every if not r["closed"]}
    plain_open = example("list", "--status", "open").stdout.splitlines()
    assert [line.split()[0] for line in plain_open[1:-2]] == [r["id"] for r in open_items]


def test_a_file_in_conflict_is_the_one_problem_check_names(met: Cli) -> None:
    """Links into a file that cannot be read (a merge left markers in it) are not reported as
    missing: the file's own problem is the one to fix."""
    path = met.root / "reports" / f"{A}.toml"
    text = path.read_text("utf-8")
    path.write_text(text.replace('title = "', '<<<<<<< ours\ntitle = "Ours\n=======\ntitle = "', 1)
                    .replace('\nby = ', '\n>>>>>>> theirs\nby = ', 1), "utf-8")
    result = met("check", expect=1)
    assert result.stdout.splitlines() and all(line.startswith(f"reports/{A}.toml:") for line in result.stdout.splitlines()), result.stdout
    refused = met("update", f"{PEEL}/AFI1", "--note", "x", expect=1).stderr
    assert refused.count("track check") == 1 and refused.startswith(f"track: reports/{A}.toml:"), refused


def test_owners_typed_in_nfc_and_nfd_are_one_owner(met: Cli) -> None:
    composed, decomposed = "Directrice Générale", "Directrice Ge\u0301ne\u0301rale"
    met("add", "hmic-2016-met-cp", "--ref", "R91", "--text", "a", "--owner", composed, "--tag", "sécurité")
    met("add", "hmic-2016-met-cp", "--ref", "R92", "--text", "b", "--owner", decomposed, "--tag", "se\u0301curite\u0301")
    owners = [g["key"] for g in met.json("report", "--by", "owner")["groups"]]
    assert owners.count(composed) == 1 and decomposed not in owners
    assert {r["ref"] for r in met.json("list", "--owner", decomposed)} == {"R91", "R92"}
    assert {r["ref"] for r in met.json("list", "--tag", "sécurité")} == {"R91", "R92"}
