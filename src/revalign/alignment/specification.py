"""The specification table (a multiverse): Table 1 under every combination of the declared coding decisions.

Each decision of the review's decisions file (:mod:`revalign.alignment.decisions`) is taken
as chosen or as its alternative; every combination is one *specification* (2^k of them for
k decisions). The rule (without the bootstrap) gives each dimension's level under each.
``P/specification.csv`` has one row per specification and dimension; :func:`flips` says, for
each decision taken alone, which dimensions' levels it changes, and :func:`level_shares`
the share of all specifications that give each level. It sits beside the parameter grid of
:mod:`revalign.alignment.sensitivity`, which varies the rule's thresholds instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from revalign.alignment.decisions import CodingDecisions, apply
from revalign.alignment.mapping import map_segments
from revalign.alignment.rule import level_ids, levels_for
from revalign.core.codebook import Codebook
from revalign.core.config import Alignment

SPEC_COLUMNS = ["specification", "n_alternatives", "alternatives", "dimension", "level", "chosen_level", "differs"]
MAX_DECISIONS = 10  # 1,024 specifications


def specifications(decisions: CodingDecisions) -> list[tuple[str, ...]]:
    """Every combination of decisions taken as their alternative, the chosen coding (none) first."""
    ids = decisions.ids[:MAX_DECISIONS]
    out: list[tuple[str, ...]] = []
    for k in range(len(ids) + 1):
        out += list(itertools.combinations(ids, k))
    return out


def specification_table(
    segs: pd.DataFrame,
    cb: Codebook,
    p: Alignment,
    dimensions: Sequence[str],
    source_types: dict[str, str],
    decisions: CodingDecisions,
    synthesis_keys: set[str],
    mapped: bool = False,
) -> pd.DataFrame:
    """One row per specification and dimension (columns :data:`SPEC_COLUMNS`).

    *segs* are the segments as coded (on the reference codebook when *mapped*; the
    decisions refer to them); *cb* is the run's codebook.
    """
    ids = level_ids(cb)
    rows = []
    chosen: dict[str, str] = {}
    for i, spec in enumerate(specifications(decisions)):
        s, q = apply(segs, p, [decisions.get(d) for d in spec], cb, synthesis_keys)
        if mapped:
            s = map_segments(s, cb)
        levels = {d: ids[r] for d, r in levels_for(s, dimensions, source_types, q, cb).items()}
        if i == 0:
            chosen = levels
        for d in dimensions:
            rows.append(
                {
                    "specification": i,
                    "n_alternatives": len(spec),
                    "alternatives": "; ".join(spec),
                    "dimension": d,
                    "level": levels[d],
                    "chosen_level": chosen[d],
                    "differs": levels[d] != chosen[d],
                }
            )
    return pd.DataFrame(rows, columns=SPEC_COLUMNS)


def flips(spec: pd.DataFrame, decisions: CodingDecisions) -> pd.DataFrame:
    """Per decision and dimension: the level when only that decision takes its alternative, and whether it differs."""
    alone = spec[spec["n_alternatives"] == 1]
    rows = []
    for d in decisions.ids[:MAX_DECISIONS]:
        for r in alone[alone["alternatives"] == d].itertuples():
            rows.append({"decision": d, "dimension": r.dimension, "level": r.level, "differs": bool(r.differs)})
    return pd.DataFrame(rows, columns=["decision", "dimension", "level", "differs"])


def flipping_decisions(spec: pd.DataFrame | None, decisions: CodingDecisions | None) -> dict[str, list[str]] | None:
    """Dimension -> the decisions whose alternative alone changes its level (None: no decisions declared)."""
    if spec is None or decisions is None:
        return None
    f = flips(spec, decisions)
    out: dict[str, list[str]] = {d: [] for d in spec["dimension"].unique()}
    for r in f[f["differs"]].itertuples():
        out[r.dimension].append(r.decision)
    return out


def level_shares(spec: pd.DataFrame) -> pd.DataFrame:
    """Per dimension and level: the share of all specifications that give it (``chosen``: the chosen coding's)."""
    n = spec["specification"].nunique()
    rows = []
    for d, g in spec.groupby("dimension", sort=False):
        chosen = g["chosen_level"].iloc[0]
        for level, k in g["level"].value_counts(sort=False).items():
            rows.append({"dimension": d, "level": level, "n_specifications": int(k), "share": round(k / n, 4),
                         "chosen": level == chosen})  # fmt: skip
    return pd.DataFrame(rows, columns=["dimension", "level", "n_specifications", "share", "chosen"])
