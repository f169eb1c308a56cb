"""Figures of stage 04: alignment heatmap, coverage heatmap, evidence gap map, sensitivity.

Drawn with seaborn in the shared theme and sized for a journal column. Levels use the
shared ordinal scale (``style.LEVEL_COLOURS``), evidence counts a neutral grey scale (so
they are never read as levels), polarity the colour-blind-safe polarity colours; every
cell carries its number or label, so nothing depends on reading a colour. Saved with
:func:`revalign.plotting.save.save_figure` (PNG + SVG).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.legend import Legend
from matplotlib.patches import Patch

from revalign.alignment.mapping import NO_COUNTERPART
from revalign.alignment.rule import NO_EVIDENCE
from revalign.alignment.units import split_synthesis
from revalign.core.codebook import GAP, MIXED, ROLES, STRENGTH, Codebook, roles_of
from revalign.core.config import Alignment
from revalign.core.i18n import N_, messages
from revalign.plotting import style
from revalign.plotting.heatmap import STANCES, annotated_heatmap, stance_heatmap

TEXT = {
    "level": N_("Level"),
    MIXED: N_("Mixed"),
    "sources": N_("Sources"),
    STRENGTH: N_("Strength"),
    GAP: N_("Gap"),
    "segments": N_("segments"),
    "not_addressed": N_("not addressed"),
    "share": N_("Share of parameter settings"),
    "source": N_("Source (first author, year)"),
    "dimension": N_("Dimension"),
    "no_evidence": N_("No coded evidence"),
    "no_counterpart": N_("No counterpart"),
    "component": N_("Component"),
    "cited": N_("Counts: coded segments of cited sources; Sources: distinct cited sources"),
    "counts_note": N_("claims of cited sources, by polarity and part (facet)"),
    "level_note": N_("p: bootstrap probability\nof the level"),
    "sources_note": N_("distinct\ncited sources"),
    "title_alignment": N_("Alignment level of each dimension and the evidence behind it"),
    "title_coverage": N_("Coverage of the framework by the coded evidence"),
    "title_gap": N_("Evidence gap map: what each source says about each dimension"),
    "title_sens": N_("Robustness of the levels to the rule's parameters"),
    "no_dims": N_("No dimension has coded evidence, so there is nothing to map."),
}
COUNT_CMAP = "Greys"
WHITE = ListedColormap(["#ffffff"])


LEVEL_LEGEND = N_("Level (weakest to strongest)")
DEFAULT_MARK = N_(" (* the default setting's level)")
COVERAGE_NOTE = N_("* headline dimension (in Table 1). Segments of cited sources;\nSources: distinct cited sources")
GAP_MAP_LEGEND = N_("colour: polarity of the source's segments\n(mixed: both); number: coded segments")


def _tx(lang: str) -> dict[str, str]:
    _ = messages(lang)
    return {key: _(text) for key, text in TEXT.items()}


def role_label(cb: Codebook, role: str, lang: str) -> str:
    """What a role is called in a figure: the label of the codebook's code for it, else the program's word."""
    return cb.role_label(role, lang) or _tx(lang)[role]


def _level_legend(
    ax: Axes | Figure,
    cb: Codebook,
    lang: str,
    loc: Literal["upper center", "outside lower center"] = "upper center",
    bbox: tuple[float, float] | None = (0.5, -0.02),
    extra: Sequence[Artist] = (),
    ncol: int = 2,
    labels: list[str] | None = None,
) -> Legend:
    levels = cb.levels_by_rank()
    labels = labels or [lv.label.text(lang) for lv in levels]
    handles: list[Artist] = [
        Patch(
            facecolor=style.level_colour(lv.rank, len(levels))[0],
            edgecolor=style.GRID,
            label=label,
        )
        for lv, label in zip(levels, labels, strict=True)
    ]
    handles += list(extra)
    return ax.legend(
        handles=handles,
        loc=loc,
        bbox_to_anchor=bbox,
        ncol=ncol,
        frameon=False,
        alignment="left",
        title=messages(lang)(LEVEL_LEGEND),
    )


def _wrap_label(text: str, width: int = 30, split_words: bool = False) -> str:
    """*text* wrapped to *width* characters a line; words stay whole (a word longer than *width* is a line
    of its own) unless *split_words*."""
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width, break_long_words=split_words)) or str(text)


def count_columns(cb: Codebook, lang: str) -> list[tuple[str, str]]:
    """The evidence-count columns of the alignment heatmap, as (header, Table 1 column): strengths and
    gaps on each of the codebook's parts, then mixed claims; headers from the codebook's labels."""
    cols = [
        (f"{role_label(cb, role, lang)},\n{cb.label('facet', part, lang)}", f"n_{role}_{part}")
        for role in (STRENGTH, GAP)
        for part in cb.parts
    ]
    return [*cols, (role_label(cb, MIXED, lang), "n_mixed")]


def _level_texts(
    table: pd.DataFrame, ranks: pd.Series, t: dict[str, str], width: int = 16, split_words: bool = False
) -> list[str]:
    """The text of each level cell: the level's label and its bootstrap probability, or why there is none."""
    level_text = []
    for (_, row), rank in zip(table.iterrows(), ranks, strict=False):
        if pd.isna(rank):
            level_text.append(
                _wrap_label(
                    t["no_counterpart"] if row["level"] == NO_COUNTERPART else t["no_evidence"], width, split_words
                )
            )
        else:
            text = _wrap_label(row["level_label"], width, split_words)
            prob = pd.to_numeric(pd.Series([row.get("level_probability")]), errors="coerce").iloc[0]
            if not pd.isna(prob):  # bootstrap probability of the level (docs/protocol.md section 5)
                text += f"\n(p = {float(prob):.2f})"
            level_text.append(text)
    return level_text


