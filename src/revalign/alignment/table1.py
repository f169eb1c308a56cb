"""Table 1: one row per dimension with its level, the evidence behind it and its confidence.

:func:`align` is the entry point: for a framework judged through another one's coding
(``maps_to``, :mod:`revalign.alignment.mapping`) it maps the evidence first and adds a row
for each reference dimension without a counterpart. The published level is never read by
the rule; it is joined afterwards, only for the replication check (``published_level``,
``matches_published``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from revalign.alignment.appraisal import Appraisal
from revalign.alignment.bootstrap import bootstrap_levels
from revalign.alignment.confidence import Profile, assess
from revalign.alignment.confidence import table_columns as confidence_columns
from revalign.alignment.mapping import NO_COUNTERPART, map_segments, mapped_published, unmapped_dimensions
from revalign.alignment.replication import why_not_published
from revalign.alignment.rule import NO_EVIDENCE, UNKNOWN_TYPE, Judgement, corroboration_text, judge_units
from revalign.alignment.units import (
    claim_key,
    context_weights,
    evidence_units,
    facet_weights,
    focus_contexts,
    split_synthesis,
    two_part,
)
from revalign.core.atomic import write_csv
from revalign.core.codebook import GAP, MIXED, ROLES, STRENGTH, Codebook, Level, reference_codebook, roles_of
from revalign.core.config import Alignment
from revalign.core.contracts import TABLE1
from revalign.core.errors import InputError
from revalign.core.i18n import N_, messages

TABLE_COLUMNS = [
    "dimension",
    "dimension_label",
    "level",
    "level_rank",
    "level_label",
    # here: label_<lang> for each language other than English the levels are labelled in (label_columns)
    "label_en",
    "level_probability",
    "level_distribution",
    "confidence",
    "confidence_id",
    "confidence_explanation",
    "cerqual_methodological_limitations",
    "cerqual_coherence",
    "cerqual_adequacy",
    "cerqual_relevance",
    "rule",
    "part_grades",
    "n_strength",
    "n_gap",
    "n_mixed",
    "n_claims",
    "n_segments",
    "n_sources",
    "n_source_types",
    # here: n_<role>_<part> for each role and each of the codebook's parts (part_count_columns)
    "n_focus_context",
    "n_other_context",
    "n_synthesis",
    "weighted_strength",
    "weighted_gap",
    "score",
    "rank_before_corroboration",
    "corroboration_status",
    "corroboration",
    "key_strength",
    "key_strength_citations",
    "critical_gap",
    "critical_gap_citations",
    "citations",
    "published_level",
    "matches_published",
    "replication_note",
]


def _key_evidence(segs: pd.DataFrame, role: str, cb: Codebook | None, p: Alignment) -> tuple[str, str]:
    """Excerpts and sources of the heaviest (facet, context) cell of the segments whose polarity has *role*."""
    sub = segs[roles_of(segs, cb) == role]
    if sub.empty:
        return "", ""
    fw, cw = facet_weights(cb, p), context_weights(cb, p)
    sub = sub.assign(
        _w=[fw.get(f, 1.0) * cw.get(c, 1.0) for f, c in zip(sub["facet"], sub["context"], strict=False)],
        _claim=claim_key(sub).to_numpy(),
    )
    cells = []
    for (facet, context), cell in sub.groupby(["facet", "context"], sort=True):
        cells.append((-cell["_w"].iloc[0] * cell["_claim"].nunique(), -cell["ref_key"].nunique(), facet, context, cell))
    cells.sort(key=lambda x: x[:4])
    cell = cells[0][4]
    per_source = cell.groupby("ref_key").size()
    order = sorted(per_source.index, key=lambda k: (-per_source[k], k))
    texts = []
    for key in order[: p.key_excerpts]:
        first = cell[cell["ref_key"] == key].sort_values("segment_id").iloc[0]
        texts.append(f"{first['excerpt'].strip()} ({key})")
    return " | ".join(texts), "; ".join(sorted(order))


def _n(units: pd.DataFrame, **eq) -> int:
    """Number of claims among *units* matching every column == value."""
    m = pd.Series(True, index=units.index)
    for col, val in eq.items():
        m &= units[col] == val
    return int(units.loc[m, "claim"].nunique())


def label_languages(cb: Codebook) -> list[str]:
    """The languages other than English that every level of *cb* is labelled in, sorted."""
    langs = [set(lv.label.languages) for lv in cb.levels]
    return sorted(set.intersection(*langs) - {"en"}) if langs else []


def part_count_columns(cb: Codebook | None) -> list[str]:
    """``n_<role>_<part>``: claims of each role on each of the codebook's parts (its own facet ids)."""
    return [f"n_{role}_{part}" for role in ROLES for part in (cb.parts if cb is not None else [])]


