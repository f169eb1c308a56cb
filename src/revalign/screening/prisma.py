"""PRISMA 2020 counts of a run and its flow diagram (Page et al. 2021, BMJ 372:n71, Figure 1).

:func:`counts` builds the numbers of the PRISMA 2020 flow diagram for new reviews that searched
databases and registers and used other methods, from stage 01's import summary (records read and
rejected per file) and stage 02's records (:func:`revalign.screening.flow.screen_run`: what
happened to each record). The names say what they count (key order :data:`KEYS`)::

    databases_and_registers                      the left arm of the diagram
        records_identified                       {source file: records read, less those of the other arm}
        records_identified_total
        duplicate_records_removed                records merged into another by de-duplication
        records_marked_ineligible_by_automation_tools  {criterion: records} (the criteria as a pre-filter)
        records_removed_for_other_reasons        {"rejected_at_import": records an export could not give}
        records_removed_before_screening_total
        records_screened
        records_excluded                         {criterion or "excluded_by_reviewers": records}
        records_excluded_total
        reports_sought_for_retrieval
        reports_not_retrieved
        reports_assessed_for_eligibility
        reports_excluded                         {reason: reports}
        reports_excluded_total
        studies_included
    other_methods                                the right arm: records_identified (by source),
                                                 records_identified_total, reports_sought_for_retrieval,
                                                 reports_not_retrieved, reports_assessed_for_eligibility,
                                                 reports_excluded, reports_excluded_total, studies_included
    studies_included_in_review                   both arms
    reports_of_included_studies                  one report per study: revalign does not link reports
    not_records                                  {"review_itself": n}: in the bibliography, not a record found
    screening                                    {"title_abstract": "criteria" | "people" | "criteria and people",
                                                  "full_text": "people" | "not recorded"}

Every box equals what flows out of it (:func:`check`): identified = removed before screening +
screened; screened = excluded + sought; sought = not retrieved + assessed; assessed = excluded +
included; each total the sum of its parts; no count negative. A violation raises
:class:`PrismaError`, so an inconsistent diagram is never drawn.

:func:`flow_figure` draws the diagram to the template's layout (phases Identification, Screening,
Included down the side; the databases arm left, the other-methods arm right when it has records),
every word through the message catalog.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pandas as pd

from revalign.core.i18n import N_, messages

KEYS = (
    "databases_and_registers",
    "other_methods",
    "studies_included_in_review",
    "reports_of_included_studies",
    "not_records",
    "screening",
)
DB_KEYS = (
    "records_identified",
    "records_identified_total",
    "duplicate_records_removed",
    "records_marked_ineligible_by_automation_tools",
    "records_removed_for_other_reasons",
    "records_removed_before_screening_total",
    "records_screened",
    "records_excluded",
    "records_excluded_total",
    "reports_sought_for_retrieval",
    "reports_not_retrieved",
    "reports_assessed_for_eligibility",
    "reports_excluded",
    "reports_excluded_total",
    "studies_included",
)
OM_KEYS = (
    "records_identified",
    "records_identified_total",
    "reports_sought_for_retrieval",
    "reports_not_retrieved",
    "reports_assessed_for_eligibility",
    "reports_excluded",
    "reports_excluded_total",
    "studies_included",
)
BY_REVIEWERS = "excluded_by_reviewers"
NO_REASON = "no_reason_given"

#: words for the codes a count may be keyed by (criteria of revalign.screening.rules, and the flow's own)
REASON_LABELS = {
    "rejected_at_import": N_("Rejected at import (no title and no DOI)"),
    "review_itself": N_("The review itself"),
    "year_missing": N_("No publication year"),
    "year_out_of_window": N_("Outside the year window"),
    "doc_type_excluded": N_("Document type not eligible"),
    "language_excluded": N_("Language not eligible"),
    "no_keyword_match": N_("No keyword in title, abstract or keywords"),
    BY_REVIEWERS: N_("Excluded by the reviewers"),
    NO_REASON: N_("No reason given"),
}


class PrismaError(ValueError):
    """The PRISMA counts do not add up."""


def reason_label(code: str, lang: str = "en") -> str:
    """The words for a reason: the catalog's for a code of :data:`REASON_LABELS`, else the reason as written."""
    return messages(lang)(REASON_LABELS[code]) if code in REASON_LABELS else code


