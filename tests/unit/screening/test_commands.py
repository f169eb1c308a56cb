"""``revalign screen export`` / ``screen conflicts`` and ``check`` on people's decisions: the round trip
from the records to screen, through a filled-in sheet (or a screening tool), back into the run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from revalign.bibliography.importer import read_bibliography
from revalign.screening.records import RecordIndex

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "data" / "raw" / "examples" / "ai_literacy_au"
BIB = [str(EXAMPLE / "bibliography" / f) for f in ("zotero_export.bib", "publisher_export.ris", "database_search.ris")]


def params(tmp_path: Path, **screening) -> Path:
    data = {
        "bibliography": BIB,
        "codebook": str(EXAMPLE / "codebook.yml"),
        "segments": str(EXAMPLE / "segments.csv"),
        "screening": {"year_min": 2018, "year_max": 2025, **screening},
    }
    path = tmp_path / "review.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_export_decide_in_the_sheet_import(cli, tmp_path, monkeypatch):
    # the decided sheet lies in a temporary folder outside the project: allowed as a user would (SECURITY.md)
    monkeypatch.setenv("REVALIGN_ALLOW_INPUTS_FROM", str(tmp_path))
    # 1. nothing screened yet: the 26 unique works less ruiz_computing_2012 (2012, outside 2018-2025)
    p = params(tmp_path)
    r = cli("screen", "export", p, "-o", tmp_path / "ta.xlsx", "-o", tmp_path / "ta.ris")
    assert r.returncode == 0, r.stderr
    assert "25 records to screen at title_abstract" in r.stdout
    sheet = pd.read_excel(tmp_path / "ta.xlsx", dtype=str, keep_default_na=False)
    assert list(sheet.columns[:5]) == ["record", "reviewer", "stage", "decision", "reason"]
    assert len(sheet) == 25 and set(sheet["stage"]) == {"title_abstract"}
    assert "ruiz_computing_2012" not in set(sheet["record"])
    # the RIS is a bibliography a screening tool imports; every record in it finds its way back
    corpus = read_bibliography(BIB).records
    back = read_bibliography([tmp_path / "ta.ris"]).records
    index = RecordIndex(corpus)
    found = {index.find(doi=d or "", title=t, year=str(y)).record_id for d, t, y in
             zip(back["doi"].fillna(""), back["title"], back["year"], strict=True)}  # fmt: skip
    assert found == set(sheet["record"])
    # 2. one reviewer decides in the sheet (a spreadsheet program saves it back)
    sheet["reviewer"] = "Ann"
    sheet["decision"] = ["exclude" if k in ("bryce2020robotics", "gallagher2022machine") else "include"
                         for k in sheet["record"]]  # fmt: skip
    sheet.to_excel(tmp_path / "decided.xlsx", index=False)
    p = params(tmp_path, decisions=[str(tmp_path / "decided.xlsx")])
    r = cli("check", p)
    assert r.returncode == 0, r.stderr
    # 3. the full texts still to assess: the 23 included at title and abstract
    r = cli("screen", "export", p, "--stage", "full_text", "-o", tmp_path / "ft.csv")
    assert r.returncode == 0, r.stderr
    ft = pd.read_csv(tmp_path / "ft.csv", dtype=str, keep_default_na=False)
    assert len(ft) == 23 and set(ft["stage"]) == {"full_text"}
    assert r.stdout.startswith("23 records to screen at full_text")


def test_conflicts_sheet_then_check(cli, tmp_path, monkeypatch):
    # the resolution sheet lies in a temporary folder outside the project: allowed as a user would (SECURITY.md)
    monkeypatch.setenv("REVALIGN_ALLOW_INPUTS_FROM", str(tmp_path))
    shots = EXAMPLE / "screening"
    p = params(tmp_path, decisions=[str(shots / "rayyan_title_abstract.csv"), str(shots / "full_text.csv")])
    r = cli("check", p)
    assert r.returncode == 2
    lines = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 6 and all("unresolved conflict" in line for line in lines)
    assert any(line.startswith(f"error: {shots.relative_to(ROOT)}/full_text.csv:14: ") for line in lines)
    r = cli("screen", "conflicts", p, "-o", tmp_path / "c.xlsx", "-o", tmp_path / "c.csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("6 conflicts to decide")
    sheet = pd.read_csv(tmp_path / "c.csv", dtype=str, keep_default_na=False)
    assert (sheet["decision"] == "").all() and len(sheet) == 6
    # an undecided sheet is still six unresolved conflicts, now at the sheet's lines
    p = params(tmp_path, decisions=[str(shots / "rayyan_title_abstract.csv"), str(shots / "full_text.csv")],
               resolutions=[str(tmp_path / "c.csv")])  # fmt: skip
    r = cli("check", p)
    assert r.returncode == 2 and r.stderr.count("c.csv:") == 6
    # choosing A everywhere excludes quinlan2023ai at title/abstract, which has full-text decisions,
    # and includes whitcombe2021digital, which has none: both are problems
    sheet["decision"] = "A"
    sheet.to_csv(tmp_path / "c.csv", index=False)
    r = cli("check", p)
    assert r.returncode == 2 and "quinlan2023ai has a full-text decision" in r.stderr
    assert "no full-text decision: whitcombe2021digital" in r.stderr
    # the decisions of the worked example's own sheet settle everything
    decided = pd.read_csv(shots / "resolutions.csv", dtype=str, keep_default_na=False).set_index("record")
    sheet["decision"] = [decided.loc[k, "decision"] for k in sheet["record"]]
    sheet.to_csv(tmp_path / "c.csv", index=False)
    r = cli("check", p)
    assert r.returncode == 0, r.stderr


def test_output_extension_is_checked(cli, tmp_path):
    r = cli("screen", "conflicts", params(tmp_path), "-o", tmp_path / "c.ris")
    assert r.returncode == 2 and "use .xlsx or .csv" in r.stderr
    assert not (tmp_path / "c.ris").exists()
