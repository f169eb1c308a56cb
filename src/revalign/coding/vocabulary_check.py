"""The vocabulary check: the keyword matcher's dimension against the human coder's, one unit per segment.

The keyword matcher (:mod:`revalign.coding.autocoder`) is not a second coder: it reads the
coder's own paraphrases and never decides polarity, facet, context or attribution. Comparing it
with the human coding tests the codebook's indicator terms, never the reliability of the coding.

Each segment is one unit. Per dimension: Cohen's kappa on the yes/no label "coded to this
dimension or not"; overall: observed agreement, multi-category Cohen's kappa and nominal
Krippendorff's alpha on the dimension ids (the matcher's ``none`` is a category of its own).
Statistics are those of :mod:`revalign.core.agreement`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

import pandas as pd

from revalign.coding.autocoder import NONE
from revalign.coding.dimensions import dimension_kappa, dimension_order
from revalign.core.agreement import Statistic, cohen_kappa, krippendorff_alpha, observed_agreement

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

PER_DIMENSION_COLUMNS = ["dimension", "n_human", "n_auto", "n_both", "agreement", "kappa", "note"]
DISAGREEMENT_COLUMNS = ["segment_id", "ref_key", "locator", "human", "auto", "hits", "terms", "excerpt"]


class VocabularyCheck(TypedDict):
    """:func:`vocabulary_check`'s result (the keys of ``vocabulary_check.json`` after ``comparison`` and ``counts``)."""

    n_units: int
    n_auto_none: int
    observed_agreement: float
    kappa_overall: Statistic
    alpha_nominal: Statistic
    per_dimension: pd.DataFrame


def per_dimension_kappa(human: list[str], auto: list[str], dimensions: list[str], lang: str = "en") -> pd.DataFrame:
    """For each dimension, kappa on "coded to this dimension or not" over the units."""
    rows = []
    for d in dimensions:
        h = [x == d for x in human]
        a = [x == d for x in auto]
        k = dimension_kappa(h, a, lang)
        rows.append(
            {
                "dimension": d,
                "n_human": int(sum(h)),
                "n_auto": int(sum(a)),
                "n_both": int(sum(x and y for x, y in zip(h, a, strict=True))),
                "agreement": observed_agreement(h, a),
                "kappa": k["value"],
                "note": k["reason"] or "",
            }
        )
    return pd.DataFrame(rows, columns=PER_DIMENSION_COLUMNS)


def vocabulary_check(coded: pd.DataFrame, codebook: Codebook | None = None, lang: str = "en") -> VocabularyCheck:
    """The comparison of :func:`revalign.coding.autocoder.code_segments`' ``auto`` column with ``human``.

    Reasons for undefined statistics are in the language *lang*.
    """
    human, auto = coded["human"].tolist(), coded["auto"].tolist()
    dims = dimension_order(codebook, human, auto)
    return {
        "n_units": len(coded),
        "n_auto_none": int(sum(x == NONE for x in auto)),
        "observed_agreement": observed_agreement(human, auto),
        "kappa_overall": cohen_kappa(human, auto, lang=lang),
        "alpha_nominal": krippendorff_alpha(human, auto, "nominal", lang=lang),
        "per_dimension": per_dimension_kappa(human, auto, dims, lang),
    }


def confusion_table(coded: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Counts of segments: rows = human dimension, columns = the matcher's dimension (+ ``none``)."""
    dims = dimension_order(codebook, coded["human"], coded["auto"])
    ct = pd.crosstab(coded["human"], coded["auto"]) if len(coded) else pd.DataFrame()
    out = ct.reindex(index=dims, columns=[*dims, NONE], fill_value=0).fillna(0).astype(int)
    out.index.name, out.columns.name = "human", "auto"
    return out


def disagreements(coded: pd.DataFrame) -> pd.DataFrame:
    """The segments where the keyword matcher and the human coder differ, to read one by one."""
    return coded.loc[coded["human"] != coded["auto"], DISAGREEMENT_COLUMNS].reset_index(drop=True)
