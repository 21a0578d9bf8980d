"""track undo and track redo: revert the last change track made, or put back what undo took back."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, echo


def undo(run: Run) -> None:
    done = run.ledger.undo()
    echo(f"undid: {done}")


def redo(run: Run) -> None:
    done = run.ledger.redo()
    echo(f"redid: {done}")


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""

    import typer

    from track.cli.declare import runs

    @app.command("undo")
    @runs(undo)
    def undo_command(ctx: typer.Context) -> None:
        """Revert the last change track made to the ledger (kept in .track/journal.json), and say what it was.

        It refuses, changing nothing, if a file has changed since track wrote it. `track redo` puts the change back.

        Example: track undo
        """

    @app.command("redo")
    @runs(redo)
    def redo_command(ctx: typer.Context) -> None:
        """Put back the last change `track undo` took back, and say what it was.

        Each redo puts back one undo, the latest first: after two undos, two redos bring both
        changes back. Any new change clears what can be redone. It refuses, changing nothing, if a file has changed since
        the undo.

        Example: track undo; track redo
        """
