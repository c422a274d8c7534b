"""`bench`: timings at national scale, each next to its floor measured in the same run.

Every measurement runs as its own process; wall time with time.perf_counter and peak memory
(max RSS) from os.wait4. Results go to bench/results.json and bench/results.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import synth
from .writer import atomic_write_text

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BUILD = [PY, str(ROOT / "build.py")]

PARSE_FLOOR = """
import sys, glob, yaml
loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
for f in sorted(glob.glob(sys.argv[1] + '/**/*.yml', recursive=True)):
    yaml.compose(open(f, 'rb').read(), Loader=loader)
"""
TYPST_FLOOR = """
import sys, typst
typst.compile(open(sys.argv[1], 'rb').read(), format='pdf', ignore_system_fonts=True)
"""
RUNS = 5  # runs of each quick measurement and its floor, taking turns; the median counts
MKDOCS_FLOOR = """
import sys, os
from concurrent.futures import ProcessPoolExecutor
from mkdocs.commands.build import build
from mkdocs.config import load_config
import logging

def one(cfg_dir):
    logging.getLogger('mkdocs').setLevel(logging.ERROR)
    site_dir = os.path.join(sys.argv[2], os.path.basename(cfg_dir))
    cfg = load_config(config_file=os.path.join(cfg_dir, 'mkdocs.yml'), site_dir=site_dir)
    build(cfg)

if __name__ == '__main__':
    projects = sys.argv[3:]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(one, projects))
