"""Synthetic content for tests and the benchmark: realistic in shape and size, made up in
every fact. Deterministic for a given seed. Passes `check`.

Per region: a regio.yml with productgroepen, gemeenten, segments and contracts; products
with prose of realistic length, tariffs, municipal restrictions, combination rules,
kernbeding references and lifecycle changes; kernbedingen with numbered clauses.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from .errors import UsageError
from .writer import atomic_write_text

DEFAULT_LISTS = Path(__file__).resolve().parent.parent / "content" / "codelijsten"  # the repository's own

WORDS = [
    "jeugdige",
    "ouders",
    "begeleiding",
    "behandeling",
    "ondersteuning",
    "gezin",
    "netwerk",
    "doelen",
    "plan",
    "van",
    "aanpak",
    "ontwikkeling",
    "zelfredzaamheid",
    "school",
    "dagbesteding",
    "structuur",
    "vaardigheden",
    "professional",
    "regievoerder",
    "evaluatie",
    "resultaat",
    "veiligheid",
    "problematiek",
    "gedrag",
    "opvoeding",
    "hulpverlening",
    "jeugdhulpaanbieder",
    "gemeente",
    "toegang",
    "verwijzer",
    "kwaliteit",
    "richtlijn",
    "methodiek",
    "intensief",
    "licht",
    "specialistisch",
    "ambulant",
    "verblijf",
    "groep",
    "individueel",
    "thuis",
    "omgeving",
    "samenwerking",
    "afspraken",
    "afschaling",
    "perspectief",
    "continuïteit",
    "inzet",
    "uitvoering",
    "rapportage",
]
PRODUCT_WORDS = [
    "Begeleiding",
    "Behandeling",
    "Dagbesteding",
    "Logeren",
    "Verblijf",
    "Diagnostiek",
    "Gezinsbegeleiding",
    "Groepsbehandeling",
    "Ambulante hulp",
    "Pleegzorg",
    "Respijtzorg",
    "Vervoer",
]
LEVELS = ["basis", "licht", "midden", "specialistisch", "intensief", "zwaar", "plus", "kort", "lang"]
GROUPS = [
    ("ambulant", "Ambulant"),
    ("specifiek", "Specifieke doelgroepen"),
    ("dagbesteding", "Dagbesteding"),
    ("overig", "Overig"),
    ("advies", "Advies"),
    ("logeren", "Logeren"),
    ("intensief", "Intensief ambulant"),
    ("verblijf", "Verblijf"),
]
CATEGORIES = ["40", "41", "42", "43", "44", "45", "46", "50", "51", "52", "54"]
UNITS = ["uur", "uur", "uur", "etmaal", "dagdeel", "minuut", "stuks"]
PLACES = ["Aa", "Berg", "Dal", "Hoven", "Veld", "Meer", "Wold", "Dijk", "Horst", "Broek", "Zand", "Loo"]
FORMS = [
    ("ambulant", "Ambulant", ["ambulante-begeleiding", "ambulante-behandeling"]),
    ("verblijf", "Verblijf", ["verblijf", "wonen"]),
    ("dagbehandeling", "Dagbehandeling", ["dagbehandeling"]),
    ("crisis", "Crisis- en spoedhulp", ["crisishulp"]),
]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _prose(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _national(root: Path) -> list[str]:
    lines = [
        "naam: Synthetische landelijke structuur",
        "omschrijving: Verzonnen structuur voor tests en benchmark.",
        "hoofdvormen:",
    ]
    forms = []
    for fid, name, cares in FORMS:
        lines.append(f"  - {{id: {fid}, naam: {name}}}")
        for c in cares:
            forms.append(c)
            atomic_write_text(
                root / "landelijk" / "zorgvormen" / f"{c}.yml",
                f"naam: {c.replace('-', ' ').capitalize()}\nhoofdvorm: {fid}\n"
                f"omschrijving: {_q('Verzonnen zorgvorm.')}\n",
            )
    lines += ["begrippen:", "  - {term: Jeugdhulp, definitie: Verzonnen definitie voor tests.}"]
    atomic_write_text(root / "landelijk" / "structuur.yml", "\n".join(lines) + "\n")
    return forms


def generate(out: Path, regions: int, products: int, seed: int = 1, code_lists: Path | None = None) -> Path:
    """Write a complete content tree to `out` (replaced if it exists)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(seed)
    source_lists = code_lists or DEFAULT_LISTS
    shutil.copytree(source_lists, out / "codelijsten")
    forms = _national(out)
    for r in range(regions):
        _region(out, rng, r, products, forms)
    return out


