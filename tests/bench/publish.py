"""Time `track publish` on a generated ledger, as whole processes: into an empty folder, again
with nothing changed, and after a change to one report; with the ledger's index and without.

    python tests/bench/publish.py [--size 10000] [--runs 3] [--ledger DIR]

The goal (issue 20): 10,000 recommendations publish in under 10 s. For each case it prints the
median, best and worst wall time, the peak memory (max RSS), and what the run wrote; then the
register's files and bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import build  # noqa: E402
from run import machine_speed, run, speed_note, track_env, track_exe  # noqa: E402

GOAL = 10.0  # seconds, at 10,000 recommendations


def said(argv: list[str], env: dict[str, str]) -> str:
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="recommendations in the generated ledger")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case")
    parser.add_argument("--ledger", metavar="DIR", help="the ledger to use (generated there if it is missing)")
    args = parser.parse_args()
    run([sys.executable, "-c", "pass"], dict(os.environ))  # start the launcher while this process is small
    with tempfile.TemporaryDirectory(prefix="track-publish-") as temp:
        ledger = Path(args.ledger) if args.ledger else Path(temp) / "ledger"
        if not (ledger / "track.toml").exists():
            build(args.size, ledger)
        env = dict(track_env(ledger), TRACK_TODAY="2026-12-05")
        exe = track_exe()
        site = Path(temp) / "site"
        report = min(p.name[:-5] for p in (ledger / "reports").glob("*.toml"))
        rec = f"{report}/R3"
        publish = exe + ["publish", str(site)]
        run(exe + ["check"], env)  # the index, built once
        before = machine_speed()
        rows = []

        def case(name: str, prepare: object = None, case_env: dict[str, str] = env) -> None:
            times, peaks, outputs = [], [], []
            for n in range(args.runs):
                if callable(prepare):
                    prepare(n)
                seconds, peak = run(publish, case_env)
                times.append(seconds)
                peaks.append(peak)
            outputs.append(said(publish, case_env))  # what a run after these says (nothing to write, by then)
            rows.append(f"{name:<38}  {statistics.median(times):6.2f}  {min(times):6.2f}  {max(times):6.2f}  {max(peaks):7.0f}")
            print(rows[-1], file=sys.stderr, flush=True)

        def empty(n: int) -> None:
            shutil.rmtree(site, ignore_errors=True)

        def one_report(n: int) -> None:
            run(exe + ["update", rec, "--note", f"bench note {n}", "--date", "2026-12-01"], env)

        def no_index(n: int) -> None:
            shutil.rmtree(ledger / ".track" / "cache", ignore_errors=True)

        case("publish into an empty folder", empty)
        case("publish again, nothing changed")
        case("publish after one report changed", one_report)
        case("publish again, index deleted", no_index)
        case("publish into an empty folder, no index", lambda n: (empty(n), no_index(n)))
        run(exe + ["update", rec, "--note", "one more", "--date", "2026-12-02"], env)
        changed = said(publish, env)
        files = [p for p in site.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        pages = sum(1 for p in files if p.suffix == ".html")
        print(f"# {ledger}: {args.size:,} recommendations, medians of {args.runs} runs; goal {GOAL:.0f} s at 10,000")
        print(speed_note(before, machine_speed()))
        print(f"{'case':<38}  {'median':>6}  {'best':>6}  {'worst':>6}  {'peak MB':>7}")
        print("\n".join(rows))
        print(f"# the register: {len(files):,} files ({pages:,} pages), {size / 1e6:.1f} MB; "
              f"data/ {sum(p.stat().st_size for p in (site / 'data').iterdir()) / 1e6:.1f} MB")
        print(f"# after one report changed: {changed}")


if __name__ == "__main__":
    main()
