"""`track import` and `track export`: round trips byte for byte, all-or-nothing imports with
the line, column and value of each problem, spreadsheets' CSV, --dry-run, and undo."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from conftest import PEEL, A, Cli
from hypothesis import example, given
from hypothesis import strategies as st

from track.cli.app import app
from track.domain import model
from track.domain.dates import Duration
from track.domain.model import Action, ActionEvent, Event, Followup, Recommendation, Report
from track.exchange.export import COLUMNS
from track.store import disk, reportfile

DATA = Path(__file__).resolve().parents[2] / "data" / "met-police"


def report_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "reports").glob("*.toml"))}


def fresh(runner, tmp_path: Path, name: str) -> Cli:
    Cli(runner, None)("init", tmp_path / name)
    return Cli(runner, tmp_path / name)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_example_ledger_survives_export_and_import_byte_for_byte(runner, tmp_path: Path, fmt: str) -> None:
    source = Cli(runner, DATA)
    exported = source("export", "--format", fmt, env={"TRACK_TODAY": "2026-11-25"}).stdout
    (tmp_path / f"met.{fmt}").write_text(exported, "utf-8")
    target = fresh(runner, tmp_path, "copy")
    result = target("import", tmp_path / f"met.{fmt}", "--create-reports", env={"TRACK_TODAY": "2026-11-25"})
    assert result.stdout == f"imported {tmp_path / f'met.{fmt}'}: 13 reports, 37 recommendations, 76 events added\n"
    assert report_files(target.root) == report_files(DATA)
    # and the copy exports the same text again
    assert target("export", "--format", fmt).stdout.replace('"ledger": "copy"', '"ledger": "met-police"') == exported


def test_importing_an_export_again_adds_nothing(met: Cli, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(met("export").stdout, "utf-8")
    (tmp_path / "x.csv").write_text(met("export", "-f", "csv").stdout, "utf-8")
    before = report_files(met.root)
    for name in ("x.json", "x.csv"):
        result = met("import", tmp_path / name, "--create-reports")
        assert result.stdout.endswith(": nothing new; 9 events already recorded\n")
    assert report_files(met.root) == before


def test_export_as_of_holds_what_was_known_then(met: Cli) -> None:
    doc = json.loads(met("export", "--as-of", "2017-01-31").stdout)
    assert doc["format"] == "track-export" and doc["version"] == 1 and doc["as_of"] == "2017-01-31"
    assert [r["id"] for r in doc["reports"]] == [A]  # the others came later
    r1 = next(r for r in doc["reports"][0]["recommendations"] if r["ref"] == "R1")
    assert [e["date"] for e in r1["events"]] == ["2017-01-10"]
    assert set(r1) == {"ref", "kind", "text", "answers", "owner", "tags", "priority", "due", "entered", "evidence",
                       "related", "extra", "events"}
    assert r1["answers"] == f"{A}/C1" and r1["tags"] == ["governance", "safeguarding"]
    one = json.loads(met("export", "--report", PEEL).stdout)
    assert [r["id"] for r in one["reports"]] == [PEEL]


# A valid ledger of any shape: text with quotes, commas, semicolons, '=' signs, new lines, tabs,
# spaces at the ends, non-BMP characters and line separators; links only to what exists; every
# rule of `check` kept. Dates up to the pinned today (2018-06-30).
PIECES = ['"', "'", "\\", '"""', ",", ";", "=", "+", "-", "@", "'=", " ", "\t", "é", "😀", "\u2028", "\ufeff", "#", "[x]", "{ a = 1 }",
          "a; b", " x ", "x=1", "null", "\u00a0"]
line_chars = st.characters(blacklist_categories=("Cs", "Cc"))
one_line = st.lists(st.one_of(st.sampled_from(PIECES), st.text(line_chars, max_size=5)), min_size=1, max_size=4) \
    .map("".join).filter(lambda s: s.strip() != "")
many_lines = st.lists(st.one_of(st.sampled_from([*PIECES, "\n", "\n\n"]), st.text(line_chars, max_size=5)),
                      min_size=1, max_size=5).map("".join).filter(lambda s: s.strip() != "")
TODAY = date(2018, 6, 30)
days = st.dates(date(1990, 1, 1), TODAY)
durations = st.builds(Duration, st.integers(1, 999), st.sampled_from(["days", "weeks"])) | st.builds(
    Duration, st.integers(1, 100), st.sampled_from(["months", "years"]))  # at most 100 years, as a ledger takes
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
report_ids = st.builds(str.__add__, st.sampled_from(ALNUM), st.text(ALNUM + "_-", max_size=20))
refs = st.builds(str.__add__, st.sampled_from(ALNUM), st.text(ALNUM + "._-", max_size=8))
extras = st.dictionaries(
    st.builds(str.__add__, st.just("x_"), st.text("abcdefghij", min_size=1, max_size=6)),
    st.recursive(st.one_of(st.text(line_chars, max_size=8), st.integers(-(2**63), 2**63 - 1), st.booleans(), days,
                           st.floats(allow_nan=False)),
                 lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text("xyz", min_size=1, max_size=3), inner, max_size=2),
                 max_leaves=4),
    max_size=2,
)


def opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


# The ledger's own fields (track.toml [fields]) of the ledgers below, and values that fit them;
# a hand-kept value of a field it does not declare rides along.
FIELDS_TOML = """
[fields.risk]
type = "choice"
choices = ["high", "Medium", "low"]
label = "Risk rating"

[fields.committee]
type = "text"

[fields.score]
type = "number"

[fields.review]
type = "date"
label = "Review by"
"""
own_values = st.fixed_dictionaries({}, optional={
    "risk": st.sampled_from(["high", "Medium", "low"]),
    "committee": one_line,
    "score": st.integers(-(10**12), 10**12) | st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    "review": days,
    "x_undeclared": one_line | st.integers(0, 9) | days,
})


@st.composite
def action_plans(draw: st.DrawFn, published: date) -> list[Action]:
    """A valid action plan: numbers rising (gaps allowed: numbers are never reused), each added
    on or after publication, its events in date order after that, done and reopened in turn,
    a moved due date with its reason."""
    plan = []
    n = 0
    for _ in range(draw(st.integers(0, 3))):
        n += draw(st.integers(1, 3))
        added = draw(st.dates(published, TODAY))
        action = Action(n=n, text=draw(many_lines), owner=draw(opt(one_line)), due=draw(opt(st.dates(published, date(2030, 1, 1)))),
                        added=added, recorded=draw(opt(days)), recorded_by=draw(opt(one_line)), extra=draw(extras))
        done = False
        for when in sorted(draw(st.lists(st.dates(added, TODAY), max_size=3))):
            flip = draw(st.booleans())
            due = draw(opt(st.dates(published, date(2030, 1, 1))))
            event = ActionEvent(date=when, done=(not done) if flip else None, due=due,
                                reason=draw(many_lines) if due is not None else None, owner=draw(opt(one_line)),
                                note=draw(opt(many_lines)), source=draw(opt(one_line)),
                                evidence=draw(st.lists(one_line, max_size=2)), recorded=draw(opt(days)),
                                recorded_by=draw(opt(one_line)), extra=draw(extras))
            if flip:
                done = not done
            if not event.changes() and event.note is None:
                event.note = "noted"
            action.events.append(event)
        plan.append(action)
    return plan


@st.composite
def ledgers(draw: st.DrawFn) -> list[Report]:
    ids = draw(st.lists(report_ids, min_size=1, max_size=3, unique_by=str.lower))
    reports: list[Report] = []
    rec_ids: list[str] = []
    causes: list[str] = []
    for report_id in ids:
        published = draw(days)
        earlier = [r.id for r in reports if r.published <= published]
        followup = draw(opt(st.builds(Followup, every=durations, start=opt(days), until=opt(days), extra=extras)))
        report = Report(
            id=report_id, title=draw(one_line), by=draw(one_line), subject=draw(one_line), published=published,
            kind=draw(st.sampled_from(model.REPORT_KINDS)), url=draw(opt(one_line)),
            follows=draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True)) if earlier else [],
            note=draw(opt(many_lines)),
            figures=draw(st.dictionaries(one_line, st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False), max_size=3)),
            grades=draw(st.dictionaries(one_line, st.sampled_from(model.GRADES), max_size=2)),
            followup=followup, revisit=draw(st.none() | durations | st.dates(published, date(2030, 1, 1))),
            response_within=draw(opt(durations)), extra=draw(extras),
        )
        for ref in draw(st.lists(refs, max_size=4, unique=True)):
            kind = draw(st.sampled_from(model.KINDS))
            rec = Recommendation(
                report=report_id, ref=ref, text=draw(many_lines), kind=kind,
                answers=draw(opt(st.sampled_from(causes))) if causes and kind != "cause-of-concern" else None,
                owner=draw(opt(one_line)), tags=draw(st.lists(one_line, max_size=3)),
                priority=draw(opt(st.sampled_from(model.PRIORITIES))),
                due=draw(opt(st.dates(published, date(2030, 1, 1)))), entered=draw(opt(days)),
                evidence=draw(st.lists(one_line, max_size=2)),
                related=draw(st.lists(st.sampled_from(rec_ids), max_size=2)) if rec_ids else [],
                extra=draw(extras), fields=draw(own_values),
            )
            for when in sorted(draw(st.lists(st.dates(published, TODAY), max_size=4))):
                status = draw(opt(st.sampled_from(model.STATUSES[1:])))
                due = draw(opt(st.dates(published, date(2030, 1, 1))))
                event = Event(
                    date=when, status=status, response=draw(opt(st.sampled_from(model.RESPONSES))), due=due,
                    reason=draw(many_lines) if due is not None else None, owner=draw(opt(one_line)),
                    superseded_by=draw(st.sampled_from(rec_ids)) if status == "superseded" and rec_ids else None,
                    duplicate_of=draw(opt(st.sampled_from(rec_ids))) if rec_ids else None,
                    related=draw(st.lists(st.sampled_from(rec_ids), max_size=2)) if rec_ids else [],
                    note=draw(opt(many_lines)), source=draw(opt(one_line)),
                    evidence=draw(st.lists(one_line, max_size=2)), extra=draw(extras),
                )
                if event.status == "superseded" and event.superseded_by is None:
                    event.status = "withdrawn"
                if not event.changes() and event.note is None:
                    event.note = "noted"
                rec.events.append(event)
            rec.actions = draw(action_plans(published))
            report.recommendations.append(rec)
            rec_ids.append(rec.id)
            if kind == "cause-of-concern":
                causes.append(rec.id)
        reports.append(report)
    return reports


