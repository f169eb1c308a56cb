"""Property-based tests (hypothesis) of the importers, the normaliser and segment validation.

- No input makes the bibliography importers or the segments reader fail with anything
  but InputError (the documented error: one line and exit 2 in the CLI).
- DOI normalisation is idempotent and ignores case and the doi.org / dx.doi.org / doi:
  prefixes; the scalar and the vectorised form agree.
- The title key ignores case, punctuation, diacritics and a trailing period.
- De-duplication does not depend on the order of the input files.

Examples are small and few (``max_examples``) so the file runs in well under a minute.
"""

from __future__ import annotations

import itertools
import json
import string
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from revalign.bibliography.importer import read_bibliography
from revalign.bibliography.normalise import normalise_doi, normalise_doi_series, title_key, title_key_series
from revalign.bibliography.readers import FORMATS
from revalign.coding.segments import COLUMNS as SEGMENT_COLUMNS
from revalign.coding.segments import read_segments
from revalign.core.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

# ---- arbitrary input for the importers ------------------------------------------------

# Pieces of every supported format, so random text reaches past the format detection
# and into each reader's structural checks, not only "cannot tell the format".
FRAGMENTS = [
    "\n", " ", "\t", "\r\n", "{", "}", "(", ")", "[", "]", '"', "'", ",", ":", "=", "@", "%", "\\",
    "@article{", "@book(", "title = ", "author = {", "doi = ", "year = {2020}", "@comment{",
    "TY  - JOUR\n", "TI  - ", "AU  - ", "PY  - 2021\n", "DO  - ", "ER  - \n", "ER  -", "KW  - ",
    "[{", '{"id": ', '"title": ', '"author": [', '"issued": {"date-parts": [[', '"DOI": ', "null", "true", "2019",
    '"Authors","Title","Year","Source title","DOI","EID"\n', "Authors,Title,EID\n", '"Title"', '""',
    "FN Clarivate\n", "VR 1.0\n", "PT J\n", "TI ", "AU ", "PY 2018\n", "DI ", "ER\n", "EF\n", "   ",
    "\ufeff", "é", "ß", "–", "10.1000/x", "https://doi.org/",
]  # fmt: skip
structured_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=25).map("".join)
any_text = st.text(max_size=120) | structured_text


def _write(directory: Path, name: str, data) -> Path:
    p = directory / name
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf-8", newline="")
    return p


def _import_never_crashes(data) -> None:
    with tempfile.TemporaryDirectory() as d:
        # detected from the content, with an extension that suggests nothing
        path = _write(Path(d), "export.dat", data)
        for fmt in (None, *FORMATS):
            try:
                result = read_bibliography(path, fmt=fmt)
            except InputError as exc:
                assert exc.file is not None and exc.message, exc
                assert "\n" not in exc.format(), f"a message of more than one line: {exc.format()!r}"
            else:
                # a record the reader skipped is listed among the rejects but was not read
                skipped = int(result.per_file["skipped"].sum())
                assert result.n_read + skipped == result.n_unique + len(result.rejects) + len(result.merges)


@settings(max_examples=30, **SETTINGS)
@given(any_text)
def test_importers_raise_only_input_error_on_any_text(text):
    _import_never_crashes(text)


@settings(max_examples=25, **SETTINGS)
@example(b"Title,\x80")  # found by hypothesis: pyarrow failed first, then a UnicodeDecodeError escaped
@example('"Authors","Title","Ann\xe9e","EID"'.encode("latin-1"))
@given(
    st.binary(max_size=120)
    | structured_text.map(lambda t: t.encode("utf-8"))
    | any_text.map(lambda t: t.encode("latin-1", "replace"))
)
def test_importers_raise_only_input_error_on_any_bytes(data):
    _import_never_crashes(data)


# ---- DOI normalisation ----------------------------------------------------------------

doi_suffix = st.text(alphabet=string.ascii_letters + string.digits + "-._;()/:<>", min_size=1, max_size=15)
dois = st.builds(lambda reg, suffix: f"10.{reg}/{suffix}", st.integers(1000, 99999), doi_suffix)
PREFIXES = ["", "https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "https://dx.doi.org/", "doi.org/",
            "doi:", "doi: ", "DOI:", "HTTPS://DOI.ORG/"]  # fmt: skip


