"""From coded evidence to an alignment level: one rule, the same for every dimension.

The rule
========

Only *cited evidence* counts: segments whose ``ref_key`` is the review's own
synthesis (``synthesis_key``, by default ``ruminarndkredensial``) are counted apart
and left out unless ``include_synthesis: true``. For one dimension:

1. **Weight each segment** by what it is evidence of::

       w = facet weight x context weight
       facet:   practice 1.0, concept 0.5
       context: indonesia 1.0, global 0.5

2. **Weighted strength and gap.** A ``mixed`` segment counts ``mixed_share`` (0.5)
   of its weight as strength and the rest as gap::

       S = sum(w of strength) + mixed_share       * sum(w of mixed)
       G = sum(w of gap)      + (1 - mixed_share) * sum(w of mixed)

3. **Balance score** ``b = (S - G) / (S + G)``, between -1 (only gaps) and +1
   (only strengths). No evidence at all (S + G = 0) gives level ``no_evidence``.

4. **Level from thresholds** ``t = [-0.5, 0.0, 0.5]``: the rank is the number of
   thresholds that *b* strictly exceeds (0 gap identified, 1 partial, 2 fairly,
   3 strongly aligned).

5. **Corroboration.** An extreme level is a strong claim and needs triangulation.
   Rank 3 needs at least ``top_min_sources`` (3) distinct cited sources with
   strength or mixed evidence, from at least ``top_min_source_types`` (2) source
   types (``source_type_field`` of the bibliography, by default ``sourcecategory``:
   policy, report, academic, media); rank 0 needs ``bottom_min_sources`` (2)
   distinct sources with gap or mixed evidence (``bottom_min_source_types``: 1).
   An extreme level that lacks its corroboration moves one step towards the middle.

Why these defaults (chosen before the rule was run on the review's data)
------------------------------------------------------------------------

* The review asks how micro-credential *implementation in Indonesia* aligns with the
  definition. Evidence about practice in Indonesia answers that question directly;
  a conceptual claim, or evidence from elsewhere, answers it only indirectly. Half
  weight for each kind of indirectness (so global conceptual evidence weighs 0.25)
  is the simplest choice that keeps indirect evidence in play without letting it
  outvote direct evidence: one Indonesian practice segment balances two indirect
  ones.
* A mixed segment says both things at once; without further information it is split
  evenly.
* The thresholds cut the score range [-1, 1] into four bins of equal width. In
  ratios: *strongly* needs S > 3G, *fairly* needs S > G, *partial* needs S > G/3, and
  anything weaker is a *gap identified*. Balanced evidence (S = G) is therefore
  *partial*, not *fairly* aligned: a tie is not a positive finding.
* Three independent sources from two kinds of source is the usual minimum for
  triangulation; a gap is a claim of absence, which two sources can establish.

Every default is a parameter (``alignment:`` in ``params/*.yml``); the sensitivity
analysis (:mod:`revalign.alignment.sensitivity`) shows how much each level depends on them.
The published level is never read by the rule: it is joined afterwards, only for
the replication check (``published_level``, ``matches_published``).

Key strength and critical gap
-----------------------------
For each dimension, the strength segments are grouped by (facet, context) cell;
the cell with the highest weight wins, ties broken by the number of distinct
sources in the cell. Its excerpts (one per source, up to ``key_excerpts``, sources
with most segments first) form ``key_strength``, and the cell's sources are listed
in ``key_strength_citations``. The same for gap segments gives ``critical_gap``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from revalign.core.contracts import SEGMENT_COLUMNS
from revalign.core.errors import InputError
from revalign.coding import segments as segments_module
from revalign.bibliography.importer import read_corpus
from revalign.core.codebook import reference_codebook

NO_EVIDENCE = "no_evidence"
NO_COUNTERPART = "no_counterpart"
UNKNOWN_TYPE = "unknown"

TABLE_COLUMNS = [
    "dimension", "dimension_label", "level", "level_rank", "level_label", "label_id", "label_en",
    "n_strength", "n_gap", "n_mixed", "n_segments", "n_sources", "n_source_types",
    "n_strength_practice", "n_strength_concept", "n_gap_practice", "n_gap_concept",
    "n_mixed_practice", "n_mixed_concept", "n_indonesia", "n_global", "n_synthesis",
    "weighted_strength", "weighted_gap", "score", "rank_before_corroboration", "corroboration",
    "key_strength", "key_strength_citations", "critical_gap", "critical_gap_citations", "citations",
    "published_level", "matches_published",
]


# ---- reading inputs ---------------------------------------------------------------------


def read_segments(path, codebook=None, ref_keys=None) -> pd.DataFrame:
    """The validated segments (:func:`revalign.coding.segments.read_segments`) as a table of strings."""
    df = segments_module.read_segments(path, codebook=codebook, ref_keys=ref_keys)
    return df.drop(columns=["line"]).fillna("").astype(str)


def source_types_from(corpus: pd.DataFrame, field: str = "sourcecategory") -> dict[str, str]:
    """Map citation key -> source type (``field`` of the corpus; ``unknown`` when empty)."""
    if field not in corpus.columns:
        return {k: UNKNOWN_TYPE for k in corpus["record_id"].astype(str)}
    return {str(k): (str(v).strip() or UNKNOWN_TYPE) for k, v in zip(corpus["record_id"], corpus[field])}


def read_source_types(files, field: str = "sourcecategory") -> dict[str, str]:
    """Map citation key -> source type, read from *files* (see :func:`read_corpus`)."""
    return source_types_from(read_corpus(files), field)


def synthesis_keys(corpus: pd.DataFrame, p) -> set[str]:
    """Keys that stand for the review itself: ``synthesis_key`` plus corpus records marked as the review."""
    keys = {p.synthesis_key}
    if len(corpus):
        from revalign.coding.segments import synthesis_keys as from_corpus

        keys |= {k for k in from_corpus(corpus) if k}
    return keys


def read_published(path) -> pd.DataFrame | None:
    """The published table (dimension, published_level, ...), or None when not given."""
    if path is None:
        return None
    path = Path(path)
    if not path.exists():
        raise InputError(path, "published table not found")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("dimension", "published_level"):
        if col not in df.columns:
            raise InputError(path, f"missing column {col}", 1)
    return df


# ---- the rule --------------------------------------------------------------------------


def segment_weight(facet: str, context: str, p) -> float:
    """Weight of one segment: facet weight x context weight (parameters *p*)."""
    fw = p.practice_weight if facet == "practice" else p.concept_weight
    cw = p.indonesia_weight if context == "indonesia" else p.global_weight
    return fw * cw


def balance(segs: pd.DataFrame, p) -> tuple[float, float, float | None]:
    """Weighted strength S, weighted gap G and balance score b = (S-G)/(S+G) (None if S+G = 0)."""
    s = g = 0.0
    for facet, context, pol in zip(segs["facet"], segs["context"], segs["polarity"]):
        w = segment_weight(facet, context, p)
        if pol == "strength":
            s += w
        elif pol == "gap":
            g += w
        elif pol == "mixed":
            s += p.mixed_share * w
            g += (1 - p.mixed_share) * w
    total = s + g
    return s, g, ((s - g) / total if total > 0 else None)


def rank_from_score(b: float, thresholds) -> int:
    """Number of thresholds that *b* strictly exceeds."""
    return sum(1 for t in thresholds if b > t)


@dataclass
class Judgement:
    rank: int | None  # None: no evidence
    rank_before: int | None
    s: float
    g: float
    b: float | None
    note: str


def judge(segs: pd.DataFrame, source_types: dict[str, str], p) -> Judgement:
    """Apply the rule to the (already filtered, cited) segments of one dimension."""
    s, g, b = balance(segs, p)
    if b is None:
        return Judgement(None, None, s, g, None, "no evidence")
    top = len(p.thresholds)
    rank = rank_from_score(b, p.thresholds)
    before = rank
    note = "not needed"
    c = p.corroboration
    if rank == top:
        srcs = set(segs.loc[segs["polarity"].isin(["strength", "mixed"]), "ref_key"])
        types = {source_types.get(k, UNKNOWN_TYPE) for k in srcs}
        if len(srcs) >= c.top_min_sources and len(types) >= c.top_min_source_types:
            note = f"met ({len(srcs)} sources, {len(types)} source types)"
        else:
            rank -= 1
            note = f"top level not corroborated ({len(srcs)} sources, {len(types)} source types)"
    elif rank == 0:
        srcs = set(segs.loc[segs["polarity"].isin(["gap", "mixed"]), "ref_key"])
        types = {source_types.get(k, UNKNOWN_TYPE) for k in srcs}
        if len(srcs) >= c.bottom_min_sources and len(types) >= c.bottom_min_source_types:
            note = f"met ({len(srcs)} sources, {len(types)} source types)"
        else:
            rank = min(1, top)
            note = f"bottom level not corroborated ({len(srcs)} sources, {len(types)} source types)"
    return Judgement(rank, before, s, g, b, note)


def split_synthesis(segs: pd.DataFrame, p) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(segments the rule counts, the review's own synthesis segments counted apart).

    A segment is synthesis when its ``is_synthesis`` column (set by :func:`run` from
    the bibliography) is true, or, without that column, when its ``ref_key`` is
    ``synthesis_key``.
    """
    own = segs["is_synthesis"].astype(bool) if "is_synthesis" in segs.columns else segs["ref_key"] == p.synthesis_key
    if p.include_synthesis:
        return segs, segs[own]
    return segs[~own], segs[own]


