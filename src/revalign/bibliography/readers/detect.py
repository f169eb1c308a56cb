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
from revalign.bibliography.readers.tagged import is_cochrane_text, is_ovid, is_refworks
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


_EXPORT_INSTEAD = "export the references from the program or database as RIS or BibTeX instead"
# the first bytes of files people take for an export, what each is, and what to export instead
_NOT_EXPORTS = (
    (b"%PDF-", "a PDF document, not an export of references (its reference list is not read); " + _EXPORT_INSTEAD),
    (
        b"PK\x03\x04",
        "a ZIP archive (an Excel workbook, an EndNote .enlx library or a zipped export?), not an export of "
        "references; unzip an export first, save a spreadsheet as CSV (UTF-8), or " + _EXPORT_INSTEAD,
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Office file (an Excel .xls workbook such as Web of Science's Export > Excel, or a Word .doc), "
        "not a text export; export Web of Science's Plain text file or Tab delimited file, save a sheet as CSV "
        "(UTF-8), or " + _EXPORT_INSTEAD,
    ),
    (
        b"SQLite format 3\x00",
        "an SQLite database (a Zotero, Mendeley or Citavi library file?), not an export; export the library "
        "from the program (Zotero: File > Export Library > BibTeX or RIS; Mendeley: File > Export > BibTeX; "
        "Citavi: File > Export > RIS)",
    ),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first (gunzip), then import the export inside"),
    (
        b"{\\rtf",
        "an RTF document (a formatted reference list, e.g. EndNote's or Word's bibliography), not an export of "
        "records; " + _EXPORT_INSTEAD,
    ),
)
_ENDNOTE_LIBRARY_SUFFIXES = (".enl", ".enlp", ".data")


def not_an_export(path: str | Path, head: bytes) -> str | None:
    """What *head* (a file's first bytes) shows the file to be when it is plainly not an export of
    references (a PDF, a workbook, a reference manager's database...), with the export to make
    instead; None for anything else."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    for magic, what in _NOT_EXPORTS:
        if head.startswith(magic):
            return what
    if Path(path).suffix.lower() in _ENDNOTE_LIBRARY_SUFFIXES and b"\x00" in head:
        return (
            "an EndNote library file (binary), not an export; in EndNote use File > Export > RefMan (RIS) "
            "or File > Export > XML"
        )
    return None


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
    if is_cochrane_text(stripped):
        return "cochrane_txt"
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
    if name.lower() == "html" or stripped[:15].lower().startswith("<!doctype html"):
        raise _unknown(
            path,
            "an HTML page (a results page saved from the browser?), not an export of references; use the "
            "database's own Export (RIS, BibTeX or CSV)",
        )
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
