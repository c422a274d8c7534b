"""Every content file validates against the JSON Schema an editor uses for it, so the schemas
(VS Code autocompletion and errors while typing) and the loader cannot drift apart.

The mapping from content glob to schema is read from `.vscode/settings.json`: the same file
that wires the editor, so a file kind the editor does not know fails here too."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpers import REPO

SETTINGS = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
MAPPING = SETTINGS["yaml.schemas"]


class _DecimalLoader(yaml.SafeLoader):
    """Reads YAML as an editor sees it: numbers exactly (Decimal, so cents are checked without
    float artefacts), dates as the text typed (JSON has no date type)."""


def _decimal(loader, node):
    return Decimal(loader.construct_scalar(node))


def _text(loader, node):
    return loader.construct_scalar(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _text)


def _load_yaml(text: str):
    return yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass


def _validator(schema_path: str):
    schema = json.loads((REPO / schema_path).read_text(encoding="utf-8"), parse_float=Decimal)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(json.loads((REPO / schema_path).read_text(encoding="utf-8")))
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _files():
    for schema_path, globs in MAPPING.items():
        for glob in globs:
            for path in sorted(REPO.glob(glob)):
                yield schema_path, path


def _errors(validator, data) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}" for e in validator.iter_errors(data)
    )


def test_every_content_file_kind_has_a_schema_in_the_editor_settings():
    mapped = {path for _schema, path in _files()}
    yml = {p for p in (REPO / "content").rglob("*.yml")}
    assert yml - mapped == set(), "content files without a schema in .vscode/settings.json"
    for schema_path in MAPPING:
        schema = json.loads((REPO / schema_path).read_text(encoding="utf-8"))
        assert schema["$id"].startswith("urn:productenboek:schema:")


def test_every_content_file_validates_against_its_schema():
    validators = {schema_path: _validator(schema_path) for schema_path in MAPPING}
    problems = []
    count = 0
    for schema_path, path in _files():
        count += 1
        data = _load_yaml(path.read_text(encoding="utf-8"))
        problems += [f"{path.relative_to(REPO)}: {msg}" for msg in _errors(validators[schema_path], data)]
    assert count > 200  # 248 files in the real content today
    assert problems == []


def test_schema_rejects_a_typo_key_and_a_third_decimal():
    validator = _validator("./schema/product.schema.json")
    product = REPO / "content" / "regios" / "groningen" / "producten" / "45A49.yml"
    data = _load_yaml(product.read_text(encoding="utf-8"))
    assert _errors(validator, data) == []

    typo = dict(data, naaam=data["naam"])
    assert any("naaam" in e for e in _errors(validator, typo))

    tariffs = [dict(data["tarieven"][0], bedrag=Decimal("21.055"))]
    assert any("multiple of" in e for e in _errors(validator, dict(data, tarieven=tariffs)))
    # A float-unfriendly but valid amount (276.9 is not exact in binary) passes.
    tariffs = [dict(data["tarieven"][0], bedrag=Decimal("276.9"))]
    assert _errors(validator, dict(data, tarieven=tariffs)) == []


@pytest.mark.parametrize("value", ["2025-13-01", "morgen"])
def test_schema_rejects_a_date_that_is_no_date(value):
    validator = _validator("./schema/product.schema.json")
    data = _load_yaml(
        (REPO / "content" / "regios" / "groningen" / "producten" / "45A49.yml").read_text("utf-8")
    )
    errors = _errors(validator, dict(data, geldig_vanaf=value))
    assert errors, value


def test_schemas_are_the_generated_ones():
    from productenboek.reference import schema_texts

    for name, text in schema_texts().items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == text, name


def test_vscode_recommends_the_yaml_extension():
    rec = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in rec["recommendations"]
    assert all(Path(REPO / p).is_file() for p in MAPPING)
