"""APA 7 reference entries from corpus rows (citeproc-py with the vendored apa.csl).

Expected strings are written by hand from the APA Publication Manual (7th ed.) reference
examples: journal article (10.1), report by a group author that is also the publisher
(10.4: publisher omitted), report with a separate publisher, and web page (10.16).
"""

from __future__ import annotations

import pandas as pd

from revalign.report.references import corpus_item, format_references, parse_authors

COLUMNS = [
    "record_id",
    "entry_type",
    "title",
    "authors",
    "year",
    "source_title",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "publisher",
]


def row(**kw):
    return {c: kw.get(c, "") for c in COLUMNS}


def refs(*rows):
    return {r.key: r for r in format_references(pd.DataFrame(list(rows), columns=COLUMNS))}


def test_journal_article():
    r = refs(
        row(
            record_id="light2008geographic",
            entry_type="article",
            title="The geographic distribution of crime",
            authors="Light, Michael A.; Light, Ivan H.",
            year="2008",
            source_title="Journal of Quantitative Criminology",
            volume="24",
            issue="1",
            pages="1--21",
            doi="https://doi.org/10.1007/S10940-007-9031-8",
        )
    )["light2008geographic"]
    assert r.text == (
        "Light, M. A., & Light, I. H. (2008). The geographic distribution of crime. Journal of Quantitative "
        "Criminology, 24(1), 1–21. https://doi.org/10.1007/S10940-007-9031-8"
    )
    # journal and volume in italics, the DOI a link
    assert "<i>Journal of Quantitative Criminology</i>, <i>24</i>(1)" in r.html
    assert '<a href="https://doi.org/10.1007/S10940-007-9031-8"' in r.html
    assert r.cite == "(Light &amp; Light, 2008)"


def test_report_by_group_author_omits_same_publisher():
    r = refs(
        row(
            record_id="wef2025future",
            entry_type="techreport",
            title="The future of jobs report 2025",
            authors="World Economic Forum",
            year="2025",
            publisher="World Economic Forum",
            url="https://www.weforum.org/publications/the-future-of-jobs-report-2025/",
        )
    )["wef2025future"]
    assert r.text == (
        "World Economic Forum. (2025). The future of jobs report 2025. "
        "https://www.weforum.org/publications/the-future-of-jobs-report-2025/"
    )
    assert "<i>The future of jobs report 2025</i>" in r.html


def test_report_with_publisher():
    r = refs(
        row(
            record_id="smith2020skills",
            entry_type="report",
            title="Skills for the digital age",
            authors="Smith, Jane; Doe, John",
            year="2020",
            publisher="OECD Publishing",
        )
    )["smith2020skills"]
    assert r.text == "Smith, J., & Doe, J. (2020). Skills for the digital age. OECD Publishing."


def test_web_page():
    r = refs(
        row(
            record_id="kemendikbud2021kampus",
            entry_type="online",
            title="Kampus Merdeka",
            authors="Kemendikbudristek",
            year="2021",
            source_title="Portal Kampus Merdeka",
            url="https://kampusmerdeka.kemdikbud.go.id/",
        )
    )["kemendikbud2021kampus"]
    assert (
        r.text
        == "Kemendikbudristek. (2021). Kampus Merdeka. Portal Kampus Merdeka. https://kampusmerdeka.kemdikbud.go.id/"
    )
    assert "<i>Kampus Merdeka</i>. Portal Kampus Merdeka." in r.html


def test_hostile_title_is_escaped():
    r = refs(
        row(
            record_id="x2020a",
            entry_type="article",
            title="A <script>alert(1)</script> & <img src=x onerror=alert(1)>",
            authors="X, Y",
            year="2020",
            source_title="J",
            url="https://e.org/?a=1&b=<2>",
        )
    )["x2020a"]
    assert "<script>" not in r.html and "<img" not in r.html
    assert "A &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in r.html
    assert 'href="https://e.org/?a=1&amp;b=' in r.html


def test_same_author_and_year_get_suffixes_by_title():
    r = refs(
        row(record_id="k2", entry_type="article", title="Beta", authors="Smith, John", year="2020", source_title="J"),
        row(record_id="k1", entry_type="article", title="Alpha", authors="Smith, John", year="2020", source_title="J"),
    )
    assert r["k1"].text.startswith("Smith, J. (2020a). Alpha.")
    assert r["k2"].text.startswith("Smith, J. (2020b). Beta.")
    assert list(r) == ["k1", "k2"]  # APA order


def test_authors_and_types():
    assert parse_authors(
        "Light, Michael A.; {World Economic Forum}; Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi"
    ) == [
        {"family": "Light", "given": "Michael A."},
        {"literal": "World Economic Forum"},
        {"literal": "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi"},
    ]
    assert corpus_item(row(record_id="a", entry_type="article"))["type"] == "article-journal"
    assert corpus_item(row(record_id="a", entry_type="misc", url="https://x.org"))["type"] == "webpage"
    assert "issued" not in corpus_item(row(record_id="a", year=""))  # n.d.


