"""Command line: one subcommand per Makefile target. main(argv) -> exit code.

Exit codes: 0 ok, 1 content errors (or a failed check), 2 usage errors.
Tracebacks only with --debug; everything a user reads is Dutch.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

from .errors import BuildFailed, ContentError, UsageError
from .terminal import Terminal

DEFAULT_CONTENT = "content"


class DutchParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English; keep ours Dutch
        raise UsageError(f"verkeerd gebruik: {message} (zie '{self.prog} --help')")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--content", default=DEFAULT_CONTENT, metavar="MAP", help="content-map (standaard: content/)"
    )
    p.add_argument("--debug", action="store_true", help="toon een traceback bij interne fouten")


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum JJJJ-MM-DD") from None


def _peildatum(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--peildatum",
        type=_date,
        metavar="JJJJ-MM-DD",
        help="toon de tarieven die op deze datum gelden "
        "(standaard: 1 januari van het contractjaar van de regio, anders vandaag)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = DutchParser(prog="build.py", description="Productenboek als code: controleren en publiceren.")
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=DutchParser)

    p = sub.add_parser("check", help="controleer alle content en meld alle problemen")
    _common(p)
    p.add_argument(
        "--open-points",
        dest="open_points",
        action="store_true",
        help="toon alle open punten ([PM], ontbrekende tarieven)",
    )
    p.add_argument("--regio", help="alleen open punten van deze regio")

    for name, what in (
        ("pdf", "het productenboek als PDF"),
        ("docx", "het productenboek als DOCX"),
        ("waswordt", "was-wordt lijsten (CSV, XLSX, Markdown)"),
    ):
        p = sub.add_parser(name, help=f"maak {what} van een regio (of alle regio's)")
        _common(p)
        p.add_argument("regio", nargs="?", help="regio (slug), bijvoorbeeld groningen; leeg = alle regio's")
        p.add_argument("--out", default="dist", help="uitvoermap (standaard: dist/)")
        if name == "waswordt":
            p.add_argument("--jaar", type=int, help="contractjaar (standaard uit regio.yml)")
        if name != "waswordt":
            _peildatum(p)
        if name == "pdf":
            p.add_argument(
                "--bewaar-typst",
                dest="keep_typst",
                action="store_true",
                help="schrijf ook de Typst-bron (.typ) weg",
            )

    p = sub.add_parser("site", help="bouw de website van alle regio's en het portaal")
    _common(p)
    p.add_argument("--out", default="site", help="uitvoermap (standaard: site/)")
    p.add_argument("--dist", default="dist", help="map met downloads (PDF, DOCX, XLSX)")
    p.add_argument(
        "--zonder-downloads",
        dest="no_downloads",
        action="store_true",
        help="maak geen PDF/DOCX/XLSX voor de downloads",
    )
    matrix = p.add_mutually_exclusive_group()
    matrix.add_argument(
        "--alleen",
        metavar="REGIO",
        help="bouw alleen deze regio, zonder portaal, in een eigen uitvoermap "
        "(één taak van een bouwmatrix; voeg de regio's samen met --portaal-uit)",
    )
    matrix.add_argument(
        "--portaal-uit",
        dest="portaal_uit",
        nargs="+",
        metavar="MAP",
        help="bouw het portaal en voeg de regio's samen uit deze mappen (elk de --out van een "
        "bouw met --alleen); weigert een regio die uit andere content is gebouwd",
    )
    _peildatum(p)

    p = sub.add_parser(
        "regios", help="toon de regio's (mapnamen) als JSON-lijst, bijvoorbeeld voor een bouwmatrix"
    )
    _common(p)

    p = sub.add_parser("serve", help="bekijk een regio lokaal; de browser herlaadt bij elke wijziging")
    _common(p)
    p.add_argument("regio", nargs="?", help="regio (slug); standaard de eerste")
    p.add_argument("--poort", type=int, default=8000)

    p = sub.add_parser("diff", help="inhoudelijk verschil tussen twee git-versies van content/")
    _common(p)
    p.add_argument("base", help="basisversie, bijvoorbeeld main")
    p.add_argument("head", nargs="?", help="nieuwe versie (standaard: de werkmap)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.add_argument(
        "--max-procent",
        dest="max_percent",
        type=float,
        default=10.0,
        help="waarschuw bij een tariefwijziging groter dan dit percentage",
    )
    p.add_argument(
        "--max-tekens",
        dest="max_chars",
        type=int,
        default=0,
        help="kort de Markdown in tot zoveel tekens, "
        "met een verwijzing naar het volledige verschil (PR-commentaar)",
    )

    from .outputs.indexeer_help import RULE_HELP

    p = sub.add_parser(
        "indexeer",
        help="indexeer de tarieven van een regio per datum (nieuwe tariefperiode)",
        description="Indexeer de tarieven van een regio. " + RULE_HELP,
    )
    _common(p)
    p.add_argument("regio", help="regio (slug), bijvoorbeeld groningen")
    p.add_argument("--percentage", required=True, help="indexatiepercentage, bijvoorbeeld 3,2 (of 3.2)")
    p.add_argument(
        "--per", required=True, type=_date, metavar="JJJJ-MM-DD", help="eerste dag van de nieuwe tarieven"
    )
    p.add_argument("--alleen", nargs="+", metavar="CODE", help="indexeer alleen deze producten (code of id)")
    p.add_argument("--behalve", nargs="+", metavar="CODE", help="indexeer alles behalve deze producten")
    p.add_argument(
        "--dry-run", dest="dry_run", action="store_true", help="toon wat er zou veranderen; schrijf niets"
    )
    p.add_argument(
        "--force", action="store_true", help="ook als content/regios/REGIO niet-vastgelegde wijzigingen heeft"
    )

    p = sub.add_parser(
        "publiceer",
        help="publiceer een regio als genummerde versie (git-tag REGIO/VERSIE)",
        description="Maakt de tag REGIO/VERSIE met de wijzigingen sinds de vorige versie als toelichting; "
        "alleen als 'check' slaagt en alles is vastgelegd.",
    )
    _common(p)
    p.add_argument("regio", help="regio (slug), bijvoorbeeld groningen")
    p.add_argument("versie", help="versienummer, bijvoorbeeld 2027.1")

    p = sub.add_parser("fmt", help="herschrijf content-YAML canoniek (commentaar blijft)")
    _common(p)
    p.add_argument(
        "--check", action="store_true", help="verander niets; faal als een bestand niet canoniek is"
    )
    p.add_argument("paden", nargs="*", help="alleen deze bestanden")

    p = sub.add_parser("new", help="maak een nieuw bestand met een toegelicht skelet")
    _common(p)
    p.add_argument("soort", choices=["product", "kernbeding"])
    p.add_argument("regio")
    p.add_argument("code", help="productcode (45A49) of id (kleine letters en '-')")

    p = sub.add_parser("synth", help="genereer synthetische content (voor tests en benchmark)")
    _common(p)
    p.add_argument("--regios", type=int, default=2)
    p.add_argument("--producten", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("out", help="doelmap (wordt een content-map)")

    p = sub.add_parser("schema", help="schrijf schema/*.schema.json en docs/inhoudsmodel.md opnieuw")
    _common(p)

    p = sub.add_parser("bench", help="meet de snelheid op landelijke schaal")
    _common(p)
    p.add_argument("--regios", type=int, default=42)
    p.add_argument("--producten", type=int, default=250)
    p.add_argument("--out", default="bench")
    return parser


def quick_exit(code: int) -> None:
    """End the command without tearing the interpreter down: every file is written and closed
    by now, pools and temporary folders are closed by their own blocks, and taking apart every
    loaded object (a tenth of a second after a PDF) only costs the user time. Output is flushed
    first; atexit handlers (none of ours) do not run, except under a profiler or tracer."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage writes its results at the normal exit
    os._exit(code if isinstance(code, int) else 1)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    term = Terminal()
    debug = "--debug" in argv
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help()
            return 2
        if getattr(args, "content", None) is not None and not args.content.strip():
            raise UsageError("--content is leeg; geef de content-map op")
        from . import commands

        handler = getattr(commands, "cmd_" + args.command)
        return handler(args, term)
    except UsageError as exc:
        term.error(str(exc))
        return 2
    except ContentError as exc:
        for problem in exc.problems.sorted():
            term.problem(str(problem))
        n = len(exc.problems)
        term.error(f"{n} {'probleem' if n == 1 else 'problemen'} gevonden")
        return 1
    except BuildFailed as exc:
        for line in exc.details:
            term.problem(line)
        term.error(str(exc))
        return 1
    except OSError as exc:
        message = _OS_ERRORS.get(exc.errno or 0)
        if message is None or debug or os.environ.get("PRODUCTENBOEK_DEBUG"):
            if debug or os.environ.get("PRODUCTENBOEK_DEBUG"):
                raise
            term.error(f"interne fout: {type(exc).__name__}: {exc} (draai opnieuw met --debug voor details)")
            return 3
        where = exc.filename or exc.filename2 or "?"
        term.error(f"{where}: {message}")
        return 1
    except KeyboardInterrupt:
        term.error("afgebroken")
        return 130
    except Exception as exc:  # an internal error: short message, traceback only on request
        if debug or os.environ.get("PRODUCTENBOEK_DEBUG"):
            raise
        term.error(f"interne fout: {type(exc).__name__}: {exc} (draai opnieuw met --debug voor details)")
        return 3


_OS_ERRORS = {
    errno.EACCES: "geen toestemming om te schrijven of te lezen (controleer de rechten van deze map)",
    errno.EPERM: "geen toestemming om te schrijven of te lezen (controleer de rechten van deze map)",
    errno.EROFS: "alleen-lezen bestandssysteem; kies een andere uitvoermap",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "schijfquotum bereikt",
}


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
