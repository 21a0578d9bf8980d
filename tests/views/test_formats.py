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


HOSTILE = "<img src=x onerror=alert(1)>\n# Heading\n- **owner**: Someone else\n1. item | cell"


def test_markdown_carries_no_html_heading_or_fake_field_from_what_people_wrote(met: Cli) -> None:
    met("add", "hmic-2016-met-cp", "--ref", "R99", "--text", HOSTILE, "--owner", "<b>boss</b>")
    met("update", "hmic-2016-met-cp/R99", "--note", "<script>alert(1)</script> *bold* [link](http://x)")
    for args in (["show", "hmic-2016-met-cp/R99"], ["list"], ["history"], ["report", "--by", "owner"]):
        text = met(*args, "--format", "markdown").stdout
        assert not re.search(r"(?<!\\)<[a-z/]", text), args  # every < escaped: no tag survives
        lines = text.splitlines()
        assert "# Heading" not in lines and "- **owner**: Someone else" not in lines, args
    shown = met("show", "hmic-2016-met-cp/R99", "--format", "markdown").stdout
    assert "\\# Heading" in shown and "\\- \\*\\*owner\\*\\*: Someone else" in shown and "1\\. item \\| cell" in shown
    assert "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[link\\](http://x)" in shown


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\tindent"])
def test_csv_never_hands_a_spreadsheet_a_formula(met: Cli, text: str) -> None:
    import csv
    import io

    met("add", "hmic-2016-met-cp", "--ref", "R99", "--text", text, "--owner", text.strip() or "x")
    met("update", "hmic-2016-met-cp/R99", "--note", text)
    for args in (["list"], ["history"], ["list", "--search", "R99"]):
        rows = list(csv.reader(io.StringIO(met(*args, "--format", "csv").stdout)))
        cells = [cell for row in rows[1:] for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells), (args, cells)
        assert "'" + text in cells, args  # the text itself is all there, behind one '
    listing = list(csv.DictReader(io.StringIO(met("list", "--format", "csv").stdout)))
    assert {row["days_overdue"] for row in listing} >= {"0"}  # numbers stay numbers
