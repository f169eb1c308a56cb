"""A run reads its bibliography once: `revalign check` keeps its import, stage 01 takes it (issue 27).

The project is written by hand below (the small one of tests/unit/project/test_check.py): two BibTeX
entries, so two works, no merge, no reject.
"""

from __future__ import annotations

import pandas as pd
import pytest

from revalign.bibliography import importer, kept
from revalign.core import config
from revalign.project.check import check
from tiny_review import write_project as _project


@pytest.fixture(autouse=True)
def _as_make_runs_it(monkeypatch):
    monkeypatch.setenv(kept.KEEP_ENV, "1")  # what the Makefile sets for its check


def _counting_reads(monkeypatch) -> list:
    reads: list = []
    real = importer.read_file
    monkeypatch.setattr(importer, "read_file", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    return reads


def test_stage_01_takes_the_import_check_kept_without_reading_the_exports(tmp_path, monkeypatch):
    params = _project(tmp_path)
    cfg = config.load(params, root=tmp_path)
    fresh = kept.read_run_bibliography(cfg)
    assert sorted(fresh.records["record_id"]) == ["jones_second_2023", "smith_first_2024"]
    reads = _counting_reads(monkeypatch)
    problems, _ = check(params, root=tmp_path)
    assert problems == [] and len(reads) == 1  # check reads refs.bib once, and keeps what it read
    assert sorted(p.name for p in kept.folder(cfg).iterdir()) == sorted(f"{t}.arrow" for t in kept.TABLES)
    taken = kept.take(cfg)
    assert len(reads) == 1  # stage 01 read no export
    assert taken is not None
    for name in kept.TABLES:  # the same tables, column types included
        pd.testing.assert_frame_equal(getattr(taken, name), getattr(fresh, name), check_exact=True)
    assert taken.warnings == fresh.warnings
    assert list(kept.folder(cfg).iterdir()) == []  # taken: removed
    assert kept.take(cfg) is None  # nothing kept any more: stage 01 reads the exports


def test_an_export_changed_since_the_check_is_read_again(tmp_path):
    params = _project(tmp_path)
    cfg = config.load(params, root=tmp_path)
    assert check(params, root=tmp_path)[0] == []
    bib = tmp_path / "refs.bib"
    bib.write_text(bib.read_text() + "@article{lee_third_2022, title = {Third}, author = {Lee, Cy}, year = {2022}}\n")
    assert kept.take(cfg) is None  # the kept import is of the old file
    assert list(kept.folder(cfg).iterdir()) == []  # and it is removed
    assert len(kept.read_run_bibliography(cfg).records) == 3


def test_other_parameters_or_another_program_mean_another_import(tmp_path, monkeypatch):
    params = _project(tmp_path)
    assert check(params, root=tmp_path)[0] == []
    cfg = config.load(params, root=tmp_path)
    key = kept.import_key(cfg)
    monkeypatch.setattr(kept, "_package_digest", lambda: "another version of revalign")
    assert kept.import_key(cfg) != key
    assert kept.take(cfg) is None
    monkeypatch.undo()
    params.write_text(params.read_text() + "source_categories:\n  article: report\n")
    other = config.load(params, root=tmp_path)
    assert kept.import_key(other) != key


def test_a_kept_table_that_is_not_an_arrow_file_is_ignored(tmp_path):
    params = _project(tmp_path)
    cfg = config.load(params, root=tmp_path)
    assert check(params, root=tmp_path)[0] == []
    (kept.folder(cfg) / "records.arrow").write_bytes(b"not an arrow file")
    assert kept.take(cfg) is None


def test_a_check_typed_by_hand_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(kept.KEEP_ENV)
    params = _project(tmp_path)
    assert check(params, root=tmp_path)[0] == []
    assert not kept.folder(config.load(params, root=tmp_path)).exists()
