"""The report in a real browser: Debian's Chromium driven by Playwright.

Two pages: the report of the hostile fixture run (tests/fixtures/report: titles and excerpts
carrying <script> and <img onerror> payloads), and the real report of the default run
(reports/report.html, which `make test` builds first; those tests are skipped without it).

- Safety: every internal link resolves, nothing from the input ran (no dialog, no global flag set
  by an injected script), the console shows no error and the page requests nothing.
- At 1280 px: Table 1 fits the text column, no two boxes of text overlap, the visible text has no
  raw dotted keys, Python literals or raw level/component ids.
- The first screen (1280 x 800) answers: the question, then one line per Table 1 dimension with its
  level and how sure (probability, confidence), and for a level that differs from the published
  table the published level and a reason; Table 1 starts within the first two screens.
- The counts reconcile: the line "from works to claims" gives the PRISMA counts of prisma.json, the
  cited works and the claims worked out here from the segments and the screening decisions; every
  count of Table 1 equals the claim count of the evidence heading it links to.
- At 390 px (a phone): the page is no wider than the screen; a table wider than the screen scrolls
  in its own box; a figure keeps the size at which its text reads and scrolls in its own box.

Screenshots and a PDF are kept in tests/browser/artifacts/ (git-ignored). Chromium is Debian's
package (scripts/install_chromium.sh installs it when /usr/bin/chromium is missing); Playwright
drives it through ``executable_path`` and never downloads a browser of its own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from chromium import launched
from revalign.core import config
from revalign.report.build import build_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "report"
REAL = ROOT / "reports" / "report.html"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    with launched() as b:
        yield b


class Page:
    """One page opened from file:// with what it did: console errors, dialogs, requests."""

    def __init__(self, browser, path: Path, viewport: dict, mobile: bool = False):
        self.context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.resolve().as_uri(), wait_until="load")

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def fixture_report(tmp_path) -> Path:
    root = tmp_path / "run"
    shutil.copytree(FIXTURE, root)
    (root / "pyproject.toml").write_text("")
    return build_report(config.load("params/default.yml", root=root)).path


@pytest.fixture()
def real_report() -> Path:
    if not REAL.exists():
        pytest.skip("reports/report.html does not exist (make report writes it; make test runs it first)")
    return REAL


# ---- safety --------------------------------------------------------------------------------------

MISSING_TARGETS_JS = """() => Array.from(document.querySelectorAll('a[href^="#"]'))
  .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
  .filter(id => !document.getElementById(id))"""


def test_hostile_report_in_chromium(browser, fixture_report):
    pg = Page(browser, fixture_report, DESKTOP)
    try:
        assert pg.js("() => document.querySelectorAll('a[href^=\"#\"]').length") > 20
        assert pg.js(MISSING_TARGETS_JS) == []
        assert pg.dialogs == [], "an input's onerror/alert ran"
        assert pg.js("() => typeof window.__pwned !== 'undefined'") is False, "a <script> from input text ran"
        assert pg.js("() => document.scripts.length") == 0
        assert pg.errors == [], f"console errors: {pg.errors}"
        assert [u for u in pg.requests if not u.startswith(("file:", "data:"))] == []
        text = pg.js("() => document.body.innerText")
        assert "<script>window.__pwned=1</script>" in text and "<img src=x onerror=alert(1)>" in text
    finally:
        pg.close()


def test_real_report_links_and_requests(browser, real_report):
    pg = Page(browser, real_report, DESKTOP)
    try:
        assert pg.js(MISSING_TARGETS_JS) == []
        assert pg.errors == [] and pg.dialogs == []
        assert [u for u in pg.requests if not u.startswith(("file:", "data:"))] == []
        assert real_report.stat().st_size <= 1_500_000, f"the report is {real_report.stat().st_size} bytes"
    finally:
        pg.close()


# ---- as a reader sees it at 1280 px ------------------------------------------------------------------

LAYOUT_JS = r"""() => {
  const out = {};
  const t1 = document.querySelector('table.table1');
  const col = document.querySelector('#table1');
  if (t1 && col) {
    const cs = getComputedStyle(col);
    const c = col.getBoundingClientRect();
    out.table1 = {right: t1.getBoundingClientRect().right, column_right: c.right - parseFloat(cs.paddingRight),
                  top: t1.getBoundingClientRect().top + window.scrollY};
  }
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
  return out;
}"""

