"""Matrices of the coded evidence: theme x dimension, the evidence map, source type x dimension.

Every function takes the validated segments (:func:`revalign.coding.segments.read_segments`)
and, where it needs the kind of each source, the corpus of stage 01 (``record_id`` =
citation key, plus ``sourcetype``, ``sourcecategory``, ``inreflist``). The review's own
synthesis (segments whose ``ref_key`` is the review itself) is never mixed into a count
of cited evidence: it is either reported in its own column or left out, as each
function's docstring says.

Polarity is scored strength = +1, mixed = 0, gap = -1; the *net polarity* of a source on
a dimension is the sum over its segments.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from revalign.bibliography.names import parse_authors
from revalign.coding.segments import split_evidence
from revalign.core.codebook import GAP, MIXED, ROLES, STRENGTH, roles_of
from revalign.core.errors import InputError

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

POLARITY_SCORE = {STRENGTH: 1, MIXED: 0, GAP: -1}  # by role
SOURCE_CATEGORIES = ("policy", "report", "academic", "media")


def _dims(codebook: Codebook | None, segments: pd.DataFrame | None = None) -> list[str]:
    if codebook is not None:
        return list(codebook.component_ids)
    return sorted(segments["dimension"].unique()) if segments is not None else []


def _themes(codebook: Codebook | None, segments: pd.DataFrame | None = None) -> list[str]:
    if codebook is not None:
        return codebook.vocabulary("themes")
    return sorted(segments["theme"].unique()) if segments is not None else []


# ---- theme x dimension ------------------------------------------------------------------


def theme_dimension_matrix(
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    corpus: pd.DataFrame | None = None,
    basis: str = "evidence",
) -> pd.DataFrame:
    """Wide counts of segments: rows themes, columns dimensions (codebook order, zeros kept).

    *basis*: ``"evidence"`` (cited evidence only), ``"synthesis"`` (the review's own
    claims only) or ``"all"``.
    """
    ev, syn = split_evidence(segments, corpus)
    data = {"evidence": ev, "synthesis": syn, "all": pd.concat([ev, syn])}[basis]
    ct = pd.crosstab(data["theme"], data["dimension"]) if len(data) else pd.DataFrame()
    out = (
        ct.reindex(index=_themes(codebook, segments), columns=_dims(codebook, segments), fill_value=0)
        .fillna(0)
        .astype(int)
    )
    out.index.name, out.columns.name = "theme", "dimension"
    return out


def theme_dimension_table(
    segments: pd.DataFrame, codebook: Codebook | None = None, corpus: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Long table, one row per (theme, dimension): cited-evidence segments and sources, synthesis segments."""
    ev, syn = split_evidence(segments, corpus)
    rows = []
    for theme in _themes(codebook, segments):
        for dim in _dims(codebook, segments):
            e = ev[(ev["theme"] == theme) & (ev["dimension"] == dim)]
            s = syn[(syn["theme"] == theme) & (syn["dimension"] == dim)]
            rows.append(
                {
                    "theme": theme,
                    "dimension": dim,
                    "n_segments": len(e),
                    "n_sources": e["ref_key"].nunique(),
                    "n_synthesis": len(s),
                }
            )
    return pd.DataFrame(rows)


# ---- dimension x source: the evidence map -------------------------------------------------


def _stance(n_strength: int, n_gap: int, n_mixed: int) -> str:
    """The role ``strength`` / ``gap`` when every segment agrees, otherwise ``mixed``."""
    if n_strength and not n_gap and not n_mixed:
        return STRENGTH
    if n_gap and not n_strength and not n_mixed:
        return GAP
    return MIXED


