"""Owners: who must act. track.toml may declare them (`[owners."NAME"]` with an `email` and
`aliases`, so that a renamed post keeps its history); a recommendation names its owner as
text. An owner is matched exactly: a name or one of its aliases, after Unicode NFC
normalisation and casefolding, never by part of a name (`Head of Training` is not `Head of
Training and Development`). Here: the directory, each owner's counts, and each owner's part of
the reminders. Pure: no I/O, no terminal."""

from __future__ import annotations

from datetime import date
from unicodedata import normalize

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from track.domain.model import Report

from track.domain.errors import UnknownId
from track.domain.model import CLOSED
from track.domain.record import Frozen, Record
from track.domain.reminders import Hit, Reminders, ResponseDue, facts


def key(name: str) -> str:
    """The form two names are compared in: NFC, casefolded (and NFC again, as casefolding
    can undo it)."""
    return normalize("NFC", normalize("NFC", name).casefold())


class Owner(Frozen):
    """An owner declared in track.toml."""

    __slots__ = ("aliases", "email", "name")
    _fields = __slots__
    name: str
    email: str | None
    aliases: tuple[str, ...]

    def __init__(self, name: str, email: str | None = None, aliases: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "email", email)
        object.__setattr__(self, "aliases", tuple(aliases))


class Directory:
    """The owners track.toml declares, found by any of their names."""

    def __init__(self, owners: Iterable[Owner] = ()) -> None:
        self.owners = list(owners)
        self._by_key: dict[str, Owner] = {}
        for owner in self.owners:
            for name in (owner.name, *owner.aliases):
                self._by_key.setdefault(key(name), owner)
        self._seen: dict[str | None, str | None] = {None: None}

    @classmethod
    def from_settings(cls, table: Mapping[str, Any] | None) -> Directory:
        """From track.toml's [owners] table, already checked (store.disk.owners)."""
        return cls(Owner(name, fields.get("email"), tuple(fields.get("aliases", ())))
                   for name, fields in (table or {}).items())

    def declared(self, name: str) -> Owner | None:
        """The declared owner that `name` names exactly (its name or an alias), if any."""
        return self._by_key.get(key(name))

    def who(self, name: str | None) -> str | None:
        """Who a recommendation's owner text stands for: the declared owner's name, else the
        text itself (compared by its key: see `identity`). Memoised: owners repeat."""
        try:
            return self._seen[name]
        except KeyError:
            found = self._by_key.get(key(name))  # type: ignore[arg-type]
            out = self._seen[name] = found.name if found is not None else name
            return out

    def identity(self, name: str | None) -> str | None:
        """The key that tells owners apart: two texts with one identity are one owner."""
        who = self.who(name)
        return None if who is None else key(who)


# --------------------------------------------------------------------------- counts


class OwnerCounts(Record):
    """One owner's recommendations as of a date (issued by then): open (duplicates not
    counted), overdue, due soon (within the remind window) and total; and the open actions they
    lead (of open recommendations, whoever owns those), with how many are overdue and due soon,
    as remind counts them."""

    _fields = ("owner", "email", "aliases", "open", "overdue", "due_soon", "total", "actions_open", "actions_overdue",
               "actions_due_soon")

    def __init__(self, owner: str | None, email: str | None = None, aliases: tuple[str, ...] = (), open: int = 0,
                 overdue: int = 0, due_soon: int = 0, total: int = 0, actions_open: int = 0, actions_overdue: int = 0,
                 actions_due_soon: int = 0) -> None:
        self.owner = owner
        self.email = email
        self.aliases = aliases
        self.open = open
        self.overdue = overdue
        self.due_soon = due_soon
        self.total = total
        self.actions_open = actions_open
        self.actions_overdue = actions_overdue
        self.actions_due_soon = actions_due_soon

    def to_dict(self) -> dict[str, Any]:
        return {"owner": self.owner, "email": self.email, "aliases": list(self.aliases), "open": self.open,
                "overdue": self.overdue, "due_soon": self.due_soon, "total": self.total,
                "actions_open": self.actions_open, "actions_overdue": self.actions_overdue,
                "actions_due_soon": self.actions_due_soon}


def tally(reports: Mapping[str, Report], directory: Directory, as_of: date, due_by: date) -> list[OwnerCounts]:
    """Every owner (declared in track.toml, or named by a recommendation issued by `as_of`) with
    their counts, by name (ignoring case); recommendations with no owner last, as owner None,
    when there are any."""
    out: dict[str | None, OwnerCounts] = {}
    for owner in directory.owners:
        out[key(owner.name)] = OwnerCounts(owner.name, owner.email, owner.aliases)
    limit, soon = as_of.toordinal(), due_by.toordinal()

    def counts_of(owner: str | None) -> OwnerCounts:
        who = directory.who(owner)
        ident = None if who is None else key(who)
        counts = out.get(ident)
        if counts is None:
            counts = out[ident] = OwnerCounts(who)
        return counts

    for report in reports.values():
        if report.published > as_of:
            continue
        recs = report.recommendations
        for rec, (status, _response, due, owner, _last, duplicate) in zip(recs, facts(recs, limit, as_of)):
            counts = counts_of(owner)
            counts.total += 1
            if status in CLOSED or duplicate is not None:
                continue
            if rec.actions:
                _tally_actions(rec, as_of, due_by, counts_of)
            counts.open += 1
            if due is not None:
                if due < limit:
                    counts.overdue += 1
                elif due <= soon:
                    counts.due_soon += 1
    unowned = out.pop(None, None)
    rows = sorted(out.values(), key=lambda c: (key(c.owner or ""), c.owner))
    return rows + ([unowned] if unowned is not None else [])


