"""YAML text -> a small node tree that remembers where every value stands.

Reading goes through libyaml (PyYAML's CSafeLoader, the fastest C parser available here;
ruamel.yaml's round-trip loader is kept for `fmt`, which must preserve comments) and stops
at *composing* nodes, so every key and value keeps its line and column. Nothing here builds Python
objects of arbitrary type: scalars stay text plus their resolved YAML tag, and the
validator decides what they mean (money becomes Decimal from the literal text, never float).

Rejected here, each as a Problem: files that are too large, not UTF-8, start with a BOM,
are empty, are not valid YAML, use tags other than the plain core ones, use anchors or
aliases (so alias bombs never expand), or repeat a key.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import Location, Problems

MAX_FILE_BYTES = 1_000_000
MAX_SCALAR_CHARS = 50_000
MAX_DEPTH = 30  # nesting of maps and lists; real content needs fewer than 12
MAX_WORD_CHARS = 300  # one run of characters without a space (the longest real URL is 129)
# Control characters other than tab and line ends; they break the site and fool terminals.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LONG_WORD_RE = re.compile(rf"\S{{{MAX_WORD_CHARS + 1}}}")

CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
NULL = CORE + "null"


class Node(NamedTuple):
    """A YAML value with its location. kind is 'map', 'seq' or 'scalar'.

    A tuple, so that the tens of thousands made per run are built in C (see _convert)."""

    kind: str
    location: Location
    value: object = None  # str for scalars, list[Node] for seq, list[tuple[Node, Node]] for map
    tag: str = ""
    quoted: bool = False
    end_line: int = 0

    def items(self) -> list[tuple[Node, Node]]:
        return self.value if self.kind == "map" else []  # type: ignore[return-value]

    def get(self, key: str) -> Node | None:
        for k, v in self.items():
            if k.value == key:
                return v
        return None


@dataclass
class Parsed:
    path: str
    root: Node | None
    problems: Problems = field(default_factory=Problems)
    digest: str = ""  # sha1 of the bytes read (read_file only), for the cache


@functools.cache
def _yaml():
    """PyYAML and its fastest loader, imported on the first file parsed: a command served from
    the cache (site, pdf, a warm check) never needs them."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The parser's messages are English; people who edit content read Dutch.
_TRANSLATIONS = [
    (r"found character '\\t' that cannot start any token", "tab gevonden; gebruik spaties om in te springen"),
    (r"found character '(.*)' that cannot start any token", "teken {0} kan hier niet staan"),
    (
        r"mapping values are not allowed (here|in this context)",
        "dubbele punt op een plek waar geen sleutel kan staan; zet tekst met ': ' tussen aanhalingstekens",
    ),
    (r"could not find expected ':'", "verwachtte een ':' na de sleutel"),
    (r"expected <block end>, but found '(.*)'", "inspringing klopt niet (onverwacht {0})"),
    (r"found undefined alias", "alias (*naam) zonder anker"),
    (
        r"found unexpected end of stream",
        "bestand houdt onverwacht op (niet afgesloten aanhalingsteken of haak?)",
    ),
    (r"found unknown escape character", "onbekende escape-reeks in tekst tussen dubbele aanhalingstekens"),
    (r"did not find expected key", "verwachtte een sleutel (inspringing klopt niet?)"),
    (r"did not find expected '-' indicator", "verwachtte een lijstitem '-' (inspringing klopt niet?)"),
    (r"did not find expected node content", "verwachtte een waarde"),
    (r"block sequence entries are not allowed here", "lijstitem '-' op een plek waar het niet kan staan"),
    (r"found unexpected ':'", "onverwachte ':'"),
    (
        r"found another document",
        "meer dan een YAML-document in dit bestand ('---'); zet elk document in een eigen bestand",
    ),
    (r"expected ',' or '\]'", "verwachtte ',' of ']' in een lijst tussen haken"),
    (r"expected ',' or '\}'", "verwachtte ',' of '}' tussen accolades"),
    (r"while scanning a quoted scalar", "aanhalingsteken niet afgesloten"),
    (r"exceeded maximum nesting depth", f"te diep genest (meer dan {MAX_DEPTH} niveaus)"),
]


