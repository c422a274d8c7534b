"""Dutch presentation of money, dates and tariffs. Money stays Decimal until it is text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

# How a unit reads after "per"; units without a word use the tariff's own `per` text.
UNIT_WORDS = {"minuut": "minuut", "uur": "uur", "etmaal": "etmaal", "dagdeel": "dagdeel"}


def money(amount: Decimal | None) -> str:
    """Decimal('1234.5') -> '€ 1.234,50'."""
    if amount is None:
        return ""
    q = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"€ {sign}{'.'.join(groups)},{frac}"


_MONEY_TEXT = re.compile(r"€\s*(-?)(\d{1,3}(?:\.\d{3})*|\d+),(\d{2})")


def parse_money(text: str) -> Decimal:
    """'€ 1.234,56' -> Decimal('1234.56'); the inverse of money()."""
    m = _MONEY_TEXT.fullmatch(text.strip())
    if not m:
        raise ValueError(f"geen bedrag: {text!r}")
    return Decimal(f"{m.group(1)}{m.group(2).replace('.', '')}.{m.group(3)}")


def date_long(d: dt.date | None) -> str:
    """date(2025, 1, 1) -> '1 januari 2025'."""
    if d is None:
        return ""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_short(d: dt.date | None) -> str:
    """date(2025, 1, 1) -> '1-1-2025' (as Dutch documents write it)."""
    if d is None:
        return ""
    return f"{d.day}-{d.month}-{d.year}"


def percent(value: Decimal) -> str:
    """Decimal('3.04') -> '+3,0 %'."""
    q = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if q > 0 else ("-" if q < 0 else "")
    return f"{sign}{str(abs(q)).replace('.', ',')} %"


def tariff_unit(t) -> str:
    """The 'per ...' part of a tariff: 'per uur (per deelnemende jeugdige)', 'per enkele reis'."""
    word = UNIT_WORDS.get(t.unit or "")
    if word and t.per:
        return f"per {word} (per {t.per})"
    if word:
        return f"per {word}"
    if t.per:
        return f"per {t.per}"
    return ""


def tariff_text(t) -> str:
    """'€ 9.228,20 per afgeronde behandeling, te declareren in 12 delen van € 769,02'."""
    if t.amount is None:
        return t.description or "geen bedrag"
    text = money(t.amount)
    unit = tariff_unit(t)
    if unit:
        text += " " + unit
    if t.instalments:
        text += f", te declareren in {t.instalments} delen"
        if t.instalment_amount is not None:
            text += f" van {money(t.instalment_amount)}"
    if t.description:
        text += f" ({t.description})"
    return text


def tariff_period(t) -> str:
    if t.valid_from and t.valid_to:
        return f"van {date_long(t.valid_from)} tot en met {date_long(t.valid_to)}"
    if t.valid_from:
        return f"vanaf {date_long(t.valid_from)}"
    if t.valid_to:
        return f"tot en met {date_long(t.valid_to)}"
    return ""
