"""The program's own words in the run's language: a gettext message catalog.

Labels of codebook entries come from the codebook (``Label.text``). Everything the
program itself says in figures, tables, notebooks' printed text and the report goes
through this module::

    from revalign.core.i18n import N_, messages

    _ = messages(lang)                                # the run's language, e.g. "de"
    ax.set_xlabel(_("Publication year"))
    _.ngettext("{n} work", "{n} works", n).format(n=n)   # plural forms of the language
    _.pgettext("table header", "Level")                   # the same English word in another sense

    LEVEL_AXIS = N_("Level (weakest to strongest)")   # marked for the catalog, translated where shown

The catalogs are ordinary gettext ``.po`` files under ``src/revalign/locale/<lang>/LC_MESSAGES/``
(edit them with any PO editor, e.g. Poedit, or a text editor); the English source text is the
message id. ``scripts/messages.py`` extracts the ids from the package into ``revalign.pot`` and
updates the catalogs (``make messages``); tests/unit/core/test_i18n_catalog.py fails when a
shipped catalog misses a message or a visible string bypasses the catalog.

Any language code works: ``pt-BR`` tries ``pt_BR``, then ``pt``; a message missing in the chosen
catalog (or a language without one) is English, message by message; nothing raises.

The pseudo-language ``qps`` (after Microsoft's pseudo-locale ``qps-ploc``) wraps every message in
``⟦...⟧``: a test renders figures and the report in it and finds any visible text that did not
come through the catalog.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TypeVar

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

T = TypeVar("T")

FALLBACK = "en"
DOMAIN = "revalign"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
PSEUDO = "qps"
PSEUDO_OPEN, PSEUDO_CLOSE = "\u27e6", "\u27e7"

_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}")


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark *message* for the catalog without translating it (it is translated where it is shown)."""
    return message


def placeholders(message: str) -> set[str]:
    """The ``{name}`` placeholders of a message (a translation must keep the same set)."""
    return set(_PLACEHOLDER.findall(message))


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_languages() -> list[str]:
    """The languages with a catalog in the package (English first)."""
    langs = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(langs, key=lambda lang: (lang != FALLBACK, lang))


def candidates(lang: str) -> list[str]:
    """Catalog names to try for a language code, most specific first: ``pt-BR`` -> ``pt_BR``, ``pt``."""
    parts = re.split(r"[-_]", (lang or "").strip())
    if not parts or not parts[0]:
        return []
    parts[0] = parts[0].lower()
    out = []
    for i in range(len(parts), 0, -1):
        head = parts[:i]
        if i > 1:
            out.append("_".join([head[0], *(p.upper() if len(p) == 2 else p for p in head[1:])]))
        else:
            out.append(head[0])
    return list(dict.fromkeys(out))


def _load_po(path: Path) -> gettext.GNUTranslations:
    """A .po file as stdlib gettext translations (compiled in memory; plural forms from its header)."""
    with path.open("rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class _Pseudo(gettext.NullTranslations):
    """Every message wrapped in brackets, so text that bypassed the catalog stands out.

    ``seen`` collects every message asked for, so a test can check that each is in the catalogs
    (a message built at run time, e.g. ``_(f"...")``, never reaches them).
    """

    seen: set[str] = set()

    def gettext(self, message: str) -> str:
        self.seen.add(message)
        return f"{PSEUDO_OPEN}{message}{PSEUDO_CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self.seen.add(msgid1)
        return f"{PSEUDO_OPEN}{msgid1 if n == 1 else msgid2}{PSEUDO_CLOSE}"

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)


def pseudo_seen() -> set[str]:
    """The messages asked for in the pseudo-language so far (for tests)."""
    return set(_Pseudo.seen)


class Messages:
    """The messages of one language: ``_(text)``, ``_.ngettext(singular, plural, n)``, ``_.pgettext(context, text)``."""

    def __init__(self, lang: str, translations: gettext.NullTranslations, catalog: str | None):
        self.lang = lang
        self.catalog = catalog  # the catalog found for lang (None: English throughout)
        self._t = translations

    def __call__(self, message: str) -> str:
        return self._t.gettext(message)

    gettext = __call__

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._t.npgettext(context, singular, plural, n)

    def __repr__(self) -> str:
        return f"Messages({self.lang!r}, catalog={self.catalog!r})"


@cache
def messages(lang: str | None = FALLBACK) -> Messages:
    """The messages of *lang* (any code; unknown languages and missing messages are English)."""
    lang = lang or FALLBACK
    if lang == PSEUDO:
        return Messages(lang, _Pseudo(), PSEUDO)
    for name in candidates(lang):
        path = catalog_path(name)
        if path.is_file():
            return Messages(lang, _load_po(path), name)
    return Messages(lang, gettext.NullTranslations(), None)


def pick(texts: Mapping[str, T], lang: str) -> T:
    """``texts[lang]``, else ``texts["en"]`` (for language-keyed data such as codebook labels)."""
    return texts[lang] if lang in texts else texts[FALLBACK]
