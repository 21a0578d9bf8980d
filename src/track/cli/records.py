"""track add, update, list and show: the recommendations and their events."""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typer import Typer

from track.cli.run import Run, as_of_date, echo
from track.domain.errors import BadValue


def add(run: Run, *, report: str, ref: str, text: str, kind: str, answers: str | None, owner: str | None,
        tag: list[str] | None, due: str | None, priority: str | None, set_: list[str] | None = None) -> None:
    rec = run.ledger.add_recommendation(report, ref=ref, text=text, kind=kind, answers=answers, owner=owner,
                                        tags=tag or [], due=due, priority=priority, sets=set_ or [])
    echo(f"added {rec.id}" + (f" (due {rec.due})" if rec.due else ""))


def warn(ledger: object) -> None:
    """What the change would have the user know, on stderr (the change has been made)."""
    for line in getattr(ledger, "warnings", ()):
        echo(line, err=True)


def update(run: Run, *, rec_id: str, status: str | None, response: str | None, due: str | None, reason: str | None,
           owner: str | None, note: str | None, source: str | None, evidence: list[str] | None,
           superseded_by: str | None, duplicate_of: str | None, related: list[str] | None, when: str | None,
           basis: str | None = None, correct: str | None = None, drop: str | None = None) -> None:
    ledger = run.ledger
    if correct is not None or drop is not None:
        return _correct(run, rec_id=rec_id, correct=correct, drop=drop, reason=reason,
                        fields={"status": status, "basis": basis, "response": response, "due": due, "owner": owner,
                                "note": note, "source": source, "evidence": evidence or [], "date": when,
                                "superseded_by": superseded_by, "duplicate_of": duplicate_of, "related": related or []})
    rec, event = ledger.update(rec_id, when=when, status=status, response=response, due=due, reason=reason, owner=owner,
                               note=note, source=source, evidence=evidence or [], superseded_by=superseded_by,
                               duplicate_of=duplicate_of, related=related or [], basis=basis)
    warn(ledger)
    from track.domain.query import event_fields
    from track.views.formats import cell
    from track.views.records import changes_text

    changes = changes_text(event_fields(event)) or "note"
    echo(f"{rec.id}: {cell(changes)} ({event.date})")


def _correct(run: Run, *, rec_id: str, correct: str | None, drop: str | None, reason: str | None,
             fields: dict) -> None:
    if correct is not None and drop is not None:
        raise BadValue("give --correct N or --drop N, not both")
    import re
    from datetime import date

    text = (correct if correct is not None else drop or "").strip()
    which: int | date
    if text.isdigit():
        which = int(text)
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            which = date.fromisoformat(text)
        except ValueError:
            raise BadValue(f"{text!r} is not a day of the calendar") from None
    else:
        raise BadValue(f"{'--correct' if correct is not None else '--drop'} takes an event's number as track show "
                       f"numbers them (#1, #2, ...) or its date (YYYY-MM-DD), not {text!r}")
    links = [k for k in ("superseded_by", "duplicate_of", "related") if fields.pop(k)]
    if links:
        raise BadValue(f"--{links[0].replace('_', '-')} cannot be corrected here: drop the event and record it afresh")
    if reason is None:
        raise BadValue("a correction needs --reason: why the record was wrong")
    rec, _event = run.ledger.correct(rec_id, which, reason=reason, drop=drop is not None, fields=fields)
    warn(run.ledger)
    echo(f"{rec.id}: {run.ledger.describe.split(': ', 1)[-1] if run.ledger.describe else 'corrected'}")


def edit(run: Run, *, rec_id: str, text: str | None, kind: str | None, tag: list[str] | None, untag: list[str] | None,
         priority: str | None, answers: str | None, ref: str | None, reason: str, when: str | None,
         set_: list[str] | None = None, unset: list[str] | None = None) -> None:
    from track.domain.query import amended_values
    from track.views.formats import cell

    rec, event = run.ledger.edit(rec_id, reason=reason, when=when, text=text, kind=kind, tags=tag or [],
                                 untags=untag or [], priority=priority, answers=answers, ref=ref, sets=set_ or [],
                                 unsets=unset or [])
    amended = amended_values(event.old, event.new)
    long = [key for key, v in amended.items() if len(_shown(v["old"])) > 40 or len(_shown(v["new"])) > 40]
    changed = "; ".join(key if key in long else f"{key} {_shown(v['old'])} → {_shown(v['new'])}"
                        for key, v in amended.items())
    echo(f"{rec.id}: amended {cell(changed)} ({event.date})")


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    from track.domain.fields import shown

    return shown(value) if value not in ("", None) else "(none)"


