"""Descriptive figures of the corpus (stage 01): works per year, source types, venues.

Each function takes the corpus DataFrame (``P/corpus.csv``) and returns a matplotlib
Figure one journal column wide (85 mm), drawn in the shared seaborn theme, with labelled
axes, integer counts written on the bars and the Okabe-Ito palette (colour-blind-safe;
source types are also told apart by hatching so the figures survive greyscale printing).
Save them with :func:`revalign.plotting.save.save_figure`. When there is nothing to show
(no years, no source types, no venue with more than one work) the figure says so in words.

Source types come from the ``sourcetype`` column (``unknown`` when blank), in the fixed
order :data:`SOURCETYPE_ORDER`, so colours mean the same in every figure.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import seaborn as sns

from revalign.plotting import style
from revalign.plotting.style import OKABE_ITO

SOURCETYPE_ORDER = ["primary", "secondary", "review", "unknown"]
SOURCETYPE_LABELS = {
    "primary": "Primary (policy, reports, definitions)",
    "secondary": "Secondary (articles, chapters, news)",
    "review": "The review itself",
    "unknown": "Source type not given",
}
SOURCETYPE_COLOURS = dict(zip(SOURCETYPE_ORDER, [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], "#999999"], strict=False))
SOURCETYPE_HATCH = {"primary": "", "secondary": "///", "review": "...", "unknown": "xx"}
DOC_TYPE_LABELS = {"webpage": "web page", "book chapter": "book chapter", "government document": "government doc."}
# Document types whose ``source_title`` is a journal (or proceedings) rather than a publisher.
JOURNAL_DOC_TYPES = {"article", "journal article", "conference paper", "inproceedings", "proceedings paper", "review"}
#: a run of at least this many empty years before the bulk of the corpus is cut out of the time axis
YEAR_GAP = 5


def _sourcetype(corpus: pd.DataFrame) -> pd.Series:
    if "sourcetype" not in corpus.columns:
        return pd.Series("unknown", index=corpus.index)
    s = corpus["sourcetype"].astype("string").str.strip().str.lower()
    return s.mask(s == "").fillna("unknown").astype(str)


def _present(types: pd.Series) -> list[str]:
    seen = set(types)
    return [t for t in SOURCETYPE_ORDER if t in seen] + sorted(seen - set(SOURCETYPE_ORDER))


def _integer_axis(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _legend(ax, types, **kw):
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=SOURCETYPE_COLOURS.get(t, "#999999"), hatch=SOURCETYPE_HATCH.get(t, ""), edgecolor="white",
              label=SOURCETYPE_LABELS.get(t, t))
        for t in types
    ]  # fmt: skip
    ax.legend(handles=handles, frameon=False, **kw)


def _stacked_bars(ax, table: pd.DataFrame, horizontal: bool, positions=None) -> None:
    base = pd.Series(0, index=table.index, dtype=float)
    pos = list(positions) if positions is not None else list(range(len(table)))
    for t in table.columns:
        vals = table[t].astype(float)
        kw = dict(
            color=SOURCETYPE_COLOURS.get(t, "#999999"),
            hatch=SOURCETYPE_HATCH.get(t, ""),
            edgecolor="white",
            linewidth=0.5,
        )
        if horizontal:
            ax.barh(pos, vals.to_numpy(), left=base.to_numpy(), height=0.7, **kw)
        else:
            ax.bar(pos, vals.to_numpy(), bottom=base.to_numpy(), width=0.7, **kw)
        base = base + vals
    for p, total in zip(pos, base, strict=False):  # the total of each bar, written at its end
        if total:
            if horizontal:
                ax.text(total, p, f" {int(total)}", va="center", ha="left", fontsize=style.MIN_FONT_PT)
            else:
                ax.text(p, total, f"{int(total)}", va="bottom", ha="center", fontsize=style.MIN_FONT_PT)


def year_bins(years: pd.Series, gap: int = YEAR_GAP) -> tuple[list[int], list[int]]:
    """(early years, main years): the main span is every year from the first year after the
    last run of >= *gap* empty years to the last year; early years are the years with works
    before that run (shown apart, so one old work does not stretch the time axis)."""
    present = sorted(set(int(y) for y in years))
    if not present:
        return [], []
    start = present[0]
    for a, b in zip(present, present[1:], strict=False):
        if b - a - 1 >= gap:
            start = b
    early = [y for y in present if y < start]
    return early, list(range(start, present[-1] + 1))


def works_per_year(corpus: pd.DataFrame):
    """Stacked bars: works per publication year, by source type; every year labelled.

    Years with works that lie before a long run of empty years are drawn apart, left of
    a break in the axis, instead of stretching it.
    """
    import matplotlib.pyplot as plt

    style.apply()
    types = _sourcetype(corpus)
    year = pd.to_numeric(corpus["year"], errors="coerce")
    known = year.notna()
    n_missing = int((~known).sum())
    if not known.any():
        return style.no_data_figure(
            f"No work of the corpus has a publication year ({len(corpus)} works), so there is no time axis to draw.",
            heading="Works per publication year",
        )
    df = pd.DataFrame({"year": year[known].astype(int), "type": types[known]})
    early, main = year_bins(df["year"])
    years = early + main
    table = pd.crosstab(df["year"], df["type"]).reindex(index=years, fill_value=0)
    table = table[[t for t in _present(df["type"]) if t in table.columns]]
    positions = list(range(len(early))) + [len(early) + (1 if early else 0) + i for i in range(len(main))]
    width_mm = style.SINGLE_COLUMN_MM if len(years) <= 14 else style.DOUBLE_COLUMN_MM
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize(width_mm, 62))
    _stacked_bars(ax, table, horizontal=False, positions=positions)
    ax.set_xticks(positions, [str(y) for y in years], rotation=90 if len(years) > 8 else 0)
    if early:  # an axis break between the early years and the main span
        x = len(early)
        ax.text(
            x,
            0,
            "//",
            ha="center",
            va="center",
            fontsize=style.FONT_SIZE,
            clip_on=False,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )
    ax.set_ylim(0, float(table.sum(axis=1).max()) * 1.35 + 0.5)
    _integer_axis(ax.yaxis)
    ax.set_xlabel("Publication year" + (f" (axis broken after {early[-1]})" if early else ""))
    ax.set_ylabel("Works")
    _legend(ax, list(table.columns), loc="upper left")
    title = f"Works per publication year (n = {int(known.sum())})"
    if n_missing:
        title += f"; {n_missing} without a year not shown"
    style.title(fig, title)
    return fig


def source_types(corpus: pd.DataFrame):
    """Horizontal stacked bars: works per document type, split by source type."""
    import matplotlib.pyplot as plt

    style.apply()
    types = _sourcetype(corpus)
    if set(types) == {"unknown"} and "sourcecategory" in corpus.columns:
        return source_categories(corpus)
    if "doc_type" not in corpus.columns and set(types) == {"unknown"}:
        return style.no_data_figure(
            f"The corpus gives neither a document type nor a source type for its {len(corpus)} works.",
            heading="Document and source types",
        )
    doc = (
        corpus["doc_type"].astype("string").fillna("").str.strip()
        if "doc_type" in corpus.columns
        else pd.Series("", index=corpus.index)
    )
    doc = doc.mask(doc == "", "type not given").astype(str)
    table = pd.crosstab(doc, types)
    table = table[[t for t in _present(types) if t in table.columns]]
    totals = table.sum(axis=1)
    table = table.loc[sorted(table.index, key=lambda d: (totals[d], [-ord(c) for c in d]))]
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 34 + 7 * len(table)))
    _stacked_bars(ax, table, horizontal=True)
    ax.set_yticks(range(len(table)), [DOC_TYPE_LABELS.get(d, d) for d in table.index])
    ax.set_xlim(0, float(totals.max()) * 1.15 + 0.5)
    _integer_axis(ax.xaxis)
    ax.set_xlabel("Works")
    ax.set_ylabel("Document type")
    _legend(
        ax, list(table.columns), loc="lower left", bbox_to_anchor=(-0.02, 1.0), title="Source type", alignment="left"
    )
    style.title(fig, f"Works by document type and source type (n = {len(corpus)})")
    return fig


def source_categories(corpus: pd.DataFrame):
    """Works per source category, for a corpus whose exports carry no source-type field.

    The category is what the bibliography stage derived from each record's document type
    (``sourcecategory``: journal article, report, policy document, ...).
    """
    import matplotlib.pyplot as plt

    style.apply()
    cat = corpus["sourcecategory"].astype("string").fillna("").str.strip()
    cat = cat.mask(cat == "", "category not given").astype(str)
    counts = cat.value_counts()
    order = sorted(counts.index, key=lambda c: (counts[c], [-ord(ch) for ch in c]))
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 30 + 7 * len(order)))
    ax.barh(range(len(order)), [counts[c] for c in order], color=OKABE_ITO[0])
    for i, c in enumerate(order):
        ax.text(counts[c], i, f" {counts[c]}", va="center", fontsize=style.MIN_FONT_PT)
    ax.set_yticks(range(len(order)), order)
    ax.set_xlim(0, float(counts.max()) * 1.15 + 0.5)
    _integer_axis(ax.xaxis)
    ax.set_xlabel("Works")
    ax.set_ylabel("Source category")
    style.title(fig, f"Works by source category (n = {len(corpus)})")
    style.note(
        fig,
        "Category derived from each record's document type (default mapping; "
        "the parameter source_categories overrides it).",
    )
    return fig


def _venue_kind(corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per work: ``kind`` (journal or publisher) and ``venue``."""
    doc = (
        corpus["doc_type"].astype("string").fillna("").str.strip().str.lower()
        if "doc_type" in corpus.columns
        else pd.Series("", index=corpus.index)
    )
    title = (
        corpus["source_title"].astype("string").fillna("").str.strip()
        if "source_title" in corpus.columns
        else pd.Series("", index=corpus.index)
    )
    publisher = (
        corpus["publisher"].astype("string").fillna("").str.strip()
        if "publisher" in corpus.columns
        else pd.Series("", index=corpus.index)
    )
    is_journal = doc.isin(JOURNAL_DOC_TYPES) & (title != "")
    venue = title.where(is_journal, publisher.where(publisher != "", title))
    out = pd.DataFrame({"kind": is_journal.map({True: "journal", False: "publisher"}), "venue": venue.astype(str)})
    return out[out["venue"] != ""]


