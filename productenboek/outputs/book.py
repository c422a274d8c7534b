"""The productenboek. PDF: Jinja -> Typst (templates/book/boek.typ.j2) -> PDF (typst package),
with only the chapters (Markdown by design) converted by pandoc. DOCX: Jinja -> Markdown
(boek.md.j2) -> pandoc.

Text from content reaches Typst escaped (render.typ*) and pandoc escaped (render.md), and the
Markdown reader runs without raw HTML/TeX/attribute extensions, so nothing a person typed can
become markup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from ..chaptercheck import image_folder
from ..errors import BuildFailed
from ..lifecycle import NOT_STATED, stated_year
from ..pipeline import gather, regions_of
from ..provenance import epoch, timestamp
from ..render import TEMPLATES, anchor, md_cell, md_inline, md_span, render, typ_inline
from ..views import RegionView, blocks, named_sources, region_view
from ..writer import atomic_write_bytes
from ..ziputil import normalise_zip

BOOK = TEMPLATES / "book"
# Markdown without raw HTML/TeX/attributes, math or citations: text can only be text. The
# YAML metadata block stays on: our own front matter (escaped values) feeds the template.
READER = (
    "markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars-tex_math_single_backslash"
    "-tex_math_double_backslash-latex_macros-citations-implicit_figures"
)


def chapter_markdown(view: RegionView) -> dict[str, str]:
    """Chapters are Markdown by design; give their footnotes names unique in the book.
    The chapter title is the book's level-1 heading, so headings in the text start at
    level 2 and never skip a level (PDF/UA); a section number typed from the source
    ('1.3.1 ...') is left out, as the book numbers no other chapter."""
    out = {}
    for ch in view.chapters:
        prefix = anchor(ch.slug)
        text = re.sub(r"\[\^([^\]\s]+)\]", _footnote_renamer(prefix), ch.markdown)
        # A '---' line that could open a YAML block becomes a rule ('***'): a chapter never
        # sets the book's metadata (check reports such blocks; this is the safety net).
        text = re.sub(r"(\A|\n[ \t]*\n)---[ \t]*(?=\n[ \t]*\S)", r"\1***", text)
        text = named_sources(text, view.source_titles, md_span, lines=False)
        out[ch.slug] = _heading_levels(text)
    return out


def _footnote_renamer(prefix: str) -> Callable[[re.Match[str]], str]:
    return lambda m: f"[^{prefix}-{m.group(1)}]"


_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+(?=\S)")


def chapter_title(title: str) -> str:
    return _SECTION_NUMBER.sub("", title)


def _heading_levels(text: str) -> str:
    """Also: a paragraph that is only bold text ('**MBO registratie**') is a heading in all
    but name; it becomes one a level below the current heading, so it is never left alone
    at the bottom of a page."""
    source = text.split("\n")
    lines, previous, fence = [], 1, ""
    for i, line in enumerate(source):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
        m = None if fence else re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            level = min(max(len(m.group(1)), 2), previous + 1)
            previous = level
            line = "#" * level + " " + chapter_title(m.group(2))
        elif (
            not fence
            and re.fullmatch(r"\*\*[^*\n]+\*\*:?", line.strip())
            and (i == 0 or not source[i - 1].strip())
            and (i + 1 == len(source) or not source[i + 1].strip())
        ):
            line = "#" * min(previous + 1, 6) + " " + line.strip().rstrip(":")[2:-2].strip() + " {.unlisted}"
        lines.append(line)
    return "\n".join(lines)


def book_markdown(view: RegionView) -> str:
    return render(
        "book/boek.md.j2",
        region=view,
        chapter_markdown=chapter_markdown(view),
        chapter_title=chapter_title,
        contract_year=contract_year_text(view),
        source_ref=lambda text: source_reference(view, text),
        remarks=lambda items: [without_location(view, x) for x in items],
    )


def without_location(view: RegionView, remark: str) -> str:
    """A remark ends in '(file, regel N)' for editors; the book leaves that out."""
    docs = "|".join(re.escape(d) for d in getattr(view, "source_titles", {}))
    return re.sub(rf"\s*\((?:{docs})(?:, regels? [^()]*)?\)$", "", remark) if docs else remark


def _short(description: str | None) -> str:
    """A source without a title is named by the start of its description."""
    return re.split(r" \(|: |\. ", (description or "").strip(), maxsplit=1)[0]


def source_reference(view: RegionView, text: str) -> str:
    """'002_f05….txt, regels 1491–1561' -> 'Productenboek (bijlage 5)': readers get the
    document's title, not the file name and line numbers the content keeps for editors."""
    document = text.split(",", 1)[0].strip()
    return getattr(view, "source_titles", {}).get(document) or "het brondocument van de regio"


