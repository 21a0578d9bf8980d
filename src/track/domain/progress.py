"""How far things have got: counts by status per group as of a date, and the trend across the
follow-up reports (the definitions of overdue, due soon and awaiting response: docs/internals.md;
no response recorded versus the status awaiting-response, and duplicates: Counts)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from unicodedata import normalize

from track.domain.actions import done_at
from track.domain.dates import Duration, clock_deadline
from track.domain.errors import BadValue
from track.domain.fields import shown
from track.domain.model import (CLOSED, KINDS, RESPONSES, STATUSES, Recommendation, Report, State, as_it_stood, slippage,
                                state_at, steps)
from track.domain.record import Record

DUE_SOON_DAYS = 30


GROUP_BY: tuple[str, ...] = ("status", "kind", "owner", "tag", "report", "subject", "response")


NONE_KEY = "(none)"


ALL_KEY = "all"


def share(part: int, whole: int) -> float | None:
    """part / whole to 4 decimal places; None when there is nothing to share."""
    return round(part / whole, 4) if whole else None


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, halves rounded up (5 of 8 is 63%), None when whole is 0."""
    return (200 * part + whole) // (2 * whole) if whole else None


# --------------------------------------------------------------------------- counting


class Counts(Record):
    """The numbers of one row of a progress table.

    Two counts are easily confused and are named apart: `by_status["awaiting-response"]` is the
    recommendations whose *status* is awaiting-response; `no_response` is the open ones with
    *no response recorded* yet, whatever their status (the response clock's count, as `track
    remind` chases them): an event can set another status without recording a response, and the
    response is still awaited.
    `duplicate`: open by status, but marked as a duplicate of another (`duplicate_of`): counted
    with the one it duplicates, so neither open, overdue, due soon nor awaiting a response here."""

    _fields = ("key", "total", "by_status", "overdue", "due_soon", "no_response", "response_overdue", "duplicate", "verified",
               "by_kind")

    def __init__(self, key: str, total: int = 0, by_status: dict[str, int] | None = None, overdue: int = 0, due_soon: int = 0,
                 no_response: int = 0, response_overdue: int = 0, duplicate: int = 0, verified: int = 0,
                 by_kind: dict[str, int] | None = None) -> None:
        self.key = key
        self.total = total
        self.by_status = dict.fromkeys(STATUSES, 0) if by_status is None else by_status
        self.overdue = overdue
        self.due_soon = due_soon
        self.no_response = no_response
        self.response_overdue = response_overdue
        self.duplicate = duplicate
        self.verified = verified  # implemented, and verified by an inspectorate or auditor
        self.by_kind = dict.fromkeys(KINDS, 0) if by_kind is None else by_kind  # recommendations, findings, ... apart

    @property
    def closed(self) -> int:
        return sum(self.by_status[s] for s in CLOSED)

    @property
    def open(self) -> int:
        """Open by status and not a duplicate: total = open + closed + duplicate."""
        return self.total - self.closed - self.duplicate

    @property
    def implemented(self) -> int:
        return self.by_status["implemented"]

    @property
    def awaiting_response(self) -> int:
        """The old name of no_response (kept in the JSON for the scripts that read it)."""
        return self.no_response

    def add(self, fact: Fact) -> None:
        self.total += 1
        self.by_status[fact.state.status] += 1
        self.overdue += fact.overdue
        self.due_soon += fact.due_soon
        self.no_response += fact.no_response
        self.response_overdue += fact.response_overdue
        self.duplicate += fact.duplicate
        self.verified += fact.state.status == "implemented" and fact.state.basis == "verified"
        self.by_kind[fact.rec.kind] = self.by_kind.get(fact.rec.kind, 0) + 1

    def fields(self) -> dict[str, Any]:
        """The documented fields (JSON `groups[]`, `total`, `trend[]`; views/report.py says what each means)."""
        return {
            "key": self.key,
            "total": self.total,
            "by_status": dict(self.by_status),
            "by_kind": dict(self.by_kind),
            "open": self.open,
            "closed": self.closed,
            "duplicate": self.duplicate,
            "implemented": self.implemented,
            "implemented_verified": self.verified,
            "implemented_unverified": self.implemented - self.verified,
            "share_closed": share(self.closed, self.total),
            "share_implemented": share(self.implemented, self.total),
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "no_response": self.no_response,
            "response_overdue": self.response_overdue,
        }