def _count(values: pd.Series) -> dict[str, int]:
    """{value: count}, largest first, then alphabetical."""
    vc = values.value_counts()
    return {str(k): int(v) for k, v in sorted(vc.items(), key=lambda kv: (-kv[1], str(kv[0])))}


def _first_file(origins: str) -> str:
    first = str(origins or "").split("; ")[0]
    return first.rsplit(":", 1)[0] if ":" in first else first


def _reports(rows: pd.DataFrame) -> dict:
    """The report boxes of one arm from its records that reached retrieval."""
    sought = rows[rows["outcome"].isin(["not_retrieved", "reports_excluded", "included"])]
    excluded = sought[sought["outcome"] == "reports_excluded"]["reason"].replace("", NO_REASON)
    return {
        "reports_sought_for_retrieval": len(sought),
        "reports_not_retrieved": int((sought["outcome"] == "not_retrieved").sum()),
        "reports_assessed_for_eligibility": int((sought["outcome"] != "not_retrieved").sum()),
        "reports_excluded": _count(excluded),
        "reports_excluded_total": len(excluded),
        "studies_included": int((sought["outcome"] == "included").sum()),
    }


def counts(
    per_file: pd.DataFrame,
    records: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    people: bool = False,
    full_text_recorded: bool = False,
) -> dict:
    """PRISMA 2020 counts (see the module docstring), checked with :func:`check`.

    *per_file*: columns ``file, records_read, rejected`` (and ``skipped`` when the import
    summary has it); *records*: :data:`revalign.screening.flow.COLUMNS`, one row per record of the
    de-duplicated corpus; *corpus*: its ``origins`` tell each record's file (else every record
    counts for the first file); *people*: whether people screened.
    """
    rejected = int(per_file["rejected"].sum()) + (int(per_file["skipped"].sum()) if "skipped" in per_file else 0)
    read = {str(f): int(n) for f, n in zip(per_file["file"], per_file["records_read"], strict=True)}
    records = records.reset_index(drop=True)
    if corpus is not None and "origins" in corpus.columns:
        first = corpus["origins"].reset_index(drop=True).map(_first_file)
    else:
        first = pd.Series([next(iter(sorted(read)), "")] * len(records))
    arm = records["arm"]
    db, om = records[arm == "databases"], records[arm == "other_methods"]
    # records of the other arm and the review itself are not database records: taken from their file
    elsewhere = first[arm != "databases"].value_counts()
    identified = {f: n - int(elsewhere.get(f, 0)) for f, n in sorted(read.items())}
    duplicates = sum(read.values()) - rejected - len(records)
    automation = db[db["outcome"] == "automation"]["reason"]
    screened = db[~db["outcome"].isin(["automation", "not_a_record"])]
    excluded = screened[screened["outcome"] == "records_excluded"]
    ex_reason = excluded["reason"].where(excluded["decided_by"] == "criterion", BY_REVIEWERS)
    removed = {"rejected_at_import": rejected}
    auto = _count(automation)
    db_counts = {
        "records_identified": identified,
        "records_identified_total": sum(identified.values()),
        "duplicate_records_removed": duplicates,
        "records_marked_ineligible_by_automation_tools": auto,
        "records_removed_for_other_reasons": removed,
        "records_removed_before_screening_total": duplicates + sum(auto.values()) + rejected,
        "records_screened": len(screened),
        "records_excluded": _count(ex_reason),
        "records_excluded_total": len(excluded),
        **_reports(screened),
    }
    if corpus is not None and "sourcecategory" in corpus.columns:
        om_source = corpus["sourcecategory"].reset_index(drop=True).loc[om.index].astype("string").fillna("")
    else:
        om_source = om["sourcetype"].astype("string").fillna("")
    om_source = om_source.where(om_source.str.strip() != "", om["sourcetype"].astype("string"))
    om_counts = {
        "records_identified": _count(om_source),
        "records_identified_total": len(om),
        **_reports(om),
    }
    ta = "people" if people else "criteria"
    if people and (records["decided_by"] == "criterion").any() and (records["outcome"] == "automation").any():
        ta = "criteria and people"
    c = {
        "databases_and_registers": db_counts,
        "other_methods": om_counts,
        "studies_included_in_review": db_counts["studies_included"] + om_counts["studies_included"],
        "reports_of_included_studies": db_counts["studies_included"] + om_counts["studies_included"],
        "not_records": {"review_itself": int((records["outcome"] == "not_a_record").sum())},
        "screening": {"title_abstract": ta, "full_text": "people" if full_text_recorded else "not recorded"},
    }
    check(c)
    return c