"""


def measure_median(
    name: str, cmd: list[str], cwd: Path, env: dict | None = None, runs: int = 3, before=None
) -> dict:
    """The median of several runs (the quick measurements vary by some 10 % from run to run on a
    shared machine); `before` runs before each one (e.g. to make a cold start cold again)."""
    return measure_alternating([(name, cmd, before)], cwd, env, runs)[0]


def measure_alternating(
    specs: list[tuple[str, list[str], Any]], cwd: Path, env: dict | None, runs: int
) -> list[dict]:
    """Each of `specs` (name, command, what runs before each run) `runs` times, taking turns (a
    measurement and its floor see the same moments of a shared machine, not one the quiet
    minute and the other the busy one); written data is on disk before every run. The median
    of each."""
    results: list[list[dict]] = [[] for _ in specs]
    for _ in range(runs):
        for i, (name, cmd, before) in enumerate(specs):
            if before:
                before()
            os.sync()
            results[i].append(measure(name, cmd, cwd, env))
    return [_median(r) for r in results]


def _median(results: list[dict]) -> dict:
    ok = [r for r in results if r["ok"]]
    if len(ok) < len(results):
        return next(r for r in results if not r["ok"])
    ok.sort(key=lambda r: r["seconden"])
    return {
        **ok[len(ok) // 2],
        "runs": [r["seconden"] for r in results],
        "piek_mb": max(r["piek_mb"] for r in ok),
    }


def measure(name: str, cmd: list[str], cwd: Path, env: dict | None = None, timeout: int = 900) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return {
                "naam": name,
                "seconden": None,
                "piek_mb": None,
                "ok": False,
                "fout": f"langer dan {timeout} s",
            }
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    ok = os.waitstatus_to_exitcode(status) == 0
    result = {
        "naam": name,
        "seconden": round(seconds, 2),
        "piek_mb": round(usage.ru_maxrss / 1024, 1),
        "ok": ok,
    }
    if not ok:
        result["fout"] = err.strip().splitlines()[-1] if err.strip() else "mislukt"
    return result


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _edit_one_description(content: Path) -> Path:
    path = sorted((content / "regios").glob("*/producten/*.yml"))[
        len(list((content / "regios").iterdir())) // 2
    ]
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("omschrijving: |\n", "omschrijving: |\n  Gewijzigd voor de benchmark.\n", 1),
        encoding="utf-8",
    )
    return path


def _raise_some_tariffs(content: Path, every: int = 100) -> None:
    for i, path in enumerate(sorted((content / "regios").glob("*/producten/*.yml"))):
        if i % every == 0:
            text = path.read_text(encoding="utf-8")
            lines = [
                ln
                if not ln.startswith("  - bedrag: ")
                else f"  - bedrag: {float(ln.split(': ')[1]) * 1.03:.2f}"
                for ln in text.splitlines()
            ]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _settle(content: Path) -> None:
    """Same conditions for a measurement and its floor: the freshly written files are on disk
    (no write-back running during the first measurement) and in the page cache."""
    os.sync()
    for path in content.rglob("*"):
        if path.is_file():
            path.read_bytes()


def _scenario(label: str, work: Path, content: Path, pdf_region: str, results: list, with_diff: bool) -> None:
    env = {"PRODUCTENBOEK_CACHE": str(work / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    shutil.rmtree(work / "cache", ignore_errors=True)
    row: dict[str, object] = {"scenario": label}
    _settle(content)
    row["check_koud"], row["parse_vloer"] = measure_alternating(
        [
            (
                "check koud",
                [*BUILD, "check", "--content", str(content)],
                lambda: shutil.rmtree(work / "cache", ignore_errors=True),
            ),
            ("alleen YAML parsen (libyaml)", [PY, "-c", PARSE_FLOOR, str(content)], None),
        ],
        work,
        env,
        RUNS,
    )
    row["check_warm"] = measure_median("check warm", [*BUILD, "check", "--content", str(content)], work, env)
    site_args = [
        "site",
        "--content",
        str(content),
        "--out",
        str(work / "site"),
        "--dist",
        str(work / "dist"),
        "--zonder-downloads",
    ]
    for built in ("site", ".site.reserve", "build"):  # a full build from nothing
        shutil.rmtree(work / built, ignore_errors=True)
    row["site"] = measure("site volledig", [*BUILD, *site_args], work, env)
    from .outputs.site import projects_dir

    projects = sorted(str(p) for p in projects_dir(work / "site").iterdir() if (p / "mkdocs.yml").is_file())
    row["mkdocs_vloer"] = measure(
        "kale mkdocs build van dezelfde Markdown",
        [PY, "-c", MKDOCS_FLOOR, "x", str(work / "vloer-site"), *projects],
        work,
        env,
    )
    edited = _edit_one_description(content)
    region = edited.parent.parent.name
    row["site_na_1_wijziging"] = measure("site na wijziging van 1 product", [*BUILD, *site_args], work, env)
    row["mkdocs_1_regio_vloer"] = measure(
        "kale mkdocs build van die ene regio",
        [PY, "-c", MKDOCS_FLOOR, "x", str(work / "vloer-regio"), str(projects_dir(work / "site") / region)],
        work,
        env,
    )
    # An editor's next change: the site replaced by the first edit is now the reserve that the
    # build brings up to date (outputs/site.py), instead of linking every unchanged region again.
    _edit_one_description(content)
    row["site_na_volgende_wijziging"] = measure(
        "site na nog een wijziging van 1 product", [*BUILD, *site_args], work, env
    )
    pdf_cmd = [
        *BUILD,
        "pdf",
        pdf_region,
        "--content",
        str(content),
        "--out",
        str(work / "dist"),
        "--bewaar-typst",
    ]
    # A first run fills the chapters' cache and writes the Typst source the floor compiles.
    row["pdf_eerste"] = measure(f"pdf {pdf_region}, eerste run", pdf_cmd, work, env)
    typ = work / "dist" / pdf_region / f"productenboek-{pdf_region}.typ"
    row["pdf"], row["typst_vloer"] = measure_alternating(
        [
            (f"pdf {pdf_region}", pdf_cmd, None),
            ("typst compile van dezelfde Typst-bron", [PY, "-c", TYPST_FLOOR, str(typ)], None),
        ],
        work,
        env,
        RUNS,
    )
    if with_diff:
        row["profiel"] = _profile(work, content, region)
        row["diff"] = measure(
            "diff tussen twee revisies", [*BUILD, "diff", "basis", "--content", str(content)], work, env
        )
    results.append(row)


def _profile(work: Path, content: Path, region: str) -> dict:
    """Where the site build of one region goes (productenboek.benchprofile, its own process)."""
    one = work / "profiel" / "content"
    shutil.rmtree(one.parent, ignore_errors=True)
    for part in ("codelijsten", "landelijk", f"regios/{region}"):
        if (content / part).exists():
            shutil.copytree(content / part, one / part)
    target = work / "profiel" / "profiel.json"
    result = measure(
        f"profiel van de site van {region}",
        [PY, "-m", "productenboek.benchprofile", str(one), region, str(target)],
        ROOT,
        {"PRODUCTENBOEK_CACHE": str(work / "profiel" / "cache"), "NO_MKDOCS_2_WARNING": "1"},
    )
    if result["ok"] and target.is_file():
        result["profiel"] = json.loads(target.read_text(encoding="utf-8"))
    return result


def _profile_lines(row: dict) -> list[str]:
    p = (row.get("profiel") or {}).get("profiel")
    if not p:
        return []
    lines = [
        f"### Profiel: de site van {p['regio']} alleen ({p['paginas']} pagina's, processortijd)",
        "",
        "Eén proces, zonder workers; een stap telt wat hij aanroept, behalve de stappen die apart "
        "staan (Markdown binnen het lezen van pagina's, de zoekindex binnen het opmaken). Het portaal "
        "van deze ene regio zit erin.",
        "",
        "| stap | van | seconden | keer |",
        "|---|---|---|---|",
    ]
    for s in p["stappen"]:
        lines.append(f"| {s['stap']} | {s['deel']} | {str(s['cpu']).replace('.', ',')} | {s['keer']} |")
    lines += [f"| totaal (met opstarten en imports) | | {str(p['totaal_cpu']).replace('.', ',')} | |", ""]
    return lines


def _strictdoc(work: Path, items: int, documents: int) -> dict:
    venv = work / "strictdoc-venv"
    if not (venv / "bin" / "strictdoc").exists():
        subprocess.run([PY, "-m", "venv", str(venv)], check=True, capture_output=True)
        out = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "strictdoc"], capture_output=True, text=True
        )
        if out.returncode != 0:
            return {
                "naam": "StrictDoc HTML-export",
                "seconden": None,
                "ok": False,
                "fout": "installeren mislukt: " + out.stderr.strip()[-200:],
            }
    docs = work / "strictdoc-docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    per_doc = items // documents
    for d in range(documents):
        parts = [f"[DOCUMENT]\nTITLE: Synthetische regio {d + 1}\n"]
        for i in range(per_doc):
            parts.append(
                f"\n[REQUIREMENT]\nUID: R{d + 1:02d}-{i + 1:04d}\nTITLE: Product {i + 1}\n"
                f"STATEMENT: >>>\n{synth._prose(__import__('random').Random(d * 10000 + i), 8)}\n<<<\n"
            )
        (docs / f"regio{d + 1:02d}.sdoc").write_text("".join(parts), encoding="utf-8")
    return measure(
        f"StrictDoc HTML-export van {items} items",
        [
            str(venv / "bin" / "strictdoc"),
            "export",
            str(docs),
            "--formats",
            "html",
            "--output-dir",
            str(work / "strictdoc-out"),
        ],
        work,
        timeout=420,
    )


# Why the site is built as it is: the profile of the design before (a page per product), measured
# once (2026-11-29, 2 cores, one synthetic region of 250 products, 267 pages, in one process).
DESIGN_NOTE = [
    "## Waarom de site zo gebouwd wordt",
    "",
    "Eerdere meting (29-11-2026, vóór deze indeling): één synthetische regio van 250 producten had "
    "267 pagina's, één per product. mkdocs deed er 6,8 s over (12 tot 25 ms per pagina):",
    "",
    "| stap | seconden | aandeel |",
    "|---|---|---|",
    "| Markdown omzetten (Python-Markdown, per pagina een nieuwe omzetter) | 3,5 | 51 % |",
    "| thema: pagina's opmaken (waarvan de navigatie ongeveer 60 %) | 2,0 | 29 % |",
    "| zoekindex (de HTML van elke pagina opnieuw ontleed) | 0,7 | 10 % |",
    "| configuratie, themabestanden, kopiëren, 404 en sitemap | 0,6 | 9 % |",
    "",
    "Gewogen opties: Zensical 0.0.73 bouwde dezelfde regio koud in 5,8 s (mkdocs 6,3 s) en "
    "weigert onze thema-aanpassingen (minijinja kent `rstrip` niet); een Markdown-cache helpt "
    "alleen een tweede bouw; alle cores werden al gebruikt. Gekozen: de gegevens van een product zijn "
    "platte tekst, dus Markdown voegt niets toe. Een productgroep is één pagina, door onze sjablonen "
    "direct als HTML geschreven (geen Markdown-omzetting). Elk product is daarop een sectie met een "
    "eigen anker (`productgroepen/<groep>/#<id>`); de inhoudsopgave en de zoekindex (één ingang per "
    "product) komen uit dezelfde koppen. `producten/<id>/` blijft bestaan als doorverwijzing naar die "
    "sectie. Zo daalt het aantal door het thema opgemaakte pagina's per regio van 267 naar ongeveer "
    "25. De workers halen de geladen content uit de garbage collector (`gc.freeze`).",
    "",
    "Na een wijziging: de site wordt in een map ernaast gebouwd en in één keer omgewisseld (een "
    "onderbroken bouw laat de vorige site heel). Landelijk kostte dat vooral mappen: de ongewijzigde "
    "regio's (ongeveer 12.000 mappen) met harde links in de nieuwe map zetten, ongeveer 3 s, en de "
    "vervangen site wissen, ongeveer 4 s. Daarom blijft de vervangen site staan (`.site.reserve`) en "
    "werkt de volgende bouw die bij: alleen wat daar anders is dan in de huidige site gaat weg en komt "
    "opnieuw. De eerste wijziging na een volledige bouw heeft nog geen reserve en zet de regio's nog "
    "één keer over; de volgende wijziging (tweede regel) niet meer.",
    "",
    "Waarom de verhouding met kale mkdocs hoger is dan 1,15x: het werk dat mkdocs deed (Markdown) "
    "doen nu onze sjablonen, in een fractie van de tijd. Per regio van 250 producten, processortijd "
    "met warme caches: onze pagina's, open data en project ongeveer 0,27 s, mkdocs 0,47 s. Bij 1,15x "
    "zou ons deel onder 0,07 s per regio moeten blijven.",
    "",
]


def _ratio(a: dict, b: dict) -> str:
    if not a.get("seconden") or not b.get("seconden"):
        return "—"
    return f"{a['seconden'] / b['seconden']:.2f}x".replace(".", ",")


def _markdown(results: list, peer: dict, meta: dict) -> str:
    lines = [
        "# Benchmark",
        "",
        f"Gemeten op {meta['datum']} op {meta['cores']} cores; elke meting is een eigen proces "
        "(wandkloktijd, piekgeheugen = max RSS). Check koud en PDF: mediaan van "
        f"{RUNS} runs, om en om met hun vloer, elke run pas als geschreven data op schijf staat (sync); "
        "de PDF na een eerste run die de cache van de hoofdstukken vult (alle runs in results.json). "
        "De site-metingen duren minuten en lopen één keer. Vooraf is de "
        "bytecode van het pakket gemaakt (compileall), zoals pip dat doet voor een geïnstalleerd pakket.",
        "",
    ]
    targets = [
        ("check_koud", "parse_vloer", "≤ 2x"),
        ("check_warm", None, "< 1 s"),
        ("site", "mkdocs_vloer", "≤ 1,15x"),
        ("site_na_1_wijziging", "mkdocs_1_regio_vloer", "≤ 1,2x"),
        ("site_na_volgende_wijziging", "mkdocs_1_regio_vloer", "≤ 1,2x"),
        ("pdf", "typst_vloer", "≤ 1,3x"),
        ("pdf_eerste", None, ""),
        ("diff", None, ""),
    ]
    for row in results:
        lines += [
            f"## {row['scenario']}",
            "",
            "| meting | seconden | piek MB | vloer | vloer s | verhouding | doel |",
            "|---|---|---|---|---|---|---|",
        ]
        for key, floor, target in targets:
            if key not in row:
                continue
            r = row[key]
            f = row.get(floor) if floor else None
            secs = "mislukt: " + r.get("fout", "") if not r["ok"] else str(r["seconden"]).replace(".", ",")
            peak = str(r.get("piek_mb", "—")).replace(".", ",")
            floor_name = f["naam"] if f else ""
            floor_secs = str(f["seconden"]).replace(".", ",") if f and f.get("seconden") else ""
            ratio = _ratio(r, f) if f else ""
            lines.append(
                f"| {r['naam']} | {secs} | {peak} | {floor_name} | {floor_secs} | {ratio} | {target} |"
            )
        lines.append("")
        lines += _profile_lines(row)
    lines += DESIGN_NOTE
    if peer:
        site = next((r["site"] for r in results if r["scenario"].startswith("landelijk")), None)
        if peer.get("ok"):
            peer_secs = str(peer["seconden"]).replace(".", ",")
            peer_peak = str(peer["piek_mb"]).replace(".", ",")
            measured = f"{peer_secs} s, piek {peer_peak} MB"
        else:
            measured = "niet gemeten: " + peer.get("fout", "")
        lines += [
            "## Peer",
            "",
            f"- {peer['naam']}: " + measured,
            f"- onze volledige landelijke site: {str(site['seconden']).replace('.', ',')} s" if site else "",
            "",
        ]
    return "\n".join(lines) + "\n"


def run(args, term) -> int:
    out = Path(args.out).resolve()
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    # Our modules' bytecode, as pip writes it for installed packages: with PYTHONDONTWRITEBYTECODE
    # set, every command would otherwise compile the package again (some 80 ms per process).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "productenboek")], check=True)
    results: list = []
    meta = {
        "datum": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "regios": args.regios,
        "producten": args.producten,
    }
    # 1. the real flagship region
    content_root = Path(args.content).resolve()
    real = work / "echt" / "content"
    shutil.rmtree(real.parent, ignore_errors=True)
    for part in ("codelijsten", "landelijk", "regios/groningen"):
        src = content_root / part
        if src.exists():
            shutil.copytree(src, real / part)
    term.info("meten: Groningen (echt)")
    _scenario(
        "1 echte regio (Groningen, 56 producten)", real.parent, real, "groningen", results, with_diff=False
    )
    # 2. national scale, synthetic, in a git repository with two revisions for diff
    nat = work / "landelijk"
    shutil.rmtree(nat, ignore_errors=True)
    nat.mkdir(parents=True)
    content = synth.generate(
        nat / "content", args.regios, args.producten, seed=1, code_lists=content_root / "codelijsten"
    )
    _git(nat, "init", "-q", "-b", "basis")
    _git(nat, "add", ".")
    _git(nat, "commit", "-qm", "basis")
    _raise_some_tariffs(content)
    term.info(f"meten: landelijk ({args.regios} x {args.producten} synthetisch)")
    _scenario(
        f"landelijk: {args.regios} regio's x {args.producten} producten (synthetisch)",
        nat,
        content,
        "regio-01",
        results,
        with_diff=True,
    )
    term.info("meten: StrictDoc (peer)")
    peer = _strictdoc(work, args.regios * args.producten, args.regios)
    data = {"meta": meta, "resultaten": results, "peer": peer}
    atomic_write_text(out / "results.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    atomic_write_text(out / "results.md", _markdown(results, peer, meta))
    term.result(str(out / "results.md"))
    return 0
