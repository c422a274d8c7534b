"""View models: what a template may see. Money, dates and references are resolved here,
so templates only place ready-made text. Text fields become blocks (paragraphs, lists)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import dutch
from .content import Content, RegionContent
from .lifecycle import NOT_STATED, STATUS_NAMES, default_year, derive, stated_year, status_of
from .model import Kernbeding, Level, Product, Tariff
from .render import anchor
from .tariffs import current, reference_date, series, status
from .validate import OPEN_POINT_RE, open_point_items, open_points
from .versions import VersionEntry

LAW_NAMES = {"jeugdwet": "Jeugdwet", "wmo": "Wmo"}
USE_TEXT = {"niet": "niet in te zetten", "onder_voorwaarde": "alleen onder voorwaarde in te zetten"}
FUNDING_NAMES = {
    "inspanning": "inspanningsgericht",
    "output": "outputgericht",
    "taakgericht": "taakgericht",
    "beschikbaarheid": "beschikbaarheidsfinanciering",
    "anders": "anders",
}


@dataclass(frozen=True)
class ListItem:
    text: str
    sub: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    kind: str  # 'p' or 'ul'
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
        items: list[list] = []  # [text, [sub items]]
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
            out.append(TextRun(text[pos : m.start()]))
        out.append(TextRun(m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append(TextRun(text[pos:]))
    return out


@dataclass(frozen=True)
class Ref:
    label: str
    target: str = ""  # id of a product/kernbeding page in this region; '' if none
    kind: str = "product"
    link: str = ""  # where it is shown, relative to the region's root ('productgroepen/x.md#45a49')


@dataclass(frozen=True)
class TariffView:
    text: str
    period: str
    amount: str
    unit: str
    missing: bool
    note: str = ""  # a condition on the tariff, in a sentence (toelichting)


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
    conditions_title: str = "Uitvoeringsvoorwaarden"
    comparison_url: str = ""  # the code's row in the portal's comparison (relative to the portal root)
    national_url: str = ""  # the national zorgvorm's page in the portal (relative to the portal root)
    waswordt: list[RowView] = field(default_factory=list)  # per was-wordt list: status and remark
    tariff_history: list[dict] = field(default_factory=list)
    page: str = ""  # the id of its product group's page (productgroepen/<page>/)
    anchor: str = ""  # its section on that page (#<anchor>)


STATUS_TEXT = {"geldt": "geldend", "aangekondigd": "aangekondigd", "eerder": "vervallen"}


def tariff_history(tariffs, day) -> list[dict]:
    """Every period of a series that has more than one, oldest first, with its status on `day`."""
    rows = []
    for group in series(tariffs):
        if len(group) > 1:
            rows += [
                {
                    "text": dutch.tariff_text(t),
                    "period": dutch.tariff_period(t) or "altijd",
                    "status": STATUS_TEXT[status(t, day)],
                }
                for t in group
            ]
    return rows


def tariff_view(t: Tariff) -> TariffView:
    return TariffView(
        dutch.tariff_text(t),
        dutch.tariff_period(t),
        dutch.money(t.amount),
        dutch.tariff_unit(t),
        t.amount is None,
        t.note or "",
    )


def source_text(b, titles: dict[str, str] | None = None) -> str:
    """'Productenboek (bijlage 5), regels 1491–1561': the source document by its title (from
    regio.yml's bronnen) when titles are given, never its file name."""
    if b is None:
        return ""
    doc = b.document if titles is None else titles.get(b.document, "brondocument")
    if b.line and b.line_end and b.line_end != b.line:
        return f"{doc}, regels {b.line}–{b.line_end}"
    if b.line:
        return f"{doc}, regel {b.line}"
    return doc


def source_titles(rc) -> dict[str, str]:
    """File name in bronnen/ -> the readable title of that source document."""
    return {s.document: s.title for s in rc.region.sources if s.title}


def named_sources(
    markdown: str, titles: dict[str, str], escape: Callable[[str], str], lines: bool = True
) -> str:
    """A chapter's references to a source file ('Bron: 001_….txt, regels 46–79') with the
    document's title instead of its file name, escaped for the output; with lines=False the
    line numbers go too (the book)."""
    for document, title in titles.items():
        pattern = re.escape(document) + ("" if lines else r"(?:, regels? [0-9–-]+)?")
        text = escape(title)
        markdown = re.sub(pattern, lambda _m: text, markdown)  # noqa: B023 - used at once
    return markdown


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
        self.titles = source_titles(rc)
        self.pages = product_pages(rc)
        self.links = product_links(self.pages)

    # -- references ---------------------------------------------------------------------
    def product_ref(self, ref: str) -> Ref:
        pid = ref if ref in self.rc.products else self.codes.get(ref)
        if pid:
            p = self.rc.products[pid]
            return Ref(f"{p.code} {p.name}" if p.code else p.name, pid, "product", self.links[pid])
        ext = self.external.get(ref)
        if ext:
            return Ref(f"{ext.code} {ext.name}" if ext.name else ext.code, "")
        return Ref(ref, "")

    def kernbeding_ref(self, ref: str) -> Ref:
        k = self.rc.kernbedingen.get(ref)
        return Ref(
            k.name if k else ref, ref if k else "", "kernbeding", f"kernbedingen/{ref}.md" if k else ""
        )

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
        announced = [
            t
            for g in groups
            for t in g
            if status(t, self.day) == "aangekondigd" and not any(t is x for x in shown)
        ]
        facts = [
            RowView("Productcode", p.code or "(geen code)"),
            RowView("Productnaam", p.name),
            RowView("Wet", LAW_NAMES[p.law]),
        ]
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
            facts.append(
                RowView(
                    "Maximumtarief" if not t.missing else "Tarief",
                    t.text + (f" ({t.period})" if t.period else "") + (f" ({t.note})" if t.note else ""),
                )
            )
        for t in announced:
            facts.append(RowView(f"Tarief vanaf {dutch.date_long(t.valid_from)}", dutch.tariff_text(t)))
        restrictions = [
            RowView(
                r.municipality,
                "; ".join(
                    x
                    for x in (
                        (f"vanaf {dutch.date_long(r.since)} " if r.since else "") + USE_TEXT[r.use],
                        r.note or "",
                    )
                    if x
                ),
            )
            for r in p.restrictions
        ]
        comb = {}
        if p.combinations:
            c = p.combinations
            comb = {
                "not_with": [self.product_ref(x) for x in c.not_with],
                "only_with": [self.product_ref(x) for x in c.only_with],
                "standalone": {True: "ja", False: "nee", None: ""}[c.standalone],
                "note": c.note or "",
                "not_with_condition": c.not_with_condition or "",
                "scope": scope_text(c.scope),
            }
        lifecycle = []
        mark = {k: " (afgeleid)" for k in p.derived}
        if p.valid_from:
            lifecycle.append(
                RowView("Geldig vanaf", dutch.date_long(p.valid_from) + mark.get("geldig_vanaf", ""))
            )
        if p.valid_to:
            lifecycle.append(
                RowView(
                    "Geldig tot en met",
                    dutch.date_long(p.valid_to)
                    + (" (onzeker)" if p.uncertain else "")
                    + mark.get("geldig_tot", ""),
                )
            )
        if p.change:
            lifecycle.append(RowView("Wijziging", p.change))
        if p.change_printed:
            lifecycle.append(RowView("Zo gedrukt in de bron", f"'{p.change_printed}'"))
        if p.derived_note:
            lifecycle.append(RowView("Afgeleid", p.derived_note))
        national = None
        if p.national:
            cf = self.content.care_forms.get(p.national)
            national = Ref(cf.name if cf else p.national, p.national, "zorgvorm")
        opens = list(p.open_points) + [f"tarief: {t.text}" for t in tariffs if t.missing]
        title = f"{p.code} {p.name}" if p.code else p.name
        return ProductView(
            id=p.id,
            code=p.code or "",
            name=p.name,
            title=title,
            law=LAW_NAMES[p.law],
            category=category_text,
            group=group,
            lot=lot,
            description=blocks(p.description),
            target_group=blocks(p.target_group),
            result=blocks(p.result),
            notes=list(p.notes),
            requirements=list(p.requirements),
            conditions=[blocks(c) for c in p.conditions],
            facts=facts,
            tariffs=tariffs,
            tariff_summary="; ".join(t.amount or t.text for t in tariffs),
            unit_summary="; ".join(t.unit for t in tariffs if t.unit),
            restrictions=restrictions,
            combinations=comb,
            levels=[self.level(lv) for lv in p.levels],
            kernbedingen=[self.kernbeding_ref(k) for k in p.kernbedingen],
            national=national,
            national_note=p.national_note or "",
            lifecycle=lifecycle,
            replaced_by=[self.product_ref(r) for r in p.replaced_by],
            features=[RowView(f.name, f.value) for f in p.features],
            footnotes=list(p.footnotes),
            open_points=opens,
            remarks=[remark_text(r, self.titles) for r in p.remarks],
            source=source_text(p.source, self.titles),
            source_path=p.loc("").path,
            conditions_title=p.conditions_heading or "Uitvoeringsvoorwaarden",
            comparison_url=portal_link(p.law, category, p.code or ""),
            national_url=national_path(p.national) if p.national else "",
            tariff_history=tariff_history(p.tariffs, self.day),
            page=self.pages[p.id],
            anchor=anchor(p.id),
        )

    def level(self, lv: Level) -> dict:
        rows = [
            RowView(label, value)
            for label, value in (
                ("Code", lv.code),
                ("Definitie", lv.definition),
                ("Doelgroep", lv.target_group),
                ("Vorm", lv.form),
                ("Resultaat", lv.result),
                ("Groepsgrootte", lv.group_size),
                ("Crisisinterventies", lv.crisis_interventions),
                ("Kenmerken problematiek", lv.characteristics),
                ("Inzet en duur toewijzing", lv.deployment),
                ("Duur", lv.max_duration),
            )
            if value
        ]
        rows += [
            RowView(
                "Tarief",
                dutch.tariff_text(t)
                + (f" ({dutch.tariff_period(t)})" if dutch.tariff_period(t) else "")
                + (f" ({t.note})" if t.note else ""),
            )
            for g in series(lv.tariffs)
            for t in (current(g, self.day),)
        ]
        rows += [RowView(f.name, f.value) for f in lv.features]
        return {"id": lv.id, "name": lv.name, "rows": rows, "source": source_text(lv.source, self.titles)}

    # -- kernbedingen ---------------------------------------------------------------------
    def kernbeding(self, k: Kernbeding) -> dict:
        facts = []
        if k.code:
            status = {
                "placeholder": " (nog niet vastgesteld)",
                "zoals_gedrukt": " (zoals gedrukt in de bron)",
            }.get(k.code_status, "")
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
        for label, value in (
            ("Kwaliteitsniveau", k.quality),
            ("Duur", k.duration),
            ("Verlenging", k.extension),
            ("Groepsgrootte", k.group_size),
        ):
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
            clauses.append(
                {
                    "label": c.label or "",
                    "heading": c.heading or "",
                    "text": open_segments(c.text),
                    "items": [item_view(i) for i in c.items],
                    "remark": c.remark or "",
                    "open": bool(OPEN_POINT_RE.search(c.text or ""))
                    or any(OPEN_POINT_RE.search(i.text) for i in _walk(c.items)),
                }
            )
        return {
            "id": k.id,
            "name": k.name,
            "facts": facts,
            "clauses": clauses,
            "levels": [self.level(lv) for lv in k.levels],
            "products": [self.product_ref(p) for p in k.products],
            "see": self.kernbeding_ref(k.see) if k.see else None,
            "features": [RowView(f.name, f.value) for f in k.features],
            "remarks": [remark_text(r, self.titles) for r in k.remarks],
            "source": source_text(k.source, self.titles),
            "source_path": k.loc("").path,
            "code": k.code or "",
            "comparison_url": portal_link(
                _kernbeding_law(self.content, self.rc, k.code[:2]), k.code[:2], k.code
            )
            if k.code and k.code_status != "placeholder"
            else "",
            "national_url": national_path(n) if (n := getattr(k, "national", None)) else "",
        }


def _walk(items):
    for it in items:
        yield it
        yield from _walk(it.items)


def item_view(item) -> dict:
    return {
        "label": item.label or "",
        "text": open_segments(item.text),
        "items": [item_view(i) for i in item.items],
    }


def age_text(a) -> str:
    if a.text:
        return a.text
    if a.min is not None and a.max is not None:
        return f"{a.min} tot {a.max} jaar"
    if a.min is not None:
        return f"vanaf {a.min} jaar"
    if a.max is not None:
        return f"tot {a.max} jaar"
    return ""


REMARK_KINDS = {
    "bronfout": "Fout in de bron",
    "rekenverschil": "Rekenverschil in de bron",
    "opmaak": "Opmaak van de bron",
    "onduidelijk": "Onduidelijk in de bron",
    "afgeleid": "Afgeleid, niet letterlijk in de bron",
}


def scope_text(scope) -> str:
    """'alleen voor jeugdigen uit de gemeente Groningen, vanaf 1 juli 2025' (empty: no limit)."""
    if scope is None:
        return ""
    parts = []
    if scope.municipality:
        parts.append(f"alleen voor jeugdigen uit de gemeente {scope.municipality}")
    if scope.valid_from:
        parts.append(f"vanaf {dutch.date_long(scope.valid_from)}")
    return ", ".join(parts)


def remark_text(r, titles: dict[str, str] | None = None) -> str:
    src = source_text(r.source, titles)
    kind = REMARK_KINDS.get(getattr(r, "kind", None) or "", "")
    text = f"{kind}: {r.text}" if kind else r.text
    return f"{text} ({src})" if src else text


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
    contract_year: str  # as stated in the content, else 'niet vermeld'
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
    open_point_rows: list[dict] = field(default_factory=list)
    publisher: str = ""
    contact: str = ""
    licence: str = ""
    source_version: str = ""  # the version as the source names it (regio.yml versie)
    updated: str = ""  # date of the content's last change, Dutch ('3 mei 2026')
    peildatum: str = ""
    portal_from_items: str = "../../../"  # from a product or kernbeding page to the portal's root
    product_links: dict[str, str] = field(
        default_factory=dict
    )  # product id -> its section (views.product_links)
    versions: list[VersionEntry] = field(
        default_factory=list
    )  # 'Versiebeheer': one row per published version
    # Set by the book only: the contract year the content states, and source document -> title.
    contract_year_stated: int | None = None
    source_titles: dict[str, str] = field(default_factory=dict)


def region_view(content: Content, slug: str, version: str = "", peildatum=None) -> RegionView:
    rc = content.regions[slug]
    r = rc.region
    rv = RegionViews(content, rc, peildatum)
    titles = rv.titles
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
        groups.append(
            {
                "id": "overige-producten" if groups else "producten",
                "name": "Overige producten" if groups else "Producten",
                "description": [],
                "products": rest,
            }
        )
    kernbedingen = {kid: rv.kernbeding(k) for kid, k in rc.kernbedingen.items()}
    segments = []
    for s in r.segments:
        segments.append(
            {
                "id": s.id,
                "number": s.number,
                "name": s.name,
                "title": f"Segment {s.number}: {s.name}" if s.number else s.name,
                "description": blocks(s.description),
                "goals": list(s.goals),
                "procurement_goals": list(s.procurement_goals),
                "changes": list(s.changes),
                "start": dutch.date_long(s.start),
                "kernbedingen": [kernbedingen[k] for k in s.kernbedingen if k in kernbedingen],
                "outside": [rv.kernbeding_ref(k) for k in s.outside] + [Ref(n) for n in s.outside_names],
                "remarks": [remark_text(x, titles) for x in s.remarks],
            }
        )
    in_segment = {k for s in r.segments for k in s.kernbedingen}
    loose = [v for kid, v in kernbedingen.items() if kid not in in_segment]
    if loose:
        segments.append(
            {
                "id": "overige-kernbedingen",
                "number": None,
                "name": "Overige kernbedingen",
                "title": "Overige kernbedingen" if r.segments else "Kernbedingen",
                "description": [],
                "goals": [],
                "procurement_goals": [],
                "changes": [],
                "start": "",
                "kernbedingen": loose,
                "outside": [],
                "remarks": [],
            }
        )
    year = default_year(rc)
    ww = derive(rc, year)
    if r.contracts:
        for lst in ww:
            for row in lst.rows:
                if row.product_id in by_id:
                    by_id[row.product_id].waswordt.append(
                        RowView(lst.title, row.status_text + (f": {row.remark}" if row.remark else ""))
                    )
    contracts = []
    for c in r.contracts:
        contracts.append(
            {
                "id": c.id,
                "name": c.name,
                "outside_book": c.outside_book,
                "laws": ", ".join(LAW_NAMES[x] for x in c.laws),
                "texts": [
                    (label, blocks(text))
                    for label, text in (
                        ("Hoofdlijn contract", c.outline),
                        ("Veranderingen", c.changes),
                        ("Ontwikkelopgave", c.development),
                        ("Fasering", c.phasing),
                    )
                    if text
                ],
                "lists": [lst for lst in ww if lst.contract == c.name],
                "remarks": [remark_text(x, titles) for x in c.remarks],
            }
        )
    lots = []
    for lot in r.lots:
        rows = [
            RowView(label, value)
            for label, value in (
                ("Doelgroep", lot.target_group),
                ("Leeftijd", age_text(lot.age) if lot.age else ""),
                ("Toewijzing", lot.assignment),
                ("Budget", lot.budget),
                ("Declaratie", lot.declaration),
                ("Eenheid", lot.unit),
                ("Tarief", lot.tariff_text),
                ("Einddatum toewijzing", lot.end_of_assignment),
            )
            if value
        ]
        rows += [RowView(f.name, f.value) for f in lot.features]
        disc = [d.name for d in r.disciplines if d.id in lot.disciplines]
        if disc:
            rows.append(RowView("Disciplines", ", ".join(disc)))
        lots.append(
            {
                "id": lot.id,
                "title": f"Perceel {lot.number}: {lot.name}" if lot.number else lot.name,
                "description": blocks(lot.description),
                "rows": rows,
                "source": source_text(lot.source, titles),
                "products": [p for p in products if p.lot == lot.name],
            }
        )
    units = content.units()
    disciplines = [
        RowView(
            d.name,
            "; ".join(
                x
                for x in (
                    "eenheid: " + " of ".join(units.get(u, u).lower() for u in d.units) if d.units else "",
                    "code: " + (d.code or d.code_text or ""),
                    "tarief: " + dutch.tariff_text(d.tariff) if d.tariff else "",
                )
                if x
            ),
        )
        for d in r.disciplines
    ]
    return RegionView(
        slug=slug,
        name=r.name,
        organisation=r.organisation or "",
        title=r.title,
        subtitle=r.subtitle or "",
        laws=", ".join(LAW_NAMES[x] for x in r.laws),
        municipalities=list(r.municipalities),
        subregions=[RowView(s.name, ", ".join(s.municipalities)) for s in r.subregions],
        access_points=list(r.access_points),
        procurement=r.procurement or "",
        contract_year=str(stated_year(rc) or NOT_STATED),
        published=dutch.date_long(r.published),
        start=dutch.date_long(r.start),
        version=version or r.version or "",
        introduction=blocks(r.introduction),
        chapters=list(rc.chapters),
        groups=groups,
        products=products,
        kernbedingen=list(kernbedingen.values()),
        segments=segments,
        contracts=contracts,
        lots=lots,
        disciplines=disciplines,
        rules=[
            {
                "id": x.id,
                "title": x.title,
                "text": blocks(x.text),
                "items": list(x.items),
                "source": source_text(x.source, titles),
            }
            for x in r.rules
        ],
        external_codes=[
            RowView(e.code, " — ".join(v for v in (e.name or "", e.note or "") if v))
            for e in r.external_codes
        ],
        terms=[RowView(t.term, t.definition) for t in r.terms],
        milestones=[RowView(m.when, m.text) for m in r.milestones],
        waswordt=ww,
        open_points=open_points(rc),
        remarks=[remark_text(x, titles) for x in r.remarks],
        sources=[RowView(s.title or "Brondocument", s.description or "") for s in r.sources],
        index=sorted([p for p in products if p.code], key=lambda p: p.code),
        steering=steering_views(rc),
        cross_topics=cross_topic_view(rc),
        glossary=glossary(content, rc),
        open_point_rows=open_point_rows(rc, rv.links),
        product_links=rv.links,
        source_titles=titles,
        publisher=r.publisher or r.organisation or "",
        contact=r.contact or "",
        licence=r.licence or "",
        source_version=r.version or "",
        updated=version_day(version),
        peildatum=dutch.date_long(rv.day)
        if (peildatum or r.contract_year)
        else "",  # not 'today': it would date the page
    )


def open_point_rows(rc: RegionContent, products: dict[str, str]) -> list[dict]:
    """The open points for readers: what they belong to (with a link to its page; a product's
    from ``products``, see product_links), the point and the words around it; each point once."""
    seen, rows = set(), []
    pages = {"kernbeding": "kernbedingen/{}.md", "discipline": "opbouw.md"}
    for _loc, where, text, kind, ident, context in open_point_items(rc):
        key = (kind, ident, text, context)
        if key in seen:
            continue
        seen.add(key)
        label = where
        if kind == "product" and ident in rc.products:
            p = rc.products[ident]
            label = f"{p.code} {p.name}" if p.code else p.name
        elif kind == "kernbeding" and ident in rc.kernbedingen:
            label = where.replace("kernbeding ", "", 1).replace("'", "")
        rows.append(
            {
                "where": label,
                "link": products.get(ident, "") if kind == "product" else pages.get(kind, "").format(ident),
                "text": text,
                "context": context,
            }
        )
    return rows


def version_day(version: str) -> str:
    """'2026-05-03 (a1b2c3d)' -> '3 mei 2026': a reader sees the date, not the commit."""
    m = re.match(r"(\d{4}-\d{2}-\d{2})", version or "")
    if not m:
        return ""
    import datetime as dt

    return dutch.date_long(dt.date.fromisoformat(m.group(1)))


def glossary(content: Content, rc: RegionContent) -> list[dict]:
    """The region's own terms joined with the national begrippen, alphabetically."""
    terms = [{"label": t.term, "value": t.definition, "origin": ""} for t in rc.region.terms]
    if content.national:
        terms += [
            {"label": t.term, "value": t.definition, "origin": "landelijk"} for t in content.national.terms
        ]
    return sorted(terms, key=lambda t: (t["label"].lower(), t["origin"]))


LEVELS = [
    ("input", "Input", "Mensen en middelen"),
    ("throughput", "Throughput", "Werkprocessen"),
    ("output", "Output", "Producten en diensten"),
    ("outcome", "Outcome", "Effecten bij jeugdigen en doelgroepen"),
    ("impact", "Impact", "Effecten op de gemeenschap"),
]
INFLUENCE = {
    "gemeente": "gemeente",
    "aanbieder": "aanbieder",
    "beide": "gemeente en aanbieder",
    "geen": "geen van beide",
}


def steering_views(rc: RegionContent) -> list[dict]:
    """Per segment: the effectketen level by level (goals link to what they depend on) and
    the randvoorwaarden sorted by score, highest first."""
    out = []
    titles = source_titles(rc)
    for seg in rc.region.segments:
        d = rc.segment_details.get(seg.id)
        if d is None:
            continue
        names = {g.id: f"{g.level.capitalize()}doel {g.number or ''}".strip() for g in d.goals}
        names.update(
            {c.id: f"Randvoorwaarde {c.number}" if c.number is not None else c.id for c in d.conditions}
        )
        levels = []
        for key, label, subtitle in LEVELS:
            goals = [
                {
                    "id": g.id,
                    "number": g.number or "",
                    "title": g.title or "",
                    "text": g.text,
                    "indicators": list(g.indicators),
                    "targets": [t.text for t in g.targets],
                    "depends": [Ref(names.get(r, r), r, "doel") for r in g.depends_on]
                    + [Ref(t) for t in g.depends_text],
                    "remark": g.remark or "",
                }
                for g in d.goals
                if g.level == key
            ]
            if goals:
                levels.append({"key": key, "label": label, "subtitle": subtitle, "goals": goals})
        conditions = sorted(d.conditions, key=lambda c: (-(c.score or 0), c.number or 0))
        out.append(
            {
                "id": seg.id,
                "title": f"Segment {seg.number}: {seg.name}" if seg.number else seg.name,
                "levels": levels,
                "conditions": [
                    {
                        "id": c.id,
                        "number": c.number,
                        "situation": c.situation,
                        "score": str(c.score) if c.score is not None else "",
                        "score_text": c.score_text or "",
                        "score_shown": c.score_text or (str(c.score) if c.score is not None else ""),
                        "measure_lines": measure_lines(c.measure),
                        "measure": c.measure or "",
                        "influence": INFLUENCE.get(c.influence or "", c.influence_text or ""),
                        "remark": c.remark or "",
                    }
                    for c in conditions
                ],
                "remarks": [remark_text(r, titles) for r in d.remarks],
            }
        )
    return out


_WHO = re.compile(r"\s+(?=(?:Verantwoordelijk|Waar|Wie):)")


def measure_lines(text: str | None) -> list[list[str]]:
    """A measure as paragraphs of lines; 'Verantwoordelijk: …' and 'Waar: …' each on a line of
    their own, also where the source runs them together on one line."""
    out = []
    for para in re.split(r"\n[ \t]*\n", (text or "").strip()):
        lines = [x.strip() for ln in para.split("\n") for x in _WHO.split(ln) if x.strip()]
        if lines:
            out.append(lines)
    return out


def cross_topic_view(rc: RegionContent) -> dict | None:
    if rc.cross_topics is None:
        return None
    titles = source_titles(rc)
    segments = [(s.id, str(s.number) if s.number else s.name) for s in rc.region.segments]
    rows = [
        {
            "number": t.number or "",
            "topic": t.topic,
            "description": t.description or "",
            "cells": [
                "●"
                if sid in t.segments
                else ("○" if not t.segments and t.kind == "voor_alle_segmenten" else "")
                for sid, _ in segments
            ],
            "link_text": t.link_text or "",
        }
        for t in rc.cross_topics.topics
    ]
    for r, t in zip(rows, rc.cross_topics.topics, strict=True):
        r["variants"] = [remark_text(v, titles) for v in t.variants]
        r["remarks"] = [remark_text(x, titles) for x in t.remarks]
    view = {"segments": [label for _, label in segments], "rows": rows}
    view.update(segment_link_view(rc))
    return view


def segment_link_view(rc: RegionContent) -> dict:
    """The per-segment tables 'Segmentoverstijgend' as one topic x segment matrix: each row
    is an onderdeel from the chapter of its own segment (◆), with ● on every segment its
    "Koppeling aan segmenten" names. Also a segment x segment count of those links."""
    titles = source_titles(rc)
    segs = list(rc.region.segments)
    label = {s.id: str(s.number) if s.number else s.name for s in segs}
    links, count = [], {(a.id, b.id): 0 for a in segs for b in segs}
    for home in segs:
        d = rc.segment_details.get(home.id)
        tables = d.cross_tables if d else ()
        for ti, table in enumerate(tables):
            prefix = label[home.id] + ("abcdefghij"[ti] if len(tables) > 1 else "")
            for row in table.rows:
                for sid in row.segments:
                    if (home.id, sid) in count:
                        count[(home.id, sid)] += 1
                links.append(
                    {
                        "home": label[home.id],
                        "home_name": home.name,
                        "table": table.title,
                        "number": (row.number or "").rstrip("."),
                        "label": f"{prefix}.{(row.number or '').rstrip('.')}",
                        "topic": row.topic,
                        "link_text": " ".join(
                            x.strip().lstrip("-").strip() for x in (row.link_text or "").splitlines()
                        ),
                        "other": ", ".join(row.other_links),
                        "cells": [
                            "●" if s.id in row.segments else ("◆" if s.id == home.id else "") for s in segs
                        ],
                        "remarks": [remark_text(x, titles) for x in row.remarks],
                        "source": source_text(row.source, titles),
                    }
                )
    summary = [
        {"label": label[a.id], "name": a.name, "cells": [str(count[(a.id, b.id)] or "") for b in segs]}
        for a in segs
        if any(count[(a.id, b.id)] for b in segs)
    ]
    return {"links": links, "link_summary": summary}


# -- the national table: one row per product and per coded kernbeding -------------------------


def row_tariff(p: Product, day) -> Tariff | None:
    """The tariff a table row shows: of the product's first tariff series (unit), the period
    valid on the peildatum (else the nearest one, see tariffs.current)."""
    groups = series(p.tariffs)
    return current(groups[0], day) if groups else None


PRODUCT_GROUP_DIR = "productgroepen"  # a page per product group; a product is a section of it


def product_pages(rc: RegionContent) -> dict[str, str]:
    """Product id -> the id of the group page that shows it: its product group, else
    'overige-producten' (or 'producten' when the region has no groups)."""
    defined = {g.id for g in rc.region.product_groups}
    rest = "overige-producten" if defined else "producten"
    return {pid: (p.group if p.group in defined else rest) for pid, p in rc.products.items()}


def product_links(pages: dict[str, str]) -> dict[str, str]:
    """Product id -> its section, as a Markdown link relative to the region's root (``pages``:
    product_pages)."""
    return {pid: f"{PRODUCT_GROUP_DIR}/{page}.md#{anchor(pid)}" for pid, page in pages.items()}


def item_path(slug: str, kind: str, item_id: str, page: str = "") -> str:
    """Where an item is, relative to the portal root (directory URLs): a kernbeding's page, or
    a product's section of its group page (``page``: the group page's id)."""
    if kind == "product":
        return f"{slug}/{PRODUCT_GROUP_DIR}/{page}/#{anchor(item_id)}"
    return f"{slug}/kernbedingen/{item_id}/"


def comparison_path(law: str, category: str) -> str:
    """The portal's comparison page of a category, relative to the portal root."""
    return f"vergelijking/{law}-{anchor(category)}/"


def portal_link(law: str, category: str, code: str) -> str:
    """An item's row in the comparison (its code's rows; the category page when it has no code)."""
    if not category:
        return ""
    return comparison_path(law, category) + (f"#{code_anchor(code)}" if code else "#zonder-code")


def code_anchor(code: str) -> str:
    return "code-" + anchor(code)


def national_path(care_form: str) -> str:
    """The portal's zorgvorm page, relative to the portal root."""
    return f"zorgvormen/{care_form}/"


def _kernbeding_law(content: Content, rc: RegionContent, category: str) -> str:
    """A kernbeding names no law: the region's law whose code list has its category."""
    laws = list(rc.region.laws) or ["jeugdwet"]
    return next((law for law in laws if category in content.categories(law)), laws[0])


def table_rows(content: Content, slug: str, day=None) -> list[dict]:
    """The national table's rows of one region (JSON-able; amounts as decimal strings, dates
    ISO): every product, and every kernbeding with a product code (not a placeholder)."""
    rc = content.regions[slug]
    year = default_year(rc)
    day = reference_date(rc.region.contract_year, day)
    rows = []
    pages = product_pages(rc)
    for pid, p in rc.products.items():
        category = p.category or (p.code[:2] if p.code else "")
        t = row_tariff(p, day)
        status = status_of(p, year)
        if status:
            status_text = STATUS_NAMES[status] + ("?" if p.uncertain else "")
        elif p.valid_to and p.valid_to.year < year:
            status_text = "Vervallen"
        else:
            status_text = "Toekomstig"
        rows.append(
            _row(
                content,
                rc,
                "product",
                pid,
                p.code or "",
                p.name,
                p.law,
                category,
                p.national or "",
                t,
                (t.valid_from if t and t.valid_from else p.valid_from),
                (t.valid_to if t and t.valid_to else p.valid_to),
                status_text,
                len(p.tariffs),
                pages[pid],
            )
        )
    for kid, k in rc.kernbedingen.items():
        if not k.code or k.code_status == "placeholder":
            continue
        category = k.code[:2]
        unit = f"per {k.funding.unit}" if k.funding and k.funding.unit else ""
        row = _row(
            content,
            rc,
            "kernbeding",
            kid,
            k.code,
            k.name,
            _kernbeding_law(content, rc, category),
            category,
            getattr(k, "national", None) or "",
            None,
            None,
            None,
            "",
            0,
        )
        row["unit"] = unit
        rows.append(row)
    return rows


def _row(
    content: Content,
    rc: RegionContent,
    kind: str,
    item_id: str,
    code: str,
    name: str,
    law: str,
    category: str,
    national: str,
    t: Tariff | None,
    valid_from,
    valid_to,
    status: str,
    tariffs: int,
    page: str = "",
) -> dict:
    cf = content.care_forms.get(national) if national else None
    amount = t.amount if t else None
    return {
        "kind": kind,
        "slug": rc.slug,
        "region": rc.region.name,
        "id": item_id,
        "path": item_path(rc.slug, kind, item_id, page),
        "code": code,
        "name": name,
        "law": law,
        "law_name": LAW_NAMES.get(law, law),
        "category": category,
        "category_name": content.categories(law).get(category, "") if category else "",
        "national": national,
        "national_name": (cf.name if cf else national),
        "amount": str(amount) if amount is not None else "",
        "tariff": dutch.money(amount) if amount is not None else ((t.description or "") if t else ""),
        "unit": dutch.tariff_unit(t) if t else "",
        "valid_from": valid_from.isoformat() if valid_from else "",
        "valid_to": valid_to.isoformat() if valid_to else "",
        "status": status,
        "tariffs": tariffs,
    }


def tariff_stats(rows: list[dict]) -> list[dict]:
    """Per unit (as shown: 'per uur' and 'per etmaal' are never compared), the lowest, median
    and highest amount of the rows that have one. Amounts are decimal strings in, money out."""
    from decimal import Decimal

    by_unit: dict[str, list] = {}
    for r in rows:
        if r["amount"]:
            by_unit.setdefault(r["unit"], []).append(Decimal(r["amount"]))
    out = []
    for unit, amounts in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        amounts.sort()
        n = len(amounts)
        median = amounts[n // 2] if n % 2 else (amounts[n // 2 - 1] + amounts[n // 2]) / 2
        out.append(
            {
                "unit": unit or "(geen eenheid)",
                "count": n,
                "min": dutch.money(amounts[0]),
                "median": dutch.money(median),
                "max": dutch.money(amounts[-1]),
            }
        )
    return out
