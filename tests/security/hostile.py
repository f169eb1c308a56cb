"""Helpers for the security tests (a plain module, not a conftest, so that it does not shadow
tests/conftest.py): run the CLI in this process, build hostile files.

Every attack is built by the test that uses it (no binary fixtures): archives with
``zipfile`` (then patched byte by byte where an attacker would lie in a header), XML,
YAML and CSV from literals. The promise checked is the one of docs/DESIGN: exit 2 and
exactly one line ``error: FILE[:LINE]: ...`` on stderr, no traceback, nothing written.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "data" / "raw" / "codebook" / "aect2023.yml"
BIBLIOGRAPHY = ROOT / "data" / "raw" / "bibliography" / "references.bib"


def run_main(args, capfd, cwd=ROOT) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``python -m revalign ARGS`` run in this process."""
    from revalign.cli import main

    old = Path.cwd()
    os.chdir(cwd)
    capfd.readouterr()
    try:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(old)
    out, err = capfd.readouterr()
    return code, out, err


def one_error_line(code: int, err: str, where: str | None = None, pattern: str | None = None) -> str:
    """Assert exit 2 and a single ``error: ...`` line (starting with ``error: WHERE`` if given)."""
    import re

    assert "Traceback" not in err, err[-3000:]
    assert code == 2, f"exit {code}; stderr: {err[-2000:]}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err[-2000:]}"
    line = lines[0]
    assert line.startswith("error: "), line
    assert len(line) < 2000, f"error line of {len(line)} characters"
    if where is not None:
        assert line.startswith(f"error: {where}"), f"{line!r} does not name {where!r}"
    if pattern is not None:
        assert re.search(pattern, line, re.I), f"{line!r} does not match {pattern!r}"
    return line


def no_temp_files(folder: Path) -> None:
    left = [p.name for p in Path(folder).rglob("*") if p.name.endswith(".tmp")]
    assert not left, f"temporary files left behind: {left}"


def limited_run(args, timeout: float = 60, cwd=ROOT, memory_gib: float = 3, **kw):
    """``python ARGS`` in a child with a memory cap and a timeout (a hang is a failure, not a hang)."""

    def cap():
        limit = int(memory_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    try:
        return subprocess.run(
            [sys.executable, *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=cap,
            env=env,
            **kw,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout} s: {' '.join(map(str, args))}")


@contextmanager
def time_limit(seconds: int):
    """Fail (instead of hanging) if the block takes longer than *seconds* (Python-level code only)."""

    def on_alarm(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ---- REFI-QDA projects ---------------------------------------------------------------------
# A minimal project: one code named like a component of the default codebook (so it maps by
# name), one text source whose plain text is at SOURCE_PATH, one selection of its first 11
# characters coded with that code.
COMPONENT_CODE_GUID = "aaaaaaaa-0000-4000-8000-000000000001"
SOURCE_GUID = "bbbbbbbb-0000-4000-8000-000000000001"


def project_qde(
    plain_text_path: str = f"internal://{SOURCE_GUID}.txt",
    *,
    code_name: str = "Empower learners",
    base_path: str | None = None,
    codes_xml: str | None = None,
    doctype: str = "",
    source_name: str = "smith2020.txt",
    end: int = 11,
    extra_source_attr: str = "",
) -> str:
    base = f' basePath="{base_path}"' if base_path is not None else ""
    codes = (
        codes_xml
        if codes_xml is not None
        else (f'<Code guid="{COMPONENT_CODE_GUID}" name="{code_name}" isCodable="true"/>')
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
{doctype}<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test"{base}>
<Users><User guid="cccccccc-0000-4000-8000-000000000001" name="coder1"/></Users>
<CodeBook><Codes>{codes}</Codes></CodeBook>
<Sources>
<TextSource guid="{SOURCE_GUID}" name="{source_name}" plainTextPath="{plain_text_path}"{extra_source_attr}>
<PlainTextSelection guid="dddddddd-0000-4000-8000-000000000001" name="sel" startPosition="0" endPosition="{end}" creatingUser="cccccccc-0000-4000-8000-000000000001">
<Coding guid="eeeeeeee-0000-4000-8000-000000000001" creatingUser="cccccccc-0000-4000-8000-000000000001"><CodeRef targetGUID="{COMPONENT_CODE_GUID}"/></Coding>
</PlainTextSelection>
</TextSource>
</Sources>
</Project>
"""


def make_qdpx(
    path: Path, qde: str | bytes, members: dict[str, bytes] | None = None, compression=zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        zf.writestr("project.qde", qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (members or {}).items():
            zf.writestr(name, data)
    return path


def qda_import(qdpx: Path, out: Path, *extra) -> list[str]:
    return ["qda", "import", str(qdpx), "--codebook", str(CODEBOOK), "-o", str(out), *map(str, extra)]
