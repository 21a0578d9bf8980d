"""The mail `track remind --mail` sends: each owner's part of the reminders, and the digest
(the whole of them) for the ledger's keeper, as messages built with the standard library's
email package: plain text (remind's plain format), UTF-8, with From, To, Date, Message-ID and
a subject that counts what is overdue. Sending them is the command line's (cli/mail.py)."""

from __future__ import annotations

import io
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, localtime, make_msgid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime

    from track.domain.reminders import Reminders

from track.domain.record import Record
from track.views import remind as remind_view
from track.views.formats import one_line

# How a message is written to sendmail's standard input and to an .eml file: SMTP's policy
# (headers encoded as RFC 2047 asks), with the local newline that `sendmail -t` reads and a
# file keeps, and headers left unfolded: Python 3.11's folder breaks a header where ASCII words
# meet an encoded one ("Development \n =?utf-8?...", "S\n =?utf-8?b?w6ljdXJpdMOp?="), which reads
# back with a space too many or one in the middle of a word; one line (up to 998 bytes) is whole.
WRITTEN = SMTP.clone(linesep="\n", max_line_length=None)


class Letter(Record):
    """One message to send: to an owner (`owner` their name) or the digest (`owner` None)."""

    _fields = ("owner", "to", "message")

    def __init__(self, owner: str | None, to: str, message: EmailMessage) -> None:
        self.owner = owner
        self.to = to
        self.message = message

    def as_bytes(self) -> bytes:
        return self.message.as_bytes(policy=WRITTEN)


def body(r: Reminders) -> str:
    """The reminders as `track remind --format plain` writes them."""
    out = io.StringIO()
    remind_view.show(r, "plain", out)
    return out.getvalue()


def subject(r: Reminders) -> str:
    """'track: 3 overdue, 2 due soon — met-police' (then what else there is: stale items,
    recommendations awaiting a response); an owner's part names them."""
    said = [f"{len(r.overdue_hits)} overdue", f"{len(r.due_soon_hits)} due soon"]
    awaiting = sum(len(x.awaiting) for x in r.responses_due)
    if awaiting:
        said.append(f"{awaiting} awaiting a response")
    if r.stale_hits:
        said.append(f"{len(r.stale_hits)} stale")
    if r.action_overdue_hits or r.action_due_soon_hits:
        said.append(f"actions: {len(r.action_overdue_hits)} overdue, {len(r.action_due_soon_hits)} due soon")
    whose = f" for {one_line(r.owner)}" if r.owner is not None else ""
    return f"track: {', '.join(said)}{whose} — {one_line(r.ledger)}"


def message(sender: str, to: str, to_name: str | None, subject_text: str, text: str,
            when: datetime | None = None) -> EmailMessage:
    """A plain-text UTF-8 message from `sender` to `to` (named `to_name`, when given)."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = Address("track", addr_spec=sender)
    msg["To"] = Address(one_line(to_name), addr_spec=to) if to_name else Address(addr_spec=to)
    msg["Subject"] = subject_text
    msg["Date"] = format_datetime(when or localtime())
    msg["Message-ID"] = make_msgid("track", domain=sender.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a reminder
    # 8bit keeps the text as it reads (an .eml, a mailbox); a line too long for it (998 bytes) is
    # sent quoted-printable instead
    long = any(len(line.encode()) > 998 for line in text.splitlines())
    msg.set_content(text, charset="utf-8", cte="quoted-printable" if long else "8bit")
    return msg


def digest_preface(mailed: list[str], no_address: list[str]) -> str:
    """What the keeper is told before the whole reminders: who got their part by mail, and the
    owners with something to see but no address (they got nothing)."""
    lines = []
    if mailed:
        lines.append(f"Mailed their own part: {', '.join(map(one_line, mailed))}")
    if no_address:
        lines.append(f"No address for: {', '.join(map(one_line, no_address))}")
    return "\n".join(lines) + "\n\n" if lines else ""


def letters(whole: Reminders | None, parts: list[tuple[str, str | None, Reminders]], sender: str,
            keeper: str | None, no_address: list[str]) -> list[Letter]:
    """The messages: one to each (owner, address, part) with an address, then the digest of
    `whole` to the keeper (when given both)."""
    when = localtime()
    out = [Letter(owner, to, message(sender, to, owner, subject(part), body(part), when))
           for owner, to, part in parts if to is not None]
    if whole is not None and keeper is not None:
        text = digest_preface([owner for owner, to, _ in parts if to is not None], no_address) + body(whole)
        out.append(Letter(None, keeper, message(sender, keeper, None, subject(whole), text, when)))
    return out
