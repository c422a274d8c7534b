"""`publiceer` refuses what must not become a version: failing content, a dirty tree, a
version that exists or is not higher; and a region's label follows its tags."""

import pytest

from helpers import git, make_content, run_cli
from productenboek import versions


@pytest.fixture
def repo(tmp_path):
    make_content(tmp_path)
    (tmp_path / ".gitignore").write_text(".cache/\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "basis")
    return tmp_path


def publiceer(repo, versie):
    return run_cli(["publiceer", "voorbeeld", versie, "--content", "content"], repo)


def test_label_follows_the_tags(repo):
    versions.forget()
    assert versions.label(repo / "content", "voorbeeld") == "concept"
    code, _out, err = publiceer(repo, "2026.1")
    assert code == 0, err
    assert "gepubliceerd: Voorbeeldregio versie 2026.1 (tag voorbeeld/2026.1)" in err
    assert versions.label(repo / "content", "voorbeeld") == "2026.1"
    product = repo / "content" / "regios" / "voorbeeld" / "producten" / "45A01.yml"
    product.write_text(
        product.read_text(encoding="utf-8").replace("bedrag: 70.00", "bedrag: 72.00"), encoding="utf-8"
    )
    assert versions.label(repo / "content", "voorbeeld") == "concept na 2026.1"  # uncommitted
    git(repo, "commit", "-qam", "tarief")
    assert versions.label(repo / "content", "voorbeeld") == "concept na 2026.1"  # committed, not published
    assert publiceer(repo, "2026.2")[0] == 0
    [entry, first] = versions.version_history(repo / "content", "voorbeeld")
    assert (entry.name, first.name) == ("2026.2", "2026.1")
    assert entry.summary == "1 tariefwijziging (+2,9 %), 1 product gewijzigd"
    assert entry.lines == ["45A01 Begeleiding individueel: tarief € 70,00 → € 72,00 (+2,9 %)"]
    assert first.summary.startswith("eerste versie: 4 producten")


def test_refuses_failing_content_without_tagging(repo):
    product = repo / "content" / "regios" / "voorbeeld" / "producten" / "45A01.yml"
    product.write_text(
        product.read_text(encoding="utf-8").replace("eenheid: uur", "eenheid: uurtje"), encoding="utf-8"
    )
    git(repo, "commit", "-qam", "fout")
    code, _out, err = publiceer(repo, "2026.1")
    assert code == 1 and "onbekende eenheid 'uurtje'" in err
    assert git(repo, "tag", "-l") == ""


def test_refuses_dirty_tree_existing_and_lower_versions(repo):
    (repo / "notitie.txt").write_text("x")
    code, _out, err = publiceer(repo, "2026.1")
    assert code == 2 and "niet-vastgelegde wijziging" in err
    (repo / "notitie.txt").unlink()
    assert publiceer(repo, "2026.2")[0] == 0
    code, _out, err = publiceer(repo, "2026.2")
    assert code == 2 and "bestaat al" in err
    code, _out, err = publiceer(repo, "2026.1")
    assert code == 2 and "niet hoger" in err
    code, _out, err = publiceer(repo, "v1")
    assert code == 2 and "ongeldige versie" in err
    assert git(repo, "tag", "-l").split() == ["voorbeeld/2026.2"]
