"""Figures of stage 04: alignment heatmap, coverage heatmap, evidence gap map, sensitivity.

Every figure uses the shared ordinal scale of levels (``style.LEVEL_COLOURS``) or
the polarity colours (``style.POLARITY_COLOURS``), writes its numbers into the
cells (so nothing depends on reading a colour), and is saved with
:func:`revalign.plotting.save.save_figure` (PNG + SVG).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch, Rectangle

from revalign.plotting import style
from revalign.alignment.rule import NO_COUNTERPART, NO_EVIDENCE, split_synthesis

TEXT = {
    "en": {
        "level": "Level", "s_practice": "Strength\npractice", "s_concept": "Strength\nconcept",
        "g_practice": "Gap\npractice", "g_concept": "Gap\nconcept", "mixed": "Mixed", "sources": "Sources",
        "strength": "Strength", "gap": "Gap", "segments": "segments", "not_addressed": "not addressed",
        "share": "Share of parameter settings", "source": "Source (citation key)", "dimension": "Dimension",
        "no_evidence": "No coded evidence", "no_counterpart": "No counterpart", "component": "Component",
        "cited": "cited claims by part and polarity; level with its bootstrap probability",
    },
    "id": {
        "level": "Tingkat", "s_practice": "Kekuatan\npraktik", "s_concept": "Kekuatan\nkonsep",
        "g_practice": "Kesenjangan\npraktik", "g_concept": "Kesenjangan\nkonsep", "mixed": "Campuran",
        "sources": "Sumber", "strength": "Kekuatan", "gap": "Kesenjangan", "segments": "segmen",
        "not_addressed": "tidak dibahas", "share": "Proporsi setelan parameter", "source": "Sumber (kunci sitasi)",
        "dimension": "Dimensi", "no_evidence": "Tidak ada bukti terkode", "no_counterpart": "Tidak ada padanan",
        "component": "Komponen", "cited": "klaim yang dikutip per bagian dan polaritas; tingkat dengan peluang bootstrap",
    },
}
EMPTY = "#ffffff"
GRID = "#bdbdbd"


def _text_colour(hex_colour: str) -> str:
    r, g, b = to_rgb(hex_colour)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"


def _count_colour(n: int, vmax: int, base: str = "#636363") -> str:
    """Light-to-dark grey for a count (white for zero)."""
    if n <= 0 or vmax <= 0:
        return EMPTY
    t = 0.15 + 0.6 * (n / vmax)
    r, g, b = to_rgb(base)
    return "#{:02x}{:02x}{:02x}".format(*(int(round(255 * (1 - t * (1 - c)))) for c in (r, g, b)))


def _cell(ax, x, y, w, colour, text, fontsize=style.FONT_SIZE - 1, hatch=None):
    ax.add_patch(Rectangle((x, y), w, 1, facecolor=colour, edgecolor=GRID, linewidth=0.6, hatch=hatch))
    if text != "":
        ax.text(x + w / 2, y + 0.5, text, ha="center", va="center", fontsize=fontsize, color=_text_colour(colour))


def _level_legend(fig_or_ax, cb, lang, loc="upper center", bbox=(0.5, -0.02), extra=()):
    handles = [Patch(facecolor=style.LEVEL_COLOURS[lv.rank % len(style.LEVEL_COLOURS)], edgecolor=GRID,
                     label=f"{lv.rank} {getattr(lv.label, lang)}") for lv in cb.levels_by_rank()]
    handles += list(extra)
    return fig_or_ax.legend(handles=handles, loc=loc, bbox_to_anchor=bbox, ncol=2, frameon=False)


def alignment_heatmap(table: pd.DataFrame, cb, lang: str = "en"):
    """Headline dimensions x (level with its bootstrap probability, evidence counts by polarity and facet, sources)."""
    t = TEXT[lang]
    cols = [("s_practice", "n_strength_practice"), ("s_concept", "n_strength_concept"),
            ("g_practice", "n_gap_practice"), ("g_concept", "n_gap_concept"), ("mixed", "n_mixed"), ("sources", "n_sources")]
    n = len(table)
    level_w = 2.6
    fig, ax = plt.subplots(figsize=(6.8, 0.55 * n + 1.6))
    vmax = max([int(table[c].max()) for _, c in cols[:-1]] + [1])
    for i, (_, row) in enumerate(table.iterrows()):
        y = n - 1 - i
        rank = row["level_rank"]
        if pd.isna(rank):
            colour, label, hatch = EMPTY, t["no_counterpart"] if row["level"] == NO_COUNTERPART else t["no_evidence"], "//"
        else:
            colour, label, hatch = style.LEVEL_COLOURS[int(rank)], row["level_label"], None
        label = label if len(label) < 26 else label.replace(", ", ",\n", 1)
        prob = row.get("level_probability")
        if prob is not None and not pd.isna(prob):  # bootstrap probability of the level (docs/protocol.md section 5)
            label = f"{label} ({float(prob):.2f})" if "\n" not in label else f"{label}\n({float(prob):.2f})"
        _cell(ax, 0, y, level_w, colour, label, hatch=hatch)
        for j, (key, col) in enumerate(cols):
            v = int(row[col])
            # counts on a neutral grey scale, so they are never read as levels
            c = _count_colour(v, vmax) if key != "sources" else EMPTY
            _cell(ax, level_w + j, y, 1, c, str(v))
    ax.axvline(level_w, color="#000000", linewidth=1.2)
    ax.set_xlim(0, level_w + len(cols))
    ax.set_ylim(0, n)
    ax.set_xticks([level_w / 2] + [level_w + j + 0.5 for j in range(len(cols))])
    ax.set_xticklabels([t["level"]] + [t[k] for k, _ in cols])
    ax.xaxis.tick_top()
    ax.set_yticks([n - 1 - i + 0.5 for i in range(n)])
    ax.set_yticklabels(list(table["dimension_label"]))
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    _level_legend(ax, cb, lang, bbox=(0.5, -0.04))
    ax.set_title(t["cited"], fontsize=style.FONT_SIZE - 1, pad=28)
    fig.tight_layout()
    return fig


def coverage_counts(segs: pd.DataFrame, cb, p) -> pd.DataFrame:
    """Per component of the framework: segments by polarity and distinct sources (cited evidence)."""
    counted, _ = split_synthesis(segs, p)
    rows = []
    for c in cb.components:
        d = counted[counted["dimension"] == c.id]
        rows.append({"component": c.id, "headline": c.headline,
                     "n_strength": int((d["polarity"] == "strength").sum()), "n_gap": int((d["polarity"] == "gap").sum()),
                     "n_mixed": int((d["polarity"] == "mixed").sum()), "n_sources": int(d["ref_key"].nunique())})
    out = pd.DataFrame(rows)
    out["addressed"] = (out["n_strength"] + out["n_gap"] + out["n_mixed"]) > 0
    return out


def coverage_heatmap(segs: pd.DataFrame, cb, p, lang: str = "en"):
    """All components of the framework x (strength, gap, mixed, sources); untouched components hatched."""
    t = TEXT[lang]
    cov = coverage_counts(segs, cb, p)
    n = len(cov)
    cols = [("strength", "n_strength"), ("gap", "n_gap"), ("mixed", "n_mixed"), ("sources", "n_sources")]
    vmax = max(int(cov[["n_strength", "n_gap", "n_mixed"]].values.max()), 1)
    smax = max(int(cov["n_sources"].max()), 1)
    fig, ax = plt.subplots(figsize=(5.2, 0.34 * n + 1.3))
    for i, row in cov.iterrows():
        y = n - 1 - i
        for j, (key, col) in enumerate(cols):
            v = int(row[col])
            if not row["addressed"]:
                _cell(ax, j, y, 1, EMPTY, "", hatch="///")
                continue
            base = style.POLARITY_COLOURS.get(key, "#636363")
            _cell(ax, j, y, 1, _count_colour(v, smax if key == "sources" else vmax, base), str(v))
        if not row["addressed"]:
            ax.text(len(cols) / 2, y + 0.5, t["not_addressed"], ha="center", va="center", fontsize=style.FONT_SIZE - 1,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_xlim(0, len(cols))
    ax.set_ylim(0, n)
    ax.set_xticks([j + 0.5 for j in range(len(cols))])
    ax.set_xticklabels([t[k] for k, _ in cols])
    ax.xaxis.tick_top()
    ax.set_yticks([n - 1 - i + 0.5 for i in range(n)])
    labels = [cb.label("component", c, lang) + (" *" if h else "") for c, h in zip(cov["component"], cov["headline"])]
    ax.set_yticklabels(labels)
    for lab, h in zip(ax.get_yticklabels(), cov["headline"]):
        if h:
            lab.set_fontweight("bold")
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    note = {"en": "* headline dimension (Table 1); counts: ", "id": "* dimensi utama (Tabel 1); jumlah: "}[lang] + t["cited"]
    ax.set_xlabel(note, fontsize=style.FONT_SIZE - 2)
    fig.tight_layout()
    return fig


def evidence_gap_map(segs: pd.DataFrame, cb, p, dimensions, lang: str = "en"):
    """Source x dimension: cell colour = polarity of the source's evidence (mixed if both), text = segments."""
    t = TEXT[lang]
    counted, _ = split_synthesis(segs, p)
    d = counted[counted["dimension"].isin(dimensions)]
    sources = sorted(set(d["ref_key"]))
    n = max(len(sources), 1)
    fig, ax = plt.subplots(figsize=(1.2 * len(dimensions) + 2.6, 0.24 * n + 1.6))
    for i, src in enumerate(sources):
        y = n - 1 - i
        for j, dim in enumerate(dimensions):
            cell = d[(d["ref_key"] == src) & (d["dimension"] == dim)]
            if cell.empty:
                _cell(ax, j, y, 1, EMPTY, "")
                continue
            pols = set(cell["polarity"])
            pol = pols.pop() if len(pols) == 1 else "mixed"
            _cell(ax, j, y, 1, style.POLARITY_COLOURS[pol], str(len(cell)), fontsize=style.FONT_SIZE - 2)
    ax.set_xlim(0, len(dimensions))
    ax.set_ylim(0, n)
    ax.set_xticks([j + 0.5 for j in range(len(dimensions))])
    ax.set_xticklabels([cb.label("component", x, lang).replace(" ", "\n", 1) for x in dimensions])
    ax.xaxis.tick_top()
    ax.set_yticks([n - 1 - i + 0.5 for i in range(len(sources))])
    ax.set_yticklabels(sources, fontsize=style.FONT_SIZE - 2)
    ax.set_ylabel(t["source"])
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    handles = [Patch(facecolor=style.POLARITY_COLOURS[k], edgecolor=GRID, label=cb.label("polarity", k, lang))
               for k in ("strength", "mixed", "gap") if k in cb.vocabulary("polarity")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, frameon=False,
              title={"en": "cell text: number of coded segments", "id": "teks sel: jumlah segmen terkode"}[lang])
    fig.tight_layout()
    return fig


