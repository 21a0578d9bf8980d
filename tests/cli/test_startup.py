"""Start-up pays only for what a command uses: no pydantic (Typer's converter), no rich, no
dateutil, no TOML parser when the index is warm."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
PROBE = """
import json, sys
sys.argv = ["track"] + {args!r}
from track.cli.app import app
try:
    app()
except SystemExit:
    pass
heavy = ["pydantic", "rich", "dateutil", "tomllib", "tomli_w"]
sys.stderr.write("MODULES=" + json.dumps([m for m in heavy if m in sys.modules]) + "\\n")
"""


def loaded(args: list[str], ledger: Path) -> list[str]:
    env = dict(os.environ, TRACK_TODAY="2026-11-25", TRACK_LEDGER=str(ledger))
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], env=env, capture_output=True, text=True, timeout=60)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES=")]
    assert line, done.stderr
    return json.loads(line[0][len("MODULES="):])


@pytest.fixture
def warm(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    loaded(["list"], root)  # builds the index
    return root


@pytest.mark.parametrize("args", [["list"], ["list", "--status", "open", "--format", "json"],
                                  ["list", "--as-of", "2017-09-30"]])
def test_light_commands_import_nothing_heavy(args: list[str], warm: Path) -> None:
    assert loaded(args, warm) == []


def test_help_brings_rich_alone(warm: Path) -> None:
    """Typer's rich help draws with rich; nothing else heavy (the fast path keeps the text)."""
    assert loaded(["--help"], warm) == ["rich"]


def test_a_terminal_table_is_drawn_by_rich(warm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rich draws the tables on a terminal (and only there: piped, as above, it is not loaded)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert loaded(["list"], warm) == ["rich"]


def test_a_date_in_words_brings_dateutil_only_then(warm: Path) -> None:
    assert loaded(["list", "--as-of", "May 2017"], warm) == ["dateutil"]


FAST_PROBE = """
import json, sys
sys.argv = ["track"] + {args!r}
from track.cli import fastpath
try:
    fastpath.main()
except SystemExit:
    pass
sys.stderr.write("MODULES=" + json.dumps([m for m in ("typing", "dataclasses") if m in sys.modules]) + "\\n")
"""


@pytest.mark.parametrize("args", [["list"], ["show", "hmic-2016-met-cp/F1"], ["update", "hmic-2016-met-cp/F1", "--note", "A note."],
                                  ["remind"], ["report"], ["history"], ["check"]])
def test_the_fast_path_imports_no_typing_nor_dataclasses(args: list[str], warm: Path, tmp_path: Path) -> None:
    """typing is only for type checkers: a command run on the fast path does not import it
    (Typer's slow path, which builds the fast path's spec the first time, does); nor does
    one import dataclasses, with inspect, ast and dis (see record.py)."""
    env = dict(os.environ, TRACK_TODAY="2026-11-25", TRACK_LEDGER=str(warm), XDG_CACHE_HOME=str(tmp_path / "cache"))
    for attempt in range(2):  # the first builds the spec
        done = subprocess.run([sys.executable, "-c", FAST_PROBE.format(args=args)], env=env, capture_output=True, text=True,
                              timeout=60)
        line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES=")]
        assert line, done.stderr
    assert json.loads(line[0][len("MODULES="):]) == [], done.stderr
