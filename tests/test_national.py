"""The national view in the portal: the Productentabel (every product and coded kernbeding of
every region), the comparison per category and code, the zorgvorm pages, and the links both
ways between region pages and the portal. Checked against the YAML in content/ (read here
without the model), in the built HTML, and in a real headless Chromium."""

import csv
import functools
import http.server
import io
import json
import re
import shutil
import statistics
import threading
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from helpers import REPO, cwd

CONTENT = REPO / "content"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = [
    REPO / "tests" / "fixtures" / "axe" / "axe.min.js",
    Path("/tmp/national/axe/node_modules/axe-core/axe.min.js"),
]


def _yaml_items() -> list[dict]:
    """Every product and every kernbeding with a real product code, straight from the YAML."""
    items = []
    for region in sorted((CONTENT / "regios").iterdir()):
        groups = {
            g["id"] for g in yaml.safe_load((region / "regio.yml").read_text()).get("productgroepen", [])
        }
        for f in sorted((region / "producten").glob("*.yml")):
            d = yaml.safe_load(f.read_text(encoding="utf-8"))
            group = d.get("productgroep") if d.get("productgroep") in groups else None
            page = group or ("overige-producten" if groups else "producten")
            items.append(
                {
                    "kind": "product",
                    "slug": region.name,
                    "id": f.stem,
                    # a product is a section of its group's page (a page per product group)
                    "path": f"{region.name}/productgroepen/{page}/#{f.stem.lower()}",
                    "code": str(d.get("code") or ""),
                    "name": d["naam"],
                    "national": d.get("landelijk") or "",
                    "tariffs": d.get("tarieven") or [],
                }
            )
        for f in sorted((region / "kernbedingen").glob("*.yml")):
            d = yaml.safe_load(f.read_text(encoding="utf-8"))
            if d.get("code") and d.get("code_status") != "placeholder":
                items.append(
                    {
                        "kind": "kernbeding",
                        "slug": region.name,
                        "id": f.stem,
                        "path": f"{region.name}/kernbedingen/{f.stem}/",
                        "code": str(d["code"]),
                        "name": d["naam"],
                        "national": d.get("landelijk") or "",
                        "tariffs": [],
                    }
                )
    return items


@pytest.fixture(scope="module")
def portal_files():
    from productenboek.outputs import portal
    from productenboek.pipeline import gather

    content = gather(str(CONTENT))
    summaries = [portal.region_summary(content, slug) for slug in sorted(content.regions)]
    pages, _nav = portal.portal_pages(content, summaries)
    return pages


def _json_rows(text: str) -> list[dict]:
    data = json.loads(text)
    return [dict(zip(data["kolommen"], r, strict=True)) for r in data["rijen"]]


def test_table_lists_exactly_the_products_and_coded_kernbedingen(portal_files):
    expected = _yaml_items()
    rows = _json_rows(portal_files["producten/productentabel.json"])
    assert len(rows) == len(expected)
    assert sorted((r["path"]) for r in rows) == sorted(i["path"] for i in expected)
    assert (
        sum(r["kind"] == "kernbeding" for r in rows) == sum(i["kind"] == "kernbeding" for i in expected) > 30
    )
    assert not any(r["code"] == "XXXXX" for r in rows)  # a placeholder is no code
    by_path = {r["path"]: r for r in rows}
    g = by_path["groningen/productgroepen/ambulant/#45a49"]
    assert (g["code"], g["name"], g["region"], g["law_name"], g["category"]) == (
        "45A49",
        "Groepsbegeleiding basis",
        "RIGG Groningen",
        "Jeugdwet",
        "45",
    )
    assert (g["amount"], g["tariff"], g["unit"], g["national"], g["status"]) == (
        "21.05",
        "€ 21,05",
        "per uur (per deelnemende jeugdige)",
        "ambulante-begeleiding-groep",
        "Houden",
    )
    hr = by_path["holland-rijnland/kernbedingen/begeleiding-groep/"]
    assert (hr["kind"], hr["code"], hr["name"], hr["region"], hr["amount"]) == (
        "kernbeding",
        "45A49",
        "Begeleiding groep",
        "Holland Rijnland",
        "",
    )
    # every amount is the first tariff's, exactly as typed
    for i in expected:
        r = by_path[i["path"]]
        first = i["tariffs"][0].get("bedrag") if i["tariffs"] else None
        assert (Decimal(r["amount"]) if r["amount"] else None) == (
            None if first is None else Decimal(str(first))
        ), r["path"]
        assert (r["code"], r["name"], r["national"]) == (i["code"], i["name"], i["national"])


