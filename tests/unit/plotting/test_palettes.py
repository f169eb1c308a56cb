"""Every palette stays readable for a reader with deuteranopia (the commonest colour-vision deficiency).

Each colour is passed through the Machado, Oliveira & Fernandes (2009) simulation of
deuteranopia (severity 1.0; the 3x3 matrix of their Table, applied to linear RGB), then
converted to CIELAB (sRGB, D65). Two colours that code different things must stay at
least ``MIN_DELTA_E`` apart (CIE76 Delta E). 2.3 is a just-noticeable difference; 10 is
used here as "clearly different at a glance" in small cells and legend patches.
The matrix and the conversions are written out below, independent of the package.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from revalign.bibliography.plots import SOURCETYPE_COLOURS
from revalign.plotting import style

MIN_DELTA_E = 10.0

# Machado et al. (2009), deuteranomaly at severity 1.0 (= deuteranopia)
DEUTERANOPIA = np.array(
    [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]
)


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab_from_linear(lin: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_by_deuteranope(hex_colour: str) -> np.ndarray:
    return _lab_from_linear(np.clip(DEUTERANOPIA @ _linear(_rgb(hex_colour)), 0, 1))


def delta_e(a: str, b: str) -> float:
    return float(np.linalg.norm(seen_by_deuteranope(a) - seen_by_deuteranope(b)))


def test_simulation_sanity():
    # worked by hand: white and black are unchanged (rows of the matrix sum to 1), so their
    # distance is the full lightness range L* 100 -> 0; pure red and pure green, far apart
    # for a trichromat, collapse to a small fraction of that for a deuteranope.
    assert delta_e("#ffffff", "#000000") == pytest.approx(100, abs=0.5)
    assert delta_e("#ff0000", "#00ff00") < 0.5 * float(
        np.linalg.norm(_lab_from_linear(_linear(_rgb("#ff0000"))) - _lab_from_linear(_linear(_rgb("#00ff00"))))
    )


PALETTES = {
    "polarity (strength / mixed / gap; evidence maps)": list(style.POLARITY_COLOURS.values()),
    "alignment levels": list(style.LEVEL_COLOURS),
    "source types (works per year, source types)": list(SOURCETYPE_COLOURS.values()),
}


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palette_distinct_under_deuteranopia(name):
    colours = PALETTES[name]
    worst = min((delta_e(a, b), a, b) for a, b in itertools.combinations(colours, 2))
    assert worst[0] >= MIN_DELTA_E, (
        f"{name}: {worst[1]} and {worst[2]} are only Delta E {worst[0]:.1f} apart for a deuteranope"
    )


def test_levels_keep_their_order_in_lightness_under_deuteranopia():
    lightness = [seen_by_deuteranope(c)[0] for c in style.LEVEL_COLOURS]
    assert lightness == sorted(lightness, reverse=True)
