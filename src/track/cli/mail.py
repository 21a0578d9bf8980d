"""Mailing the reminders (`track remind --mail`): which messages go to whom, and sending each
through the system's sendmail (`/usr/sbin/sendmail -t -oi`, the interface every MTA provides,
or the command in $TRACK_SENDMAIL), or writing them as .eml files for a dry run. A message
that cannot be sent is said on stderr and the others still go."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from track.domain.owners import Directory
    from track.domain.reminders import Reminders
    from track.views.mail import Letter

from track.cli.run import echo
from track.domain.errors import BadValue, Refused

SENDMAIL = ["/usr/sbin/sendmail", "-t", "-oi"]
TIMEOUT = 120  # seconds one message may take to hand over


def sendmail_command() -> list[str]:
    """$TRACK_SENDMAIL (a command line, split as a shell would) if set, else sendmail -t -oi:
    the message on standard input, its recipients read from its headers."""
    given = os.environ.get("TRACK_SENDMAIL", "").strip()
    return shlex.split(given) if given else list(SENDMAIL)


def send(letter: Letter) -> str | None:
    """Hands one message to sendmail: None when it took it, else what went wrong."""
    argv = sendmail_command()
    try:
        done = subprocess.run(argv, input=letter.as_bytes(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        return f"{argv[0]} not found (install a mail transfer agent, or set $TRACK_SENDMAIL)"
    except subprocess.TimeoutExpired:
        return f"{argv[0]} took more than {TIMEOUT} s"
    except OSError as error:
        return f"{argv[0]}: {error.strerror}"
    if done.returncode != 0:
        said = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        return f"{argv[0]} exited {done.returncode}" + (f": {said[-1].strip()}" if said else "")
    return None


def file_name(owner: str | None, taken: set[str]) -> str:
    """digest.eml, or the owner's name made a file name (head-of-training.eml), unique in the folder."""
    from unicodedata import normalize

    plain = normalize("NFKD", owner or "").encode("ascii", "ignore").decode().casefold()  # Sécurité -> securite
    stem = "digest" if owner is None else (re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "owner")
    name, n = f"{stem}.eml", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.eml"
    taken.add(name)
    return name


def address_option(value: str | None) -> str | None:
    from track.store import disk

    if value is not None and disk.address_problem("--keeper", value):
        raise BadValue(f"--keeper {value!r} is not one e-mail address, such as 'name@example.org'")
    return value


def mail(ledger: Any, found: Reminders, directory: Directory, *, owner: str | None, keeper: str | None,
         folder: str | None) -> int:
    """Sends (or, with `folder`, writes) each owner's part to those with an address and
    something to see, and the digest to the keeper; with `owner`, that owner's part alone.
    Returns how many messages failed, each said on stderr."""
    from track.domain import owners as owned
    from track.store import disk
    from track.views import mail as mail_view

    keeper = address_option(keeper) or disk.remind_address(ledger.root, ledger.settings, "keeper")
    sender = disk.remind_address(ledger.root, ledger.settings, "from") or f"track@{socket.gethostname() or 'localhost'}"
    if owner is None and keeper is None:
        raise BadValue("remind --mail sends the digest to the ledger's keeper: set [remind] keeper = \"ADDRESS\" "
                       "in track.toml, or give --keeper ADDRESS")
    if owner is not None:
        declared = directory.declared(owner)
        if declared is None or declared.email is None:
            raise Refused(f"no address for {owner!r}: set email in [owners.\"{owner}\"] in track.toml")
    if found.empty:
        return 0
    parts = owned.parts(found, directory)
    if owner is not None:
        parts = {k: v for k, v in parts.items() if k == owned.key(owner)}
    entries: list[tuple[str, str | None, Reminders]] = []
    no_address: list[str] = []
    for part in sorted(parts.values(), key=lambda p: (owned.key(p.owner or ""), p.owner)):
        declared = directory.declared(part.owner or "")
        email = declared.email if declared is not None else None
        entries.append((part.owner or "", email, part))
        if email is None:
            no_address.append(part.owner or "")
    letters = mail_view.letters(None if owner is not None else found, entries, sender, keeper, no_address)
    failed = 0
    if folder is not None:
        place = Path(folder)
        try:
            place.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise Refused(f"{folder}: cannot make the folder: {error.strerror}") from None
        taken: set[str] = set()
        for letter in letters:
            path = place / file_name(letter.owner, taken)
            try:
                path.write_bytes(letter.as_bytes())
            except OSError as error:
                echo(f"track: {_whom(letter)}: not written to {path}: {error.strerror}", err=True)
                failed += 1
                continue
            echo(f"{path}  to {letter.to}")
        return failed
    for letter in letters:
        problem = send(letter)
        if problem is not None:
            echo(f"track: {_whom(letter)}: not sent: {problem}", err=True)
            failed += 1
    return failed


def _whom(letter: Letter) -> str:
    from track.views.formats import one_line

    return f"mail to {one_line(letter.owner)} <{letter.to}>" if letter.owner is not None else f"digest to <{letter.to}>"
