"""Author names: the one splitter every reader uses, and the form names are stored in.

Stored form (the ``authors`` column): names separated by ``"; "``, each one of

- ``Family, Given`` (a person), ``Family, Given, Suffix`` when the export gives a suffix
  (``Jr.``, ``Sr.``, ``II``, ``III``...); particles stay with the family name
  (``van der Meij, Vincent``);
- ``Name`` (an organisation, or a person given by one name only), or ``{Name}`` when an
  organisation's name holds a comma or a semicolon (``{Bundesministerium für Bildung,
  Wissenschaft und Forschung}``), so that it is never read as a family and a given name.

Each export says in its own way which part is the family name; the readers pass that on
as *order* rather than guessing from word order:

- ``"auto"``: a comma separates family and given name (``Smith, John``; RIS, BibTeX, Web of
  Science ``AF``); without a comma, trailing initials mark the family name first
  (``Kohane IS.``, ``Adler D.G.``, ``BREININGER D R``), leading initials or whole given
  names mark it last (``W Guo``, ``Araz R. Aliev``, ``Ludwig van Beethoven``).
- ``"family_first"``: the export writes ``Family Initials`` (PubMed CSV, Embase, Ovid,
  MEDLINE ``AU``, Scopus ``Authors``): the words before the initials are the family name,
  and without initials the first word is (``Fu Jinhua``).
- ``"given_first"``: the export writes ``Given Family`` (SpringerLink, OpenAlex, Publish or
  Perish).

A name is an organisation when the export says so (BibTeX's double braces, CSL's
``literal``, PubMed's ``CollectiveName``, MEDLINE ``CN``, Web of Science ``CA``/``GP``) or
when it reads as one (:func:`is_organisation`: a word such as *Ministry*, *Institute*,
*Bundesministerium*, *Kementerian*, or function words such as *und*, *of*, *for* in what
would be the given name).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# a generational suffix where the export puts one (a third comma-part), and where only an
# unambiguous one is taken as such (a last word; "V" and "IV" there are initials: "Van Lancker, V")
_SUFFIX_RE = re.compile(r"^(?:jr|sr|jnr|snr|junior|senior|ii|iii|iv|v|vi|2nd|3rd)\.?$", re.IGNORECASE)
_SURE_SUFFIX_RE = re.compile(r"^(?:jr|sr|jnr|snr|junior|senior|iii|2nd|3rd)\.?$", re.IGNORECASE)
# lower-case words that belong to the family name that follows them (van der Meij, de la Cruz)
_PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "delle", "di", "da", "dos", "das", "do", "du", "la", "le",
    "ten", "ter", "te", "zu", "zur", "bin", "binti", "al", "el", "st.", "y",
}  # fmt: skip
# words that make a name an organisation (lower case, compared word by word)
_ORG_WORDS = {
    "organization", "organisation", "ministry", "ministerium", "bundesministerium", "ministère", "ministerio",
    "kementerian", "kemendikbud", "kemendikbudristek", "department", "departement", "departemen", "departamento",
    "institute", "institut", "instituto", "istituto", "university", "universität", "universitat", "universidad",
    "université", "universitas", "università", "college", "school", "academy", "akademie", "association",
    "society", "gesellschaft", "council", "commission", "kommission", "committee", "agency", "agentur", "badan",
    "foundation", "stiftung", "fundação", "fundación", "group", "consortium", "network", "board", "office",
    "centre", "center", "zentrum", "bureau", "authority", "union", "federation", "collaboration",
    "collaborative", "investigators", "team", "government", "regierung", "pemerintah", "directorate",
    "direktorat", "service", "services", "trust", "corporation", "company", "inc", "inc.", "ltd", "ltd.",
    "gmbh", "llc", "unesco", "unicef", "oecd", "who", "nasa", "alliance", "initiative", "programme",
    "program", "project", "forum", "panel", "secretariat", "sekretariat", "senate", "parliament", "congress",
    "bundestag", "kultusministerkonferenz", "landesinstitut", "bundesinstitut", "statistik", "statistics",
}  # fmt: skip
# words no person's given name is made of (they join the parts of an organisation's name)
_JOINING_WORDS = {"and", "und", "of", "for", "für", "the", "dan", "för", "pour"}


@dataclass(frozen=True)
class Name:
    """One author: a person (``family``, ``given``, ``suffix``) or an organisation (``literal``)."""

    family: str = ""
    given: str = ""
    suffix: str = ""
    literal: str = ""

    @property
    def is_organisation(self) -> bool:
        return bool(self.literal)

    def stored(self) -> str:
        """The name in the stored form (module docstring)."""
        if self.literal:
            return f"{{{self.literal}}}" if ("," in self.literal or ";" in self.literal) else self.literal
        parts = [self.family, self.given, self.suffix] if self.suffix else [self.family, self.given]
        while parts and not parts[-1]:
            parts.pop()
        if len(parts) == 3 and not parts[1]:
            parts[1] = ""
        return ", ".join(parts)


def _clean(value) -> str:
    if value is None or not isinstance(value, str):
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def _letters(token: str) -> str:
    return token.replace(".", "").replace("-", "").replace("\u2010", "")


def is_initials(token: str) -> bool:
    """``J.``, ``IS.``, ``D.G.``, ``J.-P.``, ``AB``, ``D`` (not ``Li``, not ``Smith``)."""
    letters = _letters(token)
    if not letters or len(letters) > 4 or not all(c.isalpha() and c.isupper() for c in letters):
        return False
    return "." in token or len(letters) <= 3


def _org_words(words: list[str]) -> bool:
    return any(w.strip(".,;:()[]\"'").casefold() in _ORG_WORDS for w in words)


def is_organisation(name: str) -> bool:
    """Whether *name* (as written, possibly ``Family, Given``) reads as an organisation.

    Without a comma: a word such as *Ministry* or *Institute*, or joining words between the
    words of the name (*Association for ... and ...*). With a comma, the part after it
    decides (``Press, MC`` is a person, ``Bundesministerium für Bildung, Wissenschaft und
    Forschung`` is not), unless the part before it is a long organisation's name.
    """
    text = _clean(name).strip("{}")
    family, comma, given = text.partition(",")
    if comma:
        given_words, family_words = given.split(), family.split()
        if any(w.casefold() in _JOINING_WORDS for w in given_words[:-1]) or _org_words(given_words):
            return True
        return len(family_words) >= 3 and _org_words(family_words)
    words = text.split()
    if _org_words(words):
        return True
    return len(words) >= 3 and any(w.casefold() in _JOINING_WORDS for w in words[1:-1])


def organisation(name: str) -> Name:
    return Name(literal=_clean(name).strip("{} ").strip())


def _family_given(family: str, given: str, suffix: str = "") -> Name:
    family, given, suffix = _clean(family), _clean(given), _clean(suffix)
    if given.casefold() in ("null", "none", "nan"):  # RefWorks writes "van den Hoven,null"
        given = ""
    if not family and given:
        family, given = given, ""
    return Name(family=family, given=given, suffix=suffix)


def _given_first(words: list[str]) -> Name:
    suffix = ""
    if len(words) > 2 and _SURE_SUFFIX_RE.match(words[-1]):
        suffix, words = words[-1], words[:-1]
    if len(words) == 1:
        return _family_given(words[0], "", suffix)
    i = len(words) - 1
    while i > 1 and words[i - 1].casefold() in _PARTICLES and words[i - 1][:1].islower():
        i -= 1
    return _family_given(" ".join(words[i:]), " ".join(words[:i]), suffix)


def _family_first(words: list[str]) -> Name:
    suffix = ""
    if len(words) > 2 and _SURE_SUFFIX_RE.match(words[-1]):
        suffix, words = words[-1], words[:-1]
    j = len(words)
    while j > 1 and is_initials(words[j - 1]):
        j -= 1
    if j == len(words):  # no initials: the first word (with its particles) is the family name
        j = 1
        while j < len(words) - 1 and words[j - 1].casefold() in _PARTICLES:
            j += 1
    return _family_given(" ".join(words[:j]), " ".join(words[j:]), suffix)


def _suffix_apart(family: str, given: str, suffix: str = "") -> Name:
    """``Carmone Jr., Frank J.`` / ``Lailson-Brit, J Jr``: the suffix written into the family or
    the given name is set apart."""
    f, g = family.split(), given.split()
    # only the abbreviations: "Pinheiro Junior, X" is a Portuguese family name
    if (
        not suffix
        and len(f) > 1
        and _SURE_SUFFIX_RE.match(f[-1])
        and not f[-1].lower().startswith(("junior", "senior"))
    ):
        suffix, family = f[-1], " ".join(f[:-1])
    elif (
        not suffix
        and len(g) > 1
        and _SURE_SUFFIX_RE.match(g[-1])
        and not g[-1].lower().startswith(("junior", "senior"))
    ):
        suffix, given = g[-1], " ".join(g[:-1])
    return _family_given(family, given, suffix)


def _from_commas(text: str) -> Name | None:
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    if len(parts) == 2:
        family, given = parts
        if _SURE_SUFFIX_RE.match(given) and " " in family:  # "Martin Luther King, Jr."
            name = _given_first(family.split())
            return Name(family=name.family, given=name.given, suffix=given)
        return _suffix_apart(family, given)
    if len(parts) == 3:
        if _SUFFIX_RE.match(parts[2]):  # Family, Given, Jr. (Scopus, RIS)
            return _family_given(parts[0], parts[1], parts[2])
        if _SUFFIX_RE.match(parts[1]):  # Family, Jr., Given (BibTeX's order)
            return _family_given(parts[0], parts[2], parts[1])
        if is_initials(parts[2]) and not is_initials(parts[1]):  # Web of Science AF: "Fernandez-Lazaro, Cesar, I"
            return _family_given(parts[0], f"{parts[1]} {parts[2]}")
    return None


def _glued(word: str) -> bool:
    """``GotzJurgen``: a family and a given name written together (a lower-case letter followed by a capital)."""
    return " " not in word and any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))


def _as_list(text: str) -> list[str] | None:
    """Several names in one field, separated by commas (an EndNote RIS ``AU`` line
    ``Golde T. E., DeKosky S. T., Galasko D.``): the parts, else None."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 3 or any(not p or _SUFFIX_RE.match(p) for p in parts):
        return None
    if all(" " in p and is_initials(p.split()[-1]) and not is_initials(p.split()[0]) for p in parts):
        return parts
    if all(_glued(p) for p in parts):
        return parts
    return None


