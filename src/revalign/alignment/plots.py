"""Figures of stage 04: alignment heatmap, coverage heatmap, evidence gap map, sensitivity.

Drawn with seaborn in the shared theme and sized for a journal column. Levels use the
shared ordinal scale (``style.LEVEL_COLOURS``), evidence counts a neutral grey scale (so
they are never read as levels), polarity the colour-blind-safe polarity colours; every
cell carries its number or label, so nothing depends on reading a colour. Saved with
:func:`revalign.plotting.save.save_figure` (PNG + SVG).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from revalign.alignment.rule import NO_COUNTERPART, NO_EVIDENCE, split_synthesis
from revalign.core.i18n import pick
from revalign.plotting import style
from revalign.plotting.heatmap import STANCES, annotated_heatmap, stance_heatmap

TEXT = {
    "en": {
        "level": "Level",
        "s_practice": "Strength,\npractice",
        "s_concept": "Strength,\nconcept",
        "g_practice": "Gap,\npractice",
        "g_concept": "Gap,\nconcept",
        "mixed": "Mixed",
        "sources": "Sources",
        "strength": "Strength",
        "gap": "Gap",
        "segments": "segments",
        "not_addressed": "not addressed",
        "share": "Share of parameter settings",
        "source": "Source (first author, year)",
        "dimension": "Dimension",
        "no_evidence": "No coded evidence",
        "no_counterpart": "No counterpart",
        "component": "Component",
        "cited": "Counts: coded segments of cited sources; Sources: distinct cited sources",
        "counts_note": "claims of cited sources, by polarity and part (facet)",
        "level_note": "p: bootstrap probability\nof the level",
        "sources_note": "distinct\ncited sources",
        "title_alignment": "Alignment level of each dimension and the evidence behind it",
        "title_coverage": "Coverage of the framework by the coded evidence",
        "title_gap": "Evidence gap map: what each source says about each dimension",
        "title_sens": "Robustness of the levels to the rule's parameters",
        "no_dims": "No dimension has coded evidence, so there is nothing to map.",
    },
    "id": {
        "level": "Tingkat",
        "s_practice": "Kekuatan,\npraktik",
        "s_concept": "Kekuatan,\nkonsep",
        "g_practice": "Kesenjangan,\npraktik",
        "g_concept": "Kesenjangan,\nkonsep",
        "mixed": "Campuran",
        "sources": "Sumber",
        "strength": "Kekuatan",
        "gap": "Kesenjangan",
        "segments": "segmen",
        "not_addressed": "tidak dibahas",
        "share": "Proporsi setelan parameter",
        "source": "Sumber (penulis pertama, tahun)",
        "dimension": "Dimensi",
        "no_evidence": "Tidak ada bukti terkode",
        "no_counterpart": "Tidak ada padanan",
        "component": "Komponen",
        "cited": "Jumlah: segmen terkode dari sumber yang dikutip; Sumber: sumber berbeda",
        "counts_note": "klaim dari sumber yang dikutip, per polaritas dan bagian (aspek)",
        "level_note": "p: peluang bootstrap\ntingkat",
        "sources_note": "sumber berbeda\nyang dikutip",
        "title_alignment": "Tingkat keselarasan setiap dimensi dan bukti di baliknya",
        "title_coverage": "Cakupan kerangka oleh bukti terkode",
        "title_gap": "Peta kesenjangan bukti: apa kata setiap sumber tentang setiap dimensi",
        "title_sens": "Ketahanan tingkat terhadap parameter aturan",
        "no_dims": "Tidak ada dimensi dengan bukti terkode, sehingga tidak ada yang dipetakan.",
    },
}
COUNT_CMAP = "Greys"
WHITE = ListedColormap(["#ffffff"])


def _tx(lang: str) -> dict:
    return TEXT.get(lang, TEXT["en"])


def _level_legend(ax, cb, lang, loc="upper center", bbox=(0.5, -0.02), extra=(), ncol=2):
    levels = cb.levels_by_rank()
    handles = [
        Patch(
            facecolor=style.level_colour(lv.rank, len(levels))[0],
            edgecolor=style.GRID,
            label=getattr(lv.label, lang, lv.label.en),
        )
        for lv in levels
    ]
    handles += list(extra)
    return ax.legend(
        handles=handles,
        loc=loc,
        bbox_to_anchor=bbox,
        ncol=ncol,
        frameon=False,
        alignment="left",
        title={"en": "Level (weakest to strongest)", "id": "Tingkat (terlemah ke terkuat)"}.get(lang),
    )


def _wrap_label(text: str, width: int = 30) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


# the evidence-count columns of the alignment heatmap: (label key, table column)
_COUNT_COLUMNS = [
    ("s_practice", "n_strength_practice"),
    ("s_concept", "n_strength_concept"),
    ("g_practice", "n_gap_practice"),
    ("g_concept", "n_gap_concept"),
    ("mixed", "n_mixed"),
]


def _level_texts(table: pd.DataFrame, ranks: pd.Series, t: dict) -> list[str]:
    """The text of each level cell: the level's label and its bootstrap probability, or why there is none."""
    level_text = []
    for (_, row), rank in zip(table.iterrows(), ranks, strict=False):
        if pd.isna(rank):
            level_text.append(t["no_counterpart"] if row["level"] == NO_COUNTERPART else t["no_evidence"])
        else:
            text = _wrap_label(row["level_label"], 16)
            prob = pd.to_numeric(pd.Series([row.get("level_probability")]), errors="coerce").iloc[0]
            if not pd.isna(prob):  # bootstrap probability of the level (docs/protocol.md section 5)
                text += f"\n(p = {float(prob):.2f})"
            level_text.append(text)
    return level_text


