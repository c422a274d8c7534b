"""load -> validate: the one way every command gets its content."""
from __future__ import annotations

from pathlib import Path

from .content import Content
from .errors import ContentError, Problems, UsageError
from .load import SLUG_RE, load_content
from .validate import validate


def gather(content_dir: str | Path, region: str | None = None, use_cache: bool = True) -> Content:
    """Load and validate everything; raise ContentError with all problems if there are any."""
    if region is not None:
        check_region_name(region)
    problems = Problems()
    content = load_content(content_dir, problems, only_region=region, use_cache=use_cache)
    content = validate(content, problems)
    if region is not None and region not in content.regions and not problems:
        folder = Path(content_dir) / "regios"
        found = sorted(p.name for p in folder.iterdir() if (p / "regio.yml").is_file()) if folder.is_dir() else []
        known = ", ".join(found) or "geen"
        raise UsageError(f"onbekende regio '{region}' (bekend: {known})")
    if problems:
        raise ContentError(problems)
    return content


def check_region_name(region: str) -> None:
    if not SLUG_RE.fullmatch(region or ""):
        raise UsageError(f"ongeldige regionaam '{region}': alleen kleine letters, cijfers en '-' (geen paden)")


def regions_of(content: Content, region: str | None) -> list[str]:
    return [region] if region else sorted(content.regions)

