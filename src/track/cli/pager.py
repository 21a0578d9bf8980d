"""Output longer than the screen goes through a pager, as git's does: $TRACK_PAGER, else
$PAGER, else `less -FRX`; only when stdout is a terminal (never piped, never under cron), not
with --no-pager, and not when the pager is set to "" or "cat". The output is held until it
fills the screen, so that a short one is written as it is and no pager is started for it."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from typing import Any, TextIO

DEFAULT = "less"
LESS = "FRX"  # quit if one screen, colours as they are, leave the screen as it is


def command() -> str | None:
    """The pager to run, or None for none."""
    for name in ("TRACK_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            return None if value.strip() in ("", "cat") else value
    import shutil

    return DEFAULT if shutil.which(DEFAULT) else None


class Paged:
    """Stands in for sys.stdout: holds what is written until it is taller than the screen,
    then starts the pager and sends it everything; `finish` writes out what was held (a short
    output) or closes the pager and waits for the reader to quit it."""

    def __init__(self, stream: TextIO, pager: str, rows: int) -> None:
        self.stream = stream
        self.pager = pager
        self.rows = rows
        self.held: list[str] = []
        self.lines = 0
        self.process: subprocess.Popen[str] | None = None
        self.encoding = stream.encoding
        self.errors = stream.errors

    def write(self, text: str) -> int:
        if self.process is not None:
            assert self.process.stdin is not None
            try:
                return self.process.stdin.write(text)
            except BrokenPipeError:  # the reader quit the pager: the command has nothing more to do
                raise SystemExit(0) from None
        self.held.append(text)
        self.lines += text.count("\n")
        if self.lines >= self.rows:
            self._start()
        return len(text)

    def _start(self) -> None:
        import subprocess

        # The reader may spend minutes in the pager: let go of the ledger's shared lock (every
        # command has read what it shows before it writes), so that cron's changes need not wait.
        from track.store import disk

        disk.read_unlock()
        env = dict(os.environ)
        env.setdefault("LESS", LESS)
        env.setdefault("LV", "-c")
        self.stream.flush()
        try:
            self.process = subprocess.Popen(self.pager, shell=True, stdin=subprocess.PIPE, env=env, text=True,
                                            encoding=self.stream.encoding or "utf-8", errors="replace")
        except OSError:  # no shell, or no such program: the terminal gets it as it is
            self.pager = ""
            self.rows = sys.maxsize
            return
        assert self.process.stdin is not None
        try:  # more than a pipe holds, and the pager may have been quit already
            self.process.stdin.write("".join(self.held))
        except BrokenPipeError:
            raise SystemExit(0) from None
        self.held = []

    def flush(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            try:
                self.process.stdin.flush()
            except BrokenPipeError:
                raise SystemExit(0) from None

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.stream.fileno()

    def finish(self) -> None:
        if self.process is None:
            self.stream.write("".join(self.held))
            self.held = []
            self.stream.flush()
            return
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
        except BrokenPipeError:  # the reader quit the pager before the end: nothing more to say
            pass
        self.process.wait()

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes too go through write, so that they reach the pager in order
            raise AttributeError(name)
        return getattr(self.stream, name)


def start() -> None:
    """Put stdout through the pager when it is a terminal and a pager is set (run.start has
    already left out --no-pager)."""
    stream = sys.stdout
    if isinstance(stream, Paged):
        return
    try:
        if not os.isatty(stream.fileno()):
            return
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    pager = command()
    if pager is None:
        return
    import shutil

    rows = shutil.get_terminal_size().lines
    sys.stdout = Paged(stream, pager, max(rows - 1, 1))


def finish() -> None:
    """Write out or close what `start` put in place, and give stdout back."""
    stream = sys.stdout
    if isinstance(stream, Paged):
        sys.stdout = stream.stream
        try:
            stream.finish()
        except BrokenPipeError:
            pass
