"""Maintaining the message catalogs: extract the program's messages, update and check the ``.po`` files.

``python scripts/messages.py`` (``make messages``) extracts every message marked in the package
(``_("...")``, ``N_("...")``, ``_.ngettext``, ``_.pgettext``, ``_.npgettext`` in Python; ``_()``
and ``ngettext()`` in the Jinja2 templates) and merges them into each shipped catalog: new
messages arrive untranslated, removed ones are dropped, translations stay. (No ``.pot`` file is
kept: it would only repeat the code.)
:func:`problems` lists what keeps a shipped catalog from being complete (tests run it).
"""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from revalign.core.i18n import DOMAIN, FALLBACK, LOCALE_DIR, catalog_path, placeholders, shipped_languages

PACKAGE_DIR = LOCALE_DIR.parent
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
HEADER = "Messages of revalign (the program's own words). Edit the msgstr lines; keep {placeholders}."
# fixed, so that updating the catalogs changes no byte unless a message changed
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def _sources() -> list[tuple[Path, str]]:
    files = [(p, "python") for p in sorted(PACKAGE_DIR.rglob("*.py")) if "__pycache__" not in p.parts]
    files += [(p, "jinja2") for p in sorted((PACKAGE_DIR / "report" / "templates").glob("*.j2"))]
    return files


# (line, message, comments, context) as babel's extract yields them
_Extracted = tuple[int, str | tuple[str | None, ...] | None, list[str], str | None]


def _extract_file(path: Path, method: str) -> Iterator[_Extracted]:
    how: str | Callable[..., Iterator[Any]] = method
    if method == "jinja2":
        from jinja2.ext import babel_extract

        how = babel_extract
    with path.open("rb") as fh:
        yield from extract(how, fh, keywords=KEYWORDS, options={"trimmed": "true"})


def extract_messages() -> Catalog:
    """Every message the package marks, with the places it is used (a new catalog on every call;
    the extraction runs again only when a source file changed: the tests ask for it often)."""
    sources = _sources()
    stamps = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p, _ in sources)
    return copy.deepcopy(_extracted(stamps, tuple(sources)))


@functools.lru_cache(maxsize=2)
def _extracted(stamps: tuple[tuple[str, int, int], ...], sources: tuple[tuple[Path, str], ...]) -> Catalog:
    cat = Catalog(project="revalign", domain=DOMAIN, header_comment=f"# {HEADER}", fuzzy=False)
    for path, method in sources:
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        for lineno, message, comments, context in _extract_file(path, method):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            msgid = message if isinstance(message, str) else tuple(m or "" for m in message)
            cat.add(msgid, None, [(rel, lineno)], auto_comments=comments, context=context)
    return cat


def read_catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang.replace("-", "_"), domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    catalog.version = "1"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "revalign"
    catalog.language_team = "revalign"
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, omit_header=False, include_previous=False, no_location=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = buf.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def update_catalogs(languages: list[str] | None = None) -> dict[str, int]:
    """Merge the messages of the code into each catalog; English gets each message as its own translation.

    Returns the number of untranslated messages per language.
    """
    template = extract_messages()
    out = {}
    for lang in languages or shipped_languages():
        path = catalog_path(lang)
        if path.exists():
            cat = read_catalog(lang)
        else:
            cat = Catalog(locale=lang.replace("-", "_"), domain=DOMAIN, project="revalign", fuzzy=False)
        cat.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        cat.obsolete.clear()
        cat.header_comment = f"# {HEADER}"
        if lang == FALLBACK:
            for msg in cat:
                if msg.id and not _translated(msg):
                    msg.string = msg.id
        _write(cat, path)
        out[lang] = sum(1 for m in cat if m.id and not _translated(m))
    return out


def fill(lang: str, translations: dict[str, str]) -> int:
    """Take translations ``{English text: translation}`` into catalog *lang* (plural messages by their
    singular, the value a list of forms); returns how many messages were filled."""
    cat = read_catalog(lang)
    n = 0
    for msg in cat:
        key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
        if key in translations:
            value = translations[key]
            msg.string = tuple(value) if isinstance(msg.id, tuple) else value
            msg.flags.discard("fuzzy")
            n += 1
    _write(cat, catalog_path(lang))
    return n


def _translated(msg: Message) -> bool:
    if isinstance(msg.string, tuple | list):
        return all(msg.string)
    return bool(msg.string)


def problems(lang: str, template: Catalog | None = None) -> list[str]:
    """What keeps catalog *lang* from being complete: missing, untranslated or fuzzy messages,
    translations whose ``{placeholders}`` differ from the English text, messages no longer used."""
    template = template or extract_messages()
    cat = read_catalog(lang)
    out = []
    for msg in template:
        if not msg.id:
            continue
        have = cat.get(msg.id, context=msg.context)
        name = msg.id[0] if isinstance(msg.id, tuple) else msg.id
        where = f"{lang}: {name!r}"
        if have is None:
            out.append(f"{where}: missing (run make messages)")
            continue
        if not _translated(have) or have.fuzzy:
            out.append(f"{where}: not translated")
            continue
        ids: Sequence[str] = msg.id if isinstance(msg.id, tuple | list) else (msg.id,)
        strings = have.string if isinstance(have.string, tuple | list) else (have.string or "",)
        want = set().union(*(placeholders(i) for i in ids))
        for s in strings:
            if placeholders(s) - want or (want - placeholders(s) and len(strings) == len(ids)):
                out.append(f"{where}: placeholders {sorted(placeholders(s))} differ from {sorted(want)}")
    used = {(m.id, m.context) for m in template if m.id}
    out += [
        f"{lang}: {m.id!r}: no longer used (run make messages)" for m in cat if m.id and (m.id, m.context) not in used
    ]
    return out
