"""The ledger's own fields below the command line: their declarations (domain.fields), a
report file's fields table (store.reportfile), and the values as they stood (model.as_it_stood)."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from track.domain import fields
from track.domain.errors import BadValue
from track.domain.model import Event, Recommendation, Report, as_it_stood
from track.store import reportfile

TODAY = date(2018, 6, 30)


def decoded(body: str) -> tuple[list[str], Recommendation | None]:
    text = ('title = "t"\nby = "b"\nsubject = "s"\npublished = 2017-01-01\n\n[[recommendations]]\nref = "R1"\n'
            'text = "x"\n' + body)
    report, problems, unknown = reportfile.decode_report("r", tomllib.loads(text), "reports/r.toml", text)
    return [str(p) for p in problems + unknown], (report.recommendations[0] if report else None)


def test_a_fields_table_is_read_with_its_types() -> None:
    problems, rec = decoded('[recommendations.fields]\nrisk = "high"\nscore = 2.5\nreview = 2018-09-30\n')
    assert problems == []
    assert rec is not None and rec.fields == {"risk": "high", "score": 2.5, "review": date(2018, 9, 30)}


@pytest.mark.parametrize("body, message", [
    ('fields = "high"\n', "reports/r.toml:9:1: recommendations[0].fields must be a table such as { risk = \"high\" }"),
    ("[recommendations.fields]\nrisk = [1]\n", "reports/r.toml:10:1: recommendations[0].fields.risk must be text, a number "
                                              "or a date, not an array"),
    ("[recommendations.fields]\nrisk = true\n", "reports/r.toml:10:1: recommendations[0].fields.risk must be text, a number "
                                               "or a date, not true"),
])
def test_a_fields_table_of_the_wrong_shape_is_a_problem(body: str, message: str) -> None:
    problems, _rec = decoded(body)
    assert problems == [message]


def test_written_in_name_order_and_read_back_the_same() -> None:
    _problems, rec = decoded('[recommendations.fields]\nscore = 3\nrisk = "high"\n')
    assert rec is not None
    text = reportfile.dumps_report(Report(id="r", title="t", by="b", subject="s", published=date(2017, 1, 1),
                                          recommendations=[rec]))
    assert 'fields = { risk = "high", score = 3 }' in text


@pytest.mark.parametrize("table, message", [
    ({"risk": {"type": "choice", "choices": ["a"], "label": "Risk"}, "bcu": {"type": "text", "label": "risk"}},
     "fields.bcu.label 'risk' is the heading of fields.risk too"),
    ({"risk": {"type": "text", "label": "Owner"}}, "fields.risk.label 'Owner' is one of track's own columns"),
    ({"risk": {"type": "text", "label": "a, b"}}, "fields.risk.label must be a column heading: text on one line, without commas"),
    ({"risk": {"type": "choice", "choices": []}}, "fields.risk.choices must be a non-empty array of words, such as "
                                                  "[\"high\", \"medium\", \"low\"]"),
    ({"risk": "choice"}, "fields.risk must be a table: [fields.risk] with type = \"choice\", \"text\", \"number\" or \"date\""),
    ({"risk": {}}, "fields.risk.type missing: use one of choice, text, number, date"),
])
def test_declaration_problems(table: dict, message: str) -> None:
    assert [m for m, _keys in fields.declaration_problems({"fields": table})] == [message]
    assert list(fields.declarations({"fields": table})) == [n for n in table if n not in
                                                            {k[1] for _m, k in fields.declaration_problems({"fields": table})}]


def test_values_as_typed() -> None:
    declared = fields.declarations({"fields": {"risk": {"type": "choice", "choices": ["High", "low"]},
                                               "score": {"type": "number"}, "review": {"type": "date"},
                                               "committee": {"type": "text"}}})
    assert fields.parse_assignment(declared, "risk=HIGH", "--set", today=TODAY) == ("risk", "High")
    assert fields.parse_assignment(declared, "score=7", "--set", today=TODAY) == ("score", 7)
    assert fields.parse_assignment(declared, "score=-2.5", "--set", today=TODAY) == ("score", -2.5)
    assert fields.parse_assignment(declared, "review=Q3 2018", "--set", today=TODAY) == ("review", date(2018, 9, 30))
    assert fields.parse_assignment(declared, "committee= Cafe\u0301 ", "--set", today=TODAY) == ("committee", "Caf\u00e9")
    assert fields.parse(declared["committee"], " as is ", "x", today=TODAY, exact=True) == " as is "
    for bad in ("score=1e400", "score=nan", "risk=medium", "committee=a\nb", "review=someday"):
        with pytest.raises(BadValue):
            fields.parse_assignment(declared, bad, "--set", today=TODAY)


def test_as_it_stood_restores_the_fields_an_amendment_replaced() -> None:
    rec = Recommendation(report="r", ref="R1", text="x", fields={"risk": "low"}, events=[
        Event(date(2018, 3, 1), reason="re-rated", old={"fields": {"risk": "high", "score": 3}},
              new={"fields": {"risk": "low"}})])
    assert as_it_stood(rec, date(2018, 2, 28)).fields == {"risk": "high", "score": 3}
    assert as_it_stood(rec, date(2018, 3, 1)).fields == {"risk": "low"}
