"""The report in a real browser: headless Chromium driven over the DevTools protocol.

Builds the report of the hostile fixture run (tests/fixtures/report: titles and
excerpts carrying <script> and <img onerror> payloads), opens it from file://, and
checks that every internal link resolves, that nothing from the input ran (no
dialog, no global flag set by an injected script), that the console shows no
errors, and that the page made no network request. Then it saves a screenshot to
reports/screenshot.png (of the real report when one exists, else the fixture's).

Chromium is Debian's package; scripts/install_chromium.sh installs it when
/usr/bin/chromium is missing. The test is skipped only when that install fails.
"""

from __future__ import annotations

import base64
import json
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
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-port=0", "--window-size=1280,1800",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "install_chromium.sh")], capture_output=True, text=True)
        if proc.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(f"Chromium is not installed and could not be installed: {(proc.stderr or proc.stdout).strip()[-300:]}")
    return CHROMIUM


class CDP:
    """A minimal DevTools-protocol client: one browser, one page target."""

    def __init__(self, binary: Path):
        import websocket  # websocket-client (installed with jupyter)

        self.profile = tempfile.mkdtemp(prefix="revalign-chromium-")
        self.proc = subprocess.Popen(
            [str(binary), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
            self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}}))
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
        e["params"]["request"]["url"] for e in browser.events
        if e.get("method") == "Network.requestWillBeSent" and not e["params"]["request"]["url"].startswith(("file:", "data:"))
    ]
    return {
        "n_links": n_links, "missing": missing, "dialogs": dialogs, "requests": requests,
        "errors": console_errors(browser),
        "pwned": browser.evaluate("typeof window.__pwned !== 'undefined'"),
        "scripts": browser.evaluate("document.scripts.length"),
        "text": browser.evaluate("document.body.innerText"),
    }


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

        # Screenshot: the real report when it exists (checked the same way), else the fixture's.
        real = ROOT / "reports" / "report.html"
        shot_of = fixture_report
        if real.exists():
            browser.events.clear()
            real_result = check_page(browser, real)
            assert real_result["missing"] == [], f"real report: links without a target: {real_result['missing']}"
            assert real_result["errors"] == [] and real_result["dialogs"] == [] and real_result["requests"] == []
            shot_of = real
        else:
            browser.events.clear()
            open_page(browser, fixture_report)
        browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=1800, deviceScaleFactor=1, mobile=False)
        shot = browser.send("Page.captureScreenshot", format="png")
        out = ROOT / "reports" / "screenshot.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
        assert out.stat().st_size > 10_000, f"screenshot of {shot_of.name} looks empty"
    finally:
        browser.close()