@given(ledgers())
@example([Report(id="A", title='"', by='"', subject='"', published=date(2000, 1, 1), recommendations=[  # found by hypothesis:
    Recommendation(report="A", ref="A", text='"', kind="cause-of-concern"),  # a hand-kept table before a string
    Recommendation(report="A", ref="B", text='"', kind="cause-of-concern", extra={"x_aa": {}, "x_a": ""})])])
def test_any_valid_ledger_survives_export_and_import_byte_for_byte(reports: list[Report]) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        Cli(runner, None)("init", source)
        with open(source / "track.toml", "a", encoding="utf-8") as settings:
            settings.write(FIELDS_TOML)
        for report in reports:
            disk.atomic_write(disk.report_path(source, report.id), reportfile.dumps_report(report))
        original = report_files(source)
        checked = Cli(runner, source)("check", expect=None)  # the strategy makes valid ledgers only:
        assert all("unknown key" in line or "'x_undeclared' is not declared" in line for line in checked.stdout.splitlines()
                   if not line.startswith("ok: ")), checked.stdout  # bar hand-kept keys and values
        for fmt, flags in (("json", []), ("csv", []), ("csv", ["--raw"])):
            exported = Cli(runner, source)("export", "--format", fmt, *flags).stdout
            path = Path(tmp) / f"export{''.join(flags)}.{fmt}"
            path.write_text(exported, "utf-8", newline="")
            target = Path(tmp) / f"target-{fmt}{''.join(flags)}"
            Cli(runner, None)("init", target)
            with open(target / "track.toml", "a", encoding="utf-8") as settings:
                settings.write(FIELDS_TOML)
            Cli(runner, target)("import", path, "--create-reports", *flags)
            assert report_files(target) == original, (fmt, flags)


def test_json_keeps_empty_texts_that_csv_cannot(cli: Cli, make_report, tmp_path: Path) -> None:
    make_report(A)
    cli("add", A, "--ref", "R1", "--text", "Do it")
    cli("update", "R1", "--status", "in-progress", "--note", "", "--date", "2017-01-01")
    (tmp_path / "x.json").write_text(cli("export").stdout, "utf-8")
    target = fresh(cli.runner, tmp_path, "t")
    target("import", tmp_path / "x.json", "--create-reports")
    assert report_files(target.root) == report_files(cli.root)
    assert 'note = ""' in (target.root / "reports" / f"{A}.toml").read_text("utf-8")


# --------------------------------------------------------------------------- spreadsheets

SPREADSHEET = (
    "\ufeffReport,Ref,Kind,Text,Owner,Tags,Due,Status,Response,Date,Note,"
    "Report Title,Report By,Report Subject,Report Published\r\n"
    'hmicfrs-2024-x,R1,recommendation,"Improve vetting, quickly",Vetting unit,"vetting; counter-corruption",'
    '2025-06-30,in-progress,accepted,2018-01-10,"Plan agreed.\r\nSecond line, with ""quotes""",'
    "Vetting review,HMICFRS,Some Police,2017-11-02\r\n"
    "hmicfrs-2024-x,R2,,Do the other thing,,,+6 months,,,,,Vetting review,HMICFRS,Some Police,2017-11-02\r\n"
)


