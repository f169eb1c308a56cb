"""Inter-coder agreement: the automatic coder against the human coding, and any two coding files.

Statistics (two coders, every unit coded by both):

- Cohen's kappa, ``(p_o - p_e) / (1 - p_e)``: observed agreement corrected for the
  agreement expected from each coder's own category frequencies (scikit-learn's
  ``cohen_kappa_score``; ``weights="linear"`` for the ordinal polarity scale).
- Krippendorff's alpha, ``1 - D_o / D_e``, from the ``krippendorff`` package (nominal for
  dimensions, ordinal for polarity).

Both are *undefined* when chance agreement is total, e.g. both coders put every unit in
the same single category; they are then reported as NaN with the reason, never as a crash.

Automatic vs human (:func:`auto_vs_human`): each segment is one unit; per dimension,
kappa on the binary "coded to this dimension or not"; overall, nominal alpha on the
dimension labels (the auto coder's ``none`` is a category of its own).

Two coding files of the same material (:func:`compare_codings`, CLI ``revalign agree``):
segments are matched by (source, dimension). Units are the grid of every source either
coder cited x every dimension of the codebook (or, without one, every dimension either
used); on it, presence agreement (did both coders use this source for this dimension?)
with kappa, nominal alpha and the positive agreement ``2·both / (n_A + n_B)``, which does
not depend on the size of the grid. For the pairs both used, polarity is compared on the
ordinal scale gap < mixed < strength: a coder's polarity for a pair is its single
polarity, or ``mixed`` when its segments on that pair disagree.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from revalign.coding.autocoder import NONE
from revalign.core.errors import InputError

POLARITY_ORDER = ("gap", "mixed", "strength")


# ---- the two statistics, degenerate cases handled -------------------------------------------


def _result(value: float | None, reason: str | None = None, **extra) -> dict:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return {"value": float("nan"), "reason": reason or "undefined", **extra}
    return {"value": float(value), "reason": None, **extra}


def cohen_kappa(a, b, labels=None, weights: str | None = None) -> dict:
    """Cohen's kappa of two equal-length label sequences: ``{"value", "reason"}``."""
    from sklearn.metrics import cohen_kappa_score

    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError("the two codings must have the same number of units")
    if not a:
        return _result(None, "no units to compare")
    used = set(a) | set(b)
    if len(used) < 2:
        only = next(iter(used))
        return _result(None, f"both coders put all {len(a)} units in one category ({only}): chance agreement is 1, kappa undefined")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b, labels=labels, weights=weights)
    if not math.isfinite(value):
        return _result(None, "expected disagreement is zero: kappa undefined")
    return _result(value)


def krippendorff_alpha(a, b, level: str = "nominal", order=None) -> dict:
    """Krippendorff's alpha for two coders; *order* gives the categories' order (ordinal).

    Units where either value is missing (None/NaN) are not pairable and are dropped by
    the method itself.
    """
    import krippendorff

    a, b = list(a), list(b)
    cats = list(order) if order is not None else sorted({v for v in a + b if _present(v)}, key=str)
    index = {c: i for i, c in enumerate(cats)}
    data = np.array([[index[v] if _present(v) else np.nan for v in row] for row in (a, b)], dtype=float)
    pairable = ~np.isnan(data).any(axis=0)
    if not pairable.any():
        return _result(None, "no unit was coded by both coders")
    observed = set(data[:, pairable].ravel().tolist())
    if len(observed) < 2:
        only = cats[int(next(iter(observed)))]
        return _result(None, f"every value is the same category ({only}): no variation, alpha undefined")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = krippendorff.alpha(reliability_data=data, level_of_measurement=level, value_domain=list(range(len(cats))))
    return _result(value, "expected disagreement is zero: alpha undefined")


