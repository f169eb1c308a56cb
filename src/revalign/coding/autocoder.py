"""The vocabulary check: deductive keyword coding of text from the codebook's indicator terms.

It is not a second coder: it shows how far the codebook's terms alone reproduce a
coding, and is never reported as inter-coder reliability (a second *human* coding is
compared with ``revalign agree``; see :mod:`revalign.coding.two_coders`).

Each codebook component lists indicator terms by language code (``en: [...]``, ``es: [...]``);
the terms of every language are used. A text is
coded to the component whose terms occur most often in it. The rules, kept simple on
purpose so a reader can predict every decision:

- Matching is case-insensitive and on word boundaries; spaces or hyphens inside a
  multi-word term match any run of spaces/hyphens (``blended learning`` matches
  ``blended-learning``).
- English terms also match with a plural ``s``/``es`` (``skill`` matches ``skills``).
- Indonesian terms also match with the common suffixes ``-kan``, ``-an``, ``-i`` and the
  possessive ``-nya`` on the last word (``etika`` matches ``etikanya``, ``kinerja`` matches
  ``kinerjanya``). Prefixes are not stripped (Indonesian prefixes change the root's first
  sound, e.g. ``daya`` -> ``pemberdayaan``): list the derived forms you mean as terms.
- Terms of other languages match as written; give stems with ``*`` (below).
- A term ending in ``*`` matches any word that starts with it (``pilih*`` matches
  ``pilihan`` and ``pilihannya``, not ``memilih``).
- Hits are counted per occurrence. The component with the most hits wins; a tie is
  broken by the total length of the matched text (the more specific, longer phrases
  win), then by codebook order. A text with no hit is coded ``none``.

Matching takes time linear in the text and the term. A term of up to
:data:`REGEX_TERM_CHARS` characters is matched by its regular expression, whose work at
each position of the text is bounded by the term's length. A longer term (a regular
expression would retry it at every word of a near-match: quadratic, 36 s for a
40,000-word term) is found with the Knuth-Morris-Pratt algorithm in the text with
every run of spaces and hyphens written as one space, then checked for the same word
boundaries and endings (:func:`_long_term_matches`).

:func:`code_segments` applies this to the ``excerpt`` of every segment;
:func:`code_records` to the titles and abstracts of bibliographic records (for a corpus
that has them), and :func:`dimension_year_matrix` counts the result by publication year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

NONE = "none"
ID_SUFFIXES = r"(?:kan|an|i)?(?:nya)?"
EN_SUFFIXES = r"(?:s|es)?"


REGEX_TERM_CHARS = 64  # longer terms are matched by _long_term_matches (linear time)
_SEP = re.compile(r"[\s\-]+")
_ID_TAIL = re.compile(r"(?:kan|an|i)?(?:nya)?")
_EN_TAIL = re.compile(r"(?:s|es)?")


@dataclass(frozen=True)
class Indicator:
    component: str
    term: str
    lang: str
    pattern: re.Pattern

    @cached_property
    def body(self) -> str:
        """The term's words, lower case, joined by one space (what a long term is matched as)."""
        term = self.term.strip()
        if term.endswith("*"):
            term = term[:-1].rstrip()
        return " ".join(w for w in _SEP.split(term.lower()) if w)

    @property
    def wildcard(self) -> bool:
        return self.term.strip().endswith("*")


def _is_word(ch: str) -> bool:
    """Python's ``\\w`` for one character (the regular expressions' word boundary)."""
    return ch.isalnum() or ch == "_"


