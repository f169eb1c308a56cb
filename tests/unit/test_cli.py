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
    assert r.stderr.strip().startswith(f"error: {p}:4: lang")


def test_in_process_runner_restores_cwd_and_environment(cli, tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("REVALIGN_TEST_MARK", "before")
    cwd = os.getcwd()
    r = cli("--version", cwd=tmp_path, env={"REVALIGN_TEST_MARK": "during"})
    # argparse's --version prints and exits 0 (a SystemExit, turned into the return code)
    assert r.returncode == 0 and r.stdout.startswith("revalign ")
    assert os.getcwd() == cwd and os.environ["REVALIGN_TEST_MARK"] == "before"


def test_in_process_runner_usage_error_is_exit_2(cli):
    r = cli("qda")  # an ACTION is required
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines()[-1] == (
        "error: python -m revalign qda: the following arguments are required: ACTION"
    )
