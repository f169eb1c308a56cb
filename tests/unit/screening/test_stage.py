"""The calls notebook 02 makes (revalign.screening.stage), on the published review's committed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from revalign.core import config
from revalign.screening import stage

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def result():
    return stage.screen(config.load(ROOT / "params" / "default.yml", root=ROOT))


def test_outcome_table(result):
    table = stage.outcome_table(result)
    rows = {(a, o, r): n for a, o, r, n in table.itertuples(index=False)}
    # references.bib: 20 secondary sources kept, 8 without any keyword, 13 primary sources, the review
    assert rows == {
        ("Databases and registers", "Excluded at title and abstract", "No keyword in title, abstract or keywords"): 8,
        ("Databases and registers", "Included", ""): 20,
        ("None", "Not a record (the review itself)", "The review itself"): 1,
        ("Other methods", "Included", ""): 13,
    }


def test_excluded_table_says_who_decided(result):
    table = stage.excluded_table(result)
    assert len(table) == 9 and set(table["Decided by"]) == {"criterion"}
    assert table.set_index("Record").loc["ruminarndkredensial", "Stage"] == "Identification"


def test_variants_of_the_criteria(result):
    table, newly = stage.variants_table(result)
    # on every record, the window also takes januszewski2008educational (2008, before 2015) and the
    # keywords five primary sources whose titles name none of the method's keywords
    assert table.loc["Outside the year window", "criteria on every record"] == 1
    assert table.loc["No keyword in title, abstract or keywords", "criteria on every record"] == 13
    assert sorted(newly["Record"]) == [
        "aect2023aect", "atenas2025responsible", "garcia2021accreditation", "januszewski2008educational",
        "kementerian2025peta", "world2025future"]  # fmt: skip
    # every secondary source is from 2021-2025: the five-year window (2021-2025) excludes nothing more
    assert table["five-year window"].to_dict() == table["as configured"].to_dict()


def test_agreement_table_without_people(result):
    assert stage.agreement_table(result) == "No screening decisions of people in this run: the criteria alone decided."


def test_counts_text(result):
    text = stage.counts_text(result)
    assert "Records identified via databases and registers: 28" in text
    assert "Records identified via other methods: 13" in text
    assert text.endswith("Studies included in review: 33")
