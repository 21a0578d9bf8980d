"""The index in .track/cache may never serve stale data: whatever happens to a report file,
every command's output equals a fresh read of the files (TRACK_NO_CACHE=1)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from track.ledger import Ledger
from track.store import cache, disk

TODAY = "2026-11-25"
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"


def track(ledger: Path, *args: str, cached: bool = True) -> str:
    env = dict(os.environ, TRACK_TODAY=TODAY, TRACK_LEDGER=str(ledger))
    env.pop("TRACK_NO_CACHE", None)
    if not cached:
        env["TRACK_NO_CACHE"] = "1"
    done = subprocess.run([sys.executable, "-m", "track", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout + done.stderr


def same_as_fresh(ledger: Path) -> None:
    for args in (["list", "--format", "json"], ["list", "--format", "json", "--as-of", "2017-09-01"],
                 ["list", "--search", "exploitation", "--format", "json"]):
        assert track(ledger, *args) == track(ledger, *args, cached=False)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    return root


def shards(root: Path) -> list[str]:
    folder = cache.folder(root)
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "_"))) if folder.is_dir() else []


def test_the_index_is_built_and_used(ledger: Path) -> None:
    track(ledger, "list")
    assert shards(ledger) == disk.report_ids(ledger)
    book = Ledger(ledger)
    assert all(isinstance(r, cache.IndexedEntry) for rep in book.reports.values() for r in rep.recommendations)
    same_as_fresh(ledger)


def test_hand_edit_of_same_size_in_the_same_second(ledger: Path) -> None:
    track(ledger, "list")
    path = disk.report_path(ledger, "hmic-2016-met-cp")
    before = path.stat()
    text = path.read_text("utf-8")
    assert '"in-progress"' in text
    edited = text.replace('"in-progress"', '"withdrawn"  ', 1)  # 13 characters for 13
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # even the same mtime
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    out = track(ledger, "list", "--format", "json")
    assert out == track(ledger, "list", "--format", "json", cached=False)
    assert '"withdrawn"' in out


def test_stat_match_is_not_enough_while_racy(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shard built in the same instant as the file's last change is checked by content."""
    Ledger(ledger).reports.values()  # builds the shards
    path = disk.report_path(ledger, "hmic-2016-met-cp")
    st = path.stat()
    shard = cache.read_shard(ledger, "hmic-2016-met-cp")
    assert shard is not None
    monkeypatch.setattr(cache, "now_ns", lambda: shard[2])  # still the instant it was built
    assert cache.valid(shard, st, path)
    # pretend the content changed but every stat field stayed: only the hash can tell
    data = list(shard)
    data[3] = "0" * 40
    assert not cache.valid(tuple(data), st, path)


