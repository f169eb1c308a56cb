"""Readers of each export format, on fixtures written the way the real tools write them.

Expected values are read off the fixture files by eye (tests/fixtures/bib/), e.g. the
line numbers are those of the entry's first line as shown by `grep -n`.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from revalign.bibliography.importer import read_file
from revalign.bibliography.readers import detect_format
from revalign.core.errors import InputError

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "bib"


def rec(df: pd.DataFrame, entry: str) -> dict:
    row = df[df["_entry"] == entry]
    assert len(row) == 1, f"entry {entry} not found once"
    return {k: (None if pd.isna(v) else v) for k, v in row.iloc[0].to_dict().items()}


def test_bibtex_zotero_export():
    fmt, df = read_file(FIX / "refs.bib")
    assert fmt == "bibtex"
    assert list(df["_entry"]) == [
        "mueller2021microcredentials", "rahmawati2023kredensial", "oliver2019making", "kemendikbudristek2022panduan"
    ]  # fmt: skip
    m = rec(df, "mueller2021microcredentials")
    # {\"u} and {\'e} decoded; the {A} protection braces dropped
    assert m["title"] == "Micro-credentials in higher education: A systematic review"
    assert m["authors"] == "Müller, Jürgen; Pérez, José"
    assert unicodedata.is_normalized("NFC", m["authors"])
    assert m["pages"] == "45-67"  # "45--67"
    assert m["year"] == "2021" and m["volume"] == "12" and m["issue"] == "3"
    assert m["source_title"] == "Journal of Open Learning"
    assert m["keywords"] == "higher education; micro-credentials"
    assert (m["sourcetype"], m["sourcecategory"], m["inreflist"]) == ("secondary", "academic", "yes")
    assert m["citation_key"] == "mueller2021microcredentials" and m["_line"] == 2
    assert rec(df, "rahmawati2023kredensial")["_line"] == 24
    o = rec(df, "oliver2019making")
    assert o["entry_type"] == "techreport" and o["source_title"] == "Deakin University"
    k = rec(df, "kemendikbudristek2022panduan")
    # an organisation in double braces stays one author; \textendash becomes an en dash
    # author = {{Kementerian Pendidikan, ...}}: double braces, an organisation; stored braced (it has commas)
    assert k["authors"] == "{Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi}"
    assert k["title"] == "Panduan kredensial mikro \u2013 edisi pertama"
    assert k["inreflist"] == "no"


def test_ris_endnote_bom_crlf():
    raw = (FIX / "endnote.ris").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the fixture is what we claim
    fmt, df = read_file(FIX / "endnote.ris")
    assert fmt == "ris"
    assert list(df["_entry"]) == ["1", "2", "3"] and list(df["_line"]) == [1, 18, 30]
    a = rec(df, "1")
    assert a["doi"] == "https://doi.org/10.5555/JOL.2021.0042"  # normalised later, in bibliography
    assert a["authors"] == "Müller, Jürgen; Pérez, José"
    assert a["source_title"] == "Journal of Open Learning"  # JO
    assert a["pages"] == "45-67" and a["keywords"] == "micro-credentials; higher education"
    assert a["entry_type"] == "JOUR"
    assert rec(df, "3")["title"] == "Open Badges: A Review."
    assert rec(df, "3")["doi"] is None
    assert not any("\r" in str(v) for v in df.to_numpy().ravel())


def test_ris_scopus_variant():
    fmt, df = read_file(FIX / "scopus.ris")
    assert fmt == "ris" and len(df) == 2
    a = rec(df, "1")
    assert a["source_title"] == "Computers and Education"  # T2
    assert a["authors"] == "Smith, A.; Lee, K."
    assert a["keywords"] == "Digital badges; Employability"
    assert a["language"] == "English" and a["publisher"] == "Elsevier Ltd"
    b = rec(df, "2")
    assert b["entry_type"] == "CONF" and b["pages"] == "77-79" and b["doi"] == "10.5555/ICALT.2022.77"


def test_csljson_zotero():
    fmt, df = read_file(FIX / "zotero.json")
    assert fmt == "csljson"
    # Zotero item URIs are labelled by their item key; a Better BibTeX id is a citation key
    assert list(df["_entry"]) == ["7HG2K4PL", "Q9XW3M2D", "zhang2022stackable"]
    assert list(df["_line"]) == [2, 32, 56]
    b = rec(df, "7HG2K4PL")
    assert b["citation_key"] is None
    assert b["year"] == "2023" and b["pages"] == "1-15" and b["doi"] == "10.5555/JPI.V8I1.101"
    assert b["authors"] == "Rahmawati, Siti; Nugroho, Budi"
    assert b["source_title"] == "Jurnal Pendidikan Indonesia" and b["entry_type"] == "article-journal"
    assert rec(df, "Q9XW3M2D")["publisher"] == "Deakin University"
    assert rec(df, "zhang2022stackable")["citation_key"] == "zhang2022stackable"
    assert rec(df, "zhang2022stackable")["year"] == "2022"


def test_scopus_csv_bom_quoted_header():
    raw = (FIX / "scopus.csv").read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"Authors","Author full names","Author(s) ID","Title"')
    fmt, df = read_file(FIX / "scopus.csv")
    assert fmt == "scopus" and list(df["_entry"]) == ["1", "2", "3", "4", "5"]
    a = rec(df, "1")
    assert a["authors"] == "Müller, Jürgen; Pérez, José"  # Scopus author ids removed
    assert a["pages"] == "45-67" and a["entry_type"] == "Review"
    assert a["keywords"] == "Higher education; Micro-credentials; Curricula; Students"
    assert a["abstract"].endswith("© 2021 The Authors")
    assert a["src_id"] == "2-s2.0-85100000001"
    assert rec(df, "2")["pages"] == "103845"  # article number when there are no pages
    assert rec(df, "3")["abstract"] is None  # "[No abstract available]"
    assert rec(df, "5")["doi"] is None and rec(df, "5")["language"] == "English; Indonesian"


def test_wos_plain_text():
    fmt, df = read_file(FIX / "savedrecs.txt")
    assert fmt == "wos" and list(df["_line"]) == [3, 39, 56]
    a = rec(df, "1")
    assert a["authors"] == "Müller, Jürgen; Pérez, José"  # AF preferred to AU
    assert a["abstract"] == (
        "Micro-credentials are short, certified units of learning. This review "
        "maps how universities design, assess and recognise them."
    )
    assert a["keywords"] == "higher education; micro-credentials; CURRICULA"  # DE then ID
    assert a["pages"] == "45-67" and a["doi"] == "10.5555/JOL.2021.0042" and a["src_id"] == "WOS:000600000000001"
    b = rec(df, "2")
    assert b["title"] == "Stackable credentials and lifelong learning"  # continuation line joined
    assert b["source_title"] == "2022 IEEE INTERNATIONAL CONFERENCE ON ADVANCED LEARNING TECHNOLOGIES (ICALT 2022)"
    assert b["entry_type"] == "Proceedings Paper"
    assert rec(df, "3")["authors"] == "Haryanto, Bambang; Lestari, Sri"


@pytest.mark.parametrize(
    "name,fmt",
    [("refs.bib", "bibtex"), ("endnote.ris", "ris"), ("scopus.ris", "ris"), ("zotero.json", "csljson"),
     ("scopus.csv", "scopus"), ("savedrecs.txt", "wos")],
)  # fmt: skip
def test_detected_from_content_not_extension(tmp_path, name, fmt):
    renamed = tmp_path / "export.dat"
    shutil.copy(FIX / name, renamed)
    assert read_file(renamed)[0] == fmt


def test_ris_provider_preamble_allowed_but_not_text_between_records(tmp_path):
    f = tmp_path / "p.ris"
    f.write_text(
        'Provider: Example Database\nContent: text/plain; charset="UTF-8"\n\nTY  - JOUR\nTI  - A\nER  - \n',
        encoding="utf-8",
    )
    assert read_file(f)[1]["title"].tolist() == ["A"]
    f.write_text("TY  - JOUR\nTI  - A\nER  - \nstray words\nTY  - JOUR\nTI  - B\nER  - \n", encoding="utf-8")
    fmt, raw = read_file(f)  # the stray line is skipped, with a warning naming it
    assert raw["title"].tolist() == ["A", "B"]
    assert raw.attrs["skipped"] == [
        {"line": 4, "entry": "lines 4-4", "reason": "fields outside a record (no 'TY  - ' line before them)"}
    ]
    with pytest.raises(InputError, match="outside a record") as exc:
        read_file(f, strict=True)
    assert exc.value.line == 4


def test_forced_format_is_used(tmp_path):
    # a BibTeX file forced to RIS is read as RIS, and RIS finds no record in it
    with pytest.raises(InputError, match="no records found"):
        read_file(FIX / "refs.bib", fmt="ris")
    assert read_file(FIX / "refs.bib", fmt="bibtex")[0] == "bibtex"


def test_unknown_format_names_supported_ones():
    with pytest.raises(InputError) as err:
        detect_format("notes.txt", "Dear reviewer,\nthank you.\n")
    msg = str(err.value)
    for name in ("BibTeX", "RIS", "CSL-JSON", "Scopus CSV", "Web of Science"):
        assert name in msg
