"""How output looks on a terminal: colour by rich's rules, none on a dumb terminal or with
NO_COLOR, and the same table either way."""

from __future__ import annotations

import re

import pytest
from conftest import Cli

ESCAPE = re.compile(r"\x1b")
COMMANDS = [["list"], ["show", "hmic-2016-met-cp/R1"], ["report"], ["history"], ["remind"], ["reports", "list"], ["report", "--grades"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("term", ["dumb", "unknown", "DUMB"])
def test_a_dumb_terminal_gets_no_escape_codes(met: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str], term: str) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert ESCAPE.search(met(*args).stdout)
    monkeypatch.setenv("NO_COLOR", "1")
    uncoloured = met(*args).stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", term)
    dumb = met(*args).stdout
    assert not ESCAPE.search(dumb)
    assert dumb == uncoloured  # the terminal's table, as NO_COLOR draws it


def test_no_color_removes_colour_but_keeps_the_table(met: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = met("list").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = met("list").stdout
    assert ESCAPE.search(coloured) and not ESCAPE.search(plain)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
