"""Where a build comes from: a fixed timestamp and a version, for deterministic output.

The timestamp is SOURCE_DATE_EPOCH when set, else the time of the last git commit that
touched the content, else a fixed date. Never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from functools import cache
from pathlib import Path

FALLBACK_EPOCH = 946684800  # 2000-01-01


def _git(args: list[str], cwd: Path, timeout: int = 20) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _commit_epoch(path: str) -> int | None:
    """Time of the last git commit that touched path, or None outside git. Cached by the
    absolute path: the same relative path names another folder in another working directory."""
    return _commit_epoch_of(str(Path(path).resolve()))


@cache
def _commit_epoch_of(absolute: str) -> int | None:
    p = Path(absolute)
    text = _git(["log", "-1", "--format=%ct", "--", str(p)], p if p.is_dir() else p.parent)
    return int(text) if text.isdigit() else None


def epoch(path: str = "content") -> int:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.isdigit():
        return int(env)
    return _commit_epoch(path) or FALLBACK_EPOCH


def changed_at(path: str) -> dt.datetime:
    """When path last changed in git, whatever SOURCE_DATE_EPOCH says (a region's own date:
    the same however the build is started); epoch() outside git."""
    return dt.datetime.fromtimestamp(_commit_epoch(path) or epoch(path), tz=dt.UTC)


def timestamp(path: str = "content") -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch(path), tz=dt.UTC)


@cache
def version(path: str) -> str:
    """'2025-06-01 (a1b2c3d)': date and short hash of the last commit touching path.
    A working tree with uncommitted changes gets '+wijzigingen'."""
    p = Path(path).resolve()
    cwd = p if p.is_dir() else p.parent
    text = _git(["log", "-1", "--format=%cs %h", "--", str(p)], cwd)
    if not text:
        return timestamp(path).date().isoformat()
    day, short = text.split()
    dirty = _git(["status", "--porcelain", "--", str(p)], cwd)
    return f"{day} ({short}{'+wijzigingen' if dirty else ''})"


def region_version(folder: str) -> str:
    """version() of a region's folder; the versions of all regions come from two git calls."""
    p = Path(folder).resolve()
    return _region_versions(str(p.parent)).get(p.name) or version(str(p))


def file_commits(folder: str) -> dict[str, tuple[str, str]]:
    """Path relative to folder -> (day, short hash) of the last commit that touched it, newest
    commit first, from one git call (empty outside git)."""
    log = _git(["log", "--format=@%cs %h", "--name-only", "--relative", "--", "."], Path(folder), timeout=60)
    found: dict[str, tuple[str, str]] = {}
    current = ("", "")
    for line in log.splitlines():
        if line.startswith("@"):
            day, short = line[1:].split()
            current = (day, short)
        elif line.strip() and line not in found:
            found[line] = current
    return found


@cache
def _region_versions(regios: str) -> dict[str, str]:
    """Region folder name -> version, for every region under regios/ that git knows."""
    newest: dict[str, tuple[str, str]] = {}
    for path, commit in file_commits(regios).items():  # newest first: the first file of a region wins
        newest.setdefault(path.strip('"').split("/", 1)[0], commit)
    status = _git(
        ["-c", "status.relativePaths=true", "status", "--short", "--untracked-files=all", "--", "."],
        Path(regios),
    )
    dirty = {
        line[3:].split(" -> ")[-1].strip('"').split("/", 1)[0]
        for line in status.splitlines()
        if len(line) > 3
    }
    return {
        slug: f"{day} ({short}{'+wijzigingen' if slug in dirty else ''})"
        for slug, (day, short) in newest.items()
    }


@cache
def last_change(path: str) -> dt.date | None:
    p = Path(path).resolve()
    text = _git(["log", "-1", "--format=%cs", "--", str(p)], p.parent)
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
