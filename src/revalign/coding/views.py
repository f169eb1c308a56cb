"""What notebook 03 prints, in the run's language: labelled tables and sentences.

Every word is the message catalog's (:mod:`revalign.core.i18n`) or the codebook's own label;
ids appear only where the reader needs them to find a row in a file (citation keys, code ids).
Nothing of one particular review is assumed: the review's own synthesis is mentioned only when
the run has a record of the review (:attr:`~revalign.coding.inputs.Inputs.has_review`), source
categories only when the corpus has them, screening only when stage 02 has decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from revalign.bibliography.doctypes import category_heading
from revalign.coding import matrices
from revalign.core.agreement import format_statistic
from revalign.core.codebook import GAP, MIXED, STRENGTH
from revalign.core.i18n import N_, messages

if TYPE_CHECKING:
    from revalign.coding.inputs import Inputs, VocabularyRun
    from revalign.core.codebook import Codebook

ROLE_WORDS = {
    STRENGTH: N_("strength: counts for the dimension"),
    GAP: N_("gap: counts against the dimension"),
    MIXED: N_("mixed: both at once"),
}
VOCABULARY_WORDS = {
    "themes": N_("theme"),
    "polarity": N_("polarity"),
    "facet": N_("facet"),
    "context": N_("context"),
}
STATUS_WORDS = {
    "no cited evidence": N_("no cited evidence"),
    "single source type": N_("one kind of source only"),
    "triangulated": N_("several kinds of source"),
}


def label(cb: Codebook, kind: str, item_id: str, lang: str) -> str:
    """The codebook's label of *item_id* in *lang*, or the id itself when the codebook lacks it."""
    try:
        return cb.label(kind, item_id, lang)
    except KeyError:
        return item_id


#: rows of a long list shown in the notebook (the whole list is in the file it names)
SHOWN_ROWS = 20


def _text(df: pd.DataFrame) -> str:
    return df.to_string(index=False) if len(df) else ""


# ---- the codebook ------------------------------------------------------------------------------


def codebook_overview(cb: Codebook, lang: str) -> str:
    """One line: the framework, its components and how many are rows of the results table."""
    _ = messages(lang)
    n, h = len(cb.components), len(cb.headline_ids)
    components = _.ngettext("{n} component", "{n} components", n).format(n=n)
    return _("{framework}: {components}, {headline} of them rows of the results table").format(
        framework=cb.framework.name, components=components, headline=h
    )


def components_table(cb: Codebook, lang: str) -> pd.DataFrame:
    """One row per component: id, label in each language the codebook gives, headline, phrase, indicator terms."""
    _ = messages(lang)
    langs = cb.languages or ["en"]
    label_head = _("label ({lang})")
    rows = [
        {
            _("id"): c.id,
            **{label_head.format(lang=lg): c.label.text(lg) for lg in langs},
            _("in the results table"): _("yes") if c.headline else "",
            _("phrase of the framework"): c.phrase,
            _("indicator terms"): ", ".join(f"{lg}: {len(getattr(c.indicators, lg))}" for lg in c.indicators.languages)
            or _("none"),
        }
        for c in cb.components
    ]
    return pd.DataFrame(rows)


def _meaning(cb: Codebook, vocabulary: str, term_id: str, lang: str) -> str:
    """What a code means to the alignment rule: the polarity role, a part of the levels, the focus, a weight."""
    _ = messages(lang)
    term = next(t for t in getattr(cb, vocabulary) if t.id == term_id)
    words = []
    if vocabulary == "polarity":
        words.append(_(ROLE_WORDS[cb.polarity_roles[term_id]]))
    if vocabulary == "facet" and term_id in cb.parts:
        words.append(_("a part the levels are graded on"))
    if vocabulary == "context" and term.focus:
        words.append(_("the review's focus"))
    if term.weight is not None:
        words.append(_("weight {weight}").format(weight=f"{term.weight:g}"))
    return "; ".join(words)


def vocabularies_table(cb: Codebook, lang: str) -> pd.DataFrame:
    """One row per theme, polarity, facet and context code: labels, and what each means to the rule."""
    _ = messages(lang)
    langs = cb.languages or ["en"]
    label_head = _("label ({lang})")
    rows = [
        {
            _("vocabulary"): _(VOCABULARY_WORDS[name]),
            _("id"): t.id,
            **{label_head.format(lang=lg): t.label.text(lg) for lg in langs},
            _("meaning to the rule"): _meaning(cb, name, t.id, lang),
        }
        for name in VOCABULARY_WORDS
        for t in getattr(cb, name)
    ]
    return pd.DataFrame(rows)


# ---- validation and counts -------------------------------------------------------------------------


def counts_table(x: Inputs) -> pd.DataFrame:
    """Claims, segments and works: cited evidence, the review's own synthesis (when the run has a review), all."""
    _ = messages(x.lang)
    c = x.counts
    keys = x.segments["ref_key"].astype(str)
    syn_sources = int(keys[keys.isin(x.synthesis_keys)].nunique())
    columns = {_("cited evidence"): [c["evidence_claims"], c["evidence_segments"], c["evidence_sources"]]}
    if x.has_review:
        columns[_("the review's own synthesis")] = [c["synthesis_claims"], c["synthesis_segments"], syn_sources]
    columns[_("all")] = [c["claims"], c["segments"], int(keys.nunique())]
    return pd.DataFrame(columns, index=[_("claims"), _("segments"), _("works")])


