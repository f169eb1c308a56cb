"""Readers for the database exports beyond the five core formats of :mod:`revalign.bibliography.readers`.

Same contract: ``reader(path, text) -> DataFrame`` with :data:`~revalign.bibliography.records.RAW_COLUMNS`;
``InputError`` with the line for a broken file; reader warnings in ``df.attrs["warnings"]``.

Which library reads what, and why some readers are written here:

- CSV tables (Lens, OpenAlex CSV, IEEE Xplore, Springer, Embase, Dimensions): pandas'
  C parser, then a column mapping per format (:data:`TABLES`). Each format names the
  columns it needs (``required``); a file forced to a format without them is refused,
  naming the missing columns, instead of importing empty years, authors and DOIs.
- PubMed XML: lxml (``iterparse``, so memory stays flat), NLM's PubmedArticleSet DTD.
- EndNote XML (EndNote's File > Export > XML; Bookends writes it too): lxml ``iterparse`` over
  ``<record>``; every value sits in ``<style>`` runs, whose text is joined.
- PubMed / MEDLINE (``.nbib``, ``.txt``): written here. No maintained Python library reads
  the MEDLINE tagged format without network access (Biopython's ``Medline`` parser would
  be a large dependency for one 40-line format: tag padded to 4 characters, ``- ``, and
  continuation lines indented six spaces).
- EndNote refer (``%T``/``%A`` lines, what EndNote's "Refer/BibIX" and many library
  portals export as ``.enw``/``.txt``): written here for the same reason (no library).
- OpenAlex JSON (a ``/works`` API response or a list of works): the standard library
  ``json``, through :func:`revalign.bibliography.jsontext.load_json` (the same one-line errors for a
  truncated file, deep nesting or a huge number); the abstract is rebuilt from OpenAlex's
  inverted index.
- Publish or Perish JSON (Harzing's tool, the usual way to save Google Scholar results): the
  same.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from revalign.bibliography.jsontext import load_json
from revalign.bibliography.normalise import is_blank, split_name
from revalign.bibliography.records import RAW_COLUMNS, raw_frame
from revalign.bibliography.records import page_range as _pages
from revalign.core.errors import InputError


def _names(names) -> str | None:
    out = [n for n in (split_name(x) for x in names if not is_blank(x)) if n]
    return "; ".join(dict.fromkeys(out)) or None


# ----------------------------------------------------------------------------------
# CSV tables


def _split(sep: str):
    return lambda v: [x.strip() for x in v.split(sep)] if v else []


def _springer_authors(v: str) -> list[str]:
    """Springer joins the authors with no separator: ``'Araz R. AlievNigar T. Ismayilova'``.

    A new author starts where a lower-case letter is directly followed by a capitalised
    word and a space (the next author's given name); ``McDonald`` is not split because
    ``Donald`` is not followed by a space.
    """
    return [
        x.strip() for x in re.split(r"(?<=[a-z\u00e0-\u00ff.])(?=[A-Z][a-z\u00e0-\u00ff]+\.? )", v or "") if x.strip()
    ]


def _family_initials(v: str) -> list[str]:
    """``'Liu R., Adler D.G.'`` (Embase), ``'Smith A, Walter B'`` (PubMed): comma-separated ``Family Initials``."""
    return [x.strip() for x in (v or "").split(",") if x.strip()]


@dataclass
class Table:
    """A CSV export: which columns identify it and which column feeds each raw field."""

    name: str
    required: tuple[str, ...]  # all present in the header: this format (and the forced check)
    columns: dict[str, str | tuple[str, ...]]  # raw field -> column (or first non-empty of several)
    authors: tuple[str, object] = ("", None)  # column, splitter
    keywords: tuple[str, ...] = ()
    skip_preamble: bool = False  # Dimensions writes one "About the data" line before the header
    extra: object = None  # fn(row dict, out dict) for fields that need parsing
    kw_sep: str = ";"


def _embase_source(row: dict, out: dict) -> None:
    """``'Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: ...'``; DOI from the OpenURL link."""
    src = row.get("Source") or ""
    m = re.match(r"^(.*?)\s*\((\d{4})\)\s*(\S+?)?(?::(\S+?))?\s*(?:\(([^)]*)\))?\.", src)
    if m:
        out["source_title"], out["year"], out["volume"], out["issue"], out["pages"] = m.groups()
    else:
        out["source_title"] = src or None
    link = unquote(row.get("Open URL Link") or "")
    d = re.search(r"[?&]id=doi:([^&]+)", link)
    if d:
        out["doi"] = d.group(1)


def _pubmed_citation(row: dict, out: dict) -> None:
    """Volume, issue and pages from PubMed's citation: ``'Nature. 2021 Dec 21;1(2):10-11. doi: ...'``."""
    m = re.search(r";\s*([^(:;.\s]+)?(?:\(([^)]*)\))?:\s*([^.;\s]+)", row.get("Citation") or "")
    if m:
        out["volume"], out["issue"], out["pages"] = m.groups()
    out["entry_type"] = "journal article" if row.get("Journal/Book") else None


def _springer_extra(row: dict, out: dict) -> None:
    out["source_title"] = row.get("Publication Title") or row.get("Book Series Title") or None


TABLES: dict[str, Table] = {
    "lens": Table(
        "Lens.org CSV",
        ("Lens ID", "Title", "Author/s"),
        {
            "src_id": "Lens ID",
            "doi": "DOI",
            "title": "Title",
            "year": ("Publication Year", "Date Published"),
            "source_title": "Source Title",
            "entry_type": "Publication Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue Number",
            "publisher": "Publisher",
            "url": "External URL",
        },
        ("Author/s", _split(";")),
        ("Keywords", "MeSH Terms"),
    ),
    "openalex_csv": Table(
        "OpenAlex CSV",
        ("id", "display_name", "publication_year"),
        {
            "src_id": "id",
            "doi": "doi",
            "title": "display_name",
            "year": "publication_year",
            "source_title": "primary_location.source.display_name",
            "entry_type": "type",
            "abstract": "abstract",
            "language": "language",
        },
        ("authorships.author.display_name", _split("|")),
        ("keywords.display_name", "primary_topic.display_name"),
        kw_sep="|",
    ),
    "ieee": Table(
        "IEEE Xplore CSV",
        ("Document Title", "Authors", "Publication Title"),
        {
            "doi": "DOI",
            "title": "Document Title",
            "year": "Publication Year",
            "source_title": "Publication Title",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "publisher": "Publisher",
            "url": "PDF Link",
            "entry_type": "Document Identifier",
        },
        ("Authors", _split(";")),
        ("Author Keywords", "IEEE Terms"),
    ),
    "springer": Table(
        "SpringerLink CSV",
        ("Item Title", "Item DOI", "Content Type"),
        {
            "doi": "Item DOI",
            "title": "Item Title",
            "year": "Publication Year",
            "volume": "Journal Volume",
            "issue": "Journal Issue",
            "url": "URL",
            "entry_type": "Content Type",
        },
        ("Authors", _springer_authors),
        extra=_springer_extra,
    ),
    "embase_csv": Table(
        "Embase CSV",
        ("Title", "Author Names", "Source"),
        {"title": "Title", "abstract": "Abstract"},
        ("Author Names", _family_initials),
        ("keywords",),
        extra=_embase_source,
        kw_sep=",",
    ),
    "pubmed_csv": Table(
        "PubMed CSV",
        ("PMID", "Title", "Authors", "Citation"),
        {
            "src_id": "PMID",
            "doi": "DOI",
            "title": "Title",
            "year": "Publication Year",
            "source_title": "Journal/Book",
        },
        ("Authors", _family_initials),
        extra=_pubmed_citation,
    ),
    "dimensions": Table(
        "Dimensions CSV",
        ("Publication ID", "Title", "PubYear"),
        {
            "src_id": "Publication ID",
            "doi": "DOI",
            "title": "Title",
            "year": "PubYear",
            "source_title": ("Source title", "Anthology title"),
            "entry_type": "Publication Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "pages": "Pagination",
            "url": "Dimensions URL",
        },
        ("Authors", _split(";")),
        ("MeSH terms",),
        skip_preamble=True,
    ),
}


def csv_header(head: str) -> tuple[list[str], int]:
    """Header fields of a CSV text and its 0-based line (after a Dimensions preamble)."""
    lines = head.split("\n", 2)
    for i, line in enumerate(lines[:2]):
        try:
            fields = next(csv.reader([line]), [])
        except csv.Error:
            fields = []
        fields = [f.strip() for f in fields]
        if i == 0 and len(fields) <= 1 and line.startswith(("About the data", '"About the data')):
            continue
        return fields, i
    return [], 0


def detect_table(header: list[str]) -> str | None:
    cols = set(header)
    for name, t in TABLES.items():
        if all(c in cols for c in t.required):
            return name
    return None


def read_table(fmt: str, path: str | Path, text: str) -> pd.DataFrame:
    t = TABLES[fmt]
    header, skip = csv_header(text[:65536])
    missing = [c for c in t.required if c not in header]
    if missing:
        raise InputError(
            path,
            f"not a {t.name} export: column(s) {', '.join(missing)} missing (the header has "
            f"{', '.join(header[:6])}{', ...' if len(header) > 6 else ''})",
            skip + 1,
        )
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skiprows=skip,
            index_col=False,
            on_bad_lines="error",
            engine="c",
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path, f"malformed CSV: {exc}", int(m.group(1)) + skip if m else None) from None
    df.columns = [str(c).strip() for c in df.columns]
    records = df.to_dict("records")
    rows = []
    acol, splitter = t.authors
    for i, row in enumerate(records, start=1):
        out = {k: None for k in RAW_COLUMNS}
        for raw, cols in t.columns.items():
            for c in (cols,) if isinstance(cols, str) else cols:
                v = row.get(c)
                if v not in (None, ""):
                    out[raw] = v
                    break
        if acol:
            out["authors"] = _names(splitter(row.get(acol) or ""))
        kws = []
        for c in t.keywords:
            kws += [k.strip() for k in (row.get(c) or "").split(t.kw_sep) if k.strip()]
        out["keywords"] = "; ".join(dict.fromkeys(kws)) or None
        if fmt in ("ieee", "lens"):
            start = row.get("Start Page")
            out["pages"] = _pages(start, row.get("End Page"))
        if t.extra:
            t.extra(row, out)
        out["_entry"] = str(i)
        rows.append(out)
    return raw_frame(rows)


