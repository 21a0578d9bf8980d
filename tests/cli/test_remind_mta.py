"""`track remind --mail` through a real MTA under a real cron daemon (issue #19): the ledger of
owners_support.py, its owners given local users' addresses (trackmta-hot@localhost, ...); one
crontab line runs `track remind --mail --as-of 2018-06-30` with the system's /usr/sbin/sendmail;
the test waits for the job and for the MTA to deliver, then reads /var/mail/USER and checks that
each owner with something to see got exactly one message, with their own items alone, that the
owner with nothing got none, and that the keeper got the digest.

Needs root (root's crontab, starting cron, local users), Debian's cron and an MTA that delivers
user@localhost to /var/mail/USER without further help (.ci/run installs exim4 so); skipped with
the reason otherwise. It creates its local users (named trackmta-*, marked by their comment) and
removes them, their mailboxes and its crontab line afterwards (and stops cron if it started it).
Slow by nature: cron runs a job at the start of a minute."""

from __future__ import annotations

import email
import mailbox
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from email.message import EmailMessage
from email.policy import default
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli
from owners_support import REPORT, SECURITE, build

AS_OF = "2018-06-30"  # the job's date, pinned: never the day cron runs it
COMMENT = "track remind MTA test"  # marks the users this test makes, so that it never removes another
SPOOL = Path("/var/mail")
JOB_WAIT = 150  # seconds: failure bounds only, polled; cron runs a job at the start of the next minute
DELIVERY_WAIT = 120

USERS = {"hot": "Head of Training", "hotd": "Head of Training and Development", "dls": SECURITE,
         "estates": "Head of Estates", "keeper": None}
