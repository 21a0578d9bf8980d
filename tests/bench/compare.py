"""Prove that a change to track's code leaves every output byte-identical.

    python tests/bench/compare.py capture --track PATH/TO/track --out DIR [--size 10000]
    python tests/bench/compare.py diff DIR_A DIR_B

`capture` runs a fixed matrix of command lines through the given `track` executable and
writes, for each case, one file DIR/cases/NAME.txt holding the command line, the variables it
set, its exit code, its stdout and its stderr, byte for byte (after the normalisation below).
DIR/index.txt lists the cases in the order they ran; DIR/meta.json says what ran and how long
it took (it is not compared). `diff` compares two captures case by case, prints each case that
differs with a short unified diff, then "N cases, M identical, K differ", and exits 1 if any
differ (or if a case is in one capture only).

The matrix (940 cases; 90 to 110 s on a 2-core machine, 4 s of it generating the ledger):

- on a copy of data/met-police: every read command (list with its filters and sorts, show,
  history, report with each --by and --grades, remind at several dates and --fail-on-overdue,
  reports list/show, check, export), in every format it supports: `table` on a terminal
  (TTY_COMPATIBLE=1, COLUMNS=80 and 120), `plain` when piped, and each --format explicitly;
  also without the index (TRACK_NO_CACHE=1), with the ledger found from TRACK_LEDGER and by
  looking upwards from a subfolder;
- the same kinds of command on a generated ledger of --size recommendations
  (tests/bench/generate.py, seed 1), including the first command after its index is deleted;
- --help and -h of the program, every command and subcommand (piped, and on a terminal at 80
  and 120 columns), --version, no arguments, and usage errors;
- error cases: unknown and ambiguous ids, dates that do not parse or read two ways, unknown
  statuses, formats, sorts and groups, a missing ledger, no ledger found;
- shell completion (bash, zsh, fish) and the completion scripts;
- `track check` and `track list` on a ledger holding each file of tests/badfiles alone;
- a sequence of changes on a fresh copy of the Met ledger (reports add/update, add, update of
  status, response, due with and without --reason, owner, note, source, evidence and links,
  refusals, undo, export, import of the export as JSON and as CSV into new ledgers, imports of
  CSV with problems, --dry-run, --day-first, from stdin, init, check), then a dump of every
  file of each ledger (everything but .track/);
- a ledger kept in git (init --git, changes committed, undo; the commit subjects and files,
  the git settings written) and the merge driver, clean and in conflict;
- the fast path: a few command lines run with a fresh spec cache (so Typer parses them), and a
  few run with a `typer` that cannot be imported on PYTHONPATH, which prove that well-formed
  command lines still run without importing Typer.

Reproducibility. Each capture works in a new temporary folder; nothing is written to the
repository. Commands run with a fixed environment built from nothing (os.environ is not
inherited, so no TRACK_LEDGER, FORCE_COLOR, NO_COLOR, COLUMNS, TTY_* ... leaks in):
TRACK_TODAY=2026-12-05, TRACK_USER, HOME and XDG_CACHE_HOME in the temporary folder,
LC_ALL=C.UTF-8, TZ=UTC, TERM=xterm-256color, PATH = the executable's folder first (so that
`track init --git` finds the running `track` on PATH and writes `track`, not its path) then
/usr/local/bin:/usr/bin:/bin, git identity and dates fixed, umask 022, stdin /dev/null.

Normalised in what is stored (everything else is stored as it came):
- the temporary folder's path -> $WORK, the executable's path -> $TRACK, its folder -> $BIN
  (they differ from run to run and between the two executables compared);
- a progress bar (rich's, drawn on stderr on a terminal, erased when done) -> a marker
  naming its label: how many frames it draws depends on timing (`check` of the generated
  ledger without its index, on a terminal);
- a wall-clock time YYYY-MM-DDTHH:MM:SS -> <time>: `track undo` says when the change it
  reverts was made (the journal's "when", the machine's clock, not TRACK_TODAY).
Nothing else varied between two captures of the same code (PYTHONHASHSEED is left random).

The generated ledger is made by the interpreter that runs the executable (its #! line, else
--python) with tests/bench/generate.py of --repo (default: the repository holding this
script), so that the "before" and "after" code each use their own generate.py; the case
setup__generated-ledger records a digest of every file made, so that a difference in the
generated data shows there first. Example: the baseline of the commit before a change

    git worktree add /tmp/track-before HEAD
    python -m venv /tmp/venv-before && /tmp/venv-before/bin/pip install /tmp/track-before
    python tests/bench/compare.py capture --track /tmp/venv-before/bin/track --repo /tmp/track-before --out /tmp/outputs-before
    # the code after the change, in its own venv, with the same versions of the dependencies:
    /tmp/venv-before/bin/pip freeze --exclude track > /tmp/constraints.txt
    python -m venv /tmp/venv-after && /tmp/venv-after/bin/pip install -c /tmp/constraints.txt .
    python tests/bench/compare.py capture --track /tmp/venv-after/bin/track --out /tmp/outputs-after
    python tests/bench/compare.py diff /tmp/outputs-before /tmp/outputs-after

(--repo /tmp/track-before: the "before" executable needs the generate.py of its own commit,
which imports its modules.) diff also notes when the two captures ran with a different
Python or different versions of the installed packages.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TODAY = "2026-12-05"
TERM80 = {"TTY_COMPATIBLE": "1", "COLUMNS": "80"}
TERM120 = {"TTY_COMPATIBLE": "1", "COLUMNS": "120"}
MET_REPORT = "hmic-2016-met-cp"
MET_ID = "hmic-2016-met-cp/R2"

# Formats each command accepts (from `track CMD --help`); "table" is also run piped, explicitly.
LIST_FORMATS = ["table", "plain", "json", "csv", "markdown"]
HTML_FORMATS = LIST_FORMATS + ["html"]  # history, report
REMIND_FORMATS = ["table", "plain", "json", "markdown"]
EXPORT_FORMATS = ["json", "csv"]


# --------------------------------------------------------------------------- the cases


class Case:
    def __init__(self, name: str, argv: list[str] | None, env: dict[str, str] | None = None, cwd: str = "",
                 stdin: bytes | None = None, save: str | None = None, fn: Callable[[Context], tuple[bytes, bytes, int]] | None = None,
                 pre: Callable[[Context], None] | None = None) -> None:
        self.name = name
        self.argv = argv  # after `track`; None for a case computed by fn
        self.env = env or {}
        self.cwd = cwd  # relative to the work folder
        self.stdin = stdin
        self.save = save  # also write the raw stdout to this path (relative to the work folder)
        self.fn = fn
        self.pre = pre  # run just before, e.g. to make the files the case needs


class Matrix:
    def __init__(self) -> None:
        self.cases: list[Case] = []
        self.names: set[str] = set()

    def add(self, name: str, argv: list[str] | None, **kw) -> None:
        env = kw.get("env") or {}
        if env == TERM80:
            name += "@term80"
        elif env == TERM120:
            name += "@term120"
        elif env:
            name += "@" + ",".join(f"{k}={v}" if len(v) < 12 else k for k, v in sorted(env.items()))
        name = safe_name(name)
        if name in self.names:
            raise SystemExit(f"compare.py: two cases named {name}")
        self.names.add(name)
        self.cases.append(Case(name, argv, **kw))

    def track(self, group: str, argv: list[str], **kw) -> None:
        """A case named after its group and command line."""
        self.add(f"{group}__{' '.join(argv)}", argv, **kw)

    def formats(self, group: str, argv: list[str], fmts: list[str], terminal: bool = True, **kw) -> None:
        """argv piped (plain), on a terminal at 80 and 120 columns (table), and with each --format."""
        self.track(group, argv, **kw)
        if terminal:
            self.track(group, argv, env=TERM80, **kw)
            self.track(group, argv, env=TERM120, **kw)
        for fmt in fmts:
            self.track(group, argv + ["--format", fmt], **kw)


def safe_name(name: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._=+@,-]+", "_", name).strip("_")
    if len(name) > 150:
        name = name[:140] + "~" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return name


def read_commands(m: Matrix, g: str, L: list[str], *, report: str, rec: str, short_ref: str, rich: bool) -> None:
    """The read commands on one ledger (L = ["-L", folder]). rich: the small ledger, where
    every filter is also run in every format."""
    every = LIST_FORMATS if rich else ["json"]

    # list
    m.formats(g, L + ["list"], LIST_FORMATS)
    for args in (["--status", "open"], ["--overdue"], ["--as-of", "2017-09-30"], ["--report", report],
                 ["--search", "missing" if rich else "vetting"], ["--status", "open", "--overdue", "--sort", "overdue"],
                 ["--as-of", "2017-09-30", "--report", report]):
        m.formats(g, L + ["list"] + args, every, terminal=rich)
    for sort in ("issued", "id", "due", "status", "owner", "priority", "last-event", "overdue"):
        m.track(g, L + ["list", "--sort", sort])
        if rich:
            m.track(g, L + ["list", "--sort", sort, "--format", "json"])
    filters = [["--status", "closed"], ["--status", "in-progress,not-started"], ["-s", "awaiting-response", "-s", "implemented"],
               ["--subject", "Metropolitan"], ["--subject", "kent"], ["--issued-by", "HMICFRS"], ["--issued-by", "iopc"],
               ["--owner", "AC Territorial"], ["--owner", "dcc"], ["--tag", "missing-children", "--tag", "vetting"], ["--tag", "it"],
               ["--kind", "cause-of-concern"], ["--kind", "area-for-improvement", "--kind", "recommendation"],
               ["--priority", "high"], ["--priority", "medium", "--priority", "low"],
               ["--due-within", "30d", "--as-of", "2017-05-01"], ["--due-within", "2 months", "--as-of", "2018-01-01"],
               ["--stale"], ["--stale", "--as-of", "2017-05-20"], ["--as-of", "May 2017"], ["--as-of", "-3 months"],
               ["--as-of", "2016-11-25"], ["--as-of", "2010-01-01"], ["--search", "CHILD"], ["--search", "no such words"],
               ["--status", "open", "--report", report, "--sort", "due"], ["--tag", "vetting", "--priority", "high", "--sort", "owner"]]
    for args in filters:
        m.track(g, L + ["list"] + args)
        if rich:
            m.track(g, L + ["list"] + args + ["--format", "json"])

    # show
    m.formats(g, L + ["show", rec], LIST_FORMATS)
    m.formats(g, L + ["show", rec, "--as-of", "2017-05-31"], LIST_FORMATS if rich else ["json"], terminal=rich)
    m.track(g, L + ["show", rec, "--as-of", "May 2017"])
    m.track(g, L + ["show", short_ref])
    m.track(g, L + ["show", short_ref, "--as-of", "2016-01-01"])  # before it was issued
    if rich:
        for other in ("hmic-2016-met-cp/C1", "peel-2016-met-effectiveness/AFI4", "R10", "hmicfrs-2019", "peel-2016-met/AFI1"):
            m.track(g, L + ["show", other])
            m.track(g, L + ["show", other, "--format", "json"])

    # history
    m.formats(g, L + ["history"], HTML_FORMATS)
    m.formats(g, L + ["history", rec], HTML_FORMATS if rich else ["json"], terminal=rich)
    m.formats(g, L + ["history", report], HTML_FORMATS)
    m.formats(g, L + ["history", "--since", "2017-11-01", "--until", "2018-03-01"], HTML_FORMATS if rich else ["json", "csv"], terminal=rich)
    for args in (["--since", "May 2017"], ["--until", "May 2017"], ["--as-of", "2017-06-30"], ["--since", "-10 years"],
                 ["--since", "2030-01-01"]):
        m.track(g, L + ["history"] + args)
    if rich:
        m.track(g, L + ["history", "peel-2016-met-legitimacy", "--format", "json"])
        m.track(g, L + ["history", "hmic-2016-met-cp", "--since", "2017-03-01", "--until", "2017-06-30"])
        m.track(g, L + ["history", "R2", "--as-of", "2017-09-30", "--format", "markdown"])

    # report
    m.formats(g, L + ["report"], HTML_FORMATS)
    m.formats(g, L + ["report", report], HTML_FORMATS)
    for by in ("status", "kind", "owner", "tag", "report", "subject", "response"):
        m.formats(g, L + ["report", "--by", by], HTML_FORMATS if rich else ["json", "csv"], terminal=False)
    m.formats(g, L + ["report", "--grades"], HTML_FORMATS, terminal=rich)
    m.formats(g, L + ["report", "--as-of", "2017-06-30"], HTML_FORMATS if rich else ["json"], terminal=rich)
    if rich:
        m.formats(g, L + ["report", report, "--as-of", "2017-09-30"], ["json", "html"], terminal=False)
        m.track(g, L + ["report", "--grades", "Metropolitan"])
        m.track(g, L + ["report", "--grades", "peel-2017-met", "--format", "json"])
        m.track(g, L + ["report", report, "--by", "owner", "--format", "markdown"])

    # remind
    dates = ["2017-01-10", "2017-03-01", "2017-05-20", "2017-09-30", "2018-03-01", "2019-12-31", "2016-11-01"] if rich \
        else ["2016-06-30", "2019-01-01", "2011-01-01"]
    m.formats(g, L + ["remind"], REMIND_FORMATS)
    for day in dates:
        m.formats(g, L + ["remind", "--as-of", day], REMIND_FORMATS if rich or day == dates[0] else ["json"], terminal=day == dates[0])
    for day in (dates[:3] if rich else dates[1:]):
        m.track(g, L + ["remind", "--as-of", day, "--fail-on-overdue"])
    m.track(g, L + ["remind", "--fail-on-overdue"])
    m.track(g, L + ["remind", "--fail-on-overdue", "--format", "json"])
    m.track(g, L + ["remind", "--as-of", dates[1], "--within", "30d", "--stale", "6 months"])
    m.track(g, L + ["remind", "--as-of", dates[1], "--within", "1 month", "--format", "json"])

    # reports, check, export
    m.formats(g, L + ["reports", "list"], LIST_FORMATS)
    m.formats(g, L + ["reports", "list", "--as-of", "2017-06-30"], ["json"], terminal=False)
    m.formats(g, L + ["reports", "show", report], LIST_FORMATS)
    m.formats(g, L + ["reports", "show", report, "--as-of", "2017-06-30"], ["json"], terminal=False)
    if rich:
        for other in ("peel-2017-met-effectiveness", "hmicfrs-2019", "peel-2016-met"):
            m.formats(g, L + ["reports", "show", other], ["json", "markdown"], terminal=False)
    m.track(g, L + ["check"])
    m.track(g, L + ["check"], env=TERM80)
    for fmt in EXPORT_FORMATS:
        m.track(g, L + ["export", "--format", fmt])
    m.track(g, L + ["export"])
    m.track(g, L + ["export", "--report", report, "--as-of", "2017-06-30"])
    m.track(g, L + ["export", "--report", report, "--format", "csv"])
    if rich:
        m.track(g, L + ["export", "--report", report, "--report", "peel-2016-met", "--as-of", "2017-03-31", "--format", "csv"])


def help_cases(m: Matrix) -> None:
    g = "help"
    # The first --help goes through Typer and stores the top-level help in the spec cache for
    # this width; the second one is printed from the cache (the fast path).
    m.track(g + "1", ["--help"])
    m.track(g + "2", ["--help"])
    m.track(g, ["-h"])
    m.track(g, [])  # no command: the help on stderr, exit 2
    m.track(g, ["--version"])
    m.track(g, ["--help"], env=TERM80)
    m.track(g, ["--help"], env=TERM120)
    m.track(g + "2", ["--help"], env=TERM120)
    commands = ["init", "add", "update", "list", "show", "check", "undo", "remind", "report", "history", "import", "export",
                "merge-driver", "reports"]
    for cmd in commands:
        m.track(g, [cmd, "--help"])
    for cmd in ("add", "list", "show", "update", "merge-driver"):
        m.track(g, [cmd, "-h"])
    for sub in ("add", "list", "show", "update"):
        m.track(g, ["reports", sub, "--help"])
    for cmd in ("list", "report", "update", "reports"):
        m.track(g, [cmd, "--help"], env=TERM80)
        m.track(g, [cmd, "--help"], env=TERM120)
    m.track(g, ["reports"])  # a group without its command


def error_cases(m: Matrix) -> None:
    g = "error"
    L = ["-L", "met"]
    for argv in (
        ["show", "nosuch/R1"], ["show", "R1"], ["show", "hmic-2016-met-cp/R"], ["show", "peel-2016"], ["show", "AFI1"],
        ["show", "hmic-2016-met-cp/R2", "--as-of", "31/02/2017"], ["show", "hmic-2016-met-cp/R2", "--format", "html"],
        ["history", "nosuch"], ["report", "nosuch"], ["reports", "show", "nosuch"], ["reports", "show", "peel"],
        ["list", "--as-of", "31/02/2017"], ["list", "--as-of", "05/06/2017"], ["list", "--as-of", "someday"],
        ["list", "--as-of", "24/05/2017", "--format", "json"], ["list", "--as-of", "24 May 2017", "--format", "csv"],
        ["list", "--status", "done"], ["list", "--status", "open,done"], ["list", "--kind", "advice"], ["list", "--priority", "urgent"],
        ["list", "--format", "xml"], ["list", "--format", "html"], ["list", "--sort", "colour"], ["list", "--due-within", "soon"],
        ["list", "--report", "nosuch"], ["list", "--bogus"], ["list", "extra-argument"], ["list", "--status"],
        ["history", "--since", "yesterday-ish"], ["history", "--since", "2018-01-01", "--until", "2017-01-01"],
        ["report", "--by", "colour"], ["report", "--format", "xml"], ["remind", "--within", "a while"],
        ["remind", "--format", "csv"], ["remind", "--stale", "-3 days"], ["export", "--format", "html"],
        ["export", "--report", "nosuch"], ["nosuch-command"], ["reports", "nosuch"], ["show"], ["update"], ["add", MET_REPORT],
        ["merge-driver", "a"], ["list", "-s"],
    ):
        m.track(g, L + argv)
    m.track(g, ["-L"])
    m.track(g, ["--ledger=met", "list", "--as-of"])
    m.track(g, ["-L", "no-such-folder", "list"])
    m.track(g, ["-L", "met/reports", "list"])  # a folder that is not a ledger, inside one
    m.track(g, ["list"], cwd="home")  # no ledger found upwards
    m.track(g, ["remind"], cwd="home")
    m.track(g, ["list"], env={"TRACK_LEDGER": "no-such-folder"})
    m.track(g, ["-L", "met", "list"], env={"TRACK_TODAY": "not a date"})
    m.track(g, ["-L", "met", "list", "--overdue"], env={"TRACK_TODAY": "2017-05-20"})


def ledger_location_cases(m: Matrix) -> None:
    g = "where"
    m.track(g, ["list", "--status", "open"], cwd="met")
    m.track(g, ["remind"], cwd="met/reports")
    m.track(g, ["reports", "list"], env={"TRACK_LEDGER": "met"})
    m.track(g, ["--ledger", "met", "show", "R2"])
    m.track(g, ["--ledger=met", "show", "R2"])
    m.track(g, ["-Lmet", "show", "R2"])
    m.track(g, ["-L", "big", "show", "r00001/R2"], env={"TRACK_LEDGER": "met"})  # -L wins
    for argv in (["list", "--format", "json"], ["history", "--format", "csv"], ["remind"], ["report", "--format", "json"], ["check"],
                 ["reports", "list"], ["show", MET_ID]):
        m.track(g + "-nocache", ["-L", "met"] + argv, env={"TRACK_NO_CACHE": "1"})
    m.track(g, ["-L", "met", "list", "--status", "open"], env={"NO_COLOR": "1", **TERM80})
    m.track(g, ["-L", "met", "list", "--status", "open"], env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    m.track(g, ["-L", "met", "list", "--status", "open"], env={"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"})
    m.track(g, ["-L", "met", "list", "--status", "open"], env={"TTY_COMPATIBLE": "1", "COLUMNS": "40"})
    m.track(g, ["-L", "met", "show", MET_ID], env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"})
    m.track(g, ["-L", "met", "show", MET_ID], env={"TTY_COMPATIBLE": "1", "COLUMNS": "50"})


def completion_cases(m: Matrix) -> None:
    g = "complete"
    for kind in ("bash", "zsh", "fish"):
        m.add(f"{g}__source_{kind}", [], env={"_TRACK_COMPLETE": f"source_{kind}"})
    bash = [("track ", 1), ("track li", 1), ("track list --", 2), ("track list --status ", 3), ("track list --sort d", 3),
            ("track list --format ", 3), ("track report --by ", 3), ("track update hmic-2016-met-cp/R", 2), ("track show peel", 2),
            ("track history hmicfrs", 2), ("track list --owner AC", 3), ("track list --tag m", 3), ("track list --report p", 3),
            ("track update R2 --response ", 4), ("track add --kind ", 3), ("track list --issued-by H", 3),
            ("track list --subject M", 3), ("track reports show ", 3), ("track reports ", 2)]
    for line, cword in bash:
        m.add(f"{g}__bash__{line}", [], env={"_TRACK_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword),
                                            "TRACK_LEDGER": "met"})
    for kind in ("zsh", "fish"):
        for line in ("track list --sort d", "track update hmic-2016-met-cp/R", "track list --owner AC", "track re"):
            env = {"_TRACK_COMPLETE": f"complete_{kind}", "_TYPER_COMPLETE_ARGS": line, "TRACK_LEDGER": "met"}
            if kind == "fish":
                env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
            m.add(f"{g}__{kind}__{line}", [], env=env)
    m.add(f"{g}__fish-is-args__track update zzz", [], env={"_TRACK_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "track update zzz",
                                                          "_TYPER_COMPLETE_FISH_ACTION": "is-args", "TRACK_LEDGER": "met"})
    m.add(f"{g}__bash__no-ledger", [], cwd="home", env={"_TRACK_COMPLETE": "complete_bash", "COMP_WORDS": "track show h",
                                                         "COMP_CWORD": "2"})


def slow_path_cases(m: Matrix) -> None:
    """Command lines run with an empty spec cache each: Typer parses them (and writes a spec)."""
    for n, argv in enumerate((["list", "--status", "open"], ["show", "R2", "--format", "json"], ["remind", "--as-of", "2017-05-20"],
                              ["report", "--format", "csv"], ["history", MET_ID], ["reports", "list"], ["check"], ["export", "--format", "csv"],
                              ["list", "--tag", "vetting", "--tag", "missing-children", "-s", "open"], ["--version"], ["list", "--as-of", "bad"])):
        m.add(f"typer__{' '.join(argv)}", ["-L", "met"] + argv, env={"XDG_CACHE_HOME": f"$WORK/xdg-cold/{n}"})


def fast_path_cases(m: Matrix) -> None:
    """With the spec cache warm, a `typer` that fails to import on PYTHONPATH: each of these well-formed
    command lines must run without importing Typer (the fast path), so its output is as usual."""
    env = {"PYTHONPATH": "$WORK/poison"}
    for argv in (["list", "--status", "open"], ["list", "--format", "json", "--sort", "due"], ["show", "R2"], ["history", MET_ID],
                 ["report", "--format", "json"], ["report", "--format", "html"], ["remind", "--as-of", "2017-05-20", "--format", "markdown"],
                 ["reports", "list"], ["reports", "show", MET_REPORT], ["check"], ["export", "--format", "csv"], ["--version"]):
        m.add(f"fastpath__{' '.join(argv)}", ["-L", "met"] + argv, env=env)
    m.add("fastpath__--help", ["--help"], env=env)
    m.add("fastpath__list_terminal", ["-L", "met", "list"], env={**env, **TERM120})


def badfile_cases(m: Matrix, badfiles: list[Path]) -> None:
    for path in badfiles:
        folder = f"bad/{path.stem}"

        def pre(ctx: Context, path: Path = path, folder: str = folder) -> None:
            root = ctx.work / folder
            (root / "reports").mkdir(parents=True, exist_ok=True)
            (root / "track.toml").write_text('name = "bad"\nschema = 1\n')
            shutil.copyfile(path, root / "reports" / path.name)

        m.add(f"badfile__{path.stem}__check", ["-L", folder, "check"], pre=pre)
        m.add(f"badfile__{path.stem}__list", ["-L", folder, "list"])
    # all of them in one ledger
    def pre_all(ctx: Context) -> None:
        root = ctx.work / "bad/all"
        (root / "reports").mkdir(parents=True, exist_ok=True)
        (root / "track.toml").write_text('name = "bad"\nschema = 1\n')
        for path in badfiles:
            shutil.copyfile(path, root / "reports" / path.name)

    m.add("badfile__all__check", ["-L", "bad/all", "check"], pre=pre_all)
    m.add("badfile__all__check", ["-L", "bad/all", "check"], env=dict(TERM80))
    m.add("badfile__all__remind", ["-L", "bad/all", "remind"])


# The CSV files the mutation sequence imports (written into the work folder).
CSV_PROBLEMS = (
    "report,ref,text,due,date,status,note\n"
    "hmicfrs-2024-met-peel,R5,A good row,2025-06-30,2024-07-01,in-progress,fine\n"
    "hmicfrs-2024-met-peel,R6,A bad status,,2024-07-01,done,\n"
    "hmicfrs-2024-met-peel,R7,A bad due,31/02/2017,,,\n"
    "hmicfrs-2024-met-peel,R8,An ambiguous date,,05/06/2025,in-progress,\n"
    "nosuch-report,R1,No report,,,,\n"
)
CSV_SIMPLE = (
    "Reference,Recommendation,Deadline,Lead,Themes,Status,Date,Note\n"
    "R11,\"Publish the vetting backlog, monthly\",June 2025,DCC,vetting; leadership,in-progress,2024-08-01,\"Started,\nwith a plan\"\n"
    "R12,Train every supervisor,+6 months,AC Met Operations,training,,,\n"
)
CSV_DAY_FIRST = "\ufeffreport;ref;text;due;date;response\r\nhmicfrs-2024-met-peel;R13;Dates day first;01/06/2025;02/07/2024;accepted\r\n"
CSV_STDIN = "ref,text,due\nR14,From standard input,2025-12-31\n"
CSV_BAD_HEADER = "ref,text,colour\nR15,Unknown column,blue\n"


def mutation_cases(m: Matrix) -> None:
    """A sequence of changes on a fresh copy of the Met ledger ("mut"), each step a case."""
    steps: list[tuple[list[str], dict]] = []
    P = "hmicfrs-2024-met-peel"

    def s(*argv: str, **kw) -> None:
        steps.append((list(argv), kw))

    L = ["-L", "mut"]
    s(*L, "reports", "add", P, "--title", "PEEL 2023-25: Metropolitan Police Service", "--by", "HMICFRS",
      "--subject", "Metropolitan Police Service", "--published", "14 June 2024", "--kind", "peel", "--url", "https://example.org/peel",
      "--note", "A test report", "--response-within", "56 days", "--figure", "areas for improvement=3",
      "--grade", "investigating crime=inadequate", "--grade", "responding to the public=requires-improvement",
      "--followup-every", "6 months", "--followup-until", "2025-12-31", "--revisit-by", "within 12 months")
    s(*L, "reports", "add", "../escape", "--title", "x", "--by", "x", "--subject", "x", "--published", "2024-01-01")
    s(*L, "reports", "add", MET_REPORT, "--title", "x", "--by", "x", "--subject", "x", "--published", "2024-01-01")
    s(*L, "reports", "add", "future", "--title", "x", "--by", "x", "--subject", "x", "--published", "2027-01-01")
    s(*L, "reports", "add", "bad-grade", "--title", "x", "--by", "x", "--subject", "x", "--published", "2024-01-01", "--grade", "a=superb")
    s(*L, "reports", "add", "hmicfrs-2025-met-revisit", "--title", "PEEL revisit", "--by", "HMICFRS", "--subject", "Metropolitan Police Service",
      "--published", "2025-05-01", "--kind", "revisit", "--follows", P)
    s(*L, "add", P, "--ref", "C1", "--kind", "cause-of-concern", "--text", "Investigations are not supervised well enough.",
      "--owner", "AC Met Operations", "--tag", "investigation", "--priority", "high")
    s(*L, "add", P, "--ref", "R1", "--text", "Clear the vetting backlog.", "--answers", "C1", "--owner", "DAC Professionalism",
      "--tag", "vetting", "--tag", "training", "--due", "+6 months", "--priority", "medium")
    s(*L, "add", P, "--ref", "AFI1", "--kind", "area-for-improvement", "--text", "Record crime accurately.",
      "--due", "56 days after publication")
    s(*L, "add", P, "--ref", "R1", "--text", "A duplicate ref.")
    s(*L, "add", P, "--ref", "R2", "--text", "Bell \x07 in the text")
    s(*L, "add", P, "--ref", "R2", "--text", "Bad kind", "--kind", "advice")
    s(*L, "add", P, "--ref", "R2", "--text", "Bad due", "--due", "31/02/2025")
    s(*L, "add", "nosuch", "--ref", "R2", "--text", "No report")
    s(*L, "update", "R1", "--response", "accepted", "--date", "2024-06-20")  # ambiguous
    s(*L, "update", f"{P}/R1", "--response", "accepted", "--date", "2024-06-20", "--source", "force statement")
    s(*L, "update", f"{P}/R1", "--status", "in-progress", "--date", "2024-09-01", "--note", "Vetting review under way",
      "--source", "force update")
    s(*L, "update", f"{P}/R1", "--due", "March 2025", "--date", "2024-10-01")  # no --reason: refused
    s(*L, "update", f"{P}/R1", "--due", "March 2025", "--date", "2024-10-01", "--reason", "a new vetting system")
    s(*L, "update", f"{P}/R1", "--due", "+3 months", "--date", "2025-02-01", "--reason", "supplier delay")
    s(*L, "update", f"{P}/R1", "--note", "Quarterly check", "--evidence", "https://example.org/e1", "--evidence", "https://example.org/e2",
      "--date", "2025-03-01")
    s(*L, "update", f"{P}/R1", "--owner", "DCC", "--date", "2025-03-15")
    s(*L, "update", f"{P}/AFI1", "--response", "noted", "--status", "withdrawn", "--date", "2024-07-01", "--note", "Overtaken")
    s(*L, "update", f"{P}/C1", "--response", "partially-accepted", "--date", "2024-07-01")
    s(*L, "update", "hmic-2016-met-cp/R2", "--status", "implemented", "--source", "hmicfrs-2019-met-cp-review", "--date", "2019-03-28",
      "--note", "Closed at the review")
    s(*L, "update", "hmic-2016-met-cp/R3", "--status", "superseded", "--date", "2024-07-01")
    s(*L, "update", "hmic-2016-met-cp/R3", "--status", "superseded", "--superseded-by", f"{P}/R1", "--date", "2024-07-01")
    s(*L, "update", "hmic-2016-met-cp/R4", "--duplicate-of", "hmic-2016-met-cp/R6", "--related", "hmic-2016-met-cp/R5",
      "--related", "R10", "--note", "Same work as R6", "--date", "2020-01-01")
    s(*L, "update", "hmic-2016-met-cp/R5", "--note", "x", "--date", "2027-01-01")
    s(*L, "update", "hmic-2016-met-cp/R5", "--note", "x", "--date", "2015-01-01")
    s(*L, "update", "hmic-2016-met-cp/R5")
    s(*L, "update", "hmic-2016-met-cp/R5", "--status", "done")
    s(*L, "update", "hmic-2016-met-cp/R5", "--response", "maybe")
    s(*L, "update", "hmic-2016-met-cp/R5", "--superseded-by", "nosuch/R1", "--status", "superseded")
    s(*L, "update", "nosuch/R1", "--note", "x")
    s(*L, "update", "hmic-2016-met-cp/R5", "--status", "in-progress")  # already in-progress: changes nothing
    s(*L, "update", "hmic-2016-met-cp/R6", "--note", "A note of today")
    s(*L, "update", "hmic-2016-met-cp/R7", "--status", "partially-implemented", "--date", "3 days ago", "--source", "force update")
    s(*L, "reports", "update", "peel-2017-met-effectiveness", "--grade", "protecting vulnerable people=inadequate", "--figure", "x=2",
      "--note", "edited")
    s(*L, "reports", "update", P, "--remove-grade", "investigating crime", "--remove-figure", "areas for improvement", "--url", "",
      "--followup-every", "", "--title", "PEEL 2023-25: the Met")
    s(*L, "reports", "update", P, "--remove-grade", "no such question")
    s(*L, "show", f"{P}/R1")
    s(*L, "show", f"{P}/R1", "--format", "json")
    s(*L, "show", "hmic-2016-met-cp/R4", "--format", "json")
    s(*L, "list", "--report", P, "--format", "json")
    s(*L, "list", "--status", "open", "--sort", "last-event")
    s(*L, "history", "--since", "2019-01-01")
    s(*L, "history", "--since", "2019-01-01", "--format", "json")
    s(*L, "remind")
    s(*L, "remind", "--as-of", "2024-08-01")
    s(*L, "report", P)
    s(*L, "report", "--grades", "--format", "json")
    s(*L, "reports", "list")
    s(*L, "reports", "show", P, "--format", "json")
    s(*L, "undo")
    s(*L, "undo")
    s(*L, "reports", "show", P)
    s(*L, "show", "hmic-2016-met-cp/R6")
    s(*L, "check")
    s("dump", "mut")
    s(*L, "export", save="exp.json")
    s(*L, "export", "--format", "csv", save="exp.csv")
    s("init", "copy-json")
    s("init", "copy-json")  # again: already a ledger
    s("-L", "copy-json", "import", "exp.json", "--create-reports", "--dry-run")
    s("-L", "copy-json", "import", "exp.json", "--create-reports")
    s("-L", "copy-json", "import", "exp.json", "--create-reports")  # again: adds nothing
    s("-L", "copy-json", "check")
    s("dump", "copy-json")
    s("init", "copy-csv", "--name", "mut")
    s("-L", "copy-csv", "import", "exp.csv")  # without --create-reports: refused
    s("-L", "copy-csv", "import", "exp.csv", "--create-reports")
    s("-L", "copy-csv", "check")
    s("dump", "copy-csv")
    s(*L, "import", "problems.csv")
    s(*L, "import", "bad-header.csv", "--report", P)
    s(*L, "import", "simple.csv", "--report", P, "--dry-run")
    s(*L, "import", "simple.csv", "--report", P)
    s(*L, "import", "simple.csv", "--report", P)  # again
    s(*L, "import", "day-first.csv")
    s(*L, "import", "day-first.csv", "--day-first")
    s(*L, "import", "-", "--format", "csv", "--report", P, stdin=CSV_STDIN.encode())
    s(*L, "import", "nosuch.csv")
    s(*L, "list", "--report", P)
    s(*L, "undo")
    s(*L, "list", "--report", P)
    s(*L, "check")
    s("init", "fresh-ledger")
    s("init", cwd="newdir")
    s("init", "named", "--name", "Named ledger")
    s("-L", "fresh-ledger", "list")
    s("-L", "fresh-ledger", "remind")
    s("-L", "fresh-ledger", "report")
    s("-L", "fresh-ledger", "check")
    s("-L", "fresh-ledger", "undo")
    s("-L", "fresh-ledger", "export", "--format", "csv")
    s("dump", "mut")
    s("dump", "fresh-ledger")
    s("dump", "newdir")
    s("dump", "named")

    def pre(ctx: Context) -> None:
        ctx.copy_met("mut")
        (ctx.work / "newdir").mkdir()
        for name, text in (("problems.csv", CSV_PROBLEMS), ("simple.csv", CSV_SIMPLE), ("day-first.csv", CSV_DAY_FIRST),
                           ("bad-header.csv", CSV_BAD_HEADER)):
            (ctx.work / name).write_bytes(text.encode())

    for n, (argv, kw) in enumerate(steps):
        kw = dict(kw)
        if n == 0:
            kw["pre"] = pre
        name = f"mutate__{n:03d}__{' '.join(argv)}"
        if argv[0] == "dump":
            m.add(name, None, fn=dumper(argv[1]), **kw)
        else:
            m.add(name, argv, **kw)


def git_cases(m: Matrix) -> None:
    """A ledger kept in git, and the merge driver."""
    def pre(ctx: Context) -> None:
        for name in ("mA", "mB"):
            ctx.copy_met(name)
        (ctx.work / "merge").mkdir()
        shutil.copyfile(ctx.work / "mA/reports" / f"{MET_REPORT}.toml", ctx.work / "merge/base.toml")

    if not shutil.which("git"):
        m.add("git__skipped", None, fn=lambda ctx: (b"git is not installed\n", b"", 0))
    else:
        m.add("git__00__init --git gl", ["init", "--git", "gl"])
        steps = [
            ["-L", "gl", "reports", "add", "r1", "--title", "A report", "--by", "HMICFRS", "--subject", "Kent Police",
             "--published", "2024-01-10"],
            ["-L", "gl", "add", "r1", "--ref", "R1", "--text", "Do something", "--due", "+3 months"],
            ["-L", "gl", "update", "R1", "--status", "in-progress", "--date", "2024-03-01", "--source", "force update"],
            ["-L", "gl", "update", "R1", "--status", "implemented", "--date", "2024-06-01", "--source", "r2"],
            ["-L", "gl", "undo"],
            ["-L", "gl", "reports", "update", "r1", "--grade", "q=good"],
            ["init", "--git", "gl"],  # again: only sets git up
        ]
        for n, argv in enumerate(steps, 1):
            m.add(f"git__{n:02d}__{' '.join(argv)}", argv)
        m.add("git__20__log", None, fn=git_log("gl"))
        m.add("git__21__dump", None, fn=dumper("gl"))
    m.add("merge__00__update A", ["-L", "mA", "update", "hmic-2016-met-cp/R7", "--note", "Side A", "--date", "2018-01-01"], pre=pre)
    m.add("merge__01__update B", ["-L", "mB", "update", "hmic-2016-met-cp/R8", "--note", "Side B", "--date", "2018-01-02"])
    m.add("merge__02__update B2", ["-L", "mB", "update", "hmic-2016-met-cp/R7", "--note", "Side B too", "--date", "2018-01-03"])

    def prepare(ours: str, theirs: str) -> Callable[[Context], None]:
        def go(ctx: Context) -> None:
            shutil.copyfile(ctx.work / ours / "reports" / f"{MET_REPORT}.toml", ctx.work / "merge/ours.toml")
            shutil.copyfile(ctx.work / theirs / "reports" / f"{MET_REPORT}.toml", ctx.work / "merge/theirs.toml")
        return go

    m.add("merge__03__merge-driver clean", ["merge-driver", "merge/base.toml", "merge/ours.toml", "merge/theirs.toml",
                                            f"reports/{MET_REPORT}.toml"], pre=prepare("mA", "mB"))
    m.add("merge__04__merged file", None, fn=lambda ctx: cat(ctx, "merge/ours.toml"))
    m.add("merge__05__title A", ["-L", "mA", "reports", "update", MET_REPORT, "--title", "Title A"])
    m.add("merge__06__title B", ["-L", "mB", "reports", "update", MET_REPORT, "--title", "Title B"])
    m.add("merge__07__merge-driver conflict", ["merge-driver", "merge/base.toml", "merge/ours.toml", "merge/theirs.toml"],
          pre=prepare("mA", "mB"))
    m.add("merge__08__conflicted file", None, fn=lambda ctx: cat(ctx, "merge/ours.toml"))

    def put_conflict(ctx: Context) -> None:
        shutil.copyfile(ctx.work / "merge/ours.toml", ctx.work / "mA/reports" / f"{MET_REPORT}.toml")

    m.add("merge__09__check conflicted", ["-L", "mA", "check"], pre=put_conflict)
    m.add("merge__10__list conflicted", ["-L", "mA", "list"])
    m.add("merge__11__update conflicted", ["-L", "mA", "update", "hmic-2016-met-cp/R9", "--note", "x"])
    m.add("merge__12__merge-driver missing file", ["merge-driver", "merge/base.toml", "merge/nosuch.toml", "merge/theirs.toml"])


def big_cases(m: Matrix) -> None:
    L = ["-L", "big"]

    def drop_index(ctx: Context) -> None:
        shutil.rmtree(ctx.work / "big/.track/cache", ignore_errors=True)

    m.add("big__first command, index deleted__list --format json", L + ["list", "--format", "json"], pre=drop_index)
    read_commands(m, "big", L, report="r00042", rec="r00042/R7", short_ref="R7", rich=False)
    m.track("big", L + ["list", "--format", "json"], env={"TRACK_NO_CACHE": "1"})
    m.track("big", L + ["check"], env={"TRACK_NO_CACHE": "1", **TERM80})  # a progress bar (normalised)
    m.track("big", L + ["show", "r00042/R1"])  # exact id wins over the prefix of R10-R19
    m.track("big", L + ["show", "r0004"])  # ambiguous prefix
    m.add("big__update", L + ["update", "r00042/R7", "--note", "A note", "--source", "compare"])
    m.track("big-after-update", L + ["show", "r00042/R7", "--format", "json"])
    m.track("big-after-update", L + ["history", "--since", TODAY])
    m.add("big__undo", L + ["undo"])
    m.track("big-after-undo", L + ["history", "--since", "-1 week"])


def build_matrix(badfiles: list[Path]) -> Matrix:
    m = Matrix()
    m.add("setup__generated-ledger", None, fn=digest("big"))
    help_cases(m)
    read_commands(m, "met", ["-L", "met"], report=MET_REPORT, rec=MET_ID, short_ref="R2", rich=True)
    ledger_location_cases(m)
    error_cases(m)
    completion_cases(m)
    slow_path_cases(m)
    fast_path_cases(m)
    badfile_cases(m, badfiles)
    mutation_cases(m)
    git_cases(m)
    big_cases(m)
    return m


# --------------------------------------------------------------------------- running


class Context:
    def __init__(self, work: Path, track: Path, data: Path) -> None:
        self.work = work
        self.track = track
        self.data = data
        self.home = work / "home"
        self.base_env = {
            "PATH": f"{track.parent}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(self.home),
            "XDG_CACHE_HOME": str(work / "xdg"),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "TERM": "xterm-256color",
            "TRACK_TODAY": TODAY,
            "TRACK_USER": "compare",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(self.home / ".gitconfig"),
            "GIT_AUTHOR_NAME": "Compare", "GIT_AUTHOR_EMAIL": "compare@example.org",
            "GIT_COMMITTER_NAME": "Compare", "GIT_COMMITTER_EMAIL": "compare@example.org",
            "GIT_AUTHOR_DATE": f"{TODAY}T12:00:00+0000", "GIT_COMMITTER_DATE": f"{TODAY}T12:00:00+0000",
        }
        # Longest first: the work folder's real path, its path, the executable, its folder.
        self.replacements: list[tuple[bytes, bytes]] = []
        for path, token in ((work.resolve(), "$WORK"), (work, "$WORK"), (track.resolve(), "$TRACK"), (track, "$TRACK"),
                            (track.resolve().parent, "$BIN"), (track.parent, "$BIN")):
            self.replacements.append((str(path).encode(), token.encode()))
        self.replacements.sort(key=lambda r: -len(r[0]))

    def copy_met(self, name: str) -> None:
        shutil.copytree(self.data, self.work / name, ignore=shutil.ignore_patterns(".track"))

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        env = dict(self.base_env)
        for k, v in extra.items():
            env[k] = v.replace("$WORK", str(self.work))
        return env

    def normalise(self, data: bytes) -> bytes:
        for raw, token in self.replacements:
            data = data.replace(raw, token)
        return STAMP.sub(b"<time>", BAR.sub(_bar_marker, data))


# rich's live progress bar: hide the cursor, frames separated by \r + erase line, show the
# cursor, erase the last line. The number of frames depends on timing: kept as a marker.
BAR = re.compile(rb"\x1b\[\?25l(.*?)\x1b\[\?25h(?:\r|\x1b\[1A|\x1b\[2K)*", re.DOTALL)


# A wall-clock time: `track undo` says when the change it reverts was made (from the journal).
STAMP = re.compile(rb"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b")


def _bar_marker(match: re.Match) -> bytes:
    label = match.group(1).split(b"\x1b[", 1)[0].split(b"\r", 1)[0].strip()
    return b"<progress bar: " + label + b">"


def dumper(folder: str) -> Callable[[Context], tuple[bytes, bytes, int]]:
    """Every file under the folder except .track/ and .git/: path, mode, size, content."""
    def go(ctx: Context) -> tuple[bytes, bytes, int]:
        root = ctx.work / folder
        if not root.exists():
            return b"", f"no folder {folder}\n".encode(), 1
        out = []
        for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
            rel = path.relative_to(root).as_posix()
            if rel.split("/")[0] in (".track", ".git"):
                continue
            data = path.read_bytes()
            out.append(f"=== {rel} (mode {path.stat().st_mode & 0o7777:o}, {len(data)} bytes)\n".encode() + data
                       + (b"" if data.endswith(b"\n") or not data else b"\n[no newline at end]\n"))
        return b"".join(out), b"", 0
    return go


def digest(folder: str) -> Callable[[Context], tuple[bytes, bytes, int]]:
    """A sha256 of every file of the generated ledger (it is large), and of them all."""
    def go(ctx: Context) -> tuple[bytes, bytes, int]:
        root = ctx.work / folder
        lines, total = [], hashlib.sha256()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(".track/"):
                continue
            h = hashlib.sha256(path.read_bytes()).hexdigest()
            total.update(f"{rel} {h}\n".encode())
            lines.append(f"{h}  {rel}")
        return f"{len(lines)} files, sha256 of them all {total.hexdigest()}\n".encode() + "\n".join(lines).encode() + b"\n", b"", 0
    return go


def cat(ctx: Context, rel: str) -> tuple[bytes, bytes, int]:
    path = ctx.work / rel
    return (path.read_bytes(), b"", 0) if path.exists() else (b"", f"no file {rel}\n".encode(), 1)


def git_log(folder: str) -> Callable[[Context], tuple[bytes, bytes, int]]:
    def go(ctx: Context) -> tuple[bytes, bytes, int]:
        env = ctx.env({})
        cwd = ctx.work / folder
        out = b""
        for argv in (["git", "log", "--format=commit: %s%n%b", "--name-status"], ["git", "status", "--porcelain"],
                     ["git", "config", "--local", "--get-regexp", "^(merge|pull)\\."], ["git", "check-attr", "merge", "reports/r1.toml"]):
            done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, stdin=subprocess.DEVNULL, check=False)
            out += f"$ {shlex.join(argv)}  (exit {done.returncode})\n".encode() + done.stdout + done.stderr
        return out, b"", 0
    return go


def run_case(ctx: Context, case: Case) -> tuple[bytes, float]:
    if case.pre is not None:
        case.pre(ctx)
    cwd = ctx.work / case.cwd
    cwd.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if case.fn is not None:
        out, err, code = case.fn(ctx)
        head = f"# case: {case.name}\n# (computed by compare.py, not a command)\n"
    else:
        done = subprocess.run([str(ctx.track)] + case.argv, cwd=cwd, env=ctx.env(case.env), capture_output=True,
                              input=case.stdin, stdin=None if case.stdin is not None else subprocess.DEVNULL, timeout=600, check=False)
        out, err, code = done.stdout, done.stderr, done.returncode
        if case.save:
            (ctx.work / case.save).write_bytes(out)
        head = f"# case: {case.name}\n$ {shlex.join(['track'] + case.argv)}\n"
        if case.env:
            head += f"# env: {' '.join(f'{k}={shlex.quote(v)}' for k, v in case.env.items())}\n"
        if case.cwd:
            head += f"# cwd: $WORK/{case.cwd}\n"
        if case.stdin is not None:
            head += f"# stdin: {case.stdin!r}\n"
        if case.save:
            head += f"# stdout also saved to $WORK/{case.save}\n"
    elapsed = time.perf_counter() - start
    out, err = ctx.normalise(out), ctx.normalise(err)
    text = (head.encode() + f"--- exit {code}\n--- stdout ({len(out)} bytes)\n".encode() + out
            + f"\n--- stderr ({len(err)} bytes)\n".encode() + err + b"\n--- end\n")
    return text, elapsed


def interpreter_of(track: Path) -> str:
    """The Python that runs the executable: its #! line, else a `python` beside it."""
    try:
        first = track.read_bytes()[:300].split(b"\n", 1)[0]
    except OSError:
        first = b""
    if first.startswith(b"#!"):
        words = first[2:].decode(errors="replace").split()
        if words and Path(words[0]).name.startswith("python") and Path(words[0]).exists():
            return words[0]
    for name in ("python", "python3"):
        if (track.parent / name).exists():
            return str(track.parent / name)
    return sys.executable


