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
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from pathlib import Path

import pandas as pd

from revalign.bibliography.normalise import is_blank, split_name
from revalign.core.errors import InputError

FORMATS = ("bibtex", "ris", "csljson", "scopus", "wos")
FORMAT_NAMES = {
    "bibtex": "BibTeX (.bib)",
    "ris": "RIS (.ris)",
    "csljson": "CSL-JSON (.json)",
    "scopus": "Scopus CSV (.csv)",
    "wos": "Web of Science plain text (.txt)",
}

RAW_COLUMNS = [
    "citation_key", "src_id", "doi", "title", "year", "authors", "source_title", "entry_type",
    "abstract", "keywords", "volume", "issue", "pages", "url", "publisher", "language",
    "sourcetype", "sourcecategory", "inreflist", "_entry", "_line",
]  # fmt: skip


def supported_formats_text() -> str:
    return ", ".join(FORMAT_NAMES[f] for f in FORMATS)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(rows, columns=RAW_COLUMNS)
    for col in RAW_COLUMNS:
        if col != "_line":
            df[col] = df[col].astype("string")
    df["_line"] = df["_line"].astype("Int64")
    return df


def _pages(start, end) -> str | None:
    start = None if is_blank(start) else str(start).strip()
    end = None if is_blank(end) else str(end).strip()
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


# ----------------------------------------------------------------------------------
# Detection


_BIBTEX_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_TY_RE = re.compile(r"^TY  -", re.MULTILINE)
_WOS_RE = re.compile(r"^(?:FN |PT [A-Z]\s*$)", re.MULTILINE)


def detect_format(path: str | Path, head: str) -> str:
    """Name the format of a file from the start of its text (BOM already removed)."""
    stripped = head.lstrip()
    if not stripped:
        raise InputError(path, "file is empty; export the references again, or leave this file out")
    if stripped.startswith("FN ") or re.match(r"PT [A-Z]\s*\n", stripped):
        return "wos"
    if _RIS_TY_RE.search(head):
        return "ris"
    if stripped[0] in "[{":
        return "csljson"
    first_line = stripped.split("\n", 1)[0]
    try:
        header = {f.strip() for f in next(csv.reader([first_line]), [])}
    except csv.Error:
        header = set()
    if header & {"EID", "Source title"} and header & {"Title", "Authors", "Author full names", "DOI"}:
        return "scopus"
    if _BIBTEX_RE.search(head):
        return "bibtex"
    raise InputError(
        path, f"cannot tell the format of this file; supported formats are {supported_formats_text()}"
        " (use --format to force one)",
    )


# ----------------------------------------------------------------------------------
# BibTeX


_BIB_TYPE_FIELDS = ("journal", "journaltitle", "booktitle")
_BIB_REPORT_TYPES = {"techreport", "report"}


def _bib_field(fields: dict, *names):
    for name in names:
        value = fields.get(name)
        if not is_blank(value):
            return value
    return None


def read_bibtex(path: str | Path, text: str) -> pd.DataFrame:
    import bibtexparser
    from bibtexparser import middlewares as mw
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock
    from pylatexenc.latex2text import LatexNodes2Text

    # bibtexparser logs a warning for each broken block (a second stderr line in the CLI);
    # the InputError below reports the same problem, so its log is silenced while parsing.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # setLevel (not .level =) also clears the logging cache
    try:
        lib = bibtexparser.parse_string(
            text, append_middleware=[mw.SeparateCoAuthors(), mw.SplitNameParts(), mw.LatexDecodingMiddleware()]
        )
    finally:
        logger.setLevel(level)
    failed = sorted(lib.failed_blocks, key=lambda b: b.start_line or 0)
    for block in failed:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = (block.previous_block.start_line or 0) + 1
            raise InputError(path, f"duplicate citation key '{block.key}' (lines {first} and {line})", line)
        if isinstance(block, DuplicateFieldKeyBlock):
            fields = ", ".join(sorted(block.duplicate_keys))
            raise InputError(path, f"entry '{block.key}' has the field(s) {fields} more than once", line)
        raw = getattr(block, "raw", "") or ""
        m = re.match(r"\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", raw)
        what = f"@{m.group(1)} entry '{m.group(2)}'" if m else "entry"
        if isinstance(block, ParsingFailedBlock):
            raise InputError(path, f"malformed {what}: unbalanced braces or quotes, or a missing comma", line)
        raise InputError(path, f"cannot read {what}: {getattr(block, 'error', 'unknown error')}", line)

    decoder = LatexNodes2Text()

    def name_part(parts) -> str:
        return " ".join(decoder.latex_to_text(p) for p in parts).strip()

    rows = []
    for entry in lib.entries:
        fields = {f.key.lower(): f.value for f in entry.fields}
        authors = fields.get("author")
        names = []
        if isinstance(authors, list):
            for np_ in authors:
                family = " ".join(x for x in (name_part(np_.von), name_part(np_.last)) if x)
                if np_.jr:
                    family = f"{family} {name_part(np_.jr)}"
                given = name_part(np_.first)
                names.append(f"{family}, {given}" if given else family)
        etype = entry.entry_type.lower()
        source = _bib_field(fields, *_BIB_TYPE_FIELDS)
        if source is None and etype in _BIB_REPORT_TYPES:
            source = _bib_field(fields, "institution")
        keywords = fields.get("keywords")
        if not is_blank(keywords):
            keywords = "; ".join(k.strip() for k in re.split(r"[;,]", keywords) if k.strip())
        rows.append(
            {
                "citation_key": entry.key,
                "src_id": entry.key,
                "doi": fields.get("doi"),
                "title": fields.get("title"),
                "year": _bib_field(fields, "year", "date"),
                "authors": "; ".join(names) if names else None,
                "source_title": source,
                "entry_type": etype,
                "abstract": fields.get("abstract"),
                "keywords": keywords,
                "volume": fields.get("volume"),
                "issue": _bib_field(fields, "number", "issue"),
                "pages": (fields.get("pages") or "").replace("–", "-").replace("--", "-") or None,
                "url": fields.get("url"),
                "publisher": _bib_field(fields, "publisher", "institution", "organization", "school"),
                "language": _bib_field(fields, "langid", "language"),
                "sourcetype": fields.get("sourcetype"),
                "sourcecategory": fields.get("sourcecategory"),
                "inreflist": fields.get("inreflist"),
                "_entry": entry.key,
                "_line": (entry.start_line or 0) + 1,
            }
        )
    return _frame(rows)


