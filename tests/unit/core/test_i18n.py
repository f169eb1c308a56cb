from revalign.core.i18n import pick


def test_pick_uses_the_language_when_present_else_english():
    texts = {"en": "dimension", "id": "dimensi"}
    assert pick(texts, "id") == "dimensi"
    assert pick(texts, "de") == "dimension"
