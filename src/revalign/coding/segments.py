"""Coded segments: read a segments CSV, validate it, and keep the review's own synthesis apart.

A segments file has one row per coded piece of evidence and exactly the columns of
:data:`COLUMNS`. :func:`read_segments` checks it at the boundary, against the codebook
(every theme, dimension, polarity, facet and context code must exist) and against the
bibliography's citation keys (every ``ref_key`` must exist). A problem is raised as
:class:`~revalign.core.errors.InputError` pointing at the real line of the CSV file (header =
line 1; a quoted excerpt that spans several lines moves every later row down), with the
first problem in the message and the count of further problems after it.

Self-citation rule: a claim the review makes on its own authority (citing nothing) is
coded with the review itself as ``ref_key`` (the bibliography record with
``inreflist = self`` or ``sourcetype = review``). Such rows are *synthesis*, not cited
evidence; :func:`mark_synthesis` adds an ``is_synthesis`` column and
:func:`split_evidence` separates the two, so every count can keep them apart.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from revalign.bibliography.keys import unknown_key_message
from revalign.core.contracts import SEGMENT_COLUMNS
from revalign.core.csvrows import csv_rows
from revalign.core.errors import InputError
from revalign.core.yamlio import read_text_checked

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

COLUMNS = SEGMENT_COLUMNS
REQUIRED = COLUMNS  # every cell must be filled
# Optional columns that may follow ``coder``: ``claim_id`` groups the rows of one claim
# (one statement; docs/protocol.md section 1). When present, every cell must be filled.
OPTIONAL_COLUMNS = ("claim_id",)
# Code columns and the codebook vocabulary each must come from.
CODE_COLUMNS = {
    "theme": "themes",
    "dimension": "components",
    "polarity": "polarity",
    "facet": "facet",
    "context": "context",
}


def _suggest(value: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(value.lower(), list(allowed), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _allowed_codes(codebook: Codebook) -> dict[str, list[str]]:
    out = {}
    for column, vocab in CODE_COLUMNS.items():
        out[column] = codebook.component_ids if vocab == "components" else codebook.vocabulary(vocab)
    return out


def _raise_first(path: Path, problems: list[tuple[int, str]]) -> None:
    if not problems:
        return
    line, message = problems[0]
    more = len(problems) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''} in this file)"
    raise InputError(path, message, line)


def _some(items, n: int = 5) -> str:
    """At most *n* items, then how many more (a message stays one readable line)."""
    items = list(items)
    more = f" and {len(items) - n:,} more" if len(items) > n else ""
    return ", ".join(str(i)[:60] for i in items[:n]) + more


def _check_header(path: Path, header: list[str] | None) -> list[str]:
    """The optional columns of *header*; InputError (line 1) unless it has the columns :data:`COLUMNS` once each,
    optionally followed by :data:`OPTIONAL_COLUMNS`. Linear in the header's length: a header may be huge."""
    if header is None:
        raise InputError(path, "file is empty; expected a header row with " + ", ".join(COLUMNS), 1)
    present = set(header)
    missing = [c for c in COLUMNS if c not in present]
    optional = [c for c in header if c in OPTIONAL_COLUMNS]
    extra = list(dict.fromkeys(c for c in header if c not in COLUMNS and c not in OPTIONAL_COLUMNS))
    dupes = sorted(c for c, n in Counter(header).items() if n > 1)
    if missing or extra or dupes:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing) + "; add the column(s)")
        if extra:
            parts.append("unexpected column(s) " + _some(repr(c) for c in extra))
        if dupes:
            parts.append("repeated column(s) " + _some(dupes))
        raise InputError(path, "; ".join(parts) + "; expected exactly: " + ", ".join(COLUMNS), 1)
    if optional and min(header.index(c) for c in optional) < header.index("coder"):
        raise InputError(path, f"column {optional[0]} must come after coder (the required columns first)", 1)
    return optional


def parse_segments_csv(path: str | Path) -> pd.DataFrame:
    """Read the CSV structure only: columns, cell counts, quoting. Adds a ``line`` column.

    ``line`` is the file line on which each row starts (header = line 1), computed from
    the csv reader's own line counter so quoted multi-line cells are accounted for.
    """
    df, problems = parse_segments_csv_problems(path)
    _raise_first(Path(path), problems)
    return df


