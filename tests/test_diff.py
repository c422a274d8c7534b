"""`diff` on temporary git repositories: each kind of change gives exactly the expected report."""

import subprocess
from pathlib import Path

import pytest

from helpers import make_content, run_cli

P = Path("content/regios/voorbeeld/producten")
K = Path("content/regios/voorbeeld/kernbedingen")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    make_content(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "basis")
    return tmp_path


def edit(repo: Path, rel: Path, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def report(repo: Path, *extra: str) -> str:
    code, out, err = run_cli(["diff", "main", *extra, "--content", "content"], repo)
    assert code == 0, err
    return out


HEADER = "## Inhoudelijke wijzigingen (main → werkmap)\n\n"
OK = "`check` op de nieuwe versie: in orde.\n"


def test_tariff_change(repo):
    edit(repo, P / "45A01.yml", "bedrag: 70.00", "bedrag: 72.10")
    assert report(repo) == HEADER + (
        "### Voorbeeldregio\n\n"
        "- Product **45A01 Begeleiding individueel**\n"
        "  - tarief: € 70,00 → € 72,10 (+3,0 %) per uur ⚠️ geen nieuwe `geldig_vanaf`\n\n" + OK
    )


def test_large_tariff_change_with_new_date_warns_only_about_size(repo):
    edit(repo, P / "45A01.yml", "    eenheid: uur\n", "    eenheid: uur\n    geldig_vanaf: 2026-01-01\n")
    edit(repo, P / "45A01.yml", "bedrag: 70.00", "bedrag: 84.00")
    out = report(repo)
    assert "€ 70,00 → € 84,00 (+20,0 %) per uur ⚠️ wijziging groter dan 10 %\n" in out
    assert "geldig_vanaf" not in out.split("tarief:")[1].split("\n")[0]


def test_renamed_product(repo):
    edit(repo, P / "43A01.yml", "naam: Verblijf licht", "naam: Verblijf licht (open)")
    assert report(repo) == HEADER + (
        "### Voorbeeldregio\n\n"
        "- Product **43A01 Verblijf licht (open)** (hernoemd, was: Verblijf licht)\n\n" + OK
    )


def test_added_and_removed_product(repo):
    (repo / P / "45A03.yml").write_text(
        "code: 45A03\nnaam: Gezinsbegeleiding\nwet: jeugdwet\nproductgroep: ambulant\n", encoding="utf-8"
    )
    (repo / P / "43A01.yml").unlink()
    edit(
        repo,
        Path("content/regios/voorbeeld/regio.yml"),
        "[45A01, 45A02, 43A01, nieuw-product]",
        "[45A01, 45A02, nieuw-product, 45A03]",
    )
    assert report(repo) == HEADER + (
        "### Voorbeeldregio\n\n"
        "- Product **verwijderd**: 43A01 Verblijf licht\n"
        "- Product **toegevoegd**: 45A03 Gezinsbegeleiding\n"
        "- Gevolgen voor de was-wordt lijst:\n"
        "  - Contract Jeugd: Verblijf licht: Houden → niet meer in de lijst\n"
        "  - Contract Jeugd: Gezinsbegeleiding: niet in de lijst → Houden\n\n" + OK
    )


def test_reordered_keys_and_comments_are_no_change(repo):
    path = repo / P / "43A01.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("# een commentaar\n" + lines[1] + lines[0] + "".join(lines[2:]), encoding="utf-8")
    edit(repo, P / "45A01.yml", "volgorde: 1\n", "volgorde: 1  # eerste\n")
    assert report(repo) == HEADER + "Geen inhoudelijke wijzigingen.\n" + OK


def test_kernbeding_clause_edit(repo):
    edit(
        repo,
        K / "intake.yml",
        "Iedere jeugdige krijgt een intake.",
        "Iedere jeugdige krijgt binnen twee weken een intake.",
    )
    assert report(repo) == HEADER + (
        "### Voorbeeldregio\n\n"
        "- Kernbeding **Intake**\n"
        "  - clausule 1): Iedere jeugdige krijgt **binnen twee weken** een intake.\n\n" + OK
    )


def test_broken_head_is_reported_and_fails(repo):
    edit(repo, P / "45A01.yml", "eenheid: uur", "eenheid: uurr")
    code, out, err = run_cli(["diff", "main", "--content", "content"], repo)
    assert code == 1
    assert "`check` op de nieuwe versie: **faalt** (1 problemen)." in out
    assert "content/regios/voorbeeld/producten/45A01.yml:14:14: onbekende eenheid 'uurr'" in out


def test_json_format(repo):
    import json

    edit(repo, P / "45A01.yml", "bedrag: 70.00", "bedrag: 72.10")
    data = json.loads(report(repo, "--format", "json"))
    item = data["regions"][0]["items"][0]
    assert (item["id"], item["tariffs"][0]["old"], item["tariffs"][0]["new"]) == (
        "45A01",
        "€ 70,00",
        "€ 72,10",
    )


def test_unknown_revision_is_a_usage_error(repo):
    code, _, err = run_cli(["diff", "bestaat-niet", "--content", "content"], repo)
    assert code == 2 and "onbekende git-versie 'bestaat-niet'" in err
