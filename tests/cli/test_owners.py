"""`track owners`: every owner (declared in track.toml's [owners], or named by a
recommendation) with their address and counts as of a date, in every format; aliases and
Unicode forms counted for the one owner they name; bad [owners] settings refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import BOX_CHARS, Cli
from owners_support import SECURITE, build


@pytest.fixture
def owned(cli: Cli, ledger_path: Path) -> Cli:
    build(cli, ledger_path)
    return cli


EXPECTED = [
    {"owner": "DCS Public Protection", "email": None, "aliases": [], "open": 1, "overdue": 1, "due_soon": 0, "total": 1},
    {"owner": SECURITE, "email": "dls@example.org", "aliases": [], "open": 1, "overdue": 1, "due_soon": 0, "total": 1},
    {"owner": "Head of Estates", "email": "estates@example.org", "aliases": [], "open": 1, "overdue": 0, "due_soon": 0,
     "total": 1},
    {"owner": "Head of Training", "email": "hot@example.org", "aliases": ["Director of Learning"], "open": 2,
     "overdue": 2, "due_soon": 0, "total": 3},  # R1, R3 (the alias) open and overdue; R8 closed
    {"owner": "Head of Training and Development", "email": "hotd@example.org", "aliases": [], "open": 1, "overdue": 0,
     "due_soon": 1, "total": 1},
    {"owner": None, "email": None, "aliases": [], "open": 1, "overdue": 1, "due_soon": 0, "total": 1},
]
NO_ACTIONS = {"actions_open": 0, "actions_overdue": 0, "actions_due_soon": 0}
EXPECTED = [{**e, **NO_ACTIONS} for e in EXPECTED]


def test_owners_json_counts_each_owner_once_by_name_alias_and_normal_form(owned: Cli) -> None:
    assert owned.json("owners") == EXPECTED


def test_owners_plain(owned: Cli) -> None:
    assert owned("owners").stdout == (
        "OWNER                             EMAIL                OPEN  OVERDUE  DUE SOON  TOTAL  ALIASES\n"
        "DCS Public Protection                                     1        1         0      1\n"
        f"{SECURITE}         dls@example.org         1        1         0      1\n"
        "Head of Estates                   estates@example.org     1        0         0      1\n"
        "Head of Training                  hot@example.org         2        2         0      3  Director of Learning\n"
        "Head of Training and Development  hotd@example.org        1        0         1      1\n"
        "(no owner)                                                1        1         0      1\n")


def test_owners_csv_markdown_and_table(owned: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(owned("owners", "-f", "csv").stdout)))
    assert [r["owner"] for r in rows] == [e["owner"] or "" for e in EXPECTED]
    assert rows[3] == {"owner": "Head of Training", "email": "hot@example.org", "aliases": "Director of Learning",
                       "open": "2", "overdue": "2", "due_soon": "0", "total": "3", "actions_open": "0",
                       "actions_overdue": "0", "actions_due_soon": "0"}
    markdown = owned("owners", "-f", "markdown").stdout
    assert markdown.splitlines()[0].startswith("| OWNER | EMAIL |") and "| (no owner) |" in markdown
    table = owned("owners", "-f", "table", env={"COLUMNS": "120"}).stdout
    assert BOX_CHARS & set(table) and "Head of Training and Development" in table


def test_owners_as_of_and_within(owned: Cli) -> None:
    early = {r["owner"]: r for r in owned.json("owners", "--as-of", "2018-05-31")}
    assert early["Head of Training"]["overdue"] == 0 and early["Head of Training"]["open"] == 3
    assert early["Head of Training"]["due_soon"] == 2  # R1 (06-01) and R8 (06-03) within 14 days
    assert owned.json("owners", "--as-of", "2018-04-30") == [
        {**e, "open": 0, "overdue": 0, "due_soon": 0, "total": 0} for e in EXPECTED if e["email"]]
    wide = {r["owner"]: r for r in owned.json("owners", "--within", "1 year")}
    assert wide["Head of Estates"]["due_soon"] == 1


def test_owners_of_an_empty_ledger(cli: Cli) -> None:
    assert cli.json("owners") == []
    assert json.loads(cli("owners", "-f", "json").stdout) == []


def test_bad_owners_are_refused_by_owners_and_shown_by_check(cli: Cli, ledger_path: Path) -> None:
    build(cli, ledger_path, owners={"Head of Training": {"email": "hot@example.org", "aliases": [3]}})
    result = cli("owners", expect=1)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("track: track.toml:") and "aliases = that array must be an array of names" in result.stderr
    line = int(result.stderr.split(":")[2])
    assert (ledger_path / "track.toml").read_text("utf-8").splitlines()[line - 1].startswith("aliases")
    assert f"track.toml:{line}:1: " in cli("check", expect=1).stdout


def test_list_owner_keeps_its_search_by_part_of_a_name(owned: Cli) -> None:
    assert len(owned.ids("--owner", "Head")) == 4  # R1, R2, R5, R8: three owners
    assert "contains" in owned("list", "--help").stdout


def test_owners_count_the_open_actions_each_leads_on_open_recommendations(owned: Cli) -> None:
    """An action counts for its own lead (an alias counts for the owner it names), whoever owns
    its recommendation; done actions, and those of a closed recommendation, do not; the tables
    show an ACTIONS column only once someone leads an open action."""
    assert "ACTIONS" not in owned("owners").stdout
    rec = "hmic-2018-training"
    owned("action", "add", f"{rec}/R5", "--text", "Survey the estate", "--owner", "Director of Learning",
          "--due", "2018-06-20", "--date", "2018-05-10")  # overdue on 2018-06-30, led by Head of Training
    owned("action", "add", f"{rec}/R5", "--text", "Cost the repairs", "--owner", "Head of Estates",
          "--due", "2018-07-10", "--date", "2018-05-10")  # due soon
    owned("action", "add", f"{rec}/R1", "--text", "Book the trainers", "--owner", "Head of Estates",
          "--due", "2018-06-01", "--date", "2018-05-10")
    owned("action", "done", f"{rec}/R1/1", "--date", "2018-05-20")  # done: not counted
    owned("action", "add", f"{rec}/R8", "--text", "Check the closure", "--owner", "Head of Estates",
          "--due", "2018-06-01", "--date", "2018-05-10")  # R8 is closed: not counted
    counts = {r["owner"]: r for r in owned.json("owners")}
    assert {k: counts["Head of Training"][k] for k in NO_ACTIONS} == {
        "actions_open": 1, "actions_overdue": 1, "actions_due_soon": 0}
    assert {k: counts["Head of Estates"][k] for k in NO_ACTIONS} == {
        "actions_open": 1, "actions_overdue": 0, "actions_due_soon": 1}
    assert counts["Head of Estates"]["open"] == 1  # its own recommendation, as before
    early = {r["owner"]: r for r in owned.json("owners", "--as-of", "2018-05-09")}  # before the plan existed
    assert all(early[o]["actions_open"] == 0 for o in early)
    plain = owned("owners").stdout.splitlines()
    assert plain[0].split()[-2:] == ["ACTIONS", "ALIASES"]
    assert "1, 1 overdue" in [line for line in plain if line.startswith("Head of Training ")][0]
