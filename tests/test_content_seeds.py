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
    return " ".join(lines[item_source.line - 1 : end])


def test_groningen_has_56_products_in_8_groups(content):
    rc = content.regions["groningen"]
    assert len(rc.products) == 56
    assert [g.name for g in rc.region.product_groups] == [
        "Ambulant",
        "Specifieke doelgroepen",
        "Dagbesteding/dagbehandeling",
        "Overig",
        "Advies",
        "Logeren/Respijtzorg",
        "Intensief ambulant",
        "Verblijf/opname",
    ]
    counts = {}
    for p in rc.products.values():
        counts[p.group] = counts.get(p.group, 0) + 1
    assert counts == {
        "ambulant": 14,
        "specifieke-doelgroepen": 10,
        "dagbesteding-dagbehandeling": 4,
        "overig": 3,
        "advies": 2,
        "logeren-respijtzorg": 3,
        "intensief-ambulant": 6,
        "verblijf-opname": 14,
    }


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
    assert all(
        o[0].startswith("content/regios/holland-rijnland/kernbedingen/centrale-intake.yml:") for o in points
    )
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
    assert [m.id for m in content.national.main_forms] == [
        "verblijf",
        "dagbehandeling",
        "ambulant",
        "crisis-en-spoedhulp",
    ]


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
    assert counts == {
        "behandeling-met-verblijf": 10,
        "wonen": 15,
        "dagbesteding-dagbehandeling": 7,
        "ambulante-jeugdhulp": 11,
        "onderwijs": 7,
        "crisis": 13,
        "veiligheid": 10,
    }
    assert sum(len(d.goals) for d in rc.segment_details.values()) == 125
    assert len(rc.cross_topics.topics) == 27
    wonen = rc.segment_details["wonen"]
    linked = [g for g in wonen.goals if g.depends_on]
    assert linked and all(
        r in {x.id for x in (*wonen.goals, *wonen.conditions)} for g in linked for r in g.depends_on
    )
    for d in rc.segment_details.values():
        for c in d.conditions:
            if c.score is not None and c.chance is not None:
                assert c.score == c.chance * c.damage
    crisis = {g.id: g for g in rc.segment_details["crisis"].goals}
    assert any(t.value == 50 and t.unit == "%" for t in crisis["inputdoel-4"].targets)


# -- Holland Rijnland: per-segment tables "Segmentoverstijgend" ------------------------------------

HR_NAMES = {  # how the seed names segments in a "Koppeling aan segmenten" cell
    "behandeling met verblijf": "behandeling-met-verblijf",
    "wonen": "wonen",
    "dagbesteding": "dagbesteding-dagbehandeling",
    "dagbehandeling": "dagbesteding-dagbehandeling",
    "ambulant": "ambulante-jeugdhulp",
    "onderwijs": "onderwijs",
    "crisis": "crisis",
    "veiligheid": "veiligheid",
}


def resolve_link(text: str, segments) -> set[str]:
    """Segment ids named by a printed 'Koppeling aan segmenten' (independent of the content)."""
    t = " ".join(text.lower().split())
    if "alle segmenten" in t:
        return {s.id for s in segments}
    by_number = {str(s.number): s.id for s in segments}
    found = {by_number[n] for n in re.findall(r"segment (\d)", t)}
    if re.fullmatch(r"\d( en \d)+", t):
        found |= {by_number[n] for n in re.findall(r"\d", t)}
    t = re.sub(r"segment \d:", "", t)
    found |= {sid for name, sid in HR_NAMES.items() if name in t}
    return found


def seed_rows(table_source) -> int:
    """Rows of a printed table: consecutive numbers 1, 2, ... starting a line in its bron window."""
    lines = seed_lines(table_source.document)[table_source.line - 1 : table_source.line_end]
    n = 0
    for ln in lines:
        if re.match(rf"^{n + 1}\.? ", ln.strip() + " "):
            n += 1
    return n


