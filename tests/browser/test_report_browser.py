"""The report in a real browser: headless Chromium driven over the DevTools protocol.

Builds the report of the hostile fixture run (tests/fixtures/report: titles and
excerpts carrying <script> and <img onerror> payloads), opens it from file://, and
checks that every internal link resolves, that nothing from the input ran (no
dialog, no global flag set by an injected script), that the console shows no
errors, and that the page made no network request. Then, on the fixture's report and
on the real report (reports/report.html, when it exists), it checks the page as a reader
sees it at 1280 px: Table 1 fits the text column, no two boxes of text overlap, and the
visible text has no raw dotted keys (``a.b.c``, ``x[3].y``), no Python ``True``/``False``/
``None``/``NaN`` and no raw level or component ids. Screenshots of the top of the page and
of each section are kept as test artefacts in tests/browser/artifacts/ (git-ignored).

Chromium is Debian's package; scripts/install_chromium.sh installs it when
/usr/bin/chromium is missing. The test is skipped only when that install fails.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from revalign.core import config
from revalign.report.build import build_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "report"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
    "--window-size=1280,1800",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "install_chromium.sh")], capture_output=True, text=True)
        if proc.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(
                f"Chromium is not installed and could not be installed: {(proc.stderr or proc.stdout).strip()[-300:]}"
            )
    return CHROMIUM


class CDP:
    """A minimal DevTools-protocol client: one browser, one page target."""

    def __init__(self, binary: Path):
        import websocket  # websocket-client (installed with jupyter)

        self.profile = tempfile.mkdtemp(prefix="revalign-chromium-")
        self.proc = subprocess.Popen(
            [str(binary), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        import urllib.request

        deadline = time.monotonic() + 10
        while True:  # the page target may appear a moment after the port
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as resp:
                targets = [t for t in json.load(resp) if t.get("type") == "page"]
            if targets or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params):
        self.next_id += 1
        msg_id = self.next_id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = self._recv()
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def _recv(self) -> dict:
        msg = json.loads(self.ws.recv())
        if "method" in msg:
            self.events.append(msg)
        if msg.get("method") == "Page.javascriptDialogOpening":  # record it, never leave it blocking
            self.next_id += 1
            self.ws.send(
                json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}})
            )
        return msg

    def wait_for(self, method: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.ws.settimeout(max(deadline - time.monotonic(), 0.1))
            self._recv()
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def close(self):
        try:
            if getattr(self, "ws", None):
                self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


def open_page(browser: CDP, path: Path) -> None:
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable")
    browser.send("Page.navigate", url=path.resolve().as_uri())
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("1")  # drain events queued during load


def console_errors(browser: CDP) -> list[str]:
    errors = []
    for e in browser.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append(json.dumps(p.get("args")))
        elif m == "Runtime.exceptionThrown":
            errors.append(json.dumps(p.get("exceptionDetails")))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            errors.append(p["entry"].get("text", ""))
    return errors


MISSING_TARGETS_JS = """
Array.from(document.querySelectorAll('a[href^="#"]'))
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
  .filter(id => !document.getElementById(id))
