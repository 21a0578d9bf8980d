"""Updates that change nothing: a value equal to the one a recommendation or an action already
has on the event's date is no change. It is left out of the event (so that the history, show
and --as-of tell only what changed, with a note on stderr saying so); an update left with
nothing to change and no note is refused in one line naming the value, exit 1, nothing
written. Today is pinned to 2018-06-30.

In the `met` ledger, hmic-2016-met-cp/R2 is partially-accepted (2017-01-10), then
partially-implemented (claimed) and led by the Director of Learning from 2017-04-01 (the Head
of Training before), due 2017-05-31."""

from __future__ import annotations

import tomllib
from datetime import date
from typing import Any

import pytest
from conftest import PEEL, A, Cli, take_snapshot

R2 = f"{A}/R2"
ACTION = f"{R2}/1"


def events(met: Cli, rec_id: str = R2) -> list[dict[str, Any]]:
    report, ref = rec_id.split("/")
    data = tomllib.loads((met.root / "reports" / f"{report}.toml").read_text())
    return next(r for r in data["recommendations"] if r["ref"] == ref).get("events", [])


def action_events(met: Cli) -> list[dict[str, Any]]:
    report, ref = R2.split("/")
    data = tomllib.loads((met.root / "reports" / f"{report}.toml").read_text())
    rec = next(r for r in data["recommendations"] if r["ref"] == ref)
    return rec["actions"][0].get("events", [])


def with_action(met: Cli) -> None:
    """R2/1: led by DCI Lee, due 2017-07-10, from 2017-05-01."""
    met("action", "add", R2, "--text", "Audit referrals weekly", "--owner", "DCI Lee", "--due", "2017-07-10",
        "--date", "2017-05-01")


def refused(met: Cli, *args: str, stderr: str, code: int = 1) -> None:
    before = take_snapshot(met.root)
    result = met(*args, expect=code)
    assert result.stdout == ""
    assert result.stderr == "track: " + stderr + "\n"
    assert take_snapshot(met.root) == before


# --------------------------------------------------------------------------- actions


def test_an_action_update_to_its_own_due_date_is_refused_naming_it(met: Cli) -> None:
    with_action(met)
    refused(met, "action", "update", ACTION, "--due", "2017-07-10", "--reason", "same", "--date", "2017-06-01",
            stderr=f"--due: {ACTION} is already due 2017-07-10 on 2017-06-01; nothing to record")


def test_an_action_update_to_its_own_lead_is_refused_naming_it(met: Cli) -> None:
    with_action(met)
    refused(met, "action", "update", ACTION, "--owner", "DCI Lee", "--date", "2017-06-01",
            stderr=f"--owner: DCI Lee is already the lead of {ACTION} on 2017-06-01; nothing to record")
    refused(met, "action", "update", ACTION, "--owner", "DCI Lee", "--due", "2017-07-10", "--reason", "x",
            "--date", "2017-06-01", stderr=f"--due: {ACTION} is already due 2017-07-10 on 2017-06-01; "
                                           f"--owner: DCI Lee is already the lead of {ACTION} on 2017-06-01; nothing to record")


def test_an_action_value_is_compared_with_the_one_it_has_on_the_events_date(met: Cli) -> None:
    with_action(met)
    met("action", "update", ACTION, "--owner", "DS Khan", "--date", "2017-06-01")
    refused(met, "action", "update", ACTION, "--owner", "DCI Lee", "--date", "2017-05-20",
            stderr=f"--owner: DCI Lee is already the lead of {ACTION} on 2017-05-20; nothing to record")
    refused(met, "action", "update", ACTION, "--owner", "DS Khan", "--date", "2017-06-15",
            stderr=f"--owner: DS Khan is already the lead of {ACTION} on 2017-06-15; nothing to record")
    out = met("action", "update", ACTION, "--owner", "DCI Lee", "--date", "2017-06-15")
    assert out.stdout == f"{ACTION}: owner DCI Lee (2017-06-15)\n"
    assert [e.get("owner") for e in action_events(met)] == ["DS Khan", "DCI Lee"]


def test_an_action_restatement_with_a_note_records_the_note_alone(met: Cli) -> None:
    with_action(met)
    out = met("action", "update", ACTION, "--owner", "DCI Lee", "--due", "2017-07-10", "--reason", "same",
              "--note", "Lead and date confirmed at the board", "--date", "2017-06-01")
    assert out.stdout == f"{ACTION}: note (2017-06-01)\n"
    assert out.stderr == (f"note: --due left out of the event: {ACTION} is already due 2017-07-10 on 2017-06-01\n"
                          f"note: --owner left out of the event: DCI Lee is already the lead of {ACTION} on 2017-06-01\n")
    [event] = action_events(met)
    assert {k: v for k, v in event.items() if k not in ("recorded", "recorded_by")} == {
        "date": date(2017, 6, 1), "note": "Lead and date confirmed at the board"}
    met("check")


