"""A table for people: a CSV and an XLSX workbook of the same rows, safe to open in a spreadsheet.

The stage that makes a large table writes its spreadsheet copies (:func:`write_table`) while it
has the table at hand: stage 01 the corpus, stage 02 the screening decisions (files declared in
:data:`revalign.pipeline.stages.STAGES`). The report links them beside its page
(:mod:`revalign.report.exports`), so building the page does not grow with the corpus (issue 27).

Safe for a spreadsheet: a text a spreadsheet would run as a formula is neutralised
(:func:`revalign.core.atomic.spreadsheet_text` in the CSV; a string cell marked "quote prefix"
in the XLSX), characters a worksheet cannot hold are dropped, and a cell is cut at Excel's
32,767 characters. The workbook leaves out the long texts (:data:`CSV_ONLY`: abstracts,
keywords, the export records a work was merged from), which the CSV file keeps.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from revalign.core.atomic import spreadsheet_text, write_bytes, write_csv

#: long-text columns the workbook leaves to the CSV file (they are most of its bytes and of the time
#: to write it; a spreadsheet is for sorting and filtering the works)
CSV_ONLY = ("abstract", "keywords", "origins")
XLSX_MAX_CELL = 32_767
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def read_table(source: Path) -> pd.DataFrame:
    """A CSV a stage wrote, every cell as its text (a missing cell is "")."""
    return pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str, identifier: str) -> bytes:
    """*df* (text columns) as a one-sheet workbook, written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from revalign.core.ooxml import normalise_zip

    wb = Workbook(write_only=True)
    wb.properties.creator = "revalign"
    wb.properties.identifier = identifier
    ws = wb.create_sheet(sheet[:31])
    ws.freeze_panes = "A2"
    header = []
    for col in df.columns:
        cell = WriteOnlyCell(ws, value=str(col))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    clean = df.astype(str).apply(lambda s: s.str.replace(_ILLEGAL, "", regex=True).str.slice(0, XLSX_MAX_CELL))
    risky = clean.apply(lambda s: s.str.startswith(("=", "+", "-", "@"))).to_numpy().any(axis=1)
    for values, is_risky in zip(clean.itertuples(index=False, name=None), risky, strict=True):
        if not is_risky:
            ws.append([v if v else None for v in values])
            continue
        row = []
        for v in values:
            if v and spreadsheet_text(v) != v:  # would run as a formula: a string cell, shown as typed
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"
                cell.quotePrefix = True
                row.append(cell)
            else:
                row.append(v or None)
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def write_table(source: Path | pd.DataFrame, csv_path: Path, xlsx_path: Path, sheet: str, identifier: str = "") -> int:
    """Write the CSV file *source* (a stage's table, or that file as :func:`read_table` read it) as *csv_path*
    (every column) and *xlsx_path* (without :data:`CSV_ONLY`), both safe for a spreadsheet; returns the
    number of rows."""
    df = source if isinstance(source, pd.DataFrame) else read_table(source)
    write_csv(df, csv_path, spreadsheet=True)
    write_bytes(xlsx_path, xlsx_bytes(df.drop(columns=[c for c in CSV_ONLY if c in df.columns]), sheet, identifier))
    return len(df)