def _draw_level_column(ax: Axes, table: pd.DataFrame, t: dict[str, str], n_levels: int, layout: _HeatmapLayout) -> None:
    """The level column, coloured by rank, with the dimension labels on the left."""
    ranks = pd.to_numeric(table["level_rank"], errors="coerce")
    level_text = _level_texts(table, ranks, t, layout.level_chars, layout.split_words)
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
        ylabels=[_wrap_label(x, DIMENSION_CHARS) for x in table["dimension_label"]],
        rotate_x=False,
    )


def _draw_count_columns(ax: Axes, table: pd.DataFrame, columns: list[tuple[str, str]], layout: _HeatmapLayout) -> None:
    """The evidence counts by role and part, on the count colour scale."""
    headers = [layout.header(h) for h, _ in columns]
    counts = pd.DataFrame({i: table[c].astype(int).to_numpy() for i, (_, c) in enumerate(columns)})
    annotated_heatmap(
        ax,
        counts,
        counts.astype(str),
        cmap=COUNT_CMAP,
        vmin=0,
        vmax=max(1, int(counts.to_numpy().max())) * 1.4,
        xlabels=headers,
        ylabels=[""] * len(table),
        rotate_x=False,
    )
    if layout.upright:
        ax.tick_params(axis="x", labelrotation=90)


def _draw_source_column(ax: Axes, table: pd.DataFrame, t: dict[str, str]) -> None:
    """The number of sources, on white."""
    n = len(table)
    src = pd.DataFrame({t["sources"]: table["n_sources"].astype(int).to_numpy()})
    annotated_heatmap(
        ax, src, src.astype(str), cmap=WHITE, vmin=0, vmax=1, xlabels=[t["sources"]], ylabels=[""] * n, rotate_x=False
    )


def _label_alignment_axes(ax_l: Axes, ax_c: Axes, ax_s: Axes, table: pd.DataFrame, t: dict[str, str]) -> None:
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


DIMENSION_CHARS = 26  # dimension labels are wrapped to this many characters a line
LEVEL_RATIO = 2.4  # width of the level column, in count columns
LINE_MM = 7 * 1.25 * 25.4 / 72  # one line of 7 pt text, with its leading
CHAR_MM = 7 * 0.6 * 25.4 / 72  # an average character of 7 pt DejaVu Sans
LEGEND_CHARS = 44  # level labels in the legend are wrapped to this many characters a line