def unused_text(x: Inputs, unused: pd.DataFrame, file: str) -> str:
    """The works no segment cites, and where their list was written (*file*, as shown)."""
    _ = messages(x.lang)
    head = _.ngettext(
        "{n} work of the corpus is not cited by any segment (listed in {file})",
        "{n} works of the corpus are not cited by any segment (listed in {file})",
        len(unused),
    ).format(n=len(unused), file=file)
    first = unused.head(SHOWN_ROWS)  # a large corpus leaves thousands uncited: the file lists them all
    shown = pd.DataFrame({_("citation key"): first["record_id"]})
    if "year" in first.columns:
        shown[_("year")] = first["year"].astype("string").fillna("")
    if "sourcecategory" in first.columns and matrices.has_source_categories(x.corpus):
        shown[_("source category")] = [category_heading(str(c), x.lang) for c in first["sourcecategory"].fillna("")]
    more = len(unused) - len(first)
    tail = "\n" + _.ngettext("... and {n} more", "... and {n} more", more).format(n=more) if more > 0 else ""
    return head + (":\n" + _text(shown) + tail if len(unused) else ".")


def excluded_text(x: Inputs, excluded: pd.DataFrame, file: str) -> str:
    """The segments that cite a work stage 02 excluded (nothing to say before stage 02 has decided)."""
    _ = messages(x.lang)
    if x.screening is None:
        return ""
    if not len(excluded):
        return _("No segment cites a work that screening excluded.")
    works = excluded.groupby(["ref_key", "reason"], sort=True)["segment_id"].agg(", ".join).reset_index()
    head = _.ngettext(
        "{n} segment cites a work that screening excluded; it still counts as evidence and is marked "
        "(excluded_at_screening) in {file}:",
        "{n} segments cite works that screening excluded; they still count as evidence and are marked "
        "(excluded_at_screening) in {file}:",
        len(excluded),
    ).format(n=len(excluded), file=file)
    shown = pd.DataFrame(
        {
            _("citation key"): works["ref_key"],
            _("reason of exclusion"): works["reason"],
            _("segments"): works["segment_id"],
        }
    )
    return head + "\n" + _text(shown)


def validation_text(
    x: Inputs, unused: pd.DataFrame, unused_file: str, excluded: pd.DataFrame, evidence_file: str
) -> str:
    """The counts table, the works never cited, and the citations of works screening excluded."""
    parts = [
        counts_table(x).to_string(),
        unused_text(x, unused, unused_file),
        excluded_text(x, excluded, evidence_file),
    ]
    return "\n\n".join(p for p in parts if p)


# ---- triangulation ---------------------------------------------------------------------------------


def triangulation_text(x: Inputs, triangulation: pd.DataFrame) -> str:
    """Per dimension: cited works, the kinds of source they are, and whether that is more than one."""
    _ = messages(x.lang)
    if not matrices.has_source_categories(x.corpus):
        return _("The works have no source category, so triangulation by kind of source cannot be judged.")
    cb = x.codebook
    shown = pd.DataFrame(
        {
            _("dimension"): [label(cb, "component", d, x.lang) for d in triangulation["dimension"]],
            _("in the results table"): [_("yes") if d in cb.headline_ids else "" for d in triangulation["dimension"]],
            _("cited works"): triangulation["n_sources"],
            _("kinds of source"): [
                ", ".join(category_heading(c, x.lang) for c in str(cats).split(";") if c)
                for cats in triangulation["categories"]
            ],
            _("status"): [_(STATUS_WORDS[s]) for s in triangulation["status"]],
        }
    )
    return _text(shown)


# ---- what is skipped, and the close ------------------------------------------------------------------


def no_key_statistics(lang: str) -> str:
    return messages(lang).gettext("The parameters name no key_statistics file: no figure of quoted statistics.")


def no_literature_map(x: Inputs, kept: pd.DataFrame) -> str:
    """Why the map of the literature's abstracts is skipped."""
    _ = messages(x.lang)
    n_abs = int(kept["abstract"].fillna("").astype(str).str.strip().ne("").sum()) if "abstract" in kept else 0
    records = _.ngettext("{n} screened record", "{n} screened records", len(kept)).format(n=len(kept))
    return _("{records}, {n} with an abstract: too few for a map of the literature; skipped").format(
        records=records, n=n_abs
    )


def closing_text(x: Inputs, check: VocabularyRun, single_type: pd.DataFrame, excluded: pd.DataFrame) -> str:
    """The stage in a few lines: claims, segments, works, kinds of source, screening, the vocabulary check."""
    _ = messages(x.lang)
    c = x.counts
    n_refs = len(x.corpus) - len(x.synthesis_keys & set(x.corpus["record_id"].astype(str)))
    if x.has_review:
        claims = _("claims: {n} ({e} citing a work, {s} the review's own)")
        segments = _("segments: {n} ({e} cited evidence, {s} the review's own synthesis)")
    else:
        claims, segments = _("claims: {n}"), _("segments: {n}")
    lines = [
        claims.format(n=c["claims"], e=c["evidence_claims"], s=c["synthesis_claims"]),
        segments.format(n=c["segments"], e=c["evidence_segments"], s=c["synthesis_segments"]),
        _("works cited as evidence: {n} of {m} in the corpus").format(n=c["evidence_sources"], m=n_refs),
    ]
    if matrices.has_source_categories(x.corpus):
        single = ", ".join(
            f"{label(x.codebook, 'component', str(r.dimension), x.lang)} ({category_heading(str(r.categories), x.lang)})"
            for r in single_type.itertuples()
        )
        lines.append(_("dimensions resting on one kind of source: {list}").format(list=single or _("none")))
    if x.screening is not None:
        lines.append(_("segments citing a work excluded at screening: {n}").format(n=len(excluded)))
    r = check.result
    lines.append(
        _("vocabulary check (not reliability): kappa {kappa}, alpha {alpha}").format(
            kappa=format_statistic(r["kappa_overall"], x.lang), alpha=format_statistic(r["alpha_nominal"], x.lang)
        )
    )
    return "\n".join(lines)
