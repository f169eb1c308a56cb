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
- ``ovid``, ``refworks``: Ovid's and RefWorks' tagged exports.
- ``cochrane_txt``: the Cochrane Library's plain-text export (``Record #1 of N``, ``ID: ``,
  ``AU: `` lines; ``citation-export.txt``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from revalign.bibliography.doctypes import main_type
from revalign.bibliography.names import names_field, organisations_field, split_name
from revalign.bibliography.normalise import is_blank
from revalign.bibliography.records import Problems, raw_frame
from revalign.bibliography.records import page_range as _pages
from revalign.core.errors import InputError

# ----------------------------------------------------------------------------------
# RIS

# a tag line; one space before the dash is accepted too (some exports write "TY - JOUR")
_RIS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


# Between records, databases write: a provider header before each record (JSTOR:
# "Provider: ...", "Database: ...", "Content: ..."), a record counter ("Record #2 of 20"), a
# record number ("1.") and a link line ("Link to the Ovid Full Text or citation: ...") and an
# NL tag after ER (Ovid). Anything else between records is skipped with a warning (it is
# usually a record that lost its TY line).
_RIS_BETWEEN_RE = re.compile(r"^(?:[A-Z][A-Za-z ]{0,40}:\s.*|\d+\.\s*|Record #?\d+(?: of \d+)?)$")
_RIS_TAGS_AFTER_ER = {"NL"}
_RIS_LIST_TAGS = ["A1", "A2", "A3", "A4", "AU", "KW", "N1", "UR", "L1", "L2", "L3", "L4", "LK", "ED", "M3", "DO"]


def _ris_records(path, text: str, problems: Problems) -> list[tuple[int, list[str]]]:
    """The records of a RIS text as ``(line of TY, [tag lines])``, in two-space form.

    What is broken is repaired or skipped and said in *problems*: a record with no ``ER``
    ends at the next ``TY`` (or the end of the file); ``TY`` without a type is read as a
    generic record; fields outside any record (a record that lost its ``TY`` line) and
    other text between records are skipped, naming their lines.
    """
    records: list[tuple[int, list[str]]] = []
    cur: list[str] | None = None
    start = 0
    stray: list[int] = []  # lines of a run of fields outside a record

    def flush_stray():
        if stray:
            problems.skip(
                stray[0],
                f"lines {stray[0]}-{stray[-1]}",
                "fields outside a record (no 'TY  - ' line before them)",
            )
            stray.clear()
            stray_lines.clear()

    stray_lines: list[str] = []  # the tag lines of a run of stray fields

    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        m = _RIS_TAG_RE.match(line)
        if m is None:
            if cur is not None:
                if line.strip():
                    cur.append(line)  # a value that runs over several lines
                continue
            if line.strip() and records and not _RIS_BETWEEN_RE.match(line.strip()):
                stray.append(n)
            elif not line.strip():
                flush_stray()
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        line = f"{tag}  - {value}" if value else f"{tag}  - "
        if tag == "TY":
            flush_stray()
            if cur is not None:
                problems.repair(start, f"record {len(records) + 1} has no 'ER  - ' line; it ends before line {n}")
                records.append((start, [*cur, "ER  - "]))
            if not value:
                problems.repair(n, f"record {len(records) + 1}: 'TY  - ' without a reference type; read as GEN")
                line = "TY  - GEN"
            cur, start = [line], n
        elif tag == "ER":
            if cur is None:
                if stray and any(ln.startswith(("TI  -", "T1  -")) for ln in stray_lines):
                    # a record without its TY line (CiteSource's RIS writes none): read as GEN
                    problems.repair(stray[0], f"record {len(records) + 1} has no 'TY  - ' line; read as GEN")
                    records.append((stray[0], ["TY  - GEN", *stray_lines, "ER  - "]))
                    stray.clear()
                    stray_lines.clear()
                elif stray:
                    stray.append(n)
                    flush_stray()
                else:
                    problems.repair(n, "'ER  - ' without a record before it; ignored")
                continue
            cur.append("ER  - ")
            records.append((start, cur))
            cur = None
        elif cur is None:
            if tag in _RIS_TAGS_AFTER_ER and records:
                continue
            stray.append(n)
            stray_lines.append(line)
        else:
            cur.append(line)
    flush_stray()
    if cur is not None:
        problems.repair(start, f"record {len(records) + 1} is not closed by an 'ER  - ' line (file truncated?)")
        records.append((start, [*cur, "ER  - "]))
    return records


