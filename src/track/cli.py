"""The command line, declared once with Typer: every command's options, arguments and help.
What a command does is its body in commands.py (report_commands.py, remind_commands.py for
the commands of cmd_report.py and cmd_remind.py): `@runs(body)` hands the values over.
fastpath.py derives a spec of this command line from the click objects Typer builds, and
runs well-formed command lines from it without importing typer. Expected failures become
one line on stderr and their exit code."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import commands, complete
from .commands import Run

# --------------------------------------------------------------------------- start-up
# Typer 0.29 converts every non-flag parameter through a pydantic TypeAdapter, and importing
# pydantic costs more than the rest of a command. track's parameters are all text (str or
# list[str]) or flags, which need no conversion: give those a plain pass-through. Anything
# else still goes through Typer's own path. (tests/test_startup.py checks pydantic stays out.)


def _install_text_params() -> None:
    try:
        from dataclasses import dataclass

        from typer._coercion import RuntimeParam
        from typer.core import _TyperParameter
    except ImportError:  # a Typer without this internal: slower, still correct
        return

    @dataclass(frozen=True)
    class TextParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
            return str(value)

    @dataclass(frozen=True)
    class FlagParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return bool(value)

    original = _TyperParameter.get_runtime_param
    text_types = (str, list[str])

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if descriptor.file_annotation is None and descriptor.annotation in text_types:
                self._runtime_param = TextParam(descriptor.parameter_info, descriptor.annotation)
            elif descriptor.file_annotation is None and descriptor.annotation is bool and getattr(self, "is_flag", False):
                self._runtime_param = FlagParam(descriptor.parameter_info, descriptor.annotation)
        return original(self)

    _TyperParameter.get_runtime_param = get_runtime_param


_install_text_params()


# --------------------------------------------------------------------------- errors


class TrackGroup(TyperGroup):
    """Turns every expected failure into `track: message` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except (Exception, KeyboardInterrupt) as error:  # a bug too: one line, never a traceback
            if type(error).__module__.startswith("typer"):
                raise
            code = commands.failure(error)  # the fast path says the same (fastpath.py)
            if code is None:  # TRACK_DEBUG=1
                raise
            ctx.exit(code)

    # Shell completion (complete.py). Typer's add_completion=True would put --install-completion
    # and --show-completion among the group's own parameters, where the fast path's spec would
    # see parameters it cannot run and send every command to Typer. Offered here instead, they
    # are in the help, the parsing and the completion of the top level, and the fast path,
    # not knowing them, leaves a command line that uses them to Typer.
    _completion_options: tuple[Any, ...] | None = None

    @classmethod
    def completion_options(cls) -> tuple[Any, ...]:
        if TrackGroup._completion_options is None:
            TrackGroup._completion_options = complete.setup()
        return TrackGroup._completion_options

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        if ctx.parent is not None:
            return params
        own = len(self.params)  # then the help option, as Typer orders them
        return [*params[:own], *self.completion_options(), *params[own:]]

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        self.completion_options()  # registers the shells before click looks for one
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


