"""Document types: each export's own type names mapped to one vocabulary (``doc_type``), ``doc_type``
mapped to the source category a run counts by, and both as a reader calls them in the run's language.

The exports name types their own way: BibTeX ``@article``, RIS ``JOUR``, Scopus ``Article``/``Review``,
Web of Science ``Article``/``Review``/``Editorial Material``, PubMed ``Journal Article`` (with
``Review``, ``Comparative Study``... beside it), ERIC ``Journal Articles``/``Reports - Research``,
Zotero ``journalArticle``, EndNote ``Journal Article``, RefWorks ``Book, Section``, IEEE Xplore
``IEEE Journals``, JSTOR ``research-article``, OpenAlex ``article``/``preprint``. All are mapped
here (:data:`DOC_TYPES`) before the categories are derived (:data:`DEFAULT_SOURCE_CATEGORIES`), so
that a review article or an editorial keeps its journal and counts as a journal article, not as
"other". Figures, notebooks and the report name types and categories through the message catalog
(:func:`doc_type_label`, :func:`category_label`); a type or category outside these (an export's own
entry type that is not mapped, a run's own category) is shown as it is.
"""

from __future__ import annotations

import pandas as pd

from revalign.core.i18n import N_, messages

# source type (lower case) -> doc_type
DOC_TYPES = {
    # articles
    "article": "article", "jour": "article", "ejour": "article", "article-journal": "article",
    "journal article": "article", "journal articles": "article", "journalarticle": "article",
    "journal-article": "article", "research-article": "article", "electronic article": "article",
    "inpress": "article", "inpr": "article", "early access": "article", "article in press": "article",
    "data paper": "article", "retracted": "article", "retracted publication": "article",
    "business article": "article", "brief-report": "article", "journal": "article",
    "article-magazine": "article", "mgzn": "article", "magazine": "article", "magazinearticle": "article",
    "magazine article": "article", "english abstract": "article",
    "short survey": "review", "review": "review", "systematic review": "review", "meta-analysis": "review",
    "scoping review": "review", "information analyses": "review", "review-article": "review",
    "review-essay": "review",
    "editorial": "editorial", "editorial material": "editorial", "introduction": "editorial",
    "letter": "letter", "comment": "letter", "note": "note",
    "erratum": "erratum", "correction": "erratum", "published erratum": "erratum",
    "book review": "book review", "book-review": "book review",
    # conference
    "inproceedings": "conference paper", "conference": "conference paper", "conf": "conference paper",
    "cpaper": "conference paper", "paper-conference": "conference paper", "conferencepaper": "conference paper",
    "conference paper": "conference paper", "proceedings paper": "conference paper",
    "conference review": "conference paper", "proceedings": "conference paper",
    "proceedings-article": "conference paper", "proceeding": "conference paper",
    "conference proceedings": "conference paper", "conference proceedings article": "conference paper",
    "conference abstract": "conference paper", "meeting abstract": "conference paper",
    "speeches/meeting papers": "conference paper", "abstract report": "conference paper",
    # books
    "book": "book", "ebook": "book", "edbook": "book", "books": "book", "edited book": "book",
    "edited_book": "book", "electronic book": "book", "book, whole": "book", "book, edited": "book",
    "monograph": "book", "ser": "book", "book series": "book", "text/reference": "book", "drug reference": "book",
    "incollection": "book chapter", "inbook": "book chapter", "chap": "book chapter", "echap": "book chapter",
    "chapter": "book chapter", "book chapter": "book chapter", "book-chapter": "book chapter",
    "booksection": "book chapter", "book section": "book chapter", "electronic book section": "book chapter",
    "book, section": "book chapter", "encyclopediaarticle": "book chapter", "dictionaryentry": "book chapter",
    # reports and grey literature
    "techreport": "report", "report": "report", "rprt": "report", "standard": "report", "stand": "report",
    "reports - research": "report", "reports - descriptive": "report", "reports - evaluative": "report",
    "reports - general": "report", "guides - non-classroom": "report", "guides - classroom - teacher": "report",
    "numerical/quantitative data": "report",
    "govdoc": "government document", "legislation": "government document", "bill": "government document",
    "regulation": "government document", "legal_case": "government document", "statute": "government document",
    "government document": "government document", "case": "government document", "hearing": "government document",
    "hear": "government document", "legal": "government document", "unbill": "government document",
    "stat": "government document", "legal/legislative/regulatory materials": "government document",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "webpage": "webpage", "elec": "webpage",
    "web": "webpage", "post-weblog": "webpage", "blog": "webpage", "blogpost": "webpage", "web page": "webpage",
    "forumpost": "webpage",
    "news": "news", "newsarticle": "news", "article-newspaper": "news", "news item": "news", "newspaper": "news",
    "newspaperarticle": "news", "newspaper article": "news", "press": "news",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis", "thes": "thesis",
    "dissertation": "thesis", "dissertation/thesis": "thesis", "dissertation abstract": "thesis",
    "dissertations/theses - doctoral dissertations": "thesis", "dissertations/theses - masters theses": "thesis",
    "dissertations/theses": "thesis", "dissertations/theses - undetermined": "thesis",
    "preprint": "preprint", "posted-content": "preprint", "unpb": "other",
    "misc": "other", "gen": "other", "generic": "other", "document": "other", "unpublished": "other",
    "manuscript": "other",
}  # fmt: skip

