"""`track export` from the index: the same bytes as from the files alone (TRACK_NO_CACHE=1),
in both formats, with --report and --as-of, whether the index is fresh, stale, partly missing
or deleted, for reports with and without hand-kept keys and with awkward text; on one core
and on many (16 reports or more go to worker processes and through spool files)."""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import tomli_w
from conftest import Cli
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exchange"))  # test_exchange's ledgers
from test_exchange import ledgers  # noqa: E402
from typer.testing import CliRunner

from track.exchange.export import COLUMNS, _csv_lines
from track.ledger import Ledger
from track.store import cache, disk, reportfile

AWKWARD = ["plain", "with, comma", 'with "quotes"', '"', "line1\nline2", "cr\r\nlf", "lone\rcr", "tab\there",
           "ctl\x01\x7f\x85x", "café — 😀", " lead space", "trail space ", "semi; colon", "=eq", "a;b\nc",
           "\\back\\slash", "\u2028sep\u2029", "\ufeffbom", "null", "}, {\"date\": ", "[x]"]


def export(root: Path, *args: str, files_only: bool = False) -> bytes:
    """What `track export ARGS` writes, from the index, or (files_only) as TRACK_NO_CACHE=1 reads."""
    with mock.patch.object(Ledger, "use_cache", not files_only):
        return Cli(CliRunner(), root)("export", *args).stdout_bytes


def variants(ids: list[str], day: str) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for fmt in ("json", "csv"):
        out += [("--format", fmt), ("--format", fmt, "--as-of", day), ("--format", fmt, "--as-of", "1990-01-01")]
        out += [("--format", fmt, "--report", ids[-1], "--report", ids[0], "--as-of", day)]
    return out


def assert_same_as_files(root: Path, day: str) -> None:
    for args in (("--format", "json"), ("--format", "csv", "--as-of", day)):
        assert export(root, *args) == export(root, *args, files_only=True), args


# --------------------------------------------------------------------------- any ledger


@st.composite
def awkward_ledgers(draw: st.DrawFn) -> list:
    """test_exchange's valid ledgers, with some texts swapped for control characters, lone CRs,
    and text that looks like the export's own layout."""
    reports = draw(ledgers())
    awkward = st.sampled_from(AWKWARD)
    for report in reports:
        if draw(st.booleans()):
            report.title = draw(awkward)
        for rec in report.recommendations:
            if draw(st.booleans()):
                rec.text = draw(awkward)
            for event in rec.events:
                if draw(st.booleans()):
                    event.note = draw(awkward)
    return reports


@settings(max_examples=15)
@given(awkward_ledgers(), st.dates(date(1995, 1, 1), date(2018, 6, 30)))
def test_any_ledger_exports_from_the_index_as_from_its_files(reports: list, day: date) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "l"
        Ledger.init(root)
        for report in reports:
            disk.atomic_write(disk.report_path(root, report.id), reportfile.dumps_report(report))
        ids = sorted(r.id for r in reports)
        expected = {args: export(root, *args, files_only=True) for args in variants(ids, day.isoformat())}
        assert not any(cache.read_shard(root, report_id) for report_id in ids)  # files only wrote none
        for _round in ("shards built from the files", "read from the shards"):
            for args, text in expected.items():
                assert export(root, *args) == text, args
        for report in reports:  # the second round did come from the index where there is one
            assert (cache.read_shard(root, report.id) is not None) == cache.cacheable(report)


# --------------------------------------------------------------------------- many reports


