"""Which records are the same work: blocking, pairwise rules, clusters (used by :mod:`revalign.bibliography.dedup`).

What counts as the same work follows the definition of the de-duplication benchmarks
(Rathbone et al. 2015, used by bib-dedupe and ASySD): the same bibliographic record, however
each database wrote it (page formats, author forms, accents, abbreviated venues, a lost
subtitle, a title in translation). Further reports of one study are not duplicates: an
erratum, a comment or reply, a retraction notice, a conference abstract and the journal
article, a preprint and the published article, this year's and last year's "Editor's
comments" stay apart (see *Kinds of record* below).

Each candidate pair is judged by :func:`judge`:

1. **DOI.** DOIs are compared without their punctuation (Crossref also registered
   ``10.1057/palgrave/ejis/3000417`` for ``10.1057/palgrave.ejis.3000417``); a DOI that another
   DOI of the input continues after a ``.``, ``/`` or ``-`` (``10.1057/palgrave``, cut off in a
   PDF's metadata) says nothing. The same DOI is the same work (also an erratum notice that a
   database files under the article's title), unless two titles in Latin letters are unrelated
   and the authors disagree (a DOI copied into the record of another work; a title in another
   script is no sign of that). Two different DOIs are two works.
2. **Kinds of record** that are never the same work as a record of the other kind, whatever
   the title says: an erratum/correction, a retraction notice or a comment/reply against
   anything else (from the title's first words: ``Erratum to ...``, ``Correction:``, ``Reply
   to ...``; from the corrected article's citation that Web of Science and Embase append to a
   correction's title, ``<title> (vol 360, pg 542, 2009)``, ``<title> (N Engl J Med (2009) 360
   (542-544))``; or the export's document type), unless both are at the same place (venue, volume
   and first page: a database files the erratum, on its own page, under the article's
   title); a preprint (arXiv, bioRxiv, medRxiv, SSRN,
   Research Square, OSF preprint servers...: by venue, DOI prefix or type) against a record
   that is not one: a systematic review reports both (PRISMA 2020 counts reports) and links
   them at the study level, it does not delete one as a duplicate.
3. **Title.** Equal after normalisation (case, punctuation, accents, database tags such as
   ``[Review] [23 refs]``, ``[Erratum appears in ...]``, ``(Structured abstract)`` removed:
   :func:`clean_title`); or similar (rapidfuzz ratio >= 0.95 with the same numbers); or one a
   >= 20-character beginning of the other (a lost subtitle). A title given in two languages
   (Scopus's ``English title [Original title]``, ``Original; English``, ``English <ORIGINAL>
   Original``) or with a leading ``Review -`` (a book review, DBLP) also matches in each of its
   parts: a *translated title*. Two notices whose titles name the same article once their
   prefix (``Erratum:``) and appended citation (whole, or cut off by a field limit) are removed
   have the *title of the notice* in common (they need the same place, as translated titles do).
4. **Nothing may disagree.** The years differ by at most one (one only if volume or first
   page also agree); volumes, when both are given, are equal; page ranges, when both are
   given, overlap or touch; when both have authors, their family names overlap (the first
   authors agree, or half the shorter list is shared), except for an exact title at the same
   place (venue, volume, issue or first page); when both have a venue, the venues agree
   (:func:`revalign.bibliography.venues.venues_agree`: equal, abbreviated, or the same words),
   except for the same volume and first page, or an exact title by the same authors in the
   same year, volume and issue (one journal under two names); a conference paper (by type,
   or a venue naming a conference, symposium, workshop, congress or meeting) and a journal
   record whose venues do not agree need the same volume and first page; different issues
   need the same first page (the issue field is then taken as wrong; a file whose "issues"
   are mostly above 100 holds record numbers there and its issues are not used). A similar (not equal) title needs authors on both sides; a translated title needs
   the same venue, year and volume or first page.
5. **Editorials and other recurring items** ("Editorial", "Editor's comments", "Book reviews",
   "Introduction to the minitrack", errata, any title under 20 letters, or an editorial,
   letter or note by document type) need the same place, not only the same title: same venue
   and volume, and the same first page, or the same issue when neither gives pages. Four
   "Editor's comments" of one volume without pages are four works.
6. **Same place, other title.** Two records at the same place are one work whatever their
   titles say (a translation, a lost Greek letter, a wrong title in one database): same venue,
   the same full page range (first and last page) and year, their authors agreeing, and the
   same volume (or, for proceedings without volumes, titles that share most of their words).

7. **Retitled online first.** An article indexed online before print (no volume, issue or
   pages) under a title the journal changed for the issue: the same journal and year, the same
   first three authors in the same order, titles sharing most words (token-sort >= 0.7).
8. **Letters printed together.** Embase indexes a letter and the replies to it as one record,
   ``<title> (multiple letters)``, with all their authors and pages; it is the same work as each
   of them as another database indexes it (a title holding the shared title, such as
   ``<title> - Reply``; same journal, volume and year; first page inside its pages; authors among
   its authors), so the exchange becomes one work (the benchmarks' truth groups it so).

The reason of a merge names what agreed, e.g. ``title+authors+venue+pages+year``,
``similar title (0.97)+authors+venue``, ``translated title+authors+venue+volume+pages+year``,
``same place+authors+venue+volume+pages+year``; ``doi`` for a DOI match.

Blocking: candidate pairs are the records that share one of: the DOI (without punctuation);
the normalised title or any of its parts; its first or last 40 characters; (first author,
year, first page); (first author, year, the title's first or last 12 characters); (year,
volume, first page); (volume, first and last page). Blocks of more
than 200 records are skipped (generic keys that a rule would refuse anyway), so the number of
pairs grows linearly with the input.

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

from revalign.bibliography.venues import venues_agree

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
# what a trailing [...] holds when it is a database's note, not a title in another language
_TAG_INSIDE = re.compile(
    r"^\s*(?:review|\d+\s*refs?|erratum|errata|corrected|correction|published\s+erratum|retract|comment|see\b|"
    r"update|reprint|in\s+process|added|abstract|english|summary|editorial|letter|"
    r"[a-z]+(?:\s+(?:and|&)\s+[a-z]+)?\s*(?:abstract|text|translation)?\s*$)",
    re.IGNORECASE,
)
_NOTICE_PREFIX = re.compile(
    r"^\W*(?:erratum|errata|corrigendum|correction|retraction|retracted|reply|response|comment)s?"
    r"(?:\s+(?:to|on|for|of|in))?\s*(?:[-:\u2013\u2014]\s*)*(?P<rest>.{20,})$",
    re.IGNORECASE,
)
# The citation of the corrected article that databases append to the title of a correction notice:
# Web of Science "<title> (vol 360, pg 542, 2009)", Embase "<title> (New Engl J Med (2009) 360 (542-544))"
_CORRECTION_TAIL = re.compile(
    r"\s*\(\s*vol\.?\s*\d+\s*,\s*pg\.?\s*[a-z]?\d+[a-z]?\s*,\s*(?:1[89]|20)\d\d\s*\)\W*$"
    r"|\s*\([^()]*\([^()]*(?:1[89]|20)\d\d\)\s*[\d:]+\s*(?:\(\s*[\w\s-]+\))?\s*\)\W*$",
    re.IGNORECASE,
)
# that citation cut off by a field limit: a parenthesis never closed (after an "Erratum:" prefix only)
_OPEN_TAIL = re.compile(r"\s*\([^()]*(?:\([^()]*)?$")
# Embase's record of a letter and the replies to it, printed together: "<title> (multiple letters)"
_MULTIPLE_LETTERS = re.compile(r"\s*\(\s*multiple\s+letters\s*\)", re.IGNORECASE)
_ORIGINAL_SEP = re.compile(r"\s*<ORIGINAL>\s*", re.IGNORECASE)
_REVIEW_PREFIX = re.compile(r"^\s*(?:book\s+)?review\s*(?:[-:\u2013\u2014]|\s-)\s*(?P<rest>.{20,})$", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\d+")
_GENERIC = {
    "editorial", "editorialcomment", "editorscomments", "editorsnote", "letter", "lettertotheeditor", "reply",
    "replytotheeditor", "response", "authorsreply", "bookreview", "bookreviews", "erratum", "correction",
    "corrigendum", "commentary", "comment", "introduction", "preface", "foreword", "abstracts", "index",
    "contents", "tableofcontents", "inthisissue", "newsandviews", "announcements", "obituary", "retraction",
}  # fmt: skip
# items that recur in every issue: a title alone does not tell one from the next
_RECURRING = re.compile(
    r"\b(?:editor'?s?'?|editors|editorial|preface|foreword|in\s+this\s+issue|minitrack|guest\s+editors?|"
    r"book\s+reviews?|erratum|errata|corrigendum|retraction|letters?\s+to\s+the\s+editor|"
    r"introduction\s+to\s+(?:the|this)\s+(?:special|issue|minitrack|track|section|symposium|forum))\b"
    r"|^\W*(?:reply|response|comments?|commentary|correction|letter)\b",
    re.IGNORECASE,
)
_RECURRING_TYPES = {"editorial", "letter", "note", "erratum"}
# records of another kind than the work they name (never duplicates of it)
_KIND_PATTERNS = (
    (
        "erratum",
        re.compile(
            r"^(?:erratum|errata|corrigendum|corrigenda|correction|corrections|addendum|"
            r"notice\s+of\s+correction|author\s+correction|publisher\s+correction)\b",
            re.I,
        ),
    ),  # fmt: skip
    ("retraction", re.compile(r"^(?:retraction|retracted|notice\s+of\s+retraction|expression\s+of\s+concern)\b", re.I)),
    (
        "comment",
        re.compile(
            r"^(?:comments?\s+on|commentary\s+on|comment\s+to|reply\s+to|reply\b|in\s+reply|"
            r"response\s+to|authors?'?\s+(?:reply|response)|letter\s*:\s*re\b|re\s*:)",
            re.I,
        ),
    ),  # fmt: skip
)
_KIND_TYPES = {"erratum": "erratum", "correction": "erratum", "retraction": "retraction"}
_PREPRINT_VENUE = re.compile(
    r"\b(?:arxiv|biorxiv|medrxiv|ssrn|research\s+square|preprints?|psyarxiv|socarxiv|edarxiv|osf\s+preprints|"
    r"techrxiv|chemrxiv|engrxiv|authorea|europe\s+pmc\s+preprints|scielo\s+preprints)\b|^\W*corr\W*$",
    re.IGNORECASE,
)
_PREPRINT_DOI = (
    "10.48550/", "10.1101/", "10.2139/ssrn", "10.21203/rs.", "10.31234/", "10.31235/", "10.35542/", "10.31219/",
    "10.20944/preprints", "10.36227/techrxiv", "10.26434/chemrxiv", "10.31224/", "10.22541/au.",
)  # fmt: skip
_PREPRINT_TYPES = {"preprint", "posted-content", "posted content"}
_CONFERENCE = re.compile(
    r"\b(?:conference|conf|symposium|congress|meeting|workshop|colloquium|summit|"
    r"kongress|tagung|congreso|congres)\b",
    re.IGNORECASE,
)


def _ascii_key(value: str) -> str:
    v = unicodedata.normalize("NFKD", value)
    v = "".join(c for c in v if not unicodedata.combining(c)).casefold()
    return _NOT_ALNUM.sub("", v)


def _words(value: str) -> str:
    v = unicodedata.normalize("NFKD", value)
    v = "".join(c for c in v if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", v).split())


def clean_title(title: str | None) -> str | None:
    """The title without database tags (for matching and for the merged record).

    Quotes around the whole title, trailing tags (``[Review] [23 refs]``, ``[Erratum appears in
    ...]``, ``(Structured abstract)``) and a second language after ``<ORIGINAL>`` are removed; a
    title wholly in brackets (MEDLINE's translated title) loses its brackets.
    """
    if not title:
        return title
    t = _ORIGINAL_SEP.split(title.strip())[0].strip() or title.strip()
    if len(t) > 2 and t[0] in _QUOTES and (t[-1] in _QUOTES or t.count(t[0]) == 1):
        t = t.strip(_QUOTES).strip() or t
    whole = re.fullmatch(r"\[([^\[\]]*)\]\.?", t)  # a translated title given wholly in brackets
    if whole:
        return whole.group(1).strip()
    if t.startswith("[") and "]" in t and t.index("]") > len(t) // 2:  # "[Title.] [Review]"
        t = t[1:].replace("]", "", 1)
    while True:
        new = _strip_bracket_tail(_TAG_TAIL.sub("", t).strip())
        if new == t or not new.strip(" .;,"):
            return t
        t = new.rstrip(" .;,")  # "education. [Review]" -> "education"


def _strip_bracket_tail(t: str) -> str:
    """Remove one trailing [...] group, nested brackets included ("[Erratum ... [added]]")."""
    start = _bracket_tail_start(t)
    return t[:start].rstrip() if start else t


def _bracket_tail_start(t: str) -> int:
    """Where the trailing [...] group of *t* starts (0: there is none, or it is all of *t*)."""
    u = t.rstrip(" .;,")
    if not u.endswith("]"):
        return 0
    depth = 0
    for i in range(len(u) - 1, -1, -1):
        if u[i] == "]":
            depth += 1
        elif u[i] == "[":
            depth -= 1
            if depth == 0:
                return i
    return 0


def title_match_key(title: str | None) -> str | None:
    t = clean_title(title)
    if not t:
        return None
    return _ascii_key(t) or None


def title_variants(title: str | None) -> list[str]:
    """Keys of the other forms of a title: its parts in each language, and without ``Review -``.

    ``'Crowdwork: a relational inequality theory [Arbeiten in der Crowd: Perspektiven der
    Theorie]'`` (Scopus: English title, then the original one) gives the key of the part in
    brackets; ``'Utilidad de los antimicrobianos; Are antimicrobials useful?'`` the key of each
    part of 20 letters or more; ``'A study. <ORIGINAL> UNE ETUDE'`` the part after the marker;
    ``'Review - Qualitative Research in IS'`` (DBLP's book reviews) and ``'Erratum: <title>'``
    the title without the prefix. Database tags (``[Review] [23 refs]``) are not a second title. Empty when there is
    no other form.
    """
    if not title:
        return []
    t = title.strip().strip(_QUOTES).strip()
    parts = []
    pieces = _ORIGINAL_SEP.split(t)
    if len(pieces) > 1:
        parts.extend(pieces[1:])
    start = _bracket_tail_start(t)
    if start:
        inside = t[start + 1 : t.rstrip(" .;,").rfind("]")]
        if len(inside.split()) >= 3 and not _TAG_INSIDE.match(inside) and "[" not in inside:
            parts.append(inside)
    core = clean_title(t) or ""
    if "; " in core:
        halves = [h for h in core.split("; ") if len(_ascii_key(h)) >= 20]
        if len(halves) >= 2:
            parts.extend(halves)
    m = _REVIEW_PREFIX.match(core)
    if m:
        parts.append(m.group("rest"))
    m = _NOTICE_PREFIX.match(core)
    if m:  # "Erratum: <title of the article>": the article's title (only the same place merges them)
        rest = _CORRECTION_TAIL.sub("", m.group("rest"))
        parts.append(_OPEN_TAIL.sub("", rest) if rest.count("(") > rest.count(")") else rest)
    uncited = _CORRECTION_TAIL.sub("", core)
    if uncited != core:  # a correction notice: the corrected article's title, without its citation
        parts.append(uncited)
    main = title_match_key(t)
    keys = []
    for p in parts:
        k = _ascii_key(clean_title(p) or "")
        if len(k) >= 20 and k != main and k not in keys:
            keys.append(k)
    return keys


def record_kind(title: str | None, doc_type: str | None) -> str | None:
    """``'erratum'``, ``'retraction'`` or ``'comment'`` for a record of that kind, else None.

    From the title's first words (``Erratum to ...``, ``Correction: ...``, ``Retraction notice``,
    ``Reply to ...``, ``Comment on ...``) or the document type (erratum, correction, retraction).
    """
    kind = _KIND_TYPES.get((doc_type or "").lower())
    if kind:
        return kind
    if not title:
        return None
    t = title.strip().lstrip(_QUOTES + "[( ").strip()
    for name, pattern in _KIND_PATTERNS:
        if pattern.match(t):
            return name
    if _CORRECTION_TAIL.search(clean_title(t) or ""):  # "<title> (vol 360, pg 542, 2009)"
        return "erratum"
    return None


def letters_key(title: str | None) -> str | None:
    """For Embase's record of a letter and its replies (``<title> (multiple letters)``), the key of
    the title they share; None for any other record."""
    if not title or not _MULTIPLE_LETTERS.search(title):
        return None
    key = title_match_key(_MULTIPLE_LETTERS.sub("", title))
    return key if key and len(key) >= 20 else None


def is_preprint(venue: str | None, doi: str | None, doc_type: str | None) -> bool:
    """A preprint: by its type, a preprint server as venue, or, for a record without a venue, a
    preprint server's DOI prefix (a conference paper also posted on SSRN may carry SSRN's DOI)."""
    if (doc_type or "").lower() in _PREPRINT_TYPES:
        return True
    if venue:
        return bool(_PREPRINT_VENUE.search(venue))
    return bool(doi) and doi.lower().startswith(_PREPRINT_DOI)


def is_conference(venue: str | None, doc_type: str | None) -> bool:
    """A conference paper or abstract: by document type, or a venue that names a conference."""
    return (doc_type or "").lower() == "conference paper" or bool(venue and _CONFERENCE.search(venue))


def is_recurring(title: str | None, tkey: str | None, doc_type: str | None) -> bool:
    """An item whose title recurs from issue to issue (editorials, comments, errata, book reviews)."""
    if (doc_type or "").lower() in _RECURRING_TYPES:
        return True
    if not tkey or len(tkey) < 20 or tkey in _GENERIC:
        return True
    t = clean_title(title) or ""
    return len(t) <= 80 and bool(_RECURRING.search(t))


_PARTICLES = {
    "de", "van", "von", "der", "den", "da", "di", "del", "la", "le", "du", "dos", "das", "ter", "ten", "al", "el",
}  # fmt: skip


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


def _same_name(a: frozenset, b: frozenset) -> bool:
    """Two family names share a word, or two words of five letters or more differ by a typo
    (rapidfuzz ratio >= 0.9: ``Hiessl`` / ``Hiess``)."""
    if a & b:
        return True
    from rapidfuzz import fuzz

    return any(len(x) >= 5 and len(y) >= 5 and fuzz.ratio(x, y) >= 90 for x in a for y in b)


def authors_agree(fa: list[frozenset], fb: list[frozenset]) -> bool | None:
    """None when one side has no authors; True when the first authors have the same name (a
    typo allowed: :func:`_same_name`), or half of the shorter list has a family word in the other
    list."""
    if not fa or not fb:
        return None
    if _same_name(fa[0], fb[0]):
        return True
    wa, wb = frozenset().union(*fa), frozenset().union(*fb)
    shared_a = sum(1 for x in fa if x & wb)
    shared_b = sum(1 for x in fb if x & wa)
    return min(shared_a, shared_b) * 2 >= min(len(fa), len(fb))


def _first_names_swapped(a, b) -> bool:
    """The first authors are one person with family and given names swapped between the records
    (``Carignani, Andrea`` / ``Andrea, Carignani``): both their words, of three letters or more."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return False

    def words(authors: str) -> set[str]:
        return {w for w in (_ascii_key(x) for x in re.split(r"[\s,.-]+", authors.split(";", 1)[0])) if len(w) >= 3}

    wa, wb = words(a), words(b)
    return len(wa) >= 2 and wa == wb


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


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-\u2013]+\s*(\d+))?\s*(?:[;,].*)?$")


