"""The reference list in APA 7 style, formatted by citeproc-py from the corpus.

Each corpus row (``P/corpus.csv``) is turned into a CSL-JSON item and formatted with
the official APA 7 CSL style (``csl/apa.csl``, vendored from the Citation Style
Language repository, CC BY-SA 3.0). The result is safe HTML: every character that
came from the bibliography is escaped, and only the style's own emphasis (italics)
and http(s) links are turned into markup.

How the escaping works: citeproc-py's own HTML formatter does not escape titles, so
the formatter used here emits plain text with private-use marker characters around
italic, bold ... runs; the finished string is escaped with :func:`html.escape` and
only then are the markers replaced by tags. Marker characters in the input are
removed first, so input text can never produce a tag.
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace

import pandas as pd

from revalign.bibliography import names as _names

STYLE_FILE = "apa.csl"

# BibTeX / BibLaTeX / RIS-like entry types -> CSL types. CSL types pass through.
ENTRY_TYPES = {
    "article": "article-journal",
    "journal-article": "article-journal",
    "jour": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "chap": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "techreport": "report",
    "report": "report",
    "rprt": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "elec": "webpage",
    "misc": "document",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "manual": "report",
    "news": "article-newspaper",
    "newspaper": "article-newspaper",
    "magazine": "article-magazine",
    "legislation": "legislation",
    "legal": "legislation",
    "law": "legislation",
    "statute": "legislation",
    "regulation": "regulation",
    "govdoc": "report",
    "gen": "document",
    "dataset": "dataset",
    "software": "software",
}
CSL_TYPES = {
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "figure",
    "graphic",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
}
# Types whose ``source_title`` names the container (journal, book, website, newspaper).
CONTAINER_TYPES = {
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "chapter",
    "paper-conference",
    "webpage",
    "post-weblog",
    "entry-encyclopedia",
    "entry-dictionary",
    "entry",
}

# Private-use markers for the formatter's emphasis; stripped from all input text.
_MARK = {
    "i": ("\ue000", "\ue001"),
    "b": ("\ue002", "\ue003"),
    "sup": ("\ue004", "\ue005"),
    "sub": ("\ue006", "\ue007"),
}
_MARK_CHARS = re.compile("[\ue000-\ue00f]")
_URL = re.compile(r"https?://[^\s<>\"\ue000-\ue00f]+")


def _wrapper(tag: str):
    open_, close = _MARK[tag]

    class Wrapper(str):
        def __new__(cls, text):
            return super().__new__(cls, f"{open_}{text}{close}")

    return Wrapper


def _plain(text):
    return str(text)


# A citeproc-py "formatter": plain text with markers (see the module docstring).
_FORMATTER = SimpleNamespace(
    preformat=_plain,
    Italic=_wrapper("i"),
    Oblique=_wrapper("i"),
    Bold=_wrapper("b"),
    Light=lambda text: str(text),
    Underline=lambda text: str(text),
    Superscript=_wrapper("sup"),
    Subscript=_wrapper("sub"),
    SmallCaps=lambda text: str(text),
)


def clean_text(value) -> str:
    """Input text as a plain string: missing -> '', marker characters removed, whitespace collapsed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = _MARK_CHARS.sub("", str(value))
    return re.sub(r"\s+", " ", text).strip()


def to_html(marked: str, link_urls: bool = True) -> str:
    """Escape a marked-up plain string, then turn markers (and URLs) into tags."""
    out = html.escape(marked, quote=True)
    if link_urls:
        out = _URL.sub(lambda m: _link(m.group(0)), out)
    for tag, (open_, close) in _MARK.items():
        out = out.replace(open_, f"<{tag}>").replace(close, f"</{tag}>")
    return _MARK_CHARS.sub("", out)


def _link(escaped_url: str) -> str:
    # The URL is already escaped (&amp; ...); a trailing full stop is sentence punctuation.
    url, tail = escaped_url, ""
    while url and url[-1] in ".,;)":
        url, tail = url[:-1], url[-1] + tail
    return f'<a href="{url}" rel="noreferrer">{url}</a>{tail}'


def _strip_braces(text: str) -> str:
    return text.replace("{", "").replace("}", "").strip()


def parse_authors(authors: str) -> list[dict]:
    """The corpus ``authors`` field as CSL names (:mod:`revalign.bibliography.names`: a braced
    name or one without a comma is an organisation, a third part a suffix)."""
    out = []
    for n in _names.parse_authors(clean_text(authors)):
        if n.literal:
            out.append({"literal": _strip_braces(n.literal)})
            continue
        name = {"family": _strip_braces(n.family)}
        if n.given:
            name["given"] = _strip_braces(n.given)
        if n.suffix:
            name["suffix"] = n.suffix
        out.append(name)
    return out


