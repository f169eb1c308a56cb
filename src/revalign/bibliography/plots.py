"""Descriptive figures of the corpus (stage 01): works per year, source types, venues.

Each function takes the corpus DataFrame (``P/corpus.csv``) and the run's language, and returns a
matplotlib Figure drawn in the shared seaborn theme, with labelled axes, counts written on the
bars where they fit and the Okabe-Ito palette (colour-blind-safe; source types are also told
apart by hatching so the figures survive greyscale printing). Every word is the program's, from
the message catalog, or the corpus's own (venue names). Save them with
:func:`revalign.plotting.save.save_figure`. When there is nothing to show the figure says so in
words.

The figures read at any size of corpus (issue 27): a category axis shows the :data:`TOP` largest
categories and one bar for the rest ("12 more types"); a year axis of many years labels every
2nd, 5th or 10th year; a count is written on a bar only where it fits beside its neighbours.

Source types come from the ``sourcetype`` column (a custom BibTeX field; ``unknown`` when blank),
in the fixed order :data:`SOURCETYPE_ORDER`, so colours mean the same in every figure. A corpus
without that field (most exports) is drawn in one colour, without a source-type legend. Document
types and source categories are named from the shared vocabulary (:mod:`revalign.bibliography.doctypes`).
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from revalign.bibliography.doctypes import JOURNAL_DOC_TYPES, category_label, doc_type_label
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
#: a run of at least this many empty years before the bulk of the corpus is cut out of the time axis
YEAR_GAP = 5
#: categories drawn as bars; the others are one bar "N more"
TOP = 12
#: the most year labels a time axis shows (every 2nd, 5th, 10th ... year beyond)
MAX_YEAR_LABELS = 30
MORE = "__more__"  # the row that stands for the categories not drawn
PT_MM = 25.4 / 72  # one typographic point in millimetres


def _sourcetype(corpus: pd.DataFrame) -> pd.Series:
    if "sourcetype" not in corpus.columns:
        return pd.Series("unknown", index=corpus.index)
    s = corpus["sourcetype"].astype("string").str.strip().str.lower()
    return s.mask(s == "").fillna("unknown").astype(str)


def _present(types: pd.Series) -> list[str]:
    seen = set(types)
    return [t for t in SOURCETYPE_ORDER if t in seen] + sorted(seen - set(SOURCETYPE_ORDER))


def _integer_axis(axis, nbins: int | str = "auto") -> None:
    """Whole numbers on *axis*; at most *nbins* intervals (a narrow axis of large counts needs few)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=nbins, integer=True))


def _text_column(corpus: pd.DataFrame, name: str) -> pd.Series:
    if name not in corpus.columns:
        return pd.Series("", index=corpus.index, dtype=object)
    return corpus[name].astype("string").fillna("").str.strip().astype(object)


def _has_source_types(types: pd.Series) -> bool:
    """Whether the corpus says of any work what type of source it is (a field few exports carry)."""
    return set(types) != {"unknown"}


def _legend(ax, types, lang: str, **kw) -> None:
    from matplotlib.patches import Patch

    _ = messages(lang)
    handles = [
        Patch(facecolor=SOURCETYPE_COLOURS.get(t, "#999999"), hatch=SOURCETYPE_HATCH.get(t, ""), edgecolor="white",
              label=_(SOURCETYPE_LABELS[t]) if t in SOURCETYPE_LABELS else t)
        for t in types
    ]  # fmt: skip
    ax.legend(handles=handles, frameon=False, **kw)


def label_step(n: int, most: int = MAX_YEAR_LABELS) -> int:
    """Label every *k*-th position of *n*: 1, 2, 5, 10, 20, 50 ... so at most *most* labels show."""
    step = 1
    for k in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        step = k
        if math.ceil(n / k) <= most:
            break
    return step


