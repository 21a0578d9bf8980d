"""Shell completion (track/cli/complete.py), driven as the shells drive it: the installed `track`
entry point run with the environment that the scripts from `track --show-completion` set
(bash: _TRACK_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD; zsh and fish:
_TRACK_COMPLETE=complete_zsh / complete_fish and _TYPER_COMPLETE_ARGS), on a copy of the
example ledger data/met-police. Then real shells: bash's script sourced and its function
called as `complete -F` calls it; a TAB typed at an interactive bash and zsh in a
pseudo-terminal; fish's `complete -C` (each skipped where that shell is not installed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
TRACK = Path(sys.executable).with_name("track")  # the installed entry point (fastpath.main)
BIN = str(TRACK.parent)

STATUSES = ["awaiting-response", "not-started", "in-progress", "partially-implemented", "reported-complete",
            "implemented", "not-implemented", "superseded", "withdrawn"]
REPORTS = ["hmic-2016-met-cp", "hmic-2017-met-cp-q1", "hmicfrs-2017-met-cp-q2", "hmicfrs-2017-met-cp-q3",
           "hmicfrs-2018-met-cp-q4", "hmicfrs-2019-met-cp-review", "hmicfrs-2021-met-cp-progress", "peel-2016-met",
           "peel-2016-met-effectiveness", "peel-2016-met-legitimacy", "peel-2017-met-effectiveness",
           "peel-2017-met-efficiency", "peel-2017-met-legitimacy"]
OWNERS = ["AC Professionalism", "AC Specialist Crime & Operations", "AC Territorial Policing",
          "MPS Head of Safeguarding", "MPS Management Board"]
PEEL_2016_HMI = ["peel-2016-met/F1", "peel-2016-met/F2", "peel-2016-met/F3"]
LEGITIMACY_2016 = ["peel-2016-met-legitimacy/AFI1", "peel-2016-met-legitimacy/AFI2", "peel-2016-met-legitimacy/F1"]
PEEL_2016 = [*PEEL_2016_HMI, "peel-2016-met-effectiveness/C1", "peel-2016-met-effectiveness/R1",
             *[f"peel-2016-met-effectiveness/AFI{n}" for n in range(1, 5)],
             *[f"peel-2016-met-effectiveness/F{n}" for n in range(1, 4)], *LEGITIMACY_2016]


def bash_escaped(text: str) -> str:
    return text.replace(" ", "\\ ").replace("&", "\\&")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example ledger, without an index (.track/) until a command builds one."""
    root = tmp_path / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    return root


