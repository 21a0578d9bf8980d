"""Changing a ledger under its rules: add a report or a recommendation, record an event,
change a report's details, undo. Every change takes the lock, re-reads the files, checks
the rules and writes only the report files it changed, atomically; one that breaks a rule
raises and writes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import model, values
from track.domain.dates import Duration, parse_duration
from track.domain.errors import BadValue, Refused, TrackError
from track.domain.model import Event, Followup, Recommendation, Report, State, state_at
from track.ledger.reading import Reading
from track.store import disk, journal, layout, reportfile


class Ledger(Reading):
    """A ledger: read it (see Reading) and change it."""

    commit_message: str | None = None  # for git: what the change being made changed, in words; else describe
    # ----------------------------------------------------------------- changing

    @contextmanager
    def changing(self, what: str, progress: Callable[[int, int], None] | None = None) -> Iterator[set[str]]:
        """Lock, re-read every file, let the caller change reports, write the ones it names;
        then, when track.toml says [git] commit = true, commit those files (still holding the
        lock, so that the commit holds this change and no other). `progress(done, total)` is
        told of each report rendered and read back."""
        self.describe = None
        self.commit_message: str | None = None  # for git: what changed, in words; else describe
        self.warnings: list[str] = []  # what the change would have the user know (a due date already past ...)
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
            writes = self._rendered(dirty, progress)
            if not writes:
                return
            for path, old, _new in writes.values():
                disk.check_unchanged(path, old)
            self._land(writes, what)

    def written_unlocked(self, what: str, dirty: set[str], state: Any, progress: Callable[[int, int], None] | None = None) -> bool:
        """Write reports a change made in memory without the lock (each rendered and read back
        first), taking the lock only to write: True when landed; False, with nothing written,
        when the ledger's report files are no longer as `state` (disk.reports_state, taken
        before the change read anything) says, and the change must be made again, under the
        lock (changing)."""
        writes = self._rendered(dirty, progress)
        with disk.locked(self.root, self.lock_timeout, what):
            if disk.reports_state(self.root) != state:
                return False
            disk.clean_temps(self.root)
            if writes:
                for path, old, _new in writes.values():
                    disk.check_unchanged(path, old)
                self._land(writes, what)
        return True

    @contextmanager
    def staging(self) -> Iterator[Staged]:
        """A Staged for a change too large to hold rendered (an import of a million rows): its
        report files written one by one to a private folder, removed at the end of the block."""
        stage = Staged(self)
        try:
            yield stage
        finally:
            stage.discard()

    def staged_unlocked(self, what: str, stage: Staged, state: Any, progress: Callable[[int, int], None] | None = None) -> bool:
        """written_unlocked for a Staged change: True when landed, False (nothing written) when
        the report files are no longer as `state` says, and the change must be made again."""
        with disk.locked(self.root, self.lock_timeout, what):
            if disk.reports_state(self.root) != state:
                return False
            disk.clean_temps(self.root)
            self.land_staged(what, stage, progress)
        self.index_staged(stage)
        return True

    def land_staged(self, what: str, stage: Staged, progress: Callable[[int, int], None] | None = None) -> None:
        """_land for a Staged change, holding the lock: each file checked to be as it was read,
        the undo journal first, then each file moved into place; then a git commit when
        track.toml asks for one. The index is refreshed afterwards (index_staged)."""
        files = dict(sorted(stage.files.items()))
        if not files:
            return
        for path, old, _after, _temp in files.values():
            disk.check_unchanged(path, old)
        (self.root / layout.REPORTS).mkdir(exist_ok=True)
        message = self.commit_message or self.describe or what
        journal.commit_staged(self.root, self.describe or what, files, message=message, progress=progress)
        self.discard()  # what was read before the change is not the ledger now
        git = self.settings.get("git")
        if isinstance(git, dict) and git.get("commit") is True:  # else no git at all, not even an import
            from track.store import gitstore

            gitstore.committed(self.root, sorted(files), message)

    def index_staged(self, stage: Staged) -> None:
        """Best effort, once a Staged change has landed: the index shards of the files it wrote,
        made as it rendered them (Staged.add), stamped with each file's stat now."""
        if not self.use_cache or not stage.files:
            return
        from track.store import cache

        for rel, (path, _old, _after, temp) in stage.files.items():
            report_id = rel[len(layout.REPORTS) + 1:-5]
            built = cache.now_ns()
            try:
                shard = temp.with_suffix(".shard").read_bytes()
                st = os.stat(path)
            except OSError:
                continue
            digest = cache.write_stamped(self.root, report_id, shard, st, built)
            if digest is not None:
                self._seen[report_id] = (cache.stat_key(st), built, digest)
        self._remember_readable()

    def _rendered(self, dirty: set[str], progress: Callable[[int, int], None] | None) -> dict[str, tuple[Path, bytes | None, bytes | None]]:
        """The files of the reports a change names, each rendered and read back: (path, the
        bytes it was read with, the new bytes) by its path in the ledger, for those that differ."""
        writes: dict[str, tuple[Path, bytes | None, bytes | None]] = {}
        for done, report_id in enumerate(sorted(dirty)):
            if progress is not None:
                progress(done, len(dirty))
            if report_id not in self.reports:  # removed (track remove): its file goes
                old = self._bytes.get(report_id)
                if old is not None:
                    writes[f"{layout.REPORTS}/{report_id}.toml"] = (disk.report_path(self.root, report_id), old, None)
                continue
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
        return writes

    def _land(self, writes: dict[str, tuple[Path, bytes | None, bytes | None]], what: str) -> None:
        """Write the files of a change, holding the lock: the undo journal first, then each file
        atomically; then the index and, when track.toml asks, a git commit."""
        (self.root / layout.REPORTS).mkdir(exist_ok=True)
        message = self.commit_message or self.describe or what
        journal.commit(self.root, self.describe or what, writes, message=message)  # the journal first, then each file atomically
        for rel, (path, _old, new) in writes.items():
            if new is None:
                self._bytes.pop(rel[len(layout.REPORTS) + 1:-5], None)
            else:
                self._bytes[rel[len(layout.REPORTS) + 1:-5]] = new
        if self.use_cache:
            from track.store import cache

            for rel, (path, _old, new) in writes.items():  # the change has landed: the index is best effort
                built = cache.now_ns()
                report_id = rel[len(layout.REPORTS) + 1:-5]
                if new is None:  # a removed report: its shard no longer matches any file
                    self._seen.pop(report_id, None)
                    continue
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
        response_from: str | None = None,
        figures: dict[str, int | float] | None = None,
        grades: dict[str, str] | None = None,
    ) -> Report:
        if not model.safe_report_id(report_id):
            raise BadValue(f"report id {report_id!r} is not a safe file name: use letters, digits, '.', '_' and '-', starting with a letter or digit")
        today = self.today()
        day = values.day(published, base=today, what="--published")
        if day > today:
            raise Refused(f"--published {day} is after today ({today})")
        with self.changing(f"reports add {report_id}") as dirty:
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
                start = values.day(followup_from, base=day, month="start", what="--followup-from") if followup_from else None
                until = values.day(followup_until, base=day, month="end", what="--followup-until") if followup_until else None
                if start and until and until < start:
                    raise BadValue(f"--followup-until {until} is before --followup-from {start}")
                followup = Followup(every, start, until)
            elif followup_from or followup_until:
                raise BadValue("--followup-from and --followup-until need --followup-every")
            report = Report(
                id=report_id,
                title=values.clean_text(title, "--title", required=True, single_line=True) or "",
                by=values.clean_text(by, "--by", required=True, single_line=True) or "",
                subject=values.clean_text(subject, "--subject", required=True, single_line=True) or "",
                published=day,
                kind=values.choice(kind, model.REPORT_KINDS, "report kind") or "inspection",
                url=values.clean_text(url, "--url", single_line=True),
                follows=followed,
                note=values.clean_text(note, "--note"),
                figures={values.clean_text(k, "figure name", required=True, single_line=True) or "": values.figure(k, v) for k, v in (figures or {}).items()},
                grades={values.clean_text(q, "grade question", required=True, single_line=True) or "": values.choice(g, model.GRADES, "grade") or "" for q, g in (grades or {}).items()},
                followup=followup,
                revisit=values.revisit(revisit_by, day),
                response_within=response_within if isinstance(response_within, Duration) or response_within is None else parse_duration(response_within, "--response-within"),
                response_from=values.clean_text(response_from, "--response-from", single_line=True),
                entered=today,
            )
            self.reports[report_id] = report
            self.describe = f"reports add {report_id}"
            self.commit_message = f"add report {report_id}"
            dirty.add(report_id)
        return report



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
        sets: Iterable[str] = (),
    ) -> Recommendation:
        own = self.field_values(sets)
        if not model.SAFE_REF.match(ref or ""):
            raise BadValue(f"ref {ref!r} must be letters, digits, '.', '_' or '-' (at most 40), such as R3 or AFI2")
        kind = values.choice(kind, model.KINDS, "kind") or "recommendation"
        priority = values.choice(priority, model.PRIORITIES, "priority")
        clean_tags: list[str] = []
        for tag in tags:
            tag = values.name(tag, "--tag", required=True) or ""
            if tag not in clean_tags:
                clean_tags.append(tag.strip())
        with self.changing(f"add {report_text} {ref}") as dirty:
            report = self.full(self.report(report_text).id)
            clash = next((r for r in report.recommendations if r.ref.lower() == ref.lower()), None)
            if clash is not None:  # ids are matched whatever their case: R4 and r4 could not be told apart
                raise Refused(f"{clash.id} already exists: refs are unique within a report, whatever their case")
            answered = None
            if answers:
                cause = self.resolve_in(report, answers)
                if cause.kind != "cause-of-concern":
                    raise Refused(f"--answers {cause.id} is a {cause.kind}, not a cause-of-concern")
                if kind == "cause-of-concern":
                    raise Refused("a cause of concern cannot answer another: --answers is for recommendations")
                answered = cause.id
            due_date = values.day(due, base=report.published, month="end", publication=report.published, what="--due") if due is not None else None
            if due_date is not None and due_date < report.published:
                raise Refused(f"--due {due_date} is before the report's publication ({report.published})")
            rec = Recommendation(
                report=report.id,
                ref=ref,
                text=values.clean_text(text, "--text", required=True) or "",
                kind=kind,
                answers=answered,
                owner=values.name(owner, "--owner", required=owner is not None),
                tags=clean_tags,
                priority=priority,
                due=due_date,
                entered=self.today(),
                fields=own,
            )
            report.recommendations.append(rec)
            self._index = None
            self.describe = f"add {rec.id}"
            self.commit_message = f"add {rec.ref} ({report.id})"
            dirty.add(report.id)
        return rec

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
        basis: str | None = None,
    ) -> tuple[Recommendation, Event]:
        """Append one event to a recommendation's history. A status's basis, unless given, is
        the one it had when the status stays as it was; else `claimed` for reported-complete or
        unless the source is a report of the ledger, `assessed` (the keeper's reading of that
        report) when it is; `verified` is only ever given, with a source or evidence saying who
        verified it. --basis alone restates the current status on that basis."""
        status = values.choice(status, model.STATUSES, "status")
        basis = values.choice(basis, model.BASES, "basis")
        if basis == "verified" and status == "reported-complete":
            raise BadValue("reported-complete is the addressee's own claim: once an inspectorate or auditor has verified "
                           "it, record --status implemented --basis verified")
        if basis == "verified" and not (source and source.strip()) and not list(evidence):
            raise BadValue("--basis verified needs --source (the report or body that verified it) or --evidence")
        response = values.choice(response, model.RESPONSES, "response")
        today = self.today()
        day = values.day(when, base=today, what="--date") if when is not None else today
        if day > today:
            raise Refused(f"--date {day} is after today ({today}): record an event once it has happened")
        if reason is not None and due is None:
            raise BadValue("--reason explains a change of due date: give --due as well, or use --note")
        evidence = [values.clean_text(e, "--evidence", required=True, single_line=True) or "" for e in evidence]
        with self.changing(f"update {id_text}") as dirty:
            report, rec = self.to_change(id_text)
            if day < report.published:
                raise Refused(f"--date {day} is before {report.id} was published ({report.published})")
            before = state_at(rec, day)
            due_date = values.day(due, base=day, month="end", publication=report.published, what="--due") if due is not None else None
            if due_date is not None and before.due is not None and due_date != before.due and not (reason and reason.strip()):
                raise Refused(f"{rec.id} is due {before.due}: changing its due date needs --reason")
            if due_date is not None and due_date < report.published:
                raise Refused(f"--due {due_date} is before the report's publication ({report.published})")
            if due_date is not None and due_date != before.due:
                # A due date set before a later event that sets another without a reason would
                # turn that later event into an unexplained change (which `check` reports).
                later = next((e for e in rec.events if e.date > day and e.due is not None), None)
                if later is not None and later.due != due_date and not (later.reason and later.reason.strip()):
                    raise Refused(f"{rec.id}: the event of {later.date} sets the due date {later.due} without a reason; "
                                  f"a due date of {due_date} on {day} would make that an unexplained change")
            restated = basis is not None and status is None
            if restated:  # a later verification (or reading) of the status it has
                if before.status == "awaiting-response":
                    raise BadValue("--basis says who vouches for a status: give --status as well")
                status = before.status
            if status == "awaiting-response":
                raise Refused("awaiting-response is where every recommendation starts; it ends when a response is recorded")
            links = self._links(report, rec, superseded_by, duplicate_of)
            if status == "superseded" and "--superseded-by" not in links and before.superseded_by is None:
                raise Refused(f"status superseded needs --superseded-by naming the recommendation that replaces {rec.id}")
            related_ids = self._related(report, rec, related)
            event = Event(
                date=day,
                status=status,
                response=response,
                due=due_date,
                reason=values.clean_text(reason, "--reason") if due_date is not None else None,
                owner=values.name(owner, "--owner", required=owner is not None),
                superseded_by=links.get("--superseded-by"),
                duplicate_of=links.get("--duplicate-of"),
                related=related_ids,
                note=values.clean_text(note, "--note"),
                source=values.clean_text(source, "--source", single_line=True),
                evidence=list(evidence),
                basis=basis or (None if status is None else
                                (before.basis if status == before.status and before.basis else
                                 default_basis(status, source, source is not None and source.strip() in self.reports))),
                recorded=today,
                recorded_by=self.user(),
            )
            if not event.changes() and not (event.note and event.note.strip()):
                raise BadValue("nothing to record: give --status, --response, --due, --owner, a link, or a --note")
            refuse_twice(rec.id, rec.events, event)  # the same event entered again, as it was given
            # A value equal to the one the recommendation has on the event's day is no change:
            # it is left out of the event, so that the history (and --as-of, show, the commit)
            # tells only what changed; what is left must still change something or carry a note.
            unchanged = _drop_unchanged(rec.id, event, before, basis, restated)
            what_is_new(rec.id, rec.events, event, unchanged, due_date, before.due, day, self.warnings)
            rec.add_event(event)
            self.describe = f"update {rec.id} ({day})"
            self.commit_message = f"{rec.ref}: {_changed(before, state_at(rec, day), event)} ({report.id})"
            dirty.add(report.id)
        return rec, event

    def update_report(self, report_text: str, **changes: Any) -> tuple[Report, list[str]]:
        """Change a report's details (report_details.wanted lists what can change: None leaves
        a field alone, "" clears an optional one); returns the report and a description of each
        change. Nothing is written if nothing changes."""
        from track.ledger import report_details

        wanted = report_details.wanted(**changes)
        with self.changing(f"reports update {report_text}") as dirty:
            report = self.full(self.report(report_text).id)  # a report the index served is read whole first
            done = report_details.apply(self, report, wanted)
            if done:
                dirty.add(report.id)
        return report, done

    def _links(self, report: Report, rec: Recommendation, superseded_by: str | None,
               duplicate_of: str | None) -> dict[str, str]:
        """{flag: id} of an event's --superseded-by and --duplicate-of; neither may name `rec`."""
        links = {}
        for flag, value in (("--superseded-by", superseded_by), ("--duplicate-of", duplicate_of)):
            if value is not None:
                target = self.resolve_in(report, value)
                if target is rec:
                    raise Refused(f"{flag} cannot name {rec.id} itself")
                links[flag] = target.id
        return links

    def _related(self, report: Report, rec: Recommendation, related: Iterable[str]) -> list[str]:
        """The ids of an event's --related; none may name `rec`."""
        related_ids = []
        for value in related:
            target = self.resolve_in(report, value)
            if target is rec:
                raise Refused(f"--related cannot name {rec.id} itself")
            related_ids.append(target.id)
        return related_ids

    def edit(self, id_text: str, *, reason: str, when: date | str | None = None, text: str | None = None,
             kind: str | None = None, tags: Iterable[str] = (), untags: Iterable[str] = (), priority: str | None = None,
             answers: str | None = None, ref: str | None = None, sets: Iterable[str] = (),
             unsets: Iterable[str] = ()) -> tuple[Recommendation, Event]:
        """Amend a recommendation's text, kind, tags, priority, answers link, ref or own fields
        (`sets`: NAME=VALUE; `unsets`: NAME), with a reason: an amendment event (old and new
        values), so that --as-of before it shows the old."""
        from track.ledger import amend

        return amend.edit(self, id_text, reason=reason, when=when, text=text, kind=kind, tags=tags, untags=untags,
                          priority=priority, answers=answers, ref=ref, sets=sets, unsets=unsets)

    def field_values(self, sets: Iterable[str], what: str = "--set") -> dict[str, Any]:
        """NAME=VALUE of the ledger's own fields, each typed as track.toml declares it, in the
        order declared; a field given twice is refused."""
        from track.domain import fields

        out: dict[str, Any] = {}
        for text in sets:
            name, value = fields.parse_assignment(self.fields, text, what, today=self.today())
            if name in out:
                raise BadValue(f"{what} {name} is given twice")
            out[name] = value
        return {name: out[name] for name in self.fields if name in out}

    def correct(self, id_text: str, number: int | date, *, reason: str, drop: bool = False,
                fields: dict[str, Any] | None = None) -> tuple[Recommendation, Event]:
        """Correct (or drop) event `number` of a recommendation, kept as an amendment."""
        from track.ledger import amend

        return amend.correct(self, id_text, number, reason=reason, drop=drop, fields=fields)

    def add_action(self, id_text: str, *, text: str, owner: str, due: date | str,
                   when: date | str | None = None) -> tuple[Recommendation, model.Action]:
        """Add an action (text, lead, due date) to a recommendation's plan, numbered after the
        last; `when` is the day it joined the plan (default today)."""
        from track.ledger import actions

        return actions.add(self, id_text, text=text, owner=owner, due=due, when=when)

    def action_event(self, action_id: str, **fields: Any) -> tuple[Recommendation, model.Action, model.ActionEvent]:
        """Record one event of action ID/N: done=True (done), done=False (reopened), due (with
        reason when it moves one), owner, note, source, evidence, when (default today)."""
        from track.ledger import actions

        return actions.record(self, action_id, **fields)

    def remove(self, text: str, *, reason: str, force: bool = False) -> tuple[str, list[str]]:
        """Delete a recommendation or a report entered in error (see amend.remove)."""
        from track.ledger import amend

        return amend.remove(self, text, reason=reason, force=force)

    def to_change(self, id_text: str) -> tuple[Report, Recommendation]:
        """The recommendation an id names and its report, read whole from its file (a change
        writes the file, not the index), inside `changing`."""
        found = self.resolve(id_text)
        report = self.full(found.report)
        rec = report.recommendation(found.ref)
        assert rec is not None
        return report, rec

    def user(self) -> str:
        """Who makes a change: git's user.name in a git ledger, else $TRACK_USER, else the login name."""
        found = getattr(self, "_user", None)
        if found is None:
            found = self._user = _user(self.root, self.settings)
        return found

    def undo(self) -> str:
        """Revert the last change track made to this ledger; returns what it was."""
        done = journal.undo(self.root, self.lock_timeout)
        self._reports = None
        self._index = None
        return done

    def redo(self) -> str:
        """Put back the last change undo took back (once per undo since the last change);
        returns what it was."""
        done = journal.redo(self.root, self.lock_timeout)
        self._reports = None
        self._index = None
        return done

    @staticmethod
    def _notices_possible(raw: bytes) -> bool:
        """Whether a file track wrote can hold something `check` notes (a control character)."""
        text = raw.decode("utf-8")
        return model.CONTROL.search(text) is not None or "\\u" in text


