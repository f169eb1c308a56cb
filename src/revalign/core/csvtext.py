"""CSV text of a table of text and integer columns, built with pyarrow kernels.

``DataFrame.to_csv`` hands every cell to Python's ``csv`` writer one at a time; for a
large bibliography (100,000 works, abstracts included) that is most of an import's
time. :func:`csv_chunks` gives the same bytes as ``df.to_csv(index=False,
lineterminator="\\n")`` for the frames it accepts: a field is quoted when it holds a
character that the running Python's ``csv`` writer quotes (the delimiter, the quote
character, the line terminator), inner quotes are doubled, a missing value is an empty
field and an integer is written in decimal. It works on blocks of rows, so the text of
a whole table is never in memory at once.

Anything else (floats, booleans, mixed object columns, a one-column table, other
``to_csv`` options) gets ``None`` and is written by pandas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: importing this module costs no pandas
    import pandas as pd

BLOCK_ROWS = 5000


def _quoted_chars(lineterminator: str) -> str:
    """The characters that make the running Python's csv writer (QUOTE_MINIMAL) quote a field."""
    candidates = sorted(set(',"\n\r\t ;' + lineterminator))
    out = []
    for c in candidates:
        buf = io.StringIO()
        csv.writer(buf, lineterminator=lineterminator).writerow(["a" + c + "b", "x"])
        if buf.getvalue().startswith('"'):
            out.append(c)
    return "".join(out)


def _field(value: str, quote_chars: str) -> str:
    if any(c in value for c in quote_chars):
        return '"' + value.replace('"', '""') + '"'
    return value


def _eligible(df: pd.DataFrame) -> bool:
    import pandas as pd
    from pandas.api.types import is_integer_dtype

    if len(df.columns) < 2 or not all(isinstance(c, str) for c in df.columns):
        return False
    for dtype in df.dtypes:
        if is_integer_dtype(dtype):
            continue
        if isinstance(dtype, pd.StringDtype):
            continue
        return False
    return True


def csv_chunks(df: pd.DataFrame, lineterminator: str = "\n") -> Iterator[bytes | memoryview] | None:
    """UTF-8 CSV of *df* (header first, no index) in blocks of bytes, or ``None`` when
    *df* has a column that is neither text (pandas ``string``) nor integer."""
    if not _eligible(df):
        return None
    return _chunks(df, lineterminator)


def _block(block: Any, pattern: str, lineterminator: str) -> bytes | memoryview:
    """The CSV text of one block of rows (a pyarrow table), as a buffer."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    cols = []
    for col in block.columns:
        arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            arr = pc.cast(arr, text)  # integers
        else:
            arr = arr.cast(text)
            need = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
            if pc.any(need).as_py():
                q = pa.scalar('"', text)
                quoted = pc.binary_join_element_wise(q, pc.replace_substring(arr, '"', '""'), q, pa.scalar("", text))
                arr = pc.if_else(need, quoted, arr)
        cols.append(pc.fill_null(arr, ""))
    lines = pc.binary_join_element_wise(*cols, pa.scalar(",", text))
    lines = pc.binary_join_element_wise(lines, pa.scalar(lineterminator, text), pa.scalar("", text))
    # the values buffer of a string array is its values, end to end: the block's text
    _, offsets, data = lines.buffers()
    off = np.frombuffer(offsets, dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(data)[off[0] : off[-1]] if data is not None else b""


def _chunks(df: pd.DataFrame, lineterminator: str) -> Iterator[bytes | memoryview]:
    """Header, then the blocks: computed by a few threads (pyarrow's kernels release the
    GIL), handed on in order, with at most two blocks per thread waiting in memory."""
    import os
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

    chars = _quoted_chars(lineterminator)
    pattern = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"
    yield (",".join(_field(str(c), chars) for c in df.columns) + lineterminator).encode("utf-8")
    table = pa.Table.from_pandas(df, preserve_index=False)
    threads = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        waiting: deque[Future[bytes | memoryview]] = deque()
        for start in range(0, len(df), BLOCK_ROWS):
            waiting.append(pool.submit(_block, table.slice(start, BLOCK_ROWS), pattern, lineterminator))
            if len(waiting) >= 2 * threads:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