def evidence_map(
    segments: pd.DataFrame, codebook: Codebook | None = None, corpus: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Long evidence map: one row per (source, dimension) that has segments.

    Columns: ``ref_key, dimension, n_strength, n_gap, n_mixed, net, stance, is_synthesis``
    (+ ``year, sourcetype, sourcecategory`` from the corpus when given); counts by the role of
    each segment's polarity code. ``net`` is the net polarity (strength - gap); ``stance`` is
    the role strength or gap when all the source's segments on that dimension agree, otherwise mixed. The review's own synthesis keeps
    its own row, flagged ``is_synthesis``; sorted by dimension (codebook order), then
    synthesis last, then key.
    """
    ev, syn = split_evidence(segments, corpus)
    marked = pd.concat([ev, syn], ignore_index=True)
    dims = _dims(codebook, segments)
    rows = []
    marked = marked.assign(_role=roles_of(marked, codebook).to_numpy()) if len(marked) else marked.assign(_role="")
    for (key, dim), grp in marked.groupby(["ref_key", "dimension"], sort=False):
        counts = grp["_role"].value_counts()
        ns, ng, nm = (int(counts.get(role, 0)) for role in ROLES)
        rows.append(
            {
                "ref_key": key,
                "dimension": dim,
                "n_strength": ns,
                "n_gap": ng,
                "n_mixed": nm,
                "net": ns - ng,
                "stance": _stance(ns, ng, nm),
                "is_synthesis": bool(grp["is_synthesis"].iloc[0]),
            }
        )
    cols = ["ref_key", "dimension", "n_strength", "n_gap", "n_mixed", "net", "stance", "is_synthesis"]
    out = pd.DataFrame(rows, columns=cols)
    if corpus is not None and len(out):
        extra = [c for c in ("year", "sourcetype", "sourcecategory") if c in corpus.columns]
        info = corpus.drop_duplicates("record_id").set_index(
            corpus.drop_duplicates("record_id")["record_id"].astype(str)
        )[extra]
        out = out.join(info, on="ref_key")
    order = {d: i for i, d in enumerate(dims)}
    out["_d"] = out["dimension"].map(order).fillna(len(order))
    out = out.sort_values(["_d", "is_synthesis", "ref_key"], kind="mergesort").drop(columns="_d").reset_index(drop=True)
    return out


def evidence_map_matrix(
    segments: pd.DataFrame, codebook: Codebook | None = None, corpus: pd.DataFrame | None = None, value: str = "net"
) -> pd.DataFrame:
    """Wide evidence map: rows sources (cited sources by key, the review's own synthesis last),
    columns dimensions; cell = *value* (``net``, ``n_strength``, ``n_gap``, ``n_mixed``), NaN where
    the source says nothing about the dimension."""
    long = evidence_map(segments, codebook, corpus)
    dims = _dims(codebook, segments)
    keys = long.sort_values(["is_synthesis", "ref_key"], kind="mergesort")["ref_key"].drop_duplicates().tolist()
    if not len(long):
        return pd.DataFrame(index=pd.Index([], name="ref_key"), columns=pd.Index(dims, name="dimension"), dtype=float)
    wide = long.pivot(index="ref_key", columns="dimension", values=value)
    wide = wide.reindex(index=keys, columns=dims)
    wide.index.name, wide.columns.name = "ref_key", "dimension"
    return wide


# ---- source type x dimension: triangulation ------------------------------------------------


def _with_category(evidence: pd.DataFrame, corpus: pd.DataFrame, by: str) -> pd.DataFrame:
    if by not in corpus.columns:
        raise InputError(
            None,
            f"the corpus has no {by!r} column; the bibliography must carry it (see docs/DEVELOPING.md, 'Bibliography custom fields')",
        )
    cat = corpus.drop_duplicates("record_id").set_index(corpus.drop_duplicates("record_id")["record_id"].astype(str))[
        by
    ]
    out = evidence.copy()
    out[by] = out["ref_key"].map(cat).astype("string").str.strip().str.lower().fillna("unknown").replace("", "unknown")
    return out


def sourcetype_dimension_table(
    segments: pd.DataFrame, corpus: pd.DataFrame, codebook: Codebook | None = None, by: str = "sourcecategory"
) -> pd.DataFrame:
    """Long table, one row per (source category, dimension): ``n_sources`` (distinct works) and
    ``n_segments``, cited evidence only (the review's synthesis is not a source type)."""
    ev, _ = split_evidence(segments, corpus)
    ev = _with_category(ev, corpus, by)
    cats = list(SOURCE_CATEGORIES) if by == "sourcecategory" else []
    cats += [c for c in sorted(ev[by].unique()) if c not in cats]
    rows = []
    for cat in cats:
        for dim in _dims(codebook, segments):
            sub = ev[(ev[by] == cat) & (ev["dimension"] == dim)]
            rows.append({by: cat, "dimension": dim, "n_sources": sub["ref_key"].nunique(), "n_segments": len(sub)})
    return pd.DataFrame(rows)


def sourcetype_dimension_matrix(
    segments: pd.DataFrame,
    corpus: pd.DataFrame,
    codebook: Codebook | None = None,
    by: str = "sourcecategory",
    value: str = "n_sources",
) -> pd.DataFrame:
    """Wide: rows source categories, columns dimensions, cell = distinct sources (or segments)."""
    long = sourcetype_dimension_table(segments, corpus, codebook, by)
    rows = long[by].drop_duplicates().tolist()
    wide = long.pivot(index=by, columns="dimension", values=value).reindex(
        index=rows, columns=_dims(codebook, segments)
    )
    wide.columns.name = "dimension"
    return wide.astype(int)


def triangulation(
    segments: pd.DataFrame, corpus: pd.DataFrame, codebook: Codebook | None = None, by: str = "sourcecategory"
) -> pd.DataFrame:
    """Per dimension: how many sources and source categories back it, and a status.

    ``status`` is ``no cited evidence`` (0 categories), ``single source type`` (1) or
    ``triangulated`` (2 or more categories). ``categories`` lists them, ';'-separated.
    """
    long = sourcetype_dimension_table(segments, corpus, codebook, by)
    ev, _ = split_evidence(segments, corpus)
    rows = []
    for dim in _dims(codebook, segments):
        sub = long[(long["dimension"] == dim) & (long["n_sources"] > 0)]
        cats = sub[by].tolist()
        n = len(cats)
        rows.append(
            {
                "dimension": dim,
                "n_sources": int(ev.loc[ev["dimension"] == dim, "ref_key"].nunique()),
                "n_categories": n,
                "categories": ";".join(cats),
                "status": "no cited evidence" if n == 0 else ("single source type" if n == 1 else "triangulated"),
            }
        )
    return pd.DataFrame(rows)


def single_type_dimensions(
    segments: pd.DataFrame, corpus: pd.DataFrame, codebook: Codebook | None = None, by: str = "sourcecategory"
) -> pd.DataFrame:
    """The dimensions whose cited evidence comes from exactly one source category."""
    tri = triangulation(segments, corpus, codebook, by)
    return tri[tri["n_categories"] == 1].reset_index(drop=True)


# ---- stage 03 inputs ------------------------------------------------------------------------


def screened_records(corpus: pd.DataFrame, screening_path: str | Path) -> pd.DataFrame:
    """The corpus records stage 02 included (all records when its file is missing)."""
    path = Path(screening_path)
    if not path.exists():
        return corpus
    scr = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"record_id", "decision"} <= set(scr.columns):
        raise InputError(path, "expected columns record_id and decision (stage 02's screening.csv)", 1)
    keep = set(scr.loc[scr["decision"] == "include", "record_id"])
    return corpus[corpus["record_id"].isin(keep)].reset_index(drop=True)


def short_citations(corpus: pd.DataFrame) -> dict[str, str]:
    """record_id -> "Family YEAR" / "Family & Family YEAR" / "Family et al. YEAR" for figure labels."""
    out = {}
    for rec in corpus.to_dict("records"):
        fams = [n.literal or n.family for n in parse_authors(rec.get("authors"))]
        who = (
            fams[0]
            if len(fams) == 1
            else (f"{fams[0]} & {fams[1]}" if len(fams) == 2 else (f"{fams[0]} et al." if fams else rec["record_id"]))
        )
        year = rec.get("year")
        out[str(rec["record_id"])] = f"{who} {year if pd.notna(year) and year != '' else 'n.d.'}"
    return out
