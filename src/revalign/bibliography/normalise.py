"""Normalisation of bibliographic fields: DOI, title key, year, authors, text.

Each function comes in a scalar form (for the small per-entry readers) and, where
the Scopus path needs it, a vectorised form that works on a whole pandas Series
without a Python loop per row.

- DOI: trimmed, lower-cased, with ``https://doi.org/``, ``http://dx.doi.org/``,
  ``doi.org/`` and ``doi:`` prefixes removed. DOIs are case-insensitive (DOI
  Handbook 2.4), so ``10.1000/ABC`` and ``https://doi.org/10.1000/abc`` are one DOI.
- Title key (for matching only, never shown): NFKD, combining marks dropped,
  case-folded, everything but letters and digits removed. So case, punctuation,
  diacritics, spacing and a trailing period do not matter.
- Year: the first four-digit run 1000-2999 in the value, else missing.
- Authors: :mod:`revalign.bibliography.names`.
- Text: NFC, runs of whitespace (including newlines) collapsed to one space.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Prefixes are matched case-insensitively, after whitespace trimming. Order matters:
# the longest URL forms first.
_DOI_PREFIX = r"^(?:https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/|doi:\s*)"
_DOI_PREFIX_RE = re.compile(_DOI_PREFIX, re.IGNORECASE)
_DOI_TAIL_RE = re.compile(r"[.\s]+$")
# shortDOI (shortdoi.org), as Better BibTeX writes it: "10/gfzrww"
_SHORT_DOI_RE = re.compile(r"^10/[a-z0-9]+$")
_YEAR_RE = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")
_WS_RE = re.compile(r"\s+")
_NOT_ALNUM_RE = re.compile(r"[\W_]+", re.UNICODE)
# combining diacritical marks (the blocks Latin, Greek and Cyrillic accents live in)
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_COMBINING_RE = re.compile(_COMBINING)


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    if value is pd.NA:
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(value) -> str | None:
    """NFC, whitespace collapsed, stripped; ``None`` for blank values."""
    if is_blank(value):
        return None
    text = _WS_RE.sub(" ", unicodedata.normalize("NFC", str(value))).strip()
    return text or None


def normalise_doi(value) -> str | None:
    """``'https://doi.org/10.1/ABC'`` -> ``'10.1/abc'``; anything not starting ``10.`` -> None."""
    if is_blank(value):
        return None
    doi = _DOI_PREFIX_RE.sub("", str(value).strip()).strip().lower()
    # a DOI pasted at the end of a sentence; trailing spaces and periods in any mix
    # ("10.1/x ."), so that normalising twice gives the same DOI
    doi = _DOI_TAIL_RE.sub("", doi.split()[0] if doi else doi)
    return doi if (doi.startswith("10.") and "/" in doi) or _SHORT_DOI_RE.match(doi) else None


def title_key(value) -> str | None:
    """Matching key of a title: no case, punctuation, spacing or diacritics."""
    if is_blank(value):
        return None
    stripped = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", str(value)))
    key = _NOT_ALNUM_RE.sub("", stripped.casefold())
    return key or None


def parse_year(value) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 2999 else None
    m = _YEAR_RE.search(str(value))
    return int(m.group(1)) if m else None


# ----------------------------------------------------------------------------------
# Vectorised forms (pandas Series of strings, missing as NA), computed with pyarrow
# kernels; Python only touches the few values that need it (non-ASCII text for NFC).


def _arr(s: pd.Series) -> pa.Array:
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        s = s.astype("string[pyarrow]")
    arr = pa.array(s)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _series(arr, index) -> pd.Series:
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index)


def _null_blank(arr: pa.Array) -> pa.Array:
    blank = pc.equal(pc.binary_length(arr), 0)
    if not pc.any(blank).as_py():
        return arr  # nothing to change: no copy of a column that may hold all the abstracts
    return pc.if_else(blank, pa.scalar(None, arr.type), arr)


def _offsets_and_data(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The value offsets (len + 1, positions in the data) and the UTF-8 bytes of a string array, as numpy views."""
    _, offsets_buf, data_buf = arr.buffers()
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=width)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    return offsets, data


def _fix(arr: pa.Array, mask: pa.Array, func) -> pa.Array:
    """Apply the Python function *func* to the values where *mask* is true."""
    idx = pc.indices_nonzero(mask)
    if len(idx) == 0:
        return arr
    fixed = pa.array([func(v) for v in arr.take(idx).to_pylist()], arr.type)
    return pc.replace_with_mask(arr, mask, fixed)


