"""The ledger folder on disk: canonical TOML, round trips, atomic writes, discovery (track.store: reportfile.py and disk.py)."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from datetime import date
from pathlib import Path

import pytest
from conftest import IOPC, PEEL, Q1, A, Cli

from track import Ledger
from track.domain.errors import ChangedOnDisk, LedgerLocked, LedgerNotFound, TrackError
from track.store import disk, reportfile


def decode_file(path: Path) -> disk.Report:
    text = path.read_text("utf-8")
    report, problems, unknown = reportfile.decode_report(path.stem, tomllib.loads(text), path.name, text)
    assert problems == [] and unknown == []
    assert report is not None
    return report


# --------------------------------------------------------------------------- round trips


def test_a_ledger_built_with_commands_round_trips_byte_for_byte(met: Cli) -> None:
    files = sorted((met.root / "reports").glob("*.toml"))
    assert [f.name for f in files] == [f"{A}.toml", f"{Q1}.toml", f"{IOPC}.toml", f"{PEEL}.toml"]
    for path in files:
        report = decode_file(path)
        assert reportfile.dumps_report(report) == path.read_text("utf-8")
        # and the records are the ones the library reads
        assert Ledger(met.root).full(path.stem) == report


def test_the_files_read_back_by_tomllib_hold_the_records(met: Cli) -> None:
    data = tomllib.loads((met.root / "reports" / f"{A}.toml").read_text("utf-8"))
    assert data["published"] == date(2016, 11, 24) and type(data["published"]) is date
    assert data["figures"] == {"cases reviewed": 374, "needing improvement or inadequate": 278, "referred back": 38}
    assert data["grades"] == {"overall": "inadequate"}
    assert data["followup"] == {"every": "3 months", "from": date(2017, 3, 1), "until": date(2018, 2, 28)}
    assert data["response_within"] == "56 days" and data["revisit"] == "12 months"
    recs = {r["ref"]: r for r in data["recommendations"]}
    assert list(recs) == ["C1", "R1", "R2", "R10"]  # the order they were added
    r1 = recs["R1"]
    assert r1["due"] == date(2017, 5, 24) and r1["answers"] == f"{A}/C1"
    assert r1["tags"] == ["governance", "safeguarding"] and r1["entered"] == date(2018, 6, 30)
    entered = {"recorded": date(2018, 6, 30), "recorded_by": "tester"}  # the day it was typed in, and by whom
    assert r1["events"] == [
        {"date": date(2017, 1, 10), "response": "accepted", "source": "force update", **entered},
        {"date": date(2017, 3, 15), "status": "in-progress", "basis": "assessed", "note": "Lead appointed", "source": Q1,
         **entered},
        {"date": date(2017, 6, 1), "due": date(2017, 12, 31), "reason": "Restructure delayed the work", **entered},
        {"date": date(2018, 2, 20), "status": "implemented", "basis": "claimed",
         "note": "Verified in the fourth quarterly report", "evidence": ["https://example.org/q4"], **entered},
    ]
    assert "events" not in recs["C1"]  # empty values are left out
    settings = tomllib.loads((met.root / "track.toml").read_text("utf-8"))
    assert settings["schema"] == 1 and settings["name"] == "met"


def test_a_second_save_changes_no_byte_and_keeps_the_mtime(met: Cli) -> None:
    for path in sorted((met.root / "reports").glob("*.toml")):
        before = path.read_bytes()
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        assert disk.atomic_write(path, reportfile.dumps_report(decode_file(path))) is False
        assert path.read_bytes() == before
        assert path.stat().st_mtime_ns == 1_000_000_000


def test_the_library_rewriting_every_report_changes_nothing(met: Cli, snapshot) -> None:
    before = snapshot(met.root)
    for path in (met.root / "reports").glob("*.toml"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    ledger = Ledger(met.root)
    with ledger.changing("rewrite everything") as dirty:
        for report_id in list(ledger.reports):
            ledger.full(report_id)
            dirty.add(report_id)
    assert snapshot(met.root) == before
    assert {p.stat().st_mtime_ns for p in (met.root / "reports").glob("*.toml")} == {1_000_000_000}


def test_a_hand_written_file_is_canonicalised_once_then_stable(ledger_path: Path) -> None:
    text = (
        'published = 2017-01-01\nsubject = "s"\nby = "HMIC"\ntitle = "t"\n'
        '[[recommendations]]\ntext = "do it"\nref = "R1"\n'
        '[[recommendations.events]]\nnote = "n"\ndate = 2017-02-01\n'
    )
    report, problems, _ = reportfile.decode_report("r", tomllib.loads(text), "r.toml", text)
    assert problems == [] and report is not None
    canonical = reportfile.dumps_report(report)
    assert canonical.splitlines()[:5] == ['title = "t"', 'by = "HMIC"', 'subject = "s"', 'kind = "inspection"', "published = 2017-01-01"]
    again, _, _ = reportfile.decode_report("r", tomllib.loads(canonical), "r.toml", canonical)
    assert reportfile.dumps_report(again) == canonical


def test_unknown_keys_are_reported_and_kept_everywhere(tmp_path: Path) -> None:
    text = (
        'title = "t"\nby = "HMIC"\nsubject = "s"\npublished = 2017-01-01\nx_top = "top"\n'
        '[followup]\nevery = "3 months"\nx_followup = 7\n'
        '[[recommendations]]\nref = "R1"\ntext = "do it"\nx_rec = [1, 2]\n'
        '[[recommendations.events]]\ndate = 2017-02-01\nnote = "n"\nx_event = 2017-03-01\n'
    )
    report, problems, unknown = reportfile.decode_report("r", tomllib.loads(text), "reports/r.toml", text)
    assert problems == [] and report is not None
    assert [str(p) for p in unknown] == [
        "reports/r.toml:8:1: unknown key 'followup.x_followup' (kept as it is)",
        "reports/r.toml:5:1: unknown key 'x_top' (kept as it is)",
        "reports/r.toml:12:1: unknown key 'recommendations[0].x_rec' (kept as it is)",
        "reports/r.toml:16:1: unknown key 'recommendations[0].events[0].x_event' (kept as it is)",
    ]
    data = tomllib.loads(reportfile.dumps_report(report))
    assert data["x_top"] == "top"
    assert data["followup"] == {"every": "3 months", "x_followup": 7}
    assert data["recommendations"][0]["x_rec"] == [1, 2]
    assert data["recommendations"][0]["events"][0]["x_event"] == date(2017, 3, 1)


# --------------------------------------------------------------------------- reading problems


def write_report(root: Path, name: str, data: bytes) -> None:
    (root / "reports" / f"{name}.toml").write_bytes(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'title = "t"\nby = = 1\n', "reports/bad.toml:2:6: TOML syntax: Invalid value"),
        (b'title = "t"\n<<<<<<< HEAD\nby = "a"\n=======\nby = "b"\n>>>>>>> x\n', "reports/bad.toml:2:1: git conflict marker"),
        (b'\xef\xbb\xbftitle = "t"\n', "reports/bad.toml:1:1: starts with a UTF-8 byte-order mark"),
        (b'title = "t"\nby = "caf\xe9"\n', "reports/bad.toml:2:10: not UTF-8 text (byte 0xe9)"),
        (b"\n  \n", "reports/bad.toml:1:1: empty file"),
        (b'title = "t"\n', "reports/bad.toml"),  # where a missing key would be is moot
        (b'title = "t"\nby = "b"\nsubject = "s"\npublished = "2017-01-01"\n', "reports/bad.toml:4:1: published must be a date"),
    ],
)
def test_reading_a_bad_file_names_file_line_and_column(ledger_path: Path, data: bytes, expected: str) -> None:
    write_report(ledger_path, "bad", data)
    report, problems, _ = disk.read_report(ledger_path, "bad")
    assert report is None
    assert str(problems[0]).startswith(expected), str(problems[0])
    if expected == "reports/bad.toml":
        assert re.fullmatch(r"reports/bad\.toml(:\d+)?: by is missing", str(problems[0])), str(problems[0])


def test_problem_text() -> None:
    assert str(reportfile.Problem("reports/a.toml", 3, 7, "bad")) == "reports/a.toml:3:7: bad"
    assert str(reportfile.Problem("reports/a.toml", 3, None, "bad")) == "reports/a.toml:3: bad"
    assert str(reportfile.Problem("track.toml", None, None, "bad")) == "track.toml: bad"


# --------------------------------------------------------------------------- writing


def test_atomic_write_replaces_the_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    assert disk.atomic_write(path, "a = 1\n") is True
    assert path.read_text() == "a = 1\n"
    path.chmod(0o600)
    assert disk.atomic_write(path, "a = 2\n") is True
    assert path.read_text() == "a = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the mode is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.toml"
    target.write_text("a = 1\n")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert disk.atomic_write(link, "a = 2\n") is True
    assert link.is_symlink() and target.read_text() == "a = 2\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_failed_write_says_so_and_leaves_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "r.toml"
    path.write_text("a = 1\n")
    folder.chmod(0o555)
    try:
        with pytest.raises(TrackError, match="could not write"):
            disk.atomic_write(path, "a = 2\n")
    finally:
        folder.chmod(0o755)
    assert path.read_text() == "a = 1\n"
    assert sorted(p.name for p in folder.iterdir()) == ["r.toml"]


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    (tmp_path / f".r.toml.{dead_pid}.tmp").write_text("half")
    (tmp_path / f".r.toml.{os.getppid()}.tmp").write_text("someone else's, alive")
    (tmp_path / "r.toml").write_text("a = 1\n")
    disk.remove_stale_temps(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".r.toml.{os.getppid()}.tmp", "r.toml"]


def test_the_lock_refuses_a_second_writer_after_the_timeout(ledger_path: Path) -> None:
    with disk.locked(ledger_path, 5, "first"):
        with pytest.raises(LedgerLocked, match=rf"locked by process {os.getpid()} \(first"):
            with disk.locked(ledger_path, 0.05, "second"):
                pass
    with disk.locked(ledger_path, 0.05, "third"):  # released
        pass


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_bytes(b"new")
    disk.check_unchanged(path, b"new")
    with pytest.raises(ChangedOnDisk):
        disk.check_unchanged(path, b"old")
    with pytest.raises(ChangedOnDisk):
        disk.check_unchanged(tmp_path / "gone.toml", b"old")


# --------------------------------------------------------------------------- discovery


def test_find_ledger_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledger_path: Path) -> None:
    other = tmp_path / "other"
    Ledger.init(other)
    deep = ledger_path / "reports" / "sub"
    deep.mkdir()
    monkeypatch.chdir(deep)
    assert disk.find_ledger() == ledger_path  # the nearest track.toml upwards
    monkeypatch.setenv("TRACK_LEDGER", str(other))
    assert disk.find_ledger() == other  # $TRACK_LEDGER before the working directory
    assert disk.find_ledger(ledger_path) == ledger_path  # --ledger before $TRACK_LEDGER
    assert disk.find_ledger(ledger_path / "track.toml") == ledger_path
    monkeypatch.setenv("TRACK_LEDGER", str(tmp_path / "missing"))
    with pytest.raises(LedgerNotFound, match="TRACK_LEDGER"):
        disk.find_ledger()
    monkeypatch.delenv("TRACK_LEDGER")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LedgerNotFound, match="no ledger found"):
        disk.find_ledger()


def test_check_names_every_misplaced_or_invalid_setting(tmp_path: Path) -> None:
    from track import Ledger

    root = tmp_path / "ledger"
    Ledger.init(root, "l")
    settings = root / "track.toml"
    settings.write_text('lock_timeout = -5\ntimezone = "Mars/Olympus"\n' + settings.read_text() + 'timezone = "Europe/London"\n')
    problems = [str(p) for p in Ledger(root).check()]
    assert problems == [
        "track.toml:1:1: lock_timeout = -5 must be a number of seconds from 0 to 3600",
        "track.toml: unknown key 'remind.timezone' (it belongs above [remind], at the top of track.toml)",
        "track.toml:2:1: timezone 'Mars/Olympus' is not a time zone name such as 'Europe/London'",
    ]


@pytest.mark.parametrize("setting, message", [
    ('timezone = "Mars/Olympus"', "track.toml: timezone 'Mars/Olympus' is not a time zone name such as 'Europe/London'"),
    ("lock_timeout = -5", "track.toml: lock_timeout = -5 must be a number of seconds from 0 to 3600"),
    ('lock_timeout = "soon"', "track.toml: lock_timeout = 'soon' must be a number of seconds from 0 to 3600"),
])
def test_an_invalid_setting_is_refused_in_one_line_not_an_internal_error(tmp_path: Path, setting: str, message: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from track import Ledger
    from track.domain.errors import InvalidLedger

    monkeypatch.delenv("TRACK_TODAY")  # the time zone decides what today is

    root = tmp_path / "ledger"
    Ledger.init(root, "l")
    settings = root / "track.toml"
    settings.write_text(setting + "\n" + settings.read_text())
    before = sorted(p.name for p in (root / "reports").iterdir())
    with pytest.raises(InvalidLedger) as raised:
        ledger = Ledger(root)
        ledger.add_report("r", title="t", by="b", subject="s", published="2017-01-01")
    assert str(raised.value) == message
    assert sorted(p.name for p in (root / "reports").iterdir()) == before  # nothing written
