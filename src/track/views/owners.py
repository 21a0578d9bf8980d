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
OWNER_FIELDS = ["owner", "email", "aliases", "open", "overdue", "due_soon", "total"]


def show(owners: list[OwnerCounts], fmt: str, out: TextIO | None = None) -> None:
    """Every owner: JSON and CSV carry the fields as the JSON documents them (owner null, or
    an empty cell, for the recommendations that name nobody); the tables name them "(no owner)"."""
    rows: list[dict[str, Any]] = [o.to_dict() for o in owners]
    if fmt in ("json", "csv"):
        formats.table(OWNER_COLUMNS, rows, fmt, fields=OWNER_FIELDS, out=out)
        return
    shown = [dict(r, owner=NO_OWNER if r["owner"] is None else r["owner"], aliases=", ".join(r["aliases"]),
                  open=str(r["open"]), overdue=str(r["overdue"]), due_soon=str(r["due_soon"]), total=str(r["total"]))
             for r in rows]
    styles = ["red" if o.overdue else None for o in owners]
    formats.table(OWNER_COLUMNS, shown, fmt, styles=styles, out=out)
