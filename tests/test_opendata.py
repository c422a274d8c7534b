"""Open data: the files next to the site, their generated schemas, the feed of changes and the
Open data pages, checked on the repository's real content and built site."""

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from helpers import REPO, make_content, product_html
from productenboek import dutch, feed
from productenboek.dataschema import datapackage, json_schema
from productenboek.datatable import KERNBEDINGEN, PRODUCTS, TABLES
from productenboek.outputs import opendata
from productenboek.pipeline import gather

pytestmark = pytest.mark.slow
REGIONS = sorted(p.name for p in (REPO / "content" / "regios").iterdir())
ATOM = "{http://www.w3.org/2005/Atom}"
FILES = [f"{t.name}{ext}" for t in TABLES for ext in (".json", ".csv", ".schema.json")] + ["datapackage.json"]


@pytest.fixture(scope="module")
def site(site_without_downloads):
    return site_without_downloads  # built once per session (conftest)


@pytest.fixture(scope="module")
def content():
    return gather(REPO / "content")


def folders(site):
    return [site / slug / "data" for slug in REGIONS] + [site / "data"]


def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def read_csv(path: Path, fields: list[dict]) -> list[dict]:
    """A CSV file read the way the datapackage describes it, as JSON-like rows."""
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()), f"{path}: no BOM"
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";")
    header, *lines = list(reader)
    assert header == [f["name"] for f in fields]
    rows = []
    for line in lines:
        row = {}
        for f, cell in zip(fields, line, strict=True):
            if cell == "":
                row[f["name"]] = [] if f["type"] == "array" else None
            elif f["type"] == "array":
                row[f["name"]] = json.loads(cell)
            elif f["type"] == "integer":
                row[f["name"]] = int(cell)
            else:
                row[f["name"]] = cell
        rows.append(row)
    return rows


# -- files ---------------------------------------------------------------------------------


def test_files_exist_for_every_region_and_nationally(site):
    for folder in folders(site):
        for name in FILES:
            assert (folder / name).stat().st_size > 0, folder / name
    for slug in REGIONS:
        assert (site / slug / "wijzigingen.xml").is_file()
        assert (site / slug / "opendata" / "index.html").is_file()
    assert (site / "opendata" / "index.html").is_file()


def test_every_product_appears_with_its_tariffs_exactly(site, content):
    total = 0
    for slug in REGIONS:
        rows = json.loads((site / slug / "data" / "producten.json").read_text(encoding="utf-8"))
        rc = content.regions[slug]
        assert list(dict.fromkeys(r["product_id"] for r in rows)) == list(rc.products)
        total += len(rows)
        for pid, p in rc.products.items():
            mine = [r for r in rows if r["product_id"] == pid]
            tariffs = [(None, t) for t in p.tariffs] + [(lv.id, t) for lv in p.levels for t in lv.tariffs]
            if not tariffs:
                assert [r["tariefregel"] for r in mine] == [0] and mine[0]["bedrag"] is None
                continue
            assert [r["tariefregel"] for r in mine] == list(range(1, len(tariffs) + 1))
            for r, (level, t) in zip(mine, tariffs, strict=True):
                assert r["niveau"] == level
                assert r["code"] == p.code and r["naam"] == p.name and r["wet"] == p.law
                if t.amount is None:
                    assert r["bedrag"] is None
                else:
                    assert isinstance(r["bedrag"], str) and Decimal(r["bedrag"]) == t.amount
                    assert re.fullmatch(r"\d+\.\d{2}", r["bedrag"])
                assert r["eenheid"] == t.unit and r["per"] == t.per
                assert r["tarief_geldig_vanaf"] == (t.valid_from.isoformat() if t.valid_from else None)
                assert r["tarief_geldig_tot"] == (t.valid_to.isoformat() if t.valid_to else None)
                assert [b["gemeente"] for b in r["beperkingen"]] == [x.municipality for x in p.restrictions]
    national = json.loads((site / "data" / "producten.json").read_text(encoding="utf-8"))
    assert len(national) == total > 100
    assert sorted({r["regio"] for r in national}) == [s for s in REGIONS if content.regions[s].products]


