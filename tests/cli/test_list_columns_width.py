"""`list --columns` on a terminal lays out its table as `list` does: ids, statuses, dates,
numbers, action counts and choices never wrap, the text (or the widest free text) wraps at
words, and when the row does not fit the other columns move below the text (or, without a
text column, are left out, which the table says) instead of being broken mid-word.

Run on a real pseudo-terminal 60 and 80 columns wide (COLUMNS and the window size agree) on a
copy of the example ledger with an action plan and the ledger's own fields (a choice, a text,
a date and a number) added. What must hold, as tests/cli/test_terminal_widths.py measures it
(escape sequences taken out, tokens split at white space and box drawing): no line wider than
the terminal; every id the piped listing shows is whole on the screen and no token is a piece
of one; every word of every chosen value (from the JSON listing) is a token on the screen
(a free text's may break after a hyphen), unless its column was named as left out; every token
of the head (the lines above the rule) is a whole word of a header.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli, _pin
from rich.cells import cell_len
from terminal_support import on_terminal
from typer.testing import CliRunner

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
TRACK = [sys.executable, "-c", "import sys; sys.argv[0] = 'track'; from track.cli.fastpath import entry; entry()"]
TODAY = "2018-06-30"
R2 = "hmic-2016-met-cp/R2"
FIELDS = """
[fields.risk]
type = "choice"
choices = ["high", "medium", "low"]
label = "Risk rating"

[fields.committee]
type = "text"

[fields.review]
type = "date"

[fields.score]
type = "number"
"""
CASES = {
    "own fields": ["--columns", "id,risk,committee,review,score,status,owner"],
    "action counts": ["--columns", "id,status,actions,ready,actions_done,actions_total,actions_overdue"],
    "text": ["--columns", "id,status,owner,due,actions,ready,text", "--search", "missing"],
    "free text, no text column": ["--columns", "id,status,last_note,tags,review"],
}
FREE = {"text", "owner", "committee", "last_note", "tags"}  # the chosen columns of free text
HEADERS = {"id": "ID", "status": "STATUS", "owner": "OWNER", "due": "DUE", "actions": "ACTIONS", "ready": "READY",
           "text": "TEXT", "actions_done": "DONE", "actions_total": "TOTAL", "actions_overdue": "LATE",
           "risk": "Risk rating", "committee": "committee", "review": "review", "score": "score",
           "last_note": "LAST-NOTE", "tags": "TAGS"}
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")
SEPARATORS = re.compile(r"[\s\u2500-\u257f]+")
PUNCTUATION = "\"'()[]{},;:.!?\u00b7"
DROPPED = ("PAGER", "TRACK_PAGER", "LESS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS",
           "LINES", "CLICOLOR", "CLICOLOR_FORCE", "TRACK_LEDGER", "TRACK_TODAY", "TERM")


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example ledger with R2's action plan (one action of two done, the other overdue)
    and own fields set on every other recommendation; a cache folder beside it."""
    base = tmp_path_factory.mktemp("columns")
    root = base / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    with (root / "track.toml").open("a") as toml:
        toml.write(FIELDS)
    with pytest.MonkeyPatch.context() as mp:
        _pin(mp)
        mp.setenv("XDG_CACHE_HOME", str(base / "cache"))
        run = Cli(CliRunner(), root)
        run("action", "add", R2, "--text", "Write a supervision checklist", "--owner", "DCI Lee", "--due", "2017-03-10",
            "--date", "2017-01-10")
        run("action", "add", R2, "--text", "Train every sergeant in the referral teams", "--owner", "Head of Training",
            "--due", "2017-05-31", "--date", "2017-01-10")
        run("action", "done", f"{R2}/1", "--date", "2017-03-02", "--note", "Checklist issued")
        for n, item in enumerate(run.json("list")):
            if n % 3 == 0:
                run("edit", item["id"], "--set", "risk=medium", "--set", "committee=Audit", "--set", "score=12.5",
                    "--reason", "Rated", "--date", "2018-06-01")
            elif n % 3 == 1:
                run("edit", item["id"], "--set", "risk=high", "--set", "committee=Audit and Risk Assurance Committee",
                    "--set", "review=2018-09-30", "--set", f"score={n}", "--reason", "Rated", "--date", "2018-06-01")
    return base


