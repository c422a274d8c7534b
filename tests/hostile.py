"""A region whose every text field holds hostile text, generated from the model's declarations.

Starting from the valid sample region (tests/fixtures/valid), every free-text field that a model
class declares with fld() -- a `str` or a list of `str` without a pattern or a reference -- gets
its own hostile value, with a marker (Hx001, Hx002, ...) that says which field it is. Items the
sample does not have are generated from the declarations, so a new field or class is covered
without touching this file.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal
from pathlib import Path

import yaml

from productenboek import model
from productenboek.schema import Item, fields_of

# Every kind of attack in one line: HTML/script, an entity-encoded break-out of <title>, a
# javascript: link, Markdown, Jinja, Typst, emoji, right-to-left override and zero-width chars.
PAYLOAD = (
    "<script>window.__pwned=1</script> &lt;/title&gt;&lt;img src=x onerror=window.__pwned=2&gt; "
    "</title><img src=x onerror=window.__pwned=3> [klik](javascript:window.__pwned=4) **vet** _schuin_ "
    '{{ 7*7 }} {% if 1 %}ja{% endif %} #sys.inputs #eval("1+1") $x^2$ \\emph{t} 😀🇳🇱 '
    "\u202eRTL\u202c zero\u200bwidth\u200djoin"
)

# In a chapter (Markdown by design) a javascript: link is a check error (tests/bad_input/79_hoofdstuk_javascript_link).
CHAPTER_PAYLOAD = PAYLOAD.replace("(javascript:window.__pwned=4)", "(https://example.org/)")

# Text fields whose value is checked against a list (not free text): they keep a valid value.
NOT_FREE_TEXT = {
    ("Tariff", "eenheid"): "uur",  # a key of codelijsten/eenheid.yml
    ("Tariff", "per"): "jeugdige <b>x</b> 😀",  # check refuses a sentence here: short, still markup and emoji
    ("Bron", "document"): "voorbeeld.txt",  # a file name in bronnen/
    ("SourceDocument", "document"): "voorbeeld.txt",
    ("Code", "code"): None,  # the code itself (kept from the repository's lists)
    ("Code", "sleutel"): None,
    ("Combinations", "niet_met"): None,  # product ids
    ("Combinations", "alleen_met"): None,
    ("Discipline", "eenheden"): ["uur"],  # keys of codelijsten/eenheid.yml
    ("Restriction", "gemeente"): None,  # one of the region's gemeenten (set in make_hostile)
    ("CombinationScope", "gemeente"): None,  # likewise
    ("Product", "afgeleid"): None,  # keys of the product itself
}

# A one-pixel PNG for the chapter image that is allowed (the region's own afbeeldingen/).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def _unwrap(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _item_class(tp):
    return tp if isinstance(tp, type) and issubclass(tp, Item) else None


class Poisoner:
    """Fills text fields with numbered hostile values; remembers which marker is which field."""

    def __init__(self, refs: dict[str, str]):
        self.refs = refs
        self.fields: dict[str, str] = {}  # marker -> "Class.key"
        self.values: dict[str, str] = {}  # marker -> full value
        self.fixed: dict[tuple[str, str], object] = {}

    def value(self, where: str) -> str:
        marker = f"Hx{len(self.fields) + 1:03d}"
        self.fields[marker] = where
        self.values[marker] = f"{marker} {PAYLOAD}"
        return self.values[marker]

    def poison(self, cls, data: dict | None, depth: int = 0) -> dict:
        data = dict(data or {})
        for _name, f, tp in fields_of(cls):
            key, meta = f.metadata["key"], f.metadata
            tp = _unwrap(tp)
            origin = typing.get_origin(tp)
            inner = _unwrap(typing.get_args(tp)[0]) if origin is tuple else None
            where = f"{cls.__name__}.{key}"
            if (cls.__name__, key) in NOT_FREE_TEXT:
                fixed = self.fixed.get((cls.__name__, key), NOT_FREE_TEXT[(cls.__name__, key)])
                if fixed is not None and (key in data or meta["required"]):
                    data[key] = fixed
                continue
            if meta["pattern"] or meta["ref"]:
                if key not in data and meta["required"]:
                    data[key] = self.refs[meta["ref"]] if meta["ref"] else "x1"
                continue
            if tp is str:
                data[key] = self.value(where)
            elif origin is tuple and inner is str:
                data[key] = [self.value(where)]
            elif _item_class(tp):
                data[key] = self.poison(tp, data.get(key), depth + 1)
            elif origin is tuple and _item_class(inner):
                items = data.get(key) or ([{}] if depth < 2 or inner is not cls else [])
                if items:
                    data[key] = [self.poison(inner, it, depth + 1) for it in items]
            elif key not in data and meta["required"]:
                data[key] = _valid(tp)
        return data


def _valid(tp):
    if typing.get_origin(tp) is typing.Literal:
        return typing.get_args(tp)[0]
    return {int: 1, bool: False, Decimal: 1, dt.date: dt.date(2025, 1, 1)}.get(tp, "x")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


CHAPTER = """# Hoofdstuk {marker} {payload}

