"""Small files may not make revalign do huge work: every input path has limits.

Attacks (issue 23):
- a 1,780-byte .xlsx given to ``reconcile`` took 24.5 s and 1.65 GB (one cell on row 1,048,576:
  openpyxl and pandas build every empty row before it; the XLSX path had no limit);
- a 315 KB .qdpx within the documented limits took 1.2 GB (millions of tiny XML elements, each a
  node of lxml's tree);
- indicator-term matching was quadratic in the term's length (the regular expression is tried
  again at every word of a near-match);
- 12,000 screening keywords crashed stage 02 ("RE2 pattern too large");
- a codebook with 12,000 themes and no alias was refused as an "alias bomb" (the YAML limit
  counted values, not what aliases add).

The heavy ones run in a child with a memory cap and a timeout and report the child's peak
resident memory (``ru_maxrss``). The bounds were set from measurements on this machine: a
reconcile or qda import of a small valid file peaks at 150-160 MiB; each attack below peaked at
600 MiB to 2 GiB before the fix.
"""

from __future__ import annotations

import base64
import random
import zipfile

import pytest
from hostile import (
    CODEBOOK,
    SOURCE_GUID,
    make_qdpx,
    one_error_line,
    peak_run,
    project_qde,
    qda_import,
    run_main,
    time_limit,
)

MAX_MIB = 400  # a small valid file: 150-160 MiB (see the module docstring)

SHEET_COLUMNS = [
    "claim_id", "dimension", "field", "code_a", "code_b", "decision", "note", "locator",
    "excerpt_a", "excerpt_b", "coding_a", "coding_b",
]  # fmt: skip

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="disagreements" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def make_xlsx(path, rows_xml: str, dimension: str | None = None, shared: str = "", extra=None):
    """A workbook built by hand: the header row of a disagreement sheet, then *rows_xml*."""
    header = "".join(f'<c r="{_col(i)}1" t="inlineStr"><is><t>{c}</t></is></c>' for i, c in enumerate(SHEET_COLUMNS))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{dim}<sheetData><row r="1">{header}</row>{rows_xml}</sheetData></worksheet>'
    )
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{shared}</sst>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/sharedStrings.xml", sst)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def _reconcile(tmp_path, sheet):
    out = tmp_path / "consensus.csv"
    proc, mib = peak_run(
        ["reconcile", sheet, "--codebook", CODEBOOK, "-o", out, "--a", "a.csv", "--b", "b.csv"], cwd=tmp_path
    )
    assert not out.exists()
    return proc, mib


def test_xlsx_one_cell_far_down(tmp_path):
    # 1.7 KB; before the fix: 600 MiB and 10 s with 12 columns, 1.65 GB with more
    last = f"{_col(len(SHEET_COLUMNS) - 1)}1048576"
    sheet = make_xlsx(
        tmp_path / "far.xlsx", f'<row r="1048576"><c r="{last}" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    assert sheet.stat().st_size < 2000
    proc, mib = _reconcile(tmp_path, sheet)
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=sheet.name, pattern=r"row|rows")


def test_xlsx_declared_dimension_refused(tmp_path):
    sheet = make_xlsx(tmp_path / "dim.xlsx", "", dimension="A1:XFD1048576")
    proc, mib = _reconcile(tmp_path, sheet)
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=sheet.name, pattern=r"dimension|declares")


def test_xlsx_too_many_cells(tmp_path):
    # 3 million empty cells in 60,000 rows: each cell a few bytes of XML, compressed to ~200 KB
    row = "".join(f'<c r="{_col(i)}{{r}}"/>' for i in range(50))
    rows = "".join(f'<row r="{r}">' + row.replace("{r}", str(r)) + "</row>" for r in range(2, 60_002))
    sheet = make_xlsx(tmp_path / "cells.xlsx", rows)
    proc, mib = _reconcile(tmp_path, sheet)
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=sheet.name, pattern=r"cells")


def test_xlsx_too_many_shared_strings(tmp_path):
    shared = "<si><t>x</t></si>" * 3_000_000
    sheet = make_xlsx(tmp_path / "sst.xlsx", "", shared=shared)
    proc, mib = _reconcile(tmp_path, sheet)
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=sheet.name, pattern=r"shared strings|inflates|ZIP bomb")


