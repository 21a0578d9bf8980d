"""Correcting the record, through the command line: `track edit` (an amendment event with the
old and new values and a reason; --as-of before it shows the old values in show, list and
report), `track remove` (what was entered in error; refused while linked unless --force; one
change that undo and redo take back and put back byte for byte; one git commit), `track
update --correct N / --drop N` (the old event kept in an amendment), the basis of a status
(claimed, assessed, verified) and what list and report make of it, `recorded` and
`recorded_by`, the refusal of the same event twice on a day, the warning for a due date
already past, and export/import of all of it.

Every refusal is checked to leave every byte of the ledger as it was and to say so in one line
on stderr, with exit 1 (refused) or 2 (a value that does not do), never a traceback.
Today is 2018-06-30 (conftest pins it) and TRACK_USER is "tester"."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import IOPC, PEEL, Q1, A, Cli, own_git_home, take_snapshot
from typer.testing import CliRunner

from track.store import gitstore

R1, R2, R10, C1 = f"{A}/R1", f"{A}/R2", f"{A}/R10", f"{A}/C1"
AFI1, AFI2 = f"{PEEL}/AFI1", f"{PEEL}/AFI2"
R2_TEXT = "Train staff in assessing risk to children"  # as the story entered it
R2_FIXED = "Train all staff in assessing risk to children"


def shown(cli: Cli, rec_id: str, *args: str) -> dict:
    return cli.json("show", rec_id, *args)


def refused(cli: Cli, *args: str, code: int, stderr: str | re.Pattern[str]) -> None:
    """`track ARGS` is refused with `code` and the one line `stderr` (or a line it matches),
    and writes nothing."""
    before = take_snapshot(cli.root)
    result = cli(*args, expect=code)
    assert result.stdout == ""
    if isinstance(stderr, str):
        assert result.stderr == stderr, result.stderr
    else:
        assert stderr.fullmatch(result.stderr), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert take_snapshot(cli.root) == before


def arrows(text: str) -> str:
    """Output with its arrows written "->" whether track draws them so or as "→"."""
    return text.replace(" → ", " -> ")


def report_file(cli: Cli, report: str) -> Path:
    return cli.root / "reports" / f"{report}.toml"


# --------------------------------------------------------------------------- edit


@pytest.mark.parametrize(("rec_id", "args", "field", "old", "new", "said"), [
    (R2, ["--text", R2_FIXED], "text", R2_TEXT, R2_FIXED,
     "text"),
    (R2, ["--kind", "area-for-improvement"], "kind", "recommendation", "area-for-improvement",
     "kind recommendation -> area-for-improvement"),
    (R2, ["--tag", "risk"], "tags", ["training"], ["training", "risk"], "tags [training] -> [training, risk]"),
    (R2, ["--untag", "training"], "tags", ["training"], [], "tags [training] -> []"),
    (R2, ["--tag", "risk", "--untag", "training"], "tags", ["training"], ["risk"], "tags [training] -> [risk]"),
    (R2, ["--priority", "low"], "priority", "medium", "low", "priority medium -> low"),
    (R2, ["--priority", "none"], "priority", "medium", "", "priority medium -> (none)"),
    (R2, ["--answers", "C1"], "answers", "", C1, f"answers (none) -> {C1}"),
    (R1, ["--answers", ""], "answers", C1, "", f"answers {C1} -> (none)"),
])
def test_each_edit_option_amends_its_field_and_the_amendment_is_kept(met: Cli, rec_id: str, args: list[str], field: str,
                                                                      old: object, new: object, said: str) -> None:
    before, status = take_snapshot(met.root), shown(met, rec_id)["status"]
    result = met("edit", rec_id, *args, "--reason", "Misread the report", "--date", "2018-03-01")
    assert arrows(result.stdout) == f"{rec_id}: amended {said} (2018-03-01)\n"
    assert result.stderr == ""
    after = take_snapshot(met.root)
    assert [k for k in after if after[k] != before.get(k)] == [f"reports/{A}.toml"]  # one file changed

    data = shown(met, rec_id)
    assert data[field] == (new if field == "tags" else new or None)  # show's JSON gives null for none
    amendment = data["events"][-1]
    assert amendment["amended"] == {field: {"old": old, "new": new}}
    assert (amendment["number"], amendment["date"], amendment["reason"]) == (None, "2018-03-01", "Misread the report")
    assert (amendment["recorded"], amendment["recorded_by"]) == ("2018-06-30", "tester")
    assert "status" not in amendment and data["status"] == status  # an amendment moves no status

    row = [r for r in met.json("history", rec_id) if r.get("reason") == "Misread the report"]
    assert len(row) == 1 and row[0]["amended"] == {field: {"old": old, "new": new}} and row[0]["date"] == "2018-03-01"
    met("check")


def test_edit_ref_renames_the_recommendation_from_then_on(met: Cli) -> None:
    result = met("edit", R10, "--ref", "R11", "--reason", "Numbered as in the report", "--date", "2018-03-01")
    assert arrows(result.stdout) == f"{A}/R11: amended ref R10 -> R11 (2018-03-01)\n"
    assert shown(met, f"{A}/R11")["events"][-1]["amended"] == {"ref": {"old": "R10", "new": "R11"}}
    refs = [r["ref"] for r in tomllib.loads(report_file(met, A).read_text())["recommendations"]]
    assert refs == ["C1", "R1", "R2", "R11"]
    gone = met("show", R10, expect=1)
    assert gone.stderr.startswith(f"track: unknown recommendation '{R10}'")
    assert f"{A}/R11" in met.ids("--as-of", "2018-02-28")  # an id is a handle: the new one in every view
    met("check")


def test_show_as_of_the_day_before_an_amendment_gives_the_old_values_and_after_it_the_new(met: Cli) -> None:
    met("edit", R2, "--text", R2_FIXED, "--kind", "area-for-improvement", "--tag", "risk", "--untag", "training",
        "--priority", "low", "--reason", "As published", "--date", "2018-03-01")
    fields = ("text", "kind", "tags", "priority")
    old = shown(met, R2, "--as-of", "2018-02-28")
    assert {k: old[k] for k in fields} == {"text": R2_TEXT, "kind": "recommendation", "tags": ["training"],
                                           "priority": "medium"}
    assert [e["number"] for e in old["events"]] == [1, 2]  # the amendment is not yet there
    for day in ("2018-03-01", "2018-06-30"):
        new = shown(met, R2, "--as-of", day)
        assert {k: new[k] for k in fields} == {"text": R2_FIXED, "kind": "area-for-improvement", "tags": ["risk"],
                                               "priority": "low"}
    text_before = met("show", R2, "--as-of", "2018-02-28").stdout
    assert text_before.splitlines()[1] == f"  {R2_TEXT}" and "  kind          recommendation" in text_before
    assert "amended" not in text_before
    text_now = arrows(met("show", R2).stdout)
    assert text_now.splitlines()[1] == f"  {R2_FIXED}"
    assert ("  2018-03-01  amended text; kind recommendation -> area-for-improvement; tags [training] -> [risk]; "
            "priority medium -> low (reason: As published)") in text_now.splitlines()
    assert f"              text was: {R2_TEXT}" in text_now.splitlines()
    assert f"              text now: {R2_FIXED}" in text_now.splitlines()


def test_a_later_amendment_of_the_same_field_wins_from_its_own_date(met: Cli) -> None:
    met("edit", R2, "--priority", "none", "--reason", "No priority in the report", "--date", "2018-03-01")
    met("edit", R2, "--priority", "high", "--reason", "Raised at the board")  # today
    assert [shown(met, R2, "--as-of", d)["priority"] for d in ("2018-02-28", "2018-03-01", "2018-06-29", "2018-06-30")] == \
        ["medium", None, None, "high"]
    # an amendment may not slip in before a later one of the same field
    refused(met, "edit", R2, "--priority", "low", "--reason", "x", "--date", "2018-02-01", code=1,
            stderr=f"track: {R2}: priority was amended again on 2018-06-30; an amendment dated 2018-02-01 would come "
                   "before it (give a later --date)\n")


def test_list_as_of_before_an_amendment_filters_by_the_old_kind_tag_and_priority(met: Cli) -> None:
    met("edit", R2, "--kind", "area-for-improvement", "--tag", "risk", "--untag", "training", "--priority", "high",
        "--text", R2_FIXED, "--reason", "As published", "--date", "2018-03-01")
    before, after = ("--as-of", "2018-02-28"), ("--as-of", "2018-03-01")
    assert met.ids("--kind", "area-for-improvement", *before) == [AFI1, AFI2]
    assert met.ids("--kind", "area-for-improvement", *after) == [R2, AFI1, AFI2]
    assert met.ids("--kind", "recommendation", *before) == [R1, R2, R10, f"{IOPC}/R1"]
    assert met.ids("--kind", "recommendation", *after) == [R1, R10, f"{IOPC}/R1"]
    assert met.ids("--tag", "training", *before) == [R2]
    assert met.ids("--tag", "training", *after) == []
    assert met.ids("--tag", "risk", *before) == []
    assert met.ids("--tag", "risk", *after) == [R2]
    assert met.ids("--priority", "medium", *before) == [R2]
    assert met.ids("--priority", "high", *after) == [C1, R1, R2]
    assert met.ids("--search", "all staff", *before) == []
    assert met.ids("--search", "all staff", *after) == [R2]
    row = next(r for r in met.json("list", *before) if r["id"] == R2)
    assert (row["text"], row["kind"], row["tags"], row["priority"]) == (R2_TEXT, "recommendation", ["training"], "medium")


def test_report_by_kind_and_tag_as_of_before_an_amendment_counts_the_old_values(met: Cli) -> None:
    met("edit", R2, "--kind", "area-for-improvement", "--tag", "risk", "--untag", "training", "--reason", "Misfiled",
        "--date", "2018-03-01")

    def totals(*args: str) -> dict[str, int]:
        return {g["key"]: g["total"] for g in met.json("report", *args)["groups"]}

    assert totals("--by", "kind", "--as-of", "2018-02-28") == \
        {"cause-of-concern": 1, "recommendation": 4, "area-for-improvement": 2}
    assert totals("--by", "kind", "--as-of", "2018-03-01") == \
        {"cause-of-concern": 1, "recommendation": 3, "area-for-improvement": 3}
    by_tag_before = totals("--by", "tag", "--as-of", "2018-02-28")
    by_tag_after = totals("--by", "tag", "--as-of", "2018-03-01")
    assert (by_tag_before.get("training"), by_tag_before.get("risk")) == (1, None)
    assert (by_tag_after.get("training"), by_tag_after.get("risk")) == (None, 1)


def test_history_lists_amendments_and_recorded_since_finds_what_was_entered_late(met: Cli) -> None:
    met("edit", R2, "--text", R2_FIXED, "--reason", "Typo", "--date", "2018-06-01", env={"TRACK_TODAY": "2018-07-02"})
    rows = met.json("history", R2, env={"TRACK_TODAY": "2018-07-02"})
    assert [(r["date"], r.get("event")) for r in rows][:1] == [("2016-11-24", "issued")]
    assert rows[-1]["amended"] == {"text": {"old": R2_TEXT, "new": R2_FIXED}}
    assert (rows[-1]["date"], rows[-1]["recorded"], rows[-1]["recorded_by"]) == ("2018-06-01", "2018-07-02", "tester")
    late = met.json("history", "--recorded-since", "2018-07-01", env={"TRACK_TODAY": "2018-07-02"})
    assert [(r["id"], r["date"], r["reason"]) for r in late] == [(R2, "2018-06-01", "Typo")]
    table = met("history", R2, env={"TRACK_TODAY": "2018-07-02"}).stdout
    assert any(line.startswith(f"2018-06-01  {R2}  amended text (reason: Typo)") for line in table.splitlines())


def test_undo_takes_an_edit_back_byte_for_byte(met: Cli) -> None:
    before = take_snapshot(met.root)
    met("edit", R10, "--ref", "R11", "--text", "Review police protection powers", "--reason", "x")
    edited = take_snapshot(met.root)
    met("undo")
    assert take_snapshot(met.root) == before
    assert met.ids("--report", A) == [C1, R1, R2, R10]
    met("redo")
    assert take_snapshot(met.root) == edited


# --------------------------------------------------------------------------- refusals write nothing

NOTHING_TO_AMEND = ("track: nothing to amend: give --text, --kind, --tag, --untag, --priority, --answers, --ref, --set or --unset with a "
                    "value other than the one it has\n")
LINKED = ("remove or edit those first, or give --force (the links are then left naming nothing: check reports those of "
          "answers, related, superseded_by, duplicate_of and follows; a source stays as text)")

REFUSALS = {
    # edit
    "nothing to amend": ([], ["edit", R2, "--reason", "x"], 2, NOTHING_TO_AMEND),
    "the value it has": ([], ["edit", R2, "--priority", "medium", "--text", R2_TEXT, "--reason", "x"], 2,
                         NOTHING_TO_AMEND),
    "a tag it has": ([], ["edit", R2, "--tag", "training", "--reason", "x"], 2, NOTHING_TO_AMEND),
    "untag a tag not there": ([], ["edit", R2, "--untag", "vetting", "--reason", "x"], 1,
                              f"track: {R2} is not tagged 'vetting' (its tags: training)\n"),
    "a cause given --answers": (
        [["add", A, "--ref", "C2", "--kind", "cause-of-concern", "--text", "Supervision was weak"]],
        ["edit", C1, "--answers", "C2", "--reason", "x"], 1,
        f"track: a cause of concern cannot answer another: give --answers \"\" as well to make {C1} one\n"),
    "made a cause while answering one": ([], ["edit", R1, "--kind", "cause-of-concern", "--reason", "x"], 1,
                                         f"track: a cause of concern cannot answer another: give --answers \"\" as "
                                         f"well to make {R1} one\n"),
    "answers what is no cause": ([], ["edit", R2, "--answers", "R10", "--reason", "x"], 1,
                                 f"track: --answers {R10} is a recommendation, not a cause-of-concern\n"),
    "answers itself": ([], ["edit", C1, "--answers", "C1", "--kind", "recommendation", "--reason", "x"], 1,
                       f"track: --answers cannot name {C1} itself\n"),
    "a cause answered by others changed to another kind": (
        [], ["edit", C1, "--kind", "recommendation", "--reason", "x"], 1,
        f"track: {C1} is answered by {R1}: it stays a cause-of-concern while they do (edit their --answers first)\n"),
    "--ref clash": ([], ["edit", R2, "--ref", "R10", "--reason", "x"], 1,
                    f"track: {R10} already exists: refs are unique within a report, whatever their case\n"),
    "--ref differing in case only": ([], ["edit", R2, "--ref", "r10", "--reason", "x"], 1,
                                     f"track: {R10} already exists: refs are unique within a report, whatever their case\n"),
    "add a ref differing in case only": ([], ["add", A, "--ref", "r1", "--text", "x"], 1,
                                         f"track: {R1} already exists: refs are unique within a report, whatever their case\n"),
    "remove by a prefix": ([], ["remove", "iopc-2018", "--reason", "x"], 1,
                           "track: remove takes an exact id: 'iopc-2018' is not one (did you mean iopc-2018-essex/R1?)\n"),
    "--ref while linked": ([], ["edit", C1, "--ref", "C9", "--reason", "x"], 1,
                           f"track: {C1} cannot take a new ref while others link to it: {R1} (answers)\n"),
    "--ref not a ref": ([], ["edit", R2, "--ref", "R 2", "--reason", "x"], 2,
                        "track: --ref 'R 2' must be letters, digits, '.', '_' or '-' (at most 40), such as R3 or AFI2\n"),
    "--date in the future": ([], ["edit", R2, "--text", "y", "--reason", "x", "--date", "2018-07-01"], 1,
                             "track: --date 2018-07-01 is after today (2018-06-30): an amendment is dated when it is made\n"),
    "--date before publication": ([], ["edit", R2, "--text", "y", "--reason", "x", "--date", "2016-11-23"], 1,
                                  f"track: --date 2016-11-23 is before {A} was published (2016-11-24)\n"),
    "an empty reason": ([], ["edit", R2, "--text", "y", "--reason", " "], 2, "track: --reason is empty\n"),
    "an unknown kind": ([], ["edit", R2, "--kind", "advice", "--reason", "x"], 2,
                        re.compile(r"track: unknown kind 'advice': use one of cause-of-concern, recommendation, "
                                   r"area-for-improvement\b.*\n")),
    "an unknown priority": ([], ["edit", R2, "--priority", "urgent", "--reason", "x"], 2,
                            "track: unknown priority 'urgent': use one of high, medium, low\n"),
    "an unknown id": ([], ["edit", f"{A}/R99", "--text", "y", "--reason", "x"], 1,
                      f"track: unknown recommendation '{A}/R99'\n"),
    # remove
    "remove a cause answered by another": ([], ["remove", C1, "--reason", "x"], 1,
                                           f"track: {C1} is linked from {R1} (answers): {LINKED}\n"),
    "remove a report followed by another": ([], ["remove", A, "--reason", "x"], 1,
                                            f"track: report {A} and its 4 recommendations are linked from report {Q1} "
                                            f"(follows): {LINKED}\n"),
    "remove a report named as a source": ([], ["remove", Q1, "--reason", "x"], 1,
                                          f"track: report {Q1} is linked from {R1} (source, 2017-03-15): {LINKED}\n"),
    "remove what another duplicates and relates to": (
        [["update", R10, "--duplicate-of", R1, "--date", "2018-03-01"],
         ["update", R2, "--related", R1, "--date", "2018-03-02"]],
        ["remove", R1, "--reason", "x"], 1,
        f"track: {R1} is linked from {R2} (related, 2018-03-02), {R10} (duplicate of, 2018-03-01): {LINKED}\n"),
    "remove what supersedes another": (
        [["update", R2, "--status", "superseded", "--superseded-by", R10, "--date", "2018-03-01"]],
        ["remove", R10, "--reason", "x"], 1,
        f"track: {R10} is linked from {R2} (superseded by, 2018-03-01): {LINKED}\n"),
    "remove with an empty reason": ([], ["remove", R10, "--reason", ""], 2, "track: --reason is empty\n"),
    "remove an unknown id": ([], ["remove", f"{A}/R99", "--reason", "x"], 1,
                             f"track: unknown recommendation '{A}/R99'\n"),
    # --correct / --drop
    "--drop 99": ([], ["update", R1, "--drop", "99", "--reason", "x"], 1,
                  f"track: {R1} has no event 99: its events are numbered 1 to 4 (see track show)\n"),
    "--drop 0": ([], ["update", R1, "--drop", "0", "--reason", "x"], 1,
                 f"track: {R1} has no event 0: its events are numbered 1 to 4 (see track show)\n"),
    "--drop with no events": ([], ["update", C1, "--drop", "1", "--reason", "x"], 1,
                              f"track: {C1} has no events yet\n"),
    "--correct without fields": ([], ["update", R1, "--correct", "2", "--reason", "x"], 2,
                                 "track: --correct N needs the fields to correct: --status, --basis, --response, --due, "
                                 "--owner, --note, --source, --evidence or --date\n"),
    "--correct and --drop": ([], ["update", R1, "--correct", "2", "--drop", "2", "--reason", "x"], 2,
                             "track: give --correct N or --drop N, not both\n"),
    "--correct x": ([], ["update", R1, "--correct", "x", "--status", "implemented", "--reason", "x"], 2,
                    "track: --correct takes an event's number as track show numbers them (#1, #2, ...) or its date "
                    "(YYYY-MM-DD), not 'x'\n"),
    "--drop -1": ([], ["update", R1, "--drop", "-1", "--reason", "x"], 2,
                  "track: --drop takes an event's number as track show numbers them (#1, #2, ...) or its date "
                  "(YYYY-MM-DD), not '-1'\n"),
    "--correct without --reason": ([], ["update", R1, "--correct", "2", "--note", "y"], 2,
                                   "track: a correction needs --reason: why the record was wrong\n"),
    "--drop with fields": ([], ["update", R1, "--drop", "2", "--status", "implemented", "--reason", "x"], 2,
                           "track: --drop takes only --reason: --status would correct the event (use --correct)\n"),
    "--correct to what it holds": ([], ["update", R1, "--correct", "2", "--date", "2017-03-15", "--reason", "x"], 2,
                                   f"track: nothing to correct: event 2 of {R1} already holds those values\n"),
    "--correct --date in the future": ([], ["update", R1, "--correct", "2", "--date", "2018-07-01", "--reason", "x"], 1,
                                       "track: --date 2018-07-01 is after today (2018-06-30): record an event once it "
                                       "has happened\n"),
    "--correct --date before publication": ([], ["update", R1, "--correct", "2", "--date", "2016-01-01", "--reason", "x"],
                                            1, f"track: --date 2016-01-01 is before {A} was published (2016-11-24)\n"),
    "--correct a link": ([], ["update", R1, "--correct", "2", "--superseded-by", R2, "--reason", "x"], 2,
                         "track: --superseded-by cannot be corrected here: drop the event and record it afresh\n"),
    "--correct to awaiting-response": ([], ["update", R1, "--correct", "2", "--status", "awaiting-response",
                                            "--reason", "x"], 1,
                                       "track: awaiting-response is where every recommendation starts; it ends when a "
                                       "response is recorded\n"),
    "--correct past the numbered (an amendment has no number)": (
        [["edit", R1, "--priority", "low", "--reason", "x"]], ["update", R1, "--correct", "5", "--note", "y", "--reason", "x"], 1,
        f"track: {R1} has no event 5: its events are numbered 1 to 4 (see track show)\n"),
    "--drop by a date with no event": ([], ["update", R1, "--drop", "2017-03-16", "--reason", "x"], 1,
                                       f"track: {R1} has no event on 2017-03-16 (see track show)\n"),
    "--drop by a day that is no day": ([], ["update", R1, "--drop", "2017-02-30", "--reason", "x"], 2,
                                       "track: '2017-02-30' is not a day of the calendar\n"),
    "--correct a due date without its reason": ([], ["update", R1, "--correct", "1", "--due", "2017-09-30", "--reason", "x"],
                                                1, f"track: {R1}: the due date changes from 2017-05-24 to 2017-09-30 "
                                                   "without a reason; nothing was written\n"),
    "--correct into the same event twice": (
        [["update", AFI1, "--note", "Vetting backlog halved", "--date", "2018-06-02"]],
        ["update", AFI1, "--correct", "3", "--date", "2018-06-01", "--reason", "Same meeting"], 1,
        f"track: {AFI1}: corrected, event 3 would be the same as event 2 in date, fields and note; if it was recorded "
        "twice, take it out with --drop 3\n"),
    "--correct --basis where no status": ([], ["update", R1, "--correct", "1", "--basis", "verified", "--reason", "x"], 2,
                                          "track: --basis says who vouches for a status: the event sets none (give "
                                          "--status as well)\n"),
    # --basis, the same event twice
    "--basis without --status, awaiting a response": ([], ["update", "C1", "--basis", "claimed", "--note", "Seen"], 2,
                                                      "track: --basis says who vouches for a status: give --status as well\n"),
    "--basis verified with no source or evidence": ([], ["update", R1, "--basis", "verified", "--note", "Seen"], 2,
                                                    "track: --basis verified needs --source (the report or body that "
                                                    "verified it) or --evidence\n"),
    "reported-complete verified": ([], ["update", R2, "--status", "reported-complete", "--basis", "verified", "--source",
                                        Q1], 2, "track: reported-complete is the addressee's own claim: once an "
                                                "inspectorate or auditor has verified it, record --status implemented "
                                                "--basis verified\n"),
    "an unknown basis": ([], ["update", R2, "--status", "in-progress", "--basis", "rumoured"], 2,
                         "track: unknown basis 'rumoured': use one of claimed, assessed, verified\n"),
    "an identical event twice": (
        [["update", R2, "--note", "Chased", "--date", "2018-06-01"]],
        ["update", R2, "--note", "Chased", "--date", "2018-06-01"], 1,
        f"track: {R2}: this event is already recorded, the same in date, fields and note (entered 2018-06-30); "
        "nothing was written\n"),
    "an identical status twice": (
        [["update", IOPC + "/R1", "--status", "in-progress", "--source", "force update", "--date", "2018-05-01"]],
        ["update", IOPC + "/R1", "--status", "in-progress", "--source", "force update", "--date", "2018-05-01"], 1,
        f"track: {IOPC}/R1: this event is already recorded, the same in date, fields and note (entered 2018-06-30); "
        "nothing was written\n"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_correction_writes_nothing_and_says_why_in_one_line(met: Cli, case: str) -> None:
    setup, args, code, stderr = REFUSALS[case]
    for step in setup:
        met(*step)
    refused(met, *args, code=code, stderr=stderr)


def test_the_same_note_on_another_day_or_another_note_on_the_day_is_recorded(met: Cli) -> None:
    met("update", R2, "--note", "Chased", "--date", "2018-06-01")
    met("update", R2, "--note", "Chased", "--date", "2018-06-02")
    met("update", R2, "--note", "Chased again", "--date", "2018-06-01")
    assert [(e["date"], e["note"]) for e in shown(met, R2)["events"][2:]] == \
        [("2018-06-01", "Chased"), ("2018-06-01", "Chased again"), ("2018-06-02", "Chased")]


# --------------------------------------------------------------------------- remove


def test_remove_a_recommendation_then_undo_and_redo(met: Cli) -> None:
    before = take_snapshot(met.root)
    result = met("remove", R10, "--reason", "Entered twice")
    assert (result.stdout, result.stderr) == (f"removed {R10}\n", "")
    removed = take_snapshot(met.root)
    assert [k for k in removed if removed[k] != before[k]] == [f"reports/{A}.toml"] and removed.keys() == before.keys()
    assert met.ids("--report", A) == [C1, R1, R2]
    assert met("show", R10, expect=1).stderr.startswith(f"track: unknown recommendation '{R10}'")
    assert "Review the use of police protection powers" not in report_file(met, A).read_text()
    met("check")
    assert met("undo").stdout.startswith(f"undid: remove {R10} (")
    assert take_snapshot(met.root) == before
    assert met("redo").stdout.startswith(f"redid: remove {R10} (")
    assert take_snapshot(met.root) == removed


def test_remove_a_report_deletes_its_file_with_its_recommendations(met: Cli) -> None:
    before = take_snapshot(met.root)
    result = met("remove", PEEL, "--reason", "Entered in the wrong ledger")
    assert (result.stdout, result.stderr) == (f"removed report {PEEL} and its 2 recommendations\n", "")
    assert not report_file(met, PEEL).exists()
    removed = take_snapshot(met.root)
    assert set(before) - set(removed) == {f"reports/{PEEL}.toml"}
    assert all(removed[k] == before[k] for k in removed)  # nothing else touched
    assert AFI1 not in met.ids() and AFI2 not in met.ids()
    assert PEEL not in [r["id"] for r in met.json("reports", "list")]
    met("check")
    met("undo")
    assert take_snapshot(met.root) == before
    met("redo")
    assert take_snapshot(met.root) == removed and not report_file(met, PEEL).exists()


def test_remove_force_leaves_the_links_warns_and_check_names_them(met: Cli) -> None:
    before = take_snapshot(met.root)
    result = met("remove", C1, "--reason", "Not a cause of concern after all", "--force")
    assert result.stdout == f"removed {C1}\n"
    assert result.stderr == f"warning: left naming nothing: {R1} (answers)\n"
    assert C1 not in met.ids()
    checked = met("check", expect=1)
    assert f"{R1} answers '{C1}', which is not in the ledger" in checked.stdout
    met("undo")
    assert take_snapshot(met.root) == before
    met("check")


def test_remove_force_of_a_report_leaves_the_follows_and_sources_naming_nothing(met: Cli) -> None:
    before = take_snapshot(met.root)
    result = met("remove", A, "--reason", "Wrong force", "--force")
    assert result.stdout == f"removed report {A} and its 4 recommendations\n"
    assert result.stderr == f"warning: left naming nothing: report {Q1} (follows)\n"
    assert not report_file(met, A).exists()
    met("check", expect=1)
    met("undo")
    assert take_snapshot(met.root) == before
    result = met("remove", Q1, "--reason", "Wrong force", "--force")
    assert result.stderr == f"warning: left naming nothing: {R1} (source, 2017-03-15)\n"
    assert not report_file(met, Q1).exists()


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git with a HOME of its own (as tests/store/test_gitstore.py): user.name "Git Person"."""
    if not gitstore.installed():
        pytest.skip("git is not installed")
    return own_git_home(tmp_path, monkeypatch, name="Git Person", email="git@example.org")


