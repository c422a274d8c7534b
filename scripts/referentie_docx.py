"""Write templates/book/referentie.docx: the house style of the Word productenboek.

Starts from the reference.docx of the pinned pandoc and sets: A4 with margins like the PDF,
Dutch language, a sans-serif body, headings in the accent colour, tables with borders and a
shaded header row, the 'Kader' style (shaded block with a left border), table-of-contents
styles, a header (region, chapter) and a footer with page numbers, and `updateFields` so
Word fills in the page numbers of the table of contents when the document is opened.
The region's name is put into the header by the book output (placeholder REGIONAAM).

Deterministic: the same pandoc gives the same bytes. Run: python scripts/referentie_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "templates" / "book" / "referentie.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
ACCENT = "1F4E79"
FONT = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'

STYLES = {
    "Normal": f"""<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
<w:pPr><w:spacing w:after="80" w:line="264" w:lineRule="auto"/></w:pPr><w:rPr>{FONT}<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>""",
    "BodyText": """<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/>
<w:link w:val="BodyTextChar"/><w:qFormat/><w:pPr><w:spacing w:before="60" w:after="100"/></w:pPr></w:style>""",
    "Compact": """<w:style w:type="paragraph" w:customStyle="1" w:styleId="Compact"><w:name w:val="Compact"/>
<w:basedOn w:val="BodyText"/><w:qFormat/><w:pPr><w:spacing w:before="20" w:after="20"/></w:pPr></w:style>""",
    "Title": f'''<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
<w:next w:val="BodyText"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="240"/></w:pPr>
<w:rPr>{FONT}<w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="56"/><w:szCs w:val="56"/></w:rPr></w:style>''',
    "Subtitle": f"""<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/>
<w:next w:val="BodyText"/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="480"/></w:pPr>
<w:rPr>{FONT}<w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>""",
    "Kader": """<w:style w:type="paragraph" w:customStyle="1" w:styleId="Kader"><w:name w:val="Kader"/><w:basedOn w:val="BodyText"/>
<w:qFormat/><w:pPr><w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="D9822B"/></w:pBdr>
<w:shd w:val="clear" w:color="auto" w:fill="FDF2E4"/><w:spacing w:before="0" w:after="0"/><w:ind w:left="227" w:right="113"/></w:pPr></w:style>""",
    "TOCHeading": f'''<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/>
<w:next w:val="TOC1"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="240"/></w:pPr>
<w:rPr>{FONT}<w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>''',
    "TOC1": """<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
<w:uiPriority w:val="39"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9628"/></w:tabs><w:spacing w:before="120" w:after="20"/></w:pPr>
<w:rPr><w:b/></w:rPr></w:style>""",
    "TOC2": """<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
<w:uiPriority w:val="39"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9628"/></w:tabs><w:spacing w:before="0" w:after="20"/><w:ind w:left="284"/></w:pPr></w:style>""",
    "Header": """<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>
<w:pPr><w:tabs><w:tab w:val="right" w:pos="9628"/></w:tabs><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="5A5A5A"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>""",
    "Footer": """<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>
<w:pPr><w:tabs><w:tab w:val="right" w:pos="9628"/></w:tabs><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="5A5A5A"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>""",
    "Table": """<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>
<w:pPr><w:spacing w:before="20" w:after="20"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="AAAAAA"/>
<w:left w:val="single" w:sz="4" w:space="0" w:color="AAAAAA"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="AAAAAA"/>
<w:right w:val="single" w:sz="4" w:space="0" w:color="AAAAAA"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="AAAAAA"/>
<w:insideV w:val="single" w:sz="4" w:space="0" w:color="AAAAAA"/></w:tblBorders>
<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE6F0"/></w:tcPr></w:tblStylePr></w:style>""",
}
for level, size in ((1, 36), (2, 28), (3, 22), (4, 20)):
    STYLES[
        f"Heading{level}"
    ] = f'''<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/>
<w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:link w:val="Heading{level}Char"/><w:uiPriority w:val="9"/><w:qFormat/>
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{360 if level < 3 else 200}" w:after="120"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>
<w:rPr>{FONT}<w:b/><w:color w:val="{ACCENT if level < 4 else "333333"}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'''


