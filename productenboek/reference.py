"""Generated reference for content editors: JSON Schemas (for editor autocompletion) and a
Markdown page listing every key with its help text. Both come from the model declarations."""

from __future__ import annotations

import dataclasses
import json
import typing

from . import model
from .schema import _describe, _unwrap_optional, fields_of, json_schema

SCHEMAS = {
    "product": (model.Product, "Product (content/regios/<regio>/producten/<id>.yml)"),
    "kernbeding": (model.Kernbeding, "Kernbeding (content/regios/<regio>/kernbedingen/<id>.yml)"),
    "regio": (model.Region, "Regio (content/regios/<regio>/regio.yml)"),
    "zorgvorm": (model.CareForm, "Landelijke zorgvorm (content/landelijk/zorgvormen/<id>.yml)"),
    "landelijk": (model.National, "Landelijke structuur (content/landelijk/structuur.yml)"),
    "codelijst": (model.CodeList, "Codelijst (content/codelijsten/*.yml)"),
    "segment": (
        model.SegmentDetail,
        "Effectketen en randvoorwaarden (content/regios/<regio>/segmenten/<segment>.yml)",
    ),
    "segmentoverstijgend": (
        model.CrossTopics,
        "Segmentoverstijgende onderwerpen (content/regios/<regio>/segmentoverstijgend.yml)",
    ),
}


def schema_texts() -> dict[str, str]:
    return {
        f"{name}.schema.json": json.dumps(json_schema(cls, title, name), ensure_ascii=False, indent=2) + "\n"
        for name, (cls, title) in SCHEMAS.items()
    }


def markdown() -> str:
    lines = [
        "# Inhoudsmodel",
        "",
        "Gegenereerd uit `productenboek/model.py` (`make schema`); niet met de hand bewerken.",
        "",
    ]
    done: set[type] = set()
    queue = [cls for cls, _ in SCHEMAS.values()]
    while queue:
        cls = queue.pop(0)
        if cls in done:
            continue
        done.add(cls)
        lines += [
            f"## {cls.__name__}",
            "",
            (cls.__doc__ or "").strip(),
            "",
            "| sleutel | soort | verplicht | betekenis |",
            "|---|---|---|---|",
        ]
        for _name, f, tp in fields_of(cls):
            inner = _unwrap_optional(tp)
            if typing.get_origin(inner) is tuple:
                inner = typing.get_args(inner)[0]
            if isinstance(inner, type) and dataclasses.is_dataclass(inner):
                queue.append(inner)
                kind = f"[{inner.__name__}](#{inner.__name__.lower()})" + (
                    " (lijst)" if typing.get_origin(_unwrap_optional(tp)) is tuple else ""
                )
            else:
                kind = _describe(tp)
            required = "ja" if f.metadata.get("required") else ""
            lines.append(f"| `{f.metadata['key']}` | {kind} | {required} | {f.metadata['help']} |")
        lines.append("")
    return "\n".join(lines)
