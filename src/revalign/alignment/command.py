"""``python -m revalign align``: Table 1 from the command line (the analysis lives in the other modules)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from revalign.alignment.inputs import load_inputs
from revalign.alignment.replication import replication_summary
from revalign.alignment.table1 import align, write_table
from revalign.core.config import RunConfig
from revalign.core.errors import InputError


def run(
    cfg: RunConfig,
    segments_path: str | Path | None = None,
    codebook_path: str | Path | None = None,
    bibliography: list[str] | None = None,
) -> pd.DataFrame:
    """Load the inputs named by a RunConfig (or overrides) and return the table."""
    x = load_inputs(cfg, segments_path, codebook_path, bibliography)
    return align(
        x.segments,
        x.codebook,
        x.params,
        x.codebook_path,
        x.source_types,
        x.published,
        x.lang,
        appraisal=x.appraisal,
    )


def cli_align(args: argparse.Namespace) -> int:
    """``python -m revalign align --segments CSV [--codebook] [--params] [--bibliography] -o DIR``."""
    from revalign.core import config

    cfg = config.load(args.params or "params/default.yml")
    seg = Path(args.segments)
    if not seg.exists():
        raise InputError(seg, "segments file not found")
    bib = args.bibliography if args.bibliography else None
    table = run(cfg, seg, args.codebook, bib)
    out = Path(args.output) / "table1.csv"
    write_table(table, out)
    s = replication_summary(table)
    for r in table.itertuples():
        prob = "" if pd.isna(r.level_probability) else f", probability {r.level_probability:.2f}"
        conf = f", confidence {r.confidence}" if r.confidence else ""
        print(f"{r.dimension}: {r.level} ({r.n_claims} claims, {r.n_sources} sources{prob}{conf})")
    if s["n_compared"]:
        print(f"{s['n_reproduced']} of {s['n_compared']} published levels reproduced")
    print(f"wrote {out}")
    return 0
