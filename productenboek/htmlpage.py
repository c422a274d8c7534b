"""Site pages written as HTML by our templates (a product group's page) instead of Markdown.

Their facts are plain text, escaped by the templates; Python-Markdown would only undo the
escaping again, at some 12 ms per product. So mkdocs gets the HTML as the page's content
(outputs/sitehooks.py skips the conversion for pages whose front matter says `opmaak: html`),
and this module gives what the conversion would have: the table of contents, the anchors and
the search entries, read from the headings our templates write:

    <h2 id="45a49">45A49 Naam<a class="headerlink" href="#45a49" ...>&para;</a></h2>

Only our own HTML goes through here: every `<` in it starts a tag (content text is escaped).
"""

from __future__ import annotations

import re
from typing import Any

from .render import yaml_text

FORMAT_KEY, FORMAT = "opmaak", "html"
HTML_PAGE = f'"{FORMAT_KEY}": "{FORMAT}"'  # how the front matter of such a page says so

_HEADING = re.compile(
    r'<h([1-6]) id="([^"]*)">(.*?)<a class="headerlink" href="#[^"]*" title="[^"]*">&para;</a></h\1>'
)
_ID = re.compile(r'\sid="([^"]*)"')
_NAV = re.compile(r"<nav\b.*?</nav>", re.S)  # a list of links to the sections below: not their text
_HEADERLINK = re.compile(r'<a class="headerlink" href="#[^"]*" title="[^"]*">&para;</a>')
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def page_text(title: str, body: str, boost: int | None = None, hide: tuple[str, ...] = ()) -> str:
    """The page file: front matter (title, format, search boost, parts of the theme to hide)
    and the HTML body."""
    meta: dict = {"title": title, FORMAT_KEY: FORMAT}
    if boost:
        meta["search"] = {"boost": boost}
    if hide:
        meta["hide"] = list(hide)
    return "---\n" + yaml_text(meta) + "---\n\n" + body


def toc_tokens(body: str, depth: int = 2) -> list[Any]:
    """The table of contents as Python-Markdown's toc extension gives it (mkdocs' get_toc):
    headings up to `depth`, each nested under the heading above it."""
    root: list[dict] = []
    stack: list[dict] = []
    for m in _HEADING.finditer(body):
        level = int(m.group(1))
        if level > depth:
            continue
        token: dict[str, Any] = {"level": level, "id": m.group(2), "name": m.group(3), "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def anchor_ids(body: str) -> set[str]:
    return set(_ID.findall(body))


def search_sections(body: str, depth: int = 2) -> list[tuple[str, str, str]]:
    """(anchor, title, text) per heading up to `depth`; deeper headings stay in the text of
    the section above them. Title and text are HTML-escaped text, as the search index wants.
    The page's own heading (h1) has no anchor: Material's search groups the sections of a
    page under the entry whose location is the page itself."""
    found = [m for m in _HEADING.finditer(body) if int(m.group(1)) <= depth]
    sections = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        chunk = _HEADERLINK.sub("", _NAV.sub(" ", body[m.end() : end]))
        text = _SPACE.sub(" ", _TAG.sub(" ", chunk)).strip()
        ident = "" if m.group(1) == "1" else m.group(2)
        sections.append((ident, _SPACE.sub(" ", _TAG.sub("", m.group(3))).strip(), text))
    return sections
