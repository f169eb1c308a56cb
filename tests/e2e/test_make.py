"""The Makefile's promises: nothing reruns when nothing changed, a change reruns only
what is downstream of it, and a non-default parameter file writes only under runs/NAME/.

These tests expect `make report` to have run first (`make test` does that).
"""

import hashlib
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.e2e

if shutil.which("make") is None:  # pragma: no cover
    pytest.skip("GNU make is not installed", allow_module_level=True)


def _make(root, *args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=root, capture_output=True, text=True)


def _stages_that_would_run(root, *args):
    r = _make(root, "-n", "report", *args)
    assert r.returncode == 0, r.stderr
    return sorted({line.split("notebooks/")[1][:2] for line in r.stdout.splitlines() if "run-notebook" in line})


def _digest(root, dirs):
    h = {}
    for d in dirs:
        for p in sorted((root / d).rglob("*")):
            if p.is_file():
                h[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return h


def test_second_report_runs_nothing(root):
    assert _make(root, "-q", "report").returncode == 0, "make report is not up to date after a run"
    assert _stages_that_would_run(root) == []


@pytest.mark.parametrize(
    "changed, expected",
    [
        ("data/raw/coding/segments.csv", ["03", "04", "05"]),
        ("data/raw/bibliography/references.bib", ["01", "02", "03", "04", "05"]),
        ("data/raw/published/table1_published.csv", ["04", "05"]),
        ("notebooks/05_report.ipynb", ["05"]),
        ("src/revalign/alignment/rule.py", ["04", "05"]),
        ("params/default.yml", ["01", "02", "03", "04", "05"]),
    ],
)
def test_a_change_reruns_only_downstream_stages(root, changed, expected):
    assert (root / changed).exists()
    assert _stages_that_would_run(root, "-W", changed) == expected


def test_other_parameter_file_writes_only_under_runs(root):
    committed = ["data/processed", "figures", "notebooks"]
    before = _digest(root, committed)
    r = _make(root, "report", "PARAMS=params/aect2008.yml")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    out = root / "runs" / "aect2008"
    for rel in ("processed/table1.csv", "processed/prisma.json", "notebooks/04_alignment.ipynb", "report.html"):
        assert (out / rel).is_file(), rel
    assert (out / "figures" / "alignment_heatmap.png").is_file()
    assert _digest(root, committed) == before
    # and a second run of it does nothing
    assert _make(root, "-q", "report", "PARAMS=params/aect2008.yml").returncode == 0


def test_re_executing_a_stage_reproduces_its_committed_bytes(root, tmp_path):
    """Run stage 04 again (into a scratch notebook): the executed notebook must equal the
    committed one byte for byte, and no committed table or figure may change."""
    committed = ["data/processed", "figures"]
    before = _digest(root, committed)
    out = tmp_path / "04_alignment.ipynb"
    r = subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "-m", "revalign", "run-notebook", "notebooks/04_alignment.ipynb",
         "--params", "params/default.yml", "-o", str(out)],
        cwd=root, capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == (root / "notebooks" / "04_alignment.ipynb").read_bytes()
    assert _digest(root, committed) == before
