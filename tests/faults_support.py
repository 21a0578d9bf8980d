"""What the fault tests (faults/test_faults_*.py, store/test_journal.py) share: a CliRunner with a pinned
environment, a small ledger built with commands, the temp files a writer may leave, and a
deterministic hypothesis profile of their own (the suite's conftest is not relied on)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from track.cli.app import app

TODAY = "2018-06-30"
ENV: dict[str, str | None] = {
    "TRACK_TODAY": TODAY,
    "TRACK_LEDGER": None,
    "TRACK_DEBUG": None,
    "FORCE_COLOR": None,
    "TTY_COMPATIBLE": None,
    "NO_COLOR": None,
    "COLUMNS": "200",
}

settings.register_profile(
    "faults",
    derandomize=True,
    deadline=None,
    max_examples=100,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
FAULTS = settings.get_profile("faults")

TEMP = re.compile(r"^\..+\.\d+\.tmp$")
REPORT = "hmic-2016-met-cp"
PEEL = "peel-2017-met"

# A subprocess that runs track: `python -c RUN_TRACK args...` is `track args...`.
RUN_TRACK = "import sys; from track.cli.app import main; sys.argv[0] = 'track'; main()"


def fast_folder(tmp_path: Path) -> Path:
    """A folder on tmpfs (/dev/shm) when there is one, else tmp_path: fsync costs nothing there,
    and what the many-process tests prove (no lost update, the old or the new file after a
    kill) does not depend on it. The caller removes it."""
    import tempfile

    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="track-faults-", dir=shm))
    return Path(tempfile.mkdtemp(prefix="track-faults-", dir=tmp_path))


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV}
    env.update({k: v for k, v in ENV.items() if v is not None})
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent), *sys.path])
    env.update(extra)
    return env


def track(root: Path | None, *args: Any, expect: int | None = 0, env: dict[str, str | None] | None = None) -> Result:
    """`track --ledger ROOT ARGS` in-process; asserts the exit code (None: any) and that no
    Python exception escaped."""
    argv = [str(a) for a in args]
    if root is not None:
        argv = ["--ledger", str(root), *argv]
    result = CliRunner().invoke(app, argv, env={**ENV, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if expect is not None:
        assert result.exit_code == expect, (
            f"track {' '.join(argv)}: exit {result.exit_code}, expected {expect}\n"
            f"stdout: {result.stdout!r}\nstderr: {result.stderr!r}"
        )
    return result


def new_ledger(root: Path, recs: int = 2) -> Path:
    """A ledger with two reports, `recs` recommendations in the first and one in the second."""
    track(None, "init", root)
    track(root, "reports", "add", REPORT, "--title", "National child protection inspection", "--by", "HMIC",
          "--subject", "Metropolitan Police Service", "--published", "2016-11-24", "--response-within", "56 days")
    track(root, "reports", "add", PEEL, "--title", "PEEL: police legitimacy 2017", "--by", "HMICFRS",
          "--subject", "Metropolitan Police Service", "--published", "2017-12-12", "--kind", "peel")
    for n in range(1, recs + 1):
        track(root, "add", REPORT, "--ref", f"R{n}", "--text", f"Recommendation {n}", "--due", "+6 months")
    track(root, "add", PEEL, "--ref", "AFI1", "--kind", "area-for-improvement", "--text", "Vetting should follow national policy")
    return root


def temps(root: Path) -> list[str]:
    """Every temp file (.NAME.PID.tmp) anywhere under the ledger folder."""
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob(".*.tmp") if TEMP.match(p.name))


def files(root: Path) -> dict[str, bytes]:
    """Every file's bytes under the ledger, .track/ left out."""
    out = {}
    for path in sorted(Path(root).rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] != ".track" and path.is_file():
            out[rel.as_posix()] = path.read_bytes()
    return out


def events(root: Path, rec_id: str) -> list[dict[str, Any]]:
    import json

    return json.loads(track(root, "show", rec_id, "--format", "json").stdout)["events"]