def _draw_level_column(ax, table: pd.DataFrame, t: dict, n_levels: int) -> None:
    """The level column, coloured by rank, with the dimension labels on the left."""
    ranks = pd.to_numeric(table["level_rank"], errors="coerce")
    level_text = _level_texts(table, ranks, t)
    cmap = ListedColormap([style.level_colour(r, n_levels)[0] for r in range(n_levels)])
    lv = pd.DataFrame({t["level"]: ranks.to_numpy()}, index=range(len(table)))
    annotated_heatmap(
        ax,
        lv,
        pd.DataFrame({t["level"]: level_text}),
        cmap=cmap,
        vmin=-0.5,
        vmax=n_levels - 0.5,
        xlabels=[t["level"]],
        ylabels=[_wrap_label(x, 26) for x in table["dimension_label"]],
        rotate_x=False,
    )


def _draw_count_columns(ax, table: pd.DataFrame, t: dict) -> None:
    """The evidence counts by polarity and facet, on the count colour scale."""
    counts = pd.DataFrame({t[k]: table[c].astype(int).to_numpy() for k, c in _COUNT_COLUMNS})
    annotated_heatmap(
        ax,
        counts,
        counts.astype(str),
        cmap=COUNT_CMAP,
        vmin=0,
        vmax=max(1, int(counts.to_numpy().max())) * 1.4,
        xlabels=[t[k] for k, _ in _COUNT_COLUMNS],
        ylabels=[""] * len(table),
        rotate_x=False,
    )


def _draw_source_column(ax, table: pd.DataFrame, t: dict) -> None:
    """The number of sources, on white."""
    n = len(table)
    src = pd.DataFrame({t["sources"]: table["n_sources"].astype(int).to_numpy()})
    annotated_heatmap(
        ax, src, src.astype(str), cmap=WHITE, vmin=0, vmax=1, xlabels=[t["sources"]], ylabels=[""] * n, rotate_x=False
    )


def _label_alignment_axes(ax_l, ax_c, ax_s, table: pd.DataFrame, t: dict) -> None:
    """Column labels on top, a note under each block, dimension labels only on the level column."""
    for ax in (ax_l, ax_c, ax_s):
        ax.xaxis.tick_top()
        ax.set_ylabel("")
    ax_l.set_xlabel(
        t["level_note"] if "level_probability" in table.columns and table["level_probability"].notna().any() else "",
        fontsize=style.MIN_FONT_PT,
    )
    ax_c.set_xlabel(t["counts_note"], fontsize=style.MIN_FONT_PT)
    ax_s.set_xlabel(t["sources_note"], fontsize=style.MIN_FONT_PT)
    ax_c.tick_params(axis="y", left=False, labelleft=False)
    ax_s.tick_params(axis="y", left=False, labelleft=False)


