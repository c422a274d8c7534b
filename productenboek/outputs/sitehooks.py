"""mkdocs hooks (config key `hooks`, written by site._config). Loaded by mkdocs from this path,
also by `mkdocs serve` in its own process, so the package is put on the path here.

- The rendered HTML of a page made from a Markdown field (its front matter says
  `opmaak: markdown`) is sanitized by productenboek.safehtml before the theme uses it.
- Material's search indexes a section without a heading under the page's title and treats that
  title as HTML; titles are plain text, so it gets the escaped title while it indexes.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

_ROOT = str(Path(__file__).resolve().parent.parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from productenboek.safehtml import clean  # noqa: E402

_KEPT = "_productenboek_titel"


def on_page_content(html_text, page, config, files):
    if (page.meta or {}).get("opmaak") == "markdown":
        return clean(html_text)
    return html_text


@event_priority(100)  # before the search plugin indexes the page
def _escape_title(context, page, config, nav):
    meta = page.meta
    meta[_KEPT] = meta.get("title", _KEPT)
    meta["title"] = html.escape(str(meta.get("title") or page.title or ""), quote=False)
    return context


@event_priority(-100)  # after it: the theme prints the plain title (with | e)
def _restore_title(context, page, config, nav):
    meta = page.meta
    kept = meta.pop(_KEPT, _KEPT)
    if kept == _KEPT:
        meta.pop("title", None)
    else:
        meta["title"] = kept
    return context


on_page_context = CombinedEvent(_escape_title, _restore_title)
