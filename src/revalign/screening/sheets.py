"""Tables people and screening tools write: CSV, TSV or an Excel workbook, read with line numbers.

:func:`read_table` returns every cell as text (missing cells ``""``) and a ``_line`` column: the
line of the file where the row starts (CSV, TSV; a quoted cell may span lines) or the row of the
worksheet (XLSX, header = row 1), so every message can name ``FILE:LINE``. The format is told by
the content: a ZIP archive is a workbook (its first sheet), otherwise text, tab-separated when
the header line has tabs and no commas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from revalign.core.atomic import FORMULA_START
from revalign.core.csvrows import csv_rows
from revalign.core.errors import InputError
from revalign.core.yamlio import read_text_checked

ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(path: str | Path) -> bool:
    """Whether *path* is a ZIP archive (an XLSX workbook), from its first bytes."""
    if not Path(path).is_file():
        read_text_checked(path)  # "not found" / "is a folder", worded like every other input
    with open(path, "rb") as fh:
        return fh.read(4) == ZIP_MAGIC


def _csv_rows(path: Path, text: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    parsed = csv_rows(text, delimiter)
    if parsed.problem:
        raise InputError(path, parsed.problem[1], parsed.problem[0])
    header, rows, lines = parsed.header, parsed.rows, parsed.lines
    for row, line in zip(rows, lines, strict=True):
        if header is not None and len(row) != len(header):
            raise InputError(path, f"this row has {len(row)} cells, the header has {len(header)}", line)
    if header is None:
        raise InputError(path, "the file is empty: expected a header line and one row per decision", 1)
    return header, rows, lines


def _workbook_rows(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        values = list(ws.iter_rows(values_only=True))
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file to fix
        raise InputError(path, f"not a readable XLSX workbook ({type(exc).__name__}); save it again as .xlsx") from None

    def text(v) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        s = str(v)
        # a text cell a spreadsheet would run as a formula is written with a leading apostrophe
        return s[1:] if s[:1] == "'" and s[1:].startswith(FORMULA_START) else s

    header: list[str] | None = None
    rows, lines = [], []
    for n, row in enumerate(values, start=1):
        cells = [text(v) for v in row]
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        rows.append((cells + [""] * len(header))[: len(header)])
        lines.append(n)
    if header is None:
        raise InputError(path, "the workbook's first sheet is empty", 1)
    return header, rows, lines


def read_table(path: str | Path) -> pd.DataFrame:
    """The table in *path* (CSV, TSV or XLSX) as text, with the column ``_line``; see the module doc."""
    path = Path(path)
    if not path.is_file():
        read_text_checked(path)  # "not found" / "is a folder", worded like every other input
    if is_workbook(path):
        header, rows, lines = _workbook_rows(path)
    else:
        text = read_text_checked(path)
        first = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first and "," not in first else ","
        header, rows, lines = _csv_rows(path, text, delimiter)
    named = [c for c in header if c]  # a column without a name (a spreadsheet's empty column) is left out
    if len(set(named)) != len(named):
        twice = sorted({c for c in named if named.count(c) > 1})
        raise InputError(path, f"the header names the column(s) {', '.join(twice)} twice", 1)
    keep = [i for i, c in enumerate(header) if c]
    df = pd.DataFrame([[r[i] for i in keep] for r in rows], columns=[header[i] for i in keep], dtype=object)
    df = df.fillna("").astype(str)
    df["_line"] = lines
    return df
