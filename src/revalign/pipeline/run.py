"""Execute one stage notebook: ``python -m revalign run-notebook NOTEBOOK --params P -o OUT``.

papermill runs the notebook into a temporary file; volatile metadata (timings, kernel ids)
are stripped and the result moves into place only when it differs. If the notebook fails,
every file the stage declares (revalign.pipeline.stages) is put back as it was, so a
failed stage leaves the previous results, and only this stage's: a stage running in
parallel keeps what it wrote. After a successful run every file the stage wrote is
touched, so Make sees the stage as done even where the content did not change.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from revalign.core.atomic import atomic_path
from revalign.core.config import RunConfig, load
from revalign.core.errors import InputError
from revalign.pipeline.stages import STAGES, Stage, written_paths

KERNEL_NAME = "revalign"

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
    """Undo a failed stage: restore each of its output files it changed, remove the ones it added.

    Each file a stage writes is already atomic (revalign.core.atomic), but a stage writes
    several files; if it fails after writing some, the run's outputs would mix old and new
    results. The transaction keeps the bytes and modification time of each of *paths*
    (files; a folder stands for every file under it) and, on failure, puts them back
    exactly: Make then sees the files as unchanged. Only *paths* are touched, so two stages
    running in parallel, each in its own transaction over its own files, cannot undo each
    other.
    """

    def __init__(self, paths):
        self.paths = [Path(p) for p in paths]
        self.before: dict[Path, tuple[bytes, int, int]] = {}
        self.folders = [p for p in self.paths if p.is_dir()]

    def _files(self):
        for p in self.paths:
            if p in self.folders:
                yield from (f for f in p.rglob("*") if f.is_file() and ".make" not in f.parts)
            elif p.is_file():
                yield p

    def __enter__(self):
        for f in self._files():
            st = f.stat()
            self.before[f] = (f.read_bytes(), st.st_atime_ns, st.st_mtime_ns)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        for f in list(self._files()):
            if f not in self.before:
                f.unlink()
        for f, (data, atime, mtime) in self.before.items():
            if not f.exists() or f.read_bytes() != data:
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_bytes(data)
            if f.stat().st_mtime_ns != mtime:
                os.utime(f, ns=(atime, mtime))
        return False


def stage_of(notebook: str | Path) -> Stage | None:
    """The registered stage whose notebook is *notebook* (by file name), or None."""
    return next((s for s in STAGES if s.notebook == Path(notebook).name), None)


def output_paths(cfg: RunConfig, output: Path, stage: Stage | None = None) -> list[Path]:
    """What a failed run of *stage* must restore: its declared files and its executed notebook.

    A notebook that is not a registered stage (a scratch notebook) declares nothing, so it
    is guarded by the run's whole output folders; do not run it in parallel with a stage.
    """
    if stage is None:
        return [cfg.processed_dir, cfg.figures_dir, cfg.interim_dir, cfg.report_path, output]
    return [*written_paths(stage, cfg, maybe=True), output]


def execute_notebook(notebook: Path, output: Path, cfg: RunConfig) -> bool:
    """Run *notebook* with the parameters of *cfg*; write *output* only if it changed.

    Returns True when the run succeeded. Execution goes to a temporary file; a failing
    notebook leaves the previous outputs untouched, and the error is re-raised with
    papermill's message (which includes the failing cell).
    """
    import nbformat
    import papermill as pm

    stage = stage_of(notebook)
    # Only the parameter file's name is injected: the notebook loads and validates the
    # file itself (revalign.core.config), and shows the run's parameters in its output. The
    # value is written INTO the cell tagged `parameters` (no second `injected-parameters`
    # cell), so that in JupyterLab an edit of that cell is what the notebook runs with.
    parameters = {"params_file": cfg.rel(cfg.params_file)}
    nb_in = nbformat.read(str(notebook), as_version=4)
    nb_in.cells = [c for c in nb_in.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    param_cells = [c for c in nb_in.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(param_cells) != 1:
        raise ValueError(f"{notebook}: expected one cell tagged 'parameters', found {len(param_cells)}")
    param_cells[0].source = "\n".join(f"{key} = {json.dumps(value)}" for key, value in parameters.items())
    with (
        OutputTransaction(output_paths(cfg, output, stage)),
        atomic_path(output, suffix=".tmp.ipynb") as tmp,
    ):
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
        if stage is not None:
            _check_written(stage, cfg, notebook)
    if stage is not None:
        _touch(stage, cfg, notebook, output)
    return True


def _check_written(stage: Stage, cfg: RunConfig, notebook: Path) -> None:
    """A stage must write every file it declares (else the registry and the notebook disagree)."""
    missing = [cfg.rel(p) for p in written_paths(stage, cfg) if not p.is_file()]
    if missing:
        raise InputError(
            notebook,
            f"stage {stage.key} did not write {', '.join(missing)}, which "
            "revalign.pipeline.stages declares; write it or fix the declaration",
        )


def _touch(stage: Stage, cfg: RunConfig, notebook: Path, output: Path) -> None:
    """Mark the stage's files as made now (an unchanged file keeps its old time otherwise).

    The executed notebook is touched too, except when it is the notebook itself (the
    default run): Make would then see the notebook, a prerequisite, as changed.
    """
    files = written_paths(stage, cfg, maybe=True)
    if output.resolve() != Path(notebook).resolve():
        files.append(output)
    for p in files:
        if p.is_file():
            os.utime(p)


def cli_run_notebook(args) -> int:
    from revalign.pipeline.deps import check_confined, check_param_paths

    cfg = load(args.params)
    stage = stage_of(args.notebook)
    cfg.check_inputs_exist([k for k in stage.inputs if k != "in_text_citations"] if stage else None)
    check_param_paths(cfg)
    check_confined(cfg)
    cfg.ensure_dirs()
    try:
        execute_notebook(Path(args.notebook), Path(args.output), cfg)
    except Exception as exc:  # papermill's PapermillExecutionError carries the cell's error
        name = type(exc).__name__
        if isinstance(exc, InputError):
            raise
        if name == "PapermillExecutionError":
            ename, evalue = getattr(exc, "ename", ""), getattr(exc, "evalue", "")
            if ename == "InputError":
                print(evalue if evalue.startswith("error:") else f"error: {evalue}", file=sys.stderr)
                return 2
            print(
                f"error: {args.notebook}: cell {getattr(exc, 'exec_count', '?')} failed: {ename}: {evalue}",
                file=sys.stderr,
            )
            return 1
        raise
    return 0
