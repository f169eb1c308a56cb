"""The fast paths of the import (issue 13, speed) give what their plain forms give.

Each shortcut is checked against the straightforward computation it replaces, on
generated input that reaches its edge cases (white space of every kind, non-ASCII
digits, duplicate DOIs, blocks of every size):

- ``normalise._nfc`` (normalises only the values with a character at or above U+0300)
  against ``pyarrow.compute.utf8_normalize`` on every value;
- ``match._extract`` (RE2, with Python's ``\\s`` and ``\\d`` spelled out) against pandas'
  ``str.extract`` (Python's ``re``);
- ``match.candidate_pairs`` (blocks of one size at once) against a loop over every block;
- ``dedup._ascii_lower`` (collapses white space only where there is a run) against the
  same kernels on every value;
- ``match.prepare`` with a ``title_key`` column against computing every key itself;
- ``match.match``'s DOI rule, decided with numpy, against ``judge()`` pair by pair.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revalign.bibliography import dedup, match
from revalign.bibliography import normalise as bn

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, max_examples=50)

SPACES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u2028", "\u3000"]
PIECES = SPACES + ["a", "B", "é", "中", "1", "\u0661", "-", "'", "\u2019", ",", ";", "(", ")", "[x]", "e12", "0"]
text = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
values = st.lists(st.none() | text, max_size=15)


NFC_PIECES = PIECES + [
    "e\u0301",
    "\u0301",
    "o\u0308",
    "\u1100\u1161",
    "\u11a8",
    "\u0439",
    "\u0438\u0306",
    "Å",
    "\u212b",
]
nfc_values = st.lists(st.none() | st.lists(st.sampled_from(NFC_PIECES), max_size=8).map("".join), max_size=15)


@settings(**SETTINGS)
@given(nfc_values)
def test_nfc_equals_normalising_every_value(vals):
    arr = pa.array(vals, pa.large_string())
    assert bn._nfc(arr).to_pylist() == pc.utf8_normalize(arr, "NFC").to_pylist()


@settings(**SETTINGS)
@given(nfc_values)
def test_nfc_on_a_slice(vals):
    arr = pa.array(["e\u0301"] + vals, pa.string()).slice(1)  # an offset into the buffers
    assert bn._nfc(arr).to_pylist() == pc.utf8_normalize(arr, "NFC").to_pylist()


@settings(**SETTINGS)
@given(values)
def test_extract_equals_pythons_re(vals):
    s = pd.Series(vals, dtype="string")
    obj = s.astype(object)
    want_page = obj.str.extract(r"^\s*([A-Za-z]{0,4}\d+)", expand=False).str.lstrip("0")
    want_first = obj.str.extract(r"^([^,;]+)", expand=False)
    want_volume = obj.str.extract(r"(\d+)", expand=False)

    def same(got, want):
        assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in want]

    same(match._first_page(s), want_page)
    same(match._extract(s, r"^(?P<g>[^,;]+)"), want_first)
    same(match._extract(s, rf"(?P<g>{match._DIGIT}+)"), want_volume)


def _pairs_by_loop(k: pd.DataFrame) -> set[tuple[int, int]]:
    yr = k["year"].astype("string")
    last = k["pages"].astype(object).str.extract(r"[-\u2013]+\s*(\d+)", expand=False)
    keys = [
        k["dkey"], k["tkey"],
        k["tkey"].str.slice(0, 40).where(k["tkey"].str.len() >= 25),
        k["tkey"].str.slice(-40).where(k["tkey"].str.len() >= 25),
        k["first"] + "|" + yr + "|" + k["page"], yr + "|" + k["volume"] + "|" + k["page"],
        k["first"] + "|" + yr + "|" + k["tkey"].str.slice(0, 12), k["first"] + "|" + yr + "|" + k["tkey"].str.slice(-12),
        k["volume"] + "|" + k["page"] + "-" + last.astype("string"),
    ]  # fmt: skip
    out = set()

    def add(groups):
        for members in groups.values():
            members = sorted(set(members))
            if 2 <= len(members) <= match.MAX_BLOCK:
                out.update(itertools.combinations(members, 2))

    for key in keys:
        groups: dict[str, list[int]] = {}
        for i, v in enumerate(key.tolist()):
            if not pd.isna(v):
                groups.setdefault(v, []).append(i)
        add(groups)
    # every form of a title (title_variants) in one block with the title keys, when any has one
    if k["variants"].notna().any():
        groups = {}
        for i, (t, vs) in enumerate(zip(k["tkey"].tolist(), k["variants"].tolist(), strict=True)):
            for v in ([] if pd.isna(t) else [t]) + list(vs or []):
                groups.setdefault(v, []).append(i)
        add(groups)
    return out


@settings(**SETTINGS)
@given(st.lists(st.tuples(st.sampled_from(["10.1/a", "10.1/b", "10.1/A", "10.1", None]), st.sampled_from(["Open badges", "Micro credentials in practice and policy review", "Open badges in schools [Offene Abzeichen in Schulen]", "Offene Abzeichen in Schulen", None]), st.sampled_from([2020, 2021, None]), st.sampled_from(["Lee, K", "Kim, A", None]), st.sampled_from(["1-9", "5", "1-12", None]), st.sampled_from(["3", None])), max_size=40))  # fmt: skip
def test_candidate_pairs_equal_a_loop_over_blocks(rows):
    df = pd.DataFrame(rows, columns=["doi", "title", "year", "authors", "pages", "volume"])
    df = df.astype({"doi": "string", "title": "string", "authors": "string", "pages": "string", "volume": "string"})
    df["year"] = df["year"].astype("Int64")
    df["issue"] = pd.Series(pd.NA, index=df.index, dtype="string")
    df["source_title"] = pd.Series("J", index=df.index, dtype="string")
    k = match.prepare(df)
    got = {tuple(p) for p in match.candidate_pairs(k).tolist()}
    assert got == _pairs_by_loop(k)


def test_candidate_pairs_take_blocks_up_to_max_block():
    n = match.MAX_BLOCK + 1  # one block too large: no pairs; the same key on 3 records: 3 pairs
    none = pd.array([None] * (n + 3), dtype="string")
    k = pd.DataFrame(
        {"dkey": pd.array(["101big"] * n + ["101three"] * 3, dtype="string"),
         "tkey": none, "first": none, "page": none, "volume": none, "pages": none,
         "year": pd.array([None] * (n + 3), dtype="Int64"), "variants": [None] * (n + 3)}
    )  # fmt: skip
    assert match.candidate_pairs(k).tolist() == [[n, n + 1], [n, n + 2], [n + 1, n + 2]]


@settings(**SETTINGS)
@given(values)
def test_ascii_lower_equals_the_plain_kernels(vals):
    # the non-ASCII folding is the same in both: apply it by calling with ASCII-only input
    ascii_vals = [None if v is None else v.encode("ascii", "ignore").decode() for v in vals]
    arr = pa.array(ascii_vals, pa.string())
    plain = pc.replace_substring_regex(pc.utf8_lower(arr), r"[^a-z0-9\s]+", "")
    plain = pc.utf8_trim_whitespace(pc.replace_substring_regex(plain, r"\s+", " "))
    assert dedup._ascii_lower(arr).to_pylist() == plain.to_pylist()


@settings(**SETTINGS)
@given(st.lists(st.none() | st.sampled_from(["Open badges: a review", "Open Badges - A Review.", "Café [Review]", "Über (Structured abstract)", "  ", "Summary for patients: x", "中文 题目"]) | text, max_size=12))  # fmt: skip
def test_prepare_with_the_title_key_column_equals_computing_it(titles):
    df = pd.DataFrame({"title": pd.Series(titles, dtype="string")})
    for c in ("authors", "pages", "issue", "volume", "source_title", "doi"):
        df[c] = pd.Series(pd.NA, index=df.index, dtype="string")
    df["year"] = pd.Series(pd.NA, index=df.index, dtype="Int64")
    cleaned = bn.clean_text_series(df["title"])
    df["title"] = cleaned
    with_key = df.assign(title_key=bn.title_key_series(cleaned))
    a = match.prepare(with_key)["tkey"].tolist()
    b = match.prepare(df)["tkey"].tolist()
    assert [None if pd.isna(v) else v for v in a] == [None if pd.isna(v) else v for v in b]


@settings(**SETTINGS)
@given(st.lists(st.sampled_from(["10.1/a", "10.1/b", None]), min_size=2, max_size=8))
def test_the_doi_rule_with_numpy_equals_judge(dois):
    n = len(dois)
    df = pd.DataFrame(
        {"doi": pd.Series(dois, dtype="string"), "title": pd.Series([None] * n, dtype="string"),
         "year": pd.Series([None] * n, dtype="Int64")}
    )  # fmt: skip
    for c in ("authors", "pages", "issue", "volume", "source_title"):
        df[c] = pd.Series(pd.NA, index=df.index, dtype="string")
    cluster, reasons = match.match(df)
    # by judge(), pair by pair, with union-find that never joins two different DOIs
    rec = match.prepare(df).to_dict("records")
    parent = list(range(n))
    for i, j in itertools.combinations(range(n), 2):
        same, why, _ = match.judge(rec[i], rec[j])
        if same:
            ri, rj = sorted((parent[i], parent[j]))
            parent = [ri if p == rj else p for p in parent]
    assert cluster.tolist() == parent
    assert set(reasons.values()) <= {"doi"}
    assert np.all((cluster == np.arange(n)) | np.array([d is not None for d in dois]))
