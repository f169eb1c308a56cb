"""The report looks up the works it cites in stage 01's corpus_lookup.arrow instead of parsing the whole
corpus.csv (issue 27), and gives the same page.

The hand-made corpus below is small enough to read the expected rows off it by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from revalign.bibliography import summary
from revalign.core import config
from revalign.core.exports import read_table
from revalign.core.lookup import read_lookup, write_lookup
from revalign.report.build import build_report
from revalign.report.view import CORPUS_FLAGS

CORPUS = (
    "record_id,title,abstract,inreflist,sourcetype,year\n"
    "zeta2020,Last by key first in the file,long text,yes,secondary,2020\n"
    "alpha2019,Cited,long text,yes,secondary,2019\n"
    "mid2018,Not cited and not flagged,,yes,secondary,2018\n"
    "gamma2017,Flagged: not in the reference list,, No ,primary,2017\n"
    "delta2016,Flagged: a review,,yes, Review,\n"
    'omega2015,"Cited, with a comma",,,,2015\n'
)


def _corpus(tmp_path) -> tuple[Path, Path]:
    source, lookup = tmp_path / "corpus.csv", tmp_path / "corpus_lookup.arrow"
    source.write_text(CORPUS, encoding="utf-8")
    write_lookup(read_table(source), lookup)
    return source, lookup


def test_the_cited_and_the_flagged_works_in_the_corpus_order(tmp_path):
    source, lookup = _corpus(tmp_path)
    found = read_lookup(lookup, source, {"omega2015", "alpha2019", "not-in-corpus"}, CORPUS_FLAGS)
    assert found is not None
    rows, n_works = found
    assert n_works == 6
    # cited: alpha2019, omega2015; flagged: gamma2017 (" No "), delta2016 (" Review"); in the file's order
    assert list(rows["record_id"]) == ["alpha2019", "gamma2017", "delta2016", "omega2015"]
    assert "abstract" not in rows.columns  # the long texts stay in the corpus file
    expected = read_table(source).drop(columns=["abstract"]).set_index("record_id").loc[list(rows["record_id"])]
    assert rows.set_index("record_id").to_dict("index") == expected.to_dict("index")  # every cell as text
    assert rows.loc[rows["record_id"] == "delta2016", "year"].item() == ""  # a missing cell is ""


def test_a_lookup_older_than_the_corpus_or_unreadable_is_not_used(tmp_path):
    source, lookup = _corpus(tmp_path)
    st = lookup.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # the corpus written again since
    assert read_lookup(lookup, source, {"alpha2019"}) is None
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns - 1_000_000_000))
    assert read_lookup(lookup, source, {"alpha2019"}) is not None
    lookup.write_bytes(b"record_id\nalpha2019\n")  # not an Arrow file
    assert read_lookup(lookup, source, {"alpha2019"}) is None
    lookup.unlink()
    assert read_lookup(lookup, source, {"alpha2019"}) is None


def test_the_report_takes_the_works_from_the_lookup_and_shows_the_same_page(run_root):
    cfg = config.load("params/default.yml", root=run_root)
    corpus_csv = cfg.processed_dir / "corpus.csv"
    corpus = read_table(corpus_csv)
    cfg.interim_dir.mkdir(parents=True, exist_ok=True)
    (cfg.interim_dir / "corpus_summary.json").write_text(json.dumps(summary.summarise(corpus)), encoding="utf-8")
    whole = build_report(cfg).path.read_text(encoding="utf-8")  # no lookup file: the whole corpus.csv is read
    lookup = cfg.interim_dir / "corpus_lookup.arrow"
    write_lookup(corpus, lookup)
    result = build_report(cfg)
    assert result.path.read_text(encoding="utf-8") == whole
    assert result.n_works == len(corpus) == 5 and result.n_references == 5  # the fixture cites every work
    # the page's works come from the lookup, not from parsing corpus.csv: a title only the lookup holds shows
    marked = corpus.copy()
    marked.loc[marked["record_id"] == "wef2025future", "title"] = "Title Only In The Lookup"
    write_lookup(marked, lookup)
    assert "Title Only In The Lookup" in build_report(cfg).path.read_text(encoding="utf-8")
    # corpus.csv written after the lookup: the lookup is stale and the corpus file is read
    later = lookup.stat().st_mtime_ns + 1_000_000_000
    os.utime(corpus_csv, ns=(later, later))
    assert build_report(cfg).path.read_text(encoding="utf-8") == whole
    # without stage 01's counts the page counts the whole corpus itself, so it reads corpus.csv
    os.utime(lookup, ns=(later + 1, later + 1))
    (cfg.interim_dir / "corpus_summary.json").unlink()
    assert "Title Only In The Lookup" not in build_report(cfg).path.read_text(encoding="utf-8")


def test_the_lookup_holds_what_read_table_gives(tmp_path):
    """Cells pandas would read as numbers or missing (NA, 007, 1e5) stay the text of the file."""
    source = tmp_path / "corpus.csv"
    source.write_text("record_id,volume,pages,note\nr1,007,1e5,NA\nr2,,12,null\n", encoding="utf-8")
    write_lookup(read_table(source), tmp_path / "l.arrow")
    rows, n = read_lookup(tmp_path / "l.arrow", source, {"r1", "r2"})
    assert n == 2
    assert rows.to_dict("records") == [
        {"record_id": "r1", "volume": "007", "pages": "1e5", "note": "NA"},
        {"record_id": "r2", "volume": "", "pages": "12", "note": "null"},
    ]
    assert isinstance(rows, pd.DataFrame)
