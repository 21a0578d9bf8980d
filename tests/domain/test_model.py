"""The domain: statuses, events and the state derived from them (track.domain.model)."""

from __future__ import annotations

from datetime import date

import pytest

from track.domain import model
from track.domain.model import CLOSED, OPEN, STATUSES, Event, Recommendation, safe_report_id, state_at


def rec(*events: Event, due: date | None = None, owner: str | None = None) -> Recommendation:
    r = Recommendation(report="hmic-2016-met-cp", ref="R1", text="Appoint a lead", due=due, owner=owner)
    for event in events:
        r.add_event(event)
    return r


def test_the_nine_statuses_and_which_are_closed() -> None:
    assert STATUSES == (
        "awaiting-response", "not-started", "in-progress", "partially-implemented", "reported-complete",
        "implemented", "not-implemented", "superseded", "withdrawn",
    )
    assert CLOSED == {"implemented", "not-implemented", "superseded", "withdrawn"}
    assert set(OPEN) | CLOSED == set(STATUSES) and not set(OPEN) & CLOSED
    assert model.RESPONSES == ("accepted", "partially-accepted", "not-accepted", "noted")
    assert model.KINDS == ("cause-of-concern", "recommendation", "area-for-improvement", "finding")


def test_a_recommendation_starts_awaiting_a_response() -> None:
    state = state_at(rec(due=date(2017, 5, 24), owner="DCS"))
    assert (state.status, state.response, state.due, state.owner) == ("awaiting-response", None, date(2017, 5, 24), "DCS")
    assert state.last_event is None and state.events == 0 and not state.closed
    assert rec(due=date(2017, 5, 24)).id == "hmic-2016-met-cp/R1"


def test_the_first_response_ends_awaiting_response() -> None:
    assert state_at(rec(Event(date(2017, 1, 10), response="accepted"))).status == "not-started"
    assert state_at(rec(Event(date(2017, 1, 10), response="noted"))).status == "not-started"
    # ... unless the same event sets another status
    both = rec(Event(date(2017, 1, 10), response="not-accepted", status="not-implemented"))
    assert state_at(both).status == "not-implemented"
    # a later, second response does not reset the status
    later = rec(Event(date(2017, 1, 10), response="accepted"), Event(date(2017, 2, 1), status="in-progress"),
                Event(date(2017, 3, 1), response="partially-accepted"))
    assert (state_at(later).status, state_at(later).response) == ("in-progress", "partially-accepted")
    # a status set before any response stands, and the response that follows does not change it
    early = rec(Event(date(2017, 1, 10), status="in-progress"), Event(date(2017, 2, 1), response="accepted"))
    assert state_at(early).status == "in-progress"


def test_state_as_of_a_date_folds_only_the_events_up_to_it() -> None:
    r = rec(
        Event(date(2017, 1, 10), response="accepted", source="force update"),
        Event(date(2017, 3, 15), status="in-progress", note="Lead appointed"),
        Event(date(2017, 6, 1), due=date(2017, 12, 31), reason="Restructure"),
        Event(date(2018, 2, 20), status="implemented", owner="ACC"),
        due=date(2017, 5, 24),
        owner="DCS",
    )
    assert state_at(r, date(2017, 1, 9)).status == "awaiting-response"
    on_the_day = state_at(r, date(2017, 1, 10))
    assert (on_the_day.status, on_the_day.response, on_the_day.last_event) == ("not-started", "accepted", date(2017, 1, 10))
    march = state_at(r, date(2017, 3, 31))
    assert (march.status, march.due, march.last_note, march.events) == ("in-progress", date(2017, 5, 24), "Lead appointed", 2)
    assert march.overdue(date(2017, 3, 31)) is False
    may = state_at(r, date(2017, 5, 31))
    assert may.overdue(date(2017, 5, 31)) and may.days_overdue(date(2017, 5, 31)) == 7
    assert not may.overdue(date(2017, 5, 24))  # due on the day is not overdue
    july = state_at(r, date(2017, 7, 1))
    assert july.due == date(2017, 12, 31) and not july.overdue(date(2017, 7, 1))
    final = state_at(r)
    assert (final.status, final.owner, final.closed, final.events) == ("implemented", "ACC", True, 4)
    assert not final.overdue(date(2019, 1, 1)) and final.days_overdue(date(2019, 1, 1)) == 0


def test_links_are_derived_and_related_accumulates() -> None:
    r = rec(
        Event(date(2017, 1, 10), related=["a/R2"]),
        Event(date(2017, 2, 10), related=["a/R3", "a/R2"]),
        Event(date(2017, 3, 10), status="superseded", superseded_by="b/R1"),
    )
    r.related = ["a/R9"]
    state = state_at(r)
    assert state.related == ["a/R9", "a/R2", "a/R3"]
    assert state.superseded_by == "b/R1" and state.closed
    assert state_at(r, date(2017, 2, 28)).superseded_by is None


def test_events_stay_in_date_order_and_same_day_events_in_the_order_entered() -> None:
    r = rec()
    first = Event(date(2017, 3, 1), note="first of the day")
    second = Event(date(2017, 3, 1), note="second of the day")
    earlier = Event(date(2017, 1, 1), note="entered late, happened early")
    later = Event(date(2017, 5, 1), note="later")
    for event in (first, later, second, earlier):
        r.add_event(event)
    assert r.events == [earlier, first, second, later]
    third = Event(date(2017, 3, 1), status="in-progress")
    r.add_event(third)
    assert r.events == [earlier, first, second, third, later]
    assert state_at(r, date(2017, 3, 1)).last_note == "second of the day"


def test_event_changes_lists_only_what_it_changes() -> None:
    assert Event(date(2017, 1, 1), note="just a note").changes() == {}
    event = Event(date(2017, 1, 1), owner="ACC", status="in-progress", due=date(2018, 1, 1), reason="r",
                  related=["x/R1"], note="n", source="s", evidence=["e"])
    assert event.changes() == {"status": "in-progress", "due": date(2018, 1, 1), "owner": "ACC", "related": ["x/R1"]}
    assert list(event.changes()) == ["status", "due", "owner", "related"]


@pytest.mark.parametrize("good", ["hmic-2016-met-cp", "peel_2017.met", "R1", "2016-report", "a"])
def test_safe_report_ids(good: str) -> None:
    assert safe_report_id(good)


@pytest.mark.parametrize(
    "bad",
    ["", "../evil", "a/b", "a\\b", ".hidden", "-flag", "with space", "x.toml", "ends.", "a..b", "é", "x" * 101, "tab\there", "nul\x00"],
)
def test_unsafe_report_ids(bad: str) -> None:
    assert not safe_report_id(bad)


def test_report_finds_a_recommendation_by_ref() -> None:
    report = model.Report(id="r", title="t", by="HMIC", subject="s", published=date(2017, 1, 1))
    report.recommendations.append(rec())
    assert report.recommendation("R1") is report.recommendations[0]
    assert report.recommendation("R2") is None


def test_a_name_typed_composed_or_decomposed_is_one_name() -> None:
    from track.domain.values import name, same_key

    composed, decomposed = "Directrice Générale", "Directrice Ge\u0301ne\u0301rale"
    assert composed != decomposed and name(decomposed, "--owner") == composed
    assert same_key(composed) == same_key(decomposed) == same_key(composed.upper())
