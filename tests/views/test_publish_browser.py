"""The public register `track publish` writes, opened in Chromium through Playwright: every
page of the example ledger (data/met-police, copied, with a recommendation whose every field is
hostile text added) at 375 and 1,200 px: no page-wide sideways scroll, no console error,
nothing fetched but the page itself, zero axe-core violations; every internal link leads to a
page and an element that exist; hostile text is shown as text; the front page works with
scripts off and filters with them on. Without Chromium or Playwright these are skipped, saying
so; test_publish.py checks what needs no browser."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from conftest import Cli
from test_publish import EXAMPLE, HOSTILE, TODAY, add_hostile
from typer.testing import CliRunner

WIDTHS = (375, 1200)
# One page of each kind, checked by axe-core at every width (the rest at 375 px, where a page
# is most crowded, and for scrolling at every width).
EACH_KIND = ("index.html", "owners/index.html", "reports/hmic-2016-met-cp.html", "reports/hmic-2016-met-cp/R1.html",
             "reports/evil-2019.html", "reports/evil-2019/R1.html")


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish")
    ledger = root / "met-police"
    shutil.copytree(EXAMPLE, ledger, ignore=shutil.ignore_patterns(".track"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACK_TODAY", TODAY)
        mp.setenv("TRACK_USER", "tester")
        for name in ("TRACK_LEDGER", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TRACK_DEBUG", "COLUMNS"):
            mp.delenv(name, raising=False)
        cli = Cli(CliRunner(), ledger)
        add_hostile(cli)
        cli("publish", str(root / "site"))
    return root / "site"


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


class Watched:
    """A page with what it logged, fetched and tried to pop up."""

    def __init__(self, browser, width: int, **context) -> None:  # noqa: ANN001, ANN003
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self) -> None:
        self.context.close()


def test_the_example_has_every_kind_of_page(register: Path) -> None:
    pages = pages_of(register)
    assert all(kind in pages for kind in EACH_KIND)
    assert any(p.startswith("owners/") and p != "owners/index.html" for p in pages)


def test_every_page_fits_loads_nothing_and_passes_axe(register: Path, browser) -> None:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for width in WIDTHS:
        watched = Watched(browser, width)
        for rel in pages_of(register):
            uri = (register / rel).as_uri()
            watched.errors.clear()
            watched.requests.clear()
            watched.page.goto(uri)
            where = f"{rel} at {width} px"
            if watched.page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{where}: the page scrolls sideways")
            if width == 375 or rel in EACH_KIND:
                violations = axe.run(watched.page).response["violations"]
                problems += [f"{where}: axe {v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations]
            if watched.errors:
                problems.append(f"{where}: console errors {watched.errors}")
            if watched.requests != [uri]:
                problems.append(f"{where}: fetched {watched.requests}")
        if watched.dialogs:
            problems.append(f"at {width} px: dialogs {watched.dialogs}")
        watched.close()
    assert problems == []


def test_every_internal_link_leads_somewhere_in_the_browser(register: Path, browser) -> None:  # noqa: ANN001
    """A crawl from the front page as Chromium resolves the links: every page and element
    (#fragment) a link names exists, and every page is reached."""
    root = register.as_uri() + "/"
    watched = Watched(browser, 1200)
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    todo = [root + "index.html"]
    while todo:
        url = todo.pop()
        if url in ids or not url.endswith(".html"):
            continue
        path = Path(register, url[len(root):])
        if not path.is_file():
            ids[url] = set()
            continue
        watched.page.goto(url)
        ids[url] = set(watched.page.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)"))
        links[url] = watched.page.evaluate("Array.from(document.links, a => a.href)")
        for href in links[url]:
            target, _ = urldefrag(href)
            if target.startswith(root):
                todo.append(target)
            else:
                assert target.startswith(("https://", "http://")), (url, href)  # never javascript: or file: outside
    watched.close()
    broken = []
    for url, hrefs in links.items():
        for href in hrefs:
            target, fragment = urldefrag(href)
            if not target.startswith(root):
                continue
            if not Path(register, target[len(root):]).is_file():
                broken.append(f"{url[len(root):]} -> {href[len(root):]}")
            elif fragment and target.endswith(".html") and fragment not in ids[target]:
                broken.append(f"{url[len(root):]} -> {href[len(root):]} (no such element)")
    assert broken == []
    reached = {url[len(root):] for url in links}
    assert set(pages_of(register)) <= reached


def test_hostile_text_is_shown_as_text(register: Path, browser) -> None:  # noqa: ANN001
    watched = Watched(browser, 1200)
    page = watched.page
    for rel in ("reports/evil-2019/R1.html", "reports/evil-2019.html", "owners/index.html", "index.html"):
        page.goto((register / rel).as_uri())
        assert page.evaluate("window.__pwned") is None, rel
        text = page.evaluate("document.body.innerText")
        assert HOSTILE in text, rel
        assert page.evaluate("document.querySelectorAll('script').length") == (1 if rel == "index.html" else 0), rel
        assert page.evaluate("document.querySelectorAll('b').length") == 0, rel  # no markup of theirs
    page.goto((register / "reports/evil-2019/R1.html").as_uri())
    assert page.evaluate("document.querySelector('p.text').textContent") == HOSTILE
    assert page.evaluate("document.querySelector('ol.timeline li:last-child .note').textContent") == HOSTILE
    page.goto((register / "reports/evil-2019.html").as_uri())
    assert page.title().startswith(HOSTILE) and page.evaluate("document.querySelector('h1').textContent") == HOSTILE
    assert watched.dialogs == [] and watched.errors == []
    watched.close()


def test_the_front_page_works_without_scripts_and_filters_with_them(register: Path, browser) -> None:  # noqa: ANN001
    uri = (register / "index.html").as_uri()
    off = Watched(browser, 375, java_script_enabled=False)
    off.page.goto(uri)
    total = off.page.evaluate("document.querySelectorAll('#reports tbody tr').length")
    assert total > 5
    assert off.page.locator("#reports tbody tr").evaluate_all("rows => rows.filter(r => r.offsetParent !== null).length") == total
    assert off.page.evaluate("document.getElementById('filter')") is None  # no control that would do nothing
    off.close()

    on = Watched(browser, 375)
    page = on.page
    page.goto(uri)
    shown = "() => Array.from(document.querySelectorAll('#reports tbody tr')).filter(r => !r.hidden).map(r => r.textContent)"
    page.get_by_label("Filter the reports").fill("peel")
    rows = page.evaluate(shown)
    assert 0 < len(rows) < total and all("peel" in r.lower() for r in rows)
    assert page.locator("#filter-count").inner_text() == f"{len(rows)} of {total} reports shown"
    page.get_by_label("Filter the reports").fill("")
    assert len(page.evaluate(shown)) == total
    page.get_by_label("only with overdue recommendations").check()
    overdue = page.evaluate("document.querySelectorAll('#reports tbody tr[data-overdue=\"1\"]').length")
    assert len(page.evaluate(shown)) == overdue < total
    assert on.errors == []
    on.close()
