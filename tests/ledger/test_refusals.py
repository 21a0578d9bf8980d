"""Every refusal: the right exit code, one line on stderr that says what is wrong, no traceback,
and every file of the ledger byte-identical before and after.

Exit codes (DESIGN.md): 2 for a value that does not parse or is not one of the choices, 1 for a
change the ledger's rules refuse and for an unknown id.
"""

from __future__ import annotations

import pytest
from conftest import IOPC, PEEL, A, Cli

R2 = f"{A}/R2"  # partially-implemented, due 2017-05-31
AFI2 = f"{PEEL}/AFI2"  # awaiting-response, no due date; its report was published 2017-12-12

REFUSALS = [
    # --- unknown status, response, kind and other choices (2)
    ("unknown status", ["update", R2, "--status", "finished"], 2, "unknown status 'finished': use one of awaiting-response"),
    ("unknown response", ["update", R2, "--response", "maybe"], 2, "unknown response 'maybe'"),
    ("awaiting-response set by hand", ["update", R2, "--status", "awaiting-response"], 1,
     "awaiting-response is where every recommendation starts"),
    ("unknown kind", ["add", A, "--ref", "R11", "--text", "t", "--kind", "suggestion"], 2, "unknown kind 'suggestion'"),
    ("unknown priority", ["add", A, "--ref", "R11", "--text", "t", "--priority", "urgent"], 2, "unknown priority 'urgent'"),
    ("unknown report kind", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                             "--published", "2017-01-01", "--kind", "rumour"], 2, "unknown report kind 'rumour'"),
    ("unknown grade", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                       "--published", "2017-01-01", "--grade", "overall=excellent"], 2, "unknown grade 'excellent'"),
    ("figure not a number", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                             "--published", "2017-01-01", "--figure", "cases=many"], 2, "--figure 'cases=many': 'many' is not a number"),
    ("figure without =", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                          "--published", "2017-01-01", "--figure", "374"], 2, "--figure '374' must be written KEY=VALUE"),
    ("bad duration", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                      "--published", "2017-01-01", "--response-within", "soon"], 2, "--response-within 'soon' is not a duration"),
    # --- unknown ids (1)
    ("unknown id", ["update", f"{A}/R99", "--note", "x"], 1, f"unknown recommendation '{A}/R99'"),
    ("unknown ref", ["update", "AFI9", "--note", "x"], 1, "unknown recommendation 'AFI9'"),
    ("unknown report for add", ["add", "nosuch", "--ref", "R1", "--text", "t"], 1, "unknown report 'nosuch'"),
    ("unknown report followed", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                                 "--published", "2018-01-01", "--follows", "nosuch"], 1, "unknown report 'nosuch'"),
    ("unknown superseded_by", ["update", R2, "--status", "superseded", "--superseded-by", f"{A}/R99"], 1,
     f"unknown recommendation '{A}/R99'"),
    ("unknown duplicate_of", ["update", R2, "--duplicate-of", "XYZ"], 1, "unknown recommendation 'XYZ'"),
    ("unknown related", ["update", R2, "--related", "XYZ"], 1, "unknown recommendation 'XYZ'"),
    ("unknown answers", ["add", A, "--ref", "R11", "--text", "t", "--answers", "C9"], 1, "unknown recommendation 'C9'"),
    ("empty id", ["update", "", "--note", "x"], 1, "an empty id names no recommendation"),
    ("blank id", ["show", "  "], 1, "an empty id names no recommendation"),
    ("empty report id", ["add", "", "--ref", "R11", "--text", "t"], 1, "an empty report id names no report"),
    # --- ambiguous abbreviations, with the candidates (1)
    ("ambiguous ref", ["update", "R1", "--note", "x"], 1, f"'R1' is ambiguous: it could be {A}/R1, {IOPC}/R1"),
    ("ambiguous prefix", ["update", f"{A}/R", "--note", "x"], 1, f"'{A}/R' is ambiguous: it could be {A}/R1, {A}/R10, {A}/R2"),
    ("ambiguous report", ["add", "hmic", "--ref", "R11", "--text", "t"], 1,
     "report 'hmic' is ambiguous: it could be hmic-2016-met-cp, hmic-2017-met-cp-q1"),
    # a link's ref is looked up in the same report first (A/R2 --related R1 is A/R1); from elsewhere it is ambiguous
    ("ambiguous link", ["update", AFI2, "--related", "R1"], 1, f"'R1' is ambiguous: it could be {A}/R1, {IOPC}/R1"),
    # --- due dates
    ("due change without reason", ["update", R2, "--due", "2018-12-31"], 1, f"{R2} is due 2017-05-31: changing its due date needs --reason"),
    ("due change with a blank reason", ["update", R2, "--due", "2018-12-31", "--reason", "  "], 1, "needs --reason"),
    ("reason without due", ["update", R2, "--reason", "slipped"], 2, "--reason explains a change of due date"),
    ("due before publication", ["add", A, "--ref", "R11", "--text", "t", "--due", "2016-01-01"], 1,
     "--due 2016-01-01 is before the report's publication (2016-11-24)"),
    ("due changed to before publication", ["update", R2, "--due", "2016-01-01", "--reason", "typo"], 1,
     "--due 2016-01-01 is before the report's publication (2016-11-24)"),
    # --- superseded needs superseded_by naming an existing recommendation
    ("superseded without superseded_by", ["update", R2, "--status", "superseded"], 1,
     f"status superseded needs --superseded-by naming the recommendation that replaces {R2}"),
    ("superseded by itself", ["update", R2, "--status", "superseded", "--superseded-by", R2], 1, f"--superseded-by cannot name {R2} itself"),
    ("duplicate of itself", ["update", R2, "--duplicate-of", "R2"], 1, f"--duplicate-of cannot name {R2} itself"),
    ("related to itself", ["update", R2, "--related", R2], 1, f"--related cannot name {R2} itself"),
    # --- event dates
    ("event before publication", ["update", AFI2, "--note", "x", "--date", "2017-12-11"], 1,
     "--date 2017-12-11 is before peel-2017-met was published (2017-12-12)"),
    ("future event", ["update", R2, "--note", "x", "--date", "2018-07-01"], 1,
     "--date 2018-07-01 is after today (2018-06-30): record an event once it has happened"),
    ("future event, relative", ["update", R2, "--note", "x", "--date", "tomorrow"], 1, "--date 2018-07-01 is after today"),
    ("published in the future", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                                 "--published", "2018-07-01"], 1, "--published 2018-07-01 is after today (2018-06-30)"),
    ("follows a later report", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                                "--published", "2017-01-01", "--follows", PEEL], 1, "new cannot follow peel-2017-met: that was published later"),
    # --- ids and refs matched whole: a final newline is not a safe name (2)
    ("report id ending in a newline", ["reports", "add", "abc\n", "--title", "t", "--by", "b", "--subject", "s",
                                       "--published", "2017-01-01"], 2, "report id 'abc\\n' is not a safe file name"),
    ("ref ending in a newline", ["add", A, "--ref", "R11\n", "--text", "t"], 2, "ref 'R11\\n' must be letters, digits"),
    # --- durations and dates bounded at entry, so that no reader meets one off the calendar (2)
    ("response clock of 8000 years", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                                      "--published", "2017-01-01", "--response-within", "8000 years"], 2,
     "--response-within '8000 years' is longer than 100 years"),
    ("follow-ups every 200 years", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                                    "--published", "2017-01-01", "--followup-every", "200 years"], 2,
     "--followup-every '200 years' is longer than 100 years"),
    ("revisit within 9999 months", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s",
                                    "--published", "2017-01-01", "--revisit-by", "within 9999 months"], 2,
     "--revisit-by 'within 9999 months' is longer than 100 years"),
    ("due 10000 years on", ["add", A, "--ref", "R11", "--text", "t", "--due", "+10000 years"], 2,
     "--due '+10000 years' is longer than 100 years"),
    ("due in the year 9999", ["add", A, "--ref", "R11", "--text", "t", "--due", "9999-12-31"], 2,
     "--due '9999-12-31' is 9999-12-31: track takes dates from 1800 to 2199"),
    ("event in 1700", ["update", R2, "--note", "x", "--date", "1700-01-01"], 2, "--date '1700-01-01' is 1700-01-01"),
    ("as of 8000 years on", ["list", "--as-of", "+8000 years"], 2, "--as-of '+8000 years' is longer than 100 years"),
    ("remind as of the last day of 9999", ["remind", "--as-of", "9999-12-31"], 2, "--as-of '9999-12-31' is 9999-12-31"),
    ("remind within 200 years", ["remind", "--within", "200 years"], 2, "--within '200 years' is longer than 100 years"),
    ("due within 101 years", ["list", "--due-within", "101 years"], 2, "--due-within '101 years' is longer than 100 years"),
    # --- bytes a terminal passed that are not UTF-8 (Python hands them over as surrogates) (2)
    ("non-UTF-8 bytes in a note", ["update", R2, "--note", "bad \udcff byte"], 2, "--note holds bytes that are not UTF-8 text"),
    ("non-UTF-8 bytes in an owner", ["add", A, "--ref", "R11", "--text", "t", "--owner", "\udcff"], 2,
     "--owner holds bytes that are not UTF-8 text"),
    # --- dates that do not parse, named (2)
    ("event date nonsense", ["update", R2, "--note", "x", "--date", "32 Foo 2017"], 2, "--date '32 Foo 2017' does not parse"),
    ("event date not a day", ["update", R2, "--note", "x", "--date", "2017-02-30"], 2, "--date '2017-02-30' is not a real day of the calendar"),
    ("event date ambiguous", ["update", R2, "--note", "x", "--date", "05/06/2017"], 2, "--date '05/06/2017' reads two ways"),
    ("event date a month", ["update", R2, "--note", "x", "--date", "May 2017"], 2, "--date 'May 2017' names a month, not a day"),
    ("due nonsense", ["add", A, "--ref", "R11", "--text", "t", "--due", "whenever"], 2, "--due 'whenever' does not parse"),
    ("due unit unknown", ["update", AFI2, "--due", "+3 fortnights"], 2, "--due '+3 fortnights' does not parse: unknown unit 'fortnights'"),
    ("published nonsense", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s", "--published", "soon"], 2,
     "--published 'soon' does not parse"),
    ("published ambiguous", ["reports", "add", "new", "--title", "t", "--by", "b", "--subject", "s", "--published", "01/02/2017"], 2,
     "--published '01/02/2017' reads two ways"),
    ("as-of nonsense", ["list", "--as-of", "someday"], 2, "--as-of 'someday' does not parse"),
    ("show as-of nonsense", ["show", R2, "--as-of", "13/13/2017"], 2, "--as-of '13/13/2017'"),
    # --- an event that changes nothing needs a note (2: nothing was asked for)
    ("nothing to record", ["update", R2], 2, "nothing to record: give --status, --response, --due, --owner, a link, or a --note"),
    ("blank note only", ["update", R2, "--note", "   "], 2, "nothing to record"),
    ("empty owner", ["update", R2, "--owner", ""], 2, "--owner is empty"),
    # --- duplicates and unsafe names
    ("duplicate ref", ["add", A, "--ref", "R1", "--text", "again"], 1, f"{A}/R1 already exists: refs are unique within a report"),
    ("duplicate report id", ["reports", "add", A, "--title", "t", "--by", "b", "--subject", "s", "--published", "2017-01-01"], 1,
     f"report '{A}' already exists"),
    ("duplicate report id, other case", ["reports", "add", A.upper(), "--title", "t", "--by", "b", "--subject", "s",
                                         "--published", "2017-01-01"], 1, "already exists"),
    ("unsafe ref", ["add", A, "--ref", "R 11", "--text", "t"], 2, "ref 'R 11' must be letters, digits"),
    ("ref with a slash", ["add", A, "--ref", "a/b", "--text", "t"], 2, "ref 'a/b' must be letters, digits"),
    *[
        (f"unsafe report id {bad!r}", ["reports", "add", bad, "--title", "t", "--by", "b", "--subject", "s", "--published", "2017-01-01"],
         2, f"report id {bad!r} is not a safe file name")
        for bad in ("../evil", "a/b", ".hidden", "x.toml", "with space", "trailing.", "a..b", "é")
    ],
    # --- text that cannot be kept
    ("control character in text", ["add", A, "--ref", "R11", "--text", "bell\x07"], 2, "--text holds a control character"),
    ("newline in a title", ["reports", "add", "new", "--title", "two\nlines", "--by", "b", "--subject", "s",
                            "--published", "2017-01-01"], 2, "--title holds a control character"),
    ("empty text", ["add", A, "--ref", "R11", "--text", " "], 2, "--text is empty"),
    # --- an answer must name a cause of concern
    ("answers a recommendation", ["add", A, "--ref", "R11", "--text", "t", "--answers", "R2"], 1,
     f"--answers {R2} is a recommendation, not a cause-of-concern"),
    ("a cause answering a cause", ["add", A, "--ref", "C2", "--text", "t", "--kind", "cause-of-concern", "--answers", "C1"], 1,
     "a cause of concern cannot answer another"),
    # --- options of the reading commands
    ("unknown format", ["list", "--format", "xml"], 2, "unknown format 'xml': use one of table, plain, json, csv, markdown"),
    ("unknown sort", ["list", "--sort", "colour"], 2, "unknown sort 'colour'"),
    ("unknown status filter", ["list", "--status", "open,finished"], 2, "unknown status 'finished': use open, closed or one of"),
    ("unknown kind filter", ["list", "--kind", "suggestion"], 2, "unknown kind 'suggestion'"),
    ("unknown priority filter", ["list", "--priority", "urgent"], 2, "unknown priority 'urgent'"),
    ("bad due-within", ["list", "--due-within", "a while"], 2, "--due-within 'a while' is not a duration"),
    ("unknown report filter", ["list", "--report", "nosuch"], 1, "unknown report 'nosuch'"),
    ("unknown show format", ["show", R2, "--format", "yaml"], 2, "unknown format 'yaml'"),
    ("unknown reports format", ["reports", "list", "--format", "yaml"], 2, "unknown format 'yaml'"),
    ("show unknown id", ["show", "nosuch"], 1, "unknown recommendation 'nosuch'"),
]


