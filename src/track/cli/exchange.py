"""track import, export and merge-driver: the ledger in and out of other files, and git's merges."""

import codecs
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from typer import Typer

from track.cli.run import Run, as_of_date, echo
from track.domain.errors import BadValue, TrackError
from track.exchange.export import FILE_FORMATS


def import_(run: Run, *, file: str, report: str | None, create_reports: bool, dry_run: bool, day_first: bool,
            format: str | None, raw: bool = False) -> None:
    from track.exchange import importing
    from track.exchange import rows as row_files

    fmt = _import_format(file, format)
    name = "<stdin>" if file == "-" else file
    text = None
    skip = 0
    if file == "-" or fmt == "json":
        text = _read(file, name)
    else:  # a CSV file is read as the import goes, never held whole
        skip, start = _checked(file, name)
        if fmt is None and start.startswith("{"):
            text = _read(file, name)
    if fmt is None:
        fmt = "json" if text is not None and text.lstrip("\ufeff \t\r\n").startswith("{") else "csv"
    if fmt == "json" and report:
        raise BadValue("--report is for CSV rows without a report column; a JSON export names its reports")
    if fmt == "json" and raw:
        raise BadValue("--raw is for CSV: JSON's strings are read as they are")
    ledger = run.ledger
    try:
        own = tuple((key, field.label) for key, field in ledger.fields.items())
        if text is None:
            rows = row_files.CsvRows(file, name, raw=raw, skip=skip, own=own).scan()
        else:
            rows = row_files.read_json(text, name) if fmt == "json" else row_files.read_csv(text, name, raw=raw, own=own)
        from track.views.bars import bar  # drawn on a terminal only, for a long import

        with bar("importing", len(rows)) as progress:
            plan = importing.import_rows(ledger, rows, name=name, report=report, create_reports=create_reports,
                                          dry_run=dry_run, day_first=day_first, progress=progress)
    except row_files.ImportProblems as error:
        most = 20
        for line in error.problems[:most]:
            echo(f"track: {line}", err=True)
        more = len(error.problems) - most
        if more > 0:
            echo(f"track: ... and {more:,} more", err=True)
        count = len(error.problems)
        echo(f"track: {count:,} problem{'s' if count != 1 else ''} in {name}; nothing was written", err=True)
        raise SystemExit(1) from None
    if dry_run:
        for line in plan.lines():
            echo(line)
        echo(f"dry run: {plan.summary()}; nothing was written")
    else:
        for line in plan.notices:
            echo(line)
        echo(f"imported {name}: {plan.summary()}")


def _import_format(file: str, format: str | None) -> str | None:
    if format is not None:
        fmt = format.strip().lower()
        if fmt not in FILE_FORMATS:
            raise BadValue(f"unknown format {format!r}: use csv or json")
        return fmt
    ext = os.path.splitext(file)[1].lower()
    return {".csv": "csv", ".json": "json", ".tsv": "csv", ".txt": None}.get(ext)


def _checked(file: str, name: str) -> tuple[int, str]:
    """A file's byte-order marks to pass over (one, as utf-8-sig decodes, and one more, as
    read_csv takes off) and its start, once it is known to be UTF-8 all through (refused as
    _read refuses it), read a quarter of a megabyte at a time."""
    bom = b"\xef\xbb\xbf"
    try:
        with open(file, "rb") as f:
            head = f.read(6)
            skip = 3 if head.startswith(bom) else 0
            if skip and head[3:] == bom:
                skip = 6
            first = 3 if skip else 0  # where utf-8-sig counts from
            f.seek(first)
            start = ""
            lines = 0
            done = first
            while True:
                chunk = f.read(1 << 18)
                if not chunk:
                    break
                chunk += f.readline()  # to a line's end: a UTF-8 character never holds a \n
                try:
                    decoded = chunk.decode("utf-8")
                except UnicodeDecodeError as error:
                    line = lines + chunk.count(b"\n", 0, max(error.start - first, 0)) + 1
                    f.seek(done - first + error.start)  # the byte _read names (utf-8-sig's offset)
                    raise TrackError(f"{name}:{line}: not UTF-8 text (byte {f.read(1)[0]:#04x}); "
                                     "save it as 'CSV UTF-8' or UTF-8 JSON") from None
                if not start:  # the first of it that is not blank, for telling JSON from CSV
                    start = decoded.lstrip("\ufeff \t\r\n")[:4096]
                lines += chunk.count(b"\n")
                done += len(chunk)
    except OSError as error:
        raise TrackError(f"{name}: cannot read: {error.strerror}") from None
    return skip, start


