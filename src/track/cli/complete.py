"""Shell completion: the ids, owners, tags, bodies and subjects of the ledger, and the fixed
choices, offered as Typer's `autocompletion=` callbacks (docs/internals.md)."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

Candidates = list[str]

# --------------------------------------------------------------------------- fixed choices


def _quiet(function: Callable[[Any, str], Candidates]) -> Callable[[Any, str], Candidates]:
    """Whatever goes wrong, the shell gets no candidates, never a traceback (TRACK_DEBUG=1 shows it)."""

    @functools.wraps(function)
    def complete(ctx: Any, incomplete: str) -> Candidates:
        try:
            return function(ctx, incomplete)
        except Exception:
            if os.environ.get("TRACK_DEBUG"):
                raise
            return []

    return complete


@_quiet
def statuses(ctx: Any, incomplete: str) -> Candidates:
    """`update --status`: every status a recorded event may set (awaiting-response is where
    every recommendation starts, never set)."""
    from track.domain.model import STATUSES

    return [s for s in STATUSES if s != "awaiting-response"]


@_quiet
def status_filters(ctx: Any, incomplete: str) -> Candidates:
    """`list --status`: open, closed or a status, also after a comma (open,clo<TAB>)."""
    from track.domain.model import STATUSES

    head, comma, _ = incomplete.rpartition(",")
    given = {part.strip() for part in head.split(",")} if comma else set()
    return [f"{head}{comma}{s}" for s in ("open", "closed", *STATUSES) if s not in given]


@_quiet
def responses(ctx: Any, incomplete: str) -> Candidates:
    from track.domain.model import RESPONSES

    return list(RESPONSES)


@_quiet
def bases(ctx: Any, incomplete: str) -> Candidates:
    """`update --basis`: who vouches for a status."""
    from track.domain.model import BASES

    return list(BASES)


@_quiet
def kinds(ctx: Any, incomplete: str) -> Candidates:
    """A recommendation's kind (`add`, `list`)."""
    from track.domain.model import KINDS

    return list(KINDS)


@_quiet
def report_kinds(ctx: Any, incomplete: str) -> Candidates:
    """A report's kind (`reports add`, `reports update`)."""
    from track.domain.model import REPORT_KINDS

    return list(REPORT_KINDS)


@_quiet
def priorities(ctx: Any, incomplete: str) -> Candidates:
    from track.domain.model import PRIORITIES

    return list(PRIORITIES)


@_quiet
def sorts(ctx: Any, incomplete: str) -> Candidates:
    from track.domain.query import SORTS

    return list(SORTS)


@_quiet
def groupings(ctx: Any, incomplete: str) -> Candidates:
    """`report --by`."""
    from track.domain.progress import GROUP_BY

    return list(GROUP_BY)


@_quiet
def formats(ctx: Any, incomplete: str) -> Candidates:
    """`--format` of list, show, reports list and reports show."""
    from track.views.formats import FORMATS

    return list(FORMATS)


@_quiet
def report_formats(ctx: Any, incomplete: str) -> Candidates:
    """`--format` of report and history (html too)."""
    from track.views.formats import PAGE_FORMATS

    return list(PAGE_FORMATS)


@_quiet
def remind_formats(ctx: Any, incomplete: str) -> Candidates:
    from track.views.formats import REMIND_FORMATS

    return list(REMIND_FORMATS)


@_quiet
def import_formats(ctx: Any, incomplete: str) -> Candidates:
    from track.exchange.export import FILE_FORMATS

    return list(FILE_FORMATS)


@_quiet
def export_formats(ctx: Any, incomplete: str) -> Candidates:
    return ["json", "csv"]


# --------------------------------------------------------------------------- the ledger's values


def _ledger(ctx: Any) -> Any:
    """The ledger's folder as the command would find it, or None."""
    from track.domain.errors import TrackError
    from track.store.disk import find_ledger

    explicit = ctx.find_root().params.get("ledger")
    try:
        return find_ledger(explicit if isinstance(explicit, str) else None)
    except (TrackError, OSError):
        return None


def _report_ids(ctx: Any) -> list[str]:
    from track.store.disk import report_ids

    root = _ledger(ctx)
    return [] if root is None else report_ids(root)


def _declared(ctx: Any) -> dict[str, Any]:
    """The fields the ledger's track.toml declares ([fields.NAME]), or {}."""
    from track.domain.fields import declarations
    from track.store.disk import load_settings

    root = _ledger(ctx)
    return {} if root is None else declarations(load_settings(root))


@_quiet
def field_names(ctx: Any, incomplete: str) -> Candidates:
    """`edit --unset`: the ledger's own fields."""
    return list(_declared(ctx))