def alignment_heatmap(table: pd.DataFrame, cb, lang: str = "en"):
    """Headline dimensions x (level, evidence counts by polarity and facet, sources)."""
    style.apply()
    t = _tx(lang)
    n = len(table)
    if n == 0:
        return style.no_data_figure(t["no_dims"], t["title_alignment"], width="double")
    n_levels = len(cb.levels_by_rank())
    fig, (ax_l, ax_c, ax_s) = plt.subplots(
        1,
        3,
        layout="constrained",
        figsize=style.figsize("double", 8 * n + 48),
        gridspec_kw={"width_ratios": [2.4, len(_COUNT_COLUMNS), 1]},
    )
    _draw_level_column(ax_l, table, t, n_levels)
    _draw_count_columns(ax_c, table, t)
    _draw_source_column(ax_s, table, t)
    _label_alignment_axes(ax_l, ax_c, ax_s, table, t)
    _level_legend(fig, cb, lang, loc="outside lower center", bbox=None, ncol=4)
    style.title(fig, t["title_alignment"])
    fig.get_layout_engine().set(wspace=0.0, w_pad=0.01)
    return fig


def coverage_counts(segs: pd.DataFrame, cb, p) -> pd.DataFrame:
    """Per component of the framework: segments by polarity and distinct sources (cited evidence)."""
    counted, _ = split_synthesis(segs, p)
    rows = []
    for c in cb.components:
        d = counted[counted["dimension"] == c.id]
        rows.append(
            {
                "component": c.id,
                "headline": c.headline,
                "n_strength": int((d["polarity"] == "strength").sum()),
                "n_gap": int((d["polarity"] == "gap").sum()),
                "n_mixed": int((d["polarity"] == "mixed").sum()),
                "n_sources": int(d["ref_key"].nunique()),
            }
        )
    out = pd.DataFrame(rows)
    out["addressed"] = (out["n_strength"] + out["n_gap"] + out["n_mixed"]) > 0
    return out


def coverage_heatmap(segs: pd.DataFrame, cb, p, lang: str = "en"):
    """All components of the framework x (strength, gap, mixed, sources); untouched components say so."""
    style.apply()
    t = _tx(lang)
    cov = coverage_counts(segs, cb, p)
    cols = [("strength", "n_strength"), ("gap", "n_gap"), ("mixed", "n_mixed"), ("sources", "n_sources")]
    values = pd.DataFrame({t[k]: cov[c].astype(float) for k, c in cols})
    texts = values.map(lambda v: str(int(v)))
    values = values.where(cov["addressed"].to_numpy()[:, None].repeat(len(cols), axis=1))
    texts = texts.where(values.notna(), "")
    n = len(cov)
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("single", 5.2 * n + 40))
    labels = [
        _wrap_label(cb.label("component", c, lang), 34) + (" *" if h else "")
        for c, h in zip(cov["component"], cov["headline"], strict=False)
    ]
    annotated_heatmap(
        ax,
        values,
        texts,
        cmap="Blues",
        vmin=0,
        vmax=max(1.0, float(np.nanmax(values.to_numpy())) if values.notna().any().any() else 1.0) * 1.3,
        xlabels=[t[k] for k, _ in cols],
        ylabels=labels,
        rotate_x=False,
    )
    for i, addressed in enumerate(cov["addressed"]):
        if not addressed:
            ax.text(
                len(cols) / 2,
                i + 0.5,
                t["not_addressed"],
                ha="center",
                va="center",
                fontsize=style.MIN_FONT_PT,
                color="#555555",
            )
    for lab, h in zip(ax.get_yticklabels(), cov["headline"], strict=False):
        if h:
            lab.set_fontweight("bold")
    ax.xaxis.tick_top()
    note = {
        "en": "* headline dimension (in Table 1). Segments of cited sources;\nSources: distinct cited sources",
        "id": "* dimensi utama (Tabel 1). Segmen dari sumber yang dikutip;\nSumber: sumber berbeda",
    }.get(lang)
    ax.set_xlabel("")
    style.note(fig, note)
    style.title(fig, t["title_coverage"])
    return fig


