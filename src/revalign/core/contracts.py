"""The tables that pass between stages and from users to stages, each defined once.

Every table that one module writes and another reads (or that a user writes and a stage reads) is a
:class:`Table` here: its columns in order, what each holds, which are required, and the values a
column may take. The modules that write and read a table take its column names from here, and check
it where it crosses a boundary:

- where a table is written, :meth:`Table.produced` checks that the code made what it promised (every
  required column, each of its kind); a failure is a :class:`ContractError`, a bug in revalign, never
  the user's input;
- where a table is read from a file, :meth:`Table.read` checks that the file has the required
  columns (and, for a column with ``values``, only those values) and raises
  :class:`~revalign.core.errors.InputError` naming the file and line, like every bad input.

The contracts and where they are checked:

- :data:`CORPUS`: ``corpus.csv`` of stage 01 and ``bib import -o``; checked where
  ``importer.read_bibliography`` makes it and where ``importer.read_corpus`` reads it; the report
  names the columns it needs with :meth:`Table.needs`.
- :data:`RECORD`, derived from the corpus (the columns marked ``export``): what every bibliography
  reader returns, checked by ``importer.read_file`` on every file read. Adding a corpus column is one
  :class:`Column` in :data:`CORPUS` (``export=True`` when exports give it) plus the readers that fill
  it; a reader that cannot produce it fails tests/unit/core/test_contracts.py, which reads a real
  export of every registered format.
- :data:`IMPORT_SUMMARY`: stage 01's ``import_summary.csv``, checked where it is made.
- :data:`SCREENING`: stage 02's ``screening.csv``, checked where ``screening.flow.screen_run`` makes it and
  where ``coding.screened.read_screening`` reads it; the report names the columns it keeps with
  :meth:`Table.needs`.
- :data:`KEY_STATISTICS`: the key-statistics file a user writes, checked where
  ``coding.key_statistics.read_key_statistics`` reads it (its label and source key columns have aliases).
- :data:`APPRAISAL`: the critical appraisal file a user writes, checked where
  ``alignment.appraisal.read_appraisal`` reads it (which also checks tools, criteria and completeness).
- :data:`SEGMENTS`: the coded-segments file; ``coding/segments.py`` (cells and codes against the
  codebook) and ``qda import`` take its columns from here.
- :data:`TABLE1`: stage 04's ``table1.csv`` (and ``align -o``), checked by
  ``alignment.table1.write_table``; the report names the columns it needs with :meth:`Table.needs`.

More columns than declared may follow in every table (a review's own columns, ``claim_id``...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.api.extensions import ExtensionDtype

from revalign.core.errors import InputError

DtypeObj = np.dtype | ExtensionDtype  # a column's dtype, as DataFrame.dtypes gives it
Kind = Literal["text", "int", "float", "bool", "any"]


class ContractError(AssertionError):
    """A table written by revalign lacks what its contract promises: a bug, not a user's mistake."""


