"""The bad-input corpus: every case gives exactly the expected `path:line:col: message`
lines, exit code 1 (content) or 2 (usage), all problems in one run, and never a traceback."""

from pathlib import Path

import pytest

from helpers import make_content, run_cli

CASES = sorted(p for p in (Path(__file__).parent / "bad_input").iterdir() if p.is_dir())


def run_case(case: Path, tmp_path: Path) -> tuple[int, str]:
    make_content(tmp_path, case)
    args_file = case / "args"
    args = args_file.read_text().split() if args_file.exists() else ["check"]
    code, _out, err = run_cli([*args, "--content", "content"], tmp_path)
    return code, err


def test_corpus_is_large_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, tmp_path: Path):
    code, err = run_case(case, tmp_path)
    expected = (case / "verwacht.txt").read_text(encoding="utf-8")
    assert "Traceback" not in err
    assert "interne fout" not in err
    assert code == (2 if (case / "args").exists() else 1)
    assert err == expected


def test_the_program_itself_reports_everything_and_exits_with_its_code(tmp_path: Path):
    """build.py ends without tearing the interpreter down (cli.quick_exit): what it wrote to a
    pipe is all there, and the exit code is the command's."""
    import json
    import os
    import subprocess
    import sys

    from helpers import REPO

    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as in a terminal pipe

    case = next(c for c in CASES if c.name.startswith("58_"))
    make_content(tmp_path, case)
    bad = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--content", "content"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=buffered,
    )
    assert bad.returncode == 1
    assert bad.stderr == (case / "verwacht.txt").read_text(encoding="utf-8")
    good = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "regios", "--content", str(REPO / "content")],
        capture_output=True,
        text=True,
        env=buffered,
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == json.dumps(sorted(p.name for p in (REPO / "content/regios").iterdir()))
    # Under a profiler the program exits the normal way, so the profile is written.
    profiled = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(tmp_path / "profiel"), str(REPO / "build.py"), "regios"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert profiled.returncode == 0 and (tmp_path / "profiel").stat().st_size > 0, profiled.stderr
