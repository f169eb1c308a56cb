"""Notebook 04 holds calls, not logic (issue 28 item 5): stage 04's logic is in revalign.alignment.

The rule of tests/unit/coding/test_notebook03.py and tests/unit/report/test_notebook05.py: a statement counts as a
call when it is an import, a call or an assignment of a call whose arguments hold no comprehension, lambda,
conditional or f-string (printed words come from the catalog, through revalign.alignment.views).
"""

from __future__ import annotations

import ast
from pathlib import Path

from notebook_rules import is_call, statements

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "04_alignment.ipynb"
PIPELINE_CELLS = {"nb04-params", "nb04-setup"}  # the pipeline helper's cells


def test_the_alignment_cells_are_calls_only():
    own = [(cid, node) for cid, node in statements(NOTEBOOK) if cid not in PIPELINE_CELLS]
    assert len(own) >= 20  # inputs, analysis, tables, figures, robustness
    assert [(cid, ast.unparse(n)[:60]) for cid, n in own if not is_call(n)] == []


def test_the_rule_finds_logic():
    # hand-made statements: two calls, then a loop, an f-string print and an assignment of a value
    tree = ast.parse('r = analyse(x)\nprint(describe(r))\nfor x in y:\n    pass\nprint(f"{x}")\nn = 3\n')
    assert [is_call(n) for n in tree.body] == [True, True, False, False, False]