def _ris_first(rec: dict, *keys):
    for key in keys:
        value = rec.get(key)
        if isinstance(value, list):
            value = next((v for v in value if not is_blank(v)), None)
        if not is_blank(value):
            return value
    return None


_DOI_IN_TEXT_RE = re.compile(r"(?:^|electronic-resource-num:\s*)(10\.\d{4,9}/\S+?)(?:<br/>|\s|$)")
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)


def _ris_doi(rec: dict) -> str | None:
    """``DO``; else a doi.org URL in ``L2``, ``UR``, ``L1``, ``LK`` (Lens and Dimensions give the
    DOI only so); else a DOI that is the whole ``M3`` (EndNote) or follows
    ``electronic-resource-num:`` in a note (Zotero's RIS of an EndNote library)."""
    doi = _ris_first(rec, "doi")
    if doi:
        return doi
    other = rec.get("unknown_tag") or {}
    for key in ("file_attachments2", "urls", "file_attachments1"):
        for value in rec.get(key) or []:
            m = _DOI_URL_RE.match(value.strip())
            if m:
                return m.group(1)
    for value in other.get("LK", []) + other.get("L3", []):
        m = _DOI_URL_RE.match(value.strip())
        if m:
            return m.group(1)
    for value in (rec.get("type_of_work") or []) + (rec.get("notes") or []):
        m = _DOI_IN_TEXT_RE.search(value.strip())
        if m and (value.strip().startswith("10.") or "electronic-resource-num" in value):
            return m.group(1)
    return None


def _parse_ris(records: list[tuple[int, list[str]]], problems: Problems) -> list[tuple[int, int, dict, list[str]]]:
    """rispy on all records at once; if it fails, record by record, skipping the ones it refuses."""
    import rispy

    kwargs = {"list_tags": _RIS_LIST_TAGS}
    text = "\n".join("\n".join(lines) for _, lines in records) + "\n"
    try:
        parsed = rispy.loads(text, **kwargs)
        if len(parsed) == len(records):
            return [
                (i, line, rec, lines)
                for i, ((line, lines), rec) in enumerate(zip(records, parsed, strict=True), start=1)
            ]
    except Exception:  # rispy's ParseError and friends: find the record
        pass
    out = []
    for i, (line, lines) in enumerate(records, start=1):
        try:
            (rec,) = rispy.loads("\n".join(lines) + "\n", **kwargs)
        except Exception as exc:
            problems.skip(line, f"record {i}", f"not readable as RIS ({exc})")
            continue
        out.append((i, line, rec, lines))
    return out


def ris_records(path: str | Path, text: str, strict: bool = True) -> list[tuple[int, dict]]:
    """The records of a RIS text as ``(line of TY, rispy's dict)``, for other stages that read
    RIS (the screening stage reads decisions from Rayyan's and ASReview's notes). With
    *strict* the first record that needs a repair or is skipped is an InputError naming its line."""
    problems = Problems(path)
    records = _parse_ris(_ris_records(path, text, problems), problems)
    if strict and (problems.skipped or problems.repaired):
        first = min(
            [{"line": sk["line"], "reason": f"{sk['entry']}: {sk['reason']}"} for sk in problems.skipped]
            + problems.repaired,
            key=lambda p: p["line"] or 0,
        )
        raise InputError(path, first["reason"], first["line"])
    return [(line, rec) for _, line, rec, _ in records]


def read_ris(path: str | Path, text: str) -> pd.DataFrame:
    problems = Problems(path)
    records = _parse_ris(_ris_records(path, text, problems), problems)
    rows = []
    for i, line, rec, lines in records:
        keywords = rec.get("keywords") or []
        # AU and A1 in the order the file gives them (rispy keeps them apart): Web of Science
        # writes a group author as A1 after the persons' AU lines, others write A1 first
        persons = [ln[6:].strip() for ln in lines if ln.startswith(("AU  - ", "A1  - ")) and ln[6:].strip()]
        editors = (rec.get("unknown_tag") or {}).get("ED", [])
        if (rec.get("type_of_reference") or "").upper() in ("BOOK", "EDBOOK", "CHAP", "ECHAP", "CONF"):
            editors = editors + (rec.get("secondary_authors") or [])
        rows.append(
            {
                "citation_key": None,
                "src_id": _ris_first(rec, "id"),
                "doi": _ris_doi(rec),
                "title": _ris_first(rec, "title", "primary_title", "short_title"),
                "year": _ris_first(rec, "year", "publication_year", "date"),
                "authors": names_field(persons),
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
                "editors": names_field(editors),
                "_entry": str(i),
                "_line": line,
            }
        )
    return problems.attach(raw_frame(rows))