def test_holland_rijnland_segment_tables_match_the_seed(content):
    rc = content.regions["holland-rijnland"]
    tables = {sid: d.cross_tables for sid, d in rc.segment_details.items()}
    assert {sid: [len(t.rows) for t in ts] for sid, ts in tables.items()} == {
        "behandeling-met-verblijf": [7],
        "wonen": [5],
        "dagbesteding-dagbehandeling": [6, 5],
        "ambulante-jeugdhulp": [5],
        "onderwijs": [1],
        "crisis": [3, 4],
        "veiligheid": [5],
    }
    rows = [r for ts in tables.values() for t in ts for r in t.rows]
    assert len(rows) == 41
    for ts in tables.values():
        for t in ts:
            assert t.title.split(" (")[0] in window(t.source)
            assert len(t.rows) == seed_rows(t.source), t.title
            for r in t.rows:
                seed = " ".join(window(r.source).split())
                assert (
                    " ".join(r.topic.split()).replace("\n", " ") in seed.replace("• ", "- ")
                    or " ".join(r.topic.replace("- ", "• ").split()) in seed
                ), (r.source, r.topic[:40])
                assert " ".join(r.link_text.split()) in seed, r.link_text
                assert set(r.segments) == resolve_link(r.link_text, rc.region.segments), (
                    r.source,
                    r.link_text,
                )
    veiligheid = rc.segment_details["veiligheid"].cross_tables[0].rows
    assert veiligheid[3].topic.startswith("Beschikbaarheid van hulp") and veiligheid[3].segments == (
        "ambulante-jeugdhulp",
    )
    assert rc.segment_details["wonen"].cross_tables[0].rows[3].other_links == ("gemeentelijke toegang",)
    assert (
        rc.segment_details["onderwijs"].cross_tables[0].rows[0].remarks
    )  # "3 en 4" vs the text's segment 3 and 5


def test_holland_rijnland_consolidated_topics_carry_no_segment_links(content):
    rc = content.regions["holland-rijnland"]
    for t in rc.cross_topics.topics:
        assert not t.segments and not t.link_text, t.id
        assert "Koppeling" not in window(t.source)
    by_nr = {t.number: t for t in rc.cross_topics.topics}
    assert [(v.text.split()[0], v.source.line) for v in by_nr["10"].variants] == [("Aanbieders", 7692)]
    assert by_nr["19"].variants[0].text.endswith("opschaling wordt.")
    assert all(v.text.split()[-1] in window(v.source) for t in rc.cross_topics.topics for v in t.variants)


def test_holland_rijnland_matrix_shows_the_links(content):
    from productenboek.views import region_view

    view = region_view(content, "holland-rijnland")
    links = view.cross_topics["links"]
    assert len(links) == 41
    assert sum(r["cells"].count("●") for r in links) == sum(
        len(r.segments)
        for d in content.regions["holland-rijnland"].segment_details.values()
        for t in d.cross_tables
        for r in t.rows
    )
    row = next(r for r in links if r["topic"].startswith("Beschikbaarheid van hulp"))
    assert row["home"] == "7" and row["cells"][3] == "●" and row["cells"][6] == "◆"


def test_instalments_that_do_not_add_up_are_acknowledged(content):
    from productenboek.validate import instalment_total

    found = {}
    for rc in content.regions.values():
        for p in rc.products.values():
            for t in p.tariffs:
                if t.instalments:
                    printed = window(t.source)
                    m = re.search(r"€ ([\d.,]+) per .*?te declareren in (\d+) delen van € ([\d.,]+)", printed)
                    assert m, (p.id, printed)
                    amount, n, part = (
                        dutch.parse_money("€ " + m.group(1)),
                        int(m.group(2)),
                        dutch.parse_money("€ " + m.group(3)),
                    )
                    assert (t.amount, t.instalments, t.instalment_amount) == (amount, n, part)
                    if n * part != amount:
                        found[p.id] = n * part
                        assert instalment_total(t) == n * part
                        assert any(
                            r.kind == "rekenverschil"
                            and r.source.line == t.source.line
                            and dutch.money(n * part) in r.text
                            for r in p.remarks
                        ), p.id
                    else:
                        assert instalment_total(t) is None
    assert found == {
        "45G25": Decimal("13305.36"),
        "45G27": Decimal("21100.56"),
        "45G29": Decimal("4284.60"),
        "52G14": Decimal("9228.24"),
    }


