"""read_bibliography: the ImportResult contract, rejects accounting and bad input.

Line numbers in the expected errors are counted by hand in the small files written here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from revalign.bibliography.importer import COLUMNS, read_bibliography
from revalign.core import progress
from revalign.core.errors import InputError

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "bib"


def err(exc_info) -> str:
    return exc_info.value.format()


def test_result_shape_and_columns():
    res = read_bibliography(FIX / "refs.bib")
    assert list(res.records.columns) == COLUMNS
    assert str(res.records["year"].dtype) == "Int64"
    assert list(res.per_file.columns) == ["file", "format", "records_read", "parsed", "rejected", "skipped"]
    assert res.per_file.iloc[0].tolist() == ["refs.bib", "bibtex", 4, 4, 0, 0]
    assert res.n_read == 4 and res.n_unique == 4
    assert res.summary().splitlines()[-1] == "4 records read, 4 unique works"


def test_doc_type_common_vocabulary():
    res = read_bibliography([FIX / "refs.bib", FIX / "savedrecs.txt"])
    t = res.records.set_index("record_id")["doc_type"]
    assert t["oliver2019making"] == "report"  # @techreport
    assert t["rahmawati2023kredensial"] == "article"  # @article
    wos = res.records[res.records["origins"] == "savedrecs.txt:2"]
    assert wos["doc_type"].iloc[0] == "conference paper"  # WoS "Proceedings Paper"


def test_rejects_are_listed_and_counted(tmp_path):
    f = tmp_path / "a.ris"
    f.write_text(
        "TY  - JOUR\nTI  - A real title\nPY  - 2020\nER  - \n\nTY  - JOUR\nAU  - Nobody, N.\nPY  - 2021\nER  - \n",
        encoding="utf-8",
    )
    res = read_bibliography(f)
    assert res.per_file.iloc[0].tolist() == ["a.ris", "ris", 2, 1, 1, 0]
    assert res.n_read == 2 == res.n_unique + len(res.rejects)
    assert res.rejects[["file", "entry", "line", "reason"]].values.tolist() == [
        ["a.ris", "2", 6, "no title and no DOI"]
    ]


def test_doi_taken_from_doi_url_when_field_empty(tmp_path):
    f = tmp_path / "a.ris"
    f.write_text("TY  - JOUR\nTI  - T\nUR  - https://doi.org/10.77/XY\nER  - \n", encoding="utf-8")
    assert read_bibliography(f).records["doi"].iloc[0] == "10.77/xy"


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("bad.json", '[\n  {"id": "a", "title": "A"},\n  {"id": "b", "title": "B",}\n]\n', "bad.json:3: invalid JSON"),
        ("notlist.json", '[\n  {"id": "a", "title": "A", "author": "Smith"}\n]\n', "notlist.json:2: item 1: 'author' must be a list"),
        ("empty.bib", "", "empty.bib: file is empty"),
        ("blank.ris", "\ufeff\n  \n", "blank.ris: file is empty"),
        ("comments.bib", "% just a comment\n@comment{nothing here}\n", "no records found"),
        ("empty.json", "[]\n", "empty.json: no records found"),
        ("header.csv", '"Authors","Title","Year","Source title","EID"\n', "header.csv: no records found"),
        ("notes.txt", "Dear editor,\nplease find attached.\n", "supported formats are BibTeX (.bib), RIS (.ris)"),
    ],
)  # fmt: skip
def test_bad_input_is_an_input_error_with_line(tmp_path, name, content, expected):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_bibliography(f)
    assert expected in err(exc)
    assert err(exc).startswith("error: ") and name in err(exc)


# Written for these tests: each file has one broken record between good ones. By default the
# broken record is repaired or skipped with a warning naming its line and the rest is read;
# with strict=True (bib import --strict) the file is refused there, as before issue 24.
BROKEN = [
    # the second entry's title never closes its brace, but each field is on its own line: read line by line
    ("bad.bib", "@article{ok, title={A}}\n\n@article{bad,\n title = {unclosed,\n year = 2020\n}\n@book{b, title={B}}\n",
     ["A", "unclosed", "B"], 0, "bad.bib:3: @article entry 'bad': unbalanced braces in title"),
    # on one line the fields cannot be told apart: the entry is skipped
    ("oneline.bib", "@article{ok, title={A}}\n@article{bad, title={un{closed}, year={2020}}\n@book{b, title={B}}\n",
     ["A", "B"], 1, "oneline.bib:2: @article entry 'bad': unbalanced braces or quotes"),
    ("trunc.ris", "TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\n", ["A", "B"], 0,
     "trunc.ris:5: record 2 is not closed by an 'ER  - ' line"),
    ("noer.ris", "TY  - JOUR\nTI  - A\nTY  - BOOK\nTI  - B\nER  - \n", ["A", "B"], 0,
     "noer.ris:1: record 1 has no 'ER  - ' line; it ends before line 3"),
    ("stray.ris", "TY  - JOUR\nTI  - A\nER  - \n\nAU  - Lost, Its TY\nER  - \n\nTY  - JOUR\nTI  - B\nER  - \n",
     ["A", "B"], 1, "stray.ris:5: lines 5-6: fields outside a record"),
    # a record that lost its TY line but has a title is read (CiteSource's RIS writes no TY at all)
    ("nots.ris", "TY  - JOUR\nTI  - A\nER  - \n\nTI  - Lost its TY\nER  - \n\nTY  - JOUR\nTI  - B\nER  - \n",
     ["A", "Lost its TY", "B"], 0, "nots.ris:5: record 2 has no 'TY  - ' line; read as GEN"),
    ("trunc.txt", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A\nER\n\nPT J\nTI B\n", ["A", "B"], 0,
     "trunc.txt:7: record 2 is not closed by an ER line"),
    ("badtag.txt", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A\nthis is not a tag\nER\nEF\n",
     ["A this is not a tag"], 0, "badtag.txt:5: record 1: a line that is neither a field nor indented"),
]  # fmt: skip


@pytest.mark.parametrize("name,content,titles,skipped,message", BROKEN)
def test_one_broken_record_never_blocks_a_file(tmp_path, name, content, titles, skipped, message):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    res = read_bibliography(f)
    assert sorted(res.records["title"]) == sorted(titles)
    assert res.per_file["skipped"].tolist() == [skipped]
    line, what = message.split(":", 2)[1:]  # the warning names the line and the record
    assert any(w.startswith(f"{f}:{line}:") and what.split(":")[0].strip() in w for w in res.warnings), res.warnings
    if skipped:  # a skipped record is listed among the rejects, with its line
        line = int(message.split(":")[1])
        assert res.rejects.loc[res.rejects["line"] == line, "reason"].str.startswith("skipped at import").all()
    with pytest.raises(InputError) as exc:
        read_bibliography(f, strict=True)
    assert message in err(exc)


def test_scopus_csv_row_with_wrong_field_count(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text(
        '"Authors","Title","Year","Source title","EID"\n"A","T","2020","S","1"\n"B","U","2021"\n', encoding="utf-8"
    )
    res = read_bibliography(f)  # the short row is skipped, named, counted
    assert res.records["title"].tolist() == ["T"] and res.per_file["skipped"].tolist() == [1]
    assert any("s.csv:3: row 2 skipped: malformed CSV row: 3 fields, the header has 5" in w for w in res.warnings)
    with pytest.raises(InputError) as exc:
        read_bibliography(f, strict=True)
    assert "s.csv:3: row 2: malformed CSV row: 3 fields, the header has 5" in err(exc)


def _with_accent(name: str) -> str:
    # refs.bib writes accents as LaTeX (pure ASCII); put a real é in so the encodings differ
    text = (FIX / name).read_text(encoding="utf-8-sig").replace("P{\\'e}rez", "Pérez")
    assert "é" in text
    return text


@pytest.mark.parametrize("name", ["refs.bib", "scopus.csv", "endnote.ris"])
def test_latin1_is_a_clear_error(tmp_path, name):
    f = tmp_path / name
    f.write_bytes(_with_accent(name).encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_bibliography(f)
    assert "not valid UTF-8 (Latin-1 or Windows-1252?); save it as UTF-8" in err(exc)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("name", ["refs.bib", "scopus.csv", "endnote.ris"])
def test_utf16_with_byte_order_mark_reads_like_utf8(tmp_path, name, encoding):
    text = _with_accent(name)
    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf16").mkdir()
    (tmp_path / "utf8" / name).write_bytes(text.encode("utf-8"))
    data = text.encode(encoding)
    if encoding == "utf-16-be":  # Python writes the BOM only for "utf-16" (native order)
        data = b"\xfe\xff" + data
    (tmp_path / "utf16" / name).write_bytes(data)
    a = read_bibliography(tmp_path / "utf8" / name).records
    b = read_bibliography(tmp_path / "utf16" / name).records
    assert a["authors"].str.contains("Pérez").any()
    pd.testing.assert_frame_equal(a, b)


def test_broken_utf16_is_refused_with_its_line(tmp_path):
    f = tmp_path / "cut.ris"
    good = "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\n".encode("utf-16")
    f.write_bytes(good + b"\x00\xd8")  # a lone high surrogate after the 6th line break
    with pytest.raises(InputError) as exc:
        read_bibliography(f)
    assert "cut.ris:7: starts with a UTF-16 byte-order mark but is not valid UTF-16" in err(exc)


def test_missing_file_and_file_given_twice(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_bibliography(tmp_path / "nope.bib")
    with pytest.raises(InputError, match="given twice"):
        read_bibliography([FIX / "refs.bib", FIX / ".." / "bib" / "refs.bib"])
    with pytest.raises(InputError, match="no bibliography files"):
        read_bibliography([])


def test_crlf_and_lf_read_the_same(tmp_path):
    text = (FIX / "savedrecs.txt").read_text(encoding="utf-8-sig")
    (tmp_path / "lf.txt").write_text(text, encoding="utf-8", newline="\n")
    (tmp_path / "crlf.txt").write_text(text, encoding="utf-8-sig", newline="\r\n")
    a = read_bibliography(tmp_path / "lf.txt").records.drop(columns="origins")
    b = read_bibliography(tmp_path / "crlf.txt").records.drop(columns="origins")
    pd.testing.assert_frame_equal(a, b)


def test_text_is_nfc(tmp_path):
    f = tmp_path / "nfd.ris"
    f.write_text("TY  - JOUR\nAU  - Mu\u0308ller, Ju\u0308rgen\nTI  - Cafe\u0301 culture\nER  - \n", encoding="utf-8")
    row = read_bibliography(f).records.iloc[0]
    assert row["authors"] == "M\u00fcller, J\u00fcrgen" and row["title"] == "Caf\u00e9 culture"


def test_progress_is_silent_without_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert progress.interactive() is False
    items = range(3)
    bar = progress.progress(items, enabled=True)
    assert bar is items  # no bar: the iterable itself (tqdm not needed)


def test_progress_is_silent_in_ci_even_on_a_terminal(monkeypatch):
    class TTY(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stderr", TTY())
    monkeypatch.delenv("CI", raising=False)
    assert progress.interactive() is True
    items = range(1)
    assert progress.progress(items, enabled=False) is items
    assert progress.progress(items, enabled=True) is not items  # a terminal: a bar
    monkeypatch.setenv("CI", "true")
    assert progress.interactive() is False
    assert progress.progress(items, enabled=True) is items


def test_bom_and_control_characters_in_the_middle_are_removed_with_a_warning(tmp_path):
    f = tmp_path / "m.ris"
    f.write_bytes(b"TY  - JOUR\nTI  - A\nER  - \n\xef\xbb\xbfTY  - JOUR\nTI  - B\x0b C\nER  - \n")
    res = read_bibliography(f)
    assert sorted(res.records["title"]) == ["A", "B C"]  # the vertical tab becomes a space
    assert res.warnings[:2] == [
        f"{f}:4: removed U+FEFF (zero width no-break space) from the record on this line",
        f"{f}:5: removed U+000B from the record on this line",
    ]
    with pytest.raises(InputError) as exc:
        read_bibliography(f, strict=True)
    assert "m.ris:4: byte-order mark (U+FEFF) in the middle of the file; remove it" in err(exc)


def test_nul_bytes_are_refused(tmp_path):
    f = tmp_path / "m.ris"
    f.write_bytes(b"TY  - JOUR\nTI  - A\x00\nER  - \n")
    with pytest.raises(InputError) as exc:
        read_bibliography(f)
    assert "binary data (NUL bytes)" in err(exc)


def test_bibtex_entries_without_a_key_get_generated_keys_and_numbered_origins(tmp_path):
    # written for this test; JabRef's encoding test files have such entries ("@article{,")
    f = tmp_path / "nokey.bib"
    f.write_text(
        "@article{,\n  title = {First without key},\n  author = {Lee, Kim},\n  year = {2020}\n}\n"
        "@article{,\n  title = {Second without key},\n  author = {Wu, Ann},\n  year = {2021}\n}\n",
        encoding="utf-8",
    )
    res = read_bibliography(f)
    got = res.records.set_index("record_id")["origins"].to_dict()
    assert got == {"lee2020first": "nokey.bib:1", "wu2021second": "nokey.bib:2"}
    assert not any("also used" in w for w in res.warnings)
