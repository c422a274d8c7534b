"""Content at a git revision, extracted into a temporary folder (the work tree is untouched)."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)


def repo_root(path: Path) -> Path:
    out = _git(["rev-parse", "--show-toplevel"], path if path.is_dir() else path.parent)
    if out.returncode != 0:
        raise UsageError(f"'{path}' staat niet in een git-repository")
    return Path(out.stdout.decode().strip())


@contextmanager
def content_at(revision: str, content_dir: Path):
    """Yield the path of `content_dir` as it was at `revision`."""
    content_dir = content_dir.resolve()
    root = repo_root(content_dir)
    rel = os.path.relpath(content_dir, root)
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).returncode != 0:
        raise UsageError(f"onbekende git-versie '{revision}'")
    out = _git(["archive", "--format=tar", revision, "--", rel], root)
    with tempfile.TemporaryDirectory(prefix="productenboek-diff-") as tmp:
        if out.returncode == 0:
            with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
                tar.extractall(tmp, filter="data")
        target = Path(tmp) / rel
        target.mkdir(parents=True, exist_ok=True)  # content did not exist yet at that revision
        yield target
