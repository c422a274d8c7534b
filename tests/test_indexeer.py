"""`indexeer` on a git copy of the real content: new tariff periods, rounding, instalments,
comments kept, canonical YAML, the semantic diff, --dry-run, --alleen/--behalve, dirty trees."""

import shutil
from pathlib import Path

import pytest

from helpers import REPO, git, run_cli

G = Path("content/regios/groningen")


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    path = tmp_path / G / "producten" / "45A49.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("tarieven:\n", "tarieven:  # jaarlijks geïndexeerd\n"),
        encoding="utf-8",
    )
    (tmp_path / ".gitignore").write_text(".cache/\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "basis")
    return tmp_path


def indexeer(repo: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(
        [
            "indexeer",
            "groningen",
            "--percentage",
            "3,2",
            "--per",
            "2027-01-01",
            *extra,
            "--content",
            "content",
        ],
        repo,
    )


def text(repo: Path, code: str) -> str:
    return (repo / G / "producten" / f"{code}.yml").read_text(encoding="utf-8")


def test_indexation_adds_a_period_per_tariff_and_keeps_comments(repo):
    code, out, err = indexeer(repo)
    assert code == 0, err
    assert "55 tarieven geïndexeerd met +3,2 % per 1 januari 2027 in 55 bestand(en)" in err
    assert "niet geïndexeerd, geen bedrag: 49B01" in err
    assert "totaal: € 56.460,65 -> € 58.267,39" in err
    assert "grootste wijziging: 45G27 " in err and "kleinste wijziging: 42A01 " in err
    assert "45A49 Groepsbegeleiding basis: € 21,05 -> € 21,72" in out
    t = text(repo, "45A49")
    assert "tarieven:  # jaarlijks geïndexeerd\n" in t
    assert (
        "  - bedrag: 21.05\n    eenheid: uur\n    per: deelnemende jeugdige\n    geldig_tot: 2026-12-31\n"
        "    bron: {document: 002_f059b9c925501a4f.txt, regel: 1875}\n"
        "  - bedrag: 21.72\n    eenheid: uur\n    per: deelnemende jeugdige\n    geldig_vanaf: 2027-01-01\n"
    ) in t
    # instalments: the new instalment is the new amount / termijnen, rounded to cents
    assert "    bedrag: 9523.50" not in text(repo, "52G14")
    assert "  - bedrag: 9523.50\n" in text(repo, "52G14") and "    termijnbedrag: 793.63\n" in text(
        repo, "52G14"
    )
    assert len(git(repo, "status", "--porcelain").splitlines()) == 55
    assert run_cli(["fmt", "--check", "--content", "content"], repo)[0] == 0
    assert run_cli(["check", "--content", "content"], repo)[0] == 0
    code, out, err = run_cli(["diff", "main", "--content", "content"], repo)
    assert code == 0, err
    lines = [ln for ln in out.splitlines() if "tarief:" in ln]
    assert len(lines) == 55
    assert all("(+3,2 %)" in ln and ln.endswith("vanaf 1 januari 2027") for ln in lines)
    assert (
        "  - tarief: € 21,05 → € 21,72 (+3,2 %) per uur (per deelnemende jeugdige), vanaf 1 januari 2027"
        in lines
    )
    assert "49B01" not in out
    # a second run finds every tariff already indexed from that date
    git(repo, "commit", "-qam", "indexatie")
    code, _out, err = indexeer(repo)
    assert code == 0 and "0 tarieven geïndexeerd" in err
    assert git(repo, "status", "--porcelain") == ""


def test_dry_run_writes_nothing(repo):
    code, out, err = indexeer(repo, "--dry-run")
    assert code == 0, err
    assert "55 tarieven zou indexeren" in err and "--dry-run: er is niets geschreven" in err
    assert "45A49 Groepsbegeleiding basis: € 21,05 -> € 21,72" in out
    assert git(repo, "status", "--porcelain") == ""


def test_only_and_except(repo):
    code, _out, err = indexeer(repo, "--alleen", "45A49", "52G14", "--dry-run")
    assert code == 0 and "2 tarieven zou indexeren" in err
    code, _out, err = indexeer(repo, "--behalve", "45A49", "--dry-run")
    assert code == 0 and "54 tarieven zou indexeren" in err
    code, _out, err = indexeer(repo, "--alleen", "99X99")
    assert code == 2 and "onbekende productcode(s) in --alleen/--behalve: 99X99" in err


@pytest.mark.parametrize(
    "rule,expected", [(None, "23.16"), ("half_even", "23.16"), ("omlaag", "23.15"), ("omhoog", "23.16")]
)
def test_rounding_rule_from_regio_yml(repo, rule, expected):
    # 21,05 x 1,10 = 23,155: exactly half a cent
    if rule:
        path = repo / G / "regio.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "inkoopvorm: Open House\n", f"inkoopvorm: Open House\nafronding: {rule}\n"
            ),
            encoding="utf-8",
        )
        git(repo, "commit", "-qam", "afronding")
    code, _out, err = run_cli(
        [
            "indexeer",
            "groningen",
            "--percentage",
            "10",
            "--per",
            "2027-01-01",
            "--alleen",
            "45A49",
            "--content",
            "content",
        ],
        repo,
    )
    assert code == 0, err
    assert f"  - bedrag: {expected}\n" in text(repo, "45A49")