@dataclass(frozen=True)
class Column:
    """One column: its name, what it holds, and how strictly it is required.

    ``aliases``: other names a user's file may give it (the first present is used).
    ``required``: every table of this kind has it (written always; a file without it is refused when
    read). ``kind``: how the column is typed in memory (``text``: pandas strings or objects; ``int``:
    integers, nullable; ``float``; ``bool``; ``any``). ``values``: the only values it may hold
    (blank allowed unless the column is required and ``blank`` is false). ``export``: (corpus only)
    a field the bibliography exports give, so every reader returns it.
    """

    name: str
    description: str
    kind: Kind = "text"
    required: bool = True
    values: tuple[str, ...] = ()
    blank: bool = True
    export: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """The column's name and its aliases, in the order a file is searched for them."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Table:
    """A table's contract: see the module docstring."""

    name: str  # how messages name it ("the corpus", "coded segments")
    file: str | None  # the stage file it is written as (revalign.pipeline.stages), or None for a user's file
    description: str
    columns: tuple[Column, ...]
    key: str | None = None  # a column whose values are unique
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: a column is declared twice")
        object.__setattr__(self, "_by_name", {c.name: c for c in self.columns})

    @property
    def names(self) -> list[str]:
        """Every declared column, in order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """The columns every table of this kind has."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def needs(self, *names: str) -> list[str]:
        """*names*, the columns a reader of this table uses, checked to be declared here: a module
        that reads a column the contract does not define fails when it is imported, not on a user's
        file. Returns the names as a list."""
        undeclared = [n for n in names if n not in self._by_name]
        if undeclared:
            raise ContractError(f"{self.name} declares no column {', '.join(undeclared)} (core/contracts.py)")
        return list(names)

    def missing(self, columns: Iterable[str]) -> list[str]:
        """The required columns none of whose spellings is among *columns*."""
        have = set(columns)
        return [c.name for c in self.columns if c.required and not have.intersection(c.spellings)]

    # ---- where revalign writes the table ------------------------------------------------
    def produced(self, df: pd.DataFrame, by: str) -> pd.DataFrame:
        """*df* as written by *by* (a function or reader name), checked: every required column there,
        each declared column present of its kind. Returns *df* unchanged; ContractError otherwise."""
        absent = self.missing(df.columns)
        if absent:
            raise ContractError(f"{by} wrote {self.name} without the column(s) {', '.join(absent)} (core/contracts.py)")
        dtypes = df.dtypes  # the dtypes only: a check per column costs no pass over the data
        wrong = [
            f"{c.name} ({dtypes[c.name]}, not {c.kind})"
            for c in self.columns
            if c.name in dtypes.index and not _is(dtypes[c.name], c.kind) and not _all_missing(df[c.name])
        ]
        if wrong:
            raise ContractError(f"{by} wrote {self.name} with column(s) of another kind: {', '.join(wrong)}")
        return df

    # ---- where a stage reads the table from a file ----------------------------------------
    def read(
        self,
        df: pd.DataFrame,
        path: str | Path,
        needs: Iterable[str] | None = None,
        header_line: int = 1,
        first_line: int = 2,
    ) -> pd.DataFrame:
        """*df*, read from *path*, checked: the columns the reader *needs* (declared columns of this
        table; default: the required ones), and only allowed values where a column declares them
        (InputError on the row's line; rows start at *first_line*). Returns *df*."""
        wanted = self.required if needs is None else self.needs(*needs)
        have = set(df.columns)
        absent = [n for n in wanted if not have.intersection(self._by_name[n].spellings)]
        if absent:
            hint = f" ({self.description})" if self.description else ""
            named = [
                n + (f" (or {', '.join(self._by_name[n].aliases)})" if self._by_name[n].aliases else "") for n in absent
            ]
            raise InputError(path, f"{self.name} lacks the column(s) {', '.join(named)}{hint}", header_line)
        for c in self.columns:
            if c.name not in df.columns or not (c.values or (c.required and not c.blank)):
                continue
            text = df[c.name].astype("string").fillna("").str.strip()
            bad = ~text.isin(c.values) if c.values else pd.Series(False, index=df.index)
            if c.values and c.blank:
                bad &= text != ""
            if c.required and not c.blank:
                bad |= text == ""
            if bad.any():
                i = int(bad.to_numpy().argmax())
                value = text.iloc[i]
                allowed = f"; use one of: {', '.join(c.values)}" if c.values else ""
                what = f"{c.name} is {value!r}" if value else f"{c.name} is empty"
                raise InputError(path, f"{what}{allowed}", first_line + i)
        return df


def _is(dtype: DtypeObj, kind: Kind) -> bool:
    """Whether a column of *dtype* holds values of *kind*."""
    if kind == "any":
        return True
    if kind == "text":
        return bool(ptypes.is_string_dtype(dtype) or ptypes.is_object_dtype(dtype))
    if kind == "int":
        return bool(ptypes.is_integer_dtype(dtype))
    if kind == "float":
        return bool(ptypes.is_numeric_dtype(dtype) and not ptypes.is_bool_dtype(dtype))
    return bool(ptypes.is_bool_dtype(dtype) or ptypes.is_object_dtype(dtype))


def _all_missing(s: pd.Series) -> bool:
    """A column with rows and nothing in them (pandas types it as it can: any kind will do)."""
    return bool(len(s) and s.isna().all())


# ---- stage 01: bibliography ----------------------------------------------------------------