def _dutch(problem: str) -> str:
    for pattern, text in _TRANSLATIONS:
        m = re.search(pattern, problem or "")
        if m:
            return "YAML-fout: " + text.format(*m.groups())
    return f"YAML-fout: {problem}"


def parse_bytes(path: str, data: bytes) -> Parsed:
    """Parse one file's bytes; never raises for bad input."""
    parsed = Parsed(path, None)
    problems = parsed.problems
    if len(data) > MAX_FILE_BYTES:
        problems.add(
            Location(path),
            f"bestand is te groot ({len(data) / 1_000_000:.1f} MB; maximaal 1 MB)".replace(".", ","),
        )
        return parsed
    if data.startswith(b"\xef\xbb\xbf"):
        problems.add(
            Location(path),
            "bestand begint met een BOM (byte order mark)",
            "sla op als UTF-8 zonder BOM, of draai 'make fmt'",
        )
        return parsed
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        problems.add(
            Location(path, line),
            "bestand bevat binaire gegevens (NUL-byte); alleen UTF-8-tekst is toegestaan",
        )
        return parsed
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            Location(path, line, col),
            f"geen geldige UTF-8 (byte 0x{data[exc.start]:02x})",
            "sla het bestand op als UTF-8",
        )
        return parsed
    return parse_text(path, text)


class _TooDeep(Exception):
    def __init__(self, location: Location):
        self.location = location


def parse_text(path: str, text: str) -> Parsed:
    parsed = Parsed(path, None)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        parsed.problems.add(Location(path), "leeg bestand")
        return parsed
    if CONTROL_RE.search(text):  # the parser would refuse the whole file without saying where
        control_characters_in(path, text, parsed.problems)
        return parsed
    yaml, loader = _yaml()
    try:
        raw = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        message = _dutch(exc.problem or exc.context or "")
        if "nesting depth" in (exc.problem or ""):
            message = _dutch(exc.problem)
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message = "YAML-fout: tab gevonden; gebruik spaties om in te springen"
        parsed.problems.add(loc, message)
        return parsed
    except yaml.YAMLError as exc:  # e.g. more than one document
        parsed.problems.add(Location(path), _dutch(str(exc).splitlines()[0]))
        return parsed
    if raw is None:
        parsed.problems.add(Location(path), "leeg bestand")
        return parsed
    try:
        # Only a double-quoted scalar can hold what the text does not show as such: escapes
        # make control characters, an escaped line break joins two words. The others are
        # checked per scalar only when the text itself has a long word (split() finds one in
        # half the time LONG_WORD_RE takes over a whole file; both split on str.isspace()).
        words = max(map(len, text.split()), default=0) > MAX_WORD_CHARS
        parsed.root = _convert(path, raw, parsed.problems, set(), words=words)
    except _TooDeep as exc:  # one message for the file, not one per level
        parsed.problems.add(
            exc.location, f"te diep genest (meer dan {MAX_DEPTH} niveaus)", "maak de structuur platter"
        )
    return parsed


def control_character(text: str) -> str:
    """A Dutch description of the first control character in text, or ''."""
    m = CONTROL_RE.search(text)
    return f"stuurteken U+{ord(m.group()):04X} in de tekst" if m else ""


def long_words_in(path: str, text: str, problems: Problems, limit: int = 5) -> None:
    """Report runs of more than MAX_WORD_CHARS characters without a space in raw text
    (Markdown chapters); a table's separator row (|---|:--|) is not a word."""
    n, seen_to = 0, 0
    for m in LONG_WORD_RE.finditer(text):
        start = m.start()
        if start < seen_to:  # the rest of a word already looked at
            continue
        end = text.find("\n", start)
        word = text[start : end if end >= 0 else len(text)].split()[0]
        seen_to = start + len(word)
        if not word.strip("|-: "):
            continue
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        problems.add(
            Location(path, line, col),
            f"woord van meer dan {MAX_WORD_CHARS} tekens zonder spatie",
            "breek het op; zo'n woord past op geen bladzijde",
        )
        n += 1
        if n == limit:
            break


