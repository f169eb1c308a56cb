"""A tiny review on disk (a two-dimension codebook, two BibTeX entries, two coded segments, a
parameter file naming them) for the tests of `check` and of what it keeps for stage 01."""

from __future__ import annotations

from pathlib import Path

CODEBOOK = """\
framework: {id: tiny, name: Tiny framework, definition: A definition.}
components:
  - {id: one, label: One, phrase: one, description: First, headline: true}
  - {id: two, label: Two, phrase: two, description: Second, headline: true}
themes: [{id: t1, label: Theme}]
polarity: [{id: strength, label: Strength}, {id: gap, label: Gap}, {id: mixed, label: Mixed}]
facet: [{id: concept, label: Concept}, {id: practice, label: Practice}]
context: [{id: here, label: Here}, {id: there, label: There}]
levels: [{rank: 0, id: low, label: Low}, {rank: 1, id: high, label: High}]
"""
BIB = """\
@article{smith_first_2024, title = {First}, author = {Smith, Ann}, journal = {J}, year = {2024}}
@article{jones_second_2023, title = {Second}, author = {Jones, Bo}, journal = {J}, year = {2023}}
"""
HEADER = "segment_id,ref_key,locator,theme,dimension,polarity,facet,context,excerpt,coder\n"
GOOD_ROWS = (
    "S1,smith_first_2024,p. 1,t1,one,strength,practice,here,A claim.,a\n"
    "S2,jones_second_2023,p. 2,t1,two,gap,concept,there,Another claim.,a\n"
)
PARAMS = "bibliography: [refs.bib]\ncodebook: cb.yml\nsegments: seg.csv\n"


def write_project(
    tmp_path: Path, params: str = PARAMS, codebook: str = CODEBOOK, bib: str = BIB, segments: str = HEADER + GOOD_ROWS
) -> Path:
    """The review's files in *tmp_path* (a project root: pyproject.toml, src/revalign); its parameter file."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True, exist_ok=True)
    (tmp_path / "cb.yml").write_text(codebook)
    (tmp_path / "refs.bib").write_text(bib)
    (tmp_path / "seg.csv").write_text(segments)
    (tmp_path / "run.yml").write_text(params)
    return tmp_path / "run.yml"
