"""One reader per export format, each returning raw records as a DataFrame.

Every reader takes the file's path (for messages) and its content, and returns a
DataFrame with the columns of :data:`RAW_COLUMNS`: the bibliographic fields as the
file gives them (not yet normalised; :mod:`revalign.bibliography.importer` does that for all
formats at once), plus ``_entry`` (the entry's label in ``origins``: BibTeX key,
CSL-JSON id, or the 1-based record number) and ``_line`` (first line of the entry,
when known). A syntactically broken file raises :class:`InputError` with the line.

Formats (``detect_format`` finds them from the content, not the extension):

- ``bibtex``: BibTeX/BibLaTeX as Zotero, Better BibTeX, Mendeley or JabRef write it,
  parsed with bibtexparser 2; LaTeX accents decoded to Unicode.
- ``ris``: RIS (EndNote, Zotero, Scopus, Mendeley), parsed with rispy after a
  structural check (every ``TY  -`` closed by ``ER  -``) that rispy does not do.
- ``csljson``: CSL-JSON, the array Zotero's "CSL JSON" export writes.
- ``scopus``: Scopus "CSV" export (UTF-8 with BOM, every field quoted), read with
  pyarrow's multi-threaded CSV reader and mapped column-wise.
- ``wos``: Web of Science "Plain text file" (``FN``/``VR`` header, two-letter tags,
  continuation lines indented three spaces, ``ER`` after each record, ``EF`` at end).
- ``wos_tab``: Web of Science "Tab delimited file": the same two-letter tags as a header
  line, then one record per line, fields split by tabs and never quoted (titles keep
  their ``"``), a spurious tab at the end of each record. Windows exports are often
  UTF-16; the importer converts them. Written here: splitting a line on tabs is all it
  takes, and the fields then go through the plain-text reader's mapping.
- PubMed/MEDLINE, PubMed XML, EndNote refer, OpenAlex JSON and CSV, Lens, IEEE Xplore,
  Springer, Embase CSV, Dimensions: :mod:`revalign.bibliography.readers_more`.

A file that is none of these is refused with a message saying what it looks like
(a CSV with which columns, an XML file with which root, text starting with what).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import unicodedata
from pathlib import Path

import pandas as pd

from revalign.bibliography.jsontext import json_line, parse_int, raw_decode
from revalign.bibliography.normalise import is_blank, split_bibtex_names, split_name
from revalign.bibliography.records import RAW_COLUMNS, letter_suffix, raw_frame
from revalign.bibliography.records import page_range as _pages
from revalign.core.errors import InputError

FORMATS = (
    "bibtex", "ris", "csljson", "scopus", "wos", "wos_tab", "medline", "pubmed_xml", "refer", "openalex_json",
    "openalex_csv", "lens", "ieee", "springer", "embase_csv", "pubmed_csv", "dimensions", "pop_json",
    "endnote_xml",
)  # fmt: skip
FORMAT_NAMES = {
    "bibtex": "BibTeX (.bib)",
    "ris": "RIS (.ris)",
    "csljson": "CSL-JSON (.json)",
    "scopus": "Scopus CSV (.csv)",
    "wos": "Web of Science plain text (.txt)",
    "wos_tab": "Web of Science tab-delimited (.txt)",
    "medline": "PubMed/MEDLINE (.nbib, .txt)",
    "pubmed_xml": "PubMed XML (.xml)",
    "refer": "EndNote refer (.enw, .txt)",
    "openalex_json": "OpenAlex JSON (.json)",
    "openalex_csv": "OpenAlex CSV (.csv)",
    "lens": "Lens.org CSV (.csv)",
    "ieee": "IEEE Xplore CSV (.csv)",
    "springer": "SpringerLink CSV (.csv)",
    "embase_csv": "Embase CSV (.csv)",
    "pubmed_csv": "PubMed CSV (.csv)",
    "dimensions": "Dimensions CSV (.csv)",
    "pop_json": "Publish or Perish JSON (.json)",
    "endnote_xml": "EndNote XML (.xml)",
}


def supported_formats_text() -> str:
    return ", ".join(FORMAT_NAMES[f] for f in FORMATS)


# ----------------------------------------------------------------------------------
# Detection


_BIBTEX_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_TY_RE = re.compile(r"^TY  -", re.MULTILINE)
_WOS_RE = re.compile(r"^(?:FN |PT [A-Z]\s*$)", re.MULTILINE)
_WOS_TAB_HEAD_RE = re.compile(r"(?:[A-Z][A-Z0-9]\t)+[A-Z][A-Z0-9]\t?\n")


_MEDLINE_HEAD_RE = re.compile(r"^(?:PMID|OWN |STAT|TI  |PMC )- ", re.MULTILINE)
_REFER_HEAD_RE = re.compile(r"^%[A-Z0-9](?: \S|\n)")
_XML_ROOT_RE = re.compile(r"<(?!\?|!)([A-Za-z_][\w.-]*)")


def detect_format(path: str | Path, head: str) -> str:
    """Name the format of a file from the start of its text (BOM already removed)."""
    from revalign.bibliography.readers_more import csv_header, detect_table

    stripped = head.lstrip()
    if not stripped:
        raise InputError(path, "file is empty; export the references again, or leave this file out")
    if stripped.startswith("FN ") or re.match(r"PT [A-Z]\s*\n", stripped):
        return "wos"
    if _WOS_TAB_HEAD_RE.match(stripped) and {"PT", "TI"} <= set(stripped.split("\n", 1)[0].split("\t")):
        return "wos_tab"
    if _RIS_TY_RE.search(head):
        return "ris"
    if stripped.startswith("<"):
        root = _XML_ROOT_RE.search(stripped)
        if "<PubmedArticle" in head or "<PubmedBookArticle" in head:
            return "pubmed_xml"
        if "<records>" in head and "<record>" in head and ("<ref-type" in head or "<source-app" in head):
            return "endnote_xml"
        what = f"an XML file whose root element is <{root.group(1)}>" if root else "an XML or HTML file"
        raise _unknown(path, what)
    first_line = stripped.split("\n", 1)[0]
    if _MEDLINE_HEAD_RE.match(stripped) and re.search(r"^(?:TI|AU|PMID|OWN) *- ", head, re.MULTILINE):
        return "medline"
    if _REFER_HEAD_RE.match(stripped):
        return "refer"
    if stripped[0] in "[{":
        sample = head[:20000]
        if '"authorships"' in sample or '"https://openalex.org/W' in sample:
            return "openalex_json"
        if '"cites_url"' in sample or ('"article_url"' in sample and '"authors"' in sample):
            return "pop_json"
        return "csljson"
    header, _ = csv_header(stripped)
    cols = {f.strip() for f in header}
    table = detect_table(header)  # each names columns no Scopus export has
    if table:
        return table
    if cols & {"EID", "Source title"} and cols & {"Title", "Authors", "Author full names", "DOI"}:
        return "scopus"
    if _BIBTEX_RE.search(head):
        return "bibtex"
    if len(header) >= 3:
        shown = ", ".join(h for h in header[:8] if h)
        raise _unknown(
            path,
            f"a CSV table with the columns {shown}{', ...' if len(header) > 8 else ''}, "
            "which match no supported export",
        )
    raise _unknown(path, f"text starting with '{first_line[:60]}'")


def _unknown(path, what: str) -> InputError:
    return InputError(
        path,
        f"cannot tell the format of this file: it looks like {what}; supported formats are "
        f"{supported_formats_text()} (use --format to force one)",
    )


# ----------------------------------------------------------------------------------
# BibTeX


_BIB_TYPE_FIELDS = ("journal", "journaltitle", "booktitle")
_BIB_REPORT_TYPES = {"techreport", "report"}
# the fields _bibtex_row reads
_BIB_READ_FIELDS = {
    "author", "title", "year", "date", "doi", "abstract", "keywords", "author_keywords", "volume", "number",
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


def _bibtex_entries(lib, path: str | Path, warnings: list[str]) -> list:
    """The entries of *lib* in file order, with those bibtexparser flagged but real exports write."""
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

    entries: list[Entry] = list(lib.entries)
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
        raise InputError(path, f"malformed {what}: unbalanced braces or quotes, or a missing comma", line)
    entries.sort(key=lambda e: e.start_line or 0)
    return entries


def _unique_keys(entries: list, path: str | Path, warnings: list[str]) -> list[str]:
    """The same key for two entries: keep both, suffix b, c, ... (as reference managers do)."""
    seen: dict[str, int] = {}
    first_line: dict[str, int] = {}
    keys = []
    for entry in entries:
        key = entry.key
        if not key:  # an entry without a key gets one generated later, like a record of any other format
            keys.append("")
            continue
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n == 0:
            first_line[key] = (entry.start_line or 0) + 1
            keys.append(key)
        else:
            new_key = f"{key}{letter_suffix(n)}"
            while new_key in seen:
                n += 1
                new_key = f"{key}{letter_suffix(n)}"
            seen[new_key] = 1
            keys.append(new_key)
            warnings.append(
                f"{path}:{(entry.start_line or 0) + 1}: citation key '{key}' also used on line {first_line[key]}; "
                f"this entry is kept as '{new_key}'"
            )
    return keys


def _bibtex_fields(entry) -> dict[str, str]:
    """An entry's fields by lower-case name, the first value of a repeated one, enclosing {..} removed."""
    fields: dict[str, str] = {}
    for f in entry.fields:
        k = f.key.lower()
        if k not in fields:
            v = f.value
            fields[k] = _strip_enclosing(v) if isinstance(v, str) else v
    return fields


