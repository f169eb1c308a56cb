"""From coded evidence to an alignment level: one rule, the same for every dimension.

The rule is fixed in ``docs/protocol.md`` (sections 1, 3, 5, 6), written before it was
run; this module implements it. In short:

Evidence units
==============
Only *cited evidence* counts (the review's own synthesis is set apart, see
:func:`split_synthesis`). The unit is a **claim on a dimension**: the rows of one
``claim_id`` (one statement) coded to one dimension are one unit, however many sources
the claim cites. A unit whose rows span k facets is one unit per facet with weight 1/k;
its polarity is its rows' polarity when they agree, else ``mixed``. A unit's weight is
shared equally among its sources (what the bootstrap resamples).

Levels as data (two-part rule)
==============================
A codebook whose levels carry ``when`` conditions defines its levels by the grades of the
evidence *parts* (its facets, e.g. concept and practice). For one dimension and one part::

    S = sum(w of strength units) + mixed_share * sum(w of mixed units)
    G = sum(w of gap units)      + (1 - mixed_share) * sum(w of mixed units)
    s = S / (S + G)                                 (no units: grade ``none``)

The codebook's ``part_grades`` list (top first) gives each grade a lower bound on *s*,
inclusive unless ``strict: true``; the first grade whose bound *s* meets is the part's
grade. Levels are then tried from the highest rank down; a level's ``when`` maps parts to
the grades it allows (a part not named allows any grade); the first level whose condition
holds is the level, and the level without ``when`` takes everything else. With
``context_weighting: true`` each unit's weight is multiplied by its context's weight (the
codebook's ``weight:`` on each context term); by default it is not (relevance is judged
in the confidence rating instead).

Single-score rule (codebooks whose levels have no ``when``)
===========================================================
As before the two-part rule existed: ``w = facet weight x context weight`` (the codebook's
term weights, overridable by ``alignment.facet_weights`` / ``context_weights``), the
balance ``b = (S - G) / (S + G)`` over all units, and the rank is the number of
``alignment.thresholds`` that *b* strictly exceeds.

Corroboration (both rules)
==========================
The top level needs ``top_min_sources`` distinct cited sources with strength or mixed
evidence from ``top_min_source_types`` source types; the bottom level needs
``bottom_min_sources`` sources with gap or mixed evidence. An extreme level without its
corroboration moves one step towards the middle.

Uncertainty and confidence
==========================
:func:`bootstrap_levels` resamples the cited sources with replacement (seeded) and gives
the probability of each level per dimension; :func:`cerqual` rates the confidence in each
finding from the source appraisal table (GRADE-CERQual components, rules in the
protocol). The published level is never read by the rule; it is joined afterwards, only
for the replication check (``published_level``, ``matches_published``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from revalign.bibliography.importer import read_corpus
from revalign.coding import segments as segments_module
from revalign.core.codebook import GAP, MIXED, NONE_GRADE, ROLES, STRENGTH, reference_codebook, roles_of
from revalign.core.errors import InputError
from revalign.core.i18n import N_, messages

NO_EVIDENCE = "no_evidence"
NO_COUNTERPART = "no_counterpart"
UNKNOWN_TYPE = "unknown"

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
    "corroboration",
    "key_strength",
    "key_strength_citations",
    "critical_gap",
    "critical_gap_citations",
    "citations",
    "published_level",
    "matches_published",
]


# ---- weights declared in the codebook ---------------------------------------------------


def facet_weights(cb, p) -> dict[str, float]:
    """Facet id -> weight: the codebook's ``weight`` (1 when absent), overridden by params."""
    out = {t.id: (t.weight if t.weight is not None else 1.0) for t in (cb.facet if cb is not None else [])}
    out.update(p.facet_weights or {})
    return out


def context_weights(cb, p) -> dict[str, float]:
    """Context id -> weight: the codebook's ``weight`` (1 when absent), overridden by params."""
    out = {t.id: (t.weight if t.weight is not None else 1.0) for t in (cb.context if cb is not None else [])}
    out.update(p.context_weights or {})
    return out


def focus_contexts(cb) -> set[str]:
    """The context ids marked ``focus: true`` (the review's own context), possibly none."""
    return {t.id for t in (cb.context if cb is not None else []) if t.focus}


def two_part(cb) -> bool:
    """True when the codebook defines its levels by part grades (``when`` on a level)."""
    return cb is not None and any(lv.when is not None for lv in cb.levels)