def _read(file: str, name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if file == "-" else open(file, "rb").read()
    except OSError as error:
        raise TrackError(f"{name}: cannot read: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TrackError(f"{name}:{line}: not UTF-8 text (byte {data[error.start]:#04x}); "
                         "save it as 'CSV UTF-8' or UTF-8 JSON") from None


def export(run: Run, *, format: str | None, report: list[str] | None, as_of: str | None, raw: bool = False) -> None:
    from track.exchange import export

    fmt = (format or "json").strip().lower()
    if fmt not in FILE_FORMATS:
        raise BadValue(f"unknown format {format!r}: use json or csv")
    if raw:
        if fmt != "csv":
            raise BadValue("--raw is for --format csv: JSON's strings are written as they are")
        fmt = export.RAW_CSV
    ledger = run.ledger
    day = as_of_date(ledger, as_of) if as_of else None
    ids = sorted({ledger.report(r).id for r in report}) if report else sorted(ledger.reports)
    out = sys.stdout
    out.flush()
    binary = getattr(out, "buffer", None)  # UTF-8 goes out as it is where stdout writes UTF-8
    try:
        utf8 = binary is not None and codecs.lookup(out.encoding).name == "utf-8"
    except (LookupError, TypeError):
        utf8 = False
    own = tuple((name, field.label) for name, field in ledger.fields.items())
    export.write_export(binary if utf8 else _Text(out), ledger.root, ids, fmt, day, ledger_name=ledger.name,
                          use_index=ledger.use_cache, own=own)
    out.flush()


class _Text:
    """UTF-8 bytes written to a text stream that does not write UTF-8."""

    def __init__(self, stream: "TextIO") -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> None:
        self.stream.write(self.decoder.decode(data))

    def flush(self) -> None:
        self.stream.flush()


def merge_driver(run: Run, *, base: str, ours: str, theirs: str, path: str) -> None:
    """git calls it as `track merge-driver %O %A %B %P`: the merged file goes to OURS; exit 0
    when merged, 1 with the conflict left in OURS (between markers) when both sides changed
    the same field differently, or when a version cannot be read as a report (then OURS holds
    git's own line merge)."""
    from pathlib import Path

    from track.domain.errors import InvalidLedger
    from track.exchange import merge
    from track.store import disk

    shown = path or ours
    name = Path(shown).name
    report_id = name[:-5] if name.endswith(".toml") and len(name) > 5 else "report"
    try:
        texts = [disk.read_text(Path(file), side) for side, file in
                 (("base", base), ("ours", ours), ("theirs", theirs))]
        outcome = merge.merge_texts(*texts, report_id=report_id)
    except (merge.Unreadable, InvalidLedger) as error:
        from track.store import gitstore

        clean = gitstore.line_merge(base, ours, theirs)
        left = "git's line merge" + ("" if clean else " with its conflict markers")
        raise merge.MergeConflict(f"{shown}: cannot merge it as a report ({error}); it holds {left}: "
                                  "check it, then run `track check`") from None
    disk.atomic_write(Path(ours), outcome.text)
    if outcome.conflicts:
        fields = ", ".join(outcome.conflicts)
        raise merge.MergeConflict(f"{shown}: both sides changed {fields} differently; both versions are in the file "
                                  "between <<<<<<< ours and >>>>>>> theirs: keep one, then run `track check`")


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import runs

    @app.command("import")
    @runs(import_)
    def import_command(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="A CSV or JSON file (JSON as `track export` writes it); - reads standard input.")],
        report: Annotated[Optional[str], typer.Option(metavar="REPORT", autocompletion=complete.report_ids, help="The report for rows whose report column is empty or missing.")] = None,
        create_reports: Annotated[bool, typer.Option("--create-reports", help="Add reports the ledger lacks, from the report_* columns (CSV) or the file's reports (JSON).")] = False,
        dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Say what would be added and changed, and write nothing.")] = False,
        day_first: Annotated[bool, typer.Option("--day-first", help="Read dates such as 01/02/2024 as day/month/year, as in the UK (without it they are refused as ambiguous; 13/02/2024 is read either way).")] = False,
        format: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.import_formats, help="csv or json. Default: from the file's name, else from its first character.")] = None,
        raw: Annotated[bool, typer.Option("--raw", help="Read CSV cells exactly as they are (a file from `export --raw`). Without it, the ' that export puts before a cell starting with = + - @ a tab or ' is taken off.")] = False,
    ) -> None:
        """Add recommendations (and their events, and with --create-reports their reports) from a
        CSV or JSON file. All or nothing: one bad row, named by line, column and value, and nothing
        is written. A recommendation already in the ledger gains the events it lacks. The columns
        (report, ref, kind, text, owner, tags, due, status, response, date, note, report_title ...)
        are listed in the README, under Import and export.

        \b
        Example: track import hmicfrs-2024.csv --report hmicfrs-2024-met-peel --dry-run
        """

    @app.command("export")
    @runs(export)
    def export_command(
        ctx: typer.Context,
        format: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.export_formats, help="json (default) or csv.")] = None,
        report: Annotated[Optional[list[str]], typer.Option("--report", metavar="REPORT", autocompletion=complete.report_ids, help="Only this report (repeatable). Default: every report.")] = None,
        as_of: Annotated[Optional[str], typer.Option("--as-of", metavar="DATE", help="Export the ledger as it stood at the end of DATE: the reports published and the events recorded by then.")] = None,
        raw: Annotated[bool, typer.Option("--raw", help="CSV cells exactly as they are. Without it, a cell a spreadsheet would read as a formula (= + - @ or a tab first) is written after a ', as is one starting with ' (import takes it off again).")] = False,
    ) -> None:
        """Write the whole ledger (every report, recommendation and event) as JSON or CSV to
        standard output. `track import --create-reports` of it into an empty ledger gives the same
        report files, byte for byte.

        \b
        Example: track export --format csv > ledger.csv
        """

    @app.command("merge-driver")
    @runs(merge_driver)
    def merge_driver_command(
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

        Example (as git runs it): track merge-driver .merge_file_a .merge_file_b .merge_file_c reports/r1.toml
        """
