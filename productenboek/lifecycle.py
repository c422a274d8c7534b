"""Was-wordt lists, derived from product lifecycle fields; never typed by hand.

For a contract year Y a product is
  Stoppen  when it ends before Y (geldig_tot < 1 January Y) but existed in year Y-1,
  Nieuw    when it starts in Y (geldig_vanaf in Y),
  Houden   otherwise (it exists before and during Y).
`onzeker: true` marks the status as uncertain ("Stoppen?"). Products that ended before Y-1
or start after Y do not appear. The remark (Bijzonderheden) is the product's `wijziging`;
a stopped product without one names its successors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .content import RegionContent
from .dutch import date_short, tariff_text
from .model import Product

STATUS_NAMES = {"H": "Houden", "S": "Stoppen", "N": "Nieuw"}
NOT_STATED = "niet vermeld"


@dataclass(frozen=True)
class Row:
    product_id: str
    name: str
    code: str
    status: str  # H, S or N
    uncertain: bool
    remark: str
    old_tariff: str = ""  # tariffs that ended before the contract year
    new_tariff: str = ""  # tariffs in force in the contract year
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    replaced_by: str = ""  # successors, 'name (code)', comma separated

    @property
    def validity(self) -> str:
        if self.valid_from and self.valid_to:
            return f"{date_short(self.valid_from)} t/m {date_short(self.valid_to)}"
        if self.valid_from:
            return f"vanaf {date_short(self.valid_from)}"
        if self.valid_to:
            return f"t/m {date_short(self.valid_to)}"
        return ""

    @property
    def status_text(self) -> str:
        return STATUS_NAMES[self.status] + ("?" if self.uncertain else "")


@dataclass(frozen=True)
class WasWordtList:
    contract: str  # contract name ("" when the region has no contracts)
    name: str  # list title within the contract ("" when there is one list)
    outside_book: bool
    rows: tuple[Row, ...]

    @property
    def title(self) -> str:
        if self.contract and self.name and self.name != self.contract:
            return f"{self.contract}: {self.name}"
        return self.contract or self.name or "Alle producten"

    def counts(self) -> dict[str, int]:
        out = {"H": 0, "S": 0, "N": 0}
        for r in self.rows:
            out[r.status] += 1
        return out


def stated_year(rc: RegionContent) -> int | None:
    """The contract year the content states: contractjaar, else the year of the ingangsdatum.
    None when it states neither (readers then see 'niet vermeld', never a fallback year)."""
    if rc.region.contract_year:
        return rc.region.contract_year
    return rc.region.start.year if rc.region.start else None


def default_year(rc: RegionContent) -> int:
    """regio.yml's contractjaar, else the year of its ingangsdatum, else the year of the
    region's last content change (never the wall clock: output stays deterministic)."""
    if rc.region.contract_year:
        return rc.region.contract_year
    if rc.region.start:
        return rc.region.start.year
    from .provenance import timestamp

    return timestamp(rc.folder).year


def status_of(p: Product, year: int) -> str | None:
    start = dt.date(year, 1, 1)
    if p.valid_from and p.valid_from > dt.date(year, 12, 31):
        return None
    if p.valid_to and p.valid_to < dt.date(year - 1, 1, 1):
        return None
    if p.valid_to and p.valid_to < start:
        return "S"
    if p.valid_from and p.valid_from >= start:
        return "N"
    return "H"


def _row(rc: RegionContent, pid: str, year: int, names: dict[str, str] | None = None) -> Row | None:
    p = rc.products[pid]
    status = status_of(p, year)
    if status is None:
        return None
    remark = p.change or ""
    if not remark and status == "S" and p.replaced_by:
        labels = [_label(rc.products[r]) for r in p.replaced_by if r in rc.products]
        remark = "Wordt vervangen door " + ", ".join(labels) + "."
    old, new = _tariffs(p, year)
    successors = ", ".join(_label(rc.products[r]) for r in p.replaced_by if r in rc.products)
    return Row(
        pid,
        (names or {}).get(pid, p.name),
        p.code or "",
        status,
        p.uncertain,
        remark,
        old,
        new,
        p.valid_from,
        p.valid_to,
        successors,
    )


def _active(start: dt.date | None, end: dt.date | None, year: int) -> bool:
    return (start is None or start <= dt.date(year, 12, 31)) and (end is None or end >= dt.date(year, 1, 1))


def _tariffs(p: Product, year: int) -> tuple[str, str]:
    """(old, new): a tariff without dates follows the product's own validity. New is what is
    in force in the contract year; old what was in force the year before and no longer is."""
    old, new = [], []
    for t in p.tariffs:
        start, end = t.valid_from or p.valid_from, t.valid_to or p.valid_to
        if _active(start, end, year):
            new.append(tariff_text(t))
        elif _active(start, end, year - 1):
            old.append(tariff_text(t))
    return "; ".join(old), "; ".join(new)


def _label(p: Product) -> str:
    return f"{p.name} ({p.code})" if p.code else p.name


def derive(rc: RegionContent, year: int) -> list[WasWordtList]:
    lists: list[WasWordtList] = []
    for contract in rc.region.contracts:
        for lst in contract.lists:
            names = {rn.product: rn.name for rn in lst.row_names}
            rows = tuple(
                r for r in (_row(rc, pid, year, names) for pid in lst.products if pid in rc.products) if r
            )
            name = lst.name if len(contract.lists) > 1 or (lst.name and lst.name != contract.name) else ""
            lists.append(WasWordtList(contract.name, name or "", contract.outside_book, rows))
    if not rc.region.contracts:
        rows = tuple(r for r in (_row(rc, pid, year) for pid in rc.products) if r)
        lists.append(WasWordtList("", "Alle producten", False, rows))
    return lists
