"""Reliability and security: hostile text stays text everywhere, paths are refused, builds
are atomic, locked and deterministic, and formatting/money survive round trips."""

import hashlib
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from helpers import REPO, make_content, product_html, run_cli
from productenboek import dutch
from productenboek.errors import Problems
from productenboek.model import Product
from productenboek.outputs.fmt import canonical
from productenboek.schema import Builder
from productenboek.yamlsource import parse_text

HOSTILE = (
    '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
    "[klik](javascript:alert(1)) **vet** _schuin_ # kop $x$ #set text(red) \\textbf{x} "
    "{{ 7*7 }} {% if 1 %}jinja{% endif %} `code` <b>html</b> | pijp @import"
)


def hostile_content(tmp_path: Path) -> Path:
    content = make_content(tmp_path)
    p = content / "regios/voorbeeld/producten/45A02.yml"
    text = p.read_text(encoding="utf-8").replace("naam: Begeleiding groep", "naam: '=1+1 Begeleiding'")
    text += "omschrijving: " + repr(HOSTILE).replace("\\\\", "\\") + "\n"
    text += "doelgroep: '@SUM(A1) " + HOSTILE.replace("'", "''") + "'\n"
    p.write_text(text, encoding="utf-8")
    assert run_cli(["check", "--content", "content"], tmp_path)[0] == 0
    return content


def test_hostile_text_is_literal_in_pdf_docx_csv_xlsx(tmp_path):
    hostile_content(tmp_path)
    for fmt in ("pdf", "docx", "waswordt"):
        code, _, err = run_cli([fmt, "voorbeeld", "--content", "content", "--out", "dist"], tmp_path)
        assert code == 0, err
    pdf = (
        subprocess.run(
            ["pdftotext", str(tmp_path / "dist/voorbeeld/productenboek-voorbeeld.pdf"), "-"],
            capture_output=True,
            text=True,
        ).stdout
        if shutil_which("pdftotext")
        else ""
    )
    if pdf:
        flat = " ".join(pdf.split())
        for needle in (
            "<script>window.__pwned=1</script>",
            "{{ 7*7 }}",
            "**vet**",
            "#set text(red)",
            "\\textbf{x}",
            "$x$",
        ):
            assert needle in flat, needle
    doc = "\n".join(
        p.text for p in Document(tmp_path / "dist/voorbeeld/productenboek-voorbeeld.docx").paragraphs
    )
    assert "<script>window.__pwned=1</script>" in doc and "{{ 7*7 }}" in doc and "**vet**" in doc
    csv_text = (tmp_path / "dist/voorbeeld/waswordt-voorbeeld.csv").read_text(encoding="utf-8-sig")
    assert "'=1+1 Begeleiding" in csv_text
    ws = load_workbook(tmp_path / "dist/voorbeeld/waswordt-voorbeeld.xlsx").active
    cell = [c for row in ws.iter_rows() for c in row if c.value == "=1+1 Begeleiding"][0]
    assert cell.data_type == "s"


def shutil_which(name):
    import shutil

    return shutil.which(name)


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_text_runs_no_script_in_the_site(tmp_path, browser):
    import functools
    import http.server
    import threading

    hostile_content(tmp_path)
    code, _, err = run_cli(
        ["site", "--content", "content", "--out", "site", "--dist", "dist", "--zonder-downloads"], tmp_path
    )
    assert code == 0, err
    html = product_html(tmp_path / "site", "voorbeeld", "45A02")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html and "<b>html</b>" not in html
    assert 'href="javascript:' not in html
    chromium = shutil_which("chromium")
    if not chromium:
        pytest.skip("chromium ontbreekt")

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.set_default_timeout(20000)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(
            f"http://127.0.0.1:{httpd.server_address[1]}/voorbeeld/producten/45A02/", wait_until="networkidle"
        )
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        body = page.inner_text("article")
        assert "<script>window.__pwned=1</script>" in body and "{{ 7*7 }}" in body
    finally:
        httpd.shutdown()


def test_symlink_out_of_content_is_refused(tmp_path):
    content = make_content(tmp_path)
    outside = tmp_path / "buiten.yml"
    outside.write_text("code: 45A09\nnaam: Buiten\nwet: jeugdwet\n", encoding="utf-8")
    os.symlink(outside, content / "regios/voorbeeld/producten/45A09.yml")
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1
    assert (
        "content/regios/voorbeeld/producten/45A09.yml:1:1: symbolische link wijst buiten de content-map; geweigerd"
        in err
    )


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_site_pdf_and_xlsx_builds_are_byte_identical(tmp_path):
    make_content(tmp_path)
    for run in ("a", "b"):
        code, _, err = run_cli(
            ["site", "--content", "content", "--out", f"{run}/site", "--dist", f"{run}/dist"], tmp_path
        )
        assert code == 0, err
    a, b = (
        {k: v for k, v in _hashes(tmp_path / run).items() if k.startswith(("site/", "dist/"))}
        for run in ("a", "b")
    )
    assert a == b
    assert (
        any(k.endswith(".pdf") for k in a)
        and any(k.endswith(".xlsx") for k in a)
        and any(k.endswith(".docx") for k in a)
    )


