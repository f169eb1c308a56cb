"""Import bibliographic exports into one de-duplicated corpus (stage 01).

Public API (stable; notebook 01 and the CLI use it)::

    from revalign.bibliography.importer import read_bibliography
    res = read_bibliography(["refs.bib", "scopus.csv"], fmt=None, progress=False, source_categories=None)
    res.records   # DataFrame, one row per unique work (columns below), sorted by record_id
    res.merges    # DataFrame, one row per merged record: record_id, kept, merged,
                  #   reason ("doi", or what agreed: "title+authors+venue+year"...),
                  #   kept_doi, merged_doi, year, kept_title, merged_title
    res.rejects   # DataFrame: file, entry, line, reason, title (records that cannot be used)
    res.per_file  # DataFrame: file, format, records_read, parsed, rejected
    res.n_read    # records read in all files (= parsed + rejected)
    res.n_unique  # rows of res.records

``paths`` is one path or a list; ``fmt`` forces one of
:data:`revalign.bibliography.readers.FORMATS` for every file (default: detected from each file's
content; a forced CSV format checks that its columns are there); ``progress`` shows a
bar on a terminal (never in CI or a notebook); ``source_categories`` maps document or
entry types to source categories (:func:`source_category`). Reader warnings (a
repeated field, a citation key used twice, a name that cannot be split) are in
``res.warnings``; the CLI prints them on stderr.

Columns of ``records`` (:data:`COLUMNS`): ``record_id, doi, title, year, authors,
source_title, doc_type, abstract, keywords, origins`` and the extras ``entry_type,
volume, issue, pages, url, publisher, language, citation_key, sourcetype,
sourcecategory, inreflist`` (``sourcetype`` and ``inreflist`` are custom BibTeX fields,
empty for other formats).

- ``record_id`` = ``citation_key``: the citation key when the source has one (BibTeX key,
  CSL-JSON ``citation-key`` or a key-like ``id``), else first author + year + first
  significant title word (``smith2020digital``); ``b``, ``c``... for a second, third
  work with the same key. Stable across runs and file orders for the same set of files.
- ``sourcecategory``: the export's own field when it has one, else from the document
  type (:data:`revalign.bibliography.doctypes.DEFAULT_SOURCE_CATEGORIES`, overridable per run).
- ``doi``: lower case, no ``https://doi.org/``/``doi:`` prefix; taken from a doi.org
  URL when the DOI field is empty.
- ``year``: pandas ``Int64`` (missing allowed). ``authors``: ``"Family, Given; ..."``.
- ``doc_type``: a common vocabulary across formats (:data:`revalign.bibliography.doctypes.DOC_TYPES`: article,
  review, conference paper, book chapter, book, report, government document,
  webpage, thesis, news, editorial, ...); ``entry_type`` keeps the source's own type.
- ``origins``: every ``FILE:ENTRY`` merged into the row, ``"; "``-separated; FILE is
  the file's name (its path as given if two inputs share a name), ENTRY the citation
  key (BibTeX), the id (CSL-JSON) or the 1-based record number (RIS, Scopus, WoS).

All text is NFC, trimmed, with whitespace runs collapsed (abstracts keep their line
breaks). A record with neither title nor DOI
is rejected (listed in ``rejects``, never silently dropped). Syntax errors, empty
files, unknown formats, duplicate BibTeX keys and non-UTF-8 files raise
:class:`~revalign.core.errors.InputError` (``error: FILE:LINE: ...``, exit 2 in the CLI).
De-duplication rule and algorithm: :mod:`revalign.bibliography.dedup`.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from revalign.bibliography import normalise as bn
from revalign.bibliography.dedup import deduplicate
from revalign.bibliography.doctypes import (  # noqa: F401 (DOC_TYPES, DEFAULT_SOURCE_CATEGORIES: documented here)
    DEFAULT_SOURCE_CATEGORIES,
    DOC_TYPES,
    doc_type_series,
    source_category,
)
from revalign.bibliography.readers import (
    FORMATS,
    RAW_COLUMNS,
    SPECS,
    detect_format,
    supported_formats_text,
)
from revalign.bibliography.readers.detect import not_an_export
from revalign.bibliography.readers.tables import InvalidUTF8 as _InvalidUTF8
from revalign.bibliography.records import Problems
from revalign.core.contracts import CORPUS, IMPORT_SUMMARY, RECORD
from revalign.core.errors import InputError
from revalign.core.progress import progress as _progress
from revalign.core.yamlio import check_decoded, read_text_checked

COLUMNS: list[str] = CORPUS.names  # the corpus contract (revalign.core.contracts.CORPUS)

REJECT_COLUMNS = ["file", "entry", "line", "reason", "title"]
PER_FILE_COLUMNS: list[str] = IMPORT_SUMMARY.names

_TEXT_COLUMNS = [c for c in RAW_COLUMNS if c not in ("_line", "_entry")]


@dataclass
class ImportResult:
    records: pd.DataFrame
    merges: pd.DataFrame
    rejects: pd.DataFrame
    per_file: pd.DataFrame
    warnings: list[str] = field(default_factory=list)  # "FILE:LINE: ..." each

    @property
    def n_read(self) -> int:
        return int(self.per_file["records_read"].sum())

    @property
    def n_unique(self) -> int:
        return len(self.records)

    def summary(self) -> str:
        """Per-file table, merges and rejects, ending in ``N records read, M unique works``."""
        lines = [self.per_file.to_string(index=False)]
        reasons = Counter(self.merges["reason"]) if len(self.merges) else Counter()
        lines.append(
            f"{len(self.merges)} duplicate records merged "
            f"({reasons.get('doi', 0)} by DOI, {len(self.merges) - reasons.get('doi', 0)} by title and other fields); "
            f"{int(self.per_file['rejected'].sum())} rejected, {int(self.per_file['skipped'].sum())} skipped"
        )
        lines.append(f"{self.n_read} records read, {self.n_unique} unique works")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------
# reading one file


def _read_bytes_checked(path: Path) -> bytes:
    """The file's bytes, after the cheap checks of :func:`revalign.core.yamlio.read_text_checked`.

    Two encodings besides UTF-8 are certain, and converted to UTF-8 here: UTF-16 with its
    byte-order mark (Web of Science's tab-delimited export for Windows, some EndNote
    exports), and the encoding JabRef declares on a BibTeX file's first line
    (``% Encoding: windows-1252``, what JabRef writes for a library saved on Windows).
    NUL bytes are refused (a BOM or a control character inside the text is removed by
    :func:`_repair_stray`, with a warning); UTF-8 validity is checked by the caller
    (by Python for the text formats, by pyarrow for Scopus CSV, so a large CSV is not decoded
    twice). Errors come from ``read_text_checked`` itself, so the messages are the same everywhere.
    """
    if not path.is_file():
        read_text_checked(path)  # raises "file not found" / "is a folder"
    data = path.read_bytes()
    if what := not_an_export(path, data[:1024]):
        raise InputError(path, what)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = _utf16_to_utf8(path, data)
    elif m := _DECLARED_ENCODING_RE.match(data):
        data = _declared_to_utf8(path, data, m.group(1).decode("ascii"))
    if b"\x00" in data:
        _raise_text_error(path)
    return data


# a UTF-8 byte-order mark after the start (U+FEFF, "zero width no-break space": legal Unicode that
# exports copy into a name or title) and control characters other than tab, LF and CR
_STRAY_RE = re.compile(rb"\xef\xbb\xbf|[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # the class of _STRAY_RE
_CHUNK = 1 << 22


def _has_stray(data: bytes, start: int) -> bool:
    """Whether *data* holds what :data:`_STRAY_RE` matches, from *start*: a search for the BOM and a
    deletion of the control characters chunk by chunk, in C (the regular expression's alternation
    tries both at every byte: 2.5 s of CPU for a 100,000-record Scopus export, this 0.3 s)."""
    if data.find(b"\xef\xbb\xbf", start) != -1:
        return True
    for i in range(start, len(data), _CHUNK):
        part = data[i : i + _CHUNK]
        if len(part.translate(None, _CONTROL)) != len(part):
            return True
    return False


def _repair_stray(path: Path, data: bytes, strict: bool = False) -> tuple[bytes, list[str]]:
    """*data* without stray U+FEFF and control characters, and a warning per line that had them
    (the first five, then a count). With *strict*, the first one is refused, as revalign did
    before it repaired them."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if not _has_stray(data, start):
        return data, []
    lines: dict[int, set[str]] = {}
    line, pos = 1, 0
    for m in _STRAY_RE.finditer(data, start):
        line += _line_ends(data[pos : m.start()])
        pos = m.start()
        bom = m.group() == b"\xef\xbb\xbf"
        if strict:
            what = (
                "byte-order mark (U+FEFF) in the middle of the file"
                if bom
                else f"control character U+{m.group()[0]:04X}"
            )
            raise InputError(path, f"{what}; remove it (without --strict it is removed with a warning)", line)
        lines.setdefault(line, set()).add("U+FEFF (zero width no-break space)" if bom else f"U+{m.group()[0]:04X}")
    warnings = [
        f"{path}:{n}: removed {', '.join(sorted(whats))} from the record on this line"
        for n, whats in list(lines.items())[:5]
    ]
    if len(lines) > 5:
        warnings.append(f"{path}: the same on {len(lines) - 5} more lines")
    repaired = data[:start] + _STRAY_RE.sub(lambda m: b"" if m.group() == b"\xef\xbb\xbf" else b" ", data[start:])
    return repaired, warnings


