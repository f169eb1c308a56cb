"""A parameter file must not inject anything into Make, nor make a run write outside runs/NAME/.

Each attack is built here, in a copy of the project (no binary fixtures). Before this was
defended (main at 8b80dd0), each one succeeded:

- a newline in an input path became new Makefile lines: a rule `pwned:;touch PWNED`, made a
  prerequisite of `report`, ran;
- `%`, `:`, `;`, `*`, `?`, `[`, `\\`, `|`, `=` went into the rules unescaped; `#` commented out
  the rest of a stage's prerequisites, so an input was silently dropped;
- a parameter file named `...yml` gave the run name `..`, so runs/../notebooks was the
  committed notebooks; another file called default.yml wrote the committed results;
- a symbolic link runs/NAME -> elsewhere made a run write outside the project.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from project_copy import link_environment, make
from revalign import cli

ROOT = Path(__file__).resolve().parents[2]

if shutil.which("make") is None:  # pragma: no cover
    pytest.skip("GNU make is not installed", allow_module_level=True)

BASE = """\
bibliography:
  - {bib}
codebook: data/raw/codebook/aect2023.yml
segments: {seg}
"""
BIB = "data/raw/bibliography/references.bib"
SEG = "data/raw/coding/segments.csv"


@pytest.fixture
def project(tmp_path) -> Path:
    """The files `make report` reads, copied with their times; the environment linked."""
    tmp = tmp_path / "revalign"
    tmp.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, tmp / name)
    for name in ("scripts", "src", "notebooks", "params", "data/raw"):
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
    link_environment(tmp)
    return tmp


def _params(project: Path, name: str, bib: str = BIB, seg: str = SEG) -> str:
    """Write params/NAME (paths as JSON strings, so any character can be in them)."""
    (project / "params" / name).write_text(BASE.format(bib=json.dumps(bib), seg=json.dumps(seg)), encoding="utf-8")
    return f"params/{name}"


def _copy_input(project: Path, src: str, dst: str) -> None:
    (project / dst).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(project / src, project / dst)


def deps(project: Path, params: str, monkeypatch, capsys) -> tuple[int, str]:
    """`python -m revalign deps PARAMS` in-process; (exit code, stderr)."""
    monkeypatch.chdir(project)
    code = cli.main(["deps", params])
    return code, capsys.readouterr().err


def _one_error_line(stderr: str, start: str) -> None:
    lines = [li for li in stderr.splitlines() if li.startswith("error:")]
    assert lines and lines[0].startswith(start), stderr
    assert "Traceback" not in stderr


# ---- paths from the parameter file --------------------------------------------------


def test_a_newline_in_an_input_path_cannot_add_make_lines(project, monkeypatch, capsys):
    # four Makefile lines, each valid on its own (no space or '$', which were escaped): the
    # goal `report` gains a prerequisite whose recipe runs a command
    evil = "data/raw/bibliography/references.bib\nreport:pwned\npwned:;touch\tPWNED\nX:=x.bib"
    _copy_input(project, BIB, evil)
    params = _params(project, "evil.yml", bib=evil)
    r = make(project, "-n", "report", f"PARAMS={params}")
    assert "PWNED" not in r.stdout, "a path from the parameter file added a command to the plan"
    r = make(project, "report", f"PARAMS={params}")
    assert not (project / "PWNED").exists(), "a path from the parameter file ran a command"
    assert r.returncode == 2, r.stdout + r.stderr
    # the list item is on line 2 of the parameter file
    _one_error_line(r.stderr, "error: params/evil.yml:2: bibliography: the path ")
    assert "contains the control character U+000A" in r.stderr
    code, err = deps(project, params, monkeypatch, capsys)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: params/evil.yml:2: bibliography:")


@pytest.mark.parametrize("char", ["%", ":", ";", "*", "?", "[", "]", "\\", "|", "=", "`", "\t", "\x7f"])
def test_a_character_make_cannot_take_is_refused_with_file_and_line(project, monkeypatch, capsys, char):
    seg = f"data/raw/coding/seg{char}x.csv"
    _copy_input(project, SEG, seg)
    params = _params(project, "odd.yml", seg=seg)
    code, err = deps(project, params, monkeypatch, capsys)
    assert code == 2, err
    # segments is on line 4 of the parameter file
    _one_error_line(err, "error: params/odd.yml:4: segments: the path ")
    assert err.count("\n") == 1
    r = make(project, "-n", "report", f"PARAMS={params}")
    assert r.returncode == 2 and "error: params/odd.yml:4: segments:" in r.stderr


def test_a_base_codebook_with_a_bad_name_is_refused(project, monkeypatch, capsys):
    """The codebooks a codebook's ``base:`` names go into the rules too (and only they: a file
    merely lying beside the codebook is no prerequisite, so its name cannot reach Make)."""
    _copy_input(project, "data/raw/codebook/aect2023.yml", "data/raw/codebook/base;rm -rf x.yml")
    params = _params(project, "cb.yml")
    code, err = deps(project, params, monkeypatch, capsys)
    assert code == 0, err  # beside the codebook, not named by it: not in the rules
    # data/raw/codebook/aect2008.yml, with its base: line pointing at the hostile name
    cb = project / "data/raw/codebook/aect2008.yml"
    text = cb.read_text(encoding="utf-8")
    assert "\nbase: aect2023.yml\n" in text
    cb.write_text(text.replace("\nbase: aect2023.yml\n", '\nbase: "base;rm -rf x.yml"\n'), encoding="utf-8")
    (project / params).write_text(
        (project / params).read_text(encoding="utf-8").replace("aect2023.yml", "aect2008.yml"), encoding="utf-8"
    )
    code, err = deps(project, params, monkeypatch, capsys)
    assert code == 2
    _one_error_line(err, "error: params/cb.yml:3: codebook: the path ")
    assert "base;rm -rf x.yml" in err and "which Make cannot take" in err


def test_space_hash_and_dollar_are_escaped_and_keep_the_dependency(project):
    """Worked out by hand: stage 01 reads the bibliography, so touching it replans 01 and all
    stages downstream of it (02 and 04 read 01's corpus, 03 reads 02's, 05 reads all)."""
    odd = "data/raw/bibliography/my refs #1 $HOME.bib"
    _copy_input(project, BIB, odd)
    params = _params(project, "odd.yml", bib=odd)
    for d in ("processed", "figures", "interim", "notebooks", "report-data"):
        (project / "runs" / "odd" / d).mkdir(parents=True)  # make -t does not create folders
    r = make(project, "-t", "report", f"PARAMS={params}")  # mark every stage as done
    assert r.returncode == 0, r.stderr
    assert make(project, "-q", "report", f"PARAMS={params}").returncode == 0
    os.utime(project / odd)
    r = make(project, "-n", "report", f"PARAMS={params}")
    assert r.returncode == 0, r.stderr
    stages = [li.split("run-notebook notebooks/")[1][:2] for li in r.stdout.splitlines() if "run-notebook" in li]
    assert stages == ["01", "02", "03", "04", "05"]


# ---- run names -----------------------------------------------------------------------


def test_a_dot_only_run_name_is_refused(project, monkeypatch, capsys):
    params = _params(project, "...yml")
    r = make(project, "-n", "report", f"PARAMS={params}")
    assert r.returncode == 2
    assert "error: params/...yml: the run name '..' is dots only" in r.stderr
    assert "run-notebook" not in r.stdout
    code, err = deps(project, params, monkeypatch, capsys)
    assert code == 2
    _one_error_line(err, "error: params/...yml: the run name '..' (the file's name without .yml) may hold only")
    code = cli.main(["run-notebook", "notebooks/01_bibliography.ipynb", "--params", params, "-o", "x.ipynb"])
    assert code == 2 and not (project / "x.ipynb").exists()


@pytest.mark.parametrize("name", ["a b.yml", "x'y.yml", "ü.yml", "semi;colon.yml"])
def test_a_run_name_with_other_characters_is_refused(project, monkeypatch, capsys, name):
    params = _params(project, name)
    r = make(project, "-n", "report", f"PARAMS={params}")
    assert r.returncode == 2
    assert "may hold only letters, digits" in r.stderr
    assert "run-notebook" not in r.stdout
    code, err = deps(project, params, monkeypatch, capsys)
    assert code == 2 and "may hold only letters, digits, '.', '_' and '-'" in err


def test_a_dollar_in_the_run_name_is_refused(project, monkeypatch, capsys):
    code, err = deps(project, _params(project, "x$(id).yml"), monkeypatch, capsys)
    assert code == 2 and "error: params/x$(id).yml: the run name 'x$(id)'" in err


def test_only_params_default_yml_writes_the_committed_results(project, monkeypatch, capsys):
    (project / "elsewhere").mkdir()
    shutil.copy2(project / "params" / "default.yml", project / "elsewhere" / "default.yml")
    r = make(project, "-n", "report", "PARAMS=elsewhere/default.yml")
    assert r.returncode == 2 and "only params/default.yml may be called default.yml" in r.stderr
    code, err = deps(project, "elsewhere/default.yml", monkeypatch, capsys)
    assert code == 2 and "only params/default.yml may be called default.yml" in err


def test_a_run_folder_that_links_outside_the_project_is_refused(project, tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "runs").mkdir()
    (project / "runs" / "linked").symlink_to(outside)
    code, err = deps(project, _params(project, "linked.yml"), monkeypatch, capsys)
    assert code == 2
    _one_error_line(
        err,
        "error: params/linked.yml: run 'linked' would write runs/linked/processed/corpus.csv "
        "outside runs/linked (a symbolic link or '..' on the way)",
    )
    assert list(outside.iterdir()) == []


def _listed(lines: list[str], i: int) -> list[str]:
    """The items of the Make list whose `NAME := \\` is lines[i], one a line, each but the last
    ending in a backslash."""
    items = []
    for item in lines[i + 1 :]:
        items.append(item.strip().removesuffix("\\").strip())
        if not item.endswith("\\"):
            return items
    return items


def test_every_file_a_run_writes_is_under_runs_name(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert cli.main(["deps", _params(project, "mine.yml")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    # each stage's rule is `$(NAME_OUTPUTS): ...`, its targets listed one a line under
    # `NAME_OUTPUTS := \` (with '%' for the '.' of the suffix: a grouped pattern rule)
    rules = [li.split(":")[0] for li in lines if li.startswith("$(") and li.split(":")[0].endswith("_OUTPUTS)")]
    assert rules == [f"$({s}_OUTPUTS)" for s in ("bibliography", "screening", "coding", "alignment", "report")]
    targets = [t for i, li in enumerate(lines) if li.endswith("_OUTPUTS := \\") for t in _listed(lines, i)]
    assert len(targets) > 40
    assert all(t.startswith("runs/mine/") for t in targets), targets
    # the report's data files, beside report.html, are declared (so make knows who writes them)
    for name in ("corpus%csv", "corpus%xlsx", "screening%csv", "screening%xlsx"):
        assert f"runs/mine/report-data/{name}" in targets
    # and everything the run writes, listed for `make clean` and the checks, is under runs/mine too
    listed = _listed(lines, lines.index("REVALIGN_TARGETS := \\"))
    assert len(listed) >= len(targets) and all(t.startswith("runs/mine/") for t in listed), listed