def remove(run: Run, *, target: str, reason: str, force: bool) -> None:
    what, links = run.ledger.remove(target, reason=reason, force=force)
    echo(f"removed {what}")
    if links:
        echo(f"warning: left naming nothing: {', '.join(links)}", err=True)


def list_(run: Run, *, status: list[str] | None, report: str | None, subject: str | None, issued_by: str | None,
          owner: str | None, tag: list[str] | None, kind: list[str] | None, priority: list[str] | None, overdue: bool,
          due_within: str | None, stale: bool, search: str | None, sort: str, as_of: str | None,
          format: str | None, unverified: bool = False, all_tags: bool = False, issued_since: str | None = None,
          closed_since: str | None = None, columns: str | None = None, where: list[str] | None = None) -> None:
    from track.domain import actions, query
    from track.domain.dates import parse_date, parse_duration
    from track.domain.model import KINDS, PRIORITIES
    from track.views import evidence, formats, records

    fmt = formats.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    for value, choices, what in ((kind or [], KINDS, "kind"), (priority or [], PRIORITIES, "priority")):
        for v in value:
            if v.lower() not in choices:
                raise BadValue(f"unknown {what} {v!r}: use one of {', '.join(choices)}")
    flt = query.Filter(
        statuses=status or [],
        subject=subject,
        issued_by=issued_by,
        owner=owner,
        tags=tag or [],
        kinds=kind or [],
        priorities=priority or [],
        overdue=overdue,
        due_within=parse_duration(due_within, "--due-within") if due_within else None,
        stale=ledger.setting_duration("stale") if stale else None,
        search=search,
        unverified=unverified,
        all_tags=all_tags,
        issued_since=parse_date(issued_since, base=ledger.today(), month="start", what="--issued-since") if issued_since else None,
        closed_since=parse_date(closed_since, base=ledger.today(), month="start", what="--closed-since") if closed_since else None,
        where=[query.condition(w, ledger.fields, ledger.today()) for w in where or []],
    )
    declared = ledger.fields
    chosen = records.chosen_columns(columns, declared) if columns is not None else None
    query.expand_statuses(flt.statuses)
    reports = [ledger.report(report)] if report else list(ledger.reports.values())
    items = query.sort_items(query.select(reports, flt, day), sort, day)
    after = ledger.evidence_after  # read (and refused when bad) before anything is written
    if chosen is not None:
        records.chosen_records(items, chosen, fmt, day, declared=declared)
    else:
        records.records(items, fmt, day, declared=declared)
    latest = max((item.state.last_event for item in items if item.state.last_event), default=None)
    latest = actions.newest_evidence(latest, (item.rec for item in items), day)  # the plans' events are evidence too
    evidence.footer(latest, day, after, fmt)  # below the tables only: JSON is a bare list, CSV its rows


def show(run: Run, *, rec_id: str, as_of: str | None, format: str | None) -> None:
    from track.domain import query
    from track.domain.errors import UnknownId
    from track.domain.model import state_at
    from track.views import formats, records

    fmt = formats.choose_format(format)
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    rec = ledger.resolve(rec_id)
    report = ledger.report_of(rec)
    if report.published > day:
        raise UnknownId(f"{rec.id} was not issued until {report.published} (asked as of {day})")
    from track.domain.model import as_it_stood

    item = query.Item(as_it_stood(rec, day), report, state_at(rec, day))
    declared = ledger.fields
    data = query.detail(item, day, ledger.reports, declared)
    if item.state.duplicate_of:
        try:
            shared = ledger.resolve(item.state.duplicate_of)
        except UnknownId:
            shared = None
        if shared is not None and shared.id == item.state.duplicate_of:
            data["shares_progress_of"] = {"id": shared.id, "status": state_at(shared, day).status}
    width = 100
    if fmt == "table":
        import shutil

        width = max(60, min(120, shutil.get_terminal_size((100, 24)).columns))
    records.detail(data, fmt, day, width=width, labels={name: f.label for name, f in declared.items()})


def declare(app: "Typer") -> None:
    """The command lines of add, update, list and show, read by Typer."""
    _declare_changes(app)
    _declare_reading(app)


