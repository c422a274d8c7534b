"""The portal across regions: the list of regions, the national structure with the regional
products per care form, the comparison per category and code, and the national glossary.

A region contributes one small, JSON-able summary (region_summary). The site keeps each
region's summary next to its built pages, so a rebuild after one region changed needs to
load only that region's content, not the whole country.
"""
from __future__ import annotations

from .. import dutch
from ..lifecycle import default_year
from ..render import anchor, render
from ..tariffs import current, reference_date, series
from ..views import blocks


def region_summary(content, slug: str, day=None, version: str = "") -> dict:
    """What the portal shows of one region (tariffs valid on the peildatum)."""
    rc = content.regions[slug]
    day = reference_date(rc.region.contract_year, day)
    products = []
    for pid, p in rc.products.items():
        tariffs = [current(g, day) for g in series(p.tariffs)]
        products.append({
            "slug": slug, "region": rc.region.name, "id": pid, "name": p.name, "code": p.code or "",
            "tariff": "; ".join(dutch.money(t.amount) if t.amount is not None else (t.description or "") for t in tariffs),
            "unit": "; ".join(dutch.tariff_unit(t) for t in tariffs if dutch.tariff_unit(t)),
            "law": p.law, "category": p.category or (p.code[:2] if p.code else ""), "national": p.national or "",
        })
    return {"slug": slug, "name": rc.region.name, "title": rc.region.title, "products": len(rc.products),
            "kernbedingen": len(rc.kernbedingen), "year": default_year(rc), "items": products, "version": version}


def portal_pages(content, summaries: list[dict]) -> tuple[dict[str, str], list]:
    """Pages and nav of the portal, from the shared content and every region's summary."""
    regions = sorted(summaries, key=lambda r: r["slug"])
    by_category: dict[tuple[str, str, str], list] = {}
    by_form: dict[str, list] = {}
    for r in regions:
        for entry in r["items"]:
            if entry["category"]:
                name = content.categories(entry["law"]).get(entry["category"], "")
                by_category.setdefault((entry["law"], entry["category"], name), []).append(entry)
            if entry["national"]:
                by_form.setdefault(entry["national"], []).append(entry)
    nat = content.national
    pages = {"index.md": render("site/portaal/index.md.j2", regions=regions,
                                has_structure=bool(nat or content.care_forms), has_terms=bool(nat and nat.terms))}
    nav: list = [{"Regio's": "index.md"}]
    if nat or content.care_forms:
        pages["structuur.md"] = _structure_page(content, by_form)
        nav.append({"Landelijke structuur": "structuur.md"})
    pages.update(_comparison_pages(by_category, nav))
    if nat and nat.terms:
        terms = [{"label": t.term, "value": t.definition, "origin": ""} for t in nat.terms]
        pages["begrippen.md"] = render("site/portaal/begrippen.md.j2", terms=sorted(terms, key=lambda t: t["label"].lower()))
        nav.append({"Begrippen": "begrippen.md"})
    return pages, nav


def _structure_page(content, by_form: dict[str, list]) -> str:
    nat = content.national
    main_forms = []
    for mf in (nat.main_forms if nat else ()):
        forms = []
        for cid, cf in sorted(content.care_forms.items(), key=lambda kv: (kv[1].table or "", kv[0])):
            if cf.main_form != mf.id:
                continue
            rows = [{"label": label, "value": value} for label, value in (
                ("Tabel", cf.table), ("Leveringsvorm", cf.delivery), ("Inzet", cf.deployment), ("Locatie", cf.location),
                ("Groepsgrootte", cf.group_size), ("Omvang", cf.extent), ("Omschrijving", cf.description)) if value]
            rows += [{"label": f.name, "value": f.value} for f in cf.features]
            forms.append({"id": cid, "name": cf.name, "placeholder": cf.placeholder or "", "rows": rows,
                          "products": by_form.get(cid, [])})
        main_forms.append({"name": mf.name, "description": blocks(mf.description), "care_forms": forms})
    return render(
        "site/portaal/structuur.md.j2",
        national={"name": nat.name, "description": blocks(nat.description)} if nat else None,
        main_forms=main_forms,
        trees=[{"title": f"{t.table}: {t.title}" if t.table else t.title,
                "questions": [{"number": q.number, "question": q.question,
                               "yes": q.yes or "; ".join(f"{o.name}: {o.value}" for o in q.options), "no": q.no or ""}
                              for q in t.questions]} for t in (nat.decision_trees if nat else ())],
        criteria=[{"label": c.name, "value": c.text or ""} for c in (nat.criteria if nat else ())],
        recommendations=[{"label": c.name, "value": c.text or ""} for c in (nat.recommendations if nat else ())])


def _comparison_pages(by_category: dict[tuple[str, str, str], list], nav: list) -> dict[str, str]:
    """The comparison between regions: an overview, and a page per product category with, per
    product code, every region that buys it (one page per category keeps pages readable and
    the build linear at national scale)."""
    pages: dict[str, str] = {}
    categories = []
    for (law, cat, name), entries in sorted(by_category.items()):
        codes: dict[str, list] = {}
        for e in entries:
            if e["code"]:
                codes.setdefault(e["code"], []).append(e)
        category = {"path": f"{law}-{anchor(cat)}.md", "code": cat, "name": name, "law": "Jeugdwet" if law == "jeugdwet" else "Wmo",
                    "codes": [{"code": c, "products": ps} for c, ps in sorted(codes.items())],
                    "uncoded": [e for e in entries if not e["code"]], "products": len(entries),
                    "regions": len({e["slug"] for e in entries})}
        category["title"] = f"{cat} {name} ({category['law']})".replace("  ", " ")
        categories.append(category)
        pages[f"vergelijking/{category['path']}"] = render("site/portaal/vergelijking-categorie.md.j2", c=category)
    pages["vergelijking/index.md"] = render("site/portaal/vergelijking.md.j2", categories=categories)
    nav.append({"Vergelijking": [{"Overzicht": "vergelijking/index.md"},
                                 *({c["title"]: f"vergelijking/{c['path']}"} for c in categories)]})
    return pages
