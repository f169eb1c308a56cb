"""CSV exports: one record per row, a header naming the columns.

- ``scopus``: Scopus "CSV" export (UTF-8 with BOM, every field quoted), read with
  pyarrow's multi-threaded CSV reader and mapped column-wise (no per-row Python): the
  large exports people bring come from Scopus.
- The other layouts (Lens, OpenAlex CSV, IEEE Xplore, Springer, Embase, PubMed CSV,
  Dimensions, the screening tools', Cochrane CENTRAL, SciELO's search and the BVS portal): pandas' C parser, then a column mapping per layout (:data:`TABLES`). Each
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
from revalign.bibliography.records import RAW_COLUMNS, Problems, raw_frame
from revalign.bibliography.records import page_range as _pages
from revalign.core.errors import InputError

SCOPUS_REQUIRED = ("Title", "Year", "Source title")
SCOPUS_USED = (
    "Authors", "Author full names", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
    "Page start", "Page end", "DOI", "Link", "Abstract", "Author Keywords", "Index Keywords", "Publisher",
    "Language of Original Document", "Document Type", "EID", "Editors",
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


def _scopus_table(path: str | Path, data: bytes, header: list[str], problems: Problems):
    """The used columns of a Scopus CSV as strings, read by pyarrow, and the record numbers and
    lines of the rows (None: every row, in order, lines not counted).

    A file pyarrow refuses (rows with more fields than the header, which Scopus writes for
    records with many funding texts; or a row that is cut short) is read by Python's csv
    module instead, row by row (:func:`_scopus_rows`).
    """
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
        try:
            return _scopus_rows(path, data, header, problems)
        except UnicodeDecodeError:  # pyarrow stopped at something else before the bad bytes
            raise InvalidUTF8() from None
    df = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    del table
    return df, None, None


def _scopus_raw(df: pd.DataFrame, entries=None, lines=None) -> pd.DataFrame:
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
            "editors": _scopus_editors(col("Editors")),
            "_entry": pd.Series(range(1, n + 1) if entries is None else entries, index=df.index).astype("string"),
            "_line": pd.Series(pd.NA if lines is None else lines, index=df.index, dtype="Int64"),
        }
    )
    return out[RAW_COLUMNS]


def read_scopus(path: str | Path, data: bytes) -> pd.DataFrame:
    """Read a Scopus CSV export column-wise (no per-row Python)."""
    header = _scopus_header(path, data)
    problems = Problems(path)
    df, entries, lines = _scopus_table(path, data, header, problems)
    return problems.attach(_scopus_raw(df, entries, lines))


def _scopus_editors(s: pd.Series) -> pd.Series:
    """Scopus's ``Editors`` (``'Smith J., Doe A.'``, only books and proceedings have them)."""
    if not s.notna().any():
        return s
    s = s.copy()
    s[s.notna()] = [_scopus_short_authors(v) for v in s[s.notna()].tolist()]
    return s


def _scopus_short_authors(value: str) -> str | None:
    sep = ";" if ";" in value else ","
    return "; ".join(n for n in (split_name(x, "family_first") for x in value.split(sep)) if n) or None


def _scopus_rows(path, data: bytes, header: list[str], problems: Problems):
    """A Scopus CSV read row by row (slow path, only for files pyarrow refuses).

    Scopus writes as many "Funding Text N" fields as a record has funding texts, but the
    header names only as many as the first records have: the extra fields of a longer
    row sit right after the last named "Funding Text" column. They are joined to it, so
    the columns after it line up again. Any other row whose fields do not match the header
    is skipped and named in *problems*.
    """
    text = data.decode("utf-8-sig")
    raw_lines = text.splitlines()
    funding = [i for i, c in enumerate(header) if c.startswith("Funding Text")]
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    used = [i for i, c in enumerate(header) if c in SCOPUS_USED]
    rows, entries, lines = [], [], []
    start, n = reader.line_num + 1, 0
    for row in reader:
        if not row:
            start = reader.line_num + 1
            continue
        n += 1
        extra = len(row) - len(header)
        if extra > 0 and funding:
            k = funding[-1] + 1
            row = row[: k - 1] + ["; ".join(x for x in row[k - 1 : k + extra] if x)] + row[k + extra :]
        elif extra:
            raw = "\n".join(raw_lines[start - 1 : reader.line_num])
            why = (
                "a quoted field that starts in this row is never closed (file truncated?); export the file again"
                if extra < 0 and raw.count('"') % 2
                else f"malformed CSV row: {len(row)} fields, the header has {len(header)}; check this row for an "
                "unquoted comma or quote, or export the file again"
            )
            problems.skip(start, f"row {n}", why)
            start = reader.line_num + 1
            continue
        rows.append([row[i] or None for i in used])
        entries.append(n)
        lines.append(start)
        start = reader.line_num + 1
    return pd.DataFrame(rows, columns=[header[i] for i in used], dtype="string"), entries, lines


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


