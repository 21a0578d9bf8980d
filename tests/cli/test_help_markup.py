"""Help is text as written, not rich markup: a `[section]` of track.toml named in a command's
or an option's help appears in `--help` (rich would take `[remind]` for a tag and drop it),
and a command's line in the list of commands is the first sentence of its help, on one line."""

from __future__ import annotations

import re
from typing import Any

import typer
from conftest import Cli

from track.cli.app import app

TAG = re.compile(r"\[[a-z#/@][^\[\]]*\]")


def commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    out = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        out += commands(sub, (*path, name))
    return out


def flat(text: str) -> str:
    """The help as one line of words: rich's boxes and wrapping taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_every_bracketed_name_in_help_is_shown(cli: Cli) -> None:
    seen = 0
    for path, command in commands(typer.main.get_command(app)):
        texts = [command.help or ""] + [getattr(p, "help", None) or "" for p in command.params]
        wanted = {tag for text in texts for tag in TAG.findall(text.replace("\\[", "["))}
        if not wanted:
            continue
        shown = flat(cli(*path, "--help", env={"COLUMNS": "250"}, ledger=False).stdout)
        for tag in wanted:
            assert " ".join(tag.split()) in shown, (path, tag)
            seen += 1
    assert seen >= 10  # remind, owners, add --set, list --columns, ... name track.toml's sections


def test_the_list_of_commands_gives_each_its_first_sentence_on_one_line(cli: Cli) -> None:
    shown = cli("--help", env={"COLUMNS": "100"}, ledger=False).stdout
    rows = [line for line in shown.splitlines() if line.startswith("│ ")]
    remind = next(i for i, line in enumerate(rows) if line.startswith("│ remind "))
    text = flat(" ".join(rows[remind:remind + 2]))
    assert text == ("remind Say what needs attention: overdue and due-soon recommendations and actions, response "
                    "clocks running out, follow-up reports the schedules expect, stale items.")
    assert rows[remind + 2].startswith("│ owners ")
    owners = flat(cli("--help", env={"COLUMNS": "100"}, ledger=False).stdout)
    assert 'owners List the owners: every one track.toml declares ([owners."NAME"] with email and aliases)' in owners
