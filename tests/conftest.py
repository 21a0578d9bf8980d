"""Shared fixtures for the test suite.

- Every test runs with "today" pinned (TRACK_TODAY=2018-06-30) and without the environment
  variables that change how output looks (FORCE_COLOR, TTY_COMPATIBLE, NO_COLOR, COLUMNS) or
  which ledger is used (TRACK_LEDGER). A test that needs one sets it itself.
- `cli` runs `track --ledger <a fresh empty ledger> ...` through Typer's CliRunner;
  `make_report` and `make_rec` add reports and recommendations to it with sensible defaults.
- `met` is a copy of a ledger built once per session, only with commands, that tells a small
  story (see STORY below): four reports, seven recommendations, their events.
- `snapshot(root)` is every file's bytes under a ledger folder, .track/ left out: compare it
  before and after a refused command.
- Hypothesis runs under the deterministic "ci" profile (set HYPOTHESIS_PROFILE to change it).

Typer 0.29's CliRunner always keeps the streams apart: `result.stdout` is stdout,
`result.stderr` is stderr, and `result.output` is both interleaved as a user would see them
(there is no mix_stderr switch). Expected failures leave `result.exception` a SystemExit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from hypothesis import HealthCheck, Phase, settings
from typer.testing import CliRunner, Result

from track.cli.app import app

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no slow "explain" phase
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# CliRunner.invoke rebuilds the Click command from the Typer app on every call (~0.1 s for
# track's app); build track's once per session. Any other app goes through unchanged.
_build_command = typer.testing._get_command
_track_command = _build_command(app)


def _get_command(typer_app: Any) -> Any:
    return _track_command if typer_app is app else _build_command(typer_app)


typer.testing._get_command = _get_command

# track keeps its command-line spec in the user's cache folder: tests never touch the real one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="track-tests-cache-")

TODAY = date(2018, 6, 30)
# Variables that would make a run depend on the machine it runs on.
UNSET = ("TRACK_LEDGER", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TRACK_DEBUG", "COLUMNS", "LINES")
BOX_CHARS = {chr(c) for c in range(0x2500, 0x2580)}  # Unicode box drawing


def _pin(mp: pytest.MonkeyPatch) -> None:
    mp.setenv("TRACK_TODAY", TODAY.isoformat())
    mp.setenv("TRACK_USER", "tester")  # who `recorded_by` names outside a git ledger
    for name in UNSET:
        mp.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Today is 2018-06-30 for every test; never the wall clock."""
    _pin(monkeypatch)
    return TODAY


# --------------------------------------------------------------------------- the runner


def _argv(args: Iterable[Any]) -> list[str]:
    return [str(a) for a in args]