def _declare_changes(app: "Typer") -> None:
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import runs

    @app.command("add")
    @runs(add)
    def add_command(
        ctx: typer.Context,
        report: Annotated[str, typer.Argument(metavar="REPORT", autocompletion=complete.report_ids, help="The report that makes the recommendation (id or unique prefix).")],
        ref: Annotated[str, typer.Option(metavar="REF", help="Its reference within the report, e.g. R3, C1 or AFI2.")],
        text: Annotated[str, typer.Option(metavar="TEXT", help="What the report asks for, in its words or yours.")],
        kind: Annotated[str, typer.Option(metavar="KIND", autocompletion=complete.kinds, help="recommendation, cause-of-concern, area-for-improvement or finding (what an inspection found, without the standing of a cause of concern).")] = "recommendation",
        answers: Annotated[Optional[str], typer.Option(metavar="CAUSE", help="The cause of concern this recommendation answers.")] = None,
        owner: Annotated[Optional[str], typer.Option(metavar="OWNER", autocompletion=complete.owners, help="Who must act.")] = None,
        tag: Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", autocompletion=complete.tags, help="A theme (repeatable).")] = None,
        due: Annotated[Optional[str], typer.Option(metavar="DATE", help="Due date: 2017-06-30, 'June 2017' or 'end of June 2017' (its last day), 'Q2 2017' (the quarter's last day), '+6 months' or '56 days after publication', counted from publication.")] = None,
        priority: Annotated[Optional[str], typer.Option(metavar="PRIORITY", autocompletion=complete.priorities, help="high, medium or low.")] = None,
        set_: Annotated[Optional[list[str]], typer.Option("--set", metavar="NAME=VALUE", autocompletion=complete.field_assignments, help="One of the ledger's own fields, as track.toml declares it ([fields.risk] type = \"choice\"): risk=high, committee=Audit, score=3, review=2018-09-30 (repeatable).")] = None,
    ) -> None:
        """Add a recommendation (or cause of concern, or area for improvement) to a report.

        Example: track add hmic-2016-met-cp --ref R1 --text "Appoint a chief officer lead for child protection" --due "+3 months" --set risk=high
        """

    @app.command("update")
    @runs(update)
    def update_command(
        ctx: typer.Context,
        rec_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.rec_ids, help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
        status: Annotated[Optional[str], typer.Option(metavar="STATUS", autocompletion=complete.statuses, help="not-started, in-progress, partially-implemented, reported-complete, implemented, not-implemented, superseded or withdrawn.")] = None,
        basis: Annotated[Optional[str], typer.Option(metavar="BASIS", autocompletion=complete.bases, help="Who vouches for the status: claimed (the owner says so), assessed (your reading of a report) or verified (an inspectorate or auditor confirmed it; needs --source or --evidence). Default: the basis it had if the status stays; else assessed when --source names a report of the ledger, claimed otherwise (and for reported-complete). Without --status: the current status, on this basis (a later verification).")] = None,
        response: Annotated[Optional[str], typer.Option(metavar="RESPONSE", autocompletion=complete.responses, help="accepted, partially-accepted, not-accepted or noted.")] = None,
        due: Annotated[Optional[str], typer.Option(metavar="DATE", help="A new due date: 2017-06-30, 'June 2017' or 'Q2 2017' (their last day), or relative, counted from the event's date; needs --reason if one was set. A date already past on the event's date is recorded with a warning.")] = None,
        reason: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Why the due date changes; with --correct or --drop, why the record was wrong.")] = None,
        owner: Annotated[Optional[str], typer.Option(metavar="OWNER", autocompletion=complete.owners, help="A new owner.")] = None,
        note: Annotated[Optional[str], typer.Option(metavar="TEXT", help="What happened.")] = None,
        source: Annotated[Optional[str], typer.Option(metavar="SOURCE", autocompletion=complete.report_ids, help="Where it is recorded: a follow-up report's id, or e.g. 'force update'.")] = None,
        evidence: Annotated[Optional[list[str]], typer.Option("--evidence", metavar="LINK", help="A link to evidence (repeatable).")] = None,
        superseded_by: Annotated[Optional[str], typer.Option(metavar="ID", autocompletion=complete.rec_ids, help="The recommendation that replaces this one.")] = None,
        duplicate_of: Annotated[Optional[str], typer.Option(metavar="ID", autocompletion=complete.rec_ids, help="The recommendation this one duplicates.")] = None,
        related: Annotated[Optional[list[str]], typer.Option("--related", metavar="ID", autocompletion=complete.rec_ids, help="A related recommendation (repeatable).")] = None,
        when: Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="When it happened (default: today): 2017-08-10, '10 August 2017', 'end of May 2017', 'yesterday'; 10/08/2017 needs day_first = true in track.toml.")] = None,
        correct: Annotated[Optional[str], typer.Option(metavar="N", help="Correct event N (as track show numbers them, #N; or the one event of a date, YYYY-MM-DD) instead of recording one: the fields given replace its own (\"\" clears a note, source or owner; --date moves it); needs --reason. Kept as an amendment.")] = None,
        drop: Annotated[Optional[str], typer.Option(metavar="N", help="Take out event N (#N in track show, or the one event of a date), recorded in error (twice, or on the wrong recommendation); needs --reason. Kept as an amendment.")] = None,
    ) -> None:
        """Record what happened to a recommendation: one event in its history.

        A value it already has on the event's date (the same owner, due date, response, link, or status on the same basis) is no change: it is left out of the event (but a status restated with a --note is kept: a source's reading of it), and an update with nothing else to record and no --note is refused.

        Example: track update hmic-2016-met-cp/R1 --status in-progress --source hmic-2017-met-cp-q1 --date 2017-03-15 --note "Lead appointed"

        Correct a mistake: track update R1 --correct 3 --date 2017-03-16 --reason "Minutes dated the 16th"
        """

    @app.command("edit")
    @runs(edit)
    def edit_command(
        ctx: typer.Context,
        rec_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.rec_ids, help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
        reason: Annotated[str, typer.Option(metavar="TEXT", help="Why the record changes (required).")],
        text: Annotated[Optional[str], typer.Option(metavar="TEXT", help="The corrected text.")] = None,
        kind: Annotated[Optional[str], typer.Option(metavar="KIND", autocompletion=complete.kinds, help="recommendation, cause-of-concern, area-for-improvement or finding (what an inspection found, without the standing of a cause of concern).")] = None,
        tag: Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", autocompletion=complete.tags, help="Add a theme (repeatable).")] = None,
        untag: Annotated[Optional[list[str]], typer.Option("--untag", metavar="TAG", autocompletion=complete.tags, help="Take a theme off (repeatable).")] = None,
        priority: Annotated[Optional[str], typer.Option(metavar="PRIORITY", autocompletion=complete.priorities, help="high, medium, low, or none to clear it.")] = None,
        answers: Annotated[Optional[str], typer.Option(metavar="CAUSE", help="The cause of concern it answers, or \"\" to clear the link.")] = None,
        ref: Annotated[Optional[str], typer.Option(metavar="REF", help="A new ref within its report (refused while others link to it).")] = None,
        when: Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="When the amendment takes effect (default: today); --as-of before it shows the old values.")] = None,
        set_: Annotated[Optional[list[str]], typer.Option("--set", metavar="NAME=VALUE", autocompletion=complete.field_assignments, help="Give one of the ledger's own fields (track.toml [fields]) a value, e.g. risk=high (repeatable).")] = None,
        unset: Annotated[Optional[list[str]], typer.Option("--unset", metavar="NAME", autocompletion=complete.field_names, help="Clear one of the ledger's own fields (repeatable).")] = None,
    ) -> None:
        """Amend a recommendation's text, kind, tags, priority, answers link, ref or own fields.

        The history keeps the amendment (old value, new value, reason); --as-of before its date shows the old values. An id is a handle: --ref changes it from now on, in every view.

        Example: track edit hmic-2016-met-cp/R1 --text "Appoint a chief officer lead for child protection" --reason "Typo in the text as entered"

        Own fields: track edit R1 --set risk=medium --reason "Re-rated by the audit committee"
        """

    @app.command("remove")
    @runs(remove)
    def remove_command(
        ctx: typer.Context,
        target: Annotated[str, typer.Argument(metavar="ID|REPORT", autocompletion=complete.rec_ids, help="A recommendation (as for show), or a report's exact id to remove it with its recommendations.")],
        reason: Annotated[str, typer.Option(metavar="TEXT", help="Why it was entered in error (required; kept in the git commit and the undo journal).")],
        force: Annotated[bool, typer.Option("--force", help="Remove it even though others link to it (the links are left naming nothing).")] = False,
    ) -> None:
        """Delete a recommendation, or a report and its recommendations, entered in error.

        For anything that really happened, record an event instead (withdrawn, superseded): removing erases history. Refused, naming them, while other recommendations or reports link to what would go, unless --force. One change: track undo puts it back.

        Example: track remove hmic-2016-met-cp/R99 --reason "Entered on the wrong report"
        """


