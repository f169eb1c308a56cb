"""Sheets people edit, files a command writes, and what a new report shows.

Attacks (issue 23):
- ``disagreements.csv``, the sheet coders are told to edit, kept formula cells such as
  ``=cmd|' /C calc'!A0`` (its XLSX copy was safe);
- ``reconcile SHEET -o OUT`` with its default log name (``OUT_log.csv``) overwrote the sheet
  when the sheet had that name, and the coders' notes were lost; ``-o`` could name a coding
  file the sheet reads;
- a key-statistics figure of an earlier configuration appeared in a new report;
- ``init 'x\\n'`` created ``params/x\\n.yml``;
- a symbolic link planted in a run's output folder was written through.
"""

from __future__ import annotations

import csv
import shutil

import pytest
from hostile import ROOT, one_error_line, run_main, scaffold_project, two_codings, write_csv

CODEBOOK = ROOT / "data/raw/codebook/aect2023.yml"
FORMULA = "=cmd|' /C calc'!A0"


def _codings(tmp_path, claim_prefix: str = ""):
    """Two codings of the published review's first ten claims: B differs in one polarity and
    its excerpt of that claim is a formula; *claim_prefix* goes before every claim id."""
    head, a, b = two_codings()
    b[1][head.index("excerpt")] = FORMULA
    claim = head.index("claim_id")
    for r in a[1:] + b[1:]:
        r[claim] = claim_prefix + r[claim]
    return write_csv(tmp_path / "a.csv", a), write_csv(tmp_path / "b.csv", b)


