"""The rule by hand for one dimension: the evidence cells and the arithmetic, written out.

A reader can redo the level from the counts; the notebook shows it for the first dimension
whose level differs from the published one (else the first row).
"""

from __future__ import annotations

import pandas as pd

from revalign.alignment.rule import judge_units
from revalign.alignment.units import evidence_units, facet_weights, split_synthesis, two_part, uses_context_weights
from revalign.core.codebook import ROLES, Codebook
from revalign.core.config import Alignment


def worked_example(
    segs: pd.DataFrame, dimension: str, p: Alignment, source_types: dict[str, str], cb: Codebook
) -> tuple[pd.DataFrame, str]:
    """The rule applied by hand to one dimension: the evidence cells and the arithmetic, as text.

    Returns (one row per part (facet) x role with claims and weight, the calculation
    written out).
    """
    counted, own = split_synthesis(segs, p)
    units = evidence_units(counted[counted["dimension"] == dimension], cb, p)
    j = judge_units(units, cb, p, source_types)
    w = units["weight"] * (units["context_weight"] if uses_context_weights(cb, p) else 1.0)
    if not two_part(cb):
        fw = facet_weights(cb, p)
        w = w * units["facet"].map(lambda f: fw.get(f, 1.0))
    units = units.assign(w=w)
    rows = []
    for f in cb.parts:
        for pol in ROLES:
            sub = units[(units["facet"] == f) & (units["role"] == pol)]
            if len(sub):
                rows.append(
                    {
                        "part": f,
                        "role": pol,
                        "claims": int(sub["claim"].nunique()),
                        "sources": len({s for ss in sub["sources"] for s in ss}),
                        "weight": round(float(sub["w"].sum()), 4),
                    }
                )
    cells = pd.DataFrame(rows, columns=["part", "role", "claims", "sources", "weight"])
    lines = [
        f"dimension: {dimension} ({units['claim'].nunique()} cited claims from "
        f"{len({s for ss in units['sources'] for s in ss})} sources; {int((own['dimension'] == dimension).sum())} "
        f"synthesis segments {'included' if p.include_synthesis else 'set aside'})",
    ]
    if j.rank is None:
        lines.append("no evidence: level no_evidence")
        return cells, "\n".join(lines)
    ids = {lv.rank: lv.id for lv in cb.levels}
    if two_part(cb):
        for f, g in j.grades.items():
            s, gg = j.parts[f]
            share = f"s = {s:g} / ({s:g} + {gg:g}) = {s / (s + gg):.3f}" if s + gg else "no evidence"
            lines.append(f"{f}: S = {s:g}, G = {gg:g}, {share} -> grade {g}")
        lines.append(f"first level (from the top) whose condition holds: rank {j.rank_before} ({ids[j.rank_before]})")
    else:
        exceeded = [t for t in p.thresholds if j.b > t]
        lines.append(f"S = {j.s:g}, G = {j.g:g}, b = (S - G) / (S + G) = {j.b:.4f}")
        lines.append(f"thresholds {p.thresholds}: b exceeds {len(exceeded)} of them -> rank {j.rank_before}")
    lines.append(f"corroboration: {j.note} -> rank {j.rank} ({ids[j.rank]})")
    return cells, "\n".join(lines)