def _bibtex_row(entry, key: str, path: str | Path, warnings: list[str]) -> dict:
    fields = _bibtex_fields(entry)
    line = (entry.start_line or 0) + 1
    names = []
    author = fields.get("author")
    if not is_blank(author):
        names, bad = split_bibtex_names(_latex(author, keep_braces=True))
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
    entries = _bibtex_entries(lib, path, warnings)
    keys = _unique_keys(entries, path, warnings)
    rows = [_bibtex_row(entry, key, path, warnings) for entry, key in zip(entries, keys, strict=False)]
    for i, row in enumerate(rows, start=1):
        row["_entry"] = row["_entry"] or str(i)  # origins name a keyless entry by its number
    df = raw_frame(rows)
    df.attrs["warnings"] = warnings
    return df


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


# ----------------------------------------------------------------------------------
# RIS

_RIS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


# Between records, databases write: a provider header before each record (JSTOR:
# "Provider: ...", "Database: ...", "Content: ..."), a record counter ("Record #2 of 20"), a
# record number ("1.") and a link line ("Link to the Ovid Full Text or citation: ...") and an
# NL tag after ER (Ovid). Anything else between records is refused (it is usually a record
# that lost its TY line).
_RIS_BETWEEN_RE = re.compile(r"^(?:[A-Z][A-Za-z ]{0,40}:\s.*|\d+\.\s*|Record #?\d+(?: of \d+)?)$")
_RIS_TAGS_AFTER_ER = {"NL"}