def _count_style(n_bars: int, width_mm: float, largest: int) -> dict | None:
    """How a count fits above bars *width_mm* apart: horizontal, turned upright, or not at all (None)."""
    size = style.MIN_FONT_PT
    digits = len(f"{largest}")
    wide = digits * 0.6 * size * PT_MM  # the text's width, about 0.6 em a digit
    tall = 1.2 * size * PT_MM
    if wide <= 0.85 * width_mm:
        return {"rotation": 0}
    if tall <= 0.85 * width_mm:
        return {"rotation": 90}
    return None


def _stacked_bars(
    ax, table: pd.DataFrame, horizontal: bool, positions=None, count_kw: dict | None = None, by_type: bool = True
) -> None:
    """Bars stacked by source type (*by_type*; plain bars of one colour when the corpus has no source
    types); the total written at each bar's end in the style *count_kw* (None: no totals)."""
    base = pd.Series(0, index=table.index, dtype=float)
    pos = list(positions) if positions is not None else list(range(len(table)))
    for t in table.columns:
        vals = table[t].astype(float)
        kw = dict(
            color=SOURCETYPE_COLOURS.get(t, "#999999") if by_type else OKABE_ITO[0],
            hatch=SOURCETYPE_HATCH.get(t, "") if by_type else "",
            edgecolor="white",
            linewidth=0.5 if len(table) < 40 else 0,
        )
        if horizontal:
            ax.barh(pos, vals.to_numpy(), left=base.to_numpy(), height=0.7, **kw)
        else:
            ax.bar(pos, vals.to_numpy(), bottom=base.to_numpy(), width=0.7, **kw)
        base = base + vals
    if count_kw is None:
        return
    for p, total in zip(pos, base, strict=False):  # the total of each bar, written at its end
        if not total:
            continue
        if horizontal:
            ax.text(total, p, f" {int(total)}", va="center", ha="left", fontsize=style.MIN_FONT_PT)
        elif count_kw.get("rotation"):
            ax.text(p, total, f" {int(total)}", va="bottom", ha="center", rotation=90, fontsize=style.MIN_FONT_PT)
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
    """Stacked bars: works per publication year, by source type.

    Years with works that lie before a long run of empty years are drawn apart, left of a break
    in the axis, instead of stretching it. A long span labels every 2nd, 5th or 10th year.
    """
    import matplotlib.pyplot as plt

    _ = messages(lang)
    style.apply()
    types = _sourcetype(corpus)
    year = pd.to_numeric(corpus["year"], errors="coerce") if "year" in corpus.columns else pd.Series(dtype=float)
    known = year.notna().reindex(corpus.index, fill_value=False)
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
    totals = table.sum(axis=1)
    slot_mm = 0.8 * width_mm / (positions[-1] + 1)  # about the plot's share of the width, per position
    count_kw = _count_style(len(years), slot_mm, int(totals.max()))
    by_type = _has_source_types(df["type"])
    _stacked_bars(ax, table, horizontal=False, positions=positions, count_kw=count_kw, by_type=by_type)
    step = label_step(len(years))
    shown = [(p, y) for p, y in zip(positions, years, strict=True) if y in early or y % step == 0]
    ax.set_xticks([p for p, _y in shown], [str(y) for _p, y in shown], rotation=90 if len(shown) > 8 else 0)
    ax.set_xlim(-0.7, positions[-1] + 0.7)
    if early:  # an axis break between the early years and the main span
        ax.text(
            len(early),
            0,
            "//",
            ha="center",
            va="center",
            fontsize=style.FONT_SIZE,
            clip_on=False,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )
    headroom = 1.45 if count_kw and count_kw.get("rotation") else 1.35
    ax.set_ylim(0, float(totals.max()) * headroom + 0.5)
    _integer_axis(ax.yaxis)
    xlabel = _("Publication year")
    if early:
        xlabel = _("Publication year (axis broken after {year})").format(year=early[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_("Works"))
    if by_type:
        _legend(ax, list(table.columns), lang, loc="upper left")
    title = _("Works per publication year (n = {n})").format(n=int(known.sum()))
    if n_missing:
        title += _("; {n} without a year not shown").format(n=n_missing)
    style.title(fig, title)
    return fig


def top_rows(table: pd.DataFrame, top: int = TOP) -> tuple[pd.DataFrame, int]:
    """The *top* rows of *table* with the largest totals, and one row :data:`MORE` summing the rest;
    with the number of rows it stands for (0: nothing left out). Ties in the order of the index."""
    totals = table.sum(axis=1)
    order = sorted(table.index, key=lambda r: (-totals[r], str(r)))
    if len(order) <= top + 1:  # one row for "1 more" would hide nothing
        return table.loc[order], 0
    kept, rest = order[:top], order[top:]
    more = table.loc[rest].sum().to_frame(MORE).T
    return pd.concat([table.loc[kept], more]), len(rest)


def doc_type_rows(index, n_more: int, lang: str) -> list[str]:
    """Names of document-type rows (:func:`top_rows`): the type as a reader calls it, "type not given",
    and "N more types" for the row :data:`MORE`."""
    _ = messages(lang)
    more = _.ngettext("{n} more type", "{n} more types", n_more).format(n=n_more)
    return [more if r == MORE else doc_type_label(r, lang) if r else _("type not given") for r in index]


def category_rows(index, n_more: int, lang: str) -> list[str]:
    """Names of source-category rows (:func:`top_rows`), as :func:`doc_type_rows` names document types."""
    _ = messages(lang)
    more = _.ngettext("{n} more category", "{n} more categories", n_more).format(n=n_more)
    return [more if r == MORE else category_label(r, lang) if r else _("category not given") for r in index]


def source_types(corpus: pd.DataFrame, lang: str = "en", top: int = TOP):
    """Horizontal stacked bars: works per document type (the *top* largest and one bar for the
    rest), split by source type; by source category when the corpus has no source types."""
    import matplotlib.pyplot as plt

    _ = messages(lang)
    style.apply()
    types = _sourcetype(corpus)
    if not _has_source_types(types) and "sourcecategory" in corpus.columns:
        return source_categories(corpus, lang, top)
    if "doc_type" not in corpus.columns and not _has_source_types(types):
        return style.no_data_figure(
            _.ngettext(
                "The corpus gives neither a document type nor a source type for its {n} work.",
                "The corpus gives neither a document type nor a source type for its {n} works.",
                len(corpus),
            ).format(n=len(corpus)),
            heading=_("Document and source types"),
        )
    doc = _text_column(corpus, "doc_type")
    table = pd.crosstab(doc, types)
    table = table[[t for t in _present(types) if t in table.columns]]
    table, n_more = top_rows(table, top)
    table = table.iloc[::-1]  # the largest at the top
    totals = table.sum(axis=1)
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 34 + 7 * len(table)))
    _stacked_bars(ax, table, horizontal=True, count_kw={})
    ax.set_yticks(range(len(table)), doc_type_rows(table.index, n_more, lang))
    ax.set_xlim(0, float(totals.max()) * 1.25 + 0.5)
    _integer_axis(ax.xaxis, nbins=4)
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