def test_xlsx_member_inflating_beyond_the_limit(tmp_path):
    # a valid styles part holding 200 MB of white space, which openpyxl reads whole: 200 KB compressed.
    # Before the fix: 932 MiB peak, then openpyxl's parser gave up on the text node
    ns = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    styles = ns + b" " * 200_000_000 + b"</styleSheet>"
    sheet = make_xlsx(tmp_path / "big.xlsx", "", extra={"xl/styles.xml": styles})
    proc, mib = _reconcile(tmp_path, sheet)
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=sheet.name, pattern=r"inflate|bytes")


def test_xlsx_with_a_doctype_refused(tmp_path, capfd):
    sheet = make_xlsx(tmp_path / "dtd.xlsx", "")
    data = {}
    with zipfile.ZipFile(sheet) as zf:
        for n in zf.namelist():
            data[n] = zf.read(n)
    data["xl/sharedStrings.xml"] = data["xl/sharedStrings.xml"].replace(
        b"<sst ", b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><sst ', 1
    )
    with zipfile.ZipFile(sheet, "w") as zf:
        for n, d in data.items():
            zf.writestr(n, d)
    code, out, err = run_main(["reconcile", sheet, "--codebook", CODEBOOK, "-o", tmp_path / "c.csv"], capfd)
    one_error_line(code, err, where=str(sheet), pattern=r"DOCTYPE")


def test_qdpx_millions_of_tiny_elements(tmp_path):
    # 15 million empty elements (60 MB of XML) plus 400 KB of incompressible text in a comment,
    # so that the member inflates 166 times, under the ratio limit of 200: 360 KB in all.
    # Before the fix: 2.0 GiB peak and 27 s.
    junk = base64.b64encode(random.Random(1).randbytes(300_000)).decode()
    qde = project_qde().replace("<Users>", f"<!--{junk}--><Notes>" + "<a/>" * 15_000_000 + "</Notes><Users>")
    qdpx = make_qdpx(tmp_path / "tiny.qdpx", qde, {f"sources/{SOURCE_GUID}.txt": b"Empower learners to act."})
    assert qdpx.stat().st_size < 400_000
    out = tmp_path / "s.csv"
    proc, mib = peak_run(qda_import(qdpx, out))
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=str(qdpx), pattern=r"elements")
    assert not out.exists()


def test_qdpx_many_selections_of_a_long_source(tmp_path):
    # one source of 1 MiB - 1 byte (under the ratio floor) and 4,000 selections of all of it:
    # 4 GiB of excerpts from a 120 KB file
    text = b"Empower learners " * (2**20 // 17)
    sel = (
        '<PlainTextSelection guid="dddddddd-0000-4000-8000-{i:012d}" name="s" startPosition="0" '
        f'endPosition="{len(text)}" creatingUser="cccccccc-0000-4000-8000-000000000001">'
        '<Coding guid="eeeeeeee-0000-4000-8000-{i:012d}" creatingUser="cccccccc-0000-4000-8000-000000000001">'
        '<CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>'
    )
    many = "".join(sel.format(i=i) for i in range(4000))
    qde = project_qde().replace("</TextSource>", many + "</TextSource>")
    qdpx = make_qdpx(tmp_path / "sel.qdpx", qde, {f"sources/{SOURCE_GUID}.txt": text})
    out = tmp_path / "s.csv"
    proc, mib = peak_run(qda_import(qdpx, out))
    assert mib < MAX_MIB, f"peak {mib:.0f} MiB"
    one_error_line(proc.returncode, proc.stderr, where=str(qdpx), pattern=r"characters|excerpt")
    assert not out.exists()


# ---- indicator terms -------------------------------------------------------------------------
def test_indicator_matching_is_linear_in_the_term():
    """A 40,000-word term against an 80,000-word excerpt that nearly matches at every word.

    Measured before the fix: 4,000 words took 0.36 s and doubling the words quadrupled the time,
    so 40,000 words take about 36 s; a linear matcher takes well under a second."""
    from revalign.coding.autocoder import Indicator, code_text, term_pattern

    n = 40_000
    term = "a " * n + "b"
    ind = [Indicator("c1", term, "en", term_pattern(term, "en"))]
    with time_limit(10):
        result = code_text("a " * (2 * n), ind)
    assert result.dimension == "none"  # worked out by hand: the term ends in "b", the text has none
    with time_limit(10):
        result = code_text("a " * (2 * n) + "b.", ind)
    assert result.dimension == "c1" and result.hits == {"c1": 1}


# ---- screening keywords ------------------------------------------------------------------------
def test_twelve_thousand_keywords_screen():
    import pandas as pd

    from revalign.core.config import Screening
    from revalign.screening.rules import screen

    rng = random.Random(7)

    def word():
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7))

    keywords = [" ".join(word() for _ in range(4)) for _ in range(12_000)]
    target = keywords[9_876]
    corpus = pd.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "title": [f"A study of {target.replace(' ', '-')} in schools", "Nothing relevant"],
            "year": ["2020", "2020"],
            "abstract": ["", ""],
        }
    )
    params = Screening(year_min=2015, year_max=2025, keywords={"en": keywords})
    with time_limit(120):
        out = screen(corpus, params)
    # worked out by hand: r1's title holds keyword 9,876 (hyphens for its spaces); r2 none
    assert list(out["decision"]) == ["include", "exclude"]
    assert out.loc[0, "matched_keyword"] == target