LOGIN = {short: f"trackmta-{short}" for short in USERS}
ADDRESS = {short: f"{login}@localhost" for short, login in LOGIN.items()}
R = {ref: f"{REPORT}/{ref}" for ref in ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8")}


def track_executable() -> str | None:
    beside = Path(sys.executable).parent / "track"
    return str(beside) if beside.exists() else shutil.which("track")


def run(*argv: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60, **kwargs)


def why_not_here() -> str | None:
    """Why the test cannot run on this machine, or None."""
    if shutil.which("cron") is None:
        return "Debian's cron is not installed (apt-get install cron): the real MTA test did not run"
    if os.geteuid() != 0:
        return "not root: the real MTA test needs root for a crontab, cron and local users"
    if not Path("/usr/sbin/sendmail").exists():
        return "no MTA: /usr/sbin/sendmail is missing (apt-get install exim4-daemon-light)"
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        return "no useradd/userdel to make the local users mail is delivered to"
    if track_executable() is None:
        return "no `track` executable beside this Python or on PATH: the real MTA test did not run"
    postfix = Path(os.path.realpath("/usr/sbin/sendmail")).name != "exim4" and shutil.which("postfix") is not None
    if postfix and run("postfix", "status").returncode != 0:
        return "postfix is the MTA but is not running: it would queue the mail and never deliver it"
    return None


def ours(login: str) -> bool:
    try:
        return pwd.getpwnam(login).pw_gecos == COMMENT
    except KeyError:
        return False


def remove_user(login: str) -> None:
    if ours(login):
        run("userdel", login)
    for path in (SPOOL / login, SPOOL / f"{login}.lock"):
        path.unlink(missing_ok=True)


@contextmanager
def local_users() -> Iterator[None]:
    """The local users the owners' and keeper's addresses name, with empty mailboxes; each has a
    home it can enter (the MTA delivers as the user, from its home)."""
    taken = [login for login in LOGIN.values() if _exists(login) and not ours(login)]
    if taken:
        pytest.skip(f"local users {', '.join(taken)} exist and are not this test's: the real MTA test did not run")
    home = Path(tempfile.mkdtemp(prefix="track-mta-home."))
    home.chmod(0o755)
    try:
        for login in LOGIN.values():
            remove_user(login)  # left by a run that was killed
            made = run("useradd", "--system", "--no-create-home", "--home-dir", str(home), "--shell",
                       "/usr/sbin/nologin", "--comment", COMMENT, login)
            assert made.returncode == 0, made.stderr
        yield
    finally:
        for login in LOGIN.values():
            remove_user(login)
        shutil.rmtree(home, ignore_errors=True)


def _exists(login: str) -> bool:
    try:
        pwd.getpwnam(login)
        return True
    except KeyError:
        return False


def local_delivery_problem() -> str | None:
    """With exim, whether it routes our addresses to a local mailbox (`exim4 -bt`, which sends
    nothing); other MTAs are taken at their word."""
    if shutil.which("exim4") is None:
        return None
    routed = run("exim4", "-bt", ADDRESS["keeper"])
    if "transport = mail_spool" not in routed.stdout:
        return (f"exim4 does not deliver {ADDRESS['keeper']} to /var/mail (configure it for local delivery, "
                f"dc_eximconfig_configtype='local'): {routed.stdout.strip()} {routed.stderr.strip()}")
    return None


class Crontab:
    """Root's crontab, with our lines added and (only ours) taken out again."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def current(self) -> list[str]:
        listed = run("crontab", "-l")
        return listed.stdout.splitlines() if listed.returncode == 0 else []

    def add(self, *lines: str) -> None:
        text = "\n".join([*self.current(), *(f"{line}  # {self.marker}" for line in lines)]) + "\n"
        done = run("crontab", "-", input=text)
        assert done.returncode == 0, done.stderr

    def remove(self) -> None:
        rest = [line for line in self.current() if self.marker not in line]
        if rest:
            run("crontab", "-", input="\n".join(rest) + "\n")
        else:
            run("crontab", "-r")


def running_cron() -> int | None:
    """The pid in cron's pid file, if that process is cron and alive: a cron just stopped stays
    a zombie until init reaps it, and runs no job."""
    try:
        pid = int(Path("/run/crond.pid").read_text().strip())
        name, _, rest = Path(f"/proc/{pid}/stat").read_text().rpartition(")")
    except (OSError, ValueError):
        return None
    return pid if name.endswith("(cron") and rest.split()[0] != "Z" else None


@contextmanager
def cron() -> Iterator[None]:
    """A running cron daemon: the one running, else one we start and stop again."""
    started = None
    if running_cron() is None:
        assert run("cron").returncode == 0
        for _ in range(50):
            started = running_cron()
            if started is not None:
                break
            time.sleep(0.1)
        assert started is not None, "started cron, but it did not write /run/crond.pid"
    try:
        yield
    finally:
        if started is not None and running_cron() == started:
            os.kill(started, signal.SIGTERM)
            end = time.monotonic() + 30  # gone before the next test asks whether cron runs
            while running_cron() == started and time.monotonic() < end:
                time.sleep(0.1)


def queued_for_us() -> list[str]:
    """The MTA's queue lines that name one of our addresses (`mailq`, which exim and postfix give)."""
    listed = run("mailq")
    return [line for line in listed.stdout.splitlines() if any(login in line for login in LOGIN.values())]


def delivered(short: str) -> list[EmailMessage]:
    path = SPOOL / LOGIN[short]
    if not path.exists():
        return []
    box = mailbox.mbox(str(path), create=False)
    try:
        return [email.message_from_bytes(box.get_bytes(key), policy=default)  # type: ignore[misc]
                for key in box.iterkeys()]
    finally:
        box.close()


def diagnostics(work: Path) -> str:
    said = [f"cron running: {running_cron()}", f"crontab:\n{run('crontab', '-l').stdout}",
            f"mailq:\n{run('mailq').stdout}"]
    for name in ("rc.txt", "out.txt", "err.txt"):
        path = work / name
        said.append(f"{name}: {path.read_text() if path.exists() else '(none)'}")
    log = Path("/var/log/exim4/mainlog")
    if log.exists():
        said.append("exim mainlog (end):\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:]))
    return "\n".join(said)


def wait_for(what: str, ready: Any, bound: float, work: Path) -> None:
    """Polls `ready()` until it is true; `bound` seconds only bounds a failure."""
    end = time.monotonic() + bound
    while not ready():
        if time.monotonic() > end:
            pytest.fail(f"{what} not within {bound:.0f} s\n{diagnostics(work)}")
        time.sleep(0.5)


def recipients(msg: EmailMessage, header: str) -> list[str]:
    return [addr for _name, addr in getaddresses(msg.get_all(header, []))]


def ids_in(text: str) -> set[str]:
    return {rec for rec in R.values() if rec in text}


@pytest.fixture
def machine() -> Iterator[Path]:
    """Local users with empty mailboxes and a folder for the job's output; or a skip that says
    why not. All undone afterwards."""
    reason = why_not_here()
    if reason is not None:
        pytest.skip(reason)
    with ExitStack() as undo:
        undo.enter_context(local_users())
        reason = local_delivery_problem()
        if reason is not None:
            pytest.skip(reason)
        work = Path(tempfile.mkdtemp(prefix="track-mta."))
        undo.callback(shutil.rmtree, work, True)
        yield work


def test_remind_mail_through_a_real_mta_under_a_real_cron_daemon(cli: Cli, ledger_path: Path, machine: Path) -> None:
    work = machine
    owners: dict[str, Any] = {name: {"email": ADDRESS[short]} for short, name in USERS.items() if name is not None}
    owners["Head of Training"]["aliases"] = ["Director of Learning"]
    build(cli, ledger_path, owners=owners, remind={"keeper": ADDRESS["keeper"], "from": "track@localhost"})
    expected = {short: cli("remind", "--owner", name, "--format", "plain", "--as-of", AS_OF).stdout
                for short, name in USERS.items() if name is not None}
    whole = cli("remind", "--format", "plain", "--as-of", AS_OF).stdout
    crontab = Crontab(f"track-remind-mta-test:{os.getpid()}")
    with ExitStack() as undo:
        # the README's line, its output to files; `mkdir` lets it run once, however long it takes
        crontab.add(f"* * * * * mkdir {work}/ran 2>/dev/null && TRACK_LEDGER={ledger_path} {track_executable()} "
                    f"remind --mail --as-of {AS_OF} >{work}/out.txt 2>{work}/err.txt; echo $? >{work}/rc.txt")
        undo.callback(crontab.remove)
        # cron after the crontab: cron rereads crontabs when their folder's mtime (whole seconds)
        # differs from what it last read, so a line added in the second it started may never be seen
        undo.enter_context(cron())
        wait_for("cron did not run the job", lambda: (work / "rc.txt").exists() and
                 (work / "rc.txt").read_text().strip() != "", JOB_WAIT, work)
    # sendmail returned for every message before the job wrote rc.txt, so each is in the queue
    # or delivered; none of ours left in the queue means every delivery is done
    wait_for("the MTA did not deliver every message", lambda: not queued_for_us(), DELIVERY_WAIT, work)
    result = {name: (work / name).read_text() for name in ("rc.txt", "out.txt", "err.txt")}
    box = {short: delivered(short) for short in USERS}

    assert result == {"rc.txt": "0\n", "out.txt": "", "err.txt": ""}
    counts = {short: len(msgs) for short, msgs in box.items()}
    assert counts == {"hot": 1, "hotd": 1, "dls": 1, "estates": 0, "keeper": 1}

    for short, subject in (("hot", "track: 2 overdue, 0 due soon for Head of Training — ledger"),
                           ("hotd", "track: 0 overdue, 1 due soon for Head of Training and Development — ledger"),
                           ("dls", f"track: 1 overdue, 0 due soon for {SECURITE} — ledger")):
        msg = box[short][0]
        assert msg["To"] == f"{USERS[short]} <{ADDRESS[short]}>"
        assert recipients(msg, "To") == [ADDRESS[short]] and recipients(msg, "Cc") == []
        for envelope in ("Envelope-to", "Delivered-To"):  # what exim, or postfix, says it delivered to
            if msg[envelope] is not None:
                assert recipients(msg, envelope) == [ADDRESS[short]]
        assert msg["From"] == "track <track@localhost>"
        assert msg["Subject"] == subject
        assert msg["Auto-Submitted"] == "auto-generated"
        assert msg.get_content() == expected[short]
    assert ids_in(box["hot"][0].get_content()) == {R["R1"], R["R3"]}  # R3 by the alias; never R2
    assert ids_in(box["hotd"][0].get_content()) == {R["R2"]}
    assert ids_in(box["dls"][0].get_content()) == {R["R4"]}
    assert expected["estates"] == ""  # nothing to see, so nothing sent

    digest = box["keeper"][0]
    assert recipients(digest, "To") == [ADDRESS["keeper"]]
    assert digest["Subject"] == "track: 5 overdue, 1 due soon — ledger"
    assert digest.get_content() == (f"Mailed their own part: {SECURITE}, Head of Training, Head of Training and Development\n"
                                    "No address for: DCS Public Protection\n\n" + whole)
    assert ids_in(whole) == {R[r] for r in ("R1", "R2", "R3", "R4", "R6", "R7")}
    assert len({m["Message-ID"] for msgs in box.values() for m in msgs}) == 4

