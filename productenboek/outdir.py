"""Where a build may write: never over the content, the templates, the code or the repository
(nor any folder that holds one of them)."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
# Folders of the repository that hold sources; a build never writes into or over them.
SOURCES = (
    "content",
    "templates",
    "productenboek",
    "bronnen",
    "schema",
    "docs",
    "tests",
    "scripts",
    ".git",
    ".github",
)


def refuse_sources(out: Path | str, content_root: Path | str, what: str = "uitvoermap") -> None:
    """UsageError when ``out`` is, holds or lies inside the content or a source folder."""
    target = Path(out).resolve()
    content = Path(content_root).resolve()
    if str(out).strip() == "":
        raise UsageError(f"lege {what}")
    protected = [content, *(ROOT / name for name in SOURCES)]
    for p in protected:
        if target == p or target in p.parents or p in target.parents:
            raise UsageError(f"'{out}' kan geen {what} zijn: de bouw zou {_shown(p)} overschrijven")
    if target == ROOT or target in ROOT.parents:
        raise UsageError(f"'{out}' kan geen {what} zijn: de bouw zou de repository overschrijven")


def _shown(p: Path) -> str:
    try:
        return str(p.relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(p) + "/"