# the corpus's common document types (revalign.bibliography.doctypes.DOC_TYPES) -> CSL types: a review
# article or an editorial is a journal article (CSL's "review" is a review *of* a book or film)
DOC_TYPE_CSL = {
    "article": "article-journal", "review": "article-journal", "editorial": "article-journal",
    "letter": "article-journal", "note": "article-journal", "erratum": "article-journal",
    "book review": "article-journal",
    "conference paper": "paper-conference", "book": "book", "book chapter": "chapter", "report": "report",
    "thesis": "thesis", "webpage": "webpage", "news": "article-newspaper", "preprint": "article",
}  # fmt: skip


def csl_type(entry_type: str, row: dict | None = None) -> str:
    doc_type = clean_text((row or {}).get("doc_type")).lower()
    if doc_type in DOC_TYPE_CSL and not (doc_type == "article" and clean_text(entry_type).lower() in ENTRY_TYPES):
        return DOC_TYPE_CSL[doc_type]
    t = clean_text(entry_type).lower()
    mapped = ENTRY_TYPES.get(t)  # export types first: BibTeX "article" is a journal article
    if mapped is None and t in CSL_TYPES:
        return t
    if mapped == "document" and row and clean_text(row.get("url")) and not clean_text(row.get("publisher")):
        return "webpage"  # a @misc with only a URL is a web page
    return mapped or "document"


def _year(value) -> int | None:
    text = clean_text(value)
    m = re.match(r"^(\d{4})(\.0+)?$", text)
    return int(m.group(1)) if m else None


