"""The export formats revalign reads: name, label, family and reading function of each.

The families are the modules of this package: :mod:`~revalign.bibliography.readers.bibtex`,
:mod:`~revalign.bibliography.readers.tagged` (RIS, Web of Science, MEDLINE, refer),
:mod:`~revalign.bibliography.readers.tables` (CSV layouts),
:mod:`~revalign.bibliography.readers.xmlfiles` and :mod:`~revalign.bibliography.readers.jsonfiles`.
The family modules import their parsing libraries (bibtexparser, rispy, lxml, pyarrow's CSV
reader) only when a file of one of their formats is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from revalign.bibliography.readers import bibtex, jsonfiles, tables, tagged, xmlfiles


@dataclass(frozen=True)
class Format:
    """One export format: ``read(path, text)`` (``read(path, data)`` for a ``binary`` one)."""

    name: str
    label: str  # as shown to users: "RIS (.ris)"
    reader: Callable[..., pd.DataFrame]  # reader(path, text, *args)
    args: tuple = ()
    binary: bool = False  # the reader takes the file's bytes (Scopus CSV: pyarrow decodes them)

    @property
    def family(self) -> str:
        """The module of this package that reads it (``tagged``, ``tables``...)."""
        return self.reader.__module__.rsplit(".", 1)[-1]

    @property
    def export(self) -> str:
        """The program and menu that write it (:data:`EXPORTS`)."""
        return EXPORTS[self.name]

    def read(self, path: str | Path, content) -> pd.DataFrame:
        return self.reader(path, content, *self.args)


# the program and menu that write each format, as a refusal names them (README's format table lists
# the same, and a test keeps the two in step)
EXPORTS: dict[str, str] = {
    "bibtex": (
        "Zotero: File > Export Library > BibTeX or Better BibTeX/BibLaTeX; Mendeley: File > Export > BibTeX; "
        "JabRef: File > Save; Web of Science: Export > BibTeX; Scopus: Export > BibTeX"
    ),
    "ris": (
        "EndNote: File > Export > RefMan (RIS); Zotero: Export > RIS; Scopus: Export > RIS; Embase: Export > RIS; "
        "Ovid: Export > RIS; JSTOR: Export Citation > RIS"
    ),
    "csljson": "Zotero: Export > CSL JSON (or Better CSL JSON)",
    "scopus": "Scopus: Export > CSV",
    "wos": "Web of Science: Export > Plain text file",
    "wos_tab": "Web of Science: Export > Tab delimited file",
    "medline": "PubMed: Save > Format: PubMed (`.txt`), or Send to > Citation manager (`.nbib`)",
    "pubmed_xml": "PubMed: Save > Format: XML",
    "endnote_xml": "EndNote: File > Export > XML",
    "refer": "EndNote: Export > Refer/BibIX",
    "openalex_json": "OpenAlex API: `/works?filter=...` response (or a list of works)",
    "openalex_csv": "OpenAlex web: Export > CSV",
    "lens": "Lens.org Scholarly Works: Export > CSV",
    "ieee": "IEEE Xplore: Export > Citations > CSV",
    "springer": "SpringerLink search results: Download search results (CSV)",
    "embase_csv": "Embase: Export > CSV",
    "pubmed_csv": "PubMed: Save > Format: CSV",
    "pop_json": "Publish or Perish (Google Scholar and other sources): save the results as JSON",
    "dimensions": "Dimensions: Save/export > Export for bibliometric mapping or Export results > CSV",
    "embase_rows": "Embase: Export > CSV - fields by row",
    "rayyan": "Rayyan: Export > CSV",
    "covidence": "Covidence: Export > References > CSV",
    "asreview": "ASReview LAB: Export > Dataset > CSV",
    "cochrane_csv": "Cochrane Library: Trials (CENTRAL) > Export selected citations > CSV",
    "scielo_csv": "SciELO Search (search.scielo.org): select the results > Export > CSV",
    "bvs_csv": "BVS / Virtual Health Library portal (LILACS and the other BVS databases): Export > CSV",
    "cochrane_txt": "Cochrane Library: Export selected citations > Plain text (`citation-export.txt`)",
    "zotero_csv": "Zotero: File > Export Library > CSV",
    "zotero_rdf": "Zotero: File > Export Library > Zotero RDF",
    "ovid": "Ovid (MEDLINE, Embase, PsycINFO, BIOSIS...): Export > Citation manager > Ovid or Citavi",
    "refworks_csv": "RefWorks: Export > Tab delimited or CSV",
    "refworks": "RefWorks: Export > RefWorks Tagged Format",
    "pop_csv": "Publish or Perish: File > Save as CSV",
    "jstor_dfr": "JSTOR Data for Research / Constellate: the metadata XML, one file per article or book",
    "csv": "any other table: `bib import FILE --columns title=Title,authors=Author(s),year=Year,doi=DOI`",
}


def _table(name: str, label: str) -> Format:
    return Format(name, label, tables.read_table, (name,))


REGISTRY: tuple[Format, ...] = (
    Format("bibtex", "BibTeX (.bib)", bibtex.read_bibtex),
    Format("ris", "RIS (.ris)", tagged.read_ris),
    Format("csljson", "CSL-JSON (.json)", jsonfiles.read_csljson),
    Format("scopus", "Scopus CSV (.csv)", tables.read_scopus, binary=True),
    Format("wos", "Web of Science plain text (.txt)", tagged.read_wos),
    Format("wos_tab", "Web of Science tab-delimited (.txt)", tagged.read_wos_tab),
    Format("medline", "PubMed/MEDLINE (.nbib, .txt)", tagged.read_medline),
    Format("pubmed_xml", "PubMed XML (.xml)", xmlfiles.read_pubmed_xml),
    Format("refer", "EndNote refer (.enw, .txt)", tagged.read_refer),
    Format("openalex_json", "OpenAlex JSON (.json)", jsonfiles.read_openalex_json),
    _table("openalex_csv", "OpenAlex CSV (.csv)"),
    _table("lens", "Lens.org CSV (.csv)"),
    _table("ieee", "IEEE Xplore CSV (.csv)"),
    _table("springer", "SpringerLink CSV (.csv)"),
    _table("embase_csv", "Embase CSV (.csv)"),
    _table("pubmed_csv", "PubMed CSV (.csv)"),
    _table("dimensions", "Dimensions CSV (.csv)"),
    Format("pop_json", "Publish or Perish JSON (.json)", jsonfiles.read_pop_json),
    Format("endnote_xml", "EndNote XML (.xml)", xmlfiles.read_endnote_xml),
    Format("embase_rows", "Embase CSV, fields by row (.csv)", tables.read_embase_rows),
    _table("rayyan", "Rayyan CSV (.csv)"),
    _table("covidence", "Covidence CSV (.csv)"),
    Format("asreview", "ASReview LAB export (.csv)", tables.read_asreview),
    _table("cochrane_csv", "Cochrane CENTRAL CSV (.csv)"),
    _table("scielo_csv", "SciELO search CSV (.csv)"),
    _table("bvs_csv", "BVS (LILACS) CSV (.csv)"),
    Format("cochrane_txt", "Cochrane Library plain text (.txt)", tagged.read_cochrane_text),
    _table("zotero_csv", "Zotero CSV (.csv)"),
    Format("zotero_rdf", "Zotero RDF (.rdf)", xmlfiles.read_zotero_rdf),
    Format("ovid", "Ovid tagged (.ovd, .txt)", tagged.read_ovid),
    _table("refworks_csv", "RefWorks CSV or tab-delimited (.csv, .txt)"),
    Format("refworks", "RefWorks tagged (.txt)", tagged.read_refworks),
    _table("pop_csv", "Publish or Perish CSV (.csv)"),
    Format("jstor_dfr", "JSTOR Data for Research XML (.xml)", xmlfiles.read_jstor_dfr),
    Format("csv", "any CSV, by a column map (--columns)", tables.read_mapped, (None,)),
)
SPECS: dict[str, Format] = {f.name: f for f in REGISTRY}
FORMATS: tuple[str, ...] = tuple(SPECS)
FORMAT_NAMES: dict[str, str] = {f.name: f.label for f in REGISTRY}
READERS = {f.name: f.read for f in REGISTRY}


def supported_formats_text() -> str:
    return ", ".join(FORMAT_NAMES[f] for f in FORMATS)