def test_combination_rules_keep_their_scope_and_condition(content):
    from productenboek.views import region_view

    gr = content.regions["groningen"]
    for code in ("45A04", "45A53"):
        c = gr.products[code].combinations
        assert len(c.only_with) == 34
        assert (c.scope.municipality, str(c.scope.valid_from)) == ("Groningen", "2025-07-01")
        text = window(c.scope.source)
        assert "Per 1-7-2025" in text and "jeugdigen uit de gemeente Groningen" in text
    scoped = {p.id for p in gr.products.values() if p.combinations and p.combinations.scope}
    assert scoped == {"45A04", "45A53"}
    view = next(p for p in region_view(content, "groningen").products if p.id == "45A04")
    assert view.combinations["scope"] == "alleen voor jeugdigen uit de gemeente Groningen, vanaf 1 juli 2025"

    wf = content.regions["west-friesland"].products
    c = wf["medicatiecontrole"].combinations
    assert set(c.not_with) == {"hoog-specialistische-jeugdhulp", "hoog-specialistische-forensische-jeugdhulp"}
    seed = " ".join(window(c.source).split()).lower()
    assert (
        "kan niet worden aangevraagd wanneer" in seed
        and " ".join(c.not_with_condition.split()).lower() in seed
    )
    for other in c.not_with:
        assert wf[other].combinations.not_with_condition == c.not_with_condition


WORDS = {"twaalf (12)": "12"}


def expected_max(text: str) -> int | None:
    """The one meaning of leeftijd.max, read from the printed text: the birthday on which it ends."""
    t = text.lower()
    for word, digits in WORDS.items():
        t = t.replace(word, digits)
    for pattern, extra in (
        (r"stopt bij de leeftijd van (\d+)", 0),
        (r"tot en met (\d+)", 1),
        (r"niet ouder dan (\d+)", 1),
        (r"tot (?:ongeveer |met name )?(\d+)", 0),
        (r"\d+\s*[-–]\s*(\d+)", 0),
        (r"tussen \d+ en (\d+)", 0),
    ):
        m = re.search(pattern, t)
        if m:
            return int(m.group(1)) + extra
    return None


def test_age_limits_have_one_meaning(content):
    checked = 0
    for rc in content.regions.values():
        items = [*rc.products.values(), *rc.kernbedingen.values(), *rc.region.lots]
        for item in items:
            a = item.age
            if a is None or a.max is None:
                continue
            assert a.text, item
            assert a.max == expected_max(a.text), (item.id, a.text, a.max)
            checked += 1
    assert checked >= 40
    wf = content.regions["west-friesland"]
    assert wf.products["hoog-specialistische-forensische-jeugdhulp"].age.max == 23
    assert content.regions["groningen"].products["41A18"].age.max == 18
    hr = content.regions["holland-rijnland"].kernbedingen
    assert hr["itb-harde-kern"].age.max == hr["itb-criem"].age.max - 1 == 23
    assert hr["pleegzorg"].age.max is None and any(r.kind == "onduidelijk" for r in hr["pleegzorg"].remarks)


