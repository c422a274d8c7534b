"""Rules every spreadsheet output shares (was-wordt lists, the national table, open data):
formula injection in CSV/XLSX cells, and byte-identical XLSX files."""

from __future__ import annotations

import io
from pathlib import Path

from .provenance import timestamp
from .ziputil import normalise_zip

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Spreadsheet formula injection: a cell that starts like a formula is prefixed with '."""
    return "'" + value if value.startswith(FORMULA_START) else value


def workbook_bytes(wb, content_dir: str | Path) -> bytes:
    """An openpyxl workbook saved with the content's date and fixed zip metadata: the same
    content gives the same bytes."""
    stamp = timestamp(str(content_dir)).replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "productenboek"
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), stamp)