def _line_ends(chunk: bytes) -> int:
    """Line ends in *chunk*: LF, CRLF or CR."""
    return chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")


_DECLARED_ENCODING_RE = re.compile(rb"(?:\xef\xbb\xbf)?[ \t]*% Encoding: ([A-Za-z0-9_-]{1,40})[ \t]*\r?\n")


# Python text codecs that no program saves a file in: they turn escapes (``\\u00e9``, ``+AOk-``,
# ``xn--``) into characters, so a declaration of one would rewrite the LaTeX of every entry. The
# declaration is ignored and the file read as UTF-8, as for a bytes-to-bytes codec.
_NOT_FILE_ENCODINGS = ("unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7", "undefined")


def _declared_to_utf8(path: Path, data: bytes, name: str) -> bytes:
    """A file whose first line declares its text encoding (JabRef), as UTF-8 bytes."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise InputError(
            path, f"declares the encoding '{name}' (first line), which is not known; save it as UTF-8", 1
        ) from None
    if not codec._is_text_encoding or codec.name in ("utf-8", "utf-8-sig", *_NOT_FILE_ENCODINGS):
        return data  # UTF-8 is checked like any other file; a non-text codec is not an encoding
    head = data[: data.index(b"\n") + 1]
    try:
        ascii_based = head.decode(codec.name) == head.decode("latin-1")
    except UnicodeError:  # punycode raises UnicodeError itself, not UnicodeDecodeError
        ascii_based = False
    if not ascii_based:  # e.g. 'UTF-16' on a line that is itself plain ASCII: the declaration is wrong
        return data
    try:
        text = data.decode(codec.name)
    except UnicodeError as exc:  # UnicodeDecodeError has the position; a codec's own UnicodeError not
        line = data[: exc.start].count(b"\n") + 1 if isinstance(exc, UnicodeDecodeError) else None
        raise InputError(
            path, f"declares the encoding '{name}' (first line) but is not valid {name}; save it as UTF-8", line
        ) from None
    check_decoded(path, text)
    return text.encode("utf-8")


def _utf16_to_utf8(path: Path, data: bytes) -> bytes:
    """UTF-16 text with its byte-order mark, as UTF-8 bytes (no BOM); InputError if it is not UTF-16."""
    try:
        text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
        raise InputError(
            path,
            "starts with a UTF-16 byte-order mark but is not valid UTF-16 (cut short, or two files joined?); "
            "export it again",
            line,
        ) from None
    check_decoded(path, text)
    return text.encode("utf-8")


def _is_blank(data: bytes) -> bool:
    head = data[:4096].strip()
    if head and head != b"\xef\xbb\xbf":
        return False
    rest = data.strip()
    return not rest or rest == b"\xef\xbb\xbf"


def _raise_text_error(path: Path):
    """The error :func:`read_text_checked` gives for *path*, its line counted with CR line ends too
    (Macintosh-style files end lines with CR alone; ``read_text_checked`` counts LF only)."""
    try:
        read_text_checked(path)
    except InputError as exc:
        if exc.line is not None:
            data = path.read_bytes()
            if b"\r" in data:  # count lines as the readers see them: LF, CRLF and CR each end one
                try:
                    data.decode("utf-8-sig")
                except UnicodeDecodeError as bad:
                    exc = InputError(path, exc.message, _line_ends(data[: bad.start]) + 1)
        raise exc from None
    raise InputError(path, "not a UTF-8 text file")  # pragma: no cover - read_text_checked raised


def _as_text(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _raise_text_error(path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path) -> str:
    """A bibliography export's text, checked and decoded as :func:`read_file` does (UTF-8 with
    or without BOM, UTF-16 with BOM, a JabRef-declared encoding; CR or CRLF line ends as LF)."""
    path = Path(path)
    return _as_text(path, _repair_stray(path, _read_bytes_checked(path))[0])


def read_file(path: str | Path, fmt: str | None = None, strict: bool = False, columns=None) -> tuple[str, pd.DataFrame]:
    """Read one export file; returns (format, raw records as in :mod:`revalign.bibliography.readers`).

    A record the reader cannot read is skipped with a warning (``raw.attrs["skipped"]``,
    ``raw.attrs["warnings"]``); with *strict* the file is refused at the first such record
    instead. *columns* (``'title=Title,...'`` or a mapping) reads any CSV by that column map.
    """
    path = Path(path)
    data, repairs = _repair_stray(path, _read_bytes_checked(path), strict)
    if _is_blank(data):
        raise InputError(path, "file is empty; export the references again, or leave this file out")
    if columns is not None:
        fmt = "csv"
    if fmt is None:
        head = data[:65536]
        try:
            head_text = head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut in half at the end
                _raise_text_error(path)
            head_text = head[: exc.start].decode("utf-8-sig")
        fmt = detect_format(path, head_text.replace("\r\n", "\n").replace("\r", "\n"))
    elif fmt not in FORMATS:
        raise InputError(path, f"unknown format '{fmt}'; supported formats are {supported_formats_text()}")
    spec = SPECS[fmt]
    try:
        raw = _read_as(spec, path, data, columns)
    except InputError as exc:
        raise _naming_the_export(exc, spec) from None
    RECORD.produced(raw, by=f"the {fmt} reader")
    raw.attrs["warnings"] = [*repairs, *raw.attrs.get("warnings", [])]
    skipped = raw.attrs.get("skipped", [])
    if strict and (skipped or raw.attrs.get("repaired")):
        problems = [{"line": sk["line"], "reason": f"{sk['entry']}: {sk['reason']}"} for sk in skipped]
        problems += raw.attrs.get("repaired", [])
        first = min(problems, key=lambda p: p["line"] or 0)
        raise _naming_the_export(InputError(path, first["reason"], first["line"]), spec)
    if raw.empty:
        if skipped:
            first = skipped[0]
            raise _naming_the_export(
                InputError(path, f"no record could be read; {first['entry']}: {first['reason']}", first["line"]), spec
            )
        what = ": the table has its header line and no rows" if spec.family == "tables" else ""
        raise _naming_the_export(InputError(path, f"no records found{what}"), spec)
    return fmt, raw


def _read_as(spec, path: Path, data: bytes, columns) -> pd.DataFrame:
    """The raw records of *data* read as *spec*'s format."""
    if spec.binary:
        try:
            return spec.read(path, data)
        except _InvalidUTF8:
            _raise_text_error(path)
    if spec.name == "csv":
        from revalign.bibliography.readers.tables import read_mapped

        return read_mapped(path, _as_text(path, data), columns)
    return spec.read(path, _as_text(path, data))


