"""Stage 04's figures say nothing in the program's own words that bypassed the message catalog.

Each figure is drawn in the pseudo-language qps from a codebook labelled in qps too; any word left
outside the ⟦...⟧ brackets that is not a source's name came from a string the catalog never saw.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from i18n_scan import figure_texts, messages_missing_from_catalog, unmarked
from pseudo_codebook import pseudo_codebook
from revalign import alignment
from revalign.alignment import plots as alignment_plots
from revalign.alignment import sensitivity
from revalign.core.config import Alignment, Bootstrap

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "alignment"
P = Alignment(bootstrap=Bootstrap(replicates=20))
SOURCES = ["Müller 2021", "Schmidt 2019", "OECD 2020"]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    cb = pseudo_codebook(FIX / "codebook_own_ids.yml", tmp_path_factory.mktemp("cb"))
    rows = [
        ("k1", "staerke", "konzept", "dach", "a1"),
        ("k2", "staerke", "praxis", "international", "a1"),
        ("k3", "luecke", "praxis", "dach", "a1"),
        ("k2", "gemischt", "konzept", "dach", "a2"),
    ]
    segs = pd.DataFrame(
        [
            {
                "segment_id": f"s{i}",
                "ref_key": r[0],
                "locator": "p. 1",
                "dimension": r[4],
                "polarity": r[1],
                "facet": r[2],
                "context": r[3],
                "excerpt": "x",
                "claim_id": f"c{i}",
            }
            for i, r in enumerate(rows)
        ]
    )
    types = {"k1": "academic", "k2": "policy", "k3": "academic"}
    table = alignment.build_table(segs, cb, P, types, lang="qps")
    dims = list(table["dimension"])
    shares, _ = sensitivity.sensitivity_table(segs, cb, P, dims, types)
    labels = dict(zip(["k1", "k2", "k3"], SOURCES, strict=True))
    figs = {
        "alignment_heatmap": alignment_plots.alignment_heatmap(table, cb, "qps"),
        "coverage_heatmap": alignment_plots.coverage_heatmap(segs, cb, P, "qps"),
        "evidence_gap_map": alignment_plots.evidence_gap_map(segs, cb, P, dims, "qps", source_labels=labels),
        "sensitivity": alignment_plots.sensitivity_chart(shares, table, cb, "qps"),
        "no_data": alignment_plots.alignment_heatmap(table.iloc[:0], cb, "qps"),
    }
    texts = {name: figure_texts(fig) for name, fig in figs.items()}
    for fig in figs.values():
        plt.close(fig)
    return texts


@pytest.mark.parametrize(
    "name", ["alignment_heatmap", "coverage_heatmap", "evidence_gap_map", "sensitivity", "no_data"]
)
def test_every_visible_word_came_through_the_catalog_or_the_data(drawn, name):
    assert drawn[name], f"{name}: no text at all"
    assert unmarked(drawn[name], data=SOURCES) == []


def test_every_message_the_figures_asked_for_is_in_the_catalog(drawn):
    assert messages_missing_from_catalog() == set()


def test_the_scan_finds_a_word_that_bypassed_the_catalog():
    assert unmarked(["\u27e6Level\u27e7", "Sources", "Müller 2021"], data=["Müller 2021"]) == ["Sources"]
