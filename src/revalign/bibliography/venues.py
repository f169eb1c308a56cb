"""Venue names: one key per venue for counting and matching, and the spelling a reader sees.

Exports write one journal in many spellings: ``COMPUTERS & EDUCATION`` (Web of Science),
``Computers and Education`` (Scopus), ``Computers & Education`` (Crossref), ``Zeitschrift Fur
Erziehungswissenschaft`` (a database that lost the umlaut) beside ``Zeitschrift für
Erziehungswissenschaft``. :func:`venue_key` gives them one key; :func:`best_spelling` picks the
spelling to display from the variants of one key; :func:`count_venues` counts works per venue
with both; :func:`venues_agree` decides whether two records name the same venue, abbreviations
included (``J Clin Oncol``), for de-duplication.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

import pandas as pd

_AND = re.compile(r"\s*(?:&|\+|&amp;)\s*")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# German written without umlauts the long way ("fuer"): the same word as "für" and "fur"
_TRANSLIT = {"fuer": "fur", "ueber": "uber"}


def fold(text: str) -> str:
    """Case-folded, diacritics removed (NFKD without combining marks): ``'Für'`` -> ``'fur'``."""
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).casefold()


def venue_key(name) -> str | None:
    """The counting key of a venue name, or None for a missing or empty one.

    Case, diacritics, ``&`` against ``and``, punctuation (trailing dots, hyphens,
    colons), a leading ``The`` and the spelling ``fuer`` do not count:
    ``'COMPUTERS & EDUCATION'``, ``'Computers and Education.'`` and ``'The Computers & Education'``
    all give ``'computers and education'``; ``'Zeitschrift Fur Erziehungswissenschaft'`` and
    ``'Zeitschrift für Erziehungswissenschaft'`` give ``'zeitschrift fur erziehungswissenschaft'``.
    """
    if name is None or (isinstance(name, float) and name != name) or name is pd.NA:
        return None
    words = _NOT_WORD.sub(" ", fold(_AND.sub(" and ", str(name)))).split()
    words = [_TRANSLIT.get(w, w) for w in words]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words) or None


def _quality(name: str) -> tuple[int, int]:
    """(has letters with diacritics, is mixed case): higher is better formed."""
    letters = [c for c in name if c.isalpha()]
    accented = any(unicodedata.decomposition(c) for c in letters if not c.isascii())
    mixed = any(c.isupper() for c in letters) and any(c.islower() for c in letters)
    return (int(accented), int(mixed))


def best_spelling(names: Iterable[str] | Mapping[str, int]) -> str | None:
    """The best-formed of several spellings of one name (given as a list, or as spelling -> count).

    Diacritics over plain ASCII (``für`` over ``Fur``), then mixed case over all upper or all
    lower case, then the spelling given most often, then the first in alphabetical order (so
    the choice does not depend on the order of the input).
    """
    if isinstance(names, Mapping):  # spelling -> how often it is given
        counts = Counter({n: c for n, c in names.items() if isinstance(n, str) and n.strip()})
    else:
        counts = Counter(n for n in names if isinstance(n, str) and n.strip())
    if not counts:
        return None
    return min(counts, key=lambda n: (tuple(-q for q in _quality(n)), -counts[n], n))


def count_venues(venues: pd.Series) -> pd.DataFrame:
    """Works per venue, counted by :func:`venue_key`, each venue shown in its best spelling.

    Returns columns ``venue`` (the spelling to display) and ``n`` (works), most frequent first,
    ties in alphabetical order of the spelling; missing and empty venues are left out.
    """
    # each distinct spelling is keyed once: 50,000 works name a few thousand venues (issue 27)
    spellings = venues.dropna().value_counts(sort=False)
    frame = pd.DataFrame({"name": spellings.index.astype(str), "count": spellings.to_numpy()})
    frame["key"] = frame["name"].map(venue_key)
    frame = frame.dropna(subset=["key"])
    if frame.empty:
        return pd.DataFrame({"venue": pd.Series(dtype="string"), "n": pd.Series(dtype="int64")})
    names = frame.groupby("key", sort=True)[["name", "count"]].apply(
        lambda g: best_spelling(dict(zip(g["name"], g["count"], strict=True)))
    )
    n = frame.groupby("key", sort=True)["count"].sum()
    out = pd.DataFrame({"venue": names.astype("string"), "n": n.astype("int64")}).reset_index(drop=True)
    return out.sort_values(["n", "venue"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --- the same venue, for de-duplication ----------------------------------------------------------

_VENUE_STOP = {"the", "of", "and", "in", "for", "on", "a", "an", "journal", "j", "fur", "de", "der", "la", "le"}


def _tokens(name, cut: bool) -> list[str]:
    key = venue_key(name)
    if not key:
        return []
    if cut:  # "Stroke; a journal of cerebral circulation", Embase's "Circulation. Conference: ..."
        key = venue_key(re.split(r"[:;]|\.\s+conference\b", fold(str(name)))[0]) or key
    return [t for t in key.split() if t not in _VENUE_STOP]


# words a name may have that its short form leaves out: small words (d', et, des), numbers and
# ordinals of a conference (2015, 50th, Fourth), "Annual", "Proceedings", "International"
_SKIPPABLE = re.compile(
    r"^(?:\w{1,3}|\w*\d\w*|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"\w+teenth|\w+tieth|annual|proceedings|international)$"
)


def _abbreviates(short: str, word: str) -> bool:
    """``clin`` -> ``clinical`` (a beginning); ``natl`` -> ``national``, ``mgmt`` -> ``management``
    (the same first letter, then the other letters in order)."""
    if word.startswith(short):
        return True
    if len(short) < 3 or short[0] != word[0]:
        return False
    it = iter(word[1:])
    return all(c in it for c in short[1:])


def _abbrev_of(short: list[str], long: list[str]) -> bool:
    """Each token of *short* abbreviates a later token of *long*, in order ("J Clin Oncol").

    One word abbreviates only one word: "Lancet" is not "Lancet Oncology", "Science" not "Science
    Advances"; the words of *long* left out must be small ones (three letters at most: "d",
    "et", "des"), numbers or ordinals, "Annual", "Proceedings" or "International": "Digital
    Studies" is not "Workshop of Digital Studies".
    """
    if len(short) == 1 and len(long) > 1:
        return False
    i = 0
    for s in short:
        while i < len(long) and not _abbreviates(s, long[i]):
            if not _SKIPPABLE.match(long[i]):
                return False  # "Workshop" may not be left out; "d'", "et", "50th", "Annual" may
            i += 1
        if i == len(long):
            return False
        i += 1
    return True


def _acronym_of(acronym: str, words: list[str]) -> bool:
    """*acronym* is made of a beginning of each of *words*, in order (``amcis``: AMericas Conference
    Information Systems; ``icis``, ``hicss``); at least three words, every word used."""
    if len(words) < 3 or not acronym.isalpha() or len(acronym) < len(words):
        return False

    def fits(i: int, w: int) -> bool:
        if w == len(words):
            return i == len(acronym)
        word = words[w]
        return any(word.startswith(acronym[i:j]) and fits(j, w + 1) for j in range(i + 1, len(acronym) + 1))

    return fits(0, 0)


def _acronym_agrees(x: list[str], y: list[str]) -> bool:
    words = [w for w in y if w.isalpha() and w != "proceedings"]
    return any(len(t) >= 3 and _acronym_of(t, words) for t in x)


def venues_agree(a, b) -> bool | None:
    """Whether two venue names name the same venue: True or False, None when one is missing.

    The same :func:`venue_key` words (without small words such as *of*, *the*, *journal*); or one
    an abbreviation of the other, word by word in order, in either direction (``Surg Endosc``,
    ``Clin Med Insights Circ Respir Pulm Med``; one word only for one word), also with the part
    before a colon, a semicolon or Embase's ``. Conference`` (``Circulation. Conference: ...``, an
    abstract in the journal's supplement); or one has a word that is the
    other's acronym (``AMCIS 2017 Proceedings``, ``Americas Conference on Information Systems``);
    or the same words but for a typo
    or their order (rapidfuzz token-sort ratio >= 0.9; not token-set, which calls any subset of
    words the same venue).
    """
    fa, fb = _tokens(a, False), _tokens(b, False)
    if not fa or not fb:
        return None
    if fa == fb:
        return True
    ca, cb = _tokens(a, True), _tokens(b, True)
    for x, y in ((fa, fb), (ca, cb), (ca, fb), (fa, cb)):
        if x and y and (_abbrev_of(x, y) or _abbrev_of(y, x)):
            return True
    if _acronym_agrees(fa, fb) or _acronym_agrees(fb, fa):
        return True
    from rapidfuzz import fuzz

    return fuzz.token_sort_ratio(" ".join(fa), " ".join(fb)) >= 90
