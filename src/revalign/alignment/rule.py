"""From evidence units to an alignment level: one rule, the same for every dimension.

The rule is fixed in ``docs/protocol.md`` (section 3), written before it was run; this
module implements it. The evidence units it counts are defined in
:mod:`revalign.alignment.units`.

Levels as data (two-part rule)
==============================
A codebook whose levels carry ``when`` conditions defines its levels by the grades of the
evidence *parts* (its facets, e.g. concept and practice). For one dimension and one part::

    S = sum(w of strength units) + mixed_share * sum(w of mixed units)
    G = sum(w of gap units)      + (1 - mixed_share) * sum(w of mixed units)
    s = S / (S + G)                                 (no units: grade ``none``)

The codebook's ``part_grades`` list (top first) gives each grade a lower bound on *s*,
inclusive unless ``strict: true``; the first grade whose bound *s* meets is the part's
grade. Levels are then tried from the highest rank down; a level's ``when`` maps parts to
the grades it allows (a part not named allows any grade); the first level whose condition
holds is the level, and the level without ``when`` takes everything else. With
``context_weighting: true`` each unit's weight is multiplied by its context's weight (the
codebook's ``weight:`` on each context term); by default it is not (relevance is judged
in the confidence rating instead).

Single-score rule (codebooks whose levels have no ``when``)
===========================================================
As before the two-part rule existed: ``w = facet weight x context weight`` (the codebook's
term weights, overridable by ``alignment.facet_weights`` / ``context_weights``), the
balance ``b = (S - G) / (S + G)`` over all units, and the rank is the number of
``alignment.thresholds`` that *b* strictly exceeds.

Corroboration (both rules)
==========================
The top level needs ``top_min_sources`` distinct cited sources with strength or mixed
evidence from ``top_min_source_types`` source types; the bottom level needs
``bottom_min_sources`` sources with gap or mixed evidence. An extreme level without its
corroboration moves one step towards the middle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from revalign.alignment.units import (
    Units,
    compile_units,
    effective_weights,
    evidence_units,
    facet_weights,
    split_synthesis,
    strength_gap,
    two_part,
    uses_context_weights,
)
from revalign.core.codebook import GAP, MIXED, NONE_GRADE, STRENGTH, Codebook, PartGrade
from revalign.core.config import Alignment

NO_EVIDENCE = "no_evidence"
UNKNOWN_TYPE = "unknown"


def grade_of(s: float, g: float, grades: Sequence[PartGrade], shift: float = 0.0) -> str:
    """The part grade of strength S and gap G from the codebook's ``part_grades`` (top first)."""
    if s + g <= 0:
        return NONE_GRADE
    share = round(s / (s + g), 9)
    for gr in grades:
        bound = min(1.0, max(0.0, gr.min_share + shift)) if gr.min_share > 0 else gr.min_share
        if (share > bound) if gr.strict else (share >= bound):
            return gr.id
    return grades[-1].id


def level_from_grades(grades: dict[str, str], cb: Codebook) -> int:
    """Rank of the first level (from the top) whose ``when`` the part grades satisfy."""
    for lv in sorted(cb.levels, key=lambda lv: -lv.rank):
        if lv.when is None:
            return lv.rank
        if all(grades.get(part, NONE_GRADE) in allowed for part, allowed in lv.when.items()):
            return lv.rank
    return min(lv.rank for lv in cb.levels)


@dataclass
class Judgement:
    """The rule's result for one dimension: the rank (None: no evidence) and how it was reached."""

    rank: int | None  # None: no evidence
    rank_before: int | None
    s: float
    g: float
    b: float | None
    note: str
    grades: dict[str, str] = field(default_factory=dict)
    parts: dict[str, tuple[float, float]] = field(default_factory=dict)


def _corroborate(
    rank: int, top: int, u: Units, weights: list[float], source_types: dict[str, str], p: Alignment
) -> tuple[int, str]:
    c = p.corroboration

    def sources(pols):
        return {
            s for pol, w, srcs in zip(u.role, weights, u.sources, strict=False) if w > 0 and pol in pols for s in srcs
        }

    if rank == top:
        srcs = sources((STRENGTH, MIXED))
        types = {source_types.get(k, UNKNOWN_TYPE) for k in srcs}
        if len(srcs) >= c.top_min_sources and len(types) >= c.top_min_source_types:
            return rank, f"met ({len(srcs)} sources, {len(types)} source types)"
        return rank - 1, f"top level not corroborated ({len(srcs)} sources, {len(types)} source types)"
    if rank == 0:
        srcs = sources((GAP, MIXED))
        types = {source_types.get(k, UNKNOWN_TYPE) for k in srcs}
        if len(srcs) >= c.bottom_min_sources and len(types) >= c.bottom_min_source_types:
            return rank, f"met ({len(srcs)} sources, {len(types)} source types)"
        return min(1, top), f"bottom level not corroborated ({len(srcs)} sources, {len(types)} source types)"
    return rank, "not needed"


def judge_units(
    units: pd.DataFrame | Units,
    cb: Codebook | None,
    p: Alignment,
    source_types: dict[str, str],
    mult: dict[str, int] | None = None,
) -> Judgement:
    """Apply the rule to the evidence units of one dimension (optionally resampled by *mult*)."""
    u = units if isinstance(units, Units) else compile_units(units)
    w = effective_weights(u, mult)
    if uses_context_weights(cb, p):
        w = [x * c for x, c in zip(w, u.context_weight, strict=False)]
    parted = two_part(cb)
    if not parted:
        fw = facet_weights(cb, p)
        w = [x * fw.get(f, 1.0) for x, f in zip(w, u.facet, strict=False)]
    s, g = strength_gap(u.role, w, p.mixed_share)
    if s + g <= 0:
        return Judgement(None, None, s, g, None, "no evidence")
    b = (s - g) / (s + g)
    top = max(lv.rank for lv in cb.levels) if cb is not None and cb.levels else len(p.thresholds)
    grades, parts = {}, {}
    if parted:
        for f in cb.parts:
            sel = [i for i, x in enumerate(u.facet) if x == f]
            ps, pg = strength_gap([u.role[i] for i in sel], [w[i] for i in sel], p.mixed_share)
            parts[f] = (ps, pg)
            grades[f] = grade_of(ps, pg, cb.part_grades, p.grade_shift)
        rank = level_from_grades(grades, cb)
    else:
        rank = sum(1 for t in p.thresholds if b > t)
    before = rank
    rank, note = _corroborate(rank, top, u, w, source_types, p)
    return Judgement(rank, before, s, g, b, note, grades, parts)


def judge(segs: pd.DataFrame, source_types: dict[str, str], p: Alignment, cb: Codebook | None = None) -> Judgement:
    """Apply the rule to the (already filtered, cited) segments of one dimension."""
    return judge_units(evidence_units(segs, cb, p), cb, p, source_types)


def levels_for(
    segs: pd.DataFrame,
    dimensions: Sequence[str],
    source_types: dict[str, str],
    p: Alignment,
    cb: Codebook | None = None,
) -> dict[str, int | None]:
    """Rank per dimension (None: no evidence). The compact entry point for sweeps."""
    counted, _ = split_synthesis(segs, p)
    units = evidence_units(counted, cb, p)
    return {d: judge_units(units[units["dimension"] == d], cb, p, source_types).rank for d in dimensions}


def level_ids(cb: Codebook) -> dict[int | None, str]:
    """Rank -> level id, and None -> ``no_evidence``."""
    ids: dict[int | None, str] = {lv.rank: lv.id for lv in cb.levels}
    ids[None] = NO_EVIDENCE
    return ids
