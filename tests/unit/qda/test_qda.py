"""REFI-QDA export (codebook .qdc, project .qdpx) and the export -> import round trip.

Everything written is checked with the `xmlschema` package against the published
QDA-XML schemas (../shared/refi-qda when present, else the copies in
tests/fixtures/qda/).
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xmlschema
from lxml import etree

from cli_runner import run_cli
from revalign.coding.exchange import read_segments
from revalign.core.codebook import load_codebook
from revalign.core.errors import InputError
from revalign.qda.export import write_codebook, write_project
from revalign.qda.importer import import_project
from revalign.qda.model import schema_path

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "qda"
SHARED = ROOT.parent / "shared" / "refi-qda"
SCHEMAS = SHARED if (SHARED / "Project.xsd").exists() else FIX
CODEBOOK = FIX / "codebook.yml"
SEGMENTS = FIX / "segments.csv"
P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"


@pytest.fixture(scope="module")
def cb():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def project_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "Project.xsd"))


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def guid(name: str) -> str:
    # The documented rule: uuid5 of the namespace uuid5(URL, ".../refi-qda") and "kind:id".
    ns = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/revalign/revalign/refi-qda")
    return str(uuid.uuid5(ns, name))


# ---- codebook ------------------------------------------------------------------------------
def test_codebook_valid_deterministic_and_complete(tmp_path, cb):
    a, b = tmp_path / "a.qdc", tmp_path / "b.qdc"
    write_codebook(cb, a)
    write_codebook(cb, b)
    assert a.read_bytes() == b.read_bytes()
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(str(a))

    root = etree.parse(str(a)).getroot()
    top = root.findall(f"{C}Codes/{C}Code")
    # framework + Themes, Polarity, Facet, Context categories, all non-codable
    assert [c.get("name") for c in top] == ["AECT 2023 definition", "Themes", "Polarity", "Facet", "Context"]
    assert {c.get("isCodable") for c in top} == {"false"}
    comps = top[0].findall(f"{C}Code")
    # 4 components in codebook order; "Strategic design" is also a theme label -> kind appended
    assert [c.get("name") for c in comps] == [
        "Improve performance",
        "Strategic design (component)",
        "Empower learners",
        "Ethical study and application",
    ]
    assert {c.get("isCodable") for c in comps} == {"true"}
    # component colour from the codebook, else Okabe-Ito in order (2nd colour for the 2nd component)
    assert comps[0].get("color") == "#0072B2"
    assert comps[1].get("color") == "#E69F00"
    assert comps[0].get("guid") == guid("component:aect2023:improve_performance")
    desc = comps[0].find(f"{C}Description").text
    assert "Evidence that a programme improves" in desc and "Meningkatkan kinerja" in desc
    assert desc.endswith("revalign-id: component:improve_performance")
    themes = [c.get("name") for c in top[1].findall(f"{C}Code")]
    assert themes == ["Empowerment", "Ethics and quality", "Strategic design (theme)"]
    # 5 categories + 4 components + 3 themes + 3 polarity + 2 facet + 2 context
    assert len(root.findall(f".//{C}Code")) == 19


def test_bundled_schemas_match_shared_copy():
    for name in ("Project.xsd", "Codebook.xsd"):
        assert schema_path(name).read_bytes() == (SCHEMAS / name).read_bytes()
        assert (FIX / name).read_bytes() == (SCHEMAS / name).read_bytes()


# ---- project ---------------------------------------------------------------------------------
def test_project_valid_deterministic_zip(tmp_path, cb, project_schema):
    segs = read_segments(SEGMENTS, cb)
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_project(segs, cb, a)
    write_project(segs, cb, b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names) and names[0] == "project.qde"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        qde = zf.read("project.qde")
        texts = {n: zf.read(n).decode("utf-8") for n in names if n.startswith("sources/")}
    root = etree.fromstring(qde)
    project_schema.validate(etree.ElementTree(root))
    assert b"creationDateTime" not in qde  # nothing that changes with the clock

    # 3 references -> 3 text sources, each with its file in sources/
    srcs = root.findall(f"{P}Sources/{P}TextSource")
    assert [s.get("name") for s in srcs] == ["kemendikbud2021kampus", "wef2025future", "ruminarndkredensial"]
    for s in srcs:
        assert s.get("plainTextPath") == f"internal://{s.get('guid')}.txt"
        assert f"sources/{s.get('guid')}.txt" in texts
    users = {u.get("name"): u.get("guid") for u in root.findall(f"{P}Users/{P}User")}
    assert set(users) == {"rr", "ak"}

    # kemendikbud: s001 and s005 have the same excerpt -> one copy of the text, two selections
    e1 = "Mahasiswa berhak memilih hingga tiga semester pembelajaran di luar program studi."
    e2 = "Program dirancang bersama mitra industri; evaluasi belum sistematis."
    text = texts[f"sources/{srcs[0].get('guid')}.txt"]
    assert text == e1 + "\n\n" + e2 + "\n"
    sels = {s.get("name"): s for s in srcs[0].findall(f"{P}PlainTextSelection")}
    assert set(sels) == {"s001", "s002", "s005"}
    # e1 is 11 words (9+6+7+6+4+8+12+2+4+7+6 = 71 letters) + 10 spaces = 81 characters;
    # e2 starts after it and the blank line: 81 + 2 = 83; e2 is 68 characters (counted the same way)
    assert (sels["s001"].get("startPosition"), sels["s001"].get("endPosition")) == ("0", "81")
    assert (sels["s005"].get("startPosition"), sels["s005"].get("endPosition")) == ("0", "81")
    assert (sels["s002"].get("startPosition"), sels["s002"].get("endPosition")) == ("83", "151")
    assert sels["s005"].get("creatingUser") == users["ak"]
    # s002 is coded with component, theme, polarity, facet and context
    refs = [c.find(f"{P}CodeRef").get("targetGUID") for c in sels["s002"].findall(f"{P}Coding")]
    assert refs == [
        guid("component:aect2023:strategic_design"),
        guid("theme:strategic_planning"),
        guid("polarity:mixed"),
        guid("facet:concept"),
        guid("context:indonesia"),
    ]
    assert "locator: p. 5" in sels["s002"].find(f"{P}Description").text

    # wef: the em dash and the emoji are one character each (character, not byte, offsets)
    wef = texts[f"sources/{srcs[1].get('guid')}.txt"]
    e3 = "39% of workers' core skills are expected to change by 2030 — reskilling matters 📈."
    s3 = {s.get("name"): s for s in srcs[1].findall(f"{P}PlainTextSelection")}["s003"]
    # 15 words of 67 characters + 14 spaces + the final "." = 82 characters; in UTF-8 the em dash
    # takes 3 bytes and the emoji 4, so 82 + 2 + 3 = 87 bytes: byte offsets would be wrong
    assert (s3.get("startPosition"), s3.get("endPosition")) == ("0", "82")
    assert len(e3.encode("utf-8")) == 87 and wef[0:82] == e3


def test_round_trip_gives_same_segments(tmp_path, cb):
    out = tmp_path / "p.qdpx"
    write_project(read_segments(SEGMENTS, cb), cb, out)
    back = import_project(out, cb).frame()
    orig = read_csv(SEGMENTS)
    key = "segment_id"
    pd.testing.assert_frame_equal(
        back.sort_values(key).reset_index(drop=True), orig.sort_values(key).reset_index(drop=True)
    )


def test_round_trip_survives_renamed_codes_with_new_guids(tmp_path, cb):
    """Another program may rename codes and give new GUIDs; the revalign-id line still maps them."""
    out = tmp_path / "p.qdpx"
    write_project(read_segments(SEGMENTS, cb), cb, out)
    with zipfile.ZipFile(out) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    qde = files["project.qde"].decode()
    for kind_id in ("component:aect2023:empower_learners", "polarity:strength"):
        qde = qde.replace(guid(kind_id), "0badc0de-0000-4000-8000-" + hashlib.sha1(kind_id.encode()).hexdigest()[:12])
    qde = qde.replace('name="Empower learners"', 'name="Agency (renamed)"')
    files["project.qde"] = qde.encode()
    renamed = tmp_path / "renamed.qdpx"
    with zipfile.ZipFile(renamed, "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    back = import_project(renamed, cb).frame().set_index("segment_id")
    assert back.loc["s001", "dimension"] == "empower_learners"
    assert back.loc["s001", "polarity"] == "strength"


def test_read_segments_rejects_unknown_dimension(tmp_path, cb):
    bad = tmp_path / "s.csv"
    bad.write_text(SEGMENTS.read_text().replace("improve_performance,strength,concept", "flying,strength,concept"))
    with pytest.raises(InputError) as exc:
        read_segments(bad, cb)
    # s003 is the 4th record, on line 4 of the file
    assert exc.value.line == 4 and "flying" in exc.value.message


def test_cli_export_and_import(tmp_path):
    qdc, qdpx, csv = tmp_path / "cb.qdc", tmp_path / "p.qdpx", tmp_path / "back.csv"
    r = run_cli("qda", "export-codebook", CODEBOOK, "-o", qdc)
    assert r.returncode == 0, r.stderr
    r = run_cli("qda", "export-project", "--segments", SEGMENTS, "--codebook", CODEBOOK, "-o", qdpx)
    assert r.returncode == 0, r.stderr
    first = qdpx.read_bytes()
    r = run_cli("qda", "export-project", "--segments", SEGMENTS, "--codebook", CODEBOOK, "-o", qdpx)
    assert qdpx.read_bytes() == first
    r = run_cli("qda", "import", qdpx, "--codebook", CODEBOOK, "--strict", "-o", csv)
    assert r.returncode == 0, r.stderr
    assert "wrote 6 segments" in r.stderr
    assert sorted(read_csv(csv)["segment_id"]) == ["s001", "s002", "s003", "s004", "s005", "s006"]


def test_code_descriptions_name_each_codebook_language_without_assuming_one(tmp_path):
    # a codebook whose second language is Spanish: its labels and indicators appear under "es",
    # and no other language is named (the export once labelled the second language Indonesian)
    from revalign.qda.model import _component_description

    text = (ROOT / "data/raw/examples/ai_literacy_au/codebook.yml").read_text(encoding="utf-8")
    text = text.replace(
        "label: {en: Understand how AI works}", "label: {en: Understand how AI works, es: Comprender la IA}"
    ).replace("en: [how ai works,", "es: [aprendizaje automático]\n      en: [how ai works,")
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    component = load_codebook(path).components[0]
    desc = _component_description(component)
    lines = desc.splitlines()
    assert lines[-1] == "Label (es): Comprender la IA"
    assert lines[-2] == "Indicators (es): aprendizaje automático"
    assert lines[-3].startswith("Indicators: how ai works; machine learning")
    assert "Indonesia" not in desc and "Indikator" not in desc
