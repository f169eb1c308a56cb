import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from revalign.plotting import save as figures
from revalign.plotting import style


def _figure():
    style.apply()
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2], color=style.LEVEL_COLOURS[1:3])
    ax.set_title("t")
    return fig


def test_save_figure_is_byte_identical_across_saves(tmp_path):
    fig = _figure()
    png, svg = figures.save_figure(fig, "f", tmp_path / "one")
    first = (png.read_bytes(), svg.read_bytes())
    fig2 = _figure()
    png2, svg2 = figures.save_figure(fig2, "f", tmp_path / "two")
    assert (png2.read_bytes(), svg2.read_bytes()) == first
    plt.close("all")


def test_no_dates_or_software_stamp_in_metadata(tmp_path):
    png, svg = figures.save_figure(_figure(), "g", tmp_path)
    text = svg.read_text()
    assert "<dc:date>" not in text
    assert b"Software" not in png.read_bytes()[:400]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close("all")


def test_level_scale_is_ordered_light_to_dark():
    # relative luminance must fall strictly from level 0 to level 3
    def lum(hex_colour):
        r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    values = [lum(c) for c in style.LEVEL_COLOURS]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
