"""Make zip-based files (XLSX, DOCX) byte-identical for identical content."""
from __future__ import annotations

import datetime as dt
import io
import zipfile


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite every entry with one fixed timestamp and fixed attributes, order kept."""
    when = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=when)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            new.create_system = 3
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()
