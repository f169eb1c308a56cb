"""Notebook 03 prints the head of a long list and says how many more the file holds (issue 27).

A corpus of the fixture's works plus 45 uncited ones: the segments cite some fixture works, so
the uncited works are the 45 added and the fixture works no segment cites; at most
views.SHOWN_ROWS (20) of them are printed, then "... and N more".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from revalign.coding import stage, views
from revalign.coding.segments import read_segments

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"


def test_a_long_list_of_uncited_works_is_cut_after_twenty(cb, corpus):
    extra = pd.DataFrame({"record_id": [f"extra{i:02d}" for i in range(45)], "year": 2020})
    big = pd.concat([corpus, extra], ignore_index=True).astype({"year": "Int64"})
    segs = read_segments(FIX / "segments_ok.csv", cb, set(big["record_id"]))
    x = stage.Inputs(codebook=cb, corpus=big, segments=segs, screening=None, lang="en")
    unused = stage.unused_references(x)
    assert len(unused) >= 45
    text = views.unused_text(x, unused, "unused.csv")
    lines = text.splitlines()
    assert lines[0] == f"{len(unused)} works of the corpus are not cited by any segment (listed in unused.csv):"
    assert lines[-1] == f"... and {len(unused) - views.SHOWN_ROWS} more"
    assert len(lines) == 1 + 1 + views.SHOWN_ROWS + 1  # heading, column header, 20 rows, the rest counted
    # a short list is printed whole, with no count of more
    few = views.unused_text(x, unused.head(3), "unused.csv")
    assert "more" not in few and len(few.splitlines()) == 1 + 1 + 3
