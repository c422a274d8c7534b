import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import os
import shutil

import pytest

# In CI a test that skips because a system tool is missing is a failure: browser, PDF and
# Office tests must run there (`make test` installs the tools, or stops).
_TOOLS = ("chromium", "pdftotext", "poppler", "libreoffice", "soffice")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() in ("", "0", "false") or not report.skipped:
        return
    reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr).lower()
    if any(tool in reason for tool in _TOOLS):
        report.outcome = "failed"
        report.longrepr = (
            f"CI: overgeslagen omdat een systeemprogramma ontbreekt ({reason}); dat mag in CI niet"
        )


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, driven by Playwright) for every browser test of the
    session: Playwright's sync API allows one running instance per thread."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is niet geïnstalleerd (make test installeert het)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def site_without_downloads(tmp_path_factory):
    """The real content's site without downloads, built once for every module that only reads
    it (reader, national table, open data)."""
    from helpers import REPO, run_cli

    root = tmp_path_factory.mktemp("site-zonder-downloads")
    args = [
        "site",
        "--zonder-downloads",
        "--out",
        str(root / "site"),
        "--dist",
        str(root / "dist"),
        "--content",
        str(REPO / "content"),
    ]
    code, _out, err = run_cli(args, REPO)
    assert code == 0, err
    return root / "site"
