"""A ledger's own fields: what track.toml declares ([fields.risk] type = "choice", choices =
[...]; or text, number, date), the values a person types for them, and the values a report
file holds for them. A recommendation keeps its values in `fields`; an amendment changes them."""

from __future__ import annotations

import re
from datetime import date
from unicodedata import normalize

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import model
from track.domain.errors import BadValue
from track.domain.record import Frozen

TYPES: tuple[str, ...] = ("choice", "text", "number", "date")
KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}\Z")
# Names a field may not take: the fields, columns and aliases track has of its own.
RESERVED: frozenset[str] = frozenset({
    "id", "report", "ref", "kind", "text", "answers", "owner", "tags", "tag", "priority", "status", "basis", "response",
    "due", "overdue", "days_overdue", "closed", "issued", "subject", "issued_by", "by", "last_event", "last_note",
    "superseded_by", "duplicate_of", "related", "evidence", "entered", "closed_on", "age_days", "age", "original_due",
    "due_moves", "moves", "events", "fields", "number", "date", "note", "source", "reason", "title", "published",
    "report_title", "recorded", "recorded_by", "old", "new", "event", "amended", "where",
    "actions", "actions_done", "actions_total", "actions_overdue", "ready",
})
FIELD_KEYS = ("type", "choices", "label")
MAX_VALUE = 500  # characters in a text field's value


class Field(Frozen):
    """One declared field: its key, its type, its choices (for a choice) and the label that
    heads its column (the key unless track.toml gives one)."""

    __slots__ = ("name", "type", "choices", "label")
    _fields = __slots__
    name: str
    type: str
    choices: tuple[str, ...]
    label: str

    def __init__(self, name: str, type: str, choices: tuple[str, ...] = (), label: str | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "choices", tuple(choices))
        object.__setattr__(self, "label", label or name)

    def describe(self) -> str:
        """What a value must be, for a message."""
        if self.type == "choice":
            return "one of " + ", ".join(self.choices)
        return {"text": "text", "number": "a number", "date": "a date such as 2018-03-31"}[self.type]


