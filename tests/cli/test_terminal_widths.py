"""Terminal tables fit the terminal: every command that draws for a person, run on a real
pseudo-terminal 60, 80, 120 and 200 columns wide (COLUMNS and the pty's window size agree),
writes no line wider than the terminal, shows every recommendation id it shows whole (not cut
with an ellipsis, not wrapped onto the next line), and `list` shows every word of every
recommendation's text (wrapped inside its cell if need be, never dropped). The same holds for
`list` at 80 columns with NO_COLOR=1 and with TERM=dumb, and a dumb terminal gets no escape
sequence at all.

How it is measured: what the terminal received, with the escape sequences taken out, split into
lines; a line's width is its display width (rich.cells.cell_len, so wide characters count
twice). What a command "shows" is what the same command line writes when piped (plain output,
nothing cut): the ledger's recommendation ids found there must appear whole in the terminal's
output too, and no token holding a '/' may be a piece of an id. A word of a recommendation's
text (taken from `track list --format json`, piped) counts as shown when it is a token of the
output, tokens being split at white space and box-drawing characters; a hyphenated word may
also be broken after its hyphens across lines (a normal wrap). Everything runs on a copy of the
example ledger with today pinned to 2026-12-05, through the entry point the installed `track`
script uses, with --no-pager; each case is one subprocess, and no check depends on how fast the
machine is (the 60-second read deadline only stops a hung command).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from terminal_support import on_terminal as terminal
from rich.cells import cell_len

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
# pyproject.toml: [project.scripts] track = "track.cli.fastpath:entry"
TRACK = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; entry()"]
TODAY = "2026-12-05"
ROWS = 50
WIDTHS = [60, 80, 120, 200]

# `track list` has no --all: it lists every recommendation unless filtered, so the "all of them"
# case names both statuses explicitly.
COMMANDS: dict[str, list[str]] = {
    "list": ["list"],
    "list all statuses": ["list", "--status", "open,closed"],
    "show": ["show", "hmic-2016-met-cp/R1"],
    "report": ["report"],
    "report one": ["report", "hmic-2016-met-cp"],
    "report grades": ["report", "--grades"],
    "history": ["history"],
    "remind": ["remind"],
    "reports list": ["reports", "list"],
    "reports show": ["reports", "show", "hmic-2016-met-cp"],
    "check": ["check"],
}
LISTS = {"list", "list all statuses"}  # the commands whose recommendation texts must be whole

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")
TOKEN_SEPARATORS = re.compile(r"[\s\u2500-\u257f]+")  # white space and box drawing (│ ┃ ─ ...)
PUNCTUATION = "\"'()[]{},;:.!?"

# The variables that change how output looks or where it goes; each run sets its own.
DROPPED = ("PAGER", "TRACK_PAGER", "LESS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS",
           "LINES", "CLICOLOR", "CLICOLOR_FORCE", "TRACK_LEDGER", "TRACK_TODAY", "TERM")


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example ledger (every command here only reads it) and a cache folder beside it."""
    base = tmp_path_factory.mktemp("widths")
    shutil.copytree(EXAMPLE, base / "met-police", ignore=shutil.ignore_patterns(".track"))
    return base


