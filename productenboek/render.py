"""The one Jinja environment: strict about undefined names, escaping per output format.

Templates hold presentation only. Values reach them already formatted (views.py); the
filters here only escape text for the format a template writes.

The rule: every string from content is plain text in every output. One filter per target:
md/md_inline (pandoc Markdown: the book), mdsite (Python-Markdown: site pages), htmlsite (a raw
HTML block in a site page), gfm (Markdown read raw), yaml_value/yaml_text (front matter and
generated configs). Titles reach mkdocs as plain text and the theme overrides in
templates/site/theme print them with `| e`. Chapters are the only Markdown field: their HTML is
sanitized (safehtml.py) and their links and images are checked (chaptercheck.py).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

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
    s = re.sub(r"(^|\n)([ \t]*\d+)\.", r"\1\2\\.", s)  # '1.' at line start is not a list
    s = re.sub(r"\n[ \t]*\n+", "\n\n", s)
    return s


def one_line(s: str) -> str:
    """Every run of white space that holds a line break becomes one space. The same as
    re.sub(r"\\s*\\n\\s*", " ", s), in linear time: that pattern backtracks over every long
    run of spaces without a line break (a 1 MB text took minutes)."""
    if "\n" not in s:
        return s
    parts = s.split("\n")
    last = len(parts) - 1
    kept = [parts[0].rstrip()]
    kept += [p for p in (q.strip() for q in parts[1:last]) if p]
    kept.append(parts[last].lstrip())
    return " ".join(kept)


def md_inline(text) -> str:
    """Escape text that must stay on one line (table cells, headings, list items)."""
    return md_span(text).strip()


def md_span(text) -> str:
    """Like md_inline, but keeps surrounding spaces (a run inside a sentence)."""
    return one_line(md(text))


def md_cell(text) -> str:
    return md_inline(text)


def md_lines(text) -> str:
    """Text whose line breaks matter (a situation with 'Schade:' and bullets under it): every
    line of a paragraph keeps its own line (a pandoc line block); blank lines part paragraphs."""
    if text is None:
        return ""
    paragraphs = re.split(r"\n[ \t]*\n", str(text).replace("\r", "").strip("\n"))
    return "\n\n".join(
        "\n".join("| " + md_inline(line) for line in para.split("\n") if line.strip())
        for para in paragraphs
        if para.strip()
    )


_GFM_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def gfm(text) -> str:
    """Light escaping for Markdown people read raw (GitHub comments, .md downloads):
    only characters that start markup or break a table cell."""
    if text is None:
        return ""
    s = _GFM_SPECIAL.sub(r"\\\1", str(text))
    s = s.replace("@", "@&#8203;")  # '@naam' or '@org/team' would notify people
    return one_line(s).strip()


def code_span(text) -> str:
    """Text as one inline code span on GitHub: a fence longer than any run of backticks in it,
    so nothing can close the span early; on one line; no '@' mentions (none in code spans)."""
    s = one_line(str(text if text is not None else "")).replace("\r", " ")
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = (
        " "
        if s.startswith("`") or s.endswith("`") or (s.startswith(" ") and s.endswith(" ") and s.strip())
        else ""
    )
    return f"{fence}{pad}{s}{pad}{fence}"


# Python-Markdown (the site): '<' and '&' cannot be backslash-escaped, so they become
# entities; the characters that can start Markdown syntax are backslash-escaped.
_SITE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


# A web address in content text: it becomes a link (escaping would break it).
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'‘’“”]+[^\s<>\"'‘’“”.,;:!?)\]]")


def _site_link(url: str) -> str:
    href = url if url.startswith("http") else "https://" + url
    href = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{_site_escape(url)}]({href})"


def _site_escape(s: str) -> str:
    s = html.escape(s, quote=False)
    return _SITE_SPECIAL.sub(r"\\\1", s)


def mdsite(text, strip: bool = True) -> str:
    if text is None:
        return ""
    if _URL.search(str(text)):
        parts, pos, t = [], 0, str(text).replace("\r", "")
        for m in _URL.finditer(t):
            parts.append(mdsite(t[pos : m.start()], False))
            parts.append(_site_link(m.group(0)))
            pos = m.end()
        parts.append(mdsite(t[pos:], False))
        s = re.sub(r"\s*\n\s*", " ", "".join(parts))
        return s.strip() if strip else s
    s = html.escape(str(text).replace("\r", ""), quote=False)
    s = _SITE_SPECIAL.sub(r"\\\1", s)
    s = one_line(s)
    return s.strip() if strip else s


def yaml_text(data) -> str:
    """YAML written by a real serializer (front matter, generated mkdocs configs): every string
    double-quoted, every character kept (emoji as \\U escapes, never surrogate pairs)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1 << 30)


def yaml_value(value) -> str:
    """One YAML scalar for a template line such as 'title: {{ x | yaml_value }}'."""
    return yaml_text("" if value is None else str(value)).removesuffix("\n...\n").rstrip("\n")


def htmlsite(text) -> str:
    """Text inside a raw HTML block of a site page: escaped, on one line (a blank line would end
    the HTML block and let the rest be read as Markdown)."""
    if text is None:
        return ""
    return re.sub(r"\s*\n\s*", " ", html.escape(str(text).replace("\r", ""), quote=True)).strip()


