"""Make a synthetic ledger of N recommendations through the library, for the benchmark.

About 20 recommendations per report, 3 to 4 events each, text of realistic length; a few
subjects and bodies, as a national register would hold. Deterministic for a given N.

    python tests/bench/generate.py 10000 /tmp/ledger-10k
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from track import Ledger
from track.domain.model import Event, Recommendation, Report
from track.store import disk, layout, reportfile

FORCES = ["Metropolitan Police Service", "Greater Manchester Police", "West Midlands Police", "Thames Valley Police",
          "Kent Police", "Avon and Somerset Constabulary", "Merseyside Police", "Northumbria Police"]
BODIES = ["HMICFRS", "IOPC", "Coroner", "HMIC"]
OWNERS = ["AC Specialist Crime", "DCC", "Head of Professional Standards", "Chief Superintendent, Public Protection",
          "Director of Strategy", "Head of Training", "CIO", "Borough Commander"]
TAGS = ["leadership", "training", "missing-children", "vetting", "counter-corruption", "partnership", "it",
        "investigations", "online-abuse", "supervision"]
WORDS = ("the force should ensure that officers and staff understand review improve establish clear "
         "processes for identifying assessing managing risk to children vulnerable people supervision "
         "of investigations timely referrals partners information sharing training records quality "
         "assurance leadership oversight capacity backlog specialist teams national policy vetting").split()
STATUS_PATH = ["in-progress", "partially-implemented", "reported-complete", "implemented"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words)).capitalize() + "."


def build(n: int, root: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if not (root / layout.SETTINGS).exists():
        Ledger.init(root, name=f"bench-{n}")
    per_report = 20
    start = date(2012, 1, 1)
    made = 0
    number = 0
    while made < n:
        number += 1
        published = start + timedelta(days=rng.randint(0, 4000))
        report = Report(
            id=f"r{number:05d}",
            title=f"Inspection {number}: {sentence(rng, 4, 9)}",
            by=rng.choice(BODIES),
            subject=rng.choice(FORCES),
            published=published,
            kind="inspection",
            response_within=None,
        )
        for i in range(min(per_report, n - made)):
            rec = Recommendation(
                report=report.id, ref=f"R{i + 1}", text=sentence(rng, 25, 60),
                owner=rng.choice(OWNERS), tags=rng.sample(TAGS, 2),
                due=published + timedelta(days=rng.randint(90, 720)), entered=date(2026, 1, 1),
                priority=rng.choice(["high", "medium", "low"]),
            )
            day = published + timedelta(days=rng.randint(5, 50))
            rec.events.append(Event(date=day, response="accepted", note=sentence(rng, 8, 20), source="force update"))
            for status in STATUS_PATH[: rng.randint(2, 3)]:
                day += timedelta(days=rng.randint(30, 200))
                rec.events.append(Event(date=day, status=status, note=sentence(rng, 10, 30), source=f"follow-up {rng.randint(1, 4)}"))
            report.recommendations.append(rec)
            made += 1
        disk.atomic_write(disk.report_path(root, report.id), reportfile.dumps_report(report))
    return root


if __name__ == "__main__":
    build(int(sys.argv[1]), Path(sys.argv[2]))
