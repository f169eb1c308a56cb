"""The parameters cell: the names a stage knows, values written into the cell, overrides
validated like the parameter file, and where an interactive run writes."""

import subprocess

import pytest

from revalign.core import config
from revalign.core.errors import InputError
from revalign.pipeline import guard, run
from revalign.project import notebook

CELL = """# Parameters
params_file = "params/default.yml"  # the parameter file
lang = None  # label language
thresholds = None  # lowest first
"""

PARAMS = (
    "bibliography: [bib/refs.bib]\ncodebook: cb.yml\nsegments: seg.csv\nalignment:\n  thresholds: [-0.5, 0.0, 0.5]\n"
)


def _cfg(tmp_path, name="trial", text=PARAMS, **kwargs):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True, exist_ok=True)
    (tmp_path / "params").mkdir(exist_ok=True)
    p = tmp_path / "params" / f"{name}.yml"
    p.write_text(text)
    return config.load(p, root=tmp_path, **kwargs)


def test_set_parameters_replaces_values_and_keeps_comments():
    out = run.set_parameters(CELL, {"params_file": "params/x.yml", "thresholds": [-0.4, 0, 0.4]}, "nb")
    assert out.splitlines() == [
        "# Parameters",
        'params_file = "params/x.yml"  # the parameter file',
        "lang = None  # label language",
        "thresholds = [-0.4, 0, 0.4]  # lowest first",
    ]
    assert run.set_parameters(CELL, {"params_file": "params/default.yml"}, "nb") == CELL.rstrip("\n")


def test_a_name_the_cell_does_not_assign_is_an_error():
    with pytest.raises(
        InputError, match="the notebook has no parameter 'treshold'; its parameters are params_file, lang"
    ):
        run.set_parameters(CELL, {"treshold": 1}, "nb")


def test_each_stage_knows_its_own_overrides():
    assert notebook.stage_parameters("alignment") == [
        "params_file",
        "lang",
        "thresholds",
        "grade_shift",
        "bootstrap_replicates",
    ]
    assert notebook.stage_parameters("screening") == ["params_file", "lang", "year_min", "year_max"]
    assert notebook.stage_parameters("report") == ["params_file", "lang"]
    notebook.check_names("alignment", ["params_file", "thresholds"])
    with pytest.raises(
        InputError, match=r"'seed': not a parameter of this notebook; its parameters are params_file, lang\b"
    ):
        notebook.check_names("report", ["params_file", "seed"])
    with pytest.raises(InputError, match="'year_min'"):  # the screening window is not the alignment stage's
        notebook.overrides_for("alignment", {"year_min": 2020})


def test_overrides_are_validated_like_the_file_and_named_as_the_cells(tmp_path):
    cfg = _cfg(tmp_path, overrides={"alignment.thresholds": [-0.4, 0.1, 0.4], "lang": "id"})
    assert cfg.params.alignment.thresholds == [-0.4, 0.1, 0.4]
    assert cfg.lang == "id"
    with pytest.raises(InputError) as exc:
        _cfg(tmp_path, overrides={"alignment.thresholds": [0.5, 0.0]})
    assert str(exc.value) == (
        "error: the parameters cell: alignment.thresholds: thresholds must increase strictly, got [0.5, 0.0]; "
        "list them from lowest to highest"
    )
    with pytest.raises(InputError, match=r"^error: the parameters cell: alignment.bootstrap.replicates: "):
        _cfg(tmp_path, overrides={"alignment.bootstrap.replicates": -1})


def test_an_interactive_run_writes_to_runs_lab_and_reads_earlier_stages_where_they_are(tmp_path):
    regular = _cfg(tmp_path)
    cfg = _cfg(tmp_path, output_dir=notebook.lab_dir(regular), reads_from=regular)
    from revalign.pipeline.stages import stage_files

    out = stage_files(cfg, "alignment")
    assert out["table1.csv"] == tmp_path / "runs/lab/trial/processed/table1.csv"
    # corpus.csv (bibliography's) is read from the run's own folder until this session writes one
    assert out["corpus.csv"] == tmp_path / "runs/trial/processed/corpus.csv"
    (tmp_path / "runs/lab/trial/processed").mkdir(parents=True)
    (tmp_path / "runs/lab/trial/processed/corpus.csv").write_text("x\n")
    assert out["corpus.csv"] == tmp_path / "runs/lab/trial/processed/corpus.csv"
    assert "`runs/lab/trial/`" in notebook.where_outputs_go(cfg, {})


def test_the_run_name_lab_is_kept_for_interactive_runs(tmp_path):
    with pytest.raises(InputError, match="the run name 'lab' is kept for interactive runs"):
        _cfg(tmp_path, name="lab")


# ---- the run's lock and links ----------------------------------------------------------


def test_the_lock_is_free_reentrant_for_its_owner_and_refused_to_another_live_process(tmp_path):
    cfg = _cfg(tmp_path)
    lock = guard.acquire(cfg, owner=4242424, wait=False)  # no such process: taken over at once below
    assert lock == tmp_path / "runs/trial/.make/lock"
    holder = subprocess.Popen(["sleep", "30"])
    try:
        guard.acquire(cfg, owner=holder.pid, wait=False)  # a dead owner's lock is free
        guard.acquire(cfg, owner=holder.pid, wait=False)  # the same owner again: fine
        with pytest.raises(
            InputError, match=f"another run of this parameter file is in progress \\(process {holder.pid}\\)"
        ):
            guard.acquire(cfg, owner=1 if holder.pid != 1 else 2, wait=False)
    finally:
        holder.kill()
        holder.wait()
    guard.acquire(cfg, owner=12345678, wait=False)  # the holder ended: free again


def test_no_write_through_a_link_below_the_run_folder(tmp_path):
    cfg = _cfg(tmp_path)
    outside = tmp_path.parent / (tmp_path.name + "-outside")
    outside.mkdir()
    (tmp_path / "runs" / "trial").mkdir(parents=True)
    (tmp_path / "runs" / "trial" / ".make").symlink_to(outside)
    with pytest.raises(InputError, match=r"runs/trial/\.make is a symbolic link"):
        guard.write_text(cfg, tmp_path / "runs/trial/.make/deps.mk", "x\n")
    with pytest.raises(InputError, match=r"runs/trial/\.make is a symbolic link"):
        guard.acquire(cfg, wait=False)
    assert list(outside.iterdir()) == []
