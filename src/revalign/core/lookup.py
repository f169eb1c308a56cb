"""The corpus as a file to look a few works up in: ``corpus_lookup.arrow`` (stage 01, issue 27).

The report lists the works its evidence cites: a few dozen of a corpus that may hold hundreds of
thousands. Parsing ``corpus.csv`` to find them would make every report build grow with the corpus
(1.7 s of CPU for 184,000 works here). Stage 01, which has the corpus at hand as text, also writes
it as an Arrow IPC file (:func:`write_lookup`, Arrow's own columnar file format, read by pyarrow);
:func:`read_lookup` maps that file into memory without reading it, finds the rows it wants with one
vectorised pass over the key column and copies only those rows.

The file holds every row and every column of the corpus as text (a missing cell is ""), exactly the
cells :func:`revalign.core.exports.read_table` gives, except the long texts
(:data:`revalign.core.exports.CSV_ONLY`: abstracts, keywords, the export records a work was merged
from), which the report never shows. It is a derived file in the interim folder: when it is missing,
older than ``corpus.csv`` or unreadable, the reader says so (None) and the caller reads the CSV file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from revalign.core.atomic import atomic_path
from revalign.core.exports import CSV_ONLY

KEY = "record_id"
#: batches of the file (rows); a lookup touches only the key column of each
BATCH_ROWS = 65_536


def write_lookup(corpus: pd.DataFrame, target: str | Path) -> Path:
    """Write *corpus* (text columns, as :func:`revalign.core.exports.read_table` reads them) to *target*,
    without the long texts, atomically."""
    import pyarrow as pa

    kept = corpus[[c for c in corpus.columns if c not in CSV_ONLY]]
    table = pa.Table.from_pandas(kept.astype(str), preserve_index=False).replace_schema_metadata(None)
    with (
        atomic_path(target, suffix=".arrow.tmp") as tmp,
        pa.OSFile(str(tmp), "wb") as sink,
        pa.ipc.new_file(sink, table.schema) as writer,
    ):
        writer.write_table(table, max_chunksize=BATCH_ROWS)
    return Path(target)


def read_lookup(
    path: str | Path, source: str | Path, keys: Iterable[str], flags: dict[str, tuple[str, ...]] | None = None
) -> tuple[pd.DataFrame, int] | None:
    """(the rows of the corpus whose key is one of *keys*, or whose column ``c`` of *flags* holds one of
    ``flags[c]`` (compared trimmed and in lower case), in the corpus's order; the number of works in
    the corpus), from the lookup file *path* written from the corpus file *source*.

    None when *path* is missing, older than *source* (the corpus was written again without it) or not
    a readable lookup file: the caller reads *source* itself.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    path, source = Path(path), Path(source)
    try:
        if not path.is_file() or path.stat().st_mtime_ns < Path(source).stat().st_mtime_ns:
            return None
        # mapped, not read: only the pages of what is used are read (the map ends with the last buffer)
        table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
        if KEY not in table.column_names:
            return None
        wanted = pc.is_in(table[KEY], value_set=pa.array(sorted(set(keys)), pa.string()))
        for column, values in (flags or {}).items():
            if column in table.column_names:
                norm = pc.utf8_lower(pc.utf8_trim_whitespace(table[column]))
                wanted = pc.or_(wanted, pc.is_in(norm, value_set=pa.array(values, pa.string())))
        return table.take(pc.indices_nonzero(wanted)).to_pandas(), table.num_rows
    except (OSError, pa.ArrowException):
        return None
