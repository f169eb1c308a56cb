"""Command-line interface: ``python -m revalign ...``.

Each sub-command is parsed here and handed to a function of the module that does
the work (imported only when that command runs). A user's mistake raised as
:class:`~revalign.core.errors.InputError` prints one line and exits with 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from revalign import __version__
from revalign.core.errors import EXIT_INPUT, InputError


def _handler(target: str):
    def run(args):
        module, func = target.split(":")
        return getattr(importlib.import_module(f"revalign.{module}"), func)(args)

    return run


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors are user mistakes too: exit 2, one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"error: {self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m revalign", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"revalign {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    # --- bibliography -------------------------------------------------------------
    bib = sub.add_parser("bib", help="bibliography: import and de-duplicate exports")
    bsub = bib.add_subparsers(dest="bib_command", metavar="ACTION", parser_class=_Parser)
    bsub.required = True
    imp = bsub.add_parser(
        "import",
        help="read BibTeX, RIS, CSL-JSON, Scopus CSV and Web of Science exports into one CSV",
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    imp.add_argument(
        "--format",
        choices=["bibtex", "ris", "csljson", "scopus", "wos"],
        help="force the format of every FILE (default: detected from content)",
    )
    imp.add_argument("--dedup-report", metavar="CSV", help="write each merge and its reason here")
    imp.add_argument("--rejects", metavar="CSV", help="write rejected records here")
    imp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(func=_handler("bibliography.importer:cli_import"))

    # --- coding -------------------------------------------------------------------
    cod = sub.add_parser("coding", help="coded segments: validate against codebook and bibliography")
    csub = cod.add_subparsers(dest="coding_command", metavar="ACTION", parser_class=_Parser)
    csub.required = True
    val = csub.add_parser("validate", help="check a segments file")
    val.add_argument("--segments", required=True, metavar="CSV")
    val.add_argument("--codebook", default="data/raw/codebook/aect2023.yml", metavar="YAML")
    val.add_argument("--bibliography", nargs="*", default=["data/raw/bibliography/references.bib"], metavar="FILE")
    val.set_defaults(func=_handler("coding.matrices:cli_validate"))

    agr = sub.add_parser("agree", help="inter-coder agreement between two coding files of the same material")
    agr.add_argument("a", metavar="A.csv")
    agr.add_argument("b", metavar="B.csv")
    agr.add_argument("--codebook", default="data/raw/codebook/aect2023.yml", metavar="YAML")
    agr.add_argument("-o", "--output", metavar="DIR", default="agreement",
                     help="directory for agreement.md, agreement.json and the disagreement sheet (CSV, XLSX); "
                          "default ./agreement")
    agr.set_defaults(func=_handler("coding.agreement:cli_agree"))

    rec = sub.add_parser("reconcile", help="turn a decided disagreement sheet into a consensus coding file and a log")
    rec.add_argument("sheet", metavar="SHEET", help="the disagreement sheet (CSV or XLSX) with its decision column filled")
    rec.add_argument("-o", "--output", required=True, metavar="CSV", help="the consensus segments file")
    rec.add_argument("--log", default=None, metavar="CSV", help="the decision log (default: OUTPUT_log.csv)")
    rec.add_argument("--a", default=None, metavar="A.csv", help="coder A's file (default: the one the sheet names)")
    rec.add_argument("--b", default=None, metavar="B.csv", help="coder B's file (default: the one the sheet names)")
    rec.add_argument("--codebook", default="data/raw/codebook/aect2023.yml", metavar="YAML")
    rec.set_defaults(func=_handler("coding.agreement:cli_reconcile"))

    # --- alignment ----------------------------------------------------------------
    al = sub.add_parser("align", help="apply the alignment rule to a coding file; writes DIR/table1.csv")
    al.add_argument("--segments", required=True, metavar="CSV")
    al.add_argument("--codebook", default=None, metavar="YAML")
    al.add_argument("--params", default=None, metavar="YAML")
    al.add_argument("--bibliography", nargs="*", default=None, metavar="FILE")
    al.add_argument("-o", "--output", required=True, metavar="DIR")
    al.set_defaults(func=_handler("alignment.rule:cli_align"))

    # --- REFI-QDA -----------------------------------------------------------------
    qda = sub.add_parser("qda", help="exchange codebooks and coded projects with QDA software (REFI-QDA)")
    qsub = qda.add_subparsers(dest="qda_command", metavar="ACTION", parser_class=_Parser)
    qsub.required = True
    qc = qsub.add_parser("export-codebook", help="write a REFI-QDA codebook (.qdc)")
    qc.add_argument("codebook", metavar="CODEBOOK.yml")
    qc.add_argument("-o", "--output", required=True, metavar="FILE.qdc")
    qc.set_defaults(func=_handler("coding.exchange:cli_export_codebook"))
    qp = qsub.add_parser("export-project", help="write the coded segments as a REFI-QDA project (.qdpx)")
    qp.add_argument("--segments", default="data/raw/coding/segments.csv", metavar="CSV")
    qp.add_argument("--codebook", default="data/raw/codebook/aect2023.yml", metavar="YAML")
    qp.add_argument("-o", "--output", required=True, metavar="FILE.qdpx")
    qp.set_defaults(func=_handler("coding.exchange:cli_export_project"))
    qi = qsub.add_parser("import", help="read a REFI-QDA project (.qdpx) into a segments CSV")
    qi.add_argument("file", metavar="FILE.qdpx")
    qi.add_argument("--map", default=None, metavar="MAP.yml", help="code name -> component mapping")
    qi.add_argument("--codebook", default="data/raw/codebook/aect2023.yml", metavar="YAML")
    qi.add_argument("--strict", action="store_true", help="validate project.qde against the schema")
    qi.add_argument(
        "--crlf",
        choices=["auto", "one", "two"],
        default="auto",
        help="how a CRLF line break in a text source counts in positions (default: auto, see docs/qda.md)",
    )
    qi.add_argument("--unmapped", default=None, metavar="CSV", help="also list each coding of an unmapped code here")
    qi.add_argument("-o", "--output", required=True, metavar="segments.csv")
    qi.set_defaults(func=_handler("coding.exchange:cli_import"))

    # --- pipeline plumbing (used by the Makefile) -------------------------------------
    dp = sub.add_parser("deps", help="print Make dependencies of each stage for a parameter file")
    dp.add_argument("params", metavar="PARAMS.yml")
    dp.set_defaults(func=_handler("pipeline.deps:cli_deps"))
    rn = sub.add_parser("run-notebook", help="execute one stage notebook with papermill, cleanly")
    rn.add_argument("notebook")
    rn.add_argument("--params", required=True, metavar="PARAMS.yml")
    rn.add_argument("-o", "--output", required=True, metavar="OUT.ipynb")
    rn.set_defaults(func=_handler("pipeline.run:cli_run_notebook"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(exc.format(), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
