"""Two human coders on the same claims: units, and their agreement (docs/protocol.md section 7).

Both coders code the same claims. A claim is identified by its ``claim_id`` (when the file has
that column, filled in every row), else by its ``locator``; both files must identify claims the
same way and share at least one claim (:func:`matching_claims`), or nothing is compared.

Units are claims x dimensions (:func:`claim_units`): every claim either coder coded x every
dimension of the codebook (without one, every dimension either used). *Presence* (did the coder
code this claim to this dimension?) is compared with Cohen's kappa, nominal Krippendorff's
alpha, observed and positive agreement. On the units both coded, polarity is compared as
ordinal alpha (gap < mixed < strength, by role), facet and context as nominal alpha, and the
cited sources as the share of identical sets. The statistics are those of
:mod:`revalign.core.agreement`; the sheet of disagreements and the consensus are
:mod:`revalign.coding.reconcile`'s, the report :mod:`revalign.coding.agreement_report`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import pandas as pd

from revalign.coding.dimensions import dimension_order
from revalign.core.agreement import (
    Statistic,
    cohen_kappa,
    krippendorff_alpha,
    observed_agreement,
    positive_agreement,
    statistic,
)
from revalign.core.codebook import GAP, MIXED, STRENGTH
from revalign.core.errors import InputError
from revalign.core.i18n import messages

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

POLARITY_ORDER = (GAP, MIXED, STRENGTH)  # roles, weakest to strongest
CODE_FIELDS = ("polarity", "facet", "context")
UNIT_COLUMNS = ["claim_id", "dimension", "sources", "polarity", "facet", "context", "locator", "excerpt"]
CLAIM_ID, LOCATOR = "claim_id", "locator"


class Presence(TypedDict):
    n_units: int
    n_claims: int
    n_dimensions: int
    n_a: int
    n_b: int
    n_both: int
    observed_agreement: float
    positive_agreement: float
    kappa: Statistic
    alpha_nominal: Statistic


class FieldAgreement(TypedDict):
    level: str
    n_units: int
    observed_agreement: float
    alpha: Statistic


class ClaimComparison(TypedDict):
    """:func:`compare_claims`: presence, the codes of the units both coded, each coder's units."""

    presence: Presence
    codes: dict[str, FieldAgreement]
    units_a: pd.DataFrame
    units_b: pd.DataFrame
    dimensions: list[str]


# ---- polarity by role ------------------------------------------------------------------------


def mixed_code(codebook: Codebook | None = None) -> str:
    """The polarity code of a unit whose rows disagree: the codebook's code of role mixed (else ``mixed``)."""
    return (codebook.role_code(MIXED) if codebook is not None else None) or MIXED


def polarity_order(codebook: Codebook | None = None) -> list[str]:
    """Ordinal order of polarity codes by role: the gap code < the mixed code < the strength code."""
    if codebook is None:
        return list(POLARITY_ORDER)
    codes = {role: codebook.role_code(role) for role in POLARITY_ORDER}
    codes[MIXED] = mixed_code(codebook)
    return [c for c in (codes[role] for role in POLARITY_ORDER) if c]


def check_polarity(segments: pd.DataFrame, path: str | Path, order: Sequence[str]) -> None:
    """Every polarity code must be on the ordinal scale *order*; the first that is not stops with its line."""
    bad = segments[~segments["polarity"].isin(order)]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(path, f"polarity {r['polarity']!r} is not one of {', '.join(order)}", int(r["line"]))


# ---- claims and their keys ---------------------------------------------------------------------


def claim_key(segments: pd.DataFrame) -> str:
    """How a coding file identifies its claims: ``claim_id`` when that column is filled anywhere, else ``locator``."""
    if CLAIM_ID in segments.columns and segments[CLAIM_ID].astype(str).str.strip().ne("").any():
        return CLAIM_ID
    return LOCATOR


def claims(segments: pd.DataFrame, path: str | Path = "coding") -> pd.Series:
    """The claim of each row, by :func:`claim_key`; a row without a ``claim_id`` in a file that has them stops."""
    key = claim_key(segments)
    values = segments[key].astype(str).str.strip()
    if key == CLAIM_ID and values.eq("").any():
        row = segments[values.eq("")].iloc[0]
        line = int(row["line"]) if "line" in segments.columns else None
        raise InputError(path, "claim_id is empty; every row of a file with claim ids needs one", line)
    return values


def _some(keys: Sequence[str], n: int = 5) -> str:
    shown = ", ".join(keys[:n])
    return shown + (f" and {len(keys) - n} more" if len(keys) > n else "")


