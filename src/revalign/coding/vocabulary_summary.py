"""Stage 03's ``vocabulary_check.json``: what it holds, written and read in one place.

The file compares the keyword matcher (the codebook's indicator terms,
:mod:`revalign.coding.autocoder`) with the human coding, one unit per coded segment: a
check of the codebook's vocabulary, not a reliability figure
(:func:`revalign.coding.vocabulary_check.vocabulary_check`). It is a JSON object with these keys,
in this order (:data:`KEYS`):

``comparison``
    one sentence saying what is compared (:data:`COMPARISON`);
``counts``
    :func:`revalign.coding.segments.summary_counts` of the coded segments (claims,
    segments, evidence and synthesis counts; integers);
``n_units``, ``n_auto_none``
    segments compared, and those the keyword matcher coded ``none`` (integers);
``observed_agreement``
    share of segments with the same component (a number, or null when undefined);
``kappa_overall``, ``alpha_nominal``
    ``{"value": number or null, "reason": text or null}`` (Cohen's kappa over all
    components, Krippendorff's alpha, nominal);
``per_dimension``
    one object per component: ``dimension``, ``n_human``, ``n_auto``, ``n_both``,
    ``agreement``, ``kappa`` (null when undefined), ``note``.

Numbers are rounded to 6 decimals and NaN is written as null
(:func:`revalign.core.agreement.to_jsonable`). The notebook writes it with :func:`write`;
the report reads it with :func:`read`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from revalign.core.agreement import format_statistic as fmt
from revalign.core.agreement import to_jsonable
from revalign.core.errors import InputError

COMPARISON = (
    "vocabulary check (keyword matcher on indicator terms) vs human coding, one unit per segment; not reliability"
)
RESULT_KEYS: tuple[str, ...] = (
    "n_units", "n_auto_none", "observed_agreement", "kappa_overall", "alpha_nominal", "per_dimension",
)  # fmt: skip
KEYS: tuple[str, ...] = ("comparison", "counts", *RESULT_KEYS)


def build(result: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    """The content of vocabulary_check.json from :func:`revalign.coding.vocabulary_check.vocabulary_check`'s
    *result* and the segment *counts*, as plain JSON data."""
    missing = [k for k in RESULT_KEYS if k not in result]
    if missing:
        raise ValueError(f"agreement result lacks {', '.join(missing)}")
    return to_jsonable({"comparison": COMPARISON, "counts": counts, **{k: result[k] for k in RESULT_KEYS}})


def write(path: str | Path, result: dict[str, Any], counts: dict[str, int]) -> Path:
    """Write :func:`build`'s content to *path* (atomically) and return the path."""
    from revalign.core.atomic import write_json

    path = Path(path)
    write_json(build(result, counts), path)
    return path


def read(path: str | Path) -> dict[str, Any]:
    """vocabulary_check.json at *path*, checked to be an object with every key of :data:`KEYS`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(path, f"not valid JSON: {getattr(exc, 'msg', exc)}", line) from None
    if not isinstance(data, dict):
        raise InputError(path, "expected a JSON object")
    missing = [k for k in KEYS if k not in data]
    if missing:
        raise InputError(path, f"missing {', '.join(missing)}; re-run stage 03 (notebooks/03_coding.ipynb)")
    return data


def _per_dimension_shown(per_dim: pd.DataFrame) -> pd.DataFrame:
    """*per_dim* with kappa and agreement as two-decimal text (kappa: "undefined" when NaN)."""
    return per_dim.assign(
        kappa=per_dim["kappa"].map(lambda v: "undefined" if pd.isna(v) else f"{v:.2f}"),
        agreement=per_dim["agreement"].map(lambda v: f"{v:.2f}"),
    )


def summary_text(result: dict[str, Any], n_disagreements: int, disagreements_file: str) -> str:
    """The comparison for a reader: overall figures, the per-component table, and where the
    *n_disagreements* disagreements were written (*disagreements_file*, as shown)."""
    return "\n".join([
        f"segments: {result['n_units']}, coded 'none' by the keyword matcher: {result['n_auto_none']}",
        f"observed agreement: {fmt(result['observed_agreement'])}",
        f"Cohen's kappa (all components): {fmt(result['kappa_overall'])}",
        f"Krippendorff's alpha (nominal): {fmt(result['alpha_nominal'])}",
        "",
        _per_dimension_shown(result["per_dimension"]).to_string(index=False),
        "",
        f"{n_disagreements} disagreements written to {disagreements_file}",
    ])  # fmt: skip
