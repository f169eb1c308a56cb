"""tests/integration_tests.txt: the tests under tests/unit that `make unit` leaves out and `make test` runs.

Each line must name a test that exists (else a renamed test would silently come back into make unit, or
a removed one linger in the list), and the Makefile must leave out exactly the marked tests in `make unit`
and none in `make test`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from integration_list import integration_ids

ROOT = Path(__file__).resolve().parents[2]


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_listed_test_exists():
    listed = integration_ids()
    assert len(listed) >= 30
    missing = []
    for entry in listed:
        file, _, name = entry.partition("::")
        path = ROOT / file
        if not path.is_file() or (name and name.split("[")[0] not in _functions(path)):
            missing.append(entry)
    assert missing == []


def test_make_unit_leaves_out_the_integration_tests_and_make_test_runs_each_test_once():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    unit = re.search(r"^unit:.*\n\t(.*)\n", makefile, re.M)
    test = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert unit and '-m "not integration"' in unit.group(1) and "tests/unit" in unit.group(1)
    # make test runs make unit (its time on a line of its own in the CI log), then the complement of
    # what make unit selects among the tests under tests/unit (marked unit by conftest.py): the rest
    assert test and "$(MAKE) --no-print-directory unit" in test.group(1)
    rest = [line for line in test.group(1).splitlines() if "pytest tests " in line]
    assert len(rest) == 1 and '-m "not unit or integration"' in rest[0]
