"""nbval, made to compare figures and to say what differs where (``-p revalign.pipeline.nbval_plugin``).

- Figures are compared: nbval leaves ``image/png`` out of the comparison unless it runs with
  nbdime; here the stored PNG and the new one must be the same bytes (the notebooks draw
  deterministically: ``revalign.plotting``). A different figure is reported with both
  images' size and SHA-256, and the new one is saved beside the scratch copy to look at.
- A failure names the notebook and the cell (its number among all cells, as JupyterLab counts
  them, its id and first line) and shows the stored output ("committed") against the new one,
  as a diff from committed to new.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import struct
from pathlib import Path

import pytest

IMAGE_KEYS = ("image/png",)


def _png_summary(data: str) -> tuple[str, bytes]:
    raw = base64.b64decode(data) if data else b""
    size = ""
    if raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) >= 24:
        w, h = struct.unpack(">II", raw[16:24])
        size = f"{w}x{h} px, "
    return f"{size}{len(raw):,} bytes, sha256 {hashlib.sha256(raw).hexdigest()[:16]}", raw


def _cell_label(item) -> str:
    cells = item.parent.nb.cells
    index = next((i for i, c in enumerate(cells) if c is item.cell), None)
    first = next((line for line in item.cell.source.splitlines() if line.strip()), "")
    number = f"cell {index + 1}" if index is not None else f"code cell {item.cell_num + 1}"
    return f"{number} (id {item.cell.get('id', '?')}): {first[:80]}"


def _format_output_compare(self, key, left, right):
    """Replace nbval's report of one differing output: committed -> new."""
    out = self.comparison_traceback
    if key in IMAGE_KEYS:
        old, _ = _png_summary(left)
        new, raw = _png_summary(right)
        out.append(f"  figure ({key}) differs:")
        out.append(f"    committed: {old}")
        out.append(f"    new:       {new}")
        scratch = os.environ.get("REVALIGN_NBVAL_SCRATCH")
        if scratch and raw:
            path = Path(scratch).parent / f"{Path(self.parent.fspath).stem}_cell{self.cell_num}_new.png"
            path.write_bytes(raw)
            out.append(f"    the new figure: {path}")
        return
    old = left if isinstance(left, str) else repr(left)
    new = right if isinstance(right, str) else repr(right)
    out.append(f"  output ({key}) differs, committed (stored in the notebook) -> new (this execution):")
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), "committed", "new", n=2, lineterm="")
    out += ["    " + line for line in diff]


def _repr_failure(self, excinfo):
    from nbval.plugin import NbCellError

    exc = excinfo.value
    where = f"{self.parent.fspath.relto(self.config.rootdir)}, {_cell_label(self)}"
    if isinstance(exc, NbCellError):
        lines = [f"error: {where}: {exc}"]
        if exc.inner_traceback:
            lines.append(str(exc.inner_traceback).strip("\n"))
        return "\n".join(lines)
    return f"error: {where}: {exc}"


def pytest_configure(config):
    from nbval import plugin

    plugin.IPyNbCell.format_output_compare = _format_output_compare
    plugin.IPyNbCell.repr_failure = _repr_failure


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Compare the figures too (nbval skips image/png without nbdime)."""
    seen = set()
    for item in items:
        nbfile = item.parent
        if id(nbfile) in seen or not hasattr(nbfile, "skip_compare"):
            continue
        seen.add(id(nbfile))
        nbfile.skip_compare = tuple(k for k in nbfile.skip_compare if k not in IMAGE_KEYS)
