"""Running a command on a pseudo-terminal, as a person meets it (the pager and the terminal
tables' tests)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time


def on_terminal(command: list[str], env: dict[str, str], size: tuple[int, int] | None = None) -> tuple[int, str]:
    """Runs `command` with a pseudo-terminal as its stdin, stdout and stderr, of `size`
    (columns, rows) when given: (exit code, what the terminal received, CRLF read as LF)."""
    master, slave = pty.openpty()
    if size is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60  # only a hung command gets near this
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the process is gone
            break
        if not data:
            break
        out += data
    code = process.wait(timeout=60)
    os.close(master)
    return code, out.decode("utf-8").replace("\r\n", "\n")
