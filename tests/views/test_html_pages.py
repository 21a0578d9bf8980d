"""Every HTML page track writes (report, one report's, a graded report's, --grades, history),
made from the example ledger and opened in Chromium through Playwright at 375, 768, 1,200 and
1,920 px: no page-wide sideways scroll (a wide table scrolls in its own box), no word broken
but at a space or after a hyphen, no console error, and zero axe-core violations (WCAG 2.2 AA
as axe-core checks it). Without Chromium or Playwright the browser tests are skipped, saying
so; .ci/run installs both. The checks that need no browser run everywhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from track.views.grades import GRADE_COLOUR
from track.views.html import COLOUR, axis_ticks, contrast, ink, trend_svg

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
WIDTHS = (375, 768, 1200, 1920)
PAGES = {
    "report": ["report"],
    "report-cp": ["report", "hmic-2016-met-cp"],
    "report-peel": ["report", "peel-2016-met"],
    "report-review": ["report", "hmicfrs-2019-met-cp-review", "--by", "owner"],
    "grades": ["report", "--grades"],
    "history": ["history"],
    "history-cp": ["history", "hmic-2016-met-cp", "--since", "2017-01-01"],
}


def track_html(ledger: Path, args: list[str]) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("TRACK_LEDGER", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env["TRACK_TODAY"] = "2026-12-05"
    done = subprocess.run([sys.executable, "-m", "track", "--ledger", str(ledger), *args, "--format", "html"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("html")
    ledger = root / "met-police"
    shutil.copytree(EXAMPLE, ledger, ignore=shutil.ignore_patterns(".track"))
    out = {}
    for name, args in PAGES.items():
        path = root / f"{name}.html"
        path.write_text(track_html(ledger, args), "utf-8")
        out[name] = path
    return out


# --------------------------------------------------------------------------- without a browser


def test_every_badge_and_chart_label_reads_at_wcag_aa() -> None:
    for colour in [*COLOUR.values(), *GRADE_COLOUR.values()]:
        assert contrast(ink(colour), colour) >= 4.5, colour


def test_contrast_is_wcag_2s_ratio() -> None:
    assert round(contrast("#ffffff", "#000000"), 2) == 21.0
    assert abs(contrast("#ffffff", "#5dade2") - 2.45) < 0.01  # the badge axe-core failed before (2.45:1)
    assert contrast("#777777", "#777777") == 1.0


@pytest.mark.parametrize("top", [1, 2, 3, 5, 6, 7, 9, 10, 11, 17, 24, 38, 99, 100, 101, 1234, 99999])
def test_the_axis_has_even_steps_of_one_two_or_five_that_reach_the_top(top: int) -> None:
    step, steps = axis_ticks(top)
    assert step * steps >= top and step * (steps - 1) < top and 1 <= steps <= 5
    assert re.fullmatch(r"[125]0*", str(step)), step


def test_the_trend_chart_labels_its_axis_evenly() -> None:
    points = [{"total": 7, "closed": 1, "date": "2017-01-01", "report": "r", "by_status": {s: 0 for s in COLOUR}}]
    points[0]["by_status"]["in-progress"] = 7
    svg = trend_svg("r", points)
    ticks = [int(t) for t in re.findall(r'text-anchor="end" fill="#566573">(\d+)</text>', svg)]
    assert ticks == [0, 2, 4, 6, 8]


def test_pages_are_self_contained(pages: dict[str, Path]) -> None:
    for name, path in pages.items():
        html = path.read_text("utf-8")
        assert "<script" not in html and "@import" not in html and "url(" not in html, name
        assert not re.search(r'\bsrc\s*=', html) and "<link" not in html, name
        # the only addresses are links a reader may follow (history's sources and evidence): nothing is fetched
        tags = re.findall(r'<[^>]*\bhref\s*=[^>]*>', html)
        assert all(re.fullmatch(r'<a href="https?://[^"]*" rel="external noopener noreferrer">', t) for t in tags), name


def test_a_report_page_shows_the_graded_judgements_of_its_scope(pages: dict[str, Path]) -> None:
    assert "Graded judgements: Metropolitan Police Service" in pages["report"].read_text("utf-8")
    peel = pages["report-peel"].read_text("utf-8")
    assert "Graded judgements: Metropolitan Police Service" in peel and 'id="grades-0"' in peel
    assert "requires-improvement" in peel and "inadequate" in peel
    assert "Graded judgements" not in pages["report-cp"].read_text("utf-8")  # the inspection itself has no grades


# --------------------------------------------------------------------------- in Chromium

BROKEN_WORDS = """() => {
  // Every piece of text between spaces must sit on one line; outside tables a line may also
  // end after a hyphen (a long id in a heading), but in a table only free text wraps at all.
  const broken = [];
  const free = 'td.note, td[data-col="note"], td[data-col="question"], td[data-col="changes"], td[data-col="title"]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    const cell = node.parentElement.closest('td, th');
    const re = cell && !cell.matches(free) ? /\\S+/g : /[^\\s-]+-?/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
      const lines = new Set(rects.map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_every_width_and_passes_axe(name: str, pages: dict[str, Path], browser) -> None:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r, requests=requests: requests.append(r.url))
        page.goto(pages[name].as_uri())
        where = f"{name} at {width} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: the page scrolls sideways"
        assert page.evaluate(BROKEN_WORDS) == [], f"{where}: words broken across lines"
        violations = axe.run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == [], where
        assert errors == [], where
        assert requests == [pages[name].as_uri()], f"{where}: fetched something"
        page.close()


def test_a_wide_table_scrolls_in_its_own_box_at_375_px(pages: dict[str, Path], browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 375, "height": 900})
    page.goto(pages["report-cp"].as_uri())
    box = page.evaluate("""() => { const b = document.getElementById('progress').parentElement;
                                   return [b.className, b.scrollWidth > b.clientWidth, b.getAttribute('tabindex')]; }""")
    assert box == ["table-scroll", True, "0"]
    page.close()
