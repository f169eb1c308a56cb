"""YAML from others (parameter files, codebooks, QDA mapping files) is read with bounds.

Attacks (issue 14): a ~400-byte alias bomb ran for minutes then ran out of memory
(yamlio ``_walk`` visited every path through the aliases); a mapping used as a key and
deep nesting ended in tracebacks. The bombs below expand to 9**9 (387 million) values,
so anything that expands them cannot finish within the time guard; a bounded reader
refuses them after reading a few hundred bytes.
"""

from __future__ import annotations

import pytest
from hostile import (
    CODEBOOK,
    limited_run,
    make_qdpx,
    one_error_line,
    project_qde,
    qda_import,
    run_main,
    time_limit,
)

BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _bomb(tmp_path, name="bomb.yml"):
    p = tmp_path / name
    p.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 500
    return p


def test_alias_bomb_in_parameter_file(tmp_path, capfd):
    p = _bomb(tmp_path)
    with time_limit(20):
        code, o, e = run_main(["deps", p], capfd)
    one_error_line(code, e, where=str(p), pattern=r"alias")


def test_alias_bomb_in_codebook(tmp_path, capfd):
    p = _bomb(tmp_path)
    with time_limit(20):
        code, o, e = run_main(["qda", "export-codebook", p, "-o", tmp_path / "x.qdc"], capfd)
    one_error_line(code, e, where=str(p), pattern=r"alias")
    assert not (tmp_path / "x.qdc").exists()


def test_alias_bomb_in_qda_map_file(tmp_path, capfd):
    p = _bomb(tmp_path)
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde())
    with time_limit(20):
        code, o, e = run_main(qda_import(qdpx, tmp_path / "s.csv", "--map", p), capfd)
    one_error_line(code, e, where=str(p), pattern=r"alias")


def test_alias_bomb_in_a_real_process(tmp_path):
    p = _bomb(tmp_path)
    r = limited_run(["-m", "revalign", "deps", p], timeout=60, memory_gib=2)
    one_error_line(r.returncode, r.stderr, where=str(p), pattern=r"alias")


def test_recursive_alias_refused(tmp_path, capfd):
    p = tmp_path / "rec.yml"
    p.write_text("bibliography: &a [*a]\ncodebook: c.yml\nsegments: s.csv\n", encoding="utf-8")
    with time_limit(20):
        code, o, e = run_main(["deps", p], capfd)
    one_error_line(code, e, where=str(p), pattern=r"alias|recurs|itself")


def test_deep_nesting_refused(tmp_path, capfd):
    p = tmp_path / "deep.yml"
    p.write_text("bibliography: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with time_limit(20):
        code, o, e = run_main(["deps", p], capfd)
    one_error_line(code, e, where=f"{p}:1", pattern=r"nest|deep")


@pytest.mark.parametrize("key", ["{a: 1}", "[a, b]"], ids=["mapping", "list"])
def test_mapping_or_list_used_as_a_key(tmp_path, capfd, key):
    p = tmp_path / "p.yml"
    p.write_text(f"bibliography: [a.bib]\n? {key}\n: x\n", encoding="utf-8")
    code, o, e = run_main(["deps", p], capfd)
    one_error_line(code, e, where=f"{p}:2", pattern=r"key")


def test_mapping_as_key_in_codebook(tmp_path, capfd):
    p = tmp_path / "cb.yml"
    p.write_text(CODEBOOK.read_text(encoding="utf-8") + "? {a: 1}\n: x\n", encoding="utf-8")
    code, o, e = run_main(["qda", "export-codebook", p, "-o", tmp_path / "x.qdc"], capfd)
    one_error_line(code, e, where=str(p), pattern=r"key")
