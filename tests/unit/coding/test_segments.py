"""Reading and validating coded segments: each error with its exact CSV line.

Line numbers are worked out by hand from the file text: the header is line 1, and
the excerpt of the first data row spans two lines (2-3), so the next row starts on line 4.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.coding.segments import (
    COLUMNS,
    claim_ids,
    mark_review,
    mark_synthesis,
    read_segments,
    split_evidence,
    summary_counts,
    synthesis_keys,
    unused_references,
)
from revalign.core.errors import InputError

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"
HEADER = ",".join(COLUMNS)
# Row starting on line 2 with a quoted two-line excerpt (lines 2-3).
MULTI = (
    's01,alpha2020policy,s1p1,practice,improve_performance,strength,practice,indonesia,"Upskilling,\nover two lines",A'
)


def row(
    sid="s02",
    ref="beta2021report",
    loc="s1p2",
    theme="practice",
    dim="strategic_design",
    pol="gap",
    facet="concept",
    ctx="global",
    excerpt="Curriculum not integrated",
    coder="A",
):
    return ",".join([sid, ref, loc, theme, dim, pol, facet, ctx, excerpt, coder])


KEYS = {"alpha2020policy", "beta2021report", "gamma2022study", "delta2023news", "selfreview", "eps2019unused"}


def write(tmp_path, *lines, name="segments.csv", bom=False):
    p = tmp_path / name
    text = "\n".join(lines) + "\n"
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return p


def error_of(path, cb=None, keys=None) -> InputError:
    with pytest.raises(InputError) as exc:
        read_segments(path, codebook=cb, ref_keys=keys)
    return exc.value


def test_fixture_reads_with_real_line_numbers(cb):
    df = read_segments(FIX / "segments_ok.csv", codebook=cb, ref_keys=KEYS)
    # s02's excerpt spans file lines 3-4, so s03 starts on line 5.
    assert df["line"].tolist() == [2, 3, 5, 6, 7, 8, 9]
    assert df.loc[1, "excerpt"] == "Reskilling demand,\ntwo lines in one cell."
    # read with a codebook, each row also carries its polarity code's role (the fixture's codes are
    # the legacy names strength/gap/mixed, which are their own roles)
    assert list(df.columns) == [*COLUMNS, "line", "role"]
    assert (df["role"] == df["polarity"]).all()


def test_bom_and_crlf_accepted(tmp_path, cb):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join([HEADER, MULTI.replace("\n", "\r\n"), row()]) + "\r\n").encode())
    df = read_segments(p, codebook=cb, ref_keys=KEYS)
    assert df["segment_id"].tolist() == ["s01", "s02"]
    assert df["line"].tolist() == [2, 4]


def test_utf16_rejected(tmp_path):
    p = tmp_path / "u16.csv"
    p.write_bytes("\n".join([HEADER, row()]).encode("utf-16"))
    assert "UTF-16" in error_of(p).message


@pytest.mark.parametrize(
    "header,needle",
    [
        (HEADER.replace(",coder", ""), "missing column(s) coder"),
        (HEADER + ",notes", "unexpected column(s) 'notes'"),
    ],
)
def test_header_problems_on_line_1(tmp_path, header, needle):
    err = error_of(write(tmp_path, header, row()))
    assert err.line == 1
    assert needle in err.message


def test_empty_cell_after_multiline_excerpt(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(loc="", coder=""))
    err = error_of(p, cb, KEYS)
    assert err.line == 4  # header 1, s01 on lines 2-3
    assert err.message == "empty cell(s): locator, coder"
    assert err.format().endswith(":4: empty cell(s): locator, coder")


def test_duplicate_segment_id(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(), row())
    err = error_of(p, cb, KEYS)
    assert err.line == 5
    assert err.message == "segment_id 's02' already used on line 4"


def test_unknown_ref_key_with_suggestion(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(ref="beta2021reprot"))
    err = error_of(p, cb, KEYS)
    assert err.line == 4
    assert "ref_key 'beta2021reprot' is not a citation key of the bibliography" in err.message
    assert "closest: 'beta2021report'" in err.message


def test_ref_key_not_checked_without_keys(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(ref="anything"))
    assert len(read_segments(p, codebook=cb)) == 2


@pytest.mark.parametrize(
    "field,value,column",
    [
        ("theme", "practise", "theme"),
        ("dim", "improve_learning", "dimension"),
        ("pol", "weakness", "polarity"),
        ("facet", "policy", "facet"),
        ("ctx", "asia", "context"),
    ],
)
def test_unknown_codes(tmp_path, cb, field, value, column):
    p = write(tmp_path, HEADER, MULTI, row(), row(sid="s03", **{field: value}))
    err = error_of(p, cb, KEYS)
    assert err.line == 5
    assert err.message.startswith(f"{column} '{value}' is not in the codebook")


def test_first_problem_reported_and_the_rest_counted(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(pol="weak"), row(sid="s03", ctx="asia"), row(sid="s01"))
    err = error_of(p, cb, KEYS)
    assert err.line == 4
    assert err.message.startswith("polarity 'weak' is not in the codebook")
    assert err.message.endswith("(and 2 more problems in this file)")


def test_wrong_number_of_cells(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(excerpt="one, two"))
    err = error_of(p, cb, KEYS)
    assert err.line == 4
    assert "row has 11 cells, the header has 10" in err.message


def test_unclosed_quote_points_at_its_row(tmp_path, cb):
    p = write(tmp_path, HEADER, MULTI, row(), row(sid="s03", excerpt='"never closed'), row(sid="s04"))
    err = error_of(p, cb, KEYS)
    assert err.line == 5
    assert "never closed" in err.message


def test_blank_lines_skipped_and_counted(tmp_path, cb):
    p = write(tmp_path, HEADER, "", MULTI, "", row())
    df = read_segments(p, cb, KEYS)
    assert df["line"].tolist() == [3, 6]


def test_empty_file(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("")
    err = error_of(p)
    assert err.line == 1 and "empty" in err.message


# ---- synthesis, unused references, counts -------------------------------------------------


def test_synthesis_keys_from_corpus_and_named_key(corpus):
    assert synthesis_keys(corpus) == {"selfreview"}
    # no corpus and no key: nothing is synthesis (no built-in key of any particular review)
    assert synthesis_keys(None) == set()
    assert synthesis_keys(None, "myreview2026") == {"myreview2026"}
    assert synthesis_keys(corpus, "alpha2020policy") == {"selfreview", "alpha2020policy"}


def test_mark_review_carries_the_named_key_to_every_count(cb, corpus):
    # a bibliography that does not mark the review: only the parameter file's key says which it is
    plain = corpus.drop(columns=[c for c in ("inreflist", "sourcetype") if c in corpus.columns])
    df = read_segments(FIX / "segments_ok.csv", cb, KEYS)
    assert summary_counts(df, plain)["synthesis_segments"] == 0
    marked = mark_review(plain, "selfreview")
    assert marked.loc[marked["record_id"] == "selfreview", "inreflist"].tolist() == ["self"]
    assert marked["inreflist"].isna().sum() == len(plain) - 1
    assert summary_counts(df, marked)["synthesis_segments"] == 1  # s06 cites selfreview
    assert "selfreview" not in set(unused_references(df, marked)["record_id"])
    assert mark_review(plain, "not-a-record") is plain and mark_review(plain, None) is plain


def test_split_evidence(cb, corpus):
    df = read_segments(FIX / "segments_ok.csv", cb, KEYS)
    ev, syn = split_evidence(df, corpus)
    assert syn["segment_id"].tolist() == ["s06"]
    assert len(ev) == 6 and not ev["is_synthesis"].any()
    assert mark_synthesis(df, corpus)["is_synthesis"].sum() == 1


def test_unused_references_excludes_the_review_itself(cb, corpus):
    df = read_segments(FIX / "segments_ok.csv", cb, KEYS)
    unused = unused_references(df, corpus)
    # Corpus has 6 records; alpha, beta, gamma, delta are cited, selfreview is the review.
    assert unused["record_id"].tolist() == ["eps2019unused"]


def test_claims_counted_once_across_dimensions():
    df = pd.DataFrame(
        {
            "locator": ["s1p1", "s1p1", "s1p2"],
            "excerpt": ["Same claim.", "same claim. ", "Other."],
            "ref_key": ["a", "a", "b"],
        }
    )
    assert claim_ids(df).tolist() == [0, 0, 1]


def test_summary_counts(cb, corpus):
    df = read_segments(FIX / "segments_ok.csv", cb, KEYS)
    # 7 rows, all with distinct excerpts; 1 row cites the review itself; 4 cited works.
    assert summary_counts(df, corpus) == {
        "segments": 7,
        "claims": 7,
        "evidence_segments": 6,
        "evidence_claims": 6,
        "evidence_sources": 4,
        "synthesis_segments": 1,
        "synthesis_claims": 1,
    }


# ---- the optional claim_id column (docs/protocol.md section 1) -------------------------------


def test_claim_id_column_after_coder_is_kept_and_groups_claims(tmp_path):
    # Three rows: s02 and s03 share claim c1 although their excerpts differ (one sentence,
    # two paraphrases); s04 is claim c2. By hand: 2 distinct claims, s02 and s03 equal.
    p = write(
        tmp_path,
        HEADER + ",claim_id",
        row(sid="s02") + ",c1",
        row(sid="s03", excerpt="Other words") + ",c1",
        row(sid="s04", loc="s1p3") + ",c2",
    )
    df = read_segments(p)
    assert list(df["claim_id"]) == ["c1", "c1", "c2"]
    ids = claim_ids(df)
    assert ids.nunique() == 2 and ids.iloc[0] == ids.iloc[1] != ids.iloc[2]


def test_claim_id_before_coder_and_empty_claim_id_rejected(tmp_path):
    cols = list(COLUMNS)
    before = ",".join(cols[:-1] + ["claim_id", "coder"])
    r = row().rsplit(",", 1)
    err = error_of(write(tmp_path, before, f"{r[0]},c1,{r[1]}"))
    assert err.line == 1 and "after coder" in err.message
    err = error_of(write(tmp_path, HEADER + ",claim_id", row() + ","))
    assert err.line == 2 and "claim_id" in err.message
