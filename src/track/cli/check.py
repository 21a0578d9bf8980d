"""track check: validate the whole ledger."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, echo


def check(run: Run) -> None:
    from track.views import records
    from track.views.bars import bar

    ledger = run.ledger
    with bar("checking reports") as progress:  # on a terminal, for a large or slow ledger
        problems = ledger.check(progress=progress)
    if problems:
        records.problems(problems)
        count = len(problems)
        echo(f"{count} problem{'s' if count != 1 else ''} in {ledger.root}", err=True)
        raise SystemExit(1)
    count = sum(len(r.recommendations) for r in ledger.reports.values())
    reports = len(ledger.reports)
    echo(f"ok: {reports:,} report{'s' if reports != 1 else ''}, {count:,} recommendation{'s' if count != 1 else ''}, no problems")


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""

    import typer

    from track.cli.declare import runs

    @app.command("check")
    @runs(check)
    def check_command(ctx: typer.Context) -> None:
        """Validate the whole ledger: syntax, keys, values, links and dates. Exit 1 if anything is wrong.

        Example: track check
        """