def _present(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def observed_agreement(a, b) -> float:
    a, b = list(a), list(b)
    return float(np.mean([x == y for x, y in zip(a, b)])) if a else float("nan")


# ---- automatic coder vs human ------------------------------------------------------------------


def _dimension_order(codebook, *series) -> list[str]:
    if codebook is not None:
        return list(codebook.component_ids)
    return sorted({v for s in series for v in s if v != NONE})


def _binary_kappa(x, y) -> dict:
    """Kappa of two boolean codings of one dimension, with a reader-friendly reason when undefined."""
    k = cohen_kappa(x, y, labels=[False, True])
    if math.isnan(k["value"]) and x:
        if not any(x) and not any(y):
            k["reason"] = "neither coder used this dimension: kappa undefined"
        elif all(x) and all(y):
            k["reason"] = "both coders used this dimension for every unit: kappa undefined"
    return k


def per_dimension_kappa(human, auto, dimensions) -> pd.DataFrame:
    """For each dimension, kappa on "coded to this dimension or not" over the units."""
    human, auto = list(human), list(auto)
    rows = []
    for d in dimensions:
        h = [x == d for x in human]
        a = [x == d for x in auto]
        k = _binary_kappa(h, a)
        rows.append(
            {
                "dimension": d,
                "n_human": int(sum(h)),
                "n_auto": int(sum(a)),
                "n_both": int(sum(x and y for x, y in zip(h, a))),
                "agreement": observed_agreement(h, a),
                "kappa": k["value"],
                "note": k["reason"] or "",
            }
        )
    return pd.DataFrame(rows, columns=["dimension", "n_human", "n_auto", "n_both", "agreement", "kappa", "note"])


def auto_vs_human(coded: pd.DataFrame, codebook=None) -> dict:
    """Agreement of :func:`revalign.coding.autocoder.code_segments` output with the human dimensions.

    Returns ``n_units``, ``observed_agreement``, ``alpha_nominal`` ({value, reason}),
    ``kappa_overall`` (multi-category Cohen's kappa) and ``per_dimension`` (a DataFrame).
    """
    human, auto = coded["human"].tolist(), coded["auto"].tolist()
    dims = _dimension_order(codebook, human, auto)
    return {
        "n_units": len(coded),
        "n_auto_none": int(sum(x == NONE for x in auto)),
        "observed_agreement": observed_agreement(human, auto),
        "kappa_overall": cohen_kappa(human, auto),
        "alpha_nominal": krippendorff_alpha(human, auto, "nominal"),
        "per_dimension": per_dimension_kappa(human, auto, dims),
    }


def confusion_table(coded: pd.DataFrame, codebook=None) -> pd.DataFrame:
    """Counts of segments: rows = human dimension, columns = auto dimension (+ ``none``)."""
    dims = _dimension_order(codebook, coded["human"], coded["auto"])
    ct = pd.crosstab(coded["human"], coded["auto"]) if len(coded) else pd.DataFrame()
    out = ct.reindex(index=dims, columns=[*dims, NONE], fill_value=0).fillna(0).astype(int)
    out.index.name, out.columns.name = "human", "auto"
    return out


def disagreements(coded: pd.DataFrame) -> pd.DataFrame:
    """The segments where the automatic coder and the human disagree, to read one by one."""
    cols = ["segment_id", "ref_key", "locator", "human", "auto", "hits", "terms", "excerpt"]
    return coded.loc[coded["human"] != coded["auto"], cols].reset_index(drop=True)


# ---- two coding files --------------------------------------------------------------------------


def polarity_order(codebook=None) -> list[str]:
    """Ordinal order of polarity codes: gap < mixed < strength, or the codebook's listed order."""
    if codebook is None:
        return list(POLARITY_ORDER)
    vocab = codebook.vocabulary("polarity")
    return list(POLARITY_ORDER) if set(vocab) == set(POLARITY_ORDER) else vocab


def _pair_polarity(values: pd.Series) -> str:
    uniq = set(values)
    return next(iter(uniq)) if len(uniq) == 1 else "mixed"


def compare_codings(a: pd.DataFrame, b: pd.DataFrame, codebook=None) -> dict:
    """Agreement between two segment tables of the same material (see the module docstring)."""
    dims = _dimension_order(codebook, a["dimension"], b["dimension"])
    sources = sorted(set(a["ref_key"]) | set(b["ref_key"]))
    pa = a.groupby(["ref_key", "dimension"])["polarity"].agg(_pair_polarity)
    pb = b.groupby(["ref_key", "dimension"])["polarity"].agg(_pair_polarity)
    grid = [(s, d) for s in sources for d in dims]
    in_a = [u in pa.index for u in grid]
    in_b = [u in pb.index for u in grid]
    n_a, n_b = int(sum(in_a)), int(sum(in_b))
    n_both = int(sum(x and y for x, y in zip(in_a, in_b)))
    presence = {
        "n_units": len(grid),
        "n_sources": len(sources),
        "n_dimensions": len(dims),
        "n_a": n_a,
        "n_b": n_b,
        "n_both": n_both,
        "observed_agreement": observed_agreement(in_a, in_b),
        "positive_agreement": (2 * n_both / (n_a + n_b)) if (n_a + n_b) else float("nan"),
        "kappa": cohen_kappa(in_a, in_b, labels=[False, True]),
        "alpha_nominal": krippendorff_alpha(in_a, in_b, "nominal", order=[False, True]),
    }
    per_dim = []
    for d in dims:
        ha = [(s, d) in pa.index for s in sources]
        hb = [(s, d) in pb.index for s in sources]
        k = _binary_kappa(ha, hb)
        per_dim.append(
            {
                "dimension": d,
                "n_a": int(sum(ha)),
                "n_b": int(sum(hb)),
                "n_both": int(sum(x and y for x, y in zip(ha, hb))),
                "kappa": k["value"],
                "note": k["reason"] or "",
            }
        )
    order = polarity_order(codebook)
    matched = sorted(set(pa.index) & set(pb.index))
    pol_a = [pa[u] for u in matched]
    pol_b = [pb[u] for u in matched]
    polarity = {
        "order": order,
        "n_pairs": len(matched),
        "observed_agreement": observed_agreement(pol_a, pol_b),
        "weighted_kappa_linear": cohen_kappa(pol_a, pol_b, labels=order, weights="linear"),
        "alpha_ordinal": krippendorff_alpha(pol_a, pol_b, "ordinal", order=order),
    }
    only_a = [u for u in sorted(pa.index) if u not in pb.index]
    only_b = [u for u in sorted(pb.index) if u not in pa.index]
    differ = [(s, d, pa[(s, d)], pb[(s, d)]) for s, d in matched if pa[(s, d)] != pb[(s, d)]]
    return {
        "presence": presence,
        "per_dimension": pd.DataFrame(per_dim, columns=["dimension", "n_a", "n_b", "n_both", "kappa", "note"]),
        "polarity": polarity,
        "only_a": pd.DataFrame(only_a, columns=["ref_key", "dimension"]),
        "only_b": pd.DataFrame(only_b, columns=["ref_key", "dimension"]),
        "polarity_differs": pd.DataFrame(differ, columns=["ref_key", "dimension", "polarity_a", "polarity_b"]),
    }


# ---- presentation ----------------------------------------------------------------------------


def fmt(stat) -> str:
    """A statistic for people: ``0.62``, or ``undefined (reason)``."""
    if isinstance(stat, dict):
        if math.isnan(stat["value"]):
            return f"undefined ({stat['reason']})"
        return f"{stat['value']:.2f}"
    if stat is None or (isinstance(stat, float) and math.isnan(stat)):
        return "undefined"
    return f"{stat:.2f}"


def to_jsonable(obj):
    """Plain JSON data: DataFrames to lists of records, NaN to null."""
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict("records")]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return None if not math.isfinite(float(obj)) else round(float(obj), 6)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    return obj


