"""Dates and durations as people write them (`24 May 2017`, `May 2017`, `Q2 2017`, `end of May
2017`, `+6 months`, `56 days after publication`, `3 months`), turned into exact calendar dates."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    MonthRule = Literal["end", "start", "refuse"]

from track.domain.errors import BadValue, InvalidLedger
from track.domain.record import Frozen

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z")
_NUMERIC = re.compile(r"^(\d{1,2})[/. -](\d{1,2})[/. -](\d{2,4})\Z")
# Year first is always year-month-day (2017/05/06, 2017-5-6, 20170506): dateutil's dayfirst
# would read these as year-day-month.
_YEAR_FIRST = (re.compile(r"^(\d{4})[/. -](\d{1,2})[/. -](\d{1,2})\Z"), re.compile(r"^(\d{4})(\d{2})(\d{2})\Z"))
_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}
_DURATION = re.compile(r"^(?:within\s+)?(\d{1,5})\s*([a-z]+)\Z")
_RELATIVE = re.compile(r"^([+-])\s*(\d{1,5})\s*([a-z]+)\Z")
_AGO = re.compile(r"^(\d{1,5})\s*([a-z]+)\s+ago\Z")
_IN = re.compile(r"^in\s+(\d{1,5})\s*([a-z]+)\Z")
_AFTER_PUBLICATION = re.compile(
    r"^(\d{1,5})\s*([a-z]+)\s+(?:after|from)\s+(?:the\s+)?(?:report'?s?\s+)?publication\Z"
)
# A quarter of a calendar year: Q2 2017, q2-2017, Q2/2017, 2017 Q2, 2017-Q2, 2017Q2.
_QUARTER = re.compile(r"^(?:q(\d{1,2})[ /-](\d{4})|(\d{4})[ /-]?q(\d{1,2}))\Z")
_YEAR = re.compile(r"^\d{4}\Z")
# "end of May 2017", "end May 2017", "the end of Q2 2017", "end of 2017": the period's last day.
_END_OF = re.compile(r"^(?:the )?end (?:of )?(.+)\Z")


EARLIEST = date(1800, 1, 1)  # the dates a ledger takes, at entry and in its files
LATEST = date(2199, 12, 31)
LONGEST_YEARS = 100  # the longest duration a ledger takes


class Duration(Frozen):
    """A whole number of days, weeks, months or years. Months clamp to the month's end."""

    __slots__ = ("count", "unit")
    _fields = __slots__
    count: int
    unit: str  # days | weeks | months | years

    def __init__(self, count: int, unit: str) -> None:
        object.__setattr__(self, "count", count)
        object.__setattr__(self, "unit", unit)

    def __str__(self) -> str:
        unit = self.unit if self.count != 1 else self.unit[:-1]
        return f"{self.count} {unit}"

    def after(self, start: date, times: int = 1) -> date:
        """The date `times` x this duration after `start`, clamped to month ends."""
        n = self.count * times
        if self.unit == "days":
            return start + timedelta(days=n)
        if self.unit == "weeks":
            return start + timedelta(weeks=n)
        from dateutil.relativedelta import relativedelta

        months = n if self.unit == "months" else 12 * n
        return start + relativedelta(months=months)

    def before(self, start: date) -> date:
        if self.unit in ("days", "weeks"):
            return start - timedelta(days=self.days_exact())
        from dateutil.relativedelta import relativedelta

        months = self.count if self.unit == "months" else 12 * self.count
        return start - relativedelta(months=months)

    def days_exact(self) -> int:
        if self.unit == "days":
            return self.count
        if self.unit == "weeks":
            return 7 * self.count
        raise ValueError("months and years have no fixed length in days")


def parse_duration(text: str, what: str = "duration") -> Duration:
    cleaned = " ".join(str(text).strip().lower().split())
    match = _DURATION.match(cleaned)
    if match and match.group(2) in _UNITS:
        return _bounded(Duration(int(match.group(1)), _UNITS[match.group(2)]), text, what)
    raise BadValue(
        f"{what} {text!r} is not a duration: write it like '14d', '56 days', '3 months' or '1 year'"
    )


class TooLong(BadValue):
    """A duration longer than LONGEST_YEARS."""


def _bounded(duration: Duration, text: str, what: str) -> Duration:
    """A duration of at most LONGEST_YEARS (a longer one is a typing mistake, and would take
    the dates counted from it off the calendar)."""
    years = duration.count / {"days": 365.25, "weeks": 365.25 / 7, "months": 12, "years": 1}[duration.unit]
    if years > LONGEST_YEARS:
        raise TooLong(f"{what} {text!r} is longer than {LONGEST_YEARS} years: give a shorter one")
    return duration


