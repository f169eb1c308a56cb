"""Reading and checking a key-statistics CSV (revalign.coding.key_statistics).

Expected values are read off the small CSV texts written in each test: line numbers
count the header as line 1.
"""

from __future__ import annotations

import pytest

from revalign.coding.key_statistics import check_sources, load_key_statistics, read_key_statistics
from revalign.core.errors import InputError

HEADER = "stat_id,ref_key,value,unit,approximate,description_en\n"


def write(tmp_path, text, name="ks.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_reads_labels_values_units_and_flags(tmp_path):
    p = write(tmp_path, HEADER + 'K1,a,39,percent,false,Share\nK2,b,"1,250",articles,Yes,Other\n')
    df = read_key_statistics(p)
    assert df["label"].tolist() == ["Share", "Other"]
    assert df["ref_key"].tolist() == ["a", "b"]
    assert df["value"].tolist() == [39.0, 1250.0]  # "1,250": the thousands separator is dropped
    assert df["unit"].tolist() == ["percent", "articles"]
    assert df["approximate"].tolist() == [False, True]  # "Yes" counts, any case
    assert df["line"].tolist() == [2, 3]
    assert df["stat_id"].tolist() == ["K1", "K2"]  # other columns are kept


def test_value_not_a_number_names_its_line(tmp_path):
    p = write(tmp_path, HEADER + "K1,a,39,percent,false,Share\nK2,b,about 9,percent,true,Other\n")
    with pytest.raises(InputError) as exc:
        read_key_statistics(p)
    assert exc.value.line == 3 and "'about 9' is not a number" in exc.value.message


def test_other_column_names_and_no_unit(tmp_path):
    # "claim" is a label column, "source" a key column; no unit and no approximate column
    df = read_key_statistics(write(tmp_path, "claim,source,value\nMost,x,60\n"))
    assert df[["label", "ref_key", "value", "unit", "approximate"]].values.tolist() == [["Most", "x", 60.0, "", False]]


def test_missing_columns_listed_on_line_1(tmp_path):
    with pytest.raises(InputError) as exc:
        read_key_statistics(write(tmp_path, "stat_id,value\nK1,39\n"))
    assert exc.value.line == 1
    assert exc.value.message.startswith(
        "the key-statistics file lacks the column(s) label (or statistic, description_en, description, claim), "
        "ref_key (or source_key, source)"
    )
    with pytest.raises(InputError, match=r"lacks the column\(s\) value \("):
        read_key_statistics(write(tmp_path, "label,ref_key\nA,a\n"))


def test_header_only_gives_an_empty_table(tmp_path):
    df = read_key_statistics(write(tmp_path, HEADER))
    assert len(df) == 0 and {"label", "ref_key", "value", "unit", "approximate", "line"} <= set(df.columns)


def test_unknown_source_is_the_first_such_row_in_file_order(tmp_path):
    # rows on lines 2, 3, 4; "zz" (line 3) and "aa" (line 4) are unknown: line 3 is reported,
    # although "aa" sorts first
    p = write(tmp_path, HEADER + "K1,a,1,percent,false,A\nK2,zz,2,percent,false,B\nK3,aa,3,percent,false,C\n")
    with pytest.raises(InputError) as exc:
        load_key_statistics(p, ["a", "b"])
    assert exc.value.line == 3 and exc.value.message == "ref_key 'zz' is not in the bibliography"
    assert exc.value.file == str(p)


def test_known_sources_pass(tmp_path):
    p = write(tmp_path, HEADER + "K1,a,1,percent,false,A\n")
    assert load_key_statistics(p, {"a"})["ref_key"].tolist() == ["a"]
    check_sources(read_key_statistics(p), ["a", "b"], p)  # no error