# ----------------------------------------------------------------------------------
# Web of Science plain text

_WOS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_WOS_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1", "C3", "EM", "RI", "OI"}
_WOS_DT_TYPES = {"J": "JOUR", "B": "BOOK", "S": "SER", "P": "PAT", "C": "CONF"}


def read_wos(path: str | Path, text: str) -> pd.DataFrame:
    """Web of Science plain text. A record without its ``ER`` line ends at the next ``PT`` (or
    ``EF``, or the end of the file); a line that is neither a tag nor indented is read as part of
    the value before it (Zotero's reader does the same); fields outside a record are skipped.
    Each of these is said in the warnings (``--strict`` refuses instead)."""
    problems = Problems(path)
    rows = []
    rec: dict[str, list[str]] | None = None
    rec_line = 0
    last_tag = None
    seen_ef = False
    stray: list[int] = []

    def close(n: int | None, why: str) -> None:
        nonlocal rec, last_tag
        if why:
            problems.repair(rec_line, f"record {len(rows) + 1} {why}")
        rows.append(_wos_row(rec, len(rows) + 1, rec_line))
        rec, last_tag = None, None

    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if seen_ef:
            raise InputError(
                path,
                "text after the EF (end of file) line; two exports joined into one? import them as separate files",
                n,
            )
        m = _WOS_TAG_RE.match(line) if not line.startswith(("   ", "\t")) else None
        if m is None:
            if rec is None or last_tag is None:
                stray.append(n)
                continue
            value = line.strip()
            if not line.startswith(("   ", "\t")):
                problems.repair(
                    n,
                    f"record {len(rows) + 1}: a line that is neither a field nor indented; read as part of {last_tag}",
                )
            if last_tag in _WOS_LIST_TAGS:  # one name (address...) per line
                rec[last_tag].append(value)
            else:
                rec[last_tag][-1] += " " + value
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag in ("FN", "VR"):
            if rec is not None:
                close(n, f"has no ER line before the {tag} header on line {n}")
            continue
        if tag == "EF":
            if rec is not None:
                close(n, f"has no ER line before EF (line {n})")
            seen_ef = True
            continue
        if tag == "PT":
            if rec is not None:
                close(n, f"has no ER line before the next PT (line {n})")
            if stray:
                problems.skip(
                    stray[0], f"lines {stray[0]}-{stray[-1]}", "text outside a record (records start with PT)"
                )
                stray = []
            rec, rec_line, last_tag = {"PT": [value]}, n, "PT"
            continue
        if rec is None:
            stray.append(n)
            continue
        if tag == "ER":
            close(n, "")
            continue
        rec.setdefault(tag, []).append(value)
        last_tag = tag
    if rec is not None:
        close(None, "is not closed by an ER line (file truncated?)")
    if stray:
        problems.skip(stray[0], f"lines {stray[0]}-{stray[-1]}", "text outside a record (records start with PT)")
    return problems.attach(raw_frame(rows))


def read_wos_tab(path: str | Path, text: str) -> pd.DataFrame:
    """Web of Science tab-delimited export: a header of tags, then one record per line (a line
    with too few or too many fields is skipped, with a warning)."""
    problems = Problems(path)
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
            problems.skip(
                n,
                f"record {len(rows) + len(problems.skipped) + 1}",
                f"{len(fields)} tab-separated fields, the header has {len(header)} "
                "(a line cut short, or a tab or line break inside a field?)",
            )
            continue
        rec = {}
        for tag, value in zip(header, fields[: len(header)], strict=True):
            value = value.strip()
            if value:
                # a field the plain-text export puts one value per line is joined with "; " here
                rec[tag] = [v.strip() for v in value.split(";") if v.strip()] if tag in _WOS_LIST_TAGS else [value]
        rows.append(_wos_row(rec, len(rows) + len(problems.skipped) + 1, n))
    return problems.attach(raw_frame(rows))


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
        "entry_type": main_type(rec.get("PT", [])) or ("Journal Article" if one("JT", "TA") else None),
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