def levels_for(segs: pd.DataFrame, dimensions, source_types, p) -> dict[str, int | None]:
    """Rank per dimension (None: no evidence). The compact entry point for sweeps."""
    counted, _ = split_synthesis(segs, p)
    out = {}
    for d in dimensions:
        out[d] = judge(counted[counted["dimension"] == d], source_types, p).rank
    return out


# ---- the table ---------------------------------------------------------------------------


def _key_evidence(segs: pd.DataFrame, polarity: str, p) -> tuple[str, str]:
    sub = segs[segs["polarity"] == polarity]
    if sub.empty:
        return "", ""
    sub = sub.assign(_w=[segment_weight(f, c, p) for f, c in zip(sub["facet"], sub["context"])])
    cells = []
    for (facet, context), cell in sub.groupby(["facet", "context"], sort=True):
        cells.append((-cell["_w"].iloc[0], -cell["ref_key"].nunique(), facet, context, cell))
    cells.sort(key=lambda x: x[:4])
    cell = cells[0][4]
    per_source = cell.groupby("ref_key").size()
    order = sorted(per_source.index, key=lambda k: (-per_source[k], k))
    texts = []
    for key in order[: p.key_excerpts]:
        first = cell[cell["ref_key"] == key].sort_values("segment_id").iloc[0]
        texts.append(f"{first['excerpt'].strip()} ({key})")
    return " | ".join(texts), "; ".join(sorted(order))