def environment(place: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update(TRACK_LEDGER=str(place / "met-police"), TRACK_TODAY=TODAY, XDG_CACHE_HOME=str(place / "cache"))
    env.update(extra)
    return env


def on_terminal(argv: list[str], env: dict[str, str], columns: int, rows: int = ROWS) -> tuple[int, str]:
    """`track --no-pager ARGV` on a pseudo-terminal of COLUMNS x ROWS: (exit code, what it received)."""
    return terminal(TRACK + ["--no-pager", *argv], {**env, "COLUMNS": str(columns), "LINES": str(rows)}, (columns, rows))


def piped(place: Path, argv: list[str]) -> str:
    done = subprocess.run([*TRACK, "--no-pager", *argv], env=environment(place), stdin=subprocess.DEVNULL, check=False,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"track {' '.join(argv)} | ... exited {done.returncode}: {done.stderr}"
    return done.stdout


@cache
def _reference(place: Path, name: str) -> tuple[str, tuple[str, ...]]:
    """What `name` shows when piped, and (for a list) its recommendations' texts."""
    argv = COMMANDS[name]
    shown = piped(place, argv)
    texts = tuple(item["text"] for item in json.loads(piped(place, [*argv, "--format", "json"]))) if name in LISTS else ()
    return shown, texts


@cache
def _known_ids(place: Path) -> tuple[str, ...]:
    return tuple(item["id"] for item in json.loads(piped(place, ["list", "--format", "json"])))


def visible_lines(out: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", ESCAPES.sub("", out))


def whole(identifier: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9/-])" + re.escape(identifier) + r"(?![A-Za-z0-9/])")


def tokens(lines: list[str]) -> set[str]:
    return {token for line in lines for token in TOKEN_SEPARATORS.split(line) if token}


def present(word: str, found: set[str]) -> bool:
    """`word` is a token, or can be cut after some of its hyphens into pieces that all are."""
    if word in found:
        return True
    return any(word[: i + 1] in found and present(word[i + 1:], found)
               for i, c in enumerate(word[:-1]) if c == "-")


def problems_with(out: str, columns: int, shown_piped: str, texts: tuple[str, ...], known: tuple[str, ...]) -> list[str]:
    problems: list[str] = []
    lines = visible_lines(out)

    wide = [(n, cell_len(line), line) for n, line in enumerate(lines, 1) if cell_len(line) > columns]
    if wide:
        problems.append(f"{len(wide)} of {len(lines)} lines are wider than the terminal's {columns} columns, e.g.")
        problems += [f"  line {n}: {width} columns: {line[:160]!r}" for n, width, line in wide[:5]]

    screen = "\n".join(lines)
    expected = [i for i in known if whole(i).search(shown_piped)]
    missing = [i for i in expected if not whole(i).search(screen)]
    if missing:
        problems.append(f"{len(missing)} of the {len(expected)} recommendation ids shown are not whole: {missing}")
    found = tokens(lines)
    pieces = set()
    for token in found:
        bare = token.strip(PUNCTUATION).removesuffix("…").removesuffix("...").rstrip(PUNCTUATION)
        if "/" in bare and len(bare) > 1 and bare not in known and any(
                i.startswith(bare) or i.endswith(bare) for i in known):
            pieces.add(token)
    if pieces:
        problems.append(f"pieces of cut or wrapped recommendation ids: {sorted(pieces)}")

    if texts:
        words = [w for text in texts for w in text.split()]
        lost = sorted({w for w in words if not present(w, found)})
        if lost:
            problems.append(f"{len(lost)} distinct words of the recommendations' texts are missing, e.g. {lost[:12]}")
    return problems


@pytest.mark.parametrize("columns", WIDTHS, ids=lambda c: f"{c} columns")
@pytest.mark.parametrize("name", list(COMMANDS))
def test_output_fits_the_terminal(name: str, columns: int, place: Path) -> None:
    shown_piped, texts = _reference(place, name)
    known = _known_ids(place)
    code, out = on_terminal(COMMANDS[name], environment(place, TERM="xterm"), columns)
    assert code == 0, f"track {' '.join(COMMANDS[name])} exited {code} on a terminal:\n{out}"
    assert ESCAPES.sub("", out).strip(), "nothing reached the terminal"
    problems = problems_with(out, columns, shown_piped, texts, known)
    assert not problems, f"track {' '.join(COMMANDS[name])} at {columns} columns:\n" + "\n".join(problems)


@pytest.mark.parametrize("setting", [{"TERM": "xterm", "NO_COLOR": "1"}, {"TERM": "dumb"}],
                         ids=["NO_COLOR=1", "TERM=dumb"])
def test_list_fits_a_terminal_without_colour(setting: dict[str, str], place: Path) -> None:
    shown_piped, texts = _reference(place, "list")
    known = _known_ids(place)
    code, out = on_terminal(["list"], environment(place, **setting), 80)
    assert code == 0, f"track list exited {code} on a terminal:\n{out}"
    assert "hmic-2016-met-cp" in out, "the list did not reach the terminal"
    problems = problems_with(out, 80, shown_piped, texts, known)
    if setting.get("TERM") == "dumb" and "\x1b" in out:
        problems.append(f"{out.count(chr(27))} escape bytes reached a dumb terminal, e.g. "
                        f"{[out[i:i + 8] for i in [m.start() for m in re.finditer(chr(27), out)][:3]]}")
    assert not problems, f"track list at 80 columns with {setting}:\n" + "\n".join(problems)