def what_is_new(name: str, events: list[Any], event: Any, unchanged: list[tuple[str, str]], due_date: date | None,
                due_before: date | None, day: date, warnings: list[str]) -> None:
    """For update and action update, once the values already in force are out of `event`
    (`unchanged`: (flag, what it restated) of each): refuse an event left with nothing to
    record, say what was left out, refuse the same event twice, and warn of a new due date
    already past on the event's day."""
    if not event.changes() and not (event.note and event.note.strip()):
        # a source or evidence alone is no event either: a --note says what they say
        raise Refused("; ".join(f"{flag}: {what}" for flag, what in unchanged) + "; nothing to record")
    warnings.extend(f"note: {flag} left out of the event: {what}" for flag, what in unchanged)
    refuse_twice(name, events, event)
    if due_date is not None and due_date < day and due_date != due_before:
        warnings.append(f"warning: the new due date {due_date} is already past on {day} (the event's date); "
                        "give --date if the event happened earlier")


def refuse_twice(name: str, events: list[Any], event: Any) -> None:
    """Refuse an event (of a recommendation or an action) recorded already, the same in date,
    fields and note."""
    same = next((e for e in events if e.date == event.date and e.same_as(event)), None)
    if same is not None:
        raise Refused(f"{name}: this event is already recorded, the same in date, fields and note "
                      f"(entered {same.recorded or 'earlier'}); nothing was written")


