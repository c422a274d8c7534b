"""A page per product group, written as HTML: every product is a section with its own anchor,
its former page sends the reader there, and search finds it (htmlpage + sitehooks)."""

import json
import re

import pytest

from helpers import REPO, product_page, type_search
from productenboek.htmlpage import search_sections, toc_tokens
from productenboek.pipeline import gather

pytestmark = pytest.mark.slow

PAGE = (
    '<h1 id="g">Groep &amp; co<a class="headerlink" href="#g" title="Permanente link">&para;</a></h1>'
    "<p>Inleiding</p>"
    '<h2 id="45a01">45A01 A &lt;b&gt;<a class="headerlink" href="#45a01" title="Permanente link">&para;</a></h2>'
    "<table><tr><th>Tarief</th><td>€ 1,00</td></tr></table>"
    '<h3 id="45a01-doelgroep">Doelgroep<a class="headerlink" href="#45a01-doelgroep" title="Permanente link">'
    "&para;</a></h3><p>Jeugdigen</p>"
    '<h2 id="45a02">45A02 B<a class="headerlink" href="#45a02" title="Permanente link">&para;</a></h2><p>x</p>'
)


def test_table_of_contents_nests_products_under_the_group():
    toc = toc_tokens(PAGE)
    assert [t["id"] for t in toc] == ["g"]
    assert [(c["id"], c["name"]) for c in toc[0]["children"]] == [
        ("45a01", "45A01 A &lt;b&gt;"),
        ("45a02", "45A02 B"),
    ]
    assert all(not c["children"] for c in toc[0]["children"])  # Doelgroep (h3) is not listed


def test_search_has_a_section_per_product_with_its_subsections_as_text():
    sections = search_sections(PAGE)
    assert [s[0] for s in sections] == ["", "45a01", "45a02"]  # the page itself, then its products
    _id, title, text = sections[1]
    assert title == "45A01 A &lt;b&gt;"  # still escaped: the search shows it as HTML
    assert text == "Tarief € 1,00 Doelgroep Jeugdigen"


def _products():
    content = gather(str(REPO / "content"))
    return {slug: list(rc.products) for slug, rc in sorted(content.regions.items())}


def test_every_product_has_one_section_and_its_former_page_leads_there(site_without_downloads):
    site = site_without_downloads
    total = 0
    for slug, ids in _products().items():
        for pid in ids:
            page, anchor = product_page(site, slug, pid)
            html = page.read_text(encoding="utf-8")
            assert html.count(f'<section class="product" aria-labelledby="{anchor}">') == 1, (slug, pid)
            assert html.count(f' id="{anchor}"') == 1, (slug, pid)  # the anchor is unique on the page
            assert page.parent.parent.name == "productgroepen"
            # the redirect asks the browser for nothing that is not there (its icon)
            stub = site / slug / "producten" / pid
            icons = re.findall(
                r'rel="icon" href="([^"]+)"', (stub / "index.html").read_text(encoding="utf-8")
            )
            assert icons and all((stub / icon).resolve().is_file() for icon in icons), (slug, pid)
            total += 1
    assert total == 150  # 56 + 0 + 87 + 7 products


def test_search_index_has_every_product_at_its_section(site_without_downloads):
    site = site_without_downloads
    for slug, ids in _products().items():
        if not ids:
            continue
        docs = json.loads((site / slug / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        located = {d["location"]: d for d in docs}
        for pid in ids:
            page, anchor = product_page(site, slug, pid)
            rel = page.parent.relative_to(site / slug).as_posix() + "/#" + anchor
            assert rel in located, (slug, pid)
            assert located[rel]["boost"] == 4
        # each group page once as itself (its sections hang under it in the results), and not
        # a second time by the search plugin's own parser
        pages = [d["location"] for d in docs if re.match(r"productgroepen/[^#]*$", d["location"])]
        assert len(pages) == len(set(pages)) == len({product_page(site, slug, p)[0] for p in ids})


def test_search_in_the_browser_opens_a_product_at_its_section(site_without_downloads, browser):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_without_downloads))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.set_default_timeout(15000)
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/groningen/", wait_until="networkidle")
        type_search(page, "45A49")
        section = page.locator(".md-search-result__item > a[href$='#45a49']").first
        assert "45A49 Groepsbegeleiding basis" in section.inner_text()
        section.click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/groningen/productgroepen/ambulant/?h=45a49#45a49"), page.url
        assert page.locator("[id='45a49']").is_visible()
        page.close()
    finally:
        httpd.shutdown()