# what an export appends to a name: Ovid BIOSIS "Walsdorf, Neill B. [Inventor, Reprint Author]",
# ERIC "Hern, Matt, Ed." (the editor of the work)
_ROLE_RE = re.compile(r"(?:\s*\[[^\]]*\]|,\s*(?:ed|eds|editor|editors|comp|trans)\.?)\s*$", re.IGNORECASE)
# an address in a name: Web of Science "Medvedeff, Cassandra A. (medvedeff22@ufl.edu)"
_EMAIL_RE = re.compile(r"\s*\(?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\)?")
# what an export writes where a work has no author (Web of Science, Scopus)
_NO_AUTHOR = {"[anonymous]", "anonymous", "anon", "[no author name available]", "[no author]", "n/a"}


def parse_name(value, order: str = "auto") -> Name | None:
    """One name as the export writes it -> :class:`Name` (None for an empty one)."""
    text = _clean(value)
    if text.casefold() in _NO_AUTHOR:
        return None
    text = _EMAIL_RE.sub("", _ROLE_RE.sub("", text)).strip(" ;")
    if not text:
        return None
    if text.startswith("{") and text.endswith("}"):
        return organisation(text)
    if is_organisation(text):
        return organisation(text)
    if "," in text:
        name = _from_commas(text)
        return name if name is not None else organisation(text)
    words = text.split(" ")
    if len(words) == 1:
        return Name(family=text)
    if order == "family_first":
        return _family_first(words)
    if order == "given_first":
        return _given_first(words)
    if is_initials(words[-1]) and not is_initials(words[0]):
        return _family_first(words)
    return _given_first(words)


