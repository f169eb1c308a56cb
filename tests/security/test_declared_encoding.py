"""A BibTeX file's declared encoding (``% Encoding: NAME``, JabRef's first line) cannot crash the
import or make it rewrite the entries' text.

Attack (issue 23, item 6): ``% Encoding: punycode`` gave a traceback (Python's punycode codec
raises a bare UnicodeError, which the reader did not catch). The other Python codecs that no
program saves a file in (``unicode_escape``, ``raw_unicode_escape``, ``utf-7``, ``idna``) turn
escapes into characters: declared, they would silently rewrite the LaTeX of every entry
(``\\u00e9`` is LaTeX's breve accent on "0", ``+AOk-`` is UTF-7 for "é"). Such a declaration is
ignored and the file read as UTF-8, as a bytes-to-bytes codec (``zlib``) already was.
"""

from __future__ import annotations

import csv

import pytest
from hostile import run_main

# one entry whose title holds what each codec would rewrite: a LaTeX accent with a backslash-u,
# a UTF-7 shift sequence, an IDNA prefix
ENTRY = "@article{k1,\n  title = {Caf\\'e \\u{a} +AOk- xn--caf-dma},\n  year = {2020}\n}\n"


@pytest.mark.parametrize("name", ["punycode", "unicode_escape", "raw_unicode_escape", "utf-7", "UTF7", "idna"])
def test_a_codec_no_file_is_saved_in_is_ignored(tmp_path, capfd, name):
    bib = tmp_path / "refs.bib"
    bib.write_text(f"% Encoding: {name}\n{ENTRY}", encoding="utf-8")
    out = tmp_path / "corpus.csv"
    code, _, err = run_main(["bib", "import", bib, "-o", out], capfd, cwd=tmp_path)
    assert code == 0 and "Traceback" not in err, err
    with open(out, encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    # by hand: \'e is é; \u{a} is LaTeX's breve accent on a (ă, U+0103); the rest is left as written
    assert row["title"] == "Café ă +AOk- xn--caf-dma"


def test_a_real_encoding_is_still_honoured(tmp_path, capfd):
    """Guard: the declaration JabRef writes on Windows is still read (byte 0xE9 is é in cp1252)."""
    bib = tmp_path / "refs.bib"
    bib.write_bytes(b"% Encoding: windows-1252\n@article{k1,\n  title = {Caf\xe9},\n  year = {2020}\n}\n")
    out = tmp_path / "corpus.csv"
    code, _, err = run_main(["bib", "import", bib, "-o", out], capfd, cwd=tmp_path)
    assert code == 0, err
    with open(out, encoding="utf-8", newline="") as fh:
        assert [r["title"] for r in csv.DictReader(fh)] == ["Café"]