_WHOLE_FILE_RE = re.compile(r"not an? |no records? ")


def _naming_the_export(exc: InputError, spec) -> InputError:
    """*exc*, when it refuses the whole file (``not a ... export``, ``no records found``), with what
    revalign took the file for and the export of that format it reads (``...; read as Rayyan CSV
    (.csv), as exported by Rayyan: Export > CSV``), so that the refusal says what the file looks
    like and what to export instead. An error in one record (a file refused by ``--strict``, a JSON
    syntax error) and messages that already name the export are kept as they are."""
    if spec.name == "csv" or not _WHOLE_FILE_RE.match(exc.message) or spec.export in exc.message:
        return exc
    export = spec.export.replace("`", "")
    return InputError(exc.file, f"{exc.message}; read as {spec.label}, as exported by {export}", exc.line)


def _labels(paths: list[Path]) -> list[str]:
    names = Counter(p.name for p in paths)
    return [p.name if names[p.name] == 1 else str(p) for p in paths]


# ----------------------------------------------------------------------------------
# normalisation of all records at once


def normalise(raw: pd.DataFrame, source_categories: dict | None = None) -> pd.DataFrame:
    """Vectorised normalisation of raw reader output (all formats at once)."""
    df = pd.DataFrame(index=raw.index)
    for col in _TEXT_COLUMNS:
        df[col] = bn.clean_text_series(raw[col], collapse=col != "abstract")
    doi = bn.normalise_doi_series(raw["doi"])
    from_url = bn.normalise_doi_series(df["url"].where(df["url"].str.contains("doi.org/", regex=False, na=False)))
    df["doi"] = doi.fillna(from_url)
    df["year"] = bn.parse_year_series(raw["year"])
    df["title_key"] = bn.title_key_series(df["title"])
    et = df["entry_type"].str.lower()
    df["doc_type"] = doc_type_series(df["entry_type"])
    df["sourcecategory"] = df["sourcecategory"].fillna(source_category(et, df["doc_type"], source_categories))
    return df