CORPUS = Table(
    "the corpus",
    "corpus.csv",
    "stage 01's corpus.csv, one row per unique work",
    (
        Column("record_id", "the work's id in every later table: its citation key"),
        Column("doi", "DOI, lower case, without https://doi.org/ or doi:", export=True),
        Column("title", "title as the export gives it, NFC, white space collapsed", export=True),
        Column("year", "year of publication (missing allowed)", kind="int", export=True),
        Column("authors", "'Family, Given; Family, Given'", export=True),
        Column("source_title", "journal, book, proceedings or web site", export=True),
        Column("doc_type", "document type in a vocabulary common to every format (bibliography.doctypes.DOC_TYPES)"),
        Column("abstract", "abstract (line breaks kept)", export=True),
        Column("keywords", "author and index keywords, '; '-separated", export=True),
        Column("origins", "every FILE:ENTRY merged into the work, '; '-separated"),
        Column("entry_type", "the export's own type of the entry (BibTeX @article, RIS JOUR...)", export=True),
        Column("volume", "volume", required=False, export=True),
        Column("issue", "issue or number", required=False, export=True),
        Column("pages", "pages ('start-end') or article number", required=False, export=True),
        Column("url", "URL", required=False, export=True),
        Column("publisher", "publisher or institution", required=False, export=True),
        Column("language", "language as the export names it", required=False, export=True),
        Column("citation_key", "the key segments cite: the export's key, else author + year + title word", export=True),
        Column("sourcetype", "custom field: primary | secondary | review", required=False, export=True),
        Column(
            "sourcecategory",
            "custom field, else from the document type (source_categories)",
            required=False,
            export=True,
        ),
        Column("inreflist", "custom field: yes | no | self", required=False, export=True),
        Column("editors", "editors of the book or proceedings, as authors", required=False, export=True),
    ),
    key="record_id",
)

# What every reader returns besides the corpus fields the exports give: the entry's id in the
# export, its label in origins and its first line in the file.
_READER_ONLY = (
    Column("_entry", "the entry's label in origins: key, id or record number"),
    Column("_line", "the entry's first line in the file (missing when unknown)", kind="int"),
)


def _record_columns() -> tuple[Column, ...]:
    fields = [Column(c.name, c.description) for c in CORPUS.columns if c.export]
    return (Column("src_id", "the entry's id in the export (EID, accession number...)"), *fields, *_READER_ONLY)


RECORD = Table(
    "a reader's records",
    None,
    "what every bibliography reader returns: the corpus fields the exports give, as text",
    _record_columns(),
)

IMPORT_SUMMARY = Table(
    "the import summary",
    "import_summary.csv",
    "stage 01's import_summary.csv, one row per export file",
    (
        Column("file", "the file's name (its path when two files share a name)"),
        Column("format", "the format it was read as"),
        Column("records_read", "records in the file", kind="int"),
        Column("parsed", "records read into the corpus", kind="int"),
        Column("rejected", "records without a title or a DOI", kind="int"),
        Column("skipped", "records the reader skipped as broken, with a warning", kind="int", required=False),
    ),
)

# ---- stage 02: screening ---------------------------------------------------------------------

SCREENING = Table(
    "the screening table",
    "screening.csv",
    "stage 02's screening.csv, one row per record of the corpus: what happened to it, who or which criterion "
    "decided, at which stage and why",
    (
        Column("record_id", "the record's id in the corpus", blank=False),
        Column("citation_key", "its citation key"),
        Column("decision", "include or exclude (a person's sheet may say maybe or not_retrieved)"),
        Column("reason", "why: a criterion's code (screening.rules.REASONS) or the reviewers' reason"),
        Column("stage", "title_abstract or full_text: where the decision was taken"),
        Column(
            "outcome",
            "the record's place in the PRISMA 2020 flow",
            values=("not_a_record", "automation", "records_excluded", "not_retrieved", "reports_excluded", "included"),
        ),
        Column(
            "arm", "databases, other_methods or none (the review itself)", values=("databases", "other_methods", "none")
        ),
        Column("decided_by", "criterion, the reviewers who agreed, or resolution"),
        Column("source", "FILE:LINE of a person's decision (empty for a criterion)"),
        Column("matched_keyword", "the screening keyword the record matched", kind="any"),
        Column("window_applied", "whether the year window applies to the record", kind="any"),
        Column("keywords_applied", "whether the keywords apply to the record", kind="any"),
        Column("year", "year of publication", kind="any"),
        Column("sourcetype", "primary | secondary | review", kind="any"),
        Column("doc_type", "document type (bibliography.doctypes)", kind="any"),
        Column("language", "language as the export names it", kind="any"),
        Column("title", "title", kind="any"),
    ),
    key="record_id",
)

