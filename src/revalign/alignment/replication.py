"""Judging the replication of a published table (docs/protocol.md, section 4).

A level reproduces the published level when the level ids are identical; nothing else
counts. The published level is joined to Table 1 after the rule has run
(:mod:`revalign.alignment.table1`); this module summarises the comparison.
"""

from __future__ import annotations

import pandas as pd


def replication_summary(table: pd.DataFrame) -> dict:
    """How many published levels the evidence reproduces (exact level match), and which differ."""
    comp = table[table["published_level"].astype(str) != ""]
    matched = comp[comp["matches_published"].fillna(False).astype(bool)]
    prob = comp["level_probability"] if "level_probability" in comp.columns else pd.Series(pd.NA, index=comp.index)
    return {
        "n_compared": len(comp),
        "n_reproduced": len(matched),
        "differ": [
            {"dimension": r.dimension, "level": r.level, "published_level": r.published_level}
            for r in comp.itertuples()
            if not bool(r.matches_published)
        ],
        "level_probability": {
            d: (None if pd.isna(v) else float(v)) for d, v in zip(comp["dimension"], prob, strict=False)
        },
    }


def expected_reproduced(table: pd.DataFrame, boot: pd.DataFrame) -> float:
    """Expected number of published levels reproduced under the bootstrap: sum of P(published level)."""
    total = 0.0
    for r in table.itertuples():
        if str(r.published_level):
            hit = boot[(boot["dimension"] == r.dimension) & (boot["level"] == r.published_level)]["probability"]
            total += float(hit.iloc[0]) if len(hit) else 0.0
    return total
