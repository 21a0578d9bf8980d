"""track undo: revert the last change track made."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, echo


def undo(run: Run) -> None:
    done = run.ledger.undo()
    echo(f"undid: {done}")


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""

    import typer

    from track.cli.declare import runs

    @app.command("undo")
    @runs(undo)
    def undo_command(ctx: typer.Context) -> None:
        """Revert the last change track made to the ledger (kept in .track/journal.json), and say what it was.

        It refuses, changing nothing, if a file has changed since track wrote it.

        Example: track undo
        """
