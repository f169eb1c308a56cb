"""Figures of stage 03: coding matrices, the evidence map, triangulation, key statistics, the auto coder.

Every function returns a matplotlib Figure sized for a journal column (85 or 175 mm) and
drawn with seaborn; the notebook saves it with :func:`revalign.plotting.save.save_figure`.
Labels come from the codebook in the run's language; counts use one sequential scale with
the number written in each cell; the evidence map uses the polarity colours
(strength / mixed / gap, colour-blind-safe) with a legend for each colour. A matrix with
nothing in it becomes a figure that says so in words.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from revalign.bibliography.doctypes import category_heading
from revalign.core.codebook import GAP, MIXED, STRENGTH
from revalign.core.i18n import N_, messages
from revalign.plotting import style
from revalign.plotting.heatmap import STANCES, annotated_heatmap, stance_heatmap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from revalign.core.codebook import Codebook

NONE_LABEL = N_("none (no indicator)")
EXCLUDED_MARK = "\u2020"  # dagger: a cited work that screening excluded


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _dim_labels(ids, codebook, lang: str, width: int = 28) -> list[str]:
    out = []
    for d in ids:
        if d == "none":
            out.append(_wrap(messages(lang)(NONE_LABEL), width))
            continue
        try:
            out.append(_wrap(codebook.label("component", d, lang), width))
        except KeyError:
            out.append(_wrap(d, width))
    return out


def _theme_labels(ids, codebook, lang: str) -> list[str]:
    out = []
    for t in ids:
        try:
            out.append(_wrap(codebook.label("themes", t, lang), 26))
        except KeyError:
            out.append(_wrap(t, 26))
    return out


def _height(n_rows: int, row_mm: float, extra_mm: float) -> float:
    return max(40.0, n_rows * row_mm + extra_mm)


def _count_heatmap(counts: pd.DataFrame, height_mm: float, cbar_label: str, xlabels, ylabels, zero_blank=True, **kw):
    """Figure and axes of a heatmap of counts from 0 to the largest; with ``zero_blank`` a zero
    cell is left empty (no colour, no number), otherwise it shows 0."""
    vals = counts.astype(float)
    texts = vals.map(lambda v: str(int(v)) if (v or not zero_blank) else "")
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("double", height_mm))
    annotated_heatmap(
        ax,
        vals.where(vals > 0) if zero_blank else vals,
        texts,
        vmin=0,
        vmax=max(1.0, float(vals.to_numpy().max())),
        cbar_label=cbar_label,
        xlabels=xlabels,
        ylabels=ylabels,
        **kw,
    )
    return fig, ax


def theme_dimension_heatmap(
    evidence: pd.DataFrame, synthesis: pd.DataFrame | None, codebook: Codebook, lang: str = "en"
) -> Figure:
    """Theme x dimension counts of cited-evidence segments; ``(+k)`` adds the review's own synthesis."""
    style.apply()
    if evidence.size == 0:
        return style.no_data_figure(
            messages(lang).gettext("No coded segments: there is no theme by dimension matrix to draw.")
        )
    ev = evidence.astype(float)
    syn = synthesis.reindex_like(evidence).fillna(0).astype(int) if synthesis is not None else ev * 0
    texts = ev.copy().astype(object)
    ev_n, syn_n = ev.to_numpy(), syn.to_numpy()
    for i in range(ev.shape[0]):
        for j in range(ev.shape[1]):
            e, k = int(ev_n[i, j]), int(syn_n[i, j])
            texts.iat[i, j] = (str(e) if (e or k) else "") + (f"\n(+{k})" if k else "")
    has_syn = bool(syn.to_numpy().sum())
    fig, ax = plt.subplots(
        layout="constrained", figsize=style.figsize("double", _height(len(ev), 9 if has_syn else 7, 55))
    )
    annotated_heatmap(
        ax,
        ev.where(ev > 0),
        texts,
        vmin=0,
        vmax=max(1.0, float(ev.to_numpy().max())),
        cbar_label=messages(lang).gettext("segments citing a source"),
        xlabels=_dim_labels(evidence.columns, codebook, lang, 20),
        ylabels=_theme_labels(evidence.index, codebook, lang),
    )
    ax.set_xlabel(messages(lang).gettext("Dimension of the framework"))
    ax.set_ylabel(messages(lang).gettext("Theme"))
    title = messages(lang).gettext("Coded segments by theme and dimension")
    if has_syn:
        title += messages(lang).gettext("\n(+k): segments of the review's own synthesis, not counted in the colour")
    style.title(fig, title)
    return fig


