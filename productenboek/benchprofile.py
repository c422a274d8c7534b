"""Where the site build of one region spends its time: run by the benchmark as its own process.

    python -m productenboek.benchprofile CONTENT REGIO OUT.json

Builds the site of CONTENT (one region, in this process: no workers) and measures processor
time per step, our code (content, views, pages, open data, writing the mkdocs project) and
mkdocs' (configuration, Markdown, theme, search index, static files). The steps are found by
wrapping functions; a step's time includes what it calls, except where a wrapped step runs
inside another (Markdown inside 'pagina's lezen': listed apart, and taken out of it).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

STEPS: list[tuple[str, str, str, str]] = [
    # (label, module, attribute path, part)
    ("content laden en controleren", "productenboek.outputs.site", "gather", "ons"),
    ("regio-overzicht (views)", "productenboek.outputs.site", "region_view", "ons"),
    ("pagina's uit sjablonen", "productenboek.outputs.site", "region_pages", "ons"),
    ("open data en feed", "productenboek.outputs.opendata", "add_to_region", "ons"),
    ("mkdocs-project schrijven", "productenboek.outputs.site", "write_project", "ons"),
    ("portaal: pagina's en tabellen", "productenboek.outputs.portal", "portal_pages", "ons"),
    ("configuratie laden", "mkdocs.config", "load_config", "mkdocs"),
    ("Markdown omzetten", "markdown", "Markdown.convert", "mkdocs"),
    ("pagina's lezen en omzetten", "mkdocs.commands.build", "_populate_page", "mkdocs"),
    ("zoekindex (per pagina)", "material.plugins.search.plugin", "SearchPlugin.on_page_context", "mkdocs"),
    ("thema: pagina's opmaken", "mkdocs.commands.build", "_build_page", "mkdocs"),
    ("thema: 404 en sitemap", "mkdocs.commands.build", "_build_theme_template", "mkdocs"),
    ("statische bestanden kopiëren", "mkdocs.structure.files", "Files.copy_static_files", "mkdocs"),
    ("themabestanden zoeken", "mkdocs.structure.files", "Files.add_files_from_theme", "mkdocs"),
]
NESTED = {  # step -> the steps measured inside it, taken out of its own time
    "pagina's lezen en omzetten": ["Markdown omzetten"],
    "thema: pagina's opmaken": ["zoekindex (per pagina)"],
}


def _wrap(times: dict[str, float], counts: dict[str, int], label: str, owner, name: str) -> None:
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            times[label] += time.process_time() - start
            counts[label] += 1

    setattr(owner, name, timed)


def profile(content: str, region: str, out: str) -> dict:
    import importlib

    times: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for label, module, path, _part in STEPS:
        owner = importlib.import_module(module)
        *parents, name = path.split(".")
        for p in parents:
            owner = getattr(owner, p)
        _wrap(times, counts, label, owner, name)
    os.cpu_count = lambda: 1  # one process: every step is measured here
    from .cli import main

    start = time.process_time()
    main(["site", "--content", content, "--out", out, "--dist", out + "-dist", "--zonder-downloads"])
    total = time.process_time() - start
    for outer, inner in NESTED.items():
        times[outer] -= sum(times[i] for i in inner)
    pages = sum(1 for _ in Path(out, region).rglob("index.html"))
    return {
        "regio": region,
        "totaal_cpu": round(total, 2),
        "paginas": pages,
        "stappen": [
            {"stap": label, "deel": part, "cpu": round(times[label], 3), "keer": counts[label]}
            for label, _m, _p, part in STEPS
        ],
    }


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    content_dir, slug, target = sys.argv[1:4]
    result = profile(content_dir, slug, str(Path(target).with_suffix("")) + "-site")
    Path(target).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
