"""What the report says, on the fixture run (tests/fixtures/report) and on that run turned into a
review of its own: German labels first, its own code ids, no published table and none of the
published review's corpus fields.

Expected counts are worked out by hand from the fixture's files (see each test). The i18n tests
build the page in the pseudo-language qps from a codebook labelled in qps: every word outside
the ⟦...⟧ brackets must be data of the run (tests/i18n_scan.py).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from i18n_scan import messages_missing_from_catalog, unmarked
from revalign.core import config
from revalign.core.i18n import PSEUDO_CLOSE, PSEUDO_OPEN
from revalign.report.build import build_report, load_inputs, render_html, report_summary
from revalign.report.references import format_references

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "report"


def cfg_of(root: Path):
    return config.load("params/default.yml", root=root)


class Text(HTMLParser):
    """The visible text nodes of a page (not <style>, <title>, attributes)."""

    def __init__(self):
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "head", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "head", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.nodes.append(data)


def text_nodes(page: str) -> list[str]:
    p = Text()
    p.feed(page)
    return p.nodes


def visible(page: str) -> str:
    """The page's text as a reader reads it (no space before punctuation that closes a tag)."""
    return re.sub(r"\s+([.,;:)])", r"\1", " ".join(" ".join(text_nodes(page)).split()))


# ---- a review of its own: German first, own code ids -------------------------------------------

OWN_IDS = {
    "polarity": {"strength": "staerke", "gap": "luecke", "mixed": "gemischt"},
    "facet": {"concept": "konzept", "practice": "praxis"},
    "context": {"indonesia": "dach", "global": "international"},
}
GERMAN = {
    "improve_performance": "Leistung verbessern",
    "strategic_design": "Strategische Gestaltung",
    # "management" keeps its English label only: the page falls back to it, label by label
    "staerke": "Stärke",
    "luecke": "Lücke",
    "gemischt": "Gemischt",
    "konzept": "Konzept",
    "praxis": "Praxis",
    "dach": "DACH-Raum",
    "international": "International",
    "gap": "nicht abgedeckt",
    "partial": "teilweise abgedeckt",
    "fair": "weitgehend abgedeckt",
    "strong": "vollständig abgedeckt",
    "empowerment": "Befähigung",
    "ethics_quality": "Ethik und Qualität",
}


