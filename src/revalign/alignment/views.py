"""What the stage-04 notebook shows and writes, for any review: texts and labelled tables in the run's language.

Each function takes the :class:`~revalign.alignment.analysis.Result` of :func:`analyse` (or
the inputs) and returns text or a small table; the notebook calls them and prints or displays
what they return. The program's words come from the message catalog, labels from the
codebook, and text from input files is escaped where it goes into Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from revalign.alignment import sensitivity
from revalign.alignment.analysis import Result, evidence_profile, profile_for_readers, specification_summary
from revalign.alignment.appraisal import TOOLS
from revalign.alignment.bootstrap import BOOTSTRAP_COLUMNS
from revalign.alignment.example import worked_example
from revalign.alignment.inputs import Inputs
from revalign.alignment.plots import coverage_counts
from revalign.alignment.replication import expected_reproduced, replication_summary, summary_text
from revalign.alignment.rule import NO_EVIDENCE
from revalign.alignment.table1 import write_table, write_table1
from revalign.alignment.tables import presentation, write_tables
from revalign.alignment.units import claim_key, context_weights, facet_weights, two_part, uses_context_weights
from revalign.core.atomic import write_csv
from revalign.core.i18n import Messages, messages


def _md(text: object) -> str:
    """Text from the data, safe inside Markdown: HTML escaped, Markdown's own characters escaped."""
    out = html.escape(str(text), quote=False)
    for ch in "\\`*_[]#|<>":
        out = out.replace(ch, "\\" + ch)
    return out


def _yes_no(value: bool, _: Messages) -> str:
    return _("yes") if value else _("no")


# ---- the rule -----------------------------------------------------------------------------


def describe_rule(x: Inputs) -> str:
    """The run's rule and parameters in words: levels and grades as the codebook declares them, weights,
    corroboration, bootstrap, appraisal, and how many segments and claims the rule counts."""
    _ = messages(x.lang)
    cb, p = x.codebook, x.params
    lines = [_("framework: {name}").format(name=cb.framework.name)]
    if two_part(cb):
        lines.append(_("rule: levels defined by the grades of the evidence parts (codebook data)"))
        lines.append(_("part grades (strength share s, top first):"))
        for g in cb.part_grades:
            lines.append(f"  {g.id}: s {'>' if g.strict else '>='} {g.min_share:g}")
        lines.append(_("levels, tried from the top (a part not named allows any grade):"))
        for lv in sorted(cb.levels, key=lambda lv: -lv.rank):
            if lv.when:
                cond = "; ".join(
                    f"{cb.label('facet', part, x.lang)}: {', '.join(grades)}" for part, grades in lv.when.items()
                )
            else:
                cond = _("every other case")
            lines.append(f"  {lv.rank} {lv.label.text(x.lang)} ({lv.id}): {cond}")
    else:
        lines.append(
            _("rule: one balance score b = (S - G) / (S + G) against the thresholds {thresholds}").format(
                thresholds=", ".join(f"{t:g}" for t in p.thresholds)
            )
        )
        weights = facet_weights(cb, p)
        lines.append(
            _("facet weights: {weights}").format(
                weights=", ".join(f"{cb.label('facet', f, x.lang)} {w:g}" for f, w in weights.items())
            )
        )
    cw = context_weights(cb, p)
    c = p.corroboration
    lines += [
        _("context weights applied: {yes_no} ({weights})").format(
            yes_no=_yes_no(uses_context_weights(cb, p), _),
            weights=", ".join(f"{cb.label('context', k, x.lang)} {w:g}" for k, w in cw.items()),
        ),
        _("share of a mixed claim counted as strength: {share:g}").format(share=p.mixed_share),
        _("highest level needs {n} sources of {t} source types; lowest level needs {m} sources of {u}").format(
            n=c.top_min_sources, t=c.top_min_source_types, m=c.bottom_min_sources, u=c.bottom_min_source_types
        ),
        _("the review's own uncited claims counted: {yes_no}").format(yes_no=_yes_no(p.include_synthesis, _)),
        _("bootstrap: {n} resamples of the cited sources, seed {seed}").format(
            n=p.bootstrap.replicates, seed=p.bootstrap.seed
        ),
        _("source appraisal: {what}").format(
            what=_("{n} sources appraised").format(n=len(x.appraisal))
            if x.appraisal is not None
            else _("none (confidence not assessed)")
        ),
        _("coding decisions declared: {n}").format(n=len(x.decisions.decisions) if x.decisions else 0),
    ]
    segs = x.segments
    own = segs["is_synthesis"].astype(bool)
    claims = claim_key(segs)
    lines.append(
        _(
            "segments: {n} ({cited} citing a source, {own} the review's own); claims: {claims} ({cited_claims} "
            "citing a source)"
        ).format(
            n=len(segs),
            cited=int((~own).sum()),
            own=int(own.sum()),
            claims=claims.nunique(),
            cited_claims=claims[~own].nunique(),
        )
    )
    return "\n".join(lines)


