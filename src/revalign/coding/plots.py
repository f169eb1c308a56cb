"""Figures of stage 03: coding matrices, the evidence map, triangulation, key statistics, the auto coder.

Every function returns a matplotlib Figure; the notebook saves it with
:func:`revalign.plotting.save.save_figure`. Labels come from the codebook in the run's
language; counts use a single-hue sequential scale, net polarity a diverging
vermillion-white-blue scale (Okabe-Ito ends, colour-blind-safe), and every cell is
annotated with its number so no reading depends on colour alone.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from revalign.plotting import style

SEQ_CMAP = "Blues"
DIVERGING = LinearSegmentedColormap.from_list(
    "revalign_polarity", [style.POLARITY_COLOURS["gap"], "#ffffff", style.POLARITY_COLOURS["strength"]]
)
NONE_LABEL = {"en": "none (no indicator)", "id": "tidak ada (tanpa indikator)"}


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _dim_labels(ids, codebook, lang: str, width: int = 28) -> list[str]:
    out = []
    for d in ids:
        if d == "none":
            out.append(_wrap(NONE_LABEL.get(lang, "none"), width))
            continue
        try:
            out.append(_wrap(codebook.label("component", d, lang), width))
        except KeyError:
            out.append(_wrap(d, width))
    return out


def _theme_labels(ids, codebook, lang: str) -> list[str]:
    return [_wrap(codebook.label("themes", t, lang), 24) for t in ids]


def _text_colour(rgba) -> str:
    r, g, b = to_rgb(rgba)
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 else "#ffffff"


def _annotated_heatmap(ax, values: np.ndarray, texts, cmap, vmin, vmax, xlabels, ylabels, cbar_label=None, fig=None):
    """Draw *values* (NaN = empty cell) with *texts* in each cell."""
    masked = np.ma.masked_invalid(values.astype(float))
    cm = plt.get_cmap(cmap) if isinstance(cmap, str) else cmap
    cm = cm.with_extremes(bad="#ffffff")
    im = ax.imshow(masked, cmap=cm, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(xlabels)), xlabels, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(ylabels)), ylabels)
    ax.set_xticks(np.arange(-0.5, len(xlabels)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(ylabels)), minor=True)
    ax.grid(which="minor", color="#d0d0d0", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            t = texts[i][j]
            if not t:
                continue
            colour = "#000000" if masked.mask is not np.ma.nomask and masked.mask[i, j] else _text_colour(im.cmap(im.norm(values[i, j])))
            ax.text(j, i, t, ha="center", va="center", fontsize=style.FONT_SIZE - 1, color=colour)
    if cbar_label and fig is not None:
        cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cb.set_label(cbar_label)
        cb.outline.set_visible(False)
    return im


def theme_dimension_heatmap(evidence: pd.DataFrame, synthesis: pd.DataFrame | None, codebook, lang: str = "en"):
    """Theme x dimension counts of cited-evidence segments; ``+k`` adds the review's own synthesis."""
    ev = evidence.to_numpy(dtype=float)
    syn = synthesis.reindex_like(evidence).fillna(0).to_numpy(dtype=int) if synthesis is not None else np.zeros_like(ev, dtype=int)
    texts = [
        [(f"{int(ev[i, j])}" if ev[i, j] else ("0" if syn[i, j] else "")) + (f" (+{syn[i, j]})" if syn[i, j] else "") for j in range(ev.shape[1])]
        for i in range(ev.shape[0])
    ]
    fig, ax = plt.subplots(figsize=(max(4.5, 0.55 * ev.shape[1] + 2.2), 0.55 * ev.shape[0] + 2.4))
    _annotated_heatmap(
        ax, ev, texts, SEQ_CMAP, 0, max(1, np.nanmax(ev)) if ev.size else 1,
        _dim_labels(evidence.columns, codebook, lang, 22), _theme_labels(evidence.index, codebook, lang),
        "cited-evidence segments", fig,
    )
    ax.set_xlabel("dimension" if lang == "en" else "dimensi")
    ax.set_ylabel("theme" if lang == "en" else "tema")
    ax.set_title("Coded segments by theme and dimension\n(in brackets: the review's own synthesis, not counted)" if lang == "en"
                 else "Segmen terkode per tema dan dimensi\n(dalam kurung: sintesis kajian sendiri, tidak dihitung)")
    return fig


