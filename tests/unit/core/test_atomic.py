import os

import pandas as pd
import pytest

from revalign.core import atomic


def test_write_text_creates_parents_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    atomic.write_text(target, "hello\n")
    assert target.read_text() == "hello\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_failure_keeps_previous_file_and_removes_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half written")
        raise RuntimeError("boom")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_identical_content_is_not_rewritten(tmp_path):
    target = tmp_path / "same.txt"
    atomic.write_text(target, "x\n")
    os.utime(target, (1_000_000, 1_000_000))
    atomic.write_text(target, "x\n")
    assert target.stat().st_mtime == 1_000_000  # untouched: Make sees no change
    atomic.write_text(target, "y\n")
    assert target.stat().st_mtime != 1_000_000
    assert target.read_text() == "y\n"


def test_write_csv_uses_lf_and_no_index(tmp_path):
    target = tmp_path / "t.csv"
    atomic.write_csv(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), target)
    assert target.read_bytes() == b"a,b\n1,x\n2,y\n"


def test_written_file_is_world_readable(tmp_path):
    target = tmp_path / "r.txt"
    atomic.write_text(target, "r")
    assert target.stat().st_mode & 0o044 == 0o044