def _n(segs, **eq) -> int:
    m = pd.Series(True, index=segs.index)
    for col, val in eq.items():
        m &= segs[col] == val
    return int(m.sum())


def level_label(cb, rank: int | None, lang: str) -> str:
    if rank is None:
        return {"en": "No coded evidence", "id": "Tidak ada bukti terkode"}[lang]
    return getattr(cb.levels_by_rank()[rank].label, lang)


def build_table(segs: pd.DataFrame, cb, p, source_types: dict[str, str] | None = None, published: pd.DataFrame | None = None,
                lang: str = "en", dimensions=None) -> pd.DataFrame:
    """One row per dimension (default: the codebook's headline components) with level and evidence."""
    source_types = source_types or {}
    levels = cb.levels_by_rank()
    if len(levels) != len(p.thresholds) + 1:
        raise InputError(None, f"alignment.thresholds: {len(p.thresholds)} thresholds for {len(levels)} levels; need {len(levels) - 1}")
    dims = list(dimensions) if dimensions is not None else (cb.headline_ids or cb.component_ids)
    if published is not None:  # the published table's row order, for the reader (levels are never read)
        order = {d: i for i, d in enumerate(published["dimension"].astype(str).str.strip())}
        dims = sorted(dims, key=lambda d: (order.get(d, len(order)), dims.index(d)))
    counted, synthesis = split_synthesis(segs, p)
    pub = {}
    if published is not None:
        by_rank = {str(lv.rank): lv.id for lv in levels}
        for _, r in published.iterrows():
            v = str(r["published_level"]).strip()
            pub[str(r["dimension"]).strip()] = by_rank.get(v, v)
    rows = []
    for d in dims:
        ds = counted[counted["dimension"] == d]
        j = judge(ds, source_types, p)
        ks, ks_c = _key_evidence(ds, "strength", p)
        cg, cg_c = _key_evidence(ds, "gap", p)
        keys = sorted(set(ds["ref_key"]))
        try:
            dlabel = cb.label("component", d, lang)
        except KeyError:
            dlabel = d
        level = levels[j.rank].id if j.rank is not None else NO_EVIDENCE
        published_level = pub.get(d, "")
        rows.append({
            "dimension": d,
            "dimension_label": dlabel,
            "level": level,
            "level_rank": j.rank if j.rank is not None else pd.NA,
            "level_label": level_label(cb, j.rank, lang),
            "label_id": level_label(cb, j.rank, "id"),
            "label_en": level_label(cb, j.rank, "en"),
            "n_strength": _n(ds, polarity="strength"),
            "n_gap": _n(ds, polarity="gap"),
            "n_mixed": _n(ds, polarity="mixed"),
            "n_segments": len(ds),
            "n_sources": len(keys),
            "n_source_types": len({source_types.get(k, UNKNOWN_TYPE) for k in keys}),
            "n_strength_practice": _n(ds, polarity="strength", facet="practice"),
            "n_strength_concept": _n(ds, polarity="strength", facet="concept"),
            "n_gap_practice": _n(ds, polarity="gap", facet="practice"),
            "n_gap_concept": _n(ds, polarity="gap", facet="concept"),
            "n_mixed_practice": _n(ds, polarity="mixed", facet="practice"),
            "n_mixed_concept": _n(ds, polarity="mixed", facet="concept"),
            "n_indonesia": _n(ds, context="indonesia"),
            "n_global": _n(ds, context="global"),
            "n_synthesis": int((synthesis["dimension"] == d).sum()),
            "weighted_strength": round(j.s, 4),
            "weighted_gap": round(j.g, 4),
            "score": round(j.b, 4) if j.b is not None else pd.NA,
            "rank_before_corroboration": j.rank_before if j.rank_before is not None else pd.NA,
            "corroboration": j.note,
            "key_strength": ks,
            "key_strength_citations": ks_c,
            "critical_gap": cg,
            "critical_gap_citations": cg_c,
            "citations": "; ".join(keys),
            "published_level": published_level,
            "matches_published": (level == published_level) if published_level else pd.NA,
        })
    df = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for col in ("level_rank", "rank_before_corroboration"):
        df[col] = df[col].astype("Int64")
    df["matches_published"] = df["matches_published"].astype("boolean")
    return df


