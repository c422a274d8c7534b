"""Cache of built model objects per content file, keyed by the file's bytes.

A second run re-reads only files whose size, mtime or hash changed. The cache is one pickle
per content root under ``.cache/`` in the working directory; it is invalidated as a whole
when the code that parses and builds content changes. Losing it only costs time.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

_CODE_FILES = ("model.py", "schema.py", "yamlsource.py", "load.py", "errors.py")


def _code_version() -> str:
    h = hashlib.sha1()
    here = Path(__file__).parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


class FileCache:
    def __init__(self, root: Path):
        key = hashlib.sha1(str(Path(root).resolve()).encode()).hexdigest()[:12]
        base = Path(os.environ.get("PRODUCTENBOEK_CACHE", ".cache"))
        self.path = base / f"inhoud-{key}-{_code_version()}.pickle"
        self.entries: dict[tuple[str, str], tuple[int, int, str, object]] = {}
        self.dirty = False
        self.hits = 0
        try:
            with open(self.path, "rb") as fh:
                self.entries = pickle.load(fh)
        except Exception:  # missing or unreadable cache: start empty
            self.entries = {}

    def get(self, kind: str, path: Path, name: str):
        entry = self.entries.get((kind, name))
        if entry is None:
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        size, mtime, digest, value = entry
        if st.st_size == size and st.st_mtime_ns == mtime:
            self.hits += 1
            return value
        if st.st_size == size and hashlib.sha1(path.read_bytes()).hexdigest() == digest:
            self.entries[(kind, name)] = (size, st.st_mtime_ns, digest, value)
            self.dirty = True
            self.hits += 1
            return value
        return None

    def put(self, kind: str, path: Path, name: str, value) -> None:
        try:
            st = path.stat()
            digest = hashlib.sha1(path.read_bytes()).hexdigest()
        except OSError:
            return
        self.entries[(kind, name)] = (st.st_size, st.st_mtime_ns, digest, value)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def tree_fingerprint(root: Path) -> str:
    """A digest of every file's path, size and mtime under root (stat only, no reading)."""
    h = hashlib.sha1(_code_version().encode())
    stack = [str(root)]
    entries = []
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    else:
                        st = e.stat(follow_symlinks=False)
                        entries.append(f"{e.path}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            entries.append(f"{folder}\0onleesbaar")
    for line in sorted(entries):
        h.update(line.encode())
    return h.hexdigest()


class CheckMemo:
    """The outcome of the last `check` of an unchanged tree: a warm check is one stat walk."""

    def __init__(self, root: Path):
        key = hashlib.sha1(str(Path(root).resolve()).encode()).hexdigest()[:12]
        self.path = Path(os.environ.get("PRODUCTENBOEK_CACHE", ".cache")) / f"check-{key}.pickle"
        self.fingerprint = tree_fingerprint(root)

    def get(self):
        try:
            with open(self.path, "rb") as fh:
                fingerprint, outcome = pickle.load(fh)
        except Exception:
            return None
        return outcome if fingerprint == self.fingerprint else None

    def put(self, outcome) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((self.fingerprint, outcome), fh)
            os.replace(tmp, self.path)
        except OSError:
            pass
