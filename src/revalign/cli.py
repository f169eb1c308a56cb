"""Command-line interface: ``python -m revalign ...``.

Each sub-command is parsed here and handed to a function of the module that does
the work (imported only when that command runs). A user's mistake raised as
:class:`~revalign.core.errors.InputError` prints one line and exits with 2.

Before a command runs, its inputs and outputs (declared with each command below) are
checked: an input must be a regular file (not a FIFO or a device); an output must be a
new path or a regular file, not one of the inputs, not another output of the command,
and not under ``data/raw/``. The files a command writes are written all or none
(:func:`revalign.core.atomic.all_or_none`), and SIGTERM removes its temporary files. An
OSError, nesting too deep for Python and a value too large to read also end as one
line and exit 2 (SECURITY.md).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from revalign import __version__
from revalign.core.errors import EXIT_INPUT, InputError


def _handler(target: str) -> Callable[[argparse.Namespace], int | None]:
    def run(args: argparse.Namespace) -> int | None:
        module, func = target.split(":")
        return getattr(importlib.import_module(f"revalign.{module}"), func)(args)

    return run


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors are user mistakes too: exit 2, one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"error: {self.prog}: {message}\n")


# Every command names the same thing the same way: the parameter file `--params PARAMS.yml`, a codebook
# `--codebook YAML`, two coders' files `--a A.csv --b B.csv`, the output `-o/--output`. The commands that took
# one of them as a positional argument (`check PARAMS`, `deps PARAMS`, `qda export-codebook CODEBOOK`,
# `agree A B`, ...: spellings DESIGN.md and users' scripts rely on) keep it: either form, not both.
def _either(parser: argparse.ArgumentParser, dest: str, option: str, metavar: str, help: str = "") -> None:
    """*dest* as the positional argument it always was or as *option*, the uniform spelling (documented)."""
    parser.add_argument(dest, nargs="?", metavar=metavar, help=f"the same as {option} {metavar}")
    parser.add_argument(option, dest=f"{dest}_option", metavar=metavar, help=help or None)
    parser.set_defaults(either=(*(parser.get_default("either") or ()), (dest, option)), either_parser=parser)


def resolve_either(args: argparse.Namespace) -> None:
    """Each value of :func:`_either` from whichever form was given; a usage error (exit 2) when neither
    or two different values were."""
    for dest, option in getattr(args, "either", ()):
        given, as_option = getattr(args, dest), getattr(args, f"{dest}_option")
        if given is not None and as_option is not None and given != as_option:
            args.either_parser.error(f"{option} {as_option} and {given} name two values; give one")
        if given is None and as_option is None:
            args.either_parser.error(f"the following arguments are required: {option}")
        setattr(args, dest, given if given is not None else as_option)


def _group(sub: argparse._SubParsersAction, name: str, help: str) -> argparse._SubParsersAction:
    """A command with actions (``bib import``, ``qda export-codebook``...); one action is required."""
    actions = sub.add_parser(name, help=help).add_subparsers(
        dest=f"{name}_command", metavar="ACTION", parser_class=_Parser
    )
    actions.required = True
    return actions


def _add_bib(sub: argparse._SubParsersAction) -> None:
    bsub = _group(sub, "bib", "bibliography: import and de-duplicate exports")
    imp = bsub.add_parser(
        "import",
        help="read bibliography exports (BibTeX, RIS, CSL-JSON, Scopus, Web of Science, PubMed, ...) into one CSV",
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    imp.add_argument(
        "--format",
        choices=[
            "bibtex",
            "ris",
            "csljson",
            "scopus",
            "wos",
            "wos_tab",
            "medline",
            "pubmed_xml",
            "refer",
            "openalex_json",
            "openalex_csv",
            "lens",
            "ieee",
            "springer",
            "embase_csv",
            "pubmed_csv",
            "dimensions",
            "pop_json",
            "endnote_xml",
            "embase_rows",
            "rayyan",
            "covidence",
            "asreview",
            "cochrane_csv",
            "scielo_csv",
            "bvs_csv",
            "cochrane_txt",
            "zotero_csv",
            "zotero_rdf",
            "ovid",
            "refworks_csv",
            "refworks",
            "pop_csv",
            "jstor_dfr",
            "csv",
        ],  # fmt: skip  (revalign.bibliography.readers.FORMATS; the cli imports no reader module)
        help="force the format of every FILE (default: detected from content)",
    )
    imp.add_argument(
        "--columns",
        metavar="FIELD=COLUMN,...",
        help="read every FILE as a CSV by this column map, e.g. title=Title,authors=Author(s),year=Year,doi=DOI",
    )
    imp.add_argument(
        "--strict",
        action="store_true",
        help="refuse a file at its first record that cannot be read as written (default: repair or skip it, "
        "with a warning)",
    )
    imp.add_argument("--dedup-report", metavar="CSV", help="write each merge and its reason here")
    imp.add_argument("--rejects", metavar="CSV", help="write rejected records here")
    imp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(
        func=_handler("bibliography.importer:cli_import"),
        inputs=("files",),
        outputs=("output", "dedup_report", "rejects"),
    )
    keys = bsub.add_parser(
        "keys", help="list the citation keys of a run's bibliography (what segments cite), with year and title"
    )
    _either(keys, "params", "--params", "PARAMS.yml", "the parameter file")
    keys.add_argument("-o", "--output", metavar="KEYS.csv", help="write the list as CSV instead of printing it")
    keys.set_defaults(func=_handler("bibliography.keys:cli_keys"), inputs=("params",), outputs=("output",))


def _add_coding(sub: argparse._SubParsersAction) -> None:
    csub = _group(sub, "coding", "coded segments: validate against codebook and bibliography")
    val = csub.add_parser(
        "validate",
        help="check a segments file against a codebook and bibliography (from --params, or given explicitly)",
    )
    val.add_argument(
        "--params", default=None, metavar="PARAMS.yml", help="take segments, codebook and bibliography from here"
    )
    val.add_argument("--segments", default=None, metavar="CSV")
    val.add_argument("--codebook", default=None, metavar="YAML")
    val.add_argument("--bibliography", nargs="+", default=None, metavar="FILE")
    val.set_defaults(
        func=_handler("coding.commands:cli_validate"), inputs=("params", "segments", "codebook", "bibliography")
    )

    agr = sub.add_parser("agree", help="inter-coder agreement between two coding files of the same material")
    _either(agr, "a", "--a", "A.csv", "coder A's file")
    _either(agr, "b", "--b", "B.csv", "coder B's file")
    agr.add_argument("--codebook", required=True, metavar="YAML")
    agr.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="agreement",
        help="directory for agreement.md, agreement.json and the disagreement sheet (CSV, XLSX); default ./agreement",
    )
    agr.add_argument("--lang", default="en", metavar="LANG", help="language of agreement.md (en, de, id, ...)")
    agr.set_defaults(
        func=_handler("coding.commands:cli_agree"),
        inputs=("a", "b", "codebook"),
        output_dirs={"output": "agreement.json"},
    )

    rec = sub.add_parser("reconcile", help="turn a decided disagreement sheet into a consensus coding file and a log")
    rec.add_argument(
        "sheet", metavar="SHEET", help="the disagreement sheet (CSV or XLSX) with its decision column filled"
    )
    rec.add_argument("-o", "--output", required=True, metavar="CSV", help="the consensus segments file")
    rec.add_argument("--log", default=None, metavar="CSV", help="the decision log (default: OUTPUT_log.csv)")
    rec.add_argument("--a", default=None, metavar="A.csv", help="coder A's file (default: the one the sheet names)")
    rec.add_argument("--b", default=None, metavar="B.csv", help="coder B's file (default: the one the sheet names)")
    rec.add_argument("--codebook", required=True, metavar="YAML")
    rec.set_defaults(
        func=_handler("coding.commands:cli_reconcile"),
        inputs=("sheet", "a", "b", "codebook"),
        outputs=("output", "log"),
    )


def _add_screen(sub: argparse._SubParsersAction) -> None:
    ssub = _group(sub, "screen", "screening by people: records still to screen, conflicts to decide")
    ex = ssub.add_parser("export", help="write the records still to screen as a sheet (XLSX, CSV) and as RIS")
    _either(ex, "params", "--params", "PARAMS.yml", "the parameter file")
    ex.add_argument("-o", "--output", required=True, action="append", metavar="FILE",
                    help="FILE.xlsx, FILE.csv or FILE.ris; give -o once per file")  # fmt: skip
    ex.add_argument("--stage", choices=["title_abstract", "full_text"], default="title_abstract")
    ex.set_defaults(func=_handler("screening.commands:cli_export"), inputs=("params",), outputs=("output",))
    co = ssub.add_parser("conflicts", help="write the conflicts between reviewers as a sheet to decide")
    _either(co, "params", "--params", "PARAMS.yml", "the parameter file")
    co.add_argument("-o", "--output", required=True, action="append", metavar="FILE",
                    help="FILE.xlsx or FILE.csv; give -o once per file")  # fmt: skip
    co.set_defaults(func=_handler("screening.commands:cli_conflicts"), inputs=("params",), outputs=("output",))


def _add_align(sub: argparse._SubParsersAction) -> None:
    al = sub.add_parser("align", help="apply the alignment rule to a coding file; writes DIR/table1.csv")
    al.add_argument("--segments", required=True, metavar="CSV")
    al.add_argument("--codebook", default=None, metavar="YAML")
    al.add_argument("--params", default=None, metavar="PARAMS.yml")
    al.add_argument("--bibliography", nargs="*", default=None, metavar="FILE")
    al.add_argument("-o", "--output", required=True, metavar="DIR")
    al.set_defaults(
        func=_handler("alignment.command:cli_align"),
        inputs=("segments", "codebook", "params", "bibliography"),
        output_dirs={"output": "table1.csv"},
    )


def _add_qda(sub: argparse._SubParsersAction) -> None:
    qsub = _group(sub, "qda", "exchange codebooks and coded projects with QDA software (REFI-QDA)")
    qc = qsub.add_parser("export-codebook", help="write a REFI-QDA codebook (.qdc)")
    _either(qc, "codebook", "--codebook", "CODEBOOK.yml", "the codebook")
    qc.add_argument("-o", "--output", required=True, metavar="FILE.qdc")
    qc.set_defaults(func=_handler("coding.exchange:cli_export_codebook"), inputs=("codebook",), outputs=("output",))
    qp = qsub.add_parser("export-project", help="write the coded segments as a REFI-QDA project (.qdpx)")
    qp.add_argument("--segments", required=True, metavar="CSV")
    qp.add_argument("--codebook", required=True, metavar="YAML")
    qp.add_argument("-o", "--output", required=True, metavar="FILE.qdpx")
    qp.set_defaults(
        func=_handler("coding.exchange:cli_export_project"), inputs=("segments", "codebook"), outputs=("output",)
    )
    qi = qsub.add_parser("import", help="read a REFI-QDA project (.qdpx) into a segments CSV")
    qi.add_argument("file", metavar="FILE.qdpx")
    qi.add_argument("--map", default=None, metavar="MAP.yml", help="code name -> component mapping")
    qi.add_argument("--codebook", required=True, metavar="YAML")
    qi.add_argument("--strict", action="store_true", help="validate project.qde against the schema")
    qi.add_argument(
        "--crlf",
        choices=["auto", "one", "two"],
        default="auto",
        help="how a CRLF line break in a text source counts in positions (default: auto; see the README's REFI-QDA section)",
    )
    qi.add_argument("--unmapped", default=None, metavar="CSV", help="also list each coding of an unmapped code here")
    qi.add_argument(
        "--sources-dir",
        default=None,
        metavar="DIR",
        help="read sources the project names by absolute:// or relative:// paths from this folder "
        "(never from outside it; default: only sources inside the .qdpx are read)",
    )
    qi.add_argument("-o", "--output", required=True, metavar="segments.csv")
    qi.set_defaults(
        func=_handler("coding.exchange:cli_import"), inputs=("file", "map", "codebook"), outputs=("output", "unmapped")
    )


def _add_project(sub: argparse._SubParsersAction) -> None:
    """Your own review: a scaffold to start from, and a check of every input."""
    ini = sub.add_parser("init", help="start a review of your own: params/NAME.yml and data/raw/NAME/")
    ini.add_argument("name", metavar="NAME", help="lower-case letters, digits, _ and -")
    ini.set_defaults(func=_handler("project.scaffold:cli_init"))
    chk = sub.add_parser("check", help="check every input of a parameter file and list every problem")
    _either(chk, "params", "--params", "PARAMS.yml", "the parameter file")
    chk.set_defaults(func=_handler("project.check:cli_check"), inputs=("params",))
    sch = sub.add_parser(
        "schema", help="write the JSON Schemas of the parameter file and the codebook (for editors' completion)"
    )
    sch.add_argument("-o", "--output", required=True, metavar="DIR")
    sch.set_defaults(func=_handler("core.schemas:cli_schema"), output_dirs={"output": "params.schema.json"})


def _add_pipeline(sub: argparse._SubParsersAction) -> None:
    """The plumbing the Makefile uses."""
    dp = sub.add_parser("deps", help="print Make dependencies of each stage for a parameter file")
    _either(dp, "params", "--params", "PARAMS.yml", "the parameter file")
    dp.add_argument("--explain", action="store_true", help="print the stages' graph for reading instead")
    dp.add_argument("-o", "--output", metavar="deps.mk", help="write the rules to this file of the run's build folder")
    # deps writes its rules itself (revalign.pipeline.guard: no link followed, stamped now)
    dp.set_defaults(func=_handler("pipeline.deps:cli_deps"), inputs=("params",), all_or_none=False)
    rn = sub.add_parser("run-notebook", help="execute one stage notebook with papermill, cleanly")
    rn.add_argument("notebook")
    rn.add_argument("--params", required=True, metavar="PARAMS.yml")
    rn.add_argument("-o", "--output", required=True, metavar="OUT.ipynb")
    rn.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a parameter of the notebook's parameters cell (VALUE read as YAML), e.g. -p lang id",
    )
    # run-notebook writes the executed notebook over its source for the default run, by design
    rn.set_defaults(func=_handler("pipeline.run:cli_run_notebook"), inputs=("params",), all_or_none=False)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree: bib, coding, agree, reconcile, screen, align, qda, deps, run-notebook."""
    p = _Parser(prog="python -m revalign", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"revalign {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for add in (_add_bib, _add_coding, _add_screen, _add_align, _add_qda, _add_project, _add_pipeline):
        add(sub)
    return p


def _paths(args, names) -> list[tuple[str, str]]:
    """(option, path) for each path given to the options *names* (``-o`` for output)."""
    out = []
    for name in names:
        value = getattr(args, name, None)
        option = "-o" if name == "output" else "--" + name.replace("_", "-")
        for v in value if isinstance(value, list) else [value]:
            if v is not None and str(v) != "":
                out.append((option, str(v)))
    return out


def _under_data_raw(path: str | Path) -> bool:
    """True if *path*, as written or after resolving links, lies in a folder data/raw/."""
    for form in (os.path.abspath(path), os.path.realpath(path)):
        parts = Path(form).parts
        if any(a == "data" and b == "raw" for a, b in zip(parts, parts[1:], strict=False)):
            return True
    return False


def check_paths(args) -> None:
    """The checks of inputs and outputs described in the module docstring."""
    from revalign.core.atomic import check_input_file, check_writable_target

    inputs = _paths(args, getattr(args, "inputs", ()))
    outputs = _paths(args, getattr(args, "outputs", ()))
    for name, sub in getattr(args, "output_dirs", {}).items():
        folder = getattr(args, name, None)
        if folder is None:
            continue
        if Path(folder).exists() and not Path(folder).is_dir():
            raise InputError(folder, "is a file; -o names a folder here")
        outputs.append(("-o", str(Path(folder) / sub)))
    for _, path in inputs:
        check_input_file(path)
    seen: dict[str, str] = {}
    real_inputs = {os.path.realpath(p): p for _, p in inputs}
    for option, path in outputs:
        real = os.path.realpath(path)
        if real in real_inputs or any(
            Path(p).exists() and Path(path).exists() and os.path.samefile(p, path) for p in real_inputs.values()
        ):
            raise InputError(
                path, f"{option} would overwrite the input {real_inputs.get(real, path)}; choose another output"
            )
        if real in seen:
            raise InputError(path, f"{option} names the same file as {seen[real]}; give each output its own name")
        seen[real] = option
        if _under_data_raw(path):
            raise InputError(
                path, "is under data/raw/, which holds the raw inputs and is never written; choose another output"
            )
        check_writable_target(path)


def _one_line(exc: BaseException, args) -> str:
    """The one line for an exception that is not an InputError but is the input's fault."""
    from revalign.core.errors import display_path

    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else "<file>"
        return f"error: {display_path(str(where))}: {exc.strerror or exc}"
    if isinstance(exc, RecursionError):
        return "error: <input>: data nested too deeply to read"
    return f"error: <input>: {exc}"


def run(args) -> int:
    from revalign.core.atomic import all_or_none, cleanup_on_signals

    with cleanup_on_signals():
        check_paths(args)
        if getattr(args, "all_or_none", True):
            with all_or_none():
                return int(args.func(args) or 0)
        return int(args.func(args) or 0)


def main(argv: list[str] | None = None) -> int:
    from revalign.core.atomic import Terminated

    args = build_parser().parse_args(argv)
    resolve_either(args)
    try:
        return run(args)
    except InputError as exc:
        print(exc.format(), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Terminated as exc:
        print("error: terminated", file=sys.stderr)
        return 128 + exc.signum
    except BrokenPipeError:
        return 0
    except (OSError, RecursionError) as exc:
        print(_one_line(exc, args), file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