def test_disagreement_csv_holds_no_formula(tmp_path, capfd):
    a, b = _codings(tmp_path)
    code, out, err = run_main(["agree", a, b, "--codebook", CODEBOOK, "-o", tmp_path / "agr"], capfd)
    assert code == 0, err
    with open(tmp_path / "agr" / "disagreements.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, "the codings differ in one polarity: one row expected"
    for row in rows:
        for key, value in row.items():
            assert not value.startswith(("=", "+", "-", "@")), (key, value)
    assert rows[0]["excerpt_b"] == "'" + FORMULA


def test_reconcile_reads_the_neutralised_sheet_back_exactly(tmp_path, capfd):
    """Claim ids that begin like a formula ("@C001") get the apostrophe in the sheet; reconcile
    must read them back as written, or no unit of the sheet would match the codings."""
    a, b = _codings(tmp_path, claim_prefix="@")
    code, out, err = run_main(["agree", a, b, "--codebook", CODEBOOK, "-o", tmp_path / "agr"], capfd)
    assert code == 0, err
    sheet = tmp_path / "agr" / "disagreements.csv"
    with open(sheet, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["claim_id"] == "'@C001"  # neutralised in the sheet
    rows[0]["decision"] = "B"
    rows[0]["note"] = "=B wins"  # a coder's own note that looks like a formula
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    cons = tmp_path / "consensus.csv"
    code, out, err = run_main(["reconcile", sheet, "--codebook", CODEBOOK, "-o", cons], capfd, cwd=tmp_path)
    assert code == 0, err
    with open(cons, encoding="utf-8", newline="") as fh:
        result = list(csv.DictReader(fh))
    # the first ten rows of segments.csv hold claims C001-C006 (read off the file)
    assert {r["claim_id"] for r in result} == {f"@C{i:03d}" for i in range(1, 7)}
    with open(tmp_path / "consensus_log.csv", encoding="utf-8", newline="") as fh:
        log = list(csv.DictReader(fh))
    # the log is a list for people to read: neutralised like the sheet
    assert log[0]["claim_id"] == "'@C001" and log[0]["decision"] == "B"


def _decided_sheet(tmp_path, capfd, name: str):
    a, b = _codings(tmp_path)
    code, out, err = run_main(["agree", a, b, "--codebook", CODEBOOK, "-o", tmp_path / "agr"], capfd)
    assert code == 0, err
    with open(tmp_path / "agr" / "disagreements.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["decision"], row["note"] = "A", "coders agreed after discussion"
    sheet = tmp_path / name
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return sheet


def test_reconcile_default_log_cannot_overwrite_the_sheet(tmp_path, capfd):
    sheet = _decided_sheet(tmp_path, capfd, "consensus_log.csv")
    before = sheet.read_bytes()
    code, out, err = run_main(
        ["reconcile", sheet, "--codebook", CODEBOOK, "-o", tmp_path / "consensus.csv"], capfd, cwd=tmp_path
    )
    one_error_line(code, err, pattern="overwrite|input")
    assert sheet.read_bytes() == before
    assert not (tmp_path / "consensus.csv").exists()


def test_reconcile_cannot_overwrite_a_coding_the_sheet_names(tmp_path, capfd):
    sheet = _decided_sheet(tmp_path, capfd, "decided.csv")
    a = tmp_path / "a.csv"
    before = a.read_bytes()
    code, out, err = run_main(["reconcile", sheet, "--codebook", CODEBOOK, "-o", a], capfd, cwd=tmp_path)
    one_error_line(code, err, pattern="overwrite|input")
    assert a.read_bytes() == before


# ---- a new report shows nothing of an earlier configuration ----------------------------------------
def test_stale_key_statistics_figure_not_in_a_new_report(tmp_path):
    from PIL import Image

    from revalign.core import config
    from revalign.report.build import build_report, load_inputs

    root = tmp_path / "run"
    shutil.copytree(ROOT / "tests/fixtures/report", root)
    (root / "pyproject.toml").write_text("")
    # an earlier configuration named key statistics: its figure is still in figures/
    Image.new("RGB", (40, 30), (250, 10, 200)).save(root / "figures" / "key_statistics.png")
    cfg = config.load("params/default.yml", root=root)
    assert not cfg.params.key_statistics  # this configuration names none
    assert "key_statistics" not in load_inputs(cfg).figures
    html = build_report(cfg).path.read_text(encoding="utf-8")
    assert "Key statistics quoted by the review" not in html


# ---- init ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["x\n", "x\r", "a\tb", "x\x00"], ids=["newline", "cr", "tab", "nul"])
def test_init_refuses_names_with_control_characters(tmp_path, capfd, name):
    proj = tmp_path / "p"
    (proj / "src" / "revalign").mkdir(parents=True)
    (proj / "pyproject.toml").write_text("")
    code, out, err = run_main(["init", name], capfd, cwd=proj)
    one_error_line(code, err)
    assert not (proj / "params").exists() or not any((proj / "params").iterdir())
    assert not (proj / "data").exists() or not any((proj / "data" / "raw").iterdir())


# ---- no writing through a symbolic link --------------------------------------------------------------
@pytest.fixture
def proj(tmp_path, monkeypatch):
    monkeypatch.delenv("REVALIGN_ALLOW_INPUTS_FROM", raising=False)
    return scaffold_project(tmp_path)


def test_output_folder_planted_as_a_link_is_not_written_through(proj, tmp_path):
    from revalign.core import config
    from revalign.core.atomic import write_text
    from revalign.core.errors import InputError

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "corpus.csv").write_text("precious\n", encoding="utf-8")
    (proj / "runs" / "mine").mkdir(parents=True)
    (proj / "runs" / "mine" / "processed").symlink_to(victim, target_is_directory=True)
    cfg = config.load("params/mine.yml", root=proj)
    with pytest.raises(InputError) as exc:
        write_text(cfg.processed_dir / "corpus.csv", "new\n")
    assert "link" in str(exc.value)
    assert (victim / "corpus.csv").read_text(encoding="utf-8") == "precious\n"
    assert [p.name for p in victim.iterdir()] == ["corpus.csv"]


def test_output_file_planted_as_a_link_is_refused(proj, tmp_path):
    from revalign.core import config
    from revalign.core.atomic import write_text
    from revalign.core.errors import InputError

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    cfg = config.load("params/mine.yml", root=proj)
    cfg.processed_dir.mkdir(parents=True)
    (cfg.processed_dir / "corpus.csv").symlink_to(victim)
    with pytest.raises(InputError) as exc:
        write_text(cfg.processed_dir / "corpus.csv", "new\n")
    assert "link" in str(exc.value)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (cfg.processed_dir / "corpus.csv").is_symlink()
