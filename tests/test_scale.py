"""Generated content at small scale: the parallel (per region) load and check give exactly
what the serial path gives, and the per-region cache follows edits and deletions."""

from __future__ import annotations

import pytest

from helpers import cwd, product_html, run_cli
from productenboek import regionpool
from productenboek.errors import ContentError
from productenboek.pipeline import check, gather


@pytest.fixture
def synth(tmp_path, monkeypatch):
    monkeypatch.setenv("PRODUCTENBOEK_CACHE", str(tmp_path / "cache"))
    code, out, err = run_cli(
        ["synth", "--regios", "3", "--producten", "40", str(tmp_path / "content")], tmp_path
    )
    assert code == 0, err
    return tmp_path / "content"


def _break(content):
    """One problem of each kind, in two regions."""
    p1 = content / "regios" / "regio-01" / "producten"
    first = sorted(p1.glob("*.yml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("naam:", "naaam:", 1), encoding="utf-8")
    second = sorted(p1.glob("*.yml"))[1]
    lines = [
        ln if not ln.startswith("  - bedrag: ") else "  - bedrag: 21.055"
        for ln in second.read_text(encoding="utf-8").splitlines()
    ]
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    third = sorted((content / "regios" / "regio-03" / "producten").glob("*.yml"))[0]
    text = third.read_text(encoding="utf-8")
    third.write_text(text.replace("kernbedingen: [", "kernbedingen: [bestaat-niet, ", 1), encoding="utf-8")


def _problems(fn, *args) -> list[str]:
    with pytest.raises(ContentError) as exc:
        fn(*args)
    return [str(p) for p in exc.value.problems.sorted()]


def test_generated_content_passes_check(synth, tmp_path):
    code, out, err = run_cli(["check", "--content", str(synth)], tmp_path)
    assert code == 0, err
    assert "in orde: 3 regio's, 120 producten" in out + err


def test_parallel_check_reports_what_the_serial_check_reports(synth, tmp_path, monkeypatch):
    _break(synth)
    with cwd(tmp_path):
        monkeypatch.setattr(regionpool, "MIN_FILES", 10**9)
        serial = _problems(gather, synth)
        monkeypatch.setenv("PRODUCTENBOEK_CACHE", str(tmp_path / "cache-parallel"))
        monkeypatch.setattr(regionpool, "MIN_FILES", 0)
        assert regionpool.worth_it(sorted((synth / "regios").iterdir())) or pytest.skip("one core")
        results = regionpool.check(synth, sorted((synth / "regios").iterdir()))
        parallel_check = _problems(check, synth)
        parallel_gather = _problems(gather, synth)  # from the caches the workers wrote
    assert [(r.slug, r.products, len(r.problems)) for r in results] == [
        ("regio-01", 40, 2),
        ("regio-02", 40, 0),
        ("regio-03", 40, 1),
    ]
    assert len(serial) == 3
    assert any("onbekende sleutel 'naaam' (bedoel je 'naam'?)" in p for p in serial)
    assert any("meer dan 2 decimalen" in p for p in serial)
    assert any("bestaat-niet" in p and "regio-03" in p for p in serial)
    assert parallel_check == serial
    assert parallel_gather == serial


def test_parallel_load_gives_the_same_model(synth, tmp_path, monkeypatch):
    with cwd(tmp_path):
        monkeypatch.setattr(regionpool, "MIN_FILES", 10**9)
        serial = gather(synth, use_cache=False)
        monkeypatch.setattr(regionpool, "MIN_FILES", 0)
        parallel = gather(synth)
        summary = check(synth)
        loaded = regionpool.load(
            synth, sorted((synth / "regios").iterdir())
        )  # no cache: e.g. an old revision
        uncached = gather(synth, use_cache=False)
    assert parallel.regions == serial.regions
    assert loaded is not None and [rc.slug for rc, problems in loaded] == ["regio-01", "regio-02", "regio-03"]
    assert uncached.regions == serial.regions
    assert (summary.regions, summary.products, summary.kernbedingen) == (3, 120, 3)


def test_cache_follows_edits_and_deletions(synth, tmp_path, monkeypatch):
    monkeypatch.setattr(regionpool, "MIN_FILES", 0)
    folder = synth / "regios" / "regio-02" / "producten"
    edited, removed = sorted(folder.glob("*.yml"))[:2]
    with cwd(tmp_path):
        before = gather(synth)
        lines = [
            ln if not ln.startswith("  - bedrag: ") else "  - bedrag: 1234.56"
            for ln in edited.read_text(encoding="utf-8").splitlines()
        ]
        edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
        after = gather(synth)
        removed.unlink()  # the region's contract still lists it
        problems = _problems(gather, synth)
    old, new = (
        before.regions["regio-02"].products[edited.stem],
        after.regions["regio-02"].products[edited.stem],
    )
    assert str(new.tariffs[0].amount) == "1234.56" != str(old.tariffs[0].amount)
    assert len(problems) == 1 and removed.stem in problems[0] and "regio-02/regio.yml" in problems[0]


def test_portal_comparison_has_a_page_per_category_listing_every_product(synth, tmp_path):
    from productenboek.outputs import portal

    with cwd(tmp_path):
        content = gather(synth)
    summaries = [portal.region_summary(content, slug) for slug in sorted(content.regions)]
    pages, nav = portal.portal_pages(content, summaries)
    categories = sorted({(p["law"], p["category"]) for s in summaries for p in s["items"]})
    per_category = {f"vergelijking/{law}-{cat}.md" for law, cat in categories}
    assert per_category <= set(pages) and "vergelijking/index.md" in pages
    rows = sum(page.count("<tr>") - 1 for path, page in pages.items() if path in per_category)  # - the header
    assert rows == 120  # every product once, under its code
    overview = pages["vergelijking/index.md"]
    assert all(f"]({law}-{cat}.md)" in overview for law, cat in categories)
    assert any("Vergelijking" in entry for entry in nav)


@pytest.mark.slow
def test_bench_scenario_measures_every_step_next_to_its_floor(tmp_path, monkeypatch):
    """The benchmark's national scenario at toy size: every command runs and succeeds, and
    the report puts each timing next to its floor."""
    from productenboek import bench
    from productenboek import synth as synthesis

    nat = tmp_path / "landelijk"
    content = synthesis.generate(nat / "content", 2, 12, seed=3)
    bench._git(nat, "init", "-q", "-b", "basis")
    bench._git(nat, "add", ".")
    bench._git(nat, "commit", "-qm", "basis")
    bench._raise_some_tariffs(content, every=5)
    results: list = []
    monkeypatch.setattr(bench, "RUNS", 3)  # enough to show the turns and the median
    bench._scenario("klein", nat, content, "regio-01", results, with_diff=True)
    row = results[0]
    failed = {k: v.get("fout") for k, v in row.items() if isinstance(v, dict) and not v["ok"]}
    assert not failed
    assert len(row["check_koud"]["runs"]) == 3 and row["site"]["seconden"] > 0
    report = bench._markdown(results, {}, {"datum": "2026-11-23", "cores": 2})
    assert "| check koud |" in report and "| kale mkdocs build van dezelfde Markdown |" in report
    assert "| typst compile van dezelfde Typst-bron |" in report and "x |" in report


@pytest.mark.slow
def test_site_rebuilds_and_loads_only_what_changed(synth, tmp_path, monkeypatch):
    from productenboek import load

    args = ["site", "--content", str(synth), "--out", "site", "--dist", "dist", "--zonder-downloads"]
    code, out, err = run_cli(args, tmp_path)
    assert code == 0 and "(3 opnieuw gebouwd)" in out + err, err
    site = tmp_path / "site"
    portal_inode = (site / "index.html").stat().st_ino
    loaded: list[str] = []
    real = load.load_region
    monkeypatch.setattr(
        load,
        "load_region",
        lambda root, folder, *a, **k: loaded.append(folder.name) or real(root, folder, *a, **k),
    )

    # A description is not on the portal: one region is loaded and rebuilt, the portal is kept.
    product = sorted((synth / "regios" / "regio-02" / "producten").glob("*.yml"))[0]
    product.write_text(
        product.read_text(encoding="utf-8").replace(
            "omschrijving: |\n", "omschrijving: |\n  Nieuwe zin.\n", 1
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli(args, tmp_path)
    assert code == 0 and "(1 opnieuw gebouwd)" in out + err, err
    assert loaded == ["regio-02"]
    assert (site / "index.html").stat().st_ino == portal_inode
    assert "Nieuwe zin." in product_html(site, "regio-02", product.stem)

    # A tariff is on the portal: the comparison page shows the new amount.
    lines = [
        ln if not ln.startswith("  - bedrag: ") else "  - bedrag: 4321.09"
        for ln in product.read_text(encoding="utf-8").splitlines()
    ]
    product.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import json

    state_file = tmp_path / ".site.staat.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["regios"]["regio-01"]["samenvatting"] = "kapot"  # a damaged summary: rebuilt
    state_file.write_text(json.dumps(state), encoding="utf-8")
    code, out, err = run_cli(args, tmp_path)
    assert code == 0, err
    comparison = "".join(p.read_text(encoding="utf-8") for p in (site / "vergelijking").glob("*/index.html"))
    assert "€ 4.321,09" in comparison
    assert sorted(loaded) == ["regio-01", "regio-02", "regio-02"]

    # A removed region disappears from the site and the portal.
    import shutil

    shutil.rmtree(synth / "regios" / "regio-03")
    code, out, err = run_cli(args, tmp_path)
    assert code == 0 and "portaal + 2 regio's" in out + err, err
    assert not (site / "regio-03").exists() and "regio-03/" not in (site / "index.html").read_text(
        encoding="utf-8"
    )
