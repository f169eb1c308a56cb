"""Validate the committed notebooks: ``make nbval`` (the first step of ``make test``).

``python -m revalign.pipeline.validate [NOTEBOOK...]`` copies the project as it is on disk
(the files git tracks, or everything but environments and generated folders outside git)
into a scratch folder, and there runs nbval over the stage notebooks in order: each code
cell is executed afresh and its outputs compared with the outputs stored in the notebook,
figures included (the PNG bytes; ``revalign.pipeline.nbval_plugin``). Nothing is written
into the project: the notebooks write their tables and figures into the copy. A difference
names the notebook, the cell (number among all cells, id, first line) and shows the stored
("committed") output against the new one; the copy is kept for a look at what the new
execution wrote, and its path printed. On success the copy is removed.

This runs before anything regenerates the notebooks (``make test`` runs ``make report`` only
afterwards), so a notebook whose stored outputs the code no longer produces fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from revalign.core.config import repo_root
from revalign.pipeline.stages import stage_notebooks

KERNEL_NAME = "revalign"
SKIP = {".git", ".venv", "runs", "reports", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"}


def _tracked(root: Path) -> list[str] | None:
    """The files git tracks or would track (as they are on disk), or None outside a git checkout."""
    if not (root / ".git").exists() or shutil.which("git") is None:
        return None
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True
    )
    if proc.returncode != 0:
        return None
    return [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def copy_project(root: Path, dest: Path) -> None:
    """Copy the project's sources, inputs and committed results (not .venv, runs, interim)."""
    files = _tracked(root)
    if files is None:
        files = []
        for folder, dirs, names in os.walk(root):
            here = Path(folder).relative_to(root)
            dirs[:] = [d for d in dirs if d not in SKIP and not (here == Path("data") and d == "interim")]
            files += [str(here / n) for n in names]
    for rel in files:
        src = root / rel
        if not src.is_file() or src.is_symlink():
            continue  # deleted in the work tree, or a link: nothing to validate there
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    root = repo_root()
    notebooks = [Path(a) for a in argv] or [p.relative_to(root) for p in stage_notebooks(root)]
    for nb in notebooks:
        if not (root / nb).is_file():
            print(f"error: {nb}: no such notebook", file=sys.stderr)
            return 2
    scratch = Path(tempfile.mkdtemp(prefix="revalign-nbval-"))
    copy = scratch / root.name
    print(f"validating {len(notebooks)} notebook(s) as they are in the project, executed in a scratch copy")
    copy_project(root, copy)
    env = {
        **os.environ,
        "PYTHONPATH": str(copy / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "REVALIGN_PIPELINE": "1",  # the notebooks write where make would, inside the copy
        "REVALIGN_NBVAL_SCRATCH": str(copy),
    }
    env.pop("REVALIGN_PROGRESS_TTY", None)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "revalign.pipeline.nbval_plugin",
        "--nbval",
        f"--nbval-kernel-name={KERNEL_NAME}",
        "--nbval-sanitize-with=tests/nbval_sanitize.cfg",
        "--rootdir",
        str(copy),
        "-c",
        str(copy / "pyproject.toml"),
        "-q",
        *[str(nb) for nb in notebooks],
    ]
    proc = subprocess.run(cmd, cwd=copy, env=env)
    if proc.returncode == 0:
        shutil.rmtree(scratch, ignore_errors=True)
        print(f"notebooks valid: {', '.join(nb.name for nb in notebooks)} reproduce their stored outputs")
        return 0
    print(
        f"error: the committed notebooks differ from a fresh execution (above: notebook, cell, committed vs new). "
        f"Nothing in the project was changed; the scratch copy with the new tables and figures is kept in {copy}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
