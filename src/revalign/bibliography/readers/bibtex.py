"""BibTeX and BibLaTeX (Zotero, Better BibTeX, Mendeley, JabRef, Scopus, Web of Science).

Parsed with bibtexparser 2 (splitting only); names are split by
:func:`revalign.bibliography.names.split_bibtex_names`, LaTeX accents decoded to Unicode here
(a table for what real exports contain, pylatexenc for anything else).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import pandas as pd

from revalign.bibliography.names import names_field, split_bibtex_names
from revalign.bibliography.normalise import is_blank
from revalign.bibliography.records import Problems, letter_suffix, raw_frame

# a list of "Family Initials" names separated by commas, without "and": how Scopus's BibTeX export
# writes editors (editor={Masulli F., Rovetta S., Petrosino A.})
_INITIALS_LIST_RE = re.compile(r"[^,{}]+?\s(?:[A-Z][a-z]?\.-?)+(?:,\s*[^,{}]+?\s(?:[A-Z][a-z]?\.-?)+)+")
_BIB_TYPE_FIELDS = ("journal", "journaltitle", "booktitle")
_BIB_REPORT_TYPES = {"techreport", "report"}
# the fields _bibtex_row reads
_BIB_READ_FIELDS = {
    "author", "editor", "title", "year", "date", "doi", "abstract", "keywords", "author_keywords", "volume", "number",
    "issue", "pages", "url", "publisher", "institution", "organization", "school", "langid", "language",
    "sourcetype", "sourcecategory", "inreflist", *_BIB_TYPE_FIELDS,
}  # fmt: skip


def _bib_field(fields: dict, *names):
    for name in names:
        value = fields.get(name)
        if not is_blank(value):
            return value
    return None


def _parse_bibtex(text: str):
    """bibtexparser's library of *text*, with its logging silenced while it parses."""
    import bibtexparser

    # bibtexparser logs a warning for each broken block (a second stderr line in the CLI);
    # the InputError of _bibtex_entries reports the same problem, so its log is silenced while parsing.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # setLevel (not .level =) also clears the logging cache
    try:
        return bibtexparser.parse_string(text, parse_stack=[])  # values keep their {..}: _strip_enclosing
    finally:
        logger.setLevel(level)


