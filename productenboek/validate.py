"""Rules that span fields and files: code lists, references, dates, uniqueness, cycles.

Runs on the built model (types are already checked by the schema) and adds every problem
it finds. It also puts each region's products and kernbedingen in book order.
"""

from __future__ import annotations

import re
from dataclasses import is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import get_args

from . import dutch
from .content import Content, RegionContent
from .errors import Location, Problems
from .model import CODE_PATTERN, Bron, Condition, Goal, Kernbeding, Product
from .schema import fields_of
from .tariffs import instalment_mismatch, period_problems

PLACEHOLDER_CODE_RE = re.compile(r"X{3,}|x{3,}")
OPEN_POINT_RE = re.compile(
    r"\[PM\]|\bPM\b|\(nog in te vullen\)|\bx{3,}\b|\bX{3,}\b|bijlage x\b|tabel xx\b|\blid X\b|"
    r"\bX percentage\b|<[^<>\n]{0,40}>|\bX\.$",
)


def validate(content: Content, problems: Problems, national: bool = True) -> Content:
    """Check every region, and (unless national=False) the national structure."""
    units = content.units()
    for slug, rc in list(content.regions.items()):
        _region(content, rc, units, problems)
        robustness(content, rc, problems)
        content.regions[slug] = replace(rc, products=_book_order(rc), kernbedingen=_kernbeding_order(rc))
    if national:
        _national(content, problems)
    return content


def _national(content: Content, problems: Problems) -> None:
    nat = content.national
    main_ids = {m.id for m in nat.main_forms} if nat else set()
    for cf in content.care_forms.values():
        if cf.main_form not in main_ids:
            problems.add(cf.loc("hoofdvorm"), f"onbekende hoofdvorm '{cf.main_form}'", _known(main_ids))
    if nat:
        for table in nat.tables:
            for row in table.rows:
                if table.columns and len(row.cells) != len(table.columns):
                    problems.add(
                        row.loc("cellen"),
                        f"rij heeft {len(row.cells)} cellen, "
                        f"de tabel '{table.id}' heeft {len(table.columns)} kolommen",
                    )
        for tree in nat.decision_trees:
            if tree.main_form and tree.main_form not in main_ids:
                problems.add(
                    tree.loc("hoofdvorm"), f"onbekende hoofdvorm '{tree.main_form}'", _known(main_ids)
                )


def _known(ids) -> str:
    ids = sorted(ids)
    if not ids:
        return "er zijn er geen gedeclareerd"
    if len(ids) > 12:
        return "bekend: " + ", ".join(ids[:12]) + ", ..."
    return "bekend: " + ", ".join(ids)


