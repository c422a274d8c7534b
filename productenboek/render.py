"""The one Jinja environment: strict about undefined names, escaping per output format.

Templates hold presentation only. Values reach them already formatted (views.py); the
filters here only escape text for the format a template writes.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .cache import template_cache

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Pandoc Markdown: every ASCII punctuation character may be backslash-escaped. We escape
# all that can start markup, so text from YAML always comes out literally.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-!|$~^@&%=\"'])")


def md(text) -> str:
    """Escape text for one line/paragraph of pandoc Markdown."""
    if text is None:
        return ""
    s = str(text).replace("\r", "")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = re.sub(r"(^|\n)(\s*\d+)\.", r"\1\2\\.", s)   # '1.' at line start is not a list
    s = re.sub(r"\n[ \t]*\n+", "\n\n", s)
    return s


def md_inline(text) -> str:
    """Escape text that must stay on one line (table cells, headings, list items)."""
    return md_span(text).strip()


def md_span(text) -> str:
    """Like md_inline, but keeps surrounding spaces (a run inside a sentence)."""
    return re.sub(r"\s*\n\s*", " ", md(text))


def md_cell(text) -> str:
    return md_inline(text)


def md_lines(text) -> str:
    """Text whose line breaks matter (a situation with 'Schade:' and bullets under it): every
    line of a paragraph keeps its own line (a pandoc line block); blank lines part paragraphs."""
    if text is None:
        return ""
    paragraphs = re.split(r"\n[ \t]*\n", str(text).replace("\r", "").strip("\n"))
    return "\n\n".join("\n".join("| " + md_inline(line) for line in para.split("\n") if line.strip())
                       for para in paragraphs if para.strip())


_GFM_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def gfm(text) -> str:
    """Light escaping for Markdown people read raw (GitHub comments, .md downloads):
    only characters that start markup or break a table cell."""
    if text is None:
        return ""
    s = _GFM_SPECIAL.sub(r"\\\1", str(text))
    return re.sub(r"\s*\n\s*", " ", s).strip()


# Python-Markdown (the site): '<' and '&' cannot be backslash-escaped, so they become
# entities; the characters that can start Markdown syntax are backslash-escaped.
_SITE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def mdsite(text, strip: bool = True) -> str:
    if text is None:
        return ""
    s = html.escape(str(text).replace("\r", ""), quote=False)
    s = _SITE_SPECIAL.sub(r"\\\1", s)
    s = re.sub(r"\s*\n\s*", " ", s)
    return s.strip() if strip else s


def anchor(text) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return s or "x"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False, default=False),
        keep_trailing_newline=True,
        # '{#' starts pandoc header attributes ({#p-45a49}); Jinja comments are '{##  ##}'.
        comment_start_string="{##",
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache("sjablonen"),
    )
    env.filters.update(md=md, md_inline=md_inline, md_span=md_span, md_cell=md_cell, md_lines=md_lines, gfm=gfm, mdsite=mdsite, anchor=anchor)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
