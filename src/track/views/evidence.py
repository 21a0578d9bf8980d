"""The one line that says the newest evidence in scope is old, as every report, list and
reminder says it: "latest evidence 2019-06-01 (2,744 days ago)"."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import TextIO

    from track.domain.dates import Duration

from track.views import formats


def latest_evidence(latest: date | None, as_of: date, after: Duration) -> str:
    """"latest evidence DATE (N days ago)" when the newest event in scope (`latest`) is more than
    `after` before `as_of` ([report] evidence_after in track.toml, else 90 days); "" when it
    is newer, or when there is none."""
    if latest is None or latest >= after.before(as_of):
        return ""
    return f"latest evidence {latest} ({(as_of - latest).days:,} days ago)"


def footer(latest: date | None, as_of: date, after: Duration, fmt: str, out: TextIO | None = None) -> None:
    """latest_evidence as a line of its own below a table (plain, table, markdown), when it says anything."""
    line = latest_evidence(latest, as_of, after)
    if line and fmt in ("plain", "table", "markdown"):
        formats.write(f"\n{line}\n", out)