# ----------------------------------------------------------------------------------
# the facade


def _use_jemalloc() -> None:
    """Let pyarrow allocate with jemalloc where the wheel has it (Linux, macOS).

    The import allocates and frees many column-sized buffers; measured on a 100,000-record
    Scopus file (benchmarks/bench_speed.py), jemalloc takes 15-20% less time than pyarrow's
    default mimalloc, at a similar peak. A pool chosen by the user
    (``ARROW_DEFAULT_MEMORY_POOL``) is kept.
    """
    import contextlib
    import os

    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    with contextlib.suppress(NotImplementedError):  # a build without jemalloc (Windows)
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def read_bibliography(
    paths,
    fmt: str | None = None,
    progress: bool = False,
    source_categories: dict | None = None,
    strict: bool = False,
    columns: dict | None = None,
) -> ImportResult:
    """Read, normalise and de-duplicate bibliography exports; see the module docstring.

    *strict* refuses a file at its first record that cannot be read (by default it is
    skipped with a warning and counted in ``per_file["skipped"]``). *columns* maps a path to
    the column map of a CSV read by :func:`revalign.bibliography.readers.tables.read_mapped`
    (``{path: {"title": "Title", ...}}``), or is one column map for every file.
    """
    _use_jemalloc()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    # a path from a parameter file's entry {file: ..., columns: ...} carries its column map
    given = {Path(p): p.columns for p in paths if getattr(p, "columns", None)}
    if given and not columns:
        columns = given
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError(None, "no bibliography files given")
    seen: dict[Path, Path] = {}
    for p in paths:
        key = p.resolve()
        if key in seen:
            raise InputError(p, f"given twice (also as {seen[key]})")
        seen[key] = p
    if fmt is not None and fmt not in FORMATS:
        raise InputError(None, f"unknown format '{fmt}'; supported formats are {supported_formats_text()}")
    labels = _labels(paths)
    order = sorted(range(len(paths)), key=lambda i: labels[i])  # independent of the order given

    frames, per_file, warnings, skipped = [], [], [], []
    for i in _progress(order, enabled=progress, desc="reading", unit="file"):
        f, raw = read_file(paths[i], fmt, strict=strict, columns=_columns_for(columns, paths[i]))
        warnings.extend(raw.attrs.get("warnings", []))
        skipped += [{"file": labels[i], **sk} for sk in raw.attrs.get("skipped", [])]
        raw = raw.assign(_file=labels[i], _format=f)
        frames.append(raw)
        per_file.append(
            {"file": labels[i], "format": f, "records_read": len(raw), "skipped": len(raw.attrs.get("skipped", []))}
        )
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    del frames

    df = normalise(raw, source_categories)
    df["origin"] = (raw["_file"] + ":" + raw["_entry"]).astype("string")
    reject = (df["title_key"].isna() & df["doi"].isna()).to_numpy()
    rejects = pd.DataFrame(
        {
            "file": raw["_file"][reject],
            "entry": raw["_entry"][reject],
            "line": raw["_line"][reject],
            "reason": "no title and no DOI",
            "title": df["title"][reject],
        }
    ).reset_index(drop=True)
    if skipped:
        rejects = pd.concat(
            [
                rejects,
                pd.DataFrame(
                    {
                        "file": [sk["file"] for sk in skipped],
                        "entry": [sk["entry"] for sk in skipped],
                        "line": [sk["line"] for sk in skipped],
                        "reason": [f"skipped at import: {sk['reason']}" for sk in skipped],
                        "title": [None] * len(skipped),
                    }
                ),
            ],
            ignore_index=True,
        )
    rejects = rejects.astype(
        {"file": "string", "entry": "string", "line": "Int64", "reason": "string", "title": "string"}
    )
    del raw  # the raw text (abstracts...) is not needed any more: lower peak memory

    records, merges = deduplicate(df[~reject] if reject.any() else df)
    records = CORPUS.produced(records[COLUMNS], by="read_bibliography")

    pf = pd.DataFrame(per_file, columns=["file", "format", "records_read", "skipped"])
    n_rej = rejects.loc[~rejects["reason"].str.startswith("skipped at import", na=False), "file"].value_counts()
    pf["rejected"] = pf["file"].map(n_rej).fillna(0).astype(int)
    pf["parsed"] = pf["records_read"] - pf["rejected"]
    pf = IMPORT_SUMMARY.produced(pf[PER_FILE_COLUMNS], by="read_bibliography")
    return ImportResult(records=records, merges=merges, rejects=rejects, per_file=pf, warnings=warnings)