@pytest.mark.parametrize(("args", "code", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refused_with_one_line_and_nothing_written(met: Cli, snapshot, args: list[str], code: int, message: str) -> None:
    before = snapshot(met.root)
    result = met(*args, expect=code)
    assert result.stdout == ""
    assert result.stderr.startswith("track: "), result.stderr
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    assert "\x1b" not in result.stderr and "─" not in result.stderr
    assert snapshot(met.root) == before


@pytest.mark.parametrize(
    "args",
    [
        ["update"],  # a missing argument
        ["update", R2, "--bogus"],
        ["list", "--overdue=maybe"],
        ["add", A, "--text", "no ref"],  # --ref is required
        ["reports", "add", "new", "--title", "t"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_with_clicks_lines(met: Cli, snapshot, args: list[str]) -> None:
    before = snapshot(met.root)
    result = met(*args, expect=2)
    assert result.stdout == ""
    assert "Error: " in result.stderr and "Traceback" not in result.output
    assert "\x1b" not in result.stderr and not set(result.stderr) & set("─━│┃╭╮╰╯")
    assert snapshot(met.root) == before


def test_refused_when_the_ledger_is_missing(runner, tmp_path) -> None:
    result = Cli(runner, tmp_path / "nowhere")("update", "R1", "--note", "x", expect=1)
    assert result.stderr.startswith(f"track: {tmp_path / 'nowhere'}: not a ledger") and result.stderr.count("\n") == 1
    assert not (tmp_path / "nowhere").exists()


def test_init_refused_on_an_existing_ledger(met: Cli, snapshot) -> None:
    before = snapshot(met.root)
    result = Cli(met.runner, None)("init", met.root, expect=1)
    assert result.stderr == f"track: {met.root}: already a ledger (track.toml exists)\n"
    assert snapshot(met.root) == before


def test_a_write_to_a_broken_ledger_is_refused_naming_the_file(met: Cli, snapshot) -> None:
    (met.root / "reports" / "broken.toml").write_text('title = "x"\nby = = 1\n')
    before = snapshot(met.root)
    result = met("update", R2, "--note", "x", expect=1)
    assert result.stderr.startswith("track: reports/broken.toml:2:6: TOML syntax: Invalid value")
    assert result.stderr.count("\n") == 1
    assert snapshot(met.root) == before


def test_a_refusal_through_the_library_writes_nothing(met: Cli, snapshot) -> None:
    from track import Ledger, TrackError
    from track.domain.errors import AmbiguousId, BadValue, Refused, UnknownId

    ledger = Ledger(met.root)
    before = snapshot(met.root)
    cases = [
        (lambda: ledger.update(R2, status="finished"), BadValue),
        (lambda: ledger.update("R1", note="x"), AmbiguousId),
        (lambda: ledger.update("nosuch", note="x"), UnknownId),
        (lambda: ledger.update(R2, due="2019-01-31"), Refused),
        (lambda: ledger.update(R2, status="superseded"), Refused),
        (lambda: ledger.update(AFI2, when="2017-01-01", note="x"), Refused),
        (lambda: ledger.add_recommendation(A, ref="R1", text="again"), Refused),
        (lambda: ledger.add_report("../x", title="t", by="b", subject="s", published="2017-01-01"), BadValue),
    ]
    for call, error in cases:
        with pytest.raises(error):
            call()
        assert issubclass(error, TrackError)
    assert snapshot(met.root) == before
    # and the ledger object still works after the refusals
    ledger.update(R2, note="still usable")
    assert ledger.state(ledger.resolve(R2)).last_note == "still usable"


def test_a_backdated_due_date_that_would_leave_a_later_change_unexplained_is_refused(met: Cli, snapshot) -> None:
    met("update", AFI2, "--due", "2018-09-30", "--date", "2018-03-01")  # the first due date: no reason needed
    before = snapshot(met.root)
    result = met("update", AFI2, "--due", "2018-06-30", "--date", "2018-01-01", expect=1)
    assert result.stderr == (
        f"track: {AFI2}: the event of 2018-03-01 sets the due date 2018-09-30 without a reason; "
        "a due date of 2018-06-30 on 2018-01-01 would make that an unexplained change\n"
    )
    assert snapshot(met.root) == before
    # the same due date earlier is fine, and the ledger stays clean
    met("update", AFI2, "--due", "2018-09-30", "--date", "2018-01-01")
    assert met("check").exit_code == 0
    # a later change that carries a reason does not block an earlier due date
    met("update", f"{A}/R1", "--due", "2017-09-30", "--reason", "first plan", "--date", "2017-04-01")
    assert met("check").stdout.startswith("ok: ")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("name = \n", "track: track.toml:1:8: TOML syntax: Invalid value\n"),
        ('<<<<<<< ours\nname = "x"\n=======\nname = "y"\n>>>>>>> theirs\n', "track: track.toml:1:1: git conflict marker"),
    ],
)
def test_a_broken_settings_file_is_named_with_line_and_column(met: Cli, snapshot, settings: str, message: str) -> None:
    (met.root / "track.toml").write_text(settings)
    before = snapshot(met.root)
    for args in (["list"], ["check"], ["update", R2, "--note", "x"]):
        result = met(*args, expect=1)
        assert result.stdout == "" and result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert snapshot(met.root) == before


def test_reports_show_as_of_before_publication_is_refused_like_show(met: Cli) -> None:
    result = met("reports", "show", PEEL, "--as-of", "2017-01-01", expect=1)
    assert "2017-12-12" in result.stderr


def test_an_import_nested_thousands_deep_is_refused_in_one_line(met: Cli, snapshot, tmp_path) -> None:  # noqa: ANN001
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    before = snapshot(met.root)
    result = met("import", str(deep), expect=1)
    assert result.stderr == f"track: {deep}: nested too deeply to be a track export\ntrack: 1 problem in {deep}; nothing was written\n"
    assert snapshot(met.root) == before
