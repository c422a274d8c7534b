"""mkdocs hooks (config key `hooks`, written by site._config). Loaded by mkdocs from this path,
also by `mkdocs serve` in its own process, so the package is put on the path here.

- The rendered HTML of a page made from a Markdown field (its front matter says
  `opmaak: markdown`) is sanitized by productenboek.safehtml before the theme uses it.
- Material's search indexes a section without a heading under the page's title and treats that
  title as HTML; titles are plain text, so it gets the escaped title while it indexes.
- A page written as HTML (front matter `opmaak: html`, see productenboek.htmlpage) is not
  converted: its body is the content, its headings give the table of contents, and its search
  entries (one per product) are added from the same headings instead of parsing the page.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

from mkdocs import utils as mkdocs_utils
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

_ROOT = str(Path(__file__).resolve().parent.parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from productenboek import htmlpage  # noqa: E402
from productenboek.safehtml import clean  # noqa: E402

_KEPT = "_productenboek_titel"
_SEARCH_KEPT = "_productenboek_zoeken"


def _is_html(page) -> bool:
    return (page.meta or {}).get(htmlpage.FORMAT_KEY) == htmlpage.FORMAT


# Three mkdocs internals are replaced below (mkdocs has no API for them). This module is loaded
# again for every build in a process, so after the first time the attribute holds our
# replacement, which keeps the original (and what it caches) as attributes of its own.
_KEPT_AS = "productenboek_"


def _kept(owner, name: str, what: str, default):
    return getattr(getattr(owner, name), _KEPT_AS + what, default)


def _original(owner, name: str):
    return _kept(owner, name, "original", getattr(owner, name))


def _replace(owner, name: str, replacement, **kept) -> None:
    replacement.__dict__.update({_KEPT_AS + k: v for k, v in kept.items()})
    setattr(owner, name, replacement)


def _installed(path: str) -> bool:
    """A file of an installed package (the theme's own), which nothing writes to."""
    return "site-packages" in Path(path).parts


# mkdocs has no event to skip the conversion of one page.
_ORIGINAL = _original(Page, "render")


def _render(self, config, files):
    """Page.render, except for pages written as HTML: their body is the content already."""
    if not _is_html(self):
        return _ORIGINAL(self, config, files)
    self.content = self.markdown
    self.toc = get_toc(htmlpage.toc_tokens(self.markdown))
    self._title_from_render = None
    self.present_anchor_ids = htmlpage.anchor_ids(self.markdown)


_replace(Page, "render", _render, original=_ORIGINAL)


# Every build walks the theme's folders for its static files: Material's hold some 14,000 files
# (icons), 0.1 s per build, the same answer each time. Kept per process, keyed by the folders
# and, for folders outside the installed packages (our overrides), their files and times.
_THEME_FILES: dict = _kept(Files, "add_files_from_theme", "cache", {})
_ADD_THEME = _original(Files, "add_files_from_theme")


def _own_files(folder: str) -> tuple:
    if _installed(folder):
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in Path(folder).rglob("*") if p.is_file()))


def _add_files_from_theme(self, env, config):
    dirs = tuple(config.theme.dirs)
    key = (dirs, tuple(config.theme.static_templates), tuple(_own_files(d) for d in dirs))
    found = _THEME_FILES.get(key)
    if found is None:
        probe = Files([])
        _ADD_THEME(probe, env, config)
        found = _THEME_FILES[key] = [(f.src_uri, f.src_dir) for f in probe]
    for path, folder in found:
        if self.get_file_from_path(path) is None:  # theme files do not override docs_dir files
            self.append(File(path, folder, config.site_dir, config.use_directory_urls))


_replace(Files, "add_files_from_theme", _add_files_from_theme, original=_ADD_THEME, cache=_THEME_FILES)


# The theme's own static files (2.6 MB per site: scripts, styles, search languages) come from the
# installed package, which nothing writes to: the site gets hard links to them, not copies (42
# regions: 110 MB less to write). Anything else, or where a link cannot be made, is copied.
_COPY = _original(mkdocs_utils, "copy_file")


def _copy_file(source_path: str, output_path: str) -> None:
    if _installed(source_path) and not os.path.isdir(output_path):
        try:
            os.makedirs(os.path.dirname(output_path), exist_ok=True)
            if os.path.lexists(output_path):
                os.unlink(output_path)
            os.link(source_path, output_path)
            return
        except OSError:
            pass
    _COPY(source_path, output_path)


_replace(mkdocs_utils, "copy_file", _copy_file, original=_COPY)


def _index_html_page(page, config) -> None:
    """Add a page written as HTML to Material's search index, a section per product; then hide
    it from the plugin's own (slow) parsing of the page until the plugin is done."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    if index is None:
        return
    boost = ((page.meta or {}).get("search") or {}).get("boost")
    for ident, title, text in htmlpage.search_sections(page.content):
        entry = {"location": page.url + ("#" + ident if ident else ""), "title": title, "text": text}
        if boost and ident:  # the products, not the page around them: a result lists its page
            entry["boost"] = boost  # first and hides the sections that score below it
        index.entries.append(entry)
    page.meta[_SEARCH_KEPT] = page.meta.get("search")  # None: it had none
    page.meta["search"] = {"exclude": True}


def on_page_content(html_text, page, config, files):
    if (page.meta or {}).get("opmaak") == "markdown":
        return clean(html_text)
    return html_text


@event_priority(100)  # before the search plugin indexes the page
def _escape_title(context, page, config, nav):
    if _is_html(page):
        _index_html_page(page, config)
    meta = page.meta
    meta[_KEPT] = meta.get("title", _KEPT)
    meta["title"] = html.escape(str(meta.get("title") or page.title or ""), quote=False)
    return context


@event_priority(-100)  # after it: the theme prints the plain title (with | e)
def _restore_title(context, page, config, nav):
    meta = page.meta
    if _SEARCH_KEPT in meta:
        search = meta.pop(_SEARCH_KEPT)
        if search is None:
            meta.pop("search", None)
        else:
            meta["search"] = search
    kept = meta.pop(_KEPT, _KEPT)
    if kept == _KEPT:
        meta.pop("title", None)
    else:
        meta["title"] = kept
    return context


on_page_context = CombinedEvent(_escape_title, _restore_title)