def make_own_review(root: Path, lang: str = "de") -> None:
    """The fixture as a review of its own (German labels, own ids, no review of its own, no
    published table, no source-type or reference-list fields, PRISMA counts and screening decisions)."""
    cb_path = root / "data" / "raw" / "codebook.yml"
    cb = yaml.safe_load(cb_path.read_text(encoding="utf-8"))
    roles = {"strength": "strength", "gap": "gap", "mixed": "mixed"}
    for kind, ids in OWN_IDS.items():
        for item in cb[kind]:
            old = item["id"]
            item["id"] = ids[old]
            if kind == "polarity":
                item["role"] = roles[old]
            if kind == "context" and old == "indonesia":
                item["focus"] = True
    for section in ("components", "themes", "polarity", "facet", "context", "levels"):
        for item in cb[section]:
            label = {"en": item["label"]["en"]}
            if item["id"] in GERMAN:
                label = {"de": GERMAN[item["id"]], **label}
            item["label"] = label
    cb["framework"]["source_key"] = "aect2023definition"
    cb_path.write_text(yaml.safe_dump(cb, allow_unicode=True, sort_keys=False), encoding="utf-8")
    seg_path = root / "data" / "raw" / "segments.csv"
    seg = pd.read_csv(seg_path, dtype=str, keep_default_na=False)
    for kind, ids in OWN_IDS.items():
        seg[kind] = seg[kind].map(lambda v, ids=ids: ids.get(v, v))
    seg.loc[seg["ref_key"] == "ruminarndkredensial", "ref_key"] = "aect2023definition"  # no review of its own
    seg.to_csv(seg_path, index=False)
    corpus_path = root / "data" / "processed" / "corpus.csv"
    corpus = pd.read_csv(corpus_path, dtype=str, keep_default_na=False)
    corpus = corpus.drop(columns=["sourcetype", "inreflist"])
    corpus = corpus[corpus["record_id"] != "ruminarndkredensial"]
    corpus["source_title"] = ["Zeitschrift A", "Journal B", "Zeitschrift A", "", ""][: len(corpus)]
    corpus.to_csv(corpus_path, index=False)
    t1_path = root / "data" / "processed" / "table1.csv"
    t1 = pd.read_csv(t1_path, dtype=str, keep_default_na=False).drop(columns=["published_level", "matches_published"])
    # the fixture's own review counts s005 (now citing aect2023definition) as a gap of strategic design
    t1.loc[t1["dimension"] == "strategic_design", "n_gap"] = "1"
    t1.to_csv(t1_path, index=False)
    # PRISMA 2020 counts as stage 02 writes them (revalign.screening.prisma)
    arm = {"records_identified": {}, "reports_sought_for_retrieval": 0, "reports_not_retrieved": 0}
    arm |= {"reports_assessed_for_eligibility": 0, "reports_excluded": {}, "reports_excluded_total": 0}
    prisma = {
        "databases_and_registers": {
            **arm,
            "records_identified": {"references.bib": 6},
            "records_identified_total": 6,
            "duplicate_records_removed": 1,
            "records_marked_ineligible_by_automation_tools": {},
            "records_removed_for_other_reasons": {"rejected_at_import": 0},
            "records_removed_before_screening_total": 1,
            "records_screened": 5,
            "records_excluded": {"no_keyword_match": 1},
            "records_excluded_total": 1,
            "reports_sought_for_retrieval": 4,
            "reports_assessed_for_eligibility": 4,
            "studies_included": 4,
        },
        "other_methods": {**arm, "records_identified_total": 0, "studies_included": 0},
        "studies_included_in_review": 4,
        "reports_of_included_studies": 4,
        "not_records": {},
        "screening": {"title_abstract": "criteria", "full_text": "not recorded"},
    }
    (root / "data" / "processed" / "prisma.json").write_text(json.dumps(prisma), encoding="utf-8")
    pd.DataFrame(
        {
            "record_id": ["wef2025future", "light2008geographic", "kemendikbud2021kampus", "aect2023definition"],
            "decision": ["include", "include", "exclude", "include"],
            "reason": ["included", "included", "no_keyword_match", "included"],
        }
    ).to_csv(root / "data" / "processed" / "screening.csv", index=False)
    params = root / "params" / "default.yml"
    text = params.read_text(encoding="utf-8").replace("lang: en", f"lang: {lang}").replace("framework: aect2023\n", "")
    params.write_text(text, encoding="utf-8")


@pytest.fixture()
def own_root(run_root) -> Path:
    make_own_review(run_root)
    return run_root


def test_a_german_review_with_its_own_codes_gets_a_german_report(own_root):
    page = build_report(cfg_of(own_root)).path.read_text(encoding="utf-8")
    text = visible(page)
    assert '<html lang="de">' in page
    # program words German (catalog), labels German (codebook), English label where German is missing
    for word in ("Antwort", "Tabelle 1", "Belege nach Dimension", "Literatur", "Methode"):
        assert word in text, word
    for label in ("Leistung verbessern", "Strategische Gestaltung", "vollständig abgedeckt", "DACH-Raum", "Management"):
        assert label in text, label
    for english in ("Answer", "Evidence by dimension", "Summary of findings", "References"):
        assert english not in text, english
    # Table 1's role columns carry the codebook's role labels; counts link to anchors by role
    assert "Stärke (Aussagen)" in text and "Lücke (Aussagen)" in text
    assert 'href="#ev-improve_performance-strength"' in page and 'id="ev-improve_performance-strength"' in page
    assert 'id="ev-improve_performance-gap"' in page
    # nothing of the published review's model (issue 21 item 6)
    assert "Werke nach Quellentyp" not in text and "Literaturverzeichnis der Übersicht" not in text
    assert not re.search(r"veröffentlicht(e|en) (Stufe|Tabelle)", text)


