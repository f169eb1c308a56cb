"""Save figures reproducibly: PNG at a fixed dpi and SVG, with no dates in the metadata."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from revalign.core.atomic import atomic_path
from revalign.plotting import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}


def save_figure(fig: Figure, name: str, figures_dir: str | Path) -> list[Path]:
    """Write ``figures_dir/name.png`` and ``.svg`` atomically; return both paths.

    The same figure saved twice gives the same bytes: PNG without a Software
    stamp, SVG without a date and with a fixed hash salt for element ids.
    """
    import matplotlib as mpl

    figures_dir = Path(figures_dir)
    paths = []
    with mpl.rc_context({"svg.hashsalt": "revalign"}):
        for ext, meta in (("png", PNG_METADATA), ("svg", SVG_METADATA)):
            target = figures_dir / f"{name}.{ext}"
            with atomic_path(target) as tmp:
                fig.savefig(
                    tmp,
                    format=ext,
                    dpi=style.DPI,
                    metadata=meta,
                    bbox_inches="tight",
                    pad_inches=style.mm(style.PAD_MM),
                )
            paths.append(target)
    return paths
