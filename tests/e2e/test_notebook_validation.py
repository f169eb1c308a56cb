"""`make nbval`, the first step of `make test`, validates the notebooks as they are in the project.

In a copy of the project, one number shown by notebook 02 (the first number a cell prints on a
line of its own) and its figure (one pixel changed) are mutated in the stored
outputs, as a stale committed notebook would hold them. `make nbval` must fail, name the
notebook and both cells, show the mutated value against the value the code produces, and leave
every file of the copy as it was. The unmutated notebook passes (so the test can tell).
Only notebook 02 is validated (NOTEBOOKS=...), to keep the test short; it reads the committed
files of stage 01, which are in the copy.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from project_copy import link_environment, make

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
NB = "notebooks/02_screening.ipynb"


def _ignore(folder, names):
    return [n for n in names if n in {".venv", ".git", "runs", "__pycache__", ".pytest_cache", "benchmarks"}]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("nbval") / "revalign"
    shutil.copytree(ROOT, tmp, ignore=_ignore, symlinks=True)
    link_environment(tmp)
    return tmp


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".venv" not in p.parts
    }


def _outputs(nb: dict, cell_id: str) -> list[dict]:
    return next(c for c in nb["cells"] if c.get("id") == cell_id)["outputs"]


def test_the_committed_notebook_passes(project):
    before = _digest(project)
    r = make(project, "nbval", f"NOTEBOOKS={NB}")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "notebooks valid: 02_screening.ipynb" in r.stdout
    assert _digest(project) == before


def test_a_mutated_number_and_figure_fail_naming_notebook_and_cells(project):
    from PIL import Image  # matplotlib's dependency

    path = project / NB
    original = path.read_bytes()
    nb = json.loads(original)
    # the number: the first number a cell prints on a line of its own ("year_max: 2025"), plus 1000
    # (found, not named, so that the test follows the notebook's prose); the cell and the line kept
    number_cell, line, new_line = None, None, None
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stdout" and number_cell is None:
                text = "".join(o["text"])
                m = re.search(r"(?m)^([^\n]*?)(\d+)$", text)
                if m:
                    number_cell, line = cell["id"], m.group(0)
                    new_line = m.group(1) + str(int(m.group(2)) + 1000)
                    o["text"] = text.replace(line, new_line, 1).splitlines(keepends=True)
    assert number_cell is not None
    # the figure: one pixel of the stored PRISMA diagram turned red
    figure_cell = next(
        c["id"]
        for c in nb["cells"]
        if c["id"] != number_cell and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
    )
    image = next(o for o in _outputs(nb, figure_cell) if "image/png" in o.get("data", {}))
    im = Image.open(io.BytesIO(base64.b64decode(image["data"]["image/png"]))).convert("RGBA")
    im.putpixel((3, 3), (255, 0, 0, 255))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    image["data"]["image/png"] = base64.b64encode(buf.getvalue()).decode() + "\n"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    try:
        before = _digest(project)
        r = make(project, "nbval", f"NOTEBOOKS={NB}")
        out = r.stdout + r.stderr
        assert r.returncode != 0, out[-3000:]
        assert "error: notebooks/02_screening.ipynb, cell " in out and f"(id {number_cell})" in out, out[-4000:]
        assert f"-{new_line}\n" in out  # committed ...
        assert f"+{line}\n" in out  # ... against new
        assert f"(id {figure_cell})" in out and "figure (image/png) differs:" in out
        assert "Nothing in the project was changed" in out
        assert _digest(project) == before  # the failing validation wrote nothing into the project
        # and make test's notebook step is this one, before anything regenerates the notebooks
        dry = make(project, "-n", "test")
        lines = [li for li in dry.stdout.splitlines() if "revalign.pipeline.validate" in li or "run-notebook" in li]
        assert lines and "revalign.pipeline.validate" in lines[0], dry.stdout[-2000:]
    finally:
        path.write_bytes(original)
