"""Test helpers: build content trees in a temporary folder and run the real CLI."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path

from productenboek.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_content(target: Path, overlay: Path | None = None) -> Path:
    """content/ = the repo's code lists + the valid sample region, then the overlay's files.

    Overlay files ending in '.herhaal' hold a count on the first line and text to repeat."""
    content = target / "content"
    shutil.copytree(REPO / "content" / "codelijsten", content / "codelijsten")
    shutil.copytree(FIXTURES / "valid" / "regios", content / "regios")
    if overlay is not None and (overlay / "content").is_dir():
        for src in sorted((overlay / "content").rglob("*")):
            if src.is_dir():
                continue
            rel = src.relative_to(overlay / "content")
            dst = content / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.name.endswith(".herhaal"):
                count, _, text = src.read_text(encoding="utf-8").partition("\n")
                dst = dst.with_name(dst.name[: -len(".herhaal")])
                dst.write_text(text * int(count), encoding="utf-8")
            else:
                shutil.copyfile(src, dst)
    return content


@contextlib.contextmanager
def cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(args: list[str], where: Path) -> tuple[int, str, str]:
    """Run build.py's main() in folder `where`; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with cwd(where), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def git(repo: Path, *args: str, check: bool = True) -> str:
    """Run git in repo as a fixed test author; return its standard output."""
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=check,
        capture_output=True,
        text=True,
    ).stdout


def product_page(site: Path, region: str, product_id: str) -> tuple[Path, str]:
    """A product's former page (site/<regio>/producten/<id>/) sends the reader on to its section
    of its product group's page: (that page's index.html, the section's anchor)."""
    import re

    stub = (site / region / "producten" / product_id / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<link rel="canonical" href="([^"#]+)#([^"]+)">', stub)
    assert m, f"{product_id}: geen doorverwijzing"
    page = (site / region / "producten" / product_id / m.group(1) / "index.html").resolve()
    return page, m.group(2)


def product_html(site: Path, region: str, product_id: str) -> str:
    """The HTML of a product's section on its product group's page."""
    import re

    page, anchor = product_page(site, region, product_id)
    html = page.read_text(encoding="utf-8")
    m = re.search(
        rf'<section class="product" aria-labelledby="{re.escape(anchor)}">.*?</section>', html, re.S
    )
    assert m, f"{product_id}: geen sectie #{anchor} op {page}"
    return m.group(0)


def type_search(page, query: str, attempts: int = 30) -> None:
    """Type a query in the site's search box and wait until results show. The search worker
    builds its index after the page loads; a query typed before it is ready stays unanswered
    ("Typ om te beginnen..."), so the input is nudged until it is answered."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.fill(query)
    for _attempt in range(attempts):
        page.wait_for_timeout(500)
        if (
            meta.count()
            and not meta.inner_text().startswith("Typ")
            and page.locator(".md-search-result__item").count()
        ):
            return
        box.press("End")
        box.type(" ")
        box.press("Backspace")
