"""Fixtures shared by the coding tests: the small codebook and corpus of tests/fixtures/coding/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.core.codebook import load_codebook

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(FIX / "codebook.yml")


@pytest.fixture(scope="module")
def corpus():
    return pd.read_csv(FIX / "corpus.csv", dtype={"year": "Int64"})
