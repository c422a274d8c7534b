"""The website, built from the repository's content and tested as a person uses it: in a
real headless Chromium (Debian's, driven by Playwright) against the site served on 127.0.0.1."""

import functools
import http.server
import json
import shutil
import threading
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

import pytest

from helpers import REPO, product_html, run_cli, type_search

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REGIONS = sorted(p.name for p in (REPO / "content" / "regios").iterdir())


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    code, out, err = run_cli(
        [
            "site",
            "--out",
            str(root / "site"),
            "--dist",
            str(root / "dist"),
            "--content",
            str(REPO / "content"),
        ],
        REPO,
    )
    assert code == 0, err
    assert "waarschuwing" not in err
    return root / "site"


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("link", "script", "img") and (a.get("href") or a.get("src")):
            self.links.append(a.get("href") or a.get("src"))


def test_every_region_and_the_portal_are_built(site):
    assert (site / "index.html").is_file()
    for slug in REGIONS:
        assert (site / slug / "index.html").is_file()
        assert (site / slug / "search" / "search_index.json").is_file()
    assert (site / "groningen" / "producten" / "45A49" / "index.html").is_file()
    assert (site / "holland-rijnland" / "kernbedingen" / "centrale-intake" / "index.html").is_file()


def test_no_broken_internal_links(site):
    broken = []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        if page.name == "404.html":
            continue  # served for any missing path; mkdocs gives it root-absolute links
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.links:
            url = urlparse(href)
            if url.scheme or href.startswith(("#", "mailto:", "//")):
                continue
            target = (page.parent / unquote(url.path)).resolve()
            if url.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_downloads_exist_and_are_linked(site):
    home = (site / "groningen" / "index.html").read_text(encoding="utf-8")
    for name in (
        "productenboek-groningen.pdf",
        "productenboek-groningen.docx",
        "waswordt-groningen.xlsx",
        "waswordt-groningen.csv",
    ):
        assert (site / "groningen" / "downloads" / name).stat().st_size > 1000
        assert f"downloads/{name}" in home


def test_product_page_shows_fields_restrictions_and_source(site):
    html = product_html(site, "groningen", "45A04")
    assert "€ 81,75 per uur" in html
    assert "Oldambt" in html and "vanaf 1 oktober 2024 niet in te zetten" in html
    assert "Bron: Productenboek (bijlage 5), regel" in html  # the source by its title, not a file path
    assert "content/regios/groningen/producten/45A04.yml" not in html
    # combination rules link to products, here to a section of another group's page
    assert 'href="../../productgroepen/dagbesteding-dagbehandeling/#41a18"' in html


def test_search_index_sizes_are_small(site):
    for slug in REGIONS:
        size = (site / slug / "search" / "search_index.json").stat().st_size
        assert size < 1_500_000, f"{slug}: search index {size} bytes"
    index = json.loads((site / "groningen" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"]


def _console_errors(browser, url):
    page = browser.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, errors


@pytest.mark.browser
def test_portal_and_regions_load_without_console_errors(browser, server):
    for path in ["/", *(f"/{slug}/" for slug in REGIONS), "/groningen/producten/45A49/", "/vergelijking/"]:
        page, errors = _console_errors(browser, server + path)
        assert page.title()
        assert errors == [], f"{path}: {errors}"
        page.close()


def _search(browser, url, query):
    page = browser.new_page()
    page.goto(url, wait_until="networkidle")
    page.set_default_timeout(15000)
    type_search(page, query)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))"
    )
    titles = page.eval_on_selector_all(
        ".md-search-result__item > a h1, .md-search-result__item > a h2", "els => els.map(e => e.textContent)"
    )
    page.close()
    return hrefs, titles


@pytest.mark.browser
@pytest.mark.parametrize("query", ["45A49", "45a49"])
def test_search_for_a_code_gives_its_product_first(browser, server, query):
    hrefs, _ = _search(browser, server + "/groningen/", query)
    # the results are grouped by page: first the group's page, then its product's section
    assert hrefs and "/groningen/productgroepen/ambulant/?h=" in hrefs[0]
    assert any(h.endswith("#45a49") for h in hrefs[:3]), hrefs[:3]


@pytest.mark.browser
@pytest.mark.parametrize(
    "query,expected",
    [
        ("pleegzorg", "#44a07"),
        ("logeren", "#44a09"),
        ("dyslexie", "#52g14"),
    ],
)
def test_search_for_dutch_words_finds_the_products(browser, server, query, expected):
    hrefs, _ = _search(browser, server + "/groningen/", query)
    assert any(h.endswith(expected) for h in hrefs[:5]), hrefs[:5]


@pytest.mark.browser
def test_portal_search_for_a_code_shows_every_region_using_it(browser, server, site):
    hrefs, _ = _search(browser, server + "/", "45A53")
    assert any("vergelijking/jeugdwet-45/" in h for h in hrefs[:3]), hrefs[:3]
    html = (site / "vergelijking" / "jeugdwet-45" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="code-45a53"') :]
    section = section[: section.index("</tbody>")]
    assert "RIGG Groningen" in section and "oplegger" in section.lower()