class Fact(Record):
    """One recommendation as it stood on a day, with what the dates say about it. A duplicate
    (open by status, with duplicate_of set by then) is none of overdue, due soon, no response
    or response overdue: the one it duplicates carries those."""

    _fields = ("rec", "report", "state", "overdue", "due_soon", "no_response", "response_overdue", "response_deadline",
               "as_of", "duplicate")

    def __init__(self, rec: Recommendation, report: Report, state: State, overdue: bool, due_soon: bool,
                 no_response: bool, response_overdue: bool, response_deadline: date | None, as_of: date,
                 duplicate: bool = False) -> None:
        self.rec = rec
        self.report = report
        self.state = state
        self.overdue = overdue
        self.due_soon = due_soon
        self.no_response = no_response
        self.response_overdue = response_overdue
        self.response_deadline = response_deadline
        self.as_of = as_of
        self.duplicate = duplicate

    @property
    def awaiting_response(self) -> bool:
        """The old name of no_response."""
        return self.no_response

    @property
    def days_overdue(self) -> int:
        return self.state.days_overdue(self.as_of) if not self.duplicate else 0


def response_deadline(report: Report) -> date | None:
    return clock_deadline(report.published, report.response_within) if report.response_within else None


def fact(rec: Recommendation, report: Report, as_of: date, deadline: date | None = None) -> Fact:
    state = state_at(rec, as_of)
    rec = as_it_stood(rec, as_of)  # its kind and tags as they stood then
    counted = state.status not in CLOSED  # open, and
    duplicate = counted and state.duplicate_of is not None
    counted = counted and not duplicate  # not a duplicate (counted with the one it duplicates)
    due = state.due
    return Fact(rec, report, state,
                counted and due is not None and due < as_of,
                counted and due is not None and as_of <= due <= as_of + timedelta(days=DUE_SOON_DAYS),
                counted and state.response is None,
                counted and state.response is None and deadline is not None and deadline < as_of,
                deadline, as_of, duplicate)


def facts(reports: Iterable[Report], as_of: date) -> list[Fact]:
    """Every recommendation of these reports issued by the end of `as_of`, in issue order."""
    out: list[Fact] = []
    for report in sorted(reports, key=lambda r: (r.published, r.id)):
        if report.published > as_of:
            continue
        deadline = response_deadline(report)
        out.extend(fact(rec, report, as_of, deadline) for rec in report.recommendations)
    return out


def owner_names(directory: Any = None) -> Any:
    """The name a recommendation's or an action's owner text is grouped under: one owner however
    it is typed, as `track owners` and `remind --owner` match them (domain/owners.Directory:
    a declared name or alias, ignoring case, after NFC); the declared name, else the first
    spelling met. A fresh one per report, so that each grouping in it names an owner alike."""
    from track.domain.owners import Directory, key

    found = directory if directory is not None else Directory()
    names: dict[str, str] = {}

    def name(text: str) -> str:
        who = found.who(normalize("NFC", text))
        return names.setdefault(key(who), who)

    return name