def sensitivity_chart(shares: pd.DataFrame, table: pd.DataFrame, cb, lang: str = "en"):
    """Horizontal stacked bars: per dimension, the share of parameter settings giving each level."""
    t = TEXT[lang]
    dims = list(table["dimension"])
    labels = dict(zip(table["dimension"], table["dimension_label"]))
    levels = cb.levels_by_rank()
    fig, ax = plt.subplots(figsize=(6.0, 0.5 * len(dims) + 1.6))
    for i, d in enumerate(dims):
        y = len(dims) - 1 - i
        left = 0.0
        sub = shares[shares["dimension"] == d].set_index("level")
        for lv in levels:
            share = float(sub["share"].get(lv.id, 0.0)) if not sub.empty else 0.0
            if share <= 0:
                continue
            colour = style.LEVEL_COLOURS[lv.rank]
            is_default = bool(sub["default"].get(lv.id, False))
            ax.barh(y, share, left=left, color=colour, edgecolor="#000000" if is_default else GRID,
                    linewidth=1.4 if is_default else 0.6, height=0.7)
            if share >= 0.07:
                ax.text(left + share / 2, y, f"{share:.0%}" + ("*" if is_default else ""), ha="center", va="center",
                        fontsize=style.FONT_SIZE - 1, color=_text_colour(colour))
            left += share
        if NO_EVIDENCE in sub.index and float(sub["share"].get(NO_EVIDENCE, 0)) > 0:
            ax.barh(y, float(sub["share"][NO_EVIDENCE]), left=left, color=EMPTY, edgecolor=GRID, hatch="//", height=0.7)
    ax.set_yticks(range(len(dims)))
    ax.set_yticklabels([labels[d] for d in reversed(dims)])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(t["share"] + {"en": " (* the default setting's level)", "id": " (* tingkat setelan bawaan)"}[lang])
    _level_legend(ax, cb, lang, bbox=(0.5, -0.25))
    fig.tight_layout()
    return fig
