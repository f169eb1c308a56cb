"""Stage 01 counts the corpus once for the report (corpus_summary.json, issue 27); the report shows
those counts instead of counting the whole corpus again.

The corpus is hand-made; each expected count is read off the rows below.
"""

from __future__ import annotations

import json

import pandas as pd

from revalign.bibliography import summary
from revalign.core import config
from revalign.report.build import build_report

CORPUS = pd.DataFrame(
    {
        "record_id": ["a", "b", "c", "d", "e", "f"],
        "year": ["2019", "2021", "2021", "", "1999", "n.d."],
        "source_title": ["Journal X", "JOURNAL X", "Journal Y", "", "Journal Y", "Journal Z"],
        "doc_type": ["article", "article", "report", "", "article", "book"],
        "sourcetype": ["Primary", "primary", "secondary", None, "", ""],
    }
)


def test_counts_by_hand():
    s = summary.summarise(CORPUS)
    assert s["n_works"] == 6
    assert s["years"] == {"1999": 1, "2019": 1, "2021": 2}  # "" and "n.d." are no year
    venues = s["columns"]["source_title"]
    # "JOURNAL X" is a spelling of "Journal X"
    assert dict(map(tuple, venues["top"])) == {"Journal X": 2, "Journal Y": 2, "Journal Z": 1}
    assert venues["missing"] == 1 and venues["more"] == 0
    assert s["columns"]["doc_type"]["top"] == [["article", 3], ["report", 1], ["book", 1]]
    assert s["columns"]["sourcetype"]["top"] == [["primary", 2], ["secondary", 1]]  # ids: case folded
    assert s["columns"]["sourcetype"]["missing"] == 3
    assert "inreflist" not in s["columns"]  # the corpus lacks it


def test_values_beyond_those_kept_are_counted(monkeypatch):
    monkeypatch.setattr(summary, "KEPT", 1)
    doc = summary.summarise(CORPUS)["columns"]["doc_type"]
    assert doc == {"top": [["article", 3]], "more": 2, "more_works": 2, "missing": 1}


def test_the_report_shows_stage_01s_counts(run_root):
    cfg = config.load("params/default.yml", root=run_root)
    corpus = pd.read_csv(cfg.processed_dir / "corpus.csv", dtype=str, keep_default_na=False)
    counted = summary.summarise(corpus)
    # counted by stage 01: a venue the corpus file does not hold shows on the page, so the page did not
    # count the corpus again
    counted["columns"]["source_title"]["top"] = [["Counted Only By Stage One", 977]]
    path = cfg.interim_dir / "corpus_summary.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(counted), encoding="utf-8")
    page = build_report(cfg).path.read_text(encoding="utf-8")
    assert "Counted Only By Stage One" in page and "977" in page
    # an older layout: the report counts the corpus itself
    path.write_text(json.dumps({**counted, "layout": 0}), encoding="utf-8")
    page = build_report(cfg).path.read_text(encoding="utf-8")
    assert "Counted Only By Stage One" not in page
