"""Completion of FIELD=VALUE (`edit --set`, `list --where`) in real shells. bash splits a word at
`=` and `:` (COMP_WORDBREAKS): for `--set risk=h` its function gets the words `risk`, `=`, `h`
and replaces only `h`. Its script (track/cli/complete.py) gives track the line up to the cursor
and the piece bash replaces; track answers with what bash is to put there (`high`), and a
candidate ending in `=` is not followed by a space. zsh and fish get the whole word; zsh is
told to add no space after FIELD= (fish adds none after `=` itself).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_complete import EXAMPLE, TRACK, _pty, environment, run

from track.cli.complete import bash_inserts

RISK = '\n[fields.risk]\ntype = "choice"\nchoices = ["high", "medium", "low"]\n'


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """The example ledger with a choice field, risk: high, medium or low."""
    root = tmp_path / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    with open(root / "track.toml", "a", encoding="utf-8") as settings:
        settings.write(RISK)
    return root


# TAB completes the word; `h<TAB>` after `risk=` completes it only if no space came between;
# then Ctrl-A and `echo GOT ` print the line as completed.
TYPED = [
    b"track list --where risk=h\t", b"\x01echo GOT \n",
    b"track edit peel-2016-met/F1 --set risk=m\t", b"\x01echo GOT \n",
    b"track list --where ri\tl\t", b"\x01echo GOT \n",
    b"track list --owner MPS\\ M\t", b"\x01echo GOT \n",
    b"echo DONE-$((1 + 1))\n",
]
GOT = ["\nGOT track list --where risk=high\r\n", "\nGOT track edit peel-2016-met/F1 --set risk=medium\r\n",
       "\nGOT track list --where risk=low\r\n", "\nGOT track list --owner MPS Management Board\r\n"]


def got(out: str) -> list[str]:
    return [line for line in GOT if line not in out]


@pytest.mark.skipif(shutil.which("bash") is None or sys.platform == "win32", reason="needs bash and a pty")
def test_tab_completes_a_fields_value_in_an_interactive_bash(ledger: Path) -> None:
    env = environment(TRACK_LEDGER=str(ledger), PS1="$ ", TERM="dumb", INPUTRC="/dev/null")
    out = _pty(["bash", "--norc", "--noprofile", "-i"], env, [
        b"bind 'set bell-style none'\n",
        b'eval "$(track --show-completion)"\n',
        b"track edit peel-2016-met/F1 --set risk=\t\t", b"\x01echo LISTED \n",  # TAB TAB: the choices
        b"track list --where=risk=l\t", b"\x01echo GOT \n",
        *TYPED,
    ])
    assert got(out) == [], out
    assert re.search(r"\nhigh +low +medium *\r\n", out), out  # not the files of the folder
    assert "\nGOT track list --where=risk=low\r\n" in out, out


@pytest.mark.skipif(shutil.which("zsh") is None or sys.platform == "win32", reason="needs zsh and a pty")
def test_tab_completes_a_fields_value_in_an_interactive_zsh(ledger: Path, tmp_path: Path) -> None:
    env = environment(TRACK_LEDGER=str(ledger), TERM="dumb", HOME=str(tmp_path))
    out = _pty(["zsh", "-f", "-i"], env, [
        b'PS1="%% "; autoload -Uz compinit && compinit -u\n',
        b'eval "$(track --show-completion)"\n',
        *TYPED,
    ])
    assert got(out) == [], out


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_fish_completes_a_fields_value(ledger: Path, tmp_path: Path) -> None:
    script = ('track --show-completion | source; complete -C "track edit x --set risk="; echo ---; '
              'complete -C "track list --where risk=h"; echo ---; complete -C "track list --where ri"')
    done = subprocess.run(["fish", "--no-config", "-c", script], env=environment(TRACK_LEDGER=str(ledger), HOME=str(tmp_path)),
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split("---\n") == ["risk=high\nrisk=low\nrisk=medium\n", "risk=high\n", "risk=\n"]


# --------------------------------------------------------------------------- the bash function

BASH_DRIVER = r"""
set -e
eval "$(track --show-completion)"
complete_line() {  # what bash does on TAB, COMP_WORDS split at = as bash splits them
    COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    COMPREPLY=()
    _track_completion track "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    echo "LINE $COMP_LINE"
    printf 'REPLY %s\n' "${COMPREPLY[@]}"
}
complete_line 'track edit x --set risk=' track edit x --set risk = ''
complete_line 'track list --where risk=h' track list --where risk = h
complete_line 'track list --where ri' track list --where ri
complete_line 'track list --where=risk=me' track list --where = risk = me
complete_line 'track list --status clo' track list --status clo
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_the_bash_function_gives_what_bash_replaces(ledger: Path) -> None:
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER], env=environment(TRACK_LEDGER=str(ledger)),
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    replies = done.stdout.split("LINE ")[1:]
    assert replies == [
        "track edit x --set risk=\nREPLY high\nREPLY medium\nREPLY low\n",
        "track list --where risk=h\nREPLY high\n",
        "track list --where ri\nREPLY risk=\n",
        "track list --where=risk=me\nREPLY medium\n",
        "track list --status clo\nREPLY closed\n",
    ]


