"""Descriptive figures of the corpus (stage 01): works per year, source types, venues.

Each function takes the corpus DataFrame (``P/corpus.csv``) and returns a matplotlib
Figure one journal column wide (85 mm), drawn in the shared seaborn theme, with labelled
axes, integer counts written on the bars and the Okabe-Ito palette (colour-blind-safe;
source types are also told apart by hatching so the figures survive greyscale printing).
Save them with :func:`revalign.plotting.save.save_figure`. When there is nothing to show
(no years, no source types, no venue with more than one work) the figure says so in words.

Source types come from the ``sourcetype`` column (``unknown`` when blank), in the fixed
order :data:`SOURCETYPE_ORDER`, so colours mean the same in every figure; a corpus whose exports
carry no source type (most do not) gets no source-type legend at all. Every word is the run's
language (*lang*, through the message catalog); document types are named from the shared
vocabulary (:func:`doc_type_label`).
"""

from __future__ import annotations

import textwrap

import pandas as pd
import seaborn as sns

from revalign.bibliography.doctypes import category_label, doc_type_label
from revalign.core.i18n import N_, messages
from revalign.plotting import style
from revalign.plotting.style import OKABE_ITO

SOURCETYPE_ORDER = ["primary", "secondary", "review", "unknown"]
SOURCETYPE_LABELS = {
    "primary": N_("Primary (policy, reports, definitions)"),
    "secondary": N_("Secondary (articles, chapters, news)"),
    "review": N_("The review itself"),
    "unknown": N_("Source type not given"),
}
SOURCETYPE_COLOURS = dict(zip(SOURCETYPE_ORDER, [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], "#999999"], strict=False))
SOURCETYPE_HATCH = {"primary": "", "secondary": "///", "review": "...", "unknown": "xx"}
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


def _legend(ax, types, lang: str = "en", **kw):
    from matplotlib.patches import Patch

    _ = messages(lang)
    handles = [
        Patch(facecolor=SOURCETYPE_COLOURS.get(t, "#999999"), hatch=SOURCETYPE_HATCH.get(t, ""), edgecolor="white",
              label=_(SOURCETYPE_LABELS[t]) if t in SOURCETYPE_LABELS else t)
        for t in types
    ]  # fmt: skip
    ax.legend(handles=handles, frameon=False, **kw)


def _has_source_types(types: pd.Series) -> bool:
    """Whether the corpus says of any work what type of source it is (a field few exports carry)."""
    return set(types) != {"unknown"}


def _stacked_bars(ax, table: pd.DataFrame, horizontal: bool, positions=None, by_type: bool = True) -> None:
    """Bars stacked by source type (*by_type*), or plain bars of one colour when the corpus has no source types."""
    base = pd.Series(0, index=table.index, dtype=float)
    pos = list(positions) if positions is not None else list(range(len(table)))
    for t in table.columns:
        vals = table[t].astype(float)
        kw = dict(
            color=SOURCETYPE_COLOURS.get(t, "#999999") if by_type else OKABE_ITO[0],
            hatch=SOURCETYPE_HATCH.get(t, "") if by_type else "",
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


def works_per_year(corpus: pd.DataFrame, lang: str = "en"):
    """Bars: works per publication year, stacked by source type when the corpus has source types;
    every year labelled.

    Years with works that lie before a long run of empty years are drawn apart, left of
    a break in the axis, instead of stretching it.
    """
    import matplotlib.pyplot as plt

    style.apply()
    _ = messages(lang)
    types = _sourcetype(corpus)
    by_type = _has_source_types(types)
    year = pd.to_numeric(corpus["year"], errors="coerce")
    known = year.notna()
    n_missing = int((~known).sum())
    if not known.any():
        return style.no_data_figure(
            _.ngettext(
                "No work of the corpus has a publication year ({n} work), so there is no time axis to draw.",
                "No work of the corpus has a publication year ({n} works), so there is no time axis to draw.",
                len(corpus),
            ).format(n=len(corpus)),
            heading=_("Works per publication year"),
        )
    df = pd.DataFrame({"year": year[known].astype(int), "type": types[known]})
    early, main = year_bins(df["year"])
    years = early + main
    table = pd.crosstab(df["year"], df["type"]).reindex(index=years, fill_value=0)
    table = table[[t for t in _present(df["type"]) if t in table.columns]]
    positions = list(range(len(early))) + [len(early) + (1 if early else 0) + i for i in range(len(main))]
    width_mm = style.SINGLE_COLUMN_MM if len(years) <= 14 else style.DOUBLE_COLUMN_MM
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize(width_mm, 62))
    _stacked_bars(ax, table, horizontal=False, positions=positions, by_type=by_type)
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
    ax.set_xlabel(
        _("Publication year (axis broken after {year})").format(year=early[-1]) if early else _("Publication year")
    )
    ax.set_ylabel(_("Works"))
    if by_type:
        _legend(ax, list(table.columns), lang, loc="upper left")
    title = _("Works per publication year (n = {n})").format(n=int(known.sum()))
    if n_missing:
        title += _("; {n} without a year not shown").format(n=n_missing)
    style.title(fig, title)
    return fig


