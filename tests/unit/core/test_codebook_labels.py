"""Labels in any languages, English fallback with one warning, and the framework id check.

Expected values are the strings written in the small codebooks below (by hand), not the
output of the code under test.
"""

from __future__ import annotations

import pytest

from revalign.core import codebook as codebook_mod
from revalign.core import config
from revalign.core.codebook import load_codebook
from revalign.core.errors import InputError

CODEBOOK = """\
framework: {{id: {fw}, name: Test framework, definition: A definition.}}
components:
  - id: alpha
    label: {label_alpha}
    phrase: alpha
    description: The first.
    headline: true
    indicators: {{en: [alpha], de: [alphabet]}}
  - id: beta
    label: Beta only in English
    phrase: beta
    description: The second.
themes: [{{id: t1, label: {{en: Theme one, de: Thema eins}}}}]
polarity: [{{id: strength, label: {{en: Strength}}}}, {{id: gap, label: {{en: Gap}}}}]
facet: [{{id: concept, label: {{en: Concept}}}}]
context: [{{id: here, label: {{en: Here}}}}]
levels: [{{rank: 0, id: low, label: {{en: Low}}}}, {{rank: 1, id: high, label: {{en: High}}}}]
"""


def _codebook(tmp_path, fw="myframe", label_alpha="{en: Alpha, de: Alpha (Deutsch), pt-BR: Alfa}"):
    p = tmp_path / "cb.yml"
    p.write_text(CODEBOOK.format(fw=fw, label_alpha=label_alpha), encoding="utf-8")
    return p


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    # the once-per-language memory is process-wide; each test starts without it
    monkeypatch.setattr(codebook_mod, "_warned_langs", set())


def test_labels_in_any_language_and_plain_string_is_english(tmp_path):
    cb = load_codebook(_codebook(tmp_path))
    assert cb.label("component", "alpha", "de") == "Alpha (Deutsch)"
    assert cb.label("component", "alpha", "pt-BR") == "Alfa"
    assert cb.label("component", "beta", "en") == "Beta only in English"
    assert cb.components[0].indicators.de == ["alphabet"]
    assert cb.components[1].indicators.de == []  # a language without terms has none
    assert cb.languages == ["en"]  # only English is given for every label


def test_old_two_language_form_still_reads():
    cb = load_codebook("data/raw/codebook/aect2023.yml")
    # written in the file: label: {en: Evaluation, id: Evaluasi}
    assert cb.label("component", "evaluation", "id") == "Evaluasi"
    assert cb.components[0].label.en == "Ethical study and application"
    assert cb.languages == ["en", "id"]


def test_missing_translation_falls_back_to_english_with_one_warning(tmp_path, capsys):
    cb = load_codebook(_codebook(tmp_path))
    # 9 labelled entries (2 components, 1 theme, 2 polarity, 1 facet, 1 context, 2 levels), of
    # which only alpha and t1 have German: 9 - 2 = 7 lack it.
    text = codebook_mod.warn_missing_translations(cb, "de")
    assert text is not None and "7 of 9 labels have no 'de' label" in text
    assert cb.label("component", "beta", "de") == "Beta only in English"
    assert cb.label("levels", "high", "de") == "High"
    assert codebook_mod.warn_missing_translations(cb, "de") is None  # not twice
    err = capsys.readouterr().err
    assert err.count("warning:") == 1


def test_a_regional_code_takes_the_language_label_and_a_label_without_english_its_first_language(tmp_path, capsys):
    cb = load_codebook(_codebook(tmp_path, label_alpha="{de: Nur deutsch}"))
    assert cb.label("component", "alpha", "de-AT") == "Nur deutsch"  # de-AT: the de label
    assert cb.label("component", "alpha", "en") == "Nur deutsch"  # no English: its first (only) language
    err = capsys.readouterr().err
    # the warning does not claim English is shown where there is none (issue 21: a false warning)
    assert "English is used" not in err and "first language they have" in err


def test_fallback_without_the_upfront_check_also_warns_once(tmp_path, capsys):
    cb = load_codebook(_codebook(tmp_path))
    assert cb.label("polarity", "gap", "fr") == "Gap"
    assert cb.label("polarity", "strength", "fr") == "Strength"
    assert capsys.readouterr().err.count("warning:") == 1


@pytest.mark.parametrize("label, fragment", [("{}", "at least one language"), ("{English: Alpha}", "language codes")])
def test_bad_labels_are_input_errors_with_a_line(tmp_path, label, fragment):
    with pytest.raises(InputError) as exc:
        load_codebook(_codebook(tmp_path, label_alpha=label))
    assert fragment in exc.value.message
    assert exc.value.line == 4  # line 4 of CODEBOOK: the label of component alpha


PARAMS = "bibliography: [refs.bib]\ncodebook: cb.yml\nsegments: s.csv\n"


def _params(tmp_path, extra=""):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "revalign").mkdir(parents=True, exist_ok=True)
    p = tmp_path / "run.yml"
    p.write_text(PARAMS + extra)
    return p


def test_framework_is_optional_and_any_id_that_matches_the_codebook(tmp_path):
    _codebook(tmp_path, fw="unesco_aicfs2024")
    assert config.load(_params(tmp_path), root=tmp_path).params.framework is None
    cfg = config.load(_params(tmp_path, "framework: unesco_aicfs2024\n"), root=tmp_path)
    assert cfg.params.framework == "unesco_aicfs2024"


def test_framework_that_differs_from_the_codebook_is_refused_on_its_line(tmp_path):
    _codebook(tmp_path, fw="unesco_aicfs2024")
    with pytest.raises(InputError) as exc:
        config.load(_params(tmp_path, "framework: aect2023\n"), root=tmp_path)
    assert exc.value.line == 4
    assert "'aect2023' is not the framework of the codebook cb.yml ('unesco_aicfs2024')" in exc.value.message


def test_lang_takes_any_language_code_and_warns_once_on_load(tmp_path, capsys):
    _codebook(tmp_path)
    cfg = config.load(_params(tmp_path, "lang: de\n"), root=tmp_path)
    assert cfg.lang == "de"
    assert capsys.readouterr().err.count("warning:") == 1


def test_notes_key_is_read_when_given(tmp_path):
    _codebook(tmp_path)
    (tmp_path / "notes.md").write_text("# About this review\n", encoding="utf-8")
    cfg = config.load(_params(tmp_path, "notes: notes.md\n"), root=tmp_path)
    assert config.read_notes(cfg) == "# About this review\n"
    assert config.read_notes(config.load(_params(tmp_path), root=tmp_path)) is None
