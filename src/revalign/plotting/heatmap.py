"""One annotated heatmap for every matrix figure: seaborn's, with the number in each cell."""

from __future__ import annotations

import numpy as np
import pandas as pd

from revalign.core.codebook import GAP, MIXED, STRENGTH
from revalign.plotting import style


def annotated_heatmap(
    ax,
    values: pd.DataFrame,
    texts: pd.DataFrame | None = None,
    *,
    cmap=style.COUNT_CMAP,
    vmin: float | None = 0,
    vmax: float | None = None,
    cbar_label: str | None = None,
    xlabels: list[str] | None = None,
    ylabels: list[str] | None = None,
    rotate_x: bool = True,
):
    """Draw *values* (NaN = empty white cell) on *ax* with seaborn, writing *texts* in the cells.

    *texts* defaults to the integer values (empty for NaN). The text colour follows the
    cell colour (seaborn picks black or white by luminance). Returns the axes.
    """
    import seaborn as sns

    style.apply()
    vals = values.astype(float)
    if texts is None:
        texts = vals.map(lambda v: "" if pd.isna(v) else f"{v:g}")
    finite = vals.to_numpy()[np.isfinite(vals.to_numpy())]
    if vmax is None:
        vmax = max(1.0, float(finite.max())) if finite.size else 1.0
    sns.heatmap(
        vals,
        ax=ax,
        annot=texts.to_numpy(dtype=object),
        fmt="",
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        linewidths=0.5,
        linecolor=style.GRID,
        square=False,
        cbar=cbar_label is not None,
        cbar_kws={"label": cbar_label, "shrink": 0.8, "pad": 0.02} if cbar_label else None,
        annot_kws={"fontsize": style.MIN_FONT_PT},
    )
    ax.set_facecolor(style.NO_DATA)
    _write_empty_cell_texts(ax, vals, texts)
    _set_tick_labels(ax, vals, xlabels, ylabels, rotate_x)
    _draw_frame(ax)
    if cbar_label is not None and ax.collections and ax.collections[0].colorbar is not None:
        _style_colorbar(ax.collections[0].colorbar)
    return ax


def _write_empty_cell_texts(ax, vals: pd.DataFrame, texts: pd.DataFrame) -> None:
    """Write the text of each empty (NaN) cell in black; seaborn leaves those unannotated."""
    # seaborn leaves empty (NaN) cells unannotated; a text there (e.g. "no evidence") is written in black
    nan = vals.isna().to_numpy()
    for i, j in zip(*np.nonzero(nan), strict=False):
        text = texts.iat[i, j]
        if isinstance(text, str) and text:
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=style.MIN_FONT_PT, color="#000000")


def _set_tick_labels(
    ax, vals: pd.DataFrame, xlabels: list[str] | None, ylabels: list[str] | None, rotate_x: bool
) -> None:
    """Put the row and column labels on the cell centres, slanting the column labels if asked."""
    ax.set_xticks(np.arange(vals.shape[1]) + 0.5, xlabels if xlabels is not None else [str(c) for c in vals.columns])
    ax.set_yticks(np.arange(vals.shape[0]) + 0.5, ylabels if ylabels is not None else [str(i) for i in vals.index])
    if rotate_x:  # slanted labels on one line each, so that neighbours never overlap
        ax.set_xticklabels([lab.get_text().replace("\n", " ") for lab in ax.get_xticklabels()])
        ax.tick_params(axis="x", labelrotation=45)
        for lab in ax.get_xticklabels():
            lab.set_horizontalalignment("right")
            lab.set_rotation_mode("anchor")
    ax.tick_params(axis="y", labelrotation=0, length=0)
    ax.tick_params(axis="x", length=0)


def _draw_frame(ax) -> None:
    """A thin grid-coloured frame on all four sides."""
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(True)
        ax.spines[side].set_color(style.GRID)
        ax.spines[side].set_linewidth(0.5)


def _style_colorbar(cb) -> None:
    """No outline, small tick labels, integer ticks."""
    cb.outline.set_visible(False)
    cb.ax.tick_params(labelsize=style.MIN_FONT_PT)
    from matplotlib.ticker import MaxNLocator

    cb.locator = MaxNLocator(integer=True)
    cb.update_ticks()


#: polarity of a cell's evidence, in the order of the stance colour scale
STANCES = (STRENGTH, MIXED, GAP)


def stance_heatmap(ax, values: pd.DataFrame, texts: pd.DataFrame, xlabels, ylabels, **kwargs):
    """A matrix whose cells are coloured by the stance of their evidence (0 strength, 1 mixed, 2 gap),
    each with its text written in; one colour per stance from :data:`style.POLARITY_COLOURS`."""
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([style.POLARITY_COLOURS[s] for s in STANCES])
    return annotated_heatmap(
        ax, values, texts, cmap=cmap, vmin=-0.5, vmax=len(STANCES) - 0.5, xlabels=xlabels, ylabels=ylabels, **kwargs
    )