# ----------------------------------------------------------------------------------
# RIS

_RIS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _check_ris(path, text: str) -> list[int]:
    """Line numbers of each record's ``TY`` line; InputError on broken structure."""
    starts: list[int] = []
    open_line = None
    for n, line in enumerate(text.split("\n"), start=1):
        m = _RIS_TAG_RE.match(line.rstrip())
        if m is None:
            if open_line is None and line.strip() and starts:
                raise InputError(path, "text outside a record (each record starts with 'TY  - ')", n)
            # a continuation line inside a record, a blank line between records, or a
            # provider's preamble before the first record ("Provider: ...", "Content: ...")
            continue
        tag = m.group(1)
        if tag == "TY":
            if open_line is not None:
                raise InputError(path, f"record starting on line {open_line} has no 'ER  - ' line before the next 'TY  - '", n)
            if not (m.group(2) or "").strip():
                raise InputError(path, "'TY  - ' without a reference type", n)
            open_line = n
            starts.append(n)
        elif tag == "ER":
            if open_line is None:
                raise InputError(path, "'ER  - ' without a record before it", n)
            open_line = None
        elif open_line is None:
            raise InputError(path, f"tag {tag} outside a record (each record starts with 'TY  - ')", n)
    if open_line is not None:
        raise InputError(path, "record is not closed by an 'ER  - ' line (file truncated?)", open_line)
    return starts


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

    starts = _check_ris(path, text)
    try:
        records = rispy.loads(text)
    except Exception as exc:  # rispy's ParseError and friends
        raise InputError(path, f"malformed RIS: {exc}") from None
    if len(records) != len(starts):  # pragma: no cover - _check_ris should catch this
        raise InputError(path, f"found {len(starts)} 'TY  - ' lines but rispy read {len(records)} records")
    rows = []
    for i, (rec, line) in enumerate(zip(records, starts), start=1):
        names = [split_name(a) for a in (rec.get("authors") or []) + (rec.get("first_authors") or [])]
        keywords = rec.get("keywords") or []
        rows.append(
            {
                "citation_key": None,
                "src_id": _first(rec, "id"),
                "doi": _first(rec, "doi"),
                "title": _first(rec, "title", "primary_title"),
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
    return _frame(rows)


# ----------------------------------------------------------------------------------
# CSL-JSON


def _json_line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_error(path, text: str, exc: json.JSONDecodeError) -> InputError:
    if not text[exc.pos :].strip() or (exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1 :]):
        return InputError(path, "invalid JSON: the file ends inside an item (truncated?); export it again", exc.lineno)
    return InputError(path, f"invalid JSON: {exc.msg}", exc.lineno)


MAX_JSON_DIGITS = 100  # digits of a JSON integer (years, volumes, pages need a handful)


class _BigNumber(ValueError):
    pass


def _parse_int(digits: str) -> int:
    if len(digits) > MAX_JSON_DIGITS:
        raise _BigNumber(digits)
    return int(digits)


def _raw_decode(path, text: str, decoder, pos: int):
    """decoder.raw_decode, with nesting too deep and huge numbers as one-line errors."""
    try:
        return decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise _json_error(path, text, exc) from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply to be a CSL-JSON item", _json_line(text, pos)) from None
    except _BigNumber:
        m = re.compile(r"\d{%d,}" % (MAX_JSON_DIGITS + 1)).search(text, pos)
        line = _json_line(text, m.start() if m else pos)
        raise InputError(path, f"a number with more than {MAX_JSON_DIGITS} digits; is this a CSL-JSON export?",
                         line) from None


def _iter_json_array(path, text: str):
    """Yield (item, start offset) of each element of the top-level JSON array."""
    decoder = json.JSONDecoder(parse_int=_parse_int)
    ws = re.compile(r"\s*")
    pos = ws.match(text, 0).end()
    if text.startswith("{", pos):
        item, end = _raw_decode(path, text, decoder, pos)
        if ws.match(text, end).end() != len(text):
            raise InputError(path, "invalid JSON: extra data after the object", _json_line(text, end))
        yield item, pos
        return
    if not text.startswith("[", pos):
        raise InputError(path, "not CSL-JSON: expected an array of items", _json_line(text, pos))
    pos = ws.match(text, pos + 1).end()
    if text.startswith("]", pos):
        return
    while True:
        item, end = _raw_decode(path, text, decoder, pos)
        yield item, pos
        pos = ws.match(text, end).end()
        if text.startswith(",", pos):
            pos = ws.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            pos = ws.match(text, pos + 1).end()
            if pos != len(text):
                raise InputError(path, "invalid JSON: extra data after the array", _json_line(text, pos))
            return
        else:
            raise InputError(path, "invalid JSON: expected ',' or ']' between items", _json_line(text, pos))


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


def read_csljson(path: str | Path, text: str) -> pd.DataFrame:
    rows = []
    for i, (item, pos) in enumerate(_iter_json_array(path, text), start=1):
        line = _json_line(text, pos)
        if not isinstance(item, dict):
            raise InputError(path, f"item {i} is not a JSON object", line)
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
        src_id = item.get("id")
        src_id = None if src_id is None else str(src_id)
        key = item.get("citation-key") or item.get("citation_key")
        if key is None and src_id and not re.search(r"[/:\s]", src_id):
            key = src_id  # Better BibTeX writes the citation key as the id; Zotero writes an item URI
        keywords = item.get("keyword")
        if isinstance(keywords, list):
            keywords = "; ".join(map(str, keywords))
        elif isinstance(keywords, str):
            keywords = "; ".join(k.strip() for k in re.split(r"[;,]", keywords) if k.strip())
        rows.append(
            {
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
        )
    for row in rows:
        for k, v in row.items():
            if v is not None and not isinstance(v, str) and k != "_line":
                row[k] = str(v)
    return _frame(rows)


# ----------------------------------------------------------------------------------
# Scopus CSV

SCOPUS_REQUIRED = ("Title",)
SCOPUS_USED = (
    "Authors", "Author full names", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
    "Page start", "Page end", "DOI", "Link", "Abstract", "Author Keywords", "Index Keywords", "Publisher",
    "Language of Original Document", "Document Type", "EID",
)  # fmt: skip


class InvalidUTF8(Exception):
    """pyarrow found bytes that are not UTF-8 (the caller reports it like read_text_checked)."""


def read_scopus(path: str | Path, data: bytes) -> pd.DataFrame:
    """Read a Scopus CSV export column-wise (no per-row Python)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    import csv

    buf = pa.py_buffer(data)
    head = data[:65536].decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(head, newline="")), [])
    missing = [c for c in SCOPUS_REQUIRED if c not in header]
    if missing:
        raise InputError(
            path,
            f"not a Scopus CSV export: column(s) {', '.join(missing)} missing; add the column, or export again "
            "from Scopus with that field selected",
            1,
        )
    try:
        table = pacsv.read_csv(
            pa.BufferReader(buf),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                include_columns=[c for c in SCOPUS_USED if c in header],
            ),
        )
    except pa.ArrowInvalid as exc:
        if "invalid utf8" in str(exc).lower().replace("-", ""):
            raise InvalidUTF8() from None
        try:
            line, what = _csv_problem(data)
        except UnicodeDecodeError:  # pyarrow stopped at something else before the bad bytes
            raise InvalidUTF8() from None
        raise InputError(path, what or f"malformed CSV: {exc}", line) from None
    n = table.num_rows
    df = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    del table

    def col(name):
        if name in df.columns:
            s = df[name]
            return s.mask(s == "")
        return pd.Series(pd.NA, index=df.index, dtype="string")

    authors = _strip_scopus_ids(col("Author full names"))
    authors = authors.fillna(col("Authors").mask(col("Authors") == "[No author name available]"))
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
            return start, "a quoted field that starts in this row is never closed (file truncated?); export the file again"
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
                path, "text after the EF (end of file) line; two exports joined into one? import them as separate files", n
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
    return _frame(rows)


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


READERS = {"bibtex": read_bibtex, "ris": read_ris, "csljson": read_csljson, "wos": read_wos}


def _strip_scopus_ids(s: pd.Series) -> pd.Series:
    """``'Smith, Ann (57190000003); Lee, Kim (57190000004)'`` -> ``'Smith, Ann; Lee, Kim'`` (pyarrow kernel)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.astype("string[pyarrow]"))
    out = pc.replace_substring_regex(arr, r"\s*\([0-9]+\)", "")
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out.cast(pa.large_string())])), index=s.index)
