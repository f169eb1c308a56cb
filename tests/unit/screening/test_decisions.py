"""Reading screening decisions from real exports of Rayyan, Covidence and ASReview LAB, and from a sheet.

The files in tests/fixtures/screening/real/ are exports of the tools themselves (provenance in
tests/fixtures/README.md); expected values below were counted by hand in those files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from revalign.core.errors import InputError
from revalign.screening.decisions import Source, decision_word, detect, rayyan_notes, read_decisions

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "screening"
REAL = FIX / "real"


def votes(df):
    return sorted(zip(df["line"], df["reviewer"], df["decision"], df["reason"], strict=True))


def test_rayyan_ris_export_of_a_public_review():
    # rayyanR's example export of the public review "TINEA UPDATE": 14 records, 12 with decisions
    # (N1 lines 23, 48, 68, 89, 161, 186, 208, 230, 247, 265, 287, 306); 4 decided by both reviewers
    d = read_decisions(Source(REAL / "rayyan_tinea_update.ris"))
    assert detect(Source(REAL / "rayyan_tinea_update.ris")) == "rayyan"
    assert len(d) == 16 and set(d["stage"]) == {"title_abstract"}
    assert d["reviewer"].value_counts().to_dict() == {"Zbys": 12, "m.el-gohary": 4}
    first = votes(d[d["line"] == 1])  # TY line of the first record; its N1 is on line 23
    assert first == [(1, "Zbys", "exclude", ""), (1, "m.el-gohary", "include", "")]
    third = d[d["line"] == 51].iloc[0]  # "wrong drug,wrong intervention"
    assert (third["decision"], third["reason"]) == ("exclude", "wrong drug, wrong intervention")
    assert third["title"].startswith("A comparative study of efficacy of terbinafine and fluconazole")
    assert third["year"] == "2013"


def test_rayyan_csv_gives_the_same_decisions_as_its_ris():
    ris = read_decisions(Source(REAL / "rayyan_tinea_update.ris"))
    csv = read_decisions(Source(FIX / "rayyan_tinea_update.csv"))
    key = ["reviewer", "decision", "reason", "title"]
    assert sorted(map(tuple, ris[key].to_numpy())) == sorted(map(tuple, csv[key].to_numpy()))
    assert csv["line"].min() == 2  # the header is line 1


def test_rayyan_export_whose_rows_carry_labels_but_no_decisions():
    # a real Rayyan CSV export (RAYYAN-LABELS only): no one decided these records yet
    src = Source(REAL / "rayyan_labels_only.csv")
    assert detect(src) == "rayyan"
    assert read_decisions(src).empty


def test_rayyan_full_text_stage_comes_from_the_parameter_entry():
    d = read_decisions(Source(REAL / "rayyan_mlj_includes.ris", stage="full_text"))
    # 5 records, each decided by Matt and Laura; the last one excluded by both
    assert len(d) == 10 and set(d["stage"]) == {"full_text"}
    assert (d["decision"] == "exclude").sum() == 2


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ('RAYYAN-INCLUSION: {"Ann"=>"Included", "Bo"=>"Maybe"}', ({"Ann": "Included", "Bo": "Maybe"}, [])),
        ('x | RAYYAN-INCLUSION: {"A B"=>"Excluded"} | RAYYAN-LABELS: a,b | RAYYAN-EXCLUSION-REASONS: foo,bar baz',
         ({"A B": "Excluded"}, ["foo", "bar baz"])),
        ("RAYYAN-LABELS: only labels", ({}, [])),
    ],
)  # fmt: skip
def test_rayyan_notes(notes, expected):
    assert rayyan_notes(notes) == expected


def test_asreview_ris_labels():
    # ASReview's own test file of its RIS export: N1 ASReview_relevant / _irrelevant / _not_seen
    # (10 records labelled, in pairs, plus records not seen or without a label)
    d = read_decisions(Source(REAL / "asreview_labels.ris", reviewer="Kim"))
    assert set(d["reviewer"]) == {"Kim"}
    assert sorted(d["decision"].value_counts().items()) == [("exclude", 10), ("include", 10)]
    assert not d["title"].str.contains("not seen").any()


def test_asreview_lab_csv_export_with_its_included_column():
    # ASReview LAB 1's export of the relevant records: columns ... included, asreview_ranking
    src = Source(REAL / "asreview_v1_relevant.csv")
    assert detect(src) == "asreview"
    d = read_decisions(src)
    assert list(d["decision"]) == ["include"] * 3
    assert list(d["reviewer"]) == ["asreview_v1_relevant"] * 3  # no user column: the file's name
    assert d.iloc[1]["doi"] == "10.1080/10439463.2017.1373110"
    assert d.iloc[0]["doi"] == ""  # written "NA" by the export: no DOI
    assert d.iloc[0]["year"] == "2016"  # "2016/06"


def test_asreview_xlsx_with_asreview_label_and_user_name(tmp_path):
    # ASReview LAB 2 writes XLSX with pandas: the same table as its CSV, label in asreview_label
    import pandas as pd

    path = tmp_path / "asreview_result.xlsx"
    pd.DataFrame(
        {"title": ["One", "Two", "Three"], "doi": ["10.1/a", "", ""], "asreview_label": [1, 0, None],
         "asreview_user_name": ["Kim Lee", "Kim Lee", ""]}
    ).to_excel(path, index=False)  # fmt: skip
    d = read_decisions(Source(path))
    assert votes(d) == [(2, "Kim Lee", "include", ""), (3, "Kim Lee", "exclude", "")]  # row 4: not seen


def test_covidence_lists_by_file_name(tmp_path):
    src = Source(FIX / "review_000000_excluded_csv_20240101000000.csv")
    assert detect(src) == "covidence"
    d = read_decisions(src)
    assert list(zip(d["stage"], d["decision"], d["reason"], strict=True)) == [
        ("title_abstract", "include", ""),
        ("full_text", "exclude", "Wrong study design"),
    ]
    assert set(d["reviewer"]) == {"Covidence"} and set(d["year"]) == {"1990"}
    text = src.path.read_text()
    irrelevant = tmp_path / "review_000000_irrelevant_csv_20240101000000.csv"
    irrelevant.write_text(text)
    assert votes(read_decisions(Source(irrelevant))) == [(2, "Covidence", "exclude", "")]
    included = tmp_path / "review_000000_included_csv_20240101000000.csv"
    included.write_text(text)
    assert list(read_decisions(Source(included))["decision"]) == ["include", "include"]
    unnamed = tmp_path / "my_export.csv"
    unnamed.write_text(text)
    with pytest.raises(InputError, match="which list"):
        read_decisions(Source(unnamed))


def test_sheet(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "record,reviewer,stage,decision,reason\n"
        "smith2020a,Ann,title_abstract,Included,\n"
        '"A title, with a comma",Bo,Full text,EXCLUDE,"wrong population,\nand setting"\n'
        "10.1/x,Bo,full_text,not retrieved,\n"
    )
    d = read_decisions(Source(path))
    assert votes(d) == [
        (2, "Ann", "include", ""),
        (3, "Bo", "exclude", "wrong population, and setting"),
        (5, "Bo", "not_retrieved", ""),  # the quoted reason of line 3 spans two lines
    ]
    assert list(d["record"]) == ["smith2020a", "A title, with a comma", "10.1/x"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("smith2020a,Ann,title_abstract,perhaps,", "decision 'perhaps'"),
        ("smith2020a,Ann,abstracts,include,", "stage 'abstracts'"),
        (",Ann,title_abstract,include,", "no record"),
        ("smith2020a,,title_abstract,include,", "no reviewer"),
        ("smith2020a,Ann,title_abstract,not_retrieved,", "full-text decision"),
    ],
)
def test_sheet_rows_that_cannot_be_read_name_their_line(tmp_path, row, message):
    path = tmp_path / "sheet.csv"
    path.write_text(f"record,reviewer,stage,decision,reason\nok2020,Ann,title_abstract,include,\n{row}\n")
    with pytest.raises(InputError, match=message) as exc:
        read_decisions(Source(path))
    assert exc.value.line == 3


def test_a_file_that_is_not_a_decision_file(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("title,year\nA,2020\n")
    with pytest.raises(InputError, match="not a screening decision file"):
        read_decisions(Source(path))
    ris = tmp_path / "plain.ris"
    ris.write_text("TY  - JOUR\nTI  - A\nER  - \n")
    with pytest.raises(InputError, match="without screening decisions"):
        read_decisions(Source(ris))


@pytest.mark.parametrize(
    ("word", "decision"),
    [("Included", "include"), ("1.0", "include"), ("no", "exclude"), ("Maybe", "maybe"), ("later", None)],
)
def test_decision_words(word, decision):
    assert decision_word(word) == decision


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        ("record,reviewer,stage,decision\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04not really a workbook", "not a readable XLSX workbook"),
        (b'record,reviewer,stage,decision\n"a,Ann,title_abstract,include\n', "never closed"),
        (b"record,reviewer,stage,decision\na,Ann,title_abstract\n", "this row has 3 cells"),
    ],
)
def test_broken_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "decisions.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_decisions(Source(path))


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        read_decisions(Source(tmp_path / "nowhere.csv"))
