"""The bodies of `track import` and `track export` (declared in cmd_team.py); export's formats
are in exchange.py, the reading of rows in importing.py. No typer here; see commands.py."""

from __future__ import annotations

import codecs
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

from .commands import Run, as_of_date, echo
from .errors import BadValue, TrackError

FORMATS = ("csv", "json")


def import_(run: Run, *, file: str, report: str | None, create_reports: bool, dry_run: bool, day_first: bool,
            format: str | None) -> None:
    from . import importing

    fmt = _import_format(file, format)
    name = "<stdin>" if file == "-" else file
    text = _read(file, name)
    if fmt is None:
        fmt = "json" if text.lstrip("\ufeff \t\r\n").startswith("{") else "csv"
    if fmt == "json" and report:
        raise BadValue("--report is for CSV rows without a report column; a JSON export names its reports")
    ledger = run.ledger
    try:
        rows = importing.read_json(text, name) if fmt == "json" else importing.read_csv(text, name)
        from .bars import bar  # drawn on a terminal only, for a long import

        with bar("importing", len(rows)) as progress:
            plan = ledger.import_rows(rows, name=name, report=report, create_reports=create_reports,
                                      dry_run=dry_run, day_first=day_first, progress=progress)
    except importing.ImportProblems as error:
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
        if fmt not in FORMATS:
            raise BadValue(f"unknown format {format!r}: use csv or json")
        return fmt
    ext = os.path.splitext(file)[1].lower()
    return {".csv": "csv", ".json": "json", ".tsv": "csv", ".txt": None}.get(ext)


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


def export(run: Run, *, format: str | None, report: list[str] | None, as_of: str | None) -> None:
    from . import exchange

    fmt = (format or "json").strip().lower()
    if fmt not in FORMATS:
        raise BadValue(f"unknown format {format!r}: use json or csv")
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
    exchange.write_export(binary if utf8 else _Text(out), ledger.root, ids, fmt, day, ledger_name=ledger.name,
                          use_index=ledger.use_cache)
    out.flush()


class _Text:
    """UTF-8 bytes written to a text stream that does not write UTF-8."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> None:
        self.stream.write(self.decoder.decode(data))

    def flush(self) -> None:
        self.stream.flush()
