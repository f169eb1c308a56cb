"""Fixtures for every test: ``root`` (the repository) and ``cli`` (see cli_runner.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import ROOT, run_cli


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def cli():
    """``cli(*args, cwd=None, env=None)``: ``python -m revalign ARGS`` run in-process (cli_runner.run_cli)."""
    return run_cli