def test_groningen_data_shows_the_tariffs_the_book_shows(site, content):
    """The provider's scenario: every Groningen product, each tariff as its page shows it."""
    rows = json.loads((site / "groningen" / "data" / "producten.json").read_text(encoding="utf-8"))
    assert len({r["product_id"] for r in rows}) == len(content.regions["groningen"].products) == 56
    shown = 0
    for r in rows:
        page = product_html(site, "groningen", r["product_id"])
        if r["bedrag"] is not None:
            assert dutch.money(Decimal(r["bedrag"])) in page, r
            shown += 1
    assert shown >= 50
    row = next(r for r in rows if r["product_id"] == "45A04")
    assert (row["bedrag"], row["eenheid"], row["eenheid_code"]) == ("81.75", "uur", "04")
    assert row["beperkingen"][0] == {
        "gemeente": "Oldambt",
        "vanaf": "2024-10-01",
        "inzet": "niet",
        "toelichting": row["beperkingen"][0]["toelichting"],
    }


def test_national_files_are_the_regions_rows_joined(site):
    for t in TABLES:
        rows = [
            r
            for slug in REGIONS
            for r in json.loads((site / slug / "data" / f"{t.name}.json").read_text(encoding="utf-8"))
        ]
        assert (site / "data" / f"{t.name}.json").read_bytes() == opendata.json_text(rows).encode("utf-8")
        assert (site / "data" / f"{t.name}.csv").read_bytes() == opendata.csv_text(t, rows).encode("utf-8")
        package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
        assert any(r["path"] == f"{t.name}.json" for r in package["resources"]) == bool(rows)


def test_csv_has_the_same_rows_as_json(site):
    for folder in folders(site):
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for t in TABLES:
            fields = next(r for r in package["resources"] if r["path"] == f"{t.name}.csv")["schema"]["fields"]
            rows = json.loads((folder / f"{t.name}.json").read_text(encoding="utf-8"))
            assert read_csv(folder / f"{t.name}.csv", fields) == rows, folder / t.name
            assert b"\r\n" in (folder / f"{t.name}.csv").read_bytes()


# -- schemas -------------------------------------------------------------------------------


def test_files_validate_against_the_published_schemas(site):
    checked = 0
    for folder in folders(site):
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for t in TABLES:
            schema = json.loads((folder / f"{t.name}.schema.json").read_text(encoding="utf-8"))
            assert schema == json_schema(t)  # generated from the declarations, never stale
            v = validator(schema)
            rows = json.loads((folder / f"{t.name}.json").read_text(encoding="utf-8"))
            assert [e.message for e in v.iter_errors(rows)] == []
            for res in (r for r in package["resources"] if r["path"].startswith(t.name + ".")):
                fields = res["schema"]["fields"]
                assert [f["name"] for f in fields] == [c.key for c in t.columns]
                key = res["schema"]["primaryKey"]
                assert len({tuple(r[k] for k in key) for r in rows}) == len(rows), (
                    f"{folder}: primary key not unique"
                )
                assert all(r[k] is not None for r in rows for k in key)
            fields = next(r for r in package["resources"] if r["path"] == f"{t.name}.csv")["schema"]["fields"]
            csv_rows = read_csv(folder / f"{t.name}.csv", fields)
            assert [e.message for e in v.iter_errors(csv_rows)] == []
            checked += len(rows)
    assert checked > 300


