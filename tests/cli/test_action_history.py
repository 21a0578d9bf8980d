"""Action plans in history and show (traceability): a moved due date or a new lead says what it
was (old → new, `before` in JSON, old_due/old_owner in CSV), as a recommendation's event does;
markdown keeps what a person wrote from making links; and an action's event counts as evidence
in the "latest evidence" line of list, report and remind. Today is pinned to 2018-06-30."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from conftest import PEEL, A, Cli

R2 = f"{A}/R2"
AFI1 = f"{PEEL}/AFI1"
DAY = ("--since", "2017-05-15", "--until", "2017-05-15")


def plan(met: Cli) -> None:
    """R2 gets an action led by Director of Learning due 2017-05-31 (+4 months from 2017-01-31),
    then its due date is moved and its lead changed on 2017-05-15."""
    met("action", "add", R2, "--text", "Write the risk training course", "--owner", "Head of Training",
        "--due", "2017-03-31", "--date", "2017-01-15")
    met("action", "add", R2, "--text", "Train every officer in the referral teams", "--owner", "Director of Learning",
        "--due", "2017-05-31", "--date", "2017-02-01")
    met("action", "update", f"{R2}/2", "--due", "2017-09-30", "--reason", "Trainers not yet hired", "--date", "2017-05-15")


def test_history_says_what_a_moved_due_date_and_a_new_lead_were_in_every_format(met: Cli) -> None:
    plan(met)
    met("action", "update", f"{R2}/2", "--owner", "Head of Training", "--date", "2017-05-15")
    moved = "action updated; due 2017-05-31 → 2017-09-30 (reason: Trainers not yet hired)"
    led = "action updated; lead Director of Learning → Head of Training"
    for fmt in ("plain", "markdown", "html"):
        text = met("history", R2, *DAY, "--format", fmt).stdout
        assert moved in text and led in text, fmt
    rows = met.json("history", R2, *DAY)
    assert [(r["id"], r.get("before")) for r in rows] == [
        (f"{R2}/2", {"due": "2017-05-31"}), (f"{R2}/2", {"owner": "Director of Learning"})]
    assert list(rows[0])[-2:] == ["before", "status_after"]
    lines = list(csv.DictReader(io.StringIO(met("history", R2, *DAY, "--format", "csv").stdout)))
    assert [(r["due"], r["old_due"], r["owner"], r["old_owner"], r["old_status"]) for r in lines] == [
        ("2017-09-30", "2017-05-31", "", "", ""), ("", "", "Head of Training", "Director of Learning", "")]


def test_an_action_added_and_a_due_date_set_to_what_it_was_have_no_old_value(met: Cli) -> None:
    plan(met)
    met("action", "update", f"{R2}/1", "--due", "2017-03-31", "--note", "Still on course", "--date", "2017-03-01")
    rows = met.json("history", R2, "--since", "2017-01-15", "--until", "2017-03-01")
    actions = [r for r in rows if r["id"].startswith(f"{R2}/")]
    assert [(r["event"], r.get("before")) for r in actions] == [
        ("action-added", None), ("action-added", None), ("action-updated", None)]
    text = met("history", R2, "--since", "2017-01-15", "--until", "2017-03-01", "--format", "plain").stdout
    assert "action added; due 2017-03-31; lead Head of Training" in text
    # the due date it already had is left out of the event (see test_no_op_updates): the note stays
    assert "action updated  " in text and "Still on course" in text and "→" not in text


def test_show_gives_an_actions_old_due_date_and_lead(met: Cli) -> None:
    plan(met)
    met("action", "update", f"{R2}/2", "--owner", "Head of Training", "--date", "2017-05-16")
    text = met("show", R2, "--as-of", "2017-06-30", "--format", "plain").stdout
    assert "2017-05-15  due 2017-05-31 → 2017-09-30 (reason: Trainers not yet hired)" in text
    assert "2017-05-16  lead Director of Learning → Head of Training" in text
    events = met.json("show", R2, "--as-of", "2017-06-30")["actions"][1]["events"]
    assert [e.get("before") for e in events] == [{"due": "2017-05-31"}, {"owner": "Director of Learning"}]
    # as of the day between, only the first, and the plan as it stood
    events = met.json("show", R2, "--as-of", "2017-05-15")["actions"][1]["events"]
    assert [e.get("before") for e in events] == [{"due": "2017-05-31"}]


# --------------------------------------------------------------------------- markdown

EVIL = "Audits [running](http://evil) <b>x</b> ![pic](http://evil/p.png) [ref][1]"


def test_markdown_makes_no_link_or_image_of_what_a_person_wrote_but_keeps_tracks_own(met: Cli) -> None:
    plan(met)
    met("action", "done", f"{R2}/1", "--note", EVIL, "--source", "hmic-2017-met-cp-q1",
        "--evidence", "https://example.org/audit", "--date", "2017-03-20")
    met("update", R2, "--note", "[see](http://evil)", "--owner", "[Boss](http://evil)", "--date", "2018-06-01")
    outputs = {
        "history": met("history", R2, "--format", "markdown").stdout,
        "list": met("list", "--format", "markdown").stdout,
        "report": met("report", "--by", "owner", "--format", "markdown").stdout,
        "remind": met("remind", "--as-of", "2018-06-30", "--format", "markdown").stdout,
    }
    for name, text in outputs.items():
        # no bracket of what people wrote is left bare: nothing [..](..), ![..](..) or [..][..]
        assert not re.search(r"(?<!\\)[\[\]][^|]*evil", text), name
        assert "<b>" not in text and "evil" in text, name
    history = outputs["history"]
    assert "Audits \\[running\\](http://evil) \\<b\\>x\\</b\\> !\\[pic\\](http://evil/p.png) \\[ref\\]\\[1\\]" in history
    assert "\\[see\\](http://evil)" in history
    # the source's report url and the evidence stay links
    assert "[https://example.org/audit](https://example.org/audit)" in history
    assert "](https://" in history.split("hmic-2017-met-cp-q1", 1)[1]
    assert "\\[Boss\\](http://evil)" in outputs["list"]


# --------------------------------------------------------------------------- latest evidence


def test_an_action_event_is_evidence_in_list_report_and_remind(cli: Cli, make_report: Any, make_rec: Any) -> None:
    make_report("r1", published="2017-01-10")
    make_rec("r1", "R1", owner="Ops", due="2019-12-31")
    cli("update", "r1/R1", "--response", "accepted", "--date", "2017-03-01")
    cli("action", "add", "r1/R1", "--text", "Hire trainers", "--owner", "HR", "--due", "2019-06-30", "--date", "2017-03-05")
    cli("action", "update", "r1/R1/1", "--note", "Two hired", "--date", "2017-11-01")
    views = (["list"], ["report"], ["remind", "--within", "14d"])
    for args in views:
        for fmt in ("plain", "markdown"):
            text = cli(*args, "--as-of", "2018-06-30", "--format", fmt).stdout
            assert "latest evidence 2017-11-01 (241 days ago)" in text, (args, fmt)
        # the day before the action's event, the recommendation's own is the latest
        text = cli(*args, "--as-of", "2017-10-31", "--format", "plain").stdout
        assert "latest evidence 2017-03-01 (244 days ago)" in text, args
    assert cli.json("report", "--as-of", "2018-06-30")["latest_evidence"] == "2017-11-01"
    assert cli.json("remind", "--as-of", "2018-06-30")["latest_evidence"] == "2017-11-01"
    assert "latest evidence" not in cli("list", "--as-of", "2017-12-01", "--format", "plain").stdout  # 30 days ago


def test_history_and_show_agree_on_each_move_of_an_action(met: Cli) -> None:
    plan(met)
    moves = [("--due", "2017-10-31", "--reason", "Budget"), ("--owner", "Head of Training"),
             ("--due", "2017-10-31", "--owner", "Head of Training", "--note", "Unchanged"),
             ("--due", "2017-12-31", "--reason", "Again", "--owner", "Director of Learning")]
    for day, move in zip(("2017-06-01", "2017-06-02", "2017-06-03", "2017-06-04"), moves):
        met("action", "update", f"{R2}/2", *move, "--date", day)
    shown = met.json("show", R2, "--as-of", "2018-06-30")["actions"][1]["events"]
    listed = [r for r in met.json("history", R2) if r["id"] == f"{R2}/2" and r["event"] != "action-added"]
    assert [(e["date"], e.get("before")) for e in shown] == [(r["date"], r.get("before")) for r in listed] == [
        ("2017-05-15", {"due": "2017-05-31"}), ("2017-06-01", {"due": "2017-09-30"}),
        ("2017-06-02", {"owner": "Director of Learning"}), ("2017-06-03", None),
        ("2017-06-04", {"due": "2017-10-31", "owner": "Head of Training"})]
    text = met("show", R2, "--as-of", "2018-06-30", "--format", "plain").stdout
    assert "2017-06-04  due 2017-10-31 → 2017-12-31 (reason: Again), lead Head of Training → Director of Learning" in text
    day = next(line for line in text.splitlines() if "2017-06-03" in line)
    assert "due" not in day and "lead" not in day  # what it already had is left out; the note stays


def test_shows_action_lines_keep_a_reason_on_one_line(met: Cli) -> None:
    plan(met)
    met("action", "update", f"{R2}/1", "--due", "2017-04-30", "--reason", "Late\n  trainers", "--date", "2017-03-10")
    text = met("show", R2, "--as-of", "2018-06-30", "--format", "plain").stdout
    assert "2017-03-10  due 2017-03-31 → 2017-04-30 (reason: Late trainers)" in text