def table_columns(cb: Codebook) -> list[str]:
    """Table 1's columns for *cb*: :data:`TABLE_COLUMNS` with a ``label_<lang>`` column before
    ``label_en`` for each of :func:`label_languages` (``label_es`` for Spanish labels), and
    the per-part counts (:func:`part_count_columns`) after ``n_source_types``."""
    i = TABLE_COLUMNS.index("label_en")
    cols = TABLE_COLUMNS[:i] + [f"label_{lang}" for lang in label_languages(cb)] + TABLE_COLUMNS[i:]
    j = cols.index("n_source_types") + 1
    return cols[:j] + part_count_columns(cb) + cols[j:]


NO_CODED_EVIDENCE = N_("No coded evidence")


def level_label(cb: Codebook, rank: int | None, lang: str) -> str:
    """The label of the level of *rank* in *lang* (no rank: "No coded evidence")."""
    if rank is None:
        return messages(lang)(NO_CODED_EVIDENCE)
    return {lv.rank: lv for lv in cb.levels}[rank].label.text(lang)


def _parts_text(j: Judgement) -> str:
    return "; ".join(f"{f}: {g} (S {j.parts[f][0]:g}, G {j.parts[f][1]:g})" for f, g in j.grades.items())


def _check_thresholds(cb: Codebook, p: Alignment, levels: list[Level]) -> None:
    """The balance rule needs one threshold fewer than there are levels."""
    if not two_part(cb) and len(levels) != len(p.thresholds) + 1:
        raise InputError(
            None,
            f"alignment.thresholds: {len(p.thresholds)} thresholds for {len(levels)} levels; need {len(levels) - 1}",
        )


def table_dimensions(cb: Codebook, dimensions: Sequence[str] | None, published: pd.DataFrame | None) -> list:
    """The table's dimensions (default: the headline components), in the published table's order if any."""
    dims = list(dimensions) if dimensions is not None else (cb.headline_ids or cb.component_ids)
    if published is not None:  # the published table's row order, for the reader (levels are never read)
        order = {d: i for i, d in enumerate(published["dimension"].astype(str).str.strip())}
        dims = sorted(dims, key=lambda d: (order.get(d, len(order)), dims.index(d)))
    return dims


def _published_levels(published: pd.DataFrame | None, levels: list[Level]) -> dict[str, str]:
    """{dimension: published level id}; a published rank is turned into its level id."""
    pub = {}
    if published is not None:
        by_rank = {str(lv.rank): lv.id for lv in levels}
        for _, r in published.iterrows():
            v = str(r["published_level"]).strip()
            pub[str(r["dimension"]).strip()] = by_rank.get(v, v)
    return pub


def _bootstrap_columns(boot: pd.DataFrame | None, d: str, level: str) -> tuple:
    """(bootstrap probability of *level*, the level distribution as text) for dimension *d*."""
    prob, dist = pd.NA, ""
    if boot is not None:
        bd = boot[boot["dimension"] == d]
        hit = bd.loc[bd["level"] == level, "probability"]
        prob = float(hit.iloc[0]) if len(hit) else 0.0
        dist = "; ".join(f"{r.level} {r.probability:.2f}" for r in bd.itertuples() if r.n)
    return prob, dist


def _count_columns(
    du: pd.DataFrame,
    ds: pd.DataFrame,
    keys: list[str],
    source_types: dict[str, str],
    focus: set[str],
    n_synthesis: int,
    cb: Codebook | None,
) -> dict:
    """The claim, segment and source counts of one dimension's row."""
    ctx_units = du.drop_duplicates("claim")
    n_focus = int(ctx_units.loc[ctx_units["focus_share"] > 0, "claim"].nunique()) if focus else 0
    parts = cb.parts if cb is not None else []
    return {
        "n_strength": _n(du, role=STRENGTH),
        "n_gap": _n(du, role=GAP),
        "n_mixed": _n(du, role=MIXED),
        "n_claims": int(du["claim"].nunique()),
        "n_segments": len(ds),
        "n_sources": len(keys),
        "n_source_types": len({source_types.get(k, UNKNOWN_TYPE) for k in keys}),
        **{f"n_{role}_{part}": _n(du, role=role, facet=part) for role in ROLES for part in parts},
        "n_focus_context": n_focus,
        "n_other_context": int(du["claim"].nunique()) - n_focus,
        "n_synthesis": n_synthesis,
    }


def _level_columns(j: Judgement, level: str, boot: pd.DataFrame | None, d: str, cb: Codebook, lang: str) -> dict:
    """The level of one dimension's row: id, rank, labels and bootstrap probability."""
    prob, dist = _bootstrap_columns(boot, d, level)
    return {
        "level": level,
        "level_rank": j.rank if j.rank is not None else pd.NA,
        "level_label": level_label(cb, j.rank, lang),
        **{f"label_{other}": level_label(cb, j.rank, other) for other in label_languages(cb)},
        "label_en": level_label(cb, j.rank, "en"),
        "level_probability": prob,
        "level_distribution": dist,
    }


