"""The Makefile is the pipeline's real DAG.

Each stage's targets are the files it writes; its prerequisites are its notebook, the
parameter file, every package file it imports (followed through the package), its input
files and the earlier stages' files it reads. Checked here, mostly with ``make -n`` / ``-q``
(fast), in a copy of the project whose files keep their modification times:

- nothing changed: nothing planned, and ``make -q report`` says up to date;
- each output deleted: exactly its stage and the stages downstream of it are planned;
- each package module touched: exactly the stages importing it (and downstream);
- a notebook that starts importing another module: the rules are recomputed;
- a module that cannot be resolved: an error, not a silent skip;
- ``-j2`` plans each stage once; a real ``make -j2 report PARAMS=params/aect2008.yml``
  writes only under runs/aect2008/ and a second one does nothing.

The expected stages are worked out by hand from what each notebook reads (not from the
registry): screening reads the corpus and import summary of bibliography; coding reads the
corpus and the screening decisions; alignment reads the corpus; report reads files of all
four. Stages are named, as in the registry and the Makefile; the numbers are only the
notebooks' file-name prefixes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from project_copy import link_environment, make, make_env

pytestmark = pytest.mark.e2e

if shutil.which("make") is None:  # pragma: no cover
    pytest.skip("GNU make is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]

# downstream of each stage, by hand (see the module docstring)
DOWNSTREAM = {
    "bibliography": ["bibliography", "screening", "coding", "alignment", "report"],
    "screening": ["screening", "coding", "report"],
    "coding": ["coding", "report"],
    "alignment": ["alignment", "report"],
    "report": ["report"],
}

# Every file the default run writes, by stage: the committed results (git ls-files
# data/processed figures) plus data/interim/rejects.csv, the spreadsheet copies of the corpus and
# the screening decisions that stages 01 and 02 write (data/interim/*_export.{csv,xlsx}, by
# revalign.core.exports), reports/report.html and those copies beside it (reports/report-data/,
# as src/revalign/report/exports.py places them), which are not committed. dimension_year.* is written only when the corpus has abstracts (it has not).
OUTPUTS = {
    "bibliography": [
        "data/processed/corpus.csv",
        "data/processed/dedup_report.csv",
        "data/processed/import_summary.csv",
        "data/processed/citation_audit.csv",
        "data/interim/rejects.csv",
        "data/interim/corpus_export.csv",
        "data/interim/corpus_export.xlsx",
        "data/interim/corpus_summary.json",
        "data/interim/corpus_lookup.arrow",
        "figures/works_per_year.png",
        "figures/works_per_year.svg",
        "figures/source_types.png",
        "figures/source_types.svg",
        "figures/venues.png",
        "figures/venues.svg",
    ],
    "screening": [
        "data/processed/screening.csv",
        "data/processed/prisma.json",
        "data/processed/screening_decisions.csv",
        "data/processed/screening_agreement.csv",
        "data/interim/screening_export.csv",
        "data/interim/screening_export.xlsx",
        "figures/prisma_flow.png",
        "figures/prisma_flow.svg",
    ],
    "coding": [
        "data/processed/unused_references.csv",
        "data/processed/matrix_theme_dimension.csv",
        "data/processed/evidence_map.csv",
        "data/processed/sourcetype_dimension.csv",
        "data/processed/autocoder_disagreements.csv",
        "data/processed/vocabulary_check.json",
        "figures/theme_dimension_heatmap.png",
        "figures/theme_dimension_heatmap.svg",
        "figures/evidence_map.png",
        "figures/evidence_map.svg",
        "figures/sourcetype_dimension.png",
        "figures/sourcetype_dimension.svg",
        "figures/key_statistics.png",
        "figures/key_statistics.svg",
        "figures/autocoder_confusion.png",
        "figures/autocoder_confusion.svg",
    ],
    "alignment": [
        "data/processed/table1.csv",
        "data/processed/table1.md",
        "data/processed/table1.tex",
        "data/processed/table1.xlsx",
        "data/processed/bootstrap.csv",
        "data/processed/sensitivity.csv",
        "data/processed/leave_one_out.csv",
        "data/processed/cerqual_profile.csv",
        "data/processed/specification.csv",
        "figures/alignment_heatmap.png",
        "figures/alignment_heatmap.svg",
        "figures/coverage_heatmap.png",
        "figures/coverage_heatmap.svg",
        "figures/evidence_gap_map.png",
        "figures/evidence_gap_map.svg",
        "figures/sensitivity.png",
        "figures/sensitivity.svg",
    ],
    "report": [
        "reports/report.html",
        "reports/report-data/corpus.csv",
        "reports/report-data/corpus.xlsx",
        "reports/report-data/screening.csv",
        "reports/report-data/screening.xlsx",
    ],
}

# A module touched -> the stages that import it (by reading the notebooks' and modules'
# imports), then everything downstream of those.
MODULES = {
    "src/revalign/alignment/rule.py": ["alignment", "report"],  # notebook 04
    "src/revalign/alignment/sensitivity.py": ["alignment", "report"],
    "src/revalign/screening/prisma.py": ["screening", "coding", "report"],  # notebook 02
    "src/revalign/bibliography/citation_audit.py": [
        "bibliography",
        "screening",
        "coding",
        "alignment",
        "report",
    ],  # notebook 01
    "src/revalign/coding/vocabulary_check.py": ["coding", "report"],  # notebook 03
    "src/revalign/coding/segments.py": ["coding", "alignment", "report"],  # notebook 03, alignment.rule, report.build
    "src/revalign/qda/model.py": ["coding", "alignment", "report"],  # via coding.segments -> qda.importer
    "src/revalign/report/build.py": ["report"],
    "src/revalign/report/csl/apa.csl": ["report"],  # a data file of the report package
    "src/revalign/core/config.py": ["bibliography", "screening", "coding", "alignment", "report"],
    "src/revalign/pipeline/stages.py": [
        "bibliography",
        "screening",
        "coding",
        "alignment",
        "report",
    ],  # every notebook uses the registry
    "src/revalign/pipeline/run.py": [],  # the runner: no notebook imports it
    "src/revalign/pipeline/deps.py": [],  # recomputes the rules, reruns nothing
    "src/revalign/cli.py": [],
    "src/revalign/pipeline/guard.py": [],  # the Makefile's helper: no notebook imports it
    "src/revalign/project/template/params.yml": [],  # the init template: data of a module no notebook imports
    "src/revalign/report/templates/report.html.j2": ["report"],  # named by report/build.py
}


def planned(tmp: Path, *args: str) -> list[str]:
    """Stages `make -n report` would run, by name (in order, repeated if planned twice)."""
    r = make(tmp, "-n", "report", *args)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return re.findall(r"\] stage (\w+): ", r.stdout)


def _ignore(folder, names):
    skip = {".venv", ".git", "runs", "__pycache__", ".pytest_cache", ".hypothesis", "benchmarks"}
    return [n for n in names if n in skip]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with the modification times of the original, up to date.

    The original is up to date after `make report` (make test runs it first); otherwise the
    copy is brought up to date with `make -t` (touch), which is all that planning needs.
    """
    tmp = tmp_path_factory.mktemp("project") / "revalign"
    shutil.copytree(ROOT, tmp, ignore=_ignore, symlinks=True)
    link_environment(tmp)
    if make(tmp, "-q", "report").returncode != 0:
        for d in ("data/processed", "data/interim", "figures", "reports/report-data"):
            (tmp / d).mkdir(parents=True, exist_ok=True)  # make -t does not create folders
        r = make(tmp, "-t", "report")
        assert r.returncode == 0, r.stderr
    assert make(tmp, "-q", "report").returncode == 0
    return tmp


