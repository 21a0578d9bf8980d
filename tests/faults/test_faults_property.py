"""Property tests (hypothesis, a derandomized profile of their own):

- any sequence of valid commands (reports add, add, update, undo) produces a ledger that
  `track check` accepts and that reads back to exactly the records the commands made;
- any byte string as a report file (random bytes, a valid file mutated, random TOML of any
  shape) gives a clean error or a valid read through the command line: exit 0 or 1, never a
  traceback, never an "internal error".
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from faults_support import FAULTS, TODAY, fast_folder, track
from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from track import Ledger
from track.domain import model

END = date.fromisoformat(TODAY)
START = date(2014, 1, 1)

# Text a person may type: anything printable, tab and new line, never a control character.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\x85")
ONE_LINE = st.text(PRINTABLE, min_size=1, max_size=30).filter(lambda s: s.strip())
MANY_LINES = st.text(st.one_of(PRINTABLE, st.sampled_from("\t\n")), min_size=1, max_size=60).filter(lambda s: s.strip())
DAYS = st.dates(min_value=START, max_value=END)


def _temp_root() -> tuple[Path, Path]:
    folder = fast_folder(Path("/tmp"))
    root = folder / "ledger"
    track(None, "init", root)
    return folder, root


# --------------------------------------------------------------------------- valid commands


class Commands(RuleBasedStateMachine):
    """A shadow of what each command must have recorded, compared with what a fresh read of
    the files gives; every change can also be undone."""

    def __init__(self) -> None:
        super().__init__()
        self.folder, self.root = _temp_root()
        self.reports: dict[str, dict[str, Any]] = {}
        self.undo_stack: list[dict[str, dict[str, Any]]] = []

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _changed(self, before: dict[str, dict[str, Any]]) -> None:
        from track.store import journal

        self.undo_stack = (self.undo_stack + [before])[-journal.KEEP:]

    # ------------------------------------------------------------------ rules

    @rule(n=st.integers(1, 6), title=ONE_LINE, by=ONE_LINE, subject=ONE_LINE, published=DAYS,
          kind=st.sampled_from(model.REPORT_KINDS), note_=st.none() | MANY_LINES, url=st.none() | ONE_LINE)
    def add_report(self, n: int, title: str, by: str, subject: str, published: date, kind: str,
                   note_: str | None, url: str | None) -> None:
        report_id = f"r{n}-{len(self.reports)}"
        args = ["reports", "add", report_id, f"--title={title}", f"--by={by}", f"--subject={subject}",
                f"--published={published}", f"--kind={kind}"]
        args += [f"--note={note_}"] if note_ is not None else []
        args += [f"--url={url}"] if url is not None else []
        before = copy.deepcopy(self.reports)
        track(self.root, *args)
        self.reports[report_id] = {"title": title, "by": by, "subject": subject, "published": published, "kind": kind,
                                   "note": note_, "url": url, "recs": {}}
        self._changed(before)

    @precondition(lambda self: bool(self.reports))
    @rule(data=st.data(), n=st.integers(1, 99), text=MANY_LINES, owner=st.none() | ONE_LINE,
          tags=st.lists(st.sampled_from(["safeguarding", "vetting", "training", "custody"]), unique=True, max_size=3),
          due_days=st.none() | st.integers(0, 800), kind=st.sampled_from(model.KINDS),
          priority=st.none() | st.sampled_from(model.PRIORITIES))
    def add(self, data: st.DataObject, n: int, text: str, owner: str | None, tags: list[str], due_days: int | None,
            kind: str, priority: str | None) -> None:
        report_id = data.draw(st.sampled_from(sorted(self.reports)))
        report = self.reports[report_id]
        ref = f"R{n}"
        if ref in report["recs"]:
            return
        due = report["published"] + timedelta(days=due_days) if due_days is not None else None
        args = ["add", report_id, f"--ref={ref}", f"--text={text}", f"--kind={kind}"]
        args += [f"--owner={owner}"] if owner is not None else []
        args += [f"--tag={t}" for t in tags]
        args += [f"--due={due}"] if due else []
        args += [f"--priority={priority}"] if priority else []
        before = copy.deepcopy(self.reports)
        track(self.root, *args)
        report["recs"][ref] = {"text": text, "owner": owner, "tags": tags, "due": due, "kind": kind,
                               "priority": priority, "entered": END, "events": []}
        self._changed(before)

    @precondition(lambda self: any(r["recs"] for r in self.reports.values()))
    @rule(data=st.data(), note_=st.none() | MANY_LINES, status=st.none() | st.sampled_from(
        [s for s in model.STATUSES if s not in ("awaiting-response", "superseded")]),
        response=st.none() | st.sampled_from(model.RESPONSES), source=st.none() | ONE_LINE, owner=st.none() | ONE_LINE,
        due_days=st.none() | st.integers(0, 400), reason=MANY_LINES)
    def update(self, data: st.DataObject, note_: str | None, status: str | None, response: str | None,
               source: str | None, owner: str | None, due_days: int | None, reason: str) -> None:
        report_id, ref = data.draw(st.sampled_from(sorted((rid, ref) for rid, r in self.reports.items() for ref in r["recs"])))
        report = self.reports[report_id]
        rec = report["recs"][ref]
        day = data.draw(st.dates(min_value=report["published"], max_value=END))
        if status is None and response is None and owner is None and due_days is None and note_ is None:
            note_ = "progress"
        due = day + timedelta(days=due_days) if due_days is not None else None
        args = ["update", f"{report_id}/{ref}", f"--date={day}"]
        for flag, value in (("--status", status), ("--response", response), ("--source", source), ("--owner", owner),
                            ("--note", note_)):
            args += [f"{flag}={value}"] if value is not None else []
        args += [f"--due={due}", f"--reason={reason}"] if due is not None else []
        before = copy.deepcopy(self.reports)
        track(self.root, *args)
        event = {"date": day, "status": status, "response": response, "source": source, "owner": owner, "note": note_,
                 "due": due, "reason": reason if due is not None else None}
        at = len(rec["events"])
        while at and rec["events"][at - 1]["date"] > day:
            at -= 1
        rec["events"].insert(at, event)
        self._changed(before)

    @precondition(lambda self: bool(self.undo_stack))
    @rule()
    def undo(self) -> None:
        result = track(self.root, "undo")
        assert result.stdout.startswith("undid: ")
        self.reports = self.undo_stack.pop()

    # ------------------------------------------------------------------ what must hold

    @invariant()
    def the_files_hold_exactly_the_records(self) -> None:
        ledger = Ledger(self.root)
        assert sorted(ledger.reports) == sorted(self.reports)
        for report_id, expected in self.reports.items():
            report = ledger.full(report_id)
            got = {"title": report.title, "by": report.by, "subject": report.subject, "published": report.published,
                   "kind": report.kind, "note": report.note, "url": report.url}
            assert got == {k: v for k, v in expected.items() if k != "recs"}
            assert [r.ref for r in report.recommendations] == list(expected["recs"])
            for rec in report.recommendations:
                want = expected["recs"][rec.ref]
                assert {"text": rec.text, "owner": rec.owner, "tags": rec.tags, "due": rec.due, "kind": rec.kind,
                        "priority": rec.priority, "entered": rec.entered} == {k: v for k, v in want.items() if k != "events"}
                events = [{"date": e.date, "status": e.status, "response": e.response, "source": e.source,
                           "owner": e.owner, "note": e.note, "due": e.due, "reason": e.reason} for e in rec.events]
                assert events == want["events"]

    @invariant()
    def check_accepts_the_ledger(self) -> None:
        count = sum(len(r["recs"]) for r in self.reports.values())
        n = len(self.reports)
        assert track(self.root, "check").stdout == (f"ok: {n:,} report{'s' if n != 1 else ''}, "
                                                    f"{count:,} recommendation{'s' if count != 1 else ''}, no problems\n")


Commands.TestCase.settings = settings(FAULTS, max_examples=40, stateful_step_count=10)
TestValidCommands = Commands.TestCase


# --------------------------------------------------------------------------- any bytes


@pytest.fixture(scope="module")
def shared_root() -> Iterator[Path]:
    folder, root = _temp_root()
    track(root, "reports", "add", "good", "--title", "T", "--by", "B", "--subject", "S", "--published", "2017-01-01")
    yield root
    shutil.rmtree(folder, ignore_errors=True)


VALID = (
    'title = "National child protection inspection"\nby = "HMIC"\nsubject = "Metropolitan Police Service"\n'
    'kind = "inspection"\npublished = 2016-11-24\nresponse_within = "56 days"\n\n[followup]\nevery = "3 months"\n'
    'from = 2017-03-01\n\n[figures]\n"cases reviewed" = 374\n\n[grades]\noverall = "inadequate"\n\n'
    '[[recommendations]]\nref = "R1"\nkind = "recommendation"\ntext = "Appoint a lead"\nowner = "DCS"\n'
    'tags = ["governance"]\ndue = 2017-05-24\nevents = [\n    { date = 2017-01-10, response = "accepted" },\n'
    '    { date = 2017-06-01, due = 2017-12-31, reason = "Restructure" },\n]\n\n'
    '[[recommendations]]\nref = "C1"\nkind = "cause-of-concern"\ntext = "Children at risk"\n'
)


def _run_everything(root: Path, data: bytes) -> None:
    note(repr(data[:300]))
    (root / "reports" / "x.toml").write_bytes(data)
    try:
        outputs = []
        for args in (["check"], ["list", "--format", "plain"], ["list", "--format", "json"], ["show", "x/R1"],
                     ["reports", "show", "x"], ["history", "x"], ["update", "x/R1", "--note", "n"]):
            result = track(root, *args, expect=None)  # a Python exception escaping would fail here
            assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
            outputs.append(result.stdout + result.stderr)
            event(f"{args[0]} exits {result.exit_code}")
            if args == ["check"] and result.exit_code == 1:
                assert result.stderr.endswith(f"in {root}\n")
        for text in outputs:
            assert "Traceback" not in text and "internal error" not in text, text
    finally:
        (root / "reports" / "x.toml").unlink()


@settings(FAULTS, max_examples=60)
@given(data=st.binary(max_size=600))
def test_any_bytes_as_a_report_file_give_a_clean_error_or_a_valid_read(shared_root: Path, data: bytes) -> None:
    _run_everything(shared_root, data)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID.encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "repeat"]))
        if kind == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"'", b"=", b"\n", b"#", b"\\", b"2017-13-45",
                                                b"<<<<<<< HEAD\n", b"\x00", b"\xff", b"\x1b", b"\xef\xbb\xbf", b"nan",
                                                b"[[recommendations]]\n", b'ref = "R1"\n', b"1979-05-27T07:32:00Z"]))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        else:
            start = draw(st.integers(0, at))
            data[at:at] = data[start:at]
    return bytes(data)


@settings(FAULTS, max_examples=60)
@given(data=mutated())
def test_a_valid_file_damaged_anywhere_gives_a_clean_error_or_a_valid_read(shared_root: Path, data: bytes) -> None:
    _run_everything(shared_root, data)


KEYS = ["title", "by", "subject", "kind", "published", "url", "follows", "note", "response_within", "revisit",
        "followup", "figures", "grades", "recommendations", "ref", "text", "owner", "tags", "priority", "due",
        "entered", "evidence", "related", "events", "date", "status", "response", "reason", "source", "every",
        "from", "until", "answers", "superseded_by", "duplicate_of", "other"]
SCALARS = st.one_of(
    st.text(max_size=12), st.sampled_from(model.STATUSES + model.RESPONSES + model.KINDS + model.REPORT_KINDS + ("3 months", "R1")),
    st.integers(-(2**63), 2**63 - 1), st.floats(), st.booleans(), st.dates(),
    st.datetimes(timezones=st.none() | st.just(timezone.utc)), st.times(),
)
TOML = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
                    max_leaves=20)


@settings(FAULTS, max_examples=60)
@given(doc=st.fixed_dictionaries(
    {"title": st.one_of(st.just("T"), SCALARS), "by": st.just("B"), "subject": st.just("S"),
     "published": st.one_of(st.just(date(2017, 1, 1)), SCALARS)},
    optional={key: TOML for key in KEYS if key not in ("title", "by", "subject", "published")} | {"recommendations": st.lists(
        st.dictionaries(st.sampled_from(KEYS), TOML, max_size=6) | st.fixed_dictionaries(
            {"ref": st.just("R1"), "text": st.just("t")}, optional={"events": st.lists(
                st.dictionaries(st.sampled_from(KEYS), TOML, max_size=5), max_size=3)}), max_size=3)}))
def test_toml_of_any_shape_gives_a_clean_error_or_a_valid_read(shared_root: Path, doc: dict[str, Any]) -> None:
    import tomli_w

    _run_everything(shared_root, tomli_w.dumps(doc).encode())


def test_the_profile_is_deterministic() -> None:
    assert FAULTS.derandomize is True and FAULTS.deadline is None