def _region(content: Content, rc: RegionContent, units: dict[str, str], problems: Problems) -> None:
    region = rc.region
    groups = {g.id for g in region.product_groups}
    lots = {lot.id for lot in region.lots}
    segments = {s.id for s in region.segments}
    disciplines = {d.id for d in region.disciplines}
    external = {e.code for e in region.external_codes}
    products = rc.products
    codes = {p.code: pid for pid, p in products.items() if p.code}
    targets = set(products) | set(codes) | external

    _unique(region.product_groups, "productgroep", problems)
    _unique(region.contracts, "contract", problems)
    _unique(region.segments, "segment", problems)
    _unique(region.lots, "perceel", problems)
    _unique(region.disciplines, "discipline", problems)

    seen_codes: dict[str, Product] = {}
    for pid, p in products.items():
        if p.code:
            if p.code in seen_codes:
                other = seen_codes[p.code]
                problems.add(p.loc("code"), f"productcode {p.code} komt ook voor in {other.loc('').path}")
            seen_codes[p.code] = p
            if re.fullmatch(CODE_PATTERN, pid) and pid != p.code:
                problems.add(
                    p.loc("code"),
                    f"code {p.code} past niet bij de bestandsnaam {pid}.yml",
                    f"hernoem het bestand naar {p.code}.yml of pas de code aan",
                )
        elif re.fullmatch(CODE_PATTERN, pid):
            problems.add(p.loc(""), f"bestand heet {pid}.yml maar 'code' ontbreekt")
        _product(content, rc, p, units, groups, lots, targets, problems)

    for k in rc.kernbedingen.values():
        _kernbeding(rc, k, segments, targets, problems)

    for contract in region.contracts:
        for lst in contract.lists:
            seen: set[str] = set()
            for i, ref in enumerate(lst.products):
                if ref not in products:
                    problems.add(
                        lst.loc("producten", i),
                        f"contract '{contract.id}' verwijst naar onbekend product '{ref}'",
                        _suggest(ref, products),
                    )
                if ref in seen:
                    problems.add(
                        lst.loc("producten", i), f"product '{ref}' staat twee keer in dezelfde lijst"
                    )
                seen.add(ref)
            for rn in lst.row_names:
                if rn.product not in lst.products:
                    problems.add(
                        rn.loc("product"), f"rijnaam voor '{rn.product}', dat niet in deze lijst staat"
                    )
    for seg in region.segments:
        for key, refs in (("kernbedingen", seg.kernbedingen), ("kernbedingen_buiten_segment", seg.outside)):
            for i, ref in enumerate(refs):
                if ref not in rc.kernbedingen:
                    problems.add(
                        seg.loc(key, i),
                        f"segment '{seg.id}' verwijst naar onbekend kernbeding '{ref}'",
                        _suggest(ref, rc.kernbedingen),
                    )
    for lot in region.lots:
        for i, ref in enumerate(lot.disciplines):
            if ref not in disciplines:
                problems.add(lot.loc("disciplines", i), f"onbekende discipline '{ref}'", _known(disciplines))
    for d in region.disciplines:
        for i, u in enumerate(d.units):
            if u not in units:
                problems.add(d.loc("eenheden", i), f"onbekende eenheid '{u}'", _close(u, units))
        if d.tariff:
            _tariff(d.tariff, units, problems)
    _replacement_cycles(rc, problems)
    _steering(rc, segments, problems)


def _steering(rc: RegionContent, segments: set[str], problems: Problems) -> None:
    """Effectketen links resolve within their segment; scores agree with kans x schade."""
    for seg_id, d in rc.segment_details.items():
        if seg_id not in segments:
            problems.add(
                d.loc(""),
                f"segmenten/{seg_id}.yml hoort bij geen segment in regio.yml",
                _suggest(seg_id, segments) or _known(segments),
            )
        ids = [g.id for g in d.goals] + [c.id for c in d.conditions]
        seen: set[str] = set()
        items: tuple[Goal | Condition, ...] = (*d.goals, *d.conditions)
        for item in items:
            if item.id in seen:
                problems.add(item.loc("id"), f"id '{item.id}' komt twee keer voor in dit segment")
            seen.add(item.id)
        for g in d.goals:
            for i, ref in enumerate(g.depends_on):
                if ref not in seen:
                    problems.add(
                        g.loc("afhankelijk_van", i),
                        f"doel '{g.id}' hangt af van onbekend '{ref}'",
                        _suggest(ref, ids),
                    )
        for c in d.conditions:
            if (
                c.chance is not None
                and c.damage is not None
                and c.score is not None
                and c.chance * c.damage != c.score
            ):
                problems.add(
                    c.loc("score"), f"score {c.score} is niet kans x schade ({c.chance} x {c.damage})"
                )
        for table in d.cross_tables:
            _unique(table.rows, "onderdeel", problems)
            for row in table.rows:
                _topic_segments(row, segments, problems)
    if rc.cross_topics:
        _unique(rc.cross_topics.topics, "onderwerp", problems)
        for t in rc.cross_topics.topics:
            _topic_segments(t, segments, problems)


def _topic_segments(t, segments: set[str], problems: Problems) -> None:
    for i, ref in enumerate(t.segments):
        if ref not in segments:
            problems.add(
                t.loc("segmenten", i),
                f"onbekend segment '{ref}'",
                _suggest(ref, segments) or _known(segments),
            )


def _unique(items, what: str, problems: Problems) -> None:
    seen = set()
    for it in items:
        if it.id in seen:
            problems.add(it.loc("id"), f"{what} '{it.id}' komt twee keer voor")
        seen.add(it.id)


def _suggest(ref: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.6)
    return f"bedoel je '{close[0]}'?" if close else ""