def _bibtex_entries(lib, path: str | Path, warnings: list[str], problems: Problems, text: str = "") -> list:
    """The entries of *lib* in file order, with those bibtexparser flagged but real exports write.

    A block bibtexparser cannot parse is repaired where its fault is one of the known ones
    (:func:`_repair_block`: a key with a comma, one field per line with unbalanced braces);
    otherwise it is skipped, named in *problems*. The entries after it are read either way
    (bibtexparser starts again at the next ``@``).
    """
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

    entries: list[Entry] = list(lib.entries)
    lines = text.split("\n")
    at_lines = [i for i, ln in enumerate(lines) if ln.lstrip().startswith("@")]
    for block in sorted(lib.failed_blocks, key=lambda b: b.start_line or 0):
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            entries.append(block.ignore_error_block)
            continue
        if isinstance(block, DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            # a repeated field that is not read (Scopus writes funding_details once per funder) is no news
            read = sorted(k for k in block.duplicate_keys if k.lower() in _BIB_READ_FIELDS)
            if read:
                warnings.append(
                    f"{path}:{line}: entry '{entry.key}' has the field(s) {', '.join(read)} more than once; "
                    "the first value is kept"
                )
            entries.append(entry)
            continue
        raw = getattr(block, "raw", "") or ""
        m = re.match(r"\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", raw)
        what = f"@{m.group(1)} entry '{m.group(2)}'" if m else "entry"
        if m and m.group(1).lower() in ("comment", "preamble", "string"):
            continue
        first = block.start_line or 0
        end = next((i for i in at_lines if i > first), len(lines))
        repaired, how = _repair_block("\n".join(lines[first:end]), first)
        if repaired is not None:
            problems.repair(line, f"{what}: {how}")
            entries.append(repaired)
            continue
        problems.skip(line, what, "unbalanced braces or quotes, or a missing comma")
    entries.sort(key=lambda e: e.start_line or 0)
    return entries


_ENTRY_HEAD_RE = re.compile(r"\s*@\s*(\w+)\s*\{\s*([^\n{}=]*?)\s*,\s*\n")
# a field's name may hold a no-break space: Scopus writes "funding_text\u00a01={...}"
_FIELD_LINE_RE = re.compile(r"^\s*([A-Za-z][^=\n{}\"]*?)\s*=\s*(.*?),?\s*$")


def _repair_block(raw: str, start_line: int):
    """An entry bibtexparser refused, read line by line, or ``(None, '')``.

    Scopus writes one field per line (``abstract={...},``), so a field whose braces do not
    balance (a stray ``{`` in an abstract) or a key with a comma (``Kenny20103,17``) still
    leaves every field on its own line: each line is one field, its value the text between
    the outer braces or quotes.
    """
    from bibtexparser.model import Entry, Field

    head = _ENTRY_HEAD_RE.match(raw)
    if not head:
        return None, ""
    body = raw[head.end() :].rstrip()
    if body.endswith("}"):
        body = body[:-1]
    fields, bad = [], []
    for ln in body.split("\n"):
        if not ln.strip():
            continue
        m = _FIELD_LINE_RE.match(ln)
        if not m:
            return None, ""
        value = m.group(2).strip()
        if value[:1] in '{"' and value[-1:] in '}"':
            value = value[1:-1]
        depth = value.count("{") - value.count("}")
        if depth:
            bad.append(m.group(1))
            value = value.replace("{", "").replace("}", "")
        fields.append(Field(m.group(1), value))
    if not fields:
        return None, ""
    key = head.group(2)
    how = []
    if "," in key:
        how.append(f"the key '{key}' holds a comma")
    if bad:
        how.append(f"unbalanced braces in {', '.join(bad)} (its braces removed)")
    if not how:
        return None, ""
    return Entry(head.group(1), key, fields, start_line=start_line, raw=raw), "; ".join(how) + "; read line by line"


def _unique_keys(entries: list, path: str | Path, warnings: list[str]) -> list[str]:
    """The same key for two entries: keep both, suffix b, c, ... (as reference managers do).

    A suffix never takes a key that another entry of the file has (Mendeley writes
    ``Huang1992``, ``Huang1992a`` ... ``Huang1992e`` and may repeat ``Huang1992`` too).
    """
    originals = {e.key for e in entries if e.key}
    used: set[str] = set()
    first_line: dict[str, int] = {}
    keys = []
    for entry in entries:
        key = entry.key
        if not key:  # an entry without a key gets one generated later, like a record of any other format
            keys.append("")
            continue
        if key not in used:
            used.add(key)
            first_line.setdefault(key, (entry.start_line or 0) + 1)
            keys.append(key)
            continue
        n = 1
        new_key = f"{key}{letter_suffix(n)}"
        while new_key in used or new_key in originals:
            n += 1
            new_key = f"{key}{letter_suffix(n)}"
        used.add(new_key)
        keys.append(new_key)
        warnings.append(
            f"{path}:{(entry.start_line or 0) + 1}: citation key '{key}' also used on line {first_line[key]}; "
            f"this entry is kept as '{new_key}'"
        )
    return keys


# a value that swallowed the next field because a comma is missing between them:
# "{Mendeley: escaped characters}\nfile = {...}" (bibtexparser reads it as one value)
_MISSING_COMMA_RE = re.compile(r'^(\{.*\}|".*")\s*\n\s*([A-Za-z][\w:-]*)\s*=\s*(.+)$', re.DOTALL)


def _split_missing_commas(key: str, value: str) -> list[tuple[str, str]]:
    """``[(key, value)]``, or more pairs when *value* holds fields a missing comma joined to it."""
    out = []
    while True:
        m = _MISSING_COMMA_RE.match(value.strip())
        if not m or not _balanced(m.group(1)):
            out.append((key, value))
            return out
        out.append((key, m.group(1)))
        key, value = m.group(2), m.group(3)


def _balanced(value: str) -> bool:
    depth = 0
    for i, ch in enumerate(value):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(value) - 1 and value[0] == "{":
            return False  # the first brace closes before the end: not one braced value
    return depth == 0


def _bibtex_fields(entry, strings: dict[str, str], repairs: list[str] | None = None) -> dict[str, str]:
    """An entry's fields by lower-case name, the first value of a repeated one, enclosing {..}
    removed, ``@string`` macros and ``#`` concatenation resolved. Fields that a missing comma
    joined to the field before them are split apart again (said in *repairs*)."""
    fields: dict[str, str] = {}
    for f in entry.fields:
        pairs = _split_missing_commas(f.key, f.value) if isinstance(f.value, str) else [(f.key, f.value)]
        if len(pairs) > 1 and repairs is not None:
            repairs.append(
                f"a comma is missing after the field {pairs[0][0]}; {', '.join(k for k, _ in pairs[1:])} read apart"
            )
        for key, v in pairs:
            k = key.lower()
            if k not in fields:
                fields[k] = _resolve(v, strings) if isinstance(v, str) else v
    return fields


_MONTHS = {m[:3].lower(): m for m in (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)}  # fmt: skip


def _concat_parts(value: str) -> list[str]:
    """The parts of ``a # "b" # {c}`` (``#`` outside braces and quotes)."""
    parts, depth, quoted, cur = [], 0, False, []
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif ch == '"' and depth == 0:
            quoted = not quoted
        if ch == "#" and depth == 0 and not quoted:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return parts


def _resolve(value: str, strings: dict[str, str]) -> str:
    """A field's value as text: ``{..}``/``".."`` removed; a bare word is an ``@string`` macro
    (names compared without case, as BibTeX does) or a month (``mar``); ``#`` concatenates."""
    v = value.strip()
    if v[:1] in '{"' and len(_concat_parts(v)) == 1:
        return _strip_enclosing(v)
    out = []
    for part in _concat_parts(v):
        if part[:1] in '{"':
            out.append(_strip_enclosing(part))
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in _MONTHS:
            out.append(_MONTHS[part.lower()])
        else:
            out.append(part)
    return "".join(out)


def _strings(lib) -> dict[str, str]:
    """The file's ``@string`` macros by lower-case name, each resolved with those before it."""
    strings: dict[str, str] = {}
    for block in lib.strings:
        value = block.value if isinstance(block.value, str) else str(block.value)
        strings[block.key.lower()] = _resolve(value, strings)
    return strings


def _bibtex_row(
    entry, key: str, path: str | Path, warnings: list[str], strings: dict[str, str], problems: Problems
) -> dict:
    repairs: list[str] = []
    fields = _bibtex_fields(entry, strings, repairs)
    line = (entry.start_line or 0) + 1
    for r in repairs:
        problems.repair(line, f"entry '{key}': {r}")
    names, editors = [], []
    for field, out in (("author", names), ("editor", editors)):
        value = fields.get(field)
        if is_blank(value):
            continue
        value = _latex(value, keep_braces=True)
        if _INITIALS_LIST_RE.fullmatch(value.strip()):  # Scopus: editor={Masulli F., Rovetta S.}
            out.extend(names_field([v.strip() for v in value.split(",")], "family_first").split("; "))
            continue
        split, bad = split_bibtex_names(value)
        out.extend(split)
        for b in bad:
            warnings.append(f"{path}:{line}: entry '{key}': cannot split the name '{b}'; kept as written")
    etype = entry.entry_type.lower()
    source = _bib_field(fields, *_BIB_TYPE_FIELDS)
    if source is None and etype in _BIB_REPORT_TYPES:
        source = _bib_field(fields, "institution")
    kws = [fields.get("author_keywords"), fields.get("keywords")]
    keywords = "; ".join(k.strip() for v in kws if not is_blank(v) for k in re.split(r"[;,]", _latex(v)) if k.strip())
    return {
        "citation_key": key,
        "src_id": key,
        "doi": _latex(fields.get("doi")),
        "title": _latex(fields.get("title")),
        "year": _bib_field(fields, "year", "date"),
        "authors": "; ".join(names) if names else None,
        "editors": "; ".join(editors) if editors else None,
        "source_title": _latex(source),
        "entry_type": etype,
        "abstract": _latex(fields.get("abstract")),
        "keywords": keywords or None,
        "volume": fields.get("volume"),
        "issue": _bib_field(fields, "number", "issue"),
        "pages": (fields.get("pages") or "").replace("–", "-").replace("--", "-") or None,
        "url": fields.get("url"),
        "publisher": _latex(_bib_field(fields, "publisher", "institution", "organization", "school")),
        "language": _bib_field(fields, "langid", "language"),
        "sourcetype": fields.get("sourcetype"),
        "sourcecategory": fields.get("sourcecategory"),
        "inreflist": fields.get("inreflist"),
        "_entry": key,
        "_line": line,
    }


def read_bibtex(path: str | Path, text: str) -> pd.DataFrame:
    """BibTeX/BibLaTeX with bibtexparser 2 (splitting only; names and LaTeX handled here).

    Field names are case-insensitive (Web of Science, JabRef and EBSCO write ``Author``).
    Real exports that bibtexparser flags are read with a warning rather than refused: a
    field repeated in one entry (Scopus repeats ``funding_details``: the first value is
    kept) and a citation key used for two entries (Scopus and Zotero do this: both are
    kept, the second and later get ``b``, ``c``... appended). A name that cannot be split
    is kept as written, with a warning; it never rejects the file.
    """
    lib = _parse_bibtex(text)
    warnings: list[str] = []
    problems = Problems(path)
    entries = _bibtex_entries(lib, path, warnings, problems, text)
    keys = _unique_keys(entries, path, warnings)
    strings = _strings(lib)
    rows = [
        _bibtex_row(entry, key, path, warnings, strings, problems) for entry, key in zip(entries, keys, strict=False)
    ]
    for i, row in enumerate(rows, start=1):
        row["_entry"] = row["_entry"] or str(i)  # origins name a keyless entry by its number
    df = raw_frame(rows)
    df.attrs["warnings"] = warnings
    return problems.attach(df)


def _strip_enclosing(value: str) -> str:
    """``{text}`` or ``"text"`` -> ``text`` (what bibtexparser's RemoveEnclosingMiddleware does)."""
    v = value.strip()
    if len(v) >= 2 and ((v[0] == "{" and v[-1] == "}") or (v[0] == '"' and v[-1] == '"')):
        return v[1:-1]
    return v


_LATEX_NEEDED = re.compile(r"[\\{}~$]")
_BRACES_ONLY = re.compile(r"[{}]")
_BRACED_COMMAND = re.compile(r"\{[^{}]*\\[^{}]*\}")
_BARE_COMMAND = re.compile(r"\\[a-zA-Z]+\{[^{}]*\}|\\[^a-zA-Z\s]\{?\w\}?|\\[a-zA-Z]+")


def _latex(value, keep_braces: bool = False):
    """LaTeX to Unicode, only for values that contain LaTeX markup.

    Accents (``{\\"u}``, ``\\'{e}``, ``\\c{c}``), the special letters (``\\o``, ``\\ss``) and
    escaped characters (``\\&``) are converted by a table (:func:`_fast_latex`): that is what
    real exports contain, and pylatexenc, which handles everything else, costs ~1 ms a
    call. Outer braces (``{{Title}}``) are dropped. A value with only braces (the common
    case) is not parsed at all, so a 10 MB plain field costs one regex scan.
    """
    if value is None or not isinstance(value, str):
        return value
    value = value.strip()
    if not _LATEX_NEEDED.search(value):
        return value
    if "\\" in value:
        value = _fast_latex(value)
    if "~" in value:
        value = _TILDE.sub(" ", value)
    if "\\" not in value and "$" not in value:
        return value if keep_braces else _BRACES_ONLY.sub("", value)
    if keep_braces:  # names: decode commands but keep the other {..} groups for the name splitter
        value = _BRACED_COMMAND.sub(lambda m: _decode(m.group(0)), value)  # M{\\"u}ller -> Müller
        if "\\" in value:
            value = _BARE_COMMAND.sub(lambda m: _decode(m.group(0)), value)  # M\\"{u}ller, \\o
        return value
    return _decode(value)


_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331",
}  # fmt: skip
_LETTERS = {
    "o": "ø", "O": "Ø", "ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
}  # fmt: skip
_SYM = r"[\"'`^~=.]"
_WORD = r"[uvHckrdb]"
_LET = r"(?:[A-Za-z]|\\[ij](?![A-Za-z]))"
_ACCENT_RE = re.compile(
    rf"\{{\\({_SYM})\s*\{{?({_LET})\}}?\}}"  # {\"u} {\"{u}}
    rf"|\\({_SYM})\s*\{{({_LET})\}}"  # \"{u}
    rf"|\\({_SYM})({_LET})"  # \"u
    rf"|\{{\\({_WORD})\s*\{{?({_LET})\}}?\}}"  # {\c c} {\c{c}}
    rf"|\\({_WORD})\{{({_LET})\}}"  # \c{c}
    rf"|\\({_WORD})\s+({_LET})"  # \c c
)
_LETTER_RE = re.compile(r"\{\\(o|O|ss|aa|AA|ae|AE|oe|OE|l|L|i|j)\}|\\(o|O|ss|aa|AA|ae|AE|oe|OE|l|L|i|j)(?![A-Za-z])\s?")
_ESCAPE_RE = re.compile(r"\\([&%_$#{}])")
_TILDE = re.compile(r"(?<!\\)~")


def _accent(m: re.Match) -> str:
    groups = [g for g in m.groups() if g is not None]
    acc, letter = groups[0], groups[1]
    if letter.startswith("\\"):  # \\"{\\i}: the dotless i takes the accent as a plain i
        letter = letter[1:]
    return unicodedata.normalize("NFC", letter + _ACCENTS[acc])


def _fast_latex(value: str) -> str:
    value = _ACCENT_RE.sub(_accent, value)
    value = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1) or m.group(2)], value)
    return _ESCAPE_RE.sub(r"\1", value)


def _decode(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    global _DECODER
    if _DECODER is None:
        _DECODER = LatexNodes2Text()
    try:
        return _DECODER.latex_to_text(value)
    except Exception:  # pylatexenc is lenient, but a pathological value must not stop the import
        return _BRACES_ONLY.sub("", value)


_DECODER = None