# Raw data leaking into the prose a reader sees (URLs and DOIs removed first: they contain dots).
DOTTED_KEY = re.compile(
    r"(?<![\w/@.-])[A-Za-z_]\w*(?:\[\d+\])?(?:\.[A-Za-z_]\w*(?:\[\d+\])?){2,}(?![\w/-])|\b\w+\[\d+\]\.\w+"
)
PY_LITERAL = re.compile(r"\b(True|False|None|NaN|nan)\b")
URL = re.compile(r"(https?://|www\.|doi\.org/)\S+|\b10\.\d{4,}/\S+")


def raw_ids(cfg) -> list[str]:
    """Level and component ids that a reader should never see as such (not a word of some label)."""
    from revalign.core.codebook import load_codebook

    cb = load_codebook(cfg.path(cfg.params.codebook))
    kinds = (("levels", [lv.id for lv in cb.levels]), ("component", cb.component_ids))
    labels = " ".join(cb.label(kind, i, "en").casefold() for kind, ids in kinds for i in ids)
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
    assert "per_dimension[3].kappa" in found["dotted_keys"]
    assert found["python_literals"] == ["NaN", "True"] and found["raw_ids"] == ["gap_identified"]
    clean = "See https://www.aect.org/aect/about and 10.1007/s11423-024-10367-9, e.g. the report."
    assert reader_problems(clean, []) == {"dotted_keys": [], "python_literals": [], "raw_ids": []}


def reads_well(pg: Page, ids: list[str]) -> dict:
    return {"layout": pg.js(LAYOUT_JS), **reader_problems(pg.js("() => document.body.innerText"), ids)}


def assert_reads_well(result: dict, name: str) -> None:
    lay = result["layout"]
    assert "table1" in lay, f"{name}: no Table 1"
    t1 = lay["table1"]
    assert t1["right"] <= t1["column_right"] + 1, (
        f"{name}: Table 1 ends {t1['right'] - t1['column_right']:.0f} px past its column"
    )
    assert lay["n_text_boxes"] > 50
    assert lay["overlaps"] == [], f"{name}: text boxes overlap: {lay['overlaps']}"
    for key in ("dotted_keys", "python_literals", "raw_ids"):
        assert result[key] == [], f"{name}: {key} in the visible text: {result[key]}"


SECTIONS = ["summary", "table1", "evidence", "figures", "method", "sensitivity", "agreement", "references"]


def screenshots(pg: Page, prefix: str) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = [ARTIFACTS / f"{prefix}-top.png"]
    pg.page.screenshot(path=shots[0])
    for sid in SECTIONS:
        el = pg.page.query_selector(f"#{sid}")
        if el:
            el.scroll_into_view_if_needed()
            out = ARTIFACTS / f"{prefix}-{sid}.png"
            pg.page.screenshot(path=out)
            shots.append(out)
    return shots


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_reads_well_at_1280(browser, request, which):
    path = request.getfixturevalue("fixture_report" if which == "fixture" else "real_report")
    cfg = config.load("params/default.yml", root=path.parents[1] if which == "fixture" else ROOT)
    pg = Page(browser, path, DESKTOP)
    try:
        assert_reads_well(reads_well(pg, raw_ids(cfg)), which)
        assert len(screenshots(pg, which)) >= 6
    finally:
        pg.close()


# ---- the first screen answers ----------------------------------------------------------------------

FIRST_SCREEN_JS = r"""() => {
  const box = el => { const r = el.getBoundingClientRect(); return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY}; };
  const q = document.querySelector('#summary .question');
  return {
    question: q ? {text: q.innerText, ...box(q)} : null,
    answers: Array.from(document.querySelectorAll('ul.answers > li')).map(li => ({
      dimension: li.dataset.dimension, text: li.innerText, ...box(li),
      differs: li.querySelector('.differs') ? li.querySelector('.differs').innerText : null})),
    table1_top: box(document.querySelector('#table1')).top,
  };
}"""