def uses_context_weights(cb, p) -> bool:
    """Context weights apply: ``context_weighting`` when set, else only in the single-score rule."""
    return p.context_weighting if p.context_weighting is not None else not two_part(cb)


# ---- evidence units ----------------------------------------------------------------------


def claim_key(segs: pd.DataFrame) -> pd.Series:
    """The claim of each row: ``claim_id`` when present and filled, else locator + excerpt."""
    if "claim_id" in segs.columns and segs["claim_id"].astype(str).str.strip().ne("").all():
        return segs["claim_id"].astype(str).str.strip()
    if {"locator", "excerpt"} <= set(segs.columns):
        return segs["locator"].astype(str).str.strip() + "\x1f" + segs["excerpt"].astype(str).str.strip()
    return pd.Series([f"row{i}" for i in range(len(segs))], index=segs.index)  # each row its own claim


UNIT_COLUMNS = ["claim", "dimension", "facet", "role", "weight", "context_weight", "focus_share", "sources"]


def evidence_units(segs: pd.DataFrame, cb=None, p=None) -> pd.DataFrame:
    """One row per claim x dimension x facet (see the module docstring)."""
    if segs.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    cw = context_weights(cb, p) if p is not None else {}
    focus = focus_contexts(cb)
    groups: dict[tuple[str, str], dict[str, list]] = {}
    cols = [segs[c].tolist() for c in ("dimension", "facet")]
    cols += [roles_of(segs, cb).tolist()] + [segs[c].tolist() for c in ("context", "ref_key")]
    for claim, dim, facet, pol, ctx, ref in zip(claim_key(segs).tolist(), *cols, strict=False):
        groups.setdefault((claim, dim), {}).setdefault(facet, []).append((pol, ctx, ref))
    rows = []
    for (claim, dim), by_facet in groups.items():
        k = len(by_facet)
        for f in sorted(by_facet):
            items = by_facet[f]
            pols = {x[0] for x in items}
            rows.append(
                (
                    claim,
                    dim,
                    f,
                    next(iter(pols)) if len(pols) == 1 else MIXED,
                    1.0 / k,
                    sum(cw.get(x[1], 1.0) for x in items) / len(items),
                    sum(x[1] in focus for x in items) / len(items),
                    tuple(sorted({x[2] for x in items})),
                )
            )
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


@dataclass
class _Units:
    """Evidence units of one dimension as plain lists (the rule runs thousands of times in the bootstrap)."""

    role: list[str]
    facet: list[str]
    weight: list[float]
    context_weight: list[float]
    sources: list[tuple[str, ...]]


def _compile(units: pd.DataFrame) -> _Units:
    return _Units(
        list(units["role"]),
        list(units["facet"]),
        [float(x) for x in units["weight"]],
        [float(x) for x in units["context_weight"]],
        list(units["sources"]),
    )


def _effective(u: _Units, mult: dict[str, int] | None) -> list[float]:
    """Each unit's weight after resampling: w x mean over its sources of their multiplicity."""
    if mult is None:
        return list(u.weight)
    return [w * sum(mult.get(s, 0) for s in srcs) / len(srcs) for w, srcs in zip(u.weight, u.sources, strict=False)]


def strength_gap(roles, weights, mixed_share: float) -> tuple[float, float]:
    """Weighted strength S and gap G (a mixed unit split by *mixed_share*)."""
    s = g = 0.0
    for pol, w in zip(roles, weights, strict=False):
        if pol == STRENGTH:
            s += w
        elif pol == GAP:
            g += w
        elif pol == MIXED:
            s += mixed_share * w
            g += (1 - mixed_share) * w
    return s, g


def grade_of(s: float, g: float, grades, shift: float = 0.0) -> str:
    """The part grade of strength S and gap G from the codebook's ``part_grades`` (top first)."""
    if s + g <= 0:
        return NONE_GRADE
    share = round(s / (s + g), 9)
    for gr in grades:
        bound = min(1.0, max(0.0, gr.min_share + shift)) if gr.min_share > 0 else gr.min_share
        if (share > bound) if gr.strict else (share >= bound):
            return gr.id
    return grades[-1].id


def level_from_grades(grades: dict[str, str], cb) -> int:
    """Rank of the first level (from the top) whose ``when`` the part grades satisfy."""
    for lv in sorted(cb.levels, key=lambda lv: -lv.rank):
        if lv.when is None:
            return lv.rank
        if all(grades.get(part, NONE_GRADE) in allowed for part, allowed in lv.when.items()):
            return lv.rank
    return min(lv.rank for lv in cb.levels)