def _page_range(pages) -> tuple[int, int, bool] | None:
    """(first, last, a last page was given) of a numeric page range; ``1524-27`` is 1524-1527."""
    m = _RANGE.match(pages or "")
    if not m:
        return None
    a0 = int(m.group(1))
    if not m.group(2):
        return (a0, a0, False)
    a1 = int(m.group(2))
    if a1 < a0:  # "1524-27": abbreviated last page
        a1 = int(str(a0)[: max(len(str(a0)) - len(m.group(2)), 0)] + m.group(2))
    if a1 < a0:  # "2297-2108": a typo, no range
        return None
    return (a0, a1, True)


def pages_agree(pa_, pb_, fa, fb) -> bool | None:
    """True: same first page. False: two numeric ranges that neither overlap nor touch
    (945-948 and 948-961 touch: one database gives the next article's first page). None
    otherwise (an article number such as e12724 against printed pages, or one missing)."""
    if fa is None or fb is None:
        return None
    if fa == fb:
        return True
    if fa[0].isalpha() != fb[0].isalpha() and fa.lstrip(_LETTERS) == fb.lstrip(_LETTERS):
        return True  # "c37" (a section's page prefix) and "37"
    ra, rb = _page_range(pa_), _page_range(pb_)
    if not (ra and rb):
        return None
    return None if (ra[0] <= rb[1] and rb[0] <= ra[1]) else False


