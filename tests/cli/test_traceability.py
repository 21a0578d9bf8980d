"""The committee's quarterly paper, issue #21: `history` traces each change (old -> new for
status, due date and owner; each source report's url; the evidence links) in every format, and
report, list and remind say "latest evidence DATE (N days ago)" when the newest event in scope
is older than [report] evidence_after (90 days unless set). Through the command line, on
conftest's story ledger (today 2018-06-30; its newest event is of 2018-06-01)."""

from __future__ import annotations

import csv
import email
import io
import re
from email.policy import default
from pathlib import Path

import pytest
from conftest import A, Cli
from owners_support import build

Q2 = "hmic-2017-met-cp-q2"
Q2_URL = "https://example.org/q2?a=1&b=(2)"
R2 = f"{A}/R2"
LINKS = ["https://example.org/minutes|1", "minutes of 3 May", "javascript:alert(1)"]


@pytest.fixture
def traced(met: Cli) -> Cli:
    """The story, with a second follow-up that has a url, and an event of R2 sourced to it with evidence."""
    met("reports", "add", Q2, "--title", "Second quarterly progress report", "--by", "HMIC", "--subject", "Met",
        "--published", "2017-06-01", "--kind", "follow-up", "--follows", A, "--url", Q2_URL)
    met("update", R2, "--status", "in-progress", "--owner", "Head of Training", "--source", Q2, "--date", "2017-06-02",
        *[arg for link in LINKS for arg in ("--evidence", link)], "--note", "Back in hand")
    return met


def events(cli: Cli, *args: str) -> list[dict]:
    return [row for row in cli.json("history", *args) if "event" not in row]


# --------------------------------------------------------------------------- history


def test_history_plain_says_old_to_new_and_the_source_url_and_evidence(traced: Cli) -> None:
    lines = traced("history", R2, "--format", "plain").stdout.splitlines()
    row = next(line for line in lines if line.startswith("2017-04-01"))
    assert "status not-started → partially-implemented (claimed); owner Head of Training → Director of Learning" in row
    row = next(line for line in lines if line.startswith("2017-06-02"))
    assert "status partially-implemented → in-progress (assessed); owner Director of Learning → Head of Training" in row
    assert (f"{Q2} ({Q2_URL}); evidence: https://example.org/minutes|1, minutes of 3 May, javascript:alert(1)"
            in row)
    due = next(line for line in traced("history", f"{A}/R1", "-f", "plain").stdout.splitlines() if line.startswith("2017-06-01"))
    assert "due 2017-05-24 → 2017-12-31 (reason: Restructure delayed the work)" in due
    issued = next(line for line in lines if " issued " in line)  # its source is its report, which has a url
    assert f"{A} (https://example.org/{A})" in issued


def test_history_json_has_before_and_source_url(traced: Cli) -> None:
    rows = events(traced, R2)
    moved = next(r for r in rows if r["date"] == "2017-06-02")
    assert moved["before"] == {"status": "partially-implemented", "owner": "Director of Learning"}
    assert moved["source"] == Q2 and moved["source_url"] == Q2_URL and moved["evidence"] == LINKS
    assert list(moved)[list(moved).index("source") + 1] == "source_url"  # next to its source
    first = rows[0]  # a response alone: nothing it changed had another value; its source names no report
    assert "before" not in first and "source_url" not in first
    due = next(r for r in events(traced, f"{A}/R1") if r["date"] == "2017-06-01")
    assert due["before"] == {"due": "2017-05-24"} and due["due"] == "2017-12-31"
    issued = traced.json("history", R2)[0]
    assert issued["event"] == "issued" and issued["source_url"] == f"https://example.org/{A}"


def test_history_csv_has_the_old_values_and_source_url(traced: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(traced("history", R2, "--format", "csv").stdout)))
    assert list(rows[0])[-5:] == ["status_after", "old_status", "old_due", "old_owner", "source_url"]
    moved = next(r for r in rows if r["date"] == "2017-06-02")
    assert (moved["old_status"], moved["status"], moved["old_owner"], moved["owner"]) == (
        "partially-implemented", "in-progress", "Director of Learning", "Head of Training")
    assert moved["source_url"] == Q2_URL and moved["evidence"] == "; ".join(LINKS)
    due = next(r for r in csv.DictReader(io.StringIO(traced("history", f"{A}/R1", "-f", "csv").stdout))
               if r["date"] == "2017-06-01")
    assert (due["old_due"], due["due"], due["old_status"]) == ("2017-05-24", "2017-12-31", "")


