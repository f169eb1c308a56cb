"""XML exports, read with lxml ``iterparse`` (memory stays flat; no DTD, no entities, no network).

- ``pubmed_xml``: PubMed XML (NLM's PubmedArticleSet DTD; books as PubmedBookArticle).
- ``endnote_xml``: EndNote's File > Export > XML (Bookends writes it too): ``<record>``
  elements whose values sit in ``<style>`` runs, whose text is joined.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from revalign.bibliography.names import Name, names_field, organisation
from revalign.bibliography.records import raw_frame
from revalign.core.errors import InputError


def read_pubmed_xml(path: str | Path, text: str) -> pd.DataFrame:
    articles = _iter_xml(path, text, ("PubmedArticle", "PubmedBookArticle"))
    return raw_frame([_pubmed_row(art, i) for i, art in enumerate(articles, start=1)])


def _iter_xml(path, text: str, tags):
    """The elements *tags* of an XML export, one at a time (cleared after use; no DTD, no
    entities, no network)."""
    from lxml import etree

    try:
        for _, el in etree.iterparse(
            io.BytesIO(text.encode("utf-8")),
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
        ):
            yield el
            el.clear()
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"malformed XML: {exc.msg}", exc.lineno) from None


def _text(el) -> str | None:
    if el is None:
        return None
    t = "".join(el.itertext()).strip()
    return t or None


def _pubmed_row(art, i: int) -> dict:
    cit = art.find("MedlineCitation")
    a = cit.find("Article") if cit is not None else None
    if a is None:
        a = art.find(".//Book") if art.find(".//Book") is not None else art
    pmid = _text(art.find(".//PMID"))
    names = []
    for au in a.findall(".//AuthorList/Author"):
        last, fore = _text(au.find("LastName")), _text(au.find("ForeName")) or _text(au.find("Initials"))
        if last:
            names.append(Name(family=last, given=fore or "", suffix=_text(au.find("Suffix")) or "").stored())
        elif _text(au.find("CollectiveName")):
            names.append(organisation(_text(au.find("CollectiveName"))).stored())
    doi = None
    for el in list(a.findall("ELocationID")) + list(art.findall(".//ArticleIdList/ArticleId")):
        if (el.get("EIdType") or el.get("IdType")) == "doi":
            doi = _text(el)
            break
    pub = a.find(".//JournalIssue/PubDate")
    if pub is None:  # a book (PubmedBookArticle): Book/PubDate
        pub = a.find("PubDate")
    year = _text(pub.find("Year")) or _text(pub.find("MedlineDate")) if pub is not None else None
    parts = a.findall(".//Abstract/AbstractText") or art.findall(".//Abstract/AbstractText")  # a book's: beside Book
    abstract = "\n".join(filter(None, (_text(x) for x in parts))) or None
    kw = [_text(k) for k in art.findall(".//KeywordList/Keyword")] + [
        _text(k) for k in art.findall(".//MeshHeadingList/MeshHeading/DescriptorName")
    ]
    return {
        "citation_key": None,
        "src_id": pmid,
        "doi": doi,
        "title": _text(a.find("ArticleTitle")) or _text(a.find(".//BookTitle")),
        "year": year,
        "authors": "; ".join(names) or None,
        "source_title": _text(a.find("Journal/Title")) or _text(a.find(".//ISOAbbreviation")),
        "entry_type": _text(a.find(".//PublicationTypeList/PublicationType")) or "Journal Article",
        "abstract": abstract,
        "keywords": "; ".join(dict.fromkeys(k for k in kw if k)) or None,
        "volume": _text(a.find(".//JournalIssue/Volume")),
        "issue": _text(a.find(".//JournalIssue/Issue")),
        "pages": _text(a.find(".//Pagination/MedlinePgn")),
        "url": None,
        "publisher": _text(a.find(".//Publisher/PublisherName")),
        "language": _text(a.find("Language")),
        "_entry": pmid or str(i),
        "_line": art.sourceline,
    }


# ----------------------------------------------------------------------------------
# EndNote XML


def read_endnote_xml(path: str | Path, text: str) -> pd.DataFrame:
    return raw_frame([_endnote_row(rec, i) for i, rec in enumerate(_iter_xml(path, text, "record"), start=1)])


def _endnote_row(rec, i: int) -> dict:
    def one(*paths):
        for p in paths:
            value = _text(rec.find(p))
            if value:
                return " ".join(value.split()) if p != "abstract" else value
        return None

    ref_type = rec.find("ref-type")
    keywords = [_text(k) for k in rec.findall("keywords/keyword")]
    return {
        "citation_key": None,
        "src_id": one("rec-number"),
        "doi": one("electronic-resource-num"),
        "title": one("titles/title"),
        "year": one("dates/year"),
        "authors": names_field(_text(a) for a in rec.findall("contributors/authors/author")),
        "source_title": one("titles/secondary-title", "periodical/full-title"),
        "entry_type": ref_type.get("name") if ref_type is not None else None,
        "abstract": one("abstract"),
        "keywords": "; ".join(dict.fromkeys(k for k in keywords if k)) or None,
        "volume": one("volume"),
        "issue": one("number"),
        "pages": one("pages"),
        "url": one("urls/related-urls/url", "urls/web-urls/url"),
        "publisher": one("publisher"),
        "language": one("language"),
        "_entry": one("rec-number") or str(i),
        "_line": rec.sourceline,
    }
