"""Find the content files, parse them and build model objects. Collects every problem.

Layout under the content root:
  codelijsten/*.yml              CodeList
  landelijk/structuur.yml        National
  landelijk/zorgvormen/<id>.yml  CareForm
  regios/<slug>/regio.yml        Region
  regios/<slug>/producten/<id>.yml, kernbedingen/<id>.yml, hoofdstukken/*.md
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from pathlib import Path

from . import cache, chaptercheck
from .content import Content, RegionContent
from .errors import Location, Problems
from .model import (
    CareForm,
    Chapter,
    CodeList,
    CrossTopics,
    Kernbeding,
    National,
    Product,
    Region,
    SegmentDetail,
)
from .schema import Builder
from .yamlsource import MAX_FILE_BYTES, control_characters_in, long_words_in, read_file

SHARED = "gedeeld"  # the cache part of code lists and the national structure

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
FILE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*|\d{2}[0-9A-Z]{3}")
# Names the portal and the theme use at the top of the site: no region can be called so.
RESERVED_SLUGS = frozenset(
    {
        "assets",
        "search",
        "vergelijking",
        "begrippen",
        "structuur",
        "index",
        "404",
        "sitemap",
        "downloads",
        "zoeken",
        "data",
        "portaal",
        "opendata",
        "producten",
        "zorgvormen",
    }
)


def _symlinked_folder(folder: Path, problems: Problems) -> bool:
    """A folder that is a symbolic link is never followed (its files could lie anywhere)."""
    if folder.is_symlink():
        problems.add(
            Location(shown(folder)),
            "map is een symbolische link; die wordt niet gevolgd",
            "zet de bestanden zelf in de content-map",
        )
        return True
    return False


def shown(path: Path) -> str:
    """The path as people see it in messages: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute == here or absolute.startswith(here + os.sep):
        return os.path.relpath(absolute, here)
    return absolute


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _yaml_files(root: Path, folder: Path, problems: Problems) -> list[Path]:
    if _symlinked_folder(folder, problems) or not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir() and p.is_symlink():
            _symlinked_folder(p, problems)
            continue
        if p.suffix.lower() in (".yml", ".yaml") and p.suffix != ".yml" and p.suffix != ".yaml":
            problems.add(
                Location(shown(p)), f"extensie '{p.suffix}' wordt niet gelezen", f"hernoem naar {p.stem}.yml"
            )
            continue
        if p.is_symlink() and not _inside(root, p):
            problems.add(Location(shown(p)), "symbolische link wijst buiten de content-map; geweigerd")
            continue
        if p.suffix == ".yaml":
            problems.add(Location(shown(p)), "gebruik de extensie .yml", f"hernoem naar {p.stem}.yml")
            continue
        if p.suffix == ".yml" and p.is_file():
            out.append(p)
    return out


def load_one(cls, path: Path, problems: Problems, file_cache: cache.FileCache | None = None):
    """Parse and build one file; served from the cache when its bytes did not change."""
    name = shown(path)
    if file_cache is not None:
        hit = file_cache.get(cls.__name__, path, name)
        if hit is not None:
            obj, probs = hit
            problems.extend(probs)
            return obj
    local = Problems()
    try:
        st = path.stat()
    except OSError:
        st = None
    parsed = read_file(path, name)
    local.extend(parsed.problems)
    obj = None
    if parsed.root is not None:
        obj = Builder(local).build(cls, parsed.root)
    if file_cache is not None:
        file_cache.put(cls.__name__, path, name, (obj, local), parsed.digest, st)
    problems.extend(local)
    return obj


@contextmanager
def gc_paused():
    """Building thousands of small objects that live on makes the cyclic garbage collector
    scan them again and again (half the load time); the model has no cycles to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_content(
    root: Path | str,
    problems: Problems,
    only_region: str | None = None,
    use_cache: bool = True,
    subset: set[str] | None = None,
) -> Content:
    """Everything under root; only one region with only_region, only some with subset."""
    root = Path(root)
    if not root.is_dir():
        problems.add(Location(shown(root)), "content-map bestaat niet")
        return Content(str(root), {}, None, {})
    with gc_paused():
        content = load_shared(root, problems, use_cache)
        for folder in region_folders(root, problems, only_region, subset):
            rc = load_region(root, folder, problems, use_cache)
            if rc is not None:
                content.regions[folder.name] = rc
        return content


def load_shared(root: Path, problems: Problems, use_cache: bool = True) -> Content:
    """Code lists and the national structure: what every region's content refers to."""
    if use_cache:
        cache.forget_old_versions(root)
    file_cache = _part_cache(root, SHARED, [root / "codelijsten", root / "landelijk"]) if use_cache else None
    code_lists = {}
    for p in _yaml_files(root, root / "codelijsten", problems):
        cl = load_one(CodeList, p, problems, file_cache)
        if cl is not None:
            code_lists[p.stem] = cl
    national = None
    nat_path = root / "landelijk" / "structuur.yml"
    if nat_path.is_file():
        national = load_one(National, nat_path, problems, file_cache)
    care_forms = {}
    for p in _yaml_files(root, root / "landelijk" / "zorgvormen", problems):
        cf = load_one(CareForm, p, problems, file_cache)
        if cf is not None:
            care_forms[p.stem] = _with_id(cf, p.stem)
    if file_cache is not None:
        file_cache.save()
    return Content(str(root), code_lists, national, care_forms, {})


