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

from revalign.core.atomic import atomic_path
from revalign.core.config import RunConfig, load, repo_root
from revalign.core.errors import InputError

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
    Stage("04", "04_alignment.ipynb", ("codebook", "segments", "published_table", "appraisal", "notes")),
    Stage("05", "05_report.ipynb", ()),
)

def _module_file(package: Path, dotted: str) -> Path | None:
    """The file of package module *dotted* (``revalign.x.y``): ``x/y.py`` or ``x/y/__init__.py``."""
    parts = dotted.split(".")[1:]
    if not parts:
        return package / "__init__.py"
    rel = Path(*parts)
    for cand in (package / rel.with_suffix(".py"), package / rel / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _package_imports(source: str, current: str = "revalign") -> set[str]:
    """Dotted names that Python *source* imports from the package.

    *current* is the dotted name of the package the source lives in (for relative imports).
    ``from revalign.x import y`` yields both ``revalign.x`` and ``revalign.x.y``: the caller
    keeps ``revalign.x.y`` when it is a module and checks that ``revalign.x`` defines ``y``
    otherwise.
    """
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = current.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "revalign" or module.startswith("revalign."):
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("revalign"))
    return names


class UnresolvedModule(Exception):
    """A notebook or module imports a name the package does not have."""


def notebook_modules(notebook: Path, package: Path) -> list[str]:
    """Files (relative to the repository) of the package modules a notebook uses.

    Followed through the package's own imports, each package's ``__init__`` included. A
    name that is neither a module nor defined by its parent module is an error, never
    skipped: a rename that leaves a notebook importing the old name must stop the build.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    todo: set[str] = {"revalign"}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            # IPython magics and shell escapes are not Python
            source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            todo |= _package_imports(source)
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(package, name)
        if path is None:
            parent = name.rsplit(".", 1)[0]
            if parent != name and _module_file(package, parent) is not None and _defines(package, parent, name):
                continue  # ``from revalign.x import some_function``: a name, not a module
            raise UnresolvedModule(f"{notebook.name} imports {name}, which the package does not have")
        seen[name] = path
        todo.update(_parents(name))
        current = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        todo |= _package_imports(path.read_text(encoding="utf-8"), current) - set(seen)
    return sorted(str(p.relative_to(package.parent.parent)) for p in seen.values())


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _defines(package: Path, module: str, dotted: str) -> bool:
    """Whether *module*'s source binds the last part of *dotted* (a function, class, constant)."""
    attr = dotted.rsplit(".", 1)[1]
    tree = ast.parse(_module_file(package, module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == attr:
            return True
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == attr for t in targets):
                return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == attr for a in node.names):
                return True
    return False


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
        deps = notebook_modules(root / "notebooks" / stage.notebook, package)
        deps += [cfg.rel(p) for p in stage_input_files(cfg, stage)]
        lines.append(f"DEPS_{stage.key} := " + " ".join(_escape(d) for d in deps))
    return "\n".join(lines) + "\n"


def _escape(path: str) -> str:
    return path.replace(" ", "\\ ").replace("$", "$$")


def cli_deps(args) -> int:
    cfg = load(args.params)
    cfg.check_inputs_exist()
    try:
        text = make_deps(cfg)
    except UnresolvedModule as exc:
        raise InputError("notebooks", str(exc)) from None
    print(text, end="")
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
        if "outputs" in cell:
            cell["outputs"] = coalesce_streams(cell["outputs"])
    return nb


def coalesce_streams(outputs: list[dict]) -> list[dict]:
    """Join adjacent stdout (or stderr) outputs into one.

    How a cell's printed text is cut into stream messages depends on when the kernel
    flushes, which depends on the machine's load; joined, the notebook is the same on
    every run.
    """
    merged: list[dict] = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and out.get("output_type") == "stream"
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            text = _text(prev["text"]) + _text(out["text"])
            prev["text"] = text.splitlines(keepends=True)
        else:
            merged.append(out)
    return merged


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(value)


class OutputTransaction:
    """Undo a failed stage: restore every output file it changed and remove the ones it added.

    Each file a stage writes is already atomic (revalign.core.atomic), but a stage writes
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
    # file itself (revalign.core.config), and shows the run's parameters in its output.
    parameters = {"params_file": cfg.rel(cfg.params_file)}
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
