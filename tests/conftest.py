"""Fixtures for every test: ``root`` (the repository) and ``cli`` (see cli_runner.py); and the
``integration`` mark on the tests tests/integration_tests.txt names (``make unit`` leaves them out); the
``unit`` mark on every test under tests/unit (``make test`` runs ``make unit``, timed on its own, then
``-m "not unit or integration"``: each test once)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_runner import ROOT, run_cli
from integration_list import integration_ids


def _matches(nodeid: str, listed: str) -> bool:
    return nodeid == listed or nodeid.startswith((listed + "[", listed + "::"))


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect: every collected test is seen here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the listed tests ``integration``; a listed test of a collected file that matches nothing
    (renamed, removed) is an error, so the list cannot silently go stale (not checked when single tests
    are asked for by node id)."""
    listed = integration_ids()
    files = {item.nodeid.split("::", 1)[0] for item in items}
    used: set[str] = set()
    for item in items:
        if item.nodeid.startswith("tests/unit/"):
            item.add_marker(pytest.mark.unit)
        for entry in listed:
            if _matches(item.nodeid, entry):
                item.add_marker(pytest.mark.integration)
                used.add(entry)
    if any("::" in str(arg) for arg in config.args):
        return
    stale = [e for e in listed if e not in used and e.split("::", 1)[0] in files]
    if stale:
        raise pytest.UsageError(f"tests/integration_tests.txt names tests that do not exist: {', '.join(stale)}")


@pytest.fixture
def run_root(tmp_path: Path) -> Path:
    """A copy of the finished run in tests/fixtures/report (its params/default.yml, raw inputs and
    every stage's outputs) as a project root, for the tests of the report and of stage 01's summaries."""
    run = tmp_path / "run"
    shutil.copytree(ROOT / "tests" / "fixtures" / "report", run)
    (run / "pyproject.toml").write_text("")
    return run


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def cli():
    """``cli(*args, cwd=None, env=None)``: ``python -m revalign ARGS`` run in-process (cli_runner.run_cli)."""
    return run_cli