def _each_count(name: str, value, problems: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _each_count(f"{name}.{k}", v, problems)
    elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(f"{name} = {value!r} is not a count (a non-negative integer)")


def _arm_equations(a: dict) -> list[tuple[str, int, int]]:
    return [
        ("records_identified_total = sum per source", a["records_identified_total"], sum(a["records_identified"].values())),
        ("reports_sought_for_retrieval = reports_not_retrieved + reports_assessed_for_eligibility",
         a["reports_sought_for_retrieval"], a["reports_not_retrieved"] + a["reports_assessed_for_eligibility"]),
        ("reports_excluded_total = sum of reasons", a["reports_excluded_total"], sum(a["reports_excluded"].values())),
        ("reports_assessed_for_eligibility = reports_excluded_total + studies_included",
         a["reports_assessed_for_eligibility"], a["reports_excluded_total"] + a["studies_included"]),
    ]  # fmt: skip


def check(c: dict) -> None:
    """Raise :class:`PrismaError` unless every box equals the sum of what flows out of it."""
    problems: list[str] = []
    missing = [k for k in KEYS if k not in c]
    missing += [f"databases_and_registers.{k}" for k in DB_KEYS if k not in c.get("databases_and_registers", {})]
    missing += [f"other_methods.{k}" for k in OM_KEYS if k not in c.get("other_methods", {})]
    if missing:
        raise PrismaError(f"PRISMA counts lack {', '.join(missing)}")
    for k in KEYS[:-1]:
        _each_count(k, c[k], problems)
    if problems:
        raise PrismaError("; ".join(problems))
    db, om = c["databases_and_registers"], c["other_methods"]
    removed = (
        db["duplicate_records_removed"]
        + sum(db["records_marked_ineligible_by_automation_tools"].values())
        + sum(db["records_removed_for_other_reasons"].values())
    )
    equations = [
        *(("databases_and_registers." + n, x, y) for n, x, y in _arm_equations(db)),
        *(("other_methods." + n, x, y) for n, x, y in _arm_equations(om)),
        ("records_removed_before_screening_total = duplicates + automation + other reasons",
         db["records_removed_before_screening_total"], removed),
        ("records_identified_total = removed before screening + records_screened",
         db["records_identified_total"], db["records_removed_before_screening_total"] + db["records_screened"]),
        ("records_excluded_total = sum of reasons", db["records_excluded_total"], sum(db["records_excluded"].values())),
        ("records_screened = records_excluded_total + reports_sought_for_retrieval",
         db["records_screened"], db["records_excluded_total"] + db["reports_sought_for_retrieval"]),
        ("other_methods: records_identified_total = reports_sought_for_retrieval",
         om["records_identified_total"], om["reports_sought_for_retrieval"]),
        ("studies_included_in_review = studies included by both arms",
         c["studies_included_in_review"], db["studies_included"] + om["studies_included"]),
    ]  # fmt: skip
    problems = [f"{label}: {left} != {right}" for label, left, right in equations if left != right]
    if problems:
        raise PrismaError("PRISMA counts are inconsistent: " + "; ".join(problems))


def write(c: dict, path: str | Path) -> Path:
    """Check, then write the counts as JSON (key order :data:`KEYS`) atomically."""
    from revalign.core.atomic import write_json

    check(c)
    return write_json({k: c[k] for k in KEYS}, path)


# ----------------------------------------------------------------------------------
# the flow diagram, laid out in millimetres (x to the right, y downwards)

_EDGE, _FILL, _HEAD_FILL, _PHASE_FILL = "#000000", "#ffffff", "#f2f2f2", "#cfe2f3"
_FONT = 7.0  # pt: the smallest size a journal prints
_LINE_MM = _FONT * 1.3 * 25.4 / 72  # one line of text
_CHAR_MM = _FONT * 0.56 * 25.4 / 72  # an average character of DejaVu Sans
_GAP = 5.0  # between rows of boxes
_WIDTH = 175.0 - 1.0  # the double column, less the margin save_figure adds
_PHASE_W = 5.0


def _wrap(lines: list[tuple[str, int]], width_mm: float) -> list[str]:
    """(text, indent level) lines wrapped to a box *width_mm* wide."""
    out = []
    for text, indent in lines:
        chars = max(12, int((width_mm - 2.4) / _CHAR_MM) - 2 * indent)
        text = re.sub(r"\(n = ", "(n\u00a0=\u00a0", text)  # "(n = 12)" is never broken
        wrapped = textwrap.wrap(text, chars) or [""]
        out += ["  " * indent + w.replace("\u00a0", " ") for w in wrapped]
    return out


def _height(text: list[str]) -> float:
    return len(text) * _LINE_MM + 2.6


class _Canvas:
    def __init__(self, ax):
        self.ax = ax

    def box(self, x, y, w, h, text, fill=_FILL, bold=False, center=False):
        from matplotlib.patches import Rectangle

        self.ax.add_patch(Rectangle((x, y), w, h, linewidth=0.7, edgecolor=_EDGE, facecolor=fill))
        if center:
            self.ax.text(x + w / 2, y + h / 2, "\n".join(text), ha="center", va="center", fontsize=_FONT,
                         fontweight="bold" if bold else "normal", linespacing=1.3)  # fmt: skip
        else:
            self.ax.text(x + 1.2, y + 1.3, "\n".join(text), ha="left", va="top", fontsize=_FONT,
                         fontweight="bold" if bold else "normal", linespacing=1.3)  # fmt: skip

    def arrow(self, points):
        """An arrow along *points* [(x, y), ...], the head at the last point."""
        xs, ys = zip(*points, strict=True)
        if len(points) > 2:
            self.ax.plot(xs[:-1], ys[:-1], color=_EDGE, linewidth=0.7, solid_capstyle="butt")
        self.ax.annotate("", xy=points[-1], xytext=points[-2],
                         arrowprops=dict(arrowstyle="-|>", color=_EDGE, lw=0.7, shrinkA=0, shrinkB=0))  # fmt: skip

    def phase(self, y0, y1, label):
        from matplotlib.patches import FancyBboxPatch

        self.ax.add_patch(FancyBboxPatch((0.3, y0), _PHASE_W - 0.6, y1 - y0, linewidth=0, facecolor=_PHASE_FILL,
                                         boxstyle="round,pad=0,rounding_size=1.5"))  # fmt: skip
        self.ax.text(_PHASE_W / 2, (y0 + y1) / 2, label, rotation=90, ha="center", va="center", fontsize=_FONT,
                     fontweight="bold")  # fmt: skip


def _sources(d: dict[str, int], _, limit: int = 6) -> list[tuple[str, int]]:
    items = list(d.items())
    lines = [(_("{source} (n = {n})").format(source=k, n=n), 1) for k, n in items[:limit]]
    if len(items) > limit:
        rest = sum(n for _k, n in items[limit:])
        lines.append((_("{k} more sources (n = {n})").format(k=len(items) - limit, n=rest), 1))
    return lines


def _reasons(d: dict[str, int], lang: str) -> list[tuple[str, int]]:
    _ = messages(lang)
    return [(_("{reason} (n = {n})").format(reason=reason_label(k, lang), n=n), 1) for k, n in d.items() if n]


def _arm_texts(a: dict, lang: str, database_arm: bool) -> dict[str, list[tuple[str, int]]]:
    """The lines of every box of one arm (before wrapping)."""
    _ = messages(lang)
    t = {"identified": [(_("Records identified from:"), 0), *_sources(a["records_identified"], _)]}
    if database_arm:
        auto = a["records_marked_ineligible_by_automation_tools"]
        other = a["records_removed_for_other_reasons"]
        t["removed"] = [
            (_("Records removed before screening:"), 0),
            (_("Duplicate records removed (n = {n})").format(n=a["duplicate_records_removed"]), 1),
            (_("Records marked as ineligible by automation tools (n = {n})").format(n=sum(auto.values())), 1),
            *[(s, 2) for s, _i in _reasons(auto, lang)],
            (_("Records removed for other reasons (n = {n})").format(n=sum(other.values())), 1),
            *[(s, 2) for s, _i in _reasons(other, lang)],
        ]
        t["screened"] = [(_("Records screened (n = {n})").format(n=a["records_screened"]), 0)]
        t["excluded"] = [
            (_("Records excluded (n = {n})").format(n=a["records_excluded_total"]), 0),
            *_reasons(a["records_excluded"], lang),
        ]
    t["sought"] = [(_("Reports sought for retrieval (n = {n})").format(n=a["reports_sought_for_retrieval"]), 0)]
    t["not_retrieved"] = [(_("Reports not retrieved (n = {n})").format(n=a["reports_not_retrieved"]), 0)]
    t["assessed"] = [
        (_("Reports assessed for eligibility (n = {n})").format(n=a["reports_assessed_for_eligibility"]), 0)
    ]
    t["reports_excluded"] = [
        (_("Reports excluded (n = {n})").format(n=a["reports_excluded_total"]), 0),
        *_reasons(a["reports_excluded"], lang),
    ]
    return t


def flow_figure(c: dict, lang: str = "en"):
    """The PRISMA 2020 flow diagram of counts *c*, one double column (175 mm) wide."""
    import matplotlib.pyplot as plt

    from revalign.plotting import style

    check(c)
    style.apply()
    _ = messages(lang)
    both = c["other_methods"]["records_identified_total"] > 0
    x0 = _PHASE_W + 1.5
    if both:  # four columns: main and side box of each arm
        cols = [(x0, 38.0), (x0 + 42.0, 37.0), (x0 + 84.0, 38.0), (x0 + 126.0, _WIDTH - x0 - 126.0 - 0.4)]
    else:
        half = (_WIDTH - x0 - 0.4 - 8.0) / 2
        cols = [(x0, half), (x0 + half + 8.0, half)]
    arm_texts = [_arm_texts(c["databases_and_registers"], lang, True)]
    if both:
        arm_texts.append(_arm_texts(c["other_methods"], lang, False))
    fig = plt.figure(figsize=style.figsize("double", 100))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.axis("off")
    cv = _Canvas(ax)
    y = 0.0
    # the headers of the arms
    heads = [_("Identification of studies via databases and registers")]
    if both:
        heads.append(_("Identification of studies via other methods"))
    head_text = [_wrap([(h, 0)], cols[2 * i][1] + cols[2 * i + 1][1] + 4) for i, h in enumerate(heads)]
    h_head = max(_height(t) for t in head_text)
    for i, t in enumerate(head_text):
        cv.box(cols[2 * i][0], y, cols[2 * i + 1][0] + cols[2 * i + 1][1] - cols[2 * i][0], h_head, t,
               fill=_HEAD_FILL, bold=True, center=True)  # fmt: skip
    y += h_head + _GAP

    def row(pairs, phase: str = ""):
        """Draw one row: {column index: lines}, at least as tall as the *phase* label beside it;
        returns (top, height)."""
        texts = {i: _wrap(lines, cols[i][1]) for i, lines in pairs.items()}
        h = max([_height(t) for t in texts.values()] + [len(phase) * _CHAR_MM * 1.15 + 3.0])
        for i, t in texts.items():
            cv.box(cols[i][0], row.y, cols[i][1], h, t)
        top = row.y
        row.y += h + _GAP
        return top, h

    row.y = y
    a1 = arm_texts[0]
    a2 = arm_texts[1] if both else None
    id_top, id_h = row(
        {0: a1["identified"], 1: a1["removed"], **({2: a2["identified"]} if both else {})}, _("Identification")
    )
    sc_top, sc_h = row({0: a1["screened"], 1: a1["excluded"]})
    so_top, so_h = row({0: a1["sought"], 1: a1["not_retrieved"], **({2: a2["sought"], 3: a2["not_retrieved"]} if both else {})})  # fmt: skip
    as_top, as_h = row({0: a1["assessed"], 1: a1["reports_excluded"],
                        **({2: a2["assessed"], 3: a2["reports_excluded"]} if both else {})})  # fmt: skip
    included = [
        (_("Studies included in review (n = {n})").format(n=c["studies_included_in_review"]), 0),
        (_("Reports of included studies (n = {n})").format(n=c["reports_of_included_studies"]), 0),
    ]
    in_top, in_h = row({0: included}, _("Included"))

    def right(i, top, h):
        return (cols[i][0] + cols[i][1], top + h / 2)

    def left(i, top, h):
        return (cols[i][0], top + h / 2)

    def down(i, top_a, h_a, top_b):
        xm = cols[i][0] + cols[i][1] / 2
        cv.arrow([(xm, top_a + h_a), (xm, top_b)])

    for top, h in ((id_top, id_h), (sc_top, sc_h), (so_top, so_h), (as_top, as_h)):
        cv.arrow([right(0, top, h), left(1, top, h)])
    down(0, id_top, id_h, sc_top)
    down(0, sc_top, sc_h, so_top)
    down(0, so_top, so_h, as_top)
    down(0, as_top, as_h, in_top)
    if both:
        for top, h in ((so_top, so_h), (as_top, as_h)):
            cv.arrow([right(2, top, h), left(3, top, h)])
        down(2, id_top, id_h, so_top)
        down(2, so_top, so_h, as_top)
        xm = cols[2][0] + cols[2][1] / 2
        cv.arrow([(xm, as_top + as_h), (xm, in_top + in_h / 2), right(0, in_top, in_h)])
    cv.phase(id_top, id_top + id_h, _("Identification"))
    cv.phase(sc_top, as_top + as_h, _("Screening"))
    cv.phase(in_top, in_top + in_h, _("Included"))
    bottom = in_top + in_h
    if c["screening"]["full_text"] == "not recorded":
        note = _("Full-text assessment was not recorded: every report sought counts as assessed and included.")
        lines = _wrap([(note, 0)], _WIDTH - x0)
        ax.text(x0, bottom + 2.0, "\n".join(lines), ha="left", va="top", fontsize=_FONT, linespacing=1.3)
        bottom += 2.0 + _height(lines)
    ax.set_xlim(0, _WIDTH)
    ax.set_ylim(bottom + 0.5, -0.5)
    fig.set_size_inches(style.mm(_WIDTH), style.mm(bottom + 1.0))
    return fig