def test_zsh_adds_field_names_without_a_space(ledger: Path) -> None:
    done = run([], _TRACK_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="track list --where r", TRACK_LEDGER=str(ledger))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "compadd -S '' -- risk= report= ref= response=\n"
    done = run([], _TRACK_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="track list --where risk=", TRACK_LEDGER=str(ledger))
    assert done.stdout.startswith("_arguments '*: :((\"risk=high\"")


def test_show_completion_and_source_bash_give_the_same_script() -> None:
    # --show-completion takes no value: it names the shell it runs under (shellingham reads the
    # process tree), so it is run from a bash (not exec'd: a command follows), whatever runs the suite
    shown = subprocess.run(["bash", "--norc", "--noprofile", "-c", f"{TRACK} --show-completion; exit $?"], env=environment(),
                           capture_output=True, text=True, timeout=60)
    sourced = run([], _TRACK_COMPLETE="source_bash")
    assert shown.returncode == sourced.returncode == 0
    assert "_TRACK_COMP_LINE=" in sourced.stdout and "compopt -o nospace" in sourced.stdout
    assert shown.stdout.strip() == sourced.stdout.strip()


@pytest.mark.parametrize("line,cur,incomplete,candidates,inserted", [
    ("track list --where risk=h", "h", "risk=h", ["risk=high"], ["high"]),
    ("track list --where risk=", "", "risk=", ["risk=high", "risk=low"], ["high", "low"]),
    ("track list --where ri", "ri", "ri", ["risk="], ["risk="]),  # nothing split off
    ("track list --where=risk=h", "h", "--where=risk=h", ["risk=high"], ["high"]),  # click completes what follows --where=
    ("track list --where=ri", "ri", "--where=ri", ["risk="], ["risk="]),
    ("track list --owner Unit:B", "B", "Unit:B", ["Unit:Blue"], ["Blue"]),  # bash splits at : too
    ("track list --owner Unit:B", "Unit:B", "Unit:B", ["Unit:Blue"], ["Unit:Blue"]),  # : not in COMP_WORDBREAKS
    ("track list --owner AC\\ T", "AC\\ T", "AC T", ["AC\\ Territorial"], ["AC\\ Territorial"]),
    ('track list --owner "MPS M', "MPS M", "MPS M", ["MPS\\ Management"], ["MPS\\ Management"]),  # a quote: as it was
    ("track list --owner ", "", "", ["AC", "MPS"], ["AC", "MPS"]),
])
def test_bash_inserts_the_part_of_a_candidate_that_bash_replaces(
        line: str, cur: str, incomplete: str, candidates: list[str], inserted: list[str]) -> None:
    assert bash_inserts(line, cur, incomplete, candidates) == inserted


def test_action_done_and_update_complete_the_actions_ids(ledger: Path) -> None:
    """REPORT/REF/N of the actions there are, from the file and then from the index."""
    from test_complete import bash

    for text in ("Write the course", "Train the teams"):
        assert run(["action", "add", "hmic-2016-met-cp/R2", "--text", text, "--owner", "AC Territorial Policing",
                    "--due", "2018-01-31", "--date", "2017-06-01"], TRACK_LEDGER=str(ledger),
                   TRACK_TODAY="2018-06-30").returncode == 0
    wanted = ["hmic-2016-met-cp/R2/1", "hmic-2016-met-cp/R2/2"]
    assert bash("track action done hmic-2016-met-cp/R", ledger, TRACK_NO_CACHE="1") == wanted  # from the file
    assert run(["list"], TRACK_LEDGER=str(ledger)).returncode == 0  # builds the index
    assert bash("track action update hmic-2016-met-cp/R2/", ledger) == wanted  # from the index
    assert bash("track action done peel-", ledger) == []  # no plan there
    assert bash("track action add hmic-2016-met-cp/R2 --owner AC\\ T", ledger) == ["AC\\ Territorial\\ Policing"]
