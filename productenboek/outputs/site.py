"""The website: per region a mkdocs-material site under site/<regio>/, and a portal.

Pipeline: gather content -> generate Markdown + a per-region mkdocs config (inheriting the
root mkdocs.yml) into a private build folder -> mkdocs build each region (in parallel, skipped
when its inputs did not change) into a staging folder, with unchanged regions hard-linked from
the previous site -> swap the staging folder in as site/ (one atomic exchange).
The staging folder is the site before the previous one when the state describes it (kept by
the swap as .site.reserve): only what differs from the current site is removed and rebuilt or
linked again (_bring_up_to_date), so a small change neither links nor deletes whole sites.
A failed or killed build leaves the previous site/ untouched; the next run cleans up.
What was built from which inputs is kept beside the site (.site.staat.json), not in it:
nothing but the pages is published.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import dutch, htmlpage
from .. import versions as published
from ..cache import template_cache, tree_fingerprint
from ..errors import BuildFailed, Problems, UsageError
from ..load import region_folders
from ..outdir import refuse_sources
from ..pipeline import gather
from ..provenance import epoch, file_commits, region_version, timestamp
from ..regionpool import start_method
from ..render import TEMPLATES, mdsite, render, yaml_text
from ..tariffs import boundaries, reference_date, same_tariffs
from ..views import PRODUCT_GROUP_DIR, RegionView, named_sources, region_view, version_day
from ..writer import atomic_write_text, crash_point, recover_stale, staged_dir, swap_in
from . import opendata, portal
from . import versions as site_versions
from .lock import build_lock
from .waswordt import has_rows as waswordt_has_rows

ROOT = Path(__file__).resolve().parent.parent.parent
THEME_OVERRIDES = TEMPLATES / "site" / "theme"  # mkdocs-material partials overridden (custom_dir)
HOOKS = Path(__file__).resolve().parent / "sitehooks.py"
BUILD = Path("build") / "site"  # serve's projects; a site build uses a private folder per run
# Build state of older versions, kept inside the site (now beside it, see _state_path).
LEGACY_STATE = (".bouwsleutel", ".bouwinvoer", ".portaaldata.json", ".portaalinvoer")
# The state beside the site records, per region and for the portal: "invoer", the digest of
# everything its pages are made from, and "sleutel", the digest of the generated mkdocs
# project (what mkdocs would build); per region also "samenvatting", its portal summary, and
# "samenvatting_sha", that summary's digest (summary_digest).


def _inputs_key(root: Path, slug: str, downloads: bool, peildatum=None) -> str:
    """Digest of a region's inputs, from file stats: its content folder, the shared content
    (code lists, national structure), templates, the package's code, mkdocs.yml, its git
    version and whether downloads are made. Equal keys mean the region's pages are equal."""
    parts = [
        tree_fingerprint(root / "regios" / slug),
        _shared_key(str(root)),
        region_version(str(root / "regios" / slug)),
        str(downloads),
        published.fingerprint(root, slug),
        str(peildatum or ""),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@functools.cache
def _shared_key(root: str) -> str:
    return "\n".join(shared_inputs(Path(root), tree_fingerprint))


def shared_inputs(root: Path, digest: Callable[[Path], str]) -> list[str]:
    """What every region's pages depend on besides its own folder, each folder by `digest`
    (file stats here; file bytes for a build matrix, see sitematrix)."""
    return [
        digest(root / "codelijsten"),
        digest(root / "landelijk"),
        digest(TEMPLATES),
        digest(Path(__file__).resolve().parent.parent),
        hashlib.sha256((ROOT / "mkdocs.yml").read_bytes()).hexdigest(),
        _theme_version(),
    ]


def _today():
    import datetime as dt

    return dt.date.today()


# -- generating Markdown ------------------------------------------------------------------


def _changes(content_root: str) -> dict[str, str]:
    """Last commit date per file under the content root, from one git call."""
    return {path: day for path, (day, _short) in file_commits(content_root).items()}


def _changed_text(changes: dict[str, str], content_root: str, path: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(content_root))
    day = changes.get(rel)
    if not day:
        return ""
    import datetime as dt

    return dutch.date_long(dt.date.fromisoformat(day))


def _site_chapter(markdown: str) -> str:
    """Chapters are Markdown by design, but raw HTML is not: '<' becomes an entity."""
    return markdown.replace("<", "&lt;")


def chapter_images(region: Path) -> dict[str, Path]:
    """The region's afbeeldingen/ (the only images a chapter may show; see chaptercheck), placed
    next to the chapter pages so that 'afbeeldingen/x.png' in a chapter finds them."""
    from ..chaptercheck import IMAGE_DIR, image_file, image_folder

    folder = image_folder(region)
    if folder is None:
        return {}
    return {
        f"hoofdstukken/{IMAGE_DIR}/{p.name}": p
        for p in sorted(folder.iterdir())
        if image_file(folder, p.name)
    }


def region_pages(
    content, slug: str, view: RegionView, settings: dict, changes: dict[str, str], downloads: list[dict]
) -> tuple[dict[str, str], list]:
    """Relative path -> Markdown for every page of a region, and the nav."""
    edit_base = settings.get("bewerk_url", "")
    pages: dict[str, str] = {}
    nav: list = [{"Home": "index.md"}]
    pages["index.md"] = render("site/regio/index.md.j2", region=view, downloads=downloads)
    if view.chapters:
        chapters = []
        for ch in view.chapters:
            path = f"hoofdstukken/{ch.slug}.md"
            pages[path] = render(
                "site/regio/hoofdstuk.md.j2",
                chapter=ch,
                body=_site_chapter(named_sources(ch.markdown, view.source_titles, mdsite)),
            )
            chapters.append({ch.title: path})
        nav.append({"Inleiding": chapters})
    if view.lots or view.disciplines or view.rules or view.external_codes:
        pages["opbouw.md"] = render("site/regio/opbouw.md.j2", region=view)
        nav.append({"Opbouw van de inkoop": "opbouw.md"})
    if view.contracts:
        pages["contracten.md"] = render("site/regio/contracten.md.j2", region=view)
        nav.append({"Contracten": "contracten.md"})
    if view.products:
        pages["overzicht.md"] = htmlpage.page_text(
            "Productenoverzicht", render("site/regio/overzicht.html.j2", region=view)
        )
        product_nav: list = [{"Overzicht": "overzicht.md"}]
        for g in view.groups:
            if not g["products"]:
                continue
            path = f"{PRODUCT_GROUP_DIR}/{g['id']}.md"
            pages[path] = group_page(g, view, edit_base, changes, content.root)
            product_nav.append({"Alle producten" if g["id"] == "producten" else g["name"]: path})
            pages.update(product_redirects(g, view))
        nav.append({"Producten": product_nav})
    if view.kernbedingen:
        kb_nav: list = []
        names = [k["name"] for k in view.kernbedingen]
        twice = {n for n in names if names.count(n) > 1}
        for s in view.segments:
            spath = f"segmenten/{s['id']}.md"
            pages[spath] = render("site/regio/segment.md.j2", s=s)
            entries = [{"Over dit segment": spath}]
            for k in s["kernbedingen"]:
                path = f"kernbedingen/{k['id']}.md"
                edit = edit_base + k["source_path"] if edit_base else ""
                pages[path] = render(
                    "site/regio/kernbeding.md.j2",
                    k=k,
                    edit_url=edit,
                    portal=view.portal_from_items,
                    changed=_changed_text(changes, content.root, k["source_path"]),
                )
                label = f"{k['name']} ({k['code'] or k['id']})" if k["name"] in twice else k["name"]
                entries.append({label: path})
            steer = next((x for x in view.steering if x["id"] == s["id"]), None)
            if steer:
                epath = f"effectketen/{s['id']}.md"
                pages[epath] = render("site/regio/effectketen.md.j2", s=steer)
                entries.insert(1, {"Effectketen en randvoorwaarden": epath})
            kb_nav.append({s["title"]: entries})
        if view.cross_topics:
            pages["segmentoverstijgend.md"] = render(
                "site/regio/segmentoverstijgend.md.j2", topics=view.cross_topics
            )
            kb_nav.append({"Segmentoverstijgende onderwerpen": "segmentoverstijgend.md"})
        nav.append({"Kernbedingen": kb_nav})
    # CSV/XLSX exist only for lists with products (waswordt.has_rows): link them only then
    pages["waswordt.md"] = htmlpage.page_text(
        "Was-wordt lijsten",
        render(
            "site/regio/waswordt.html.j2",
            region=view,
            downloads=bool(downloads) and waswordt_has_rows(view.waswordt),
        ),
    )
    nav.append({"Was-wordt": "waswordt.md"})
    if view.glossary:
        pages["begrippen.md"] = render("site/regio/begrippen.md.j2", terms=view.glossary)
        nav.append({"Begrippen": "begrippen.md"})
    if view.open_points:
        pages["openpunten.md"] = render("site/regio/openpunten.md.j2", region=view)
        nav.append({"Open punten": "openpunten.md"})
    return pages, nav


def group_page(group: dict, view: RegionView, edit_base: str, changes: dict[str, str], root: str) -> str:
    """A product group's page, written as HTML (see htmlpage): each product a section."""
    sections = [
        Markup(
            render(
                "site/regio/product.html.j2",
                p=p,
                root="../../",
                portal=view.portal_from_items,
                edit_url=edit_base + p.source_path if edit_base else "",
                changed=_changed_text(changes, root, p.source_path),
            )
        )
        for p in group["products"]
    ]
    body = render("site/regio/productgroep.html.j2", group=group, sections=sections)
    return htmlpage.page_text(group["name"], body, boost=4)


def product_redirects(group: dict, view: RegionView) -> dict[str, str]:
    """A product's former page (producten/<id>/, a permalink readers and other sites keep)
    sends the reader on to its section of the group page."""
    return {
        f"producten/{p.id}/index.html": render(
            "site/regio/doorverwijzing.html.j2",
            title=p.title,
            site=site_name(view),
            group=group["name"],
            target=f"../../{PRODUCT_GROUP_DIR}/{group['id']}/#{p.anchor}",
        )
        for p in group["products"]
    }


# -- mkdocs projects ------------------------------------------------------------------------


def _config(
    project: Path, site_dir: Path, name: str, nav: list, extra: dict | None = None, colophon: str = ""
) -> str:
    root_config = ROOT / "mkdocs.yml"
    cfg = {
        "INHERIT": os.path.relpath(root_config, project),
        "site_name": name,
        "docs_dir": "docs",
        "site_dir": str(site_dir.resolve()),
        "nav": nav,
        "use_directory_urls": True,
        # Theme partials that print titles as text, and the hook that sanitizes Markdown fields.
        "theme": {"custom_dir": os.path.relpath(THEME_OVERRIDES, project)},  # merged into mkdocs.yml's theme
        "hooks": [os.path.relpath(HOOKS, project)],
    }
    if extra:
        cfg["extra"] = extra  # merged into mkdocs.yml's extra
    if colophon:
        cfg["copyright"] = colophon  # the footer's colofon (publisher, contact, licence, dates)
    # A real YAML serializer: every character of a title survives (emoji, U+2028, ...).
    return yaml_text(cfg)


def write_project(
    project: Path,
    pages: Mapping[str, str | bytes],
    config: str,
    extra_files: dict[str, Path],
    beside: Mapping[str, str] | None = None,
) -> str:
    """Write a mkdocs project (docs + config); return a key that changes when any input does.
    `beside`: files the caller writes into the built site itself (write_beside), not through
    mkdocs; they count in the key."""
    if project.exists():
        shutil.rmtree(project)
    docs = project / "docs"
    h = hashlib.sha256()
    h.update(re.sub(r'"site_dir": "[^"\n]*"', "", config).encode())  # where it goes is not what it is
    for rel, text in sorted(pages.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode("utf-8")  # a download is bytes
        path.write_bytes(data)
        h.update(rel.encode() + b"\0" + data + b"\0")
    for rel, src in sorted(extra_files.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, path)
        h.update(rel.encode() + b"\0" + hashlib.sha256(src.read_bytes()).digest())
    for rel, text in sorted((beside or {}).items()):
        h.update(b"beside\0" + rel.encode() + b"\0" + text.encode("utf-8") + b"\0")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    h.update((ROOT / "mkdocs.yml").read_bytes())
    h.update(_theme_version().encode())
    h.update(_overrides_digest().encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _overrides_digest() -> str:
    """What mkdocs runs besides the project: the theme overrides, the hooks and the sanitizer."""
    from .. import safehtml

    h = hashlib.sha256()
    for path in sorted(THEME_OVERRIDES.rglob("*")) + [HOOKS, Path(safehtml.__file__)]:
        if path.is_file():
            h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def write_beside(site_dir: Path, files: Mapping[str, str]) -> None:
    """The files a region's site has beside mkdocs' pages (the redirects of former product
    pages): written straight into the built site, not copied there through the project."""
    for rel, text in sorted(files.items()):
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@functools.cache
def _theme_version() -> str:
    """The engine's versions; our own theme overrides are hashed by _overrides_digest (a
    project) and with the templates (the inputs key)."""
    try:
        from importlib.metadata import version as v

        return v("mkdocs") + "/" + v("mkdocs-material")
    except Exception:  # pragma: no cover
        return ""


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record) -> None:
        self.messages.append(record.getMessage())


class _TemplateCache:
    """Keeps the theme's compiled Jinja templates between builds (every region, and every
    later run), so each build does not compile them again. Keyed by the template's source
    (Jinja's own bytecode cache): a changed theme is compiled anew."""

    def on_env(self, env, config, files):
        env.bytecode_cache = template_cache("mkdocs-sjablonen")
        return env


def mkdocs_build(project: str) -> None:
    """Build one mkdocs project; any mkdocs warning fails the build (strict)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    counter = _Count()
    logger.addHandler(counter)
    try:
        cfg = load_config(config_file=str(Path(project) / "mkdocs.yml"), strict=False)
        # mkdocs only calls a plugin's on_* hooks; subclassing BasePlugin would import mkdocs at start-up.
        cfg.plugins["productenboek-sjablooncache"] = _TemplateCache()  # type: ignore[assignment]
        build(cfg)
    finally:
        logger.removeHandler(counter)
    if counter.messages:
        raise BuildFailed(
            "de site is niet gepubliceerd: mkdocs gaf waarschuwingen",
            [f"waarschuwing: {project}: {m}" for m in counter.messages],
        )


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs").propagate = False
    # Material prints an end-of-life notice on every build; it is known (see DESIGN.md).
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def site_name(view: RegionView) -> str:
    """A region site's name: the region first, so a narrow header still shows it."""
    return f"{view.name}: {view.title}"


def region_extra(view: RegionView, settings: dict) -> tuple[dict, str]:
    """A region site's extra settings (back link to the portal) and colophon."""
    extra = {**settings.get("extra", {}), "portaal": True}
    return extra, colophon(
        site_name(view), view.publisher, view.contact, view.licence, view.source_version, view.updated
    )


def colophon(title: str, publisher: str, contact: str, licence: str, version: str, updated: str) -> str:
    built = dutch.date_long(timestamp().date())  # SOURCE_DATE_EPOCH: the content's date, deterministic
    href = ""
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", contact or ""):
        href = "mailto:" + contact
    elif re.match(r"(https?://|www\.)", contact or ""):
        href = contact if contact.startswith("http") else "https://" + contact
    return re.sub(
        r"\s*\n\s*",
        " ",
        render(
            "site/colofon.html.j2",
            title=title,
            publisher=publisher,
            contact=contact,
            contact_href=href,
            licence=licence,
            version=version,
            updated=updated,
            built=built,
        ),
    ).strip()


# -- downloads -----------------------------------------------------------------------------


def downloads_for(
    content, slug: str, dist: Path, make: bool, keep: Path | None = None, peildatum=None
) -> list[dict]:
    """Build (when asked) and list the region's downloads: PDF, DOCX, was-wordt CSV/XLSX.
    With ``keep``, the files listed are hard links there, made before they are swapped into
    dist/<regio>/: another build swapping in its own version later cannot change them."""
    from . import book, waswordt

    if not make:  # a build without downloads lists none (never stale files from earlier builds)
        return []
    folder = dist / slug
    # dist/<regio>/ changes as a whole: PDF, DOCX and lists are made in a copy, then swapped in.
    with build_lock(folder):
        recover_stale(folder)
        tmp = Path(tempfile.mkdtemp(dir=dist, prefix=f".{slug}.bouw-"))
        try:
            staged = tmp / slug
            if folder.is_dir():
                shutil.copytree(folder, staged, copy_function=os.link, symlinks=True)
            for fmt in ("pdf", "docx"):
                book.write(content, slug, fmt, tmp, peildatum=peildatum)
                crash_point(f"download-{fmt}")
            waswordt.write_region(content, slug, tmp)
            os.chmod(staged, 0o755)
            if keep is not None:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(staged, keep, copy_function=os.link)
            swap_in(staged, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    out = []
    for label, name in (
        ("Productenboek (PDF)", f"productenboek-{slug}.pdf"),
        ("Productenboek (Word)", f"productenboek-{slug}.docx"),
        ("Was-wordt lijsten (Excel)", f"waswordt-{slug}.xlsx"),
        ("Was-wordt lijsten (CSV)", f"waswordt-{slug}.csv"),
    ):
        path = (keep if keep is not None else folder) / name
        if path.exists():
            kb = path.stat().st_size / 1024
            out.append(
                {
                    "label": label,
                    "file": name,
                    "path": path,
                    "size": f"{kb:,.0f} kB".replace(",", ".")
                    if kb < 1024
                    else f"{kb / 1024:.1f} MB".replace(".", ","),
                }
            )
    return out


# -- the command ----------------------------------------------------------------------------

_STATE: dict = {}


def _init_worker(state: dict, cwd: str) -> None:
    os.chdir(cwd)
    _STATE.update(state)
    # The content of every region is in each worker and never freed: outside the collector,
    # a full collection no longer walks it (at national scale some 0.5 s, many times a build).
    gc.freeze()


def _region_job(slug: str) -> tuple[str, bool, str, dict]:
    """Runs in a worker process: generate, then build if inputs changed."""
    content, stage, old_site, make_downloads, dist, settings, changes = (
        _STATE[k] for k in ("content", "stage", "old", "downloads", "dist", "settings", "changes")
    )
    crash_point("regio")
    _quiet_mkdocs()
    view = region_view(content, slug, published.label(content.root, slug), _STATE.get("peildatum"))
    view.updated = version_day(region_version(str(Path(content.root) / "regios" / slug)))
    view.versions = published.version_history(content.root, slug)
    downloads = downloads_for(
        content,
        slug,
        dist,
        make_downloads,
        Path(_STATE["projects"]) / "_downloads" / slug,
        _STATE.get("peildatum"),
    )
    pages, nav = region_pages(content, slug, view, settings, changes, downloads)
    data = opendata.add_to_region(content, slug, pages, nav, Path(_STATE["projects"]) / "_opendata" / slug)
    draft = (
        published.pending(content.root, slug, content.regions[slug])
        if view.version.startswith("concept na")
        else None
    )
    site_versions.decorate(pages, nav, slug, view.version, view.versions, draft=draft)
    project = Path(_STATE["projects"]) / slug
    target = stage / slug
    extra, colo = region_extra(view, settings)
    config = _config(
        project, target, site_name(view), nav, {**extra, "wijzigingen_feed": opendata.FEED}, colo
    )
    files = (
        {f"downloads/{d['file']}": d["path"] for d in downloads}
        | data
        | chapter_images(Path(content.root) / "regios" / slug)
    )
    beside = {rel: str(pages.pop(rel)) for rel in [r for r in pages if not r.endswith(".md")]}
    key = write_project(project, pages, config, files, beside)
    previous = old_site / slug
    rebuilt = _STATE["keys"].get(slug) != key or not previous.is_dir()
    if rebuilt:
        mkdocs_build(str(project))
        write_beside(target, beside)
        crash_point("regio-gebouwd")
    else:
        shutil.copytree(previous, target, copy_function=os.link)
    site_versions.add_frozen(content.root, slug, target, settings, dist if make_downloads else None)
    year = content.regions[slug].region.contract_year
    day = reference_date(year, _STATE.get("peildatum"))
    # The day this region's tariffs were chosen for, and the days they change (see _same_tariffs).
    peil = {
        "dag": day.isoformat(),
        "jaar": bool(year and not _STATE.get("peildatum")),
        "grenzen": boundaries(content.regions[slug]),
    }
    return slug, rebuilt, key, peil


def _copy_portal(old: Path, stage: Path, regions: set[str]) -> None:
    """The portal did not change: link its files from the previous site (not the regions),
    unless the stage has them (kept from the reserve)."""
    for entry in old.iterdir():
        if entry.name in regions:
            continue  # a region's folder, current or removed from content since
        target = stage / entry.name
        if target.exists():
            continue
        if entry.is_dir():
            shutil.copytree(entry, target, copy_function=os.link)
        else:
            os.link(entry, target)


def _settings() -> dict:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r"^\s*bewerk_url:\s*\"?([^\"\n]*)\"?\s*$", text, flags=re.M)
    import yaml

    try:
        extra = (yaml.safe_load(text) or {}).get("extra") or {}
    except yaml.YAMLError:
        extra = {}
    return {
        "bewerk_url": (m.group(1).strip() if m else ""),
        "extra": extra if isinstance(extra, dict) else {},
    }


def run(args, term) -> int:
    root, out, dist = Path(args.content), Path(args.out), Path(args.dist)
    refuse_sources(out, root, "uitvoermap")
    refuse_sources(dist, root, "downloadmap")
    downloads = not args.no_downloads
    only = getattr(args, "alleen", None)  # one region, no portal: a job of a build matrix
    if getattr(args, "portaal_uit", None):
        from . import sitematrix

        return sitematrix.assemble(args, term)
    with build_lock(out):
        recover_stale(out)
        state = _load_state(out)
        folders = region_folders(root, Problems())
        if only is not None:
            from . import sitematrix

            folders = sitematrix.only(only, folders, state, out)
            content_key = sitematrix.content_key(root, only, downloads, args.peildatum)
        # What changed, from file stats alone: only those regions' content is loaded. Regions do
        # not refer to each other, and an unchanged region was valid when it was built.
        inputs = {f.name: _inputs_key(root, f.name, downloads, args.peildatum) for f in folders}
        if not inputs:
            gather(args.content)  # reports why there are no regions
        regions = state.get("regios", {})
        kept = {
            slug: _built_summary(out / slug, regions.get(slug), key)
            if _same_tariffs(regions.get(slug), args.peildatum)
            else None
            for slug, key in inputs.items()
        }
        changed = {slug for slug, summary in kept.items() if summary is None}
        content = gather(args.content, subset=changed)
        crash_point("geladen")
        # mkdocs stamps pages and the sitemap with the build date; make it the content's date.
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch(content.root)))
        summaries = {
            slug: kept[slug]
            or portal.region_summary(content, slug, args.peildatum, published.label(content.root, slug))
            for slug in sorted(inputs)
        }
        with tempfile.TemporaryDirectory(
            dir=out.resolve().parent, prefix=f".{out.name}.bouw-", ignore_cleanup_errors=True
        ) as projects:
            digests = {
                slug: (kept[slug] and regions[slug].get("samenvatting_sha")) or summary_digest(summary)
                for slug, summary in summaries.items()
            }
            portal_inputs = _portal_inputs(content, digests)
            reuse = functools.partial(
                _bring_up_to_date,
                state=state,
                keep={slug for slug in inputs if slug not in changed},
                keep_portal=only is None and state.get("portaal", {}).get("invoer") == portal_inputs,
            )
            with staged_dir(out, reuse=reuse) as stage:
                _STATE.update(
                    content=content,
                    stage=stage,
                    old=out,
                    downloads=downloads,
                    inputs=inputs,
                    summaries=summaries,
                    dist=dist,
                    settings=_settings(),
                    changes=_changes(content.root),
                    projects=projects,
                    keys={slug: entry.get("sleutel") for slug, entry in regions.items()},
                    peildatum=args.peildatum,
                )
                _quiet_mkdocs()
                portal_job, portal_done = (
                    _portal(portal_inputs, summaries, out, stage, state, Path(projects))
                    if only is None
                    else (None, lambda _results: {})  # the portal is assembled later (--portaal-uit)
                )
                results = _build_regions(out, stage, sorted(inputs), changed, portal_job)
                portal_state: dict = portal_done(results)
                if only is None:
                    opendata.write_national(stage, sorted(inputs), content.root, ROOT / "mkdocs.yml")
                new_regions = {}
                for slug in sorted(inputs):
                    old = regions.get(slug, {})
                    _did, key, peil = results.get(slug, (False, old.get("sleutel"), old.get("peildatum")))
                    new_regions[slug] = {
                        "invoer": inputs[slug],
                        "samenvatting": summaries[slug],
                        "samenvatting_sha": digests[slug],
                        "sleutel": key,
                        "peildatum": peil,
                    }
                    if only is not None:
                        new_regions[slug]["inhoud"] = content_key  # checked by --portaal-uit
                _save_state(out, stage, {"portaal": portal_state, "regios": new_regions}, previous=state)
                crash_point("voor-wissel")
            _keep_projects(
                Path(projects), projects_dir(out), {*inputs, "_portaal", "_downloads", "_opendata"}
            )
        built = sum(1 for slug, (did, _key, _peil) in results.items() if did and slug in changed)
    if only is not None:
        term.ok(
            f"regio {only} gebouwd in {out}/{only}/ ({built} opnieuw gebouwd); "
            "het portaal volgt met --portaal-uit"
        )
    else:
        term.ok(f"site gebouwd in {out}/: portaal + {len(inputs)} regio's ({built} opnieuw gebouwd)")
    term.result(str(out / (only or "") / "index.html"))
    return 0