"""


def check_page(browser: CDP, path: Path) -> dict:
    open_page(browser, path)
    n_links = browser.evaluate("document.querySelectorAll('a[href^=\"#\"]').length")
    missing = browser.evaluate(MISSING_TARGETS_JS)
    dialogs = [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
        and not e["params"]["request"]["url"].startswith(("file:", "data:"))
    ]
    return {
        "n_links": n_links,
        "missing": missing,
        "dialogs": dialogs,
        "requests": requests,
        "errors": console_errors(browser),
        "pwned": browser.evaluate("typeof window.__pwned !== 'undefined'"),
        "scripts": browser.evaluate("document.scripts.length"),
        "text": browser.evaluate("document.body.innerText"),
    }


LAYOUT_JS = r"""
(() => {
  const out = {};
  const t1 = document.querySelector('table.table1');
  const col = document.querySelector('#table1');
  if (t1 && col) {
    const cs = getComputedStyle(col);
    const c = col.getBoundingClientRect();
    const right = c.right - parseFloat(cs.paddingRight);
    out.table1 = {right: t1.getBoundingClientRect().right, column_right: right,
                  scroll: t1.scrollWidth, client: t1.clientWidth};
  }
  // one rectangle per line of every visible text node
  const rects = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node, id = 0;
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;  // text folded away (closed <details>) is not seen
    if (!el || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    id += 1;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      rects.push({id, x0: r.left, y0: r.top + window.scrollY, x1: r.right, y1: r.bottom + window.scrollY,
                  text: node.textContent.trim().slice(0, 40)});
    }
  }
  rects.sort((a, b) => a.y0 - b.y0);
  const overlaps = [];
  for (let i = 0; i < rects.length; i++) {
    const a = rects[i];
    for (let j = i + 1; j < rects.length && rects[j].y0 < a.y1; j++) {
      const b = rects[j];
      if (a.id === b.id) continue;
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w > 2 && h > 3) overlaps.push([a.text, b.text, Math.round(w), Math.round(h)]);
    }
  }
  out.n_text_boxes = rects.length;
  out.overlaps = overlaps.slice(0, 20);
  out.height = document.documentElement.scrollHeight;
  return out;
})()
"""

# Raw data leaking into the prose a reader sees (URLs and DOIs removed first: they contain dots).
DOTTED_KEY = re.compile(
    r"(?<![\w/@.-])[A-Za-z_]\w*(?:\[\d+\])?(?:\.[A-Za-z_]\w*(?:\[\d+\])?){2,}(?![\w/-])|\b\w+\[\d+\]\.\w+"
)
PY_LITERAL = re.compile(r"\b(True|False|None|NaN|nan)\b")
URL = re.compile(r"(https?://|www\.|doi\.org/)\S+|\b10\.\d{4,}/\S+")


def raw_ids(cfg) -> list[str]:
    """Level and component ids of the run that a reader should never see as such
    (ids that are not a word of some label, e.g. ``gap_identified``)."""
    from revalign.core.codebook import load_codebook

    cb = load_codebook(cfg.path(cfg.params.codebook))
    labels = " ".join(
        cb.label(kind, i, lang).casefold()
        for kind, ids in (("levels", [lv.id for lv in cb.levels]), ("component", cb.component_ids))
        for i in ids
        for lang in ("en",)
    )
    return [i for i in [lv.id for lv in cb.levels] + list(cb.component_ids) if "_" in i or i.casefold() not in labels]


def reader_problems(text: str, ids: list[str]) -> dict:
    visible = URL.sub(" ", text)
    return {
        "dotted_keys": sorted(set(DOTTED_KEY.findall(visible)))[:20],
        "python_literals": sorted(set(PY_LITERAL.findall(visible))),
        "raw_ids": sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", visible)),
    }


def test_reader_checks_can_fail():
    # hand-made text with each kind of leak; and a clean sentence with a URL, a DOI and "e.g."
    bad = "per_dimension[3].kappa removed_before_screening.duplicates True NaN gap_identified"
    found = reader_problems(bad, ["gap_identified"])
    assert (
        found["dotted_keys"] == ["per_dimension[3].kappa", "removed_before_screening.duplicates"]
        or "per_dimension[3].kappa" in found["dotted_keys"]
    )
    assert found["python_literals"] == ["NaN", "True"] and found["raw_ids"] == ["gap_identified"]
    clean = "See https://www.aect.org/aect/about and 10.1007/s11423-024-10367-9, e.g. the report."
    assert reader_problems(clean, []) == {"dotted_keys": [], "python_literals": [], "raw_ids": []}


def check_layout(browser: CDP, path: Path, ids: list[str]) -> dict:
    """Open *path* at 1280 px and return the layout and text problems a reader would see."""
    browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=1800, deviceScaleFactor=1, mobile=False)
    open_page(browser, path)
    layout = browser.evaluate(LAYOUT_JS)
    text = browser.evaluate("document.body.innerText")
    return {"layout": layout, **reader_problems(text, ids)}


def assert_reads_well(result: dict, name: str) -> None:
    lay = result["layout"]
    assert "table1" in lay, f"{name}: no Table 1"
    t1 = lay["table1"]
    assert t1["right"] <= t1["column_right"] + 1, (
        f"{name}: Table 1 ends {t1['right'] - t1['column_right']:.0f} px past its column"
    )
    assert t1["scroll"] <= t1["client"] + 1, f"{name}: Table 1 content overflows its box"
    assert lay["n_text_boxes"] > 50
    assert lay["overlaps"] == [], f"{name}: text boxes overlap: {lay['overlaps']}"
    assert result["dotted_keys"] == [], f"{name}: raw dotted keys in the visible text: {result['dotted_keys']}"
    assert result["python_literals"] == [], f"{name}: Python literals in the visible text: {result['python_literals']}"
    assert result["raw_ids"] == [], f"{name}: raw ids in the visible text: {result['raw_ids']}"


SECTIONS = ["summary", "method", "prisma", "table1", "evidence", "figures", "sensitivity", "agreement", "references"]


def screenshots(browser: CDP, prefix: str) -> list[Path]:
    """The top of the page and the first 1800 px of each section, as PNG artefacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = []
    tops = browser.evaluate(
        "Object.fromEntries(" + json.dumps(SECTIONS) + ".map(id => [id, document.getElementById(id)])"
        ".filter(([, el]) => el).map(([id, el]) => [id, el.getBoundingClientRect().top + window.scrollY]))"
    )
    for name, top in [("top", 0), *tops.items()]:
        clip = {"x": 0, "y": max(0, top - 10), "width": 1280, "height": 1800, "scale": 1}
        shot = browser.send("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)
        out = ARTIFACTS / f"{prefix}-{name}.png"
        out.write_bytes(base64.b64decode(shot["data"]))
        shots.append(out)
    return shots


@pytest.fixture()
def fixture_report(tmp_path) -> Path:
    root = tmp_path / "run"
    shutil.copytree(FIXTURE, root)
    (root / "pyproject.toml").write_text("")
    cfg = config.load("params/default.yml", root=root)
    return build_report(cfg).path


def test_hostile_report_in_chromium(chromium, fixture_report):
    browser = CDP(chromium)
    try:
        result = check_page(browser, fixture_report)
        assert result["n_links"] > 20  # Table 1, evidence and reference links are there
        assert result["missing"] == [], f"internal links without a target: {result['missing']}"
        assert result["dialogs"] == [], "an input's onerror/alert ran"
        assert result["pwned"] is False, "a <script> from input text ran"
        assert result["scripts"] == 0
        assert result["errors"] == [], f"console errors: {result['errors']}"
        assert result["requests"] == [], f"the page requested: {result['requests']}"
        # The payloads are visible as text.
        assert "<script>window.__pwned=1</script>" in result["text"]
        assert "<img src=x onerror=alert(1)>" in result["text"]

        # As a reader sees it: the fixture's report, then the real one when it exists.
        cfg = config.load("params/default.yml", root=fixture_report.parents[1])
        result = check_layout(browser, fixture_report, raw_ids(cfg))
        assert_reads_well(result, "fixture report")
        assert len(screenshots(browser, "fixture")) >= 5
        real = ROOT / "reports" / "report.html"
        if real.exists():
            browser.events.clear()
            real_result = check_page(browser, real)
            assert real_result["missing"] == [], f"real report: links without a target: {real_result['missing']}"
            assert real_result["errors"] == [] and real_result["dialogs"] == [] and real_result["requests"] == []
            result = check_layout(browser, real, raw_ids(config.load("params/default.yml")))
            assert_reads_well(result, "real report")
            shots = screenshots(browser, "report")
            assert all(p.stat().st_size > 10_000 for p in shots), "a screenshot of the real report looks empty"
            check_print(browser, "report")
            assert real.stat().st_size <= 1_500_000, f"the report is {real.stat().st_size} bytes (> 1.5 MB)"
    finally:
        browser.close()


PRINT_JS = """(() => {
  const folded = document.querySelector('details li');
  return {toc: document.querySelector('nav.toc').checkVisibility(),
          folded: folded ? folded.checkVisibility() : true};
})()"""


def check_print(browser: CDP, prefix: str) -> None:
    """The print stylesheet: no navigation box, folded evidence lists unfolded; the PDF is kept."""
    browser.send("Emulation.setEmulatedMedia", media="print")
    try:
        seen = browser.evaluate(PRINT_JS)
        assert seen == {"toc": False, "folded": True}, f"print view: {seen}"
        shot = browser.send(
            "Page.captureScreenshot",
            format="png",
            clip={"x": 0, "y": 0, "width": 1280, "height": 1800, "scale": 1},
            captureBeyondViewport=True,
        )
        (ARTIFACTS / f"{prefix}-print-top.png").write_bytes(base64.b64decode(shot["data"]))
        pdf = base64.b64decode(browser.send("Page.printToPDF", printBackground=True, preferCSSPageSize=True)["data"])
        (ARTIFACTS / f"{prefix}.pdf").write_bytes(pdf)
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") > 2
    finally:
        browser.send("Emulation.setEmulatedMedia", media="")


def test_layout_checks_can_fail(chromium, tmp_path):
    # a hand-made page with the two faults: a Table 1 wider than its 600 px column, and a
    # tag drawn over a word of a reference (the fault seen in an earlier report)
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body style="width:600px;margin:0 auto">'
        '<section id="table1"><table class="table1" style="width:760px"><tr><td>wide</td></tr></table></section>'
        '<p style="position:relative">Reference text here<span style="position:absolute;left:0;top:0">tag over it</span></p>'
        "<p>" + "filler words " * 60 + "</p></body></html>",
        encoding="utf-8",
    )
    browser = CDP(chromium)
    try:
        result = check_layout(browser, page, [])
    finally:
        browser.close()
    t1 = result["layout"]["table1"]
    assert t1["right"] - t1["column_right"] == pytest.approx(160, abs=2)  # 760 - 600, worked by hand
    assert any("tag over it" in pair for pair in map(tuple, result["layout"]["overlaps"]))
    with pytest.raises(AssertionError):
        assert_reads_well(result, "bad page")
