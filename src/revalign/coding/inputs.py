"""What stage 03 works on, read and validated once (:func:`load_inputs`), and the vocabulary check's run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from revalign.coding import matrices, screened
from revalign.coding import segments as segments_module
from revalign.coding.vocabulary_check import VocabularyCheck
from revalign.core.codebook import Codebook, coding_codebook

if TYPE_CHECKING:
    from revalign.core.config import RunConfig
    from revalign.pipeline.stages import StageFiles


@dataclass(frozen=True)
class Inputs:
    """What stage 03 works on (:func:`load_inputs`)."""

    codebook: Codebook
    corpus: pd.DataFrame  # stage 01's corpus, the review itself marked (inreflist = self)
    segments: pd.DataFrame  # validated against codebook and corpus; ``line`` = line of the file
    screening: pd.DataFrame | None  # stage 02's decisions (None before stage 02 has run)
    lang: str
    category_order: tuple[str, ...] = ()  # the run's own source categories first (parameter source_categories)

    @cached_property
    def synthesis_keys(self) -> set[str]:
        """The citation keys that stand for the review itself (none when the run has no such record)."""
        return segments_module.synthesis_keys(self.corpus)

    @property
    def has_review(self) -> bool:
        """Whether the run knows a record of the review itself, so its own synthesis can be set apart."""
        return bool(self.synthesis_keys)

    @cached_property
    def counts(self) -> dict[str, int]:
        """Claims, segments and sources of cited evidence and synthesis (:func:`~revalign.coding.segments.summary_counts`)."""
        return segments_module.summary_counts(self.segments, self.corpus)

    @cached_property
    def short_citations(self) -> Mapping[str, str]:
        return matrices.short_citations(self.corpus)


@dataclass(frozen=True)
class VocabularyRun:
    """The keyword matcher run on every segment and compared with the human coding."""

    coded: pd.DataFrame  # autocoder.code_segments: human and auto dimension per segment
    result: VocabularyCheck
    confusion: pd.DataFrame
    disagreements: pd.DataFrame


# ---- inputs --------------------------------------------------------------------------------


def load_codebook(cfg: RunConfig) -> Codebook:
    """The codebook the segments are coded on (a mapped framework's ``base``; else the run's own)."""
    return coding_codebook(cfg.path(cfg.params.codebook))


def load_inputs(cfg: RunConfig, codebook: Codebook, files: StageFiles) -> Inputs:
    """Corpus (stage 01), segments validated against *codebook* and corpus, screening decisions (stage 02);
    *files*: the stage's declared files (:func:`revalign.pipeline.stages.stage_files`)."""
    from revalign.bibliography.importer import read_corpus

    corpus = segments_module.mark_review(read_corpus([files["corpus.csv"]]), cfg.params.alignment.synthesis_key)
    segs = segments_module.read_segments(cfg.path(cfg.params.segments), codebook=codebook, ref_keys=corpus["record_id"])
    return Inputs(
        codebook=codebook,
        corpus=corpus,
        segments=segs,
        screening=screened.read_screening(files["screening.csv"]),
        lang=cfg.lang,
        category_order=tuple(dict.fromkeys((cfg.params.source_categories or {}).values())),
    )