def _same_tariffs(entry, peildatum) -> bool:
    """A built region shows the tariffs of this peildatum too (no tariff starts or stops between
    the day it was built for and this one), so a new day alone does not rebuild it."""
    import datetime as dt

    try:
        data = entry["peildatum"]
        then = dt.date.fromisoformat(data["dag"])
        now = peildatum or (then if data.get("jaar") else _today())
        return same_tariffs(list(data["grenzen"]), then, now)
    except (ValueError, KeyError, TypeError):
        return False


# -- the build state, beside the site ---------------------------------------------------------


def projects_dir(out: Path) -> Path:
    """Where the mkdocs projects of the last build of ``out`` stay for inspection (and the
    benchmark's floor): beside the site, never published, never read by a build."""
    return out.parent / f".{out.name}.mkdocs"


def _keep_projects(projects: Path, keep: Path, current: set[str]) -> None:
    """The projects of this build replace their earlier versions; those of regions built
    before stay (they are what their part of the site was built from); those of regions no
    longer in the content go. Only for inspection: a failure here costs nothing."""
    try:
        keep.mkdir(exist_ok=True)
        for entry in sorted(keep.iterdir()):
            if entry.name not in current or (projects / entry.name).exists():
                shutil.rmtree(entry, ignore_errors=True)
        for entry in sorted(projects.iterdir()):
            os.rename(entry, keep / entry.name)
    except OSError:
        pass


