"""The names of a ledger folder's parts.

    ledger/track.toml            settings
    ledger/reports/ID.toml       one report, its recommendations and their events
    ledger/.track/               what track keeps for itself (lock, journal, index); never in git
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SETTINGS = "track.toml"
REPORTS = "reports"
PRIVATE = ".track"
SCHEMA = 1
DEFAULT_SETTINGS: dict[str, Any] = {"remind": {"within": "14 days", "stale": "90 days"}}
