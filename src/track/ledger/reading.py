"""Reading a ledger: opening it, its settings, its reports (from the index where it provably
matches the files, else from the files), and resolving the ids people type."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from datetime import date
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Self

    from track.domain.reminders import Reminders

from track.domain import values
from track.domain.dates import Duration, parse_duration
from track.domain.errors import AmbiguousId, BadValue, InvalidLedger, Refused, TrackError, UnknownId
from track.domain.fields import Field
from track.domain.model import Recommendation, Report, State, state_at
from track.store import disk, layout
from track.store.reportfile import Problem


class Reports(MutableMapping[str, Report]):
    """The ledger's reports by id, in id order. The ids come from the folder's listing; a
    report is read (from the index or its file) when first asked for, and all of them at once,
    in parallel where that helps, when iterated over by value."""

    def __init__(self, ledger: Reading) -> None:
        self._ledger = ledger
        ledger._bytes = {}  # what full() read belongs to the mapping it read it for
        self._ids = disk.report_ids(ledger.root)
        self._known = set(self._ids)  # the ids again, to look one up without a scan of the list
        self._loaded: dict[str, Report] = {}

    def __getitem__(self, report_id: str) -> Report:
        report = self._loaded.get(report_id)
        if report is None:
            if report_id not in self._known:
                raise KeyError(report_id)
            report = self._loaded[report_id] = self._ledger._load_one(report_id)
        return report

    def __setitem__(self, report_id: str, report: Report) -> None:
        if report_id not in self._known:
            self._ids = sorted([*self._ids, report_id])
            self._known.add(report_id)
        self._loaded[report_id] = report

    def __delitem__(self, report_id: str) -> None:
        self._ids.remove(report_id)
        self._known.discard(report_id)
        self._loaded.pop(report_id, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._known

    def load_all(self) -> None:
        todo = [i for i in self._ids if i not in self._loaded]
        if todo:
            self._loaded.update(self._ledger._load_many(todo))

    def values(self):  # type: ignore[override]  # noqa: ANN201
        self.load_all()
        return [self._loaded[i] for i in self._ids]

    def items(self):  # type: ignore[override]  # noqa: ANN201
        self.load_all()
        return [(i, self._loaded[i]) for i in self._ids]


class Reading:
    """A ledger as read: `Ledger` adds the changes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        disk.check_private(self.root)
        if self.use_cache:
            from track.store import cache

            self.settings = cache.load_settings(self.root)
        else:
            self.settings = disk.load_settings(self.root)
        from track.domain.dates import read_day_first

        read_day_first(disk.day_first(self.settings))  # how typed dates such as 10/08/2017 read
        disk.tidy(self.root)  # temp files a killed writer left, when no writer is at work
        self._reports: Reports | None = None
        self._index: dict[str, Recommendation] | None = None
        self._bytes: dict[str, bytes] = {}
        self.describe: str | None = None  # what the change being made is, for the undo journal
        self._seen: dict[str, tuple] = {}  # report files seen to read cleanly in this process
        self._fields: dict[str, Field] | None = None

    # ----------------------------------------------------------------- opening

    @classmethod
    def find(cls, explicit: str | os.PathLike[str] | None = None) -> Self:
        return cls(disk.find_ledger(explicit))

    def hold_reading(self) -> None:
        """Read from now on under the ledger's shared lock (disk.read_lock), so that a change
        spanning files is seen whole or not at all; `let_go` ends it, as does a change this
        process makes (which takes the lock whole) and the end of the process."""
        disk.read_lock(self.root, self.lock_timeout)

    def let_go(self) -> None:
        disk.read_unlock(self.root)

    @classmethod
    def init(cls, path: str | os.PathLike[str], name: str | None = None, *, git: bool = False) -> Self:
        """Create a ledger. With git, track.toml asks for a commit after each change
        ([git] commit = true); gitstore.set_up(root) makes the repository and merge set-up."""
        import tomli_w

        root = Path(path)
        name = values.clean_text(name, "--name", single_line=True)
        if (root / layout.SETTINGS).exists():
            raise Refused(f"{root}: already a ledger ({layout.SETTINGS} exists)")
        try:
            (root / layout.REPORTS).mkdir(parents=True, exist_ok=True)
            (root / layout.PRIVATE).mkdir(exist_ok=True)
            settings = {"name": name or root.resolve().name, "schema": layout.SCHEMA, **layout.DEFAULT_SETTINGS}
            if git:
                settings["git"] = {"commit": True}
            if not disk.create_new(root / layout.SETTINGS, tomli_w.dumps(settings)):  # another init was first
                raise Refused(f"{root}: already a ledger ({layout.SETTINGS} exists)")
            ignore = root / ".gitignore"
            if not ignore.exists():
                disk.atomic_write(ignore, f"# what track keeps for itself: the lock, the undo journal, caches\n{layout.PRIVATE}/\n")
        except OSError as error:
            raise TrackError(f"{root}: cannot create the ledger: {error.strerror}") from None
        return cls(root)

    @property
    def name(self) -> str:
        value = self.settings.get("name")
        return value if isinstance(value, str) else self.root.name

    @property
    def fields(self) -> dict[str, Field]:
        """The fields track.toml declares ([fields.risk] type = "choice", ...), in its order."""
        if self._fields is None:
            self._fields = disk.own_fields(self.root, self.settings)
        return self._fields

    @property
    def timezone(self) -> str | None:
        tz = self.settings.get("timezone")
        return tz if isinstance(tz, str) else None

    def today(self) -> date:
        from track.domain.dates import today

        return today(self.timezone)

    def setting_duration(self, key: str) -> Duration:
        remind = self.settings.get("remind", {})
        value = remind.get(key) if isinstance(remind, dict) else None
        default = layout.DEFAULT_SETTINGS["remind"][key]
        try:
            return parse_duration(value if isinstance(value, str) else default)
        except BadValue:
            raise InvalidLedger(f"{layout.SETTINGS}: remind.{key} = {value!r} is not a duration such as '14 days'") from None

    @property
    def evidence_after(self) -> Duration:
        """How old the newest evidence in scope may be before report, list and remind say
        "latest evidence DATE (N days ago)": [report] evidence_after in track.toml, else 90 days."""
        problems = disk.report_problems(self.settings)
        if problems:
            raise InvalidLedger(f"{layout.SETTINGS}: {problems[0][0]}")
        table = self.settings.get("report", {})
        return parse_duration(table.get("evidence_after", disk.EVIDENCE_AFTER))

    @property
    def lock_timeout(self) -> float:
        """How long a change waits for another's lock: lock_timeout in track.toml, else 10 s."""
        value = self.settings.get("lock_timeout", 10)
        problem = disk.lock_timeout_problem(value)
        if problem:
            raise InvalidLedger(f"{layout.SETTINGS}: {problem}")
        return float(value)

    # ----------------------------------------------------------------- reading

    def _load_one(self, report_id: str) -> Report:
        """One report: from the index where it provably matches the file, else from the file."""
        from track.store import cache

        path = disk.report_path(self.root, report_id)
        try:
            st = os.stat(path)
        except OSError:
            st = None
        shard = cache.read_shard(self.root, report_id) if st is not None and self.use_cache else None
        if shard is not None and cache.valid(shard, st, path):  # type: ignore[arg-type]
            self._seen[report_id] = (shard[1], shard[2], shard[3])
            return cache.unpack(report_id, shard)
        return self._read_full(report_id)

    def _load_many(self, report_ids: list[str]) -> dict[str, Report]:
        """Many reports at once: files the index cannot vouch for are parsed on every core first."""
        from track.store import cache

        found: dict[str, Report] = {}
        if self.use_cache:
            reports_dir = os.path.join(self.root, layout.REPORTS)
            shards_dir = os.fspath(cache.folder(self.root))
            missing = []
            for report_id in report_ids:
                path = os.path.join(reports_dir, report_id + ".toml")
                shard = cache.read_shard_at(os.path.join(shards_dir, report_id))
                try:
                    if shard is not None and cache.valid(shard, os.stat(path), path):
                        self._seen[report_id] = (shard[1], shard[2], shard[3])
                        found[report_id] = cache.unpack(report_id, shard)
                        continue
                except OSError:
                    pass
                missing.append(report_id)
            if len(missing) >= 16:
                cache.rebuild(self.root, missing)
        loaded = {report_id: found.get(report_id) or self._load_one(report_id) for report_id in report_ids}
        if self.use_cache:
            self._remember_readable()
        return loaded

    def _remember_readable(self) -> None:
        from track.store import cache

        known = cache.read_manifest(self.root)
        ids = set(disk.report_ids(self.root))
        merged = {k: v for k, v in {**known, **self._seen}.items() if k in ids}
        if merged != known:
            cache.write_manifest(self.root, merged)

    def _ensure_readable(self) -> None:
        """Refuse to change anything while any report file cannot be read (a merge conflict, a
        bad edit): load, and so check, every file the manifest cannot vouch for."""
        from track.store import cache

        known = cache.read_manifest(self.root) if self.use_cache else {}
        fresh = False
        for report_id in self.reports:
            path = disk.report_path(self.root, report_id)
            entry = self._seen.get(report_id) or known.get(report_id)
            try:
                if entry is not None and cache.vouched(entry, os.stat(path), path):
                    continue
            except OSError:
                pass
            self.reports[report_id]  # raises InvalidLedger, naming the file, if it cannot be read
            fresh = True
        if fresh and self.use_cache:
            self._remember_readable()

    use_cache = os.environ.get("TRACK_NO_CACHE", "") == ""

    def _read_full(self, report_id: str) -> Report:
        """Parse one report file, and refresh its index shard."""
        from track.store import cache

        built = cache.now_ns()
        path = disk.report_path(self.root, report_id)
        try:
            st: os.stat_result | None = os.stat(path)  # before reading: a later change must not match
        except OSError:
            st = None
        report, problems, unknown, raw = disk.read_report_raw(self.root, report_id)
        if problems:
            raise InvalidLedger(disk.unreadable(problems))
        assert report is not None and raw is not None
        self._bytes[report_id] = raw
        if st is not None and self.use_cache:
            now, before = cache.seen(st, built, raw), self._seen.get(report_id)
            # a file the index served a moment ago (show, update) is in it already, byte for byte
            if before is None or tuple(before[0]) != now[0] or before[2] != now[2]:
                cache.write_shard(self.root, report, st, built, raw, unknown)
                self._seen[report_id] = now
        return report

    def full(self, report_id: str) -> Report:
        """A report with its recommendations' events (reading its file if the index served it)."""
        reports = self.reports
        if report_id not in self._bytes:
            if report_id not in reports:
                raise KeyError(report_id)
            reports[report_id] = self._read_full(report_id)
            self._index = None
        return reports[report_id]

    @property
    def reports(self) -> Reports:
        """Every report by id, read on first use: a command about one report reads one file."""
        if self._reports is None:
            self._reports = Reports(self)
            self._index = None
        return self._reports

    def before(self, report_id: str) -> bytes | None:
        """The bytes a report's file held when full() read it (None if it has not)."""
        return self._bytes.get(report_id)

    def release(self, report_id: str) -> None:
        """Forget a report read whole (full), and its bytes: the next use reads it afresh. An
        import lets go of each report once it has staged its file."""
        self._bytes.pop(report_id, None)
        if self._reports is not None:
            self._reports._loaded.pop(report_id, None)
            self._index = None

    def reindex(self) -> None:
        """Recommendations were added in memory: look ids up afresh."""
        self._index = None

    def discard(self) -> None:
        """Forget what was read and changed in memory (a dry run): the next read is afresh."""
        self._reports = None
        self._index = None
        self._bytes.clear()

    def recommendations(self) -> Iterator[Recommendation]:
        for report in self.reports.values():
            yield from report.recommendations

    def _ids(self) -> dict[str, Recommendation]:
        if self._index is None:
            self._index = {rec.id: rec for rec in self.recommendations()}
        return self._index

    def report_of(self, rec: Recommendation) -> Report:
        return self.reports[rec.report]

    def state(self, rec: Recommendation, as_of: date | None = None) -> State:
        return state_at(rec, as_of)

    def issued(self, rec: Recommendation, as_of: date | None) -> bool:
        """Whether a recommendation existed at the end of `as_of` (its report was published)."""
        return as_of is None or self.reports[rec.report].published <= as_of

    def report(self, text: str) -> Report:
        """A report by exact id, or by a unique prefix of one."""
        reports = self.reports
        if text in reports:
            return reports[text]
        if not text.strip():
            raise UnknownId("an empty report id names no report")
        matches = [rid for rid in reports if rid.startswith(text)] or [rid for rid in reports if rid.lower().startswith(text.lower())]
        if len(matches) == 1:
            return reports[matches[0]]
        if matches:
            raise AmbiguousId(f"report {text!r} is ambiguous: it could be {', '.join(sorted(matches)[:10])}")
        close = _close(text, list(reports))
        if close:
            raise UnknownId(f"unknown report {text!r}; did you mean {_either(close)}?")
        raise UnknownId(f"unknown report {text!r}" + (f"; reports are: {', '.join(sorted(reports)[:10])}" if reports else "; the ledger has no reports yet"))

    def resolve(self, text: str) -> Recommendation:
        """A recommendation by exact id, by REF alone where one report has it, or by a unique
        prefix of its full id. An ambiguous one is refused with the candidates."""
        text = text.strip()
        report_id, slash, _ref = text.partition("/")
        if slash and report_id in self.reports:
            # the report is named in full: only its recommendations can match
            ids = {rec.id: rec for rec in self.reports[report_id].recommendations}
        else:
            ids = self._ids()
        if text in ids:
            return ids[text]
        if not text:
            raise UnknownId("an empty id names no recommendation")
        for fold in (False, True):
            key = text.lower() if fold else text
            if "/" not in text:
                by_ref = [r for r in ids.values() if (r.ref.lower() if fold else r.ref) == key]
                if len(by_ref) == 1:
                    return by_ref[0]
                if by_ref:
                    raise AmbiguousId(f"{text!r} is ambiguous: it could be {_some(r.id for r in by_ref)}")
            by_prefix = [r for i, r in ids.items() if (i.lower() if fold else i).startswith(key)]
            if len(by_prefix) == 1:
                return by_prefix[0]
            if by_prefix:
                raise AmbiguousId(f"{text!r} is ambiguous: it could be {_some(r.id for r in by_prefix)}")
        close = self._close_ids(text)
        raise UnknownId(f"unknown recommendation {text!r}" + (f"; did you mean {_either(close)}?" if close else ""))

    def _close_ids(self, text: str) -> list[str]:
        """The ids nearest to one that matched nothing (at most SUGGEST): REPORT/REF by the
        report (the one named, else those nearest its name) and then the ref; a ref alone
        among the refs of the ledger. Only worked out on failure: the refs of a report are few,
        and the ledger's distinct refs and report ids far fewer than its recommendations."""
        reports = self.reports
        report_id, slash, ref = text.partition("/")
        if slash:
            named = [report_id] if report_id in reports else _close(report_id, list(reports))
            out: list[str] = []
            for rid in named:
                refs = [rec.ref for rec in reports[rid].recommendations]
                out += [f"{rid}/{r}" for r in _close(ref, refs)]
            return out[:SUGGEST]
        by_ref: dict[str, list[str]] = {}
        for rec in self._ids().values():
            by_ref.setdefault(rec.ref, []).append(rec.id)
        return [i for r in _close(text, list(by_ref)) for i in by_ref[r]][:SUGGEST]

    def reminders(self, as_of: date, within: Duration | None = None, stale: Duration | None = None) -> Reminders:
        """What `track remind` says as the ledger stood at the end of `as_of`. `within` and
        `stale` default to the ledger's settings ([remind] within and stale in track.toml)."""
        from track.domain.reminders import gather

        within = within if within is not None else self.setting_duration("within")
        stale = stale if stale is not None else self.setting_duration("stale")
        found = gather(self.reports, self.name, as_of, within, stale)
        found.evidence_after = self.evidence_after
        return found

    def followups(self, report: Report) -> list[Report]:
        """Reports whose `follows` names this one, in publication order."""
        return sorted((r for r in self.reports.values() if report.id in r.follows), key=lambda r: (r.published, r.id))

    def resolve_in(self, report: Report, text: str) -> Recommendation:
        """A link target: a ref of the same report first, then any id of the ledger."""
        local = report.recommendation(text)
        return local if local is not None else self.resolve(text)

    # ----------------------------------------------------------------- checking

    def check(self, progress: Callable[[int, int], None] | None = None) -> list[Problem]:
        """Every problem in every file, blocking or not; an empty list means a clean ledger.
        Files the index can vouch for are answered from it; the rest are read.
        `progress(done, total)` is called after each report file, if given (bars.bar makes one)."""
        from track.store import cache
        from track.store.checks import evaluate, follow_cycles

        problems = list(disk.settings_problems(self.root, self.settings))
        from track.domain.fields import declarations

        declared = declarations(self.settings)
        folder = self.root / layout.REPORTS
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.name.endswith(".toml"):
                    continue
                if path.name.startswith(".") and path.name.endswith(".tmp"):
                    continue
                problems.append(Problem(f"{layout.REPORTS}/{path.name}", None, None, "not a report file (reports are ID.toml)"))
        report_ids = disk.report_ids(self.root)
        problems.extend(_case_clashes(report_ids))
        total = len(report_ids)
        found: dict[str, tuple[list[Problem], list[tuple[str, str]], list] | None] = {}

        def from_shard(report_id: str) -> tuple[list[Problem], list[tuple[str, str]], list] | None:
            if not self.use_cache:
                return None
            path = disk.report_path(self.root, report_id)
            shard = cache.read_shard(self.root, report_id)
            try:
                if shard is None or not cache.valid(shard, os.stat(path), path):
                    return None
            except OSError:
                return None
            return ([Problem(*notice) for notice in shard[7]], [(f"{report_id}/{rec[0]}", rec[2]) for rec in shard[5]],
                    list(shard[6]))

        pending = []
        done = 0
        for report_id in report_ids:
            found[report_id] = from_shard(report_id)
            if found[report_id] is None:
                pending.append(report_id)
            else:
                done += 1
                if progress is not None:
                    progress(done, total)
        rebuilt = self.use_cache and len(pending) >= 16
        if rebuilt:
            # Files the index cannot vouch for (a first check, or after .track/ was deleted):
            # parsed on every core, a part at a time so that a progress bar moves.
            step = max(16, len(pending) // 10)
            for at in range(0, len(pending), step):
                part = pending[at:at + step]
                cache.rebuild(self.root, part)
                done += len(part)
                if progress is not None:
                    progress(done, total)
        readable: set[str] = set()
        kinds: dict[str, str] = {}
        checks: list[list] = []
        for report_id in report_ids:
            result = found[report_id]
            if result is None:
                result = (rebuilt and from_shard(report_id)) or self._check_file(report_id)
                if not rebuilt:
                    done += 1
                    if progress is not None:
                        progress(done, total)
            notices, report_kinds, items = result
            problems.extend(notices)
            if items is not None:
                readable.add(report_id)
                kinds.update(report_kinds)
                checks.append(items)
        unreadable = frozenset(report_ids) - readable
        written = self.settings.get("fields", {})  # a value of a field declared wrongly: the declaration is the problem
        misdeclared = set(written) - set(declared) if isinstance(written, dict) else _EVERY_NAME
        today = self.today()

        def future(report_id: str) -> list[Problem]:  # only when a report has an event after today
            from track.store.checks import future_problems

            report, _blocking, _unknown, raw = disk.read_report_raw(self.root, report_id)
            return [] if report is None or raw is None else future_problems(report, raw.decode("utf-8"), today)

        for items in checks:
            problems.extend(evaluate(items, readable, kinds, unreadable, declared, misdeclared=misdeclared,
                                     today=today, future=future))
        problems.extend(follow_cycles(checks))
        return problems

    def _check_file(self, report_id: str) -> tuple[list[Problem], list[tuple[str, str]], list | None]:
        """One report file read for `check`: its problems, its recommendations' kinds and its
        checks (None when it cannot be read); its index shard refreshed."""
        from track.store import cache
        from track.store.checks import report_checks

        path = disk.report_path(self.root, report_id)
        built = cache.now_ns()
        try:
            st: os.stat_result | None = os.stat(path)
        except OSError:
            st = None
        report, blocking, unknown, raw = disk.read_report_raw(self.root, report_id)
        if report is None or raw is None:
            return [*blocking, *unknown], [], None
        if st is not None and self.use_cache:
            cache.write_shard(self.root, report, st, built, raw, unknown)
        return ([*blocking, *unknown], [(rec.id, rec.kind) for rec in report.recommendations],
                report_checks(report, raw.decode("utf-8")))


class _Names:
    """Every field name: when track.toml's `fields` is not a table, no declaration stands."""

    def __contains__(self, name: object) -> bool:
        return True


_EVERY_NAME = _Names()


def _case_clashes(report_ids: list[str]) -> list[Problem]:
    """Report ids that differ only in case: one file on a case-insensitive disk."""
    by_case: dict[str, list[str]] = {}
    for report_id in report_ids:
        by_case.setdefault(report_id.lower(), []).append(report_id)
    out = []
    for same in (ids for ids in by_case.values() if len(ids) > 1):
        for report_id in same:
            others = ", ".join(repr(o) for o in same if o != report_id)
            out.append(Problem(f"{layout.REPORTS}/{report_id}.toml", None, None,
                               f"report id {report_id!r} differs from {others} only in case: on a "
                               "case-insensitive disk they are one file; rename one"))
    return out


SUGGEST = 3  # the most ids a "did you mean" names

# Characters typed for one another: O for 0, l and I for 1 (R1O is R10). Compared with case
# folded and these made one, a near miss reads as the id it was meant to be.
_LOOKALIKE = str.maketrans({"o": "0", "l": "1", "i": "1"})


def _close(text: str, candidates: list[str]) -> list[str]:
    """The candidates nearest to `text`, case and look-alike characters aside: those the same
    that way, else those of difflib's best ratio (0.6 at least; ties in natural order), at most
    SUGGEST."""
    import difflib

    from track.domain.query import natural

    key = text.casefold().translate(_LOOKALIKE)
    keyed: dict[str, list[str]] = {}
    for c in candidates:
        keyed.setdefault(c.casefold().translate(_LOOKALIKE), []).append(c)
    if key in keyed:
        return sorted(keyed[key], key=natural)[:SUGGEST]
    near = difflib.get_close_matches(key, keyed, n=10, cutoff=0.6)  # ties beyond the third are cut after ordering
    if not near:
        return []
    matcher = difflib.SequenceMatcher(b=key)
    ratios = []
    for k in near:
        matcher.set_seq1(k)
        ratios.append(matcher.ratio())
    best = [k for k, r in zip(near, ratios) if r == ratios[0]]
    return sorted((c for k in best for c in keyed[k]), key=natural)[:SUGGEST]


def _either(ids: list[str]) -> str:
    """a, b or c."""
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} or {ids[-1]}"


def _some(ids: Iterable[str], most: int = 10) -> str:
    ids = sorted(ids)
    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(ids[:most]) + more
