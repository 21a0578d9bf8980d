"""What a person types, checked and turned into the domain's values: text without control
characters or absurd lengths, one of a fixed set of words, a figure, a date or a revisit."""

from __future__ import annotations

import re
from datetime import date
from unicodedata import normalize

from track.domain import model
from track.domain.dates import Duration, TooLong, in_range, parse_date, parse_duration
from track.domain.errors import BadValue

MAX_TEXT = 20_000  # characters in one text
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str | None, what: str, *, required: bool = False, single_line: bool = False) -> str | None:
    """Refuse control characters (tab and newline apart) and absurd lengths in what a person typed."""
    if value is None:
        if required:
            raise BadValue(f"{what} is required")
        return None
    if required and not value.strip():
        raise BadValue(f"{what} is empty")
    if _SURROGATE.search(value):  # bytes a terminal passed that are not UTF-8 (decoded as surrogates)
        raise BadValue(f"{what} holds bytes that are not UTF-8 text: write it in UTF-8")
    match = model.CONTROL.search(value)
    if match or (single_line and "\n" in value):
        char = match.group() if match else "\n"
        raise BadValue(f"{what} holds a control character ({char!r}): remove it")
    if len(value) > MAX_TEXT:
        raise BadValue(f"{what} is {len(value):,} characters long; the most is {MAX_TEXT:,}")
    return value


def figure(name: str, value: int | float) -> int | float:
    """A report's figure: a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
        raise BadValue(f"figure {name!r} = {value!r} is not a number")
    return value


def choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    """One of `choices`, written in any case, with spaces or underscores for hyphens."""
    if value is None:
        return None
    normal = value.strip().lower().replace(" ", "-").replace("_", "-")
    if normal not in choices:
        raise BadValue(f"unknown {what} {value!r}: use one of {', '.join(choices)}")
    return normal


def day(value: date | str, *, base: date, month: str = "refuse", publication: date | None = None, what: str) -> date:
    """A date given as a date, or as text that parse_date reads."""
    if isinstance(value, date):
        return in_range(value, str(value), what)
    return parse_date(value, base=base, month=month, publication=publication, what=what)  # type: ignore[arg-type]


def revisit(value: str | date | None, published: date) -> Duration | date | None:
    """A promised revisit: within a duration of publication, or by a date."""
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_duration(value, "--revisit-by")
    except TooLong:
        raise
    except BadValue:  # not a duration: a date
        return day(value, base=published, month="end", publication=published, what="--revisit-by")


def fold(text: str) -> str:
    """Text compared as people mean it: runs of white space as one space, case folded."""
    return " ".join(text.split()).casefold()


def name(value: str | None, what: str, *, required: bool = False) -> str | None:
    """An owner or a tag: one line of text, in Unicode's composed form (NFC), so that a name
    typed as "é" and as "e" with an accent after it is one name."""
    text = clean_text(value, what, required=required, single_line=True)
    return None if text is None else normalize("NFC", text)


def same_key(text: str) -> str:
    """`text` as two names are compared: composed (NFC) and case-folded."""
    return text.casefold() if text.isascii() else normalize("NFC", text).casefold()
