"""Stage 04 in one call: Table 1, its bootstrap, the CERQual evidence profile and the specification table.

:func:`analyse` runs the rule once for everything the notebook, the CLI and the report show;
the other functions turn the result into the tables a reader sees (labelled in the run's
language: codebook labels from the codebook, the program's words from the message catalog).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from revalign.alignment.confidence import COMPONENTS, CONCERNS, CONFIDENCE, Profile
from revalign.alignment.inputs import Inputs
from revalign.alignment.mapping import map_segments
from revalign.alignment.rule import Judgement
from revalign.alignment.specification import flipping_decisions, flips, level_shares, specification_table
from revalign.alignment.table1 import align_all, table_dimensions
from revalign.core.i18n import messages

PROFILE_COLUMNS = [
    "dimension",
    "dimension_label",
    "finding",
    "level",
    "level_label",
    "sources",
    *[c for comp in COMPONENTS for c in (comp, f"{comp}_explanation")],
    "confidence",
    "confidence_explanation",
]


@dataclass
class Result:
    """What stage 04 computed (see :func:`analyse`)."""

    inputs: Inputs
    table: pd.DataFrame
    bootstrap: pd.DataFrame | None
    profiles: dict[str, Profile]
    judgements: dict[str, Judgement]
    segments: pd.DataFrame  # the segments the rule ran on (mapped onto the run's framework when it is another's)
    specification: pd.DataFrame | None = None
    dimensions: list[str] = field(default_factory=list)  # the table's dimensions that have a level

    @property
    def lang(self) -> str:
        return self.inputs.lang


def decision_labels(x: Inputs) -> dict[str, str]:
    """Decision id -> its label in the run's language (from the decisions file)."""
    return {d.id: d.label.text(x.lang) for d in (x.decisions.decisions if x.decisions else [])}


def analyse(x: Inputs, bootstrap: bool = True) -> Result:
    """Run the rule for everything stage 04 shows: the specification table first (the coherence judgement
    uses which declared decisions change a level), then Table 1 with its bootstrap and CERQual profiles."""
    cb, p = x.codebook, x.params
    dims = cb.headline_ids or cb.component_ids
    if x.mapped:
        dims = cb.headline_ids or [c.id for c in cb.components if c.maps_to]
    dims = table_dimensions(cb, dims, x.published)  # Table 1's order
    spec = None
    if x.decisions is not None:
        spec = specification_table(
            x.segments, cb, p, dims, x.source_types, x.decisions, x.synthesis_keys, mapped=x.mapped
        )
    built = align_all(
        x.segments,
        cb,
        p,
        x.codebook_path,
        x.source_types,
        x.published,
        x.lang,
        appraisal=x.appraisal,
        bootstrap=bootstrap,
        flips=flipping_decisions(spec, x.decisions),
        decision_labels=decision_labels(x),
    )
    segs = map_segments(x.segments, cb) if x.mapped else x.segments
    with_level = list(built.table.loc[built.table["level_rank"].notna(), "dimension"])
    return Result(x, built.table, built.bootstrap, built.profiles, built.judgements, segs, spec, with_level)


def finding_statement(r: Result, dimension: str) -> str:
    """The review finding of one dimension in words: its level and what each part's evidence shows."""
    _ = messages(r.lang)
    cb = r.inputs.codebook
    j = r.judgements[dimension]
    row = r.table.set_index("dimension").loc[dimension]
    if j.rank is None:
        return _("{dimension}: no cited evidence").format(dimension=row["dimension_label"])
    parts = "; ".join(
        _("{part}: {grade} (strength {s:g}, gap {g:g})").format(
            part=cb.label("facet", f, r.lang), grade=grade, s=j.parts[f][0], g=j.parts[f][1]
        )
        for f, grade in j.grades.items()
    )
    text = _("{dimension}: {level}").format(dimension=row["dimension_label"], level=row["level_label"])
    return f"{text} ({parts})" if parts else text


