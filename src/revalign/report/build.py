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

The audit trail: Table 1 cells link to ``#ev-<dimension>`` (and ``-<polarity>``);
each evidence item ``#seg-<segment_id>`` links to its reference ``#ref-<key>`` and
names its locator; each reference lists the evidence items that use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from revalign.coding.segments import read_segments
from revalign.core.atomic import write_text
from revalign.core.codebook import Codebook, coding_codebook, load_codebook
from revalign.core.errors import InputError
from revalign.pipeline.stages import stage_files
from revalign.report.images import css_width
from revalign.report.view import ReportView, anchor

CORPUS_COLUMNS = ["record_id", "title", "year", "authors"]
TABLE1_COLUMNS = ["dimension", "level", "n_strength", "n_gap", "n_sources"]

# Figures by section, in display order (file stem in F/).
FIGURES = {
    "summary": ["key_statistics"],
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
    params: dict
    codebook: Codebook
    corpus: pd.DataFrame
    table1: pd.DataFrame
    segments: pd.DataFrame
    prisma: dict | None = None
    screening: pd.DataFrame | None = None
    screening_agreement: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    leave_one_out: pd.DataFrame | None = None
    agreement: dict | None = None
    figures: dict[str, bytes] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def read_csv(path: Path, required: list[str], what: str) -> pd.DataFrame:
    """A CSV as strings (missing cells ''); InputError when absent, unreadable or lacking columns."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} not found (run the stage that writes it first)")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read {what} as UTF-8 CSV: {str(exc).splitlines()[0]}") from None
    absent = [c for c in required if c not in df.columns]
    if absent:
        raise InputError(path, f"{what} lacks the column(s) {', '.join(absent)}", 1)
    return df


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None


def load_inputs(cfg) -> ReportInputs:
    """Read everything the report shows for run *cfg* (a :class:`revalign.core.config.RunConfig`)."""
    files = stage_files(cfg, "05")  # the stage files the report reads (revalign.pipeline.stages)
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
        corpus=read_csv(files["corpus.csv"], CORPUS_COLUMNS, "corpus"),
        table1=read_csv(files["table1.csv"], TABLE1_COLUMNS, "Table 1"),
        segments=segments,
    )
    for attr, name in OPTIONAL_FILES.items():
        path = files[name]
        if not path.exists():
            inputs.missing.append(cfg.rel(path))
            continue
        if name.endswith(".json"):
            setattr(inputs, attr, _read_json(path))
        else:
            setattr(inputs, attr, read_csv(path, [], name))
    for stems in FIGURES.values():
        for stem in stems:
            png = files[f"{stem}.png"]
            if png.exists():
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
def _environment():
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
    return env


def _css_width(png: bytes) -> int:
    """Display width in CSS pixels of a figure PNG (see :func:`revalign.report.images.css_width`)."""
    return css_width(png)


def render_html(inputs: ReportInputs, lang: str | None = None) -> str:
    """The report page for *inputs* (labels in *lang*, default the run's ``lang``)."""
    view = ReportView(inputs, lang)
    template = _environment().get_template("report.html.j2")
    return template.render(
        v=view,
        s=view.s,
        title=inputs.title,
        css=CSS_FILE.read_text(encoding="utf-8"),
        figure_sections=FIGURES,
        collapse_after=COLLAPSE_AFTER,
    )


@dataclass
class ReportResult:
    path: Path
    size: int
    n_segments: int
    n_references: int
    n_figures: int
    dimensions: list[str]
    missing: list[str]


def build_report(cfg, lang: str | None = None) -> ReportResult:
    """Read the run's stage files, render the page and write ``cfg.report_path`` atomically."""
    inputs = load_inputs(cfg)
    page = render_html(inputs, lang)
    path = write_text(cfg.report_path, page)
    return ReportResult(
        path=Path(path),
        size=len(page.encode("utf-8")),
        n_segments=len(inputs.segments),
        n_references=len(inputs.corpus),
        n_figures=len(inputs.figures),
        dimensions=list(inputs.table1["dimension"]),
        missing=list(inputs.missing),
    )


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
    print(f"{cfg.rel(result.path)}: {result.size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
