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
from typing import TYPE_CHECKING, Any

import pandas as pd

from revalign.core.agreement import format_statistic as fmt
from revalign.core.agreement import to_jsonable
from revalign.core.errors import InputError
from revalign.core.i18n import messages

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

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
    data: dict[str, Any] = to_jsonable(
        {"comparison": COMPARISON, "counts": counts, **{k: result[k] for k in RESULT_KEYS}}
    )
    return data


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


def per_dimension_table(result: dict[str, Any], codebook: Codebook | None = None, lang: str = "en") -> pd.DataFrame:
    """The per-component comparison for a reader: labels, counts, agreement and kappa as two-decimal
    text (kappa: "undefined" when NaN), the note; headers in the language *lang*."""
    _ = messages(lang)
    per = result["per_dimension"]
    per = pd.DataFrame(per) if not isinstance(per, pd.DataFrame) else per
    names = [_label(codebook, d, lang) for d in per["dimension"]]
    return pd.DataFrame(
        {
            _("dimension"): names,
            _("human coder"): per["n_human"],
            _("keyword matcher"): per["n_auto"],
            _("both"): per["n_both"],
            _("agreement"): [fmt(v, lang) for v in per["agreement"]],
            _("kappa"): [fmt(v, lang) for v in per["kappa"]],
            _("note"): per["note"],
        }
    )


def _label(codebook: Codebook | None, dimension: str, lang: str) -> str:
    if codebook is None:
        return dimension
    try:
        return codebook.label("component", dimension, lang)
    except KeyError:
        return dimension


def summary_text(
    result: dict[str, Any],
    n_disagreements: int,
    disagreements_file: str,
    codebook: Codebook | None = None,
    lang: str = "en",
) -> str:
    """The comparison for a reader in the language *lang*: overall figures, the per-component table
    (labels from *codebook*), and where the *n_disagreements* disagreements were written
    (*disagreements_file*, as shown)."""
    _ = messages(lang)
    written = _.ngettext("{n} disagreement written to {file}", "{n} disagreements written to {file}", n_disagreements)
    return "\n".join([
        _("segments: {n}, coded 'none' by the keyword matcher: {none}").format(
            n=result["n_units"], none=result["n_auto_none"]
        ),
        _("observed agreement: {value}").format(value=fmt(result["observed_agreement"], lang)),
        _("Cohen's kappa (all components): {value}").format(value=fmt(result["kappa_overall"], lang)),
        _("Krippendorff's alpha (nominal): {value}").format(value=fmt(result["alpha_nominal"], lang)),
        "",
        per_dimension_table(result, codebook, lang).to_string(index=False),
        "",
        written.format(n=n_disagreements, file=disagreements_file),
    ])  # fmt: skip