def environment(**extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COMP_", "_TYPER_COMPLETE")) and not k.endswith("_COMPLETE")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], cwd: Path | None = None, **env: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TRACK), *args], env=environment(**env), cwd=cwd, capture_output=True, text=True, timeout=60)


def bash(line: str, ledger: Path | None = None, cwd: Path | None = None, **env: str | None) -> list[str]:
    """What `complete_bash` answers for the command line `line` (its last word is the one
    being completed; a line ending with a space completes a new, empty word)."""
    import shlex

    words = shlex.split(line)
    cword = len(words) if line.endswith(" ") else len(words) - 1
    done = run([], cwd=cwd, _TRACK_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(cword),
               TRACK_LEDGER=str(ledger) if ledger else None, **env)
    assert done.returncode == 0 and done.stderr == "", done
    assert done.stdout.endswith("\n"), done  # one candidate a line; none: an empty line
    return done.stdout[:-1].split("\n") if done.stdout != "\n" else []


def shell(kind: str, line: str, ledger: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run([], **{"_TRACK_COMPLETE": f"complete_{kind}", "_TYPER_COMPLETE_ARGS": line, "TRACK_LEDGER": str(ledger), **env})


# --------------------------------------------------------------------------- what completes to what

CASES: list[tuple[str, list[str]]] = [
    # recommendation ids
    ("track update peel-2016-met", PEEL_2016),
    ("track update peel-2016-met/", PEEL_2016_HMI),
    ("track show hmic-2016-met-cp/R", [f"hmic-2016-met-cp/R{n}" for n in range(1, 10)]),
    ("track show hmicfrs-2019", ["hmicfrs-2019-met-cp-review/F1", "hmicfrs-2019-met-cp-review/R10"]),
    ("track update hmic-2016-met-cp/R1 --superseded-by peel-2016-met-l", LEGITIMACY_2016),
    ("track update hmic-2016-met-cp/R1 --related peel-2016-met/", PEEL_2016_HMI),
    ("track update nothing-like-it", []),
    # history: a recommendation or a report
    ("track history peel-2016-met-l", ["peel-2016-met-legitimacy", *LEGITIMACY_2016]),
    # report ids
    ("track reports show hmicfrs-", REPORTS[2:7]),
    ("track reports update peel-2017", REPORTS[-3:]),
    ("track add hmic-201", REPORTS[:2]),
    ("track report peel-2016-met-", ["peel-2016-met-effectiveness", "peel-2016-met-legitimacy"]),
    ("track report --grades M", ["Metropolitan\\ Police\\ Service"]),
    ("track list --report peel-2017", REPORTS[-3:]),
    ("track reports add x --follows hmic-2016", ["hmic-2016-met-cp"]),
    ("track update x --source hmic-2017", ["hmic-2017-met-cp-q1"]),
    ("track export --report hmicfrs-2019", ["hmicfrs-2019-met-cp-review"]),
    ("track import f.csv --report peel-2016-met-e", ["peel-2016-met-effectiveness"]),
    # statuses, and the other choices
    ("track update x --status ", STATUSES[1:]),
    ("track update x --status in", ["in-progress"]),
    ("track list --status ", ["open", "closed", *STATUSES]),
    ("track list -s c", ["closed"]),
    ("track list --status open,c", ["open,closed"]),
    ("track update x --response ", ["accepted", "partially-accepted", "not-accepted", "noted"]),
    ("track list --kind ", ["cause-of-concern", "recommendation", "area-for-improvement", "finding"]),
    ("track reports add x --kind p", ["peel", "prevention-of-future-deaths"]),
    ("track add x --priority ", ["high", "medium", "low"]),
    ("track list --format ", ["table", "plain", "json", "csv", "markdown"]),
    ("track show x -f j", ["json"]),
    ("track report --format ", ["table", "plain", "json", "csv", "markdown", "html"]),
    ("track history --format h", ["html"]),
    ("track remind --format ", ["table", "plain", "json", "markdown"]),
    ("track export --format ", ["json", "csv"]),
    ("track list --sort ", ["id", "due", "status", "owner", "report", "priority", "last-event", "overdue", "issued"]),
    ("track report --by ", ["status", "kind", "owner", "tag", "report", "subject", "response"]),
    # what the ledger names (bash gets them escaped, as bash inserts a candidate as it is)
    ("track list --owner ", [bash_escaped(o) for o in OWNERS]),
    ("track update x --owner MPS", [bash_escaped(o) for o in OWNERS[3:]]),
    ("track list --owner AC\\ T", ["AC\\ Territorial\\ Policing"]),
    ("track add x --tag mi", ["missing-children"]),
    ("track list --issued-by ", ["HMIC", "HMICFRS"]),
    ("track list --subject ", ["Metropolitan\\ Police\\ Service"]),
    # commands and options, as Typer completes them
    ("track reports ", ["add", "list", "show", "update"]),
    ("track --", ["--ledger", "--version", "--no-pager", "--install-completion", "--show-completion", "--help"]),
    ("track update x --st", ["--status"]),
]


@pytest.mark.parametrize("line,expected", CASES, ids=[c[0] for c in CASES])
def test_bash_completes(line: str, expected: list[str], example: Path) -> None:
    assert bash(line, example) == expected


def test_the_index_and_the_files_give_the_same_candidates(example: Path) -> None:
    lines = ["track update ", "track list --owner ", "track list --tag ", "track history p"]
    cold = [bash(line, example) for line in lines]
    assert not (example / ".track").exists()
    assert run(["--ledger", str(example), "list"]).returncode == 0  # builds the index
    assert (example / ".track" / "cache").is_dir()
    assert [bash(line, example) for line in lines] == cold
    assert [bash(line, example, TRACK_NO_CACHE="1") for line in lines] == cold
    assert len(cold[0]) == 37


def test_the_index_is_read_as_cache_lays_it_out() -> None:
    from track.cli import complete
    from track.store import cache

    # complete._from_shard reads shards as cache.pack writes them; a new layout means a new
    # cache.VERSION, and until complete.py follows, completion reads every file (slowly).
    assert complete.SHARD_LAYOUT == cache.VERSION


def test_a_file_changed_since_it_was_indexed_is_read_itself(example: Path) -> None:
    assert run(["--ledger", str(example), "list"]).returncode == 0
    path = example / "reports" / "peel-2016-met.toml"
    path.write_text(path.read_text() + '\n[[recommendations]]\nref = "AFI9"\ntext = "Added by hand"\nowner = "Hand Editor"\n')
    assert bash("track update peel-2016-met/", example) == [*PEEL_2016_HMI, "peel-2016-met/AFI9"]
    assert "Hand\\ Editor" in bash("track list --owner ", example)


def test_the_ledger_is_found_as_a_command_finds_it(example: Path, tmp_path: Path) -> None:
    # --ledger, short or long, before the command
    assert bash(f"track --ledger {example} update peel-2016-met/") == PEEL_2016_HMI
    assert bash(f"track -L {example} reports show peel-2017") == REPORTS[-3:]
    # --ledger wins over $TRACK_LEDGER
    other = tmp_path / "other"
    assert run(["init", str(other)]).returncode == 0
    assert bash(f"track --ledger {example} update peel-2016-met/", ledger=other) == PEEL_2016_HMI
    assert bash("track update peel-2016-met/", ledger=other) == []
    # $TRACK_LEDGER
    assert bash("track update peel-2016-met/", ledger=example) == PEEL_2016_HMI
    # upwards from the working directory
    assert bash("track update peel-2016-met/", cwd=example / "reports") == PEEL_2016_HMI


def test_a_missing_ledger_completes_nothing_and_says_nothing(tmp_path: Path) -> None:
    for line in ["track update ", "track list --owner ", "track history ", "track reports show "]:
        assert bash(line, cwd=tmp_path) == []
        assert bash(f"track --ledger {tmp_path / 'nowhere'} {line[6:]}", cwd=tmp_path) == []
    assert bash("track list --status c", cwd=tmp_path) == ["closed"]  # choices need no ledger


def test_a_broken_file_or_index_never_shows_a_traceback(example: Path) -> None:
    assert run(["--ledger", str(example), "list"]).returncode == 0
    (example / "reports" / "peel-2016-met.toml").write_bytes(b'title = "unfinished\n[[recommendations\n\xff')
    shard = example / ".track" / "cache" / "hmic-2016-met-cp"
    shard.write_bytes(shard.read_bytes()[:40])
    owners = bash("track list --owner ", example)  # asserts exit 0 and an empty stderr
    assert owners == [bash_escaped(o) for o in OWNERS]
    ids = bash("track update ", example)
    assert "hmic-2016-met-cp/R1" in ids and not any(i.startswith("peel-2016-met/") for i in ids)


def test_completion_writes_nothing(example: Path) -> None:
    def tree() -> dict[str, tuple[bytes, int]]:
        return {p.relative_to(example).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted(example.rglob("*")) if p.is_file()}

    lines = ["track update ", "track list --owner ", "track list --tag ", "track report --grades ", "track history "]
    before = tree()
    for line in lines:
        bash(line, example)
    assert tree() == before  # no .track/ made
    assert run(["--ledger", str(example), "list"]).returncode == 0
    (example / "reports" / "peel-2016-met.toml").touch()  # a stale shard is read around, not rebuilt
    (example / ".track" / "lock").touch()
    (example / "reports" / ".peel-2016-met.999999999.tmp").write_text("left by a killed writer")  # not tidied
    before = tree()
    for line in lines:
        bash(line, example)
    assert tree() == before


# --------------------------------------------------------------------------- zsh and fish


def test_zsh_gets_its_arguments_list(example: Path) -> None:
    done = shell("zsh", "track update hmicfrs-2019-met-cp-review/R", example)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "_arguments '*: :((\"hmicfrs-2019-met-cp-review/R10\"))'\n")
    done = shell("zsh", "track list --owner MPS", example)
    assert done.stdout == "_arguments '*: :((\"MPS Head of Safeguarding\"\n\"MPS Management Board\"))'\n"
    done = shell("zsh", "track list --status ", example)
    assert done.stdout.splitlines()[0] == "_arguments '*: :((\"open\""
    done = shell("zsh", "track update ", example, TRACK_LEDGER=str(example / "nowhere"))
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "_files\n")  # nothing: zsh's own file completion


