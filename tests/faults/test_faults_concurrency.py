"""Several processes changing one ledger at once (a person and cron): every change lands, in
some order, none is lost. 4 real processes x 50 `track update` each, on the same
recommendation and on different ones, with a reader running all the while; and the lock's
timeout names the process that holds it, and is released when that process is killed."""

from __future__ import annotations

import json
import re
import signal
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults_support import PEEL, REPORT, fast_folder, new_ledger, subprocess_env, temps, track

from track import Ledger
from track.store import journal

WORKERS = 4
UPDATES = 50

# One worker: `track --ledger ROOT update REC --note TAG-i` UPDATES times, through the real
# command line (click's main, not the test runner), each a separate command with its own
# Ledger; it starts when told to, so that all four contend from the first update.
WORKER = r"""
import sys
from typer.main import get_command
from track.cli.app import app

root, rec, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
command = get_command(app)
print("ready", flush=True)
sys.stdin.readline()
failed = 0
for i in range(count):
    code = command.main(["--ledger", root, "update", rec, "--note", f"{tag}-{i}"], prog_name="track", standalone_mode=False)
    if code not in (None, 0):
        failed += 1
print(f"done {failed}", flush=True)
sys.exit(1 if failed else 0)
"""

# A reader: `track list --format json` in a loop until told to stop; every read must work and
# the number of events it sees may only grow.
READER = r"""
import io, json, sys, contextlib, select
from typer.main import get_command
from track.cli.app import app

root = sys.argv[1]
command = get_command(app)
print("ready", flush=True)
reads, last, bad = 0, -1, []
while not select.select([sys.stdin], [], [], 0.02)[0]:  # a read every 20 ms or so
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = command.main(["--ledger", root, "history", "--format", "json"], prog_name="track", standalone_mode=False)
    if code not in (None, 0):
        bad.append(err.getvalue())
        continue
    seen = len(json.loads(out.getvalue()))
    if seen < last:
        bad.append(f"events went from {last} to {seen}")
    last = seen
    reads += 1
print(json.dumps({"reads": reads, "bad": bad[:5]}), flush=True)
"""


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=subprocess_env())
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == "ready\n", (line, proc.stderr.read() if proc.stderr else "")
    return proc


def _run_together(root: Path, recs: list[str]) -> dict:
    reader = _start(READER, str(root))
    workers = [_start(WORKER, str(root), rec, f"p{n}", str(UPDATES)) for n, rec in enumerate(recs)]
    for proc in workers:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in workers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.splitlines()[-1] == "done 0", (out[-500:], err)
    assert reader.stdin is not None
    out, err = reader.communicate("stop\n", timeout=60)
    report = json.loads(out)
    assert report["bad"] == [], report
    return report


def _notes(root: Path, rec_id: str) -> list[str]:
    """The notes of its events (history's row saying it was issued left out)."""
    return [e["note"] for e in json.loads(track(root, "history", rec_id, "--format", "json").stdout) if "event" not in e]


def _each_process_in_order(notes: list[str], tags: list[str]) -> None:
    for tag in tags:
        mine = [int(n.split("-")[1]) for n in notes if n.startswith(f"{tag}-")]
        assert mine == list(range(UPDATES)), (tag, mine)


@pytest.fixture
def fast(tmp_path: Path) -> Iterator[Path]:
    import shutil

    folder = fast_folder(tmp_path)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_four_processes_updating_the_same_recommendation_lose_nothing(fast: Path) -> None:
    root = new_ledger(fast / "ledger")
    rec = f"{REPORT}/R1"
    reads = _run_together(root, [rec] * WORKERS)["reads"]
    notes = _notes(root, rec)
    assert len(notes) == WORKERS * UPDATES == 200
    assert sorted(notes) == sorted(f"p{n}-{i}" for n in range(WORKERS) for i in range(UPDATES))
    _each_process_in_order(notes, [f"p{n}" for n in range(WORKERS)])
    assert reads > 0
    assert track(root, "check").stdout == "ok: 2 reports, 3 recommendations, no problems\n"
    assert temps(root) == []
    assert len(journal.read(root)) == journal.KEEP
    track(root, "undo")
    assert len(_notes(root, rec)) == 199


