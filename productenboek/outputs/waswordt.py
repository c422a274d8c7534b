"""Was-wordt lists as Markdown, CSV (';', UTF-8 with BOM) and XLSX (a sheet per list)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..dutch import date_short
from ..lifecycle import NOT_STATED, WasWordtList, default_year, derive, stated_year
from ..pipeline import gather, regions_of
from ..render import render
from ..spreadsheet import neutralise, workbook_bytes
from ..writer import atomic_write_bytes, atomic_write_text

COLUMNS = [
    "Product",
    "Productcode",
    "H/S/N",
    "Tarief oud",
    "Tarief nieuw",
    "Geldig vanaf",
    "Geldig tot en met",
    "Vervangen door",
    "Bijzonderheden",
]
WIDTHS = (42, 12, 10, 26, 26, 13, 13, 30, 48)
LEGEND = (
    "H/S/N: Houden = het product blijft in het contractjaar; "
    "Stoppen = het product stopt vóór het contractjaar; "
    "Nieuw = het product begint in het contractjaar; een vraagteken: nog niet zeker. "
    "Tarief oud: een tarief dat vóór het contractjaar eindigde; tarief nieuw: het tarief in het contractjaar."
)
SHEET_MAX = 31  # Excel's limit for a sheet name
STATUS_FILL = {"H": "E2EFDA", "S": "F8CBAD", "N": "DDEBF7"}


def csv_text(lists: list[WasWordtList]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["Contract", "Lijst", *COLUMNS])
    for lst in lists:
        for r in lst.rows:
            w.writerow([neutralise(x) for x in (lst.contract, lst.name, *_cells(r, date_short))])
    return "\ufeff" + buf.getvalue()


def _cells(r, day) -> list:
    """One row's values in COLUMNS order; day() shows a date (text for CSV, itself for XLSX)."""
    return [
        r.name,
        r.code,
        r.status_text,
        r.old_tariff,
        r.new_tariff,
        day(r.valid_from) if r.valid_from else "",
        day(r.valid_to) if r.valid_to else "",
        r.replaced_by,
        r.remark,
    ]


def has_rows(lists: list[WasWordtList]) -> bool:
    """Whether the lists hold any product: without, there is no CSV/XLSX to download."""
    return any(lst.rows for lst in lists)


def markdown_text(rc, lists: list[WasWordtList], year) -> str:
    return render("waswordt/waswordt.md.j2", region=rc.region, lists=lists, year=year, legend=LEGEND)


def _fit(text: str, limit: int) -> str:
    """Shorten to at most limit characters at a word boundary (never mid-word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" -–,;:(&'")
    return cut if cut and len(cut) <= limit else text[:limit]


def _sheet_title(title: str, used: set[str], candidates: tuple[str, ...] = ()) -> str:
    """Excel: at most 31 characters, none of []:*?/\\, and not starting or ending with '.
    The first candidate that fits whole wins (the title, the list's own name, either without
    a leading 'Contract(en)'); else the last one is shortened at a word boundary."""

    def clean(text: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", text)).strip(" '")

    options = [c for c in (clean(x) for x in (title, *candidates)) if c]
    options += [re.sub(r"^Contract(?:en)? ", "", c) for c in options]
    options = [o[:1].upper() + o[1:] for o in options]
    options = [o for o in options if o] or ["Lijst"]
    base = next((o for o in options if len(o) <= SHEET_MAX), None) or _fit(options[-1], SHEET_MAX)
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = _fit(base, SHEET_MAX - len(suffix)) + suffix
        n += 1
    used.add(name.lower())
    return name


def _height(cells) -> float:
    """Row height in points for wrapped text: spreadsheet programs do not always grow a row
    themselves, so the lines a cell needs at its column's width are counted here."""
    import math

    lines = 1
    for cell, width in zip(cells, WIDTHS, strict=False):  # a sheet row may have fewer cells
        if isinstance(cell.value, str) and cell.value:
            lines = max(
                lines, sum(math.ceil(len(part) / max(width - 2, 1)) or 1 for part in cell.value.split("\n"))
            )
    return 15.0 * lines


def _print_setup(ws, title: str) -> None:
    """A4 landscape, one page wide, the header row on every page, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.right.text = "Pagina &P van &N"


def xlsx_bytes(lists: list[WasWordtList], content_dir: str, region: str = "", year: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for lst in lists:
        ws = wb.create_sheet(_sheet_title(lst.title, used, (lst.name,) if lst.name else ()))
        ws.append(COLUMNS)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[1].height = _height(ws[1])
        for r in lst.rows:
            ws.append(_cells(r, lambda d: d))
            row = ws.max_row
            for cell in ws[row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                elif cell.value is not None:
                    cell.number_format = "d-m-yyyy"
                    cell.alignment = Alignment(vertical="top")
            ws.cell(row=row, column=3).fill = PatternFill("solid", fgColor=STATUS_FILL[r.status])
            ws.row_dimensions[row].height = _height(ws[row])
        last = get_column_letter(len(COLUMNS))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
        for i, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        _print_setup(ws, f"{region} – {lst.title}" if region else lst.title)
    if not lists:
        wb.create_sheet("Leeg")
    legend = wb.create_sheet(_sheet_title("Toelichting", used))
    for line in ([region] if region else []) + [f"Contractjaar: {year}" if year else "", LEGEND]:
        if line:
            legend.append([line])
            legend.cell(row=legend.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    legend.column_dimensions["A"].width = 120
    _print_setup(legend, "Toelichting")
    return workbook_bytes(wb, content_dir)


def write_region(content, slug: str, out: Path, year: int | None = None) -> list[Path]:
    rc = content.regions[slug]
    shown = str(year or stated_year(rc) or NOT_STATED)
    year = year or default_year(rc)
    lists = derive(rc, year)
    folder = out / slug
    paths = [
        folder / f"waswordt-{slug}.md",
        folder / f"waswordt-{slug}.csv",
        folder / f"waswordt-{slug}.xlsx",
    ]
    atomic_write_text(paths[0], markdown_text(rc, lists, shown))
    if not has_rows(lists):  # nothing to download: no empty spreadsheet, and no stale one from before
        for path in paths[1:]:
            path.unlink(missing_ok=True)
        return paths[:1]
    atomic_write_bytes(paths[1], csv_text(lists).encode("utf-8"))
    atomic_write_bytes(paths[2], xlsx_bytes(lists, content.root, rc.region.name, shown))
    return paths


def run(args, term) -> int:
    from ..outdir import refuse_sources

    refuse_sources(args.out, args.content)
    content = gather(args.content, args.regio)
    for slug in regions_of(content, args.regio):
        for path in write_region(content, slug, Path(args.out), args.jaar):
            term.result(str(path))
    return 0