def test_history_markdown_makes_links_and_escapes_the_rest(traced: Cli) -> None:
    md = traced("history", R2, "--format", "markdown").stdout
    row = next(line for line in md.splitlines() if line.startswith("| 2017-06-02"))
    assert "status partially-implemented → in-progress (assessed)" in row
    # the url's text escaped as markdown text is; the address with ( ) | %-escaped, so neither the link nor the cell ends early
    assert (f"| {Q2} ([https://example.org/q2?a=1&b=(2)](https://example.org/q2?a=1&b=%282%29)); evidence: "
            "[https://example.org/minutes\\|1](https://example.org/minutes%7C1), minutes of 3 May, javascript:alert(1) |") in row
    assert row.count(" | ") == 4  # five cells: no | got loose
    assert "](javascript" not in md


def test_history_html_links_web_addresses_only(traced: Cli) -> None:
    page = traced("history", R2, "--format", "html").stdout
    cell = re.search(r'<td data-col="source">([^\n]*?)</td><td data-col="note">Back in hand', page)
    assert cell is not None
    assert cell.group(1) == (
        f'{Q2} (<a href="https://example.org/q2?a=1&amp;b=(2)" rel="external noopener noreferrer">'
        'https://example.org/q2?a=1&amp;b=(2)</a>); evidence: '
        '<a href="https://example.org/minutes|1" rel="external noopener noreferrer">https://example.org/minutes|1</a>, '
        "minutes of 3 May, javascript:alert(1)")
    assert 'href="javascript' not in page
    assert "status partially-implemented → in-progress (assessed)" in page


def test_show_markdown_gives_the_source_report_url_and_the_evidence_as_links(traced: Cli) -> None:
    row = next(line for line in traced("show", R2, "--format", "markdown").stdout.splitlines() if line.startswith("- 2017-06-02"))
    assert row.endswith(f" — source: {Q2} — source report: [https://example.org/q2?a=1&b=(2)](https://example.org/q2?a=1&b=%282%29)"
                        " — evidence: [https://example.org/minutes\\|1](https://example.org/minutes%7C1), minutes of 3 May, "
                        "javascript:alert(1)")


def test_history_on_a_terminal_of_80_columns_keeps_every_line_within_it(traced: Cli) -> None:
    out = traced("history", "--until", "2017-12-31", env={"TTY_COMPATIBLE": "1", "COLUMNS": "80", "NO_COLOR": "1"}).stdout
    assert max(map(len, out.splitlines())) <= 80
    flat = " ".join(out.split())
    assert "status not-started → partially-implemented" in flat and "owner Director of Learning → Head of" in flat
    assert "evidence:" in flat and "javascript:alert(1)" in flat


# --------------------------------------------------------------------------- latest evidence


LINE = "latest evidence 2018-06-01 (213 days ago)"  # as of 2018-12-31


def test_list_says_the_latest_evidence_below_its_tables_when_it_is_old(met: Cli) -> None:
    for fmt in ("plain", "markdown"):
        out = met("list", "--as-of", "2018-12-31", "--format", fmt).stdout
        assert out.endswith(f"\n\n{LINE}\n"), fmt
    table = met("list", "--as-of", "2018-12-31", env={"TTY_COMPATIBLE": "1", "COLUMNS": "80"}).stdout
    assert LINE in table
    assert met("list", "--as-of", "2018-12-31", "--columns", "id,status", "-f", "plain").stdout.endswith(f"\n\n{LINE}\n")
    # a bare list in JSON, rows in CSV: they stay as documented
    assert isinstance(met.json("list", "--as-of", "2018-12-31"), list)
    assert "latest evidence" not in met("list", "--as-of", "2018-12-31", "-f", "csv").stdout
    # fresh enough (29 days), or nothing listed: nothing said
    assert "latest evidence" not in met("list", "-f", "plain").stdout
    assert "latest evidence" not in met("list", "--as-of", "2018-12-31", "--tag", "nothing-has-it", "-f", "plain").stdout
    # the scope is what is listed: PEEL/AFI2 has no event, A/R2's last is of 2017-04-01
    assert met("list", "--as-of", "2018-12-31", "--report", "hmic-2016-met-cp", "--owner", "Director of Learning",
               "-f", "plain").stdout.endswith("\n\nlatest evidence 2017-04-01 (639 days ago)\n")