def test_first_screen_answers_with_how_sure_and_why(browser, real_report):
    from revalign.core.codebook import load_codebook

    cfg = config.load("params/default.yml")
    cb = load_codebook(cfg.path(cfg.params.codebook))
    t1 = pd.read_csv(cfg.processed_dir / "table1.csv", dtype=str, keep_default_na=False)
    pg = Page(browser, real_report, DESKTOP)
    try:
        seen = pg.js(FIRST_SCREEN_JS)
        pg.page.screenshot(path=ARTIFACTS / "real-first-screen.png")
    finally:
        pg.close()
    screen = DESKTOP["height"]
    assert seen["question"] and seen["question"]["bottom"] <= screen
    assert cb.framework.name in seen["question"]["text"]
    assert [a["dimension"] for a in seen["answers"]] == list(t1["dimension"])
    for a, row in zip(seen["answers"], t1.to_dict(orient="records"), strict=True):
        assert a["bottom"] <= screen, f"{row['dimension']}: its answer is below the first screen"
        level = next(lv for lv in cb.levels if lv.id == row["level"])
        assert level.label.text("en") in a["text"]
        if row.get("level_probability"):  # e.g. 0.96 -> "96% of resamples ... given this coding and rule"
            share = f"{round(float(row['level_probability']) * 100)}% of resamples of the cited sources"
            assert share in a["text"] and "given this coding and rule" in a["text"]
        if row.get("confidence"):
            assert f"(GRADE-CERQual): {row['confidence']}" in a["text"]
        if row.get("matches_published") == "False":
            published = next(lv for lv in cb.levels if lv.id == row["published_level"]).label.text("en")
            assert a["differs"] and published in a["differs"]
            assert "Why they differ:" in a["differs"] or "records no reason" in a["differs"]
        else:
            assert a["differs"] is None
    assert seen["table1_top"] < 2 * screen, f"Table 1 starts at {seen['table1_top']:.0f} px"


# ---- the counts reconcile ------------------------------------------------------------------------

COUNTS_JS = r"""() => ({
  steps: Object.fromEntries(Array.from(document.querySelectorAll('#counts [data-count]'))
    .map(el => [el.dataset.count, {n: Number(el.dataset.n), text: el.innerText}])),
  n_lines: document.querySelectorAll('#counts').length,
  links: Array.from(document.querySelectorAll('table.table1 a[data-role]')).map(a => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    return {href: a.getAttribute('href'), n: a.innerText, claims: target ? target.dataset.claims : null};
  }),
})"""


def test_counts_reconcile_from_works_to_claims(browser, real_report):
    cfg = config.load("params/default.yml")
    prisma = json.loads((cfg.processed_dir / "prisma.json").read_text(encoding="utf-8"))
    screening = pd.read_csv(cfg.processed_dir / "screening.csv", dtype=str, keep_default_na=False)
    segments = pd.read_csv(cfg.path(cfg.params.segments), dtype=str, keep_default_na=False)
    pg = Page(browser, real_report, DESKTOP)
    try:
        seen = pg.js(COUNTS_JS)
    finally:
        pg.close()
    assert seen["n_lines"] == 1
    n = {k: v["n"] for k, v in seen["steps"].items()}
    assert list(n) == ["identified", "screened", "included", "cited", "claims"]
    # the PRISMA 2020 counts of both arms (databases and registers, other methods), and the differences
    # between the steps add up: records of other methods are not screened, their studies are included
    db, om = prisma["databases_and_registers"], prisma["other_methods"]
    assert n["identified"] == db["records_identified_total"] + om["records_identified_total"]
    removed = db["records_removed_before_screening_total"]
    assert n["identified"] - removed - om["records_identified_total"] == n["screened"] == db["records_screened"]
    lost = db["records_excluded_total"] + db["reports_not_retrieved"] + db["reports_excluded_total"]
    assert n["screened"] - lost + om["studies_included"] == n["included"] == prisma["studies_included_in_review"]
    # cited works and claims worked out here from the segments: the review's own key is its synthesis
    cited_rows = segments[segments["ref_key"] != cfg.params.alignment.synthesis_key]
    cited = set(cited_rows["ref_key"])
    included = set(screening.loc[screening["decision"] == "include", "record_id"])
    assert n["cited"] == len(cited)
    assert n["claims"] == cited_rows["claim_id"].nunique()
    uncited, outside = len(included - cited), len(cited - included)
    assert n["included"] - uncited + outside == n["cited"]  # the note on "cited" says both
    if uncited:
        assert f"{uncited} included work" in seen["steps"]["cited"]["text"]
    if outside:
        assert f"{outside} cited work" in seen["steps"]["cited"]["text"]
    # every count of Table 1 equals the claims of the evidence heading it links to
    assert len(seen["links"]) == 2 * len(pd.read_csv(cfg.processed_dir / "table1.csv"))
    for link in seen["links"]:
        assert link["claims"] is not None, f"{link['href']}: no target"
        assert link["n"] == link["claims"], f"{link['href']}: Table 1 says {link['n']}, the list {link['claims']}"


# ---- a phone ---------------------------------------------------------------------------------------

