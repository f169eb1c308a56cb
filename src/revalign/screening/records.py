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
    """Citation keys are indexed when the index is built; DOIs and titles the first time a decision
    needs them (a run whose decisions name records by key, or that has no decisions, never
    normalises 50,000 titles: issue 27)."""

    def __init__(self, corpus: pd.DataFrame):
        self.keys: dict[str, str] = {}
        self.keys_folded: dict[str, set[str]] = defaultdict(set)
        self._corpus = corpus
        self._dois: dict[str, set[str]] | None = None
        self._titles: dict[str, list[tuple[str, int | None]]] | None = None
        ids = corpus["record_id"].astype(str)
        keys = self._col("citation_key").astype("string").str.strip().fillna("")
        self.key_of: dict[str, str] = dict(zip(ids, keys.where(keys != "", ids), strict=True))
        for rid, key in zip(ids, keys, strict=True):
            for k in {key, rid} - {""}:
                self.keys.setdefault(k, rid)
                self.keys_folded[k.casefold()].add(rid)

    def _col(self, name: str) -> pd.Series:
        c = self._corpus
        return c[name] if name in c.columns else pd.Series(None, index=c.index, dtype=object)

    @property
    def dois(self) -> dict[str, set[str]]:
        if self._dois is None:
            self._dois = defaultdict(set)
            for rid, doi in zip(self._corpus["record_id"].astype(str), self._col("doi"), strict=True):
                d = normalise_doi(doi)
                if d:
                    self._dois[d].add(rid)
        return self._dois

    @property
    def titles(self) -> dict[str, list[tuple[str, int | None]]]:
        if self._titles is None:
            self._titles = defaultdict(list)
            for rid, title, year in zip(
                self._corpus["record_id"].astype(str), self._col("title"), self._col("year"), strict=True
            ):
                t = title_match_key(None if title is None or pd.isna(title) else str(title))
                if t:
                    self._titles[t].append((rid, parse_year(year)))
        return self._titles

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
