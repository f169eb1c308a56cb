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

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from revalign.bibliography.names import parse_authors
from revalign.coding.screened import mark_excluded
from revalign.coding.segments import split_evidence, synthesis_keys
from revalign.core.codebook import GAP, MIXED, ROLES, STRENGTH, roles_of
from revalign.core.errors import InputError

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

POLARITY_SCORE = {STRENGTH: 1, MIXED: 0, GAP: -1}  # by role
NO_CATEGORY = ("unknown", "other")  # shown last: a category that says nothing about the kind of source


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
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    corpus: pd.DataFrame | None = None,
    screening: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Long evidence map: one row per (source, dimension) that has segments.

    Columns: ``ref_key, dimension, n_strength, n_gap, n_mixed, net, stance, is_synthesis``
    (+ ``year, sourcetype, sourcecategory`` from the corpus when given), then
    ``excluded_at_screening, exclusion_reason`` (:func:`revalign.coding.screened.mark_excluded`:
    a cited work that stage 02's *screening* excluded; false and empty without decisions).
    Counts are by the role of each segment's polarity code. ``net`` is the net polarity
    (strength - gap); ``stance`` is the role strength or gap when all the source's segments on
    that dimension agree, otherwise mixed. The review's own synthesis keeps its own row, flagged
    ``is_synthesis``; sorted by dimension (codebook order), then synthesis last, then key.
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
    return mark_excluded(out, screening, corpus)


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


def _category_of(corpus: pd.DataFrame, by: str) -> pd.Series:
    """Citation key -> source category (lower case; ``unknown`` when empty)."""
    if by not in corpus.columns:
        raise InputError(
            None,
            f"the corpus has no {by!r} column; the bibliography must carry it (see docs/DEVELOPING.md, 'Bibliography custom fields')",
        )
    works = corpus.drop_duplicates("record_id")
    cat = works[by].astype("string").str.strip().str.lower().fillna("").replace("", "unknown")
    return pd.Series(cat.to_numpy(), index=works["record_id"].astype(str), name=by)


def _with_category(evidence: pd.DataFrame, corpus: pd.DataFrame, by: str) -> pd.DataFrame:
    out = evidence.copy()
    out[by] = out["ref_key"].astype(str).map(_category_of(corpus, by)).fillna("unknown")
    return out


def source_categories(corpus: pd.DataFrame, by: str = "sourcecategory", preferred: Iterable[str] = ()) -> list[str]:
    """The source categories of the corpus's works (the review itself left out), in the order rows show them.

    The categories come from the data: the bibliography's own field, or the categories stage 01
    derived from the document types (``source_categories`` of the parameter file, else
    :data:`revalign.bibliography.importer.DEFAULT_SOURCE_CATEGORIES`). Order: *preferred* (those
    that occur, in its order), then by number of works (most first, then by name), with
    ``unknown`` and ``other`` last.
    """
    own = synthesis_keys(corpus)
    cats = _category_of(corpus, by)
    counts = cats[~cats.index.isin(own)].value_counts()
    pref = [c for c in dict.fromkeys(str(p).strip().lower() for p in preferred) if c in counts.index]
    rest = sorted((c for c in counts.index if c not in pref), key=lambda c: (c in NO_CATEGORY, -counts[c], c))
    return pref + rest


def has_source_categories(corpus: pd.DataFrame, by: str = "sourcecategory") -> bool:
    """Whether the corpus says what kind of source each work is (some category other than unknown or other)."""
    return by in corpus.columns and any(c not in NO_CATEGORY for c in source_categories(corpus, by))


def sourcetype_dimension_table(
    segments: pd.DataFrame,
    corpus: pd.DataFrame,
    codebook: Codebook | None = None,
    by: str = "sourcecategory",
    preferred: Iterable[str] = (),
) -> pd.DataFrame:
    """Long table, one row per (source category, dimension): ``n_sources`` (distinct works) and
    ``n_segments``, cited evidence only (the review's synthesis is not a source type). The
    categories are those of the corpus (:func:`source_categories`, *preferred* first)."""
    ev, _ = split_evidence(segments, corpus)
    ev = _with_category(ev, corpus, by)
    cats = source_categories(corpus, by, preferred)
    cats += [c for c in sorted(ev[by].unique()) if c not in cats]
    rows = []
    for cat in cats:
        for dim in _dims(codebook, segments):
            sub = ev[(ev[by] == cat) & (ev["dimension"] == dim)]
            rows.append({by: cat, "dimension": dim, "n_sources": sub["ref_key"].nunique(), "n_segments": len(sub)})
    return pd.DataFrame(rows, columns=[by, "dimension", "n_sources", "n_segments"])


def sourcetype_dimension_matrix(
    segments: pd.DataFrame,
    corpus: pd.DataFrame,
    codebook: Codebook | None = None,
    by: str = "sourcecategory",
    value: str = "n_sources",
    preferred: Iterable[str] = (),
) -> pd.DataFrame:
    """Wide: rows source categories, columns dimensions, cell = distinct sources (or segments)."""
    long = sourcetype_dimension_table(segments, corpus, codebook, by, preferred)
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


# ---- labels -------------------------------------------------------------------------------


def short_citation(authors: object, year: Any, record_id: str) -> str:  # year: a cell (int, '', NA...)
    """ "Family YEAR" / "Family & Family YEAR" / "Family et al. YEAR" (``n.d.`` without a year)."""
    fams = [n.literal or n.family for n in parse_authors(authors)]
    who = (
        fams[0]
        if len(fams) == 1
        else (f"{fams[0]} & {fams[1]}" if len(fams) == 2 else (f"{fams[0]} et al." if fams else record_id))
    )
    return f"{who} {year if pd.notna(year) and year != '' else 'n.d.'}"


class ShortCitations(Mapping[str, str]):
    """record_id -> short citation (:func:`short_citation`), formatted when a key is looked up.

    Figures label only the works the evidence cites, so a corpus of 50,000 works costs one
    index of its ids, not 50,000 parsed author lists (issue 27).
    """

    def __init__(self, corpus: pd.DataFrame):
        ids = corpus["record_id"].astype(str).tolist()
        self._row = dict(zip(ids, range(len(ids)), strict=True))
        self._authors = corpus["authors"].tolist() if "authors" in corpus.columns else [None] * len(ids)
        self._years = corpus["year"].tolist() if "year" in corpus.columns else [None] * len(ids)
        self._done: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self._done:
            i = self._row[key]  # KeyError for a key of no record, as a dict would
            self._done[key] = short_citation(self._authors[i], self._years[i], key)
        return self._done[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


def short_citations(corpus: pd.DataFrame) -> Mapping[str, str]:
    """record_id -> "Family YEAR" / "Family & Family YEAR" / "Family et al. YEAR" for figure labels
    (a mapping that formats a label when it is looked up: :class:`ShortCitations`)."""
    return ShortCitations(corpus)