def test_csv_and_xlsx_hold_the_same_table(portal_files):
    from openpyxl import load_workbook

    rows = _json_rows(portal_files["producten/productentabel.json"])
    text = portal_files["producten/producten.csv"]
    assert text.startswith("\ufeffCode;Naam;")
    table = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(table) == len(rows) + 1
    line = next(r for r in table if r[0] == "45A49" and r[3] == "RIGG Groningen")
    assert line[1] == "Groepsbegeleiding basis" and line[7] == "21,05" and line[8] == "€ 21,05"
    ws = load_workbook(io.BytesIO(portal_files["producten/producten.xlsx"])).active
    values = list(ws.iter_rows(values_only=True))
    assert len(values) == len(rows) + 1
    cell = next(v for v in values if v[0] == "45A49" and v[3] == "RIGG Groningen")
    assert cell[7] == pytest.approx(21.05) and not isinstance(cell[7], str)


def test_comparison_is_one_table_per_category_with_a_row_group_per_code(portal_files):
    page = portal_files["vergelijking/jeugdwet-45.md"]
    assert page.count("<table>") == 1 and '"opmaak": "html"' in page  # HTML: no Markdown conversion
    group = page[page.index('<tbody id="code-45a49">') :]
    group = group[: group.index("</tbody>")]
    assert 'rowspan="2"' in group and "45A49" in group
    assert 'href="../../groningen/productgroepen/ambulant/#45a49"' in group
    assert 'href="../../holland-rijnland/kernbedingen/begeleiding-groep/"' in group
    assert "€ 21,05" in group and 'href="../../zorgvormen/ambulante-begeleiding-groep/"' in group
    # every item of the category is a line, under its code
    rows = [
        r
        for r in _json_rows(portal_files["producten/productentabel.json"])
        if r["category"] == "45" and r["law_name"] == "Jeugdwet"
    ]
    assert page.count("<tr>") == len(rows) + 1  # + the header


def test_zorgvorm_page_compares_tariffs_per_unit_only(portal_files):
    items = [i for i in _yaml_items() if i["national"] == "ambulante-begeleiding-individueel"]
    amounts = sorted(
        Decimal(str(t["bedrag"])) for i in items for t in i["tariffs"][:1] if t.get("bedrag") is not None
    )
    assert len(amounts) >= 2
    page = portal_files["zorgvormen/ambulante-begeleiding-individueel.md"]
    from productenboek.dutch import money

    stat = page[page.index('<th scope="row">per uur</th>') :].split("</tr>")[0]
    assert [money(amounts[0]), money(statistics.median(amounts)), money(amounts[-1])] == re.findall(
        r"€ [\d.,]+", stat
    )
    assert all(f'href="../../{i["path"]}"' in page for i in items)
    assert "Eenheden verschillen" not in page
    mixed = portal_files["zorgvormen/ambulante-gezins-of-systeembehandeling.md"]
    assert "Eenheden verschillen" in mixed and "per afgeronde behandeling" in mixed


# -- the built site: links both ways ----------------------------------------------------------


@pytest.fixture(scope="module")
def site(site_without_downloads):
    return site_without_downloads  # built once per session (conftest)


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])


def _parse(path: Path) -> _Anchors:
    p = _Anchors()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _section_hrefs(page: Path, anchor: str) -> list[str]:
    """The links of one item: a kernbeding's page, or a product's section of its group page."""
    if not anchor:
        return _parse(page).hrefs
    html = page.read_text(encoding="utf-8")
    start = html.index(f'<section class="product" aria-labelledby="{anchor}">')
    p = _Anchors()
    p.feed(html[start : html.index("</section>", start)])
    return p.hrefs


def _target(page: Path, href: str) -> tuple[Path, str]:
    url = urlparse(href)
    path = (page.parent / url.path).resolve()
    return (path / "index.html" if url.path.endswith("/") else path), url.fragment


