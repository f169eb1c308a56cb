"""XML exports, read with lxml ``iterparse`` (memory stays flat; no DTD, no entities, no network).

- ``pubmed_xml``: PubMed XML (NLM's PubmedArticleSet DTD; books as PubmedBookArticle).
- ``endnote_xml``: EndNote's File > Export > XML (Bookends writes it too): ``<record>``
  elements whose values sit in ``<style>`` runs, whose text is joined.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from revalign.bibliography.doctypes import main_type
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
        "title": _text(a.find("ArticleTitle")) or _text(a.find(".//BookTitle")) or _text(a.find("VernacularTitle")),
        "year": year,
        "authors": "; ".join(names) or None,
        "source_title": _text(a.find("Journal/Title")) or _text(a.find(".//ISOAbbreviation")),
        "entry_type": main_type([_text(t) for t in a.findall(".//PublicationTypeList/PublicationType")])
        or "Journal Article",
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
        "editors": names_field(_text(a) for a in rec.findall("contributors/secondary-authors/author"))
        if (ref_type.get("name") if ref_type is not None else "") in ("Book", "Edited Book")
        else None,
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


def _parse_xml(path, text: str):
    """The document element of a whole XML file (no DTD, no entities, no network)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"malformed XML: {exc.msg}", exc.lineno) from None


# ----------------------------------------------------------------------------------
# Zotero RDF (Zotero's File > Export Library > Zotero RDF)

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "z": "http://www.zotero.org/namespaces/export#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "bib": "http://purl.org/net/biblio#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/",
    "link": "http://purl.org/rss/1.0/modules/link/",
    "vcard": "http://nwalsh.com/rdf/vCard#",
}
_RDF_ABOUT = f"{{{_NS['rdf']}}}about"
_RDF_RESOURCE = f"{{{_NS['rdf']}}}resource"
_ZOTERO_SKIP = {"attachment", "note"}


def _x(el, path: str):
    found = el.find(path, _NS)
    return _text(found)


def _rdf_people(el, role: str) -> list[str]:
    out = []
    for li in el.findall(f"bib:{role}/rdf:Seq/rdf:li", _NS):
        person = li.find("foaf:Person", _NS)
        if person is not None:
            family = _x(person, "foaf:surname") or ""
            given = _x(person, "foaf:givenName") or _x(person, "foaf:givenname") or ""
            out.append(Name(family=family, given=given).stored() if given else organisation(family).stored())
        elif li.find("foaf:Organization", _NS) is not None:
            out.append(organisation(_x(li, "foaf:Organization/foaf:name") or "").stored())
        elif _text(li):
            out.append(_text(li))
    return [n for n in out if n]


def read_zotero_rdf(path: str | Path, text: str) -> pd.DataFrame:
    """Zotero RDF: one element per item (``bib:Article``, ``bib:Book``, ``rdf:Description``...)
    with ``z:itemType``; a journal or book it is part of sits in ``dcterms:isPartOf``, inline or
    as a separate element named by ``rdf:resource``. Notes and attachments are not works."""
    root = _parse_xml(path, text)
    if root.tag != f"{{{_NS['rdf']}}}RDF":
        raise InputError(path, f"not a Zotero RDF export: the root element is <{etree_name(root)}>, not <rdf:RDF>")
    by_about = {el.get(_RDF_ABOUT): el for el in root if el.get(_RDF_ABOUT)}
    rows = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        item_type = _x(el, "z:itemType")
        if item_type is None or item_type in _ZOTERO_SKIP:
            continue
        part = el.find("dcterms:isPartOf", _NS)
        container = None
        if part is not None:
            container = part[0] if len(part) else by_about.get(part.get(_RDF_RESOURCE))
        identifiers = [_text(i) or "" for i in el.findall("dc:identifier", _NS)]
        identifiers += [_x(i, "dcterms:URI/rdf:value") or "" for i in el.findall("dc:identifier", _NS)]
        doi = next((i.split(" ", 1)[1] for i in identifiers if i.upper().startswith("DOI ")), None)
        url = next((i for i in identifiers if i.startswith("http")), None)
        if container is not None and doi is None:
            doi = next(
                (
                    (_text(i) or "").split(" ", 1)[1]
                    for i in container.findall("dc:identifier", _NS)
                    if (_text(i) or "").upper().startswith("DOI ")
                ),
                None,
            )
        keywords = [_text(k) or _x(k, "z:AutomaticTag/rdf:value") for k in el.findall("dc:subject", _NS)]
        rows.append(
            {
                "citation_key": None,
                "src_id": el.get(_RDF_ABOUT),
                "doi": doi,
                "title": _x(el, "dc:title"),
                "year": _x(el, "dc:date"),
                "authors": "; ".join(_rdf_people(el, "authors")) or None,
                "source_title": _x(container, "dc:title") if container is not None else None,
                "entry_type": item_type,
                "abstract": _x(el, "dcterms:abstract"),
                "keywords": "; ".join(dict.fromkeys(k for k in keywords if k)) or None,
                "volume": _x(el, "prism:volume") or (_x(container, "prism:volume") if container is not None else None),
                "issue": _x(el, "prism:number") or (_x(container, "prism:number") if container is not None else None),
                "pages": _x(el, "bib:pages"),
                "url": url,
                "publisher": _x(el, "dc:publisher/foaf:Organization/foaf:name"),
                "language": _x(el, "z:language") or _x(el, "dc:language"),
                "editors": "; ".join(_rdf_people(el, "editors")) or None,
                "_entry": str(len(rows) + 1),
                "_line": el.sourceline,
            }
        )
    return raw_frame(rows)


