"""Input paths stay inside the project folder (SECURITY.md, "A file may not read your files").

A parameter file, a codebook (``base:``) or a sheet (a reconcile sheet's ``coding_a``) names
other files. Such a file may come from someone else, so every path it names must lie inside
the project folder once ``..`` and symbolic links are resolved: an absolute path elsewhere,
``../outside/...`` and a link inside a shared data folder that points outside are refused.

The user may allow more folders on their own machine, never a shared file: the environment
variable :data:`ALLOW_ENV` lists them, separated like ``PATH`` (``:`` on Linux and macOS),
for example ``REVALIGN_ALLOW_INPUTS_FROM=~/Zotero/exports``. A folder allowed there allows
everything below it, nothing beside it.

Paths the user types on the command line (``bib import FILE``, ``--codebook``, ``--a``) are
their own choice and are not confined.
"""

from __future__ import annotations

import os
from pathlib import Path

ALLOW_ENV = "REVALIGN_ALLOW_INPUTS_FROM"


def project_folder(path: str | Path) -> Path | None:
    """The nearest folder above *path* (taken as written, links not resolved) that holds a
    revalign project: ``pyproject.toml`` and ``src/revalign``; None outside any project."""
    for folder in Path(os.path.abspath(path)).parents:
        if (folder / "pyproject.toml").is_file() and (folder / "src" / "revalign").is_dir():
            return folder
    return None


def allowed_folders(root: str | Path) -> list[Path]:
    """The folders inputs may come from: *root* (the project folder) and the folders the user
    lists in :data:`ALLOW_ENV`, all with their links resolved."""
    folders = [Path(os.path.realpath(root))]
    for part in os.environ.get(ALLOW_ENV, "").split(os.pathsep):
        if part.strip():
            folders.append(Path(os.path.realpath(os.path.expanduser(part.strip()))))
    return folders


def outside(path: str | Path, root: str | Path) -> str | None:
    """Why *path* may not be read, or None when, after ``..`` and symbolic links are resolved,
    it lies inside the project folder *root* or a folder listed in :data:`ALLOW_ENV`.

    The reason is written to follow the path as the file names it:
    ``"... is outside the project folder; ..."``."""
    real = Path(os.path.realpath(path))
    if any(real == folder or real.is_relative_to(folder) for folder in allowed_folders(root)):
        return None
    plain = Path(os.path.normpath(os.path.abspath(path)))
    how = f" (it leads to {real} through a symbolic link)" if plain != real else ""
    return (
        f"is outside the project folder{how}; a parameter file, codebook or sheet may name only files "
        f"inside the project. To read inputs from a folder of your own on this computer, list it in the "
        f"environment variable {ALLOW_ENV} (see SECURITY.md)"
    )


def refuse_outside(path: str | Path, root: str | Path | None = None) -> None:
    """Raise InputError when *path*, a file read because of where it lies rather than because a
    file names it (``in_text_citations.csv`` beside the bibliography), leads outside *root*
    (default: the project folder that holds it, else its own folder) through a symbolic link."""
    from revalign.core.errors import InputError

    if root is None:
        root = project_folder(path) or Path(os.path.abspath(path)).parent
    reason = outside(path, root)
    if reason is not None:
        raise InputError(path, reason)
