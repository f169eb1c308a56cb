"""One look for every figure: fonts, palette, and the ordinal scale of alignment levels.

The four alignment levels are ordinal, so they share one sequential, colour-blind-safe
scale (light to dark) in every figure and in the HTML report. Categorical series use
the Okabe-Ito palette.
"""

from __future__ import annotations

import matplotlib as mpl

# Okabe & Ito (2008) colour-blind-safe categorical palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

# Ordinal alignment levels, weakest (0) to strongest (3): a single-hue sequential
# scale (ColorBrewer "Blues"-like) that keeps its order in greyscale.
LEVEL_COLOURS = ["#eff3ff", "#9ecae1", "#4292c6", "#08306b"]
LEVEL_TEXT = ["#000000", "#000000", "#ffffff", "#ffffff"]

# Polarity of evidence: strength, mixed, gap (blue / grey / vermillion).
POLARITY_COLOURS = {"strength": "#0072B2", "mixed": "#999999", "gap": "#D55E00"}

FONT_SIZE = 9
DPI = 300


def apply() -> None:
    """Set matplotlib defaults for print: sans-serif 9 pt, no top/right spines, fixed hash salt."""
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "font.size": FONT_SIZE,
            "axes.titlesize": FONT_SIZE + 1,
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE - 1,
            "ytick.labelsize": FONT_SIZE - 1,
            "legend.fontsize": FONT_SIZE - 1,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "savefig.bbox": "tight",
            "svg.fonttype": "none",
            "svg.hashsalt": "revalign",
            "pdf.fonttype": 42,
            # Text in figures comes from the data (venue names, labels): "$...$" in it is text,
            # never matplotlib mathtext (which could garble a label or stop a figure).
            "text.parse_math": False,
        }
    )
