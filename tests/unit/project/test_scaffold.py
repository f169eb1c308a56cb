"""`revalign init NAME`: the scaffold's files, refusals, and that its inputs check clean."""

from __future__ import annotations

import pytest

from revalign.core import config
from revalign.core.errors import InputError
from revalign.project.check import check
from revalign.project.scaffold import scaffold


def _root(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True)
    return tmp_path


def test_scaffold_writes_params_and_data_folder(tmp_path):
    root = _root(tmp_path)
    written = scaffold("myreview", root)
    rel = sorted(str(p.relative_to(root)) for p in written)
    assert rel == [
        "data/raw/myreview/README.md",
        "data/raw/myreview/bibliography/example.bib",
        "data/raw/myreview/codebook.yml",
        "data/raw/myreview/segments.csv",
        "params/myreview.yml",
    ]
    seg_lines = (root / "data/raw/myreview/segments.csv").read_text().splitlines()
    assert seg_lines[0] == "segment_id,ref_key,locator,theme,dimension,polarity,facet,context,excerpt,coder"
    assert len(seg_lines) == 3  # header and two example rows
    cfg = config.load(root / "params/myreview.yml", root=root)
    assert cfg.name == "myreview" and cfg.params.framework is None
    assert "{name}" not in (root / "params/myreview.yml").read_text()


def test_scaffold_inputs_check_clean(tmp_path):
    root = _root(tmp_path)
    scaffold("myreview", root)
    problems, checked = check(root / "params/myreview.yml", root=root)
    assert [p.format() for p in problems] == []
    assert len(checked) == 4


def test_codebook_template_has_two_headline_dimensions_in_english(tmp_path):
    from revalign.core.codebook import load_codebook

    root = _root(tmp_path)
    scaffold("x1", root)
    cb = load_codebook(root / "data/raw/x1/codebook.yml")
    assert cb.headline_ids == ["dimension_one", "dimension_two"]
    assert cb.languages == ["en"]


@pytest.mark.parametrize(
    "name, fragment",
    [("My Review", "not a usable NAME"), ("default", "used by the project"), ("../up", "not a usable NAME")],
)
def test_unusable_names_are_refused(tmp_path, name, fragment):
    with pytest.raises(InputError, match=fragment):
        scaffold(name, _root(tmp_path))


def test_existing_review_is_never_overwritten(tmp_path):
    root = _root(tmp_path)
    scaffold("mine", root)
    (root / "data/raw/mine/segments.csv").write_text("my own work\n")
    with pytest.raises(InputError, match="already exists"):
        scaffold("mine", root)
    assert (root / "data/raw/mine/segments.csv").read_text() == "my own work\n"
    (root / "params/mine.yml").unlink()
    with pytest.raises(InputError, match="already exists"):  # the data folder alone blocks it too
        scaffold("mine", root)
    assert not (root / "params/mine.yml").exists()
