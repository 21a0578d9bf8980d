"""The library: open a ledger, read it, resolve ids, and change it under the rules.

    from track import Ledger
    ledger = Ledger.find("data/met-police")
    for rec in ledger.recommendations():
        print(rec.id, ledger.state(rec).status)

Every change takes the ledger's lock, re-reads the files, checks the rules, and writes only
the report file it changed, atomically. A change that breaks a rule raises and writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.store import journal
from track.domain import model
from track.store import disk
from track.store import layout
from track.store import reportfile
from track.domain.dates import Duration, parse_date, parse_duration
from track.domain.errors import AmbiguousId, BadValue, InvalidLedger, Refused, TrackError, UnknownId
from track.domain.model import Event, Followup, Recommendation, Report, State, state_at
from track.store.reportfile import Problem

MAX_TEXT = 20_000


def clean_text(value: str | None, what: str, *, required: bool = False, single_line: bool = False) -> str | None:
    """Refuse control characters (tab and newline apart) and absurd lengths in what a person typed."""
    if value is None:
        if required:
            raise BadValue(f"{what} is required")
        return None
    if required and not value.strip():
        raise BadValue(f"{what} is empty")
    match = model.CONTROL.search(value)
    if match or (single_line and "\n" in value):
        char = match.group() if match else "\n"
        raise BadValue(f"{what} holds a control character ({char!r}): remove it")
    if len(value) > MAX_TEXT:
        raise BadValue(f"{what} is {len(value):,} characters long; the most is {MAX_TEXT:,}")
    return value


def _figure(name: str, value: int | float) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
        raise BadValue(f"figure {name!r} = {value!r} is not a number")
    return value


def _choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    if value is None:
        return None
    normal = value.strip().lower().replace(" ", "-").replace("_", "-")
    if normal not in choices:
        raise BadValue(f"unknown {what} {value!r}: use one of {', '.join(choices)}")
    return normal


class Reports(MutableMapping[str, Report]):
    """The ledger's reports by id, in id order. The ids come from the folder's listing; a
    report is read (from the index or its file) when first asked for, and all of them at once,
    in parallel where that helps, when iterated over by value."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        ledger._bytes = {}  # what full() read belongs to the mapping it read it for
        self._ids = disk.report_ids(ledger.root)
        self._loaded: dict[str, Report] = {}

    def __getitem__(self, report_id: str) -> Report:
        report = self._loaded.get(report_id)
        if report is None:
            if report_id not in self._ids:
                raise KeyError(report_id)
            report = self._loaded[report_id] = self._ledger._load_one(report_id)
        return report

    def __setitem__(self, report_id: str, report: Report) -> None:
        if report_id not in self._ids:
            self._ids = sorted([*self._ids, report_id])
        self._loaded[report_id] = report

    def __delitem__(self, report_id: str) -> None:
        self._ids.remove(report_id)
        self._loaded.pop(report_id, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._ids

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


class Ledger:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if self.use_cache:
            from track.store import cache

            self.settings = cache.load_settings(self.root)
        else:
            self.settings = disk.load_settings(self.root)
        disk.tidy(self.root)  # temp files a killed writer left, when no writer is at work
        self._reports: Reports | None = None
        self._index: dict[str, Recommendation] | None = None
        self._bytes: dict[str, bytes] = {}
        self.describe: str | None = None  # what the change being made is, for the undo journal
        self._seen: dict[str, tuple] = {}  # report files seen to read cleanly in this process

    # ----------------------------------------------------------------- opening

    @classmethod
    def find(cls, explicit: str | os.PathLike[str] | None = None) -> Ledger:
        return cls(disk.find_ledger(explicit))

    @classmethod
    def init(cls, path: str | os.PathLike[str], name: str | None = None, *, git: bool = False) -> Ledger:
        """Create a ledger. With git, track.toml asks for a commit after each change
        ([git] commit = true); gitstore.set_up(root) makes the repository and merge set-up."""
        import tomli_w

        root = Path(path)
        name = clean_text(name, "--name", single_line=True)
        if (root / layout.SETTINGS).exists():
            raise Refused(f"{root}: already a ledger ({layout.SETTINGS} exists)")
        try:
            (root / layout.REPORTS).mkdir(parents=True, exist_ok=True)
            (root / layout.PRIVATE).mkdir(exist_ok=True)
            settings = {"name": name or root.resolve().name, "schema": layout.SCHEMA, **layout.DEFAULT_SETTINGS}
            if git:
                settings["git"] = {"commit": True}
            disk.atomic_write(root / layout.SETTINGS, tomli_w.dumps(settings))
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
    def lock_timeout(self) -> float:
        value = self.settings.get("lock_timeout", 10)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 10.0

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
        raise UnknownId(f"unknown recommendation {text!r}")

    def followups(self, report: Report) -> list[Report]:
        """Reports whose `follows` names this one, in publication order."""
        return sorted((r for r in self.reports.values() if report.id in r.follows), key=lambda r: (r.published, r.id))

    # ----------------------------------------------------------------- changing

    @contextmanager
    def _changing(self, what: str, progress: Callable[[int, int], None] | None = None) -> Iterator[set[str]]:
        """Lock, re-read every file, let the caller change reports, write the ones it names;
        then, when track.toml says [git] commit = true, commit those files (still holding the
        lock, so that the commit holds this change and no other). `progress(done, total)` is
        told of each report rendered and read back."""
        self.describe = None
        self.commit_message: str | None = None  # for git: what changed, in words; else describe
        with disk.locked(self.root, self.lock_timeout, what):
            disk.clean_temps(self.root)
            self._reports = None
            self._index = None
            self._ensure_readable()
            dirty: set[str] = set()
            try:
                yield dirty
            except BaseException:
                self._reports = None  # the in-memory copy may hold a half-made change
                raise
            writes: dict[str, tuple[Path, bytes | None, bytes]] = {}
            for done, report_id in enumerate(sorted(dirty)):
                if progress is not None:
                    progress(done, len(dirty))
                report = self.reports[report_id]
                if any(isinstance(r, model.Entry) for r in report.recommendations):
                    raise TrackError(f"{report_id}: internal error: a change was made to the index, not the file; nothing was written")
                text = reportfile.dumps_report(report)
                self._verify(report, text)
                old = self._bytes.get(report_id)
                if text.encode("utf-8") != old:
                    writes[f"{layout.REPORTS}/{report_id}.toml"] = (disk.report_path(self.root, report_id), old, text.encode("utf-8"))
            if progress is not None and dirty:
                progress(len(dirty), len(dirty))
            if not writes:
                return
            for path, old, _new in writes.values():
                disk.check_unchanged(path, old)
            (self.root / layout.REPORTS).mkdir(exist_ok=True)
            message = self.commit_message or self.describe or what
            journal.commit(self.root, self.describe or what, writes, message=message)  # the journal first, then each file atomically
            for rel, (path, _old, new) in writes.items():
                self._bytes[rel[len(layout.REPORTS) + 1:-5]] = new
            if self.use_cache:
                from track.store import cache

                for rel, (path, _old, new) in writes.items():  # the change has landed: the index is best effort
                    built = cache.now_ns()
                    report_id = rel[len(layout.REPORTS) + 1:-5]
                    try:
                        st = os.stat(path)
                        notices = disk.read_report_raw(self.root, report_id)[2] if self._notices_possible(new) else []
                        cache.write_shard(self.root, self.reports[report_id], st, built, new, notices)
                        self._seen[report_id] = cache.seen(st, built, new)
                    except OSError:
                        pass
                self._remember_readable()
            git = self.settings.get("git")
            if isinstance(git, dict) and git.get("commit") is True:  # else no git at all, not even an import
                from track.store import gitstore

                gitstore.committed(self.root, sorted(writes), message)

    def _verify(self, report: Report, text: str) -> None:
        """Read the rendered text back and compare it with what was meant."""
        tomllib = reportfile.toml_reader()

        try:
            back, problems, _ = reportfile.decode_report(report.id, tomllib.loads(text), report.id, text)
        except (tomllib.TOMLDecodeError, RecursionError):
            back, problems = None, []
        # Compared value by value, type by type, with nan equal to itself (a hand-written nan
        # in an unknown key or a figure must not block every change to its report).
        if problems or back is None or not reportfile.same_document(reportfile.encode_report(back), reportfile.encode_report(report)):
            raise TrackError(f"{report.id}: the new text did not read back as written; nothing was written")

    def add_report(
        self,
        report_id: str,
        *,
        title: str,
        by: str,
        subject: str,
        published: date | str,
        kind: str = "inspection",
        follows: Iterable[str] = (),
        url: str | None = None,
        note: str | None = None,
        followup_every: str | Duration | None = None,
        followup_from: date | str | None = None,
        followup_until: date | str | None = None,
        revisit_by: str | date | None = None,
        response_within: str | Duration | None = None,
        figures: dict[str, int | float] | None = None,
        grades: dict[str, str] | None = None,
    ) -> Report:
        if not model.safe_report_id(report_id):
            raise BadValue(f"report id {report_id!r} is not a safe file name: use letters, digits, '.', '_' and '-', starting with a letter or digit")
        today = self.today()
        day = self._date(published, base=today, what="--published")
        if day > today:
            raise Refused(f"--published {day} is after today ({today})")
        with self._changing(f"reports add {report_id}") as dirty:
            if any(rid.lower() == report_id.lower() for rid in self.reports):
                raise Refused(f"report {report_id!r} already exists")
            followed = []
            for text in follows:
                target = self.report(text)
                if target.published > day:
                    raise Refused(f"{report_id} cannot follow {target.id}: that was published later ({target.published})")
                followed.append(target.id)
            followup = None
            if followup_every is not None:
                every = followup_every if isinstance(followup_every, Duration) else parse_duration(followup_every, "--followup-every")
                start = self._date(followup_from, base=day, month="start", what="--followup-from") if followup_from else None
                until = self._date(followup_until, base=day, month="end", what="--followup-until") if followup_until else None
                if start and until and until < start:
                    raise BadValue(f"--followup-until {until} is before --followup-from {start}")
                followup = Followup(every, start, until)
            elif followup_from or followup_until:
                raise BadValue("--followup-from and --followup-until need --followup-every")
            report = Report(
                id=report_id,
                title=clean_text(title, "--title", required=True, single_line=True) or "",
                by=clean_text(by, "--by", required=True, single_line=True) or "",
                subject=clean_text(subject, "--subject", required=True, single_line=True) or "",
                published=day,
                kind=_choice(kind, model.REPORT_KINDS, "report kind") or "inspection",
                url=clean_text(url, "--url", single_line=True),
                follows=followed,
                note=clean_text(note, "--note"),
                figures={clean_text(k, "figure name", required=True, single_line=True) or "": _figure(k, v) for k, v in (figures or {}).items()},
                grades={clean_text(q, "grade question", required=True, single_line=True) or "": _choice(g, model.GRADES, "grade") or "" for q, g in (grades or {}).items()},
                followup=followup,
                revisit=self._revisit(revisit_by, day),
                response_within=response_within if isinstance(response_within, Duration) or response_within is None else parse_duration(response_within, "--response-within"),
            )
            self.reports[report_id] = report
            self.describe = f"reports add {report_id}"
            self.commit_message = f"add report {report_id}"
            dirty.add(report_id)
        return report

    def _revisit(self, value: str | date | None, published: date) -> Duration | date | None:
        if value is None or isinstance(value, date):
            return value
        try:
            return parse_duration(value, "--revisit-by")
        except BadValue:
            return self._date(value, base=published, month="end", publication=published, what="--revisit-by")

    def _date(self, value: date | str, *, base: date, month: str = "refuse", publication: date | None = None, what: str) -> date:
        if isinstance(value, date):
            return value
        return parse_date(value, base=base, month=month, publication=publication, what=what)  # type: ignore[arg-type]

    def add_recommendation(
        self,
        report_text: str,
        *,
        ref: str,
        text: str,
        kind: str = "recommendation",
        answers: str | None = None,
        owner: str | None = None,
        tags: Iterable[str] = (),
        due: date | str | None = None,
        priority: str | None = None,
    ) -> Recommendation:
        if not model.SAFE_REF.match(ref or ""):
            raise BadValue(f"ref {ref!r} must be letters, digits, '.', '_' or '-' (at most 40), such as R3 or AFI2")
        kind = _choice(kind, model.KINDS, "kind") or "recommendation"
        priority = _choice(priority, model.PRIORITIES, "priority")
        clean_tags: list[str] = []
        for tag in tags:
            tag = clean_text(tag, "--tag", required=True, single_line=True) or ""
            if tag not in clean_tags:
                clean_tags.append(tag.strip())
        with self._changing(f"add {report_text} {ref}") as dirty:
            report = self.full(self.report(report_text).id)
            if report.recommendation(ref) is not None:
                raise Refused(f"{report.id}/{ref} already exists: refs are unique within a report")
            answered = None
            if answers:
                cause = self._resolve_in(report, answers)
                if cause.kind != "cause-of-concern":
                    raise Refused(f"--answers {cause.id} is a {cause.kind}, not a cause-of-concern")
                if kind == "cause-of-concern":
                    raise Refused("a cause of concern cannot answer another: --answers is for recommendations")
                answered = cause.id
            due_date = self._date(due, base=report.published, month="end", publication=report.published, what="--due") if due is not None else None
            if due_date is not None and due_date < report.published:
                raise Refused(f"--due {due_date} is before the report's publication ({report.published})")
            rec = Recommendation(
                report=report.id,
                ref=ref,
                text=clean_text(text, "--text", required=True) or "",
                kind=kind,
                answers=answered,
                owner=clean_text(owner, "--owner", required=owner is not None, single_line=True),
                tags=clean_tags,
                priority=priority,
                due=due_date,
                entered=self.today(),
            )
            report.recommendations.append(rec)
            self._index = None
            self.describe = f"add {rec.id}"
            self.commit_message = f"add {rec.ref} ({report.id})"
            dirty.add(report.id)
        return rec

    def import_rows(self, rows: list, *, name: str, report: str | None = None, create_reports: bool = False,
                    dry_run: bool = False, day_first: bool = False, progress: Any = None) -> Any:
        """Add what `rows` (importing.read_csv / read_json) hold: all of it, or nothing when any
        row is bad (importing.ImportProblems lists them). Returns the importing.Plan."""
        from track.exchange.importing import Importer, ImportProblems

        default = self.report(report).id if report else None
        reading: Callable[[int, int], None] | None = None
        writing: Callable[[int, int], None] | None = None
        if progress is not None:  # one bar: the rows, then the reports written
            reading = lambda done, total: progress(done, total + 1)  # noqa: E731
            writing = lambda done, total: progress(len(rows) + done, len(rows) + total)  # noqa: E731

        def apply() -> Any:
            importer = Importer(self, name, default_report=default, create_reports=create_reports, today=self.today(),
                                day_first=day_first)
            plan = importer.run(rows, reading)
            if importer.problems:
                raise ImportProblems(importer.problems)
            return plan

        if dry_run:
            try:
                return apply()
            finally:
                self._reports = None  # what it built in memory is not the ledger
                self._index = None
                self._bytes.clear()
        with self._changing(f"import {name}", writing) as dirty:
            plan = apply()
            self._index = None
            dirty.update(plan.dirty)
            self.describe = f"import {os.path.basename(name)}: {plan.summary()}"
        return plan

    def _resolve_in(self, report: Report, text: str) -> Recommendation:
        """A link target: a ref of the same report first, then any id of the ledger."""
        local = report.recommendation(text)
        return local if local is not None else self.resolve(text)

    def update(
        self,
        id_text: str,
        *,
        when: date | str | None = None,
        status: str | None = None,
        response: str | None = None,
        due: date | str | None = None,
        reason: str | None = None,
        owner: str | None = None,
        note: str | None = None,
        source: str | None = None,
        evidence: Iterable[str] = (),
        superseded_by: str | None = None,
        duplicate_of: str | None = None,
        related: Iterable[str] = (),
    ) -> tuple[Recommendation, Event]:
        """Append one event to a recommendation's history."""
        status = _choice(status, model.STATUSES, "status")
        response = _choice(response, model.RESPONSES, "response")
        today = self.today()
        day = self._date(when, base=today, what="--date") if when is not None else today
        if day > today:
            raise Refused(f"--date {day} is after today ({today}): record an event once it has happened")
        if reason is not None and due is None:
            raise BadValue("--reason explains a change of due date: give --due as well, or use --note")
        evidence = [clean_text(e, "--evidence", required=True, single_line=True) or "" for e in evidence]
        with self._changing(f"update {id_text}") as dirty:
            found = self.resolve(id_text)
            report = self.full(found.report)
            rec = report.recommendation(found.ref)
            assert rec is not None
            if day < report.published:
                raise Refused(f"--date {day} is before {report.id} was published ({report.published})")
            before = state_at(rec, day)
            due_date = self._date(due, base=day, month="end", publication=report.published, what="--due") if due is not None else None
            if due_date is not None and before.due is not None and due_date != before.due and not (reason and reason.strip()):
                raise Refused(f"{rec.id} is due {before.due}: changing its due date needs --reason")
            if due_date is not None and due_date < report.published:
                raise Refused(f"--due {due_date} is before the report's publication ({report.published})")
            if due_date is not None:
                # A due date set before a later event that sets another without a reason would
                # turn that later event into an unexplained change (which `check` reports).
                later = next((e for e in rec.events if e.date > day and e.due is not None), None)
                if later is not None and later.due != due_date and not (later.reason and later.reason.strip()):
                    raise Refused(f"{rec.id}: the event of {later.date} sets the due date {later.due} without a reason; "
                                  f"a due date of {due_date} on {day} would make that an unexplained change")
            if status == "awaiting-response":
                raise Refused("awaiting-response is where every recommendation starts; it ends when a response is recorded")
            links = {}
            for flag, value in (("--superseded-by", superseded_by), ("--duplicate-of", duplicate_of)):
                if value is not None:
                    target = self._resolve_in(report, value)
                    if target is rec:
                        raise Refused(f"{flag} cannot name {rec.id} itself")
                    links[flag] = target.id
            if status == "superseded" and "--superseded-by" not in links and before.superseded_by is None:
                raise Refused(f"status superseded needs --superseded-by naming the recommendation that replaces {rec.id}")
            related_ids = []
            for value in related:
                target = self._resolve_in(report, value)
                if target is rec:
                    raise Refused(f"--related cannot name {rec.id} itself")
                related_ids.append(target.id)
            event = Event(
                date=day,
                status=status,
                response=response,
                due=due_date,
                reason=clean_text(reason, "--reason") if due_date is not None else None,
                owner=clean_text(owner, "--owner", required=owner is not None, single_line=True),
                superseded_by=links.get("--superseded-by"),
                duplicate_of=links.get("--duplicate-of"),
                related=related_ids,
                note=clean_text(note, "--note"),
                source=clean_text(source, "--source", single_line=True),
                evidence=list(evidence),
            )
            if not event.changes() and not (event.note and event.note.strip()):
                raise BadValue("nothing to record: give --status, --response, --due, --owner, a link, or a --note")
            rec.add_event(event)
            self.describe = f"update {rec.id} ({day})"
            after = state_at(rec, day)
            changed = [f"{before.status} -> {after.status}"] if after.status != before.status else []
            for key in ("response", "due", "owner"):
                old, new = getattr(before, key), getattr(event, key)
                if new is not None and new != old:
                    changed.append(f"{key} {old} -> {new}" if old is not None else f"{key} {new}")
            for key in ("superseded_by", "duplicate_of"):
                if getattr(event, key) and getattr(event, key) != getattr(before, key):
                    changed.append(f"{key.replace('_', ' ')} {getattr(event, key)}")
            if event.related:
                changed.append(f"related {', '.join(event.related)}")
            self.commit_message = f"{rec.ref}: {', '.join(changed) or 'note'} ({report.id})"
            dirty.add(report.id)
        return rec, event

    def undo(self) -> str:
        """Revert the last change track made to this ledger; returns what it was."""
        done = journal.undo(self.root, self.lock_timeout)
        self._reports = None
        self._index = None
        return done

    # ----------------------------------------------------------------- checking

    @staticmethod
    def _notices_possible(raw: bytes) -> bool:
        """Whether a file track wrote can hold something `check` notes (a control character)."""
        text = raw.decode("utf-8")
        return model.CONTROL.search(text) is not None or "\\u" in text

    def check(self, progress: Callable[[int, int], None] | None = None) -> list[Problem]:
        """Every problem in every file, blocking or not; an empty list means a clean ledger.
        Files the index can vouch for are answered from it; the rest are read.
        `progress(done, total)` is called after each report file, if given (bars.bar makes one)."""
        from track.store import cache
        from track.store.checks import evaluate

        problems = list(disk.settings_problems(self.root, self.settings))
        folder = self.root / layout.REPORTS
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.name.endswith(".toml"):
                    continue
                if path.name.startswith(".") and path.name.endswith(".tmp"):
                    continue
                problems.append(Problem(f"{layout.REPORTS}/{path.name}", None, None, "not a report file (reports are ID.toml)"))
        report_ids = disk.report_ids(self.root)
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
        for items in checks:
            problems.extend(evaluate(items, readable, kinds, unreadable))
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


def _some(ids: Iterable[str], most: int = 10) -> str:
    ids = sorted(ids)
    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(ids[:most]) + more
