"""track remind: what needs attention today, for cron and for people."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, as_of_date

EXIT_OVERDUE = 3


def remind(run: Run, *, within: str | None, stale: str | None, as_of: str | None, format: str | None,
           fail_on_overdue: bool, owner: str | None = None, mail: bool = False, mail_to_dir: str | None = None,
           keeper: str | None = None) -> None:
    from track.domain.dates import parse_duration
    from track.views import formats
    from track.views import remind as remind_view

    mailing = mail or mail_to_dir is not None
    if mailing and format is not None:
        from track.domain.errors import BadValue

        raise BadValue("--format does not go with --mail: the messages are plain text")
    fmt = formats.choose_format(format, formats.REMIND_FORMATS) if not mailing else "plain"
    window = parse_duration(within, "--within") if within is not None else None
    quiet = parse_duration(stale, "--stale") if stale is not None else None
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    found = ledger.reminders(day, window, quiet)
    if owner is not None or mailing:
        from track.cli.owners import directory as read_directory
        from track.domain import owners as owned

        directory = read_directory(ledger)
        if owner is not None:
            names = [o.owner for o in owned.tally(ledger.reports, directory, day, found.due_by)] + owned.owners_named(found)
            owner = owned.find(directory, names, owner)
            found = owned.part_of(found, directory, owner)
        if mailing:
            from track.cli import mail as mailer

            if mailer.mail(ledger, found, directory, owner=owner, keeper=keeper, folder=mail_to_dir):
                raise SystemExit(1)  # each failure said on stderr
            if fail_on_overdue and found.late:
                raise SystemExit(EXIT_OVERDUE)
            return
    remind_view.show(found, fmt)
    if fail_on_overdue and found.late:
        raise SystemExit(EXIT_OVERDUE)


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated

    import typer

    from track.cli import complete
    from track.cli.declare import AsOfOpt, runs

    @app.command("remind")
    @runs(remind)
    def remind_command(
        ctx: typer.Context,
        within: Annotated[str | None, typer.Option(metavar="DURATION",
                          help="The due-soon window, e.g. 14d or '1 month'. Default: [remind] within in track.toml, else 14 days.")] = None,
        stale: Annotated[str | None, typer.Option(metavar="DURATION",
                         help="Stale after this long with no event. Default: [remind] stale in track.toml, else 90 days.")] = None,
        as_of: AsOfOpt = None,
        format: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.remind_formats,
                          help="table, plain, json or markdown. Default: table on a terminal, plain when piped (as under cron).")] = None,
        fail_on_overdue: Annotated[bool, typer.Option("--fail-on-overdue",
                                   help="Exit 3 when anything is past its date: an overdue recommendation, a passed "
                                        "response deadline, a missed follow-up report. With --mail: once every "
                                        "message went (a message not sent exits 1).")] = False,
        owner: Annotated[str | None, typer.Option(metavar="OWNER", autocompletion=complete.owners,
                         help="Only this owner's part: their overdue, due-soon and stale recommendations, the actions they lead that are overdue or due soon, and the "
                              "response clocks their recommendations wait on (counting theirs). Follow-up reports "
                              "that schedules expect are no owner's and are left out. OWNER is matched exactly: "
                              "a name or alias of [owners] in track.toml, or an owner as recommendations name it, "
                              "ignoring case (not part of a name, as list --owner finds).")] = None,
        mail: Annotated[bool, typer.Option("--mail",
                        help="Mail each owner with an address ([owners.\"NAME\"] email in track.toml) and "
                             "something to see their own part, and the whole (naming the owners with no address) "
                             "to the keeper, through sendmail (/usr/sbin/sendmail -t -oi, or $TRACK_SENDMAIL). "
                             "Prints nothing; a message not sent is said on stderr, the others still go, exit 1. "
                             "With --owner: that owner's part alone.")] = False,
        mail_to_dir: Annotated[str | None, typer.Option(metavar="DIR",
                               help="A dry run of --mail: write the messages into DIR as .eml files "
                                    "(digest.eml, head-of-training.eml, ...) instead of sending them.")] = None,
        keeper: Annotated[str | None, typer.Option(metavar="ADDRESS",
                          help="Where --mail sends the whole. Default: [remind] keeper in track.toml.")] = None,
    ) -> None:
        """Say what needs attention: overdue and due-soon recommendations and actions, response clocks running
        out, follow-up reports the schedules expect, stale items. Prints nothing (and exits 0) when
        nothing does, so that cron mails only when there is something to do.

        Today is --as-of if given, else $TRACK_TODAY, else today's date in the ledger's time zone
        (timezone in track.toml), else the local date.

        \b
        Example, a crontab line (weekdays at 07:00; cron mails what it prints):
        0 7 * * 1-5  TRACK_LEDGER=/srv/ledger /opt/track/bin/track remind
        \b
        Each owner their own part by mail, the whole to the keeper:
        0 7 * * 1-5  TRACK_LEDGER=/srv/ledger /opt/track/bin/track remind --mail
        """
