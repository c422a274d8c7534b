"""The site built on more than one machine: every region on its own (`site --alleen REGIO`,
one job of a build matrix), then one job assembles the portal and the region folders
(`site --portaal-uit MAP...`) into the same site a single `site` build makes. Part of the site
output: site.run hands both options here, and this module uses site.py's build steps.

A region folder is only assembled when it was built from the same inputs as the assembling
checkout: the build state beside it records a key of those inputs made from their bytes (not
their stats, which differ per checkout), and the assembler computes it again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from .. import versions as published
from ..errors import BuildFailed, Problems, UsageError
from ..load import region_folders
from ..outdir import refuse_sources
from ..pipeline import check_region_name, gather
from ..provenance import epoch, region_version
from ..writer import recover_stale, staged_dir
from . import opendata
from . import site as s
from .lock import build_lock


def _bytes_digest(folder: Path) -> str:
    """Digest of every file's path (relative to folder) and bytes; caches and hidden files
    (__pycache__, .cache) are not inputs."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith(".pyc"):
                continue
            path = Path(dirpath) / name
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@functools.cache
def _shared_content_key(root: str) -> str:
    lock = _file_digest(s.ROOT / "requirements.lock")  # every engine's version, not only mkdocs'
    return "\n".join([*s.shared_inputs(Path(root), _bytes_digest), lock])


def content_key(root: Path, slug: str, downloads: bool, peildatum=None) -> str:
    """What a region's folder is made from, equal on every checkout of the same commit: the
    bytes of its content, the shared content, templates, code and mkdocs.yml, its git version
    and published versions, the content's date (SOURCE_DATE_EPOCH), whether downloads are made
    and the peildatum."""
    parts = [
        _bytes_digest(root / "regios" / slug),
        _shared_content_key(str(root)),
        region_version(str(root / "regios" / slug)),
        published.fingerprint(root, slug),
        str(epoch(str(root))),
        str(downloads),
        str(peildatum or ""),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def only(slug: str, folders: list[Path], state: dict, out: Path) -> list[Path]:
    """The folder of the one region `--alleen` builds; refuses an unknown region, and an output
    folder that holds more than that region (a whole site would be replaced by one region)."""
    check_region_name(slug)
    chosen = [f for f in folders if f.name == slug]
    if not chosen:
        known = ", ".join(f.name for f in folders) or "geen"
        raise UsageError(f"onbekende regio '{slug}' (bekend: {known})")
    others = sorted(set(state.get("regios", {})) - {slug})
    held = (["het portaal"] if state.get("portaal") else []) + (
        [f"de regio's {', '.join(others)}"] if others else []
    )
    if held:
        raise UsageError(
            f"'{out}' bevat {' en '.join(held)}; --alleen vervangt de hele map: "
            f"kies een eigen uitvoermap, bijvoorbeeld --out bouw-{slug}"
        )
    return chosen


def _part_state(part: Path) -> dict | None:
    try:
        state = json.loads(s._state_path(part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("regios"), dict) else None


def _parts(root: Path, parts: list[Path], slugs: list[str], downloads: bool, peildatum) -> dict:
    """slug -> (built folder, its state entry) for every region of the content, from the
    folders given; every problem with them in one BuildFailed."""
    problems: list[str] = []
    found: dict[str, tuple[Path, dict]] = {}
    seen: set[str] = set()
    for part in parts:
        state = _part_state(part)
        if not part.is_dir() or state is None:
            problems.append(
                f"{part}: geen map van 'build.py site --alleen REGIO' "
                f"(de map of de bouwstaat {s._state_path(part)} ontbreekt)"
            )
            continue
        for folder in sorted(p for p in part.iterdir() if p.is_dir() and not p.name.startswith(".")):
            slug, entry = folder.name, state["regios"].get(folder.name)
            seen.add(slug)
            if slug not in slugs:
                problems.append(f"{folder}: regio '{slug}' staat niet in {root}/regios/")
            elif slug in found:
                problems.append(f"{folder}: regio '{slug}' is al gegeven in {found[slug][0]}")
            elif (
                not isinstance(entry, dict)
                or not isinstance(entry.get("samenvatting"), dict)
                or not entry.get("inhoud")
            ):
                problems.append(f"{folder}: niet gebouwd met 'build.py site --alleen {slug}'")
            elif entry["inhoud"] != content_key(root, slug, downloads, peildatum):
                problems.append(
                    f"{folder}: gebouwd uit andere content dan deze checkout (of met andere "
                    f"opties: downloads, --peildatum); bouw de regio opnieuw met "
                    f"'build.py site --alleen {slug}' op dezelfde commit"
                )
            else:
                found[slug] = (folder, entry)
    for slug in slugs:
        if slug not in seen:
            problems.append(f"regio '{slug}' ontbreekt: geen van de mappen bevat {slug}/")
    if problems:
        raise BuildFailed(
            "de site is niet samengevoegd: regio-mappen ontbreken of horen niet bij deze content", problems
        )
    return found


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system (a downloaded artifact elsewhere)
        shutil.copy2(src, dst)


def assemble(args, term) -> int:
    """`site --portaal-uit MAP...`: the regions built by `site --alleen` and the portal over them."""
    root, out = Path(args.content), Path(args.out)
    parts = [Path(p) for p in args.portaal_uit]
    refuse_sources(out, root, "uitvoermap")
    downloads = not args.no_downloads
    target = out.resolve()
    for part in parts:
        here = part.resolve()
        if here == target or target in here.parents or here in target.parents:
            raise UsageError(f"'{part}' kan geen regio-map zijn: hij overlapt met de uitvoermap '{out}'")
    with build_lock(out):
        recover_stale(out)
        state = s._load_state(out)
        slugs = [f.name for f in region_folders(root, Problems())]
        if not slugs:
            gather(args.content)  # reports why there are no regions
        found = _parts(root, parts, slugs, downloads, args.peildatum)
        content = gather(args.content, subset=set())  # the shared content: the portal's input
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch(content.root)))
        summaries = {slug: found[slug][1]["samenvatting"] for slug in sorted(slugs)}
        with tempfile.TemporaryDirectory(
            dir=target.parent, prefix=f".{out.name}.bouw-", ignore_cleanup_errors=True
        ) as projects:
            with staged_dir(out) as stage:
                for slug in sorted(slugs):
                    shutil.copytree(found[slug][0], stage / slug, copy_function=_link_or_copy)
                s._quiet_mkdocs()
                s._STATE.update(content=content, summaries=summaries)  # what the portal job reads
                digests = {slug: s.summary_digest(summary) for slug, summary in summaries.items()}
                portal_job, portal_done = s._portal(
                    s._portal_inputs(content, digests),
                    summaries,
                    out,
                    stage,
                    state,
                    Path(projects),
                )
                portal_state = portal_done(s._build_regions(out, stage, [], set(), portal_job))
                opendata.write_national(stage, sorted(slugs), content.root, s.ROOT / "mkdocs.yml")
                # Recorded as if built here: a later `site` in this folder reuses the regions.
                regions = {
                    slug: {
                        **found[slug][1],
                        "invoer": s._inputs_key(root, slug, downloads, args.peildatum),
                        "samenvatting_sha": digests[slug],
                    }
                    for slug in sorted(slugs)
                }
                s._save_state(out, stage, {"portaal": portal_state, "regios": regions})
            s._keep_projects(Path(projects), s.projects_dir(out), {*slugs, "_portaal"})
    term.ok(f"site samengevoegd in {out}/: portaal + {len(slugs)} regio's uit {len(parts)} mappen")
    term.result(str(out / "index.html"))
    return 0