def test_refuses_uncommitted_changes_unless_forced(repo):
    path = repo / G / "producten" / "45A04.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# notitie\n", encoding="utf-8")
    code, _out, err = indexeer(repo)
    assert code == 2 and "niet-vastgelegde wijzigingen" in err and "--force" in err
    assert "geldig_vanaf" not in text(repo, "45A49")
    code, _out, err = indexeer(repo, "--force")
    assert code == 0 and "55 tarieven geïndexeerd" in err


def test_bad_percentage_and_date(repo):
    assert (
        run_cli(
            ["indexeer", "groningen", "--percentage", "drie", "--per", "2027-01-01", "--content", "content"],
            repo,
        )[0]
        == 2
    )
    code, _out, err = run_cli(
        ["indexeer", "groningen", "--percentage", "3", "--per", "1-1-2027", "--content", "content"], repo
    )
    assert code == 2 and "geen datum JJJJ-MM-DD" in err


def test_help_states_the_rounding_rule():
    from productenboek.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["indexeer"]
    assert "half_omhoog" in sub.format_help() and "termijnbedrag" in sub.format_help()


def test_peildatum_chooses_the_tariff_shown(repo):
    import datetime as dt

    from productenboek.pipeline import gather
    from productenboek.views import region_view

    assert indexeer(repo)[0] == 0
    content = gather(repo / "content", "groningen", use_cache=False)

    def product(day):
        view = region_view(content, "groningen", "", day)
        return next(p for p in view.products if p.code == "45A49")

    before, after = product(dt.date(2026, 12, 31)), product(dt.date(2027, 1, 1))
    facts = {r.label: r.value for r in before.facts}
    assert (
        facts["Maximumtarief"] == "€ 21,05 per uur (per deelnemende jeugdige) (tot en met 31 december 2026)"
    )
    assert facts["Tarief vanaf 1 januari 2027"] == "€ 21,72 per uur (per deelnemende jeugdige)"
    assert [h["status"] for h in before.tariff_history] == ["geldend", "aangekondigd"]
    facts = {r.label: r.value for r in after.facts}
    assert facts["Maximumtarief"] == "€ 21,72 per uur (per deelnemende jeugdige) (vanaf 1 januari 2027)"
    assert not any(label.startswith("Tarief vanaf") for label in facts)
    assert [h["status"] for h in after.tariff_history] == ["vervallen", "geldend"]
    assert after.tariff_summary == "€ 21,72"
    # the overview and the portal show only the tariff valid on the peildatum
    from productenboek.outputs.portal import region_summary

    entry = next(
        e for e in region_summary(content, "groningen", dt.date(2027, 1, 1))["items"] if e["code"] == "45A49"
    )
    assert entry["tariff"] == "€ 21,72"
    # a product without tariff periods has no history
    assert (
        product(dt.date(2027, 1, 1)).tariff_history
        and not next(
            p
            for p in region_view(content, "groningen", "", dt.date(2027, 1, 1)).products
            if p.code == "49B01"
        ).tariff_history
    )


def test_level_tariffs_and_two_new_periods_in_one_file(tmp_path):
    from helpers import make_content

    content = make_content(tmp_path)
    path = content / "regios" / "voorbeeld" / "producten" / "45A01.yml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + (
            "niveaus:\n  - id: hoog\n    naam: Hoog  # intensief\n    tarieven:\n"
            "      - bedrag: 100.00\n        eenheid: etmaal\n        geldig_vanaf: 2026-01-01\n"
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli(
        ["indexeer", "voorbeeld", "--percentage", "2,5", "--per", "2027-01-01", "--content", "content"],
        tmp_path,
    )
    assert code == 0, err
    assert "45A01 Begeleiding individueel: € 100,00 -> € 102,50" in out
    assert "1 zonder bedrag niet geïndexeerd: nieuw-product" in err
    t = path.read_text(encoding="utf-8")
    assert (
        "    naam: Hoog  # intensief\n    tarieven:\n      - bedrag: 100.00\n        eenheid: etmaal\n"
        "        geldig_vanaf: 2026-01-01\n        geldig_tot: 2026-12-31\n"
        "      - bedrag: 102.50\n        eenheid: etmaal\n        geldig_vanaf: 2027-01-01\n"
    ) in t
    assert "&" not in t and "*id" not in t  # the same date twice is not written as an anchor and alias
    assert run_cli(["check", "--content", "content"], tmp_path)[0] == 0
