import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


def run_cli(*args, cwd=None, env=None):
    """Run ``python -m revalign ARGS`` and return the CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    full_env.pop("FORCE_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "revalign", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=full_env,
    )


@pytest.fixture
def cli():
    return run_cli
