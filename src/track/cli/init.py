"""track init: create a ledger, or set up git in an existing one."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from typer import Typer

from track.cli.run import Run, echo
from track.domain.errors import TrackError


def init(run: Run, *, directory: str, name: str | None, git: bool) -> None:
    from pathlib import Path

    from track.store import disk, layout

    root = Path(directory)
    if not git:
        _create(root, name, git=False)
        return
    from track.store import gitstore

    gitstore.require()
    try:  # one init --git at a time: git's set-up of a clone is not safe to run twice at once
        (root / layout.PRIVATE).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TrackError(f"{root}: cannot create the ledger: {error.strerror}") from None
    with disk.locked(root, 30, "init --git"):
        if not (root / layout.SETTINGS).exists():
            _create(root, name, git=True)
            return
        for line in gitstore.set_up(root):  # a fresh clone: git's merge set-up lives in each clone
            echo(line)
        try:
            wanted = gitstore.wanted(disk.load_settings(root))
        except TrackError:
            wanted = True  # `track check` says what is wrong with it
        if not wanted:
            echo(f"to commit each change, add [git] commit = true to {root / layout.SETTINGS} and commit it")


def _create(root: "Path", name: str | None, *, git: bool) -> None:
    """A new ledger in `root`; with git, its repository set up and its files committed."""
    from track.ledger import Ledger
    from track.store import layout

    ours = [layout.SETTINGS, *([".gitignore"] if not (root / ".gitignore").exists() else [])]
    ledger = Ledger.init(root, name, git=git)
    echo(f"created ledger {ledger.name!r} in {ledger.root}")
    if git:
        from track.store import gitstore

        for line in gitstore.set_up(ledger.root):
            echo(line)
        created = [*ours, gitstore.ATTRIBUTES]
        if gitstore.committed(ledger.root, created, f"create ledger {ledger.name}") is None:
            echo(f"committed {', '.join(created)}")


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli.declare import runs

    @app.command("init")
    @runs(init)
    def init_command(
        ctx: typer.Context,
        directory: Annotated[str, typer.Argument(metavar="DIR", help="Where to create the ledger (default: here).")] = ".",
        name: Annotated[Optional[str], typer.Option(metavar="NAME", help="The ledger's name (default: the folder's name).")] = None,
        git: Annotated[bool, typer.Option("--git", help="Keep the ledger in git: commit each change, merge report files with track's merge driver. In an existing ledger (a fresh clone) it only sets up git.")] = False,
    ) -> None:
        """Create a ledger: track.toml, reports/, and a .gitignore for track's own files.

        Example: track init met-ledger
        """
