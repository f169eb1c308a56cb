"""A refusal says what the file looks like and which export revalign reads (issue 24, item 3).

Before, a PDF was "not valid UTF-8 (Latin-1 or Windows-1252?)", a Zotero or Mendeley database
"binary data (NUL bytes)", an HTML page "an XML file whose root element is <html>", and a CSV that
lacks a column of the layout it was taken for named neither the layout's program nor its menu.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from revalign.bibliography.importer import read_bibliography
from revalign.bibliography.readers.registry import EXPORTS, FORMATS, SPECS
from revalign.core.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests" / "fixtures" / "bib" / "real"


def _refusal(path, **kw) -> str:
    with pytest.raises(InputError) as exc:
        read_bibliography(path, **kw)
    return str(exc.value)


def test_every_format_names_the_export_that_writes_it_as_the_readme_does():
    rows = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| .*?\(`(\w+)`\) \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = m.group(2)
    assert set(rows) == set(FORMATS)  # the format table lists every format, and no other
    for name in FORMATS:
        assert SPECS[name].export == EXPORTS[name], name
        assert EXPORTS[name] in rows[name], name


def test_a_screening_export_taken_for_another_names_the_export_read(tmp_path):
    # rayyan.csv (Rayyan's CSV, real) forced as Covidence: the columns Covidence writes are missing
    msg = _refusal(REAL / "rayyan.csv", fmt="covidence")
    assert "not a Covidence CSV export: column(s)" in msg
    assert msg.endswith("; read as Covidence CSV (.csv), as exported by Covidence: Export > References > CSV")


def test_a_header_without_rows(tmp_path):
    # the header of rayyan.csv (real) and nothing below it
    header = (REAL / "rayyan.csv").read_text(encoding="utf-8").splitlines()[0]
    f = tmp_path / "articles.csv"
    f.write_text(header + "\n", encoding="utf-8")
    msg = _refusal(f)
    assert "articles.csv: no records found: the table has its header line and no rows" in msg
    assert "as exported by Rayyan: Export > CSV" in msg


@pytest.mark.parametrize(
    "name,make,expected",
    [
        ("refs.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "a PDF document"),
        ("refs.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40), "Export > Excel"),
        ("refs.gz", lambda p: p.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 20), "gzip-compressed"),
        ("refs.rtf", lambda p: p.write_text("{\\rtf1\\ansi Smith, J. (2020).}", encoding="ascii"), "an RTF document"),
        ("My Library.enl", lambda p: p.write_bytes(b"RSXR\x00\x00\x01\x00"), "an EndNote library file"),
        (
            "savedrecs.html",
            lambda p: p.write_text("<!DOCTYPE html>\n<html><head><title>Results</title></head></html>\n"),
            "an HTML page (a results page saved from the browser?)",
        ),
    ],
)  # fmt: skip
def test_files_that_are_not_exports_are_named(tmp_path, name, make, expected):
    f = tmp_path / name
    make(f)
    msg = _refusal(f)
    assert msg.startswith(f"error: {f}: ") or msg.startswith(f"error: {name}: ") or name in msg
    assert expected in msg
    assert "RIS" in msg or "Plain text" in msg or "decompress" in msg


def test_a_reference_managers_database(tmp_path):
    # a real SQLite file, as zotero.sqlite and Mendeley's library are
    f = tmp_path / "zotero.sqlite"
    with sqlite3.connect(f) as db:
        db.execute("CREATE TABLE items (itemID INTEGER PRIMARY KEY, key TEXT)")
    msg = _refusal(f)
    assert "an SQLite database (a Zotero, Mendeley or Citavi library file?)" in msg
    assert "Zotero: File > Export Library > BibTeX or RIS" in msg


def test_a_workbook(tmp_path):
    f = tmp_path / "export.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    msg = _refusal(f)
    assert "a ZIP archive (an Excel workbook" in msg and "save a spreadsheet as CSV (UTF-8)" in msg


def test_a_table_that_is_no_screening_export_says_which_exports_are_read(tmp_path):
    from revalign.bibliography.importer import export_rows

    # covidence.csv's layout (real) is a screening export; the Scopus CSV (real) is not one
    msg = str(pytest.raises(InputError, export_rows, REAL / "scopus_new.csv").value)
    assert "not a Rayyan, Covidence or ASReview LAB CSV export (a table with the columns " in msg
    assert "Rayyan: Export > CSV; Covidence: Export > References > CSV; ASReview LAB: Export > Dataset > CSV" in msg