def _check_ris(path, text: str) -> tuple[list[int], str]:
    """Line numbers of each record's ``TY`` line, and the text of the records alone.

    InputError on broken structure. The returned text keeps only the lines inside
    records (so rispy never sees the providers' headers or Ovid's extra lines).
    """
    starts: list[int] = []
    keep: list[str] = []
    open_line = None
    for n, line in enumerate(text.split("\n"), start=1):
        m = _RIS_TAG_RE.match(line.rstrip())
        if m is None:
            if open_line is None:
                if line.strip() and starts and not _RIS_BETWEEN_RE.match(line.strip()):
                    raise InputError(path, "text outside a record (each record starts with 'TY  - ')", n)
                # a blank line between records, a provider's header ("Provider: ..."),
                # a record number ("2.") or a preamble before the first record
                continue
            keep.append(line)  # a continuation line inside a record
            continue
        tag = m.group(1)
        if tag == "TY":
            if open_line is not None:
                raise InputError(
                    path, f"record starting on line {open_line} has no 'ER  - ' line before the next 'TY  - '", n
                )
            if not (m.group(2) or "").strip():
                raise InputError(path, "'TY  - ' without a reference type", n)
            open_line = n
            starts.append(n)
        elif tag == "ER":
            if open_line is None:
                raise InputError(path, "'ER  - ' without a record before it", n)
            open_line = None
        elif open_line is None:
            if tag in _RIS_TAGS_AFTER_ER and starts:
                continue
            raise InputError(path, f"tag {tag} outside a record (each record starts with 'TY  - ')", n)
        keep.append(line)
    if open_line is not None:
        raise InputError(path, "record is not closed by an 'ER  - ' line (file truncated?)", open_line)
    return starts, "\n".join(keep) + "\n"