def git(where: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=where, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def test_in_a_git_ledger_each_correction_is_one_commit_and_recorded_by_is_git_s_user_name(
        runner: CliRunner, tmp_path: Path, git_home: Path) -> None:
    root = tmp_path / "met"
    Cli(runner, None)("init", "--git", root)
    cli = Cli(runner, root)
    cli("reports", "add", "r", "--title", "Child protection", "--by", "HMIC", "--subject", "Met", "--published",
        "2016-11-24")
    cli("add", "r", "--ref", "R1", "--text", "Appoint a lead")
    cli("add", "r", "--ref", "R2", "--text", "Appoint a lead")
    cli("update", "r/R1", "--status", "in-progress", "--date", "2017-01-10")  # TRACK_USER is tester: git wins
    cli("edit", "r/R1", "--text", "Appoint a chief officer lead", "--reason", "Typo")
    assert git(root, "log", "-1", "--format=%s") == "R1: amended text (r): Typo\n"
    commits = len(git(root, "log", "--format=%s").splitlines())

    cli("remove", "r/R2", "--reason", "Entered twice")
    log = git(root, "log", "--format=%s").splitlines()
    assert len(log) == commits + 1 and log[0] == "remove r/R2 (entered in error: Entered twice)"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["reports/r.toml"]
    assert git(root, "status", "--porcelain") == ""

    cli("update", "r/R1", "--drop", "1", "--reason", "Recorded on the wrong item")
    assert git(root, "log", "-1", "--format=%s") == "R1: dropped event 1 (2017-01-10) (r): Recorded on the wrong item\n"
    events = cli.json("show", "r/R1")["events"]
    assert [e["recorded_by"] for e in events] == ["Git Person", "Git Person"]  # the amendment and the drop
    assert "Git Person" in (root / "reports" / "r.toml").read_text() and "tester" not in (root / "reports" / "r.toml").read_text()

    cli("remove", "r", "--reason", "Wrong ledger")
    assert git(root, "log", "-1", "--format=%s") == "remove report r and its 1 recommendation (entered in error: Wrong ledger)\n"
    assert git(root, "show", "--name-status", "--format=", "HEAD").split() == ["D", "reports/r.toml"]
    assert not (root / "reports" / "r.toml").exists() and git(root, "status", "--porcelain") == ""
    cli("undo")
    assert (root / "reports" / "r.toml").exists() and git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%s").startswith("undo: remove report r")
    cli("redo")
    assert not (root / "reports" / "r.toml").exists() and git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%s").startswith("redo: remove report r")


def test_recorded_by_is_track_user_else_the_login_name(met: Cli) -> None:
    met("update", R2, "--note", "Chased", "--date", "2018-06-01", env={"TRACK_USER": "keeper"})
    met("edit", R2, "--priority", "low", "--reason", "x", env={"TRACK_USER": None, "LOGNAME": "login-person"})
    met("update", R2, "--correct", "3", "--note", "Chased by letter", "--reason", "y",
        env={"TRACK_USER": " ", "LOGNAME": "login-person"})
    events = shown(met, R2)["events"]
    assert [(e["number"], e.get("note"), e["recorded_by"]) for e in events[2:]] == [
        (3, "Chased by letter", "keeper"),  # a corrected event keeps who entered it
        (None, None, "login-person"), (None, None, "login-person")]  # amendments are not numbered
    assert [e["recorded"] for e in events] == ["2018-06-30"] * 5


def test_once_the_recommendation_answering_a_cause_is_removed_the_cause_may_change_kind(met: Cli) -> None:
    met("remove", R1, "--reason", "Entered on the wrong report")
    assert arrows(met("edit", C1, "--kind", "recommendation", "--ref", "R0", "--reason", "Not a cause").stdout) == \
        f"{A}/R0: amended kind cause-of-concern -> recommendation; ref C1 -> R0 (2018-06-30)\n"
    met("check")


# --------------------------------------------------------------------------- --correct / --drop


def test_correct_an_event_s_date_re_sorts_it_and_keeps_the_old_event(met: Cli) -> None:
    result = met("update", R1, "--correct", "2", "--date", "2017-03-20", "--reason", "The minutes are dated the 20th")
    assert (result.stdout, result.stderr) == (f"{R1}: corrected event 2 (2017-03-15): date\n", "")
    data = shown(met, R1)
    assert [(e["number"], e["date"], e.get("status"), e.get("response")) for e in data["events"][:4]] == [
        (1, "2017-01-10", None, "accepted"), (2, "2017-03-20", "in-progress", None), (3, "2017-06-01", None, None),
        (4, "2018-02-20", "implemented", None)]
    amendment = data["events"][-1]
    assert (amendment["number"], amendment["date"], amendment["reason"]) == (None, "2018-06-30", "The minutes are dated the 20th")
    was = {"date": "2017-03-15", "status": "in-progress", "basis": "assessed", "note": "Lead appointed", "source": Q1,
           "recorded": "2018-06-30", "recorded_by": "tester"}
    assert amendment["amended"] == {"event": {"old": was, "new": {**was, "date": "2017-03-20"}}}
    assert shown(met, R1, "--as-of", "2017-03-19")["status"] == "not-started"
    assert shown(met, R1, "--as-of", "2017-03-20")["status"] == "in-progress"
    assert ("  2018-06-30  corrected the event of 2017-03-15: date 2017-03-15 -> 2017-03-20 "
            "(reason: The minutes are dated the 20th)") in arrows(met("show", R1).stdout).splitlines()
    met("check")


def test_a_corrected_date_past_a_later_event_moves_it_after_that_event(met: Cli) -> None:
    met("update", R1, "--correct", "1", "--date", "2017-04-01", "--reason", "The letter came in April")
    events = shown(met, R1)["events"]
    assert [(e["number"], e["date"], e.get("response"), e.get("status")) for e in events[:2]] == [
        (1, "2017-03-15", None, "in-progress"), (2, "2017-04-01", "accepted", None)]
    assert shown(met, R1, "--as-of", "2017-03-31")["response"] is None
    assert shown(met, R1, "--as-of", "2017-04-01")["response"] == "accepted"
    met("check")


@pytest.mark.parametrize(("rec_id", "number", "args", "expected"), [
    (R2, 2, ["--status", "in-progress"], {"status": "in-progress"}),
    (R1, 4, ["--basis", "verified"], {"basis": "verified"}),
    (R2, 1, ["--response", "accepted"], {"response": "accepted"}),
    (R1, 3, ["--due", "2017-11-30"], {"due": "2017-11-30"}),
    (R2, 2, ["--owner", "Head of Learning"], {"owner": "Head of Learning"}),
    (R1, 2, ["--note", ""], {"note": None}),
    (R1, 2, ["--note", "Lead appointed in March"], {"note": "Lead appointed in March"}),
    (R1, 2, ["--source", "force update"], {"source": "force update"}),
    (R1, 4, ["--evidence", "https://example.org/q4-annex"], {"evidence": ["https://example.org/q4-annex"]}),
])
def test_correct_puts_each_field_of_an_event_right(met: Cli, rec_id: str, number: int, args: list[str],
                                                   expected: dict) -> None:
    old_event = shown(met, rec_id)["events"][number - 1]
    met("update", rec_id, "--correct", str(number), *args, "--reason", "Misread the source")
    data = shown(met, rec_id)
    fixed = data["events"][number - 1]
    assert {k: fixed.get(k) for k in expected} == expected
    derived = ("status_after", "before")  # what show works out from the events around it
    assert {k: v for k, v in fixed.items() if k not in expected and k not in derived} == \
        {k: v for k, v in old_event.items() if k not in expected and k not in derived}
    assert data["events"][-1]["amended"]["event"]["old"]["date"] == old_event["date"]
    for key in ("status", "basis", "response", "due", "owner"):
        if key in expected:
            assert data[key] == expected[key], key  # what the recommendation now shows follows the correction
    met("check")


def test_drop_takes_an_event_out_and_keeps_it_in_the_amendment(met: Cli) -> None:
    before = take_snapshot(met.root)
    assert shown(met, R1, "--as-of", "2017-07-01")["due"] == "2017-12-31"
    result = met("update", R1, "--drop", "3", "--reason", "The due date never moved")
    assert (result.stdout, result.stderr) == (f"{R1}: dropped event 3 (2017-06-01)\n", "")
    data = shown(met, R1)
    assert [e["date"] for e in data["events"]] == ["2017-01-10", "2017-03-15", "2018-02-20", "2018-06-30"]
    assert data["events"][-1]["amended"] == {"event": {"old": {
        "date": "2017-06-01", "due": "2017-12-31", "reason": "Restructure delayed the work", "recorded": "2018-06-30",
        "recorded_by": "tester"}, "new": None}}
    assert data["due"] == "2017-05-24"
    as_of = shown(met, R1, "--as-of", "2017-07-01")
    assert (as_of["due"], as_of["overdue"]) == ("2017-05-24", True)
    met("check")
    met("undo")
    assert take_snapshot(met.root) == before


def test_dropping_the_status_event_takes_the_status_back(met: Cli) -> None:
    met("update", R1, "--drop", "4", "--reason", "Not yet implemented: the Q4 report said in progress")
    data = shown(met, R1)
    assert (data["status"], data["closed"]) == ("in-progress", False)
    assert R1 in met.ids("--status", "open")
    met("check")


# --------------------------------------------------------------------------- basis


def test_a_later_verification_restates_the_status_and_the_same_status_keeps_its_basis(met: Cli) -> None:
    met("update", R1, "--basis", "verified", "--source", "Revisit 2018", "--date", "2018-06-01")
    data = shown(met, R1)
    assert (data["status"], data["basis"], data["events"][-1]["status"]) == ("implemented", "verified", "implemented")
    met("update", R1, "--status", "implemented", "--note", "Confirmed again", "--source", "force update")
    assert shown(met, R1)["basis"] == "verified"  # the status stays: so does who vouches for it
    assert "implemented (unverified)" not in met("show", R1).stdout


@pytest.mark.parametrize(("args", "basis"), [
    (["--status", "reported-complete", "--source", Q1], "claimed"),  # reported complete: the owner's word
    (["--status", "in-progress"], "claimed"),  # no source
    (["--status", "in-progress", "--source", "force update"], "claimed"),  # a source that is no report: the force's word
    (["--status", "in-progress", "--source", Q1], "assessed"),  # the keeper's reading of a report
    (["--status", "implemented", "--source", "Revisit 2018", "--basis", "verified"], "verified"),
    (["--status", "implemented", "--evidence", "https://example.org/letter", "--basis", "verified"], "verified"),
    (["--status", "in-progress", "--source", "force update", "--basis", "claimed"], "claimed"),
])
def test_basis_defaults_and_is_shown(met: Cli, args: list[str], basis: str) -> None:
    result = met("update", f"{IOPC}/R1", *args, "--date", "2018-06-01")
    status = args[1]
    assert result.stdout == f"{IOPC}/R1: status {status} ({basis}) (2018-06-01)\n"
    data = shown(met, f"{IOPC}/R1")
    assert (data["status"], data["basis"], data["events"][-1]["basis"]) == (status, basis, basis)
    text = met("show", f"{IOPC}/R1").stdout.splitlines()
    unverified = status == "implemented" and basis != "verified"
    assert text[0] == f"{IOPC}/R1  {status}" + (" (unverified)" if unverified else "")
    assert any(line.startswith(f"  basis         {basis}: ") for line in text)


def test_a_response_alone_has_no_basis(met: Cli) -> None:
    met("update", f"{IOPC}/R1", "--response", "accepted", "--date", "2018-03-01")
    data = shown(met, f"{IOPC}/R1")
    assert (data["status"], data["basis"]) == ("not-started", None)
    assert "basis" not in data["events"][-1]
    assert "basis" not in report_file(met, IOPC).read_text()
    assert met("show", f"{IOPC}/R1").stdout.splitlines()[0] == f"{IOPC}/R1  not-started"


def test_list_unverified_and_the_report_s_verified_counts(met: Cli) -> None:
    # R1 implemented (claimed) in the story; AFI1 implemented and verified here
    met("update", AFI1, "--status", "implemented", "--basis", "verified", "--source", "PEEL 2018", "--date", "2018-06-15")
    assert met.ids("--unverified") == [R1, R2, R10]
    assert met.ids("--unverified", "--status", "implemented") == [R1]
    assert met.ids("--status", "implemented") == [R1, AFI1]
    total = met.json("report")["total"]
    assert (total["implemented"], total["implemented_verified"], total["implemented_unverified"]) == (2, 1, 1)
    groups = {g["key"]: (g["implemented_verified"], g["implemented_unverified"]) for g in met.json("report")["groups"]}
    assert groups[A] == (0, 1) and groups[PEEL] == (1, 0) and groups[IOPC] == (0, 0)
    headline = met("report").stdout.splitlines()[3]
    assert "2 implemented (29%; 1 verified)" in headline
    # as of the day before, AFI1 was not implemented at all
    total = met.json("report", "--as-of", "2018-06-14")["total"]
    assert (total["implemented"], total["implemented_verified"], total["implemented_unverified"]) == (1, 0, 1)

    # verifying R1's closure by correcting the basis of its event takes it off the list
    met("update", R1, "--correct", "4", "--basis", "verified", "--reason", "The Q4 report verified it")
    assert met.ids("--unverified", "--status", "implemented") == []
    assert met("show", R1).stdout.splitlines()[0] == f"{R1}  implemented"
    total = met.json("report")["total"]
    assert (total["implemented_verified"], total["implemented_unverified"]) == (2, 0)


def test_show_json_names_the_links_both_ways_and_what_a_duplicate_shares(met: Cli) -> None:
    met("update", R10, "--duplicate-of", R1, "--date", "2018-03-01", "--note", "Same as R1")
    met("update", R2, "--related", R1, "--date", "2018-03-01")
    met("update", R2, "--status", "superseded", "--superseded-by", AFI1, "--date", "2018-03-02")
    links = ("basis", "supersedes", "duplicated_by", "related_by", "superseded_by", "duplicate_of", "related")

    def seen(rec_id: str) -> dict:
        data = shown(met, rec_id)
        return {k: data[k] for k in links} | {"shares_progress_of": data.get("shares_progress_of", "absent")}

    assert seen(R1) == {"basis": "claimed", "supersedes": [], "duplicated_by": [R10], "related_by": [R2],
                        "superseded_by": None, "duplicate_of": None, "related": [], "shares_progress_of": "absent"}
    assert seen(R10)["shares_progress_of"] == {"id": R1, "status": "implemented"}
    assert (seen(R10)["duplicate_of"], seen(R10)["duplicated_by"]) == (R1, [])
    assert seen(AFI1) == {"basis": None, "supersedes": [R2], "duplicated_by": [], "related_by": [],
                          "superseded_by": None, "duplicate_of": None, "related": [], "shares_progress_of": "absent"}
    assert (seen(R2)["superseded_by"], seen(R2)["related"]) == (AFI1, [R1])


# --------------------------------------------------------------------------- export / import


def report_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "reports").glob("*.toml"))}