def _drop_unchanged(name: str, event: Event, before: State, basis: str | None, restated: bool) -> list[tuple[str, str]]:
    """Take out of `event` each value the recommendation already has on the event's day
    (`before`): a response, a due date (and its reason), an owner, a link it already has, and a
    status on the same basis (`basis` as given; `restated`: given by --basis alone) unless the
    event has a note: a status restated with a note is a source's reading of it on that day
    ("the tracker gives it as in-progress"), kept with its basis and source as the example
    ledger records HMICFRS's tracker. Returns (flag, what it restated) for each taken out."""
    day = event.date
    out: list[tuple[str, str]] = []
    noted = bool(event.note and event.note.strip())
    if event.status is not None and event.status == before.status and (basis is None or basis == before.basis) \
            and not noted:
        shown = f" ({before.basis})" if before.basis else ""
        out.append(("--basis" if restated else "--status", f"{name} is already {event.status}{shown} on {day}"))
        event.status = event.basis = None
    if event.response is not None and event.response == before.response:
        out.append(("--response", f"{event.response} is already the response to {name} on {day}"))
        event.response = None
    if event.due is not None and event.due == before.due:
        out.append(("--due", f"{name} is already due {event.due} on {day}"))
        event.due = event.reason = None
    if event.owner is not None and event.owner == before.owner:
        out.append(("--owner", f"{event.owner} is already the owner of {name} on {day}"))
        event.owner = None
    for flag, key in (("--superseded-by", "superseded_by"), ("--duplicate-of", "duplicate_of")):
        if getattr(event, key) is not None and getattr(event, key) == getattr(before, key):
            out.append((flag, f"{name} is already {key.replace('_', ' ')} {getattr(event, key)} on {day}"))
            setattr(event, key, None)
    related: list[str] = []
    for link in event.related:
        if link in before.related or link in related:
            out.append(("--related", f"{link} is already related to {name} on {day}"))
        else:
            related.append(link)
    event.related = related
    return out


