"""Inter-coder agreement between two human codings, and the vocabulary check of the keyword matcher.

Two human coders (:func:`compare_claims`, CLI ``revalign agree`` and ``revalign reconcile``;
docs/protocol.md section 7): both code the same claims (shared ``claim_id``). Units are
claims x dimensions: presence (did the coder code this claim to this dimension?) as
kappa and nominal alpha; on the units both coded, polarity (ordinal), facet and context
(nominal) as Krippendorff's alpha. The disagreements go to a sheet, one row per claim,
dimension and field, with an empty ``decision`` column; :func:`reconcile` turns the
decided sheet into a consensus coding and a log.

The keyword matcher (:mod:`revalign.coding.autocoder`) against the human coding
(:func:`vocabulary_check`, formerly ``auto_vs_human``) is a *vocabulary check* of the
codebook's indicator terms, not a second coder: it reads the coder's own paraphrases
and never decides polarity, facet, context or attribution. Its figures are never
reported as reliability.

Statistics (two coders, every unit coded by both):

- Cohen's kappa, ``(p_o - p_e) / (1 - p_e)``: observed agreement corrected for the
  agreement expected from each coder's own category frequencies (scikit-learn's
  ``cohen_kappa_score``; ``weights="linear"`` for the ordinal polarity scale).
- Krippendorff's alpha, ``1 - D_o / D_e``, from the ``krippendorff`` package (nominal for
  dimensions, ordinal for polarity).

Both are *undefined* when chance agreement is total, e.g. both coders put every unit in
the same single category; they are then reported as NaN with the reason, never as a crash.

Vocabulary check (:func:`vocabulary_check`): each segment is one unit; per dimension,
kappa on the binary "coded to this dimension or not"; overall, nominal alpha on the
dimension labels (the auto coder's ``none`` is a category of its own).

Two coding files by source (:func:`compare_codings`, kept for codings without shared claims):
segments are matched by (source, dimension). Units are the grid of every source either
coder cited x every dimension of the codebook (or, without one, every dimension either
used); on it, presence agreement (did both coders use this source for this dimension?)
with kappa, nominal alpha and the positive agreement ``2·both / (n_A + n_B)``, which does
not depend on the size of the grid. For the pairs both used, polarity is compared on the
ordinal scale gap < mixed < strength: a coder's polarity for a pair is its single
polarity, or ``mixed`` when its segments on that pair disagree.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from revalign.coding.autocoder import NONE
from revalign.core.atomic import FORMULA_START
from revalign.core.codebook import GAP, MIXED, STRENGTH
from revalign.core.errors import InputError

POLARITY_ORDER = (GAP, MIXED, STRENGTH)  # roles, weakest to strongest


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
        return _result(
            None, f"both coders put all {len(a)} units in one category ({only}): chance agreement is 1, kappa undefined"
        )
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
        value = krippendorff.alpha(
            reliability_data=data, level_of_measurement=level, value_domain=list(range(len(cats)))
        )
    return _result(value, "expected disagreement is zero: alpha undefined")


def _present(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def observed_agreement(a, b) -> float:
    a, b = list(a), list(b)
    return float(np.mean([x == y for x, y in zip(a, b, strict=False)])) if a else float("nan")


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
                "n_both": int(sum(x and y for x, y in zip(h, a, strict=False))),
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


vocabulary_check = auto_vs_human  # the name under which it is reported: not reliability


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


def mixed_code(codebook=None) -> str:
    """The polarity code of a unit whose rows disagree: the codebook's code of role mixed (else ``mixed``)."""
    return (codebook.role_code(MIXED) if codebook is not None else None) or MIXED


def polarity_order(codebook=None) -> list[str]:
    """Ordinal order of polarity codes by role: the gap code < the mixed code < the strength code."""
    if codebook is None:
        return list(POLARITY_ORDER)
    codes = {role: codebook.role_code(role) for role in POLARITY_ORDER}
    codes[MIXED] = mixed_code(codebook)
    return [codes[role] for role in POLARITY_ORDER if codes[role]]


def _pair_polarity(values: pd.Series, mixed: str = MIXED) -> str:
    uniq = set(values)
    return next(iter(uniq)) if len(uniq) == 1 else mixed