def pseudo(root: Path) -> None:
    """Label every codebook entry in qps too (as tests/pseudo_codebook.py does) and set lang: qps."""
    cb_path = root / "data" / "raw" / "codebook.yml"
    cb = yaml.safe_load(cb_path.read_text(encoding="utf-8"))
    for section in ("components", "themes", "polarity", "facet", "context", "levels"):
        for item in cb.get(section) or []:
            label = item["label"] if isinstance(item["label"], dict) else {"en": item["label"]}
            item["label"] = {**label, "qps": f"{PSEUDO_OPEN}{label.get('en')}{PSEUDO_CLOSE}"}
    cb_path.write_text(yaml.safe_dump(cb, allow_unicode=True, sort_keys=False), encoding="utf-8")
    params = root / "params" / "default.yml"
    params.write_text(re.sub(r"lang: \w+", "lang: qps", params.read_text(encoding="utf-8")), encoding="utf-8")


def run_data(root: Path) -> list[str]:
    """Every text of the run's own files that the page may show as data."""
    cfg = cfg_of(root)
    out: list[str] = [cfg.params.title, "qps"]
    for csv in (root / "data").rglob("*.csv"):
        df = pd.read_csv(csv, dtype=str, keep_default_na=False)
        out += [v for col in df.columns for v in df[col]]
    corpus = pd.read_csv(root / "data" / "processed" / "corpus.csv", dtype=str, keep_default_na=False)
    for ref in format_references(corpus):  # an entry is several text nodes (italics, links)
        out += [ref.text, html.unescape(re.sub("<[^>]+>", "", ref.cite))]
        out += [html.unescape(piece) for piece in re.split("<[^>]+>", ref.html)]
    cb = yaml.safe_load((root / "data" / "raw" / "codebook.yml").read_text(encoding="utf-8"))
    fw = cb["framework"]
    out += [fw["name"], " ".join(fw["definition"].split())]
    out += [c.get(k, "") for c in cb["components"] for k in ("phrase", "description")]

    def leaves(v):
        if isinstance(v, dict):  # the keys of a mapping the user wrote (language codes ...) are data too
            for k, x in v.items():
                if not isinstance(x, dict):
                    yield str(k)
                yield from leaves(x)
        elif isinstance(v, list):
            for x in v:
                yield from leaves(x)
        elif v is not None:
            yield str(v)

    out += list(leaves(cfg.summary()))
    out += [f"report-data/{n}.{ext}" for n in ("corpus", "screening") for ext in ("csv", "xlsx")]
    out += ["references.bib", "data/processed/prisma.json"]
    return [html.unescape(x) for x in out if str(x).strip()]


@pytest.mark.parametrize("variant", ["fixture", "own review"])
def test_every_visible_word_came_through_the_catalog_or_the_data(run_root, variant):
    if variant == "own review":
        make_own_review(run_root)
    pseudo(run_root)
    missing_before = messages_missing_from_catalog()  # messages other tests asked for in this process
    page = build_report(cfg_of(run_root)).path.read_text(encoding="utf-8")
    nodes = text_nodes(page)
    assert len(nodes) > 200
    assert unmarked(nodes, data=run_data(run_root)) == []
    assert messages_missing_from_catalog() - missing_before == set()


def test_the_page_scan_finds_a_word_outside_the_catalog(run_root):
    pseudo(run_root)
    page = build_report(cfg_of(run_root)).path.read_text(encoding="utf-8")
    planted = page.replace("</section>", "<p>Hard-coded words</p></section>", 1)
    assert unmarked(text_nodes(planted), data=run_data(run_root)) == ["Hard-coded words"]


# ---- counts that reconcile ---------------------------------------------------------------------


def steps(page: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(r'data-count="(\w+)" data-n="(\d+)"', page)}


