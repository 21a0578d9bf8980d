"""The domain's plain record classes behave as the dataclasses they replaced: equal field by
field, unhashable unless frozen, frozen ones immutable, fresh lists and dicts for defaults,
a repr naming each field, and `replace`."""

from __future__ import annotations

import copy
import pickle
from datetime import date

import pytest

from track.domain.dates import Duration
from track.domain.model import Entry, Event, Followup, Recommendation, Report, State
from track.domain.query import Filter, Item
from track.domain.record import replace
from track.store.reportfile import Problem
from track.views.formats import Column


def test_equal_field_by_field_and_only_to_their_own_class() -> None:
    assert Event(date(2020, 1, 1), note="a") == Event(date(2020, 1, 1), note="a")
    assert Event(date(2020, 1, 1), note="a") != Event(date(2020, 1, 1), note="b")
    assert Recommendation("r", "R1", "t") == Recommendation("r", "R1", "t", kind="recommendation", events=[])
    assert Recommendation("r", "R1", "t") != Recommendation("r", "R1", "t", tags=["x"])
    assert Column("a", "A") != Column("a", "A", right=True)
    state = State("in-progress", None, None, None, None, None, [], None, None, 1)
    assert state == State("in-progress", None, None, None, None, None, [], None, None, 1)
    assert state != State("implemented", None, None, None, None, None, [], None, None, 1)
    assert Duration(3, "months") != (3, "months") and Problem("p", 1, 2, "m") != ("p", 1, 2, "m")


def test_defaults_are_fresh_for_each_record() -> None:
    a, b = Recommendation("r", "R1", "t"), Recommendation("r", "R2", "t")
    a.tags.append("x")
    a.events.append(Event(date(2020, 1, 1)))
    a.extra["k"] = 1
    assert b.tags == [] and b.events == [] and b.extra == {}
    r1, r2 = Report("r", "t", "b", "s", date(2020, 1, 1)), Report("q", "t", "b", "s", date(2020, 1, 1))
    r1.recommendations.append(a)
    r1.follows.append("x")
    assert r2.recommendations == [] and r2.follows == [] and r2.figures == {} and r2.grades == {}
    f1, f2 = Filter(), Filter()
    f1.statuses.append("open")
    assert f2.statuses == [] and f2.tags == [] and f2.kinds == [] and f2.priorities == []
    e1, e2 = Event(date(2020, 1, 1)), Event(date(2020, 1, 1))
    e1.related.append("x")
    e1.evidence.append("y")
    assert e2.related == [] and e2.evidence == [] and Followup(Duration(1, "years")).extra == {}


def test_mutable_records_cannot_be_hashed_and_frozen_ones_cannot_change() -> None:
    for record in (Event(date(2020, 1, 1)), Recommendation("r", "R1", "t"), Column("a", "A"), Filter()):
        with pytest.raises(TypeError):
            hash(record)
    assert hash(Duration(3, "months")) == hash(Duration(3, "months"))
    assert {Problem("p", 1, None, "m"), Problem("p", 1, None, "m")} == {Problem("p", 1, None, "m")}
    with pytest.raises(AttributeError):
        Duration(3, "months").count = 4  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Problem("p", 1, None, "m").message


def test_an_entry_is_only_itself() -> None:
    one = Entry("r", "R1", "t", "recommendation", None, None, [], None, None, None, [], [], None, (0, 0))
    two = Entry("r", "R1", "t", "recommendation", None, None, [], None, None, None, [], [], None, (0, 0))
    assert one == one and one != two and len({one, two}) == 2 and one.packed is None


def test_repr_names_every_field() -> None:
    assert repr(Duration(3, "months")) == "Duration(count=3, unit='months')"
    assert repr(Column("id", "ID", plain=True)) == ("Column(key='id', header='ID', right=False, wide=False, plain=True, stack=0, drop=0, above=False, keep=False)")
    assert repr(Event(date(2020, 1, 2), status="implemented")).startswith(
        "Event(date=datetime.date(2020, 1, 2), status='implemented', basis=None, response=None, ")


def test_replace_changes_only_what_it_is_given() -> None:
    rec = Recommendation("r", "R1", "t", owner="DCC", events=[Event(date(2020, 1, 1))])
    copy = replace(rec, events=[])
    assert copy.events == [] and rec.events and copy.owner == "DCC" and copy.ref == "R1" and copy.__class__ is Recommendation
    assert replace(Duration(3, "months"), count=4) == Duration(4, "months")
    with pytest.raises(TypeError):
        replace(rec, colour="red")
    item = Item(rec, Report("r", "t", "b", "s", date(2020, 1, 1)), State("x", None, None, None, None, None, [], None, None, 0))
    assert replace(item, rec=copy).rec is copy


def test_records_copy_and_pickle() -> None:
    report = Report("r", "t", "b", "s", date(2020, 1, 1), response_within=Duration(56, "days"),
                    followup=Followup(Duration(3, "months")), recommendations=[Recommendation("r", "R1", "t")])
    for value in (Duration(3, "months"), Problem("p", 1, None, "m"), report, Column("a", "A"), Filter(statuses=["open"])):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value and copy.copy(value) == value
    assert copy.deepcopy(report).followup is not report.followup


def test_the_records_of_remind_report_and_history() -> None:
    from track.domain.history import History
    from track.domain.progress import Counts
    from track.domain.reminders import Due, Reminders, ResponseDue, Stale
    from track.domain.schedule import Expectation, ResponseClock

    due = Due("r/R1", "r", "t", "in-progress", date(2020, 1, 1), 3, None)
    assert due == Due("r/R1", "r", "t", "in-progress", date(2020, 1, 1), 3, None) and hash(due) == hash(copy.copy(due))
    with pytest.raises(AttributeError):
        due.days = 4  # type: ignore[misc]
    clock = ResponseClock("r", Duration(56, "days"), date(2020, 3, 1), 2, ("r/R1",))
    assert pickle.loads(pickle.dumps(clock)) == clock and clock.days(date(2020, 2, 28)) == 2
    stale = Stale("r/R1", "r", "t", "in-progress", None, date(2020, 1, 1), 10, "DCC")
    assert replace(stale, days=11).days == 11 and stale.days == 10
    response = ResponseDue("r", "t", date(2020, 1, 1), Duration(56, "days"), date(2020, 2, 26), -1, ("r/R1",), 1)
    assert {response, copy.deepcopy(response)} == {response}
    one, two = (Reminders("l", date(2020, 1, 1), Duration(14, "days"), Duration(6, "months"), date(2020, 1, 15)) for _ in range(2))
    one.overdue_hits.append((1, "r/R1", "t", "r", "in-progress", None, None))
    assert two.overdue_hits == [] and two.due_soon_hits == [] and two.stale_hits == [] and two.responses_due == []
    with pytest.raises(TypeError):
        hash(one)
    a, b = Counts("x"), Counts("y")
    a.by_status["implemented"] += 1
    assert b.by_status["implemented"] == 0 and a.implemented == 1 and a != Counts("x")
    expected = Expectation("r", "follow-up", 1, date(2020, 6, 1))
    expected.satisfied_by = "f"
    assert expected.satisfied and not expected.missed(date(2021, 1, 1))
    history = History(None, "ledger", None, date(2020, 1, 1), "n", "/r", [], [], [], [], [], [])
    assert history == History(None, "ledger", None, date(2020, 1, 1), "n", "/r", [], [], [], [], [], [])
