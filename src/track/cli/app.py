"""The command line as Typer runs it: the group, its options, expected failures as one line
and their exit code, and each command module asked to declare its own commands."""

from __future__ import annotations

import os
import re
import sys
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from track.cli import complete, run
from track.cli.declare import runs

# --------------------------------------------------------------------------- errors


# What rich would read as a markup tag in help text: `[` then a lower-case letter, #, / or @
# (rich's own rule), as in "[remind] within in track.toml", which it would drop.
_MARKUP = re.compile(r"\[(?=[a-z#/@])")
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z`(])")


def plain_help(command: Any) -> Any:
    """A command's help as written, not as rich markup: a `[section]` of track.toml stays in
    the text. Its line in a group's list of commands is the first sentence of its help on one
    line, wrapped to the terminal, not the docstring's own line breaks. Done once a command."""
    if getattr(command, "_track_plain_help", False):
        return command
    if command.help:
        command.help = _MARKUP.sub(r"\\[", command.help)
        if command.short_help is None:
            first = command.help.split("\n\n", 1)[0]
            command.short_help = " ".join(_SENTENCE_END.split(first, 1)[0].split())
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _MARKUP.sub(r"\\[", param.help)
    command._track_plain_help = True
    return command


class TrackGroup(TyperGroup):
    """Turns every expected failure into `track: message` on stderr and its exit code."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        return plain_help(command) if command is not None else None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        plain_help(self)
        super().format_help(ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except (Exception, KeyboardInterrupt) as error:  # a bug too: one line, never a traceback
            if type(error).__module__.startswith("typer"):
                raise
            code = run.failure(error)  # the fast path says the same (fastpath.py)
            if code is None:  # TRACK_DEBUG=1
                raise
            ctx.exit(code)
        finally:
            if ctx.parent is None and isinstance(ctx.obj, run.Run):  # the command is done: let go of the ledger
                ctx.obj.close()

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        """As Typer's, but a usage error is shown as click shows it (the usage line, where to
        find help, and `Error: ...`), not in one of rich's panels: help is rich's, errors
        stay lines that a script or a cron mail can quote."""
        from typer.core import _main

        return _main(self, args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=standalone_mode,
                     windows_expand_args=windows_expand_args, rich_markup_mode=None, **extra)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """`track` (or `track reports`) alone shows the help, as rich draws it, and exits 2 (a
        usage error), with nothing on stderr: click would add an empty error message there."""
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), nl=False)  # rich has printed it already; click's text is empty
            ctx.exit(2)
        return super().parse_args(ctx, args)

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
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _group(name: str, help: str) -> typer.Typer:
    """A group of commands under `track NAME`, run as the top level is."""
    group = typer.Typer(cls=TrackGroup, help=help, no_args_is_help=True, rich_markup_mode="rich",
                        pretty_exceptions_enable=False, add_completion=False)
    app.add_typer(group, name=name)
    return group


reports_app = _group("reports", "Published reports: add, list and show them.")
action_app = _group("action", "A recommendation's action plan: add actions, mark them done, move their dates.")


@app.callback()
@runs(run.start)
def main_callback(
    ctx: typer.Context,
    ledger: Annotated[Optional[str], typer.Option("--ledger", "-L", metavar="PATH",
                      help="The ledger folder. Default: $TRACK_LEDGER, else the nearest folder upwards holding track.toml.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=run.show_version, is_eager=True, help="Print the version and exit.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Write to the terminal directly: no pager for output longer than the screen ($TRACK_PAGER, else $PAGER, else less -FRX).")] = False,
) -> None:
    pass


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
        elif arg.startswith("--ledger=") or (arg.startswith("-L") and len(arg) > 2) or arg == "--no-pager":
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
        try:
            app()
        finally:
            if "track.cli.pager" in sys.modules:  # a long output went through the pager: wait for the reader
                sys.modules["track.cli.pager"].finish()
    except BrokenPipeError:
        # `track list | head`: the reader left; say nothing more.
        run.silence_stdout()
        sys.exit(1)


def _declare_commands() -> None:
    """Each command's module declares its command line; in this order they appear in help."""
    from track.cli import actions, check, exchange, history, init, owners, publish, records, remind, report, reports, undo

    init.declare(app)
    reports.declare(reports_app)
    records.declare(app)
    actions.declare(action_app)
    check.declare(app)
    undo.declare(app)
    remind.declare(app)
    owners.declare(app)
    report.declare(app)
    history.declare(app)
    exchange.declare(app)
    publish.declare(app)


_declare_commands()
