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


def test_book_converted_in_two_halves_equals_one_conversion():
    """pandoc converts a big book in two halves at once; the joined Typst must say the same."""
    from productenboek.outputs import book
    from productenboek.pipeline import gather

    view = book.view_for(gather(REPO / "content", "groningen"), "groningen")
    markdown = book.book_markdown(view)
    first, second = book._halves(markdown)
    assert second.startswith("## ") and first and len(first) > len(markdown) // 3
    joined = book.typst_source(view)
    whole = book._pandoc(
        book.front_matter(view) + markdown, "typst", ["--template", str(book.BOOK / "boek.typ")]
    )
    whole = whole.replace("align(center)[#table(", "align(left)[#table(")

    def shape(source: str) -> list[str]:  # pandoc numbers repeated labels per run: ignore the numbers
        return [re.sub(r"-\d+>$", ">", ln) for ln in source.splitlines() if ln.strip()]

    assert book.SEQUEL not in joined
    assert shape(joined) == shape(whole)
    assert joined.count("#pagebreak(weak: true)") == len(view.products) - 1
