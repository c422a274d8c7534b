"""Declared fields: one declaration gives the Dutch YAML key, the help text, the type check,
the JSON Schema and the documentation.

Model classes are frozen dataclasses whose fields are declared with ``fld(...)``. Python
attribute names are English; ``key`` is the Dutch YAML key (the glossary between the two).
``build(cls, node, ...)`` turns a YAML node into an instance, reporting every problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from .errors import Location, Problems
from .yamlsource import CORE, Node

MONEY_RE = re.compile(r"^\d+(\.\d{1,2})?$")


def fld(
    key: str, help: str, *, required: bool = False, default=None, pattern: str = "", ref: str = ""
) -> Any:
    """Declare a content field. ``ref`` names what a reference must resolve to (documentation).

    Returns a ``dataclasses.Field``, typed as ``Any`` on purpose: like ``dataclasses.field`` it
    stands in for the attribute's value in the class body (``naam: str = fld(...)``), so type
    checkers must accept it for every annotated type."""
    meta = {"key": key, "help": help, "required": required, "pattern": pattern, "ref": ref}
    if isinstance(default, (list, tuple)):
        return dataclasses.field(default=tuple(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class Item:
    """Base of every model class: remembers where each field came from.

    ``locs[""]`` is the Location of the item itself; every other entry (a key, or
    ``key[i]`` for a list item) is a plain (line, column) in the same file. Plain tuples keep
    the cached model small and quick to pickle: there are hundreds of thousands of them."""

    locs: typing.Mapping[str, typing.Any] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def loc(self, key: str = "", index: int | None = None) -> Location:
        own = self.locs.get("") or Location("?")
        at = self.locs.get(f"{key}[{index}]") if index is not None else None
        at = at or (self.locs.get(key) if key else None)
        return Location(own.path, at[0], at[1]) if at else own


@cache
def fields_of(cls) -> tuple[tuple[str, dataclasses.Field, object], ...]:
    """(attribute, field, type) for every declared content field of cls, in order."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, f, hints[f.name]) for f in dataclasses.fields(cls) if "key" in f.metadata)


