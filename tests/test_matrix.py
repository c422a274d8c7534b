"""The site built past one machine: every region on its own (`site --alleen REGIO`), then the
portal over the region folders (`site --portaal-uit MAP...`), is the site one `site` build
makes: every file, its name and its bytes. And the publish workflow's own commands, run job by
job in separate checkouts with its artifacts passed on as GitHub passes them, publish that site."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO, git

pytestmark = pytest.mark.slow
BUILD = [sys.executable, str(REPO / "build.py")]
# The content's history has one fixed date: the same on every checkout of it.
DATED = {"GIT_AUTHOR_DATE": "2026-03-02T10:00:00Z", "GIT_COMMITTER_DATE": "2026-03-02T10:00:00Z"}


def _env() -> dict[str, str]:
    """A fresh process environment: no SOURCE_DATE_EPOCH left by an earlier build in this one."""
    return {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | DATED


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=_env(), timeout=900)


def _ok(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 0, run.stdout + run.stderr
    assert "waarschuwing" not in run.stderr
    return run.stdout


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under root, by relative path."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def _same_tree(single: Path, assembled: Path) -> int:
    a, b = _tree(single), _tree(assembled)
    assert sorted(set(a) ^ set(b)) == [], "files in only one of the two sites"
    differ = sorted(rel for rel in a if a[rel] != b[rel])
    assert differ == [], "files that differ between the single build and the assembled one"
    return sum(1 for v in a.values() if v is not None)


def _synth(target: Path, regions: int, products: int) -> Path:
    """Generated content in a git repository (one commit of a fixed date): a checkout."""
    _ok(_run([*BUILD, "synth", "--regios", str(regions), "--producten", str(products), "content"], target))
    git(target, "init", "-q")
    _commit(target)
    return target / "content"


def _commit(repo: Path) -> None:
    git(repo, "add", "-A")
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "content"],
        cwd=repo,
        check=True,
        env=_env(),
    )


def _rename_a_product(region: Path) -> None:
    product = sorted((region / "producten").glob("*.yml"))[0]
    text = product.read_text(encoding="utf-8")
    assert "\nnaam: " in text
    product.write_text(text.replace("\nnaam: ", "\nnaam: Gewijzigd ", 1), encoding="utf-8")


# -- the two options, on the repository's content ---------------------------------------------


def test_regions_built_alone_and_assembled_equal_a_single_build_of_the_real_content(tmp_path):
    content = str(REPO / "content")
    regions = json.loads(_ok(_run([*BUILD, "regios", "--content", content], tmp_path)))
    assert regions == sorted(p.name for p in (REPO / "content/regios").iterdir() if p.is_dir())
    flags = ["--zonder-downloads", "--content", content]
    _ok(_run([*BUILD, "site", *flags, "--out", "site"], tmp_path / "single"))
    for slug in regions:  # each in its own folder, with its own caches: as on its own runner
        _ok(_run([*BUILD, "site", *flags, "--alleen", slug, "--out", "site"], tmp_path / "parts" / slug))
        assert sorted(p.name for p in (tmp_path / "parts" / slug / "site").iterdir()) == [slug]
    parts = [str(tmp_path / "parts" / slug / "site") for slug in regions]
    out = _ok(_run([*BUILD, "site", *flags, "--portaal-uit", *parts, "--out", "site"], tmp_path / "asm"))
    assert out.strip() == "site/index.html"
    files = _same_tree(tmp_path / "single/site", tmp_path / "asm/site")
    assert files > 500 and all((tmp_path / "asm/site" / slug / "index.html").is_file() for slug in regions)


def test_the_assembler_refuses_region_folders_of_other_content_and_names_them(tmp_path):
    content = _synth(tmp_path / "repo", 2, 3)
    flags = ["--zonder-downloads", "--content", str(content)]
    for slug in ("regio-01", "regio-02"):
        _ok(_run([*BUILD, "site", *flags, "--alleen", slug, "--out", "site"], tmp_path / slug))
    parts = [str(tmp_path / slug / "site") for slug in ("regio-01", "regio-02")]
    product = sorted((content / "regios/regio-01/producten").glob("*.yml"))[0]
    text = product.read_text(encoding="utf-8")
    _rename_a_product(content / "regios/regio-01")
    run = _run([*BUILD, "site", *flags, "--portaal-uit", *parts, "--out", "site"], tmp_path / "asm")
    assert run.returncode == 1 and not (tmp_path / "asm/site").exists()
    assert f"{parts[0]}/regio-01: gebouwd uit andere content dan deze checkout" in run.stderr, run.stderr
    assert "regio-02:" not in run.stderr and "de site is niet samengevoegd" in run.stderr
    # a region missing, and a folder that is no region build
    run = _run(
        [*BUILD, "site", *flags, "--portaal-uit", parts[1], str(content.parent), "--out", "site"],
        tmp_path / "asm",
    )
    assert run.returncode == 1
    assert "regio 'regio-01' ontbreekt" in run.stderr and f"{content.parent}: geen map van" in run.stderr, (
        run.stderr
    )
    product.write_text(text, encoding="utf-8")  # the content the folders were built from again,
    # but with downloads: other options than the regions were built with
    run = _run(
        [*BUILD, "site", "--content", str(content), "--portaal-uit", *parts, "--out", "site"],
        tmp_path / "asm",
    )
    assert run.returncode == 1 and run.stderr.count("gebouwd uit andere content") == 2, run.stderr
    _ok(_run([*BUILD, "site", *flags, "--portaal-uit", *parts, "--out", "site"], tmp_path / "asm"))
    # --alleen replaces its whole output folder: never a whole site's
    run = _run([*BUILD, "site", *flags, "--alleen", "regio-01", "--out", "site"], tmp_path / "asm")
    assert run.returncode == 2 and "kies een eigen uitvoermap" in run.stderr, run.stderr
    assert (tmp_path / "asm/site/regio-02/index.html").is_file()
    run = _run([*BUILD, "site", *flags, "--alleen", "regio-9", "--out", "x"], tmp_path / "asm")
    assert run.returncode == 2 and "onbekende regio 'regio-9'" in run.stderr, run.stderr


# -- the publish workflow, job by job ---------------------------------------------------------

WORKFLOW = REPO / ".github/workflows/publish.yml"
CODE = ("build.py", "productenboek", "templates", "mkdocs.yml", "Makefile")


def _checkout(origin: Path, where: Path) -> Path:
    """A runner's checkout: a clone of the content's repository (new paths, new file times) with
    the project's code beside it, and the installed virtualenv (make install has nothing to do)."""
    git(where.parent, "clone", "-q", str(origin), where.name)
    for name in CODE:
        (where / name).symlink_to(REPO / name)
    (where / ".venv").symlink_to(REPO / ".venv")
    for lock in ("requirements.lock", "requirements-dev.lock"):
        (where / lock).write_text("", encoding="utf-8")
        os.utime(where / lock, (0, 0))  # older than the virtualenv's stamp
    return where


