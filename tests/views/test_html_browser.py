"""The HTML report in a real browser: tests/render_html.py renders it with headless Chromium
to a PNG and dumps the DOM Chromium built; every headline figure and every cell of the
progress and trend tables must be in that DOM, with no console error.

Without Chromium (Debian package `chromium`) the test is skipped, saying so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import A, Cli
from test_report import expected_rows, expected_trend, parse_html

HERE = Path(__file__).resolve().parents[1]  # tests/
sys.path.insert(0, str(HERE))
import render_html  # noqa: E402


@pytest.fixture
def chromium() -> str:
    found = render_html.find_chromium()
    if found is None:
        pytest.skip("chromium not installed: install the Debian package `chromium` (.ci/run does) to run the browser test")
    return found


@pytest.mark.parametrize("args", [[A, "--as-of", "2018-06-30"], ["--as-of", "2018-06-30"]])
def test_html_report_renders_in_headless_chromium(met: Cli, chromium: str, tmp_path: Path, args: list[str]) -> None:
    data = met.json("report", *args)
    html_path = tmp_path / "report.html"
    html_path.write_text(met("report", *args, "--format", "html").stdout, "utf-8")
    png, dom_path = tmp_path / "report.png", tmp_path / "report.dom.html"
    run = subprocess.run([sys.executable, str(HERE / "render_html.py"), str(html_path), str(png), "--dom", str(dom_path)],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, f"render_html.py exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000

    dom = parse_html(dom_path.read_text("utf-8"))
    total = data["total"]
    for field in ("total", "open", "closed", "implemented", "overdue", "due_soon", "no_response", "response_overdue"):
        assert dom.figures[field] == str(total[field]), field
    progress = dom.tables["progress"]
    header = [h for i, h in enumerate(progress[0]) if i != 1]  # without the PROGRESS bar column
    assert [[c for i, c in enumerate(r) if i != 1] for r in progress[1:]] == expected_rows(data, header)
    for of in dict.fromkeys(t["of"] for t in data["trend"]):
        points = [t for t in data["trend"] if t["of"] == of]
        trend = dom.tables[f"trend-{of}"]
        assert trend[0] == ["STATUS", *[p["date"] for p in points]]
        labels = [r[0] for r in trend[1:]]
        assert [[c for c in r if c != ""] for r in trend[1:]] == expected_trend(points, labels)
    assert f"2018-06-30" in dom_path.read_text("utf-8")
    assert "<svg" in dom_path.read_text("utf-8")
