"""What ``python -m revalign bib import`` loads: only what reading and de-duplicating need.

At a few hundred records the command's time is its start-up (benchmarks/README.md, tafenoquine),
so a module that this path imports without using it is a cost every user pays. No timing here:
the test lists the top-level packages a real subprocess has imported when it ends.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "bib"

# the plotting, notebook, template and progress-bar stacks: none is needed to read, merge and write
NOT_ON_THE_IMPORT_PATH = {"matplotlib", "seaborn", "jinja2", "nbformat", "papermill", "pydantic", "tqdm", "scipy"}

PROBE = """
import json, sys
from revalign import cli
code = cli.main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _loaded(tmp_path: Path, *args: str) -> tuple[int, set[str]]:
    p = subprocess.run(
        [sys.executable, "-c", PROBE, "bib", "import", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CI": "true"},
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout.strip().splitlines()[-1])
    return out["code"], set(out["modules"])


def test_bib_import_loads_no_plotting_notebook_or_progress_stack(tmp_path):
    code, mods = _loaded(tmp_path, str(FIX / "zotero.json"), str(FIX / "refs.bib"), "-o", "corpus.csv", "-q")
    assert code == 0
    assert (tmp_path / "corpus.csv").exists()
    assert "pandas" in mods and "revalign" in mods  # the probe saw the real run
    assert mods & NOT_ON_THE_IMPORT_PATH == set()


def test_no_progress_bar_means_no_tqdm():
    # off a terminal the bar is nowhere (CI set): the iterable comes back as it is
    from revalign.core.progress import progress

    items = [1, 2, 3]
    assert progress(items, enabled=False) is items