def _group_keys(f: Fact, by: str, declared: dict[str, Any] | None = None, owner: Any = None) -> list[str]:
    if declared and by in declared:  # one of the ledger's own fields, as it stood then
        value = f.rec.fields.get(by)
        return [NONE_KEY if value is None else shown(value)]
    if by == "status":
        return [f.state.status]
    if by == "kind":
        return [f.rec.kind]
    if by == "owner":  # one owner however it was typed: accents (NFC), case, a declared alias
        if not f.state.owner:
            return [NONE_KEY]
        return [owner(f.state.owner) if owner is not None else normalize("NFC", f.state.owner)]
    if by == "tag":
        return list(dict.fromkeys(normalize("NFC", t) for t in f.rec.tags)) or [NONE_KEY]
    if by == "report":
        return [f.report.id]
    if by == "subject":
        return [f.report.subject]
    if by == "response":
        return [f.state.response or NONE_KEY]
    raise BadValue(f"unknown grouping {by!r}: use one of {', '.join(GROUP_BY)}")


def _group_order(by: str, keys: Iterable[str], reports: dict[str, Report], declared: dict[str, Any] | None = None) -> list[str]:
    own = declared.get(by) if declared else None
    fixed = own.choices if own is not None and own.type == "choice" else \
        {"status": STATUSES, "kind": KINDS, "response": RESPONSES}.get(by)
    keys = list(keys)
    if own is not None and own.type in ("number", "date"):
        def value(k: str) -> tuple[int, Any]:
            if own.type == "date" or k == NONE_KEY:  # ISO dates sort as text
                return (0, 0) if k == NONE_KEY else (1, k)
            try:
                return (0, float(k))
            except ValueError:  # a value that is not a number: check names it
                return (1, k)

        return sorted(keys, key=lambda k: (k == NONE_KEY, value(k), k))
    if fixed is not None:  # in the declared order, then values no longer offered, then (none)
        rank = {k: i for i, k in enumerate(fixed)}
        return sorted(keys, key=lambda k: (k == NONE_KEY, rank.get(k, len(rank)), k.casefold(), k))
    if by == "report":
        return sorted(keys, key=lambda k: (reports[k].published, k))
    return sorted(keys, key=lambda k: (k == NONE_KEY, k.casefold(), k))


def count(facts_: Iterable[Fact], by: str, reports: dict[str, Report] | None = None,
          declared: dict[str, Any] | None = None, owner: Any = None) -> tuple[list[Counts], Counts]:
    """Rows per group (a recommendation with several tags counts once under each) and the
    total; `by` may be one of the ledger's own fields (`declared`)."""
    if by not in GROUP_BY and by not in (declared or {}):
        raise BadValue(f"unknown grouping {by!r}: use one of {', '.join(GROUP_BY)}")
    groups: dict[str, Counts] = {}
    total = Counts(ALL_KEY)
    for f in facts_:
        total.add(f)
        for key in _group_keys(f, by, declared, owner):
            row = groups.get(key)
            if row is None:
                row = groups[key] = Counts(key)
            row.add(f)
    order = _group_order(by, groups, reports or {}, declared)
    return [groups[k] for k in order], total


# --------------------------------------------------------------------------- scope


def follow_index(reports: dict[str, Report]) -> dict[str, list[Report]]:
    """For each report id, the reports whose `follows` names it."""
    index: dict[str, list[Report]] = {}
    for r in reports.values():
        for followed in r.follows:
            index.setdefault(followed, []).append(r)
    return index


def followers(reports: dict[str, Report], report: Report, index: dict[str, list[Report]] | None = None) -> list[Report]:
    """Every report that follows this one, directly or through another follow-up, oldest first."""
    if index is None:
        index = follow_index(reports)
    seen: set[str] = {report.id}
    found: list[Report] = []
    frontier = [report.id]
    while frontier:
        for r in index.get(frontier.pop(), []):
            if r.id not in seen:
                seen.add(r.id)
                found.append(r)
                frontier.append(r.id)
    return sorted(found, key=lambda r: (r.published, r.id))


def scope_reports(reports: dict[str, Report], report: Report | None) -> list[Report]:
    """The whole ledger, or one report and everything that follows it."""
    if report is None:
        return sorted(reports.values(), key=lambda r: (r.published, r.id))
    return [report, *followers(reports, report)]


