"""The books and was-wordt lists as a reader gets them, for every region: the PDF's text
(pdftotext), the DOCX's text and layout, and the DOCX/XLSX opened by LibreOffice.

One build of everything per session (PDF, DOCX, was-wordt of all regions); the LibreOffice
round trip runs on one DOCX and one XLSX to keep the time modest."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook
from pypdf import PdfReader

from helpers import REPO, run_cli

pytestmark = pytest.mark.slow

REGIONS = sorted(p.name for p in (REPO / "content" / "regios").iterdir() if (p / "regio.yml").exists())
# Markup that must never reach a reader: Jinja/pandoc attributes, admonitions, escapes,
# entities, Markdown headings and table rules.
LEAKS = ["???", "{#", "#}", "{.unlisted}", "\\(", "&amp;", "###", "|---|", "|:--"]
INTERNAL = [
    re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt"),
    re.compile(r"Gegenereerd uit de content"),
    re.compile(r"\b20\d\d-\d\d-\d\d \([0-9a-f]{7}"),
]


@pytest.fixture(scope="session")
def books(tmp_path_factory):
    out = tmp_path_factory.mktemp("boeken")
    for command in ("pdf", "docx", "waswordt"):
        code, _, err = run_cli([command, "--out", str(out), "--content", str(REPO / "content")], REPO)
        assert code == 0, err
    return out


def region_name(slug: str) -> str:
    text = (REPO / "content" / "regios" / slug / "regio.yml").read_text(encoding="utf-8")
    return re.search(r"^naam: *(.+)$", text, flags=re.M).group(1).strip().strip("'\"")


def pdf_pages(path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def docx_text(path) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils ontbreekt")
needs_soffice = pytest.mark.skipif(
    not shutil.which("soffice"), reason="LibreOffice ontbreekt (make system-deps)"
)


@needs_pdftotext
@pytest.mark.parametrize("slug", REGIONS)
def test_no_markup_or_plumbing_reaches_the_reader(books, slug):
    texts = {
        "pdf": "\n".join(pdf_pages(books / slug / f"productenboek-{slug}.pdf")),
        "docx": docx_text(books / slug / f"productenboek-{slug}.docx"),
    }
    for fmt, text in texts.items():
        for leak in LEAKS:
            assert leak not in text, (
                f"{slug}.{fmt}: {leak!r}: {text[max(0, text.find(leak) - 80) : text.find(leak) + 40]!r}"
            )
        for pattern in INTERNAL:
            m = pattern.search(text)
            assert not m, f"{slug}.{fmt}: {m.group(0)!r} in {text[max(0, m.start() - 80) : m.end() + 20]!r}"
        assert "Bron: " in text  # provenance stays, readable
    # no text set as code: content has no code fields, so no monospace font in the book
    fonts = subprocess.run(
        ["pdffonts", str(books / slug / f"productenboek-{slug}.pdf")], capture_output=True, text=True
    ).stdout
    assert "Mono" not in fonts, fonts


@needs_pdftotext
def test_cover_states_only_what_the_content_states(books):
    groningen = pdf_pages(books / "groningen" / "productenboek-groningen.pdf")[0]
    assert re.search(r"Contractjaar\s+niet vermeld", groningen)  # the source gives no year
    # No version has been published (no tag): the book says it is a concept, never a git hash.
    assert re.search(r"Versie\s+concept\b", groningen) and not re.search(r"\b[0-9a-f]{7,40}\b", groningen)
    oplegger = pdf_pages(books / "oplegger-2025" / "productenboek-oplegger-2025.pdf")[0]
    assert re.search(r"Contractjaar\s+2025", oplegger)
    west = pdf_pages(books / "west-friesland" / "productenboek-west-friesland.pdf")
    assert "-\n" not in west[0] and "\u00ad" not in west[0]  # cover title not hyphenated
    for page in west[1:-1]:  # the running footer is one line
        lines = [ln for ln in page.splitlines() if ln.strip()]
        assert re.search(r"versie .*pagina \d+$", lines[-1]), lines[-2:]


@needs_pdftotext
def test_effectketen_headings_are_headings(books):
    text = "\n".join(pdf_pages(books / "holland-rijnland" / "productenboek-holland-rijnland.pdf"))
    assert text.count("Randvoorwaarden (gesorteerd op score)") >= 5
    for line in text.splitlines():
        if "Afhankelijk van" in line:
            assert not re.search(
                r"(Input|Throughput|Output|Outcome|Impact|Randvoorwaarden)\b.*:",
                line.split("Afhankelijk van", 1)[1],
            ), line
    assert "Opbouw van de inkoop" not in text  # no empty chapter
    assert "9 (9" not in text and "(3x3))" not in text  # the score once
    assert re.search(r"Schade:\s*\n\s*• Meer jeugdigen", text)  # a list in a situation keeps its lines
    assert re.search(r"Verantwoordelijk: Gemeenten en TWO\s*\n\s*Waar: TWO en beleid", text)


@needs_pdftotext
def test_footnotes_stay_out_of_the_contents(books):
    path = books / "groningen" / "productenboek-groningen.pdf"
    pages = pdf_pages(path)
    contents = "".join(p for p in pages[1:4] if "Inhoud" in p or "....." in p)
    assert (
        "45A48 Ouderschapsdiagnostiek ambulant ." in contents
        or "45A48 Ouderschapsdiagnostiek ambulant" in contents
    )
    assert "nji.nl" not in contents and "richtlijnen jeugdhulp" not in contents
    titles = [getattr(d, "title", "") for d in PdfReader(path).outline if not isinstance(d, list)]
    assert not any(re.search(r"\w\d$", t) for t in titles if t.startswith("45A48"))
    body = "\n".join(pages)
    note = body.index(
        "Noten",
        body.index("45A48 Ouderschapsdiagnostiek ambulant\n", body.index("Productbeschrijvingen\n", 3000)),
    )
    assert "1. zie ook https://www.nji.nl" in body[note : note + 400]
    assert not re.search(
        r"^\s*1\.\d\s", "\n".join(titles), flags=re.M
    )  # no '1.1 ...' chapter among unnumbered ones


@needs_pdftotext
def test_index_of_codes_gives_the_page(books):
    path = books / "groningen" / "productenboek-groningen.pdf"
    pages = pdf_pages(path)
    index_start = min(i for i, p in enumerate(pages) if i > 4 and "Index van productcodes" in p)
    index = "\n".join(pages[index_start:])
    m = re.search(r"^\s*45A04\s+Individuele begeleiding basis\s+(\d+)\s*$", index, flags=re.M)
    assert m, index[:600]
    # the printed number is the page label of the product's first page
    shown = int(m.group(1))
    assert re.search(r"^\s*45A04 Individuele begeleiding basis\s*$", pages[shown], flags=re.M)


def test_every_pdf_is_pdf_ua_with_its_title_displayed(books):
    for slug in REGIONS:
        reader = PdfReader(books / slug / f"productenboek-{slug}.pdf")
        root = reader.trailer["/Root"]
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), slug
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp), slug
        assert region_name(slug) in reader.metadata.title, slug


def test_pdf_rebuild_is_byte_identical(books, tmp_path):
    slug = "west-friesland"
    code, _, err = run_cli(["pdf", slug, "--out", str(tmp_path), "--content", str(REPO / "content")], REPO)
    assert code == 0, err
    assert (tmp_path / slug / f"productenboek-{slug}.pdf").read_bytes() == (
        books / slug / f"productenboek-{slug}.pdf"
    ).read_bytes()


@pytest.mark.parametrize("slug", REGIONS)
def test_docx_reads_as_a_document_to_send(books, slug):
    path = books / slug / f"productenboek-{slug}.docx"
    doc = Document(path)
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
        headers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
        footers = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        core = z.read("docProps/core.xml").decode()
    assert re.search(r'<w:lang [^>]*w:val="nl-NL"', styles) and "Calibri" not in styles
    assert re.search(
        r'<w:updateFields w:val="true" ?/>\s*<w:(rsids|footnotePr|compat)\b', settings
    )  # Word checks the order
    name = region_name(slug)
    assert (
        doc.paragraphs[1].text == name and name in headers and " PAGE " in footers and " NUMPAGES " in footers
    )
    assert name in core
    texts = [p.text for p in doc.paragraphs]
    assert "Table of Contents" not in texts and "Inhoud" in texts
    toc = [p for p in doc.paragraphs if re.fullmatch(r"toc \d", p.style.name.lower())]
    assert len(toc) >= 3 and toc[0].text.strip()  # entries before any field update
    assert all(" PAGEREF " in p._p.xml for p in toc)
    for table in doc.tables:
        assert table.style is not None and table.style.name == "Table"
    # a restriction box is shaded as a whole: its heading and its items are paragraphs of the box style
    paragraphs = doc.paragraphs
    for i, par in enumerate(paragraphs):
        if par.text == "Gemeentelijke beperkingen":
            assert par.style.name == "Kader"
            items = paragraphs[i + 1]
            assert items.style.name == "Kader" and items.text.startswith("• "), (items.style.name, items.text)


def _soffice_pdf(src, out_dir) -> bytes:
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out_dir}/profiel",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(src),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    return (out_dir / (src.stem + ".pdf")).read_bytes()


@needs_soffice
@needs_pdftotext
def test_libreoffice_opens_the_docx(books, tmp_path):
    slug = "west-friesland"
    data = _soffice_pdf(books / slug / f"productenboek-{slug}.docx", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 portrait
    pages = pdf_pages(tmp_path / f"productenboek-{slug}.pdf")
    assert "Regio West-Friesland" in pages[0]
    text = "\n".join(pages)
    assert "Inhoud" in text and "Productbeschrijvingen" in text and "Was-wordt lijsten" in text
    assert re.search(r"Productbeschrijvingen\.{5,}\s*\d+", text)  # the contents show page numbers
    assert "Error: Reference source not found" not in text
    assert re.search(r"pagina 2 van \d+", pages[1])
    assert all("Regio West-Friesland" in page for page in pages if page.strip())  # header on every page


@needs_soffice
@needs_pdftotext
def test_libreoffice_prints_the_xlsx_landscape_one_page_wide(books, tmp_path):
    slug = "oplegger-2025"
    src = books / slug / f"waswordt-{slug}.xlsx"
    sheets = load_workbook(src).sheetnames
    data = _soffice_pdf(src, tmp_path)
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    pages = [p for p in pdf_pages(tmp_path / f"waswordt-{slug}.pdf") if p.strip()]
    # one page wide: every page holds the first and the last column (the header row repeats)
    for page in pages[:-1]:
        assert "Product" in page and "Bijzonderheden" in page, page[:300]
    assert len(pages) <= 2 * len(sheets)


def test_empty_list_gives_no_spreadsheet(books):
    folder = books / "holland-rijnland"
    assert (folder / "waswordt-holland-rijnland.md").exists()
    assert (
        not (folder / "waswordt-holland-rijnland.csv").exists()
        and not (folder / "waswordt-holland-rijnland.xlsx").exists()
    )


def test_a_character_no_font_has_is_shown_as_its_code_point(tmp_path):
    """PDF/UA-1 refuses text no font can show: the book prints the code point instead (and the
    site the character itself), so a stray character never stops the book."""
    from helpers import make_content

    make_content(tmp_path)
    p = tmp_path / "content/regios/voorbeeld/producten/45A02.yml"
    p.write_text(
        p.read_text(encoding="utf-8").replace("naam: Begeleiding groep", "naam: Begeleiding groep 琀 😀"),
        encoding="utf-8",
    )
    code, out, err = run_cli(["pdf", "voorbeeld", "--content", "content", "--out", "dist"], tmp_path)
    assert code == 0 and "Traceback" not in err, err
    pdf = tmp_path / "dist/voorbeeld/productenboek-voorbeeld.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Begeleiding groep (U+7400) (U+1F600)" in text
    assert b"pdfuaid" in pdf.read_bytes()


def test_reference_docx_is_made_by_its_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("referentie_docx", REPO / "scripts" / "referentie_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (REPO / "templates" / "book" / "referentie.docx").read_bytes(), (
        "templates/book/referentie.docx is stale: run python scripts/referentie_docx.py"
    )


def test_site_links_no_spreadsheet_for_empty_lists(tmp_path):
    """Holland Rijnland has no products: no CSV/XLSX, so no '(0 kB)' download and no link."""
    content = tmp_path / "content"
    for part in ("codelijsten", "landelijk", "regios/holland-rijnland"):
        shutil.copytree(REPO / "content" / part, content / part)
    code, _, err = run_cli(
        [
            "site",
            "--content",
            str(content),
            "--out",
            str(tmp_path / "site"),
            "--dist",
            str(tmp_path / "dist"),
        ],
        REPO,
    )
    assert code == 0, err
    pages = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "holland-rijnland").rglob("*.html")
    )
    assert "productenboek-holland-rijnland.pdf" in pages
    assert "waswordt-holland-rijnland.csv" not in pages and "waswordt-holland-rijnland.xlsx" not in pages
    assert "(0 kB)" not in pages


@needs_pdftotext
@pytest.mark.parametrize("slug", REGIONS)
def test_every_pdf_page_names_the_region(books, slug):
    name = region_name(slug)
    pages = [p for p in pdf_pages(books / slug / f"productenboek-{slug}.pdf") if p.strip()]
    missing = [i + 1 for i, page in enumerate(pages) if name not in " ".join(page.split())]
    assert not missing, f"{slug}: pages without '{name}': {missing[:10]}"
