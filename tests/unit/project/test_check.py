"""`revalign check`: every problem of every input, one line each, then a count; exit 2.

The small project below is written by hand with known mistakes; the expected lines are
worked out from it (file, line and what is wrong), not taken from the program's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from revalign.cli import main
from revalign.project.check import check, check_with_warnings
from tiny_review import BIB, CODEBOOK, HEADER, PARAMS
from tiny_review import write_project as _project


def _lines(problems):
    return [p.format() for p in problems]


def test_a_correct_project_has_no_problems(tmp_path):
    problems, checked = check(_project(tmp_path), root=tmp_path)
    assert problems == []
    assert len(checked) == 4  # params, one export, codebook, segments


def test_every_segment_problem_is_listed_not_only_the_first(tmp_path):
    rows = (
        "S1,smith_first_2024,p. 1,t1,one,strength,practice,here,A claim.,a\n"  # line 2: fine
        "S2,nobody_2020,p. 2,t1,three,gap,concept,there,Claim.,a\n"  # line 3: unknown key and dimension
        "S1,jones_second_2023,p. 3,t1,two,good,concept,there,Claim.,a\n"  # line 4: repeated id, unknown polarity
    )
    problems, _ = check(_project(tmp_path, segments=HEADER + rows), root=tmp_path)
    where = [(p.file.rsplit("/", 1)[-1], p.line) for p in problems]
    assert where == [("seg.csv", 3), ("seg.csv", 3), ("seg.csv", 4), ("seg.csv", 4)]
    text = "\n".join(p.message for p in problems)
    assert "ref_key 'nobody_2020' is not a citation key" in text
    assert "dimension 'three' is not in the codebook" in text
    assert "segment_id 'S1' already used on line 2" in text
    assert "polarity 'good' is not in the codebook" in text


def test_problems_in_several_files_are_all_reported(tmp_path):
    params = PARAMS + "framework: other\nlangauge: en\n"  # line 4: wrong framework id; line 5: typo key
    bad_codebook = CODEBOOK.replace("{id: two, label: Two,", "{id: Two, label: Two,")  # line 4: invalid id
    bad_bib = BIB + "@article{broken, title = {Unclosed\n"
    p = _project(tmp_path, params=params, codebook=bad_codebook, bib=bad_bib)
    problems, _, warnings = check_with_warnings(p, root=tmp_path)
    files = sorted({x.file.rsplit("/", 1)[-1] for x in problems})
    # the broken entry of refs.bib is a warning naming its line: the run reads the rest of the file
    assert files == ["cb.yml", "run.yml"]
    assert any("refs.bib:" in w and "'broken'" in w for w in warnings), warnings
    run_lines = [x for x in problems if x.file.endswith("run.yml")]
    assert any(x.line == 5 and "langauge: unknown key" in x.message for x in run_lines)
    assert any(x.line == 4 and "components.1.id" in x.message for x in problems if x.file.endswith("cb.yml"))


def test_every_unreadable_bibliography_file_is_reported_and_good_ones_read_once(tmp_path, monkeypatch):
    from revalign.bibliography import importer

    params = PARAMS.replace("[refs.bib]", "[refs.bib, a.pdf, b.bib]")
    p = _project(tmp_path, params=params)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")  # a PDF named as an export
    (tmp_path / "b.bib").write_text("", encoding="utf-8")  # an empty file: no records
    problems, _ = check(p, root=tmp_path)
    assert sorted(x.file.rsplit("/", 1)[-1] for x in problems) == ["a.pdf", "b.bib"]  # both, not the first only
    # a sound bibliography is read once by check (stage 01 reads it again)
    reads = []
    real = importer.read_file
    monkeypatch.setattr(importer, "read_file", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    problems, _ = check(_project(tmp_path), root=tmp_path)
    assert problems == []
    assert [Path(r).name for r in reads] == ["refs.bib"]


def test_missing_inputs_are_each_named_with_their_line(tmp_path):
    params = "bibliography: [refs.bib, gone.ris]\ncodebook: nocodebook.yml\nsegments: seg.csv\n"
    problems, _ = check(_project(tmp_path, params=params), root=tmp_path)
    msgs = [(x.line, x.message) for x in problems]
    assert (1, "bibliography: input file gone.ris does not exist") in [
        (n, m.replace(str(tmp_path) + "/", "")) for n, m in msgs
    ]
    assert any(n == 2 and "codebook: input file" in m and "does not exist" in m for n, m in msgs)


def test_header_only_segments_file_is_a_clear_error(tmp_path):
    problems, _ = check(_project(tmp_path, segments=HEADER), root=tmp_path)
    assert len(problems) == 1
    assert "no coded segments" in problems[0].message


def test_cli_prints_one_error_line_per_problem_then_a_count_and_exits_2(tmp_path, monkeypatch, capsys):
    rows = "S1,nobody_2020,p. 1,t1,one,strength,practice,here,A.,a\nS2,smith_first_2024,p. 2,t9,one,gap,practice,here,B.,a\n"
    p = _project(tmp_path, segments=HEADER + rows)
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert [line.split(": ", 2)[1] for line in err[:-1]] == ["seg.csv:2", "seg.csv:3"]
    assert all(line.startswith("error: ") for line in err[:-1])
    assert err[-1].startswith("2 problems found")


def test_cli_ok(tmp_path, monkeypatch, capsys):
    p = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(p)]) == 0
    assert capsys.readouterr().out.startswith("ok: 4 input files")


@pytest.mark.parametrize("params", ["params/default.yml", "params/aect2008.yml", "params/ai_literacy_au.yml"])
def test_the_repository_parameter_files_check_clean(root, params, monkeypatch):
    monkeypatch.chdir(root)
    problems, _ = check(params, root=root)
    assert [p.format() for p in problems] == []


def test_published_table_without_its_columns_is_reported(tmp_path):
    (tmp_path / "pub.csv").write_text("dim,level\nx,y\n")  # neither dimension nor published_level
    problems, _ = check(_project(tmp_path, params=PARAMS + "published_table: pub.csv\n"), root=tmp_path)
    assert [(p.line, p.message) for p in problems] == [(1, "missing column dimension")]


def test_appraisal_rows_are_checked_against_the_corpus_keys(tmp_path):
    from revalign.alignment.appraisal import TOOLS

    rows = [
        f"{key},survey,{tool},{crit},yes,from the record"
        for key in ("smith_first_2024", "ghost_2020")  # ghost_2020 is not in refs.bib
        for tool in ("aacods", "relevance")
        for crit in TOOLS[tool].criteria
    ]
    (tmp_path / "app.csv").write_text("ref_key,design,tool,criterion,judgement,reason\n" + "\n".join(rows) + "\n")
    problems, _ = check(_project(tmp_path, params=PARAMS + "appraisal: app.csv\n"), root=tmp_path)
    # no key of refs.bib is close to ghost_2020: no suggestion, only where the keys are listed
    assert [p.message for p in problems] == [
        "ref_key 'ghost_2020' is not a citation key of the bibliography "
        "(python -m revalign bib keys PARAMS lists every key)"
    ]


def test_a_segment_citing_a_work_screening_excludes_is_a_warning_not_an_error(tmp_path, monkeypatch, capsys):
    # jones_second_2023 is from 2023; a window from 2024 excludes it; S2 on line 3 of seg.csv cites it
    p = _project(tmp_path, params=PARAMS + "screening: {year_min: 2024}\n")
    problems, _, warnings = check_with_warnings(p, root=tmp_path)
    assert problems == []
    assert [w.split(",")[0] for w in warnings] == [f"{tmp_path / 'seg.csv'}:3: segment S2 cites jones_second_2023"]
    assert "screening excluded (year_out_of_window)" in warnings[0]
    monkeypatch.chdir(tmp_path)
    assert main(["check", "run.yml"]) == 0  # a warning does not stop the run
    err = capsys.readouterr().err
    assert err.startswith("warning: seg.csv:3: segment S2 cites jones_second_2023")


def test_labels_the_figures_font_cannot_draw_are_a_warning_on_their_line(tmp_path):
    # the theme's label (line 5 of CODEBOOK) in Japanese, and the run in Japanese: DejaVu Sans has no kanji
    codebook = CODEBOOK.replace("label: Theme", "label: {en: Theme, ja: 主題}")
    problems, _, warnings = check_with_warnings(
        _project(tmp_path, params=PARAMS + "lang: ja\n", codebook=codebook), tmp_path
    )
    assert problems == []
    assert [w.split(";")[0] for w in warnings] == [
        f"{tmp_path / 'cb.yml'}:5: themes: the label '主題' of 't1' has characters the figures' font (DejaVu Sans) "
        "cannot draw (主題)"
    ]
    # in English the same codebook draws: no warning
    assert check_with_warnings(_project(tmp_path, codebook=codebook), tmp_path)[2] == []


def test_an_unknown_key_in_the_codebook_or_parameters_gets_the_closest_valid_key(tmp_path):
    codebook = CODEBOOK.replace("levels: [{rank: 0, id: low, label: Low}", "levels: [{rank: 0, id: low, lable: Low}")
    problems, _ = check(_project(tmp_path, params=PARAMS + "lnag: de\n", codebook=codebook), tmp_path)
    # PARAMS has three lines: lnag is on line 4; levels is line 9 of CODEBOOK (its label is then missing too)
    assert sorted((Path(p.file).name, p.line, p.message) for p in problems) == [
        ("cb.yml", 9, "levels.0.label: required key is missing; add it"),
        ("cb.yml", 9, "levels.0.lable: unknown key; did you mean 'label'?"),
        ("run.yml", 4, "lnag: unknown key; did you mean 'lang'?"),
    ]


def test_an_indentation_mistake_in_a_nested_codebook_section_names_its_line(tmp_path):
    codebook = CODEBOOK.replace(
        "levels: [{rank: 0, id: low, label: Low}, {rank: 1, id: high, label: High}]",
        "levels:\n  - rank: 0\n    id: low\n    label: Low\n  - rank: 1\n    id: high\n     label: High\n",
    )
    problems, _ = check(_project(tmp_path, codebook=codebook), tmp_path)
    # "     label: High" (five spaces) is line 15 of the codebook: levels starts on line 9
    assert [(p.line, "indentation" in p.message) for p in problems if str(p.file).endswith("cb.yml")] == [(15, True)]


def test_a_weight_for_a_term_the_codebook_lacks_is_named_on_its_line(tmp_path):
    # Before, such a weight was silently ignored and the run used the codebook's weight. The
    # tiny codebook's facets are concept/practice and its contexts here/there; lines counted by
    # hand: PARAMS has three lines, so 'alignment:' is line 4.
    params = PARAMS + (
        "alignment:\n"  # 4
        "  facet_weights: {concept: 2, practise: 1}\n"  # 5
        "  context_weights:\n"  # 6
        "    here: 2\n"  # 7
        "    concept: 1\n"  # 8: a facet, not a context
        "  elsewhere_weight: 3\n"  # 9: the revalign 0.1 form (difflib: 'here' 0.62, 'there' 0.57)
        "  there_weight: 0.5\n"  # 10: fine, a context
    )
    problems, _ = check(_project(tmp_path, params=params), tmp_path)
    assert sorted((p.line, p.message) for p in problems) == [
        (5, "alignment.facet_weights.practise: the codebook has no facet 'practise'; did you mean 'practice'?"),
        (
            8,
            "alignment.context_weights.concept: the codebook has no context 'concept'; the codebook's are: here, there",
        ),
        (9, "alignment.elsewhere_weight: the codebook has no facet or context 'elsewhere'; did you mean 'here'?"),
    ]
