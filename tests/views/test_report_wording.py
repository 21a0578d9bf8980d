"""`track report`'s words say one thing each: "awaiting" is the status awaiting-response (the
AWAITING column, by_status), "no response recorded" the open items whose response is still
awaited whatever their status (NO-RESPONSE, no_response); the CSV heading names each field
once, spelt as the other CSV headings are; a graded question that a later inspection did not
grade again is "not reassessed", not "new". On the example ledger (data/met-police) and on
the story ledger (conftest's `met`)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from conftest import Cli

from track.domain.model import STATUSES

MET_DATA = Path(__file__).resolve().parents[2] / "data" / "met-police"


@pytest.fixture
def example(runner, tmp_path: Path) -> Cli:
    root = tmp_path / "met-police"
    shutil.copytree(MET_DATA, root, ignore=shutil.ignore_patterns(".track"))
    return Cli(runner, root)


def test_no_response_and_the_status_awaiting_response_are_named_apart(example: Cli) -> None:
    data = example.json("report", "--as-of", "2026-12-05")
    total = data["total"]
    # 10 have the status awaiting-response; 16 open ones have no response recorded (6 of them moved on without one)
    assert total["by_status"]["awaiting-response"] == 10 and total["no_response"] == 16
    assert "awaiting_response" not in total  # one name, one meaning: the status is by_status["awaiting-response"]
    plain = example("report", "--as-of", "2026-12-05", "--format", "plain").stdout
    assert ("37 items (1 cause of concern, 11 recommendations, 6 areas for improvement, 19 findings), 35 open, 2 closed (5%), 2 implemented (5%; 1 verified), 11 overdue, 0 due within 30 days, "
            "16 with no response recorded, 5 response overdue") in plain
    assert "awaiting a response" not in plain and "RESP-AWAITED" not in plain and "resp-awaited" not in plain
    header = next(line for line in plain.splitlines() if line.startswith("REPORT ")).split()
    assert "AWAITING" in header and "NO-RESPONSE" in header
    total_row = next(line for line in plain.splitlines() if line.startswith("Total ")).split()
    assert total_row[header.index("AWAITING")] == "10" and total_row[header.index("NO-RESPONSE")] == "16"
    assert "no-response" in [line.split()[0] for line in plain.splitlines() if line.strip()]  # the trend's row
    markdown = example("report", "--as-of", "2026-12-05", "--format", "markdown").stdout
    assert "- **16** with no response recorded" in markdown
    html = example("report", "--as-of", "2026-12-05", "--format", "html").stdout
    assert 'data-figure="no_response"' in html and "with no response recorded" in html


def test_the_json_documents_each_count() -> None:
    from track.views.report import progress_data

    doc = progress_data.__doc__ or ""
    for field in ("no_response", "implemented_verified", "duplicate", 'by_status["awaiting-response"]'):
        assert field in doc, field


def test_the_csv_heading_names_each_field_once(example: Cli, met: Cli) -> None:
    for cli, args in ((example, ["hmic-2016-met-cp", "--as-of", "2026-12-05"]), (example, ["--as-of", "2026-12-05"]),
                      (met, ["--as-of", "2018-06-30"])):
        text = cli("report", *args, "--format", "csv").stdout
        heading = text.splitlines()[0].split(",")
        assert len(heading) == len(set(heading)), heading
        assert not [h for h in heading if "-" in h], heading  # as every CSV heading: underscores
        assert heading[:19] == ["row", "of", "report", "date", "moved", "key", "total", "open", "closed", "duplicate",
                                "implemented", "implemented_verified", "implemented_unverified", "share_closed",
                                "share_implemented", "overdue", "due_soon", "no_response", "response_overdue"]
        assert heading[19:27] == [s.replace("-", "_") for s in STATUSES if s != "implemented"]
        assert heading[27:] == ["issued", "closed_implemented", "closed_not_implemented", "closed_superseded",
                                "closed_withdrawn", "reopened", "open_at_end"]  # the period's (report --since)
        data = cli.json("report", *args)
        rows = list(csv.DictReader(io.StringIO(text)))
        for row, g in zip([r for r in rows if r["row"] in ("group", "total")], data["groups"] + [data["total"]]):
            assert int(row["no_response"]) == g["no_response"]
            assert int(row["awaiting_response"]) == g["by_status"]["awaiting-response"]  # the status, as not_started is
            assert int(row["implemented"]) == g["by_status"]["implemented"] == g["implemented"]
            assert int(row["not_started"]) == g["by_status"]["not-started"]
        trend = [r for r in rows if r["row"] == "trend"]
        assert [(r["report"], int(r["no_response"]), int(r["awaiting_response"])) for r in trend] == \
            [(t["report"], t["no_response"], t["by_status"]["awaiting-response"]) for t in data["trend"]]


def test_a_judgement_not_given_again_is_not_reassessed(example: Cli) -> None:
    data = example.json("report", "--grades", "--as-of", "2026-12-05")
    [met] = data["subjects"]
    directions = {q["question"]: q["direction"] for q in met["questions"]}
    # graded once, at 2017-03-02's effectiveness inspection; later inspections did not grade it again
    assert directions["protecting vulnerable people"] == "not-reassessed"
    assert directions["efficiency"] == "declined"  # good in the 2016 assessment, requires improvement in 2017
    assert directions["legitimacy"] == "unchanged" and directions["workforce behaves ethically and lawfully"] == "improved"
    assert "new" not in directions.values()
    plain = example("report", "--grades", "--as-of", "2026-12-05", "--format", "plain").stdout
    row = next(line for line in plain.splitlines() if line.startswith("protecting vulnerable people"))
    assert row.endswith("  not reassessed") and " new" not in plain
    csv_text = example("report", "--grades", "--as-of", "2026-12-05", "--format", "csv").stdout
    assert "protecting vulnerable people,peel-2016-met-effectiveness,2017-03-02,inadequate,not-reassessed" in csv_text
    for fmt in ("markdown", "html"):
        assert "not reassessed" in example("report", "--grades", "--as-of", "2026-12-05", "--format", fmt).stdout


def test_a_judgement_graded_once_at_the_latest_inspection_is_new(example: Cli) -> None:
    # as of 2017-03-02 the effectiveness inspection is the latest: its judgements are new, and
    # the legitimacy inspection's are not reassessed by it
    [met] = example.json("report", "--grades", "--as-of", "2017-03-02")["subjects"]
    directions = {q["question"]: q["direction"] for q in met["questions"]}
    assert directions["protecting vulnerable people"] == "new"
    assert directions["legitimacy"] == "not-reassessed"


def test_direction_of_change() -> None:
    from track.domain.grades import direction

    assert direction(None, "good") == "new" and direction(None, "good", at_latest=False) == "not-reassessed"
    assert direction("good", "inadequate") == "declined" and direction("inadequate", "good", at_latest=False) == "improved"
    assert direction(None, None) == ""
