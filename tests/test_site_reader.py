"""The website as a reader sees it: every built page of every region and the portal is scanned
for leaked markup, internal plumbing and missing context, and pages are checked with axe-core
(WCAG 2.1 AA) in a real headless Chromium, in light and dark scheme, on a desktop and a phone."""

import functools
import http.server
import re
import shutil
import threading

import lxml.html
import pytest

from helpers import FIXTURES, REPO, product_html, type_search

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REGIONS = sorted(p.name for p in (REPO / "content" / "regios").iterdir())
PORTAL = "Productenboeken jeugdhulp en Wmo"
AXE = FIXTURES / "axe" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _region_names() -> dict[str, str]:
    names = {}
    for slug in REGIONS:
        text = (REPO / "content" / "regios" / slug / "regio.yml").read_text(encoding="utf-8")
        names[slug] = re.search(r"^naam:\s*\"?(.*?)\"?\s*$", text, flags=re.M).group(1)
    return names


NAMES = _region_names()


@pytest.fixture(scope="module")
def site(site_without_downloads):
    return site_without_downloads  # built once per session (conftest)


@pytest.fixture(scope="module")
def pages(site):
    """Every built page: (path relative to the site, parsed document)."""
    out = []
    for path in sorted(site.rglob("*.html")):
        html = path.read_bytes()
        if b'<meta http-equiv="refresh"' in html:
            continue  # a product's former page, sending the reader on (test_productgroups)
        out.append((path.relative_to(site).as_posix(), lxml.html.fromstring(html)))
    assert len(out) > 100
    return out


def _product(site, region: str, product_id: str):
    """A product's section of its group's page, parsed."""
    return lxml.html.fromstring(product_html(site, region, product_id))


def _article(doc):
    art = doc.xpath("//article")
    return art[0] if art else doc


def _text(el) -> str:
    for bad in el.xpath(".//script|.//style"):
        bad.drop_tree()
    return el.text_content()


def _region_of(rel: str) -> str | None:
    first = rel.split("/", 1)[0]
    return first if first in NAMES else None


# -- what every page shows -----------------------------------------------------------------

LEAKS = [
    "???",
    "{#",
    "#}",
    "{.unlisted}",
    "\\(",
    "\\)",
    "&amp;",
    "&lt;",
    "###",
    "|---|",
    "{ #",
    "{ .openpunt",
]


def test_no_page_shows_markup_as_text(pages):
    found = []
    for rel, doc in pages:
        text = _text(_article(doc))
        found += [f"{rel}: {leak!r}" for leak in LEAKS if leak in text]
    assert found == []


def test_no_page_has_a_code_block(pages):
    """No content field is code: text in <code>/<pre> is markup that went wrong (an indented
    note read as a code block, a file path)."""
    # The Open data pages document file columns and code examples: code by design.
    found = [
        f"{rel}: {el.text_content()[:60]!r}"
        for rel, doc in pages
        if not rel.endswith("opendata/index.html")
        for el in _article(doc).xpath(".//code|.//pre")
    ]
    assert found == []


def test_every_page_names_its_region_in_the_title(pages):
    missing = []
    for rel, doc in pages:
        title = doc.findtext(".//title") or ""
        slug = _region_of(rel)
        expected = NAMES[slug] if slug else PORTAL
        if expected not in title:
            missing.append(f"{rel}: {title!r}")
    assert missing == []


PLUMBING = [
    re.compile(r"\d{3}_[0-9a-f]{16}\.txt"),
    re.compile(r"content/regios/"),
    re.compile(r"\.yml\b"),
    re.compile(r"\bL\d{3,}\b"),
    re.compile(r"\([0-9a-f]{7}(\+wijzigingen)?\)"),
    re.compile(r"\.yml:\d+:\d+"),
]