def same_full_range(pa_, pb_) -> bool:
    """Both give a first and a last page, and they are the same (``280-4`` is ``280-284``)."""
    ra, rb = _page_range(pa_), _page_range(pb_)
    return bool(ra and rb and ra[2] and rb[2] and ra[1] > ra[0] and ra[:2] == rb[:2])


def _cut_short(dois: pd.Series) -> np.ndarray:
    """Which DOIs are another DOI of the input cut short at a ``.``, ``/`` or ``-`` (``10.1057/palgrave``
    beside ``10.1057/palgrave.ejis.3000417``: metadata read from a PDF): they name no work.

    Only a DOI without a digit after its ``/`` can be one (a DOI cut before its number); it is
    one when another DOI of the input continues it.
    """
    low = pc.utf8_lower(pa.array(dois.astype("string[pyarrow]")))
    maybe = pc.fill_null(pc.match_substring_regex(low, r"^[^/]*/\D*$"), False)
    if not pc.any(maybe).as_py():
        return np.zeros(len(dois), dtype=bool)
    stubs = set(low.filter(maybe).to_pylist())
    others = pc.unique(low.filter(pc.invert(maybe)).drop_null()).to_pylist() + sorted(stubs)
    cut = {u for u in stubs if any(v != u and v.startswith(u) and v[len(u)] in "./-" for v in others)}
    if not cut:
        return np.zeros(len(dois), dtype=bool)
    return pc.fill_null(pc.is_in(low, pa.array(sorted(cut))), False).to_numpy(zero_copy_only=False)


