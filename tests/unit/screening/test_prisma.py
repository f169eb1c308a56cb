"""PRISMA 2020 counts, their consistency check and the flow diagram (revalign.screening.prisma)."""

from __future__ import annotations

import copy
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from revalign.screening import prisma


def fixture():
    """A hand-built run (every count below is worked out from these rows, not from the code).

    a.bib: 10 records read, 1 rejected at import; b.ris: 5 read. 12 unique records, so
    15 - 1 - 12 = 2 duplicates. Of the 12: r0 is the review itself (not a record); r1-r2 are
    policy documents chosen by name (other methods), r2 excluded at full text ("outdated");
    r3 removed before screening by the year criterion (people screen, so it is automation);
    r4-r11 are screened (8): r4, r5 excluded by the reviewers, r6 report not retrieved, r7, r8
    reports excluded ("wrong population", and one without a reason), r9-r11 included.
    """
    per_file = pd.DataFrame({"file": ["b.ris", "a.bib"], "records_read": [5, 10], "parsed": [5, 9], "rejected": [0, 1]})
    rows = [
        # record, arm, outcome, reason, decided_by, first origin file, sourcecategory
        ("r0", "none", "not_a_record", "review_itself", "criterion", "a.bib", "academic"),
        ("r1", "other_methods", "included", "included", "people", "a.bib", "policy"),
        ("r2", "other_methods", "reports_excluded", "outdated", "people", "b.ris", "policy"),
        ("r3", "databases", "automation", "year_out_of_window", "criterion", "a.bib", "academic"),
        ("r4", "databases", "records_excluded", "off topic", "A, B", "a.bib", "academic"),
        ("r5", "databases", "records_excluded", "", "resolution", "b.ris", "academic"),
        ("r6", "databases", "not_retrieved", "not_retrieved", "A, B", "a.bib", "academic"),
        ("r7", "databases", "reports_excluded", "wrong population", "A, B", "a.bib", "academic"),
        ("r8", "databases", "reports_excluded", "", "A, B", "b.ris", "academic"),
        ("r9", "databases", "included", "included", "A, B", "a.bib", "academic"),
        ("r10", "databases", "included", "included", "A, B", "a.bib", "academic"),
        ("r11", "databases", "included", "included", "A, B", "b.ris", "academic"),
    ]
    records = pd.DataFrame(
        [
            {"record_id": r[0], "arm": r[1], "outcome": r[2], "reason": r[3], "decided_by": r[4], "sourcetype": "x"}
            for r in rows
        ]
    )
    corpus = pd.DataFrame({"record_id": [r[0] for r in rows], "origins": [f"{r[5]}:{r[0]}" for r in rows],
                           "sourcecategory": [r[6] for r in rows]})  # fmt: skip
    return per_file, records, corpus


def counts():
    per_file, records, corpus = fixture()
    return prisma.counts(per_file, records, corpus, people=True, full_text_recorded=True)


def test_hand_computed_counts():
    c = counts()
    db, om = c["databases_and_registers"], c["other_methods"]
    # a.bib: 10 read, less r0 (not a record) and r1 (other methods) = 8; b.ris: 5 less r2 = 4
    assert db["records_identified"] == {"a.bib": 8, "b.ris": 4}
    assert db["records_identified_total"] == 12
    assert db["duplicate_records_removed"] == 2
    assert db["records_marked_ineligible_by_automation_tools"] == {"year_out_of_window": 1}
    assert db["records_removed_for_other_reasons"] == {"rejected_at_import": 1}
    assert db["records_removed_before_screening_total"] == 4  # 2 duplicates + 1 automation + 1 rejected
    assert db["records_screened"] == 8  # 12 - 4
    assert db["records_excluded"] == {prisma.BY_REVIEWERS: 2}
    assert db["reports_sought_for_retrieval"] == 6
    assert db["reports_not_retrieved"] == 1
    assert db["reports_assessed_for_eligibility"] == 5
    assert db["reports_excluded"] == {prisma.NO_REASON: 1, "wrong population": 1}
    assert db["studies_included"] == 3
    assert om["records_identified"] == {"policy": 2}
    assert om["reports_sought_for_retrieval"] == 2 and om["reports_excluded"] == {"outdated": 1}
    assert om["studies_included"] == 1
    assert c["studies_included_in_review"] == 4 == c["reports_of_included_studies"]
    assert c["not_records"] == {"review_itself": 1}
    assert c["screening"] == {"title_abstract": "criteria and people", "full_text": "people"}
    assert list(c) == list(prisma.KEYS)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.__setitem__("studies_included_in_review", 5),
        lambda c: c["databases_and_registers"].__setitem__("studies_included", 4),  # assessed != excluded + included
        lambda c: c["databases_and_registers"]["records_identified"].__setitem__("a.bib", 9),
        lambda c: c["databases_and_registers"].__setitem__("duplicate_records_removed", 3),
        lambda c: c["databases_and_registers"].__setitem__("records_screened", 9),
        lambda c: c["databases_and_registers"]["reports_excluded"].__setitem__("wrong population", 2),
        lambda c: c["other_methods"].__setitem__("reports_sought_for_retrieval", 3),
        lambda c: c["databases_and_registers"].__setitem__("reports_not_retrieved", -1),  # not a count
        lambda c: c["databases_and_registers"].__setitem__("records_screened", 8.0),  # not an integer
        lambda c: c["other_methods"].pop("studies_included"),  # a box missing
    ],
)
def test_inconsistent_counts_raise(mutate):
    c = counts()
    bad = copy.deepcopy(c)
    mutate(bad)
    with pytest.raises(prisma.PrismaError):
        prisma.check(bad)
    prisma.check(c)  # the original stays valid