def test_a_racy_shard_is_built_again_once_the_change_is_past(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shard built in the instant of its file's last change is read again once that instant
    is past, and the new shard is then trusted without reading the file."""
    Ledger(ledger).reports.values()  # builds the shards, in the instant the files were copied
    path = disk.report_path(ledger, "hmic-2016-met-cp")
    st = path.stat()
    first = cache.read_shard(ledger, "hmic-2016-met-cp")
    assert first is not None and max(st.st_mtime_ns, st.st_ctime_ns) >= first[2] - cache.RACY_NS  # racy: checked by its digest
    later = max(st.st_mtime_ns, st.st_ctime_ns) + 2 * cache.RACY_NS
    monkeypatch.setattr(cache, "now_ns", lambda: later)
    assert not cache.valid(first, st, path)  # read the file again rather than hash it
    book = Ledger(ledger)
    assert book.reports["hmic-2016-met-cp"].recommendations  # read again, its shard rewritten
    second = cache.read_shard(ledger, "hmic-2016-met-cp")
    assert second is not None and second[2] == later and second[3] == first[3]

    def no_hashing(data: bytes) -> None:
        raise AssertionError("a settled shard is trusted by its stat")

    monkeypatch.setattr(cache, "_sha1", no_hashing)
    assert cache.valid(second, path.stat(), path)
    assert [r.id for r in Ledger(ledger).reports["hmic-2016-met-cp"].recommendations] == \
        [r.id for r in book.reports["hmic-2016-met-cp"].recommendations]


def test_git_checkout_of_another_version(ledger: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: cannot test a checkout under the index")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")

    def run(*args: str) -> None:
        subprocess.run([git, *args], cwd=ledger, env=env, check=True, capture_output=True)

    run("init", "-q")
    run("add", "-A")
    run("commit", "-qm", "before")
    first = track(ledger, "list", "--format", "json")
    track(ledger, "update", "hmic-2016-met-cp/R2", "--status", "implemented", "--note", "verified", "--date", "2020-01-01")
    run("commit", "-qam", "after")
    second = track(ledger, "list", "--format", "json")
    assert first != second
    run("checkout", "-q", "HEAD~1", "--", ".")
    assert track(ledger, "list", "--format", "json") == first
    same_as_fresh(ledger)
    run("checkout", "-q", "HEAD", "--", ".")
    assert track(ledger, "list", "--format", "json") == second


def test_deleting_the_index_costs_only_time(ledger: Path) -> None:
    expected = track(ledger, "list", "--format", "json")
    shutil.rmtree(cache.folder(ledger))
    assert track(ledger, "list", "--format", "json") == expected
    for name in shards(ledger):
        (cache.folder(ledger) / name).write_bytes(b"garbage")
    assert track(ledger, "list", "--format", "json") == expected
    same_as_fresh(ledger)


def test_two_commands_at_once(ledger: Path) -> None:
    shutil.rmtree(cache.folder(ledger), ignore_errors=True)
    env = dict(os.environ, TRACK_TODAY=TODAY, TRACK_LEDGER=str(ledger))
    procs = [subprocess.Popen([sys.executable, "-m", "track", "list", "--format", "json"], env=env,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    procs.append(subprocess.Popen([sys.executable, "-m", "track", "update", "R2", "--note", "meanwhile"], env=env,
                                  stdout=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    after = track(ledger, "list", "--format", "json", cached=False)
    assert track(ledger, "list", "--format", "json") == after
    same_as_fresh(ledger)
    assert '"last_note": "meanwhile"' in after and outs[0]


def test_update_then_read_sees_the_change(ledger: Path) -> None:
    track(ledger, "list")
    for n in range(3):
        track(ledger, "update", "R2", "--note", f"note {n}")
        assert f'"last_note": "note {n}"' in track(ledger, "list", "--format", "json", "--report", "hmic-2016-met-cp")
    same_as_fresh(ledger)


def test_state_from_index_equals_state_from_events(ledger: Path) -> None:
    """Every recommendation's state on every day it changed, and between, is the same whether
    folded from its events or looked up in the index."""
    from datetime import timedelta

    from track.domain.model import state_at

    book = Ledger(ledger)
    for report in list(book.reports.values()):
        indexed = {r.ref: r for r in book.reports[report.id].recommendations}
        full = book.full(report.id)
        for rec in full.recommendations:
            days = {e.date for e in rec.events} | {e.date - timedelta(days=1) for e in rec.events} | {full.published}
            for day in sorted(days) + [None]:
                a, b = state_at(rec, day), state_at(indexed[rec.ref], day)
                assert (a.status, a.response, a.due, a.owner, a.last_event, a.last_note, a.events, a.related) == \
                       (b.status, b.response, b.due, b.owner, b.last_event, b.last_note, b.events, b.related), (rec.id, day)


def test_a_check_after_the_index_is_deleted_says_what_a_fresh_read_says(ledger: Path) -> None:
    """Past 16 unindexed files, check parses them on every core: the same problems, in the
    same order, as reading every file, and as the index says afterwards."""
    reports = ledger / "reports"
    source = (reports / "hmic-2017-met-cp-q1.toml").read_text("utf-8")
    for i in range(20):
        (reports / f"copy-{i:02}.toml").write_text(source, "utf-8")
    (reports / "copy-05.toml").write_text(source.replace("title = ", "title = 3\nx_kept = ", 1), "utf-8")
    (reports / "copy-12.toml").write_text(source + "\n<<<<<<< ours\n", "utf-8")
    (reports / "copy-17.toml").write_text(source + '\nx_unknown = "kept"\n', "utf-8")
    fresh = track(ledger, "check", cached=False)
    assert fresh.count("\n") >= 4 and "copy-05.toml" in fresh and "copy-12.toml" in fresh and "copy-17.toml" in fresh
    shutil.rmtree(ledger / ".track", ignore_errors=True)
    assert track(ledger, "check") == fresh  # the index built on every core
    # every readable file has its shard, bar one with a key track does not know (never indexed)
    assert set(shards(ledger)) == set(disk.report_ids(ledger)) - {"copy-05", "copy-12", "copy-17"}, shards(ledger)
    assert track(ledger, "check") == fresh  # and answered from it


def test_the_short_strings_of_events_are_read_back_shared(ledger: Path) -> None:
    """A shard holds each short status, response, owner, source, evidence and ref once: read
    back, the events and recommendations share them (what keeps the history of a national
    register in memory), and the events equal the file's."""
    track(ledger, "list")
    book = Ledger(ledger)
    seen: dict[str, int] = {}
    for report in book.reports.values():
        events = report.recommendations[0].packed.get() if report.recommendations else ()
        values = [v for t in events for v in (t[1], t[2], t[5], t[10], *t[11]) if isinstance(v, str) and len(v) < 80]
        values += [r.ref for r in report.recommendations]
        for v in values:
            seen.setdefault(v, id(v))
            assert id(v) == seen[v], (report.id, v)
        full = [e for rec in book.full(report.id).recommendations for e in rec.events]
        assert [e for rec in report.recommendations for e in rec.events] == full
    assert len(seen) > 5


@pytest.mark.parametrize("then", ["update", "delete the index"])
def test_events_read_later_are_of_the_version_first_read(ledger: Path, then: str) -> None:
    """A command reads a report's events only when it needs them; by then its shard may have
    been replaced (another command wrote the report) or the index deleted: the events are still
    those of the version whose fields the command read, never a mix."""
    track(ledger, "list")
    book = Ledger(ledger)
    report = book.reports["hmic-2016-met-cp"]
    rec = report.recommendations[0]
    assert isinstance(rec, cache.IndexedEntry) and len(report.recommendations) > 1
    before = [r.events for r in book.full(report.id).recommendations]
    if then == "update":  # an event added to the first recommendation: the others' move in the new shard
        track(ledger, "update", rec.id, "--note", "written meanwhile")
        assert "written meanwhile" in track(ledger, "show", rec.id, "--format", "json")
    else:
        shutil.rmtree(cache.folder(ledger))
    assert [r.events for r in report.recommendations] == before
    assert [r.state().events for r in report.recommendations] == list(map(len, before))


def test_reading_a_file_the_index_holds_leaves_its_shard_alone(ledger: Path) -> None:
    """A command that needs a report's file (update reads it before its change) does not write
    the report's shard again where the shard holds that very file; where it does not, the
    shard is rebuilt."""
    track(ledger, "list")
    shard = cache.folder(ledger) / "hmic-2016-met-cp"
    first = shard.stat()
    book = Ledger(ledger)
    assert isinstance(book.reports["hmic-2016-met-cp"].recommendations[0], cache.IndexedEntry)
    assert book.full("hmic-2016-met-cp").recommendations[0].events
    assert (shard.stat().st_ino, shard.stat().st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    path = disk.report_path(ledger, "hmic-2016-met-cp")
    path.write_bytes(path.read_bytes().replace(b"Commissioner", b"Commissionar", 1))
    book = Ledger(ledger)
    assert "Commissionar" in str([r.events for r in book.full("hmic-2016-met-cp").recommendations])
    assert shard.stat().st_ino != first.st_ino
    same_as_fresh(ledger)