# ---- Table 1 and what goes with it ---------------------------------------------------------------


def write_outputs(r: Result, out: Mapping[str, Path], caption: str = "") -> list[Path]:
    """Write Table 1 (CSV, Markdown, LaTeX, XLSX), the bootstrap, the CERQual evidence profile and the
    specification table to the stage's files (*out*: ``stage_files(cfg, "04")``); return the paths."""
    x = r.inputs
    paths = [write_table1(r.table, out["table1.csv"])]
    replication = ""
    if replication_summary(r.table)["n_compared"]:
        replication = summary_text(r.table, x.lang, len(x.published) if x.published is not None else None)
    paths += write_tables(r.table, Path(out["table1.csv"]).parent, x.lang, x.codebook, caption=caption,
                          replication=replication)  # fmt: skip
    boot = r.bootstrap if r.bootstrap is not None else pd.DataFrame(columns=BOOTSTRAP_COLUMNS)
    paths.append(write_csv(boot, out["bootstrap.csv"]))
    paths.append(write_csv(evidence_profile(r), out["cerqual_profile.csv"]))
    if r.specification is not None:
        paths.append(write_csv(r.specification, out["specification.csv"]))
    return paths


def written_text(paths: list[Path], rel: Callable[[Path], str], lang: str) -> str:
    """ "wrote FILE" for each path, as the reader sees the path (*rel*: ``cfg.rel``)."""
    _ = messages(lang)
    return "\n".join(_("wrote {path}").format(path=rel(p)) for p in paths)


def table_view(r: Result) -> pd.DataFrame:
    """Table 1 as the notebook shows it: the reader's columns without the long excerpts, plus the
    grades of the parts and what the corroboration step did."""
    _ = messages(r.lang)
    view = presentation(r.table, r.lang, r.inputs.codebook)
    view = view.drop(columns=[_("Key strength"), _("Critical gap")])
    cb = r.inputs.codebook
    grades = []
    for d in r.table["dimension"]:
        j = r.judgements.get(d)
        grades.append(
            "; ".join(
                _("{part}: {grade} (S {s:g}, G {g:g})").format(
                    part=cb.label("facet", f, r.lang), grade=g, s=j.parts[f][0], g=j.parts[f][1]
                )
                for f, g in j.grades.items()
            )
            if j is not None
            else ""
        )
    view.insert(2, _("Part grades"), grades)
    view[_("Corroboration")] = r.table["corroboration"].fillna("")
    return view


def key_evidence_text(r: Result) -> str:
    """Per dimension: the key strength and the critical gap with the sources cited for them."""
    _ = messages(r.lang)
    lines = []
    for t in r.table.itertuples():
        lines.append(f"{t.dimension_label} [{t.level_label}]")
        lines.append("  " + _("key strength: {text}").format(text=t.key_strength or "-"))
        lines.append("    " + _("cited: {keys}").format(keys=t.key_strength_citations or "-"))
        lines.append("  " + _("critical gap: {text}").format(text=t.critical_gap or "-"))
        lines.append("    " + _("cited: {keys}").format(keys=t.critical_gap_citations or "-"))
    return "\n".join(lines)


