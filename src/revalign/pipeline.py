"""The five stages: what each reads, which package modules it uses, and how it is run.

``STAGES`` is the single description of the pipeline. The Makefile asks
``python -m revalign deps PARAMS`` for Make rules built from it, so that a change to
a coded segment reruns only the stages downstream of it, and ``python -m revalign
run-notebook`` executes one notebook with papermill into a temporary file, strips
volatile metadata, and moves the result into place only when it differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_path
from .config import RunConfig, load, repo_root

KERNEL_NAME = "revalign"
COMMON_MODULES = ("__init__", "atomic", "config", "errors", "yamlio", "style", "figures", "pipeline", "progress")


@dataclass(frozen=True)
class Stage:
    key: str
    notebook: str
    modules: tuple[str, ...]  # package modules the notebook uses, beyond COMMON_MODULES
    inputs: tuple[str, ...]  # parameter-file keys whose files the stage reads


STAGES = (
    Stage("01", "01_bibliography.ipynb", ("bibliography", "bib_readers", "bib_normalise", "bib_dedup", "corpus_plots"), ("bibliography",)),
    Stage("02", "02_screening.ipynb", ("screening", "prisma", "corpus_plots"), ()),
    Stage(
        "03",
        "03_coding.ipynb",
        ("codebook", "segments", "coding", "autocoder", "agreement", "coding_plots"),
        ("codebook", "segments", "key_statistics"),
    ),
    Stage(
        "04",
        "04_alignment.ipynb",
        ("codebook", "segments", "alignment", "sensitivity", "tables", "alignment_plots"),
        ("codebook", "segments", "published_table"),
    ),
    Stage("05", "05_report.ipynb", ("codebook", "segments", "report", "references"), ()),
)


def _module_files(root: Path, names) -> list[str]:
    pkg = root / "src" / "revalign"
    return [f"src/revalign/{n}.py" for n in names if (pkg / f"{n}.py").exists()]


def make_deps(cfg: RunConfig) -> str:
    """Make variables ``DEPS_NN`` (module files and input files) for each stage."""
    root = cfg.root
    files = cfg.input_files()
    # A codebook may take its vocabularies from a base codebook beside it.
    extra = []
    for cb in files["codebook"]:
        extra += [p for p in cb.parent.glob("*.yml") if p != cb]
    lines = []
    for stage in STAGES:
        deps = _module_files(root, COMMON_MODULES + stage.modules)
        for key in stage.inputs:
            deps += [_rel(p, root) for p in files.get(key, [])]
            if key == "codebook":
                deps += [_rel(p, root) for p in extra]
        lines.append(f"DEPS_{stage.key} := " + " ".join(_escape(d) for d in deps))
    return "\n".join(lines) + "\n"


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.resolve().relative_to(root))
    except ValueError:
        return str(p)


def _escape(path: str) -> str:
    return path.replace(" ", "\\ ").replace("$", "$$")


def cli_deps(args) -> int:
    cfg = load(args.params)
    cfg.check_inputs_exist()
    print(make_deps(cfg), end="")
    return 0


# ---- executing notebooks ------------------------------------------------------------

VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets")
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


def clean_notebook(nb: dict) -> dict:
    """Remove what changes from run to run: timings, kernel ids, execution dates."""
    meta = nb.get("metadata", {})
    for key in VOLATILE_NOTEBOOK_KEYS:
        meta.pop(key, None)
    meta["kernelspec"] = {"display_name": "Python 3 (revalign)", "language": "python", "name": KERNEL_NAME}
    lang = meta.get("language_info", {})
    # The exact Python patch version would make the notebook differ between machines.
    lang.pop("version", None)
    for cell in nb.get("cells", []):
        cmeta = cell.get("metadata", {})
        if "injected-parameters" in cmeta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on each run
        for key in VOLATILE_CELL_KEYS:
            cmeta.pop(key, None)
        for out in cell.get("outputs", []):
            out.get("metadata", {}).pop("execution", None)
    return nb


class OutputTransaction:
    """Undo a failed stage: restore every output file it changed and remove the ones it added.

    Each file a stage writes is already atomic (revalign.atomic), but a stage writes
    several files; if it fails after writing some, the run's outputs would mix old and
    new results. The transaction snapshots the output directories before the stage
    and, on failure, puts them back exactly as they were.
    """

    def __init__(self, paths):
        self.paths = [Path(p) for p in paths]
        self.before: dict[Path, bytes] = {}

    def _files(self):
        for p in self.paths:
            if p.is_file():
                yield p
            elif p.is_dir():
                yield from (f for f in p.rglob("*") if f.is_file() and ".stamps" not in f.parts)

    def __enter__(self):
        self.before = {f: f.read_bytes() for f in self._files()}
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        for f in list(self._files()):
            if f not in self.before:
                f.unlink()
        for f, data in self.before.items():
            if not f.exists() or f.read_bytes() != data:
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_bytes(data)
        return False


def output_paths(cfg: RunConfig, output: Path) -> list[Path]:
    return [cfg.processed_dir, cfg.figures_dir, cfg.interim_dir, cfg.report_path, output]


def execute_notebook(notebook: Path, output: Path, cfg: RunConfig) -> bool:
    """Run *notebook* with the parameters of *cfg*; write *output* only if it changed.

    Returns True when the output was (re)written. Execution goes to a temporary
    file; a failing notebook leaves the previous output untouched, and the error
    is re-raised with papermill's message (which includes the failing cell).
    """
    import nbformat
    import papermill as pm

    # Only the parameter file's name is injected: the notebook loads and validates the
    # file itself (revalign.config), and shows the run's parameters in its output.
    parameters = {"params_file": _rel(cfg.params_file, cfg.root)}
    with OutputTransaction(output_paths(cfg, output)), atomic_path(output, suffix=".tmp.ipynb") as tmp:
        pm.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(cfg.root),
            progress_bar=False,
            log_output=False,
            report_mode=False,
        )
        nb = json.loads(tmp.read_text(encoding="utf-8"))
        nb = clean_notebook(nb)
        nbformat.validate(nbformat.from_dict(nb))
        tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return True


def cli_run_notebook(args) -> int:
    import sys

    cfg = load(args.params)
    stage = next((s for s in STAGES if s.notebook == Path(args.notebook).name), None)
    cfg.check_inputs_exist(stage.inputs if stage else None)
    cfg.ensure_dirs()
    try:
        execute_notebook(Path(args.notebook), Path(args.output), cfg)
    except Exception as exc:  # papermill's PapermillExecutionError carries the cell's error
        name = type(exc).__name__
        if name == "PapermillExecutionError":
            ename, evalue = getattr(exc, "ename", ""), getattr(exc, "evalue", "")
            if ename == "InputError":
                print(evalue if evalue.startswith("error:") else f"error: {evalue}", file=sys.stderr)
                return 2
            print(f"error: {args.notebook}: cell {getattr(exc, 'exec_count', '?')} failed: {ename}: {evalue}", file=sys.stderr)
            return 1
        raise
    return 0


def stage_notebooks(root: Path | None = None) -> list[Path]:
    root = root or repo_root()
    return [root / "notebooks" / s.notebook for s in STAGES]
