"""REFI-QDA import of projects written the way QualCoder, MAXQDA and ATLAS.ti write them,
mapping of codes, CRLF and non-ASCII positions, and bad archives (via the CLI).

The archives are built here from literal XML and bytes (so the CRLF line breaks and byte
order marks cannot be altered by git's line-ending handling). Positions in the fixtures
were counted by hand and are asserted against text slices of the literals.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xmlschema
from lxml import etree

from cli_runner import run_cli
from design_contract import SEGMENT_COLUMNS
from revalign.core.codebook import load_codebook
from revalign.core.errors import InputError
from revalign.qda.importer import import_project, load_mapping

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "qda"
SHARED = ROOT.parent / "shared" / "refi-qda"
SCHEMAS = SHARED if (SHARED / "Project.xsd").exists() else FIX
CODEBOOK = FIX / "codebook.yml"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(CODEBOOK)


def make_qdpx(path: Path, qde: str | bytes, sources: dict[str, bytes], bom: bool = False) -> Path:
    data = qde.encode("utf-8") if isinstance(qde, str) else qde
    if bom:
        data = b"\xef\xbb\xbf" + data
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", data)
        for name, content in sources.items():
            zf.writestr(name, content)
    return path


def valid(qde: str) -> None:
    """Every hand-built fixture is itself valid QDA-XML (so it is a fair stand-in)."""
    xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd")).validate(etree.ElementTree(etree.fromstring(qde.encode())))


# ---- QualCoder: categories with nested codes, two users, LF text, emoji ------------------------
QC_TEXT = (
    "Wawancara dosen — Universitas Negeri Malang 🎓\n"
    "Mahasiswa memilih kursus mikro sendiri.\n"
    "Sertifikatnya belum diakui industri; mutu bervariasi."
)
# Line 1: 6 words of 9+5+1+11+6+6 = 38 characters + the emoji + 6 spaces = 45 (the em dash and the
# emoji count one each), then "\n" at 45. "Mahasiswa memilih kursus mikro sendiri." is 39 characters:
# 46-85; "\n" at 85. "Sertifikatnya belum diakui industri;" is 36 characters: 86-122.
QC_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="kredensial" origin="QualCoder 3.5" creationDateTime="2024-05-01T10:00:00Z">
<Users>
<User guid="6e1f3b8a-1111-4c1a-9a5e-000000000001" name="ruminar"/>
<User guid="6e1f3b8a-1111-4c1a-9a5e-000000000002" name="kuswandi"/>
</Users>
<CodeBook><Codes>
<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Dimensi AECT" isCodable="false">
  <Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Memberdayakan pembelajar" isCodable="true" color="#009E73">
    <Code guid="aaaaaaaa-0000-4000-8000-000000000003" name="Pilihan kursus" isCodable="true" color="#009E73"/>
  </Code>
  <Code guid="aaaaaaaa-0000-4000-8000-000000000004" name="ETHICAL STUDY AND APPLICATION" isCodable="true" color="#D55E00"/>
</Code>
<Code guid="aaaaaaaa-0000-4000-8000-000000000005" name="Polaritas" isCodable="false">
  <Code guid="aaaaaaaa-0000-4000-8000-000000000006" name="Kekuatan" isCodable="true"/>
  <Code guid="aaaaaaaa-0000-4000-8000-000000000007" name="Kesenjangan" isCodable="true"/>
</Code>
<Code guid="aaaaaaaa-0000-4000-8000-000000000008" name="Kutipan menarik" isCodable="true"/>
</Codes></CodeBook>
<Sources>
<TextSource guid="bbbbbbbb-0000-4000-8000-000000000001" name="wawancara_dosen.txt" plainTextPath="internal://bbbbbbbb-0000-4000-8000-000000000001.txt" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000001" creationDateTime="2024-05-01T10:00:00Z">
<PlainTextSelection guid="cccccccc-0000-4000-8000-000000000001" name="" startPosition="46" endPosition="85" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000001" creationDateTime="2024-05-01T10:05:00Z">
<Description/>
<Coding guid="dddddddd-0000-4000-8000-000000000001" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000001"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000003"/></Coding>
<Coding guid="dddddddd-0000-4000-8000-000000000002" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000001"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000006"/></Coding>
<Coding guid="dddddddd-0000-4000-8000-000000000003" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000002"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000008"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="cccccccc-0000-4000-8000-000000000002" name="" startPosition="86" endPosition="122" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000002">
<Coding guid="dddddddd-0000-4000-8000-000000000004" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000002"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000004"/></Coding>
<Coding guid="dddddddd-0000-4000-8000-000000000005" creatingUser="6e1f3b8a-1111-4c1a-9a5e-000000000002"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000007"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="cccccccc-0000-4000-8000-000000000003" startPosition="0" endPosition="15"/>
</TextSource>
</Sources>
</Project>
"""