def test_an_action_update_keeps_what_changes_and_leaves_out_what_does_not(met: Cli) -> None:
    with_action(met)
    out = met("action", "update", ACTION, "--owner", "DCI Lee", "--due", "2017-08-31", "--reason", "Staff moved",
              "--date", "2017-06-01")
    assert out.stdout == f"{ACTION}: due 2017-08-31 (2017-06-01)\n"
    [event] = action_events(met)
    assert "owner" not in event and event["due"] == date(2017, 8, 31) and event["reason"] == "Staff moved"


def test_an_action_source_or_evidence_alone_is_no_event(met: Cli) -> None:
    with_action(met)
    refused(met, "action", "update", ACTION, "--owner", "DCI Lee", "--source", "force update",
            "--evidence", "https://example.org/a", "--date", "2017-06-01",
            stderr=f"--owner: DCI Lee is already the lead of {ACTION} on 2017-06-01; nothing to record")


# --------------------------------------------------------------------------- recommendations


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--owner", "Director of Learning"], f"--owner: Director of Learning is already the owner of {R2} on 2017-06-01"),
        (["--due", "2017-05-31", "--reason", "same"], f"--due: {R2} is already due 2017-05-31 on 2017-06-01"),
        (["--due", "May 2017"], f"--due: {R2} is already due 2017-05-31 on 2017-06-01"),
        (["--status", "partially-implemented"], f"--status: {R2} is already partially-implemented (claimed) on 2017-06-01"),
        (["--status", "partially-implemented", "--basis", "claimed"],
         f"--status: {R2} is already partially-implemented (claimed) on 2017-06-01"),
        (["--basis", "claimed"], f"--basis: {R2} is already partially-implemented (claimed) on 2017-06-01"),
        (["--response", "partially-accepted"], f"--response: partially-accepted is already the response to {R2} on 2017-06-01"),
        (["--owner", "Director of Learning", "--response", "partially-accepted"],
         (f"--response: partially-accepted is already the response to {R2} on 2017-06-01; "
          f"--owner: Director of Learning is already the owner of {R2} on 2017-06-01")),
        (["--owner", "Director of Learning", "--source", "force update", "--evidence", "https://example.org/a"],
         f"--owner: Director of Learning is already the owner of {R2} on 2017-06-01"),
    ],
)
def test_an_update_that_restates_the_current_values_is_refused_naming_them(met: Cli, args: list[str], stderr: str) -> None:
    refused(met, "update", R2, *args, "--date", "2017-06-01", stderr=stderr + "; nothing to record")


def test_the_owner_is_compared_with_the_one_on_the_events_date(met: Cli) -> None:
    refused(met, "update", R2, "--owner", "Head of Training", "--date", "2017-03-01",
            stderr=f"--owner: Head of Training is already the owner of {R2} on 2017-03-01; nothing to record")
    out = met("update", R2, "--owner", "Head of Training", "--date", "2017-06-01")
    assert out.stdout == f"{R2}: owner Head of Training (2017-06-01)\n"
    assert met.json("show", R2, "--as-of", "2017-06-01")["owner"] == "Head of Training"


def test_links_already_held_are_no_change(met: Cli) -> None:
    met("update", "AFI2", "--duplicate-of", "AFI1", "--related", f"{A}/R2", "--date", "2018-02-01")
    refused(met, "update", "AFI2", "--duplicate-of", "AFI1", "--date", "2018-03-01",
            stderr=f"--duplicate-of: {PEEL}/AFI2 is already duplicate of {PEEL}/AFI1 on 2018-03-01; nothing to record")
    refused(met, "update", "AFI2", "--related", f"{A}/R2", "--date", "2018-03-01",
            stderr=f"--related: {A}/R2 is already related to {PEEL}/AFI2 on 2018-03-01; nothing to record")
    out = met("update", "AFI2", "--related", f"{A}/R2", "--related", "C1", "--date", "2018-03-01")
    assert out.stdout == f"{PEEL}/AFI2: related to {A}/C1 (2018-03-01)\n"
    assert events(met, f"{PEEL}/AFI2")[-1]["related"] == [f"{A}/C1"]


