"""`diff BASE [HEAD]`: the semantic difference of content/ between two git revisions (HEAD
defaults to the working tree), as Markdown for a pull-request comment or as JSON."""

from __future__ import annotations

import dataclasses
import json
from contextlib import ExitStack
from pathlib import Path

from ..errors import ContentError, Problems
from ..gitsource import content_at
from ..pipeline import gather, load
from ..render import code_span, render
from ..semdiff import diff
from ..validate import validate


def _load_lenient(path: Path, use_cache: bool = False):
    """Load a revision even when it has problems (a base may predate a rule). Revisions taken
    out of git into a temporary folder are loaded without the cache (nothing to reuse)."""
    problems = Problems()
    return validate(load(path, problems, use_cache=use_cache), problems), problems


# GitHub refuses comments over 65,536 characters; the workflow adds a marker line.
SHORTENED = (
    "\n\n---\n**Ingekort:** dit verschil is te lang voor een commentaar. Het volledige verschil "
    "staat in het artefact `semantisch-verschil` van deze controle (tabblad Actions, onder Artifacts)."
)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a line end, with a pointer to the full diff."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, max(limit - len(SHORTENED), 0))
    return text[: max(cut, 0)].rstrip() + SHORTENED


def run(args, term) -> int:
    content_dir = Path(args.content)
    with ExitStack() as stack:
        base_dir = stack.enter_context(content_at(args.base, content_dir))
        base, _ = _load_lenient(base_dir)
        head_dir = stack.enter_context(content_at(args.head, content_dir)) if args.head else content_dir
        cached = not args.head  # the work tree: its cache is usually fresh from check or site
        try:
            head = gather(head_dir, use_cache=cached)
            check = "`check` op de nieuwe versie: in orde."
            failed = False
        except ContentError as exc:
            head, _ = _load_lenient(head_dir, cached)
            lines = [f"`check` op de nieuwe versie: **faalt** ({len(exc.problems)} problemen)."]
            lines += [f"- {code_span(p)}" for p in exc.problems.sorted()[:20]]
            check = "\n".join(lines)
            failed = True
        regions = diff(base, head, args.max_percent)
    head_name = args.head or "werkmap"
    if args.format == "json":
        term.result(
            json.dumps(
                {
                    "base": args.base,
                    "head": head_name,
                    "check_ok": not failed,
                    "regions": [dataclasses.asdict(r) for r in regions],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        text = render(
            "diff/diff.md.j2", base=args.base, head=head_name, regions=regions, check=check
        ).rstrip()
        term.result(shorten(text, args.max_chars) if args.max_chars else text)
    return 1 if failed else 0