def qualcoder(tmp_path):
    return make_qdpx(
        tmp_path / "qc.qdpx", QC_QDE, {"sources/bbbbbbbb-0000-4000-8000-000000000001.txt": QC_TEXT.encode("utf-8")}
    )


def test_qualcoder_project(tmp_path, cb):
    valid(QC_QDE)
    assert QC_TEXT[46:85] == "Mahasiswa memilih kursus mikro sendiri."  # the hand count above
    res = import_project(qualcoder(tmp_path), cb)
    df = res.frame()
    assert list(df.columns) == SEGMENT_COLUMNS
    rows = df.drop(columns="segment_id").to_dict("records")
    assert rows == [
        # "Pilihan kursus" is a sub-code of "Memberdayakan pembelajar" (Indonesian label) -> its parent
        {
            "ref_key": "wawancara_dosen",
            "locator": "wawancara_dosen.txt:46-85",
            "theme": "",
            "dimension": "empower_learners",
            "polarity": "strength",
            "facet": "",
            "context": "",
            "excerpt": "Mahasiswa memilih kursus mikro sendiri.",
            "coder": "ruminar",
        },
        # upper-case English label; "Kesenjangan" is the Indonesian label of polarity gap
        {
            "ref_key": "wawancara_dosen",
            "locator": "wawancara_dosen.txt:86-122",
            "theme": "",
            "dimension": "ethical_application",
            "polarity": "gap",
            "facet": "",
            "context": "",
            "excerpt": "Sertifikatnya belum diakui industri;",
            "coder": "kuswandi",
        },
    ]
    assert df["segment_id"].str.match(r"^qda-[0-9a-f]{10}$").all() and df["segment_id"].is_unique
    # kuswandi's coding with "Kutipan menarik" maps to nothing: reported, not dropped silently
    assert [(p, n) for p, n, _ in res.unmapped_codes] == [("Kutipan menarik", 1)]
    assert res.no_component == 1  # kuswandi coded selection 1 only with the unmapped code
    assert res.unmapped[0]["coder"] == "kuswandi"
    text = "\n".join(res.summary_lines("out.csv"))
    assert "Kutipan menarik" in text and "--map" in text


def test_mapping_file(tmp_path, cb):
    mp = tmp_path / "map.yml"
    mp.write_text(
        "codes:\n  kutipan MENARIK: theme:empowerment\n  Pilihan kursus: improve_performance\n"
        "sources:\n  wawancara_dosen.txt: kemendikbud2021kampus\n",
        encoding="utf-8",
    )
    res = import_project(qualcoder(tmp_path), cb, mapping=load_mapping(mp, cb))
    df = res.frame()
    assert res.unmapped_codes == [] and res.no_component == 1
    assert set(df["ref_key"]) == {"kemendikbud2021kampus"}
    # selection 1 now: ruminar -> improve_performance (mapped sub-code), kuswandi -> no component
    # but theme empowerment... kuswandi has only a theme code, so still no segment for him
    first = df[df["excerpt"].str.startswith("Mahasiswa")]
    assert first[["dimension", "polarity", "coder"]].values.tolist() == [["improve_performance", "strength", "ruminar"]]


