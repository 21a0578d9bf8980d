"""Progress bars (track/views/bars.py): on a terminal, by rich's rules, for long work only; never
a byte of them when piped, under cron or on a dumb terminal; stdout the same either way; the
fast path and the Typer path alike. `track check` is the command that shows one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from track.views import bars

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import build  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
FAST = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import main; main()"]
SLOW = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.app import main; main()"]
PATHS = {"fast path": FAST, "Typer": SLOW}
TERMINAL = {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}
QUIET = {}, {"FORCE_COLOR": "1", "TERM": "dumb"}, {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "0"}, {"TTY_INTERACTIVE": "0", "FORCE_COLOR": "1"}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 recommendations in 150 report files, checked without the index (TRACK_NO_CACHE=1):
    150 steps, fewer than bars.MIN_ITEMS, so a bar shows after the delay, which `check` sets
    (TRACK_BAR_DELAY) so that no test depends on how fast the machine is."""
    return build(3000, tmp_path_factory.mktemp("bars") / "ledger")


def check(command: list[str], ledger: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR")}
    # today after the generated ledger's last event (2024), which check would call a future one
    base.update({"TERM": "xterm", "TRACK_NO_CACHE": "1", "TRACK_BAR_DELAY": "0", "TRACK_TODAY": "2026-06-30", **env})
    return subprocess.run([*command, "--ledger", str(ledger), "check"], env=base, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", PATHS)
def test_a_long_check_on_a_terminal_draws_a_bar_on_stderr(path: str, big: Path) -> None:
    plain = check(PATHS[path], big)
    assert (plain.returncode, plain.stderr) == (0, "")
    assert plain.stdout == "ok: 150 reports, 3,000 recommendations, no problems\n"
    for env in TERMINAL:
        shown = check(PATHS[path], big, **env)
        assert shown.returncode == 0
        assert shown.stdout == plain.stdout  # the bar is on stderr only
        assert "checking reports" in shown.stderr and "/150" in shown.stderr, shown.stderr
        assert "\x1b[?25l" in shown.stderr and shown.stderr.rstrip("\n").endswith("\x1b[2K")  # drawn, then erased


@pytest.mark.parametrize("env", QUIET[1:], ids=str)
def test_a_dumb_terminal_or_one_told_not_to_gets_nothing_extra(env: dict[str, str], big: Path) -> None:
    done = check(FAST, big, **env)  # piped with no variable at all: the first test
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "ok: 150 reports, 3,000 recommendations, no problems\n"


def test_cron_sees_no_escape_byte(big: Path) -> None:
    # cron: no terminal, a minimal environment
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/"), "SHELL": "/bin/sh",
           "TRACK_NO_CACHE": "1", "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    done = subprocess.run([*FAST, "--ledger", str(big), "check"], env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "\x1b" not in done.stdout + done.stderr and done.stderr == ""


PROBE = """
import sys
sys.argv = ["track", "--ledger", sys.argv[1], "check"]
from track.cli.fastpath import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("RICH=" + str("rich" in sys.modules) + "\\n")
"""


# The example ledger was entered on this day; its events run to 2021, after the suite's today,
# which check would call events after today.
EXAMPLE_TODAY = "2026-11-25"


def test_a_quick_check_imports_no_rich_even_on_a_terminal(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm", "TRACK_BAR_DELAY": "3600",  # quick, however slow the machine
           "TRACK_TODAY": EXAMPLE_TODAY}
    done = subprocess.run([sys.executable, "-c", PROBE, str(root)], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("ok: 13 reports")
    assert done.stderr == "RICH=False\n"


# --------------------------------------------------------------------------- bars.bar itself


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(bars.time, "monotonic", clock)
    return clock


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")


def test_many_items_show_at_once(terminal: None, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    with bars.bar("importing rows", total=bars.MIN_ITEMS) as progress:
        progress(1, bars.MIN_ITEMS)
    assert "importing rows" in capsys.readouterr().err


def test_few_quick_items_show_nothing(terminal: None, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    with bars.bar("checking", total=100) as progress:
        for done in range(1, 101):
            progress(done, 100)
    assert capsys.readouterr() == ("", "")


def test_few_slow_items_show_after_the_delay(terminal: None, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    with bars.bar("checking") as progress:
        progress(1, 100)
        assert capsys.readouterr().err == ""
        clock.now += bars.DELAY + 0.01
        progress(2, 100)
        progress(100, 100)
    assert "checking" in capsys.readouterr().err


def test_finished_work_shows_nothing(terminal: None, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    with bars.bar("checking", total=5000) as progress:
        progress(5000, 5000)
    assert capsys.readouterr() == ("", "")


def test_off_means_off(clock: Clock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    with bars.bar("x", total=10**6, enabled=False) as progress:
        progress(1, 10**6)
    monkeypatch.delenv("FORCE_COLOR")
    with bars.bar("x", total=10**6) as progress:  # enabled=None: stderr (captured) is no terminal
        progress(1, 10**6)
    assert capsys.readouterr() == ("", "")


def test_an_error_takes_the_bar_down_with_it(terminal: None, clock: Clock, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(KeyboardInterrupt), bars.bar("checking", total=10**4) as progress:
        progress(1, 10**4)
        raise KeyboardInterrupt
    err = capsys.readouterr().err
    assert "checking" in err and err.rstrip("\n").endswith("\x1b[2K")  # erased
    import threading

    for thread in threading.enumerate():  # rich's refresh thread is told to stop
        if type(thread).__name__ == "_RefreshThread":
            thread.join(timeout=5)
            assert not thread.is_alive()


def test_ledger_check_reports_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from track import Ledger

    monkeypatch.setenv("TRACK_TODAY", EXAMPLE_TODAY)

    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    seen: list[tuple[int, int]] = []
    record: Callable[[int, int], Any] = lambda done, total: seen.append((done, total))
    assert Ledger.find(root).check(progress=record) == []
    assert seen == [(n, 13) for n in range(1, 14)]
    assert Ledger.find(root).check() == []  # progress is optional


def test_the_delay_can_be_set_and_a_bad_value_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACK_BAR_DELAY", "0")
    assert bars.delay() == 0
    for bad in ("soon", "-1", ""):
        monkeypatch.setenv("TRACK_BAR_DELAY", bad)
        assert bars.delay() == bars.DELAY
    monkeypatch.delenv("TRACK_BAR_DELAY")
    assert bars.delay() == bars.DELAY
