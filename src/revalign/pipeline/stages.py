"""The five stages: the one place that says what each stage reads and writes.

Each :class:`Stage` names its notebook, the parameter-file inputs it reads, the files of
earlier stages it reads, and every file it writes. The Makefile's rules
(``python -m revalign deps``, revalign.pipeline.deps), the notebooks, the report and the
undo of a failed stage (revalign.pipeline.run) all take file names from here, so a
renamed output is renamed once.

Stages are known by their names (``bibliography``, ``screening``, ``coding``, ``alignment``,
``report``); a stage's number exists only as its notebook's file-name prefix
(``04_alignment.ipynb``), derived from its place in :data:`STAGES`.

In a notebook::

    out = stage_files(cfg, "alignment")
    write_csv(table, out["table1.csv"])                 # a file stage 04 writes
    save_figure(fig, out.figure("sensitivity"), F)      # a figure it writes (.png and .svg)
    corpus = read_corpus([out["corpus.csv"]])           # a file of an earlier stage it reads

Looking up a name the stage does not declare is an error, so a notebook cannot read or
write a file Make does not know about.

This module imports only revalign.core.config, so a stage that uses it depends on little
else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from revalign.core.config import repo_root

Place = Literal["processed", "interim", "figures", "report"]

# When an output is written. ``None``: always. A parameter key (``key_statistics``,
# ``in_text_citations``): only when the parameter file names that input. ``data``: the data
# decide (the stage writes it when there is enough to show); such a file is not a Make
# target, but a failed stage still restores it.
When = Literal[None, "key_statistics", "published_table", "in_text_citations", "coding_decisions", "data"]


class RunPaths(Protocol):
    """What this module needs of a run (revalign.core.config.RunConfig)."""

    # read-only (properties), so that a RunConfig, whose params are a Params, is one
    @property
    def processed_dir(self) -> Path: ...
    @property
    def interim_dir(self) -> Path: ...
    @property
    def figures_dir(self) -> Path: ...
    @property
    def report_path(self) -> Path: ...
    @property
    def params(self) -> object: ...


@dataclass(frozen=True)
class Output:
    """One file (or, for ``figures``, one figure saved as .png and .svg) a stage writes."""

    name: str  # file name; for a figure its stem (save_figure adds .png and .svg)
    place: Place = "processed"
    when: When = None

    @property
    def file_names(self) -> tuple[str, ...]:
        if self.place == "figures":
            return (f"{self.name}.png", f"{self.name}.svg")
        return (self.name,)

    def paths(self, run: RunPaths) -> list[Path]:
        if self.place == "report":  # the page itself, or a file in a folder beside it
            return [Path(run.report_path) if self.name == "report.html" else Path(run.report_path).parent / self.name]
        folder = {"processed": run.processed_dir, "interim": run.interim_dir, "figures": run.figures_dir}[self.place]
        return [Path(folder) / n for n in self.file_names]


def _fig(name: str, when: When = None) -> Output:
    return Output(name, "figures", when)


# Parameter-file keys a stage may name as its inputs (revalign.core.config.Params). ``codebook``
# stands for the codebook and the chain of ``base:`` codebooks it names (revalign.pipeline.deps).
# Every stage reads the codebook (its setup cell shows the run's framework and vocabularies)
# and the notes file (its last cell shows the part of the notes about it).
InputKey = Literal[
    "screening_decisions",
    "screening_resolutions",
    "bibliography",
    "in_text_citations",
    "codebook",
    "segments",
    "key_statistics",
    "published_table",
    "appraisal",
    "coding_decisions",
    "notes",
]


@dataclass(frozen=True)
class Stage:
    name: str  # "alignment": how the registry, the Makefile, the tests and messages name it
    inputs: tuple[InputKey, ...]  # parameter-file keys whose files the stage reads (nothing else)
    outputs: tuple[Output, ...]  # every file the stage writes (besides its executed notebook)
    reads: tuple[str, ...] = ()  # file names (as in Output.file_names) of earlier stages' outputs

    @property
    def number(self) -> int:
        """1 for the first stage of STAGES, 2 for the next ...: only the notebook's prefix."""
        return STAGES.index(self) + 1

    @property
    def notebook(self) -> str:
        """The notebook's file name in notebooks/: ``NN_name.ipynb``, NN from the stage's place."""
        return f"{self.number:02d}_{self.name}.ipynb"