def test_mapping_file_errors(tmp_path, cb):
    mp = tmp_path / "map.yml"
    mp.write_text("Kutipan menarik: empower_learners\nLain: flying\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_mapping(mp, cb)
    assert exc.value.line == 2 and "flying" in exc.value.message


# ---- MAXQDA: BOM before the declaration, upper-case GUIDs, Sources/, CRLF counted as two --------
MX_TEXT = "Baris pertama: kurikulum ✨ baru\r\nSertifikat diakui industri.\r\nKesenjangan mutu tetap ada."
# "Baris pertama: kurikulum ✨ baru" is 31 characters, "\r\n" -> the next line starts at 33.
# "Sertifikat diakui industri." is 27 characters: 33-60; "\r\n" at 60-61; line 3 starts at 62.
# Selection 2 runs from "industri." (51) to the end of "Kesenjangan" (62 + 11 = 73).
MX_QDE = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Kredensial" origin="MAXQDA 2022 (Release 22.5.0)" creatingUserGUID="A1B2C3D4-0000-4000-8000-00000000000A">
  <Users>
    <User guid="A1B2C3D4-0000-4000-8000-00000000000A" name="Ruminar" id="RR"/>
    <User guid="A1B2C3D4-0000-4000-8000-00000000000B" name="Fajarianto" id="FF"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="E0000000-0000-4000-8000-000000000001" name="Improve performance" isCodable="true" color="#FF0000"/>
      <Code guid="E0000000-0000-4000-8000-000000000002" name="Themes" isCodable="true">
        <Code guid="E0000000-0000-4000-8000-000000000003" name="Strategic design" isCodable="true"/>
      </Code>
      <Code guid="E0000000-0000-4000-8000-000000000004" name="Gap" isCodable="true"/>
      <Code guid="E0000000-0000-4000-8000-000000000005" name="Practice" isCodable="true"/>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="F0000000-0000-4000-8000-000000000001" name="Laporan ICE Institute" richTextPath="internal://F0000000-0000-4000-8000-000000000001.docx" plainTextPath="internal://F0000000-0000-4000-8000-000000000001.txt" creatingUser="A1B2C3D4-0000-4000-8000-00000000000A" creationDateTime="2023-02-01T08:00:00Z">
      <PlainTextSelection guid="90000000-0000-4000-8000-000000000001" name="Sertifikat diakui industri." startPosition="33" endPosition="60" creatingUser="A1B2C3D4-0000-4000-8000-00000000000A">
        <Coding guid="91000000-0000-4000-8000-000000000001" creatingUser="A1B2C3D4-0000-4000-8000-00000000000A"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000001"/></Coding>
        <Coding guid="91000000-0000-4000-8000-000000000002" creatingUser="A1B2C3D4-0000-4000-8000-00000000000A"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000005"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="90000000-0000-4000-8000-000000000002" name="industri. Kesenjangan" startPosition="51" endPosition="73" creatingUser="A1B2C3D4-0000-4000-8000-00000000000B">
        <Coding guid="91000000-0000-4000-8000-000000000003" creatingUser="A1B2C3D4-0000-4000-8000-00000000000B"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000001"/></Coding>
        <Coding guid="91000000-0000-4000-8000-000000000004" creatingUser="A1B2C3D4-0000-4000-8000-00000000000B"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000003"/></Coding>
        <Coding guid="91000000-0000-4000-8000-000000000005" creatingUser="A1B2C3D4-0000-4000-8000-00000000000B"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000004"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""


def maxqda(tmp_path, name="mx.qdpx", qde=MX_QDE):
    return make_qdpx(
        tmp_path / name,
        qde,
        {
            "Sources/F0000000-0000-4000-8000-000000000001.txt": MX_TEXT.encode("utf-8"),
            "Sources/F0000000-0000-4000-8000-000000000001.docx": b"PK-not-read",
        },
        bom=True,
    )


def test_maxqda_project_crlf_counts_two(tmp_path, cb):
    valid(MX_QDE)
    assert MX_TEXT[33:60] == "Sertifikat diakui industri."
    res = import_project(maxqda(tmp_path), cb)
    rows = res.frame()[["excerpt", "dimension", "theme", "polarity", "facet", "coder", "locator"]].values.tolist()
    assert rows == [
        [
            "Sertifikat diakui industri.",
            "improve_performance",
            "",
            "",
            "practice",
            "Ruminar",
            "Laporan ICE Institute:33-60",
        ],
        # spans a CRLF: the excerpt gets a plain LF; "Strategic design" under "Themes" is the theme
        [
            "industri.\nKesenjangan",
            "improve_performance",
            "strategic_planning",
            "gap",
            "",
            "Fajarianto",
            "Laporan ICE Institute:51-73",
        ],
    ]
    assert res.crlf_rules == {"Laporan ICE Institute": "two"}


def test_crlf_option_changes_reading(tmp_path, cb):
    # Counting CRLF as one character shifts every position after the first line by one per line break.
    res = import_project(maxqda(tmp_path), cb, crlf="one")
    assert res.frame()["excerpt"].tolist()[0] == "ertifikat diakui industri.\n"


def test_crlf_auto_follows_selection_names(tmp_path, cb):
    # No origin hint, positions counted with CRLF as one character, names show the selected text:
    # in the LF text line 2 starts at 32, line 3 at 60; "Kesenjangan mutu" is 60-76.
    qde = MX_QDE.replace('origin="MAXQDA 2022 (Release 22.5.0)"', 'origin="Unknown tool"')
    qde = qde.replace(
        'name="Sertifikat diakui industri." startPosition="33" endPosition="60"',
        'name="Sertifikat diakui industri." startPosition="32" endPosition="59"',
    )
    qde = qde.replace(
        'name="industri. Kesenjangan" startPosition="51" endPosition="73"',
        'name="Kesenjangan mutu" startPosition="60" endPosition="76"',
    )
    res = import_project(maxqda(tmp_path, "auto.qdpx", qde), cb)
    assert res.crlf_rules == {"Laporan ICE Institute": "one"}
    assert res.frame()["excerpt"].tolist() == ["Sertifikat diakui industri.", "Kesenjangan mutu"]


# ---- ATLAS.ti: CRLF counted as one, braced GUIDs, PDF representation ---------------------------
AT_TEXT = "Kebijakan №39 tentang kredensial mikro.\r\nPeserta dari Papua: 12 orang 👩‍🎓.\r\nEtika data belum diatur."
# LF reading: line 1 is 39 characters (+1 LF) -> line 2 at 40; "Peserta dari Papua: 12 orang " is 29
# characters, then the emoji (woman, zero-width joiner, cap = 3 code points) and "." -> line 2 ends at 73;
# line 3 starts at 74; "Etika data belum diatur." is 24 characters: 74-98.
AT_QDE = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Micro-credentials" origin="ATLAS.ti 23.2.1 (Windows)">
<Users><User guid="{0A000000-0000-4000-8000-000000000001}" name="Fajarianto"/></Users>
<CodeBook><Codes>
<Code guid="{0C000000-0000-4000-8000-000000000001}" name="ethical_application" isCodable="true"/>
<Code guid="{0C000000-0000-4000-8000-000000000002}" name="empower learners" isCodable="true"/>
<Code guid="{0C000000-0000-4000-8000-000000000003}" name="Konteks" isCodable="false">
<Code guid="{0C000000-0000-4000-8000-000000000004}" name="Indonesia" isCodable="true"/>
</Code>
</Codes></CodeBook>
<Sources>
<PDFSource guid="{0D000000-0000-4000-8000-000000000001}" name="permendikbud39.pdf" path="internal://{0D000000-0000-4000-8000-000000000001}.pdf">
<PDFSelection guid="{0E000000-0000-4000-8000-000000000009}" page="1" firstX="1" firstY="1" secondX="5" secondY="5"/>
<Representation guid="{0D000000-0000-4000-8000-000000000002}" plainTextPath="internal://{0D000000-0000-4000-8000-000000000002}.txt">
<PlainTextSelection guid="{0E000000-0000-4000-8000-000000000001}" name="Peserta dari Papua: 12 orang" startPosition="40" endPosition="73" creatingUser="{0A000000-0000-4000-8000-000000000001}">
<Coding guid="{0F000000-0000-4000-8000-000000000001}" creatingUser="{0A000000-0000-4000-8000-000000000001}"><CodeRef targetGUID="{0C000000-0000-4000-8000-000000000002}"/></Coding>
<Coding guid="{0F000000-0000-4000-8000-000000000002}" creatingUser="{0A000000-0000-4000-8000-000000000001}"><CodeRef targetGUID="{0C000000-0000-4000-8000-000000000004}"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="{0E000000-0000-4000-8000-000000000002}" name="Etika data belum diatur." startPosition="74" endPosition="98" creatingUser="{0A000000-0000-4000-8000-000000000001}">
<Coding guid="{0F000000-0000-4000-8000-000000000003}" creatingUser="{0A000000-0000-4000-8000-000000000001}"><CodeRef targetGUID="{0C000000-0000-4000-8000-000000000001}"/></Coding>
</PlainTextSelection>
</Representation>
</PDFSource>
</Sources>
</Project>
"""


def test_atlas_project_crlf_counts_one(tmp_path, cb):
    valid(AT_QDE)
    lf = AT_TEXT.replace("\r\n", "\n")
    assert lf[74:98] == "Etika data belum diatur."
    path = make_qdpx(
        tmp_path / "at.qdpx", AT_QDE, {"sources/{0D000000-0000-4000-8000-000000000002}.txt": AT_TEXT.encode("utf-8")}
    )
    res = import_project(path, cb)
    rows = res.frame()[["ref_key", "excerpt", "dimension", "context", "coder"]].values.tolist()
    assert rows == [
        ["permendikbud39", "Peserta dari Papua: 12 orang 👩\u200d🎓.", "empower_learners", "indonesia", "Fajarianto"],
        ["permendikbud39", "Etika data belum diatur.", "ethical_application", "", "Fajarianto"],
    ]
    assert res.crlf_rules == {"permendikbud39.pdf": "one"}
    assert res.skipped == {"PDF area selections": 1}


# ---- ambiguity and conflicts -----------------------------------------------------------------
def test_ambiguous_name_reported_and_conflicting_codes_warned(tmp_path, cb):
    qde = MX_QDE.replace(
        '<Code guid="E0000000-0000-4000-8000-000000000004" name="Gap" isCodable="true"/>',
        '<Code guid="E0000000-0000-4000-8000-000000000004" name="Gap" isCodable="true"/>'
        '<Code guid="E0000000-0000-4000-8000-000000000006" name="Strategic design" isCodable="true"/>'
        '<Code guid="E0000000-0000-4000-8000-000000000007" name="Kekuatan" isCodable="true"/>',
    )
    # selection 2 also gets the top-level (ambiguous) "Strategic design" and a second polarity
    qde = qde.replace(
        '<CodeRef targetGUID="E0000000-0000-4000-8000-000000000004"/></Coding>',
        '<CodeRef targetGUID="E0000000-0000-4000-8000-000000000004"/></Coding>'
        '<Coding guid="91000000-0000-4000-8000-000000000006"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000006"/></Coding>'
        '<Coding guid="91000000-0000-4000-8000-000000000007"><CodeRef targetGUID="E0000000-0000-4000-8000-000000000007"/></Coding>',
    )
    valid(qde)
    res = import_project(maxqda(tmp_path, "amb.qdpx", qde), cb)
    assert res.unmapped_codes == [
        ("Strategic design", 1, "ambiguous: component strategic_design or theme strategic_planning")
    ]
    second = res.frame().iloc[1]
    assert second["polarity"] == "" and second["coder"] == "Fajarianto"
    assert any("several polarity codes (gap, strength)" in w for w in res.warnings)


# ---- strict schema validation ------------------------------------------------------------------
def test_strict_reports_first_violation_with_line(tmp_path, cb):
    # Line 9 of the qde: a Code without its required isCodable attribute.
    qde = MX_QDE.replace('name="Improve performance" isCodable="true"', 'name="Improve performance"')
    path = maxqda(tmp_path, "bad.qdpx", qde)
    import_project(path, cb)  # lenient by default
    with pytest.raises(InputError) as exc:
        import_project(path, cb, strict=True)
    assert exc.value.line == 9 and "isCodable" in exc.value.message


# ---- bad archives through the CLI: exit 2, one line "error: ..." --------------------------------
def run_import(path, out):
    return run_cli("qda", "import", path, "--codebook", CODEBOOK, "-o", out)


def bad_archives(tmp_path):
    src = {"sources/bbbbbbbb-0000-4000-8000-000000000001.txt": QC_TEXT.encode("utf-8")}
    not_zip = tmp_path / "notzip.qdpx"
    not_zip.write_text("this is not a zip")
    no_qde = make_qdpx(tmp_path / "noqde.qdpx", b"", src)
    with zipfile.ZipFile(no_qde, "w") as zf:
        zf.writestr("sources/x.txt", "x")
    # malformed: an unclosed tag on line 4; the parser fails where the next "<User" starts, line 5
    broken = QC_QDE.replace("<Users>\n", "<Users>\n<User guid='x'\n", 1)
    return {
        "not a ZIP": (not_zip, None),
        "no project.qde": (no_qde, None),
        "malformed XML": (make_qdpx(tmp_path / "broken.qdpx", broken, src), 5),
        "runs past the end": (
            make_qdpx(tmp_path / "past.qdpx", QC_QDE.replace('endPosition="122"', 'endPosition="500"'), src),
            28,
        ),  # line of the 2nd PlainTextSelection
        "missing from sources/": (make_qdpx(tmp_path / "nosrc.qdpx", QC_QDE, {}), 21),  # the TextSource
    }


@pytest.mark.parametrize(
    "case", ["not a ZIP", "no project.qde", "malformed XML", "runs past the end", "missing from sources/"]
)
def test_bad_archive_exit_2_one_line(tmp_path, case):
    path, line = bad_archives(tmp_path)[case]
    out = tmp_path / "out.csv"
    r = run_import(path, out)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert case in lines[0]
    if line is not None:
        assert f"project.qde:{line}:" in lines[0]
    assert "Traceback" not in r.stderr and not out.exists()


def test_cli_lists_unmapped_and_writes_unmapped_csv(tmp_path):
    out, um = tmp_path / "seg.csv", tmp_path / "unmapped.csv"
    r = run_cli("qda", "import", qualcoder(tmp_path), "--codebook", CODEBOOK, "--unmapped", um, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "could not be mapped" in r.stderr and "  Kutipan menarik  (1 codings)" in r.stderr
    assert len(pd.read_csv(out)) == 2
    listed = pd.read_csv(um, dtype=str)
    assert listed[["code", "coder", "start", "end"]].values.tolist() == [["Kutipan menarik", "kuswandi", "46", "85"]]
