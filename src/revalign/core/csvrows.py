"""Reading a CSV the user wrote, row by row, with the line each row starts on.

Python's ``csv`` reader counts physical lines (a quoted cell may span several); the line a
row *starts* on is what an error message must name. :func:`csv_rows` reads in strict mode,
skips blank lines, takes the first non-blank row as the header and stops at the first
malformed row, returning it as a problem (line, message) for the caller to raise or list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

UNCLOSED_QUOTE = 'a quoted cell that starts in this row is never closed (missing ")'


@dataclass
class CsvRows:
    header: list[str] | None = None  # the first non-blank row, cells stripped; None for an empty file
    rows: list[list[str]] = field(default_factory=list)  # the rows after it, as written
    lines: list[int] = field(default_factory=list)  # the line each row starts on (1-based)
    problem: tuple[int, str] | None = None  # the malformed row that stopped the reading, if any


def csv_rows(text: str, delimiter: str = ",") -> CsvRows:
    """The header and rows of *text* with their starting lines (module docstring)."""
    out = CsvRows()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            unclosed = "end of data" in str(exc)
            out.problem = (start, UNCLOSED_QUOTE) if unclosed else (reader.line_num, f"malformed CSV row: {exc}")
            break
        end = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue  # a blank line
        if out.header is None:
            out.header = [c.strip() for c in row]
            continue
        out.rows.append(row)
        out.lines.append(start)
    return out
