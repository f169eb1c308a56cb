"""Descriptive figures of the corpus (stage 01): works per year, source types, venues.

Each function takes the corpus DataFrame (``P/corpus.csv``) and returns a matplotlib
Figure sized for one journal column (85 mm wide), with labelled axes, integer count
ticks and the Okabe-Ito palette (colour-blind-safe; source types are also told apart by
hatching so the figures survive greyscale printing). Save them with
:func:`revalign.plotting.save.save_figure`.

Source types come from the ``sourcetype`` column (``unknown`` when blank), in the fixed
order :data:`SOURCETYPE_ORDER`, so colours mean the same in every figure.
"""

from __future__ import annotations

import pandas as pd

from revalign.plotting.style import OKABE_ITO

COLUMN_MM = 85.0
SOURCETYPE_ORDER = ["primary", "secondary", "review", "unknown"]
SOURCETYPE_LABELS = {
    "primary": "Primary (policy, reports)",
    "secondary": "Secondary (articles, chapters, news)",
    "review": "The review itself",
    "unknown": "Unknown",
}
SOURCETYPE_COLOURS = dict(zip(SOURCETYPE_ORDER, [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], "#999999"]))
SOURCETYPE_HATCH = {"primary": "", "secondary": "///", "review": "...", "unknown": "xx"}
DOC_TYPE_LABELS = {"webpage": "web page", "book chapter": "book chapter", "government document": "government doc."}


def _mm(mm: float) -> float:
    return mm / 25.4


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


def _stacked_bars(ax, table: pd.DataFrame, horizontal: bool) -> None:
    base = pd.Series(0, index=table.index, dtype=float)
    pos = range(len(table))
    for t in table.columns:
        vals = table[t].astype(float)
        style = dict(color=SOURCETYPE_COLOURS.get(t, "#999999"), hatch=SOURCETYPE_HATCH.get(t, ""), edgecolor="white", linewidth=0.5)
        if horizontal:
            ax.barh(list(pos), vals.to_numpy(), left=base.to_numpy(), height=0.7, **style)
        else:
            ax.bar(list(pos), vals.to_numpy(), bottom=base.to_numpy(), width=0.7, **style)
        base = base + vals


def works_per_year(corpus: pd.DataFrame):
    """Stacked bars: works per publication year, by source type (works without a year noted)."""
    import matplotlib.pyplot as plt

    types = _sourcetype(corpus)
    year = pd.to_numeric(corpus["year"], errors="coerce")
    known = year.notna()
    df = pd.DataFrame({"year": year[known].astype(int), "type": types[known]})
    fig, ax = plt.subplots(figsize=(_mm(COLUMN_MM), _mm(60)))
    if len(df):
        years = list(range(int(df["year"].min()), int(df["year"].max()) + 1))
        table = pd.crosstab(df["year"], df["type"]).reindex(index=years, fill_value=0)
        table = table[[t for t in _present(df["type"]) if t in table.columns]]
        _stacked_bars(ax, table, horizontal=False)
        step = 1 if len(years) <= 12 else (2 if len(years) <= 24 else 5)
        ticks = [i for i, y in enumerate(years) if (y - years[0]) % step == 0]
        ax.set_xticks(ticks, [str(years[i]) for i in ticks], rotation=90 if len(ticks) > 8 else 0)
        _legend(ax, list(table.columns), loc="upper left")
    _integer_axis(ax.yaxis)
    ax.set_xlabel("Publication year")
    ax.set_ylabel("Works")
    n_missing = int((~known).sum())
    if n_missing:
        ax.set_title(f"{n_missing} work{'s' if n_missing != 1 else ''} without a year not shown", fontsize=7, loc="right")
    fig.tight_layout()
    return fig


def source_types(corpus: pd.DataFrame):
    """Horizontal stacked bars: works per document type, split by source type."""
    import matplotlib.pyplot as plt

    types = _sourcetype(corpus)
    doc = corpus["doc_type"].astype("string").fillna("unknown") if "doc_type" in corpus.columns else pd.Series("unknown", index=corpus.index)
    table = pd.crosstab(doc.astype(str), types)
    table = table[[t for t in _present(types) if t in table.columns]]
    table = table.assign(_n=table.sum(axis=1)).sort_values(["_n"], ascending=True, kind="stable")
    table = table.loc[sorted(table.index, key=lambda d: (table.loc[d, "_n"], [-ord(c) for c in d]))].drop(columns="_n")
    fig, ax = plt.subplots(figsize=(_mm(COLUMN_MM), _mm(30 + 7 * len(table))))
    _stacked_bars(ax, table, horizontal=True)
    ax.set_yticks(range(len(table)), [DOC_TYPE_LABELS.get(d, d) for d in table.index])
    _integer_axis(ax.xaxis)
    ax.set_xlabel("Works")
    ax.set_ylabel("Document type")
    _legend(ax, list(table.columns), loc="lower left", bbox_to_anchor=(0.0, 1.0))
    fig.tight_layout()
    return fig


def venue_counts(corpus: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Works per venue (``source_title``), most frequent first, ties alphabetical; top *top*."""
    venue = corpus["source_title"].astype("string").str.strip()
    venue = venue[venue.notna() & (venue != "")]
    counts = venue.value_counts().rename_axis("venue").reset_index(name="works")
    counts["venue"] = counts["venue"].astype(str)
    counts = counts.sort_values(["works", "venue"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return counts.head(top)


def _wrap(text: str, width: int = 34, lines: int = 2) -> str:
    """At most *lines* lines of *width* characters; an ellipsis marks a cut."""
    import textwrap

    parts = textwrap.wrap(text, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "\u2026"
    return "\n".join(parts)


def venues(corpus: pd.DataFrame, top: int = 10):
    """Horizontal bars: the *top* venues (journals, book titles, publishing organisations)."""
    import matplotlib.pyplot as plt

    counts = venue_counts(corpus, top)
    fig, ax = plt.subplots(figsize=(_mm(COLUMN_MM), _mm(18 + 7.5 * max(len(counts), 1))))
    order = counts.iloc[::-1]
    ax.barh(range(len(order)), order["works"], height=0.7, color=OKABE_ITO[0])
    ax.set_yticks(range(len(order)), [_wrap(v) for v in order["venue"]], fontsize=6.5)
    _integer_axis(ax.xaxis)
    ax.set_xlabel("Works")
    ax.set_ylabel("Venue (journal, book or publisher)")
    fig.tight_layout()
    return fig
