"""`publiceer REGIO VERSIE`: publish the region's current content as a numbered version.

A version is an annotated git tag `<regio>/<versie>` on the current commit, made only when
`check` passes and the work tree is clean; its message lists the changes since the previous
version (the semantic diff). The site and the book show versions from these tags.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .. import versions
from ..errors import UsageError
from ..gitsource import repo_root
from ..pipeline import check, check_region_name, gather


def run(args, term) -> int:
    check_region_name(args.regio)
    name = args.versie
    if not versions.VERSION_RE.fullmatch(name):
        raise UsageError(f"ongeldige versie '{name}': gebruik cijfers en punten, bijvoorbeeld 2027.1")
    content_dir = Path(args.content)
    if not (content_dir / "regios" / args.regio / "regio.yml").is_file():
        raise UsageError(f"onbekende regio '{args.regio}' (geen {content_dir}/regios/{args.regio}/regio.yml)")
    root = repo_root(content_dir.resolve())
    tag = f"{args.regio}/{name}"
    existing = versions.region_versions(content_dir, args.regio)
    if (
        any(v.name == name for v in existing)
        or subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"], cwd=root, capture_output=True
        ).returncode
        == 0
    ):
        raise UsageError(f"versie {name} van {args.regio} bestaat al (tag {tag})")
    if existing and versions.natural(name) <= versions.natural(existing[-1].name):
        raise UsageError(f"versie {name} is niet hoger dan de laatste versie {existing[-1].name}")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if status.returncode != 0:
        raise UsageError(f"'{content_dir}' staat niet in een git-repository")
    if status.stdout.strip():
        n = len(status.stdout.splitlines())
        raise UsageError(
            f"de werkmap heeft {n} niet-vastgelegde wijziging(en); leg alles vast (commit) voor je publiceert"
        )
    check(content_dir)  # raises ContentError: every problem, exit 1, no tag
    rc = gather(content_dir, args.regio).regions[args.regio]
    message = versions.tag_message(content_dir, args.regio, name, rc.region.name, rc)
    made = subprocess.run(
        ["git", "tag", "-a", tag, "-F", "-"],
        cwd=root,
        input=message,
        text=True,
        capture_output=True,
        env=versions.env_for_tag(root),
        timeout=60,
    )
    if made.returncode != 0:
        raise UsageError(f"tag {tag} kon niet worden gemaakt: {made.stderr.strip()}")
    versions.forget()
    for line in message.rstrip().splitlines():
        term.info(line)
    term.ok(f"gepubliceerd: {rc.region.name} versie {name} (tag {tag})")
    return 0