def matching_claims(a: pd.DataFrame, b: pd.DataFrame, path_a: str | Path = "A", path_b: str | Path = "B") -> None:
    """Both codings must identify claims the same way and share at least one claim; else an
    :class:`InputError` naming the file, each file's key and some of its keys."""
    key_a, key_b = claim_key(a), claim_key(b)
    keys_a, keys_b = sorted(set(claims(a, path_a))), sorted(set(claims(b, path_b)))
    if key_a != key_b:
        with_ids, ids, without, locators = (
            (path_a, keys_a, path_b, keys_b) if key_a == CLAIM_ID else (path_b, keys_b, path_a, keys_a)
        )
        raise InputError(
            without,
            f"identifies claims by {LOCATOR} ({_some(locators)}) but {Path(with_ids).name} by {CLAIM_ID} "
            f"({_some(ids)}): no claim can be matched; give both files the same {CLAIM_ID} column",
        )
    if not set(keys_a) & set(keys_b):
        raise InputError(
            path_b,
            f"no claim is in both files: {Path(path_a).name} has {key_a} {_some(keys_a)}; "
            f"{Path(path_b).name} has {key_b} {_some(keys_b)}; both coders must code the same claims",
        )


def _join(values: pd.Series) -> str:
    return "+".join(sorted(set(values)))


def claim_units(segments: pd.DataFrame, mixed: str = MIXED, path: str | Path = "coding") -> pd.DataFrame:
    """One row per claim x dimension of one coder: sources, polarity, facet, context, locator, excerpt.

    A unit whose rows disagree on polarity takes the code *mixed* (the codebook's code of role
    mixed, :func:`mixed_code`); on facet or context, the codes joined with ``+`` (e.g.
    ``concept+practice``), a category of its own.
    """
    d = segments.assign(_claim=claims(segments, path).to_numpy())
    rows = []
    for (claim, dim), g in d.groupby(["_claim", "dimension"], sort=True):
        pols = set(g["polarity"])
        rows.append(
            {
                "claim_id": claim,
                "dimension": dim,
                "sources": ";".join(sorted(set(g["ref_key"]))),
                "polarity": next(iter(pols)) if len(pols) == 1 else mixed,
                "facet": _join(g["facet"]),
                "context": _join(g["context"]),
                "locator": g["locator"].iloc[0],
                "excerpt": g["excerpt"].iloc[0],
            }
        )
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


# ---- agreement ---------------------------------------------------------------------------------


def _presence(in_a: list[bool], in_b: list[bool], n_claims: int, n_dimensions: int, lang: str) -> Presence:
    return {
        "n_units": len(in_a),
        "n_claims": n_claims,
        "n_dimensions": n_dimensions,
        "n_a": int(sum(in_a)),
        "n_b": int(sum(in_b)),
        "n_both": int(sum(x and y for x, y in zip(in_a, in_b, strict=True))),
        "observed_agreement": observed_agreement(in_a, in_b),
        "positive_agreement": positive_agreement(in_a, in_b),
        "kappa": cohen_kappa(in_a, in_b, labels=[False, True], lang=lang),
        "alpha_nominal": krippendorff_alpha(in_a, in_b, "nominal", order=[False, True], lang=lang),
    }


def _field(level: str, va: list[Any], vb: list[Any], alpha: Statistic) -> FieldAgreement:
    return {"level": level, "n_units": len(va), "observed_agreement": observed_agreement(va, vb), "alpha": alpha}


def compare_claims(
    a: pd.DataFrame,
    b: pd.DataFrame,
    codebook: Codebook | None = None,
    path_a: str | Path = "A",
    path_b: str | Path = "B",
    lang: str = "en",
) -> ClaimComparison:
    """Agreement of two coders over claims x dimensions (presence) and on the units both coded.

    The files must share claims (:func:`matching_claims`). Units: every claim either coder coded x
    every dimension (module docstring). Reasons for undefined statistics are in the language *lang*.
    """
    matching_claims(a, b, path_a, path_b)
    mixed = mixed_code(codebook)
    ua, ub = claim_units(a, mixed, path_a), claim_units(b, mixed, path_b)
    dims = dimension_order(codebook, ua["dimension"], ub["dimension"])
    all_claims = sorted(set(ua["claim_id"]) | set(ub["claim_id"]))
    ia, ib = ua.set_index(["claim_id", "dimension"]), ub.set_index(["claim_id", "dimension"])
    grid = [(c, d) for c in all_claims for d in dims]
    in_a = [u in ia.index for u in grid]
    in_b = [u in ib.index for u in grid]
    presence = _presence(in_a, in_b, len(all_claims), len(dims), lang)
    both = [u for u, x, y in zip(grid, in_a, in_b, strict=True) if x and y]
    order = polarity_order(codebook)
    codes: dict[str, FieldAgreement] = {}
    for f in CODE_FIELDS:
        va = [ia.loc[u, f] for u in both]
        vb = [ib.loc[u, f] for u in both]
        if f == "polarity":
            codes[f] = _field("ordinal", va, vb, krippendorff_alpha(va, vb, "ordinal", order=order, lang=lang))
        else:
            codes[f] = _field("nominal", va, vb, krippendorff_alpha(va, vb, "nominal", lang=lang))
    sa = [ia.loc[u, "sources"] for u in both]
    sb = [ib.loc[u, "sources"] for u in both]
    not_coded = messages(lang).gettext("not a coded category: share of identical source sets only")
    codes["sources"] = _field("identical sets", sa, sb, statistic(None, not_coded))
    return {"presence": presence, "codes": codes, "units_a": ua, "units_b": ub, "dimensions": dims}
