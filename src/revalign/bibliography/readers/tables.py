"""CSV exports: one record per row, a header naming the columns.

- ``scopus``: Scopus "CSV" export (UTF-8 with BOM, every field quoted), read with
  pyarrow's multi-threaded CSV reader and mapped column-wise (no per-row Python): the
  large exports people bring come from Scopus.
- The other layouts (Lens, OpenAlex CSV, IEEE Xplore, Springer, Embase, PubMed CSV,
  Dimensions): pandas' C parser, then a column mapping per layout (:data:`TABLES`). Each
  layout names the columns it needs (``required``); a file forced to a layout without
  them is refused, naming the missing columns, instead of importing empty years,
  authors and DOIs.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from revalign.bibliography.names import names_field, split_name
from revalign.bibliography.records import RAW_COLUMNS, raw_frame
from revalign.bibliography.records import page_range as _pages
from revalign.core.errors import InputError

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
    return "; ".join(n for n in (split_name(x, "family_first") for x in value.split(sep)) if n) or None


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


def _strip_scopus_ids(s: pd.Series) -> pd.Series:
    """``'Smith, Ann (57190000003); Lee, Kim (57190000004)'`` -> ``'Smith, Ann; Lee, Kim'`` (pyarrow kernel)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.astype("string[pyarrow]"))
    out = pc.replace_substring_regex(arr, r"\s*\([0-9]+\)", "")
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out.cast(pa.large_string())])), index=s.index)


# ----------------------------------------------------------------------------------
# CSV tables


def _split(sep: str):
    return lambda v: [x.strip() for x in v.split(sep)] if v else []


def _springer_authors(v: str) -> list[str]:
    """Springer joins the authors with no separator: ``'Araz R. AlievNigar T. Ismayilova'``,
    ``'Christian BaunHenry-Norbert CocosRosa-Maria Spanou'``.

    A new author starts where a lower-case letter (or a period) is directly followed by a
    capitalised word, hyphenated or not, and a space (the next author's given name);
    ``McDonald`` is not split because ``Donald`` is not followed by a space.
    """
    v = v or ""
    cuts = [0]
    for i in range(1, len(v)):
        if not (v[i].isupper() and (v[i - 1].islower() or v[i - 1] == ".")):
            continue
        j = i
        while j < len(v) and (v[j].isalpha() or v[j] in "-'’"):
            j += 1
        word, before = v[i:j], v[:i].rsplit(" ", 1)[-1]
        if before in ("Mc", "Mac", "O'", "D'"):  # McDonald, MacArthur: one family name
            continue
        given_next = j < len(v) and (v[j] == " " or (len(word) == 1 and v[j] == "."))
        if given_next and all(p[:1].isupper() for p in word.split("-") if p):
            cuts.append(i)
    cuts.append(len(v))
    return [v[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False) if v[a:b].strip()]


def _pubmed_authors(v: str) -> list[str]:
    """``'Griffin DK, Larkin DM, O'Connor RE.'``: the list ends with a period, which is not part
    of the last author's initials (``'Kohane IS.'`` is ``Kohane, IS``)."""
    return _family_initials((v or "").strip().removesuffix("."))


def _family_initials(v: str) -> list[str]:
    """``'Liu R., Adler D.G.'`` (Embase), ``'Smith A, Walter B'`` (PubMed): comma-separated ``Family Initials``."""
    return [x.strip() for x in (v or "").split(",") if x.strip()]


@dataclass
class Table:
    """A CSV export: which columns identify it and which column feeds each raw field."""

    name: str
    required: tuple[str, ...]  # all present in the header: this format (and the forced check)
    columns: dict[str, str | tuple[str, ...]]  # raw field -> column (or first non-empty of several)
    authors: tuple[str, object] = ("", None)  # column, splitter
    keywords: tuple[str, ...] = ()
    skip_preamble: bool = False  # Dimensions writes one "About the data" line before the header
    extra: object = None  # fn(row dict, out dict) for fields that need parsing
    kw_sep: str = ";"
    name_order: str = "auto"  # how the export writes a name (revalign.bibliography.names)


def _embase_source(row: dict, out: dict) -> None:
    """``'Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: ...'``; DOI from the OpenURL link."""
    src = row.get("Source") or ""
    m = re.match(r"^(.*?)\s*\((\d{4})\)\s*(\S+?)?(?::(\S+?))?\s*(?:\(([^)]*)\))?\.", src)
    if m:
        out["source_title"], out["year"], out["volume"], out["issue"], out["pages"] = m.groups()
    else:
        out["source_title"] = src or None
    link = unquote(row.get("Open URL Link") or "")
    d = re.search(r"[?&]id=doi:([^&]+)", link)
    if d:
        out["doi"] = d.group(1)


def _pubmed_citation(row: dict, out: dict) -> None:
    """Volume, issue and pages from PubMed's citation: ``'Nature. 2021 Dec 21;1(2):10-11. doi: ...'``."""
    m = re.search(r";\s*([^(:;.\s]+)?(?:\(([^)]*)\))?:\s*([^.;\s]+)", row.get("Citation") or "")
    if m:
        out["volume"], out["issue"], out["pages"] = m.groups()
    out["entry_type"] = "journal article" if row.get("Journal/Book") else None


def _springer_extra(row: dict, out: dict) -> None:
    out["source_title"] = row.get("Publication Title") or row.get("Book Series Title") or None