def write_awkward_ledger(root: Path, reports: int, seed: int = 7) -> list[str]:
    """A ledger written by hand: awkward text, figures as floats and ints, every optional field
    now and then, and about one report in three with hand-kept keys (which have no shard)."""
    rng = random.Random(seed)
    Ledger.init(root, name='awk "ward", ledgé')

    def text() -> str:
        value = rng.choice(AWKWARD) + rng.choice(["", " " + rng.choice(AWKWARD)])
        return value if value.strip() else "x" + value

    ids = []
    for number in range(reports):
        report_id = f"rep-{number:03d}"
        ids.append(report_id)
        unknown = rng.random() < 0.35
        data: dict = {"title": text(), "by": text(), "subject": text(), "kind": rng.choice(["inspection", "peel"]),
                      "published": date(2015, 1, 1) + timedelta(days=rng.randint(0, 1500))}
        if rng.random() < 0.5:
            data["url"] = text()
        if rng.random() < 0.4:
            data["follows"] = ["rep-000", "x;y"]
        if rng.random() < 0.4:
            data["note"] = text()
        if rng.random() < 0.4:
            data["response_within"] = rng.choice(["56 days", "3 months", "1 year"])
        if rng.random() < 0.3:
            data["revisit"] = rng.choice(["12 months", date(2019, 5, 1)])
        if rng.random() < 0.3:
            data["followup"] = {"every": "3 months", "from": date(2017, 3, 1), "until": date(2018, 2, 28)}
            if unknown and rng.random() < 0.5:
                data["followup"]["colour"] = "blue"
        if rng.random() < 0.5:
            data["figures"] = {"cases": rng.randint(0, 400), "share": rng.choice([0.5, 1.0, 1e-7, 2.5e20]),
                               " spaced ": 3, "semi;": 1.25, "big": 10**20}
        if rng.random() < 0.4:
            data["grades"] = {"overall": "good", "q; semi": "inadequate"}
        if unknown and rng.random() < 0.5:
            data["zz_hand"] = {"a": [1, 2.5, "s"], "when": date(2020, 1, 1), "t": True}
        recs = []
        for j in range(rng.randint(0, 5)):
            rec: dict = {"ref": f"R{j}", "text": text(), "kind": rng.choice(["recommendation", "cause-of-concern"])}
            for key, value in (("answers", "C1"), ("owner", text()), ("tags", [text(), text()]),
                               ("priority", "high"), ("due", date(2016, 1, 1) + timedelta(days=rng.randint(0, 900))),
                               ("entered", date(2020, 1, 1)), ("evidence", [text()]), ("related", ["rep-000/R1"])):
                if rng.random() < 0.5:
                    rec[key] = value
            if unknown and rng.random() < 0.3:
                rec["hand_note"] = text()
            events = []
            day = data["published"]
            for _k in range(rng.randint(0, 5)):
                day += timedelta(days=rng.randint(0, 200))
                event: dict = {"date": day, "note": text()}
                for key, value in (("status", "in-progress"), ("response", "accepted"), ("owner", text()),
                                   ("superseded_by", "rep-001/R1"), ("duplicate_of", "rep-002/R0"),
                                   ("related", ["rep-003/R1", "a; b"]), ("source", text()),
                                   ("evidence", [text(), text()])):
                    if rng.random() < 0.3:
                        event[key] = value
                if rng.random() < 0.2:
                    event["due"], event["reason"] = day + timedelta(days=90), text()
                if unknown and rng.random() < 0.3:
                    event["x_extra"] = [1, "two"]
                events.append(event)
            if events:
                rec["events"] = events
            recs.append(rec)
        if recs:
            data["recommendations"] = recs
        (root / "reports" / f"{report_id}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return ids


def test_many_reports_fresh_stale_and_deleted_index_export_as_the_files_do(tmp_path: Path) -> None:
    root = tmp_path / "l"
    ids = write_awkward_ledger(root, 40)
    day = "2016-06-30"
    expected = {args: export(root, *args, files_only=True) for args in variants(ids, day)}
    for args, text in expected.items():  # no index yet: every file is read (and its shard written)
        assert export(root, *args) == text, args
    shards = sorted(p.name for p in cache.folder(root).iterdir() if not p.name.startswith("_"))
    assert 10 < len(shards) < 40  # the reports with hand-kept keys have none
    for args, text in expected.items():  # from the index
        assert export(root, *args) == text, args

    # a hand edit of the same size within the same second: the shard no longer vouches for it
    path = root / "reports" / f"{shards[3]}.toml"
    st = path.stat()
    raw = path.read_bytes()
    year = raw.index(b"published = ") + len(b"published = 201")
    edited = raw[:year] + str(int(raw[year:year + 1]) - 1).encode() + raw[year + 1:]  # a year earlier
    assert len(edited) == len(raw) and edited != raw
    path.write_bytes(edited)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert_same_as_files(root, day)
    published = raw[year - 15:year + 7].decode().split(" = ")[1]
    assert f'"published": "{int(published[:4]) - 1}{published[4:]}"'.encode() in export(root, "--report", shards[3])

    # a shard of another report put in its place, one deleted, one cut short
    folder = cache.folder(root)
    shutil.copy(folder / shards[5], folder / shards[6])
    (folder / shards[7]).unlink()
    (folder / shards[8]).write_bytes((folder / shards[8]).read_bytes()[:50])
    assert_same_as_files(root, day)

    shutil.rmtree(folder)  # the whole index deleted
    assert_same_as_files(root, day)


def test_a_file_that_cannot_be_read_among_many_stops_the_export_before_any_output(tmp_path: Path) -> None:
    root = tmp_path / "l"
    ids = write_awkward_ledger(root, 30)
    export(root)  # the index is built
    (root / "reports" / f"{ids[20]}.toml").write_text("title = \n", "utf-8")
    for fmt in ("json", "csv"):
        for files_only in (False, True):
            with mock.patch.object(Ledger, "use_cache", not files_only):
                result = Cli(CliRunner(), root)("export", "--format", fmt, expect=1)
            assert result.stdout_bytes == b""
            assert result.stderr.startswith(f"track: reports/{ids[20]}.toml:1:")


def test_the_installed_command_writes_the_same_bytes_to_a_file_and_to_a_pipe(tmp_path: Path) -> None:
    """Out of process, the spool files go to the output by sendfile (to a file), by copying (to
    a pipe), and through the text layer where stdout does not write UTF-8."""
    root = tmp_path / "l"
    ids = write_awkward_ledger(root, 20, seed=3)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("TRACK_NO_CACHE", None)
    for fmt in ("json", "csv"):
        expected = export(root, "--format", fmt, files_only=True)
        command = [sys.executable, "-m", "track", "--ledger", str(root), "export", "--format", fmt]
        with open(tmp_path / "out", "wb") as out:
            subprocess.run(command, stdout=out, env=env, check=True)
        assert (tmp_path / "out").read_bytes() == expected
        assert subprocess.run(command, capture_output=True, env=env, check=True).stdout == expected
        other = subprocess.run(command, capture_output=True, env={**env, "PYTHONIOENCODING": "utf-16"}, check=True)
        assert other.stdout.decode("utf-16") == expected.decode("utf-8")
    assert len(ids) == 20


cells = st.text(st.sampled_from([",", '"', "\r", "\n", " ", ";", "é", "😀", "\x00", "\x85", "a"]) | st.characters(),
                max_size=6)


@settings(max_examples=200)
@given(st.lists(st.tuples(*[cells] * len(COLUMNS)), min_size=1, max_size=4))
def test_rows_are_written_as_csv_writer_writes_them(rows: list[tuple[str, ...]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    assert _csv_lines(rows) == buffer.getvalue()


def test_when_no_spool_file_can_be_made_or_written_the_parts_come_through_the_pipe(tmp_path: Path) -> None:
    from track.exchange import export as exporting

    root = tmp_path / "l"
    write_awkward_ledger(root, 20, seed=5)
    expected = {fmt: export(root, "--format", fmt, files_only=True) for fmt in ("json", "csv")}
    read_only = os.open(os.devnull, os.O_RDONLY)
    try:
        for spool in (lambda self: None, lambda self: read_only):
            with mock.patch.object(exporting._Parts, "new", spool):
                for fmt, text in expected.items():
                    assert export(root, "--format", fmt) == text
    finally:
        os.close(read_only)


def test_a_spool_file_that_fills_up_midway_keeps_what_was_written_and_sends_the_rest(tmp_path: Path) -> None:
    import types

    from track.exchange import export as exporting

    root = tmp_path / "l"
    write_awkward_ledger(root, 24, seed=9)
    expected = {fmt: export(root, "--format", fmt, files_only=True) for fmt in ("json", "csv")}
    calls = [0]

    def write(fd: int, data: bytes) -> int:  # in each worker: a few writes, then a full disk midway
        calls[0] += 1
        if calls[0] > 4:
            raise OSError(28, "No space left on device")
        return os.write(fd, bytes(data)[:len(data) // 2 or 1] if calls[0] == 4 else data)

    failing = types.SimpleNamespace(**{**vars(os), "write": write})
    with mock.patch.object(exporting, "_SPOOL_BATCH", 1), mock.patch.object(exporting, "os", failing):
        for fmt, text in expected.items():
            assert export(root, "--format", fmt) == text
