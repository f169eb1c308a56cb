"""The program's own words (headings, axis titles) in the run's language, else English.

Labels of codebook entries come from the codebook in any language (``Label.text``). The
program's own strings exist in English and Indonesian only; :func:`pick` chooses from such a
``{"en": ..., "id": ...}`` mapping and falls back to English for any other language code, so
that ``lang: de`` gives German codebook labels with English headings instead of a KeyError.
"""

from __future__ import annotations

FALLBACK = "en"


def pick(texts: dict, lang: str):
    """``texts[lang]``, else ``texts["en"]``."""
    return texts[lang] if lang in texts else texts[FALLBACK]
