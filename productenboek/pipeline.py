"""load -> validate: the one way every command gets its content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import Content
from .errors import ContentError, Problems, UsageError
from .load import SLUG_RE, gc_paused, load_content, load_shared, region_folders, stale_regions
from .validate import validate


def gather(
    content_dir: str | Path, region: str | None = None, use_cache: bool = True, subset: set[str] | None = None
) -> Content:
    """Load and validate everything (or one region, or a subset of the regions: regions do not
    refer to each other); raise ContentError with all problems if there are any."""
    if region is not None:
        check_region_name(region)
    problems = Problems()
    content = validate(load(content_dir, problems, region, use_cache, subset), problems)
    if region is not None and region not in content.regions and not problems:
        folder = Path(content_dir) / "regios"
        found = (
            sorted(p.name for p in folder.iterdir() if (p / "regio.yml").is_file()) if folder.is_dir() else []
        )
        known = ", ".join(found) or "geen"
        raise UsageError(f"onbekende regio '{region}' (bekend: {known})")
    if region is None and subset is None and not content.regions and not problems:
        no_regions(content_dir, problems)
    if problems:
        raise ContentError(problems)
    return content


def load(
    content_dir: str | Path,
    problems: Problems,
    region: str | None = None,
    use_cache: bool = True,
    subset: set[str] | None = None,
) -> Content:
    """load_content, with the regions of a big tree parsed in worker processes."""
    root = Path(content_dir)
    if region is None and root.is_dir():
        from . import regionpool  # process pools: only for a whole tree (one region needs none)

        folders = region_folders(root, Problems(), None, subset)
        if use_cache:
            stale = stale_regions(root, folders)
            if regionpool.worth_it(stale):
                regionpool.refresh(root, stale)  # the load below reads the fresh caches
        elif regionpool.worth_it(folders):
            loaded = regionpool.load(root, folders)
            if loaded is not None:
                with gc_paused():
                    content = load_shared(root, problems, use_cache=False)
                    region_folders(root, problems, None, subset)  # problems with the folders themselves
                    for folder, (rc, region_problems) in zip(folders, loaded, strict=True):
                        problems.extend(region_problems)
                        if rc is not None:
                            content.regions[folder.name] = rc
                return content
    return load_content(content_dir, problems, only_region=region, use_cache=use_cache, subset=subset)


@dataclass
class Summary:
    regions: int
    products: int
    kernbedingen: int
    care_forms: int

    @classmethod
    def of(cls, content: Content) -> Summary:
        return cls(
            len(content.regions),
            sum(len(rc.products) for rc in content.regions.values()),
            sum(len(rc.kernbedingen) for rc in content.regions.values()),
            len(content.care_forms),
        )


def check(content_dir: str | Path) -> Summary:
    """Load and validate everything without keeping the model; raise ContentError with all
    problems if there are any. A big tree is checked region by region in worker processes."""
    from . import regionpool

    root = Path(content_dir)
    folders = region_folders(root, Problems(), None) if root.is_dir() else []
    results = regionpool.check(root, folders) if regionpool.worth_it(folders) else None
    if results is None:
        return Summary.of(gather(content_dir))
    problems = Problems()
    with gc_paused():
        shared = load_shared(root, problems)
        region_folders(root, problems, None)  # problems with the folders themselves
        for result in results:
            problems.extend(result.problems)
        validate(shared, problems)  # no regions: the national structure's own rules
    if problems:
        raise ContentError(problems)
    return Summary(
        len(results),
        sum(r.products for r in results),
        sum(r.kernbedingen for r in results),
        len(shared.care_forms),
    )


def no_regions(content_dir: str | Path, problems: Problems) -> None:
    """A content folder without regions is a mistake (a wrong --content), not an empty success."""
    from .errors import Location
    from .load import shown

    problems.add(
        Location(shown(Path(content_dir))),
        "geen regio's gevonden in deze content-map",
        "verwacht regios/<regio>/regio.yml; klopt --content?",
    )


def check_region_name(region: str) -> None:
    if not SLUG_RE.fullmatch(region or ""):
        raise UsageError(
            f"ongeldige regionaam '{region}': alleen kleine letters, cijfers en '-' (geen paden)"
        )


def regions_of(content: Content, region: str | None) -> list[str]:
    return [region] if region else sorted(content.regions)
