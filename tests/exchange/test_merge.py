"""`track merge-driver BASE OURS THEIRS PATH` and the merge of report files (track/exchange/merge.py).

Each side's version is made by track itself from one base file (`versions`), and a clean
merge must be byte for byte what track writes when both sides' changes are made one after
the other in one ledger: ours first, then theirs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from track.exchange import merge

R = "hmic-2016-met-cp"
PATH = f"reports/{R}.toml"
Change = list[list[Any]]


@pytest.fixture
def ledger(cli: Cli, make_report: Callable[..., Any], make_rec: Callable[..., Any]) -> Cli:
    make_report(R, figure=["cases reviewed=374"])
    make_rec(R, "R1", owner="DCS Child Protection", due="2017-05-31")
    make_rec(R, "R2", tag=["training"])
    cli("update", "R1", "--response", "accepted", "--date", "2017-01-10")
    return cli


def report_file(cli: Cli) -> Path:
    return cli.root / PATH


def apply(cli: Cli, text: str, *changes: Change) -> str:
    """The report file's text after making each change, in turn, starting from `text`."""
    path = report_file(cli)
    path.write_text(text)
    for change in changes:
        for argv in change:
            cli(*argv)
    return path.read_text()


def versions(cli: Cli, ours: Change, theirs: Change) -> tuple[str, str, str]:
    base = report_file(cli).read_text()
    out = base, apply(cli, base, ours), apply(cli, base, theirs)
    report_file(cli).write_text(base)
    return out


def edited(text: str, edit: Callable[[dict[str, Any]], None]) -> str:
    """A report file edited by hand, as track would write it."""
    doc = merge.document(text, R, "edit")
    edit(doc)
    return merge.render(doc, R)


def drive(cli: Cli, tmp_path: Path, base: str, ours: str, theirs: str, expect: int = 0) -> tuple[str, Any]:
    """`track merge-driver` as git calls it; returns what OURS holds after, and the result."""
    files = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f".merge_file_{name}"
        path.write_text(text)
        files.append(path)
    result = cli("merge-driver", *files, PATH, expect=expect, ledger=False)
    return files[1].read_text(), result


def rec(text: str, ref: str) -> dict[str, Any]:
    return next(r for r in merge.document(text, R, "x")["recommendations"] if r["ref"] == ref)


# --------------------------------------------------------------------------- clean merges


def test_events_added_on_both_sides_to_one_recommendation_are_all_kept_in_date_order(ledger: Cli, tmp_path: Path) -> None:
    ours = [["update", "R1", "--status", "in-progress", "--date", "2017-03-01"], ["update", "R1", "--note", "ours today"]]
    theirs = [["update", "R1", "--note", "theirs in May", "--date", "2017-05-01"], ["update", "R1", "--note", "theirs today"]]
    base, o, t = versions(ledger, ours, theirs)
    merged, result = drive(ledger, tmp_path, base, o, t)
    assert result.stdout == result.stderr == ""
    assert merged == apply(ledger, base, ours, theirs)  # byte for byte as track writes it
    notes = [e.get("note") or e.get("status") or e.get("response") for e in rec(merged, "R1")["events"]]
    assert notes == ["accepted", "in-progress", "theirs in May", "ours today", "theirs today"]


def test_events_added_to_different_recommendations_merge_cleanly(ledger: Cli, tmp_path: Path) -> None:
    ours = [["update", "R1", "--status", "implemented", "--evidence", "https://example.org/q4"]]
    theirs = [["update", "R2", "--response", "partially-accepted", "--date", "2017-02-01"],
              ["update", "R2", "--due", "2018-12-31", "--owner", "Head of Training"]]
    base, o, t = versions(ledger, ours, theirs)
    merged, _ = drive(ledger, tmp_path, base, o, t)
    assert merged == apply(ledger, base, ours, theirs)
    assert merge.merge_texts(base, t, o, R).text == apply(ledger, base, theirs, ours)  # and the other way round
    ledger("check")


