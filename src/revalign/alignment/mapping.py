"""A framework judged through another one's coding: evidence carried over by ``maps_to``.

The segments stay coded on the reference framework (the codebook's ``base``); each
component of the second framework lists the reference components it corresponds to in
``maps_to``. Data, not code: any pair of frameworks works the same way.
"""

from __future__ import annotations

import pandas as pd

from revalign.core.codebook import Codebook

NO_COUNTERPART = "no_counterpart"


def map_segments(segs: pd.DataFrame, cb: Codebook) -> pd.DataFrame:
    """Relabel segments coded on the reference framework onto *cb*'s components via ``maps_to``.

    A segment whose dimension several components map to is counted once for each
    of them. Segments already coded on *cb*'s own ids are kept as they are.
    """
    parts = [segs[segs["dimension"].isin(cb.component_ids)]]
    for c in cb.components:
        if c.maps_to:
            parts.append(segs[segs["dimension"].isin(c.maps_to)].assign(dimension=c.id))
    return pd.concat(parts, ignore_index=True)


def unmapped_dimensions(cb: Codebook, ref_cb: Codebook) -> list[str]:
    """Headline components of the reference framework that no component of *cb* maps to."""
    mapped = {m for c in cb.components for m in c.maps_to}
    return [d for d in ref_cb.headline_ids if d not in mapped]


def mapped_published(published: pd.DataFrame | None, cb: Codebook) -> pd.DataFrame | None:
    """The published levels carried over to *cb*'s components that map to exactly one published dimension."""
    if published is None:
        return None
    rows = []
    for c in cb.components:
        targets = [m for m in c.maps_to if m in set(published["dimension"])]
        if len(targets) == 1:
            r = published[published["dimension"] == targets[0]].iloc[0].copy()
            r["dimension"] = c.id
            rows.append(r)
    return pd.DataFrame(rows) if rows else None
