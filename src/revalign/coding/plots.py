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

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns  # noqa: F401  (the heatmaps are seaborn's, through plotting.heatmap)
from matplotlib.patches import Patch

from revalign.plotting import style
from revalign.plotting.heatmap import STANCES, annotated_heatmap, stance_heatmap

NONE_LABEL = {"en": "none (no indicator)", "id": "tidak ada (tanpa indikator)"}
# Readable names of the default source categories (others are shown as written, "_" as spaces).
CATEGORY_LABELS = {
    "en": {
        "policy": "Policy documents",
        "report": "Reports",
        "academic": "Academic works",
        "media": "Media and web",
        "unknown": "Unknown category",
    },
    "id": {
        "policy": "Dokumen kebijakan",
        "report": "Laporan",
        "academic": "Karya akademik",
        "media": "Media dan web",
        "unknown": "Kategori tidak diketahui",
    },
}


def _t(lang: str, en: str, id_: str) -> str:
    return id_ if lang == "id" else en


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
    out = []
    for t in ids:
        try:
            out.append(_wrap(codebook.label("themes", t, lang), 26))
        except KeyError:
            out.append(_wrap(t, 26))
    return out


def category_label(category: str, lang: str = "en") -> str:
    """A readable name for a source category id (``policy`` -> "Policy documents")."""
    labels = CATEGORY_LABELS.get(lang, CATEGORY_LABELS["en"])
    return labels.get(category, str(category).replace("_", " ").capitalize())


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


def theme_dimension_heatmap(evidence: pd.DataFrame, synthesis: pd.DataFrame | None, codebook, lang: str = "en"):
    """Theme x dimension counts of cited-evidence segments; ``(+k)`` adds the review's own synthesis."""
    style.apply()
    if evidence.size == 0:
        return style.no_data_figure(
            _t(
                lang,
                "No coded segments: there is no theme by dimension matrix to draw.",
                "Tidak ada segmen terkode: matriks tema per dimensi tidak dapat digambar.",
            )
        )
    ev = evidence.astype(float)
    syn = synthesis.reindex_like(evidence).fillna(0).astype(int) if synthesis is not None else ev * 0
    texts = ev.copy().astype(object)
    for i in range(ev.shape[0]):
        for j in range(ev.shape[1]):
            e, k = int(ev.iat[i, j]), int(syn.iat[i, j])
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
        cbar_label=_t(lang, "segments citing a source", "segmen yang mengutip sumber"),
        xlabels=_dim_labels(evidence.columns, codebook, lang, 20),
        ylabels=_theme_labels(evidence.index, codebook, lang),
    )
    ax.set_xlabel(_t(lang, "Dimension of the framework", "Dimensi kerangka"))
    ax.set_ylabel(_t(lang, "Theme", "Tema"))
    title = _t(lang, "Coded segments by theme and dimension", "Segmen terkode per tema dan dimensi")
    if has_syn:
        title += _t(
            lang,
            "\n(+k): segments of the review's own synthesis, not counted in the colour",
            "\n(+k): segmen sintesis kajian sendiri, tidak dihitung dalam warna",
        )
    style.title(fig, title)
    return fig


def _row_labels(keys, source_labels: dict[str, str] | None) -> list[str]:
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
        "strength": _t(lang, "only strengths (supports the dimension)", "hanya kekuatan (mendukung dimensi)"),
        "mixed": _t(lang, "strengths and gaps, or mixed", "kekuatan dan kesenjangan, atau campuran"),
        "gap": _t(lang, "only gaps (points to a gap)", "hanya kesenjangan (menunjukkan kesenjangan)"),
    }
    handles = [Patch(facecolor=style.POLARITY_COLOURS[s], edgecolor=style.GRID, label=names[s]) for s in STANCES]
    handles.append(
        Patch(
            facecolor="#ffffff",
            edgecolor=style.GRID,
            label=_t(lang, "empty: the source says nothing on it", "kosong: sumber tidak membahasnya"),
        )
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=2,
        frameon=False,
        title=_t(
            lang,
            "Colour: what the source's segments say; number: coded segments",
            "Warna: isi segmen sumber; angka: jumlah segmen terkode",
        ),
    )


def evidence_map_heatmap(emap: pd.DataFrame, codebook, lang: str = "en", synthesis_keys=(), source_labels=None):
    """Source x dimension: does the source support the dimension, point to a gap, or both?

    *emap*: the long evidence map (:func:`revalign.coding.matrices.evidence_map`: ``ref_key,
    dimension, n_strength, n_gap, n_mixed, stance``). Cell colour: the stance (only strengths,
    strengths and gaps or mixed, only gaps); cell number: coded segments. Empty cell: the source
    says nothing about the dimension. Rows of *synthesis_keys* (the review's own claims) form a
    second block, labelled as such, only when there are any.
    """
    style.apply()
    if emap.empty:
        return style.no_data_figure(
            _t(
                lang,
                "No coded segments: there is no evidence map to draw.",
                "Tidak ada segmen terkode: peta bukti tidak dapat digambar.",
            ),
            width="double",
        )
    values, texts, dims, cited, syn = _evidence_map_grid(emap, codebook, synthesis_keys)
    labels = _row_labels(cited, source_labels) + [
        _t(lang, "The review's own synthesis", "Sintesis kajian sendiri") + (f" [{k}]" if len(syn) > 1 else "")
        for k in sorted(syn)
    ]
    height = _height(len(values.index), 3.6, 62)
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("double", height))
    stance_heatmap(ax, values, texts, xlabels=_dim_labels(dims, codebook, lang, 200), ylabels=labels)
    if syn:
        ax.axhline(len(cited), color="#000000", linewidth=1.2)
    ax.set_xlabel("")
    ax.set_ylabel(_t(lang, "Source (first author, year)", "Sumber (penulis pertama, tahun)"))
    _put_column_labels_on_top(ax)
    _evidence_map_legend(ax, lang)
    style.title(
        fig,
        _t(
            lang,
            "Evidence map: what each source says about each dimension",
            "Peta bukti: apa kata setiap sumber tentang setiap dimensi",
        ),
    )
    return fig


