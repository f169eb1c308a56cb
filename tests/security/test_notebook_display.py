"""Text from inputs shown in notebooks never becomes HTML that runs.

Attack (issue 23, the worst): every notebook showed the notes file as raw Markdown. A notes file
with ``<img src=x onerror=...>`` ran JavaScript in JupyterLab's own page (it wrote a file through
the Jupyter server API) and in a ``jupyter nbconvert --to html`` export. The run overview at the
top of each notebook put paths from the parameter file inside backticks, so a path holding a
backtick could close the code span and open raw HTML.

The promise: notes are rendered by a Markdown renderer with raw HTML escaped and links only to
http(s), mailto or relative addresses, then sanitised, and shown as HTML built by revalign
(never as text/markdown that a renderer would pass raw HTML through); every other text from an
input is escaped.

The unit tests capture what the notebooks display and render any Markdown as nbconvert does
(mistune, raw HTML passed through: the stricter renderer). The end-to-end test runs a hostile
review through ``make report``, exports each executed notebook with ``jupyter nbconvert --to
html``, opens it in headless Chromium and checks that nothing ran.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import ROOT, markdown_as_html, scaffold_project, set_param, unsafe_html

from chromium import ensure_chromium, launched

# Every way we know to get script into a page through Markdown or HTML. Each payload sets
# window.__pwned to its own name, so a failure says which one ran.
PAYLOADS = [
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<script>window.__pwned='script'</script>",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<details open ontoggle=\"window.__pwned='details'\">x</details>",
    "<a href=\"javascript:window.__pwned='a-href'\">a</a>",
    "[link](javascript:window.__pwned='md-link')",
    "[tab link](java\tscript:window.__pwned='md-tab-link')",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](x\" onerror=\"window.__pwned='img-attr')",
    "![remote](https://tracker.example/pixel.png)",
    "<javascript:window.__pwned='autolink'>",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mxss'\">",
    "&lt;img src=x onerror=\"window.__pwned='entity'\"&gt;",
]

NOTES = "\n\n".join(
    [
        "Intro before any section " + PAYLOADS[0],
        *[f"## {stage:02d} Stage {stage} {PAYLOADS[stage % len(PAYLOADS)]}\n\n" + "\n\n".join(PAYLOADS)
          for stage in range(1, 6)],
        "Fine links: [protocol](docs/protocol.md), [site](https://example.org/), <https://example.org/a>.",
    ]
)  # fmt: skip


@pytest.fixture
def proj(tmp_path, monkeypatch):
    monkeypatch.delenv("REVALIGN_ALLOW_INPUTS_FROM", raising=False)
    proj = scaffold_project(tmp_path)
    (proj / "data/raw/mine/notes.md").write_text(NOTES, encoding="utf-8")
    set_param(proj / "params/mine.yml", "notes", "data/raw/mine/notes.md")
    return proj


def _displayed(func, *args) -> list[dict]:
    """The mime bundles *func* displays, as a notebook would store them."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as cap:
        func(*args)
    return [o.data for o in cap.outputs]


def _problems(bundles: list[dict]) -> list[str]:
    found = []
    for data in bundles:
        data = {k: "".join(v) if isinstance(v, list) else v for k, v in data.items()}  # as nbformat stores it
        if "text/html" in data:
            found += unsafe_html(data["text/html"])
        elif "text/markdown" in data:
            found += unsafe_html(markdown_as_html(data["text/markdown"]))
    return found


@pytest.mark.parametrize("stage", ["01", "02", "03", "04", "05"])
def test_hostile_notes_are_inert(proj, stage):
    from revalign.core import config
    from revalign.project.notes import show_notes

    cfg = config.load("params/mine.yml", root=proj)
    bundles = _displayed(show_notes, cfg, stage)
    assert bundles, "the notes of every stage are shown"
    assert _problems(bundles) == []
    # what is shown is the text itself: the payloads are readable, not dropped
    assert "__pwned" in bundles[0].get("text/html", "")


def test_notes_keep_safe_links_and_drop_the_others(proj):
    from revalign.core import config
    from revalign.project.notes import show_notes

    cfg = config.load("params/mine.yml", root=proj)
    html = _displayed(show_notes, cfg, "05")[0]["text/html"]  # the fine links close section 05
    assert 'href="docs/protocol.md"' in html and 'href="https://example.org/"' in html
    for bad in ('href="javascript', 'href="data:', 'href="java\tscript', "<img", "<svg", "<script"):
        assert bad not in html, bad


def test_hostile_run_overview_is_inert(proj):
    """Labels, titles and paths from the parameter file and codebook, shown at the top of
    every notebook."""
    from revalign.core import config
    from revalign.project.describe import run_overview

    cb = proj / "data/raw/mine/codebook.yml"
    text = cb.read_text(encoding="utf-8")
    text = text.replace(
        "name: My framework (replace with the framework's name)",
        'name: "My <img src=x onerror=\\"window.__pwned=\'fw\'\\"> framework"',
    )
    text = text.replace("label: {en: Dimension one}", "label: {en: \"<script>window.__pwned='label'</script>\"}")
    cb.write_text(text, encoding="utf-8")
    set_param(proj / "params/mine.yml", "title", "Review <img src=x onerror=\"window.__pwned='title'\">")
    # a path may hold a backtick: it must not close a code span and open raw HTML
    set_param(proj / "params/mine.yml", "segments", "data/raw/mine/x`<img src=x onerror=alert(1)>`.csv")
    set_param(proj / "params/mine.yml", "published_table", "data/raw/mine/``<svg onload=alert(2)>``.csv")
    # a blank line in a path would end the paragraph, and a code span with it
    set_param(proj / "params/mine.yml", "bibliography", ["data/raw/mine/x\n\n<img src=x onerror=alert(3)>.bib"])
    cfg = config.load("params/mine.yml", root=proj)
    md = run_overview(cfg)
    assert unsafe_html(markdown_as_html(md)) == []


