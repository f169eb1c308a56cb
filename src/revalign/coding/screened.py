"""What stage 02 decided about the works the coding cites.

A segment may cite a work that screening excluded (outside the year window, no keyword, ...).
It stays in the coding, since the coder read the work and the decision to keep or drop it is the
reviewer's, but it must never count unseen: :func:`mark_excluded` adds the columns
``excluded_at_screening`` (true/false) and ``exclusion_reason`` (stage 02's reason code) to an
evidence table, so Table 1's evidence and the report can mark such works, and
:func:`excluded_citations` lists the segments concerned (``revalign check`` warns about each,
:func:`excluded_citation_warnings`). The review's own synthesis is not cited evidence and is
never marked.

Stage 02's decisions come from ``screening.csv`` (:func:`read_screening`; columns at least
``record_id``, ``decision``, ``reason``). A run whose screening has not been written yet has no
decisions: nothing is marked.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from revalign.coding.segments import synthesis_keys
from revalign.core.contracts import SCREENING
from revalign.core.errors import InputError
from revalign.core.yamlio import read_text_checked
from revalign.screening import rules as screening_rules

EXCLUDED = "excluded_at_screening"
REASON = "exclusion_reason"
SCREENING_COLUMNS = tuple(SCREENING.needs("record_id", "decision", "reason"))  # what stage 03 uses of it
EXCLUDED_CITATION_COLUMNS = ["segment_id", "ref_key", "dimension", "line", "reason", "stage"]


def read_screening(path: str | Path) -> pd.DataFrame | None:
    """Stage 02's decisions (``screening.csv``) as text columns; ``None`` when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        scr = pd.read_csv(io.StringIO(read_text_checked(path)), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise InputError(path, f"not a readable CSV file ({exc})") from None
    return SCREENING.read(scr, path, needs=SCREENING_COLUMNS)


def excluded_records(screening: pd.DataFrame | None) -> pd.DataFrame:
    """The records screening excluded: ``record_id``, ``reason``, ``stage`` (empty without decisions)."""
    cols = ["record_id", "reason", "stage"]
    if screening is None or not len(screening):
        return pd.DataFrame(columns=cols, dtype="string")
    scr = screening.assign(stage=screening["stage"] if "stage" in screening.columns else "")
    hit = scr["decision"].astype(str).str.strip().str.lower().eq(screening_rules.EXCLUDE)
    return scr.loc[hit, cols].drop_duplicates("record_id").reset_index(drop=True)


def screened_records(corpus: pd.DataFrame, screening: pd.DataFrame | None) -> pd.DataFrame:
    """The corpus records stage 02 included (every record when there are no decisions)."""
    if screening is None:
        return corpus
    keep = set(
        screening.loc[
            screening["decision"].astype(str).str.strip().str.lower().eq(screening_rules.INCLUDE), "record_id"
        ]
    )
    return corpus[corpus["record_id"].astype(str).isin(keep)].reset_index(drop=True)


def mark_excluded(
    table: pd.DataFrame, screening: pd.DataFrame | None, corpus: pd.DataFrame | None = None, key: str = "ref_key"
) -> pd.DataFrame:
    """*table* with ``excluded_at_screening`` and ``exclusion_reason`` for the work in its *key* column.

    Rows of the review's own synthesis (``is_synthesis``, or a key that stands for the review in
    *corpus*) are never marked.
    """
    reasons = excluded_records(screening).set_index("record_id")["reason"]
    keys = table[key].astype(str)
    own = keys.isin(synthesis_keys(corpus))
    if "is_synthesis" in table.columns:
        own |= table["is_synthesis"].astype(bool)
    hit = keys.isin(reasons.index) & ~own
    out = table.copy()
    out[EXCLUDED] = hit.to_numpy()
    out[REASON] = keys.map(reasons).where(hit, "").fillna("").to_numpy()
    return out


def excluded_citations(
    segments: pd.DataFrame, screening: pd.DataFrame | None, corpus: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per segment of cited evidence whose work screening excluded (file order):
    ``segment_id, ref_key, dimension, line`` (the segments file's line, when known), ``reason``, ``stage``."""
    excluded = excluded_records(screening).set_index("record_id")
    keys = segments["ref_key"].astype(str)
    hit = keys.isin(excluded.index) & ~keys.isin(synthesis_keys(corpus))
    rows = segments.loc[hit]
    out = pd.DataFrame(
        {
            "segment_id": rows["segment_id"].astype(str),
            "ref_key": rows["ref_key"].astype(str),
            "dimension": rows["dimension"].astype(str),
            "line": rows["line"] if "line" in rows.columns else pd.NA,
            "reason": rows["ref_key"].astype(str).map(excluded["reason"]),
            "stage": rows["ref_key"].astype(str).map(excluded["stage"]),
        }
    )
    return out.reset_index(drop=True)[EXCLUDED_CITATION_COLUMNS]


def excluded_citation_warnings(
    segments: pd.DataFrame, screening: pd.DataFrame | None, corpus: pd.DataFrame | None = None
) -> list[tuple[int | None, str]]:
    """``(line, message)`` per segment citing a work screening excluded, for ``revalign check`` to
    print as ``warning: SEGMENTS:LINE: message``."""
    out = []
    for r in excluded_citations(segments, screening, corpus).itertuples(index=False):
        line = None if pd.isna(r.line) else int(r.line)
        out.append(
            (
                line,
                f"segment {r.segment_id} cites {r.ref_key}, which screening excluded ({r.reason}); "
                "it still counts as evidence and is marked in the evidence tables",
            )
        )
    return out