STAGES: tuple[Stage, ...] = (
    Stage(
        "bibliography",
        inputs=("bibliography", "in_text_citations", "codebook", "notes"),
        outputs=(
            Output("corpus.csv"),
            Output("dedup_report.csv"),
            Output("import_summary.csv"),
            Output("citation_audit.csv", when="in_text_citations"),
            Output("rejects.csv", "interim"),
            # the corpus for a spreadsheet, linked beside the report (revalign.core.exports)
            Output("corpus_export.csv", "interim"),
            Output("corpus_export.xlsx", "interim"),
            # the corpus counted for the report (revalign.bibliography.summary)
            Output("corpus_summary.json", "interim"),
            # the corpus to look up the works the report cites (revalign.core.lookup)
            Output("corpus_lookup.arrow", "interim"),
            _fig("works_per_year"),
            _fig("source_types"),
            _fig("venues"),
        ),
    ),
    Stage(
        "screening",
        inputs=("screening_decisions", "screening_resolutions", "codebook", "notes"),
        outputs=(
            Output("screening.csv"),
            Output("prisma.json"),
            Output("screening_decisions.csv"),
            Output("screening_agreement.csv"),
            Output("screening_export.csv", "interim"),
            Output("screening_export.xlsx", "interim"),
            _fig("prisma_flow"),
        ),
        reads=("corpus.csv", "import_summary.csv"),
    ),
    Stage(
        "coding",
        inputs=("codebook", "segments", "key_statistics", "notes"),
        outputs=(
            Output("unused_references.csv"),
            Output("matrix_theme_dimension.csv"),
            Output("evidence_map.csv"),
            Output("sourcetype_dimension.csv"),
            Output("autocoder_disagreements.csv"),
            Output("vocabulary_check.json"),
            Output("dimension_year.csv", when="data"),
            _fig("theme_dimension_heatmap"),
            _fig("evidence_map"),
            _fig("sourcetype_dimension"),
            _fig("key_statistics", when="key_statistics"),
            _fig("autocoder_confusion"),
            _fig("dimension_year", when="data"),
        ),
        reads=("corpus.csv", "screening.csv"),
    ),
    Stage(
        "alignment",
        inputs=("codebook", "segments", "published_table", "appraisal", "coding_decisions", "notes"),
        outputs=(
            Output("table1.csv"),
            Output("table1.md"),
            Output("table1.tex"),
            Output("table1.xlsx"),
            Output("bootstrap.csv"),
            Output("sensitivity.csv"),
            Output("leave_one_out.csv"),
            Output("cerqual_profile.csv"),
            Output("specification.csv", when="coding_decisions"),
            _fig("alignment_heatmap"),
            _fig("coverage_heatmap"),
            _fig("evidence_gap_map"),
            _fig("sensitivity"),
        ),
        reads=("corpus.csv",),
    ),
    Stage(
        "report",
        inputs=("codebook", "segments", "coding_decisions", "notes"),
        outputs=(
            Output("report.html", "report"),
            # the whole corpus and the screening decisions beside the page (revalign.report.exports)
            Output("report-data/corpus.csv", "report"),
            Output("report-data/corpus.xlsx", "report"),
            Output("report-data/screening.csv", "report"),
            Output("report-data/screening.xlsx", "report"),
        ),
        reads=(
            "corpus.csv",
            "corpus_export.csv",
            "corpus_export.xlsx",
            "corpus_summary.json",
            "corpus_lookup.arrow",
            "table1.csv",
            "prisma.json",
            "screening.csv",
            "screening_export.csv",
            "screening_export.xlsx",
            "screening_agreement.csv",
            "sensitivity.csv",
            "leave_one_out.csv",
            "cerqual_profile.csv",
            "specification.csv",
            "vocabulary_check.json",
            "key_statistics.png",
            "prisma_flow.png",
            "works_per_year.png",
            "source_types.png",
            "venues.png",
            "alignment_heatmap.png",
            "coverage_heatmap.png",
            "evidence_gap_map.png",
            "theme_dimension_heatmap.png",
            "evidence_map.png",
            "sourcetype_dimension.png",
            "sensitivity.png",
            "autocoder_confusion.png",
        ),
    ),
)


