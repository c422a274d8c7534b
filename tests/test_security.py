"""Content is untrusted: a region whose every text field (found from the model's declarations,
tests/hostile.py) and whose chapter hold hostile text builds, shows that text literally in every
built page, the navigation, <title> and the search index, runs no script in a real chromium,
and its Word book holds no file from outside the repository and no javascript: link."""

import dataclasses
import functools
import html
import http.server
import io
import json
import re
import shutil
import subprocess
import threading
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import PAYLOAD, PNG, make_hostile, text_fields

from helpers import make_content, product_page, run_cli, type_search

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MARKER = re.compile(r"Hx\d{3}")
# The only markup Material's search keeps in its index (anything else is text).
SEARCH_MARKUP = (
    r"<(?!/?(code|em|strong|b|i|u|mark|sup|sub|kbd|br|p|ul|ol|li|dl|dt|dd|pre|table|thead|tbody|tr|th|td)\b)"
)
# Declared text fields the site does not show (today). A new field is not shown until a template
# shows it; then it must leave this list, and the tests below check it is shown literally.
NOT_ON_SITE = ["CodeList.naam", "Target.eenheid"]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("vijandig")
    content = make_content(root)
    poison = make_hostile(content)
    code, _out, err = run_cli(
        ["site", "--content", str(content), "--out", str(root / "site"), "--dist", str(root / "dist")], root
    )
    assert code == 0, err
    return root, poison


