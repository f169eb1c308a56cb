"""De-duplication of normalised records: one row per work, and a report of each merge.

Which records are the same work is decided by :mod:`revalign.bibliography.match`:
blocking on a few exact keys, then a pairwise rule (same DOI; or the same, a similar or a
translated title with nothing disagreeing: year, authors, venue, volume, issue, pages; or
the same place, venue, volume and page range, whatever the title; errata, comments,
preprints and recurring editorials kept apart), then clusters that never hold two
different DOIs. Each merge in the report names its reason (``doi``, or what agreed, e.g.
``title+authors+venue+year``). Measured on twelve labelled corpora, tuned and held out,
against bib-dedupe in ``benchmarks/dedup.py`` (figures in benchmarks/README.md).

Within a cluster the *kept* record is the most complete one (most non-empty fields;
ties go to the earlier record in the input order, which the caller makes independent
of the order of the files). The merged row takes, for each text field, the longest
value among the members (a full abstract over a truncated one; the title without its
database tags), and between values as long the best-formed one (diacritics over ASCII,
mixed case over upper case: :func:`_most_complete`), for the other fields the kept
record's value or the next non-empty one; ``origins`` lists every member. Because the caller sorts the input by (file label,
entry number), the output is the same whichever order the files were given in.

``record_id`` (and ``citation_key``) of a work: the export's own key, else a readable
generated one (:func:`generated_keys`); a second work with the same key gets ``b``, a
third ``c``...
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from revalign.bibliography.records import letter_suffix

CONTENT_FIELDS = [
    "doi", "title", "year", "authors", "source_title", "doc_type", "abstract", "keywords",
    "volume", "issue", "pages", "url", "publisher", "language",
]  # fmt: skip

MERGE_COLUMNS = [
    "record_id",
    "kept",
    "merged",
    "reason",
    "kept_doi",
    "merged_doi",
    "year",
    "kept_title",
    "merged_title",
]


def _merged_rows(df: pd.DataFrame, multi: pd.DataFrame, multi_pos, multi_cluster, value_cols) -> pd.DataFrame:
    """One row per cluster of duplicates, with its ``origins`` and ``_cluster``."""
    if not len(multi):
        return df.iloc[:0][value_cols].assign(origins=pd.Series(dtype="string"), _cluster=np.int64(0))
    merged = _most_complete(multi[value_cols], multi_cluster)
    by_pos = np.lexsort((multi_pos, multi_cluster))  # members in input order, for origins
    origins: dict[int, list[str]] = {}
    for c, o in zip(multi_cluster[by_pos].tolist(), multi["origin"].to_numpy()[by_pos].tolist(), strict=False):
        origins.setdefault(c, []).append(o)
    merged["origins"] = pd.Series(["; ".join(origins[c]) for c in merged.index], index=merged.index, dtype="string")
    merged["_cluster"] = merged.index.to_numpy()
    return merged.reset_index(drop=True)


def _unique_ids(rid: pd.Series) -> pd.Series:
    """The same key for two different works: the first keeps it, the others get b, c, ..."""
    dup = rid.duplicated(keep="first").to_numpy()
    if not dup.any():
        return rid
    taken = set(rid.tolist())
    rank = (rid.groupby(rid).cumcount()).to_numpy()
    vals = rid.to_numpy(dtype=object)
    for i in np.flatnonzero(dup):
        n = int(rank[i])
        while (new := vals[i] + letter_suffix(n)) in taken:
            n += 1
        taken.add(new)
        vals[i] = new
    return pd.Series(vals, dtype="string")


def deduplicate(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge duplicates of *df* (normalised records in canonical order).

    *df* needs the columns of :data:`CONTENT_FIELDS` plus ``title_key``, ``origin``,
    ``citation_key`` and any extras (kept with the same first-non-empty rule).
    Returns ``(records, merges)``; ``records`` has ``origins`` and ``record_id`` and is
    sorted by ``record_id``. Only the duplicated records are grouped; the whole frame
    is copied once, in the final order.
    """
    from revalign.bibliography.match import match

    df = df.reset_index(drop=True)
    n = len(df)
    cluster, pair_reasons = match(df)
    completeness = df[CONTENT_FIELDS].notna().sum(axis=1).to_numpy()
    size = np.bincount(cluster, minlength=n)[cluster]
    single_pos = np.flatnonzero(size == 1)
    multi_pos = np.flatnonzero(size > 1)
    # duplicated records: by cluster, most complete first, then input order
    multi_pos = multi_pos[np.lexsort((multi_pos, -completeness[multi_pos], cluster[multi_pos]))]
    value_cols = [c for c in df.columns if c != "origin"]

    multi = df.take(multi_pos)
    multi_cluster = cluster[multi_pos]
    merged = _merged_rows(df, multi, multi_pos, multi_cluster, value_cols)

    # one row per work: singles point into df, merged rows into `merged` (offset n)
    single_ids = stable_id_or_key(df, single_pos)
    merged_ids = stable_id_or_key(merged, np.arange(len(merged)))
    ids = np.concatenate([single_ids, merged_ids]).astype(object)
    src = np.concatenate([single_pos, n + np.arange(len(merged))])
    clusters = np.concatenate([single_pos, merged["_cluster"].to_numpy(dtype=np.int64)])
    order = np.lexsort((clusters, ids))  # by record_id; ties (same key, two works) by cluster
    ids, src, clusters = ids[order], src[order], clusters[order]

    combined = pd.concat(
        [df[value_cols].assign(origins=df["origin"].astype("string")), merged[value_cols + ["origins"]]],
        ignore_index=True,
    )
    records = combined.take(src).reset_index(drop=True)
    records = records.astype({c: df[c].dtype for c in value_cols})
    records["_cluster"] = clusters
    rid = _unique_ids(pd.Series(ids, dtype="string"))
    records["record_id"] = rid
    records["citation_key"] = rid  # every work has a readable key (DESIGN: corpus.csv citation_key)

    merges = _merge_report(multi.assign(_cluster=multi_cluster, _pos=multi_pos), records, pair_reasons)
    return records.drop(columns="_cluster"), merges


