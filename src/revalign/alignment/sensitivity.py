"""How much does each level depend on the rule's parameters and on single sources?

Parameter sweep
    Every combination of the values listed under ``alignment.sensitivity`` in the
    parameter file (whether context weights apply, mixed share, a shift added to all
    thresholds and to the part-grade bounds, the sources a top level needs, whether the
    review's own synthesis counts) is applied with the other parameters at their values
    in the file.
    For each dimension the result is the share of settings that give each level
    (``P/sensitivity.csv``); the share of the level the default setting gives is
    the dimension's *robustness*.

Leave one source out
    For each dimension and each cited source behind it, all of that source's
    segments are removed and the rule re-applied with the file's parameters
    (``P/leave_one_out.csv``; ``changed`` marks sources whose removal changes the
    level).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from revalign.alignment.rule import NO_EVIDENCE, levels_for
from revalign.alignment.units import split_synthesis
from revalign.core.codebook import Codebook
from revalign.core.config import Alignment

GRID_FIELDS = ("context_weighting", "mixed_share", "threshold_shift", "top_min_sources", "include_synthesis")


def settings(p: Alignment) -> list[dict]:
    """All parameter settings of the grid, as dicts of the swept values (stable order)."""
    grid = p.sensitivity
    values = [getattr(grid, f) for f in GRID_FIELDS]
    return [dict(zip(GRID_FIELDS, combo, strict=False)) for combo in itertools.product(*values)]


def apply_setting(p: Alignment, setting: dict) -> Alignment:
    """A copy of the alignment parameters *p* with one grid setting applied."""
    shift = setting.get("threshold_shift", 0.0)
    update = {k: v for k, v in setting.items() if k not in ("threshold_shift", "top_min_sources")}
    if shift:
        update["thresholds"] = [min(1.0, max(-1.0, t + shift)) for t in p.thresholds]
        update["grade_shift"] = p.grade_shift + shift
    if "top_min_sources" in setting:
        update["corroboration"] = p.corroboration.model_copy(update={"top_min_sources": setting["top_min_sources"]})
    return p.model_copy(update=update)


def _level_ids(cb: Codebook) -> dict:
    ids = {lv.rank: lv.id for lv in cb.levels_by_rank()}
    ids[None] = NO_EVIDENCE
    return ids


def sweep(
    segs: pd.DataFrame, cb: Codebook, p: Alignment, dimensions: Sequence[str], source_types: dict[str, str]
) -> pd.DataFrame:
    """One row per (setting, dimension): the swept values and the level."""
    ids = _level_ids(cb)
    rows = []
    for i, setting in enumerate(settings(p)):
        q = apply_setting(p, setting)
        for d, rank in levels_for(segs, dimensions, source_types, q, cb).items():
            rows.append({"setting": i, **setting, "dimension": d, "level": ids[rank]})
    return pd.DataFrame(rows)


def level_shares(
    runs: pd.DataFrame, cb: Codebook, dimensions: Sequence[str], default_levels: dict[str, str]
) -> pd.DataFrame:
    """Per dimension and level: number and share of settings; which level the defaults give."""
    if runs.empty:  # no dimension to judge (no headline dimension has coded evidence)
        return pd.DataFrame(
            {
                "dimension": pd.Series(dtype=object),
                "level": pd.Series(dtype=object),
                "n_settings": pd.Series(dtype="int64"),
                "share": pd.Series(dtype=float),
                "default": pd.Series(dtype=bool),
            }
        )
    order = [lv.id for lv in cb.levels_by_rank()]
    if (runs["level"] == NO_EVIDENCE).any():
        order = [NO_EVIDENCE] + order
    n = runs["setting"].nunique()
    rows = []
    for d in dimensions:
        counts = runs[runs["dimension"] == d]["level"].value_counts()
        for lv in order:
            k = int(counts.get(lv, 0))
            rows.append(
                {
                    "dimension": d,
                    "level": lv,
                    "n_settings": k,
                    "share": round(k / n, 4) if n else 0.0,
                    "default": lv == default_levels.get(d),
                }
            )
    return pd.DataFrame(rows)


def sensitivity_table(
    segs: pd.DataFrame, cb: Codebook, p: Alignment, dimensions: Sequence[str], source_types: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shares per dimension and level, the full sweep)."""
    ids = _level_ids(cb)
    default = {d: ids[r] for d, r in levels_for(segs, dimensions, source_types, p, cb).items()}
    runs = sweep(segs, cb, p, dimensions, source_types)
    return level_shares(runs, cb, dimensions, default), runs


def leave_one_out(
    segs: pd.DataFrame, cb: Codebook, p: Alignment, dimensions: Sequence[str], source_types: dict[str, str]
) -> pd.DataFrame:
    """For each dimension and each counted source in it: the level without that source."""
    ids = _level_ids(cb)
    base = levels_for(segs, dimensions, source_types, p, cb)
    counted, _ = split_synthesis(segs, p)
    rows = []
    for d in dimensions:
        keys = sorted(set(counted.loc[counted["dimension"] == d, "ref_key"]))
        for key in keys:
            without = segs[~((segs["ref_key"] == key) & (segs["dimension"] == d))]
            rank = levels_for(without, [d], source_types, p, cb)[d]
            n_seg = int(((counted["ref_key"] == key) & (counted["dimension"] == d)).sum())
            rows.append(
                {
                    "dimension": d,
                    "removed_source": key,
                    "n_segments_removed": n_seg,
                    "level": ids[base[d]],
                    "level_without": ids[rank],
                    "changed": rank != base[d],
                }
            )
    return pd.DataFrame(
        rows, columns=["dimension", "removed_source", "n_segments_removed", "level", "level_without", "changed"]
    )


def robustness(shares: pd.DataFrame) -> pd.DataFrame:
    """Per dimension: the default level and the share of settings that give it."""
    d = shares[shares["default"]][["dimension", "level", "share"]]
    return d.rename(columns={"level": "default_level", "share": "share_default"}).reset_index(drop=True)


def modal_levels(runs: pd.DataFrame, by: str, dimensions: Sequence[str]) -> pd.DataFrame:
    """The most frequent level per dimension (rows) and value of the grid field *by* (columns); a tie goes
    to the level that occurs first in the grid's order."""
    rows = {}
    for d in dimensions:
        sub = runs[runs["dimension"] == d]
        rows[d] = {}
        for value, g in sub.groupby(by, sort=True):
            levels = list(g["level"])
            rows[d][value] = max(dict.fromkeys(levels), key=lambda lv: (levels.count(lv), -levels.index(lv)))
    return pd.DataFrame.from_dict(rows, orient="index")