def _pop_authors(v: str) -> list[str]:
    """Publish or Perish: ``'C Kun-Rodrigues, J Salmona, A Besolo, ...'`` (the ellipsis stands for
    the authors Google Scholar left out)."""
    return [x.strip() for x in (v or "").split(",") if x.strip(" .\u2026")]


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
    pages: tuple[str, str] = ("", "")  # first and last page columns
    editors: tuple[str, object] = ("", None)  # column, splitter
    decisions: tuple[str, ...] = ()  # screening columns a screening tool's export carries (kept raw)


def _embase_source(row: dict, out: dict) -> None:
    """Embase's CSV: the year, DOI, volume, issue and pages in their own columns (the layout since
    2023: ``Publication Year``, ``DOI``, ``First Page``...); an older export has them only in
    ``Source`` (``'Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: ...'``) and the
    DOI only in the OpenURL link."""
    src = row.get("Source") or ""
    # "Journal (2014) 3:3 (152-160). Date of ..." / "Journal (2026) 17:1 Article Number: 32. Date of ..."
    m = re.match(r"^(.*?)\s*\((\d{4})\)\s*([^\s:().]+)?(?::([^\s().]+))?(?:\s*\(([^)]*)\))?", src)
    parsed = dict(zip(("source_title", "year", "volume", "issue", "pages"), m.groups(), strict=True)) if m else {}
    parsed = {k: v for k, v in parsed.items() if v}
    parsed.setdefault("source_title", src or None)
    pages = _pages(row.get("First Page"), row.get("Last Page"))
    if not pages and "pages" not in parsed:
        number = re.search(r"Article Number: ([^.\s]+)", src)
        pages = number.group(1) if number else None
    own = {
        "source_title": row.get("Source title"),
        "year": row.get("Publication Year"),
        "volume": row.get("Volume"),
        "issue": row.get("Issue"),
        "pages": pages,
    }
    for field in own:
        out[field] = own[field] or parsed.get(field)
    doi = row.get("DOI")
    if not doi:
        link = unquote(row.get("Open URL Link") or "")
        d = re.search(r"[?&]id=doi:([^&]+)", link)
        doi = d.group(1) if d else None
    out["doi"] = doi


def _pubmed_citation(row: dict, out: dict) -> None:
    """Volume, issue and pages from PubMed's citation: ``'Nature. 2021 Dec 21;1(2):10-11. doi: ...'``."""
    m = re.search(r";\s*([^(:;.\s]+)?(?:\(([^)]*)\))?:\s*([^.;\s]+)", row.get("Citation") or "")
    if m:
        out["volume"], out["issue"], out["pages"] = m.groups()
    out["entry_type"] = "journal article" if row.get("Journal/Book") else None


def _journal_article(row: dict, out: dict) -> None:
    """Screening tools' CSV (Rayyan, Covidence) have no type column, only a journal: a record
    with a journal is a journal article."""
    out["entry_type"] = "journal article" if out.get("source_title") else None


def _springer_extra(row: dict, out: dict) -> None:
    out["source_title"] = row.get("Publication Title") or row.get("Book Series Title") or None


def _pairs(v: str) -> list[str]:
    """SciELO's search export joins its ``Surname, Given names`` authors with ``, `` as well:
    ``'Cherchiglia, Mariangela Leal, Machado, Elaine Leandro'``: the parts taken two by two (an
    author with one name only, which SciELO writes without a comma, would shift the pairs)."""
    parts = [p.strip() for p in (v or "").split(",") if p.strip()]
    return [", ".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]