# ----------------------------------------------------------------------------------
# Ovid tagged ("Ovid" / "Citavi" citation format of Ovid's export, .ovd / .txt)

_OVID_TAG_RE = re.compile(r"^ {0,2}([A-Z][A-Z0-9]{1,3}) {1,2}- ?(.*)$")  # some exports indent every line by one
_OVID_MARK_RE = re.compile(r"^<\s*\d+\.?\s*>\s*$")
# what Ovid writes after a name: affiliation marks ("Zhang, Weijia 1,2,+") and degrees
_OVID_NAME_TAIL_RE = re.compile(
    r"(?:[\s,]+(?:Ph\.?\s?D\.?|M\.?D\.?|MPH|MSc|BSc|MA|BA|MB|RN|FACSM|FRCP|PharmD|DrPH|MS|BS)\b\.?)+[\s,]*$|[0-9,+*\s]+$"
)
_OVID_TITLE_TAIL_RE = re.compile(r"(?:\.\s*)?\[(?:Article|Report|Miscellaneous|References|Review|Editorial)\][.\s]*$")


def is_ovid(head: str) -> bool:
    """Ovid's tagged export: ``<1. >`` record marks, or a ``VN  - Ovid Technologies`` / ``DB  - `` line."""
    lines = [ln for ln in head.split("\n", 30)[:30] if ln.strip()]
    if not lines:
        return False
    if _OVID_MARK_RE.match(lines[0].strip()) and len(lines) > 1 and _OVID_TAG_RE.match(lines[1]):
        return True
    return any(re.match(r"^VN {1,2}- Ovid Technologies", ln) for ln in lines[:4]) or bool(
        re.match(r"^DB {1,2}- \S", lines[0])
    )


def _ovid_name(value: str) -> str:
    """``'Lefkowitz, Rafael Y. MD, MPH 1'`` -> ``'Lefkowitz, Rafael Y.'``; roles in brackets dropped."""
    name = value.split("[", 1)[0]
    while True:
        shorter = _OVID_NAME_TAIL_RE.sub("", name).strip(" ,")
        if shorter == name:
            return name
        name = shorter


def read_ovid(path: str | Path, text: str) -> pd.DataFrame:
    """Ovid's tagged export (MEDLINE, Embase, PsycINFO, BIOSIS... through Ovid): ``TAG - value``
    lines (``TAG  - `` or ``TAG - ``), continuation lines indented; a record starts at a
    ``<n. >`` mark, at ``VN`` or at a second ``DB`` line."""
    recs: list[tuple[dict[str, list[str]], int]] = []
    rec: dict[str, list[str]] | None = None
    last, rec_line = None, 0
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if _OVID_MARK_RE.match(line.strip()):
            if rec:
                recs.append((rec, rec_line))
            rec, rec_line, last = {}, n, None
            continue
        m = _OVID_TAG_RE.match(line)
        if m:
            tag, value = m.group(1), m.group(2).strip()
            if rec is None or (tag == "VN" and rec) or (tag == "DB" and "DB" in rec and "VN" not in rec):
                if rec:
                    recs.append((rec, rec_line))
                rec, rec_line = {}, n
            rec.setdefault(tag, []).append(value)
            last = tag
        elif rec is not None and last is not None:
            rec[last][-1] += " " + line.strip()  # a value over several lines
    if rec:
        recs.append((rec, rec_line))
    return raw_frame([_ovid_row(rec, i, line) for i, (rec, line) in enumerate(recs, start=1)])


def _ovid_source(so: str | None) -> dict:
    """Journal, volume, issue and pages from Ovid's ``SO`` citation, as far as they are plain:
    ``'American Journal Of Industrial Medicine June 2015;58(6):688-696'``."""
    if not so:
        return {}
    out = {}
    m = re.search(r"(\d+)\s*\(([^)]+)\)\s*:\s*([\w-]+)", so)
    if m:
        out["volume"], out["issue"], out["pages"] = m.groups()
    journal = re.split(r"\.\s|;|\s(?:January|February|March|April|May|June|July|August|September|October|November|"
                       r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|Summer|Autumn|Fall|Winter)\b"
                       r"|\s\d", so, maxsplit=1)[0]  # fmt: skip
    out["source_title"] = journal.strip(" ,.") or None
    return out