def round_trip(source: Cli, tmp_path: Path, fmt: str) -> None:
    """Export `source`, import it into a fresh ledger on another day by another user, and
    compare the report files byte for byte, and the export of the copy with the original."""
    exported = source("export", "--format", fmt).stdout
    path = tmp_path / f"export.{fmt}"
    path.write_text(exported, "utf-8", newline="")
    Cli(source.runner, None)("init", tmp_path / "copy")
    target = Cli(source.runner, tmp_path / "copy")
    later = {"TRACK_TODAY": "2019-01-15", "TRACK_USER": "someone-else"}
    target("import", path, "--create-reports", env=later)
    assert report_files(target.root) == report_files(source.root)
    again = target("export", "--format", fmt).stdout
    assert again.replace('"ledger": "copy"', '"ledger": "met"') == exported


def bases_and_recorders(met: Cli) -> None:
    met("update", AFI1, "--status", "implemented", "--basis", "verified", "--source", "PEEL 2018", "--date", "2018-06-15",
        env={"TRACK_USER": "auditor"})
    met("update", AFI2, "--status", "in-progress", "--date", "2018-06-01", env={"TRACK_TODAY": "2018-06-20"})
    met("update", R2, "--status", "reported-complete", "--source", Q1, "--date", "2018-03-01")