def _touch(path: Path) -> tuple[int, int]:
    """Make *path* newer than every output; return its old times to restore.

    The time is read from the fine clock and given explicitly: `os.utime(path)` alone lets the
    kernel stamp the file from its coarse clock (a few milliseconds a tick), which can equal the
    time `make -t` gave the outputs a moment earlier, and make then sees nothing newer (seen once
    in CI). The coarse clock never runs ahead of the fine one, so this time is strictly later.
    """
    st = path.stat()
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    return st.st_atime_ns, st.st_mtime_ns


def test_nothing_changed_plans_nothing(project):
    assert make(project, "-q", "report").returncode == 0
    assert planned(project) == []
    r = make(project, "report")
    assert r.returncode == 0 and "run-notebook" not in r.stdout and "revalign deps" not in r.stdout, r.stdout


def test_the_registry_declares_exactly_the_committed_results(project):
    """OUTPUTS (by hand) is what git holds, and what the rules of the default run make."""
    tracked = subprocess.run(
        ["git", "ls-files", "data/processed", "figures"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    by_hand = sorted(p for files in OUTPUTS.values() for p in files if p.startswith(("data/processed", "figures")))
    assert sorted(tracked) == by_hand
    deps_mk = project / "data/interim/.make/deps.mk"
    for name, files in OUTPUTS.items():
        # one pattern rule per stage, each target with the stem '%' for the dot of its extension
        targets = _var_of(deps_mk, f"{name}_OUTPUTS")
        assert [t.replace("%", ".") for t in targets] == files


@pytest.mark.parametrize("stage, output", [(k, f) for k, files in OUTPUTS.items() for f in files])
def test_deleting_an_output_replans_its_stage_and_downstream(project, stage, output):
    path = project / output
    saved = path.with_name(path.name + ".saved")
    path.rename(saved)
    try:
        assert planned(project) == DOWNSTREAM[stage]
    finally:
        saved.rename(path)
    assert planned(project) == []


@pytest.mark.parametrize("module, expected", MODULES.items())
def test_touching_a_module_replans_exactly_the_stages_importing_it(project, module, expected):
    path = project / module
    times = _touch(path)
    try:
        assert planned(project) == expected
    finally:
        os.utime(path, ns=times)
    assert planned(project) == []


def test_editing_an_input_replans_the_stages_reading_it(project):
    for rel, expected in [
        ("data/raw/coding/segments.csv", ["coding", "alignment", "report"]),
        ("data/raw/published/table1_published.csv", ["alignment", "report"]),
        ("data/raw/bibliography/in_text_citations.csv", DOWNSTREAM["bibliography"]),  # named in_text_citations
        ("data/raw/codebook/aect2008.yml", []),  # beside the codebook, but not its base: read by no stage
        ("data/raw/notes/published_review.md", DOWNSTREAM["bibliography"]),  # every notebook shows its notes
        ("params/default.yml", DOWNSTREAM["bibliography"]),
        ("notebooks/02_screening.ipynb", DOWNSTREAM["screening"]),
    ]:
        times = _touch(project / rel)
        try:
            assert planned(project) == expected, rel
        finally:
            os.utime(project / rel, ns=times)


def _add_cell(notebook: Path, source: str) -> bytes:
    before = notebook.read_bytes()
    nb = json.loads(before)
    nb["cells"].append(
        {"cell_type": "code", "execution_count": None, "id": "added", "metadata": {}, "outputs": [], "source": source}
    )
    notebook.write_text(json.dumps(nb, indent=1))
    return before


def test_a_notebook_that_starts_importing_a_module_recomputes_the_rules(project):
    nb = project / "notebooks" / "02_screening.ipynb"
    module = project / "src/revalign/alignment/tables.py"
    rules = project / "data/interim/.make/deps.mk"
    assert "src/revalign/alignment/tables.py" not in _var_of(rules, "screening_MODULES")
    before = _add_cell(nb, "from revalign.alignment import tables")
    try:
        r = make(project, "-t", "report")  # recomputes the rules, marks every stage done
        assert r.returncode == 0, r.stderr
        assert "revalign deps" in r.stdout
        assert "src/revalign/alignment/tables.py" in _var_of(rules, "screening_MODULES")
        times = _touch(module)
        # screening now imports it, alignment did already
        assert planned(project) == ["screening", "coding", "alignment", "report"]
        os.utime(module, ns=times)
    finally:
        nb.write_bytes(before)
        make(project, "-t", "report")
    assert "src/revalign/alignment/tables.py" not in _var_of(rules, "screening_MODULES")


def test_a_module_that_starts_importing_another_recomputes_the_rules(project):
    mod = project / "src/revalign/screening/prisma.py"
    rules = project / "data/interim/.make/deps.mk"
    before = mod.read_bytes()
    mod.write_bytes(before + b"\nfrom revalign.coding import two_coders  # noqa: E402,F401\n")
    try:
        assert make(project, "-t", "report").returncode == 0
        assert "src/revalign/coding/two_coders.py" in _var_of(rules, "screening_MODULES")
    finally:
        mod.write_bytes(before)
        make(project, "-t", "report")


def _var_of(deps_mk: Path, name: str) -> list[str]:
    """The values of variable *name* in a deps.mk (``NAME := \\`` then one value per line)."""
    lines = deps_mk.read_text().splitlines()
    i = next(i for i, li in enumerate(lines) if li.startswith(f"{name} :="))
    values, line = [], lines[i].split(":=", 1)[1]
    while True:
        values += line.replace("\\", " ").split()
        if not line.endswith("\\"):
            return values
        i += 1
        line = lines[i]


def test_a_data_file_added_to_a_package_is_a_prerequisite_of_the_stages_using_it(project):
    """A template added to revalign/report/templates (named by report/build.py): the report stage only.
    A file added to the init command's template (revalign/project/template, named only by
    project/scaffold.py, which no notebook imports): no stage."""
    css = project / "src/revalign/report/templates/extra.css"
    rules = project / "data/interim/.make/deps.mk"
    css.write_text("p { margin: 0 }\n")
    try:
        assert planned(project) == ["report"]
        assert "src/revalign/report/templates/extra.css" in _var_of(rules, "report_MODULES")
        assert "src/revalign/report/templates/extra.css" not in _var_of(rules, "alignment_MODULES")
    finally:
        css.unlink()
    assert planned(project) == []  # the rules are recomputed without it: nothing left to do
    assert "extra.css" not in rules.read_text()
    extra = project / "src/revalign/project/template/extra.md"
    extra.write_text("x\n")
    try:
        assert planned(project) == []
    finally:
        extra.unlink()


def test_a_module_that_cannot_be_resolved_is_an_error(project):
    nb = project / "notebooks" / "03_coding.ipynb"
    before = _add_cell(nb, "from revalign.coding import no_such_module")
    try:
        r = make(project, "-n", "report")
        assert r.returncode != 0
        assert (
            "error: notebooks/03_coding.ipynb: 03_coding.ipynb imports revalign.coding.no_such_module, "
            "which the package does not have"
        ) in r.stderr
        assert "Traceback" not in r.stderr
    finally:
        nb.write_bytes(before)
        make(project, "-t", "report")


def test_j2_plans_each_stage_once(project):
    """A stage with several missing files runs once (grouped targets), also with -j2."""
    b, c, a = OUTPUTS["bibliography"], OUTPUTS["coding"], OUTPUTS["alignment"]
    gone = [b[0], b[-1], c[0], c[-1], a[2]]
    for rel in gone:
        (project / rel).rename(project / (rel + ".saved"))
    try:
        assert planned(project, "-j2") == DOWNSTREAM["bibliography"]
    finally:
        for rel in gone:
            (project / (rel + ".saved")).rename(project / rel)


def _digest(root: Path, dirs) -> dict:
    out = {}
    for d in dirs:
        for p in sorted((root / d).rglob("*")):
            if p.is_file():
                out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_other_parameter_file_runs_with_j2_and_writes_only_under_runs(project, tmp_path):
    """A real run: -j2 (screening and alignment may run together), everything under runs/aect2008/.

    The run also records every file of the project each stage opens for reading after its setup
    (REVALIGN_AUDIT_OPENS): each must be one the stage's registry entry declares (its inputs, the
    earlier stages' files it reads, its own outputs, its package modules and data files). The
    parameter file is given a notes file, which every stage shows."""
    committed = ["data", "figures", "notebooks", "reports", "src"]
    params = project / "params/aect2008.yml"
    original = params.read_bytes()
    params.write_bytes(original + b"notes: data/raw/notes/published_review.md\n")
    before = _digest(project, committed)
    top = set(os.listdir(project))
    audit = tmp_path / "opens"
    audit.mkdir()
    env = {**make_env(project), "REVALIGN_AUDIT_OPENS": str(audit)}
    try:
        r = subprocess.run(
            ["make", "--no-print-directory", "ENV_STAMP=.env-stamp", "-j2", "report", "PARAMS=params/aect2008.yml"],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
        )
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
        _check_opens(project, audit)
    finally:
        params.write_bytes(original)
        make(project, "-t", "report", "PARAMS=params/aect2008.yml")
    out = project / "runs" / "aect2008"
    for rel in (
        "processed/table1.csv",
        "processed/prisma.json",
        "notebooks/04_alignment.ipynb",
        "report.html",
        "figures/alignment_heatmap.png",
        "interim/rejects.csv",
    ):
        assert (out / rel).is_file(), rel
    assert _digest(project, committed) == before
    assert set(os.listdir(project)) == top | {"runs"}
    # a second run does no work, and the default run is still up to date
    assert make(project, "-q", "report", "PARAMS=params/aect2008.yml").returncode == 0
    assert planned(project, "PARAMS=params/aect2008.yml") == []
    assert planned(project) == []
    # deleting one of its files replans that stage and downstream, in runs/aect2008 only
    (out / "processed" / "sensitivity.csv").unlink()
    r = make(project, "-n", "report", "PARAMS=params/aect2008.yml")
    assert "-o runs/aect2008/notebooks/04_alignment.ipynb" in r.stdout
    assert [li for li in r.stdout.splitlines() if "run-notebook" in li] == [
        ".venv/bin/python -m revalign run-notebook notebooks/04_alignment.ipynb --params params/aect2008.yml "
        "-o runs/aect2008/notebooks/04_alignment.ipynb",
        ".venv/bin/python -m revalign run-notebook notebooks/05_report.ipynb --params params/aect2008.yml "
        "-o runs/aect2008/notebooks/05_report.ipynb",
    ]


def _check_opens(project: Path, audit: Path) -> None:
    """Every file each stage opened for reading is declared for that stage (by the registry)."""
    from revalign.core import config
    from revalign.pipeline import deps

    cfg = config.load(project / "params/aect2008.yml", root=project)
    rules = {r.stage.name: r for r in deps.stage_rules(cfg)}
    assert {p.stem for p in audit.iterdir()} == set(rules)  # every stage recorded
    undeclared = {}
    for name, rule in rules.items():
        declared = {rule.params, *rule.modules, *rule.inputs, *rule.reads, *rule.targets}
        opened = set((audit / f"{name}.txt").read_text().split())
        # not data: compiled modules, the environment, temporary files, the package's install metadata
        ignored = ("__pycache__", ".egg-info/")
        extra = sorted(
            p
            for p in opened - declared
            if not any(i in p for i in ignored) and not p.startswith(".venv") and "/." not in "/" + p
        )
        if extra:
            undeclared[name] = extra
    assert not undeclared, f"files read that the stage's registry entry does not declare: {undeclared}"
    # the notes file and the codebook's base were read, and declared, by every stage
    for name in rules:
        opened = (audit / f"{name}.txt").read_text().split()
        assert "data/raw/notes/published_review.md" in opened, name
        assert "data/raw/codebook/aect2023.yml" in opened, name  # aect2008's base


def test_re_executing_a_stage_reproduces_its_committed_bytes(project, tmp_path):
    """Run the alignment stage again (into a scratch notebook): the executed notebook must equal the
    committed one byte for byte, and no committed table or figure may change."""
    committed = ["data/processed", "figures"]
    before = _digest(project, committed)
    out = tmp_path / "04_alignment.ipynb"
    r = subprocess.run(
        [
            str(project / ".venv" / "bin" / "python"),
            "-m",
            "revalign",
            "run-notebook",
            "notebooks/04_alignment.ipynb",
            "--params",
            "params/default.yml",
            "-o",
            str(out),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=make_env(project),
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == (project / "notebooks" / "04_alignment.ipynb").read_bytes()
    assert _digest(project, committed) == before


# ---- links, the run's lock, a failing stage ------------------------------------------


@pytest.mark.parametrize("planted", ["data/interim/.make/deps.mk", "data/interim/.make/check.txt"])
def test_make_n_does_not_write_through_a_link_planted_in_the_build_folder(project, tmp_path, planted):
    """`make -n` still remakes its rules (and make the check stamp): a link planted in their place
    must be refused, the file it points at untouched."""
    victim = tmp_path / "victim.mk"
    victim.write_text("# precious\n")  # make reads it (as its rules) before it remakes them
    link = project / planted
    saved = link.with_name(link.name + ".saved")
    link.rename(saved)
    link.symlink_to(victim)
    times = _touch(project / "params/default.yml")  # the rules and the check are stale
    try:
        r = make(project, *(["-n", "report"] if planted.endswith("deps.mk") else ["report"]))
        assert r.returncode != 0
        assert f"error: params/default.yml: {planted} is a symbolic link" in r.stderr, r.stderr[-2000:]
        assert victim.read_text() == "# precious\n"
        assert link.is_symlink()
    finally:
        link.unlink()
        saved.rename(link)
        os.utime(project / "params/default.yml", ns=times)
        make(project, "-t", "report")
    assert planned(project) == []


def test_a_run_whose_build_folder_is_a_link_is_refused_also_by_make_n(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    run = project / "runs" / "ai_literacy_au"
    run.mkdir(parents=True)
    (run / ".make").symlink_to(outside)
    try:
        r = make(project, "-n", "report", "PARAMS=params/ai_literacy_au.yml")
        assert r.returncode != 0
        assert "error: params/ai_literacy_au.yml: runs/ai_literacy_au/.make is a symbolic link" in r.stderr
        assert list(outside.iterdir()) == []
    finally:
        shutil.rmtree(run)


def test_a_second_make_of_the_same_run_does_not_interleave(project):
    """The run's lock names the make that holds it; a stage of another make waits for it, or with
    REVALIGN_LOCK_WAIT=0 stops at once, changing nothing."""
    holder = subprocess.Popen(["sleep", "60"])
    lock = project / "data/interim/.make/lock"
    report = project / "reports/report.html"
    saved = report.with_name("report.html.saved")
    report.rename(saved)
    try:
        lock.write_text(f"{holder.pid}\n")
        env = {**make_env(project), "REVALIGN_LOCK_WAIT": "0"}
        r = subprocess.run(
            ["make", "--no-print-directory", "ENV_STAMP=.env-stamp", "report"],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
        )
        assert r.returncode != 0
        assert (
            f"error: params/default.yml: another run of this parameter file is in progress (process {holder.pid})"
            in r.stderr
        ), r.stderr[-2000:]
        assert not report.exists()
        assert lock.read_text() == f"{holder.pid}\n"
    finally:
        holder.kill()
        holder.wait()
        saved.rename(report)
        make(project, "-t", "report")


def test_a_failing_stage_leaves_every_output_of_the_last_good_run(project):
    """No .DELETE_ON_ERROR: a stage whose notebook fails part-way (here: the alignment stage, after
    its tables are written, by a mutated plotting module) keeps all its earlier files, bytes and
    times, so make still sees the last good run; the failure prints the cell, the last frames of
    the traceback and where the failed notebook was kept."""
    plots = project / "src/revalign/alignment/plots.py"
    before_src = plots.read_bytes()
    files = [project / f for f in OUTPUTS["alignment"]]
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    plots.write_bytes(before_src + b"\n\ndef alignment_heatmap(*args, **kwargs):\n    raise RuntimeError('injected')\n")
    try:
        r = make(project, "report")
        assert r.returncode != 0
        assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before
        assert "RuntimeError: injected" in r.stderr, r.stderr[-3000:]
        assert "src/revalign/alignment/plots.py" in r.stderr  # a frame of the traceback
        kept = project / "data/interim/failed/04_alignment.ipynb"
        assert f"the failed notebook: {kept.relative_to(project)}" in r.stderr
        assert kept.is_file() and "injected" in kept.read_text()
    finally:
        plots.write_bytes(before_src)
        make(project, "-t", "report")
