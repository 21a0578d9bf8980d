"""Readers never see half of a change that spans files. An import of 500 reports writes 500
files under the ledger's lock; `list`, `export` and `remind` started while only some of them
are on disk wait for it under a shared lock and see all of it. The import runs under strace,
which delays each rename (the last step of every file written) by a few milliseconds, so that
the readers start midway whatever the machine's speed: they start only once the test has seen
some but not all of the files on disk."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from faults_support import subprocess_env

REPORTS = 500
TRACK = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; entry()"]


def import_file(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["report", "report_title", "report_by", "report_subject", "report_published", "ref", "text", "due"])
        for n in range(REPORTS):
            for ref in ("R1", "R2"):
                out.writerow([f"r{n:03d}", f"Report {n}", "HMICFRS", "A force", "2017-01-02", ref, f"Do thing {n} {ref}.",
                              "2017-06-30"])


def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    return subprocess.run(["strace", "-qq", "-o", "/dev/null", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _strace_works(), reason="strace not installed (.ci/run installs it) or not allowed to trace here")
def test_readers_racing_an_import_of_500_reports_see_none_or_all_of_it(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    env = subprocess_env(TRACK_LEDGER=str(root))
    subprocess.run([*TRACK, "init", str(root)], env=env, check=True, capture_output=True)
    source = tmp_path / "rows.csv"
    import_file(source)
    delay = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
             "-e", "inject=rename,renameat,renameat2:delay_exit=4000"]
    importing = subprocess.Popen([*delay, *TRACK, "import", str(source), "--create-reports"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    folder = root / "reports"
    on_disk = 0
    while importing.poll() is None:  # until some of the import's files are there, but not all
        on_disk = len(list(folder.glob("*.toml")))
        if 0 < on_disk < REPORTS // 2:
            break
    assert importing.poll() is None and 0 < on_disk < REPORTS, "the import ended before the readers could start"
    readers = {name: subprocess.Popen([*TRACK, *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name, argv in {"list": ["list", "--format", "json"], "export": ["export"],
                                  "remind": ["remind", "--format", "json", "--as-of", "2018-01-01"]}.items()}
    outputs = {name: reader.communicate(timeout=300) for name, reader in readers.items()}
    assert importing.wait(timeout=300) == 0, importing.stderr.read() if importing.stderr else ""
    for name, (out, err) in outputs.items():
        assert readers[name].returncode == 0, (name, err)
    assert len(json.loads(outputs["list"][0])) == 2 * REPORTS
    assert len(json.loads(outputs["export"][0])["reports"]) == REPORTS
    assert len(json.loads(outputs["remind"][0])["overdue"]) == 2 * REPORTS


def impatient_ledger(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A new ledger whose commands wait 0.2 s for the lock, and the environment to run track on it."""
    root = tmp_path / "ledger"
    env = subprocess_env(TRACK_LEDGER=str(root))
    subprocess.run([*TRACK, "init", str(root)], env=env, check=True, capture_output=True)
    (root / "track.toml").write_text("lock_timeout = 0.2\n" + (root / "track.toml").read_text())  # a top-level key
    return root, env


def test_a_reader_waits_no_longer_than_the_lock_timeout(tmp_path: Path) -> None:
    """A change that holds the lock too long: the reader says who holds it, and reads nothing."""
    root, env = impatient_ledger(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from track.store import disk\n"
        "with disk.locked(Path(sys.argv[1]), 5, 'a long change'):\n"
        "    print('held', flush=True); time.sleep(30)\n"), str(root)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        done = subprocess.run([*TRACK, "list"], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and done.stdout == ""
        assert "is locked by process" in done.stderr and "a long change" in done.stderr and "waited 0.2s" in done.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_change_kept_waiting_by_a_reader_says_so(tmp_path: Path) -> None:
    """A change waits for the commands reading the ledger, as long as lock_timeout, and says
    that a reader held it (readers leave no name in the lock file)."""
    root, env = impatient_ledger(tmp_path)
    subprocess.run([*TRACK, "reports", "add", "r1", "--title", "T", "--by", "B", "--subject", "S", "--published", "2017-01-02"],
                   env=env, check=True, capture_output=True)
    reader = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from track.store import disk\n"
        "disk.read_lock(Path(sys.argv[1]), 5)\n"
        "print('reading', flush=True); time.sleep(30)\n"), str(root)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "reading\n"
        done = subprocess.run([*TRACK, "add", "r1", "--ref", "R1", "--text", "Do it."], env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 1
        assert done.stderr == f"track: {root}: the ledger is locked by another track command reading it; waited 0.2s. " \
                              "Try again when it has finished.\n"
    finally:
        reader.kill()
        reader.wait()
    subprocess.run([*TRACK, "add", "r1", "--ref", "R1", "--text", "Do it."], env=env, check=True, capture_output=True)
