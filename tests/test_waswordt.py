"""Was-wordt lists are derived from lifecycle fields; for the oplegger region they must
reproduce every table of seed 003 row by row (name, code, status, remark, in order)."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from helpers import REPO, make_content, run_cli
from productenboek.errors import Problems
from productenboek.lifecycle import derive
from productenboek.load import load_content
from productenboek.validate import validate

SEED = REPO / "bronnen" / "003_8a744ecb66f84bcd.txt"


def normalise(text: str) -> str:
    text = re.sub(r"(\w)-[ \t]*\n\s*", r"\1-", text)  # a word hyphenated over a line break
    text = text.replace("–", "-")
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # 'Jeugd- ggz': a space after a hyphen, a print artefact
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.fixture(scope="module")
def oplegger():
    problems = Problems()
    c = validate(
        load_content(REPO / "content", problems, only_region="oplegger-2025", use_cache=False), problems
    )
    assert not problems
    return c.regions["oplegger-2025"]


def test_every_seed_table_row_is_reproduced_in_order(oplegger):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    lists = derive(oplegger, 2025)
    assert len(lists) == 7
    contract_lists = [(c, lst) for c in oplegger.region.contracts for lst in c.lists]
    total = 0
    for (_contract, lst_src), lst in zip(contract_lists, lists, strict=True):
        start = lst_src.source.line - 1
        end = lst_src.source.line_end or len(lines)
        seed = normalise("\n".join(lines[start : end + 1]))
        pos = 0
        masked = seed
        for row in lst.rows:
            # A remark that resolved the seed's 'idem' is compared in its printed form.
            printed = oplegger.products[row.product_id].change_printed
            parts = [row.name, row.code, row.status_text, printed or row.remark]
            for part in (normalise(p) for p in parts if p):
                found = seed.find(part, pos)
                assert found >= 0, f"{lst.title}: '{part}' (row {row.name}) not found in order in the seed"
                pos = found + len(part)
                masked = masked[:found] + "#" * len(part) + masked[pos:]
            total += 1
        # No table row of the seed is left over: no status word outside the matched rows.
        leftover = re.findall(r"\b(houden|stoppen\??|nieuw)\b", masked)
        assert leftover == [], f"{lst.title}: seed rows not reproduced ({leftover})"
    assert total == 89


def test_statuses_and_successors(oplegger):
    rows = {(lst.title, r.product_id): r for lst in derive(oplegger, 2025) for r in lst.rows}
    schakenbosch = [r for r in rows.values() if "Schakenbosch" in r.name]
    assert len(schakenbosch) == 3 and all(r.status_text == "Stoppen?" for r in schakenbosch)
    assert sum(1 for r in rows.values() if r.product_id == "08A03") == 3
    assert oplegger.products["44A28"].replaced_by == ("44K28",)
    uncoded = [r for r in rows.values() if not r.code]
    assert len(uncoded) >= 20


def test_a_year_later_everything_new_is_kept_and_stopped_products_are_gone(oplegger):
    later = [r for lst in derive(oplegger, 2026) for r in lst.rows]
    assert {r.status for r in later} == {"H"}
    assert not any(r.product_id == "15R12" for r in later)


def test_outputs_csv_xlsx_markdown(tmp_path):
    code, out, err = run_cli(
        ["waswordt", "oplegger-2025", "--out", str(tmp_path / "dist"), "--content", str(REPO / "content")],
        REPO,
    )
    assert code == 0, err
    folder = tmp_path / "dist" / "oplegger-2025"
    raw = (folder / "waswordt-oplegger-2025.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Contract",
        "Lijst",
        "Product",
        "Productcode",
        "H/S/N",
        "Tarief oud",
        "Tarief nieuw",
        "Geldig vanaf",
        "Geldig tot en met",
        "Vervangen door",
        "Bijzonderheden",
    ]
    assert len(rows) == 1 + 89
    wb = load_workbook(folder / "waswordt-oplegger-2025.xlsx")
    assert (
        len(wb.sheetnames) == 7 + 1 and wb.sheetnames[-1] == "Toelichting"
    )  # a sheet per list, then the legend
    assert all(len(n) <= 31 and not n.startswith("'") for n in wb.sheetnames)
    assert wb.sheetnames[:2] == [
        "Hoog-specialistische jeugdhulp",
        "Wonen Jeugd & jongvolwassenen",
    ]  # whole words
    ws = wb[wb.sheetnames[0]]
    assert [c.value for c in ws[1]] == rows[0][2:]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:I")
    assert (
        ws.page_setup.orientation == "landscape"
        and ws.page_setup.fitToWidth == 1
        and ws.print_title_rows == "$1:$1"
    )
    assert "Houden = het product blijft" in wb["Toelichting"]["A3"].value
    assert ws[1][0].font.bold
    md = (folder / "waswordt-oplegger-2025.md").read_text(encoding="utf-8")
    assert (
        (
            "| Beschut Wonen t.b.v. zelfstandigheidstraining | 44A28 | Stoppen |  |  | t/m 31-12-2024 "
            "| Kamertraining (tot 18) \\(44K28\\) | Wordt vervangen door Kamertraining. |"
        )
        in md
        or "| Beschut Wonen t.b.v. zelfstandigheidstraining | 44A28 | Stoppen |  |  | t/m 31-12-2024 | Kamertraining (tot 18) (44K28) | Wordt vervangen door Kamertraining. |"
        in md
    )
    assert "H/S/N: Houden = het product blijft in het contractjaar" in md


def test_region_without_lifecycle_gets_all_houden(tmp_path):
    make_content(tmp_path)
    (tmp_path / "content/regios/voorbeeld/regio.yml").write_text(
        "naam: Zonder levensloop\nproductgroepen:\n  - {id: ambulant, naam: Ambulant}\n  - {id: verblijf, naam: Verblijf}\n"
        "segmenten:\n  - {id: ambulant, naam: A, kernbedingen: [intake]}\ngemeenten: [Aadorp]\nexterne_codes:\n  - {code: 46A03}\n",
        encoding="utf-8",
    )
    for f in ("45A02.yml", "nieuw-product.yml"):
        (tmp_path / "content/regios/voorbeeld/producten" / f).unlink()
    (tmp_path / "content/regios/voorbeeld/producten/45A01.yml").write_text(
        (tmp_path / "content/regios/voorbeeld/producten/45A01.yml")
        .read_text()
        .replace("niet_met: [45A02]", "niet_met: []")
    )
    code, out, err = run_cli(["waswordt", "--content", "content", "--out", "dist"], tmp_path)
    assert code == 0, err
    md = (tmp_path / "dist/voorbeeld/waswordt-voorbeeld.md").read_text(encoding="utf-8")
    assert md.count("| Houden |") == 2 and "| Stoppen |" not in md and "| Nieuw |" not in md


def test_formula_injection_is_neutralised(tmp_path):
    make_content(tmp_path)
    p = tmp_path / "content/regios/voorbeeld/producten/45A02.yml"
    p.write_text(
        p.read_text().replace("naam: Begeleiding groep", 'naam: "=HYPERLINK(\\"http://x\\")"'),
        encoding="utf-8",
    )
    code, _, err = run_cli(["waswordt", "voorbeeld", "--content", "content", "--out", "dist"], tmp_path)
    assert code == 0, err
    text = (tmp_path / "dist/voorbeeld/waswordt-voorbeeld.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    ws = load_workbook(tmp_path / "dist/voorbeeld/waswordt-voorbeeld.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