def test_counts_reconcile_from_works_identified_to_claims(own_root):
    page = build_report(cfg_of(own_root)).path.read_text(encoding="utf-8")
    # By hand from make_own_review: 6 identified, 1 duplicate removed -> 5 screened, 1 excluded ->
    # 4 included. Cited: wef, light, kemendikbud, aect2023definition (s005) = 4 works; kemendikbud was
    # excluded, so 3 of the 4 included works are cited and 1 cited work is not among the included
    # (4 - 1 + 1 = 4). Claims: 7 segments without claim ids, each its own claim (locator + excerpt).
    assert steps(page) == {"identified": 6, "screened": 5, "included": 4, "cited": 4, "claims": 7}
    text = visible(page)
    assert "1 vor dem Screening entfernt" in text and "1 ausgeschlossen" in text
    assert "1 zitiertes Werk gehört nicht zu den eingeschlossenen" in text
    # the excluded work's evidence is marked, and the limitation names it
    s004 = re.search(r'<li id="seg-s004".*?</li>', page, re.S).group(0)
    assert "beim Screening ausgeschlossen" in s004


def test_table1_counts_equal_the_evidence_headings_they_link_to(run_root):
    page = build_report(cfg_of(run_root)).path.read_text(encoding="utf-8")
    links = re.findall(r'<a href="#(ev-[\w-]+-(?:strength|gap))" data-role="\w+">(\d+)</a>', page)
    assert len(links) == 4  # two dimensions x strength, gap
    for target, n in links:
        heading = re.search(rf'<h4 id="{target}" class="pol" data-claims="(\d+)"', page)
        assert heading, target
        assert heading.group(1) == n, target
    # by hand: improve_performance has s001, s002 (strengths) and s003 (gap); strategic_design s007
    # (strength), s004 (mixed) and s005 (the review's own synthesis, listed apart, not counted)
    assert dict(links) == {
        "ev-improve_performance-strength": "2",
        "ev-improve_performance-gap": "1",
        "ev-strategic_design-strength": "1",
        "ev-strategic_design-gap": "0",
    }
    apart = re.search(r'<details class="apart">.*?</details>', page, re.S).group(0)
    assert 'id="seg-s005"' in apart and "review's own synthesis, not counted in Table 1" in visible(apart)


def test_the_answer_says_how_sure_and_why_a_level_differs(run_root):
    t1 = run_root / "data" / "processed" / "table1.csv"
    df = pd.read_csv(t1, dtype=str, keep_default_na=False)
    df["level_probability"] = ["0.96", "0.5"]
    df["confidence"] = ["high", "not assessed"]
    df["replication_note"] = ["", "The published table counts the review's own synthesis."]
    df.to_csv(t1, index=False)
    page = render_html(load_inputs(cfg_of(run_root)))
    answer = visible(re.search(r'<section id="summary">.*?</section>', page, re.S).group(0))
    assert (
        "Strongly aligned. 96% of resamples of the cited sources give this level, given this coding and rule." in answer
    )
    assert "Confidence in the finding (GRADE-CERQual): not assessed." in answer
    assert (
        "The published table gives Fairly aligned. Why they differ: The published table counts the review's own synthesis."
        in answer
    )
    assert "The rule reproduces 1 of 2 published levels." in answer


# ---- what the page lists, and what it leaves to the linked files ----------------------------------


def test_references_only_for_cited_works_and_the_corpus_beside_the_page(run_root):
    corpus_path = run_root / "data" / "processed" / "corpus.csv"
    corpus = pd.read_csv(corpus_path, dtype=str, keep_default_na=False)
    extra = corpus.iloc[[0]].assign(record_id="uncited2020work", title='=HYPERLINK("http://x")', year="2020")
    pd.concat([corpus, extra]).to_csv(corpus_path, index=False)
    result = build_report(cfg_of(run_root))
    page = result.path.read_text(encoding="utf-8")
    assert 'id="ref-uncited2020work"' not in page and "HYPERLINK" not in page
    # by hand: the page cites wef, light, kemendikbud, ruminar (evidence) and aect2023definition (the
    # framework's source): 5 of the 6 works
    assert result.n_references == 5 and result.n_works == 6
    assert 'href="report-data/corpus.xlsx"' in page and 'href="report-data/corpus.csv"' in page
    folder = result.path.parent / "report-data"
    exported = pd.read_csv(folder / "corpus.csv", dtype=str, keep_default_na=False)
    assert len(exported) == 6
    # a title that would run as a formula: neutralised in the CSV, a plain string cell in the workbook
    assert exported.loc[exported["record_id"] == "uncited2020work", "title"].item().startswith("'=")
    from openpyxl import load_workbook

    ws = load_workbook(folder / "corpus.xlsx").active
    cells = {c.value: c for row in ws.iter_rows() for c in row}
    formula = cells['=HYPERLINK("http://x")']
    assert formula.data_type == "s" and formula.quotePrefix
    assert "abstract" not in [c.value for c in ws[1]]


