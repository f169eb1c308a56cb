"""Document types of real exports mapped before the categories are derived (issue 21 item 5).

Fixtures in tests/fixtures/bib/real/ (provenance in tests/fixtures/README.md); the expected types
are read off each file (quoted in the comments). Before the mapping, ERIC's ``Journal Articles``,
IEEE's ``IEEE Conferences``/``IEEE Magazines`` and a PubMed record whose first type is ``Case
Reports`` were all counted as "other", and a review article lost its journal in the reference list.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from revalign.bibliography.doctypes import (
    CATEGORY_LABELS,
    DEFAULT_SOURCE_CATEGORIES,
    DOC_TYPE_LABELS,
    DOC_TYPES,
    JOURNAL_DOC_TYPES,
    doc_type_label,
    doc_type_series,
    main_type,
)
from revalign.bibliography.importer import read_bibliography
from revalign.report.references import format_references

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "bib" / "real"


def _categories(name: str) -> dict[str, str]:
    recs = read_bibliography(REAL / name).records
    return dict(zip(recs["title"].str[:30], recs["sourcecategory"], strict=True))


def test_eric_journal_articles_are_journal_articles():
    # eric.nbib: "PT  - Journal Articles" / "PT  - Reports - Research" (ERIC's types, in its .nbib)
    recs = read_bibliography(REAL / "eric.nbib").records
    assert list(recs["doc_type"]) == ["article"]
    assert list(recs["sourcecategory"]) == ["journal article"]


def test_ieee_content_types():
    # ieee.csv "Content Type": IEEE Magazines (Computing in Science & Engineering), IEEE Conferences
    recs = read_bibliography(REAL / "ieee.csv").records
    by_type = dict(zip(recs["entry_type"], recs["sourcecategory"], strict=False))
    assert by_type == {"IEEE Magazines": "journal article", "IEEE Conferences": "conference paper"}


def test_pubmed_case_report_is_a_journal_article():
    # pubmed.xml, third article (Cranio): <PublicationType>Case Reports</PublicationType> then
    # <PublicationType>Journal Article</PublicationType>
    assert set(read_bibliography(REAL / "pubmed.xml").records["sourcecategory"]) == {"journal article"}


def test_zotero_and_screening_exports():
    # zotero.csv "Item Type": journalArticle; rayyan.csv / covidence.csv: no type column, a journal
    for name in ("zotero.csv", "rayyan.csv", "covidence.csv"):
        assert set(_categories(name).values()) == {"journal article"}, name


def test_ovid_books_are_books():
    # ovid_books_editors.txt: "PT  - Text/Reference", "PT  - Drug Reference" (Books@Ovid)
    assert set(_categories("ovid_books_editors.txt").values()) == {"book"}


def test_wos_review_in_a_series_keeps_its_journal():
    # wos_review_in_series.txt: "PT S", "DT Review", "SO ANNUAL REVIEW OF PUBLIC HEALTH, VOL 32",
    # "VL 32", "BP 367", "EP 379", "PY 2011", "BE Fielding, JE ..."
    recs = read_bibliography(REAL / "wos_review_in_series.txt").records
    assert list(recs["doc_type"]) == ["review"]
    assert list(recs["sourcecategory"]) == ["journal article"]
    (ref,) = format_references(recs)
    assert ref.text.startswith("McCormick, M. C., Litt, J. S., Smith, V. C., & Zupancic, J. A. F. (2011).")
    assert ", 32, 367–379. https://doi.org/10.1146/annurev-publhealth-090810-182459" in ref.text


def test_main_type_of_a_list():
    assert main_type(["Comparative Study", "Journal Article", "Review"]) == "Review"
    assert main_type(["Journal Articles", "Reports - Research"]) == "Journal Articles"
    assert main_type(["Reports - Research", "Tests/Questionnaires"]) == "Reports - Research"
    assert (
        main_type(["Dissertations/Theses - Doctoral Dissertations"]) == "Dissertations/Theses - Doctoral Dissertations"
    )
    assert main_type([]) is None
    types = pd.Series(["Review", "Editorial Material", "Book Review", "Dissertation/Thesis", "Book, Section", "x"])
    assert list(doc_type_series(types)) == ["review", "editorial", "book review", "thesis", "book chapter", "x"]


def test_every_type_and_category_of_the_vocabulary_has_a_reader_name():
    # one vocabulary: each doc_type the mapping yields and each default category is named through the
    # catalog (a type added to DOC_TYPES without a label would be shown as its bare id)
    assert set(DOC_TYPES.values()) <= set(DOC_TYPE_LABELS)
    assert set(DEFAULT_SOURCE_CATEGORIES.values()) <= set(CATEGORY_LABELS)
    assert doc_type_label("review", "de") != "review"  # German, from the catalog
    assert doc_type_label("IEEE Something", "de") == "IEEE Something"  # not in the vocabulary: as given


def test_journal_types_are_those_counted_as_journal_articles_or_conference_papers():
    assert {"article", "review", "editorial", "book review", "conference paper"} <= JOURNAL_DOC_TYPES
    assert not {"book", "book chapter", "report", "thesis", "webpage"} & JOURNAL_DOC_TYPES