def test_four_processes_updating_different_recommendations_lose_nothing(fast: Path) -> None:
    root = new_ledger(fast / "ledger", recs=3)
    recs = [f"{REPORT}/R1", f"{REPORT}/R2", f"{REPORT}/R3", f"{PEEL}/AFI1"]  # three share a file
    _run_together(root, recs)
    total = 0
    for n, rec in enumerate(recs):
        notes = _notes(root, rec)
        assert notes == [f"p{n}-{i}" for i in range(UPDATES)]
        total += len(notes)
    assert total == 200
    assert len([e for e in json.loads(track(root, "history", "--format", "json").stdout) if "event" not in e]) == 200
    assert sum(len(r.events) for rep in ("hmic-2016-met-cp", PEEL) for r in Ledger(root).full(rep).recommendations) == 200
    assert track(root, "check").stdout == "ok: 2 reports, 4 recommendations, no problems\n"
    assert temps(root) == []


HOLDER = r"""
import sys, time
from pathlib import Path
from track.store import disk

with disk.locked(Path(sys.argv[1]), 5, "update hmic-2016-met-cp/R1"):
    print("holding", flush=True)
    time.sleep(60)
"""


def test_the_lock_timeout_names_the_holder_and_a_killed_holder_frees_it(tmp_path: Path) -> None:
    root = new_ledger(tmp_path / "ledger")
    settings = root / "track.toml"
    settings.write_text("lock_timeout = 0.3\n" + settings.read_text())
    before = (root / "reports" / f"{REPORT}.toml").read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], stdout=subprocess.PIPE, text=True, env=subprocess_env())
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        result = track(root, "update", f"{PEEL}/AFI1", "--note", "cron", expect=1)
        assert 0.3 <= time.monotonic() - started < 5
        assert re.fullmatch(
            rf"track: {re.escape(str(root))}: the ledger is locked by process {holder.pid} \(update {REPORT}/R1, "
            r"since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\); waited 0.3s. Try again when it has finished.\n", result.stderr), result.stderr
        assert (root / "reports" / f"{REPORT}.toml").read_bytes() == before
        # a reader waits for a change too (so that it never sees half of one), as long
        listed = track(root, "list", expect=1)
        assert "the ledger is locked by process" in listed.stderr and listed.stdout == ""
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    track(root, "update", f"{PEEL}/AFI1", "--note", "cron")  # the kernel released the dead holder's lock
    assert _notes(root, f"{PEEL}/AFI1") == ["cron"]


def test_a_waiting_writer_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    from track.store import disk

    root = new_ledger(tmp_path / "ledger")
    import threading

    released = threading.Event()

    def hold() -> None:
        with disk.locked(root, 1, "a short change"):
            released.wait(5)
            time.sleep(0.2)

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.05)
    released.set()
    try:
        track(root, "update", f"{REPORT}/R1", "--note", "after the wait")  # default timeout: 10 s
    finally:
        thread.join()
    assert _notes(root, f"{REPORT}/R1") == ["after the wait"]


@pytest.mark.parametrize("timeout", [0])
def test_a_zero_timeout_tries_once(tmp_path: Path, timeout: float) -> None:
    from track.domain.errors import LedgerLocked
    from track.store import disk

    root = new_ledger(tmp_path / "ledger")
    with disk.locked(root, 1, "holder"):
        with pytest.raises(LedgerLocked, match="locked by process .* waited 0s"):
            with disk.locked(root, timeout, "second"):
                pass


@pytest.mark.parametrize("git", [False, True], ids=["plain", "--git"])
def test_six_inits_of_one_folder_at_once_create_it_once(tmp_path: Path, git: bool) -> None:
    if git and shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "ledger"
    env = dict(subprocess_env(), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    command = [sys.executable, "-m", "track", "init", *(["--git"] if git else []), str(root)]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in runs]
    created = [out for code, out, err in outcomes if out.startswith("created ledger")]
    assert len(created) == 1, outcomes
    for code, out, err in outcomes:
        assert "internal error" not in err and (code == 0 or err.endswith("already a ledger (track.toml exists)\n")), outcomes
    assert "[remind]" in (root / "track.toml").read_text()
