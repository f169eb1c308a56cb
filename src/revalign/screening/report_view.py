"""What the report shows of stage 02, as labelled data (no HTML): :func:`section`.

The report's template ``screening.html.j2`` lays it out: the PRISMA 2020 flow diagram (the figure
``prisma_flow``), the counts of both arms as a table, the agreement between screeners per stage,
and the PRISMA 2020 checklist (Page et al. 2021) saying where each item is reported: a section of
this report, or the manuscript (what revalign does not produce: title, abstract, search strings,
registration...). Every word comes from the message catalog in the run's language.
"""

from __future__ import annotations

import math

import pandas as pd

from revalign.core.i18n import N_, messages
from revalign.screening.prisma import reason_label
from revalign.screening.stage import STAGE_LABELS

MANUSCRIPT = None
#: (item, topic, section of the report where it is reported or MANUSCRIPT); items as numbered in PRISMA 2020
CHECKLIST = (
    ("1", N_("Title"), MANUSCRIPT),
    ("2", N_("Abstract"), MANUSCRIPT),
    ("3", N_("Rationale"), MANUSCRIPT),
    ("4", N_("Objectives"), "summary"),
    ("5", N_("Eligibility criteria"), "parameters"),
    ("6", N_("Information sources"), "prisma"),
    ("7", N_("Search strategy"), MANUSCRIPT),
    ("8", N_("Selection process"), "screening-agreement"),
    ("9", N_("Data collection process"), "coding-rules"),
    ("10a-b", N_("Data items"), "codebook"),
    ("11", N_("Study risk of bias assessment"), MANUSCRIPT),
    ("12", N_("Effect measures"), "rule"),
    ("13a-f", N_("Synthesis methods"), "rule"),
    ("14", N_("Reporting bias assessment"), MANUSCRIPT),
    ("15", N_("Certainty assessment"), "table1"),
    ("16a", N_("Study selection: results of the search and selection"), "prisma"),
    ("16b", N_("Study selection: reports excluded, with reasons"), "prisma-counts"),
    ("17", N_("Study characteristics"), "corpus"),
    ("18", N_("Risk of bias in studies"), MANUSCRIPT),
    ("19", N_("Results of individual studies"), "evidence"),
    ("20a-d", N_("Results of syntheses"), "table1"),
    ("21", N_("Reporting biases"), MANUSCRIPT),
    ("22", N_("Certainty of evidence"), "table1"),
    ("23a-d", N_("Discussion"), "limitations"),
    ("24a-c", N_("Registration and protocol"), MANUSCRIPT),
    ("25", N_("Support"), MANUSCRIPT),
    ("26", N_("Competing interests"), MANUSCRIPT),
    ("27", N_("Availability of data, code and other materials"), "parameters"),
)
SECTION_NAMES = {
    "summary": N_("Summary"),
    "parameters": N_("Parameters"),
    "prisma": N_("PRISMA 2020 flow diagram"),
    "prisma-counts": N_("PRISMA 2020 counts"),
    "screening-agreement": N_("Agreement between screeners"),
    "coding-rules": N_("Coding rules"),
    "codebook": N_("Codebook"),
    "rule": N_("Alignment rule"),
    "table1": N_("Table 1"),
    "corpus": N_("Corpus"),
    "evidence": N_("Evidence"),
    "limitations": N_("Limitations"),
}


def _rows_of_arm(a: dict, lang: str, database_arm: bool) -> list[dict]:
    _ = messages(lang)

    def row(label, n, level=0):
        return {"label": label, "n": n, "level": level}

    rows = [row(_("Records identified"), a["records_identified_total"])]
    rows += [row(str(k), n, 1) for k, n in a["records_identified"].items()]
    if database_arm:
        rows.append(row(_("Records removed before screening"), a["records_removed_before_screening_total"]))
        rows.append(row(_("Duplicate records removed"), a["duplicate_records_removed"], 1))
        auto = a["records_marked_ineligible_by_automation_tools"]
        rows.append(row(_("Records marked as ineligible by automation tools"), sum(auto.values()), 1))
        rows += [row(reason_label(k, lang), n, 2) for k, n in auto.items()]
        other = a["records_removed_for_other_reasons"]
        rows.append(row(_("Records removed for other reasons"), sum(other.values()), 1))
        rows += [row(reason_label(k, lang), n, 2) for k, n in other.items() if n]
        rows.append(row(_("Records screened"), a["records_screened"]))
        rows.append(row(_("Records excluded"), a["records_excluded_total"]))
        rows += [row(reason_label(k, lang), n, 1) for k, n in a["records_excluded"].items()]
    rows.append(row(_("Reports sought for retrieval"), a["reports_sought_for_retrieval"]))
    rows.append(row(_("Reports not retrieved"), a["reports_not_retrieved"]))
    rows.append(row(_("Reports assessed for eligibility"), a["reports_assessed_for_eligibility"]))
    rows.append(row(_("Reports excluded"), a["reports_excluded_total"]))
    rows += [row(reason_label(k, lang), n, 1) for k, n in a["reports_excluded"].items()]
    rows.append(row(_("Studies included"), a["studies_included"]))
    return rows