def test_a_spreadsheet_s_csv_imports_with_bom_crlf_and_quoted_commas_and_new_lines(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(SPREADSHEET.encode("utf-8"))
    result = cli("import", path, "--create-reports")
    assert result.stdout == f"imported {path}: 1 report, 2 recommendations, 1 event added\n"
    r1 = cli.json("show", "hmicfrs-2024-x/R1")
    assert r1["text"] == "Improve vetting, quickly"
    assert r1["tags"] == ["vetting", "counter-corruption"]
    assert r1["status"] == "in-progress" and r1["response"] == "accepted" and r1["due"] == "2025-06-30"
    assert r1["events"][-1]["note"] == 'Plan agreed.\nSecond line, with "quotes"'
    r2 = cli.json("show", "hmicfrs-2024-x/R2")
    assert r2["due"] == "2018-05-02" and r2["status"] == "awaiting-response"  # +6 months from publication
    assert r2["entered"] == "2018-06-30"  # no entered column: today
    report = cli.json("reports", "show", "hmicfrs-2024-x")
    assert report["title"] == "Vetting review" and report["published"] == "2017-11-02"


def test_semicolon_separated_csv_is_read_too(cli: Cli, make_report, tmp_path: Path) -> None:
    make_report(A)
    path = tmp_path / "sheet.csv"
    path.write_text("ref;text;due\nR1;Do it, now;2017-06-30\n", "utf-8")
    cli("import", path, "--report", A)
    assert cli.json("show", f"{A}/R1")["text"] == "Do it, now"


# --------------------------------------------------------------------------- all or nothing


def test_one_bad_row_and_nothing_is_written(met: Cli, tmp_path: Path, snapshot) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "report,ref,text,status,date,note\n"
        f"{A},R20,A new one,,,\n"
        f'{A},R21,"A note\nover two lines",in-progress,2018-01-02,"fine"\n'
        f"{A},R22,Another,done,2018-01-03,\n",  # line 5: 'done' is not a status
        "utf-8")
    before = snapshot(met.root)
    result = met("import", path, expect=1)
    assert result.stdout == ""
    assert result.stderr == (
        f"track: {path}:5: column status: 'done' is not a status: use one of {', '.join(model.STATUSES)}\n"
        f"track: 1 problem in {path}; nothing was written\n")
    assert snapshot(met.root) == before


def test_every_bad_row_is_named_with_its_column_and_value(met: Cli, tmp_path: Path, snapshot) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "report,ref,text,due,date,status,superseded_by\n"
        f"{A},R20,Fine,2017-06-30,,,\n"
        f"{A},bad ref,Text,,,,\n"
        f"{A},R21,,,,,\n"
        f"{A},R22,Text,31/02/2017,,,\n"
        f"{A},R1,,,2019-01-01,in-progress,\n"
        f"{A},R1,Other text,,,,\n"
        f"nowhere,R1,Text,,,,\n"
        f"nowhere,R2,Text,,,,\n",
        "utf-8")
    before = snapshot(met.root)
    lines = met("import", path, expect=1).stderr.splitlines()
    assert lines == [
        f"track: {path}:3: column ref: 'bad ref' must be letters, digits, '.', '_' or '-' (at most 40), such as R3 or AFI2",
        f"track: {path}:4: column text: empty: a new recommendation ({A}/R21) needs its text",
        f"track: {path}:5: column due: due '31/02/2017' does not parse: write it like 2017-05-24, '24 May 2017', 'May 2017' or '+6 months'",
        f"track: {path}:6: column date: 2019-01-01 is after today (2018-06-30): record an event once it has happened",
        f"track: {path}:7: column text: 'Other text': {A}/R1 is in the ledger with 'Appoint a chief officer lead for "
        "child protection'; an import adds events, it does not rewrite a recommendation",
        f"track: {path}:8: column report: 'nowhere' is not a report of this ledger: add it with `track reports add`, "
        "or import with --create-reports and the report_* columns",
        f"track: 6 problems in {path}; nothing was written",
    ]
    assert snapshot(met.root) == before


def test_a_bad_value_in_json_names_its_line_and_key(met: Cli, tmp_path: Path, snapshot) -> None:
    doc = json.loads(met("export").stdout)
    doc["reports"][0]["recommendations"][1]["events"][0]["status"] = "finished"
    text = json.dumps(doc, indent=2)
    path = tmp_path / "x.json"
    path.write_text(text, "utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"status": "finished"' in l)
    before = snapshot(met.root)
    err = met("import", path, expect=1).stderr
    assert err.splitlines()[0] == (f"track: {path}:{line}: reports[0].recommendations[1].events[0].status: "
                                   f"'finished' is not a status: use one of {', '.join(model.STATUSES)}")
    assert snapshot(met.root) == before


OWN_HINT = (", or declare it in track.toml as one of the ledger's own fields ([fields.NAME] with label = ...) "
            "(see README: Import and export)")


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfeR\x00", "x.csv:1: not UTF-8 text (byte 0xff); save it as 'CSV UTF-8' or UTF-8 JSON"),
    (b"", "x.csv: empty: the first line must name the columns (report, ref, kind, text, ...)"),
    (b"report,ref,colour\n", "x.csv:1: column 3 'colour' is not a column track knows: use " + ", ".join(
        COLUMNS) + OWN_HINT),
    (b"\xef\xbb\xbfReport;Ref;Colour\r\nx;R1;red\r\n", "x.csv:1: column 3 'Colour' is not a column track knows: use "
     + ", ".join(COLUMNS) + OWN_HINT),
    (b"report,text\nA,B\n", "x.csv:1: no ref column: each recommendation needs its ref (R1, AFI2 ...)"),
    (b'report,ref,text\nA,R1,"unclosed\nA,R2,text\n', "x.csv:2: unexpected end of data: a quote opened in this row is not closed"),
])
def test_a_file_that_cannot_be_read_is_refused_in_one_line(met: Cli, tmp_path: Path, content: bytes, message: str,
                                                             snapshot) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    before = snapshot(met.root)
    err = met("import", path, expect=1).stderr
    assert err.splitlines()[0] == f"track: {tmp_path}/{message}"
    assert snapshot(met.root) == before


