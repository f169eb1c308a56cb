"""Notes files: each stage gets its own sections; stage 01 also gets the introduction."""

from revalign.project.describe import md
from revalign.project.notes import stage_notes

TEXT = """# About this review

Intro line.

## 01 Bibliography

B1.

## 04 Alignment

A1.

## 01 More on the bibliography

B2.
"""


def test_stage_sections_in_file_order_and_intro_only_for_stage_01():
    assert (
        stage_notes(TEXT, "01")
        == "# About this review\n\nIntro line.\n\n## 01 Bibliography\n\nB1.\n\n## 01 More on the bibliography\n\nB2."
    )
    assert stage_notes(TEXT, "04") == "## 04 Alignment\n\nA1."
    assert stage_notes(TEXT, "02") == ""


def test_markdown_from_inputs_is_escaped():
    assert md("a *b* [c](d)") == r"a \*b\* \[c\]\(d\)"