def source_categories(corpus: pd.DataFrame, lang: str = "en", top: int = TOP):
    """Works per source category, for a corpus whose exports carry no source-type field.

    The category is what the bibliography stage derived from each record's document type
    (``sourcecategory``: journal article, report, policy document, ...).
    """
    import matplotlib.pyplot as plt

    _ = messages(lang)
    style.apply()
    cat = _text_column(corpus, "sourcecategory")
    table, n_more = top_rows(cat.value_counts().to_frame("n"), top)
    table = table.iloc[::-1]
    counts = table["n"]
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 30 + 7 * len(table)))
    ax.barh(range(len(table)), counts.to_numpy(), color=OKABE_ITO[0])
    for i, n in enumerate(counts):
        ax.text(n, i, f" {int(n)}", va="center", fontsize=style.MIN_FONT_PT)
    ax.set_yticks(range(len(table)), category_rows(table.index, n_more, lang))
    ax.set_xlim(0, float(counts.max()) * 1.25 + 0.5)
    _integer_axis(ax.xaxis, nbins=4)
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
    doc = _text_column(corpus, "doc_type").str.lower()
    title = _text_column(corpus, "source_title")
    publisher = _text_column(corpus, "publisher")
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


def _not_shown(kind: str, more: pd.DataFrame, singles: int, lang: str) -> str:
    """The x-axis note of a venue panel: the venues of two or more works beyond the top, and those of one."""
    _ = messages(lang)
    parts = []
    if len(more):
        n, w = len(more), int(more["works"].sum())
        if kind == "journal":
            text = _.ngettext(
                "{n} more journal with two or more works ({works} works)",
                "{n} more journals with two or more works ({works} works)",
                n,
            )
        else:
            text = _.ngettext(
                "{n} more publisher with two or more works ({works} works)",
                "{n} more publishers with two or more works ({works} works)",
                n,
            )
        parts.append(text.format(n=n, works=w))
    if singles:
        if kind == "journal":
            text = _.ngettext("{n} journal with one work", "{n} journals with one work each", singles)
        else:
            text = _.ngettext("{n} publisher with one work", "{n} publishers with one work each", singles)
        parts.append(text.format(n=singles))
    if not parts:
        return _("Works")
    return _("Works") + "\n" + _("not shown: {venues}").format(venues="; ".join(parts))