def _row_labels(keys, source_labels: Mapping[str, str] | None) -> list[str]:
    source_labels = source_labels or {}
    labels = [source_labels.get(k, k) for k in keys]
    counts = pd.Series(labels).value_counts()
    return [f"{lab} [{k}]" if counts[lab] > 1 else lab for lab, k in zip(labels, keys, strict=False)]


def _evidence_map_grid(emap: pd.DataFrame, codebook, synthesis_keys):
    """(stance codes, segment counts as text, dimensions, cited sources, synthesis keys) of the map.

    Rows: the cited sources, then the review's own synthesis keys; columns: the codebook's
    dimensions in its order, then any others alphabetically.
    """
    em = emap.copy()
    em["n"] = em[["n_strength", "n_gap", "n_mixed"]].astype(int).sum(axis=1)
    dims = [d for d in codebook.component_ids if d in set(em["dimension"])] + sorted(
        set(em["dimension"]) - set(codebook.component_ids)
    )
    syn = set(synthesis_keys) & set(em["ref_key"])
    cited = sorted(set(em["ref_key"]) - syn)
    rows = cited + sorted(syn)
    code = {s: i for i, s in enumerate(STANCES)}
    values = em.pivot(index="ref_key", columns="dimension", values="stance").reindex(index=rows, columns=dims)
    values = values.map(lambda s: code.get(s, np.nan) if isinstance(s, str) else np.nan).astype(float)
    texts = em.pivot(index="ref_key", columns="dimension", values="n").reindex(index=rows, columns=dims)
    texts = texts.map(lambda v: "" if pd.isna(v) else str(int(v)))
    return values, texts, dims, cited, syn


def _put_column_labels_on_top(ax) -> None:
    """Column labels above the map, slanted to the right."""
    ax.xaxis.tick_top()
    for lab in ax.get_xticklabels():
        lab.set_rotation(45)
        lab.set_horizontalalignment("left")
        lab.set_rotation_mode("anchor")


def _evidence_map_legend(ax, lang: str) -> None:
    """One legend entry per stance colour and one for the empty cell, below the map."""
    names = {
        STRENGTH: messages(lang).gettext("only strengths (supports the dimension)"),
        MIXED: messages(lang).gettext("strengths and gaps, or mixed"),
        GAP: messages(lang).gettext("only gaps (points to a gap)"),
    }
    handles = [Patch(facecolor=style.POLARITY_COLOURS[s], edgecolor=style.GRID, label=names[s]) for s in STANCES]
    handles.append(
        Patch(
            facecolor="#ffffff",
            edgecolor=style.GRID,
            label=messages(lang).gettext("empty: the source says nothing on it"),
        )
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=2,
        frameon=False,
        title=messages(lang).gettext("Colour: what the source's segments say; number: coded segments"),
    )