def contract_year_text(view: RegionView) -> str:
    """The contract year as the content states it; a year the tool falls back on is no fact."""
    return str(getattr(view, "contract_year_stated", None) or NOT_STATED)


def front_matter(view: RegionView) -> str:
    meta = {
        "title": view.title,
        "regio": view.name,
        "organisation": view.organisation,
        "subtitle": view.subtitle,
        "version": view.version or NOT_STATED,
        "contractyear": contract_year_text(view),
        "published": view.published,
        "lang": "nl-NL",
    }
    lines = ["---"]
    for key, value in meta.items():
        if value:
            lines.append(f"{key}: {json.dumps(md_inline(value), ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _pandoc(
    markdown: str, to: str, extra: list[str], outputfile: str | None = None, images: Path | None = None
) -> str:
    import pypandoc

    # --sandbox: pandoc reads no file but those named here; images come in through veilig.lua.
    args = ["--lua-filter", str(BOOK / "veilig.lua"), "--lua-filter", str(BOOK / "filter.lua"), *extra]
    if images is not None:
        args += ["-M", f"productenboek-afbeeldingen={images.resolve()}"]
    return pypandoc.convert_text(
        markdown, to, format=READER, extra_args=args, outputfile=outputfile, sandbox=True
    )


# Where the chapters go in the Typst of the rest of the book; no text from content can hold
# it (the typ filters drop control characters).
CHAPTERS = "\x00HOOFDSTUKKEN\x00"


def typst_source(view: RegionView, images: Path | None = None) -> str:
    """The book in Typst. Everything but the chapters is written as Typst by our own template
    (templates/book/boek.typ.j2); only the chapters, Markdown by design, go through pandoc,
    in a thread while the template renders, and from the cache when they did not change."""
    chapters = chapters_markdown_all(view)
    converted = _Background(chapters_typst, chapters, images) if chapters else None
    body = render(
        "book/boek.typ.j2",
        region=view,
        version=view.version or NOT_STATED,
        contract_year=contract_year_text(view),
        chapters=CHAPTERS,
        cells=table_cells,
        table_columns=table_columns,
        source_ref=lambda text: source_reference(view, text),
        remarks=lambda items: [without_location(view, x) for x in items],
    )
    return body.replace(CHAPTERS, converted.result() if converted else "", 1)


class _Background(threading.Thread):
    """A call in a thread whose result (or exception) result() gives. A plain thread: the
    book is built on the command line, where importing concurrent.futures costs more."""

    def __init__(self, fn: Callable[..., str], *args) -> None:
        super().__init__(daemon=True)
        self._fn, self._args = fn, args
        self._value = ""
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._value = self._fn(*self._args)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> str:
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def chapters_markdown_all(view: RegionView) -> str:
    """The chapters as one Markdown text, each under its level-1 heading (as in boek.md.j2)."""
    texts = chapter_markdown(view)
    return "".join(
        f"# {md_inline(chapter_title(ch.title))} {{#h-{anchor(ch.slug)}}}\n\n{texts[ch.slug]}\n\n"
        for ch in view.chapters
    )


