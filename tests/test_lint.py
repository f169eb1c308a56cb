"""ruff lint and format checks over the code and the notebooks' code cells (configuration in pyproject.toml, [tool.ruff]).

Runs the ``ruff`` installed next to this interpreter (a dev dependency in requirements.lock),
so ``make test`` and a plain ``pytest`` check the same thing as ``ruff check`` by hand.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["src", "tests", "benchmarks", "notebooks"]  # the notebooks' code cells too (issue 28 item 5)


def _ruff(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("ruff")
    ruff = str(exe) if exe.exists() else shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: run `make env` (it is a dev dependency in requirements.lock)")
    return subprocess.run([ruff, *args, *PATHS], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_check():
    r = _ruff("check", "--no-cache", "--output-format", "concise")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format():
    r = _ruff("format", "--check", "--no-cache")
    assert r.returncode == 0, r.stdout + r.stderr