def test_no_internal_plumbing_is_shown(pages):
    """Readers get the source by title, not file names, YAML paths, source-line labels or
    git hashes."""
    found = []
    for rel, doc in pages:
        text = _text(doc)
        found += [f"{rel}: {m.group(0)!r}" for rx in PLUMBING for m in [rx.search(text)] if m]
    assert found == []


def test_every_product_and_kernbeding_page_names_its_source_by_title(site):
    page = product_html(site, "groningen", "45A49")
    assert "Bron: Productenboek (bijlage 5), regel" in page
    assert "<details" in page  # the source note is collapsible
    notes = 0
    for path in site.glob("*/productgroepen/*/index.html"):
        doc = _article(lxml.html.fromstring(path.read_bytes()))
        for section in doc.xpath(".//section[@class='product']"):
            assert "Bron:" in _text(section), (path, section.get("aria-labelledby"))
            notes += 1
    for path in site.glob("*/kernbedingen/*/index.html"):
        text = _text(_article(lxml.html.fromstring(path.read_bytes())))
        assert "Bron:" in text, path
        notes += 1
    assert notes == 150 + 50


def test_notes_from_the_source_are_collapsible_and_readable(pages):
    """'??? info' blocks are <details>, their text is not escaped twice."""
    details = [(rel, el) for rel, doc in pages for el in _article(doc).xpath(".//details")]
    remarks = [el for _rel, el in details if "Opmerkingen bij de bron" in el.text_content()]
    assert len(remarks) > 100
    hr = next(el for rel, el in details if rel == "holland-rijnland/index.html")
    assert "Duin & Bollenstreek" in hr.text_content()


# -- facts shown as the source gives them ---------------------------------------------------


def test_contract_year_not_stated_is_niet_vermeld(site):
    portal = lxml.html.fromstring((site / "index.html").read_bytes())
    header = [th.text_content().strip() for th in portal.xpath("//table//tr[1]/th")]
    row = next(tr for tr in portal.xpath("//table//tr") if "RIGG Groningen" in tr.text_content())
    assert row.xpath("./td")[header.index("Contractjaar")].text_content().strip() == "niet vermeld"
    home = lxml.html.fromstring((site / "groningen" / "index.html").read_bytes())
    cells = {
        th.text_content().strip(): th.getnext().text_content().strip()
        for th in home.xpath("//th[@scope='row']")
    }
    assert cells["Contractjaar"] == "niet vermeld"
    ww = (site / "groningen" / "waswordt" / "index.html").read_text(encoding="utf-8")
    assert "Contractjaar: niet vermeld" in ww
    west = lxml.html.fromstring((site / "west-friesland" / "index.html").read_bytes())
    assert {
        th.text_content().strip(): th.getnext().text_content().strip()
        for th in west.xpath("//th[@scope='row']")
    }["Contractjaar"] == "2025"


def test_tariff_condition_is_a_note_not_a_unit(site):
    text = _text(_product(site, "groningen", "43A08"))
    assert "€ 456,65 per etmaal (Er wordt alleen op de dagen gedeclareerd" in text
    assert "(per Er wordt" not in text
    overview = _text(
        _article(lxml.html.fromstring((site / "groningen" / "overzicht" / "index.html").read_bytes()))
    )
    assert "per Er wordt" not in overview and "per voor de duur" not in overview


def test_randvoorwaarden_show_score_once_and_responsibilities_apart(site):
    page = site / "holland-rijnland" / "effectketen" / "ambulante-jeugdhulp" / "index.html"
    html = page.read_text(encoding="utf-8")
    text = _text(_article(lxml.html.fromstring(html)))
    assert "Randvoorwaarde 1 · score 9 (3x3)" in text
    assert "9 (9 (3x3))" not in text
    # 'Verantwoordelijk: TWO en Gemeente Waar: TWO en Beleid' in the source: two lines here
    assert re.search(r"Verantwoordelijk: TWO en Gemeente<br>\s*Waar: TWO en Beleid", html)
    for path in site.glob("holland-rijnland/effectketen/*/index.html"):
        assert not re.search(r"\d+ \(\d+ \(", path.read_text(encoding="utf-8")), path


