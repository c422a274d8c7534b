"""The portal across regions: the list of regions, the Productentabel (every product and coded
kernbeding of every region in one filterable table), the national structure, a page per national
zorgvorm with the regional items and their tariffs, the comparison per category and code, and
the national glossary.

A region contributes one small, JSON-able summary (region_summary). The site keeps each
region's summary next to its built pages, so a rebuild after one region changed needs to
load only that region's content, not the whole country.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import htmlpage
from ..lifecycle import NOT_STATED, stated_year
from ..render import TEMPLATES, anchor, render
from ..views import blocks, code_anchor, national_path, portal_link, table_rows, tariff_stats
from . import tabel

ASSETS = TEMPLATES / "site" / "portaal" / "assets"


def region_summary(content, slug: str, day=None, version: str = "") -> dict:
    """What the portal shows of one region: its counts and the national table's rows (tariffs
    valid on the peildatum)."""
    rc = content.regions[slug]
    return {
        "slug": slug,
        "name": rc.region.name,
        "title": rc.region.title,
        "products": len(rc.products),
        "kernbedingen": len(rc.kernbedingen),
        "year": str(stated_year(rc) or NOT_STATED),
        "licence": rc.region.licence or "",
        "items": table_rows(content, slug, day),
        "version": version,
    }


def portal_pages(content, summaries: list[dict]) -> tuple[dict[str, str | bytes], list]:
    """Pages and nav of the portal, from the shared content and every region's summary; the
    Productentabel's data and downloads are files next to its page."""
    regions = sorted(summaries, key=lambda r: r["slug"])
    rows = tabel.sorted_rows([e for r in regions for e in r["items"]])
    by_category: dict[tuple[str, str, str], list] = {}
    by_form: dict[str, list] = {}
    for entry in rows:
        if entry["category"]:
            by_category.setdefault((entry["law"], entry["category"], entry["category_name"]), []).append(
                entry
            )
        if entry["national"]:
            by_form.setdefault(entry["national"], []).append(entry)
    nat = content.national
    pages: dict[str, str | bytes] = {
        "index.md": render(
            "site/portaal/index.md.j2",
            regions=regions,
            items=len(rows),
            has_structure=bool(nat or content.care_forms),
            has_terms=bool(nat and nat.terms),
        )
    }
    nav: list = [{"Regio's": "index.md"}]
    pages.update(_table_pages(content, regions, rows))
    nav.append({"Productentabel": "producten/index.md"})
    if nat or content.care_forms:
        pages["structuur.md"] = _structure_page(content, by_form)
        nav.append({"Landelijke structuur": "structuur.md"})
    pages.update(_comparison_pages(by_category, nav, bool(content.care_forms)))
    if content.care_forms:
        pages.update(_care_form_pages(content, by_form, nav))
    if nat and nat.terms:
        terms = [{"label": t.term, "value": t.definition, "origin": ""} for t in nat.terms]
        pages["begrippen.md"] = render(
            "site/portaal/begrippen.md.j2", terms=sorted(terms, key=lambda t: t["label"].lower())
        )
        nav.append({"Begrippen": "begrippen.md"})
    return pages, nav


def _table_pages(content, regions: list[dict], rows: list[dict]) -> dict[str, str | bytes]:
    """The Productentabel: the page (controls and an empty table the script fills), its rows
    as JSON, the script and style, and the table as CSV and XLSX."""
    categories = sorted(
        {(r["law"], r["law_name"], r["category"], r["category_name"]) for r in rows if r["category"]}
    )
    forms = sorted({(r["national_name"], r["national"]) for r in rows if r["national"]})
    page = render(
        "site/portaal/producten.md.j2",
        total=len(rows),
        regions=[{"value": r["slug"], "label": r["name"]} for r in regions if r["items"]],
        categories=[
            {"value": f"{law}-{cat}", "label": f"{cat} {name} ({law_name})".replace("  ", " ")}
            for law, law_name, cat, name in categories
        ],
        forms=[{"value": cid, "label": name} for name, cid in forms],
    )
    return {
        "producten/index.md": page,
        "producten/productentabel.json": tabel.json_text(rows),
        "producten/producten.csv": tabel.csv_text(rows),
        "producten/producten.xlsx": tabel.xlsx_bytes(rows, content.root),
        "producten/productentabel.js": (ASSETS / "productentabel.js").read_text(encoding="utf-8"),
        "producten/productentabel.css": (ASSETS / "productentabel.css").read_text(encoding="utf-8"),
    }


def _care_form_pages(content, by_form: dict[str, list], nav: list) -> dict[str, str]:
    """Per national zorgvorm: every regional item mapped onto it with its tariff, and the
    lowest, median and highest tariff per unit (different units are not compared)."""
    nat = content.national
    main_names = {mf.id: mf.name for mf in (nat.main_forms if nat else ())}
    pages: dict[str, str] = {}
    forms = []
    for cid, cf in sorted(
        content.care_forms.items(), key=lambda kv: (kv[1].table or "", kv[1].name.lower(), kv[0])
    ):
        rows = sorted(
            ({**r, "compare": portal_link(r["law"], r["category"], r["code"])} for r in by_form.get(cid, [])),
            key=lambda r: (r["unit"], r["amount"] == "", Decimal(r["amount"] or 0), r["region"].lower()),
        )
        units = sorted({r["unit"] for r in rows if r["amount"]})
        form = {
            "id": cid,
            "name": cf.name,
            "main_form": main_names.get(cf.main_form, ""),
            "table": cf.table or "",
            "rows": rows,
            "stats": tariff_stats(rows),
            "units": units,
            "without_amount": sum(1 for r in rows if not r["amount"]),
            "regions": len({r["slug"] for r in rows}),
        }
        forms.append(form)
        pages[national_path(cid).rstrip("/") + ".md"] = htmlpage.page_text(
            cf.name, render("site/portaal/zorgvorm.html.j2", z=form), boost=2
        )
    pages["zorgvormen/index.md"] = render("site/portaal/zorgvormen.md.j2", forms=forms)
    nav.append(
        {
            "Zorgvormen": [
                {"Overzicht": "zorgvormen/index.md"},
                *({f["name"]: national_path(f["id"]).rstrip("/") + ".md"} for f in forms),
            ]
        }
    )
    return pages


