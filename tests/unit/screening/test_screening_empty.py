"""An empty corpus after screening stops the run with one clear line (issue 8).

Stage 02 (notebooks/02_screening.ipynb) calls ``screening.require_included`` right after
``screening.screen``; ``run-notebook`` turns the InputError into ``error: PARAMS: ...``
and exit 2. Tested here through the module, without running the notebook.
"""

import pandas as pd
import pytest

from revalign.core.config import Screening
from revalign.core.errors import InputError
from revalign.screening import rules as screening


def _corpus(years):
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(len(years))],
            "title": ["Micro-credentials at work"] * len(years),
            "year": pd.array(years, dtype="Int64"),
        }
    )


def test_window_that_excludes_everything_names_the_params_file(tmp_path):
    params_file = tmp_path / "narrow.yml"
    # years 2010, 2011 and 2012 all fall before a 2020-2025 window: 3 excluded, all by year_out_of_window
    decisions = screening.screen(_corpus([2010, 2011, 2012]), Screening(year_min=2020, year_max=2025))
    with pytest.raises(InputError) as exc:
        screening.require_included(decisions, params_file)
    assert exc.value.file == str(params_file)
    assert exc.value.message == (
        "screening left no records (all 3 excluded, 3 by year_out_of_window): widen year_min/year_max or the keywords"
    )


def test_keywords_that_match_nothing():
    # two records in the window, none with the keyword in its title: both no_keyword_match
    decisions = screening.screen(_corpus([2021, 2022]), Screening(keywords_en=["learning analytics"]))
    with pytest.raises(InputError, match=r"all 2 excluded, 2 by no_keyword_match\): widen"):
        screening.require_included(decisions, "params/x.yml")


def test_one_included_record_is_enough():
    # 2015 is outside 2020-2025, 2021 inside: one record included, no error
    decisions = screening.screen(_corpus([2015, 2021]), Screening(year_min=2020, year_max=2025))
    assert (decisions["decision"] == "include").sum() == 1
    screening.require_included(decisions, "params/x.yml")


def test_empty_corpus():
    decisions = screening.screen(_corpus([]), Screening())
    with pytest.raises(InputError, match=r"\(the corpus has no records\)"):
        screening.require_included(decisions, "params/x.yml")