# ---- another framework: evidence mapped through maps_to -----------------------------------


def map_segments(segs: pd.DataFrame, cb) -> pd.DataFrame:
    """Relabel segments coded on the reference framework onto *cb*'s components via ``maps_to``.

    A segment whose dimension several components map to is counted once for each
    of them. Segments already coded on *cb*'s own ids are kept as they are.
    """
    parts = [segs[segs["dimension"].isin(cb.component_ids)]]
    for c in cb.components:
        if c.maps_to:
            parts.append(segs[segs["dimension"].isin(c.maps_to)].assign(dimension=c.id))
    return pd.concat(parts, ignore_index=True)


def unmapped_dimensions(cb, ref_cb) -> list[str]:
    """Headline components of the reference framework that no component of *cb* maps to."""
    mapped = {m for c in cb.components for m in c.maps_to}
    return [d for d in ref_cb.headline_ids if d not in mapped]


def align(segs: pd.DataFrame, cb, p, codebook_path=None, source_types=None, published=None, lang="en") -> pd.DataFrame:
    """The results table for *cb*; for a mapped framework, plus rows for reference dimensions without counterpart.

    Rows of a mapped framework carry ``maps_to`` (the reference ids it covers) and
    ``published_level`` of the reference dimension when exactly one headline
    reference dimension maps to it.
    """
    ref = reference_codebook(cb, codebook_path) if codebook_path else None
    if ref is None:
        table = build_table(segs, cb, p, source_types, published, lang)
        table.insert(1, "counterpart", "")
        return table
    mapped = map_segments(segs, cb)
    dims = cb.headline_ids or [c.id for c in cb.components if c.maps_to]
    pub = None
    if published is not None:
        rows = []
        for c in cb.components:
            targets = [m for m in c.maps_to if m in set(published["dimension"])]
            if len(targets) == 1:
                r = published[published["dimension"] == targets[0]].iloc[0].copy()
                r["dimension"] = c.id
                rows.append(r)
        pub = pd.DataFrame(rows) if rows else None
    table = build_table(mapped, cb, p, source_types, pub, lang, dims)
    table.insert(1, "counterpart", ["; ".join(cb.component(d).maps_to) for d in table["dimension"]])
    extra = []
    for d in unmapped_dimensions(cb, ref):
        row = build_table(segs, ref, p, source_types, None, lang, [d]).iloc[0].to_dict()
        row.update(level=NO_COUNTERPART, level_rank=pd.NA, rank_before_corroboration=pd.NA,
                   level_label={"en": f"No {cb.framework.id} counterpart", "id": f"Tidak ada padanan {cb.framework.id}"}[lang],
                   label_en=f"No {cb.framework.id} counterpart", label_id=f"Tidak ada padanan {cb.framework.id}",
                   corroboration="not assessed", counterpart=NO_COUNTERPART, matches_published=pd.NA)
        extra.append(row)
    if extra:
        table = pd.concat([table, pd.DataFrame(extra)[table.columns]], ignore_index=True)
        for col in ("level_rank", "rank_before_corroboration"):
            table[col] = table[col].astype("Int64")
        table["matches_published"] = table["matches_published"].astype("boolean")
    return table


