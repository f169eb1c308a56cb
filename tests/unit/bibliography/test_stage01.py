"""Stage 01's tables, sentences and figures stay readable at 50,000 works, in every language (issue 27).

A synthetic corpus shaped like a large database export: 50,000 works over 66 years (1960-2025,
more each year), 3,000 journals and 400 publishers with a long tail of venues with one work, 18
document types. Expected values are worked out from how the corpus is built (see ``big_corpus``).
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from i18n_scan import figure_texts, messages_missing_from_catalog, unmarked
from revalign.bibliography import plots, stage
from revalign.bibliography.importer import DEFAULT_SOURCE_CATEGORIES, ImportResult

DOC_TYPES = ["article", "review", "conference paper", "book chapter", "book", "report", "editorial", "letter",
             "note", "erratum", "thesis", "webpage", "news", "government document", "other", "data set",
             "preprint", "software"]  # fmt: skip


def big_corpus(n: int = 50_000, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(1960, 2026)
    weights = np.exp((years - 1960) / 12.0)  # growing literature: most works in the last years
    doc_w = np.array([60, 8, 12, 5, 2, 4, 2, 1, 1, 0.5, 1, 1, 0.5, 0.5, 0.3, 0.2, 0.2, 0.1])
    doc = rng.choice(DOC_TYPES, size=n, p=doc_w / doc_w.sum())
    journal_rank = rng.zipf(1.3, size=n) % 3000  # a long tail of journals
    return pd.DataFrame(
        {
            "record_id": [f"w{i}" for i in range(n)],
            "year": rng.choice(years, size=n, p=weights / weights.sum()),
            "doc_type": doc,
            "source_title": [f"Journal of Studies {k}" for k in journal_rank],
            "publisher": [f"Publisher {k}" for k in rng.zipf(1.5, size=n) % 400],
            "sourcecategory": pd.Series(doc).map(DEFAULT_SOURCE_CATEGORIES).fillna("other").to_numpy(),
            "authors": "Smith, Ann",
        }
    )


@pytest.fixture(scope="module")
def corpus():
    return big_corpus()


def _overlaps(texts, renderer) -> list[tuple[str, str]]:
    boxes = [(t.get_text(), t.get_window_extent(renderer).expanded(0.98, 0.9)) for t in texts]
    boxes = [(s, b) for s, b in boxes if s.strip() and b.width > 0]
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


def _check_readable(fig) -> None:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            visible = [t for t in ticks if t.get_visible()]
            assert _overlaps(visible, renderer) == []
        assert _overlaps(ax.texts, renderer) == []  # the counts written on the bars


def test_works_per_year_of_66_years_labels_every_fifth_and_writes_no_crowded_count(corpus):
    fig = plots.works_per_year(corpus)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    # 66 years: every 2nd would be 33 labels (> 30), so every 5th year: 1960, 1965, ..., 2025
    assert labels == [str(y) for y in range(1960, 2026, 5)]
    assert plots.label_step(66) == 5 and plots.label_step(30) == 1 and plots.label_step(31) == 2
    _check_readable(fig)
    plt.close(fig)


def test_source_types_show_the_twelve_largest_and_one_bar_for_the_rest(corpus):
    corpus = corpus.assign(sourcetype="secondary")
    fig = plots.source_types(corpus)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]  # top to bottom
    assert labels[0] == "journal article" and len(labels) == 13
    assert labels[-1] == "6 more types"  # 18 document types, 12 drawn
    # the bar of the rest holds every work of the six smallest types
    widths = [p.get_width() for p in ax.patches][::-1]
    small = corpus["doc_type"].value_counts().iloc[12:].sum()
    assert widths[-1] == small and sum(widths) == len(corpus)
    _check_readable(fig)
    plt.close(fig)


def test_venues_name_what_they_leave_out(corpus):
    fig = plots.venues(corpus, top=10)
    counts = plots.venue_counts(corpus, top=10**9)
    for ax, kind in zip(fig.axes, ("journal", "publisher"), strict=True):
        sub = counts[counts["kind"] == kind]
        assert len(ax.get_yticklabels()) == 10
        more = sub[sub["works"] >= 2].iloc[10:]
        ones = int((sub["works"] == 1).sum())
        note = " ".join(ax.get_xlabel().split())
        assert f"{len(more)} more {kind}s with two or more works ({int(more['works'].sum())} works)" in note
        if ones:
            assert f"{ones} {kind}" in note
    _check_readable(fig)
    plt.close(fig)


def _result(corpus: pd.DataFrame) -> ImportResult:
    per_file = pd.DataFrame(
        {"file": ["a.csv", "b.ris"], "format": ["scopus", "ris"], "records_read": [40_000, 12_000],
         "parsed": [39_990, 12_000], "rejected": [10, 0], "skipped": [0, 2]}
    )  # fmt: skip
    merges = pd.DataFrame({"reason": ["doi"] * 1500 + ["title+authors+year"] * 490})
    return ImportResult(records=corpus, merges=merges, rejects=pd.DataFrame(), per_file=per_file)


def test_summary_and_tables_are_small_and_count_right(corpus):
    result = _result(corpus)
    assert stage.summary_text(result).splitlines() == [
        "1990 duplicate records merged (1500 by DOI, 490 by title and other fields); 10 rejected, 2 skipped",
        "52000 records read, 50000 unique works",
    ]
    # no source type in the corpus: document types against the source categories derived from them
    table = stage.kinds_table(corpus)
    assert len(table) == 12 + 1 + 1  # twelve types, the rest, the total
    assert table.index[-2] == "6 more types" and table.loc["total", "total"] == 50_000
    # the rest's row holds every work of the six smallest types (counted here from the corpus itself)
    assert table.loc["6 more types", "total"] == corpus["doc_type"].value_counts().iloc[12:].sum()
    assert table.columns.name == "Source category" and len(table.columns) <= 12 + 2
    # 40 source types (a run's own): twelve columns, one for the other 28, the total
    many = corpus.assign(sourcetype=[f"kind{i % 40}" for i in range(len(corpus))])
    wide = stage.kinds_table(many)
    assert list(wide.columns)[-2:] == ["28 more types", "total"] and len(wide.columns) == 14
    assert wide.loc["total", "total"] == 50_000


def test_a_long_audit_list_is_cut(monkeypatch):
    df = pd.DataFrame({"record_id": [f"r{i}" for i in range(45)], "year": 2020, "title": "T"})
    text = stage._head(df, "en")
    assert text.splitlines()[-1] == "... and 25 more" and len(text.splitlines()) == 1 + 20 + 1
    assert stage._head(df.iloc[:0], "de") == "(keine)"


def test_every_word_through_the_catalog(corpus):
    small = corpus.sample(3000, random_state=1).assign(sourcetype=np.where(np.arange(3000) % 3, "primary", ""))
    result = _result(small)
    kinds = stage.kinds_table(small, "qps")
    by_category = stage.kinds_table(small.drop(columns="sourcetype"), "qps")
    texts = [
        *stage.summary_text(result, "qps").splitlines(),
        *map(str, stage.per_file_table(result, "qps").columns),
        *map(str, kinds.index),
        *map(str, by_category.index),
        *map(str, by_category.columns),
        str(kinds.index.name),
        str(by_category.columns.name),
    ]
    for draw in (plots.works_per_year, plots.source_types, plots.venues, plots.source_categories):
        fig = draw(small, lang="qps")
        texts += figure_texts(fig)
        plt.close(fig)
    fig = plots.works_per_year(small.iloc[:0].reindex(range(2)), lang="qps")  # a figure in words
    texts += figure_texts(fig)
    plt.close(fig)
    # the data's own words: venues, document types outside the shared vocabulary, source types
    data = [*small["source_title"].unique(), *small["publisher"].unique(), "data set", "preprint", "software"]
    data += ["primary"]
    assert unmarked(texts, data=data) == []
    assert messages_missing_from_catalog() == set()


def test_german_words(corpus):
    fig = plots.source_types(corpus.assign(sourcetype="secondary"), lang="de")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Zeitschriftenartikel" in labels and "6 weitere Typen" in labels
    assert fig.axes[0].get_xlabel() == "Werke"
    plt.close(fig)
