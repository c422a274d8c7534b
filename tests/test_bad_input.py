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