def source_types(corpus: pd.DataFrame, lang: str = "en"):
    """Horizontal stacked bars: works per document type, split by source type (works per source
    category when the corpus has no source types)."""
    import matplotlib.pyplot as plt

    style.apply()
    _ = messages(lang)
    types = _sourcetype(corpus)
    if not _has_source_types(types) and "sourcecategory" in corpus.columns:
        return source_categories(corpus, lang)
    if "doc_type" not in corpus.columns and not _has_source_types(types):
        return style.no_data_figure(
            _.ngettext(
                "The corpus gives neither a document type nor a source type for its {n} work.",
                "The corpus gives neither a document type nor a source type for its {n} works.",
                len(corpus),
            ).format(n=len(corpus)),
            heading=_("Document and source types"),
        )
    doc = (
        corpus["doc_type"].astype("string").fillna("").str.strip()
        if "doc_type" in corpus.columns
        else pd.Series("", index=corpus.index)
    )
    doc = doc.map(lambda d: doc_type_label(d, lang) if d else _("type not given")).astype(str)
    table = pd.crosstab(doc, types)
    table = table[[t for t in _present(types) if t in table.columns]]
    totals = table.sum(axis=1)
    table = table.loc[sorted(table.index, key=lambda d: (totals[d], [-ord(c) for c in d]))]
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 34 + 7 * len(table)))
    _stacked_bars(ax, table, horizontal=True)
    ax.set_yticks(range(len(table)), list(table.index))
    ax.set_xlim(0, float(totals.max()) * 1.15 + 0.5)
    _integer_axis(ax.xaxis)
    ax.set_xlabel(_("Works"))
    ax.set_ylabel(_("Document type"))
    _legend(
        ax,
        list(table.columns),
        lang,
        loc="lower left",
        bbox_to_anchor=(-0.02, 1.0),
        title=_("Source type"),
        alignment="left",
    )
    style.title(fig, _("Works by document type and source type (n = {n})").format(n=len(corpus)))
    return fig


def source_categories(corpus: pd.DataFrame, lang: str = "en"):
    """Works per source category, for a corpus whose exports carry no source-type field.

    The category is what the bibliography stage derived from each record's document type
    (``sourcecategory``: journal article, report, policy document, ...).
    """
    import matplotlib.pyplot as plt

    style.apply()
    _ = messages(lang)
    cat = corpus["sourcecategory"].astype("string").fillna("").str.strip()
    cat = cat.map(lambda c: category_label(c, lang) if c else _("category not given")).astype(str)
    counts = cat.value_counts()
    order = sorted(counts.index, key=lambda c: (counts[c], [-ord(ch) for ch in c]))
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 30 + 7 * len(order)))
    ax.barh(range(len(order)), [counts[c] for c in order], color=OKABE_ITO[0])
    for i, c in enumerate(order):
        ax.text(counts[c], i, f" {counts[c]}", va="center", fontsize=style.MIN_FONT_PT)
    ax.set_yticks(range(len(order)), order)
    ax.set_xlim(0, float(counts.max()) * 1.15 + 0.5)
    _integer_axis(ax.xaxis)
    ax.set_xlabel(_("Works"))
    ax.set_ylabel(_("Source category"))
    style.title(fig, _("Works by source category (n = {n})").format(n=len(corpus)))
    style.note(
        fig,
        _(
            "Category derived from each record's document type (default mapping; "
            "the parameter source_categories overrides it)."
        ),
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


def venues(corpus: pd.DataFrame, top: int = 10, lang: str = "en"):
    """Horizontal bars: journals and publishers that contribute more than one work.

    A venue with a single work says nothing about where the literature concentrates, so
    only venues with two or more works are drawn, journals and publishers in separate
    panels; the number of single-work venues is stated. Nothing repeated: a figure in words.
    """
    import matplotlib.pyplot as plt

    style.apply()
    _ = messages(lang)
    counts = venue_counts(corpus, top=10**6)
    names = {
        "journal": _("Journal (of articles)"),
        "publisher": _("Publisher or organisation\n(reports, books, web pages)"),
    }
    shown = counts[counts["works"] >= 2].groupby("kind").head(top)
    singles = counts[counts["works"] < 2].groupby("kind").size()
    if shown.empty:
        n_j, n_p = int(singles.get("journal", 0)), int(singles.get("publisher", 0))
        return style.no_data_figure(
            _(
                "No journal or publisher contributes more than one work: {journals} journals and {publishers} "
                "publishers with one work each, so venues do not concentrate."
            ).format(journals=n_j, publishers=n_p),
            heading=_("Venues of the corpus"),
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
    style.title(fig, _("Venues that contribute more than one work to the corpus"))
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
        more = (
            _.ngettext(
                "   (+ {n} journal with one work, not shown)",
                "   (+ {n} journals with one work each, not shown)",
                n_single,
            )
            if kind == "journal"
            else _.ngettext(
                "   (+ {n} publisher with one work, not shown)",
                "   (+ {n} publishers with one work each, not shown)",
                n_single,
            )
        )
        ax.set_xlabel(_("Works") + (more.format(n=n_single) if n_single else ""))
    return fig
