"""Which records are the same work: blocking, pairwise rules, clusters (used by :mod:`revalign.bibliography.dedup`).

Rule (issue 13), applied to each candidate pair:

1. Both have a DOI: the same work exactly when the DOIs are equal (reason ``doi``).
2. Otherwise the titles must agree: equal after normalisation, or similar (rapidfuzz
   ratio >= 0.95 on the normalised titles, or one title a >= 40-character prefix of the
   other: a lost subtitle). Database tags are removed from titles first: trailing
   ``[Review] [23 refs]``, ``[Erratum appears in ...]``, ``[Spanish]``,
   ``(Structured abstract)``... (:func:`clean_title`).
3. Nothing may disagree. Title and year alone never merge records whose authors or
   venues disagree: the years differ by at most one (one only if volume or first page
   also agree); when both have authors, their family names overlap (the first authors
   agree, or half the shorter list is shared); when both have a venue, the venues match
   (equal, one an abbreviation of the other, or rapidfuzz token-set >= 0.9); when both
   have a volume, or both a first page, they are equal.
4. A generic title ("Editorial", "Letter to the editor", "Book review", "Reply", or any
   title shorter than 20 letters) needs positive evidence beyond the title: the same
   venue and the same volume and first page.

The reason of a merge names what agreed, e.g. ``title+authors+venue+pages``, or
``similar title (0.97)+authors+venue``; ``doi`` for a DOI match.

Blocking: candidate pairs are the records that share one of: the DOI; the normalised
title; its first or last 40 characters; (first author, year, first page); (year,
volume, first page). Blocks of more than 200 records are skipped (they are generic keys
that a rule would refuse anyway), so the number of pairs grows linearly with the input.

Clusters: pairs are joined in a fixed order (DOI pairs first, then by decreasing title
similarity, then by position), and a join is refused when it would put two different
DOIs in one cluster. Deterministic for a given canonical input order.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Database tags at the end of a title (case-insensitive), removed repeatedly.
_TAG_TAIL = re.compile(
    r"""\s*(?:
        \[[^\[\]]*\]                                   # [Review] [23 refs] [Spanish] [Erratum appears in ...]
      | \((?:structured\s+abstract|abstract|english\s+abstract|author'?s\s+transl|review|editorial|letter|
             erratum|comment|spanish|german|french|chinese|japanese|portuguese|italian|russian|polish|
             dutch|korean|turkish|english)\)
      | \bsummary\s+for\s+patients
    )\s*[.;,]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\d+")
_GENERIC = {
    "editorial", "editorialcomment", "editorscomments", "editorsnote", "letter", "lettertotheeditor", "reply",
    "replytotheeditor", "response", "authorsreply", "bookreview", "bookreviews", "erratum", "correction",
    "corrigendum", "commentary", "comment", "introduction", "preface", "foreword", "abstracts", "index",
    "contents", "tableofcontents", "inthisissue", "newsandviews", "announcements", "obituary", "retraction",
}  # fmt: skip
_VENUE_STOP = {"the", "of", "and", "in", "for", "on", "a", "an", "journal", "j"}


def _ascii_key(value: str) -> str:
    v = unicodedata.normalize("NFKD", value)
    v = "".join(c for c in v if not unicodedata.combining(c)).casefold()
    return _NOT_ALNUM.sub("", v)


def clean_title(title: str | None) -> str | None:
    """The title without database tags (for matching and for the merged record)."""
    if not title:
        return title
    t = title.strip()
    whole = re.fullmatch(r"\[(.*)\]\.?", t)  # a translated title given wholly in brackets
    if whole:
        return whole.group(1).strip()
    while True:
        new = _strip_bracket_tail(_TAG_TAIL.sub("", t).strip())
        if new == t or not new.strip(" .;,"):
            return t
        t = new.rstrip(" .;,")  # "education. [Review]" -> "education"


def _strip_bracket_tail(t: str) -> str:
    """Remove one trailing [...] group, nested brackets included ("[Erratum ... [added]]")."""
    u = t.rstrip(" .;,")
    if not u.endswith("]"):
        return t
    depth = 0
    for i in range(len(u) - 1, -1, -1):
        if u[i] == "]":
            depth += 1
        elif u[i] == "[":
            depth -= 1
            if depth == 0:
                return u[:i].rstrip() if i > 0 else t
    return t


def title_match_key(title: str | None) -> str | None:
    t = clean_title(title)
    if not t:
        return None
    return _ascii_key(t) or None


_PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "den",
    "da",
    "di",
    "del",
    "la",
    "le",
    "du",
    "dos",
    "das",
    "ter",
    "ten",
    "al",
    "el",
}


def _families(authors) -> list[frozenset]:
    """Per author, the words of the family part (particles dropped): a set, so that
    "De Joode" meets "Joode" and "Si Hyun Kang" (given names in the family field) meets "Kang"."""
    if not isinstance(authors, str) or not authors:
        return []
    out = []
    for name in authors.split(";"):
        fam = name.split(",", 1)[0]
        words = {_ascii_key(w) for w in re.split(r"[\s-]+", fam)} - _PARTICLES - {""}
        if words:
            out.append(frozenset(words))
    return out


def _venue_tokens(v) -> list[str]:
    if not isinstance(v, str) or not v:
        return []
    v = unicodedata.normalize("NFKD", v)
    v = "".join(c for c in v if not unicodedata.combining(c)).casefold()
    v = v.split(":")[0].split(";")[0]  # "Stroke; a journal of cerebral circulation"
    return [t for t in re.split(r"[^0-9a-z]+", v) if t and t not in _VENUE_STOP]


def _abbrev_of(short: list[str], long: list[str]) -> bool:
    """Each token of *short* is a prefix of a later token of *long*, in order ("J Clin Oncol")."""
    i = 0
    for s in short:
        while i < len(long) and not long[i].startswith(s):
            i += 1
        if i == len(long):
            return False
        i += 1
    return True


def venues_agree(a, b) -> bool | None:
    """True/False when both venues are given, None when one is missing."""
    ta, tb = _venue_tokens(a), _venue_tokens(b)
    if not ta or not tb:
        return None
    if ta == tb:
        return True
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if _abbrev_of(short, long):
        return True
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(" ".join(ta), " ".join(tb)) >= 90


def authors_agree(fa: list[frozenset], fb: list[frozenset]) -> bool | None:
    """None when one side has no authors; True when the first authors share a word, or
    half of the shorter list has a family word in the other list."""
    if not fa or not fb:
        return None
    if fa[0] & fb[0]:
        return True
    wa, wb = frozenset().union(*fa), frozenset().union(*fb)
    shared_a = sum(1 for x in fa if x & wb)
    shared_b = sum(1 for x in fb if x & wa)
    return min(shared_a, shared_b) * 2 >= min(len(fa), len(fb))


# Python's \s and \d in RE2 (pyarrow): Unicode white space and decimal digits, as ``re`` has them for str
_SPACE = r"[\t\n\x{b}\x{c}\r\x{1c}-\x{1f}\x{85}\p{Z}]"
_DIGIT = r"\p{Nd}"


def _extract(s: pd.Series, pattern: str) -> pd.Series:
    """``s.str.extract(pattern, expand=False)`` for a pattern with one group ``(?P<g>...)``,
    with a pyarrow kernel (pandas runs Python's ``re`` on every value); missing where no match."""
    arr = pa.array(s.astype("string[pyarrow]"))
    got = pc.struct_field(pc.extract_regex(arr, pattern), "g")
    return pd.Series(pd.arrays.ArrowStringArray(got.cast(pa.large_string())), index=s.index)


def _first_page(pages: pd.Series) -> pd.Series:
    return _extract(pages, rf"^{_SPACE}*(?P<g>[A-Za-z]{{0,4}}{_DIGIT}+)").str.lstrip("0")


_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-\u2013]+\s*(\d+))?\s*$")