def _issues(df: pd.DataFrame) -> pd.Series:
    """The issue field, lower case; missing for the records of a file whose "issues" are mostly
    above 100 (record or accession numbers in the issue field, as some EndNote libraries have)."""
    issue = df["issue"].astype("string").str.strip().str.lower()
    if "origin" not in df.columns or issue.isna().all():
        return issue
    digits = pc.struct_field(pc.extract_regex(pa.array(issue.astype("string[pyarrow]")), r"^(?P<g>\d{1,6})$"), "g")
    number = pc.cast(digits, pa.int64())
    if not pc.any(pc.fill_null(pc.greater(number, 100), False)).as_py():
        return issue  # no issue number above 100: nothing to check
    number = pd.Series(number.to_numpy(zero_copy_only=False), index=df.index, dtype="float64")
    file = df["origin"].astype("string").str.rsplit(":", n=1).str[0]
    typical = number.groupby(file).transform("median")
    return issue.mask(typical > 100)


def doi_relation(a, b) -> str | None:
    """``'same'`` or ``'different'`` for two DOI keys (:func:`prepare`'s ``dkey``), None when one is missing."""
    if a is None or b is None:
        return None
    return "same" if a == b else "different"


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Matching keys of every record (vectorised; Python only for titles with brackets, quotes,
    semicolons, a ``Review`` prefix or non-ASCII letters)."""
    title = df["title"].astype("string")
    # fast path: an ASCII title without tags has as key its normalise.title_key (the
    # ``title_key`` column when the frame has it), computed with pyarrow kernels
    arr = pa.array(title.fillna(""), pa.large_string())
    tagged = pc.match_substring_regex(
        arr,
        r"[\[\]();]|^\s*[\"'\x{201c}\x{2018}\x{ab}]|summary for patients|<original>|^\s*(book\s+)?review",
        ignore_case=True,
    )
    nonascii = pc.invert(pc.string_is_ascii(arr))
    slow = pc.or_(tagged, nonascii)
    two_forms = pc.match_substring_regex(
        arr,
        r"\]\W*$|; |<original>|^\W*(book\s+)?review|^\W*(erratum|errata|corrigendum|correction|retract|reply|response|comment)"
        r"|\(\s*vol\.?\s*\d|\d\d\d\d\)\s*[\d:]+\s*(\(|\))",
        ignore_case=True,
    )
    if "title_key" in df.columns:
        keys = pc.fill_null(pa.array(df["title_key"].astype("string[pyarrow]")), "")
        keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    else:
        keys = pc.replace_substring_regex(pc.ascii_lower(arr), r"[^a-z0-9]+", "")
    keys = keys.cast(pa.large_string())
    variants = pd.Series([None] * len(df), index=df.index, dtype=object)
    letters = pd.Series([None] * len(df), index=df.index, dtype=object)
    combined = pc.fill_null(pc.match_substring_regex(arr, r"\(\s*multiple\s+letters\s*\)", ignore_case=True), False)
    if pc.any(combined).as_py():
        rows = np.flatnonzero(combined.to_numpy(zero_copy_only=False))
        vals = title.to_numpy(dtype=object, na_value=None)
        letters.iloc[rows] = [letters_key(vals[i]) for i in rows]
    if pc.any(slow).as_py():
        vals = title.to_numpy(dtype=object, na_value=None)
        rows = np.flatnonzero(slow.to_numpy(zero_copy_only=False))
        fixed = [title_match_key(vals[i]) or "" for i in rows]
        keys = pc.replace_with_mask(keys, slow, pa.array(fixed, pa.large_string()))
        alt_rows = np.flatnonzero(two_forms.to_numpy(zero_copy_only=False))
        variants.iloc[alt_rows] = [title_variants(vals[i]) or None for i in alt_rows]
    keys = pc.if_else(pc.equal(pc.binary_length(keys), 0), pa.scalar(None, pa.large_string()), keys)
    tkey = pd.Series(pd.arrays.ArrowStringArray(keys), index=df.index)
    authors = df["authors"].astype("string")
    first = _extract(authors, r"^(?P<g>[^,;]+)").str.strip().str.lower()
    doi = df["doi"].astype("string")
    doi_arr = pa.array(doi.astype("string[pyarrow]"))
    dkey = pc.replace_substring_regex(pc.utf8_lower(doi_arr), r"[^0-9a-z]+", "")
    cut = pa.array(_cut_short(doi))
    dkey = pc.if_else(pc.or_(pc.equal(pc.binary_length(dkey), 0), cut), pa.scalar(None, dkey.type), dkey)
    doc_type = df["doc_type"].astype("string") if "doc_type" in df.columns else pd.Series(pd.NA, index=df.index)
    return pd.DataFrame(
        {
            "tkey": tkey,
            "variants": variants,
            "letters": letters,
            "title": title,
            "year": df["year"],
            "doi": doi,
            "dkey": pd.Series(pd.arrays.ArrowStringArray(dkey.cast(pa.large_string())), index=df.index),
            "first": first,
            "page": _first_page(df["pages"]),
            "pages": df["pages"].astype("string"),
            "issue": _issues(df),
            "volume": _extract(df["volume"], rf"(?P<g>{_DIGIT}+)"),
            "venue": df["source_title"].astype("string"),
            "authors": authors,
            "doc_type": doc_type.str.lower(),
        },
        index=df.index,
    )


MAX_BLOCK = 200


def _block_pairs(key: pd.Series, pos: np.ndarray) -> np.ndarray | None:
    """Pairs (i, j), i < j, of the positions *pos* that share a value of *key* (blocks of 2..MAX_BLOCK)."""
    key = key.astype("string")
    ok = key.notna().to_numpy()
    if not ok.any():
        return None
    codes, _ = pd.factorize(key[ok])
    sizes = np.bincount(codes)
    keep = (sizes[codes] > 1) & (sizes[codes] <= MAX_BLOCK)
    if not keep.any():
        return None
    c, p = codes[keep], pos[ok][keep]
    order = np.lexsort((p, c))
    c, p = c[order], p[order]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    ends = np.r_[starts[1:], len(c)]
    sizes = ends - starts
    out = []
    for size in np.unique(sizes).tolist():  # the blocks of one size at once, without a loop over blocks
        first = starts[sizes == size]
        members = p[first[:, None] + np.arange(size)]  # one row per block
        ii, jj = np.triu_indices(size, 1)
        pairs = np.stack([members[:, ii].ravel(), members[:, jj].ravel()], axis=1)
        out.append(np.sort(pairs, axis=1))
    return np.concatenate(out)


def candidate_pairs(k: pd.DataFrame) -> np.ndarray:
    """Unique (i, j), i < j, of records sharing a blocking key; shape (m, 2)."""
    n = len(k)
    pos = np.arange(n)
    yr = k["year"].astype("string")
    last = _extract(k["pages"], rf"[-\x{{2013}}]+{_SPACE}*(?P<g>{_DIGIT}+)")
    blocks = [
        (k["dkey"], pos),
        (k["tkey"], pos),
        (k["tkey"].str.slice(0, 40).where(k["tkey"].str.len() >= 25), pos),
        (k["tkey"].str.slice(-40).where(k["tkey"].str.len() >= 25), pos),
        (k["first"] + "|" + yr + "|" + k["page"], pos),
        # a typo in the middle of a title ("haemolytic" / "hemolytic"): first author, year and
        # the title's first or last 12 letters
        (k["first"] + "|" + yr + "|" + k["tkey"].str.slice(0, 12), pos),
        (k["first"] + "|" + yr + "|" + k["tkey"].str.slice(-12), pos),
        (yr + "|" + k["volume"] + "|" + k["page"], pos),
        (k["volume"] + "|" + k["page"] + "-" + last, pos),
    ]
    # every form of a title (its parts in two languages...) meets the titles and forms of the others
    has = k["variants"].notna().to_numpy()
    if has.any():
        extra = k.loc[has, "variants"].explode()
        keys = pd.concat([k["tkey"], extra.astype("string")])
        blocks.append((keys.reset_index(drop=True), np.r_[pos, pos[has].repeat(k.loc[has, "variants"].str.len())]))
    out = [p for key, where in blocks if (p := _block_pairs(key, where)) is not None]
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.unique(np.concatenate(out), axis=0)
    return pairs[pairs[:, 0] != pairs[:, 1]]


def _na(v):
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _title_relation(a: dict, b: dict) -> tuple[str | None, float]:
    """How the titles of *a* and *b* relate: (what, similarity); what is None when they do not."""
    ta, tb = a["tkey"], b["tkey"]
    if _na(ta) or _na(tb):
        return (None, 0.0)
    if ta == tb:
        return ("title", 1.0)
    from rapidfuzz import fuzz

    sim = fuzz.ratio(ta, tb) / 100
    if sim >= 0.95 and _DIGITS.findall(ta) == _DIGITS.findall(tb):
        return (f"similar title ({sim:.2f})", sim)
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) >= 20 and long.startswith(short):
        return ("title without subtitle", max(sim, 0.95))
    va, vb = set(a["variants"] or ()), set(b["variants"] or ())
    if (va | {ta}) & (vb | {tb}):
        return ("translated title", 0.95)
    return (None, sim)


def _latin(title) -> bool:
    """A title written in Latin letters (most of its letters ASCII once accents are removed)."""
    if _na(title) or not title:
        return False
    letters = [c for c in unicodedata.normalize("NFKD", title) if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) >= 0.9 * len(letters)


def _online_first(r: dict) -> bool:
    """A record of an article online before its issue: no volume, pages counted from 1."""
    return _na(r["volume"]) and r["page"] == "1"


def _words_similar(a: dict, b: dict) -> float:
    """Token-sort similarity of the two titles' words (0 when one has no title)."""
    if _na(a["title"]) or _na(b["title"]):
        return 0.0
    from rapidfuzz import fuzz

    return fuzz.token_sort_ratio(_words(clean_title(a["title"]) or ""), _words(clean_title(b["title"]) or "")) / 100