# ----------------------------------------------------------------------------------
# PubMed / MEDLINE tagged text

_MEDLINE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,4}) *- ?(.*)$")


def read_medline(path: str | Path, text: str) -> pd.DataFrame:
    """PubMed "PubMed format" / MEDLINE (``.nbib``, ``.txt``): ``TAG - value`` records separated by a blank line."""

    def field(line: str):
        m = _MEDLINE_TAG_RE.match(line)
        return (m.group(1).strip(), m.group(2).strip()) if m else None

    records = _tagged_records(
        path,
        text,
        field,
        continues=lambda line, open_: line.startswith("      ") or (line.startswith(" ") and open_),
        expected="expected a MEDLINE field ('TAG - value') or an indented continuation line",
    )
    return raw_frame([_medline_row(rec, i, line) for i, (rec, line) in enumerate(records, start=1)])


def _tagged_records(path, text: str, field, continues, expected: str, unmatched_continues: bool = False):
    """The records of a tagged-text export (MEDLINE, refer), in order, as ``({tag: [values]},
    first line)``; a blank line ends a record.

    ``field(line)`` gives ``(tag, value)`` or None; ``continues(line, in_record)`` tells a
    continuation line, which extends the record's last value; with ``unmatched_continues``
    any line that is not a field does. Anything else is an InputError naming the line.
    """
    rec: dict[str, list[str]] | None = None
    rec_line = 0
    last = None
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            if rec is not None:
                yield rec, rec_line
                rec, last = None, None
            continue
        in_record = rec is not None and last is not None
        continuation = continues(line, in_record)
        tagged = None if continuation else field(line)
        if tagged is None:
            if not in_record:
                raise InputError(path, "continuation line outside a record" if continuation else expected, n)
            if not (continuation or unmatched_continues):
                raise InputError(path, expected, n)
            rec[last][-1] += " " + line.strip()  # a value that runs over several lines
            continue
        tag, value = tagged
        if rec is None:
            rec, rec_line = {}, n
        rec.setdefault(tag, []).append(value)
        last = tag
    if rec is not None:
        yield rec, rec_line