def evidence_map_heatmap(
    emap: pd.DataFrame,
    codebook: Codebook,
    lang: str = "en",
    synthesis_keys: Iterable[str] = (),
    source_labels: Mapping[str, str] | None = None,
) -> Figure:
    """Source x dimension: does the source support the dimension, point to a gap, or both?

    *emap*: the long evidence map (:func:`revalign.coding.matrices.evidence_map`: ``ref_key,
    dimension, n_strength, n_gap, n_mixed, stance``). Cell colour: the stance (only strengths,
    strengths and gaps or mixed, only gaps); cell number: coded segments. Empty cell: the source
    says nothing about the dimension. Rows of *synthesis_keys* (the review's own claims) form a
    second block, labelled as such, only when there are any. A work marked
    ``excluded_at_screening`` gets a dagger after its name, explained under the map.
    """
    style.apply()
    if emap.empty:
        return style.no_data_figure(
            messages(lang).gettext("No coded segments: there is no evidence map to draw."),
            width="double",
        )
    values, texts, dims, cited, syn = _evidence_map_grid(emap, codebook, synthesis_keys)
    excluded = (
        set(emap.loc[emap["excluded_at_screening"].astype(bool), "ref_key"])
        if "excluded_at_screening" in emap
        else set()
    )
    marked = [
        f"{lab} {EXCLUDED_MARK}" if k in excluded else lab
        for k, lab in zip(cited, _row_labels(cited, source_labels), strict=True)
    ]
    labels = marked + [
        messages(lang).gettext("The review's own synthesis") + (f" [{k}]" if len(syn) > 1 else "") for k in sorted(syn)
    ]
    height = _height(len(values.index), 3.6, 62)
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("double", height))
    stance_heatmap(ax, values, texts, xlabels=_dim_labels(dims, codebook, lang, 200), ylabels=labels)
    if syn:
        ax.axhline(len(cited), color="#000000", linewidth=1.2)
    ax.set_xlabel("")
    ax.set_ylabel(messages(lang).gettext("Source (first author, year)"))
    _put_column_labels_on_top(ax)
    _evidence_map_legend(ax, lang)
    if excluded & set(cited):
        n = len(excluded & set(cited))
        note = messages(lang).ngettext(
            "{mark} excluded at screening ({n} work): still counted as evidence",
            "{mark} excluded at screening ({n} works): still counted as evidence",
            n,
        )
        style.note(fig, note.format(mark=EXCLUDED_MARK, n=n))
    style.title(
        fig,
        messages(lang).gettext("Evidence map: what each source says about each dimension"),
    )
    return fig