# "Revista de Saúde Pública; 44(4); 639-649" (SciELO); "Rev. saúde pública;44(4): 639-649, ago. 2010." (BVS)
_SOURCE_VIP_RE = re.compile(r";\s*([^;()\s]+)?\s*(?:\(([^)]*)\))?\s*[;:]\s*([\w]+(?:-[\w]+)?)?")


def _source_parts(row: dict, out: dict, source: str) -> None:
    """Volume, issue and pages from a ``Journal;volume(issue): pages`` source line, where the export
    has no column of their own (or leaves it empty)."""
    m = _SOURCE_VIP_RE.search(row.get(source) or "")
    if m:
        for field, value in zip(("volume", "issue", "pages"), m.groups(), strict=True):
            if not out.get(field) and value and value != "-":
                out[field] = value


def _scielo_extra(row: dict, out: dict) -> None:
    """SciELO's export turns each newline of its template into a space: the first row starts with
    one before its opening quote (the ID is then read with its quotes) and each row ends with one."""
    for field in ("src_id", "url"):
        if out.get(field):
            out[field] = out[field].strip(' "') or None
    _source_parts(row, out, "Source")
    _journal_article(row, out)


def _bvs_extra(row: dict, out: dict) -> None:
    """The BVS portal writes every title of a record (each language) joined by ``/ ``: the first
    is the record's own; the volume, issue and pages are parsed from ``Source`` when the export
    predates its ``Volume number`` and ``Issue number`` columns."""
    titles = [t.strip() for t in (row.get("Title") or "").split("/ ")]
    if len(titles) > 1 and all(len(t.split()) > 1 for t in titles):
        out["title"] = titles[0]
    _source_parts(row, out, "Source")
    if not out.get("source_title"):
        out["source_title"] = re.split(r"\s*;", row.get("Source") or "", maxsplit=1)[0] or None


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
        pages=("Start Page", "End Page"),
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
        pages=("Start Page", "End Page"),
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
        {
            "src_id": ("Embase Accession ID", "PUI"),
            "title": "Title",
            "abstract": "Abstract",
            "entry_type": "Publication Type",
            "language": "Article Language",
            "url": ("Full Text Link", "Embase Link"),
            "publisher": "Book Publisher",
        },
        ("Author Names", _family_initials),
        ("Author Keywords", "keywords"),
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
    "rayyan": Table(
        "Rayyan CSV",
        ("key", "title", "authors", "notes"),
        {
            "src_id": "key",
            "doi": "doi",
            "title": "title",
            "year": "year",
            "source_title": "journal",
            "abstract": "abstract",
            "volume": "volume",
            "issue": "issue",
            "pages": "pages",
            "url": "url",
            "publisher": "publisher",
            "language": "language",
        },
        ("authors", _split(" and ")),
        ("keywords",),
        kw_sep=",",
        extra=_journal_article,
        decisions=("notes",),
    ),
    "covidence": Table(
        "Covidence CSV",
        ("Title", "Authors", "Covidence #"),
        {
            "src_id": "Covidence #",
            "doi": "DOI",
            "title": "Title",
            "year": "Published Year",
            "source_title": "Journal",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "pages": "Pages",
        },
        ("Authors", _split(";")),
        extra=_journal_article,
        decisions=("Covidence #", "Study", "Notes", "Tags"),
    ),
    # before cochrane_csv: SciELO's header has its "Title", "Author(s)" and "Source" too
    "scielo_csv": Table(
        "SciELO search CSV",
        ("ID", "Title", "Author(s)", "Source", "Journal", "Language(s)", "Publication year", "Fulltext URL"),
        {
            "src_id": "ID",
            "title": "Title",
            "year": "Publication year",
            "source_title": "Journal",
            "language": "Language(s)",
            "url": "Fulltext URL",
        },
        ("Author(s)", _pairs),
        extra=_scielo_extra,
    ),
    "bvs_csv": Table(
        "BVS (LILACS) CSV",
        ("ID", "Title", "Authors", "Source", "Database", "Publication year", "Descriptor(s)"),
        {
            "src_id": "ID",
            "doi": "DOI",
            "title": "Title",
            "year": "Publication year",
            "source_title": "Journal",
            "entry_type": "Type",
            "abstract": "Abstract",
            "volume": "Volume number",
            "issue": "Issue number",
            "url": "Fulltext URL",
            "language": "Language",
        },
        ("Authors", _split(";")),
        ("Descriptor(s)", "Keyword(s)"),
        extra=_bvs_extra,
    ),
    "cochrane_csv": Table(
        "Cochrane CENTRAL CSV",
        ("Title", "Author(s)", "Source"),
        {
            "src_id": ("CENTRAL ID", "Cochrane ID", "Accession Number"),
            "doi": "DOI",
            "title": "Title",
            "year": "Year",
            "source_title": "Source",
            "entry_type": "Publication Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "pages": "Pages",
            "url": "URL",
        },
        ("Author(s)", _split(";")),
        ("Keywords",),
    ),
    "zotero_csv": Table(
        "Zotero CSV",
        ("Key", "Item Type", "Publication Year", "Author", "Title"),
        {
            "citation_key": "Citation Key",
            "src_id": "Key",
            "doi": "DOI",
            "title": "Title",
            "year": ("Publication Year", "Date"),
            "source_title": "Publication Title",
            "entry_type": "Item Type",
            "abstract": "Abstract Note",
            "volume": "Volume",
            "issue": "Issue",
            "pages": "Pages",
            "url": "Url",
            "publisher": "Publisher",
            "language": "Language",
        },
        ("Author", _split(";")),
        ("Manual Tags", "Automatic Tags"),
        editors=("Editor", _split(";")),
    ),
    "refworks_csv": Table(
        "RefWorks tab-delimited or CSV",
        ("Reference Type", "Authors, Primary", "Title Primary"),
        {
            "src_id": "Reference Id",
            "doi": "DOI",
            "title": "Title Primary",
            "year": ("Pub Year", "Pub Date Free From"),
            "source_title": ("Periodical Full", "Periodical Abbrev", "Title Secondary"),
            "entry_type": "Reference Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "url": ("URL", "Links"),
            "publisher": "Publisher",
            "language": "Language",
        },
        ("Authors, Primary", _split(";")),
        ("Keywords",),
        pages=("Start Page", "Other Pages"),
        editors=("Authors, Secondary", _split(";")),
    ),
    "pop_csv": Table(
        "Publish or Perish CSV",
        ("Cites", "Authors", "Title", "Year", "Source", "GSRank"),
        {
            "doi": "DOI",
            "title": "Title",
            "year": "Year",
            "source_title": "Source",
            "entry_type": "Type",
            "abstract": "Abstract",
            "volume": "Volume",
            "issue": "Issue",
            "url": "ArticleURL",
            "publisher": "Publisher",
        },
        ("Authors", _pop_authors),
        pages=("StartPage", "EndPage"),
        name_order="given_first",
    ),
}


