"""mkdocs hooks (config key `hooks`, written by site._config): the rendered HTML of a page made
from a Markdown field (its front matter says `opmaak: markdown`) is sanitized by
productenboek.safehtml before the theme puts it in the page. Loaded by mkdocs from its path,
also by `mkdocs serve` in its own process, so the package is put on the path here."""
from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from productenboek.safehtml import clean  # noqa: E402


def on_page_content(html, page, config, files):
    if (page.meta or {}).get("opmaak") == "markdown":
        return clean(html)
    return html
