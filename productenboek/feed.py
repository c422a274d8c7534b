"""The changes of a region as feed entries: which states of the region are announced, and the
semantic difference (semdiff.py) between each state and the one before it.

`revisions` is the one place that decides what an entry is: a published version (a git tag
`<regio>/<versie>`) each, or, while a region has no such tags, every commit on the current
branch (first parent) that touched the region's folder. Summaries are cached per pair of commits: a commit's
content never changes, so each pair is compared once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import dutch
from .errors import Problems
from .semdiff import RegionDiff, diff

LIMIT = 20  # entries per feed
MAX_LINES = 40  # change lines per entry
CACHE_VERSION = "2"
ADDED = "Regio toegevoegd."
UNREADABLE = "Regio verwijderd of in deze versie niet te lezen."


@dataclass(frozen=True)
class Revision:
    commit: str  # full hash of the state announced
    base: str | None  # the state before it (None: the region's first state)
    when: str  # committer (or tagger) date, RFC 3339
    subject: str
    version: str = ""  # the published version's name ('' for a plain commit)


@dataclass(frozen=True)
class Entry:
    id: str  # urn:uuid, stable per region and commit
    title: str
    updated: str
    lines: tuple[str, ...]


def _git(args: list[str], cwd: Path, binary: bool = False):
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout if binary else out.stdout.decode("utf-8", "replace")


def revisions(region_folder: Path, limit: int = LIMIT) -> list[Revision]:
    """The states of the region the feed announces, newest first, each with the one before."""
    return _versions(region_folder, limit) or _commits(region_folder, limit)


def _versions(region_folder: Path, limit: int) -> list[Revision]:
    """One state per tag <regio>/<versie>, newest first."""
    refs = _git(
        [
            "for-each-ref",
            "--sort=-creatordate",
            f"--count={limit + 1}",
            "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(creatordate:iso-strict)%00%(subject)",
            f"refs/tags/{region_folder.name}/",
        ],
        region_folder,
    )
    tags = [line.split("\0") for line in (refs or "").splitlines() if line.count("\0") == 4]
    out = []
    for i, (name, obj, peeled, when, subject) in enumerate(tags[:limit]):
        base = (tags[i + 1][2] or tags[i + 1][1]) if i + 1 < len(tags) else None
        out.append(Revision(peeled or obj, base, when, subject, name.split("/", 1)[1]))
    return out


def _commits(region_folder: Path, limit: int) -> list[Revision]:
    log = _git(
        ["log", "--first-parent", f"-n{limit + 1}", "--format=%H%x00%cI%x00%s", "--", "."], region_folder
    )
    if not log:
        return []
    commits = [line.split("\0") for line in log.splitlines() if line.count("\0") == 2]
    out = []
    for i, (commit, when, subject) in enumerate(commits[:limit]):
        base = commits[i + 1][0] if i + 1 < len(commits) else _parent_state(region_folder, commit)
        out.append(Revision(commit, base, when, subject))
    return out


def _parent_state(region_folder: Path, commit: str) -> str | None:
    """The oldest listed commit's base: its first parent, when the region existed there."""
    parent = _git(["rev-parse", "--verify", "--quiet", f"{commit}^"], region_folder)
    if not parent:
        return None
    return parent.strip() if _git(["ls-tree", parent.strip(), "--", "."], region_folder) else None


def _first_lines(repo: Path, content_rel: str, slug: str, rev: Revision) -> list[str]:
    """The region's first state: whether it is there is enough (reading it costs a checkout)."""
    return [ADDED] if _present(repo, content_rel, slug, rev.commit) else [UNREADABLE]


def _change_lines(slug: str, rev: Revision, at) -> list[str]:
    head, base = at(rev.commit), at(rev.base)
    if head is None or slug not in head.regions:
        return [UNREADABLE]
    if base is None or slug not in base.regions:
        return [ADDED]
    found = diff(base, head)
    return _lines(found[0]) if found else []


def _present(repo: Path, content_rel: str, slug: str, commit: str) -> bool:
    """Whether the region's folder is in the commit (without reading it)."""
    path = ("" if content_rel == "." else content_rel + "/") + f"regios/{slug}"
    return path in (_git(["ls-tree", "--name-only", commit, "--", path], repo) or "").split("\n")