def test_national_mapping_follows_one_rule(content):
    gr = content.regions["groningen"].products
    seed = seed_lines("002_f059b9c925501a4f.txt")
    assert "ten minste uitgevoerd door HBO" in seed[4924] and gr["43A35"].national == "wonen-intensief"
    assert "MBO opgeleide" in seed[6221] and "aangevuld met" in seed[6224] and gr["44G02"].national == "wonen"
    national = seed_lines("000_92ec9adf115daaae.txt")
    assert "Minimaal HBO/HBO+" in national[1604] and "MBO 4" in national[1584]
    op = content.regions["oplegger-2025"].products
    day = [p for p in op.values() if (p.category or (p.code or "")[:2]) == "41" and not p.description]
    treatment = [p for p in day if "dagbesteding" not in p.name.lower()]
    assert len(treatment) == 7
    for p in treatment:  # name only: no group size, so the basic variant (41A03 and the six others alike)
        assert p.national == "dagbehandeling", p.id
        assert p.national_note.startswith("Koppelregel:"), p.id
    for p in day:
        if p not in treatment:  # dagbesteding without treatment has no national form
            assert p.national is None, p.id


def flat(text: str) -> str:
    return " ".join(text.split()).replace("/ ", "/")


def test_decision_trees_store_what_the_source_says(content):
    trees = content.national.decision_trees
    assert [len(t.questions) for t in trees] == [5, 3, 3]
    for t in trees:
        for q in t.questions:
            seed = flat(window(q.source))
            assert q.yes is None and q.no is None and not q.options, (
                q.number
            )  # the source gives one judgement
            for text in (q.question, q.explanation, q.judgement):
                assert text and flat(text) in seed, (q.number, text)
    assert trees[0].questions[4].judgement == "Altijd een apart product"
    assert trees[2].questions[0].judgement == "Altijd apart product."
    assert "Toelichting" in window(trees[0].source) and "Beoordeling" in window(trees[0].source)


def test_oplegger_dates_are_marked_derived(content):
    from productenboek.views import region_view

    rc = content.regions["oplegger-2025"]
    ends = [p for p in rc.products.values() if p.valid_to]
    starts = [p for p in rc.products.values() if p.valid_from]
    assert (len(ends), len(starts)) == (33, 8)
    for p in ends + starts:
        seed = window(p.source)
        assert str(p.valid_to or p.valid_from)[:4] not in seed and "2024" not in seed, (
            p.id
        )  # no date in the source row
        assert ("geldig_tot" in p.derived) == bool(p.valid_to) and ("geldig_vanaf" in p.derived) == bool(
            p.valid_from
        ), p.id
        row = " ".join(seed_lines(p.source.document)[p.source.line - 1 : p.source.line + 12]).lower()
        assert ("stoppen" if p.valid_to else "nieuw") in row, p.id  # the status the date is derived from
    views = {v.id: v for v in region_view(content, "oplegger-2025").products}
    for p in ends:
        rows = {r.label: r.value for r in views[p.id].lifecycle}
        assert (
            rows["Geldig tot en met"].endswith("(afgeleid)")
            and "De bron noemt geen einddatum" in rows["Afgeleid"]
        )


def test_print_artefacts_are_resolved_or_flagged(content):
    op = content.regions["oplegger-2025"].products
    assert op["54016"].name == "Jeugd-ggz crisis behandeling"
    assert "Jeugd- ggz crisis behandeling" in window(op["54016"].source)
    assert any(r.kind == "opmaak" and "Jeugd- ggz" in r.text for r in op["54016"].remarks)
    for pid, printed in (("41L04", "Idem"), ("41P03", "idem")):
        p = op[pid]
        assert p.change_printed == printed and printed in window(p.source).split()
        assert p.change == op["41L03"].change and "idem" not in p.change.lower()
        assert any(r.kind == "opmaak" for r in p.remarks)
    for p in op.values():
        assert (p.change or "").strip().lower() not in {"idem", "id.", "zie boven"}, p.id
    gr = content.regions["groningen"].products["49B01"]
    assert gr.conditions_heading == "Randvoorwaarden/ context inzet van dit product"
    assert gr.conditions_heading in seed_lines("002_f059b9c925501a4f.txt")[3715]
    wf = content.regions["west-friesland"].products["dagbehandeling"]
    assert any(r.kind == "opmaak" and "3, 5" in r.text for r in wf.remarks)


