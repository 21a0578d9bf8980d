"""How `track owners` looks: one row per owner, with their address and counts, in every format
(formats.table decides each)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from track.domain.owners import OwnerCounts

from track.views import formats
from track.views.formats import Column

NO_OWNER = "(no owner)"
OWNER_COLUMNS = [Column("owner", "OWNER", wide=True), Column("email", "EMAIL", stack=1),
                 Column("open", "OPEN", right=True, plain=True), Column("overdue", "OVERDUE", right=True, plain=True),
                 Column("due_soon", "DUE SOON", right=True, plain=True), Column("total", "TOTAL", right=True, plain=True),
                 Column("aliases", "ALIASES", stack=2)]
# Shown in the tables only when some owner leads an open action: a ledger without plans looks as before.
# ACTIONS: the open actions they lead, and how many of those are overdue ("3, 1 overdue").
ACTION_COLUMNS = [Column("actions", "ACTIONS", right=True, plain=True)]
OWNER_FIELDS = ["owner", "email", "aliases", "open", "overdue", "due_soon", "total", "actions_open", "actions_overdue",
                "actions_due_soon"]


def show(owners: list[OwnerCounts], fmt: str, out: TextIO | None = None) -> None:
    """Every owner: JSON and CSV carry the fields as the JSON documents them (owner null, or
    an empty cell, for the recommendations that name nobody); the tables name them "(no owner)"."""
    rows: list[dict[str, Any]] = [o.to_dict() for o in owners]
    if fmt in ("json", "csv"):
        formats.table(OWNER_COLUMNS, rows, fmt, fields=OWNER_FIELDS, out=out)
        return
    columns = OWNER_COLUMNS
    if any(o.actions_open for o in owners):
        columns = [*OWNER_COLUMNS[:-1], *ACTION_COLUMNS, OWNER_COLUMNS[-1]]
    shown = [{**{k: str(v) for k, v in r.items()}, "owner": NO_OWNER if r["owner"] is None else r["owner"],
              "email": r["email"], "aliases": ", ".join(r["aliases"]),
              "actions": _actions_cell(r["actions_open"], r["actions_overdue"])} for r in rows]
    styles = ["red" if o.overdue or o.actions_overdue else None for o in owners]
    formats.table(columns, shown, fmt, styles=styles, out=out)


def _actions_cell(open_: int, overdue: int) -> str:
    return f"{open_}, {overdue} overdue" if overdue else str(open_)
