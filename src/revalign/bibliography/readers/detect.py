"""Which export format a file is, told from the start of its text (not from its extension).

A file that is none of the formats of :mod:`revalign.bibliography.readers` is refused with a
message saying what it looks like (a CSV with which columns, an XML file with which root,
text starting with what).
"""

from __future__ import annotations

import re
from pathlib import Path

from revalign.bibliography.readers.registry import supported_formats_text
from revalign.bibliography.readers.tables import (
    _asreview_columns,
    _unmapped_message,
    csv_header,
    detect_table,
    guess_column_map,
    is_embase_rows,
)
from revalign.bibliography.readers.tagged import is_ovid, is_refworks
from revalign.core.errors import InputError

_BIBTEX_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_TY_RE = re.compile(r"^TY {1,2}- ", re.MULTILINE)
_RIS_ER_RE = re.compile(r"^ER {1,2}-", re.MULTILINE)  # RIS without TY lines (CiteSource's export)
_RIS_TI_RE = re.compile(r"^(?:TI|T1) {1,2}- ", re.MULTILINE)  # one space: Zotero's RIS test "TY - JOUR"
_WOS_RE = re.compile(r"^(?:FN |PT [A-Z]\s*$)", re.MULTILINE)
_WOS_TAB_HEAD_RE = re.compile(r"(?:[A-Z][A-Z0-9]\t)+[A-Z][A-Z0-9]\t?\n")


_MEDLINE_HEAD_RE = re.compile(r"^(?:PMID|OWN |STAT|TI  |PMC )- ", re.MULTILINE)
_REFER_HEAD_RE = re.compile(r"^%[A-Z0-9](?: \S|\n)")
_XML_ROOT_RE = re.compile(r"<(?!\?|!)([A-Za-z_][\w.:-]*)")


def detect_format(path: str | Path, head: str) -> str:
    """Name the format of a file from the start of its text (BOM already removed)."""
    stripped = head.lstrip()
    if not stripped:
        raise InputError(path, "file is empty; export the references again, or leave this file out")
    if stripped.startswith("FN ") or re.match(r"PT [A-Z]\s*\n", stripped):
        return "wos"
    if _WOS_TAB_HEAD_RE.match(stripped) and {"PT", "TI"} <= set(stripped.split("\n", 1)[0].split("\t")):
        return "wos_tab"
    if _RIS_TY_RE.search(head) or (_RIS_ER_RE.search(head) and _RIS_TI_RE.search(head)):
        return "ris"
    if is_ovid(stripped):
        return "ovid"
    if stripped.startswith("<"):
        return _xml_format(path, head, stripped)
    first_line = stripped.split("\n", 1)[0]
    if _MEDLINE_HEAD_RE.match(stripped) and re.search(r"^(?:TI|AU|PMID|OWN) *- ", head, re.MULTILINE):
        return "medline"
    if _REFER_HEAD_RE.match(stripped):
        return "refer"
    if is_refworks(stripped):
        return "refworks"
    if stripped[0] in "[{":
        sample = head[:20000]
        if '"authorships"' in sample or '"https://openalex.org/W' in sample:
            return "openalex_json"
        if '"cites_url"' in sample or ('"article_url"' in sample and '"authors"' in sample):
            return "pop_json"
        return "csljson"
    if is_embase_rows(stripped):
        return "embase_rows"
    header, _ = csv_header(stripped)
    cols = {f.strip() for f in header}
    table = detect_table(header)  # each names columns no Scopus export has
    if table:
        return table
    if cols & {"EID", "Source title"} and cols & {"Title", "Authors", "Author full names", "DOI"}:
        return "scopus"
    if _asreview_columns(header):
        return "asreview"
    if _BIBTEX_RE.search(head):
        return "bibtex"
    if len(header) >= 2 and guess_column_map(header):
        return "csv"
    if len(header) >= 3:
        raise _unknown(path, _unmapped_message(header))
    raise _unknown(path, f"text starting with '{first_line[:60]}'")


def _xml_format(path, head: str, stripped: str) -> str:
    root = _XML_ROOT_RE.search(stripped)
    name = root.group(1) if root else ""
    if "<PubmedArticle" in head or "<PubmedBookArticle" in head:
        return "pubmed_xml"
    if "<records>" in head and "<record>" in head and ("<ref-type" in head or "<source-app" in head):
        return "endnote_xml"
    if name == "rdf:RDF" and ("zotero.org/namespaces/export" in head or "<z:itemType" in head):
        return "zotero_rdf"
    if (name == "article" and "<front>" in head) or (name == "book" and "<book-meta>" in head):
        return "jstor_dfr"
    what = f"an XML file whose root element is <{name}>" if name else "an XML or HTML file"
    raise _unknown(
        path,
        f"{what} (revalign reads EndNote XML, PubMed XML, Zotero RDF and JSTOR Data for Research XML; "
        "from any other program export RIS or BibTeX)",
    )


def _unknown(path, what: str) -> InputError:
    return InputError(
        path,
        f"cannot tell the format of this file: it looks like {what}; supported formats are "
        f"{supported_formats_text()} (use --format to force one)",
    )