def example_dimension(r: Result) -> str | None:
    """The dimension the worked example shows: the first whose level differs from the published one, else
    the first with a level."""
    assessed = r.table[r.table["level_rank"].notna()]
    if assessed.empty:
        return None
    differs = assessed[assessed["matches_published"].fillna(True).astype(bool).eq(False)]
    return str((differs if len(differs) else assessed).iloc[0]["dimension"])


def worked_example_text(r: Result) -> tuple[pd.DataFrame, str]:
    """(the evidence cells, the arithmetic) of the worked example (:func:`example_dimension`)."""
    d = example_dimension(r)
    if d is None:
        return pd.DataFrame(), messages(r.lang)("no dimension has cited evidence")
    x = r.inputs
    return worked_example(r.segments, d, x.params, x.source_types, x.codebook, x.lang)


# ---- replication -------------------------------------------------------------------------------


def replication_markdown(r: Result) -> str:
    """The replication section (Markdown), or "" when the run gives no published table: the count with what
    was not compared, then per dimension the level, its probability, the published level and why a level
    is not reproduced (the rule's trace)."""
    published = r.inputs.published
    if published is None or not replication_summary(r.table)["n_compared"]:
        return ""
    _ = messages(r.lang)
    x = r.inputs
    labels = {lv.id: lv.label.text(r.lang) for lv in x.codebook.levels}
    lines = [
        "## " + _("Replication: does the evidence reproduce the published levels?"),
        "",
        _md(summary_text(r.table, r.lang, len(published))) + ".",
        "",
    ]
    if x.mapped and x.reference_codebook is not None:
        lines += [
            _md(
                _(
                    "The published levels are those of the {reference} table, compared here for the {framework} "
                    "components that have exactly one published counterpart."
                ).format(reference=x.reference_codebook.framework.id, framework=x.codebook.framework.id)
            ),
            "",
        ]
    lines += [
        _md(
            _(
                "A level is reproduced only when it is the published level exactly. The probability beside a level "
                "says how much it depends on which sources happen to be cited: a reproduced level with a low "
                "probability would change with a somewhat different set of sources. Where a level differs, the "
                "reason is the rule's trace: which condition of the published level the cited evidence does not "
                "meet. The specification table below shows whether another reading of the same data would give "
                "the published level."
            )
        ),
        "",
    ]
    for t in r.table[r.table["published_level"].astype(str) != ""].to_dict("records"):
        p = t["level_probability"]
        prob = "" if pd.isna(p) else " " + _("(probability {p:.2f})").format(p=p)
        verdict = _("reproduced") if bool(t["matches_published"]) else _("not reproduced")
        line = _("**{dimension}**: {verdict}; the rule gives {level}{prob}, the review published {published}").format(
            dimension=_md(t["dimension_label"]),
            verdict=verdict,
            level=_md(t["level_label"]),
            prob=prob,
            published=_md(labels.get(t["published_level"], t["published_level"])),
        )
        if t["replication_note"]:
            line += ". " + _("Why: {reason}").format(reason=_md(t["replication_note"]))
        lines.append("- " + line + ".")
    if r.bootstrap is not None:
        lines += [
            "",
            _md(
                _(
                    "Expected number of published levels reproduced over the resamples: {e:.2f} of {n} (the sum of "
                    "the published levels' probabilities)."
                ).format(e=expected_reproduced(r.table, r.bootstrap), n=replication_summary(r.table)["n_compared"])
            ),
        ]
    return "\n".join(lines)


# ---- bootstrap -----------------------------------------------------------------------------------


def bootstrap_view(r: Result) -> pd.DataFrame:
    """Per dimension (rows, by label) the share of resamples giving each level (columns, by label)."""
    _ = messages(r.lang)
    if r.bootstrap is None or r.bootstrap.empty:
        return pd.DataFrame()
    labels = {lv.id: lv.label.text(r.lang) for lv in r.inputs.codebook.levels}
    labels[NO_EVIDENCE] = _("No coded evidence")
    dims = dict(zip(r.table["dimension"], r.table["dimension_label"], strict=False))
    boot = r.bootstrap[r.bootstrap["dimension"].isin(r.dimensions)]
    wide = boot.pivot(index="dimension", columns="level", values="probability").reindex(index=r.dimensions)
    wide = wide[list(dict.fromkeys(boot["level"]))]
    wide.index = [dims.get(d, d) for d in wide.index]
    wide.columns = [labels.get(c, c) for c in wide.columns]
    return wide.fillna(0.0).map(lambda v: f"{v:.2f}")


