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
corroboration moves one step towards the middle *only when the evidence meets that level's
definition* (:func:`meets_definition`); otherwise it stays and is marked not corroborated
(protocol amendment of 2026-12-07). So a level always meets its own definition, in the
point estimate and in every bootstrap replicate. Under the two-part rule the top level can
move (the next level's ``when`` often holds too); the bottom level never can (it is the
level of every case no other level covers). Under the single-score rule the levels are
disjoint bands of the balance, so corroboration only marks.
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
from revalign.core.codebook import GAP, MIXED, NONE_GRADE, STRENGTH, Codebook, Level, PartGrade
from revalign.core.config import Alignment
from revalign.core.i18n import messages

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


# What the corroboration step did (``Judgement.corroboration``).
NOT_NEEDED = "not_needed"  # a level between the extremes
MET = "met"  # an extreme level with its corroboration
MOVED = "moved"  # an extreme level without it, moved one step towards the middle (whose definition holds)
NOT_CORROBORATED = "not_corroborated"  # an extreme level without it; the next level's definition does not hold
NO_EVIDENCE_STATUS = "no_evidence"
CORROBORATION_STATUSES = (NOT_NEEDED, MET, MOVED, NOT_CORROBORATED, NO_EVIDENCE_STATUS)


@dataclass
class Judgement:
    """The rule's result for one dimension: the rank (None: no evidence) and how it was reached.

    ``corroboration`` is one of :data:`CORROBORATION_STATUSES`; ``end`` the extreme it
    concerns (``top`` or ``bottom``, empty between them); ``n_sources`` and ``n_types`` the
    corroborating sources and source types counted for that extreme.
    """

    rank: int | None  # None: no evidence
    rank_before: int | None
    s: float
    g: float
    b: float | None
    corroboration: str = NO_EVIDENCE_STATUS
    end: str = ""
    n_sources: int = 0
    n_types: int = 0
    grades: dict[str, str] = field(default_factory=dict)
    parts: dict[str, tuple[float, float]] = field(default_factory=dict)


def _when_holds(lv: Level, grades: dict[str, str]) -> bool:
    return lv.when is not None and all(grades.get(part, NONE_GRADE) in ok for part, ok in lv.when.items())


def meets_definition(rank: int, cb: Codebook | None, p: Alignment, grades: dict[str, str], b: float | None) -> bool:
    """Does the evidence (part *grades*, balance *b*) meet the definition of the level of *rank*?

    Two-part rule: a level with ``when`` is met when every part's grade is one it allows;
    the level without ``when`` ("every other case") when no level's ``when`` holds.
    Single-score rule: the level of rank k is met when *b* strictly exceeds exactly k of
    the thresholds.
    """
    if not two_part(cb):
        ranks = (
            sorted(lv.rank for lv in cb.levels) if cb is not None and cb.levels else list(range(len(p.thresholds) + 1))
        )
        return b is not None and ranks[sum(1 for t in p.thresholds if b > t)] == rank
    lv = next(x for x in cb.levels if x.rank == rank)
    if lv.when is not None:
        return _when_holds(lv, grades)
    return not any(_when_holds(x, grades) for x in cb.levels)


def _corroborating(u: Units, weights: list[float], roles: tuple[str, ...]) -> set[str]:
    """Sources of units with one of *roles* that carry weight (after resampling)."""
    return {s for pol, w, srcs in zip(u.role, weights, u.sources, strict=False) if w > 0 and pol in roles for s in srcs}


def _corroborate(
    rank: int,
    ranks: list[int],
    u: Units,
    weights: list[float],
    source_types: dict[str, str],
    p: Alignment,
    meets,
) -> tuple[int, str, str, int, int]:
    """(rank, status, end, sources, source types) after the corroboration step (module docstring)."""
    c = p.corroboration
    if len(ranks) < 2 or ranks[0] < rank < ranks[-1]:
        return rank, NOT_NEEDED, "", 0, 0
    if rank == ranks[-1]:
        end, srcs, need_s, need_t = (
            "top",
            _corroborating(u, weights, (STRENGTH, MIXED)),
            c.top_min_sources,
            c.top_min_source_types,
        )
        step = ranks[-2]
    else:
        end, srcs, need_s, need_t = (
            "bottom",
            _corroborating(u, weights, (GAP, MIXED)),
            c.bottom_min_sources,
            c.bottom_min_source_types,
        )
        step = ranks[1]
    n_types = len({source_types.get(k, UNKNOWN_TYPE) for k in srcs})
    if len(srcs) >= need_s and n_types >= need_t:
        return rank, MET, end, len(srcs), n_types
    if meets(step):
        return step, MOVED, end, len(srcs), n_types
    return rank, NOT_CORROBORATED, end, len(srcs), n_types


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
        return Judgement(None, None, s, g, None)
    b = (s - g) / (s + g)
    ranks = sorted(lv.rank for lv in cb.levels) if cb is not None and cb.levels else list(range(len(p.thresholds) + 1))
    grades, parts = {}, {}
    if parted:
        for f in cb.parts:
            sel = [i for i, x in enumerate(u.facet) if x == f]
            ps, pg = strength_gap([u.role[i] for i in sel], [w[i] for i in sel], p.mixed_share)
            parts[f] = (ps, pg)
            grades[f] = grade_of(ps, pg, cb.part_grades, p.grade_shift)
        rank = level_from_grades(grades, cb)
    else:
        rank = ranks[sum(1 for t in p.thresholds if b > t)]
    before = rank
    rank, status, end, n_src, n_types = _corroborate(
        rank, ranks, u, w, source_types, p, lambda r: meets_definition(r, cb, p, grades, b)
    )
    return Judgement(rank, before, s, g, b, status, end, n_src, n_types, grades, parts)


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


def corroboration_text(j: Judgement, lang: str = "en") -> str:
    """What the corroboration step did, in words of *lang* (the message catalog)."""
    _ = messages(lang)
    if j.corroboration == NO_EVIDENCE_STATUS:
        return _("no evidence")
    if j.corroboration == NOT_NEEDED:
        return _("not needed (only the highest and the lowest level need corroboration)")
    counted = _("{sources} and {types}").format(
        sources=_.ngettext("{n} source", "{n} sources", j.n_sources).format(n=j.n_sources),
        types=_.ngettext("{n} source type", "{n} source types", j.n_types).format(n=j.n_types),
    )
    if j.corroboration == MET:
        return _("met ({counted})").format(counted=counted)
    if j.corroboration == MOVED:
        if j.end == "top":
            return _(
                "highest level not corroborated ({counted}): one level lower, whose definition the evidence meets"
            ).format(counted=counted)
        return _(
            "lowest level not corroborated ({counted}): one level higher, whose definition the evidence meets"
        ).format(counted=counted)
    if j.end == "top":
        return _(
            "highest level not corroborated ({counted}); it stays, because the evidence does not meet the "
            "definition of the level below"
        ).format(counted=counted)
    return _(
        "lowest level not corroborated ({counted}); it stays, because the evidence does not meet the "
        "definition of the level above"
    ).format(counted=counted)