def _declare_reading(app: "Typer") -> None:
    from typing import Annotated, Optional

    import typer

    from track.cli import complete
    from track.cli.declare import AsOfOpt, FormatOpt, runs

    @app.command("list")
    @runs(list_)
    def list_command(
        ctx: typer.Context,
        status: Annotated[Optional[list[str]], typer.Option("--status", "-s", metavar="STATUS", autocompletion=complete.status_filters, help="A status, 'open' or 'closed' (repeatable, or comma-separated).")] = None,
        report: Annotated[Optional[str], typer.Option(metavar="REPORT", autocompletion=complete.report_ids, help="Only this report's recommendations.")] = None,
        subject: Annotated[Optional[str], typer.Option(metavar="SUBJECT", autocompletion=complete.subjects, help="Only reports on this inspected body (part of its name).")] = None,
        issued_by: Annotated[Optional[str], typer.Option(metavar="BODY", autocompletion=complete.bodies, help="Only reports by this body (part of its name).")] = None,
        owner: Annotated[Optional[str], typer.Option(metavar="OWNER", autocompletion=complete.owners, help="Only owners whose name contains OWNER, ignoring case (a search for people: 'Head' finds every Head of ...). remind --owner matches one owner exactly.")] = None,
        tag: Annotated[Optional[list[str]], typer.Option("--tag", metavar="TAG", autocompletion=complete.tags, help="Only with this theme (repeatable: any of them; with --all-tags, every one).")] = None,
        all_tags: Annotated[bool, typer.Option("--all-tags", help="Repeated --tag means every one of them (committee:audit and risk:high), not any.")] = False,
        kind: Annotated[Optional[list[str]], typer.Option("--kind", metavar="KIND", autocompletion=complete.kinds, help="recommendation, cause-of-concern, area-for-improvement or finding (repeatable).")] = None,
        priority: Annotated[Optional[list[str]], typer.Option("--priority", metavar="PRIORITY", autocompletion=complete.priorities, help="high, medium or low (repeatable).")] = None,
        overdue: Annotated[bool, typer.Option("--overdue", help="Only open items past their due date.")] = False,
        due_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Only open items due within DURATION, e.g. 30d.")] = None,
        stale: Annotated[bool, typer.Option("--stale", help="Only open items with no event for longer than the ledger's stale setting.")] = False,
        issued_since: Annotated[Optional[str], typer.Option(metavar="DATE", help="Only those issued (their report published) on or after DATE ('2026-Q3' or 'July 2026' = its first day).")] = None,
        closed_since: Annotated[Optional[str], typer.Option(metavar="DATE", help="Only those closed (by the event that closed them) on or after DATE, as of --as-of.")] = None,
        columns: Annotated[Optional[str], typer.Option(metavar="FIELDS", autocompletion=complete.column_names, help="The columns, in order, comma-separated (id,status,age,due), in every format: any field of the JSON (id, status, basis, age_days or age, due, original_due, due_moves or moves, closed_on, owner, text, last_event, ...), of the action plan (actions as done/total, actions_done, actions_total, actions_overdue, ready: all done, still open), or one of the ledger's own fields (track.toml [fields]: id,risk,committee).")] = None,
        where: Annotated[Optional[list[str]], typer.Option("--where", metavar="FIELD=VALUE", autocompletion=complete.field_assignments, help="Only those whose FIELD is VALUE (repeatable: every one must hold): one of the ledger's own fields (risk=high; a choice or text matched whatever its case; score>=3 or review<=2018-09-30 for a number or a date; risk= for those without one), or owner, status, kind, priority, report, ref, response, basis, tag, subject, issued_by (exactly, whatever the case), due or issued (a date; >= and <= too). As of --as-of.")] = None,
        unverified: Annotated[bool, typer.Option("--unverified", help="Only items whose status no inspectorate or auditor has verified (claimed, assessed or not stated); with --status implemented, the closures still to verify.")] = False,
        search: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Only items whose id, text, owner, tags or notes contain TEXT.")] = None,
        sort: Annotated[str, typer.Option(metavar="SORT", autocompletion=complete.sorts, help="issued (default), id, due, status, owner, priority, last-event or overdue.")] = "issued",
        as_of: AsOfOpt = None,
        format: FormatOpt = None,
    ) -> None:
        """List recommendations (all of them unless filtered), as they stood on a date.

        Example: track list --status open --sort due

        By the ledger's own fields: track list --where risk=high --where committee=Audit --columns id,status,risk,committee
        """

    @app.command("show")
    @runs(show)
    def show_command(
        ctx: typer.Context,
        rec_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.rec_ids, help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
        as_of: AsOfOpt = None,
        format: FormatOpt = None,
    ) -> None:
        """Show one recommendation and its history as a timeline.

        Example: track show hmic-2016-met-cp/R1 --as-of 2017-06-30
        """
