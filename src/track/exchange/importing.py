"""Reading rows to import (CSV, or JSON as `track export` writes it) and turning them into
changes to a ledger's reports: every row checked, each problem named by line, column and
value, and the rules of `check` applied to what is added. The columns are in export.py.
Nothing here knows about the terminal."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from track.ledger import Ledger

from track.domain import model
from track.domain.dates import Duration, parse_duration
from track.domain.errors import BadValue, TrackError
from track.domain.model import Event, Followup, Recommendation, Report
from track.domain.record import replace
from track.exchange.export import EVENT_COLUMNS, FIELD_COLUMN, REC_COLUMNS, REPORT_COLUMNS
from track.exchange.rows import BadCell, Cells, CsvRows, ImportProblems, Row, shown_value

# --------------------------------------------------------------------------- importing


@dataclass
class Plan:
    """What an import adds and changes."""

    new_reports: list[str] = field(default_factory=list)
    new_recommendations: dict[str, list[str]] = field(default_factory=dict)  # report -> refs
    new_events: int = 0  # on new recommendations
    new_actions: int = 0  # in the plans of new recommendations
    added_events: dict[str, int] = field(default_factory=dict)  # existing recommendation id -> events added
    present_events: int = 0  # already in the ledger
    notices: list[str] = field(default_factory=list)
    dirty: set[str] = field(default_factory=set)

    @property
    def recommendations(self) -> int:
        return sum(len(v) for v in self.new_recommendations.values())

    def summary(self) -> str:
        """One line: what is added, in numbers."""
        parts = []
        if self.new_reports:
            parts.append(_count(len(self.new_reports), "report"))
        if self.recommendations:
            parts.append(_count(self.recommendations, "recommendation"))
        if self.new_events:
            parts.append(_count(self.new_events, "event"))
        if self.new_actions:
            parts.append(_count(self.new_actions, "action"))
        text = ", ".join(parts) + " added" if parts else "nothing new"
        if self.added_events:
            events = sum(self.added_events.values())
            text += f"; {_count(events, 'event')} added to {_count(len(self.added_events), 'recommendation')} already in the ledger"
        if self.present_events:
            text += f"; {_count(self.present_events, 'event')} already recorded"
        return text

    def lines(self) -> Iterator[str]:
        """What is added and changed, report by report."""
        for report_id in self.new_reports:
            refs = self.new_recommendations.get(report_id, [])
            yield f"add report {report_id}" + (f" with {_count(len(refs), 'recommendation')}: {_refs(refs)}" if refs else "")
        for report_id, refs in self.new_recommendations.items():
            if report_id not in self.new_reports:
                yield f"add to {report_id}: {_count(len(refs), 'recommendation')}: {_refs(refs)}"
        for rec_id, count in self.added_events.items():
            yield f"add {_count(count, 'event')} to {rec_id}"
        yield from self.notices


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _refs(refs: list[str], most: int = 12) -> str:
    more = f" and {len(refs) - most:,} more" if len(refs) > most else ""
    return ", ".join(refs[:most]) + more


class Importer(Cells):
    """Turns rows into changes to a ledger's reports; `problems` lists every bad row.

    The rows are read twice: first only their report column, to know each report's last row;
    then whole, one by one. Once no report the rows so far touched has a row left (after each
    report, in a file that keeps a report's rows together, as an export does), those reports
    are checked by the ledger's rules, handed to `finished` (which renders and stages their
    files, unless the import is a dry run or already refused) and let go of, with the rows
    that made them: an import holds one report at a time, not the whole file. What it keeps
    to the end is small: each report's id, publication, and its recommendations' kinds (for
    the links the rules check across reports)."""

    def __init__(self, ledger: Any, name: str, *, default_report: str | None, create_reports: bool,
                 today: date, day_first: bool = False,
                 finished: Callable[[Report, bytes | None], None] | None = None) -> None:
        self.ledger = ledger
        self.name = name
        self.default_report = default_report
        self.create_reports = create_reports
        self.today = today
        self.plan = Plan()
        self.problems: list[str] = []
        self.reports: dict[str, Report] = {}  # every report the import touches, as it will be written
        self.existing = set(ledger.reports)
        self._defined: dict[str, Row] = {}  # new report -> the row that defined it
        self._rec_rows: dict[tuple[str, str], Row] = {}  # recommendation -> its first row in the file
        self._rec_fields: dict[tuple[str, str], dict[str, Any]] = {}
        self._new_recs: set[tuple[str, str]] = set()
        self._before: dict[tuple[str, str], list[Event]] = {}  # events of existing ones, before the import
        self._event_rows: dict[int, Row] = {}  # id(event) -> its row
        self._noticed: set[str] = set()
        self._refused: set[str] = set()  # reports whose first row was refused: their other rows are not checked
        self._refused_recs: set[tuple[str, str]] = set()  # the same for recommendations
        self._present_counts: dict[tuple[str, str], Counter] = {}
        self.day_first = day_first  # 01/02/2024 is the 1st of February, not refused as ambiguous
        self._file_events: dict[tuple, Row] = {}  # each event of the file -> its first row
        self._by_ref: dict[str, tuple[Report, dict[str, Recommendation]]] = {}  # report id -> (report, ref -> recommendation)
        self.finished = finished  # given each changed report, and its file's bytes before, once checked
        self._follows: dict[str, list[str]] = {}  # new report -> the reports it follows
        self._lower: dict[str, str] | None = None  # report id in lower case -> the first id with it
        self._done: set[str] = set()  # reports let go of: no row is left for them
        self._published: dict[str, date] = {}  # every report the import touched -> its publication
        self._kinds_of: dict[str, dict[str, str]] = {}  # every report the import touched -> ref -> kind
        self._rule_problems: list[str] = []  # the rules' problems of the reports let go of, in the rows' order
        self._items: list[tuple] = []  # their items for checks.evaluate (links across reports)
        self.rows = 0

    # ----------------------------------------------------------------- rows

    def run(self, rows: Any, progress: Callable[[int, int], None] | None = None) -> Plan:
        """Import `rows`: a list of Rows (read_csv, read_json), or a CsvRows, read twice."""
        ends = dict(rows.ends if isinstance(rows, CsvRows) else _ends(rows))
        if self.default_report:  # a row with no report names --report's
            ends[self.default_report] = max(ends.get(self.default_report, 0), ends.pop("", 0))
        total = self.rows = len(rows)
        horizon = 0  # the last row of the reports touched so far
        for n, row in enumerate(rows, 1):
            key = _report_key(row.values.get("report"))
            report_id = key or self.default_report if key is not None else None
            if report_id:
                horizon = max(horizon, ends.get(report_id, n))
            try:
                self.row(row)
            except BadCell as bad:
                self.bad(row, bad.column, bad.message)
            if n >= horizon:
                self.let_go()
            if progress is not None and (n % 500 == 0 or n == total):
                progress(n, total)
        self.let_go()
        if not self.problems:
            self.check_rules()
        return self.plan

    def let_go(self) -> None:
        """The reports touched so far have no row left: check them by the ledger's rules, hand
        each one changed to `finished`, and forget them and their rows."""
        if not self.reports:
            return
        if not self.problems:
            self.check_recommendations()
        for report_id, report in self.reports.items():
            self._published[report_id] = report.published
            self._kinds_of[report_id] = {sys.intern(rec.ref): sys.intern(rec.kind) for rec in report.recommendations}
            if self.finished is not None and not self.problems and not self._rule_problems and report_id in self.plan.dirty:
                self.finished(report, self.ledger.before(report_id) if report_id in self.existing else None)
            if report_id in self.existing:
                self.ledger.release(report_id)
            if report_id in self._defined:
                self._defined[report_id] = self._defined[report_id].spot()
        self._done.update(self.reports)
        self.reports = {}
        for held in (self._rec_rows, self._rec_fields, self._new_recs, self._before, self._event_rows,
                     self._present_counts, self._file_events, self._by_ref):
            held.clear()

    def row(self, row: Row) -> None:
        report_id = self.text(row, "report", single_line=True)
        report_id = report_id.strip() if report_id else self.default_report
        if not report_id:
            raise BadCell("report", "empty: name the report in this column, or give --report")
        if report_id in self._refused:
            return  # said once, at its first row
        try:
            report = self.report_for(row, report_id)
        except BadCell:
            if report_id not in self.reports:
                self._refused.add(report_id)
            raise
        if report is None:
            return
        ref = self.text(row, "ref", single_line=True)
        has_rec = not row.filled.isdisjoint(_REC_ONLY) or any(c == "fields" or c.startswith(FIELD_COLUMN) for c in row.filled)
        has_event = not row.filled.isdisjoint(EVENT_COLUMNS)
        if ref is None:
            if has_rec or has_event:
                raise BadCell("ref", "empty: a recommendation or an event needs its ref")
            return
        ref = ref.strip()
        if not model.SAFE_REF.match(ref):
            raise BadCell("ref", f"{ref!r} must be letters, digits, '.', '_' or '-' (at most 40), such as R3 or AFI2")
        rec = self.recommendation_for(row, report, ref)
        if rec is not None and has_event:
            self.event_for(row, report, rec)

    def report_for(self, row: Row, report_id: str) -> Report | None:
        if report_id in self._done:  # its last row was seen by the first reading
            raise TrackError(f"{self.name}: the file changed while it was read; nothing was written")
        if report_id in self.reports:
            if report_id in self._defined:
                self.same_report(row, report_id)
            else:
                self.notice_report(row, self.reports[report_id])
            return self.reports[report_id]
        if report_id in self.existing:
            report = self.ledger.full(report_id)
            self.reports[report_id] = report
            self.notice_report(row, report)
            return report
        if not model.safe_report_id(report_id):
            raise BadCell("report", f"{report_id!r} is not a safe report id: letters, digits, '.', '_' and '-'")
        if self._lower is None:
            self._lower = {}
            for known in self.existing:
                self._lower.setdefault(known.lower(), known)
        clash = self._lower.get(report_id.lower())
        if clash:
            where = "the ledger has" if clash in self.existing else "this file adds"
            raise BadCell("report", f"{report_id!r}: {where} {clash!r}; report ids differ by more than case "
                                    "(one file on a case-insensitive disk)")
        if not self.create_reports:
            raise BadCell("report", f"{report_id!r} is not a report of this ledger: add it with `track reports add`, "
                                 "or import with --create-reports and the report_* columns")
        report = self.new_report(row, report_id)
        self.reports[report_id] = report
        self._defined[report_id] = row
        self._follows[report_id] = report.follows
        self._lower.setdefault(report_id.lower(), report_id)
        self.plan.new_reports.append(report_id)
        self.plan.dirty.add(report_id)
        return report

    def new_report(self, row: Row, report_id: str) -> Report:
        missing = [c for c in ("report_title", "report_by", "report_subject", "report_published") if not row.given(c)]
        if missing:
            raise BadCell(missing[0], f"empty: a new report ({report_id}) needs {', '.join(missing)}")
        published = self.day(row, "report_published", base=self.today)
        assert published is not None
        if published > self.today:
            raise BadCell("report_published", f"{published} is after today ({self.today})")
        every = self.duration(row, "report_followup_every")
        start = self.day(row, "report_followup_from", base=published, month="start")
        until = self.day(row, "report_followup_until", base=published, month="end")
        extra = self.extra(row, "report_extra")
        followup_extra = extra.pop("followup", {}) if isinstance(extra.get("followup"), dict) else {}
        followup = None
        if every is not None:
            followup = Followup(every, start, until, extra=followup_extra)
        elif start or until:
            raise BadCell("report_followup_every", "empty: a follow-up schedule's from and until need every")
        follows = self.items(row, "report_follows")
        revisit: Duration | date | None = None
        revisit_text = self.text(row, "report_revisit", single_line=True)
        if revisit_text is not None:
            try:
                revisit = parse_duration(revisit_text, "report_revisit")
            except BadValue:
                revisit = self.day(row, "report_revisit", base=published, month="end", publication=published)
        for name in extra:
            if name in _REPORT_FILE_KEYS:
                raise BadCell("report_extra", f"{name!r} is a report field, not an extra key")
        return Report(
            id=report_id,
            title=(self.text(row, "report_title", single_line=True) or ""),
            by=(self.text(row, "report_by", single_line=True) or ""),
            subject=(self.text(row, "report_subject", single_line=True) or ""),
            published=published,
            kind=self.word(row, "report_kind", model.REPORT_KINDS, "report kind") or "inspection",
            url=self.text(row, "report_url", single_line=True),
            follows=follows,
            note=self.text(row, "report_note"),
            figures=self.pairs(row, "report_figures", True),
            grades=self.pairs(row, "report_grades", False),
            followup=followup,
            revisit=revisit,
            response_within=self.duration(row, "report_response_within"),
            response_from=self.text(row, "report_response_from", single_line=True),
            extra=extra,
            entered=self.day(row, "report_entered", base=self.today) if "report_entered" in row.values else self.today,
        )

    def same_report(self, row: Row, report_id: str) -> None:
        """A later row of a report this import adds: its report_* cells, where given, must agree."""
        if not any(row.given(c) for c in REPORT_COLUMNS):
            return
        again = self.new_report(row, report_id) if row.given("report_title") else None
        if again is None:
            raise BadCell(next(c for c in REPORT_COLUMNS if row.given(c)),
                       f"{report_id} is defined on {self.where(self._defined[report_id], None)}: give every report_* "
                       "column here too, or none")
        first = self.reports[report_id]
        for column, mine, theirs in _report_differences(again, first):
            raise BadCell(column, f"{shown_value(mine)} differs from {shown_value(theirs)} given for {report_id} on "
                               f"{self.where(self._defined[report_id], None)}")

    def notice_report(self, row: Row, report: Report) -> None:
        if report.id in self._noticed or not row.given("report_title"):
            return
        self._noticed.add(report.id)
        try:
            given = self.new_report(row, report.id)
        except BadCell as bad:
            self.plan.notices.append(f"{report.id} is already in the ledger: kept as it is "
                                     f"(the file's {bad.column}: {bad.message})")
            return
        differ = [f"{column} {shown_value(mine)} (the ledger has {shown_value(theirs)})"
                  for column, mine, theirs in _report_differences(given, report) if row.given(column)]
        if differ:
            self.plan.notices.append(f"{report.id} is already in the ledger: kept as it is, although the file "
                                     f"gives {'; '.join(differ)}")

    def _index(self, report: Report) -> dict[str, Recommendation]:
        """The report's recommendations by ref, made once for each report object: a lookup a
        row, not a search (an import of 20,000 rows into one report searched 20,000 times)."""
        known = self._by_ref.get(report.id)
        if known is None or known[0] is not report:
            known = (report, {rec.ref: rec for rec in report.recommendations})
            self._by_ref[report.id] = known
        return known[1]

    def _find(self, report: Report, ref: str) -> Recommendation | None:
        return self._index(report).get(ref)

    def recommendation_for(self, row: Row, report: Report, ref: str) -> Recommendation | None:
        key = (report.id, ref)
        if key in self._refused_recs:
            return None  # said once, at its first row: its later rows would only add "needs its text"
        try:
            fields = self.rec_fields(row, report)
        except BadCell:
            if key not in self._rec_rows:
                self._refused_recs.add(key)
            raise
        if key in self._rec_rows:
            first = self._rec_fields[key]
            rec = self._find(report, ref)
            for column, value in fields.items():
                if column in first:
                    if first[column] != value:
                        raise BadCell(column, f"{shown_value(row.values.get(column))} differs from what "
                                           f"{self.where(self._rec_rows[key], None)} gives for {report.id}/{ref}")
                elif key in self._new_recs:  # a later row of a new one fills in what the first left empty
                    first[column] = value
                    if rec is not None:
                        setattr(rec, column, value)
                elif rec is not None:
                    self.same_as_ledger(rec, column, value, row)
            return rec
        self._rec_rows[key] = row
        self._rec_fields[key] = fields
        rec = self._find(report, ref)
        if rec is not None:
            for column, value in fields.items():
                self.same_as_ledger(rec, column, value, row)
            self._before[key] = list(rec.events)
            return rec
        text = fields.get("text")
        if not text or not text.strip():
            raise BadCell("text", f"empty: a new recommendation ({report.id}/{ref}) needs its text")
        rec = Recommendation(
            report=report.id, ref=ref, text=text, kind=fields.get("kind") or "recommendation",
            answers=fields.get("answers"), owner=fields.get("owner"), tags=fields.get("tags", []),
            priority=fields.get("priority"), due=fields.get("due"),
            entered=fields.get("entered") if "entered" in row.values else self.today,
            evidence=fields.get("evidence", []), related=fields.get("related", []), extra=fields.get("extra", {}),
            fields=fields.get("fields", {}),
            actions=fields.get("actions", []),
        )
        report.recommendations.append(rec)
        self._index(report)[rec.ref] = rec
        self._new_recs.add(key)
        self.plan.new_actions += len(rec.actions)
        self.plan.new_recommendations.setdefault(report.id, []).append(ref)
        self.plan.dirty.add(report.id)
        return rec

    @staticmethod
    def same_as_ledger(rec: Recommendation, column: str, value: Any, row: Row) -> None:
        have = getattr(rec, column)
        if have == value or column == "entered":
            return
        if column == "actions":
            raise BadCell(column, f"{rec.id} is in the ledger with {'another action plan' if have else 'no action plan'}; "
                                  "an import does not rewrite a plan: change it with track action")
        held = f"no {column}" if have is None or have == [] or have == {} else shown_value(have)
        hint = {"owner": ": a new owner is an event: give it in the new_owner column, with a date",
                "due": ": a new due date is an event: give it in the new_due column, with a date and a reason"}
        raise BadCell(column, f"{shown_value(row.values.get(column))}: {rec.id} is in the ledger with {held}; an import adds "
                           f"events, it does not rewrite a recommendation{hint.get(column, '')}")

    def rec_fields(self, row: Row, report: Report) -> dict[str, Any]:
        """The recommendation columns a row gives, as values (empty ones left out)."""
        out: dict[str, Any] = {}
        if row.given("text"):
            out["text"] = self.text(row, "text")
        if row.given("kind"):
            out["kind"] = self.word(row, "kind", model.KINDS, "kind")
        if row.given("answers"):
            out["answers"] = self.link(row, "answers", report)
        if row.given("owner"):
            out["owner"] = self.text(row, "owner", single_line=True)
        if row.given("tags"):
            out["tags"] = self.items(row, "tags")
        if row.given("priority"):
            out["priority"] = self.word(row, "priority", model.PRIORITIES, "priority")
        if row.given("due"):
            due = self.day(row, "due", base=report.published, month="end", publication=report.published)
            if due is not None and due < report.published:
                raise BadCell("due", f"{due} is before the report's publication ({report.published})")
            out["due"] = due
        if row.given("entered"):
            out["entered"] = self.day(row, "entered", base=self.today)
        if row.given("evidence"):
            out["evidence"] = self.items(row, "evidence")
        if row.given("related"):
            out["related"] = [self.resolve(v, report) for v in self.items(row, "related")]
        own: dict[str, Any] = {}
        if row.given("actions"):
            out["actions"] = self.action_plan(row)
        if row.given("extra"):
            out["extra"] = self.extra(row, "extra")
            undeclared = out["extra"].pop("fields", None)  # the values of fields track.toml does not declare
            if undeclared is not None:
                if not isinstance(undeclared, dict) or any(isinstance(v, (bool, list, dict)) for v in undeclared.values()):
                    raise BadCell("extra", "fields must be a table of text, numbers and dates")
                own.update(undeclared)
            for name in out["extra"]:
                if name in _REC_FILE_KEYS:
                    raise BadCell("extra", f"{name!r} is a recommendation field, not an extra key")
        own.update(self.own_fields(row))
        if own:
            out["fields"] = own
        return out

    def own_fields(self, row: Row) -> dict[str, Any]:
        """The values of the ledger's own fields a row gives: a column each (CSV), or `fields`
        (JSON), read as track.toml declares them."""
        from track.domain import fields

        declared = self.ledger.fields
        if not declared and not row.given("fields"):  # no own field's column can be in the file
            return {}
        given: list[tuple[str, str, Any]] = []  # (column, field name, value)
        for column in row.values:  # in the file's order
            if column.startswith(FIELD_COLUMN) and row.given(column):
                given.append((column, column[len(FIELD_COLUMN):], row.values[column]))
        if row.given("fields"):
            table = row.values["fields"]
            if not isinstance(table, dict):
                raise BadCell("fields", f"{shown_value(table)} must be an object of the ledger's own fields")
            given.extend(("fields", name, value) for name, value in table.items() if value is not None)
        out: dict[str, Any] = {}
        for column, name, value in given:
            field = declared.get(name)
            if field is not None and column.startswith(FIELD_COLUMN):
                column = field.label  # as the file heads it
            if field is None:
                raise BadCell(column, f"{name!r} is not one of the ledger's own fields (track.toml declares "
                                      f"{', '.join(declared) or 'none'})")
            if field.type == "number" and not isinstance(value, str):
                from track.exchange.rows import cell_number

                out[name] = cell_number(value, column)
                continue
            if not isinstance(value, str):
                raise BadCell(column, f"{name}: {shown_value(value)} must be text")
            if field.type == "date" and value.strip():  # as the file writes dates (--day-first), as its other dates
                out[name] = self.read_day(value.strip(), column, base=self.today, month="end", what=name)
                continue
            try:
                out[name] = fields.parse(field, value, name, today=self.today, exact=True)
            except BadValue as error:
                raise BadCell(column, str(error)) from None
        return {name: out[name] for name in declared if name in out}

    def action_plan(self, row: Row) -> list[Any]:
        """A recommendation's action plan, from the TOML text of its `actions` cell."""
        from track.store.reportfile import decode_actions

        value = row.values.get("actions")
        if not isinstance(value, str):
            raise BadCell("actions", "must be a list of actions")
        document = self.extra(row, "actions")
        actions, problems = decode_actions(self.text(row, "ref", single_line=True) or "", document.get("actions", []),
                                           self.name)
        if problems or set(document) - {"actions"}:
            raise BadCell("actions", problems[0].message if problems else "holds more than [[actions]] tables")
        return actions

    def link(self, row: Row, column: str, report: Report) -> str | None:
        value = self.text(row, column, single_line=True)
        return self.resolve(value.strip(), report) if value else None

    def resolve(self, value: str, report: Report) -> str:
        """A link as written: a full id stays; a ref of the same report becomes its id."""
        if "/" in value:
            return value
        if self._find(report, value) is not None or (report.id, value) in self._rec_rows:
            return f"{report.id}/{value}"
        return value

    def event_for(self, row: Row, report: Report, rec: Recommendation) -> None:
        when = self.day(row, "date", base=self.today)
        if when is None:
            raise BadCell("date", "empty: an event (status, response, note ...) needs the date it happened")
        if when > self.today:
            raise BadCell("date", f"{when} is after today ({self.today}): record an event once it has happened")
        due = self.day(row, "new_due", base=when, month="end", publication=report.published)
        reason = self.text(row, "reason")
        if reason is not None and due is None and not (row.given("amended_old") or row.given("amended_new")):
            raise BadCell("reason", "explains a change of due date (or an amendment): give new_due as well, or use note")
        status = self.word(row, "status", model.STATUSES, "status")
        extra = self.extra(row, "event_extra")
        for name in extra:
            if name in _EVENT_FILE_KEYS:
                raise BadCell("event_extra", f"{name!r} is an event field, not an extra key")
        event = Event(
            date=when, status=status, response=self.word(row, "response", model.RESPONSES, "response"),
            due=due, reason=reason, owner=self.text(row, "new_owner", single_line=True),
            superseded_by=self.link(row, "superseded_by", report), duplicate_of=self.link(row, "duplicate_of", report),
            related=[self.resolve(v, report) for v in self.items(row, "event_related")],
            note=self.text(row, "note"), source=self.text(row, "source", single_line=True),
            evidence=self.items(row, "event_evidence"), extra=extra,
            basis=self.word(row, "basis", model.BASES, "basis"), old=self.amended(row, "amended_old"),
            new=self.amended(row, "amended_new"), recorded=self.day(row, "recorded", base=self.today),
            recorded_by=self.text(row, "recorded_by", single_line=True),
        )
        if event.basis is not None and event.status is None:
            raise BadCell("basis", "says who vouches for a status: give status as well")
        if "recorded" not in row.values:  # a file that does not know of it (an export always has the column)
            event.recorded, event.recorded_by = self.today, self.ledger.user()
        key = (report.id, rec.ref)
        same = self._file_events.setdefault((key, _event_key(event)), row)
        if same is not row:
            self.plan.notices.append(f"{self.where(row, None)}: the same event for {rec.id} as "
                                     f"{self.where(same, None)}; both are recorded (delete one row if that is a mistake)")
        if key not in self._new_recs:
            present = self._present(key)
            if present[_event_key(event)] > 0:
                present[_event_key(event)] -= 1
                self.plan.present_events += 1
                return
            self.plan.added_events[rec.id] = self.plan.added_events.get(rec.id, 0) + 1
        else:
            self.plan.new_events += 1
        rec.add_event(event)
        self._event_rows[id(event)] = row
        self.plan.dirty.add(report.id)

    def amended(self, row: Row, column: str) -> dict[str, Any]:
        """An amendment's old or new values, written as TOML text (as export writes them)."""
        values = self.extra(row, column)
        from track.store.reportfile import AMENDED_KEYS

        for name, value in values.items():
            if name not in AMENDED_KEYS:
                raise BadCell(column, f"{name!r} cannot be amended (one of: {', '.join(AMENDED_KEYS)})")
            if name == "tags" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise BadCell(column, "tags must be a list of strings")
            if name == "event" and not isinstance(value, dict):
                raise BadCell(column, "event must be a table")
            if name == "fields" and not (isinstance(value, dict) and not any(isinstance(v, (bool, list, dict))
                                                                            for v in value.values())):
                raise BadCell(column, "fields must be a table of text, numbers and dates")
            if name not in ("tags", "event", "fields") and not isinstance(value, str):
                raise BadCell(column, f"{name} must be a string")
        return values

    def _present(self, key: tuple[str, str]) -> Counter:
        counts = self._present_counts
        if key not in counts:
            counts[key] = Counter(_event_key(e) for e in self._before.get(key, []))
        return counts[key]

    # ----------------------------------------------------------------- the ledger's rules

    def check_rules(self) -> None:
        """The rules `check` applies, to what the import adds: a problem it brings is an error
        at the row it came from. The recommendations were checked as their reports were let go
        of (check_recommendations); here the links across reports."""
        from track.store.checks import evaluate

        report_ids = self.existing | self._done
        items = []
        for report_id in self.plan.new_reports:
            row = self._defined[report_id]
            for followed in self._follows[report_id]:
                items.append(("report", followed, self.where(row, "report_follows"), None, None,
                              f"{followed!r} is not a report of this ledger or this file"))
                published = self._published.get(followed) or (self.ledger.reports[followed].published if followed in self.existing else None)
                if published is not None and published > self._published[report_id]:
                    self.bad(row, "report_follows", f"{report_id} cannot follow {followed}: that was published later ({published})")
        self.problems.extend(self._rule_problems)
        items.extend(self._items)
        for problem in evaluate(items, report_ids, self._kinds(items), today=self.today):
            self.problems.append(str(problem))

    def _kinds(self, items: list[tuple]) -> dict[str, str]:
        """The kind of each recommendation the items link to, where there is one (the ledger's
        or the file's): all that checks.evaluate looks up."""
        kinds: dict[str, str] = {}
        for kind, target, *_rest in items:
            if kind not in ("link", "answers") or not isinstance(target, str) or target in kinds:
                continue
            report_id, _, ref = target.partition("/")
            refs = self._kinds_of.get(report_id)
            if refs is None and report_id in self.existing:
                refs = {rec.ref: rec.kind for rec in self.ledger.reports[report_id].recommendations}
                self._kinds_of[report_id] = refs
            if refs is not None and ref in refs:
                kinds[target] = refs[ref]
        return kinds

    def check_recommendations(self) -> None:
        """The rules of `check` for each recommendation the reports held now add to or change
        (a problem that was in the ledger before the import is not the import's)."""
        from track.store.checks import recommendation_checks

        for (report_id, ref), row in self._rec_rows.items():
            report = self.reports[report_id]
            rec = self._find(report, ref)
            assert rec is not None
            new = (report_id, ref) in self._new_recs
            if not new and not self.plan.added_events.get(rec.id):
                continue
            before: Counter = Counter()
            if not new:
                old = replace(rec, events=self._before.get((report_id, ref), []))
                before = Counter((k, t, m) for _, k, t, m in recommendation_checks(report, old))
            for keys, kind, target, message in recommendation_checks(report, rec):
                if before[(kind, target, message)] > 0:
                    before[(kind, target, message)] -= 1  # the ledger had it before the import
                    continue
                at, column = row, _COLUMN_OF.get(keys[-1] if keys else "", None)
                if keys and keys[0] == "actions":
                    column = "actions"
                elif len(keys) >= 2 and keys[0] == "events":
                    at = self._event_rows.get(id(rec.events[keys[1]]), row)
                    column = _EVENT_COLUMN_OF.get(keys[2], None) if len(keys) > 2 else None
                where = self.where(at, column)
                if kind == "problem":
                    self._rule_problems.append(f"{where}: {message}")
                elif kind == "field":
                    continue  # own fields were read as track.toml declares them; others are kept as they are
                elif kind == "future":  # judged now, not kept: an item for every event would grow with the file
                    if target > self.today.toordinal():
                        from track.store.checks import TODAY

                        self._rule_problems.append(f"{where}: {message.replace(TODAY, str(self.today))}")
                else:
                    self._items.append((kind, target, where, None, None, message))