# --------------------------------------------------------------------------- the trend


class TrendPoint(Record):
    """One point of a report's trend: its recommendations counted at a report's publication."""

    _fields = ("of", "report", "counts", "moved")

    def __init__(self, of: str, report: Report, counts: Counts, moved: int) -> None:
        self.of = of  # the report whose recommendations are counted
        self.report = report  # the report at whose publication they are counted (the first point: `of` itself)
        self.counts = counts
        self.moved = moved  # how many changed status since the previous point
        self.actions = (0, 0)  # (done, total) of the actions of the plans of `of`'s recommendations at that date

    @property
    def date(self) -> date:
        return self.report.published


class Movement(Record):
    """One recommendation's status at each point of a trend."""

    _fields = ("id", "of", "statuses")

    def __init__(self, id: str, of: str, statuses: list[str]) -> None:
        self.id = id
        self.of = of
        self.statuses = statuses  # one per point of the trend

    @property
    def changes(self) -> int:
        return sum(1 for a, b in zip(self.statuses, self.statuses[1:]) if a != b)


class Trend(Record):
    """How a report's recommendations stood at each follow-up report."""

    _fields = ("of", "points", "items")

    def __init__(self, of: Report, points: list[TrendPoint], items: list[Movement]) -> None:
        self.of = of
        self.points = points
        self.items = items


def trend(reports: dict[str, Report], report: Report, as_of: date, index: dict[str, list[Report]] | None = None) -> Trend | None:
    """The status of a report's recommendations at its publication and at each follow-up's
    publication up to `as_of`; None when no follow-up had been published by then."""
    if index is not None and report.id not in index:
        return None
    checks = [r for r in followers(reports, report, index) if r.published <= as_of]
    if not checks or report.published > as_of:
        return None
    deadline = response_deadline(report)
    points: list[TrendPoint] = []
    statuses: list[list[str]] = [[] for _ in report.recommendations]
    for check in [report, *checks]:
        day = check.published
        counts = Counts(check.id)
        moved = 0
        for i, rec in enumerate(report.recommendations):
            f = fact(rec, report, day, deadline)
            counts.add(f)
            if statuses[i] and statuses[i][-1] != f.state.status:
                moved += 1
            statuses[i].append(f.state.status)
        point = TrendPoint(report.id, check, counts, moved)
        point.actions = done_at(report.recommendations, day)
        points.append(point)
    items = [Movement(rec.id, report.id, s) for rec, s in zip(report.recommendations, statuses)]
    return Trend(report, points, items)


# --------------------------------------------------------------------------- the report


CLOSING = ("implemented", "not-implemented", "superseded", "withdrawn")


class PeriodCounts(Record):
    """What happened in a period (since and until both included) to one group: issued (their
    report published in it), closed (closed at its end by an event dated in it), each closing
    status apart (closed_by), reopened (open again after being closed, by an event in it),
    moved (a due date that moved in it) and open (open at its end, duplicates left out)."""

    _fields = ("key", "issued", "closed", "closed_by", "reopened", "moved", "open")

    def __init__(self, key: str, issued: int = 0, closed: int = 0, closed_by: dict[str, int] | None = None,
                 reopened: int = 0, moved: int = 0, open: int = 0) -> None:
        self.key = key
        self.issued = issued
        self.closed = closed
        self.closed_by = dict.fromkeys(CLOSING, 0) if closed_by is None else closed_by
        self.reopened = reopened
        self.moved = moved
        self.open = open

    def fields(self) -> dict[str, Any]:
        return {"key": self.key, "issued": self.issued, "closed": self.closed, "closed_by": dict(self.closed_by),
                "reopened": self.reopened, "moved": self.moved, "open": self.open}


class Period(Record):
    """`report --since`: what happened between two days, by group and in total."""

    _fields = ("since", "until", "groups", "total")

    def __init__(self, since: date, until: date, groups: list[PeriodCounts], total: PeriodCounts) -> None:
        self.since = since
        self.until = until
        self.groups = groups
        self.total = total


