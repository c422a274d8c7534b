"""Loading and checking big content trees region by region, in worker processes.

Regions are independent: a region's files refer only to each other and to the shared code
lists and national structure. So a cold run can parse the regions in parallel. Each worker
saves the region's cache part (see cache.py); problems are kept in the cache with each file,
so a caller that then loads from the cache reports exactly what a serial run reports.
Small trees are not worth starting workers for: the callers then do everything in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .content import Content, RegionContent
from .errors import Problems
from .load import count_files, gc_paused, load_region, load_shared
from .validate import validate

# Below this many files in the regions to parse, starting workers costs more than it saves.
MIN_FILES = 600


@dataclass
class RegionCheck:
    slug: str
    products: int
    kernbedingen: int
    problems: Problems


def worth_it(folders: list[Path]) -> bool:
    return (os.cpu_count() or 1) >= 2 and len(folders) >= 2 and count_files(folders) >= MIN_FILES


def refresh(root: Path, folders: list[Path]) -> None:
    """Parse these regions in workers so that their cache parts are fresh afterwards."""
    _run(root, folders, check=False)


def check(root: Path, folders: list[Path]) -> list[RegionCheck] | None:
    """Load and validate each region in a worker; None when the workers could not run."""
    return _run(root, folders, check=True)


def load(root: Path, folders: list[Path]) -> list[tuple[RegionContent | None, Problems]] | None:
    """Load each region in a worker without any cache (e.g. an old revision in a temporary
    folder) and hand the model back; None when the workers could not run."""
    return _run(root, folders, check=None)


def start_method() -> str:
    """'fork' (cheap: the workers inherit what is loaded) only when this process runs a single
    thread. Other threads (a test server, the serve watcher, or native ones such as Typst's
    thread pool after a PDF) may hold locks at the fork and deadlock the child: 'spawn' then."""
    try:
        single = len(os.listdir("/proc/self/task")) == 1
    except OSError:
        single = False
    return "fork" if single and threading.active_count() == 1 else "spawn"


def _run(root: Path, folders: list[Path], check: bool | None):
    method = start_method()
    n = len(folders)
    try:
        with (
            ProcessPoolExecutor(
                max_workers=min(os.cpu_count() or 1, n), mp_context=multiprocessing.get_context(method)
            ) as pool,
            gc_paused(),  # the results are unpickled here: thousands of objects
        ):
            return list(
                pool.map(_job, [str(root)] * n, [str(f) for f in folders], [os.getcwd()] * n, [check] * n)
            )
    except Exception:  # a failing worker only costs time: the caller does the work itself
        return None


_SHARED: dict[str, Content] = {}  # per worker process: the shared part, loaded for its first region


def _shared(root: str) -> Content:
    # The shared part's own problems are the caller's to report, once.
    if root not in _SHARED:
        _SHARED[root] = load_shared(Path(root), Problems())
    return _SHARED[root]


def _job(root: str, folder: str, cwd: str, check: bool | None):
    """check=False: refresh the cache; True: also validate; None: load without cache."""
    os.chdir(cwd)  # paths in messages are shown relative to the caller's directory
    with gc_paused():
        problems = Problems()
        rc = load_region(Path(root), Path(folder), problems, use_cache=check is not None)
        if check is None:
            return rc, problems
        if not check:
            return None
        content = replace(_shared(root), regions={rc.slug: rc} if rc else {})
        validate(content, problems, national=False)
        return RegionCheck(
            Path(folder).name, len(rc.products) if rc else 0, len(rc.kernbedingen) if rc else 0, problems
        )