def test_recommendations_added_on_both_sides_are_kept(ledger: Cli, tmp_path: Path) -> None:
    ours = [["add", R, "--ref", "R3", "--text", "Ours"], ["update", "R3", "--note", "started"]]
    theirs = [["add", R, "--ref", "R4", "--text", "Theirs", "--due", "2018-12-31"], ["update", "R1", "--note", "theirs"]]
    base, o, t = versions(ledger, ours, theirs)
    merged, _ = drive(ledger, tmp_path, base, o, t)
    assert merged == apply(ledger, base, ours, theirs)
    assert [r["ref"] for r in merge.document(merged, R, "x")["recommendations"]] == ["R1", "R2", "R3", "R4"]


def test_the_same_change_on_both_sides_is_kept_once(ledger: Cli, tmp_path: Path) -> None:
    same = [["update", "R1", "--note", "the same note"], ["add", R, "--ref", "R3", "--text", "Same"]]
    base, o, t = versions(ledger, same, same)
    assert o == t
    assert drive(ledger, tmp_path, base, o, t)[0] == o
    # the same event among others: once, where ours has it
    base, o, t = versions(ledger, [["update", "R1", "--note", "a"], ["update", "R1", "--note", "shared"]],
                          [["update", "R1", "--note", "shared"], ["update", "R1", "--note", "b"]])
    notes = [e.get("note") for e in rec(drive(ledger, tmp_path, base, o, t)[0], "R1")["events"]]
    assert notes == [None, "a", "shared", "b"]


def test_fields_changed_on_one_side_each_are_merged_field_by_field(ledger: Cli, tmp_path: Path) -> None:
    def ours_edit(doc: dict[str, Any]) -> None:
        doc["title"] = "A new title"
        doc["figures"]["referred back"] = 38
        doc["recommendations"][0]["text"] = "Appoint a chief officer lead"

    def theirs_edit(doc: dict[str, Any]) -> None:
        doc["url"] = "https://example.org/r"
        doc["figures"]["cases reviewed"] = 375
        doc["recommendations"][0]["owner"] = "AC Specialist Crime"
        doc["recommendations"][1]["tags"] = ["training", "leadership"]

    base, o, t = versions(ledger, [["update", "R2", "--note", "ours"]], [["update", "R1", "--note", "theirs"]])
    o, t = edited(o, ours_edit), edited(t, theirs_edit)
    merged, _ = drive(ledger, tmp_path, base, o, t)
    doc = merge.document(merged, R, "x")
    assert doc["title"] == "A new title" and doc["url"] == "https://example.org/r"
    assert doc["figures"] == {"cases reviewed": 375, "referred back": 38}
    r1, r2 = doc["recommendations"]
    assert (r1["text"], r1["owner"], r2["tags"]) == ("Appoint a chief officer lead", "AC Specialist Crime", ["training", "leadership"])
    assert r1["events"][-1]["note"] == "theirs" and r2["events"][-1]["note"] == "ours"
    assert merged == merge.render(doc, R)


def test_an_event_removed_on_one_side_is_removed(ledger: Cli, tmp_path: Path) -> None:
    """Only `track undo` removes an event: the side that undid it wins over the side that left it."""
    base = apply(ledger, report_file(ledger).read_text(), [["update", "R1", "--note", "a slip"]])
    ours = apply(ledger, base, [["undo"], ["update", "R1", "--note", "the right note"]])
    theirs = apply(ledger, base, [["update", "R2", "--note", "theirs"]])
    merged, _ = drive(ledger, tmp_path, base, ours, theirs)
    assert [e.get("note") for e in rec(merged, "R1")["events"]] == [None, "the right note"]
    assert [e.get("note") for e in rec(merged, "R2")["events"]] == ["theirs"]


