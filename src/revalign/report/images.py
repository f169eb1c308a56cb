"""Figures for the page: PNGs re-encoded for the screen, small enough to embed.

The figures are saved at 300 dpi for print. The report embeds each at half that
resolution (150 dpi: sharp on a 2x screen at the printed size) with its colours reduced
to an adaptive palette of at most 256 (what pngquant does), which keeps a page of a dozen
figures far below 1.5 MB. Pillow's quantiser and encoder are deterministic, so the same
figure gives the same bytes and the report stays byte-identical on a rerun.
"""

from __future__ import annotations

import base64
import io

from revalign.plotting import style

SCREEN_DPI = 150
COLOURS = 256
#: on screen a figure is shown this much larger than printed (7 pt text would read as ~9 px)
SCREEN_ZOOM = 1.35


def png_width(png: bytes) -> int:
    """Width in pixels from the PNG's IHDR chunk (right after the 8-byte signature)."""
    return int.from_bytes(png[16:20], "big")


def css_width(png: bytes) -> int:
    """Display width in CSS pixels of a PNG saved at the figures' dpi: its printed width
    (96 CSS px per inch) times :data:`SCREEN_ZOOM` (the page caps it at the text column).

    Figures keep their relative sizes: a single-column chart is not stretched to the width
    of a double-column one.
    """
    return max(1, round(png_width(png) * 96 / style.DPI * SCREEN_ZOOM))


def for_screen(png: bytes) -> bytes:
    """*png* (saved at ``style.DPI``) resampled to :data:`SCREEN_DPI` with a reduced palette."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        im = im.convert("RGB")
        scale = SCREEN_DPI / style.DPI
        if scale < 1:
            im = im.resize(
                (max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.LANCZOS
            )
        im = im.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        out = io.BytesIO()
        im.save(out, format="PNG", optimize=True)
    return out.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(for_screen(png)).decode("ascii")
