"""What every command's body shares: the ledger it runs on (`Run`), printing, failures as one
line and their exit codes, and the parsing of values common to several commands. No typer here:
the fast path (fastpath.py) calls the bodies directly."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # no typing or datetime to import for --version
    from datetime import date
    from typing import Any

from track import __version__
from track.domain.errors import BadValue, TrackError

# --------------------------------------------------------------------------- running


class Run:
    """What every body gets: which ledger (--ledger), opened when first asked for."""

    def __init__(self, ledger_path: str | None = None) -> None:
        self.ledger_path = ledger_path
        self._ledger: Any = None

    @property
    def ledger(self) -> Any:
        if self._ledger is None:
            from track.ledger import Ledger

            self._ledger = Ledger.find(self.ledger_path)
            self._ledger.hold_reading()  # a command never sees half of another's change
        return self._ledger

    def close(self) -> None:
        """At the end of the command: let go of the ledger's shared lock."""
        if self._ledger is not None:
            self._ledger.let_go()


def echo(message: str = "", err: bool = False) -> None:
    """click.echo for text: the message and a newline, flushed; ANSI codes removed unless
    the stream is a terminal."""
    stream = sys.stderr if err else sys.stdout
    text = f"{message}\n"
    if "\x1b" in text and not _isatty(stream):
        import re

        text = re.sub(r"\033\[[;?0-9]*[a-zA-Z]", "", text)
    stream.write(text)
    stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except Exception:
        return False


def failure(error: BaseException) -> int | None:
    """Says what went wrong, in one line on stderr, and returns the exit code; None when the
    error must propagate (a bug under TRACK_DEBUG=1). Used by both paths: cli.TrackGroup and
    the fast path."""
    from track.views.formats import one_line

    if isinstance(error, TrackError):
        echo(f"track: {one_line(str(error))}", err=True)
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        echo("track: interrupted", err=True)
        return 130
    if isinstance(error, BrokenPipeError):
        # `track list | head`: the reader left; say nothing more.
        silence_stdout()
        return 1
    if os.environ.get("TRACK_DEBUG"):
        return None
    echo(f"track: internal error: {type(error).__name__}: {one_line(str(error))} (set TRACK_DEBUG=1 to see where)",
         err=True)
    return 1


def silence_stdout() -> None:
    """After a broken pipe: whatever is still buffered goes nowhere, quietly, at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


# --------------------------------------------------------------------------- the group


def start(run: Run, *, ledger: str | None, version: Any, no_pager: bool = False) -> None:
    """The options before the command. (--version is done by its callback, show_version.)"""
    run.ledger_path = ledger
    if not no_pager and _isatty(sys.stdout):  # a terminal: long output goes through the pager
        from track.cli import pager

        pager.start()


def show_version(value: bool) -> None:
    """The --version callback."""
    if value:
        echo(f"track {__version__}")
        raise SystemExit(0)


# --------------------------------------------------------------------------- shared helpers


def as_of_date(ledger: Any, text: str | None) -> date:
    """The day an --as-of TEXT names (its month's last day for a month), else today."""
    from track.domain.dates import parse_date

    today = ledger.today()
    return parse_date(text, base=today, month="end", what="--as-of") if text else today


def pairs(values: list[str] | None, what: str, number: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value in values or []:
        key, sep, raw = value.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep or not key or not raw:
            raise BadValue(f"{what} {value!r} must be written KEY=VALUE")
        if number:
            try:
                out[key] = int(raw.replace(",", ""))
                if not -(2**63) <= out[key] < 2**63:
                    raise BadValue(f"{what} {value!r}: {raw!r} is too large for a TOML integer")
            except ValueError:
                try:
                    out[key] = float(raw)
                except ValueError:
                    raise BadValue(f"{what} {value!r}: {raw!r} is not a number") from None
        else:
            out[key] = raw
    return out
