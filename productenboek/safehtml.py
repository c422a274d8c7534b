"""HTML rendered from a Markdown field (chapters) goes through one allow-list before it is
published: known tags and attributes only, no event handlers, no style (except table-cell
alignment), links only to http, https, mailto or relative addresses, images only relative.

Every other string from content never becomes HTML at all (render.mdsite escapes it, and the
theme overrides in templates/site/theme print titles with `| e`).
"""

from __future__ import annotations

import nh3

TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
GENERIC = {"class", "id", "title"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": GENERIC | {"href"},
    "img": GENERIC | {"src", "alt", "width", "height"},
    "ol": GENERIC | {"start"},
    "td": GENERIC | {"colspan", "rowspan", "style"},
    "th": GENERIC | {"colspan", "rowspan", "style"},
    "details": GENERIC | {"open"},
}
SCHEMES = frozenset({"http", "https", "mailto"})


def _attribute(tag: str, name: str, value: str) -> str | None:
    # Ids of the theme's own elements (__drawer, __search, ...) stay the theme's.
    if name == "id" and value.startswith("__"):
        return None
    # Images come from the site itself (the region's afbeeldingen/), never from elsewhere.
    if tag == "img" and name == "src" and (":" in value or value.startswith(("/", "\\"))):
        return None
    return value


def clean(html: str) -> str:
    """The HTML of a Markdown field, reduced to the allow-list."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,
        filter_style_properties={"text-align"},
    )
