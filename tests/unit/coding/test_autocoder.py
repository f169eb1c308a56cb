"""The automatic coder: term matching rules, the decision rule, records by year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.coding import autocoder as ac
from revalign.coding.segments import read_segments
from revalign.core.codebook import load_codebook

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(FIX / "codebook.yml")


@pytest.fixture(scope="module")
def inds(cb):
    return ac.build_indicators(cb)


@pytest.mark.parametrize(
    "term,lang,text,hit",
    [
        ("skill", "en", "new Skills for work", True),  # case, plural
        ("skill", "en", "a skillset", False),  # word boundary
        ("ethic", "en", "ethical use", False),  # only s/es, not -al
        ("blended learning", "en", "blended-learning courses", True),  # hyphen = space
        ("blended learning", "en", "Blended\n  learning", True),
        ("etika", "id", "etikanya belum jelas", True),  # -nya
        ("kinerja", "id", "meningkatkan kinerja", True),
        ("desain", "id", "berdesain", False),  # prefixes are not stripped
        ("kembang", "id", "kembangkan", True),  # -kan
        ("kembang", "id", "kembangkannya", True),  # -kan + -nya
        ("pilih*", "id", "pilihannya luas", True),  # wildcard
        ("pilih*", "id", "memilih", False),
        ("3t", "id", "wilayah 3T", True),
    ],
)
def test_term_pattern(term, lang, text, hit):
    assert bool(ac.term_pattern(term, lang).search(text)) is hit


def test_most_hits_wins(inds, cb):
    # privacy, ethics -> ethical_practice 2 hits; curriculum -> strategic_design 1 hit
    c = ac.code_text("Privacy and ethics matter more than the curriculum.", inds, cb.component_ids)
    assert c.dimension == "ethical_practice"
    assert c.hits == {"strategic_design": 1, "ethical_practice": 2}


def test_tie_broken_by_matched_length_then_order(inds, cb):
    # one hit each: "performance" (11 characters) beats "curriculum" (10)
    assert ac.code_text("curriculum and performance", inds, cb.component_ids).dimension == "improve_performance"
    # one hit each of 6 characters: "ethics" and "desain" -> codebook order: strategic_design first
    assert ac.code_text("ethics desain", inds, cb.component_ids).dimension == "strategic_design"


def test_no_hit_is_none(inds):
    assert ac.code_text("Nothing relevant here.", inds).dimension == ac.NONE
    assert ac.code_text("", inds).dimension == ac.NONE
    assert ac.code_text(None, inds).dimension == ac.NONE


def test_both_languages(inds, cb):
    assert (
        ac.code_text("Otonomi mahasiswa dan pilihan mata kuliah", inds, cb.component_ids).dimension
        == "empower_learners"
    )


def test_code_segments(cb):
    segs = read_segments(FIX / "segments_ok.csv", cb)
    out = ac.code_segments(segs, cb)
    got = dict(zip(out["segment_id"], out["auto"], strict=False))
    # s04 "Learner choice limited to the provider menu." has no indicator term
    assert got == {
        "s01": "improve_performance",  # upskilling
        "s02": "improve_performance",  # reskilling
        "s03": "strategic_design",  # curriculum
        "s04": "none",
        "s05": "ethical_practice",  # privacy
        "s06": "ethical_practice",  # ethics
        "s07": "strategic_design",  # blended learning, curriculum
    }
    assert out.loc[out["segment_id"] == "s07", "n_hits"].item() == 2
    assert (out["human"] == segs["dimension"]).all()


def test_records_and_dimension_year(cb):
    recs = pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3", "r4"],
            "year": [2020, 2020, 2022, None],
            "title": ["Upskilling and privacy", "Curriculum", "Nothing", "Privacy"],
            "abstract": ["Performance at work.", "", "", "ethics"],
        }
    )
    assert ac.has_abstracts(recs)  # 2 of 4 non-empty = 0.5
    coded = ac.code_records(recs, cb)
    assert coded["dimension"].tolist() == ["improve_performance", "strategic_design", "none", "ethical_practice"]
    assert coded.loc[0, "dimensions"] == "improve_performance;ethical_practice"
    any_ = ac.dimension_year_matrix(coded, cb, mode="any")
    # r4 has no year; 2021 has no records but is a column (continuous axis)
    assert any_.columns.tolist() == [2020, 2021, 2022]
    assert any_.loc["improve_performance"].tolist() == [1, 0, 0]
    assert any_.loc["ethical_practice"].tolist() == [1, 0, 0]
    assert any_.loc["strategic_design"].tolist() == [1, 0, 0]
    top = ac.dimension_year_matrix(coded, cb, mode="top")
    assert top.loc["ethical_practice"].tolist() == [0, 0, 0]  # r1's top is performance; r3 has no hit
    assert top.loc["improve_performance"].tolist() == [1, 0, 0]
    assert top.columns.tolist() == [2020, 2021, 2022]


def test_record_components_are_the_components_code_records_finds(cb):
    # the four records above: the same components, in codebook order, as code_records (whose
    # first record hits performance and privacy, the second curriculum, the third nothing)
    recs = pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3", "r4", "r5"],
            "year": [2020, 2020, 2022, None, 2021],
            "title": ["Upskilling and privacy", "Curriculum", "Nothing", "Privacy", None],
            "abstract": ["Performance at work.", "", "", "ethics", "Blended-learning ETHICS"],
            "keywords": [None, "job skills", None, None, 3.0],  # a number in a text column is no text
        }
    )
    fast = ac.record_components(recs, cb)
    assert fast["dimensions"].tolist() == ac.code_records(recs, cb)["dimensions"].tolist()
    # by hand from the fixture codebook's terms: r2 "curriculum" and "job skills"; r5 "blended learning"
    # and "ethics"
    assert fast["dimensions"].tolist() == [
        "improve_performance;ethical_practice", "improve_performance;strategic_design", "", "ethical_practice",
        "strategic_design;ethical_practice",
    ]  # fmt: skip
    assert ac.dimension_year_matrix(fast, cb).equals(ac.dimension_year_matrix(ac.code_records(recs, cb), cb))


def test_has_abstracts_false():
    assert not ac.has_abstracts(pd.DataFrame({"record_id": ["a"], "abstract": [""]}))
    assert not ac.has_abstracts(pd.DataFrame({"record_id": ["a"]}))


def test_indicator_terms_of_every_codebook_language_are_used(tmp_path):
    # a codebook with Spanish indicator terms: a Spanish text is coded by them (the matcher once
    # read English and Indonesian terms only)
    root = Path(__file__).resolve().parents[3]
    text = (root / "data/raw/examples/ai_literacy_au/codebook.yml").read_text(encoding="utf-8")
    text = text.replace(
        "en: [how ai works,", "es: [aprendizaje automático, datos de entrenamiento]\n      en: [how ai works,"
    )
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    cb = load_codebook(path)
    indicators = ac.build_indicators(cb)
    assert {i.lang for i in indicators} == {"en", "es"}
    coded = ac.code_text("El aprendizaje automático usa datos de entrenamiento.", indicators)
    assert coded.dimension == "understand_ai" and coded.hits == {"understand_ai": 2}
