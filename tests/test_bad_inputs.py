"""The bad-input suite: one small file per case in tests/bad_inputs/, listed in cases.yml.

Each case runs a real command on its file and must give exit code 2 and exactly one
line on stderr, ``error: FILE[:LINE]: message``, naming the file (and the line where
there is one), with a message that says what is wrong; no traceback, and no output
file left behind.

The cases run in this process through ``revalign.cli.main`` (the function behind
``python -m revalign``): a fresh interpreter per case would spend most of a minute
importing pandas again and again. What a separate process would add is checked too:
stderr is captured at the file-descriptor level (so C libraries writing to fd 2 count),
a log record of level WARNING or above counts as an extra stderr line (a real run would
print it), and so does a Python warning. ``test_same_result_in_a_real_process`` runs
one case of each command as ``python -m revalign`` and compares.
"""

import logging
import re
import warnings
from pathlib import Path

import pytest
import yaml

from cli_runner import run_process

HERE = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((HERE / "cases.yml").read_text(encoding="utf-8"))
KINDS = {"bib", "ris", "csljson", "scopus", "wos", "codebook", "segments", "params", "qdpx"}


def _fill(value, file, out):
    return value.replace("{file}", str(file)).replace("{out}", str(out))


def _run_in_process(args, root, monkeypatch, capfd, caplog):
    """(exit code, stdout, stderr) of ``python -m revalign ARGS``, run in this process."""
    from revalign.cli import main

    monkeypatch.chdir(root)
    capfd.readouterr()
    caplog.clear()
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    out, err = capfd.readouterr()
    extra = [f"log {r.levelname} {r.name}: {r.getMessage()}" for r in caplog.records]
    extra += [f"{w.category.__name__}: {w.message}" for w in caught]
    return code, out, err + "".join(line + "\n" for line in extra)


def _check(case, code, out, err, shown, tmp_path):
    assert code == 2, f"exit {code}\nstdout: {out}\nstderr: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    line = lines[0]
    where = case.get("where", str(shown))
    prefix = f"error: {where}" + (f":{case['line']}" if case.get("line") else "") + ": "
    assert line.startswith(prefix), f"{line!r} does not start with {prefix!r}"
    assert re.search(case["message"], line), f"{line!r} does not match {case['message']!r}"
    for created in case.get("creates", []):
        assert not Path(_fill(created, shown, tmp_path)).exists(), f"{created} was written"
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name]
    return line


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_gives_one_clear_line(case, tmp_path, root, monkeypatch, capfd, caplog):
    file = HERE / case["file"]
    assert file.exists(), f"missing case file {file}"
    shown = file.relative_to(root)
    args = [_fill(a, shown, tmp_path) for a in case["command"]]
    _check(case, *_run_in_process(args, root, monkeypatch, capfd, caplog), shown, tmp_path)


def _one_case_per_command():
    seen, out = set(), []
    for c in CASES:
        command = " ".join(a for a in c["command"][:2] if not a.startswith(("{", "-")))
        if command not in seen:
            seen.add(command)
            out.append(c)
    return out


@pytest.mark.parametrize("case", _one_case_per_command(), ids=lambda c: c["case"])
def test_same_result_in_a_real_process(case, tmp_path, root):
    file = HERE / case["file"]
    shown = file.relative_to(root)
    args = [_fill(a, shown, tmp_path) for a in case["command"]]
    r = run_process(*args)
    _check(case, r.returncode, r.stdout, r.stderr, shown, tmp_path)


def test_suite_covers_every_kind_of_input():
    kinds = {c["case"].split("_")[0] for c in CASES}
    assert len(CASES) >= 35
    assert kinds >= KINDS, KINDS - kinds
    assert kinds <= KINDS, f"case names must start with one of {sorted(KINDS)}"
    names = [c["case"] for c in CASES]
    assert len(names) == len(set(names)), "two cases with the same name"


def test_every_case_file_is_used():
    used = {c["file"] for c in CASES}
    files = {p.name for p in HERE.iterdir() if p.is_file() and p.name != "cases.yml" and p.suffix != ".py"}
    assert files == used, f"unused: {sorted(files - used)}; missing: {sorted(used - files)}"
