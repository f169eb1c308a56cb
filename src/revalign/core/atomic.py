"""Write files atomically: to a temporary name beside the target, then rename.

A failure part-way leaves the previous file untouched and no temporary behind.
Files whose new content equals the old are not rewritten, so their modification
time (and Make's view of them) is unchanged.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(target: str | Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside *target*; move it over *target* on success.

    If the finished temporary file is byte-identical to an existing target, the
    target is left alone. On any exception the temporary file is removed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=suffix or target.suffix + ".tmp"
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if target.exists() and _same_bytes(tmp_path, target):
            tmp_path.unlink()
        else:
            os.chmod(tmp_path, 0o644)
            os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def _same_bytes(a: Path, b: Path) -> bool:
    import filecmp

    if a.stat().st_size != b.stat().st_size:
        return False
    return filecmp.cmp(a, b, shallow=False)  # compared in chunks, never two whole files in memory


def write_bytes(target: str | Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write *text* with LF line endings, atomically."""
    return write_bytes(target, text.encode(encoding))


def write_csv(df, target: str | Path, **kwargs) -> Path:
    """Write a DataFrame as UTF-8 CSV with LF line endings, without the index."""
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    kwargs.setdefault("encoding", "utf-8")
    with atomic_path(target) as tmp:  # streamed to the file: no copy of the whole CSV in memory
        df.to_csv(tmp, **kwargs)
    return Path(target)


def write_json(obj, target: str | Path) -> Path:
    import json

    return write_text(target, json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