def test_lists_inside_table_cells_stay_lists(site):
    doc = _product(site, "west-friesland", "medicatiecontrole")
    cell = next(td for td in doc.xpath("//td") if "huisarts" in td.text_content())
    assert len(cell.xpath(".//li")) == 2


def test_web_addresses_in_text_are_links(site):
    hrefs = _product(site, "groningen", "45G02").xpath("//a/@href")
    assert "https://www.igj.nl/zorgsectoren/jeugd/toezicht-en-toetsingskaders/toetsingskaders" in hrefs


# -- navigation, region context, colophon ---------------------------------------------------


def test_every_region_page_links_back_to_the_portal(site, pages):
    missing = []
    for rel, doc in pages:
        if not _region_of(rel) or rel.endswith("404.html"):
            continue
        links = doc.xpath("//a[contains(@class, 'pb-portaal')]/@href")
        target = (site / rel).parent / (links[0] if links else "nowhere") / "index.html"
        if not links or target.resolve() != (site / "index.html").resolve():
            missing.append(rel)
    assert missing == []


def test_footer_names_publisher_date_and_version_not_the_generator(pages):
    for rel, doc in pages:
        footer = " ".join(doc.xpath("//footer//text()"))
        assert "Made with" not in footer, rel
        assert "Uitgever:" in footer and "Gebouwd:" in footer and "Inhoud bijgewerkt:" in footer, rel
    groningen = next(doc for rel, doc in pages if rel == "groningen/index.html")
    assert "Uitgever: RIGG" in " ".join(groningen.xpath("//footer//text()"))


def test_region_home_has_no_empty_header_row_and_no_zero_counts(site):
    for slug in REGIONS:
        doc = lxml.html.fromstring((site / slug / "index.html").read_bytes())
        for th in doc.xpath("//article//th"):
            assert th.text_content().strip(), slug
        text = _text(_article(doc))
        assert not re.search(r"\b0 (producten|kernbedingen)\b", text), slug


def _nav_labels(doc) -> list[list[str]]:
    """Labels of the items of every nav list, per list."""
    out = []
    for ul in doc.xpath("//nav[contains(@class, 'md-nav--primary')]//ul[contains(@class, 'md-nav__list')]"):
        labels = []
        for li in ul.xpath("./li"):
            label = li.xpath("./a|./label|./div/a|./div/label")
            if label:
                labels.append(" ".join(label[0].text_content().split()))
        out.append(labels)
    return out


def test_nav_has_no_duplicate_names_and_no_nested_producten(site):
    for slug in REGIONS:
        for rel in ("index.html", "overzicht/index.html", "kernbedingen/centrale-intake/index.html"):
            path = site / slug / rel
            if not path.exists():
                continue
            doc = lxml.html.fromstring(path.read_bytes())
            for labels in _nav_labels(doc):
                assert len(labels) == len(set(labels)), (slug, rel, labels)
    oplegger = lxml.html.fromstring((site / "oplegger-2025" / "overzicht" / "index.html").read_bytes())
    nested = oplegger.xpath(
        "//nav[contains(@class,'md-nav--primary')]//li[./*[normalize-space()='Producten']]"
        "//li[./*[normalize-space()='Producten']]"
    )
    assert nested == []


def test_overview_placeholders_are_not_links(site):
    doc = lxml.html.fromstring((site / "oplegger-2025" / "overzicht" / "index.html").read_bytes())
    assert [a for a in doc.xpath("//article//a") if a.text_content().strip() == "—"] == []
    assert len(doc.xpath("//article//table//a[contains(@href, 'productgroepen/')]")) == 87


def test_oplegger_product_page_shows_contract_and_status(site):
    text = _text(_product(site, "oplegger-2025", "02A03"))
    assert "Contract en was-wordt" in text
    assert "Contracten Ambulant Jeugd en Wmo: Ambulant Wmo" in text and "Houden" in text