def summary_text(result: dict, name_a: str = "A", name_b: str = "B") -> str:
    p, pol = result["presence"], result["polarity"]
    lines = [
        f"Agreement between {name_a} (A) and {name_b} (B)",
        "",
        f"Dimensions (which source supports which dimension): {p['n_sources']} sources x {p['n_dimensions']} dimensions = {p['n_units']} units",
        f"  pairs used: A {p['n_a']}, B {p['n_b']}, both {p['n_both']}",
        f"  observed agreement {fmt(p['observed_agreement'])}, positive agreement {fmt(p['positive_agreement'])}",
        f"  Cohen's kappa {fmt(p['kappa'])}, Krippendorff's alpha (nominal) {fmt(p['alpha_nominal'])}",
        "",
        "  per dimension (over sources):",
    ]
    for r in result["per_dimension"].to_dict("records"):
        k = "undefined" if math.isnan(r["kappa"]) else f"{r['kappa']:.2f}"
        lines.append(f"    {r['dimension']:<32} A {r['n_a']:>3}  B {r['n_b']:>3}  both {r['n_both']:>3}  kappa {k}")
    lines += [
        "",
        f"Polarity on the {pol['n_pairs']} pairs both used (ordinal {' < '.join(pol['order'])}):",
        f"  exact agreement {fmt(pol['observed_agreement'])}, weighted kappa (linear) {fmt(pol['weighted_kappa_linear'])}, "
        f"Krippendorff's alpha (ordinal) {fmt(pol['alpha_ordinal'])}",
    ]
    if len(result["polarity_differs"]):
        lines.append("  pairs with different polarity:")
        for r in result["polarity_differs"].to_dict("records"):
            lines.append(f"    {r['ref_key']} / {r['dimension']}: A {r['polarity_a']}, B {r['polarity_b']}")
    for label, df in (("only A", result["only_a"]), ("only B", result["only_b"])):
        if len(df):
            lines.append(f"Pairs coded by {label}: " + ", ".join(f"{r.ref_key}/{r.dimension}" for r in df.itertuples()))
    return "\n".join(lines)


def _check_polarity(df: pd.DataFrame, path, order) -> None:
    bad = df[~df["polarity"].isin(order)]
    if len(bad):
        r = bad.iloc[0]
        raise InputError(path, f"polarity {r['polarity']!r} is not one of {', '.join(order)}", int(r["line"]))


def cli_agree(args) -> int:
    from revalign.core.atomic import write_json
    from revalign.core.codebook import load_codebook
    from revalign.coding.segments import read_segments

    codebook = None
    default_cb = "data/raw/codebook/aect2023.yml"
    if args.codebook and (args.codebook != default_cb or Path(args.codebook).exists()):
        codebook = load_codebook(args.codebook)
    a = read_segments(args.a, codebook=codebook)
    b = read_segments(args.b, codebook=codebook)
    order = polarity_order(codebook)
    _check_polarity(a, args.a, order)
    _check_polarity(b, args.b, order)
    result = compare_codings(a, b, codebook)
    print(summary_text(result, args.a, args.b))
    if args.output:
        data = to_jsonable({"a": str(args.a), "b": str(args.b), **result})
        write_json(data, args.output)
    return 0