def environment_of(python: str) -> dict:
    """The interpreter's version and installed distributions (diff warns when they differ:
    a dependency at another version can change an output as much as track's own code)."""
    code = ("import importlib.metadata as m, json, sys; print(json.dumps({'python_version': sys.version.split()[0], "
            "'packages': sorted({d.metadata['Name'].lower() + '==' + d.version for d in m.distributions()})}))")
    try:
        done = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
        return json.loads(done.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}


def capture(args: argparse.Namespace) -> int:
    track = Path(args.track).absolute()
    if not track.exists():
        raise SystemExit(f"compare.py: no executable {track}")
    repo = Path(args.repo).absolute()
    data = repo / "data" / "met-police"
    generate = repo / "tests" / "bench" / "generate.py"
    badfiles = sorted((repo / "tests" / "badfiles").glob("*.toml"))
    python = args.python or interpreter_of(track)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        if not (out / "index.txt").exists():
            raise SystemExit(f"compare.py: {out} is not empty and not a capture: not overwriting it")
        shutil.rmtree(out)
    (out / "cases").mkdir(parents=True)
    (out / "index.txt").write_text("")  # marks the folder as a capture (it is filled as cases run)
    os.umask(0o022)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="track-compare-") as temp:
        work = Path(temp) / "w"
        work.mkdir()
        ctx = Context(work, track, data)
        ctx.home.mkdir()
        (ctx.home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n[user]\n\tname = Compare\n\temail = compare@example.org\n")
        poison = work / "poison" / "typer"
        poison.mkdir(parents=True)
        (poison / "__init__.py").write_text('raise ImportError("typer imported on the fast path")\n')
        matrix = build_matrix(badfiles)  # first: a mistake in it shows at once
        ctx.copy_met("met")
        gen_start = time.perf_counter()
        code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); from generate import build; "
                "build(int(sys.argv[2]), Path(sys.argv[3]), seed=1)")
        subprocess.run([python, "-c", code, str(generate.parent), str(args.size), str(work / "big")], check=True,
                       env={**ctx.base_env, "PYTHONHASHSEED": "0"}, stdin=subprocess.DEVNULL)
        gen_time = time.perf_counter() - gen_start
        shutil.rmtree(work / "big" / ".track", ignore_errors=True)  # the generator's index: the first command makes its own
        timings = []
        with open(out / "index.txt", "w") as index:
            for n, case in enumerate(matrix.cases, 1):
                text, elapsed = run_case(ctx, case)
                (out / "cases" / f"{case.name}.txt").write_bytes(text)
                index.write(case.name + "\n")
                timings.append((elapsed, case.name))
                if not args.quiet and n % 100 == 0:
                    print(f"  {n}/{len(matrix.cases)} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    timings.sort(reverse=True)
    meta = {"track": str(track), "python": python, "repo": str(repo), "size": args.size, "cases": len(matrix.cases),
            "seconds": round(total, 1), "generate_seconds": round(gen_time, 1), **environment_of(python),
            "slowest": [[round(t, 2), name] for t, name in timings[:10]]}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"captured {len(matrix.cases)} cases in {total:.1f} s (generating the ledger of {args.size:,}: {gen_time:.1f} s) into {out}")
    return 0


