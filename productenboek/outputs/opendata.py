"""Open data next to the site: per region `data/` (producten and kernbedingen as JSON and CSV,
their JSON Schemas and a Frictionless datapackage.json), a feed of changes `wijzigingen.xml`
and an "Open data" page; in the portal the same files for all regions together.

The region's files are generated into a folder outside the mkdocs project and handed to it as
extra files (so they are part of the region's build key and of the atomic swap); the national
files are joined from the regions' built files at the end of the build, so a build that loads
only the changed regions still publishes every region.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..dataschema import NOT_STATED, datapackage, json_schema
from ..datatable import TABLES, rows_of
from ..feed import entries, feed_id
from ..provenance import changed_at
from ..render import render
from ..spreadsheet import neutralise
from ..writer import atomic_write_text

DATA = "data"
FEED = "wijzigingen.xml"
PAGE = "opendata.md"


# -- serialising --------------------------------------------------------------------------


def json_text(rows: list[dict]) -> str:
    """A JSON array with one row per line: readable, diffable, and joinable without parsing."""
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"


def join_json(texts: list[str]) -> str:
    """json_text of the rows of several json_text()s together."""
    chunks = [t[2:-3] for t in texts if t != "[]\n"]
    return "[\n" + ",\n".join(chunks) + "\n]\n" if chunks else "[]\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def csv_text(table, rows: list[dict]) -> str:
    """Like the was-wordt lists: ';', CRLF, UTF-8 with BOM."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([c.key for c in table.columns])
    for r in rows:
        w.writerow([_cell(r[c.key]) for c in table.columns])
    return "\ufeff" + buf.getvalue()


def join_csv(table, texts: list[str]) -> str:
    """csv_text of the rows of several csv_text()s together (the header once)."""
    return csv_text(table, []) + "".join(t.split("\r\n", 1)[1] for t in texts)


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def texts_of(tables: dict[str, list[dict]]) -> dict[str, tuple[str, str, int]]:
    """Table name -> (JSON text, CSV text, number of rows)."""
    return {
        t.name: (json_text(tables[t.name]), csv_text(t, tables[t.name]), len(tables[t.name])) for t in TABLES
    }


def write_folder(
    folder: Path,
    texts: dict[str, tuple[str, str, int]],
    name: str,
    title: str,
    description: str,
    licence: str | None,
    created: str,
) -> list[Path]:
    """Write one folder of open data: per table JSON, CSV and JSON Schema; the datapackage."""
    written = []
    for t in TABLES:
        as_json, as_csv, _count = texts[t.name]
        for path, text in (
            (folder / f"{t.name}.json", as_json),
            (folder / f"{t.name}.csv", as_csv),
            (folder / f"{t.name}.schema.json", _dump(json_schema(t))),
        ):
            atomic_write_text(path, text)
            written.append(path)
    path = folder / "datapackage.json"
    counts = {t.name: texts[t.name][2] for t in TABLES}
    atomic_write_text(path, _dump(datapackage(name, title, description, licence, created, counts)))
    return written + [path]


# -- per region -----------------------------------------------------------------------------


def feed_text(content, slug: str) -> str:
    rc = content.regions[slug]
    found = entries(content.root, slug)
    updated = found[0].updated if found else changed_at(str(rc.folder)).isoformat()
    return render(
        "opendata/wijzigingen.xml.j2",
        id=feed_id(slug),
        title=f"Wijzigingen: {rc.region.title} {rc.region.name}",
        author=rc.region.organisation or rc.region.name,
        updated=updated,
        entries=found,
    )


def region_files(content, slug: str, folder: Path) -> dict[str, Path]:
    """Generate the region's open data into folder; docs-relative path -> file."""
    rc = content.regions[slug]
    created = changed_at(str(rc.folder)).isoformat()
    written = write_folder(
        folder / DATA,
        texts_of(rows_of(content, slug)),
        f"productenboek-{slug}",
        f"{rc.region.title} {rc.region.name}",
        f"Producten, tarieven en kernbedingen van {rc.region.name}.",
        rc.region.licence,
        created,
    )
    atomic_write_text(folder / FEED, feed_text(content, slug))
    out = {f"{DATA}/{p.name}": p for p in written}
    out[FEED] = folder / FEED
    return out


def add_to_region(content, slug: str, pages: dict[str, str], nav: list, folder: Path) -> dict[str, Path]:
    """The site build's hook: the Open data page into pages/nav; the files to publish."""
    rc = content.regions[slug]
    pages[PAGE] = render(
        "site/regio/opendata.md.j2",
        name=rc.region.name,
        slug=slug,
        tables=TABLES,
        licence=(rc.region.licence or "").strip() or NOT_STATED,
        feed=FEED,
    )
    nav.append({"Open data": PAGE})
    return region_files(content, slug, folder)


# -- portal ---------------------------------------------------------------------------------


def portal_licence(config: Path) -> str:
    """extra.colofon.licentie in mkdocs.yml (the portal's own setting), or 'niet vermeld'."""
    import yaml

    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return NOT_STATED
    value = (
        (((data.get("extra") or {}).get("colofon") or {}).get("licentie") or "")
        if isinstance(data, dict)
        else ""
    )
    return str(value).strip() or NOT_STATED


def add_to_portal(summaries: list[dict], pages: dict[str, str | bytes], nav: list, config: Path) -> None:
    regions = [
        {"slug": s["slug"], "name": s["name"], "licence": (s.get("licence") or "").strip() or NOT_STATED}
        for s in sorted(summaries, key=lambda s: s["slug"])
    ]
    pages[PAGE] = render(
        "site/portaal/opendata.md.j2", regions=regions, tables=TABLES, licence=portal_licence(config)
    )
    nav.append({"Open data": PAGE})


def write_national(site: Path, slugs: list[str], content_root: str, config: Path) -> list[Path]:
    """site/data/: every region's rows joined from the regions' built files (as text: the
    serialisation writes one row per line, so no file is parsed again)."""
    texts = {}
    for t in TABLES:
        as_json = [
            (site / slug / DATA / f"{t.name}.json").read_bytes().decode("utf-8") for slug in sorted(slugs)
        ]
        as_csv = [
            (site / slug / DATA / f"{t.name}.csv").read_bytes().decode("utf-8") for slug in sorted(slugs)
        ]
        texts[t.name] = (
            join_json(as_json),
            join_csv(t, as_csv),
            sum(x.count("\n") - 2 for x in as_json if x != "[]\n"),
        )
    licence = portal_licence(config)
    return write_folder(
        site / DATA,
        texts,
        "productenboeken",
        "Productenboeken jeugdhulp en Wmo: alle regio's",
        "Producten, tarieven en kernbedingen van alle regio's. Per regio geldt de licentie van die regio.",
        None if licence == NOT_STATED else licence,
        changed_at(str(content_root)).isoformat(),
    )
