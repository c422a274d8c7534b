"""What issue 21 added to the content, as a reader sees it: in every built site page and in
the Holland Rijnland and Groningen books (pdftotext)."""

import re
import shutil
import subprocess

import pytest

from helpers import REPO, product_html, run_cli

pytestmark = pytest.mark.slow


def flat(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("content21")
    code, _, err = run_cli(
        ["site", "--out", str(root / "site"), "--zonder-downloads", "--content", str(REPO / "content")], REPO
    )
    assert code == 0, err
    for region in ("holland-rijnland", "groningen"):
        code, _, err = run_cli(
            ["pdf", region, "--out", str(root / "dist"), "--content", str(REPO / "content")], REPO
        )
        assert code == 0, err
    return root


def page(built, path: str) -> str:
    html = (built / "site" / path / "index.html").read_text(encoding="utf-8")
    return flat(re.sub(r"<[^>]+>", " ", html))


def product(built, region: str, product_id: str) -> str:
    """The text of a product's section on its product group's page."""
    return flat(re.sub(r"<[^>]+>", " ", product_html(built / "site", region, product_id)))


def book(built, region: str) -> str:
    pdf = built / "dist" / region / f"productenboek-{region}.pdf"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext ontbreekt")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return flat(re.sub(r"-\n", "-", text.replace("\u00ad\n", "")))


def test_site_shows_the_segment_links_matrix(built):
    html = (built / "site" / "holland-rijnland" / "segmentoverstijgend" / "index.html").read_text(
        encoding="utf-8"
    )
    section = html[
        html.index('id="onderdelen-waar-segmenten-elkaar-beinvloeden"') : html.index(
            'id="aantal-koppelingen-per-segment"'
        )
    ]
    matrix, details = section.split("</table>")[:2]
    rows = re.findall(r"<tr>(.*?)</tr>", matrix, re.S)[1:]
    assert len(rows) == 41 and len(re.findall(r"<tr>", details)) == 42
    labels = [flat(re.sub(r"<[^>]+>", " ", r)).split()[0] for r in rows]
    assert labels[:7] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] and labels[-1] == "7.5"
    assert len(set(labels)) == 41 and "3b.5" in labels and "6a.3" in labels and "6b.4" in labels
    label = next(
        flat(re.sub(r"<[^>]+>", " ", r)).split()[0]
        for r in re.findall(r"<tr>(.*?)</tr>", details, re.S)
        if "Beschikbaarheid van hulp" in r
    )
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[labels.index(label)], re.S)
    assert label == "7.4" and [c.strip() for c in cells] == ["", "", "", "●", "", "", "◆"]
    text = page(built, "holland-rijnland/segmentoverstijgend")
    assert "Elders in de bron gedrukt als: Aanbieders reserveren x %" in text


def test_site_and_book_show_the_introduction_chapters(built):
    for slug, words in (
        ("wijzigingen-in-het-inkoopmodel", "Vernieuwing in de bekostiging."),
        ("werkwijze", "Variant 3 en 4 leveren mengvormen op van 1 en 2."),
        ("dialoog-en-besluitvorming", "Presentatie gewijzigde overeenkomst"),
    ):
        assert words in page(built, f"holland-rijnland/hoofdstukken/{slug}"), slug
    text = book(built, "holland-rijnland")
    for words in (
        "Wijzigingen in het inkoopmodel",
        "Situaties waar geen enkele partij invloed op heeft",
        "Voorstelronde",
        "Onderdelen waar segmenten elkaar beïnvloeden",
    ):
        assert words in text, words


def test_combination_scope_condition_and_derived_dates_are_shown(built):
    scope = "Deze combinatieregels gelden alleen voor jeugdigen uit de gemeente Groningen, vanaf 1 juli 2025."
    assert scope in product(built, "groningen", "45A04")
    assert scope in book(built, "groningen")
    medication = product(built, "west-friesland", "medicatiecontrole")
    assert (
        "alleen als er een lopende toewijzing hoog specialistische jeugdhulp is bij de Jeugdhulpaanbieder"
        in medication
    )
    stopped = product(built, "oplegger-2025", "41L04")
    assert "31 december 2024 (afgeleid)" in stopped and "Niet meer nodig als dagbehandeling" in stopped
    assert "Idem" not in stopped.replace("'Idem'", "").replace("‘Idem’", "")
    assert "Rekenverschil in de bron: Het maximumtarief € 13.305,30" in book(built, "groningen")
    assert "Randvoorwaarden/ context inzet van dit product" in product(built, "groningen", "49B01")


def test_portal_shows_the_decision_trees_as_printed(built):
    text = page(built, "structuur")
    assert "Stap Vraag Toelichting Beoordeling" in text
    assert (
        "Deeltijd vs. voltijd Is er sprake van deeltijd of voltijd? Effect op kosten Altijd een apart product"
        in text
    )


def test_portal_shows_the_national_lists_tables_and_options(built):
    html = (built / "site" / "structuur" / "index.html").read_text(encoding="utf-8")
    text = page(built, "structuur")
    for words in (
        "Verplicht en niet vrijblijvend.",
        "Ketenbureau i-Sociaaldomein",
        "Bij gesloten verblijf: type geslotenheid of beveiligingsniveau.",
        "6.3.2 Optie 2. Informatiewens registreren in het berichtenverkeer",
        "Tabel 6: Onderscheid tussen begeleiding en behandeling",
        "Type interventie Toezicht, versterken copingvaardigheden Therapieën, medicatie, klinische interventies",
    ):
        assert words in text, words
    assert html.count("<table") >= 3 + 3  # the three decision trees and the three report tables
