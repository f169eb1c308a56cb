"""A shared parameter file, codebook or sheet may not make revalign read files outside the project.

Attacks (issue 23): ``notes: /etc/passwd``, ``notes: ../outside/id_rsa`` and a symbolic link
inside a shared data folder passed ``check`` and their text was copied into the executed
notebooks; absolute ``bibliography`` and ``segments`` paths were read and their text reached
report.html; a codebook's ``base:`` and a reconcile sheet's ``coding_a`` column could name any
file too. A ``base:`` cycle ended in "data nested too deeply" naming no file; a FIFO or a
device named as an input was reported as "does not exist".

The promise (SECURITY.md): every input path named in a parameter file, a codebook (``base:``)
or a sheet stays inside the project folder after ``..`` and symbolic links are resolved, unless
the user lists the folder in the environment variable ``REVALIGN_ALLOW_INPUTS_FROM`` (which a
shared file cannot set). ``check`` reports a path outside as ``error: PARAMS:LINE: ...`` and
never reads it; every stage refuses it the same way (``config.load``).

Each test builds a project with ``revalign init`` (hostile.scaffold_project) and a folder beside
it, ``outside/``, holding a file whose text (SECRET) must never appear in any output.
"""

from __future__ import annotations

import os

import pytest
from hostile import one_error_line, run_main, scaffold_project, set_param

SECRET = "SECRET-7f3a: the private text of a file outside the project"
ALLOW = "REVALIGN_ALLOW_INPUTS_FROM"


@pytest.fixture
def proj(tmp_path, monkeypatch):
    monkeypatch.delenv(ALLOW, raising=False)
    proj = scaffold_project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text(f"# notes\n\n{SECRET}\n", encoding="utf-8")
    bib = (proj / "data/raw/mine/bibliography/example.bib").read_text(encoding="utf-8")
    (outside / "refs.bib").write_text(bib.replace("}", "}", 1) + f"\n% {SECRET}\n", encoding="utf-8")
    seg = (proj / "data/raw/mine/segments.csv").read_text(encoding="utf-8")
    (outside / "segments.csv").write_text(seg, encoding="utf-8")
    cb = (proj / "data/raw/mine/codebook.yml").read_text(encoding="utf-8")
    (outside / "codebook.yml").write_text(cb, encoding="utf-8")
    return proj


def _check(proj, capfd):
    return run_main(["check", "params/mine.yml"], capfd, cwd=proj)


def _outside_error(code, out, err, line: int, key: str):
    assert SECRET not in out + err
    assert "Traceback" not in err
    assert code == 2, err
    want = f"error: params/mine.yml:{line}: {key}:"
    hits = [e for e in err.splitlines() if e.startswith(want)]
    assert hits, f"no line starting {want!r}:\n{err}"
    assert "outside the project" in hits[0], hits[0]
    assert ALLOW in hits[0], hits[0]  # the message says how to allow a folder on one's own machine


def test_notes_absolute_path_outside(proj, capfd):
    target = str(proj.parent / "outside" / "notes.md")
    line = set_param(proj / "params/mine.yml", "notes", target)
    _outside_error(*_check(proj, capfd), line, "notes")


def test_notes_etc_passwd(proj, capfd):
    line = set_param(proj / "params/mine.yml", "notes", "/etc/passwd")
    code, out, err = _check(proj, capfd)
    assert "root:" not in out + err
    _outside_error(code, out, err, line, "notes")


def test_notes_dotdot_outside(proj, capfd):
    line = set_param(proj / "params/mine.yml", "notes", "../outside/notes.md")
    _outside_error(*_check(proj, capfd), line, "notes")


def test_symlink_in_shared_data_folder(proj, capfd):
    link = proj / "data/raw/mine/notes.md"
    link.symlink_to(proj.parent / "outside" / "notes.md")
    line = set_param(proj / "params/mine.yml", "notes", "data/raw/mine/notes.md")
    _outside_error(*_check(proj, capfd), line, "notes")


def test_symlinked_folder_in_shared_data_folder(proj, capfd):
    (proj / "data/raw/mine/shared").symlink_to(proj.parent / "outside", target_is_directory=True)
    line = set_param(proj / "params/mine.yml", "segments", "data/raw/mine/shared/segments.csv")
    _outside_error(*_check(proj, capfd), line, "segments")


