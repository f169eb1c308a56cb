"""The whole corpus and the screening decisions as files beside the report (CSV and XLSX).

The page lists formatted references only for the works its evidence cites and summarises the
corpus in a few counts; a reader who wants every work, or every screening decision, opens these
files in a spreadsheet program. They sit in a folder beside the page (``report-data/``, declared
with the report stage in :data:`revalign.pipeline.stages.STAGES`), which the page links to.

Safe for a spreadsheet: a text a spreadsheet would run as a formula is neutralised
(:func:`revalign.core.atomic.spreadsheet_text` in the CSV; a string cell marked "quote prefix"
in the XLSX), characters a worksheet cannot hold are dropped, and a cell is cut at Excel's
32,767 characters.

The workbook leaves out the long texts (:data:`CSV_ONLY`: abstracts, keywords, the export records a
work was merged from), which the CSV file keeps.

Cost: the files grow with the corpus, the page does not. They are rewritten only when their
source file changed since they were written (its size and modification time, kept in the
workbook's properties): a run that changes the coding rebuilds the page, not a 50,000-row
spreadsheet.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from revalign.core.atomic import spreadsheet_text, write_bytes, write_csv

#: export name -> the stage file it is made from; the files it writes are the report stage's outputs
#: ``report-data/NAME.csv`` and ``report-data/NAME.xlsx``
EXPORTS = {"corpus": "corpus.csv", "screening": "screening.csv"}
#: long-text columns the workbook leaves to the CSV file (they are most of its bytes and of the time
#: to write it; a spreadsheet is for sorting and filtering the works)
CSV_ONLY = ("abstract", "keywords", "origins")
XLSX_MAX_CELL = 32_767
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
#: bumped when the files' layout changes, so that older exports are rewritten
LAYOUT = "2"


@dataclass(frozen=True)
class Export:
    name: str  # "corpus"
    rows: int
    csv: str  # href relative to the page
    xlsx: str
    written: bool  # False: the files of an earlier run were still current


def fingerprint(source: Path) -> str:
    st = Path(source).stat()
    return f"revalign-export {LAYOUT} {st.st_size} {st.st_mtime_ns}"


def _recorded(xlsx: Path) -> str | None:
    """The fingerprint an export workbook records (its ``identifier`` property), or None."""
    import zipfile

    try:
        with zipfile.ZipFile(xlsx) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    m = re.search(r"<dc:identifier[^>]*>([^<]*)</dc:identifier>", core)
    return m.group(1) if m else None


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


def write_export(source: Path, csv_path: Path, xlsx_path: Path, page: Path, name: str, n_rows: int) -> Export | None:
    """Write *csv_path* and *xlsx_path* from stage file *source* (*n_rows* rows; None: the run has no
    such file); their links are relative to the *page*."""
    source = Path(source)
    if not source.is_file():
        return None
    stamp = fingerprint(source)
    written = not (csv_path.is_file() and _recorded(xlsx_path) == stamp)
    if written:
        df = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(df, csv_path, spreadsheet=True)
        write_bytes(xlsx_path, xlsx_bytes(df.drop(columns=[c for c in CSV_ONLY if c in df.columns]), name, stamp))
    folder = Path(page).parent
    return Export(
        name, n_rows, csv_path.relative_to(folder).as_posix(), xlsx_path.relative_to(folder).as_posix(), written
    )


def write_exports(files, rows: dict[str, int]) -> list[Export]:
    """The exports of every stage file in :data:`EXPORTS` that the run has (*files*: the report stage's
    files, :func:`revalign.pipeline.stages.stage_files`; *rows*: rows per export)."""
    out = []
    page = files["report.html"]
    for name, file_name in EXPORTS.items():
        csv_path, xlsx_path = files[f"report-data/{name}.csv"], files[f"report-data/{name}.xlsx"]
        exp = write_export(files[file_name], csv_path, xlsx_path, page, name, rows.get(name, 0))
        if exp is not None:
            out.append(exp)
    return out
