"""SIGKILL at random moments during 100 writes: each time, every report file parses and holds
either the state before that write or the state after it, and no temp file remains after the
next command.

The writers are real processes running `track update` through the command line's main().
To keep 100 of them fast, a "zygote" process imports track once and forks one child per
write (a fork costs milliseconds, a fresh interpreter a quarter of a second); the child waits
for SIGUSR1, runs the command, and is killed with SIGKILL after a random delay drawn (from a
fixed seed) over the command's measured duration. In the children os.write, os.fsync and
os.replace each sleep 2 ms first, so that the kills land inside the write phases (journal,
report file, index cache) often, not only in the reading before them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from faults_support import PEEL, REPORT, TODAY, fast_folder, new_ledger, subprocess_env, temps, track

from track.domain.model import Event
from track.store import disk, reportfile

WRITES = 100
SLOW = "0.002"

ZYGOTE = r"""
import json, os, signal, sys, time

from track.cli.app import main

slow = float(os.environ["FAULT_SLOW"])


def slowed(call):
    def wrapper(*args, **kwargs):
        time.sleep(slow)
        return call(*args, **kwargs)
    return wrapper


os.write, os.fsync, os.replace = slowed(os.write), slowed(os.fsync), slowed(os.replace)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
for line in sys.stdin:
    argv = json.loads(line)
    pid = os.fork()
    if pid == 0:
        signal.sigwait({signal.SIGUSR1})
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        sys.argv = ["track", *argv]
        try:
            main()
        except SystemExit as exit:
            os._exit(exit.code if isinstance(exit.code, int) else 1)
        os._exit(0)
    print(f"pid {pid}", flush=True)
    sys.stdin.readline()  # "reap": until then the child, dead or alive, keeps its pid
    _, status = os.waitpid(pid, 0)
    print(f"exit {status}", flush=True)
"""

TARGETS = [(REPORT, "R1"), (REPORT, "R2"), (PEEL, "AFI1")]


class Zygote:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=subprocess_env(FAULT_SLOW=SLOW))

    def run(self, argv: list[str], kill_after: float | None) -> tuple[int, float]:
        """Run `track ARGV` in a fresh child; SIGKILL it after `kill_after` seconds (None: let it
        finish). Returns (the wait status, seconds from go to exit)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(["--ledger", str(self.root), *argv]) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line.startswith("pid "), line
        pid = int(line.split()[1])
        started = time.monotonic()
        os.kill(pid, signal.SIGUSR1)
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(pid, signal.SIGKILL)  # not yet reaped: alive, or a zombie that ignores it
        self.proc.stdin.write("reap\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line.startswith("exit "), line
        return int(line.split()[1]), time.monotonic() - started

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _reports(root: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((root / "reports").glob("*.toml"))}


def _after(before: bytes, report_id: str, ref: str, note: str) -> bytes:
    """The file as `track update REPORT/REF --note NOTE` writes it: one event, dated today."""
    import tomllib

    text = before.decode()
    report, problems, _ = reportfile.decode_report(report_id, tomllib.loads(text), report_id, text)
    assert report is not None and not problems
    rec = report.recommendation(ref)
    assert rec is not None
    rec.add_event(Event(date=date.fromisoformat(TODAY), note=note, recorded=date.fromisoformat(TODAY),
                        recorded_by=os.environ.get("TRACK_USER", "tester")))
    return reportfile.dumps_report(report).encode()


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    folder = fast_folder(tmp_path)
    yield new_ledger(folder / "ledger")
    shutil.rmtree(folder, ignore_errors=True)


def test_sigkill_at_random_moments_during_100_writes(root: Path) -> None:
    rng = random.Random(6)
    zygote = Zygote(root)
    try:
        # how long one write takes here, from go to exit
        durations = []
        for n in range(3):
            status, took = zygote.run(["update", f"{REPORT}/R1", "--note", f"warm-up {n}"], None)
            assert status == 0
            durations.append(took)
        window = sorted(durations)[1] * 1.15
        landed = 3
        outcomes = {"before": 0, "after": 0}
        temps_seen = 0
        for n in range(WRITES):
            report_id, ref = rng.choice(TARGETS)
            note = f"write {n}"
            before = _reports(root)
            expected = _after(before[report_id], report_id, ref, note)
            status, _took = zygote.run(["update", f"{report_id}/{ref}", "--note", note], rng.uniform(0, window))
            assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0, status

            now = _reports(root)
            assert set(now) == set(before)
            for rid, data in now.items():
                report, problems, _unknown = disk.read_report(root, rid)
                assert problems == [] and report is not None, (n, rid, problems)
                if rid == report_id:
                    assert data in (before[rid], expected), f"write {n}: {rid} is neither the old nor the new file"
                else:
                    assert data == before[rid], f"write {n}: {rid} changed"
            outcome = "after" if now[report_id] == expected else "before"
            outcomes[outcome] += 1
            landed += outcome == "after"

            temps_seen += bool(temps(root))
            track(root, "list")  # the next command
            assert temps(root) == [], f"write {n}: temp files remain after the next command"
    finally:
        zygote.close()

    print(f"\n{WRITES} kills: {outcomes}; a temp file was left {temps_seen} times")
    assert outcomes["before"] > 0 and outcomes["after"] > 0
    history = [row for row in json.loads(track(root, "history", "--format", "json").stdout) if "event" not in row]
    assert len(history) == landed  # the events (the rows saying a report was published or a recommendation issued left out)
    assert track(root, "check").stdout == "ok: 2 reports, 3 recommendations, no problems\n"
    track(root, "undo")  # the journal is usable after it all (an entry that never landed is passed over)
    assert len([row for row in json.loads(track(root, "history", "--format", "json").stdout) if "event" not in row]) == landed - 1