def _presence(grid: list, in_a: list[bool], in_b: list[bool], counts: dict) -> dict:
    """Agreement on which units of *grid* each coder coded at all (presence / absence);
    *counts* (of sources or claims, and dimensions) follow ``n_units``."""
    n_a, n_b = int(sum(in_a)), int(sum(in_b))
    n_both = int(sum(x and y for x, y in zip(in_a, in_b, strict=False)))
    return {
        "n_units": len(grid),
        **counts,
        "n_a": n_a,
        "n_b": n_b,
        "n_both": n_both,
        "observed_agreement": observed_agreement(in_a, in_b),
        "positive_agreement": (2 * n_both / (n_a + n_b)) if (n_a + n_b) else float("nan"),
        "kappa": cohen_kappa(in_a, in_b, labels=[False, True]),
        "alpha_nominal": krippendorff_alpha(in_a, in_b, "nominal", order=[False, True]),
    }


def compare_codings(a: pd.DataFrame, b: pd.DataFrame, codebook=None) -> dict:
    """Agreement between two segment tables of the same material (see the module docstring)."""
    dims = _dimension_order(codebook, a["dimension"], b["dimension"])
    sources = sorted(set(a["ref_key"]) | set(b["ref_key"]))
    mixed = mixed_code(codebook)
    pa = a.groupby(["ref_key", "dimension"])["polarity"].agg(_pair_polarity, mixed=mixed)
    pb = b.groupby(["ref_key", "dimension"])["polarity"].agg(_pair_polarity, mixed=mixed)
    grid = [(s, d) for s in sources for d in dims]
    in_a = [u in pa.index for u in grid]
    in_b = [u in pb.index for u in grid]
    presence = _presence(grid, in_a, in_b, {"n_sources": len(sources), "n_dimensions": len(dims)})
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
                "n_both": int(sum(x and y for x, y in zip(ha, hb, strict=False))),
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


# ---- two human coders on the same claims (docs/protocol.md section 7) ---------------------------

FIELDS = ("presence", "sources", "polarity", "facet", "context")
SHEET_COLUMNS = [
    "claim_id",
    "dimension",
    "field",
    "code_a",
    "code_b",
    "decision",
    "note",
    "locator",
    "excerpt_a",
    "excerpt_b",
    "coding_a",
    "coding_b",
]
LOG_COLUMNS = ["claim_id", "dimension", "field", "code_a", "code_b", "decision", "result"]


def _claims(df: pd.DataFrame) -> pd.Series:
    if "claim_id" in df.columns and df["claim_id"].astype(str).str.strip().ne("").all():
        return df["claim_id"].astype(str).str.strip()
    return df["locator"].astype(str).str.strip()


def _join(values) -> str:
    return "+".join(sorted(set(values)))


def claim_units(df: pd.DataFrame, mixed: str = MIXED) -> pd.DataFrame:
    """One row per claim x dimension of one coder: sources, polarity, facet, context, locator, excerpt.

    A unit whose rows disagree on polarity takes the code *mixed* (the codebook's code of role
    mixed, :func:`mixed_code`); on facet or context, the codes
    joined with ``+`` (e.g. ``concept+practice``), a category of its own.
    """
    d = df.assign(_claim=_claims(df).to_numpy())
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
    return pd.DataFrame(
        rows, columns=["claim_id", "dimension", "sources", "polarity", "facet", "context", "locator", "excerpt"]
    )


def compare_claims(a: pd.DataFrame, b: pd.DataFrame, codebook=None) -> dict:
    """Agreement of two coders over claims x dimensions (presence) and on the units both coded.

    Units: every claim either coder coded x every dimension of the codebook (without
    one, every dimension either used). Presence: Cohen's kappa, Krippendorff's alpha
    (nominal), observed and positive agreement. On the units both coded: polarity as
    ordinal alpha (gap < mixed < strength), facet and context as nominal alpha, and the
    share of units whose cited sources are identical.
    """
    ua, ub = claim_units(a, mixed_code(codebook)), claim_units(b, mixed_code(codebook))
    dims = _dimension_order(codebook, ua["dimension"], ub["dimension"])
    claims = sorted(set(ua["claim_id"]) | set(ub["claim_id"]))
    ia = ua.set_index(["claim_id", "dimension"])
    ib = ub.set_index(["claim_id", "dimension"])
    grid = [(c, d) for c in claims for d in dims]
    in_a = [u in ia.index for u in grid]
    in_b = [u in ib.index for u in grid]
    presence = _presence(grid, in_a, in_b, {"n_claims": len(claims), "n_dimensions": len(dims)})
    both = [u for u, x, y in zip(grid, in_a, in_b, strict=False) if x and y]
    order = polarity_order(codebook)
    codes = {}
    for f, level in (("polarity", "ordinal"), ("facet", "nominal"), ("context", "nominal")):
        va = [ia.loc[u, f] for u in both]
        vb = [ib.loc[u, f] for u in both]
        if f == "polarity":
            stat = krippendorff_alpha(va, vb, "ordinal", order=order)
        else:
            stat = krippendorff_alpha(va, vb, "nominal")
        codes[f] = {
            "level": level,
            "n_units": len(both),
            "observed_agreement": observed_agreement(va, vb),
            "alpha": stat,
        }
    sa = [ia.loc[u, "sources"] for u in both]
    sb = [ib.loc[u, "sources"] for u in both]
    codes["sources"] = {
        "level": "identical sets",
        "n_units": len(both),
        "observed_agreement": observed_agreement(sa, sb),
        "alpha": _result(None, "not a coded category: share of identical source sets only"),
    }
    return {"presence": presence, "codes": codes, "units_a": ua, "units_b": ub, "dimensions": dims}