def venues(corpus: pd.DataFrame, top: int = 10, lang: str = "en"):
    """Horizontal bars: the *top* journals and publishers that contribute more than one work.

    A venue with a single work says nothing about where the literature concentrates, so only
    venues with two or more works are drawn, journals and publishers in separate panels; how many
    venues (and works) are not drawn is stated under each panel. Nothing repeated: a figure in words.
    """
    import matplotlib.pyplot as plt

    _ = messages(lang)
    style.apply()
    counts = venue_counts(corpus, top=10**9)
    names = {
        "journal": _("Journal (of articles)"),
        "publisher": _("Publisher or organisation\n(reports, books, web pages)"),
    }
    repeated = counts[counts["works"] >= 2]
    shown = repeated.groupby("kind").head(top)
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
    labels = {k: [textwrap.fill(v, 60) for v in shown.loc[shown["kind"] == k, "venue"]] for k in kinds}
    lines = {k: sum(max(1, lab.count("\n") + 1) for lab in labels[k]) for k in kinds}
    fig, axes = plt.subplots(
        len(kinds),
        1,
        squeeze=False,
        gridspec_kw={"height_ratios": [lines[k] + 1 for k in kinds]},
        layout="constrained",
        figsize=style.figsize("double", 30 * len(kinds) + 5 * sum(lines.values())),
    )
    style.title(fig, _("Venues that contribute more than one work to the corpus"))
    xmax = float(shown["works"].max())
    for ax, kind in zip(axes[:, 0], kinds, strict=False):
        sub = shown[shown["kind"] == kind].iloc[::-1]  # the largest at the top
        ax.barh(range(len(sub)), sub["works"].to_numpy(), height=0.7, color=OKABE_ITO[0 if kind == "journal" else 1])
        ax.set_yticks(range(len(sub)), labels[kind][::-1])
        for i, n in enumerate(sub["works"]):
            ax.text(n, i, f" {int(n)}", va="center", ha="left", fontsize=style.MIN_FONT_PT)
        ax.set_xlim(0, xmax * 1.15 + 0.3)
        ax.set_ylim(-0.6, len(sub) - 0.4)
        _integer_axis(ax.xaxis)
        ax.set_ylabel(names[kind])
        more = repeated[repeated["kind"] == kind].iloc[top:]
        ax.set_xlabel(_not_shown(kind, more, int(singles.get(kind, 0)), lang))
    return fig