def environment(place: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update(TRACK_LEDGER=str(place / "met-police"), TRACK_TODAY=TODAY, XDG_CACHE_HOME=str(place / "cache"),
               TERM="xterm", TRACK_USER="tester")
    env.update(extra)
    return env


def piped(place: Path, argv: list[str]) -> str:
    done = subprocess.run([*TRACK, "--no-pager", *argv], env=environment(place), stdin=subprocess.DEVNULL, check=False,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"track {' '.join(argv)} | ... exited {done.returncode}: {done.stderr}"
    return done.stdout


def words_of(value: object) -> list[str]:
    if value is None or value is False or value == "":
        return []
    if value is True:
        return ["yes"]
    if isinstance(value, list):
        return [w for v in value for w in str(v).split()]
    return str(value).split()


def present(word: str, found: set[str]) -> bool:
    """`word` is a token, or can be cut after some of its hyphens into pieces that all are."""
    return word in found or any(word[: i + 1] in found and present(word[i + 1:], found)
                                for i, c in enumerate(word[:-1]) if c == "-")


def problems_with(out: str, columns: int, names: list[str], rows: list[dict[str, object]], shown_piped: str,
                  known: list[str]) -> list[str]:
    problems: list[str] = []
    lines = re.split(r"\r\n|\r|\n", ESCAPES.sub("", out))
    wide = [(n, line) for n, line in enumerate(lines, 1) if cell_len(line) > columns]
    if wide:
        problems.append(f"{len(wide)} lines wider than {columns} columns, e.g. {wide[:3]}")
    screen = "\n".join(lines)
    missing = [i for i in known if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w/])", shown_piped)
               and not re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w/])", screen)]
    if missing:
        problems.append(f"ids not whole: {missing}")
    found = {token.strip(PUNCTUATION) for line in lines for token in SEPARATORS.split(line) if token}
    found.discard("")
    pieces = {t for t in found if "/" in t and t not in known and any(i.startswith(t) or i.endswith(t) for i in known)}
    if pieces:
        problems.append(f"pieces of ids: {sorted(pieces)}")
    rule = next((n for n, line in enumerate(lines) if line.startswith("\u2500")), None)
    if rule is None:
        return [*problems, "no table drawn"]
    header_words = {w for n in names for w in HEADERS[n].split()}
    broken = sorted({t for line in lines[:rule] for t in SEPARATORS.split(line) if t} - header_words)
    if broken:
        problems.append(f"pieces of headers in the head: {broken}")
    left_out = " ".join(line for line in lines if "Left out at" in line or "--format plain" in line)
    for name in names:
        if HEADERS[name] in left_out:
            continue
        lost = sorted({w.strip(PUNCTUATION) for row in rows for w in words_of(row[name])
                       if not (present(w.strip(PUNCTUATION), found) if name in FREE else w.strip(PUNCTUATION) in found)})
        if lost:
            problems.append(f"{name}: {len(lost)} values or words not shown whole, e.g. {lost[:8]}")
    return problems


@pytest.mark.parametrize("columns", [60, 80], ids=lambda c: f"{c} columns")
@pytest.mark.parametrize("case", list(CASES))
def test_chosen_columns_fit_without_breaking_a_word(case: str, columns: int, place: Path) -> None:
    argv = ["list", *CASES[case], "--as-of", TODAY]
    names = CASES[case][1].split(",")
    rows = json.loads(piped(place, [*argv, "--format", "json"]))
    assert rows, f"{case}: nothing listed"
    known = [item["id"] for item in json.loads(piped(place, ["list", "--format", "json"]))]
    code, out = on_terminal([*TRACK, "--no-pager", *argv], {**environment(place), "COLUMNS": str(columns), "LINES": "50"},
                            (columns, 50))
    assert code == 0, f"track {' '.join(argv)} exited {code}:\n{out}"
    problems = problems_with(out, columns, names, rows, piped(place, argv), known)
    assert not problems, f"track {' '.join(argv)} at {columns} columns:\n" + "\n".join(problems) + "\n" + ESCAPES.sub("", out)


def test_the_text_keeps_a_readable_width_and_the_rest_moves_below_it(place: Path) -> None:
    """At 80 columns the text is not squeezed to a word a line: the owner, due date and action
    count of R2 go below its text as list puts them, the status stays beside it."""
    argv = ["list", *CASES["text"], "--as-of", TODAY]
    code, out = on_terminal([*TRACK, "--no-pager", *argv], {**environment(place), "COLUMNS": "80", "LINES": "50"}, (80, 50))
    screen = ESCAPES.sub("", out)
    assert code == 0, screen
    first = next(line for line in screen.splitlines() if line.startswith(R2))
    assert "in-progress" in first and "Respond better when children" in first, screen
    assert "owner AC Territorial" in screen and "actions 1/2" in " ".join(screen.split()), screen


def test_counts_left_out_on_a_narrow_terminal_are_named(place: Path) -> None:
    """Without a text column to stack under, the columns that do not fit at 60 are left out
    (the empty ones and the last named first) and the table names them; the id and the status
    stay; plain shows them all."""
    argv = ["list", *CASES["action counts"], "--as-of", TODAY]
    code, out = on_terminal([*TRACK, "--no-pager", *argv], {**environment(place), "COLUMNS": "60", "LINES": "50"}, (60, 50))
    screen = ESCAPES.sub("", out)
    assert code == 0, screen
    head = screen.splitlines()[0].split()
    assert head == ["ID", "STATUS"], screen
    assert "Left out at 60 columns: READY, LATE, TOTAL, DONE, ACTIONS (" in " ".join(screen.split()), screen
    plain = piped(place, argv).splitlines()[0].split()
    assert plain == ["ID", "STATUS", "ACTIONS", "READY", "DONE", "TOTAL", "LATE"]
