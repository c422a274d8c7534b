"""Writing files and folders atomically: a failed build never leaves half-written output."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path | str, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def staged_dir(target: Path | str, reuse: Callable[[Path], bool] | None = None):
    """Yield a temporary folder next to ``target``; on success it replaces ``target`` whole.

    On failure the temporary folder is removed and ``target`` is left as it was.

    With ``reuse``, the folder the previous swap replaced (kept beside ``target``, see
    reserve_of) is offered to ``reuse(folder)``, which brings it up to date and returns True, or
    returns False (then the build starts from an empty folder). Its files may be hard links
    shared with ``target``: the caller only adds and removes files there, never writes through
    one. After the swap the folder replaced now becomes the next reserve, so a build that
    changes little neither copies nor deletes the rest of the site.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a published folder is readable
    reserve = reserve_of(target)
    try:
        if reuse is not None and reserve.is_dir() and not reserve.is_symlink():
            os.rename(reserve, tmp)  # from here a killed build leaves a .new- folder: removed
            if not reuse(tmp):
                shutil.rmtree(tmp)
                tmp.mkdir(mode=0o755)
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, target, keep=reserve if reuse is not None else None)


def reserve_of(target: Path | str) -> Path:
    """Where the folder replaced by the last swap of ``target`` is kept for reuse."""
    target = Path(target)
    return target.parent / f".{target.name}.reserve"


# -- swapping whole folders -----------------------------------------------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (renameat2 RENAME_EXCHANGE); False where it is unsupported."""
    if os.environ.get("PRODUCTENBOEK_GEEN_EXCHANGE"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (38, 22, 95):  # ENOSYS, EINVAL, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, target: Path, keep: Path | None = None) -> None:
    """Make the complete folder ``new`` the folder ``target`` and remove the old one (or, with
    ``keep``, move it there). At every moment ``target`` is either the whole old folder or the
    whole new one (Linux: one exchange). Elsewhere there is a moment without ``target``;
    recover_stale() undoes it."""
    new, target = Path(new), Path(target)
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        crash_point("wissel")
        _set_aside(new, keep)  # now holds the old folder
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    os.rename(target, old)
    crash_point("wissel")
    os.rename(new, target)
    _set_aside(old, keep)


def _set_aside(old: Path, keep: Path | None) -> None:
    if keep is None:
        shutil.rmtree(old, ignore_errors=True)
        return
    shutil.rmtree(keep, ignore_errors=True)
    os.rename(old, keep)


def recover_stale(target: Path) -> None:
    """Clean up after a build that was killed: put back a folder left aside by an interrupted
    swap, and remove half-built staging folders. Call it holding the target's lock."""
    target = Path(target)
    if not target.parent.is_dir():
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not target.exists():
        os.rename(olds.pop(), target)
    for stale in [
        *olds,
        *target.parent.glob(f".{target.name}.new-*"),
        *target.parent.glob(f".{target.name}.bouw-*"),
    ]:
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staged_copy(target: Path | str):
    """Like staged_dir, but the staging folder starts as a hard-linked copy of ``target``
    (files are only ever replaced, never written through a link): change some files, and on
    success the whole folder is swapped in at once."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        os.chmod(tmp, 0o755)
        if target.is_dir():
            os.rmdir(tmp)
            shutil.copytree(target, tmp, copy_function=os.link, symlinks=True)
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, target)


def crash_point(name: str) -> None:
    """Test hook: PRODUCTENBOEK_CRASHPUNT=<name> kills the whole build (its process group)
    here with SIGKILL, the way a power cut or the OOM killer would."""
    if os.environ.get("PRODUCTENBOEK_CRASHPUNT") == name:
        import signal

        os.killpg(os.getpgrp(), signal.SIGKILL)
