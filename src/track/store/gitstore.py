"""track and git: a commit after each change, the set-up `track init --git` makes in a clone,
and the line merge the merge driver falls back on."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from track.domain.errors import TrackError

ATTRIBUTE = "reports/*.toml merge=track"
ATTRIBUTES = ".gitattributes"
DRIVER_NAME = "track report merge"


def warn(message: str) -> None:
    """Where a warning about git goes: one line on stderr. A program using track as a
    library may replace it (track.store.gitstore.warn = its own function)."""
    sys.stderr.write(f"track: {message}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- running git


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_EDITOR": "true",  # never open an editor
        "GIT_MERGE_AUTOEDIT": "no",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_TERMINAL_PROMPT": "0",  # never ask for a password
        "LC_ALL": "C",  # messages in English, to recognise them
    })
    return env


GIT_TIMEOUT = 120  # seconds a git command may take (a hook that hangs must not hold the ledger)
INDEX_WAIT = 10  # seconds to wait for another git program's index.lock before giving up


def _git(root: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    """git ARGS in `root`; raises TrackError when git cannot be run at all or does not finish
    within GIT_TIMEOUT seconds (then it is stopped)."""
    import time

    started = time.time()
    try:
        process = subprocess.Popen(["git", *args], cwd=root, env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
        try:
            out, err = process.communicate(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            _stop(process, Path(root), started)
            raise TrackError(f"git {args[0]} did not finish within {GIT_TIMEOUT} s (a hook that waits?) and was stopped") from None
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)
    except FileNotFoundError:
        if not installed():
            raise TrackError("git is not installed (or not on PATH)") from None
        raise TrackError(f"cannot run git in {root}: no such folder") from None
    except OSError as error:
        raise TrackError(f"cannot run git: {error.strerror}") from None


def _stop(process: subprocess.Popen[str], root: Path, started: float) -> None:
    """Stop a git program that took too long, with whatever it started (a hook), and remove the
    index lock it leaves behind, so that the next change can commit."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.communicate()
    found = _git_dir(root)
    lock = found / "index.lock" if found is not None else None
    try:
        if lock is not None and lock.stat().st_mtime >= started - 1:
            lock.unlink()
    except OSError:
        pass


def _detached(root: Path) -> bool:
    """Whether HEAD names a commit rather than a branch (read from .git/HEAD: no git to run)."""
    found = _git_dir(root)
    try:
        return found is not None and (found / "HEAD").is_file() and not (found / "HEAD").read_text().startswith("ref:")
    except OSError:
        return False


