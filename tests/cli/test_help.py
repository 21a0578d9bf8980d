"""Every command's help: placeholders a person reads (ID, DATE, TEXT, STATUS ...), never a
type label such as <str> or a {REQUIRED} brace, and an example on every command."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from track.cli.app import app

COMMANDS = [[], ["init"], ["reports"], ["reports", "add"], ["reports", "list"], ["reports", "show"],
            ["reports", "update"], ["action", "add"], ["action", "done"], ["action", "update"], ["add"], ["update"], ["list"], ["show"], ["check"], ["undo"], ["redo"], ["remind"],
            ["report"], ["history"], ["import"], ["export"], ["merge-driver"], ["edit"], ["remove"], ["publish"], ["owners"]]


def help_text(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100"}, prog_name="track")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) or "track" for a in COMMANDS])
def test_help_names_values_by_placeholders(args: list[str]) -> None:
    text = help_text(args)
    assert not re.search(r"<[a-z]+(\[[a-z]+\])?>", text), text
    assert not re.search(r"\{[A-Z|]+\}", text), text
    for line in text.splitlines():
        # Typer's rich help: a row of the options panel is "│ --name  -n  PLACEHOLDER  help │"
        cells = re.split(r"\s{2,}", line.strip("│ \n"))
        if cells[0].startswith("--"):
            rest = cells[1:]
            if rest and re.fullmatch(r"-\w", rest[0]):
                rest = rest[1:]
            if len(rest) > 1:  # an option that takes a value names it in capitals
                assert re.fullmatch(r"[A-Z][A-Z_=|.]*", rest[0]), line


@pytest.mark.parametrize("args", [a for a in COMMANDS if a not in ([], ["reports"], ["action"])], ids=lambda a: " ".join(a))
def test_every_command_has_an_example(args: list[str]) -> None:
    assert "Example" in help_text(args)


def test_the_usage_line_names_required_arguments_plainly() -> None:
    assert help_text(["show"]).lstrip().startswith("Usage: track show [OPTIONS] ID ")
    assert help_text(["merge-driver"]).lstrip().startswith("Usage: track merge-driver [OPTIONS] BASE OURS THEIRS [PATH] ")
    assert re.search(r"\n│ \*\s+ID\s+REPORT/REF, a unique prefix of it", help_text(["show"]))
