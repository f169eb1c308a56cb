"""Inputs that used to end in a traceback or never finish: each gives one line and exit 2.

Attacks (issue 14): CSL-JSON with deep nesting (RecursionError), a 5,000-digit number
(ValueError from Python's integer-string limit), an author that is an object (TypeError);
a segments header with a million columns (``header.count`` in a loop: quadratic, never
finished); a FIFO or /dev/zero given as an input (read forever). The slow ones run in a
child process with a memory cap and a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import threading

import pytest
from hostile import BIBLIOGRAPHY, CODEBOOK, limited_run, no_temp_files, one_error_line, run_main

from design_contract import SEGMENT_COLUMNS


def _bib(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _import(tmp_path, capfd, p):
    out = tmp_path / "out.csv"
    code, o, e = run_main(["bib", "import", p, "-o", out, "-q"], capfd)
    line = one_error_line(code, e, where=str(p))
    assert not out.exists()
    no_temp_files(tmp_path)
    return line


def test_csljson_deep_nesting(tmp_path, capfd):
    p = _bib(tmp_path, "deep.json", '[{"id": "a", "title": "T", "note": ' + "[" * 100_000 + "]" * 100_000 + "}]")
    line = _import(tmp_path, capfd, p)
    assert f"{p}:1:" in line and "nest" in line


def test_csljson_5000_digit_number(tmp_path, capfd):
    p = _bib(tmp_path, "big.json", '[\n{"id": "a", "title": "T",\n "volume": ' + "7" * 5000 + "}\n]")
    line = _import(tmp_path, capfd, p)
    assert f"{p}:3:" in line and "digits" in line


# the other JSON exports are read whole, with the same guards: OpenAlex (detected by "authorships")
# and Publish or Perish (detected by "cites_url")
_JSON_EXPORTS = {
    "openalex": ('{"authorships": [],\n "x": ', "}"),
    "pop": ('[{"cites_url": "u", "title": "T",\n "x": ', "}]"),
}


@pytest.mark.parametrize("export", list(_JSON_EXPORTS))
def test_other_json_exports_deep_nesting_and_5000_digit_number(tmp_path, capfd, export):
    head, tail = _JSON_EXPORTS[export]
    p = _bib(tmp_path, "deep.json", head + "[" * 100_000 + "]" * 100_000 + tail)
    line = _import(tmp_path, capfd, p)
    assert f"{p}:1:" in line and "nested too deeply" in line
    p = _bib(tmp_path, "big.json", head + "7" * 5000 + tail)
    line = _import(tmp_path, capfd, p)
    assert f"{p}:2:" in line and "more than 100 digits" in line


@pytest.mark.parametrize("field", ["family", "given", "literal", "non-dropping-particle"])
def test_csljson_author_part_is_an_object(tmp_path, capfd, field):
    author = {"family": "Smith", field: {"x": 1}} if field != "family" else {"family": {"x": 1}}
    import json

    p = _bib(tmp_path, "obj.json", json.dumps([{"id": "a", "title": "T", "author": [author]}], indent=1))
    line = _import(tmp_path, capfd, p)
    assert f"{p}:2:" in line and "author" in line


def test_csljson_author_is_an_object(tmp_path, capfd):
    # passes on a5f39f4 already (an 'author' that is not a list was checked); kept as a guard
    p = _bib(tmp_path, "obj.json", '[{"id": "a", "title": "T", "author": {"family": "Smith"}}]')
    _import(tmp_path, capfd, p)


_WIDE_HEADERS = {  # built when the test runs, not when it is collected
    "million_columns": (lambda: ",".join(f"c{i}" for i in range(1_000_000)), r"column"),
    "million_repeated_columns": (lambda: ",".join(SEGMENT_COLUMNS) + ",excerpt" * 1_000_000, r"repeated"),
}


@pytest.mark.parametrize("case", list(_WIDE_HEADERS))
def test_segments_header_with_a_million_columns(tmp_path, case):
    header, pattern = _WIDE_HEADERS[case]
    p = tmp_path / "wide.csv"
    p.write_text(header() + "\n", encoding="utf-8")
    r = limited_run(
        [
            "-m",
            "revalign",
            "coding",
            "validate",
            "--segments",
            p,
            "--codebook",
            CODEBOOK,
            "--bibliography",
            BIBLIOGRAPHY,
        ],
        timeout=30,
    )
    one_error_line(r.returncode, r.stderr, where=f"{p}:1", pattern=pattern)


def _fifo(tmp_path, name):
    p = tmp_path / name
    os.mkfifo(p)
    return p


@pytest.mark.parametrize(
    "command",
    [
        ["bib", "import", "{input}", "-o", "{out}", "-q"],
        ["qda", "import", "{input}", "--codebook", str(CODEBOOK), "-o", "{out}"],
        ["deps", "{input}"],
        [
            "coding",
            "validate",
            "--segments",
            "{input}",
            "--codebook",
            str(CODEBOOK),
            "--bibliography",
            str(BIBLIOGRAPHY),
        ],
    ],
    ids=["bib", "qdpx", "params", "segments"],
)
def test_fifo_as_input_refused(tmp_path, command):
    fifo = _fifo(tmp_path, "in.fifo")
    out = tmp_path / "out.csv"
    args = [a.replace("{input}", str(fifo)).replace("{out}", str(out)) for a in command]
    try:
        r = limited_run(["-m", "revalign", *args], timeout=30)
    finally:
        # unblock a reader that opened the FIFO (so a failing run does not hang the test)
        threading.Thread(target=lambda: open(fifo, "wb").close(), daemon=True).start()
    one_error_line(r.returncode, r.stderr, where=str(fifo), pattern=r"not a regular file|FIFO|device")
    assert not out.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["bib", "import", "/dev/zero", "-o", "{out}", "-q"],
        ["qda", "import", "/dev/zero", "--codebook", str(CODEBOOK), "-o", "{out}"],
        ["deps", "/dev/zero"],
    ],
    ids=["bib", "qdpx", "params"],
)
def test_dev_zero_as_input_refused(tmp_path, command):
    out = tmp_path / "out.csv"
    args = [a.replace("{out}", str(out)) for a in command]
    r = limited_run(["-m", "revalign", *args], timeout=30, memory_gib=2)
    one_error_line(r.returncode, r.stderr, where="/dev/zero", pattern=r"not a regular file|device")
    assert not out.exists()
