"""The message catalog: complete shipped languages, fallback per message, and no visible bypass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revalign.core import catalog, i18n
from revalign.core.i18n import N_, messages, pick

LANG_CODE = st.from_regex(r"\A[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}\Z")


def test_pick_uses_the_language_when_present_else_english():
    texts = {"en": "dimension", "id": "dimensi"}
    assert pick(texts, "id") == "dimensi"
    assert pick(texts, "de") == "dimension"


@pytest.fixture(scope="module")
def template():
    return catalog.extract_messages()


def test_english_indonesian_and_german_are_shipped():
    assert {"en", "id", "de"} <= set(i18n.shipped_languages())


@pytest.mark.parametrize("lang", i18n.shipped_languages())
def test_every_shipped_catalog_has_every_message_translated(lang, template):
    # a message added to the code without a translation, or a translation that drops a {placeholder},
    # is listed here (fix: python scripts/messages.py, then translate the new msgstr lines)
    assert catalog.problems(lang, template) == []


def test_the_catalog_holds_the_messages_the_code_marks(template):
    ids = {m.id for m in template if m.id}
    # one plain message, one marked with N_ at module level, one with a placeholder (hand-picked from the code)
    assert {"Level (weakest to strongest)", "No coded evidence", "No {framework} counterpart"} <= ids


def test_german_and_indonesian_translate_and_regions_fall_back_to_the_language():
    assert messages("de")("Gap") == "Lücke"
    assert messages("id")("Gap") == "Kesenjangan"
    assert messages("de-AT")("Gap") == "Lücke"  # no de_AT catalog: the de one
    assert messages("de_CH").catalog == "de"


def test_any_other_language_is_english_message_by_message():
    assert messages("fr")("Gap") == "Gap"
    assert messages("zz-Latn-XX")("Gap") == "Gap"
    assert messages("de")("a message no catalog has") == "a message no catalog has"


@settings(max_examples=60, deadline=None)
@given(LANG_CODE)
def test_no_language_code_ever_fails(code):
    _ = messages(code)
    assert _("Gap") in {"Gap", "Lücke", "Kesenjangan"}
    assert _.ngettext("{n} work", "{n} works", 2).format(n=2)


def test_pseudo_language_marks_every_message():
    _ = messages(i18n.PSEUDO)
    assert _("Gap") == "\u27e6Gap\u27e7"
    # a message of the catalog: the i18n tests of the figures fail on any message asked for in qps that
    # the catalog lacks, and they may run after this test in the same process
    assert _.ngettext("{n} claim", "{n} claims", 1) == "\u27e6{n} claim\u27e7"


def test_plural_forms_follow_the_language():
    # German has two forms; English too; the rule comes from each catalog's Plural-Forms header
    assert messages("de").ngettext("x", "xs", 1) == "x" and messages("de").ngettext("x", "xs", 5) == "xs"


def test_n_marks_without_translating():
    assert N_("Gap") == "Gap"


def copy_locale(tmp_path: Path, monkeypatch) -> Path:
    dst = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, dst)
    monkeypatch.setattr(i18n, "LOCALE_DIR", dst)
    messages.cache_clear()
    return dst


def test_a_missing_or_broken_translation_is_reported(tmp_path, monkeypatch, template):
    dst = copy_locale(tmp_path, monkeypatch)
    po = dst / "de" / "LC_MESSAGES" / "revalign.po"
    text = po.read_text(encoding="utf-8")
    # drop the German of one message and break the placeholder of another
    text = text.replace('msgstr "Lücke"', 'msgstr ""')
    text = text.replace('msgstr "Keine Entsprechung in {framework}"', 'msgstr "Keine Entsprechung in {rahmen}"')
    po.write_text(text, encoding="utf-8")
    found = catalog.problems("de", template)
    assert "de: 'Gap': not translated" in found
    assert any("'No {framework} counterpart': placeholders ['rahmen'] differ" in f for f in found)
    messages.cache_clear()
    assert messages("de")("Gap") == "Gap"  # untranslated: English, not an empty string


def test_updating_the_catalogs_twice_changes_no_byte(tmp_path, monkeypatch):
    dst = copy_locale(tmp_path, monkeypatch)
    catalog.update_catalogs()
    first = {p: p.read_bytes() for p in dst.rglob("*.po")}
    catalog.update_catalogs()
    assert {p: p.read_bytes() for p in dst.rglob("*.po")} == first
    messages.cache_clear()
