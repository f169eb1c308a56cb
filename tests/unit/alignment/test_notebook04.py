"""Notebook 04 holds calls, not logic (issue 28 item 5): stage 04's logic is in revalign.alignment.

The rule of tests/unit/coding/test_notebook03.py and tests/unit/report/test_notebook05.py: a statement counts as a
call when it is an import, a call or an assignment of a call whose arguments hold no comprehension, lambda,
conditional or f-string (printed words come from the catalog, through revalign.alignment.views).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "04_alignment.ipynb"
PIPELINE_CELLS = {"nb04-params", "nb04-setup"}  # the pipeline helper's cells
LOGIC_INSIDE = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.IfExp, ast.JoinedStr)


def is_call(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    value = getattr(node, "value", None)
    if not (isinstance(node, (ast.Expr, ast.Assign)) and isinstance(value, ast.Call)):
        return False
    return not any(isinstance(n, LOGIC_INSIDE) for n in ast.walk(value))


def test_the_alignment_cells_are_calls_only():
    cells = [c for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    own = [
        (c["id"], node) for c in cells if c["id"] not in PIPELINE_CELLS for node in ast.parse("".join(c["source"])).body
    ]
    assert len(own) >= 20  # inputs, analysis, tables, figures, robustness
    assert [(cid, ast.unparse(n)[:60]) for cid, n in own if not is_call(n)] == []


def test_the_rule_finds_logic():
    # hand-made statements: two calls, then a loop, an f-string print and an assignment of a value
    tree = ast.parse('r = analyse(x)\nprint(describe(r))\nfor x in y:\n    pass\nprint(f"{x}")\nn = 3\n')
    assert [is_call(n) for n in tree.body] == [True, True, False, False, False]
