"""Office Open XML files (XLSX) with the same bytes on every run.

A spreadsheet written by openpyxl carries the time it was written, in its ZIP entries and in
``docProps/core.xml``; :func:`normalise_zip` replaces both with fixed values.
"""

from __future__ import annotations

import io
import re
import zipfile

FIXED_DATETIME = "2000-01-01T00:00:00Z"
ZIP_DATETIME = (1980, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML ZIP with fixed entry timestamps and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + FIXED_DATETIME + m.group(3),
                    text,
                )
                content = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATETIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, content)
    return out.getvalue()


def to_xlsx_bytes(
    df,
    sheet: str = "Table 1",
    title: str = "",
    freeze_header: bool = False,
    notes: list[str] | None = None,
    notes_sheet: str = "Notes",
) -> bytes:
    """*df* as a one-sheet XLSX workbook, the same bytes for the same frame.

    Header in bold, text wrapped, columns as wide as their longest value (10 to 60
    characters); ``freeze_header`` keeps the header row in view. Every text cell is a string
    cell, never a formula (:func:`_text_cells_as_strings`); numbers stay numbers. *notes*, when
    given, go one per row on a second sheet (*notes_sheet*).
    """
    import datetime

    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    fixed = datetime.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "revalign"
    wb.properties.title = title or None
    ws.append(list(df.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in df.itertuples(index=False):
        ws.append([_cell_value(v, pd) for v in row])
    _text_cells_as_strings(ws)
    for i, col in enumerate(df.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in df[col]])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, max(10, longest + 2))
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if freeze_header:
        ws.freeze_panes = "A2"
    if notes:
        wn = wb.create_sheet(notes_sheet[:31])
        for note in notes:
            wn.append([note])
        _text_cells_as_strings(wn)
        wn.column_dimensions["A"].width = 100
        for r in wn.iter_rows():
            r[0].alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue())


def _cell_value(v, pd):
    """A missing number or text: an empty cell; a numpy scalar: its Python value."""
    if v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    return v.item() if hasattr(v, "item") else v


def _text_cells_as_strings(ws) -> None:
    """Every text cell a string cell, never a formula (openpyxl makes a text beginning with
    "=" a formula); a text a spreadsheet would run as a formula (= + - @ tab CR, see
    :func:`revalign.core.atomic.spreadsheet_text`) is also marked "quote prefix", so it stays
    text when someone edits the cell. The text itself is unchanged."""
    from revalign.core.atomic import FORMULA_START, spreadsheet_text

    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_START) and spreadsheet_text(cell.value) != cell.value:
                    cell.quotePrefix = True
