"""Graded judgements side by side: each question at every inspection of a subject, and the
direction of change between the last two."""

from __future__ import annotations

from datetime import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    pass

from track.domain.errors import UnknownId
from track.domain.model import GRADES, Report
from track.domain.record import Record
from track.domain.values import fold

# --------------------------------------------------------------------------- grades

GRADE_RANK = {g: len(GRADES) - i for i, g in enumerate(GRADES)}  # outstanding highest


NOT_REASSESSED = "not-reassessed"


def direction(previous: str | None, latest: str | None, at_latest: bool = True) -> str:
    """improved, declined or unchanged between the last two grades; '' if never graded. Graded
    once: new when that grade came from the subject's latest inspection (`at_latest`), else
    not-reassessed (a later inspection did not grade it again: nothing to compare it with)."""
    if latest is None and previous is None:
        return ""
    if previous is None:
        return "new" if at_latest else NOT_REASSESSED
    if latest is None:
        return ""
    a, b = GRADE_RANK[previous], GRADE_RANK[latest]
    return "improved" if b > a else "declined" if b < a else "unchanged"


class GradeRow(Record):
    """One graded question: its grade at each inspection."""

    _fields = ("question", "grades", "previous", "latest")

    def __init__(self, question: str, grades: list[str | None], previous: str | None, latest: str | None) -> None:
        self.question = question
        self.grades = grades  # one per inspection
        self.previous = previous
        self.latest = latest

    @property
    def direction(self) -> str:
        return direction(self.previous, self.latest, self.grades[-1] is not None if self.grades else True)


class GradeTable(Record):
    """The graded questions of one subject, across its inspections."""

    _fields = ("subject", "inspections", "rows")

    def __init__(self, subject: str, inspections: list[Report], rows: list[GradeRow]) -> None:
        self.subject = subject
        self.inspections = inspections
        self.rows = rows


def grade_tables(reports: dict[str, Report], as_of: date, subject: str | None = None) -> list[GradeTable]:
    """Each graded question at every inspection of a subject, side by side, oldest first; the
    direction compares the last two grades the question was given."""
    graded = sorted((r for r in reports.values() if r.grades and r.published <= as_of), key=lambda r: (r.published, r.id))
    if subject is not None:
        wanted = fold(subject)
        if subject in reports:
            wanted = fold(reports[subject].subject)
            graded = [r for r in graded if fold(r.subject) == wanted]
        else:
            graded = [r for r in graded if wanted in fold(r.subject)]
        if not graded:
            known = sorted({r.subject for r in reports.values() if r.grades})
            raise UnknownId(f"no graded inspection of a subject matching {subject!r} by {as_of}"
                            + (f"; graded subjects are: {', '.join(known[:10])}" if known else "; no report has grades yet"))
    subjects: dict[str, list[Report]] = {}
    names: dict[str, str] = {}
    for r in graded:
        subjects.setdefault(fold(r.subject), []).append(r)
        names.setdefault(fold(r.subject), r.subject)
    tables = []
    for key, inspections in subjects.items():
        questions: dict[str, str] = {}
        for r in inspections:
            for q in r.grades:
                questions.setdefault(fold(q), q)
        rows = []
        for qkey, question in questions.items():
            grades = [next((g for q, g in r.grades.items() if fold(q) == qkey), None) for r in inspections]
            given = [g for g in grades if g is not None]
            rows.append(GradeRow(question, grades, given[-2] if len(given) > 1 else None, given[-1] if given else None))
        tables.append(GradeTable(names[key], inspections, rows))
    return tables