def _close(value: str, known) -> str:
    s = _suggest(value, known)
    return s or "toegestaan: " + ", ".join(sorted(known))


def _product(content, rc, p: Product, units, groups, lots, targets, problems: Problems) -> None:
    cats = content.categories(p.law) if p.law else {}
    category = p.category or (p.code[:2] if p.code else None)
    if category and cats and category not in cats:
        where = p.loc("productcategorie") if p.category else p.loc("code")
        problems.add(where, f"productcategorie '{category}' staat niet in de codelijst voor de {p.law}")
    if p.category and p.code and not p.code.startswith(p.category):
        problems.add(p.loc("productcategorie"), f"productcategorie {p.category} past niet bij code {p.code}")
    if p.group and p.group not in groups:
        problems.add(
            p.loc("productgroep"),
            f"onbekende productgroep '{p.group}'",
            _suggest(p.group, groups) or _known(groups),
        )
    if p.lot and p.lot not in lots:
        problems.add(p.loc("perceel"), f"onbekend perceel '{p.lot}'", _suggest(p.lot, lots) or _known(lots))
    if p.valid_from and p.valid_to and p.valid_from > p.valid_to:
        problems.add(p.loc("geldig_vanaf"), f"geldig_vanaf {p.valid_from} ligt na geldig_tot {p.valid_to}")
    if p.derived:
        keys = {f.metadata["key"]: name for name, f, _ in fields_of(Product)}
        for i, key in enumerate(p.derived):
            if key not in keys:
                problems.add(
                    p.loc("afgeleid", i), f"'{key}' is geen sleutel van een product", _suggest(key, keys)
                )
            elif key not in p.locs:
                problems.add(
                    p.loc("afgeleid", i), f"'{key}' heet afgeleid maar heeft geen waarde in dit product"
                )
        if not p.derived_note:
            problems.add(
                p.loc("afgeleid"), "afgeleid zonder afgeleid_toelichting", "zeg hoe de waarde is bepaald"
            )
    for t in p.tariffs:
        _tariff(t, units, problems)
        _instalments(p, t, problems)
    _periods(p.tariffs, problems)
    for lvl in p.levels:
        for t in lvl.tariffs:
            _tariff(t, units, problems)
            _instalments(p, t, problems)
        _periods(lvl.tariffs, problems)
    _unique(p.levels, "niveau", problems)
    for i, ref in enumerate(p.kernbedingen):
        if ref not in rc.kernbedingen:
            problems.add(
                p.loc("kernbedingen", i), f"onbekend kernbeding '{ref}'", _suggest(ref, rc.kernbedingen)
            )
    for i, ref in enumerate(p.replaced_by):
        if ref not in rc.products:
            problems.add(
                p.loc("vervangen_door", i),
                f"vervangen_door verwijst naar onbekend product '{ref}'",
                _suggest(ref, rc.products),
            )
    if p.combinations:
        for key, refs in (("niet_met", p.combinations.not_with), ("alleen_met", p.combinations.only_with)):
            for i, ref in enumerate(refs):
                if ref not in targets:
                    problems.add(
                        p.combinations.loc(key, i),
                        f"combinatie verwijst naar onbekend product '{ref}'",
                        _suggest(ref, targets)
                        or "voeg het toe als product of onder externe_codes in regio.yml",
                    )
    scope = p.combinations.scope if p.combinations else None
    if (
        scope
        and scope.municipality
        and rc.region.municipalities
        and scope.municipality not in rc.region.municipalities
    ):
        problems.add(
            scope.loc("gemeente"),
            f"gemeente '{scope.municipality}' staat niet in regio.yml",
            _suggest(scope.municipality, rc.region.municipalities),
        )
    if p.national and p.national not in content.care_forms:
        problems.add(
            p.loc("landelijk"),
            f"onbekende landelijke zorgvorm '{p.national}'",
            _suggest(p.national, content.care_forms),
        )
    for r in p.restrictions:
        if rc.region.municipalities and r.municipality not in rc.region.municipalities:
            problems.add(
                r.loc("gemeente"),
                f"gemeente '{r.municipality}' staat niet in regio.yml",
                _suggest(r.municipality, rc.region.municipalities),
            )


