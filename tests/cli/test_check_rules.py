"""The rules `check` applies to a hand-edited file, and `import` to what it adds, as the commands
apply them: an action due before its report's publication, an event dated after today, a bad
`actions` cell named once, an import's own date field read with --day-first, a wrong field
declaration named alone, and the actions an import adds counted in its summary. Today is
pinned to 2018-06-30 (conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import A, Cli, take_snapshot

R2 = f"{A}/R2"
PATH = f"reports/{A}.toml"


def plan(met: Cli) -> None:
    met("action", "add", R2, "--text", "Write the risk training course", "--owner", "Head of Training",
        "--due", "2017-03-31", "--date", "2017-01-15")
    met("action", "update", f"{R2}/1", "--note", "Course drafted", "--date", "2017-02-10")


def edited(met: Cli, old: str, new: str) -> Path:
    path = met.root / PATH
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def at(path: Path, text: str) -> str:
    """LINE:COLUMN of `text` in the file."""
    return next(f"{i}:{line.index(text) + 1}" for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text in line)


def checked(met: Cli) -> list[str]:
    out = met("check", expect=1)
    return [line for line in (out.stdout + out.stderr).splitlines() if line.startswith("reports/")]


def import_edited(met: Cli, runner: Any, tmp_path: Path, old: str, new: str, fmt: str = "csv",
                  expect: int = 1) -> tuple[str, Path]:
    """Export `met`, edit its actions cell, import it into a fresh ledger."""
    exported = met("export", "--format", fmt).stdout
    assert exported.count(old) == 1, old
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"edited.{fmt}"
    path.write_text(exported.replace(old, new), "utf-8", newline="")
    target = tmp_path / "target"
    Cli(runner, None)("init", target)
    before = take_snapshot(target)
    out = Cli(runner, target)("import", path, "--create-reports", expect=expect)
    if expect:
        assert take_snapshot(target) == before
        assert "Traceback" not in out.stderr
    return out.stdout + out.stderr, target


# --------------------------------------------------------------------------- 1. due before publication


def test_check_refuses_an_action_due_before_its_reports_publication(met: Cli) -> None:
    plan(met)
    before = take_snapshot(met.root)
    refused = met("action", "add", R2, "--text", "Other", "--owner", "X", "--due", "2015-07-10",
                  "--date", "2017-01-15", expect=1)
    assert "2015-07-10 is before the report's publication (2016-11-24)" in refused.stderr
    assert take_snapshot(met.root) == before
    path = edited(met, "due = 2017-03-31", "due = 2015-07-10")
    assert checked(met) == [(f"{PATH}:{at(path, 'due = 2015-07-10')}: {R2}/1: due 2015-07-10 is before the "
                             "report's publication (2016-11-24)")]


def test_check_refuses_an_action_events_due_before_publication(met: Cli) -> None:
    plan(met)
    met("action", "update", f"{R2}/1", "--due", "2017-06-15", "--reason", "Trainers late", "--date", "2017-03-01")
    path = edited(met, "due = 2017-06-15", "due = 2015-07-10")
    assert checked(met) == [(f"{PATH}:{at(path, 'due = 2015-07-10')}: {R2}/1: due 2015-07-10 is before the "
                             "report's publication (2016-11-24)")]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_refuses_an_action_due_before_publication(met: Cli, runner: Any, tmp_path: Path, fmt: str) -> None:
    plan(met)
    old, new = ("due = 2017-03-31", "due = 2015-07-10") if fmt == "csv" else ('"due": "2017-03-31"', '"due": "2015-07-10"')
    out, _ = import_edited(met, runner, tmp_path, old, new, fmt)
    assert f"{R2}/1: due 2015-07-10 is before the report's publication (2016-11-24)" in out
    assert "column actions" in out or fmt == "json"
    assert "1 problem in" in out


def test_import_refuses_an_action_events_due_and_adding_before_publication(met: Cli, runner: Any, tmp_path: Path) -> None:
    plan(met)
    met("action", "update", f"{R2}/1", "--due", "2017-06-15", "--reason", "Trainers late", "--date", "2017-03-01")
    out, _ = import_edited(met, runner, tmp_path, "due = 2017-06-15", "due = 2015-07-10")
    assert f"{R2}/1: due 2015-07-10 is before the report's publication (2016-11-24)" in out
    out, _ = import_edited(met, runner, tmp_path / "b", "added = 2017-01-15", "added = 2015-01-15")
    assert f"{R2}/1: added 2015-01-15, before the report's publication (2016-11-24)" in out


def test_check_and_import_refuse_a_recommendations_due_before_publication(met: Cli, runner: Any, tmp_path: Path) -> None:
    """As add and update refuse it: the recommendation's own due date and an event's."""
    before = take_snapshot(met.root)
    refused = met("add", A, "--ref", "R9", "--text", "Early", "--due", "2015-07-10", expect=1)
    assert "--due 2015-07-10 is before the report's publication (2016-11-24)" in refused.stderr
    assert take_snapshot(met.root) == before
    path = edited(met, "due = 2017-05-31", "due = 2015-07-10")
    assert checked(met) == [(f"{PATH}:{at(path, 'due = 2015-07-10')}: {R2}: due 2015-07-10 is before the "
                             "report's publication (2016-11-24)")]
    edited(met, "due = 2015-07-10", "due = 2017-05-31")
    path = edited(met, "due = 2017-12-31", "due = 2015-12-31")  # R1's event that moved its due date
    assert checked(met) == [(f"{PATH}:{at(path, 'due = 2015-12-31')}: {A}/R1: due 2015-12-31 is before the "
                             "report's publication (2016-11-24)")]
    edited(met, "due = 2015-12-31", "due = 2017-12-31")
    exported = met("export", "--format", "csv").stdout
    assert exported.count(",2017-05-31,") == 1
    bad = tmp_path / "early.csv"
    bad.write_text(exported.replace(",2017-05-31,", ",2015-07-10,"), "utf-8", newline="")
    target = tmp_path / "target"
    Cli(runner, None)("init", target)
    before = take_snapshot(target)
    out = Cli(runner, target)("import", bad, "--create-reports", expect=1)
    assert "column due: 2015-07-10 is before the report's publication (2016-11-24)" in out.stderr  # import's own
    assert take_snapshot(target) == before


# --------------------------------------------------------------------------- 2. events after today


def test_check_names_events_dated_after_today(met: Cli) -> None:
    plan(met)
    path = edited(met, "date = 2017-02-10", "date = 2027-03-02")  # the action's event
    assert checked(met) == [(f"{PATH}:{at(path, 'date = 2027-03-02')}: {R2}/1: event of 2027-03-02 is after today (2018-06-30): "
                             "record an event once it has happened")]
    edited(met, "date = 2017-04-01\nstatus", "date = 2027-03-01\nstatus")  # R2's last event
    problems = checked(met)
    assert len(problems) == 2
    assert any(p.startswith(f"{PATH}:{at(path, 'date = 2027-03-01')}: ") and
               p.endswith(": event of 2027-03-01 is after today (2018-06-30): record an event once it has happened") for p in problems)
    # the same ledger is clean on a day after those events
    assert "no problems" in met("check", env={"TRACK_TODAY": "2027-03-02"}).stdout


def test_check_names_an_action_added_after_today(met: Cli) -> None:
    plan(met)
    met("action", "add", R2, "--text", "Train the teams", "--owner", "Director", "--due", "2018-12-31",
        "--date", "2017-03-01")
    path = edited(met, "added = 2017-03-01", "added = 2027-01-15")
    problems = checked(met)
    assert problems == [f"{PATH}:{at(path, 'added = 2027-01-15')}: {R2}/2: added 2027-01-15, after today (2018-06-30)"]


def test_import_refuses_an_action_event_or_adding_after_today(met: Cli, runner: Any, tmp_path: Path) -> None:
    plan(met)
    out, _ = import_edited(met, runner, tmp_path, "date = 2017-02-10", "date = 2027-03-02")
    assert f"{R2}/1: event of 2027-03-02 is after today (2018-06-30)" in out
    met("action", "add", R2, "--text", "Train the teams", "--owner", "Director", "--due", "2018-12-31",
        "--date", "2017-03-01")
    out, _ = import_edited(met, runner, tmp_path / "b", "added = 2017-03-01", "added = 2027-01-15")
    assert f"{R2}/2: added 2027-01-15, after today (2018-06-30)" in out


# --------------------------------------------------------------------------- 3. a bad actions cell, once


@pytest.mark.parametrize("old, new, wanted", [
    ("[[actions]]\nn = 1", "[[actions]\nn = 1", "not TOML text"),
    ("n = 1", "n = 'x'", "must be a whole number from 1"),
    ("date = 2017-02-10", "date = 2017-01-01", "comes before 2017-01-15"),
])
def test_a_bad_actions_cell_is_one_problem(met: Cli, runner: Any, tmp_path: Path, old: str, new: str, wanted: str) -> None:
    plan(met)
    out, _ = import_edited(met, runner, tmp_path, old, new)
    assert wanted in out
    assert "needs its text" not in out
    assert "1 problem in" in out


# --------------------------------------------------------------------------- 4. --day-first for an own date field


def test_an_ambiguous_own_date_in_an_import_hints_at_day_first(cli: Cli, make_report, tmp_path: Path) -> None:
    with open(cli.root / "track.toml", "a", encoding="utf-8") as settings:
        settings.write('\n[fields.review]\ntype = "date"\n')
    make_report(A)
    path = tmp_path / "rows.csv"
    path.write_text(f"report,ref,text,review\n{A},R1,Appoint a lead,10/08/2019\n", "utf-8")
    before = take_snapshot(cli.root)
    out = cli("import", path, expect=1)
    assert take_snapshot(cli.root) == before
    assert "import it with --day-first" in out.stderr
    assert "track.toml" not in out.stderr
    cli("import", path, "--day-first")
    assert cli.json("show", f"{A}/R1")["fields"]["review"] == "2019-08-10"


# --------------------------------------------------------------------------- 5. a wrong declaration, alone


@pytest.mark.parametrize("declaration, wanted", [
    ('type = "choise"\nchoices = ["high", "low"]', "fields.risk.type = 'choise'"),
    ('type = "choice"\nchoices = ["high", "high"]', "fields.risk"),
    ('type = "choice"\nchoices = ["high", "low"]\nlabel = ""', "fields.risk"),
])
def test_a_wrong_declaration_is_named_not_the_values_of_its_field(cli: Cli, make_report, declaration: str,
                                                                  wanted: str) -> None:
    settings = cli.root / "track.toml"
    original = settings.read_text("utf-8")
    settings.write_text(original + '\n[fields.risk]\ntype = "choice"\nchoices = ["high", "low"]\n', "utf-8")
    make_report(A)
    for ref in ("R1", "R2"):
        cli("add", A, "--ref", ref, "--text", f"Do {ref}", "--set", "risk=high")
    settings.write_text(original + f"\n[fields.risk]\n{declaration}\n", "utf-8")
    out = cli("check", expect=1)
    text = out.stdout + out.stderr
    assert "not declared" not in text
    problems = [line for line in text.splitlines() if line.startswith(("track.toml", "reports/"))]
    assert problems and all(p.startswith("track.toml:") for p in problems), text
    assert any(wanted in p for p in problems), text


# --------------------------------------------------------------------------- 6. the summary counts actions


def test_the_import_summary_counts_the_actions_it_adds(met: Cli, runner: Any, tmp_path: Path) -> None:
    plan(met)
    met("action", "add", R2, "--text", "Train the teams", "--owner", "Director", "--due", "2018-12-31",
        "--date", "2017-03-01")
    out, _ = import_edited(met, runner, tmp_path, "Course drafted", "Course drafted.", expect=0)
    assert out.splitlines()[-1].endswith(", 2 actions added")
    path = tmp_path / "again.csv"
    path.write_text(met("export", "--format", "csv").stdout, "utf-8", newline="")
    dry = Cli(runner, tmp_path / "fresh")
    Cli(runner, None)("init", tmp_path / "fresh")
    assert "2 actions" in dry("import", path, "--create-reports", "--dry-run").stdout
