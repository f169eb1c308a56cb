"""What every bibliography reader returns, defined once for all of them.

A reader turns one export into a frame with the columns :data:`RAW_COLUMNS`
(:data:`revalign.core.contracts.RECORD`, derived from the corpus contract; text as
pandas strings, ``_line`` the record's first line in the file); :func:`raw_frame` builds
it. :func:`letter_suffix` is the reference managers' way of telling apart two works
that would get the same citation key (``smith2020``, ``smith2020b``, ...).
"""

from __future__ import annotations

import pandas as pd

from revalign.bibliography.normalise import is_blank
from revalign.core.contracts import RECORD

# the reader contract (revalign.core.contracts.RECORD): the corpus fields the exports give, as text
RAW_COLUMNS: list[str] = RECORD.names


def raw_frame(rows: list[dict]) -> pd.DataFrame:
    """The records *rows* (dicts with keys from :data:`RAW_COLUMNS`) as a reader's frame."""
    df = pd.DataFrame.from_records(rows, columns=RAW_COLUMNS)
    for col in RAW_COLUMNS:
        if col != "_line":
            df[col] = df[col].astype("string")
    df["_line"] = df["_line"].astype("Int64")
    return df


def letter_suffix(n: int) -> str:
    """1 -> 'b', 2 -> 'c', ... 25 -> 'z', 26 -> 'ba' (the first use of a key keeps no suffix)."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out


def page_range(start, end) -> str | None:
    """``start-end`` from an export's two page fields (one of them may be missing)."""
    start = None if is_blank(start) else str(start).strip()
    end = None if is_blank(end) else str(end).strip()
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


class Problems:
    """What a reader met in one file besides records: warnings, and records it skipped.

    A reader recovers from a broken record instead of refusing the whole file: it repairs
    it (:meth:`repair`: a missing end mark, a stray character) or skips it (:meth:`skip`),
    and says so here, naming the line and the entry. The importer lists the skipped
    records among the rejects, counts them per file (``skipped`` in ``import_summary.csv``)
    and, with ``--strict``, refuses the file at the first repair or skip, as revalign did
    before it recovered. :meth:`warn` is for what needs no repair (a field given twice).
    """

    def __init__(self, path) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.skipped: list[dict] = []  # {"line", "entry", "reason"}
        self.repaired: list[dict] = []  # {"line", "reason"}: read, but not as the file is written

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def repair(self, line: int | None, reason: str) -> None:
        """Say that the record at *line* was read after a repair (``--strict`` refuses instead)."""
        self.repaired.append({"line": line, "reason": reason})
        self.warn(line, reason)

    def skip(self, line: int | None, entry: str, reason: str) -> None:
        """Record *entry* (its label in messages) as skipped at *line* for *reason*."""
        self.skipped.append({"line": line, "entry": entry, "reason": reason})
        self.warn(line, f"{entry} skipped: {reason}")

    def attach(self, df: pd.DataFrame) -> pd.DataFrame:
        df.attrs["warnings"] = [*df.attrs.get("warnings", []), *self.warnings]
        df.attrs["skipped"] = [*df.attrs.get("skipped", []), *self.skipped]
        df.attrs["repaired"] = [*df.attrs.get("repaired", []), *self.repaired]
        return df
