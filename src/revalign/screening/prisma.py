"""PRISMA 2020 counts of a run and the flow diagram.

``counts(per_file, n_unique, screening)`` builds the numbers of the PRISMA 2020 flow
(Page et al. 2021, BMJ 372:n71) from stage 01's per-file import summary and stage 02's
screening decisions::

    identified                 {source file: records read}
    identified_total           sum of the above
    removed_before_screening   {duplicates, rejected_at_import, <identification reasons>}
    duplicates_removed         records merged into another record by de-duplication
    removed_before_screening_total
    screened                   unique records that went through screening
    excluded                   {screening reason code: records}, every code, zeros kept
    excluded_total
    included                   records included in the review

The review has no separate full-text retrieval and eligibility step (its sources are
documents and articles chosen from their metadata), so the flow ends at "included".

Every box must equal what flows out of it (:func:`check`): identified = removed before
screening + screened; screened = excluded + included; each total = the sum of its
parts; no count negative. A violation raises :class:`PrismaError`, so an inconsistent
diagram cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from revalign.screening.rules import IDENTIFICATION_REASONS, SCREENING_REASONS

#: top-level keys of the counts, in the order they are written
KEYS = (
    "identified",
    "identified_total",
    "removed_before_screening",
    "duplicates_removed",
    "removed_before_screening_total",
    "screened",
    "excluded",
    "excluded_total",
    "included",
)

REASON_LABELS = {
    "duplicates": "Duplicate records",
    "rejected_at_import": "Unusable records (no title, no DOI)",
    "review_itself": "The review itself",
    "year_missing": "No publication year",
    "year_out_of_window": "Outside the year window",
    "doc_type_excluded": "Document type not eligible",
    "language_excluded": "Language not eligible",
    "no_keyword_match": "No keyword in title, abstract or keywords",
}


class PrismaError(ValueError):
    """The PRISMA counts do not add up."""


def counts(per_file: pd.DataFrame, n_unique: int, screening: pd.DataFrame) -> dict:
    """PRISMA 2020 counts (key order :data:`KEYS`), checked with :func:`check`.

    *per_file*: columns ``file, records_read, rejected`` (``ImportResult.per_file``);
    *n_unique*: rows of the de-duplicated corpus; *screening*: the output of
    :func:`revalign.screening.rules.screen` for that corpus.
    """
    if len(screening) != n_unique:
        raise PrismaError(f"screening has {len(screening)} rows but the corpus has {n_unique} unique records")
    identified = {str(f): int(n) for f, n in sorted(zip(per_file["file"], per_file["records_read"], strict=False))}
    identified_total = sum(identified.values())
    rejected = int(per_file["rejected"].sum())
    duplicates = identified_total - rejected - int(n_unique)
    reasons = screening["reason"].value_counts()
    removed = {"duplicates": duplicates, "rejected_at_import": rejected}
    for r in IDENTIFICATION_REASONS:
        removed[r] = int(reasons.get(r, 0))
    removed_total = sum(removed.values())
    stage = screening["stage"]
    screened = int((stage == "screening").sum())
    excluded = {r: int(reasons.get(r, 0)) for r in SCREENING_REASONS}
    c = {
        "identified": identified,
        "identified_total": identified_total,
        "removed_before_screening": removed,
        "duplicates_removed": duplicates,
        "removed_before_screening_total": removed_total,
        "screened": screened,
        "excluded": excluded,
        "excluded_total": sum(excluded.values()),
        "included": int((screening["decision"] == "include").sum()),
    }
    check(c)
    return c


def check(c: dict) -> None:
    """Raise :class:`PrismaError` unless every box equals the sum of what flows out of it."""
    missing = [k for k in KEYS if k not in c]
    if missing:
        raise PrismaError(f"PRISMA counts lack {', '.join(missing)}")
    problems = []

    def each(name, value):
        if isinstance(value, dict):
            for k, v in value.items():
                each(f"{name}.{k}", v)
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{name} = {value!r} is not a count (a non-negative integer)")

    for k in KEYS:
        each(k, c[k])
    if problems:
        raise PrismaError("; ".join(problems))

    def equal(label, left, right):
        if left != right:
            problems.append(f"{label}: {left} != {right}")

    equal("identified_total = sum of identified per source", c["identified_total"], sum(c["identified"].values()))
    equal(
        "removed_before_screening_total = sum of its reasons",
        c["removed_before_screening_total"],
        sum(c["removed_before_screening"].values()),
    )
    equal(
        "duplicates_removed = removed_before_screening.duplicates",
        c["duplicates_removed"],
        c["removed_before_screening"].get("duplicates"),
    )
    equal(
        "identified_total = removed before screening + screened",
        c["identified_total"],
        c["removed_before_screening_total"] + c["screened"],
    )
    equal("excluded_total = sum of exclusion reasons", c["excluded_total"], sum(c["excluded"].values()))
    equal("screened = excluded_total + included", c["screened"], c["excluded_total"] + c["included"])
    if problems:
        raise PrismaError("PRISMA counts are inconsistent: " + "; ".join(problems))


def write(c: dict, path: str | Path) -> Path:
    """Check, then write the counts as JSON (key order :data:`KEYS`) atomically."""
    from revalign.core.atomic import write_json

    check(c)
    return write_json({k: c[k] for k in KEYS}, path)


# ----------------------------------------------------------------------------------
# the flow diagram


def _reason_lines(d: dict, always=()) -> list[str]:
    """One line per reason with a non-zero count (and the *always* reasons even at zero)."""
    return [f"{REASON_LABELS.get(k, k.replace('_', ' '))} (n = {n})" for k, n in d.items() if n or k in always]


_EDGE, _FILL, _PHASE_FILL = "#000000", "#ffffff", "#cfe2f3"  # black on white; light blue phase bars
_LEFT_X, _LEFT_W, _RIGHT_X, _RIGHT_W = 8, 42, 56, 42  # the two columns of boxes


def _box(ax, x, y, w, h, lines):
    """A square-cornered box with *lines* written from its top-left corner."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="square,pad=0", linewidth=0.8, edgecolor=_EDGE, facecolor=_FILL))
    ax.text(x + 1.2, y + h - 1.2, "\n".join(lines), ha="left", va="top", fontsize=7, linespacing=1.35)
    return (x, y, w, h)