def _legend_columns(labels: list[str], width_mm: float) -> int:
    """The most columns (at most 4) in which the legend's entries fit across *width_mm* (filled column by column,
    as matplotlib does)."""
    for ncol in range(min(4, len(labels)), 0, -1):
        rows = -(-len(labels) // ncol)
        cols = [labels[i * rows : (i + 1) * rows] for i in range(ncol)]
        need = sum(max(len(line) for lab in col for line in lab.split("\n")) * CHAR_MM + 9 for col in cols if col)
        if need <= width_mm:
            return ncol
    return 1


class _HeatmapLayout:
    """How the alignment heatmap's texts are wrapped and how tall it must be for them to fit.

    Every text is wrapped to the width it has (a column, a cell, the figure) and every row made tall
    enough for its wrapped text, so that long labels, many parts or many levels never overflow a cell
    or leave the axes no room (constrained layout collapses when the decorations do not fit).
    """

    def __init__(self, table: pd.DataFrame, cb: Codebook, lang: str, columns: list[tuple[str, str]], t: dict[str, str]):
        width = style.DOUBLE_COLUMN_MM - 2 * style.PAD_MM
        dims = [_wrap_label(x, DIMENSION_CHARS) for x in table["dimension_label"]]
        label_mm = _longest_line(dims) * CHAR_MM + 4
        avail = width - label_mm - 8
        unit = max(6.0, avail / (LEVEL_RATIO + len(columns) + 1))  # one count column, in mm
        # the level column is as wide as its longest word needs (a word is never split)
        ranks = pd.to_numeric(table["level_rank"], errors="coerce")
        words = [w for x in _level_texts(table, ranks, t, 10**6) for w in x.split()]
        level_mm = max(LEVEL_RATIO * unit, max(len(w) for w in words) * CHAR_MM + 3)
        # ... up to half the room: a word longer than that (no real label has one) is split
        self.split_words = level_mm > avail / 2
        level_mm = min(level_mm, avail / 2)
        if level_mm > LEVEL_RATIO * unit:
            unit = max(6.0, (avail - level_mm) / (len(columns) + 1))
        self.level_ratio = level_mm / unit
        self.level_chars = max(8, int((level_mm - 2) / CHAR_MM))
        self.header_chars = max(5, int((unit - 1.5) / CHAR_MM))
        # headers whose words do not fit across a count column are turned upright
        head_words = [w for h, _ in columns for w in str(h).split()]
        self.upright = max(len(w) for w in head_words) > self.header_chars
        level_lines = [x.count("\n") + 1 for x in _level_texts(table, ranks, t, self.level_chars, self.split_words)]
        row_lines = max(max(level_lines), max(d.count("\n") + 1 for d in dims))
        headers = [self.header(h) for h, _ in columns]
        if self.upright:
            header_lines = _longest_line(headers) * CHAR_MM / LINE_MM + 1
        else:
            header_lines = max(h.count("\n") + 1 for h in headers)
        header_lines = max(header_lines, _wrap_label(t["level"], self.level_chars).count("\n") + 1)
        labels = [_wrap_label(lv.label.text(lang), LEGEND_CHARS) for lv in cb.levels_by_rank()]
        self.legend_cols = _legend_columns(labels, width)
        legend_rows = -(-len(labels) // self.legend_cols)
        legend_lines = 1 + legend_rows * max(lab.count("\n") + 1 for lab in labels)
        title_lines = len(_wrap_label(t["title_alignment"], int(width / (8 * 0.64 * 25.4 / 72))).split("\n"))
        note_lines = 1 + max(len(_wrap_label(t["counts_note"], int(len(columns) * unit / CHAR_MM)).split("\n")), 2)
        self.legend_labels = labels
        self.height_mm = (
            title_lines * 8 / 7 * LINE_MM
            + header_lines * LINE_MM
            + len(table) * max(8.0, row_lines * LINE_MM + 2)
            + note_lines * LINE_MM
            + legend_lines * LINE_MM * 1.3
            + 14
        )

    def header(self, text: str) -> str:
        """A count column's header: across, wrapped to the column's width; upright, one line per part."""
        if self.upright:
            return str(text).replace(",\n", ", ")
        return "\n".join(_wrap_label(part, self.header_chars) for part in str(text).split("\n"))


def _longest_line(texts: list[str]) -> int:
    return max(len(line) for text in texts for line in str(text).split("\n"))


def alignment_heatmap(table: pd.DataFrame, cb: Codebook, lang: str = "en") -> Figure:
    """Headline dimensions x (level, evidence counts by polarity and facet, sources)."""
    style.apply()
    t = _tx(lang)
    n = len(table)
    if n == 0:
        return style.no_data_figure(t["no_dims"], t["title_alignment"], width="double")
    n_levels = len(cb.levels_by_rank())
    columns = count_columns(cb, lang)
    layout = _HeatmapLayout(table, cb, lang, columns, t)
    fig, (ax_l, ax_c, ax_s) = plt.subplots(
        1,
        3,
        layout="constrained",
        figsize=style.figsize("double", layout.height_mm),
        gridspec_kw={"width_ratios": [layout.level_ratio, len(columns), 1]},
    )
    _draw_level_column(ax_l, table, t, n_levels, layout)
    _draw_count_columns(ax_c, table, columns, layout)
    _draw_source_column(ax_s, table, t)
    _label_alignment_axes(ax_l, ax_c, ax_s, table, t)
    _level_legend(
        fig, cb, lang, loc="outside lower center", bbox=None, ncol=layout.legend_cols, labels=layout.legend_labels
    )
    style.title(fig, t["title_alignment"])
    engine = fig.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)  # layout="constrained" above
    engine.set(wspace=0.0, w_pad=0.01)
    return fig


def coverage_counts(segs: pd.DataFrame, cb: Codebook, p: Alignment) -> pd.DataFrame:
    """Per component of the framework: segments by role and distinct sources (cited evidence)."""
    counted, _ = split_synthesis(segs, p)
    counted = counted.assign(_role=roles_of(counted, cb).to_numpy())
    rows = []
    for c in cb.components:
        d = counted[counted["dimension"] == c.id]
        rows.append(
            {
                "component": c.id,
                "headline": c.headline,
                **{f"n_{role}": int((d["_role"] == role).sum()) for role in ROLES},
                "n_sources": int(d["ref_key"].nunique()),
            }
        )
    out = pd.DataFrame(rows)
    out["addressed"] = (out["n_strength"] + out["n_gap"] + out["n_mixed"]) > 0
    return out


def coverage_heatmap(segs: pd.DataFrame, cb: Codebook, p: Alignment, lang: str = "en") -> Figure:
    """All components of the framework x (strength, gap, mixed, sources); untouched components say so."""
    style.apply()
    t = _tx(lang)
    cov = coverage_counts(segs, cb, p)
    cols = [(role_label(cb, role, lang), f"n_{role}") for role in ROLES] + [(t["sources"], "n_sources")]
    values = pd.DataFrame({h: cov[c].astype(float) for h, c in cols})
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
        xlabels=[h for h, _ in cols],
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
    note = messages(lang)(COVERAGE_NOTE)
    ax.set_xlabel("")
    style.note(fig, note)
    style.title(fig, t["title_coverage"])
    return fig


def evidence_gap_map(
    segs: pd.DataFrame,
    cb: Codebook,
    p: Alignment,
    dimensions: Sequence[str],
    lang: str = "en",
    source_labels: dict[str, str] | None = None,
) -> Figure:
    """Source x dimension: cell colour = polarity of the source's evidence (mixed if both), text = segments."""
    style.apply()
    t = _tx(lang)
    counted, _ = split_synthesis(segs, p)
    d = counted[counted["dimension"].isin(dimensions)]
    d = d.assign(_role=roles_of(d, cb).to_numpy())
    if d.empty or not len(dimensions):
        return style.no_data_figure(t["no_dims"], t["title_gap"])
    sources = sorted(set(d["ref_key"]))
    order = STANCES
    code, text = {}, {}
    for (src, dim), cell in d.groupby(["ref_key", "dimension"]):
        pols = set(cell["_role"])
        pol = pols.pop() if len(pols) == 1 else MIXED
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
            label=role_label(cb, k, lang),
        )
        for k in order
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=3,
        frameon=False,
        title=messages(lang)(GAP_MAP_LEGEND),
    )
    style.title(fig, t["title_gap"])
    return fig


def sensitivity_chart(shares: pd.DataFrame, table: pd.DataFrame, cb: Codebook, lang: str = "en") -> Figure:
    """Horizontal stacked bars: per dimension, the share of parameter settings giving each level."""
    style.apply()
    t = _tx(lang)
    dims = list(table["dimension"])
    if not dims:
        return style.no_data_figure(t["no_dims"], t["title_sens"], width="double")
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
    ax.set_xlabel(t["share"] + messages(lang)(DEFAULT_MARK))
    _level_legend(ax, cb, lang, bbox=(0.5, -0.22), ncol=4)
    style.title(fig, t["title_sens"])
    return fig