def chapters_typst(markdown: str, images: Path | None) -> str:
    """pandoc's Typst for the chapters, kept in the cache (one entry per region) with the key of
    everything it depends on: the Markdown, pandoc itself, the filters, the region's images."""
    from ..cache import _folder, read_signed, signed

    key = hashlib.sha256(_pandoc_inputs(images) + markdown.encode("utf-8")).hexdigest()
    # One entry per region (its image folder), replaced when its chapters change.
    slot = hashlib.sha256(str(images.resolve() if images is not None else "").encode("utf-8")).hexdigest()
    path = _folder() / "boek-hoofdstukken" / slot[:24]
    found = read_signed(path)
    if found is not None and found[0] == key:
        return found[1].decode("utf-8")
    # pandoc centres every table; a book reads better with tables on the left margin.
    text = _pandoc(markdown, "typst", [], None, images).replace(
        "align(center)[#table(", "align(left)[#table("
    )
    text = text.rstrip("\n") + "\n\n"
    try:
        atomic_write_bytes(path, signed(key, text.encode("utf-8")))
    except OSError:
        pass  # a cache that cannot be written only costs time
    return text


def _pandoc_inputs(images: Path | None) -> bytes:
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    parts = [READER, spec.origin if spec and spec.origin else ""]
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "files" / "pandoc"
        if binary.is_file():
            st = binary.stat()
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    for name in ("veilig.lua", "filter.lua"):
        parts.append(hashlib.sha256((BOOK / name).read_bytes()).hexdigest())
    if images is not None:
        parts.append(str(images.resolve()))
        if images.is_dir():
            parts += sorted(p.name for p in images.iterdir())
    return "\n".join(parts).encode("utf-8") + b"\x00"


def _get(item, name: str):
    return item[name] if isinstance(item, dict) else getattr(item, name)


# A table cell: its Typst, and what it was in a Markdown pipe table (the text, and the length
# of the markup around it): pandoc sized a table's columns by the length of its lines.
Cell = tuple[str, object, int]


def _cell(text) -> Cell:
    return typ_inline(text), text, 0


def _value_cell(text) -> Cell:
    """A value that holds a list ('- a' on lines of its own) keeps it as a list in its cell."""
    if not isinstance(text, str) or "\n" not in text:
        return _cell(text)
    parts = []
    for b in blocks(text):
        if b.kind == "p":
            parts.append(typ_inline(b.text))
        else:
            parts.append(
                "\n".join(
                    f"- {typ_inline(it.text)}" + "".join(f"\n  - {typ_inline(sub)}" for sub in it.sub)
                    for it in b.items
                )
            )
    return "\n\n".join(parts), text, 0


def _link_cell(text, target: str) -> Cell:
    return f"#link(<{target}>)[{typ_inline(text)}]", text, len(target) + 5


def table_cells(kind: str, items) -> list[list[Cell]]:
    """The cells of the book's tables, per kind of table (see boek.typ.j2)."""
    rows = []
    for x in items:
        g = lambda name, x=x: _get(x, name)  # noqa: E731
        if kind == "row":
            row = [_cell(g("label")), _value_cell(g("value"))]
        elif kind == "version":
            row = [_cell(g("name")), _cell(g("date")), _cell(g("summary"))]
        elif kind == "overview":
            row = [
                _link_cell(g("code") or "—", f"p-{anchor(g('id'))}"),
                _cell(g("name")),
                _cell(g("tariff_summary")),
                _cell(g("unit_summary")),
            ]
        elif kind == "cross":
            row = [_cell(g("number")), _cell(g("topic")), *(_cell(c) for c in g("cells"))]
        elif kind == "link_row":
            remarks = list(g("remarks"))
            topic = typ_inline(g("topic")) + "".join(f" ({typ_inline(x)})" for x in remarks)
            length = len(md_cell(g("topic"))) + sum(len(md_cell(x)) + 3 for x in remarks)
            row = [
                _cell(g("label")),
                (topic, "", length),
                _cell(g("link_text")),
                *(_cell(c) for c in g("cells")),
            ]
        elif kind == "waswordt":
            names = (
                "name",
                "code",
                "status_text",
                "old_tariff",
                "new_tariff",
                "validity",
                "replaced_by",
                "remark",
            )
            row = [_cell(g(n)) for n in names]
        elif kind == "index":
            target = f"p-{anchor(g('id'))}"
            page = f'#context numbering("1", ..counter(page).at(<{target}>))'
            row = [_link_cell(g("code"), target), _cell(g("name")), (page, "", len(target) + 27)]
        else:
            raise ValueError(kind)
        rows.append(row)
    return rows