def _lower(text: str) -> str:
    """*text* in lower case, one character for one (so that positions stay those of *text*)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class _Collapsed:
    """A text in lower case with every run of spaces and hyphens written as one space, and for
    each of its characters the position in the text it came from."""

    def __init__(self, text: str):
        low = _lower(text)
        chars: list[str] = []
        where: list[int] = []
        pos = 0
        for m in _SEP.finditer(low):
            chars.extend(low[pos : m.start()])
            where.extend(range(pos, m.start()))
            chars.append(" ")
            where.append(m.start())
            pos = m.end()
        chars.extend(low[pos:])
        where.extend(range(pos, len(low)))
        self.text = "".join(chars)
        self.where = where
        self.source = text
        self.ends = self._word_run_ends()

    def _word_run_ends(self) -> list[int]:
        """For each position, where the run of word characters starting there ends."""
        n = len(self.text)
        ends = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            ends[i] = ends[i + 1] if _is_word(self.text[i]) else i
        return ends

    def original_end(self, end: int) -> int:
        """The position in the source text just after collapsed position *end* - 1."""
        return self.where[end - 1] + 1


def _occurrences(pattern: str, text: str):
    """Every start of *pattern* in *text*, overlapping ones included (Knuth-Morris-Pratt: time
    linear in both)."""
    fail = [0] * len(pattern)
    k = 0
    for i in range(1, len(pattern)):
        while k and pattern[i] != pattern[k]:
            k = fail[k - 1]
        if pattern[i] == pattern[k]:
            k += 1
        fail[i] = k
    k = 0
    for i, ch in enumerate(text):
        while k and ch != pattern[k]:
            k = fail[k - 1]
        if ch == pattern[k]:
            k += 1
            if k == len(pattern):
                yield i - k + 1
                k = fail[k - 1]


def _tail_ok(rest: str, ind: Indicator) -> bool:
    if ind.wildcard:
        return True
    if ind.lang == "id":
        return _ID_TAIL.fullmatch(rest) is not None
    if ind.lang == "en":
        return _EN_TAIL.fullmatch(rest) is not None
    return rest == ""


def _long_term_matches(ind: Indicator, text: _Collapsed) -> list[tuple[int, str]]:
    """(start, matched text) of each match of a long term, as ``ind.pattern.finditer`` gives
    them: no word character just before, the term's ending rule on the word it ends in, and
    matches that do not overlap, leftmost first."""
    body = ind.body
    out: list[tuple[int, str]] = []
    last = 0
    if not body:
        return out
    for start in _occurrences(body, text.text):
        if start < last or (start and _is_word(text.text[start - 1])):
            continue
        end = start + len(body)
        run_end = text.ends[end] if end < len(text.text) and _is_word(text.text[end]) else end
        if not _tail_ok(text.text[end:run_end], ind):
            continue
        last = run_end
        a, b = text.where[start], text.original_end(run_end)
        out.append((a, text.source[a:b]))
    return out


def _matches(ind: Indicator, text: str, collapsed) -> list[tuple[int, str]]:
    """(start, matched text) of each match of *ind* in *text*; *collapsed* gives the text for
    long terms, made once per text (a callable returning a :class:`_Collapsed`)."""
    if len(ind.body) <= REGEX_TERM_CHARS:
        return [(m.start(), m.group(0)) for m in ind.pattern.finditer(text)]
    return _long_term_matches(ind, collapsed())


def term_pattern(term: str, lang: str) -> re.Pattern:
    """The regular expression for one indicator term (see the module docstring)."""
    term = term.strip()
    wildcard = term.endswith("*")
    if wildcard:
        term = term[:-1].rstrip()
    words = [re.escape(w) for w in re.split(r"[\s\-]+", term) if w]
    body = r"[\s\-]+".join(words)
    if wildcard:
        tail = r"\w*"
    elif lang == "id":
        tail = ID_SUFFIXES
    elif lang == "en":
        tail = EN_SUFFIXES
    else:
        tail = ""
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)", re.IGNORECASE)


def build_indicators(codebook, languages=None) -> list[Indicator]:
    """Compiled indicator terms of every component, in codebook order; of every language the
    component lists terms in, or only of *languages*."""
    out = []
    for comp in codebook.components:
        for lang in comp.indicators.languages if languages is None else languages:
            for term in getattr(comp.indicators, lang, []):
                if term.strip().rstrip("*").strip():
                    out.append(Indicator(comp.id, term, lang, term_pattern(term, lang)))
    return out


@dataclass
class Coding:
    dimension: str
    hits: dict[str, int]  # component -> number of hits (components with a hit only)
    terms: list[str]  # matched terms, "component:term" in order of first appearance


def code_text(text: str | None, indicators: list[Indicator], order: list[str] | None = None) -> Coding:
    """Code one text: the component with most indicator hits (ties: longer matches, then order)."""
    if not isinstance(text, str) or not text.strip():
        return Coding(NONE, {}, [])
    hits: dict[str, int] = {}
    length: dict[str, int] = {}
    first: list[tuple[int, str]] = []
    made: list[_Collapsed] = []

    def collapsed() -> _Collapsed:
        if not made:
            made.append(_Collapsed(text))
        return made[0]

    for ind in indicators:
        for start, matched in _matches(ind, text, collapsed):
            hits[ind.component] = hits.get(ind.component, 0) + 1
            length[ind.component] = length.get(ind.component, 0) + len(matched)
            first.append((start, f"{ind.component}:{matched.lower()}"))
    if not hits:
        return Coding(NONE, {}, [])
    order = order or list(dict.fromkeys(i.component for i in indicators))
    rank = {c: i for i, c in enumerate(order)}
    best = min(hits, key=lambda c: (-hits[c], -length[c], rank.get(c, len(rank))))
    terms = list(dict.fromkeys(t for _, t in sorted(first)))
    hits_sorted = {c: hits[c] for c in sorted(hits, key=lambda c: rank.get(c, len(rank)))}
    return Coding(best, hits_sorted, terms)


def _hits_str(hits: dict[str, int]) -> str:
    return "; ".join(f"{c}:{n}" for c, n in hits.items())


def code_segments(segments: pd.DataFrame, codebook, text_column: str = "excerpt") -> pd.DataFrame:
    """Auto-code every segment's excerpt.

    Returns ``segment_id, ref_key, locator, human, auto, n_hits, hits, terms, excerpt``
    (``human`` = the segment's coded dimension).
    """
    indicators = build_indicators(codebook)
    order = list(codebook.component_ids)
    rows = []
    for rec in segments.to_dict("records"):
        c = code_text(rec[text_column], indicators, order)
        rows.append(
            {
                "segment_id": rec["segment_id"],
                "ref_key": rec["ref_key"],
                "locator": rec["locator"],
                "human": rec["dimension"],
                "auto": c.dimension,
                "n_hits": sum(c.hits.values()),
                "hits": _hits_str(c.hits),
                "terms": "; ".join(c.terms),
                "excerpt": rec[text_column],
            }
        )
    return pd.DataFrame(
        rows, columns=["segment_id", "ref_key", "locator", "human", "auto", "n_hits", "hits", "terms", "excerpt"]
    )


def code_records(records: pd.DataFrame, codebook, text_columns=("title", "abstract", "keywords")) -> pd.DataFrame:
    """Auto-code bibliographic records from their title, abstract and keywords.

    Returns ``record_id, year, dimension`` (the top component or ``none``) and
    ``dimensions`` (every component with at least one hit, ';'-separated, codebook order).
    """
    indicators = build_indicators(codebook)
    order = list(codebook.component_ids)
    cols = [c for c in text_columns if c in records.columns]
    rows = []
    for rec in records.to_dict("records"):
        text = "\n".join(str(rec[c]) for c in cols if isinstance(rec.get(c), str))
        c = code_text(text, indicators, order)
        rows.append(
            {
                "record_id": rec.get("record_id"),
                "year": rec.get("year"),
                "dimension": c.dimension,
                "dimensions": ";".join(c.hits),
                "hits": _hits_str(c.hits),
            }
        )
    return pd.DataFrame(rows, columns=["record_id", "year", "dimension", "dimensions", "hits"])


def record_components(records: pd.DataFrame, codebook, text_columns=("title", "abstract", "keywords")) -> pd.DataFrame:
    """``record_id, year, dimensions`` of :func:`code_records`, without counting hits.

    ``dimensions`` (every component with at least one hit, ';'-separated, codebook order) is all
    :func:`dimension_year_matrix` needs in its ``"any"`` mode; here each component's terms are one
    alternation searched once per text, so thousands of records cost seconds, not a Python step
    per term and record (issue 27).
    """
    cols = [c for c in text_columns if c in records.columns]
    values = zip(*(records[c].tolist() for c in cols), strict=True) if cols else ([] for _ in range(len(records)))
    text = ["\n".join(v for v in row if isinstance(v, str)) for row in values]
    by_component: dict[str, list[str]] = {}
    for ind in build_indicators(codebook):
        by_component.setdefault(ind.component, []).append(ind.pattern.pattern)
    found = pd.DataFrame(index=records.index)
    for comp in codebook.component_ids:
        if comp in by_component:
            pattern = re.compile("|".join(f"(?:{p})" for p in by_component[comp]), re.IGNORECASE)
            found[comp] = [bool(pattern.search(t)) for t in text]
    names = list(found.columns)
    dims = [";".join(n for n, hit in zip(names, row, strict=True) if hit) for row in found.to_numpy(dtype=bool)]
    return pd.DataFrame(
        {"record_id": records.get("record_id"), "year": records.get("year"), "dimensions": dims},
        index=records.index,
    ).reset_index(drop=True)


def has_abstracts(records: pd.DataFrame, min_share: float = 0.5) -> bool:
    """True when at least *min_share* of the records have a non-empty abstract."""
    if "abstract" not in records.columns or not len(records):
        return False
    filled = records["abstract"].astype("string").str.strip().fillna("").ne("")
    return bool(filled.mean() >= min_share)


def dimension_year_matrix(coded: pd.DataFrame, codebook, mode: str = "any") -> pd.DataFrame:
    """Records per dimension (rows, codebook order) and publication year (columns).

    *mode* ``"any"``: a record counts for every component it has a hit for (which
    components the literature addresses); ``"top"``: only for its top component.
    Records without a year are left out; the year axis runs from the first to the last
    dated record, so a year where no record addresses a component shows as zeros.
    """
    data = coded.copy()
    data["year"] = pd.to_numeric(data["year"], errors="coerce")
    data = data.dropna(subset=["year"])
    data["year"] = data["year"].astype(int)
    # the year axis spans every dated record, also years where no record has a hit
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1)) if len(data) else []
    if mode == "top":
        data = data[data["dimension"] != NONE].assign(dim=data["dimension"])
    else:
        data = data.assign(dim=data["dimensions"].str.split(";")).explode("dim")
        data = data[data["dim"].fillna("").ne("")]
    ct = pd.crosstab(data["dim"], data["year"]) if len(data) else pd.DataFrame()
    out = ct.reindex(index=list(codebook.component_ids), columns=years, fill_value=0).fillna(0).astype(int)
    out.index.name, out.columns.name = "dimension", "year"
    return out
