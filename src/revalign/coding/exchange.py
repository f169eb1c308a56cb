"""The ``qda`` commands: move a codebook and coded segments between revalign and QDA programs.

The REFI-QDA format itself lives in :mod:`revalign.qda` (which knows nothing of the stages);
this module validates segments with :mod:`revalign.coding.segments` before an export and
writes an import's segments file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from revalign.coding.segments import read_segments as read_validated
from revalign.core.contracts import SEGMENT_COLUMNS
from revalign.core.errors import InputError

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook


def say(message: str) -> None:
    print(message, file=sys.stderr)


# ---- reading the segments file ---------------------------------------------------------
def read_segments(path: str | Path, cb: Codebook) -> list[dict]:
    """The validated segments (:func:`revalign.coding.segments.read_segments`) as dicts with 'line'."""
    # A project may carry partly coded segments: only these cells must be filled.
    df = read_validated(path, codebook=cb, required=("segment_id", "ref_key", "dimension", "excerpt"))
    return [{**{c: str(r[c]) for c in SEGMENT_COLUMNS}, "line": r["line"]} for r in df.to_dict("records")]


# ---- command-line entry points ---------------------------------------------------------
def cli_export_codebook(args) -> int:
    from revalign.core.codebook import load_codebook
    from revalign.qda.export import write_codebook

    check_output_differs(args.codebook, args.output)
    cb = load_codebook(args.codebook)
    n = write_codebook(cb, args.output)
    say(f"wrote {n} codes to {args.output}")
    return 0


def cli_export_project(args) -> int:
    from revalign.core.codebook import load_codebook
    from revalign.qda.export import write_project

    check_output_differs(args.segments, args.output)
    cb = load_codebook(args.codebook)
    segments = read_segments(args.segments, cb)
    stats = write_project(segments, cb, args.output)
    say(
        f"wrote {stats['segments']} segments from {stats['sources']} references "
        f"({stats['users']} coders) to {args.output}"
    )
    return 0


def cli_import(args) -> int:
    from revalign.core.atomic import write_csv
    from revalign.core.codebook import load_codebook
    from revalign.qda.importer import import_project, load_mapping

    check_output_differs(args.file, args.output)
    cb = load_codebook(args.codebook)
    mapping = load_mapping(args.map, cb) if args.map else None
    result = import_project(
        args.file,
        cb,
        mapping=mapping,
        strict=args.strict,
        crlf=getattr(args, "crlf", "auto"),
        sources_dir=getattr(args, "sources_dir", None),
    )
    if getattr(args, "unmapped", None):
        write_csv(result.unmapped_frame(), args.unmapped, spreadsheet=True)  # a list to read, not data
    write_csv(result.frame(), args.output)
    for line in result.summary_lines(args.output):
        say(line)
    return 0


def check_output_differs(inp: str | Path, out: str | Path) -> None:
    if Path(inp).resolve() == Path(out).resolve():
        raise InputError(out, "the output would overwrite the input; choose another -o")