# ---- end to end: a real run, exported with nbconvert, opened in Chromium --------------------------
RUN = "sechostile"
ACTIVE_JS = """() => Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes)
  .some(a => a.name.startsWith('on'))).length
  + document.querySelectorAll('iframe, object, embed, a[href^="javascript"], a[href^="data:"]').length"""


def _assert_inert(browser, page_file: Path) -> None:
    """Open an nbconvert export from file:// and check that no payload ran and none is active."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(1000)  # let broken images fire their error events
        ran = page.evaluate("() => typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
        active = page.evaluate(ACTIVE_JS)
        text = page.evaluate("() => document.body.innerText")
    finally:
        context.close()
    assert ran is None, f"{page_file.name}: payload {ran!r} ran"
    assert not dialogs, f"{page_file.name}: a dialog opened: {dialogs}"
    assert active == 0, f"{page_file.name}: {active} elements with event handlers or active content"
    # the notes were shown, as text
    assert "window.__pwned='svg'" in text, f"{page_file.name}: the notes are not shown as text"


def _hostile_inputs(folder: Path, tmp_path: Path) -> Path:
    """A whole hostile review in *folder* (inside the project): the scaffold's material with
    HTML payloads in the notes, a bibliography title, an excerpt, the framework's name and a
    label, and the parameter file's title."""
    proj = scaffold_project(tmp_path, RUN)
    src = proj / "data" / "raw" / RUN
    shutil.copytree(src, folder)
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
    bib = folder / "bibliography" / "example.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(
            "An example study of the first dimension",
            "An example study <img src=x onerror=\"window.__pwned='title'\"> of the first dimension",
        ),
        encoding="utf-8",
    )
    seg = folder / "segments.csv"
    seg.write_text(
        seg.read_text(encoding="utf-8").replace(
            "Example row (replace): a short paraphrase of what the source says about dimension one.",
            '"Example <script>window.__pwned=\'excerpt\'</script> <img src=x onerror=""window.__pwned=\'ex2\'"">"',
            1,
        ),
        encoding="utf-8",
    )
    cb = folder / "codebook.yml"
    cb.write_text(
        cb.read_text(encoding="utf-8")
        .replace(
            "name: My framework (replace with the framework's name)",
            'name: "My <img src=x onerror=\\"window.__pwned=\'fw\'\\"> framework"',
        )
        .replace("label: {en: Dimension one}", "label: {en: \"<script>window.__pwned='label'</script> one\"}"),
        encoding="utf-8",
    )
    rel = folder.relative_to(ROOT)
    params = folder / f"{RUN}.yml"
    params.write_text(
        "\n".join(
            [
                'title: "Hostile <img src=x onerror=\\"window.__pwned=\'params-title\'\\"> review"',
                f"bibliography: [{rel}/bibliography/example.bib]",
                f"codebook: {rel}/codebook.yml",
                f"segments: {rel}/segments.csv",
                f"notes: {rel}/notes.md",
                "screening: {year_min: 2015, year_max: 2025}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return params


@pytest.fixture(scope="module")
def chromium() -> Path:
    return ensure_chromium()


@pytest.mark.e2e
@pytest.mark.browser
def test_hostile_review_in_nbconvert_export_runs_nothing(chromium, tmp_path):
    run_dir = ROOT / "runs" / RUN
    shutil.rmtree(run_dir, ignore_errors=True)
    try:
        params = _hostile_inputs(run_dir / "input", tmp_path)
        r = subprocess.run(
            ["make", "--no-print-directory", "report", f"PARAMS={params.relative_to(ROOT)}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
        notebooks = sorted((run_dir / "notebooks").glob("0*.ipynb"))
        assert len(notebooks) == 5

        # 1. the nbconvert export in a real browser
        html_dir = tmp_path / "html"
        jupyter = Path(sys.executable).with_name("jupyter")
        for nb in notebooks:
            c = subprocess.run(
                [str(jupyter), "nbconvert", "--to", "html", str(nb), "--output-dir", str(html_dir)],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert c.returncode == 0, c.stderr[-2000:]
        with launched(chromium) as browser:
            for page_file in sorted(html_dir.glob("*.html")):
                _assert_inert(browser, page_file)

        # 2. what the executed notebooks store: no output a renderer would turn into active HTML
        for nb in notebooks:
            for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
                for out in cell.get("outputs", []):
                    bad = _problems([out.get("data", {})])
                    assert not bad, f"{nb.name} cell {cell.get('id')}: {bad}"
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
