"""Published versions of a region: annotated git tags `<regio>/<versie>`.

What a version is (name, date, tagged commit), the label a build shows ("2027.1", or
"concept na 2027.1" when the region changed since), and what changed per version: the
semantic diff between consecutive tags, cached per pair of tagged commits (a tag cannot change).
`version_history()` is the one list every output uses (site page, Versiebeheer in the book,
feeds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import dutch

VERSION_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


@dataclass(frozen=True)
class Version:
    name: str  # '2027.1'
    tag: str  # 'groningen/2027.1'
    commit: str  # the tagged commit (full hash; a cache key, never shown)
    date: dt.date  # when the version was published (the tag's date)


@dataclass
class VersionEntry:
    """One row of 'Versies en wijzigingen' / 'Versiebeheer'."""

    name: str
    date: str  # '28 november 2026'
    iso_date: str  # '2026-11-28'
    summary: str  # one line: '55 tariefwijzigingen (+3,2 %), 2 producten gewijzigd'
    lines: list[str] = field(default_factory=list)  # every change, one line each (Markdown-free text)
    tariff_changes: int = 0


def _git(args: list[str], cwd: Path, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _cwd(content_root: str | Path) -> Path:
    p = Path(content_root).resolve()
    return p if p.is_dir() else p.parent


def natural(name: str) -> tuple:
    return tuple(int(x) for x in name.split(".")) if VERSION_RE.fullmatch(name) else (10**9, name)


@cache
def _all_tags(cwd: str) -> tuple[tuple[str, str, str], ...]:
    """(tag name, peeled commit, date) of every annotated tag in the repository."""
    try:
        out = _git(
            [
                "for-each-ref",
                "--format=%(refname:strip=2)%00%(*objectname)%00%(creatordate:short)",
                "refs/tags/",
            ],
            Path(cwd),
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    rows = []
    for line in out.stdout.splitlines() if out.returncode == 0 else []:
        name, commit, day = (line.split("\0") + ["", ""])[:3]
        if commit:  # lightweight tags are no publications
            rows.append((name, commit, day))
    return tuple(rows)


def region_versions(content_root: str | Path, slug: str) -> list[Version]:
    """The region's published versions, oldest first."""
    out = []
    for name, commit, day in _all_tags(str(_cwd(content_root))):
        region, _, version = name.partition("/")
        if region == slug and VERSION_RE.fullmatch(version):
            out.append(Version(version, name, commit, dt.date.fromisoformat(day)))
    return sorted(out, key=lambda v: natural(v.name))


def forget() -> None:
    """After making a tag: read the tags again."""
    _all_tags.cache_clear()


def fingerprint(content_root: str | Path, slug: str) -> str:
    """Changes when a version of the region is added or removed."""
    return ",".join(f"{v.name}={v.commit}" for v in region_versions(content_root, slug))


def changed_since(content_root: str | Path, slug: str, commit: str) -> bool:
    """True when the region's folder differs from `commit` (committed, uncommitted or untracked)."""
    folder = Path(content_root).resolve() / "regios" / slug
    try:
        diff = _git(["diff", "--quiet", commit, "--", "."], folder)
        if diff.returncode != 0:
            return True
        status = _git(["status", "--porcelain", "--untracked-files=all", "--", "."], folder)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(status.stdout.strip())


def label(content_root: str | Path, slug: str) -> str:
    """'2027.1' when the region is exactly its last published version, else 'concept na 2027.1';
    'concept' before the first version. Never a git hash."""
    versions = region_versions(content_root, slug)
    if not versions:
        return "concept"
    last = versions[-1]
    return f"concept na {last.name}" if changed_since(content_root, slug, last.commit) else last.name


# -- what changed per version ------------------------------------------------------------------


def _cache_file(slug: str, key: str) -> Path:
    from .cache import _folder

    return _folder() / "versies" / slug / f"{key}.json"


def load_region(path: Path, slug: str):
    """A region as it was at a version, even if a later rule would refuse it."""
    from .errors import Problems
    from .pipeline import load
    from .validate import validate

    problems = Problems()
    content = validate(load(path, problems, region=slug, use_cache=False), problems)
    return content


def content_of(content_root: str | Path, version: Version):
    """Context manager: the content folder as it was at a version."""
    from .gitsource import content_at

    return content_at(version.commit, Path(content_root))


def diff_lines(base_rc, head_rc) -> tuple[list[str], int, str]:
    """(one line per change, number of tariff changes, short summary) between two versions of a region."""
    from .semdiff import _region_diff

    rd = _region_diff(base_rc, head_rc, max_percent=100.0)
    lines: list[str] = []
    tariffs = 0
    percents: set[str] = set()
    counts: dict[tuple[str, str], int] = {}
    for f in rd.region_fields:
        lines.append(
            f"regio: {f.key} gewijzigd"
            if f.words or len(f.old) + len(f.new) > 120
            else f"regio: {f.key}: {f.old} → {f.new}"
        )
    for it in rd.items:
        kind = "product" if it.kind == "product" else "kernbeding"
        counts[(kind, it.status)] = counts.get((kind, it.status), 0) + 1
        if it.status != "gewijzigd":
            lines.append(f"{kind} {it.status}: {it.label}")
            continue
        if it.renamed_from:
            lines.append(f"{it.label}: hernoemd, was {it.renamed_from}")
        for t in it.tariffs:
            tariffs += 1
            if t.percent:
                percents.add(t.percent)
            lines.append(
                f"{it.label}: tarief {t.old} → {t.new}"
                + (f" ({t.percent})" if t.percent else "")
                + (f", vanaf {t.since}" if t.since else "")
            )
        for f in it.fields + it.clauses:  # short values old -> new; prose only named
            lines.append(
                f"{it.label}: {f.key} gewijzigd"
                if f.words or len(f.old) + len(f.new) > 120
                else f"{it.label}: {f.key}: {f.old} → {f.new}"
            )
    lines += [f"was-wordt: {w}" for w in rd.waswordt]
    parts = []
    if tariffs:
        parts.append(
            f"{tariffs} {'tariefwijziging' if tariffs == 1 else 'tariefwijzigingen'}"
            + (f" ({next(iter(percents))})" if len(percents) == 1 else "")
        )
    plural = {"product": "producten", "kernbeding": "kernbedingen"}
    for (kind, status), n in sorted(
        counts.items(),
        key=lambda kv: (kv[0][1] != "toegevoegd", kv[0][1] != "verwijderd", kv[0][0] != "product"),
    ):
        parts.append(f"{n} {kind if n == 1 else plural[kind]} {status}")
    if rd.region_fields:
        parts.append("regiogegevens gewijzigd")
    return lines, tariffs, ", ".join(parts) or "geen inhoudelijke wijzigingen"


