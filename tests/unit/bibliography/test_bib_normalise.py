"""Normalisation of DOIs, titles, years, names and text; scalar and vectorised forms agree.

Every expected value below is worked out by hand from the rule in the module docstring.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from revalign.bibliography import normalise as bn

DOIS = [
    ("https://doi.org/10.1000/ABC.def", "10.1000/abc.def"),
    ("http://dx.doi.org/10.1000/ABC.def", "10.1000/abc.def"),
    ("HTTPS://DOI.ORG/10.1000/abc.DEF", "10.1000/abc.def"),
    ("doi:10.1000/ABC.def", "10.1000/abc.def"),
    ("DOI: 10.1000/ABC.def", "10.1000/abc.def"),
    ("doi.org/10.1000/abc.def", "10.1000/abc.def"),
    ("  10.1000/abc.def  ", "10.1000/abc.def"),
    ("https://doi.org/10.1000/abc.def.", "10.1000/abc.def"),  # sentence-final period
    (
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O",
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o",
    ),
    ("not a doi", None),
    ("https://example.org/paper", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize("raw,expected", DOIS)
def test_normalise_doi(raw, expected):
    assert bn.normalise_doi(raw) == expected


def test_normalise_doi_series_matches_scalar():
    s = pd.Series([r for r, _ in DOIS], dtype="string")
    got = [None if pd.isna(v) else v for v in bn.normalise_doi_series(s)]
    assert got == [e for _, e in DOIS]


SAME_TITLES = [
    "Open Badges: A Review.",
    "Open badges: a review",
    "OPEN BADGES — A REVIEW",
    "open  badges:\ta review ",
]


def test_title_key_ignores_case_punctuation_spacing_trailing_period():
    keys = {bn.title_key(t) for t in SAME_TITLES}
    assert keys == {"openbadgesareview"}


def test_title_key_ignores_diacritics_in_either_form():
    composed = "Caf\u00e9 \u00dcber Kredensial"  # é, Ü precomposed
    decomposed = "Cafe\u0301 U\u0308ber Kredensial"  # e + combining acute, U + combining diaeresis
    assert (
        bn.title_key(composed)
        == bn.title_key(decomposed)
        == bn.title_key("Cafe Uber kredensial")
        == "cafeuberkredensial"
    )


def test_title_key_keeps_non_latin_scripts_and_distinguishes_titles():
    assert bn.title_key("中文 题目") == "中文题目"
    assert bn.title_key("Open badges: a review") != bn.title_key("Open badges: a second review")
    assert bn.title_key("  ...  ") is None


def test_title_key_series_matches_scalar():
    titles = SAME_TITLES + ["Caf\u00e9 \u00dcber", "Cafe\u0301", "中文 题目", None, "", "a_b (2020)"]
    got = [None if pd.isna(v) else v for v in bn.title_key_series(pd.Series(titles, dtype="string"))]
    assert got == [bn.title_key(t) for t in titles]
    assert got[-1] == "ab2020"


@pytest.mark.parametrize(
    "raw,expected",
    [("2021", 2021), ("2019///", 2019), ("March 2020", 2020), ("2020-03-01", 2020), (2021, 2021),
     ("n.d.", None), ("", None), (None, None), ("12020", None), ("in press", None)],
)  # fmt: skip
def test_parse_year(raw, expected):
    assert bn.parse_year(raw) == expected
    got = bn.parse_year_series(pd.Series([None if raw is None else str(raw)], dtype="string"))
    assert str(got.dtype) == "Int64"
    assert (None if pd.isna(got.iloc[0]) else int(got.iloc[0])) == expected


def test_clean_text_nfc_and_whitespace():
    assert bn.clean_text("Cafe\u0301  au\tlait\n") == "Caf\u00e9 au lait"
    assert bn.clean_text("   ") is None
    values = ["Cafe\u0301  au\tlait\n", "\u212b ngstr\u00f6m", "plain", None, " ", "x\u00a0y", "\u2019quoted\u2019"]
    got = [None if pd.isna(v) else v for v in bn.clean_text_series(pd.Series(values, dtype="string"))]
    # U+212B ANGSTROM SIGN is a canonical singleton: NFC turns it into U+00C5
    assert got == ["Caf\u00e9 au lait", "\u00c5 ngstr\u00f6m", "plain", None, None, "x y", "\u2019quoted\u2019"]


def test_clean_text_series_keeps_line_breaks_when_asked():
    got = bn.clean_text_series(pd.Series(["  a\nb  "], dtype="string"), collapse=False)
    assert got.iloc[0] == "a\nb"


def test_every_character_below_u0300_is_nfc_stable():
    # the byte filter of normalise._nfc relies on this: no character below U+0300 changes under NFC, none is a
    # combining mark, and none is the second part of a canonical decomposition (so none composes with the
    # character before it); Hangul's composing jamo lie above U+1100
    for cp in range(0x300):
        ch = chr(cp)
        assert unicodedata.normalize("NFC", ch) == ch and not unicodedata.combining(ch), hex(cp)
    seconds = set()
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        dec = unicodedata.decomposition(chr(cp))
        if dec and not dec.startswith("<") and len(dec.split()) == 2:
            seconds.add(int(dec.split()[1], 16))
    assert min(seconds) >= 0x300


def test_nfc_of_the_values_that_need_it():
    s = pd.Series(["Caf\u0065\u0301", "plain", None, "Ko\u0308nig und Ku\u0308bler", "Mỹ"], dtype="string")
    assert bn.clean_text_series(s).tolist()[:2] == ["Café", "plain"]
    assert bn.clean_text_series(s).tolist()[3:] == ["König und Kübler", "Mỹ"]