def test_json_that_is_not_an_export_is_refused(met: Cli, tmp_path: Path, snapshot) -> None:
    before = snapshot(met.root)
    path = tmp_path / "x.json"
    path.write_text('[{"ref": "R1"}]', "utf-8")
    err = met("import", path, expect=1).stderr
    assert err.startswith(f"track: {path}: not a track export")
    path.write_text('{"format": "track-export", "version": 1, "reports": [}', "utf-8")
    assert met("import", path, expect=1).stderr.startswith(f"track: {path}:1: not JSON: ")
    assert met("import", path, "--report", A, expect=2).stderr == (
        "track: --report is for CSV rows without a report column; a JSON export names its reports\n")
    assert snapshot(met.root) == before


# --------------------------------------------------------------------------- what it does


def test_dry_run_says_what_would_change_and_writes_nothing(met: Cli, tmp_path: Path, snapshot) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "report,ref,text,date,status,note,report_title,report_by,report_subject,report_published\n"
        "hmicfrs-2018-new,R1,First,,,,New report,HMICFRS,Kent Police,2018-03-01\n"
        "hmicfrs-2018-new,R2,Second,,,,New report,HMICFRS,Kent Police,2018-03-01\n"
        f"{A},R20,Added to an old report,,,,,,,\n"
        f"{A},R1,,2018-05-01,,Checked again,,,,\n",
        "utf-8")
    before = snapshot(met.root)
    out = met("import", path, "--create-reports", "--dry-run").stdout
    assert out == (
        "add report hmicfrs-2018-new with 2 recommendations: R1, R2\n"
        f"add to {A}: 1 recommendation: R20\n"
        f"add 1 event to {A}/R1\n"
        "dry run: 1 report, 3 recommendations added; 1 event added to 1 recommendation already in the ledger; "
        "nothing was written\n")
    assert snapshot(met.root) == before
    out = met("import", path, "--create-reports").stdout
    assert out == (f"imported {path}: 1 report, 3 recommendations added; "
                   "1 event added to 1 recommendation already in the ledger\n")
    assert met.json("show", f"{A}/R1")["events"][-1]["note"] == "Checked again"
    assert met.ids("--report", "hmicfrs-2018-new") == ["hmicfrs-2018-new/R1", "hmicfrs-2018-new/R2"]
    assert met("undo").stdout.startswith("undid: import rows.csv: 1 report, 3 recommendations added")
    assert report_files(met.root) == {k.removeprefix("reports/"): v for k, v in before.items() if k.startswith("reports/")}


def test_what_the_rules_of_check_refuse_is_refused_at_its_row(met: Cli, tmp_path: Path, snapshot) -> None:
    """Once every row reads, the rules of `check` are applied to what the import adds."""
    path = tmp_path / "rows.csv"
    path.write_text(
        "report,ref,date,status,new_due,note,superseded_by,event_related\n"
        f"{A},R1,2018-05-01,,,,,\n"
        f"{A},R2,2018-01-01,superseded,,,,\n"
        f"{A},R2,2018-01-02,,2019-01-01,,,\n"
        f"{A},R10,2018-01-03,,,Linked,,{A}/R99\n",
        "utf-8")
    before = snapshot(met.root)
    assert met("import", path, expect=1).stderr.splitlines() == [
        f"track: {path}:2: {A}/R1: event of 2018-05-01 changes nothing and has no note",
        f"track: {path}:3: column status: {A}/R2: superseded without superseded_by",
        f"track: {path}:4: column new_due: {A}/R2: the due date changes from 2017-05-31 to 2019-01-01 without a reason",
        f"track: {path}:5: column event_related: {A}/R10: related '{A}/R99' is not in the ledger",
        f"track: 4 problems in {path}; nothing was written",
    ]
    assert snapshot(met.root) == before


def test_an_event_without_a_date_is_refused(met: Cli, tmp_path: Path, snapshot) -> None:
    before = snapshot(met.root)
    path = tmp_path / "rows.csv"
    path.write_text(f"report,ref,status\n{A},R2,implemented\n", "utf-8")
    assert met("import", path, expect=1).stderr.splitlines()[0] == (
        f"track: {path}:2: column date: empty: an event (status, response, note ...) needs the date it happened")
    assert snapshot(met.root) == before


def test_report_rows_that_disagree_are_refused(cli: Cli, tmp_path: Path, snapshot) -> None:
    before = snapshot(cli.root)
    path = tmp_path / "rows.csv"
    path.write_text(
        "report,ref,text,report_title,report_by,report_subject,report_published\n"
        "new-report,R1,One,Title,HMICFRS,Kent Police,2018-03-01\n"
        "new-report,R2,Two,Title,HMICFRS,Kent Police,2018-03-02\n",
        "utf-8")
    err = cli("import", path, "--create-reports", expect=1).stderr
    assert err.splitlines()[0] == (f"track: {path}:3: column report_published: 2018-03-02 differs from 2018-03-01 "
                                   f"given for new-report on {path}:2")
    assert snapshot(cli.root) == before


