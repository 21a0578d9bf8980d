"""An import holds one report at a time: its memory does not grow with the file (issue #18:
a 1,000,000-row CSV imports in under 1 GB). Measured with tracemalloc, which counts Python's
allocations, not the machine's speed: ten times the rows must not take much more memory
at its peak (the import that held every row and every new report took about ten times as
much)."""

from __future__ import annotations

import csv
import gc
import tracemalloc
from pathlib import Path

from conftest import Cli

REFS = 20  # recommendations a report
EVENTS = 3  # events a recommendation


def write_rows(path: Path, reports: int) -> int:
    """A CSV of `reports` new reports, as an export lays them out: the report's row, then each
    recommendation's row and its events' rows. Returns the number of rows."""
    columns = ["report", "ref", "text", "owner", "date", "status", "note", "source", "report_title", "report_by",
               "report_subject", "report_published"]
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(columns)
        for r in range(reports):
            report = f"r{r:05d}"
            out.writerow([report, "", "", "", "", "", "", "", f"Inspection {r} of the force's child protection work",
                          "HMICFRS", "Metropolitan Police Service", "2016-11-24"])
            rows += 1
            for i in range(REFS):
                ref = f"R{i + 1}"
                text = f"The force should review how it manages risk to children, case {r}.{i}: supervision and training."
                out.writerow([report, ref, text, "DCC", "2017-01-10", "", "Accepted in full.", "force update", "", "", "", ""])
                for k in range(EVENTS):
                    out.writerow([report, ref, "", "", f"2017-0{k + 2}-15", ("in-progress", "partially-implemented",
                                                                           "reported-complete")[k],
                                  f"Progress on {report}/{ref}, quarter {k + 1}: the plan is under way.", "follow-up 1",
                                  "", "", "", ""])
                rows += 1 + EVENTS
    return rows


def peak_of_import(runner, tmp_path: Path, name: str, reports: int) -> tuple[int, int]:
    """(rows, tracemalloc's peak in bytes while they are imported into a new ledger)."""
    path = tmp_path / f"{name}.csv"
    rows = write_rows(path, reports)
    Cli(runner, None)("init", tmp_path / name)
    target = Cli(runner, tmp_path / name)
    gc.collect()
    tracemalloc.start()
    try:
        result = target("import", path, "--create-reports", env={"TRACK_TODAY": "2018-06-30"})
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.stdout.startswith(f"imported {path}: {reports:,} reports, {reports * REFS:,} recommendations")
    return rows, peak


def test_an_import_of_ten_times_the_rows_takes_little_more_memory(runner, tmp_path: Path) -> None:
    peak_of_import(runner, tmp_path, "warm", 2)  # what every import loads once (modules, settings)
    small_rows, small = peak_of_import(runner, tmp_path, "small", 5)
    big_rows, big = peak_of_import(runner, tmp_path, "big", 50)
    assert (small_rows, big_rows) == (405, 4_050)
    # One report's rows, its recommendations and its rendered file, whatever the size; what
    # grows with the file (each report's id and publication, each recommendation's ref and
    # kind, the plan's lists, the staged files' names) is about 70 bytes a row. Holding every
    # row, as the import did, grew by about 3,400 bytes a row.
    assert big < small + 300 * (big_rows - small_rows), (small, big)


def test_a_bad_row_after_reports_were_staged_writes_nothing_and_leaves_nothing(runner, tmp_path: Path) -> None:
    """The reports before the bad row were rendered and staged in .track/staged-PID: none is
    moved into place, and the staged files go."""
    path = tmp_path / "rows.csv"
    write_rows(path, 5)
    with open(path, "a", encoding="utf-8") as f:
        f.write("r00004,R20,,,2017-06-10,done,A note.,,,,,\n")  # the last report's last row: no such status
    Cli(runner, None)("init", tmp_path / "ledger")
    target = Cli(runner, tmp_path / "ledger")
    result = target("import", path, "--create-reports", expect=1, env={"TRACK_TODAY": "2018-06-30"})
    assert "'done' is not a status" in result.stderr and "nothing was written" in result.stderr
    assert list((tmp_path / "ledger" / "reports").iterdir()) == []
    assert not list((tmp_path / "ledger" / ".track").glob("staged-*"))
    assert not (tmp_path / "ledger" / ".track" / "journal.json").exists()