def _first(rec: dict, *keys):
    for key in keys:
        value = rec.get(key)
        if isinstance(value, list):
            value = next((v for v in value if not is_blank(v)), None)
        if not is_blank(value):
            return value
    return None


def read_ris(path: str | Path, text: str) -> pd.DataFrame:
    import rispy

    starts, text = _check_ris(path, text)
    try:
        records = rispy.loads(text)
    except Exception as exc:  # rispy's ParseError and friends
        raise InputError(path, f"malformed RIS: {exc}") from None
    if len(records) != len(starts):  # pragma: no cover - _check_ris should catch this
        raise InputError(path, f"found {len(starts)} 'TY  - ' lines but rispy read {len(records)} records")
    rows = []
    for i, (rec, line) in enumerate(zip(records, starts, strict=False), start=1):
        names = [split_name(a) for a in (rec.get("authors") or []) + (rec.get("first_authors") or [])]
        keywords = rec.get("keywords") or []
        rows.append(
            {
                "citation_key": None,
                "src_id": _first(rec, "id"),
                "doi": _first(rec, "doi"),
                "title": _first(rec, "title", "primary_title", "short_title"),
                "year": _first(rec, "year", "publication_year", "date"),
                "authors": "; ".join(dict.fromkeys(n for n in names if n)) or None,
                "source_title": _first(
                    rec, "secondary_title", "journal_name", "alternate_title3", "alternate_title2", "alternate_title1"
                ),
                "entry_type": rec.get("type_of_reference"),
                "abstract": _first(rec, "abstract", "notes_abstract"),
                "keywords": "; ".join(k.strip() for k in keywords if k and k.strip()) or None,
                "volume": _first(rec, "volume"),
                "issue": _first(rec, "number"),
                "pages": _pages(rec.get("start_page"), rec.get("end_page")),
                "url": _first(rec, "urls"),
                "publisher": _first(rec, "publisher"),
                "language": _first(rec, "language"),
                "_entry": str(i),
                "_line": line,
            }
        )
    return raw_frame(rows)


# ----------------------------------------------------------------------------------
# CSL-JSON


def _iter_json_array(path, text: str):
    """Yield (item, start offset) of each element of the top-level JSON array."""
    decoder = json.JSONDecoder(parse_int=parse_int)
    ws = re.compile(r"\s*")
    pos = ws.match(text, 0).end()
    if text.startswith("{", pos):
        item, end = raw_decode(path, text, decoder, pos)
        if ws.match(text, end).end() != len(text):
            raise InputError(path, "invalid JSON: extra data after the object", json_line(text, end))
        yield item, pos
        return
    if not text.startswith("[", pos):
        raise InputError(path, "not CSL-JSON: expected an array of items", json_line(text, pos))
    pos = ws.match(text, pos + 1).end()
    if text.startswith("]", pos):
        return
    while True:
        item, end = raw_decode(path, text, decoder, pos)
        yield item, pos
        pos = ws.match(text, end).end()
        if text.startswith(",", pos):
            pos = ws.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            pos = ws.match(text, pos + 1).end()
            if pos != len(text):
                raise InputError(path, "invalid JSON: extra data after the array", json_line(text, pos))
            return
        else:
            raise InputError(path, "invalid JSON: expected ',' or ']' between items", json_line(text, pos))