def _first(rec: dict[str, list[str]], *tags: str) -> str | None:
    """The first value of the first of *tags* that a tagged record (MEDLINE, refer) has."""
    for t in tags:
        if rec.get(t):
            return rec[t][0]
    return None


def _medline_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    one = functools.partial(_first, rec)
    doi = None
    for v in rec.get("LID", []) + rec.get("AID", []):
        if v.endswith("[doi]"):
            doi = v[: -len("[doi]")].strip()
            break
        if "doi.org/" in v or v.startswith("10."):
            doi = v
    names = rec.get("FAU") or rec.get("AU") or []
    names = names + rec.get("CN", [])
    kw = rec.get("OT", []) + rec.get("MH", [])
    return {
        "citation_key": None,
        "src_id": one("PMID", "OID"),
        "doi": doi,
        "title": one("TI", "BTI"),
        "year": one("DP", "DEP"),
        "authors": _names(names),
        "source_title": one("JT", "TA", "SO"),
        "entry_type": one("PT"),
        "abstract": " ".join(rec.get("AB", [])) or None,
        "keywords": "; ".join(dict.fromkeys(kw)) or None,
        "volume": one("VI"),
        "issue": one("IP"),
        "pages": one("PG"),
        "url": None,
        "publisher": one("PB"),
        "language": one("LA"),
        "_entry": one("PMID", "OID") or str(i),
        "_line": line,
    }


