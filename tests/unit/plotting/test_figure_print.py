"""Figures fit a journal column and keep their text >= 7 pt at print size, read from the saved SVG.

A saved SVG states its size in points (``width="...pt"``) and, with ``svg.fonttype: none``,
every text's size (``font-size: 7px`` in SVG user units, which are points here: 72 per inch).
A figure goes into a single column (85 mm) when it is at most 2 mm wider, else into the
double column (175 mm); a figure wider than its column is shrunk to it, scaling its text
down. So the printed text size is ``font * min(1, column / width)``; no figure may be wider
than the double column plus 2 mm.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from revalign.bibliography import plots as corpus_plots
from revalign.plotting import style
from revalign.plotting.save import save_figure

ROOT = Path(__file__).resolve().parents[3]
MM_PER_PT = 25.4 / 72
SLACK_MM = 2.0


def svg_print_facts(path: Path) -> tuple[float, float, list[float]]:
    """(width mm, height mm, font sizes in pt) of a saved SVG."""
    text = path.read_text(encoding="utf-8")
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', text).group(1)) * MM_PER_PT
    height = float(re.search(r'<svg[^>]*\sheight="([\d.]+)pt"', text).group(1)) * MM_PER_PT
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", text)]
    sizes += [float(s) for s in re.findall(r"font:[^;\"]*?([\d.]+)px", text)]
    return width, height, sizes


def check_print(path: Path) -> None:
    width, _, sizes = svg_print_facts(path)
    assert width <= style.DOUBLE_COLUMN_MM + SLACK_MM, f"{path.name}: {width:.0f} mm is wider than a double column"
    assert sizes, f"{path.name}: no text found (is svg.fonttype 'none'?)"
    # it goes into a single column when it is (nearly) that narrow, else into the double column
    column = style.SINGLE_COLUMN_MM if width <= style.SINGLE_COLUMN_MM + SLACK_MM else style.DOUBLE_COLUMN_MM
    scale = min(1.0, column / width)
    smallest = min(sizes) * scale
    assert smallest >= style.MIN_FONT_PT - 1e-6, f"{path.name}: text of {smallest:.1f} pt at print size"


COMMITTED = sorted((ROOT / "figures").glob("*.svg"))


@pytest.mark.parametrize("svg", COMMITTED, ids=[p.stem for p in COMMITTED])
def test_committed_figures_fit_a_column_with_readable_text(svg):
    check_print(svg)


def test_the_check_can_fail(tmp_path):
    # a 250 mm wide figure with 8 pt text prints at 8 * 175/250 = 5.6 pt: rejected
    style.apply()
    fig, ax = plt.subplots(figsize=(250 / 25.4, 40 / 25.4))
    ax.set_title("wide", fontsize=8)
    svg = save_figure(fig, "wide", tmp_path)[1]
    plt.close(fig)
    with pytest.raises(AssertionError):
        check_print(svg)


def _corpus(years, types=None, doc=None, venue=None, publisher=None):
    n = len(years)
    return pd.DataFrame(
        {
            "record_id": [f"w{i}" for i in range(n)],
            "year": [str(y) for y in years],
            "sourcetype": types or ["secondary"] * n,
            "doc_type": doc or ["article"] * n,
            "source_title": venue or [f"Journal {i}" for i in range(n)],
            "publisher": publisher or [""] * n,
        }
    )


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_works_per_year_labels_every_year_and_cuts_a_lone_early_work(tmp_path):
    # one work in 2008, then 2021..2025 with 2022 empty: the axis shows 2008, a break,
    # then 2021, 2022, 2023, 2024, 2025 (every year of the main span, the empty one too).
    fig = corpus_plots.works_per_year(_corpus([2008, 2021, 2023, 2023, 2024, 2025]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2008", "2021", "2022", "2023", "2024", "2025"]
    assert "//" in _texts(fig)
    check_print(save_figure(fig, "wpy", tmp_path)[1])
    plt.close(fig)


def test_year_bins():
    # hand-worked: gaps of 12 (2009-2020) and 0 empty years; only the first run is >= 5
    assert corpus_plots.year_bins(pd.Series([2008, 2021, 2023])) == ([2008], [2021, 2022, 2023])
    assert corpus_plots.year_bins(pd.Series([2019, 2021])) == ([], [2019, 2020, 2021])


def test_venues_with_nothing_repeated_say_so_in_words():
    fig = corpus_plots.venues(_corpus([2020, 2021, 2022]))
    text = " ".join(" ".join(_texts(fig)).split())  # wrapped lines joined
    assert "No journal or publisher contributes more than one work" in text
    assert "3 journals" in text
    assert all(not ax.axison for ax in fig.axes)  # no empty axes drawn
    plt.close(fig)


def test_venues_keep_journals_apart_from_publishers():
    # two articles in "J A", two reports by "Org B" (their source_title differs), one of each alone
    c = _corpus(
        [2020] * 6,
        doc=["article", "article", "report", "report", "article", "report"],
        venue=["J A", "J A", "Series 1", "Series 2", "J C", "Series 3"],
        publisher=["", "", "Org B", "Org B", "", "Org D"],
    )
    counts = corpus_plots.venue_counts(c)
    assert counts.to_dict("records")[:2] == [
        {"kind": "journal", "venue": "J A", "works": 2},
        {"kind": "journal", "venue": "J C", "works": 1},
    ]
    assert {"kind": "publisher", "venue": "Org B", "works": 2} in counts.to_dict("records")
    fig = corpus_plots.venues(c)
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert labels == ["J A", "Org B"]
    plt.close(fig)


def test_no_year_at_all_is_said_in_words():
    fig = corpus_plots.works_per_year(_corpus(["", ""]))
    assert "No work of the corpus has a publication year" in " ".join(" ".join(_texts(fig)).split())
    plt.close(fig)


def test_source_types_without_a_source_type_field_shows_the_derived_categories():
    # Exports carry no hand-added sourcetype: the figure must show the categories derived from
    # the document types (3 articles, 1 report), not one "not given" bar.
    import pandas as pd

    from revalign.bibliography import plots

    corpus = pd.DataFrame(
        {"doc_type": ["article"] * 3 + ["report"], "sourcecategory": ["journal article"] * 3 + ["report"]}
    )
    fig = plots.source_types(corpus)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["report", "journal article"]
    assert [p.get_width() for p in ax.patches] == [1, 3]
