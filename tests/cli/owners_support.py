"""A small ledger of owners for test_owners.py and test_remind_mail.py, today 2018-06-30:

    R1  Head of Training                      due 2018-06-01  overdue
    R2  Head of Training and Development      due 2018-07-05  due soon
    R3  Director of Learning (an alias of Head of Training)   due 2018-06-20  overdue
    R4  Directrice de la Sécurité, written in NFD             due 2018-06-10  overdue
    R5  Head of Estates                       due 2019-01-01  nothing to see
    R6  DCS Public Protection (no address)    due 2018-06-15  overdue
    R7  no owner                              due 2018-06-02  overdue
    R8  Head of Training                      implemented: closed

track.toml declares the first four owners' addresses, Head of Estates', the keeper and From."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import tomli_w

REPORT = "hmic-2018-training"
SECURITE = "Directrice de la Sécurité"  # NFC, as track.toml writes it
SECURITE_NFD = unicodedata.normalize("NFD", SECURITE)
OWNERS: dict[str, Any] = {
    "Head of Training": {"email": "hot@example.org", "aliases": ["Director of Learning"]},
    "Head of Training and Development": {"email": "hotd@example.org"},
    SECURITE: {"email": "dls@example.org"},
    "Head of Estates": {"email": "estates@example.org"},
}
RECS = [("R1", "Head of Training", "2018-06-01"), ("R2", "Head of Training and Development", "2018-07-05"),
        ("R3", "Director of Learning", "2018-06-20"), ("R4", SECURITE_NFD, "2018-06-10"),
        ("R5", "Head of Estates", "2019-01-01"), ("R6", "DCS Public Protection", "2018-06-15"),
        ("R7", None, "2018-06-02"), ("R8", "Head of Training", "2018-06-03")]


def build(cli: Any, root: Path, owners: dict[str, Any] | None = None, remind: dict[str, Any] | None = None) -> None:
    cli("reports", "add", REPORT, "--title", "Training inspection", "--by", "HMICFRS", "--subject", "Met",
        "--published", "2018-05-01")
    for ref, owner, due in RECS:
        cli("add", REPORT, "--ref", ref, "--text", f"Recommendation {ref} for {owner or 'nobody'}", "--due", due,
            *(["--owner", owner] if owner else []))
    cli("update", f"{REPORT}/R8", "--status", "implemented", "--date", "2018-06-02")
    settings = tomllib.loads((root / "track.toml").read_text("utf-8"))
    settings["remind"].update(remind if remind is not None else
                              {"keeper": "keeper@example.org", "from": "track@ledger.example.org"})
    settings["owners"] = OWNERS if owners is None else owners
    (root / "track.toml").write_text(tomli_w.dumps(settings), "utf-8")