def _csl_year(issued) -> str | None:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        return issued.get("raw") or issued.get("literal")
    if isinstance(issued, (str, int)):
        return str(issued)
    return None


def _csl_entry(src_id: str | None, i: int) -> str:
    """Label in ``origins``: the id (for a Zotero item URI, its last part, the item key)."""
    if not src_id:
        return str(i)
    return src_id.rstrip("/").rsplit("/", 1)[-1] or str(i)


def _csl_names(path: str | Path, item: dict, i: int, line: int) -> list[str]:
    """The item's authors as 'Family, Given' (or the literal name), checked to be names."""
    authors = item.get("author") or []
    if not isinstance(authors, list):
        raise InputError(path, f"item {i}: 'author' must be a list of names", line)
    names = []
    for a in authors:
        if not isinstance(a, dict):
            raise InputError(path, f"item {i}: each author must be an object with family/given or literal", line)
        for part in ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix"):
            if a.get(part) is not None and not isinstance(a[part], (str, int, float)):
                raise InputError(path, f"item {i}: author {part!r} must be text, not a list or an object", line)
        a = {k: (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in a.items()}
        if a.get("family"):
            family = " ".join(x for x in (a.get("non-dropping-particle"), a["family"]) if x)
            names.append(f"{family}, {a['given']}" if a.get("given") else family)
        elif a.get("literal"):
            names.append(a["literal"])
    return names


def _csl_keywords(item: dict):
    keywords = item.get("keyword")
    if isinstance(keywords, list):
        keywords = "; ".join(map(str, keywords))
    elif isinstance(keywords, str):
        keywords = "; ".join(k.strip() for k in re.split(r"[;,]", keywords) if k.strip())
    return keywords


def _csl_row(path: str | Path, item, i: int, line: int) -> dict:
    if not isinstance(item, dict):
        raise InputError(path, f"item {i} is not a JSON object", line)
    names = _csl_names(path, item, i, line)
    src_id = item.get("id")
    src_id = None if src_id is None else str(src_id)
    key = item.get("citation-key") or item.get("citation_key")
    if key is None and src_id and not re.search(r"[/:\s]", src_id):
        key = src_id  # Better BibTeX writes the citation key as the id; Zotero writes an item URI
    keywords = _csl_keywords(item)
    return {
        "citation_key": key,
        "src_id": src_id,
        "doi": item.get("DOI"),
        "title": item.get("title"),
        "year": _csl_year(item.get("issued")),
        "authors": "; ".join(names) if names else None,
        "source_title": item.get("container-title"),
        "entry_type": item.get("type"),
        "abstract": item.get("abstract"),
        "keywords": keywords or None,
        "volume": item.get("volume"),
        "issue": item.get("issue"),
        "pages": (str(item["page"]).replace("–", "-") if item.get("page") else None),
        "url": item.get("URL"),
        "publisher": item.get("publisher"),
        "language": item.get("language"),
        "_entry": _csl_entry(src_id, i),
        "_line": line,
    }


def read_csljson(path: str | Path, text: str) -> pd.DataFrame:
    rows = []
    last_pos, last_line = 0, 1  # line numbers counted from the previous item: linear in the file
    for i, (item, pos) in enumerate(_iter_json_array(path, text), start=1):
        line = last_line = last_line + text.count("\n", last_pos, pos)
        last_pos = pos
        rows.append(_csl_row(path, item, i, line))
    for row in rows:
        for k, v in row.items():
            if v is not None and not isinstance(v, str) and k != "_line":
                row[k] = str(v)
    return raw_frame(rows)


# ----------------------------------------------------------------------------------
# Scopus CSV

SCOPUS_REQUIRED = ("Title", "Year", "Source title")
SCOPUS_USED = (
    "Authors", "Author full names", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
    "Page start", "Page end", "DOI", "Link", "Abstract", "Author Keywords", "Index Keywords", "Publisher",
    "Language of Original Document", "Document Type", "EID",
)  # fmt: skip


class InvalidUTF8(Exception):
    """pyarrow found bytes that are not UTF-8 (the caller reports it like read_text_checked)."""


def _scopus_header(path: str | Path, data: bytes) -> list[str]:
    """The column names of a Scopus CSV, checked to include :data:`SCOPUS_REQUIRED`."""
    import csv

    head = data[:65536]
    try:
        head = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut in half at the end
            raise InvalidUTF8() from None
        head = head[: exc.start].decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(head, newline="")), [])
    missing = [c for c in SCOPUS_REQUIRED if c not in header]
    if missing:
        raise InputError(
            path,
            f"not a Scopus CSV export: column(s) {', '.join(missing)} missing; add the column, or export again "
            "from Scopus with that field selected",
            1,
        )
    return header