def test_a_file_added_on_both_sides_merges_from_an_empty_base(ledger: Cli, tmp_path: Path) -> None:
    text = report_file(ledger).read_text()
    theirs = apply(ledger, text, [["update", "R2", "--note", "theirs"]])
    merged, _ = drive(ledger, tmp_path, "", text, theirs)
    assert merged == theirs


# --------------------------------------------------------------------------- conflicts


def test_a_report_field_changed_differently_on_both_sides_is_a_conflict_with_markers(ledger: Cli, tmp_path: Path) -> None:
    base, o, t = versions(ledger, [["update", "R1", "--note", "ours"]], [["update", "R2", "--note", "theirs"]])
    o = edited(o, lambda doc: doc.update(title="Ours"))
    t = edited(t, lambda doc: doc.update(title="Theirs"))
    merged, result = drive(ledger, tmp_path, base, o, t, expect=1)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"track: {PATH}: both sides changed title differently;")
    assert merged.startswith('<<<<<<< ours\ntitle = "Ours"\n=======\ntitle = "Theirs"\n>>>>>>> theirs\nby = "HMIC"\n')
    # everything else merged: both notes are there
    assert merged.replace('<<<<<<< ours\ntitle = "Ours"\n=======\ntitle = "Theirs"\n>>>>>>> theirs\n', 'title = "Ours"\n') == \
        merge.merge_texts(base, o, edited(t, lambda doc: doc.update(title="Ours")), R).text
    report_file(ledger).write_text(merged)
    check = ledger("check", expect=1)
    assert f"{PATH}:1:1: git conflict marker" in check.stdout
    ledger("update", "R1", "--note", "blocked", expect=1)  # no change while the file is in conflict


def test_the_same_ref_added_with_different_text_is_a_conflict_on_those_lines(ledger: Cli, tmp_path: Path) -> None:
    base, o, t = versions(ledger, [["add", R, "--ref", "R3", "--text", "Ours", "--tag", "a"]],
                          [["add", R, "--ref", "R3", "--text", "Theirs", "--tag", "a", "--tag", "b"]])
    merged, result = drive(ledger, tmp_path, base, o, t, expect=1)
    assert "both sides changed R3.text, R3.tags differently" in result.stderr
    block = merged[merged.index('ref = "R3"'):]
    assert block.startswith('ref = "R3"\nkind = "recommendation"\n<<<<<<< ours\ntext = "Ours"\ntags = [\n    "a",\n]\n'
                            '=======\ntext = "Theirs"\ntags = [\n    "a",\n    "b",\n]\n>>>>>>> theirs\nentered = 2018-06-30\n')


def test_a_recommendation_removed_on_one_side_and_changed_on_the_other_is_a_conflict(ledger: Cli, tmp_path: Path) -> None:
    base = apply(ledger, report_file(ledger).read_text(), [["add", R, "--ref", "R3", "--text", "New"]])
    ours = apply(ledger, base, [["undo"]])
    theirs = apply(ledger, base, [["update", "R3", "--note", "kept"]])
    merged, result = drive(ledger, tmp_path, base, ours, theirs, expect=1)
    assert "R3 (removed on one side, changed on the other)" in result.stderr
    assert merged.endswith('entered = 2018-06-30\n<<<<<<< ours\n=======\n\n[[recommendations]]\nref = "R3"\n'
                           'kind = "recommendation"\ntext = "New"\nentered = 2018-06-30\nevents = [\n'
                           '    { date = 2018-06-30, note = "kept", recorded = 2018-06-30, recorded_by = "tester" },\n]\n'
                           '>>>>>>> theirs\n')


