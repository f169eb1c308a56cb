"""Stage 03 says nothing in the program's own words that bypassed the message catalog.

Its figures, the text notebook 03 prints (revalign.coding.views, the vocabulary-check summary) and
the agreement report of `revalign agree` are produced in the pseudo-language qps from a codebook
labelled in qps too; any word left outside the ⟦...⟧ brackets that is not data (a citation key, a
code id, a source's name, the framework's name and phrases) came from a string the catalog never saw.
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
from revalign.coding import stage, views, vocabulary_summary
from revalign.coding.agreement_report import agreement_report
from revalign.coding.segments import mark_review, read_segments
from revalign.coding.two_coders import compare_claims

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "coding"
SCREENING = pd.DataFrame(
    {
        "record_id": ["alpha2020policy", "beta2021report", "gamma2022study", "delta2023news"],
        "decision": ["include", "include", "exclude", "include"],
        "reason": ["included", "included", "no_keyword_match", "included"],
        "stage": ["screening"] * 4,
    }
)


def _inputs(cb, corpus, lang="qps") -> stage.Inputs:
    segs = read_segments(FIX / "segments_ok.csv", cb, set(corpus["record_id"]))
    return stage.Inputs(codebook=cb, corpus=corpus, segments=segs, screening=SCREENING, lang=lang)


def _data(x: stage.Inputs) -> list[str]:
    """The texts of the inputs themselves: keys, ids, names, phrases, labels of other languages."""
    cb = x.codebook
    data = [*x.corpus["record_id"], *x.segments["segment_id"], *x.short_citations.values(), cb.framework.name]
    data += [c.phrase for c in cb.components] + [c.id for c in cb.components]
    data += [t.id for name in ("themes", "polarity", "facet", "context") for t in getattr(cb, name)]
    data += [item.label.text(lg) for _, item in cb.entries() for lg in item.label.languages if lg != "qps"]
    data += ["no_keyword_match", "qps", "en", "id", "none"]  # a reason code, language codes, the matcher's id
    return data


@pytest.fixture(scope="module")
def x(tmp_path_factory, corpus):
    cb = pseudo_codebook(FIX / "codebook.yml", tmp_path_factory.mktemp("cb"))
    return _inputs(cb, corpus)


def _frame_texts(df: pd.DataFrame) -> list[str]:
    return [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel() if str(v).strip()]


def test_figures_in_pseudo_language(x):
    check = stage.run_vocabulary_check(x)
    stats = pd.DataFrame(
        {"label": ["completion"], "value": [40.0], "unit": ["%"], "ref_key": ["beta2021report"], "approximate": [False]}
    )
    years = pd.DataFrame([[1, 2]], index=["improve_performance"], columns=[2020, 2021])
    figures = [
        stage.theme_dimension_figure(x),
        stage.evidence_map_figure(x),
        stage.triangulation_figure(x),
        stage.confusion_figure(check, x),
        stage.key_statistics_figure(stats, x),
        stage.literature_map_figure(years, x),
        stage.triangulation_figure(
            stage.Inputs(x.codebook, x.corpus.assign(sourcecategory=""), x.segments, None, "qps")
        ),
    ]
    texts = [t for fig in figures for t in figure_texts(fig)]
    for fig in figures:
        plt.close(fig)
    assert unmarked(texts, data=[*_data(x), "completion", "2020", "2021"]) == []
    assert any("\u2020" in t for t in texts)  # the dagger of the work excluded at screening (gamma)


def test_printed_text_in_pseudo_language(x):
    check = stage.run_vocabulary_check(x)
    excluded = stage.excluded_citations(x)
    unused = stage.unused_references(x)
    texts = [
        views.codebook_overview(x.codebook, "qps"),
        *_frame_texts(views.components_table(x.codebook, "qps")),
        *_frame_texts(views.vocabularies_table(x.codebook, "qps")),
        *views.validation_text(x, unused, "unused.csv", excluded, "evidence_map.csv").splitlines(),
        *views.triangulation_text(x, stage.triangulation(x)).splitlines(),
        *views.closing_text(x, check, stage.single_type_dimensions(x), excluded).splitlines(),
        views.no_key_statistics("qps"),
        views.no_literature_map(x, stage.screened_records(x)),
        *vocabulary_summary.summary_text(check.result, 3, "dis.csv", x.codebook, "qps").splitlines(),
    ]
    data = [*_data(x), "unused.csv", "evidence_map.csv", "dis.csv", "excluded_at_screening"]
    assert unmarked(texts, data=data) == []
    assert messages_missing_from_catalog() == set()


def test_agreement_report_in_pseudo_language():
    fix = FIX / "two_coders"
    a, b = read_segments(fix / "a.csv"), read_segments(fix / "b.csv")
    text = agreement_report(compare_claims(a, b, lang="qps"), "a.csv", "b.csv", lang="qps")
    data = ["a.csv", "b.csv", "docs/protocol.md", "polarity", "facet", "context", "sources", "A", "B"]
    assert unmarked(text.splitlines(), data=data) == []


def test_a_run_without_a_review_never_mentions_its_synthesis(corpus, cb):
    # The fixture's corpus without its review record (and the segment citing it): nothing may
    # speak of "the review's own" claims or synthesis.
    plain = corpus[corpus["record_id"] != "selfreview"].drop(columns=["inreflist", "sourcetype"])
    segs = read_segments(FIX / "segments_ok.csv", cb, set(corpus["record_id"]))
    x = stage.Inputs(cb, mark_review(plain, None), segs[segs["ref_key"] != "selfreview"], SCREENING, "en")
    assert not x.has_review
    check = stage.run_vocabulary_check(x)
    excluded = stage.excluded_citations(x)
    text = "\n".join(
        [
            views.validation_text(x, stage.unused_references(x), "u.csv", excluded, "e.csv"),
            views.closing_text(x, check, stage.single_type_dimensions(x), excluded),
        ]
    )
    assert "review" not in text.lower() and "synthesis" not in text.lower()
    assert "claims: 6\nsegments: 6\n" in text  # s01-s05, s07: six claims (six locators), six segments
    fig = stage.theme_dimension_figure(x)
    assert not any("synthesis" in t for t in figure_texts(fig))
    plt.close(fig)


def test_printed_text_in_german(corpus, cb):
    x = _inputs(cb, corpus, lang="de")
    text = views.validation_text(x, stage.unused_references(x), "u.csv", stage.excluded_citations(x), "e.csv")
    # the fixture: 6 cited segments and the review's own one; gamma (s03, s04) excluded at screening
    assert "zitierte Evidenz" in text and "eigene Synthese des Reviews" in text
    assert "2 Segmente zitieren Werke, die beim Screening ausgeschlossen wurden" in text
    assert "s03, s04" in text