def _tariff(t, units, problems: Problems) -> None:
    if t.unit and t.unit not in units:
        problems.add(t.loc("eenheid"), f"onbekende eenheid '{t.unit}'", _close(t.unit, units))
    if t.amount is None and not t.description and "bedrag" not in t.locs:
        problems.add(
            t.loc(""),
            "tarief zonder bedrag en zonder omschrijving",
            "geef 'bedrag', of 'omschrijving' (bijvoorbeeld 'zie productencatalogus') "
            "als de bron geen bedrag noemt",
        )
    if t.valid_from and t.valid_to and t.valid_from > t.valid_to:
        problems.add(t.loc("geldig_vanaf"), f"geldig_vanaf {t.valid_from} ligt na geldig_tot {t.valid_to}")
    if t.instalment_amount is not None and not t.instalments:
        problems.add(t.loc("termijnbedrag"), "termijnbedrag zonder aantal termijnen")
    # Our own tariffs (typed by hand or made by `indexeer`) follow the instalment rule; a tariff
    # typed from a source is checked exactly instead, and a difference there is a source error
    # the content acknowledges (see _instalments).
    mismatch = instalment_mismatch(t) if t.source is None else ""
    if mismatch:
        problems.add(t.loc("termijnbedrag"), mismatch)
    if t.per and _is_sentence(t.per):
        problems.add(
            t.loc("per"),
            f"'per' is een zin, geen eenheid: '{t.per[:40]}{'…' if len(t.per) > 40 else ''}'",
            f"houd 'per' kort, hoogstens {PER_MAX_WORDS} woorden zoals 'deelnemende jeugdige', "
            "en zet de zin in 'toelichting'",
        )


def _periods(tariffs, problems: Problems) -> None:
    """Successive tariffs for the same unit join day to day: no overlap, no gap."""
    for t, key, message in period_problems(tariffs):
        problems.add(
            t.loc(key),
            message,
            "het vorige tarief hoort te eindigen op de dag voor geldig_vanaf van het volgende",
        )


PER_MAX_WORDS = 5
# 'per X' names what a tariff is counted over: a few words, not a clause or a sentence.
_PER_SENTENCE = re.compile(
    r"[.;:!?()]|^(?:voor|als|indien|wanneer|er|het|de|dit|alleen|mits|tenzij|zolang)\b", re.I
)


def _is_sentence(per: str) -> bool:
    text = per.strip()
    return len(text.split()) > PER_MAX_WORDS or text[:1].isupper() or bool(_PER_SENTENCE.search(text))


def instalment_total(t):
    """(termijnen x termijnbedrag) when it differs from bedrag, else None (exact, no rounding)."""
    if t.amount is None or t.instalment_amount is None or not t.instalments:
        return None
    total = t.instalments * t.instalment_amount
    return total if total != t.amount else None


def _instalments(p: Product, t, problems: Problems) -> None:
    """A tariff typed from a source whose instalments do not add up exactly is a source error
    the content must acknowledge with a remark of kind 'rekenverschil' pointing at the tariff's
    source line. (Tariffs without a source follow the rounding rule of
    tariffs.instalment_mismatch instead; see _tariff.)"""
    total = instalment_total(t)
    if total is None or t.source is None:
        return
    line = t.source.line if t.source else None
    for r in p.remarks:
        if r.kind == "rekenverschil" and (
            line is None
            or r.source
            and (r.source.line == line or (r.source.line_end and r.source.line <= line <= r.source.line_end))
        ):
            return
    where = f"regel {line}" if line else "de regel van het tarief"
    problems.add(
        t.loc("termijnbedrag"),
        f"{t.instalments} termijnen x {dutch.money(t.instalment_amount)} = {dutch.money(total)}, "
        f"niet het bedrag {dutch.money(t.amount)}",
        f"staat het zo in de bron, voeg dan een opmerking toe met soort: rekenverschil en bron {where}",
    )