# doc_type -> source category, for works whose export has no ``sourcecategory`` field (a
# BibTeX custom field the user curates: when present it always wins). A run overrides or
# extends this with the ``source_categories`` parameter, keyed by doc_type or by the
# export's own entry type (lower case). Types not listed here fall back to "other".
DEFAULT_SOURCE_CATEGORIES = {
    "article": "journal article", "review": "journal article", "editorial": "journal article",
    "letter": "journal article", "note": "journal article", "erratum": "journal article",
    "book review": "journal article",
    "conference paper": "conference paper",
    "book": "book", "book chapter": "chapter",
    "report": "report", "thesis": "thesis",
    "webpage": "web page", "government document": "policy document", "news": "news",
    "other": "other",
}  # fmt: skip

#: document types whose ``source_title`` is a journal or proceedings (not a publisher): those the
#: default categories count as journal articles or conference papers
JOURNAL_DOC_TYPES = frozenset(
    d for d, category in DEFAULT_SOURCE_CATEGORIES.items() if category in ("journal article", "conference paper")
)

# the publication types a PubMed or ERIC record lists beside "Journal Article(s)" that say what
# kind of article it is, most telling first; any other beside it ("Comparative Study",
# "Research Support, N.I.H., Extramural", "Reports - Research") keeps it a journal article
_ARTICLE_KINDS = (
    "systematic review", "meta-analysis", "scoping review", "review", "information analyses",
    "editorial", "comment", "letter", "published erratum", "news", "preprint",
)  # fmt: skip
_JOURNAL = ("journal article", "journal articles")


def main_type(values: list[str]) -> str | None:
    """The one type of a record that lists several (PubMed ``PT``/``PublicationType``, ERIC ``PT``):
    a kind of article when one is listed (``Review``, ``Editorial``...), else ``Journal Article(s)``
    when listed (PubMed's ``Comparative Study`` or ERIC's ``Reports - Research`` beside it is about
    the study, not the publication), else the first one that has a mapping, else the first."""
    values = [v.strip() for v in values if v and v.strip()]
    lower = [v.lower() for v in values]
    for kind in _ARTICLE_KINDS:
        if kind in lower:
            return values[lower.index(kind)]
    for journal in _JOURNAL:
        if journal in lower:
            return values[lower.index(journal)]
    for v, low in zip(values, lower, strict=True):
        if low in DOC_TYPES:
            return v
    return values[0] if values else None