def stale_regions(root: Path, folders: list[Path]) -> list[Path]:
    """The region folders whose cache does not match the files on disk."""
    return [f for f in folders if not cache.is_fresh(root, f.name, _fingerprint([f]))]


def count_files(folders: list[Path]) -> int:
    total = 0
    for folder in folders:
        for sub in ("producten", "kernbedingen", "segmenten"):
            try:
                total += sum(1 for _ in os.scandir(folder / sub))
            except OSError:
                pass
    return total


def _part_cache(root: Path, part: str, folders: list[Path]) -> cache.FileCache:
    return cache.FileCache(root, part, _fingerprint(folders))


def _fingerprint(folders: list[Path]) -> str:
    return "\n".join(cache.tree_fingerprint(f) for f in folders)


def region_folders(
    root: Path, problems: Problems, only_region: str | None = None, subset: set[str] | None = None
) -> list[Path]:
    regios = root / "regios"
    if not regios.is_dir():
        return []
    out = []
    for folder in sorted(regios.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        if only_region and folder.name != only_region:
            continue
        if _symlinked_folder(folder, problems):
            continue
        if not SLUG_RE.fullmatch(folder.name):
            problems.add(
                Location(shown(folder)),
                f"ongeldige regionaam '{folder.name}'",
                "gebruik kleine letters, cijfers en '-'",
            )
            continue
        if folder.name in RESERVED_SLUGS:
            problems.add(
                Location(shown(folder)),
                f"regionaam '{folder.name}' is gereserveerd voor het portaal",
                "kies een andere naam voor de map",
            )
            continue
        if subset is None or folder.name in subset:
            out.append(folder)
    return out


def _with_id(obj, ident: str):
    object.__setattr__(obj, "id", ident)
    return obj


def load_region(root: Path, folder: Path, problems: Problems, use_cache: bool = True) -> RegionContent | None:
    """One region's folder; with the cache, its cache part is saved afterwards."""
    file_cache = _part_cache(root, folder.name, [folder]) if use_cache else None
    regio_path = folder / "regio.yml"
    if not regio_path.is_file():
        problems.add(Location(shown(folder)), "regio.yml ontbreekt in deze regiomap")
        return None
    region = load_one(Region, regio_path, problems, file_cache)
    products = _load_folder(
        root,
        folder / "producten",
        Product,
        problems,
        file_cache,
        "gebruik de productcode (45A49.yml) of kleine letters en '-' (naam-product.yml)",
    )
    kernbedingen = _load_folder(
        root,
        folder / "kernbedingen",
        Kernbeding,
        problems,
        file_cache,
        "gebruik kleine letters, cijfers en '-'",
    )
    details = _load_folder(
        root, folder / "segmenten", SegmentDetail, problems, file_cache, "gebruik het id van het segment"
    )
    cross = None
    if (folder / "segmentoverstijgend.yml").is_file():
        cross = load_one(CrossTopics, folder / "segmentoverstijgend.yml", problems, file_cache)
    chapters = tuple(_chapters(root, folder / "hoofdstukken", problems))
    if file_cache is not None:
        file_cache.save()
    if region is None:
        return None
    return RegionContent(folder.name, region, products, kernbedingen, chapters, shown(folder), details, cross)


def _load_folder(root: Path, folder: Path, cls, problems: Problems, file_cache, name_hint: str) -> dict:
    """id (the file name) -> object for every file of one kind in a folder."""
    out = {}
    for p in _yaml_files(root, folder, problems):
        if not FILE_ID_RE.fullmatch(p.stem):
            problems.add(Location(shown(p)), f"ongeldige bestandsnaam '{p.name}'", name_hint)
            continue
        obj = load_one(cls, p, problems, file_cache)
        if obj is not None:
            out[p.stem] = _with_id(obj, p.stem)
    return out


def _chapters(root: Path, folder: Path, problems: Problems):
    if _symlinked_folder(folder, problems) or not folder.is_dir():
        return
    for p in sorted(folder.iterdir()):
        if p.suffix != ".md":
            if p.suffix.lower() == ".md":
                problems.add(
                    Location(shown(p)),
                    f"extensie '{p.suffix}' wordt niet gelezen",
                    f"hernoem naar {p.stem}.md",
                )
            elif p.is_dir() and p.is_symlink():
                _symlinked_folder(p, problems)
            continue
        if p.is_symlink() and not _inside(root, p):
            problems.add(Location(shown(p)), "symbolische link wijst buiten de content-map; geweigerd")
            continue
        if not p.is_file():
            continue
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            mb = f"{size / 1_000_000:.1f}".replace(".", ",")
            problems.add(
                Location(shown(p)),
                f"hoofdstuk is te groot ({mb} MB; maximaal 1 MB)",
                "verdeel het over meer hoofdstukken",
            )
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.add(Location(shown(p)), "geen geldige UTF-8")
            continue
        bad = Problems()
        control_characters_in(shown(p), text, bad)
        long_words_in(shown(p), text, bad)
        if bad:
            problems.extend(bad)
            continue
        title = None
        for line in text.splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
        if not title:
            problems.add(Location(shown(p)), "hoofdstuk heeft geen titel ('# Titel' op de eerste regel)")
            continue
        for number, col, message, hint in chaptercheck.problems(text, folder.parent):
            problems.add(Location(shown(p), number, col), message, hint)
        body = text.split("\n", 1)[1] if text.startswith("# ") else text
        slug = re.sub(r"^\d+-", "", p.stem)
        yield Chapter(slug, title, body.strip() + "\n", shown(p))
