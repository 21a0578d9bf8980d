"""The fast path (track/cli/fastpath.py) runs well-formed command lines without typer, from a
spec of the command line that Typer's click objects were exported to. It must be Typer's
twin: the same bodies called with the same values, the same stdout, stderr and exit code,
and for anything it is not sure about, no answer at all (Typer then runs).

In-process tests compare `fastpath.plan(spec, argv)` with the CliRunner on copies of the
story ledger; subprocess tests compare whole runs through the real entry points, check that
a fast run imports no typer, and that a missing, stale or corrupt spec only costs a slow run.
Every test keeps the spec cache in its own XDG_CACHE_HOME.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from conftest import IOPC, PEEL, Q1, A, take_snapshot
from typer.testing import CliRunner

from track.cli import check, fastpath
from track.cli.app import app

ROOT = "{root}"  # stands for the ledger folder in a command line


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real ~/.cache."""
    cache = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    for name in [k for k in os.environ if k.startswith("_") and k.endswith("_COMPLETE")]:
        monkeypatch.delenv(name)
    return cache


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return json.loads(json.dumps(fastpath.build(typer.main.get_command(app))))  # as it is read back


# --------------------------------------------------------------------------- the two paths, in process


Outcome = tuple[str, str, int]


def fast(spec: dict[str, Any], argv: list[str], runner: CliRunner) -> Outcome:
    run = fastpath.plan(spec, argv)
    assert run is not None, f"the fast path refused: track {' '.join(argv)}"
    code: Any = 0
    with runner.isolation() as (out, err, _):
        try:
            run()
        except SystemExit as exit:
            code = 0 if exit.code is None else exit.code
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return out.getvalue().decode(), err.getvalue().decode(), code


def slow(argv: list[str], runner: CliRunner) -> Outcome:
    result = runner.invoke(app, argv)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.stdout, result.stderr, result.exit_code


WHEN = re.compile(r"\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)")


def run_case(template: Path, place: Path, lines: list[list[str]], path: Any) -> tuple[list[Outcome], dict[str, bytes]]:
    """Runs the command lines one after another on a fresh copy of the ledger at `place`."""
    if place.exists():
        shutil.rmtree(place)
    shutil.copytree(template, place, ignore=shutil.ignore_patterns(".track"))
    outcomes = []
    for line in lines:
        argv = [arg.replace(ROOT, str(place)) for arg in line]
        if ROOT not in " ".join(line):
            argv = ["--ledger", str(place), *argv]
        out, err, code = path(argv)
        # undo names the change by when it was made, on the wall clock: the two paths run a
        # moment apart, so a second may tick between them; the time is matched, not compared
        outcomes.append((WHEN.sub("(WHEN)", out), err, code))
    return outcomes, {name: data for name, data in take_snapshot(place).items() if ".track" not in name.split("/")}


R1, R2 = f"{A}/R1", f"{A}/R2"
ROWS = str(Path(__file__).resolve().parents[1] / "exchange" / "rows.csv")
NO_REPORT = str(Path(__file__).resolve().parents[1] / "exchange" / "no-report.csv")
ADD_REPORT = ["reports", "add", "new-r", "--title", "T", "--by", "HMIC", "--subject", "Kent Police", "--published", "2018-01-01"]