def control_characters_in(path: str, text: str, problems: Problems, limit: int = 5) -> None:
    """Report control characters in raw text (Markdown chapters) with their line and column."""
    for n, m in enumerate(CONTROL_RE.finditer(text)):
        if n == limit:
            break
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        problems.add(
            Location(path, line, col),
            f"stuurteken U+{ord(m.group()):04X} is niet toegestaan",
            "verwijder het; alleen gewone tekst, tabs en regeleinden",
        )


_new = tuple.__new__  # builds a Location or Node without a Python-level __new__ call
_QUOTED = ("'", '"')


def _convert(path: str, raw, problems: Problems, seen: set[int], depth: int = 0, words: bool = True) -> Node:
    mark = raw.start_mark
    loc = _new(Location, (path, mark.line + 1, mark.column + 1))
    if depth > MAX_DEPTH:
        raise _TooDeep(loc)
    ident = id(raw)
    if ident in seen:
        problems.add(loc, "ankers en aliassen (&naam/*naam) zijn niet toegestaan; schrijf de waarde uit")
        return _new(Node, ("scalar", loc, "", NULL, False, 0))
    seen.add(ident)
    tag = raw.tag
    if tag not in ALLOWED_TAGS:
        problems.add(loc, f"YAML-tag '{tag.replace(CORE, '!!')}' is niet toegestaan")
        return _new(Node, ("scalar", loc, "", NULL, False, 0))
    cls = raw.id  # "scalar", "sequence" or "mapping" (PyYAML's node kinds)
    if cls == "scalar":
        value = raw.value
        escaped = raw.style == '"'
        if len(value) > MAX_SCALAR_CHARS:
            problems.add(loc, f"tekst is te lang ({len(value)} tekens; maximaal {MAX_SCALAR_CHARS})")
            value = value[:MAX_SCALAR_CHARS]
        elif (words or escaped) and LONG_WORD_RE.search(value):
            problems.add(
                loc,
                f"woord van meer dan {MAX_WORD_CHARS} tekens zonder spatie",
                "breek het op; zo'n woord past op geen bladzijde",
            )
        if escaped and CONTROL_RE.search(value):
            problems.add(
                loc,
                control_character(value) + " is niet toegestaan",
                "verwijder het; alleen gewone tekst, tabs en regeleinden",
            )
            value = CONTROL_RE.sub("", value)
        return _new(Node, ("scalar", loc, value, tag, raw.style in _QUOTED, raw.end_mark.line + 1))
    if cls == "sequence":
        return _new(
            Node,
            (
                "seq",
                loc,
                [_convert(path, item, problems, seen, depth + 1, words) for item in raw.value],
                tag,
                False,
                raw.end_mark.line + 1,
            ),
        )
    assert cls == "mapping"
    pairs: list[tuple[Node, Node]] = []
    keys: dict[str, Location] = {}
    for kraw, vraw in raw.value:
        k = _convert(path, kraw, problems, seen, depth + 1, words)
        v = _convert(path, vraw, problems, seen, depth + 1, words)
        if k.kind != "scalar":
            problems.add(k.location, "een sleutel moet tekst zijn")
            continue
        if "\n" in str(k.value) or "\r" in str(k.value):
            problems.add(k.location, "sleutel bevat een regeleinde")
            continue
        key = str(k.value)
        if key in keys:
            problems.add(k.location, f"dubbele sleutel '{key}' (eerder op regel {keys[key].line})")
            continue
        keys[key] = k.location
        pairs.append((k, v))
    return _new(Node, ("map", loc, pairs, tag, False, raw.end_mark.line + 1))


def read_file(path_on_disk, shown_path: str) -> Parsed:
    parsed = Parsed(shown_path, None)
    try:
        size = os.path.getsize(path_on_disk)
        if size > MAX_FILE_BYTES:
            mb = f"{size / 1_000_000:.1f}".replace(".", ",")
            parsed.problems.add(Location(shown_path), f"bestand is te groot ({mb} MB; maximaal 1 MB)")
            return parsed
        with open(path_on_disk, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        parsed.problems.add(Location(shown_path), f"bestand kan niet gelezen worden: {exc.strerror}")
        return parsed
    result = parse_bytes(shown_path, data)
    result.digest = hashlib.sha1(data).hexdigest()
    return result
