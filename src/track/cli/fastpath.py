"""The entry point, and a fast path that runs well-formed command lines from a spec of Typer's
command line without importing typer (docs/internals.md says how it stays Typer's twin)."""

from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

from track import __version__

FORMAT = 1  # of the spec file; bump when its layout changes
# The only modules the fast path imports a body or a callback from: none of them imports typer.
BODY_MODULES = ("track.cli.run", "track.cli.init", "track.cli.reports", "track.cli.records", "track.cli.check",
                "track.cli.undo", "track.cli.report", "track.cli.history", "track.cli.remind", "track.cli.exchange",
                "track.cli.publish", "track.cli.owners", "track.cli.actions")
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # track/
MAX_HELP_TEXTS = 16  # widths kept in one spec


def entry() -> None:
    """The installed `track` command: `main`, then, once all output is flushed, an exit that
    skips the interpreter's teardown: freeing the millions of objects a national register is
    read into, one by one, takes longer than some commands (0.2-0.4 s of `list` on 100,000
    recommendations). Nothing of track's waits for that teardown: files are written and
    renamed, pools closed and locks released (the kernel drops them with the process) before
    a command returns."""
    try:
        main()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is None:
        code = 0
    if not isinstance(code, int):  # a message to print: as Python does it
        raise SystemExit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `track list | head`: the reader left; say nothing more
        from track.cli.run import silence_stdout

        silence_stdout()
        code = code or 1
    except (OSError, ValueError):
        raise SystemExit(code) from None  # let the interpreter report it as it would
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def main() -> None:
    """`track`: the fast path when it can, else Typer."""
    import gc

    # A command lives for a moment and makes few reference cycles, while reading a national
    # register allocates millions of objects, over which the cyclic collector would run
    # again and again (a third of the time of `list` on 100,000 recommendations).
    gc.disable()
    argv = sys.argv[1:]
    spec = load()
    run = None
    if spec is not None:
        try:
            run = plan(spec, argv)
        except Exception:  # a spec this code does not understand: rebuild it
            if os.environ.get("TRACK_DEBUG"):
                raise
            spec = None
    if run is not None:
        try:
            run()
        finally:
            if "track.cli.pager" in sys.modules:  # a long output went through the pager: wait for the reader
                sys.modules["track.cli.pager"].finish()
        return
    slow(argv, spec)


def slow(argv: list[str], spec: dict[str, Any] | None) -> None:
    """Typer runs the command line; first, if the spec is missing or stale (or lacks the help
    text asked for), make it while typer is loaded anyway."""
    from track.cli import app

    try:
        if spec is None or (_help_request(spec, argv) and _help_key() not in spec.get("help", {})):
            if _writable():
                refresh(app.app, spec, argv)
    except Exception:  # never let the cache stand in the way of the command
        if os.environ.get("TRACK_DEBUG"):
            raise
    app.main()


# --------------------------------------------------------------------------- where it lives


def cache_file() -> str | None:
    """$XDG_CACHE_HOME/track/cli-HASH.json (else ~/.cache/...; None without a home); HASH
    names this installation (track's folder and the Python environment), so that two never
    take turns rewriting it."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG default
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    tag = 0x811C9DC5  # FNV-1a, 32 bits: no hashlib or zlib to import
    for byte in f"{PACKAGE}\0{sys.prefix}".encode("utf-8", "surrogateescape"):
        tag = ((tag ^ byte) * 0x01000193) & 0xFFFFFFFF
    return os.path.join(base, "track", f"cli-{tag:08x}.json")


def _stamp(path: str) -> list[Any]:
    st = os.stat(path)
    return [path, st.st_size, st.st_mtime_ns]


def load() -> dict[str, Any] | None:
    """The spec, if there is one and nothing it was made from has changed."""
    path = cache_file()
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            spec = json.loads(f.read())
        if spec.get("format") != FORMAT or spec.get("version") != __version__ or spec.get("python") != sys.hexversion:
            return None
        for stamp in spec["files"]:
            if _stamp(stamp[0]) != stamp:
                return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None
    return spec


def save(spec: dict[str, Any]) -> bool:
    """Writes the spec atomically (a temporary file renamed over it); False if it cannot."""
    path = cache_file()
    if path is None:
        return False
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "w", encoding="utf-8") as f:
            # default=repr: a default the fast path cannot take anyway (its command is marked so)
            json.dump(spec, f, ensure_ascii=False, separators=(",", ":"), default=repr)
        os.replace(temp, path)
        return True
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False


def _writable() -> bool:
    """Whether a spec can be saved: if not, building one is wasted time on every slow run."""
    path = cache_file()
    if path is None:
        return False
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError:
        return False
    return os.access(os.path.dirname(path), os.W_OK)


# --------------------------------------------------------------------------- parsing


class Fallback(Exception):
    """The command line is not one the fast path is sure about: Typer takes it."""


def plan(spec: dict[str, Any], argv: list[str]) -> Callable[[], None] | None:
    """What to do for argv: a function that runs it, or None for the slow path."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # shell completion: click's business
    if _help_request(spec, argv):
        text = spec.get("help", {}).get(_help_key())
        if text is None:
            return None
        return lambda: _print_help(text, usage_error=not argv)
    if any(arg in spec["help_names"] for arg in argv):
        return None
    try:
        levels = _parse(spec["root"], argv)
    except Fallback:
        return None
    return lambda: _execute(levels)


