"""Published versions on the site: every tagged version frozen at site/<regio>/<versie>/, with
a banner naming it and linking to the current one; the current site gets a version selector
and the page "Versies en wijzigingen"; and a PDF per version in dist/<regio>/.

A tagged version cannot change, so it is built once, kept in the cache keyed by its tagged
commit, and linked into every later site: a new version costs one build, the others none.
site.py calls decorate() before building a region and add_frozen() after.
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

from .. import dutch
from .. import versions as published
from ..cache import _folder
from ..htmlpage import HTML_PAGE
from ..render import render
from ..writer import atomic_write_bytes, atomic_write_text

DONE = ".klaar"  # a finished frozen build in the cache


def _depth(page: str) -> int:
    """How many folders deep a page's URL is (use_directory_urls): index.md 0, a/b.md 2."""
    parts = page.split("/")
    return len(parts) - 1 + (0 if parts[-1] == "index.md" else 1)


def _with_banner(text: str, kind: str, title: str, body: str) -> str:
    """Put the banner (an admonition; `body` is HTML) right after the page's front matter, in
    the page's own format: Markdown, or HTML for pages written as HTML (views.HTML_PAGE)."""
    stripped = text.lstrip("\n")
    end = stripped.index("\n---\n", 4) + 5 if stripped.startswith("---\n") else 0
    if HTML_PAGE in stripped[:end]:
        banner = (
            f'<div class="admonition {kind}">\n<p class="admonition-title">{html.escape(title)}</p>\n'
            f"<p>{body}</p>\n</div>\n"
        )
    else:
        banner = f'!!! {kind} "{title}"\n\n    {body}\n'
    return stripped[:end] + ("\n" if end else "") + banner + "\n" + stripped[end:]


def decorate(
    pages: dict[str, str],
    nav: list,
    slug: str,
    label: str,
    history,
    frozen: str = "",
    current_date: str = "",
    draft=None,
) -> None:
    """Add the versions page and a banner (frozen) or version selector (current) to every page.
    `draft`: the unpublished changes since the last version (a VersionEntry), if any."""
    if not history:
        return
    entries = [
        {
            "name": v.name,
            "date": v.date,
            "summary": v.summary,
            "lines": v.lines,
            "pdf": f"productenboek-{slug}-{v.name}.pdf",
        }
        for v in history
    ]
    up = "../" if frozen else ""  # from a version's root to the region's (current) root
    pages["versies.md"] = render(
        "site/regio/versies.md.j2",
        versions=entries,
        label=label,
        frozen=bool(frozen),
        base="../" + up,
        draft=draft,
    )
    nav.append({"Versies en wijzigingen": "versies.md"})
    for page in list(pages):
        if not page.endswith(".md"):
            continue  # a static file (the redirect of a product's former page)
        rel = "../" * _depth(page) + up
        if frozen:
            pages[page] = _with_banner(
                pages[page],
                "warning",
                f"Versie {frozen} ({current_date})",
                f"Je bekijkt de gepubliceerde versie {frozen}; die verandert niet meer. "
                f'<a href="{rel}">Naar de actuele versie</a> · '
                f'<a href="{rel}versies/">alle versies en wijzigingen</a>',
            )
        else:
            links = " · ".join(f'<a href="{rel}{v.name}/">{v.name}</a>' for v in history)
            pages[page] = _with_banner(
                pages[page],
                "info",
                f"Versie: {label}",
                f'Gepubliceerde versies: {links} · <a href="{rel}versies/">wijzigingen per versie</a>',
            )


def _cached(slug: str, v: published.Version) -> Path:
    return _folder() / "versies" / slug / f"site-{v.name}-{v.commit[:16]}"