class Staged:
    """The report files of a change, rendered, read back (as _rendered does) and written one
    at a time to temp files in .track/staged-PID/, for land_staged to move into place under
    the lock: none of the new texts is held in memory. `files`: {relative path: (path, the
    bytes it was read with or None, sha256 of the new bytes, the temp file)}."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.folder: Path | None = None
        self.files: dict[str, tuple[Path, bytes | None, str, Path]] = {}

    def add(self, report: Report, old: bytes | None) -> None:
        """Stage a report's new file; `old` is what its file held when read (None: a new file)."""
        text = reportfile.dumps_report(report)
        self.ledger._verify(report, text)
        data = text.encode("utf-8")
        del text
        if data == old:
            return
        if self.folder is None:
            self.folder = self._make_folder()
        temp = self.folder / f"{report.id}.toml"
        try:
            disk.write_temp(temp, data, sync=True)
        except OSError as error:
            raise TrackError(f"{temp}: cannot write: {error.strerror}; nothing was written") from None
        rel = f"{layout.REPORTS}/{report.id}.toml"
        self.files[rel] = (disk.report_path(self.ledger.root, report.id), old, journal.digest(data) or "", temp)
        if self.ledger.use_cache and not self.ledger._notices_possible(data):  # (notices: the file is read again)
            from track.store import cache

            shard = cache.staged_shard(report, data)
            if shard is not None:
                try:
                    disk.write_temp(temp.with_suffix(".shard"), shard)
                except OSError:
                    pass  # the next read indexes the file

    def _make_folder(self) -> Path:
        import re
        import shutil

        private = self.ledger.root / layout.PRIVATE
        try:
            private.mkdir(exist_ok=True)
            for name in os.listdir(private):  # those a killed import left
                found = re.fullmatch(r"staged-(\d+)", name)
                if found and (int(found.group(1)) == os.getpid() or not disk.alive(int(found.group(1)))):
                    shutil.rmtree(private / name, ignore_errors=True)
            folder = private / f"staged-{os.getpid()}"
            folder.mkdir()
        except OSError as error:
            raise TrackError(f"{private}: cannot make a folder for the new files: {error.strerror}; nothing was written") from None
        return folder

    def discard(self) -> None:
        """Remove what is still staged (all of it, unless it landed)."""
        if self.folder is not None:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def default_basis(status: str, source: str | None, a_report: bool = False) -> str:
    """Who vouches for a status when the user does not say: the addressee's own word for
    reported-complete, or with no source or one that is not a report of the ledger ("force
    update"); the ledger keeper's reading of the report named as the source."""
    return "assessed" if status != "reported-complete" and a_report and source else "claimed"


def _user(root: Path, settings: dict) -> str:
    """Git's user.name in a ledger that track commits ([git] commit = true: no git runs otherwise)."""
    from track.store import gitstore

    if gitstore.wanted(settings):
        found = gitstore.user_name(root)
        if found:
            return found
    name = os.environ.get("TRACK_USER", "").strip()
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a container without a passwd entry)
        return "unknown"


def _changed(before: State, after: State, event: Event) -> str:
    """What an event changed, in words, for its git commit: "in-progress -> implemented, due ..."."""
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
    return ", ".join(changed) or "note"