def in_range(day: date, text: str, what: str) -> date:
    """`day` when it lies between EARLIEST and LATEST, else a BadValue naming the range."""
    if not EARLIEST <= day <= LATEST:
        raise BadValue(f"{what} {text!r} is {day}: track takes dates from {EARLIEST.year} to {LATEST.year}")
    return day


def _unit(word: str, text: str, what: str) -> str:
    if word not in _UNITS:
        raise BadValue(f"{what} {text!r} does not parse: unknown unit {word!r}")
    return _UNITS[word]


def today(timezone: str | None = None) -> date:
    """Today's date: $TRACK_TODAY if set (for reproducible runs), else the clock in `timezone`
    (an IANA name from the ledger's settings), else the local date."""
    pinned = os.environ.get("TRACK_TODAY")
    if pinned:
        return parse_date(pinned, base=date(2000, 1, 1), month="refuse", what="TRACK_TODAY")
    if timezone:
        from zoneinfo import ZoneInfo

        try:
            zone = ZoneInfo(timezone)
        except (ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError; a bad key a ValueError
            zone = None
        except KeyError:
            zone = None
        if zone is None:
            raise InvalidLedger(f"track.toml: timezone {timezone!r} is not a time zone name such as 'Europe/London'")
        return datetime.now(zone).date()
    return date.today()


# How a numeric date that reads two ways (10/08/2017) is read when the caller does not say: as
# the ledger says, `day_first` in track.toml. The ledger sets it each time it loads its
# settings (Reading.__init__), so the ledger a command opened decides (in a process that opens
# several, the last one opened). True reads day first; False refuses such a date; a string is
# the message of an invalid setting, raised (InvalidLedger) only when a date that needs the
# setting is read, so that every other command, `track check` among them, still runs.
_day_first: bool | str = False


def read_day_first(setting: bool | str) -> None:
    """From now on, read numeric dates that read two ways as `setting` says (see _day_first)."""
    global _day_first
    _day_first = setting


def _ledger_day_first() -> bool:
    setting = _day_first
    if isinstance(setting, str):
        raise InvalidLedger(f"track.toml: {setting}")
    return setting


def month_end(year: int, month: int) -> date:
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])


def _on_the_calendar(parse: Any) -> Any:
    """`parse`, whose result must lie from EARLIEST to LATEST (else a BadValue naming the range)."""

    def bounded(text: str, **options: Any) -> date:
        return in_range(parse(text, **options), str(text), options.get("what", "date"))

    bounded.__doc__ = parse.__doc__
    return bounded


@_on_the_calendar
def parse_date(
    text: str,
    *,
    base: date,
    month: MonthRule = "refuse",
    publication: date | None = None,
    what: str = "date",
    day_first: bool | None = None,
) -> date:
    """Turn what a person wrote into a date, from EARLIEST to LATEST.

    `base` is what relative forms count from (today, an event's date, a report's
    publication); `publication` enables `N days after publication`; `month` says what a month
    or a quarter alone means: its last day ("end": a due date, --as-of, --until), its first
    ("start": --since), or nothing ("refuse": an event's date needs its day). "end of May
    2017", "end of Q2 2017", "end of 2017" name the last day whatever `month` says.
    `day_first` says how a numeric date that reads two ways (10/08/2017) is read: day first
    (True), refused (False), or as the ledger's `day_first` setting says (None).
    """
    raw = str(text)
    cleaned = " ".join(raw.strip().lower().split())
    if not cleaned:
        raise BadValue(f"{what} is empty: give a date such as 2017-05-24")
    iso = _ISO.match(cleaned)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise BadValue(f"{what} {raw!r} is not a real day of the calendar") from None
    for pattern in _YEAR_FIRST:
        ymd = pattern.match(cleaned)
        if ymd:
            try:
                return date(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3)))
            except ValueError:
                raise BadValue(f"{what} {raw!r} is not a real day of the calendar (read as year-month-day)") from None
    if cleaned == "today":
        return base
    if cleaned == "yesterday":
        return base - timedelta(days=1)
    if cleaned == "tomorrow":
        return base + timedelta(days=1)
    match = _RELATIVE.match(cleaned)
    if match:
        duration = _bounded(Duration(int(match.group(2)), _unit(match.group(3), raw, what)), raw, what)
        return duration.after(base) if match.group(1) == "+" else duration.before(base)
    match = _IN.match(cleaned)
    if match:
        return _bounded(Duration(int(match.group(1)), _unit(match.group(2), raw, what)), raw, what).after(base)
    match = _AGO.match(cleaned)
    if match:
        return _bounded(Duration(int(match.group(1)), _unit(match.group(2), raw, what)), raw, what).before(base)
    match = _AFTER_PUBLICATION.match(cleaned)
    if match:
        if publication is None:
            raise BadValue(f"{what} {raw!r}: there is no publication date to count from here")
        return _bounded(Duration(int(match.group(1)), _unit(match.group(2), raw, what)), raw, what).after(publication)
    match = _END_OF.match(cleaned)
    if match:
        return _end_of(raw, match.group(1), what)
    quarter = _quarter(raw, cleaned, what)
    if quarter is not None:
        first_day, last_day = quarter
        if month == "end":
            return last_day
        if month == "start":
            return first_day
        raise BadValue(f"{what} {raw!r} names a quarter, not a day: write it like {last_day} "
                       f"or 'end of {cleaned.upper()}'")
    numeric = _NUMERIC.match(cleaned)
    if numeric:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first <= 12 and second <= 12 and first != second:
            ledger_decides = day_first is None
            if ledger_decides:
                day_first = _ledger_day_first()
            if not day_first:
                how = (" (or, if this ledger writes dates day first, set day_first = true in track.toml)"
                       if ledger_decides else "")
                raise BadValue(
                    f"{what} {raw!r} reads two ways (day/month or month/day): write it as "
                    f"YYYY-MM-DD or like '{first} {_month_name(second)} {numeric.group(3)}'{how}"
                )
    return _parse_free(raw, cleaned, month=month, what=what)


