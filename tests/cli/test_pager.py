"""The pager, driven on a pseudo-terminal as a person meets it: output taller than the screen
goes through $TRACK_PAGER (else $PAGER, else less -FRX), short output is written as it is,
and --no-pager, a pipe, or a pager set to "" or "cat" mean no pager; on the fast path and
Typer's alike. The pager here is a shell command that records what it was given."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from terminal_support import on_terminal

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
FAST = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; entry()"]
SLOW = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.app import main; main()"]


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    return root


def environment(ledger: Path, tmp_path: Path, lines: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PAGER", "TRACK_PAGER", "LESS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "LINES")}
    env.update(TRACK_LEDGER=str(ledger), TRACK_TODAY="2026-12-05", TERM="xterm", LINES=str(lines), COLUMNS="120",
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.update(extra)
    return env


def recording(tmp_path: Path) -> tuple[str, Path]:
    record = tmp_path / "paged.txt"
    return f"cat > '{record}'", record


@pytest.mark.parametrize("path", [FAST, SLOW], ids=["fast path", "Typer"])
def test_output_taller_than_the_screen_goes_through_the_pager(path: list[str], ledger: Path, tmp_path: Path) -> None:
    pager, record = recording(tmp_path)
    code, direct = on_terminal([*path, "--no-pager", "list"], environment(ledger, tmp_path, 10, TRACK_PAGER=pager))
    assert code == 0 and direct.count("\n") > 10 and "\x1b[" in direct  # the terminal's table, in colour
    assert not record.exists()
    code, shown = on_terminal([*path, "list"], environment(ledger, tmp_path, 10, TRACK_PAGER=pager))
    assert code == 0 and shown == ""
    assert record.read_text("utf-8") == direct


@pytest.mark.parametrize("path", [FAST, SLOW], ids=["fast path", "Typer"])
def test_output_that_fits_the_screen_is_written_as_it_is(path: list[str], ledger: Path, tmp_path: Path) -> None:
    pager, record = recording(tmp_path)
    code, shown = on_terminal([*path, "list"], environment(ledger, tmp_path, 500, TRACK_PAGER=pager))
    assert code == 0 and "hmic-2016-met-cp/R1" in shown
    assert not record.exists()


@pytest.mark.parametrize("setting", [{"TRACK_PAGER": ""}, {"TRACK_PAGER": "cat"}, {"PAGER": "cat"}, {"PAGER": "", "TRACK_PAGER": ""}],
                         ids=str)
def test_a_pager_set_to_nothing_or_cat_means_none(setting: dict[str, str], ledger: Path, tmp_path: Path) -> None:
    code, shown = on_terminal([*FAST, "list"], environment(ledger, tmp_path, 10, **setting))
    assert code == 0 and "hmic-2016-met-cp/R1" in shown


def test_pager_is_taken_when_track_pager_is_not_set(ledger: Path, tmp_path: Path) -> None:
    pager, record = recording(tmp_path)
    code, shown = on_terminal([*FAST, "history"], environment(ledger, tmp_path, 10, PAGER=pager))
    assert code == 0 and shown == "" and "hmic-2016-met-cp" in record.read_text("utf-8")


def test_a_pipe_never_gets_a_pager(ledger: Path, tmp_path: Path) -> None:
    pager, record = recording(tmp_path)
    done = subprocess.run([*FAST, "list"], env=environment(ledger, tmp_path, 10, TRACK_PAGER=pager),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.count("\n") > 10 and "\x1b" not in done.stdout
    assert not record.exists()


def test_quitting_the_pager_early_ends_the_command_quietly(ledger: Path, tmp_path: Path) -> None:
    code, shown = on_terminal([*FAST, "history"], environment(ledger, tmp_path, 10, TRACK_PAGER="head -c 1 > /dev/null"))
    assert code == 0 and shown == ""


def test_an_export_to_the_terminal_is_paged_too(ledger: Path, tmp_path: Path) -> None:
    pager, record = recording(tmp_path)
    code, shown = on_terminal([*FAST, "export"], environment(ledger, tmp_path, 10, TRACK_PAGER=pager))
    exported = subprocess.run([*FAST, "export"], env=environment(ledger, tmp_path, 10), capture_output=True, text=True,
                              timeout=60).stdout
    assert code == 0 and shown == "" and record.read_text("utf-8") == exported


def test_a_person_reading_in_the_pager_holds_up_no_change(tmp_path: Path) -> None:
    """A command reads under the ledger's shared lock, and lets go of it when its pager
    starts: while someone reads `history` in less, cron's update goes through at once. (The
    history of 1,000 recommendations is far more than a pipe holds: without letting go, the
    command would still be writing, and holding the lock, while the pager waits.)"""
    import threading

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import build

    ledger = tmp_path / "big"
    build(1000, ledger)
    (ledger / "track.toml").write_text("lock_timeout = 1\n" + (ledger / "track.toml").read_text())
    rec = sorted(p.name[:-5] for p in (ledger / "reports").iterdir())[0] + "/R1"
    first = subprocess.run([*FAST, "update", rec, "--note", "First.", "--date", "2026-11-30"],  # (makes .track/lock)
                           env=environment(ledger, tmp_path, 10), capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    started, go = tmp_path / "started", tmp_path / "go"
    pager = f"touch '{started}'; while [ ! -e '{go}' ]; do sleep 0.05; done; cat > /dev/null"
    result: list[tuple[int, str]] = []
    reading = threading.Thread(target=lambda: result.append(
        on_terminal([*FAST, "history"], environment(ledger, tmp_path, 10, TRACK_PAGER=pager))))
    reading.start()
    try:
        for _ in range(1200):  # until the pager runs (a minute at most: only a hung command gets near it)
            if started.exists():
                break
            threading.Event().wait(0.05)
        assert started.exists()
        done = subprocess.run([*FAST, "update", rec, "--note", "From cron.", "--date", "2026-12-01"],
                              env=environment(ledger, tmp_path, 10), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    finally:
        go.touch()
        reading.join(timeout=60)
    assert result and result[0][0] == 0