def venue_counts(corpus: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Works per venue, journals apart from publishers: columns ``kind, venue, works``.

    A journal article's venue is its journal (``source_title``); any other work's venue is
    its publisher (``publisher``, else ``source_title``). Spellings of one venue count as one
    (:func:`revalign.bibliography.venues.count_venues`: case, ``&``/``and``, diacritics,
    punctuation), shown in their best-formed spelling. Most frequent first, ties alphabetical;
    at most *top* rows per kind.
    """
    from revalign.bibliography.venues import count_venues

    v = _venue_kind(corpus)
    parts = [
        count_venues(v.loc[v["kind"] == kind, "venue"]).rename(columns={"n": "works"}).assign(kind=kind)
        for kind in sorted(set(v["kind"]))
    ]
    if not parts:
        return pd.DataFrame({"kind": [], "venue": [], "works": []}).astype({"works": "int64"})
    counts = pd.concat(parts, ignore_index=True)[["kind", "venue", "works"]].astype({"venue": str})
    counts = counts.sort_values(["kind", "works", "venue"], ascending=[True, False, True], kind="stable")
    return counts.groupby("kind", sort=True).head(top).reset_index(drop=True)


def venues(corpus: pd.DataFrame, top: int = 10):
    """Horizontal bars: journals and publishers that contribute more than one work.

    A venue with a single work says nothing about where the literature concentrates, so
    only venues with two or more works are drawn, journals and publishers in separate
    panels; the number of single-work venues is stated. Nothing repeated: a figure in words.
    """
    import matplotlib.pyplot as plt

    style.apply()
    counts = venue_counts(corpus, top=10**6)
    names = {"journal": "Journal (of articles)", "publisher": "Publisher or organisation\n(reports, books, web pages)"}
    shown = counts[counts["works"] >= 2].groupby("kind").head(top)
    singles = counts[counts["works"] < 2].groupby("kind").size()
    if shown.empty:
        n_j, n_p = int(singles.get("journal", 0)), int(singles.get("publisher", 0))
        return style.no_data_figure(
            f"No journal or publisher contributes more than one work: {n_j} journals and {n_p} publishers "
            "with one work each, so venues do not concentrate.",
            heading="Venues of the corpus",
        )
    kinds = [k for k in ("journal", "publisher") if k in set(shown["kind"])]
    n_rows = [int((shown["kind"] == k).sum()) for k in kinds]
    fig, axes = plt.subplots(
        len(kinds),
        1,
        squeeze=False,
        gridspec_kw={"height_ratios": n_rows},
        layout="constrained",
        figsize=style.figsize("double", 22 * len(kinds) + 7 * sum(n_rows)),
    )
    style.title(fig, "Venues that contribute more than one work to the corpus")
    xmax = float(shown["works"].max())
    for ax, kind in zip(axes[:, 0], kinds, strict=False):
        sub = shown[shown["kind"] == kind]
        sns.barplot(
            data=sub,
            y="venue",
            x="works",
            ax=ax,
            color=OKABE_ITO[0] if kind == "journal" else OKABE_ITO[1],
            orient="h",
            width=0.7,
        )
        ax.set_yticks(range(len(sub)), [textwrap.fill(v, 60) for v in sub["venue"]])
        for i, n in enumerate(sub["works"]):
            ax.text(n, i, f" {n}", va="center", ha="left", fontsize=style.MIN_FONT_PT)
        ax.set_xlim(0, xmax * 1.12 + 0.3)
        _integer_axis(ax.xaxis)
        ax.set_ylabel(names[kind])
        n_single = int(singles.get(kind, 0))
        ax.set_xlabel(
            "Works"
            + (
                f"   (+ {n_single} {'journals' if kind == 'journal' else 'publishers'} with one work each, not shown)"
                if n_single
                else ""
            )
        )
    return fig
