"""The tests under tests/unit that are integration tests (tests/integration_tests.txt), read for
tests/conftest.py (which marks them) and tests/unit/test_integration_list.py (which checks the list).
A module of its own: ``from conftest import ...`` in a test may find another conftest.py first."""

from __future__ import annotations

from pathlib import Path

INTEGRATION_LIST = Path(__file__).with_name("integration_tests.txt")


def integration_ids() -> list[str]:
    """The node ids tests/integration_tests.txt names (comments and blank lines left out)."""
    lines = INTEGRATION_LIST.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