def _markdown_width(row: list[Cell]) -> int:
    plain = sum(
        len(str(text if text is not None else "")) + extra for _, text, extra in row
    )  # escaping only adds
    return plain if plain > 72 else sum(len(md_cell(text)) + extra for _, text, extra in row)


def table_columns(seps: list[str], header: list[str], rows: list[list[Cell]]) -> str:
    """Column widths as pandoc gives a pipe table: when a line of the Markdown table is wider
    than 72 characters, relative widths from the separator line; else columns sized to fit."""
    n = len(seps)
    wide = (
        sum(len(s) for s in seps) + n + 1 > 72
        or sum(len(md_cell(h)) for h in header) + 3 * n + 1 > 72
        or any(_markdown_width(row) + 3 * n + 1 > 72 for row in rows)
    )
    if not wide:
        return str(n)
    total = sum(len(s) for s in seps)
    return "(" + ", ".join(f"{round(100 * len(s) / total, 2):g}%" for s in seps) + ")"


def compile_pdf(source: str, when: int, root: Path | None = None) -> bytes:
    """Typst reads files (chapter images, '/afbeeldingen/x.png') only below root: the region's folder."""
    import typst

    # typst's stub ties root's type to input's (bytes); root is a path string.
    return typst.compile(  # type: ignore[call-overload]
        source.encode("utf-8"),
        format="pdf",
        ignore_system_fonts=True,
        timestamp=when,
        root=str(root) if root is not None else None,
        pdf_standards=["ua-1"],
    )


def compiled(source: str, when: int, folder: Path) -> bytes:
    """compile_pdf as PDF/UA-1, which refuses text that no font of the book can show (an
    emoji, a stray CJK character from a PDF extraction). Such characters are printed as their
    code point instead, e.g. '(U+1F600)', so the book always builds and shows where the
    character was; the site shows the character itself. After many distinct ones the content
    is reported (path:line:column) instead."""
    replaced: set[str] = set()
    for _attempt in range(_MAX_GLYPH_ROUNDS):
        try:
            return compile_pdf(source, when, folder)
        except RuntimeError as exc:
            m = re.search(r'the text `"(.+?)"` could not be displayed', str(exc))
            if not m:
                raise
            text = m.group(1)
        missing = {c for c in text if not c.isspace()}
        if not replaced:  # one emoji seldom comes alone: replace every one at once
            missing |= {c for c in source if ord(c) >= 0x1F000}
        if not missing - replaced:
            break
        replaced |= missing
        source = "".join(f"(U+{ord(c):04X})" if c in missing else c for c in source)
    codes = ", ".join(f"U+{ord(c):04X}" for c in text)
    where = [
        f"{_place(folder, text)}: teken '{text}' ({codes}) staat in geen "
        "lettertype van het boek; vervang het of beschrijf het in woorden"
    ]
    raise BuildFailed("de PDF is niet gemaakt", where) from None


_MAX_GLYPH_ROUNDS = 12


def _place(folder: Path, text: str) -> str:
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yml", ".yaml", ".md") and path.is_file():
            for number, line in enumerate(
                path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1
            ):
                if text in line:
                    return f"{path}:{number}:{line.index(text) + 1}"
    return str(folder)


def docx_bytes(view: RegionView, when_dir: str, images: Path | None = None) -> bytes:
    import tempfile

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch(when_dir)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "boek.docx"
        # The cover and the table of contents come from filter.lua (not pandoc's English ones).
        _pandoc(
            front_matter(view) + book_markdown(view),
            "docx",
            ["--reference-doc", str(BOOK / "referentie.docx")],
            str(out),
            images,
        )
        data = _fill_in(out.read_bytes(), view)
        return normalise_zip(data, timestamp(when_dir).replace(tzinfo=None))