def _kernbeding(rc, k: Kernbeding, segments, targets, problems: Problems) -> None:
    if k.segment and k.segment not in segments:
        problems.add(
            k.loc("segment"),
            f"onbekend segment '{k.segment}'",
            _suggest(k.segment, segments) or _known(segments),
        )
    if k.code:
        if k.code_status == "definitief" and not re.fullmatch(CODE_PATTERN, k.code):
            problems.add(
                k.loc("code"),
                f"'{k.code}' is geen geldige productcode",
                "gebruik code_status: placeholder of zoals_gedrukt als de bron het zo schrijft",
            )
        if k.code_status == "placeholder" and not PLACEHOLDER_CODE_RE.fullmatch(k.code):
            problems.add(k.loc("code"), f"'{k.code}' is geen placeholder (verwacht XXXXX)")
    for i, ref in enumerate(k.products):
        if ref not in rc.products:
            problems.add(k.loc("producten", i), f"onbekend product '{ref}'", _suggest(ref, rc.products))
    if k.see and k.see not in rc.kernbedingen:
        problems.add(k.loc("inhoud_zie"), f"onbekend kernbeding '{k.see}'", _suggest(k.see, rc.kernbedingen))


def _replacement_cycles(rc: RegionContent, problems: Problems) -> None:
    graph = {pid: [r for r in p.replaced_by if r in rc.products] for pid, p in rc.products.items()}
    state: dict[str, int] = {}
    reported: set[frozenset] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    problems.add(
                        rc.products[node].loc("vervangen_door"),
                        "kringverwijzing in vervangen_door: " + " -> ".join(cycle),
                    )
            elif state.get(nxt) is None:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for pid in sorted(graph):
        if pid not in state:
            visit(pid, [])


def _book_order(rc: RegionContent) -> dict[str, Product]:
    group_index = {g.id: i for i, g in enumerate(rc.region.product_groups)}
    contract_pos: dict[str, int] = {}
    for contract in rc.region.contracts:
        for lst in contract.lists:
            for ref in lst.products:
                contract_pos.setdefault(ref, len(contract_pos))

    def key(item):
        pid, p = item
        return (
            group_index.get(p.group or "", len(group_index)),
            contract_pos.get(pid, len(contract_pos)),
            p.order if p.order is not None else 10**6,
            p.code or "",
            pid,
        )

    return dict(sorted(rc.products.items(), key=key))


def _kernbeding_order(rc: RegionContent) -> dict[str, Kernbeding]:
    pos: dict[str, int] = {}
    for seg in rc.region.segments:
        for ref in seg.kernbedingen:
            pos.setdefault(ref, len(pos))
    return dict(sorted(rc.kernbedingen.items(), key=lambda kv: (pos.get(kv[0], len(pos)), kv[0])))


def open_points(rc: RegionContent) -> list[tuple[str, str, str]]:
    """(location, where, text) for every open point of a region: placeholders in kernbeding
    clauses, explicit open_punten, and tariffs the source does not give."""
    return [(loc, where, text) for loc, where, text, _kind, _id, _context in open_point_items(rc)]


def open_point_items(rc: RegionContent) -> list[tuple[str, str, str, str, str, str]]:
    """open_points with, for readers, what the point belongs to ('product' or 'kernbeding'
    and its id) and the text around a placeholder (its context)."""
    out = []
    for k in rc.kernbedingen.values():
        for c in k.clauses:
            texts = [c.text or ""] + [i.text for i in _walk_items(c.items)]
            for text in texts:
                for m in OPEN_POINT_RE.finditer(text):
                    out.append(
                        (
                            str(c.loc("")),
                            f"kernbeding '{k.name}', clausule {c.label or '?'}",
                            m.group(0),
                            "kernbeding",
                            k.id,
                            _context(text, m.start(), m.end()),
                        )
                    )
        if k.code and k.code_status == "placeholder":
            out.append(
                (
                    str(k.loc("code")),
                    f"kernbeding '{k.name}'",
                    f"productcode {k.code}",
                    "kernbeding",
                    k.id,
                    "",
                )
            )
    for p in rc.products.values():
        where = f"product {p.code or p.id} '{p.name}'"
        for text in p.open_points:
            out.append((str(p.loc("open_punten")), where, text, "product", p.id, ""))
        for t in p.tariffs:
            if t.amount is None:
                out.append(
                    (str(t.loc("")), where, f"tarief: {t.description or 'geen bedrag'}", "product", p.id, "")
                )
        if not p.tariffs and not p.levels and not any("tarie" in t.lower() for t in p.open_points):
            out.append((str(p.loc("")), where, "tarief: de bron noemt geen tarief", "product", p.id, ""))
    for d in rc.region.disciplines:
        if d.tariff and d.tariff.amount is None:
            out.append(
                (
                    str(d.loc("tarief")),
                    f"discipline {d.name}",
                    f"tarief: {d.tariff.description or 'geen bedrag'}",
                    "discipline",
                    d.id,
                    "",
                )
            )
    return out


