"""The notebooks in a real JupyterLab, driven like a researcher would (playwright + system Chromium).

`make lab` is started headless on the project itself (with a 3-second autosave interval
instead of 120 s, set in a throw-away user-settings folder), and for each stage notebook the
test opens it, types an override into its parameters cell, runs all cells from the Run menu,
waits past the autosave interval, and checks that

- the value took effect (the run's first output names it, and the tables and figures it wrote
  differ from, or are labelled unlike, the committed ones where the override changes them);
- no committed file changed: every file git tracks has the bytes it had before (autosave did not
  write the executed notebook back, nor the kernel's `language_info`);
- the outputs went where the first output said (`runs/lab/default/`), written during the test.

A second case opens notebook 01 on a parameter file whose `notes` file is hostile (an
`<img onerror>`, a `<script>`, a `javascript:` link, an `<iframe srcdoc>`) and checks that none of
it ran in the Lab page: no global flag set, no dialog, no such element in the page.

Chromium is Debian's package (scripts/install_chromium.sh installs it when missing), driven by
playwright's Python package through `executable_path`; the test is skipped only when neither
can be had.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from chromium import ensure_chromium, launched

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AUTOSAVE = 3  # seconds, instead of JupyterLab's 120
LAB_DIR = ROOT / "runs" / "lab"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"  # screenshots of a failure (git-ignored)

# notebook -> (line typed at the end of its parameters cell, what the run must show, as rendered)
EDITS = {
    "01_bibliography.ipynb": ('lang = "id"', "Label dalam id"),  # the overview speaks the run's language
    "02_screening.ipynb": ("year_min = 2024", "screening.year_min = 2024"),
    "03_coding.ipynb": ('lang = "de"', "Bezeichnungen in de"),
    "04_alignment.ipynb": ("bootstrap_replicates = 0", "alignment.bootstrap.replicates = 0"),
    "05_report.ipynb": ('lang = "id"', "Label dalam id"),
}

HOSTILE_NOTES = """\
## 01 Bibliography