# lines some databases write above a CSV's header: Dimensions' "About the data" line, Embase's
# search query, a line of dashes and a blank line
_PREAMBLE_RE = re.compile(r'^(?:"?About the data|"?SEARCH QUERY"?[,;\t]|-{5,}|[\s,;]*$)')


def _delimiter(line: str) -> str:
    """The field separator of a CSV header line: a comma, or a tab or semicolon where those
    outnumber the commas (RefWorks' and Lens' tab-delimited exports, a spreadsheet saved in a
    locale that writes semicolons)."""
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def csv_header(head: str) -> tuple[list[str], int]:
    """Header fields of a CSV text and its 0-based line (after a Dimensions or Embase preamble)."""
    fields, i, _ = _header(head)
    return fields, i


def _header(head: str) -> tuple[list[str], int, str]:
    lines = head.split("\n", 12)
    for i, line in enumerate(lines[:12]):
        if i < 11 and _PREAMBLE_RE.match(line):
            continue
        delimiter = _delimiter(line)
        try:
            fields = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            fields = []
        return [f.strip() for f in fields], i, delimiter
    return [], 0, ","


def detect_table(header: list[str]) -> str | None:
    cols = set(header)
    for name, t in TABLES.items():
        if all(c in cols for c in t.required):
            return name
    return None