def _arrow(ax, x0, y0, x1, y1) -> None:
    """An arrow from (x0, y0) to (x1, y1)."""
    ax.annotate(
        "",
        xy=(x1, y1),
        xytext=(x0, y0),
        arrowprops=dict(arrowstyle="-|>", color=_EDGE, lw=0.8, shrinkA=0, shrinkB=0),
    )


def _phase(ax, y, h, label) -> None:
    """The rounded phase bar at the left of a row, with its label written upwards."""
    from matplotlib.patches import FancyBboxPatch

    # the bar is at least as tall as its rotated label (about 0.75 units per character)
    hb = max(h, 0.75 * len(label) + 1.5)
    yb = y + h / 2 - hb / 2
    ax.add_patch(
        FancyBboxPatch((1, yb), 4.5, hb, boxstyle="round,pad=0,rounding_size=1", linewidth=0, facecolor=_PHASE_FILL)
    )
    ax.text(3.25, y + h / 2, label, rotation=90, ha="center", va="center", fontsize=7, fontweight="bold")


def _identification_row(ax, c: dict) -> tuple[float, float]:
    """Records identified per source and removed before screening; returns the row's (y, height)."""
    ident = [f"Records identified (n = {c['identified_total']})"] + [
        f"  {name}: n = {n}" for name, n in c["identified"].items()
    ]
    removed = [f"Records removed before screening (n = {c['removed_before_screening_total']})"] + [
        "  " + s for s in _reason_lines(c["removed_before_screening"], always=("duplicates",))
    ]
    h_id = max(8, 2.1 * max(len(ident), len(removed)) + 2.5)
    y_id = 67 - h_id
    _box(ax, _LEFT_X, y_id, _LEFT_W, h_id, ident)
    _box(ax, _RIGHT_X, y_id, _RIGHT_W, h_id, removed)
    _arrow(ax, _LEFT_X + _LEFT_W, y_id + h_id / 2, _RIGHT_X, y_id + h_id / 2)
    _phase(ax, y_id, h_id, "Identification")
    return y_id, h_id


def _screening_row(ax, c: dict, y_id: float) -> tuple[float, float]:
    """Records screened and excluded (by reason), below the identification row at *y_id*."""
    excl = [f"Records excluded (n = {c['excluded_total']})"] + ["  " + s for s in _reason_lines(c["excluded"])]
    if c["excluded_total"] == 0:
        excl.append("  none")
    h_sc = max(8, 2.1 * max(len(excl), 3) + 2.5)
    y_sc = y_id - 8 - h_sc
    _box(
        ax,
        _LEFT_X,
        y_sc,
        _LEFT_W,
        h_sc,
        [f"Records screened (n = {c['screened']})", "  year window, document type,", "  language, keywords"],
    )
    _box(ax, _RIGHT_X, y_sc, _RIGHT_W, h_sc, excl)
    _arrow(ax, _LEFT_X + _LEFT_W / 2, y_id, _LEFT_X + _LEFT_W / 2, y_sc + h_sc)
    _arrow(ax, _LEFT_X + _LEFT_W, y_sc + h_sc / 2, _RIGHT_X, y_sc + h_sc / 2)
    _phase(ax, y_sc, h_sc, "Screening")
    return y_sc, h_sc


def _included_row(ax, c: dict, y_sc: float) -> float:
    """The sources included, below the screening row at *y_sc*; returns the row's y."""
    h_in = 8
    y_in = y_sc - 8 - h_in
    _box(ax, _LEFT_X, y_in, _LEFT_W, h_in, [f"Sources included in review (n = {c['included']})"])
    _arrow(ax, _LEFT_X + _LEFT_W / 2, y_sc, _LEFT_X + _LEFT_W / 2, y_in + h_in)
    _phase(ax, y_in, h_in, "Included")
    return y_in


def flow_figure(c: dict, width_mm: float | None = None):
    """The PRISMA 2020 flow diagram of counts *c* as a matplotlib Figure, one double column (175 mm) wide."""
    import matplotlib.pyplot as plt

    from revalign.plotting import style

    check(c)
    style.apply()
    w_in = style.figsize(width_mm or "double")[0]
    fig = plt.figure(figsize=(w_in, w_in * 0.72))  # height set at the end, from the layout
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 72)
    ax.axis("off")
    ax.text(
        50,
        70.5,
        "Identification of records from bibliography exports",
        ha="center",
        va="center",
        fontsize=8,
        fontweight="bold",
    )
    y_id, _ = _identification_row(ax, c)
    y_sc, _ = _screening_row(ax, c, y_id)
    y_in = _included_row(ax, c, y_sc)

    bottom = y_in - 2
    ax.set_ylim(bottom, 72)
    fig.set_size_inches(w_in, w_in * (72 - bottom) / 100)
    return fig