def test_a_restatement_with_a_note_records_the_note_and_leaves_out_the_unchanged_values(met: Cli) -> None:
    count = len(events(met))
    out = met("update", R2, "--owner", "Director of Learning", "--due", "2017-05-31", "--response", "partially-accepted",
              "--note", "Confirmed at the board", "--source", "force update", "--date", "2017-06-01")
    assert out.stdout == f"{R2}: note (2017-06-01)\n"
    assert out.stderr == (
        f"note: --response left out of the event: partially-accepted is already the response to {R2} on 2017-06-01\n"
        f"note: --due left out of the event: {R2} is already due 2017-05-31 on 2017-06-01\n"
        f"note: --owner left out of the event: Director of Learning is already the owner of {R2} on 2017-06-01\n")
    recorded = events(met)
    assert len(recorded) == count + 1
    assert {k: v for k, v in recorded[-1].items() if k not in ("recorded", "recorded_by")} == {
        "date": date(2017, 6, 1), "note": "Confirmed at the board", "source": "force update"}
    met("check")


def test_a_status_restated_with_a_note_is_kept_as_a_sources_reading(met: Cli) -> None:
    # As the example ledger records HMICFRS's tracker giving a status the ledger already had.
    out = met("update", R2, "--status", "partially-implemented", "--basis", "claimed", "--owner", "Director of Learning",
              "--source", "force update", "--note", "The force's update gives it as partially implemented",
              "--date", "2017-06-01")
    assert out.stdout == f"{R2}: status partially-implemented (claimed) (2017-06-01)\n"
    assert out.stderr == (f"note: --owner left out of the event: Director of Learning is already the owner of {R2} "
                          "on 2017-06-01\n")
    event = events(met)[-1]
    assert (event["status"], event["basis"], event["source"]) == ("partially-implemented", "claimed", "force update")
    assert "owner" not in event
    refused(met, "update", R2, "--status", "partially-implemented", "--basis", "claimed", "--source", "force update",
            "--date", "2017-07-01",
            stderr=f"--status: {R2} is already partially-implemented (claimed) on 2017-07-01; nothing to record")


def test_an_update_keeps_what_changes_and_leaves_out_what_does_not(met: Cli) -> None:
    out = met("update", R2, "--owner", "Director of Learning", "--response", "partially-accepted",
              "--status", "in-progress", "--date", "2017-06-01")
    assert out.stdout == f"{R2}: status in-progress (claimed) (2017-06-01)\n"
    event = events(met)[-1]
    assert event["status"] == "in-progress" and "owner" not in event and "response" not in event


def test_a_new_basis_for_the_same_status_is_a_change(met: Cli) -> None:
    out = met("update", R2, "--basis", "assessed", "--source", "hmic-2017-met-cp-q1", "--date", "2017-06-01")
    assert out.stdout == f"{R2}: status partially-implemented (assessed) (2017-06-01)\n"
    out = met("update", R2, "--status", "partially-implemented", "--basis", "verified", "--source", "HMICFRS",
              "--date", "2017-07-01")
    assert out.stdout == f"{R2}: status partially-implemented (verified) (2017-07-01)\n"
    assert [(e.get("status"), e.get("basis")) for e in events(met)[-2:]] == [
        ("partially-implemented", "assessed"), ("partially-implemented", "verified")]
    refused(met, "update", R2, "--basis", "verified", "--source", "HMICFRS", "--date", "2017-08-01",
            stderr=f"--basis: {R2} is already partially-implemented (verified) on 2017-08-01; nothing to record")


def test_the_same_event_entered_twice_is_still_refused_as_such(met: Cli) -> None:
    args = ["update", R2, "--status", "in-progress", "--note", "Under way", "--date", "2017-06-01"]
    met(*args)
    refused(met, *args, stderr=f"{R2}: this event is already recorded, the same in date, fields and note "
                               "(entered 2018-06-30); nothing was written")
    again = ["update", R2, "--owner", "Director of Learning", "--note", "Lead confirmed", "--date", "2017-06-01"]
    met(*again)  # recorded as the note alone
    refused(met, *again, stderr=f"{R2}: this event is already recorded, the same in date, fields and note "
                                "(entered 2018-06-30); nothing was written")


def test_an_update_with_nothing_at_all_is_still_a_usage_error(met: Cli) -> None:
    refused(met, "update", R2, "--date", "2017-06-01", code=2,
            stderr="nothing to record: give --status, --response, --due, --owner, a link, or a --note")
