"""Everything stage 04 reads, read and validated once: codebook, segments, corpus, published table, appraisal.

:func:`load_inputs` is the one way the notebook, the CLI and the report read the stage's
inputs; it returns an :class:`Inputs` (typed, no dict keys to remember).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from revalign.alignment.appraisal import Appraisal, read_appraisal
from revalign.alignment.decisions import CodingDecisions, read_decisions
from revalign.alignment.rule import UNKNOWN_TYPE
from revalign.bibliography.importer import read_corpus
from revalign.coding import segments as segments_module
from revalign.core.codebook import Codebook, load_codebook, reference_codebook
from revalign.core.config import Alignment, ReviewQuestion, RunConfig
from revalign.core.errors import InputError

FROM_CONFIG = "__cfg__"  # "the published table the parameter file names" (None: none)


def read_segments(path: str | Path, codebook: Codebook | None = None, ref_keys: set[str] | None = None) -> pd.DataFrame:
    """The validated segments (:func:`revalign.coding.segments.read_segments`) as a table of strings."""
    df = segments_module.read_segments(path, codebook=codebook, ref_keys=ref_keys)
    return df.drop(columns=["line"]).fillna("").astype(str)


def source_types_from(corpus: pd.DataFrame, field: str = "sourcecategory") -> dict[str, str]:
    """Map citation key -> source type (``field`` of the corpus; ``unknown`` when empty)."""
    if field not in corpus.columns:
        return {k: UNKNOWN_TYPE for k in corpus["record_id"].astype(str)}
    return {str(k): (str(v).strip() or UNKNOWN_TYPE) for k, v in zip(corpus["record_id"], corpus[field], strict=False)}


def read_source_types(files: Sequence[str | Path], field: str = "sourcecategory") -> dict[str, str]:
    """Map citation key -> source type, read from *files* (see :func:`read_corpus`)."""
    return source_types_from(read_corpus(files), field)


def read_published(path: str | Path | None) -> pd.DataFrame | None:
    """The published table (dimension, published_level, ...), or None when not given."""
    if path is None:
        return None
    path = Path(path)
    if not path.exists():
        raise InputError(path, "published table not found")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("dimension", "published_level"):
        if col not in df.columns:
            raise InputError(path, f"missing column {col}", 1)
    return df


@dataclass
class Inputs:
    """What the alignment stage works on (see :func:`load_inputs`)."""

    codebook: Codebook
    codebook_path: Path
    reference_codebook: Codebook | None  # the framework the segments are coded on, when not the run's own
    segments: pd.DataFrame  # coded on the reference codebook when there is one; ``is_synthesis`` marks own claims
    corpus: pd.DataFrame
    source_types: dict[str, str]
    published: pd.DataFrame | None
    appraisal: Appraisal | None
    params: Alignment
    lang: str
    synthesis_keys: set[str] = field(default_factory=set)  # citation keys that stand for the review itself
    decisions: CodingDecisions | None = None
    review_question: ReviewQuestion | None = None
    title: str = ""

    @property
    def mapped(self) -> bool:
        """True when the run's framework is judged through another framework's coding (``maps_to``)."""
        return self.reference_codebook is not None


def load_inputs(
    cfg: RunConfig,
    segments_path: str | Path | None = None,
    codebook_path: str | Path | None = None,
    bibliography: Sequence[str | Path] | None = None,
    published_path: str | Path | None = FROM_CONFIG,
) -> Inputs:
    """Everything the rule needs, read and validated: codebook, segments, corpus, published table, appraisal.

    The bibliography defaults to the run's ``P/corpus.csv`` when stage 01 has written
    it, otherwise to the parameter file's ``bibliography`` exports.
    """
    p = cfg.params.alignment
    cb_path = Path(codebook_path) if codebook_path else cfg.path(cfg.params.codebook)
    cb = load_codebook(cb_path)
    ref = reference_codebook(cb, cb_path)
    if bibliography is None:
        corpus_csv = cfg.processed_dir / "corpus.csv"
        bibliography = [corpus_csv] if corpus_csv.exists() else cfg.bibliography_files
    corpus = read_corpus(bibliography)
    keys = set(corpus["record_id"].astype(str)) if len(corpus) else None
    segs = read_segments(segments_path or cfg.path(cfg.params.segments), ref or cb, keys)
    own = set(segments_module.synthesis_keys(corpus, p.synthesis_key))
    segs["is_synthesis"] = segs["ref_key"].isin(own)
    if published_path == FROM_CONFIG:
        published_path = cfg.path(cfg.params.published_table)
    appraisal_path = cfg.path(cfg.params.appraisal)
    decisions_path = cfg.path(cfg.params.coding_decisions)
    seg_path = Path(segments_path) if segments_path else cfg.path(cfg.params.segments)
    # the decisions name segments of the parameter file's segments file; another file has other rows
    own_segments = seg_path.resolve() == cfg.path(cfg.params.segments).resolve()
    decisions = read_decisions(decisions_path, segs, ref or cb, keys) if decisions_path and own_segments else None
    return Inputs(
        codebook=cb,
        codebook_path=cb_path,
        reference_codebook=ref,
        segments=segs,
        corpus=corpus,
        source_types=source_types_from(corpus, p.source_type_field),
        published=read_published(published_path),
        appraisal=read_appraisal(appraisal_path) if appraisal_path else None,
        params=p,
        lang=cfg.params.lang,
        synthesis_keys=own,
        decisions=decisions,
        review_question=cfg.params.review_question,
        title=cfg.params.title,
    )