def _field(instr: str) -> str:
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W} {R}><w:p><w:pPr><w:pStyle w:val="Header"/>'
    '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="969696"/></w:pBdr></w:pPr>'
    '<w:r><w:t xml:space="preserve">REGIONAAM</w:t></w:r><w:r><w:tab/></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> STYLEREF "heading 1" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>'
)
FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W} {R}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">BOEKTITEL</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">pagina </w:t></w:r>'
    f'{_field("PAGE")}<w:r><w:t xml:space="preserve"> van </w:t></w:r>{_field("NUMPAGES")}</w:p></w:ftr>'
)
EMPTY_HEADER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W} {R}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>'
EMPTY_FOOTER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W} {R}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p></w:ftr>'
# A4, margins as the PDF (2.2 cm sides, 2.6 cm top, 2.4 cm bottom); the first page (cover) has no header/footer.
SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rIdKop1"/><w:headerReference w:type="first" r:id="rIdKop2"/>'
    '<w:footerReference w:type="default" r:id="rIdVoet1"/><w:footerReference w:type="first" r:id="rIdVoet2"/>'
    '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1474" w:right="1247" w:bottom="1361" w:left="1247" w:header="709" w:footer="567" w:gutter="0"/>'
    "<w:titlePg/></w:sectPr>"
)
PARTS = {
    "word/header1.xml": ("rIdKop1", "header", HEADER),
    "word/header2.xml": ("rIdKop2", "header", EMPTY_HEADER),
    "word/footer1.xml": ("rIdVoet1", "footer", FOOTER),
    "word/footer2.xml": ("rIdVoet2", "footer", EMPTY_FOOTER),
}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def pandoc_reference() -> bytes:
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    ).stdout


def styles(xml: str) -> str:
    for sid, definition in STYLES.items():
        xml = re.sub(rf'<w:style [^>]*w:styleId="{sid}".*?</w:style>\s*', "", xml, flags=re.S)
        xml = xml.replace("</w:styles>", definition.replace("\n", "") + "</w:styles>")
    xml = re.sub(r'<w:lang w:val="[^"]*"', '<w:lang w:val="nl-NL"', xml)
    xml = re.sub(r"(<w:rPrDefault>\s*<w:rPr>\s*)<w:rFonts [^>]*/>", lambda m: m.group(1) + FONT, xml)
    return xml


def build() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(pandoc_reference()))
    files = {n: src.read(n) for n in src.namelist()}
    files["word/styles.xml"] = styles(files["word/styles.xml"].decode()).encode()
    settings = files["word/settings.xml"].decode()
    settings = re.sub(r'<w:themeFontLang w:val="[^"]*"', '<w:themeFontLang w:val="nl-NL"', settings)
    if "w:updateFields" not in settings:
        # the schema fixes the order of settings: updateFields comes right before footnotePr
        settings = re.sub(r"(<w:footnotePr\b)", r'<w:updateFields w:val="true"/>\1', settings, count=1)
    files["word/settings.xml"] = settings.encode()
    doc = files["word/document.xml"].decode()
    doc = re.sub(r"<w:sectPr>.*?</w:sectPr>", SECTION, doc, flags=re.S)
    if "xmlns:r=" not in doc.split(">", 2)[1]:
        doc = doc.replace("<w:document ", f"<w:document {R} ", 1)
    files["word/document.xml"] = doc.encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    types = files["[Content_Types].xml"].decode()
    for name, (rid, kind, xml) in PARTS.items():
        files[name] = xml.encode()
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{name[5:]}"/></Relationships>',
        )
        types = types.replace(
            "</Types>", f'<Override PartName="/{name}" ContentType="{CT}{kind}+xml"/></Types>'
        )
    files["word/_rels/document.xml.rels"] = rels.encode()
    files["[Content_Types].xml"] = types.encode()
    out = io.BytesIO()
    stamp = dt.datetime(2000, 1, 1).timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return out.getvalue()


if __name__ == "__main__":
    TARGET.write_bytes(build())
    print(TARGET)
