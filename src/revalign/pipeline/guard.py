"""What protects a run's own files: no writing through planted links, one make at a time.

- :func:`check_no_links` refuses a path under the project when a folder on its way (below
  the top-level ``runs/`` or ``data/``), or the file itself, is a symbolic link: a link planted
  in ``runs/NAME/.make/`` by someone who sent the project would otherwise make ``make`` (even
  ``make -n``, which still rewrites its rules) write wherever the link points.
- :func:`write_text` writes a file of the build folder after that check, atomically.
- :func:`run_lock` lets one ``make`` (or one ``run-notebook`` outside make) work on a run at
  a time. The lock names its owner, the process id of the ``make`` that holds it (stages that
  one ``make -j2`` runs side by side share it); another owner waits until that process has
  ended, or stops at once with an error when ``REVALIGN_LOCK_WAIT=0``.

The Makefile calls this module (``python -m revalign.pipeline.guard write FILE -- CMD``) for
the files it writes itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from revalign.core.atomic import pid_running
from revalign.core.atomic import write_text as _atomic_write_text
from revalign.core.config import RunConfig, build_dir  # build_dir: also this module's name for it
from revalign.core.errors import InputError


def check_no_links(cfg: RunConfig, path: Path) -> None:
    """InputError when *path*, or a folder between the project's top-level folder and it, is a
    symbolic link (the top-level folder itself, ``runs`` or ``data``, may be one). A path
    outside the project is the user's own choice and is not checked."""
    root = cfg.root
    try:
        parts = Path(os.path.abspath(path)).relative_to(root).parts
    except ValueError:
        return  # a file the user named outside the project (run-notebook -o /tmp/x.ipynb)
    for i in range(2, len(parts) + 1):
        p = root.joinpath(*parts[:i])
        if p.is_symlink():
            raise InputError(
                cfg.params_file,
                f"{p.relative_to(root)} is a symbolic link; the run {cfg.name!r} does not write "
                "through links in its folders; remove it",
            )


def write_text(cfg: RunConfig, path: Path, text: str) -> None:
    """Write *path* (a file of the run's own folders) atomically, after :func:`check_no_links`,
    and mark it made now (Make's stamp), also when its content did not change."""
    check_no_links(cfg, path)
    _mkdirs(cfg, path.parent)
    _atomic_write_text(path, text)
    os.utime(path)


def _mkdirs(cfg: RunConfig, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    check_no_links(cfg, folder)  # a link raced in while the folders were made


# ---- the run's lock ------------------------------------------------------------------


def _owner() -> int:
    """The process a stage works for: the make that runs it (``REVALIGN_MAKE_PID``), else itself."""
    value = os.environ.get("REVALIGN_MAKE_PID", "")
    return int(value) if value.isdigit() and pid_running(int(value)) else os.getpid()


@contextlib.contextmanager
def _flock(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def acquire(cfg: RunConfig, owner: int | None = None, wait: bool | None = None) -> Path:
    """Take run *cfg*'s lock for *owner* (default: see _owner); return the lock file.

    The lock file holds the owner's process id. It is free when empty or when that process
    has ended; held by another live process, this waits for it (printing once what it waits
    for), or raises InputError when *wait* is false (``REVALIGN_LOCK_WAIT=0``).
    """
    owner = owner or _owner()
    if wait is None:
        wait = os.environ.get("REVALIGN_LOCK_WAIT", "1") != "0"
    lock = build_dir(cfg) / "lock"
    check_no_links(cfg, lock)
    _mkdirs(cfg, lock.parent)
    told = False
    while True:
        with _flock(lock) as fd:
            held = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            other = int(held) if held.isdigit() else 0
            if other in (0, owner) or not pid_running(other):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{owner}\n".encode(), 0)
                return lock
        if not wait:
            raise InputError(
                cfg.params_file,
                f"another run of this parameter file is in progress (process {other}); "
                "wait for it to finish, then run again",
            )
        if not told:
            print(
                f"waiting for the other run of {cfg.rel(cfg.params_file)} (process {other}) to finish", file=sys.stderr
            )
            told = True
        time.sleep(0.5)


def release(cfg: RunConfig, owner: int | None = None) -> None:
    """Free the lock if *owner* holds it (a make's stages leave it to the make's end)."""
    owner = owner or os.getpid()
    lock = build_dir(cfg) / "lock"
    if lock.is_symlink() or not lock.is_file():
        return
    with _flock(lock) as fd:
        held = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if held == str(owner):
            os.ftruncate(fd, 0)


@contextlib.contextmanager
def run_lock(cfg: RunConfig) -> Iterator[None]:
    """Hold run *cfg*'s lock while the block runs (see :func:`acquire`)."""
    owner = _owner()
    acquire(cfg, owner)
    try:
        yield
    finally:
        if owner == os.getpid():  # a make's lock lasts as long as the make
            release(cfg, owner)


# ---- the Makefile's helper -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m revalign.pipeline.guard write PARAMS FILE -- CMD...``: run CMD and write its
    standard output to FILE (a file of the run's build folder) when it succeeds."""
    from revalign.core.config import load

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if len(argv) < 5 or argv[0] != "write" or argv[3] != "--":
            print("usage: python -m revalign.pipeline.guard write PARAMS FILE -- CMD...", file=sys.stderr)
            return 2
        cfg = load(argv[1])
        target = Path(argv[2])
        check_no_links(cfg, Path(os.path.abspath(target)))
        proc = subprocess.run(argv[4:], stdout=subprocess.PIPE)
        sys.stdout.write(proc.stdout.decode("utf-8", "replace"))
        if proc.returncode != 0:
            return proc.returncode
        write_text(cfg, Path(os.path.abspath(target)), proc.stdout.decode("utf-8"))
        return 0
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