def _fill_in(data: bytes, view: RegionView) -> bytes:
    """Put the region into the header and footer of the reference document and the title
    into the document properties (the filter replaced pandoc's title block by the cover)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    title = escape(f"{view.title} {view.name}")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename.startswith(("word/header", "word/footer")):
                part = part.replace(b">REGIONAAM<", f">{escape(view.name)}<".encode())
                part = part.replace(b">BOEKTITEL<", f">{escape(view.title)}<".encode())
            elif info.filename == "word/document.xml":
                part = _point_bookmarks(part.decode("utf-8")).encode("utf-8")
            elif info.filename == "docProps/core.xml":
                text = re.sub(r"<dc:title>.*?</dc:title>", "", part.decode("utf-8"), flags=re.S)
                part = text.replace(
                    "</cp:coreProperties>", f"<dc:title>{title}</dc:title></cp:coreProperties>"
                ).encode()
            dst.writestr(info, part)
    return out.getvalue()


_SECTION_BOOKMARK = re.compile(
    r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)" ?/>\s*<w:p>(<w:pPr>.*?</w:pPr>)?', re.S
)


def _point_bookmarks(xml: str) -> str:
    """pandoc bookmarks a whole section, starting between paragraphs; LibreOffice loses such a
    bookmark after a table, and with it the page number of a reference. Anchor each at its
    heading instead."""
    moved = set()

    def inside(m: re.Match) -> str:
        moved.add(m.group(1))
        return (
            f'<w:p>{m.group(3) or ""}<w:bookmarkStart w:id="{m.group(1)}" w:name="{m.group(2)}"/>'
            f'<w:bookmarkEnd w:id="{m.group(1)}"/>'
        )

    xml = _SECTION_BOOKMARK.sub(inside, xml)
    return re.sub(
        r'\s*<w:bookmarkEnd w:id="(\d+)" ?/>'
        r"(?=\s*<w:(?:p|tbl|bookmarkEnd|bookmarkStart|sectPr|sdt)\b|\s*</w:body>)",
        lambda m: "" if m.group(1) in moved else m.group(0),
        xml,
    )


def view_for(content, slug: str, peildatum=None) -> RegionView:
    from .. import versions

    view = region_view(content, slug, versions.label(content.root, slug), peildatum)
    view.versions = versions.version_history(content.root, slug)
    draft = (
        versions.pending(content.root, slug, content.regions[slug])
        if view.version.startswith("concept na")
        else None
    )
    if draft is not None:  # a concept lists what it adds to the last version first
        view.versions = [draft, *view.versions]
    return with_book_facts(view, content, slug)


def with_book_facts(view: RegionView, content, slug: str) -> RegionView:
    """What the book shows beyond the site's view: the contract year as stated (or 'niet
    vermeld') and the readable titles of the source documents."""
    r = content.regions[slug].region
    view.contract_year_stated = stated_year(content.regions[slug])
    view.source_titles = {
        s.document: s.title or _short(s.description) for s in r.sources if s.title or s.description
    }
    return view


def write(content, slug: str, fmt: str, out: Path, keep_typst: bool = False, peildatum=None) -> Path:
    view = view_for(content, slug, peildatum)
    target = out / slug / f"productenboek-{slug}.{fmt}"
    region = Path(content.root) / "regios" / slug
    images = image_folder(region)
    if fmt == "pdf":
        source = typst_source(view, images)
        if keep_typst:
            atomic_write_bytes(target.with_suffix(".typ"), source.encode("utf-8"))
        data = compiled(source, epoch(content.root), region)
    else:
        data = docx_bytes(view, content.root, images)
    atomic_write_bytes(target, data)
    return target


def run(args, term, fmt: str) -> int:
    from ..outdir import refuse_sources

    refuse_sources(args.out, args.content)
    content = gather(args.content, args.regio)
    for slug in regions_of(content, args.regio):
        with term.status(f"{fmt.upper()} maken voor {slug}..."):
            path = write(
                content,
                slug,
                fmt,
                Path(args.out),
                getattr(args, "keep_typst", False),
                getattr(args, "peildatum", None),
            )
        term.result(str(path))
        if fmt == "pdf":  # every published version's book, built once (see outputs/versions.py)
            from .versions import version_pdfs

            for extra in version_pdfs(content.root, slug, Path(args.out)):
                term.result(str(extra))
    return 0
