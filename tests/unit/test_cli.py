def test_help_lists_commands(cli):
    r = cli("--help")
    assert r.returncode == 0
    for command in ("bib", "align", "agree", "qda", "coding"):
        assert command in r.stdout


def test_usage_error_is_one_line_and_exit_2(cli):
    r = cli("align", "-o", "x")  # --segments missing
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("error:")


def test_bad_parameter_file_exit_2_without_traceback(cli, tmp_path):
    p = tmp_path / "p.yml"
    p.write_text("bibliography: [a.bib]\ncodebook: c.yml\nsegments: s.csv\nlang: French\n")
    r = cli("deps", p)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.strip() .startswith(f"error: {p}:4: lang")
