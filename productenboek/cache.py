"""Cache of built model objects per content file, keyed by the file's bytes.

A second run re-reads only files whose size, mtime or hash changed. There is one pickle per
part of a content root (the shared folders, and each region) under ``.cache/`` in the working
directory, so a region can be loaded and saved on its own (in parallel, see regionpool.py). Each
pickle starts with the stat fingerprint of its folder, which tells without unpickling the
entries whether anything changed. The cache is invalidated as a whole when the code that
parses and builds content changes. Losing it only costs time.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

_CODE_FILES = ("model.py", "schema.py", "yamlsource.py", "load.py", "errors.py", "validate.py", "tariffs.py")


@functools.lru_cache(maxsize=None)
def _code_version() -> str:
    h = hashlib.sha1()
    here = Path(__file__).parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def _folder() -> Path:
    """Where every cache lives: $PRODUCTENBOEK_CACHE, else .cache/ in the working directory."""
    return Path(os.environ.get("PRODUCTENBOEK_CACHE", ".cache"))


def _root_key(root: Path) -> str:
    return hashlib.sha1(str(Path(root).resolve()).encode()).hexdigest()[:12]


def _cache_path(root: Path, part: str) -> Path:
    return _folder() / f"inhoud-{_root_key(root)}-{_code_version()}" / f"{part}.pickle"


def forget_old_versions(root: Path) -> None:
    """Remove this root's cache parts written by other versions of the code (each is as big as
    the content's model and would never be read again)."""
    current = _cache_path(root, "x").parent
    for old in _folder().glob(f"inhoud-{_root_key(root)}-*"):
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def is_fresh(root: Path, part: str, fingerprint: str) -> bool:
    """True when the cache of this part was saved for exactly this fingerprint (reads only the header)."""
    try:
        with open(_cache_path(root, part), "rb") as fh:
            return pickle.load(fh) == fingerprint
    except Exception:
        return False


class FileCache:
    """The cache of one part: 'gedeeld' (code lists, national structure) or a region's slug."""

    def __init__(self, root: Path, part: str, fingerprint: str = ""):
        self.path = _cache_path(root, part)
        self.fingerprint = fingerprint
        self.entries: dict[tuple[str, str], tuple[int, int, str, object]] = {}
        self.dirty = False
        self.hits = 0
        self.used: set[tuple[str, str]] = set()  # entries of files that still exist; the rest is dropped
        try:
            with open(self.path, "rb") as fh:
                saved_for = pickle.load(fh)
                self.entries = pickle.load(fh)
            self.dirty = saved_for != fingerprint
        except Exception:  # missing or unreadable cache: start empty
            self.entries = {}
            self.dirty = True

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
            self.used.add((kind, name))
            return value
        if st.st_size == size and hashlib.sha1(path.read_bytes()).hexdigest() == digest:
            self.entries[(kind, name)] = (size, st.st_mtime_ns, digest, value)
            self.dirty = True
            self.hits += 1
            self.used.add((kind, name))
            return value
        return None

    def put(self, kind: str, path: Path, name: str, value, digest: str, st: os.stat_result | None) -> None:
        """Remember value for the file whose bytes had this digest; st is its stat taken before reading."""
        if st is None or not digest:
            return
        self.entries[(kind, name)] = (st.st_size, st.st_mtime_ns, digest, value)
        self.used.add((kind, name))
        self.dirty = True

    def save(self) -> None:
        if not self.dirty and len(self.used) == len(self.entries):
            return
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.fingerprint, fh, protocol=pickle.HIGHEST_PROTOCOL)
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
        self.path = _folder() / f"check-{_root_key(root)}.pickle"
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


def template_cache(name: str):
    """A Jinja bytecode cache under the cache folder, so templates are compiled once and not in
    every run (keyed by each template's source); None when the folder cannot be made."""
    from jinja2 import FileSystemBytecodeCache

    folder = _folder() / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder.resolve()))
    except OSError:
        return None
