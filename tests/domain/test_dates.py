"""Dates and durations as people write them (track.domain.dates)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from track.domain.dates import Duration, clock_deadline, month_end, parse_date, parse_duration, today
from track.domain.errors import BadValue

BASE = date(2018, 6, 30)
PUBLISHED = date(2016, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-05-24", date(2017, 5, 24)),
        ("  2017-05-24  ", date(2017, 5, 24)),
        ("24 May 2017", date(2017, 5, 24)),
        ("24 may 2017", date(2017, 5, 24)),
        ("May 24, 2017", date(2017, 5, 24)),
        ("24/05/2017", date(2017, 5, 24)),  # day first; cannot be month 24
        ("13.06.2017", date(2017, 6, 13)),
        ("05/05/2017", date(2017, 5, 5)),  # the same either way round
        ("24-05-2017", date(2017, 5, 24)),
        # year first is year-month-day, never year-day-month
        ("2017/05/06", date(2017, 5, 6)),
        ("2017-5-6", date(2017, 5, 6)),
        ("20170506", date(2017, 5, 6)),
        ("2016-02-29", date(2016, 2, 29)),
        ("today", BASE),
        ("yesterday", date(2018, 6, 29)),
        ("tomorrow", date(2018, 7, 1)),
        ("+6 months", date(2018, 12, 30)),
        ("-2 weeks", date(2018, 6, 16)),
        ("+10d", date(2018, 7, 10)),
        ("3 days ago", date(2018, 6, 27)),
        ("in 2 weeks", date(2018, 7, 14)),
        ("+1 year", date(2019, 6, 30)),
    ],
)
def test_dates_people_write(text: str, expected: date) -> None:
    assert parse_date(text, base=BASE, month="refuse") == expected


def test_relative_dates_count_from_the_base_with_month_end_clamping() -> None:
    assert parse_date("+6 months", base=date(2017, 8, 31)) == date(2018, 2, 28)
    assert parse_date("+6 months", base=date(2019, 8, 31)) == date(2020, 2, 29)  # leap year
    assert parse_date("+1 month", base=date(2017, 1, 31)) == date(2017, 2, 28)
    assert parse_date("-1 month", base=date(2018, 3, 31)) == date(2018, 2, 28)
    assert parse_date("+1 year", base=date(2016, 2, 29)) == date(2017, 2, 28)


def test_n_days_after_publication() -> None:
    assert parse_date("56 days after publication", base=BASE, publication=PUBLISHED) == date(2017, 1, 19)
    assert parse_date("3 months after publication", base=BASE, publication=date(2017, 8, 31)) == date(2017, 11, 30)
    assert parse_date("6 months from the report's publication", base=BASE, publication=PUBLISHED) == date(2017, 5, 24)
    with pytest.raises(BadValue, match="no publication date"):
        parse_date("56 days after publication", base=BASE)


def test_a_month_alone_is_its_last_day_its_first_day_or_refused() -> None:
    assert parse_date("May 2017", base=BASE, month="end") == date(2017, 5, 31)
    assert parse_date("February 2016", base=BASE, month="end") == date(2016, 2, 29)
    assert parse_date("May 2017", base=BASE, month="start") == date(2017, 5, 1)
    with pytest.raises(BadValue, match="names a month, not a day"):
        parse_date("May 2017", base=BASE, month="refuse")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("05/06/2017", "reads two ways"),
        ("5/6/17", "reads two ways"),
        ("06-05-2017", "reads two ways"),
        ("1 2 2017", "reads two ways"),
        ("nonsense", "does not parse"),
        ("the 5th", "does not parse"),
        ("32 May 2017", "does not parse"),
        ("2017-02-29", "not a real day"),
        ("2017-13-01", "not a real day"),
        ("2017/13/01", "not a real day"),
        ("24 May", "has no year"),
        ("2017", "has no month"),
        ("2017-05-24 10:00", "time of day"),
        ("+6 fortnights", "unknown unit"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_dates_that_are_refused_name_the_text(text: str, message: str) -> None:
    with pytest.raises(BadValue, match=message) as info:
        parse_date(text, base=BASE, month="end", what="--due")
    assert str(info.value).startswith("--due")
    if text.strip():
        assert repr(text) in str(info.value)
    assert BadValue.exit_code == 2


def test_the_ambiguous_date_message_suggests_an_unambiguous_form() -> None:
    with pytest.raises(BadValue) as info:
        parse_date("05/06/2017", base=BASE)
    assert "YYYY-MM-DD" in str(info.value)
    assert "'5 June 2017'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("56 days", Duration(56, "days")),
        ("56d", Duration(56, "days")),
        ("2 weeks", Duration(2, "weeks")),
        ("3 months", Duration(3, "months")),
        ("1 year", Duration(1, "years")),
        ("within 12 months", Duration(12, "months")),
        ("  14  D ", Duration(14, "days")),
    ],
)
def test_durations(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "3", "months", "-3 months", "3 fortnights", "1.5 months"])
def test_durations_refused(text: str) -> None:
    with pytest.raises(BadValue, match="not a duration"):
        parse_duration(text, "--due-within")


def test_duration_text_reads_back() -> None:
    for duration in (Duration(1, "months"), Duration(56, "days"), Duration(0, "weeks"), Duration(2, "years")):
        assert parse_duration(str(duration)) == duration
    assert str(Duration(1, "months")) == "1 month"
    assert str(Duration(3, "months")) == "3 months"


def test_duration_arithmetic_clamps_to_month_ends_without_drift() -> None:
    every = Duration(3, "months")
    start = date(2016, 11, 30)
    assert [every.after(start, k) for k in range(4)] == [
        date(2016, 11, 30), date(2017, 2, 28), date(2017, 5, 30), date(2017, 8, 30)
    ]
    assert Duration(2, "weeks").after(date(2017, 12, 25)) == date(2018, 1, 8)
    assert Duration(1, "years").before(date(2016, 2, 29)) == date(2015, 2, 28)
    assert Duration(2, "weeks").days_exact() == 14
    with pytest.raises(ValueError):
        Duration(1, "months").days_exact()


def test_clock_deadline_counts_the_day_of_publication() -> None:
    assert clock_deadline(PUBLISHED, Duration(56, "days")) == date(2017, 1, 18)


def test_month_end() -> None:
    assert month_end(2017, 2) == date(2017, 2, 28)
    assert month_end(2016, 2) == date(2016, 2, 29)
    assert month_end(2017, 12) == date(2017, 12, 31)


def test_today_is_pinned_by_track_today(monkeypatch: pytest.MonkeyPatch) -> None:
    assert today() == date(2018, 6, 30)  # conftest pins it
    monkeypatch.setenv("TRACK_TODAY", "2017-01-02")
    assert today("Europe/London") == date(2017, 1, 2)
    monkeypatch.setenv("TRACK_TODAY", "May 2017")
    with pytest.raises(BadValue, match="TRACK_TODAY"):
        today()


@pytest.mark.parametrize("text", ["101 years", "1213 months", "5300 weeks", "36900 days", "within 9999 months"])
def test_a_duration_longer_than_a_century_is_refused(text: str) -> None:
    from track.domain.dates import TooLong

    with pytest.raises(TooLong, match=r"is longer than 100 years: give a shorter one"):
        parse_duration(text, "--within")


@pytest.mark.parametrize("text", ["100 years", "1200 months", "5200 weeks", "36500 days"])
def test_a_century_is_the_longest_duration(text: str) -> None:
    assert parse_duration(text).count > 0


@pytest.mark.parametrize("text, message", [
    ("9999-12-31", "is 9999-12-31: track takes dates from 1800 to 2199"),
    ("1799-12-31", "is 1799-12-31: track takes dates from 1800 to 2199"),
    ("+8000 years", "is longer than 100 years"),
    ("99999 days ago", "is longer than 100 years"),
    ("in 2000 months", "is longer than 100 years"),
])
def test_dates_off_the_calendar_are_refused(text: str, message: str) -> None:
    with pytest.raises(BadValue, match=re.escape(message)):
        parse_date(text, base=date(2026, 12, 5), what="--as-of")


def test_the_calendars_edges_are_taken() -> None:
    assert parse_date("1800-01-01", base=date(2026, 12, 5)) == date(1800, 1, 1)
    assert parse_date("2199-12-31", base=date(2026, 12, 5)) == date(2199, 12, 31)
    assert parse_date("+100 years", base=date(2026, 12, 5)) == date(2126, 12, 5)


# --------------------------------------------------------------------------- day first, "end of", quarters


@pytest.fixture
def ledger_day_first(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool | str], None]:
    """Sets what the ledger's day_first setting says, as Reading does when it loads track.toml;
    the preference before the test comes back after it."""
    from track.domain import dates

    def set_to(setting: bool | str) -> None:
        monkeypatch.setattr(dates, "_day_first", setting)

    set_to(False)
    return set_to


@pytest.mark.parametrize("text", ["10/08/2017", "10.08.2017", "10-08-2017", "10 08 2017", "10/8/2017"])
def test_a_day_first_ledger_reads_numeric_dates_day_first(text: str, ledger_day_first) -> None:
    ledger_day_first(True)
    for month in ("refuse", "start", "end"):
        assert parse_date(text, base=BASE, month=month, what="--date") == date(2017, 8, 10)


def test_a_day_first_ledger_still_reads_iso_and_the_one_way_numeric_dates(ledger_day_first) -> None:
    ledger_day_first(True)
    assert parse_date("2017-08-10", base=BASE) == date(2017, 8, 10)
    assert parse_date("2017/08/10", base=BASE) == date(2017, 8, 10)  # year first is year-month-day
    assert parse_date("24/05/2017", base=BASE) == date(2017, 5, 24)
    assert parse_date("05/05/2017", base=BASE) == date(2017, 5, 5)
    assert parse_date("1 2 2017", base=BASE) == date(2017, 2, 1)


def test_without_day_first_a_date_that_reads_two_ways_is_refused_naming_the_setting(ledger_day_first) -> None:
    with pytest.raises(BadValue) as info:
        parse_date("10/08/2017", base=BASE, what="--date")
    message = str(info.value)
    assert message == ("--date '10/08/2017' reads two ways (day/month or month/day): write it as YYYY-MM-DD or like "
                       "'10 August 2017' (or, if this ledger writes dates day first, set day_first = true in track.toml)")
    assert "\n" not in message
    assert parse_date("2017-08-10", base=BASE) == date(2017, 8, 10)  # ISO dates are unaffected


def test_a_caller_that_says_how_to_read_them_overrides_the_ledger(ledger_day_first) -> None:
    """`track import --day-first` says so itself; without it the import refuses, with its own message."""
    ledger_day_first(True)
    with pytest.raises(BadValue) as info:
        parse_date("10/08/2017", base=BASE, what="due", day_first=False)
    assert str(info.value).endswith("write it as YYYY-MM-DD or like '10 August 2017'")
    ledger_day_first(False)
    assert parse_date("10/08/2017", base=BASE, day_first=True) == date(2017, 8, 10)


def test_an_invalid_day_first_setting_is_raised_only_when_a_date_needs_it(ledger_day_first) -> None:
    from track.domain.errors import InvalidLedger

    ledger_day_first("day_first = 'yes' must be true or false")
    with pytest.raises(InvalidLedger) as info:
        parse_date("10/08/2017", base=BASE, what="--date")
    assert str(info.value) == "track.toml: day_first = 'yes' must be true or false"
    assert parse_date("2017-08-10", base=BASE) == date(2017, 8, 10)
    assert parse_date("24/05/2017", base=BASE) == date(2017, 5, 24)


@pytest.mark.parametrize(("text", "expected"), [
    ("end of May 2017", date(2017, 5, 31)),
    ("End of May 2017", date(2017, 5, 31)),
    ("end May 2017", date(2017, 5, 31)),
    ("the end of May 2017", date(2017, 5, 31)),
    ("end of February 2016", date(2016, 2, 29)),
    ("end of 2017", date(2017, 12, 31)),
    ("end of Q2 2017", date(2017, 6, 30)),
    ("end of 2017-Q1", date(2017, 3, 31)),
])
def test_end_of_a_period_is_its_last_day_in_every_role(text: str, expected: date) -> None:
    for month in ("refuse", "start", "end"):  # explicit: an event's date, --since, a due date alike
        assert parse_date(text, base=BASE, month=month, what="--due") == expected


@pytest.mark.parametrize(("text", "message"), [
    ("end of 24 May 2017", "is the end of a day: 'end of' takes a month, a quarter or a year"),
    ("end of May", "has no year"),
    ("end of nonsense", "does not parse"),
    ("end of Q5 2017", "there is no quarter Q5"),
    ("end of 1799", "track takes dates from 1800 to 2199"),
])
def test_end_of_something_else_is_refused(text: str, message: str) -> None:
    with pytest.raises(BadValue, match=re.escape(message)) as info:
        parse_date(text, base=BASE, month="end", what="--due")
    assert str(info.value).startswith(f"--due {text!r}")


@pytest.mark.parametrize("text", ["Q2 2017", "q2 2017", "2017 Q2", "2017-Q2", "2017-q2", "Q2-2017", "Q2/2017", "2017Q2",
                                  "  q2   2017 "])
def test_a_quarter_is_its_last_day_or_its_first_as_a_month_is(text: str) -> None:
    assert parse_date(text, base=BASE, month="end") == date(2017, 6, 30)
    assert parse_date(text, base=BASE, month="start") == date(2017, 4, 1)


def test_each_quarter_of_the_year() -> None:
    ends = [parse_date(f"Q{n} 2016", base=BASE, month="end") for n in range(1, 5)]
    starts = [parse_date(f"Q{n} 2016", base=BASE, month="start") for n in range(1, 5)]
    assert ends == [date(2016, 3, 31), date(2016, 6, 30), date(2016, 9, 30), date(2016, 12, 31)]
    assert starts == [date(2016, 1, 1), date(2016, 4, 1), date(2016, 7, 1), date(2016, 10, 1)]


@pytest.mark.parametrize(("text", "message"), [
    ("Q0 2017", "--until 'Q0 2017': there is no quarter Q0: a year has four, Q1 to Q4"),
    ("Q5 2017", "--until 'Q5 2017': there is no quarter Q5: a year has four, Q1 to Q4"),
    ("2017-Q5", "--until '2017-Q5': there is no quarter Q5: a year has four, Q1 to Q4"),
    ("Q2 2300", "--until 'Q2 2300' is in 2300: track takes dates from 1800 to 2199"),
])
def test_a_quarter_that_does_not_exist_is_refused(text: str, message: str) -> None:
    with pytest.raises(BadValue) as info:
        parse_date(text, base=BASE, month="end", what="--until")
    assert str(info.value) == message


def test_a_quarter_or_a_month_alone_is_not_an_events_day_and_the_message_says_what_is() -> None:
    with pytest.raises(BadValue) as info:
        parse_date("q2 2017", base=BASE, month="refuse", what="--date")
    assert str(info.value) == "--date 'q2 2017' names a quarter, not a day: write it like 2017-06-30 or 'end of Q2 2017'"
    with pytest.raises(BadValue) as info:
        parse_date("may 2017", base=BASE, month="refuse", what="--date")
    assert str(info.value) == "--date 'may 2017' names a month, not a day: write it like 2017-05-24 or 'end of May 2017'"
