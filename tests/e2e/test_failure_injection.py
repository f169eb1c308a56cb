"""A stage that fails part-way leaves the previous good outputs byte-identical.

We build a tiny project in a temporary directory with one notebook that rewrites
an existing result, adds a new file and a figure, then raises. After the failed
run every file must be as it was, and no temporary file may remain. The failure is
reported with the cell, the last frames of its traceback and the failed notebook,
kept in interim/failed/ (the only file added; Make's own .make/ holds the run's lock).
"""

import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

PARAMS = """\
bibliography: [in.bib]
codebook: cb.yml
segments: seg.csv
"""

FAILING_CELL = """\
from revalign.core import atomic
from revalign.core import config
cfg = config.load(params_file)
atomic.write_text(cfg.processed_dir / "table1.csv", "dimension,level\\nx,broken\\n")
atomic.write_text(cfg.processed_dir / "new.csv", "half\\n")
atomic.write_text(cfg.figures_dir / "fig.svg", "<svg/>")
raise RuntimeError("injected failure after writing three files")
"""


def _project(tmp_path, cell):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True)
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "trial.yml").write_text(PARAMS)
    for name in ("in.bib", "cb.yml", "seg.csv"):
        (tmp_path / name).write_text("x")
    nb = new_notebook()
    nb.cells = [
        new_code_cell('params_file = "params/trial.yml"', id="p", metadata={"tags": ["parameters"]}),
        new_code_cell(cell, id="work"),
    ]
    nb.metadata["kernelspec"] = {"name": "revalign", "display_name": "revalign", "language": "python"}
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "stage.ipynb")
    out = tmp_path / "runs" / "trial"
    (out / "processed").mkdir(parents=True)
    (out / "processed" / "table1.csv").write_text("dimension,level\nx,good\n")
    (out / "notebooks").mkdir()
    (out / "notebooks" / "stage.ipynb").write_text("previous executed notebook\n")
    return out


def _snapshot(root):
    """Every file of the run's folder but Make's own (.make/: the run's lock) and a kept failed notebook."""
    return {
        p.relative_to(root): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".make" not in p.parts and "failed" not in p.relative_to(root).parts
    }


def _run(tmp_path):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "revalign",
            "run-notebook",
            "notebooks/stage.ipynb",
            "--params",
            "params/trial.yml",
            "-o",
            "runs/trial/notebooks/stage.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )


def test_failing_stage_restores_previous_outputs(tmp_path):
    out = _project(tmp_path, FAILING_CELL)
    before = _snapshot(out)
    r = _run(tmp_path)
    assert r.returncode == 1, r.stderr
    lines = r.stderr.splitlines()
    assert lines[0] == (
        "error: notebooks/stage.ipynb: cell 2 (id work) failed: RuntimeError: injected failure after writing three files"
    )
    assert '----> 7 raise RuntimeError("injected failure after writing three files")' in r.stderr  # its frame
    assert lines[-1].startswith("the failed notebook: runs/trial/interim/failed/stage.ipynb")
    kept = nbformat.read(out / "interim" / "failed" / "stage.ipynb", as_version=4)
    assert kept.cells[-1].outputs[-1]["ename"] == "RuntimeError"
    assert _snapshot(out) == before
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") and ".tmp" in p.name]
    assert leftovers == []


def test_input_error_in_a_notebook_is_one_line_exit_2(tmp_path):
    cell = "from revalign.core.errors import InputError\nraise InputError('seg.csv', 'unknown dimension \\'x\\'', 7)\n"
    out = _project(tmp_path, cell)
    before = _snapshot(out)
    r = _run(tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["error: seg.csv:7: unknown dimension 'x'"]
    assert _snapshot(out) == before
    assert not (out / "interim" / "failed").exists()  # bad input: the line says it all


def test_successful_stage_writes_outputs(tmp_path):
    cell = "from revalign.core import atomic, config\ncfg = config.load(params_file)\natomic.write_text(cfg.processed_dir / 'ok.csv', 'a\\n')\n"
    out = _project(tmp_path, cell)
    r = _run(tmp_path)
    assert r.returncode == 0, r.stderr
    assert (out / "processed" / "ok.csv").read_text() == "a\n"
    executed = nbformat.read(out / "notebooks" / "stage.ipynb", as_version=4)
    # the value goes into the parameters cell itself (no second injected-parameters cell),
    # so an edit of that cell in JupyterLab is what the notebook runs with
    assert [c["id"] for c in executed.cells] == ["p", "work"]
    assert executed.cells[0].source == 'params_file = "params/trial.yml"'

    assert "papermill" not in executed.metadata