def evidence_gap_map(
    segs: pd.DataFrame, cb, p, dimensions, lang: str = "en", source_labels: dict[str, str] | None = None
):
    """Source x dimension: cell colour = polarity of the source's evidence (mixed if both), text = segments."""
    style.apply()
    t = _tx(lang)
    counted, _ = split_synthesis(segs, p)
    d = counted[counted["dimension"].isin(dimensions)]
    if d.empty or not len(dimensions):
        return style.no_data_figure(t["no_dims"], t["title_gap"])
    sources = sorted(set(d["ref_key"]))
    order = STANCES
    code, text = {}, {}
    for (src, dim), cell in d.groupby(["ref_key", "dimension"]):
        pols = set(cell["polarity"])
        pol = pols.pop() if len(pols) == 1 else "mixed"
        code[(src, dim)] = order.index(pol) if pol in order else 1
        text[(src, dim)] = str(len(cell))
    values = pd.DataFrame([[code.get((s, x), np.nan) for x in dimensions] for s in sources], dtype=float)
    texts = pd.DataFrame([[text.get((s, x), "") for x in dimensions] for s in sources])
    labels = [(source_labels or {}).get(s, s) for s in sources]
    # wide enough for each dimension's name on two or three short lines above its column
    width = min(style.DOUBLE_COLUMN_MM, max(style.SINGLE_COLUMN_MM, 60 + 24 * len(dimensions)))
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize(width, 3.8 * len(sources) + 42))
    stance_heatmap(
        ax,
        values,
        texts,
        xlabels=[_wrap_label(cb.label("component", x, lang), 14) for x in dimensions],
        ylabels=labels,
        rotate_x=False,
    )
    ax.xaxis.tick_top()
    ax.set_ylabel(t["source"])
    handles = [
        Patch(
            facecolor=style.POLARITY_COLOURS[k],
            edgecolor=style.GRID,
            label=cb.label("polarity", k, lang) if k in cb.vocabulary("polarity") else k,
        )
        for k in order
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=3,
        frameon=False,
        title={
            "en": "colour: polarity of the source's segments\n(mixed: both); number: coded segments",
            "id": "warna: polaritas segmen sumber\n(campuran: keduanya); angka: jumlah segmen",
        }.get(lang),
    )
    style.title(fig, t["title_gap"])
    return fig


def sensitivity_chart(shares: pd.DataFrame, table: pd.DataFrame, cb, lang: str = "en"):
    """Horizontal stacked bars: per dimension, the share of parameter settings giving each level."""
    style.apply()
    t = _tx(lang)
    dims = list(table["dimension"])
    labels = dict(zip(table["dimension"], table["dimension_label"], strict=False))
    levels = cb.levels_by_rank()
    fig, ax = plt.subplots(layout="constrained", figsize=style.figsize("double", 9 * len(dims) + 40))
    for i, d in enumerate(dims):
        y = len(dims) - 1 - i
        left = 0.0
        sub = shares[shares["dimension"] == d].set_index("level")
        for lv in levels:
            share = float(sub["share"].get(lv.id, 0.0)) if not sub.empty else 0.0
            if share <= 0:
                continue
            colour = style.level_colour(lv.rank, len(levels))[0]
            is_default = bool(sub["default"].get(lv.id, False))
            ax.barh(
                y,
                share,
                left=left,
                color=colour,
                edgecolor="#000000" if is_default else style.GRID,
                linewidth=1.4 if is_default else 0.6,
                height=0.7,
            )
            if share >= 0.07:
                ax.text(
                    left + share / 2,
                    y,
                    f"{share:.0%}" + ("*" if is_default else ""),
                    ha="center",
                    va="center",
                    fontsize=style.MIN_FONT_PT,
                    color=style.text_colour(colour),
                )
            left += share
        if NO_EVIDENCE in sub.index and float(sub["share"].get(NO_EVIDENCE, 0)) > 0:
            ax.barh(
                y,
                float(sub["share"][NO_EVIDENCE]),
                left=left,
                color="#ffffff",
                edgecolor=style.GRID,
                hatch="//",
                height=0.7,
            )
    ax.set_yticks(range(len(dims)))
    ax.set_yticklabels([labels[d] for d in reversed(dims)])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(
        t["share"] + pick({"en": " (* the default setting's level)", "id": " (* tingkat setelan bawaan)"}, lang)
    )
    _level_legend(ax, cb, lang, bbox=(0.5, -0.22), ncol=4)
    style.title(fig, t["title_sens"])
    return fig