def _ovid_row(rec: dict[str, list[str]], i: int, line: int) -> dict:
    one = functools.partial(_first, rec)
    persons = rec.get("FA") or [n for v in rec.get("AU", []) for n in v.split(";")]
    title = one("TI")
    if title:
        title = _OVID_TITLE_TAIL_RE.sub("", title).strip()
        if len(title) > 1 and title[0] == '"' and title[-1] == '"':
            title = title[1:-1]
    so = one("SO")
    src = _ovid_source(so)
    doi = None
    for v in rec.get("DI", []) + rec.get("DO", []) + rec.get("DOI", []):
        if "10." in v:
            doi = v
            break
    year = one("YR", "DP", "YE", "PY", "EP") or so
    kws = [k.strip() for v in rec.get("KW", []) + rec.get("MH", []) for k in v.split(";") if k.strip()]
    return {
        "citation_key": None,
        "src_id": one("AN", "UI"),
        "doi": doi,
        "title": title,
        "year": year,
        "authors": names_field(_ovid_name(p) for p in persons),
        "source_title": one("JN", "JT", "JA") or src.get("source_title"),
        "entry_type": one("PT"),
        "abstract": " ".join(rec.get("AB", [])) or None,
        "keywords": "; ".join(dict.fromkeys(k.lstrip("*") for k in kws)) or None,
        "volume": one("VI", "VO") or src.get("volume"),
        "issue": one("IP") or src.get("issue"),
        "pages": one("PG") or src.get("pages"),
        "url": one("UR", "XL"),
        "publisher": one("PB", "PU"),
        "language": one("LG", "LA"),
        "editors": names_field(_ovid_name(p) for v in rec.get("ED", []) for p in v.split(";")),
        "_entry": str(i),
        "_line": line,
    }


# ----------------------------------------------------------------------------------
# RefWorks tagged ("RefWorks Tagged Format", .txt)

_REFWORKS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]) (.*)$")


def is_refworks(head: str) -> bool:
    """RefWorks' tagged export: ``RT Journal Article`` lines (maybe after its tag legend)."""
    s = head.lstrip()
    return s.startswith("Refworks Export Tagged Format") or bool(re.match(r"RT \S", s)) and "\nT1 " in head


def _doi_in_note(notes: list[str]) -> str | None:
    """RefWorks puts the DOI of some records in a note: ``NO doi: 10.1086/374030``."""
    for note in notes:
        m = re.search(r"\bdoi:\s*(10\.\S+)", note, re.IGNORECASE)
        if m:
            return m.group(1)
    return None


def read_refworks(path: str | Path, text: str) -> pd.DataFrame:
    """RefWorks' tagged export: ``TAG value`` lines, a record starting at ``RT``; the tag legend
    some exports write first is skipped."""
    recs: list[tuple[dict[str, list[str]], int]] = []
    rec, last, rec_line = None, None, 0
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            last = None
            continue
        m = _REFWORKS_TAG_RE.match(line)
        if m and m.group(1) == "RT":
            if rec:
                recs.append((rec, rec_line))
            rec, rec_line = {"RT": [m.group(2).strip()]}, n
            last = "RT"
        elif m and rec is not None:
            rec.setdefault(m.group(1), []).append(m.group(2).strip())
            last = m.group(1)
        elif rec is not None and last is not None:
            rec[last][-1] += " " + line.strip()
    if rec:
        recs.append((rec, rec_line))
    rows = []
    for i, (rec, line) in enumerate(recs, start=1):
        one = functools.partial(_first, rec)
        rows.append(
            {
                "citation_key": None,
                "src_id": one("ID", "AN"),
                "doi": one("DO") or _doi_in_note(rec.get("NO", [])),
                "title": one("T1"),
                "year": one("YR", "FD"),
                "authors": names_field(n for v in rec.get("A1", []) for n in v.split(";")),
                "source_title": one("JF", "JO", "JA", "T2"),
                "entry_type": one("RT"),
                "abstract": " ".join(rec.get("AB", [])) or None,
                "keywords": "; ".join(dict.fromkeys(k for v in rec.get("K1", []) for k in v.split(";") if k.strip()))
                or None,
                "volume": one("VO"),
                "issue": one("IS"),
                "pages": _pages(one("SP"), one("OP")),
                "url": one("UL", "LK"),
                "publisher": one("PB"),
                "language": one("LA"),
                "editors": names_field(n for v in rec.get("A2", []) + rec.get("ED", []) for n in v.split(";")),
                "_entry": str(i),
                "_line": line,
            }
        )
    return raw_frame(rows)


