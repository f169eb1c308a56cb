"""Judging the replication of a published table (docs/protocol.md, section 4).

A level reproduces the published level when the level ids are identical; nothing else
counts. The published level is joined to Table 1 after the rule has run
(:mod:`revalign.alignment.table1`); this module summarises the comparison.
"""

from __future__ import annotations

import pandas as pd

from revalign.alignment.rule import Judgement, corroboration_text
from revalign.alignment.units import two_part
from revalign.core.codebook import NONE_GRADE, Codebook, Level
from revalign.core.config import Alignment
from revalign.core.i18n import messages


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


def _grade_text(j: Judgement, part: str, cb: Codebook, _) -> str:
    s, g = j.parts.get(part, (0.0, 0.0))
    return _("{part} is graded {grade} (S {s:g}, G {g:g})").format(
        part=cb.label("facet", part, _.lang), grade=j.grades.get(part, NONE_GRADE), s=s, g=g
    )


def why_not_published(j: Judgement, published: str, cb: Codebook, p: Alignment, lang: str = "en") -> str:
    """Why the rule's level is not the published level, from the rule's trace, in words of *lang*."""
    _ = messages(lang)
    levels = {lv.id: lv for lv in cb.levels}
    if j.rank is None:
        return _("the review cites no evidence coded to this dimension")
    pub = levels.get(published)
    if pub is None:
        return _("the published level {level!r} is not a level of the codebook").format(level=published)
    mine = next(lv for lv in cb.levels if lv.rank == j.rank)

    def name(lv: Level) -> str:
        return lv.label.text(lang)

    if j.rank_before == pub.rank and j.rank != pub.rank:
        return _(
            "the evidence meets the definition of {published}, but the corroboration step changed it: {what}"
        ).format(published=name(pub), what=corroboration_text(j, lang))
    if not two_part(cb):
        ranks = sorted(lv.rank for lv in cb.levels)
        k = ranks.index(pub.rank)
        low = p.thresholds[k - 1] if k > 0 else None
        high = p.thresholds[k] if k < len(p.thresholds) else None
        band = (
            _("above {low:g}").format(low=low)
            if high is None
            else _("at most {high:g}").format(high=high)
            if low is None
            else _("above {low:g} and at most {high:g}").format(low=low, high=high)
        )
        return _("{published} needs a balance b {band}; the cited evidence gives b = {b:.2f}").format(
            published=name(pub), band=band, b=j.b
        )
    if pub.when is not None:
        failing = [part for part, ok in pub.when.items() if j.grades.get(part, NONE_GRADE) not in ok]
        if failing:
            needs = "; ".join(
                _("{part} graded {allowed}").format(part=cb.label("facet", f, lang), allowed=", ".join(pub.when[f]))
                for f in failing
            )
            return _("{published} needs {needs}; the cited evidence: {grades}").format(
                published=name(pub), needs=needs, grades="; ".join(_grade_text(j, f, cb, _) for f in failing)
            )
        return _(
            "the evidence meets {published} too, but {level} is tried first (levels are tried from the top)"
        ).format(published=name(pub), level=name(mine))
    held = "; ".join(_grade_text(j, f, cb, _) for f in (mine.when or {}))
    return _(
        "{published} takes only the cases no other level covers; the cited evidence meets {level}: {grades}"
    ).format(published=name(pub), level=name(mine), grades=held)


def summary_text(table: pd.DataFrame, lang: str = "en", n_published: int | None = None) -> str:
    """The replication in one sentence: how many published levels were reproduced, and what was not compared.

    *n_published*: the number of levels in the published table (when some have no counterpart here).
    """
    _ = messages(lang)
    s = replication_summary(table)
    n_rows = int(table["level_rank"].notna().sum()) if "level_rank" in table.columns else len(table)
    text = _.ngettext(
        "{k} of {n} published level reproduced (exact level match)",
        "{k} of {n} published levels reproduced (exact level match)",
        s["n_compared"],
    ).format(k=s["n_reproduced"], n=s["n_compared"])
    if n_published is not None and n_published > s["n_compared"]:
        text += "; " + _(
            "the published table has {n} levels, {m} of them without a counterpart here (not compared)"
        ).format(n=n_published, m=n_published - s["n_compared"])
    if s["n_compared"] < n_rows:
        text += "; " + _("{m} of the {n} dimensions of this table have no published level (not compared)").format(
            m=n_rows - s["n_compared"], n=n_rows
        )
    return text
