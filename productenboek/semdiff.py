"""Semantic difference between two versions of the content: what changes for providers.

Compares the validated models, never the YAML text, so reformatting, reordering keys and
editing comments are not changes. Source references (`bron`) are bookkeeping, not content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from . import dutch
from .content import Content, RegionContent
from .lifecycle import default_year, derive
from .schema import fields_of
from .tariffs import series, unit_key

IGNORED_KEYS = {"bron"}


@dataclass
class FieldChange:
    key: str
    old: str
    new: str
    words: str = ""  # word-level diff for prose ('' for short values)


@dataclass
class TariffChange:
    old: str
    new: str
    percent: str
    unit: str
    warnings: list[str] = field(default_factory=list)
    since: str = ""  # start of a new period (indexation), e.g. '1 januari 2027'


@dataclass
class ItemDiff:
    kind: str  # product | kernbeding
    id: str
    label: str
    status: str  # toegevoegd | verwijderd | gewijzigd
    renamed_from: str = ""
    moved: str = ""
    tariffs: list[TariffChange] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    clauses: list[FieldChange] = field(default_factory=list)


@dataclass
class RegionDiff:
    slug: str
    name: str
    status: str = "gewijzigd"  # toegevoegd | verwijderd | gewijzigd
    region_fields: list[FieldChange] = field(default_factory=list)
    items: list[ItemDiff] = field(default_factory=list)
    waswordt: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return self.status == "gewijzigd" and not (self.region_fields or self.items or self.waswordt)


# -- showing values ----------------------------------------------------------------------------


def show(value) -> str:
    if value is None or value == () or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return dutch.money(value)
    if isinstance(value, dt.date):
        return dutch.date_long(value)
    if isinstance(value, tuple):
        return "; ".join(show(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = []
        for _name, f, _tp in fields_of(type(value)):
            if f.metadata["key"] in IGNORED_KEYS:
                continue
            v = getattr(value, _name)
            if v not in (None, (), "", False):
                parts.append(f"{f.metadata['key']}: {show(v)}")
        return ", ".join(parts) or "—"
    return str(value)


def word_diff(old: str, new: str, context: int = 6) -> str:
    """'... woorden ~~oud~~ **nieuw** woorden ...' with a little context around each change."""
    from .render import gfm

    a, b = [gfm(w) for w in old.split()], [gfm(w) for w in new.split()]
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    out: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = a[i1:i2]
            head = [] if n == 0 else words[:context]
            tail = [] if n == len(ops) - 1 else words[-context:]
            out += words if len(words) <= len(head) + len(tail) else head + ["…"] + tail
            continue
        if i2 > i1:
            out.append("~~" + " ".join(a[i1:i2]) + "~~")
        if j2 > j1:
            out.append("**" + " ".join(b[j1:j2]) + "**")
    return " ".join(out)


def _is_prose(old: str, new: str) -> bool:
    return max(len(old), len(new)) > 80


# -- comparing --------------------------------------------------------------------------------


def _field_changes(old, new, skip: set[str]) -> list[FieldChange]:
    changes = []
    cls: type = type(new)
    for name, f, _tp in fields_of(cls):
        key = f.metadata["key"]
        if key in IGNORED_KEYS or key in skip:
            continue
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        sa, sb = show(a), show(b)
        if sa == sb:
            continue
        changes.append(FieldChange(key, sa, sb, word_diff(sa, sb) if _is_prose(sa, sb) else ""))
    return changes


def _tariff_changes(old, new, max_percent: float) -> list[TariffChange]:
    """Tariffs are compared per unit and period (geldig_vanaf). A new period that follows an
    existing one (indexation) shows as old -> new with its start date; closing the old period
    (its geldig_tot) is part of that change, not a change of its own."""
    out: list[TariffChange] = []
    old_groups = {unit_key(g[0]): g for g in series(old.tariffs)}
    new_groups = {unit_key(g[0]): g for g in series(new.tariffs)}
    for key in list(dict.fromkeys([*new_groups, *old_groups])):
        a_list, b_list = old_groups.get(key, []), new_groups.get(key, [])
        a_by = {t.valid_from: t for t in a_list}
        b_by = {t.valid_from: t for t in b_list}
        old_only = [t for t in a_list if t.valid_from not in b_by]
        for i, b in enumerate(b_list):
            a = a_by.get(b.valid_from)
            if a is not None:
                if a == b or _only_closed(a, b, b_list[i + 1] if i + 1 < len(b_list) else None):
                    continue
                change = _compare(a, b, max_percent)
            elif old_only:
                change = _compare(old_only.pop(0), b, max_percent)
            elif i > 0 and b_list[i - 1].amount is not None and b.amount is not None:
                change = _compare(dataclasses.replace(b_list[i - 1], valid_from=None), b, max_percent)
                if change is not None:
                    change.since = dutch.date_long(b.valid_from)
            else:
                change = TariffChange("—", dutch.tariff_text(b), "", "")
            if change is not None:
                out.append(change)
        out += [TariffChange(dutch.tariff_text(a), "—", "", "") for a in old_only]
    return out


def _only_closed(a, b, following) -> bool:
    """b is a with its period closed the day before the following period starts."""
    return (
        dataclasses.replace(a, valid_to=b.valid_to, locs=b.locs) == b
        and following is not None
        and following.valid_from is not None
        and b.valid_to is not None
        and b.valid_to + dt.timedelta(days=1) == following.valid_from
    )


def _compare(a, b, max_percent: float) -> TariffChange | None:
    if a.amount == b.amount and dutch.tariff_text(a) == dutch.tariff_text(b) and a.valid_from == b.valid_from:
        return None
    percent = ""
    warnings = []
    if a.amount is not None and b.amount is not None and a.amount != b.amount:
        if a.amount:
            pct = (b.amount - a.amount) / a.amount * 100
            percent = dutch.percent(pct)
            if abs(pct) > Decimal(str(max_percent)):
                warnings.append(
                    f"wijziging groter dan {str(max_percent).replace('.', ',').removesuffix(',0')} %"
                )
        if b.valid_from is None or b.valid_from == a.valid_from:
            warnings.append("geen nieuwe `geldig_vanaf`")
    unit = dutch.tariff_unit(b)
    old_text = dutch.money(a.amount) if a.amount is not None else (a.description or "—")
    new_text = dutch.money(b.amount) if b.amount is not None else (b.description or "—")
    if old_text == new_text:
        old_text, new_text = dutch.tariff_text(a), dutch.tariff_text(b)
        unit = ""
    return TariffChange(old_text, new_text, percent, unit, warnings)


def _label(p) -> str:
    return f"{p.code} {p.name}" if getattr(p, "code", None) else p.name


def _clause_text(c) -> str:
    def items(its):
        return " ".join(f"{i.label or '-'} {i.text} {items(i.items)}".strip() for i in its)

    return " ".join(
        x
        for x in (
            c.heading or "",
            c.text or "",
            items(c.items),
            f"(opmerking: {c.remark})" if c.remark else "",
        )
        if x
    )


def _clause_changes(old, new) -> list[FieldChange]:
    def keyed(k):
        return {(c.label or f"#{i + 1}"): c for i, c in enumerate(k.clauses)}

    a, b = keyed(old), keyed(new)
    out = []
    for label in list(dict.fromkeys([*a, *b])):
        ca, cb = a.get(label), b.get(label)
        if ca == cb:
            continue
        sa, sb = (_clause_text(ca) if ca else "—"), (_clause_text(cb) if cb else "—")
        if sa != sb:
            out.append(FieldChange(f"clausule {label}", sa, sb, word_diff(sa, sb) if ca and cb else ""))
    return out


def _without_membership(region):
    """Which products sit in which list is reported per product and as was-wordt consequence."""
    return dataclasses.replace(
        region,
        contracts=tuple(dataclasses.replace(c, lists=()) for c in region.contracts),
        segments=tuple(dataclasses.replace(s, kernbedingen=(), outside=()) for s in region.segments),
    )


def _region_diff(base: RegionContent | None, head: RegionContent | None, max_percent: float) -> RegionDiff:
    if base is None:
        assert head is not None  # a region is in at least one of the two revisions
        return RegionDiff(head.slug, head.region.name, "toegevoegd")
    if head is None:
        return RegionDiff(base.slug, base.region.name, "verwijderd")
    rd = RegionDiff(head.slug, head.region.name)
    rd.region_fields = _field_changes(
        _without_membership(base.region), _without_membership(head.region), skip=set()
    )
    groups = {g.id: g.name for g in head.region.product_groups} | {
        g.id: g.name for g in base.region.product_groups
    }
    for pid in list(dict.fromkeys([*base.products, *head.products])):
        a, b = base.products.get(pid), head.products.get(pid)
        if a == b:
            continue
        if a is None:
            rd.items.append(ItemDiff("product", pid, _label(b), "toegevoegd"))
            continue
        if b is None:
            rd.items.append(ItemDiff("product", pid, _label(a), "verwijderd"))
            continue
        item = ItemDiff("product", pid, _label(b), "gewijzigd")
        if a.name != b.name:
            item.renamed_from = a.name
        if a.group != b.group:
            item.moved = (
                f"{groups.get(a.group or '', a.group or '—')} → {groups.get(b.group or '', b.group or '—')}"
            )
        item.tariffs = _tariff_changes(a, b, max_percent)
        item.fields = _field_changes(a, b, skip={"naam", "productgroep", "tarieven"})
        if item.renamed_from or item.moved or item.tariffs or item.fields:
            rd.items.append(item)
    for kid in list(dict.fromkeys([*base.kernbedingen, *head.kernbedingen])):
        ka, kb = base.kernbedingen.get(kid), head.kernbedingen.get(kid)
        if ka == kb:
            continue
        if ka is None or kb is None:
            one = ka or kb
            assert one is not None  # not both: equal ones were skipped above
            rd.items.append(
                ItemDiff("kernbeding", kid, one.name, "toegevoegd" if ka is None else "verwijderd")
            )
            continue
        item = ItemDiff("kernbeding", kid, kb.name, "gewijzigd")
        if ka.name != kb.name:
            item.renamed_from = ka.name
        item.clauses = _clause_changes(ka, kb)
        item.fields = _field_changes(ka, kb, skip={"naam", "clausules"})
        if item.renamed_from or item.clauses or item.fields:
            rd.items.append(item)
    rd.waswordt = _waswordt_changes(base, head)
    return rd


def _waswordt_changes(base: RegionContent, head: RegionContent) -> list[str]:
    year = default_year(head)

    def statuses(rc):
        out = {}
        for lst in derive(rc, year):
            for r in lst.rows:
                out[(lst.title, r.product_id)] = (r.name, r.status_text)
        return out

    a, b = statuses(base), statuses(head)
    lines = []
    for key in list(dict.fromkeys([*a, *b])):
        if key in a and key in b and a[key][1] == b[key][1]:
            continue
        title, _pid = key
        name = (b.get(key) or a.get(key))[0]
        old = a[key][1] if key in a else "niet in de lijst"
        new = b[key][1] if key in b else "niet meer in de lijst"
        lines.append(f"{title}: {name}: {old} → {new}")
    return lines


def diff(base: Content, head: Content, max_percent: float = 10.0) -> list[RegionDiff]:
    out = []
    for slug in sorted(set(base.regions) | set(head.regions)):
        rd = _region_diff(base.regions.get(slug), head.regions.get(slug), max_percent)
        if not rd.empty():
            out.append(rd)
    return out