def _no_place(r: dict) -> bool:
    return _na(r["volume"]) and _na(r["issue"]) and _na(r["page"])


def _retitled_online_first(a: dict, b: dict, ve, year_off: int) -> bool:
    """An article first indexed online (no volume, issue or pages) under a title the journal
    changed for print (``Complement blockade in severe Shiga-toxin-associated HUS`` online,
    ``Eculizumab in severe Shiga-toxin-associated HUS`` in the issue): one record without a place,
    the other with one, the same journal and year, the same first three authors in the same
    order, and titles that share most of their words."""
    if _no_place(a) == _no_place(b) or not ve or year_off != 0 or _na(a["year"]) or _na(b["year"]):
        return False
    fa, fb = _families(a["authors"]), _families(b["authors"])
    if len(fa) < 3 or len(fb) < 3 or not all(fa[i] & fb[i] for i in range(3)):
        return False
    if is_recurring(a["title"], a["tkey"], a["doc_type"]) or is_recurring(b["title"], b["tkey"], b["doc_type"]):
        return False
    return _words_similar(a, b) >= 0.7


def _in_letters_record(a: dict, b: dict, ve, same_vol, year_off: int, au) -> bool:
    """*a* or *b* is Embase's record of a letter and its replies (``<title> (multiple letters)``),
    and the other is one of them as another database indexes it: its title holds the shared
    title (the letter's, or ``<title> - Reply``), same journal, volume and year, its first page
    inside the combined record's pages, and its authors among the combined record's."""
    m, o = (a, b) if a["letters"] else (b, a)
    if o["letters"] or _na(o["tkey"]) or m["letters"] not in o["tkey"]:
        return False
    if not (ve and same_vol and year_off == 0 and au is True):
        return False
    rm, ro = _page_range(m["pages"]), _page_range(o["pages"])
    return bool(rm and ro and rm[0] <= ro[0] <= rm[1])