def evidence_map_heatmap(net: pd.DataFrame, codebook, lang: str = "en", stance: pd.DataFrame | None = None, synthesis_keys=()):
    """Source x dimension: net polarity (strength - gap) of each source on each dimension.

    Empty cells: the source says nothing about the dimension. A ``±`` mark flags a source
    whose segments on a dimension disagree or are coded mixed (from *stance*). The colour
    range is set by the cited sources; rows of *synthesis_keys* (the review's own claims,
    labelled as such) may exceed it and then show the end colour, with their number.
    """
    vals = net.to_numpy(dtype=float)
    # colour range from the cited sources; the synthesis row (often much larger) saturates
    cited = vals[[k not in synthesis_keys for k in net.index]]
    ref = cited if np.isfinite(cited).any() else vals
    lim = max(1.0, float(np.nanmax(np.abs(ref)))) if np.isfinite(ref).any() else 1.0
    texts = []
    for i, key in enumerate(net.index):
        row = []
        for j, dim in enumerate(net.columns):
            v = vals[i, j]
            if math.isnan(v):
                row.append("")
                continue
            s = f"{int(v):+d}" if v else "0"
            if stance is not None and stance.loc[key, dim] == "mixed":
                s += "±" if v else ""
                s = "±" if not v else s
            row.append(s)
        texts.append(row)
    ylabels = [f"{k} (review's synthesis)" if k in synthesis_keys else k for k in net.index]
    fig, ax = plt.subplots(figsize=(max(5.0, 0.5 * net.shape[1] + 3.5), 0.24 * net.shape[0] + 2.6))
    _annotated_heatmap(
        ax, vals, texts, DIVERGING, -lim, lim, _dim_labels(net.columns, codebook, lang, 22), ylabels,
        "net polarity (strength − gap)" if lang == "en" else "polaritas bersih (kekuatan − kesenjangan)", fig,
    )
    ax.tick_params(axis="y", labelsize=style.FONT_SIZE - 2)
    ax.set_xlabel("dimension" if lang == "en" else "dimensi")
    ax.set_ylabel("source (citation key)" if lang == "en" else "sumber (kunci sitasi)")
    ax.set_title("Evidence map: which source supports (+) or contradicts (−) which dimension" if lang == "en"
                 else "Peta bukti: sumber yang mendukung (+) atau menyanggah (−) tiap dimensi")
    return fig


def sourcetype_heatmap(matrix: pd.DataFrame, codebook, lang: str = "en", value_label: str = "distinct sources"):
    """Source category x dimension: distinct sources (cited evidence only)."""
    vals = matrix.to_numpy(dtype=float)
    texts = [[str(int(v)) for v in row] for row in vals]
    fig, ax = plt.subplots(figsize=(max(4.5, 0.55 * matrix.shape[1] + 2.2), 0.5 * matrix.shape[0] + 2.4))
    _annotated_heatmap(
        ax, vals, texts, SEQ_CMAP, 0, max(1, vals.max() if vals.size else 1),
        _dim_labels(matrix.columns, codebook, lang, 22), list(matrix.index), value_label, fig,
    )
    ax.set_xlabel("dimension" if lang == "en" else "dimensi")
    ax.set_ylabel("source category" if lang == "en" else "kategori sumber")
    ax.set_title("Triangulation: sources of each category per dimension" if lang == "en"
                 else "Triangulasi: jumlah sumber per kategori dan dimensi")
    return fig


