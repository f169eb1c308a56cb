"""The table contracts (revalign.core.contracts): each table defined once, checked where it crosses a boundary.

The reader contract is tested on a real export of every registered format (the fixtures of
tests/fixtures/bib/, provenance in tests/fixtures/README.md): a reader that cannot give a column the
corpus declares as coming from the exports fails here, naming the format, instead of a KeyError in a
user's import.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from design_contract import SEGMENT_COLUMNS
from revalign.alignment.table1 import write_table1
from revalign.bibliography import importer
from revalign.bibliography.readers.registry import REGISTRY
from revalign.bibliography.records import RAW_COLUMNS
from revalign.core.contracts import (
    APPRAISAL,
    CORPUS,
    KEY_STATISTICS,
    RECORD,
    SCREENING,
    SEGMENTS,
    TABLE1,
    Column,
    ContractError,
    Table,
)
from revalign.core.errors import InputError

BIB = Path(__file__).resolve().parents[2] / "fixtures" / "bib"

# one real export per registered format (the smallest fixture detected as that format);
# "csv" (any sheet by a column map) is written in the test below
FIXTURE = {
    "bibtex": "real/jabref_windows1252_declared.bib",
    "ris": "endnote.ris",
    "csljson": "zotero.json",
    "scopus": "scopus.csv",
    "wos": "savedrecs.txt",
    "wos_tab": "real/wos_tab_utf8.txt",
    "medline": "real/eric.nbib",
    "pubmed_xml": "real/pubmed_book.xml",
    "refer": "real/endnote_refer_ais.txt",
    "openalex_json": "real/openalex_works.json",
    "openalex_csv": "real/openalex.csv",
    "lens": "real/lens.csv",
    "ieee": "real/ieee.csv",
    "springer": "real/springer_hyphenated_given.csv",
    "embase_csv": "real/embase_csv_2024.csv",
    "pubmed_csv": "real/pubmed.csv",
    "dimensions": "real/dimensions.csv",
    "pop_json": "real/pop_google_scholar.json",
    "endnote_xml": "real/endnote.xml",
    "embase_rows": "real/embase_fields_by_row.csv",
    "rayyan": "real/rayyan.csv",
    "covidence": "real/covidence.csv",
    "asreview": "real/asreview_labels.csv",
    "cochrane_csv": "real/cochrane_central.csv",
    "cochrane_txt": "real/cochrane_library_reviews.txt",
    "scielo_csv": "real/scielo_search_reconstructed.csv",
    "bvs_csv": "real/bvs_lilacs_reconstructed.csv",
    "zotero_csv": "real/zotero.csv",
    "zotero_rdf": "real/zotero_rdf_report.rdf",
    "ovid": "real/ovid_books_editors.txt",
    "refworks_csv": "real/refworks.tsv",
    "refworks": "real/refworks_tagged.txt",
    "pop_csv": "real/pop_google_scholar.csv",
    "jstor_dfr": "real/jstor_dfr_article.xml",
}


def test_every_registered_format_has_a_fixture_here():
    # a new format without a real export in this list fails here
    assert {f.name for f in REGISTRY} - {"csv"} == set(FIXTURE)


@pytest.mark.parametrize("fmt", sorted(FIXTURE))
def test_every_reader_returns_the_record_contract(fmt):
    detected, raw = importer.read_file(BIB / FIXTURE[fmt])
    assert detected == fmt  # the fixture is read as the format it stands for
    assert len(raw) > 0
    assert set(RAW_COLUMNS) <= set(raw.columns)
    text = [c for c in RAW_COLUMNS if c != "_line"]
    assert all(pd.api.types.is_string_dtype(raw[c]) for c in text), raw.dtypes[text]
    assert pd.api.types.is_integer_dtype(raw["_line"])


def test_a_sheet_by_a_column_map_returns_the_record_contract(tmp_path):
    f = tmp_path / "sheet.csv"
    f.write_text('Paper,Writers,When\nA study,"Lee, Kim",2021\n', encoding="utf-8")
    fmt, raw = importer.read_file(f, columns={"title": "Paper", "authors": "Writers", "year": "When"})
    assert fmt == "csv" and set(RAW_COLUMNS) <= set(raw.columns)


def test_a_reader_that_forgets_a_column_is_caught_naming_it(monkeypatch):
    # the failure of issue 28: a corpus column added, one reader not taught to give it
    from revalign.bibliography.readers import tables

    real = tables.read_scopus
    spec = importer.SPECS["scopus"]
    forgetful = dataclasses.replace(spec, reader=lambda path, data: real(path, data).drop(columns="editors"))
    monkeypatch.setitem(importer.SPECS, "scopus", forgetful)
    with pytest.raises(ContractError, match=r"the scopus reader wrote .* editors"):
        importer.read_file(BIB / "scopus.csv")


def test_record_is_derived_from_the_corpus():
    # the reader columns are the corpus columns marked as coming from exports, plus the reader's own three
    exported = [c.name for c in CORPUS.columns if c.export]
    assert RECORD.names == ["src_id", *exported, "_entry", "_line"]
    assert "origins" not in RECORD.names and "doc_type" not in RECORD.names  # made by the importer


def test_the_corpus_written_by_the_importer_has_every_required_column():
    res = importer.read_bibliography([BIB / "refs.bib"])
    assert list(res.records.columns) == CORPUS.names
    assert list(res.per_file.columns) == ["file", "format", "records_read", "parsed", "rejected", "skipped"]


def test_segment_columns_are_the_design_contract():
    assert list(SEGMENTS.required) == SEGMENT_COLUMNS


# ---- Table.produced / Table.read / Table.needs on a small table --------------------------------

T = Table(
    "a test table",
    None,
    "id, kind and n",
    (
        Column("id", "the id", blank=False),
        Column("kind", "a or b", values=("a", "b")),
        Column("n", "a count", kind="int"),
        Column("note", "free text", required=False, aliases=("comment",)),
    ),
)


def test_produced_refuses_a_missing_column_and_a_column_of_another_kind():
    ok = pd.DataFrame({"id": ["x"], "kind": ["a"], "n": [1]})
    assert T.produced(ok, by="f") is ok
    with pytest.raises(ContractError, match=r"f wrote a test table without the column\(s\) n"):
        T.produced(ok.drop(columns="n"), by="f")
    with pytest.raises(ContractError, match=r"n \(\w+, not int\)"):
        T.produced(ok.assign(n=["one"]), by="f")


def test_read_names_the_file_and_the_line_of_a_bad_value(tmp_path):
    f = tmp_path / "t.csv"
    # rows start on line 2 (line 1: the header): the third row is on line 4
    df = pd.DataFrame({"id": ["x", "y", "z"], "kind": ["a", "", "c"], "n": ["1", "2", "3"]})
    with pytest.raises(InputError) as e:
        T.read(df, f)
    assert (e.value.line, e.value.message) == (4, "kind is 'c'; use one of: a, b")
    df.loc[2, "kind"] = "b"
    df.loc[1, "id"] = " "
    with pytest.raises(InputError, match="id is empty") as e:
        T.read(df, f)
    assert e.value.line == 3


def test_read_refuses_a_file_without_a_needed_column_and_accepts_an_alias(tmp_path):
    f = tmp_path / "t.csv"
    with pytest.raises(InputError, match=r"a test table lacks the column\(s\) n") as e:
        T.read(pd.DataFrame({"id": ["x"], "kind": ["a"]}), f)
    assert e.value.line == 1
    df = pd.DataFrame({"id": ["x"], "comment": ["c"]})
    assert T.read(df, f, needs=["id", "note"]) is df


def test_needs_refuses_a_column_the_contract_does_not_declare():
    assert CORPUS.needs("record_id", "title") == ["record_id", "title"]
    with pytest.raises(ContractError, match="declares no column n_claims_total"):
        TABLE1.needs("dimension", "n_claims_total")


def test_write_table1_refuses_a_table1_without_its_counts(tmp_path):
    table = pd.DataFrame({"dimension": ["d1"], "level": ["high"], "label_en": ["High"], "n_strength": [2]})
    with pytest.raises(ContractError, match=r"n_gap, n_sources"):
        write_table1(table, tmp_path / "table1.csv")
    assert not (tmp_path / "table1.csv").exists()
    write_table1(table.assign(n_gap=[0], n_sources=[1]), tmp_path / "table1.csv")
    assert (tmp_path / "table1.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "dimension,level,label_en,n_strength,n_gap,n_sources"
    )


# ---- screening, key statistics, appraisal ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]


def _renamed(path: Path, column: str, to: str, tmp_path: Path) -> Path:
    """A copy of the CSV at *path* whose header names *column* as *to* (rows unchanged)."""
    head, _, rest = path.read_text(encoding="utf-8").partition("\n")
    out = tmp_path / path.name
    out.write_text(",".join(to if c == column else c for c in head.split(",")) + "\n" + rest, encoding="utf-8")
    return out


def test_the_screening_table_stage_02_writes_is_its_contract():
    # data/processed/screening.csv is what stage 02 wrote (make report regenerates it; git status stays clean):
    # its header is the contract's columns in order, and reading it back passes the contract
    from revalign.coding.screened import read_screening

    path = ROOT / "data" / "processed" / "screening.csv"
    assert pd.read_csv(path, nrows=0).columns.tolist() == SCREENING.names
    assert len(read_screening(path)) == 42  # one row per record of references.bib (41 works and the review itself)


@pytest.mark.parametrize("column", ["record_id", "decision", "reason"])
def test_a_screening_table_without_a_column_stage_03_reads_is_refused_on_line_1(tmp_path, column):
    from revalign.coding.screened import read_screening

    bad = _renamed(ROOT / "data" / "processed" / "screening.csv", column, column + "_x", tmp_path)
    with pytest.raises(InputError) as e:
        read_screening(bad)
    assert (e.value.line, e.value.message.split(" (")[0]) == (1, f"the screening table lacks the column(s) {column}")


def test_screen_run_checks_what_it_made(monkeypatch):
    # a flow that lost a column of the contract is caught where the table is made, before anything is written
    from revalign.core import config
    from revalign.screening import flow, stage

    monkeypatch.setattr(flow, "COLUMNS", [c for c in SCREENING.names if c != "outcome"])
    with pytest.raises(ContractError, match="screen_run wrote the screening table without the column.s. outcome"):
        stage.screen(config.load(ROOT / "params" / "default.yml", root=ROOT))


@pytest.mark.parametrize("column", [c for c in KEY_STATISTICS.required])
def test_a_key_statistics_file_without_a_column_is_refused_on_line_1(tmp_path, column):
    from revalign.coding.key_statistics import read_key_statistics

    real = ROOT / "data" / "raw" / "coding" / "key_statistics.csv"  # the published review's, header from it
    assert len(read_key_statistics(real)) > 0
    spelled = next(s for s in KEY_STATISTICS.column(column).spellings if s in real.read_text().split("\n")[0])
    with pytest.raises(InputError) as e:
        read_key_statistics(_renamed(real, spelled, "misnamed", tmp_path))
    assert e.value.line == 1 and e.value.message.startswith(f"the key-statistics file lacks the column(s) {column}")


@pytest.mark.parametrize("column", APPRAISAL.names)
def test_an_appraisal_file_without_a_column_is_refused_on_line_1(tmp_path, column):
    from revalign.alignment.appraisal import read_appraisal

    real = ROOT / "data" / "raw" / "coding" / "appraisal.csv"  # the published review's
    assert len(read_appraisal(real)) > 0
    with pytest.raises(InputError) as e:
        read_appraisal(_renamed(real, column, "misnamed", tmp_path))
    assert (e.value.line, e.value.message.split(" (")[0]) == (1, f"the appraisal file lacks the column(s) {column}")


def test_the_readers_take_their_columns_and_values_from_the_contracts():
    from revalign.alignment import appraisal
    from revalign.coding import key_statistics, screened
    from revalign.screening import flow

    assert SCREENING.names == flow.COLUMNS and SCREENING.column("outcome").values == flow.OUTCOMES
    assert set(screened.SCREENING_COLUMNS) <= set(SCREENING.names)
    assert list(appraisal.COLUMNS) == APPRAISAL.names and APPRAISAL.column("judgement").values == appraisal.JUDGEMENTS
    assert key_statistics.LABEL_COLUMNS[0] == "label" and key_statistics.KEY_COLUMNS[0] == "ref_key"
    # the judgements the appraisal module names one by one are the contract's, in its order
    assert appraisal.JUDGEMENTS[:4] == (appraisal.YES, appraisal.PARTLY, appraisal.NO, appraisal.UNCLEAR)
    assert appraisal.JUDGEMENTS[4:] == (appraisal.NOT_APPLICABLE, appraisal.NOT_ASSESSED)
