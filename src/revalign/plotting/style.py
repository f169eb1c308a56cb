"""One look for every figure: the seaborn theme, journal sizes, and the colour scales.

The theme is set once per process by :func:`apply` (every figure function calls it, so a
figure drawn from a test or a notebook looks the same). Sizes follow journal columns:
:data:`SINGLE_COLUMN_MM` (85 mm) and :data:`DOUBLE_COLUMN_MM` (175 mm); no text is smaller
than :data:`MIN_FONT_PT` at that printed size.

Colours (all checked for deuteranopia in tests/unit/plotting/test_palettes.py):

- the four alignment levels are ordinal: one single-hue sequential scale, light to dark,
  shared by every figure and the HTML report (:data:`LEVEL_COLOURS`);
- polarity of evidence: strength blue, mixed grey, gap vermillion (:data:`POLARITY_COLOURS`);
- categorical series: the Okabe & Ito (2008) palette (:data:`OKABE_ITO`);
- counts: the sequential ``Blues`` colour map (:data:`COUNT_CMAP`), with the number written in
  every cell so that no reading depends on colour alone.
"""

from __future__ import annotations

# Okabe & Ito (2008) palette and the polarity colours: revalign.core.palette (shared with REFI-QDA exports).
from typing import TYPE_CHECKING

from revalign.core.palette import OKABE_ITO, POLARITY_COLOURS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Ordinal alignment levels, weakest (0) to strongest (3): a single-hue sequential
# scale (ColorBrewer "Blues"-like) that keeps its order in greyscale.
LEVEL_COLOURS = ["#eff3ff", "#9ecae1", "#4292c6", "#08306b"]
LEVEL_TEXT = ["#000000", "#000000", "#ffffff", "#ffffff"]


COUNT_CMAP = "Blues"
GRID = "#d0d0d0"
NO_DATA = "#ffffff"

SINGLE_COLUMN_MM = 85.0
DOUBLE_COLUMN_MM = 175.0
MIN_FONT_PT = 7.0
FONT_SIZE = 8.0  # body text of figures; ticks, legends and cell numbers use MIN_FONT_PT
DPI = 300

_applied = False


def mm(value: float) -> float:
    """Millimetres to inches (matplotlib sizes are in inches)."""
    return value / 25.4


#: white margin that ``save_figure`` adds on each side (its ``pad_inches``), in mm
PAD_MM = 0.5


def figsize(width: str | float = "single", height_mm: float = 60.0) -> tuple[float, float]:
    """A figure size in inches: *width* ``"single"``, ``"double"`` or millimetres, such that the
    saved file (with :data:`PAD_MM` of margin on each side) is exactly that wide."""
    w = {"single": SINGLE_COLUMN_MM, "double": DOUBLE_COLUMN_MM}.get(width, width)  # type: ignore[arg-type]
    return mm(float(w) - 2 * PAD_MM), mm(height_mm)


def text_colour(colour) -> str:
    """Black or white, whichever reads better on *colour* (WCAG relative luminance)."""
    from matplotlib.colors import to_rgb

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in to_rgb(colour))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 else "#ffffff"


def level_colour(rank: int, n_levels: int) -> tuple[str, str]:
    """(fill, text) colour of level *rank* of *n_levels*, spread over :data:`LEVEL_COLOURS`."""
    top = len(LEVEL_COLOURS) - 1
    idx = min(rank * top // max(n_levels - 1, 1), top)
    return LEVEL_COLOURS[idx], LEVEL_TEXT[idx]


def _chars(fig, size: float, bold: bool = False) -> int:
    """How many characters of *size* pt fit across *fig* (DejaVu Sans averages ~0.6 em a character)."""
    width_pt = fig.get_figwidth() * 72 - 6
    return max(20, int(width_pt / (size * (0.64 if bold else 0.58))))


def title(fig, text: str) -> None:
    """The figure's title, left-aligned above everything and wrapped to the figure's width."""
    import textwrap

    lines = [textwrap.fill(line, _chars(fig, FONT_SIZE, bold=True)) for line in text.split("\n")]
    fig.suptitle("\n".join(lines), x=0.01, ha="left", fontsize=FONT_SIZE, fontweight="bold")


def note(fig, text: str) -> None:
    """A note under the figure (what the numbers are, what a mark means), wrapped to its width."""
    import textwrap

    lines = [textwrap.fill(line, _chars(fig, MIN_FONT_PT)) for line in text.split("\n")]
    fig.supxlabel("\n".join(lines), x=0.01, ha="left", fontsize=MIN_FONT_PT)


FONT = "DejaVu Sans"  # the figures' font (bundled with matplotlib, so every machine has it)


def undrawable(text: str) -> str:
    """The characters of *text* that :data:`FONT` has no glyph for (they would print as boxes), in order."""
    chars = _font_charmap()
    out = []
    for ch in str(text):
        if not ch.isspace() and ord(ch) not in chars and ch not in out:
            out.append(ch)
    return "".join(out)


_charmap: set[int] | None = None


def _font_charmap() -> set[int]:
    global _charmap
    if _charmap is None:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font

        path = font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=True)
        _charmap = set(FT2Font(path).get_charmap())
    return _charmap


def apply(force: bool = False) -> None:
    """Set the seaborn theme and matplotlib defaults for print, once per process."""
    global _applied
    if _applied and not force:
        return
    import seaborn as sns

    sns.set_theme(
        context="paper",
        style="ticks",
        palette=OKABE_ITO,
        font=FONT,
        rc={
            "font.size": FONT_SIZE,
            # text from data (venue names, titles) is never parsed as mathtext: "$x$" stays "$x$"
            "text.parse_math": False,
            "axes.titlesize": FONT_SIZE,
            "axes.titleweight": "bold",
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": MIN_FONT_PT,
            "ytick.labelsize": MIN_FONT_PT,
            "legend.fontsize": MIN_FONT_PT,
            "legend.title_fontsize": MIN_FONT_PT,
            "figure.titlesize": FONT_SIZE,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.linewidth": 0.6,
            "xtick.major.width": 0.6,
            "ytick.major.width": 0.6,
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "savefig.bbox": "tight",
            "svg.fonttype": "none",
            "svg.hashsalt": "revalign",
            "pdf.fonttype": 42,
        },
    )
    _applied = True


def no_data_figure(message: str, heading: str | None = None, width: str | float = "single") -> Figure:
    """A figure that says in words why there is nothing to draw (never blank axes)."""
    import textwrap

    import matplotlib.pyplot as plt

    apply()
    fig, ax = plt.subplots(layout="constrained", figsize=figsize(width, 28))
    ax.set_axis_off()
    if heading:
        title(fig, heading)
    ax.text(
        0.0,
        0.5,
        textwrap.fill(message, _chars(fig, FONT_SIZE)),
        ha="left",
        va="center",
        fontsize=FONT_SIZE,
        transform=ax.transAxes,
    )
    return fig


__all__ = [
    "COUNT_CMAP",
    "DOUBLE_COLUMN_MM",
    "DPI",
    "FONT_SIZE",
    "LEVEL_COLOURS",
    "LEVEL_TEXT",
    "MIN_FONT_PT",
    "OKABE_ITO",
    "POLARITY_COLOURS",
    "SINGLE_COLUMN_MM",
    "apply",
    "figsize",
    "level_colour",
    "mm",
    "no_data_figure",
    "note",
    "text_colour",
    "title",
]
