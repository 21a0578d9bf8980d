"""track: a ledger of inspectorates' recommendations and what became of each one."""

from __future__ import annotations

TYPE_CHECKING = False

__version__ = "0.1.0"
__all__ = ["Ledger", "TrackError", "__version__"]

if TYPE_CHECKING:
    from track.domain.errors import TrackError
    from track.ledger import Ledger


def __getattr__(name: str):  # noqa: ANN202 - keeps `import track` cheap for the command line
    if name == "Ledger":
        from track.ledger import Ledger

        return Ledger
    if name == "TrackError":
        from track.domain.errors import TrackError

        return TrackError
    raise AttributeError(name)
