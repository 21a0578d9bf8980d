"""track action add, done and update: a recommendation's action plan."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.records import warn
from track.cli.run import Run, echo


def action_add(run: Run, *, rec_id: str, text: str, owner: str, due: str, when: str | None) -> None:
    rec, action = run.ledger.add_action(rec_id, text=text, owner=owner, due=due, when=when)
    warn(run.ledger)
    echo(f"added {rec.id}/{action.n} ({action.owner}, due {action.due})")


def action_done(run: Run, *, action_id: str, when: str | None, note: str | None, source: str | None,
                evidence: list[str] | None) -> None:
    rec, action, event = run.ledger.action_event(action_id, done=True, when=when, note=note, source=source,
                                                 evidence=evidence or [])
    echo(f"{rec.id}/{action.n}: done ({event.date})")


def action_update(run: Run, *, action_id: str, due: str | None, reason: str | None, owner: str | None,
                  note: str | None, source: str | None, evidence: list[str] | None, reopen: bool,
                  when: str | None) -> None:
    from track.ledger.actions import changed

    rec, action, event = run.ledger.action_event(action_id, done=False if reopen else None, due=due, reason=reason,
                                                 owner=owner, note=note, source=source, evidence=evidence or [],
                                                 when=when)
    warn(run.ledger)
    echo(f"{rec.id}/{action.n}: {changed(event)} ({event.date})")


def declare(app: "Typer") -> None:
    """The command lines of action add, done and update, read by Typer."""
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import runs

    ActionArg = Annotated[str, typer.Argument(metavar="ID/N", autocompletion=complete.action_ids, help="The recommendation's id (as for show), a slash and the action's number: hmic-2016-met-cp/R1/2.")]
    DateOpt = Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="When it happened (default: today): 2017-08-10, '10 August 2017', 'yesterday'.")]
    NoteOpt = Annotated[Optional[str], typer.Option(metavar="TEXT", help="What happened.")]
    SourceOpt = Annotated[Optional[str], typer.Option(metavar="SOURCE", autocompletion=complete.report_ids, help="Where it is recorded: a follow-up report's id, or e.g. 'force update'.")]
    EvidenceOpt = Annotated[Optional[list[str]], typer.Option("--evidence", metavar="LINK", help="A link to evidence (repeatable).")]

    @app.command("add")
    @runs(action_add)
    def action_add_command(
        ctx: typer.Context,
        rec_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.rec_ids, help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
        text: Annotated[str, typer.Option(metavar="TEXT", help="What is to be done.")],
        owner: Annotated[str, typer.Option(metavar="OWNER", autocompletion=complete.owners, help="Who leads it.")],
        due: Annotated[str, typer.Option(metavar="DATE", help="When it is due: 2017-06-30, 'June 2017' (its last day), or relative ('+3 months'), counted from --date.")],
        when: Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="When it joined the plan (default: today); before it, --as-of does not show it.")] = None,
    ) -> None:
        """Add an action to a recommendation's action plan: numbered 1, 2, ... (never reused).

        Example: track action add hmic-2016-met-cp/R1 --text "Audit referrals weekly" --owner "DCI Lee" --due "+3 months" --date 2017-01-10
        """

    @app.command("done")
    @runs(action_done)
    def action_done_command(
        ctx: typer.Context,
        action_id: ActionArg,
        when: DateOpt = None,
        note: NoteOpt = None,
        source: SourceOpt = None,
        evidence: EvidenceOpt = None,
    ) -> None:
        """Mark an action done (one dated event; track action update --reopen takes it back).

        Example: track action done hmic-2016-met-cp/R1/2 --date 2017-04-02 --source hmic-2017-met-cp-q1
        """

    @app.command("update")
    @runs(action_update)
    def action_update_command(
        ctx: typer.Context,
        action_id: ActionArg,
        due: Annotated[Optional[str], typer.Option(metavar="DATE", help="A new due date (relative dates count from the event's date); needs --reason.")] = None,
        reason: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Why the due date moves.")] = None,
        owner: Annotated[Optional[str], typer.Option(metavar="OWNER", autocompletion=complete.owners, help="A new lead.")] = None,
        reopen: Annotated[bool, typer.Option("--reopen", help="It was marked done but is not: open it again.")] = False,
        note: NoteOpt = None,
        source: SourceOpt = None,
        evidence: EvidenceOpt = None,
        when: DateOpt = None,
    ) -> None:
        """Record what happened to an action: a new due date (with a reason), a new lead, a note, or reopened.

        A due date or lead it already has on the event's date is no change: it is left out of the event, and an update with nothing else to record and no --note is refused.

        Example: track action update hmic-2016-met-cp/R1/2 --due "September 2017" --reason "Training delayed" --date 2017-06-01
        """