def split_name(value, order: str = "auto") -> str | None:
    """One name as the export writes it, in the stored form."""
    name = parse_name(value, order)
    return name.stored() if name else None


def names_field(values: Iterable, order: str = "auto") -> str | None:
    """Names (each as the export writes it) as the ``authors`` field; repeats dropped.

    A value that holds several names separated by commas (:func:`_as_list`) gives each."""
    out = []
    for v in values:
        text = _clean(v)
        parts = _as_list(text) if text.count(",") >= 2 and not is_organisation(text) else None
        for part in parts or [text]:
            n = split_name(part, order if parts is None else "family_first")
            if n:
                out.append(n)
    return "; ".join(dict.fromkeys(out)) or None


def organisations_field(values: Iterable) -> list[str]:
    """Names the export marks as organisations, in the stored form."""
    return [organisation(v).stored() for v in values if _clean(v)]


# ----------------------------------------------------------------------------------
# reading the stored form back


def _split_top(value: str, sep: str) -> list[str]:
    """*value* split at *sep* outside braces."""
    out, depth, cur = [], 0, []
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def parse_authors(authors) -> list[Name]:
    """The ``authors`` field (stored form) as :class:`Name` objects."""
    text = _clean(authors)
    names = []
    for part in _split_top(text, ";"):
        part = part.strip()
        if not part or part.casefold() in ("others", "et al.", "et al"):
            continue
        if part.startswith("{") and part.endswith("}"):
            names.append(Name(literal=part[1:-1].strip()))
            continue
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) == 1:
            names.append(Name(literal=part))
        elif len(pieces) == 2:
            names.append(Name(family=pieces[0], given=pieces[1]))
        elif len(pieces) == 3 and _SUFFIX_RE.match(pieces[2]):
            names.append(Name(family=pieces[0], given=pieces[1], suffix=pieces[2]))
        else:  # written before organisations were braced: "Ministry of X, Y, and Z"
            names.append(Name(literal=part))
    return names