def test_exports_are_rewritten_only_when_their_source_changes(run_root):
    cfg = cfg_of(run_root)
    first = build_report(cfg).exports
    assert [e.written for e in first] == [True]  # the fixture has a corpus, no screening decisions
    assert [e.written for e in build_report(cfg).exports] == [False]
    corpus = run_root / "data" / "processed" / "corpus.csv"
    corpus.write_text(corpus.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert [e.written for e in build_report(cfg).exports] == [True]


def test_source_type_and_reference_list_panels_only_when_the_corpus_has_them(run_root, own_root):
    with_fields = visible(render_html(load_inputs(cfg_of(FIXTURE_COPY(run_root)))))
    assert "Works by source type" in with_fields
    own = visible(render_html(load_inputs(cfg_of(own_root)), "en"))
    assert "works by source type" not in own.lower() and "the review's reference list" not in own.lower()
    assert "not given 5" not in own and "not set" not in own
    # coding rules worded for a review without a review of its own, in its own vocabulary
    assert "Each piece of evidence is coded from its source" in own
    assert "a polarity (Strength, Gap, Mixed), a facet (Concept, Practice) and a context (Indonesia, Global)" in own
    assert "the review's own synthesis" not in own


def FIXTURE_COPY(root: Path) -> Path:  # noqa: N802 (reads as the fixture itself)
    copy = root.parent / "fixture_copy"
    if not copy.exists():
        shutil.copytree(FIXTURE, copy)
        (copy / "pyproject.toml").write_text("")
    return copy


def test_notebook_summary_is_in_the_run_language(own_root):
    cfg = cfg_of(own_root)
    text = report_summary(build_report(cfg), cfg)
    assert text.startswith("Bericht: reports/report.html")
    assert "Leistung verbessern" in text and "Stärke (Aussagen)" in text
    assert str(own_root) not in text  # paths relative to the project


class Sections(HTMLParser):
    """The contents' links (``<nav class="toc">``) and the ids of the sections that have a heading."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.sections: list[str] = []
        self.ids: set[str] = set()
        self._nav = False
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "nav" and "toc" in (a.get("class") or ""):
            self._nav = True
        if self._nav and tag == "a":
            self.links.append(a["href"].lstrip("#"))
        if tag == "section":
            self._open.append(a.get("id", ""))
        if tag == "h2" and self._open and self._open[-1]:
            self.sections.append(self._open[-1])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav = False
        if tag == "section" and self._open:
            self._open.pop()


def _sections(page: str) -> Sections:
    parser = Sections()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("with_cerqual", [False, True])
def test_the_contents_list_every_section_and_only_sections_that_exist(run_root, with_cerqual):
    if with_cerqual:
        # the committed default run's evidence profile and specification rows for the fixture's two
        # dimensions (the fixture is cut from that run: same dimension ids)
        processed = Path(__file__).resolve().parents[3] / "data" / "processed"
        for name in ("cerqual_profile.csv", "specification.csv"):
            table = pd.read_csv(processed / name, dtype=str, keep_default_na=False)
            table = table[table["dimension"].isin(["improve_performance", "strategic_design"])]
            assert len(table) >= 2, name
            table.to_csv(run_root / "data" / "processed" / name, index=False)
    page = build_report(cfg_of(run_root)).path.read_text(encoding="utf-8")
    found = _sections(page)
    assert found.links, "no contents"
    assert [sid for sid in found.links if sid not in found.ids] == []  # every entry leads somewhere
    assert [sid for sid in found.sections if sid not in found.links] == []  # every section is listed
    assert ("cerqual" in found.links) is with_cerqual
    assert ("specification" in found.links) is with_cerqual