def _first_summary(rc) -> str:
    parts = [
        f"{n} {word}"
        for n, word in ((len(rc.products), "producten"), (len(rc.kernbedingen), "kernbedingen"))
        if n
    ]
    return "eerste versie" + (": " + ", ".join(parts) if parts else "")


def _pair(content_root: str | Path, slug: str, base: Version | None, head: Version) -> dict:
    key = hashlib.sha1(f"{base.commit if base else '-'}:{head.commit}:{_code_key()}".encode()).hexdigest()[
        :16
    ]
    path = _cache_file(slug, key)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    with content_of(content_root, head) as head_dir:
        head_rc = load_region(head_dir, slug).regions.get(slug)
        if base is None or head_rc is None:
            result = {
                "lines": [],
                "tariffs": 0,
                "summary": _first_summary(head_rc) if head_rc else "regio ontbreekt",
            }
        else:
            with content_of(content_root, base) as base_dir:
                base_rc = load_region(base_dir, slug).regions.get(slug)
            if base_rc is None:
                result = {"lines": [], "tariffs": 0, "summary": _first_summary(head_rc)}
            else:
                lines, tariffs, summary = diff_lines(base_rc, head_rc)
                result = {"lines": lines, "tariffs": tariffs, "summary": summary}
    from .writer import atomic_write_text

    atomic_write_text(path, json.dumps(result, ensure_ascii=False) + "\n")
    return result


@cache
def _code_key() -> str:
    """The diff's wording depends on the code that makes it."""
    here = Path(__file__).parent
    h = hashlib.sha1()
    for name in ("semdiff.py", "versions.py", "dutch.py", "tariffs.py", "model.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def version_history(content_root: str | Path, slug: str, upto: str | None = None) -> list[VersionEntry]:
    """Every published version of a region (up to and including `upto`), newest first, with the
    changes since the version before. For the site, the book and feeds."""
    versions = region_versions(content_root, slug)
    if upto is not None:
        versions = [v for v in versions if natural(v.name) <= natural(upto)]
    out = []
    for i, v in enumerate(versions):
        d = _pair(content_root, slug, versions[i - 1] if i else None, v)
        out.append(
            VersionEntry(
                v.name,
                dutch.date_long(v.date),
                v.date.isoformat(),
                d["summary"],
                list(d["lines"]),
                d["tariffs"],
            )
        )
    return list(reversed(out))


def pending(content_root: str | Path, slug: str, rc) -> VersionEntry | None:
    """The changes since the last version that are not published yet (None when there are none
    or there is no version): the first row of the table while the region is a concept."""
    versions = region_versions(content_root, slug)
    if not versions or not changed_since(content_root, slug, versions[-1].commit):
        return None
    last = versions[-1]
    with content_of(content_root, last) as base_dir:
        base_rc = load_region(base_dir, slug).regions.get(slug)
    if base_rc is None:
        return None
    lines, tariffs, summary = diff_lines(base_rc, rc)
    return VersionEntry(f"concept na {last.name}", "nog niet gepubliceerd", "", summary, lines, tariffs)


def tag_message(content_root: str | Path, slug: str, name: str, region_name: str, head_rc) -> str:
    """The message of a new version's tag: the changes since the previous version."""
    versions = region_versions(content_root, slug)
    lines = [f"{region_name}: versie {name}", ""]
    if not versions:
        lines.append(_first_summary(head_rc))
        return "\n".join(lines) + "\n"
    prev = versions[-1]
    with content_of(content_root, prev) as base_dir:
        base_rc = load_region(base_dir, slug).regions.get(slug)
    if base_rc is None:
        lines.append(_first_summary(head_rc))
    else:
        changes, _n, summary = diff_lines(base_rc, head_rc)
        lines += [f"Wijzigingen sinds {prev.name}: {summary}", ""] + [f"- {x}" for x in changes]
    return "\n".join(lines) + "\n"


def env_for_tag(cwd: Path) -> dict:
    """git needs a name for an annotated tag; use a neutral one only when none is configured."""
    env = dict(os.environ)
    if not _git(["config", "user.name"], cwd).stdout.strip():
        env.setdefault("GIT_COMMITTER_NAME", "productenboek")
    if not _git(["config", "user.email"], cwd).stdout.strip():
        env.setdefault("GIT_COMMITTER_EMAIL", "productenboek@localhost")
    return env
