"""Confidence in each finding: GRADE-CERQual (docs/protocol.md, section 6).

Reads the source appraisal table and rates the four components of each finding.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from revalign.alignment.units import source_shares, two_part
from revalign.core.codebook import GAP, MIXED, NONE_GRADE, STRENGTH, Codebook
from revalign.core.errors import InputError

APPRAISAL_COLUMNS = ("ref_key", "source_type", "peer_reviewed", "empirical", "relevance")
YES_NO = ("yes", "no")
RELEVANCE = {"direct": 1.0, "partial": 0.5, "indirect": 0.0}
CONCERNS = ("no or very minor concerns", "minor concerns", "moderate concerns", "serious concerns")
CONFIDENCE = ("high", "moderate", "low", "very low")


def read_appraisal(path: str | Path) -> dict[str, dict]:
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


def cerqual(units: pd.DataFrame, rank: int | None, cb: Codebook, appraisal: dict[str, dict] | None) -> dict:
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
    shares = source_shares(units)
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