def test_links_by_ref_name_the_recommendation_of_the_same_report(cli: Cli, make_report, tmp_path: Path) -> None:
    make_report(A)
    path = tmp_path / "rows.csv"
    path.write_text(
        "ref,kind,text,answers,date,status,superseded_by\n"
        "C1,cause-of-concern,A concern,,,,\n"
        "R1,,Answer it,C1,,,\n"
        "R2,,Old,,2017-02-01,superseded,R1\n",
        "utf-8")
    cli("import", path, "--report", A)
    assert cli.json("show", f"{A}/R1")["answers"] == f"{A}/C1"
    assert cli.json("show", f"{A}/R2")["superseded_by"] == f"{A}/R1"
    cli("check")


def test_a_long_import_shows_a_bar_on_a_terminal_and_nothing_when_piped(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    track = [sys.executable, "-m", "track"]
    rows = "report,ref,text\n" + "".join(f"{A},R{i},Recommendation {i}\n" for i in range(2500))
    (tmp_path / "rows.csv").write_text(rows, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR")}
    env.update({"TERM": "xterm", "TRACK_TODAY": "2018-06-30"})
    outputs = {}
    for name, extra in (("piped", {}), ("terminal", {"FORCE_COLOR": "1"})):
        root = tmp_path / name
        subprocess.run([*track, "init", str(root)], env=env, check=True, capture_output=True)
        subprocess.run([*track, "-L", str(root), "reports", "add", A, "--title", "T", "--by", "HMIC", "--subject", "S",
                        "--published", "2016-11-24"], env=env, check=True, capture_output=True)
        done = subprocess.run([*track, "-L", str(root), "import", str(tmp_path / "rows.csv")], env={**env, **extra},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs[name] = done
    assert outputs["piped"].stderr == ""
    assert outputs["piped"].stdout == outputs["terminal"].stdout == (
        f"imported {tmp_path / 'rows.csv'}: 2,500 recommendations added\n")
    shown = outputs["terminal"].stderr
    assert "importing" in shown and "/2501" in shown and shown.rstrip("\n").endswith("\x1b[2K"), shown


def test_standard_input_is_read_for_a_dash_in_either_format(met: Cli, runner, tmp_path: Path) -> None:
    target = fresh(runner, tmp_path, "t")
    for fmt in ("json", "csv"):
        exported = met("export", "--format", fmt).stdout
        result = runner.invoke(app,
                               ["--ledger", str(target.root), "import", "-", "--create-reports"], input=exported)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("imported <stdin>: ")
    assert report_files(target.root) == report_files(met.root)


def test_common_headings_and_uk_dates_with_day_first(cli: Cli, make_report, tmp_path: Path, snapshot) -> None:
    make_report(A)
    before = snapshot(cli.root)
    path = tmp_path / "sheet.csv"
    path.write_text("Reference;Recommendation;Deadline;Date;Status\nR1;Do it;01/06/2017;02/03/2017;in-progress\n", "utf-8")
    err = cli("import", path, "--report", A, expect=1).stderr
    assert err.splitlines()[0] == (f"track: {path}:2: column due: due '01/06/2017' reads two ways (day/month or "
                                   "month/day): write it as YYYY-MM-DD or like '1 June 2017' (or, if the file writes "
                                   "dates day first, import it with --day-first)")
    assert snapshot(cli.root) == before
    cli("import", path, "--report", A, "--day-first")
    r1 = cli.json("show", f"{A}/R1")
    assert (r1["text"], r1["due"], r1["events"][-1]["date"]) == ("Do it", "2017-06-01", "2017-03-02")


def test_the_same_event_twice_in_a_file_is_recorded_twice_and_said(cli: Cli, make_report, tmp_path: Path) -> None:
    make_report(A)
    path = tmp_path / "rows.csv"
    path.write_text(f"ref,text,date,note\nR1,Do it,2017-01-05,Chased\nR1,,2017-01-05,Chased\n", "utf-8")
    out = cli("import", path, "--report", A).stdout
    assert out == (f"{path}:3: the same event for {A}/R1 as {path}:2; both are recorded (delete one row if that is "
                   f"a mistake)\nimported {path}: 1 recommendation, 2 events added\n")
    assert [e.get("note") for e in cli.json("show", f"{A}/R1")["events"]] == ["Chased", "Chased"]


def test_a_row_that_would_rewrite_a_recommendation_says_what_to_do_instead(met: Cli, tmp_path: Path, snapshot) -> None:
    before = snapshot(met.root)
    path = tmp_path / "rows.csv"
    path.write_text(f"report,ref,owner,due\n{A},C1,Bob,\n{A},R2,,2019-01-01\n", "utf-8")
    assert met("import", path, expect=1).stderr.splitlines()[:2] == [
        f"track: {path}:2: column owner: 'Bob': {A}/C1 is in the ledger with no owner; an import adds events, it does "
        "not rewrite a recommendation: a new owner is an event: give it in the new_owner column, with a date",
        f"track: {path}:3: column due: '2019-01-01': {A}/R2 is in the ledger with 2017-05-31; an import adds events, "
        "it does not rewrite a recommendation: a new due date is an event: give it in the new_due column, with a "
        "date and a reason"]
    assert snapshot(met.root) == before


def test_a_report_already_in_the_ledger_is_kept_and_the_difference_said(met: Cli, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("report,ref,text,report_title,report_by,report_subject,report_published\n"
                    f"{PEEL},AFI9,New,Another title,HMICFRS,Metropolitan Police Service,2017-12-12\n", "utf-8")
    out = met("import", path).stdout
    assert out.splitlines()[0] == (f"{PEEL} is already in the ledger: kept as it is, although the file gives "
                                   "report_title 'Another title' (the ledger has 'PEEL: police legitimacy 2017')")
    assert met.json("reports", "show", PEEL)["title"] == "PEEL: police legitimacy 2017"


def test_export_refuses_a_ledger_with_a_file_it_cannot_read(met: Cli) -> None:
    (met.root / "reports" / f"{PEEL}.toml").write_text("title = \n", "utf-8")
    for fmt in ("json", "csv"):
        result = met("export", "--format", fmt, expect=1)
        assert result.stdout == ""
        assert result.stderr.startswith(f"track: reports/{PEEL}.toml:1:") and result.stderr.count("\n") == 1


def test_an_import_adding_report_ids_that_differ_only_in_case_is_refused(cli: Cli, snapshot, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("report,report_title,report_by,report_subject,report_published,ref,text\n"
                    "abc,T,B,S,2017-01-01,R1,x\nABC,T,B,S,2017-01-01,R1,y\n")
    before = snapshot(cli.root)
    result = cli("import", str(rows), "--create-reports", expect=1)
    assert result.stderr == (f"track: {rows}:3: column report: 'ABC': this file adds 'abc'; report ids differ by more "
                             f"than case (one file on a case-insensitive disk)\ntrack: 1 problem in {rows}; nothing was written\n")
    assert snapshot(cli.root) == before


def test_check_names_report_files_that_differ_only_in_case(cli: Cli) -> None:
    for name in ("abc", "ABC"):
        (cli.root / "reports" / f"{name}.toml").write_text('title = "T"\nby = "B"\nsubject = "S"\npublished = 2017-01-01\n')
    assert cli("check", expect=1).stdout.splitlines() == [
        "reports/ABC.toml: report id 'ABC' differs from 'abc' only in case: on a case-insensitive disk they are one file; rename one",
        "reports/abc.toml: report id 'abc' differs from 'ABC' only in case: on a case-insensitive disk they are one file; rename one",
    ]


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "nan", "1e309"])
def test_an_import_refuses_a_figure_json_cannot_carry(cli: Cli, snapshot, tmp_path: Path, cell: str) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("report,report_title,report_by,report_subject,report_published,report_figures,ref,text\n"
                    f"abc,T,B,S,2017-01-01,ratio={cell},R1,x\n")
    before = snapshot(cli.root)
    result = cli("import", str(rows), "--create-reports", expect=1)
    assert "is not a finite number: JSON cannot carry it" in result.stderr
    assert snapshot(cli.root) == before


# --------------------------------------------------------------------------- formulas in CSV

FORMULAS = ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+44 20 7230 1212", "-2 days", "@SUM(A1)", "\tTab first",
            "'quoted'", "''=twice", "'=already guarded", "plain text", "= spaced"]


def test_csv_export_neutralises_formulas_and_import_gives_back_every_cell(cli: Cli, make_report, tmp_path: Path) -> None:
    """A cell a spreadsheet would read as a formula is exported after a ' (OWASP's rule), as is
    one starting with '; import takes it off again, so the round trip stays exact. --raw on
    both sides writes and reads the cells as they are."""
    import csv
    import io

    make_report(A)
    for i, text in enumerate(FORMULAS, 1):
        cli("add", A, "--ref", f"R{i}", "--text", text, "--owner", text.strip() or "x")
        cli("update", f"{A}/R{i}", "--note", text, "--date", "2017-01-01")
    original = report_files(cli.root)
    guarded = cli("export", "--format", "csv").stdout
    cells = [c for row in csv.reader(io.StringIO(guarded, newline="")) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=1+1" in cells and "''quoted'" in cells and "'''=twice" in cells and "'-2 days" in cells
    raw = cli("export", "--format", "csv", "--raw").stdout
    raw_cells = [c for row in csv.reader(io.StringIO(raw, newline="")) for c in row]
    assert "=1+1" in raw_cells and "'quoted'" in raw_cells and "''=twice" in raw_cells
    for name, text, flags in (("guarded", guarded, []), ("raw", raw, ["--raw"])):
        path = tmp_path / f"{name}.csv"
        path.write_text(text, "utf-8", newline="")
        target = fresh(cli.runner, tmp_path, f"target-{name}")
        target("import", path, "--create-reports", *flags)
        assert report_files(target.root) == original, name
    # a guarded file read --raw keeps the guards: the flag says how the file was written
    path = tmp_path / "guarded.csv"
    mixed = fresh(cli.runner, tmp_path, "mixed")
    mixed("import", path, "--create-reports", "--raw")
    assert "'=1+1" in (mixed.root / "reports" / f"{A}.toml").read_text("utf-8")


def test_raw_is_for_csv(cli: Cli, make_report) -> None:
    make_report(A)
    assert cli("export", "--raw", expect=2).stderr == "track: --raw is for --format csv: JSON's strings are written as they are\n"


def test_export_shows_control_characters_a_hand_edited_file_holds(cli: Cli, make_report) -> None:
    """`check` refuses them, but a hand-edited file may hold ESC or a C1 control: export writes
    none of them raw (JSON escapes them and reads back the same text; CSV shows them as \\xNN)."""
    make_report(A)
    cli("add", A, "--ref", "R1", "--text", "x")
    path = cli.root / "reports" / f"{A}.toml"
    path.write_text(path.read_text("utf-8").replace('text = "x"', 'text = "a\\u001b[31mred\\u009b2J\\u007f"'), "utf-8")
    for flags in ([], ["--format", "csv"], ["--format", "csv", "--raw"]):
        out = cli("export", *flags).stdout
        assert not [c for c in out if c not in "\t\n" and (ord(c) < 32 or 0x7f <= ord(c) <= 0x9f)], flags
    doc = json.loads(cli("export").stdout)
    assert doc["reports"][0]["recommendations"][0]["text"] == "a\x1b[31mred\x9b2J\x7f"
    assert "a\\x1b[31mred\\x9b2J\\x7f" in cli("export", "--format", "csv").stdout


# --------------------------------------------------------------------------- the lock

def test_import_checks_its_rows_without_the_lock_and_takes_it_to_write(cli: Cli, make_report, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """While an import checks its rows and makes its change in memory, the ledger is not
    locked: another process changes it meanwhile, without waiting. The import then finds the
    ledger changed and makes its change again, under the lock: both changes are kept."""
    import subprocess
    import sys

    from track.exchange import importing

    make_report(A)
    cli("add", A, "--ref", "R1", "--text", "Do it", "--owner", "X")
    rows = tmp_path / "rows.csv"
    rows.write_text("report,ref,text\n" + A + ",R2,Do another thing\n", "utf-8")
    real = importing.Importer.run
    runs: list[bool] = []

    def run(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        runs.append(str(cli.root) in disk._writing)  # this process holds the lock whole?
        if len(runs) == 1:  # another process changes the ledger meanwhile; it needs the lock, and gets it
            done = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.app import main; main()",
                                   "--ledger", str(cli.root), "update", f"{A}/R1", "--note", "Meanwhile.", "--date", "2017-01-01"],
                                  capture_output=True, text=True, timeout=60, env={**__import__("os").environ, "TRACK_TODAY": "2018-06-30"})
            assert done.returncode == 0, done.stderr
        return real(self, *args, **kwargs)

    monkeypatch.setattr(importing.Importer, "run", run)
    cli("import", rows)
    assert runs == [False, True]  # checked without the lock; made again under it once the ledger had changed
    shown = json.loads(cli("show", f"{A}/R1", "--format", "json").stdout)
    assert [e["note"] for e in shown["events"]] == ["Meanwhile."]
    assert json.loads(cli("show", f"{A}/R2", "--format", "json").stdout)["text"] == "Do another thing"


def test_an_import_nobody_races_checks_its_rows_once_without_the_lock(cli: Cli, make_report, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from track.exchange import importing

    make_report(A)
    rows = tmp_path / "rows.csv"
    rows.write_text("report,ref,text\n" + A + ",R1,Do it\n", "utf-8")
    real = importing.Importer.run
    runs: list[bool] = []
    monkeypatch.setattr(importing.Importer, "run", lambda self, *a, **k: (runs.append(str(cli.root) in disk._writing),
                                                                          real(self, *a, **k))[1])
    cli("import", rows)
    assert runs == [False]
    assert cli("undo").stdout  # one change, undone as one
    assert cli("list", "--format", "json").stdout == "[]\n"


def test_import_raw_is_for_csv_and_a_json_file_is_refused_untouched(cli: Cli, make_report, tmp_path: Path) -> None:
    make_report(A)
    (tmp_path / "x.json").write_text(cli("export").stdout, "utf-8")
    before = report_files(cli.root)
    refused = cli("import", tmp_path / "x.json", "--raw", expect=2)
    assert refused.stderr == "track: --raw is for CSV: JSON's strings are read as they are\n"
    assert report_files(cli.root) == before
