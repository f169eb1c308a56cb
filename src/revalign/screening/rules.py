"""Screening (stage 02): one decision and one reason code per record of the corpus.

``screen(corpus, params)`` applies the criteria of a parameter file's ``screening:``
block (:class:`revalign.core.config.Screening`) to the de-duplicated corpus of stage 01 and
returns one row per record, in the corpus' order, with the columns :data:`COLUMNS`.

Criteria, checked in this order; the first one a record fails gives its reason code
(so every excluded record has exactly one reason, as PRISMA 2020 asks):

``review_itself`` (stage ``identification``)
    the reviewed paper itself (``inreflist == "self"`` or ``sourcetype == "review"``):
    it is part of the bibliography so that coded evidence can cite it, but it is not
    a candidate source. PRISMA counts it as removed before screening.
``year_missing`` / ``year_out_of_window``
    the year is blank / outside ``year_min..year_max`` (inclusive). Applied only to
    records whose source type is in ``window_applies_to`` (``None``: every record).
    The published method puts the 5-10 year window on the secondary sources (journal
    articles, news); policy documents and official definitions are chosen by name,
    whatever their age.
``doc_type_excluded``
    ``doc_types`` is not empty and the record's ``doc_type`` is not in it.
``language_excluded``
    ``languages`` is not empty and the record's ``language`` is not in it
    (a language is its code or its name: ``es``, ``spa``, ``Spanish`` and, with ``es``
    listed, ``español`` are the same; see :func:`language_keys`).
    A record whose doc type or language is blank is not excluded by these two
    criteria: the metadata cannot tell.
``no_keyword_match``
    none of the ``keywords`` (of every language) occurs in the title, abstract or keywords.
    Applied only to source types in ``keywords_apply_to`` (``None``: every record);
    with no keywords at all the criterion is off.
``included``
    every applicable criterion passed.

Keyword matching is case-insensitive and tolerant of hyphens and spaces between the
words of a keyword: ``e-portfolio`` matches "E-portfolios",
"eportfolios" and "e portfolio". A keyword must start at a word boundary
and may be followed by any ending (truncation, as ``e-portfolio*`` in a database
search), so it also matches "e-portfolioing". Multi-word keywords are phrases:
all their words, in order. The keywords are compiled into regular expressions (one, or
chunks of :data:`KEYWORD_CHUNK_CHARS` characters for thousands of keywords, whose results
are merged as one expression's would be) and matched by pyarrow's RE2 engine over the
whole column at once (no Python loop per record), so 100,000 records with ~100-word
abstracts take about a second.

A record's source type is its ``sourcetype`` column (lower case); ``unknown`` when
blank or when the corpus has no such column (e.g. a Scopus export).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from revalign.core.config import Screening
from revalign.core.errors import InputError

INCLUDE, EXCLUDE = "include", "exclude"

#: reason codes, in the order the criteria are checked
REASONS = (
    "review_itself",
    "year_missing",
    "year_out_of_window",
    "doc_type_excluded",
    "language_excluded",
    "no_keyword_match",
    "included",
)
#: reasons decided before screening proper (PRISMA: "records removed before screening")
IDENTIFICATION_REASONS = ("review_itself",)
#: reasons for records excluded at screening
SCREENING_REASONS = tuple(r for r in REASONS if r not in IDENTIFICATION_REASONS and r != "included")

COLUMNS = [
    "record_id", "decision", "reason", "stage", "matched_keyword", "window_applied", "keywords_applied",
    "year", "sourcetype", "doc_type", "language", "title",
]  # fmt: skip

REQUIRED = ("record_id", "title", "year")
TEXT_FIELDS = ("title", "abstract", "keywords")

# characters that may separate (or be absent between) the words of a keyword:
# white space, hyphen-minus, the Unicode hyphens and dashes U+2010-U+2015, "_" and "/"
_SEP_RE = re.compile(r"[\s\-\u2010-\u2015_/]+")
_SEP_RE2 = r"[\s\-\x{2010}-\x{2015}_/]*"  # the same class in RE2 syntax (pyarrow)


def language_keys(names_in: list[str]):
    """A function from a language as exports write it to its ISO 639-1 code, with CLDR's data
    (Babel): a code (``es``, ``spa``, ``spa_ES``, the old ``in``), or a language's name in English
    or in one of *names_in* (``Spanish``, ``español``, ``Inggris`` with ``id`` among them). Text
    it cannot tell is returned lower-cased, unchanged."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    aliases = get_global("language_aliases")
    names: dict[str, str] = {}
    for lang in ["en", *names_in]:
        try:
            names.update({n.casefold(): code for code, n in Locale.parse(lang).languages.items() if "_" not in code})
        except (ValueError, UnknownLocaleError):
            continue
    codes = set(names.values())

    def key(value: str) -> str:
        v = value.strip().casefold()
        code = aliases.get(v, v).replace("-", "_").split("_")[0]
        return code if code in codes else names.get(v, v)

    return key