def first_family(authors) -> str:
    """The first author's family name, or the organisation's whole name ('' when none)."""
    names = parse_authors(authors)
    if not names:
        return ""
    return names[0].literal or names[0].family


# ----------------------------------------------------------------------------------
# BibTeX's author field

# Scopus BibTeX appends affiliation letters to the initials: "A.a", "C.a  b", "M.G.b"
_AFFIL_LETTERS_RE = re.compile(r"^((?:[A-Z][a-z]?\.[\s-]?)+?)\s*[a-z](?:\s+[a-z])*$")
_EXTENDED_NAME_RE = re.compile(r"\b(?:family|given|prefix|suffix)\s*=", re.IGNORECASE)
_AND_RE = re.compile(r"\s+and\s+", re.IGNORECASE)
_BIB_INITIALS_RE = re.compile(r"^(?:(?:[A-Z]\.-?)+|[A-Z]{1,3})$")


def _split_top_re(value: str, sep_re: re.Pattern) -> list[str]:
    """Split at *sep_re* matches outside {braces}."""
    if "{" not in value:
        return sep_re.split(value)
    depth_at, depth = [], 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        depth_at.append(depth)
    out, last = [], 0
    for m in sep_re.finditer(value):
        if depth_at[m.start()] == 0:
            out.append(value[last : m.start()])
            last = m.end()
    out.append(value[last:])
    return out


def _unbrace(value: str) -> str:
    return _clean(value.replace("{", "").replace("}", ""))


def _strip_affil_letters(given: str) -> str:
    m = _AFFIL_LETTERS_RE.match(given)
    return m.group(1).strip() if m else given


