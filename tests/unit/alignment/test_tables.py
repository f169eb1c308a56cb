"""Markdown, LaTeX and XLSX versions of table1: escaping and byte-for-byte determinism."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from revalign.alignment import tables

TABLE = pd.DataFrame(
    {
        "dimension": ["a_b"],
        "dimension_label": ["R&D 100% | test_x"],
        "level": ["fairly"],
        "level_label": ["Fairly aligned"],
        "n_strength": [2],
        "n_gap": [1],
        "n_mixed": [0],
        "n_sources": [3],
        "score": [0.3333],
        "key_strength": ["cost ~ $5 {x} #1 ^"],
        "critical_gap": ["back\\slash"],
        "published_level": ["strongly"],
        "matches_published": [False],
    }
)


def test_latex_escapes_special_characters():
    tex = tables.to_latex(tables.presentation(TABLE))
    assert r"R\&D 100\% \textbar{} test\_x" in tex
    assert r"cost \textasciitilde{} \$5 \{x\} \#1 \textasciicircum{}" in tex
    assert r"back\textbackslash{}slash" in tex
    assert r"\toprule" in tex and r"\midrule" in tex and r"\bottomrule" in tex


def test_markdown_escapes_pipes_and_formats_score():
    md = tables.to_markdown(tables.presentation(TABLE))
    assert "R&amp;D 100% \\| test_x" in md  # HTML escaped: Markdown renders &amp; as &
    assert "| +0.33 |" in md  # 0.3333 -> +0.33
    assert "| 2 / 1 / 0; 3 |" in md
    assert md.splitlines()[1].count("---") == 8  # 8 columns with a published level


def test_presentation_indonesian():
    df = tables.presentation(TABLE, "id")
    assert "Tingkat keselarasan" in df.columns
    assert df.iloc[0]["Tereproduksi"] == "tidak"


def test_probability_and_confidence_shown_when_present():
    # the bootstrap probability joins the level label, "Fairly aligned (0.71)"; confidence gets its column
    t = TABLE.assign(level_probability=[0.714], confidence=["moderate"])
    df = tables.presentation(t)
    assert df.iloc[0]["Alignment level (probability)"] == "Fairly aligned (0.71)"
    assert df.iloc[0]["Confidence (GRADE-CERQual)"] == "moderate"


def test_xlsx_is_deterministic(tmp_path):
    import time

    a = tables.to_xlsx_bytes(tables.presentation(TABLE))
    time.sleep(1.1)  # a naive writer would stamp a different second
    b = tables.to_xlsx_bytes(tables.presentation(TABLE))
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(a)).active
    assert ws["A1"].value == "Dimension" and ws["A2"].value == "R&D 100% | test_x"


def test_write_tables_twice_same_bytes(tmp_path):
    paths = tables.write_tables(TABLE, tmp_path)
    first = {p.name: p.read_bytes() for p in paths}
    tables.write_tables(TABLE, tmp_path)
    assert {p.name: p.read_bytes() for p in paths} == first
    assert sorted(first) == ["table1.md", "table1.tex", "table1.xlsx"]
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith(".")]  # no temporary left behind


def test_presentation_in_a_language_without_program_words_uses_english_headings():
    # lang "pt" has no catalog: the program's own headings fall back to English (the same headings as lang "en"),
    # never a KeyError; German and Indonesian have their own, from the message catalog
    assert list(tables.presentation(TABLE, "pt").columns) == list(tables.presentation(TABLE, "en").columns)
    assert list(tables.presentation(TABLE, "de").columns)[:2] == ["Dimension", "Übereinstimmungsstufe"]
    assert list(tables.presentation(TABLE, "de").columns) != list(tables.presentation(TABLE, "id").columns)


def test_notes_say_what_the_probability_and_the_replication_mean():
    t = TABLE.assign(level_probability=[0.714], confidence=["not assessed"])
    notes = tables.notes(t, "en", "1 of 1 published levels reproduced (exact level match)")
    assert notes[0].startswith("Probability: the share of resamples of the cited sources that give this level, given")
    assert any(
        n.startswith("Confidence: GRADE-CERQual. It is not given where a component could not be assessed")
        for n in notes
    )
    assert (
        notes[-1]
        == "Reproduced: the level is the published level exactly. 1 of 1 published levels reproduced (exact level match)."
    )
    md = tables.to_markdown(tables.presentation(t), notes)
    assert md.rstrip().endswith("(exact level match).")
    assert "\\par" in tables.to_latex(tables.presentation(t), notes=notes)
    # without a probability or confidence column, no note about them
    assert not any(n.startswith(("Probability", "Confidence")) for n in tables.notes(TABLE, "en"))


def test_a_no_carries_its_reason():
    t = TABLE.assign(replication_note=["the published level needs Practice graded full"])
    df = tables.presentation(t)
    assert df.iloc[0]["Reproduced"] == "no"
    assert df.iloc[0]["Why not reproduced"] == "the published level needs Practice graded full"