def test_keywords_chunked_keep_the_leftmost_longest_match():
    """Matching in chunks reports what one pattern did: the leftmost match, and at one position
    the longest keyword (hand-made case: both keywords start at 'blended', the longer wins; a
    keyword placed later in the text loses to an earlier one whatever its chunk)."""
    import pandas as pd

    from revalign.screening import rules

    words = [f"filler{i:05d} term" for i in range(5000)] + ["blended", "blended learning", "zeta"]
    text = pd.Series(["about zeta and blended learning", "only blended here", "zeta"])
    got = rules.match_keywords(text, words)
    assert list(got) == ["zeta", "blended", "zeta"]
    text = pd.Series(["blended learning then zeta"])
    assert list(rules.match_keywords(text, words)) == ["blended learning"]


def test_overlong_keyword_is_an_error_with_its_line(tmp_path, capfd):
    p = tmp_path / "p.yml"
    p.write_text(
        "bibliography: [a.bib]\ncodebook: c.yml\nsegments: s.csv\nscreening:\n  keywords:\n    en:\n"
        "      - fine\n      - " + "x" * 5000 + "\n",
        encoding="utf-8",
    )
    code, out, err = run_main(["deps", p], capfd)
    one_error_line(code, err, where=f"{p}:8:", pattern=r"keyword")


# ---- YAML: count expansions, not values ------------------------------------------------------
def test_codebook_with_twelve_thousand_themes_is_accepted(tmp_path, capfd):
    text = CODEBOOK.read_text(encoding="utf-8")
    head, _, rest = text.partition("\nthemes:\n")
    # the themes list runs to the next top-level key
    lines = rest.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith((" ", "-", "#")) or not lines[i].strip()):
        i += 1
    themes = "".join(f"  - id: t{k:05d}\n    label: {{en: Theme {k}, id: Tema {k}}}\n" for k in range(12_000))
    big = tmp_path / "big.yml"
    big.write_text(head + "\nthemes:\n" + themes + "".join(lines[i:]), encoding="utf-8")
    assert "&" not in big.read_text(encoding="utf-8").split("themes:")[1]  # no anchor, no alias
    with time_limit(180):  # 13 s on a loaded 2-core machine; the limit turns a hang into a failure
        code, out, err = run_main(["qda", "export-codebook", big, "-o", tmp_path / "x.qdc"], capfd)
    assert code == 0, err
    assert (tmp_path / "x.qdc").stat().st_size > 12_000 * 20


@pytest.mark.parametrize("copies", [30_000])
def test_aliases_still_count(tmp_path, capfd, copies):
    """A modest anchor repeated many times is what the limit is for: 30,000 aliases of a
    5-value mapping add 150,000 values to a 250 KB file."""
    p = tmp_path / "p.yml"
    body = "x: &a {a: 1, b: 2}\nitems:\n" + "".join("  - *a\n" for _ in range(copies))
    p.write_text(body, encoding="utf-8")
    code, out, err = run_main(["deps", p], capfd)
    one_error_line(code, err, where=str(p), pattern=r"alias")
