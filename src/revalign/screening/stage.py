"""Stage 02 for a notebook: :func:`run` does the stage, the other functions give its tables to show.

:func:`run` reads stage 01's corpus and import summary, screens (:func:`revalign.screening.flow.
screen_run`: the criteria, then people's decisions), stops with every problem at once
(``error: FILE:LINE: ...``) before anything is written, and then writes ``screening.csv``,
``screening_decisions.csv``, ``screening_agreement.csv``, ``prisma.json`` and the figure
``prisma_flow``. Tables for people (:func:`outcome_table`, :func:`excluded_table`,
:func:`agreement_table`, :func:`variants_table`) have their headers and words in the run's
language (:mod:`revalign.core.i18n`); the files keep their column ids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from revalign.core.i18n import N_, messages
from revalign.screening import flow, prisma, rules
from revalign.screening.decisions import FULL_TEXT, TITLE_ABSTRACT

if TYPE_CHECKING:
    from revalign.core.config import RunConfig, Screening

DECISION_FILE_COLUMNS = [
    "source", "line", "format", "reviewer", "stage", "decision", "reason", "record_id", "citation_key",
    "record", "doi", "title", "year",
]  # fmt: skip

STAGE_LABELS = {
    TITLE_ABSTRACT: N_("Title and abstract"),
    FULL_TEXT: N_("Full text"),
    "identification": N_("Identification"),
}
OUTCOME_LABELS = {
    "not_a_record": N_("Not a record (the review itself)"),
    "automation": N_("Removed before screening by a criterion"),
    "records_excluded": N_("Excluded at title and abstract"),
    "not_retrieved": N_("Report not retrieved"),
    "reports_excluded": N_("Report excluded at full text"),
    "included": N_("Included"),
}
ARM_LABELS = {
    "databases": N_("Databases and registers"),
    "other_methods": N_("Other methods"),
    "none": N_("None"),
}


@dataclass
class StageResult:
    screened: flow.Screened
    counts: dict[str, Any]  # the PRISMA 2020 counts (screening.prisma.counts)
    corpus: pd.DataFrame
    params: Screening  # the screening: block


def _decisions_line(cfg: RunConfig) -> int | None:
    from revalign.core.yamlio import load_yaml

    _, lines = load_yaml(cfg.params_file)
    return lines.line(("screening", "decisions"))


def screen(cfg: RunConfig) -> StageResult:
    """Screen the run's corpus (nothing written); InputErrors for every problem of the decisions."""
    from revalign.bibliography.importer import read_corpus
    from revalign.pipeline.stages import stage_files

    out = stage_files(cfg, "screening")
    corpus = read_corpus([out["corpus.csv"]])
    per_file = pd.read_csv(out["import_summary.csv"], keep_default_na=False)
    params = cfg.params.screening
    screened = flow.screen_run(
        corpus, params, cfg.root, cfg.rel, cfg.lang, cfg.params_file, _decisions_line(cfg) if params.decisions else None
    )
    screened.raise_problems()
    rules.require_included(screened.records, cfg.params_file)
    counts = prisma.counts(per_file, screened.records, corpus, screened.people, screened.full_text_recorded)
    return StageResult(screened, counts, corpus, params)


def write(cfg: RunConfig, result: StageResult) -> list[str]:
    """Write the stage's files; returns what was written, as shown to a reader."""
    import matplotlib.pyplot as plt

    from revalign.core.atomic import write_csv
    from revalign.pipeline.stages import stage_files
    from revalign.plotting.save import save_figure

    out = stage_files(cfg, "screening")
    s = result.screened
    decisions = s.decisions if len(s.decisions.columns) else pd.DataFrame(columns=DECISION_FILE_COLUMNS)
    written = [
        write_csv(s.records, out["screening.csv"]),
        write_csv(decisions.reindex(columns=DECISION_FILE_COLUMNS), out["screening_decisions.csv"]),
        write_csv(s.agreement, out["screening_agreement.csv"]),
        prisma.write(result.counts, out["prisma.json"]),
    ]
    # the decisions for a spreadsheet, which the report links beside its page (revalign.core.exports)
    from revalign.core.exports import write_table

    write_table(out["screening.csv"], out["screening_export.csv"], out["screening_export.xlsx"], "screening")
    fig = prisma.flow_figure(result.counts, cfg.lang)
    written += save_figure(fig, out.figure("prisma_flow"), cfg.figures_dir)
    plt.close(fig)
    return [cfg.rel(p) for p in written]


def run(cfg: RunConfig) -> StageResult:
    """Screen, then write every file of the stage, and print what was written."""
    result = screen(cfg)
    _ = messages(cfg.lang)
    for path in write(cfg, result):
        print(_("wrote {path}").format(path=path))
    return result


# ---- tables to show ---------------------------------------------------------------------------


def show(*items: object) -> None:
    """Show tables (``display``) and sentences (``print``) in a notebook, in order."""
    from IPython.display import display

    for item in items:
        print(item) if isinstance(item, str) else display(item)


def criteria_text(cfg: RunConfig) -> str:
    """The screening criteria of the run, one ``key: value`` line each (the parameter file's words)."""
    data = cfg.params.screening.model_dump(exclude={"decisions", "resolutions", "other_methods"})
    return "\n".join(f"{key}: {value}" for key, value in data.items())


