"""`serve`: preview one region with live reload while editing content.

Our watcher regenerates the region's Markdown whenever content/ or templates/ change;
`mkdocs serve` watches that generated folder and reloads the browser. Content errors are
printed and the last good pages stay up.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from ..errors import ContentError, UsageError
from ..pipeline import gather
from ..render import TEMPLATES
from ..views import region_view
from . import opendata
from .site import (
    BUILD,
    _changes,
    _config,
    _settings,
    chapter_images,
    downloads_for,
    region_extra,
    region_pages,
    site_name,
)


def _snapshot(folders: list[Path]) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for base in folders for p in base.rglob("*") if p.is_file()}


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def sync_project(project: Path, pages: dict[str, str], config: str, extra: dict[str, Path]) -> None:
    """Bring a mkdocs project up to date in place, touching only files that changed, so a
    watching `mkdocs serve` rebuilds once per edit."""
    docs = project / "docs"
    wanted = set(pages) | set(extra)
    for rel, text in pages.items():
        _write_if_changed(docs / rel, text.encode("utf-8"))
    for rel, src in extra.items():
        _write_if_changed(docs / rel, src.read_bytes())
    if docs.is_dir():
        for p in docs.rglob("*"):
            if p.is_file() and str(p.relative_to(docs)) not in wanted:
                p.unlink()
    _write_if_changed(project / "mkdocs.yml", config.encode("utf-8"))


def run(args, term) -> int:
    content = gather(args.content)
    slug = args.regio or min(content.regions, default=None)
    if slug not in content.regions:
        raise UsageError(f"onbekende regio '{slug}' (bekend: {', '.join(sorted(content.regions))})")
    project = BUILD / f"_serve-{slug}"

    def generate() -> None:
        fresh = gather(args.content)
        from .. import versions

        view = region_view(fresh, slug, versions.label(fresh.root, slug), getattr(args, "peildatum", None))
        downloads = downloads_for(fresh, slug, Path("dist"), make=False)
        pages, nav = region_pages(fresh, slug, view, _settings(), _changes(fresh.root), downloads)
        data = opendata.add_to_region(fresh, slug, pages, nav, BUILD / f"_serve-opendata-{slug}")
        extra, colo = region_extra(view, _settings())
        config = _config(
            project,
            project / "site",
            site_name(view),
            nav,
            {**extra, "wijzigingen_feed": opendata.FEED},
            colo,
        )
        sync_project(
            project,
            pages,
            config,
            {f"downloads/{d['file']}": d["path"] for d in downloads}
            | data
            | chapter_images(Path(fresh.root) / "regios" / slug),
        )

    generate()
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-f",
        str(project / "mkdocs.yml"),
        "-a",
        f"127.0.0.1:{args.poort}",
        "--livereload",
    ]
    term.info(
        f"regio {slug}: http://127.0.0.1:{args.poort}/ (herlaadt vanzelf bij wijzigingen; Ctrl+C stopt)"
    )
    proc = subprocess.Popen(cmd, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    seen = _snapshot([Path(args.content), TEMPLATES])
    try:
        while proc.poll() is None:
            time.sleep(0.5)
            now = _snapshot([Path(args.content), TEMPLATES])
            if now == seen:
                continue
            seen = now
            try:
                generate()
                term.ok("bijgewerkt")
            except ContentError as exc:  # keep the last good pages, show what is wrong
                for problem in exc.problems.sorted():
                    term.problem(str(problem))
    except KeyboardInterrupt:
        pass
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0
