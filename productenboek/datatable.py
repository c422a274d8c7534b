"""Open data tables: the declared columns of producten and kernbedingen, and a region's rows.

Every column is declared once with ``col(key, type, help)``; the JSON Schema, the Frictionless
datapackage, the CSV header and the "Open data" page are generated from these declarations
(see dataschema.py). Rows hold JSON-ready values only: amounts are exact decimal strings
("81.75"), dates ISO 8601 strings, codes strings, absent values None.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import Content, RegionContent
from .lifecycle import STATUS_NAMES, default_year, status_of
from .model import CODE_PATTERN, Product, Tariff

TYPES = ("string", "integer", "number", "date", "array")
TYPE_NAMES = {
    "string": "tekst",
    "integer": "geheel getal",
    "number": "decimaal getal",
    "date": "datum",
    "array": "lijst",
}
AMOUNT_PATTERN = r"\d+\.\d{2}"
SLUG_PATTERN = r"[a-z0-9][a-z0-9-]*"


@dataclass(frozen=True)
class Column:
    key: str
    type: str  # one of TYPES (Frictionless field types)
    help: str  # Dutch; shown on the Open data page and in both schemas
    required: bool = False
    pattern: str = ""
    enum: tuple[str, ...] = ()
    unit: str = ""  # e.g. EUR
    items: tuple[Column, ...] = ()  # for an array of objects: their keys
    item_type: str = ""  # for an array of plain values: their type

    @property
    def type_name(self) -> str:
        """Dutch name of the type, for people (the Open data page)."""
        return TYPE_NAMES[self.type]


def col(key: str, type: str, help: str, **kw) -> Column:
    assert type in TYPES, type
    return Column(key, type, help, **kw)


@dataclass(frozen=True)
class Table:
    name: str  # file name without extension
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]


RESTRICTION = (
    col("gemeente", "string", "Naam van de gemeente", required=True),
    col("vanaf", "date", "Datum vanaf wanneer de beperking geldt"),
    col(
        "inzet",
        "string",
        "niet (niet in te zetten) of onder_voorwaarde",
        required=True,
        enum=("niet", "onder_voorwaarde"),
    ),
    col("toelichting", "string", "Toelichting zoals in het productenboek"),
)

# The first column of every table: which region a row belongs to.
REGION_COLUMN = col(
    "regio",
    "string",
    "Regio: de korte naam uit de adressen van de site, bijvoorbeeld groningen",
    required=True,
    pattern=SLUG_PATTERN,
)

PRODUCTS = Table(
    "producten",
    "Producten en tarieven",
    "Elk product van de regio met zijn tarieven: een rij per product per tariefregel (periode of intensiteit).",
    (
        REGION_COLUMN,
        col(
            "product_id",
            "string",
            "Id van het product binnen de regio (bestandsnaam; gelijk aan de code als die er is)",
            required=True,
        ),
        col(
            "tariefregel",
            "integer",
            "Volgnummer van het tarief binnen het product (1, 2, ...); 0 als het product geen tarief heeft",
            required=True,
        ),
        col(
            "code",
            "string",
            "Productcode (iJw/iWmo): 2 cijfers productcategorie + 3 tekens; leeg als de bron geen code geeft",
            pattern=CODE_PATTERN,
        ),
        col("naam", "string", "Productnaam", required=True),
        col("wet", "string", "jeugdwet of wmo", required=True, enum=("jeugdwet", "wmo")),
        col(
            "productcategorie",
            "string",
            "Productcategorie uit de codelijst van de wet (2 cijfers)",
            pattern=r"\d{2}",
        ),
        col("productcategorie_naam", "string", "Naam van de productcategorie volgens de codelijst"),
        col("productgroep", "string", "Productgroep van de regio (id)"),
        col("productgroep_naam", "string", "Naam van de productgroep"),
        col(
            "niveau",
            "string",
            "Intensiteit of variant (id) waarbij het tarief hoort; leeg bij een tarief van het product zelf",
        ),
        col("niveau_naam", "string", "Naam van de intensiteit of variant"),
        col(
            "niveau_code",
            "string",
            "Productcode van de intensiteit, als de bron die geeft",
            pattern=CODE_PATTERN,
        ),
        col(
            "bedrag",
            "number",
            "Bedrag in euro's, exact, met een punt en twee decimalen (81.75); leeg als de bron geen bedrag geeft",
            pattern=AMOUNT_PATTERN,
            unit="EUR",
        ),
        col(
            "eenheid",
            "string",
            "Eenheid van het tarief (iJw/iWmo-eenheid: minuut, uur, etmaal, dagdeel, stuks, euro, stuks_inspanning)",
        ),
        col(
            "eenheid_code",
            "string",
            "Code van de eenheid in de iJw/iWmo-codelijst (WJ756), bijvoorbeeld 04 voor uur",
        ),
        col("per", "string", "Waarover het tarief gaat, bijvoorbeeld 'deelnemende jeugdige'"),
        col("tarief_omschrijving", "string", "Toelichting bij het tarief, of de tekst als er geen bedrag is"),
        col("soort", "string", "Soort tarief", enum=("maximumtarief", "tarief", "mixtarief")),
        col("termijnen", "integer", "Aantal delen waarin gedeclareerd wordt"),
        col(
            "termijnbedrag",
            "number",
            "Bedrag per termijn in euro's (81.75)",
            pattern=AMOUNT_PATTERN,
            unit="EUR",
        ),
        col("tarief_geldig_vanaf", "date", "Eerste dag waarop het tarief geldt (JJJJ-MM-DD)"),
        col("tarief_geldig_tot", "date", "Laatste dag waarop het tarief geldt (JJJJ-MM-DD)"),
        col("product_geldig_vanaf", "date", "Eerste dag waarop het product bestaat (JJJJ-MM-DD)"),
        col("product_geldig_tot", "date", "Laatste dag waarop het product bestaat (JJJJ-MM-DD)"),
        col("contractjaar", "integer", "Contractjaar waarvoor de status geldt", required=True),
        col(
            "status",
            "string",
            "Status in het contractjaar, zoals in de was-wordt lijst (Houden, Stoppen, Nieuw; met '?' als het nog niet zeker is); leeg als het product in dat jaar niet bestaat",
            enum=tuple(s + q for s in STATUS_NAMES.values() for q in ("", "?")),
        ),
        col("landelijke_zorgvorm", "string", "Id van de landelijke zorgvorm (landelijke productstructuur)"),
        col("landelijke_zorgvorm_naam", "string", "Naam van de landelijke zorgvorm"),
        col(
            "beperkingen",
            "array",
            "Beperkingen per gemeente op de inzet van het product (in CSV als JSON-tekst)",
            items=RESTRICTION,
        ),
    ),
    ("regio", "product_id", "tariefregel"),
)

KERNBEDINGEN = Table(
    "kernbedingen",
    "Kernbedingen",
    "Elk kernbeding van de regio: een rij per kernbeding.",
    (
        REGION_COLUMN,
        col("kernbeding_id", "string", "Id van het kernbeding binnen de regio (bestandsnaam)", required=True),
        col("code", "string", "Productcode zoals gedrukt (tekst)"),
        col(
            "code_status",
            "string",
            "definitief, placeholder (XXXXX) of zoals_gedrukt",
            required=True,
            enum=("definitief", "placeholder", "zoals_gedrukt"),
        ),
        col("naam", "string", "Naam van het kernbeding", required=True),
        col("segment", "string", "Segment (id)"),
        col("segment_naam", "string", "Naam van het segment"),
        col(
            "bekostiging",
            "string",
            "Bekostigingsvorm: inspanning, output, taakgericht, beschikbaarheid of anders",
            enum=("inspanning", "output", "taakgericht", "beschikbaarheid", "anders"),
        ),
        col("bekostiging_eenheid", "string", "Eenheid van de bekostiging zoals de bron hem noemt"),
        col("bekostiging_tekst", "string", "De bekostiging zoals de bron hem formuleert"),
        col("kwaliteitsniveau", "string", "Kwaliteitsniveau"),
        col("duur", "string", "Maximale duur"),
        col("verlenging", "string", "Verlengingsmogelijkheden"),
        col("producten", "array", "Producten (id's) waarvoor dit kernbeding geldt", item_type="string"),
        col(
            "clausules",
            "array",
            "De clausules in volgorde, elk als een tekst (nummer, kop, tekst en subitems)",
            item_type="string",
        ),
    ),
    ("regio", "kernbeding_id"),
)

TABLES = (PRODUCTS, KERNBEDINGEN)


# -- values -------------------------------------------------------------------------------------


def amount(value) -> str | None:
    """Decimal -> '81.75' (exact: content has at most two decimals)."""
    return None if value is None else f"{value:.2f}"


def day(value) -> str | None:
    return None if value is None else value.isoformat()


def _tariff_cells(t: Tariff | None, units: dict[str, str]) -> dict:
    if t is None:
        t = Tariff(kind=None)
    return {
        "bedrag": amount(t.amount),
        "eenheid": t.unit,
        "eenheid_code": units.get(t.unit or ""),
        "per": t.per,
        "tarief_omschrijving": t.description,
        "soort": t.kind,
        "termijnen": t.instalments,
        "termijnbedrag": amount(t.instalment_amount),
        "tarief_geldig_vanaf": day(t.valid_from),
        "tarief_geldig_tot": day(t.valid_to),
    }


def _unit_codes(content: Content) -> dict[str, str]:
    out: dict[str, str] = {}
    for cl in content.code_lists.values():
        for c in cl.codes:
            if c.key:
                out[c.key] = c.code
    return out


def product_rows(content: Content, rc: RegionContent) -> list[dict]:
    """A row per product per tariff (the product's own, then those of its levels), in book order."""
    units = _unit_codes(content)
    groups = {g.id: g.name for g in rc.region.product_groups}
    year = default_year(rc)
    rows = []
    for pid, p in rc.products.items():
        tariffs = [(None, t) for t in p.tariffs] + [(lv, t) for lv in p.levels for t in lv.tariffs]
        base = _product_cells(content, rc, pid, p, groups, year)
        for n, (lv, t) in enumerate(tariffs or [(None, None)], start=1 if tariffs else 0):
            row = dict(
                base,
                tariefregel=n,
                niveau=lv.id if lv else None,
                niveau_naam=lv.name if lv else None,
                niveau_code=lv.code if lv else None,
                **_tariff_cells(t, units),
            )
            rows.append({c.key: row[c.key] for c in PRODUCTS.columns})
    return rows


def _product_cells(
    content: Content, rc: RegionContent, pid: str, p: Product, groups: dict, year: int
) -> dict:
    category = p.category or (p.code[:2] if p.code else None)
    status = status_of(p, year)
    care = content.care_forms.get(p.national or "")
    return {
        "regio": rc.slug,
        "product_id": pid,
        "code": p.code,
        "naam": p.name,
        "wet": p.law,
        "productcategorie": category,
        "productcategorie_naam": content.categories(p.law).get(category or "") or None,
        "productgroep": p.group,
        "productgroep_naam": groups.get(p.group or ""),
        "product_geldig_vanaf": day(p.valid_from),
        "product_geldig_tot": day(p.valid_to),
        "contractjaar": year,
        "status": (STATUS_NAMES[status] + ("?" if p.uncertain else "")) if status else None,
        "landelijke_zorgvorm": p.national,
        "landelijke_zorgvorm_naam": care.name if care else None,
        "beperkingen": [
            {"gemeente": r.municipality, "vanaf": day(r.since), "inzet": r.use, "toelichting": r.note}
            for r in p.restrictions
        ],
    }


def _clause_text(c) -> str:
    def items(its) -> list[str]:
        out = []
        for i in its:
            out.append(" ".join(x for x in (i.label, i.text) if x))
            out += items(i.items)
        return out

    return " ".join(x for x in (c.label, c.heading, c.text, *items(c.items)) if x)


def kernbeding_rows(content: Content, rc: RegionContent) -> list[dict]:
    segments = {s.id: s.name for s in rc.region.segments}
    rows = []
    for kid, k in rc.kernbedingen.items():
        f = k.funding
        row = {
            "regio": rc.slug,
            "kernbeding_id": kid,
            "code": k.code,
            "code_status": k.code_status,
            "naam": k.name,
            "segment": k.segment,
            "segment_naam": segments.get(k.segment or ""),
            "bekostiging": f.form if f else None,
            "bekostiging_eenheid": f.unit if f else None,
            "bekostiging_tekst": f.text if f else None,
            "kwaliteitsniveau": k.quality,
            "duur": k.duration,
            "verlenging": k.extension,
            "producten": list(k.products),
            "clausules": [_clause_text(c) for c in k.clauses],
        }
        rows.append({c.key: row[c.key] for c in KERNBEDINGEN.columns})
    return rows


def rows_of(content: Content, slug: str) -> dict[str, list[dict]]:
    """Table name -> rows, for one region."""
    rc = content.regions[slug]
    return {PRODUCTS.name: product_rows(content, rc), KERNBEDINGEN.name: kernbeding_rows(content, rc)}
