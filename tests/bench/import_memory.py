"""Time and peak memory of `track import` of a large CSV, as whole processes.

    python tests/bench/import_memory.py [--sizes 100000,200000,500000,1000000] [--work DIR]

It generates a ledger through the library (generate.py: about 20 recommendations per report,
3 to 4 events each; about 3.55 CSV rows per recommendation), exports it with
`track export --format csv`, and takes the first N rows of that file for each size (the
generated texts hold no line break, so a row is a line). For each size it imports the rows
into an empty ledger (`--create-reports`), then imports them again into that ledger, which
then holds every report (nothing is added), and prints the wall time, the seconds per
100,000 rows, the CPU time (user and system: what the process itself took, less swayed by
other work on a shared machine than the wall time) and the peak memory (the process's
maximum RSS, from wait4).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ROWS_PER_RECOMMENDATION = 3.4  # a little under the 3.55 generate.py makes, so that the export has enough rows


def track_exe() -> list[str]:
    beside = Path(sys.executable).with_name("track")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "track"]


def env_for(ledger: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env["TRACK_LEDGER"] = str(ledger)
    env["TRACK_USER"] = "bench"
    return env


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit status) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        print(f"# {' '.join(args[-3:])}: exit {proc.returncode}: {err.strip()[:400]}", file=sys.stderr)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def source_csv(work: Path, rows: int) -> Path:
    """An export of a generated ledger with at least `rows` rows (made once, kept in `work`)."""
    from generate import build

    recs = int(rows / ROWS_PER_RECOMMENDATION) + 1
    csv_path = work / f"export-{recs}.csv"
    if csv_path.exists():
        return csv_path
    ledger = work / f"source-{recs}"
    shutil.rmtree(ledger, ignore_errors=True)
    t0 = time.perf_counter()
    build(recs, ledger)
    with open(csv_path, "wb") as out:
        subprocess.run([*track_exe(), "export", "--format", "csv"], env=env_for(ledger), stdout=out, check=True)
    print(f"# generated {recs:,} recommendations and exported them in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    shutil.rmtree(ledger, ignore_errors=True)
    return csv_path


def first_rows(source: Path, rows: int, dest: Path) -> None:
    with open(source, "rb") as src, open(dest, "wb") as out:
        for n, line in enumerate(src):
            if n > rows:
                break
            out.write(line)
        else:
            raise SystemExit(f"{source} has only {n:,} rows; {rows:,} asked")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,200000,500000,1000000")
    parser.add_argument("--work", help="a folder to keep the generated export in (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="track-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = source_csv(work, max(sizes))
    exe = track_exe()
    print(f"{'rows':>10}  {'into':<22} {'seconds':>8} {'s/100k':>7} {'CPU s':>7} {'CPU/100k':>8} {'peak MB':>8}")
    print("-" * 76)
    for size in sizes:
        csv_path = work / f"rows-{size}.csv"
        first_rows(source, size, csv_path)
        ledger = work / f"ledger-{size}"
        shutil.rmtree(ledger, ignore_errors=True)
        subprocess.run([*exe, "init", str(ledger)], check=True, stdout=subprocess.DEVNULL)
        env = env_for(ledger)
        for into, extra in (("an empty ledger", ["--create-reports"]), ("a ledger holding them", ["--create-reports"])):
            seconds, cpu, peak, code = measured([*exe, "import", str(csv_path), *extra], env)
            failed = "" if code == 0 else "  FAILED"
            print(f"{size:>10,}  {into:<22} {seconds:>8.1f} {seconds / size * 100_000:>7.2f} {cpu:>7.1f} "
                  f"{cpu / size * 100_000:>8.2f} {peak:>8.0f}{failed}", flush=True)
        shutil.rmtree(ledger, ignore_errors=True)
        csv_path.unlink()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