def period(facts_: list[Fact], by: str, reports: dict[str, Report], since: date,
           declared: dict[str, Any] | None = None, owner: Any = None) -> Period:
    """What happened to these recommendations (facts at the period's last day) from `since`."""
    until = facts_[0].as_of if facts_ else since
    first, last = since.toordinal(), until.toordinal()
    groups: dict[str, PeriodCounts] = {}
    total = PeriodCounts(ALL_KEY)
    for f in facts_:
        status = "awaiting-response"
        due = f.rec.due.toordinal() if f.rec.due is not None else None
        closed_on = reopened = moved = None
        for new_status, new_due, day in steps(f.rec):
            if day > last:
                break
            shut, was = new_status in CLOSED, status in CLOSED
            if day >= first:
                if shut and not was:
                    closed_on = day
                elif was and not shut:
                    reopened, closed_on = True, None
                if new_due != due and due is not None:
                    moved = True
            elif shut and not was:
                closed_on = None
            status, due = new_status, new_due
        counted = [total] + [groups.setdefault(k, PeriodCounts(k)) for k in _group_keys(f, by, declared, owner)]
        for c in counted:
            c.issued += first <= f.report.published.toordinal() <= last
            if closed_on is not None and f.state.status in CLOSED:
                c.closed += 1
                c.closed_by[f.state.status] += 1
            c.reopened += bool(reopened)
            c.moved += bool(moved)
            c.open += f.state.status not in CLOSED and not f.duplicate
    order = _group_order(by, groups, reports, declared)
    return Period(since, until, [groups[k] for k in order], total)


class Progress(Record):
    """What `track report` shows: counts by group, the total, and the trends."""

    _fields = ("as_of", "ledger_name", "ledger_root", "scope", "reports", "by", "groups", "total", "trends", "facts",
               "period")

    def __init__(self, as_of: date, ledger_name: str, ledger_root: str, scope: Report | None, reports: list[Report], by: str,
                 groups: list[Counts], total: Counts, trends: list[Trend], facts: list[Fact],
                 period: Period | None = None) -> None:
        self.as_of = as_of
        self.ledger_name = ledger_name
        self.ledger_root = ledger_root
        self.scope = scope  # None: the whole ledger
        self.reports = reports  # in scope and published by as_of
        self.by = by
        self.groups = groups
        self.total = total
        self.trends = trends
        self.facts = facts
        self.period = period  # report --since: what happened in the period
        self.measures: dict[str, Any] | None = None  # report --metrics (see metrics)
        self.evidence_after = Duration(90, "days")  # how old the newest evidence may be before it is said ([report] evidence_after)
        self.by_label: str | None = None  # grouped by one of the ledger's own fields: its label
        self.owner_name: Any = owner_names()  # the name an owner's text is grouped under (owner_names)

    def open_items(self) -> list[Fact]:
        """Open recommendations (duplicates left out): overdue first (most days overdue first), then by due date."""
        far = date.max
        items = [f for f in self.facts if f.state.status not in CLOSED and not f.duplicate]
        return sorted(items, key=lambda f: (not f.overdue, -f.days_overdue, f.state.due or far))


AGE_BANDS = ("under 1 year", "1 to 2 years", "2 to 3 years", "3 years and over")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the 28th
        return day.replace(year=day.year + years, day=28)