def _tally_actions(rec: Any, as_of: date, due_by: date, counts_of: Any) -> None:
    """Count an open recommendation's open actions, each for its own lead."""
    from track.domain.actions import plan_at

    for state in plan_at(rec, as_of):
        if state.done:
            continue
        counts = counts_of(state.owner)
        counts.actions_open += 1
        if state.due is not None:
            if state.due < as_of:
                counts.actions_overdue += 1
            elif state.due <= due_by:
                counts.actions_due_soon += 1


# --------------------------------------------------------------------------- each owner's part


def find(directory: Directory, reminders_or_names: Iterable[str | None], name: str) -> str:
    """The owner `name` names exactly (declared, or as some recommendation names its owner):
    their name as the directory shows it. Unknown: an error that names the owners whose name
    contains it, since a part of a name is not enough."""
    declared = directory.declared(name)
    if declared is not None:
        return declared.name
    wanted = key(name)
    names = {directory.who(n) for n in reminders_or_names if n is not None}
    names.update(o.name for o in directory.owners)
    for n in sorted(n for n in names if n is not None):
        if key(n) == wanted:
            return n
    close = sorted((n for n in names if n is not None and wanted in key(n)), key=key)
    hint = f": did you mean {', '.join(close[:8])}?" if close else " (track owners lists them)"
    raise UnknownId(f"no owner is named {name!r} exactly{hint}")


def parts(r: Reminders, directory: Directory) -> dict[str, Reminders]:
    """Each owner's part of the reminders, by identity (Directory.identity): their overdue,
    due-soon and stale recommendations, the overdue and due-soon actions they lead, and the reports whose response clock runs while some
    of their recommendations await a response (counting only theirs). Follow-up reports that
    schedules expect are no owner's: they stay in the whole reminders alone. Owners with
    nothing to see have no part; recommendations with no owner are in no part."""
    out: dict[str, Reminders] = {}
    names: dict[str, str] = {}
    identity: dict[str | None, str | None] = {}

    def part(owner: str | None) -> Reminders | None:
        try:
            ident = identity[owner]
        except KeyError:
            ident = identity[owner] = directory.identity(owner)
        if ident is None:
            return None
        found = out.get(ident)
        if found is None:
            found = out[ident] = Reminders(r.ledger, r.as_of, r.within, r.stale_after, r.due_by)
            found.latest_evidence, found.evidence_after = r.latest_evidence, r.evidence_after  # the ledger's, said in each part
            found.owner = names[ident] = directory.who(owner)  # type: ignore[assignment]
        return found

    def split(hits: list[Hit], section: str) -> None:
        for hit in hits:
            p = part(hit[5])
            if p is not None:
                getattr(p, section).append(hit)

    split(r.overdue_hits, "overdue_hits")
    split(r.due_soon_hits, "due_soon_hits")
    split(r.stale_hits, "stale_hits")
    split(r.action_overdue_hits, "action_overdue_hits")  # under the action's lead, whoever owns the recommendation
    split(r.action_due_soon_hits, "action_due_soon_hits")
    for due in r.responses_due:
        theirs: dict[str, list[str]] = {}
        for rec_id in due.awaiting:
            p = part(r.awaiting_owners.get(rec_id))
            if p is not None:
                theirs.setdefault(identity[r.awaiting_owners.get(rec_id)], []).append(rec_id)  # type: ignore[arg-type]
        for ident, ids in theirs.items():
            out[ident].responses_due.append(ResponseDue(due.report, due.title, due.published, due.within, due.deadline,
                                                        due.days, tuple(ids), due.issued, due.response_from))
    return out


def part_of(r: Reminders, directory: Directory, owner: str) -> Reminders:
    """One owner's part (`parts`), empty when they have nothing to see."""
    found = parts(r, directory).get(key(owner))
    if found is None:
        found = Reminders(r.ledger, r.as_of, r.within, r.stale_after, r.due_by)
        found.latest_evidence, found.evidence_after = r.latest_evidence, r.evidence_after
    found.owner = owner  # type: ignore[attr-defined]
    return found


def owners_named(r: Reminders) -> list[str | None]:
    """Every owner text the reminders name (for `find`)."""
    seen = {hit[5] for hits in (r.overdue_hits, r.due_soon_hits, r.stale_hits, r.action_overdue_hits, r.action_due_soon_hits)
            for hit in hits}
    seen.update(r.awaiting_owners.values())
    return list(seen)
