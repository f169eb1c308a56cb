"""Citation audit: the works a paper's text cites against its bibliography.

Input: a CSV of in-text citations (``data/raw/bibliography/in_text_citations.csv``;
columns ``line, citation, form, first_author, year, locator, ref_key``) and the corpus
of stage 01. Each citation is matched to a record by ``ref_key`` when that is given,
else by first author and year: the citation's ``first_author`` and the record's first
author family name (the part of ``authors`` before the first comma; an organisation's
whole name) are compared as lower-case ASCII letters only, so "Van Der Hijden" matches
"Van Der Hijden, P." and "Humas Ditjen Dikti" the organisation of that name.

``audit(citations, corpus)`` returns two tables:

- per citation: the matched ``record_id`` and a ``status``: ``in_list`` (the record is
  in the paper's reference list), ``absent_from_list`` (the record exists but is marked
  ``inreflist = no``: named by the paper, missing from its list), ``not_in_bibliography``
  (no record at all), or ``ambiguous`` (more than one record matches);
- per record: how often the text cites it and ``cited`` (False marks a reference-list
  entry the text never cites). The review itself (``inreflist = self``) is left out.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from revalign.bibliography.names import first_family
from revalign.core.errors import InputError
from revalign.core.yamlio import read_text_checked

CITATION_COLUMNS = ["line", "citation", "form", "first_author", "year", "locator", "ref_key"]


def name_key(name: object) -> str:
    """Lower-case ASCII letters and digits of *name* (diacritics dropped)."""
    if name is None or (isinstance(name, float) and name != name) or name is pd.NA:
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def read_citations(path: str | Path) -> pd.DataFrame:
    """Read and check an in-text citation CSV (InputError naming the file on a problem)."""
    import io

    from revalign.core.confine import refuse_outside

    path = Path(path)
    refuse_outside(path)  # a link beside the bibliography may not lead out of the project
    text = read_text_checked(path)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in CITATION_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}; expected {', '.join(CITATION_COLUMNS)}", 1)
    for i, row in df.iterrows():
        if not row["citation"].strip() or not (row["first_author"].strip() or row["ref_key"].strip()):
            raise InputError(path, "each citation needs the citation text and a first_author or ref_key", i + 2)
        if row["year"].strip() and not re.fullmatch(r"\d{4}[a-z]?", row["year"].strip()):
            raise InputError(path, f"year '{row['year']}' is not a four-digit year", i + 2)
    df["line"] = pd.to_numeric(df["line"], errors="coerce").astype("Int64")
    return df[CITATION_COLUMNS]


def _first_family(authors: object) -> str:
    if authors is None or (isinstance(authors, float) and authors != authors) or authors is pd.NA:
        return ""
    return first_family(str(authors))


def _folded(text: pd.Series) -> pd.Series:
    """:func:`name_key` of every text, vectorised (diacritics and everything but a-z, 0-9 dropped)."""
    t = text.astype("string").fillna("").str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return t.str.lower().str.replace(r"[^a-z0-9]", "", regex=True)


def _first_author_keys(refs: pd.DataFrame, citations: pd.DataFrame) -> pd.Series:
    """:func:`name_key` of each record's first author, worked out only for the records a citation
    by author and year could match: of a cited year, with a cited name somewhere in the authors.
    The name parser then runs on a few records, not on every work of a large corpus (issue 27);
    the others get "" (they cannot match)."""
    out = pd.Series("", index=refs.index, dtype=object)
    by_author = citations[citations["ref_key"].fillna("").str.strip() == ""]
    names = sorted({name_key(a) for a in by_author["first_author"]} - {""})
    years = {str(y or "").strip()[:4] for y in by_author["year"]}
    if not names:
        return out
    cand = refs.index[refs["_year"].isin(years)]
    pattern = "|".join(re.escape(n) for n in names)
    cand = cand[_folded(refs.loc[cand, "authors"]).str.contains(pattern, regex=True).to_numpy(dtype=bool)]
    out[cand] = refs.loc[cand, "authors"].map(_first_family).map(name_key)
    return out


def audit(citations: pd.DataFrame, corpus: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match citations to records; see the module docstring for the two tables returned."""
    refs = corpus[corpus["inreflist"].astype("string").fillna("yes") != "self"].copy()
    refs["_year"] = pd.to_numeric(refs["year"], errors="coerce").astype("Int64").astype("string").fillna("")
    refs["_author"] = _first_author_keys(refs, citations)
    inlist = dict(zip(refs["record_id"], refs["inreflist"].astype("string").fillna("yes"), strict=True))
    ids = set(refs["record_id"])

    matched, status = [], []
    for _, c in citations.iterrows():
        key = str(c["ref_key"] or "").strip()
        if key:
            hits = [key] if key in ids else []
        else:
            year = str(c["year"] or "").strip()[:4]
            sel = (refs["_author"] == name_key(c["first_author"])) & (refs["_year"] == year)
            hits = sorted(refs.loc[sel, "record_id"])
        if not hits:
            matched.append(pd.NA)
            status.append("not_in_bibliography")
        elif len(hits) > 1:
            matched.append("; ".join(hits))
            status.append("ambiguous")
        else:
            matched.append(hits[0])
            status.append("in_list" if inlist[hits[0]] == "yes" else "absent_from_list")
    per_citation = citations.assign(record_id=pd.array(matched, dtype="string"), status=status)

    counts = per_citation.loc[per_citation["status"].isin(["in_list", "absent_from_list"]), "record_id"].value_counts()
    per_record = pd.DataFrame(
        {
            "record_id": refs["record_id"].astype(str),
            "inreflist": refs["inreflist"].astype("string").fillna("yes"),
            "year": refs["year"],
            "title": refs["title"],
        }
    )
    per_record["citations"] = per_record["record_id"].map(counts).fillna(0).astype(int)
    per_record["cited"] = per_record["citations"] > 0
    per_record = per_record.sort_values("record_id", kind="stable").reset_index(drop=True)
    return per_citation.reset_index(drop=True), per_record
