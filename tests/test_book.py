"""The productenboek as PDF and DOCX, read back: text (pdftotext/pypdf), outline, headings."""

import re
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from helpers import REPO, make_content, run_cli
from productenboek.errors import Problems
from productenboek.load import load_content
from productenboek.validate import validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def groningen_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    for fmt in ("pdf", "docx"):
        code, stdout, err = run_cli(
            [fmt, "groningen", "--out", str(out), "--content", str(REPO / "content")], REPO
        )
        assert code == 0, err
        assert stdout.strip().endswith(f"productenboek-groningen.{fmt}")
    return out / "groningen"


@pytest.fixture(scope="module")
def groningen():
    problems = Problems()
    c = validate(load_content(REPO / "content", problems, only_region="groningen", use_cache=False), problems)
    return c.regions["groningen"]


def _flat(items):
    for it in items:
        if isinstance(it, list):
            yield from _flat(it)
        else:
            yield it


def pdf_text(path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdf_has_every_product_in_book_order(groningen_book, groningen):
    text = pdf_text(groningen_book / "productenboek-groningen.pdf")
    body = text[text.index("Productbeschrijvingen\n", text.index("Productenoverzicht\n", 2000)) :]
    for p in groningen.products.values():
        assert re.search(rf"^{re.escape(p.code + ' ' + p.name[:12])}", body, flags=re.M), (
            f"{p.code}: no heading"
        )
    reader = PdfReader(groningen_book / "productenboek-groningen.pdf")
    pages = []
    for p in groningen.products.values():
        dest = next(d for d in _flat(reader.outline) if d.title.startswith(p.code + " "))
        pages.append(reader.get_destination_page_number(dest))
    assert pages == sorted(pages) and len(set(pages)) == len(pages)  # one product per page start, in order
    assert "€ 21,05 per uur (per deelnemende jeugdige)" in text
    assert (
        "€ 9.228,20 per afgeronde behandeling, te declareren in 12 delen van € 769,02"
        in text.replace("\n", " ").replace("  ", " ")
        or "te declareren in 12 delen van € 769,02" in text
    )
    assert "per aanbieder verschillend" in text.lower() or "Per aanbieder verschillend" in text


def test_pdf_outline_metadata_and_pages(groningen_book, groningen):
    reader = PdfReader(groningen_book / "productenboek-groningen.pdf")
    titles = [it.title for it in _flat(reader.outline)]
    for p in groningen.products.values():
        assert any(t.startswith(p.code) for t in titles), f"no bookmark for {p.code}"
    assert "Productenoverzicht" in titles and "Index van productcodes" in titles
    assert reader.metadata.title.startswith("Productenboek")
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert "pagina 3" in reader.pages[3].extract_text()


def test_docx_has_the_same_product_headings(groningen_book, groningen):
    doc = Document(groningen_book / "productenboek-groningen.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    for p in groningen.products.values():
        assert f"{p.code} {p.name}" in headings


def test_every_region_gets_a_book(tmp_path):
    code, out, err = run_cli(["pdf", "--out", str(tmp_path), "--content", str(REPO / "content")], REPO)
    assert code == 0, err
    made = sorted(p.parent.name for p in tmp_path.glob("*/productenboek-*.pdf"))
    assert made == sorted(p.name for p in (REPO / "content" / "regios").iterdir())


def test_pdf_is_deterministic(tmp_path):
    make_content(tmp_path)
    hashes = []
    for run in ("a", "b"):
        code, _, err = run_cli(["pdf", "voorbeeld", "--content", "content", "--out", run], tmp_path)
        assert code == 0, err
        hashes.append((tmp_path / run / "voorbeeld" / "productenboek-voorbeeld.pdf").read_bytes())
    assert hashes[0] == hashes[1]


def test_kernbeding_open_points_and_footnotes_render(tmp_path):
    make_content(tmp_path)
    code, _, err = run_cli(["pdf", "voorbeeld", "--content", "content", "--out", "dist"], tmp_path)
    assert code == 0, err
    text = pdf_text(tmp_path / "dist/voorbeeld/productenboek-voorbeeld.pdf")
    assert "Maximaal [PM] uur per aanbieder." in text
    assert "Een voetnoot." in text


def test_typst_book_has_the_markdown_books_structure():
    """The PDF's Typst is written by our own template, the DOCX's Markdown by another: the
    same headings, with the same labels and levels, in the same order (the chapters in both
    come from pandoc)."""
    from productenboek.outputs import book
    from productenboek.pipeline import gather

    for slug in ("groningen", "holland-rijnland"):
        view = book.view_for(gather(REPO / "content", slug), slug)
        markdown = book.book_markdown(view)
        typst = book.typst_source(view)
        md_ids = re.findall(r"^#{1,2} .*\{#([a-z]-[^ }]+)", markdown, re.M)
        typ_ids = re.findall(r"^={1,2} .*\n<([a-z]-[^>]+)>", typst, re.M)
        assert len(md_ids) > 20 and md_ids == typ_ids
        products = len(re.findall(r"^<p-", typst, re.M))
        assert products == len(view.products)
        assert typst.count("#pagebreak(weak: true)") == max(products - 1, 0)


def test_chapters_come_from_the_cache_only_when_signed(tmp_path, monkeypatch):
    from productenboek.outputs import book

    monkeypatch.setenv("PRODUCTENBOEK_CACHE", str(tmp_path / "cache"))
    text = "# Inleiding {#h-inleiding}\n\nEen *tekst*.\n"
    first = book.chapters_typst(text, None)
    assert "#emph[tekst]" in first
    (cached,) = (tmp_path / "cache" / "boek-hoofdstukken").iterdir()
    calls = []
    monkeypatch.setattr(book, "_pandoc", lambda *a, **k: calls.append(a) or "= Opnieuw\n")
    assert book.chapters_typst(text, None) == first and not calls
    cached.write_bytes(cached.read_bytes().replace(b"tekst", b"TEKST"))  # tampered: not signed
    assert book.chapters_typst(text, None).startswith("= Opnieuw") and len(calls) == 1


HOSTILE_TYPST = [
    '#eval("1+1") #sys.inputs $x^2$ `raw` <lbl> @ref *vet* _schuin_ ~ \\ \\u{41}',
    "= kop\n+ lijst\n- lijst\n/ term: uitleg\n12. genummerd\n  = ingesprongen",
    "// commentaar /* blok */ https://example.org/x ... -- --- -? [haak] ]",
    ".len() ; (x) \"dubbel\" 'enkel' a\u2028= kop\u2029- lijst\x0b\x0c\x85= kop",
]


@pytest.mark.parametrize("value", HOSTILE_TYPST)
def test_typst_filters_keep_text_text(value, tmp_path):
    """Every typ filter gives text that Typst shows as the text itself: nothing becomes
    markup, code, a heading or a list (compiled, read back with pdftotext)."""
    from productenboek.outputs.book import compile_pdf
    from productenboek.render import typ, typ_inline, typ_lines, typ_span, typ_str

    source = (
        '#set document(title: [T])\n#set text(font: "Libertinus Serif", size: 10pt, hyphenate: false)\n'
        "#set page(width: 40cm)\n"
        f"#strong[A]{typ_span(value)}\n\n= {typ_inline(value)}\n\n"
        f"#table(columns: 1, [{typ_inline(value)}])\n\n{typ(value)}\n\n{typ_lines(value)}\n\n"
        f"#text({typ_str(value)})\n"
    )
    assert "\x00" not in source
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(compile_pdf(source, 0))
    shown = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeeze = lambda t: re.sub(r"\s+", "", t.replace("…", "...").replace("−", "-"))  # noqa: E731
    want = squeeze(value.replace("\\\\", "\\"))
    assert squeeze(shown).count(want) == 6, shown
