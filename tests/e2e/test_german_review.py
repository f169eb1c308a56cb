"""The third worked example end to end: a German review with its own code ids (issue 21).

`make report PARAMS=params/lehrkraefte_de.yml` runs data/raw/examples/lehrkraefte_digital_de/
(fictional data; `lang: de`; polarity staerke/luecke/gemischt, facets konzept/praxis, context dach as
the focus; four overlapping exports: Zotero BibTeX, Scopus CSV, Web of Science plain text, ERIC .nbib).
Checked like the second example (layout, corpus size, no word of the published review, generic
columns, corpus figures with data), and for what this example exists to show: Table 1's levels are
the ones worked out by hand in the example's README, per-part counts are named by its own part ids,
the program's words are German in the report and the figures, corporate authors stay whole, the
edited book is cited with its editors, three spellings of one journal count as one venue, and the
Web of Science review article keeps its journal.
"""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest

from example_run import BASE64, CORPUS_FIGURES, PAPER_TERMS, bars_in_svg, missing_layout, paper_terms_found, run_example

pytestmark = pytest.mark.e2e

if shutil.which("make") is None:  # pragma: no cover
    pytest.skip("GNU make is not installed", allow_module_level=True)

EXAMPLE = "lehrkraefte_de"
# Worked out by hand in data/raw/examples/lehrkraefte_digital_de/README.md ("What the coding implies"):
# level per area, and strengths / gaps per part (a mixed claim counts half to each).
LEVELS = {
    "beruf": "konzeptionell",
    "ressourcen": "vollstaendig",
    "lehren": "konzeptionell",
    "pruefen": "nicht_abgedeckt",
    "befaehigen": "ueberwiegend",
}
PART_SG = {
    "beruf": {"konzept": (3, 0), "praxis": (2, 4)},
    "ressourcen": {"konzept": (1, 0), "praxis": (4, 1)},
    "lehren": {"konzept": (2, 1), "praxis": (0.5, 2.5)},
    "pruefen": {"konzept": (0, 2), "praxis": (1.5, 5.5)},
    "befaehigen": {"konzept": (0, 0), "praxis": (2.5, 1.5)},
}


@pytest.fixture(scope="module")
def run(request):
    return run_example(request.config.rootpath, EXAMPLE)


@pytest.fixture(scope="module")
def report(run) -> str:
    page = run / "report.html" if (run / "report.html").is_file() else run / "reports" / "report.html"
    return page.read_text(encoding="utf-8")


def _page_text(page: str) -> str:
    """What a reader of the page sees: no markup, styles, scripts or embedded images."""
    page = BASE64.sub("", page)
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _svg_text(path) -> str:
    svg = path.read_text(encoding="utf-8")
    return " ".join(html.unescape(" ".join(re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S))).split())


def _corpus(run) -> pd.DataFrame:
    return pd.read_csv(run / "processed" / "corpus.csv", dtype=str, keep_default_na=False)


def test_the_whole_layout(run):
    assert missing_layout(run) == []


def test_corpus_after_de_duplication(run):
    # 14 + 10 + 8 + 6 records, 7 of them copies of another by DOI (README): 31 works
    assert len(_corpus(run)) == 31
    import json

    prisma = json.loads((run / "processed" / "prisma.json").read_text())
    # vogel_mediennutzung_2016 lies outside the window 2017-2025; nothing else is excluded
    assert prisma["studies_included_in_review"] == 30


def test_no_word_of_the_published_review(run):
    assert paper_terms_found(run) == {}


def test_table1_levels_are_the_levels_worked_out_by_hand(run):
    table = pd.read_csv(run / "processed" / "table1.csv", keep_default_na=False).set_index("dimension")
    assert table["level"].to_dict() == LEVELS
    for dim, parts in PART_SG.items():
        for part, (s, g) in parts.items():
            n_s, n_g, n_m = (int(table.loc[dim, f"n_{role}_{part}"]) for role in ("strength", "gap", "mixed"))
            assert (n_s + n_m / 2, n_g + n_m / 2) == (s, g), (dim, part)


def test_columns_are_generic_and_per_part_counts_use_the_codebooks_part_ids(run):
    columns = list(pd.read_csv(run / "processed" / "table1.csv", nrows=0).columns)
    assert not [c for c in columns if PAPER_TERMS.search(c)]
    per_part = [c for c in columns if re.fullmatch(r"n_(strength|gap|mixed)_.+", c)]
    assert per_part == [f"n_{r}_{p}" for r in ("strength", "gap", "mixed") for p in ("konzept", "praxis")]
    assert not [c for c in columns if "practice" in c or "concept" in c]