class Page(HTMLParser):
    """What a reader sees of one HTML page, and everything in it that could run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.text, self.nav, self.title = [], [], []
        self.running: list[str] = []  # injected handlers, script, javascript: URLs

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.running.append(f"<{tag} {name}={value!r}>")
            if (
                name in ("href", "src", "action", "formaction", "xlink:href")
                and value != "javascript:void(0)"
                and re.match(r"\s*(javascript|vbscript|data):", html.unescape(value), re.I)
            ):
                self.running.append(f"<{tag} {name}={value!r}>")
            if name == "style" and "__pwned" in value:
                self.running.append(f"<{tag} style={value!r}>")
        if tag == "img" and a.get("src") == "x":
            self.running.append("<img src=x>")
        if tag in (
            "img",
            "script",
            "link",
            "iframe",
            "source",
            "video",
            "audio",
            "object",
            "embed",
        ) and re.match(r"\s*(https?:)?//", a.get("src") or a.get("href") or a.get("data") or ""):
            self.running.append(f"<{tag}> from outside the site")
        in_nav = (self.stack[-1][1] if self.stack else False) or (
            tag == "nav" and "md-nav--primary" in (a.get("class") or "")
        )
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.stack.append((tag, in_nav))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "script" in tags:
            if "__pwned" in data:
                self.running.append(f"<script>{data[:60]}")
            return
        if "style" in tags:
            return
        if "title" in tags:
            self.title.append(data)
        self.text.append(data)
        if self.stack and self.stack[-1][1]:
            self.nav.append(data)


def _norm(parts) -> str:
    return re.sub(r"[ \t\r\n]+", " ", "".join(parts))


@functools.cache
def _pages(site: Path) -> dict[str, Page]:
    out = {}
    for f in sorted(site.rglob("*.html")):
        p = Page()
        p.feed(f.read_text(encoding="utf-8"))
        out[str(f.relative_to(site))] = p
    return out


def _literal(text: str, values: dict[str, str]) -> list[str]:
    """Markers in text not followed by their whole value."""
    return [
        m for m in sorted(set(MARKER.findall(text))) if m in values and text.count(m) != text.count(values[m])
    ]


def test_every_text_field_is_covered(hostile):
    _root, poison = hostile
    declared = set(text_fields())
    assert len(declared) > 100
    assert declared <= set(poison.fields.values())


def test_every_text_field_is_shown_literally_in_the_pages(hostile):
    root, poison = hostile
    pages = _pages(root / "site")
    assert len(pages) > 15
    seen: set[str] = set()
    for name, page in pages.items():
        text = _norm(page.text)
        # The open-points page quotes a few words around each placeholder (an excerpt, cut on
        # purpose); what it shows must still be plain text, which the other tests check.
        if not name.endswith("openpunten/index.html"):
            assert not _literal(text, poison.values), f"{name}: not literal: {_literal(text, poison.values)}"
        seen.update(MARKER.findall(text))
    missing = sorted(set(poison.fields.values()) - {poison.fields[m] for m in seen if m in poison.fields})
    assert missing == NOT_ON_SITE, f"text fields not shown anywhere on the site: {missing}"


def test_nothing_runs_in_any_page(hostile):
    root, _poison = hostile
    for name, page in _pages(root / "site").items():
        assert not page.running, f"{name}: {page.running[:3]}"


def test_titles_literal_in_nav_and_title(hostile):
    root, poison = hostile
    by_field = {v: k for k, v in poison.fields.items()}
    pages = _pages(root / "site")
    in_nav: set[str] = set()
    for name, page in pages.items():
        nav, title = _norm(page.nav), _norm(page.title)
        assert not _literal(nav, poison.values), name
        assert not _literal(title, poison.values), name
        in_nav.update(poison.fields[m] for m in MARKER.findall(nav) if m in poison.fields)
    assert {
        "Product.naam",
        "ProductGroup.naam",
        "Segment.naam",
        "Kernbeding.naam",
        "Region.naam",
        "Region.titel",
        "Chapter.markdown",
    } <= in_nav
    # A product's former page (a redirect to its section) names it in <title>, literally.
    product = pages["voorbeeld/producten/45A01/index.html"]
    title = _norm(product.title)
    assert poison.values[by_field["Region.naam"]] in title
    assert "😀🇳🇱" in title and "</title><img src=x onerror=window.__pwned=3>" in title
    own = MARKER.findall(title)[0]  # the product's name comes first in its <title>
    assert poison.fields[own] == "Product.naam"
    # Its group's page lists it in the table of contents (a nav), emoji and all.
    group_page, _anchor = product_page(root / "site", "voorbeeld", "45A01")
    group = pages[str(group_page.relative_to(root / "site"))]
    assert poison.values[own] in _norm(group.nav)
    # The front matter was read (not shown as text): no 'search: boost' in the page.
    assert "boost:" not in _norm(group.text) and "title:" not in _norm(group.text)


def test_search_index_holds_text_not_markup(hostile):
    root, poison = hostile
    indexes = sorted((root / "site").rglob("search_index.json"))
    assert len(indexes) == 2
    for index in indexes:
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        for doc in docs:
            for key in ("title", "text"):
                page = Page()
                page.feed(doc[key])  # the theme shows these as HTML
                assert not page.running, (index, doc["location"], page.running)
                assert not re.search(SEARCH_MARKUP, doc[key]), (doc["location"], doc[key][:200])
                if not doc["location"].startswith("openpunten/"):  # excerpts, see above
                    assert not _literal(_norm(page.text), poison.values), doc["location"]
    titles = " ".join(d["title"] for d in json.loads(indexes[-1].read_text(encoding="utf-8"))["docs"])
    assert "Hx" in titles


def test_chapter_markdown_is_sanitized(hostile):
    root, _poison = hostile
    page = (root / "site" / "voorbeeld" / "hoofdstukken" / "vijandig" / "index.html").read_text(
        encoding="utf-8"
    )
    body = page[page.index("<article") : page.index("</article>")]
    assert 'src="../afbeeldingen/logo.png"' in body  # the region's own image is shown
    assert 'href="https://example.org/"' in body  # a normal link stays a link
    assert "<strong>" in body  # Markdown is Markdown here
    attrs: list[str] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, a: attrs.extend(n for n, _v in a)
    parser.feed(body)
    assert "src" in attrs and not [a for a in attrs if a.startswith("on") or a == "style"]
    assert "position:fixed" not in body and "9999px" not in body
    assert "&lt;script&gt;window.__pwned=7&lt;/script&gt;" in body  # raw HTML is shown as text


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.mark.browser
def test_no_script_runs_in_chromium(hostile, browser):
    if not CHROMIUM:
        pytest.skip("chromium is niet geïnstalleerd (make test installeert het)")

    root, poison = hostile
    by_field = {v: k for k, v in poison.fields.items()}
    httpd = _serve(root / "site")
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    dialogs: list[str] = []
    try:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in (
            "/",
            "/voorbeeld/",
            "/voorbeeld/producten/45A01/",  # sends the reader on to its group's page
            "/voorbeeld/hoofdstukken/vijandig/",
            "/voorbeeld/kernbedingen/intake/",
            "/voorbeeld/segmenten/ambulant/",
        ):
            page.goto(base + path)
            page.wait_for_load_state("load")
            if "/producten/" in path:
                page.wait_for_url("**/productgroepen/**")
                page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            if path != "/":
                assert "<img src=x onerror=window.__pwned=3>" in page.title(), path
        # Typing a product's name in the search box shows it literally, and runs nothing.
        portal_docs = json.loads(
            (root / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
        )["docs"]
        portal_marker = next(
            MARKER.search(d["title"]).group(0) for d in portal_docs if MARKER.search(d["title"])
        )
        for path, marker in (("/voorbeeld/", by_field["Product.naam"]), ("/", portal_marker)):
            page.goto(base + path, wait_until="networkidle")
            type_search(page, marker, attempts=60)
            page.wait_for_timeout(500)
            titles = page.eval_on_selector_all(
                ".md-search-result__item h1, .md-search-result__item h2", "els => els.map(e => e.textContent)"
            )
            assert any("<script>window.__pwned=1</script>" in t for t in titles), (path, titles[:3])
            assert page.evaluate("typeof window.__pwned") == "undefined", path
    finally:
        httpd.shutdown()
    assert not dialogs


def _docx_problems(data: bytes) -> list[str]:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            if name.startswith("word/media/") and body != PNG:
                out.append(f"{name}: a file that is not the region's image")
            if name.endswith(".rels") and re.search(
                rb'Target="\s*(javascript|vbscript|data|file):', body, re.I
            ):
                out.append(f"{name}: a javascript/data/file link")
    return out


def test_word_book_embeds_nothing_from_outside(hostile):
    root, poison = hostile
    data = (root / "dist" / "voorbeeld" / "productenboek-voorbeeld.docx").read_bytes()
    assert not _docx_problems(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        document = z.read("word/document.xml").decode("utf-8")
    assert len(media) == 1  # the chapter's image, from afbeeldingen/
    paragraphs = [
        "".join(html.unescape(t) for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
        for p in re.findall(r"<w:p[ >].*?</w:p>", document, re.S)
    ]
    shown = [p for p in paragraphs if PAYLOAD in p]  # hostile text is text in Word too
    assert len(shown) >= 20, len(shown)


def test_pdf_shows_text_literally(hostile):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt")
    root, poison = hostile
    pdf = root / "dist" / "voorbeeld" / "productenboek-voorbeeld.pdf"
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Line breaks and hyphenation (soft hyphens) aside, each value is there character for character
    # up to the emoji (the book's fonts have no emoji glyphs; the flag and the rest do show).
    squeeze = lambda t: re.sub(r"[\s\xad]+", "", t)  # noqa: E731
    flat = squeeze(text)
    literal = squeeze(PAYLOAD.split(" 😀")[0])
    markers = sorted(m for m in set(MARKER.findall(flat)) if m in poison.values)
    assert len(markers) > 150
    # Every value starts literally; in narrow table cells pdftotext interleaves the columns, so
    # the whole value is checked where it is not in a table (most of them).
    assert [m for m in markers if m + "<script>win" not in flat] == []
    whole = [m for m in markers if m + literal in flat]
    assert len(whole) > 0.9 * len(markers), sorted(set(markers) - set(whole))


def test_books_ignore_what_check_would_refuse(tmp_path):
    """The safety net behind check: a chapter that slipped past it still cannot read local or
    remote files into the book, link to javascript:, or replace the cover's metadata."""
    from productenboek.model import Chapter
    from productenboek.outputs import book
    from productenboek.pipeline import gather

    content = make_content(tmp_path)
    folder = content / "regios" / "voorbeeld"
    (folder / "afbeeldingen").mkdir()
    (folder / "afbeeldingen" / "logo.png").write_bytes(PNG)
    secret = tmp_path / "geheim.png"
    secret.write_bytes(PNG + b"GEHEIM")
    markdown = (
        f"![geheim]({secret})\n\n![omhoog](afbeeldingen/../../../../geheim.png)\n\n"
        "![omgeving](/proc/self/environ)\n\n![ingebed](data:image/png;base64,iVBORw0KGgo=)\n\n"
        "![extern](https://example.org/x.png)\n\n![eigen](afbeeldingen/logo.png)\n\n"
        "[klik](javascript:alert(1)) [verstopt](jav&#x61;script:alert(2)) <javascript:alert(3)>\n\n"
        "---\ntitle: Overgenomen\nregio: Nergens\n---\n\nEinde.\n"
    )
    g = gather(str(content), "voorbeeld")
    view = book.view_for(g, "voorbeeld")
    view = dataclasses.replace(view, chapters=[Chapter("inleiding", "Inleiding", markdown, "x.md")])
    data = book.docx_bytes(view, str(content), folder / "afbeeldingen")
    assert not _docx_problems(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 1
        core = z.read("docProps/core.xml").decode()
        everything = b"".join(z.read(n) for n in z.namelist())
    assert b"GEHEIM" not in everything
    assert "Overgenomen" not in core
    source = book.typst_source(view, folder / "afbeeldingen")
    assert "Overgenomen" not in source.split("Inleiding")[0]
    assert (
        source.count("image(") == 1 and 'image("/afbeeldingen/logo.png", alt: ' in source
    )  # alt text: PDF/UA
    assert not re.search(r'#link\("\s*(javascript|data)', source, re.I)
    assert book.compile_pdf(source, 0, folder).startswith(b"%PDF")


def test_search_shows_a_title_without_heading_as_text(tmp_path):
    """Material indexes text before the first heading under the page's title, as HTML; the site
    hook gives it the escaped title (a page from a template that prints text before its H1)."""
    from helpers import cwd
    from productenboek.outputs import site
    from productenboek.render import yaml_value

    title = "<img src=x onerror=window.__pwned=1> 😀"
    page = f"---\ntitle: {yaml_value(title)}\n---\n\nTekst voor de kop.\n\n# Kop\n"
    with cwd(tmp_path):
        project = tmp_path / "project"
        site.write_project(
            project,
            {"index.md": page},
            site._config(project, tmp_path / "uit", "Naam", [{title: "index.md"}]),
            {},
        )
        site.mkdocs_build(str(project))
    docs = json.loads((tmp_path / "uit" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert docs[0]["title"] == html.escape(title, quote=False)
    shown = (tmp_path / "uit" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{html.escape(title)} - Naam</title>" in shown.replace("&#39;", "'").replace("&#34;", '"')


def test_an_image_folder_that_links_out_of_the_repository_is_refused(tmp_path):
    content = make_content(tmp_path)
    outside = tmp_path / "buiten"
    outside.mkdir()
    (outside / "kaart.png").write_bytes(PNG)
    region = content / "regios" / "voorbeeld"
    (region / "afbeeldingen").symlink_to(outside, target_is_directory=True)
    (region / "hoofdstukken" / "02-kaart.md").write_text(
        "# Kaart\n\n![kaart](afbeeldingen/kaart.png)\n", encoding="utf-8"
    )
    code, _out, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1
    assert (
        "content/regios/voorbeeld/hoofdstukken/02-kaart.md:3:10: afbeelding 'afbeeldingen/kaart.png' bestaat niet"
        in err
    )


@pytest.mark.parametrize(
    "dirty, kept, gone",
    [
        ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">', "onerror"),
        ('<p onmouseover="alert(1)" style="position:fixed">t</p>', "<p>t</p>", "style"),
        ('<a href="javascript:alert(1)">k</a>', "<a>k</a>", "javascript"),
        ('<a href="jav&#x61;script:alert(1)">k</a>', "<a>k</a>", "script:"),
        ('<a href="&#106;avascript:alert(1)">k</a>', "<a>k</a>", "script:"),
        ('<img src="data:image/png;base64,AA">', "<img>", "data:"),
        ('<img src="https://example.org/x.png">', "<img>", "example.org"),
        ('<svg onload="alert(1)"><script>alert(1)</script></svg>', "", "alert"),
        ('<iframe src="https://example.org"></iframe><object data="x"></object>', "", "example"),
        ('<form action="https://example.org"><input name="q"></form>', "", "example"),
        ('<h2 id="__drawer">t</h2><h2 id="kop">t</h2>', '<h2>t</h2><h2 id="kop">t</h2>', "__drawer"),
        (
            '<a href="https://example.org/" title="t">k</a> <a href="../x/">r</a> <a href="mailto:a@b.nl">m</a>',
            '<a href="https://example.org/" title="t">k</a> <a href="../x/">r</a> <a href="mailto:a@b.nl">m</a>',
            "javascript",
        ),
    ],
)
def test_the_allow_list_of_markdown_html(dirty, kept, gone):
    from productenboek.safehtml import clean

    out = clean(dirty)
    assert out == kept
    assert gone not in out