def test_an_unreadable_version_falls_back_to_git_s_line_merge(ledger: Cli, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base, o, t = versions(ledger, [["update", "R1", "--note", "ours"]], [["update", "R2", "--note", "theirs"]])
    broken = o.replace('title = "', 'title = ', 1)
    merged, result = drive(ledger, tmp_path, base, broken, t, expect=1)
    assert result.stderr.startswith(f"track: {PATH}: cannot merge it as a report (ours:1:")
    assert result.stderr.count("\n") == 1 and "git's line merge" in result.stderr
    assert 'title = Report' in merged and "theirs" in merged  # the text merge git would have made
    merged, result = drive(ledger, tmp_path, base, o, "<<<<<<< ours\n", expect=1)
    assert "(theirs:1:1: git conflict marker" in result.stderr


def test_merge_documents_reports_each_conflict_by_place() -> None:
    base = {"title": "T", "figures": {"a": 1}, "recommendations": [{"ref": "R1", "owner": "X", "events": []}]}
    ours = {"title": "O", "figures": {"a": 2}, "recommendations": [{"ref": "R1", "owner": "Y", "events": []}]}
    theirs = {"title": "T", "figures": {"a": 3}, "recommendations": [{"ref": "R1", "owner": "Z", "events": []}]}
    merged, conflicts = merge.merge_documents(base, ours, theirs)
    assert conflicts == ["figures.a", "R1.owner"]
    assert merged["title"] == "O"
    # 1 and 1.0 and true are different values in TOML: not "the same change"
    assert merge.merge_documents({"x": 0}, {"x": 1}, {"x": 1.0})[1] == ["x"]


def test_twenty_thousand_alike_events_merge_in_a_pass(tmp_path: Path) -> None:
    """Each side added one event after 20,000 identical ones: what both begin with is matched in
    one pass (the whole took 80 s through difflib alone); both additions are kept, in order."""
    import datetime

    import tomli_w

    from track.exchange.merge import merge_texts

    same = [{"date": datetime.date(2018, 1, 1), "note": "same"} for _ in range(20_000)]

    def version(extra: list[dict]) -> str:
        return tomli_w.dumps({"title": "T", "by": "B", "subject": "S", "published": datetime.date(2017, 1, 1),
                              "recommendations": [{"ref": "R1", "text": "x", "events": same + extra}]})

    ours = [{"date": datetime.date(2018, 2, 1), "note": "ours"}]
    theirs = [{"date": datetime.date(2018, 3, 1), "note": "theirs"}]
    outcome = merge_texts(version([]), version(ours), version(theirs), report_id="r")
    import tomllib

    events = tomllib.loads(outcome.text)["recommendations"][0]["events"]
    assert not outcome.conflicts and events == same + ours + theirs


def test_an_edit_among_twenty_thousand_alike_events_merges_in_a_pass(tmp_path: Path) -> None:
    """One side changed the note of the middle one of 20,000 identical events and removed
    another, the other side added one at the start: between what both begin and end with, the
    k-th event of a kind on one side is matched with the k-th on the other, so that difflib
    sees no two alike (alike, they cost it time quadratic in their number)."""
    import datetime
    import tomllib

    import tomli_w

    from track.exchange.merge import merge_texts

    same = {"date": datetime.date(2018, 1, 1), "note": "same"}

    def version(events: list[dict]) -> str:
        return tomli_w.dumps({"title": "T", "by": "B", "subject": "S", "published": datetime.date(2017, 1, 1),
                              "recommendations": [{"ref": "R1", "text": "x", "events": events}]})

    base = [dict(same) for _ in range(20_000)]
    ours = [dict(same) for _ in range(19_999)]
    ours[10_000] = {"date": datetime.date(2018, 1, 1), "note": "changed"}
    first = {"date": datetime.date(2017, 12, 1), "note": "theirs"}
    outcome = merge_texts(version(base), version(ours), version([first, *base]), report_id="r")
    events = tomllib.loads(outcome.text)["recommendations"][0]["events"]
    assert not outcome.conflicts
    assert events[0] == {"date": datetime.date(2017, 12, 1), "note": "theirs"}
    assert len(events) == 20_000 and sum(e["note"] == "changed" for e in events) == 1
    assert sum(e["note"] == "same" for e in events) == 19_998
