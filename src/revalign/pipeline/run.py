"""Execute one stage notebook: ``python -m revalign run-notebook NOTEBOOK --params P -o OUT``.

papermill runs the notebook into a temporary file; volatile metadata (timings, kernel ids)
are stripped and the result moves into place only when it differs. If the notebook fails,
every file the stage declares (revalign.pipeline.stages) is put back as it was, so a
failed stage leaves the previous results, and only this stage's: a stage running in
parallel keeps what it wrote. After a successful run every file the stage wrote is
touched, so Make sees the stage as done even where the content did not change.

Parameters go into the notebook's ``parameters`` cell itself, in place of the values written
there (``params_file`` and any ``-p NAME VALUE``), so the cell a reader sees in the executed
notebook is what it ran with, and JupyterLab runs the same cell the same way
(revalign.project.notebook). A name that cell does not assign is an error.

A failing cell is reported with the last frames of its traceback, and the executed notebook,
error included, is kept in ``INTERIM/failed/`` (path printed) to be opened in JupyterLab. The
kernel runs with ``REVALIGN_PIPELINE=1``: the notebook writes the run's own files, not the
scratch folder of an interactive session.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from revalign.core.atomic import atomic_path
from revalign.core.config import RunConfig, load
from revalign.core.errors import InputError
from revalign.pipeline.stages import STAGES, Stage, written_paths

KERNEL_NAME = "revalign"
PIPELINE_ENV = "REVALIGN_PIPELINE"  # set for the kernel: the notebook runs for make, not in the Lab
FRAMES_SHOWN = 3  # the last frames of a failing cell's traceback that are printed

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
    results. The transaction keeps each of *paths* (files; a folder stands for every file
    under it) with its modification time and, on failure, puts them back exactly: Make then
    sees the files as unchanged. Only *paths* are touched, so two stages running in parallel,
    each in its own transaction over its own files, cannot undo each other.

    What is kept costs the same whatever the size of the files (issue 27: the corpus and its
    spreadsheet copies are hundreds of MB at 200,000 works): a file of :data:`KEEP_IN_MEMORY`
    bytes or more is kept as a second name of the same file (a hard link beside it, named as
    the atomic writer's temporaries are, so a killed run's link is removed the next time the
    file is written). That holds the old content because a stage replaces a file (a new file
    renamed over it, :mod:`revalign.core.atomic`) and never edits one in place; a small file,
    and any file where the folder cannot hold a link, is kept as its bytes.
    """

    #: files at least this large are kept as a hard link, smaller ones as their bytes
    KEEP_IN_MEMORY = 1 << 20

    def __init__(self, paths):
        self.paths = [Path(p) for p in paths]
        self.before: dict[Path, tuple[bytes | Path, int, int]] = {}
        self.links: set[Path] = set()  # the hard links this transaction made
        self.folders = [p for p in self.paths if p.is_dir()]

    def _files(self) -> list[Path]:
        out: list[Path] = []
        for p in self.paths:
            if p in self.folders:
                out += (f for f in p.rglob("*") if f.is_file() and ".make" not in f.parts and f not in self.links)
            elif p.is_file():
                out.append(p)
        return out

    @staticmethod
    def _link_beside(f: Path) -> Path | None:
        """A hard link to *f* beside it (a temporary name), or None when the folder cannot hold one."""
        import secrets

        keep = f.with_name(f".{f.name}.{os.getpid()}-{secrets.token_hex(4)}.kept.tmp")
        try:
            os.link(f, keep, follow_symlinks=False)
        except OSError:
            return None
        return keep

    def __enter__(self):
        for f in self._files():
            st = f.stat()
            kept = self._link_beside(f) if st.st_size >= self.KEEP_IN_MEMORY else None
            if kept is not None:
                self.links.add(kept)
            self.before[f] = (kept if kept is not None else f.read_bytes(), st.st_atime_ns, st.st_mtime_ns)
        return self

    def _drop_links(self) -> None:
        for kept in self.links:
            with _suppress(FileNotFoundError):
                kept.unlink()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self._drop_links()
            return False
        try:
            for f in self._files():
                if f not in self.before:
                    f.unlink()
            for f, (kept, atime, mtime) in self.before.items():
                if isinstance(kept, Path):
                    if not (f.exists() and os.path.samefile(f, kept)):
                        f.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(kept, f)  # the old file back under its name
                elif not f.exists() or f.read_bytes() != kept:
                    f.parent.mkdir(parents=True, exist_ok=True)
                    f.write_bytes(kept)
                if f.stat().st_mtime_ns != mtime:
                    os.utime(f, ns=(atime, mtime))
        finally:
            self._drop_links()
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


