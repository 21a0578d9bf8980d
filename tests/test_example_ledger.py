"""The example ledger (data/met-police), true to its sources and in its own words.

- data/build-met-police.sh rebuilds it, with track commands alone, byte for byte as committed.
- No text or note shares a run of eight or more words with a source text in ../shared/seeds
  outside quotation marks (“...” or "..."): the ledger quotes only with quotation marks.
- Every status event says who vouches for it (basis); every report names its sources and has
  a url; every status event can be traced to a report with a url or to evidence links.
- `track check` is clean, and `report --grades` shows the 2017 efficiency judgement.
- The fields the example needed: kind `finding` (filters, reports, import, export know it)
  and a report's `response_from` (whose response the clock waits for).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, take_snapshot

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data" / "met-police"
SCRIPT = REPO / "data" / "build-met-police.sh"
SEEDS = REPO.parent / "shared" / "seeds"
RUN = 8  # words in a row that may not be shared with a source outside quotation marks
CLOSED = {"implemented", "not-implemented", "superseded", "withdrawn"}


def _files() -> dict[str, dict[str, Any]]:
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted((EXAMPLE / "reports").glob("*.toml"))}


def _texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) of every piece of prose in a report file: title, note, figure and grade
    names, each item's text, each event's note and reason."""
    yield "title", data["title"]
    if data.get("note"):
        yield "note", data["note"]
    for name in [*data.get("figures", {}), *data.get("grades", {})]:
        yield "figure or grade", name
    for rec in data.get("recommendations", []):
        yield rec["ref"], rec["text"]
        for n, event in enumerate(rec.get("events", []), start=1):
            for key in ("note", "reason"):
                if event.get(key):
                    yield f"{rec['ref']} event {n} {key}", event[key]


QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _words(text: str) -> list[str]:
    """Lower-case words, apostrophes and dashes folded: "Met's", "Met’s" and "child-protection"
    read as the words they are."""
    text = text.replace("’", "'").replace("‘", "'").lower()
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def _runs(words: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


# --------------------------------------------------------------------------- the rebuild


def test_the_script_rebuilds_the_ledger_byte_for_byte(tmp_path: Path) -> None:
    """Run the script on a copy of itself (it builds the ledger beside it) with the track this
    test runs; every file but the index (.track) comes out as committed."""
    (tmp_path / "data").mkdir()
    shutil.copy(SCRIPT, tmp_path / "data" / SCRIPT.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACK_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    done = subprocess.run(["bash", str(tmp_path / "data" / SCRIPT.name)], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    built = tmp_path / "data" / "met-police"

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and ".track" not in p.relative_to(root).parts}

    assert files(built) == files(EXAMPLE)


# --------------------------------------------------------------------------- in its own words


def test_the_quoted_spans_and_words_are_read_as_meant() -> None:
    assert QUOTED.sub(" ", "as “a b c” and \"d e\" said") == "as   and   said"
    assert _words("The Met’s child-protection work, 2016") == ["the", "met's", "child", "protection", "work", "2016"]
    assert _runs(list("abcdefghi")) == {tuple("abcdefgh"), tuple("bcdefghi")}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS}: the source texts are not here")
def test_no_text_shares_eight_words_in_a_row_with_a_source_outside_quotation_marks() -> None:
    seeds = {p.name: _runs(_words(p.read_text("utf-8"))) for p in sorted(SEEDS.glob("*.txt"))}
    assert seeds, f"{SEEDS} holds no .txt source"
    shared = []
    for report, data in _files().items():
        for where, text in _texts(data):
            mine = set().union(*(_runs(_words(part)) for part in QUOTED.split(text)))  # a quotation breaks a run
            for seed, theirs in seeds.items():
                for run in sorted(mine & theirs):
                    shared.append(f"{report} {where}: {' '.join(run)!r} (as in {seed})")
    assert shared == []


def test_every_quotation_is_closed() -> None:
    for report, data in _files().items():
        for where, text in _texts(data):
            assert text.count("“") == text.count("”") and text.count('"') % 2 == 0, (report, where)


# --------------------------------------------------------------------------- every reading marked


def test_every_status_event_says_who_vouches_for_it() -> None:
    missing = [f"{report}/{rec['ref']} {event['date']}" for report, data in _files().items()
               for rec in data.get("recommendations", []) for event in rec.get("events", [])
               if "status" in event and event.get("basis") not in ("claimed", "assessed", "verified")]
    assert missing == []


def test_every_status_event_can_be_traced_to_a_published_source() -> None:
    files = _files()
    untraced = []
    for report, data in files.items():
        for rec in data.get("recommendations", []):
            for event in rec.get("events", []):
                if "status" not in event:
                    continue
                source = files.get(event.get("source", ""))
                if not event.get("evidence") and not (source and source.get("url")):
                    untraced.append(f"{report}/{rec['ref']} {event['date']}")
    assert untraced == []


def test_every_report_has_its_url_a_note_naming_its_sources_and_says_whose_assignments_are_whose() -> None:
    for report, data in _files().items():
        assert data.get("url", "").startswith("https://"), report
        note = data.get("note", "")
        assert "Date" in note or "date" in note, report  # where the date comes from
        if any(rec.get("owner") for rec in data.get("recommendations", [])):
            assert "this ledger's assignment" in note, report


def test_approximate_dates_are_said_where_a_reader_meets_them() -> None:
    """An event dated by a report whose note calls its date approximate says so itself."""
    files = _files()
    approximate = {rid for rid, data in files.items() if "approximate" in data.get("note", "")}
    assert {"hmic-2017-met-cp-q1", "hmicfrs-2017-met-cp-q3", "peel-2016-met"} <= approximate
    for report, data in files.items():
        for rec in data.get("recommendations", []):
            for event in rec.get("events", []):
                dated_by = [rid for rid in approximate if files[rid]["published"] == event["date"]
                            and (event.get("source") == rid or rid == report)]
                if dated_by:
                    assert "approximate" in event.get("note", ""), (report, rec["ref"], event["date"])


def test_findings_are_not_passed_off_as_causes_of_concern() -> None:
    files = _files()
    cp = {rec["ref"]: rec for rec in files["hmic-2016-met-cp"]["recommendations"]}
    assert {ref for ref, rec in cp.items() if rec["kind"] == "finding"} == {f"F{n}" for n in range(1, 9)}
    causes = [(rid, rec["ref"]) for rid, data in files.items() for rec in data.get("recommendations", [])
              if rec["kind"] == "cause-of-concern"]
    assert causes == [("peel-2016-met-effectiveness", "C1")]  # the one HMIC named as such
    # R1-R9 are linked to findings as related items, the ledger's pairing, which their notes say
    for n in range(1, 10):
        first = cp[f"R{n}"]["events"][0]
        assert first["related"] and "this ledger's pairing" in first["note"], n


def test_the_2016_inspection_has_no_response_clock_and_every_clock_names_whose_response() -> None:
    files = _files()
    assert "response_within" not in files["hmic-2016-met-cp"]  # s.55(5A) was in force from 2 May 2017
    clocks = {rid: data for rid, data in files.items() if "response_within" in data}
    assert clocks and all(data["published"].isoformat() >= "2017-05-02" for data in clocks.values())
    assert all("MOPAC" in data["response_from"] for data in clocks.values())


# --------------------------------------------------------------------------- what the commands show


@pytest.fixture
def example(runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("TRACK_TODAY", "2026-11-25")
    root = tmp_path / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    return Cli(runner, root)


def test_check_is_clean(example: Cli) -> None:
    assert example("check").stdout == "ok: 13 reports, 37 recommendations, no problems\n"


def test_the_grades_show_the_2017_efficiency_judgement(example: Cli) -> None:
    [met] = example.json("report", "--grades")["subjects"]
    efficiency = next(q for q in met["questions"] if q["question"] == "efficiency")
    assert efficiency["direction"] == "declined"
    plain = example("report", "--grades", "--format", "plain").stdout
    row = next(line for line in plain.splitlines() if line.startswith("efficiency "))
    assert [cell for cell in row.split()[1:] if cell != "-"] == ["good", "requires-improvement", "declined"]
    assert "2017-11-09  peel-2017-met-efficiency: PEEL: Police efficiency 2017" in plain


def test_the_later_assessment_of_progress_is_there(example: Cli) -> None:
    files = _files()
    progress = files["hmicfrs-2021-met-cp-progress"]
    assert progress["follows"] == ["hmic-2016-met-cp", "hmicfrs-2019-met-cp-review"]
    # every open item of the 2016 inspection that has a due date was looked at again in 2021
    for rec in files["hmic-2016-met-cp"]["recommendations"]:
        events = rec.get("events", [])
        status = [e["status"] for e in events if "status" in e]
        if rec.get("due") and not (status and status[-1] in CLOSED):
            assert events[-1]["source"] == "hmicfrs-2021-met-cp-progress", rec["ref"]
    overdue = {r["id"]: r for r in example.json("list", "--overdue")}
    assert overdue["hmic-2016-met-cp/R1"]["last_event"] == "2021-09-01"


def test_the_review_has_its_online_case_figures(example: Cli) -> None:
    figures = example.json("reports", "show", "hmicfrs-2019-met-cp-review")["figures"]
    assert {k: figures[k] for k in ("online cases examined", "online cases inadequate or requiring improvement",
                                    "online cases referred back")} == {
        "online cases examined": 34, "online cases inadequate or requiring improvement": 29, "online cases referred back": 15}


# --------------------------------------------------------------------------- kind finding, response_from


def test_kind_finding_is_known_to_add_filters_reports_and_import(cli: Cli, make_report: Any, tmp_path: Path) -> None:
    make_report("r", published="2017-01-01")
    cli("add", "r", "--ref", "F1", "--kind", "finding", "--text", "Something found")
    cli("add", "r", "--ref", "R1", "--text", "Something asked")
    assert [r["id"] for r in cli.json("list", "--kind", "finding")] == ["r/F1"]
    groups = {g["key"]: g["total"] for g in cli.json("report", "--by", "kind")["groups"]}
    assert groups == {"finding": 1, "recommendation": 1}
    before = take_snapshot(cli.root)
    cli("add", "r", "--ref", "F2", "--kind", "findings", "--text", "x", expect=2)  # still only the known kinds
    assert take_snapshot(cli.root) == before
    path = tmp_path / "in.csv"
    path.write_text("report,ref,kind,text\nr,F3,finding,Found on import\n", "utf-8")
    cli("import", path)
    assert cli.json("show", "r/F3")["kind"] == "finding"
    cli("check")


def test_response_from_is_kept_shown_exported_and_imported(cli: Cli, make_report: Any, tmp_path: Path) -> None:
    cli("reports", "add", "p", "--title", "PEEL", "--by", "HMICFRS", "--subject", "Met", "--published", "2018-06-01",
        "--response-within", "56 days", "--response-from", "MOPAC")
    cli("add", "p", "--ref", "AFI1", "--kind", "area-for-improvement", "--text", "Do better")
    text = (cli.root / "reports" / "p.toml").read_text("utf-8")
    assert 'response_within = "56 days"\nresponse_from = "MOPAC"\n' in text
    assert "within 56 days of publication, from MOPAC" in cli("reports", "show", "p", "--format", "plain").stdout
    assert cli.json("reports", "show", "p")["response_from"] == "MOPAC"
    due = cli.json("remind", "--as-of", "2018-07-20")["responses_due"]
    assert [(d["report"], d["response_from"]) for d in due] == [("p", "MOPAC")]
    assert "56 days, from MOPAC" in cli("remind", "--as-of", "2018-07-20", "--format", "plain").stdout
    for fmt in ("json", "csv"):
        exported = cli("export", "--format", fmt).stdout
        assert "MOPAC" in exported
        copy = tmp_path / f"copy-{fmt}"
        cli("init", copy, ledger=False)
        dump = tmp_path / f"dump.{fmt}"
        dump.write_text(exported, "utf-8")
        cli("--ledger", copy, "import", dump, "--create-reports", ledger=False)
        assert cli.json("--ledger", copy, "reports", "show", "p", ledger=False)["response_from"] == "MOPAC"
    header = next(csv.reader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert header[header.index("report_response_within") + 1] == "report_response_from"
    cli("reports", "update", "p", "--response-from", "the local policing body")
    assert cli.json("reports", "show", "p")["response_from"] == "the local policing body"
    cli("reports", "update", "p", "--response-from", "")
    assert cli.json("reports", "show", "p")["response_from"] is None
    cli("check")
