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
import hmac
import os
import pickle
import secrets
import shutil
import struct
import tempfile
from pathlib import Path

_CODE_FILES = ("model.py", "schema.py", "yamlsource.py", "load.py", "errors.py", "validate.py", "tariffs.py")


@functools.cache
def _code_version() -> str:
    h = hashlib.sha1()
    here = Path(__file__).parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


# -- signed files ---------------------------------------------------------------------------
# Nothing is unpickled (or loaded as compiled templates) unless it carries an HMAC made with
# a key of this machine, kept outside the repository (~/.config/productenboek/cache-sleutel):
# a cache file that came with a pull request is ignored, never executed.

_MAGIC = b"PBC2"


def _key_path() -> Path:
    configured = os.environ.get("PRODUCTENBOEK_SLEUTEL")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "productenboek" / "cache-sleutel"


@functools.cache
def _key() -> bytes:
    """This machine's cache key; made once. Without a place to keep it, a key for this run
    only (caches then last one run: that costs time, never safety)."""
    path = _key_path()
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sleutel-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # never replaces: a key another process made first wins
        finally:
            os.unlink(tmp)
        data = path.read_bytes()
        return data if len(data) == 32 else key
    except OSError:
        try:
            data = path.read_bytes()
            return data if len(data) == 32 else key
        except OSError:
            return key


def _mac(data: bytes) -> bytes:
    return hmac.new(_key(), data, hashlib.sha256).digest()


def signed(header: str, payload: bytes) -> bytes:
    """MAGIC, HMAC over the rest, header length, header (text, readable unchecked), payload."""
    head = header.encode("utf-8")
    body = struct.pack(">I", len(head)) + head + payload
    return _MAGIC + _mac(body) + body


def read_header(path: Path) -> str | None:
    """The header of a signed file, not authenticated: only ever compared, never executed."""
    try:
        with open(path, "rb") as fh:
            start = fh.read(len(_MAGIC) + 32 + 4)
            if len(start) < len(_MAGIC) + 36 or not start.startswith(_MAGIC):
                return None
            (n,) = struct.unpack(">I", start[-4:])
            return fh.read(n).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_signed(path: Path) -> tuple[str, bytes] | None:
    """(header, payload) of a file this machine signed; None for anything else."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 36:
        return None
    mac, body = data[len(_MAGIC) : len(_MAGIC) + 32], data[len(_MAGIC) + 32 :]
    if not hmac.compare_digest(mac, _mac(body)):
        return None
    (n,) = struct.unpack(">I", body[:4])
    try:
        return body[4 : 4 + n].decode("utf-8"), body[4 + n :]
    except UnicodeDecodeError:
        return None


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


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
    return read_header(_cache_path(root, part)) == fingerprint


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
            saved_for, payload = read_signed(self.path) or ("", None)
            if payload is None:
                raise ValueError("no signed cache")
            self.entries = pickle.loads(payload)
            self.dirty = saved_for != fingerprint
        except Exception:  # missing, unreadable or not signed here: start empty
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
        _write(
            self.path, signed(self.fingerprint, pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL))
        )


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
        # bron.document is checked against bronnen/ next to the content folder
        self.fingerprint = tree_fingerprint(root) + tree_fingerprint(Path(root).resolve().parent / "bronnen")

    def get(self):
        if read_header(self.path) != self.fingerprint:
            return None
        saved = read_signed(self.path)
        if saved is None or saved[0] != self.fingerprint:
            return None
        try:
            return pickle.loads(saved[1])
        except Exception:
            return None

    def put(self, outcome) -> None:
        _write(self.path, signed(self.fingerprint, pickle.dumps(outcome)))


def template_cache(name: str):
    """A Jinja bytecode cache under the cache folder, so templates are compiled once and not in
    every run (keyed by each template's source); None when the folder cannot be made."""
    folder = _folder() / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return signed_bytecode_cache()(str(folder.resolve()))
    except OSError:
        return None


@functools.cache
def signed_bytecode_cache():
    """Jinja's FileSystemBytecodeCache, but compiled templates (marshal: code) are loaded only
    when this machine signed them."""
    from jinja2 import FileSystemBytecodeCache

    class SignedBytecodeCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            saved = read_signed(Path(self._get_cache_filename(bucket)))
            if saved is not None and saved[0] == "jinja":
                bucket.bytecode_from_string(saved[1])

        def dump_bytecode(self, bucket) -> None:
            _write(Path(self._get_cache_filename(bucket)), signed("jinja", bucket.bytecode_to_string()))

    return SignedBytecodeCache