@_quiet
def field_assignments(ctx: Any, incomplete: str) -> Candidates:
    """`--set` and `list --where`: NAME= for each own field (built-in ones too after --where);
    after NAME=, a choice field's choices."""
    declared = _declared(ctx)
    name, equals, _ = incomplete.partition("=")
    if not equals:
        names = list(declared)
        if ctx.info_name == "list":
            from track.domain.query import WHERE_FIELDS

            names += list(WHERE_FIELDS)
        return [f"{n}=" for n in names]
    field = declared.get(name.strip().lower())
    return [f"{name}={c}" for c in field.choices] if field is not None else []


@_quiet
def column_names(ctx: Any, incomplete: str) -> Candidates:
    """`list --columns`: every column, also after a comma (id,sta<TAB>), the own fields too."""
    from track.views.records import COLUMN_ALIASES, RECORD_FIELDS

    head, comma, _ = incomplete.rpartition(",")
    given = {part.strip() for part in head.split(",")} if comma else set()
    names = [*RECORD_FIELDS, *COLUMN_ALIASES, *_declared(ctx)]
    return [f"{head}{comma}{n}" for n in names if n not in given]


@_quiet
def report_groupings(ctx: Any, incomplete: str) -> Candidates:
    """`report --by`: the fixed groupings and the ledger's own fields."""
    from track.domain.progress import GROUP_BY

    return [*GROUP_BY, *_declared(ctx)]


class Seen:
    """What completion needs of one report file: its body and subject, and for each
    recommendation its ref, owners (as issued and now), tags and its actions' numbers."""

    __slots__ = ("by", "subject", "recs")

    def __init__(self, by: Any, subject: Any, recs: list[tuple[Any, tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]]
                 ) -> None:
        self.by = by
        self.subject = subject
        self.recs = recs  # (ref, owners, tags)


def _read(ctx: Any, wanted: Callable[[str], bool] = lambda report_id: True, refs_only: bool = False) -> Iterator[tuple[str, Seen]]:
    """Each wanted report's Seen, from its index shard where that matches the file, else
    from the file itself (nothing written); unreadable files are skipped. With refs_only, a
    file is only scanned for its refs, not parsed (a cold index costs 5 ms, not 250 ms, a
    thousand recommendations)."""
    from track.store import cache, disk

    root = _ledger(ctx)
    if root is None:
        return
    use_cache = os.environ.get("TRACK_NO_CACHE", "") == "" and cache.VERSION == SHARD_LAYOUT
    shards = os.fspath(cache.folder(root))
    for report_id in disk.report_ids(root):
        if not wanted(report_id):
            continue
        path = disk.report_path(root, report_id)
        shard = cache.read_shard_at(os.path.join(shards, report_id)) if use_cache else None
        seen: Seen | None = None
        try:
            if shard is not None and cache.valid(shard, os.stat(path), path):
                seen = _from_shard(shard)
        except (OSError, ValueError, TypeError, IndexError):
            seen = None
        if seen is None:
            seen = _refs_from_file(path) if refs_only else _from_file(path)
        if seen is not None:
            yield report_id, seen


SHARD_LAYOUT = 16  # the cache.VERSION whose shard layout (cache.pack) _from_shard reads; another: the files


def _from_shard(shard: tuple) -> Seen:
    meta, recs = shard[4], shard[5]
    out = []
    for rec in recs:
        last = rec[11][0]  # the state after the last event (None: no event yet)
        owners = (rec[4],) if last is None else (rec[4], last[3])
        for action in rec[15] or ():  # the leads of its actions, as first set and as changed
            owners += (action[2], *(e[4] for e in action[7]))
        out.append((rec[0], owners, tuple(rec[5]), tuple(action[0] for action in rec[15] or ())))
    return Seen(meta[1], meta[2], out)