_REPORT_FILE_KEYS = ("title", "by", "subject", "kind", "published", "url", "follows", "note", "response_within",
                     "response_from", "revisit", "followup", "figures", "grades", "entered", "recommendations")


_REC_FILE_KEYS = ("ref", "kind", "text", "answers", "owner", "tags", "priority", "due", "entered", "evidence",
                  "related", "events", "actions")


_EVENT_FILE_KEYS = ("date", "status", "basis", "response", "due", "reason", "owner", "superseded_by", "duplicate_of",
                    "related", "note", "source", "evidence", "old", "new", "recorded", "recorded_by")


_REC_ONLY = frozenset(REC_COLUMNS[2:] + ("actions",))


_COLUMN_OF = {"answers": "answers", "related": "related"}


_EVENT_COLUMN_OF = {"date": "date", "due": "new_due", "status": "status", "superseded_by": "superseded_by",
                    "duplicate_of": "duplicate_of", "related": "event_related"}


def _report_key(value: Any) -> str | None:
    """What a row's report cell says, as CsvRows.ends keys it: the text stripped, "" for none
    (the --report one), None for a value that is not text (refused: it names no report)."""
    if value is None:
        return ""
    return sys.intern(value.strip()) if isinstance(value, str) else None


def _ends(rows: list[Row]) -> dict[str | None, int]:
    """Each report cell's last row (as CsvRows.scan notes them), counting from 1."""
    return {_report_key(row.values.get("report")): n for n, row in enumerate(rows, 1)}


