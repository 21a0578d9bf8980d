"""The merge driver and action plans (#19): actions matched by number, their events merged as a
recommendation's are; two sides that add different actions under one number keep both, theirs
renumbered after every number either side used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import Cli
from test_merge import R, apply, drive, ledger, rec, versions  # noqa: F401 - ledger is a fixture

from track.exchange import merge

ADD1 = ["action", "add", f"{R}/R1", "--text", "Appoint the lead", "--owner", "Chief Constable", "--due", "2017-03-31",
        "--date", "2017-01-10"]


def actions(text: str, ref: str = "R1") -> list[dict[str, Any]]:
    return rec(text, ref).get("actions", [])


def test_events_added_to_one_action_on_both_sides_are_all_kept(ledger: Cli, tmp_path: Path) -> None:  # noqa: F811
    ledger(*ADD1)
    ours = [["action", "update", f"{R}/R1/1", "--note", "shortlist drawn up", "--date", "2017-02-01"],
            ["action", "done", f"{R}/R1/1", "--date", "2017-03-01"]]
    theirs = [["action", "update", f"{R}/R1/1", "--due", "2017-04-30", "--reason", "Interviews moved", "--date", "2017-02-10"]]
    base, o, t = versions(ledger, ours, theirs)
    merged, result = drive(ledger, tmp_path, base, o, t)
    assert result.stdout == result.stderr == ""
    assert merged == apply(ledger, base, ours, theirs)  # byte for byte as track writes it
    assert [e["date"].isoformat() for e in actions(merged)[0]["events"]] == ["2017-02-01", "2017-02-10", "2017-03-01"]
    ledger("check")


def test_actions_added_to_different_recommendations_merge_cleanly(ledger: Cli, tmp_path: Path) -> None:  # noqa: F811
    ours = [ADD1]
    theirs = [["action", "add", f"{R}/R2", "--text", "Write the course", "--owner", "Head of Training", "--due", "2017-06-30",
               "--date", "2017-02-01"]]
    base, o, t = versions(ledger, ours, theirs)
    merged, _ = drive(ledger, tmp_path, base, o, t)
    assert merged == apply(ledger, base, ours, theirs)
    assert [a["n"] for a in actions(merged, "R1")] == [1] and [a["n"] for a in actions(merged, "R2")] == [1]


def test_two_sides_adding_action_1_keep_both_theirs_renumbered(ledger: Cli, tmp_path: Path) -> None:  # noqa: F811
    ours = [ADD1]
    theirs = [["action", "add", f"{R}/R1", "--text", "Brief the board", "--owner", "Chief of Staff", "--due", "2017-02-28",
               "--date", "2017-01-12"], ["action", "done", f"{R}/R1/1", "--date", "2017-02-20"]]
    base, o, t = versions(ledger, ours, theirs)
    merged, result = drive(ledger, tmp_path, base, o, t)
    assert result.exit_code == 0
    got = actions(merged)
    assert [(a["n"], a["text"]) for a in got] == [(1, "Appoint the lead"), (2, "Brief the board")]
    assert got[1]["events"][0]["done"] is True  # theirs keeps its events under its new number
    ledger.root.joinpath("reports", f"{R}.toml").write_text(merged)
    ledger("check")
    assert ledger("action", "add", f"{R}/R1", "--text", "Third", "--owner", "X", "--due", "2017-06-30").stdout.startswith(
        f"added {R}/R1/3")


def test_the_same_action_added_on_both_sides_is_kept_once(ledger: Cli, tmp_path: Path) -> None:  # noqa: F811
    base, o, t = versions(ledger, [ADD1], [ADD1])
    assert o == t
    merged, _ = drive(ledger, tmp_path, base, o, t)
    assert merged == o and len(actions(merged)) == 1


def test_an_action_field_changed_differently_on_both_sides_is_a_conflict(ledger: Cli, tmp_path: Path) -> None:  # noqa: F811
    ledger(*ADD1)
    base = ledger.root.joinpath("reports", f"{R}.toml").read_text()

    def edit(text: str) -> Any:
        def change(doc: dict[str, Any]) -> None:
            doc["recommendations"][0]["actions"][0]["text"] = text
        return change

    from test_merge import edited

    o, t = edited(base, edit("Appoint a lead now")), edited(base, edit("Appoint two leads"))
    outcome = merge.merge_texts(base, o, t, R)
    assert outcome.conflicts == ["R1/1.text"]
    assert "<<<<<<< ours\n" in outcome.text and 'text = "Appoint two leads"' in outcome.text
