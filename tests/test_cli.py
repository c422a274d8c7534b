"""The command line as people use it: check, new, usage errors, generated reference."""

import json
import shutil

from helpers import REPO, make_content, run_cli
from productenboek import model
from productenboek.reference import markdown, schema_texts
from productenboek.schema import fields_of


def test_check_on_the_repository_content_passes():
    code, _, err = run_cli(["check"], REPO)
    assert code == 0, err
    assert "in orde: 4 regio's, 150 producten, 50 kernbedingen, 32 landelijke zorgvormen" in err


def test_open_points_name_each_placeholder_with_its_location():
    code, out, err = run_cli(["check", "--open-points", "--regio", "holland-rijnland"], REPO)
    assert code == 0, err
    lines = out.splitlines()
    pm = [ln for ln in lines if "Centrale Intake" in ln and ln.endswith(": [PM]")]
    assert len(pm) == 2
    assert all(
        ln.startswith("content/regios/holland-rijnland/kernbedingen/centrale-intake.yml:") for ln in pm
    )


def test_new_product_skeleton_passes_check_once_filled(tmp_path):
    make_content(tmp_path)
    code, out, err = run_cli(["new", "product", "voorbeeld", "45A77", "--content", "content"], tmp_path)
    assert code == 0, err
    path = tmp_path / out.strip()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Nieuw product") and "code: 45A77" in text
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1 and "45A77.yml:4:7: 'naam' is leeg" in err
    path.write_text(
        text.replace('naam: ""', "naam: Nieuwe begeleiding").replace('doelgroep: ""', "doelgroep: Jeugdigen"),
        encoding="utf-8",
    )
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 0, err
    code, _, err = run_cli(["new", "product", "voorbeeld", "45A77", "--content", "content"], tmp_path)
    assert code == 2 and "bestaat al" in err


def test_usage_errors_exit_2_in_dutch(tmp_path):
    make_content(tmp_path)
    for args, message in (
        (["pdf", "../.."], "ongeldige regionaam '../..'"),
        (["waswordt", "nergens"], "onbekende regio 'nergens' (bekend: voorbeeld)"),
        (["check", "--onbekend"], "verkeerd gebruik"),
        (["new", "product", "voorbeeld", "Foo Bar"], "ongeldige code of id"),
        (["site", "--alleen", "../.."], "ongeldige regionaam '../..'"),
        (["site", "--alleen", "nergens"], "onbekende regio 'nergens' (bekend: voorbeeld)"),
        (["site", "--alleen", "voorbeeld", "--portaal-uit", "x"], "verkeerd gebruik"),
    ):
        code, _, err = run_cli([*args, "--content", "content"], tmp_path)
        assert code == 2, args
        assert message in err and "Traceback" not in err
    assert run_cli(["check", "--content", "bestaat-niet"], tmp_path)[0] == 1


def test_regios_lists_the_regions_as_json_for_the_build_matrix(tmp_path):
    make_content(tmp_path)
    shutil.copytree(tmp_path / "content/regios/voorbeeld", tmp_path / "content/regios/tweede")
    code, out, err = run_cli(["regios", "--content", "content"], tmp_path)
    assert code == 0 and json.loads(out) == ["tweede", "voorbeeld"], err
    (tmp_path / "content/regios/Foute Naam").mkdir()
    code, out, err = run_cli(["regios", "--content", "content"], tmp_path)
    assert code == 1 and "ongeldige regionaam 'Foute Naam'" in err and out == ""
    code, out, err = run_cli(["regios", "--content", "content/regios"], tmp_path)
    assert code == 1 and "geen regio's gevonden" in err and out == ""


def test_every_field_is_documented_and_the_schemas_are_current():
    for cls in vars(model).values():
        if isinstance(cls, type) and hasattr(cls, "__dataclass_fields__"):
            for _name, f, _tp in fields_of(cls):
                assert f.metadata["help"].strip(), f"{cls.__name__}.{f.metadata['key']} has no help text"
    for name, text in schema_texts().items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == text, (
            f"schema/{name} is stale: run make schema"
        )
    assert (REPO / "docs" / "inhoudsmodel.md").read_text(encoding="utf-8") == markdown()
    product = json.loads((REPO / "schema" / "product.schema.json").read_text(encoding="utf-8"))
    assert product["additionalProperties"] is False and "naam" in product["required"]


def test_fmt_check_passes_on_the_repository():
    code, _, err = run_cli(["fmt", "--check"], REPO)
    assert code == 0, err


def test_serve_sync_touches_only_changed_files(tmp_path):
    import os

    from productenboek.outputs.serve import sync_project

    project = tmp_path / "p"
    sync_project(project, {"index.md": "# A\n", "x/b.md": "# B\n", "weg.md": "oud"}, "{}", {})
    before = (project / "docs/index.md").stat().st_mtime_ns
    os.utime(project / "docs/index.md", ns=(before - 10**9, before - 10**9))
    sync_project(project, {"index.md": "# A\n", "x/b.md": "# B gewijzigd\n"}, "{}", {})
    assert (project / "docs/index.md").stat().st_mtime_ns == before - 10**9  # unchanged: not rewritten
    assert (project / "docs/x/b.md").read_text() == "# B gewijzigd\n"
    assert not (project / "docs/weg.md").exists()