def _state_path(out: Path) -> Path:
    return out.parent / f".{out.name}.staat.json"


def _identity(folder: Path) -> list[int] | None:
    try:
        st = folder.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


def _load_state(out: Path) -> dict:
    """The state of the site in ``out``, or {} (build everything) when it describes another
    folder: the state names the folder it belongs to by identity, which a swap carries.
    Refuses an existing folder that is neither empty nor a site this command built."""
    try:
        state = json.loads(_state_path(out).read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            state = {}
    except (OSError, ValueError):
        state = {}
    me = _identity(out)
    if me is None:
        if out.exists() or out.is_symlink():
            raise UsageError(f"'{out}' is geen map; kies een andere uitvoermap")
        return {}
    if not out.is_dir() or out.is_symlink():
        raise UsageError(f"'{out}' is geen map; kies een andere uitvoermap")
    ours = me in (state.get("map"), state.get("vorige")) or any(
        (out / name).exists() for name in LEGACY_STATE
    )
    if not ours and any(out.iterdir()):
        raise UsageError(
            f"'{out}' bestaat al en is geen site die deze opdracht bouwde; "
            "kies een lege of nieuwe uitvoermap (de bouw vervangt de hele map)"
        )
    if (
        state.get("map") != me
        or not isinstance(state.get("regios"), dict)
        or not isinstance(state.get("portaal"), dict)
    ):
        return {}
    return state


def _save_state(out: Path, stage: Path, state: dict, previous: dict | None = None) -> None:
    """Written before the swap, for the staging folder (which becomes ``out``); the previous
    folder stays recognised as ours should the swap not happen. The swap keeps the previous
    folder as the reserve (writer.staged_dir): "reserve" records what it holds."""
    reserve = None
    if previous and previous.get("map") == _identity(out):
        reserve = {
            "map": previous["map"],
            "regios": {slug: _built_as(entry) for slug, entry in previous["regios"].items()},
            "portaal": previous["portaal"],
        }
    state = {"map": _identity(stage), "vorige": _identity(out), "reserve": reserve, **state}
    atomic_write_text(_state_path(out), json.dumps(state, ensure_ascii=False, sort_keys=True) + "\n")


def _bring_up_to_date(stage: Path, state: dict, keep: set[str], keep_portal: bool) -> bool:
    """The reserve (the site before the current one, see writer.staged_dir) as this build's
    staging folder: what it holds as the current site holds it stays (regions in ``keep``, the
    portal with ``keep_portal``), the rest goes and is built or linked again. False when the
    state does not describe this folder."""
    reserve = state.get("reserve")
    if not isinstance(reserve, dict) or reserve.get("map") != _identity(stage):
        return False
    held, current = reserve.get("regios"), state.get("regios", {})
    if not isinstance(held, dict) or not isinstance(reserve.get("portaal"), dict):
        return False
    same_portal = keep_portal and reserve["portaal"] == state.get("portaal")
    for entry in sorted(stage.iterdir()):
        if entry.name in held or entry.name in current:
            stays = entry.name in keep and held.get(entry.name) == _built_as(current.get(entry.name))
        else:
            stays = same_portal  # the portal's pages, assets and search index
        if stays:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return True


def _built_as(entry) -> dict | None:
    """What a region's folder was built from (its portal summary follows from it)."""
    if not isinstance(entry, dict):
        return None
    return {k: entry.get(k) for k in ("invoer", "sleutel", "peildatum")}


def _built_summary(built: Path, entry, inputs: str) -> dict | None:
    """The portal summary of a region built from exactly these inputs; None: build it again."""
    if not isinstance(entry, dict) or entry.get("invoer") != inputs or not built.is_dir():
        return None
    summary = entry.get("samenvatting")
    return summary if isinstance(summary, dict) and isinstance(summary.get("items"), list) else None


def summary_digest(summary: dict) -> str:
    """A region's portal summary as a digest (kept in the state: a region that did not change
    is not serialised again to see whether the portal did)."""
    return hashlib.sha256(json.dumps(summary, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _portal_inputs(content, digests: dict[str, str]) -> str:
    """What the portal is made from: every region's summary (by digest) and the shared inputs."""
    digest = hashlib.sha256("".join(f"{slug}\0{digests[slug]}\n" for slug in sorted(digests)).encode())
    digest.update(_shared_key(content.root).encode())
    return digest.hexdigest()


def _portal(
    portal_inputs: str, summaries: dict[str, dict], out: Path, stage: Path, state: dict, projects: Path
):
    """Decide whether the portal must be built: (the portal job's argument or None, a function
    that finishes the portal in the stage once the builds are done, given their results, and
    returns its state). The job (_portal_job) writes the pages and builds them in a worker, next
    to the regions: at national scale the portal's tables are seconds of work."""
    previous = state.get("portaal", {})
    portal_out = stage / ".portaal"  # mkdocs empties its site_dir, so not the stage itself
    regions = set(summaries) | set(state.get("regios", {}))
    job = None
    if previous.get("invoer") != portal_inputs:
        job = (str(projects / "_portaal"), str(portal_out), previous.get("sleutel") or "")
    else:
        _copy_portal(out, stage, regions)

    def done(results: dict) -> dict:
        built, key = (results.get(PORTAL_JOB) or (False, None, None))[:2]
        if built:
            for entry in portal_out.iterdir():
                os.replace(entry, stage / entry.name)
            portal_out.rmdir()
        elif job is not None:  # the same pages as last time: the previous portal stays
            _copy_portal(out, stage, regions)
        return {"invoer": portal_inputs, "sleutel": key or previous.get("sleutel")}

    return job, done


PORTAL_JOB = "_portaal"  # the portal's entry in _build_regions' results (no region has this name)


def _portal_job(job: tuple[str, str, str]) -> tuple[str, bool, str, None]:
    """Runs in a worker: the portal's pages from the content and the region summaries, then
    the build, unless the pages are those of the previous build."""
    project, site_dir, previous = Path(job[0]), Path(job[1]), job[2]
    content, summaries = _STATE["content"], list(_STATE["summaries"].values())
    _quiet_mkdocs()
    pages, nav = portal.portal_pages(content, summaries)
    opendata.add_to_portal(summaries, pages, nav, ROOT / "mkdocs.yml")
    config = _config(project, site_dir, PORTAL_NAME, nav, None, _portal_colophon(content))
    key = write_project(project, pages, config, {})
    if key == previous:
        return PORTAL_JOB, False, key, None
    mkdocs_build(str(project))
    return PORTAL_JOB, True, key, None


PORTAL_NAME = "Productenboeken jeugdhulp en Wmo"


def _portal_colophon(content) -> str:
    c = _settings().get("extra", {}).get("colofon") or {}
    day = dutch.date_long(timestamp(content.root).date())
    return colophon(PORTAL_NAME, c.get("uitgever", ""), c.get("contact", ""), c.get("licentie", ""), "", day)


def _build_regions(
    out: Path, stage: Path, slugs: list[str], changed: set[str], portal_job: tuple[str, str, str] | None
) -> dict[str, tuple[bool, str, dict | None]]:
    """Link unchanged regions from the previous site (never moving them: until the swap the
    previous site stays whole); build the others and the portal (when it changed) in
    parallel, the portal first: it is the biggest job. Returns slug -> (rebuilt, key, peildatum)."""
    for slug in slugs:
        if slug not in changed and not (stage / slug).exists():  # not kept from the reserve
            shutil.copytree(out / slug, stage / slug, copy_function=os.link)
    jobs: list[tuple[Callable[[Any], tuple], Any]] = [(_portal_job, portal_job)] if portal_job else []
    jobs += [(_region_job, s) for s in sorted(changed)]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        ctx = multiprocessing.get_context(start_method())  # each worker gets the state once
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(dict(_STATE), os.getcwd()),
        ) as pool:
            results = [f.result() for f in [pool.submit(fn, arg) for fn, arg in jobs]]
    else:
        results = [fn(arg) for fn, arg in jobs]
    return {name: (did, key, peil) for name, did, key, peil in results if name}