def evidence_profile(r: Result) -> pd.DataFrame:
    """The CERQual Summary of Qualitative Findings with its evidence profile: per finding, each component's
    judgement (id) and explanation, the overall confidence (id) and its explanation (``P/cerqual_profile.csv``)."""
    rows = []
    for d in r.dimensions:
        profile = r.profiles.get(d)
        if profile is None or not profile.components:
            continue
        t = r.table.set_index("dimension").loc[d]
        row = {
            "dimension": d,
            "dimension_label": t["dimension_label"],
            "finding": finding_statement(r, d),
            "level": t["level"],
            "level_label": t["level_label"],
            "sources": "; ".join(profile.sources),
        }
        for comp, c in profile.components.items():
            row[comp] = c.concern
            row[f"{comp}_explanation"] = c.explanation
        row["confidence"] = profile.confidence
        row["confidence_explanation"] = profile.explanation
        rows.append(row)
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def profile_for_readers(r: Result) -> pd.DataFrame:
    """:func:`evidence_profile` with the program's words for the judgements and headed in the run's language."""
    _ = messages(r.lang)
    prof = evidence_profile(r)
    out = pd.DataFrame()
    out[_("Finding")] = prof["finding"]
    for comp, name in COMPONENTS.items():
        out[_(name)] = [
            _("{judgement}: {explanation}").format(judgement=concern_label(c, r.lang), explanation=e)
            for c, e in zip(prof[comp], prof[f"{comp}_explanation"], strict=False)
        ]
    out[_("Confidence (GRADE-CERQual)")] = [
        _("{judgement}: {explanation}").format(judgement=confidence_label(c, r.lang), explanation=e)
        for c, e in zip(prof["confidence"], prof["confidence_explanation"], strict=False)
    ]
    out[_("Sources")] = prof["sources"]
    return out


def concern_label(concern: str, lang: str) -> str:
    """A component judgement id in words of *lang*."""
    return messages(lang)(CONCERNS[concern]) if concern in CONCERNS else concern


def confidence_label(confidence: str, lang: str) -> str:
    """An overall confidence id in words of *lang*."""
    return messages(lang)(CONFIDENCE[confidence]) if confidence in CONFIDENCE else confidence


def specification_summary(r: Result) -> pd.DataFrame | None:
    """Which declared coding decision changes which level: one row per decision (its label, the protocol's
    choice and the alternative), one column per dimension with the level under the alternative alone (an
    arrow marks a change), and a last row with the share of all specifications that give the chosen level."""
    if r.specification is None or r.inputs.decisions is None:
        return None
    _ = messages(r.lang)
    cb = r.inputs.codebook
    labels = {lv.id: lv.label.text(r.lang) for lv in cb.levels}
    labels.setdefault("no_evidence", _("No coded evidence"))
    dim_label = dict(zip(r.table["dimension"], r.table["dimension_label"], strict=False))
    f = flips(r.specification, r.inputs.decisions)
    rows = []
    for d in r.inputs.decisions.decisions:
        row = {_("Decision"): d.label.text(r.lang), _("Alternative"): d.alternative.text(r.lang)}
        for x in f[f["decision"] == d.id].itertuples():
            level, dim = str(x.level), str(x.dimension)  # ids (specification.flips)
            text = labels.get(level, level)
            row[dim_label.get(dim, dim)] = ("\u2192 " + text) if x.differs else _("unchanged")
        rows.append(row)
    shares = level_shares(r.specification)
    n = int(r.specification["specification"].nunique())
    last = {_("Decision"): _("all {n} combinations").format(n=n), _("Alternative"): _("share giving the chosen level")}
    for x in shares[shares["chosen"]].itertuples():
        last[dim_label.get(x.dimension, x.dimension)] = f"{x.share:.0%}"
    rows.append(last)
    head = [_("Decision"), _("Alternative")]
    dims = [dim_label.get(d, d) for d in r.dimensions]
    return pd.DataFrame(rows, columns=head + dims).fillna("")