PHONE_JS = r"""() => {
  const vw = document.documentElement.clientWidth;
  const scrollBox = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return p; } return null; };
  const tables = Array.from(document.querySelectorAll('table')).filter(t => t.checkVisibility()).map(t => {
    const r = t.getBoundingClientRect(); const box = scrollBox(t);
    const b = box ? box.getBoundingClientRect() : null;
    return {cls: t.className, right: r.right, in_box: !!box, box_right: b ? b.right : null};
  });
  const figures = Array.from(document.querySelectorAll('figure img')).map(img => {
    const r = img.getBoundingClientRect(); const box = scrollBox(img);
    return {alt: img.alt.slice(0, 40), shown: r.width, width: Number(img.getAttribute('width')),
            box_right: box ? box.getBoundingClientRect().right : null};
  });
  return {vw, page_width: document.documentElement.scrollWidth, tables, figures};
}"""


def phone_problems(seen: dict) -> list[str]:
    vw, out = seen["vw"], []
    if seen["page_width"] > vw:
        out.append(f"the page is {seen['page_width']} px wide on a {vw} px screen")
    for t in seen["tables"]:
        if t["right"] > vw + 1 and not (t["in_box"] and t["box_right"] <= vw + 1):
            out.append(f"table {t['cls']!r} overflows the screen outside a scrolling box")
    for f in seen["figures"]:
        if f["shown"] < f["width"] - 1:  # shrunk below the size at which its 7 pt text reads as ~12 px
            out.append(f"figure {f['alt']!r} shown {f['shown']:.0f} px wide, readable at {f['width']} px")
        if f["box_right"] is None or f["box_right"] > vw + 1:
            out.append(f"figure {f['alt']!r} is not in a box that scrolls within the screen")
    return out


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_phone_layout_without_horizontal_overflow(browser, request, which):
    path = request.getfixturevalue("fixture_report" if which == "fixture" else "real_report")
    pg = Page(browser, path, PHONE, mobile=True)
    try:
        seen = pg.js(PHONE_JS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.page.screenshot(path=ARTIFACTS / f"{which}-390.png")
        pg.page.query_selector("#table1").scroll_into_view_if_needed()
        pg.page.screenshot(path=ARTIFACTS / f"{which}-390-table1.png")
    finally:
        pg.close()
    assert seen["vw"] <= PHONE["width"] and seen["tables"] and seen["figures"]
    assert phone_problems(seen) == []


def test_layout_checks_can_fail(browser, tmp_path):
    # hand-made faults: a Table 1 wider than its 600 px column, a tag drawn over a word, a table and a
    # figure wider than a phone outside any scrolling box, and a figure shrunk to the screen
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"></head>'
        '<body style="max-width:600px;margin:0 auto">'
        '<section id="table1"><table class="table1" style="width:760px"><tr><td>wide</td></tr></table></section>'
        '<p style="position:relative">Reference text here<span style="position:absolute;left:0;top:0">tag over it</span></p>'
        '<figure><img alt="shrunk" width="900" height="10" style="max-width:100%" src="data:image/png;base64,'
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="></figure>'
        "<p>" + "filler words " * 60 + "</p></body></html>",
        encoding="utf-8",
    )
    pg = Page(browser, page, DESKTOP)
    try:
        result = reads_well(pg, [])
    finally:
        pg.close()
    t1 = result["layout"]["table1"]
    assert t1["right"] - t1["column_right"] == pytest.approx(160, abs=2)  # 760 - 600, worked by hand
    assert any("tag over it" in pair for pair in map(tuple, result["layout"]["overlaps"]))
    with pytest.raises(AssertionError):
        assert_reads_well(result, "bad page")
    pg = Page(browser, page, PHONE, mobile=True)
    try:
        problems = phone_problems(pg.js(PHONE_JS))
    finally:
        pg.close()
    assert any(p.startswith("the page is") for p in problems)
    assert any("table 'table1' overflows" in p for p in problems)
    assert any("'shrunk' shown" in p for p in problems) and any("'shrunk' is not in a box" in p for p in problems)


# ---- print -------------------------------------------------------------------------------------------

PRINT_JS = """() => {
  const folded = document.querySelector('details li');
  return {toc: document.querySelector('nav.toc').checkVisibility(),
          folded: folded ? folded.checkVisibility() : true};
}"""


def test_print_stylesheet(browser, real_report):
    pg = Page(browser, real_report, DESKTOP)
    try:
        pg.page.emulate_media(media="print")
        assert pg.js(PRINT_JS) == {"toc": False, "folded": True}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = pg.page.pdf(print_background=True, prefer_css_page_size=True)
        (ARTIFACTS / "report.pdf").write_bytes(pdf)
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") > 2
    finally:
        pg.close()
