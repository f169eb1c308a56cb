"""Confidence in each finding: GRADE-CERQual (Lewin et al. 2018; docs/protocol.md, section 6 and its amendments).

Each dimension's level is a review finding. Its four components are judged as *no or very
minor*, *minor*, *moderate* or *serious* concerns, or *not assessed*, each with its
explanation:

- **Methodological limitations** (Munthe-Kaas et al. 2018): from the critical appraisal of
  each contributing source with the tool named for its design (:mod:`revalign.alignment.appraisal`).
  A source's concern follows from the share of its tool's applicable criteria not met; the
  finding's is the mean over its sources weighted by their share of the evidence. If any
  contributing source was not appraised on every criterion, the component is not assessed.
- **Coherence** (Colvin et al. 2018): the fit between the finding statement and its data.
  The statement is what the level's definition says of each part given the other parts
  (the strength side, the gap side, or nothing); contrary claims are those on the other
  side (mixed claims count half, as ambiguous). Two more concerns, each one step: a declared
  coding decision whose alternative alone changes the level (a plausible other reading of
  the same data; :mod:`revalign.alignment.specification`), and the focus context and the
  other contexts pointing to different sides on a part the statement constrains (variation
  the finding does not explain).
- **Adequacy** (Glenton et al. 2018): quantity (distinct sources) and richness (a part the
  statement rests on has fewer than three claims: thin data, one step).
- **Relevance** (Noyes et al. 2018): each source's fit to the context of the review question
  (population or perspective, phenomenon of interest, setting), judged with reasons in the
  appraisal file, weighted by the source's share of the evidence.

**Overall**: not given when any component is not assessed. Otherwise it starts at *high*;
each serious concern lowers it two steps, each moderate one step, every two minor concerns
one step; the floor is *very low*. No component or overall judgement is ever filled in
without its data: there is no default "high".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from revalign.alignment.appraisal import RELEVANCE_TOOL, TOOLS, Appraisal, read_appraisal
from revalign.alignment.rule import Judgement
from revalign.alignment.units import source_shares, sources_of, strength_gap, two_part
from revalign.core.codebook import GAP, MIXED, NONE_GRADE, STRENGTH, Codebook, Level
from revalign.core.config import Alignment
from revalign.core.i18n import N_, messages

__all__ = ["read_appraisal", "Appraisal", "Component", "Profile", "assess", "COMPONENTS", "CONCERNS", "CONFIDENCE"]

# Component ids (columns cerqual_<id> of Table 1) and their names.
COMPONENTS = {
    "methodological_limitations": N_("Methodological limitations"),
    "coherence": N_("Coherence"),
    "adequacy": N_("Adequacy"),
    "relevance": N_("Relevance"),
}
NOT_ASSESSED = "not_assessed"
# Concerns, from none to serious (index = steps of concern).
CONCERNS = {
    "no_or_very_minor": N_("no or very minor concerns"),
    "minor": N_("minor concerns"),
    "moderate": N_("moderate concerns"),
    "serious": N_("serious concerns"),
    NOT_ASSESSED: N_("not assessed"),
}
CONCERN_IDS = ("no_or_very_minor", "minor", "moderate", "serious")
CONFIDENCE = {
    "high": N_("high confidence"),
    "moderate": N_("moderate confidence"),
    "low": N_("low confidence"),
    "very_low": N_("very low confidence"),
    NOT_ASSESSED: N_("not assessed"),
}
CONFIDENCE_IDS = ("high", "moderate", "low", "very_low")

# Cut points (docs/protocol.md, amendment of 2026-12-07).
LIMITATION_SOURCE_BANDS = (0.0, 0.2, 0.4)  # shortfall share of one source: <= 0 none, <= 0.2 minor, <= 0.4 moderate
LIMITATION_BANDS = (0.5, 1.0, 1.5)  # weighted mean concern index of the sources
CONTRARY_BANDS = (0.10, 0.25, 0.40)  # share of the weight on the other side of the statement
RELEVANCE_BANDS = (0.8, 0.6, 0.4)  # weighted fit to the review question (higher is better)
THIN = 3  # fewer claims on a part the statement rests on: thin data
MIN_GROUP = 2  # claims in each context group before their disagreement counts as variation


@dataclass
class Component:
    """One CERQual component of one finding: the concern id and its explanation (in the run's language)."""

    concern: str
    explanation: str


@dataclass
class Profile:
    """The CERQual evidence profile of one finding."""

    components: dict[str, Component] = field(default_factory=dict)
    confidence: str = ""  # id of CONFIDENCE, "" when the finding has no cited evidence
    explanation: str = ""
    sources: list[str] = field(default_factory=list)


def _band(value: float, bounds: Sequence[float], higher_is_better: bool = False) -> int:
    for i, b in enumerate(bounds):
        if (value >= b) if higher_is_better else (value <= b):
            return i
    return 3


def _concern(_, i: int) -> str:
    return _(CONCERNS[CONCERN_IDS[i]])


# ---- methodological limitations ---------------------------------------------------------------


def _limitations(shares: dict[str, float], appraisal: Appraisal | None, _) -> Component:
    if appraisal is None:
        return Component(NOT_ASSESSED, _("the run has no appraisal file"))
    missing = [k for k in shares if k not in appraisal]
    partial = [k for k in shares if k in appraisal and not appraisal[k].limitations_assessed]
    if missing or partial:
        parts = []
        if missing:
            parts.append(
                _.ngettext(
                    "{n} source is not in the appraisal file ({keys})",
                    "{n} sources are not in the appraisal file ({keys})",
                    len(missing),
                ).format(n=len(missing), keys=", ".join(missing))
            )
        if partial:
            reasons = [j.reason for k in partial for j in appraisal[k].criteria.values() if j.judgement == NOT_ASSESSED]
            common = max(sorted(set(reasons)), key=reasons.count) if reasons else ""
            parts.append(
                _.ngettext(
                    "{n} of {total} sources has criteria that were not judged (most often: {reason})",
                    "{n} of {total} sources have criteria that were not judged (most often: {reason})",
                    len(partial),
                ).format(n=len(partial), total=len(shares), reason=common)
            )
        return Component(NOT_ASSESSED, "; ".join(parts))
    total = sum(shares.values())
    per_source = {}
    for k in shares:
        q = appraisal[k].shortfall() or 0.0
        per_source[k] = _band(q, LIMITATION_SOURCE_BANDS)
    m = sum(per_source[k] * w for k, w in shares.items()) / total
    i = _band(m, LIMITATION_BANDS)
    weak = sorted(k for k, c in per_source.items() if c >= 2)
    tools = sorted({TOOLS[appraisal[k].tool].name for k in shares})
    text = _(
        "mean concern {m:.2f} over {n} sources (0 none to 3 serious, weighted by share of the evidence; tools: {tools})"
    ).format(m=m, n=len(shares), tools="; ".join(tools))
    if weak:
        text += "; " + _("moderate or serious limitations: {keys}").format(keys=", ".join(weak))
    return Component(CONCERN_IDS[i], text)


# ---- coherence --------------------------------------------------------------------------------


def _holds(lv: Level, grades: dict[str, str]) -> bool:
    return lv.when is not None and all(grades.get(part, NONE_GRADE) in ok for part, ok in lv.when.items())


def statement(level: Level, cb: Codebook, grades: dict[str, str]) -> dict[str, str | None]:
    """What the finding says of each part: ``strength`` (its evidence is on the strength side), ``gap``,
    or None (nothing). A level with ``when`` says it of the grades it allows; the level without it
    (every other case) of the grades that, with the other parts as they are, keep every ``when`` false."""
    all_grades = [g.id for g in cb.part_grades] + [NONE_GRADE]
    upper = {g.id for g in cb.part_grades if g.min_share >= 0.5}
    lower = {g.id for g in cb.part_grades if g.min_share < 0.5}
    out: dict[str, str | None] = {}
    for part in cb.parts:
        if level.when is not None:
            allowed = set(level.when.get(part, all_grades))
        else:
            allowed = {g for g in all_grades if not any(_holds(lv, {**grades, part: g}) for lv in cb.levels)}
        real = allowed - {NONE_GRADE}
        out[part] = STRENGTH if real and real <= upper else GAP if real and real <= lower else None
    return out


def _contrary(units: pd.DataFrame, sides: dict[str, str | None]) -> tuple[float, float, int, int]:
    """(weight against the statement, weight on constrained parts, contrary claims, ambiguous claims)."""
    against = constrained = 0.0
    n_contrary = n_mixed = 0
    for role, facet, w in zip(units["role"], units["facet"], units["weight"], strict=False):
        side = sides.get(facet)
        if side is None:
            continue
        constrained += w
        if role == MIXED:
            against += w / 2
            n_mixed += 1
        elif role != side:
            against += w
            n_contrary += 1
    return against, constrained, n_contrary, n_mixed


def _variation(
    units: pd.DataFrame, sides: dict[str, str | None], focus: str | None, p: Alignment, _, cb: Codebook
) -> str | None:
    """A part the statement constrains on which the focus context and the others point to different sides."""
    if focus is None or "focus_share" not in units.columns:
        return None
    for part, side in sides.items():
        if side is None:
            continue
        on = units[units["facet"] == part]
        groups = {True: on[on["focus_share"] > 0.5], False: on[on["focus_share"] <= 0.5]}
        if any(len(g) < MIN_GROUP for g in groups.values()):
            continue
        share = {}
        for k, g in groups.items():
            s, gg = strength_gap(g["role"], g["weight"], p.mixed_share)
            share[k] = s / (s + gg) if s + gg else 0.5
        if (share[True] > 0.5) != (share[False] > 0.5) and 0.5 not in share.values():
            return _(
                "on {part}, the focus context ({nf} claims, strength share {sf:.2f}) and the other contexts ({no} claims, {so:.2f}) point different ways"
            ).format(
                part=cb.label("facet", part, _.lang),
                nf=len(groups[True]),
                sf=share[True],
                no=len(groups[False]),
                so=share[False],
            )
    return None


def _coherence(
    units: pd.DataFrame,
    j: Judgement,
    cb: Codebook,
    p: Alignment,
    flipped: list[str] | None,
    decision_labels: dict[str, str],
    _,
) -> Component:
    level = next(lv for lv in cb.levels if lv.rank == j.rank)
    if two_part(cb):
        sides = statement(level, cb, j.grades)
    else:
        ranks = sorted(lv.rank for lv in cb.levels)
        pos = ranks.index(j.rank) / max(1, len(ranks) - 1)
        side = STRENGTH if pos > 0.5 else GAP if pos < 0.5 else None
        sides = {f: side for f in set(units["facet"])}
    against, constrained, n_contrary, n_mixed = _contrary(units, sides)
    total = float(units["weight"].sum())
    c = against / total if total else 0.0
    steps = _band(c, CONTRARY_BANDS)
    said = []
    for role in (STRENGTH, GAP):
        parts = [f for f, side in sorted(sides.items()) if side == role]
        if parts:
            said.append(
                _("the finding puts {parts} on the side of {role}").format(
                    parts=", ".join(cb.label("facet", f, _.lang) if f in cb.vocabulary("facet") else f for f in parts),
                    role=cb.role_label(role, _.lang) or role,
                )
            )
    reasons = [
        ("; ".join(said) if said else _("the finding says nothing of one side or the other"))
        + "; "
        + _("{contrary} contrary and {mixed} mixed claims, {share:.0%} of the weight").format(
            contrary=n_contrary, mixed=n_mixed, share=c
        )
    ]
    if flipped:
        steps += 1
        reasons.append(
            _("another reading of the same data changes the level: {decisions}").format(
                decisions=", ".join(decision_labels.get(d, d) for d in flipped)
            )
        )
    elif flipped is not None:
        reasons.append(_("no declared coding decision changes the level"))
    varied = _variation(units, sides, cb.focus_context, p, _, cb)
    if varied:
        steps += 1
        reasons.append(varied)
    i = min(3, steps)
    return Component(CONCERN_IDS[i], "; ".join(reasons))


# ---- adequacy ---------------------------------------------------------------------------------


def _adequacy(units: pd.DataFrame, j: Judgement, cb: Codebook, _) -> Component:
    n_src = len(sources_of(units))
    n_claims = int(units["claim"].nunique())
    steps = 0 if n_src >= 5 else 1 if n_src >= 3 else 2 if n_src == 2 else 3
    reasons = [
        _("{sources} and {claims}, each one coded statement").format(
            sources=_.ngettext("{n} source", "{n} sources", n_src).format(n=n_src),
            claims=_.ngettext("{n} claim", "{n} claims", n_claims).format(n=n_claims),
        )
    ]
    if two_part(cb):
        level = next(lv for lv in cb.levels if lv.rank == j.rank)
        sides = statement(level, cb, j.grades)
        thin = [
            (f, int(units.loc[units["facet"] == f, "claim"].nunique()))
            for f, s in sides.items()
            if s is not None and 0 < units.loc[units["facet"] == f, "claim"].nunique() < THIN
        ]
        if thin:
            steps += 1
            reasons.append(
                _("thin: the finding's statement on {parts} rests on fewer than {k} claims").format(
                    parts=", ".join(f"{cb.label('facet', f, _.lang)} ({n})" for f, n in thin), k=THIN
                )
            )
    elif n_claims < THIN:
        steps += 1
        reasons.append(_("thin: fewer than {k} claims").format(k=THIN))
    i = min(3, steps)
    return Component(CONCERN_IDS[i], "; ".join(reasons))


# ---- relevance --------------------------------------------------------------------------------


def _relevance(shares: dict[str, float], appraisal: Appraisal | None, _) -> Component:
    if appraisal is None:
        return Component(NOT_ASSESSED, _("the run has no appraisal file"))
    unjudged = [k for k in shares if k not in appraisal or not appraisal[k].relevance_assessed]
    if unjudged:
        return Component(
            NOT_ASSESSED,
            _("no judgement of fit to the review question for {keys}").format(keys=", ".join(unjudged)),
        )
    total = sum(shares.values())
    r = sum((appraisal[k].relevance_score() or 0.0) * w for k, w in shares.items()) / total
    i = _band(r, RELEVANCE_BANDS, higher_is_better=True)
    per_criterion = {}
    for crit in TOOLS[RELEVANCE_TOOL].criteria:
        per_criterion[crit] = (
            sum(
                (
                    1.0
                    - {"yes": 0.0, "partly": 0.5, "unclear": 0.5, "no": 1.0}.get(
                        appraisal[k].relevance[crit].judgement, 0.0
                    )
                )
                * w
                for k, w in shares.items()
                if appraisal[k].relevance[crit].judgement != "not_applicable"
            )
            / total
        )
    worst = min(per_criterion, key=lambda c: (per_criterion[c], c))
    off = sorted(k for k in shares if appraisal[k].relevance[worst].judgement in ("no", "partly", "unclear"))
    text = _("fit to the review question {r:.2f} (1 = every source fits on population, phenomenon and setting)").format(
        r=r
    )
    if per_criterion[worst] < 1:
        text += "; " + _("weakest on {criterion} ({value:.2f}): {keys}").format(
            criterion=_(CRITERIA[worst]), value=per_criterion[worst], keys=", ".join(off)
        )
    return Component(CONCERN_IDS[i], text)


CRITERIA = {"population": N_("population"), "phenomenon": N_("phenomenon"), "setting": N_("setting")}


# ---- overall ----------------------------------------------------------------------------------


def _overall(components: dict[str, Component], _) -> tuple[str, str]:
    unassessed = [c for c, comp in components.items() if comp.concern == NOT_ASSESSED]
    if unassessed:
        names = ", ".join(_(COMPONENTS[c]).lower() for c in unassessed)
        return NOT_ASSESSED, _("no overall confidence: {components} not assessed").format(components=names)
    idx = {c: CONCERN_IDS.index(comp.concern) for c, comp in components.items()}
    steps = 2 * sum(1 for v in idx.values() if v == 3) + sum(1 for v in idx.values() if v == 2)
    minors = sum(1 for v in idx.values() if v == 1)
    steps += minors // 2
    conf = CONFIDENCE_IDS[min(3, steps)]
    why = [
        _("{concern} about {component}").format(concern=_concern(_, v), component=_(COMPONENTS[c]).lower())
        for c, v in idx.items()
        if v > 0
    ]
    if not why:
        return conf, _("no component raises more than very minor concerns")
    return conf, _.ngettext(
        "from high, {n} step down for {reasons}", "from high, {n} steps down for {reasons}", min(3, steps)
    ).format(n=min(3, steps), reasons="; ".join(why))


def assess(
    units: pd.DataFrame,
    j: Judgement,
    cb: Codebook,
    p: Alignment,
    appraisal: Appraisal | None,
    lang: str = "en",
    flipped: list[str] | None = None,
    decision_labels: dict[str, str] | None = None,
) -> Profile:
    """The CERQual evidence profile of one finding (the module docstring); empty without cited evidence.

    *units* are the finding's evidence units (:func:`revalign.alignment.units.evidence_units`),
    *flipped* the declared decisions whose alternative alone changes its level (None: no
    decisions were declared).
    """
    if j.rank is None or units.empty:
        return Profile()
    _ = messages(lang)
    shares = source_shares(units)
    components = {
        "methodological_limitations": _limitations(shares, appraisal, _),
        "coherence": _coherence(units, j, cb, p, flipped, decision_labels or {}, _),
        "adequacy": _adequacy(units, j, cb, _),
        "relevance": _relevance(shares, appraisal, _),
    }
    conf, why = _overall(components, _)
    return Profile(components, conf, why, sorted(shares))


def table_columns(profile: Profile, lang: str) -> dict[str, str]:
    """Table 1's confidence columns of one finding: the overall confidence (words and id), its explanation,
    and each component's concern in words."""
    _ = messages(lang)
    if not profile.components:
        return {"confidence": "", "confidence_id": "", "confidence_explanation": "",
                **{f"cerqual_{c}": "" for c in COMPONENTS}}  # fmt: skip
    return {
        "confidence": _(CONFIDENCE[profile.confidence]),
        "confidence_id": profile.confidence,
        "confidence_explanation": profile.explanation,
        **{f"cerqual_{c}": _(CONCERNS[comp.concern]) for c, comp in profile.components.items()},
    }
