"""Write files atomically: to a temporary name beside the target, then rename.

A failure part-way leaves the previous file untouched and no temporary behind.
Files whose new content equals the old are not rewritten, so their modification
time (and Make's view of them) is unchanged.

Safety rules (SECURITY.md):

- only a new path or an existing regular file is written: a device (``/dev/full``),
  a FIFO, a socket or a folder is refused with :class:`InputError`, never replaced;
- nothing is written through a symbolic link: a target that is a link, or that lies in a
  project folder (the one holding ``pyproject.toml`` and ``src/revalign``) below a folder
  that is a link (``runs/NAME/processed`` planted as a link to another folder), is refused
  (:func:`link_on_the_way`);
- an OSError while writing (full disk, read-only folder, a file where a folder should
  be) becomes an :class:`InputError` naming the target (one line, exit 2 in the CLI);
- inside :func:`all_or_none` several files are written together: each goes to its
  temporary file first, and only when all are complete are they moved into place (a
  failed move puts back the ones already moved);
- temporary files are named ``.NAME.PID-RANDOM...``; the ones of a process that no
  longer runs (or, for names without a process id, older than :data:`STALE_AFTER`) are
  removed the next time NAME is written. :func:`cleanup_on_signals` turns SIGTERM and
  SIGHUP into an exception, so a killed command still removes its temporary files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from revalign.core.errors import InputError

if TYPE_CHECKING:  # imported where used: importing this module costs no pandas
    import pandas as pd

T = TypeVar("T")

STALE_AFTER = 600  # seconds: a temporary file without a process id older than this is stale
_PID_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[A-Za-z0-9_]+")
_LIVE_TEMPS: set[Path] = set()  # temporaries of this process, removed on a signal
_PENDING: list[list[tuple[Path, Path]]] = []  # stack of open all_or_none() blocks: (tmp, target)


# ---- checks --------------------------------------------------------------------------------
def file_kind(mode: int) -> str | None:
    """What a path of this ``st_mode`` is when it is not a regular file ("a folder", "a FIFO (named
    pipe)", "a device", "a socket"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _project_folder(path: Path) -> Path | None:
    """The nearest folder above *path* (as written, links not resolved) that holds a revalign
    project: ``pyproject.toml`` and ``src/revalign``."""
    for folder in path.parents:
        if (folder / "pyproject.toml").is_file() and (folder / "src" / "revalign").is_dir():
            return folder
    return None


def link_on_the_way(target: str | Path) -> Path | None:
    """The symbolic link a write of *target* would go through, or None.

    That is *target* itself when it is a link, or a folder between the project folder that
    holds *target* and *target* (``runs/NAME/processed`` planted as a link). Links above the
    project folder (a home folder that is a link) and anywhere outside a project are the
    user's own choice and are followed."""
    path = Path(os.path.abspath(target))
    if path.is_symlink():
        return path
    root = _project_folder(path)
    if root is None:
        return None
    for folder in path.parents:
        if folder == root:
            break
        if folder.is_symlink():
            return folder
    return None


def check_writable_target(target: str | Path) -> None:
    """Raise InputError unless *target* is a new path or an existing regular file whose
    folder exists or can be created, reached through no symbolic link (:func:`link_on_the_way`)."""
    target = Path(target)
    link = link_on_the_way(target)
    if link is not None:
        what = "is a symbolic link" if link == Path(os.path.abspath(target)) else f"is in {link}, a symbolic link"
        raise InputError(target, f"{what} (to {os.readlink(link)}); refusing to write through it; remove the link")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:  # e.g. a path through a regular file: ENOTDIR
        raise _output_error(target, exc) from None
    kind = file_kind(st.st_mode) if st is not None else None  # None: a regular file, or none yet
    if kind is not None:
        hint = "; give a file name inside it" if kind == "a folder" else ""
        raise InputError(target, f"is {kind}, not a regular file; refusing to write to it{hint}")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise InputError(target, f"cannot create its folder: {parent} is a file, not a folder")


def check_input_file(path: str | Path) -> None:
    """Raise InputError if *path* exists but is not a regular file (a FIFO or a device
    would block or never end; a folder is reported by the reader)."""
    try:
        st = os.stat(path)
    except OSError:
        return  # missing: the reader says "file not found"
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        raise InputError(path, f"is {file_kind(st.st_mode)}, not a regular file; give a file")


