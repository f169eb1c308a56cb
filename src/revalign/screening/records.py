"""Which record of the corpus a decision is about: by citation key, DOI, or title and year.

:class:`RecordIndex` is built once from the corpus (stage 01's ``corpus.csv``). :meth:`RecordIndex.find`
takes what a decision file says about a record (a sheet's ``record``: citation key, DOI or
title; an export's DOI, title and year) and returns the matching ``record_id`` or a reason why
there is none:

1. a sheet's ``record`` that is a citation key of the corpus (exactly, else ignoring case);
2. a DOI (the sheet's ``record`` when it is one, else the export's ``doi``), normalised
   (``https://doi.org/10.1/ABC`` is ``10.1/abc``);
3. the title, normalised (case, punctuation, diacritics and database tags such as ``[Review]``
   do not matter), and the year when the file gives one.

A title that fits two records of the corpus (the same title in two years, with no year to tell)
is *ambiguous*; nothing is guessed. A DOI that is not in the corpus falls back to the title, as
exports of the same work do not always both carry its DOI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from revalign.bibliography.match import title_match_key
from revalign.bibliography.normalise import normalise_doi, parse_year


@dataclass(frozen=True)
class Found:
    """The record a decision is about (``record_id``), or why there is none (``problem``)."""

    record_id: str | None
    problem: str | None = None
    how: str = ""  # key, doi or title


class RecordIndex:
    def __init__(self, corpus: pd.DataFrame):
        self.keys: dict[str, str] = {}
        self.keys_folded: dict[str, set[str]] = defaultdict(set)
        self.dois: dict[str, set[str]] = defaultdict(set)
        self.titles: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
        self.key_of: dict[str, str] = {}

        def col(name: str) -> list:
            return corpus[name].tolist() if name in corpus.columns else [None] * len(corpus)

        for rid, key, doi, title, year in zip(
            corpus["record_id"].astype(str), col("citation_key"), col("doi"), col("title"), col("year"), strict=True
        ):
            key = "" if key is None or pd.isna(key) else str(key).strip()
            self.key_of[rid] = key or rid
            for k in {key, rid} - {""}:
                self.keys.setdefault(k, rid)
                self.keys_folded[k.casefold()].add(rid)
            d = normalise_doi(doi)
            if d:
                self.dois[d].add(rid)
            t = title_match_key(None if title is None or pd.isna(title) else str(title))
            if t:
                self.titles[t].append((rid, parse_year(year)))

    def _keys(self, ids) -> str:
        return ", ".join(sorted(self.key_of[i] for i in ids))

    def _one(self, ids: set[str], what: str, how: str) -> Found:
        if len(ids) == 1:
            return Found(next(iter(ids)), how=how)
        return Found(None, f"{what} fits {len(ids)} records of the corpus ({self._keys(ids)}); name one by its key")

    def find(self, record: str = "", doi: str = "", title: str = "", year: str = "") -> Found:
        """The record meant by a decision (see the module docstring)."""
        record = (record or "").strip()
        if record:
            if record in self.keys:
                return Found(self.keys[record], how="key")
            folded = self.keys_folded.get(record.casefold())
            if folded:
                return self._one(folded, f"the key {record!r}", "key")
            if normalise_doi(record):
                doi = record
            else:
                title = record
        d = normalise_doi(doi)
        if d and d in self.dois:
            return self._one(self.dois[d], f"the DOI {d}", "doi")
        t = title_match_key(title) if title else None
        if t and t in self.titles:
            cands = self.titles[t]
            y = parse_year(year)
            if y is not None:
                same = [rid for rid, ry in cands if ry == y or ry is None]
                if same:
                    cands = [(rid, y) for rid in same]
            return self._one({rid for rid, _ in cands}, "the title", "title")
        what = record or (f"DOI {d}" if d else "") or (f"title {title!r}" if title else "")
        if not what:
            return Found(None, "the row names no record (no key, DOI or title)")
        return Found(None, f"{what} matches no record of the corpus (by citation key, DOI or title)")

    def key(self, record_id: str) -> str:
        """The citation key of a record (its record_id when it has none)."""
        return self.key_of.get(record_id, record_id)
