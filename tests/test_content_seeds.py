"""Content typed in from the seeds is checked against the seeds (copies in bronnen/)."""
import re
from decimal import Decimal

import pytest

from helpers import REPO
from productenboek import dutch
from productenboek.errors import Problems
from productenboek.load import load_content
from productenboek.validate import open_points, validate

BRONNEN = REPO / "bronnen"


@pytest.fixture(scope="module")
def content():
    problems = Problems()
    c = validate(load_content(REPO / "content", problems, use_cache=False), problems)
    assert not problems, "\n".join(map(str, problems.sorted()))
    return c


def seed_lines(document: str) -> list[str]:
    return (BRONNEN / document).read_text(encoding="utf-8").splitlines()


def window(item_source) -> str:
    lines = seed_lines(item_source.document)
    end = item_source.line_end or item_source.line
    return " ".join(lines[item_source.line - 1:end])


def test_groningen_has_56_products_in_8_groups(content):
    rc = content.regions["groningen"]
    assert len(rc.products) == 56
    assert [g.name for g in rc.region.product_groups] == [
        "Ambulant", "Specifieke doelgroepen", "Dagbesteding/dagbehandeling", "Overig", "Advies",
        "Logeren/Respijtzorg", "Intensief ambulant", "Verblijf/opname"]
    counts = {}
    for p in rc.products.values():
        counts[p.group] = counts.get(p.group, 0) + 1
    assert counts == {"ambulant": 14, "specifieke-doelgroepen": 10, "dagbesteding-dagbehandeling": 4, "overig": 3,
                      "advies": 2, "logeren-respijtzorg": 3, "intensief-ambulant": 6, "verblijf-opname": 14}


def test_groningen_chapter_two_lists_exactly_our_codes(content):
    overview = "\n".join(seed_lines("002_f059b9c925501a4f.txt")[590:666])
    seed_codes = set(re.findall(r"\b\d{2}[A-Z]\d{2}\b", overview))
    assert seed_codes == {p.code for p in content.regions["groningen"].products.values()}


def test_every_groningen_code_and_tariff_is_at_its_source_lines(content):
    for p in content.regions["groningen"].products.values():
        assert p.source and p.source.document == "002_f059b9c925501a4f.txt", p.id
        text = window(p.source)
        assert p.code in text, f"{p.code} not in its bron lines"
        for t in p.tariffs:
            if t.amount is not None:
                assert dutch.money(t.amount) in text, f"{p.code}: {dutch.money(t.amount)} not at bron"
                assert t.source is not None and dutch.money(t.amount) in window(t.source)
            if t.instalment_amount is not None:
                assert dutch.money(t.instalment_amount) in text


def test_known_groningen_facts(content):
    rc = content.regions["groningen"]
    assert rc.products["45A49"].tariffs[0].amount == Decimal("21.05")
    t = rc.products["52G14"].tariffs[0]
    assert (t.amount, t.instalments, t.instalment_amount) == (Decimal("9228.20"), 12, Decimal("769.02"))
    assert rc.products["49B01"].tariffs[0].amount is None
    oldambt = [r for r in rc.products["45A04"].restrictions if r.municipality == "Oldambt"][0]
    assert (str(oldambt.since), oldambt.use) == ("2024-10-01", "niet")
    assert {e.code for e in rc.region.external_codes} == {"46A03", "43A06", "43B12"}
    assert not {"46A03", "43A06", "43B12"} & set(rc.products)
    assert any("45A04" in r.text for r in rc.products["45A53"].remarks)


def test_every_bron_points_inside_the_repository(content):
    documents = {p.name for p in BRONNEN.iterdir()}
    for rc in content.regions.values():
        for item in [*rc.products.values(), *rc.kernbedingen.values()]:
            assert item.source is not None, f"{rc.slug}/{item.id} has no bron"
            assert item.source.document in documents
            assert item.source.line and item.source.line <= len(seed_lines(item.source.document))


def test_holland_rijnland_kernbedingen(content):
    rc = content.regions["holland-rijnland"]
    assert [s.number for s in rc.region.segments] == [1, 2, 3, 4, 5, 6, 7]
    listed = [k for s in rc.region.segments for k in s.kernbedingen]
    assert len(listed) == len(set(listed)) == len(rc.kernbedingen) == 50
    ci = rc.kernbedingen["centrale-intake"]
    assert len(ci.clauses) == 11
    assert ci.clauses[10].text.count("[PM]") == 2
    points = [o for o in open_points(rc) if "Centrale Intake" in o[1]]
    assert [o[2] for o in points] == ["[PM]", "[PM]"]
    assert all(o[0].startswith("content/regios/holland-rijnland/kernbedingen/centrale-intake.yml:") for o in points)
    assert rc.kernbedingen["jeugdreclassering-elektronisch-toezicht"].code_status == "zoals_gedrukt"
    assert rc.kernbedingen["collectieve-jeugdhulp-op-school"].code_status == "placeholder"


def test_national_structure_has_30_care_forms_and_two_placeholders(content):
    forms = content.care_forms.values()
    real = [f for f in forms if not f.placeholder]
    assert len(real) == 30
    assert sorted(f.id for f in forms if f.placeholder) == ["gezinshuiszorg", "pleegzorg"]
    by_table = {}
    for f in real:
        by_table[f.table] = by_table.get(f.table, 0) + 1
    assert by_table == {"Tabel 3": 12, "Tabel 5": 2, "Tabel 8": 9, "Tabel 9": 7}
    assert [m.id for m in content.national.main_forms] == ["verblijf", "dagbehandeling", "ambulant", "crisis-en-spoedhulp"]


def test_west_friesland_invents_no_amounts_or_codes(content):
    rc = content.regions["west-friesland"]
    assert {d.name for d in rc.region.disciplines} == {"MBO4", "HBO", "HBO+", "WO", "WO+", "WO++", "AMS"}
    for p in rc.products.values():
        assert p.code is None
        assert all(t.amount is None for t in p.tariffs)
        assert all(t.amount is None for lv in p.levels for t in lv.tariffs)
    levels = {p.id: [lv.id for lv in p.levels] for p in rc.products.values()}
    assert len(levels["dagbesteding"]) == 2
    assert len(levels["dagbehandeling"]) == 4
    assert len(levels["ambulante-crisishulp"]) == 2


def test_holland_rijnland_steering_data(content):
    rc = content.regions["holland-rijnland"]
    counts = {sid: len(d.conditions) for sid, d in rc.segment_details.items()}
    assert counts == {"behandeling-met-verblijf": 10, "wonen": 15, "dagbesteding-dagbehandeling": 7,
                      "ambulante-jeugdhulp": 11, "onderwijs": 7, "crisis": 13, "veiligheid": 10}
    assert sum(len(d.goals) for d in rc.segment_details.values()) == 125
    assert len(rc.cross_topics.topics) == 27
    wonen = rc.segment_details["wonen"]
    linked = [g for g in wonen.goals if g.depends_on]
    assert linked and all(r in {x.id for x in (*wonen.goals, *wonen.conditions)} for g in linked for r in g.depends_on)
    for d in rc.segment_details.values():
        for c in d.conditions:
            if c.score is not None and c.chance is not None:
                assert c.score == c.chance * c.damage
    crisis = {g.id: g for g in rc.segment_details["crisis"].goals}
    assert any(t.value == 50 and t.unit == "%" for t in crisis["inputdoel-4"].targets)
