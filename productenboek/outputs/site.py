"""The website: per region a mkdocs-material site under site/<regio>/, and a portal.

Pipeline: gather content -> generate Markdown + a per-region mkdocs config (inheriting the
root mkdocs.yml) into build/site/ -> mkdocs build each region (in parallel, skipped when its
inputs did not change) into a staging folder -> swap the staging folder in as site/.
A failed build leaves the previous site/ untouched.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .. import dutch
from ..cache import template_cache, tree_fingerprint
from ..errors import BuildFailed, Problems, UsageError
from ..load import region_folders
from ..pipeline import gather
from ..regionpool import start_method
from ..provenance import epoch, file_commits, region_version
from ..render import TEMPLATES, render
from ..views import RegionView, region_view
from ..writer import atomic_write_text, staged_dir
from .waswordt import has_rows as waswordt_has_rows
from . import portal
from .lock import build_lock

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD = Path("build") / "site"
STAMP = ".bouwsleutel"      # digest of the generated mkdocs project (what mkdocs would build)
INPUTS = ".bouwinvoer"      # digest of everything a region's pages are made from
PORTAL_DATA = ".portaaldata.json"  # a built region's summary for the portal (see portal.py)
PORTAL_INPUTS = ".portaalinvoer"   # digest of everything the portal's pages are made from


def _inputs_key(root: Path, slug: str, downloads: bool) -> str:
    """Digest of a region's inputs, from file stats: its content folder, the shared content
    (code lists, national structure), templates, the package's code, mkdocs.yml, its git
    version and whether downloads are made. Equal keys mean the region's pages are equal."""
    parts = [tree_fingerprint(root / "regios" / slug), _shared_key(str(root)),
             region_version(str(root / "regios" / slug)), str(downloads)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@functools.lru_cache(maxsize=None)
def _shared_key(root: str) -> str:
    return "\n".join([tree_fingerprint(Path(root) / "codelijsten"), tree_fingerprint(Path(root) / "landelijk"),
                      tree_fingerprint(TEMPLATES), tree_fingerprint(Path(__file__).resolve().parent.parent),
                      hashlib.sha1((ROOT / "mkdocs.yml").read_bytes()).hexdigest(), _theme_version()])


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


def region_pages(content, slug: str, view: RegionView, settings: dict, changes: dict[str, str],
                 downloads: list[dict]) -> tuple[dict[str, str], list]:
    """Relative path -> Markdown for every page of a region, and the nav."""
    edit_base = settings.get("bewerk_url", "")
    pages: dict[str, str] = {}
    nav: list = [{"Home": "index.md"}]
    pages["index.md"] = render("site/regio/index.md.j2", region=view, downloads=downloads)
    if view.chapters:
        chapters = []
        for ch in view.chapters:
            path = f"hoofdstukken/{ch.slug}.md"
            pages[path] = render("site/regio/hoofdstuk.md.j2", chapter=ch, body=_site_chapter(ch.markdown))
            chapters.append({ch.title: path})
        nav.append({"Inleiding": chapters})
    if view.lots or view.disciplines or view.rules or view.external_codes:
        pages["opbouw.md"] = render("site/regio/opbouw.md.j2", region=view)
        nav.append({"Opbouw van de inkoop": "opbouw.md"})
    if view.contracts:
        pages["contracten.md"] = render("site/regio/contracten.md.j2", region=view)
        nav.append({"Contracten": "contracten.md"})
    if view.products:
        pages["overzicht.md"] = render("site/regio/overzicht.md.j2", region=view)
        product_nav: list = [{"Overzicht": "overzicht.md"}]
        for g in view.groups:
            entries = []
            for p in g["products"]:
                path = f"producten/{p.id}.md"
                edit = edit_base + p.source_path if edit_base else ""
                pages[path] = render("site/regio/product.md.j2", p=p, edit_url=edit,
                                     changed=_changed_text(changes, content.root, p.source_path))
                entries.append({p.title: path})
            product_nav.append({g["name"]: entries})
        nav.append({"Producten": product_nav})
    if view.kernbedingen:
        kb_nav = []
        for s in view.segments:
            spath = f"segmenten/{s['id']}.md"
            pages[spath] = render("site/regio/segment.md.j2", s=s)
            entries: list = [{"Over dit segment": spath}]
            for k in s["kernbedingen"]:
                path = f"kernbedingen/{k['id']}.md"
                edit = edit_base + k["source_path"] if edit_base else ""
                pages[path] = render("site/regio/kernbeding.md.j2", k=k, edit_url=edit,
                                     changed=_changed_text(changes, content.root, k["source_path"]))
                entries.append({k["name"]: path})
            steer = next((x for x in view.steering if x["id"] == s["id"]), None)
            if steer:
                epath = f"effectketen/{s['id']}.md"
                pages[epath] = render("site/regio/effectketen.md.j2", s=steer)
                entries.insert(1, {"Effectketen en randvoorwaarden": epath})
            kb_nav.append({s["title"]: entries})
        if view.cross_topics:
            pages["segmentoverstijgend.md"] = render("site/regio/segmentoverstijgend.md.j2", topics=view.cross_topics)
            kb_nav.append({"Segmentoverstijgende onderwerpen": "segmentoverstijgend.md"})
        nav.append({"Kernbedingen": kb_nav})
    # CSV/XLSX exist only for lists with products (waswordt.has_rows): link them only then
    pages["waswordt.md"] = render("site/regio/waswordt.md.j2", region=view,
                                  downloads=bool(downloads) and waswordt_has_rows(view.waswordt))
    nav.append({"Was-wordt": "waswordt.md"})
    if view.glossary:
        pages["begrippen.md"] = render("site/regio/begrippen.md.j2", terms=view.glossary)
        nav.append({"Begrippen": "begrippen.md"})
    if view.open_points:
        pages["openpunten.md"] = render("site/regio/openpunten.md.j2", region=view)
        nav.append({"Open punten": "openpunten.md"})
    return pages, nav


# -- mkdocs projects ------------------------------------------------------------------------

def _config(project: Path, site_dir: Path, name: str, nav: list) -> str:
    root_config = ROOT / "mkdocs.yml"
    cfg = {
        "INHERIT": os.path.relpath(root_config, project),
        "site_name": name,
        "docs_dir": "docs",
        "site_dir": str(site_dir.resolve()),
        "nav": nav,
        "use_directory_urls": True,
    }
    return json.dumps(cfg, ensure_ascii=False, indent=1) + "\n"


def write_project(project: Path, pages: dict[str, str], config: str, extra_files: dict[str, Path]) -> str:
    """Write a mkdocs project (docs + config); return a key that changes when any input does."""
    if project.exists():
        shutil.rmtree(project)
    docs = project / "docs"
    h = hashlib.sha256()
    h.update(re.sub(r'"site_dir": "[^"]*"', "", config).encode())  # where it goes is not what it is
    for rel, text in sorted(pages.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        h.update(rel.encode() + b"\0" + text.encode() + b"\0")
    for rel, src in sorted(extra_files.items()):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, path)
        h.update(rel.encode() + b"\0" + hashlib.sha256(src.read_bytes()).digest())
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    h.update((ROOT / "mkdocs.yml").read_bytes())
    h.update(_theme_version().encode())
    return h.hexdigest()


def _theme_version() -> str:
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
        cfg.plugins["productenboek-sjablooncache"] = _TemplateCache()
        build(cfg)
    finally:
        logger.removeHandler(counter)
    if counter.messages:
        raise BuildFailed("de site is niet gepubliceerd: mkdocs gaf waarschuwingen",
                          [f"waarschuwing: {project}: {m}" for m in counter.messages])


def _quiet_mkdocs() -> None:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs").propagate = False
    # Material prints an end-of-life notice on every build; it is known (see DESIGN.md).
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


# -- downloads -----------------------------------------------------------------------------

def downloads_for(content, slug: str, dist: Path, make: bool) -> list[dict]:
    """Build (when asked) and list the region's downloads: PDF, DOCX, was-wordt CSV/XLSX."""
    from . import book, waswordt

    if not make:  # a build without downloads lists none (never stale files from earlier builds)
        return []
    folder = dist / slug
    for fmt in ("pdf", "docx"):
        book.write(content, slug, fmt, dist)
    waswordt.write_region(content, slug, dist)
    out = []
    for label, name in (("Productenboek (PDF)", f"productenboek-{slug}.pdf"), ("Productenboek (Word)", f"productenboek-{slug}.docx"),
                        ("Was-wordt lijsten (Excel)", f"waswordt-{slug}.xlsx"), ("Was-wordt lijsten (CSV)", f"waswordt-{slug}.csv")):
        path = folder / name
        if path.exists():
            kb = path.stat().st_size / 1024
            out.append({"label": label, "file": name, "path": path,
                        "size": f"{kb:,.0f} kB".replace(",", ".") if kb < 1024 else f"{kb / 1024:.1f} MB".replace(".", ",")})
    return out


# -- the command ----------------------------------------------------------------------------

_STATE: dict = {}


def _init_worker(state: dict, cwd: str) -> None:
    os.chdir(cwd)
    _STATE.update(state)


def _region_job(slug: str) -> tuple[str, bool]:
    """Runs in a worker process: generate, then build if inputs changed."""
    content, stage, old_site, make_downloads, dist, settings, changes = (
        _STATE[k] for k in ("content", "stage", "old", "downloads", "dist", "settings", "changes"))
    _quiet_mkdocs()
    view = region_view(content, slug, region_version(str(Path(content.root) / "regios" / slug)))
    downloads = downloads_for(content, slug, dist, make_downloads)
    pages, nav = region_pages(content, slug, view, settings, changes, downloads)
    project = BUILD / slug
    target = stage / slug
    config = _config(project, target, f"{view.title}: {view.name}", nav)
    key = write_project(project, pages, config, {f"downloads/{d['file']}": d["path"] for d in downloads})
    previous = old_site / slug
    rebuilt = _read(previous / STAMP) != key
    if rebuilt:
        mkdocs_build(str(project))
        atomic_write_text(target / STAMP, key + "\n")
    else:
        shutil.copytree(previous, target, copy_function=os.link)
    # Written by replacing, never through a hard link into the previous site.
    atomic_write_text(target / INPUTS, _STATE["inputs"][slug] + "\n")
    atomic_write_text(target / PORTAL_DATA, json.dumps(_STATE["summaries"][slug], ensure_ascii=False, sort_keys=True) + "\n")
    return slug, rebuilt


def _copy_portal(old: Path, stage: Path, regions: set[str]) -> None:
    """The portal did not change: link its files from the previous site (not the regions)."""
    for entry in old.iterdir():
        if entry.name in regions or (entry / INPUTS).exists() or (entry / STAMP).exists():
            continue  # a region's folder, current or removed from content since
        target = stage / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, copy_function=os.link)
        else:
            os.link(entry, target)


