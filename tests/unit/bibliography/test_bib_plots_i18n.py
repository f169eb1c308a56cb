"""Stage 01's figures and printed tables speak the run's language: nothing bypasses the message catalog,
and a corpus without source types shows no source-type legend ("Source type not given").

Drawn in the pseudo-language qps: any word outside ⟦...⟧ that is not the corpus's own data (venue names)
came from a string the catalog never saw.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from i18n_scan import figure_texts, messages_missing_from_catalog, unmarked
from revalign.bibliography import plots, stage

VENUES = ["Computers & Teacher Education", "Zeitschrift für Erziehungsforschung", "Beispielverlag"]


def _corpus(sourcetype: bool) -> pd.DataFrame:
    rows = [
        ("article", VENUES[0], "", 2019),
        ("article", VENUES[0], "", 2021),
        ("article", VENUES[1], "", 2021),
        ("article", VENUES[1], "", 2022),
        ("report", "", VENUES[2], 2010),  # before a run of empty years: the axis is broken
        ("book", "", VENUES[2], 2023),
    ]
    c = pd.DataFrame(rows, columns=["doc_type", "source_title", "publisher", "year"])
    c["sourcecategory"] = ["journal article"] * 4 + ["report", "book"]
    if sourcetype:
        c["sourcetype"] = ["secondary"] * 4 + ["primary", "secondary"]
    return c


@pytest.fixture(scope="module")
def drawn():
    figs = {}
    for with_types in (True, False):
        c = _corpus(with_types)
        figs[f"works_per_year_{with_types}"] = plots.works_per_year(c, "qps")
        figs[f"source_types_{with_types}"] = plots.source_types(c, "qps")
        figs[f"venues_{with_types}"] = plots.venues(c, lang="qps")
    figs["no_year"] = plots.works_per_year(_corpus(False).assign(year=pd.NA), "qps")
    figs["no_venue"] = plots.venues(_corpus(False).iloc[[0, 2]], lang="qps")
    texts = {name: figure_texts(fig) for name, fig in figs.items()}
    for fig in figs.values():
        plt.close(fig)
    return texts


@pytest.mark.parametrize(
    "name",
    [f"{f}_{t}" for f in ("works_per_year", "source_types", "venues") for t in (True, False)] + ["no_year", "no_venue"],
)
def test_every_visible_word_came_through_the_catalog_or_the_data(drawn, name):
    assert drawn[name], f"{name}: no text at all"
    assert unmarked(drawn[name], data=VENUES) == []


def test_no_source_type_legend_when_the_exports_give_no_source_type(drawn):
    # qps wraps the legend entry's English text: with source types the legend names them
    assert any("Secondary (articles" in t for t in drawn["works_per_year_True"])
    assert not any("Source type not given" in t for t in drawn["works_per_year_False"])
    assert not any("Secondary (articles" in t or "Primary" in t for t in drawn["works_per_year_False"])


def test_the_corpus_tables_in_german():
    c = _corpus(False)
    table = stage.kinds_table(c, "de")
    # no source type in the exports: the document types against the source categories derived from them
    assert table.index.name == "Dokumenttyp" and table.columns.name == "Quellenkategorie"
    assert table.loc["Zeitschriftenartikel", "Zeitschriftenartikel"] == 4  # 4 articles, category journal article
    assert table.loc["gesamt", "gesamt"] == 6
    table = stage.kinds_table(_corpus(True), "de")
    assert table.columns.name == "Quellentyp" and list(table.columns) == ["primary", "secondary", "gesamt"]


def test_every_message_asked_for_is_in_the_catalog(drawn):
    assert messages_missing_from_catalog() == set()
