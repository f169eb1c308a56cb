"""Stage 05: one self-contained HTML report with an audit trail from Table 1 to the evidence.

``build_report(cfg)`` reads the stage files of a run (see docs/DEVELOPING.md, "Stage
files"), renders the page and writes ``cfg.report_path`` atomically. The page is laid
out by the Jinja2 templates in ``templates/`` (autoescape on: every text that came from
an input file is escaped) from the labelled data of :class:`revalign.report.view.ReportView`,
styled by ``report.css`` (screen and print). It has no script and makes no request:
figures are embedded as palette-reduced PNG data URIs (:mod:`revalign.report.images`),
the CSS is inline, and a Content-Security-Policy forbids anything else.

Required inputs (an :class:`InputError` when missing or malformed): the codebook, the
coded segments, ``P/corpus.csv`` and ``P/table1.csv``. Optional inputs (PRISMA
counts, screening decisions, sensitivity, leave-one-out, agreement, figures) are
reported as missing in the page itself when absent.

The audit trail: Table 1 cells link to ``#ev-<dimension>`` (and ``-<role>``, the role of
the polarity code: ``strength``, ``gap``); each evidence item ``#seg-<segment_id>`` links to
its reference ``#ref-<key>`` and names its locator; each reference lists the evidence items
that use it.

Size: the page lists formatted references only for the works it cites; the whole corpus and
the screening decisions are files beside it (:mod:`revalign.report.exports`), so the page
and the time to build it do not grow with the corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from revalign.coding.segments import read_segments
from revalign.core.atomic import write_text
from revalign.core.codebook import GAP, STRENGTH, Codebook, coding_codebook, load_codebook
from revalign.core.config import Alignment
from revalign.core.contracts import CORPUS, SCREENING, TABLE1
from revalign.core.errors import InputError
from revalign.core.i18n import messages
from revalign.pipeline.stages import is_written, producer, stage_files
from revalign.report import cerqual
from revalign.report.exports import Export, write_exports
from revalign.report.images import css_width
from revalign.report.view import CORPUS_FLAGS, ReportView, anchor, wanted_keys

if TYPE_CHECKING:
    from jinja2 import Environment

    from revalign.core.config import RunConfig
    from revalign.pipeline.stages import StageFiles

CORPUS_COLUMNS = CORPUS.needs("record_id", "title", "year", "authors")
#: corpus columns the page never shows (the linked corpus file has them): not read
CORPUS_SKIPPED = ("abstract", "keywords", "origins")
#: the columns the page uses of an optional stage file (the linked files have the rest)
KEEP_COLUMNS = {"screening.csv": tuple(SCREENING.needs("record_id", "decision", "reason"))}
TABLE1_COLUMNS = TABLE1.needs("dimension", "level", "n_strength", "n_gap", "n_sources")

# Figures by section, in display order (file stem in F/).
FIGURES = {
    "context": ["key_statistics"],
    "corpus": ["prisma_flow", "works_per_year", "source_types", "venues"],
    "heatmaps": [
        "alignment_heatmap",
        "coverage_heatmap",
        "evidence_gap_map",
        "theme_dimension_heatmap",
        "evidence_map",
        "sourcetype_dimension",
    ],
    "sensitivity": ["sensitivity"],
    "agreement": ["autocoder_confusion"],
}
OPTIONAL_FILES = {
    "prisma": "prisma.json",
    "screening": "screening.csv",
    "screening_agreement": "screening_agreement.csv",
    "sensitivity": "sensitivity.csv",
    "leave_one_out": "leave_one_out.csv",
    "agreement": "vocabulary_check.json",
}


# ---- inputs --------------------------------------------------------------------------


@dataclass
class ReportInputs:
    title: str
    lang: str
    params: dict[str, Any]
    codebook: Codebook
    corpus: pd.DataFrame
    table1: pd.DataFrame
    segments: pd.DataFrame
    alignment: Alignment = field(default_factory=Alignment)
    prisma: dict[str, Any] | None = None
    screening: pd.DataFrame | None = None
    screening_agreement: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    leave_one_out: pd.DataFrame | None = None
    agreement: dict[str, Any] | None = None
    figures: dict[str, bytes] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    #: works in the corpus when *corpus* holds only those the page can name (None: *corpus* is the whole corpus)
    n_works: int | None = None
    #: the corpus counted by stage 01 (``corpus_summary.json``; None: the report counts the corpus itself)
    corpus_summary: dict[str, Any] | None = None
    exports: list[Export] = field(default_factory=list)
    cerqual: cerqual.CerqualFiles | None = None  # evidence profile and specification table (stage 04)


def read_csv(
    path: Path, required: list[str], what: str, skip: tuple[str, ...] = (), keep: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """A CSV as strings (missing cells ''), without the columns *skip* (only those of *keep* that it has,
    when given); InputError when absent, unreadable or lacking columns."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} not found (run the stage that writes it first)")
    try:
        header = [str(c) for c in pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns]
        if keep is not None:
            skip = tuple(c for c in header if c not in keep)
        used = [c for c in header if c not in skip]
        try:  # pyarrow's parser: the corpus of a large review in a fraction of the time
            df = pd.read_csv(
                path, usecols=used, engine="pyarrow", dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        except ValueError:  # its errors are terse: the default parser says where the file is broken
            df = pd.read_csv(
                path, usecols=lambda c: c not in skip, dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read {what} as UTF-8 CSV: {str(exc).splitlines()[0]}") from None
    absent = [c for c in required if c not in df.columns]
    if absent:
        raise InputError(path, f"{what} lacks the column(s) {', '.join(absent)}", 1)
    return df


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8-sig"))  # (a stage's own file)
        return data
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None


def _stale(cfg: RunConfig, file_name: str) -> bool:
    """True when this run's configuration does not write *file_name* (a figure of key statistics
    in a run that names none): a copy on disk is left over from an earlier configuration and
    is not shown (revalign.pipeline.stages.is_written)."""
    _, output = producer(file_name)
    return is_written(output, cfg) is False


def _corpus(files: StageFiles, inputs: ReportInputs) -> tuple[pd.DataFrame, int | None]:
    """The works of the corpus the page can name and the number of works in it (None: all rows given).

    Looked up in stage 01's ``corpus_lookup.arrow`` (:mod:`revalign.core.lookup`): the works the evidence
    cites and those the corpus flags (:data:`revalign.report.view.CORPUS_FLAGS`), so the time does not
    grow with the corpus (issue 27). The whole ``corpus.csv`` is read when the page must count the corpus
    itself (no current ``corpus_summary.json``) or the lookup file is missing or older than the corpus.
    """
    from revalign.bibliography import summary
    from revalign.core.lookup import read_lookup

    counted = isinstance(inputs.corpus_summary, dict) and inputs.corpus_summary.get("layout") == summary.LAYOUT
    found = None
    if counted and files["corpus.csv"].is_file():
        found = read_lookup(files["corpus_lookup.arrow"], files["corpus.csv"], wanted_keys(inputs), CORPUS_FLAGS)
    if found is None:
        return read_csv(files["corpus.csv"], CORPUS_COLUMNS, "corpus", skip=CORPUS_SKIPPED), None
    works, n_works = found
    absent = [c for c in CORPUS_COLUMNS if c not in works.columns]
    if absent:
        raise InputError(files["corpus.csv"], f"corpus lacks the column(s) {', '.join(absent)}", 1)
    return works, n_works


def load_inputs(cfg: RunConfig) -> ReportInputs:
    """Read everything the report shows for run *cfg* (a :class:`revalign.core.config.RunConfig`)."""
    files = stage_files(cfg, "report")  # the stage files the report reads (revalign.pipeline.stages)
    codebook_path = cfg.path(cfg.params.codebook)
    if not codebook_path.exists():
        raise InputError(cfg.params_file, f"codebook: {cfg.rel(codebook_path)} does not exist")
    cb = load_codebook(codebook_path)
    # CSV or .qdpx, validated against the codebook like every other stage does
    segments = (
        read_segments(cfg.path(cfg.params.segments), codebook=coding_codebook(codebook_path))
        .drop(columns=["line"])
        .fillna("")
        .astype(str)
    )
    inputs = ReportInputs(
        title=cfg.params.title,
        lang=cfg.params.lang,
        params=cfg.summary(),
        codebook=cb,
        alignment=cfg.params.alignment,
        corpus=pd.DataFrame(),  # below: the works the page can name
        table1=read_csv(files["table1.csv"], TABLE1_COLUMNS, "Table 1"),
        segments=segments,
    )
    for attr, name in OPTIONAL_FILES.items():
        path = files[name]
        if not path.exists() or _stale(cfg, name):
            inputs.missing.append(cfg.rel(path))
            continue
        if name.endswith(".json"):
            setattr(inputs, attr, _read_json(path))
        else:
            setattr(inputs, attr, read_csv(path, [], name, keep=KEEP_COLUMNS.get(name)))
    if files["corpus_summary.json"].is_file():  # counted by stage 01 (revalign.bibliography.summary)
        inputs.corpus_summary = _read_json(files["corpus_summary.json"])
    inputs.corpus, inputs.n_works = _corpus(files, inputs)
    inputs.cerqual = cerqual.load(files, cfg.path(cfg.params.coding_decisions))
    for stems in FIGURES.values():
        for stem in stems:
            png = files[f"{stem}.png"]
            if png.exists() and not _stale(cfg, f"{stem}.png"):
                inputs.figures[stem] = png.read_bytes()
            else:
                inputs.missing.append(cfg.rel(png))
    return inputs


# ---- rendering -----------------------------------------------------------------------

TEMPLATES = Path(__file__).with_name("templates")
CSS_FILE = Path(__file__).with_name("report.css")
#: an evidence list longer than this is folded into a <details> element
COLLAPSE_AFTER = 4


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["anchor"] = anchor
    env.globals["cerqual_partials"] = cerqual.partials
    return env


def _css_width(png: bytes) -> int:
    """Display width in CSS pixels of a figure PNG (see :func:`revalign.report.images.css_width`)."""
    return css_width(png)


def render_html(inputs: ReportInputs, lang: str | None = None) -> str:
    """The report page for *inputs* (words and labels in *lang*, default the run's ``lang``)."""
    return _render(ReportView(inputs, lang))


def _render(view: ReportView) -> str:
    template = _environment().get_template("report.html.j2")
    _ = messages(view.lang)
    return template.render(
        v=view,
        _=_,
        gettext=_,
        ngettext=_.ngettext,
        doc_lang=view.lang if view.lang != "qps" else "en",
        title=view.inp.title,
        css=CSS_FILE.read_text(encoding="utf-8"),
        figure_sections=FIGURES,
        collapse_after=COLLAPSE_AFTER,
    )


@dataclass
class ReportResult:
    """What :func:`build_report` wrote, for the notebook to summarise (:func:`report_summary`)."""

    path: Path
    size: int
    lang: str
    n_segments: int
    n_works: int
    n_references: int  # works the page lists (those it cites)
    n_figures: int
    table: pd.DataFrame  # Table 1 as the page shows it: labels, level, role counts
    exports: list[Export]
    missing: list[str]


def build_report(cfg: RunConfig, lang: str | None = None) -> ReportResult:
    """Read the run's stage files, write the corpus and screening files beside the page, render the
    page and write ``cfg.report_path`` atomically."""
    inputs = load_inputs(cfg)
    n_works = len(inputs.corpus) if inputs.n_works is None else inputs.n_works
    rows = {"corpus": n_works, "screening": 0 if inputs.screening is None else len(inputs.screening)}
    inputs.exports = write_exports(stage_files(cfg, "report"), rows)
    view = ReportView(inputs, lang)
    page = _render(view)
    path = write_text(cfg.report_path, page)
    return ReportResult(
        path=Path(path),
        size=len(page.encode("utf-8")),
        lang=view.lang,
        n_segments=len(inputs.segments),
        n_works=n_works,
        n_references=len(view.refs),
        n_figures=len(view._figures),
        table=shown_table(view),
        exports=list(inputs.exports),
        missing=list(inputs.missing),
    )


def shown_table(view: ReportView) -> pd.DataFrame:
    """Table 1 with the page's headers and labels (for a notebook to display)."""
    _, t1 = view._, view.table1()
    return pd.DataFrame(
        [[r["label"], r["level"].text, r["n_strength"], r["n_gap"], r["n_sources"]] for r in t1["rows"]],
        columns=[
            _("Dimension"),
            _("Level"),
            _("{label} (claims)").format(label=t1[STRENGTH]),
            _("{label} (claims)").format(label=t1[GAP]),
            _("Sources"),
        ],
    )


def report_summary(result: ReportResult, cfg: RunConfig) -> str:
    """What the report holds, in a few lines of the run's language (paths relative to the project)."""
    _ = messages(result.lang)
    lines = [
        _("report: {path} ({size} KB)").format(path=cfg.rel(result.path), size=round(result.size / 1024)),
        "",
        result.table.to_string(index=False),
        "",
        _("coded segments shown: {n}").format(n=result.n_segments),
        _("references listed (the works the report cites): {n} of {total} works").format(
            n=result.n_references, total=result.n_works
        ),
        _("figures embedded: {n}").format(n=result.n_figures),
    ]
    folder = result.path.parent
    for e in result.exports:
        lines.append(
            _("beside the report: {xlsx}, {csv} ({n} rows)").format(
                xlsx=cfg.rel(folder / e.xlsx), csv=cfg.rel(folder / e.csv), n=e.rows
            )
        )
    lines.append(_("optional inputs missing: {names}").format(names=", ".join(result.missing) or _("none")))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m revalign.report.build [PARAMS.yml]``: build the report of one run."""
    import sys

    from revalign.core import config

    args = sys.argv[1:] if argv is None else argv
    try:
        cfg = config.load(args[0] if args else "params/default.yml")
        result = build_report(cfg)
    except InputError as exc:
        print(exc.format(), file=sys.stderr)
        return 2
    print(report_summary(result, cfg))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
