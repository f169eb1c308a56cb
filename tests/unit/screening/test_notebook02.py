"""Notebook 02 holds calls, not logic (issue 28 item 5), and passes ruff like the package.

The rule is tests/notebook_rules.py's (shared with notebooks 01, 03, 04 and 05): a statement counts as a
call when it is an import, a call or an assignment of a call whose arguments hold no comprehension,
lambda, conditional or f-string (printed words come from the catalog, through revalign.screening.stage).
The parameters and setup cells are the pipeline's.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from notebook_rules import is_call, statements

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "02_screening.ipynb"
PIPELINE_CELLS = {"nb02-params", "nb02-setup"}


def test_the_notebook_has_its_cells():
    # the cell ids the rule skips are the notebook's own (a renamed cell would escape the rule otherwise)
    ids = [c["id"] for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert set(ids) >= PIPELINE_CELLS and len(ids) >= 6


def test_the_stage_cells_are_calls_only():
    own = [(cid, n) for cid, n in statements(NOTEBOOK) if cid not in PIPELINE_CELLS]
    # criteria, run, outcome, excluded, agreement, variants, counts, flow, notes (and two imports)
    assert len(own) >= 9
    assert [(cid, ast.unparse(n)[:60]) for cid, n in own if not is_call(n)] == []
    # the non-parameter cells: at most 10 % of their statement lines are not calls
    lines = [(n.end_lineno - n.lineno + 1, is_call(n)) for cid, n in statements(NOTEBOOK) if cid != "nb02-params"]
    assert sum(n for n, call in lines if not call) <= 0.10 * sum(n for n, _ in lines)


def test_the_rule_finds_logic_of_the_kind_a_screening_cell_would_hold():
    # hand-made: a call with a starred call (as nb02-variants), then what would be logic in a screening cell:
    # a filter by comparison, a loop over records, a conditional print, a count built in the notebook
    tree = ast.parse(
        "show(*variants_table(result))\n"
        'kept = result.records[result.records["decision"] == "include"]\n'
        "for r in records:\n    print(r)\n"
        'print("a" if n else "b")\n'
        "n = len([r for r in records if r])\n"
    )
    assert [is_call(n) for n in tree.body] == [True, False, False, False, False]


def test_the_notebook_passes_ruff():
    ruff = str(Path(sys.executable).with_name("ruff"))
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        r = subprocess.run([ruff, *args, str(NOTEBOOK)], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
