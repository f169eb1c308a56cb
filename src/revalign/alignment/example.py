"""The rule by hand for one dimension: the evidence cells and the arithmetic, written out.

A reader can redo the level from the counts; the notebook shows it for the first dimension
whose level differs from the published one (else the first row).
"""

from __future__ import annotations

import pandas as pd

from revalign.alignment.rule import corroboration_text, judge_units
from revalign.alignment.units import (
    evidence_units,
    facet_weights,
    sources_of,
    split_synthesis,
    two_part,
    uses_context_weights,
)
from revalign.core.codebook import ROLES, Codebook
from revalign.core.config import Alignment
from revalign.core.i18n import messages


def worked_example(
    segs: pd.DataFrame,
    dimension: str,
    p: Alignment,
    source_types: dict[str, str],
    cb: Codebook,
    lang: str = "en",
) -> tuple[pd.DataFrame, str]:
    """The rule applied by hand to one dimension: the evidence cells and the arithmetic, as text.

    Returns (one row per part (facet) x role with claims, sources and weight, headed and
    labelled in *lang*; the calculation written out in *lang*). Codes are shown by their
    codebook labels; grades and level ids as the codebook names them.
    """
    _ = messages(lang)
    counted, own = split_synthesis(segs, p)
    units = evidence_units(counted[counted["dimension"] == dimension], cb, p)
    j = judge_units(units, cb, p, source_types)
    w = units["weight"] * (units["context_weight"] if uses_context_weights(cb, p) else 1.0)
    if not two_part(cb):
        fw = facet_weights(cb, p)
        w = w * units["facet"].map(lambda f: fw.get(f, 1.0))
    units = units.assign(w=w)
    head = [_("Part"), _("Polarity"), _("Claims"), _("Sources"), _("Weight")]
    rows = []
    for f in cb.parts:
        for role in ROLES:
            sub = units[(units["facet"] == f) & (units["role"] == role)]
            if len(sub):
                code = cb.role_code(role)
                rows.append(
                    [
                        cb.label("facet", f, lang),
                        cb.label("polarity", code, lang) if code else role,
                        int(sub["claim"].nunique()),
                        len(sources_of(sub)),
                        round(float(sub["w"].sum()), 4),
                    ]
                )
    cells = pd.DataFrame(rows, columns=head)
    n_own = int((own["dimension"] == dimension).sum())
    claims = _.ngettext("{n} cited claim", "{n} cited claims", int(units["claim"].nunique())).format(
        n=int(units["claim"].nunique())
    )
    sources = _.ngettext("{n} source", "{n} sources", len(sources_of(units))).format(n=len(sources_of(units)))
    synthesis = (
        _.ngettext(
            "{n} segment of the review's own synthesis, counted",
            "{n} segments of the review's own synthesis, counted",
            n_own,
        )
        if p.include_synthesis
        else _.ngettext(
            "{n} segment of the review's own synthesis, set aside",
            "{n} segments of the review's own synthesis, set aside",
            n_own,
        )
    ).format(n=n_own)
    lines = [
        _("{dimension}: {claims} from {sources}; {synthesis}").format(
            dimension=cb.label("component", dimension, lang), claims=claims, sources=sources, synthesis=synthesis
        )
    ]
    if j.rank is None:
        lines.append(_("no cited evidence: no level"))
        return cells, "\n".join(lines)
    levels = {lv.rank: lv for lv in cb.levels}

    def level(rank: int) -> str:
        return f"{levels[rank].label.text(lang)} ({levels[rank].id})"

    if two_part(cb):
        for f, g in j.grades.items():
            s, gg = j.parts[f]
            if s + gg:
                share = _("strength share s = {s:g} / ({s:g} + {g:g}) = {share:.3f}").format(
                    s=s, g=gg, share=s / (s + gg)
                )
            else:
                share = _("no evidence")
            lines.append(
                _("{part}: S = {s:g}, G = {g:g}; {share}; grade {grade}").format(
                    part=cb.label("facet", f, lang), s=s, g=gg, share=share, grade=g
                )
            )
        lines.append(
            _("first level, from the top, whose condition the grades meet: {level}").format(level=level(j.rank_before))
        )
    else:
        exceeded = sum(1 for t in p.thresholds if j.b > t)
        lines.append(_("S = {s:g}, G = {g:g}, balance b = (S - G) / (S + G) = {b:.4f}").format(s=j.s, g=j.g, b=j.b))
        lines.append(
            _("thresholds {thresholds}: b exceeds {k} of them; level {level}").format(
                thresholds=", ".join(f"{t:g}" for t in p.thresholds), k=exceeded, level=level(j.rank_before)
            )
        )
    lines.append(
        _("corroboration: {what}; level {level}").format(what=corroboration_text(j, lang), level=level(j.rank))
    )
    return cells, "\n".join(lines)