def amendments(met: Cli) -> None:
    met("edit", R2, "--text", R2_FIXED, "--tag", "risk", "--priority", "none", "--reason", "As published",
        "--date", "2018-03-05")
    met("edit", R10, "--kind", "area-for-improvement", "--reason", "Misfiled", "--date", "2018-03-05")
    met("update", R1, "--correct", "2", "--date", "2017-03-20", "--note", "", "--reason", "Minutes")
    met("update", R1, "--drop", "3", "--reason", "Entered twice")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_bases_and_recorded_fields_survive_export_and_import_byte_for_byte(met: Cli, tmp_path: Path, fmt: str) -> None:
    bases_and_recorders(met)
    text = report_file(met, PEEL).read_text()
    assert 'basis = "verified"' in text and 'recorded_by = "auditor"' in text and "recorded = 2018-06-20" in text
    round_trip(met, tmp_path, fmt)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_amendments_and_corrected_and_dropped_events_survive_export_and_import_byte_for_byte(
        met: Cli, tmp_path: Path, fmt: str) -> None:
    bases_and_recorders(met)
    amendments(met)
    met("check")
    round_trip(met, tmp_path, fmt)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_export_carries_amendments_as_toml_text(met: Cli, fmt: str) -> None:
    amendments(met)
    if fmt == "json":
        doc = json.loads(met("export").stdout)
        report = next(r for r in doc["reports"] if r["id"] == A)
        rec = next(r for r in report["recommendations"] if r["ref"] == "R2")
        amendment = rec["events"][-1]
        assert (amendment["date"], amendment["reason"], amendment["recorded"], amendment["recorded_by"]) == \
            ("2018-03-05", "As published", "2018-06-30", "tester")
        old, new = amendment["old"], amendment["new"]
        assert (report["entered"], rec["entered"]) == ("2018-06-30", "2018-06-30")
    else:
        import csv
        import io

        rows = [r for r in csv.DictReader(io.StringIO(met("export", "--format", "csv").stdout))
                if r["ref"] == "R2" and r["reason"] == "As published"]
        assert len(rows) == 1
        assert (rows[0]["date"], rows[0]["recorded"], rows[0]["recorded_by"]) == ("2018-03-05", "2018-06-30", "tester")
        old, new = rows[0]["amended_old"], rows[0]["amended_new"]
        report_row = next(r for r in csv.DictReader(io.StringIO(met("export", "--format", "csv").stdout))
                          if r["report"] == A and not r["ref"])
        assert report_row["report_entered"] == "2018-06-30"
    assert old == f'text = "{R2_TEXT}"\ntags = [\n    "training",\n]\npriority = "medium"\n'
    assert new == f'text = "{R2_FIXED}"\ntags = [\n    "training",\n    "risk",\n]\npriority = ""\n'