@pytest.mark.parametrize("name", CORPUS_FIGURES)
def test_every_corpus_figure_has_data(run, name):
    svg = run / "figures" / f"{name}.svg"
    assert bars_in_svg(svg) >= 2, f"{name}: no data drawn"


def _english_messages() -> list[str]:
    """Phrases of the program's own words (two words or more) whose German differs: none may show in a
    German run. Placeholders split a message into its literal pieces."""
    from revalign.core.catalog import read_catalog

    out = set()
    for msg in read_catalog("de"):
        if not msg.id or not msg.string:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for english in ids:
            if english in strings:
                continue
            for piece in re.split(r"\{[^}]*\}", english):
                piece = " ".join(piece.split()).strip(" ;:,.()")
                if len(piece.split()) >= 3:
                    out.add(piece)
    return sorted(out)


def test_the_report_speaks_german(report):
    assert re.search(r'<html[^>]*\blang="de"', report)
    text = _page_text(report)
    for heading in ("Tabelle 1", "Belege", "Methode", "Literatur", "Stufe"):
        assert heading in text, heading
    leaks = [m for m in _english_messages() if m in text]
    assert leaks == []


@pytest.mark.parametrize("name", ["alignment_heatmap", "coverage_heatmap", "evidence_map", *CORPUS_FIGURES])
def test_the_figures_speak_german(run, name):
    text = _svg_text(run / "figures" / f"{name}.svg")
    assert text
    leaks = [m for m in _english_messages() if m in text]
    assert leaks == []


def test_german_headings_and_labels_in_the_figures(run):
    heat = _svg_text(run / "figures" / "alignment_heatmap.svg")
    assert "Übereinstimmungsstufe" in heat
    # own ids, own German labels: polarity Stärke / Lücke / Gemischt on the parts Konzept / Praxis
    for label in ("Stärke", "Lücke", "Gemischt", "Konzept", "Praxis", "vollständig abgedeckt"):
        assert label in heat, label
    assert "Werke je Erscheinungsjahr" in _svg_text(run / "figures" / "works_per_year.svg")


def test_corporate_authors_stay_whole(run, report):
    corpus = _corpus(run).set_index("citation_key")
    # zotero.bib: author = {{Bundesamt für Bildung, Medien und Digitales}} (a comma inside the name)
    assert (
        corpus.loc["bundesamt_strategie_2020", "authors"].strip("{}") == "Bundesamt für Bildung, Medien und Digitales"
    )
    text = _page_text(report)
    assert "(Bundesamt für Bildung, Medien und Digitales, 2020)" in text
    assert "Bundesamt für Bildung, M." not in text and "Bildung, W." not in text
    # the ERIC report of an institute: a whole name, not family 'Teaching', given 'Institute for Digital'
    assert "Institute for Digital Teaching. (2020)" in text
    assert "Bundesamt für Bildung, Medien und Digitales 2020" in _svg_text(run / "figures" / "evidence_map.svg")


def test_the_edited_book_is_cited_with_its_editors(report):
    text = _page_text(report)
    # zotero.bib: @book hoffmann_handbuch_2022, editor = {Hoffmann, Claudia and Wagner, Peter}, no author
    assert "(Hoffmann & Wagner, 2022)" in text
    assert re.search(r"Hoffmann, C\., & Wagner, P\. \((Hrsg|Eds)\.\)", text)


def test_three_spellings_of_one_journal_count_as_one_venue(run, report):
    # 'Computers and Teacher Education' (Scopus, twice), 'COMPUTERS & TEACHER EDUCATION' (WoS) and
    # 'Computers & Teacher Education' (Zotero): four works in one journal
    venues = _svg_text(run / "figures" / "venues.svg")
    spellings = re.findall(r"Computers (?:and|&amp;|&) Teacher Education|COMPUTERS & TEACHER EDUCATION", venues)
    assert len(spellings) == 1, spellings
    text = _page_text(report)
    counted = re.findall(r"(Computers (?:and|&) Teacher Education|COMPUTERS & TEACHER EDUCATION) (\d+)", text)
    assert [n for _, n in counted] == ["4"], counted


def test_the_review_article_keeps_its_journal(run, report):
    # savedrecs.txt: DT Review, SO COMPUTERS & TEACHER EDUCATION (zimmermann_digital_2024)
    corpus = _corpus(run).set_index("citation_key")
    assert corpus.loc["zimmermann_digital_2024", "source_title"].lower().replace("&", "and") == (
        "computers and teacher education"
    )
    text = _page_text(report)
    assert re.search(r"A systematic review\. Computers (and|&) Teacher Education ?, 16 ?\(1\)", text)
