"""Working as a team: `track import`, `track export` and `track merge-driver`.

Registered on the app by the last lines of cli.py. This declares the command lines; the
bodies are exchange_commands.import_ / export (the row formats are in exchange.py) and
gitstore_commands.merge_driver (the merge itself is in merge.py).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import complete, exchange_commands, gitstore_commands
from .cli import app, runs


@app.command("import")
@runs(exchange_commands.import_)
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A CSV or JSON file (JSON as `track export` writes it); - reads standard input.")],
    report: Annotated[Optional[str], typer.Option(metavar="REPORT", autocompletion=complete.report_ids, help="The report for rows whose report column is empty or missing.")] = None,
    create_reports: Annotated[bool, typer.Option("--create-reports", help="Add reports the ledger lacks, from the report_* columns (CSV) or the file's reports (JSON).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Say what would be added and changed, and write nothing.")] = False,
    day_first: Annotated[bool, typer.Option("--day-first", help="Read dates such as 01/02/2024 as day/month/year, as in the UK (without it they are refused as ambiguous; 13/02/2024 is read either way).")] = False,
    format: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.import_formats, help="csv or json. Default: from the file's name, else from its first character.")] = None,
) -> None:
    """Add recommendations (and their events, and with --create-reports their reports) from a
    CSV or JSON file. All or nothing: one bad row, named by line, column and value, and nothing
    is written. A recommendation already in the ledger gains the events it lacks. The columns
    (report, ref, kind, text, owner, tags, due, status, response, date, note, report_title ...)
    are listed in the README, under Import and export.

    \b
    Example: track import hmicfrs-2024.csv --report hmicfrs-2024-met-peel --dry-run
    """


@app.command()
@runs(exchange_commands.export)
def export(
    ctx: typer.Context,
    format: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.export_formats, help="json (default) or csv.")] = None,
    report: Annotated[Optional[list[str]], typer.Option("--report", metavar="REPORT", autocompletion=complete.report_ids, help="Only this report (repeatable). Default: every report.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Export the ledger as it stood at the end of DATE: the reports published and the events recorded by then.")] = None,
) -> None:
    """Write the whole ledger (every report, recommendation and event) as JSON or CSV to
    standard output. `track import --create-reports` of it into an empty ledger gives the same
    report files, byte for byte.

    \b
    Example: track export --format csv > ledger.csv
    """


@app.command("merge-driver")
@runs(gitstore_commands.merge_driver)
def merge_driver(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(metavar="BASE", help="The common ancestor's version (git's %O).")],
    ours: Annotated[str, typer.Argument(metavar="OURS", help="Our version, where the result is written (git's %A).")],
    theirs: Annotated[str, typer.Argument(metavar="THEIRS", help="Their version (git's %B).")],
    path: Annotated[str, typer.Argument(metavar="PATH", help="The file's path in the work tree (git's %P), for messages.")] = "",
) -> None:
    """git's merge driver for report files: merges two sides' changes by recommendation and by
    event, so that events added on both sides are all kept. Exit 0 when merged; 1 with
    conflict markers left in OURS when both sides changed the same field differently.

    \b
    Set up by `track init --git`, or by hand:
      .gitattributes:  reports/*.toml merge=track
      git config merge.track.name "track report merge"
      git config merge.track.driver "track merge-driver %O %A %B %P"
    """