def _scopus_table(path: str | Path, data: bytes, header: list[str]) -> pd.DataFrame:
    """The used columns of a Scopus CSV as strings, read by pyarrow (ragged funding rows: slow path)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    buf = pa.py_buffer(data)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(buf),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            # large_string: what pandas keeps (no copy); an empty field is read as missing
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.large_string() for c in header},
                strings_can_be_null=True,
                null_values=[""],
                include_columns=[c for c in SCOPUS_USED if c in header],
            ),
        )
    except pa.ArrowInvalid as exc:
        if "invalid utf8" in str(exc).lower().replace("-", ""):
            raise InvalidUTF8() from None
        funding = [i for i, c in enumerate(header) if c.startswith("Funding Text")]
        if "columns" in str(exc) and funding:
            table = None
        else:
            try:
                line, what = _csv_problem(data)
            except UnicodeDecodeError:  # pyarrow stopped at something else before the bad bytes
                raise InvalidUTF8() from None
            raise InputError(path, what or f"malformed CSV: {exc}", line) from None
    if table is None:
        return _scopus_ragged(path, data, header, funding[-1])
    df = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    del table
    return df


def _scopus_raw(df: pd.DataFrame) -> pd.DataFrame:
    """Scopus columns -> :data:`RAW_COLUMNS`, column-wise."""
    n = len(df)

    def col(name):
        if name in df.columns:
            s = df[name]
            blank = (s == "").fillna(False)
            return s.mask(blank) if blank.any() else s  # (the fast reader gives no empty strings: no copy)
        return pd.Series(pd.NA, index=df.index, dtype="string")

    authors = _strip_scopus_ids(col("Author full names"))
    short = col("Authors").mask(col("Authors") == "[No author name available]")
    need = authors.isna() & short.notna()
    if need.any():  # no "Author full names" (older exports): "Amstein L.K., Ackermann J." or "A L.K.; B J."
        authors = authors.copy()
        authors[need] = [_scopus_short_authors(v) for v in short[need].tolist()]
    abstract = col("Abstract").mask(col("Abstract") == "[No abstract available]")
    ak, ik = col("Author Keywords"), col("Index Keywords")
    keywords = (ak + "; " + ik).fillna(ak).fillna(ik)
    start, end, artno = col("Page start"), col("Page end"), col("Art. No.")
    pages = (start + "-" + end).where(start != end, start).fillna(start).fillna(end).fillna(artno)
    out = pd.DataFrame(
        {
            "citation_key": pd.Series(pd.NA, index=df.index, dtype="string"),
            "src_id": col("EID"),
            "doi": col("DOI"),
            "title": col("Title"),
            "year": col("Year"),
            "authors": authors,
            "source_title": col("Source title"),
            "entry_type": col("Document Type"),
            "abstract": abstract,
            "keywords": keywords,
            "volume": col("Volume"),
            "issue": col("Issue"),
            "pages": pages,
            "url": col("Link"),
            "publisher": col("Publisher"),
            "language": col("Language of Original Document"),
            "sourcetype": pd.Series(pd.NA, index=df.index, dtype="string"),
            "sourcecategory": pd.Series(pd.NA, index=df.index, dtype="string"),
            "inreflist": pd.Series(pd.NA, index=df.index, dtype="string"),
            "_entry": pd.Series(range(1, n + 1), index=df.index).astype("string"),
            "_line": pd.Series(pd.NA, index=df.index, dtype="Int64"),
        }
    )
    return out[RAW_COLUMNS]


def read_scopus(path: str | Path, data: bytes) -> pd.DataFrame:
    """Read a Scopus CSV export column-wise (no per-row Python)."""
    header = _scopus_header(path, data)
    return _scopus_raw(_scopus_table(path, data, header))


def _scopus_short_authors(value: str) -> str | None:
    sep = ";" if ";" in value else ","
    return "; ".join(n for n in (split_name(x) for x in value.split(sep)) if n) or None


def _scopus_ragged(path, data: bytes, header: list[str], last_funding: int) -> pd.DataFrame:
    """Rows with more fields than the header (slow path, only for such files).

    Scopus writes as many "Funding Text N" fields as a record has funding texts, but the
    header names only as many as the first records have: the extra fields of a longer
    row sit right after the last named "Funding Text" column. They are joined to it, so
    the columns after it line up again. Any other ragged row is an error.
    """
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    used = [i for i, c in enumerate(header) if c in SCOPUS_USED]
    rows = []
    start = reader.line_num + 1
    for row in reader:
        if not row:
            start = reader.line_num + 1
            continue
        extra = len(row) - len(header)
        if extra > 0:
            k = last_funding + 1
            row = row[: k - 1] + ["; ".join(x for x in row[k - 1 : k + extra] if x)] + row[k + extra :]
        elif extra < 0:
            raise InputError(
                path,
                f"malformed CSV row: {len(row)} fields, the header has {len(header)}; export the file again",
                start,
            )
        rows.append([row[i] for i in used])
        start = reader.line_num + 1
    return pd.DataFrame(rows, columns=[header[i] for i in used], dtype="string")


def _csv_problem(data: bytes) -> tuple[int | None, str | None]:
    """Find the first row whose field count differs from the header (error path only)."""
    import csv

    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        header = next(reader)
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != len(header):
                return start, (
                    f"malformed CSV row: {len(row)} fields, the header has {len(header)}; "
                    "check this row for an unquoted comma or quote, or export the file again"
                )
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc) or "unexpected end" in str(exc):
            return (
                start,
                "a quoted field that starts in this row is never closed (file truncated?); export the file again",
            )
        return reader.line_num, f"malformed CSV: {exc}; export the file again"
    return None, None


# ----------------------------------------------------------------------------------
# Web of Science plain text

_WOS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_WOS_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1", "C3", "EM", "RI", "OI"}
_WOS_DT_TYPES = {"J": "JOUR", "B": "BOOK", "S": "SER", "P": "PAT", "C": "CONF"}


def read_wos(path: str | Path, text: str) -> pd.DataFrame:
    lines = text.split("\n")
    rows = []
    rec: dict[str, list[str]] | None = None
    rec_line = 0
    last_tag = None
    seen_ef = False
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if seen_ef:
            raise InputError(
                path,
                "text after the EF (end of file) line; two exports joined into one? import them as separate files",
                n,
            )
        if line.startswith("   ") or line.startswith("\t"):
            if rec is None or last_tag is None:
                raise InputError(path, "continuation line outside a record", n)
            value = line.strip()
            if last_tag in _WOS_LIST_TAGS:
                rec[last_tag].append(value)
            else:
                rec[last_tag][-1] += " " + value
            continue
        m = _WOS_TAG_RE.match(line)
        if m is None:
            raise InputError(path, "expected a two-letter field tag or an indented continuation line", n)
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag in ("FN", "VR"):
            if rec is not None:
                raise InputError(path, f"{tag} header inside a record", n)
            continue
        if tag == "EF":
            if rec is not None:
                raise InputError(path, f"record starting on line {rec_line} has no ER line before EF", n)
            seen_ef = True
            continue
        if tag == "PT":
            if rec is not None:
                raise InputError(path, f"record starting on line {rec_line} has no ER line before the next PT", n)
            rec, rec_line, last_tag = {"PT": [value]}, n, "PT"
            continue
        if rec is None:
            raise InputError(path, f"field {tag} outside a record (records start with PT)", n)
        if tag == "ER":
            rows.append(_wos_row(rec, len(rows) + 1, rec_line))
            rec, last_tag = None, None
            continue
        rec.setdefault(tag, []).append(value)
        last_tag = tag
    if rec is not None:
        raise InputError(path, "record is not closed by an ER line (file truncated?)", rec_line)
    return raw_frame(rows)


def read_wos_tab(path: str | Path, text: str) -> pd.DataFrame:
    """Web of Science tab-delimited export: a header of tags, then one record per line."""
    lines = text.split("\n")
    header = [h.strip() for h in lines[0].split("\t")]
    while header and not header[-1]:
        header.pop()
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < len(header) or any(f.strip() for f in fields[len(header) :]):
            raise InputError(
                path,
                f"{len(fields)} tab-separated fields, the header has {len(header)} "
                "(a line cut short, or a tab or line break inside a field?)",
                n,
            )
        rec = {}
        for tag, value in zip(header, fields[: len(header)], strict=True):
            value = value.strip()
            if value:
                # a field the plain-text export puts one value per line is joined with "; " here
                rec[tag] = [v.strip() for v in value.split(";") if v.strip()] if tag in _WOS_LIST_TAGS else [value]
        rows.append(_wos_row(rec, len(rows) + 1, n))
    return raw_frame(rows)


def _wos_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    def one(tag):
        values = rec.get(tag)
        return " ".join(values) if values else None

    names = rec.get("AF") or rec.get("AU") or []
    names = names + [g for g in rec.get("CA", []) + rec.get("GP", [])]
    dt = one("DT")
    return {
        "citation_key": None,
        "src_id": one("UT"),
        "doi": one("DI"),
        "title": one("TI"),
        "year": one("PY") or one("EA"),
        "authors": "; ".join(split_name(a) or a for a in names) or None,
        "source_title": one("SO"),
        "entry_type": dt.split(";")[0].strip() if dt else _WOS_DT_TYPES.get(one("PT") or ""),
        "abstract": one("AB"),
        "keywords": "; ".join(x for x in (one("DE"), one("ID")) if x) or None,
        "volume": one("VL"),
        "issue": one("IS"),
        "pages": _pages(one("BP"), one("EP")) or one("AR"),
        "url": None,
        "publisher": one("PU"),
        "language": one("LA"),
        "_entry": str(i),
        "_line": line,
    }


def _more(name):
    def reader(path, text):
        from revalign.bibliography import readers_more as m

        if name in m.TABLES:
            return m.read_table(name, path, text)
        return {
            "medline": m.read_medline,
            "pubmed_xml": m.read_pubmed_xml,
            "refer": m.read_refer,
            "openalex_json": m.read_openalex_json,
            "pop_json": m.read_pop_json,
            "endnote_xml": m.read_endnote_xml,
        }[name](path, text)

    return reader


READERS = {"bibtex": read_bibtex, "ris": read_ris, "csljson": read_csljson, "wos": read_wos, "wos_tab": read_wos_tab}
READERS.update({f: _more(f) for f in FORMATS if f not in READERS and f != "scopus"})


def _strip_scopus_ids(s: pd.Series) -> pd.Series:
    """``'Smith, Ann (57190000003); Lee, Kim (57190000004)'`` -> ``'Smith, Ann; Lee, Kim'`` (pyarrow kernel)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.astype("string[pyarrow]"))
    out = pc.replace_substring_regex(arr, r"\s*\([0-9]+\)", "")
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out.cast(pa.large_string())])), index=s.index)