def _context(text: str, start: int, end: int, width: int = 70) -> str:
    """The words around a placeholder, so a reader sees what is open: '… bedraagt [PM] per …'."""
    a = max(0, start - width)
    b = min(len(text), end + width)
    if a > 0:
        a = text.find(" ", a) + 1 or a
    if b < len(text):
        b = text.rfind(" ", end, b) if text.rfind(" ", end, b) > end else b
    return ("… " if a > 0 else "") + " ".join(text[a:b].split()) + (" …" if b < len(text) else "")


def _walk_items(items):
    for it in items:
        yield it
        yield from _walk_items(it.items)


# -- rules that keep odd input from breaking a build later --------------------------------

MAX_ITEM_DEPTH = 8  # nested clause items; the book's layout (Typst) gives up far deeper


def robustness(content: Content, rc: RegionContent, problems: Problems) -> None:
    _chapter_slugs(rc, problems)
    _item_depth(rc, problems)
    _source_documents(content, rc, problems)


def _chapter_slugs(rc: RegionContent, problems: Problems) -> None:
    """Each chapter's page name (its file name without the number) is unique and not empty."""
    seen: dict[str, str] = {}
    for ch in rc.chapters:
        if not ch.slug:
            problems.add(
                Location(ch.path),
                "bestandsnaam geeft het hoofdstuk geen naam",
                "noem het bijvoorbeeld 01-inleiding.md",
            )
        elif ch.slug in seen:
            problems.add(
                Location(ch.path),
                f"hoofdstuk heeft dezelfde paginanaam '{ch.slug}' als {seen[ch.slug]}",
                "geef een van de bestanden een andere naam na het nummer",
            )
        else:
            seen[ch.slug] = ch.path


def _item_depth(rc: RegionContent, problems: Problems) -> None:
    def walk(items, depth: int) -> None:
        for it in items:
            if depth > MAX_ITEM_DEPTH:
                problems.add(
                    it.loc(""),
                    f"items zijn te diep genest (meer dan {MAX_ITEM_DEPTH} niveaus)",
                    "maak de opsomming platter",
                )
                return
            walk(it.items, depth + 1)

    for k in rc.kernbedingen.values():
        for c in k.clauses:
            walk(c.items, 1)


def _source_documents(content: Content, rc: RegionContent, problems: Problems) -> None:
    """Every bron.document names a file in bronnen/ (next to the content folder, when there is one)."""
    folder = Path(content.root).resolve().parent / "bronnen"
    if not folder.is_dir():
        return
    present = {p.name for p in folder.iterdir() if p.is_file()}
    for obj in (
        rc.region,
        *rc.products.values(),
        *rc.kernbedingen.values(),
        *rc.segment_details.values(),
        rc.cross_topics,
    ):
        for bron in _sources(obj):
            if bron.document not in present:
                problems.add(
                    bron.loc("document"),
                    f"brondocument '{bron.document}' staat niet in bronnen/",
                    _suggest(bron.document, present),
                )


def _sources(obj):
    """Every Bron inside a model object."""
    if isinstance(obj, Bron):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from _sources(x)
    elif is_dataclass(obj) and not isinstance(obj, type):
        for name in _item_fields(type(obj)):
            yield from _sources(getattr(obj, name))


@cache
def _item_fields(cls) -> tuple[str, ...]:
    """The fields of cls that can hold model objects (not plain text, numbers or dates)."""
    return tuple(name for name, _f, tp in fields_of(cls) if _may_hold_item(tp))


def _may_hold_item(tp) -> bool:
    if isinstance(tp, type):
        return is_dataclass(tp)
    return any(_may_hold_item(a) for a in get_args(tp))