def sourcetype_heatmap(matrix: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Figure:
    """Source category x dimension: the number of distinct cited sources (triangulation).

    A dimension backed by sources of one category only rests on one kind of evidence.
    """
    style.apply()
    if matrix.size == 0 or int(matrix.to_numpy().sum()) == 0:
        return style.no_data_figure(
            messages(lang).gettext("No cited source has a source category: there is nothing to triangulate.")
        )
    fig, ax = _count_heatmap(
        matrix,
        _height(len(matrix), 8, 58),
        messages(lang).gettext("distinct cited sources"),
        xlabels=_dim_labels(matrix.columns, codebook, lang, 20),
        ylabels=[category_heading(c, lang) for c in matrix.index],
        zero_blank=False,
    )
    ax.set_xlabel(messages(lang).gettext("Dimension of the framework"))
    ax.set_ylabel(messages(lang).gettext("Source category"))
    style.title(
        fig,
        messages(lang).gettext("Triangulation: distinct cited sources of each category per dimension"),
    )
    return fig


def confusion_heatmap(confusion: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Figure:
    """Human dimension (rows) x automatic coder's dimension (columns), counts of segments."""
    style.apply()
    conf = confusion.loc[confusion.sum(axis=1) > 0]
    conf = conf.loc[:, (conf.sum(axis=0) > 0) | conf.columns.isin(conf.index)]
    if conf.size == 0:
        return style.no_data_figure(
            messages(lang).gettext("No segments to compare: the automatic coder was not run on any segment.")
        )
    fig, ax = _count_heatmap(
        conf,
        _height(len(conf), 7, 62),
        messages(lang).gettext("segments"),
        xlabels=_dim_labels(conf.columns, codebook, lang, 20),
        ylabels=_dim_labels(conf.index, codebook, lang, 30),
    )
    cols = list(conf.columns)
    for k, d in enumerate(conf.index):  # outline the diagonal (agreement) cells
        if d in cols:
            ax.add_patch(plt.Rectangle((cols.index(d), k), 1, 1, fill=False, edgecolor="#000000", linewidth=1.0))
    ax.set_xlabel(messages(lang).gettext("Dimension given by the keyword matcher (indicator terms)"))
    ax.set_ylabel(messages(lang).gettext("Dimension given by the human coder"))
    style.title(
        fig,
        messages(lang).gettext(
            "Vocabulary check: the codebook's indicator terms against the human coding (outlined cells: both agree)"
        ),
    )
    return fig


def dimension_year_heatmap(matrix: pd.DataFrame, codebook: Codebook, lang: str = "en") -> Figure:
    """Records per framework component and publication year (automatic coding of abstracts)."""
    style.apply()
    if matrix.size == 0:
        return style.no_data_figure(messages(lang).gettext("No screened record has an abstract to code."))
    fig, ax = _count_heatmap(
        matrix,
        _height(len(matrix), 6.5, 45),
        messages(lang).gettext("records"),
        xlabels=[str(c) for c in matrix.columns],
        ylabels=_dim_labels(matrix.index, codebook, lang, 30),
        rotate_x=False,
    )
    ax.set_xlabel(messages(lang).gettext("Publication year"))
    ax.set_ylabel("")
    style.title(
        fig,
        messages(lang).gettext(
            "Framework components addressed by the screened literature (automatic coding of abstracts)"
        ),
    )
    return fig


# ---- key statistics (read by revalign.coding.key_statistics) --------------------------------


def key_statistics_figure(
    stats: pd.DataFrame, source_labels: Mapping[str, str] | None = None, lang: str = "en"
) -> Figure:
    """Horizontal bars of the statistics the paper quotes, one panel per unit, each bar
    labelled with its value and its source (citation key or a short author-year label)."""
    style.apply()
    source_labels = source_labels or {}
    if stats.empty:
        return style.no_data_figure(messages(lang).gettext("The key-statistics file has no rows."))
    units = list(dict.fromkeys(stats["unit"].fillna("")))
    source_index = {k: i for i, k in enumerate(dict.fromkeys(stats["ref_key"]))}  # one colour per source
    heights = [max(1, (stats["unit"].fillna("") == u).sum()) for u in units]
    fig, axes = plt.subplots(
        len(units),
        1,
        layout="constrained",
        figsize=style.figsize("double", 9.5 * sum(heights) + 22 * len(units) + 10),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, unit in zip(axes[:, 0], units, strict=False):
        sub = stats[stats["unit"].fillna("") == unit].iloc[::-1]
        y = np.arange(len(sub))
        colours = [style.OKABE_ITO[source_index[k] % len(style.OKABE_ITO)] for k in sub["ref_key"]]
        ax.barh(y, sub["value"], color=colours, height=0.65)
        ax.set_yticks(y, [_wrap(t, 50) for t in sub["label"]])
        vmax = float(sub["value"].max()) if len(sub) else 1.0
        for yi, (v, k) in enumerate(zip(sub["value"], sub["ref_key"], strict=False)):
            num = f"{v:g}{'%' if unit in ('%', 'percent') else ''}"
            num = ("≈" + num) if bool(sub["approximate"].iloc[yi]) else num
            ax.text(v + vmax * 0.01, yi, f"{num}  [{source_labels.get(k, k)}]", va="center", fontsize=style.MIN_FONT_PT)
        ax.set_xlim(0, vmax * 1.45)
        ax.set_xlabel(unit if unit not in ("", "count") else messages(lang).gettext("count"))
        if unit in ("%", "percent"):
            ax.set_xlim(0, 100 * 1.45)
            ax.set_xticks(range(0, 101, 20))
    style.title(
        fig,
        messages(lang).gettext("Statistics quoted by the review, with their sources (≈: approximate in the text)"),
    )
    return fig
