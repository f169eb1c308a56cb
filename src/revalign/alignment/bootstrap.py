"""Uncertainty of each level: a bootstrap over the cited sources (docs/protocol.md, section 5).

The sources (not the rows) are the sampled units: the review could have found other
sources. One replicate draws as many sources as there are distinct cited sources, with
replacement, from all of them (one draw shared by every dimension); a source drawn m
times contributes m times its weight share to each of its units; units whose sources
were all left out drop out. The level rule is applied to each replicate, and the share of
replicates giving a level is that level's probability, *given this coding and this rule*.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from revalign.alignment.rule import NO_EVIDENCE, Judgement, judge_units, level_ids
from revalign.alignment.units import compile_units, evidence_units, sources_of, split_synthesis
from revalign.core.codebook import Codebook
from revalign.core.config import Alignment
from revalign.core.progress import progress

BOOTSTRAP_COLUMNS = ["dimension", "level", "n", "probability"]


def replicates(
    segs: pd.DataFrame, cb: Codebook, p: Alignment, dimensions: Sequence[str], source_types: dict[str, str]
) -> Iterator[dict[str, Judgement]]:
    """Each bootstrap replicate's judgement per dimension (seeded: the same on every run)."""
    counted, _ = split_synthesis(segs, p)
    units = evidence_units(counted, cb, p)
    pool = sources_of(units)
    by_dim = {d: compile_units(units[units["dimension"] == d]) for d in dimensions}
    rng = np.random.default_rng(p.bootstrap.seed)
    for _ in range(p.bootstrap.replicates if pool else 0):
        draw = np.bincount(rng.integers(0, len(pool), len(pool)), minlength=len(pool))
        mult = {s: int(k) for s, k in zip(pool, draw, strict=False) if k}
        yield {d: judge_units(by_dim[d], cb, p, source_types, mult) for d in dimensions}


def bootstrap_levels(
    segs: pd.DataFrame, cb: Codebook, p: Alignment, dimensions: Sequence[str], source_types: dict[str, str]
) -> pd.DataFrame:
    """Probability of each level per dimension when the cited sources are resampled.

    Returns one row per dimension and level id (``no_evidence`` included when it occurs):
    ``n`` replicates and ``probability``. Seeded by ``alignment.bootstrap.seed``.
    """
    ids = level_ids(cb)
    counts: dict[str, dict[str, int]] = {d: {} for d in dimensions}
    reps = 0
    bar = progress(replicates(segs, cb, p, dimensions, source_types), desc="bootstrap", total=p.bootstrap.replicates)
    for rep in bar:
        reps += 1
        for d, j in rep.items():
            lv = ids[j.rank]
            counts[d][lv] = counts[d].get(lv, 0) + 1
    order = [NO_EVIDENCE] + [lv.id for lv in sorted(cb.levels, key=lambda lv: lv.rank)]
    rows = []
    for d in dimensions:
        for lv in order:
            n = counts[d].get(lv, 0)
            if n or lv != NO_EVIDENCE:
                rows.append({"dimension": d, "level": lv, "n": n, "probability": round(n / reps, 4) if reps else 0.0})
    return pd.DataFrame(rows, columns=BOOTSTRAP_COLUMNS)