# -- open points --------------------------------------------------------------------------


def test_every_region_has_an_open_points_page_linking_each_point(site):
    for slug in REGIONS:
        doc = lxml.html.fromstring((site / slug / "openpunten" / "index.html").read_bytes())
        rows = doc.xpath("//article//table/tbody/tr")
        assert rows, slug
        assert len(doc.xpath("//article//table/thead//th")) == 2  # no file/line column
        seen = set()
        for tr in rows:
            first, second = tr.xpath("./td")
            assert first.xpath(".//a/@href"), (slug, first.text_content())
            key = (first.text_content(), second.text_content())
            assert key not in seen, (slug, key)
            seen.add(key)
            if second.text_content().strip() in ("[PM]", "PM"):
                pytest.fail(f"{slug}: open punt zonder context")
    oplegger = lxml.html.fromstring((site / "oplegger-2025" / "openpunten" / "index.html").read_bytes())
    assert len(oplegger.xpath("//article//table/tbody/tr")) >= 87


# -- in the browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _axe_pages(site) -> list[str]:
    """The portal, comparison pages, and per region its home, overview, a product group's page
    and a kernbeding page, was-wordt, open points and every effectketen page."""
    paths = ["/", "/vergelijking/", "/vergelijking/jeugdwet-45/", "/structuur/"]
    for slug in REGIONS:
        paths.append(f"/{slug}/")
        for rel in ("overzicht", "waswordt", "openpunten", "opbouw", "segmentoverstijgend"):
            if (site / slug / rel / "index.html").exists():
                paths.append(f"/{slug}/{rel}/")
        for kind in ("productgroepen", "kernbedingen"):
            first = sorted((site / slug / kind).glob("*/index.html")) if (site / slug / kind).is_dir() else []
            if first:
                paths.append(f"/{slug}/{kind}/{first[0].parent.name}/")
        paths += [
            f"/{slug}/effectketen/{p.parent.name}/"
            for p in sorted(site.glob(f"{slug}/effectketen/*/index.html"))
        ]
    return paths


# What changes when the page is narrow: tables that scroll, and colours of what moves.
NARROW_RULES = ["scrollable-region-focusable", "color-contrast", "link-in-text-block", "landmark-unique"]


def _axe(page, rules: list[str] | None = None) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG}
    violations = page.evaluate(
        "async (only) => (await axe.run(document, {runOnly: only}))"
        ".violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
        only,
    )
    return violations


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_selector("body[data-pb-klaar]", state="attached")  # the reader additions ran


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(browser, server, site, scheme):
    """Every page in both schemes, on a desktop (1280x900) and on a phone (390x844), where wide
    tables must scroll by keyboard."""
    paths = _axe_pages(site)
    assert len(paths) > 25
    found = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page.set_default_timeout(20000)
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        _open(page, server + path)
        found += [f"{path} (1280): {v}" for v in _axe(page)]
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(100)
        found += [f"{path} (390): {v}" for v in _axe(page, NARROW_RULES)]
    page.close()
    assert found == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_the_search_dialog_open(browser, server, scheme):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page.set_default_timeout(20000)
    _open(page, server + "/groningen/")
    type_search(page, "pleegzorg")
    assert page.locator(".md-search-result__item").count()
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Zoeken"
    assert _axe(page) == []
    page.close()


@pytest.mark.browser
def test_phone_header_shows_the_region_and_print_names_it(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _open(page, server + "/groningen/producten/43A08/")
    topic = page.locator(".md-header__topic").first
    assert topic.inner_text().startswith("RIGG Groningen")
    assert page.locator(".pb-printkop").is_hidden()
    page.emulate_media(media="print")
    assert page.locator(".pb-printkop").is_visible()
    assert "RIGG Groningen" in page.locator(".pb-printkop").inner_text()
    page.close()