def pages_agree(pa_, pb_, fa, fb) -> bool | None:
    """True: same first page. False: two numeric ranges that neither overlap nor touch
    (945-948 and 948-961 touch: one database gives the next article's first page). None
    otherwise (an article number such as e12724 against printed pages, or one missing)."""
    if fa is None or fb is None:
        return None
    if fa == fb:
        return True
    ma, mb = _RANGE.match(pa_ or ""), _RANGE.match(pb_ or "")
    if not (ma and mb):
        return None
    a0, b0 = int(ma.group(1)), int(mb.group(1))
    a1, b1 = int(ma.group(2) or a0), int(mb.group(2) or b0)
    if a1 < a0 and ma.group(2):  # "1524-27": abbreviated end page
        a1 = int(str(a0)[: len(str(a0)) - len(ma.group(2))] + ma.group(2))
    if b1 < b0 and mb.group(2):
        b1 = int(str(b0)[: len(str(b0)) - len(mb.group(2))] + mb.group(2))
    return None if (a0 <= b1 and b0 <= a1) else False


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Matching keys of every record (vectorised; Python only in :func:`clean_title`'s rare cases)."""
    title = df["title"].astype("string")
    # fast path: an ASCII title without tags has as key its normalise.title_key (the
    # ``title_key`` column when the frame has it), computed with pyarrow kernels
    arr = pa.array(title.fillna(""), pa.large_string())
    tagged = pc.match_substring_regex(arr, r"[\[\]()]|summary for patients", ignore_case=True)
    nonascii = pc.invert(pc.string_is_ascii(arr))
    slow = pc.or_(tagged, nonascii)
    if "title_key" in df.columns:
        keys = pc.fill_null(pa.array(df["title_key"].astype("string[pyarrow]")), "")
        keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    else:
        keys = pc.replace_substring_regex(pc.ascii_lower(arr), r"[^a-z0-9]+", "")
    keys = keys.cast(pa.large_string())
    if pc.any(slow).as_py():
        vals = title.to_numpy(dtype=object, na_value=None)
        fixed = [title_match_key(vals[i]) or "" for i in np.flatnonzero(slow.to_numpy(zero_copy_only=False))]
        keys = pc.replace_with_mask(keys, slow, pa.array(fixed, pa.large_string()))
    keys = pc.if_else(pc.equal(pc.binary_length(keys), 0), pa.scalar(None, pa.large_string()), keys)
    tkey = pd.Series(pd.arrays.ArrowStringArray(keys), index=df.index)
    authors = df["authors"].astype("string")
    first = _extract(authors, r"^(?P<g>[^,;]+)").str.strip().str.lower()
    return pd.DataFrame(
        {
            "tkey": tkey,
            "year": df["year"],
            "doi": df["doi"].astype("string"),
            "first": first,
            "page": _first_page(df["pages"]),
            "pages": df["pages"].astype("string"),
            "issue": df["issue"].astype("string").str.strip().str.lower(),
            "volume": _extract(df["volume"], rf"(?P<g>{_DIGIT}+)"),
            "venue": df["source_title"].astype("string"),
            "authors": authors,
        },
        index=df.index,
    )


MAX_BLOCK = 200


def candidate_pairs(k: pd.DataFrame) -> np.ndarray:
    """Unique (i, j), i < j, of records sharing a blocking key; shape (m, 2)."""
    n = len(k)
    pos = np.arange(n)
    yr = k["year"].astype("string")
    blocks = [
        k["doi"],
        k["tkey"],
        k["tkey"].str.slice(0, 40).where(k["tkey"].str.len() >= 25),
        k["tkey"].str.slice(-40).where(k["tkey"].str.len() >= 25),
        (k["first"] + "|" + yr + "|" + k["page"]),
        (yr + "|" + k["volume"] + "|" + k["page"]),
    ]
    out = []
    for key in blocks:
        key = key.astype("string")
        ok = key.notna().to_numpy()
        if not ok.any():
            continue
        codes, uniques = pd.factorize(key[ok])
        sizes = np.bincount(codes)
        keep = (sizes[codes] > 1) & (sizes[codes] <= MAX_BLOCK)
        if not keep.any():
            continue
        c, p = codes[keep], pos[ok][keep]
        order = np.lexsort((p, c))
        c, p = c[order], p[order]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        ends = np.r_[starts[1:], len(c)]
        sizes = ends - starts
        for size in np.unique(sizes).tolist():  # the blocks of one size at once, without a loop over blocks
            first = starts[sizes == size]
            members = p[first[:, None] + np.arange(size)]  # one row per block
            ii, jj = np.triu_indices(size, 1)
            out.append(np.stack([members[:, ii].ravel(), members[:, jj].ravel()], axis=1))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.unique(np.concatenate(out), axis=0)
    return pairs


def _na(v):
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def judge(a: dict, b: dict) -> tuple[bool, str, float]:
    """(same work?, reason, title similarity) for two prepared records."""
    if not _na(a["doi"]) and not _na(b["doi"]):
        return (a["doi"] == b["doi"], "doi", 1.0)
    ta, tb = a["tkey"], b["tkey"]
    if _na(ta) or _na(tb):
        return (False, "", 0.0)
    if ta == tb:
        sim, what = 1.0, "title"
    else:
        from rapidfuzz import fuzz

        sim = fuzz.ratio(ta, tb) / 100
        short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
        if sim >= 0.95:
            what = f"similar title ({sim:.2f})"
        elif len(short) >= 20 and long.startswith(short):
            what, sim = "title without subtitle", max(sim, 0.95)
        else:
            return (False, "", sim)
    ya, yb = a["year"], b["year"]
    year_off = 0 if (_na(ya) or _na(yb)) else abs(int(ya) - int(yb))
    if year_off > 1:
        return (False, "", sim)
    evidence = [what]
    au = authors_agree(_families(a["authors"]), _families(b["authors"]))
    ve = venues_agree(a["venue"], b["venue"])
    same_vol = None if (_na(a["volume"]) or _na(b["volume"])) else a["volume"] == b["volume"]
    same_page = pages_agree(a["pages"], b["pages"], a["page"], b["page"])
    if same_vol is False or same_page is False:
        return (False, "", sim)
    if what != "title" and _DIGITS.findall(ta) != _DIGITS.findall(tb):
        return (False, "", sim)  # "FOCUS 1" / "FOCUS 2", "Part 1" / "Part 2": similar titles, different works
    located = bool(ve and same_vol and same_page and year_off == 0)  # same venue, volume, first page, year
    if au is False and not (located and what == "title"):
        return (False, "", sim)  # authors disagree: only an exact title at the same place in the same venue
    if au:
        evidence.append("authors")
    if what == "title without subtitle" and len(min(ta, tb, key=len)) < 40 and not located:
        return (False, "", sim)
    if ve is False and not (same_vol and same_page):
        return (False, "", sim)
    if ve:
        evidence.append("venue")
    if same_vol:
        evidence.append("volume")
    if same_page:
        evidence.append("pages")
    if year_off == 1 and not (same_vol or same_page):
        return (False, "", sim)
    short_key = min(ta, tb, key=len)
    if (len(short_key) < 20 or short_key in _GENERIC) and not (ve and same_vol and same_page):
        return (False, "", sim)
    if what != "title" and au is None:  # a similar (not equal) title needs the authors to agree
        return (False, "", sim)
    if year_off == 0 and not (_na(ya) or _na(yb)):
        evidence.append("year")
    return (True, "+".join(evidence), sim)


def match(df: pd.DataFrame) -> tuple[np.ndarray, dict[tuple[int, int], str]]:
    """Cluster id (smallest member position) of every record, and the reason of each joining pair."""
    n = len(df)
    k = prepare(df)
    pairs = candidate_pairs(k)
    # rule 1 for the pairs where both records have a DOI, with numpy: same DOI, same work;
    # different DOIs, different works (judge() says the same, one pair at a time)
    doi_code = pd.factorize(k["doi"])[0]
    ci, cj = doi_code[pairs[:, 0]], doi_code[pairs[:, 1]]
    both = (ci >= 0) & (cj >= 0)
    decided = [(0, -1.0, i, j, "doi") for i, j in pairs[both & (ci == cj)].tolist()]
    # the other pairs go to judge(), with Python values of only the records they involve
    rest = pairs[~both]
    involved = np.unique(rest)
    sub = k.iloc[involved]
    cols = {
        c: dict(zip(involved.tolist(), sub[c].to_numpy(dtype=object, na_value=None).tolist(), strict=False))
        for c in k.columns
    }
    for i, j in rest.tolist():
        a = {c: v[i] for c, v in cols.items()}
        b = {c: v[j] for c, v in cols.items()}
        same, why, sim = judge(a, b)
        if same:
            decided.append((0 if why == "doi" else 1, -sim, i, j, why))
    decided.sort()
    parent = list(range(n))
    dois: dict[int, set] = {}
    doi_values = k["doi"].to_numpy(dtype=object, na_value=None)
    doi_col = {i: doi_values[i] for i in np.unique(pairs).tolist()}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def doiset(r):
        if r not in dois:
            dois[r] = set()
        return dois[r]

    for i, d in doi_col.items():
        if d is not None:
            dois[i] = {d}
    reasons: dict[tuple[int, int], str] = {}
    for _, _, i, j, why in decided:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        di, dj = dois.get(ri, set()), dois.get(rj, set())
        if di and dj and di != dj:
            continue  # would put two different DOIs in one work
        lo, hi = min(ri, rj), max(ri, rj)
        parent[hi] = lo
        if di or dj:
            doiset(lo).update(di | dj)
        reasons[(i, j)] = why
    cluster = np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
    return cluster, reasons