def _help_request(spec: dict[str, Any], argv: list[str]) -> bool:
    """`track --help`, `track -h`, or `track` alone (which prints the help on stderr, exit 2)."""
    if not argv:
        return bool(spec["root"].get("no_args_is_help"))
    return len(argv) == 1 and argv[0] in spec["help_names"]


def _help_key() -> str:
    """Help text depends on the program name click shows (from argv[0] and how Python was
    started) and on the terminal width (shutil.get_terminal_size, as click asks)."""
    import shutil

    main_module = sys.modules.get("__main__")
    env = os.environ
    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        terminal = False
    # Typer's rich help is drawn for the terminal it is shown on: its colours and box follow
    # these as rich reads them
    looks = [str(terminal)] + [f"{name}={env.get(name)}" for name in (
        "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TERM", "COLORTERM", "COLUMNS", "TERMINAL_WIDTH", "TTY_INTERACTIVE")]
    return "\0".join([sys.argv[0], str(getattr(main_module, "__package__", None)),
                      str(shutil.get_terminal_size().columns), *looks])


def _print_help(text: str, usage_error: bool) -> None:
    """The help on stdout, as Typer's rich help prints it, then (for --help) the newline
    click's echo of the help adds; for no command at all (click's NoArgsIsHelpError, a usage
    error) no newline, and exit 2."""
    from track.cli.run import silence_stdout

    try:
        sys.stdout.write(text if usage_error else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise SystemExit(1) from None
    if usage_error:
        raise SystemExit(2)


class Level:
    """One word of the command path (the group, a subgroup, the command) and its values."""

    def __init__(self, node: dict[str, Any], values: dict[str, Any], given: list[str]) -> None:
        self.node = node
        self.values = values
        self.given = given  # option names in the order they appeared (click's invocation order)
        self.body = _resolve(node["body"]) if node.get("body") else None
        self.callbacks = [(p, _resolve(p["callback"])) for p in node["params"] if p.get("callback")]


def _parse(node: dict[str, Any], argv: list[str]) -> list[Level]:
    levels: list[Level] = []
    rest = list(argv)
    while True:
        if not node.get("fast"):
            raise Fallback
        group = "commands" in node
        values, given, rest = _parse_level(node, rest, group)
        levels.append(Level(node, values, given))
        if not group:
            return levels
        if not rest:
            # No command: only an eager option given here (--version) ends the run before
            # click would complain; anything else is Typer's to report.
            if any(p.get("callback") and p["eager"] and p["name"] in given for p in node["params"]):
                return levels
            raise Fallback
        node = node["commands"].get(rest.pop(0))
        if node is None:
            raise Fallback


def _parse_level(node: dict[str, Any], args: list[str], group: bool) -> tuple[dict[str, Any], list[str], list[str]]:
    """click's parser for one command, for the command lines it accepts the same way.
    A group stops at its first positional word (the command); a command takes options and
    positional arguments in any order, and everything after `--` as positional."""
    params = node["params"]
    longs: dict[str, dict[str, Any]] = {}
    shorts: dict[str, dict[str, Any]] = {}
    for p in params:
        for opt in p.get("opts", ()):
            (shorts if len(opt) == 2 and opt[1] != "-" else longs)[opt] = p
    got: dict[str, Any] = {}
    given: list[str] = []
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            if group:
                raise Fallback
            positional += args[i:]
            break
        if arg[:1] != "-" or len(arg) == 1:
            if group:
                i -= 1
                break
            positional.append(arg)
            continue
        name, eq, attached = arg.partition("=")
        p = longs.get(name)
        if p is not None:  # --opt, --opt=value, --opt value
            if p["flag"]:
                if eq:
                    raise Fallback  # a flag given a value: click's error
                value: Any = True
            elif eq:
                value = attached
            elif i < len(args):
                value, i = args[i], i + 1
            else:
                raise Fallback  # no value: click's error
        else:  # -o value, -ovalue (click would also take -o=value as "=value")
            p = shorts.get(arg[:2])
            if p is None or arg[:2] == "--":
                raise Fallback  # unknown option
            if p["flag"]:
                if len(arg) > 2:
                    raise Fallback  # combined short flags
                value = True
            elif len(arg) > 2:
                value = arg[2:]
            elif i < len(args):
                value, i = args[i], i + 1
            else:
                raise Fallback
        if p["multiple"]:
            got.setdefault(p["name"], []).append(value)
        else:
            got[p["name"]] = value
        given.append(p["name"])
    rest = args[i:] if group else []

    values: dict[str, Any] = {}
    arguments = [p for p in params if p["kind"] == "argument"]
    if len(positional) > len(arguments):
        raise Fallback  # "Got unexpected extra argument"
    for p, value in zip(arguments, positional):
        got[p["name"]] = value
    for p in params:
        if p["name"] in got:
            value = got[p["name"]]
        elif p["multiple"]:
            value = None if p["default"] is None else list(p["default"])
        else:
            value = p["default"]
        if p["required"] and (value is None or value == []):
            raise Fallback  # "Missing option" / "Missing argument"
        values[p["name"]] = value
    return values, given, rest


def _resolve(name: str) -> Callable[..., Any]:
    import importlib

    module, _, function = name.partition(":")
    if module not in BODY_MODULES:
        raise Fallback
    try:
        return getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        raise Fallback from None


# --------------------------------------------------------------------------- running


def _execute(levels: list[Level]) -> None:
    """What click and cli.TrackGroup do, in their order: the group's parameter callbacks
    (while click parses, before TrackGroup.invoke), then, within TrackGroup.invoke's error
    handling, the group's body, and each level's callbacks and body."""
    from track.cli.run import Run, failure

    run = Run()
    _callbacks(levels[0])
    try:
        for n, level in enumerate(levels):
            if n:
                _callbacks(level)
            if level.body is not None:
                level.body(run, **level.values)
        if "commands" in levels[-1].node:
            # An eager option without a command whose callback did not end the run. The
            # bodies in BODY_MODULES never do this (show_version exits); say so rather than guess.
            raise RuntimeError("an eager option's callback returned without a command")
    except (Exception, KeyboardInterrupt) as error:
        code = failure(error)
        if code is None:  # TRACK_DEBUG=1: the traceback
            raise
        raise SystemExit(code) from None
    finally:
        run.close()


def _callbacks(level: Level) -> None:
    """click's order: eager parameters first, each group in the order given on the command
    line, then the rest in declaration order. A callback's result replaces the value."""
    given = level.given

    def order(item: tuple[dict[str, Any], Any]) -> tuple[bool, int]:
        p = item[0]
        return (not p["eager"], given.index(p["name"]) if p["name"] in given else len(given))

    for p, callback in sorted(level.callbacks, key=order):
        level.values[p["name"]] = callback(level.values[p["name"]])


# --------------------------------------------------------------------------- making the spec


def refresh(app: Any, spec: dict[str, Any] | None, argv: list[str]) -> None:
    """Writes a fresh spec from the Typer app (if `spec` is None), adding the help text for
    this terminal when argv asks for the top-level help. Slow path only: imports typer."""
    import typer.main

    command = typer.main.get_command(app)
    if spec is None:
        spec = build(command)
    if _help_request(spec, argv):
        help_texts = spec.setdefault("help", {})
        if len(help_texts) >= MAX_HELP_TEXTS:
            help_texts.clear()
        help_texts[_help_key()] = render_help(command)
    save(spec)


def render_help(command: Any) -> str:
    """The top-level help exactly as click prints it for --help (and, on stderr, for no
    arguments): ctx.get_help() under the program name click would detect."""
    import contextlib
    import io

    from typer._click.utils import _detect_program_name

    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        terminal = False

    class Screen(io.StringIO):
        """What Typer's rich help is printed to: a terminal when stdout is one."""

        def isatty(self) -> bool:
            return terminal

    screen = Screen()
    with command.make_context(_detect_program_name(), [], resilient_parsing=True) as ctx:
        with contextlib.redirect_stdout(screen):  # rich help prints to the console itself
            text = ctx.get_help()
    return screen.getvalue() + text


def build(command: Any) -> dict[str, Any]:
    """The spec of a click command tree as Typer built it (see the module's docstring)."""
    settings = dict(command.context_settings or {})
    help_names = list(settings.pop("help_option_names", None) or ["--help"])
    root = _node(command)
    if settings:  # default_map, token_normalize_func, ...: not for the fast path
        root.update(fast=False, why=f"context settings {sorted(settings)}")
    import typer

    files = {os.path.abspath(m.__file__) for name, m in list(sys.modules.items())
             if (name == "track" or name.startswith("track.")) and getattr(m, "__file__", None)}
    files = {f for f in files if f.startswith(PACKAGE + os.sep)}
    files.add(os.path.abspath(typer.__file__))
    return {
        "format": FORMAT,
        "version": __version__,
        "python": sys.hexversion,
        "files": [_stamp(f) for f in sorted(files)],
        "help_names": help_names,
        "root": root,
        "help": {},
    }


def _node(command: Any, nested: bool = False) -> dict[str, Any]:
    group = hasattr(command, "commands")
    node: dict[str, Any] = {"fast": True, "body": None, "no_args_is_help": bool(getattr(command, "no_args_is_help", False)),
                            "params": []}
    problems: list[str] = []
    callback = command.callback
    if callback is not None:
        node["body"] = getattr(callback, "track_body", None)
        if node["body"] is None or node["body"].partition(":")[0] not in BODY_MODULES:
            problems.append("its callback is not a body (@runs)")
    if nested and command.context_settings:
        problems.append("its own context settings")
    if getattr(command, "deprecated", False):
        problems.append("deprecated (click warns)")
    expected = {"allow_extra_args": group, "allow_interspersed_args": not group, "ignore_unknown_options": False}
    for attr, value in expected.items():
        if getattr(command, attr, value) != value:
            problems.append(f"{attr}={not value}")
    if group:
        if getattr(command, "chain", False) or getattr(command, "invoke_without_command", False):
            problems.append("chained or invoked without a command")
        if getattr(command, "_result_callback", None) is not None:
            problems.append("a result callback")
    for param in command.params:
        record, problem = _param(param)
        node["params"].append(record)
        if problem:
            problems.append(f"{param.name}: {problem}")
    if problems:
        node.update(fast=False, why="; ".join(problems))
    if group:
        node["commands"] = {name: _node(sub, nested=True) for name, sub in command.commands.items()}
    return node


def _param(param: Any) -> tuple[dict[str, Any], str | None]:
    """A parameter's record, and why the fast path cannot take it (None if it can)."""
    kind = getattr(param, "param_type_name", "")
    flag = bool(getattr(param, "is_flag", False))
    record: dict[str, Any] = {
        "name": param.name,
        "kind": kind,
        "opts": list(param.opts) if kind == "option" else [],
        "flag": flag,
        "multiple": bool(param.multiple),
        "nargs": param.nargs,
        "required": bool(param.required),
        "default": param.default,
        "eager": bool(param.is_eager),
        "callback": None,
    }
    if kind not in ("option", "argument"):
        return record, f"a {kind or type(param).__name__} parameter"
    if param.nargs != 1:
        return record, f"nargs={param.nargs}"
    if not param.expose_value:
        return record, "not passed to the function"
    if param.envvar:
        return record, "read from the environment"
    if kind == "option":
        if param.secondary_opts:
            return record, "--x/--no-x"
        if getattr(param, "count", False) or getattr(param, "prompt", None) is not None:
            return record, "counted or prompted"
        if not all(opt[:1] == "-" and len(opt) > 1 and "=" not in opt for opt in param.opts):
            return record, "an option not written -x or --xyz"
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    annotation = getattr(descriptor, "annotation", None)
    if descriptor is None or descriptor.file_annotation is not None or getattr(info, "parser", None) is not None \
            or getattr(info, "click_type", None) is not None:
        return record, "a converted type"
    if flag:
        if annotation is not bool or param.multiple or not isinstance(param.default, bool):
            return record, "a flag that is not a plain bool"
    elif param.multiple:
        if annotation != list[str] or param.default is not None:
            return record, "a repeatable option that is not list[str] defaulting to None"
    elif annotation is not str or not (param.default is None or isinstance(param.default, str)):
        return record, "not a str with a str or None default"
    if param.callback is not None:
        original = getattr(param.callback, "__wrapped__", None)
        module = getattr(original, "__module__", "")
        import inspect

        if module not in BODY_MODULES or not param.is_eager or not flag or len(inspect.signature(original).parameters) != 1:
            return record, "a callback other than an eager flag's in a body module"
        record["callback"] = f"{module}:{original.__name__}"
    return record, None