def _score_columns(j: Judgement, lang: str) -> dict:
    """The weighted strength and gap, the score and the corroboration of one dimension's row."""
    return {
        "weighted_strength": round(j.s, 4),
        "weighted_gap": round(j.g, 4),
        "score": round(j.b, 4) if j.b is not None else pd.NA,
        "rank_before_corroboration": j.rank_before if j.rank_before is not None else pd.NA,
        "corroboration_status": j.corroboration,
        "corroboration": corroboration_text(j, lang),
    }


def _set_table_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer ranks, float probability and boolean match columns."""
    for col in ("level_rank", "rank_before_corroboration"):
        df[col] = df[col].astype("Int64")
    df["level_probability"] = df["level_probability"].astype("Float64")
    df["matches_published"] = df["matches_published"].astype("boolean")
    return df


@dataclass
class Built:
    """Table 1 with what was computed on the way: the bootstrap and each finding's CERQual profile."""

    table: pd.DataFrame
    bootstrap: pd.DataFrame | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)
    judgements: dict[str, Judgement] = field(default_factory=dict)


def build(
    segs: pd.DataFrame,
    cb: Codebook,
    p: Alignment,
    source_types: dict[str, str] | None = None,
    published: pd.DataFrame | None = None,
    lang: str = "en",
    dimensions: Sequence[str] | None = None,
    appraisal: Appraisal | None = None,
    bootstrap: bool = True,
    flips: dict[str, list[str]] | None = None,
    decision_labels: dict[str, str] | None = None,
) -> Built:
    """Table 1 (one row per dimension, default: the codebook's headline components), its bootstrap and profiles.

    *flips* (dimension -> declared coding decisions whose alternative alone changes the
    level) and *decision_labels* feed the coherence judgement (None: no decisions declared).
    """
    source_types = source_types or {}
    levels = cb.levels_by_rank()
    _check_thresholds(cb, p, levels)
    dims = table_dimensions(cb, dimensions, published)
    counted, synthesis = split_synthesis(segs, p)
    units = evidence_units(counted, cb, p)
    focus = focus_contexts(cb)
    boot = bootstrap_levels(segs, cb, p, dims, source_types) if bootstrap and p.bootstrap.replicates else None
    pub = _published_levels(published, levels)
    rows, profiles, judgements = [], {}, {}
    for d in dims:
        ds = counted[counted["dimension"] == d]
        du = units[units["dimension"] == d]
        j = judge_units(du, cb, p, source_types)
        judgements[d] = j
        profile = assess(du, j, cb, p, appraisal, lang, None if flips is None else flips.get(d, []), decision_labels)
        profiles[d] = profile
        ks, ks_c = _key_evidence(ds, STRENGTH, cb, p)
        cg, cg_c = _key_evidence(ds, GAP, cb, p)
        keys = sorted(set(ds["ref_key"]))
        try:
            dlabel = cb.label("component", d, lang)
        except KeyError:
            dlabel = d
        level = {lv.rank: lv.id for lv in levels}[j.rank] if j.rank is not None else NO_EVIDENCE
        published_level = pub.get(d, "")
        matches = (level == published_level) if published_level else pd.NA
        rows.append(
            {
                "dimension": d,
                "dimension_label": dlabel,
                **_level_columns(j, level, boot, d, cb, lang),
                **confidence_columns(profile, lang),
                "rule": "two_part" if two_part(cb) else "balance",
                "part_grades": _parts_text(j),
                **_count_columns(du, ds, keys, source_types, focus, int((synthesis["dimension"] == d).sum()), cb),
                **_score_columns(j, lang),
                "key_strength": ks,
                "key_strength_citations": ks_c,
                "critical_gap": cg,
                "critical_gap_citations": cg_c,
                "citations": "; ".join(keys),
                "published_level": published_level,
                "matches_published": matches,
                "replication_note": why_not_published(j, published_level, cb, p, lang) if matches is False else "",
            }
        )
    table = _set_table_dtypes(pd.DataFrame(rows, columns=table_columns(cb)))
    return Built(table, boot, profiles, judgements)


def build_table(
    segs: pd.DataFrame,
    cb: Codebook,
    p: Alignment,
    source_types: dict[str, str] | None = None,
    published: pd.DataFrame | None = None,
    lang: str = "en",
    dimensions: Sequence[str] | None = None,
    appraisal: Appraisal | None = None,
    bootstrap: bool = True,
) -> pd.DataFrame:
    """One row per dimension (default: the codebook's headline components) with level and evidence (:func:`build`)."""
    return build(segs, cb, p, source_types, published, lang, dimensions, appraisal, bootstrap).table


