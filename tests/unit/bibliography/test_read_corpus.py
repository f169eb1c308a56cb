import pytest

from revalign.bibliography.importer import read_corpus
from revalign.core.errors import InputError

BIB = """@article{smith2020micro,
  title = {Micro credentials},
  author = {Smith, Ann},
  year = {2020},
  sourcecategory = {academic},
}
"""


def test_corpus_csv_is_read_as_text_with_integer_year(tmp_path):
    p = tmp_path / "corpus.csv"
    p.write_text("record_id,title,year,sourcecategory\nk1,A,2021,policy\nk2,B,,academic\n")
    df = read_corpus([p])
    assert list(df["record_id"]) == ["k1", "k2"]
    assert str(df["year"].dtype) == "Int64"
    assert df["year"].iloc[0] == 2021 and df["year"].isna().iloc[1]
    assert df["sourcecategory"].tolist() == ["policy", "academic"]


def test_exports_are_imported_and_merged_with_a_corpus_csv(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    csv = tmp_path / "corpus.csv"
    csv.write_text("record_id,title,year\nk1,A,2021\n")
    df = read_corpus([csv, bib])
    assert sorted(df["record_id"]) == ["k1", "smith2020micro"]
    assert df.set_index("record_id").loc["smith2020micro", "sourcecategory"] == "academic"


def test_missing_corpus_csv_says_which_stage_writes_it(tmp_path):
    with pytest.raises(InputError, match="run stage 01"):
        read_corpus([tmp_path / "corpus.csv"])


def test_a_utf16_csv_export_is_imported_not_refused(tmp_path):
    # only stage 01's corpus.csv is read directly; a CSV export in UTF-16 goes to the importer, which reads it
    from pathlib import Path

    from revalign.bibliography.importer import read_bibliography

    src = Path(__file__).resolve().parents[2] / "fixtures" / "bib" / "scopus.csv"
    f = tmp_path / "scopus.csv"
    f.write_bytes(src.read_text(encoding="utf-8-sig").encode("utf-16"))
    df = read_corpus([f])
    assert sorted(df["record_id"]) == sorted(read_bibliography(src).records["record_id"])
    assert len(df) > 1
