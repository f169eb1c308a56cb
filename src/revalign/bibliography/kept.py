"""The bibliography read once per run: ``revalign check`` keeps its import for stage 01 (issue 27).

``make report`` checks every input first (``revalign check``), and the check of the bibliography is
the whole import: reading, normalising and de-duplicating every export (to list each problem with its
line). Stage 01 then needs exactly that import again, and at 200,000 records it is the largest single
cost of the run. So the check that ``make`` runs (with ``REVALIGN_KEEP_IMPORT=1`` in its environment; a
``revalign check`` typed by hand writes nothing) keeps what it read (:func:`read_and_keep`) in the run's build folder
(Make's own files, ``revalign.core.config.build_dir``: ``data/interim/.make/import/`` or
``runs/NAME/.make/import/``), and stage 01 takes it from there (:func:`take`) instead of reading the
exports again.

What is kept is tied to what made it (:func:`import_key`): the bytes of every bibliography file, the
parameters the import uses (the files' column maps, ``source_categories``), the bytes of every file of
the installed revalign package and the versions of pandas and pyarrow. Stage 01 uses it only when the
key it computes now is the key stored with it, so an export, a parameter or the program changed since
the check means a fresh import. Each table is an Arrow IPC file (pyarrow; pandas' column types come
back as they were, and no code is run when it is read, unlike a pickle), with the key and the import's
warnings in its metadata. Stage 01 removes what it took; a folder it cannot read is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from revalign.bibliography.importer import ImportResult, read_bibliography

if TYPE_CHECKING:
    from revalign.core.config import RunConfig

TABLES = ("records", "merges", "rejects", "per_file")
_KEY = b"revalign.import.key"
_WARNINGS = b"revalign.import.warnings"
_CHUNK = 1 << 20


def folder(cfg: RunConfig) -> Path:
    """Where run *cfg*'s import is kept: ``import/`` in the run's build folder."""
    from revalign.core.config import build_dir

    return build_dir(cfg) / "import"


def _package_digest() -> str:
    """The revalign package as installed, by the name, size and modification time of each of its files
    (read from the folder, not from the files: a stage opens only the files it declares)."""
    import revalign

    h = hashlib.sha256()
    pkg = Path(revalign.__file__).resolve().parent
    for f in sorted(pkg.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            st = f.stat()
            h.update(f"{f.relative_to(pkg).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def import_key(cfg: RunConfig) -> str:
    """What the import of run *cfg* depends on, as one digest (see the module's docstring)."""
    import pandas as pd
    import pyarrow as pa

    h = hashlib.sha256()
    h.update(f"{_package_digest()} pandas {pd.__version__} pyarrow {pa.__version__}\0".encode())
    h.update(json.dumps(cfg.source_categories, sort_keys=True, default=str).encode() + b"\0")
    for p in cfg.bibliography_files:
        columns = json.dumps(getattr(p, "columns", None), sort_keys=True, default=str)
        h.update(f"{Path(p).resolve()}\0{columns}\0".encode())
        with open(p, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def read_run_bibliography(cfg: RunConfig) -> ImportResult:
    """The import of run *cfg*'s bibliography, as stage 01 makes it."""
    return read_bibliography(cfg.bibliography_files, source_categories=cfg.source_categories)


#: set (to 1) by the Makefile for the check it runs before the stages
KEEP_ENV = "REVALIGN_KEEP_IMPORT"


def read_and_keep(cfg: RunConfig) -> ImportResult:
    """Import run *cfg*'s bibliography (InputError as the import raises it) and, when the environment
    asks for it (:data:`KEEP_ENV`), keep the result for stage 01. Keeping is best effort: a folder that
    cannot be written only costs stage 01 an import."""
    import os

    if os.environ.get(KEEP_ENV) != "1":
        return read_run_bibliography(cfg)
    key = import_key(cfg)
    result = read_run_bibliography(cfg)
    from revalign.core.errors import InputError

    with contextlib.suppress(OSError, ValueError, ImportError, InputError):  # InputError: the atomic writer's refusals
        _save(cfg, result, key)
    return result


def _save(cfg: RunConfig, result: ImportResult, key: str) -> None:
    import pyarrow as pa

    from revalign.core.atomic import atomic_path, link_on_the_way

    where = folder(cfg)
    if link_on_the_way(where / "records.arrow") is not None:  # nothing written through a planted link
        return
    where.mkdir(parents=True, exist_ok=True)
    meta = {_KEY: key.encode(), _WARNINGS: json.dumps(list(result.warnings)).encode()}
    for name in TABLES:
        table = pa.Table.from_pandas(getattr(result, name), preserve_index=True)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
        with (
            atomic_path(where / f"{name}.arrow", suffix=".arrow.tmp") as tmp,
            pa.OSFile(str(tmp), "wb") as sink,
            pa.ipc.new_file(sink, table.schema) as writer,
        ):
            writer.write_table(table)


def take(cfg: RunConfig) -> ImportResult | None:
    """The import ``revalign check`` kept for run *cfg*, when it was made from what the run has now
    (else None); the kept files are removed either way."""
    import pyarrow as pa

    from revalign.core.atomic import link_on_the_way

    where = folder(cfg)
    if link_on_the_way(where / "records.arrow") is not None:  # nothing read or removed through a planted link
        return None
    paths = [where / f"{name}.arrow" for name in TABLES]
    if not all(p.is_file() for p in paths):
        return None
    try:
        key = import_key(cfg).encode()
        tables, warnings = {}, None
        for name, path in zip(TABLES, paths, strict=True):
            with pa.OSFile(str(path), "rb") as source:
                table = pa.ipc.open_file(source).read_all()
            meta = table.schema.metadata or {}
            if meta.get(_KEY) != key:
                return None
            warnings = json.loads(meta[_WARNINGS])
            tables[name] = table.to_pandas()
        return ImportResult(**tables, warnings=list(warnings or []))
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None
    finally:
        for p in paths:
            with contextlib.suppress(OSError):
                p.unlink()