NO_COUNTERPART_LABEL = N_("No {framework} counterpart")


def _no_counterpart_row(
    segs: pd.DataFrame,
    ref: Codebook,
    cb: Codebook,
    p: Alignment,
    source_types: dict[str, str] | None,
    lang: str,
    appraisal: Appraisal | None,
    d: str,
) -> dict:
    """The row of reference dimension *d*, which no component of *cb* maps to: its evidence, no level."""
    row = (
        build_table(segs, ref, p, source_types, None, lang, [d], appraisal=appraisal, bootstrap=False).iloc[0].to_dict()
    )

    def no_counterpart(language: str) -> str:
        return messages(language)(NO_COUNTERPART_LABEL).format(framework=cb.framework.id)

    row.update(
        level=NO_COUNTERPART,
        level_rank=pd.NA,
        rank_before_corroboration=pd.NA,
        level_probability=pd.NA,
        level_distribution="",
        level_label=no_counterpart(lang),
        **{f"label_{other}": no_counterpart(other) for other in label_languages(cb) + ["en"]},
        corroboration_status="",
        corroboration="",
        counterpart=NO_COUNTERPART,
        matches_published=pd.NA,
        confidence="",
        confidence_id="",
        confidence_explanation="",
        cerqual_methodological_limitations="",
        cerqual_coherence="",
        cerqual_adequacy="",
        cerqual_relevance="",
        replication_note="",
    )
    return row


def align_all(
    segs: pd.DataFrame,
    cb: Codebook,
    p: Alignment,
    codebook_path: str | Path | None = None,
    source_types: dict[str, str] | None = None,
    published: pd.DataFrame | None = None,
    lang: str = "en",
    appraisal: Appraisal | None = None,
    bootstrap: bool = True,
    flips: dict[str, list[str]] | None = None,
    decision_labels: dict[str, str] | None = None,
) -> Built:
    """Table 1 for *cb* with its bootstrap and CERQual profiles; for a mapped framework, plus rows for the
    reference dimensions without counterpart.

    Rows of a mapped framework carry ``counterpart`` (the reference ids it covers) and
    ``published_level`` of the reference dimension when exactly one headline reference
    dimension maps to it.
    """
    ref = reference_codebook(cb, codebook_path) if codebook_path else None
    if ref is None:
        built = build(segs, cb, p, source_types, published, lang, None, appraisal, bootstrap, flips, decision_labels)
        built.table.insert(1, "counterpart", "")
        return built
    mapped = map_segments(segs, cb)
    dims = cb.headline_ids or [c.id for c in cb.components if c.maps_to]
    pub = mapped_published(published, cb)
    built = build(mapped, cb, p, source_types, pub, lang, dims, appraisal, bootstrap, flips, decision_labels)
    table = built.table
    table.insert(1, "counterpart", ["; ".join(cb.component(d).maps_to) for d in table["dimension"]])
    extra = [
        _no_counterpart_row(segs, ref, cb, p, source_types, lang, appraisal, d) for d in unmapped_dimensions(cb, ref)
    ]
    if extra:
        built.table = _set_table_dtypes(pd.concat([table, pd.DataFrame(extra)[table.columns]], ignore_index=True))
    return built


def align(
    segs: pd.DataFrame,
    cb: Codebook,
    p: Alignment,
    codebook_path: str | Path | None = None,
    source_types: dict[str, str] | None = None,
    published: pd.DataFrame | None = None,
    lang: str = "en",
    appraisal: Appraisal | None = None,
    bootstrap: bool = True,
) -> pd.DataFrame:
    """Table 1 (:func:`align_all` without what was computed on the way)."""
    return align_all(segs, cb, p, codebook_path, source_types, published, lang, appraisal, bootstrap).table


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write Table 1 as CSV. The replication columns (``published_level``, ``matches_published``)
    are left out when no published table was compared, and a ``label_<lang>`` column that only
    repeats ``label_en``."""
    drop = []
    if "published_level" in table and not table["published_level"].fillna("").astype(str).str.strip().any():
        drop += [c for c in ("published_level", "matches_published") if c in table]
    if "label_en" in table:
        english = table["label_en"].astype(str)
        drop += [
            c for c in table if c.startswith("label_") and c != "label_en" and table[c].astype(str).equals(english)
        ]
    return write_csv(table.drop(columns=drop), path)


def write_table1(table: pd.DataFrame, path: str | Path) -> Path:
    """Write Table 1 (``table1.csv``) with :func:`write_table`, checked against its contract
    (:data:`revalign.core.contracts.TABLE1`) first."""
    return write_table(TABLE1.produced(table, by="Table 1"), path)
