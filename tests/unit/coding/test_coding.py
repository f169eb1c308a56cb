"""Coding matrices on the fixture (tests/fixtures/coding/segments_ok.csv), counted by hand.

The fixture, one line per segment (source category in brackets):
  s01 alpha(policy)   practice   improve_performance strength
  s02 beta(report)    practice   improve_performance strength
  s03 gamma(academic) definition strategic_design    mixed
  s04 gamma(academic) challenges empower_learners    gap
  s05 delta(media)    challenges ethical_practice    gap
  s06 selfreview      challenges ethical_practice    gap   <- the review's own synthesis
  s07 alpha(policy)   practice   strategic_design    strength
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cli_runner import run_cli
from revalign.coding import matrices as coding
from revalign.coding.segments import read_segments

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def segs(cb, corpus):
    return read_segments(FIX / "segments_ok.csv", cb, set(corpus["record_id"]))


def test_theme_dimension_keeps_synthesis_apart(segs, cb, corpus):
    ev = coding.theme_dimension_matrix(segs, cb, corpus)
    assert ev.index.tolist() == ["definition", "practice", "challenges"]
    assert ev.columns.tolist() == cb.component_ids
    # practice: s01, s02 -> improve_performance 2; s07 -> strategic_design 1
    assert ev.loc["practice"].tolist() == [2, 1, 0, 0, 0]
    assert ev.loc["definition"].tolist() == [0, 1, 0, 0, 0]
    # challenges: s04 empower 1, s05 ethical 1 (s06 is synthesis, not counted)
    assert ev.loc["challenges"].tolist() == [0, 0, 1, 1, 0]
    syn = coding.theme_dimension_matrix(segs, cb, corpus, basis="synthesis")
    assert syn.to_numpy().sum() == 1 and syn.loc["challenges", "ethical_practice"] == 1
    assert coding.theme_dimension_matrix(segs, cb, corpus, basis="all").to_numpy().sum() == 7


def test_theme_dimension_table(segs, cb, corpus):
    t = coding.theme_dimension_table(segs, cb, corpus).set_index(["theme", "dimension"])
    assert len(t) == 3 * 5
    assert t.loc[("practice", "improve_performance")].tolist() == [2, 2, 0]  # 2 segments, 2 sources
    assert t.loc[("challenges", "ethical_practice")].tolist() == [1, 1, 1]  # + 1 synthesis
    assert t["n_segments"].sum() == 6 and t["n_synthesis"].sum() == 1


def test_evidence_map_net_and_stance(segs, cb, corpus):
    em = coding.evidence_map(segs, cb, corpus).set_index(["ref_key", "dimension"])
    assert len(em) == 7  # every (source, dimension) pair with a segment, synthesis row included
    assert em.loc[("alpha2020policy", "improve_performance"), "net"] == 1
    assert em.loc[("gamma2022study", "strategic_design"), "stance"] == "mixed"
    assert em.loc[("gamma2022study", "strategic_design"), "net"] == 0
    assert em.loc[("delta2023news", "ethical_practice"), "net"] == -1
    assert bool(em.loc[("selfreview", "ethical_practice"), "is_synthesis"])
    assert em.loc[("delta2023news", "ethical_practice"), "sourcecategory"] == "media"


def test_evidence_map_sorted_synthesis_last(segs, cb, corpus):
    em = coding.evidence_map(segs, cb, corpus)
    eth = em[em["dimension"] == "ethical_practice"]["ref_key"].tolist()
    assert eth == ["delta2023news", "selfreview"]


def test_stance_rule():
    assert coding._stance(2, 0, 0) == "strength"
    assert coding._stance(0, 1, 0) == "gap"
    assert coding._stance(1, 1, 0) == "mixed"
    assert coding._stance(1, 0, 1) == "mixed"


def test_evidence_map_matrix(segs, cb, corpus):
    m = coding.evidence_map_matrix(segs, cb, corpus)
    assert m.index.tolist()[-1] == "selfreview"  # synthesis last
    assert m.loc["alpha2020policy", "strategic_design"] == 1
    assert np.isnan(m.loc["alpha2020policy", "empower_learners"])  # says nothing


def test_sourcetype_and_triangulation(segs, cb, corpus):
    # the corpus's categories, the review left out: academic (gamma, eps), then one work each
    # (media, policy, report) by name; the run's preferred order comes first
    m = coding.sourcetype_dimension_matrix(segs, corpus, cb, preferred=["policy", "report"])
    assert m.index.tolist() == ["policy", "report", "academic", "media"]
    assert m["improve_performance"].tolist() == [1, 1, 0, 0]
    assert m["strategic_design"].tolist() == [1, 0, 1, 0]
    # ethical_practice: delta (media); the review's own row is not a source type
    assert m["ethical_practice"].tolist() == [0, 0, 0, 1]
    assert coding.source_categories(corpus) == ["academic", "media", "policy", "report"]
    tri = coding.triangulation(segs, corpus, cb).set_index("dimension")
    assert tri.loc["improve_performance", "status"] == "triangulated"
    assert tri.loc["improve_performance", "categories"] == "policy;report"
    assert tri.loc["management", "status"] == "no cited evidence"
    single = coding.single_type_dimensions(segs, corpus, cb)
    assert single["dimension"].tolist() == ["empower_learners", "ethical_practice"]
    assert single["categories"].tolist() == ["academic", "media"]


def test_source_categories_come_from_the_data(segs, cb, corpus):
    # A corpus whose categories stage 01 derived from document types: no row of another review's
    # categories (policy, report, academic, media) appears; unknown and other come last (by name).
    derived = corpus.assign(
        sourcecategory=["journal article", "web page", "journal article", "", "other", "journal article"]
    )
    assert coding.source_categories(derived) == ["journal article", "web page", "other", "unknown"]
    t = coding.sourcetype_dimension_table(segs, derived, cb)
    assert t["sourcecategory"].drop_duplicates().tolist() == ["journal article", "web page", "other", "unknown"]
    # improve_performance: alpha (web page) and beta (journal article), one work each
    ip = t[t["dimension"] == "improve_performance"].set_index("sourcecategory")["n_sources"]
    assert ip.to_dict() == {"journal article": 1, "web page": 1, "other": 0, "unknown": 0}
    assert coding.has_source_categories(derived)
    assert not coding.has_source_categories(corpus.assign(sourcecategory=["", "other", "", "", "other", ""]))


def test_sourcetype_needs_column(segs, cb, corpus):
    from revalign.core.errors import InputError

    with pytest.raises(InputError, match="sourcecategory"):
        coding.sourcetype_dimension_table(segs, corpus.drop(columns="sourcecategory"), cb)


# ---- CLI -----------------------------------------------------------------------------------

BIB = """@article{alpha2020policy, title={Policy}, author={Alpha, A.}, year={2020}, journal={J}, sourcetype={primary}, sourcecategory={policy}, inreflist={yes}}
@article{beta2021report, title={Report}, author={Beta, B.}, year={2021}, journal={J}, sourcetype={primary}, sourcecategory={report}, inreflist={yes}}
@article{gamma2022study, title={Study}, author={Gamma, G.}, year={2022}, journal={J}, sourcetype={secondary}, sourcecategory={academic}, inreflist={yes}}
@article{delta2023news, title={News}, author={Delta, D.}, year={2023}, journal={J}, sourcetype={secondary}, sourcecategory={media}, inreflist={yes}}
@article{selfreview, title={The review}, author={Self, S.}, journal={J}, sourcetype={review}, sourcecategory={academic}, inreflist={self}}
@article{eps2019unused, title={Unused}, author={Eps, E.}, year={2019}, journal={J}, sourcetype={secondary}, sourcecategory={academic}, inreflist={no}}
"""


def test_cli_validate_ok(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    r = run_cli(
        "coding",
        "validate",
        "--segments",
        str(FIX / "segments_ok.csv"),
        "--codebook",
        str(FIX / "codebook.yml"),
        "--bibliography",
        str(bib),
    )
    assert r.returncode == 0, r.stderr
    assert "7 segments OK (6 cited evidence from 4 sources, 1 the review's own synthesis)" in r.stdout
    assert "1 references never used as evidence: eps2019unused" in r.stdout


def test_cli_validate_bad_key(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB.replace("delta2023news", "delta2023other"))
    r = run_cli(
        "coding",
        "validate",
        "--segments",
        str(FIX / "segments_ok.csv"),
        "--codebook",
        str(FIX / "codebook.yml"),
        "--bibliography",
        str(bib),
    )
    assert r.returncode == 2
    # s05 (delta2023news) starts on line 7 of the fixture
    assert r.stderr.strip().startswith("error: ")
    assert "segments_ok.csv:7: ref_key 'delta2023news' is not a citation key" in r.stderr
    assert "Traceback" not in r.stderr


# ---- figures -------------------------------------------------------------


def test_figures_saved(tmp_path, segs, cb, corpus):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from revalign.coding import plots as coding_plots
    from revalign.coding.segments import synthesis_keys
    from revalign.plotting.save import save_figure

    td = coding.theme_dimension_matrix(segs, cb, corpus)
    syn = coding.theme_dimension_matrix(segs, cb, corpus, basis="synthesis")
    fig = coding_plots.theme_dimension_heatmap(td, syn, cb)
    texts = {t.get_text() for t in fig.axes[0].texts}
    # practice x performance 2; practice x design 1; definition x design 1; challenges x empower 1;
    # challenges x ethical: 1 cited (s05) + 1 synthesis (s06) -> "1\n(+1)"; empty cells no text
    assert sorted(texts) == ["1", "1\n(+1)", "2"]
    assert len(fig.axes[0].texts) == 5
    emap = coding.evidence_map(segs, cb, corpus)
    fig2 = coding_plots.evidence_map_heatmap(emap, cb, "id", synthesis_keys=synthesis_keys(corpus))
    # the review's own claims are their own block, labelled in the run's language
    assert fig2.axes[0].get_yticklabels()[-1].get_text() == "Sintesis kajian sendiri"
    # one number per (source, dimension) pair with evidence: the segments behind it
    assert sorted(t.get_text() for t in fig2.axes[0].texts) == sorted(
        str(int(n)) for n in emap[["n_strength", "n_gap", "n_mixed"]].sum(axis=1)
    )
    paths = save_figure(fig2, "evidence_map", tmp_path)
    assert [p.name for p in paths] == ["evidence_map.png", "evidence_map.svg"]
    plt.close("all")
