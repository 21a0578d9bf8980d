"""`track remind` under a real cron daemon: runs tests/cron/run_under_cron.sh, which installs a
crontab entry, waits for cron to run it (up to about 100 s), checks the text it wrote byte for
byte, and removes the entry. Slow by nature; skipped where cron is missing or we are not root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "cron" / "run_under_cron.sh"
SKIP = 77


def test_remind_under_a_real_cron_daemon() -> None:
    if shutil.which("cron") is None:
        pytest.skip("Debian's cron is not installed (apt-get install cron): the real cron test did not run")
    if os.geteuid() != 0:
        pytest.skip("not root: the real cron test needs root to install a crontab and start cron")
    beside = Path(sys.executable).parent / "track"
    exe = str(beside) if beside.exists() else shutil.which("track")
    if exe is None:
        pytest.skip("no `track` executable beside this Python or on PATH: the real cron test did not run")
    done = subprocess.run(["bash", str(SCRIPT), exe], capture_output=True, text=True, timeout=240)
    if done.returncode == SKIP:
        pytest.skip(done.stderr.strip() or done.stdout.strip())
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "PASS:" in done.stdout
