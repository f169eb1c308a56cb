"""The setup cell of every stage notebook: one code path for ``make report`` and JupyterLab.

A stage notebook's ``parameters`` cell assigns ``params_file`` and the overrides that matter
to the stage (``lang``, ``year_min``/``year_max``, ``thresholds`` and ``grade_shift`` (the
alignment rule's cut-offs: on the balance score, or on the part grades of a two-part codebook),
``bootstrap_replicates``;
``None`` keeps the parameter file's value). Its setup cell calls :func:`start`, which

- checks the names the parameters cell assigned: a name the stage does not know is an error
  (a typo such as ``threshold = [...]`` would otherwise be ignored silently);
- loads and validates the parameter file with the overrides (``config.load``), so a bad
  override is reported like a bad value in the file;
- decides where the notebook writes. Run by ``make report`` (``run-notebook`` sets
  ``REVALIGN_PIPELINE=1`` for the kernel) with no override, it writes the run's own files (for
  ``params/default.yml`` the committed results). Run anywhere else, in JupyterLab above all,
  or with an override, it writes to a scratch folder, ``runs/lab/RUN/``, and reads the files
  of earlier stages from there when this session wrote them, else from the run's own
  folders: an interactive run never overwrites the results of the parameter file's run;
- shows the run and where its outputs go as the notebook's first output.

``run-notebook -p NAME VALUE`` writes a value into the same cell, so both routes execute the
same cell and the same checks.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from revalign.core import config
from revalign.core.config import RunConfig
from revalign.core.errors import InputError
from revalign.pipeline.stages import STAGES, StageFiles, stage_files

PIPELINE_ENV = "REVALIGN_PIPELINE"
LAB_DIR = Path("runs") / "lab"
PARAMETERS_CELL = "the parameters cell"

# Each override: the key it sets in the parameter file (dotted) and the stages that use it.
OVERRIDES: dict[str, tuple[str, tuple[str, ...]]] = {
    "lang": ("lang", tuple(s.name for s in STAGES)),
    "year_min": ("screening.year_min", ("screening",)),
    "year_max": ("screening.year_max", ("screening",)),
    "thresholds": ("alignment.thresholds", ("alignment",)),
    "grade_shift": ("alignment.grade_shift", ("alignment",)),
    "bootstrap_replicates": ("alignment.bootstrap.replicates", ("alignment",)),
}


def stage_parameters(stage: str) -> list[str]:
    """The names a stage's parameters cell may assign: ``params_file`` and its overrides."""
    return ["params_file"] + [name for name, (_, stages) in OVERRIDES.items() if stage in stages]


def by_pipeline() -> bool:
    """True when the kernel was started by run-notebook (make) or the notebook validation."""
    return os.environ.get(PIPELINE_ENV) == "1"


def _assigned_in_parameters_cell() -> list[str] | None:
    """The names the last executed parameters cell assigned (IPython's input history), or None
    outside IPython. The parameters cell is the last input that assigns ``params_file``."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    shell = get_ipython()
    history = shell.user_ns.get("In") if shell is not None else None
    if not history:
        return None
    for source in reversed(history[:-1]):
        try:
            body = ast.parse(shell.transform_cell(source)).body
        except SyntaxError:
            continue
        names = []
        for node in body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
        if "params_file" in names:
            return names
    return None


def check_names(stage: str, assigned: list[str] | None) -> None:
    """InputError when the parameters cell assigned a name the stage does not know."""
    known = stage_parameters(stage)
    unknown = [n for n in assigned or [] if n not in known]
    if unknown:
        raise InputError(
            PARAMETERS_CELL,
            f"{', '.join(repr(n) for n in unknown)}: not a parameter of this notebook; "
            f"its parameters are {', '.join(known)}",
        )


def overrides_for(stage: str, values: dict[str, Any]) -> dict[str, Any]:
    """``{dotted key: value}`` of the overrides that are set (not None); unknown names refused."""
    check_names(stage, ["params_file", *values])
    return {OVERRIDES[name][0]: value for name, value in values.items() if value is not None}


def lab_dir(cfg: RunConfig) -> Path:
    """The scratch folder of an interactive run of *cfg*: ``runs/lab/RUN``."""
    return cfg.root / LAB_DIR / cfg.name


AUDIT_ENV = "REVALIGN_AUDIT_OPENS"


def record_opens(log: Path, root: Path) -> None:
    """Append to *log* every file under *root* this process opens for reading from now on.

    For the test that a stage reads nothing its registry entry does not declare
    (tests/e2e/test_make.py); enabled by ``REVALIGN_AUDIT_OPENS=FOLDER`` (one log per stage).
    """
    import sys

    root = root.resolve()
    seen: set[str] = set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not args or not isinstance(args[0], str | Path):
            return
        mode, flags = (args[1] if len(args) > 1 else "r"), (args[2] if len(args) > 2 else 0)
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & (os.O_WRONLY | os.O_RDWR):
            return
        path = os.path.abspath(args[0])
        if path in seen or not path.startswith(str(root) + os.sep):
            return
        seen.add(path)
        with open(log, "a", encoding="utf-8") as f:  # noqa: PTH123 - a write: not recorded
            f.write(os.path.relpath(path, root) + "\n")

    sys.addaudithook(hook)


def start(stage: str, params_file: str, show: bool = True, **overrides: Any) -> tuple[RunConfig, StageFiles]:
    """Load the run for stage *stage* of a notebook; return ``(cfg, out)`` (see the module docstring)."""
    root = config.repo_root()
    if os.environ.get(AUDIT_ENV):
        record_opens(Path(os.environ[AUDIT_ENV]) / f"{stage}.txt", root)
    check_names(stage, _assigned_in_parameters_cell())
    values = overrides_for(stage, overrides)
    if by_pipeline() and not values:
        cfg = config.load(params_file)
    else:
        regular = config.load(params_file, overrides=values)
        cfg = config.load(params_file, overrides=values, output_dir=lab_dir(regular), reads_from=regular)
    cfg.ensure_dirs()
    from revalign.plotting import style

    style.apply()
    if show:
        _show(cfg, values, root)
    return cfg, stage_files(cfg, stage)


def where_outputs_go(cfg: RunConfig, values: dict[str, Any]) -> str:
    """Markdown: where this execution writes, and what it overrides."""
    if cfg.reads_from is None:
        folders = sorted({cfg.rel(d) for d in (cfg.processed_dir, cfg.figures_dir, cfg.report_path.parent)})
        text = "**Outputs** go to " + ", ".join(f"`{f}/`" for f in folders) + " (run by `make report`)."
    else:
        regular = cfg.reads_from
        text = (
            f"**Outputs of this interactive run** go to `{cfg.rel(cfg.out)}/` (tables in `processed/`, "
            f"figures in `figures/`), never to the run's own results (`make report` writes those). "
            f"Files of earlier stages are read from there when this session wrote them, else from "
            f"`{regular.rel(regular.processed_dir)}/` and `{regular.rel(regular.figures_dir)}/`."
        )
    if values:
        text += " Overridden here: " + ", ".join(f"`{k}` = `{v!r}`" for k, v in values.items()) + "."
    return text


def _show(cfg: RunConfig, values: dict[str, Any], root: Path) -> None:
    from IPython.display import Markdown, display

    from revalign.project.describe import run_overview

    display(Markdown(run_overview(cfg) + "\n\n" + where_outputs_go(cfg, values)))
