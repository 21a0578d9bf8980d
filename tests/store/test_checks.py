"""The rules check applies across the ledger (track/store/checks.py): here, follow-ups that go
round in a circle, found in one linear walk however long the chains of follow-ups are."""

from __future__ import annotations

from conftest import Cli

from track.store.checks import follow_cycles


def follows(source: str, target: str) -> tuple:
    return ("report", target, f"reports/{source}.toml", 5, 1, f"follows {target!r}, which is not a report of this ledger")


def test_a_circle_is_named_once_at_the_link_that_closes_it() -> None:
    checks = [[follows("a", "b")], [follows("b", "c")], [follows("c", "a")], [follows("d", "a")]]
    assert [str(p) for p in follow_cycles(checks)] == [
        "reports/c.toml:5:1: follows 'a', which leads back to it (a -> b -> c -> a): follow-ups cannot go round in a circle"]


def test_a_long_chain_without_a_circle_is_walked_without_recursion() -> None:
    n = 50_000
    checks = [[follows(f"r{i:05}", f"r{i - 1:05}")] for i in range(1, n)]
    assert follow_cycles(checks) == []
    checks.append([follows("r00000", f"r{n - 1:05}")])  # and closed into one circle of 50,000
    found = follow_cycles(checks)
    assert len(found) == 1 and "follow-ups cannot go round in a circle" in str(found[0])


def test_check_names_reports_that_follow_each_other(cli: Cli) -> None:
    for name, other in (("a", "b"), ("b", "a")):
        (cli.root / "reports" / f"{name}.toml").write_text(
            f'title = "T"\nby = "B"\nsubject = "S"\npublished = 2017-01-01\nfollows = ["{other}"]\n')
    assert cli("check", expect=1).stdout == (
        "reports/b.toml:5:1: follows 'a', which leads back to it (a -> b -> a): follow-ups cannot go round in a circle\n")