CASES: list[list[list[str]]] = [
    # the group's options, every form
    [["-L", ROOT, "list"]], [[f"--ledger={ROOT}", "list"]], [[f"-L{ROOT}", "list"]],
    [["--ledger", "/nowhere", "--ledger", ROOT, "list"]], [["--ledger", "/nowhere", "list"]],
    [["--version"]], [["--version", "list"]], [["--ledger", ROOT, "--version"]], [["--no-pager", "list"]],
    [["--no-pager", "-L", ROOT, "list", "--status", "open"]],
    # list: every option, every form
    [["list"]], [["list", "--status", "open"]], [["list", "-s", "open", "-s", "closed"]], [["list", "-sopen"]],
    [["list", "-s=open"]], [["list", "--status=open,closed"]], [["list", "--overdue"]], [["list", "--stale", "--sort", "due"]],
    [["list", "--report", A, "--format", "json"]], [["list", "-f", "csv", "--tag", "safeguarding", "--tag", "training"]],
    [["list", "--kind", "recommendation", "--priority", "high"]], [["list", "--kind", "bogus"]],
    [["list", "--due-within", "30d", "--as-of", "2017-05-01"]], [["list", "--search", "vetting", "--owner", "Professional"]],
    [["list", "--subject", "Essex", "--issued-by", "IOPC", "--format", "markdown"]], [["list", "--format", "nope"]],
    [["list", "--as-of", "May 2017"]], [["list", "--as-of", "yesterday-ish"]], [["list", "--search", "-x"]],
    [["list", "--search="]], [["list", "--search", ""]], [["list", "--report", "nope"]], [["list", "--sort", "sideways"]],
    [["list", "--due-within", "soon"]], [["list", "--overdue", "--overdue", "-f", "plain"]],
    # show
    [["show", R1]], [["show", "R2", "--as-of", "2017-06-30"]], [["show", "--format", "json", "AFI1"]], [["show", "nope"]],
    [["show", "R1"]], [["show", "--", R1]], [["show", R1, "--as-of", "2016-01-01"]], [["show", "-f", "markdown", f"{IOPC}/R1"]],
    # check, report, history, remind
    [["check"]], [["report"]], [["report", A]], [["report", "--by", "owner"]], [["report", "--grades"]],
    [["report", "--grades", "--by", "x"]], [["report", "--by", "bogus"]], [["report", "-f", "json"]],
    [["report", "--format", "html", A]], [["report", "--as-of", "2017-01-01", PEEL]],
    [["history"]], [["history", A, "--since", "2017-03-01", "--until", "2017-06-30"]], [["history", R1, "-f", "json"]],
    [["history", "--since", "2018-01-01", "--until", "2017-01-01"]], [["history", "nope"]],
    [["history", "--as-of", "2017-12-31", "--format", "csv"]], [["history", "--recorded-since", "2018-06-30", "-f", "json"]],
    [["list", "--unverified", "--status", "implemented", "-f", "json"]],
    [["list", "--tag", "training", "--tag", "x", "--all-tags"]], [["list", "--issued-since", "2017-Q1", "--columns", "id,age,moves"]],
    [["list", "--closed-since", "2017-01-01", "--columns", "id,closed_on", "-f", "csv"]], [["list", "--columns", "nope"]],
    [["report", "--since", "2017-Q1", "--until", "2017-Q4", "-f", "csv"]], [["report", "--until", "2017-Q4"]],
    [["report", "--metrics", "-f", "json"]], [["report", A, "--years", "2", "-f", "markdown"]], [["report", "--years", "x"]],
    [["publish", f"{ROOT}/site", "--as-of", "2018-06-30", "--title", "Register", "--base-url", "https://example.org/r/"]],
    [["publish", f"{ROOT}/site"], ["publish", f"{ROOT}/site"]], [["publish", ROOT]], [["publish", f"{ROOT}/s", "--base-url", "x"]],
    [["remind"]], [["remind", "--as-of", "2017-03-01"]], [["remind", "--as-of", "2017-03-01", "--fail-on-overdue"]],
    [["remind", "--within", "1 month", "--stale", "30d", "-f", "json"]], [["remind", "--within", "bogus"]],
    [["remind", "--fail-on-overdue", "--as-of", "2016-11-25"]],
    # owners, and remind for one owner or by mail (the messages written outside the ledger's folder)
    [["owners"]], [["owners", "--as-of", "2017-06-30", "-f", "json", "--within", "30d"]], [["owners", "-f", "csv"]],
    [["remind", "--owner", "Head"]], [["remind", "--as-of", "2017-12-31", "--owner", "director of learning"]],
    [["remind", "--mail", "--as-of", "2017-12-31"]], [["remind", "--mail", "--keeper", "not an address"]],
    [["remind", "--mail-to-dir", f"{ROOT}/../mail", "--keeper", "keeper@example.org", "--as-of", "2017-12-31"]],
    # reports
    [["reports", "list"]], [["reports", "list", "--as-of", "2017-01-01", "-f", "json"]], [["reports", "show", A]],
    [["reports", "show", "zzz"]], [["reports", "show", Q1, "--format", "json"]], [["reports", "show", PEEL, "--as-of", "2017-01-01"]],
    # writing
    [["add", A, "--ref", "R20", "--text", "New one", "--tag", "a", "--tag", "b", "--due", "+3 months", "--priority", "low"]],
    [["add", A, "--ref", "R1", "--text", "dup"]], [["add", "--ref=R21", "--text=Hello", A, "--kind", "area-for-improvement"]],
    [["add", A, "--ref", "R22", "--text", "x", "--answers", "C1", "--owner", "Someone", "--kind", "nonsense"]],
    [["update", R2, "--status", "implemented", "--note", "done", "--date", "2018-06-01", "--evidence", "http://x",
      "--evidence", "http://y", "--basis", "verified"]],
    [["update", "AFI2", "--response", "accepted", "--source", "force update"]],
    [["update", R2, "--due", "2019-01-01"]], [["update", R2, "--due", "2019-01-01", "--reason", "later", "--owner", "X"]],
    [["update", R2, "--status", "superseded", "--superseded-by", R1, "--related", "AFI1", "--related", "AFI2"]],
    [["update", R2, "--duplicate-of", R1, "--note", "same"]], [["update", R2]], [["update", "R1", "--note", "n"]],
    [["update", R2, "--note", "first"], ["undo"], ["undo"]], [["undo"]],
    [["update", R2, "--note", "first"], ["undo"], ["redo"], ["redo"]], [["redo"]],
    [["update", R2, "--correct", "1", "--date", "2016-12-01", "--note", "", "--reason", "wrong day"]],
    [["update", R2, "--drop", "1", "--reason", "twice"], ["show", R2]], [["update", R2, "--drop", "x", "--reason", "r"]],
    [["edit", R2, "--text", "New text", "--kind", "area-for-improvement", "--tag", "t", "--untag", "training",
      "--priority", "none", "--answers", "", "--ref", "R2b", "--reason", "typo", "--date", "2018-06-01"]],
    [["edit", R2, "--reason", "nothing"]],
    # the ledger's own fields: the example declares none, so --set and --unset are refused, as by Typer
    [["add", A, "--ref", "R23", "--text", "x", "--set", "risk=high"]],
    [["edit", R2, "--set", "risk=high", "--unset", "risk", "--reason", "rated"]],
    [["list", "--where", "owner=AC Territorial Policing", "--where", "status=in-progress", "-f", "json"]],
    [["list", "--where", "nope=1"]],
    [["remove", R2, "--reason", "error"]], [["remove", A, "--reason", "error", "--force"], ["list"]],
    [["remove", "C1", "--reason", "linked"]],
    [[*ADD_REPORT, "--figure", "a=1", "--figure", "b=2,000", "--grade", "q=good", "--follows", A, "--kind", "follow-up",
      "--url", "http://r", "--note", "n", "--response-within", "56 days", "--response-from", "MOPAC",
      "--followup-every", "3 months",
      "--followup-from", "2018-03-01", "--followup-until", "2018-12-31", "--revisit-by", "within 12 months"]],
    [[*ADD_REPORT, "--figure", "a=x"]], [[*ADD_REPORT, "--grade", "nonsense"]], [[*ADD_REPORT], ["reports", "list"]],
    [["reports", "update", A, "--title", "New title", "--remove-figure", "referred back", "--grade", "overall=good"]],
    [["reports", "update", A]], [["reports", "update", A, "--url", ""]], [["reports", "update", "zzz", "--title", "x"]],
    [["reports", "update", PEEL, "--by", "HMIC", "--subject", "MPS", "--kind", "inspection", "--note", "n", "--follows", A,
      "--remove-grade", "legitimacy", "--figure", "x=3", "--response-within", "56 days", "--response-from", "",
      "--revisit-by", "2019-01-01",
      "--followup-every", "6 months", "--followup-from", "2018-06-01", "--followup-until", "2019-06-01"]],
    [["reports", "update", A, "--followup-every", "", "--revisit-by", "", "--kind", "bogus"]],
    # action plans
    [["action", "add", R2, "--text", "Write the course", "--owner", "Head of Training", "--due", "+2 months",
      "--date", "2017-02-01"], ["action", "done", f"{R2}/1", "--date", "2017-03-01", "--note", "n", "--source", "s",
      "--evidence", "e"], ["show", R2], ["list", "--columns", "id,actions,ready"], ["remind", "--as-of", "2017-03-01"]],
    [["action", "add", R2, "--text", "T", "--owner", "O", "--due", "2017-06-30", "--date", "2017-02-01"],
     ["action", "update", f"{R2}/1", "--due", "2017-09-30", "--reason", "late", "--owner", "P", "--note", "n",
      "--source", "s", "--evidence", "e", "--date", "2017-04-01"], ["action", "update", f"{R2}/1", "--reopen"],
     ["report", "--format", "json"]],
    [["action", "done", f"{R2}/9"]], [["action", "add", R2, "--text", "T", "--owner", "O", "--due", "someday"]],
    [["init", f"{ROOT}/inner", "--name", "Inner"]], [["init", ROOT]], [["init", "--git", ROOT]],
    # team work
    [["export"]], [["export", "--format", "csv", "--report", A, "--report", PEEL]], [["export", "-f", "json", "--as-of", "2017-06-30"]],
    [["export", "--format", "xml"]], [["export", "--report", "nope"]], [["export", "--format", "csv", "--raw"]], [["export", "--raw"]],
    [["import", ROWS, "--dry-run"]], [["import", ROWS], ["list", "--report", A]], [["import", "-n", "--format", "csv", "--day-first", ROWS]],
    [["import", NO_REPORT, "--report", A, "--create-reports"]], [["import", NO_REPORT]], [["import", "/nowhere.csv"]],
    [["import", ROWS, "--format", "yaml"]], [["import", ROWS, "--raw", "--dry-run"]],
    [["merge-driver", f"{ROOT}/reports/{A}.toml", f"{ROOT}/reports/{A}.toml", f"{ROOT}/reports/{A}.toml", f"reports/{A}.toml"]],
    [["merge-driver", f"{ROOT}/reports/{A}.toml", "/nowhere", f"{ROOT}/reports/{A}.toml"]],
]


