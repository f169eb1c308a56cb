"""`coding validate`: inputs from --params or given explicitly, never silent built-in defaults."""

from revalign.cli import main


def test_without_params_or_codebook_it_refuses(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    assert main(["coding", "validate", "--segments", "data/raw/coding/segments.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "--params" in err and "--codebook, --bibliography" in err


def test_with_params_it_says_which_inputs_it_uses(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    assert main(["coding", "validate", "--params", "params/default.yml"]) == 0
    out = capsys.readouterr().out.splitlines()
    # the three inputs named in params/default.yml
    assert out[:3] == [
        "segments: data/raw/coding/segments.csv",
        "codebook: data/raw/codebook/aect2023.yml",
        "bibliography: data/raw/bibliography/references.bib",
    ]


def test_explicit_codebook_overrides_the_params(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    code = main(
        ["coding", "validate", "--params", "params/ai_literacy_au.yml", "--codebook", "data/raw/codebook/aect2023.yml"]
    )
    out, err = capsys.readouterr()
    assert "codebook: data/raw/codebook/aect2023.yml" in out
    assert code == 2 and "is not in the codebook" in err  # the example's codes are not AECT codes
