"""The portal's Productentabel as files next to its page: the rows as JSON for the page's
script (a presentation file, not open data), and the same table as CSV (';', UTF-8 with BOM,
like the was-wordt lists) and XLSX for download."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from ..spreadsheet import neutralise, workbook_bytes

# The JSON's columns, in the order of each row's array (see assets/productentabel.js).
JSON_COLUMNS = (
    "kind",
    "region",
    "slug",
    "path",
    "code",
    "name",
    "law",
    "law_name",
    "category",
    "category_name",
    "national",
    "national_name",
    "amount",
    "tariff",
    "unit",
    "valid_from",
    "valid_to",
    "status",
)
HEADERS = [
    "Code",
    "Naam",
    "Soort",
    "Regio",
    "Wet",
    "Categorie",
    "Landelijke zorgvorm",
    "Tarief (euro)",
    "Tarief",
    "Eenheid",
    "Geldig vanaf",
    "Geldig tot",
    "Status",
]


def sorted_rows(rows: list[dict]) -> list[dict]:
    """The table's default order: by code (items without one last), then region and name."""
    return sorted(
        rows, key=lambda r: (not r["code"], r["code"], r["region"].lower(), r["name"].lower(), r["id"])
    )


def json_text(rows: list[dict]) -> str:
    data = {"kolommen": list(JSON_COLUMNS), "rijen": [[r[c] for c in JSON_COLUMNS] for r in rows]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _cells(r: dict) -> list:
    category = f"{r['category']} {r['category_name']}".strip()
    return [
        r["code"],
        r["name"],
        r["kind"],
        r["region"],
        r["law_name"],
        category,
        r["national_name"],
        Decimal(r["amount"]) if r["amount"] else None,
        r["tariff"],
        r["unit"],
        r["valid_from"],
        r["valid_to"],
        r["status"],
    ]


def csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADERS)
    for r in rows:
        cells = _cells(r)
        cells[7] = f"{cells[7]:.2f}".replace(".", ",") if cells[7] is not None else ""
        w.writerow([neutralise(str(c)) for c in cells])
    return "\ufeff" + buf.getvalue()


def xlsx_bytes(rows: list[dict], content_dir: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)  # streamed: 10,500 rows in seconds, not minutes
    ws = wb.create_sheet("Productentabel")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:M{len(rows) + 1}"
    for col, width in zip("ABCDEFGHIJKLM", (9, 45, 11, 22, 10, 30, 30, 12, 16, 28, 12, 12, 11), strict=True):
        ws.column_dimensions[col].width = width
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for r in rows:
        line: list = []
        for value in _cells(r):
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "#,##0.00"
                line.append(cell)
            elif value and value.startswith("="):  # text, never a formula
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"
                line.append(cell)
            else:
                line.append(value or None)
        ws.append(line)
    return workbook_bytes(wb, content_dir)
