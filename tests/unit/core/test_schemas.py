"""JSON Schemas of the parameter file and the codebook (revalign.core.schemas): current, described, and
accepting what revalign accepts while refusing a misspelt key, as an editor's YAML language server would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from revalign.core import schemas
from revalign.core.codebook import load_codebook
from revalign.core.config import load
from revalign.project.scaffold import scaffold

if TYPE_CHECKING:
    import jsonschema

ROOT = Path(__file__).resolve().parents[3]


def _validator(name: str) -> jsonschema.Draft202012Validator:
    # imported here, not at the top: `import jsonschema` costs 1-4 s (rfc3987-syntax builds its grammar), which
    # every pytest worker paid collecting this file, and only the worker that runs these tests needs it
    import jsonschema

    schema = json.loads((ROOT / schemas.FOLDER / schemas.FILES[name]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", sorted(schemas.FILES))
def test_the_committed_schemas_are_what_the_models_give(name):
    # after a change of config.Params or codebook.Codebook: python -m revalign schema -o docs/schemas
    committed = (ROOT / schemas.FOLDER / schemas.FILES[name]).read_text(encoding="utf-8")
    assert committed == schemas.schema_text(name)


@pytest.mark.parametrize("name", sorted(schemas.FILES))
def test_every_field_a_user_writes_at_the_top_says_what_it_is(name):
    props = schemas.json_schema(name)["properties"]
    assert [k for k, v in props.items() if not v.get("description")] == []


@pytest.mark.parametrize("params", sorted((ROOT / "params").glob("*.yml")), ids=lambda p: p.name)
def test_every_parameter_file_of_the_project_is_valid_under_the_schema(params):
    load(params, root=ROOT)  # revalign accepts it ...
    data = yaml.safe_load(params.read_text(encoding="utf-8"))
    assert list(_validator("params").iter_errors(data)) == []  # ... and so does the schema


def test_the_codebook_is_valid_under_the_schema():
    path = ROOT / "data" / "raw" / "codebook" / "aect2023.yml"  # a whole codebook (aect2008.yml has a base)
    load_codebook(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(_validator("codebook").iter_errors(data)) == []


def test_a_misspelt_key_is_marked_where_it_is():
    data = yaml.safe_load((ROOT / "params" / "default.yml").read_text(encoding="utf-8"))
    data["segmnets"] = data.pop("segments")
    data["screening"]["year_mn"] = 2000
    errors = sorted(list(e.absolute_path) + [e.validator] for e in _validator("params").iter_errors(data))
    assert ["additionalProperties"] in errors  # segmnets not allowed at the top
    assert ["required"] in errors  # segments missing
    assert ["screening", "additionalProperties"] in errors


def test_init_points_the_new_files_at_the_schemas(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    scaffold("mine", tmp_path)
    for path, name in [
        (tmp_path / "params" / "mine.yml", "params"),
        (tmp_path / "data/raw/mine/codebook.yml", "codebook"),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix)
        # the relative path leads from the file to docs/schemas/ of the same project
        target = (path.parent / first[len(prefix) :]).resolve()
        assert target == (tmp_path / schemas.FOLDER / schemas.FILES[name]).resolve()


def test_the_readme_parameter_table_lists_every_field_of_the_parameter_file():
    # issue 28 found `title` missing from it
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("### Parameters", 1)[1].split("\n### ", 1)[0]
    keys = [line.split("`")[1] for line in text.splitlines() if line.startswith("| `")]
    assert sorted(keys) == sorted(schemas.json_schema("params")["properties"])