class UndeclaredFile(KeyError):
    """A stage asked for a file its entry in STAGES does not declare."""

    def __str__(self) -> str:  # KeyError would show the repr of the message
        return str(self.args[0])


def stage(name: str) -> Stage:
    """The stage called *name* (``"alignment"``), or whose notebook is *name* (``"04_alignment.ipynb"``)."""
    for s in STAGES:
        if name in (s.name, s.notebook):
            return s
    numbered = [s.name for s in STAGES if s.notebook.startswith(f"{name}_")]
    hint = f" (stages are named: {numbered[0]!r} for {name}_...ipynb)" if numbered else ""
    raise UndeclaredFile(f"no stage {name!r}; the stages are {', '.join(s.name for s in STAGES)}{hint}")


def producer(file_name: str) -> tuple[Stage, Output]:
    """The stage that writes *file_name* (as in Output.file_names) and its Output."""
    for s in STAGES:
        for o in s.outputs:
            if file_name in o.file_names:
                return s, o
    raise UndeclaredFile(f"no stage writes {file_name!r} (revalign.pipeline.stages.STAGES)")


class StageFiles:
    """The files one stage of one run writes and reads, looked up by file name."""

    def __init__(self, run: RunPaths, name: str):
        self.run = run
        self.stage = stage(name)

    def __getitem__(self, file_name: str) -> Path:
        """Path of *file_name*: one the stage writes, or one of an earlier stage it reads."""
        for o in self.stage.outputs:
            if file_name in o.file_names:
                return o.paths(self.run)[o.file_names.index(file_name)]
        if file_name in self.stage.reads:
            _, o = producer(file_name)
            path = o.paths(self.run)[o.file_names.index(file_name)]
            regular = getattr(self.run, "reads_from", None)  # an interactive run (project.notebook)
            if regular is not None and not path.exists():
                return o.paths(regular)[o.file_names.index(file_name)]
            return path
        raise UndeclaredFile(
            f"stage {self.stage.name} ({self.stage.notebook}) neither writes nor reads {file_name!r}; "
            "declare it in revalign.pipeline.stages.STAGES"
        )

    def figure(self, name: str) -> str:
        """*name*, checked to be a figure this stage writes (for plotting.save.save_figure)."""
        if any(o.place == "figures" and o.name == name for o in self.stage.outputs):
            return name
        raise UndeclaredFile(
            f"stage {self.stage.name} ({self.stage.notebook}) does not declare the figure {name!r}; "
            "declare it in revalign.pipeline.stages.STAGES"
        )


def stage_files(run: RunPaths, name: str) -> StageFiles:
    """The declared files of stage *name* for run *run* (a RunConfig)."""
    return StageFiles(run, name)


def stage_notebooks(root: Path | None = None) -> list[Path]:
    """The stage notebooks, in order."""
    root = Path(root) if root is not None else repo_root()
    return [root / "notebooks" / s.notebook for s in STAGES]


def is_written(output: Output, run: RunPaths) -> bool | None:
    """Whether the stage writes *output* in this run: True, False, or None (the data decide)."""
    if output.when is None:
        return True
    if output.when == "data":
        return None
    return bool(getattr(run.params, output.when))


def written_paths(s: Stage, run: RunPaths, maybe: bool = False) -> list[Path]:
    """The files stage *s* writes in *run* (Make's targets); with *maybe*, also the files it
    may write (the data decide), which a failed stage must restore too."""
    out: list[Path] = []
    for o in s.outputs:
        w = is_written(o, run)
        if w or (w is None and maybe):
            out += o.paths(run)
    return out


def upstream(s: Stage) -> list[Stage]:
    """The stages that write a file stage *s* reads, in order."""
    names = {producer(name)[0].name for name in s.reads}
    return [u for u in STAGES if u.name in names]


def read_paths(s: Stage, run: RunPaths) -> list[Path]:
    """The files of earlier stages that stage *s* reads and that are written in *run*."""
    out: list[Path] = []
    for name in s.reads:
        _, o = producer(name)
        if is_written(o, run):
            out.append(o.paths(run)[o.file_names.index(name)])
    return out
