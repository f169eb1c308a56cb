"""Document types and source categories as a reader calls them, in the run's language.

``doc_type`` takes the shared vocabulary of :data:`revalign.bibliography.importer.DOC_TYPES`
(article, review, book chapter, ...) and ``sourcecategory`` the default categories of
:data:`revalign.bibliography.importer.DEFAULT_SOURCE_CATEGORIES`; figures, notebooks and the report
name them through the message catalog. A type or category outside these (an export's own entry type,
a run's own category) is shown as it is.
"""

from __future__ import annotations

from revalign.core.i18n import N_, messages

# the shared document-type vocabulary (revalign.bibliography.importer.DOC_TYPES), as a reader calls each
DOC_TYPE_LABELS = {
    "article": N_("journal article"), "review": N_("review article"), "editorial": N_("editorial"),
    "letter": N_("letter"), "note": N_("note"), "erratum": N_("erratum"),
    "conference paper": N_("conference paper"), "book": N_("book"), "book chapter": N_("book chapter"),
    "report": N_("report"), "government document": N_("government doc."), "webpage": N_("web page"),
    "news": N_("news"), "thesis": N_("thesis"), "other": N_("other"),
}  # fmt: skip


def doc_type_label(doc_type: str, lang: str = "en") -> str:
    """A document type as a reader calls it, in *lang*; a type outside the vocabulary as the export gives it."""
    label = DOC_TYPE_LABELS.get(str(doc_type))
    return messages(lang)(label) if label else str(doc_type)


# the default source categories (revalign.bibliography.importer.DEFAULT_SOURCE_CATEGORIES), as a reader calls each
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
