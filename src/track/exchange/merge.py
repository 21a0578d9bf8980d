"""Merging two sides' changes to one report file as a report, not line by line: what
`track merge-driver` does for git (the rules: docs/internals.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain.errors import TrackError
from track.store import reportfile


class Unreadable(TrackError):
    """One of the three versions is not a report track can read."""


class MergeConflict(TrackError):
    """Both sides changed the same field differently: the file holds both, between markers."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a key absent from a side


@dataclass
class _Conflict:
    """Both sides changed one field, differently."""

    ours: Any
    theirs: Any


@dataclass
class Outcome:
    """The merged text, and where it conflicts ("title", "R3.owner"): empty when clean."""

    text: str
    conflicts: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def document(text: str, report_id: str, shown: str) -> dict[str, Any]:
    """A report file's text as its canonical document (reportfile.encode_report); {} for an empty
    text (git's base when both sides added the file). Raises Unreadable, naming the place."""
    if not text.strip():
        return {}
    conflicts = reportfile.conflict_problems(shown, text)
    if conflicts:
        raise Unreadable(str(conflicts[0]))
    deep = reportfile.nesting_problem(shown, text)
    if deep:
        raise Unreadable(str(deep))
    tomllib = reportfile.toml_reader()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Unreadable(str(reportfile.syntax_problem(shown, text, error))) from None
    except RecursionError:
        raise Unreadable(f"{shown}: nested too deeply to read") from None
    report, problems, _ = reportfile.decode_report(report_id, data, shown, text)
    if problems or report is None:
        raise Unreadable(str(problems[0]) if problems else f"{shown}: not a report")
    return reportfile.encode_report(report)


def render(doc: dict[str, Any], report_id: str) -> str:
    """A document as track writes it."""
    report, problems, _ = reportfile.decode_report(report_id, doc, report_id, "")
    if problems or report is None:
        raise Unreadable(f"the merged report does not hold together: {problems[0].message if problems else 'empty'}")
    return reportfile.dumps_report(report)


# --------------------------------------------------------------------------- merging


def _same(a: Any, b: Any) -> bool:
    return a is b or reportfile.same_document(a, b)


def _event_key(event: dict[str, Any]) -> str:
    return repr(list(event.items()))  # repr tells 1 from 1.0 from True, as TOML does


def _matched(old: list[str], new: list[str]) -> tuple[set[int], set[int]]:
    """The indices of `old` and of `new` that one side's edit kept (their longest common run)."""
    from difflib import SequenceMatcher

    # What both begin and end with is kept, found in one pass (the usual merge: each side only
    # added events at the end); only what lies between goes to SequenceMatcher, each event
    # numbered by how many alike came before it on its side (the k-th of a kind on one side
    # matches the k-th on the other), so that no two items are alike: on many alike events
    # SequenceMatcher's time grows with the square of their number (20,000 took 80 s).
    shortest = min(len(old), len(new))
    head = 0
    while head < shortest and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < shortest - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    kept_old: set[int] = {*range(head), *range(len(old) - tail, len(old))}
    kept_new: set[int] = {*range(head), *range(len(new) - tail, len(new))}
    middle_old, middle_new = _numbered(old[head:len(old) - tail]), _numbered(new[head:len(new) - tail])
    if middle_old and middle_new:
        for a, b, size in SequenceMatcher(None, middle_old, middle_new, autojunk=False).get_matching_blocks():
            kept_old.update(range(head + a, head + a + size))
            kept_new.update(range(head + b, head + b + size))
    return kept_old, kept_new


