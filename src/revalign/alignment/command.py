"""``python -m revalign align``: Table 1 from the command line (the analysis lives in the other modules)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from revalign.alignment.analysis import analyse
from revalign.alignment.inputs import load_inputs
from revalign.alignment.replication import replication_summary, summary_text
from revalign.alignment.table1 import write_table1
from revalign.core.config import RunConfig
from revalign.core.errors import InputError
from revalign.core.i18n import messages

#: what ``align`` reads when no parameter file is named (the project's default run); it says so
DEFAULT_PARAMS = "params/default.yml"


def run(
    cfg: RunConfig,
    segments_path: str | Path | None = None,
    codebook_path: str | Path | None = None,
    bibliography: list[str] | None = None,
) -> pd.DataFrame:
    """Load the inputs named by a RunConfig (or overrides) and return Table 1."""
    return analyse(load_inputs(cfg, segments_path, codebook_path, bibliography)).table


def cli_align(args: argparse.Namespace) -> int:
    """``python -m revalign align --segments CSV [--codebook] [--params] [--bibliography] -o DIR``."""
    from revalign.core import config

    cfg = config.load(args.params or DEFAULT_PARAMS)
    seg = Path(args.segments)
    if not seg.exists():
        raise InputError(seg, "segments file not found")
    bib = args.bibliography if args.bibliography else None
    x = load_inputs(cfg, seg, args.codebook, bib)
    table = analyse(x).table
    out = Path(args.output) / "table1.csv"
    write_table1(table, out)
    _ = messages(x.lang)
    for r in table.itertuples():
        facts = [
            _.ngettext("{n} claim", "{n} claims", int(r.n_claims)).format(n=int(r.n_claims)),
            _.ngettext("{n} source", "{n} sources", int(r.n_sources)).format(n=int(r.n_sources)),
        ]
        if not pd.isna(r.level_probability):
            facts.append(_("probability {p:.2f}").format(p=float(r.level_probability)))
        if r.confidence:
            facts.append(_("confidence: {confidence}").format(confidence=r.confidence))
        print(f"{r.dimension}: {r.level} ({', '.join(facts)})")
    if replication_summary(table)["n_compared"]:
        n_pub = len(x.published) if x.published is not None else None
        print(summary_text(table, x.lang, n_pub))
    if not args.params:  # never silently: say whose settings and files the table was built from
        note = _(
            "note: no --params: the rule's settings, and the codebook and bibliography not given with --codebook "
            "and --bibliography, are those of {params}; name your own parameter file with --params"
        )
        print(note.format(params=DEFAULT_PARAMS))
    print(_("wrote {path}").format(path=out))
    return 0
