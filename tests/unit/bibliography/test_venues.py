"""Venue names: the counting key, the spelling shown, venues counted, venues compared.

Expected values worked by hand from the rules in revalign.bibliography.venues; the spellings
are the ones issue 21 met (one journal as "COMPUTERS & EDUCATION", "Computers and Education"
and "Computers & Education"; "Zeitschrift Fur" beside "für").
"""

from __future__ import annotations

import pandas as pd

from revalign.bibliography import plots
from revalign.bibliography.venues import best_spelling, count_venues, venue_key, venues_agree


def test_one_key_for_the_spellings_of_one_venue():
    # case, "&" against "and", punctuation and a trailing dot, a leading "The"
    for name in (
        "COMPUTERS & EDUCATION",
        "Computers and Education",
        "Computers & Education.",
        "The Computers & Education",
    ):
        assert venue_key(name) == "computers and education"
    # diacritics, and German written without them ("Fur" and "fuer" for "für")
    for name in ("Zeitschrift für Erziehungswissenschaft", "Zeitschrift Fur Erziehungswissenschaft",
                 "ZEITSCHRIFT FUER ERZIEHUNGSWISSENSCHAFT"):  # fmt: skip
        assert venue_key(name) == "zeitschrift fur erziehungswissenschaft"
    assert venue_key("Computers in Human Behavior") != venue_key("Computers and Education")
    assert venue_key("") is None and venue_key(None) is None and venue_key(" . ") is None


def test_the_best_formed_spelling_is_shown():
    # diacritics first: the one spelling with "ü", though given once against twice
    assert best_spelling(["Zeitschrift Fur X", "Zeitschrift Fur X", "ZEITSCHRIFT FÜR X"]) == "ZEITSCHRIFT FÜR X"
    # then mixed case over upper case, whatever the counts
    assert best_spelling(["COMPUTERS & EDUCATION"] * 3 + ["Computers & Education"]) == "Computers & Education"
    # then the most frequent; then the first in alphabetical order ("&" sorts before "a")
    assert best_spelling(["Computers and Education", "Computers & Education", "Computers and Education"]) == (
        "Computers and Education"
    )
    assert best_spelling(["Computers and Education", "Computers & Education"]) == "Computers & Education"
    assert best_spelling([None, "", "  "]) is None


def test_count_venues_counts_one_journal_once():
    s = pd.Series(
        ["COMPUTERS & EDUCATION", "Computers and Education", "Computers & Education", "Zeitschrift Fur X",
         "Zeitschrift für X", None, ""],
        dtype="string",
    )  # fmt: skip
    got = count_venues(s).to_dict("records")
    # 3 spellings of one journal (mixed case beats upper; "&" before "and" alphabetically), 2 of
    # the other (diacritics); the missing and the empty venue are not counted
    assert got == [{"venue": "Computers & Education", "n": 3}, {"venue": "Zeitschrift für X", "n": 2}]


def test_the_venues_figure_counts_spellings_as_one_venue():
    corpus = pd.DataFrame(
        {
            "doc_type": ["article"] * 4,
            "source_title": ["COMPUTERS & EDUCATION", "Computers and Education", "Computers & Education", "J Other"],
            "publisher": [""] * 4,
        }
    )
    counts = plots.venue_counts(corpus)
    assert counts.to_dict("records") == [
        {"kind": "journal", "venue": "Computers & Education", "works": 3},
        {"kind": "journal", "venue": "J Other", "works": 1},
    ]


def test_venues_agree_on_abbreviations_acronyms_and_nothing_looser():
    assert venues_agree("Surgical Endoscopy", "Surg Endosc")  # as many words: both directions tried
    assert venues_agree("J Clin Oncol", "Journal of Clinical Oncology")
    # "natl" abbreviates "national" letter by letter; U S A: United States (of) America
    assert (
        venues_agree("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences of the USA") is False
    )
    assert venues_agree(
        "Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences of the United States of America"
    )
    assert venues_agree("Circulation. Conference: Resuscitation Science Symposium", "Circulation")  # before ':'
    assert venues_agree("Amcis 2017 Proceedings", "Americas Conference on Information Systems")  # AM-C-I-S
    assert venues_agree("Work Organisation, Labour & Globalisation", "Work Organisation, Labour and Globalisation")
    # one word is not an abbreviation of several: another journal of the same publisher
    assert venues_agree("Lancet", "Lancet Oncology") is False
    assert venues_agree("Nature", "Nature Communications") is False
    assert venues_agree("Computers & Education", "Computers in Human Behavior") is False
    assert venues_agree("Computers & Education", None) is None


def test_best_spelling_of_counted_spellings_and_count_venues_at_scale():
    # spelling -> count: the same choice as the list with those repetitions
    assert best_spelling({"Computers and Education": 2, "Computers & Education": 1}) == "Computers and Education"
    assert best_spelling({"ZEITSCHRIFT FÜR X": 1, "Zeitschrift Fur X": 5}) == "ZEITSCHRIFT FÜR X"
    # 30,000 works under three spellings of one journal and one other journal: counted per
    # spelling, so the totals are 10,000 x 2 + 5,000 = 25,000 and 5,000; shown: of the two mixed-case
    # spellings the more frequent one ("and", 10,000 against 5,000)
    s = pd.Series(
        ["COMPUTERS & EDUCATION", "Computers and Education"] * 10_000 + ["Computers & Education", "J Other"] * 5_000
    )
    assert count_venues(s).to_dict("records") == [
        {"venue": "Computers and Education", "n": 25_000},
        {"venue": "J Other", "n": 5_000},
    ]
