"""The one name splitter (revalign.bibliography.names): each case is how an export writes a
name (quoted from the exports named in the comments) and the family/given split a reader of
the reference list expects, worked out by hand."""

from __future__ import annotations

import pytest

from revalign.bibliography.names import first_family, parse_authors, split_bibtex_names, split_name


@pytest.mark.parametrize(
    ("written", "order", "stored"),
    [
        ("Alasmari, Thamer", "auto", "Alasmari, Thamer"),
        ("Thamer Alasmari", "auto", "Alasmari, Thamer"),
        ("UNESCO", "auto", "UNESCO"),
        # PubMed CSV: family, initials, the list's closing period removed by the reader
        ("Kohane IS", "family_first", "Kohane, IS"),
        ("Kohane IS.", "auto", "Kohane, IS."),
        # old BIOSIS (Ovid): capitals, initials apart
        ("BREININGER D R", "auto", "BREININGER, D R"),
        # Embase: family then dotted initials, diacritics
        ("Adler D.G.", "family_first", "Adler, D.G."),
        ("Černý D.", "auto", "Černý, D."),
        # Web of Science AF without a comma is family-first
        ("Fu Jinhua", "family_first", "Fu, Jinhua"),
        # Publish or Perish / Springer: given first, initials or whole names
        ("W Guo", "given_first", "Guo, W"),
        ("Henry-Norbert Cocos", "given_first", "Cocos, Henry-Norbert"),
        # particles stay with the family name, suffixes are kept apart
        ("Ludwig van Beethoven", "auto", "van Beethoven, Ludwig"),
        ("Martin Luther King Jr.", "auto", "King, Martin Luther, Jr."),
        ("Durodoye, R., Jr.", "auto", "Durodoye, R., Jr."),
        # Ovid BIOSIS appends the role in brackets
        ("Walsdorf, Neill B. [Inventor, Reprint Author]", "auto", "Walsdorf, Neill B."),
        # organisations: whole, braced when the name has a comma
        ("World Health Organization", "auto", "World Health Organization"),
        (
            "Bundesministerium für Bildung, Wissenschaft und Forschung",
            "auto",
            "{Bundesministerium für Bildung, Wissenschaft und Forschung}",
        ),
        (
            "Association for Educational Communications and Technology",
            "auto",
            "Association for Educational Communications and Technology",
        ),
        ("  ", "auto", None),
    ],
)
def test_split_name(written, order, stored):
    assert split_name(written, order) == stored


def test_bibtex_names_organisations_suffixes_particles():
    # {{...}} in a .bib file reaches the splitter as one braced group
    assert split_bibtex_names("{Bundesministerium für Bildung, Wissenschaft und Forschung}") == (
        ["{Bundesministerium für Bildung, Wissenschaft und Forschung}"],
        [],
    )
    # Scopus BibTeX writes Family, Given, Suffix; BibTeX's own order is Family, Suffix, Given
    assert split_bibtex_names("Durodoye, R., Jr. and Smith, Jr, John")[0] == ["Durodoye, R., Jr.", "Smith, John, Jr"]
    assert split_bibtex_names("Charles van den Heuvel and {World Health Organization}")[0] == [
        "van den Heuvel, Charles",
        "World Health Organization",
    ]


def test_stored_form_reads_back():
    authors = "{Bundesministerium für Bildung, Wissenschaft und Forschung}; Durodoye, R., Jr.; König, Anna"
    names = parse_authors(authors)
    assert [n.literal for n in names] == ["Bundesministerium für Bildung, Wissenschaft und Forschung", "", ""]
    assert (names[1].family, names[1].given, names[1].suffix) == ("Durodoye", "R.", "Jr.")
    assert first_family(authors) == "Bundesministerium für Bildung, Wissenschaft und Forschung"
    assert first_family("König, Anna; Lee, Kim") == "König"
    assert first_family("") == ""


def test_institutions_named_by_acronym_stay_organisations_in_every_language_served():
    # Written by hand: an unbraced RIS or CSV author that is an institution's short name followed by
    # a country acronym must not become a person whose given names are the acronym's letters.
    from revalign.bibliography.names import parse_name

    for name in ("Kemendikbud RI", "Bundestag DE", "UNESCO IIEP", "Kultusministerkonferenz KMK"):
        parsed = parse_name(name)
        assert parsed is not None and parsed.is_organisation, name
        assert parsed.stored() == name
    # and a person with initials is still a person
    assert parse_name("Kohane IS.").family == "Kohane"