# ----------------------------------------------------------------------------------
# PubMed XML


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
            names.append(f"{last}, {fore}" if fore else last)
        elif _text(au.find("CollectiveName")):
            names.append(_text(au.find("CollectiveName")))
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
# EndNote refer

_REFER_RE = re.compile(r"^%([A-Z0-9@!#$&()*+^|~>\]\[?])(?:\s(.*))?$")
_REFER_TYPES = {
    "journal article": "article",
    "conference paper": "conference paper",
    "book": "book",
    "book section": "book chapter",
    "report": "report",
    "thesis": "thesis",
    "web page": "webpage",
}


def read_refer(path: str | Path, text: str) -> pd.DataFrame:
    """EndNote "Refer/BibIX" export: ``%X value`` lines, records separated by blank lines."""

    def field(line: str):
        m = _REFER_RE.match(line)
        return (m.group(1), (m.group(2) or "").strip()) if m else None

    records = _tagged_records(
        path,
        text,
        field,
        continues=lambda line, in_record: False,
        expected="expected a refer field ('%T title', '%A author', ...)",
        unmatched_continues=True,
    )
    return raw_frame([_refer_row(rec, i, line) for i, (rec, line) in enumerate(records, start=1)])


def _refer_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    one = functools.partial(_first, rec)
    return {
        "citation_key": None,
        "src_id": one("M", "F"),
        "doi": one("R"),
        "title": one("T"),
        "year": one("D"),
        "authors": _names(rec.get("A", [])),
        "source_title": one("J", "B"),
        "entry_type": one("0"),
        "abstract": " ".join(rec.get("X", [])) or None,
        "keywords": "; ".join(k.strip() for v in rec.get("K", []) for k in re.split(r"[;\n]", v) if k.strip()) or None,
        "volume": one("V"),
        "issue": one("N"),
        "pages": one("P"),
        "url": one("U"),
        "publisher": one("I"),
        "language": one("G"),
        "_entry": str(i),
        "_line": line,
    }


# ----------------------------------------------------------------------------------
# OpenAlex JSON


def _abstract(inverted) -> str | None:
    if not isinstance(inverted, dict) or not inverted:
        return None
    pos = {}
    for word, places in inverted.items():
        for p in places or []:
            pos[p] = word
    return " ".join(pos[k] for k in sorted(pos)) or None


