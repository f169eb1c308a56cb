"""Generated reviews (issue 21): whatever `check` accepts, the stages run, and say nothing of the published review.

Each example is a whole review drawn by tests/generated/reviews.py: its own codebook (1-12 dimensions,
2-6 levels, single score or part grades, own code ids, some of them ids of the published codebook in
another role, labels in random languages), two overlapping exports in two formats, and segments that
cite the corpus. The invariant:

- ``check`` either refuses, every problem one line ``error: FILE[:LINE]: ...`` naming one of the
  review's own files, or
- the stages' functions run: import, screening, coding matrices and figures, Table 1, the alignment
  figures and the paper-ready tables; Table 1 has one row per headline dimension with a level of the
  codebook (or no evidence) and per-part counts only for the codebook's parts; every figure has text;
  no figure or table names a code of the published codebook that this codebook does not have, nor any
  term of the published review; in the pseudo-language qps every visible word comes from the catalog
  or from the review's own data.

``make test`` runs a few examples; ``make test-generated`` runs 300 (``GENERATED_EXAMPLES=N`` for another budget), without shrinking.
It runs every stage's functions on whole reviews, so it is an end-to-end test, not part of ``make unit``.
"""

from __future__ import annotations

import csv
import os
import re

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generated.reviews import PUBLISHED_IDS, reviews, segment_rows, write_review
from i18n_scan import figure_texts, unmarked
from revalign.alignment import plots as alignment_plots
from revalign.alignment import sensitivity, tables
from revalign.alignment.inputs import load_inputs
from revalign.alignment.table1 import align, part_count_columns
from revalign.bibliography.importer import read_bibliography
from revalign.coding import matrices
from revalign.coding import plots as coding_plots
from revalign.coding import segments as segments_module
from revalign.core import config
from revalign.core.atomic import write_csv
from revalign.core.codebook import load_codebook
from revalign.project.check import check
from revalign.screening import rules as screening

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("REVALIGN_GENERATED_EXAMPLES", "8"))
# words of the published review (its country, framework, topic, programme, authors) that no run on other material shows
PAPER_TERMS = re.compile(
    r"\bindonesia\b|\baect|micro-?credential|kredensial|\bkmmi\b|kemendikbud|ruminar|kuswandi|fajarianto", re.IGNORECASE
)
LINE = re.compile(r"^error: (?P<file>[^:]+)(:\d+)?: .+")


def _segments_csv(path, rows) -> None:
    cols = [
        "segment_id",
        "ref_key",
        "locator",
        "theme",
        "dimension",
        "polarity",
        "facet",
        "context",
        "excerpt",
        "coder",
        "claim_id",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)


def _label_texts(cb_data: dict) -> set[str]:
    out = set()
    for section in ("components", "themes", "polarity", "facet", "context", "levels"):
        for item in cb_data.get(section, []):
            for text in item["label"].values():
                # whole labels and their words: Hypothesis draws words from constants of the code
                # under test too, so a label can hold "global" or "mixed" as one of its words
                out.add(text)
                out.update(text.split())
            out.add(item["id"])
    return out


def _run_stages(cfg, review, corpus):
    """The stages' package functions, as the notebooks call them; returns (table1, {figure name: texts}, table texts)."""
    cb = load_codebook(cfg.path(cfg.params.codebook))
    lang = cfg.lang
    write_csv(corpus, cfg.processed_dir / "corpus.csv")
    decisions = screening.screen(corpus, cfg.params.screening)
    assert set(decisions["decision"]) <= {"include", "exclude"}
    marked = segments_module.mark_review(corpus, None)
    segs = segments_module.read_segments(cfg.path(cfg.params.segments), codebook=cb, ref_keys=marked["record_id"])
    figs = {}
    td = matrices.theme_dimension_matrix(segs, cb, marked, basis="evidence")
    figs["theme_dimension"] = coding_plots.theme_dimension_heatmap(td, None, cb, lang)
    emap = matrices.evidence_map(segs, cb, marked)
    figs["evidence_map"] = coding_plots.evidence_map_heatmap(
        emap, cb, lang, source_labels=matrices.short_citations(marked)
    )
    x = load_inputs(cfg)
    table = align(
        x.segments, x.codebook, x.params, x.codebook_path, x.source_types, x.published, lang, appraisal=x.appraisal
    )
    figs["alignment_heatmap"] = alignment_plots.alignment_heatmap(table, cb, lang)
    figs["coverage"] = alignment_plots.coverage_heatmap(x.segments, cb, x.params, lang)
    dims = list(table.loc[table["level_rank"].notna(), "dimension"])
    figs["gap_map"] = alignment_plots.evidence_gap_map(x.segments, cb, x.params, dims, lang)
    shares, _ = sensitivity.sensitivity_table(x.segments, cb, x.params, dims, x.source_types)
    figs["sensitivity"] = alignment_plots.sensitivity_chart(shares, table[table["dimension"].isin(dims)], cb, lang)
    written = tables.write_tables(table, cfg.processed_dir, lang, cb, caption="t")
    texts = {name: figure_texts(fig) for name, fig in figs.items()}
    for fig in figs.values():
        plt.close(fig)
    table_text = "\n".join(p.read_text(encoding="utf-8") for p in written if p.suffix in (".md", ".tex"))
    return table, texts, table_text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # REVALIGN_GENERATED_SHRINK=0: report the first failing review as drawn (shrinking one takes minutes)
    phases=[p for p in Phase if os.environ.get("REVALIGN_GENERATED_SHRINK", "1") != "0" or p is not Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(review=reviews(), data=st.data())
def test_check_refuses_with_a_line_or_the_stages_run(tmp_path_factory, review, data):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    params = write_review(root, review)
    cfg = config.load(params, root=root)
    corpus = read_bibliography(cfg.bibliography_files).records
    keys = sorted(corpus["citation_key"].astype(str))
    rows = data.draw(segment_rows(review.codebook, keys))
    _segments_csv(review.files["folder"] / "segments.csv", rows)

    problems, _ = check(params, root)
    if problems:
        own = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        for p in problems:
            line = p.format()
            m = LINE.match(line)
            assert m, line
            assert any(m.group("file").endswith(f) for f in own), line
        # a drawn review is valid by construction except where it has no segments at all
        assert not rows, [p.format() for p in problems]
        return

    table, texts, table_text = _run_stages(cfg, review, corpus)
    cb = review.codebook
    headline = [c["id"] for c in cb["components"] if c["headline"]]
    assert sorted(table["dimension"]) == sorted(headline)
    levels = {lv["id"] for lv in cb["levels"]} | {"no_evidence"}
    assert set(table["level"]) <= levels
    loaded = load_codebook(cfg.path(cfg.params.codebook))
    per_part = [c for c in table.columns if re.fullmatch(r"n_(strength|gap|mixed)_.+", c)]
    assert per_part == part_count_columns(loaded)
    own_words = _label_texts(cb)
    for name, t in texts.items():
        assert t, f"{name}: a figure without any text"
        shown = " ".join(t + [table_text])
        hit = PAPER_TERMS.search(shown)
        assert not hit, (name, shown[max(0, hit.start() - 80) : hit.end() + 80])
        foreign = {w for w in PUBLISHED_IDS if re.search(rf"\b{w}\b", shown)} - own_words
        # an id of the published codebook that this codebook does not have was hard-coded somewhere
        assert not foreign - {"mixed", "gap", "strength"}, (name, foreign)
        if cfg.lang == "qps":
            data_words = own_words | set(corpus["citation_key"]) | set(matrices.short_citations(corpus).values())
            assert unmarked(t, data=data_words) == [], name