def _event_key(event: Event) -> tuple:
    return (event.date, event.status, event.response, event.due, event.reason, event.owner, event.superseded_by,
            event.duplicate_of, tuple(event.related), event.note, event.source, tuple(event.evidence),
            repr(event.extra), event.basis, repr(event.old), repr(event.new))


def _report_differences(a: Report, b: Report) -> Iterator[tuple[str, Any, Any]]:
    fields = (("report_title", "title"), ("report_by", "by"), ("report_subject", "subject"),
              ("report_published", "published"), ("report_kind", "kind"), ("report_url", "url"),
              ("report_follows", "follows"), ("report_note", "note"), ("report_response_within", "response_within"),
              ("report_response_from", "response_from"), ("report_revisit", "revisit"),
              ("report_followup_every", "followup"), ("report_figures", "figures"),
              ("report_grades", "grades"), ("report_extra", "extra"))
    for column, attr in fields:
        mine, theirs = getattr(a, attr), getattr(b, attr)
        if mine != theirs:
            yield column, mine, theirs


def import_rows(ledger: Ledger, rows: Any, *, name: str, report: str | None = None, create_reports: bool = False,
                dry_run: bool = False, day_first: bool = False, progress: Any = None) -> Plan:
    """Add what `rows` (read_csv / read_json, or a CsvRows read from the disk) hold to the
    ledger: all of it, or nothing when any row is bad (ImportProblems lists them). Returns the
    Plan. Each report is rendered and staged (Ledger.staging) once its last row is read, and
    let go of: memory holds one report at a time, whatever the file's size."""
    default = ledger.report(report).id if report else None
    reading: Callable[[int, int], None] | None = None
    writing: Callable[[int, int], None] | None = None
    if progress is not None:  # one bar: the rows, then the reports written
        reading = lambda done, total: progress(done, total + 1)  # noqa: E731
        writing = lambda done, total: progress(len(rows) + done, len(rows) + total)  # noqa: E731

    def apply(stage: Any) -> Plan:
        importer = Importer(ledger, name, default_report=default, create_reports=create_reports, today=ledger.today(),
                            day_first=day_first, finished=None if stage is None else stage.add)
        plan = importer.run(rows, reading)
        if importer.problems:
            raise ImportProblems(importer.problems)
        return plan

    if dry_run:
        try:
            return apply(None)
        finally:
            ledger.discard()  # what it built in memory is not the ledger
    # The rows are checked and the reports' files staged without the lock, so that readers
    # (and other changes) need not wait for it; the lock is taken to write. Should another
    # change land meanwhile, the import is made again under the lock, as any change is.
    from track.store import disk

    ledger.let_go()
    state = disk.reports_state(ledger.root)
    ledger.discard()  # everything the plan reads is read after `state`
    with ledger.staging() as stage:
        plan = apply(stage)
        ledger.describe = f"import {os.path.basename(name)}: {plan.summary()}"
        if ledger.staged_unlocked(f"import {name}", stage, state, writing):
            return plan
    ledger.discard()
    with ledger.staging() as stage:
        with ledger.changing(f"import {name}"):
            plan = apply(stage)
            ledger.describe = f"import {os.path.basename(name)}: {plan.summary()}"
            ledger.land_staged(f"import {name}", stage, writing)
        ledger.index_staged(stage)
    return plan