def _from_file(path: Any) -> Seen | None:
    from track.store.reportfile import toml_reader

    try:
        with open(path, "rb") as f:
            data = toml_reader().loads(f.read().decode("utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not TOML
        return None
    recs = []
    for rec in data.get("recommendations", ()):
        if not isinstance(rec, dict):
            continue
        events = [e for e in rec.get("events", ()) if isinstance(e, dict)]
        try:
            events.sort(key=lambda e: e["date"])  # stable: the same day keeps its order
        except (KeyError, TypeError):
            pass
        owners = [rec.get("owner")]
        now = [e["owner"] for e in events if "owner" in e]
        if now:
            owners.append(now[-1])
        numbers = []
        for action in rec.get("actions", ()) if isinstance(rec.get("actions"), list) else ():
            if isinstance(action, dict):
                owners.append(action.get("owner"))
                owners.extend(e.get("owner") for e in action.get("events", ()) if isinstance(e, dict))
                numbers.append(action.get("n"))
        tags = rec.get("tags", ())
        recs.append((rec.get("ref"), tuple(owners), tuple(tags) if isinstance(tags, list) else (), tuple(numbers)))
    return Seen(data.get("by"), data.get("subject"), recs)


# A recommendation's ref as track writes it (`ref = "R3"` on a line of its own), and as a
# person would; refs are plain words (model.SAFE_REF), so there is nothing to unescape. The
# pattern starts with its literal for speed; what precedes a match on its line is checked after.
# (A line of a multi-line text that reads like one is taken too: a candidate the command refuses.)
_REF_LINE = re.compile(r"""ref[ \t]*=[ \t]*["']([A-Za-z0-9][A-Za-z0-9._-]{0,39})["'][ \t]*(?:#.*)?$""", re.MULTILINE)


def _refs_from_file(path: Any) -> Seen | None:
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, ValueError):
        return None
    refs = [m.group(1) for m in _REF_LINE.finditer(text)
            if not text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip(" \t")]
    return Seen(None, None, [(ref, (), (), ()) for ref in refs])


def _could_hold(incomplete: str) -> Callable[[str], bool]:
    """Whether a report can hold a recommendation whose id (REPORT/REF) starts with incomplete."""
    return lambda report_id: report_id.startswith(incomplete) or incomplete.startswith(f"{report_id}/")


def _texts(values: Iterator[Any]) -> Candidates:
    """Distinct non-empty strings, sorted."""
    return sorted({v for v in values if isinstance(v, str) and v.strip()})


@_quiet
def report_ids(ctx: Any, incomplete: str) -> Candidates:
    """A report id: `reports show/update`, `add REPORT`, `report`, `--report`, `--follows`, `--source`."""
    return _report_ids(ctx)


@_quiet
def rec_ids(ctx: Any, incomplete: str) -> Candidates:
    """A recommendation id, REPORT/REF: `update`, `show`, and the links of `update`. Only the
    reports whose ids could begin one are read."""
    return [f"{report_id}/{rec[0]}" for report_id, seen in _read(ctx, _could_hold(incomplete), refs_only=True)
            for rec in seen.recs if isinstance(rec[0], str)]


@_quiet
def action_ids(ctx: Any, incomplete: str) -> Candidates:
    """An action's id, REPORT/REF/N: `action done` and `action update`. Only the reports whose
    ids could begin one are read."""
    return [f"{report_id}/{rec[0]}/{n}" for report_id, seen in _read(ctx, _could_hold(incomplete))
            for rec in seen.recs if isinstance(rec[0], str) for n in rec[3] if type(n) is int]


@_quiet
def targets(ctx: Any, incomplete: str) -> Candidates:
    """`history ID|REPORT`: a report id or a recommendation id."""
    return sorted({*(r for r in _report_ids(ctx) if r.startswith(incomplete)), *rec_ids(ctx, incomplete)})


@_quiet
def report_targets(ctx: Any, incomplete: str) -> Candidates:
    """`report [REPORT]`: a report id; with --grades also a subject."""
    ids = _report_ids(ctx)
    if ctx.params.get("grades"):
        return [*ids, *subjects(ctx, incomplete)]
    return ids


@_quiet
def owners(ctx: Any, incomplete: str) -> Candidates:
    """Every owner named in the ledger: as issued, as now after the events, and the leads of actions."""
    return _texts(owner for _, seen in _read(ctx) for rec in seen.recs for owner in rec[1])


@_quiet
def tags(ctx: Any, incomplete: str) -> Candidates:
    return _texts(tag for _, seen in _read(ctx) for rec in seen.recs for tag in rec[2])


@_quiet
def bodies(ctx: Any, incomplete: str) -> Candidates:
    """The issuing bodies of the ledger's reports (HMIC, IOPC, ...)."""
    return _texts(seen.by for _, seen in _read(ctx))


@_quiet
def subjects(ctx: Any, incomplete: str) -> Candidates:
    """The inspected bodies of the ledger's reports."""
    return _texts(seen.subject for _, seen in _read(ctx))


# --------------------------------------------------------------------------- the shells

# What bash would otherwise split or expand in an inserted candidate.
_BASH_ESCAPES = {ord(c): f"\\{c}" for c in " \t\"'\\$`!&;|<>()[]{}*?#~^"}

# Typer's bash function, but given the line up to the cursor and the word bash will replace
# ($2: after the last `=` or `:` of a word, as bash splits at COMP_WORDBREAKS); a candidate
# ending in `=` (a field's NAME=) is not followed by a space.
_BASH_SCRIPT = """
%(complete_func)s() {
    local IFS=$'\\n' candidate
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \\
                   COMP_CWORD=$COMP_CWORD \\
                   _TRACK_COMP_LINE="${COMP_LINE:0:COMP_POINT}" \\
                   _TRACK_COMP_CUR="$2" \\
                   %(autocomplete_var)s=complete_bash $1 ) )
    for candidate in "${COMPREPLY[@]}"; do
        if [[ $candidate == *= ]]; then
            compopt -o nospace 2>/dev/null || :  # outside completion (a test): no options to set
            break
        fi
    done
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""


def _last_word(line: str) -> tuple[str, bool]:
    """The last word of a command line as typed (quotes and backslashes kept), and whether the
    line ends between words (after an unquoted blank)."""
    start, quote, escaped, between = 0, "", False, True
    for i, c in enumerate(line):
        if escaped:
            escaped = False
        elif quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"':
                escaped = True
        elif c in " \t\n":
            between = True
            continue
        else:
            if between:
                start, between = i, False
            if c == "\\":
                escaped = True
            elif c in "'\"":
                quote = c
    return ("", True) if between else (line[start:], False)


def bash_inserts(line: str, cur: str, incomplete: str, candidates: list[str]) -> list[str]:
    """What bash is to insert for each (escaped) candidate of the word `incomplete`, the last
    word of `line`, when it replaces only `cur`, the end of that word after its last `=` or `:`
    (`risk=h`: bash replaces `h`, so `risk=high` is given as `high`). A candidate that does not
    begin with the part of the word bash keeps is left as it was."""
    word, between = _last_word(line)
    if between or not word.endswith(cur):
        return candidates
    kept = word[: len(word) - len(cur)]
    # `--where=risk=h`: the candidates (`risk=high`) are for what follows the option's `=`
    option = word[: word.index("=") + 1] if incomplete.startswith("-") and "=" in word else ""
    return [(option + c)[len(kept):] if (option + c).startswith(kept) else c for c in candidates]


def setup() -> tuple[Any, Any]:
    """Registers Typer's shells (bash's with its own script and escaped candidates, zsh's with
    FIELD= unspaced) and returns the click options `--install-completion` and
    `--show-completion`, as `typer.Typer(add_completion=True)` adds them."""
    from typer import _completion_shared
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, ZshComplete
    from typer.main import get_install_completion_arguments

    options = get_install_completion_arguments()  # also registers Typer's shells

    class EscapingBashComplete(BashComplete):
        """bash inserts a candidate as it is: "DCS Child Protection" would become three
        words, so spaces and the like are escaped as bash's own file completion does."""

        source_template = _BASH_SCRIPT

        def get_completion_args(self) -> tuple[list[str], str]:
            """From the line up to the cursor, where this script gives it: bash's own words
            are split at `=` and `:` (risk=high is `risk`, `=`, `high`)."""
            from typer._click.shell_completion import split_arg_string

            line = os.environ.get("_TRACK_COMP_LINE")
            if line is None:  # a script from before: COMP_WORDS, COMP_CWORD
                return super().get_completion_args()
            words = split_arg_string(line)
            if _last_word(line)[1]:
                return words[1:], ""
            return words[1:-1], words[-1] if words else ""

        def format_completion(self, item: Any) -> str:
            return str(item.value).translate(_BASH_ESCAPES)

        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            out = [self.format_completion(item) for item in self.get_completions(args, incomplete)]
            line, cur = os.environ.get("_TRACK_COMP_LINE"), os.environ.get("_TRACK_COMP_CUR")
            if line is not None and cur is not None:
                out = bash_inserts(line, cur, incomplete, out)
            return "\n".join(out)

    add_completion_class(EscapingBashComplete, "bash")

    class FieldNameZshComplete(ZshComplete):
        """zsh would put a space after `risk=`, cutting the value off from its field: names
        ending in `=` (FIELD= of --set and --where) are added without one."""

        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            items = self.get_completions(args, incomplete)
            values = [str(item.value) for item in items]
            if values and all(re.fullmatch(r"[\w.-]+=", v) for v in values):
                return "compadd -S '' -- " + " ".join(values)
            if not items:
                return "_files"  # as Typer's: zsh's own file completion
            return "_arguments '*: :((" + "\n".join(self.format_completion(item) for item in items) + "))'"

    add_completion_class(FieldNameZshComplete, "zsh")
    _completion_shared._completion_scripts["bash"] = _BASH_SCRIPT  # --show/--install-completion
    return options