def parameter_names(source: str) -> list[str]:
    """The names a ``parameters`` cell assigns (``NAME = value`` at its top level), in order."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def set_parameters(source: str, values: dict[str, Any], where: str) -> str:
    """*source* (a parameters cell) with the value of each name in *values* replaced.

    Comments and the other lines stay as they are. A name the cell does not assign is an
    InputError: the notebook would silently ignore it.
    """
    known = parameter_names(source)
    unknown = [k for k in values if k not in known]
    if unknown:
        raise InputError(
            where,
            f"the notebook has no parameter {', '.join(repr(k) for k in unknown)}; its parameters are "
            + ", ".join(known),
        )
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in values:
                i = node.lineno - 1
                value = node.value
                if value.end_lineno != node.lineno:
                    raise InputError(where, f"parameter {name!r}: write its value on one line")
                line = lines[i]
                lines[i] = line[: value.col_offset] + _literal(values[name]) + line[value.end_col_offset :]
    return "\n".join(lines)


def _literal(value: Any) -> str:
    """A Python literal for *value* (JSON-like data: None, bool, numbers, strings, lists)."""
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as a parameter")


class NotebookFailed(Exception):
    """A cell failed: what to print, and where the failed notebook was kept."""

    def __init__(self, message: str, kept: Path | None, exit_code: int = 1):
        super().__init__(message)
        self.kept = kept
        self.exit_code = exit_code


def execute_notebook(notebook: Path, output: Path, cfg: RunConfig, parameters: dict[str, Any] | None = None) -> bool:
    """Run *notebook* with the parameters of *cfg*; write *output* only if it changed.

    Returns True when the run succeeded. Execution goes to a temporary file; a failing
    notebook leaves the previous outputs untouched and raises :class:`NotebookFailed` (or the
    InputError the notebook raised), having kept the failed notebook.
    """
    import nbformat
    import papermill as pm

    from revalign.core.progress import interactive

    stage = stage_of(notebook)
    if parameters:  # an override: the notebook writes to the scratch folder (project.notebook)
        stage = None
    # The parameter file's name (and any other -p value) is written INTO the cell tagged
    # `parameters` (no second `injected-parameters` cell): in JupyterLab an edit of that cell
    # is what the notebook runs with, and it validates the names there (project.notebook).
    values = {"params_file": cfg.rel(cfg.params_file), **(parameters or {})}
    nb_in = nbformat.read(str(notebook), as_version=4)
    nb_in.cells = [c for c in nb_in.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    param_cells = [c for c in nb_in.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(param_cells) != 1:
        raise ValueError(f"{notebook}: expected one cell tagged 'parameters', found {len(param_cells)}")
    param_cells[0].source = set_parameters(param_cells[0].source, values, cfg.rel(notebook))
    os.environ[PIPELINE_ENV] = "1"
    if interactive():
        with _suppress(OSError):
            os.environ["REVALIGN_PROGRESS_TTY"] = os.ttyname(sys.stderr.fileno())
    failed: bytes | None = None
    guarded = output_paths(cfg, output, stage) if stage is not None or not parameters else [output]
    try:
        with (
            OutputTransaction(guarded),
            atomic_path(output, suffix=".tmp.ipynb") as tmp,
        ):
            try:
                pm.execute_notebook(
                    nb_in,
                    str(tmp),
                    parameters=None,
                    kernel_name=KERNEL_NAME,
                    cwd=str(cfg.root),
                    progress_bar=interactive(),
                    log_output=False,
                    report_mode=False,
                    kernel_manager_class="revalign.pipeline.kernel.QuietKernelManager",
                )
            except Exception:
                failed = tmp.read_bytes() if tmp.is_file() and tmp.stat().st_size else None
                raise
            nb = json.loads(tmp.read_text(encoding="utf-8"))
            nb = clean_notebook(nb)
            nbformat.validate(nbformat.from_dict(nb))
            tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
            if stage is not None:
                _check_written(stage, cfg, notebook)
    except Exception as exc:
        if type(exc).__name__ != "PapermillExecutionError":
            raise
        if getattr(exc, "ename", "") in ("InputError", "InputErrors"):  # bad input: one line, nothing kept
            evalue = exc.evalue
            raise NotebookFailed(evalue if evalue.startswith("error:") else f"error: {evalue}", None, 2) from None
        kept = _keep_failed(cfg, notebook, failed)
        raise NotebookFailed(_failure_message(cfg, notebook, nb_in, exc, kept), kept) from None
    if stage is not None:
        _touch(stage, cfg, notebook, output)
    return True


def _suppress(*excs):
    import contextlib

    return contextlib.suppress(*excs)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _failure_message(cfg: RunConfig, notebook: Path, nb_in, exc, kept: Path | None) -> str:
    """``error: NOTEBOOK: cell N (id ID) failed: ENAME: EVALUE``, the traceback's last frames
    (paths shown relative to the project), and where the failed notebook is."""
    source = (getattr(exc, "source", "") or "").strip()
    index, cell_id = "?", "?"
    for i, cell in enumerate(nb_in.cells):
        if cell.cell_type == "code" and cell.source.strip() == source:
            index, cell_id = str(i + 1), cell.get("id", "?")
            break
    root = str(cfg.root.resolve()) + os.sep
    frames = [_ANSI.sub("", block).replace(root, "") for block in (getattr(exc, "traceback", None) or [])]
    frames = [f.strip("\n") for f in frames if f.strip() and not set(f.strip()) <= {"-"}]
    shown = frames[-FRAMES_SHOWN - 1 : -1] if len(frames) > 1 else frames
    lines = [
        f"error: {cfg.rel(notebook)}: cell {index} (id {cell_id}) failed: {exc.ename}: {exc.evalue}",
        f"last {len(shown)} frame(s) of the traceback:",
    ]
    for block in shown:
        block_lines = block.splitlines()
        if len(block_lines) > 12:
            block_lines = [*block_lines[:4], "    ...", *block_lines[-6:]]
        lines += ["  " + li for li in block_lines]
    if kept is not None:
        lines.append(f"the failed notebook: {cfg.rel(kept)} (open it in JupyterLab to see every cell's output)")
    return "\n".join(lines)


def failed_notebook_path(cfg: RunConfig, notebook: Path) -> Path:
    """Where a failed execution of *notebook* is kept: ``INTERIM/failed/NOTEBOOK``."""
    return cfg.interim_dir / "failed" / Path(notebook).name


def _keep_failed(cfg: RunConfig, notebook: Path, data: bytes | None) -> Path | None:
    """Keep the failed executed notebook (volatile metadata stripped); None when there is none."""
    if not data:
        return None
    from revalign.core.atomic import write_text
    from revalign.pipeline.guard import check_no_links

    path = failed_notebook_path(cfg, notebook)
    try:
        nb = clean_notebook(json.loads(data.decode("utf-8")))
        check_no_links(cfg, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    except (InputError, OSError, ValueError):
        return None
    return path


def _check_written(stage: Stage, cfg: RunConfig, notebook: Path) -> None:
    """A stage must write every file it declares (else the registry and the notebook disagree)."""
    missing = [cfg.rel(p) for p in written_paths(stage, cfg) if not p.is_file()]
    if missing:
        raise InputError(
            notebook,
            f"stage {stage.name} did not write {', '.join(missing)}, which "
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


def _parse_values(pairs: list[list[str]] | None) -> dict[str, Any]:
    """``-p NAME VALUE`` pairs, each VALUE read as YAML (``-p lang id``, ``-p thresholds '[-0.4, 0, 0.4]'``)."""
    import yaml

    out: dict[str, Any] = {}
    for name, value in pairs or []:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name == "params_file":
            raise InputError("-p", f"{name!r} is not a parameter name (params_file is given by --params)")
        try:
            out[name] = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            raise InputError("-p", f"{name}: {value!r} is not a value ({exc.problem})") from None
    return out


def cli_run_notebook(args) -> int:
    from revalign.pipeline.deps import check_confined, check_param_paths
    from revalign.pipeline.guard import check_no_links, run_lock

    cfg = load(args.params)
    stage = stage_of(args.notebook)
    cfg.check_inputs_exist(list(stage.inputs) if stage else None)
    check_param_paths(cfg)
    check_confined(cfg)
    check_no_links(cfg, Path(os.path.abspath(args.output)))
    values = _parse_values(getattr(args, "parameter", None))
    try:
        with run_lock(cfg):
            cfg.ensure_dirs()
            execute_notebook(Path(args.notebook), Path(args.output), cfg, values)
    except NotebookFailed as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    return 0