def stable_id_or_key(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """record_id of the given rows: their citation key, else a generated one (:func:`generated_keys`)."""
    if not len(rows):
        return np.array([], dtype=object)
    sub = frame[["citation_key", "authors", "year", "title"]].take(rows)
    key = sub["citation_key"]
    out = key.to_numpy(dtype=object, na_value=None)
    missing = key.isna().to_numpy()
    if missing.any():
        out[missing] = generated_keys(sub["authors"][missing], sub["year"][missing], sub["title"][missing]).to_numpy(
            dtype=object
        )
    return out


_STOP = (
    "a an the on of in for and to with from at by towards toward what how why when is are do does can "
    "into via about between under over its their our your le la les el los las de der die das un une"
).split()
_FIRST_WORD = re.compile(r"^(?:(?:" + "|".join(_STOP) + r")(?:\s+|$))*([a-z0-9]+)")


def _arrow(s: pd.Series) -> pa.Array:
    arr = pa.array(s.astype("string[pyarrow]"))
    return (arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr).cast(pa.string())


def _ascii_lower(arr: pa.Array) -> pa.Array:
    """Lower-case ASCII letters, digits and single spaces (accents dropped: Müller -> muller).

    pyarrow kernels; Python only folds the non-ASCII values.
    """
    nonascii = pc.fill_null(pc.invert(pc.string_is_ascii(arr)), False)
    if pc.any(nonascii).as_py():
        idx = pc.indices_nonzero(nonascii)
        folded = [
            "".join(c for c in unicodedata.normalize("NFKD", v) if not unicodedata.combining(c))
            for v in arr.take(idx).to_pylist()
        ]
        arr = pc.replace_with_mask(arr, nonascii, pa.array(folded, pa.string()))
    arr = pc.replace_substring_regex(pc.utf8_lower(arr), r"[^a-z0-9\s]+", "")
    # runs of white space to one space, only where there is such a run (most values have none)
    runs = pc.fill_null(pc.match_substring_regex(arr, r"\s\s|[\t\n\f\r]"), False)
    if pc.any(runs).as_py():
        idx = pc.indices_nonzero(runs)
        arr = pc.replace_with_mask(arr, runs, pc.replace_substring_regex(arr.take(idx), r"\s+", " "))
    return pc.utf8_trim_whitespace(arr)


def generated_keys(authors: pd.Series, year: pd.Series, title: pd.Series) -> pd.Series:
    """A readable citation key: first author's family name + year + first significant title word.

    As reference managers make them (Better BibTeX's default ``auth.lower + year +
    shorttitle``): ``'Müller, Jürgen; ...'``, 2021, ``'E-portfolios in higher
    education'`` -> ``muller2021eportfolios``; particles kept (``vandermeij``); an organisation
    by its first word (``Institute for Digital Teaching`` -> ``institute``); no
    author -> ``anon``, no year -> ``nd``. Words skipped at the start of the title: articles,
    prepositions and question words (:data:`_STOP`). Two works with one key are told apart
    by the caller (suffixes b, c, ...).
    """
    arr = _arrow(authors)
    # a person is stored "Family, Given": the whole family name (particles kept); an organisation
    # ("Name", or "{Name, with a comma}") by its first word (docs/DEVELOPING.md "Citation keys")
    person = pc.struct_field(pc.extract_regex(arr, r"^\s*(?P<f>[^,;{}]+),"), "f")
    org = pc.struct_field(pc.extract_regex(arr, r"^\s*\{?\s*(?P<f>[^\s,;{}]+)"), "f")
    first = pc.if_else(pc.is_null(person), org, person)
    family = pc.replace_substring(_ascii_lower(first), " ", "")
    family = pc.if_else(pc.fill_null(pc.equal(pc.binary_length(family), 0), True), "anon", family)
    yr = pc.fill_null(_arrow(year), "nd")
    # "E-portfolios" -> "eportfolios", "Teachers'" -> "teachers"
    words = _ascii_lower(pc.replace_substring_regex(_arrow(title), r"(\w)[-'\x{2019}](\w)", r"\1\2"))
    word = pc.fill_null(
        pc.struct_field(pc.extract_regex(words, _FIRST_WORD.pattern.replace("([a-z0-9]+)", "(?P<w>[a-z0-9]+)")), "w"),
        "",
    )
    keys = pc.binary_join_element_wise(family, yr, word, "")
    return pd.Series(pd.arrays.ArrowStringArray(keys.cast(pa.large_string())), index=authors.index)


# fields compared by their letters and digits only (a trailing dot, "&" against "and" or a
# spacing difference does not make a value more complete); longer text by its whole length
_SHORT_TEXT = {"title", "authors", "source_title", "publisher", "keywords", "volume", "issue", "pages", "language"}


def _most_complete(frame: pd.DataFrame, clusters: np.ndarray) -> pd.DataFrame:
    """One row per cluster: for each field, the most complete and best-formed value among the members.

    *frame* is ordered with the kept (most complete) record first in each cluster. Text fields
    take the longest value (a full abstract beats a truncated one, a title with its subtitle
    one without); short fields (title, authors, venue, publisher, keywords...) are counted in
    letters and digits only, and between values as long the best-formed one wins: with
    diacritics over plain ASCII (``für`` over ``Fur``), then mixed case over all upper or all
    lower case (``Computers & Education`` over ``COMPUTERS & EDUCATION``); last, the kept
    record's. Other columns take the first non-empty value. The
    title is compared, and given, without its database tags ("[Review] [23 refs]" does not
    make a title more complete).
    """
    from revalign.bibliography.match import clean_title

    first = frame.groupby(clusters, sort=False).first()
    rank = np.arange(len(frame))
    codes = pd.factorize(clusters)[0]  # 0, 1, ... in the order of first appearance, as `first`
    starts = np.searchsorted(np.sort(codes), np.arange(len(first)))  # where each cluster begins once sorted
    chosen: dict[str, tuple[pd.Series, pa.Array]] = {}
    for col in frame.columns:
        s = frame[col]
        if not (isinstance(s.dtype, pd.StringDtype) or s.dtype == object) or col in ("citation_key", "title_key"):
            continue
        given = s.notna().to_numpy()
        if col != "title" and np.bincount(codes[given], minlength=1).max() <= 1:
            continue  # no cluster has two values to choose from: the first non-empty one it is
        vals = s.astype("string")
        if col == "title":
            vals = vals.map(clean_title, na_action="ignore").astype("string")
        chosen[col] = (vals, _arrow(vals))
    # letters and digits of all short fields at once: one regex kernel call (pyarrow compiles the
    # pattern, with its Unicode classes, on each call: ~6 ms, which a per-column loop paid per field)
    short = [c for c in chosen if c in _SHORT_TEXT]
    alnum = {}
    if short:
        joined = pa.concat_arrays([chosen[c][1] for c in short])
        counted = pc.utf8_length(pc.replace_substring_regex(joined, r"[^\p{L}\p{N}]+", ""))
        for i, c in enumerate(short):
            alnum[c] = counted.slice(i * len(frame), len(frame))
    for col, (vals, arr) in chosen.items():
        if col in _SHORT_TEXT:
            length = alnum[col]
            accented = pc.fill_null(pc.invert(pc.string_is_ascii(arr)), False).to_numpy(zero_copy_only=False)
            one_case = pc.fill_null(pc.or_(pc.utf8_is_upper(arr), pc.utf8_is_lower(arr)), True)
            mixed = pc.invert(one_case).to_numpy(zero_copy_only=False)
        else:  # long text (abstracts): the longer one, else the kept record's
            length = pc.utf8_length(arr)
            accented = mixed = np.zeros(len(arr), dtype=bool)
        length = pc.fill_null(length, -1).to_numpy(zero_copy_only=False)
        # by cluster (in the order of `first`), best value first; empty values (length -1) last
        order = np.lexsort((rank, ~mixed, ~accented, -length, codes))
        pick = order[starts]
        source = vals if col == "title" else frame[col]  # a merged title loses its database tags
        best = source.iloc[pick]
        best.index = first.index
        first[col] = best
    return first


def _merge_report(multi: pd.DataFrame, records: pd.DataFrame, pair_reasons: dict | None = None) -> pd.DataFrame:
    if not len(multi):
        return pd.DataFrame({c: pd.Series(dtype="string") for c in MERGE_COLUMNS})
    first = ~multi["_cluster"].duplicated(keep="first")  # multi is ordered: kept record first per cluster
    kept = multi[first.to_numpy()].set_index("_cluster")
    others = multi[~first.to_numpy()]
    k = kept.loc[others["_cluster"].to_numpy()]
    pair_reasons = pair_reasons or {}
    any_reason: dict[int, str] = {}
    for (i, j), why in pair_reasons.items():
        any_reason.setdefault(j, why)
        any_reason.setdefault(i, why)
    reasons = []
    for kp, op in zip(k["_pos"].tolist(), others["_pos"].tolist(), strict=False):
        why = pair_reasons.get((min(kp, op), max(kp, op))) or any_reason.get(op) or any_reason.get(kp) or "linked"
        reasons.append(why)
    rid = records.set_index("_cluster")["record_id"]
    report = pd.DataFrame(
        {
            "record_id": rid.loc[others["_cluster"].to_numpy()].to_numpy(),
            "kept": k["origin"].to_numpy(),
            "merged": others["origin"].to_numpy(),
            "reason": reasons,
            "kept_doi": k["doi"].to_numpy(),
            "merged_doi": others["doi"].to_numpy(),
            "year": others["year"].to_numpy(),
            "kept_title": k["title"].to_numpy(),
            "merged_title": others["title"].to_numpy(),
        }
    )
    report = report.astype({c: "string" for c in MERGE_COLUMNS if c != "year"})
    report["year"] = report["year"].astype("Int64")
    return report.sort_values(["record_id", "merged"], kind="stable").reset_index(drop=True)
