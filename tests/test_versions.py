"""The yearly cycle on a clone of this repository: publish Groningen 2026.1, index its tariffs
by 3,2 % from 1-1-2027, publish 2027.1, build the site and the books, and read what a person
sees: the frozen versions, the current site, the versions page, the Versiebeheer in the PDF."""

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import REPO, git, product_html, run_cli

pytestmark = pytest.mark.slow
G = Path("content/regios/groningen")


def cli(repo: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(list(args), repo)


def text_of(page: Path) -> str:
    return _text(page.read_text(encoding="utf-8"))


def product_text(site: Path, region: str, product_id: str) -> str:
    """The text of a product's section on its group's page (region: 'groningen/2026.1' too)."""
    return _text(product_html(site, region, product_id))


def _text(t: str) -> str:
    t = re.sub(r"<script.*?</script>", " ", t, flags=re.S)
    m = re.search(r"<article.*?</article>", t, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0) if m else t)))


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    repo = tmp_path_factory.mktemp("cyclus") / "repo"
    subprocess.run(["git", "clone", "-q", str(REPO), str(repo)], check=True)
    # the test's own content: this work tree's content/, one region (builds stay quick)
    shutil.rmtree(repo / "content")
    shutil.copytree(REPO / "content", repo / "content")
    for other in (repo / "content" / "regios").iterdir():
        if other.name != "groningen":
            shutil.rmtree(other)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "alleen groningen", check=False)
    log = {}
    log["publiceer-2026.1"] = cli(repo, "publiceer", "groningen", "2026.1")
    log["indexeer"] = cli(repo, "indexeer", "groningen", "--percentage", "3,2", "--per", "2027-01-01")
    log["publiceer-vuil"] = cli(repo, "publiceer", "groningen", "2027.1")
    git(repo, "commit", "-qam", "Indexatie 2027: +3,2 %")
    log["publiceer-2027.1"] = cli(repo, "publiceer", "groningen", "2027.1")
    log["site"] = cli(repo, "site", "--zonder-downloads")
    log["pdf"] = cli(repo, "pdf", "groningen")
    return repo, log


def test_publish_makes_annotated_tags_with_the_changes(cycle):
    repo, log = cycle
    assert log["publiceer-2026.1"][0] == 0, log["publiceer-2026.1"][2]
    assert log["indexeer"][0] == 0, log["indexeer"][2]
    code, _out, err = log["publiceer-vuil"]
    assert code == 2 and "niet-vastgelegde wijziging" in err
    assert log["publiceer-2027.1"][0] == 0, log["publiceer-2027.1"][2]
    assert git(repo, "tag", "-l", "groningen/*").split() == ["groningen/2026.1", "groningen/2027.1"]
    assert git(repo, "cat-file", "-t", "groningen/2027.1").strip() == "tag"  # annotated
    message = git(repo, "tag", "-l", "--format=%(contents)", "groningen/2027.1")
    assert "Wijzigingen sinds 2026.1: 55 tariefwijzigingen (+3,2 %), 55 producten gewijzigd" in message
    assert (
        "- 45A49 Groepsbegeleiding basis: tarief € 21,05 → € 21,72 (+3,2 %), vanaf 1 januari 2027" in message
    )
    assert len(re.findall(r"\(\+3,2 %\), vanaf 1 januari 2027", message)) == 55
    # no second tag for the same version, no lower version
    assert cli(repo, "publiceer", "groningen", "2027.1")[0] == 2
    assert cli(repo, "publiceer", "groningen", "2026.2")[0] == 2


def test_frozen_and_current_tariffs(cycle):
    repo, log = cycle
    assert log["site"][0] == 0, log["site"][2]
    site = repo / "site"
    old = product_text(site, "groningen/2026.1", "45A49")
    assert "Maximumtarief € 21,05 per uur" in old and "21,72" not in old
    for region in ("groningen", "groningen/2027.1"):
        t = product_text(site, region, "45A49")
        assert "Tarief vanaf 1 januari 2027 € 21,72 per uur (per deelnemende jeugdige)" in t
        assert (
            "Tariefhistorie ¶ Tarief Periode Status € 21,05 per uur (per deelnemende jeugdige) tot en met 31 december 2026"
            in t
        )
        assert "€ 21,72 per uur (per deelnemende jeugdige) vanaf 1 januari 2027 aangekondigd" in t