Gewone alinea met een [veilige link](https://example.org/) en een afbeelding uit de regio:

![logo {marker}](afbeeldingen/logo.png){{: onload="window.__pwned=5" style="width:9999px" }}

Een alinea met attributen.
{{: onmouseover="window.__pwned=6" style="position:fixed" }}

<script>window.__pwned=7</script>
<img src=x onerror="window.__pwned=8">
<a href="javascript:window.__pwned=9">rauwe link</a>

## Kop {payload}

{{{{ 7*7 }}}} #sys.inputs #import "/etc/passwd" 😀 \u202eRTL\u202c zero\u200bwidth

Voetnoot.[^1]

[^1]: Een voetnoot met {payload}
"""


def make_hostile(content: Path) -> Poisoner:
    """Poison the sample region in content/ (made by helpers.make_content) and the code lists."""
    region_dir = content / "regios" / "voorbeeld"
    regio = _load(region_dir / "regio.yml")
    refs = {
        "product": "45A01",
        "kernbeding": "intake",
        "segment": "ambulant",
        "productgroep": "ambulant",
        "perceel": "p1",
        "discipline": "d1",
        "zorgvorm": "z1",
        "hoofdvorm": "h1",
        "doel": "g1",
    }
    p = Poisoner(refs)
    regio.setdefault("percelen", [{"id": "p1", "naam": "x"}])
    regio.setdefault("disciplines", [{"id": "d1", "naam": "x"}])
    regio = p.poison(model.Region, regio)
    _dump(region_dir / "regio.yml", regio)
    p.fixed[("Restriction", "gemeente")] = regio["gemeenten"][0]  # hostile too, and known
    p.fixed[("CombinationScope", "gemeente")] = regio["gemeenten"][0]
    for f in sorted((region_dir / "producten").glob("*.yml")):
        _dump(f, p.poison(model.Product, _load(f)))
    for f in sorted((region_dir / "kernbedingen").glob("*.yml")):
        _dump(f, p.poison(model.Kernbeding, {**_load(f), "code_status": "zoals_gedrukt"}))
    _dump(
        region_dir / "segmenten" / "ambulant.yml",
        p.poison(
            model.SegmentDetail,
            {"effectketen": [{"id": "g1", "niveau": "input"}], "randvoorwaarden": [{"id": "r1"}]},
        ),
    )
    _dump(
        region_dir / "segmentoverstijgend.yml",
        p.poison(model.CrossTopics, {"onderwerpen": [{"id": "o1", "segmenten": ["ambulant"]}]}),
    )
    for f in sorted((content / "codelijsten").glob("*.yml")):
        _dump(f, p.poison(model.CodeList, _load(f)))
    national = content / "landelijk"
    _dump(
        national / "structuur.yml",
        p.poison(
            model.National,
            {
                "hoofdvormen": [{"id": "h1"}],
                "beslisbomen": [{"id": "t1", "hoofdvorm": "h1", "vragen": [{}]}],
                "ontwerpcriteria": [{"id": "c1"}],
                "aanbevelingen": [{"id": "c2"}],
                "begrippen": [{}],
            },
        ),
    )
    _dump(national / "zorgvormen" / "z1.yml", p.poison(model.CareForm, {"hoofdvorm": "h1"}))
    for f in sorted((region_dir / "hoofdstukken").glob("*.md")):
        f.unlink()
    marker = "Hx999"
    p.fields[marker] = "Chapter.markdown"
    p.values[marker] = f"Hoofdstuk {marker} {CHAPTER_PAYLOAD}"  # the chapter's title
    (region_dir / "hoofdstukken" / "01-vijandig.md").write_text(
        CHAPTER.format(marker=marker, payload=CHAPTER_PAYLOAD), encoding="utf-8"
    )
    (region_dir / "afbeeldingen").mkdir(exist_ok=True)
    (region_dir / "afbeeldingen" / "logo.png").write_bytes(PNG)
    return p


def text_fields() -> list[str]:
    """Every declared free-text field, 'Class.key', from the model."""
    out = []
    for name in dir(model):
        cls = getattr(model, name)
        if (
            not (isinstance(cls, type) and issubclass(cls, Item) and dataclasses.is_dataclass(cls))
            or cls is Item
        ):
            continue
        for _n, f, tp in fields_of(cls):
            tp = _unwrap(tp)
            inner = _unwrap(typing.get_args(tp)[0]) if typing.get_origin(tp) is tuple else None
            if (
                (tp is str or inner is str)
                and not f.metadata["pattern"]
                and not f.metadata["ref"]
                and (cls.__name__, f.metadata["key"]) not in NOT_FREE_TEXT
            ):
                out.append(f"{cls.__name__}.{f.metadata['key']}")
    return sorted(out)
