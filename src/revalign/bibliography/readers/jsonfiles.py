"""JSON exports, decoded with one-line errors for a broken file.

- ``csljson``: CSL-JSON, the array Zotero's "CSL JSON" export writes (decoded item by item,
  so a broken item is reported on its own line).
- ``openalex_json``: an OpenAlex ``/works`` API response or a list of works; the abstract is
  rebuilt from OpenAlex's inverted index.
- ``pop_json``: Publish or Perish's JSON (Harzing's tool, the usual way to save Google
  Scholar results).

The exports read whole use :func:`load_json`; all report a truncated file, nesting too deep
for the parser and a number too long to be a year, volume or page as ``InputError`` with
the line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from revalign.bibliography.names import Name, names_field, organisation
from revalign.bibliography.records import page_range as _pages
from revalign.bibliography.records import raw_frame
from revalign.core.errors import InputError


def json_line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def json_error(path, text: str, exc: json.JSONDecodeError) -> InputError:
    if not text[exc.pos :].strip() or (exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1 :]):
        return InputError(path, "invalid JSON: the file ends inside an item (truncated?); export it again", exc.lineno)
    return InputError(path, f"invalid JSON: {exc.msg}", exc.lineno)


MAX_JSON_DIGITS = 100  # digits of a JSON integer (years, volumes, pages need a handful)


class _BigNumber(ValueError):
    pass


def parse_int(digits: str) -> int:
    if len(digits) > MAX_JSON_DIGITS:
        raise _BigNumber(digits)
    return int(digits)


def raw_decode(path, text: str, decoder, pos: int, item="a CSL-JSON item", export="a CSL-JSON export"):
    """decoder.raw_decode, with nesting too deep and huge numbers as one-line errors."""
    try:
        return decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise json_error(path, text, exc) from None
    except RecursionError:
        raise InputError(path, f"JSON nested too deeply to be {item}", json_line(text, pos)) from None
    except _BigNumber:
        m = re.compile(rf"\d{{{MAX_JSON_DIGITS + 1},}}").search(text, pos)
        line = json_line(text, m.start() if m else pos)
        raise InputError(path, f"a number with more than {MAX_JSON_DIGITS} digits; is this {export}?", line) from None


def load_json(path, text: str, export: str):
    """The one JSON value of *text*, with the CSL-JSON reader's one-line errors (line, truncation,
    nesting, huge numbers); for the JSON exports read whole. *export*: 'an OpenAlex export'."""
    ws = re.compile(r"\s*")
    pos = ws.match(text).end()
    value, end = raw_decode(path, text, json.JSONDecoder(parse_int=parse_int), pos, export, export)
    if ws.match(text, end).end() != len(text):
        raise InputError(path, "invalid JSON: extra data after the value", json_line(text, end))
    return value


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


def _csl_names(path: str | Path, item: dict, i: int, line: int, role: str = "author") -> list[str]:
    """The item's authors (or editors: *role*) as 'Family, Given' (or the literal name), checked to be names."""
    authors = item.get(role) or []
    if not isinstance(authors, list):
        raise InputError(path, f"item {i}: {role!r} must be a list of names", line)
    names = []
    for a in authors:
        if not isinstance(a, dict):
            raise InputError(path, f"item {i}: each {role} must be an object with family/given or literal", line)
        for part in ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix"):
            if a.get(part) is not None and not isinstance(a[part], (str, int, float)):
                raise InputError(path, f"item {i}: {role} {part!r} must be text, not a list or an object", line)
        a = {k: (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in a.items()}
        if a.get("family"):
            family = " ".join(x for x in (a.get("non-dropping-particle"), a["family"]) if x)
            given = " ".join(x for x in (a.get("given"), a.get("dropping-particle")) if x)
            names.append(
                Name(family=family.strip(), given=given.strip(), suffix=(a.get("suffix") or "").strip()).stored()
            )
        elif a.get("literal"):
            names.append(organisation(a["literal"]).stored())
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
    editors = _csl_names(path, item, i, line, "editor")
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
        "editors": "; ".join(editors) if editors else None,
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
# OpenAlex JSON


def _abstract(inverted) -> str | None:
    if not isinstance(inverted, dict) or not inverted:
        return None
    pos = {}
    for word, places in inverted.items():
        for p in places or []:
            pos[p] = word
    return " ".join(pos[k] for k in sorted(pos)) or None


def read_openalex_json(path: str | Path, text: str) -> pd.DataFrame:
    data = load_json(path, text, "an OpenAlex export")
    works = data.get("results") if isinstance(data, dict) and "results" in data else data
    if isinstance(works, dict):
        works = [works]
    if not isinstance(works, list):
        raise InputError(path, "not an OpenAlex works file: expected a list of works or a 'results' list")
    rows = []
    for i, w in enumerate(works, start=1):
        if not isinstance(w, dict):
            raise InputError(path, f"work {i} is not a JSON object")
        src = ((w.get("primary_location") or {}).get("source") or {}) or (w.get("host_venue") or {})
        bib = w.get("biblio") or {}
        names = [
            ((a.get("author") or {}).get("display_name")) for a in w.get("authorships") or [] if isinstance(a, dict)
        ]
        kws = [k.get("display_name") for k in w.get("keywords") or [] if isinstance(k, dict) and k.get("display_name")]
        rows.append(
            {
                "citation_key": None,
                "src_id": w.get("id"),
                "doi": w.get("doi"),
                "title": w.get("title") or w.get("display_name"),
                "year": None if w.get("publication_year") is None else str(w.get("publication_year")),
                "authors": names_field(names, "given_first"),
                "source_title": src.get("display_name"),
                "entry_type": w.get("type"),
                "abstract": _abstract(w.get("abstract_inverted_index")),
                "keywords": "; ".join(kws) or None,
                "volume": bib.get("volume"),
                "issue": bib.get("issue"),
                "pages": _pages(bib.get("first_page"), bib.get("last_page")),
                "url": (w.get("primary_location") or {}).get("landing_page_url"),
                "publisher": src.get("host_organization_name"),
                "language": w.get("language"),
                "_entry": (w.get("id") or "").rsplit("/", 1)[-1] or str(i),
                "_line": None,
            }
        )
    return raw_frame(rows)


# ----------------------------------------------------------------------------------
# Publish or Perish JSON


def _nonzero(value) -> str | None:
    """Publish or Perish writes 0 for an unknown volume, issue or page."""
    return None if value in (None, "", 0, "0") else value


def read_pop_json(path: str | Path, text: str) -> pd.DataFrame:
    """Publish or Perish's JSON: a list of results with ``title``, ``authors`` (``["W Guo", ...]``),
    ``year``, ``source``, ``publisher``, ``article_url`` and volume, issue and pages (0: unknown)."""
    data = load_json(path, text, "a Publish or Perish export")
    if not isinstance(data, list):
        raise InputError(path, "not a Publish or Perish results file: expected a list of results")
    rows = []
    for i, r in enumerate(data, start=1):
        if not isinstance(r, dict):
            raise InputError(path, f"result {i} is not a JSON object")
        authors = r.get("authors")
        if isinstance(authors, str):
            authors = authors.split(",")
        if not isinstance(authors, list | None) or not all(isinstance(a, str | None) for a in authors or []):
            raise InputError(path, f"result {i}: 'authors' must be a list of names")
        for key, value in r.items():
            if key != "authors" and isinstance(value, list | dict):
                raise InputError(path, f"result {i}: {key!r} must be text or a number, not a list or an object")
            if isinstance(value, float) and value.is_integer():
                r[key] = int(value)
        r = {k: (None if v is None else str(v)) for k, v in r.items() if k != "authors"}
        rows.append(
            {
                "citation_key": None,
                "src_id": r.get("uid"),
                "doi": r.get("doi") or r.get("DOI"),
                "title": r.get("title"),
                "year": _nonzero(r.get("year")),
                # "..." stands for the authors Google Scholar left out
                "authors": names_field((a for a in authors or [] if a and a.strip(" .\u2026")), "given_first"),
                "source_title": r.get("source"),
                "entry_type": r.get("type"),
                "abstract": r.get("abstract"),
                "keywords": None,
                "volume": _nonzero(r.get("volume")),
                "issue": _nonzero(r.get("issue")),
                "pages": _pages(_nonzero(r.get("startpage")), _nonzero(r.get("endpage"))),
                "url": r.get("article_url"),
                "publisher": r.get("publisher"),
                "language": None,
                "_entry": str(i),
                "_line": None,
            }
        )
    return raw_frame(rows)