def doc_type_series(entry_type: pd.Series) -> pd.Series:
    """doc_type of each record from its export's own type (``entry_type``); a type that is not
    mapped is kept (lower case). IEEE Xplore's content types by their ending (``IEEE Journals``,
    ``OUP Journals``, ``IEEE Conferences``, ``IEEE Early Access Articles``)."""
    et = entry_type.str.lower()
    out = et.map(DOC_TYPES).astype("string")
    rest = out.isna() & et.notna()
    if rest.any():
        tail = et[rest]
        by_end = pd.Series(pd.NA, index=tail.index, dtype="string")
        by_end = by_end.mask(tail.str.endswith(("journals", "magazines", "early access articles")), "article")
        by_end = by_end.mask(tail.str.endswith("conferences"), "conference paper")
        by_end = by_end.mask(tail.str.endswith("standards"), "report")
        by_end = by_end.mask(tail.str.endswith("books"), "book")
        out[rest] = by_end
    return out.fillna(et)


def source_category(entry_type: pd.Series, doc_type: pd.Series, overrides: dict | None = None) -> pd.Series:
    """Category of each work from its types: the run's ``source_categories`` (by entry type,
    then by doc_type), then :data:`DEFAULT_SOURCE_CATEGORIES`, else ``"other"``."""
    overrides = {str(k).lower(): v for k, v in (overrides or {}).items()}
    out = entry_type.map(overrides).astype("string")
    out = out.fillna(doc_type.map(overrides).astype("string"))
    out = out.fillna(doc_type.map(DEFAULT_SOURCE_CATEGORIES).astype("string"))
    return out.fillna("other").astype("string")


# the shared document-type vocabulary (:data:`DOC_TYPES`), as a reader calls each
DOC_TYPE_LABELS = {
    "article": N_("journal article"), "review": N_("review article"), "editorial": N_("editorial"),
    "letter": N_("letter"), "note": N_("note"), "erratum": N_("erratum"),
    "conference paper": N_("conference paper"), "book": N_("book"), "book chapter": N_("book chapter"),
    "report": N_("report"), "government document": N_("government doc."), "webpage": N_("web page"),
    "news": N_("news"), "thesis": N_("thesis"), "book review": N_("book review"), "preprint": N_("preprint"),
    "other": N_("other"),
}  # fmt: skip


def doc_type_label(doc_type: str, lang: str = "en") -> str:
    """A document type as a reader calls it, in *lang*; a type outside the vocabulary as the export gives it."""
    label = DOC_TYPE_LABELS.get(str(doc_type))
    return messages(lang)(label) if label else str(doc_type)


# the default source categories (:data:`DEFAULT_SOURCE_CATEGORIES`), as a reader calls each
CATEGORY_LABELS = {
    "journal article": N_("journal article"), "conference paper": N_("conference paper"), "book": N_("book"),
    "chapter": N_("book chapter"), "report": N_("report"), "thesis": N_("thesis"), "web page": N_("web page"),
    "policy document": N_("policy document"), "news": N_("news"), "other": N_("other"),
    "policy": N_("policy"), "academic": N_("academic"), "media": N_("media"),
}  # fmt: skip


def category_label(category: str, lang: str) -> str:
    """A source category in *lang*: the default categories translated, a run's own category as it is."""
    label = CATEGORY_LABELS.get(category)
    return messages(lang)(label) if label else category


# the same categories as headings of a group of works (rows of the coding figures), plural;
# "unknown" is the category of a work whose export says none
CATEGORY_HEADINGS = {
    "journal article": N_("Journal articles"), "conference paper": N_("Conference papers"), "book": N_("Books"),
    "chapter": N_("Book chapters"), "report": N_("Reports"), "thesis": N_("Theses"), "web page": N_("Web pages"),
    "policy document": N_("Policy documents"), "news": N_("News"), "policy": N_("Policy documents"),
    "academic": N_("Academic works"), "media": N_("Media and web"), "other": N_("Other"),
    "unknown": N_("Unknown category"),
}  # fmt: skip


def category_heading(category: str, lang: str = "en") -> str:
    """A source category as the heading of its works (``policy`` -> "Policy documents"), in *lang*;
    a run's own category as written, "_" as spaces."""
    if category in CATEGORY_HEADINGS:
        return messages(lang)(CATEGORY_HEADINGS[category])
    return str(category).replace("_", " ").capitalize()
