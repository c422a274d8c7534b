"""View models: what a template may see. Money, dates and references are resolved here,
so templates only place ready-made text. Text fields become blocks (paragraphs, lists)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import dutch
from .content import Content, RegionContent
from .lifecycle import default_year, derive
from .model import Kernbeding, Level, Product, Tariff
from .tariffs import current, reference_date, series, status
from .validate import OPEN_POINT_RE, open_points

LAW_NAMES = {"jeugdwet": "Jeugdwet", "wmo": "Wmo"}
USE_TEXT = {"niet": "niet in te zetten", "onder_voorwaarde": "alleen onder voorwaarde in te zetten"}
FUNDING_NAMES = {"inspanning": "inspanningsgericht", "output": "outputgericht", "taakgericht": "taakgericht",
                 "beschikbaarheid": "beschikbaarheidsfinanciering", "anders": "anders"}


@dataclass(frozen=True)
class ListItem:
    text: str
    sub: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    kind: str              # 'p' or 'ul'
    text: str = ""
    items: tuple[ListItem, ...] = ()


_BULLET = re.compile(r"^(\s*)(?:[-•*▪◦o])\s+(.*)$")


def blocks(text: str | None) -> list[Block]:
    """Plain text -> paragraphs and bullet lists. A blank line starts a paragraph; lines
    starting with '- ', '• ' or '* ' form a list, indented ones a sub-list of the item above."""
    out: list[Block] = []
    if not text:
        return out
    for para in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [ln.rstrip() for ln in para.split("\n") if ln.strip()]
        buf: list[str] = []
        items: list[list] = []   # [text, [sub items]]
        for ln in lines:
            m = _BULLET.match(ln)
            if m:
                if buf:
                    out.append(Block("p", " ".join(buf)))
                    buf = []
                if len(m.group(1)) >= 2 and items:
                    items[-1][1].append(m.group(2).strip())
                else:
                    items.append([m.group(2).strip(), []])
            elif items and ln.startswith(("  ", "\t")):
                target = items[-1][1] if items[-1][1] else None
                if target:
                    target[-1] += " " + ln.strip()
                else:
                    items[-1][0] += " " + ln.strip()
            else:
                if items:
                    out.append(Block("ul", items=tuple(ListItem(t, tuple(sub)) for t, sub in items)))
                    items = []
                buf.append(ln.strip())
        if buf:
            out.append(Block("p", " ".join(buf)))
        if items:
            out.append(Block("ul", items=tuple(ListItem(t, tuple(sub)) for t, sub in items)))
    return out


@dataclass(frozen=True)
class TextRun:
    """A run of text that is either plain or an open point ([PM] and the like)."""

    text: str
    open: bool = False


def open_segments(text: str | None) -> list[TextRun]:
    if not text:
        return []
    out, pos = [], 0
    for m in OPEN_POINT_RE.finditer(text):
        if m.start() > pos:
            out.append(TextRun(text[pos:m.start()]))
        out.append(TextRun(m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append(TextRun(text[pos:]))
    return out


@dataclass(frozen=True)
class Ref:
    label: str
    target: str = ""       # id of a product/kernbeding page in this region; '' if none
    kind: str = "product"


@dataclass(frozen=True)
class TariffView:
    text: str
    period: str
    amount: str
    unit: str
    missing: bool


@dataclass(frozen=True)
class RowView:
    label: str
    value: str


@dataclass
class ProductView:
    id: str
    code: str
    name: str
    title: str
    law: str
    category: str
    group: str
    lot: str
    description: list[Block]
    target_group: list[Block]
    result: list[Block]
    notes: list[str]
    requirements: list[str]
    conditions: list[list[Block]]
    facts: list[RowView]
    tariffs: list[TariffView]
    tariff_summary: str
    unit_summary: str
    restrictions: list[RowView]
    combinations: dict
    levels: list[dict]
    kernbedingen: list[Ref]
    national: Ref | None
    national_note: str
    lifecycle: list[RowView]
    replaced_by: list[Ref]
    features: list[RowView]
    footnotes: list[str]
    open_points: list[str]
    remarks: list[str]
    source: str
    source_path: str
    tariff_history: list[dict] = field(default_factory=list)


STATUS_TEXT = {"geldt": "geldend", "aangekondigd": "aangekondigd", "eerder": "vervallen"}


def tariff_history(tariffs, day) -> list[dict]:
    """Every period of a series that has more than one, oldest first, with its status on `day`."""
    rows = []
    for group in series(tariffs):
        if len(group) > 1:
            rows += [{"text": dutch.tariff_text(t), "period": dutch.tariff_period(t) or "altijd",
                      "status": STATUS_TEXT[status(t, day)]} for t in group]
    return rows


def tariff_view(t: Tariff) -> TariffView:
    return TariffView(dutch.tariff_text(t), dutch.tariff_period(t), dutch.money(t.amount),
                      dutch.tariff_unit(t), t.amount is None)


def source_text(b) -> str:
    if b is None:
        return ""
    if b.line and b.line_end and b.line_end != b.line:
        return f"{b.document}, regels {b.line}–{b.line_end}"
    if b.line:
        return f"{b.document}, regel {b.line}"
    return b.document


class RegionViews:
    """Builds the views of one region; resolves references against its content."""

    def __init__(self, content: Content, rc: RegionContent, day=None):
        self.content = content
        self.rc = rc
        self.day = reference_date(rc.region.contract_year, day)
        self.codes = {p.code: pid for pid, p in rc.products.items() if p.code}
        self.external = {e.code: e for e in rc.region.external_codes}
        self.groups = {g.id: g for g in rc.region.product_groups}
        self.lots = {lot.id: lot for lot in rc.region.lots}

    # -- references ---------------------------------------------------------------------
    def product_ref(self, ref: str) -> Ref:
        pid = ref if ref in self.rc.products else self.codes.get(ref)
        if pid:
            p = self.rc.products[pid]
            return Ref(f"{p.code} {p.name}" if p.code else p.name, pid)
        ext = self.external.get(ref)
        if ext:
            return Ref(f"{ext.code} {ext.name}" if ext.name else ext.code, "")
        return Ref(ref, "")

    def kernbeding_ref(self, ref: str) -> Ref:
        k = self.rc.kernbedingen.get(ref)
        return Ref(k.name if k else ref, ref if k else "", "kernbeding")

    # -- products -----------------------------------------------------------------------
    def product(self, p: Product) -> ProductView:
        cats = self.content.categories(p.law)
        category = p.category or (p.code[:2] if p.code else "")
        category_text = f"{category} {cats.get(category, '')}".strip() if category else ""
        group = self.groups[p.group].name if p.group in self.groups else ""
        lot = self.lots[p.lot].name if p.lot in self.lots else ""
        groups = series(p.tariffs)
        shown = [current(g, self.day) for g in groups]
        tariffs = [tariff_view(t) for t in p.tariffs if any(t is x for x in shown)]
        announced = [t for g in groups for t in g if status(t, self.day) == "aangekondigd" and not any(t is x for x in shown)]
        facts = [RowView("Productcode", p.code or "(geen code)"), RowView("Productnaam", p.name),
                 RowView("Wet", LAW_NAMES[p.law])]
        if category_text:
            facts.append(RowView("Productcategorie", category_text))
        if group:
            facts.append(RowView("Productgroep", group))
        if lot:
            facts.append(RowView("Perceel", lot))
        if p.age:
            facts.append(RowView("Leeftijd", age_text(p.age)))
        if p.duration:
            facts.append(RowView("Duur", p.duration))
        if p.intensity:
            facts.append(RowView("Intensiteit", p.intensity))
        for t in tariffs:
            facts.append(RowView("Maximumtarief" if not t.missing else "Tarief", t.text + (f" ({t.period})" if t.period else "")))
        for t in announced:
            facts.append(RowView(f"Tarief vanaf {dutch.date_long(t.valid_from)}", dutch.tariff_text(t)))
        restrictions = [RowView(r.municipality, "; ".join(x for x in (
            (f"vanaf {dutch.date_long(r.since)} " if r.since else "") + USE_TEXT[r.use], r.note or "") if x))
            for r in p.restrictions]
        comb = {}
        if p.combinations:
            c = p.combinations
            comb = {"not_with": [self.product_ref(x) for x in c.not_with],
                    "only_with": [self.product_ref(x) for x in c.only_with],
                    "standalone": {True: "ja", False: "nee", None: ""}[c.standalone],
                    "note": c.note or ""}
        lifecycle = []
        if p.valid_from:
            lifecycle.append(RowView("Geldig vanaf", dutch.date_long(p.valid_from)))
        if p.valid_to:
            lifecycle.append(RowView("Geldig tot en met", dutch.date_long(p.valid_to) + (" (onzeker)" if p.uncertain else "")))
        if p.change:
            lifecycle.append(RowView("Wijziging", p.change))
        national = None
        if p.national:
            cf = self.content.care_forms.get(p.national)
            national = Ref(cf.name if cf else p.national, p.national, "zorgvorm")
        opens = list(p.open_points) + [f"tarief: {t.text}" for t in tariffs if t.missing]
        title = f"{p.code} {p.name}" if p.code else p.name
        return ProductView(
            id=p.id, code=p.code or "", name=p.name, title=title, law=LAW_NAMES[p.law], category=category_text,
            group=group, lot=lot, description=blocks(p.description), target_group=blocks(p.target_group),
            result=blocks(p.result), notes=list(p.notes), requirements=list(p.requirements),
            conditions=[blocks(c) for c in p.conditions], facts=facts, tariffs=tariffs,
            tariff_summary="; ".join(t.amount or t.text for t in tariffs),
            unit_summary="; ".join(t.unit for t in tariffs if t.unit),
            restrictions=restrictions, combinations=comb, levels=[self.level(lv) for lv in p.levels],
            kernbedingen=[self.kernbeding_ref(k) for k in p.kernbedingen], national=national,
            national_note=p.national_note or "", lifecycle=lifecycle,
            replaced_by=[self.product_ref(r) for r in p.replaced_by],
            features=[RowView(f.name, f.value) for f in p.features], footnotes=list(p.footnotes),
            open_points=opens, remarks=[remark_text(r) for r in p.remarks], source=source_text(p.source),
            source_path=p.loc("").path, tariff_history=tariff_history(p.tariffs, self.day),
        )

    def level(self, lv: Level) -> dict:
        rows = [RowView(label, value) for label, value in (
            ("Code", lv.code), ("Definitie", lv.definition), ("Doelgroep", lv.target_group), ("Vorm", lv.form),
            ("Resultaat", lv.result), ("Groepsgrootte", lv.group_size), ("Crisisinterventies", lv.crisis_interventions),
            ("Kenmerken problematiek", lv.characteristics), ("Inzet en duur toewijzing", lv.deployment),
            ("Duur", lv.max_duration)) if value]
        rows += [RowView("Tarief", dutch.tariff_text(t) + (f" ({dutch.tariff_period(t)})" if dutch.tariff_period(t) else ""))
                 for g in series(lv.tariffs) for t in (current(g, self.day),)]
        rows += [RowView(f.name, f.value) for f in lv.features]
        return {"id": lv.id, "name": lv.name, "rows": rows, "source": source_text(lv.source)}

    # -- kernbedingen ---------------------------------------------------------------------
    def kernbeding(self, k: Kernbeding) -> dict:
        facts = []
        if k.code:
            status = {"placeholder": " (nog niet vastgesteld)", "zoals_gedrukt": " (zoals gedrukt in de bron)"}.get(k.code_status, "")
            facts.append(RowView("Productcode", k.code + status))
        if k.overview_name and k.overview_name != k.name:
            facts.append(RowView("Naam in overzicht", k.overview_name))
        seg = next((s for s in self.rc.region.segments if s.id == k.segment), None)
        if seg:
            facts.append(RowView("Segment", f"{seg.number}. {seg.name}" if seg.number else seg.name))
        if k.funding:
            f = k.funding
            parts = [FUNDING_NAMES.get(f.form or "", ""), f"per {f.unit}" if f.unit else ""]
            facts.append(RowView("Bekostiging", " ".join(x for x in parts if x) or (f.text or "")))
            if f.text and (f.form or f.unit):
                facts.append(RowView("Bekostiging (tekst)", f.text))
        for label, value in (("Kwaliteitsniveau", k.quality), ("Duur", k.duration), ("Verlenging", k.extension),
                             ("Groepsgrootte", k.group_size)):
            if value:
                facts.append(RowView(label, value))
        if k.age:
            facts.append(RowView("Leeftijd", age_text(k.age)))
        if k.staff:
            facts.append(RowView("Personeel", "; ".join(k.staff)))
        if k.frameworks:
            facts.append(RowView("Kwaliteitskaders", ", ".join(k.frameworks)))
        clauses = []
        for c in k.clauses:
            clauses.append({"label": c.label or "", "heading": c.heading or "", "text": open_segments(c.text),
                            "items": [item_view(i) for i in c.items], "remark": c.remark or "",
                            "open": bool(OPEN_POINT_RE.search(c.text or "")) or any(
                                OPEN_POINT_RE.search(i.text) for i in _walk(c.items))})
        return {"id": k.id, "name": k.name, "facts": facts, "clauses": clauses,
                "levels": [self.level(lv) for lv in k.levels],
                "products": [self.product_ref(p) for p in k.products],
                "see": self.kernbeding_ref(k.see) if k.see else None,
                "features": [RowView(f.name, f.value) for f in k.features],
                "remarks": [remark_text(r) for r in k.remarks], "source": source_text(k.source),
                "source_path": k.loc("").path, "code": k.code or ""}


def _walk(items):
    for it in items:
        yield it
        yield from _walk(it.items)


def item_view(item) -> dict:
    return {"label": item.label or "", "text": open_segments(item.text), "items": [item_view(i) for i in item.items]}


def age_text(a) -> str:
    if a.text:
        return a.text
    if a.min is not None and a.max is not None:
        return f"{a.min} tot en met {a.max} jaar"
    if a.min is not None:
        return f"vanaf {a.min} jaar"
    if a.max is not None:
        return f"tot en met {a.max} jaar"
    return ""


def remark_text(r) -> str:
    src = source_text(r.source)
    return f"{r.text} ({src})" if src else r.text


@dataclass
class RegionView:
    slug: str
    name: str
    organisation: str
    title: str
    subtitle: str
    laws: str
    municipalities: list[str]
    subregions: list[RowView]
    access_points: list[str]
    procurement: str
    contract_year: int
    published: str
    start: str
    version: str
    introduction: list[Block]
    chapters: list
    groups: list[dict]
    products: list[ProductView]
    kernbedingen: list[dict]
    segments: list[dict]
    contracts: list[dict]
    lots: list[dict]
    disciplines: list[RowView]
    rules: list[dict]
    external_codes: list[RowView]
    terms: list[RowView]
    milestones: list[RowView]
    waswordt: list
    open_points: list[tuple[str, str, str]]
    remarks: list[str]
    sources: list[RowView]
    index: list[ProductView] = field(default_factory=list)
    steering: list[dict] = field(default_factory=list)
    cross_topics: dict | None = None
    glossary: list[dict] = field(default_factory=list)
    peildatum: str = ""
    versions: list[dict] = field(default_factory=list)   # 'Versiebeheer': one row per published version


def region_view(content: Content, slug: str, version: str = "", peildatum=None) -> RegionView:
    rc = content.regions[slug]
    r = rc.region
    rv = RegionViews(content, rc, peildatum)
    products = [rv.product(p) for p in rc.products.values()]
    by_id = {p.id: p for p in products}
    groups = []
    grouped: set[str] = set()
    for g in r.product_groups:
        members = [by_id[pid] for pid, p in rc.products.items() if p.group == g.id]
        grouped.update(m.id for m in members)
        groups.append({"id": g.id, "name": g.name, "description": blocks(g.description), "products": members})
    rest = [p for p in products if p.id not in grouped]
    if rest:
        groups.append({"id": "overige-producten" if groups else "producten",
                       "name": "Overige producten" if groups else "Producten", "description": [], "products": rest})
    kernbedingen = {kid: rv.kernbeding(k) for kid, k in rc.kernbedingen.items()}
    segments = []
    for s in r.segments:
        segments.append({"id": s.id, "number": s.number, "name": s.name, "title": f"Segment {s.number}: {s.name}" if s.number else s.name,
                         "description": blocks(s.description), "goals": list(s.goals), "procurement_goals": list(s.procurement_goals),
                         "changes": list(s.changes), "start": dutch.date_long(s.start),
                         "kernbedingen": [kernbedingen[k] for k in s.kernbedingen if k in kernbedingen],
                         "outside": [rv.kernbeding_ref(k) for k in s.outside] + [Ref(n) for n in s.outside_names],
                         "remarks": [remark_text(x) for x in s.remarks]})
    in_segment = {k for s in r.segments for k in s.kernbedingen}
    loose = [v for kid, v in kernbedingen.items() if kid not in in_segment]
    if loose:
        segments.append({"id": "overige-kernbedingen", "number": None, "name": "Overige kernbedingen",
                         "title": "Overige kernbedingen" if r.segments else "Kernbedingen", "description": [], "goals": [],
                         "procurement_goals": [], "changes": [], "start": "", "kernbedingen": loose, "outside": [], "remarks": []})
    year = default_year(rc)
    ww = derive(rc, year)
    contracts = []
    for c in r.contracts:
        contracts.append({"id": c.id, "name": c.name, "outside_book": c.outside_book,
                          "laws": ", ".join(LAW_NAMES[x] for x in c.laws),
                          "texts": [(label, blocks(text)) for label, text in (
                              ("Hoofdlijn contract", c.outline), ("Veranderingen", c.changes),
                              ("Ontwikkelopgave", c.development), ("Fasering", c.phasing)) if text],
                          "lists": [lst for lst in ww if lst.contract == c.name],
                          "remarks": [remark_text(x) for x in c.remarks]})
    lots = []
    for lot in r.lots:
        rows = [RowView(label, value) for label, value in (
            ("Doelgroep", lot.target_group), ("Leeftijd", age_text(lot.age) if lot.age else ""),
            ("Toewijzing", lot.assignment), ("Budget", lot.budget), ("Declaratie", lot.declaration),
            ("Eenheid", lot.unit), ("Tarief", lot.tariff_text), ("Einddatum toewijzing", lot.end_of_assignment)) if value]
        rows += [RowView(f.name, f.value) for f in lot.features]
        disc = [d.name for d in r.disciplines if d.id in lot.disciplines]
        if disc:
            rows.append(RowView("Disciplines", ", ".join(disc)))
        lots.append({"id": lot.id, "title": f"Perceel {lot.number}: {lot.name}" if lot.number else lot.name,
                     "description": blocks(lot.description), "rows": rows, "source": source_text(lot.source),
                     "products": [p for p in products if p.lot == lot.name]})
    units = content.units()
    disciplines = [RowView(d.name, "; ".join(x for x in (
        "eenheid: " + " of ".join(units.get(u, u).lower() for u in d.units) if d.units else "",
        "code: " + (d.code or d.code_text or ""),
        "tarief: " + dutch.tariff_text(d.tariff) if d.tariff else "") if x)) for d in r.disciplines]
    return RegionView(
        slug=slug, name=r.name, organisation=r.organisation or "", title=r.title, subtitle=r.subtitle or "",
        laws=", ".join(LAW_NAMES[x] for x in r.laws), municipalities=list(r.municipalities),
        subregions=[RowView(s.name, ", ".join(s.municipalities)) for s in r.subregions],
        access_points=list(r.access_points), procurement=r.procurement or "", contract_year=year,
        published=dutch.date_long(r.published), start=dutch.date_long(r.start), version=version or r.version or "",
        introduction=blocks(r.introduction), chapters=list(rc.chapters), groups=groups, products=products,
        kernbedingen=list(kernbedingen.values()), segments=segments, contracts=contracts, lots=lots,
        disciplines=disciplines,
        rules=[{"id": x.id, "title": x.title, "text": blocks(x.text), "items": list(x.items), "source": source_text(x.source)} for x in r.rules],
        external_codes=[RowView(e.code, " — ".join(v for v in (e.name or "", e.note or "") if v)) for e in r.external_codes],
        terms=[RowView(t.term, t.definition) for t in r.terms],
        milestones=[RowView(m.when, m.text) for m in r.milestones],
        waswordt=ww, open_points=open_points(rc), remarks=[remark_text(x) for x in r.remarks],
        sources=[RowView(s.document, " — ".join(v for v in (s.title or "", s.description or "") if v)) for s in r.sources],
        index=sorted([p for p in products if p.code], key=lambda p: p.code),
        steering=steering_views(rc),
        cross_topics=cross_topic_view(rc),
        glossary=glossary(content, rc),
        peildatum=dutch.date_long(rv.day) if (peildatum or r.contract_year) else "",  # not 'today': it would date the page
    )


def glossary(content: Content, rc: RegionContent) -> list[dict]:
    """The region's own terms joined with the national begrippen, alphabetically."""
    terms = [{"label": t.term, "value": t.definition, "origin": ""} for t in rc.region.terms]
    if content.national:
        terms += [{"label": t.term, "value": t.definition, "origin": "landelijk"} for t in content.national.terms]
    return sorted(terms, key=lambda t: (t["label"].lower(), t["origin"]))


