"""The citation file and the licence agree with pyproject.toml (one version, one licence)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_citation_cff_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == project["name"]
    assert str(cff["version"]) == project["version"]
    assert cff["license"] == project["license"]["text"] == "MIT"
    assert cff["authors"] == [{"name": "revalign contributors"}]


def test_license_file_is_mit():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 revalign contributors" in text