<img src=x onerror="window.__revalign_pwned = 'img'">
<script>window.__revalign_pwned = 'script'</script>
<iframe srcdoc="<script>parent.__revalign_pwned = 'iframe'</script>"></iframe>
[click me](javascript:window.__revalign_pwned='link')
<a href="javascript:window.__revalign_pwned='a'" id="revalign-bad-link">a link</a>
"""


def _tracked_digest() -> dict[str, str]:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    out = {}
    for rel in filter(None, files.decode().split("\0")):
        p = ROOT / rel
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "missing"
    return out


def _status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> Path:
    return ensure_chromium()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` on the project, headless; yields its base URL and token."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("the JupyterLab test compares the files git tracks: needs a git checkout")
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(f'{{"autosave": true, "autosaveInterval": {AUTOSAVE}}}\n')
    # every cell in the page (JupyterLab 4 otherwise renders only the cells in view)
    tracker = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}\n')
    port, token = _free_port(), secrets.token_hex(16)
    args = " ".join(
        [
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--LabApp.user_settings_dir={tmp / 'settings'}",
            f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "REVALIGN_PIPELINE")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
    log = (tmp / "lab.log").open("w")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                os.killpg(proc.pid, 15)
                pytest.fail("JupyterLab did not start: " + (tmp / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield base, token
    os.killpg(proc.pid, 15)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
    log.close()


@pytest.fixture(scope="module")
def browser(chromium):
    with launched(chromium) as b:
        yield b


def _open(browser, base: str, token: str, notebook: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/lab/tree/notebooks/{notebook}?token={token}&reset", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # the kernel is ready when the status shows it idle
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator, .jp-KernelStatus')]"
        ".some(e => /idle/i.test(e.getAttribute('data-status') || e.textContent || ''))",
        timeout=90_000,
    )
    return context, page, dialogs


def _type_into_parameters_cell(page, text: str) -> None:
    cell = page.locator(".jp-Notebook .jp-CodeCell").first  # the parameters cell: the first code cell
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text, delay=10)
    page.keyboard.press("Escape")


PROMPTS = "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent)"


def _run_all(page) -> list[str]:
    """Run > Run All Cells; wait until the cells were queued and none is left running; the prompts."""
    try:
        # a Run All given while the kernel is still connecting is dropped: give it again
        for attempt in range(3):
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            try:
                page.wait_for_function(f"() => ({PROMPTS})().some(t => t.includes('*'))", timeout=20_000, polling=100)
                break
            except Exception:
                if attempt == 2:
                    raise
        page.wait_for_function(f"() => !({PROMPTS})().some(t => t.includes('*'))", timeout=600_000, polling=1000)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-run-all-failed.png"))
        raise
    return page.evaluate(PROMPTS)


def _outputs_text(page) -> str:
    return page.locator(".jp-Notebook .jp-OutputArea").evaluate_all("els => els.map(e => e.textContent).join('\\n')")


def _files_written_since(folder: Path, since: float) -> list[str]:
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since)


@pytest.mark.parametrize("notebook", list(EDITS))
def test_running_a_notebook_in_jupyterlab_changes_no_committed_file(lab, browser, notebook):
    base, token = lab
    shutil.rmtree(LAB_DIR / "default", ignore_errors=True)  # so that what is there afterwards was written now
    before, status = _tracked_digest(), _status()
    started = time.time() - 1
    typed, shown = EDITS[notebook]
    context, page, dialogs = _open(browser, base, token, notebook)
    try:
        _type_into_parameters_cell(page, typed)
        prompts = _run_all(page)
        text = _outputs_text(page)
        assert "Traceback" not in text, text[-3000:]
        assert all(re.search(r"\[\d+\]", p) for p in prompts), prompts  # every cell ran
        assert shown in text, text[:3000]  # the value took effect
        # the first output says where the outputs go ...
        where = re.search(r"Outputs of this interactive run go to (runs/lab/[^/\s`]+)/", text)
        assert where, text[:3000]
        time.sleep(AUTOSAVE * 3)  # past the autosave interval
        # ... and they went there, and nowhere committed
        written = _files_written_since(ROOT / where.group(1), started)
        assert written, f"nothing written to {where.group(1)}"
        assert _tracked_digest() == before
        assert _status() == status
        assert dialogs == []
    finally:
        context.close()
    lab_run = ROOT / where.group(1)
    if notebook == "02_screening.ipynb":  # a window starting in 2024 leaves fewer records included
        import json

        committed = json.loads((ROOT / "data/processed/prisma.json").read_text())
        here = json.loads((lab_run / "processed/prisma.json").read_text())
        assert here["studies_included_in_review"] < committed["studies_included_in_review"]  # PRISMA 2020 keys
    if notebook == "04_alignment.ipynb":  # no bootstrap: no level probabilities (the committed run has them)
        import pandas as pd

        committed = pd.read_csv(ROOT / "data/processed/table1.csv")
        here = pd.read_csv(lab_run / "processed/table1.csv")
        assert list(here["dimension"]) == list(committed["dimension"])
        assert committed["level_probability"].notna().all() and here["level_probability"].isna().all()
    if notebook == "05_report.ipynb":
        assert '<html lang="id"' in (lab_run / "report.html").read_text(encoding="utf-8")


def test_a_hostile_notes_file_runs_nothing_in_jupyterlab(lab, browser, tmp_path):
    base, token = lab
    folder = ROOT / "runs" / "labtest-hostile"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.md").write_text(HOSTILE_NOTES, encoding="utf-8")
    params = (ROOT / "params" / "default.yml").read_text(encoding="utf-8")
    params = re.sub(r"(?m)^notes: .*$", f"notes: {(folder / 'notes.md').relative_to(ROOT)}", params)
    (folder / "hostile.yml").write_text(params, encoding="utf-8")
    before = _tracked_digest()
    context, page, dialogs = _open(browser, base, token, "01_bibliography.ipynb")
    try:
        editor = page.locator(".jp-Notebook .jp-CodeCell").first.locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.type(f'params_file = "{(folder / "hostile.yml").relative_to(ROOT)}"', delay=5)
        page.keyboard.press("Escape")
        _run_all(page)
        text = _outputs_text(page)
        assert "window.__revalign_pwned" in text or "onerror" in text, text[-2000:]  # shown, as text
        for link in page.locator(".jp-OutputArea a").all():
            href = (link.get_attribute("href") or "").strip().lower()
            assert not href.startswith("javascript:"), href
        page.locator(".jp-OutputArea a", has_text="click me").first.click(timeout=2000) if page.locator(
            ".jp-OutputArea a", has_text="click me"
        ).count() else None
        page.wait_for_timeout(1500)
        assert page.evaluate("() => window.__revalign_pwned === undefined"), page.evaluate("window.__revalign_pwned")
        assert page.locator(".jp-OutputArea img[src='x'], .jp-OutputArea script, .jp-OutputArea iframe").count() == 0
        assert dialogs == []
        assert _tracked_digest() == before
    finally:
        context.close()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(LAB_DIR / "hostile", ignore_errors=True)
