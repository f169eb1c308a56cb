"""Notebook 01 holds calls, not logic (issue 28 item 5), and passes ruff like the package.

The rule of tests/unit/coding/test_notebook03.py: a statement counts as a call when it is an import,
a call or an assignment of a call whose arguments hold no comprehension, lambda, conditional or
f-string (printed words come from the catalog, through revalign.bibliography.stage). The parameters
and setup cells are the pipeline's.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from notebook_rules import is_call, statements

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "01_bibliography.ipynb"
PIPELINE_CELLS = {"nb01-params", "nb01-setup"}


def test_the_stage_cells_are_calls_only():
    own = [(cid, n) for cid, n in statements(NOTEBOOK) if cid not in PIPELINE_CELLS]
    assert len(own) >= 6  # import, summary, tables, audit, figures, notes
    assert [(cid, ast.unparse(n)[:60]) for cid, n in own if not is_call(n)] == []
    # the non-parameter cells: at most 10 % of their statement lines are not calls
    lines = [(n.end_lineno - n.lineno + 1, is_call(n)) for cid, n in statements(NOTEBOOK) if cid != "nb01-params"]
    assert sum(n for n, call in lines if not call) <= 0.10 * sum(n for n, _ in lines)


def test_the_rule_finds_logic():
    # hand-made: two calls, then a loop, an f-string print, a dict of lambdas and an assignment of a value
    tree = ast.parse('r = run(cfg)\nshow(r)\nfor x in y:\n    pass\nprint(f"{x}")\nd = {"a": lambda: 1}\nn = 3\n')
    assert [is_call(n) for n in tree.body] == [True, True, False, False, False, False]


def test_the_notebook_passes_ruff():
    ruff = str(Path(sys.executable).with_name("ruff"))
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        r = subprocess.run([ruff, *args, str(NOTEBOOK)], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