@pytest.mark.slow
def test_item_pages_link_to_their_comparison_row_and_zorgvorm_and_back(site):
    items = [i for i in _yaml_items() if i["code"]]
    assert len(items) > 150
    checked_forms = 0
    for i in items:
        folder, _, anchor = i["path"].partition("#")
        page = site / folder / "index.html"
        hrefs = _section_hrefs(page, anchor)
        compare = [h for h in hrefs if "/vergelijking/" in h]
        assert len(compare) == 1, page
        target, fragment = _target(page, compare[0])
        assert fragment == "code-" + i["code"].lower() and fragment in _parse(target).ids, compare[0]
        back = [h for h in _parse(target).hrefs if _target(target, h) == (page, anchor)]
        assert back, f"{target} does not link to {page}#{anchor}"
        forms = [h for h in hrefs if "/zorgvormen/" in h]
        assert bool(forms) == bool(i["national"]), page
        for h in forms:
            form_page, _ = _target(page, h)
            assert any(_target(form_page, x) == (page, anchor) for x in _parse(form_page).hrefs), (
                f"{form_page} -> {page}#{anchor}"
            )
            checked_forms += 1
    assert checked_forms > 50


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _open(browser, url, route_json: str | None = None):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if route_json is not None:
        page.route(
            "**/productentabel.json",
            lambda route: route.fulfill(status=200, content_type="application/json", body=route_json),
        )
    page.goto(url, wait_until="load")
    page.wait_for_selector("#pt-productentabel[data-klaar]")
    return page, errors


def _visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#pt-tabel tbody tr",
        """trs => trs.map(tr => ({
        code: tr.cells[0].textContent, href: tr.cells[1].querySelector('a').getAttribute('href'),
        region: tr.cells[2].textContent, value: tr.cells[6].getAttribute('data-waarde')}))""",
    )


