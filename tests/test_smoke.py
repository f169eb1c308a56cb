"""Smoke tests in a real ``python -m revalign`` process.

The CLI's behaviour is tested in-process (``run_cli`` in conftest.py); these few check
what only a separate interpreter shows: the ``__main__`` entry point, the exit code
reaching the shell, and nothing extra (warnings, progress bars, tracebacks) on stderr.
"""

from __future__ import annotations

import csv
from pathlib import Path

from cli_runner import run_process

FIX = Path(__file__).resolve().parent / "fixtures" / "bib"


def test_help_in_a_real_process():
    r = run_process("--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: python -m revalign")
    for command in ("bib", "coding", "agree", "align", "qda", "deps", "run-notebook"):
        assert command in r.stdout
    assert r.stderr == ""


def test_bib_import_in_a_real_process(tmp_path):
    out = tmp_path / "corpus.csv"
    r = run_process("bib", "import", FIX / "refs.bib", "-o", out, cwd=tmp_path, env={"CI": "true"})
    assert r.returncode == 0, r.stderr
    # tests/fixtures/bib/refs.bib holds four entries with distinct keys, titles and DOIs (count the @ lines)
    assert r.stdout.strip().splitlines()[-1] == "4 records read, 4 unique works"
    assert r.stderr == ""
    with open(out, encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 4


def test_bad_input_exit_2_one_line_in_a_real_process(tmp_path):
    # A file with one unreadable entry among readable ones is imported with a warning (issue 24:
    # one bad record never blocks a file). A file of which no record can be read is not a
    # bibliography at all: exit 2, one line naming the file and the line of the first failure.
    bad = tmp_path / "open.bib"
    # its only entry (line 1) never closes its brace
    bad.write_text("@article{k1, title={A}\n", encoding="utf-8")
    out = tmp_path / "corpus.csv"
    r = run_process("bib", "import", bad, "-o", out, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == (
        "error: open.bib:1: no record could be read; @article entry 'k1': unbalanced braces or quotes, "
        "or a missing comma; read as BibTeX (.bib), as exported by Zotero: File > Export Library > BibTeX or "
        "Better BibTeX/BibLaTeX; Mendeley: File > Export > BibTeX; JabRef: File > Save; Web of Science: Export > "
        "BibTeX; Scopus: Export > BibTeX\n"
    )
    assert r.stdout == ""
    assert not out.exists()
    # --strict refuses the file at its first unreadable entry, though the next one is sound
    bad.write_text("@article{k1, title={A}\n@article{k2, title={B}}\n", encoding="utf-8")
    r = run_process("bib", "import", bad, "--strict", "-o", out, cwd=tmp_path)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == "error: open.bib:1: @article entry 'k1': unbalanced braces or quotes, or a missing comma\n"
    assert not out.exists()
