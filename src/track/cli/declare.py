"""What the Typer declarations of the commands share: `runs` (the body that does a command's
work), the options several commands take, and a pass-through for text parameters. A command's
module declares its command line inside declare(), which alone imports typer, so that the fast
path can import the body without it; those modules do not use `from __future__ import
annotations`, because Typer reads the declared functions' annotations as objects."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from track.cli import complete
from track.cli.run import Run

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


def _install_plain_placeholders() -> None:
    """Help names an argument by its placeholder alone (ID, not `ID <str>`), a flag by its name
    alone (--overdue, not `--overdue <bool>`), and a required argument in the usage line as
    ID, not {ID}, as command-line tools have long written them."""
    try:
        from typer.core import TyperArgument, TyperOption
    except ImportError:  # a Typer without this class: its own style, still correct
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None

    option_type = TyperOption.display_type_rich

    def option_type_rich(self: Any, ctx: Any) -> str | None:  # a flag takes no value: no placeholder
        return None if getattr(self, "is_flag", False) and not getattr(self, "count", False) else option_type(self, ctx)

    TyperOption.display_type_rich = option_type_rich

    def usage_display_name(self: Any) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    TyperArgument.display_type_rich = display_type_rich
    TyperArgument._usage_display_name = usage_display_name


_install_plain_placeholders()


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


FormatOpt = Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", autocompletion=complete.formats,
                      help="table, plain, json, csv or markdown. Default: table on a terminal, plain when piped.")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", metavar="DATE",
                    help="Show the ledger as it stood at the end of DATE (2017-05-24, 'May 2017' or 'Q1 2017' = its last day, '-3 months').")]
ReportFormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", metavar="FORMAT", autocompletion=complete.report_formats,
    help="table, plain, json, csv, markdown or html (one self-contained page). Default: table on a terminal, plain when piped.")]