def chapter_sections(markdown: str):
    """(text, first line, last line) per '*Bron: ..., regels a–b.*' footer of a chapter."""
    out, buf = [], []
    for line in markdown.splitlines():
        m = re.match(r"\*Bron: (\S+), regels (\d+)–(\d+)\.", line)
        if m:
            out.append(("\n".join(buf), m.group(1), int(m.group(2)), int(m.group(3))))
            buf = []
        else:
            buf.append(line)
    return out


def test_holland_rijnland_introduction_chapters(content):
    rc = content.regions["holland-rijnland"]
    assert [c.title for c in rc.chapters] == [
        "Wijzigingen in het inkoopmodel",
        "Werkwijze: effectketen, kernbedingen, randvoorwaarden en segmentoverstijgende onderwerpen",
        "Vervolg: dialoog en besluitvorming",
    ]
    items = 0
    for chapter in rc.chapters:
        sections = chapter_sections(chapter.markdown)
        assert sections, chapter.title
        for text, document, first, last in sections:
            seed = flat(" ".join(seed_lines(document)[first - 1 : last]).replace("•", ""))
            for line in text.splitlines():
                m = re.match(r"^- (?:[a-d1-4]\\\) )?(.*)$", line)
                if m:  # every list item is in the seed as printed
                    assert flat(m.group(1)) in seed, (chapter.title, line)
                    items += 1
                elif line.startswith("| ") and not line.startswith("| Ronde"):
                    for cell in (c.strip() for c in line.strip("|").split("|")):
                        assert flat(cell) in seed, cell
    assert items == 7 + 4 + 4 + 2
    intro = rc.chapters[0].markdown
    assert intro.count("\n- ") == 7  # the seven changes of 46-71
    werkwijze = rc.chapters[1].markdown
    assert all(f"**Variant {v}" in werkwijze for v in ("1**", "2**", "3 en 4**"))
    assert "| Voorstelronde | Presentatie overeenkomst" in rc.chapters[2].markdown


def seed_text(source) -> str:
    """The bron window as one line: bullets dropped, words hyphenated over a line break joined."""
    lines = [
        ln.strip().lstrip("•").strip()
        for ln in seed_lines(source.document)[source.line - 1 : source.line_end]
    ]
    text = ""
    for ln in filter(None, lines):
        text += ln if text.endswith("-") and not text.endswith(" -") else " " + ln
    return flat(text)


def test_national_lists_tables_and_options_are_in_the_report(content):
    nat = content.national
    assert {x.id: len(x.items) for x in nat.lists} == {
        "wuiver-principes": 6,
        "wuiver-onderhoud": 4,
        "wuiver-betrokken-partijen": 7,
        "vws-informatiebehoeften": 9,
    }
    for lst in nat.lists:
        seed = seed_text(lst.source)
        assert flat(lst.intro) in seed
        for item in lst.items:
            assert flat(item) in seed, item
    shapes = {t.table: (len(t.columns), len(t.rows)) for t in nat.tables}
    assert shapes == {"Tabel 1": (4, 4), "Tabel 6": (3, 4), "Tabel 10": (4, 8)}
    for t in nat.tables:
        head = seed_text(t.source)
        assert f"{t.table} - {t.title}" in head
        for row in t.rows:
            seed = seed_text(row.source)
            for cell in row.cells:
                assert flat(cell) in seed, (t.table, cell)
    assert [o.id for o in nat.monitoring_options] == ["optie-1", "optie-2", "optie-3"]
    for o in nat.monitoring_options:
        assert flat(o.text) in seed_text(o.source), o.id
