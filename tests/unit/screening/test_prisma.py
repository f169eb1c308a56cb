"""PRISMA 2020 counts and their consistency check (revalign.screening.prisma)."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from revalign.screening import prisma


def fixture():
    # Hand-built run: a.bib has 10 records (1 rejected at import), b.ris 5; 12 unique works.
    # So duplicates = 15 - 1 - 12 = 2. Of the 12: 1 is the review itself (removed before
    # screening), 11 screened: 2 out of window, 3 without keyword, 6 included.
    per_file = pd.DataFrame(
        {
            "file": ["b.ris", "a.bib"],
            "format": ["ris", "bibtex"],
            "records_read": [5, 10],
            "parsed": [5, 9],
            "rejected": [0, 1],
        }
    )
    reasons = ["review_itself"] + ["year_out_of_window"] * 2 + ["no_keyword_match"] * 3 + ["included"] * 6
    screening = pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(12)],
            "reason": reasons,
            "stage": ["identification" if r == "review_itself" else "screening" for r in reasons],
            "decision": ["include" if r == "included" else "exclude" for r in reasons],
        }
    )
    return per_file, 12, screening


def test_hand_computed_counts():
    c = prisma.counts(*fixture())
    assert c["identified"] == {"a.bib": 10, "b.ris": 5}  # sorted by file name
    assert c["identified_total"] == 15
    assert c["removed_before_screening"] == {"duplicates": 2, "rejected_at_import": 1, "review_itself": 1}
    assert c["duplicates_removed"] == 2
    assert c["removed_before_screening_total"] == 4
    assert c["screened"] == 11
    assert c["excluded"] == {
        "year_missing": 0,
        "year_out_of_window": 2,
        "doc_type_excluded": 0,
        "language_excluded": 0,
        "no_keyword_match": 3,
    }
    assert c["excluded_total"] == 5
    assert c["included"] == 6
    assert list(c) == list(prisma.KEYS)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.__setitem__("included", c["included"] + 1),  # screened != excluded + included
        lambda c: c["excluded"].__setitem__("no_keyword_match", 4),  # excluded_total != sum of reasons
        lambda c: c["identified"].__setitem__("a.bib", 11),  # identified_total != sum per source
        lambda c: c.__setitem__("duplicates_removed", 3),  # disagrees with the removed box
        lambda c: c.__setitem__("screened", 12),  # identified != removed + screened
        lambda c: c.__setitem__("included", -1),  # not a count
        lambda c: c.__setitem__("included", 6.0),  # not an integer
        lambda c: c.pop("excluded_total"),  # a box missing
    ],
)
def test_inconsistent_counts_raise(mutate):
    c = prisma.counts(*fixture())
    bad = copy.deepcopy(c)
    mutate(bad)
    with pytest.raises(prisma.PrismaError):
        prisma.check(bad)
    prisma.check(c)  # the original stays valid


def test_screening_must_cover_the_corpus():
    per_file, n, screening = fixture()
    with pytest.raises(prisma.PrismaError, match="unique records"):
        prisma.counts(per_file, n + 1, screening)


def test_duplicates_cannot_be_negative():
    per_file, n, screening = fixture()
    per_file = per_file.assign(records_read=[5, 8])  # 13 read, 1 rejected, 12 unique -> 0 duplicates: fine
    assert prisma.counts(per_file, n, screening)["duplicates_removed"] == 0
    per_file = per_file.assign(records_read=[5, 7])  # 12 read, 1 rejected, 12 unique: impossible
    with pytest.raises(prisma.PrismaError):
        prisma.counts(per_file, n, screening)


def test_write_is_stable_and_refuses_inconsistent(tmp_path):
    c = prisma.counts(*fixture())
    path = prisma.write(c, tmp_path / "prisma.json")
    data = json.loads(path.read_text())
    assert list(data) == list(prisma.KEYS) and data["included"] == 6
    before = path.read_bytes()
    prisma.write(copy.deepcopy(c), path)
    assert path.read_bytes() == before
    bad = copy.deepcopy(c)
    bad["included"] = 7
    with pytest.raises(prisma.PrismaError):
        prisma.write(bad, tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()


def test_flow_figure_shows_the_counts():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = prisma.flow_figure(prisma.counts(*fixture()))
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for expected in ("Records identified (n = 15)", "a.bib: n = 10", "Duplicate records (n = 2)",
                     "Records screened (n = 11)", "Records excluded (n = 5)",
                     "Outside the year window (n = 2)", "included in review (n = 6)"):  # fmt: skip
        assert expected in texts, expected
    assert "No publication year" not in texts  # zero reasons are not listed
    plt.close(fig)
