"""The subcommands. Each gathers content through the pipeline and hands it to one output."""

from __future__ import annotations

import re
from pathlib import Path

from .cache import CheckMemo
from .errors import ContentError, Problems, UsageError
from .pipeline import Summary, check, check_region_name, gather, regions_of
from .terminal import Terminal
from .validate import open_points
from .writer import atomic_write_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def cmd_check(args, term: Terminal) -> int:
    memo = None
    if (
        not args.open_points and not args.regio and (Path(args.content) / "regios").is_dir()
    ):  # never walk a wrong folder
        memo = CheckMemo(Path(args.content))
        outcome = memo.get()
        if outcome is not None:  # nothing changed since the last check: same answer
            if isinstance(outcome, Problems):
                raise ContentError(outcome)
            term.ok(outcome)
            return 0
    try:
        if args.open_points or args.regio:
            content = gather(args.content, args.regio)
            found = Summary.of(content)
        else:
            content, found = None, check(args.content)
    except ContentError as exc:
        if memo is not None:
            memo.put(exc.problems)
        raise
    if content is not None and args.open_points:
        total = 0
        for slug in regions_of(content, args.regio):
            points = open_points(content.regions[slug])
            total += len(points)
            for loc, where, text in points:
                term.result(f"{loc}: open punt in {where}: {text}")
        term.info(f"{total} {'open punt' if total == 1 else 'open punten'}")
    summary = (
        f"in orde: {found.regions} regio's, {found.products} producten, {found.kernbedingen} kernbedingen, "
        f"{found.care_forms} landelijke zorgvormen"
    )
    if memo is not None:
        memo.put(summary)
    term.ok(summary)
    return 0


def cmd_new(args, term: Terminal) -> int:
    check_region_name(args.regio)
    folder = Path(args.content) / "regios" / args.regio
    if not (folder / "regio.yml").is_file():
        raise UsageError(f"onbekende regio '{args.regio}' (geen {folder}/regio.yml)")
    ident = args.code
    is_code = re.fullmatch(r"\d{2}[0-9A-Z]{3}", ident) is not None
    if not is_code and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UsageError(
            f"ongeldige code of id '{ident}': gebruik een productcode (45A49) of kleine letters en '-'"
        )
    sub = "producten" if args.soort == "product" else "kernbedingen"
    target = folder / sub / f"{ident}.yml"
    if target.exists():
        raise UsageError(f"{target} bestaat al; kies een andere code")
    text = (TEMPLATES / "nieuw" / f"{args.soort}.yml").read_text(encoding="utf-8")
    if args.soort == "product":
        text = text.replace("{{ code }}", ident if is_code else "").replace(
            "{{ categorie }}", ident[:2] if is_code else ""
        )
        if not is_code:
            text = text.replace("code:  ", "# code:").replace(
                'productcategorie: ""', '# productcategorie: ""'
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, text)
    term.result(str(target))
    return 0


def cmd_site(args, term: Terminal) -> int:
    from .outputs import site

    return site.run(args, term)


def cmd_regios(args, term: Terminal) -> int:
    """The regions of the content as a JSON list: the matrix of the publish workflow."""
    import json

    from .load import region_folders
    from .pipeline import no_regions

    problems = Problems()
    slugs = [f.name for f in region_folders(Path(args.content), problems)]
    if not slugs and not problems:
        no_regions(args.content, problems)
    if problems:
        raise ContentError(problems)
    term.result(json.dumps(slugs))
    return 0


def cmd_serve(args, term: Terminal) -> int:
    from .outputs import serve

    return serve.run(args, term)


def cmd_pdf(args, term: Terminal) -> int:
    from .outputs import book

    return book.run(args, term, "pdf")


def cmd_docx(args, term: Terminal) -> int:
    from .outputs import book

    return book.run(args, term, "docx")


def cmd_waswordt(args, term: Terminal) -> int:
    from .outputs import waswordt

    return waswordt.run(args, term)


def cmd_diff(args, term: Terminal) -> int:
    from .outputs import diff

    return diff.run(args, term)


def cmd_indexeer(args, term: Terminal) -> int:
    from .outputs import indexeer

    return indexeer.run(args, term)


def cmd_publiceer(args, term: Terminal) -> int:
    from .outputs import publiceer

    return publiceer.run(args, term)


def cmd_fmt(args, term: Terminal) -> int:
    from .outputs import fmt

    return fmt.run(args, term)


def cmd_synth(args, term: Terminal) -> int:
    from . import synth

    return synth.run(args, term)


def cmd_bench(args, term: Terminal) -> int:
    from . import bench

    return bench.run(args, term)


def cmd_schema(args, term: Terminal) -> int:
    from .reference import markdown, schema_texts

    for name, text in schema_texts().items():
        atomic_write_text(Path("schema") / name, text)
    atomic_write_text(Path("docs") / "inhoudsmodel.md", markdown())
    term.result("schema/ en docs/inhoudsmodel.md bijgewerkt")
    return 0