def _rows(path, text: str, problems: Problems):
    """``(header, [(line, number, {column: value})...], delimiter)`` of a CSV export.

    A row with more or fewer fields than the header is skipped and named in *problems*
    (its line and number); the rows after it are read. Trailing empty fields (a spurious
    separator at the end of each row) are not extra fields.
    """
    header, skip, delimiter = _header(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for _ in range(skip + 1):  # the preamble lines and the header line
        try:
            next(reader)
        except (StopIteration, csv.Error):
            break
    while header and not header[-1]:
        header.pop()
    rows, n = [], 0
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a NUL byte or a field larger than the limit
            n += 1
            problems.skip(start, f"row {n}", f"not readable as CSV ({exc})")
            start = reader.line_num + 1
            continue
        if not row or not any(f.strip() for f in row):
            start = reader.line_num + 1
            continue
        n += 1
        while len(row) > len(header) and not row[-1].strip():
            row.pop()
        if len(row) != len(header):
            end = reader.line_num
            hint = "; a quote that is never closed?" if end - start > 1 else ""
            problems.skip(
                start, f"row {n}", f"{len(row)} fields, the header has {len(header)} (lines {start}-{end}{hint})"
            )
        else:
            rows.append((start, n, dict(zip(header, row, strict=True))))
        start = reader.line_num + 1
    return header, rows, delimiter


def _missing_columns(path, t: Table, header: list[str], line: int) -> None:
    missing = [c for c in t.required if c not in header]
    if missing:
        raise InputError(
            path,
            f"not a {t.name} export: column(s) {', '.join(missing)} missing (the header has "
            f"{', '.join(header[:6])}{', ...' if len(header) > 6 else ''})",
            line,
        )


def _record(t: Table, row: dict, line: int, n: int) -> dict:
    out = {k: None for k in RAW_COLUMNS}
    for raw, cols in t.columns.items():
        for c in (cols,) if isinstance(cols, str) else cols:
            v = row.get(c)
            if v not in (None, ""):
                out[raw] = v
                break
    acol, splitter = t.authors
    if acol:
        out["authors"] = names_field(splitter(row.get(acol) or ""), t.name_order)
    ecol, esplit = t.editors
    if ecol:
        out["editors"] = names_field(esplit(row.get(ecol) or ""), t.name_order)
    kws = []
    for c in t.keywords:
        kws += [k.strip() for k in (row.get(c) or "").split(t.kw_sep) if k.strip()]
    out["keywords"] = "; ".join(dict.fromkeys(kws)) or None
    if t.pages[0]:
        out["pages"] = _pages(row.get(t.pages[0]), row.get(t.pages[1])) or out["pages"]
    if t.extra:
        t.extra(row, out)
    out["_entry"] = str(n)
    out["_line"] = line
    return out


def read_table(path: str | Path, text: str, fmt: str) -> pd.DataFrame:
    """A CSV export of the layout *fmt* (:data:`TABLES`)."""
    t = TABLES[fmt]
    problems = Problems(path)
    header, skip, _ = _header(text[:65536])
    _missing_columns(path, t, header, skip + 1)
    _, rows, _ = _rows(path, text, problems)
    return problems.attach(raw_frame([_record(t, row, line, n) for line, n, row in rows]))


# ----------------------------------------------------------------------------------
# Embase, "CSV - fields by row"

# field names of the by-row layout -> the columns of the by-column layout
_EMBASE_ROW_FIELDS = {
    "TITLE": "Title", "ORIGINAL TITLE": "Original Title", "AUTHOR NAMES": "Author Names", "SOURCE": "Source",
    "SOURCE TITLE": "Source title", "PUBLICATION YEAR": "Publication Year", "VOLUME": "Volume", "ISSUE": "Issue",
    "FIRST PAGE": "First Page", "LAST PAGE": "Last Page", "DATE OF PUBLICATION": "Date of Publication",
    "PUBLICATION TYPE": "Publication Type", "ABSTRACT": "Abstract", "AUTHOR KEYWORDS": "Author Keywords",
    "ARTICLE LANGUAGE": "Article Language", "EMBASE ACCESSION ID": "Embase Accession ID", "PUI": "PUI",
    "DOI": "DOI", "FULL TEXT LINK": "Full Text Link", "EMBASE LINK": "Embase Link",
    "OPEN URL LINK": "Open URL Link", "BOOK PUBLISHER": "Book Publisher",
}  # fmt: skip


def is_embase_rows(head: str) -> bool:
    """Embase's "CSV - fields by row": ``"TITLE","..."`` then ``"AUTHOR NAMES","...","..."``."""
    lines = [ln for ln in head.split("\n", 40)[:40] if ln.strip() and not _PREAMBLE_RE.match(ln)]
    return bool(lines) and lines[0].startswith('"TITLE",') and any(ln.startswith('"AUTHOR NAMES",') for ln in lines)


def read_embase_rows(path: str | Path, text: str) -> pd.DataFrame:
    """Embase's "CSV - fields by row" export: one line per field (``"FIELD","value","value"...``),
    a blank line between records; mapped like the by-column layout."""
    problems = Problems(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    records, cur, start, line = [], {}, None, 1
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.skip(line, f"record {len(records) + 1}", f"not readable as CSV ({exc})")
            cur, start = {}, None
            continue
        if not row or not any(f.strip() for f in row):
            if cur:
                records.append((start, cur))
            cur, start = {}, None
            continue
        field = row[0].strip().upper()
        if field == "SEARCH QUERY" or set(field) <= {"-"}:
            continue
        column = _EMBASE_ROW_FIELDS.get(field, row[0].strip())
        values = [v.strip() for v in row[1:] if v.strip()]
        if start is None:
            start = line
        cur[column] = ", ".join(values) if column in ("Author Names", "Author Keywords") else " ".join(values)
    if cur:
        records.append((start, cur))
    t = TABLES["embase_csv"]
    out = []
    for n, (start, rec) in enumerate(records, start=1):
        if "Title" not in rec and "DOI" not in rec:
            problems.skip(start, f"record {n}", "no TITLE or DOI line; is this Embase's 'CSV - fields by row' export?")
            continue
        out.append(_record(t, rec, start, n))
    return problems.attach(raw_frame(out))


# ----------------------------------------------------------------------------------
# any CSV, by a column map

# the fields a column map may name, and the names people use for them
COLUMN_FIELDS = {
    "title": ("title", "document title", "article title", "item title", "primary_title", "title primary", "ti", "t1"),
    "authors": ("authors", "author", "author(s)", "author names", "author/s", "creators", "first_authors", "au", "a1"),
    "year": ("year", "publication year", "publication_year", "pub year", "published year", "pubyear", "date", "py",
             "y1", "publication date"),
    "doi": ("doi", "item doi", "digital object identifier", "do"),
    "source_title": ("journal", "source title", "source", "publication title", "journal title", "venue",
                     "secondary_title", "journal_name", "periodical", "jo", "t2", "jf"),
    "abstract": ("abstract", "abstract note", "notes_abstract", "summary", "ab"),
    "keywords": ("keywords", "author keywords", "tags", "subjects", "kw"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "issue number", "is"),
    "pages": ("pages", "page", "pagination"),
    "url": ("url", "link", "links", "ur"),
    "publisher": ("publisher",),
    "language": ("language", "lang"),
    "entry_type": ("type", "item type", "document type", "publication type", "type_of_reference", "ty"),
    "src_id": ("id", "record_id", "key", "accession number", "an"),
    "citation_key": ("citation key", "citation_key", "bibtex key"),
    "editors": ("editors", "editor"),
}  # fmt: skip
FIELD_ALIASES = {"journal": "source_title", "type": "entry_type", "id": "src_id", "key": "citation_key"}


def parse_column_map(spec) -> dict[str, str]:
    """``'title=Title,authors=Author(s)'`` or a mapping -> ``{field: column}``; ValueError naming
    an unknown field."""
    if isinstance(spec, dict):
        items = list(spec.items())
    else:
        items = []
        for part in re.split(r",(?=\s*[A-Za-z_]+\s*=)", str(spec or "")):
            field, eq, column = part.partition("=")
            if not eq:
                raise ValueError(f"'{part.strip()}' is not FIELD=COLUMN")
            items.append((field, column))
    out = {}
    for field, column in items:
        field = FIELD_ALIASES.get(str(field).strip().lower(), str(field).strip().lower())
        if field not in COLUMN_FIELDS:
            raise ValueError(f"unknown field '{field}'; the fields are {', '.join(COLUMN_FIELDS)}")
        out[field] = str(column).strip()
    if "title" not in out and "doi" not in out:
        raise ValueError("the column map needs title= or doi=")
    return out


def guess_column_map(header: list[str]) -> dict[str, str] | None:
    """The column map of a CSV whose columns are plainly named (``Title``, ``Authors``, ``Year``,
    ``DOI``...): a title column and at least an authors, year or DOI column, else None."""
    by_name = {h.strip().lower(): h for h in header}
    out = {}
    for field, names in COLUMN_FIELDS.items():
        for name in names:
            if name in by_name:
                out[field] = by_name[name]
                break
    if "title" in out and len(out) >= 2:
        return out
    return None


def _split_names(value: str) -> list[str]:
    """Names in one cell: ``;``-separated, `` and ``-separated, or a Python list as ASReview writes
    it (``['Marx, Karl', 'Lindgren, Astrid']``)."""
    v = (value or "").strip()
    if v.startswith("[") and v.endswith("]"):
        return [x.strip().strip("'\"") for x in re.split(r"',\s*'|\",\s*\"", v[1:-1]) if x.strip().strip("'\"")]
    if ";" in v:
        return [x.strip() for x in v.split(";")]
    if re.search(r"\s+and\s+", v):
        return [x.strip() for x in re.split(r"\s+and\s+", v)]
    if "|" in v:
        return [x.strip() for x in v.split("|")]
    return [v]


def read_mapped(path: str | Path, text: str, columns) -> pd.DataFrame:
    """Any CSV (comma, tab or semicolon separated), read by a column map (:func:`parse_column_map`)."""
    problems = Problems(path)
    header, skip, _ = _header(text[:65536])
    if columns is None:
        columns = guess_column_map(header)
        if columns is None:
            raise InputError(path, _unmapped_message(header), skip + 1)
        shown = ",".join(f"{f}={c}" for f, c in columns.items())
        problems.warn(None, f"matches no known export; read by its column names ({shown}); use --columns to choose")
    else:
        try:
            columns = parse_column_map(columns)
        except ValueError as exc:
            raise InputError(path, f"--columns: {exc}") from None
    missing = [c for c in columns.values() if c not in header]
    if missing:
        raise InputError(
            path,
            f"column(s) {', '.join(repr(c) for c in missing)} of the column map are not in the header "
            f"({', '.join(header[:8])}{', ...' if len(header) > 8 else ''})",
            skip + 1,
        )
    _, rows, _ = _rows(path, text, problems)
    out = []
    for line, n, row in rows:
        rec = {k: None for k in RAW_COLUMNS}
        for field, col in columns.items():
            value = (row.get(col) or "").strip()
            if value.startswith('="') and value.endswith('"'):  # a spreadsheet's text guard: ="0123"
                value = value[2:-1]
            if not value:
                continue
            if field in ("authors", "editors"):
                rec[field] = names_field(_split_names(value))
            elif field == "keywords":
                rec[field] = "; ".join(k.strip() for k in _split_names(value) if k.strip()) or None
            else:
                rec[field] = value
        rec["_entry"], rec["_line"] = str(n), line
        out.append(rec)
    return problems.attach(raw_frame(out))


def _unmapped_message(header: list[str]) -> str:
    shown = ", ".join(h for h in header[:8] if h)
    return (
        f"a CSV table with the columns {shown}{', ...' if len(header) > 8 else ''}, which match no supported "
        "export; name its columns with --columns title=COLUMN,authors=COLUMN,year=COLUMN,doi=COLUMN (or "
        "columns: in the parameter file's bibliography entry)"
    )


# ----------------------------------------------------------------------------------
# ASReview LAB


def _asreview_columns(header: list[str]) -> dict[str, str] | None:
    """ASReview LAB's export: the dataset's own columns plus its labels (``included`` in version 1,
    ``asreview_label`` in version 2); the columns are read by their usual names."""
    cols = set(header)
    if not (cols & {"included", "asreview_label", "label_included", "final_included"}):
        return None
    if not (cols & {"asreview_ranking", "asreview_time", "record_id", "asreview_label", "exported_notes_1"}) and not (
        cols & {"label_included", "final_included"}
    ):
        return None
    return guess_column_map(header)


def read_asreview(path: str | Path, text: str) -> pd.DataFrame:
    header, skip, _ = _header(text[:65536])
    columns = _asreview_columns(header)
    if columns is None:
        raise InputError(
            path,
            "not an ASReview LAB export: no 'included' or 'asreview_label' column next to a title column; "
            "export the project's dataset from ASReview LAB (Export > Dataset, CSV)",
            skip + 1,
        )
    return read_mapped(path, text, columns)
