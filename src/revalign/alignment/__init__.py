"""Stage 04, alignment: coded evidence -> a level per dimension, how sure, and how it compares.

The public API (what notebooks and other stages import)::

    from revalign import alignment
    x = alignment.load_inputs(cfg)      # codebook, segments, corpus, appraisal, coding decisions ...
    r = alignment.analyse(x)            # Table 1, bootstrap, CERQual profiles, specification table
    r.table, r.bootstrap, r.profiles, r.specification

``revalign.alignment.views`` turns a result into the texts and tables the notebook shows,
``revalign.alignment.plots`` into its figures (both import matplotlib, so they are not
imported here).

Modules, one responsibility each:

- ``analysis``: ``analyse`` (everything above in one call), the evidence profile, the specification summary;
- ``units``: evidence units (claim x dimension x facet), weights, the review's own synthesis;
- ``rule``: part grades, levels, corroboration (the rule of docs/protocol.md section 3);
- ``bootstrap``: level probabilities from resampling the cited sources (section 5);
- ``appraisal``: the critical appraisal file (a named tool per source design, relevance criteria);
- ``confidence``: GRADE-CERQual, the four components and the overall confidence (section 6);
- ``decisions``, ``specification``: coding decisions as data, and Table 1 under each combination;
- ``table1``: Table 1 (``align``, ``build_table``, ``write_table``);
- ``mapping``: a framework judged through another one's coding (``maps_to``);
- ``replication``: the comparison with a published table (section 4);
- ``sensitivity``: the parameter grid and leave-one-source-out;
- ``example``: the rule by hand for one dimension;
- ``inputs``: reading and validating the stage's inputs; ``views``: what the notebook shows;
- ``tables``: Table 1 for readers (Markdown, LaTeX, XLSX); ``plots``: the figures;
- ``command``: ``python -m revalign align``.
"""

from revalign.alignment.analysis import Result, analyse, evidence_profile, specification_summary
from revalign.alignment.appraisal import Appraisal, read_appraisal
from revalign.alignment.bootstrap import bootstrap_levels
from revalign.alignment.decisions import CodingDecisions, read_decisions
from revalign.alignment.example import worked_example
from revalign.alignment.inputs import Inputs, load_inputs, read_published
from revalign.alignment.mapping import NO_COUNTERPART, map_segments
from revalign.alignment.replication import expected_reproduced, replication_summary
from revalign.alignment.rule import NO_EVIDENCE, Judgement, judge, judge_units, levels_for
from revalign.alignment.table1 import align, build_table, part_count_columns, table_columns, write_table
from revalign.alignment.units import (
    claim_key,
    context_weights,
    evidence_units,
    facet_weights,
    split_synthesis,
    two_part,
    uses_context_weights,
)

__all__ = [
    "Appraisal",
    "CodingDecisions",
    "Result",
    "analyse",
    "evidence_profile",
    "read_decisions",
    "specification_summary",
    "NO_COUNTERPART",
    "NO_EVIDENCE",
    "Inputs",
    "Judgement",
    "align",
    "bootstrap_levels",
    "build_table",
    "claim_key",
    "context_weights",
    "evidence_units",
    "expected_reproduced",
    "facet_weights",
    "judge",
    "judge_units",
    "levels_for",
    "load_inputs",
    "map_segments",
    "part_count_columns",
    "read_appraisal",
    "read_published",
    "replication_summary",
    "split_synthesis",
    "table_columns",
    "two_part",
    "uses_context_weights",
    "worked_example",
    "write_table",
]
