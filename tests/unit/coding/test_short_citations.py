"""Short citations for figure labels: formatted only for the keys a figure looks up (issue 27).

Expected labels written by hand from the rule: one author "Family YEAR", two "A & B YEAR",
three or more "A et al. YEAR", an organisation by its whole name, no year "n.d.", no author
the record id.
"""

from __future__ import annotations

import pandas as pd
import pytest

from revalign.coding import matrices


def corpus() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": ["one", "two", "three", "org", "anon"],
            "authors": ["Smith, Ann", "Smith, Ann; Lee, Kim", "Wang, Wei; Li, Na; Kim, Jo", "{UNESCO}", None],
            "year": [2020, 2021, pd.NA, 2019, 2018],
        }
    )


def test_labels_by_the_rule():
    labels = matrices.short_citations(corpus())
    assert labels["one"] == "Smith 2020"
    assert labels["two"] == "Smith & Lee 2021"
    assert labels["three"] == "Wang et al. n.d."
    assert labels["org"] == "UNESCO 2019"
    assert labels["anon"] == "anon 2018"
    assert labels.get("missing", "missing") == "missing"
    with pytest.raises(KeyError):
        labels["missing"]
    assert len(labels) == 5 and list(labels) == ["one", "two", "three", "org", "anon"]


def test_only_the_keys_looked_up_are_formatted(monkeypatch):
    calls = []
    real = matrices.short_citation
    monkeypatch.setattr(matrices, "short_citation", lambda *a: calls.append(a[2]) or real(*a))
    big = pd.concat([corpus()] * 2000, ignore_index=True)
    big["record_id"] = [f"r{i}" for i in range(len(big))]
    labels = matrices.short_citations(big)
    assert labels.get("r1") == "Smith & Lee 2021" and labels.get("r1") == "Smith & Lee 2021"
    assert calls == ["r1"]  # one of 10,000 works formatted, once