def _git_dir(root: Path) -> Path | None:
    """The repository's .git folder, without asking git (which may be what hangs)."""
    for folder in (root, *root.resolve().parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or a submodule: "gitdir: PATH"
            try:
                line = dot.read_text().strip()
            except OSError:
                return None
            return (folder / line[len("gitdir:"):].strip()) if line.startswith("gitdir:") else None
    return None


def _said(done: subprocess.CompletedProcess[str]) -> str:
    """What a failed git command said, in one line."""
    lines = [ln.strip() for ln in (done.stderr + "\n" + done.stdout).splitlines() if ln.strip()]
    fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    text = (fatal or lines or [f"git exited with {done.returncode}"])[-1]
    return text


def installed() -> bool:
    return shutil.which("git") is not None


def require() -> None:
    if not installed():
        raise TrackError("git is not installed (or not on PATH): install git, or leave out --git; nothing was written")


def work_tree(root: Path) -> Path | None:
    """The top of the git work tree that holds `root`, or None."""
    done = _git(root, "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


# --------------------------------------------------------------------------- committing


def commit(root: Path, paths: list[str], message: str) -> str | None:
    """Commit exactly `paths` (relative to the ledger's root) as they are on disk, with
    `message`, leaving anything else the user has staged as it was. Returns None when done
    (or when there was nothing to commit), else why it failed, in one line. A path no longer
    on disk (a file the change deleted) is committed as deleted, if git knew it."""
    try:
        present = [p for p in paths if os.path.lexists(os.path.join(root, p))]
        gone = [p for p in paths if p not in present]
        if present:
            added = _waiting_for_the_index(root, "add", "--", *present)
            if added.returncode != 0:
                return _reason(root, added)
        if gone:
            # `git add` of a path git never knew fails; this drops it from the index if it was there
            removed = _waiting_for_the_index(root, "rm", "--cached", "-q", "--ignore-unmatch", "--", *gone)
            if removed.returncode != 0:
                return _reason(root, removed)
            known = _git(root, "ls-tree", "-z", "--name-only", "HEAD", "--", *gone)  # fails before the first commit
            gone = [p for p in known.stdout.split("\0") if p] if known.returncode == 0 else []
        if not present and not gone:
            return None  # deleted files that git never held: nothing to commit
        done = _waiting_for_the_index(root, "commit", "-q", "-m", message, "--", *present, *gone)
    except TrackError as error:
        return str(error)
    if done.returncode == 0:
        if _detached(root):
            warn("committed on a detached HEAD: no branch holds the commit; `git switch -c NAME` keeps it on one")
        return None
    said = done.stdout + done.stderr
    if "nothing to commit" in said or "no changes added to commit" in said:
        return None  # the files already hold what HEAD holds
    return _reason(root, done)


def _waiting_for_the_index(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git ARGS, again while another git program (an editor's `git status`, say) holds the
    index's lock, for up to INDEX_WAIT seconds."""
    import time

    deadline = time.monotonic() + INDEX_WAIT
    pause = 0.02
    while True:
        done = _git(root, *args)
        if done.returncode == 0 or "index.lock" not in done.stderr or time.monotonic() >= deadline:
            return done
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def _reason(root: Path, done: subprocess.CompletedProcess[str]) -> str:
    said = done.stdout + done.stderr
    if "index.lock" in said:
        lock = next((word.strip("'\".,:") for word in said.split() if word.strip("'\".,:").endswith("index.lock")), "index.lock")
        return (f"git's index stayed locked for {INDEX_WAIT} s ({lock}): if no git program is running, remove "
                "that file, then commit the change by hand")
    if "Please tell me who you are" in said or "empty ident name" in said:
        return ("git does not know who you are: set `git config user.name \"Your Name\"` and "
                "`git config user.email you@example.org`, then commit the change by hand")
    if "not a git repository" in said:
        return f"{root} is not in a git work tree (run `git init` there, or `track init --git`)"
    return _said(done)


def committed(root: Path, paths: list[str], message: str) -> str | None:
    """commit(), and a warning if it failed: the change stays saved either way. Never raises."""
    try:
        failed = commit(root, paths, message)
    except Exception as error:  # the change has landed: git must not turn it into a failure
        failed = f"{type(error).__name__}: {error}"
    if failed:
        warn(f"saved, but git commit failed: {failed}")
    return failed


def user_name(root: Path) -> str | None:
    """git's user.name where `root` is, or None when git has none (or cannot run)."""
    try:
        done = _git(root, "config", "user.name")
    except TrackError:
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def wanted(settings: dict) -> bool:
    """Whether track.toml asks for a commit after each change: [git] commit = true."""
    table = settings.get("git")
    return isinstance(table, dict) and table.get("commit") is True


# --------------------------------------------------------------------------- set-up


def track_command() -> str:
    """How git's merge driver should name this track: `track` if that is what PATH finds,
    else the absolute path of the running track (quoted for the shell git runs it with), else
    this Python with -m track."""
    running = _running()
    found = shutil.which("track")
    if running is not None and found is not None and os.path.realpath(found) == os.path.realpath(running):
        return "track"
    if running is not None:
        return shlex.quote(running)
    return f"{shlex.quote(sys.executable)} -m track"


def _running() -> str | None:
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "track" and os.path.isfile(argv0):
        return os.path.abspath(argv0)
    beside = os.path.join(os.path.dirname(sys.executable), "track")  # the script of this venv
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    return None


def set_up(root: Path) -> list[str]:
    """What git needs in this clone for track: a repository (`git init` if `root` is in none),
    the merge attribute in the ledger's .gitattributes (appended if missing; no other line is
    touched), the merge driver in the clone's git config, and pull.rebase = false there unless
    the clone sets it. Returns what it did, a line each."""
    from track.store import disk

    disk.refuse_link(root / ATTRIBUTES, "git's merge set-up for the ledger")  # before anything is done
    done: list[str] = []
    top = work_tree(root)
    if top is None:
        initialised = _git(root, "init", "-q")
        if initialised.returncode != 0:
            raise TrackError(f"{root}: git init failed: {_said(initialised)}")
        done.append(f"created a git repository in {root}")
    path = root / ATTRIBUTES
    try:
        old = path.read_text("utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as error:
        raise TrackError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    if old is not None and ATTRIBUTE in (line.strip() for line in old.splitlines()):
        done.append(f"{path} already has {ATTRIBUTE}")
    else:
        text = (old or "") + ("\n" if old and not old.endswith("\n") else "") + ATTRIBUTE + "\n"
        disk.atomic_write(path, text)
        done.append(f"added {ATTRIBUTE} to {path}")
    driver = f"{track_command()} merge-driver %O %A %B %P"
    for key, value in (("merge.track.name", DRIVER_NAME), ("merge.track.driver", driver)):
        configured = _git(root, "config", key, value)
        if configured.returncode != 0:
            raise TrackError(f"{root}: git config {key} failed: {_said(configured)}")
        done.append(f"set git config {key} {shlex.quote(value)}")
    # `git pull` merges (so that the driver runs) unless this clone already says otherwise:
    # a rebase would replay each commit on its own and meet conflicts the driver had resolved.
    if _git(root, "config", "--local", "--get", "pull.rebase").returncode == 1:
        configured = _git(root, "config", "pull.rebase", "false")
        if configured.returncode != 0:
            raise TrackError(f"{root}: git config pull.rebase failed: {_said(configured)}")
        done.append("set git config pull.rebase false (git pull merges, so that the driver runs)")
    return done


# --------------------------------------------------------------------------- merging


def line_merge(base: str, ours: str, theirs: str) -> bool:
    """git's own line merge of three files into `ours`, with its conflict markers: what git
    would have left without track's driver. True when it merged without a conflict."""
    try:
        done = _git(os.path.dirname(os.path.abspath(ours)) or ".", "merge-file", "-L", "ours", "-L", "base",
                    "-L", "theirs", "--", os.path.abspath(ours), os.path.abspath(base), os.path.abspath(theirs))
    except TrackError:
        return False
    return done.returncode == 0
