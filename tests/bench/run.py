"""Benchmark track against Taskwarrior, as whole processes, on generated ledgers.

    python tests/bench/run.py [--sizes 100,1000,10000,100000] [--runs N] [--json FILE]

For each size it generates a ledger through the library (about 20 recommendations per report,
3 to 4 events each), builds the same data for Taskwarrior when `task` is installed (one task
per recommendation, events as annotations, due dates, project = report), runs every command
once to warm up, then N times, track and task alternately in the same loop, and prints the
median wall time, the ratio track / task, and track's peak memory (max RSS of the process).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import build  # noqa: E402


TERMINAL_COLUMNS = 80  # the "(terminal)" rows run on a pseudo-terminal this wide


def goal(size: int, command: str) -> tuple[str, float] | None:
    """The issue's goals: a time in seconds ("s"), or a ratio to Taskwarrior ("x")."""
    if command == "first command, cache deleted":
        return ("s", 2.5) if size == 10_000 else None  # the goal names 10,000 only
    if size >= 100_000:
        return ("s", 2.5)
    if command.endswith("(terminal)") and command != "list (terminal)" and size <= 1000:
        return ("s", 0.200)
    if command == "--help" or size <= 100:
        return ("s", 0.120)
    if size <= 1000:
        return ("s", 0.150)
    if size <= 10_000 and command in ("list", "list (terminal)", "list --status open --report R", "update ID --note", "remind"):
        return ("x", 0.5)
    return None


def machine_speed(runs: int = 5) -> tuple[float, float]:
    """(best, median) CPU seconds of a fixed pure-Python loop: how fast this machine was
    around the figures (on a shared virtual machine it varies by half from minute to minute)."""
    times = []
    for _ in range(runs):
        start, total = time.process_time(), 0
        for i in range(3_000_000):
            total += i
        times.append(time.process_time() - start)
    return min(times), statistics.median(times)


def speed_note(before: tuple[float, float], after: tuple[float, float]) -> str:
    return (f"# machine speed: a pure-Python loop of 3,000,000 additions took {before[0]:.2f} s at best, "
            f"{before[1]:.2f} s median before; {after[0]:.2f} / {after[1]:.2f} s after")


