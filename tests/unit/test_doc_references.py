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
    for name in SEARCHED:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


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
