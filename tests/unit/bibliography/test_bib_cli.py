"""``python -m revalign bib import`` end to end, run in-process (exit codes, files, summary).

The same command in a real subprocess is smoke-tested in tests/test_smoke.py.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "bib"
ALL = ["refs.bib", "endnote.ris", "scopus.ris", "zotero.json", "scopus.csv", "savedrecs.txt"]


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    return run_cli("bib", "import", *args, cwd=cwd, env={"CI": "true"})


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_import_all_formats(tmp_path):
    out, merges, rejects = tmp_path / "corpus.csv", tmp_path / "merges.csv", tmp_path / "rejects.csv"
    p = run(*[FIX / n for n in ALL], "-o", out, "--dedup-report", merges, "--rejects", rejects, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "20 records read, 9 unique works"
    assert "11 duplicate records merged (9 by DOI, 2 by title and other fields); 0 rejected" in p.stdout
    assert p.stderr == ""  # no progress bar off a terminal
    rows = read_csv(out)
    assert len(rows) == 9
    for col in ("record_id", "doi", "title", "year", "authors", "source_title", "doc_type", "abstract",
                "keywords", "origins", "sourcetype", "sourcecategory", "inreflist"):  # fmt: skip
        assert col in rows[0]
    byid = {r["record_id"]: r for r in rows}
    assert byid["mueller2021microcredentials"]["year"] == "2021"
    assert byid["mueller2021microcredentials"]["doi"] == "10.5555/jol.2021.0042"
    assert len(read_csv(merges)) == 11
    assert read_csv(rejects) == []
    assert out.read_bytes().count(b"\r\n") == 0  # LF line endings


def test_exit_2_and_nothing_written_on_bad_input_with_strict(tmp_path):
    # (a duplicate citation key was the bad input here; real exports have them, so it is now a warning)
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{k1, title={A}}\n@article{k2, title = {unclosed, year = 2020}\n", encoding="utf-8")
    out = tmp_path / "corpus.csv"
    p = run(FIX / "refs.bib", bad, "-o", out, "--strict", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr.strip() == "error: bad.bib:2: @article entry 'k2': unbalanced braces or quotes, or a missing comma"
    assert "Traceback" not in p.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind either
    # without --strict the broken entry is skipped, named on stderr, and counted
    p = run(FIX / "refs.bib", bad, "-o", out, cwd=tmp_path)
    assert p.returncode == 0
    assert "bad.bib:2: @article entry 'k2' skipped: unbalanced braces or quotes" in p.stderr
    assert "1 skipped" in p.stdout and p.stdout.strip().endswith("5 records read, 5 unique works")


def test_previous_output_kept_when_import_fails(tmp_path):
    out = tmp_path / "corpus.csv"
    out.write_text("old\n", encoding="utf-8")
    latin = tmp_path / "latin.ris"
    latin.write_bytes("TY  - JOUR\nTI  - Caf\u00e9\nER  - \n".encode("latin-1"))
    p = run(latin, "-o", out, cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr.strip() == "error: latin.ris:2: not valid UTF-8 (Latin-1 or Windows-1252?); save it as UTF-8"
    assert out.read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize(
    "content,needle",
    [("just some notes\n", "supported formats are"), ("", "file is empty"),
     ("TY  - JOUR\nTI  - A\n", ":1: record 1 is not closed by an 'ER  - ' line")],
)  # fmt: skip
def test_exit_2_messages(tmp_path, content, needle):
    f = tmp_path / "in.txt"
    f.write_text(content, encoding="utf-8")
    p = run(f, "-o", tmp_path / "o.csv", "--strict", cwd=tmp_path)
    assert p.returncode == 2 and needle in p.stderr and p.stderr.startswith("error: ")
    assert len(p.stderr.strip().splitlines()) == 1


def test_forced_format_and_unknown_format_choice(tmp_path):
    p = run(FIX / "refs.bib", "--format", "wos", "-o", tmp_path / "o.csv", cwd=tmp_path)
    assert p.returncode == 2 and "refs.bib" in p.stderr
    p = run(FIX / "refs.bib", "--format", "endnote", "-o", tmp_path / "o.csv", cwd=tmp_path)
    assert p.returncode == 2 and "invalid choice" in p.stderr
    p = run(FIX / "refs.bib", "--format", "bibtex", "-o", tmp_path / "o.csv", "--quiet", cwd=tmp_path)
    assert p.returncode == 0 and p.stdout.strip().endswith("4 records read, 4 unique works")


def test_rejects_reported(tmp_path):
    f = tmp_path / "a.ris"
    f.write_text("TY  - JOUR\nTI  - Kept\nER  - \n\nTY  - JOUR\nPY  - 2020\nER  - \n", encoding="utf-8")
    p = run(f, "-o", tmp_path / "o.csv", "--rejects", tmp_path / "r.csv", cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.strip().splitlines()[-1] == "2 records read, 1 unique works"
    assert "1 rejected" in p.stdout
    assert read_csv(tmp_path / "r.csv") == [
        {"file": "a.ris", "entry": "2", "line": "5", "reason": "no title and no DOI", "title": ""}
    ]


def test_columns_on_the_command_line_and_in_the_parameter_file(tmp_path):
    # written for this test: a sheet whose columns match no export
    sheet = tmp_path / "sheet.csv"
    sheet.write_text('Paper,Writers,When\nA study,"Lee, Kim",2021\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    p = run(sheet, "-o", out, "--columns", "title=Paper,authors=Writers,year=When", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert read_csv(out)[0]["authors"] == "Lee, Kim" and read_csv(out)[0]["year"] == "2021"
    p = run(sheet, "-o", out, "--columns", "titel=Paper", cwd=tmp_path)
    assert p.returncode == 2 and "--columns: unknown field 'titel'" in p.stderr
    # the same map in a parameter file's bibliography entry, next to a plain path
    from revalign.bibliography.importer import read_bibliography
    from revalign.core import config

    params = tmp_path / "params" / "mine.yml"
    params.parent.mkdir()
    # inside the project (tmp_path): a parameter file may name no file outside it (SECURITY.md)
    shutil.copy(FIX / "refs.bib", tmp_path / "refs.bib")
    params.write_text(
        "bibliography:\n  - {file: sheet.csv, columns: {title: Paper, authors: Writers, year: When}}\n"
        "  - refs.bib\ncodebook: c.yml\nsegments: s.csv\n",
        encoding="utf-8",
    )
    cfg = config.load(params, root=tmp_path)
    res = read_bibliography(cfg.bibliography_files)
    assert "A study" in set(res.records["title"]) and res.n_read == 5