def replication_summary(table: pd.DataFrame) -> dict:
    """How many published levels the evidence reproduces, and which differ."""
    comp = table[table["published_level"].astype(str) != ""]
    matched = comp[comp["matches_published"].fillna(False).astype(bool)]
    return {
        "n_compared": len(comp),
        "n_reproduced": len(matched),
        "differ": [
            {"dimension": r.dimension, "level": r.level, "published_level": r.published_level}
            for r in comp.itertuples() if not (r.matches_published is True or r.matches_published == True)  # noqa: E712
        ],
    }


# ---- running it -------------------------------------------------------------------------


def load_inputs(cfg, segments_path=None, codebook_path=None, bibliography=None, published_path="__cfg__") -> dict:
    """Everything the rule needs, read and validated: codebook, segments, corpus, published table.

    The bibliography defaults to the run's ``P/corpus.csv`` when stage 01 has written
    it, otherwise to the parameter file's ``bibliography`` exports.
    """
    from revalign.core.codebook import load_codebook

    p = cfg.params.alignment
    cb_path = Path(codebook_path) if codebook_path else cfg.path(cfg.params.codebook)
    cb = load_codebook(cb_path)
    ref = reference_codebook(cb, cb_path)
    if bibliography is None:
        corpus_csv = cfg.processed_dir / "corpus.csv"
        bibliography = [corpus_csv] if corpus_csv.exists() else cfg.bibliography_files
    corpus = read_corpus(bibliography)
    keys = set(corpus["record_id"].astype(str)) if len(corpus) else None
    segs = read_segments(segments_path or cfg.path(cfg.params.segments), ref or cb, keys)
    segs["is_synthesis"] = segs["ref_key"].isin(synthesis_keys(corpus, p))
    if published_path == "__cfg__":
        published_path = cfg.path(cfg.params.published_table)
    return {
        "codebook": cb, "codebook_path": cb_path, "reference_codebook": ref, "segments": segs, "corpus": corpus,
        "source_types": source_types_from(corpus, p.source_type_field), "published": read_published(published_path),
        "params": p, "lang": cfg.params.lang,
    }