# Issue 21 item 5: records as a reader sees them.

COLUMNS_MORE = [*COLUMNS, "editors", "doc_type", "language"]


def refs_more(*rows):
    frame = pd.DataFrame([{c: r.get(c, "") for c in COLUMNS_MORE} for r in rows], columns=COLUMNS_MORE)
    return format_references(frame)


def test_references_sorted_by_collation_not_code_point():
    # Python's sort puts "Ko" < "Ku" < "Kö" (ö is U+00F6); a German reader looks for König between
    # Koch and Kultusministerkonferenz (today's code lists König last)
    out = refs_more(
        {"record_id": "kmk", "entry_type": "techreport", "title": "Bildungsstandards", "year": "2004",
         "authors": "{Kultusministerkonferenz}"},
        {"record_id": "koenig", "entry_type": "article", "title": "Lernen", "year": "2019",
         "authors": "König, Johannes", "source_title": "Zeitschrift für Pädagogik"},
        {"record_id": "koch", "entry_type": "article", "title": "Lehren", "year": "2019",
         "authors": "Koch, Anna", "source_title": "Unterrichtswissenschaft"},
        {"record_id": "ozturk", "entry_type": "article", "title": "Okul", "year": "2019",
         "authors": "Öztürk, Ayşe", "source_title": "Eğitim ve Bilim"},
        {"record_id": "oberle", "entry_type": "article", "title": "Schule", "year": "2019",
         "authors": "Oberle, Ute", "source_title": "Die Deutsche Schule"},
    )  # fmt: skip
    assert [r.key for r in out] == ["koch", "koenig", "kmk", "oberle", "ozturk"]


def test_review_and_editorial_keep_their_journal():
    # a WoS "DT Review" and an "Editorial Material" are journal articles: journal, volume and pages listed
    for doc_type in ("review", "editorial"):
        (r,) = refs_more(
            {"record_id": "r", "entry_type": "article", "doc_type": doc_type, "title": "What we know",
             "authors": "Smith, John", "year": "2020", "source_title": "Review of Educational Research",
             "volume": "90", "issue": "2", "pages": "1-30"},
        )  # fmt: skip
        assert "<i>Review of Educational Research</i>, <i>90</i>(2), 1–30" in r.html
    item = corpus_item({"record_id": "r", "entry_type": "misc", "doc_type": "review", "source_title": "J"})
    assert item["type"] == "article-journal"


def test_edited_book_is_listed_and_cited_by_its_editors():
    (r,) = refs_more(
        {"record_id": "handbuch", "entry_type": "book", "title": "Handbuch Bildungsforschung", "year": "2018",
         "editors": "Müller, Jan; Schmidt, Eva", "publisher": "Springer VS"},
    )  # fmt: skip
    assert r.text == "Müller, J., & Schmidt, E. (Eds.). (2018). Handbuch Bildungsforschung. Springer VS."
    assert r.cite == "(Müller &amp; Schmidt, 2018)"


def test_chapter_names_the_editors_with_capital_label():
    (r,) = refs_more(
        {"record_id": "ch", "entry_type": "incollection", "title": "Lehrerbildung", "year": "2018",
         "authors": "Weber, Karl", "editors": "Müller, Jan", "source_title": "Handbuch Bildungsforschung",
         "pages": "10-20", "publisher": "Springer VS"},
    )  # fmt: skip
    assert "In J. Müller (Ed.), " in r.text
    assert "(ed.)" not in r.text


def test_non_english_titles_keep_their_case():
    (r,) = refs_more(
        {"record_id": "de", "entry_type": "article", "title": "Lernen und Lehren in der Schule", "year": "2019",
         "authors": "König, Johannes", "source_title": "Zeitschrift für Pädagogik", "volume": "65"},
    )  # fmt: skip
    assert "Zeitschrift für Pädagogik" in r.text  # not "Zeitschrift Für Pädagogik"
    (r,) = refs_more(
        {"record_id": "id", "entry_type": "article", "title": "Pendidikan karakter", "year": "2019",
         "authors": "Sari, Dewi", "source_title": "Jurnal pendidikan", "language": "Indonesian"},
    )  # fmt: skip
    assert "Jurnal pendidikan" in r.text  # sentence case as given
    (r,) = refs_more(
        {"record_id": "en", "entry_type": "article", "title": "Learning", "year": "2019",
         "authors": "Smith, John", "source_title": "journal of learning sciences"},
    )  # fmt: skip
    assert "Journal of Learning Sciences" in r.text  # English journals still title case


def test_corporate_author_with_comma_is_one_author():
    (r,) = refs_more(
        {"record_id": "bm", "entry_type": "techreport", "title": "Nationaler Bildungsbericht", "year": "2021",
         "authors": "{Bundesministerium für Bildung, Wissenschaft und Forschung}"},
    )  # fmt: skip
    assert r.text.startswith("Bundesministerium für Bildung, Wissenschaft und Forschung. (2021).")
    assert "Forschung, B." not in r.text