def test_remind_says_it_in_every_format_and_its_mails(tmp_path: Path, cli: Cli, ledger_path: Path) -> None:
    build(cli, ledger_path)  # owners with addresses, a keeper; its newest event of 2018-06-02
    line = "latest evidence 2018-06-02 (212 days ago)"
    plain = cli("remind", "--as-of", "2018-12-31", "-f", "plain").stdout
    assert plain.splitlines()[1].endswith(f"without an event; {line}")
    assert f"; {line}" in cli("remind", "--as-of", "2018-12-31", "-f", "markdown").stdout
    assert line in " ".join(cli("remind", "--as-of", "2018-12-31", env={"TTY_COMPATIBLE": "1", "COLUMNS": "80"}).stdout.split())
    data = cli.json("remind", "--as-of", "2018-12-31")
    assert (data["latest_evidence"], data["evidence_after"]) == ("2018-06-02", "90 days")
    assert list(data)[list(data).index("stale_after") + 1:][:2] == ["latest_evidence", "evidence_after"]
    assert cli.json("remind", "--as-of", "2018-12-31", "--owner", "Head of Training")["latest_evidence"] == "2018-06-02"
    assert "latest evidence" not in cli("remind", "-f", "plain").stdout  # 27 days: fresh enough
    out = tmp_path / "mail"
    cli("remind", "--as-of", "2018-12-31", "--mail-to-dir", out)
    bodies = [email.message_from_bytes(p.read_bytes(), policy=default).get_content()  # type: ignore[attr-defined]
              for p in sorted(out.glob("*.eml"))]
    assert len(bodies) >= 2 and all(line in body for body in bodies)


def set_evidence_after(cli: Cli, value: str) -> None:
    path = Path(cli.root) / "track.toml"  # type: ignore[arg-type]
    path.write_text(path.read_text("utf-8") + f"\n[report]\nevidence_after = {value}\n", "utf-8")


def test_the_threshold_is_a_setting_said_the_same_everywhere(met: Cli) -> None:
    set_evidence_after(met, '"2 weeks"')
    line = "latest evidence 2018-06-01 (29 days ago)"
    assert met("list", "-f", "plain").stdout.endswith(f"\n\n{line}\n")
    assert f"; {line}." in met("report", "-f", "plain").stdout
    assert f"- {line}" in met("report", "-f", "markdown").stdout
    assert f"; {line}" in met("remind", "-f", "plain").stdout
    assert met.json("report")["evidence_after"] == "2 weeks" and met.json("remind")["evidence_after"] == "2 weeks"
    met("check")
    set_evidence_after(met, '"1 year"')  # a second [report] table: the file no longer reads
    met("check", expect=1)


@pytest.mark.parametrize("value, said", [
    ('"soon"', "report.evidence_after = 'soon' is not a duration such as '90 days'"),
    ("90", "report.evidence_after = 90 is not a duration such as '90 days'"),
])
def test_a_bad_threshold_is_one_clear_line_on_use_and_in_check(met: Cli, value: str, said: str) -> None:
    set_evidence_after(met, value)
    for argv in (["list"], ["report"], ["remind"]):
        result = met(*argv, expect=1)
        assert result.stderr == f"track: track.toml: {said}\n" and result.stdout == "", argv
    result = met("check", expect=1)
    assert re.search(rf"track\.toml:\d+:\d+: {re.escape(said)}", result.stdout + result.stderr)


def test_the_threshold_longer_than_the_gap_says_nothing_and_report_must_be_a_table(met: Cli) -> None:
    set_evidence_after(met, '"1 year"')
    assert "latest evidence" not in met("list", "--as-of", "2018-12-31", "-f", "plain").stdout
    assert "latest evidence" not in met("report", "--as-of", "2018-12-31", "-f", "plain").stdout
    path = Path(met.root) / "track.toml"  # type: ignore[arg-type]
    path.write_text(path.read_text("utf-8").replace("[report]\nevidence_after", "[report]\nevidence_afterwards"), "utf-8")
    assert "unknown key 'report.evidence_afterwards'" in met("check", expect=1).stdout