LEVELS = [("input", "Input", "Mensen en middelen"), ("throughput", "Throughput", "Werkprocessen"),
          ("output", "Output", "Producten en diensten"), ("outcome", "Outcome", "Effecten bij jeugdigen en doelgroepen"),
          ("impact", "Impact", "Effecten op de gemeenschap")]
INFLUENCE = {"gemeente": "gemeente", "aanbieder": "aanbieder", "beide": "gemeente en aanbieder", "geen": "geen van beide"}


def steering_views(rc: RegionContent) -> list[dict]:
    """Per segment: the effectketen level by level (goals link to what they depend on) and
    the randvoorwaarden sorted by score, highest first."""
    out = []
    for seg in rc.region.segments:
        d = rc.segment_details.get(seg.id)
        if d is None:
            continue
        names = {g.id: f"{g.level.capitalize()}doel {g.number or ''}".strip() for g in d.goals}
        names.update({c.id: f"Randvoorwaarde {c.number}" if c.number is not None else c.id for c in d.conditions})
        levels = []
        for key, label, subtitle in LEVELS:
            goals = [{"id": g.id, "number": g.number or "", "title": g.title or "", "text": g.text,
                      "indicators": list(g.indicators), "targets": [t.text for t in g.targets],
                      "depends": [Ref(names.get(r, r), r, "doel") for r in g.depends_on] + [Ref(t) for t in g.depends_text],
                      "remark": g.remark or ""} for g in d.goals if g.level == key]
            if goals:
                levels.append({"key": key, "label": label, "subtitle": subtitle, "goals": goals})
        conditions = sorted(d.conditions, key=lambda c: (-(c.score or 0), c.number or 0))
        out.append({"id": seg.id, "title": f"Segment {seg.number}: {seg.name}" if seg.number else seg.name,
                    "levels": levels,
                    "conditions": [{"id": c.id, "number": c.number, "situation": c.situation,
                                    "score": str(c.score) if c.score is not None else "", "score_text": c.score_text or "",
                                    "measure": c.measure or "", "influence": INFLUENCE.get(c.influence or "", c.influence_text or ""),
                                    "remark": c.remark or ""} for c in conditions],
                    "remarks": [remark_text(r) for r in d.remarks]})
    return out


def cross_topic_view(rc: RegionContent) -> dict | None:
    if rc.cross_topics is None:
        return None
    segments = [(s.id, str(s.number) if s.number else s.name) for s in rc.region.segments]
    rows = [{"number": t.number or "", "topic": t.topic, "description": t.description or "",
             "cells": ["●" if sid in t.segments else ("○" if not t.segments and t.kind == "voor_alle_segmenten" else "")
                       for sid, _ in segments], "link_text": t.link_text or ""}
            for t in rc.cross_topics.topics]
    return {"segments": [label for _, label in segments], "rows": rows}
