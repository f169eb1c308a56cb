"""Evidence units: what the alignment rule counts (docs/protocol.md, section 1).

Only *cited evidence* counts (the review's own synthesis is set apart, see
:func:`split_synthesis`). The unit is a **claim on a dimension**: the rows of one
``claim_id`` (one statement) coded to one dimension are one unit, however many sources
the claim cites. A unit whose rows span k facets is one unit per facet with weight 1/k;
its polarity role is its rows' role when they agree, else ``mixed``. A unit's weight is
shared equally among its sources (what the bootstrap resamples).

Weights declared in the codebook (``weight`` on facet and context terms) and overridden by
the parameter file are read here too; which of them apply is the rule's business
(:func:`uses_context_weights`, :func:`two_part`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from revalign.core.codebook import GAP, MIXED, STRENGTH, Codebook, roles_of
from revalign.core.config import Alignment

UNIT_COLUMNS = ["claim", "dimension", "facet", "role", "weight", "context_weight", "focus_share", "sources"]


# ---- weights declared in the codebook ---------------------------------------------------


def facet_weights(cb: Codebook | None, p: Alignment) -> dict[str, float]:
    """Facet id -> weight: the codebook's ``weight`` (1 when absent), overridden by params."""
    out = {t.id: (t.weight if t.weight is not None else 1.0) for t in (cb.facet if cb is not None else [])}
    out.update({k: w for k, w in (p.term_weights or {}).items() if k in out})
    out.update(p.facet_weights or {})
    return out


def context_weights(cb: Codebook | None, p: Alignment) -> dict[str, float]:
    """Context id -> weight: the codebook's ``weight`` (1 when absent), overridden by params."""
    out = {t.id: (t.weight if t.weight is not None else 1.0) for t in (cb.context if cb is not None else [])}
    out.update({k: w for k, w in (p.term_weights or {}).items() if k in out})
    out.update(p.context_weights or {})
    return out


def focus_contexts(cb: Codebook | None) -> set[str]:
    """The context ids marked ``focus: true`` (the review's own context), possibly none."""
    return {t.id for t in (cb.context if cb is not None else []) if t.focus}


def two_part(cb: Codebook | None) -> bool:
    """True when the codebook defines its levels by part grades (``when`` on a level)."""
    return cb is not None and any(lv.when is not None for lv in cb.levels)


def uses_context_weights(cb: Codebook | None, p: Alignment) -> bool:
    """Context weights apply: ``context_weighting`` when set, else only in the single-score rule."""
    return p.context_weighting if p.context_weighting is not None else not two_part(cb)


# ---- the review's own synthesis -----------------------------------------------------------


def split_synthesis(segs: pd.DataFrame, p: Alignment) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(segments the rule counts, the review's own synthesis segments counted apart).

    A segment is synthesis when its ``is_synthesis`` column (set by
    :func:`revalign.alignment.inputs.load_inputs` from the bibliography and the parameter
    file) is true, or, without that column, when its ``ref_key`` is the ``synthesis_key``
    the parameter file names (none: no synthesis).
    """
    if "is_synthesis" in segs.columns:
        own = segs["is_synthesis"].astype(bool)
    else:
        own = segs["ref_key"] == p.synthesis_key if p.synthesis_key else pd.Series(False, index=segs.index)
    if p.include_synthesis:
        return segs, segs[own]
    return segs[~own], segs[own]


# ---- units ---------------------------------------------------------------------------------


def claim_key(segs: pd.DataFrame) -> pd.Series:
    """The claim of each row: ``claim_id`` when present and filled, else locator + excerpt."""
    if "claim_id" in segs.columns and segs["claim_id"].astype(str).str.strip().ne("").all():
        return segs["claim_id"].astype(str).str.strip()
    if {"locator", "excerpt"} <= set(segs.columns):
        return segs["locator"].astype(str).str.strip() + "\x1f" + segs["excerpt"].astype(str).str.strip()
    return pd.Series([f"row{i}" for i in range(len(segs))], index=segs.index)  # each row its own claim


def evidence_units(segs: pd.DataFrame, cb: Codebook | None = None, p: Alignment | None = None) -> pd.DataFrame:
    """One row per claim x dimension x facet (columns :data:`UNIT_COLUMNS`; see the module docstring)."""
    if segs.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    cw = context_weights(cb, p) if p is not None else {}
    focus = focus_contexts(cb)
    groups: dict[tuple[str, str], dict[str, list]] = {}
    cols = [segs[c].tolist() for c in ("dimension", "facet")]
    cols += [roles_of(segs, cb).tolist()] + [segs[c].tolist() for c in ("context", "ref_key")]
    for claim, dim, facet, pol, ctx, ref in zip(claim_key(segs).tolist(), *cols, strict=False):
        groups.setdefault((claim, dim), {}).setdefault(facet, []).append((pol, ctx, ref))
    rows = []
    for (claim, dim), by_facet in groups.items():
        k = len(by_facet)
        for f in sorted(by_facet):
            items = by_facet[f]
            pols = {x[0] for x in items}
            rows.append(
                (
                    claim,
                    dim,
                    f,
                    next(iter(pols)) if len(pols) == 1 else MIXED,
                    1.0 / k,
                    sum(cw.get(x[1], 1.0) for x in items) / len(items),
                    sum(x[1] in focus for x in items) / len(items),
                    tuple(sorted({x[2] for x in items})),
                )
            )
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


@dataclass
class Units:
    """Evidence units of one dimension as plain lists (the rule runs thousands of times in the bootstrap)."""

    role: list[str]
    facet: list[str]
    weight: list[float]
    context_weight: list[float]
    sources: list[tuple[str, ...]]


def compile_units(units: pd.DataFrame) -> Units:
    """The units of one dimension (rows of :func:`evidence_units`) as :class:`Units`."""
    return Units(
        list(units["role"]),
        list(units["facet"]),
        [float(x) for x in units["weight"]],
        [float(x) for x in units["context_weight"]],
        list(units["sources"]),
    )


def effective_weights(u: Units, mult: dict[str, int] | None) -> list[float]:
    """Each unit's weight after resampling: w x mean over its sources of their multiplicity."""
    if mult is None:
        return list(u.weight)
    return [w * sum(mult.get(s, 0) for s in srcs) / len(srcs) for w, srcs in zip(u.weight, u.sources, strict=False)]


def strength_gap(roles: Iterable[str], weights: Iterable[float], mixed_share: float) -> tuple[float, float]:
    """Weighted strength S and gap G (a mixed unit split by *mixed_share*)."""
    s = g = 0.0
    for pol, w in zip(roles, weights, strict=False):
        if pol == STRENGTH:
            s += w
        elif pol == GAP:
            g += w
        elif pol == MIXED:
            s += mixed_share * w
            g += (1 - mixed_share) * w
    return s, g


def source_shares(units: pd.DataFrame) -> dict[str, float]:
    """Source -> the sum of its shares of the units' weights (a unit's weight split among its sources)."""
    out: dict[str, float] = {}
    for w, srcs in zip(units["weight"], units["sources"], strict=False):
        for s in srcs:
            out[s] = out.get(s, 0.0) + w / len(srcs)
    return out


def sources_of(units: pd.DataFrame | Sequence) -> list[str]:
    """The distinct sources behind *units*, sorted."""
    col = units["sources"] if isinstance(units, pd.DataFrame) else units
    return sorted({s for srcs in col for s in srcs})
