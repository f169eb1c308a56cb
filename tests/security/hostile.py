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


def limited_run(args, timeout: float = 60, cwd=ROOT, memory_gib: float = 3, env: dict | None = None, **kw):
    """``python ARGS`` in a child with a memory cap and a timeout (a hang is a failure, not a hang)."""

    def cap():
        limit = int(memory_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = dict(os.environ if env is None else env)
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


# ---- a project of one's own (issue 23) -----------------------------------------------------
def scaffold_project(tmp_path: Path, name: str = "mine") -> Path:
    """A minimal project folder (``pyproject.toml`` and ``src/revalign/`` mark its root, as
    :func:`revalign.core.config.repo_root` looks for) holding the review that ``revalign init
    NAME`` scaffolds: ``params/NAME.yml`` and ``data/raw/NAME/``, which ``check`` accepts as
    they are. Returns the project folder."""
    from revalign.project.scaffold import scaffold

    proj = tmp_path / "project"
    (proj / "src" / "revalign").mkdir(parents=True)
    (proj / "pyproject.toml").write_text("", encoding="utf-8")
    scaffold(name, proj)
    return proj


def set_param(params: Path, key: str, value) -> int:
    """Set top-level *key* of a parameter file to *value* (a string or a list of strings),
    keeping its comments; returns the line the key is on."""
    import json

    lines = params.read_text(encoding="utf-8").splitlines()
    text = json.dumps(value)  # a JSON string or list is YAML too, with every character quoted
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            lines[i] = f"{key}: {text}"
            j = i + 1
            while j < len(lines) and lines[j].startswith("  - "):
                del lines[j]
            params.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return i + 1
    lines.append(f"{key}: {text}")
    params.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def peak_run(args, timeout: float = 300, cwd=ROOT, memory_gib: float = 3, **kw):
    """``python -m revalign ARGS`` in a child (memory cap, timeout); returns (CompletedProcess,
    peak resident memory of the child in MiB).

    The peak is the kernel's high-water mark of the child's own address space (``VmHWM`` in
    /proc/self/status), which starts afresh when the child executes Python. (``ru_maxrss`` would
    also count the pages of this test process the child shared between fork and exec, so a
    test process that has grown would seem to make the child big.)"""
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".rss") as fh:
        code = (
            "import os, re, resource, sys\n"
            "from revalign.cli import main\n"
            "try:\n"
            "    code = main(sys.argv[1:])\n"
            "finally:\n"
            "    try:\n"
            "        kib = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "    except (OSError, AttributeError):\n"
            "        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "    with open(os.environ['REVALIGN_TEST_RSS'], 'w') as out:\n"
            "        out.write(str(kib))\n"
            "sys.exit(code)\n"
        )
        env = dict(os.environ, REVALIGN_TEST_RSS=fh.name)
        proc = limited_run(["-c", code, *args], timeout=timeout, cwd=cwd, memory_gib=memory_gib, env=env, **kw)
        text = Path(fh.name).read_text().strip()
    return proc, (int(text) / 1024 if text else float("inf"))


# ---- HTML that could run ----------------------------------------------------------------------
_ACTIVE_TAGS = {
    "script", "iframe", "frame", "object", "embed", "svg", "math", "img", "video", "audio", "source",
    "form", "input", "button", "textarea", "select", "meta", "link", "base", "applet", "template",
}  # fmt: skip
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "background"}


def unsafe_html(html: str) -> list[str]:
    """What in *html* could run code, load something or navigate away on its own: elements that
    embed or execute (script, iframe, svg, img, ...), any ``on*`` event attribute, a URL
    attribute whose scheme is not http(s) or mailto, and a <style> that is not pandas' own
    ``<style scoped>`` block. An empty list means inert."""
    from html.parser import HTMLParser
    from urllib.parse import urlsplit

    found: list[str] = []

    class Scan(HTMLParser):
        in_style = False

        def handle_starttag(self, tag, attrs):
            if tag in _ACTIVE_TAGS:
                found.append(f"<{tag}>")
            if tag == "style":
                self.in_style = True
                if ("scoped", None) not in attrs:
                    found.append("<style> from the data")
            for name, value in attrs:
                if name.startswith("on"):
                    found.append(f"<{tag} {name}=...>")
                if name in _URL_ATTRS and value is not None:
                    cleaned = "".join(ch for ch in value if ch > " ").lower()
                    scheme = urlsplit(cleaned).scheme
                    if scheme not in ("", "http", "https", "mailto"):
                        found.append(f"<{tag} {name}={value[:40]!r}>")

        def handle_endtag(self, tag):
            if tag == "style":
                self.in_style = False

        def handle_data(self, data):
            if self.in_style and ("dataframe" not in data or "@import" in data or "url(" in data):
                found.append("<style> content that is not pandas' own")

    Scan(convert_charrefs=True).feed(html)
    return found


def markdown_as_html(text: str) -> str:
    """Markdown as nbconvert's HTML export renders a text/markdown output (mistune, raw HTML
    passed through): the stricter of the two renderers a reader meets."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def two_codings() -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Coder A's and coder B's rows (header first) of the published review's first ten claims, B
    differing from A in the first claim's polarity, and the header: for the two-coder commands."""
    import csv

    with open(ROOT / "data/raw/coding/segments.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:11]
    pol, coder = head.index("polarity"), head.index("coder")
    a = [head] + [r[:] for r in body]
    b = [head] + [r[:] for r in body]
    for r in b[1:]:
        r[coder] = "B"
    b[1][pol] = "gap" if b[1][pol] != "gap" else "strength"
    return head, a, b


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """*rows* as a UTF-8 CSV with LF line ends; *path*."""
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path