def bootstrap_text(r: Result) -> str:
    """What the bootstrap table is: resamples, seed, and how to read a share."""
    _ = messages(r.lang)
    p = r.inputs.params
    return _(
        "{n} resamples of the cited sources (seed {seed}). Each share is the share of resamples that give the "
        "level, given this coding and rule."
    ).format(n=p.bootstrap.replicates, seed=p.bootstrap.seed)


# ---- confidence ----------------------------------------------------------------------------------


def appraisal_text(r: Result) -> str:
    """What the appraisal covers and what it could not appraise, in words."""
    _ = messages(r.lang)
    a = r.inputs.appraisal
    if a is None:
        return _("No appraisal file: every component that needs one is not assessed, and no confidence is given.")
    cited = sorted({s for p in r.profiles.values() for s in p.sources})
    missing = [k for k in cited if k not in a]
    unjudged = a.not_assessed()
    partial = [k for k in cited if k in unjudged]
    lines = [
        _("Appraisal: {n} sources, tools: {tools}.").format(
            n=len(a), tools="; ".join(TOOLS[t].name for t in a.tools_used()) or "-"
        )
    ]
    if missing:
        lines.append(_("Not in the appraisal file: {keys}.").format(keys=", ".join(missing)))
    judged = sum(
        1
        for k in cited
        if k in a
        for j in [*a[k].criteria.values(), *a[k].relevance.values()]
        if j.judgement != "not_assessed"
    )
    total = sum(len(a[k].criteria) + len(a[k].relevance) for k in cited if k in a)
    lines.append(_("Criteria judged for the cited sources: {judged} of {total}.").format(judged=judged, total=total))
    if partial:
        n_crit = sum(len(unjudged[k]) for k in partial)
        lines.append(
            _(
                "Could not be appraised fully: {n} of the {m} cited sources ({c} criteria not judged; the reasons "
                "are in the appraisal file). Their methodological limitations are not assessed, so no overall "
                "confidence is given for the findings they support."
            ).format(n=len(partial), m=len(cited), c=n_crit)
        )
    return "\n".join(lines)


def profile_view(r: Result) -> pd.DataFrame:
    """The CERQual evidence profile as the reader sees it (:func:`profile_for_readers`)."""
    return profile_for_readers(r)


# ---- figures' companions and robustness ---------------------------------------------------------------


def coverage_text(r: Result) -> str:
    """How many components of the framework the cited evidence touches, and which it never does."""
    _ = messages(r.lang)
    cb = r.inputs.codebook
    cov = coverage_counts(r.segments, cb, r.inputs.params)
    untouched = [cb.label("component", c, r.lang) for c in cov.loc[~cov["addressed"], "component"]]
    return _("{n} of {m} components addressed; never touched: {names}").format(
        n=int(cov["addressed"].sum()), m=len(cov), names=", ".join(untouched) or _("none")
    )