@pytest.mark.parametrize(
    ("key", "name"),
    [("segments", "segments.csv"), ("codebook", "codebook.yml"), ("key_statistics", "notes.md")],
)
def test_other_parameter_paths_outside(proj, capfd, key, name):
    line = set_param(proj / "params/mine.yml", key, str(proj.parent / "outside" / name))
    _outside_error(*_check(proj, capfd), line, key)


def test_bibliography_entry_outside(proj, capfd):
    params = proj / "params/mine.yml"
    line = set_param(params, "bibliography", ["data/raw/mine/bibliography/example.bib", "../outside/refs.bib"])
    _outside_error(*_check(proj, capfd), line, "bibliography")


def test_stages_refuse_it_too(proj):
    """The JupyterLab route runs no check: every notebook starts with config.load, which refuses."""
    from revalign.core import config
    from revalign.core.errors import InputError

    set_param(proj / "params/mine.yml", "notes", "../outside/notes.md")
    with pytest.raises(InputError) as exc:
        config.load(proj / "params/mine.yml", root=proj)
    assert "outside the project" in str(exc.value)


def test_the_user_may_allow_a_folder_on_their_own_machine(proj, capfd, monkeypatch):
    set_param(proj / "params/mine.yml", "notes", str(proj.parent / "outside" / "notes.md"))
    monkeypatch.setenv(ALLOW, str(proj.parent / "outside"))
    code, out, err = _check(proj, capfd)
    assert code == 0, err
    # a folder the user allowed does not allow its neighbours
    (proj.parent / "elsewhere").mkdir()
    (proj.parent / "elsewhere" / "n.md").write_text("x\n", encoding="utf-8")
    line = set_param(proj / "params/mine.yml", "notes", str(proj.parent / "elsewhere" / "n.md"))
    _outside_error(*_check(proj, capfd), line, "notes")


def test_inside_paths_still_work(proj, capfd):
    (proj / "data/raw/mine/notes.md").write_text("## 01 x\n\ntext\n", encoding="utf-8")
    (proj / "data/raw/mine/alias.md").symlink_to("notes.md")  # a link inside the project is fine
    set_param(proj / "params/mine.yml", "notes", str(proj / "data/raw/mine/alias.md"))
    code, out, err = _check(proj, capfd)
    assert code == 0, err


# ---- a codebook's base -----------------------------------------------------------------------
def _with_base(proj, base: str) -> int:
    cb = proj / "data/raw/mine/codebook.yml"
    text = cb.read_text(encoding="utf-8")
    cb.write_text(f"base: {base}\n" + text, encoding="utf-8")
    return 1


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_codebook_base_outside(proj, capfd, how):
    outside = proj.parent / "outside" / "codebook.yml"
    if how == "dotdot":
        base = "../../../../outside/codebook.yml"
    elif how == "absolute":
        base = str(outside)
    else:
        (proj / "data/raw/mine/base.yml").symlink_to(outside)
        base = "base.yml"
    line = _with_base(proj, base)
    code, out, err = _check(proj, capfd)
    assert code == 2
    first = [e for e in err.splitlines() if e.startswith("error: data/raw/mine/codebook.yml")]
    assert first and first[0].startswith(f"error: data/raw/mine/codebook.yml:{line}: base:"), err
    assert "outside the project" in first[0]


def test_codebook_base_cycle_names_the_file(proj, capfd):
    cb = proj / "data/raw/mine/codebook.yml"
    other = proj / "data/raw/mine/other.yml"
    other.write_text("base: codebook.yml\n" + cb.read_text(encoding="utf-8"), encoding="utf-8")
    _with_base(proj, "other.yml")
    code, out, err = _check(proj, capfd)
    assert code == 2 and "Traceback" not in err
    assert "nested too deeply" not in err
    assert any(
        line.startswith(("error: data/raw/mine/codebook.yml:1: base:", "error: data/raw/mine/other.yml:1: base:"))
        and "cycle" in line
        for line in err.splitlines()
    ), err


