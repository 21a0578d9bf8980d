"""An unknown recommendation or report id is refused with the nearest ids: one line on stderr,
`unknown recommendation 'X'; did you mean Y?`, exit 1, nothing on stdout. The story ledger
(conftest's `met`) has hmic-2016-met-cp/C1, R1, R2, R10; peel-2017-met/AFI1, AFI2;
iopc-2018-essex/R1; and the report hmic-2017-met-cp-q1."""

from __future__ import annotations

import pytest
from conftest import IOPC, PEEL, A, Cli


def refused(met: Cli, *args: str) -> str:
    result = met(*args, expect=1)
    assert result.stdout == ""
    assert result.stderr.startswith("track: ") and result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    return result.stderr[len("track: "):-1]


@pytest.mark.parametrize(("text", "meant"), [
    ("R1O", f"{A}/R10"),  # a letter O for the zero
    ("r1o", f"{A}/R10"),
    (f"{A}/R1O", f"{A}/R10"),
    (f"{A}/R11", f"{A}/R1"),  # nearer than R10
    ("R100", f"{A}/R10"),
    (f"{A}x/R10", f"{A}/R10"),  # the report mistyped, the ref right
    ("hmic-2016-met-cpx/R2", f"{A}/R2"),
    ("AFI3", f"{PEEL}/AFI1 or {PEEL}/AFI2"),
    (f"{PEEL}/AF12", f"{PEEL}/AFI2"),  # 1 for I
    ("C11", f"{A}/C1"),
])
def test_an_unknown_recommendation_names_the_nearest(met: Cli, text: str, meant: str) -> None:
    assert refused(met, "show", text) == f"unknown recommendation {text!r}; did you mean {meant}?"


def test_nothing_near_is_refused_as_before(met: Cli) -> None:
    assert refused(met, "show", "nothing-like-it") == "unknown recommendation 'nothing-like-it'"
    assert refused(met, "show", f"{A}/R99") == f"unknown recommendation '{A}/R99'"  # R1, R2, R10: none near enough
    assert refused(met, "show", "C2") == "unknown recommendation 'C2'"  # one character of two: too far
    assert refused(met, "report", "zzz").startswith("unknown report 'zzz'; reports are: ")


def test_an_unknown_report_names_the_nearest(met: Cli) -> None:
    assert refused(met, "report", "hmic-2016-met-cpx") == f"unknown report 'hmic-2016-met-cpx'; did you mean {A}?"
    assert refused(met, "report", "peel-2017-mat") == f"unknown report 'peel-2017-mat'; did you mean {PEEL}?"
    assert refused(met, "list", "--report", "iopc-2018-esex") == f"unknown report 'iopc-2018-esex'; did you mean {IOPC}?"
    assert refused(met, "add", "hmic-2016-met-cpx", "--ref", "R11", "--text", "t") == \
        f"unknown report 'hmic-2016-met-cpx'; did you mean {A}?"


def test_every_command_that_takes_an_id_suggests(met: Cli, snapshot) -> None:
    before = snapshot(met.root)
    assert refused(met, "update", "R1O", "--note", "x").endswith(f"did you mean {A}/R10?")
    assert refused(met, "update", f"{A}/R2", "--duplicate-of", "R1O").endswith(f"did you mean {A}/R10?")
    assert snapshot(met.root) == before