def judge(a: dict, b: dict) -> tuple[bool, str, float]:
    """(same work?, reason, title similarity) for two prepared records (rules in the module docstring)."""
    dois = doi_relation(a["dkey"], b["dkey"])
    what, sim = _title_relation(a, b)
    au = authors_agree(_families(a["authors"]), _families(b["authors"]))
    if au is False and _first_names_swapped(a["authors"], b["authors"]):
        au = True
    if dois == "same":
        latin = _latin(a["title"]) and _latin(b["title"])  # not a title in another script
        if au is False and what is None and latin and _words_similar(a, b) < 0.5:
            return (False, "", sim)  # a DOI copied into the record of another work (or cut short)
        return (True, "doi", 1.0)
    if dois == "different":
        return (False, "", sim)
    other_kind = record_kind(a["title"], a["doc_type"]) != record_kind(b["title"], b["doc_type"])
    if is_preprint(a["venue"], a["doi"], a["doc_type"]) != is_preprint(b["venue"], b["doi"], b["doc_type"]):
        return (False, "", sim)  # a preprint and the published article: two reports
    ya, yb = a["year"], b["year"]
    year_off = 0 if (_na(ya) or _na(yb)) else abs(int(ya) - int(yb))
    if year_off > 1:
        return (False, "", sim)
    ve = venues_agree(a["venue"], b["venue"])
    same_vol = None if (_na(a["volume"]) or _na(b["volume"])) else a["volume"] == b["volume"]
    same_page = pages_agree(a["pages"], b["pages"], a["page"], b["page"])
    same_issue = None if (_na(a["issue"]) or _na(b["issue"])) else a["issue"] == b["issue"]
    if same_page is False and (_online_first(a) or _online_first(b)):
        same_page = None  # "1-17" of the version online before its issue against the issue's pages
    if same_vol is False or same_page is False:
        return (False, "", sim)
    if (a["letters"] or b["letters"]) and _in_letters_record(a, b, ve, same_vol, year_off, au):
        return (True, "letters in one record+authors+venue+volume+pages+year", 0.9)
    if other_kind and not (ve is not False and same_vol and same_page):
        # an erratum, retraction or comment is not the work it names; unless both are at the
        # same place (a database files the erratum on its own page under the article's title)
        return (False, "", sim)
    recurring = is_recurring(a["title"], a["tkey"], a["doc_type"]) or is_recurring(b["title"], b["tkey"], b["doc_type"])
    if same_issue is False and not same_page:
        return (False, "", sim)  # other issues, and no pages to say the issue field is wrong
    # the same first page; or the same issue when pages are missing, by the same authors
    placed = bool(same_page) or (same_page is None and same_issue is True and au is True)
    if recurring and not (ve is not False and same_vol and placed):
        return (False, "", sim)  # "Editor's comments" of another issue: the title alone says nothing
    conf_a, conf_b = is_conference(a["venue"], a["doc_type"]), is_conference(b["venue"], b["doc_type"])
    if conf_a != conf_b and ve is not True and not (same_vol and same_page):
        return (False, "", sim)  # a conference paper or abstract and a journal article
    full_range = same_full_range(a["pages"], b["pages"])
    if what is None and _retitled_online_first(a, b, ve, year_off):
        return (True, "retitled online first+authors+venue+year", 0.85)
    if what is None:
        # same place, other title: venue, full page range, year, authors, and volume (or similar words)
        if not (ve and full_range and year_off == 0) or au is False:
            return (False, "", sim)
        if same_vol is None and not (_na(a["volume"]) and _na(b["volume"])):
            return (False, "", sim)  # one has a volume, the other not
        words = _words_similar(a, b)
        if same_issue is False and words < 0.5:
            return (False, "", sim)  # pages counted anew in each issue
        if (not same_vol and (au is not True or words < 0.6)) or (au is None and words < 0.5):
            return (False, "", sim)
        evidence = ["same place"] + (["authors"] if au else []) + ["venue"]
        evidence += (["volume"] if same_vol else []) + ["pages"] + ([] if (_na(ya) or _na(yb)) else ["year"])
        return (True, "+".join(evidence), 0.9)
    located = bool(ve and year_off == 0 and ((same_vol and same_page) or (full_range and same_vol is not False)))
    if what == "translated title" and not other_kind and record_kind(a["title"], a["doc_type"]) is not None:
        what = "title of the notice"  # two notices (errata...) naming one article, cited differently
    if what in ("translated title", "title of the notice") and not (
        ve and (same_vol or same_page) and year_off == 0 and au is not False
    ):
        return (False, "", sim)
    if au is False and not (what == "title" and located):
        return (False, "", sim)  # authors disagree: only an exact title at the same place in the same venue
    if what == "title without subtitle" and min(len(a["tkey"]), len(b["tkey"])) < 40 and not located:
        return (False, "", sim)
    if ve is False:
        one_journal = what == "title" and au is True and year_off == 0 and same_vol and same_issue
        if not ((same_vol and same_page) or one_journal):
            return (False, "", sim)
    # one year apart: the same volume or first page; or a conference paper (the year of the
    # conference and the year of its proceedings) with the same title and authors
    proceedings = conf_a and conf_b and what == "title" and au is True
    # or an article online a year before its issue: exact title, same authors and journal, no volume in one
    early = what == "title" and au is True and ve is True and (_na(a["volume"]) != _na(b["volume"]))
    if year_off == 1 and not (same_vol or same_page or proceedings or early):
        return (False, "", sim)
    if (
        what not in ("title", "translated title", "title of the notice") and au is None
    ):  # a similar title needs the authors to agree
        return (False, "", sim)
    evidence = [what]
    evidence += ["authors"] if au else []
    evidence += ["venue"] if ve else []
    evidence += ["volume"] if same_vol else []
    evidence += ["pages"] if same_page else (["issue"] if same_issue else [])
    evidence += ["year"] if (year_off == 0 and not (_na(ya) or _na(yb))) else []
    return (True, "+".join(evidence), sim)


