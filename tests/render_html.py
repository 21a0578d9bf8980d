"""Render track's HTML report in headless Chromium: a PNG screenshot and the DOM as Chromium
built it (--dump-dom), with any console error Chromium logged.

    python tests/render_html.py report.html report.png [--dom report.dom.html] [--width 1200] [--height N]
    python tests/render_html.py --ledger data/met-police --report hmic-2016-met-cp --as-of 2018-02-28 out.png

With --ledger, it runs `track report [REPORT] [--as-of DATE] --format html` first (the HTML is
written next to the PNG). The browser gets a fresh profile, no network (every host name
resolves to nothing), no first-run, sync, component updates or background networking.
Exit status: 0 rendered without console errors; 1 console errors (printed); 2 no Chromium.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing may be fetched
    "--enable-logging=stderr",
    "--v=0",
]
_CONSOLE = re.compile(r"CONSOLE.*|Failed to load resource.*|Uncaught .*|net::ERR_[A-Z_]+.*")


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if shutil.which(explicit) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class Rendering:
    png: Path
    dom: str
    console: list[str] = field(default_factory=list)


def guess_height(html: str) -> int:
    """A window tall enough for the whole page (headless Chromium shoots the window, not the
    page): each table row by its longest cell, wrapped at about 45 characters a line."""
    height = 400 + 330 * html.count('<svg id="trend-chart') + 70 * html.count("<h2")
    for row in re.findall(r"<tr[ >].*?</tr>", html, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][ >].*?</t[dh]>", row, flags=re.S)]
        longest = max((len(c) for c in cells), default=0)
        height += max(32, 14 + 19 * -(-longest // 38))
    return max(900, min(16000, height))


def _run(chromium: str, args: list[str], profile: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME=str(profile))  # nothing of the user's own profile or caches
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def render(html_path: Path, png_path: Path, *, width: int = 1200, height: int | None = None,
           chromium: str | None = None, timeout: float = 90) -> Rendering:
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium not installed (tried: " + ", ".join(CANDIDATES) + "; or set CHROMIUM)")
    html_path = Path(html_path).resolve()
    png_path = Path(png_path).resolve()
    height = height or guess_height(html_path.read_text("utf-8"))
    url = html_path.as_uri()
    console: list[str] = []
    with tempfile.TemporaryDirectory(prefix="track-chromium-") as tmp:
        profile = Path(tmp) / "profile"
        profile.mkdir()
        shot = _run(chromium, [f"--screenshot={png_path}", f"--window-size={width},{height}", url], profile, timeout)
        if shot.returncode != 0 or not png_path.exists():
            raise RuntimeError(f"chromium --screenshot failed (exit {shot.returncode}): {shot.stderr[-2000:]}")
        console += [m.group(0) for m in _CONSOLE.finditer(shot.stderr)]
    with tempfile.TemporaryDirectory(prefix="track-chromium-") as tmp:
        profile = Path(tmp) / "profile"
        profile.mkdir()
        dump = _run(chromium, ["--dump-dom", f"--window-size={width},{height}", url], profile, timeout)
        if dump.returncode != 0 or "<html" not in dump.stdout:
            raise RuntimeError(f"chromium --dump-dom failed (exit {dump.returncode}): {dump.stderr[-2000:]}")
        console += [m.group(0) for m in _CONSOLE.finditer(dump.stderr)]
    return Rendering(png_path, dump.stdout, console)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", nargs="?", help="the HTML file (omit with --ledger)")
    parser.add_argument("png", help="where to write the screenshot")
    parser.add_argument("--dom", help="where to write the DOM Chromium built (default: PNG name + .dom.html)")
    parser.add_argument("--ledger", help="render `track report` of this ledger instead of an HTML file")
    parser.add_argument("--report", help="with --ledger: the report to show (default: the whole ledger)")
    parser.add_argument("--as-of", help="with --ledger: the as-of date")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=None, help="window height (default: guessed from the page)")
    args = parser.parse_args(argv)
    png = Path(args.png)
    if args.ledger:
        html = png.with_suffix(".html")
        cmd = [sys.executable, "-m", "track", "--ledger", args.ledger, "report", *([args.report] if args.report else []),
               *(["--as-of", args.as_of] if args.as_of else []), "--format", "html"]
        made = subprocess.run(cmd, capture_output=True, text=True)
        if made.returncode != 0:
            print(made.stderr, file=sys.stderr, end="")
            return made.returncode
        html.write_text(made.stdout, "utf-8")
    elif args.html:
        html = Path(args.html)
    else:
        parser.error("give an HTML file or --ledger")
    try:
        result = render(html, png, width=args.width, height=args.height)
    except FileNotFoundError as error:
        print(f"render_html: {error}", file=sys.stderr)
        return 2
    dom = Path(args.dom) if args.dom else png.with_suffix(".dom.html")
    dom.write_text(result.dom, "utf-8")
    print(f"wrote {result.png} and {dom}")
    for line in result.console:
        print(f"console: {line}", file=sys.stderr)
    return 1 if result.console else 0


if __name__ == "__main__":
    sys.exit(main())