@pytest.mark.parametrize("lines", CASES, ids=[" ; ".join(" ".join(line) for line in case)[:80] for case in CASES])
def test_both_paths_say_and_do_the_same(lines: list[list[str]], spec: dict[str, Any], met: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    place = tmp_path / "run"
    by_typer = run_case(met.root, place, lines, lambda argv: slow(argv, runner))
    by_spec = run_case(met.root, place, lines, lambda argv: fast(spec, argv, runner))
    assert by_spec == by_typer


def test_the_cases_run_every_command_with_every_parameter(spec: dict[str, Any]) -> None:
    given: dict[int, set[str]] = {}
    for case in CASES:
        for line in case:
            for level in fastpath._parse(spec["root"], [arg.replace(ROOT, "x") for arg in line]):
                given.setdefault(id(level.node), set()).update(level.given)
                given[id(level.node)].update(p["name"] for p in level.node["params"]
                                             if p["kind"] == "argument" and level.values[p["name"]] is not None)

    def walk(node: dict[str, Any], path: str) -> None:
        if "commands" not in node:
            assert id(node) in given, f"{path} never run"
            missing.extend(f"{path} {p['name']}" for p in node["params"] if p["name"] not in given[id(node)])
        for name, sub in node.get("commands", {}).items():
            walk(sub, f"{path} {name}")

    missing: list[str] = []
    walk(spec["root"], "track")
    assert not missing, f"never given: {missing}"


# --------------------------------------------------------------------------- the values the bodies get


SPIED = [
    ["list"], ["list", "-s", "open", "--status", "closed", "--overdue", "--tag", "x", "--sort", "due", "-f", "json"],
    ["show", "R1", "--as-of", "2017-01-01"], ["add", "A", "--ref", "R", "--text", "T"],
    ["add", "A", "--ref", "R", "--text", "T", "--tag", "t", "--kind", "k", "--due", "d"],
    ["update", "X"], ["update", "X", "--evidence", "e", "--related", "r", "--date", "2018-01-01"],
    ["remind"], ["remind", "--fail-on-overdue", "--within", "3d"], ["report"], ["report", "A", "--grades"],
    ["history", "--since", "s"], ["reports", "add", "id", "--title", "t", "--by", "b", "--subject", "s", "--published", "p"],
    ["reports", "update", "id", "--figure", "f=1", "--remove-grade", "g"], ["reports", "list"], ["reports", "show", "id"],
    ["init"], ["init", "somewhere", "--name", "n"], ["check"], ["undo"], ["-L", "L", "list"], ["--ledger=L", "check"],
]


@pytest.mark.parametrize("argv", SPIED, ids=[" ".join(a) for a in SPIED])
def test_the_bodies_get_exactly_what_typer_passes(argv: list[str], spec: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []
    for module in fastpath.BODY_MODULES:
        loaded = sys.modules[module]
        for name, value in list(vars(loaded).items()):
            if inspect.isfunction(value) and value.__module__ == module and name[:1] != "_" and name not in (
                    "echo", "failure", "one_line", "show_version", "silence_stdout", "as_of_date", "pairs"):
                def spy(run: Any, *, _name: str = name, **values: Any) -> None:
                    calls.append((_name, values))
                monkeypatch.setattr(loaded, name, spy)
    runner = CliRunner()
    slow(argv, runner)
    by_typer = list(calls)
    calls.clear()
    fast(spec, argv, runner)
    assert calls == by_typer and len(calls) == 2
    for _, values in calls:
        for value in values.values():
            assert value is None or type(value) in (str, bool, list)


# --------------------------------------------------------------------------- failures, both ways


@pytest.mark.parametrize("raised, debug", [(ValueError("boom\nsecond line"), False), (KeyboardInterrupt(), False),
                                           (BrokenPipeError(32, "Broken pipe"), False), (ValueError("boom"), True)])
def test_a_failing_body_ends_the_same_way(raised: BaseException, debug: bool, spec: dict[str, Any], met: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(run: Any) -> None:
        print("partial output")
        raise raised

    monkeypatch.setattr(check, "check", broken)
    if debug:
        monkeypatch.setenv("TRACK_DEBUG", "1")
    argv = ["--ledger", str(met.root), "check"]
    runner = CliRunner()
    if debug:
        assert isinstance(runner.invoke(app, argv).exception, ValueError)
        with pytest.raises(ValueError):
            fast(spec, argv, runner)
        return
    out, err, code = fast(spec, argv, runner)
    assert (out, err, code) == slow(argv, runner)
    assert code == {ValueError: 1, KeyboardInterrupt: 130, BrokenPipeError: 1}[type(raised)]
    if isinstance(raised, ValueError):
        assert err == "track: internal error: ValueError: boom second line (set TRACK_DEBUG=1 to see where)\n"
    if isinstance(raised, BrokenPipeError):
        assert err == ""  # the reader left: nothing more to say


# --------------------------------------------------------------------------- what the fast path leaves to Typer


REFUSED = [
    [], ["--help"], ["-h"], ["list", "--help"], ["list", "-h"], ["reports", "add", "--help"], ["list", "--search", "--help"],
    ["bogus"], ["list", "--bogus"], ["list", "-x"], ["list", "--status"], ["list", "-s"], ["list", "--overdue=yes"],
    ["add", "A"], ["add", "A", "--ref", "R"], ["show"], ["show", "a", "b"], ["-x"], ["--ledger"], ["-L"], ["--ledger=x"],
    ["--", "list"], ["reports"], ["reports", "bogus"], ["list", "--ledger", "x"], ["--version=1"], ["list", "--version"],
    ["-", "list"], ["list", "-"], ["show", "-5"], ["--ledger", "x"], ["-hL", "x"],
]


@pytest.mark.parametrize("argv", REFUSED, ids=[" ".join(a) or "(nothing)" for a in REFUSED])
def test_anything_else_is_left_to_typer(argv: list[str], spec: dict[str, Any]) -> None:
    assert fastpath.plan(spec, argv) is None


def test_shell_completion_is_left_to_typer(spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    assert fastpath.plan(spec, ["list"]) is not None
    monkeypatch.setenv("_TRACK_COMPLETE", "bash_complete")
    assert fastpath.plan(spec, ["list"]) is None


def toy_spec(**param: Any) -> dict[str, Any]:
    base = {"name": "x", "kind": "option", "opts": ["-x"], "flag": True, "multiple": False, "nargs": 1, "required": False,
            "default": False, "eager": False, "callback": None}
    command = {"fast": True, "body": "track.cli.check:check", "params": [{**base, **param}]}
    return {"help_names": ["--help"], "root": {"fast": True, "body": None, "params": [], "commands": {"c": command}}}


def test_the_parser_refuses_combined_short_flags_and_unsupported_parameters() -> None:
    assert fastpath.plan(toy_spec(), ["c", "-x"]) is not None
    assert fastpath.plan(toy_spec(), ["c", "-xx"]) is None
    assert fastpath.plan(toy_spec(), ["c", "-x=1"]) is None
    spec = toy_spec()
    spec["root"]["commands"]["c"]["fast"] = False
    assert fastpath.plan(spec, ["c"]) is None
    assert fastpath.plan(toy_spec(callback="os:system"), ["c"]) is None  # only bodies are ever imported
    spec = toy_spec()
    spec["root"]["commands"]["c"]["body"] = "os:system"
    assert fastpath.plan(spec, ["c"]) is None


def test_the_spec_marks_what_it_cannot_run_fast() -> None:
    toy = typer.Typer(add_completion=False)

    @toy.callback()
    def group() -> None:
        pass

    @toy.command()
    def plain(count: int = 1) -> None:
        pass

    @toy.command()
    def env(name: str = typer.Option("x", envvar="TOY")) -> None:
        pass

    built = fastpath.build(typer.main.get_command(toy))
    assert built["root"]["fast"] is False  # its callback is not a body
    assert built["root"]["commands"]["plain"]["fast"] is False
    assert "count: not a str" in built["root"]["commands"]["plain"]["why"]
    assert "environment" in built["root"]["commands"]["env"]["why"]


def test_tracks_spec_runs_every_command_fast(spec: dict[str, Any]) -> None:
    def walk(node: dict[str, Any]) -> None:
        assert node["fast"], node.get("why")
        for sub in node.get("commands", {}).values():
            walk(sub)

    walk(spec["root"])
    assert spec["help_names"] == ["-h", "--help"]


# --------------------------------------------------------------------------- whole processes

SLOW = "import sys; sys.argv[0] = 'track'; from track.cli.app import main; main()"
# The real entry point; on exit it notes whether typer was ever imported.
FAST = ("import atexit, os, sys; sys.argv[0] = 'track'; "
        "atexit.register(lambda: open(os.environ['TYPER_MARK'], 'w').write(str('typer' in sys.modules))); "
        "from track.cli.fastpath import main; main()")


class Proc:
    def __init__(self, tmp_path: Path, ledger: Path) -> None:
        self.mark = tmp_path / "typer-mark"
        self.env = dict(os.environ, TRACK_LEDGER=str(ledger), TYPER_MARK=str(self.mark))
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)

    def __call__(self, script: str, *args: str, **env: str) -> tuple[str, str, int]:
        done = subprocess.run([sys.executable, "-c", script, *args], env={**self.env, **env}, capture_output=True,
                              text=True, timeout=60)
        return done.stdout, done.stderr, done.returncode

    def fast(self, *args: str, **env: str) -> tuple[tuple[str, str, int], bool]:
        """(outcome, whether typer was imported)"""
        self.mark.unlink(missing_ok=True)
        outcome = self(FAST, *args, **env)
        return outcome, self.mark.read_text() == "True"


@pytest.fixture
def proc(tmp_path: Path, met: Any) -> Proc:
    return Proc(tmp_path, met.root)


WHOLE = [["list"], ["list", "--format", "json", "-s", "open"], ["show", "nope"], ["remind", "--as-of", "2017-03-01",
         "--fail-on-overdue"], ["--version"], ["check"], ["report", "--by", "bogus"]]


def test_whole_runs_match_and_import_no_typer(proc: Proc) -> None:
    assert proc.fast("list")[1] is True  # no spec yet: Typer runs, and the spec is written
    for argv in WHOLE:
        outcome, typer_loaded = proc.fast(*argv)
        assert outcome == proc(SLOW, *argv), argv
        assert typer_loaded is False, argv


ENTRY = "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; entry()"  # as installed


def test_the_installed_entry_exits_quickly_with_everything_written(proc: Proc) -> None:
    """entry() leaves by os._exit once output is flushed: the same stdout, stderr and exit
    code as a normal exit, for errors, and for usage errors on the slow path."""
    proc.fast("list")  # the spec
    for argv in [*WHOLE, ["history", "--format", "json"], ["list", "--bogus"], ["remind", "--format", "csv"]]:
        assert proc(ENTRY, *argv) == proc(SLOW, *argv), argv
    big = proc(ENTRY, "history", "--format", "json")[0]
    assert len(big) > 2000 and big.endswith("]\n")  # still in the stream's buffer at the end


def test_the_installed_entry_after_the_reader_left(proc: Proc, tmp_path: Path) -> None:
    """`track list --format json | head -c 10` on output larger than a pipe holds, and
    `| true` on output small enough to wait in the stream's buffer: exit 1, nothing on stderr,
    as on the slow path."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import build

    big = build(300, tmp_path / "big")
    proc.fast("list")
    for script in (ENTRY, SLOW):
        for ledger, reader in ((big, "head -c 10 >/dev/null"), (proc.env["TRACK_LEDGER"], "true")):  # large, small
            line = f"{sys.executable} -c \"{script}\" list --format json | {reader}; echo ${{PIPESTATUS[0]}} >&2"
            done = subprocess.run(["bash", "-c", line], env={**proc.env, "TRACK_LEDGER": str(ledger)},
                                  capture_output=True, text=True, timeout=60)
            assert done.stderr == "1\n", (script, reader)


@pytest.mark.parametrize("columns", [None, "50", "100", "200"])
@pytest.mark.parametrize("argv", [["--help"], ["-h"], []])
def test_the_top_level_help_is_typers_word_for_word(argv: list[str], columns: str | None, proc: Proc) -> None:
    env = {"COLUMNS": columns} if columns else {}
    reference = proc(SLOW, *argv, **env)
    assert proc.fast(*argv, **env) == (reference, True)  # the first time: Typer, and the text is kept
    assert proc.fast(*argv, **env) == (reference, False)
    assert reference[2] == (2 if not argv else 0) and "Usage: track [OPTIONS] COMMAND [ARGS]..." in reference[0] + reference[1]


def test_python_m_track_keeps_its_own_help(proc: Proc, tmp_path: Path) -> None:
    first = subprocess.run([sys.executable, "-m", "track", "--help"], env=proc.env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-m", "track", "--help"], env=proc.env, capture_output=True, text=True)
    assert first.stdout.lstrip().startswith("Usage: python -m track [OPTIONS]")
    assert (second.stdout, second.stderr, second.returncode) == (first.stdout, first.stderr, first.returncode)
    spec = json.loads(Path(fastpath.cache_file()).read_text())
    assert any(key.split("\0")[1] == "track" for key in spec["help"])  # kept under python -m's name


def test_errors_typer_reports_are_unchanged(proc: Proc) -> None:
    proc.fast("list")
    for argv in [["bogus"], ["list", "--bogus"], ["show"], ["list", "--status"], ["add", "x"], ["list", "--help"]]:
        outcome, typer_loaded = proc.fast(*argv)
        assert outcome == proc(SLOW, *argv) and typer_loaded, argv


def test_a_broken_pipe_is_quiet_both_ways(proc: Proc, tmp_path: Path) -> None:
    proc.fast("list")

    def closed(script: str) -> tuple[int, str]:
        read, write = os.pipe()
        os.close(read)
        proc.mark.unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-c", script, "list"], env=proc.env, stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=60)
        os.close(write)
        return done.returncode, done.stderr

    assert closed(FAST) == (1, "") and proc.mark.read_text() == "False"
    assert closed(SLOW) == (1, "")


# --------------------------------------------------------------------------- the cache


def test_the_cache_lives_in_xdg_cache_home(own_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Path(fastpath.cache_file()).parent == own_cache / "track"
    for unusable in ("", "relative/cache"):
        monkeypatch.setenv("XDG_CACHE_HOME", unusable)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert Path(fastpath.cache_file()).parent == tmp_path / "home" / ".cache" / "track"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert Path(fastpath.cache_file()).parent == tmp_path / "home" / ".cache" / "track"


def test_a_slow_run_writes_the_spec_and_the_next_run_is_fast(proc: Proc, own_cache: Path) -> None:
    assert not own_cache.exists()
    (out, err, code), typer_loaded = proc.fast("list")
    assert code == 0 and typer_loaded
    files = list((own_cache / "track").iterdir())
    assert [f.name for f in files] == [Path(fastpath.cache_file()).name]  # no temporary file left
    spec = json.loads(files[0].read_text())
    assert spec["version"] == fastpath.__version__ and spec["root"]["fast"]
    stamped = {Path(f[0]).name for f in spec["files"]}
    assert {"app.py", "declare.py", "report.py", "remind.py", "run.py", "__init__.py"} <= stamped
    assert proc.fast("list") == ((out, err, code), False)


def test_an_edited_module_makes_the_spec_stale(proc: Proc, tmp_path: Path) -> None:
    reference, _ = proc.fast("list")
    path = Path(fastpath.cache_file())
    spec = json.loads(path.read_text())
    source = tmp_path / "defines-the-command-line.py"  # stands for cli.py, which a test must not touch
    source.write_text("x = 1\n")
    spec["files"].append(fastpath._stamp(str(source)))
    spec["root"]["commands"]["list"]["fast"] = False  # a mark: while this spec holds, `list` goes to Typer
    path.write_text(json.dumps(spec))
    assert proc.fast("list") == (reference, True)
    assert json.loads(path.read_text()) == spec  # still in force
    source.write_text("x = 2\n")  # same size, new mtime
    assert proc.fast("list") == (reference, True)  # stale: Typer runs, and writes a fresh spec
    fresh = json.loads(path.read_text())
    assert str(source) not in [f[0] for f in fresh["files"]] and fresh["root"]["commands"]["list"]["fast"]
    assert proc.fast("list") == (reference, False)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong version", "wrong layout", "foreign body", "empty"])
def test_a_damaged_spec_only_costs_a_slow_run(damage: str, proc: Proc) -> None:
    reference, _ = proc.fast("list")
    path = Path(fastpath.cache_file())
    text = path.read_text()
    spec = json.loads(text)
    if damage == "garbage":
        text = "\x00not json"
    elif damage == "truncated":
        text = text[: len(text) // 2]
    elif damage == "wrong version":
        text = json.dumps({**spec, "version": "0.0.0"})
    elif damage == "wrong layout":
        text = json.dumps({**spec, "root": [1, 2]})
    elif damage == "foreign body":
        spec["root"]["commands"]["list"]["body"] = "os:abort"
        text = json.dumps(spec)
    else:
        text = ""
    path.write_text(text)
    assert proc.fast("list") == (reference, True)
    if damage != "foreign body":  # a spec that loads but will not run is left as it is: Typer runs that command
        assert proc.fast("list") == (reference, False)


def test_no_cache_no_fast_path_and_no_harm(proc: Proc, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {"XDG_CACHE_HOME": str(blocker / "cache")}  # cannot be created
    reference = proc(SLOW, "list")
    assert proc.fast("list", **env) == (reference, True)
    assert proc.fast("list", **env) == (reference, True)
