"""The published descriptions of the open data files, generated from the declared columns in
datatable.py: a JSON Schema per JSON file and a Frictionless data package for all files."""

from __future__ import annotations

import re

from .datatable import TABLES, Column, Table
from .lifecycle import NOT_STATED

LICENCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")  # an SPDX / Open Definition id such as CC-BY-4.0


# -- JSON Schema ----------------------------------------------------------------------------


def _json_type(c: Column) -> dict:
    nullable = not c.required
    if c.type == "array":
        if c.items:
            item = {
                "type": "object",
                "properties": {i.key: {"description": i.help, **_json_type(i)} for i in c.items},
                "required": [i.key for i in c.items],
                "additionalProperties": False,
            }
        else:
            item = {"type": c.item_type or "string"}
        return {"type": "array", "items": item}
    out: dict = {}
    if c.type == "integer":
        out["type"] = ["integer", "null"] if nullable else "integer"
        out["minimum"] = 0
        return out
    # strings, amounts (decimal strings, never floats) and dates (ISO 8601 strings)
    out["type"] = ["string", "null"] if nullable else "string"
    if c.type == "date":
        out["format"] = "date"
        out["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    if c.pattern:
        out["pattern"] = f"^(?:{c.pattern})$"
    if c.enum:
        out["enum"] = [*c.enum, *([None] if nullable else [])]
    if not c.enum and c.type == "string" and c.required:
        out["minLength"] = 1
    return out


def json_schema(table: Table) -> dict:
    """JSON Schema (draft 2020-12) of <table>.json: an array of rows."""
    row = {
        "type": "object",
        "properties": {c.key: {"description": c.help, **_json_type(c)} for c in table.columns},
        "required": [c.key for c in table.columns],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{table.title} ({table.name}.json)",
        "description": table.description,
        "type": "array",
        "items": row,
    }


# -- Frictionless ----------------------------------------------------------------------------


def _field(c: Column) -> dict:
    f: dict = {"name": c.key, "type": c.type, "description": c.help}
    if c.type == "date":
        f["format"] = "default"  # ISO 8601, JJJJ-MM-DD
    if c.type == "number":
        f["decimalChar"] = "."
        f["bareNumber"] = True
    if c.unit:
        f["unit"] = c.unit  # custom property: the currency of an amount
    constraints: dict = {}
    if c.required:
        constraints["required"] = True
    if c.pattern and c.type == "string":
        constraints["pattern"] = c.pattern
    if c.enum:
        constraints["enum"] = list(c.enum)
    if constraints:
        f["constraints"] = constraints
    return f


def table_schema(table: Table) -> dict:
    return {
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }


def licences(text: str | None) -> list[dict]:
    """Frictionless `licenses`: only when the configured licence is an identifier (never invented)."""
    if text and LICENCE_ID.fullmatch(text.strip()):
        return [{"name": text.strip()}]
    return []


def datapackage(
    name: str, title: str, description: str, licence: str | None, created: str, counts: dict[str, int]
) -> dict:
    """The data package of one folder of open data files (a region's, or the national one).
    An empty JSON file is left out: Frictionless cannot read the columns of `[]` (its CSV,
    with the header, is listed)."""
    resources = []
    for t in TABLES:
        schema = table_schema(t)
        resources.append(
            {
                "name": t.name,
                "title": t.title,
                "description": t.description,
                "path": f"{t.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ";", "lineTerminator": "\r\n"},
                "schema": schema,
            }
        )
        if not counts.get(t.name):
            continue
        resources.append(
            {
                "name": f"{t.name}-json",
                "title": f"{t.title} (JSON)",
                "description": t.description,
                "path": f"{t.name}.json",
                "profile": "tabular-data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    out: dict[str, object] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "created": created,
    }
    lic = licences(licence)
    if lic:
        out["licenses"] = lic
    out["licentie"] = (licence or "").strip() or NOT_STATED  # as configured, also when it is free text
    out["resources"] = resources
    return out
