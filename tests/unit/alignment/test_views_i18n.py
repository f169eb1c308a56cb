"""Stage 04's printed text, tables and report partial say nothing in the program's own words that bypassed
the message catalog.

The whole stage is run in the pseudo-language qps on a codebook labelled in qps, with coding decisions and
an appraisal file of its own; every text the notebook prints or displays (revalign.alignment.views), the
paper-ready table with its notes (revalign.alignment.tables) and the report's CERQual and specification
partials (revalign.report.cerqual) is scanned: a word outside ⟦...⟧ that is not data (a source key, a code
id, a parameter name, an appraisal tool's published name, text from the appraisal file) came from a string
the catalog never saw.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from i18n_scan import _MARKED, messages_missing_from_catalog, unmarked
from pseudo_codebook import pseudo_codebook
from revalign.alignment import views
from revalign.alignment.analysis import analyse
from revalign.alignment.appraisal import TOOLS, read_appraisal
from revalign.alignment.decisions import read_decisions
from revalign.alignment.inputs import Inputs
from revalign.alignment.sensitivity import GRID_FIELDS
from revalign.alignment.tables import notes, presentation
from revalign.core.config import Alignment, Bootstrap
from revalign.report import cerqual as report_cerqual

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "alignment"
KEYS = ["k1", "k2", "k3", "k4"]
REASON = "judged from the record"


def _texts(obj) -> list[str]:
    if obj is None:
        return []
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, pd.DataFrame):
        return [str(c) for c in obj.columns] + [str(i) for i in obj.index] + [str(v) for v in obj.to_numpy().ravel()]
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _texts(v)]
    if isinstance(obj, (list, tuple)):
        return [t for v in obj for t in _texts(v)]
    return [str(obj)]


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qps")
    cb = pseudo_codebook(FIX / "codebook_own_ids.yml", tmp)
    rows = [
        ("S1", "k1", "staerke", "konzept", "dach", "a1"),
        ("S2", "k2", "staerke", "praxis", "international", "a1"),
        ("S3", "k3", "luecke", "praxis", "dach", "a1"),
        ("S4", "k4", "gemischt", "konzept", "dach", "a2"),
        ("S5", "k1", "luecke", "praxis", "dach", "a2"),
    ]
    segs = pd.DataFrame(
        [{"segment_id": s, "ref_key": k, "locator": "p. 1", "theme": "t1", "dimension": d, "polarity": pol,
          "facet": f, "context": c, "excerpt": "x", "coder": "t", "claim_id": s} for s, k, pol, f, c, d in rows]
    )  # fmt: skip
    segs["role"] = segs["polarity"].map(cb.polarity_roles)
    segs["is_synthesis"] = False
    lines = ["ref_key,design,tool,criterion,judgement,reason"]
    for k in KEYS:
        for tool in ("aacods", "relevance"):
            for crit in TOOLS[tool].criteria:
                j = "not_assessed" if (k == "k1" and crit == "accuracy") else "partly" if crit == "setting" else "yes"
                lines.append(f"{k},report,{tool},{crit},{j},{REASON}")
    (tmp / "appraisal.csv").write_text("\n".join(lines) + "\n")
    (tmp / "decisions.yml").write_text(
        "decisions:\n  - id: d1\n    label: {en: D, qps: \u27e6D\u27e7}\n    chosen: {en: c, qps: \u27e6c\u27e7}\n"
        "    alternative: {en: a, qps: \u27e6a\u27e7}\n    change:\n      S3: {polarity: staerke}\n",
        encoding="utf-8",
    )
    published = pd.DataFrame({"dimension": ["a1", "a2"], "published_level": ["vollstaendig", "nicht"]})
    x = Inputs(
        codebook=cb,
        codebook_path=tmp / "codebook_qps.yml",
        reference_codebook=None,
        segments=segs,
        corpus=pd.DataFrame({"record_id": KEYS}),
        source_types={"k1": "academic", "k2": "policy", "k3": "academic", "k4": "report"},
        published=published,
        appraisal=read_appraisal(tmp / "appraisal.csv"),
        params=Alignment(bootstrap=Bootstrap(replicates=20)),
        lang="qps",
        decisions=read_decisions(tmp / "decisions.yml", segs, cb, set(KEYS)),
    )
    r = analyse(x)
    out = {n: tmp / n for n in ("table1.csv", "bootstrap.csv", "cerqual_profile.csv", "specification.csv",
                                "sensitivity.csv", "leave_one_out.csv")}  # fmt: skip
    written = views.write_outputs(r, out)
    shares, runs, _ = views.sensitivity_run(r, out)
    loo, _ = views.leave_one_out_run(r, out)
    cells, calc = views.worked_example_text(r)
    files = report_cerqual.load(out, tmp / "decisions.yml")
    dims = dict(zip(r.table["dimension"], r.table["dimension_label"], strict=False))
    levels = {lv.id: lv.label.text("qps") for lv in cb.levels}
    shown = {
        "describe_rule": _texts(views.describe_rule(x)),
        "table_view": _texts(views.table_view(r)),
        "written": _texts(views.written_text(written, lambda p: Path(p).name, "qps")),
        "key_evidence": _texts(views.key_evidence_text(r)),
        "worked_example": _texts([cells, calc]),
        "replication": _texts(views.replication_markdown(r)),
        "bootstrap": _texts([views.bootstrap_text(r), views.bootstrap_view(r)]),
        "appraisal": _texts(views.appraisal_text(r)),
        "profile": _texts(views.profile_view(r)),
        "coverage": _texts(views.coverage_text(r)),
        "specification": _texts([views.specification_text(r), views.specification_view(r)]),
        "sensitivity": _texts(
            [views.sensitivity_text(r, runs), views.sensitivity_view(r, shares), views.synthesis_view(r, runs)]
        ),  # fmt: skip
        "leave_one_out": _texts(views.leave_one_out_text(r, loo)),
        "paper_table": _texts([presentation(r.table, "qps", cb), notes(r.table, "qps", "x")]),
        "report_cerqual": _texts(report_cerqual.cerqual_view(files, "qps")),
        "report_specification": _texts(report_cerqual.specification_view(files, "qps", dims, levels)),
    }
    return shown


DATA = [*KEYS, REASON, "x", "p. 1", *GRID_FIELDS, "True", "False", "voll", "teil", "wenig", "none", "nicht",
        "teilweise", "vollstaendig", "no_evidence", *(t.name for t in TOOLS.values())]  # fmt: skip
NAMES = ["describe_rule", "table_view", "written", "key_evidence", "worked_example", "replication", "bootstrap",
         "appraisal", "profile", "coverage", "specification", "sensitivity", "leave_one_out", "paper_table",
         "report_cerqual", "report_specification"]  # fmt: skip


def _unnest(text: str) -> str:
    """Messages hold labels and other messages (⟦a ⟦b⟧ c⟧): remove marked text from the inside out."""
    while _MARKED.search(text):
        text = _MARKED.sub(" ", text)
    return text


@pytest.mark.parametrize("name", NAMES)
def test_every_word_came_through_the_catalog_or_the_data(shown, name):
    assert shown[name], f"{name}: nothing shown"
    assert unmarked([_unnest(t) for t in shown[name]], data=DATA) == []


def test_the_unnesting_still_finds_a_bare_word():
    assert len(unmarked([_unnest("\u27e6a \u27e6b\u27e7 c\u27e7 stray")], data=DATA)) == 1


def test_every_message_asked_for_is_in_the_catalog(shown):
    assert messages_missing_from_catalog() == set()
