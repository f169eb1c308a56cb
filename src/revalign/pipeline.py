"""The five stages: what each reads, which package modules it uses, and how it is run.

``STAGES`` is the single description of the pipeline. The Makefile asks
``python -m revalign deps PARAMS`` for Make rules built from it, so that a change to
a coded segment reruns only the stages downstream of it, and ``python -m revalign
run-notebook`` executes one notebook with papermill into a temporary file, strips
volatile metadata, and moves the result into place only when it differs.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_path
from .config import RunConfig, load, repo_root

KERNEL_NAME = "revalign"


@dataclass(frozen=True)
class Stage:
    key: str
    notebook: str
    inputs: tuple[str, ...]  # parameter-file keys whose files the stage reads


STAGES = (
    Stage("01", "01_bibliography.ipynb", ("bibliography", "in_text_citations")),
    Stage("02", "02_screening.ipynb", ()),
    Stage("03", "03_coding.ipynb", ("codebook", "segments", "key_statistics")),
    Stage("04", "04_alignment.ipynb", ("codebook", "segments", "published_table")),
    Stage("05", "05_report.ipynb", ()),
)

def _package_imports(source: str) -> set[str]:
    """Names of package modules that Python *source* imports, absolutely or relatively."""
    tree = ast.parse(source)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                names.add(node.module.split(".")[0])
            elif node.level == 1:
                names.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("revalign"):
                parts = node.module.split(".")
                if len(parts) > 1:
                    names.add(parts[1])
                else:
                    names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("revalign."))
    return names


def notebook_modules(notebook: Path, package: Path) -> list[str]:
    """Package modules a notebook uses, directly or through other modules (sorted)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    todo = {"__init__"}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            # IPython magics and shell escapes are not Python
            source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            todo |= _package_imports(source)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        todo |= _package_imports(path.read_text(encoding="utf-8")) - seen
    return sorted(seen)


def stage_input_files(cfg: RunConfig, stage: Stage) -> list[Path]:
    files = cfg.input_files()
    out: list[Path] = []
    for key in stage.inputs:
        if key == "in_text_citations":
            # optional: the citation list the audit reads, beside the first bibliography file
            bibs = files["bibliography"]
            cand = bibs[0].parent / "in_text_citations.csv" if bibs else None
            out += [cand] if cand is not None and cand.exists() else []
            continue
        out += files.get(key, [])
        if key == "codebook":  # a codebook may take its vocabularies from a base beside it
            for cb in files["codebook"]:
                out += sorted(p for p in cb.parent.glob("*.yml") if p != cb)
    return out


def make_deps(cfg: RunConfig) -> str:
    """Make variables ``DEPS_NN`` (module files and input files) for each stage."""
    root = cfg.root
    package = root / "src" / "revalign"
    lines = []
    for stage in STAGES:
        modules = notebook_modules(root / "notebooks" / stage.notebook, package)
        deps = [f"src/revalign/{m}.py" for m in modules]
        deps += [cfg.rel(p) for p in stage_input_files(cfg, stage)]
        lines.append(f"DEPS_{stage.key} := " + " ".join(_escape(d) for d in deps))
    return "\n".join(lines) + "\n"


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
    # file itself (revalign.config), and shows the run's parameters in its output. The
    # value is written INTO the cell tagged `parameters` (no second `injected-parameters`
    # cell), so that in JupyterLab an edit of that cell is what the notebook runs with.
    parameters = {"params_file": cfg.rel(cfg.params_file)}
    nb_in = nbformat.read(str(notebook), as_version=4)
    nb_in.cells = [c for c in nb_in.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    param_cells = [c for c in nb_in.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(param_cells) != 1:
        raise ValueError(f"{notebook}: expected one cell tagged 'parameters', found {len(param_cells)}")
    param_cells[0].source = "\n".join(f"{key} = {json.dumps(value)}" for key, value in parameters.items())
    with OutputTransaction(output_paths(cfg, output)), atomic_path(output, suffix=".tmp.ipynb") as tmp:
        pm.execute_notebook(
            nb_in,
            str(tmp),
            parameters=None,
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
    cfg.check_inputs_exist([k for k in stage.inputs if k != "in_text_citations"] if stage else None)
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