@dataclass
class Judgement:
    rank: int | None  # None: no evidence
    rank_before: int | None
    s: float
    g: float
    b: float | None
    note: str
    grades: dict[str, str] = field(default_factory=dict)
    parts: dict[str, tuple[float, float]] = field(default_factory=dict)


def _corroborate(rank: int, top: int, u: _Units, weights, source_types, p) -> tuple[int, str]:
    c = p.corroboration

    def sources(pols):
        return {
            s for pol, w, srcs in zip(u.role, weights, u.sources, strict=False) if w > 0 and pol in pols for s in srcs
        }

    if rank == top:
        srcs = sources((STRENGTH, MIXED))
        types = {source_types.get(k, UNKNOWN_TYPE) for k in srcs}
        if len(srcs) >= c.top_min_sources and len(types) >= c.top_min_source_types:
            return rank, f"met ({len(srcs)} sources, {len(types)} source types)"
        return rank - 1, f"top level not corroborated ({len(srcs)} sources, {len(types)} source types)"
    if rank == 0:
        srcs = sources((GAP, MIXED))
        types = {source_types.get(k, UNKNOWN_TYPE) for k in srcs}
        if len(srcs) >= c.bottom_min_sources and len(types) >= c.bottom_min_source_types:
            return rank, f"met ({len(srcs)} sources, {len(types)} source types)"
        return min(1, top), f"bottom level not corroborated ({len(srcs)} sources, {len(types)} source types)"
    return rank, "not needed"


def judge_units(units, cb, p, source_types: dict[str, str], mult: dict[str, int] | None = None) -> Judgement:
    """Apply the rule to the evidence units of one dimension (optionally resampled by *mult*)."""
    u = units if isinstance(units, _Units) else _compile(units)
    w = _effective(u, mult)
    if uses_context_weights(cb, p):
        w = [x * c for x, c in zip(w, u.context_weight, strict=False)]
    parted = two_part(cb)
    if not parted:
        fw = facet_weights(cb, p)
        w = [x * fw.get(f, 1.0) for x, f in zip(w, u.facet, strict=False)]
    s, g = strength_gap(u.role, w, p.mixed_share)
    if s + g <= 0:
        return Judgement(None, None, s, g, None, "no evidence")
    b = (s - g) / (s + g)
    top = max(lv.rank for lv in cb.levels) if cb is not None and cb.levels else len(p.thresholds)
    grades, parts = {}, {}
    if parted:
        for f in cb.parts:
            sel = [i for i, x in enumerate(u.facet) if x == f]
            ps, pg = strength_gap([u.role[i] for i in sel], [w[i] for i in sel], p.mixed_share)
            parts[f] = (ps, pg)
            grades[f] = grade_of(ps, pg, cb.part_grades, p.grade_shift)
        rank = level_from_grades(grades, cb)
    else:
        rank = sum(1 for t in p.thresholds if b > t)
    before = rank
    rank, note = _corroborate(rank, top, u, w, source_types, p)
    return Judgement(rank, before, s, g, b, note, grades, parts)


def judge(segs: pd.DataFrame, source_types: dict[str, str], p, cb=None) -> Judgement:
    """Apply the rule to the (already filtered, cited) segments of one dimension."""
    return judge_units(evidence_units(segs, cb, p), cb, p, source_types)