# --------------------------------------------------------------------------- a due date already past


def test_a_due_date_already_past_on_the_event_s_date_warns_and_is_recorded(met: Cli) -> None:
    result = met("update", R2, "--due", "2018-01-31", "--reason", "Moved at the board", "--date", "2018-03-01")
    assert result.stdout == f"{R2}: due 2018-01-31 (reason: Moved at the board) (2018-03-01)\n"
    assert result.stderr == ("warning: the new due date 2018-01-31 is already past on 2018-03-01 (the event's date); "
                             "give --date if the event happened earlier\n")
    assert shown(met, R2)["due"] == "2018-01-31"
    assert shown(met, R2)["events"][-1]["due"] == "2018-01-31"


@pytest.mark.parametrize("due", ["2018-03-01", "2018-12-31", "+3 months"])
def test_a_due_date_not_past_on_the_event_s_date_gives_no_warning(met: Cli, due: str) -> None:
    result = met("update", R2, "--due", due, "--reason", "Moved at the board", "--date", "2018-03-01")
    assert result.stderr == ""
    assert shown(met, R2)["due"] == {"+3 months": "2018-06-01"}.get(due, due)


def test_a_corrected_due_date_already_past_warns_too(met: Cli) -> None:
    result = met("update", R1, "--correct", "3", "--due", "2017-05-31", "--reason", "Misread the letter")
    assert result.stdout == f"{R1}: corrected event 3 (2017-06-01): due\n"
    assert result.stderr == ("warning: the new due date 2017-05-31 is already past on 2017-06-01 (the event's date); "
                             "give --date if the event happened earlier\n")
    assert shown(met, R1, "--as-of", "2017-06-01")["due"] == "2017-05-31"