def _bibtex_name(name: str) -> Name:
    """One BibTeX name; raises ValueError when it cannot be split."""
    if _EXTENDED_NAME_RE.search(name):  # BibLaTeX: family=Heuvel, given=Charles, prefix=van den
        parts = {}
        for piece in _split_top_re(name, re.compile(",")):
            k, eq, v = piece.partition("=")
            if not eq:
                raise ValueError(name)
            parts[k.strip().lower()] = _unbrace(v)
        family = " ".join(x for x in (parts.get("prefix"), parts.get("family")) if x)
        if not family:
            raise ValueError(name)
        return _family_given(family, parts.get("given", ""), parts.get("suffix", ""))
    pieces = [p.strip() for p in _split_top_re(name, re.compile(","))]
    while len(pieces) > 1 and not pieces[-1]:  # "Smith, John," : a trailing comma
        pieces.pop()
    if len(pieces) == 1:
        words = [w for w in _split_top_re(pieces[0], re.compile(r"\s+")) if w]
        if len(words) == 1:  # one word, or one braced group: {World Health Organization}
            word = words[0]
            if word.startswith("{") and word.endswith("}") and " " in word:
                return organisation(_unbrace(word))
            return Name(family=_unbrace(word))
        if is_organisation(_unbrace(pieces[0])):
            return organisation(_unbrace(pieces[0]))
        if _BIB_INITIALS_RE.match(_unbrace(words[-1])):  # "Smith AB" (PubMed-style, in a .bib)
            return _family_given(_unbrace(" ".join(words[:-1])), _unbrace(words[-1]))
        # First von Last: von = the lower-case words before the last word
        suffix = ""
        if len(words) > 2 and _SURE_SUFFIX_RE.match(_unbrace(words[-1])):
            suffix, words = _unbrace(words[-1]), words[:-1]
        i = len(words) - 1
        while i > 1 and words[i - 1][:1].islower():
            i -= 1
        if i > 0 and words[i - 1][:1].islower():
            i -= 1
        i = max(i, 1)
        return _family_given(_unbrace(" ".join(words[i:])), _unbrace(" ".join(words[:i])), suffix)
    if len(pieces) == 2:
        family, given = pieces
        if _SURE_SUFFIX_RE.match(_unbrace(given)):  # "King, Jr." : no given name
            return _family_given(_unbrace(family), "", _unbrace(given))
        suffix = ""
    elif len(pieces) == 3 and _SUFFIX_RE.match(_unbrace(pieces[2])):  # Scopus: Durodoye, R., Jr.
        family, given, suffix = pieces[0], pieces[1], _unbrace(pieces[2])
    elif len(pieces) == 3:  # BibTeX: von Last, Jr, First
        family, given, suffix = pieces[0], pieces[2], _unbrace(pieces[1])
    else:
        raise ValueError(name)
    if not _unbrace(family):
        raise ValueError(name)
    if is_organisation(_unbrace(name)):
        return organisation(_unbrace(name))
    return _suffix_apart(_unbrace(family), _strip_affil_letters(_unbrace(given)), suffix)


def split_bibtex_names(value: str) -> tuple[list[str], list[str]]:
    """Names of a BibTeX ``author`` or ``editor`` field in the stored form, and those kept as written.

    Persons are separated by ``and`` outside braces; a name in double braces
    (``{{World Health Organization}}``, here one braced group) is an organisation, kept
    whole. An old Scopus export separates persons with commas instead (``D'Ambrosio, A.a ,
    Aria, M.a``); that form is recognised when every second comma-separated piece is
    initials. A name that cannot be split is kept as written (braces removed) and returned
    in the second list, so the caller can warn.
    """
    value = value.strip()
    persons = [p.strip() for p in _split_top_re(value, _AND_RE) if p.strip()]
    if len(persons) == 1 and not _EXTENDED_NAME_RE.search(value):
        pieces = [p.strip() for p in _split_top_re(value, re.compile(",")) if p.strip()]
        if (
            len(pieces) >= 4
            and len(pieces) % 2 == 0
            and all(_AFFIL_LETTERS_RE.match(g) or _BIB_INITIALS_RE.match(g) for g in pieces[1::2])
        ):
            persons = [f"{f}, {g}" for f, g in zip(pieces[::2], pieces[1::2], strict=False)]
    names, bad = [], []
    for person in persons:
        if _unbrace(person).casefold() in _NO_AUTHOR:  # "[Anonymous]": no author
            continue
        try:
            n = _bibtex_name(person).stored()
        except ValueError:
            n = None
        if not n:
            n = _unbrace(person)
            if n:
                bad.append(n)
                n = organisation(n).stored()
        names.append(n)
    return [n for n in names if n], bad
