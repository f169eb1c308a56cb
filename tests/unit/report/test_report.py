"""The report page builder, on the hostile fixture run in tests/fixtures/report.

The fixture's titles, an excerpt, a locator, a Table 1 cell and the run title carry
<script> and <img onerror> payloads; expected values below are read off the fixture
files by hand (e.g. s002 and s003 cite light2008geographic, so its reference entry
must link back to both).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from revalign.core import config
from revalign.core.errors import InputError
from revalign.report.build import build_report, load_inputs, render_html

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "report"


def cfg_of(root: Path):
    return config.load("params/default.yml", root=root)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.attrs_seen: list[tuple[str, str]] = []
        self.by_id: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        d = dict(attrs)
        self.attrs_seen += [(k, v or "") for k, v in attrs]
        if "id" in d:
            self.ids.append(d["id"])
        if tag == "a" and d.get("href", "").startswith("#"):
            self.hrefs.append(d["href"][1:])
            for _tag, oid in self._open:  # record links inside each element with an id
                if oid:
                    self.by_id.setdefault(oid, []).append(d["href"][1:])
        if tag not in ("img", "meta", "br", "hr", "input", "link"):
            self._open.append((tag, d.get("id")))

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break


def parse(page: str) -> Links:
    p = Links()
    p.feed(page)
    return p


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    # built once for the tests that only read the page (a str: no test can change it for another)
    root = tmp_path_factory.mktemp("page") / "run"
    shutil.copytree(FIXTURE, root)
    (root / "pyproject.toml").write_text("")
    result = build_report(cfg_of(root))
    return result.path.read_text(encoding="utf-8")


def test_hostile_text_is_escaped(page):
    links = parse(page)
    assert "script" not in links.tags  # no element from input text, and the page has no script of its own
    assert not any(k.startswith("on") for k, _ in links.attrs_seen)  # no event handler attribute at all
    assert "<img src=x" not in page
    # visible as text: escaped in the title of a reference, an excerpt and the run title
    assert "Kampus Merdeka &lt;img src=x onerror=alert(1)&gt;" in page
    assert "crime &lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "job placement &lt;img src=x onerror=alert(1)&gt;." in page
    assert "<title>Micro-credentials &lt;script&gt;window.__pwned=1&lt;/script&gt; and the framework</title>" in page


def test_every_internal_link_has_a_target_and_ids_are_unique(page):
    links = parse(page)
    assert len(links.ids) == len(set(links.ids)), "duplicate ids"
    missing = sorted(set(links.hrefs) - set(links.ids))
    assert missing == []
    assert len(links.hrefs) > 30


def test_audit_trail(page):
    links = parse(page)
    # Table 1 cells -> evidence lists of the dimension (and of its strengths / gaps)
    table_links = links.by_id["table1"]
    for target in (
        "ev-improve_performance",
        "ev-improve_performance-strength",
        "ev-improve_performance-gap",
        "ev-strategic_design",
    ):
        assert target in table_links
    # evidence item -> its reference; and it names its locator in the review
    assert links.by_id["seg-s002"] == ["ref-light2008geographic"]
    s002 = re.search(r'<li id="seg-s002".*?</li>', page, re.S).group(0)
    assert "sec. 4 para. 1" in s002
    # reference -> every evidence item that uses it (s002, s003 cite light2008geographic)
    assert links.by_id["ref-light2008geographic"] == ["seg-s002", "seg-s003"]
    # a segment id with a space still gets a working anchor (checked by the link test) and a back-link
    assert any(h.startswith("seg-s-007-") for h in links.by_id["ref-wef2025future"])
    # the review's own synthesis is marked as such
    s005 = re.search(r'<li id="seg-s005".*?</li>', page, re.S).group(0)
    assert "own synthesis" in s005
    # a non-headline component with evidence gets its own list (management: s006)
    assert "ev-management" in links.ids and "seg-s006" in links.ids


def test_levels_coloured_on_the_shared_scale(page):
    from revalign.plotting import style

    # improve_performance is "strong" (rank 3 of 4): darkest colour with light text
    assert (
        f'<td class="level" style="background:{style.LEVEL_COLOURS[3]};color:{style.LEVEL_TEXT[3]}"><a href="#ev-improve_performance">Strongly aligned</a>'
        in page
    )
    # strategic_design is "partial" (rank 1)
    assert (
        f'style="background:{style.LEVEL_COLOURS[1]};color:{style.LEVEL_TEXT[1]}"><a href="#ev-strategic_design">Partial</a>'
        in page
    )


def test_self_contained_and_deterministic(run_root):
    cfg = cfg_of(run_root)
    first = build_report(cfg).path.read_bytes()
    second = build_report(cfg).path.read_bytes()
    assert first == second
    text = first.decode("utf-8")
    # no reference to another resource: figures are data URIs, no <link>, no CSS url(), no @import
    assert re.findall(r'\bsrc="(?!data:image/png;base64,)', text) == []
    assert "<link" not in text and "url(" not in text and "@import" not in text
    assert text.count('src="data:image/png;base64,') == 2  # the fixture's two figures
    assert "Content-Security-Policy" in text


def test_language_switch(run_root):
    inputs = load_inputs(cfg_of(run_root))
    en, id_ = render_html(inputs, "en"), render_html(inputs, "id")
    assert '<html lang="en">' in en and '<html lang="id">' in id_
    assert "<h2>Answer</h2>" in en and "Jawaban" not in en
    assert "<h2>Jawaban</h2>" in id_ and "Pustaka acuan" in id_
    # component and level labels come from the codebook
    assert "Meningkatkan kinerja" in id_ and "Sangat selaras" in id_
    assert "Improve performance" in en and "Strongly aligned" in en


def test_missing_optional_inputs_are_reported(run_root):
    for name in ("prisma.json", "vocabulary_check.json", "sensitivity.csv", "leave_one_out.csv"):
        (run_root / "data" / "processed" / name).unlink()
    shutil.rmtree(run_root / "figures")
    result = build_report(cfg_of(run_root))
    assert "data/processed/vocabulary_check.json" in result.missing
    assert "figures/alignment_heatmap.png" in result.missing
    page = result.path.read_text(encoding="utf-8")
    assert "Some optional inputs were not available" in page and "data/processed/prisma.json" in page
    assert "data:image/png" not in page
    links = parse(page)
    assert sorted(set(links.hrefs) - set(links.ids)) == []


def test_missing_required_input_is_an_input_error(run_root):
    (run_root / "data" / "processed" / "table1.csv").unlink()
    with pytest.raises(InputError, match="table1.csv"):
        build_report(cfg_of(run_root))
    assert not (run_root / "reports" / "report.html").exists()


def test_required_column_missing_is_an_input_error(run_root):
    corpus = run_root / "data" / "processed" / "corpus.csv"
    text = corpus.read_text(encoding="utf-8").replace("record_id,", "key,", 1)
    corpus.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        build_report(cfg_of(run_root))
    assert "corpus.csv:1" in exc.value.format() and "record_id" in exc.value.format()


def test_figures_keep_their_printed_size():
    from revalign.report import build as report

    # a PNG header whose IHDR says 3000 px wide: at 300 dpi that is 10 in, i.e. 960 CSS px printed,
    # shown 1.35 times larger on screen: 1296 px; one 1500 px wide (5 in): 648 px
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (3000).to_bytes(4, "big") + (10).to_bytes(4, "big")
    assert report._css_width(header) == 1296
    half = header[:16] + (1500).to_bytes(4, "big") + header[20:]
    assert report._css_width(half) == 648


# ---- a supplement a reader can read (issue 16) and that fits the run (issue 12) ---------------


def visible_text(page: str) -> str:
    import html

    body = re.sub(r"<(style|head)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_tables_are_labelled_in_words(page):
    text = visible_text(page)
    # PRISMA: the fixture's prisma.json has identified {references.bib: 5}, screened 5, included 5
    assert "PRISMA 2020 counts of this run" in text
    assert "Records identified 5" in text and "references.bib 5" in text and "Studies included in review 5" in text
    # agreement: one small table per dimension, named columns, no dotted keys
    assert "Vocabulary check per dimension" in text and "Cohen's κ" in text
    assert not re.search(r"\w\.\w+\.\w", re.sub(r"https?://\S+|\b10\.\d+/\S+|\w+\.(bib|csv|yml|json|png)", "", text))
    assert not re.search(r"\b(True|False|None|NaN)\b", text)
    # levels by their labels, never by id; booleans as yes/no (strategic_design: matches False -> "no")
    assert "Partial" in text
    row = re.search(r'<a href="#ev-strategic_design">Strategic design</a></th>.*?</tr>', page, re.S).group(0)
    assert ">no</td>" in row


def test_published_columns_only_with_a_published_table(run_root):
    t1 = run_root / "data" / "processed" / "table1.csv"
    with_published = render_html(load_inputs(cfg_of(run_root)))
    assert "<th>Published level</th>" in with_published and "<th>Matches</th>" in with_published
    df = (
        __import__("pandas")
        .read_csv(t1, dtype=str, keep_default_na=False)
        .drop(columns=["published_level", "matches_published"])
    )
    df.to_csv(t1, index=False)
    without = render_html(load_inputs(cfg_of(run_root)))
    assert "Published level" not in without and "Matches" not in without
    # no replication sentence at all without a published table (issue 21 item 6)
    assert not re.search(r"published (level|table)|reproduces", visible_text(without), re.I)


def test_review_wording_only_when_the_run_names_a_review(run_root):
    page = render_html(load_inputs(cfg_of(run_root)))
    assert "in the review sec. 4 para. 1" in visible_text(page) and "own synthesis" in page
    # a run without a review of its own: no record marked as the review, a review key the run does not have
    corpus = run_root / "data" / "processed" / "corpus.csv"
    text = corpus.read_text(encoding="utf-8").replace(",review,", ",secondary,").replace(",self\n", ",yes\n")
    corpus.write_text(text, encoding="utf-8")
    params = run_root / "params" / "default.yml"
    params.write_text(params.read_text(encoding="utf-8") + "  synthesis_key: notinthisrun\n", encoding="utf-8")
    page = render_html(load_inputs(cfg_of(run_root)))
    visible = visible_text(page)
    assert "in the review sec." not in visible and "own synthesis" not in visible
    assert "at sec. 4 para. 1" in visible


def test_phrase_column_only_when_the_codebook_gives_phrases(run_root):
    page = render_html(load_inputs(cfg_of(run_root)))
    assert "Phrase of the definition" in page
    cb = run_root / "data" / "raw" / "codebook.yml"
    cb.write_text(re.sub(r"\n(\s+)phrase: [^\n]*", r'\n\1phrase: ""', cb.read_text(encoding="utf-8")), encoding="utf-8")
    assert "Phrase of the definition" not in render_html(load_inputs(cfg_of(run_root)))


def test_long_evidence_lists_fold_and_short_ones_do_not(page):
    from revalign.report.build import COLLAPSE_AFTER

    # every <details> holds more than COLLAPSE_AFTER items; the fixture's lists are short (1-2 items)
    for block in re.findall(r"<details>.*?</details>", page, re.S):
        assert block.count('<li id="seg-') > COLLAPSE_AFTER
    assert '<li id="seg-s002"' in page


def test_css_comes_from_its_file_with_a_print_stylesheet(page):
    from revalign.report.build import CSS_FILE

    assert CSS_FILE.read_text(encoding="utf-8") in page
    assert "@media print" in page and "@page" in page


def test_figures_are_reencoded_smaller_for_the_screen():
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    from revalign.plotting import style
    from revalign.report import images

    style.apply()
    fig, ax = plt.subplots(figsize=(85 / 25.4, 60 / 25.4))
    ax.imshow([[0, 1], [2, 3]], cmap="Blues")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=style.DPI)
    plt.close(fig)
    png = buf.getvalue()
    small = images.for_screen(png)
    with Image.open(io.BytesIO(png)) as a, Image.open(io.BytesIO(small)) as b:
        assert b.width == round(a.width * images.SCREEN_DPI / style.DPI)  # half the pixels across at 150 dpi
        assert b.mode == "P" and len(b.getpalette()) // 3 <= images.COLOURS
    assert len(small) < len(png)
    assert images.for_screen(png) == small  # deterministic
