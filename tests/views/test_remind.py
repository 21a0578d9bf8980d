"""`track remind`: the sections, the schedule and response-clock rules, the formats, and the
cron conventions (nothing on stdout when nothing is due; plain text without escapes when
piped; errors on stderr; exit 3 with --fail-on-overdue).

Ledgers are built through the command line in tmp_path with TRACK_TODAY pinned; `remind`
always runs with an explicit --as-of, so nothing depends on the wall clock.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from track.cli.app import app
from track.domain.dates import Duration, clock_deadline
from track.domain.model import Followup, Report
from track.domain.schedule import FOLLOW_UP, REVISIT, expectations, followup_dates, outstanding, response_clock, revisit_date

BUILT_ON = "2018-12-31"  # TRACK_TODAY while the ledgers are built: every event is in the past
A = "hmic-2016-met-cp"
Q1 = "hmic-2017-met-cp-q1"
ESC = "\x1b"
BOX = re.compile("[\u2500-\u257f]")
COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def D(text: str) -> date:
    return date.fromisoformat(text)


# --------------------------------------------------------------------------- helpers


class Track:
    """`track --ledger ROOT ...` through the CliRunner, with today pinned."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, expect: int | None = 0, env: dict[str, str | None] | None = None) -> Any:
        argv = ["--ledger", str(self.root), *args]
        result = self.runner.invoke(app, argv, env={"TRACK_TODAY": BUILT_ON, **(env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        if expect is not None:
            assert result.exit_code == expect, f"track {' '.join(argv)} -> {result.exit_code}\n{result.stdout}\n{result.stderr}"
        return result

    def remind(self, *args: str, **kwargs: Any) -> Any:
        return self("remind", *args, **kwargs)

    def json(self, *args: str, **kwargs: Any) -> dict[str, Any]:
        return json.loads(self.remind(*args, "--format", "json", **kwargs).stdout)

    def report(self, report_id: str, published: str, *options: str) -> None:
        self("reports", "add", report_id, "--title", f"Report {report_id}", "--by", "HMIC",
             "--subject", "Metropolitan Police Service", "--published", published, *options)

    def followup(self, report_id: str, follows: str, published: str, kind: str = "follow-up") -> None:
        self.report(report_id, published, "--kind", kind, "--follows", follows)


def _init(root: Path) -> Track:
    result = CliRunner().invoke(app, ["init", str(root), "--name", "met-demo"], env={"TRACK_TODAY": BUILT_ON})
    assert result.exit_code == 0, result.output
    return Track(root)


@pytest.fixture
def new(tmp_path: Path) -> Track:
    """An empty ledger."""
    return _init(tmp_path / "ledger")


@pytest.fixture(scope="session")
def story_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2016 inspection (56-day clock, quarterly schedule from 2017-03-01 to 2018-02-28),
    three recommendations, one response, and the first quarterly report (2017-02-27)."""
    t = _init(tmp_path_factory.mktemp("remind") / "story")
    t("reports", "add", A, "--title", "National child protection inspection: Metropolitan Police Service",
      "--by", "HMIC", "--subject", "Metropolitan Police Service", "--published", "2016-11-24",
      "--response-within", "56 days", "--followup-every", "3 months", "--followup-from", "2017-03-01",
      "--followup-until", "2018-02-28")
    t("add", A, "--ref", "R1", "--text", "Review the 38 cases referred back and make sure every child is safe",
      "--owner", "DCS Public Protection", "--due", "2017-01-31")
    t("add", A, "--ref", "R2", "--text", "Put in place supervision of child protection investigations",
      "--owner", "Commander Safeguarding", "--due", "2017-03-10")
    t("add", A, "--ref", "R3", "--text", "Train officers in recognising risk to children")
    t("update", f"{A}/R1", "--response", "accepted", "--date", "2016-12-20")
    t.followup(Q1, A, "2017-02-27")
    return t.root


@pytest.fixture
def story(story_template: Path, tmp_path: Path) -> Track:
    """A fresh copy of the story ledger (see story_template)."""
    root = tmp_path / "story"
    shutil.copytree(story_template, root, ignore=shutil.ignore_patterns(".track"))
    return Track(root)


STORY_2017_03_01 = """\
track remind: met-demo as of 2017-03-01
due-soon window 14 days (to 2017-03-15); stale after 90 days without an event

Overdue: 1 open recommendation past the due date, oldest first

ID                   DUE         OVERDUE  OWNER                  TEXT
hmic-2016-met-cp/R1  2017-01-31  29 days  DCS Public Protection  Review the 38 cases referred back and make sure every chi...

Due soon: 1 open recommendation due by 2017-03-15 (within 14 days)

ID                   DUE         DUE IN     OWNER                   TEXT
hmic-2016-met-cp/R2  2017-03-10  in 9 days  Commander Safeguarding  Put in place supervision of child protection investigations

Responses due: 1 report with recommendations awaiting a response

REPORT            PUBLISHED   CLOCK    DEADLINE    WHEN                AWAITING RESPONSE
hmic-2016-met-cp  2016-11-24  56 days  2017-01-18  passed 42 days ago  2 of 3

Stale: 2 open recommendations with no event for 90 days or more

ID                   LAST EVENT                  QUIET  STATUS             OWNER
hmic-2016-met-cp/R2  none (issued 2016-11-24)  97 days  awaiting-response  Commander Safeguarding
hmic-2016-met-cp/R3  none (issued 2016-11-24)  97 days  awaiting-response
"""


def report(published: str, *, every: str | None = None, start: str | None = None, until: str | None = None,
           revisit: Duration | date | None = None, rid: str = "r", kind: str = "inspection", follows: tuple[str, ...] = ()) -> Report:
    """A Report made directly (for the pure schedule tests)."""
    followup = None
    if every:
        count, unit = every.split()
        followup = Followup(Duration(int(count), unit), D(start) if start else None, D(until) if until else None)
    return Report(id=rid, title=rid, by="HMIC", subject="Met", published=D(published), kind=kind,
                  follows=list(follows), followup=followup, revisit=revisit)


def later(rid: str, published: str, kind: str = "follow-up") -> Report:
    return report(published, rid=rid, kind=kind, follows=("r",))


# --------------------------------------------------------------------------- schedule: pure rules


def test_monthly_schedule_counts_from_the_start_and_clamps_month_ends() -> None:
    r = report("2017-01-01", every="1 months", start="2017-01-31", until="2017-06-30")
    assert list(followup_dates(r)) == [D("2017-01-31"), D("2017-02-28"), D("2017-03-31"), D("2017-04-30"),
                                       D("2017-05-31"), D("2017-06-30")]
    leap = report("2016-01-01", every="1 months", start="2016-01-31", until="2016-03-31")
    assert list(followup_dates(leap)) == [D("2016-01-31"), D("2016-02-29"), D("2016-03-31")]
    quarterly = report("2016-11-24", every="3 months", start="2016-11-30", until="2017-08-31")
    assert list(followup_dates(quarterly)) == [D("2016-11-30"), D("2017-02-28"), D("2017-05-30"), D("2017-08-30")]


def test_schedule_without_from_starts_one_interval_after_publication() -> None:
    r = report("2016-11-24", every="3 months", until="2017-12-31")
    assert list(followup_dates(r)) == [D("2017-02-24"), D("2017-05-24"), D("2017-08-24"), D("2017-11-24")]


def test_schedule_until_is_inclusive_and_met_quarterly_has_four() -> None:
    met = report("2016-11-24", every="3 months", start="2017-03-01", until="2018-02-28")
    assert list(followup_dates(met)) == [D("2017-03-01"), D("2017-06-01"), D("2017-09-01"), D("2017-12-01")]
    inclusive = report("2016-11-24", every="3 months", start="2017-02-28", until="2018-02-28")
    assert list(followup_dates(inclusive))[-1] == D("2018-02-28")


def test_endless_schedule_is_expanded_to_the_horizon_only() -> None:
    r = report("2016-11-24", every="1 years")
    found = expectations(r, [], D("2020-01-01"))
    assert [e.expected for e in found] == [D("2017-11-24"), D("2018-11-24"), D("2019-11-24"), D("2020-11-24")]
    assert [e.missed(D("2020-01-01")) for e in found] == [True, True, True, False]


def test_a_late_followup_clears_the_expectation_it_was_late_for() -> None:
    r = report("2016-11-24", every="3 months", start="2017-03-01", until="2018-02-28")
    q = [later("q1", "2017-02-27"), later("q2", "2017-05-30"), later("q3", "2017-08-31"), later("q4", "2018-02-20")]
    # Before the fourth arrives, the December expectation is missed...
    before = outstanding(r, q, D("2018-01-15"))
    assert [(e.number, e.expected, e.missed(D("2018-01-15"))) for e in before] == [(4, D("2017-12-01"), True)]
    # ...and the late fourth clears it, rather than counting for anything later.
    after = expectations(r, q, D("2018-03-01"))
    assert [(e.number, e.satisfied_by, e.late) for e in after] == [(1, "q1", False), (2, "q2", False), (3, "q3", False), (4, "q4", True)]
    assert outstanding(r, q, D("2026-11-25")) == []


def test_followups_fill_the_earliest_unsatisfied_expectation_in_publication_order() -> None:
    r = report("2016-11-24", every="3 months", start="2017-03-01", until="2018-02-28")
    # Two missed, then one late report: it clears the first; the second stays missed.
    late = expectations(r, [later("late", "2017-07-15")], D("2017-07-20"))
    assert [(e.number, e.satisfied_by, e.missed(D("2017-07-20"))) for e in late] == [
        (1, "late", False), (2, None, True), (3, None, False)]
    # An early report counts for the next expectation; a report published after as-of counts for nothing yet.
    early = expectations(r, [later("early", "2017-01-05"), later("future", "2017-03-20")], D("2017-03-10"))
    assert [(e.number, e.satisfied_by) for e in early] == [(1, "early"), (2, None)]
    # More reports than expectations: the extra one satisfies nothing.
    many = [later(f"f{i}", f"2017-0{i}-01") for i in range(1, 7)]
    assert [e.satisfied_by for e in expectations(r, many, D("2018-06-01"))] == ["f1", "f2", "f3", "f4"]


def test_revisit_within_a_duration_or_by_a_date() -> None:
    review = report("2018-06-14", revisit=Duration(12, "months"))
    assert revisit_date(review) == D("2019-06-14")
    assert revisit_date(report("2018-06-14", revisit=D("2019-03-31"))) == D("2019-03-31")
    # Missed after its date, on time on the day.
    assert [(e.kind, e.expected) for e in outstanding(review, [], D("2019-06-14"))] == [(REVISIT, D("2019-06-14"))]
    assert outstanding(review, [], D("2019-06-14"))[0].missed(D("2019-06-14")) is False
    assert outstanding(review, [], D("2019-06-15"))[0].missed(D("2019-06-15")) is True
    # With no schedule, any report that follows the review is the revisit, whatever its kind, even if late.
    found = expectations(review, [later("x", "2019-09-01", kind="inspection")], D("2019-10-01"))
    assert [(e.kind, e.satisfied_by, e.late) for e in found] == [(REVISIT, "x", True)]


def test_revisit_with_a_schedule_is_met_by_a_revisit_report_or_a_surplus_followup() -> None:
    r = report("2016-11-24", every="6 months", start="2017-05-24", until="2017-11-24", revisit=Duration(18, "months"))
    # A report of kind revisit goes to the revisit, even while a schedule expectation is open.
    found = expectations(r, [later("rv", "2017-05-01", kind="revisit")], D("2017-06-01"))
    assert [(e.kind, e.number, e.satisfied_by) for e in found] == [(FOLLOW_UP, 1, None), (FOLLOW_UP, 2, None), (REVISIT, 1, "rv")]
    # Ordinary follow-ups go to the schedule first; one more than it expects is taken as the revisit.
    q = [later("a", "2017-05-20"), later("b", "2017-11-20"), later("c", "2018-05-01")]
    assert [(e.kind, e.satisfied_by) for e in expectations(r, q, D("2018-06-01"))] == [
        (FOLLOW_UP, "a"), (FOLLOW_UP, "b"), (REVISIT, "c")]


def test_s55_response_clock_ends_on_publication_plus_55_days() -> None:
    assert clock_deadline(D("2016-11-24"), Duration(56, "days")) == D("2017-01-18")
    assert clock_deadline(D("2018-01-01"), Duration(180, "days")) == D("2018-06-29")  # 31 U.S.C. 720


def test_response_clock_counts_down_and_a_response_stops_it(story: Track) -> None:
    from track.ledger import Ledger

    rep = Ledger(story.root).reports[A]
    clock = response_clock(rep, D("2017-01-10"))
    assert clock is not None and clock.deadline == D("2017-01-18")
    assert (clock.days(D("2017-01-10")), clock.days(D("2017-01-18")), clock.days(D("2017-01-19"))) == (8, 0, -1)
    assert clock.awaiting == (f"{A}/R2", f"{A}/R3") and clock.issued == 3
    assert response_clock(rep, D("2016-12-19")).awaiting == (f"{A}/R1", f"{A}/R2", f"{A}/R3")  # type: ignore[union-attr]
    assert response_clock(rep, D("2016-11-23")) is None  # not yet published


# --------------------------------------------------------------------------- the command


def test_plain_text_exactly(story: Track) -> None:
    result = story.remind("--as-of", "2017-03-01", env={"TERM": "xterm-256color"})
    assert result.stdout == STORY_2017_03_01
    assert result.stderr == ""
    assert ESC not in result.stdout and not BOX.search(result.stdout)


def test_json_fields(story: Track) -> None:
    data = story.json("--as-of", "2017-06-10")
    assert data["as_of"] == "2017-06-10" and data["due_by"] == "2017-06-24" and data["within"] == "14 days"
    assert [(d["id"], d["due"], d["days"], d["owner"]) for d in data["overdue"]] == [
        (f"{A}/R1", "2017-01-31", 130, "DCS Public Protection"), (f"{A}/R2", "2017-03-10", 92, "Commander Safeguarding")]
    assert data["due_soon"] == []
    [resp] = data["responses_due"]
    assert (resp["report"], resp["deadline"], resp["days"], resp["awaiting"], resp["recommendations"]) == (A, "2017-01-18", -143, 2, 3)
    assert resp["ids"] == [f"{A}/R2", f"{A}/R3"]
    [exp] = data["followups_expected"]
    assert exp == {"report": A, "title": "National child protection inspection: Metropolitan Police Service",
                   "kind": "follow-up", "number": 2, "expected": "2017-06-01", "days": -9, "missed": True,
                   "schedule": "every 3 months from 2017-03-01 until 2018-02-28", "last_followup": Q1}
    assert [(s["id"], s["last_event"], s["days"]) for s in data["stale"]] == [
        (f"{A}/R2", None, 198), (f"{A}/R3", None, 198), (f"{A}/R1", "2016-12-20", 172)]


def test_response_clock_through_the_command(story: Track) -> None:
    def responses(as_of: str) -> list[tuple[str, str, int, int]]:
        return [(r["report"], r["deadline"], r["days"], r["awaiting"]) for r in story.json("--as-of", as_of)["responses_due"]]

    assert responses("2016-12-20") == []  # the deadline is more than 14 days away
    assert responses("2017-01-04") == [(A, "2017-01-18", 14, 2)]
    assert responses("2017-01-18") == [(A, "2017-01-18", 0, 2)]
    assert responses("2017-01-19") == [(A, "2017-01-18", -1, 2)]
    assert "in 14 days" in story.remind("--as-of", "2017-01-04").stdout
    story("update", f"{A}/R2", "--response", "accepted", "--date", "2017-01-20")
    story("update", f"{A}/R3", "--status", "withdrawn", "--date", "2017-01-25", "--note", "Withdrawn by HMIC")
    assert responses("2017-01-21") == [(A, "2017-01-18", -3, 1)]
    assert responses("2017-01-25") == []  # answered or closed: every clock has stopped


def test_month_end_schedule_through_the_command(new: Track) -> None:
    new.report("monthly", "2017-01-02", "--followup-every", "1 month", "--followup-from", "2017-01-31",
               "--followup-until", "2017-12-31")

    def expected(as_of: str, *args: str) -> list[tuple[str, int, bool]]:
        return [(f["expected"], f["days"], f["missed"]) for f in new.json("--as-of", as_of, *args)["followups_expected"]]

    assert expected("2017-02-14") == [("2017-01-31", -14, True), ("2017-02-28", 14, False)]
    new.followup("m1", "monthly", "2017-02-10")
    assert expected("2017-02-28") == [("2017-02-28", 0, False)]
    assert expected("2017-03-01", "--within", "30d") == [("2017-02-28", -1, True), ("2017-03-31", 30, False)]


def test_late_followup_clears_the_missed_one_through_the_command(story: Track) -> None:
    story.followup("q2", A, "2017-05-31")
    story.followup("q3", A, "2017-08-30")
    data = story.json("--as-of", "2018-01-20")
    assert [(f["number"], f["expected"], f["missed"]) for f in data["followups_expected"]] == [(4, "2017-12-01", True)]
    assert "missed (50 days ago)" in story.remind("--as-of", "2018-01-20").stdout
    story.followup("q4", A, "2018-02-20")
    assert story.json("--as-of", "2018-02-20")["followups_expected"] == []
    assert story.json("--as-of", "2026-11-25")["followups_expected"] == []


def test_nothing_due_prints_nothing_and_exits_0(story: Track) -> None:
    for args in ([], ["--fail-on-overdue"], ["--format", "plain"], ["--format", "markdown"], ["--format", "table"]):
        result = story.remind("--as-of", "2016-11-25", *args)
        assert (result.stdout, result.stderr) == ("", "")
    empty = story.json("--as-of", "2016-11-25")  # JSON is always a whole document
    assert [empty[k] for k in ("overdue", "due_soon", "responses_due", "followups_expected", "stale")] == [[]] * 5
    # Before the report was published there is nothing at all.
    assert story.remind("--as-of", "2016-01-01").stdout == ""


def test_empty_ledger_prints_nothing(new: Track) -> None:
    assert new.remind("--as-of", "2017-01-01").stdout == ""


def test_fail_on_overdue_exits_3_after_printing(story: Track) -> None:
    result = story.remind("--as-of", "2017-03-01", "--fail-on-overdue", expect=3)
    assert result.stdout == STORY_2017_03_01
    story.remind("--as-of", "2017-03-01", expect=0)  # without the flag, 0
    story.remind("--as-of", "2017-01-05", "--fail-on-overdue", expect=0)  # only things falling due


def test_fail_on_overdue_counts_a_missed_followup_or_a_passed_response_deadline(new: Track) -> None:
    new.report("sched", "2017-01-01", "--followup-every", "3 months")
    new.remind("--as-of", "2017-04-01", "--fail-on-overdue", expect=0)  # due today: not late
    new.remind("--as-of", "2017-04-02", "--fail-on-overdue", expect=3)
    new.report("clock", "2017-01-01", "--response-within", "28 days")
    new("add", "clock", "--ref", "R1", "--text", "Respond")
    assert new.json("--as-of", "2017-01-28", "--stale", "1 year")["responses_due"][0]["days"] == 0
    new.remind("--as-of", "2017-01-29", "--within", "1d", "--fail-on-overdue", expect=3)


def test_windows_come_from_track_toml_and_the_options_override_them(story: Track) -> None:
    settings = story.root / "track.toml"
    settings.write_text(settings.read_text().replace('within = "14 days"', 'within = "1 month"')
                        .replace('stale = "90 days"', 'stale = "1 year"'))
    data = story.json("--as-of", "2017-02-10")
    assert (data["within"], data["due_by"], data["stale_after"]) == ("1 month", "2017-03-10", "1 year")
    assert [d["id"] for d in data["due_soon"]] == [f"{A}/R2"] and data["stale"] == []
    data = story.json("--as-of", "2017-02-10", "--within", "7d", "--stale", "30 days")
    assert (data["due_by"], data["due_soon"], len(data["stale"])) == ("2017-02-17", [], 3)


def test_stale_counts_from_the_last_event_or_publication(story: Track) -> None:
    # R1's last event is 2016-12-20: 90 days later it is stale, the day before not.
    def stale(as_of: str) -> list[str]:
        return [s["id"] for s in story.json("--as-of", as_of)["stale"]]

    assert f"{A}/R1" not in stale("2017-03-19")
    assert f"{A}/R1" in stale("2017-03-20")
    assert stale("2017-02-21") == []  # 89 days after publication: none
    assert stale("2017-02-22") == [f"{A}/R2", f"{A}/R3"]  # 90: the two with no event


def test_as_of_a_month_means_its_last_day(story: Track) -> None:
    assert story.json("--as-of", "March 2017")["as_of"] == "2017-03-31"


def test_markdown(story: Track) -> None:
    text = story.remind("--as-of", "2017-03-01", "--format", "markdown").stdout
    assert text.startswith("## track remind: met-demo as of 2017-03-01\n")
    assert "**Overdue: 1 open recommendation past the due date, oldest first**" in text
    assert "| hmic-2016-met-cp/R1 | 2017-01-31 | 29 days | DCS Public Protection |" in text


def test_table_on_a_terminal_honours_no_color(story: Track) -> None:
    coloured = story.remind("--as-of", "2017-03-01", env={"TTY_COMPATIBLE": "1"}).stdout
    assert COLOUR_SGR.search(coloured)
    plain = story.remind("--as-of", "2017-03-01", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}).stdout
    assert "hmic-2016-met-cp/R1" in plain and not COLOUR_SGR.search(plain)
    piped = story.remind("--as-of", "2017-03-01", env={"TERM": "xterm-256color", "COLORTERM": "truecolor"}).stdout
    assert piped == STORY_2017_03_01


def test_errors_go_to_stderr_only(story: Track, tmp_path: Path) -> None:
    bad = story.remind("--within", "soon", expect=2)
    assert bad.stdout == "" and "--within 'soon' is not a duration" in bad.stderr
    assert story.remind("--format", "csv", expect=2).stdout == ""
    assert story.remind("--as-of", "31/02/2017", expect=2).stdout == ""
    missing = Track(tmp_path / "nowhere").remind(expect=1)
    assert missing.stdout == "" and missing.stderr.startswith("track: ")


def test_control_characters_in_the_ledger_never_reach_the_terminal(new: Track) -> None:
    new.report("x", "2017-01-01")
    new("add", "x", "--ref", "R1", "--text", "Line one\nline two", "--owner", "Owner", "--due", "2017-01-10")
    out = new.remind("--as-of", "2017-02-01").stdout
    assert "Line one line two" in out and ESC not in out


# --------------------------------------------------------------------------- as cron runs it


def track_executable() -> str | None:
    beside = Path(sys.executable).parent / "track"
    return str(beside) if beside.exists() else shutil.which("track")


def test_as_cron_runs_it(story: Track, tmp_path: Path) -> None:
    """env -i with only PATH, HOME and TRACK_LEDGER; stdout a pipe; no TERM, no TTY."""
    exe = track_executable()
    if exe is None:
        pytest.skip("no `track` executable beside this Python or on PATH")
    home = tmp_path / "home"
    home.mkdir()
    env = ["env", "-i", "PATH=/usr/bin:/bin", f"HOME={home}", f"TRACK_LEDGER={story.root}"]
    done = subprocess.run([*env, exe, "remind", "--as-of", "2017-03-01"], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60, cwd=home)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout
    assert done.stdout.decode("utf-8") == STORY_2017_03_01
    assert done.stderr == b""
    quiet = subprocess.run([*env, exe, "remind", "--as-of", "2016-11-25", "--fail-on-overdue"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60, cwd=home)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"", b"")
    late = subprocess.run([*env, exe, "remind", "--as-of", "2017-03-01", "--fail-on-overdue"], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60, cwd=home)
    assert late.returncode == 3 and late.stdout.decode("utf-8") == STORY_2017_03_01
    lost = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", f"HOME={home}", f"TRACK_LEDGER={tmp_path / 'gone'}", exe, "remind"],
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60, cwd=home)
    assert lost.returncode == 1 and lost.stdout == b"" and lost.stderr.startswith(b"track: ")


# --------------------------------------------------------------------------- the example ledger

MET = Path(__file__).resolve().parents[2] / "data" / "met-police"
needs_met = pytest.mark.skipif(not (MET / "track.toml").exists(), reason="data/met-police is not there yet")


def _met_reports() -> dict[str, dict[str, Any]]:
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted((MET / "reports").glob("*.toml"))}


def _add_months(day: date, months: int) -> date:
    """Independent of track.dates: month arithmetic clamped to the month's end."""
    import calendar

    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _unit_after(day: date, every: str, times: int) -> date:
    count, unit = every.split()
    n = int(count) * times
    if unit.startswith("day"):
        return day + timedelta(days=n)
    if unit.startswith("week"):
        return day + timedelta(weeks=n)
    return _add_months(day, n if unit.startswith("month") else 12 * n)


def _met_schedule() -> tuple[str, dict[str, Any], list[date], list[tuple[date, str]]]:
    """The report with the quarterly schedule, its expected dates computed here from the file,
    and the follow-up reports that name it, in publication order."""
    reports = _met_reports()
    scheduled = [(rid, data) for rid, data in reports.items() if "followup" in data]
    assert scheduled, "data/met-police has no report with a follow-up schedule"
    rid, data = min(scheduled, key=lambda item: item[1]["published"])
    plan = data["followup"]
    start, k = (plan["from"], 0) if "from" in plan else (data["published"], 1)
    dates = []
    while (d := _unit_after(start, plan["every"], k)) <= plan.get("until", date(2100, 1, 1)):
        dates.append(d)
        k += 1
    followups = sorted((other["published"], oid) for oid, other in reports.items() if rid in other.get("follows", []))
    return rid, data, dates, followups


@pytest.fixture
def met_copy(tmp_path: Path) -> Track:
    root = tmp_path / "met-police"
    shutil.copytree(MET, root, ignore=shutil.ignore_patterns(".track"))
    return Track(root)


def _window_list(dates: list[date], arrived: int, as_of: date, window: int = 14) -> list[tuple[date, bool]]:
    """Independently: the first `arrived` expectations are met; the rest expected by the end of
    the window are listed, missed when their date has passed."""
    return [(d, d < as_of) for d in dates[arrived:] if d <= as_of + timedelta(days=window)]


def _scheduled(got: dict[str, Any], rid: str) -> list[tuple[date, bool]]:
    return [(D(f["expected"]), f["missed"]) for f in got["followups_expected"] if f["report"] == rid and f["kind"] == "follow-up"]


@needs_met
def test_met_quarterly_schedule_matches_what_was_published(met_copy: Track) -> None:
    rid, data, dates, followups = _met_schedule()
    assert "revisit" not in data  # else the matching below would also have to allow for it
    assert len(dates) == 4 and dates[-1] <= D("2018-02-28")
    assert len(followups) >= 4, "four quarterly reports follow the inspection"
    # At each follow-up's publication, and the day after its expectation: the n-th report clears
    # the n-th expectation, and nothing is reported missed that in fact appeared.
    for n, (published, fid) in enumerate(followups, start=1):
        for as_of in (published, published + timedelta(days=1)):
            got = met_copy.json("--as-of", as_of.isoformat(), "--within", "14d")
            assert _scheduled(got, rid) == _window_list(dates, n, as_of), (fid, as_of)
    now = met_copy.json("--as-of", "2026-11-25", "--within", "14d")
    assert _scheduled(now, rid) == []


@needs_met
def test_met_reminds_of_quarterly_followups_in_2017_and_2018(met_copy: Track) -> None:
    rid, _data, dates, followups = _met_schedule()
    chosen = [D(x) for x in ("2017-01-15", "2017-05-20", "2017-05-31", "2017-06-01", "2017-08-20", "2017-11-20",
                             "2017-12-01", "2018-02-15", "2018-02-28", "2018-03-01", "2018-06-30")]
    chosen += [d + timedelta(days=1) for d in dates] + [d - timedelta(days=10) for d in dates]
    listed = 0
    for as_of in sorted(set(chosen)):
        arrived = sum(1 for published, _ in followups if published <= as_of)
        want = _window_list(dates, arrived, as_of)
        got = met_copy.json("--as-of", as_of.isoformat(), "--within", "14d")
        assert _scheduled(got, rid) == want, as_of
        listed += len(want)
        text = met_copy.remind("--as-of", as_of.isoformat(), "--within", "14d").stdout
        for expected, missed in want:
            assert re.search(rf"^{re.escape(rid)} +{expected} ", text, re.M), (as_of, text)
            assert ("missed" if missed else "due ") in text
    assert listed > 0, "the chosen dates should catch the schedule expecting a report"


@needs_met
def test_met_56_day_response_clocks(met_copy: Track) -> None:
    """For every report with a response clock: deadline = publication + 55 days; days counts
    down to 0 on the day and below after; listed only while a recommendation awaits a response."""
    closed = {"implemented", "not-implemented", "superseded", "withdrawn"}
    clocks = {rid: data for rid, data in _met_reports().items() if "response_within" in data}
    assert clocks, "the example ledger has a report with a response clock"
    # the 2016 inspection came before the 56-day limit (Police Act 1996 s.55(5A), from 2 May 2017);
    # every clock says whose response it waits for
    assert _met_schedule()[0] not in clocks
    assert all(data["response_within"] in ("56 days", "56d") and data["response_from"] for data in clocks.values())
    for rid, data in clocks.items():
        count, unit = data["response_within"].split()
        assert unit.startswith("day")
        deadline = data["published"] + timedelta(days=int(count) - 1)
        for as_of, days in ((deadline - timedelta(days=14), 14), (deadline, 0), (deadline + timedelta(days=1), -1)):
            awaiting = [f"{rid}/{r['ref']}" for r in data.get("recommendations", [])
                        if not any("response" in e and e["date"] <= as_of for e in r.get("events", []))
                        and not any(e.get("status") in closed and e["date"] <= as_of for e in r.get("events", []))]
            got = [r for r in met_copy.json("--as-of", as_of.isoformat(), "--within", "14d")["responses_due"] if r["report"] == rid]
            if awaiting:
                assert [(c["deadline"], c["days"], c["ids"]) for c in got] == [(deadline.isoformat(), days, awaiting)], (rid, as_of)
            else:
                assert got == [], (rid, as_of)


@needs_met
def test_met_overdue_items_at_chosen_dates(met_copy: Track) -> None:
    """Overdue as computed here from the files (the due date and status events up to the date)."""
    reports = _met_reports()
    closed = {"implemented", "not-implemented", "superseded", "withdrawn"}
    seen = 0
    for as_of in (D("2017-03-01"), D("2017-06-30"), D("2017-12-31"), D("2018-06-30"), D("2018-12-31")):
        want = []
        for rid, data in reports.items():
            if data["published"] > as_of:
                continue
            for rec in data.get("recommendations", []):
                due, status = rec.get("due"), "open"
                for event in rec.get("events", []):
                    if event["date"] <= as_of:
                        due = event.get("due", due)
                        status = event.get("status", status)
                if due is not None and due < as_of and status not in closed:
                    want.append((f"{rid}/{rec['ref']}", (as_of - due).days))
        got = met_copy.json("--as-of", as_of.isoformat())["overdue"]
        assert sorted((d["id"], d["days"]) for d in got) == sorted(want), as_of
        assert [d["due"] for d in got] == sorted(d["due"] for d in got)  # oldest first
        seen += len(want)
    assert seen > 0


@needs_met
def test_met_today_reports_no_followup_missed_that_appeared(met_copy: Track) -> None:
    """As of 2026-11-25 (long after every schedule ended), each report's missed expectations are
    exactly those its follow-up reports do not account for: expectations minus arrivals."""
    as_of = D("2026-11-25")
    reports = _met_reports()
    got = met_copy.json("--as-of", as_of.isoformat())["followups_expected"]
    for rid, data in reports.items():
        total = 0
        if "followup" in data:
            plan = data["followup"]
            start, k = (plan["from"], 0) if "from" in plan else (data["published"], 1)
            while _unit_after(start, plan["every"], k) <= min(plan.get("until", as_of), as_of):
                total, k = total + 1, k + 1
        if "revisit" in data:
            when = data["revisit"] if isinstance(data["revisit"], date) else _unit_after(data["published"], data["revisit"].removeprefix("within "), 1)
            total += when < as_of
        arrived = sum(1 for other in reports.values() if rid in other.get("follows", []) and other["published"] <= as_of)
        missed = [f for f in got if f["report"] == rid and f["missed"]]
        assert len(missed) == max(0, total - arrived), (rid, missed)
        if rid == _met_schedule()[0]:
            assert missed == []


@needs_met
def test_met_plain_text_has_no_escapes(met_copy: Track) -> None:
    for as_of in ("2017-03-01", "2018-03-01", "2026-11-25"):
        out = met_copy.remind("--as-of", as_of, env={"TERM": "xterm-256color"}).stdout
        assert ESC not in out and not BOX.search(out)
        assert out == "" or out.splitlines()[0] == f"track remind: met-police as of {as_of}"