def parse_segments_csv_problems(path: str | Path) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Like :func:`parse_segments_csv`, but returns the well-formed rows and every row problem.

    A file that cannot be read or has the wrong header still raises InputError.
    """
    path = Path(path)
    text = read_text_checked(path)
    parsed = csv_rows(text)
    header, rows, lines = parsed.header, parsed.rows, parsed.lines
    problems: list[tuple[int, str]] = [parsed.problem] if parsed.problem else []
    optional = _check_header(path, header)
    records = []
    for row, line in zip(rows, lines, strict=True):
        if len(row) != len(header):
            problems.append(
                (line, f"row has {len(row)} cells, the header has {len(header)} (unquoted comma in a cell?)")
            )
            continue
        rec = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        rec["line"] = line
        records.append(rec)
    problems.sort(key=lambda p: p[0])
    names = [*COLUMNS, *optional]
    df = pd.DataFrame(records, columns=[*names, "line"]).astype({c: "string" for c in names}).astype({"line": "int64"})
    return df, problems


def validate_segments(
    df: pd.DataFrame,
    path: str | Path,
    codebook: Codebook | None = None,
    ref_keys: Iterable[str] | None = None,
    required: Iterable[str] = REQUIRED,
) -> None:
    """Raise InputError for the first problem of a parsed segments table (and count the rest).

    *required*: the columns whose cells must be filled (all, for the analysis; the
    REFI-QDA export also accepts partly coded segments).
    """
    _raise_first(Path(path), segment_problems(df, codebook, ref_keys, required))


def segment_problems(
    df: pd.DataFrame,
    codebook: Codebook | None = None,
    ref_keys: Iterable[str] | None = None,
    required: Iterable[str] = REQUIRED,
) -> list[tuple[int | None, str]]:
    """Every problem of a parsed segments table as ``(line, message)``, in file order."""
    if df.empty:
        return [(None, "no coded segments: the file has a header but no rows; add at least one segment")]
    problems: list[tuple[int | None, str]] = []
    allowed = _allowed_codes(codebook) if codebook is not None else {}
    keys = set(ref_keys) if ref_keys is not None else None
    seen_ids: dict[str, int] = {}
    for rec in df.to_dict("records"):
        line = int(rec["line"]) if pd.notna(rec["line"]) else None
        empty = [c for c in (*required, *(c for c in OPTIONAL_COLUMNS if c in rec)) if not rec[c]]
        if empty:
            problems.append((line, "empty cell(s): " + ", ".join(empty)))
        sid = rec["segment_id"]
        if sid:
            if sid in seen_ids:
                problems.append((line, f"segment_id {sid!r} already used on line {seen_ids[sid]}"))
            else:
                seen_ids[sid] = line
        if keys is not None and rec["ref_key"] and rec["ref_key"] not in keys:
            problems.append(
                (
                    line,
                    unknown_key_message(rec["ref_key"], keys),
                )
            )
        for column, values in allowed.items():
            value = rec[column]
            if value and value not in values:
                problems.append(
                    (
                        line,
                        f"{column} {value!r} is not in the codebook{_suggest(value, values)} (use one of: {', '.join(values)})",
                    )
                )
    return problems


def read_segments(
    path: str | Path,
    codebook: Codebook | None = None,
    ref_keys: Iterable[str] | None = None,
    required: Iterable[str] = REQUIRED,
) -> pd.DataFrame:
    """Read and validate a segments CSV; returns the rows with a ``line`` column.

    *codebook*: a :class:`~revalign.core.codebook.Codebook` (codes are checked when given).
    *ref_keys*: the bibliography's citation keys (``ref_key`` is checked when given).
    A REFI-QDA project (``.qdpx``) is read with :mod:`revalign.qda.importer` (it needs the
    codebook to map its codes); its rows have no file line.
    """
    if Path(path).suffix.lower() == ".qdpx":
        if codebook is None:
            raise InputError(path, "a .qdpx project needs a codebook to map its codes to components")
        from revalign.qda.importer import import_project

        df = import_project(path, codebook).frame().astype("string")
        df["line"] = None
    else:
        df = parse_segments_csv(path)
    validate_segments(df, path, codebook=codebook, ref_keys=ref_keys, required=required)
    if codebook is not None:  # what each polarity code means to the rule (the codebook's roles)
        df["role"] = df["polarity"].map(codebook.polarity_roles).astype("string")
    return df


load_segments = read_segments  # the name revalign.alignment.rule looks for


# ---- synthesis vs cited evidence ------------------------------------------------------


def synthesis_keys(corpus: pd.DataFrame | None = None, key: str | None = None) -> set[str]:
    """Citation keys that stand for the review itself (its own synthesis).

    *key* (the parameter file's ``alignment.synthesis_key``, when it names one) plus the
    corpus rows with ``inreflist == 'self'`` or ``sourcetype == 'review'``. With neither,
    no segment is synthesis.
    """
    keys = {key} if key else set()
    if corpus is None or not len(corpus) or not ({"inreflist", "sourcetype"} & set(corpus.columns)):
        return keys
    mask = pd.Series(False, index=corpus.index)
    if "inreflist" in corpus.columns:
        mask |= corpus["inreflist"].astype("string").str.strip().str.lower().eq("self").fillna(False)
    if "sourcetype" in corpus.columns:
        mask |= corpus["sourcetype"].astype("string").str.strip().str.lower().eq("review").fillna(False)
    return keys | {k for k in corpus.loc[mask, "record_id"].astype(str) if k}


def mark_review(corpus: pd.DataFrame | None, key: str | None) -> pd.DataFrame | None:
    """The corpus with record *key* marked as the review itself (``inreflist = self``).

    How the parameter file's ``alignment.synthesis_key`` reaches every function that takes
    a corpus: they all ask :func:`synthesis_keys`, which reads the mark. Unchanged when
    *key* is empty or not a record of the corpus.
    """
    if not key or corpus is None or "record_id" not in corpus.columns:
        return corpus
    hit = corpus["record_id"].astype(str).eq(key)
    if not hit.any():
        return corpus
    out = corpus.copy()
    if "inreflist" not in out.columns:
        out["inreflist"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out.loc[hit, "inreflist"] = "self"
    return out


def mark_synthesis(segments: pd.DataFrame, corpus: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of *segments* with a boolean ``is_synthesis`` column (review's own claims)."""
    out = segments.copy()
    out["is_synthesis"] = out["ref_key"].astype(str).isin(synthesis_keys(corpus))
    return out


def split_evidence(segments: pd.DataFrame, corpus: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cited evidence, synthesis): the segments citing other works, and the review's own claims."""
    marked = mark_synthesis(segments, corpus)
    ev = marked[~marked["is_synthesis"]].reset_index(drop=True)
    syn = marked[marked["is_synthesis"]].reset_index(drop=True)
    return ev, syn


def unused_references(segments: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """Corpus records (other than the review itself) that no segment uses as evidence."""
    used = set(segments["ref_key"].astype(str))
    own = synthesis_keys(corpus)
    ids = corpus["record_id"].astype(str)
    mask = ~ids.isin(used) & ~ids.isin(own)
    cols = [
        c for c in ("record_id", "year", "title", "sourcetype", "sourcecategory", "inreflist") if c in corpus.columns
    ]
    return corpus.loc[mask, cols].sort_values("record_id").reset_index(drop=True)


def claim_ids(segments: pd.DataFrame) -> pd.Series:
    """An id per claim: the ``claim_id`` column when the coding has one, else rows
    with the same locator and excerpt code one claim.

    A claim that bears on two dimensions, or that cites two works, is several rows
    with the same claim id (or locator and paraphrase); they count once as a claim.
    """
    if "claim_id" in segments.columns and segments["claim_id"].astype(str).str.strip().ne("").all():
        codes, _ = pd.factorize(segments["claim_id"].astype(str).str.strip())
        return pd.Series(codes, index=segments.index, name="claim")
    key = (
        segments["locator"].astype(str).str.strip().str.lower()
        + "\x1f"
        + segments["excerpt"].astype(str).str.strip().str.lower()
    )
    codes, _ = pd.factorize(key)
    return pd.Series(codes, index=segments.index, name="claim")


def summary_counts(segments: pd.DataFrame, corpus: pd.DataFrame | None = None) -> dict[str, int]:
    """Claims, segments and sources, for cited evidence and synthesis separately."""
    ev, syn = split_evidence(segments, corpus)
    return {
        "segments": int(len(segments)),
        "claims": int(claim_ids(segments).nunique()) if len(segments) else 0,
        "evidence_segments": int(len(ev)),
        "evidence_claims": int(claim_ids(ev).nunique()) if len(ev) else 0,
        "evidence_sources": int(ev["ref_key"].nunique()),
        "synthesis_segments": int(len(syn)),
        "synthesis_claims": int(claim_ids(syn).nunique()) if len(syn) else 0,
    }