def _unwrap_optional(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _describe(tp) -> str:
    tp = _unwrap_optional(tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        return "een lijst"
    if origin is typing.Literal:
        return "een van: " + ", ".join(str(a) for a in typing.get_args(tp))
    return {
        str: "tekst",
        int: "een geheel getal",
        bool: "ja/nee (true/false)",
        Decimal: "een bedrag",
        dt.date: "een datum (JJJJ-MM-DD)",
    }.get(tp, "een blok met sleutels")


class Builder:
    """Turns nodes into model instances; all problems go to ``problems``."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def build(self, cls, node: Node):
        if node.kind != "map":
            self.problems.add(node.location, f"verwachtte een blok met sleutels, niet {_kind_nl(node)}")
            return None
        declared = _declared(cls)
        values: dict[str, object] = {}
        locs: dict[str, object] = {"": node.location}
        misspelt: set[str] = set()
        for knode, vnode in typing.cast("list[tuple[Node, Node]]", node.value):
            key = str(knode.value)
            spec = declared.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(declared), n=1, cutoff=0.6)
                hint = f"bedoel je '{close[0]}'?" if close else "toegestaan: " + ", ".join(sorted(declared))
                self.problems.add(knode.location, f"onbekende sleutel '{key}'", hint)
                misspelt.update(close)
                continue
            name, tp, pattern = spec
            locs[key] = vnode.location[1:]
            kind = vnode.kind
            if kind == "seq":
                for i, child in enumerate(typing.cast("list[Node]", vnode.value)):
                    locs[f"{key}[{i}]"] = child.location[1:]
            elif kind == "scalar" and vnode.tag == NULL:
                continue  # an empty value is the same as leaving the key out
            value = self.value(tp, vnode, key, pattern)
            if value is not None:
                values[name] = value
        for key, name in _required(cls):
            if name not in values and key not in locs and key not in misspelt:
                self.problems.add(node.location, f"verplicht veld '{key}' ontbreekt")
        return cls(locs=locs, **values)

    def value(self, tp, node: Node, key: str, pattern: str = ""):
        tp, origin, item_tp = _analyse(tp)
        if origin is tuple:
            if node.kind != "seq":
                if node.kind == "scalar" and _is_text_like(item_tp):
                    # A single value where a list is allowed: accept it as a list of one.
                    one = self.value(item_tp, node, key, pattern)
                    return (one,) if one is not None else None
                self.problems.add(node.location, f"'{key}' moet een lijst zijn, niet {_kind_nl(node)}")
                return None
            out = []
            for child in typing.cast("list[Node]", node.value):
                v = self.value(item_tp, child, key, pattern)
                if v is not None:
                    out.append(v)
            return tuple(out)
        if origin is dataclasses.dataclass:
            return self.build(tp, node)
        if node.kind != "scalar":
            self.problems.add(node.location, f"'{key}' moet {_describe(tp)} zijn, niet {_kind_nl(node)}")
            return None
        text = str(node.value)
        if origin is typing.Literal:
            allowed = typing.get_args(tp)
            if text not in allowed:
                close = difflib.get_close_matches(text, [str(a) for a in allowed], n=1, cutoff=0.6)
                hint = (
                    f"bedoel je '{close[0]}'?"
                    if close
                    else "toegestaan: " + ", ".join(str(a) for a in allowed)
                )
                self.problems.add(node.location, f"ongeldige waarde '{text}' voor '{key}'", hint)
                return None
            return text
        if tp is str:
            if node.tag not in (CORE + "str",) and not node.quoted and node.tag in (CORE + "bool",):
                self.problems.add(
                    node.location, f"'{key}' moet tekst zijn; zet '{text}' tussen aanhalingstekens"
                )
                return None
            if not text.strip():
                self.problems.add(node.location, f"'{key}' is leeg")
                return None
            if pattern and not re.fullmatch(pattern, text):
                self.problems.add(
                    node.location, f"'{text}' heeft niet de juiste vorm voor '{key}'", f"patroon {pattern}"
                )
                return None
            return text
        if tp is bool:
            if node.tag != CORE + "bool":
                self.problems.add(node.location, f"'{key}' moet true of false zijn, niet '{text}'")
                return None
            return text.lower() in ("true", "yes", "on", "y")
        if tp is int:
            if node.tag != CORE + "int":
                self.problems.add(node.location, f"'{key}' moet een geheel getal zijn, niet '{text}'")
                return None
            try:
                return int(text.replace("_", ""), 0) if text.startswith("0x") else int(text.replace("_", ""))
            except ValueError:
                self.problems.add(node.location, f"'{key}' moet een geheel getal zijn, niet '{text}'")
                return None
        if tp is Decimal:
            return self.money(node, key)
        if tp is dt.date:
            return self.date(node, key)
        raise TypeError(f"unsupported field type {tp!r}")  # a programming error, not bad content

    def money(self, node: Node, key: str) -> Decimal | None:
        text = str(node.value).strip()
        if node.tag not in (CORE + "int", CORE + "float"):
            hint = ""
            if re.fullmatch(r"€?\s*[\d.]+,\d{1,2}", text):
                hint = f"schrijf {text.replace('€', '').strip().replace('.', '').replace(',', '.')}"
            self.problems.add(
                node.location,
                f"'{key}' moet een bedrag zijn, niet de tekst '{text}'",
                hint or "schrijf bijvoorbeeld 21.05",
            )
            return None
        if text.startswith("-"):
            self.problems.add(node.location, f"bedrag '{text}' mag niet negatief zijn")
            return None
        if not MONEY_RE.match(text):
            if re.fullmatch(r"\d+\.\d{3,}", text):
                self.problems.add(node.location, f"bedrag '{text}' heeft meer dan 2 decimalen")
            else:
                self.problems.add(
                    node.location, f"'{text}' is geen geldig bedrag", "schrijf bijvoorbeeld 21.05"
                )
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern above already guards this
            self.problems.add(node.location, f"'{text}' is geen geldig bedrag")
            return None

    def date(self, node: Node, key: str) -> dt.date | None:
        text = str(node.value).strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not m:
            hint = "schrijf JJJJ-MM-DD, bijvoorbeeld 2025-01-01"
            d = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
            if d:
                hint = f"schrijf {d.group(3)}-{int(d.group(2)):02d}-{int(d.group(1)):02d}"
            self.problems.add(node.location, f"'{key}' moet een datum zijn, niet '{text}'", hint)
            return None
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            self.problems.add(node.location, f"ongeldige datum '{text}' voor '{key}'")
            return None


NULL = CORE + "null"


@cache
def _declared(cls) -> dict:
    """YAML key -> (attribute, type, pattern) for every declared field of cls."""
    return {f.metadata["key"]: (name, tp, f.metadata.get("pattern", "")) for name, f, tp in fields_of(cls)}


@cache
def _required(cls) -> tuple[tuple[str, str], ...]:
    """(YAML key, attribute) of every required field of cls."""
    return tuple((f.metadata["key"], name) for name, f, _tp in fields_of(cls) if f.metadata.get("required"))


@cache
def _analyse(tp):
    """(type without Optional, its origin, the item type of a tuple); dataclasses get the
    origin `dataclasses.dataclass`."""
    tp = _unwrap_optional(tp)
    if dataclasses.is_dataclass(tp):
        return tp, dataclasses.dataclass, None
    origin = typing.get_origin(tp)
    return tp, origin, typing.get_args(tp)[0] if origin is tuple else None


def _is_text_like(tp) -> bool:
    tp = _unwrap_optional(tp)
    return tp is str or typing.get_origin(tp) is typing.Literal


def _kind_nl(node: Node) -> str:
    if node.kind == "map":
        return "een blok met sleutels"
    if node.kind == "seq":
        return "een lijst"
    return f"de waarde '{node.value}'"


# -- JSON Schema ----------------------------------------------------------------------------

SCHEMA_ID_BASE = "urn:productenboek:schema:"


def json_schema(cls, title: str, name: str = "") -> dict:
    defs: dict[str, dict] = {}
    root = _object_schema(cls, defs)
    ident = {"$id": SCHEMA_ID_BASE + name} if name else {}
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", **ident, "title": title, **root}
    if defs:
        root["$defs"] = dict(sorted(defs.items()))
    return root


def _object_schema(cls, defs: dict) -> dict:
    props = {}
    required = []
    for _name, f, tp in fields_of(cls):
        key = f.metadata["key"]
        props[key] = {
            "description": f.metadata["help"],
            **_type_schema(tp, defs, f.metadata.get("pattern", "")),
        }
        if f.metadata.get("required"):
            required.append(key)
    out = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def _type_schema(tp, defs: dict, pattern: str = "") -> dict:
    tp = _unwrap_optional(tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        item = _type_schema(typing.get_args(tp)[0], defs, pattern)
        return {"type": "array", "items": item}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(tp))}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _object_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if tp is str:
        return {"type": "string", **({"pattern": f"^{pattern}$"} if pattern else {})}
    if tp is int:
        return {"type": "integer"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is Decimal:
        return {"type": "number", "minimum": 0, "multipleOf": 0.01}
    if tp is dt.date:
        return {"type": "string", "format": "date"}
    raise TypeError(tp)
