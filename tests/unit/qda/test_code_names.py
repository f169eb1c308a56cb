"""Code names from QDA programs match codebook labels whatever their case, punctuation,
"&"/"and" and diacritics (issue 12, item 11).

Expected values are the codebook's own ids, read off data/raw/codebook/aect2023.yml:
"Ethical study and application" is ethical_study_application, "Theory, research and
practices" is theory_research_practice, "Empower learners" is empower_learners.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from revalign.core.codebook import load_codebook
from revalign.qda.importer import import_project
from revalign.qda.model import norm_name

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Ethical Study & Application", "ethical study and application"),
        ("ethical-study and applicatión", "ethical study and application"),
        ("  ETHICAL_STUDY__AND  APPLICATION ", "ethical study and application"),
        ("Theory, Research & Practices", "theory research and practices"),
        ("Empówer learners!", "empower learners"),
        ("Strategic design (theme)", "strategic design theme"),
    ],
)
def test_norm_name(name, expected):
    assert norm_name(name) == expected


def test_names_from_a_qda_program_map_to_components(tmp_path):
    names = {"1": "Ethical Study & Application", "2": "Theory, Research & Practices", "3": "Empówer-Learners"}
    amp, esc = "&", "&amp;"
    codes = "".join(
        f'<Code guid="aaaaaaaa-0000-4000-8000-00000000000{g}" name="{n.replace(amp, esc)}" isCodable="true"/>'
        for g, n in names.items()
    )
    text = "One. Two. Three."
    sels = "".join(
        f'<PlainTextSelection guid="dddddddd-0000-4000-8000-00000000000{g}" startPosition="{a}" endPosition="{b}">'
        f'<Coding guid="eeeeeeee-0000-4000-8000-00000000000{g}"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-00000000000{g}"/>'
        f"</Coding></PlainTextSelection>"
        for g, (a, b) in zip(names, [(0, 4), (5, 9), (10, 16)], strict=False)
    )  # "One.", "Two.", "Three." counted by hand
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
        f'<TextSource guid="bbbbbbbb-0000-4000-8000-000000000001" name="smith2020.txt">'
        f"<PlainTextContent>{text}</PlainTextContent>{sels}</TextSource></Sources></Project>"
    )
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
    res = import_project(path, load_codebook(ROOT / "data" / "raw" / "codebook" / "aect2023.yml"))
    df = res.frame()
    assert df[["excerpt", "dimension"]].values.tolist() == [
        ["One.", "ethical_study_application"],
        ["Two.", "theory_research_practice"],
        ["Three.", "empower_learners"],
    ]
    assert not res.unmapped_codes
