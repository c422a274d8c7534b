"""Rules for chapters (hoofdstukken/*.md), the one Markdown field: what `check` reports.

A chapter may link to http, https and mailto addresses and to relative ones; its images come
only from the region's own folder `afbeeldingen/` (png, jpg, gif), written as
`![tekst](afbeeldingen/bestand.png)`. A YAML block (`---` ... `---`) is not allowed: it would be
read as book metadata. The outputs enforce the same again (templates/book/veilig.lua,
productenboek.safehtml); this module gives the author a located message.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

IMAGE_DIR = "afbeeldingen"
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif")
SCHEMES = ("http", "https", "mailto")

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s)]*)")
_REF_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\](?!\()")
_DEFINITION = re.compile(r"^\s{0,3}\[([^\]^][^\]]*)\]:\s*(<[^>\n]*>|\S+)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}):[^\s<>]*>")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_YAML_START = re.compile(r"^---[ \t]*$")
_YAML_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def scheme(url: str) -> str:
    """The scheme a browser or pandoc would see: entities decoded, control chars and spaces gone."""
    s = "".join(ch for ch in html.unescape(url) if ord(ch) > 0x20 and ch != "\x7f").lower()
    m = _SCHEME.match(s)
    return m.group(1) if m else ""


def image_folder(region: Path) -> Path | None:
    """The region's afbeeldingen/ when it is a real folder inside the region (not a link out)."""
    folder = region / IMAGE_DIR
    if folder.is_symlink() or not folder.is_dir():
        return None
    return folder


def image_file(folder: Path | None, name: str) -> Path | None:
    """An image file in that folder: a regular file, not a link, of an allowed type."""
    if folder is None or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder / name
    if path.is_symlink() or not path.is_file() or not name.lower().endswith(IMAGE_TYPES):
        return None
    return path


def image_problem(src: str, region: Path) -> str:
    """Why an image address is not allowed ('' when it is)."""
    kind = scheme(src)
    if kind == "data":
        return "een afbeelding als data:-adres is niet toegestaan"
    if kind:
        return f"een afbeelding van buiten de repository ('{src}') is niet toegestaan"
    parts = src.replace("\\", "/").split("/")
    if src.startswith(("/", "\\")) or ".." in parts or len(parts) != 2 or parts[0] != IMAGE_DIR:
        return f"afbeelding '{src}' moet in de map {IMAGE_DIR}/ van deze regio staan"
    if not parts[1].lower().endswith(IMAGE_TYPES):
        return f"afbeelding '{src}' heeft een soort bestand dat niet is toegestaan"
    if image_file(image_folder(region), parts[1]) is None:
        return f"afbeelding '{src}' bestaat niet in {IMAGE_DIR}/ (of is een link)"
    return ""


def problems(text: str, region: Path) -> list[tuple[int, int, str, str]]:
    """(line, column, message, hint) for every rule a chapter's Markdown breaks."""
    out: list[tuple[int, int, str, str]] = []
    lines = text.split("\n")
    fence = ""
    image_hint = f"schrijf ![tekst]({IMAGE_DIR}/bestand.png); het bestand staat in {IMAGE_DIR}/ van de regio"
    link_hint = "alleen http:, https:, mailto: of een adres binnen de site"
    for n, raw in enumerate(lines, 1):
        m = _FENCE.match(raw)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            continue
        if m:
            fence = m.group(1)
            continue
        if (
            _YAML_START.match(raw)
            and (n == 1 or not lines[n - 2].strip())
            and n < len(lines)
            and lines[n].strip()
            and any(_YAML_END.match(rest) for rest in lines[n + 1 :])
        ):
            out.append(
                (
                    n,
                    1,
                    "een YAML-blok (---) in een hoofdstuk is niet toegestaan",
                    "gebruik *** voor een horizontale lijn; de titel komt uit de eerste regel '# Titel'",
                )
            )
        line = _CODE_SPAN.sub(lambda s: " " * len(s.group(0)), raw)
        for m in _INLINE.finditer(line):
            dest = m.group(3).strip("<>")
            col = m.start(3) + 1
            if m.group(1):
                why = image_problem(dest, region)
                if why:
                    out.append((n, col, why, image_hint))
            elif scheme(dest) and scheme(dest) not in SCHEMES:
                out.append((n, col, f"een link met '{scheme(dest)}:' is niet toegestaan", link_hint))
        for m in _REF_IMAGE.finditer(line):
            out.append(
                (n, m.start() + 1, "een afbeelding via een verwijzing ([...]) is niet toegestaan", image_hint)
            )
        m = _DEFINITION.match(line)
        if m and scheme(m.group(2).strip("<>")) not in ("",) + SCHEMES:
            out.append(
                (
                    n,
                    m.start(2) + 1,
                    f"een link met '{scheme(m.group(2).strip('<>'))}:' is niet toegestaan",
                    link_hint,
                )
            )
        for m in _AUTOLINK.finditer(line):
            if scheme(m.group(0)[1:]) not in SCHEMES:
                out.append(
                    (
                        n,
                        m.start() + 2,
                        f"een link met '{scheme(m.group(0)[1:])}:' is niet toegestaan",
                        link_hint,
                    )
                )
    return out