@settings(max_examples=50, **SETTINGS)
@given(
    st.text(max_size=40)
    | dois
    | st.builds(
        lambda p, d, t: p + d + t, st.sampled_from(PREFIXES), dois, st.sampled_from(["", ".", " ", " .", ". .", "\n"])
    )
)
def test_doi_normalisation_is_idempotent(value):
    once = normalise_doi(value)
    assert normalise_doi(once) == once
    series = normalise_doi_series(pd.Series([value, once], dtype="string"))
    assert series.iloc[1] is pd.NA or series.iloc[1] == series.iloc[0]
    again = normalise_doi_series(series)
    assert again.equals(series)


@settings(max_examples=50, **SETTINGS)
@given(
    dois, st.sampled_from(PREFIXES), st.sampled_from(PREFIXES), st.sampled_from([str.upper, str.lower, str.title, str])
)
def test_doi_ignores_case_and_prefix(doi, prefix_a, prefix_b, case):
    # the DOI itself, lower-cased, is what every spelling must come back as (by the DOI
    # Handbook, DOIs are case-insensitive); the trailing-period rule aside, by construction
    # `doi` ends in a character of doi_suffix, so strip its own trailing periods first
    expected = doi.lower().rstrip(".")
    a = normalise_doi(prefix_a + case(doi))
    b = normalise_doi(" " + prefix_b + doi.upper() + " ")
    assert a == b == expected
    vec = normalise_doi_series(pd.Series([prefix_a + case(doi), prefix_b + doi.upper()], dtype="string"))
    assert vec.tolist() == [expected, expected]


# ---- the title key --------------------------------------------------------------------

BASE_LETTERS = "aceinosuyzAEINOSUZ"
COMBINING = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u0327", "\u030c"]  # grave ... caron
words = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)
titles = st.lists(words, min_size=1, max_size=6)
PUNCT = " " + string.punctuation + "\u2013\u2014\u2018\u2019\u201c\u201d\u00ab\u00bb\u00bf\u00a1"


@settings(max_examples=50, **SETTINGS)
@given(
    titles,
    st.lists(st.text(alphabet=PUNCT, min_size=1, max_size=3), min_size=6, max_size=6),
    st.sampled_from([str.upper, str.lower, str.title, str.swapcase]),
)
def test_title_key_ignores_case_punctuation_and_trailing_period(ws, seps, case):
    plain = " ".join(ws)
    # the same words with other separators, in another case, ending in a period
    variant = case("".join(w + s for w, s in zip(ws, seps, strict=False))) + "."
    assert title_key(variant) == title_key(plain) == title_key(plain + ".")
    # the key is the words' letters and digits, lower case, run together
    assert title_key(plain) == "".join(ws).lower()
    vec = title_key_series(pd.Series([plain, variant], dtype="string"))
    assert vec.tolist() == [title_key(plain)] * 2


@settings(max_examples=50, **SETTINGS)
@given(
    st.lists(st.tuples(st.sampled_from(BASE_LETTERS), st.sampled_from(["", *COMBINING])), min_size=1, max_size=20),
    st.sampled_from(["NFC", "NFD"]),
)
def test_title_key_ignores_diacritics(letters, form):
    plain = "".join(base for base, _ in letters)
    accented = unicodedata.normalize(form, "".join(base + mark for base, mark in letters))
    assert title_key(accented) == title_key(plain) == plain.lower()
    assert title_key_series(pd.Series([accented], dtype="string")).iloc[0] == plain.lower()


# ---- de-duplication does not depend on the order of the input files ----------------------

TITLE_POOL = ["Micro credentials in higher education", "Digital badges for teachers", "Skills for work",
              "Stackable certificates", "Learning analytics"]  # fmt: skip
DOI_POOL = [None, None, "10.1000/a1", "10.1000/b2", "10.1000/c3"]

records = st.lists(
    st.fixed_dictionaries(
        {
            "title": st.sampled_from(TITLE_POOL),
            "doi": st.sampled_from(DOI_POOL),
            "year": st.sampled_from([2019, 2020, None]),
            "author": st.sampled_from(["Smith, Ann", "Lee, Kim", None]),
            "file": st.integers(0, 2),
            "upper_doi": st.booleans(),
        }
    ),
    min_size=2,
    max_size=7,
)


