"""Build templates/book/referentie.docx: pandoc's default reference document with our styles.

Run once when the house style changes: .venv/bin/python scripts/make_reference_docx.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "templates" / "book" / "referentie.docx"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)

with tempfile.TemporaryDirectory() as tmp:
    raw = Path(tmp) / "ref.docx"
    with open(raw, "wb") as fh:
        subprocess.run(
            [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], stdout=fh, check=True
        )
    doc = Document(raw)
    styles = doc.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 11.5), ("Title", 26)):
        st = styles[name]
        st.font.color.rgb = ACCENT
        st.font.size = Pt(size)
        st.font.name = "Calibri"
    if "Kader" not in [s.name for s in styles]:
        kader = styles.add_style("Kader", WD_STYLE_TYPE.PARAGRAPH)
        kader.base_style = styles["Normal"]
        ppr = kader.element.get_or_add_pPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), "FDF2E4")
        ppr.append(shd)
    doc.core_properties.author = "productenboek"
    doc.save(TARGET)
print(TARGET, file=sys.stderr)