def disagreement_sheet(result: dict, coding_a: str = "", coding_b: str = "") -> pd.DataFrame:
    """One row per claim, dimension and field where the coders differ; ``decision`` left empty.

    ``presence`` rows: one coder coded the claim to the dimension, the other did not
    (codes ``yes`` / ``no``). Other rows: a field of a unit both coded. The decision is
    ``A``, ``B`` or the agreed code itself (for ``presence``: yes or no; for ``sources``:
    citation keys separated by ``;``).
    """
    ia = result["units_a"].set_index(["claim_id", "dimension"])
    ib = result["units_b"].set_index(["claim_id", "dimension"])
    rows = []
    for u in sorted(set(ia.index) | set(ib.index)):
        ra = ia.loc[u] if u in ia.index else None
        rb = ib.loc[u] if u in ib.index else None
        base = {
            "claim_id": u[0],
            "dimension": u[1],
            "decision": "",
            "note": "",
            "locator": (ra if ra is not None else rb)["locator"],
            "excerpt_a": "" if ra is None else ra["excerpt"],
            "excerpt_b": "" if rb is None else rb["excerpt"],
            "coding_a": coding_a,
            "coding_b": coding_b,
        }
        if ra is None or rb is None:
            rows.append(
                {
                    **base,
                    "field": "presence",
                    "code_a": "no" if ra is None else "yes",
                    "code_b": "no" if rb is None else "yes",
                }
            )
            continue
        for f in ("sources", "polarity", "facet", "context"):
            if ra[f] != rb[f]:
                rows.append({**base, "field": f, "code_a": ra[f], "code_b": rb[f]})
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def agreement_report(result: dict, name_a: str, name_b: str) -> str:
    """The agreement report as Markdown."""
    p, c = result["presence"], result["codes"]
    lines = [
        "# Agreement between two coders",
        "",
        f"- A: `{name_a}`",
        f"- B: `{name_b}`",
        "",
        "Unit: a claim on a dimension (docs/protocol.md, section 7).",
        "",
        "## Presence: which claims bear on which dimension",
        "",
        f"{p['n_claims']} claims x {p['n_dimensions']} dimensions = {p['n_units']} units; coded by A {p['n_a']}, "
        f"by B {p['n_b']}, by both {p['n_both']}.",
        "",
        "| statistic | value |",
        "|---|---|",
        f"| observed agreement | {fmt(p['observed_agreement'])} |",
        f"| positive agreement | {fmt(p['positive_agreement'])} |",
        f"| Cohen's kappa | {fmt(p['kappa'])} |",
        f"| Krippendorff's alpha (nominal) | {fmt(p['alpha_nominal'])} |",
        "",
        "## Codes of the units both coded",
        "",
        "| field | level | units | observed agreement | Krippendorff's alpha |",
        "|---|---|---|---|---|",
    ]
    for f in ("polarity", "facet", "context", "sources"):
        r = c[f]
        alpha = "-" if f == "sources" else fmt(r["alpha"])
        lines.append(f"| {f} | {r['level']} | {r['n_units']} | {fmt(r['observed_agreement'])} | {alpha} |")
    return "\n".join(lines) + "\n"


def write_sheet(sheet: pd.DataFrame, csv_path, xlsx_path) -> None:
    """The disagreement sheet as CSV and XLSX (in the XLSX, text is never a formula: see
    :func:`revalign.core.ooxml.to_xlsx_bytes`; the text itself is unchanged)."""
    from revalign.core.atomic import write_bytes, write_csv
    from revalign.core.ooxml import to_xlsx_bytes

    write_csv(sheet, csv_path)
    write_bytes(xlsx_path, to_xlsx_bytes(sheet, sheet="disagreements", freeze_header=True))