@pytest.mark.slow
@pytest.mark.browser
def test_filtering_for_a_code_leaves_every_region_carrying_it(browser, server):
    page, errors = _open(browser, server + "/producten/")
    total = len(_yaml_items())
    assert page.inner_text("#pt-status") == f"Alle {total} regels (pagina 1 van {-(-total // 100)})."
    page.fill("#pt-zoek", "45A49")
    rows = _visible_rows(page)
    expected = {f"../{i['path']}" for i in _yaml_items() if i["code"] == "45A49"}
    assert {r["href"] for r in rows} == expected
    assert (
        "../groningen/productgroepen/ambulant/#45a49" in expected
        and "../holland-rijnland/kernbedingen/begeleiding-groep/" in expected
    )
    assert page.inner_text("#pt-status") == f"{len(expected)} van {total} regels."
    assert "zoek=45A49" in page.url
    page.select_option("#pt-regio", "holland-rijnland")
    assert [r["href"] for r in _visible_rows(page)] == ["../holland-rijnland/kernbedingen/begeleiding-groep/"]
    assert "regio=holland-rijnland" in page.url
    page.click("#pt-wis")
    page.wait_for_function(f"document.querySelectorAll('#pt-tabel tbody tr').length === {min(total, 100)}")
    assert page.input_value("#pt-zoek") == "" and "zoek=" not in page.url
    assert errors == []
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_sorting_by_tariff_is_numeric_both_ways(browser, server):
    page, errors = _open(browser, server + "/producten/?per=500")
    head = page.locator('th[data-kolom="tarief"]')
    head.locator("button").click()
    assert head.get_attribute("aria-sort") == "ascending"
    values = [r["value"] for r in _visible_rows(page)]
    amounts = [Decimal(v) for v in values if v]
    assert len(amounts) > 40 and amounts == sorted(amounts)
    assert amounts != [Decimal(x) for x in sorted(str(a) for a in amounts)]  # not text order
    assert all(values[: len(amounts)]) and not any(values[len(amounts) :])  # empty tariffs last
    head.locator("button").click()
    assert head.get_attribute("aria-sort") == "descending"
    down = [Decimal(r["value"]) for r in _visible_rows(page) if r["value"]]
    assert down == sorted(amounts, reverse=True)
    assert page.locator("th[aria-sort]").count() == 1 and "sorteer=-tarief" in page.url
    assert errors == []
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_address_restores_a_filter(browser, server):
    page, errors = _open(
        browser,
        server
        + "/producten/?zoek=begeleiding&regio=groningen&zorgvorm=ambulante-begeleiding-groep&sorteer=-tarief",
    )
    assert page.input_value("#pt-zoek") == "begeleiding"
    assert page.input_value("#pt-regio") == "groningen"
    assert page.input_value("#pt-zorgvorm") == "ambulante-begeleiding-groep"
    assert page.get_attribute('th[data-kolom="tarief"]', "aria-sort") == "descending"
    rows = _visible_rows(page)
    expected = {
        "../" + i["path"]
        for i in _yaml_items()
        if i["slug"] == "groningen"
        and i["national"] == "ambulante-begeleiding-groep"
        and "begeleiding" in i["name"].lower()
    }
    assert rows and {r["href"] for r in rows} == expected
    values = [Decimal(r["value"]) for r in rows if r["value"]]
    assert values == sorted(values, reverse=True)
    assert errors == []
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_table_page_is_accessible(browser, server):
    axe = next((p for p in AXE if p.is_file()), None)
    page, errors = _open(browser, server + "/producten/?zoek=45A")
    # every control has a label, the table a caption, every header a scope and a button
    unlabelled = page.eval_on_selector_all(
        "#pt-productentabel input, #pt-productentabel select",
        "els => els.filter(e => !e.labels || !e.labels.length).map(e => e.id)",
    )
    assert unlabelled == []
    assert page.locator("#pt-tabel caption").count() == 1
    assert page.locator('#pt-tabel th[scope="col"] button').count() == 11
    assert page.get_attribute("#pt-status", "role") == "status"
    if axe is None:
        pytest.skip("axe-core niet gevonden (tests/fixtures/axe/axe.min.js)")
    run = """async (sel) => {
        const r = await axe.run({include: [[sel]]}, {resultTypes: ['violations']});
        return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
    }"""
    violations = {}
    for path, selector in (
        ("/producten/?per=500", "#pt-productentabel"),
        ("/vergelijking/jeugdwet-45/", "article table"),
        ("/zorgvormen/ambulante-begeleiding-individueel/", "article table"),
    ):
        page.goto(server + path, wait_until="load")
        page.add_script_tag(path=str(axe))
        violations[path] = page.evaluate(run, selector)
    assert violations == {path: [] for path in violations}
    assert errors == []
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_national_scale_renders_and_filters_fast(browser, server, tmp_path):
    """10,500 rows (42 synthetic regions x 250 products): first render and every filter or
    sort below 200 ms in Chromium. Builds only the table's JSON, served in place of the real one."""
    from productenboek import synth
    from productenboek.outputs import portal, tabel
    from productenboek.pipeline import gather

    content_dir = synth.generate(tmp_path / "content", 42, 250, seed=1)
    with cwd(tmp_path):
        content = gather(str(content_dir))
    rows = tabel.sorted_rows(
        [e for slug in sorted(content.regions) for e in portal.region_summary(content, slug)["items"]]
    )
    assert len(rows) == 10_500
    page, errors = _open(browser, server + "/producten/", route_json=tabel.json_text(rows))
    assert page.inner_text("#pt-status") == "Alle 10.500 regels (pagina 1 van 105)."
    timing = page.evaluate("window.productentabel.timing")
    measure = """([sel, value]) => {
        const el = document.querySelector(sel), t0 = performance.now();
        if (value === null) { el.click(); } else { el.value = value; el.dispatchEvent(new Event('input', {bubbles: true})); }
        return performance.now() - t0;
    }"""
    times = {
        "filter": page.evaluate(measure, ["#pt-zoek", "begeleiding"]),
        "filter code": page.evaluate(measure, ["#pt-zoek", rows[5000]["code"]]),
        "clear": page.evaluate(measure, ["#pt-zoek", ""]),
        "sort tariff": page.evaluate(measure, ['th[data-kolom="tarief"] button', None]),
        "sort name": page.evaluate(measure, ['th[data-kolom="naam"] button', None]),
    }
    print(
        f"\n10.500 rows: load (parse + first render) {timing['load']:.1f} ms, render {timing['render']:.1f} ms; "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in times.items())
    )
    assert timing["render"] < 200 and timing["load"] < 400
    assert all(v < 200 for v in times.values()), times
    assert page.locator("#pt-tabel tbody tr").count() == 100
    assert errors == []
    page.close()
