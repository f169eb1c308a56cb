"""Every ``docs/<name>.md`` that the code, the tests, the notebooks or the READMEs mention exists.

(Seven references to docs that did not exist, one of them in a user-facing error message,
were found in issue 11.)
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC_REF = re.compile(r"\bdocs/[\w./-]+\.md\b")
SEARCHED = ["src", "tests", "notebooks", "data", "benchmarks", "scripts", "README.md", "Makefile"]
SUFFIXES = {".py", ".md", ".ipynb", ".yml", ".yaml", ".cfg", ".toml", ".txt", ""}


def _files():
    """The project's own files: those git tracks (environments such as benchmarks/.venv-litstudy
    and other generated folders are not the project's text)."""
    import subprocess

    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *SEARCHED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for rel in listed:
        path = ROOT / rel
        if path.is_file() and path.suffix in SUFFIXES:
            yield path


def test_every_referenced_doc_exists():
    missing = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for ref in sorted(set(DOC_REF.findall(text))):
            if not (ROOT / ref).is_file():
                missing.append(f"{path.relative_to(ROOT)}: {ref}")
    assert missing == [], "\n".join(missing)