def sourcetype_heatmap(matrix: pd.DataFrame, codebook, lang: str = "en"):
    """Source category x dimension: the number of distinct cited sources (triangulation).

    A dimension backed by sources of one category only rests on one kind of evidence.
    """
    style.apply()
    if matrix.size == 0 or int(matrix.to_numpy().sum()) == 0:
        return style.no_data_figure(
            _t(
                lang,
                "No cited source has a source category: there is nothing to triangulate.",
                "Tidak ada sumber dengan kategori: tidak ada yang dapat ditriangulasi.",
            )
        )
    fig, ax = _count_heatmap(
        matrix,
        _height(len(matrix), 8, 58),
        _t(lang, "distinct cited sources", "sumber berbeda yang dikutip"),
        xlabels=_dim_labels(matrix.columns, codebook, lang, 20),
        ylabels=[category_label(c, lang) for c in matrix.index],
        zero_blank=False,
    )
    ax.set_xlabel(_t(lang, "Dimension of the framework", "Dimensi kerangka"))
    ax.set_ylabel(_t(lang, "Source category", "Kategori sumber"))
    style.title(
        fig,
        _t(
            lang,
            "Triangulation: distinct cited sources of each category per dimension",
            "Triangulasi: jumlah sumber berbeda per kategori dan dimensi",
        ),
    )
    return fig


def confusion_heatmap(confusion: pd.DataFrame, codebook, lang: str = "en"):
    """Human dimension (rows) x automatic coder's dimension (columns), counts of segments."""
    style.apply()
    conf = confusion.loc[confusion.sum(axis=1) > 0]
    conf = conf.loc[:, (conf.sum(axis=0) > 0) | conf.columns.isin(conf.index)]
    if conf.size == 0:
        return style.no_data_figure(
            _t(
                lang,
                "No segments to compare: the automatic coder was not run on any segment.",
                "Tidak ada segmen untuk dibandingkan.",
            )
        )
    fig, ax = _count_heatmap(
        conf,
        _height(len(conf), 7, 62),
        _t(lang, "segments", "segmen"),
        xlabels=_dim_labels(conf.columns, codebook, lang, 20),
        ylabels=_dim_labels(conf.index, codebook, lang, 30),
    )
    cols = list(conf.columns)
    for k, d in enumerate(conf.index):  # outline the diagonal (agreement) cells
        if d in cols:
            ax.add_patch(plt.Rectangle((cols.index(d), k), 1, 1, fill=False, edgecolor="#000000", linewidth=1.0))
    ax.set_xlabel(
        _t(lang, "Dimension given by the keyword matcher (indicator terms)", "Dimensi menurut pencocok kata kunci")
    )
    ax.set_ylabel(_t(lang, "Dimension given by the human coder", "Dimensi menurut pengode manusia"))
    style.title(
        fig,
        _t(
            lang,
            "Vocabulary check: the codebook's indicator terms against the human coding (outlined cells: both agree)",
            "Pemeriksaan kosakata: istilah indikator buku kode terhadap pengodean manusia (sel berbingkai: sepakat)",
        ),
    )
    return fig


def dimension_year_heatmap(matrix: pd.DataFrame, codebook, lang: str = "en"):
    """Records per framework component and publication year (automatic coding of abstracts)."""
    style.apply()
    if matrix.size == 0:
        return style.no_data_figure(
            _t(lang, "No screened record has an abstract to code.", "Tidak ada abstrak untuk dikodekan.")
        )
    fig, ax = _count_heatmap(
        matrix,
        _height(len(matrix), 6.5, 45),
        _t(lang, "records", "rekaman"),
        xlabels=[str(c) for c in matrix.columns],
        ylabels=_dim_labels(matrix.index, codebook, lang, 30),
        rotate_x=False,
    )
    ax.set_xlabel(_t(lang, "Publication year", "Tahun terbit"))
    ax.set_ylabel("")
    style.title(
        fig,
        _t(
            lang,
            "Framework components addressed by the screened literature (automatic coding of abstracts)",
            "Komponen kerangka yang dibahas literatur tersaring (pengodean otomatis abstrak)",
        ),
    )
    return fig


# ---- key statistics (read by revalign.coding.key_statistics) --------------------------------


def key_statistics_figure(stats: pd.DataFrame, source_labels: dict[str, str] | None = None, lang: str = "en"):
    """Horizontal bars of the statistics the paper quotes, one panel per unit, each bar
    labelled with its value and its source (citation key or a short author-year label)."""
    style.apply()
    source_labels = source_labels or {}
    if stats.empty:
        return style.no_data_figure(
            _t(lang, "The key-statistics file has no rows.", "Berkas statistik utama tidak berisi baris.")
        )
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
        ax.set_xlabel(unit if unit not in ("", "count") else ("count" if lang == "en" else "jumlah"))
        if unit in ("%", "percent"):
            ax.set_xlim(0, 100 * 1.45)
            ax.set_xticks(range(0, 101, 20))
    style.title(
        fig,
        _t(
            lang,
            "Statistics quoted by the review, with their sources (≈: approximate in the text)",
            "Statistik yang dikutip kajian, beserta sumbernya (≈: perkiraan)",
        ),
    )
    return fig