def _settings() -> dict:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r"^\s*bewerk_url:\s*\"?([^\"\n]*)\"?\s*$", text, flags=re.M)
    return {"bewerk_url": (m.group(1).strip() if m else "")}


def run(args, term) -> int:
    root, out = Path(args.content), Path(args.out)
    if out.resolve() == ROOT or out.resolve() in ROOT.parents:
        raise UsageError(f"'{out}' kan geen uitvoermap zijn")
    downloads = not args.no_downloads
    with build_lock(out):
        # What changed, from file stats alone: only those regions' content is loaded. Regions do
        # not refer to each other, and an unchanged region was valid when it was built.
        inputs = {f.name: _inputs_key(root, f.name, downloads) for f in region_folders(root, Problems())}
        kept = {slug: _built_summary(out / slug, key) for slug, key in inputs.items()}
        changed = {slug for slug, summary in kept.items() if summary is None}
        content = gather(args.content, subset=changed)
        # mkdocs stamps pages and the sitemap with the build date; make it the content's date.
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch(content.root)))
        summaries = {slug: kept[slug] or portal.region_summary(content, slug) for slug in sorted(inputs)}
        with staged_dir(out) as stage:
            _STATE.update(content=content, stage=stage, old=out, downloads=downloads, inputs=inputs, summaries=summaries,
                          dist=Path(args.dist), settings=_settings(), changes=_changes(content.root))
            _quiet_mkdocs()
            portal_job, portal_done = _portal(content, summaries, out, stage)
            moved: list[str] = []
            try:
                built = _build_regions(out, stage, sorted(inputs), changed, moved, portal_job)
            except BaseException:
                for slug in moved:  # a failed build leaves the previous site whole
                    os.replace(stage / slug, out / slug)
                raise
            portal_done()
    term.ok(f"site gebouwd in {out}/: portaal + {len(inputs)} regio's ({built} opnieuw gebouwd)")
    term.result(str(out / "index.html"))
    return 0


