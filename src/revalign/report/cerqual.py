"""The report's partial on confidence and decisions: the GRADE-CERQual Summary of Qualitative Findings with its
evidence profile, and the specification table beside the sensitivity grid.

Reads what stage 04 wrote (``cerqual_profile.csv``, ``specification.csv``) and the review's
coding decisions file (for the decisions' labels), and returns labelled data for the
templates ``cerqual.html.j2`` and ``specification.html.j2`` (no HTML here; the templates
escape every value). The program's words come from the message catalog in the page's
language; the explanations are those stage 04 wrote, in the run's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from revalign.alignment.confidence import COMPONENTS, CONCERNS, CONFIDENCE
from revalign.alignment.decisions import Decision, DecisionsFile
from revalign.core.errors import InputError
from revalign.core.i18n import messages
from revalign.core.yamlio import load_yaml

FILES = ("cerqual_profile.csv", "specification.csv")  # the stage-04 files the partials read


@dataclass
class CerqualFiles:
    """What the partial shows, read from the run's files (None: not written by this run)."""

    profile: pd.DataFrame | None = None
    specification: pd.DataFrame | None = None
    decisions: list[Decision] | None = None


def _csv(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read as UTF-8 CSV: {str(exc).splitlines()[0]}") from None


class _Files(Protocol):  # a stage's files by name (revalign.pipeline.stages.StageFiles, or a dict)
    def __getitem__(self, name: str, /) -> Path: ...


def load(files: _Files, decisions_path: Path | None) -> CerqualFiles:
    """The evidence profile and specification table of the run, and its decisions' labels."""
    decisions = None
    if decisions_path is not None and decisions_path.exists():
        data, _lines = load_yaml(decisions_path)
        try:
            decisions = list(DecisionsFile.model_validate(data).decisions)
        except ValueError:
            decisions = None  # stage 04 has reported it; the report shows the decisions by id
    profile, spec = (_csv(Path(files[name])) for name in FILES)
    return CerqualFiles(profile, spec, decisions)


def cerqual_view(data: CerqualFiles | None, lang: str) -> dict | None:
    """The Summary of Qualitative Findings and evidence profile, labelled in *lang* (None: nothing to show)."""
    if data is None or data.profile is None or data.profile.empty:
        return None
    _ = messages(lang)
    rows = []
    for r in data.profile.to_dict("records"):
        rows.append(
            {
                "finding": r["finding"],
                "label": r["dimension_label"],
                "dimension": r["dimension"],
                "sources": [k for k in r["sources"].split("; ") if k],
                "components": [
                    {"concern": _(CONCERNS.get(r[c], r[c])), "explanation": r[f"{c}_explanation"]} for c in COMPONENTS
                ],
                "confidence": _(CONFIDENCE.get(r["confidence"], r["confidence"])),
                "explanation": r["confidence_explanation"],
            }
        )
    unassessed = sum(1 for r in data.profile.to_dict("records") if r["confidence"] == "not_assessed")
    return {
        "title": _("Confidence in the findings (GRADE-CERQual)"),
        "intro": _(
            "Each level of Table 1 is a review finding. GRADE-CERQual judges the confidence in it from four "
            "components: methodological limitations of the sources (from a critical appraisal with a tool named for "
            "each source's design), coherence of the data with the finding, adequacy of the data (richness and "
            "quantity) and relevance of the sources to the review question. A component that could not be judged "
            "is not assessed, and then no overall confidence is given."
        ),
        "sof_caption": _("Summary of qualitative findings"),
        "profile_caption": _("Evidence profile: each component's judgement and its explanation"),
        "head": {
            "finding": _("Review finding"),
            "confidence": _("Confidence (GRADE-CERQual)"),
            "explanation": _("Explanation"),
            "sources": _("Sources contributing to the finding"),
        },
        "components": [_(name) for name in COMPONENTS.values()],
        "rows": rows,
        "caveat": _.ngettext(
            "For {n} finding no overall confidence is given: a component could not be assessed (see its explanation).",
            "For {n} findings no overall confidence is given: a component could not be assessed (see its explanation).",
            unassessed,
        ).format(n=unassessed)
        if unassessed
        else "",
    }


def specification_view(data: CerqualFiles | None, lang: str, dimension_labels: Mapping[str, str],
                       level_labels: Mapping[str, str]) -> dict | None:  # fmt: skip
    """Which declared coding decision changes which level, labelled in *lang* (None: no decisions declared)."""
    if data is None or data.specification is None or data.specification.empty:
        return None
    _ = messages(lang)
    spec = data.specification
    dims = list(dict.fromkeys(spec["dimension"]))
    alone = spec[spec["n_alternatives"] == "1"]
    known = {d.id: d for d in data.decisions or []}
    order = [d.id for d in data.decisions or []] or list(dict.fromkeys(alone["alternatives"]))
    rows = []
    for did in order:
        d = known.get(did)
        cells = []
        for dim in dims:
            hit = alone[(alone["alternatives"] == did) & (alone["dimension"] == dim)]
            if hit.empty:
                cells.append({"text": "", "changed": False})
                continue
            h = hit.iloc[0]
            changed = h["differs"] == "True"
            cells.append(
                {"text": level_labels.get(h["level"], h["level"]) if changed else _("unchanged"), "changed": changed}
            )
        rows.append(
            {
                "decision": d.label.text(lang) if d else did,
                "chosen": d.chosen.text(lang) if d else "",
                "alternative": d.alternative.text(lang) if d else "",
                "cells": cells,
            }
        )
    n = spec["specification"].nunique()
    shares = []
    for dim in dims:
        g = spec[spec["dimension"] == dim]
        shares.append(f"{(g['level'] == g['chosen_level']).mean():.0%}")
    return {
        "title": _("Decisions that are judgements: the specification table"),
        "intro": _(
            "The coding decisions the protocol names as judgements are declared with the coding their other choice "
            "gives, and Table 1 is rerun under every combination of them. Each row takes one decision the other way "
            "and shows the level each dimension gets then; the last row gives the share of all {n} combinations that "
            "give the chosen level."
        ).format(n=n),
        "head": {"decision": _("Decision"), "chosen": _("Chosen"), "alternative": _("Alternative")},
        "dimensions": [dimension_labels.get(d, d) for d in dims],
        "rows": rows,
        "shares_label": _("Share of combinations giving the chosen level"),
        "shares": shares,
    }


def partials(view) -> dict:
    """Both partials' data for a :class:`revalign.report.view.ReportView` (a Jinja global of the report)."""
    data = getattr(view.inp, "cerqual", None)
    dims = {r["dimension"]: r.get("dimension_label") or r["dimension"] for r in view.table1_rows}
    levels = {lv.id: lv.label.text(view.lang) for lv in view.cb.levels}
    return {
        "cerqual": cerqual_view(data, view.lang),
        "specification": specification_view(data, view.lang, dims, levels),
    }