class Cli:
    """`track --ledger ROOT ARGS...` through the CliRunner.

    `expect` is the exit code the call must end with (None: do not check). A Python exception
    that escaped the command (anything but SystemExit) is re-raised, so a bug never hides
    behind an exit code.
    """

    def __init__(self, runner: CliRunner, root: Path | None) -> None:
        self.runner = runner
        self.root = root

    def __call__(self, *args: Any, expect: int | None = 0, env: dict[str, str | None] | None = None,
                 ledger: bool = True) -> Result:
        argv = _argv(args)
        if ledger and self.root is not None:
            argv = ["--ledger", str(self.root), *argv]
        result = self.runner.invoke(app, argv, env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        if expect is not None:
            assert result.exit_code == expect, (
                f"track {' '.join(argv)}\nexit {result.exit_code} (expected {expect})\n"
                f"stdout: {result.stdout!r}\nstderr: {result.stderr!r}"
            )
        return result

    def json(self, *args: Any, **kwargs: Any) -> Any:
        import json

        return json.loads(self(*args, "--format", "json", **kwargs).stdout)

    def ids(self, *args: Any, **kwargs: Any) -> list[str]:
        """The ids that `list ARGS --format json` prints, in order."""
        return [row["id"] for row in self.json("list", *args, **kwargs)]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def ledger_path(tmp_path: Path, runner: CliRunner) -> Path:
    """An empty ledger created with `track init`."""
    root = tmp_path / "ledger"
    Cli(runner, None)("init", root)
    return root


@pytest.fixture
def cli(runner: CliRunner, ledger_path: Path) -> Cli:
    """Runs track on the empty ledger of `ledger_path`."""
    return Cli(runner, ledger_path)


def _options(options: dict[str, Any]) -> list[str]:
    """{"followup_every": "3 months", "tag": ["a", "b"], "x": None} -> --followup-every ... --tag a --tag b"""
    out: list[str] = []
    for key, value in options.items():
        flag = "--" + key.rstrip("_").replace("_", "-")
        if value is None:
            continue
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                out += [flag, str(v)]
        else:
            out += [flag, str(value)]
    return out


@pytest.fixture
def make_report(cli: Cli) -> Callable[..., Result]:
    """make_report(ID, published=..., **options): `track reports add` with defaults for the rest."""

    def make(report_id: str, *, published: str = "2016-11-24", expect: int | None = 0, **options: Any) -> Result:
        options.setdefault("title", f"Report {report_id}")
        options.setdefault("by", "HMIC")
        options.setdefault("subject", "Metropolitan Police Service")
        return cli("reports", "add", report_id, "--published", published, *_options(options), expect=expect)

    return make


@pytest.fixture
def make_rec(cli: Cli) -> Callable[..., Result]:
    """make_rec(REPORT, REF, **options): `track add` with a default text."""

    def make(report: str, ref: str, *, expect: int | None = 0, **options: Any) -> Result:
        options.setdefault("text", f"Recommendation {ref}")
        return cli("add", report, "--ref", ref, *_options(options), expect=expect)

    return make


# --------------------------------------------------------------------------- the story ledger

A = "hmic-2016-met-cp"
Q1 = "hmic-2017-met-cp-q1"
PEEL = "peel-2017-met"
IOPC = "iopc-2018-essex"

# Built with today = 2018-06-30. At that date:
#   A/C1   awaiting-response, no due, stale           A/R1  implemented (closed), due moved to 2017-12-31
#   A/R2   partially-implemented, due 2017-05-31, overdue, owner changed, stale
#   A/R10  not-implemented (closed)                   PEEL/AFI1 not-started, due 2018-06-12, overdue
#   PEEL/AFI2 awaiting-response, stale                IOPC/R1 awaiting-response, due 2018-03-29, overdue, stale
STORY: list[list[str]] = [
    ["reports", "add", A, "--title", "National child protection inspection: Metropolitan Police Service",
     "--by", "HMIC", "--subject", "Metropolitan Police Service", "--published", "2016-11-24",
     "--url", "https://example.org/hmic-2016-met-cp", "--response-within", "56 days",
     "--followup-every", "3 months", "--followup-from", "2017-03-01", "--followup-until", "2018-02-28",
     "--revisit-by", "within 12 months", "--figure", "cases reviewed=374",
     "--figure", "needing improvement or inadequate=278", "--figure", "referred back=38",
     "--grade", "overall=inadequate"],
    ["reports", "add", Q1, "--title", "First quarterly progress report", "--by", "HMIC",
     "--subject", "Metropolitan Police Service", "--published", "15 March 2017", "--kind", "follow-up",
     "--follows", A, "--note", "The publication date is approximate."],
    ["reports", "add", PEEL, "--title", "PEEL: police legitimacy 2017", "--by", "HMICFRS",
     "--subject", "Metropolitan Police Service", "--published", "2017-12-12", "--kind", "peel",
     "--grade", "legitimacy=requires-improvement"],
    ["reports", "add", IOPC, "--title", "Investigation into a death in custody", "--by", "IOPC",
     "--subject", "Essex Police", "--published", "2018-02-01", "--kind", "investigation",
     "--response-within", "56 days"],
    ["add", A, "--ref", "C1", "--kind", "cause-of-concern", "--text", "Children at risk were not protected quickly enough",
     "--tag", "safeguarding", "--priority", "high"],
    ["add", A, "--ref", "R1", "--text", "Appoint a chief officer lead for child protection", "--answers", "C1",
     "--owner", "DCS Child Protection", "--tag", "governance", "--tag", "safeguarding", "--due", "+6 months",
     "--priority", "high"],
    ["add", A, "--ref", "R2", "--text", "Train staff in assessing risk to children", "--owner", "Head of Training",
     "--tag", "training", "--due", "May 2017", "--priority", "medium"],
    ["add", A, "--ref", "R10", "--text", "Review the use of police protection powers", "--priority", "low"],
    ["add", PEEL, "--ref", "AFI1", "--kind", "area-for-improvement", "--text", "Vetting should follow national policy",
     "--owner", "Professional Standards", "--tag", "vetting", "--due", "+6 months"],
    ["add", PEEL, "--ref", "AFI2", "--kind", "area-for-improvement", "--text", "Build capacity for counter-corruption work",
     "--owner", "Anti-Corruption Command", "--tag", "corruption"],
    ["add", IOPC, "--ref", "R1", "--text", "Review custody observation levels", "--owner", "Custody Command",
     "--due", "56 days after publication"],
    ["update", f"{A}/R1", "--response", "accepted", "--date", "2017-01-10", "--source", "force update"],
    ["update", f"{A}/R1", "--status", "in-progress", "--date", "2017-03-15", "--source", Q1, "--note", "Lead appointed"],
    ["update", f"{A}/R1", "--due", "2017-12-31", "--reason", "Restructure delayed the work", "--date", "2017-06-01"],
    ["update", f"{A}/R1", "--status", "implemented", "--date", "2018-02-20", "--evidence", "https://example.org/q4",
     "--note", "Verified in the fourth quarterly report"],
    ["update", f"{A}/R2", "--response", "partially-accepted", "--date", "2017-01-10"],
    ["update", f"{A}/R2", "--status", "partially-implemented", "--owner", "Director of Learning", "--date", "2017-04-01"],
    ["update", f"{A}/R10", "--response", "not-accepted", "--status", "not-implemented", "--date", "2017-02-01",
     "--note", "The force disagreed"],
    ["update", f"{PEEL}/AFI1", "--response", "accepted", "--date", "2018-01-05"],
    ["update", f"{PEEL}/AFI1", "--note", "Vetting backlog halved", "--date", "2018-06-01"],
]


@pytest.fixture(scope="session")
def met_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "met"
    with pytest.MonkeyPatch.context() as mp:
        _pin(mp)
        run = Cli(CliRunner(), None)
        run("init", root)
        run = Cli(CliRunner(), root)
        for argv in STORY:
            run(*argv)
    return root


@pytest.fixture
def met(tmp_path: Path, runner: CliRunner, met_template: Path) -> Cli:
    """A fresh copy of the story ledger; `met.root` is its folder."""
    root = tmp_path / "met"
    shutil.copytree(met_template, root, ignore=shutil.ignore_patterns(".track"))
    return Cli(runner, root)


# --------------------------------------------------------------------------- snapshots


def take_snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes under a ledger folder, .track/ (lock, journal, caches) left out."""
    out: dict[str, bytes] = {}
    for path in sorted(Path(root).rglob("*")):
        rel = path.relative_to(root)
        if rel.parts and rel.parts[0] == ".track":
            continue
        if path.is_file():
            out[rel.as_posix()] = path.read_bytes()
    return out


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    return take_snapshot


# --------------------------------------------------------------------------- git and the browser


def own_git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "Test", email: str = "test@example.org",
                 more: str = "") -> Path:
    """git with a HOME of its own: this user.name and email, branch main, `more` config text,
    and nothing of the machine's git settings or identity."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f"[user]\n\tname = {name}\n\temail = {email}\n[init]\n\tdefaultBranch = main\n{more}")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for variable in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR",
                     "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL", "EMAIL"):
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    """The system's Chromium driven by Playwright, one a test module; the test is skipped without them."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium not installed: install the Debian package `chromium` (.ci/run does) to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright not installed: pip install '.[test]' brings it")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()
