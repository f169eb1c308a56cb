"""The citation keys of a review's bibliography: listed for the person who codes, suggested when one is mistyped.

Segments, key statistics and appraisal sheets cite works by the corpus's ``citation_key``
(the export's own key, else a generated one: docs/DEVELOPING.md "Citation keys").
``python -m revalign bib keys PARAMS`` lists every key with its year, first author and
title, read from the exports the parameter file names (the same corpus the run builds);
:func:`unknown_key_message` is what ``check`` says of a key that is not among them.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable

import pandas as pd

KEYS_COMMAND = "python -m revalign bib keys PARAMS"


def closest_keys(value: str, keys: Iterable[str], n: int = 3) -> list[str]:
    """Up to *n* keys closest to *value* (case ignored), best first."""
    keys = sorted(set(keys))
    lower = {k.lower(): k for k in keys}
    close = difflib.get_close_matches(str(value).lower(), list(lower), n=n, cutoff=0.6)
    return [lower[k] for k in close]


def unknown_key_message(value: str, keys: Iterable[str]) -> str:
    """``ref_key 'x' is not a citation key of the bibliography; closest: ...; <where the keys are listed>``."""
    close = closest_keys(value, keys)
    hint = f"; closest: {', '.join(repr(k) for k in close)}" if close else ""
    return f"ref_key {value!r} is not a citation key of the bibliography{hint} ({KEYS_COMMAND} lists every key)"


def key_table(records: pd.DataFrame) -> pd.DataFrame:
    """One row per work: ``citation_key, year, first_author, title``, sorted by key."""
    from revalign.bibliography.names import first_family

    def col(name: str) -> pd.Series:
        if name in records.columns:
            return records[name].astype("string").fillna("")
        return pd.Series("", index=records.index, dtype="string")

    key = col("citation_key").where(col("citation_key") != "", col("record_id"))
    out = pd.DataFrame(
        {
            "citation_key": key,
            "year": col("year"),
            "first_author": col("authors").map(first_family),
            "title": col("title"),
        }
    )
    return out.sort_values("citation_key", kind="stable").reset_index(drop=True)


def format_keys(table: pd.DataFrame) -> str:
    """The key table as aligned text: key, year, first author, title."""
    if table.empty:
        return "no works in the bibliography"
    width = max(len("citation_key"), table["citation_key"].str.len().max())
    author_width = min(30, max(len("first author"), table["first_author"].str.len().max()))
    lines = [f"{'citation_key':<{width}}  year  {'first author':<{author_width}}  title"]
    for rec in table.itertuples(index=False):
        author = (
            rec.first_author if len(rec.first_author) <= author_width else rec.first_author[: author_width - 1] + "…"
        )
        lines.append(f"{rec.citation_key:<{width}}  {rec.year or '':<4}  {author:<{author_width}}  {rec.title}")
    return "\n".join(lines)


def cli_keys(args) -> int:
    """``python -m revalign bib keys PARAMS [-o KEYS.csv]``: the citation keys segments may cite."""
    from revalign.bibliography.importer import read_bibliography
    from revalign.core import config
    from revalign.core.atomic import write_csv

    cfg = config.load(args.params)
    result = read_bibliography(cfg.bibliography_files, source_categories=cfg.source_categories, progress=False)
    table = key_table(result.records)
    if args.output:
        write_csv(table, args.output, spreadsheet=True)
        print(f"{len(table)} citation keys written to {args.output}")
    else:
        print(format_keys(table))
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0
