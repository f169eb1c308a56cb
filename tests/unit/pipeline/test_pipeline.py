import json

import pytest

from revalign.core import config
from revalign.pipeline import deps, run, stages


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
    out = run.clean_notebook(nb)
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
    for path in stages.stage_notebooks(root):
        text = path.read_text(encoding="utf-8")
        for marker in ('"start_time"', '"end_time"', '"duration"', '"iopub.', '"papermill": {'):
            assert marker not in text, f"{path.name} carries {marker}"
        nb = json.loads(text)
        ids = [c["id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids))
        assert any("parameters" in c["metadata"].get("tags", []) for c in nb["cells"]), path.name


def _notebook(path, *sources):
    cells = [
        {"cell_type": "code", "source": src, "metadata": {}, "outputs": [], "id": f"c{i}"}
        for i, src in enumerate(sources)
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def _package(tmp_path, files: dict[str, str]):
    pkg = tmp_path / "src" / "revalign"
    for rel, text in files.items():
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return pkg


def test_notebook_modules_follow_imports_transitively(tmp_path):
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/a.py": "from .b import thing\nimport os\n",  # relative, inside core
            "core/b.py": "from . import c\nthing = 1\n",
            "core/c.py": "x = 1\n",
            "stage/__init__.py": "",
            "stage/d.py": "from ..core.e import y\n",  # relative, into a sibling package
            "core/e.py": "y = 2\n",
            "core/unused.py": "",
        },
    )
    nb = tmp_path / "n.ipynb"
    _notebook(
        nb, "%matplotlib inline\nfrom revalign.core import a\nimport pandas", "from revalign.stage.d import y as yy"
    )
    # worked out by hand: a -> b -> c; d -> e; plus the __init__ of every package passed through
    assert deps.notebook_modules(nb, pkg) == [
        "src/revalign/__init__.py",
        "src/revalign/core/__init__.py",
        "src/revalign/core/a.py",
        "src/revalign/core/b.py",
        "src/revalign/core/c.py",
        "src/revalign/core/e.py",
        "src/revalign/stage/__init__.py",
        "src/revalign/stage/d.py",
    ]


def test_a_module_that_does_not_exist_is_an_error(tmp_path):
    pkg = _package(tmp_path, {"__init__.py": "", "core/__init__.py": "", "core/a.py": "from .gone import x\n"})
    nb = tmp_path / "n.ipynb"
    _notebook(nb, "from revalign.core import a")
    with pytest.raises(deps.UnresolvedModule, match="revalign.core.gone"):
        deps.notebook_modules(nb, pkg)


def test_a_name_imported_from_a_module_is_not_a_module(tmp_path):
    pkg = _package(tmp_path, {"__init__.py": "", "core/__init__.py": "", "core/a.py": "def f():\n    pass\n"})
    nb = tmp_path / "n.ipynb"
    _notebook(nb, "from revalign.core.a import f")
    assert "src/revalign/core/a.py" in deps.notebook_modules(nb, pkg)
    _notebook(nb, "from revalign.core.a import missing_name")
    with pytest.raises(deps.UnresolvedModule):
        deps.notebook_modules(nb, pkg)


@pytest.mark.parametrize("source", ["A, B = 1, 2\n", "(A, [B, *C]) = 1, [2, 3]\n", "X: int = 0\nB = A = 1\n"])
def test_a_name_bound_by_unpacking_is_a_name_too(tmp_path, source):
    pkg = _package(tmp_path, {"__init__.py": "", "core/__init__.py": "", "core/a.py": source})
    nb = tmp_path / "n.ipynb"
    _notebook(nb, "from revalign.core.a import B")
    assert "src/revalign/core/a.py" in deps.notebook_modules(nb, pkg)
    _notebook(nb, "from revalign.core.a import D")  # bound nowhere
    with pytest.raises(deps.UnresolvedModule):
        deps.notebook_modules(nb, pkg)


def test_make_deps_lists_inputs_per_stage(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    _package(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/config.py": "",
            "bibliography/__init__.py": "",
            "bibliography/importer.py": "",
            "coding/__init__.py": "",
            "coding/segments.py": "def read():\n    pass\n",
            "alignment/__init__.py": "",
            "alignment/rule.py": "from revalign.coding.segments import read\ndef align():\n    pass\n",
            "report/__init__.py": "",
            "report/build.py": "",
        },
    )
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    imports = {
        "01_bibliography": "from revalign.core import config\nfrom revalign.bibliography import importer",
        "02_screening": "from revalign.core import config",
        "03_coding": "from revalign.coding import segments",
        "04_alignment": "from revalign.alignment.rule import align",
        "05_report": "import revalign.report.build",
    }
    for name, src in imports.items():
        _notebook(nbs / f"{name}.ipynb", 'params_file = "x"', src)
    (tmp_path / "params").mkdir()
    cbdir = tmp_path / "cb"
    cbdir.mkdir()
    (cbdir / "main.yml").write_text("base: base.yml\n")
    (cbdir / "base.yml").write_text("")
    (cbdir / "unused.yml").write_text("")  # beside the codebook, named by nothing
    p = tmp_path / "params" / "x.yml"
    p.write_text(
        "bibliography: [a.bib, b.ris]\ncodebook: cb/main.yml\nsegments: seg.csv\nnotes: n.md\n"
        "in_text_citations: cites.csv\n"
    )
    rules = {r.stage.name: r for r in deps.stage_rules(config.load(p, root=tmp_path))}
    assert list(rules) == ["bibliography", "screening", "coding", "alignment", "report"]
    d1, d2, d3, d4, d5 = (rules[k].prereqs for k in rules)
    assert "a.bib" in d1 and "b.ris" in d1 and "seg.csv" not in d1 and "cites.csv" in d1
    assert "src/revalign/bibliography/importer.py" in d1 and "src/revalign/coding/segments.py" not in d1
    assert "a.bib" not in d2 and "seg.csv" not in d2 and "cites.csv" not in d2  # stage 2 reads stage 1's files
    assert "runs/x/processed/corpus.csv" in d2 and "runs/x/processed/import_summary.csv" in d2
    assert "runs/x/processed/dedup_report.csv" not in rules["screening"].reads  # written by stage 1, read by none
    assert {"cb/main.yml", "cb/base.yml", "seg.csv", "src/revalign/coding/segments.py"} <= set(d3)
    # the codebook's base only, not every YAML file beside it; the notes file for every stage
    assert not any("unused.yml" in d for d in (d1, d2, d3, d4, d5))
    assert all("n.md" in d for d in (d1, d2, d3, d4, d5))
    # alignment imports segments, so stage 4 depends on both
    assert {"src/revalign/alignment/rule.py", "src/revalign/coding/segments.py"} <= set(d4)
    assert "src/revalign/alignment/rule.py" not in d3
    # stage 5: its notebook, the parameter file, the modules it imports, the codebook and segments it reads
    # and the files of stages 1-4 the report shows (key_statistics.png only when the parameter file names
    # key statistics: here it does not)
    assert d5[:5] == [
        "notebooks/05_report.ipynb",
        "params/x.yml",
        "src/revalign/__init__.py",
        "src/revalign/report/__init__.py",
        "src/revalign/report/build.py",
    ]
    assert {"cb/main.yml", "seg.csv", "runs/x/processed/table1.csv", "runs/x/figures/venues.png"} <= set(d5)
    assert not any("key_statistics" in d for d in d5)
    # targets: the files each stage writes, and its executed notebook
    exports = [f"runs/x/report-data/{n}.{ext}" for n in ("corpus", "screening") for ext in ("csv", "xlsx")]
    assert rules["report"].targets == ["runs/x/report.html", *exports, "runs/x/notebooks/05_report.ipynb"]
    assert "runs/x/interim/rejects.csv" in rules["bibliography"].targets
    assert "runs/x/processed/citation_audit.csv" in rules["bibliography"].targets  # in_text_citations named
    assert not any("dimension_year" in t for t in rules["coding"].targets)  # the data decide: not a Make target


def test_the_init_template_is_no_prerequisite_but_the_report_templates_are(root):
    """Package data files count for a stage when one of its modules names them (by hand: report/build.py
    names "templates" and "report.css", report/references.py "csl"; project/scaffold.py, which no
    notebook imports, names "template")."""
    modules = deps.notebook_modules(root / "notebooks" / "05_report.ipynb", root / "src" / "revalign")
    data = deps.package_data_files(modules, root)
    assert "src/revalign/report/templates/report.html.j2" in data and "src/revalign/report/report.css" in data
    assert "src/revalign/report/csl/apa.csl" in data
    assert not any("project/template" in d for d in data)


def test_deps_explain_prints_each_stage_with_its_files(root, cli):
    r = cli("deps", "--explain", "params/default.yml", cwd=root)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    names = [li.split()[0] for li in lines if li and not li.startswith((" ", "run "))]
    assert names == ["bibliography", "screening", "coding", "alignment", "report"]
    block = r.stdout.split("\nalignment ")[1].split("\nreport ")[0]
    assert "data/raw/coding/segments.csv  (segments)" in block
    assert "data/processed/corpus.csv  (from bibliography)" in block
    assert "figures/alignment_heatmap.svg" in block and "revalign.alignment.rule" in block
    assert "screening.csv" not in block  # stage 04 does not read the screening decisions


def test_generated_rules_are_one_file_per_line(root, cli):
    r = cli("deps", "params/default.yml", cwd=root)
    assert r.returncode == 0, r.stderr
    assert max(len(li) for li in r.stdout.splitlines()) < 250
    assert "  data/raw/coding/segments.csv \\\n" in r.stdout  # one prerequisite per line


def test_adjacent_stream_outputs_are_joined_whatever_the_kernel_flushed():
    # Under load the kernel may cut one print into two stream messages; the stored
    # notebook must not depend on that. Expected: one stdout output holding both texts,
    # the stderr output between two stdout outputs keeps them apart.
    nb = {
        "metadata": {},
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": "",
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["a\n", "b"]},
                    {"output_type": "stream", "name": "stdout", "text": ["c\n"]},
                    {"output_type": "stream", "name": "stderr", "text": "w\n"},
                    {"output_type": "stream", "name": "stdout", "text": "d\n"},
                ],
            }
        ],
    }
    outs = run.clean_notebook(nb)["cells"][0]["outputs"]
    assert [(o["name"], "".join(o["text"])) for o in outs] == [
        ("stdout", "a\nbc\n"),
        ("stderr", "w\n"),
        ("stdout", "d\n"),
    ]
