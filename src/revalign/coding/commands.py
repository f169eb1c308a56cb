"""Stage 03's command-line handlers: ``coding validate``, ``agree`` and ``reconcile``.

Each reads its files, calls the stage's functions and writes its outputs; the work itself is in
:mod:`revalign.coding.segments` (validation), :mod:`revalign.coding.two_coders` (agreement),
:mod:`revalign.coding.agreement_report` and :mod:`revalign.coding.reconcile`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from revalign.coding.segments import mark_review, read_segments, split_evidence, unused_references
from revalign.core.errors import InputError

# ---- coding validate --------------------------------------------------------------------------


def bibliography_keys(files: list[str | Path]) -> tuple[set[str], pd.DataFrame]:
    """Citation keys of the bibliography files, and the corpus table they make."""
    from revalign.bibliography.importer import read_bibliography

    paths = [Path(f) for f in files]
    for f in paths:
        if not f.exists():
            raise InputError(f, "bibliography file not found")
    res = read_bibliography(paths)
    corpus = getattr(res, "records", res)
    return set(corpus["record_id"].astype(str)), corpus


def validate_inputs(args: argparse.Namespace) -> tuple[Path, Path, list[Path], str | None]:
    """(segments, codebook, bibliography files, synthesis key) for ``coding validate``: from ``--params``, or given.

    Explicit ``--segments``/``--codebook``/``--bibliography`` override the parameter
    file's. Without ``--params``, all three must be given: there is no built-in default.
    """
    from revalign.core.config import load

    segments, codebook, bibliography = args.segments, args.codebook, args.bibliography
    synthesis_key = None
    if args.params:
        cfg = load(args.params)
        synthesis_key = cfg.params.alignment.synthesis_key
        segments = segments or cfg.path(cfg.params.segments)
        codebook = codebook or cfg.path(cfg.params.codebook)
        bibliography = bibliography if bibliography is not None else cfg.bibliography_files
    missing = [
        flag
        for flag, v in (("--segments", segments), ("--codebook", codebook), ("--bibliography", bibliography))
        if not v
    ]
    if missing:
        raise InputError(
            None, "coding validate needs --params PARAMS.yml, or " + ", ".join(missing) + " (no built-in defaults)"
        )
    return Path(segments), Path(codebook), [Path(b) for b in bibliography], synthesis_key


def cli_validate(args: argparse.Namespace) -> int:
    """``python -m revalign coding validate``: the segments checked against codebook and bibliography."""
    from revalign.core.codebook import coding_codebook
    from revalign.core.errors import display_path

    segments, codebook, bibliography, synthesis_key = validate_inputs(args)
    print(f"segments: {display_path(segments)}")
    print(f"codebook: {display_path(codebook)}")
    print("bibliography: " + ", ".join(display_path(b) for b in bibliography))
    cb = coding_codebook(codebook)
    keys, corpus = bibliography_keys(bibliography)
    corpus = mark_review(corpus, synthesis_key)
    segs = read_segments(segments, codebook=cb, ref_keys=keys)
    ev, syn = split_evidence(segs, corpus)
    print(
        f"{display_path(segments)}: {len(segs)} segments OK ({len(ev)} cited evidence from {ev['ref_key'].nunique()} sources, "
        f"{len(syn)} the review's own synthesis); {segs['dimension'].nunique()} dimensions, {segs['theme'].nunique()} themes"
    )
    unused = unused_references(segs, corpus)
    if len(unused):
        print(f"{len(unused)} references never used as evidence: " + ", ".join(unused["record_id"]))
    return 0


# ---- agree ------------------------------------------------------------------------------------


def cli_agree(args: argparse.Namespace) -> int:
    """``python -m revalign agree A.csv B.csv --codebook YAML [-o DIR]``: report, JSON and disagreement sheet."""
    from revalign.coding.agreement_report import agreement_json, agreement_report
    from revalign.coding.reconcile import disagreement_sheet, write_sheet
    from revalign.coding.two_coders import check_polarity, compare_claims, polarity_order
    from revalign.core.atomic import write_json, write_text
    from revalign.core.codebook import load_codebook

    lang = args.lang or "en"
    codebook = load_codebook(args.codebook) if args.codebook else None
    a = read_segments(args.a, codebook=codebook)
    b = read_segments(args.b, codebook=codebook)
    order = polarity_order(codebook)
    check_polarity(a, args.a, order)
    check_polarity(b, args.b, order)
    result = compare_claims(a, b, codebook, args.a, args.b, lang=lang)
    out = Path(args.output or "agreement")
    if out.suffix.lower() == ".json":  # the former form: -o FILE.json
        out = out.with_suffix("")
    sheet = disagreement_sheet(result, str(args.a), str(args.b))
    report = agreement_report(result, str(args.a), str(args.b), lang)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "agreement.md", report)
    write_json(agreement_json(result, str(args.a), str(args.b)), out / "agreement.json")
    write_sheet(sheet, out / "disagreements.csv", out / "disagreements.xlsx")
    print(report.rstrip())
    print(f"{len(sheet)} disagreements; wrote {out / 'agreement.md'}, {out / 'disagreements.csv'} and .xlsx")
    return 0


# ---- reconcile --------------------------------------------------------------------------------


def _coding_named_by_sheet(sheet: pd.DataFrame, sheet_path: Path, override: str | None, column: str) -> Path:
    """Coder A's or B's file: *override* (typed by the user), else the one file the sheet's
    *column* names, found as written or beside the sheet, and inside the project folder after
    links are resolved (revalign.core.confine): a sheet from someone else may not make
    reconcile read any other file."""
    from revalign.core.config import repo_root
    from revalign.core.confine import outside

    if override:
        return Path(override)
    values = sheet.get(column, pd.Series(dtype=str))
    names = sorted({v for v in values if v})
    if len(names) != 1:
        raise InputError(sheet_path, f"the sheet does not name one {column}; give it with --{column[-1]}", 1)
    p = Path(names[0])
    path = p if p.exists() or p.is_absolute() else (sheet_path.parent / p)
    reason = outside(path, repo_root())
    if reason is not None:
        line = int(sheet.loc[values == names[0], "line"].iloc[0])
        raise InputError(
            sheet_path, f"{column}: {names[0]} {reason}; or, if the file is yours, give it with --{column[-1]}", line
        )
    return path


def _refuse_overwriting(outputs: list[Path], inputs: list[Path]) -> None:
    """An output that is one of the inputs (however spelled: links, ``..``, hard links)."""
    import os

    for out in outputs:
        for src in inputs:
            same = os.path.realpath(out) == os.path.realpath(src) or (
                out.exists() and src.exists() and os.path.samefile(out, src)
            )
            if same:
                raise InputError(out, f"would overwrite the input {src}; choose another output name (or --log)")


def cli_reconcile(args: argparse.Namespace) -> int:
    """``python -m revalign reconcile SHEET -o consensus.csv [--a A.csv --b B.csv]``.

    Neither the consensus file nor the log (default ``OUTPUT_log.csv``) may be the sheet or a
    coding it reads."""
    from revalign.coding.reconcile import read_sheet, reconcile
    from revalign.core.atomic import write_csv
    from revalign.core.codebook import load_codebook

    sheet_path = Path(args.sheet)
    sheet = read_sheet(sheet_path)
    path_a = _coding_named_by_sheet(sheet, sheet_path, args.a, "coding_a")
    path_b = _coding_named_by_sheet(sheet, sheet_path, args.b, "coding_b")
    out = Path(args.output)
    log_path = Path(args.log) if args.log else out.with_name(out.stem + "_log.csv")
    inputs = [sheet_path, path_a, path_b] + ([Path(args.codebook)] if args.codebook else [])
    _refuse_overwriting([out, log_path], inputs)
    codebook = load_codebook(args.codebook) if args.codebook else None
    a = read_segments(path_a, codebook=codebook)
    b = read_segments(path_b, codebook=codebook)
    cons, log = reconcile(sheet, a, b, sheet_path, codebook, path_a, path_b)
    write_csv(cons, out)
    write_csv(log, log_path, spreadsheet=True)  # a list for people to read, not data read back
    print(f"{len(log)} decisions applied; {len(cons)} consensus segments; wrote {out} and {log_path}")
    return 0
