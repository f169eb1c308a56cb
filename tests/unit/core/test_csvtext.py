"""core.csvtext: the pyarrow CSV writer gives the bytes pandas' ``to_csv`` gives.

The reference is pandas itself (``df.to_csv(index=False, lineterminator="\\n")``), run on
the same frame, so the expected bytes are never copied from the writer under test.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revalign.core import csvtext
from revalign.core.atomic import write_csv

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, max_examples=150)

# characters that decide quoting, and some that must not
TRICKY = [",", '"', "\n", "\r", "\r\n", " ", "\t", ";", "'", "=", "é", "\u2028", "\u00a0", "中", "\x1f", ""]
cell = st.none() | st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=6).map("".join)


def _pandas_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _fast_bytes(df: pd.DataFrame) -> bytes:
    chunks = csvtext.csv_chunks(df)
    assert chunks is not None
    return b"".join(bytes(c) for c in chunks)


@settings(**SETTINGS)
@given(
    rows=st.lists(st.tuples(cell, cell, st.none() | st.integers(-(10**12), 10**12)), max_size=12),
    names=st.sampled_from([("a", "b,c", "n"), ('q"uote', "x y", "year"), ("line\nbreak", "é", "n")]),
)
def test_same_bytes_as_pandas(rows, names):
    df = pd.DataFrame(
        {
            names[0]: pd.array([r[0] for r in rows], dtype="string"),
            names[1]: pd.array([r[1] for r in rows], dtype="string[pyarrow]"),
            names[2]: pd.array([r[2] for r in rows], dtype="Int64"),
        }
    )
    assert _fast_bytes(df) == _pandas_bytes(df)


def test_blocks_join_to_the_whole_file(monkeypatch):
    monkeypatch.setattr(csvtext, "BLOCK_ROWS", 3)
    df = pd.DataFrame(
        {"t": pd.array([f"v{i}, with comma" if i % 2 else f"v{i}" for i in range(10)], dtype="string"),
         "n": pd.array(range(10), dtype="int64")}
    )  # fmt: skip
    chunks = [bytes(c) for c in csvtext.csv_chunks(df)]
    assert len(chunks) == 1 + 4  # header, then blocks of 3, 3, 3, 1 rows
    assert b"".join(chunks) == _pandas_bytes(df)


def test_quoted_characters_follow_the_running_pythons_csv_writer():
    for c in csvtext._quoted_chars("\n"):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([f"a{c}b", "x"])
        assert buf.getvalue().startswith('"')
    assert {",", '"', "\n"} <= set(csvtext._quoted_chars("\n"))


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"x": pd.array(["a"], dtype="string")}),  # one column: '""' rules of csv differ
        pd.DataFrame({"x": [1.5], "y": pd.array(["a"], dtype="string")}),  # floats: pandas' repr
        pd.DataFrame({"x": [True], "y": pd.array(["a"], dtype="string")}),  # booleans: True/False
        pd.DataFrame({"x": ["a"], "y": [object()]}),  # mixed Python objects
    ],
)
def test_other_frames_are_left_to_pandas(df):
    assert csvtext.csv_chunks(df) is None


def test_write_csv_uses_it_and_writes_what_pandas_writes(tmp_path):
    df = pd.DataFrame(
        {"record_id": pd.array(["k1", "k2", None], dtype="string"),
         "title": pd.array(['A "quoted", title', "two\nlines", ""], dtype="string"),
         "year": pd.array([2020, None, 1999], dtype="Int64")}
    )  # fmt: skip
    out = write_csv(df, tmp_path / "out.csv")
    assert out.read_bytes() == _pandas_bytes(df)
    assert out.read_bytes().startswith(b'record_id,title,year\nk1,"A ""quoted"", title",2020\n')
