"""Action plans (#19): track action add, done and update, and the plan as show, list, report,
remind, undo and check see it. Today is pinned to 2018-06-30; every view is asked --as-of."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import PEEL, A, Cli, take_snapshot

R1 = f"{A}/R1"
R2 = f"{A}/R2"
AFI1 = f"{PEEL}/AFI1"


def plan(met: Cli) -> None:
    """R2 (open, partially implemented) gets two actions, one done; AFI1 (not started) one
    action led by someone other than its owner, due soon after 2018-06-20."""
    met("action", "add", R2, "--text", "Write the risk training course", "--owner", "Head of Training",
        "--due", "2017-03-31", "--date", "2017-01-15")
    met("action", "add", R2, "--text", "Train every officer in the referral teams", "--owner", "Director of Learning",
        "--due", "+4 months", "--date", "2017-02-01")
    met("action", "done", f"{R2}/1", "--date", "2017-03-20", "--source", "hmic-2017-met-cp-q1", "--note", "Course written")
    met("action", "add", AFI1, "--text", "Clear the vetting backlog", "--owner", "Vetting Unit",
        "--due", "2018-06-25", "--date", "2018-01-05")


def report_file(met: Cli, report: str = A) -> dict[str, Any]:
    return tomllib.loads((met.root / "reports" / f"{report}.toml").read_text())


def recommendation(met: Cli, rec_id: str) -> dict[str, Any]:
    report, ref = rec_id.split("/")
    return next(r for r in report_file(met, report)["recommendations"] if r["ref"] == ref)


# --------------------------------------------------------------------------- changing the plan


def test_add_numbers_actions_and_stores_them_under_the_recommendation(met: Cli) -> None:
    out = met("action", "add", R2, "--text", "Write the course", "--owner", "Head of Training", "--due", "+2 months",
              "--date", "2017-01-15")
    assert out.stdout == f"added {R2}/1 (Head of Training, due 2017-03-15)\n"
    out = met("action", "add", "R2", "--text", "Train the teams", "--owner", "Director of Learning", "--due", "2017-06-30",
              "--date", "2017-02-01")
    assert out.stdout == f"added {R2}/2 (Director of Learning, due 2017-06-30)\n"
    actions = recommendation(met, R2)["actions"]
    assert actions[0] == {"n": 1, "text": "Write the course", "owner": "Head of Training", "due": date(2017, 3, 15),
                          "added": date(2017, 1, 15), "recorded": date(2018, 6, 30), "recorded_by": "tester"}
    assert [a["n"] for a in actions] == [1, 2]
    text = (met.root / "reports" / f"{A}.toml").read_text()
    assert "[[recommendations.actions]]" in text
    met("check")


def test_done_and_update_are_dated_sourced_events(met: Cli) -> None:
    plan(met)
    out = met("action", "update", f"{R2}/2", "--due", "2017-09-30", "--reason", "Trainers not yet hired", "--date", "2017-05-01")
    assert out.stdout == f"{R2}/2: due 2017-09-30 (2017-05-01)\n"
    met("action", "update", f"{R2}/2", "--owner", "Head of Training", "--note", "Handed over", "--date", "2017-06-01")
    events = recommendation(met, R2)["actions"][1]["events"]
    assert [e["date"].isoformat() for e in events] == ["2017-05-01", "2017-06-01"]
    assert events[0]["reason"] == "Trainers not yet hired" and events[1]["owner"] == "Head of Training"
    first = recommendation(met, R2)["actions"][0]["events"][0]
    assert first["done"] is True and first["source"] == "hmic-2017-met-cp-q1" and first["recorded_by"] == "tester"
    met("action", "update", f"{R2}/1", "--reopen", "--note", "Course failed review", "--date", "2017-04-02")
    assert recommendation(met, R2)["actions"][0]["events"][1]["done"] is False
    met("check")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["action", "update", f"{R2}/2", "--due", "2017-09-30", "--date", "2017-05-01"], 1, "needs --reason"),
    (["action", "done", f"{R2}/1", "--date", "2017-04-01"], 1, "already done (on 2017-03-20)"),
    (["action", "update", f"{R2}/2", "--reopen", "--date", "2017-04-01"], 1, "nothing to reopen"),
    (["action", "done", f"{R2}/9"], 1, "has no action 9 (its actions: 1, 2)"),
    (["action", "done", f"{A}/R1/1"], 1, "has no action 1 (it has no actions)"),
    (["action", "done", f"{A}/R99/1"], 1, "unknown recommendation"),
    (["action", "done", R2], 2, "names no action"),
    (["action", "done", f"{R2}/2", "--date", "2017-01-20"], 1, "before hmic-2016-met-cp/R2/2 was added"),
    (["action", "done", f"{R2}/2", "--date", "2019-01-01"], 1, "after today"),
    (["action", "update", f"{R2}/2", "--date", "2017-05-01"], 2, "nothing to record"),
    (["action", "update", f"{R2}/2", "--reason", "why", "--date", "2017-05-01"], 2, "give --due as well"),
    (["action", "update", f"{R2}/2", "--due", "someday", "--reason", "x"], 2, "does not parse"),
    (["action", "add", R2, "--text", "", "--owner", "X", "--due", "2017-06-30"], 2, "--text is empty"),
    (["action", "add", R2, "--text", "T", "--owner", "X", "--due", "2015-06-30"], 1, "before the report's publication"),
    (["action", "add", R2, "--text", "Write the risk training course", "--owner", "X", "--due", "2017-06-30"], 1,
     "already has this text"),
    (["action", "add", R2, "--text", "T", "--owner", "X", "--due", "2017-06-30", "--date", "2016-01-01"], 1,
     "before hmic-2016-met-cp was published"),
])
def test_refusals_are_one_line_and_write_nothing(met: Cli, args: list[str], code: int, message: str) -> None:
    plan(met)
    before = take_snapshot(met.root)
    out = met(*args, expect=code)
    assert message in out.stderr, out.stderr
    assert "Traceback" not in out.output
    assert out.stderr.count("\n") <= 3  # click's usage errors take three lines; track's one
    assert take_snapshot(met.root) == before


def test_undo_and_redo_take_an_action_change_back_and_put_it_again(met: Cli) -> None:
    plan(met)
    before = take_snapshot(met.root)
    met("action", "done", f"{R2}/2", "--date", "2017-06-01")
    after = take_snapshot(met.root)
    assert "undid: action done" in met("undo").stdout
    assert take_snapshot(met.root) == before
    met("redo")
    assert take_snapshot(met.root) == after
    met("undo")
    met("undo")  # the action of AFI1 goes too
    assert "actions" not in recommendation(met, AFI1)


def test_a_git_ledger_commits_each_action_change(tmp_path: Path, runner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from conftest import own_git_home

    own_git_home(tmp_path, monkeypatch, name="Ann Keeper")
    root = tmp_path / "g"
    cli = Cli(runner, None)
    cli("init", "--git", root)
    cli = Cli(runner, root)
    cli("reports", "add", "r", "--title", "T", "--by", "HMIC", "--subject", "Met", "--published", "2017-01-01")
    cli("add", "r", "--ref", "R1", "--text", "Do it")
    cli("action", "add", "r/R1", "--text", "Step", "--owner", "Lee", "--due", "2017-06-30", "--date", "2017-02-01")
    cli("action", "done", "r/R1/1", "--date", "2017-03-01")
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True, text=True, check=True).stdout
    assert log.splitlines()[:2] == ["R1: action 1 done (r)", "R1: action 1 added, Lee, due 2017-06-30 (r)"]
    assert tomllib.loads((root / "reports" / "r.toml").read_text())["recommendations"][0]["actions"][0]["recorded_by"] == "Ann Keeper"


# --------------------------------------------------------------------------- show


def test_show_lists_the_plan_with_each_actions_state(met: Cli) -> None:
    plan(met)
    text = met("show", R2, "--as-of", "2017-06-30", "--format", "plain").stdout
    assert "  actions       1 of 2 done\n" in text
    assert "Action plan (1 of 2 done)\n" in text
    assert "  #1  done 2017-03-20  Head of Training, due 2017-03-31\n      Write the risk training course\n" in text
    assert "      2017-03-20  done  [source: hmic-2017-met-cp-q1]\n        Course written\n" in text
    assert "  #2  overdue 29d  Director of Learning, due 2017-06-01\n" in text


def test_show_as_of_sees_only_the_actions_and_events_of_that_day(met: Cli) -> None:
    plan(met)
    data = met.json("show", R2, "--as-of", "2017-01-20")
    assert data["actions_total"] == 1 and data["actions_done"] == 0
    assert data["actions"] == [{"id": f"{R2}/1", "n": 1, "text": "Write the risk training course", "owner": "Head of Training",
                                "due": "2017-03-31", "state": "open", "done": False, "done_on": None, "days_overdue": 0,
                                "added": "2017-01-15", "events": []}]
    assert "actions" not in met.json("show", R2, "--as-of", "2017-01-14")
    assert met.json("show", R2, "--as-of", "2017-03-20")["actions"][0]["state"] == "done"
    assert met.json("show", R2, "--as-of", "2017-03-19")["actions"][0]["state"] == "open"


def test_all_actions_done_flags_ready_but_never_closes(met: Cli) -> None:
    plan(met)
    met("action", "done", f"{R2}/2", "--date", "2017-07-01")
    data = met.json("show", R2, "--as-of", "2017-07-01")
    assert data["ready_to_report_complete"] is True
    assert data["status"] == "partially-implemented"
    assert "2 of 2 done: all done, ready to be reported complete" in met("show", R2, "--as-of", "2017-07-01").stdout
    met("update", R2, "--status", "reported-complete", "--date", "2017-07-02")
    assert met.json("show", R2)["ready_to_report_complete"] is False


# --------------------------------------------------------------------------- list


def test_list_columns_show_actions_done_of_total(met: Cli) -> None:
    plan(met)
    rows = met.json("list", "--columns", "id,actions,actions_done,actions_total,actions_overdue,ready", "--as-of", "2017-06-30")
    by_id = {r["id"]: r for r in rows}
    assert by_id[R2] == {"id": R2, "actions": "1/2", "actions_done": 1, "actions_total": 2, "actions_overdue": 1, "ready": False}
    assert by_id[R1]["actions"] == "" and by_id[R1]["actions_total"] == 0
    assert AFI1 not in by_id  # not issued yet
    text = met("list", "--columns", "id,status,actions", "--report", A, "--as-of", "2017-01-20", "--format", "plain").stdout
    assert f"{R2}   not-started            0/1\n" in text, text
    csv_text = met("list", "--columns", "id,actions,ready", "--report", A, "--format", "csv").stdout
    assert f"{R2},1/2,false" in csv_text
    met("action", "done", f"{R2}/2", "--date", "2017-07-01")
    assert f"{R2},2/2,true" in met("list", "--columns", "id,actions,ready", "--report", A, "--format", "csv").stdout
    bad = met("list", "--columns", "id,action", expect=2)
    assert "unknown column 'action'" in bad.stderr and "actions_done" in bad.stderr


# --------------------------------------------------------------------------- remind


def test_remind_lists_overdue_and_due_soon_actions_under_their_own_leads(met: Cli) -> None:
    plan(met)
    data = met.json("remind", "--as-of", "2018-06-20")
    assert data["actions_overdue"] == [{"id": f"{R2}/2", "recommendation": R2, "report": A,
                                        "text": "Train every officer in the referral teams", "due": "2017-06-01",
                                        "days": 384, "owner": "Director of Learning"}]
    assert data["actions_due_soon"] == [{"id": f"{AFI1}/1", "recommendation": AFI1, "report": PEEL,
                                         "text": "Clear the vetting backlog", "due": "2018-06-25", "days": 5,
                                         "owner": "Vetting Unit"}]
    text = met("remind", "--as-of", "2018-06-20", "--format", "plain").stdout
    assert "\nActions overdue: 1 open action past the due date, oldest first\n" in text
    assert f"\n{R2}/2  2017-06-01  384 days  Director of Learning  Train every officer in the referral teams\n" in text
    assert "Actions due soon: 1 open action due by 2018-07-04 (within 14 days)" in text
    # an action done, or one of a closed recommendation, is no longer chased; before its adding it is not there
    assert met.json("remind", "--as-of", "2017-01-31")["actions_overdue"] == []
    met("action", "done", f"{R2}/2", "--date", "2018-06-21")
    assert met.json("remind", "--as-of", "2018-06-21")["actions_overdue"] == []
    assert met.json("remind", "--as-of", "2018-06-20")["actions_overdue"] != []  # as it stood
    met("update", AFI1, "--status", "withdrawn", "--date", "2018-06-22")
    assert met.json("remind", "--as-of", "2018-06-22")["actions_due_soon"] == []


def test_an_overdue_action_fails_on_overdue(met: Cli) -> None:
    met("action", "add", R1, "--text", "Brief the board", "--owner", "Chief of Staff", "--due", "2017-02-01",
        "--date", "2017-01-15")
    assert met("remind", "--as-of", "2017-03-01", "--fail-on-overdue", expect=3).stdout
    met("action", "done", f"{R1}/1", "--date", "2017-01-30")
    data = met.json("remind", "--as-of", "2017-03-01")
    assert data["actions_overdue"] == []


def test_remind_owner_gives_a_lead_their_actions_even_on_anothers_recommendation(met: Cli) -> None:
    plan(met)
    part = met.json("remind", "--owner", "vetting unit", "--as-of", "2018-06-20")
    assert part["owner"] == "Vetting Unit"
    assert [a["id"] for a in part["actions_due_soon"]] == [f"{AFI1}/1"]
    assert part["overdue"] == [] and part["due_soon"] == []
    theirs = met.json("remind", "--owner", "Professional Standards", "--as-of", "2018-06-20")
    assert theirs["actions_due_soon"] == []  # the recommendation's owner is not the action's lead


def test_mail_sends_each_lead_their_actions(owned_actions: Cli, tmp_path: Path) -> None:
    import email
    from email.policy import default

    folder = tmp_path / "mail"
    owned_actions("remind", "--mail-to-dir", folder)
    messages = {p.name: email.message_from_bytes(p.read_bytes(), policy=default) for p in folder.glob("*.eml")}
    estates = messages["head-of-estates.eml"]  # nothing of theirs but an action on Head of Training's R1
    body = estates.get_content()
    assert "Actions overdue: 1 open action" in body and "hmic-2018-training/R1/1" in body
    assert "Recommendation R1" not in body
    assert estates["Subject"].startswith("track: 0 overdue, 0 due soon, actions: 1 overdue, 0 due soon for Head of Estates")
    digest = messages["digest.eml"].get_content()
    assert "hmic-2018-training/R1/1" in digest and "Mailed their own part:" in digest
    assert "hmic-2018-training/R1/1" not in messages["head-of-training.eml"].get_content()


@pytest.fixture
def owned_actions(cli: Cli, ledger_path: Path) -> Cli:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from owners_support import REPORT, build

    build(cli, ledger_path)
    cli("action", "add", f"{REPORT}/R1", "--text", "Survey the training rooms", "--owner", "Head of Estates",
        "--due", "2018-06-15", "--date", "2018-05-10")
    return cli


# --------------------------------------------------------------------------- report


def test_report_gives_action_completion_by_report_lead_and_status(met: Cli) -> None:
    plan(met)
    data = met.json("report", "--as-of", "2018-06-30")
    a = data["actions"]
    assert (a["total"], a["done"], a["open"], a["overdue"], a["share_done"]) == (3, 1, 2, 2, 0.3333)
    assert a["by_report"] == [
        {"key": A, "total": 2, "done": 1, "open": 1, "overdue": 1, "share_done": 0.5},
        {"key": PEEL, "total": 1, "done": 0, "open": 1, "overdue": 1, "share_done": 0.0}]
    assert [(r["key"], r["done"], r["total"]) for r in a["by_owner"]] == [
        ("Director of Learning", 0, 1), ("Head of Training", 1, 1), ("Vetting Unit", 0, 1)]
    assert [(r["key"], r["total"]) for r in a["by_status"]] == [("not-started", 1), ("partially-implemented", 2)]
    assert a["ready"] == []
    assert met.json("report", "--as-of", "2016-12-31")["actions"] is None
    text = met("report", "--as-of", "2018-06-30", "--format", "plain").stdout
    assert "Action plans: 1 of 3 actions done (33%), 2 open, 2 overdue.\n" in text
    assert "Actions by lead\n\nLEAD                  ACTIONS  DONE  OPEN  OVERDUE  DONE%\n" in text
    met("action", "done", f"{R2}/2", "--date", "2018-06-01")
    text = met("report", "--as-of", "2018-06-30", "--format", "plain").stdout
    assert f"All actions done, ready to be reported complete: {R2}.\n" in text
    assert "### Action plans" in met("report", "--format", "markdown").stdout
    page = met("report", "--format", "html").stdout
    assert '<h2>Action plans</h2>' in page and '<table id="actions-by-lead">' in page
    import csv
    import io

    rows = [r for r in csv.DictReader(io.StringIO(met("report", "--format", "csv").stdout)) if r["row"] == "actions"]
    assert [(r["of"], r["key"], r["done"], r["total"]) for r in rows][:2] == [("all", "all", "2", "3"), ("report", A, "2", "2")]


def test_the_trend_counts_actions_done_at_each_follow_up(met: Cli) -> None:
    plan(met)
    data = met.json("report", A, "--as-of", "2018-06-30")
    assert [(t["report"], t["actions_done"], t["actions_total"]) for t in data["trend"]] == [
        (A, 0, 0), ("hmic-2017-met-cp-q1", 0, 2)]  # Q1 came out on 2017-03-15, before action 1 was done
    text = met("report", A, "--as-of", "2018-06-30", "--format", "plain").stdout
    assert "\nactions done                 0/0         0/2\n" in text


# --------------------------------------------------------------------------- the file, check, export and import


def test_check_names_a_hand_edit_that_breaks_an_actions_rules(met: Cli) -> None:
    plan(met)
    path = met.root / "reports" / f"{A}.toml"
    met("action", "update", f"{R2}/2", "--due", "2017-09-30", "--reason", "Trainers not yet hired", "--date", "2017-05-01")
    text = path.read_text()
    path.write_text(text.replace('reason = "Trainers not yet hired"\n', ""))
    out = met("check", expect=1)
    assert f"{R2}/2: the due date changes from 2017-06-01 to 2017-09-30 without a reason" in out.stdout + out.stderr
    path.write_text(text.replace("done = true", 'done = "yes"'))
    out = met("check", expect=1)
    assert "done must be true or false" in out.stdout + out.stderr


def test_export_and_import_carry_the_plan_byte_for_byte(met: Cli, tmp_path: Path, runner: Any) -> None:
    plan(met)
    met("action", "update", f"{R2}/2", "--due", "2017-09-30", "--reason", "Trainers, not yet hired", "--date", "2017-05-01")
    original = {p.name: p.read_bytes() for p in (met.root / "reports").iterdir()}
    for fmt in ("json", "csv"):
        exported = met("export", "--format", fmt).stdout
        path = tmp_path / f"export.{fmt}"
        path.write_text(exported, "utf-8", newline="")
        target = tmp_path / f"target-{fmt}"
        Cli(runner, None)("init", target)
        Cli(runner, target)("import", path, "--create-reports")
        assert {p.name: p.read_bytes() for p in (target / "reports").iterdir()} == original, fmt
        again = Cli(runner, target)("import", path)
        assert "nothing new" in again.stdout
    data = met.json("export", "--as-of", "2017-02-15")
    rec = next(r for rep in data["reports"] if rep["id"] == A for r in rep["recommendations"] if r["ref"] == "R2")
    assert [(a["n"], a["events"]) for a in rec["actions"]] == [(1, []), (2, [])]
    assert rec["actions"][0] == {"n": 1, "text": "Write the risk training course", "owner": "Head of Training",
                                 "due": "2017-03-31", "added": "2017-01-15", "recorded": "2018-06-30",
                                 "recorded_by": "tester", "extra": None, "events": []}


def test_import_does_not_rewrite_a_plan_already_in_the_ledger(met: Cli, tmp_path: Path) -> None:
    exported = met("export", "--format", "json").stdout
    plan(met)
    path = tmp_path / "old.json"
    path.write_text(exported)
    before = take_snapshot(met.root)
    # the file says R2 has no plan where the ledger has one: it is not taken as a removal
    out = met("import", path)
    assert "nothing new" in out.stdout
    assert take_snapshot(met.root) == before
    newer = met("export", "--format", "json").stdout.replace("Clear the vetting backlog", "Clear it all")
    path.write_text(newer)
    out = met("import", path, expect=1)
    assert "an import does not rewrite a plan: change it with track action" in out.stderr
    assert take_snapshot(met.root) == before


# --------------------------------------------------------------------------- history


def test_history_lists_each_actions_adding_and_events_under_its_own_id(met: Cli) -> None:
    plan(met)
    met("action", "update", f"{R2}/2", "--due", "2017-09-30", "--reason", "Trainers not yet hired", "--date", "2017-05-01")
    rows = [r for r in met.json("history", R2) if r["id"].count("/") == 2]
    assert [(r["id"], r["date"], r["event"]) for r in rows] == [
        (f"{R2}/1", "2017-01-15", "action-added"), (f"{R2}/2", "2017-02-01", "action-added"),
        (f"{R2}/1", "2017-03-20", "action-done"), (f"{R2}/2", "2017-05-01", "action-updated")]
    assert rows[0]["note"] == "Write the risk training course" and rows[0]["owner"] == "Head of Training"
    assert rows[2]["source"] == "hmic-2017-met-cp-q1" and rows[3]["reason"] == "Trainers not yet hired"
    text = met("history", R2, "--since", "2017-03-01", "--until", "2017-06-30", "--format", "plain").stdout
    assert f"2017-03-20  {R2}/1  action done" in text
    assert "action updated; due 2017-06-01 → 2017-09-30 (reason: Trainers not yet hired)" in text
    assert "action added" not in text
    csv_text = met("history", A, "--format", "csv").stdout
    assert f"{R2}/1,{A},2017-03-20,action-done," in csv_text


# --------------------------------------------------------------------------- the index

INDEX_VIEWS = [
    ["list", "--columns", "id,status,actions,actions_overdue,ready", "--as-of", "2018-06-30", "--format", "csv"],
    ["show", R2, "--as-of", "2017-03-25", "--format", "json"],
    ["report", "--as-of", "2018-06-30", "--format", "json"],
    ["report", A, "--as-of", "2018-06-30", "--format", "plain"],
    ["remind", "--as-of", "2018-06-20", "--format", "json"],
    ["owners", "--as-of", "2018-06-20", "--format", "json"],
    ["history", "--format", "json"], ["history", R2, "--since", "2017-02-01", "--format", "plain"],
    ["export"], ["export", "--format", "csv"], ["export", "--as-of", "2017-02-10"], ["check"],
]


def test_the_index_keeps_the_plans_and_gives_what_the_files_give(met: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report with action plans is indexed (cache VERSION 14) like any other, so that a
    ledger of plans is as fast as one without; read from the index, every view is what
    reading the files gives."""
    from track import Ledger
    from track.store import cache

    plan(met)
    met("list")  # builds the index
    shard = cache.read_shard(met.root, A)
    assert shard is not None
    plans = {rec[0]: rec[15] for rec in shard[5] if rec[15] is not None}
    assert list(plans) == ["R2"] and [a[0] for a in plans["R2"]] == [1, 2]
    from_index = [met(*argv).stdout for argv in INDEX_VIEWS]
    assert '"actions_due_soon"' in from_index[4] and "Clear the vetting backlog" in from_index[4]
    monkeypatch.setattr(Ledger, "use_cache", False)
    assert [met(*argv).stdout for argv in INDEX_VIEWS] == from_index
