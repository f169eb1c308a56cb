"""The project's research data: codebooks, coded segments, key statistics, published Table 1.

Expected values are written out by hand from the reviewed paper
(../shared/seed/000_4a6b6c06e2c41210.txt): the twelve components are the phrases of the AECT 2023
definition quoted at line 55; the four headline dimensions and their levels are the rows of Table 1
(lines 121-126); the statistics are the numbers printed at lines 17, 23, 25 and 29. Segments are
checked with plain pandas against the codebook's vocabularies (not with revalign.coding.segments), so this
test does not depend on the code it feeds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from design_contract import SEGMENT_COLUMNS
from revalign.core.codebook import load_codebook

ROOT = Path(__file__).resolve().parents[3]
CODEBOOK_DIR = ROOT / "data" / "raw" / "codebook"
CODING_DIR = ROOT / "data" / "raw" / "coding"
BIB = ROOT / "data" / "raw" / "bibliography" / "references.bib"
PUBLISHED = ROOT / "data" / "raw" / "published" / "table1_published.csv"
SEED = ROOT.parent / "shared" / "seed" / "000_4a6b6c06e2c41210.txt"

# The definition's phrases, in order (line 55 of the paper).
COMPONENTS_2023 = [
    "ethical_study_application",
    "theory_research_practice",
    "advance_knowledge",
    "improve_learning",
    "improve_performance",
    "empower_learners",
    "strategic_design",
    "management",
    "implementation",
    "evaluation",
    "learning_experiences_environments",
    "appropriate_processes_resources",
]
# Table 1 rows (lines 121-126) and their published levels.
HEADLINE_LEVELS = {
    "improve_performance": ("strongly", "Sangat selaras"),
    "strategic_design": ("fairly", "Cukup selaras"),
    "empower_learners": ("partial", "Selaras konseptual, parsial praktik"),
    "ethical_study_application": ("gap_identified", "Kesenjangan teridentifikasi"),
}
SELF_KEY = "ruminarndkredensial"
# Line ranges of the coded sections in the seed text (seed README): 1, 2, 4, 5.
SECTION_LINES = {"1": (15, 47), "2": (49, 75), "4": (114, 142), "5": (144, 166)}
LOCATOR = re.compile(r"^s(?P<sec>[1-9])(?:\.(?P<sub>[1-9]))? p(?P<par>[1-9][0-9]*) \(L(?P<line>[0-9]+)\)$")


@pytest.fixture(scope="module")
def cb2023():
    return load_codebook(CODEBOOK_DIR / "aect2023.yml")


@pytest.fixture(scope="module")
def cb2008():
    return load_codebook(CODEBOOK_DIR / "aect2008.yml")


@pytest.fixture(scope="module")
def segments():
    return pd.read_csv(CODING_DIR / "segments.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def bib_keys():
    if not BIB.exists():
        pytest.skip("data/raw/bibliography/references.bib is not there yet")
    import bibtexparser

    return {entry.key for entry in bibtexparser.parse_file(str(BIB)).entries}


# ---- aect2023.yml ---------------------------------------------------------------------


def test_aect2023_has_the_twelve_components_in_definition_order(cb2023):
    assert cb2023.framework.id == "aect2023"
    assert cb2023.component_ids == COMPONENTS_2023


def test_aect2023_headline_is_exactly_table1(cb2023):
    assert sorted(cb2023.headline_ids) == sorted(HEADLINE_LEVELS)


def test_aect2023_definition_is_the_quoted_one(cb2023):
    text = " ".join(cb2023.framework.definition.split())
    assert text.startswith("Educational technology is the ethical study and application of theory")
    assert text.endswith("using appropriate processes and resources.")
    assert "empower learners through strategic design" in text


@pytest.mark.parametrize("name", ["aect2023.yml", "aect2008.yml"])
def test_every_component_has_indicators_in_both_languages(name):
    cb = load_codebook(CODEBOOK_DIR / name)
    for comp in cb.components:
        assert comp.indicators.en, f"{comp.id}: no English indicators"
        assert comp.indicators.id, f"{comp.id}: no Indonesian indicators"
        assert all(term.strip() == term and term for term in comp.indicators.en + comp.indicators.id)


def test_indonesian_indicators_carry_the_papers_forms(cb2023):
    # Forms the paper itself uses (lines 57, 130-140, 148): an automatic coder must find them.
    expected = {
        "empower_learners": {"pemberdayaan", "memberdayakan"},
        "ethical_study_application": {"etika", "etis", "privasi", "data pribadi"},
        "improve_performance": {"kinerja", "produktivitas"},
        "strategic_design": {"desain", "rekognisi", "kurikulum"},
    }
    for cid, terms in expected.items():
        assert terms <= set(cb2023.component(cid).indicators.id), cid


def test_aect2023_vocabularies(cb2023):
    assert cb2023.vocabulary("themes") == ["definition_theory", "implementation_indonesia", "challenges_evaluation"]
    assert sorted(cb2023.vocabulary("polarity")) == ["gap", "mixed", "strength"]
    assert sorted(cb2023.vocabulary("facet")) == ["concept", "practice"]
    assert sorted(cb2023.vocabulary("context")) == ["global", "indonesia"]
    assert cb2023.label("themes", "implementation_indonesia", "id") == "Praktik implementasi di Indonesia"


def test_levels_ranked_with_published_labels(cb2023):
    levels = [(lv.rank, lv.id, lv.label.id, lv.label.en) for lv in cb2023.levels_by_rank()]
    assert levels == [
        (0, "gap_identified", "Kesenjangan teridentifikasi", "Gap identified"),
        (1, "partial", "Selaras konseptual, parsial praktik", "Aligned in concept, partial in practice"),
        (2, "fairly", "Cukup selaras", "Fairly aligned"),
        (3, "strongly", "Sangat selaras", "Strongly aligned"),
    ]


def test_headline_labels_as_the_paper_names_them(cb2023):
    # Section 4 gives the Indonesian names in brackets (lines 130, 134, 136, 138).
    assert cb2023.label("component", "improve_performance", "id") == "Meningkatkan kinerja"
    assert cb2023.label("component", "strategic_design", "id") == "Desain strategis"
    assert cb2023.label("component", "empower_learners", "id") == "Memberdayakan pembelajar"
    assert cb2023.label("component", "ethical_study_application", "id") == "Studi dan penerapan etis"


# ---- aect2008.yml ---------------------------------------------------------------------


def test_aect2008_takes_vocabularies_from_its_base(cb2008, cb2023):
    assert cb2008.framework.id == "aect2008"
    assert cb2008.framework.maps_to_framework == "aect2023"
    assert cb2008.vocabulary("levels") == cb2023.vocabulary("levels")
    assert cb2008.vocabulary("themes") == cb2023.vocabulary("themes")
    assert " ".join(cb2008.framework.definition.split()) == (
        "Educational technology is the study and ethical practice of facilitating learning and improving "
        "performance by creating, using, and managing appropriate technological processes and resources."
    )


def test_aect2008_components_map_into_aect2023(cb2008, cb2023):
    assert cb2008.component_ids == [
        "study",
        "ethical_practice",
        "facilitating_learning",
        "improving_performance",
        "creating",
        "using",
        "managing",
        "appropriate_technological_processes_resources",
    ]
    valid = set(cb2023.component_ids)
    targets = set()
    for comp in cb2008.components:
        assert comp.maps_to, f"{comp.id} maps to nothing"
        assert set(comp.maps_to) <= valid, comp.id
        targets |= set(comp.maps_to)
    assert "empower_learners" not in targets  # what 2023 added (section 2.1, line 57)


def test_aect2008_headline_follows_the_mapping(cb2008, cb2023):
    headline_2023 = set(cb2023.headline_ids)
    expected = [c.id for c in cb2008.components if set(c.maps_to) & headline_2023]
    assert expected == ["ethical_practice", "improving_performance", "creating"]  # by hand from the map
    assert cb2008.headline_ids == expected


def test_framework_source_keys_are_in_the_bibliography(cb2023, cb2008, bib_keys):
    assert cb2023.framework.source_key in bib_keys
    assert cb2008.framework.source_key in bib_keys


# ---- segments.csv ---------------------------------------------------------------------


def test_segments_columns_exactly(segments):
    # the contract's columns, then claim_id (docs/protocol.md section 1)
    assert list(segments.columns) == [*SEGMENT_COLUMNS, "claim_id"]


def test_claims_group_rows_of_one_statement(segments):
    # every row of a claim sits at the same locator; a claim is either all cited or all the review's own
    by_claim = segments.groupby("claim_id")
    assert (by_claim["locator"].nunique() == 1).all()
    own = segments["ref_key"] == SELF_KEY
    assert (own.groupby(segments["claim_id"]).nunique() == 1).all()
    assert segments["claim_id"].nunique() == 77


def test_recoding_follows_the_protocol(segments):
    # data/raw/coding/CHANGES.md: removed rows stay removed; normative claims are gaps; strict attribution
    removed = {"S001", "S002", "S025", "S030", "S036", "S039", "S040", "S113", "S130"}
    assert not removed & set(segments["segment_id"])
    normative = segments[segments["segment_id"].isin(["S106", "S107", "S108", "S109", "S110", "S132"])]
    assert len(normative) == 6 and set(normative["polarity"]) == {"gap"} and set(normative["facet"]) == {"concept"}
    moved = segments[segments["segment_id"].isin(["S008", "S013", "S014", "S015", "S125", "S126", "S127"])]
    assert set(moved["ref_key"]) == {SELF_KEY}


def test_appraisal_covers_every_cited_source(segments):
    from revalign.alignment.confidence import read_appraisal

    appraisal = read_appraisal(ROOT / "data" / "raw" / "coding" / "appraisal.csv")
    cited = set(segments.loc[segments["ref_key"] != SELF_KEY, "ref_key"])
    assert cited <= set(appraisal)


def test_segments_cells_filled_and_ids_unique(segments):
    assert (segments != "").all().all()
    assert segments["segment_id"].is_unique
    assert segments["segment_id"].str.fullmatch(r"S\d{3}").all()
    assert (segments["coder"] == "revalign-team").all()


def test_segments_codes_are_in_the_codebook(segments, cb2023):
    assert set(segments["theme"]) <= set(cb2023.vocabulary("themes"))
    assert set(segments["dimension"]) <= set(cb2023.component_ids)
    assert set(segments["polarity"]) <= {"strength", "gap", "mixed"}
    assert set(segments["facet"]) <= {"concept", "practice"}
    assert set(segments["context"]) <= {"indonesia", "global"}


def test_segments_locators_point_into_coded_sections(segments):
    for loc in segments["locator"]:
        m = LOCATOR.match(loc)
        assert m, f"locator {loc!r} does not follow 's<sec>[.<sub>] p<n> (L<line>)'"
        lo, hi = SECTION_LINES[m["sec"]]
        assert lo <= int(m["line"]) <= hi, f"{loc}: line outside section {m['sec']}"


def test_rows_of_one_claim_share_theme_and_context(segments):
    # A claim is (locator, excerpt); its rows differ only by source, dimension, polarity, facet.
    grouped = segments.groupby(["locator", "excerpt"])
    assert (grouped["theme"].nunique() == 1).all()
    assert (grouped["context"].nunique() == 1).all()
    assert not segments.duplicated(["locator", "excerpt", "ref_key", "dimension"]).any()


def test_segments_cover_every_headline_dimension_with_cited_evidence(segments):
    cited = segments[segments["ref_key"] != SELF_KEY]
    for dim in HEADLINE_LEVELS:
        assert (cited["dimension"] == dim).sum() >= 2, dim
    assert 80 <= len(segments) <= 150


def test_known_codings(segments):
    # Hand-picked rows whose coding the brief fixes: Haetami (2025) at line 140 on data protection.
    haetami = segments[(segments["ref_key"] == "haetami2025ai") & segments["locator"].str.endswith("(L140)")]
    assert haetami[["dimension", "polarity", "facet", "context"]].values.tolist() == [
        ["ethical_study_application", "gap", "practice", "indonesia"]
    ]
    # Section 2.3 starts with the 2021 KMMI launch (Humas Ditjen Dikti) coded as Indonesian practice.
    humas = segments[segments["ref_key"] == "humas2021program"]
    assert set(humas["context"]) == {"indonesia"} and set(humas["facet"]) == {"practice"}


def test_every_ref_key_is_in_the_bibliography(segments, bib_keys):
    missing = sorted(set(segments["ref_key"]) - bib_keys)
    assert not missing, f"ref_keys not in references.bib: {missing}"


def test_excerpts_are_not_copied_from_the_paper(segments):
    if not SEED.exists():
        pytest.skip("the seed paper is not next to the repository")
    words = re.findall(r"\w+", SEED.read_text(encoding="utf-8").lower())
    paper = " " + " ".join(words) + " "
    for excerpt in segments["excerpt"]:
        ex = re.findall(r"\w+", excerpt.lower())
        for i in range(len(ex) - 5):
            run = " " + " ".join(ex[i : i + 6]) + " "
            assert run not in paper, f"six-word run copied from the paper: {run.strip()!r}"


# ---- key_statistics.csv ---------------------------------------------------------------


def test_key_statistics_as_printed_in_the_paper():
    stats = pd.read_csv(CODING_DIR / "key_statistics.csv", keep_default_na=False)
    got = {(r.ref_key, int(r.value), str(r.approximate).lower()) for r in stats.itertuples()}
    # By hand from lines 17 (WEF), 23 (Coursera, Rullyana), 25 (no citation: the review's own under strict
    # attribution, docs/protocol.md section 2 rule 2) and 29 (Narong).
    assert got == {
        ("world2025future", 39, "false"),
        ("world2025future", 63, "false"),
        ("rullyana2025research", 551, "false"),
        ("coursera2024micro", 51, "false"),
        ("coursera2024micro", 53, "false"),
        ("ruminarndkredensial", 68, "false"),
        ("ruminarndkredensial", 94, "false"),
        ("ruminarndkredensial", 90, "true"),  # "hampir 9 dari 10"
        ("narong2025research", 20, "true"),  # "sekitar seperlima"
    }
    assert stats["stat_id"].is_unique
    assert stats.loc[stats["value"] == 551, "period"].item() == "2014-2024"


def test_key_statistics_keys_are_in_the_bibliography(bib_keys):
    stats = pd.read_csv(CODING_DIR / "key_statistics.csv", keep_default_na=False)
    assert set(stats["ref_key"]) <= bib_keys


# ---- table1_published.csv -------------------------------------------------------------


def test_published_table_matches_table1(cb2023):
    table = pd.read_csv(PUBLISHED, keep_default_na=False)
    assert list(table.columns) == ["dimension", "published_level", "label_id", "label_en", "key_strength_en", "gap_en"]
    assert table["dimension"].tolist() == list(HEADLINE_LEVELS)  # the paper's row order
    for row in table.itertuples():
        level, label_id = HEADLINE_LEVELS[row.dimension]
        assert row.published_level == level
        assert row.label_id == label_id == cb2023.label("levels", level, "id")
        assert row.label_en == cb2023.label("levels", level, "en")
        assert row.key_strength_en
    # Table 1 prints a dash as the gap of Improve Performance, text for the other three.
    assert table["gap_en"].tolist()[0] == "" and all(table["gap_en"].tolist()[1:])