def counts_rows(c: dict, lang: str = "en") -> list[dict]:
    """The PRISMA counts as labelled rows (level 0: a box of the flow; 1, 2: its parts), both arms."""
    _ = messages(lang)
    rows = [{"label": _("Identification via databases and registers"), "n": "", "level": -1}]
    rows += _rows_of_arm(c["databases_and_registers"], lang, True)
    if c["other_methods"]["records_identified_total"]:
        rows.append({"label": _("Identification via other methods"), "n": "", "level": -1})
        rows += _rows_of_arm(c["other_methods"], lang, False)
    rows.append({"label": _("Studies included in review"), "n": c["studies_included_in_review"], "level": -1})
    rows.append({"label": _("Reports of included studies"), "n": c["reports_of_included_studies"], "level": 0})
    return rows


def _num(x) -> str:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return ""
    return "" if math.isnan(x) else f"{x:.2f}"


def agreement_rows(agreement: pd.DataFrame | None, lang: str = "en") -> list[dict]:
    """One row per stage and two reviewers (words and numbers as shown)."""
    _ = messages(lang)
    if agreement is None or agreement.empty:
        return []
    return [
        {
            "stage": _(STAGE_LABELS[r["stage"]]) if r["stage"] in STAGE_LABELS else r["stage"],
            "reviewers": f"{r['reviewer_a']} / {r['reviewer_b']}",
            "both": r["records_both"],
            "observed": _num(r["observed_agreement"]),
            "kappa": _num(r["kappa"]) or _("undefined"),
            "pabak": _num(r["pabak"]) or _("undefined"),
            "conflicts": r["conflicts"],
            "resolved": r["resolved"],
        }
        for r in agreement.to_dict("records")
    ]


def section(prisma: dict | None, agreement: pd.DataFrame | None, lang: str = "en") -> dict:
    """Everything the report's screening part shows, labelled (see the module docstring)."""
    _ = messages(lang)
    counts = prisma or {}
    valid = "databases_and_registers" in counts
    screening = counts.get("screening", {}) if valid else {}
    by_people = screening.get("title_abstract", "criteria") != "criteria"
    if not valid:
        method = ""
    elif by_people:
        method = _("Records were screened by people; the criteria of the parameter file removed records before.")
    else:
        method = _("Records were screened by the criteria of the parameter file; no person's decisions were given.")
    if valid and screening.get("full_text") == "not recorded":
        method += " " + _("Full-text assessment was not recorded: every report sought counts as assessed and included.")
    return {
        "heading": _("PRISMA 2020 flow diagram"),
        "method": method.strip(),
        "counts_caption": _("PRISMA 2020 counts of this run"),
        "counts_head": (_("Step of the flow"), _("Records")),
        "counts": counts_rows(counts, lang) if valid else [],
        "agreement_heading": _("Agreement between screeners"),
        "agreement_head": (
            _("Stage"),
            _("Reviewers"),
            _("Records both screened"),
            _("Observed agreement"),
            _("Cohen's kappa"),
            _("PABAK"),
            _("Conflicts"),
            _("Resolved"),
        ),  # fmt: skip
        "agreement": agreement_rows(agreement, lang),
        "agreement_none": _(
            "No two reviewers screened the same records in this run: there is no agreement to measure."
        ),
        "agreement_note": _(
            "Cohen's kappa and the prevalence-adjusted kappa (PABAK) on the records both reviewers screened, "
            "before conflicts were resolved."
        ),
        "checklist_heading": _("PRISMA 2020 checklist"),
        "checklist_head": (_("Item"), _("Topic"), _("Where it is reported")),
        "checklist": [
            {
                "item": item,
                "topic": _(topic),
                "href": ("prisma" if where == "prisma-counts" and not valid else where) or "",
                "where": _(SECTION_NAMES[where]) if where else _("In the manuscript (not produced by revalign)"),
            }
            for item, topic, where in CHECKLIST
        ],
    }
