"""Was-wordt lists as Markdown, CSV (';', UTF-8 with BOM) and XLSX (a sheet per list)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..lifecycle import WasWordtList, default_year, derive
from ..pipeline import gather, regions_of
from ..provenance import timestamp
from ..render import render
from ..writer import atomic_write_bytes, atomic_write_text
from ..ziputil import normalise_zip

COLUMNS = ["Product", "Productcode", "H/S/N", "Bijzonderheden"]
STATUS_FILL = {"H": "E2EFDA", "S": "F8CBAD", "N": "DDEBF7"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Spreadsheet formula injection: a cell that starts like a formula is prefixed with '."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_text(lists: list[WasWordtList]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["Contract", "Lijst", *COLUMNS])
    for lst in lists:
        for r in lst.rows:
            w.writerow([neutralise(x) for x in (lst.contract, lst.name, r.name, r.code, r.status_text, r.remark)])
    return "\ufeff" + buf.getvalue()


def markdown_text(rc, lists: list[WasWordtList], year: int) -> str:
    return render("waswordt/waswordt.md.j2", region=rc.region, lists=lists, year=year)


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Lijst"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def xlsx_bytes(lists: list[WasWordtList], content_dir: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for lst in lists:
        ws = wb.create_sheet(_sheet_title(lst.title, used))
        ws.append(COLUMNS)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in lst.rows:
            ws.append([r.name, r.code, r.status_text, r.remark])
            row = ws.max_row
            for cell in ws[row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row=row, column=3).fill = PatternFill("solid", fgColor=STATUS_FILL[r.status])
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:D{max(ws.max_row, 1)}"
        for col, width in zip("ABCD", (50, 14, 10, 60)):
            ws.column_dimensions[col].width = width
    if not lists:
        wb.create_sheet("Leeg")
    stamp = timestamp(content_dir).replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "productenboek"
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), stamp)


def write_region(content, slug: str, out: Path, year: int | None = None) -> list[Path]:
    rc = content.regions[slug]
    year = year or default_year(rc)
    lists = derive(rc, year)
    folder = out / slug
    paths = [folder / f"waswordt-{slug}.md", folder / f"waswordt-{slug}.csv", folder / f"waswordt-{slug}.xlsx"]
    atomic_write_text(paths[0], markdown_text(rc, lists, year))
    atomic_write_bytes(paths[1], csv_text(lists).encode("utf-8"))
    atomic_write_bytes(paths[2], xlsx_bytes(lists, content.root))
    return paths


def run(args, term) -> int:
    from ..outdir import refuse_sources

    refuse_sources(args.out, args.content)
    content = gather(args.content, args.regio)
    for slug in regions_of(content, args.regio):
        for path in write_region(content, slug, Path(args.out), args.jaar):
            term.result(str(path))
    return 0