# ---- stage 03: coding ------------------------------------------------------------------------

KEY_STATISTICS = Table(
    "the key-statistics file",
    None,
    "the numbers the review quotes, one a row (coding/key_statistics.py)",
    (
        Column("label", "what the number is", aliases=("statistic", "description_en", "description", "claim")),
        Column("value", "the number (thousands separators ',' allowed)"),
        Column(
            "ref_key", "citation key of its source (a citation_key of the corpus)", aliases=("source_key", "source")
        ),
        Column("unit", "the number's unit", required=False),
        Column("approximate", "true, yes, 1 or y when the review gives the number as approximate", required=False),
    ),
)

SEGMENTS = Table(
    "coded segments",
    None,
    "one row per coded piece of evidence; every cell filled (coding/segments.py checks the codes)",
    (
        Column("segment_id", "unique id of the segment", blank=False),
        Column("ref_key", "citation key of the cited work (a citation_key of the corpus)", blank=False),
        Column("locator", "where in the work: page, section, paragraph", blank=False),
        Column("theme", "a theme id of the codebook", blank=False),
        Column("dimension", "a component id of the codebook", blank=False),
        Column("polarity", "a polarity code of the codebook (its role: strength, gap or mixed)", blank=False),
        Column("facet", "a facet code of the codebook (the parts the levels are defined on)", blank=False),
        Column("context", "a context code of the codebook", blank=False),
        Column("excerpt", "the evidence as quoted or paraphrased", blank=False),
        Column("coder", "who coded it", blank=False),
        Column(
            "claim_id",
            "the claim the segment codes (two coders' files name the same claims)",
            required=False,
            blank=False,
        ),
    ),
    key="segment_id",
)

# ---- stage 04: alignment ---------------------------------------------------------------------

TABLE1 = Table(
    "Table 1",
    "table1.csv",
    "stage 04's table1.csv, one row per headline dimension",
    (
        Column("dimension", "component id of the codebook"),
        Column("dimension_label", "its label in the run's language", required=False),
        Column("level", "level id the rule assigns (empty: no coded evidence)"),
        Column("level_rank", "the level's rank (empty: no coded evidence)", kind="any", required=False),
        Column("label_en", "the level's English label"),
        Column("n_strength", "claims coded with the strength role", kind="int"),
        Column("n_gap", "claims coded with the gap role", kind="int"),
        Column("n_sources", "distinct cited sources", kind="int"),
        Column("published_level", "the level of the published table (replication check)", required=False),
        Column("matches_published", "whether the rule reproduces it", kind="any", required=False),
    ),
    key="dimension",
)

# ---- stage 04: alignment inputs --------------------------------------------------------------

APPRAISAL = Table(
    "the appraisal file",
    None,
    "one row per cited source and criterion of a named appraisal tool (alignment/appraisal.py checks tools, "
    "criteria and that every criterion is judged)",
    (
        Column("ref_key", "citation key of the appraised source", blank=False),
        Column("design", "the source's study design (the same on every row of one source)"),
        Column("tool", "the appraisal tool (alignment.appraisal.TOOLS), or relevance", blank=False),
        Column("criterion", "a criterion of that tool", blank=False),
        Column(
            "judgement",
            "how far the source meets the criterion",
            values=("yes", "partly", "no", "unclear", "not_applicable", "not_assessed"),
            blank=False,
        ),
        Column("reason", "why (never empty)", blank=False),
    ),
)

#: every contract, by the name of the file or table
TABLES: dict[str, Table] = {
    "corpus": CORPUS,
    "record": RECORD,
    "import_summary": IMPORT_SUMMARY,
    "screening": SCREENING,
    "segments": SEGMENTS,
    "key_statistics": KEY_STATISTICS,
    "appraisal": APPRAISAL,
    "table1": TABLE1,
}

#: the columns of a coded-segments file (data/raw/coding/segments.csv and ``qda import``'s output),
#: in order; more columns (such as ``claim_id``) may follow them
SEGMENT_COLUMNS: tuple[str, ...] = tuple(SEGMENTS.required)