def sensitivity_run(r: Result, out: Mapping[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame, list[Path]]:
    """The parameter grid: (shares, every run, the files written)."""
    x = r.inputs
    shares, runs = sensitivity.sensitivity_table(r.segments, x.codebook, x.params, r.dimensions, x.source_types)
    return shares, runs, [write_table(shares, out["sensitivity.csv"])]


def sensitivity_text(r: Result, runs: pd.DataFrame) -> str:
    """The grid's values and its size."""
    _ = messages(r.lang)
    grid = r.inputs.params.sensitivity
    lines = [f"{f}: {getattr(grid, f)}" for f in sensitivity.GRID_FIELDS]
    lines.append(_("{n} settings").format(n=runs["setting"].nunique()))
    return "\n".join(lines)


def sensitivity_view(r: Result, shares: pd.DataFrame) -> pd.DataFrame:
    """Per dimension the share of settings giving each level, and the share that agrees with the default."""
    _ = messages(r.lang)
    labels = {lv.id: lv.label.text(r.lang) for lv in r.inputs.codebook.levels}
    labels[NO_EVIDENCE] = _("No coded evidence")
    dims = dict(zip(r.table["dimension"], r.table["dimension_label"], strict=False))
    wide = shares.pivot(index="dimension", columns="level", values="share").reindex(index=r.dimensions)
    wide = wide[list(dict.fromkeys(shares["level"]))].map(lambda v: f"{v:.0%}")
    rob = sensitivity.robustness(shares).set_index("dimension")
    wide[_("Robustness (share agreeing with the default)")] = [f"{rob.loc[d, 'share_default']:.0%}" for d in wide.index]
    wide.index = [dims.get(d, d) for d in wide.index]
    wide.columns = [labels.get(c, c) for c in wide.columns]
    return wide


def synthesis_view(r: Result, runs: pd.DataFrame) -> pd.DataFrame:
    """The most frequent level across the grid without and with the review's own synthesis."""
    _ = messages(r.lang)
    labels = {lv.id: lv.label.text(r.lang) for lv in r.inputs.codebook.levels}
    labels[NO_EVIDENCE] = _("No coded evidence")
    dims = dict(zip(r.table["dimension"], r.table["dimension_label"], strict=False))
    modal = sensitivity.modal_levels(runs, "include_synthesis", r.dimensions)
    modal.index = [dims.get(d, d) for d in modal.index]
    modal = modal.rename(columns={False: _("without the review's own claims"), True: _("with them")})
    return modal.map(lambda v: labels.get(v, v))


def leave_one_out_run(r: Result, out: Mapping[str, Path]) -> tuple[pd.DataFrame, list[Path]]:
    """Leave one source out: (the table, the files written)."""
    x = r.inputs
    loo = sensitivity.leave_one_out(r.segments, x.codebook, x.params, r.dimensions, x.source_types)
    return loo, [write_table(loo, out["leave_one_out.csv"])]


def leave_one_out_text(r: Result, loo: pd.DataFrame) -> str:
    """How many removals were tried and which change a level."""
    _ = messages(r.lang)
    changed = loo[loo["changed"]]
    lines = [_("{n} removals tried, {k} change a level").format(n=len(loo), k=len(changed))]
    if changed.empty:
        lines.append(_("no single source changes a level"))
    labels = {lv.id: lv.label.text(r.lang) for lv in r.inputs.codebook.levels}
    for c in changed.to_dict("records"):
        lines.append(
            "  "
            + _("{dimension}: without {source}, {before} becomes {after}").format(
                dimension=r.inputs.codebook.label("component", c["dimension"], r.lang)
                if c["dimension"] in r.inputs.codebook.component_ids
                else c["dimension"],
                source=c["removed_source"],
                before=labels.get(c["level"], c["level"]),
                after=labels.get(c["level_without"], c["level_without"]),
            )
        )
    return "\n".join(lines)


def specification_view(r: Result) -> pd.DataFrame | None:
    """The specification table (:func:`revalign.alignment.analysis.specification_summary`)."""
    return specification_summary(r)


def specification_text(r: Result) -> str:
    """What the specification table is, or why there is none."""
    _ = messages(r.lang)
    if r.inputs.decisions is None or r.specification is None:
        return _(
            "No coding decisions are declared (parameter coding_decisions), so no specification table is computed."
        )
    n = len(r.inputs.decisions.decisions)
    return _.ngettext(
        "{n} coding decision declared; Table 1 was rerun under every combination ({k} specifications).",
        "{n} coding decisions declared; Table 1 was rerun under every combination ({k} specifications).",
        n,
    ).format(n=n, k=int(r.specification["specification"].nunique()))


def rows_with_level(r: Result) -> pd.DataFrame:
    """The rows of Table 1 that have a level (not those without evidence or without a counterpart)."""
    return r.table[r.table["dimension"].isin(r.dimensions)]


def show(obj: pd.DataFrame | None) -> None:
    """Display a table in the notebook, or nothing when there is none (no "None", no empty frame)."""
    if obj is None or (isinstance(obj, pd.DataFrame) and obj.empty):
        return
    from IPython.display import display

    display(obj)