def _output_error(target: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and not target.parent.is_dir():
        reason = "its folder is a file, not a folder"
    return InputError(target, f"cannot write: {reason}")


# ---- temporary files -----------------------------------------------------------------------
def pid_running(pid: int) -> bool:
    """Whether a process *pid* runs on this machine (this process does; pid 0 or less never)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temporaries(target: str | Path) -> list[Path]:
    """Remove temporary files of *target* left by a killed run; return them."""
    target = Path(target)
    removed: list[Path] = []
    prefix = f".{target.name}."
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or ".tmp" not in name[len(prefix) :]:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            m = _PID_RE.match(name)
            if m and m.group("name") == target.name:
                stale = not pid_running(int(m.group("pid")))
            else:
                stale = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _new_temp(target: Path, suffix: str | None) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(target)
        fd, tmp = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{os.getpid()}-", suffix=suffix or target.suffix + ".tmp"
        )
    except OSError as exc:
        raise _output_error(target, exc) from None
    os.close(fd)
    path = Path(tmp)
    _LIVE_TEMPS.add(path)
    return path


def _discard(tmp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    _LIVE_TEMPS.discard(tmp)


def _same_bytes(a: Path, b: Path) -> bool:
    import filecmp

    if a.stat().st_size != b.stat().st_size:
        return False
    return filecmp.cmp(a, b, shallow=False)  # compared in chunks, never two whole files in memory


def _move_into_place(tmp: Path, target: Path) -> bool:
    """Move *tmp* over *target*; False if target already had these bytes (tmp removed)."""
    check_writable_target(target)  # the target may have changed since the command started
    try:
        if target.exists() and _same_bytes(tmp, target):
            _discard(tmp)
            return False
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise _output_error(target, exc) from None
    _LIVE_TEMPS.discard(tmp)
    return True


@contextlib.contextmanager
def atomic_path(target: str | Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside *target*; move it over *target* on success.

    If the finished temporary file is byte-identical to an existing target, the
    target is left alone. On any exception the temporary file is removed. Inside
    :func:`all_or_none` the move waits for the end of the block.
    """
    target = Path(target)
    check_writable_target(target)
    tmp = _new_temp(target, suffix)
    try:
        yield tmp
        if _PENDING:
            _PENDING[-1].append((tmp, target))
        else:
            _move_into_place(tmp, target)
    except BaseException:
        _discard(tmp)
        raise


@contextlib.contextmanager
def all_or_none() -> Iterator[None]:
    """Write every file of the block, or none of them.

    Files written with :func:`atomic_path` (and the ``write_*`` helpers) inside the block
    stay in their temporary files until the block ends without an exception; then all are
    moved into place. If a move fails, the targets already moved are put back as they were.
    """
    batch: list[tuple[Path, Path]] = []
    _PENDING.append(batch)
    try:
        yield
    except BaseException:
        _PENDING.pop()
        for tmp, _ in batch:
            _discard(tmp)
        raise
    _PENDING.pop()
    seen: dict[Path, Path] = {}
    for tmp, target in batch:
        key = Path(os.path.abspath(target))
        if key in seen:
            for t, _ in batch:
                _discard(t)
            raise InputError(target, "written twice by one command; give each output its own name")
        seen[key] = tmp
    backups: list[tuple[Path, Path | None]] = []  # (target, backup of its old content or None)
    try:
        for tmp, target in batch:
            backup = None
            if target.exists():
                backup = _new_temp(target, ".bak.tmp")
                os.unlink(backup)
                try:
                    os.link(target, backup)
                except OSError:
                    backup.write_bytes(target.read_bytes())
            backups.append((target, backup))
            _move_into_place(tmp, target)
    except BaseException:
        for target, backup in reversed(backups):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                    _LIVE_TEMPS.discard(backup)
                else:
                    target.unlink()
        for tmp, _ in batch:
            _discard(tmp)
        for _, backup in backups:
            if backup is not None:
                _discard(backup)
        raise
    for _, backup in backups:
        if backup is not None:
            _discard(backup)


# ---- signals -------------------------------------------------------------------------------
class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM or SIGHUP."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`Terminated` (so every open
    temporary file is removed on the way out); afterwards any leftover is removed too."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    old: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            old[sig] = signal.signal(sig, on_signal)
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        for tmp in list(_LIVE_TEMPS):
            _discard(tmp)


# ---- writers -------------------------------------------------------------------------------
def write_bytes(target: str | Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write *text* with LF line endings, atomically."""
    return write_bytes(target, text.encode(encoding))


# Spreadsheet programs run a cell that begins with one of these as a formula (OWASP, "CSV
# Injection"): = + - @, and tab or carriage return (which some programs strip first).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def spreadsheet_text(value: T) -> T | str:
    """*value* safe for a spreadsheet cell: a text that a spreadsheet would run as a formula
    gets a leading apostrophe; numbers (also negative ones, also as text) stay as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START) or _NUMBER_RE.match(value):
        return value
    return "'" + value


def from_spreadsheet_text(value: T) -> T | str:
    """The text :func:`spreadsheet_text` neutralised, as it was: the apostrophe before a text a
    spreadsheet would run is dropped (for a sheet people edited and revalign reads back). Any
    other apostrophe is the person's own and stays."""
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_START):
        rest = value[1:]
        if not _NUMBER_RE.match(rest):
            return rest
    return value


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of *df* with :func:`spreadsheet_text` applied to every text cell and header."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for col in out.columns:
        if is_object_dtype(out[col].dtype) or is_string_dtype(out[col].dtype):
            out[col] = out[col].map(spreadsheet_text, na_action="ignore")
    out.columns = [spreadsheet_text(c) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, target: str | Path, spreadsheet: bool = False, **kwargs: Any) -> Path:
    """Write a DataFrame as UTF-8 CSV with LF line endings, without the index.

    ``spreadsheet=True`` is for a report meant to be opened in a spreadsheet program:
    text cells that would run as formulas are neutralised (:func:`spreadsheet_text`).
    Data files that a later stage or another program reads back keep the exact text.
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    kwargs.setdefault("encoding", "utf-8")
    if spreadsheet:
        df = spreadsheet_frame(df)
    chunks = None
    if kwargs == {"index": False, "lineterminator": "\n", "encoding": "utf-8"}:
        from revalign.core.csvtext import csv_chunks

        chunks = csv_chunks(df)  # text and integer columns: the same bytes, several times faster
    with atomic_path(target) as tmp:  # streamed to the file: no copy of the whole CSV in memory
        if chunks is None:
            df.to_csv(tmp, **kwargs)
        else:
            with open(tmp, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return Path(target)


def write_json(obj: Any, target: str | Path) -> Path:
    import json

    return write_text(target, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