def test_duplicates_cannot_be_negative():
    per_file, records, corpus = fixture()
    per_file = per_file.assign(records_read=[5, 7])  # 12 read, 1 rejected, 12 unique: impossible
    with pytest.raises(prisma.PrismaError):
        prisma.counts(per_file, records, corpus, people=True)


def test_records_skipped_by_a_reader_count_as_rejected_at_import():
    per_file, records, corpus = fixture()
    per_file = per_file.assign(records_read=[6, 10], skipped=[1, 0])  # one more read in b.ris, skipped
    c = prisma.counts(per_file, records, corpus, people=True)
    assert c["databases_and_registers"]["records_removed_for_other_reasons"] == {"rejected_at_import": 2}
    assert c["databases_and_registers"]["duplicate_records_removed"] == 2


def test_write_is_stable_and_refuses_inconsistent(tmp_path):
    c = counts()
    path = prisma.write(c, tmp_path / "prisma.json")
    data = json.loads(path.read_text())
    assert list(data) == list(prisma.KEYS) and data["studies_included_in_review"] == 4
    before = path.read_bytes()
    prisma.write(copy.deepcopy(c), path)
    assert path.read_bytes() == before
    bad = copy.deepcopy(c)
    bad["studies_included_in_review"] = 7
    with pytest.raises(prisma.PrismaError):
        prisma.write(bad, tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()


def _texts(fig) -> str:
    return " ".join(" ".join(t.get_text().split()) for t in fig.axes[0].texts)


def test_flow_figure_has_the_boxes_of_the_template():
    fig = prisma.flow_figure(counts())
    texts = _texts(fig)
    for expected in (
        "Identification of studies via databases and registers", "Identification of studies via other methods",
        "a.bib (n = 8)", "Duplicate records removed (n = 2)",
        "Records marked as ineligible by automation tools (n = 1)", "Outside the year window (n = 1)",
        "Records removed for other reasons (n = 1)", "Records screened (n = 8)", "Records excluded (n = 2)",
        "Reports sought for retrieval (n = 6)", "Reports not retrieved (n = 1)",
        "Reports assessed for eligibility (n = 5)", "wrong population (n = 1)", "policy (n = 2)",
        "Reports sought for retrieval (n = 2)", "outdated (n = 1)", "Studies included in review (n = 4)",
        "Reports of included studies (n = 4)", "Identification", "Screening", "Included",
    ):  # fmt: skip
        assert expected in texts, expected
    assert "not recorded" not in texts
    plt.close(fig)


def test_without_other_methods_the_figure_has_one_arm():
    per_file, records, corpus = fixture()
    records = records[records["arm"] != "other_methods"]
    corpus = corpus[corpus["record_id"].isin(records["record_id"])]
    per_file = per_file.assign(records_read=[4, 9])  # r1 (a.bib) and r2 (b.ris) were never read
    c = prisma.counts(per_file, records, corpus, people=True)
    fig = prisma.flow_figure(c)
    assert "other methods" not in _texts(fig)
    plt.close(fig)


def test_figure_fits_a_double_column_with_print_sized_text(tmp_path):
    from revalign.plotting.save import save_figure
    from unit.plotting.test_figure_print import check_print

    fig = prisma.flow_figure(counts())
    svg = [p for p in save_figure(fig, "prisma_flow", tmp_path) if p.suffix == ".svg"][0]
    check_print(svg)
    plt.close(fig)
