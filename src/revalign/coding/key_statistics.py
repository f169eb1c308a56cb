"""Key statistics quoted by a review (stage 03's optional ``key_statistics`` input).

A key-statistics CSV (``key_statistics:`` in the parameter file, e.g.
data/raw/coding/key_statistics.csv) lists the numbers a review quotes, one a row:

- a label column: the first of :data:`LABEL_COLUMNS` present;
- ``value``: a number (thousands separators ``,`` allowed);
- a source key column: the first of :data:`KEY_COLUMNS` present, a citation key of the
  bibliography;
- optional ``unit`` and ``approximate`` (``true``/``yes``/``1``/``y``, any case).

:func:`read_key_statistics` reads and checks the file on its own; :func:`load_key_statistics`
also checks every source key against the corpus. Errors are :class:`InputError` with the
file line of the offending row. The figure is ``coding.plots.key_statistics_figure``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from revalign.core.contracts import KEY_STATISTICS
from revalign.core.errors import InputError
from revalign.core.yamlio import read_text_checked

#: the label column and the source key column: the first of these names a file has
#: (revalign.core.contracts.KEY_STATISTICS, where the columns are defined)
LABEL_COLUMNS: tuple[str, ...] = KEY_STATISTICS.column("label").spellings
KEY_COLUMNS: tuple[str, ...] = KEY_STATISTICS.column("ref_key").spellings
TRUE_WORDS = frozenset({"true", "yes", "1", "y"})


def _rows(path: Path) -> tuple[list[str], list[dict[str, str | int]]]:
    """The header and the rows of the CSV at *path*, each row with its file line as ``line``."""
    reader = csv.DictReader(io.StringIO(read_text_checked(path), newline=""))
    rows: list[dict[str, str | int]] = []
    end = 1
    try:
        header = list(reader.fieldnames or [])
        end = reader.line_num
        for rec in reader:
            row: dict[str, str | int] = {k: (v or "").strip() for k, v in rec.items() if k is not None}
            row["line"] = end + 1
            end = reader.line_num
            rows.append(row)
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", end + 1) from None
    return header, rows


def _columns(path: Path, header: list[str]) -> tuple[str, str]:
    """The label and the source key column of *header*; an InputError on line 1 naming what is missing
    (the contract's check, :meth:`revalign.core.contracts.Table.read`)."""
    KEY_STATISTICS.read(pd.DataFrame(columns=header), path)
    label = next(c for c in LABEL_COLUMNS if c in header)
    key = next(c for c in KEY_COLUMNS if c in header)
    return label, key


def read_key_statistics(path: str | Path) -> pd.DataFrame:
    """The key statistics of the CSV at *path* with the columns ``label``, ``value`` (float),
    ``ref_key``, ``unit`` ("" when absent), ``approximate`` (bool), ``line`` (file line) and
    whatever other columns the file has."""
    path = Path(path)
    header, rows = _rows(path)
    label, key = _columns(path, header)
    for rec in rows:
        try:
            float(str(rec["value"]).replace(",", ""))
        except ValueError:
            raise InputError(path, f"value {rec['value']!r} is not a number", int(rec["line"])) from None
    df = pd.DataFrame(rows, columns=[*header, "line"])
    df["value"] = df["value"].str.replace(",", "").astype(float)
    df = df.rename(columns={label: "label", key: "ref_key"})
    if "unit" not in df.columns:
        df["unit"] = ""
    approx = df["approximate"] if "approximate" in df.columns else pd.Series("", index=df.index)
    df["approximate"] = approx.astype(str).str.strip().str.lower().isin(TRUE_WORDS)
    return df


def check_sources(stats: pd.DataFrame, ref_keys: Iterable[str], path: str | Path) -> None:
    """Raise InputError at the first row (in file order) whose ``ref_key`` is not in *ref_keys*."""
    known = set(ref_keys)
    unknown = stats[~stats["ref_key"].isin(known)]
    if len(unknown):
        bad = unknown.sort_values("line").iloc[0]
        raise InputError(path, f"ref_key {bad['ref_key']!r} is not in the bibliography", int(bad["line"]))


def load_key_statistics(path: str | Path, ref_keys: Iterable[str]) -> pd.DataFrame:
    """:func:`read_key_statistics`, then :func:`check_sources` against the corpus' *ref_keys*."""
    stats = read_key_statistics(path)
    check_sources(stats, ref_keys, path)
    return stats