def build_frozen(content_root: str, slug: str, v: published.Version, settings: dict) -> Path:
    """The built site of one tagged version, from the cache or built now (once)."""
    from ..views import region_view
    from . import book, site

    done = _cached(slug, v)
    if (done / DONE).exists():
        return done
    with published.content_of(content_root, v) as folder:
        content = published.load_region(folder, slug)
        view = book.with_book_facts(region_view(content, slug, v.name, v.date), content, slug)
        view.versions = published.version_history(content_root, slug, upto=v.name)
        view.portal_from_items = "../../../../"  # a frozen version sits one folder deeper
        pdf_name = f"productenboek-{slug}-{v.name}.pdf"
        pdf = done.with_name(done.name + ".pdf")
        if not pdf.exists():
            region = Path(folder) / "regios" / slug
            atomic_write_bytes(
                pdf, book.compiled(book.typst_source(view, book.image_folder(region)), int(_epoch(v)), region)
            )
        pages, nav = site.region_pages(content, slug, view, settings, {}, [])
        decorate(pages, nav, slug, v.name, view.versions, frozen=v.name, current_date=dutch.date_long(v.date))
        project = site.BUILD / f"{slug}@{v.name}"
        out = done.with_name(done.name + ".bouw")
        if out.exists():
            shutil.rmtree(out)
        _extra, colophon = site.region_extra(view, settings)
        # Material's version selector (its 'mike' provider): each frozen version reads the list
        # of versions from ../versions.json at view time, so adding one rebuilds none of the others.
        config = site._config(
            project,
            out,
            f"{view.name}: {view.title} (versie {v.name})",
            nav,
            {"version": {"provider": "mike"}},
            colophon,
        )
        site.write_project(project, pages, config, {f"downloads/{pdf_name}": pdf})
        site.mkdocs_build(str(project))
    atomic_write_text(out / DONE, v.commit + "\n")
    if done.exists():
        shutil.rmtree(done)
    os.replace(out, done)
    return done


def versions_json(versions: list[published.Version]) -> str:
    """site/<regio>/versions.json in the format of mike, newest first."""
    import json

    rows = [
        {"version": v.name, "title": f"{v.name} ({dutch.date_short(v.date)})", "aliases": []}
        for v in reversed(versions)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def _epoch(v: published.Version) -> int:
    import datetime as dt

    return int(dt.datetime(v.date.year, v.date.month, v.date.day, tzinfo=dt.UTC).timestamp())


def add_frozen(
    content_root: str, slug: str, target: Path, settings: dict, dist: Path | None
) -> tuple[int, int]:
    """Link every tagged version into target/<versie>/ (and its PDF into dist/<regio>/);
    (built now, reused) counts."""
    built = reused = 0
    all_versions = published.region_versions(content_root, slug)
    if all_versions:
        atomic_write_text(target / "versions.json", versions_json(all_versions))
    for v in all_versions:
        was_done = (_cached(slug, v) / DONE).exists()
        src = build_frozen(content_root, slug, v, settings)
        built, reused = built + (not was_done), reused + was_done
        dest = target / v.name
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, copy_function=os.link, ignore=shutil.ignore_patterns(DONE))
        if dist is not None:
            pdf = src.with_name(src.name + ".pdf")
            out = dist / slug / f"productenboek-{slug}-{v.name}.pdf"
            if not out.exists() or out.read_bytes() != pdf.read_bytes():
                atomic_write_bytes(out, pdf.read_bytes())
    return built, reused


def version_pdfs(content_root: str, slug: str, dist: Path, settings: dict | None = None) -> list[Path]:
    """dist/<regio>/productenboek-<regio>-<versie>.pdf for every tagged version (built once)."""
    out = []
    for v in published.region_versions(content_root, slug):
        src = build_frozen(content_root, slug, v, settings or {"bewerk_url": ""})
        pdf = src.with_name(src.name + ".pdf")
        path = dist / slug / f"productenboek-{slug}-{v.name}.pdf"
        if not path.exists() or path.read_bytes() != pdf.read_bytes():
            atomic_write_bytes(path, pdf.read_bytes())
        out.append(path)
    return out