def metrics(facts_: list[Fact], as_of: date, years: int = 4) -> dict[str, Any]:
    """The measures oversight bodies publish, for these recommendations as of a date:
    implementation_rate_by_year (of those issued each calendar year, the share implemented
    within `years` years of issue, as the US GAO reports it; window_open while those years
    have not all passed), days_to_close (count, median, mean: from issue to the closing event),
    closed_on_time (of the closed with a due date, how many closed by the original due date
    and by the due date in force when they closed), open_by_age (open, duplicates left out, by
    years since issue) and open_overdue / open_not_yet_due / open_no_due."""
    by_year: dict[int, list[int]] = {}
    days: list[int] = []
    on_time = {"closed_with_due": 0, "by_original_due": 0, "by_revised_due": 0}
    ages = dict.fromkeys(AGE_BANDS, 0)
    overdue = not_due = no_due = 0
    for f in facts_:
        issued = f.report.published
        first_due, _moves, closed_on = slippage(f.rec, as_of)
        year = by_year.setdefault(issued.year, [0, 0])
        year[0] += 1
        if f.state.status == "implemented" and closed_on is not None and closed_on <= _years_after(issued, years):
            year[1] += 1
        if f.state.closed and closed_on is not None:
            days.append((closed_on - issued).days)
            if f.state.due is not None or first_due is not None:
                on_time["closed_with_due"] += 1
                on_time["by_original_due"] += first_due is not None and closed_on <= first_due
                on_time["by_revised_due"] += f.state.due is not None and closed_on <= f.state.due
        elif not f.state.closed and not f.duplicate:
            age = (as_of - issued).days
            band = 0 if age < 365 else 1 if age < 730 else 2 if age < 1095 else 3
            ages[AGE_BANDS[band]] += 1
            if f.state.due is None:
                no_due += 1
            elif f.overdue:
                overdue += 1
            else:
                not_due += 1
    days.sort()
    median = None
    if days:
        mid = len(days) // 2
        median = days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
    closed = on_time["closed_with_due"]
    return {
        "years": years,
        "implementation_rate_by_year": [
            {"year": y, "issued": n, "implemented_within": k, "rate": share(k, n),
             "window_open": _years_after(date(y, 12, 31), years) > as_of}
            for y, (n, k) in sorted(by_year.items())],
        "days_to_close": {"count": len(days), "median": median,
                          "mean": round(sum(days) / len(days), 1) if days else None},
        "closed_on_time": {**on_time, "share_original": share(on_time["by_original_due"], closed),
                           "share_revised": share(on_time["by_revised_due"], closed)},
        "open_by_age": ages,
        "open_overdue": overdue,
        "open_not_yet_due": not_due,
        "open_no_due": no_due,
    }


def progress(reports: dict[str, Report], as_of: date, *, scope: Report | None = None, by: str | None = None,
             ledger_name: str = "", ledger_root: str = "", since: date | None = None,
             metrics_years: int | None = None, declared: dict[str, Any] | None = None,
             owners: Any = None) -> Progress:
    """The progress report: the whole ledger grouped by report, or one report and its
    follow-ups grouped by status, unless `by` says otherwise (a grouping, or one of the
    ledger's own fields, `declared`, by its key or label). `owners`: the owners track.toml
    declares (domain/owners.Directory), so that an owner is one group under any of their names."""
    owner = owner_names(owners)
    by = (by or ("status" if scope is not None else "report")).strip().lower()
    label = None
    if by not in GROUP_BY:
        from track.domain.fields import find

        try:
            own = find(declared or {}, by)
        except BadValue:
            raise BadValue(f"unknown --by {by!r}: use one of {', '.join([*GROUP_BY, *(declared or {})])}") from None
        by, label = own.name, own.label
    in_scope = [r for r in scope_reports(reports, scope) if r.published <= as_of]
    all_facts = facts(in_scope, as_of)
    groups, total = count(all_facts, by, reports, declared, owner)
    index = follow_index(reports)
    trends = [t for t in (trend(reports, r, as_of, index) for r in in_scope) if t is not None]
    in_period = period(all_facts, by, reports, since, declared, owner) if since is not None else None
    result = Progress(as_of, ledger_name, ledger_root, scope, in_scope, by, groups, total, trends, all_facts, in_period)
    result.by_label = label
    result.owner_name = owner
    result.measures = metrics(all_facts, as_of, metrics_years) if metrics_years is not None else None
    return result