def confusion_heatmap(confusion: pd.DataFrame, codebook, lang: str = "en"):
    """Human dimension (rows) x automatic coder's dimension (columns), counts of segments."""
    conf = confusion.loc[confusion.sum(axis=1) > 0]
    conf = conf.loc[:, (conf.sum(axis=0) > 0) | conf.columns.isin(conf.index)]
    vals = conf.to_numpy(dtype=float)
    texts = [[str(int(v)) if v else "" for v in row] for row in vals]
    fig, ax = plt.subplots(figsize=(max(4.5, 0.55 * conf.shape[1] + 2.6), 0.45 * conf.shape[0] + 2.6))
    _annotated_heatmap(
        ax, vals, texts, SEQ_CMAP, 0, max(1, vals.max() if vals.size else 1),
        _dim_labels(conf.columns, codebook, lang, 22), _dim_labels(conf.index, codebook, lang, 26), "segments", fig,
    )
    for k, d in enumerate(conf.index):  # outline the diagonal (agreement) cells
        if d in list(conf.columns):
            j = list(conf.columns).index(d)
            ax.add_patch(plt.Rectangle((j - 0.5, k - 0.5), 1, 1, fill=False, edgecolor="#000000", linewidth=1.0))
    ax.set_xlabel("automatic coder" if lang == "en" else "pengode otomatis")
    ax.set_ylabel("human coder" if lang == "en" else "pengode manusia")
    ax.set_title("Automatic vs human coding of segments (outlined: agreement)" if lang == "en"
                 else "Pengodean otomatis vs manusia (bingkai: sepakat)")
    return fig


def dimension_year_heatmap(matrix: pd.DataFrame, codebook, lang: str = "en"):
    """Records per framework component and publication year (automatic coding of abstracts)."""
    vals = matrix.to_numpy(dtype=float)
    texts = [[str(int(v)) if v else "" for v in row] for row in vals]
    fig, ax = plt.subplots(figsize=(max(4.5, 0.45 * matrix.shape[1] + 3.0), 0.4 * matrix.shape[0] + 2.0))
    _annotated_heatmap(
        ax, vals, texts, SEQ_CMAP, 0, max(1, vals.max() if vals.size else 1),
        [str(c) for c in matrix.columns], _dim_labels(matrix.index, codebook, lang, 30), "records", fig,
    )
    ax.set_xlabel("publication year" if lang == "en" else "tahun terbit")
    ax.set_title("Framework components addressed by the screened literature (automatic coding)" if lang == "en"
                 else "Komponen kerangka yang dibahas literatur tersaring (pengodean otomatis)")
    return fig


# ---- key statistics --------------------------------------------------------------------------

def key_statistics_figure(stats: pd.DataFrame, source_labels: dict[str, str] | None = None, lang: str = "en"):
    """Horizontal bars of the statistics the paper quotes, one panel per unit, each bar
    labelled with its value and its source (citation key or a short author-year label)."""
    source_labels = source_labels or {}
    units = list(dict.fromkeys(stats["unit"].fillna("")))
    source_index = {k: i for i, k in enumerate(dict.fromkeys(stats["ref_key"]))}  # one colour per source
    heights = [max(1, (stats["unit"].fillna("") == u).sum()) for u in units]
    fig, axes = plt.subplots(len(units), 1, figsize=(6.3, 0.38 * sum(heights) + 1.0 * len(units) + 0.4),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, unit in zip(axes[:, 0], units):
        sub = stats[stats["unit"].fillna("") == unit].iloc[::-1]
        y = np.arange(len(sub))
        colours = [style.OKABE_ITO[source_index[k] % len(style.OKABE_ITO)] for k in sub["ref_key"]]
        ax.barh(y, sub["value"], color=colours, height=0.65)
        ax.set_yticks(y, [_wrap(t, 45) for t in sub["label"]])
        vmax = float(sub["value"].max()) if len(sub) else 1.0
        for yi, (v, k) in enumerate(zip(sub["value"], sub["ref_key"])):
            num = f"{v:g}{'%' if unit in ('%', 'percent') else ''}"
            num = ("≈" + num) if bool(sub["approximate"].iloc[yi]) else num
            ax.text(v + vmax * 0.01, yi, f"{num}  [{source_labels.get(k, k)}]", va="center", fontsize=style.FONT_SIZE - 2)
        ax.set_xlim(0, vmax * 1.45)
        ax.set_xlabel(unit if unit not in ("", "count") else ("count" if lang == "en" else "jumlah"))
        if unit in ("%", "percent"):
            ax.set_xlim(0, 100 * 1.45)
            ax.set_xticks(range(0, 101, 20))
    axes[0, 0].set_title("Statistics quoted by the review, with their sources (≈: approximate in the text)" if lang == "en"
                         else "Statistik yang dikutip kajian, beserta sumbernya (≈: perkiraan)")
    fig.tight_layout()
    return fig
