"""The library: open a ledger, read it, resolve ids, and change it under the rules.

    from track import Ledger
    ledger = Ledger.find("data/met-police")
    for rec in ledger.recommendations():
        print(rec.id, ledger.state(rec).status)
"""

from track.ledger.changes import Ledger

__all__ = ["Ledger"]