def test_fish_gets_one_candidate_a_line(example: Path) -> None:
    done = shell("fish", "track list --owner AC", example, _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == OWNERS[:3]
    done = shell("fish", "track history hmicfrs-2019", example, _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert done.stdout.splitlines() == ["hmicfrs-2019-met-cp-review", "hmicfrs-2019-met-cp-review/F1",
                                        "hmicfrs-2019-met-cp-review/R10"]
    # is-args: exit 0 when there are candidates (no file names), 1 when there are none
    assert shell("fish", "track list --sort d", example, _TYPER_COMPLETE_FISH_ACTION="is-args").returncode == 0
    assert shell("fish", "track update zzz", example, _TYPER_COMPLETE_FISH_ACTION="is-args").returncode == 1


# --------------------------------------------------------------------------- the scripts, and the fast path


@pytest.mark.parametrize("kind", ["bash", "zsh", "fish"])
def test_the_scripts_call_track_with_typers_instructions(kind: str) -> None:
    done = run([], _TRACK_COMPLETE=f"source_{kind}")
    assert done.returncode == 0 and done.stderr == ""
    assert f"_TRACK_COMPLETE=complete_{kind}" in done.stdout


def test_the_options_are_offered_and_left_to_typer_by_the_fast_path() -> None:
    import typer.main

    from track.cli import fastpath
    from track.cli.app import app

    spec = fastpath.build(typer.main.get_command(app))
    assert spec["root"]["fast"], spec["root"].get("why")  # every command still runs fast
    assert fastpath.plan(spec, ["list"]) is not None
    for argv in (["--show-completion"], ["--install-completion"], ["--show-completion", "list"]):
        assert fastpath.plan(spec, argv) is None
    first = run(["--help"])  # a slow run: writes the spec
    again = run(["--help"])  # the fast path's copy of the help
    assert first.stdout == again.stdout
    assert "--install-completion" in again.stdout and "--show-completion" in again.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_show_completion_prints_the_script_also_after_a_fast_run(tmp_path: Path) -> None:
    assert run(["--version"]).returncode == 0  # the spec exists: the fast path looks first
    env = environment()
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", "track --show-completion; exit $?"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "complete -o default -F _track_completion track" in done.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_install_completion_for_bash(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = environment(HOME=str(home))
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", "track --install-completion; exit $?"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    script = home / ".bash_completions" / "track.sh"
    assert "_TRACK_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (home / ".bashrc").read_text()


# --------------------------------------------------------------------------- a real bash

BASH_DRIVER = r"""
set -e
eval "$(track --show-completion)"
spec=$(complete -p track)
echo "SPEC $spec"
fn=${spec##*-F }; fn=${fn%% *}
complete_words() {  # what bash does on TAB: the words of the line, the one being completed last
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$fn" track "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    echo "LINE $COMP_LINE"
    printf 'REPLY %s\n' "${COMPREPLY[@]}"
}
complete_words track update hmicfrs-2019-met-cp-review/R
complete_words track list --owner 'AC\ T'
complete_words track list --status clo
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_a_real_bash_completes_with_the_script(example: Path) -> None:
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", BASH_DRIVER], env=environment(TRACK_LEDGER=str(example)),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "SPEC complete -o default -F _track_completion track",
        "LINE track update hmicfrs-2019-met-cp-review/R", "REPLY hmicfrs-2019-met-cp-review/R10",
        "LINE track list --owner AC\\ T", "REPLY AC\\ Territorial\\ Policing",
        "LINE track list --status clo", "REPLY closed",
    ]


def _pty(argv: list[str], env: dict[str, str], typed: list[bytes], timeout: float = 30.0) -> str:
    """Types into an interactive shell on a pseudo-terminal, one chunk at a time (each once
    the shell has gone quiet), and returns all it echoed, up to "DONE-2"."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the shell, without any start-up file
        os.execvpe(argv[0], argv, env)
    out = b""
    deadline = time.monotonic() + timeout

    def read(quiet: float) -> bool:
        nonlocal out
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], quiet)
            if not ready:
                return True
            try:
                data = os.read(fd, 4096)
            except OSError:
                return False
            if not data:
                return False
            out += data
        return False

    try:
        for chunk in typed:
            os.write(fd, chunk)
            if not read(0.3):
                break
        while time.monotonic() < deadline and b"DONE-2" not in out and read(0.5):
            pass
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return out.decode("utf-8", "replace")