# ----------------------------------------------------------------------------------
# Cochrane Library plain text ("Export selected citations" > Plain text, citation-export.txt)

_COCHRANE_HEAD_RE = re.compile(r"^Record #\d+ of \d+$")
_COCHRANE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,2}): ?(.*)$")
# words that join the parts of a family name ("Roqué i Figuls", "Dos Santos", "van der Berg")
_COCHRANE_JOINERS = {"i", "y", "e", "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van"}
_COCHRANE_JOINERS |= {"von", "der", "den", "ter", "ten", "zu", "af", "al", "el", "bin", "ibn"}


def is_cochrane_text(head: str) -> bool:
    """The Cochrane Library's plain-text export: ``Record #1 of N``, then ``ID: `` and other
    ``XX: value`` lines (its BibTeX export also starts with ``Record #1 of N``, then ``@``)."""
    lines = [ln.strip() for ln in head.split("\n", 12)[:12] if ln.strip()]
    return len(lines) > 1 and bool(_COCHRANE_HEAD_RE.match(lines[0])) and bool(_COCHRANE_TAG_RE.match(lines[1]))


def _cochrane_name(value: str) -> str | None:
    """``'Roqué i Figuls Marta'`` -> ``'Roqué i Figuls, Marta'``: the Cochrane Library writes the
    family name first and the given names (or initials) after it, without a comma; a family name
    goes on past a lowercase joining word (``i``, ``de``, ``van``...) or a leading particle."""
    words = value.split()
    if len(words) < 2 or "," in value:
        return split_name(value, "family_first")
    k = 1
    while k < len(words) - 1 and (words[k - 1].lower() in _COCHRANE_JOINERS or words[k] in _COCHRANE_JOINERS):
        k += 1
    return split_name(" ".join(words[:k]) + ", " + " ".join(words[k:]))


def read_cochrane_text(path: str | Path, text: str) -> pd.DataFrame:
    """The Cochrane Library's plain-text export (reviews, trials): a ``Record #n of N`` line, then
    ``XX: value`` lines (``ID``, ``AU`` once per author, ``TI``, ``SO``, ``YR``, ``VL``, ``NO``,
    ``PG``, ``KY``, ``DOI``, ``AB``, ``US``...); a line that is neither continues the last value."""
    recs: list[tuple[dict[str, list[str]], int]] = []
    rec: dict[str, list[str]] | None = None
    last, rec_line = None, 0
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip().lstrip("\ufeff")
        if not line.strip():
            continue
        if _COCHRANE_HEAD_RE.match(line.strip()):
            if rec:
                recs.append((rec, rec_line))
            rec, rec_line, last = {}, n, None
            continue
        m = _COCHRANE_TAG_RE.match(line)
        if m and (rec is not None or m.group(1) == "ID"):
            if rec is None:
                rec, rec_line = {}, n
            rec.setdefault(m.group(1), []).append(m.group(2).strip())
            last = m.group(1)
        elif rec is not None and last is not None:
            rec[last][-1] += " " + line.strip()  # a value over several lines
        else:
            raise InputError(
                path,
                "not a Cochrane Library plain-text export: expected a 'Record #n of N' line or a field 'ID: ...'",
                n,
            )
    if rec:
        recs.append((rec, rec_line))
    rows = []
    for i, (rec, line) in enumerate(recs, start=1):
        one = functools.partial(_first, rec)
        keywords = [re.sub(r"\s*\[[^\]]*\]", "", k).strip(" *") for v in rec.get("KY", []) for k in v.split(";")]
        rows.append(
            {
                "citation_key": None,
                "src_id": one("ID"),
                "doi": one("DOI"),
                "title": one("TI"),
                "year": one("YR"),
                "authors": "; ".join(dict.fromkeys(n for n in map(_cochrane_name, rec.get("AU", [])) if n)) or None,
                "source_title": one("SO"),
                "entry_type": one("PT") or ("Journal Article" if one("SO") else None),
                "abstract": " ".join(rec.get("AB", [])) or None,
                "keywords": "; ".join(dict.fromkeys(k for k in keywords if k)) or None,
                "volume": one("VL"),
                "issue": one("NO"),
                "pages": one("PG"),
                "url": one("US"),
                "publisher": one("PB"),
                "language": one("LA"),
                "_entry": one("ID") or str(i),
                "_line": line,
            }
        )
    return raw_frame(rows)
