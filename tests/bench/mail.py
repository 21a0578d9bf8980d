"""Time `track remind --mail` on a generated ledger of 50 owners, as whole processes: written
as .eml files (--mail-to-dir), and handed to a sendmail that only reads each message
($TRACK_SENDMAIL=/bin/cat-like: the MTA's own time left out, as the goal asks), plus the whole
`remind` and `remind --owner` for comparison.

    python tests/bench/mail.py [--size 10000] [--owners 50] [--runs 5] [--ledger DIR]

The goal (issue 19): 10,000 recommendations and 50 owners mail in under 2 s plus the MTA's
time. generate.py gives its recommendations one of 8 owners; here they are given one of
`--owners` (45 of them with an address in track.toml, 5 without: named in the digest).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate
from run import machine_speed, run, speed_note, track_env, track_exe

GOAL = 2.0  # seconds, at 10,000 recommendations and 50 owners
TODAY = "2019-06-30"  # most of the generated ledger open, a good part overdue


def owners(n: int) -> list[str]:
    return [f"Owner {i:02d} of the force" for i in range(1, n + 1)]


def make(ledger: Path, size: int, count: int) -> None:
    names = owners(count)
    generate.OWNERS[:] = names  # build() draws each recommendation's owner from this list
    generate.build(size, ledger)
    text = (ledger / "track.toml").read_text("utf-8")
    text = text.replace("[remind]\n", '[remind]\nkeeper = "keeper@example.org"\nfrom = "track@example.org"\n', 1)
    text += "\n" + tomli_w.dumps({"owners": {name: {"email": f"owner{i:02d}@example.org"}
                                            for i, name in enumerate(names[:-5], 1)}})
    (ledger / "track.toml").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="recommendations in the generated ledger")
    parser.add_argument("--owners", type=int, default=50, help="owners the recommendations are shared among")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case")
    parser.add_argument("--ledger", metavar="DIR", help="the ledger to use (generated there if it is missing)")
    args = parser.parse_args()
    run([sys.executable, "-c", "pass"], dict(os.environ))  # start the launcher while this process is small
    with tempfile.TemporaryDirectory(prefix="track-mail-") as temp:
        ledger = Path(args.ledger) if args.ledger else Path(temp) / "ledger"
        if not (ledger / "track.toml").exists():
            make(ledger, args.size, args.owners)
        sink = Path(temp) / "sink.py"
        sink.write_text("import sys; sys.stdin.buffer.read()\n")
        env = dict(track_env(ledger), TRACK_TODAY=TODAY)
        exe = track_exe()
        out = Path(temp) / "mail"
        run(exe + ["check"], track_env(ledger))  # the index, built once (on the real day: the generated events run to 2024)
        before = machine_speed()
        print(f"{'case':<46}  median    best   worst  peak MB", file=sys.stderr)

        def case(name: str, argv: list[str], case_env: dict[str, str] = env) -> None:
            times, peaks = [], []
            run(argv, case_env)  # warm
            for _ in range(args.runs):
                if "--mail-to-dir" in argv:
                    shutil.rmtree(out, ignore_errors=True)
                seconds, peak = run(argv, case_env)
                times.append(seconds)
                peaks.append(peak)
            mark = "" if not name.startswith("remind --mail") else ("  ok" if statistics.median(times) < GOAL else "  OVER GOAL")
            print(f"{name:<46}  {statistics.median(times):6.2f}  {min(times):6.2f}  {max(times):6.2f}  {max(peaks):7.0f}{mark}",
                  file=sys.stderr, flush=True)

        case("remind (plain, the whole)", exe + ["remind", "--format", "plain"])
        case("remind --owner NAME", exe + ["remind", "--owner", owners(args.owners)[0]])
        case("owners", exe + ["owners", "--format", "plain"])
        case("remind --mail --mail-to-dir DIR", exe + ["remind", "--mail", "--mail-to-dir", str(out)])
        sendmail_env = dict(env, TRACK_SENDMAIL=f"{sys.executable} {sink}")
        case("remind --mail (sendmail: a Python that reads)", exe + ["remind", "--mail"], sendmail_env)
        sendmail_env = dict(env, TRACK_SENDMAIL="/bin/true")
        case("remind --mail (sendmail: /bin/true)", exe + ["remind", "--mail"], sendmail_env)
        files = sorted(os.listdir(out)) if out.exists() else []
        print(f"# {args.size} recommendations, {args.owners} owners, today {TODAY}: "
              f"{len(files)} messages written by --mail-to-dir", file=sys.stderr)
        print(speed_note(before, machine_speed()), file=sys.stderr)


if __name__ == "__main__":
    main()