# ---- FIFOs and devices -------------------------------------------------------------------------
def test_fifo_is_reported_as_a_fifo(proj, capfd):
    fifo = proj / "data/raw/mine/notes.md"
    os.mkfifo(fifo)
    line = set_param(proj / "params/mine.yml", "notes", "data/raw/mine/notes.md")
    code, out, err = _check(proj, capfd)
    assert code == 2
    hits = [e for e in err.splitlines() if e.startswith(f"error: params/mine.yml:{line}: notes:")]
    assert hits and "FIFO" in hits[0] and "does not exist" not in hits[0], err


def test_device_is_reported_as_a_device(proj, capfd, monkeypatch):
    (proj / "data/raw/mine/zero.csv").symlink_to("/dev/zero")
    monkeypatch.setenv(ALLOW, "/dev")  # allowed, so that the kind of file is what is reported
    line = set_param(proj / "params/mine.yml", "segments", "data/raw/mine/zero.csv")
    code, out, err = _check(proj, capfd)
    assert code == 2
    hits = [e for e in err.splitlines() if e.startswith(f"error: params/mine.yml:{line}: segments:")]
    assert hits and "device" in hits[0] and "does not exist" not in hits[0], err


# ---- files named inside a reconcile sheet ------------------------------------------------------
SHEET_HEADER = "claim_id,dimension,field,code_a,code_b,decision,note,locator,excerpt_a,excerpt_b,coding_a,coding_b\n"


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_reconcile_sheet_cannot_name_a_coding_outside(proj, capfd, how, monkeypatch):
    outside = proj.parent / "outside" / "segments.csv"
    named = str(outside) if how == "absolute" else "../outside/segments.csv"
    inside = "data/raw/mine/segments.csv"
    sheet = proj / "sheet.csv"
    sheet.write_text(SHEET_HEADER + f"C1,d1,polarity,strength,gap,A,,L1,x,y,{named},{inside}\n", encoding="utf-8")
    code, out, err = run_main(
        ["reconcile", "sheet.csv", "--codebook", "data/raw/mine/codebook.yml", "-o", "consensus.csv"], capfd, cwd=proj
    )
    line = one_error_line(code, err, where="sheet.csv:2", pattern="outside the project")
    assert SECRET not in out + err and "coding_a" in line
    assert not (proj / "consensus.csv").exists()


def test_in_text_citations_outside(proj, capfd):
    """in_text_citations names the list of in-text citations (stage 01's citation audit)."""
    from revalign.bibliography.citation_audit import read_citations
    from revalign.core.errors import InputError

    outside = proj.parent / "outside" / "citations.csv"
    outside.write_text(f"line,citation,form,first_author,year,locator,ref_key\n1,{SECRET},x,a,2020,,\n")
    line = set_param(proj / "params/mine.yml", "in_text_citations", "../outside/citations.csv")
    _outside_error(*_check(proj, capfd), line, "in_text_citations")
    # read by where it lies: a link in the project's data folder may not lead out of it either
    link = proj / "data/raw/mine/bibliography/in_text_citations.csv"
    link.symlink_to(outside)
    with pytest.raises(InputError):
        read_citations(link)


def test_screening_decision_file_outside(proj, capfd):
    """Main added people's screening decisions (screening.decisions): a file list like any other."""
    (proj.parent / "outside" / "rayyan.csv").write_text(f"key,title\nx,{SECRET}\n", encoding="utf-8")
    params = proj / "params/mine.yml"
    text = params.read_text(encoding="utf-8").replace(
        "screening:\n", "screening:\n  decisions:\n    - ../outside/rayyan.csv\n", 1
    )
    params.write_text(text, encoding="utf-8")
    line = text[: text.index("    - ../outside/rayyan.csv")].count("\n") + 1
    _outside_error(*_check(proj, capfd), line, "screening.decisions")


def test_bibliography_entry_with_columns_outside(proj, capfd):
    """A bibliography entry may be a mapping {file, columns} (a CSV of no known layout)."""
    params = proj / "params/mine.yml"
    line = set_param(params, "bibliography", ["data/raw/mine/bibliography/example.bib"])
    text = params.read_text(encoding="utf-8").replace(
        'bibliography: ["data/raw/mine/bibliography/example.bib"]',
        "bibliography:\n  - data/raw/mine/bibliography/example.bib\n  - {file: ../outside/refs.bib, columns: {title: Title}}",
    )
    params.write_text(text, encoding="utf-8")
    _outside_error(*_check(proj, capfd), line + 2, "bibliography")
