"""Running make in a copy of the project, for the tests of the Makefile (tests/e2e/test_make.py,
tests/security/test_make_injection.py). Test modules import it like cli_runner (tests/ is on
``sys.path`` because tests/conftest.py is there)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV_FILES = ("requirements.lock", "pyproject.toml", "scripts/install_kernel.py")


def link_environment(tmp: Path) -> None:
    """Use the project's .venv from the copy, without ever letting make rebuild it from there.

    The copy gets its own copy of the environment stamp (same time as the original), passed
    as ENV_STAMP; the original must be up to date, or `make env` would run in the copy and
    point the shared environment at it.
    """
    stamp = ROOT / ".venv" / ".revalign-env"
    if not stamp.exists() or any((ROOT / f).stat().st_mtime > stamp.stat().st_mtime for f in ENV_FILES):
        pytest.fail("the environment is out of date: run `make env` first")
    (tmp / ".venv").symlink_to(ROOT / ".venv")
    shutil.copy2(stamp, tmp / ".env-stamp")


def make_env(tmp: Path) -> dict:
    """The environment of a command run in the copy *tmp*: no outer make's flags, and the copy's
    package on PYTHONPATH (not the editable install's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env["PYTHONPATH"] = str(tmp / "src")
    return env


def make(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    """``make ARGS`` in the copy *tmp*, with its own environment stamp."""
    return subprocess.run(
        ["make", "--no-print-directory", "ENV_STAMP=.env-stamp", *args],
        cwd=tmp,
        capture_output=True,
        text=True,
        env=make_env(tmp),
    )