def declaration_problems(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """What is wrong with track.toml's [fields.NAME] tables, each with the keys of where it stands."""
    found = data.get("fields", {})
    if not isinstance(found, dict):
        return [("fields must be tables such as [fields.risk] type = \"choice\", choices = [\"high\", \"low\"]", ("fields",))]
    out: list[tuple[str, tuple[Any, ...]]] = []
    labels: dict[str, str] = {}
    for name, table in found.items():
        where = f"fields.{name}"
        keys: tuple[Any, ...] = ("fields", name)
        if not KEY.match(name):
            out.append((f"{where}: a field's name must be lower-case letters, digits, '_' or '-', starting with a letter "
                        "(at most 40), such as risk or committee", keys))
            continue
        if name in RESERVED:
            out.append((f"{where}: {name!r} is one of track's own fields; give yours another name (and a label, if you "
                        "like, for its column)", keys))
            continue
        if not isinstance(table, dict):
            out.append((f"{where} must be a table: [{where}] with type = \"choice\", \"text\", \"number\" or \"date\"", keys))
            continue
        for k in table:
            if k not in FIELD_KEYS:
                out.append((f"unknown key '{where}.{k}' (a field has type, choices and label)", (*keys, k)))
        kind = table.get("type")
        if kind not in TYPES:
            shown = "missing" if kind is None else f"= {kind!r}"
            out.append((f"{where}.type {shown}: use one of {', '.join(TYPES)}", (*keys, "type") if kind is not None else keys))
        choices = table.get("choices")
        if kind == "choice":
            if not isinstance(choices, list) or not choices or not all(
                    isinstance(c, str) and c.strip() and c == c.strip() and not model.CONTROL.search(c) for c in choices):
                out.append((f"{where}.choices must be a non-empty array of words, such as [\"high\", \"medium\", \"low\"]",
                            (*keys, "choices") if choices is not None else keys))
            else:
                folded = [c.casefold() for c in choices]
                twice = next((c for i, c in enumerate(choices) if folded.index(c.casefold()) != i), None)
                if twice is not None:
                    out.append((f"{where}.choices names {twice!r} twice (choices are matched whatever their case)",
                                (*keys, "choices")))
        elif choices is not None and kind in TYPES:
            out.append((f"{where}.choices: only a choice field has choices (this one is {kind})", (*keys, "choices")))
        label = table.get("label")
        if label is not None:
            if not isinstance(label, str) or not label.strip() or label != label.strip() or model.CONTROL.search(label) \
                    or "," in label:
                out.append((f"{where}.label must be a column heading: text on one line, without commas", (*keys, "label")))
                continue
        heading = (label or name).casefold()
        if heading in labels or (label is not None and label.casefold() in RESERVED):
            other = labels.get(heading)
            out.append((f"{where}.label {label or name!r} "
                        + (f"is the heading of fields.{other} too" if other else "is one of track's own columns"),
                        (*keys, "label") if label is not None else keys))
        labels[heading] = name
    return out


def declarations(data: dict[str, Any]) -> dict[str, Field]:
    """The fields track.toml declares, in its order (those declared wrongly left out: check
    names them)."""
    found = data.get("fields", {})
    if not isinstance(found, dict) or not found:
        return {}
    bad = {keys[1] for _message, keys in declaration_problems(data) if len(keys) > 1}
    out = {}
    for name, table in found.items():
        if name in bad or not isinstance(table, dict):
            continue
        out[name] = Field(name, table["type"], tuple(table.get("choices", ())), table.get("label"))
    return out


def find(declared: dict[str, Field], text: str, what: str = "field") -> Field:
    """The field a name or label names, whatever its case; refused (BadValue) with those close to it."""
    wanted = text.strip().casefold()
    for field in declared.values():
        if wanted in (field.name, field.label.casefold()):
            return field
    import difflib

    close = difflib.get_close_matches(wanted, list(declared), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else (
        f" (track.toml declares {', '.join(declared)})" if declared else " (track.toml declares none: add [fields.NAME])")
    raise BadValue(f"unknown {what} {text.strip()!r}{hint}")


def parse(field: Field, text: str, what: str, *, today: date, exact: bool = False) -> Any:
    """A typed value for `field`: a choice as declared (matched whatever its case), text in
    NFC without control characters, a finite number, a date as the ledger reads dates. With
    `exact` (an import), text is taken as it is, spaces and all."""
    from track.domain import values

    raw = text.strip()
    if not raw:
        raise BadValue(f"{what}: give a value (or --unset {field.name})")
    if field.type == "choice":
        for choice in field.choices:
            if choice.casefold() == raw.casefold():
                return choice
        raise BadValue(f"{what}: {raw!r} is not {field.describe()}")
    if field.type == "number":
        number: int | float
        try:
            number = int(raw) if re.fullmatch(r"[+-]?\d{1,15}", raw) else float(raw)
        except ValueError:
            raise BadValue(f"{what}: {raw!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")) or abs(number) >= 1e15:
            raise BadValue(f"{what}: {raw!r} is not a finite number")
        return number
    if field.type == "date":
        return values.day(raw, base=today, month="end", what=what)
    value = values.clean_text(text if exact else raw, what, single_line=True) or ""
    if len(value) > MAX_VALUE:
        raise BadValue(f"{what} is {len(value):,} characters long; the most is {MAX_VALUE}")
    return value if exact else normalize("NFC", value)


def parse_assignment(declared: dict[str, Field], text: str, what: str, *, today: date) -> tuple[str, Any]:
    """NAME=VALUE (as --set takes it): the field's key and its typed value."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise BadValue(f"{what} {text!r}: give NAME=VALUE, such as risk=high")
    field = find(declared, name)
    return field.name, parse(field, value, f"{what} {field.name}", today=today)


def problem(field: Field, value: Any) -> str | None:
    """What is wrong with a value a report file holds for `field`, if anything."""
    if field.type == "choice":
        if not isinstance(value, str) or value not in field.choices:
            return f"{written(value)} is not {field.describe()}"
    elif field.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or \
                value in (float("inf"), float("-inf")):
            return f"{written(value)} is not a number"
    elif field.type == "date":
        if type(value) is not date:
            return f"{written(value)} is not a date"
    elif not isinstance(value, str) or not value.strip() or model.CONTROL.search(value) or "\n" in value:
        return f"{written(value)} is not text on one line"
    return None


def written(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return "an array" if isinstance(value, list) else "a table"
    return repr(value)


def shown(value: Any) -> str:
    """A value as a cell shows it: "" for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)
