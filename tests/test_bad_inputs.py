"""The bad-input suite: one small file per case in tests/bad_inputs/, listed in cases.yml.

Each case runs a real command on its file and must give exit code 2 and exactly one
line on stderr, ``error: FILE[:LINE]: message``, naming the file (and the line where
there is one), with a message that says what is wrong; no traceback, and no output
file left behind.
"""

import re
from pathlib import Path

import pytest
import yaml

from conftest import run_cli

HERE = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((HERE / "cases.yml").read_text(encoding="utf-8"))


def _fill(value, file, out):
    return value.replace("{file}", str(file)).replace("{out}", str(out))


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_gives_one_clear_line(case, tmp_path, root):
    file = HERE / case["file"]
    assert file.exists(), f"missing case file {file}"
    shown = file.relative_to(root)
    args = [_fill(a, shown, tmp_path) for a in case["command"]]
    r = run_cli(*args)
    assert r.returncode == 2, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{r.stderr}"
    line = lines[0]
    where = case.get("where", str(shown))
    prefix = f"error: {where}" + (f":{case['line']}" if case.get("line") else "") + ": "
    assert line.startswith(prefix), f"{line!r} does not start with {prefix!r}"
    assert re.search(case["message"], line), f"{line!r} does not match {case['message']!r}"
    for created in case.get("creates", []):
        assert not Path(_fill(created, shown, tmp_path)).exists(), f"{created} was written"
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name]


def test_suite_covers_every_kind_of_input():
    kinds = {c["case"].split("_")[0] for c in CASES}
    assert len(CASES) >= 30
    assert {"bib", "ris", "csljson", "scopus", "wos", "codebook", "segments", "params", "qdpx"} <= kinds
