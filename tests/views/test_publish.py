"""`track publish`: the public register made from the example ledger (data/met-police, copied),
checked without a browser: every kind of page is there, every internal link resolves, the feed
is Atom, the data is the export, hostile text stays text, publishing again changes no byte, a
change to one report rewrites only the pages it touches, pages of what no longer exists go (and
nothing else), and the folder is refused when it is not one to write into.
test_publish_browser.py opens the pages in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
from conftest import Cli, take_snapshot
from typer.testing import CliRunner

from track import Ledger
from track.domain import progress, query
from track.views import site

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "met-police"
TODAY = "2026-12-05"
ATOM = "{http://www.w3.org/2005/Atom}"
# Text that breaks out of HTML, an attribute, a style or script element, or CDATA, if not escaped.
HOSTILE = """<script>window.__pwned = 1; alert("x")</script> "quoted" 'single' </style></title> ]]> & &amp; <b>bold</b>"""
HOSTILE_URL = "javascript:window.__pwned=2"


@pytest.fixture
def met(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A copy of the example ledger, today pinned to TODAY."""
    monkeypatch.setenv("TRACK_TODAY", TODAY)
    root = tmp_path / "met-police"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".track"))
    return Cli(CliRunner(), root)


def add_hostile(cli: Cli) -> str:
    """A report and a recommendation whose every field holds hostile text; its id."""
    cli("reports", "add", "evil-2019", "--title", HOSTILE, "--by", HOSTILE, "--subject", HOSTILE, "--published", "2019-05-01",
        "--url", HOSTILE_URL, "--figure", "<b>cases</b> </style> ]]>=1", "--response-within", "56 days")
    cli("add", "evil-2019", "--ref", "R1", "--text", HOSTILE, "--owner", HOSTILE, "--tag", HOSTILE, "--due", "2019-12-31")
    cli("update", "evil-2019/R1", "--response", "accepted", "--status", "in-progress", "--note", HOSTILE, "--source", HOSTILE,
        "--evidence", HOSTILE_URL, "--evidence", 'https://example.org/?a=<b>&c="d"', "--evidence", "https://example.org/?a=1&b=2","--date", "2019-06-01",
        "--related", "hmic-2016-met-cp/R1")
    long = "W" * 150  # words too long for a phone's line
    cli("add", "evil-2019", "--ref", "R2-" + "r" * 36, "--text", long, "--owner", long, "--tag", long)
    cli("update", f"evil-2019/R2-{'r' * 36}", "--note", long, "--source", long, "--evidence", "https://example.org/" + long,
        "--date", "2019-06-02")
    return "evil-2019/R1"


def publish(cli: Cli, folder: Path, *args: str, expect: int = 0) -> str:
    result = cli("publish", str(folder), *args, expect=expect)
    return result.stdout if expect == 0 else result.stderr


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def ids_of(cli: Cli) -> list[str]:
    return [row["id"] for row in cli.json("list")]


# --------------------------------------------------------------------------- what is written


