"""Agreement between two raters who label the same units: any labels, any units.

Nothing here knows what the units or labels are: coded segments (stage 03), screening
decisions on records (stage 02), or anything else two people (or a person and a program)
label. Labels are any hashable values; a missing label is ``None`` or NaN.

Statistics (two raters, the units both labelled):

- observed agreement ``p_o``: the share of units with the same label;
- Cohen's kappa ``(p_o - p_e) / (1 - p_e)``: observed agreement corrected for the agreement
  expected from each rater's own label frequencies (scikit-learn's ``cohen_kappa_score``;
  ``weights="linear"`` for an ordinal scale);
- Krippendorff's alpha ``1 - D_o / D_e`` from the ``krippendorff`` package (nominal or
  ordinal), chance estimated from the pooled labels;
- prevalence-adjusted bias-adjusted kappa (PABAK; Byrt, Bishop & Carlin 1993),
  ``(k p_o - 1) / (k - 1)`` for ``k`` categories (``2 p_o - 1`` for two): kappa with the
  expected agreement of equally frequent categories, which does not collapse when one
  category is rare (most records excluded at screening);
- positive agreement ``2 n_both / (n_a + n_b)`` for a yes/no label: how often one rater's
  "yes" is matched by the other's, independent of the number of "no" units.

Kappa and alpha are *undefined* when chance agreement is total (both raters put every unit
in one category); they are then a :class:`Statistic` with value NaN and the reason, never an
exception. Reasons are in the language asked for (the message catalog, :mod:`revalign.core.i18n`).

:func:`two_raters` compares two raters given as ``{unit: label}`` mappings on the units both
labelled; :func:`shared_units` pairs them. :func:`format_statistic` shows a statistic to a
reader; :func:`to_jsonable` turns results into plain JSON data.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, Literal, TypedDict

import numpy as np
import pandas as pd

from revalign.core.i18n import messages

Level = Literal["nominal", "ordinal"]


class Statistic(TypedDict):
    """A statistic that may be undefined: ``value`` (NaN when undefined) and the ``reason`` it is."""

    value: float
    reason: str | None


class RaterAgreement(TypedDict):
    """:func:`two_raters`: counts of units and the statistics on the units both raters labelled."""

    n_a: int
    n_b: int
    n_shared: int
    categories: list[Any]
    observed_agreement: float
    kappa: Statistic
    alpha: Statistic
    pabak: Statistic


def statistic(value: float | None, reason: str | None = None) -> Statistic:
    """A :class:`Statistic`: *value* when finite, else NaN with *reason* (why it is undefined)."""
    if value is None or not math.isfinite(float(value)):
        return {"value": float("nan"), "reason": reason}
    return {"value": float(value), "reason": None}


def is_defined(stat: Statistic) -> bool:
    return math.isfinite(stat["value"])


def present(value: object) -> bool:
    """Whether a label is given (not ``None``, not NaN)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def observed_agreement(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """Share of units with the same label (NaN for no units)."""
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError("the two raters must label the same number of units")
    return float(np.mean([x == y for x, y in zip(a, b, strict=True)])) if a else float("nan")


def positive_agreement(a: Iterable[bool], b: Iterable[bool]) -> float:
    """``2 * both / (n_a + n_b)`` for yes/no labels (NaN when neither rater said yes)."""
    a, b = [bool(x) for x in a], [bool(x) for x in b]
    n_a, n_b = sum(a), sum(b)
    both = sum(x and y for x, y in zip(a, b, strict=True))
    return 2 * both / (n_a + n_b) if (n_a + n_b) else float("nan")


def cohen_kappa(
    a: Iterable[Hashable],
    b: Iterable[Hashable],
    labels: Sequence[Hashable] | None = None,
    weights: Literal["linear", "quadratic"] | None = None,
    lang: str = "en",
) -> Statistic:
    """Cohen's kappa of two equal-length label sequences (*labels*: the categories, in order for *weights*)."""
    from sklearn.metrics import cohen_kappa_score

    _ = messages(lang)
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError("the two raters must label the same number of units")
    if not a:
        return statistic(None, _("no units to compare"))
    used = set(a) | set(b)
    if len(used) < 2:
        reason = _("both raters put all {n} units in one category ({category}): chance agreement is 1, kappa undefined")
        return statistic(None, reason.format(n=len(a), category=next(iter(used))))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b, labels=labels, weights=weights)
    return statistic(value, _("expected disagreement is zero: kappa undefined"))