@pytest.mark.slow
def test_failed_site_build_leaves_previous_site_intact(tmp_path, monkeypatch):
    make_content(tmp_path)
    code, _, err = run_cli(["site", "--content", "content", "--out", "site", "--zonder-downloads"], tmp_path)
    assert code == 0, err
    before = _hashes(tmp_path / "site")
    from productenboek.outputs import site

    real = site.render

    def failing(name, **ctx):
        if name.endswith("product.html.j2") and ctx["p"].id == "43A01":
            raise RuntimeError("rendering faalt halverwege")
        return real(name, **ctx)

    monkeypatch.setattr(site, "render", failing)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # build in this process, where render fails
    (tmp_path / "content/regios/voorbeeld/regio.yml").write_text(
        (tmp_path / "content/regios/voorbeeld/regio.yml")
        .read_text(encoding="utf-8")
        .replace("Voorbeeldregio", "Andere naam"),
        encoding="utf-8",
    )
    code, _, err = run_cli(["site", "--content", "content", "--out", "site", "--zonder-downloads"], tmp_path)
    assert code == 3 and "rendering faalt halverwege" in err and "Traceback" not in err
    assert _hashes(tmp_path / "site") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.new-")]


def test_failed_pdf_leaves_previous_pdf_intact(tmp_path, monkeypatch):
    make_content(tmp_path)
    assert run_cli(["pdf", "voorbeeld", "--content", "content", "--out", "dist"], tmp_path)[0] == 0
    pdf = tmp_path / "dist/voorbeeld/productenboek-voorbeeld.pdf"
    before = pdf.read_bytes()
    from productenboek.outputs import book

    monkeypatch.setattr(
        book, "compile_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("typst faalt"))
    )
    code, _, err = run_cli(["pdf", "voorbeeld", "--content", "content", "--out", "dist"], tmp_path)
    assert code == 3 and pdf.read_bytes() == before


@pytest.mark.slow
def test_two_site_builds_at_once_do_not_corrupt_each_other(tmp_path):
    make_content(tmp_path)
    cmd = [
        sys.executable,
        str(REPO / "build.py"),
        "site",
        "--content",
        "content",
        "--out",
        "site",
        "--zonder-downloads",
    ]
    procs = [
        subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert (tmp_path / "site/voorbeeld/producten/45A01/index.html").is_file()
    assert (tmp_path / "site/index.html").is_file()


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips(amount):
    text = dutch.money(amount)
    assert dutch.parse_money(text) == amount
    assert text.startswith("€ ") and "," in text


def test_money_examples():
    assert dutch.money(Decimal("1234.56")) == "€ 1.234,56"
    assert dutch.money(Decimal("21.05")) == "€ 21,05"
    assert dutch.money(Decimal("9228.2")) == "€ 9.228,20"
    assert dutch.money(Decimal("1000000")) == "€ 1.000.000,00"
    assert dutch.percent(Decimal("3.04")) == "+3,0 %"


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=60, deadline=None)
@given(
    name=TEXT,
    doelgroep=TEXT,
    amount=st.decimals(min_value=0, max_value=99999, places=2),
    comment=st.text(alphabet="abc xyz", min_size=1, max_size=20),
)
def test_fmt_keeps_the_model_and_the_comments(name, doelgroep, amount, comment):
    import json

    source = (
        f"# kop: {comment}\n"
        f"tarieven:\n  - eenheid: uur  # {comment}\n    bedrag: {amount}\n"
        f"doelgroep: {json.dumps(doelgroep, ensure_ascii=False)}\n"
        f"wet: jeugdwet\nnaam: {json.dumps(name, ensure_ascii=False)}\ncode: 45A01\n"
    )
    formatted = canonical(source, Product)
    assert formatted.splitlines()[0] == f"# kop: {comment}"
    assert f"# {comment}" in formatted.split("\n", 1)[1]
    assert formatted.index("code:") < formatted.index("naam:") < formatted.index("tarieven:")
    a = Builder(Problems()).build(Product, parse_text("a.yml", source).root)
    b = Builder(Problems()).build(Product, parse_text("b.yml", formatted).root)
    assert a == b and a.name == name and a.tariffs[0].amount == amount
    assert canonical(formatted, Product) == formatted


def test_long_words_and_control_characters_are_found_in_every_scalar_style():
    """parse_text checks a long word or control character per scalar only where the file's text
    does not already show it: escapes in double quotes can make both."""
    word = "x" * 301
    half = "y" * 200
    cases = {
        f"naam: {word}\n": "woord van meer dan 300 tekens",
        f"naam: '{word}'\n": "woord van meer dan 300 tekens",
        f"naam: |\n  {word}\n": "woord van meer dan 300 tekens",
        f'naam: "{half}\\\n  {half}"\n': "woord van meer dan 300 tekens",  # an escaped line break
        'naam: "a\\x1bb"\n': "stuurteken U+001B",
        'naam: "a\\u0085b"\n': "stuurteken U+0085",
    }
    for source, expected in cases.items():
        found = [p.message for p in parse_text("a.yml", source).problems.sorted()]
        assert any(expected in m for m in found), (source[:40], found)
    for clean in (f"naam: {half} {half}\n", f'naam: "{half} {half}"\n', "naam: 'a\\x1bb'\n"):
        assert not parse_text("a.yml", clean).problems.sorted(), clean[:40]
