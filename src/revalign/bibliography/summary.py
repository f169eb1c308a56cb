"""The corpus in a few numbers, for the report: ``corpus_summary.json`` (stage 01, issue 27).

The report shows what the corpus holds (works by decade, the most frequent venues, document
types, source types, presence in the reference list) but lists only the works it cites. Stage 01
counts these once, while it has the corpus at hand (:func:`summarise`), so the report does not
count a 200,000-row table again. The counts are of the corpus's own values, not of words: the
report names them in its language. A run folder without the file (an older run) gets the same
counts from its corpus (``revalign.report.view``).
"""

from __future__ import annotations

import pandas as pd

#: the corpus columns counted, in the order the report shows them
COLUMNS = ("source_title", "doc_type", "sourcetype", "inreflist")
#: columns whose values are ids the report names (counted in lower case)
IDS = ("sourcetype", "inreflist")
#: values kept per column, most frequent first; the others are counted as a number of values and of works
KEPT = 50
#: bumped when the layout changes (a report reading an older layout counts the corpus itself)
LAYOUT = 1


def _text(corpus: pd.DataFrame, column: str) -> pd.Series:
    return corpus[column].astype("string").fillna("").str.strip().astype(object)


def counts(values: pd.Series, column: str) -> pd.Series:
    """Works per value of *column* (the non-empty *values*), most frequent first (ties in a stable order).

    Venues (``source_title``): spellings of one venue count as one, under their best-formed
    spelling (:func:`revalign.bibliography.venues.count_venues`)."""
    if column == "source_title":
        from revalign.bibliography.venues import count_venues

        venues = count_venues(values)
        result = pd.Series(venues["n"].to_numpy(), index=venues["venue"].astype(str).to_numpy())
    elif column in IDS:
        result = values.str.lower().value_counts()
    else:
        result = values.value_counts()
    return result.sort_values(ascending=False, kind="stable")


def summarise(corpus: pd.DataFrame) -> dict:
    """``{"layout", "n_works", "years": {year: works}, "columns": {column: {"top": [[value, works], ...],
    "more": values not kept, "more_works": their works, "missing": works without a value}}}``; a column
    the corpus lacks, or that no work fills, is left out."""
    years = pd.Series(dtype=float)
    if "year" in corpus.columns:
        years = pd.to_numeric(corpus["year"].astype("string"), errors="coerce").dropna()
    by_year = years.astype(int).value_counts().sort_index()
    out = {
        "layout": LAYOUT,
        "n_works": len(corpus),
        "years": {str(y): int(n) for y, n in by_year.items()},
        "columns": {},
    }
    for column in COLUMNS:
        if column not in corpus.columns:
            continue
        values = _text(corpus, column)
        given = values[values != ""]
        if given.empty:
            continue
        c = counts(given, column)
        rest = c.iloc[KEPT:]
        out["columns"][column] = {
            "top": [[str(k), int(v)] for k, v in c.iloc[:KEPT].items()],
            "more": len(rest),
            "more_works": int(rest.sum()),
            "missing": int(len(values) - len(given)),
        }
    return out