def _columns_for(columns: dict | None, path: Path):
    """The column map given for *path* (a map per path, or one map for every file)."""
    if not columns:
        return None
    if all(isinstance(v, str) for v in columns.values()):
        return columns
    for key, value in columns.items():
        if Path(key) == path or Path(key).resolve() == path.resolve():
            return value
    return None


# ----------------------------------------------------------------------------------
# the rows of a screening tool's export, for the screening stage

SCREENING_EXPORTS: tuple[str, ...] = ("rayyan", "covidence", "asreview")


def export_rows(path: str | Path, fmt: str | None = None) -> tuple[str, pd.DataFrame]:
    """The rows of a Rayyan, Covidence or ASReview LAB CSV export with all their original
    columns (text, as written), for the screening stage's decisions.

    Returns ``(format, rows)``: one row per record, in file order, the export's own columns
    (Rayyan's ``notes`` with ``RAYYAN-INCLUSION: {...}``, Covidence's ``Notes``/``Tags``,
    ASReview's ``included`` or ``asreview_label`` and ``exported_notes_*``) plus ``_entry``
    (the record's number: its ``origins`` entry in the corpus is ``FILE:_entry``) and
    ``_line`` (its first line in the file). Rows the bibliography reader skips are skipped
    here too, with the same warnings in ``rows.attrs["warnings"]``.
    """
    from revalign.bibliography.readers.tables import _asreview_columns, _header, _rows, detect_table

    path = Path(path)
    text = read_text(path)
    header, _, _ = _header(text[:65536])
    if fmt is None:
        fmt = detect_table(header) or ("asreview" if _asreview_columns(header) else None)
    if fmt not in SCREENING_EXPORTS:
        shown = ", ".join(h for h in header[:6] if h) + (", ..." if len(header) > 6 else "")
        raise InputError(
            path,
            f"not a Rayyan, Covidence or ASReview LAB CSV export (a table with the columns {shown}); revalign "
            f"reads {'; '.join(SPECS[f].export for f in SCREENING_EXPORTS)}",
        )
    problems = Problems(path)
    header, rows, _ = _rows(path, text, problems)
    df = pd.DataFrame([row for _, _, row in rows], columns=header, dtype="string")
    df["_entry"] = pd.Series([str(n) for _, n, _ in rows], dtype="string")
    df["_line"] = pd.Series([line for line, _, _ in rows], dtype="Int64")
    return fmt, problems.attach(df)