def split_synthesis(segs: pd.DataFrame, p) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(segments the rule counts, the review's own synthesis segments counted apart).

    A segment is synthesis when its ``is_synthesis`` column (set by :func:`load_inputs`
    from the bibliography and the parameter file) is true, or, without that column,
    when its ``ref_key`` is the ``synthesis_key`` the parameter file names (none: no
    synthesis).
    """
    if "is_synthesis" in segs.columns:
        own = segs["is_synthesis"].astype(bool)
    else:
        own = segs["ref_key"] == p.synthesis_key if p.synthesis_key else pd.Series(False, index=segs.index)
    if p.include_synthesis:
        return segs, segs[own]
    return segs[~own], segs[own]


def levels_for(segs: pd.DataFrame, dimensions, source_types, p, cb=None) -> dict[str, int | None]:
    """Rank per dimension (None: no evidence). The compact entry point for sweeps."""
    counted, _ = split_synthesis(segs, p)
    units = evidence_units(counted, cb, p)
    return {d: judge_units(units[units["dimension"] == d], cb, p, source_types).rank for d in dimensions}


# ---- uncertainty: bootstrap over sources --------------------------------------------------


def bootstrap_levels(segs: pd.DataFrame, cb, p, dimensions, source_types) -> pd.DataFrame:
    """Probability of each level per dimension when the cited sources are resampled.

    One replicate draws as many sources as there are, with replacement, from every
    cited source of the counted evidence (one draw for all dimensions). Returns one row
    per dimension and level id (``no_evidence`` included when it occurs): ``n`` replicates
    and ``probability``. Seeded by ``alignment.bootstrap.seed``: the same on every run.
    """
    counted, _ = split_synthesis(segs, p)
    units = evidence_units(counted, cb, p)
    pool = sorted({s for srcs in units["sources"] for s in srcs})
    ids = {lv.rank: lv.id for lv in cb.levels}
    ids[None] = NO_EVIDENCE
    by_dim = {d: _compile(units[units["dimension"] == d]) for d in dimensions}
    reps = p.bootstrap.replicates
    counts = {d: {} for d in dimensions}
    rng = np.random.default_rng(p.bootstrap.seed)
    for _ in range(reps if pool else 0):
        draw = np.bincount(rng.integers(0, len(pool), len(pool)), minlength=len(pool))
        mult = {s: int(k) for s, k in zip(pool, draw, strict=False) if k}
        for d in dimensions:
            lv = ids[judge_units(by_dim[d], cb, p, source_types, mult).rank]
            counts[d][lv] = counts[d].get(lv, 0) + 1
    order = [NO_EVIDENCE] + [lv.id for lv in sorted(cb.levels, key=lambda lv: lv.rank)]
    rows = []
    for d in dimensions:
        for lv in order:
            n = counts[d].get(lv, 0)
            if n or lv != NO_EVIDENCE:
                rows.append(
                    {"dimension": d, "level": lv, "n": n, "probability": round(n / reps, 4) if reps and pool else 0.0}
                )
    return pd.DataFrame(rows, columns=["dimension", "level", "n", "probability"])


# ---- confidence: GRADE-CERQual ------------------------------------------------------------

APPRAISAL_COLUMNS = ("ref_key", "source_type", "peer_reviewed", "empirical", "relevance")
YES_NO = ("yes", "no")
RELEVANCE = {"direct": 1.0, "partial": 0.5, "indirect": 0.0}
CONCERNS = ("no or very minor concerns", "minor concerns", "moderate concerns", "serious concerns")
CONFIDENCE = ("high", "moderate", "low", "very low")


def read_appraisal(path) -> dict[str, dict]:
    """The source appraisal table: ref_key -> {source_type, peer_reviewed, empirical, relevance}."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "appraisal table not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text; save the appraisal table as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        raise InputError(path, "file is empty; expected a header with " + ", ".join(APPRAISAL_COLUMNS), 1) from None
    missing = [c for c in APPRAISAL_COLUMNS if c not in header]
    if missing:
        raise InputError(path, "missing column(s) " + ", ".join(missing), 1)
    out: dict[str, dict] = {}
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(path, f"row has {len(row)} cells, the header has {len(header)}", line)
        rec = {k: v.strip() for k, v in zip(header, row, strict=False)}
        key = rec["ref_key"]
        if not key:
            raise InputError(path, "empty ref_key", line)
        if key in out:
            raise InputError(path, f"ref_key {key!r} appears twice", line)
        for col in ("peer_reviewed", "empirical"):
            if rec[col].lower() not in YES_NO:
                raise InputError(path, f"{col} {rec[col]!r} must be yes or no", line)
            rec[col] = rec[col].lower() == "yes"
        if rec["relevance"].lower() not in RELEVANCE:
            raise InputError(path, f"relevance {rec['relevance']!r} must be one of: " + ", ".join(RELEVANCE), line)
        rec["relevance"] = rec["relevance"].lower()
        out[key] = rec
    return out


def _source_shares(units: pd.DataFrame) -> dict[str, float]:
    out: dict[str, float] = {}
    for w, srcs in zip(units["weight"], units["sources"], strict=False):
        for s in srcs:
            out[s] = out.get(s, 0.0) + w / len(srcs)
    return out


def _band(value: float, bounds, higher_is_better: bool) -> int:
    """Concern index 0-3 of *value* against three cut points (see the protocol)."""
    for i, b in enumerate(bounds):
        if (value >= b) if higher_is_better else (value <= b):
            return i
    return 3


def _expected(lv, cb, part: str) -> str | None:
    """Polarity a unit of *part* should have to fit level *lv*: strength, gap or None (either)."""
    if lv.when is None:
        return GAP
    allowed = set(lv.when.get(part, [g.id for g in cb.part_grades] + [NONE_GRADE]))
    upper = {g.id for g in cb.part_grades if g.min_share >= 0.5} | {NONE_GRADE}
    lower = {g.id for g in cb.part_grades if g.min_share < 0.5} | {NONE_GRADE}
    if allowed <= upper:
        return STRENGTH
    if allowed <= lower:
        return GAP
    return None


def cerqual(units: pd.DataFrame, rank: int | None, cb, appraisal: dict[str, dict] | None) -> dict:
    """GRADE-CERQual components and overall confidence of one finding (protocol section 6)."""
    empty = {
        "confidence": "",
        "cerqual_methodological_limitations": "",
        "cerqual_coherence": "",
        "cerqual_adequacy": "",
        "cerqual_relevance": "",
    }
    if appraisal is None:
        return {**empty, "confidence": "not assessed"}
    if rank is None or units.empty:
        return empty
    shares = _source_shares(units)
    total = sum(shares.values())

    def limitation(k):
        a = appraisal.get(k)
        if a is None:
            return 2
        return 0 if (a["peer_reviewed"] and a["empirical"]) else (1 if (a["peer_reviewed"] or a["empirical"]) else 2)

    m = sum(limitation(k) * w for k, w in shares.items()) / total
    ml = _band(m, (0.5, 1.0, 1.5), higher_is_better=False)
    if two_part(cb):
        lv = next(x for x in cb.levels if x.rank == rank)
        exp = [_expected(lv, cb, f) for f in units["facet"]]
    else:
        exp = [STRENGTH if rank >= (max(x.rank for x in cb.levels) + 1) / 2 else GAP] * len(units)
    misfit = sum(
        w
        for w, pol, e in zip(units["weight"], units["role"], exp, strict=False)
        if e is not None and pol not in (e, MIXED)
    )
    co = _band(misfit / units["weight"].sum(), (0.10, 0.25, 0.40), higher_is_better=False)
    n_src = len(shares)
    ad = 0 if n_src >= 5 else 1 if n_src >= 3 else 2 if n_src == 2 else 3
    r = (
        sum(RELEVANCE.get((appraisal.get(k) or {}).get("relevance", "indirect"), 0.0) * w for k, w in shares.items())
        / total
    )
    re_ = _band(r, (0.6, 0.4, 0.2), higher_is_better=True)
    comps = [ml, co, ad, re_]
    steps = 2 * comps.count(3) + comps.count(2) + comps.count(1) // 2
    return {
        "confidence": CONFIDENCE[min(3, steps)],
        "cerqual_methodological_limitations": CONCERNS[ml],
        "cerqual_coherence": CONCERNS[co],
        "cerqual_adequacy": CONCERNS[ad],
        "cerqual_relevance": CONCERNS[re_],
    }


# ---- the table ---------------------------------------------------------------------------


def _key_evidence(segs: pd.DataFrame, role: str, cb, p) -> tuple[str, str]:
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


def label_languages(cb) -> list[str]:
    """The languages other than English that every level of *cb* is labelled in, sorted."""
    langs = [set(lv.label.languages) for lv in cb.levels]
    return sorted(set.intersection(*langs) - {"en"}) if langs else []


def part_count_columns(cb) -> list[str]:
    """``n_<role>_<part>``: claims of each role on each of the codebook's parts (its own facet ids)."""
    return [f"n_{role}_{part}" for role in ROLES for part in (cb.parts if cb is not None else [])]


def table_columns(cb) -> list[str]:
    """Table 1's columns for *cb*: :data:`TABLE_COLUMNS` with a ``label_<lang>`` column before
    ``label_en`` for each of :func:`label_languages` (``label_es`` for Spanish labels), and
    the per-part counts (:func:`part_count_columns`) after ``n_source_types``."""
    i = TABLE_COLUMNS.index("label_en")
    cols = TABLE_COLUMNS[:i] + [f"label_{lang}" for lang in label_languages(cb)] + TABLE_COLUMNS[i:]
    j = cols.index("n_source_types") + 1
    return cols[:j] + part_count_columns(cb) + cols[j:]


NO_CODED_EVIDENCE = N_("No coded evidence")


def level_label(cb, rank: int | None, lang: str) -> str:
    if rank is None:
        return messages(lang)(NO_CODED_EVIDENCE)
    return {lv.rank: lv for lv in cb.levels}[rank].label.text(lang)


def _parts_text(j: Judgement) -> str:
    return "; ".join(f"{f}: {g} (S {j.parts[f][0]:g}, G {j.parts[f][1]:g})" for f, g in j.grades.items())


def _check_thresholds(cb, p, levels) -> None:
    """The balance rule needs one threshold fewer than there are levels."""
    if not two_part(cb) and len(levels) != len(p.thresholds) + 1:
        raise InputError(
            None,
            f"alignment.thresholds: {len(p.thresholds)} thresholds for {len(levels)} levels; need {len(levels) - 1}",
        )


def _table_dimensions(cb, dimensions, published: pd.DataFrame | None) -> list:
    """The table's dimensions (default: the headline components), in the published table's order if any."""
    dims = list(dimensions) if dimensions is not None else (cb.headline_ids or cb.component_ids)
    if published is not None:  # the published table's row order, for the reader (levels are never read)
        order = {d: i for i, d in enumerate(published["dimension"].astype(str).str.strip())}
        dims = sorted(dims, key=lambda d: (order.get(d, len(order)), dims.index(d)))
    return dims


def _published_levels(published: pd.DataFrame | None, levels) -> dict[str, str]:
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


def _count_columns(du: pd.DataFrame, ds: pd.DataFrame, keys, source_types, focus, n_synthesis: int, cb) -> dict:
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


def _level_columns(j: Judgement, level: str, boot, d: str, cb, lang: str) -> dict:
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


def _score_columns(j: Judgement) -> dict:
    """The weighted strength and gap, the score and the corroboration of one dimension's row."""
    return {
        "weighted_strength": round(j.s, 4),
        "weighted_gap": round(j.g, 4),
        "score": round(j.b, 4) if j.b is not None else pd.NA,
        "rank_before_corroboration": j.rank_before if j.rank_before is not None else pd.NA,
        "corroboration": j.note,
    }


def _set_table_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer ranks, float probability and boolean match columns."""
    for col in ("level_rank", "rank_before_corroboration"):
        df[col] = df[col].astype("Int64")
    df["level_probability"] = df["level_probability"].astype("Float64")
    df["matches_published"] = df["matches_published"].astype("boolean")
    return df


def build_table(
    segs: pd.DataFrame,
    cb,
    p,
    source_types: dict[str, str] | None = None,
    published: pd.DataFrame | None = None,
    lang: str = "en",
    dimensions=None,
    appraisal: dict | None = None,
    bootstrap: bool = True,
) -> pd.DataFrame:
    """One row per dimension (default: the codebook's headline components) with level and evidence."""
    source_types = source_types or {}
    levels = cb.levels_by_rank()
    _check_thresholds(cb, p, levels)
    dims = _table_dimensions(cb, dimensions, published)
    counted, synthesis = split_synthesis(segs, p)
    units = evidence_units(counted, cb, p)
    focus = focus_contexts(cb)
    boot = bootstrap_levels(segs, cb, p, dims, source_types) if bootstrap and p.bootstrap.replicates else None
    pub = _published_levels(published, levels)
    rows = []
    for d in dims:
        ds = counted[counted["dimension"] == d]
        du = units[units["dimension"] == d]
        j = judge_units(du, cb, p, source_types)
        ks, ks_c = _key_evidence(ds, STRENGTH, cb, p)
        cg, cg_c = _key_evidence(ds, GAP, cb, p)
        keys = sorted(set(ds["ref_key"]))
        try:
            dlabel = cb.label("component", d, lang)
        except KeyError:
            dlabel = d
        level = {lv.rank: lv.id for lv in levels}[j.rank] if j.rank is not None else NO_EVIDENCE
        published_level = pub.get(d, "")
        rows.append(
            {
                "dimension": d,
                "dimension_label": dlabel,
                **_level_columns(j, level, boot, d, cb, lang),
                **cerqual(du, j.rank, cb, appraisal),
                "rule": "two_part" if two_part(cb) else "balance",
                "part_grades": _parts_text(j),
                **_count_columns(du, ds, keys, source_types, focus, int((synthesis["dimension"] == d).sum()), cb),
                **_score_columns(j),
                "key_strength": ks,
                "key_strength_citations": ks_c,
                "critical_gap": cg,
                "critical_gap_citations": cg_c,
                "citations": "; ".join(keys),
                "published_level": published_level,
                "matches_published": (level == published_level) if published_level else pd.NA,
            }
        )
    return _set_table_dtypes(pd.DataFrame(rows, columns=table_columns(cb)))


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


def _mapped_published(published: pd.DataFrame | None, cb) -> pd.DataFrame | None:
    """The published levels carried over to *cb*'s components that map to exactly one published dimension."""
    if published is None:
        return None
    rows = []
    for c in cb.components:
        targets = [m for m in c.maps_to if m in set(published["dimension"])]
        if len(targets) == 1:
            r = published[published["dimension"] == targets[0]].iloc[0].copy()
            r["dimension"] = c.id
            rows.append(r)
    return pd.DataFrame(rows) if rows else None


NO_COUNTERPART_LABEL = N_("No {framework} counterpart")


def _no_counterpart_row(segs: pd.DataFrame, ref, cb, p, source_types, lang, appraisal, d: str) -> dict:
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
        corroboration="not assessed",
        counterpart=NO_COUNTERPART,
        matches_published=pd.NA,
        confidence="",
        cerqual_methodological_limitations="",
        cerqual_coherence="",
        cerqual_adequacy="",
        cerqual_relevance="",
    )
    return row


def align(
    segs: pd.DataFrame,
    cb,
    p,
    codebook_path=None,
    source_types=None,
    published=None,
    lang="en",
    appraisal=None,
    bootstrap: bool = True,
) -> pd.DataFrame:
    """The results table for *cb*; for a mapped framework, plus rows for reference dimensions without counterpart.

    Rows of a mapped framework carry ``maps_to`` (the reference ids it covers) and
    ``published_level`` of the reference dimension when exactly one headline
    reference dimension maps to it.
    """
    ref = reference_codebook(cb, codebook_path) if codebook_path else None
    if ref is None:
        table = build_table(segs, cb, p, source_types, published, lang, appraisal=appraisal, bootstrap=bootstrap)
        table.insert(1, "counterpart", "")
        return table
    mapped = map_segments(segs, cb)
    dims = cb.headline_ids or [c.id for c in cb.components if c.maps_to]
    pub = _mapped_published(published, cb)
    table = build_table(mapped, cb, p, source_types, pub, lang, dims, appraisal=appraisal, bootstrap=bootstrap)
    table.insert(1, "counterpart", ["; ".join(cb.component(d).maps_to) for d in table["dimension"]])
    extra = [
        _no_counterpart_row(segs, ref, cb, p, source_types, lang, appraisal, d) for d in unmapped_dimensions(cb, ref)
    ]
    if extra:
        table = _set_table_dtypes(pd.concat([table, pd.DataFrame(extra)[table.columns]], ignore_index=True))
    return table


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


# ---- reading inputs and running ------------------------------------------------------------


def read_segments(path, codebook=None, ref_keys=None) -> pd.DataFrame:
    """The validated segments (:func:`revalign.coding.segments.read_segments`) as a table of strings."""
    df = segments_module.read_segments(path, codebook=codebook, ref_keys=ref_keys)
    return df.drop(columns=["line"]).fillna("").astype(str)


def source_types_from(corpus: pd.DataFrame, field: str = "sourcecategory") -> dict[str, str]:
    """Map citation key -> source type (``field`` of the corpus; ``unknown`` when empty)."""
    if field not in corpus.columns:
        return {k: UNKNOWN_TYPE for k in corpus["record_id"].astype(str)}
    return {str(k): (str(v).strip() or UNKNOWN_TYPE) for k, v in zip(corpus["record_id"], corpus[field], strict=False)}


def read_source_types(files, field: str = "sourcecategory") -> dict[str, str]:
    """Map citation key -> source type, read from *files* (see :func:`read_corpus`)."""
    return source_types_from(read_corpus(files), field)


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


def worked_example(segs: pd.DataFrame, dimension: str, p, source_types: dict[str, str], cb) -> tuple[pd.DataFrame, str]:
    """The rule applied by hand to one dimension: the evidence cells and the arithmetic, as text.

    Returns (one row per part (facet) x role with claims and weight, the calculation
    written out).
    """
    counted, own = split_synthesis(segs, p)
    units = evidence_units(counted[counted["dimension"] == dimension], cb, p)
    j = judge_units(units, cb, p, source_types)
    w = units["weight"] * (units["context_weight"] if uses_context_weights(cb, p) else 1.0)
    if not two_part(cb):
        fw = facet_weights(cb, p)
        w = w * units["facet"].map(lambda f: fw.get(f, 1.0))
    units = units.assign(w=w)
    rows = []
    for f in cb.parts:
        for pol in ROLES:
            sub = units[(units["facet"] == f) & (units["role"] == pol)]
            if len(sub):
                rows.append(
                    {
                        "part": f,
                        "role": pol,
                        "claims": int(sub["claim"].nunique()),
                        "sources": len({s for ss in sub["sources"] for s in ss}),
                        "weight": round(float(sub["w"].sum()), 4),
                    }
                )
    cells = pd.DataFrame(rows, columns=["part", "role", "claims", "sources", "weight"])
    lines = [
        f"dimension: {dimension} ({units['claim'].nunique()} cited claims from "
        f"{len({s for ss in units['sources'] for s in ss})} sources; {int((own['dimension'] == dimension).sum())} "
        f"synthesis segments {'included' if p.include_synthesis else 'set aside'})",
    ]
    if j.rank is None:
        lines.append("no evidence: level no_evidence")
        return cells, "\n".join(lines)
    ids = {lv.rank: lv.id for lv in cb.levels}
    if two_part(cb):
        for f, g in j.grades.items():
            s, gg = j.parts[f]
            share = f"s = {s:g} / ({s:g} + {gg:g}) = {s / (s + gg):.3f}" if s + gg else "no evidence"
            lines.append(f"{f}: S = {s:g}, G = {gg:g}, {share} -> grade {g}")
        lines.append(f"first level (from the top) whose condition holds: rank {j.rank_before} ({ids[j.rank_before]})")
    else:
        exceeded = [t for t in p.thresholds if j.b > t]
        lines.append(f"S = {j.s:g}, G = {j.g:g}, b = (S - G) / (S + G) = {j.b:.4f}")
        lines.append(f"thresholds {p.thresholds}: b exceeds {len(exceeded)} of them -> rank {j.rank_before}")
    lines.append(f"corroboration: {j.note} -> rank {j.rank} ({ids[j.rank]})")
    return cells, "\n".join(lines)


def load_inputs(cfg, segments_path=None, codebook_path=None, bibliography=None, published_path="__cfg__") -> dict:
    """Everything the rule needs, read and validated: codebook, segments, corpus, published table, appraisal.

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
    segs["is_synthesis"] = segs["ref_key"].isin(segments_module.synthesis_keys(corpus, p.synthesis_key))
    if published_path == "__cfg__":
        published_path = cfg.path(cfg.params.published_table)
    appraisal_path = cfg.path(cfg.params.appraisal)
    return {
        "codebook": cb,
        "codebook_path": cb_path,
        "reference_codebook": ref,
        "segments": segs,
        "corpus": corpus,
        "source_types": source_types_from(corpus, p.source_type_field),
        "published": read_published(published_path),
        "appraisal": read_appraisal(appraisal_path) if appraisal_path else None,
        "params": p,
        "lang": cfg.params.lang,
    }


def run(cfg, segments_path=None, codebook_path=None, bibliography=None, published_path="__cfg__") -> pd.DataFrame:
    """Load the inputs named by a RunConfig (or overrides) and return the table."""
    x = load_inputs(cfg, segments_path, codebook_path, bibliography, published_path)
    return align(
        x["segments"],
        x["codebook"],
        x["params"],
        x["codebook_path"],
        x["source_types"],
        x["published"],
        x["lang"],
        appraisal=x["appraisal"],
    )


def write_table(table: pd.DataFrame, path) -> Path:
    """Write Table 1 as CSV. The replication columns (``published_level``, ``matches_published``)
    are left out when no published table was compared, and a ``label_<lang>`` column that only
    repeats ``label_en``."""
    from revalign.core.atomic import write_csv

    drop = []
    if "published_level" in table and not table["published_level"].fillna("").astype(str).str.strip().any():
        drop += [c for c in ("published_level", "matches_published") if c in table]
    if "label_en" in table:
        english = table["label_en"].astype(str)
        drop += [
            c for c in table if c.startswith("label_") and c != "label_en" and table[c].astype(str).equals(english)
        ]
    return write_csv(table.drop(columns=drop), path)


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
        prob = "" if pd.isna(r.level_probability) else f", probability {r.level_probability:.2f}"
        conf = f", confidence {r.confidence}" if r.confidence else ""
        print(f"{r.dimension}: {r.level} ({r.n_claims} claims, {r.n_sources} sources{prob}{conf})")
    if s["n_compared"]:
        print(f"{s['n_reproduced']} of {s['n_compared']} published levels reproduced")
    print(f"wrote {out}")
    return 0
