"""Progress bars for long work: rich's, on stderr, on a terminal only and only when the work
is long; a callback `progress(done, total)` for the code below to call."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ProgressCallback = Callable[[int, int], None]  # progress(done, total)

MIN_ITEMS = 2000  # this many items: a bar from the start
DELAY = 0.3  # seconds: fewer items still get a bar once the work has taken this long


@contextmanager
def bar(label: str, total: int | None = None, enabled: bool | None = None) -> Iterator[ProgressCallback]:
    """A `progress(done, total)` callback drawing a bar labelled `label` on stderr while the
    block runs, and erasing it at the end (also on an error or Ctrl-C). `total` is what is
    known before the work starts (the callback's own total replaces it); `enabled` None
    means "if stderr is a terminal", False never draws."""
    if enabled is None:
        enabled = wanted()
    if not enabled:
        yield _nothing
        return
    shown = _Bar(label, total)
    try:
        yield shown.update
    finally:
        shown.close()


def wanted() -> bool:
    """Whether stderr can show a live bar, by rich's rules: a terminal (formats.is_terminal),
    and an interactive one: not TTY_INTERACTIVE=0, not a dumb one (TERM=dumb or unknown)."""
    import os
    import sys

    from track.views.formats import is_terminal

    if os.environ.get("TTY_INTERACTIVE") == "0" or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return False
    return is_terminal(sys.stderr)


def _nothing(done: int, total: int) -> None:
    pass


def delay() -> float:
    """DELAY, or $TRACK_BAR_DELAY seconds where set (0: at once; tests use it so that whether
    a bar shows never depends on how fast the machine is)."""
    import os

    try:
        value = float(os.environ.get("TRACK_BAR_DELAY", DELAY))
    except ValueError:
        return DELAY
    return value if value >= 0 else DELAY


class _Bar:
    def __init__(self, label: str, total: int | None) -> None:
        self.label = label
        self.total = total
        self.started = time.monotonic()
        self.delay = delay()
        self.progress: Any = None  # rich.progress.Progress, once shown
        self.task: Any = None

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        if self.progress is None:
            if self.total is not None and done >= self.total:
                return  # finished: nothing to show
            if (self.total or 0) < MIN_ITEMS and time.monotonic() - self.started < self.delay:
                return
            self._show(done)
        else:
            self.progress.update(self.task, completed=done, total=self.total)

    def _show(self, done: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        self.task = self.progress.add_task(self.label, total=self.total, completed=done)
        self.progress.start()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
