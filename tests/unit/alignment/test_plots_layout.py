"""The alignment heatmap fits its texts whatever the codebook: long labels, many parts, many levels.

Found by the generated reviews (tests/unit/test_generated_reviews.py): with four parts (nine count
columns) and long labels, constrained layout had no room left and collapsed the axes ("axes sizes
collapsed to zero"); a German level label wrapped to four lines overflowed its row into the rows
above and below. Each case below is drawn, and every level cell's text must lie inside its cell.
"""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml

from revalign.alignment.plots import alignment_heatmap
from revalign.core.codebook import load_codebook

LONG = "konzeptionell abgedeckt, in der Praxis lückenhaft und nur an wenigen Standorten belegt"
WORD = "Lehrkräftebildungsforschungsergebnisse"  # one word wider than a count column: never split


def _codebook(tmp_path, n_parts: int, n_levels: int, label: str):
    parts = [f"p{i}" for i in range(n_parts)]
    data = {
        "framework": {"id": "f", "name": "F", "definition": "D"},
        "components": [{"id": "a", "label": "A", "phrase": "a", "description": "d", "headline": True}],
        "themes": [{"id": "t", "label": "T"}],
        "polarity": [
            {"id": "plus", "label": f"Stärke {label[:20]}", "role": "strength"},
            {"id": "minus", "label": f"Lücke {label[:25]}", "role": "gap"},
            {"id": "both", "label": "Gemischt", "role": "mixed"},
        ],
        "facet": [{"id": p, "label": f"{label[:30]} {p}"} for p in parts],
        "context": [{"id": "c", "label": "C"}],
        "levels": [{"rank": r, "id": f"l{r}", "label": f"{label} {r}"} for r in range(n_levels)],
    }
    path = tmp_path / "cb.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_codebook(path)


def _table(cb, n_rows: int) -> pd.DataFrame:
    levels = cb.levels_by_rank()
    rows = []
    for i in range(n_rows):
        lv = levels[i % len(levels)]
        row = {
            "dimension": f"d{i}",
            "dimension_label": f"Dimension mit einem recht langen Namen Nummer {i}",
            "level": lv.id,
            "level_rank": lv.rank,
            "level_label": lv.label.text("de"),
            "level_probability": 0.5,
            "n_mixed": 1,
            "n_sources": 3,
        }
        row.update({f"n_{role}_{p}": i for role in ("strength", "gap") for p in cb.parts})
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "n_parts, n_levels, n_rows, label",
    [(2, 4, 5, LONG), (4, 6, 1, LONG), (4, 6, 12, LONG), (1, 2, 1, "kurz"), (3, 5, 3, "x" * 60), (4, 3, 2, WORD)],
)
def test_no_collapse_and_every_level_text_inside_its_cell(tmp_path, n_parts, n_levels, n_rows, label):
    cb = _codebook(tmp_path, n_parts, n_levels, label)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # "constrained_layout not applied because axes ... collapsed"
        fig = alignment_heatmap(_table(cb, n_rows), cb, "de")
        fig.canvas.draw()
    ax_level = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    texts = [t for t in ax_level.texts if t.get_text()]
    assert len(texts) == n_rows
    for i, text in enumerate(texts):
        box = text.get_window_extent(renderer)
        (x0, y0), (x1, y1) = ax_level.transData.transform([(0, i), (1, i + 1)])
        cell_lo, cell_hi = min(y0, y1), max(y0, y1)
        assert cell_lo - 1 <= box.y0 and box.y1 <= cell_hi + 1, (i, text.get_text())
        assert x0 - 1 <= box.x0 and box.x1 <= x1 + 1, (i, text.get_text())
    plt.close(fig)


def test_words_of_labels_are_never_split(tmp_path):
    # facets and levels named with one long German compound each: shown whole, upright headers
    cb = _codebook(tmp_path, 4, 3, WORD)
    from i18n_scan import figure_texts

    fig = alignment_heatmap(_table(cb, 2), cb, "de")
    tokens = {w.strip(",()") for t in figure_texts(fig) for w in t.split()}
    plt.close(fig)
    assert WORD in tokens
    # a piece of the word shown as a word of its own would be a split (the polarity labels hold WORD[:20]
    # and WORD[:25], the facets WORD[:30], as their own words: see _codebook)
    pieces = {w for w in tokens if w != WORD and WORD.startswith(w) and len(w) >= 4}
    assert pieces <= {WORD[:20], WORD[:25], WORD[:30]}
