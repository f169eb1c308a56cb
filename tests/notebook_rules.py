"""The rule "a stage notebook holds calls, not logic" (issue 28 item 5), shared by the tests of
notebooks 01, 03, 04 and 05 (tests/ is on ``sys.path`` because tests/conftest.py is there).

A statement counts as a call when it is an import, a call (``f(...)``) or an assignment of a call
(``x = f(...)``) whose arguments hold no comprehension, lambda, conditional expression or f-string
(printed words come from the catalog, through the stage's views); anything else is logic that
belongs in the package, where it is tested.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

LOGIC_INSIDE = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.IfExp, ast.JoinedStr)


def is_call(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    value = getattr(node, "value", None)
    if not (isinstance(node, (ast.Expr, ast.Assign)) and isinstance(value, ast.Call)):
        return False
    return not any(isinstance(n, LOGIC_INSIDE) for n in ast.walk(value))


def statements(notebook: Path) -> Iterator[tuple[str, ast.stmt]]:
    """(cell id, statement) of every code cell of *notebook*, in order."""
    cells = [c for c in json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for cell in cells:
        for node in ast.parse("".join(cell["source"])).body:
            yield cell["id"], node
