"""Columns as ../shared/DESIGN.md states them, written out once for the tests.

Tests compare the program's output with this, never with :mod:`revalign.core.contracts`,
so that a change to the code's own constant cannot make its tests agree with it.
"""

SEGMENT_COLUMNS = [
    "segment_id",
    "ref_key",
    "locator",
    "theme",
    "dimension",
    "polarity",
    "facet",
    "context",
    "excerpt",
    "coder",
]