def etree_name(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else "?"
    return tag.rsplit("}", 1)[-1]


# ----------------------------------------------------------------------------------
# JSTOR Data for Research (DfR): one XML file per article (JATS) or book


def _dfr_people(group, role: str) -> list[str]:
    out = []
    for c in group.findall(f".//contrib[@contrib-type='{role}']"):
        name = c.find("string-name")
        if name is None:
            name = c.find("name")
        if name is None:
            continue
        family = (_text(name.find("surname")) or "").rstrip(",")
        given = _text(name.find("given-names")) or ""
        prefix = _text(name.find("prefix")) or ""
        suffix = _text(name.find("suffix")) or ""
        if family:
            out.append(Name(family=family, given=given, suffix=suffix).stored())
        elif _text(name):  # <string-name>R. Kudo</string-name>: the name as one string
            out.append(names_field([_text(name)], "given_first") or "")
        del prefix
    return [n for n in out if n]


def read_jstor_dfr(path: str | Path, text: str) -> pd.DataFrame:
    """A JSTOR Data for Research metadata file: ``<article>`` (JATS ``front``) or ``<book>``."""
    root = _parse_xml(path, text)
    if root.tag == "article":
        meta, journal = root.find("front/article-meta"), root.find("front/journal-meta")
        if meta is None:
            raise InputError(path, "a JSTOR DfR article without <front><article-meta>", root.sourceline)
        title = _text(meta.find("title-group/article-title"))
        doi = _text(meta.find("article-id[@pub-id-type='doi']"))
        source = _text(journal.find(".//journal-title")) if journal is not None else None
        publisher = _text(journal.find(".//publisher-name")) if journal is not None else None
        entry_type = root.get("article-type") or "journal article"
    elif root.tag == "book":
        meta = root.find("book-meta")
        if meta is None:
            raise InputError(path, "a JSTOR DfR book without <book-meta>", root.sourceline)
        title = _text(meta.find("book-title-group/book-title"))
        subtitle = _text(meta.find("book-title-group/subtitle"))
        title = f"{title}: {subtitle}" if title and subtitle else title
        doi = _text(meta.find("book-id[@book-id-type='doi']"))
        source, publisher = None, _text(meta.find(".//publisher-name"))
        entry_type = "book"
    else:
        raise InputError(
            path, f"not a JSTOR DfR file: the root element is <{etree_name(root)}>, not <article> or <book>"
        )
    fpage, lpage = _text(meta.find("fpage")), _text(meta.find("lpage"))
    pages = f"{fpage}-{lpage}" if fpage and lpage and fpage != lpage else (fpage or _text(meta.find("page-range")))
    lang = next(
        (_text(m.find("meta-value")) for m in meta.findall(".//custom-meta") if _text(m.find("meta-name")) == "lang"),
        None,
    )
    row = {
        "citation_key": None,
        "src_id": _text(meta.find("book-id[@book-id-type='jstor']"))
        or _text(meta.find("article-id[@pub-id-type='jstor']")),
        "doi": doi,
        "title": title,
        "year": _text(meta.find("pub-date/year")),
        "authors": "; ".join(_dfr_people(meta, "author")) or None,
        "source_title": source,
        "entry_type": entry_type,
        "abstract": _text(meta.find("abstract")),
        "keywords": None,
        "volume": _text(meta.find("volume")),
        "issue": _text(meta.find("issue")),
        "pages": pages,
        "url": (
            meta.find("self-uri").get("{http://www.w3.org/1999/xlink}href")
            if meta.find("self-uri") is not None
            else None
        ),
        "publisher": publisher,
        "language": lang or root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        "editors": "; ".join(_dfr_people(meta, "editor")) or None,
        "_entry": "1",
        "_line": meta.sourceline,
    }
    return raw_frame([row])