def corpus_item(row: dict) -> dict:
    """One corpus row (a dict of column -> value) as a CSL-JSON item."""
    key = clean_text(row.get("record_id"))
    ctype = csl_type(row.get("entry_type", ""), row)
    item: dict = {"id": key, "type": ctype}
    title = clean_text(row.get("title"))
    if title:
        item["title"] = _strip_braces(title)
    authors = parse_authors(row.get("authors", ""))
    if authors:
        item["author"] = authors
    editors = parse_authors(row.get("editors", ""))
    if editors:  # an edited book: APA cites and lists it by its editors, "(Eds.)"
        item["editor"] = editors
    language = _language(row)
    if language:  # CSL applies English title case only to English works
        item["language"] = language
    year = _year(row.get("year"))
    if year is not None:
        item["issued"] = {"date-parts": [[year]]}
    source = _strip_braces(clean_text(row.get("source_title")))
    publisher = _strip_braces(clean_text(row.get("publisher")))
    if source:
        if ctype in CONTAINER_TYPES:
            item["container-title"] = source
        elif not publisher:
            publisher = source  # a report's or book's "source" is its issuing body
    # APA 7 (9.24): when the author and the publisher are the same, omit the publisher.
    literal_authors = {a.get("literal", "").casefold() for a in authors}
    if publisher and publisher.casefold() not in literal_authors:
        item["publisher"] = publisher
    for column, var in (("volume", "volume"), ("issue", "issue"), ("pages", "page")):
        value = clean_text(row.get(column))
        if value:
            item[var] = value.replace("--", "-").replace("\u2013", "-")
    doi = clean_text(row.get("doi"))
    if doi:
        item["DOI"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
    url = clean_text(row.get("url"))
    if url and not doi:
        item["URL"] = url
    return item


# frequent function words of other languages: a title or journal that has them in lower case is not
# English and keeps its case (German, French, Spanish, Portuguese, Italian, Dutch, Indonesian)
_FOREIGN_MINOR = {
    "und", "für", "der", "die", "das", "des", "dem", "den", "von", "zur", "zum", "im", "mit", "auf", "aus", "bei",
    "et", "les", "du", "pour", "dans", "sur", "une", "del", "los", "las", "y", "para", "con", "en", "em",
    "dos", "e", "da", "di", "della", "dei", "delle", "per", "het", "een", "voor", "van", "dan", "yang",
    "untuk", "pada", "dalam", "dengan", "ke",
}  # fmt: skip


def _language(row: dict) -> str | None:
    """The work's language for CSL: its ISO 639-1 code from the ``language`` column (``German``,
    ``ger``, ``de``), else ``und`` (undetermined, so no English title case) when its title or source
    keeps words in lower case that English title case would capitalise (``Zeitschrift für
    Pädagogik``), else None (English)."""
    value = clean_text(row.get("language"))
    if value:
        from revalign.screening.rules import language_keys

        code = language_keys(["de", "fr", "es", "id", "nl", "pt", "it"])(value)
        if len(code) == 2:
            return code
    for text in (row.get("source_title"), row.get("title")):
        words = re.findall(r"[^\W\d_]+", clean_text(text))
        if any(w in _FOREIGN_MINOR for w in words[1:]):
            return "und"
    return None


def _edited_book(entry: str) -> str:
    """APA 7 (10.3) for a work listed by its editors: ``Müller, J., & Schmidt, E. (Eds.). (2018).
    Handbuch. Beltz.``. citeproc-py puts the editors in the author's place but prints them after the
    title too, ``(J. Müller & E. Schmidt, eds.)``: that repetition is dropped."""
    return re.sub(r"(\S) \([^()]*, eds?\.\)", r"\1", entry, count=1)


def _editor_label(entry: str) -> str:
    """APA writes the editor label capitalised, ``(Ed.)``/``(Eds.)``, also in a chapter's ``In J.
    Müller (Eds.),``; citeproc-py's APA style writes ``(ed.)``."""
    return re.sub(r"\((ed|eds)\.\)", lambda m: f"({m.group(1).capitalize()}.)", entry)


def collation_key(text: str) -> str:
    """A sort key that orders names as a reader expects without locale data: letters with
    diacritics beside their base letter (König between Koch and Kultusministerkonferenz), ``ß`` as
    ``ss``, case ignored."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", clean_text(text).replace("ß", "ss").replace("ẞ", "SS"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _name_key(item: dict) -> tuple:
    return tuple(
        (a.get("literal") or f"{a.get('family', '')}, {a.get('given', '')}").casefold() for a in item.get("author", [])
    )


def _add_year_suffixes(items: list[dict]) -> None:
    """APA 7 (8.19): works with the same authors and year get a, b, ... ordered by title."""
    groups: dict[tuple, list[dict]] = {}
    for item in items:
        year = item.get("issued", {}).get("date-parts", [[None]])[0][0]
        groups.setdefault((_name_key(item) or (item.get("title", "").casefold(),), year), []).append(item)
    for group in groups.values():
        if len(group) > 1:
            group.sort(key=lambda it: (re.sub(r"^(the|a|an)\s+", "", it.get("title", "").casefold()), it["id"]))
            for n, item in enumerate(group):
                item["year-suffix"] = chr(ord("a") + n) if n < 26 else f"z{n}"


@lru_cache(maxsize=1)
def load_style():
    from citeproc import CitationStylesStyle

    path = resources.files("revalign.report").joinpath("csl", STYLE_FILE)
    with resources.as_file(path) as p, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(str(p), validate=False)


@dataclass(frozen=True)
class Reference:
    key: str
    html: str  # the APA 7 reference entry, safe HTML
    cite: str  # the parenthetical in-text citation, safe HTML, e.g. "(Light &amp; Light, 2008)"
    text: str  # the entry as plain text (for tests and search)


def format_references(corpus: pd.DataFrame) -> list[Reference]:
    """The APA 7 reference list of *corpus* (one Reference per row), in APA order."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    rows = corpus.to_dict(orient="records")
    items = [corpus_item(r) for r in rows if clean_text(r.get("record_id"))]
    if not items:
        return []
    _add_year_suffixes(items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(items)
        bib = CitationStylesBibliography(load_style(), source, _FORMATTER)
        citations = {}
        for item in items:
            citation = Citation([CitationItem(item["id"])])
            bib.register(citation)
            citations[item["id"]] = citation
        bib.sort()
        cites = {key: str(bib.cite(c, lambda _item: None)) for key, c in citations.items()}
        entries = [str(entry) for entry in bib.bibliography()]
        # citeproc-py lower-cases item ids; map them back to the corpus keys.
        original = {item["id"].lower(): item["id"] for item in items}
        keys = [original.get(str(k), str(k)) for k in bib.keys]
    by_editors = {item["id"] for item in items if item.get("editor") and not item.get("author")}
    out = []
    for key, entry in zip(keys, entries, strict=False):
        if key in by_editors:
            entry = _edited_book(entry)
        entry = _editor_label(entry)
        text = re.sub("[\ue000-\ue00f]", "", entry)
        out.append(Reference(key=key, html=to_html(entry), cite=to_html(cites[key], link_urls=False), text=text))
    # citeproc-py compares code points (Kultusministerkonferenz before König); the list is put in
    # order by the author part of each entry, collated, keeping citeproc's order within one author part
    return sorted(out, key=lambda r: collation_key(re.split(r" \(\d{4}|\. \(n\.d\.", r.text, maxsplit=1)[0]))
