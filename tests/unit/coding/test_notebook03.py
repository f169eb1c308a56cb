"""Notebook 03 holds calls, not logic (issue 28 item 5), and its figures' helper writes only figures.

A statement counts as a call when it is an import, a call (``f(...)``) or an assignment of a call
(``x = f(...)``); anything else (a loop, a condition, a comprehension, an assignment of a value)
is logic that belongs in the package, where it is tested; so is a call whose arguments hold a
comprehension, a lambda, a conditional expression or an f-string (prose belongs in the catalog).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from revalign.coding import stage

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "03_coding.ipynb"
OWN_CELLS_SKIPPED = {"nb03-params", "nb03-setup"}  # the pipeline's cells: parameters and setup


LOGIC_INSIDE = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.IfExp, ast.JoinedStr)


def _is_call(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    value = getattr(node, "value", None)
    if not (isinstance(node, (ast.Expr, ast.Assign, ast.AnnAssign)) and isinstance(value, ast.Call)):
        return False
    # a call whose arguments hold a comprehension, a lambda, a conditional or an f-string is logic too
    return not any(isinstance(n, LOGIC_INSIDE) for n in ast.walk(value))


def _statements(cells):
    for cell in cells:
        tree = ast.parse("".join(cell["source"]))
        for node in tree.body:
            yield cell["id"], node


def test_the_stage_cells_are_calls_only():
    cells = [c for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    logic = [
        (cid, ast.unparse(n)[:60]) for cid, n in _statements(cells) if cid not in OWN_CELLS_SKIPPED and not _is_call(n)
    ]
    assert logic == []
    lines = [(n.end_lineno - n.lineno + 1, _is_call(n)) for _, n in _statements(cells)]
    assert sum(n for n, call in lines if not call) <= 0.10 * sum(n for n, _ in lines)


def test_show_prints_a_reason_and_writes_nothing(tmp_path, capsys):
    class Files:  # the part of revalign.pipeline.stages.StageFiles that show() uses
        class run:  # noqa: N801
            figures_dir = tmp_path

        @staticmethod
        def figure(name: str) -> str:
            return name

    stage.show("no figure: nothing to draw", "key_statistics", Files)
    assert capsys.readouterr().out == "no figure: nothing to draw\n"
    assert list(tmp_path.iterdir()) == []
    fig, _ = plt.subplots()
    stage.show(fig, "key_statistics", Files)
    plt.close(fig)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key_statistics.png", "key_statistics.svg"]