def _steps(job: dict, checkout: Path, matrix: dict, artifacts: Path) -> dict[str, str]:
    """Run a job's steps in its checkout: `run` in bash as the runner does (values through env:),
    upload-artifact and download-artifact as GitHub does them. Returns the job's outputs."""
    outputs: dict[str, str] = {}
    for step in job["steps"]:
        uses, given = step.get("uses", ""), step.get("with", {})
        if "run" in step:
            env = {
                k: v.replace("${{ matrix.regio }}", matrix.get("regio", ""))
                for k, v in step.get("env", {}).items()
            }
            out_file = checkout.parent / f"{checkout.name}.output"
            out_file.write_text("", encoding="utf-8")
            run = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=checkout,
                capture_output=True,
                text=True,
                env={**_env(), **env, "GITHUB_OUTPUT": str(out_file), "CI": "true"},
                timeout=900,
            )
            assert run.returncode == 0, (step["run"], run.stdout, run.stderr)
            assert "waarschuwing" not in run.stderr
            for line in out_file.read_text(encoding="utf-8").splitlines():
                key, _, value = line.partition("=")
                outputs[f"${{{{ steps.{step.get('id')}.outputs.{key} }}}}"] = value
        elif uses.startswith("actions/upload-artifact@"):
            name = given["name"].replace("${{ matrix.regio }}", matrix.get("regio", ""))
            _upload(
                checkout, given["path"].split(), artifacts / name, given.get("include-hidden-files", False)
            )
        elif uses.startswith("actions/download-artifact@"):
            for art in sorted(artifacts.glob(given["pattern"])):
                shutil.copytree(art, checkout / given["path"] / art.name)
    return {key: outputs.get(value, value) for key, value in job.get("outputs", {}).items()}


