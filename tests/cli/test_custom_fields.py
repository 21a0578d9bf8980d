"""A ledger's own fields (track.toml [fields.NAME]): declared, set with add --set, amended with
edit --set/--unset (so that --as-of before the amendment shows the old value), validated by
check and on entry, shown by show, listed and filtered by list (--columns, --where), grouped
by report --by, carried by export and import, and offered by completion. Today is pinned to
2018-06-30 (conftest); every view is asked --as-of a fixed day."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, take_snapshot

A = "hmic-2016-met-cp"
FIELDS = """
[fields.risk]
type = "choice"
choices = ["high", "medium", "low"]
label = "Risk rating"

[fields.committee]
type = "text"

[fields.score]
type = "number"

[fields.review]
type = "date"
"""
BEFORE = "2018-02-28"  # before R1's risk was re-rated (2018-03-01)
AFTER = "2018-06-30"


def declare(root: Path, text: str = FIELDS) -> None:
    with open(root / "track.toml", "a", encoding="utf-8") as settings:
        settings.write(text)


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "reports").iterdir())}


@pytest.fixture
def rated(cli: Cli, make_report) -> Cli:
    """R1 high risk (re-rated low on 2018-03-01, its score cleared), R2 low with a review date,
    R3 with no fields at all."""
    declare(cli.root)
    make_report(A, published="2016-11-24")
    cli("add", A, "--ref", "R1", "--text", "Appoint a lead", "--owner", "Head of Audit", "--set", "risk=HIGH",
        "--set", "committee=Audit", "--set", "score=3")
    cli("add", A, "--ref", "R2", "--text", "Train staff", "--set", "Risk rating=low", "--set", "review=September 2018")
    cli("add", A, "--ref", "R3", "--text", "Review cases")
    cli("edit", "R1", "--set", "risk=low", "--unset", "score", "--reason", "Re-rated by the audit committee",
        "--date", "2018-03-01")
    return cli


# --------------------------------------------------------------------------- the file


def test_values_are_kept_typed_in_a_fields_table(rated: Cli) -> None:
    text = (rated.root / "reports" / f"{A}.toml").read_text("utf-8")
    assert '[recommendations.fields]\ncommittee = "Audit"\nrisk = "low"\n' in text
    assert '[recommendations.fields]\nreview = 2018-09-30\nrisk = "low"\n' in text  # a month alone: its last day
    assert "[recommendations.events.old.fields]\ncommittee = \"Audit\"\nrisk = \"high\"\nscore = 3\n" in text
    assert "[recommendations.events.new.fields]\ncommittee = \"Audit\"\nrisk = \"low\"\n" in text
    assert rated("check").stdout == "ok: 1 report, 3 recommendations, no problems\n"


def test_edit_says_what_it_amended(rated: Cli) -> None:
    done = rated("edit", "R2", "--set", "committee=Board", "--set", "risk=medium", "--reason", "x")
    assert done.stdout == f"{A}/R2: amended risk low → medium; committee (none) → Board (2018-06-30)\n"


# --------------------------------------------------------------------------- show


def test_show_before_and_after_the_amendment(rated: Cli) -> None:
    before = rated("show", "R1", "--as-of", BEFORE, "--format", "plain").stdout
    assert "  Risk rating   high\n  committee     Audit\n  score         3\n" in before
    after = rated("show", "R1", "--as-of", AFTER, "--format", "plain").stdout
    assert "  Risk rating   low\n  committee     Audit\n\nHistory" in after
    assert "  2018-03-01  amended risk high → low; score 3 → (none) (reason: Re-rated by the audit committee)\n" in after
    md = rated("show", "R1", "--as-of", BEFORE, "--format", "markdown").stdout
    assert "- **Risk rating**: high\n- **committee**: Audit\n- **score**: 3\n" in md
    table = rated("show", "R1", "--as-of", BEFORE, "--format", "table").stdout
    assert "Risk rating" in table and "high" in table


def test_show_json_carries_fields_and_the_amended_values(rated: Cli) -> None:
    before = rated.json("show", "R1", "--as-of", BEFORE)
    assert before["fields"] == {"risk": "high", "committee": "Audit", "score": 3, "review": None}
    after = rated.json("show", "R1", "--as-of", AFTER)
    assert after["fields"] == {"risk": "low", "committee": "Audit", "score": None, "review": None}
    assert after["events"][-1]["amended"] == {"risk": {"old": "high", "new": "low"}, "score": {"old": 3, "new": None}}
    assert rated.json("show", "R2", "--as-of", AFTER)["fields"]["review"] == "2018-09-30"
    csv_rows = rated("show", "R1", "--as-of", AFTER, "--format", "csv").stdout
    assert "risk: high → low; score: 3 → (none)" in csv_rows


def test_a_ledger_without_fields_shows_and_lists_as_before(cli: Cli, make_report) -> None:
    make_report(A)
    cli("add", A, "--ref", "R1", "--text", "x")
    assert "fields" not in cli.json("show", "R1", "--as-of", AFTER)
    assert "fields" not in cli.json("list", "--as-of", AFTER)[0]


# --------------------------------------------------------------------------- list


def test_where_filters_as_it_stood(rated: Cli) -> None:
    assert rated.ids("--where", "risk=high", "--as-of", BEFORE) == [f"{A}/R1"]
    assert rated.ids("--where", "risk=high", "--as-of", AFTER) == []
    assert rated.ids("--where", "RISK=Low", "--as-of", AFTER) == [f"{A}/R1", f"{A}/R2"]
    assert rated.ids("--where", "risk=low", "--where", "committee=audit", "--as-of", AFTER) == [f"{A}/R1"]  # all must hold
    assert rated.ids("--where", "risk=", "--as-of", AFTER) == [f"{A}/R3"]  # those without one
    assert rated.ids("--where", "score>=3", "--as-of", BEFORE) == [f"{A}/R1"]
    assert rated.ids("--where", "score>=3", "--as-of", AFTER) == []
    assert rated.ids("--where", "review<=2018-12-31", "--as-of", AFTER) == [f"{A}/R2"]
    assert rated.ids("--where", "owner=head of audit", "--where", "risk=low", "--as-of", AFTER) == [f"{A}/R1"]
    assert rated.ids("--where", "status=awaiting-response", "--where", "ref=R3", "--as-of", AFTER) == [f"{A}/R3"]
    plain = rated("list", "--where", "risk=high", "--as-of", BEFORE, "--format", "plain").stdout
    assert plain.splitlines()[1].startswith(f"{A}/R1")


@pytest.mark.parametrize("where, message", [
    ("rsk=high", "track: --where: unknown field 'rsk'; did you mean risk?\n"),
    ("risk=extreme", "track: --where risk: 'extreme' is not one of high, medium, low\n"),
    ("risk>=high", "track: --where risk>=: >= compares numbers and dates; risk is choice\n"),
    ("score=lots", "track: --where score: 'lots' is not a number\n"),
    ("risk", "track: --where 'risk': give NAME=VALUE, such as risk=high or owner=\"Head of Audit\"\n"),
])
def test_a_bad_where_is_a_usage_error(rated: Cli, where: str, message: str) -> None:
    done = rated("list", "--where", where, "--as-of", AFTER, expect=2)
    assert done.stderr == message and done.stdout == ""


def test_list_json_and_csv_carry_the_fields(rated: Cli) -> None:
    rows = rated.json("list", "--as-of", BEFORE)
    assert [r["fields"] for r in rows] == [
        {"risk": "high", "committee": "Audit", "score": 3, "review": None},
        {"risk": "low", "committee": None, "score": None, "review": "2018-09-30"},
        {"risk": None, "committee": None, "score": None, "review": None}]
    lines = rated("list", "--as-of", BEFORE, "--format", "csv").stdout.splitlines()
    assert lines[0].endswith(",due_moves,risk,committee,score,review")
    assert lines[1].endswith(",0,high,Audit,3,") and lines[2].endswith(",0,low,,,2018-09-30")


def test_columns_in_every_format(rated: Cli) -> None:
    args = ("list", "--columns", "id,risk,score,Risk rating,review", "--as-of", BEFORE)  # by key or label, once each
    assert rated.json(*args) == [
        {"id": f"{A}/R1", "risk": "high", "score": 3, "review": None},
        {"id": f"{A}/R2", "risk": "low", "score": None, "review": "2018-09-30"},
        {"id": f"{A}/R3", "risk": None, "score": None, "review": None}]
    assert rated(*args, "--format", "csv").stdout == (
        f"id,risk,score,review\n{A}/R1,high,3,\n{A}/R2,low,,2018-09-30\n{A}/R3,,,\n")
    assert rated(*args, "--format", "plain").stdout == (
        "ID                   Risk rating  score  review\n"
        f"{A}/R1  high             3\n"
        f"{A}/R2  low                 2018-09-30\n"
        f"{A}/R3\n")
    assert rated(*args, "--format", "markdown").stdout.splitlines()[:3] == [
        "| ID | Risk rating | score | review |", "| --- | --- | ---: | --- |", f"| {A}/R1 | high | 3 |  |"]
    table = rated(*args, "--format", "table").stdout
    assert "Risk rating" in table and "2018-09-30" in table


def test_an_unknown_column_names_the_own_fields(rated: Cli) -> None:
    done = rated("list", "--columns", "id,colour", expect=2)
    assert done.stderr.startswith("track: --columns: unknown column 'colour'; use any of id, report,")
    assert done.stderr.endswith(", due_moves, actions, actions_done, actions_total, actions_overdue, ready, risk, committee, score, review (or age, moves)\n")


# --------------------------------------------------------------------------- report --by


def test_report_by_an_own_field_in_every_format(rated: Cli) -> None:
    before = rated("report", "--by", "risk", "--as-of", BEFORE, "--format", "plain").stdout
    assert "RISK RATING  TOTAL" in before
    groups = [line.split()[:2] for line in before.splitlines() if line.startswith(("high ", "low ", "(none) ", "medium "))]
    assert groups == [["high", "1"], ["low", "1"], ["(none)", "1"]]  # in the order of the choices, none last
    data = rated.json("report", "--by", "Risk rating", "--as-of", AFTER)
    assert data["by"] == "risk" and data["by_label"] == "Risk rating"
    assert [(g["key"], g["total"]) for g in data["groups"]] == [("low", 2), ("(none)", 1)]
    csv_text = rated("report", "--by", "risk", "--as-of", AFTER, "--format", "csv").stdout
    assert "\ngroup,,,,,low,2," in csv_text and "\ngroup,,,,,(none),1," in csv_text
    md = rated("report", "--by", "risk", "--as-of", AFTER, "--format", "markdown").stdout
    assert "| RISK RATING | TOTAL |" in md and "| low | 2 |" in md
    html = rated("report", "--by", "risk", "--as-of", AFTER, "--format", "html").stdout
    assert "<h2>Progress by Risk rating</h2>" in html and "<th>RISK RATING</th>" in html
    by_score = rated.json("report", "--by", "score", "--as-of", BEFORE)
    assert [(g["key"], g["total"]) for g in by_score["groups"]] == [("3", 1), ("(none)", 2)]


def test_report_by_an_unknown_field(rated: Cli) -> None:
    done = rated("report", "--by", "colour", expect=2)
    assert done.stderr == ("track: unknown --by 'colour': use one of status, kind, owner, tag, report, subject, "
                           "response, risk, committee, score, review\n")


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("args, message", [
    (["add", A, "--ref", "R9", "--text", "x", "--set", "risk=extreme"],
     "track: --set risk: 'extreme' is not one of high, medium, low\n"),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "rsk=high"], "track: unknown field 'rsk'; did you mean risk?\n"),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "score=nan"], "track: --set score: 'nan' is not a finite number\n"),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "score=inf"], "track: --set score: 'inf' is not a finite number\n"),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "review=soon"], None),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "committee=a\x1bb"],
     "track: --set committee holds a control character ('\\x1b'): remove it\n"),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "risk"], "track: --set 'risk': give NAME=VALUE, such as risk=high\n"),
    (["add", A, "--ref", "R9", "--text", "x", "--set", "risk=high", "--set", "risk=low"],
     "track: --set risk is given twice\n"),
    (["edit", "R3", "--unset", "risk", "--reason", "x"], "track: a/R3 has no risk to unset\n"),
    (["edit", "R1", "--set", "risk=high", "--unset", "risk", "--reason", "x"],
     "track: --set and --unset both name risk: give one\n"),
    (["edit", "R1", "--set", "risk=low", "--reason", "x"], None),  # the value it has: nothing to amend
])
def test_a_bad_value_writes_nothing(rated: Cli, args: list[str], message: str | None) -> None:
    before = files(rated.root)
    done = rated(*args, expect=None)
    assert done.exit_code in (1, 2), done
    assert files(rated.root) == before
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    if message is not None:
        assert done.stderr == message.replace("a/R3", f"{A}/R3")


def test_fields_need_a_declaration(cli: Cli, make_report) -> None:
    make_report(A)
    before = take_snapshot(cli.root)
    done = cli("add", A, "--ref", "R1", "--text", "x", "--set", "risk=high", expect=2)
    assert take_snapshot(cli.root) == before
    assert done.stderr == "track: unknown field 'risk' (track.toml declares none: add [fields.NAME])\n"


# --------------------------------------------------------------------------- check


@pytest.mark.parametrize("declaration, message", [
    ('[fields.risk]\ntype = "colour"\n', "track.toml:2:1: fields.risk.type = 'colour': use one of choice, text, number, date"),
    ('[fields.risk]\ntype = "choice"\n', "track.toml:1:1: fields.risk.choices must be a non-empty array of words, such as "
                                        "[\"high\", \"medium\", \"low\"]"),
    ('[fields.risk]\ntype = "choice"\nchoices = ["high", "HIGH"]\n',
     "track.toml:3:1: fields.risk.choices names 'HIGH' twice (choices are matched whatever their case)"),
    ('[fields.status]\ntype = "text"\n', "track.toml:1:1: fields.status: 'status' is one of track's own fields; give yours "
                                         "another name (and a label, if you like, for its column)"),
    ('[fields.Risk]\ntype = "text"\n', "track.toml:1:1: fields.Risk: a field's name must be lower-case letters, digits, '_' "
                                       "or '-', starting with a letter (at most 40), such as risk or committee"),
    ('[fields.risk]\ntype = "text"\ncolour = "red"\n', "track.toml:3:1: unknown key 'fields.risk.colour' (a field has type, "
                                                       "choices and label)"),
    ('[fields.risk]\ntype = "text"\nchoices = ["a"]\n', "track.toml:3:1: fields.risk.choices: only a choice field has "
                                                        "choices (this one is text)"),
])
def test_a_bad_declaration_is_named_where_it_stands(cli: Cli, declaration: str, message: str) -> None:
    settings = cli.root / "track.toml"
    lines = len(settings.read_text("utf-8").splitlines())
    declare(cli.root, declaration)
    line, _, rest = message.partition(":")[2].partition(":")
    expected = f"track.toml:{int(line) + lines}:{rest}"
    checked = cli("check", expect=1)
    assert expected in checked.stdout
    done = cli("list", "--as-of", AFTER, expect=1)  # every command that reads the fields refuses them
    assert done.stderr == f"track: {expected}\n"


def test_check_names_undeclared_values_and_values_that_no_longer_fit(rated: Cli) -> None:
    settings = rated.root / "track.toml"
    settings.write_text(settings.read_text("utf-8").replace('choices = ["high", "medium", "low"]',
                                                            'choices = ["high", "medium"]'), "utf-8")
    path = rated.root / "reports" / f"{A}.toml"
    path.write_text(path.read_text("utf-8").replace('[recommendations.fields]\nreview',
                                                    '[recommendations.fields]\nbcu = "North"\nreview'), "utf-8")
    checked = rated("check", expect=1).stdout
    lines = path.read_text("utf-8").splitlines()
    r1 = lines.index('risk = "low"') + 1
    bcu = lines.index('bcu = "North"') + 1
    assert f"reports/{A}.toml:{r1}:1: {A}/R1: risk = 'low' is not one of high, medium" in checked
    assert f"reports/{A}.toml:{bcu}:1: {A}/R2: field 'bcu' is not declared in track.toml ([fields.bcu]; kept as it is)" in checked
    rated("edit", "R3", "--text", "Review every case", "--reason", "x")  # kept as it is when the file is rewritten
    assert 'bcu = "North"' in path.read_text("utf-8")


# --------------------------------------------------------------------------- export and import


def test_export_names_the_columns_by_label_and_import_reads_them(rated: Cli, tmp_path: Path, runner) -> None:
    exported = rated("export", "--format", "csv").stdout
    header = exported.splitlines()[0]
    assert header.endswith(",report_extra,actions,Risk rating,committee,score,review")
    doc = json.loads(rated("export").stdout)
    r1 = doc["reports"][0]["recommendations"][0]
    assert r1["fields"] == {"risk": "low", "committee": "Audit"}
    assert "fields" not in doc["reports"][0]["recommendations"][2]  # R3 has none
    for fmt, text in (("csv", exported), ("json", rated("export").stdout)):
        target = Cli(runner, tmp_path / f"target-{fmt}")
        Cli(runner, None)("init", target.root)
        declare(target.root)
        (tmp_path / f"x.{fmt}").write_text(text, "utf-8")
        target("import", tmp_path / f"x.{fmt}", "--create-reports")
        assert files(target.root) == files(rated.root)
        assert target.json("show", "R1", "--as-of", BEFORE)["fields"]["risk"] == "high"


def test_import_takes_a_risk_rating_column_whatever_its_case(rated: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"Report,Ref,Recommendation,RISK RATING,Score\n{A},R7,Vet staff,Medium,2.5\n", "utf-8")
    rated("import", sheet)
    assert rated.json("show", "R7", "--as-of", AFTER)["fields"] == {"risk": "medium", "committee": None, "score": 2.5,
                                                                    "review": None}
    bad = tmp_path / "bad.csv"
    bad.write_text(f"report,ref,text,Risk rating\n{A},R8,x,extreme\n", "utf-8")
    before = files(rated.root)
    done = rated("import", bad, expect=1)
    assert done.stderr.splitlines()[0] == f"track: {bad}:2: column Risk rating: risk: 'extreme' is not one of high, medium, low"
    assert files(rated.root) == before
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(f"report,ref,text,Colour\n{A},R8,x,red\n", "utf-8")
    message = rated("import", unknown, expect=1).stderr.splitlines()[0]
    assert files(rated.root) == before
    assert message.endswith(", or one of the ledger's own fields (Risk rating, committee, score, review) "
                            "(see README: Import and export)")


# --------------------------------------------------------------------------- completion


TRACK = Path(sys.executable).with_name("track")


def complete(line: str, ledger: Path) -> list[str]:
    """What bash completion answers for `line` (its last word is the one being completed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMP_") and not k.endswith("_COMPLETE")}
    words = shlex.split(line)
    cword = len(words) if line.endswith(" ") else len(words) - 1
    env.update(_TRACK_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(cword), TRACK_LEDGER=str(ledger))
    done = subprocess.run([str(TRACK)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done
    return done.stdout[:-1].split("\n") if done.stdout.strip() else []


def test_completion_offers_the_fields_and_their_choices(rated: Cli) -> None:
    root = rated.root
    assert complete("track add x --set ", root) == ["risk=", "committee=", "score=", "review="]
    assert complete("track edit x --set risk=", root) == ["risk=high", "risk=medium", "risk=low"]
    assert complete("track edit x --unset ", root) == ["risk", "committee", "score", "review"]
    assert complete("track list --where ri", root) == ["risk="]
    assert complete("track list --where ow", root) == ["owner="]
    assert complete("track list --columns id,ri", root) == ["id,risk"]
    assert complete("track report --by ", root)[-4:] == ["risk", "committee", "score", "review"]


def test_history_names_each_field_amended(rated: Cli) -> None:
    plain = rated("history", "R1", "--format", "plain").stdout
    assert "amended risk high → low; score 3 → (none) (reason: Re-rated by the audit committee)" in plain
    events = rated.json("history", "R1")
    assert events[-1]["amended"] == {"risk": {"old": "high", "new": "low"}, "score": {"old": 3, "new": None}}
    assert "risk: high → low; score: 3 → (none)" in rated("history", "R1", "--format", "csv").stdout


# --------------------------------------------------------------------------- the index


VIEWS = [
    ["list", "--where", "risk=high", "--as-of", BEFORE, "--format", "json"],
    ["list", "--where", "review<=2018-12-31", "--columns", "id,risk,review,score", "--as-of", AFTER, "--format", "csv"],
    ["list", "--as-of", BEFORE, "--format", "csv"],
    ["show", "R1", "--as-of", BEFORE, "--format", "json"],
    ["report", "--by", "risk", "--as-of", BEFORE, "--format", "json"],
    ["report", "--by", "review", "--as-of", AFTER, "--format", "plain"],
    ["history", "R1", "--format", "json"],
    ["export"], ["export", "--format", "csv"], ["check"],
]


def test_the_index_gives_what_the_files_give(rated: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index (cache VERSION 13 on) keeps each recommendation's own fields: read from it, every
    view is what reading the files gives."""
    from track import Ledger
    from track.store import cache

    rated("list")  # builds the index
    shard = cache.read_shard(rated.root, A)
    assert shard is not None and [rec[14] for rec in shard[5]] == [
        {"committee": "Audit", "risk": "low"}, {"review": (736967,), "risk": "low"}, None]
    from_index = [rated(*argv).stdout for argv in VIEWS]
    monkeypatch.setattr(Ledger, "use_cache", False)
    assert [rated(*argv).stdout for argv in VIEWS] == from_index
