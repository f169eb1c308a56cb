"""vocabulary_check.json of stage 03 (revalign.coding.vocabulary_summary): its keys, values and text.

The result dict is written by hand (the shape of ``agreement.vocabulary_check``'s return), so
every expected value below is read off it.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from revalign.coding import vocabulary_summary as summary
from revalign.core.errors import InputError

COUNTS = {"segments": 4, "claims": 3}


def result():
    per_dim = pd.DataFrame(
        [
            {"dimension": "a", "n_human": 2, "n_auto": 2, "n_both": 2, "agreement": 1.0, "kappa": 1.0, "note": ""},
            {"dimension": "b", "n_human": 2, "n_auto": 1, "n_both": 1, "agreement": 0.75, "kappa": math.nan,
             "note": "one category"},
        ]
    )  # fmt: skip
    return {
        "n_units": 4,
        "n_auto_none": 1,
        "observed_agreement": 0.75,
        "kappa_overall": {"value": 2 / 3, "reason": None},
        "alpha_nominal": {"value": math.nan, "reason": "one category"},
        "per_dimension": per_dim,
    }


def test_build_has_every_key_in_order_as_plain_json():
    data = summary.build(result(), COUNTS)
    assert tuple(data) == summary.KEYS == (
        "comparison", "counts", "n_units", "n_auto_none", "observed_agreement", "kappa_overall", "alpha_nominal",
        "per_dimension",
    )  # fmt: skip
    assert data["comparison"] == summary.COMPARISON
    assert data["counts"] == COUNTS
    assert data["kappa_overall"] == {"value": 0.666667, "reason": None}  # 2/3 rounded to 6 decimals
    assert data["alpha_nominal"] == {"value": None, "reason": "one category"}  # NaN -> null
    assert data["per_dimension"][1]["kappa"] is None
    assert data["per_dimension"][0] == {
        "dimension": "a", "n_human": 2, "n_auto": 2, "n_both": 2, "agreement": 1.0, "kappa": 1.0, "note": "",
    }  # fmt: skip
    json.dumps(data, allow_nan=False)  # strictly valid JSON


def test_build_refuses_an_incomplete_result():
    r = result()
    del r["alpha_nominal"]
    with pytest.raises(ValueError, match="alpha_nominal"):
        summary.build(r, COUNTS)


def test_write_then_read_round_trip(tmp_path):
    path = summary.write(tmp_path / "vocabulary_check.json", result(), COUNTS)
    assert summary.read(path) == summary.build(result(), COUNTS)


def test_read_rejects_bad_files(tmp_path):
    p = tmp_path / "vocabulary_check.json"
    p.write_text('{"comparison": "x",\n  "counts": }\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        summary.read(p)
    assert exc.value.line == 2 and "not valid JSON" in exc.value.message
    p.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON object"):
        summary.read(p)
    p.write_text('{"comparison": "x", "counts": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="missing n_units, n_auto_none, observed_agreement"):
        summary.read(p)


def test_summary_text():
    lines = summary.summary_text(result(), 7, "data/processed/autocoder_disagreements.csv").splitlines()
    assert lines[:4] == [
        "segments: 4, coded 'none' by the keyword matcher: 1",
        "observed agreement: 0.75",
        "Cohen's kappa (all components): 0.67",
        "Krippendorff's alpha (nominal): undefined (one category)",
    ]
    table = "\n".join(lines[5:8])
    assert "undefined" in lines[7] and "0.75" in lines[7]  # row b: kappa NaN, agreement 0.75
    assert "1.00" in lines[6]  # row a
    assert "dimension" in lines[5] and "note" in lines[5], table
    assert lines[-1] == "7 disagreements written to data/processed/autocoder_disagreements.csv"