def _numbered(keys: list[str]) -> list[tuple[str, int]]:
    """Each key with how many of it came before: every item different."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append((key, n))
    return out


class _Merge:
    def __init__(self) -> None:
        self.conflicts: list[str] = []

    def conflict(self, where: str, ours: Any, theirs: Any) -> _Conflict:
        self.conflicts.append(where)
        return _Conflict(ours, theirs)

    def value(self, where: str, base: Any, ours: Any, theirs: Any) -> Any:
        if _same(ours, theirs):
            return ours
        if _same(ours, base):
            return theirs
        if _same(theirs, base):
            return ours
        if isinstance(ours, dict) and isinstance(theirs, dict):
            return self.table(where, base if isinstance(base, dict) else {}, ours, theirs)
        return self.conflict(where, ours, theirs)

    def table(self, where: str, base: dict, ours: dict, theirs: dict, *, level: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            b, o, t = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
            if level == "report" and key == "recommendations":
                value = self.recommendations(*(v if isinstance(v, list) else [] for v in (b, o, t)))
            elif level in ("recommendation", "action") and key == "events":
                value = self.events(*(v if isinstance(v, list) else [] for v in (b, o, t)))
            elif level == "recommendation" and key == "actions":
                value = self.actions(where, *(v if isinstance(v, list) else [] for v in (b, o, t)))
            else:
                value = self.value(f"{where}.{key}" if where else key, b, o, t)
            if value is not MISSING and value != []:
                out[key] = value
        return out

    def recommendations(self, base: list[dict], ours: list[dict], theirs: list[dict]) -> list[Any]:
        by_ref = [{rec["ref"]: rec for rec in side} for side in (base, ours, theirs)]
        out: list[Any] = []
        for ref in [*by_ref[1], *(r for r in by_ref[2] if r not in by_ref[1])]:
            b, o, t = (side.get(ref, MISSING) for side in by_ref)
            if o is not MISSING and t is not MISSING:
                if _same(o, t) or _same(t, b):
                    out.append(o)
                elif _same(o, b):
                    out.append(t)
                else:
                    out.append(self.table(ref, b if b is not MISSING else {}, o, t, level="recommendation"))
                continue
            present = o if o is not MISSING else t
            if b is MISSING:
                out.append(present)  # added on one side
            elif not _same(present, b):
                out.append(self.conflict(f"{ref} (removed on one side, changed on the other)", o, t))
            # else: removed on one side, left alone on the other
        return out

    def actions(self, ref: str, base: list[dict], ours: list[dict], theirs: list[dict]) -> list[Any]:
        """A recommendation's action plan, actions matched by number, their events merged as a
        recommendation's are. Two sides that each added a different action under the same
        number keep both: theirs takes the next number free on every side (numbers are never
        reused, so it can name nothing else)."""
        by_n = [{a.get("n"): a for a in side} for side in (base, ours, theirs)]
        free = max((n for side in by_n for n in side if isinstance(n, int)), default=0) + 1
        out: list[Any] = []
        for n in sorted({*by_n[1], *by_n[2]}, key=lambda n: n if isinstance(n, int) else 0):
            b, o, t = (side.get(n, MISSING) for side in by_n)
            where = f"{ref}/{n}"
            if o is not MISSING and t is not MISSING:
                if _same(o, t) or _same(t, b):
                    out.append(o)
                elif _same(o, b):
                    out.append(t)
                elif b is MISSING:  # added on both sides, differently: both kept
                    out.append(o)
                    out.append({**t, "n": free})
                    free += 1
                else:
                    out.append(self.table(where, b, o, t, level="action"))
                continue
            present = o if o is not MISSING else t
            if b is MISSING:
                out.append(present)
            elif not _same(present, b):
                out.append(self.conflict(f"{where} (removed on one side, changed on the other)", o, t))
        return sorted(out, key=lambda a: a.get("n", 0) if isinstance(a, dict) and isinstance(a.get("n"), int) else 0)

    def events(self, base: list[dict], ours: list[dict], theirs: list[dict]) -> list[dict]:
        if _same(theirs, base):
            return ours
        if _same(ours, base):
            return theirs
        keys = [[_event_key(e) for e in side] for side in (base, ours, theirs)]
        base_in_ours, kept_ours = _matched(keys[0], keys[1])
        base_in_theirs, kept_theirs = _matched(keys[0], keys[2])
        placed: list[tuple[Any, int, int, dict]] = []
        for i, event in enumerate(base):
            if i in base_in_ours and i in base_in_theirs:
                placed.append((event["date"], 0, i, event))
        added_ours: dict[str, int] = {}
        for j, event in enumerate(ours):
            if j not in kept_ours:
                placed.append((event["date"], 1, j, event))
                added_ours[keys[1][j]] = added_ours.get(keys[1][j], 0) + 1
        for j, event in enumerate(theirs):
            if j not in kept_theirs:
                if added_ours.get(keys[2][j], 0):  # added on both sides identically: once
                    added_ours[keys[2][j]] -= 1
                    continue
                placed.append((event["date"], 2, j, event))
        placed.sort(key=lambda item: (item[0], item[1], item[2]))
        return [event for *_, event in placed]


def _side(value: Any, ours: bool) -> Any:
    """One side's version of a merged document: each conflict resolved its way."""
    if isinstance(value, _Conflict):
        return value.ours if ours else value.theirs
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _side(item, ours)
            if item is not MISSING:
                out[key] = item
        return out
    if isinstance(value, list):
        return [item for item in (_side(v, ours) for v in value) if item is not MISSING]
    return value


def _units(text: str) -> list[str]:
    """A TOML text as track writes it, cut into keys (with their continuation lines: a
    multi-line array), table headers and blank lines."""
    units: list[str] = []
    for line in text.splitlines(keepends=True):
        if units and line[:1] in (" ", "\t", "]", "}"):
            units[-1] += line
        else:
            units.append(line)
    return units


def with_markers(ours_text: str, theirs_text: str) -> str:
    """The two texts as one, the keys where they differ between git's conflict markers."""
    from difflib import SequenceMatcher

    ours, theirs = _units(ours_text), _units(theirs_text)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(ours[i1:i2])
        else:
            out += ["<<<<<<< ours\n", *ours[i1:i2], "=======\n", *theirs[j1:j2], ">>>>>>> theirs\n"]
    return "".join(out)


def merge_documents(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[Any, list[str]]:
    """The merged document (conflicts left in it as pairs) and where it conflicts."""
    merging = _Merge()
    merged = merging.table("", base, ours, theirs, level="report")
    return merged, merging.conflicts


def merge_texts(base: str, ours: str, theirs: str, report_id: str) -> Outcome:
    """Merge three versions of one report file (base may be empty: added on both sides).
    Raises Unreadable, naming the version ("ours:3:5: ..."), when one is not a readable report."""
    docs = []
    for side, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        doc = document(text, report_id, side)
        if not doc and side != "base":
            raise Unreadable(f"{side}: empty file")
        docs.append(doc)
    merged, conflicts = merge_documents(*docs)
    if not conflicts:
        return Outcome(render(merged, report_id))
    texts = []
    for side in (True, False):
        doc = _side(merged, side)
        try:
            texts.append(render(doc, report_id))
        except TrackError:
            import tomli_w

            texts.append(tomli_w.dumps(doc))
    return Outcome(with_markers(*texts), conflicts)