# --------------------------------------------------------------------------- diff


def visible(data: bytes) -> str:
    text = data.decode("utf-8", errors="backslashreplace")
    return text.replace("\x1b", "\\x1b").replace("\r", "\\r")


def short_diff(la: list[str], lb: list[str], name_a: str, name_b: str, context: int) -> list[str]:
    """A unified diff of the part that differs: the common first and last lines are cut off
    first (difflib is slow on outputs of 100,000 lines), and the middle kept to 2,000 lines a side."""
    start = 0
    while start < len(la) and start < len(lb) and la[start] == lb[start]:
        start += 1
    end = 0
    while end < len(la) - start and end < len(lb) - start and la[-1 - end] == lb[-1 - end]:
        end += 1
    lo = max(0, start - context)
    mid_a, mid_b = la[lo:len(la) - end], lb[lo:len(lb) - end]
    cut = ""
    if len(mid_a) > 2000 or len(mid_b) > 2000:
        mid_a, mid_b, cut = mid_a[:2000], mid_b[:2000], " (the differing part is long: its first 2,000 lines a side)"
    out = [f"--- {name_a}", f"+++ {name_b}"] + ([f"# {cut.strip(' ()')}"] if cut else [])

    def shift(match: re.Match) -> str:  # hunk line numbers in the whole files, not in the slices
        a, b = int(match.group(1)) + lo, int(match.group(3)) + lo
        return f"@@ -{a}{match.group(2) or ''} +{b}{match.group(4) or ''} @@"

    for line in list(difflib.unified_diff(mid_a, mid_b, n=context, lineterm=""))[2:]:
        out.append(re.sub(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@", shift, line) if line.startswith("@@") else line)
    return out


def diff(args: argparse.Namespace) -> int:
    a, b = Path(args.a), Path(args.b)
    for d in (a, b):
        if not (d / "index.txt").exists():
            raise SystemExit(f"compare.py: {d} is not a capture (no index.txt)")
    names_a = (a / "index.txt").read_text().split()
    names_b = (b / "index.txt").read_text().split()
    names = names_a + [n for n in names_b if n not in set(names_a)]
    same = differ = 0
    for name in names:
        fa, fb = a / "cases" / f"{name}.txt", b / "cases" / f"{name}.txt"
        if not fa.exists() or not fb.exists():
            differ += 1
            print(f"DIFFERS {name}: only in {b if fb.exists() else a}")
            continue
        da, db = fa.read_bytes(), fb.read_bytes()
        if da == db:
            same += 1
            continue
        differ += 1
        print(f"DIFFERS {name}")
        lines = short_diff(visible(da).splitlines(), visible(db).splitlines(), str(fa), str(fb), args.context)
        for line in lines[: args.lines]:
            print("    " + (line if len(line) <= 300 else line[:300] + "..."))
        if len(lines) > args.lines:
            print(f"    ... {len(lines) - args.lines} more diff lines")
    meta_a, meta_b = (json.loads((d / "meta.json").read_text()) if (d / "meta.json").exists() else {} for d in (a, b))
    for key in ("size", "python_version"):
        if meta_a.get(key) != meta_b.get(key):
            print(f"note: {key} differs: {meta_a.get(key)} in {a}, {meta_b.get(key)} in {b}")
    packages_a = {p for p in meta_a.get("packages", []) if not p.startswith("track==")}
    packages_b = {p for p in meta_b.get("packages", []) if not p.startswith("track==")}
    if packages_a != packages_b:
        print(f"note: the captures ran with different packages installed: only in {a}: {', '.join(sorted(packages_a - packages_b)) or '-'}; "
              f"only in {b}: {', '.join(sorted(packages_b - packages_a)) or '-'}")
    print(f"{len(names)} cases, {same} identical, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="run the matrix with one executable and store every output")
    cap.add_argument("--track", required=True, help="the track executable to run (e.g. VENV/bin/track)")
    cap.add_argument("--out", required=True, help="the folder to write the capture to (replaced if it holds a capture)")
    cap.add_argument("--size", type=int, default=10_000, help="recommendations in the generated ledger (default 10000)")
    cap.add_argument("--repo", default=str(REPO), help="the checkout whose data/met-police, tests/badfiles and "
                     "tests/bench/generate.py to use (default: the one holding this script)")
    cap.add_argument("--python", help="the interpreter to run generate.py with (default: the executable's)")
    cap.add_argument("-q", "--quiet", action="store_true")
    dif = sub.add_parser("diff", help="compare two captures")
    dif.add_argument("a")
    dif.add_argument("b")
    dif.add_argument("--lines", type=int, default=40, help="diff lines shown per case (default 40)")
    dif.add_argument("--context", type=int, default=2, help="context lines in the diffs (default 2)")
    args = parser.parse_args()
    return capture(args) if args.command == "capture" else diff(args)


if __name__ == "__main__":
    sys.exit(main())