def htmltext(text) -> Markup:
    """Content text in a site page written as HTML (templates *.html.j2): escaped, on one
    line, and a web address becomes a link (as mdsite does for Markdown pages)."""
    if text is None:
        return Markup("")
    t = str(text).replace("\r", "")
    if "http" not in t and "www." not in t:  # no web address (most texts): no search for one
        return Markup(one_line(html.escape(t, quote=False)).strip())
    parts, pos = [], 0
    for m in _URL.finditer(t):
        parts.append(html.escape(t[pos : m.start()], quote=False))
        url = m.group(0)
        href = url if url.startswith("http") else "https://" + url
        href = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        parts.append(f'<a href="{html.escape(href)}">{html.escape(url, quote=False)}</a>')
        pos = m.end()
    parts.append(html.escape(t[pos:], quote=False))
    return Markup(one_line("".join(parts)).strip())


def site_url(link: str) -> str:
    """A Markdown page link as the directory URL mkdocs publishes it ('a/b.md#x' -> 'a/b/#x'):
    for pages written as HTML, whose links mkdocs does not rewrite."""
    page, _, fragment = str(link).partition("#")
    if page.endswith("index.md"):
        page = page[: -len("index.md")]
    elif page.endswith(".md"):
        page = page[: -len(".md")] + "/"
    return page + ("#" + fragment if fragment else "")


# Typst markup: a backslash before any character that is not a letter, digit or space makes
# it that character. Escaped as pandoc's Typst writer does, so text from content is always
# text. Everywhere: what starts markup (emphasis, code '#', math '$', raw '`', labels and
# references '<' '@', comments '//' '/*', the shorthand '~', smart quotes) and '-' before '-'
# or '?' (shorthands). At a line start: what starts a heading, list or term ('=' '+' '-' '/'
# '1.'). At the very start of a text: what would continue an expression before it ('.' '('
# ';'). Straight quotes stay straight; '...' becomes an ellipsis, as in the pandoc book.
_TYP_SPECIAL = re.compile(r"""([\\#*_`$<>@\[\]~"']|-(?=[-?])|/(?=[/*]))""")
_TYP_LINE_START = re.compile(r"(^|\n)([ \t]*)([=+/-]|\d+\.)", re.M)
_TYP_TEXT_START = re.compile(r"^([ \t]*)([.(;])")
_TYP_LINE_START_CHARS = frozenset("=+/- \t")
# Line breaks in Typst: besides \n and \r also these (a heading would end at one).
_TYP_BREAKS = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
# Control characters Typst cannot show (YAML allows none but tab and line breaks).
_TYP_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Anything typ must change besides escaping: line breaks other than \n, control characters.
_TYP_RARE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
_TYP_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def typ(text) -> str:
    """Escape text for a paragraph of Typst markup: a blank line parts paragraphs, a single
    line break is a space, as in Markdown."""
    if text is None:
        return ""
    s = str(text)
    if _TYP_RARE.search(s):
        s = _TYP_CONTROL.sub("", _TYP_BREAKS.sub("\n", s))
    s = _TYP_SPECIAL.sub(r"\\\1", s)
    if "\n" in s:
        s = _TYP_LINE_START.sub(_typ_line_start, s)
        s = _TYP_BLANK_LINES.sub("\n\n", s).strip("\n")
    elif s[:1] in _TYP_LINE_START_CHARS or s[:1].isdigit():
        s = _TYP_LINE_START.sub(_typ_line_start, s, count=1)
    if s.lstrip(" \t")[:1] in (".", "(", ";"):
        s = _TYP_TEXT_START.sub(r"\1\\\2", s)
    return s


def _typ_line_start(m: re.Match) -> str:
    mark = m.group(3)
    escaped = mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark
    return m.group(1) + m.group(2) + escaped


def typ_span(text) -> str:
    """Like typ_inline, but keeps surrounding spaces (a run inside a sentence)."""
    return one_line(typ(text))


def typ_inline(text) -> str:
    """Escape text that must stay on one line (table cells, headings, list items)."""
    return typ_span(text).strip()


def typ_str(text) -> str:
    """Text as a Typst string literal (one line)."""
    s = _TYP_CONTROL.sub("", one_line(_TYP_BREAKS.sub("\n", str(text if text is not None else ""))))
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typ_lines(text) -> str:
    """Text whose line breaks matter: every line keeps its own line; blank lines part paragraphs."""
    if text is None:
        return ""
    paragraphs = re.split(r"\n[ \t]*\n", _TYP_BREAKS.sub("\n", str(text)).strip("\n"))
    return "\n\n".join(
        " \\\n".join(typ_inline(line) for line in para.split("\n") if line.strip())
        for para in paragraphs
        if para.strip()
    )


def anchor(text) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return s or "x"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False, default=False
        ),
        keep_trailing_newline=True,
        # '{#' starts pandoc header attributes ({#p-45a49}); Jinja comments are '{##  ##}'.
        comment_start_string="{##",
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache("sjablonen"),
    )
    env.filters.update(blocks=_blocks)
    env.filters.update(
        md=md,
        md_inline=md_inline,
        md_span=md_span,
        md_cell=md_cell,
        md_lines=md_lines,
        gfm=gfm,
        code_span=code_span,
        mdsite=mdsite,
        htmlsite=htmlsite,
        htmltext=htmltext,
        site_url=site_url,
        anchor=anchor,
        yaml_value=yaml_value,
        typ=typ,
        typ_inline=typ_inline,
        typ_span=typ_span,
        typ_lines=typ_lines,
        typ_str=typ_str,
    )
    return env


def _blocks(text):
    """Text with paragraphs and bullets -> blocks (views.blocks), for multi-line table cells."""
    from .views import blocks

    return blocks(text)


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
