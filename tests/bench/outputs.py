"""Time every output of the whole-ledger commands on one generated ledger, as whole processes.

    python tests/bench/outputs.py [--size 100000] [--runs 5] [--ledger DIR]

run.py times the commands the speed goals name, beside Taskwarrior; this times the other
formats (list, history, export, report and remind as JSON, CSV, markdown, HTML and on a
terminal), which have no Taskwarrior counterpart. With --ledger DIR it uses (or first
generates) the ledger there. It prints the median, best and worst wall time and the peak
memory (max RSS) of each, after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import build  # noqa: E402
from run import machine_speed, run, speed_note, track_env, track_exe  # noqa: E402

COMMANDS = [
    "list", "list (terminal)", "list --format json", "list --format csv", "list --format markdown",
    "history", "history (terminal)", "history --format json", "history --format csv", "history --format markdown",
    "history --format html", "history --since 2020-01-01",
    "export", "export --format csv",
    "report", "report --format html", "report --format json",
    "remind", "remind --format json", "remind --format markdown",
    "check", "reports list",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="recommendations in the generated ledger")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (after one warm-up)")
    parser.add_argument("--ledger", metavar="DIR", help="the ledger to use (generated there if it is missing)")
    args = parser.parse_args()
    run([sys.executable, "-c", "pass"], dict(os.environ))  # start the launcher while this process is small
    with tempfile.TemporaryDirectory(prefix="track-outputs-") as temp:
        ledger = Path(args.ledger) if args.ledger else Path(temp) / "ledger"
        if not (ledger / "track.toml").exists():
            build(args.size, ledger)
        env = track_env(ledger)
        before = machine_speed()
        lines = []
        for command in COMMANDS:
            argv = track_exe() + command.replace("(terminal)", "").split()
            cenv = dict(env, TTY_COMPATIBLE="1", COLUMNS="120") if "(terminal)" in command else env
            run(argv, cenv)
            times, peaks = zip(*(run(argv, cenv) for _ in range(args.runs)))
            lines.append(f"{command:<30}  {statistics.median(times):6.2f}  {min(times):6.2f}  {max(times):6.2f}  {max(peaks):7.0f}")
            print(lines[-1], file=sys.stderr, flush=True)
        print(f"# {ledger}, medians of {args.runs} runs after a warm-up")
        print(speed_note(before, machine_speed()))
        print(f"{'command':<30}  {'median':>6}  {'best':>6}  {'worst':>6}  {'peak MB':>7}")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