def _structure_page(content, by_form: dict[str, list]) -> str:
    nat = content.national
    main_forms = []
    for mf in nat.main_forms if nat else ():
        forms = []
        for cid, cf in sorted(content.care_forms.items(), key=lambda kv: (kv[1].table or "", kv[0])):
            if cf.main_form != mf.id:
                continue
            rows = [
                {"label": label, "value": value}
                for label, value in (
                    ("Tabel", cf.table),
                    ("Leveringsvorm", cf.delivery),
                    ("Inzet", cf.deployment),
                    ("Locatie", cf.location),
                    ("Groepsgrootte", cf.group_size),
                    ("Omvang", cf.extent),
                    ("Omschrijving", cf.description),
                )
                if value
            ]
            rows += [{"label": f.name, "value": f.value} for f in cf.features]
            forms.append(
                {
                    "id": cid,
                    "name": cf.name,
                    "placeholder": cf.placeholder or "",
                    "rows": rows,
                    "products": len(by_form.get(cid, [])),
                    "regions": len({e["slug"] for e in by_form.get(cid, [])}),
                    "path": f"zorgvormen/{cid}.md",
                }
            )
        main_forms.append({"name": mf.name, "description": blocks(mf.description), "care_forms": forms})
    return render(
        "site/portaal/structuur.md.j2",
        national={"name": nat.name, "description": blocks(nat.description)} if nat else None,
        main_forms=main_forms,
        trees=[
            {
                "title": f"{t.table}: {t.title}" if t.table else t.title,
                "questions": [
                    {
                        "number": q.number,
                        "question": q.question,
                        "explanation": q.explanation or "",
                        "judgement": q.judgement
                        or "; ".join(
                            x
                            for x in (
                                f"ja: {q.yes}" if q.yes else "",
                                f"nee: {q.no}" if q.no else "",
                                *(f"{o.name}: {o.value}" for o in q.options),
                            )
                            if x
                        ),
                        "yes": q.yes or "; ".join(f"{o.name}: {o.value}" for o in q.options),
                        "no": q.no or "",
                    }
                    for q in t.questions
                ],
            }
            for t in (nat.decision_trees if nat else ())
        ],
        criteria=[{"label": c.name, "value": c.text or ""} for c in (nat.criteria if nat else ())],
        recommendations=[
            {"label": c.name, "value": c.text or ""} for c in (nat.recommendations if nat else ())
        ],
        lists=[
            {"title": x.title, "intro": x.intro or "", "entries": list(x.items)}
            for x in (nat.lists if nat else ())
        ],
        tables=[
            {
                "title": f"{t.table}: {t.title}" if t.table else t.title,
                "columns": list(t.columns),
                "rows": [list(r.cells) for r in t.rows],
                "note": t.note or "",
            }
            for t in (nat.tables if nat else ())
        ],
        options=[{"label": o.name, "value": o.text or ""} for o in (nat.monitoring_options if nat else ())],
    )


def _comparison_pages(
    by_category: dict[tuple[str, str, str], list], nav: list, has_forms: bool
) -> dict[str, str]:
    """The comparison between regions: an overview, and a page per product category with one
    aligned table: per product code (a row group) one line per region's product or kernbeding
    (one page per category keeps pages readable and the build linear at national scale)."""
    pages: dict[str, str] = {}
    categories = []
    for (law, cat, name), entries in sorted(by_category.items()):
        codes: dict[str, list] = {}
        for e in entries:
            if e["code"]:
                codes.setdefault(e["code"], []).append(e)
        category: dict[str, Any] = {
            "path": f"{law}-{anchor(cat)}.md",
            "code": cat,
            "name": name,
            "law": "Jeugdwet" if law == "jeugdwet" else "Wmo",
            "codes": [
                {"code": c, "anchor": code_anchor(c), "products": ps, "regions": len({p["slug"] for p in ps})}
                for c, ps in sorted(codes.items())
            ],
            "uncoded": [e for e in entries if not e["code"]],
            "products": len(entries),
            "regions": len({e["slug"] for e in entries}),
        }
        category["shared"] = sum(1 for c in category["codes"] if c["regions"] > 1)
        category["title"] = f"{cat} {name} ({category['law']})".replace("  ", " ")
        categories.append(category)
        pages[f"vergelijking/{category['path']}"] = htmlpage.page_text(
            category["title"],
            render("site/portaal/vergelijking-categorie.html.j2", c=category),
            boost=2,
            hide=("toc",),
        )
    pages["vergelijking/index.md"] = render(
        "site/portaal/vergelijking.md.j2", categories=categories, has_forms=has_forms
    )
    nav.append(
        {
            "Vergelijking": [
                {"Overzicht": "vergelijking/index.md"},
                *({c["title"]: f"vergelijking/{c['path']}"} for c in categories),
            ]
        }
    )
    return pages