TABLES: dict[str, Table] = {
    "lens": Table(
        "Lens.org CSV",
        ("Lens ID", "Title", "Author/s"),
        {
            "src_id": "Lens ID",
            "doi": "DOI",
            "title": "Title",
            "year": ("Publication Year", "Date Published"),
            "source_title": "Source Title",
            "entry_type": "Publication Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue Number",
            "publisher": "Publisher",
            "url": "External URL",
        },
        ("Author/s", _split(";")),
        ("Keywords", "MeSH Terms"),
    ),
    "openalex_csv": Table(
        "OpenAlex CSV",
        ("id", "display_name", "publication_year"),
        {
            "src_id": "id",
            "doi": "doi",
            "title": "display_name",
            "year": "publication_year",
            "source_title": "primary_location.source.display_name",
            "entry_type": "type",
            "abstract": "abstract",
            "language": "language",
        },
        ("authorships.author.display_name", _split("|")),
        ("keywords.display_name", "primary_topic.display_name"),
        kw_sep="|",
        name_order="given_first",
    ),
    "ieee": Table(
        "IEEE Xplore CSV",
        ("Document Title", "Authors", "Publication Title"),
        {
            "doi": "DOI",
            "title": "Document Title",
            "year": "Publication Year",
            "source_title": "Publication Title",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "publisher": "Publisher",
            "url": "PDF Link",
            "entry_type": "Document Identifier",
        },
        ("Authors", _split(";")),
        ("Author Keywords", "IEEE Terms"),
    ),
    "springer": Table(
        "SpringerLink CSV",
        ("Item Title", "Item DOI", "Content Type"),
        {
            "doi": "Item DOI",
            "title": "Item Title",
            "year": "Publication Year",
            "volume": "Journal Volume",
            "issue": "Journal Issue",
            "url": "URL",
            "entry_type": "Content Type",
        },
        ("Authors", _springer_authors),
        extra=_springer_extra,
        name_order="given_first",
    ),
    "embase_csv": Table(
        "Embase CSV",
        ("Title", "Author Names", "Source"),
        {"title": "Title", "abstract": "Abstract"},
        ("Author Names", _family_initials),
        ("keywords",),
        extra=_embase_source,
        kw_sep=",",
        name_order="family_first",
    ),
    "pubmed_csv": Table(
        "PubMed CSV",
        ("PMID", "Title", "Authors", "Citation"),
        {
            "src_id": "PMID",
            "doi": "DOI",
            "title": "Title",
            "year": "Publication Year",
            "source_title": "Journal/Book",
        },
        ("Authors", _pubmed_authors),
        extra=_pubmed_citation,
        name_order="family_first",
    ),
    "dimensions": Table(
        "Dimensions CSV",
        ("Publication ID", "Title", "PubYear"),
        {
            "src_id": "Publication ID",
            "doi": "DOI",
            "title": "Title",
            "year": "PubYear",
            "source_title": ("Source title", "Anthology title"),
            "entry_type": "Publication Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "pages": "Pagination",
            "url": "Dimensions URL",
        },
        ("Authors", _split(";")),
        ("MeSH terms",),
        skip_preamble=True,
    ),
}


def csv_header(head: str) -> tuple[list[str], int]:
    """Header fields of a CSV text and its 0-based line (after a Dimensions preamble)."""
    lines = head.split("\n", 2)
    for i, line in enumerate(lines[:2]):
        try:
            fields = next(csv.reader([line]), [])
        except csv.Error:
            fields = []
        fields = [f.strip() for f in fields]
        if i == 0 and len(fields) <= 1 and line.startswith(("About the data", '"About the data')):
            continue
        return fields, i
    return [], 0


def detect_table(header: list[str]) -> str | None:
    cols = set(header)
    for name, t in TABLES.items():
        if all(c in cols for c in t.required):
            return name
    return None


def read_table(path: str | Path, text: str, fmt: str) -> pd.DataFrame:
    t = TABLES[fmt]
    header, skip = csv_header(text[:65536])
    missing = [c for c in t.required if c not in header]
    if missing:
        raise InputError(
            path,
            f"not a {t.name} export: column(s) {', '.join(missing)} missing (the header has "
            f"{', '.join(header[:6])}{', ...' if len(header) > 6 else ''})",
            skip + 1,
        )
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skiprows=skip,
            index_col=False,
            on_bad_lines="error",
            engine="c",
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path, f"malformed CSV: {exc}", int(m.group(1)) + skip if m else None) from None
    df.columns = [str(c).strip() for c in df.columns]
    records = df.to_dict("records")
    rows = []
    acol, splitter = t.authors
    for i, row in enumerate(records, start=1):
        out = {k: None for k in RAW_COLUMNS}
        for raw, cols in t.columns.items():
            for c in (cols,) if isinstance(cols, str) else cols:
                v = row.get(c)
                if v not in (None, ""):
                    out[raw] = v
                    break
        if acol:
            out["authors"] = names_field(splitter(row.get(acol) or ""), t.name_order)
        kws = []
        for c in t.keywords:
            kws += [k.strip() for k in (row.get(c) or "").split(t.kw_sep) if k.strip()]
        out["keywords"] = "; ".join(dict.fromkeys(kws)) or None
        if fmt in ("ieee", "lens"):
            start = row.get("Start Page")
            out["pages"] = _pages(start, row.get("End Page"))
        if t.extra:
            t.extra(row, out)
        out["_entry"] = str(i)
        rows.append(out)
    return raw_frame(rows)
