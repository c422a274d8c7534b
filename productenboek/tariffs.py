"""Tariff periods: which tariff is valid on a date, how successive periods must join, and how
money is rounded to cents (indexation, instalments). Pure rules on the model; no I/O."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
# regio.yml `afronding` -> decimal rounding mode; the first is the default.
ROUNDING = {
    "half_omhoog": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "omlaag": ROUND_FLOOR,
    "omhoog": ROUND_CEILING,
}
DEFAULT_ROUNDING = "half_omhoog"
ROUNDING_TEXT = {
    "half_omhoog": "rekenkundig afgerond op centen (een halve cent naar boven)",
    "half_even": "afgerond op centen, een halve cent naar de even cent",
    "omlaag": "naar beneden afgerond op centen",
    "omhoog": "naar boven afgerond op centen",
}
DAY = dt.timedelta(days=1)


def round_cents(amount: Decimal, rule: str | None = None) -> Decimal:
    return amount.quantize(CENT, rounding=ROUNDING[rule or DEFAULT_ROUNDING])


def instalment(amount: Decimal, instalments: int, rule: str | None = None) -> Decimal:
    """The instalment rule: termijnbedrag = bedrag / termijnen, rounded to cents by the region's rule."""
    return round_cents(amount / instalments, rule)


def instalment_mismatch(t) -> str:
    """'' when termijnen x termijnbedrag agrees with bedrag (the instalment is bedrag / termijnen
    rounded to cents, in either direction), else the Dutch problem text. One rule for `check`
    and for the tariffs `indexeer` makes."""
    if t.amount is None or not t.instalments or t.instalment_amount is None:
        return ""
    exact = t.amount / t.instalments
    if abs(t.instalment_amount - exact) < CENT:
        return ""
    from .dutch import money

    return (
        f"termijnbedrag {money(t.instalment_amount)} past niet bij bedrag {money(t.amount)} "
        f"in {t.instalments} termijnen "
        f"(verwacht {money(round_cents(exact))}: bedrag / termijnen, afgerond op centen)"
    )


def unit_key(t) -> tuple:
    """Tariffs for the same unit form one series of periods."""
    return (t.unit or "", t.per or "", t.kind or "")


def series(tariffs) -> list[list]:
    """The tariffs grouped per unit, in first-seen order; each group sorted by start date."""
    groups: dict[tuple, list] = {}
    for t in tariffs:
        groups.setdefault(unit_key(t), []).append(t)
    return [sorted(g, key=lambda t: t.valid_from or dt.date.min) for g in groups.values()]


def period_problems(tariffs) -> list[tuple[Any, str, str]]:
    """(tariff, key, message) for periods of the same unit that overlap or leave a gap."""
    out = []
    for group in series(tariffs):
        for a, b in zip(group, group[1:], strict=False):  # each tariff with the next one
            if b.valid_from is None and a.valid_to is None:
                out.append(
                    (
                        b,
                        "",
                        "twee tarieven voor dezelfde eenheid zonder periode: "
                        "geef ze geldig_vanaf en geldig_tot",
                    )
                )
            elif b.valid_from is None or a.valid_to is None or a.valid_to >= b.valid_from:
                start = b.valid_from.isoformat() if b.valid_from else "onbepaald"
                end = a.valid_to.isoformat() if a.valid_to else "onbepaald"
                out.append(
                    (
                        b,
                        "geldig_vanaf" if b.valid_from else "",
                        f"tariefperiodes overlappen: dit tarief begint op {start}, "
                        f"het vorige voor dezelfde eenheid loopt tot {end}",
                    )
                )
            elif a.valid_to + DAY != b.valid_from:
                out.append(
                    (
                        b,
                        "geldig_vanaf",
                        "gat tussen tariefperiodes: het vorige tarief voor dezelfde eenheid loopt tot "
                        f"{a.valid_to.isoformat()}, "
                        f"dit begint pas op {b.valid_from.isoformat()}",
                    )
                )
    return out


def valid_on(t, day: dt.date) -> bool:
    return (t.valid_from is None or t.valid_from <= day) and (t.valid_to is None or day <= t.valid_to)


def current(group: list, day: dt.date):
    """The tariff of a series valid on `day`; else the first announced one; else the last."""
    for t in group:
        if valid_on(t, day):
            return t
    later = [t for t in group if t.valid_from and t.valid_from > day]
    return later[0] if later else group[-1]


def status(t, day: dt.date) -> str:
    if valid_on(t, day):
        return "geldt"
    if t.valid_from and t.valid_from > day:
        return "aangekondigd"
    return "eerder"


def reference_date(contract_year: int | None, given: dt.date | None = None) -> dt.date:
    """The peildatum: the date asked for, else 1 January of the region's contract year, else today."""
    if given:
        return given
    if contract_year:
        return dt.date(contract_year, 1, 1)
    return dt.date.today()


def boundaries(rc) -> list[str]:
    """Every date (ISO) on which a tariff of the region starts or stops being valid: between two
    consecutive ones, every peildatum shows the same tariffs."""
    days: set[dt.date] = set()
    tariffs = [
        t for p in rc.products.values() for t in (*p.tariffs, *(t for lv in p.levels for t in lv.tariffs))
    ]
    tariffs += [d.tariff for d in rc.region.disciplines if d.tariff]
    for t in tariffs:
        if t.valid_from:
            days.add(t.valid_from)
        if t.valid_to:
            days.add(t.valid_to + DAY)
    return sorted(d.isoformat() for d in days)


def same_tariffs(bounds: list[str], a: dt.date, b: dt.date) -> bool:
    """True when no boundary lies between the two peildata: they show the same tariffs."""
    lo, hi = sorted((a.isoformat(), b.isoformat()))
    return not any(lo < x <= hi for x in bounds)