def krippendorff_alpha(
    a: Iterable[Hashable],
    b: Iterable[Hashable],
    level: Level = "nominal",
    order: Sequence[Hashable] | None = None,
    lang: str = "en",
) -> Statistic:
    """Krippendorff's alpha for two raters; *order* gives the categories' order (ordinal).

    Units where either label is missing are not pairable and are left out by the method itself.
    """
    import krippendorff

    _ = messages(lang)
    a, b = list(a), list(b)
    cats = list(order) if order is not None else sorted({v for v in a + b if present(v)}, key=str)
    index = {c: i for i, c in enumerate(cats)}
    data = np.array([[index[v] if present(v) else np.nan for v in row] for row in (a, b)], dtype=float)
    pairable = ~np.isnan(data).any(axis=0) if data.size else np.zeros(0, dtype=bool)
    if not pairable.any():
        return statistic(None, _("no unit was labelled by both raters"))
    observed = set(data[:, pairable].ravel().tolist())
    if len(observed) < 2:
        only = cats[int(next(iter(observed)))]
        reason = _("every label is the same category ({category}): no variation, alpha undefined")
        return statistic(None, reason.format(category=only))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = krippendorff.alpha(
            reliability_data=data, level_of_measurement=level, value_domain=list(range(len(cats)))
        )
    return statistic(value, _("expected disagreement is zero: alpha undefined"))


def pabak(a: Iterable[Hashable], b: Iterable[Hashable], n_categories: int | None = None, lang: str = "en") -> Statistic:
    """Prevalence-adjusted bias-adjusted kappa ``(k p_o - 1) / (k - 1)``.

    *n_categories* is ``k``, the number of categories the raters could choose from; without it,
    the number of categories either rater used (at least two).
    """
    _ = messages(lang)
    a, b = list(a), list(b)
    if not a:
        return statistic(None, _("no units to compare"))
    k = n_categories if n_categories is not None else max(2, len(set(a) | set(b)))
    if k < 2:
        return statistic(None, _("fewer than two categories: prevalence-adjusted kappa undefined"))
    return statistic((k * observed_agreement(a, b) - 1) / (k - 1))


def shared_units(
    a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable]
) -> tuple[list[Hashable], list[Hashable], list[Hashable]]:
    """(units, labels of A, labels of B) for the units both raters labelled, in A's order.

    A unit whose label is missing (``None``, NaN) in either mapping is not shared.
    """
    units = [u for u, v in a.items() if present(v) and u in b and present(b[u])]
    return units, [a[u] for u in units], [b[u] for u in units]


def two_raters(
    a: Mapping[Hashable, Hashable],
    b: Mapping[Hashable, Hashable],
    categories: Sequence[Hashable] | None = None,
    level: Level = "nominal",
    lang: str = "en",
) -> RaterAgreement:
    """Agreement of two raters, each given as ``{unit: label}``, on the units both labelled.

    *categories*: every label a rater could give (in order, for ``level="ordinal"``); without
    it, the labels either rater used. Kappa is linearly weighted for an ordinal level.
    """
    units, la, lb = shared_units(a, b)
    cats = list(categories) if categories is not None else sorted(set(la) | set(lb), key=str)
    unknown = sorted({str(v) for v in la + lb} - {str(c) for c in cats})
    if unknown:
        raise ValueError(f"labels outside the categories: {', '.join(unknown)}")
    ordinal = level == "ordinal"
    return {
        "n_a": sum(present(v) for v in a.values()),
        "n_b": sum(present(v) for v in b.values()),
        "n_shared": len(units),
        "categories": cats,
        "observed_agreement": observed_agreement(la, lb),
        "kappa": cohen_kappa(la, lb, labels=cats or None, weights="linear" if ordinal else None, lang=lang),
        "alpha": krippendorff_alpha(la, lb, level, order=cats if (ordinal or categories) else None, lang=lang),
        "pabak": pabak(la, lb, n_categories=len(cats) if categories is not None else None, lang=lang),
    }


def format_statistic(stat: Statistic | float | None, lang: str = "en") -> str:
    """A statistic for people: ``0.62``, or ``undefined (reason)`` in the language *lang*."""
    _ = messages(lang)
    if isinstance(stat, dict):
        if not math.isfinite(stat["value"]):
            return _("undefined ({reason})").format(reason=stat["reason"]) if stat["reason"] else _("undefined")
        return f"{stat['value']:.2f}"
    if stat is None or (isinstance(stat, float) and math.isnan(stat)):
        return _("undefined")
    return f"{stat:.2f}"


def to_jsonable(obj: Any) -> Any:
    """Plain JSON data: DataFrames to lists of records, NaN to null, numbers rounded to 6 decimals."""
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict("records")]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(float(obj)) else round(float(obj), 6)
    return obj
