import pytest

from revalign.core import config
from revalign.core.errors import InputError

MINIMAL = """\
bibliography: [data/raw/bibliography/references.bib]
codebook: data/raw/codebook/aect2023.yml
segments: data/raw/coding/segments.csv
"""


def _write(tmp_path, name, text):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True, exist_ok=True)
    (tmp_path / "params").mkdir(exist_ok=True)
    p = tmp_path / "params" / name
    p.write_text(text)
    return p


def test_default_run_writes_to_committed_locations(tmp_path):
    p = _write(tmp_path, "default.yml", MINIMAL)
    cfg = config.load(p, root=tmp_path)
    assert cfg.name == "default"
    assert cfg.processed_dir == tmp_path / "data" / "processed"
    assert cfg.figures_dir == tmp_path / "figures"
    assert cfg.report_path == tmp_path / "reports" / "report.html"
    assert cfg.lang == "en"  # default
    assert cfg.bibliography_files == [tmp_path / "data/raw/bibliography/references.bib"]


def test_other_runs_write_under_runs_name(tmp_path):
    p = _write(tmp_path, "mine.yml", MINIMAL + "lang: id\n")
    cfg = config.load(p, root=tmp_path)
    assert cfg.processed_dir == tmp_path / "runs" / "mine" / "processed"
    assert cfg.figures_dir == tmp_path / "runs" / "mine" / "figures"
    assert cfg.report_path == tmp_path / "runs" / "mine" / "report.html"
    assert cfg.notebooks_dir == tmp_path / "runs" / "mine" / "notebooks"
    assert cfg.lang == "id"


def test_a_single_bibliography_path_is_accepted(tmp_path):
    p = _write(tmp_path, "one.yml", MINIMAL.replace("[data/raw/bibliography/references.bib]", "refs.ris"))
    assert config.load(p, root=tmp_path).params.bibliography == ["refs.ris"]


@pytest.mark.parametrize(
    "extra, line, fragment",
    [
        ("framework: AECT-2023\n", 4, "framework"),
        ("lang: French\n", 4, "lang"),
        (
            "screening:\n  year_min: 2030\n  year_max: 2020\n",
            6,
            "screening.year_max: year_min (2030) is after year_max (2020)",
        ),
        ("screening:\n  year_min: soon\n", 5, "screening.year_min"),
        ("colour: blue\n", 4, "colour: unknown key"),
    ],
)
def test_bad_values_name_key_and_line(tmp_path, extra, line, fragment):
    p = _write(tmp_path, "bad.yml", MINIMAL + extra)
    with pytest.raises(InputError) as exc:
        config.load(p, root=tmp_path)
    assert exc.value.line == line
    assert fragment in exc.value.message
    assert exc.value.format().startswith(f"error: {p}:{line}: ")


def test_missing_required_key(tmp_path):
    p = _write(tmp_path, "bad.yml", "codebook: x.yml\nsegments: s.csv\n")
    with pytest.raises(InputError, match="bibliography: required key is missing"):
        config.load(p, root=tmp_path)


def test_missing_input_file_is_reported(tmp_path):
    p = _write(tmp_path, "default.yml", MINIMAL)
    cfg = config.load(p, root=tmp_path)
    with pytest.raises(
        InputError, match="bibliography: input file data/raw/bibliography/references.bib does not exist"
    ):
        cfg.check_inputs_exist()
    cfg.check_inputs_exist(keys=())  # nothing asked for, nothing checked


def test_repo_root_found_from_a_subdirectory(root):
    assert config.repo_root(root / "notebooks") == root


def test_rel_shows_paths_inside_the_repo_relative_and_others_as_given(tmp_path):
    p = _write(tmp_path, "default.yml", MINIMAL)
    cfg = config.load(p, root=tmp_path)
    assert cfg.rel(tmp_path / "data" / "processed" / "table1.csv") == "data/processed/table1.csv"
    assert cfg.rel("/elsewhere/x.csv") == "/elsewhere/x.csv"
    assert cfg.summary()["params_file"] == "params/default.yml"


def test_old_weight_keys_still_read_as_term_weights_given_to_facets_and_contexts_by_the_codebook():
    # A parameter file written for the first release gave one '<term>_weight' key per weighted
    # term; it must keep working (issue 12), for any codebook's terms, not only the published one's.
    from revalign.alignment.units import context_weights, facet_weights
    from revalign.core.codebook import Codebook
    from revalign.core.config import Alignment

    a = Alignment.model_validate({"rigour_weight": 0.25, "rural_weight": 2.0, "context_weights": {"urban": 0.5}})
    assert a.term_weights == {"rigour": 0.25, "rural": 2.0}
    cb = Codebook.model_validate(
        {
            "framework": {"id": "f", "name": "F", "definition": "D"},
            "components": [{"id": "c", "label": "C", "phrase": "c", "description": "C"}],
            "themes": [{"id": "t", "label": "T"}],
            "polarity": [
                {"id": "plus", "label": "Plus", "role": "strength"},
                {"id": "minus", "label": "M", "role": "gap"},
            ],
            "facet": [{"id": "rigour", "label": "Rigour"}, {"id": "reach", "label": "Reach", "weight": 3}],
            "context": [{"id": "rural", "label": "Rural"}, {"id": "urban", "label": "Urban"}],
            "levels": [{"rank": 0, "id": "lo", "label": "Lo"}, {"rank": 1, "id": "hi", "label": "Hi"}],
        }
    )
    # by hand: codebook weights default to 1 (reach declares 3); term weights go to the kind that has the id
    assert facet_weights(cb, a) == {"rigour": 0.25, "reach": 3}
    assert context_weights(cb, a) == {"rural": 2.0, "urban": 0.5}
    # the explicit mapping wins over the old form
    b = Alignment.model_validate({"rigour_weight": 0.25, "facet_weights": {"rigour": 4}})
    assert facet_weights(cb, b)["rigour"] == 4


def test_screening_keywords_by_language_in_every_form():
    from revalign.core.config import Screening

    by_lang = Screening(keywords={"es": ["credenciales"], "en": ["badges"]})
    assert by_lang.all_keywords == ["credenciales", "badges"]
    assert Screening(keywords=["badges", "insignias"]).keywords == {"en": ["badges", "insignias"]}
    # the form of earlier parameter files: keywords_<lang>, merged into the mapping
    old = Screening.model_validate({"keywords_en": ["badges"], "keywords_pt": ["credenciais"]})
    assert old.keywords == {"en": ["badges"], "pt": ["credenciais"]}
    both = Screening.model_validate({"keywords": {"en": ["a"]}, "keywords_en": ["b"]})
    assert both.keywords == {"en": ["a", "b"]}
    with pytest.raises(ValueError):
        Screening.model_validate({"keywords": "badges"})


def test_run_config_names_every_parameter_as_an_attribute():
    # issue 28: RunConfig.__getattr__ hid what a config has; each field of Params is an explicit property
    from revalign.core.config import Params, RunConfig

    assert "__getattr__" not in vars(RunConfig)
    missing = [f for f in Params.model_fields if not isinstance(vars(RunConfig).get(f), property)]
    assert missing == []
