"""track owners: who must act, with their counts and addresses ([owners] in track.toml)."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from typer import Typer

from track.cli.run import Run, as_of_date


def directory(ledger: "Any") -> "Any":
    """The owners track.toml declares (refused, with the file and line, when [owners] is wrong)."""
    from track.domain.owners import Directory
    from track.store import disk

    return Directory.from_settings(disk.owners(ledger.root, ledger.settings))


def owners(run: Run, *, within: "str | None", as_of: "str | None", format: "str | None") -> None:
    from track.domain import owners as owned
    from track.domain.dates import parse_duration
    from track.views import formats
    from track.views import owners as owners_view

    fmt = formats.choose_format(format)
    window = parse_duration(within, "--within") if within is not None else None
    ledger = run.ledger
    found = directory(ledger)
    day = as_of_date(ledger, as_of)
    window = window if window is not None else ledger.setting_duration("within")
    owners_view.show(owned.tally(ledger.reports, found, day, window.after(day)), fmt)


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated

    import typer

    from track.cli.declare import AsOfOpt, FormatOpt, runs

    @app.command("owners")
    @runs(owners)
    def owners_command(
        ctx: typer.Context,
        within: Annotated[str | None, typer.Option(metavar="DURATION",
                          help="The due-soon window, e.g. 14d. Default: [remind] within in track.toml, else 14 days.")] = None,
        as_of: AsOfOpt = None,
        format: FormatOpt = None,
    ) -> None:
        """List the owners: every one track.toml declares ([owners."NAME"] with email and
        aliases) and every one a recommendation names, with their address and their counts as
        of the date: open, overdue, due soon (within the remind window) and total (issued by
        then, closed ones included). A recommendation whose owner is a declared name or alias
        counts for that owner (matched exactly, ignoring case); one with no owner counts
        under "(no owner)", last. Duplicates count in total only. The open actions each
        one leads (of open recommendations, whoever owns those) are counted too: ACTIONS in the
        tables once anyone leads one, actions_open, actions_overdue and actions_due_soon in JSON
        and CSV.

        \b
        Example, in track.toml:
        [owners."AC Territorial Policing"]
        email = "ac.tp@example.org"
        aliases = ["Commander Territorial Policing"]
        \b
        then: track owners --as-of 2018-06-30
        """