def _region_at(repo: Path, content_rel: str, slug: str, commit: str):
    """The validated region at a commit (leniently: an old state may predate a rule), or None."""
    from .pipeline import load
    from .validate import validate

    prefix = "" if content_rel == "." else content_rel + "/"
    paths = [f"{prefix}{p}" for p in ("codelijsten", "landelijk", f"regios/{slug}")]
    present = _git(["ls-tree", "--name-only", commit, "--", *paths], repo)
    if not present or paths[-1] not in present.split("\n"):
        return None
    tar = _git(["archive", "--format=tar", commit, "--", *present.split()], repo, binary=True)
    if tar is None:
        return None
    with tempfile.TemporaryDirectory(prefix="productenboek-feed-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(tar)) as t:
            t.extractall(tmp, filter="data")
        problems = Problems()
        content = validate(load(Path(tmp) / content_rel, problems, slug, use_cache=False), problems)
    return content


def _lines(rd: RegionDiff) -> list[str]:
    """One Dutch line per change, tariffs first: what a provider needs to act on."""
    if rd.status != "gewijzigd":
        return [f"Regio {rd.status}."]
    out: list[str] = []
    for it in rd.items:
        kind = "Product" if it.kind == "product" else "Kernbeding"
        if it.status != "gewijzigd":
            out.append(f"{kind} {it.status}: {it.label}")
            continue
        for t in it.tariffs:
            pct = f" ({t.percent})" if t.percent else ""
            unit = f" {t.unit}" if t.unit else ""
            out.append(f"{it.label}: tarief {t.old} → {t.new}{unit}{pct}")
    for it in rd.items:
        if it.status != "gewijzigd":
            continue
        if it.renamed_from:
            out.append(f"{it.label}: nieuwe naam (was: {it.renamed_from})")
        if it.moved:
            out.append(f"{it.label}: verplaatst ({it.moved})")
        for f in [*it.fields, *it.clauses]:
            out.append(
                f"{it.label}: {f.key} gewijzigd" if f.words else f"{it.label}: {f.key}: {f.old} → {f.new}"
            )
    for f in rd.region_fields:
        out.append(f"Regio: {f.key} gewijzigd" if f.words else f"Regio: {f.key}: {f.old} → {f.new}")
    out += [f"Was-wordt: {w}" for w in rd.waswordt]
    return out


def _shown(lines: list[str]) -> tuple[str, ...]:
    if len(lines) > MAX_LINES:
        return (*lines[:MAX_LINES], f"… en {len(lines) - MAX_LINES} wijzigingen meer")
    return tuple(lines)


def _title(day: str, rd_lines: list[str]) -> str:
    date = dutch.date_long(dt.date.fromisoformat(day[:10]))
    if rd_lines == [ADDED]:
        return f"{date}: regio gepubliceerd"
    if rd_lines == [UNREADABLE]:
        return f"{date}: regio verwijderd of niet te lezen"
    tariffs = sum(1 for x in rd_lines if ": tarief " in x)
    if not rd_lines:
        return f"{date}: geen inhoudelijke wijziging"
    parts = []
    if tariffs:
        parts.append(f"{tariffs} {'tarief' if tariffs == 1 else 'tarieven'} gewijzigd")
    others = len(rd_lines) - tariffs
    if others:
        parts.append(f"{others} andere {'wijziging' if others == 1 else 'wijzigingen'}")
    return f"{date}: " + ", ".join(parts)


def _cache_file(slug: str, rev: Revision) -> Path:
    key = hashlib.sha256(f"{CACHE_VERSION}\0{slug}\0{rev.base}\0{rev.commit}".encode()).hexdigest()[:32]
    return Path(os.environ.get("PRODUCTENBOEK_CACHE", ".cache")) / "wijzigingen" / f"{key}.json"


def _summary(repo: Path, content_rel: str, slug: str, rev: Revision, loaded: dict) -> list[str]:
    cache = _cache_file(slug, rev)
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass

    def at(commit):
        if commit not in loaded:
            loaded[commit] = _region_at(repo, content_rel, slug, commit) if commit else None
        return loaded[commit]

    lines = _first_lines(repo, content_rel, slug, rev) if rev.base is None else _change_lines(slug, rev, at)
    try:
        from .writer import atomic_write_text

        atomic_write_text(cache, json.dumps(lines, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the cache only saves time
    return lines


def entries(content_root: str, slug: str, limit: int = LIMIT) -> list[Entry]:
    """The feed entries of a region, newest first (empty outside git)."""
    folder = Path(content_root).resolve() / "regios" / slug
    top = _git(["rev-parse", "--show-toplevel"], folder) if folder.is_dir() else None
    if not top:
        return []
    repo = Path(top.strip())
    content_rel = os.path.relpath(Path(content_root).resolve(), repo).replace(os.sep, "/")
    loaded: dict = {}
    out = []
    for rev in revisions(folder, limit):
        lines = _summary(repo, content_rel, slug, rev, loaded)
        uid = uuid.uuid5(uuid.NAMESPACE_URL, f"productenboek:{slug}:{rev.version or rev.commit}")
        out.append(
            Entry(
                f"urn:uuid:{uid}",
                (f"Versie {rev.version}, " if rev.version else "") + _title(rev.when, lines),
                rev.when,
                _shown(lines),
            )
        )
    return out


def feed_id(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'productenboek:{slug}:wijzigingen')}"
