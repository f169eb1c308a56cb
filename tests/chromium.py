"""The system Chromium the browser tests drive through playwright (tests/browser/, the hostile-notes
test of tests/security/): where it is, the flags it needs here, installing it with the project's own
script, and one launched browser. playwright's own browser download is never used."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# what Chromium needs on a machine without a display or a network beyond the package registries
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ensure_chromium() -> Path:
    """The system Chromium, installed by scripts/install_chromium.sh when missing; the test is
    skipped (saying why) only when that install fails."""
    if not CHROMIUM.exists():
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "install_chromium.sh")], capture_output=True, text=True)
        if proc.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(f"Chromium is not installed and could not be installed: {(proc.stderr or proc.stdout)[-300:]}")
    return CHROMIUM


@contextmanager
def launched(chromium: Path | None = None) -> Iterator:
    """A headless playwright Browser on the system Chromium, closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium or ensure_chromium()), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
