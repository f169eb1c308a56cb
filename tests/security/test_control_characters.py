"""Control characters in inputs are refused by ``check`` with FILE:LINE, and never crash a stage.

Attacks (issue 23): a vertical tab in an excerpt (what Word writes for Shift+Enter) or ``\\x01`` in
a title passed ``check``; stage 04 then stopped with ``cell 4 failed: ...`` naming no input file
or line (openpyxl refuses such characters in table1.xlsx), and ``agree`` printed a traceback (the
same refusal, in disagreements.xlsx).

The promise: tab, line feed and carriage return are text; every other control character (C0,
DEL, C1) in a parameter file, codebook, segments file, bibliography export, sheet or notes file is
an ``error: FILE:LINE: ...`` of ``check`` (and of ``agree`` / ``reconcile``, which read their
inputs directly). A writer that still meets one (a notebook run without ``check``) shows it as a
visible symbol instead of failing.
"""

from __future__ import annotations

import io

import pytest
from hostile import ROOT, one_error_line, run_main, scaffold_project, two_codings, write_csv


@pytest.fixture
def proj(tmp_path, monkeypatch):
    monkeypatch.delenv("REVALIGN_ALLOW_INPUTS_FROM", raising=False)
    return scaffold_project(tmp_path)


def _check(proj, capfd):
    return run_main(["check", "params/mine.yml"], capfd, cwd=proj)


def _errors_for(err: str, where: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(f"error: {where}")]


def test_vertical_tab_in_an_excerpt(proj, capfd):
    seg = proj / "data/raw/mine/segments.csv"
    seg.write_text(seg.read_text(encoding="utf-8").replace("a short paraphrase", "a short\x0bparaphrase", 1))
    code, out, err = _check(proj, capfd)
    assert code == 2 and "Traceback" not in err
    hits = _errors_for(err, "data/raw/mine/segments.csv:2:")
    assert hits and "U+000B" in hits[0], err


def test_control_character_in_a_bibliography_title(proj, capfd):
    bib = proj / "data/raw/mine/bibliography/example.bib"
    text = bib.read_text(encoding="utf-8")
    line = text[: text.index("An example study")].count("\n") + 1
    bib.write_text(text.replace("An example study", "An example\x01study"), encoding="utf-8")
    code, out, err = _check(proj, capfd)
    assert code == 2 and "Traceback" not in err
    hits = _errors_for(err, f"data/raw/mine/bibliography/example.bib:{line}:")
    assert hits and "U+0001" in hits[0], err


@pytest.mark.parametrize(
    ("rel", "needle", "char"),
    [
        ("data/raw/mine/codebook.yml", "Dimension one", "\x0c"),
        ("params/mine.yml", "alignment with the framework", "\x1b"),
        ("data/raw/mine/segments.csv", "coder_a", "\x85"),  # C1 NEXT LINE, mojibake of Windows-1252
        ("data/raw/mine/segments.csv", "coder_a", "\x7f"),
    ],
    ids=["form-feed-in-codebook", "escape-in-params", "c1-in-segments", "delete-in-segments"],
)
def test_other_control_characters(proj, capfd, rel, needle, char):
    path = proj / rel
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(needle)].count("\n") + 1
    path.write_text(text.replace(needle, needle[:3] + char + needle[3:], 1), encoding="utf-8")
    code, out, err = _check(proj, capfd)
    assert code == 2 and "Traceback" not in err
    assert _errors_for(err, f"{rel}:{line}:"), err
    assert f"U+{ord(char):04X}" in err


def test_control_character_in_notes(proj, capfd):
    notes = proj / "data/raw/mine/notes.md"
    notes.write_text("## 01 Notes\n\nfine\n\nan \x1b[31mescape\n", encoding="utf-8")
    params = proj / "params/mine.yml"
    params.write_text(params.read_text(encoding="utf-8") + "notes: data/raw/mine/notes.md\n", encoding="utf-8")
    code, out, err = _check(proj, capfd)
    assert code == 2 and _errors_for(err, "data/raw/mine/notes.md:5:"), err


def test_tabs_and_line_breaks_in_a_quoted_excerpt_are_text(proj, capfd):
    seg = proj / "data/raw/mine/segments.csv"
    text = seg.read_text(encoding="utf-8")
    text = text.replace(
        "Example row (replace): a short paraphrase of what the source says about dimension one.",
        '"Example row:\ta paraphrase\nover two lines."',
    )
    seg.write_text(text, encoding="utf-8")
    code, out, err = _check(proj, capfd)
    assert code == 0, err


# ---- agree and reconcile read their inputs directly ---------------------------------------------
def _codings(tmp_path, vt_in_a: bool):
    """Two codings of the published review's first ten claims; B differs in one polarity."""
    head, a, b = two_codings()
    if vt_in_a:
        a[3][head.index("excerpt")] += "\x0bsecond line"
    return [write_csv(tmp_path / "a.csv", a), write_csv(tmp_path / "b.csv", b)]


def test_agree_with_a_vertical_tab_is_one_error_line(tmp_path, capfd):
    a, b = _codings(tmp_path, vt_in_a=True)
    out = tmp_path / "agreement"
    code, o, e = run_main(["agree", a, b, "--codebook", ROOT / "data/raw/codebook/aect2023.yml", "-o", out], capfd)
    one_error_line(code, e, where=f"{a}:4", pattern="U\\+000B")
    assert not out.exists() or not any(out.iterdir())


def test_reconcile_sheet_with_a_control_character(tmp_path, capfd):
    a, b = _codings(tmp_path, vt_in_a=False)
    cb = ROOT / "data/raw/codebook/aect2023.yml"
    code, o, e = run_main(["agree", a, b, "--codebook", cb, "-o", tmp_path / "agr"], capfd)
    assert code == 0, e
    sheet = tmp_path / "agr" / "disagreements.csv"
    text = sheet.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",,", ",A\x01,", 1)  # the empty decision of the first row
    sheet.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, o, e = run_main(["reconcile", sheet, "--codebook", cb, "-o", tmp_path / "cons.csv"], capfd, cwd=tmp_path)
    one_error_line(code, e, where="agr/disagreements.csv:2", pattern="U\\+0001")


# ---- a writer that meets one anyway does not fail ------------------------------------------------
def test_xlsx_writer_shows_control_characters_instead_of_failing():
    import pandas as pd
    from openpyxl import load_workbook

    from revalign.core.ooxml import to_xlsx_bytes

    df = pd.DataFrame({"title": ["An example\x01study", "line\x0bbreak"], "n": [1, 2]})
    data = to_xlsx_bytes(df)
    ws = load_workbook(io.BytesIO(data)).active
    values = [ws.cell(r, 1).value for r in (2, 3)]
    assert values[0] != df["title"][0] and "An example" in values[0] and "study" in values[0]
    assert "\x01" not in values[0] and "\x0b" not in values[1]