def track_env(ledger: Path) -> dict[str, str]:
    """This environment for track on `ledger`, without what would change its output or make
    it skip writing .pyc files."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env["TRACK_LEDGER"] = str(ledger)
    return env


def track_exe() -> list[str]:
    beside = Path(sys.executable).with_name("track")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("track")
    if found:
        return [found]
    return [sys.executable, "-m", "track"]


# Peak memory comes from the child's rusage, and a child's ru_maxrss includes the memory of the
# process that spawned it (it survives exec). So commands are spawned by a small launcher
# started before this script loads anything, never by this script itself.
LAUNCHER = r"""
import fcntl, json, os, pty, struct, subprocess, sys, termios, time
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    if job.get("columns"):  # on a pseudo-terminal that many columns wide, its output read and discarded
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, job["columns"], 0, 0))
        proc = subprocess.Popen(job["argv"], env=job["env"], stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        err = b""
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            err = (err + data)[-2000:]
        os.close(master)
        err = err.decode(errors="replace")
    else:
        proc = subprocess.Popen(job["argv"], env=job["env"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    print(json.dumps({"s": elapsed, "mb": usage.ru_maxrss / 1024, "rc": os.waitstatus_to_exitcode(status), "err": err[-2000:]}), flush=True)
"""
_launcher: subprocess.Popen | None = None


def run(argv: list[str], env: dict[str, str], columns: int | None = None) -> tuple[float, float]:
    """(seconds, peak MB) of one whole process, its output discarded (read from a
    pseudo-terminal `columns` wide, when given)."""
    global _launcher
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert _launcher.stdin and _launcher.stdout
    _launcher.stdin.write(json.dumps({"argv": argv, "env": env, "columns": columns}) + "\n")
    _launcher.stdin.flush()
    done = json.loads(_launcher.stdout.readline())
    if done["rc"] not in (0, 3):
        raise SystemExit(f"failed ({done['rc']}): {' '.join(argv)}\n{done['err']}")
    return done["s"], done["mb"]


def taskwarrior_data(ledger: Path, folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Import the ledger into a fresh Taskwarrior database; returns (env, uuid by track id)."""
    import uuid

    from track import Ledger
    from track.domain.model import state_at

    folder.mkdir(parents=True, exist_ok=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={folder / 'data'}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n")
    env = dict(os.environ, TASKRC=str(rc), TASKDATA=str(folder / "data"))
    tasks = []
    uuids: dict[str, str] = {}
    book = Ledger(ledger)
    for report in book.reports.values():
        full = book.full(report.id)
        for rec in full.recommendations:
            state = state_at(rec)
            task_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, rec.id))
            uuids[rec.id] = task_uuid
            task = {
                "uuid": task_uuid,
                "description": rec.text,
                "project": report.id,
                "status": "completed" if state.closed else "pending",
                "entry": f"{report.published:%Y%m%d}T000000Z",
                "annotations": [{"entry": f"{e.date:%Y%m%d}T000000Z", "description": e.note or ""} for e in rec.events],
            }
            if state.closed:
                task["end"] = f"{state.last_event:%Y%m%d}T000000Z"
            if state.due:
                task["due"] = f"{state.due:%Y%m%d}T000000Z"
            tasks.append(task)
    source = folder / "import.json"
    source.write_text("\n".join(json.dumps(t) for t in tasks))
    subprocess.run(["task", "import", str(source)], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return env, uuids


def bench_size(size: int, runs: int, workdir: Path, use_task: bool) -> list[dict]:
    ledger = workdir / f"ledger-{size}"
    t0 = time.perf_counter()
    build(size, ledger)
    print(f"# generated {size:,} recommendations in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    env = track_env(ledger)
    terminal = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES", "PAGER", "TRACK_PAGER")}
    terminal.update(TERM="xterm-256color", TRACK_PAGER="")  # a pseudo-terminal of its own width; no pager
    exe = track_exe()
    report = sorted(p.name[:-5] for p in (ledger / "reports").iterdir())[len(list((ledger / "reports").iterdir())) // 2]
    rec = f"{report}/R3"
    task_env: dict[str, str] = {}
    uuids: dict[str, str] = {}
    if use_task:
        t0 = time.perf_counter()
        task_env, uuids = taskwarrior_data(ledger, workdir / f"task-{size}")
        print(f"# imported into Taskwarrior in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    task_uuid = uuids.get(rec, "")
    counter = iter(range(10**9))
    task_terminal = dict(task_env, TERM="xterm-256color")
    pairs: list[tuple[str, list[str], dict[str, str], list[str] | None, dict[str, str]]] = [
        ("list", exe + ["list"], env, ["task", "list"], task_env),
        ("list (terminal)", exe + ["list"], terminal, ["task", "list"], task_terminal),
        ("list --status open --report R", exe + ["list", "--status", "open", "--report", report], env,
         ["task", f"project:{report}", "list"], task_env),
        ("show ID", exe + ["show", rec], env, ["task", task_uuid, "info"], task_env),
        ("update ID --note", exe + ["update", rec, "--note", "NOTE"], env, ["task", task_uuid, "annotate", "NOTE"], task_env),
        ("remind", exe + ["remind"], env, ["task", "overdue"], task_env),
        ("report", exe + ["report"], env, None, task_env),
        ("check", exe + ["check"], env, None, task_env),
        ("--help", exe + ["--help"], env, None, task_env),
    ]
    if size <= 1000:  # the commands whose output is up to about 100 rows, on a terminal
        pairs += [(f"{name} (terminal)", exe + argv, terminal, None, task_env) for name, argv in [
            ("show ID", ["show", rec]), ("list --status open --report R", ["list", "--status", "open", "--report", report]),
            ("report R", ["report", report]), ("history ID", ["history", rec]), ("remind", ["remind"]),
            ("reports show R", ["reports", "show", report])]]
    times: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name, *_ in pairs}
    for attempt in range(runs + 1):  # the first round warms up (and writes .pyc files and the index)
        for name, argv, tenv, targv, wenv in pairs:
            argv = [a.replace("NOTE", f"benchmark note {next(counter)}") for a in argv]
            columns = TERMINAL_COLUMNS if "(terminal)" in name else None
            seconds, peak = run(argv, tenv, columns)
            task_seconds = None
            if use_task and targv is not None:
                targv = [a.replace("NOTE", f"benchmark note {next(counter)}") for a in targv]
                task_seconds, _ = run(targv, wenv, columns)
            if attempt:
                times[name][0].append(seconds)
                times[name][2].append(peak)
                if task_seconds is not None:
                    times[name][1].append(task_seconds)
    cold: list[float] = []
    cold_peak: list[float] = []
    for _ in range(max(1, min(runs, 3))):
        shutil.rmtree(ledger / ".track" / "cache", ignore_errors=True)
        seconds, peak = run(exe + ["list"], env)
        cold.append(seconds)
        cold_peak.append(peak)
    times["first command, cache deleted"] = (cold, [], cold_peak)
    rows = []
    for name, (track_s, task_s, peaks) in times.items():
        t = statistics.median(track_s)
        w = statistics.median(task_s) if task_s else None
        rows.append({"size": size, "command": name, "track_s": round(t, 4), "task_s": round(w, 4) if w else None,
                     "ratio": round(t / w, 3) if w else None, "peak_mb": round(max(peaks), 1)})
    return rows


def verdict(row: dict) -> str:
    g = goal(row["size"], row["command"])
    if g is None:
        return ""
    kind, limit = g
    if kind == "s":
        return f"< {limit:g} s: {'met' if row['track_s'] < limit and row['peak_mb'] < 500 else 'MISSED'}"
    if row["ratio"] is None:
        return f"<= {limit:g} x task: no task"
    return f"<= {limit:g} x task: {'met' if row['ratio'] <= limit else 'MISSED'}"


def table(rows: list[dict]) -> str:
    head = f"{'size':>7}  {'command':<30}  {'track s':>8}  {'task s':>8}  {'ratio':>6}  {'peak MB':>7}  goal"
    lines = [head, "-" * len(head)]
    for r in rows:
        task = f"{r['task_s']:.3f}" if r["task_s"] is not None else "-"
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        lines.append(f"{r['size']:>7,}  {r['command']:<30}  {r['track_s']:>8.3f}  {task:>8}  {ratio:>6}  {r['peak_mb']:>7.1f}  {verdict(r)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000", help="comma-separated numbers of recommendations")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (after one warm-up)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON to FILE")
    parser.add_argument("--keep", metavar="DIR", help="build the ledgers in DIR and keep them")
    args = parser.parse_args()
    run([sys.executable, "-c", "pass"], dict(os.environ))  # start the launcher while this process is small
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    use_task = shutil.which("task") is not None
    if not use_task:
        print("# Taskwarrior (`task`) is not installed: track is timed alone (apt-get install taskwarrior)", file=sys.stderr)
    rows: list[dict] = []
    before = machine_speed()
    with tempfile.TemporaryDirectory(prefix="track-bench-") as temp:
        workdir = Path(args.keep) if args.keep else Path(temp)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            rows.extend(bench_size(size, args.runs, workdir, use_task))
    import platform

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")), platform.processor())
    print(f"# {date.today()}, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores ({cpu}), "
          f"medians of {args.runs} runs after a warm-up")
    print(speed_note(before, machine_speed()))
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
