"""Property: any valid report survives dumps -> tomllib.loads -> decode_report -> dumps unchanged.

Text carries unicode, quotes, backslashes, newlines, tabs and control characters; dates span
centuries; unknown keys ride along. The profile is the deterministic "ci" one (conftest).
"""

from __future__ import annotations

import tomllib
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from track.domain import model
from track.domain.dates import Duration
from track.domain.model import Action, ActionEvent, Event, Followup, Recommendation, Report
from track.store import reportfile

# Pieces that have broken TOML writers: quotes, backslashes, newlines, tabs, CR, control
# characters, non-BMP and line-separator characters, and what looks like TOML syntax.
NASTY = ['\t', '\n', '"', "'", '\\', '"""', "'''", '\r\n', 'é', '—', '😀', '\u2028', '\ufeff', '\x00', '\x7f',
         '\x1b[31m', '#', ' = ', '[x]', '{ a = 1 }', ' ']
chars = st.characters(blacklist_categories=("Cs",))
texts = st.lists(st.one_of(st.sampled_from(NASTY), st.text(chars, max_size=6)), max_size=5).map("".join)
required = texts.filter(lambda s: s.strip() != "")
non_empty = st.text(chars, min_size=1, max_size=15)
maybe = st.none() | texts
# every date and duration a valid report holds: 1800 to 2199, at most 100 years (dates.EARLIEST,
# LATEST, LONGEST_YEARS), with the edges themselves drawn often
days = st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)) | st.dates(date(2015, 1, 1), date(2020, 12, 31))
durations = st.one_of(
    st.builds(Duration, st.integers(0, 36_524), st.just("days")),
    st.builds(Duration, st.integers(0, 5_217), st.just("weeks")),
    st.builds(Duration, st.integers(0, 1_200), st.just("months")),
    st.builds(Duration, st.integers(0, 100), st.just("years")),
)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
report_ids = st.builds(str.__add__, st.sampled_from(ALNUM), st.text(ALNUM + "_-", max_size=30))  # SAFE_ID
refs = st.builds(str.__add__, st.sampled_from(ALNUM), st.text(ALNUM + "._-", max_size=12))  # SAFE_REF
links = st.lists(non_empty, max_size=3)
extras = st.dictionaries(
    st.builds(str.__add__, st.just("x_"), st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)),
    st.one_of(texts, st.integers(-(2**63), 2**63 - 1), st.booleans(), days, st.lists(st.integers(0, 9), max_size=3)),
    max_size=2,
)


def opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


events = st.builds(
    Event,
    date=days,
    status=opt(st.sampled_from(model.STATUSES)),
    response=opt(st.sampled_from(model.RESPONSES)),
    due=opt(days),
    reason=maybe,
    owner=maybe,
    superseded_by=opt(non_empty),
    duplicate_of=opt(non_empty),
    related=links,
    note=maybe,
    source=maybe,
    evidence=links,
    extra=extras,
)


action_events = st.builds(
    ActionEvent,
    date=days,
    done=opt(st.booleans()),
    due=opt(days),
    reason=maybe,
    owner=maybe,
    note=maybe,
    source=maybe,
    evidence=links,
    recorded=opt(days),
    recorded_by=maybe,
    extra=extras,
)


@st.composite
def action_plans(draw: st.DrawFn) -> list[Action]:
    plan = []
    for n in sorted(draw(st.sets(st.integers(1, 99), max_size=3))):
        added = draw(opt(days))
        events = sorted(draw(st.lists(action_events, max_size=3)), key=lambda e: e.date)
        if added is not None:
            events = [e for e in events if e.date >= added]
        plan.append(Action(n=n, text=draw(required), owner=draw(maybe), due=draw(opt(days)), added=added,
                           recorded=draw(opt(days)), recorded_by=draw(maybe), events=events, extra=draw(extras)))
    return plan


@st.composite
def recommendations(draw: st.DrawFn, report_id: str, ref: str) -> Recommendation:
    return Recommendation(
        report=report_id,
        ref=ref,
        text=draw(required),
        kind=draw(st.sampled_from(model.KINDS)),
        answers=draw(opt(non_empty)),
        owner=draw(maybe),
        tags=draw(links),
        priority=draw(opt(st.sampled_from(model.PRIORITIES))),
        due=draw(opt(days)),
        entered=draw(opt(days)),
        evidence=draw(links),
        related=draw(links),
        events=sorted(draw(st.lists(events, max_size=4)), key=lambda e: e.date),  # stable: same-day order kept
        extra=draw(extras),
        fields=draw(st.dictionaries(st.text("abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=8),
                                    texts | st.integers(-(2**63), 2**63 - 1) | days
                                    | st.floats(allow_nan=False, allow_infinity=False), max_size=3)),
        actions=draw(action_plans()),
    )


@st.composite
def reports(draw: st.DrawFn) -> Report:
    report_id = draw(report_ids)
    numbers = st.one_of(st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False))
    followup = draw(opt(st.builds(Followup, every=durations, start=opt(days), until=opt(days), extra=extras)))
    report = Report(
        id=report_id,
        title=draw(required),
        by=draw(required),
        subject=draw(required),
        published=draw(days),
        kind=draw(st.sampled_from(model.REPORT_KINDS)),
        url=draw(maybe),
        follows=draw(st.lists(report_ids, max_size=2)),
        note=draw(maybe),
        figures=draw(st.dictionaries(texts, numbers, max_size=3)),
        grades=draw(st.dictionaries(texts, st.sampled_from(model.GRADES), max_size=2)),
        followup=followup,
        revisit=draw(st.none() | durations | days),
        response_within=draw(opt(durations)),
        extra=draw(extras),
    )
    for ref in draw(st.lists(refs, max_size=4, unique=True)):
        report.recommendations.append(draw(recommendations(report_id, ref)))
    return report


@given(reports())
def test_dumps_loads_decode_dumps_is_the_identity(report: Report) -> None:
    text = reportfile.dumps_report(report)
    data = tomllib.loads(text)
    back, problems, _unknown = reportfile.decode_report(report.id, data, f"reports/{report.id}.toml", text)
    assert problems == []
    assert back == report
    assert reportfile.dumps_report(back) == text
    # TOML native dates, recommendations and events in their order
    assert data["published"] == report.published and type(data["published"]) is date
    assert [r["ref"] for r in data.get("recommendations", [])] == [r.ref for r in report.recommendations]
    for raw, rec in zip(data.get("recommendations", []), report.recommendations):
        assert [e["date"] for e in raw.get("events", [])] == [e.date for e in rec.events]
        assert (type(raw["due"]) is date) if rec.due is not None else ("due" not in raw)
    # control characters never reach the file raw
    assert not any(c in text for c in "\x00\x1b\x7f\r")
