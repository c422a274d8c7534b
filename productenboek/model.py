"""The content model: frozen typed classes, one per kind of thing a region publishes.

Attribute names are English; the YAML keys (Dutch) and their help texts are declared with
``fld``. Every field except a few identities is optional, so regions as different as a
product book with tariffs, a plan with segments and kernbedingen, a tender with percelen
and components, and a cover note with was-wordt tables all fit one model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .schema import Item, fld

CODE_PATTERN = r"\d{2}[0-9A-Z]{3}"
ID_PATTERN = r"[a-z0-9][a-z0-9-]*|\d{2}[0-9A-Z]{3}"

Wet = Literal["jeugdwet", "wmo"]
Inzet = Literal["niet", "onder_voorwaarde"]
Bekostigingsvorm = Literal["inspanning", "output", "taakgericht", "beschikbaarheid", "anders"]
CodeStatus = Literal["definitief", "placeholder", "zoals_gedrukt"]
RemarkKind = Literal["bronfout", "rekenverschil", "opmaak", "onduidelijk", "afgeleid"]


# -- shared building blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class Bron(Item):
    """Waar een gegeven in het brondocument staat (map bronnen/)."""

    document: str = fld(
        "document",
        "Bestandsnaam in bronnen/, bijvoorbeeld 002_f059b9c925501a4f.txt",
        required=True,
        pattern=r"[A-Za-z0-9][A-Za-z0-9._-]*",
    )
    line: int | None = fld("regel", "Regelnummer (1-based) waar het gegeven begint")
    line_end: int | None = fld("regel_tot", "Laatste regel van het gegeven (optioneel)")


@dataclass(frozen=True)
class Remark(Item):
    """Een opmerking, bijvoorbeeld een fout of onduidelijkheid in de bron."""

    text: str = fld("tekst", "De opmerking", required=True)
    kind: RemarkKind | None = fld(
        "soort",
        "Soort opmerking: bronfout, rekenverschil (termijnen x termijnbedrag is niet het bedrag; check eist zo'n opmerking met de regel van het tarief als bron), opmaak (een drukartefact, zo overgenomen of opgelost), onduidelijk (de bron is niet eenduidig) of afgeleid (een waarde die de bron niet letterlijk noemt)",
    )
    source: Bron | None = fld("bron", "Waar in de bron dit speelt")


@dataclass(frozen=True)
class Feature(Item):
    """Een extra gegeven (naam + waarde) waarvoor het model geen eigen veld heeft."""

    name: str = fld("naam", "Naam van het gegeven", required=True)
    value: str = fld("waarde", "Waarde zoals in de bron", required=True)


@dataclass(frozen=True)
class AgeRange(Item):
    """Leeftijdsgrenzen. Eén betekenis overal: van 'min' jaar tot (niet tot en met) 'max' jaar."""

    min: int | None = fld("min", "Leeftijd in jaren vanaf wanneer de doelgroep begint ('van 12' = 12)")
    max: int | None = fld(
        "max",
        "Leeftijd in jaren waarop de doelgroep ophoudt, dus de verjaardag waarop het eindigt: 'tot 18 jaar', '0-18' en 'tussen 12 en 23' geven 18 en 23; 'tot en met 17' en 'niet ouder dan 17' geven 18. Is de bron niet eenduidig, laat max leeg en zet een opmerking",
    )
    text: str | None = fld("tekst", "De grens zoals de bron hem formuleert (altijd overnemen)")


@dataclass(frozen=True)
class Tariff(Item):
    """Een (maximum)tarief. Bedragen zijn exact (Decimal), nooit float."""

    amount: Decimal | None = fld(
        "bedrag", "Bedrag in euro's met hoogstens 2 decimalen; leeg als de bron geen bedrag geeft"
    )
    unit: str | None = fld(
        "eenheid",
        "Eenheid uit codelijsten/eenheid.yml (minuut, uur, etmaal, dagdeel, stuks, euro, stuks_inspanning)",
    )
    per: str | None = fld(
        "per",
        "Waarover het tarief gaat, bijvoorbeeld 'deelnemende jeugdige', 'enkele reis', 'afgeronde behandeling'",
    )
    description: str | None = fld(
        "omschrijving", "Tekst als er geen enkel bedrag is, bijvoorbeeld 'per aanbieder verschillend'"
    )
    note: str | None = fld(
        "toelichting",
        "Voorwaarde of uitleg bij het tarief in een zin, bijvoorbeeld wanneer gedeclareerd mag worden (niet in 'per')",
    )
    kind: Literal["maximumtarief", "tarief", "mixtarief"] | None = fld(
        "soort", "Soort tarief", default="maximumtarief"
    )
    instalments: int | None = fld("termijnen", "Aantal delen waarin gedeclareerd wordt (bijvoorbeeld 12)")
    instalment_amount: Decimal | None = fld("termijnbedrag", "Bedrag per termijn zoals de bron het noemt")
    valid_from: dt.date | None = fld("geldig_vanaf", "Vanaf wanneer dit tarief geldt")
    valid_to: dt.date | None = fld("geldig_tot", "Tot en met wanneer dit tarief geldt")
    source: Bron | None = fld("bron", "Waar het tarief in de bron staat")


@dataclass(frozen=True)
class Restriction(Item):
    """Een gemeentelijke beperking op de inzet van een product, met datum."""

    municipality: str = fld("gemeente", "Naam van de gemeente", required=True)
    since: dt.date | None = fld("vanaf", "Datum vanaf wanneer de beperking geldt")
    use: Inzet = fld("inzet", "niet (niet in te zetten) of onder_voorwaarde", required=True)
    note: str | None = fld("toelichting", "Toelichting zoals in de bron")
    source: Bron | None = fld("bron", "Waar de beperking in de bron staat")


@dataclass(frozen=True)
class CombinationScope(Item):
    """Voor wie en vanaf wanneer combinatieregels gelden, als de bron ze beperkt."""

    municipality: str | None = fld(
        "gemeente", "De regels gelden alleen voor jeugdigen uit deze gemeente (naam uit regio.yml)"
    )
    valid_from: dt.date | None = fld("geldig_vanaf", "De regels gelden vanaf deze datum")
    source: Bron | None = fld("bron", "Waar de beperking in de bron staat")


@dataclass(frozen=True)
class Combinations(Item):
    """Combinatieregels met andere producten (verwijzingen naar product-id's of externe codes)."""

    not_with: tuple[str, ...] = fld("niet_met", "Niet te combineren met deze producten", default=())
    not_with_condition: str | None = fld(
        "niet_met_als",
        "Alleen dan geldt niet_met (een voorwaardelijke uitsluiting), zoals de bron het zegt; leeg = altijd",
    )
    only_with: tuple[str, ...] = fld(
        "alleen_met", "Alleen in te zetten naast (een van) deze producten", default=()
    )
    standalone: bool | None = fld("zelfstandig", "Kan zelfstandig (zonder lopende toewijzing) worden ingezet")
    scope: CombinationScope | None = fld(
        "bereik",
        "Voor wie en vanaf wanneer de regels gelden (gemeente, geldig_vanaf); leeg = voor alle jeugdigen, altijd",
    )
    note: str | None = fld("toelichting", "De regel zoals de bron hem formuleert")
    source: Bron | None = fld("bron", "Waar de regel in de bron staat")


@dataclass(frozen=True)
class Level(Item):
    """Een intensiteit of variant van een product of kernbeding (bijvoorbeeld 'Dagbesteding hoog')."""

    id: str = fld(
        "id",
        "Korte sleutel binnen het product, bijvoorbeeld 'hoog'",
        required=True,
        pattern=r"[a-z0-9][a-z0-9-]*",
    )
    name: str = fld("naam", "Naam van de intensiteit", required=True)
    code: str | None = fld("code", "Productcode als de bron die geeft", pattern=CODE_PATTERN)
    definition: str | None = fld("definitie", "Definitie")
    target_group: str | None = fld("doelgroep", "Doelgroep")
    form: str | None = fld("vorm", "Vorm (bijvoorbeeld groep of individueel)")
    result: str | None = fld("resultaat", "Beoogd resultaat")
    group_size: str | None = fld("groepsgrootte", "Groepsgrootte en bezetting zoals de bron ze noemt")
    crisis_interventions: str | None = fld("crisisinterventies", "Crisisinterventies")
    characteristics: str | None = fld("kenmerken_problematiek", "Kenmerken problematiek")
    deployment: str | None = fld("inzet", "Inzet en duur van de toewijzing")
    max_duration: str | None = fld("duur", "Maximale duur")
    tariffs: tuple[Tariff, ...] = fld("tarieven", "Tarieven van deze intensiteit", default=())
    features: tuple[Feature, ...] = fld("kenmerken", "Overige gegevens", default=())
    source: Bron | None = fld("bron", "Waar de intensiteit in de bron staat")


# -- products ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Product(Item):
    """Een product dat de regio inkoopt (bestand producten/<id>.yml)."""

    code: str | None = fld(
        "code",
        "Productcode: 2 cijfers productcategorie + 3 tekens (45A49, 54016); leeg als de bron geen code geeft",
        pattern=CODE_PATTERN,
    )
    name: str = fld("naam", "Productnaam", required=True)
    law: Wet = fld("wet", "jeugdwet of wmo", required=True)
    category: str | None = fld(
        "productcategorie", "Productcategorie uit de codelijst van de wet (2 cijfers)", pattern=r"\d{2}"
    )
    group: str | None = fld("productgroep", "Productgroep (id uit regio.yml)", ref="productgroep")
    lot: str | None = fld("perceel", "Perceel (id uit regio.yml)", ref="perceel")
    order: int | None = fld("volgorde", "Plaats binnen de productgroep (lager eerst)")
    description: str | None = fld(
        "omschrijving", "Productomschrijving; een lege regel begint een nieuwe alinea, '- ' een opsomming"
    )
    target_group: str | None = fld("doelgroep", "Doelgroep")
    result: str | None = fld("resultaat", "Beoogd resultaat")
    notes: tuple[str, ...] = fld("let_op", "'Let op'-punten", default=())
    requirements: tuple[str, ...] = fld("eisen", "Productspecifieke eisen", default=())
    conditions: tuple[str, ...] = fld("uitvoeringsvoorwaarden", "Uitvoeringsvoorwaarden", default=())
    conditions_heading: str | None = fld(
        "uitvoeringsvoorwaarden_kop",
        "Kop waaronder de uitvoeringsvoorwaarden in de bron staan, als die anders is dan 'Uitvoeringsvoorwaarden'",
    )
    age: AgeRange | None = fld("leeftijd", "Leeftijdsgrenzen")
    duration: str | None = fld("duur", "Duur of maximale duur zoals de bron die noemt")
    intensity: str | None = fld("intensiteit", "Intensiteit of omvang zoals de bron die noemt")
    tariffs: tuple[Tariff, ...] = fld("tarieven", "Tarieven", default=())
    restrictions: tuple[Restriction, ...] = fld(
        "voorwaarden", "Gemeentelijke beperkingen op de inzet", default=()
    )
    combinations: Combinations | None = fld("combinaties", "Combinatieregels")
    levels: tuple[Level, ...] = fld("niveaus", "Intensiteiten of varianten", default=())
    kernbedingen: tuple[str, ...] = fld(
        "kernbedingen", "Kernbedingen die voor dit product gelden (id's)", default=(), ref="kernbeding"
    )
    national: str | None = fld(
        "landelijk",
        "Id van de landelijke zorgvorm (content/landelijk/zorgvormen/). Koppelregel: de hoofdvorm volgt uit productcategorie of naam, de variant (intensief, kleinschalig, deeltijd) uit wat de bron over inzet (opleidingsniveau), groepsgrootte en omvang zegt; zegt de bron daar niets over, dan de basisvariant",
        ref="zorgvorm",
    )
    national_note: str | None = fld(
        "landelijk_toelichting",
        "Hoe de koppeling volgens de koppelregel verantwoord is (met de regels in de bron), of waarom er geen landelijke zorgvorm is gekoppeld",
    )
    valid_from: dt.date | None = fld("geldig_vanaf", "Eerste dag waarop het product bestaat")
    valid_to: dt.date | None = fld("geldig_tot", "Laatste dag waarop het product bestaat")
    uncertain: bool = fld(
        "onzeker", "Het einde (of begin) is nog niet zeker; toont als 'Stoppen?'", default=False
    )
    replaced_by: tuple[str, ...] = fld(
        "vervangen_door", "Opvolgers (product-id's)", default=(), ref="product"
    )
    change: str | None = fld(
        "wijziging",
        "Wat verandert (Bijzonderheden in de was-wordt lijst); een verwijzing als 'idem' opgelost tot de tekst waarnaar hij verwijst",
    )
    change_printed: str | None = fld(
        "wijziging_zoals_gedrukt",
        "De wijziging zoals gedrukt, als 'wijziging' een verwijzing ('idem') oplost",
    )
    derived: tuple[str, ...] = fld(
        "afgeleid",
        "Sleutels van dit product waarvan de waarde is afgeleid en niet letterlijk in de bron staat (bijvoorbeeld geldig_tot uit het contractjaar); de uitvoer toont ze als afgeleid",
        default=(),
    )
    derived_note: str | None = fld("afgeleid_toelichting", "Hoe de afgeleide waarden zijn bepaald")
    features: tuple[Feature, ...] = fld("kenmerken", "Overige gegevens zonder eigen veld", default=())
    footnotes: tuple[str, ...] = fld(
        "voetnoten", "Voetnoten bij de productbeschrijving, in volgorde", default=()
    )
    open_points: tuple[str, ...] = fld("open_punten", "Wat de bron (nog) niet geeft", default=())
    remarks: tuple[Remark, ...] = fld("opmerkingen", "Opmerkingen, o.a. fouten in de bron", default=())
    source: Bron | None = fld("bron", "Waar het product in de bron begint")

    # Set by the loader from the file name, not from YAML.
    id: str = field(default="", compare=False)


# -- kernbedingen -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseItem(Item):
    """Een subitem van een clausule, met zijn label zoals gedrukt ('a)', '-', 'o')."""

    label: str | None = fld("label", "Label zoals gedrukt")
    text: str = fld("tekst", "Tekst", required=True)
    items: tuple[ClauseItem, ...] = fld("items", "Geneste subitems", default=())


@dataclass(frozen=True)
class Clause(Item):
    """Een genummerde bepaling van een kernbeding."""

    label: str | None = fld("label", "Nummer zoals gedrukt: '1)', '5a)', '1.'")
    heading: str | None = fld("kop", "Kopje binnen de clausule, bijvoorbeeld 'Doelgroep:'")
    text: str | None = fld("tekst", "Tekst van de clausule; [PM], 'xxxxx' e.d. worden als open punt getoond")
    items: tuple[ClauseItem, ...] = fld("items", "Subitems in volgorde", default=())
    remark: str | None = fld("opmerking", "Opmerking bij deze clausule (bijvoorbeeld een bronfout)")
    source: Bron | None = fld("bron", "Waar de clausule in de bron staat")


@dataclass(frozen=True)
class Funding(Item):
    """Bekostiging: vorm en eenheid."""

    form: Bekostigingsvorm | None = fld("vorm", "inspanning, output, taakgericht, beschikbaarheid of anders")
    unit: str | None = fld(
        "eenheid", "Eenheid zoals de bron hem noemt (etmaal, dag, dagdeel, minuut, uur, ...)"
    )
    text: str | None = fld("tekst", "De bekostiging zoals de bron hem formuleert")


@dataclass(frozen=True)
class Kernbeding(Item):
    """Een kernbeding: een prijs voor een inspannings-/resultaatgerichte prestatie en een kwaliteitsniveau daarvan."""

    name: str = fld("naam", "Naam (kop in de bron)", required=True)
    overview_name: str | None = fld(
        "naam_in_overzicht", "Naam zoals in het segmentoverzicht, als die afwijkt"
    )
    segment: str | None = fld("segment", "Segment (id uit regio.yml)", ref="segment")
    code: str | None = fld("code", "Productcode zoals gedrukt (tekst)")
    code_status: CodeStatus = fld(
        "code_status",
        "definitief, placeholder (XXXXX) of zoals_gedrukt (afwijkende vorm uit de bron)",
        default="definitief",
    )
    funding: Funding | None = fld("bekostiging", "Bekostiging")
    quality: str | None = fld("kwaliteitsniveau", "Kwaliteitsniveau")
    duration: str | None = fld("duur", "Maximale duur")
    extension: str | None = fld("verlenging", "Verlengingsmogelijkheden")
    age: AgeRange | None = fld("leeftijd", "Leeftijdsgrenzen")
    staff: tuple[str, ...] = fld("personeel", "Personele inzet en opleidingsniveaus", default=())
    group_size: str | None = fld("groepsgrootte", "Groepsgrootte en ratio's")
    frameworks: tuple[str, ...] = fld("kwaliteitskaders", "Kwaliteitskaders en keurmerken", default=())
    levels: tuple[Level, ...] = fld("varianten", "Varianten of niveaus", default=())
    products: tuple[str, ...] = fld(
        "producten", "Producten waarvoor dit kernbeding geldt (id's)", default=(), ref="product"
    )
    see: str | None = fld("inhoud_zie", "Inhoud staat bij een ander kernbeding (id)", ref="kernbeding")
    clauses: tuple[Clause, ...] = fld("clausules", "Clausules in de volgorde van de bron", default=())
    features: tuple[Feature, ...] = fld("kenmerken", "Overige gegevens zonder eigen veld", default=())
    remarks: tuple[Remark, ...] = fld(
        "opmerkingen", "Opmerkingen, o.a. onregelmatigheden in de bron", default=()
    )
    source: Bron | None = fld("bron", "Waar het kernbeding in de bron begint")

    id: str = field(default="", compare=False)


# -- region -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductGroup(Item):
    """Een productgroep van de regio (hoofdstuk 2 van een productenboek)."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    name: str = fld("naam", "Naam", required=True)
    description: str | None = fld("omschrijving", "Omschrijving")


@dataclass(frozen=True)
class Contract(Item):
    """Een contract (perceel van de inkoop) met zijn producten in volgorde."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    name: str = fld("naam", "Naam van het contract", required=True)
    laws: tuple[Wet, ...] = fld("wet", "Wet(ten) waaronder het contract valt", default=())
    outside_book: bool = fld("buiten_productenboek", "Contract valt buiten het productenboek", default=False)
    outline: str | None = fld("hoofdlijn", "Hoofdlijn contract")
    changes: str | None = fld("veranderingen", "Veranderingen")
    development: str | None = fld("ontwikkelopgave", "Ontwikkelopgave")
    phasing: str | None = fld("fasering", "Fasering")
    lists: tuple[ContractList, ...] = fld(
        "lijsten", "Was-wordt lijsten van dit contract, elk met producten in volgorde", default=()
    )
    remarks: tuple[Remark, ...] = fld("opmerkingen", "Opmerkingen", default=())
    source: Bron | None = fld("bron", "Waar het contract in de bron staat")


@dataclass(frozen=True)
class RowName(Item):
    """De naam waaronder een product in een bepaalde lijst staat, als die afwijkt van zijn eigen naam."""

    product: str = fld("product", "Product-id", required=True, ref="product")
    name: str = fld("naam", "Naam zoals in deze lijst gedrukt", required=True)


@dataclass(frozen=True)
class ContractList(Item):
    """Een lijst producten binnen een contract (een contract kan meerdere tabellen hebben)."""

    name: str | None = fld("naam", "Titel van de lijst, als het contract er meer dan een heeft")
    products: tuple[str, ...] = fld(
        "producten", "Product-id's in de volgorde van de bron", default=(), ref="product"
    )
    row_names: tuple[RowName, ...] = fld(
        "rijnamen", "Afwijkende productnamen in deze lijst (zoals gedrukt)", default=()
    )
    source: Bron | None = fld("bron", "Waar de tabel in de bron staat")


@dataclass(frozen=True)
class Segment(Item):
    """Een segment (Holland Rijnland-stijl inkoop): beschrijving, doelen en kernbedingen."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    number: int | None = fld("nummer", "Nummer")
    name: str = fld("naam", "Naam", required=True)
    description: str | None = fld("omschrijving", "Omschrijving")
    goals: tuple[str, ...] = fld("doelen", "Doelen", default=())
    procurement_goals: tuple[str, ...] = fld("inkoopdoelen", "Inkoopdoelen", default=())
    changes: tuple[str, ...] = fld("wijzigingen", "Belangrijkste wijzigingen", default=())
    start: dt.date | None = fld("ingangsdatum", "Afwijkende ingangsdatum")
    kernbedingen: tuple[str, ...] = fld(
        "kernbedingen", "Kernbedingen van dit segment in volgorde (id's)", default=(), ref="kernbeding"
    )
    outside: tuple[str, ...] = fld(
        "kernbedingen_buiten_segment", "Kernbedingen buiten dit segment (id's)", default=(), ref="kernbeding"
    )
    outside_names: tuple[str, ...] = fld(
        "kernbedingen_buiten_segment_namen",
        "Namen van kernbedingen buiten dit segment die niet als bestand bestaan",
        default=(),
    )
    remarks: tuple[Remark, ...] = fld("opmerkingen", "Opmerkingen", default=())
    source: Bron | None = fld("bron", "Waar het segment in de bron staat")


@dataclass(frozen=True)
class Lot(Item):
    """Een perceel van een aanbesteding."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    number: int | None = fld("nummer", "Nummer")
    name: str = fld("naam", "Naam", required=True)
    description: str | None = fld("omschrijving", "Omschrijving")
    target_group: str | None = fld("doelgroep", "Doelgroep")
    age: AgeRange | None = fld("leeftijd", "Leeftijdsgrenzen")
    assignment: str | None = fld("toewijzing", "Soort toewijzing (specifiek, a-specifiek) en waarop")
    budget: str | None = fld("budget", "Budget per toewijzing zoals de bron het noemt")
    declaration: str | None = fld("declaratie", "Hoe gedeclareerd wordt")
    unit: str | None = fld("eenheid", "Declaratie-eenheid zoals de bron hem noemt")
    tariff_text: str | None = fld(
        "tarief", "Tarief zoals de bron het noemt (bijvoorbeeld 'Mixtarief per uur')"
    )
    end_of_assignment: str | None = fld("einddatum_toewijzing", "Einddatum van de toewijzing")
    disciplines: tuple[str, ...] = fld(
        "disciplines", "Disciplines waarop gedeclareerd wordt (id's)", default=(), ref="discipline"
    )
    features: tuple[Feature, ...] = fld("kenmerken", "Overige gegevens", default=())
    source: Bron | None = fld("bron", "Waar het perceel in de bron staat")


@dataclass(frozen=True)
class Discipline(Item):
    """Een discipline (opleidingsniveau) waarop per tijdseenheid wordt gedeclareerd."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    name: str = fld("naam", "Naam zoals in de bron (MBO4, HBO, ...)", required=True)
    code: str | None = fld("code", "Productcode, als bekend", pattern=CODE_PATTERN)
    code_text: str | None = fld("code_tekst", "Waar de productcode te vinden is, als de bron hem niet geeft")
    units: tuple[str, ...] = fld(
        "eenheden", "Declaratie-eenheden (sleutels uit codelijsten/eenheid.yml)", default=()
    )
    tariff: Tariff | None = fld("tarief", "Tarief; bedrag leeg als de bron het niet geeft")
    source: Bron | None = fld("bron", "Waar de discipline in de bron staat")


@dataclass(frozen=True)
class Rule(Item):
    """Een regel of afspraak van de regio (bijvoorbeeld over toewijzing of declarabele tijd)."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    title: str = fld("titel", "Titel", required=True)
    text: str | None = fld("tekst", "Tekst")
    items: tuple[str, ...] = fld("items", "Opsomming", default=())
    source: Bron | None = fld("bron", "Waar de regel in de bron staat")


@dataclass(frozen=True)
class ExternalCode(Item):
    """Een code waarnaar verwezen wordt maar die de regio niet als product beschrijft."""

    code: str = fld("code", "Productcode", required=True, pattern=CODE_PATTERN)
    name: str | None = fld("naam", "Naam als de bron die geeft")
    note: str | None = fld("toelichting", "Toelichting")
    source: Bron | None = fld("bron", "Waar de verwijzing in de bron staat")


@dataclass(frozen=True)
class Term(Item):
    """Een begrip met definitie."""

    term: str = fld("term", "Het begrip", required=True)
    definition: str = fld("definitie", "Definitie", required=True)
    source: Bron | None = fld("bron", "Waar de definitie staat")


@dataclass(frozen=True)
class Milestone(Item):
    """Een mijlpaal in de planning."""

    when: str = fld("wanneer", "Wanneer, zoals de bron het zegt", required=True)
    date: dt.date | None = fld("datum", "Datum, als die exact bekend is")
    text: str = fld("omschrijving", "Wat er gebeurt", required=True)
    source: Bron | None = fld("bron", "Bron")


@dataclass(frozen=True)
class Subregion(Item):
    """Een subregio met zijn gemeenten."""

    name: str = fld("naam", "Naam", required=True)
    municipalities: tuple[str, ...] = fld("gemeenten", "Gemeenten", default=())


@dataclass(frozen=True)
class SourceDocument(Item):
    """Een brondocument van de regio."""

    document: str = fld("document", "Bestandsnaam in bronnen/", required=True)
    title: str | None = fld("titel", "Titel van het document")
    description: str | None = fld("omschrijving", "Wat het document is")


@dataclass(frozen=True)
class Region(Item):
    """Een regio (bestand regios/<slug>/regio.yml)."""

    name: str = fld("naam", "Naam van de regio", required=True)
    organisation: str | None = fld("organisatie", "Organisatie die inkoopt")
    title: str = fld("titel", "Titel van het boek", default="Productenboek")
    subtitle: str | None = fld("ondertitel", "Ondertitel")
    laws: tuple[Wet, ...] = fld("wet", "Wet(ten) waarvoor de regio inkoopt", default=())
    municipalities: tuple[str, ...] = fld("gemeenten", "Gemeenten", default=())
    subregions: tuple[Subregion, ...] = fld("subregios", "Subregio's", default=())
    access_points: tuple[str, ...] = fld("toegangen", "Toegangen", default=())
    procurement: str | None = fld("inkoopvorm", "Inkoopvorm (Open House, aanbesteding, ...)")
    contract_year: int | None = fld("contractjaar", "Contractjaar waarvoor de was-wordt lijst geldt")
    published: dt.date | None = fld("publicatiedatum", "Publicatiedatum van het brondocument")
    start: dt.date | None = fld("ingangsdatum", "Ingangsdatum van de contracten")
    version: str | None = fld("versie", "Versie zoals de bron hem noemt")
    rounding: Literal["half_omhoog", "half_even", "omlaag", "omhoog"] = fld(
        "afronding",
        "Afronding op centen bij indexeren en termijnbedragen: half_omhoog (standaard), half_even, omlaag of omhoog",
        default="half_omhoog",
    )
    introduction: str | None = fld("inleiding", "Korte inleiding voor de voorpagina van de site")
    publisher: str | None = fld(
        "uitgever", "Wie de site en het boek uitgeeft (colofon); leeg: de organisatie"
    )
    contact: str | None = fld(
        "contact", "Contact voor lezers (e-mailadres of website), zoals de bron het noemt"
    )
    licence: str | None = fld(
        "licentie",
        "Licentie waaronder de inhoud gepubliceerd wordt, bijvoorbeeld 'CC BY 4.0' of een SPDX-code als CC-BY-4.0; leeg: 'niet vermeld'",
    )
    product_groups: tuple[ProductGroup, ...] = fld("productgroepen", "Productgroepen in volgorde", default=())
    contracts: tuple[Contract, ...] = fld("contracten", "Contracten in volgorde", default=())
    segments: tuple[Segment, ...] = fld("segmenten", "Segmenten in volgorde", default=())
    lots: tuple[Lot, ...] = fld("percelen", "Percelen in volgorde", default=())
    disciplines: tuple[Discipline, ...] = fld("disciplines", "Disciplines met declaratie-eenheid", default=())
    rules: tuple[Rule, ...] = fld("regels", "Regels en afspraken", default=())
    external_codes: tuple[ExternalCode, ...] = fld(
        "externe_codes", "Codes waarnaar verwezen wordt zonder productbeschrijving", default=()
    )
    terms: tuple[Term, ...] = fld("begrippen", "Eigen begrippen van de regio", default=())
    milestones: tuple[Milestone, ...] = fld("mijlpalen", "Planning en mijlpalen", default=())
    sources: tuple[SourceDocument, ...] = fld("bronnen", "Brondocumenten", default=())
    remarks: tuple[Remark, ...] = fld("opmerkingen", "Opmerkingen", default=())
    source: Bron | None = fld("bron", "Hoofdbron")


# -- steering data per segment (effectketen, randvoorwaarden) --------------------------------------

Niveau = Literal["input", "throughput", "output", "outcome", "impact"]
Invloed = Literal["gemeente", "aanbieder", "beide", "geen"]


@dataclass(frozen=True)
class Target(Item):
    """Een streefwaarde: waarde + eenheid + richting, met de tekst uit de bron."""

    value: Decimal | None = fld(
        "waarde", "Getal (zonder teken; de richting zegt of het om daling of stijging gaat)"
    )
    unit: str | None = fld("eenheid", "Eenheid, bijvoorbeeld '%', 'uur', 'dagen'")
    direction: Literal["daling", "stijging", "maximaal", "minimaal", "gelijk"] | None = fld(
        "richting", "daling, stijging, maximaal, minimaal of gelijk"
    )
    text: str = fld("tekst", "De streefwaarde zoals de bron hem formuleert", required=True)


@dataclass(frozen=True)
class Goal(Item):
    """Een doel in de effectketen van een segment."""

    id: str = fld(
        "id", "Korte sleutel, bijvoorbeeld 'inputdoel-1'", required=True, pattern=r"[a-z0-9][a-z0-9-]*"
    )
    level: Niveau = fld("niveau", "input, throughput, output, outcome of impact", required=True)
    number: str | None = fld("nummer", "Nummer zoals gedrukt")
    title: str | None = fld("titel", "Titel van het doel, als de bron er een geeft")
    text: str = fld("doel", "Het doel", required=True)
    indicators: tuple[str, ...] = fld("indicatoren", "Indicatoren", default=())
    targets: tuple[Target, ...] = fld("streefwaarden", "Gekwantificeerde streefwaarden", default=())
    depends_on: tuple[str, ...] = fld(
        "afhankelijk_van", "Doelen of randvoorwaarden (id's) waarvan dit doel afhangt", default=(), ref="doel"
    )
    depends_text: tuple[str, ...] = fld(
        "afhankelijk_van_tekst",
        "Afhankelijkheden die geen verwijzing zijn (vrije tekst uit de bron)",
        default=(),
    )
    remark: str | None = fld(
        "opmerking", "Opmerking, bijvoorbeeld over een verwijzing die niet te herleiden is"
    )
    source: Bron | None = fld("bron", "Waar het doel in de bron staat")


@dataclass(frozen=True)
class Condition(Item):
    """Een randvoorwaarde: een risicosituatie met kans x schade, maatregel en wie invloed heeft."""

    id: str = fld(
        "id", "Korte sleutel, bijvoorbeeld 'randvoorwaarde-10'", required=True, pattern=r"[a-z0-9][a-z0-9-]*"
    )
    number: int | None = fld("nummer", "Nummer zoals gedrukt")
    situation: str = fld("situatie", "De situatie", required=True)
    chance: int | None = fld("kans", "Kans (1-3)")
    damage: int | None = fld("schade", "Schade (1-3)")
    score: int | None = fld("score", "Kans x schade")
    score_text: str | None = fld("score_tekst", "De score zoals gedrukt, bijvoorbeeld '3 x 3 = 9'")
    measure: str | None = fld("maatregel", "Beheersmaatregel")
    influence: Invloed | None = fld("invloed", "Wie invloed heeft: gemeente, aanbieder, beide of geen")
    influence_text: str | None = fld("invloed_tekst", "Wie invloed heeft, zoals de bron het zegt")
    remark: str | None = fld("opmerking", "Opmerking")
    source: Bron | None = fld("bron", "Waar de randvoorwaarde in de bron staat")


@dataclass(frozen=True)
class SegmentDetail(Item):
    """Effectketen en randvoorwaarden van een segment (bestand segmenten/<segment-id>.yml)."""

    goals: tuple[Goal, ...] = fld("effectketen", "Doelen per niveau, in de volgorde van de bron", default=())
    conditions: tuple[Condition, ...] = fld("randvoorwaarden", "Randvoorwaarden in volgorde", default=())
    cross_tables: tuple[CrossTable, ...] = fld(
        "segmentoverstijgend",
        "Tabellen 'Segmentoverstijgend' van dit segment (onderdelen met hun koppeling aan segmenten)",
        default=(),
    )
    remarks: tuple[Remark, ...] = fld("opmerkingen", "Opmerkingen", default=())
    source: Bron | None = fld("bron", "Waar de effectketen in de bron begint")

    id: str = field(default="", compare=False)


@dataclass(frozen=True)
class CrossTopic(Item):
    """Een segmentoverstijgend onderwerp met zijn koppeling aan segmenten."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    number: str | None = fld("nummer", "Nummer zoals gedrukt")
    topic: str = fld("onderwerp", "Het onderwerp", required=True)
    description: str | None = fld("beschrijving", "Beschrijving")
    kind: Literal["voor_alle_segmenten", "segmenten_beinvloeden_elkaar"] | None = fld(
        "soort", "voor_alle_segmenten of segmenten_beinvloeden_elkaar"
    )
    segments: tuple[str, ...] = fld("segmenten", "Gekoppelde segmenten (id's)", default=(), ref="segment")
    link_text: str | None = fld("koppeling_tekst", "De koppeling zoals de bron hem noemt")
    other_links: tuple[str, ...] = fld(
        "koppeling_overig",
        "Koppelingen die geen segment zijn, zoals de bron ze noemt (bijvoorbeeld 'gemeentelijke toegang', 'voorveld')",
        default=(),
    )
    variants: tuple[Variant, ...] = fld(
        "varianten", "Afwijkende lezingen van dezelfde tekst elders in de bron", default=()
    )
    remarks: tuple[Remark, ...] = fld(
        "opmerkingen",
        "Opmerkingen, bijvoorbeeld over een koppeling die de bron niet eenduidig geeft",
        default=(),
    )
    source: Bron | None = fld("bron", "Waar het onderwerp in de bron staat")


@dataclass(frozen=True)
class Variant(Item):
    """Een afwijkende lezing: dezelfde tekst staat elders in de bron net anders."""

    text: str = fld("tekst", "De afwijkende tekst zoals daar gedrukt", required=True)
    source: Bron = fld("bron", "Waar de afwijkende tekst staat", required=True)


@dataclass(frozen=True)
class CrossTable(Item):
    """Een tabel 'Segmentoverstijgend' in het hoofdstuk van een segment: onderdelen met hun koppeling aan (andere) segmenten."""

    title: str = fld(
        "titel",
        "Titel van de tabel zoals gedrukt, bijvoorbeeld 'Onderdelen waar segmenten elkaar beïnvloeden'",
        required=True,
    )
    rows: tuple[CrossTopic, ...] = fld(
        "onderdelen",
        "Rijen in de volgorde van de bron; 'onderwerp' is de beschrijving zoals gedrukt, 'segmenten' de koppeling opgelost naar segment-id's",
        default=(),
    )
    source: Bron | None = fld("bron", "Waar de tabel in de bron staat")


@dataclass(frozen=True)
class CrossTopics(Item):
    """Segmentoverstijgende onderwerpen van een regio (bestand segmentoverstijgend.yml)."""

    topics: tuple[CrossTopic, ...] = fld("onderwerpen", "Onderwerpen in volgorde", default=())
    source: Bron | None = fld("bron", "Waar de lijst in de bron staat")


# -- national structure -------------------------------------------------------------------------


@dataclass(frozen=True)
class CareForm(Item):
    """Een landelijke zorgvorm (bestand landelijk/zorgvormen/<id>.yml)."""

    name: str = fld("naam", "Naam van de zorgvorm", required=True)
    main_form: str = fld(
        "hoofdvorm", "Hoofdvorm (id uit landelijk/structuur.yml)", required=True, ref="hoofdvorm"
    )
    table: str | None = fld("tabel", "Tabel in het rapport, bijvoorbeeld 'Tabel 3'")
    delivery: str | None = fld("leveringsvorm", "Leveringsvorm (individueel, groep, ...)")
    deployment: str | None = fld("inzet", "Inzet")
    location: str | None = fld("locatie", "Locatie")
    group_size: str | None = fld("groepsgrootte", "Groepsgrootte")
    extent: str | None = fld("omvang", "Voltijd of deeltijd")
    description: str | None = fld("omschrijving", "Omschrijving")
    placeholder: str | None = fld(
        "status",
        "Als de zorgvorm nog niet is uitgewerkt: waarom (bijvoorbeeld 'volgt uit een ander project')",
    )
    features: tuple[Feature, ...] = fld("kenmerken", "Overige gegevens", default=())
    source: Bron | None = fld("bron", "Waar de zorgvorm in het rapport staat")

    id: str = field(default="", compare=False)


@dataclass(frozen=True)
class MainForm(Item):
    """Een hoofdvorm van zorg (Verblijf, Dagbehandeling, Ambulant, Crisis- en spoedhulp)."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    name: str = fld("naam", "Naam", required=True)
    description: str | None = fld("omschrijving", "Omschrijving")
    source: Bron | None = fld("bron", "Bron")


@dataclass(frozen=True)
class Question(Item):
    """Een vraag in een beslisboom."""

    number: str = fld("nummer", "Nummer of label", required=True)
    question: str = fld("vraag", "De vraag", required=True)
    explanation: str | None = fld("toelichting", "De kolom Toelichting van de beslisboom, zoals gedrukt")
    judgement: str | None = fld(
        "beoordeling",
        "De kolom Beoordeling zoals gedrukt (één oordeel; geen ja/nee als de bron dat niet zo zegt)",
    )
    yes: str | None = fld("ja", "Wat volgt bij ja (alleen als de bron een ja/nee-antwoord geeft)")
    no: str | None = fld("nee", "Wat volgt bij nee (alleen als de bron een ja/nee-antwoord geeft)")
    options: tuple[Feature, ...] = fld(
        "opties", "Antwoorden met gevolg, alleen als de bron per antwoord een gevolg geeft", default=()
    )
    source: Bron | None = fld("bron", "Waar de stap in de bron staat")


@dataclass(frozen=True)
class DecisionTree(Item):
    """Een beslisboom (bijvoorbeeld Tabel 2) als geordende vragen."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    title: str = fld("titel", "Titel", required=True)
    table: str | None = fld("tabel", "Tabel in het rapport")
    main_form: str | None = fld("hoofdvorm", "Hoofdvorm (id)", ref="hoofdvorm")
    questions: tuple[Question, ...] = fld("vragen", "Vragen in volgorde", default=())
    source: Bron | None = fld("bron", "Bron")


@dataclass(frozen=True)
class Criterion(Item):
    """Een ontwerpcriterium of aanbeveling."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    name: str = fld("naam", "Naam of nummer", required=True)
    text: str | None = fld("tekst", "Tekst")
    source: Bron | None = fld("bron", "Bron")


@dataclass(frozen=True)
class TextList(Item):
    """Een opsomming uit het rapport, met de zin die haar inleidt (bijvoorbeeld de WUIVER-principes)."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    title: str = fld("titel", "Titel", required=True)
    intro: str | None = fld("inleiding", "De zin die de opsomming inleidt, zoals gedrukt")
    items: tuple[str, ...] = fld("items", "De punten in de volgorde van de bron", default=())
    source: Bron | None = fld("bron", "Waar de opsomming staat")


@dataclass(frozen=True)
class TableRow(Item):
    """Een rij van een tabel: één tekst per kolom."""

    cells: tuple[str, ...] = fld("cellen", "Celteksten in de volgorde van de kolommen", default=())
    source: Bron | None = fld("bron", "Waar de rij staat")


@dataclass(frozen=True)
class Table(Item):
    """Een tabel uit het rapport (bijvoorbeeld Tabel 6 'Onderscheid tussen begeleiding en behandeling')."""

    id: str = fld("id", "Korte sleutel", required=True, pattern=r"[a-z0-9][a-z0-9-]*")
    title: str = fld("titel", "Titel zoals gedrukt", required=True)
    table: str | None = fld("tabel", "Tabelnummer in het rapport, bijvoorbeeld 'Tabel 6'")
    columns: tuple[str, ...] = fld("kolommen", "Kolomkoppen", default=())
    rows: tuple[TableRow, ...] = fld(
        "rijen", "Rijen; elke rij heeft evenveel cellen als er kolommen zijn", default=()
    )
    note: str | None = fld(
        "toelichting", "Toelichting, bijvoorbeeld hoe de kolommen uit de tekst zijn herleid"
    )
    source: Bron | None = fld("bron", "Waar de tabel staat")


@dataclass(frozen=True)
class National(Item):
    """De landelijke productstructuur (bestand landelijk/structuur.yml)."""

    name: str = fld("naam", "Naam", required=True)
    description: str | None = fld("omschrijving", "Omschrijving")
    main_forms: tuple[MainForm, ...] = fld("hoofdvormen", "Hoofdvormen in volgorde", default=())
    decision_trees: tuple[DecisionTree, ...] = fld("beslisbomen", "Beslisbomen", default=())
    criteria: tuple[Criterion, ...] = fld("ontwerpcriteria", "Ontwerpcriteria (WUIVER)", default=())
    recommendations: tuple[Criterion, ...] = fld("aanbevelingen", "Aanbevelingen", default=())
    lists: tuple[TextList, ...] = fld(
        "opsommingen",
        "Opsommingen uit het rapport (principes, onderhoud, betrokken partijen, informatiebehoeften)",
        default=(),
    )
    tables: tuple[Table, ...] = fld(
        "tabellen", "Tabellen uit het rapport die geen beslisboom of zorgvorm zijn", default=()
    )
    monitoring_options: tuple[Criterion, ...] = fld(
        "monitoringopties",
        "Opties om de informatiewensen voor monitoring vast te leggen (hoofdstuk 6)",
        default=(),
    )
    terms: tuple[Term, ...] = fld("begrippen", "Begrippen", default=())
    source: Bron | None = fld("bron", "Bron")


# -- code lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Code(Item):
    """Een code uit een codelijst."""

    code: str = fld("code", "De code", required=True)
    key: str | None = fld("sleutel", "Sleutel zoals content hem gebruikt (alleen bij eenheid)")
    name: str = fld("naam", "Omschrijving", required=True)


@dataclass(frozen=True)
class CodeList(Item):
    """Een codelijst (content/codelijsten/*.yml)."""

    name: str = fld("naam", "Naam van de lijst", required=True)
    law: Wet | None = fld("wet", "Wet waarvoor de lijst geldt")
    codes: tuple[Code, ...] = fld("codes", "Codes", default=())


# -- prose ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    """A prose chapter (hoofdstukken/NN-naam.md): Markdown written by people."""

    slug: str
    title: str
    markdown: str
    path: str
