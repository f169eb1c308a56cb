"""Screening decisions and reason codes (revalign.screening.rules); expected values by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from revalign.core.config import Screening
from revalign.core.errors import InputError
from revalign.screening.rules import REASONS, keyword_pattern, language_keys, match_keywords, reason_counts, screen


def corpus(rows):
    cols = ["record_id", "title", "year", "abstract", "keywords", "sourcetype", "doc_type", "language", "inreflist"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


PARAMS = dict(
    year_min=2015,
    year_max=2025,
    keywords={"en": ["micro-credential", "learner empowerment"], "id": ["kredensial mikro"]},
)


@pytest.mark.parametrize(
    "text",
    [
        "Recognition of Microcredentials in higher education",
        "micro credentials for all",
        "MICRO-CREDENTIAL design",
        "micro\u2010credential (Unicode hyphen)",
        "A micro-credentialing ecosystem",  # truncation: any ending after the keyword
        "Program Kredensial Mikro Mahasiswa",
        "kredensial-mikro",
        "On learner  empowerment",
    ],
)
def test_keyword_matches_are_case_and_hyphen_tolerant(text):
    found = match_keywords(pd.Series([text]), [k for ks in PARAMS["keywords"].values() for k in ks])
    assert found.notna().all(), text


@pytest.mark.parametrize(
    "text", ["macro-credential", "nanomicro credential", "credential micro", "mikrokredensial", ""]
)
def test_keyword_non_matches(text):
    found = match_keywords(pd.Series([text]), [k for ks in PARAMS["keywords"].values() for k in ks])
    assert found.isna().all(), text


def test_the_matched_keyword_is_reported_as_written():
    found = match_keywords(
        pd.Series(["x Micro Credentials y", "Kredensial mikro", None]), ["micro-credential", "kredensial mikro"]
    )
    assert found.tolist()[:2] == ["micro-credential", "kredensial mikro"]
    assert pd.isna(found.iloc[2])


def test_longer_keyword_wins():
    pat = keyword_pattern(["micro-credential", "micro-credentials in Indonesia"])
    assert pat.index("indonesia") < pat.index("|")  # the longer phrase is the first alternative
    found = match_keywords(
        pd.Series(["Micro-credentials in Indonesia today"]), ["micro-credential", "micro-credentials in Indonesia"]
    )
    assert found.iloc[0] == "micro-credentials in Indonesia"


def test_no_keywords_means_no_keyword_criterion():
    assert keyword_pattern([]) is None and keyword_pattern(["  "]) is None
    df = corpus([("a", "Anything", 2020, None, None, "secondary", "article", "english", "yes")])
    out = screen(df, Screening(year_min=2015, year_max=2025))
    assert out.loc[0, "reason"] == "included" and not out.loc[0, "keywords_applied"]


def test_reasons_and_window_scope():
    df = corpus(
        [
            # id, title, year, abstract, keywords, sourcetype, doc_type, language, inreflist
            ("def08", "Educational technology: a definition", 2008, None, None, "primary", "book", "english", "no"),
            ("old", "Micro-credentials long ago", 2010, None, None, "secondary", "article", "english", "yes"),
            ("noyear", "Micro-credentials, undated", None, None, None, "secondary", "article", "english", "yes"),
            ("nurse", "Conducting integrative reviews", 2021, None, None, "secondary", "article", "english", "yes"),
            ("abs", "A study", 2022, "We study learner-empowerment.", None, "secondary", "article", "english", "yes"),
            ("kw", "A study", 2022, None, "Microcredential; Indonesia", None, "article", "english", None),
            ("self", "Kredensial mikro review", None, None, None, "review", "article", "indonesian", "self"),
            ("oldboth", "Nursing", 2001, None, None, "secondary", "article", "english", "yes"),
        ]
    )
    p = Screening(**PARAMS, window_applies_to=["secondary", "unknown"], keywords_apply_to=["secondary", "unknown"])
    out = screen(df, p).set_index("record_id")
    # worked out by hand from the criteria order in the module docstring
    assert out["reason"].to_dict() == {
        "def08": "included",  # primary: neither window nor keywords apply
        "old": "year_out_of_window",
        "noyear": "year_missing",
        "nurse": "no_keyword_match",
        "abs": "included",  # keyword in the abstract
        "kw": "included",  # blank sourcetype -> unknown; keyword in the keywords field
        "self": "review_itself",
        "oldboth": "year_out_of_window",  # first failing criterion wins
    }
    assert out.loc["self", "stage"] == "identification" and out.loc["old", "stage"] == "screening"
    assert out.loc["kw", "sourcetype"] == "unknown"
    assert out.loc["abs", "matched_keyword"] == "learner empowerment"
    assert set(out["decision"]) == {"include", "exclude"}
    assert (out["decision"] == "include").sum() == 3

    # the window applied to every record (None) excludes the 2008 definition too
    strict = screen(df, Screening(**PARAMS)).set_index("record_id")
    assert strict.loc["def08", "reason"] == "year_out_of_window"
    assert strict.loc["self", "reason"] == "review_itself"


def test_doc_type_and_language_filters():
    df = corpus(
        [
            ("a", "Micro-credentials", 2020, None, None, "secondary", "article", "english", "yes"),
            ("b", "Micro-credentials", 2020, None, None, "secondary", "conference paper", "english", "yes"),
            ("c", "Micro-credentials", 2020, None, None, "secondary", "article", "german", "yes"),
            ("d", "Kredensial mikro", 2020, None, None, "secondary", "article", "indonesian", "yes"),
            ("e", "Micro-credentials", 2020, None, None, "secondary", None, None, "yes"),  # blank: cannot tell
        ]
    )
    p = Screening(**PARAMS, doc_types=["Article"], languages=["en", "id"])
    out = screen(df, p).set_index("record_id")["reason"].to_dict()
    assert out == {
        "a": "included",
        "b": "doc_type_excluded",
        "c": "language_excluded",
        "d": "included",
        "e": "included",
    }


def test_output_shape_order_and_counts():
    df = corpus(
        [
            (f"r{i}", "Micro-credential" if i % 2 else "Other", 2020, None, None, "secondary", "article", "en", "yes")
            for i in range(6)
        ]
    )
    out = screen(df, Screening(**PARAMS))
    assert out["record_id"].tolist() == [f"r{i}" for i in range(6)]
    counts = reason_counts(out).set_index("reason")["records"]
    assert list(counts.index) == list(REASONS)
    assert counts["included"] == 3 and counts["no_keyword_match"] == 3 and counts.sum() == 6


def test_missing_columns_are_an_input_error():
    with pytest.raises(InputError, match="year"):
        screen(pd.DataFrame({"record_id": ["a"], "title": ["t"]}), Screening())


def test_window_parameter_is_validated():
    with pytest.raises(ValueError):
        Screening(window_applies_to=["tertiary"])


def test_language_filter_knows_any_language_by_code_or_name():
    # a Spanish-language review: exports write the language as a name, an ISO 639-2 code or a
    # native name; all of them are Spanish, and Portuguese is not
    rows = [
        (k, "Micro-credentials", 2020, None, None, "secondary", "article", lang, "yes")
        for k, lang in [("a", "Spanish"), ("b", "spa"), ("c", "Español"), ("d", "es"), ("e", "Portuguese"),
                        ("f", "English"), ("g", "eng"), ("h", "Klingon-ish")]
    ]  # fmt: skip
    p = Screening(**PARAMS, languages=["es", "English"])
    out = screen(corpus(rows), p).set_index("record_id")["reason"].to_dict()
    assert out == {
        "a": "included", "b": "included", "c": "included", "d": "included", "e": "language_excluded",
        "f": "included", "g": "included", "h": "language_excluded",
    }  # fmt: skip


def test_language_names_in_a_listed_language_are_known():
    # with Indonesian (id) listed, Indonesian names of languages count too ("Inggris" is English)
    key = language_keys(["id"])
    assert [key(v) for v in ["Inggris", "Indonesia", "ind", "in", "Jerman"]] == ["en", "id", "id", "id", "de"]