def _rows_with_high_chars(arr: pa.Array) -> np.ndarray:
    """Rows holding a character at or above U+0300 (UTF-8 lead byte >= 0xCC).

    Every character below U+0300 is NFC-safe, so only these rows can need NFC. Found
    with numpy on the array's data buffer, without creating Python strings.
    """
    if arr.buffers()[2] is None or len(arr) == 0:
        return np.array([], dtype=np.int64)
    offsets, data = _offsets_and_data(arr)
    data = data[offsets[0] : offsets[-1]]
    pos = np.flatnonzero(data >= 0xCC) + offsets[0]
    if not len(pos):
        return np.array([], dtype=np.int64)
    return np.unique(np.searchsorted(offsets, pos, side="right") - 1)


def _nfc(arr: pa.Array) -> pa.Array:
    """NFC with ``pyarrow.compute.utf8_normalize``, on the values that can need it.

    Every character below U+0300 is NFC-stable (tests/unit/bibliography/test_bib_normalise.py
    checks this against :mod:`unicodedata`), so only values with a character at or above it
    (:func:`_rows_with_high_chars`, numpy on the UTF-8 bytes) go through ``utf8_normalize``.
    Measured (benchmarks/README.md): normalising every value costs 7 s on the five text columns
    of the 100,000-record Scopus file, whose Latin text has no such character; this costs 0.1 s.
    """
    rows = _rows_with_high_chars(arr)
    if not len(rows):
        return arr
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(arr, pa.array(mask), pc.utf8_normalize(arr.take(pa.array(rows)), "NFC"))


def clean_text_series(s: pd.Series, collapse: bool = True) -> pd.Series:
    """Vectorised :func:`clean_text`; ``collapse=False`` keeps inner line breaks (abstracts)."""
    arr = _arr(s)
    if arr.null_count == len(arr):
        return _series(arr, s.index)
    arr = _nfc(_null_blank(pc.utf8_trim_whitespace(arr)))
    if collapse:
        messy = pc.fill_null(pc.match_substring_regex(arr, r"\s\s|[\t\n\r\f\v\x{a0}]"), False)
        arr = _fix(arr, messy, lambda v: _WS_RE.sub(" ", v))
    return _series(arr, s.index)


def normalise_doi_series(s: pd.Series) -> pd.Series:
    arr = pc.utf8_lower(pc.utf8_trim_whitespace(_arr(s)))
    arr = pc.replace_substring_regex(arr, r"^(?:https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/|doi:\s*)", "")
    # a DOI followed by other text ("10.1016/j.ejor.2015.08.048 Decision Support", Scopus):
    # a DOI has no whitespace, so it ends at the first one
    arr = pc.replace_substring_regex(arr, r"\s.*$", "")
    while True:  # trailing spaces and periods in any mix, as normalise_doi
        trimmed = pc.utf8_rtrim_whitespace(pc.utf8_rtrim(pc.utf8_trim_whitespace(arr), characters="."))
        if trimmed.equals(arr):
            break
        arr = trimmed
    ok = pc.or_(
        pc.and_(pc.starts_with(arr, "10."), pc.match_substring(arr, "/")),
        pc.match_substring_regex(arr, r"^10/[a-z0-9]+$"),
    )
    return _series(pc.if_else(pc.fill_null(ok, False), arr, pa.scalar(None, arr.type)), s.index)


def title_key_series(s: pd.Series) -> pd.Series:
    """Vectorised :func:`title_key` (same result; Python only for non-ASCII titles)."""
    arr = _null_blank(_arr(s))
    nonascii = pc.fill_null(pc.invert(pc.string_is_ascii(arr)), False)
    keys = pc.replace_substring_regex(pc.ascii_lower(arr), r"[^a-z0-9]+", "")
    if pc.any(nonascii).as_py():
        idx = pc.indices_nonzero(nonascii)
        fixed = pa.array([title_key(v) or "" for v in arr.take(idx).to_pylist()], keys.type)
        keys = pc.replace_with_mask(keys, nonascii, fixed)
    return _series(_null_blank(keys), s.index)


def parse_year_series(s: pd.Series) -> pd.Series:
    arr = _arr(s)
    m = pc.extract_regex(arr, r"(?:^|[^0-9])(?P<y>[12][0-9]{3})(?:[^0-9]|$)")
    years = pc.struct_field(m, "y")
    return pd.Series(pd.Int64Dtype().__from_arrow__(pc.cast(years, pa.int64())), index=s.index)