def cli_agree(args) -> int:
    """``python -m revalign agree A.csv B.csv [-o DIR]``: report, JSON and disagreement sheet."""
    from revalign.coding.segments import read_segments
    from revalign.core.atomic import write_json, write_text
    from revalign.core.codebook import load_codebook

    codebook = load_codebook(args.codebook) if args.codebook else None
    a = read_segments(args.a, codebook=codebook)
    b = read_segments(args.b, codebook=codebook)
    order = polarity_order(codebook)
    _check_polarity(a, args.a, order)
    _check_polarity(b, args.b, order)
    result = compare_claims(a, b, codebook)
    out = Path(args.output or "agreement")
    if out.suffix.lower() == ".json":  # the former form: -o FILE.json
        out = out.with_suffix("")
    sheet = disagreement_sheet(result, str(args.a), str(args.b))
    report = agreement_report(result, str(args.a), str(args.b))
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "agreement.md", report)
    write_json(
        to_jsonable({"a": str(args.a), "b": str(args.b), "presence": result["presence"], "codes": result["codes"]}),
        out / "agreement.json",
    )
    write_sheet(sheet, out / "disagreements.csv", out / "disagreements.xlsx")
    print(report.rstrip())
    print(f"{len(sheet)} disagreements; wrote {out / 'agreement.md'}, {out / 'disagreements.csv'} and .xlsx")
    return 0


# ---- reconciliation ------------------------------------------------------------------------


def read_sheet(path) -> pd.DataFrame:
    """A decided disagreement sheet (CSV or XLSX) with a ``line`` column (file line / sheet row)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "disagreement sheet not found")
    if path.suffix.lower() == ".xlsx":
        try:
            df = pd.read_excel(path, dtype=str, keep_default_na=False)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a user error
            raise InputError(path, f"not a readable XLSX workbook ({type(exc).__name__})") from None
        # sheets from earlier versions of revalign kept formula-like text as text with an
        # apostrophe in front ("'=x"): that prefix is dropped. Any other apostrophe is the coder's.
        df = df.map(lambda v: v[1:] if isinstance(v, str) and v[:1] == "'" and v[1:].startswith(FORMULA_START) else v)
    else:
        from revalign.core.yamlio import read_text_checked

        text = read_text_checked(path)
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except Exception as exc:  # noqa: BLE001
            raise InputError(path, f"not a readable CSV file ({exc})") from None
    missing = [c for c in ("claim_id", "dimension", "field", "code_a", "code_b", "decision") if c not in df.columns]
    if missing:
        raise InputError(
            path, "missing column(s) " + ", ".join(missing) + "; use the sheet that revalign agree wrote", 1
        )
    df = df.astype(str).apply(lambda s: s.str.strip())
    df["line"] = range(2, len(df) + 2)
    return df


def _decide(row, path, allowed: dict) -> str:
    d, f = row["decision"], row["field"]
    if f not in FIELDS:
        raise InputError(path, f"field {f!r} is not one of {', '.join(FIELDS)}", row["line"])
    if not d:
        raise InputError(
            path,
            f"no decision for claim {row['claim_id']} / {row['dimension']} / {f}; write A, B or the agreed code",
            row["line"],
        )
    if d.upper() in ("A", "B"):
        return row["code_a"] if d.upper() == "A" else row["code_b"]
    if f == "presence" and d.lower() not in ("yes", "no"):
        raise InputError(path, f"decision {d!r} for presence must be A, B, yes or no", row["line"])
    if f in allowed and d not in allowed[f]:
        raise InputError(
            path,
            f"decision {d!r} is not a {f} code of the codebook (use A, B or one of: {', '.join(allowed[f])})",
            row["line"],
        )
    return d.lower() if f == "presence" else d


def _allowed_values(codebook) -> dict:
    """The codebook's vocabulary for each decidable field (empty without a codebook)."""
    if codebook is None:
        return {}
    return {
        "polarity": codebook.vocabulary("polarity"),
        "facet": codebook.vocabulary("facet"),
        "context": codebook.vocabulary("context"),
    }


def _read_decisions(sheet: pd.DataFrame, sheet_path, allowed: dict) -> tuple[dict, list]:
    """({(claim, dimension): {field: decided value}}, log rows) from the decided sheet."""
    decided: dict[tuple[str, str], dict[str, str]] = {}
    log = []
    for row in sheet.to_dict("records"):
        value = _decide(row, sheet_path, allowed)
        decided.setdefault((row["claim_id"], row["dimension"]), {})[row["field"]] = value
        log.append(
            {**{k: row[k] for k in ("claim_id", "dimension", "field", "code_a", "code_b", "decision")}, "result": value}
        )
    return decided, log