def _redirect(page: Path) -> bool:
    """A product's former page: it sends the reader on to its section (which has the banner)."""
    return b'http-equiv="refresh"' in page.read_bytes()


def test_every_frozen_page_has_the_banner_and_every_current_page_the_selector(cycle):
    repo, _log = cycle
    site = repo / "site" / "groningen"
    for version in ("2026.1", "2027.1"):
        pages = sorted(p for p in (site / version).rglob("index.html") if not _redirect(p))
        assert len(pages) > 15
        for page in pages:
            raw = page.read_text(encoding="utf-8")
            assert f"Je bekijkt de gepubliceerde versie {version}" in raw, page
            depth = len(page.relative_to(site).parts) - 1  # folders below site/groningen/
            assert f'<a href="{"../" * depth}">Naar de actuele versie</a>' in raw, page
    current = [
        p
        for p in site.rglob("index.html")
        if not re.match(r"\d", p.relative_to(site).parts[0]) and not _redirect(p)
    ]
    assert len(current) > 15
    for page in current:
        raw = page.read_text(encoding="utf-8")
        assert "Versie: 2027.1" in raw and "2026.1/</a>" not in raw, page  # links go to folders
        depth = len(page.relative_to(site).parts) - 1
        assert f'<a href="{"../" * depth}2026.1/">2026.1</a>' in raw, page


def test_versions_page_lists_the_tariff_changes(cycle):
    repo, _log = cycle
    t = text_of(repo / "site" / "groningen" / "versies" / "index.html")
    assert "2027.1 28 november 2026 55 tariefwijzigingen (+3,2 %), 55 producten gewijzigd" in re.sub(
        r"\d+ \w+ 20\d\d", "28 november 2026", t
    )
    assert len(re.findall(r"tarief € [\d.,]+ → € [\d.,]+ \(\+3,2 %\), vanaf 1 januari 2027", t)) == 55
    assert "49B01" not in t
    assert "eerste versie: 56 producten" in t


def test_books_per_version_with_versiebeheer(cycle):
    repo, log = cycle
    assert log["pdf"][0] == 0, log["pdf"][2]
    dist = repo / "dist" / "groningen"
    assert {p.name for p in dist.glob("*.pdf")} == {
        "productenboek-groningen.pdf",
        "productenboek-groningen-2026.1.pdf",
        "productenboek-groningen-2027.1.pdf",
    }

    def front(pdf: Path) -> str:
        return subprocess.run(
            ["pdftotext", "-l", "6", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext ontbreekt")
    t = front(dist / "productenboek-groningen-2027.1.pdf")
    assert "Versiebeheer" in t
    rows = [
        ln.split()[0] for ln in t.split("Versiebeheer")[-1].splitlines() if re.match(r"\s*20\d\d\.\d", ln)
    ]
    assert rows == ["2027.1", "2026.1"]
    assert re.search(r"Versie\s+2027\.1", t)  # the cover names the tag
    t = front(dist / "productenboek-groningen-2026.1.pdf")
    rows = [
        ln.split()[0] for ln in t.split("Versiebeheer")[-1].splitlines() if re.match(r"\s*20\d\d\.\d", ln)
    ]
    assert rows == ["2026.1"]
    t = front(dist / "productenboek-groningen.pdf")
    assert re.search(r"Versie\s+2027\.1", t) and not re.search(r"\b[0-9a-f]{7}\b", t)


def test_second_site_run_reuses_the_frozen_versions_and_labels_a_concept(cycle):
    repo, _log = cycle
    cache = sorted((repo / ".cache" / "versies" / "groningen").glob("site-2026.1-*"))[0]
    before = (cache / "index.html").stat().st_ino, (cache / ".klaar").stat().st_mtime_ns
    path = repo / G / "producten" / "45A49.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "naam: Groepsbegeleiding basis", "naam: Groepsbegeleiding (basis)"
        ),
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "naam")
    code, _out, err = cli(repo, "site", "--zonder-downloads")
    assert code == 0, err
    assert ((cache / "index.html").stat().st_ino, (cache / ".klaar").stat().st_mtime_ns) == before
    site = repo / "site" / "groningen"
    assert (site / "2026.1" / "index.html").stat().st_ino == before[0]  # linked, not built again
    index = text_of(site / "index.html")
    assert "Versie concept na 2027.1" in index
    assert not re.search(r"\([0-9a-f]{7}", index)
    portal = text_of(repo / "site" / "index.html")
    assert "concept na 2027.1" in portal
    assert "Groepsbegeleiding basis" in text_of(site / "2027.1" / "producten" / "45A49" / "index.html")
    versies = text_of(site / "versies" / "index.html")
    assert "concept na 2027.1 (deze site) nog niet gepubliceerd 1 product gewijzigd" in versies
    assert "45A49 Groepsbegeleiding (basis): hernoemd, was Groepsbegeleiding basis" in versies


