"""`track report` with action plans and owners, as a new user met it: an owner is one row under
any of their names (case, track.toml's aliases) in the actions by lead and in --by owner; the
CSV's trend rows carry the actions done; plain and markdown say every status in full in the
movement table; an own choice field's groups follow its declared choices. Today is pinned to
2018-06-30 (conftest); every report is asked --as-of a fixed day."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import A, PEEL, Cli

Q1 = "hmic-2017-met-cp-q1"
R1 = f"{A}/R1"
R2 = f"{A}/R2"
AFI1 = f"{PEEL}/AFI1"
DAY = "2018-06-30"
FORMATS = ("plain", "json", "csv", "markdown", "html")


def declare(root: Path, text: str) -> None:
    with open(root / "track.toml", "a", encoding="utf-8") as settings:
        settings.write(text)


def csv_rows(text: str, kind: str, of: str | None = None) -> list[dict[str, str]]:
    return [r for r in csv.DictReader(io.StringIO(text)) if r["row"] == kind and (of is None or r["of"] == of)]


def plain_rows(text: str, heading: str) -> list[list[str]]:
    """The rows of the plain table under `heading` (its header line left out), cut at two spaces."""
    block = text[text.index(heading):].split("\n\n")[1]
    return [re.split(r"\s{2,}", line.strip()) for line in block.splitlines()[1:]]


def html_table(page: str, table_id: str) -> str:
    return page[page.index(f'<table id="{table_id}">'):].split("</table>")[0]


# --------------------------------------------------------------------------- 1. one lead, one row


@pytest.fixture
def aliased(met: Cli) -> Cli:
    """Head of Training, also known as Training Lead, leads two actions under three spellings;
    the Vetting Unit leads two under two spellings, declared nowhere."""
    declare(met.root, '\n[owners."Head of Training"]\naliases = ["Training Lead"]\n')
    met("action", "add", R2, "--text", "Write the course", "--owner", "Head of Training", "--due", "2017-03-31",
        "--date", "2017-01-15")
    met("action", "add", R2, "--text", "Train the teams", "--owner", "training lead", "--due", "2018-01-01",
        "--date", "2017-06-01")
    met("action", "done", f"{R2}/1", "--date", "2017-03-20")
    met("action", "add", AFI1, "--text", "Clear the backlog", "--owner", "Vetting Unit", "--due", "2018-06-25",
        "--date", "2018-01-05")
    met("action", "add", AFI1, "--text", "Audit the vetting files", "--owner", "VETTING UNIT", "--due", "2018-12-31",
        "--date", "2018-01-06")
    return met


LEADS = [("Head of Training", 2, 1, 1), ("Vetting Unit", 2, 0, 1)]  # key, total, done, overdue


def test_actions_by_lead_fold_aliases_and_case_in_every_format(aliased: Cli) -> None:
    data = aliased.json("report", "--as-of", DAY)
    assert [(r["key"], r["total"], r["done"], r["overdue"]) for r in data["actions"]["by_owner"]] == LEADS
    plain = aliased("report", "--as-of", DAY, "--format", "plain").stdout
    assert [r[:5] for r in plain_rows(plain, "Actions by lead")] == [
        ["Head of Training", "2", "1", "1", "1"], ["Vetting Unit", "2", "0", "2", "1"]]
    rows = csv_rows(aliased("report", "--as-of", DAY, "--format", "csv").stdout, "actions", "lead")
    assert [(r["key"], r["total"], r["done"]) for r in rows] == [("Head of Training", "2", "1"), ("Vetting Unit", "2", "0")]
    markdown = aliased("report", "--as-of", DAY, "--format", "markdown").stdout
    lead_table = markdown[markdown.index("#### Actions by lead"):].split("####")[1]
    assert "| Head of Training | 2 | 1 | 1 | 1 | 50% |" in lead_table
    assert "| Vetting Unit | 2 | 0 | 2 | 1 | 0% |" in lead_table
    assert lead_table.count("\n| ") == 4  # the heading, its rule, one row each
    table = html_table(aliased("report", "--as-of", DAY, "--format", "html").stdout, "actions-by-lead")
    assert table.count("<tr>") == 3 and ">Head of Training<" in table and ">Vetting Unit<" in table
    for fmt in FORMATS:  # the spellings that are not the declared name (or the first met) are nowhere
        out = aliased("report", "--as-of", DAY, "--format", fmt).stdout
        assert "training lead" not in out and "VETTING UNIT" not in out, fmt


def test_a_lead_named_only_by_an_alias_is_named_as_declared(met: Cli) -> None:
    declare(met.root, '\n[owners."Head of Training"]\naliases = ["Training Lead"]\n')
    met("action", "add", R2, "--text", "x", "--owner", "training lead", "--due", "2018-01-01", "--date", "2017-06-01")
    data = met.json("report", A, "--as-of", DAY)
    assert [(r["key"], r["total"]) for r in data["actions"]["by_owner"]] == [("Head of Training", 1)]
    rows = csv_rows(met("report", A, "--as-of", DAY, "--format", "csv").stdout, "actions", "lead")
    assert [r["key"] for r in rows] == ["Head of Training"]


def test_without_owners_declared_case_still_folds(met: Cli) -> None:
    met("action", "add", R2, "--text", "a", "--owner", "Head of Training", "--due", "2018-01-01", "--date", "2017-01-15")
    met("action", "add", R2, "--text", "b", "--owner", "head of training", "--due", "2018-01-01", "--date", "2017-01-16")
    met("action", "add", R2, "--text", "c", "--owner", "Head of Training and Development", "--due", "2018-01-01",
        "--date", "2017-01-17")
    data = met.json("report", "--as-of", DAY)
    assert [(r["key"], r["total"]) for r in data["actions"]["by_owner"]] == [  # never by part of a name
        ("Head of Training", 2), ("Head of Training and Development", 1)]


# --------------------------------------------------------------------------- 1b. report --by owner


@pytest.fixture
def renamed(met: Cli) -> Cli:
    """A/R2's owner became Director of Learning on 2017-04-01, which track.toml declares an alias
    of Head of Training; a new recommendation names its owner in lower case."""
    declare(met.root, '\n[owners."Head of Training"]\naliases = ["Director of Learning"]\n')
    met("add", A, "--ref", "R3", "--text", "Audit the training", "--owner", "head of training", "--due", "2018-12-31")
    return met


def test_report_by_owner_folds_aliases_and_case_in_every_format(renamed: Cli) -> None:
    data = renamed.json("report", "--by", "owner", "--as-of", DAY)
    keys = [g["key"] for g in data["groups"]]
    assert keys == ["Anti-Corruption Command", "Custody Command", "DCS Child Protection", "Head of Training",
                    "Professional Standards", "(none)"]
    assert next(g for g in data["groups"] if g["key"] == "Head of Training")["total"] == 2
    plain = renamed("report", "--by", "owner", "--as-of", DAY, "--format", "plain").stdout
    assert [line.split("  ")[0] for line in plain.splitlines() if line.lower().startswith(("head of", "director of"))] == [
        "Head of Training"]
    assert re.search(r"^Head of Training +2 ", plain, re.M)
    rows = csv_rows(renamed("report", "--by", "owner", "--as-of", DAY, "--format", "csv").stdout, "group")
    assert [r["key"] for r in rows] == keys and rows[3]["total"] == "2"
    markdown = renamed("report", "--by", "owner", "--as-of", DAY, "--format", "markdown").stdout
    assert re.search(r"^\| Head of Training \| 2 \|", markdown, re.M)
    assert not re.search(r"^\| (head of training|Director of Learning) \|", markdown, re.M)
    page = renamed("report", "--by", "owner", "--as-of", DAY, "--format", "html").stdout
    progress = html_table(page, "progress")
    assert progress.count(">Head of Training<") == 1
    assert ">Director of Learning<" not in progress and ">head of training<" not in progress
    period = renamed.json("report", "--by", "owner", "--since", "2017-01-01", "--until", DAY)["period"]
    assert [g["key"] for g in period["groups"]] == keys
    assert next(g for g in period["groups"] if g["key"] == "Head of Training")["issued"] == 0  # R3 issued with A, 2016


# --------------------------------------------------------------------------- 2. the CSV's trend rows


def test_csv_trend_rows_carry_the_actions_done(met: Cli) -> None:
    before = met("report", A, "--as-of", "2017-08-30", "--format", "csv").stdout
    assert "actions_done" not in before.splitlines()[0]  # no plan: no action columns
    met("action", "add", R2, "--text", "Write the course", "--owner", "Head of Training", "--due", "2017-03-31",
        "--date", "2017-01-15")
    met("action", "add", R2, "--text", "Train the teams", "--owner", "Head of Training", "--due", "2017-09-30",
        "--date", "2017-02-01")
    met("action", "add", R1, "--text", "Appoint the lead", "--owner", "DCS Child Protection", "--due", "2017-06-30",
        "--date", "2017-04-01")  # after Q1: in no point of the trend
    met("action", "done", f"{R2}/1", "--date", "2017-03-10")
    for scope in ([A], []):
        text = met("report", *scope, "--as-of", "2017-08-30", "--format", "csv").stdout
        trend = csv_rows(text, "trend")
        assert [(r["report"], r["actions_done"], r["actions_total"]) for r in trend] == [(A, "0", "0"), (Q1, "1", "2")], scope
        data = met.json("report", *scope, "--as-of", "2017-08-30")
        assert [(t["report"], str(t["actions_done"]), str(t["actions_total"])) for t in data["trend"]] == [
            (r["report"], r["actions_done"], r["actions_total"]) for r in trend]
        assert all(r["actions_done"] == "" for r in csv.DictReader(io.StringIO(text)) if r["row"] != "trend")
    plain = met("report", A, "--as-of", "2017-08-30", "--format", "plain").stdout
    assert re.search(r"^actions done +0/0 +1/2$", plain, re.M)


# --------------------------------------------------------------------------- 3. the movement in full


@pytest.fixture
def reported(cli: Cli, make_report: Any) -> Cli:
    make_report(A, published="2016-11-24")
    make_report(Q1, published="2017-03-15", kind="follow-up", follows=A)
    cli("add", A, "--ref", "R1", "--text", "Appoint a lead")
    cli("add", A, "--ref", "R2", "--text", "Train staff")
    cli("update", R1, "--status", "reported-complete", "--date", "2017-02-01")
    cli("update", R2, "--status", "partially-implemented", "--date", "2017-02-01")
    return cli


def test_plain_and_markdown_movement_say_each_status_in_full(reported: Cli) -> None:
    plain = reported("report", A, "--as-of", DAY, "--format", "plain").stdout
    assert plain_rows(plain, "Movement of each recommendation") == [
        [R1, "awaiting-response", "reported-complete", "1"], [R2, "awaiting-response", "partially-implemented", "1"]]
    markdown = reported("report", A, "--as-of", DAY, "--format", "markdown").stdout
    assert f"| {R1} | awaiting-response | reported-complete | 1 |" in markdown
    assert f"| {R2} | awaiting-response | partially-implemented | 1 |" in markdown
    rows = csv_rows(reported("report", A, "--as-of", DAY, "--format", "csv").stdout, "movement")
    assert [(r["key"], r["report"]) for r in rows] == [(R1, "awaiting-response; reported-complete"),
                                                       (R2, "awaiting-response; partially-implemented")]
    assert [m["statuses"] for m in reported.json("report", A, "--as-of", DAY)["movement"]] == [
        ["awaiting-response", "reported-complete"], ["awaiting-response", "partially-implemented"]]


# --------------------------------------------------------------------------- 4. a dropped choice


@pytest.fixture
def dropped(cli: Cli, make_report: Any) -> Cli:
    """risk: R1 high, R2 low, R3 medium, R4 none; then high is dropped from the choices."""
    declare(cli.root, '\n[fields.risk]\ntype = "choice"\nchoices = ["high", "medium", "low"]\n')
    make_report(A, published="2016-11-24")
    for ref, risk in (("R1", "high"), ("R2", "low"), ("R3", "medium"), ("R4", None)):
        cli("add", A, "--ref", ref, "--text", f"Do {ref}", *(["--set", f"risk={risk}"] if risk else []))
    settings = cli.root / "track.toml"
    settings.write_text(settings.read_text("utf-8").replace('["high", "medium", "low"]', '["medium", "low"]'), "utf-8")
    return cli


ORDER = ["medium", "low", "high", "(none)"]  # the choices declared, then a value no longer offered, then none


def test_groups_follow_the_choices_then_dropped_values_then_none_in_every_format(dropped: Cli) -> None:
    assert [g["key"] for g in dropped.json("report", "--by", "risk", "--as-of", DAY)["groups"]] == ORDER
    plain = dropped("report", "--by", "risk", "--as-of", DAY, "--format", "plain").stdout
    assert [line.split()[0] for line in plain.splitlines() if line.split()[:1] and line.split()[0] in ORDER] == ORDER
    rows = csv_rows(dropped("report", "--by", "risk", "--as-of", DAY, "--format", "csv").stdout, "group")
    assert [r["key"] for r in rows] == ORDER
    markdown = dropped("report", "--by", "risk", "--as-of", DAY, "--format", "markdown").stdout
    assert re.findall(r"^\| (medium|low|high|\(none\)) \| 1 \|", markdown, re.M) == ORDER
    progress = html_table(dropped("report", "--by", "risk", "--as-of", DAY, "--format", "html").stdout, "progress")
    assert re.findall(r'<td data-col="key">(medium|low|high|\(none\))</td>', progress) == ORDER
    period = dropped.json("report", "--by", "risk", "--since", "2016-01-01", "--until", DAY)["period"]
    assert [g["key"] for g in period["groups"]] == ORDER