app = typer.Typer(
    cls=TrackGroup,
    help="Keep a ledger of inspectorates' recommendations: responses, deadlines, follow-ups and history.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
reports_app = typer.Typer(
    help="Published reports: add, list and show them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(reports_app, name="reports")


def runs(body: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Under `@app.command()`: the decorated function declares the command line (its
    parameters and docstring, which Typer reads; its own body stays empty) and `body` does
    the work, called with the `Run` of the command line and the parameters' values by name.
    The click command's callback keeps `track_body` ("module:function") for the fast path,
    and the body is looked up by that name at each call, as the fast path does."""
    module, name = body.__module__, body.__name__

    def declare(declared: Callable[..., Any]) -> Callable[..., Any]:
        if "ctx" not in inspect.signature(declared).parameters:
            raise TypeError(f"{declared.__name__} must take ctx: typer.Context")

        @functools.wraps(declared)
        def command(ctx: typer.Context, **values: Any) -> Any:
            return getattr(sys.modules[module], name)(ctx.find_root().ensure_object(Run), **values)

        command.track_body = f"{module}:{name}"  # type: ignore[attr-defined]
        return command

    return declare


@app.callback()
@runs(commands.start)
def main_callback(
    ctx: typer.Context,
    ledger: Annotated[Optional[str], typer.Option("--ledger", "-L", metavar="PATH",
                      help="The ledger folder. Default: $TRACK_LEDGER, else the nearest folder upwards holding track.toml.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=commands.show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    pass


# --------------------------------------------------------------------------- shared options

FormatOpt = Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.formats,
                      help="table, plain, json, csv or markdown. Default: table on a terminal, plain when piped.")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE",
                    help="Show the ledger as it stood at the end of DATE (2017-05-24, 'May 2017' = its last day, '-3 months').")]


# --------------------------------------------------------------------------- init


@app.command()
@runs(commands.init)
def init(
    ctx: typer.Context,
    directory: Annotated[str, typer.Argument(metavar="DIR", help="Where to create the ledger (default: here).")] = ".",
    name: Annotated[Optional[str], typer.Option(help="The ledger's name (default: the folder's name).")] = None,
    git: Annotated[bool, typer.Option("--git", help="Keep the ledger in git: commit each change, merge report files with track's merge driver. In an existing ledger (a fresh clone) it only sets up git.")] = False,
) -> None:
    """Create a ledger: track.toml, reports/, and a .gitignore for track's own files.

    Example: track init met-ledger
    """


# --------------------------------------------------------------------------- reports


@reports_app.command("add")
@runs(commands.reports_add)
def reports_add(
    ctx: typer.Context,
    report_id: Annotated[str, typer.Argument(metavar="ID", help="The report's id, also its file name, e.g. hmic-2016-met-cp.")],
    title: Annotated[str, typer.Option(help="The report's title.")],
    by: Annotated[str, typer.Option(autocompletion=complete.bodies, help="The issuing body, e.g. HMIC.")],
    subject: Annotated[str, typer.Option(autocompletion=complete.subjects, help="The inspected body, e.g. 'Metropolitan Police Service'.")],
    published: Annotated[str, typer.Option(metavar="DATE", help="Publication date, e.g. 2016-11-24 or '24 November 2016'.")],
    kind: Annotated[str, typer.Option(autocompletion=complete.report_kinds, help="inspection, follow-up, revisit, review, peel, thematic, investigation, prevention-of-future-deaths, audit or other.")] = "inspection",
    follows: Annotated[Optional[list[str]], typer.Option("--follows", metavar="ID", autocompletion=complete.report_ids, help="A report this one follows up (repeatable).")] = None,
    url: Annotated[Optional[str], typer.Option(help="Where the report is published.")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note on the report (e.g. that a date is approximate).")] = None,
    followup_every: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Follow-up reports expected every DURATION, e.g. '3 months'.")] = None,
    followup_from: Annotated[Optional[str], typer.Option(metavar="DATE", help="The first follow-up expected on DATE (default: publication + interval).")] = None,
    followup_until: Annotated[Optional[str], typer.Option(metavar="DATE", help="No follow-up expected after DATE.")] = None,
    revisit_by: Annotated[Optional[str], typer.Option(metavar="WHEN", help="A revisit promised 'within 12 months' or by a date.")] = None,
    response_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="The response clock, e.g. '56 days' (Police Act 1996 s.55).")] = None,
    figure: Annotated[Optional[list[str]], typer.Option(metavar="KEY=N", help="A figure, e.g. 'cases reviewed=374' (repeatable).")] = None,
    grade: Annotated[Optional[list[str]], typer.Option(metavar="QUESTION=GRADE", help="A graded judgement, e.g. 'effectiveness=requires-improvement' (repeatable).")] = None,
) -> None:
    """Add a published report.

    Example: track reports add hmic-2016-met-cp --title "National child protection inspection" --by HMIC
    --subject "Metropolitan Police Service" --published 2016-11-25 --response-within "56 days"
    """


@reports_app.command("list")
@runs(commands.reports_list)
def reports_list(ctx: typer.Context, format: FormatOpt = None, as_of: AsOfOpt = None) -> None:
    """List the reports, oldest first, with how many recommendations each has and how many are open."""


@reports_app.command("show")
@runs(commands.reports_show)
def reports_show(
    ctx: typer.Context,
    report_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.report_ids, help="A report id or a unique prefix of one.")],
    format: FormatOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Show a report: its details, figures, grades, schedule and recommendations."""


# --------------------------------------------------------------------------- add / update


@app.command()
@runs(commands.add)
def add(
    ctx: typer.Context,
    report: Annotated[str, typer.Argument(metavar="REPORT", autocompletion=complete.report_ids, help="The report that makes the recommendation (id or unique prefix).")],
    ref: Annotated[str, typer.Option(help="Its reference within the report, e.g. R3, C1 or AFI2.")],
    text: Annotated[str, typer.Option(help="What the report asks for, in its words or yours.")],
    kind: Annotated[str, typer.Option(autocompletion=complete.kinds, help="recommendation, cause-of-concern or area-for-improvement.")] = "recommendation",
    answers: Annotated[Optional[str], typer.Option(metavar="CAUSE", help="The cause of concern this recommendation answers.")] = None,
    owner: Annotated[Optional[str], typer.Option(autocompletion=complete.owners, help="Who must act.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", autocompletion=complete.tags, help="A theme (repeatable).")] = None,
    due: Annotated[Optional[str], typer.Option(metavar="DATE", help="Due date: 2017-06-30, 'June 2017' (its last day), '+6 months' or '56 days after publication', counted from publication.")] = None,
    priority: Annotated[Optional[str], typer.Option(autocompletion=complete.priorities, help="high, medium or low.")] = None,
) -> None:
    """Add a recommendation (or cause of concern, or area for improvement) to a report.

    Example: track add hmic-2016-met-cp --ref R1 --text "Appoint a chief officer lead for child protection" --due "+3 months"
    """


@app.command()
@runs(commands.update)
def update(
    ctx: typer.Context,
    rec_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.rec_ids, help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
    status: Annotated[Optional[str], typer.Option(autocompletion=complete.statuses, help="not-started, in-progress, partially-implemented, reported-complete, implemented, not-implemented, superseded or withdrawn.")] = None,
    response: Annotated[Optional[str], typer.Option(autocompletion=complete.responses, help="accepted, partially-accepted, not-accepted or noted.")] = None,
    due: Annotated[Optional[str], typer.Option(metavar="DATE", help="A new due date (counted from the event's date when relative); needs --reason if one was set.")] = None,
    reason: Annotated[Optional[str], typer.Option(help="Why the due date changes.")] = None,
    owner: Annotated[Optional[str], typer.Option(autocompletion=complete.owners, help="A new owner.")] = None,
    note: Annotated[Optional[str], typer.Option(help="What happened.")] = None,
    source: Annotated[Optional[str], typer.Option(autocompletion=complete.report_ids, help="Where it is recorded: a follow-up report's id, or e.g. 'force update'.")] = None,
    evidence: Annotated[Optional[list[str]], typer.Option("--evidence", help="A link to evidence (repeatable).")] = None,
    superseded_by: Annotated[Optional[str], typer.Option(metavar="ID", autocompletion=complete.rec_ids, help="The recommendation that replaces this one.")] = None,
    duplicate_of: Annotated[Optional[str], typer.Option(metavar="ID", autocompletion=complete.rec_ids, help="The recommendation this one duplicates.")] = None,
    related: Annotated[Optional[list[str]], typer.Option("--related", metavar="ID", autocompletion=complete.rec_ids, help="A related recommendation (repeatable).")] = None,
    when: Annotated[Optional[str], typer.Option("--date", metavar="DATE", help="When it happened (default: today).")] = None,
) -> None:
    """Record what happened to a recommendation: one event in its history.

    Example: track update hmic-2016-met-cp/R1 --status in-progress --source hmic-2017-met-cp-q1 --date 2017-03-15 --note "Lead appointed"
    """


# --------------------------------------------------------------------------- reading


@app.command("list")
@runs(commands.list_)
def list_(
    ctx: typer.Context,
    status: Annotated[Optional[list[str]], typer.Option("--status", "-s", autocompletion=complete.status_filters, help="A status, 'open' or 'closed' (repeatable, or comma-separated).")] = None,
    report: Annotated[Optional[str], typer.Option(metavar="REPORT", autocompletion=complete.report_ids, help="Only this report's recommendations.")] = None,
    subject: Annotated[Optional[str], typer.Option(autocompletion=complete.subjects, help="Only reports on this inspected body (part of its name).")] = None,
    issued_by: Annotated[Optional[str], typer.Option(metavar="BODY", autocompletion=complete.bodies, help="Only reports by this body (part of its name).")] = None,
    owner: Annotated[Optional[str], typer.Option(autocompletion=complete.owners, help="Only this owner (part of the name).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", autocompletion=complete.tags, help="Only with this theme (repeatable: any of them).")] = None,
    kind: Annotated[Optional[list[str]], typer.Option("--kind", autocompletion=complete.kinds, help="recommendation, cause-of-concern or area-for-improvement (repeatable).")] = None,
    priority: Annotated[Optional[list[str]], typer.Option("--priority", autocompletion=complete.priorities, help="high, medium or low (repeatable).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open items past their due date.")] = False,
    due_within: Annotated[Optional[str], typer.Option(metavar="DURATION", help="Only open items due within DURATION, e.g. 30d.")] = None,
    stale: Annotated[bool, typer.Option("--stale", help="Only open items with no event for longer than the ledger's stale setting.")] = False,
    search: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Only items whose id, text, owner, tags or notes contain TEXT.")] = None,
    sort: Annotated[str, typer.Option(autocompletion=complete.sorts, help="issued (default), id, due, status, owner, priority, last-event or overdue.")] = "issued",
    as_of: AsOfOpt = None,
    format: FormatOpt = None,
) -> None:
    """List recommendations (all of them unless filtered), as they stood on a date.

    Example: track list --status open --sort due
    """


@app.command()
@runs(commands.show)
def show(
    ctx: typer.Context,
    rec_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete.rec_ids, help="REPORT/REF, a unique prefix of it, or REF alone where one report has it.")],
    as_of: AsOfOpt = None,
    format: FormatOpt = None,
) -> None:
    """Show one recommendation and its history as a timeline.

    Example: track show hmic-2016-met-cp/R1 --as-of 2017-06-30
    """


@app.command()
@runs(commands.check)
def check(ctx: typer.Context) -> None:
    """Validate the whole ledger: syntax, keys, values, links and dates. Exit 1 if anything is wrong."""


@app.command()
@runs(commands.undo)
def undo(ctx: typer.Context) -> None:
    """Revert the last change track made to the ledger (kept in .track/journal.json), and say what it was.

    It refuses, changing nothing, if a file has changed since track wrote it.
    """


def _completed_words() -> list[str] | None:
    """Under shell completion (`_TRACK_COMPLETE=complete_SHELL`), the words before the one
    being completed, read from the environment as Typer's shell classes read them; else None."""
    instruction = next((v for k, v in os.environ.items() if k.startswith("_TRACK_COMPLETE")), None)
    if instruction is None:
        return None
    from typer._click.shell_completion import split_arg_string

    if instruction == "complete_bash":
        words = split_arg_string(os.environ.get("COMP_WORDS", ""))
        cword = os.environ.get("COMP_CWORD", "")
        return words[1:int(cword)] if cword.isdigit() else []
    if instruction in ("complete_zsh", "complete_fish"):
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = split_arg_string(line)[1:]
        return words[:-1] if words and not line.endswith(" ") else words
    return []  # another shell or instruction: build every command


def _build_only_the_command(argv: list[str]) -> None:
    """Typer builds every command's parameters before running one; when the command line
    names a command, register only that one (help and mistakes see them all). Completing a
    command's values needs only that command too (its name is among the words before)."""
    completed = _completed_words()
    if completed is not None:
        argv = completed
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--ledger", "-L"):
            i += 2
        elif arg.startswith("--ledger=") or (arg.startswith("-L") and len(arg) > 2):
            i += 1
        elif arg.startswith("-"):
            return
        else:
            break
    else:
        return
    name = argv[i]
    chosen = [c for c in app.registered_commands
              if (c.name or (c.callback.__name__ if c.callback else "")).replace("_", "-") == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if chosen or groups:
        app.registered_commands[:] = chosen
        app.registered_groups[:] = groups


def main() -> None:
    """The slow path: Typer parses the command line (fastpath.main comes here for anything
    it does not run itself)."""
    _build_only_the_command(sys.argv[1:])
    try:
        app()
    except BrokenPipeError:
        # `track list | head`: the reader left; say nothing more.
        commands.silence_stdout()
        sys.exit(1)


from . import cmd_remind  # noqa: E402,F401  (registers remind)
from . import cmd_report  # noqa: E402,F401  (registers report, history, reports update)
from . import cmd_team  # noqa: E402,F401  (registers import, export, merge-driver)