def match(df: pd.DataFrame) -> tuple[np.ndarray, dict[tuple[int, int], str]]:
    """Cluster id (smallest member position) of every record, and the reason of each joining pair."""
    n = len(df)
    k = prepare(df)
    pairs = candidate_pairs(k)
    # pairs where both records have a DOI, with numpy: the same DOI and the same title key are
    # the same work; two DOIs that differ are two works
    dkey = k["dkey"].to_numpy(dtype=object, na_value=None)
    codes = pd.factorize(k["dkey"])[0]
    tcodes = pd.factorize(k["tkey"])[0]
    ci, cj = codes[pairs[:, 0]], codes[pairs[:, 1]]
    both = (ci >= 0) & (cj >= 0)
    same = both & (ci == cj)
    fast = same & (tcodes[pairs[:, 0]] == tcodes[pairs[:, 1]]) & (tcodes[pairs[:, 0]] >= 0)
    decided = [(0, -1.0, i, j, "doi") for i, j in pairs[fast].tolist()]
    differ = both & ~same
    rest = pairs[~fast & ~differ]
    # the other pairs go to judge(), with Python values of only the records they involve
    involved = np.unique(rest)
    sub = k.iloc[involved]
    columns = [sub[c].to_numpy(dtype=object, na_value=None).tolist() for c in k.columns]
    rows = (dict(zip(k.columns, row, strict=True)) for row in zip(*columns, strict=True))
    records = dict(zip(involved.tolist(), rows, strict=True))
    for i, j in rest.tolist():
        same_work, why, sim = judge(records[i], records[j])
        if same_work:
            decided.append((0 if why == "doi" else 1, -sim, i, j, why))
    decided.sort()
    parent = list(range(n))
    dois: dict[int, set] = {}  # DOIs of each cluster root, filled as clusters are joined

    def doiset(r: int) -> set:
        if r not in dois:
            dois[r] = {dkey[r]} if dkey[r] is not None else set()
        return dois[r]

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    reasons: dict[tuple[int, int], str] = {}
    for _, _, i, j, why in decided:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        di, dj = doiset(ri), doiset(rj)
        if any(doi_relation(x, y) == "different" for x in di for y in dj):
            continue  # would put two different DOIs in one work
        lo, hi = min(ri, rj), max(ri, rj)
        parent[hi] = lo
        if di or dj:
            dois[lo] = di | dj
        reasons[(i, j)] = why
    cluster = np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
    return cluster, reasons