def run(cfg, segments_path=None, codebook_path=None, bibliography=None, published_path="__cfg__") -> pd.DataFrame:
    """Load the inputs named by a RunConfig (or overrides) and return the table."""
    x = load_inputs(cfg, segments_path, codebook_path, bibliography, published_path)
    return align(x["segments"], x["codebook"], x["params"], x["codebook_path"], x["source_types"], x["published"], x["lang"])


def write_table(table: pd.DataFrame, path) -> Path:
    from revalign.core.atomic import write_csv

    return write_csv(table, path)


def cli_align(args) -> int:
    """``python -m revalign align --segments CSV [--codebook] [--params] [--bibliography] -o DIR``."""
    from revalign.core import config

    cfg = config.load(args.params or "params/default.yml")
    seg = Path(args.segments)
    if not seg.exists():
        raise InputError(seg, "segments file not found")
    bib = args.bibliography if args.bibliography else None
    table = run(cfg, seg, args.codebook, bib)
    out = Path(args.output) / "table1.csv"
    write_table(table, out)
    s = replication_summary(table)
    for r in table.itertuples():
        print(f"{r.dimension}: {r.level} (score {r.score}, {r.n_sources} sources)")
    if s["n_compared"]:
        print(f"{s['n_reproduced']} of {s['n_compared']} published levels reproduced")
    print(f"wrote {out}")
    return 0


def worked_example(segs: pd.DataFrame, dimension: str, p, source_types: dict[str, str], cb=None) -> tuple[pd.DataFrame, str]:
    """The rule applied by hand to one dimension: the weighted cells and the arithmetic, as text.

    Returns (one row per polarity x facet x context cell with count and weight, the
    calculation written out).
    """
    counted, own = split_synthesis(segs, p)
    d = counted[counted["dimension"] == dimension]
    rows = []
    for pol in ("strength", "gap", "mixed"):
        for facet in ("practice", "concept"):
            for context in ("indonesia", "global"):
                n = int(((d["polarity"] == pol) & (d["facet"] == facet) & (d["context"] == context)).sum())
                if n:
                    w = segment_weight(facet, context, p)
                    rows.append({"polarity": pol, "facet": facet, "context": context, "segments": n, "weight": w,
                                 "weighted": n * w})
    cells = pd.DataFrame(rows, columns=["polarity", "facet", "context", "segments", "weight", "weighted"])
    j = judge(d, source_types, p)

    def terms(pol, share=1.0):
        sub = cells[cells["polarity"] == pol]
        return [f"{share:g}*{r.segments}x{r.weight:g}" if share != 1 else f"{r.segments}x{r.weight:g}" for r in sub.itertuples()]

    s_terms = terms("strength") + terms("mixed", p.mixed_share)
    g_terms = terms("gap") + terms("mixed", 1 - p.mixed_share)
    lines = [
        f"dimension: {dimension} ({len(d)} cited segments from {d['ref_key'].nunique()} sources; "
        f"{int((own['dimension'] == dimension).sum())} synthesis segments {'included' if p.include_synthesis else 'set aside'})",
        f"S = {' + '.join(s_terms) + ' = ' if s_terms else ''}{j.s:g}",
        f"G = {' + '.join(g_terms) + ' = ' if g_terms else ''}{j.g:g}",
    ]
    if j.b is None:
        lines.append("no evidence: level no_evidence")
    else:
        exceeded = [t for t in p.thresholds if j.b > t]
        lines.append(f"b = (S - G) / (S + G) = ({j.s:g} - {j.g:g}) / ({j.s:g} + {j.g:g}) = {j.b:.4f}")
        lines.append(f"thresholds {p.thresholds}: b exceeds {len(exceeded)} of them -> rank {j.rank_before}")
        lines.append(f"corroboration: {j.note} -> rank {j.rank}"
                     + (f" ({cb.levels_by_rank()[j.rank].id})" if cb is not None else ""))
    return cells, "\n".join(lines)
