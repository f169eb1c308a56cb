"""Keep the message catalogs (src/revalign/locale/*/LC_MESSAGES/revalign.po) in step with the code.

    python scripts/messages.py             extract the messages and update every catalog (make messages)
    python scripts/messages.py check       list what keeps a shipped catalog from being complete (exit 1)
    python scripts/messages.py new LANG    start a catalog for another language (then translate its msgstr lines)
    python scripts/messages.py fill LANG FILE.json
                                           take translations from a JSON object {English text: translation}

Translators edit the .po files with any PO editor (Poedit, Lokalize, Weblate) or a text editor.
"""

from __future__ import annotations

import json
import sys

from revalign.core import catalog
from revalign.core.i18n import shipped_languages


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "update"
    if cmd == "update":
        for lang, n in catalog.update_catalogs().items():
            print(f"{lang}: {n} messages to translate" if n else f"{lang}: complete")
        return 0
    if cmd == "new" and len(argv) == 2:
        catalog.update_catalogs([argv[1]])
        print(f"wrote {catalog.catalog_path(argv[1])}")
        return 0
    if cmd == "fill" and len(argv) == 3:
        with open(argv[2], encoding="utf-8") as fh:
            n = catalog.fill(argv[1], json.load(fh))
        print(f"{argv[1]}: {n} translations taken")
        return 0
    if cmd == "check":
        template = catalog.extract_messages()
        found = [p for lang in shipped_languages() for p in catalog.problems(lang, template)]
        print("\n".join(found) or "every catalog is complete")
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