def _check_decided_units_known(decided: dict, known: set, sheet_path) -> None:
    """Every unit of the sheet must be in one of the codings."""
    for u in decided:
        if u not in known:
            raise InputError(
                sheet_path, f"claim {u[0]} / dimension {u[1]} is in neither coding; is this the right sheet?"
            )


def _keeps_single_coder_unit(u, dec: dict, sheet_path) -> bool:
    """Whether a unit coded by one coder only was decided to be kept (``presence`` = yes)."""
    keep = dec.get("presence")
    if keep is None:
        raise InputError(sheet_path, f"claim {u[0]} / dimension {u[1]}: coded by one coder only and not in the sheet")
    return keep == "yes"


def _rebuild_disputed_rows(first: dict, unit, disputed: dict) -> list[dict]:
    """A disputed unit's rows, one per decided source, with the decided (else the unit's) codes."""
    out = []
    sources = disputed.get("sources", unit["sources"]).split(";")
    for s in [s.strip() for s in sources if s.strip()]:
        r = dict(first)
        r["ref_key"] = s
        for f in ("polarity", "facet", "context"):
            v = disputed.get(f, unit[f])
            if "+" in v:  # a compound code: keep the coder's own rows for this field
                v = first[f]
            r[f] = v
        out.append(r)
    return out


def reconcile(
    sheet: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame, sheet_path="sheet", codebook=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(consensus segments, log) from the two codings and the decided sheet.

    Units both coders coded alike are taken from A. For a disputed unit the decided
    value replaces the field; the unit's rows are rebuilt one per decided source,
    carrying A's (else B's) theme, locator and excerpt. ``coder`` is ``consensus``.
    """
    decided, log = _read_decisions(sheet, sheet_path, _allowed_values(codebook))
    ua = claim_units(a, mixed_code(codebook)).set_index(["claim_id", "dimension"])
    ub = claim_units(b, mixed_code(codebook)).set_index(["claim_id", "dimension"])
    known = set(ua.index) | set(ub.index)
    _check_decided_units_known(decided, known, sheet_path)
    ca, cb_ = _claims(a), _claims(b)
    out = []
    for u in sorted(known):
        dec = decided.get(u, {})
        if (u not in ua.index or u not in ub.index) and not _keeps_single_coder_unit(u, dec, sheet_path):
            continue
        src_df, src_claims = (a, ca) if u in ua.index else (b, cb_)
        rows = src_df[(src_claims == u[0]).to_numpy() & (src_df["dimension"] == u[1]).to_numpy()]
        disputed = {f: v for f, v in dec.items() if f != "presence"}
        if not disputed:
            out.extend(r for r in rows.to_dict("records"))
            continue
        out.extend(_rebuild_disputed_rows(rows.iloc[0].to_dict(), (ua if u in ua.index else ub).loc[u], disputed))
    cols = [c for c in a.columns if c != "line"]
    cons = pd.DataFrame(out)[cols].reset_index(drop=True)
    cons["segment_id"] = [f"S{i:03d}" for i in range(1, len(cons) + 1)]
    cons["coder"] = "consensus"
    return cons, pd.DataFrame(log, columns=LOG_COLUMNS)


def cli_reconcile(args) -> int:
    """``python -m revalign reconcile SHEET -o consensus.csv [--a A.csv --b B.csv]``."""
    from revalign.coding.segments import read_segments
    from revalign.core.atomic import write_csv
    from revalign.core.codebook import load_codebook

    sheet_path = Path(args.sheet)
    sheet = read_sheet(sheet_path)

    def coding(override, column):
        if override:
            return Path(override)
        names = sorted({v for v in sheet.get(column, pd.Series(dtype=str)) if v})
        if len(names) != 1:
            raise InputError(sheet_path, f"the sheet does not name one {column}; give it with --{column[-1]}", 1)
        p = Path(names[0])
        return p if p.exists() or p.is_absolute() else (sheet_path.parent / p)

    codebook = load_codebook(args.codebook) if args.codebook else None
    a = read_segments(coding(args.a, "coding_a"), codebook=codebook)
    b = read_segments(coding(args.b, "coding_b"), codebook=codebook)
    cons, log = reconcile(sheet, a, b, sheet_path, codebook)
    out = Path(args.output)
    log_path = Path(args.log) if args.log else out.with_name(out.stem + "_log.csv")
    write_csv(cons, out)
    write_csv(log, log_path)
    print(f"{len(log)} decisions applied; {len(cons)} consensus segments; wrote {out} and {log_path}")
    return 0