def _keyword_key(text: str) -> str:
    return _SEP_RE.sub("", text.strip().casefold())


# Characters of one RE2 pattern. RE2 refuses a program larger than its memory budget ("pattern
# too large": 12,000 four-word keywords, about 1.3 million characters, were refused), so the
# alternatives are compiled in chunks of at most this size and the chunks' results merged.
KEYWORD_CHUNK_CHARS = 100_000


def _alternatives(keywords: list[str]) -> list[str]:
    """One RE2 alternative per distinct keyword, longest first (so that at one position of the
    text the most specific keyword is the one reported)."""
    words = sorted(
        {k.strip() for k in keywords if k and k.strip()}, key=lambda k: (-len(_keyword_key(k)), k.casefold())
    )
    alternatives = []
    for kw in words:
        tokens = [t for t in _SEP_RE.split(kw.casefold()) if t]
        alternatives.append(_SEP_RE2.join(re.escape(t) for t in tokens))
    return alternatives


def _chunks(alternatives: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for alt in alternatives:
        if chunks[-1] and size + len(alt) + 1 > KEYWORD_CHUNK_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(alt)
        size += len(alt) + 1
    return [c for c in chunks if c]


def keyword_pattern(keywords: list[str]) -> str | None:
    """One case-insensitive RE2 pattern (named group ``kw``) for all *keywords*; see module doc.

    Longer keywords come first, so the most specific keyword is the one reported.
    ``None`` when there are no keywords. (Matching compiles it in chunks: :func:`match_keywords`.)
    """
    alternatives = _alternatives(keywords)
    return r"(?i)\b(?P<kw>" + "|".join(alternatives) + ")" if alternatives else None


def _arrow_text(series: pd.Series) -> pa.Array:
    values = series.astype("string").to_numpy(dtype=object, na_value=None)
    return pa.array(values, type=pa.large_string())


def _text_column(corpus: pd.DataFrame) -> pa.Array:
    """Title, abstract and keywords joined by " | " (blank fields as empty text)."""
    parts = [_arrow_text(corpus[c]) for c in TEXT_FIELDS if c in corpus.columns]
    if len(parts) == 1:
        return pc.fill_null(parts[0], pa.scalar("", pa.large_string()))
    sep = pa.scalar(" | ", pa.large_string())
    return pc.binary_join_element_wise(*parts, sep, null_handling="replace", null_replacement="")


def _extract(text, pattern: str, field: str) -> pd.Series:
    found = pc.extract_regex(text, pattern=pattern)
    value = pc.if_else(pc.is_valid(found), pc.struct_field(found, [field]), pa.scalar(None, pa.large_string()))
    return pd.Series(value.to_pandas(), dtype="string")


def _first_match(text, chunks: list[list[str]]) -> pd.Series:
    """The keyword alternative one pattern of all *chunks* would report for each text: the
    leftmost match, and at one position the first alternative. Each chunk is matched on its
    own; where several chunks match one text, their match positions decide (the length of
    the text before each chunk's match, found by RE2 too), a tie going to the earlier chunk."""
    per_chunk = [_extract(text, r"(?i)\b(?P<kw>" + "|".join(c) + ")", "kw") for c in chunks]
    result = per_chunk[0].copy()
    hits = per_chunk[0].notna().astype(int)
    for found in per_chunk[1:]:
        result = result.fillna(found)
        hits += found.notna().astype(int)
    several = np.flatnonzero(hits.to_numpy() >= 2)
    if len(several):
        subset = text.take(pa.array(several))
        best_pos = np.full(len(several), np.iinfo(np.int64).max)
        best_kw = np.empty(len(several), dtype=object)
        for chunk, found in zip(chunks, per_chunk, strict=True):
            if not found.iloc[several].notna().any():
                continue
            pre = _extract(subset, r"(?is)^(?P<pre>.*?)\b(?P<kw>" + "|".join(chunk) + ")", "pre")
            pos = pre.str.len().to_numpy(dtype="float64", na_value=np.inf)
            better = pos < best_pos  # strictly: at a tie the earlier chunk stays
            best_pos = np.where(better, pos, best_pos)
            best_kw = np.where(better, found.iloc[several].to_numpy(dtype=object, na_value=None), best_kw)
        result.iloc[several] = best_kw
    return result


def match_keywords(text: pd.Series | pa.Array | pa.ChunkedArray, keywords: list[str]) -> pd.Series:
    """The first keyword (as written in *keywords*) found in each text; NA where none is.

    *text* is a pandas Series or a pyarrow string array. Matching runs in pyarrow's RE2
    engine: linear time, no Python loop per record; the keywords are compiled in chunks of
    at most :data:`KEYWORD_CHUNK_CHARS` characters, so any number of them can be matched.
    """
    if isinstance(text, pd.Series):
        text = _arrow_text(text)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    alternatives = _alternatives(keywords)
    if not alternatives:
        return pd.Series(pd.NA, index=range(len(text)), dtype="string")
    matched = _first_match(text, _chunks(alternatives))
    lookup = {}
    for k in keywords:
        lookup.setdefault(_keyword_key(k), k.strip())
    return matched.str.lower().str.replace(_SEP_RE, "", regex=True).map(lookup).astype("string").reset_index(drop=True)


def _norm_str(series: pd.Series) -> pd.Series:
    s = series.astype("string").str.strip().str.lower()
    return s.mask(s == "")


def _applies(sourcetype: pd.Series, applies_to: list[str] | None) -> pd.Series:
    if applies_to is None:
        return pd.Series(True, index=sourcetype.index)
    return sourcetype.isin(list(applies_to))


def _fields(corpus: pd.DataFrame) -> dict[str, pd.Series]:
    """The normalised columns the criteria read (a missing optional column counts as blank)."""

    def col(name: str) -> pd.Series:
        return corpus[name] if name in corpus.columns else pd.Series(pd.NA, index=corpus.index, dtype="string")

    return {
        "sourcetype": _norm_str(col("sourcetype")).fillna("unknown"),
        "doc_type": _norm_str(col("doc_type")),
        "language": _norm_str(col("language")),
        "year": pd.to_numeric(corpus["year"], errors="coerce").astype("Int64"),
        "inreflist": _norm_str(col("inreflist")),
    }


def _mark(reason: pd.Series, mask: pd.Series, code: str) -> None:
    """Give *code* to the records in *mask* that have no reason yet (the first failed criterion wins)."""
    mask = pd.Series(mask, index=reason.index).fillna(False).astype(bool) & reason.isna()
    reason[mask] = code


def _metadata_reasons(f: dict[str, pd.Series], params: Screening, window_applied: pd.Series) -> pd.Series:
    """The reason code of the first metadata criterion each record fails (NA: none failed)."""
    reason = pd.Series(pd.NA, index=f["year"].index, dtype="string")
    year = f["year"]
    _mark(reason, f["inreflist"].eq("self") | f["sourcetype"].eq("review"), "review_itself")
    _mark(reason, window_applied & year.isna(), "year_missing")
    _mark(reason, window_applied & ((year < params.year_min) | (year > params.year_max)), "year_out_of_window")
    if params.doc_types:
        allowed = {d.strip().lower() for d in params.doc_types}
        _mark(reason, f["doc_type"].notna() & ~f["doc_type"].isin(allowed), "doc_type_excluded")
    if params.languages:
        key = language_keys([v.strip() for v in params.languages])
        allowed = {key(v) for v in params.languages}
        lang = f["language"].map({v: key(v) for v in f["language"].dropna().unique()}).astype("string")
        _mark(reason, lang.notna() & ~lang.isin(allowed), "language_excluded")
    return reason


def _keyword_matches(corpus: pd.DataFrame, reason: pd.Series, keywords: list[str], applied: pd.Series) -> pd.Series:
    """The keyword each still-undecided record matches (NA: none); marks the others ``no_keyword_match``."""
    matched = pd.Series(pd.NA, index=corpus.index, dtype="string")
    todo = applied & reason.isna()
    if todo.any():
        found = match_keywords(_text_column(corpus.loc[todo]), keywords)
        matched[todo] = found.to_numpy(dtype=object, na_value=pd.NA)
        _mark(reason, todo & matched.isna(), "no_keyword_match")
    return matched


def screen(corpus: pd.DataFrame, params: Screening) -> pd.DataFrame:
    """Decision (``include``/``exclude``), reason code and stage for every record."""
    missing = [c for c in REQUIRED if c not in corpus.columns]
    if missing:
        raise InputError(None, f"the corpus lacks the column(s) {', '.join(missing)} that screening needs")
    corpus = corpus.reset_index(drop=True)
    f = _fields(corpus)
    window_applied = _applies(f["sourcetype"], params.window_applies_to)
    keywords = params.all_keywords
    keywords_applied = _applies(f["sourcetype"], params.keywords_apply_to) & bool(keyword_pattern(keywords))
    reason = _metadata_reasons(f, params, window_applied)
    matched = _keyword_matches(corpus, reason, keywords, keywords_applied)
    reason = reason.fillna("included")
    out = pd.DataFrame(
        {
            "record_id": corpus["record_id"].astype("string"),
            "decision": reason.map(lambda r: INCLUDE if r == "included" else EXCLUDE).astype("string"),
            "reason": reason,
            "stage": reason.map(lambda r: "identification" if r in IDENTIFICATION_REASONS else "screening").astype(
                "string"
            ),
            "matched_keyword": matched,
            "window_applied": window_applied.astype(bool),
            "keywords_applied": keywords_applied.astype(bool),
            "year": f["year"],
            "sourcetype": f["sourcetype"],
            "doc_type": f["doc_type"],
            "language": f["language"],
            "title": corpus["title"].astype("string"),
        },
        index=corpus.index,
    )
    assert len(out) == len(corpus)
    return out[COLUMNS]


def require_included(screening: pd.DataFrame, params_file: str | Path | None = None) -> None:
    """Raise InputError when the screening included no record (nothing would be left to code).

    *params_file*: the parameter file whose ``screening:`` block gave the criteria (named in the message).
    """
    if (screening["decision"] == INCLUDE).any():
        return
    excluded = screening["reason"][screening["decision"] == EXCLUDE]
    if excluded.empty:
        detail = "the corpus has no records"
    else:
        top = excluded.value_counts().sort_index().sort_values(ascending=False, kind="stable")
        detail = f"all {len(excluded)} excluded, {int(top.iloc[0])} by {top.index[0]}"
    raise InputError(params_file, f"screening left no records ({detail}): widen year_min/year_max or the keywords")


def reason_counts(screening: pd.DataFrame) -> pd.DataFrame:
    """Records per reason code (all codes, zeros included), in :data:`REASONS` order."""
    counts = screening["reason"].value_counts()
    return pd.DataFrame({"reason": list(REASONS), "records": [int(counts.get(r, 0)) for r in REASONS]})