def outcome_table(result: StageResult, lang: str = "en") -> pd.DataFrame:
    """Records per arm, outcome and reason, with the words of *lang*."""
    _ = messages(lang)
    rec = result.screened.records
    counts = rec.groupby(["arm", "outcome", "reason"], sort=False).size().reset_index(name="n")
    order = {o: i for i, o in enumerate(flow.OUTCOMES)}
    counts = counts.sort_values(["arm", "outcome", "reason"], key=lambda s: s.map(order) if s.name == "outcome" else s)
    return pd.DataFrame(
        {
            _("Arm"): [_(ARM_LABELS[a]) for a in counts["arm"]],
            _("Outcome"): [_(OUTCOME_LABELS[o]) for o in counts["outcome"]],
            _("Reason"): [prisma.reason_label(r, lang) if r != "included" else "" for r in counts["reason"]],
            _("Records"): counts["n"].to_numpy(),
        }
    )


def excluded_table(result: StageResult, lang: str = "en") -> pd.DataFrame:
    """The records that did not reach the review: who or what decided, at which stage, why."""
    _ = messages(lang)
    rec = result.screened.records
    ex = rec[rec["outcome"] != "included"]
    return pd.DataFrame(
        {
            _("Record"): ex["citation_key"].to_numpy(),
            _("Year"): ex["year"].astype("string").fillna("").to_numpy(),
            _("Stage"): [_(STAGE_LABELS[s]) for s in ex["stage"]],
            _("Reason"): [prisma.reason_label(r, lang) for r in ex["reason"].replace("", prisma.NO_REASON)],
            _("Decided by"): [_("criterion") if d == "criterion" else d for d in ex["decided_by"]],
        }
    )


def _fmt(x: float) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}"


def agreement_table(result: StageResult, lang: str = "en") -> pd.DataFrame | str:
    """Agreement between screeners per stage; a sentence when people did not screen."""
    _ = messages(lang)
    a = result.screened.agreement
    if not result.screened.people:
        return _("No screening decisions of people in this run: the criteria alone decided.")
    if a.empty:
        return _("Each stage was screened by one reviewer: there is no agreement to measure.")
    return pd.DataFrame(
        {
            _("Stage"): [_(STAGE_LABELS[s]) for s in a["stage"]],
            _("Reviewers"): [f"{x} / {y}" for x, y in zip(a["reviewer_a"], a["reviewer_b"], strict=True)],
            _("Records both screened"): a["records_both"].to_numpy(),
            _("Observed agreement"): [_fmt(x) for x in a["observed_agreement"]],
            _("Cohen's kappa"): [_fmt(x) for x in a["kappa"]],
            _("PABAK"): [_fmt(x) for x in a["pabak"]],
            _("Conflicts"): a["conflicts"].to_numpy(),
            _("Resolved"): a["resolved"].to_numpy(),
        }
    )


def variants_table(result: StageResult, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records per criterion under three readings of the criteria, records excluded only under the
    literal reading): as configured; window and keywords on every record; a five-year window."""
    _ = messages(lang)
    params = result.params
    variants = {
        _("as configured"): params,
        _("criteria on every record"): params.model_copy(update={"window_applies_to": None, "keywords_apply_to": None}),
        _("five-year window"): params.model_copy(update={"year_min": params.year_max - 4}),
    }
    screened = {name: rules.screen(result.corpus, p) for name, p in variants.items()}
    table = pd.DataFrame({name: rules.reason_counts(s).set_index("reason")["records"] for name, s in screened.items()})
    table.index = [prisma.reason_label(r, lang) if r != "included" else _("Included") for r in table.index]
    first, literal = list(screened.values())[:2]
    newly = literal[(literal["decision"] == "exclude") & (first["decision"] == "include")]
    shown = pd.DataFrame(
        {
            _("Record"): newly["record_id"].to_numpy(),
            _("Year"): newly["year"].astype("string").fillna("").to_numpy(),
            _("Source type"): newly["sourcetype"].to_numpy(),
            _("Reason"): [prisma.reason_label(r, lang) for r in newly["reason"]],
        }
    )
    return table, shown


def show_flow(result: StageResult, lang: str = "en") -> None:
    """Draw the PRISMA 2020 flow diagram of the run in a notebook (the saved figure is written by :func:`run`)."""
    import matplotlib.pyplot as plt

    prisma.flow_figure(result.counts, lang)
    plt.show()


def counts_text(result: StageResult, lang: str = "en") -> str:
    """The main PRISMA 2020 counts as lines of text."""
    _ = messages(lang)
    c = result.counts
    db, om = c["databases_and_registers"], c["other_methods"]
    lines = [
        _("Records identified via databases and registers: {n}").format(n=db["records_identified_total"]),
        _("Records identified via other methods: {n}").format(n=om["records_identified_total"]),
        _("Records removed before screening: {n}").format(n=db["records_removed_before_screening_total"]),
        _("Records screened: {n}").format(n=db["records_screened"]),
        _("Records excluded: {n}").format(n=db["records_excluded_total"]),
        _("Reports sought for retrieval: {n}").format(
            n=db["reports_sought_for_retrieval"] + om["reports_sought_for_retrieval"]
        ),
        _("Reports excluded: {n}").format(n=db["reports_excluded_total"] + om["reports_excluded_total"]),
        _("Studies included in review: {n}").format(n=c["studies_included_in_review"]),
    ]
    return "\n".join(lines)