def _year(text: str, raw: str, what: str) -> int:
    year = int(text)
    if not EARLIEST.year <= year <= LATEST.year:
        raise BadValue(f"{what} {raw!r} is in {text}: track takes dates from {EARLIEST.year} to {LATEST.year}")
    return year


def _quarter(raw: str, cleaned: str, what: str) -> tuple[date, date] | None:
    """The first and last day of the calendar quarter `cleaned` names (Q2 2017: 2017-04-01 and
    2017-06-30), or None when it names none."""
    match = _QUARTER.match(cleaned)
    if not match:
        return None
    number, year_text = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    quarter = int(number)
    if not 1 <= quarter <= 4:
        raise BadValue(f"{what} {raw!r}: there is no quarter Q{quarter}: a year has four, Q1 to Q4")
    year = _year(year_text, raw, what)
    return date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)


def _end_of(raw: str, period: str, what: str) -> date:
    """The last day of the month, quarter or year that "end of PERIOD" names."""
    if _YEAR.match(period):
        return date(_year(period, raw, what), 12, 31)
    quarter = _quarter(raw, period, what)
    if quarter is not None:
        return quarter[1]
    first_day, last_day = _span(raw, period, what)
    if first_day == last_day:
        raise BadValue(f"{what} {raw!r} is the end of a day: 'end of' takes a month, a quarter or a year, "
                       "such as 'end of May 2017', 'end of Q2 2017' or 'end of 2017'")
    return last_day


def _month_name(month: int) -> str:
    import calendar

    return calendar.month_name[month] if 1 <= month <= 12 else str(month)


def _parse_free(raw: str, cleaned: str, *, month: MonthRule, what: str) -> date:
    first_day, last_day = _span(raw, cleaned, what)
    if first_day != last_day:
        if month == "end":
            return last_day
        if month == "start":
            return first_day
        raise BadValue(f"{what} {raw!r} names a month, not a day: write it like 2017-05-24 "
                       f"or 'end of {_month_name(first_day.month)} {first_day.year}'")
    return first_day


def _span(raw: str, cleaned: str, what: str) -> tuple[date, date]:
    """The first and last day of what dateutil reads in `cleaned`: one day, or a month alone."""
    from dateutil import parser

    try:
        a = parser.parse(cleaned, default=datetime(2000, 1, 1), dayfirst=True)
        b = parser.parse(cleaned, default=datetime(2001, 2, 2), dayfirst=True)
    except (ValueError, OverflowError, parser.ParserError):
        raise BadValue(
            f"{what} {raw!r} does not parse: write it like 2017-05-24, '24 May 2017', "
            "'May 2017' or '+6 months'"
        ) from None
    if a.year != b.year:
        raise BadValue(f"{what} {raw!r} has no year: write it like '24 May 2017'")
    if a.month != b.month:
        raise BadValue(f"{what} {raw!r} has no month: write it like 'May 2017' or 2017-05-24")
    if (a.hour, a.minute, a.second) != (0, 0, 0) or a.tzinfo is not None:
        raise BadValue(f"{what} {raw!r} has a time of day: give a date only")
    if a.day != b.day:
        return date(a.year, a.month, 1), month_end(a.year, a.month)
    return a.date(), a.date()


def clock_deadline(published: date, within: Duration) -> date:
    """The last day of a period that begins with the day of publication: 56 days from a
    report published 2016-11-24 end on 2017-01-18 (Police Act 1996 s.55's wording)."""
    return within.after(published) - timedelta(days=1)