def _built_summary(built: Path, inputs: str) -> dict | None:
    """The portal summary of a region built from exactly these inputs; None: build it again."""
    try:
        if (built / INPUTS).read_text().strip() != inputs:
            return None
        summary = json.loads((built / PORTAL_DATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) and isinstance(summary.get("items"), list) else None


def _portal(content, summaries: dict[str, dict], out: Path, stage: Path):
    """Decide whether the portal must be built: (the mkdocs project to build or None, a function
    that finishes the portal in the stage once the builds are done)."""
    digest = hashlib.sha256(json.dumps([summaries[s] for s in sorted(summaries)], ensure_ascii=False, sort_keys=True).encode())
    digest.update(_shared_key(content.root).encode())
    portal_inputs = digest.hexdigest()
    project = BUILD / "_portaal"
    portal_out = stage / ".portaal"  # mkdocs empties its site_dir, so not the stage itself
    key = None
    if _read(out / PORTAL_INPUTS) != portal_inputs:
        pages, nav = portal.portal_pages(content, list(summaries.values()))
        key = write_project(project, pages, _config(project, portal_out, "Productenboeken jeugdhulp en Wmo", nav), {})
    if key is None or _read(out / STAMP) == key:
        _copy_portal(out, stage, set(summaries))
        key = None

    def done() -> None:
        if key is not None:
            for entry in portal_out.iterdir():
                os.replace(entry, stage / entry.name)
            portal_out.rmdir()
            atomic_write_text(stage / STAMP, key + "\n")
        atomic_write_text(stage / PORTAL_INPUTS, portal_inputs + "\n")

    return (str(project) if key is not None else None), done


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _build_regions(out: Path, stage: Path, slugs: list[str], changed: set[str], moved: list[str],
                   portal_job: str | None) -> int:
    """Move unchanged regions over from the previous site; build the others and the portal
    (when it changed) in parallel, the portal first: it is the biggest job."""
    for slug in slugs:
        if slug not in changed:
            os.replace(out / slug, stage / slug)  # unchanged region: move it over whole
            moved.append(slug)
    jobs = ([(_portal_job, portal_job)] if portal_job else []) + [(_region_job, s) for s in sorted(changed)]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        ctx = multiprocessing.get_context(start_method())  # each worker gets the state once
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(dict(_STATE), os.getcwd())) as pool:
            results = [f.result() for f in [pool.submit(fn, arg) for fn, arg in jobs]]
    else:
        results = [fn(arg) for fn, arg in jobs]
    return sum(did for name, did in results if name in changed)


def _portal_job(project: str) -> tuple[str, bool]:
    _quiet_mkdocs()
    mkdocs_build(project)
    return "", True