def test_no_broken_links_between_versions(cycle):
    repo, _log = cycle
    site = repo / "site"
    broken = []
    pages = sorted(
        p for p in (site / "groningen").rglob("*.html") if p.name != "404.html"
    )  # 404: absolute links by design
    for page in pages:
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:|#|//", href):
                continue
            target = (page.parent / href.split("#")[0].split("?")[0]).resolve()
            if href.split("#")[0].endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href}")
    frozen = len(list((site / "groningen" / "2026.1").rglob("index.html")))
    # current + 2 versions; the current site also has the Open data page (frozen versions do not)
    assert len(pages) == 3 * frozen + 1
    assert broken == []


@pytest.mark.browser
def test_version_selector_in_a_real_browser(cycle):
    """Each frozen version reads the list of versions at view time (Material's mike selector)."""
    import functools
    import http.server
    import threading

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is niet geïnstalleerd (make test installeert het)")
    from playwright.sync_api import sync_playwright

    repo, _log = cycle
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(repo / "site"))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    from concurrent.futures import ThreadPoolExecutor

    def check():  # in a thread of its own: another test's browser may hold this thread's event loop
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/groningen/2026.1/producten/45A49/", wait_until="networkidle")
            page.wait_for_selector(".md-version__current", timeout=15000)
            assert page.inner_text(".md-version__current").startswith("2026.1")
            links = page.eval_on_selector_all(
                ".md-version__link", "els => els.map(e => [e.textContent.trim(), e.href])"
            )
            assert [t.split()[0] for t, _href in links] == ["2027.1", "2026.1"]
            assert links[0][1].startswith(base + "/groningen/2027.1/")
            page.click("text=Naar de actuele versie")
            page.wait_for_load_state("networkidle")
            assert page.url == base + "/groningen/"
            assert re.search(r"Versie: (concept na )?2027\.1", page.inner_text("article"))
            page.goto(base + "/groningen/2027.1/producten/45A49/", wait_until="networkidle")
            assert "Tarief vanaf 1 januari 2027" in page.inner_text("article")
            assert errors == []
            browser.close()

    try:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(check).result()
    finally:
        httpd.shutdown()


def test_a_new_day_rebuilds_a_region_only_when_a_tariff_starts_or_stops(tmp_path, monkeypatch):
    import datetime as dt

    from productenboek.outputs import site

    # The build state beside the site keeps, per region, the day its tariffs were chosen for.
    built = {"peildatum": {"dag": "2026-11-28", "jaar": False, "grenzen": ["2027-01-01"]}}
    for today, same in (
        (dt.date(2026, 11, 28), True),
        (dt.date(2026, 12, 31), True),
        (dt.date(2027, 1, 1), False),
    ):
        monkeypatch.setattr(site, "_today", lambda today=today: today)
        assert site._same_tariffs(built, None) is same
    assert site._same_tariffs(built, dt.date(2026, 12, 1)) is True  # an explicit peildatum in the same period
    assert site._same_tariffs(built, dt.date(2027, 2, 1)) is False
    assert site._same_tariffs({"peildatum": "kapot"}, None) is False
    assert site._same_tariffs(None, None) is False


def test_built_region_remembers_its_tariff_dates(cycle):
    import json

    repo, _log = cycle
    assert not (repo / "site" / "groningen" / ".peildatum.json").exists()  # nothing hidden is published
    data = json.loads((repo / ".site.staat.json").read_text())["regios"]["groningen"]["peildatum"]
    assert data["grenzen"] == ["2027-01-01"] and data["jaar"] is False