def test_every_kind_of_page_is_written(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    said = publish(met, out)
    assert re.fullmatch(rf"published \d+ files to {re.escape(str(out))} as of {TODAY}: \d+ written, 0 removed, 0 unchanged\n", said)
    files = files_of(out)
    reports = [r["id"] for r in met.json("reports", "list")]
    assert reports and all(f"reports/{r}.html" in files for r in reports)
    ids = ids_of(met)
    assert ids and all(f"reports/{i}.html" in files for i in ids)
    owners = {row["owner"] for row in met.json("list") if row["owner"]}
    assert len([f for f in files if f.startswith("owners/")]) == len(owners) + 1  # and owners/index.html
    for name in ("index.html", "owners/index.html", "feed.xml", "data/ledger.json", "data/ledger.csv", ".track-published"):
        assert name in files, name
    assert sorted(files[".track-published"].decode().splitlines()[1:]) == sorted(set(files) - {".track-published"})
    index = files["index.html"].decode()
    assert f'<strong id="as-of">{TODAY}</strong>' in index
    for r in reports:
        assert f'href="reports/{r}.html"' in index


def test_the_data_is_the_export_as_of_the_day(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out, "--as-of", "2018-06-30")
    assert (out / "data/ledger.json").read_bytes() == met("export", "--as-of", "2018-06-30").stdout_bytes
    assert (out / "data/ledger.csv").read_bytes() == met("export", "--format", "csv", "--as-of", "2018-06-30").stdout_bytes
    assert json.loads((out / "data/ledger.json").read_text())["as_of"] == "2018-06-30"


def test_a_recommendation_page_holds_its_record_history_and_links_both_ways(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out)
    shown = met.json("show", "hmic-2016-met-cp/R1")
    page = (out / "reports/hmic-2016-met-cp/R1.html").read_text()
    assert "<h1>hmic-2016-met-cp/R1</h1>" in page
    for event in shown["events"]:
        assert f'<time datetime="{event["date"]}">' in page
        if event.get("note"):
            assert site.esc(event["note"]) in page
    assert 'href="../hmic-2016-met-cp.html"' in page  # its report
    rows = met.json("list")
    assert any(row["answers"] for row in rows), "the example answers a cause of concern"
    for row in rows:
        if row["answers"]:  # the cause of concern it answers, and back
            cause = row["answers"] if "/" in row["answers"] else f"{row['report']}/{row['answers']}"
            assert f">{cause}</a>" in (out / f"reports/{row['id']}.html").read_text()
            there = (out / f"reports/{cause}.html").read_text()
            assert "Answered by" in there and f">{row['id']}</a>" in there
    related = [row for row in rows if row["related"]]
    assert related, "the example names related recommendations"
    for row in related:
        for other in row["related"]:
            there = (out / f"reports/{other}.html").read_text()
            assert "Related from" in there and f">{row['id']}</a>" in there, (row["id"], other)


def test_links_to_finds_what_query_links_from_others_finds() -> None:
    """The site works out every recommendation's incoming links in one pass; query does it one
    recommendation at a time, by the definition. They agree."""
    ledger = Ledger.find(EXAMPLE)
    day = date(2026, 12, 5)
    reports = dict(ledger.reports.items())
    facts = progress.facts(reports.values(), day)
    found = site.links_to(facts)
    empty = {"supersedes": [], "duplicated_by": [], "related_by": []}
    for f in facts:
        expected = query.links_from_others(f.rec.id, reports, day)
        assert {k: sorted(v) for k, v in found.get(f.rec.id, empty).items()} == {k: sorted(v) for k, v in expected.items()}


def test_a_report_page_shows_its_recommendations_trend_schedule_and_grades(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out)
    page = (out / "reports/hmic-2016-met-cp.html").read_text()
    rows = {row["id"]: row for row in met.json("list", "--report", "hmic-2016-met-cp")}
    for rec_id in rows:
        ref = rec_id.split("/")[1]
        assert f'href="hmic-2016-met-cp/{ref}.html">{ref}</a>' in page
    assert page.count("<tr>") >= len(rows)
    assert 'id="trend-chart-hmic-2016-met-cp"' in page and 'id="trend"' in page
    assert "Follow-up reports expected" in page and 'href="hmic-2017-met-cp-q1.html"' in page
    graded = [r for r in met.json("reports", "list") if r["grades"]]
    assert graded
    for r in graded:
        text = (out / f"reports/{r['id']}.html").read_text()
        assert "Graded judgements" in text
        for question, grade in r["grades"].items():
            assert site.esc(question) in text and grade in text
    q2 = (out / "reports/hmicfrs-2017-met-cp-q2.html").read_text()
    assert "Changes recorded from this report" in q2  # the events whose source it is


def test_owner_pages_list_what_each_owner_holds(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out)
    rows = met.json("list")
    owners = sorted({r["owner"] for r in rows if r["owner"]})
    slugs = site.owner_slugs(owners)
    index = (out / "owners/index.html").read_text()
    for owner in owners:
        page = (out / f"owners/{slugs[owner]}.html").read_text()
        held = [r["id"] for r in rows if r["owner"] == owner]
        assert all(f">{i}</a>" in page for i in held), owner
        assert page.count('<td data-col="id">') == len(held)
        assert f'href="{slugs[owner]}.html"' in index


def test_owner_page_names_never_clash() -> None:
    slugs = site.owner_slugs(["Head of Training", "Head of training", "Index", "Directeur Général", "総務部", "Borough Commander"])
    assert slugs["Borough Commander"] == "borough-commander"
    assert slugs["Directeur Général"] == "directeur-general"
    assert re.fullmatch(r"head-of-training-[0-9a-f]{8}", slugs["Head of Training"])
    assert slugs["Head of Training"] != slugs["Head of training"]
    assert re.fullmatch(r"index-[0-9a-f]{8}", slugs["Index"]) and re.fullmatch(r"owner-[0-9a-f]{8}", slugs["総務部"])
    assert len(set(slugs.values())) == len(slugs)


# --------------------------------------------------------------------------- links and the feed


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "link" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "script":
            self.scripts += 1
        for name in ("src", "srcset", "data", "poster", "action"):
            assert name not in values, f"{tag} {name}: the register loads nothing"


def parsed(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    return page


def crawl(root: Path) -> tuple[set[str], list[str]]:
    """Every page reached from the front page by its links, and the links that lead nowhere
    (a missing file, or a missing #fragment)."""
    seen: set[str] = set()
    broken: list[str] = []
    todo = ["index.html"]
    pages: dict[str, Page] = {}
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        if not rel.endswith(".html"):
            continue
        page = pages[rel] = parsed(root / rel)
        for href in page.links:
            if re.match(r"[a-z][a-z0-9+.-]*:", href):  # an address elsewhere: never a javascript: one
                assert href.startswith(("http://", "https://")), (rel, href)
                continue
            target, fragment = urldefrag(href)
            resolved = os.path.normpath(os.path.join(os.path.dirname(rel), unquote(target))).replace(os.sep, "/") if target else rel
            if resolved.startswith("..") or not (root / resolved).is_file():
                broken.append(f"{rel} -> {href}")
                continue
            if fragment:
                if resolved not in pages:
                    pages[resolved] = parsed(root / resolved)
                if fragment not in pages[resolved].ids:
                    broken.append(f"{rel} -> {href} (no #{fragment})")
            todo.append(resolved)
    return seen, broken


def test_every_internal_link_resolves_and_every_page_is_reached(met: Cli, tmp_path: Path) -> None:
    add_hostile(met)
    out = tmp_path / "site"
    publish(met, out)
    reached, broken = crawl(out)
    assert broken == []
    written = {rel for rel in files_of(out) if rel != ".track-published"}
    assert written <= reached, written - reached  # the feed and the data too, from every page's header


def test_only_the_front_page_has_a_script(met: Cli, tmp_path: Path) -> None:
    add_hostile(met)
    out = tmp_path / "site"
    publish(met, out)
    for path in out.rglob("*.html"):
        assert parsed(path).scripts == (1 if path.name == "index.html" and path.parent == out else 0), path


def feed_of(out: Path) -> ET.Element:
    root = ET.fromstring((out / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root


def test_the_feed_is_atom(met: Cli, tmp_path: Path) -> None:
    add_hostile(met)
    out = tmp_path / "site"
    publish(met, out)
    feed = feed_of(out)
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
    for name in ("id", "title", "updated"):  # RFC 4287 4.1.1: required of a feed
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert stamp.match(feed.findtext(f"{ATOM}updated") or "")
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None  # no entry has one of its own
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= site.FEED_ENTRIES
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert stamp.match(entry.findtext(f"{ATOM}updated") or "")
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry.findtext(f"{ATOM}id") or "")
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        target, fragment = urldefrag(link.get("href") or "")
        assert (out / target).is_file() and (not fragment or fragment in parsed(out / target).ids)
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(set(ids)) == len(ids)
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True) and feed.findtext(f"{ATOM}updated") == dates[0]
    hostile = [e for e in entries if "evil-2019" in (e.findtext(f"{ATOM}title") or "")]
    assert any(HOSTILE in (e.findtext(f"{ATOM}summary") or "") for e in hostile)  # the note, as text
    assert any(HOSTILE in (e.findtext(f"{ATOM}title") or "") for e in hostile)  # the report's title


def test_the_feed_links_are_absolute_with_a_base_url_and_its_ids_stay(met: Cli, tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    publish(met, out)
    publish(met, elsewhere, "--base-url", "https://example.org/register")
    here, there = feed_of(out), feed_of(elsewhere)
    assert there.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/register/feed.xml"  # type: ignore[union-attr]
    links = [e.find(f"{ATOM}link").get("href") for e in there.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert all(link.startswith("https://example.org/register/reports/") for link in links)
    assert [e.findtext(f"{ATOM}id") for e in here.iter(f"{ATOM}entry")] == [e.findtext(f"{ATOM}id") for e in there.iter(f"{ATOM}entry")]
    assert publish(met, out, "--base-url", "ftp://example.org/", expect=2).count("\n") == 1
    assert "--base-url" in publish(met, out, "--base-url", "https://example.org/<x>", expect=2)


# --------------------------------------------------------------------------- hostile text


def test_hostile_text_is_escaped_everywhere(met: Cli, tmp_path: Path) -> None:
    add_hostile(met)
    out = tmp_path / "site"
    publish(met, out, "--title", HOSTILE)
    escaped, escaped_url = site.esc(HOSTILE), site.esc(HOSTILE_URL)
    pages = {rel: data.decode() for rel, data in files_of(out).items() if rel.endswith(".html")}
    for rel, text in pages.items():
        assert escaped in text, rel  # the title, in every page's header
        rest = text.replace(escaped, "").replace(escaped_url, "")
        assert "__pwned" not in rest and "javascript:" not in rest, rel  # only ever inside escaped text
        assert HOSTILE not in text and "</style></title>" not in text, rel
    rec = pages["reports/evil-2019/R1.html"]
    assert rec.count(escaped) >= 5  # text, tag, owner, note, source
    odd = 'https://example.org/?a=<b>&c="d"'
    assert '<a href="https://example.org/?a=1&amp;b=2"' in rec and site.esc(odd) in rec and 'href="https://example.org/?a=&lt;' not in rec
    assert 'href="javascript:' not in rec and escaped_url in rec  # shown, never a link
    report = pages["reports/evil-2019.html"]
    assert report.count(escaped) >= 4 and 'href="javascript:' not in report
    feed = feed_of(out)
    assert feed.findtext(f"{ATOM}title") == f"{HOSTILE}: changes"


# --------------------------------------------------------------------------- republishing


def test_publishing_twice_changes_no_byte_and_writes_nothing(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out)
    before = files_of(out)
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    said = publish(met, out)
    assert said.endswith(f": 0 written, 0 removed, {len(before) - 1} unchanged\n")
    assert files_of(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == times


def test_the_register_is_the_same_read_from_the_index_or_from_the_files(met: Cli, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    add_hostile(met)
    indexed, parsed_ = tmp_path / "indexed", tmp_path / "parsed"
    publish(met, indexed)
    publish(met, indexed)  # the index is built by now
    monkeypatch.setenv("TRACK_NO_CACHE", "1")
    monkeypatch.setattr(Ledger, "use_cache", False)
    publish(met, parsed_)
    assert files_of(indexed) == files_of(parsed_)


def test_a_change_to_one_report_rewrites_only_the_pages_it_touches(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out)
    before = files_of(out)
    rec = "hmic-2016-met-cp/R2"
    owner = met.json("show", rec)["owner"]
    met("update", rec, "--status", "reported-complete", "--note", "The force says training is done", "--date", "2026-12-01")
    said = publish(met, out)
    after = files_of(out)
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    touched = {"reports/hmic-2016-met-cp/R2.html", "reports/hmic-2016-met-cp.html", f"owners/{site.owner_slugs([owner])[owner]}.html",
               "index.html", "feed.xml", "data/ledger.json", "data/ledger.csv"}
    assert touched <= changed <= touched | {"owners/index.html"}  # the owners' counts, if they changed
    assert said.endswith(f": {len(changed)} written, 0 removed, {len(after) - 1 - len(changed)} unchanged\n")


def test_a_later_day_rewrites_only_what_the_day_changes(met: Cli, tmp_path: Path) -> None:
    """Only the front page, the data and the pages where a due date passed in between change."""
    out = tmp_path / "site"
    publish(met, out, "--as-of", "2026-12-05")
    before = files_of(out)
    publish(met, out, "--as-of", "2026-12-06")
    after = files_of(out)
    assert {rel for rel in after if before.get(rel) != after[rel]} == {"index.html", "data/ledger.json"}


def test_as_of_shows_the_register_as_it_stood(met: Cli, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(met, out, "--as-of", "2017-06-30")
    files = files_of(out)
    assert '<strong id="as-of">2017-06-30</strong>' in files["index.html"].decode()
    published = {r["id"] for r in met.json("reports", "list") if r["published"] <= "2017-06-30"}
    assert {rel[len("reports/"):-len(".html")] for rel in files if rel.count("/") == 1 and rel.startswith("reports/")} == published
    shown = met.json("show", "hmic-2016-met-cp/R1", "--as-of", "2017-06-30")
    page = files["reports/hmic-2016-met-cp/R1.html"].decode()
    assert len(re.findall(r'<li id="event-', page)) == len(shown["events"])
    assert "2019-03-28" not in page
    assert shown["status"] in page


def test_pages_of_what_no_longer_exists_go_and_nothing_else(met: Cli, tmp_path: Path) -> None:
    add_hostile(met)
    out = tmp_path / "site"
    publish(met, out)
    mine = {"CNAME": b"register.example.org\n", ".git/config": b"[core]\n", "reports/notes.txt": b"kept\n",
            "reports/evil-2019/extra.html": b"someone else's\n"}
    for rel, data in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    (met.root / "reports" / "evil-2019.toml").unlink()  # the files are the ledger: a report gone
    said = publish(met, out)
    files = files_of(out)
    assert "reports/evil-2019.html" not in files and "reports/evil-2019/R1.html" not in files
    assert not any(rel.startswith("owners/script") for rel in files)  # the hostile owner's page
    assert all(files[rel] == data for rel, data in mine.items())
    assert ", 5 removed," in said
    first, *later = sorted(met.json("reports", "list"), key=lambda r: (r["published"], r["id"]))
    assert later[0]["published"] > first["published"] and any(r["recommendations"] for r in later)
    publish(met, out, "--as-of", first["published"])  # when only the first report was out
    files = files_of(out)
    for r in later:
        assert not (out / "reports" / r["id"]).exists()  # its folder, emptied, goes too
    assert (out / "reports" / "evil-2019").is_dir()  # holds someone else's file
    assert sorted(r for r in files if r.startswith("reports/") and r.count("/") == 1) == [f"reports/{first['id']}.html",
                                                                                         "reports/notes.txt"]


def test_a_stopped_run_leaves_every_file_it_wrote_listed(met: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from track.cli import publish as command

    out = tmp_path / "site"
    publish(met, out, "--as-of", "2016-12-31")
    real = command._put
    calls = []

    def stop_after_five(tree: object, rel: str, data: bytes) -> bool:
        calls.append(rel)
        if len(calls) > 6:
            raise KeyboardInterrupt
        return real(tree, rel, data)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "_put", stop_after_five)
    publish(met, out, expect=130)
    listed = set((out / ".track-published").read_text().splitlines()[1:])
    assert {rel for rel in files_of(out) if rel != ".track-published"} <= listed
    monkeypatch.setattr(command, "_put", real)
    publish(met, out, "--as-of", "2016-12-31")
    assert set((out / ".track-published").read_text().splitlines()[1:]) == set(files_of(out)) - {".track-published"}


# --------------------------------------------------------------------------- the folder


def test_a_folder_that_is_not_one_is_refused(met: Cli, tmp_path: Path) -> None:
    file = tmp_path / "a-file"
    file.write_text("x")
    said = publish(met, file, expect=1)
    assert said == f"track: {file} is a file, not a folder: give a folder to publish into\n"
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    assert "is a symbolic link" in publish(met, link, expect=1)
    before = take_snapshot(met.root)
    assert "the ledger's own folder" in publish(met, met.root, expect=1)
    assert "the ledger's own folder" in publish(met, met.root / "reports", expect=1)
    assert take_snapshot(met.root) == before
    assert list(target.iterdir()) == [] and file.read_text() == "x"


def test_links_inside_the_folder_are_never_followed(met: Cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("theirs")
    out = tmp_path / "site"
    out.mkdir()
    (out / "owners").symlink_to(outside, target_is_directory=True)
    said = publish(met, out, expect=1)
    assert said.startswith(f"track: {out / 'owners'} is a symbolic link or a file") and said.count("\n") == 1
    assert [p.name for p in outside.iterdir()] == ["index.html"] and (outside / "index.html").read_text() == "theirs"
    (out / "owners").unlink()
    (out / "index.html").symlink_to(outside / "index.html")  # a link where a page goes: replaced, its target untouched
    publish(met, out)
    assert not (out / "index.html").is_symlink() and (outside / "index.html").read_text() == "theirs"
    (out / ".track-published").write_text("# list\n../outside/index.html\n/etc/passwd\nreports/../../outside/index.html\n")
    publish(met, out)
    assert (outside / "index.html").read_text() == "theirs"


def test_the_help_has_an_example(met: Cli) -> None:
    text = met("publish", "--help").stdout
    assert "Example: track publish" in text and "--base-url" in text and "--as-of" in text and "--title" in text
