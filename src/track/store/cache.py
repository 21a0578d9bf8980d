"""A disposable index of the report files (.track/cache/), used only while a report file is
provably the one it was built from (docs/internals.md)."""

from __future__ import annotations

import marshal
import mmap
import os
import stat
import sys
import time
from datetime import date
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain.dates import parse_duration
from track.domain.model import (Action, ActionEvent, Entry, Event, Followup, Recommendation, Report, State,
                                packed_amendment, timeline, unpacked_amendment)
from track.store import disk, layout

VERSION = 16  # 11: events hold basis, amendments, recorded, recorded_by; states the basis; reports their entered day
# 12: reports hold response_from (whose response the clock waits for), last in their meta
# 13: recommendations hold their own fields (track.toml [fields]), last (pack_fields)
# 14: recommendations hold their action plans, after their fields (pack_actions)
# 15: check's items hold each report's latest day, for events dated after today
# 16: check's items name a recommendation's due date before its report's publication
RACY_NS = 1_000_000_000
FOLDER = "cache"

_fromordinal = date.fromordinal


def folder(root: Path) -> Path:
    return root / layout.PRIVATE / FOLDER


def stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _ord(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(number: int | None) -> date | None:
    return None if number is None else _fromordinal(number)


def cacheable(report: Report) -> bool:
    """Reports holding unknown keys are always read from their file (their values may be
    of any TOML type)."""
    if report.extra or (report.followup and report.followup.extra):
        return False
    return not any(rec.extra or any(e.extra for e in rec.events)
                   or any(a.extra or any(e.extra for e in a.events) for a in rec.actions) for rec in report.recommendations)


def pack(report: Report, key: tuple[int, int, int, int], built_ns: int, digest: str, checks: list = (),  # type: ignore[assignment]
         notices: list = ()) -> bytes:  # type: ignore[assignment]
    followup = None
    if report.followup:
        followup = (str(report.followup.every), _ord(report.followup.start), _ord(report.followup.until))
    revisit: Any = report.revisit
    revisit = _ord(revisit) if isinstance(revisit, date) else (str(revisit) if revisit else None)
    meta = (report.title, report.by, report.subject, report.kind, _ord(report.published), report.url,
            tuple(report.follows), report.note, dict(report.figures), dict(report.grades), followup, revisit,
            str(report.response_within) if report.response_within else None, _ord(report.entered), report.response_from)
    recs = []
    notes = []
    afters = []  # the status after each event (what `history` shows beside it)
    for rec in report.recommendations:
        first = len(notes)
        states = []
        amended = None
        for number, s in enumerate(timeline(rec)):  # type: ignore[arg-type]
            e = rec.events[number]
            # the short strings interned: stored once a shard, read back as one object each
            # (hundreds of thousands of events share a few statuses, owners and sources)
            notes.append((e.date.toordinal(), _i(e.status), _i(e.response), _ord(e.due), _i(e.reason), _i(e.owner),
                          _i(e.superseded_by), _i(e.duplicate_of), tuple(map(_i, e.related)), e.note, _i(e.source),
                          tuple(map(_i, e.evidence)), _i(e.basis), packed_amendment(e.old), packed_amendment(e.new), _ord(e.recorded),
                          _i(e.recorded_by)))
            if e.old:
                amended = e.date.toordinal()
            last = _last_note_index(rec, number, first)
            afters.append(_i(s.status))
            states.append((s.status, s.response, _ord(s.due), s.owner, s.superseded_by, s.duplicate_of,
                           tuple(s.related), _ord(s.last_event), last, s.events, s.basis))
        states = [tuple(_i(v) for v in st) for st in states]
        history = marshal.dumps(tuple(states)) if len(states) > 1 else None
        recs.append((_i(rec.ref), rec.text, _i(rec.kind), _i(rec.answers), _i(rec.owner), tuple(_i(t) for t in rec.tags),
                     _i(rec.priority), _ord(rec.due), _ord(rec.entered), tuple(map(_i, rec.evidence)), tuple(map(_i, rec.related)),
                     (states[-1] if states else None, history), (first, len(notes)), amended, pack_fields(rec.fields),
                     pack_actions(rec.actions)))
    main = marshal.dumps((VERSION, key, built_ns, digest, meta, tuple(recs), tuple(checks),
                          tuple((p.path, p.line, p.column, p.message) for p in notices)))
    # The last notes of the recommendations as they stand now, apart from the events: what
    # `list --format json` needs of the notes (a tenth of their size).
    finals = {}
    for rec in recs:
        now = rec[11][0]  # the state after the last event
        if now is not None and now[8] is not None:
            finals[now[8]] = notes[now[8]][9]
    last = marshal.dumps(finals)
    return (MAGIC + len(main).to_bytes(4, "little") + len(last).to_bytes(4, "little") + main + last
            + marshal.dumps((tuple(notes), tuple(afters))))


MAGIC = b"trk\x04"  # then the sizes of the main part and of the last notes


def pack_fields(values: dict[str, Any]) -> dict[str, Any] | None:
    """A recommendation's own fields as marshal keeps them: a date as (its ordinal,), the
    rest (text, numbers) as they are; None for none."""
    if not values:
        return None
    return {_i(k): ((v.toordinal(),) if isinstance(v, date) else _i(v)) for k, v in values.items()}


def pack_actions(actions: list[Action]) -> tuple | None:
    """A recommendation's action plan as marshal keeps it, dates as ordinals; None for none."""
    if not actions:
        return None
    return tuple((a.n, a.text, _i(a.owner), _ord(a.due), _ord(a.added), _ord(a.recorded), _i(a.recorded_by),
                  tuple((e.date.toordinal(), e.done, _ord(e.due), e.reason, _i(e.owner), e.note, _i(e.source),
                         tuple(e.evidence), _ord(e.recorded), _i(e.recorded_by)) for e in a.events))
                 for a in actions)


def unpack_actions(packed: tuple | None) -> list[Action] | None:
    if packed is None:
        return None
    return [Action(n, text, owner, _day(due), _day(added), _day(recorded), recorded_by,
                   [ActionEvent(_fromordinal(d), done, _day(edue), reason, eowner, note, source, list(evidence),
                                _day(erecorded), erecorded_by)
                    for d, done, edue, reason, eowner, note, source, evidence, erecorded, erecorded_by in events])
            for n, text, owner, due, added, recorded, recorded_by, events in packed]


def unpack_fields(packed: dict[str, Any] | None) -> dict[str, Any] | None:
    if packed is None:
        return None
    return {k: (_fromordinal(v[0]) if v.__class__ is tuple else v) for k, v in packed.items()}


def _i(value: Any) -> Any:
    """Short repeated strings (statuses, owners, tags, refs) are stored once and referred to."""
    return sys.intern(value) if isinstance(value, str) and len(value) < 80 else value


def _last_note_index(rec: Recommendation, number: int, first: int) -> int | None:
    """Where, among the report's notes, the last non-empty note up to event `number` is."""
    for back in range(number, -1, -1):
        if rec.events[back].note:
            return first + back
    return None


class Notes:
    """A report's events, unpacked on first use (list and remind rarely need them), and the
    status after each."""

    __slots__ = ("ref", "items", "afters", "finals")

    def __init__(self, ref: EventsRef) -> None:
        self.ref: EventsRef | None = ref
        self.items: tuple | None = None
        self.afters: tuple = ()
        self.finals: dict[int, str] | None = None

    def get(self) -> tuple:
        if self.items is None:
            self.items, self.afters = self.ref.load()  # type: ignore[union-attr]
            self.ref = None  # its mapping of the shard is let go: nothing more is read from it
        return self.items

    def note(self, at: int) -> str:
        """The note of event `at` (among the report's events), without unpacking them all
        when it is some recommendation's latest note."""
        if self.items is None:
            if self.finals is None:
                self.finals = self.ref.finals()
            if at in self.finals:
                return self.finals[at]
        return self.get()[at][9]


class EventsRef:
    """A shard's events and latest notes, kept packed as read (see _rest: what a command reads
    stays one version of the ledger however the files change meanwhile)."""

    __slots__ = ("blob", "last")

    def __init__(self, blob: bytes | memoryview, last: bytes | memoryview) -> None:
        self.blob = blob
        self.last = last

    def load(self) -> tuple[tuple, tuple]:
        """(the events, each packed as in `pack`; the status after each)."""
        return marshal.loads(self.blob)

    def finals(self) -> dict[int, str]:
        """{event number: note} for the latest note of each recommendation as it stands now."""
        return marshal.loads(self.last)


class IndexedState(State):
    """A State made from its packed tuple (see pack), whose last note is looked up only if
    someone reads it."""

    __slots__ = ("_notes", "_at")

    def __init__(self, t: tuple, notes: Notes) -> None:  # field by field: list makes 100,000 of these
        self.status = t[0]
        self.response = t[1]
        self.due = None if t[2] is None else _fromordinal(t[2])
        self.owner = t[3]
        self.superseded_by = t[4]
        self.duplicate_of = t[5]
        self.related = list(t[6])
        self.last_event = _fromordinal(t[7])
        self.events = t[9]
        self.basis = t[10]
        self._notes = notes
        self._at = t[8]

    @property  # type: ignore[override]
    def last_note(self) -> str | None:
        return None if self._at is None else self._notes.note(self._at)

    @last_note.setter
    def last_note(self, value: str | None) -> None:
        pass


_state = IndexedState


class IndexedEntry(Entry):
    """An Entry whose states stay packed tuples until one is needed."""

    __slots__ = ()

    def state(self, as_of: date | None = None) -> State:
        last = self.states[0]
        packed = last if as_of is None or last is None or last[7] <= as_of.toordinal() else self.packed_at(as_of.toordinal())
        if packed is None:
            from track.domain.model import initial_state

            return initial_state(self)
        return _state(packed, self.packed)

    def packed_at(self, limit: int) -> tuple | None:
        """The state at the end of the day whose ordinal is `limit`, as packed (see `pack`:
        status, response, due, owner, superseded_by, duplicate_of, related, last event, ...,
        dates as ordinals); None before the first event. For the commands that read only a few
        fields of every recommendation, without making a State."""
        last, history = self.states
        if last is None or last[7] <= limit:
            return last
        packed = marshal.loads(history) if history is not None else (last,)
        at = len(packed)
        while at and packed[at - 1][7] > limit:
            at -= 1
        return packed[at - 1] if at else None

    @property
    def events(self) -> list:  # type: ignore[override]
        first, end = self.notes_span
        return [Event(_fromordinal(t[0]), t[1], t[2], _day(t[3]), t[4], t[5], t[6], t[7], list(t[8]), t[9], t[10], list(t[11]),
                      basis=t[12], old=unpacked_amendment(t[13]), new=unpacked_amendment(t[14]),
                      recorded=_day(t[15]), recorded_by=t[16])
                for t in self.packed.get()[first:end]]

    @property
    def notes(self) -> list:  # type: ignore[override]
        first, end = self.notes_span
        return [(t[0], t[9], t[10]) for t in self.packed.get()[first:end]]


def unpack(report_id: str, data: tuple) -> Report:
    _version, _key, _built, _digest, meta, recs, _checks, _notices, blob = data
    (title, by, subject, kind, published, url, follows, note, figures, grades, followup, revisit, within, entered,
     response_from) = meta
    report = Report(
        id=report_id, title=title, by=by, subject=subject, published=_fromordinal(published), kind=kind, url=url,
        follows=list(follows), note=note, figures=figures, grades=grades,
        followup=Followup(parse_duration(followup[0]), _day(followup[1]), _day(followup[2])) if followup else None,
        revisit=_fromordinal(revisit) if isinstance(revisit, int) else (parse_duration(revisit) if revisit else None),
        response_within=parse_duration(within) if within else None, entered=_day(entered), response_from=response_from,
    )
    notes = Notes(blob)
    report.recommendations = [  # type: ignore[assignment]
        IndexedEntry(report_id, ref, text, kind_, answers, owner, tags, priority,
                     None if due is None else _fromordinal(due), None if entered is None else _fromordinal(entered),
                     evidence, related, states, span, notes, amended, unpack_fields(own), unpack_actions(plan))
        for (ref, text, kind_, answers, owner, tags, priority, due, entered, evidence, related, states, span, amended, own,
             plan) in recs
    ]
    return report


def read_shard(root: Path, report_id: str) -> tuple | None:
    return read_shard_at(os.path.join(folder(root), report_id))


def read_shard_at(path: str) -> tuple | None:
    """(VERSION, stat key, built, digest, meta, recs, checks, notices, events): the events stay
    packed until needed; checks and notices are what `check` says of the file (see checks.py)."""
    try:
        # no buffered file object: a national register has thousands of shards; no link followed,
        # and nothing but a regular file read (a FIFO would block, a device never end)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        total = st.st_size
        head = _read(fd, 12)
        if head[:4] != MAGIC or len(head) < 12:
            return None
        size = int.from_bytes(head[4:8], "little")
        last_size = int.from_bytes(head[8:12], "little")
        if size + last_size > total - 12:
            return None
        main = _read(fd, size)
        rest = _rest(fd, 12 + size, total)
        data = marshal.loads(main)
        data = data + (EventsRef(rest[last_size:], rest[:last_size]),)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    finally:
        os.close(fd)
    if not isinstance(data, tuple) or len(data) != 9 or data[0] != VERSION:
        return None
    return data


def _rest(fd: int, start: int, total: int) -> bytes | memoryview:
    """What follows the main part of a shard (the latest notes, then the events), from `start`
    (where fd is) to the end: mapped rather than read, since most commands never look at it
    (71 MB for 100,000 recommendations). A shard is never changed in place, only replaced by
    another file, so the mapping keeps the version read whatever happens to the folder
    meanwhile; where a file cannot be mapped, it is read."""
    if total <= start:
        return b""
    base = start - start % mmap.ALLOCATIONGRANULARITY
    try:
        mapped = mmap.mmap(fd, total - base, prot=mmap.PROT_READ, offset=base)
    except (OSError, ValueError, OverflowError):
        return _read(fd, total - start)
    return memoryview(mapped)[start - base:]


def _read(fd: int, size: int) -> bytes:
    """`size` bytes (fewer only at the end of the file)."""
    data = os.read(fd, size)
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            break
        data += more
    return data


def valid(data: tuple, st: os.stat_result, path: Path | str) -> bool:
    key, built_ns, digest = data[1], data[2], data[3]
    if tuple(key) != stat_key(st):
        return False
    if st.st_ctime_ns < built_ns - RACY_NS and st.st_mtime_ns < built_ns - RACY_NS:
        return True
    settled = now_ns() - RACY_NS
    if st.st_ctime_ns < settled and st.st_mtime_ns < settled:
        # indexed within a moment of its last change, which is long past now: read once more,
        # the file gets a shard stamped after it (trusted by the test above from then on),
        # where checking it by digest would be needed on every read
        return False
    try:
        return _sha1(Path(path).read_bytes()).hexdigest() == digest
    except OSError:
        return False


def write_shard(root: Path, report: Report, st: os.stat_result, built_ns: int, raw: bytes, notices: list = ()) -> None:  # type: ignore[assignment]
    """Best effort: a shard that cannot be written is simply rebuilt next time."""
    if not cacheable(report):
        return
    from track.store.checks import report_checks

    try:
        checks = report_checks(report, raw.decode("utf-8"))
        data = pack(report, stat_key(st), built_ns, _sha1(raw).hexdigest(), checks, notices)
        target = folder(root)
        target.mkdir(parents=True, exist_ok=True)
        temp = target / f".{report.id}.{os.getpid()}.tmp"
        try:
            disk.write_temp(temp, data)
            os.replace(temp, target / report.id)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        pass


def staged_shard(report: Report, raw: bytes) -> bytes | None:
    """A report's shard made before its file is written (None if it is not cacheable): the
    file's stat is not known yet, so stamped() gives it its stat once it is."""
    if not cacheable(report):
        return None
    from track.store.checks import report_checks

    return pack(report, (0, 0, 0, 0), 0, _sha1(raw).hexdigest(), report_checks(report, raw.decode("utf-8")), [])


def write_stamped(root: Path, report_id: str, shard: bytes, st: os.stat_result, built_ns: int) -> str | None:
    """Best effort: write a staged_shard as the shard of the file whose stat is `st` (as
    write_shard would have made it, read from that file); returns the file's digest as seen()
    keeps it, None when nothing was written."""
    try:
        size = int.from_bytes(shard[len(MAGIC):len(MAGIC) + 4], "little")
        start = len(MAGIC) + 8
        main = list(marshal.loads(shard[start:start + size]))
        main[1], main[2] = stat_key(st), built_ns
        packed = marshal.dumps(tuple(main))
        data = MAGIC + len(packed).to_bytes(4, "little") + shard[len(MAGIC) + 4:start] + packed + shard[start + size:]
        target = folder(root)
        target.mkdir(parents=True, exist_ok=True)
        temp = target / f".{report_id}.{os.getpid()}.tmp"
        try:
            disk.write_temp(temp, data)
            os.replace(temp, target / report_id)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return main[3]


def _read_private(path: Path) -> bytes:
    """A file of the index's own, read without following a link, and only if regular."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError("not a regular file")
        return _read(fd, st.st_size)
    finally:
        os.close(fd)


def _sha1(data: bytes) -> Any:
    import hashlib  # only when a file changed lately or a shard is written

    return hashlib.sha1(data)


def now_ns() -> int:
    return time.time_ns()


def load_settings(root: Path) -> dict[str, Any]:
    """track.toml, from its shard when it provably matches (saves loading a TOML parser)."""
    path = root / layout.SETTINGS
    shard_path = folder(root) / "_settings"
    try:
        st = os.stat(path)
        data = marshal.loads(shard_path.read_bytes())
        if (isinstance(data, tuple) and len(data) == 5 and data[0] == VERSION
                and valid((data[0], data[1], data[2], data[3]), st, path)):
            return data[4]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    built = now_ns()
    try:
        st = os.stat(path)
    except OSError:
        return disk.load_settings(root)
    raw = path.read_bytes()
    settings = disk.load_settings(root)
    try:
        blob = marshal.dumps((VERSION, stat_key(st), built, _sha1(raw).hexdigest(), settings))
        shard_path.parent.mkdir(parents=True, exist_ok=True)
        temp = shard_path.parent / f"._settings.{os.getpid()}.tmp"
        temp.write_bytes(blob)
        os.replace(temp, shard_path)
    except (OSError, ValueError):
        pass
    return settings


def _rebuild_one(job: tuple[str, str]) -> tuple[str, list | None]:
    """In a worker: parse one report file and write its shard; return its problems, if any."""
    root, report_id = Path(job[0]), job[1]
    built = now_ns()
    path = disk.report_path(root, report_id)
    try:
        st = os.stat(path)
    except OSError:
        return report_id, None  # gone meanwhile: the parent reads it and says so
    report, problems, unknown, raw = disk.read_report_raw(root, report_id)
    if problems:
        return report_id, [str(p) for p in problems]
    assert report is not None and raw is not None
    write_shard(root, report, st, built, raw, unknown)
    return report_id, None


def cores() -> int:
    """How many processes to spread file parsing over: the cores this process may use, at most 8."""
    return min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8)


def rebuild(root: Path, report_ids: list[str]) -> dict[str, list[str]]:
    """Rebuild many shards at once on every core (a first command, or after the index was
    deleted): {report id: problems} for the files that could not be read."""
    workers = cores()
    jobs = [(str(root), report_id) for report_id in report_ids]
    if workers < 2 or len(jobs) < 16:
        results = map(_rebuild_one, jobs)
        return {rid: problems for rid, problems in results if problems}
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.imap_unordered(_rebuild_one, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
        return {rid: problems for rid, problems in results if problems}


# A small manifest of the report files known to read cleanly, so that a change can make sure
# the whole ledger is readable (as it must be before anything is written) without loading
# every report: {report id: (stat key, when seen, SHA-1)}, trusted as shards are.
MANIFEST = "_readable"


def read_manifest(root: Path) -> dict[str, tuple]:
    try:
        data = marshal.loads(_read_private(folder(root) / MANIFEST))
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != VERSION or not isinstance(data[1], dict):
        return {}
    return data[1]


def write_manifest(root: Path, entries: dict[str, tuple]) -> None:
    try:
        target = folder(root)
        target.mkdir(parents=True, exist_ok=True)
        temp = target / f".{MANIFEST}.{os.getpid()}.tmp"
        try:
            disk.write_temp(temp, marshal.dumps((VERSION, entries)))
            os.replace(temp, target / MANIFEST)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        pass


def vouched(entry: tuple, st: os.stat_result, path: Path) -> bool:
    """The file is still the one that was seen to read cleanly (same rules as a shard)."""
    return valid((VERSION, entry[0], entry[1], entry[2]), st, path)


def seen(st: os.stat_result, built_ns: int, raw: bytes) -> tuple:
    return (stat_key(st), built_ns, _sha1(raw).hexdigest())