def _upload(cwd: Path, patterns: list[str], target: Path, hidden: bool) -> None:
    """actions/upload-artifact: the files the patterns match (hidden ones only when asked), kept
    relative to the least common ancestor of the patterns' literal beginnings."""
    starts, files = [], []
    for pattern in patterns:
        literal = []
        for part in pattern.split("/"):
            if any(c in part for c in "*?["):
                break
            literal.append(part)
        starts.append(cwd.joinpath(*literal))
        for match in sorted(glob.glob(str(cwd / pattern), recursive=True, include_hidden=hidden)):
            path = Path(match)
            files += [path] if path.is_file() else [p for p in sorted(path.rglob("*")) if p.is_file()]
    root = Path(os.path.commonpath(starts)) if len(starts) > 1 else starts[0]
    root = root if root.is_dir() else root.parent
    files = [f for f in files if hidden or not any(p.startswith(".") for p in f.relative_to(cwd).parts)]
    assert files, f"upload-artifact: no files for {patterns}"  # if-no-files-found: error
    for f in files:
        dest = target / f.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)


def test_the_publish_workflow_matrix_publishes_the_site_and_books_of_a_single_build(tmp_path):
    if not (REPO / ".venv/.installed").exists() or not shutil.which("make"):
        pytest.skip("make install heeft de virtualenv nog niet gemaakt")
    origin = tmp_path / "origin"
    content = _synth(origin, 2, 6)
    # a published version (frozen pages, its own PDF) and a change since: a concept
    _ok(_run([*BUILD, "publiceer", "regio-01", "2026.1", "--content", "content"], origin))
    _rename_a_product(content / "regios/regio-01")
    _commit(origin)
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    artifacts = tmp_path / "artefacten"
    listed = _steps(jobs["regios"], _checkout(origin, tmp_path / "regios"), {}, artifacts)
    matrix = jobs["bouwen"]["strategy"]["matrix"]["regio"]
    regions = json.loads(
        listed[matrix.removeprefix("${{ fromJSON(needs.regios.outputs.").removesuffix(") }}")]
    )
    assert regions == ["regio-01", "regio-02"]
    for slug in regions:
        _steps(jobs["bouwen"], _checkout(origin, tmp_path / f"bouwen-{slug}"), {"regio": slug}, artifacts)
    final = _checkout(origin, tmp_path / "samenvoegen")
    _steps(jobs["samenvoegen"], final, {}, artifacts)
    # the single-machine build of the same commit, as the workflow ran it before the matrix
    single = _checkout(origin, tmp_path / "enkel")
    _ok(_run(["make", "site"], single))
    files = _same_tree(single / "site", final / "site")
    for slug in regions:
        downloads = sorted(p.name for p in (final / "site" / slug / "downloads").iterdir())
        assert downloads == [
            f"{n}-{slug}.{e}"
            for n, e in (
                ("productenboek", "docx"),
                ("productenboek", "pdf"),
                ("waswordt", "csv"),
                ("waswordt", "xlsx"),
            )
        ]
    books = {p.name: p.read_bytes() for p in (artifacts / "productenboeken").rglob("*.pdf")}
    assert books == {p.name: p.read_bytes() for p in (single / "dist").glob("*/productenboek-*.pdf")}
    assert sorted(books) == [
        "productenboek-regio-01-2026.1.pdf",
        "productenboek-regio-01.pdf",
        "productenboek-regio-02.pdf",
    ]
    assert (final / "site/regio-01/2026.1/index.html").is_file()
    assert files > 100