def _bib(recs) -> str:
    out = []
    for i, r in enumerate(recs):
        fields = [f"  title = {{{r['title']}}}"]
        if r["doi"]:
            fields.append(f"  doi = {{{r['doi'].upper() if r['upper_doi'] else r['doi']}}}")
        if r["year"]:
            fields.append(f"  year = {{{r['year']}}}")
        if r["author"]:
            fields.append(f"  author = {{{r['author']}}}")
        out.append(f"@article{{k{i},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(out)


def _ris(recs) -> str:
    out = []
    for r in recs:
        lines = ["TY  - JOUR", f"TI  - {r['title']}"]
        if r["doi"]:
            lines.append(f"DO  - https://doi.org/{r['doi'].upper() if r['upper_doi'] else r['doi']}")
        if r["year"]:
            lines.append(f"PY  - {r['year']}")
        if r["author"]:
            lines.append(f"AU  - {r['author']}")
        out.append("\n".join(lines) + "\nER  - \n")
    return "\n".join(out)


def _csl(recs) -> str:
    items = []
    for i, r in enumerate(recs):
        item = {"id": f"item{i}", "type": "article-journal", "title": r["title"]}
        if r["doi"]:
            item["DOI"] = r["doi"]
        if r["year"]:
            item["issued"] = {"date-parts": [[r["year"]]]}
        if r["author"]:
            family, given = r["author"].split(", ")
            item["author"] = [{"family": family, "given": given}]
        items.append(item)
    return json.dumps(items, indent=1)


WRITERS = [("refs.bib", _bib), ("search.ris", _ris), ("zotero.json", _csl)]


@settings(max_examples=6, **SETTINGS)
@given(records)
def test_deduplication_does_not_depend_on_file_order(recs):
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for k, (name, writer) in enumerate(WRITERS):
            mine = [r for r in recs if r["file"] == k]
            if mine:
                paths.append(_write(Path(d), name, writer(mine)))
        results = [read_bibliography(list(order)) for order in itertools.permutations(paths)]
    first = results[0]
    # every record is either a unique work or merged into one (none rejected: all have titles)
    assert first.n_read == len(recs) == first.n_unique + len(first.merges)
    for other in results[1:]:
        pd.testing.assert_frame_equal(other.records, first.records)
        pd.testing.assert_frame_equal(other.merges, first.merges)
    # never two DOIs merged into one row; one row per DOI, except records of other titles and
    # other authors that share a DOI (match.py rule 1: a DOI copied into the wrong record)
    dois = first.records["doi"].dropna()
    assert set(dois) == {r["doi"] for r in recs if r["doi"]}
    for _, rows in first.records[first.records["doi"].notna()].groupby("doi"):
        if len(rows) > 1:
            assert rows["title"].is_unique and rows["authors"].notna().all() and rows["authors"].is_unique


# ---- segments validation ------------------------------------------------------------------


@pytest.fixture(scope="module")
def codebook():
    from revalign.core.codebook import load_codebook

    return load_codebook(FIXTURES / "coding" / "codebook.yml")


CELL_VALUES = ["s01", "s02", "", " ", "smith2020", "p. 3", "definition", "improve_performance", "strength", "gap",
               "mixed", "concept", "practice", "indonesia", "global", "unknown", "rr", '"', '""', ",", "\n", "\r\n",
               "é", "\ufeff", "x,y", '"a, b"', '"open']  # fmt: skip
HEADER = ",".join(SEGMENT_COLUMNS)
csv_rows = st.lists(st.lists(st.sampled_from(CELL_VALUES) | st.text(max_size=3), max_size=12).map(",".join), max_size=6)
segment_csv = st.builds(
    lambda header, rows, end: "\n".join([header, *rows]) + end,
    st.sampled_from(
        [HEADER, HEADER.replace(",polarity", ""), HEADER + ",extra", HEADER.upper(), "", "\ufeff" + HEADER]
    ),
    csv_rows,
    st.sampled_from(["", "\n", "\r\n"]),
) | st.text(max_size=80)


@settings(max_examples=40, **SETTINGS)
@given(segment_csv)
def test_segments_validation_raises_only_input_error(codebook, text):
    with tempfile.TemporaryDirectory() as d:
        path = _write(Path(d), "segments.csv", text)
        for cb, keys in ((codebook, {"smith2020"}), (None, None)):
            try:
                df = read_segments(path, codebook=cb, ref_keys=keys)
            except InputError as exc:
                assert exc.message and "\n" not in exc.format(), exc.format()
            else:
                assert list(df.columns[: len(SEGMENT_COLUMNS)]) == list(SEGMENT_COLUMNS)
