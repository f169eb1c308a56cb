"""Stage 03 as the notebook runs it: the inputs read once, each table and figure one call.

::

    from revalign.coding import stage as coding
    out = stage_files(cfg, "coding")
    cb = coding.load_codebook(cfg)
    x = coding.load_inputs(cfg, cb, out)            # corpus, validated segments, screening decisions
    write_csv(coding.evidence_map(x), out["evidence_map.csv"])
    coding.show(coding.evidence_map_figure(x), "evidence_map", out)   # saved (PNG, SVG) and shown

A figure the run has nothing for (no key statistics in the parameters, too few abstracts) is
a text saying why; :func:`show` prints it and writes nothing.

The work is done by the stage's modules (:mod:`~revalign.coding.segments`,
:mod:`~revalign.coding.matrices`, :mod:`~revalign.coding.screened`,
:mod:`~revalign.coding.vocabulary_check`, :mod:`~revalign.coding.plots`, ...); this module
only feeds them the run's inputs, so the notebook holds calls and no logic. What the notebook
prints in the run's language is :mod:`revalign.coding.views`.

(``revalign.coding`` itself stays an empty package on purpose: later stages import single
modules of it, and Make's dependencies follow a package's ``__init__``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from revalign.coding import autocoder, matrices, plots, screened, views
from revalign.coding import segments as segments_module
from revalign.coding.inputs import Inputs, VocabularyRun
from revalign.coding.inputs import load_codebook as load_codebook  # the notebook's entry points
from revalign.coding.inputs import load_inputs as load_inputs
from revalign.coding.vocabulary_check import confusion_table, disagreements, vocabulary_check

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from revalign.core.config import RunConfig
    from revalign.pipeline.stages import StageFiles


# ---- tables --------------------------------------------------------------------------------


def unused_references(x: Inputs) -> pd.DataFrame:
    """Works of the corpus that no segment cites (the review itself left out)."""
    return segments_module.unused_references(x.segments, x.corpus)


def excluded_citations(x: Inputs) -> pd.DataFrame:
    """Segments of cited evidence whose work screening excluded (:func:`~revalign.coding.screened.excluded_citations`)."""
    return screened.excluded_citations(x.segments, x.screening, x.corpus)


def theme_dimension_table(x: Inputs) -> pd.DataFrame:
    return matrices.theme_dimension_table(x.segments, x.codebook, x.corpus)


def evidence_map(x: Inputs) -> pd.DataFrame:
    """The long evidence map, works excluded at screening marked."""
    return matrices.evidence_map(x.segments, x.codebook, x.corpus, x.screening)


def sourcetype_dimension_table(x: Inputs) -> pd.DataFrame:
    return matrices.sourcetype_dimension_table(x.segments, x.corpus, x.codebook, preferred=x.category_order)


def triangulation(x: Inputs) -> pd.DataFrame:
    return matrices.triangulation(x.segments, x.corpus, x.codebook)


def single_type_dimensions(x: Inputs) -> pd.DataFrame:
    return matrices.single_type_dimensions(x.segments, x.corpus, x.codebook)


def key_statistics(cfg: RunConfig, x: Inputs) -> pd.DataFrame | str:
    """The statistics the review quotes (parameter ``key_statistics``), checked against the corpus;
    without the parameter, the sentence saying so."""
    from revalign.coding.key_statistics import load_key_statistics

    if not cfg.params.key_statistics:
        return views.no_key_statistics(x.lang)
    return load_key_statistics(cfg.path(cfg.params.key_statistics), x.corpus["record_id"])


def run_vocabulary_check(x: Inputs) -> VocabularyRun:
    """The keyword matcher on every segment's excerpt, compared with the human coder's dimension."""
    coded = autocoder.code_segments(x.segments, x.codebook)
    return VocabularyRun(
        coded=coded,
        result=vocabulary_check(coded, x.codebook, x.lang),
        confusion=confusion_table(coded, x.codebook),
        disagreements=disagreements(coded),
    )


def screened_records(x: Inputs) -> pd.DataFrame:
    """The corpus records stage 02 kept (every record before stage 02 has decided)."""
    return screened.screened_records(x.corpus, x.screening)


def literature_map(x: Inputs) -> pd.DataFrame | str:
    """Records stage 02 kept, per component (the matcher on title, abstract, keywords) and year;
    the sentence saying why not when too few records have an abstract."""
    kept = screened_records(x)
    if not autocoder.has_abstracts(kept):
        return views.no_literature_map(x, kept)
    return autocoder.dimension_year_matrix(autocoder.record_components(kept, x.codebook), x.codebook, mode="any")


def write_optional(table: pd.DataFrame | str, path: str | Path) -> None:
    """Write *table* (its index as the first column) to *path*; nothing when it is a text saying why there is none."""
    from revalign.core.atomic import write_csv

    if isinstance(table, pd.DataFrame):
        write_csv(table.reset_index(), path)


# ---- figures -------------------------------------------------------------------------------


def theme_dimension_figure(x: Inputs) -> Figure:
    ev = matrices.theme_dimension_matrix(x.segments, x.codebook, x.corpus, basis="evidence")
    syn = matrices.theme_dimension_matrix(x.segments, x.codebook, x.corpus, basis="synthesis")
    return plots.theme_dimension_heatmap(ev, syn, x.codebook, x.lang)


def evidence_map_figure(x: Inputs) -> Figure:
    return plots.evidence_map_heatmap(
        evidence_map(x), x.codebook, x.lang, synthesis_keys=x.synthesis_keys, source_labels=x.short_citations
    )


def triangulation_figure(x: Inputs) -> Figure:
    """Source category x dimension; a figure that says so in words when the corpus has no categories."""
    if not matrices.has_source_categories(x.corpus):
        from revalign.core.i18n import messages
        from revalign.plotting import style

        return style.no_data_figure(
            messages(x.lang).gettext(
                "The works have no source category (a bibliography field or document types to derive it)."
            )
        )
    matrix = matrices.sourcetype_dimension_matrix(x.segments, x.corpus, x.codebook, preferred=x.category_order)
    return plots.sourcetype_heatmap(matrix, x.codebook, x.lang)


def key_statistics_figure(stats: pd.DataFrame | str, x: Inputs) -> Figure | str:
    if isinstance(stats, str):
        return stats
    return plots.key_statistics_figure(stats, x.short_citations, x.lang)


def confusion_figure(check: VocabularyRun, x: Inputs) -> Figure:
    return plots.confusion_heatmap(check.confusion, x.codebook, x.lang)


def literature_map_figure(matrix: pd.DataFrame | str, x: Inputs) -> Figure | str:
    if isinstance(matrix, str):
        return matrix
    return plots.dimension_year_heatmap(matrix, x.codebook, x.lang)


def show(figure: Figure | str, name: str, files: StageFiles) -> None:
    """Save *figure* as the stage's figure *name* (PNG and SVG, :func:`revalign.plotting.save.save_figure`)
    and show it in the notebook; a text (why the run has no such figure) is printed instead, and
    nothing is written."""
    import matplotlib.pyplot as plt

    from revalign.plotting.save import save_figure

    if isinstance(figure, str):
        print(figure)
        return
    save_figure(figure, files.figure(name), files.run.figures_dir)
    plt.show()
