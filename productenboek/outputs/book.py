"""The productenboek: Jinja -> Markdown -> pandoc -> Typst -> PDF (typst package), or DOCX.

Text from content reaches pandoc escaped (render.md), and the Markdown reader runs without
raw HTML/TeX/attribute extensions, so nothing a person typed can become markup.
"""
from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..chaptercheck import image_folder
from ..pipeline import gather, regions_of
from ..provenance import epoch, timestamp
from ..render import TEMPLATES, anchor, md_inline, render
from ..views import RegionView, region_view
from ..writer import atomic_write_bytes
from ..ziputil import normalise_zip

BOOK = TEMPLATES / "book"
# Markdown without raw HTML/TeX/attributes, math or citations: text can only be text. The
# YAML metadata block stays on: our own front matter (escaped values) feeds the template.
READER = ("markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars-tex_math_single_backslash"
          "-tex_math_double_backslash-latex_macros-citations-implicit_figures")


def chapter_markdown(view: RegionView) -> dict[str, str]:
    """Chapters are Markdown by design; give their footnotes names unique in the book."""
    out = {}
    for ch in view.chapters:
        prefix = anchor(ch.slug)
        text = re.sub(r"\[\^([^\]\s]+)\]", lambda m: f"[^{prefix}-{m.group(1)}]", ch.markdown)
        # A '---' line that could open a YAML block becomes a rule ('***'): a chapter never
        # sets the book's metadata (check reports such blocks; this is the safety net).
        text = re.sub(r"(\A|\n[ \t]*\n)---[ \t]*(?=\n[ \t]*\S)", r"\1***", text)
        text = re.sub(r"^(#+)(\s)", lambda m: "#" + m.group(1) + m.group(2) if len(m.group(1)) < 6 else m.group(0), text, flags=re.M)
        out[ch.slug] = text
    return out


def book_markdown(view: RegionView) -> str:
    return render("book/boek.md.j2", region=view, chapter_markdown=chapter_markdown(view))


def front_matter(view: RegionView) -> str:
    meta = {
        "title": view.title, "regio": view.name, "organisation": view.organisation,
        "subtitle": view.subtitle, "version": view.version, "contractyear": str(view.contract_year),
        "published": view.published, "lang": "nl-NL",
    }
    lines = ["---"]
    for key, value in meta.items():
        if value:
            lines.append(f"{key}: {json.dumps(md_inline(value), ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _pandoc(markdown: str, to: str, extra: list[str], outputfile: str | None = None, images: Path | None = None) -> str:
    import pypandoc

    # --sandbox: pandoc reads no file but those named here; images come in through veilig.lua.
    args = ["--lua-filter", str(BOOK / "veilig.lua"), "--lua-filter", str(BOOK / "filter.lua"), *extra]
    if images is not None:
        args += ["-M", f"productenboek-afbeeldingen={images.resolve()}"]
    return pypandoc.convert_text(markdown, to, format=READER, extra_args=args, outputfile=outputfile,
                                 sandbox=True)


# Where the second half of the book goes in the first half's Typst (see typst_source).
SEQUEL = "PRODUCTENBOEKVERVOLGHIER"


def typst_source(view: RegionView, images: Path | None = None) -> str:
    """The book in Typst. pandoc takes most of the time and uses one core, so a big book is
    converted in two halves at once, split between two product descriptions (footnote
    definitions live in the chapters, before any product). Always two halves, whatever the
    machine: the same content gives the same source everywhere."""
    markdown = book_markdown(view)
    first, second = _halves(markdown)
    template = ["--template", str(BOOK / "boek.typ")]
    source = ""
    if second and SEQUEL not in markdown:
        with ThreadPoolExecutor(max_workers=2) as pool:
            head = pool.submit(_pandoc, front_matter(view) + first + f"\n\n{SEQUEL}\n", "typst", template, None, images)
            tail = pool.submit(_pandoc, second, "typst", [], None, images)
            source, rest = head.result(), tail.result()
        source = source.replace(SEQUEL, rest) if source.count(SEQUEL) == 1 else ""
    if not source:
        source = _pandoc(front_matter(view) + markdown, "typst", template, None, images)
    # pandoc centres every table; a book reads better with tables on the left margin.
    return source.replace("align(center)[#table(", "align(left)[#table(")


def _halves(markdown: str) -> tuple[str, str]:
    """Split at the product heading nearest the middle; ('', '') parts when too small to split."""
    start = markdown.find("\n# Productbeschrijvingen")
    if start < 0 or len(markdown) < 200_000:
        return markdown, ""
    cuts = [m.start() + 1 for m in re.finditer(r"\n## ", markdown[start:])]
    if len(cuts) < 2:
        return markdown, ""
    middle = len(markdown) // 2
    cut = start + min(cuts[1:], key=lambda c: abs(start + c - middle))
    return markdown[:cut], markdown[cut:]


def compile_pdf(source: str, when: int, root: Path | None = None) -> bytes:
    """Typst reads files (chapter images, '/afbeeldingen/x.png') only below root: the region's folder."""
    import typst

    return typst.compile(source.encode("utf-8"), format="pdf", ignore_system_fonts=True, timestamp=when,
                         root=str(root) if root is not None else None)


def docx_bytes(view: RegionView, when_dir: str, images: Path | None = None) -> bytes:
    import tempfile

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch(when_dir)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "boek.docx"
        _pandoc(front_matter(view) + book_markdown(view), "docx",
                ["--reference-doc", str(BOOK / "referentie.docx"), "--toc", "--toc-depth=2"], str(out), images)
        return normalise_zip(out.read_bytes(), timestamp(when_dir).replace(tzinfo=None))


def view_for(content, slug: str, peildatum=None) -> RegionView:
    from .. import versions

    view = region_view(content, slug, versions.label(content.root, slug), peildatum)
    view.versions = versions.version_history(content.root, slug)
    draft = versions.pending(content.root, slug, content.regions[slug]) if view.version.startswith("concept na") else None
    if draft is not None:  # a concept lists what it adds to the last version first
        view.versions = [draft, *view.versions]
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
        data = compile_pdf(source, epoch(content.root), region)
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
            path = write(content, slug, fmt, Path(args.out), getattr(args, "keep_typst", False), getattr(args, "peildatum", None))
        term.result(str(path))
        if fmt == "pdf":  # every published version's book, built once (see outputs/versions.py)
            from .versions import version_pdfs

            for extra in version_pdfs(content.root, slug, Path(args.out)):
                term.result(str(extra))
    return 0
