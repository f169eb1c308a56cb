"""Contracts between stages that more than one module relies on, defined once.

``SEGMENT_COLUMNS``: the columns of a coded-segments file (data/raw/coding/segments.csv and
``qda import``'s output), in order; more columns (such as ``claim_id``) may follow them.
"""

from __future__ import annotations

SEGMENT_COLUMNS: tuple[str, ...] = (
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
)