def test_datapackage_describes_types_units_and_keys(site):
    package = json.loads((site / "groningen" / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package == datapackage(
        "productenboek-groningen",
        package["title"],
        package["description"],
        None,
        package["created"],
        {"producten": 56, "kernbedingen": 0},
    )
    res = {r["name"]: r for r in package["resources"]}
    assert set(res) == {
        "producten",
        "producten-json",
        "kernbedingen",
    }  # no kernbedingen: the empty JSON is not a table
    fields = {f["name"]: f for f in res["producten"]["schema"]["fields"]}
    assert fields["bedrag"]["type"] == "number" and fields["bedrag"]["unit"] == "EUR"
    assert fields["code"]["type"] == "string" and fields["eenheid_code"]["type"] == "string"
    assert fields["tarief_geldig_vanaf"]["type"] == "date"
    assert res["producten"]["schema"]["primaryKey"] == ["regio", "product_id", "tariefregel"]
    assert res["producten"]["dialect"]["delimiter"] == ";" and res["producten"]["encoding"] == "utf-8-sig"
    assert (
        package["licentie"] == "niet vermeld" and "licenses" not in package
    )  # none configured: none invented
    dt.datetime.fromisoformat(package["created"])


def _valid_row():
    return json.loads(
        json.dumps(
            {
                "regio": "voorbeeld",
                "product_id": "45A01",
                "tariefregel": 1,
                "code": "45A01",
                "naam": "Begeleiding",
                "wet": "jeugdwet",
                **{
                    c.key: None
                    for c in PRODUCTS.columns
                    if c.key not in ("regio", "product_id", "tariefregel", "code", "naam", "wet")
                },
                "bedrag": "70.00",
                "contractjaar": 2026,
                "beperkingen": [
                    {"gemeente": "Aadorp", "vanaf": "2025-01-01", "inzet": "niet", "toelichting": None}
                ],
            }
        )
    )


@pytest.mark.parametrize(
    "change",
    [
        {"bedrag": 70.0},  # a float, not a decimal string
        {"bedrag": "70,00"},  # Dutch notation
        {"bedrag": "70.001"},
        {"code": 45001},  # a code as a number
        {"code": "4A01"},
        {"wet": "zvw"},
        {"tarief_geldig_vanaf": "01-01-2025"},
        {"tariefregel": "1"},
        {"naam": ""},
        {"onbekend": "x"},
        {"beperkingen": [{"gemeente": "Aadorp", "vanaf": None, "inzet": "soms", "toelichting": None}]},
        {"regio": None},
    ],
)
def test_a_broken_row_fails_validation(change):
    v = validator(json_schema(PRODUCTS))
    good = _valid_row()
    assert list(v.iter_errors([good])) == []
    bad = copy.deepcopy(good) | change
    assert list(v.iter_errors([bad])), change
    missing = {k: x for k, x in good.items() if k != "contractjaar"}
    assert list(v.iter_errors([missing]))


# -- determinism ----------------------------------------------------------------------------


def test_rebuild_is_byte_identical(site, content, tmp_path):
    """Generated again in this process: the same bytes as the site build's worker processes."""
    for n in (1, 2):
        out = tmp_path / str(n)
        for slug in REGIONS:
            opendata.region_files(content, slug, out / slug)
        opendata.write_national(out, REGIONS, content.root, REPO / "mkdocs.yml")
    for slug in [*REGIONS, ""]:
        for name in [*(f"data/{f}" for f in FILES), *(["wijzigingen.xml"] if slug else [])]:
            a, b = (tmp_path / "1" / slug / name).read_bytes(), (tmp_path / "2" / slug / name).read_bytes()
            assert a == b == (site / slug / name).read_bytes(), f"{slug}/{name}"


# -- feed ------------------------------------------------------------------------------------


class HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.feeds = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml":
            self.feeds.append(a.get("href"))


def check_atom(text: str) -> list[ET.Element]:
    """RFC 4287's required elements: feed id, title, updated, author (or one per entry);
    entry id, title, updated; dates are RFC 3339; ids unique."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1 and root.find(f"{ATOM}{name}").text.strip(), name
    dt.datetime.fromisoformat(root.find(f"{ATOM}updated").text)
    entries = root.findall(f"{ATOM}entry")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None or all(
        e.find(f"{ATOM}author") is not None for e in entries
    )
    ids = [root.find(f"{ATOM}id").text]
    for e in entries:
        for name in ("id", "title", "updated"):
            assert len(e.findall(f"{ATOM}{name}")) == 1 and e.find(f"{ATOM}{name}").text.strip(), name
        when = dt.datetime.fromisoformat(e.find(f"{ATOM}updated").text)
        assert when.tzinfo is not None
        assert e.find(f"{ATOM}content") is not None or e.find(f"{ATOM}link[@rel='alternate']") is not None
        ids.append(e.find(f"{ATOM}id").text)
    assert len(set(ids)) == len(ids)
    return entries


def test_feeds_are_valid_atom_and_linked_from_every_region_page(site):
    for slug in REGIONS:
        feed_file = site / slug / "wijzigingen.xml"
        entries = check_atom(feed_file.read_text(encoding="utf-8"))
        assert len(entries) <= feed.LIMIT
        pages = [
            p
            for p in (site / slug).rglob("*.html")
            if p.name != "404.html" and b'http-equiv="refresh"' not in p.read_bytes()  # not a redirect
        ]
        assert len(pages) > 3
        for page in pages:
            parser = HeadLinks()
            parser.feed(page.read_text(encoding="utf-8"))
            assert len(parser.feeds) == 1, page
            assert (page.parent / parser.feeds[0]).resolve() == feed_file.resolve(), page
    parser = HeadLinks()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    assert parser.feeds == []  # the portal has no feed of its own


def _git(repo: Path, *args: str, when: str = "2025-01-01T10:00:00+01:00"):
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def test_feed_has_an_entry_per_change_with_tariffs_old_and_new(tmp_path, monkeypatch):
    monkeypatch.setenv("PRODUCTENBOEK_CACHE", str(tmp_path / "cache"))
    content = make_content(tmp_path)
    product = content / "regios" / "voorbeeld" / "producten" / "45A01.yml"
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    product.write_text(
        product.read_text(encoding="utf-8").replace("bedrag: 70.00", "bedrag: 72.50"), encoding="utf-8"
    )
    _git(tmp_path, "commit", "-qam", "tariff", when="2025-06-01T09:30:00+02:00")
    (content / "regios" / "voorbeeld" / "regio.yml").write_text(
        (content / "regios" / "voorbeeld" / "regio.yml").read_text(encoding="utf-8") + "# a comment only\n",
        encoding="utf-8",
    )
    _git(tmp_path, "commit", "-qam", "comment", when="2025-07-01T09:30:00+02:00")

    found = feed.entries(str(content), "voorbeeld")
    assert [e.title for e in found] == [
        "1 juli 2025: geen inhoudelijke wijziging",
        "1 juni 2025: 1 tarief gewijzigd",
        "1 januari 2025: regio gepubliceerd",
    ]
    assert found[1].lines == ("45A01 Begeleiding individueel: tarief € 70,00 → € 72,50 per uur (+3,6 %)",)
    assert found[1].updated == "2025-06-01T09:30:00+02:00"
    assert len(list((tmp_path / "cache" / "wijzigingen").iterdir())) == 3  # one summary per pair of commits
    assert [e.title for e in feed.entries(str(content), "voorbeeld", limit=2)] == [e.title for e in found[:2]]

    rc = gather(content)
    text = opendata.feed_text(rc, "voorbeeld")
    entries = check_atom(text)
    assert len(entries) == 3
    assert "€ 70,00 → € 72,50" in ET.tostring(entries[1], encoding="unicode")
    assert text == opendata.feed_text(rc, "voorbeeld")  # from the cache: the same bytes


def test_with_published_versions_the_feed_has_an_entry_per_version(tmp_path, monkeypatch):
    monkeypatch.setenv("PRODUCTENBOEK_CACHE", str(tmp_path / "cache"))
    content = make_content(tmp_path)
    product = content / "regios" / "voorbeeld" / "producten" / "45A01.yml"
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    _git(tmp_path, "tag", "-a", "voorbeeld/2025.1", "-m", "eerste versie")
    for n, amount in enumerate(("71.00", "72.50"), start=2):
        text = re.sub(r"bedrag: [\d.]+", f"bedrag: {amount}", product.read_text(encoding="utf-8"), count=1)
        product.write_text(text, encoding="utf-8")
        _git(tmp_path, "commit", "-qam", f"tariff {n}", when=f"2025-0{n}-01T09:30:00+02:00")
    _git(tmp_path, "tag", "voorbeeld/2025.2", when="2025-03-02T10:00:00+01:00")  # lightweight
    _git(tmp_path, "tag", "-a", "ander/1", "-m", "another region's version")

    found = feed.entries(str(content), "voorbeeld")
    assert [e.title.split(":")[0] for e in found] == [
        "Versie 2025.2, 1 maart 2025",
        "Versie 2025.1, 1 januari 2025",
    ]
    assert found[0].lines == ("45A01 Begeleiding individueel: tarief € 70,00 → € 72,50 per uur (+3,6 %)",)
    assert found[1].title.endswith("regio gepubliceerd")
    check_atom(opendata.feed_text(gather(content), "voorbeeld"))


def test_text_from_content_is_escaped_in_feed_and_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("PRODUCTENBOEK_CACHE", str(tmp_path / "cache"))
    content = make_content(tmp_path)
    product = content / "regios" / "voorbeeld" / "producten" / "45A01.yml"
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    hostile = '=1+1 <script>alert("x")</script> & ]]>'
    product.write_text(
        product.read_text(encoding="utf-8").replace("naam: Begeleiding individueel", f"naam: '{hostile}'"),
        encoding="utf-8",
    )
    _git(tmp_path, "commit", "-qam", "name", when="2025-06-01T09:30:00+02:00")
    c = gather(content)
    entries = check_atom(opendata.feed_text(c, "voorbeeld"))
    assert hostile in "".join(entries[0].itertext())
    files = opendata.region_files(c, "voorbeeld", tmp_path / "out")
    rows = read_csv(files["data/producten.csv"], [{"name": x.key, "type": x.type} for x in PRODUCTS.columns])
    assert [r["naam"] for r in rows if r["product_id"] == "45A01"] == ["'" + hostile]  # no formula in Excel
    assert hostile in [
        r["naam"] for r in json.loads(files["data/producten.json"].read_text(encoding="utf-8"))
    ]


def test_a_region_outside_git_has_a_valid_empty_feed(tmp_path):
    content = make_content(tmp_path)
    assert check_atom(opendata.feed_text(gather(content), "voorbeeld")) == []


# -- pages and licence -----------------------------------------------------------------------


def test_open_data_pages_explain_files_licence_and_examples(site):
    for slug in REGIONS:
        html = (site / slug / "opendata" / "index.html").read_text(encoding="utf-8")
        for name in (
            "producten.json",
            "producten.csv",
            "kernbedingen.csv",
            "datapackage.json",
            "wijzigingen.xml",
        ):
            assert name in html
        assert "Licentie van de inhoud: <strong>niet vermeld</strong>" in html
        text = re.sub(r"<[^>]+>", "", html)  # the example is syntax-highlighted (spans per token)
        assert "pd.read_csv" in text and "Uit tekst/CSV" in text
        for c in PRODUCTS.columns + KERNBEDINGEN.columns:
            assert f"<code>{c.key}</code>" in html
    portal = (site / "opendata" / "index.html").read_text(encoding="utf-8")
    assert (
        'href="../data/producten.json"' in portal
        and "Licentie van dit portaal: <strong>niet vermeld</strong>" in portal
    )
    for slug in REGIONS:
        assert f'href="../{slug}/wijzigingen.xml"' in portal


def test_a_configured_licence_is_published(tmp_path):
    content = make_content(tmp_path)
    regio = content / "regios" / "voorbeeld" / "regio.yml"
    regio.write_text(regio.read_text(encoding="utf-8") + "licentie: CC-BY-4.0\n", encoding="utf-8")
    c = gather(content)
    pages, nav = {}, []
    files = opendata.add_to_region(c, "voorbeeld", pages, nav, tmp_path / "out")
    assert nav == [{"Open data": "opendata.md"}]
    assert "Licentie van de inhoud: **CC\\-BY\\-4\\.0**" in pages["opendata.md"]
    package = json.loads(files["data/datapackage.json"].read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-4.0"}] and package["licentie"] == "CC-BY-4.0"
    config = tmp_path / "mkdocs.yml"
    config.write_text("extra:\n  colofon:\n    licentie: CC0-1.0\n", encoding="utf-8")
    assert opendata.portal_licence(config) == "CC0-1.0"
    config.write_text("extra:\n  bewerk_url: ''\n", encoding="utf-8")
    assert opendata.portal_licence(config) == "niet vermeld"


def test_frictionless_validates_every_package(site):
    """Optional: frictionless is big and not pinned; the check is skipped without it."""
    frictionless = pytest.importorskip("frictionless")
    for folder in folders(site):
        report = frictionless.validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