def _region(out: Path, rng: random.Random, r: int, products: int, forms: list[str]) -> None:
    slug = f"regio-{r + 1:02d}"
    folder = out / "regios" / slug
    municipalities = sorted(
        {rng.choice(PLACES) + rng.choice(["dorp", "stad", "veen", "wijk", "hem"]) for _ in range(8)}
    )
    n_kb = max(1, products // 25)
    codes: list[str] = []
    used: set[str] = set()
    while len(codes) < products:
        code = f"{rng.choice(CATEGORIES)}{rng.choice('ABGX')}{rng.randint(0, 99):02d}"
        if code not in used:
            used.add(code)
            codes.append(code)
    kb_ids = [f"kernbeding-{i + 1:02d}" for i in range(n_kb)]
    lines = [
        f"naam: Synthetische regio {r + 1}",
        "organisatie: Verzonnen inkooporganisatie",
        "titel: Productenboek",
        "wet: [jeugdwet]",
        f"gemeenten: [{', '.join(municipalities)}]",
        "inkoopvorm: Open House",
        "contractjaar: 2026",
        "productgroepen:",
    ]
    lines += [f"  - {{id: {gid}, naam: {name}}}" for gid, name in GROUPS]
    lines += [
        "segmenten:",
        "  - id: alle-zorg",
        "    nummer: 1",
        "    naam: Alle zorg",
        f"    kernbedingen: [{', '.join(kb_ids)}]",
        "contracten:",
        "  - id: jeugd",
        "    naam: Contract Jeugd",
        "    lijsten:",
        f"      - producten: [{', '.join(codes)}]",
    ]
    atomic_write_text(folder / "regio.yml", "\n".join(lines) + "\n")
    for i, kid in enumerate(kb_ids):
        clauses = "\n".join(
            f'  - label: "{c + 1})"\n    tekst: {_q(_prose(rng, rng.randint(1, 3)))}'
            for c in range(rng.randint(4, 12))
        )
        atomic_write_text(
            folder / "kernbedingen" / f"{kid}.yml",
            f"naam: Kernbeding {i + 1}\nsegment: alle-zorg\n"
            f"bekostiging: {{vorm: inspanning, eenheid: uur}}\nclausules:\n{clauses}\n",
        )
    for i, code in enumerate(codes):
        atomic_write_text(
            folder / "producten" / f"{code}.yml", _product(rng, code, i, codes, municipalities, kb_ids, forms)
        )


def _product(rng, code, i, codes, municipalities, kb_ids, forms) -> str:
    group = GROUPS[i % len(GROUPS)][0]
    name = f"{rng.choice(PRODUCT_WORDS)} {rng.choice(LEVELS)} {i + 1}"
    unit = rng.choice(UNITS)
    amount = f"{rng.randint(5, 400)}.{rng.randint(0, 99):02d}"
    lines = [
        f"code: {code}",
        f"naam: {name}",
        "wet: jeugdwet",
        f'productcategorie: "{code[:2]}"',
        f"productgroep: {group}",
        f"volgorde: {i + 1}",
        "omschrijving: |",
    ]
    for _ in range(rng.randint(2, 4)):
        lines.append("  " + _prose(rng, rng.randint(3, 6)))
        lines.append("")
    lines.pop()
    lines += [f"doelgroep: {_q(_prose(rng, 2))}", "eisen:"]
    lines += [f"  - {_q(_sentence(rng, rng.randint(10, 20)))}" for _ in range(rng.randint(2, 5))]
    lines += ["tarieven:", f"  - bedrag: {amount}", f"    eenheid: {unit}"]
    if unit == "stuks":
        lines.append("    per: afgeronde behandeling")
    if rng.random() < 0.3:
        m = rng.choice(municipalities)
        lines += [
            "voorwaarden:",
            f"  - gemeente: {m}",
            f"    vanaf: 2025-{rng.randint(1, 12):02d}-01",
            f"    inzet: {rng.choice(['niet', 'onder_voorwaarde'])}",
            f"    toelichting: {_q(_sentence(rng, 12))}",
        ]
    others = [c for c in rng.sample(codes, min(3, len(codes))) if c != code]
    if others and rng.random() < 0.4:
        lines += ["combinaties:", f"  niet_met: [{others[0]}]", f"  toelichting: {_q(_sentence(rng, 10))}"]
    lines.append(f"kernbedingen: [{rng.choice(kb_ids)}]")
    if rng.random() < 0.6:
        lines.append(f"landelijk: {rng.choice(forms)}")
    if rng.random() < 0.05:
        lines += ["geldig_tot: 2025-12-31", f"wijziging: {_q(_sentence(rng, 8))}"]
    elif rng.random() < 0.05:
        lines += ["geldig_vanaf: 2026-01-01", f"wijziging: {_q(_sentence(rng, 8))}"]
    return "\n".join(lines) + "\n"


def run(args, term) -> int:
    lists = Path(args.content) / "codelijsten"
    if not lists.is_dir() and not DEFAULT_LISTS.is_dir():
        raise UsageError(
            f"geen codelijsten gevonden in {args.content}/codelijsten (nodig voor de productcategorieen)"
        )
    out = generate(Path(args.out), args.regios, args.producten, args.seed, lists if lists.is_dir() else None)
    term.result(str(out))
    return 0