def read_openalex_json(path: str | Path, text: str) -> pd.DataFrame:
    data = load_json(path, text, "an OpenAlex export")
    works = data.get("results") if isinstance(data, dict) and "results" in data else data
    if isinstance(works, dict):
        works = [works]
    if not isinstance(works, list):
        raise InputError(path, "not an OpenAlex works file: expected a list of works or a 'results' list")
    rows = []
    for i, w in enumerate(works, start=1):
        if not isinstance(w, dict):
            raise InputError(path, f"work {i} is not a JSON object")
        src = ((w.get("primary_location") or {}).get("source") or {}) or (w.get("host_venue") or {})
        bib = w.get("biblio") or {}
        names = [
            ((a.get("author") or {}).get("display_name")) for a in w.get("authorships") or [] if isinstance(a, dict)
        ]
        kws = [k.get("display_name") for k in w.get("keywords") or [] if isinstance(k, dict) and k.get("display_name")]
        rows.append(
            {
                "citation_key": None,
                "src_id": w.get("id"),
                "doi": w.get("doi"),
                "title": w.get("title") or w.get("display_name"),
                "year": None if w.get("publication_year") is None else str(w.get("publication_year")),
                "authors": _names(names),
                "source_title": src.get("display_name"),
                "entry_type": w.get("type"),
                "abstract": _abstract(w.get("abstract_inverted_index")),
                "keywords": "; ".join(kws) or None,
                "volume": bib.get("volume"),
                "issue": bib.get("issue"),
                "pages": _pages(bib.get("first_page"), bib.get("last_page")),
                "url": (w.get("primary_location") or {}).get("landing_page_url"),
                "publisher": src.get("host_organization_name"),
                "language": w.get("language"),
                "_entry": (w.get("id") or "").rsplit("/", 1)[-1] or str(i),
                "_line": None,
            }
        )
    return raw_frame(rows)


# ----------------------------------------------------------------------------------
# Publish or Perish JSON


def _nonzero(value) -> str | None:
    """Publish or Perish writes 0 for an unknown volume, issue or page."""
    return None if value in (None, "", 0, "0") else value


def read_pop_json(path: str | Path, text: str) -> pd.DataFrame:
    """Publish or Perish's JSON: a list of results with ``title``, ``authors`` (``["W Guo", ...]``),
    ``year``, ``source``, ``publisher``, ``article_url`` and volume, issue and pages (0: unknown)."""
    data = load_json(path, text, "a Publish or Perish export")
    if not isinstance(data, list):
        raise InputError(path, "not a Publish or Perish results file: expected a list of results")
    rows = []
    for i, r in enumerate(data, start=1):
        if not isinstance(r, dict):
            raise InputError(path, f"result {i} is not a JSON object")
        authors = r.get("authors")
        if isinstance(authors, str):
            authors = authors.split(",")
        if not isinstance(authors, list | None) or not all(isinstance(a, str | None) for a in authors or []):
            raise InputError(path, f"result {i}: 'authors' must be a list of names")
        for key, value in r.items():
            if key != "authors" and isinstance(value, list | dict):
                raise InputError(path, f"result {i}: {key!r} must be text or a number, not a list or an object")
            if isinstance(value, float) and value.is_integer():
                r[key] = int(value)
        r = {k: (None if v is None else str(v)) for k, v in r.items() if k != "authors"}
        rows.append(
            {
                "citation_key": None,
                "src_id": r.get("uid"),
                "doi": r.get("doi") or r.get("DOI"),
                "title": r.get("title"),
                "year": _nonzero(r.get("year")),
                # "..." stands for the authors Google Scholar left out
                "authors": _names(a for a in authors or [] if a and a.strip(" .\u2026")),
                "source_title": r.get("source"),
                "entry_type": r.get("type"),
                "abstract": r.get("abstract"),
                "keywords": None,
                "volume": _nonzero(r.get("volume")),
                "issue": _nonzero(r.get("issue")),
                "pages": _pages(_nonzero(r.get("startpage")), _nonzero(r.get("endpage"))),
                "url": r.get("article_url"),
                "publisher": r.get("publisher"),
                "language": None,
                "_entry": str(i),
                "_line": None,
            }
        )
    return raw_frame(rows)


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
        "authors": _names(_text(a) for a in rec.findall("contributors/authors/author")),
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
