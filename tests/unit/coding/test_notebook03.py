"""Notebook 03 holds calls, not logic (issue 28 item 5), and its figures' helper writes only figures.

A statement counts as a call when it is an import, a call (``f(...)``) or an assignment of a call
(``x = f(...)``); anything else (a loop, a condition, a comprehension, an assignment of a value)
is logic that belongs in the package, where it is tested; so is a call whose arguments hold a
comprehension, a lambda, a conditional expression or an f-string (prose belongs in the catalog).
"""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib

from notebook_rules import is_call, statements

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from revalign.coding import stage

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "03_coding.ipynb"
OWN_CELLS_SKIPPED = {"nb03-params", "nb03-setup"}  # the pipeline's cells: parameters and setup


def test_the_stage_cells_are_calls_only():
    logic = [
        (cid, ast.unparse(n)[:60]) for cid, n in statements(NOTEBOOK) if cid not in OWN_CELLS_SKIPPED and not is_call(n)
    ]
    assert logic == []
    lines = [(n.end_lineno - n.lineno + 1, is_call(n)) for _, n in statements(NOTEBOOK)]
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
