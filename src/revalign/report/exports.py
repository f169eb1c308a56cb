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

Cost: the files grow with the corpus, the page does not. The stage that writes the corpus (or the
screening decisions) writes their spreadsheet copies too (``corpus_export.csv``/``.xlsx`` in the
interim folder: :func:`revalign.core.exports.write_table`); the report links them here, which takes
no longer for 200,000 works than for 5,000 (issue 27). A run without them (an older run's folder)
gets them written here, only when their source file changed since they were written (its size
and modification time, kept in the workbook's properties).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from revalign.core.atomic import atomic_path
from revalign.core.exports import CSV_ONLY, write_table, xlsx_bytes  # noqa: F401 (the report's names)

#: export name -> the stage file it is made from; the files it writes are the report stage's outputs
#: ``report-data/NAME.csv`` and ``report-data/NAME.xlsx``
EXPORTS = {"corpus": "corpus.csv", "screening": "screening.csv"}
#: bytes compared at each end of a copy beside the page to tell it is current (:func:`_current`)
PROBE = 1 << 16
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


def _current(prepared: Path, target: Path) -> bool:
    """True when *target* is a copy of *prepared* made after *prepared* was last written: a regular
    file of the same size, not older, with the same first and last :data:`PROBE` bytes.

    A stage replaces its files (revalign.core.atomic), so a newer *prepared* means new content and
    an unchanged one keeps its time; reading both files through (hundreds of MB for a corpus of
    200,000 works) would make every report build grow with the corpus (issue 27)."""
    if not target.is_file() or target.is_symlink():
        return False
    a, b = prepared.stat(), target.stat()
    if a.st_size != b.st_size or b.st_mtime_ns < a.st_mtime_ns:
        return False
    with open(prepared, "rb") as fa, open(target, "rb") as fb:
        if fa.read(PROBE) != fb.read(PROBE):
            return False
        if a.st_size > PROBE:
            fa.seek(-PROBE, os.SEEK_END)
            fb.seek(-PROBE, os.SEEK_END)
            return fa.read(PROBE) == fb.read(PROBE)
    return True


def _link(prepared: Path, target: Path) -> bool:
    """Put a copy of *prepared* at *target*; False when *target* is already a current copy (:func:`_current`).

    A copy, not a hard link: the report stage marks its outputs as made now (Make compares
    times), and through a shared inode that would also make the earlier stage's file newer than
    the stages that read it, so the next run would redo them all.
    """
    import shutil

    if _current(prepared, target):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        shutil.copyfile(prepared, tmp)
    return True


def write_export(
    source: Path,
    csv_path: Path,
    xlsx_path: Path,
    page: Path,
    name: str,
    n_rows: int,
    prepared: tuple[Path, Path] | None = None,
) -> Export | None:
    """Write *csv_path* and *xlsx_path* from stage file *source* (*n_rows* rows; None: the run has no
    such file); their links are relative to the *page*.

    *prepared*: the spreadsheet copies the stage that wrote *source* made with it
    (:func:`revalign.core.exports.write_table`); when both exist they are copied
    beside the page (a file copy, not a second export). Without them the files are written here,
    only when *source* changed since they were last written.
    """
    source = Path(source)
    if not source.is_file():
        return None
    if prepared is not None and all(Path(p).is_file() for p in prepared):
        written = [_link(Path(prepared[0]), csv_path), _link(Path(prepared[1]), xlsx_path)]
        written = any(written)
    else:
        stamp = fingerprint(source)
        written = not (csv_path.is_file() and _recorded(xlsx_path) == stamp)
        if written:
            csv_path.parent.mkdir(parents=True, exist_ok=True)
            write_table(source, csv_path, xlsx_path, name, stamp)
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
        prepared = (files[f"{name}_export.csv"], files[f"{name}_export.xlsx"])
        exp = write_export(files[file_name], csv_path, xlsx_path, page, name, rows.get(name, 0), prepared)
        if exp is not None:
            out.append(exp)
    return out