# TAB completes the word for `track`; then Ctrl-A and `echo GOT ` print the line as completed.
TYPED = [
    b"track update hmicfrs-2019-met-cp-review/R\t", b"\x01echo GOT \n",
    b"track list --owner MPS\\ M\t", b"\x01echo GOT \n",
    b"track list --status clo\t", b"\x01echo GOT \n",
    b"echo DONE-$((1 + 1))\n",
]
GOT = ["\nGOT track update hmicfrs-2019-met-cp-review/R10\r\n", "\nGOT track list --owner MPS Management Board\r\n",
       "\nGOT track list --status closed\r\n"]  # what echo printed


@pytest.mark.skipif(shutil.which("bash") is None or sys.platform == "win32", reason="needs bash and a pty")
def test_tab_in_an_interactive_bash(example: Path) -> None:
    env = environment(TRACK_LEDGER=str(example), PS1="$ ", TERM="dumb", INPUTRC="/dev/null")
    out = _pty(["bash", "--norc", "--noprofile", "-i"], env, [
        b"bind 'set bell-style none'\n",
        b'eval "$(track --show-completion)"\n',
        *TYPED,
    ])
    for line in GOT:
        assert line in out, out


@pytest.mark.skipif(shutil.which("zsh") is None or sys.platform == "win32", reason="needs zsh and a pty")
def test_tab_in_an_interactive_zsh(example: Path, tmp_path: Path) -> None:
    env = environment(TRACK_LEDGER=str(example), TERM="dumb", HOME=str(tmp_path))
    out = _pty(["zsh", "-f", "-i"], env, [
        b'PS1="%% "; autoload -Uz compinit && compinit -u\n',
        b'eval "$(track --show-completion)"\n',
        *TYPED,
    ])
    for line in GOT:
        assert line in out, out


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_a_real_fish_completes_with_the_script(example: Path, tmp_path: Path) -> None:
    script = ('track --show-completion | source; complete -C "track update hmicfrs-2019-met-cp-review/R"; echo ---; '
              'complete -C "track list --owner MPS"; echo ---; complete -C "track list --status clo"')
    done = subprocess.run(["fish", "--no-config", "-c", script], env=environment(TRACK_LEDGER=str(example), HOME=str(tmp_path)),
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split("---\n") == ["hmicfrs-2019-met-cp-review/R10\n", "MPS Head of Safeguarding\nMPS Management Board\n",
                                           "closed\n"]
