"""Tagged-text exports: one field per line, a tag at the start of each line.

- ``ris``: RIS (EndNote, Zotero, Scopus, Mendeley, Ovid, JSTOR), parsed with rispy after a
  structural check (every ``TY  -`` closed by ``ER  -``) that rispy does not do.
- ``wos``: Web of Science "Plain text file" (``FN``/``VR`` header, two-letter tags,
  continuation lines indented three spaces, ``ER`` after each record, ``EF`` at end).
- ``wos_tab``: Web of Science "Tab delimited file": the same two-letter tags as a header
  line, then one record per line, fields split by tabs and never quoted (titles keep
  their ``"``), a spurious tab at the end of each record. Windows exports are often
  UTF-16; the importer converts them. Splitting a line on tabs is all it takes, and the
  fields then go through the plain-text reader's mapping.
- ``medline``: PubMed / MEDLINE (``.nbib``, ``.txt``). No maintained Python library reads the
  MEDLINE tagged format without network access (Biopython's ``Medline`` parser would be a
  large dependency for one 40-line format: tag padded to 4 characters, ``- ``, and
  continuation lines indented six spaces).
- ``refer``: EndNote refer (``%T``/``%A`` lines, what EndNote's "Refer/BibIX" and many
  library portals export as ``.enw``/``.txt``): written here for the same reason.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from revalign.bibliography.names import names_field, organisations_field
from revalign.bibliography.normalise import is_blank
from revalign.bibliography.records import page_range as _pages
from revalign.bibliography.records import raw_frame
from revalign.core.errors import InputError

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


def _ris_first(rec: dict, *keys):
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
        keywords = rec.get("keywords") or []
        rows.append(
            {
                "citation_key": None,
                "src_id": _ris_first(rec, "id"),
                "doi": _ris_first(rec, "doi"),
                "title": _ris_first(rec, "title", "primary_title", "short_title"),
                "year": _ris_first(rec, "year", "publication_year", "date"),
                "authors": names_field((rec.get("authors") or []) + (rec.get("first_authors") or [])),
                "source_title": _ris_first(
                    rec, "secondary_title", "journal_name", "alternate_title3", "alternate_title2", "alternate_title1"
                ),
                "entry_type": rec.get("type_of_reference"),
                "abstract": _ris_first(rec, "abstract", "notes_abstract"),
                "keywords": "; ".join(k.strip() for k in keywords if k and k.strip()) or None,
                "volume": _ris_first(rec, "volume"),
                "issue": _ris_first(rec, "number"),
                "pages": _pages(rec.get("start_page"), rec.get("end_page")),
                "url": _ris_first(rec, "urls"),
                "publisher": _ris_first(rec, "publisher"),
                "language": _ris_first(rec, "language"),
                "_entry": str(i),
                "_line": line,
            }
        )
    return raw_frame(rows)


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


def _wos_authors(rec: dict[str, list[str]]) -> str | None:
    """``AF`` (full names, ``Arias Caicedo, Marcela Rocio``) where it has the comma that marks the
    family name, else ``AU`` (``Wang, CY`` where ``AF`` says ``Wang Chen-Yang``); group authors
    (``CA``, ``GP``) are organisations."""
    af, au = rec.get("AF") or [], rec.get("AU") or []
    if af and len(af) == len(au):
        chosen = [f if "," in f else a for f, a in zip(af, au, strict=True)]
    elif af and all("," in f for f in af):
        chosen = af
    else:
        chosen = au or af
    names = [n for n in (names_field([x], "family_first") for x in chosen) if n]
    names += organisations_field(rec.get("CA", []) + rec.get("GP", []))
    return "; ".join(dict.fromkeys(names)) or None


def _wos_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    def one(tag):
        values = rec.get(tag)
        return " ".join(values) if values else None

    dt = one("DT")
    return {
        "citation_key": None,
        "src_id": one("UT"),
        "doi": one("DI"),
        "title": one("TI"),
        "year": one("PY") or one("EA"),
        "authors": _wos_authors(rec),
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


# ----------------------------------------------------------------------------------
# PubMed / MEDLINE tagged text

_MEDLINE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,4}) *- ?(.*)$")


def read_medline(path: str | Path, text: str) -> pd.DataFrame:
    """PubMed "PubMed format" / MEDLINE (``.nbib``, ``.txt``): ``TAG - value`` records separated by a blank line."""

    def field(line: str):
        m = _MEDLINE_TAG_RE.match(line)
        return (m.group(1).strip(), m.group(2).strip()) if m else None

    records = _tagged_records(
        path,
        text,
        field,
        continues=lambda line, open_: line.startswith("      ") or (line.startswith(" ") and open_),
        expected="expected a MEDLINE field ('TAG - value') or an indented continuation line",
    )
    return raw_frame([_medline_row(rec, i, line) for i, (rec, line) in enumerate(records, start=1)])


def _tagged_records(path, text: str, field, continues, expected: str, unmatched_continues: bool = False):
    """The records of a tagged-text export (MEDLINE, refer), in order, as ``({tag: [values]},
    first line)``; a blank line ends a record.

    ``field(line)`` gives ``(tag, value)`` or None; ``continues(line, in_record)`` tells a
    continuation line, which extends the record's last value; with ``unmatched_continues``
    any line that is not a field does. Anything else is an InputError naming the line.
    """
    rec: dict[str, list[str]] | None = None
    rec_line = 0
    last = None
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            if rec is not None:
                yield rec, rec_line
                rec, last = None, None
            continue
        in_record = rec is not None and last is not None
        continuation = continues(line, in_record)
        tagged = None if continuation else field(line)
        if tagged is None:
            if not in_record:
                raise InputError(path, "continuation line outside a record" if continuation else expected, n)
            if not (continuation or unmatched_continues):
                raise InputError(path, expected, n)
            rec[last][-1] += " " + line.strip()  # a value that runs over several lines
            continue
        tag, value = tagged
        if rec is None:
            rec, rec_line = {}, n
        rec.setdefault(tag, []).append(value)
        last = tag
    if rec is not None:
        yield rec, rec_line


def _first(rec: dict[str, list[str]], *tags: str) -> str | None:
    """The first value of the first of *tags* that a tagged record (MEDLINE, refer) has."""
    for t in tags:
        if rec.get(t):
            return rec[t][0]
    return None


def _medline_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    one = functools.partial(_first, rec)
    doi = None
    for v in rec.get("LID", []) + rec.get("AID", []):
        if v.endswith("[doi]"):
            doi = v[: -len("[doi]")].strip()
            break
        if "doi.org/" in v or v.startswith("10."):
            doi = v
    persons = names_field(rec.get("FAU") or []) or names_field(rec.get("AU") or [], "family_first")
    names = [persons] if persons else []
    names += organisations_field(rec.get("CN", []))
    kw = rec.get("OT", []) + rec.get("MH", [])
    return {
        "citation_key": None,
        "src_id": one("PMID", "OID"),
        "doi": doi,
        "title": one("TI", "BTI"),
        "year": one("DP", "DEP"),
        "authors": "; ".join(names) or None,
        "source_title": one("JT", "TA", "SO"),
        "entry_type": one("PT"),
        "abstract": " ".join(rec.get("AB", [])) or None,
        "keywords": "; ".join(dict.fromkeys(kw)) or None,
        "volume": one("VI"),
        "issue": one("IP"),
        "pages": one("PG"),
        "url": None,
        "publisher": one("PB"),
        "language": one("LA"),
        "_entry": one("PMID", "OID") or str(i),
        "_line": line,
    }


# ----------------------------------------------------------------------------------
# EndNote refer

_REFER_RE = re.compile(r"^%([A-Z0-9@!#$&()*+^|~>\]\[?])(?:\s(.*))?$")
_REFER_TYPES = {
    "journal article": "article",
    "conference paper": "conference paper",
    "book": "book",
    "book section": "book chapter",
    "report": "report",
    "thesis": "thesis",
    "web page": "webpage",
}


def read_refer(path: str | Path, text: str) -> pd.DataFrame:
    """EndNote "Refer/BibIX" export: ``%X value`` lines, records separated by blank lines."""

    def field(line: str):
        m = _REFER_RE.match(line)
        return (m.group(1), (m.group(2) or "").strip()) if m else None

    records = _tagged_records(
        path,
        text,
        field,
        continues=lambda line, in_record: False,
        expected="expected a refer field ('%T title', '%A author', ...)",
        unmatched_continues=True,
    )
    return raw_frame([_refer_row(rec, i, line) for i, (rec, line) in enumerate(records, start=1)])


def _refer_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    one = functools.partial(_first, rec)
    return {
        "citation_key": None,
        "src_id": one("M", "F"),
        "doi": one("R"),
        "title": one("T"),
        "year": one("D"),
        "authors": names_field(rec.get("A", [])),
        "source_title": one("J", "B"),
        "entry_type": one("0"),
        "abstract": " ".join(rec.get("X", [])) or None,
        "keywords": "; ".join(k.strip() for v in rec.get("K", []) for k in re.split(r"[;\n]", v) if k.strip()) or None,
        "volume": one("V"),
        "issue": one("N"),
        "pages": one("P"),
        "url": one("U"),
        "publisher": one("I"),
        "language": one("G"),
        "_entry": str(i),
        "_line": line,
    }
