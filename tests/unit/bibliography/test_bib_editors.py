"""Editors of edited books and proceedings read from BibTeX and CSL-JSON (issue 21 item 5).

The reference list cites an edited book by its editors, "(Eds.)"; before, the BibTeX and CSL-JSON
readers dropped the ``editor`` field, so such a book was listed with no one responsible for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from revalign.bibliography.importer import read_bibliography, read_file
from revalign.report.references import format_references

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "bib" / "real"


def test_scopus_bibtex_editors_written_as_a_comma_list():
    # scopus_dises_dupkeys.bib, entry Drago201572: editor={Masulli F., Rovetta S., Petrosino A.}
    # (Scopus separates editors with commas, not "and"), author={Drago, C. and Scepi, G.}
    _, raw = read_file(REAL / "scopus_dises_dupkeys.bib")
    row = raw.set_index("_entry").loc["Drago201572"]
    assert row["editors"] == "Masulli, F.; Rovetta, S.; Petrosino, A."
    assert row["authors"] == "Drago, C.; Scepi, G."
    assert pd.isna(raw.set_index("_entry").loc["Amodio2016667", "editors"])  # no editor field: missing


def test_bibtex_edited_book_listed_and_cited_by_its_editors(tmp_path):
    # Zotero's BibTeX export of an edited book: editor = {A and B}, no author (the form of the German
    # worked example's zotero.bib); the chapter in it names the same editors
    bib = tmp_path / "z.bib"
    bib.write_text(
        "@book{hoffmann_handbuch_2022,\n\ttitle = {Handbuch},\n\tpublisher = {Beispielverlag},\n"
        "\teditor = {Hoffmann, Claudia and Wagner, Peter},\n\tyear = {2022},\n}\n"
        "@incollection{becker_2022,\n\ttitle = {Praxis},\n\tbooktitle = {Handbuch},\n\tpages = {45--61},\n"
        "\tpublisher = {Beispielverlag},\n\tauthor = {Becker, Lena},\n"
        "\teditor = {Hoffmann, Claudia and Wagner, Peter},\n\tyear = {2022},\n}\n",
        encoding="utf-8",
    )
    recs = read_bibliography(bib).records.set_index("record_id")
    assert recs.loc["hoffmann_handbuch_2022", "editors"] == "Hoffmann, Claudia; Wagner, Peter"
    texts = [r.text for r in format_references(recs.reset_index())]
    assert "Hoffmann, C., & Wagner, P. (Eds.). (2022). Handbuch. Beispielverlag." in texts
    assert any("In C. Hoffmann & P. Wagner (Eds.), Handbuch (pp. 45–61)" in t for t in texts), texts


def test_csljson_editors(tmp_path):
    # CSL-JSON names editors like authors, in an "editor" list (CSL 1.0.2 schema, csl-data.json)
    item = {
        "id": "ed1",
        "type": "book",
        "title": "Handbuch",
        "editor": [{"family": "Hoffmann", "given": "Claudia"}, {"literal": "Institut für Lehrerbildung"}],
        "issued": {"date-parts": [[2022]]},
    }
    f = tmp_path / "x.json"
    f.write_text(json.dumps([item]), encoding="utf-8")
    _, raw = read_file(f)
    assert raw.loc[0, "editors"] == "Hoffmann, Claudia; Institut für Lehrerbildung"
    assert pd.isna(raw.loc[0, "authors"])
