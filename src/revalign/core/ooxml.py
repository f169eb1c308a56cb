"""Office Open XML files (XLSX): written with the same bytes on every run, read back within limits.

A spreadsheet written by openpyxl carries the time it was written, in its ZIP entries and in
``docProps/core.xml``; :func:`normalise_zip` replaces both with fixed values. A sheet people
edited and give back (the disagreement sheet) is read by :func:`read_xlsx`, which checks the
archive and every XML part against limits before openpyxl builds anything.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from revalign.core.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.worksheet.worksheet import Worksheet

    from revalign.core.ziplimits import ZipLimits

T = TypeVar("T")

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
    df: pd.DataFrame,
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
    ws.append([_visible(c) for c in df.columns])
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


def _cell_value(v: Any, pd: Any) -> Any:  # pd: the pandas module, imported by the caller
    """A missing number or text: an empty cell; a numpy scalar: its Python value; a text with
    control characters: the text with each shown as a symbol (:func:`_visible`)."""
    if v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    return _visible(v.item() if hasattr(v, "item") else v)


# The control characters XML 1.0 cannot hold (openpyxl refuses them): tab, LF and CR excepted.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _visible(value: T) -> T | str:
    """*value* with every control character a worksheet cannot hold replaced by its Unicode
    "control picture" (U+2400 + code: a vertical tab shows as U+240B). ``check`` refuses such
    characters in the inputs; a writer that still meets one shows it instead of failing."""
    if isinstance(value, str) and _XML_ILLEGAL.search(value):
        return _XML_ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group(0))), value)
    return value


def _text_cells_as_strings(ws: Worksheet) -> None:
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


# ---- reading a sheet people edited ---------------------------------------------------------
# Limits of an XLSX workbook read back (SECURITY.md): openpyxl and pandas build every row up to
# the last one and every cell up to the last column of each row, so what counts is the sheet's
# extent, not the cells it stores. A disagreement sheet has 12 columns and one row per decision.
MAX_SHEET_ROWS = 100_000
MAX_SHEET_CELLS = 1_000_000  # rows x columns of a sheet's extent, declared or used
MAX_SHARED_STRINGS = 1_000_000
MAX_PART_ELEMENTS = 200_000  # XML elements of any other part (styles, workbook, relationships...)
XLSX_LIMITS = {"members": 1_000, "member_bytes": 64 * 2**20, "total_bytes": 256 * 2**20}

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _ref(value: str | None) -> tuple[int, int] | None:
    m = _CELL_REF.match(value or "")
    return (_column_number(m.group(1)), int(m.group(2))) if m else None


class _Extent:
    """The rows, columns and cells of one worksheet, counted as it streams."""

    def __init__(self, path: Path, member: str):
        self.path, self.member = path, member
        self.rows = self.cols = self.cells = 0
        self.row = self.col = 0

    def check(self) -> None:
        if self.rows > MAX_SHEET_ROWS:
            raise InputError(
                self.path,
                f"{self.member}: the sheet reaches row {self.rows:,}; a sheet read back may have at most "
                f"{MAX_SHEET_ROWS:,} rows (is this the right sheet?)",
            )
        if self.rows * self.cols > MAX_SHEET_CELLS:
            raise InputError(
                self.path,
                f"{self.member}: the sheet spans {self.rows:,} rows x {self.cols:,} columns = "
                f"{self.rows * self.cols:,} cells, more than the {MAX_SHEET_CELLS:,} cells a sheet read back may have",
            )

    def declared(self, ref: str | None) -> None:
        found = [_ref(part) for part in (ref or "").split(":")]
        corners = [c for c in found if c is not None]
        if not corners or len(corners) < len(found):
            return
        cols, rows = max(c[0] for c in corners), max(c[1] for c in corners)
        if rows * cols > MAX_SHEET_CELLS or rows > MAX_SHEET_ROWS:
            raise InputError(
                self.path,
                f"{self.member}: declares a dimension of {ref} ({rows:,} rows x {cols:,} columns), more than "
                f"the {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_CELLS:,} cells a sheet read back may have",
            )

    def start_row(self, r: str | None) -> None:
        self.row = int(r) if r and r.isdigit() else self.row + 1
        self.col = 0
        self.rows = max(self.rows, self.row)
        self.check()

    def cell(self, r: str | None) -> None:
        ref = _ref(r)
        self.col = ref[0] if ref else self.col + 1
        if ref:
            self.rows = max(self.rows, ref[1])
        self.cols = max(self.cols, self.col)
        self.cells += 1
        self.check()


def _scan_part(zf: zipfile.ZipFile, path: Path, member: str, limits: ZipLimits) -> None:
    """Stream one XML part of a workbook and refuse it if it declares a DOCTYPE, holds too many
    elements, or (a worksheet, the shared strings) is larger than the limits above."""
    from lxml import etree

    from revalign.core.ziplimits import MemberStream

    low = member.lower()
    sheet = _Extent(path, member) if low.startswith("xl/worksheets/") else None
    shared = low.endswith("sharedstrings.xml")
    budget = 4 * MAX_SHEET_CELLS if sheet else 4 * MAX_SHARED_STRINGS if shared else MAX_PART_ELEMENTS
    elements = strings = 0
    stream = io.BufferedReader(MemberStream(zf, path, member, limits), 2**16)
    try:
        events = etree.iterparse(
            stream, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
        )
        for event, el in events:
            if event == "end":
                if el.getparent() is not None:
                    el.clear()  # only counts are kept: the part is never held whole
                    while el.getprevious() is not None:
                        del el.getparent()[0]
                continue
            if elements == 0 and el.getroottree().docinfo.doctype:
                raise InputError(path, f"{member}: a DOCTYPE (DTD, entities) is not allowed in a workbook")
            elements += 1
            if elements > budget:
                raise InputError(path, f"{member}: more than {budget:,} XML elements; refusing to read more")
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if sheet is not None:
                if tag == "dimension":
                    sheet.declared(el.get("ref"))
                elif tag == "row":
                    sheet.start_row(el.get("r"))
                elif tag == "c":
                    sheet.cell(el.get("r"))
            elif shared and tag == "si":
                strings += 1
                if strings > MAX_SHARED_STRINGS:
                    raise InputError(path, f"{member}: more than {MAX_SHARED_STRINGS:,} shared strings")
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"{member}: malformed XML ({exc.msg}); save the sheet again") from None


def read_xlsx(path: str | Path) -> pd.DataFrame:
    """The first sheet of the workbook at *path* as text (every cell a string, empty cells ''),
    read with openpyxl (through pandas) once every part has been checked against the limits
    above without being held whole (:mod:`revalign.core.ziplimits` for the archive)."""
    import pandas as pd

    from revalign.core.ziplimits import ZipLimits, open_zip

    path = Path(path)
    limits = ZipLimits(**XLSX_LIMITS)
    zf = open_zip(
        path,
        limits,
        "not an XLSX workbook (not a ZIP archive); save the sheet as .xlsx or .csv",
        what="an XLSX workbook",
        again="save the sheet again",
    )
    with zf:
        for member in zf.namelist():
            if member.lower().endswith((".xml", ".rels", ".vml")):
                _scan_part(zf, path, member, limits)
    try:
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a user error
        raise InputError(path, f"not a readable XLSX workbook ({type(exc).__name__})") from None