def _is_corpus_csv(f: Path) -> bool:
    """Stage 01's corpus.csv (a regular ``.csv`` whose header has ``record_id``), from its first line only."""
    if f.suffix.lower() != ".csv" or not f.is_file():
        return False  # anything else goes to the export readers, which check it
    with open(f, "rb") as fh:
        return b"record_id" in fh.read(65536).split(b"\n", 1)[0]


def read_corpus(files) -> pd.DataFrame:
    """The works of a run as one table keyed by ``record_id`` (the citation key).

    *files*: stage 01's ``corpus.csv`` (recognised by its ``record_id`` column) or
    bibliography exports of any supported format, which are imported here. Every
    column is text except ``year`` (nullable integer).
    """
    frames, exports = [], []
    for f in map(Path, files or []):
        if not f.exists():
            hint = "; run stage 01 (notebooks/01_bibliography.ipynb) first" if f.name == "corpus.csv" else ""
            raise InputError(f, f"bibliography file not found{hint}")
        if _is_corpus_csv(f):
            df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            frames.append(CORPUS.read(df, f, needs=["record_id"]))
        else:
            exports.append(f)
    if exports:
        records = read_bibliography(exports).records
        frames.append(records.astype(str).replace({"<NA>": "", "nan": "", "None": ""}))
    if not frames:
        return pd.DataFrame(columns=["record_id"])
    corpus = pd.concat(frames, ignore_index=True).drop_duplicates("record_id")
    if "year" in corpus.columns:
        corpus["year"] = pd.to_numeric(corpus["year"], errors="coerce").astype("Int64")
    return corpus.reset_index(drop=True)


def cli_import(args) -> int:
    """``python -m revalign bib import FILE... -o OUT.csv [--dedup-report CSV] [--rejects CSV]``."""
    from revalign.core.atomic import write_csv

    columns = None
    if getattr(args, "columns", None):
        from revalign.bibliography.readers.tables import parse_column_map

        try:
            columns = parse_column_map(args.columns)
        except ValueError as exc:
            raise InputError(None, f"--columns: {exc}") from None
    result = read_bibliography(
        args.files, fmt=args.format, progress=not args.quiet, strict=getattr(args, "strict", False), columns=columns
    )
    # everything is computed before anything is written; the CLI writes the files all or none.
    # The corpus is data a later stage reads back (exact text); the two reports are lists for
    # people, often opened in a spreadsheet: their formula-like cells are neutralised.
    write_csv(result.records, args.output)
    if args.dedup_report:
        write_csv(result.merges, args.dedup_report, spreadsheet=True)
    if args.rejects:
        write_csv(result.rejects, args.rejects, spreadsheet=True)
    print(result.summary())
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if len(result.rejects) and not args.rejects:
        print(f"note: {len(result.rejects)} records rejected; list them with --rejects CSV", file=sys.stderr)
    return 0
