import json

from revalign import config, pipeline


def test_clean_notebook_removes_volatile_metadata():
    nb = {
        "metadata": {
            "papermill": {"start_time": "2026-01-01T00:00:00", "duration": 3.2},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
        "cells": [
            {
                "cell_type": "code",
                "id": "0f1e2d3c",
                "metadata": {"tags": ["injected-parameters"], "papermill": {"duration": 0.1}},
                "outputs": [],
                "source": "x = 1",
            },
            {
                "cell_type": "code",
                "id": "keep-me",
                "metadata": {"execution": {"iopub.execute_input": "2026"}, "tags": []},
                "outputs": [{"output_type": "display_data", "metadata": {"execution": 1}, "data": {}}],
                "source": "y = 2",
            },
        ],
    }
    out = pipeline.clean_notebook(nb)
    assert "papermill" not in out["metadata"]
    assert out["metadata"]["kernelspec"]["name"] == "revalign"
    assert "version" not in out["metadata"]["language_info"]
    assert out["cells"][0]["id"] == "injected-parameters"
    assert out["cells"][0]["metadata"] == {"tags": ["injected-parameters"]}
    assert out["cells"][1]["id"] == "keep-me"
    assert out["cells"][1]["metadata"] == {"tags": []}
    assert out["cells"][1]["outputs"][0]["metadata"] == {}
    assert "start_time" not in json.dumps(out)


def test_committed_notebooks_carry_no_volatile_metadata(root):
    for path in pipeline.stage_notebooks(root):
        text = path.read_text(encoding="utf-8")
        for marker in ('"start_time"', '"end_time"', '"duration"', '"iopub.', '"papermill": {'):
            assert marker not in text, f"{path.name} carries {marker}"
        nb = json.loads(text)
        ids = [c["id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids))
        assert any("parameters" in c["metadata"].get("tags", []) for c in nb["cells"]), path.name


def _notebook(path, *sources):
    cells = [{"cell_type": "code", "source": src, "metadata": {}, "outputs": [], "id": f"c{i}"} for i, src in enumerate(sources)]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_notebook_modules_follow_imports_transitively(tmp_path):
    pkg = tmp_path / "revalign"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import thing\nimport os\n")
    (pkg / "b.py").write_text("from . import c\n")
    (pkg / "c.py").write_text("x = 1\n")
    (pkg / "d.py").write_text("from revalign.e import y\n")
    (pkg / "e.py").write_text("")
    (pkg / "unused.py").write_text("")
    nb = tmp_path / "n.ipynb"
    _notebook(nb, "%matplotlib inline\nfrom revalign import a\nimport pandas", "from revalign.d import z as zz")
    assert pipeline.notebook_modules(nb, pkg) == ["__init__", "a", "b", "c", "d", "e"]


def test_make_deps_lists_inputs_per_stage(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    pkg = tmp_path / "src" / "revalign"
    pkg.mkdir(parents=True)
    for name in ("__init__", "config", "bibliography", "segments", "alignment", "report"):
        (pkg / f"{name}.py").write_text("")
    (pkg / "alignment.py").write_text("from .segments import read\n")
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    imports = {
        "01_bibliography": "from revalign import config, bibliography",
        "02_screening": "from revalign import config",
        "03_coding": "from revalign import segments",
        "04_alignment": "from revalign.alignment import align",
        "05_report": "import revalign.report",
    }
    for name, src in imports.items():
        _notebook(nbs / f"{name}.ipynb", 'params_file = "x"', src)
    (tmp_path / "params").mkdir()
    cbdir = tmp_path / "cb"
    cbdir.mkdir()
    (cbdir / "main.yml").write_text("")
    (cbdir / "base.yml").write_text("")
    p = tmp_path / "params" / "x.yml"
    p.write_text("bibliography: [a.bib, b.ris]\ncodebook: cb/main.yml\nsegments: seg.csv\n")
    deps = dict(line.split(" := ") for line in pipeline.make_deps(config.load(p, root=tmp_path)).splitlines())
    assert set(deps) == {"DEPS_01", "DEPS_02", "DEPS_03", "DEPS_04", "DEPS_05"}
    d1, d2, d3, d4, d5 = (deps[f"DEPS_0{i}"].split() for i in range(1, 6))
    assert "a.bib" in d1 and "b.ris" in d1 and "seg.csv" not in d1
    assert "src/revalign/bibliography.py" in d1 and "src/revalign/segments.py" not in d1
    assert "a.bib" not in d2 and "seg.csv" not in d2  # stage 2 reads only stage 1's files
    assert {"cb/main.yml", "cb/base.yml", "seg.csv", "src/revalign/segments.py"} <= set(d3)
    # alignment imports segments, so stage 4 depends on both
    assert {"src/revalign/alignment.py", "src/revalign/segments.py"} <= set(d4)
    assert "src/revalign/alignment.py" not in d3
    assert d5 == ["src/revalign/__init__.py", "src/revalign/report.py"]
