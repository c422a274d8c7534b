"""`indexeer REGIO --percentage P --per DATUM`: the yearly indexation as one reviewable edit.

Pipeline: gather the region (it must be valid) -> plan (for every tariff series valid the day
before DATUM: a new period from DATUM with the amount x (1 + P/100), rounded to cents by the
region's rule, and the old period closed the day before) -> edit the product files through
ruamel's round-trip loader (comments and key order kept) -> write them all atomically.
Tariffs without an amount are left alone and listed.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from .. import dutch, model
from ..errors import BuildFailed, ContentError, UsageError
from ..pipeline import check_region_name, gather
from ..schema import fields_of
from ..tariffs import DAY, ROUNDING_TEXT, instalment, round_cents, series, valid_on
from ..writer import atomic_write_text
from .fmt import _yaml


@dataclass
class Step:
    """One new tariff period."""

    product: str  # product id (file name)
    label: str  # code + name, for people
    path: tuple  # where the tariff list is in the YAML: ('tarieven',) or ('niveaus', j, 'tarieven')
    index: int  # the old tariff's position in that list
    old: model.Tariff
    amount: Decimal
    instalment: Decimal | None


def parse_percentage(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise UsageError(f"'{text}' is geen percentage (bijvoorbeeld 3,2)") from None
    if not value.is_finite() or value <= -100:
        raise UsageError(f"'{text}' is geen bruikbaar percentage")
    return value


def plan(rc, percentage: Decimal, per: dt.date, only: set[str], skip: set[str]):
    """(steps, tariffs without an amount, products already indexed from `per`)."""
    factor = 1 + percentage / 100
    day_before = per - DAY
    rule = rc.region.rounding
    steps: list[Step] = []
    no_amount: list[tuple[str, str]] = []
    already: list[str] = []
    for pid, p in sorted(rc.products.items(), key=lambda kv: (kv[1].code or kv[0])):
        ids = {pid, p.code}
        if (only and not ids & only) or ids & skip:
            continue
        label = f"{p.code} {p.name}" if p.code else p.name
        lists = [(("tarieven",), p.tariffs)] + [
            (("niveaus", j, "tarieven"), lv.tariffs) for j, lv in enumerate(p.levels)
        ]
        for path, tariffs in lists:
            for group in series(tariffs):
                if any(t.valid_from and t.valid_from >= per for t in group):
                    already.append(label)
                    continue
                old = next((t for t in group if valid_on(t, day_before)), None)
                if old is None:
                    continue
                if old.amount is None:
                    no_amount.append((p.code or pid, label))
                    continue
                new = round_cents(old.amount * factor, rule)
                inst = (
                    instalment(new, old.instalments, rule)
                    if old.instalments and old.instalment_amount is not None
                    else None
                )
                steps.append(
                    Step(pid, label, path, next(i for i, t in enumerate(tariffs) if t is old), old, new, inst)
                )
    return steps, no_amount, already


def _insert(node: CommentedMap, key: str, value) -> None:
    """Set key in a round-trip mapping at the place the model declares it."""
    if key in node:
        node[key] = value
        return
    order = [f.metadata["key"] for _n, f, _t in fields_of(model.Tariff)]
    rank = order.index(key)
    pos = len(node)
    for i, k in enumerate(node):
        if k in order and order.index(k) > rank:
            pos = i
            break
    node.insert(pos, key, value)


def _new_period(old: CommentedMap, step: Step, per: dt.date) -> CommentedMap:
    new = CommentedMap()
    for key, value in old.items():
        if key == "bron":  # an indexed amount is not typed from a source document
            continue
        new[key] = value
    new["bedrag"] = step.amount
    if step.instalment is not None:
        new["termijnbedrag"] = step.instalment
    new.pop("geldig_vanaf", None)
    _insert(new, "geldig_vanaf", per)
    return new


def edit(text: str, steps: list[Step], per: dt.date) -> str:
    """The product file's text with the new periods (round trip: comments and order kept)."""
    y = _yaml()
    y.representer.add_representer(
        Decimal, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float", f"{d:.2f}")
    )
    y.representer.ignore_aliases = lambda data: True  # one date in two places stays two plain dates
    data = y.load(text)
    for step in sorted(steps, key=lambda s: -s.index):  # from the end: earlier indexes stay valid
        seq = data
        for part in step.path:
            seq = seq[part]
        old = seq[step.index]
        new = _new_period(old, step, per)
        if "geldig_tot" in old:  # the new period ends where the old one did
            new["geldig_tot"] = old["geldig_tot"]
        _insert(old, "geldig_tot", per - DAY)
        seq.insert(step.index + 1, new)
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def dirty(folder: Path) -> list[str]:
    """Uncommitted changes (and untracked files) under folder; [] outside git."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except OSError:
        return []
    return out.stdout.splitlines() if out.returncode == 0 else []


def _change(s: Step) -> Decimal:
    assert s.old.amount is not None  # a step is only made from a tariff with an amount
    return s.amount - s.old.amount


def run(args, term) -> int:
    check_region_name(args.regio)
    percentage = parse_percentage(args.percentage)
    per = args.per
    folder = Path(args.content) / "regios" / args.regio
    content = gather(args.content, args.regio)
    rc = content.regions[args.regio]
    if not args.dry_run and not args.force:
        changes = dirty(folder)
        if changes:
            raise UsageError(
                f"{folder} heeft niet-vastgelegde wijzigingen ({len(changes)} bestand(en)); "
                "leg ze eerst vast zodat de indexering een eigen wijziging is, of gebruik --force"
            )
    only, skip = set(args.alleen or ()), set(args.behalve or ())
    known = set(rc.products) | {p.code for p in rc.products.values() if p.code}
    unknown = sorted((only | skip) - known)
    if unknown:
        raise UsageError("onbekende productcode(s) in --alleen/--behalve: " + ", ".join(unknown))
    steps, no_amount, already = plan(rc, percentage, per, only, skip)

    texts: dict[Path, str] = {}
    by_product: dict[str, list[Step]] = {}
    for s in steps:
        by_product.setdefault(s.product, []).append(s)
    for pid, product_steps in by_product.items():
        path = folder / "producten" / f"{pid}.yml"
        texts[path] = edit(path.read_text(encoding="utf-8"), product_steps, per)

    pct = dutch.percent(percentage)
    for s in steps:
        term.result(
            f"{s.label}: {dutch.money(s.old.amount)} -> {dutch.money(s.amount)}"
            + (
                f" (termijnbedrag {dutch.money(s.old.instalment_amount)} -> {dutch.money(s.instalment)})"
                if s.instalment is not None
                else ""
            )
        )
    for _short, label in no_amount:
        term.info(f"niet geïndexeerd, geen bedrag: {label}")
    for label in already:
        term.info(f"niet geïndexeerd, heeft al een tarief vanaf {dutch.date_long(per)}: {label}")
    what = "zou indexeren" if args.dry_run else "geïndexeerd"
    noun = "tarief" if len(steps) == 1 else "tarieven"
    term.ok(
        f"{len(steps)} {noun} {what} met {pct} per {dutch.date_long(per)} "
        f"in {len(texts)} bestand(en); afronding: {ROUNDING_TEXT[rc.region.rounding]}"
    )
    if steps:
        old_total = sum(s.old.amount for s in steps)
        new_total = sum(s.amount for s in steps)
        big = max(steps, key=lambda s: (_change(s), s.label))
        small = min(steps, key=lambda s: (_change(s), s.label))
        share = dutch.percent((new_total - old_total) / old_total * 100) if old_total else ""
        term.info(f"totaal: {dutch.money(old_total)} -> {dutch.money(new_total)} ({share})")
        term.info(
            f"grootste wijziging: {big.label}: {dutch.money(big.old.amount)} -> {dutch.money(big.amount)} "
            f"(verschil {dutch.money(_change(big))})"
        )
        term.info(
            f"kleinste wijziging: {small.label}: "
            f"{dutch.money(small.old.amount)} -> {dutch.money(small.amount)} "
            f"(verschil {dutch.money(_change(small))})"
        )
    if no_amount:
        term.info(
            f"{len(no_amount)} zonder bedrag niet geïndexeerd: "
            + ", ".join(short for short, _label in no_amount)
        )
    if args.dry_run:
        term.info("--dry-run: er is niets geschreven")
        return 0
    _check_before_writing(Path(args.content), args.regio, texts)
    for path, text in texts.items():
        atomic_write_text(path, text)
    return 0


def _check_before_writing(content: Path, slug: str, texts: dict[Path, str]) -> None:
    """The edited region must pass check before any file is replaced: checked in a copy."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="indexeer-") as tmp:
        copy = Path(tmp) / "content"
        for part in ("codelijsten", "landelijk"):
            if (content / part).is_dir():
                shutil.copytree(content / part, copy / part)
        shutil.copytree(content / "regios" / slug, copy / "regios" / slug)
        for path, text in texts.items():
            (copy / path.relative_to(content)).write_text(text, encoding="utf-8")
        try:
            gather(copy, slug, use_cache=False)
        except ContentError as exc:
            lines = [str(p).replace(str(copy), str(content)) for p in exc.problems.sorted()]
            raise BuildFailed(
                "de indexering is niet geschreven: het resultaat haalt 'check' niet", lines
            ) from None
