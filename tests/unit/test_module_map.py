"""docs/DEVELOPING.md's module map names every module of the package, and no folder that is not there.

Issue 28 found the map 12 modules and a whole package behind the tree. The map is one bullet per
folder of ``src/revalign/`` (``- `core/`: ...``); a module is listed when its name appears in
backquotes in its top folder's bullet (``bibliography/readers/bibtex.py``: ``bibtex`` in the
``bibliography/`` bullet); a module of the package's top level (``cli.py``) by its file name. Private
modules (a leading ``_``, such as the generated ``_nfc_unsafe.py``) and ``__init__``/``__main__`` are
not listed.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "revalign"
TICKED = re.compile(r"`([^`]+)`")


def _map_bullets() -> dict[str, str]:
    """The map's bullets by their first backquoted word, the folder (``core/``) or file (``cli.py``)."""
    text = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
    section = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    bullets: dict[str, str] = {}
    for bullet in re.split(r"\n- ", "\n" + section)[1:]:
        first = TICKED.search(bullet)
        assert first, f"a bullet of the module map names no folder: {bullet[:60]!r}"
        bullets[first.group(1)] = bullet
    return bullets


def _modules() -> list[Path]:
    return sorted(
        p.relative_to(PACKAGE)
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts and not p.name.startswith("_")
    )


def test_every_module_is_on_the_map():
    bullets = _map_bullets()
    missing = []
    for rel in _modules():
        if len(rel.parts) == 1:
            if rel.name not in bullets:
                missing.append(str(rel))
            continue
        folder = f"{rel.parts[0]}/"
        names = set(TICKED.findall(bullets.get(folder, "")))
        # a word inside a backquoted list such as `readers/` (`bibtex`, ...) counts, and so does `qda/model`
        if rel.stem not in names and f"{rel.parts[0]}/{rel.stem}" not in names:
            missing.append(str(rel))
    assert missing == [], f"docs/DEVELOPING.md's module map does not list: {', '.join(missing)}"


def test_every_folder_is_on_the_map_and_every_folder_on_the_map_exists():
    bullets = _map_bullets()
    folders = {f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    mapped = {b for b in bullets if b.endswith("/")}
    assert (folders - mapped, mapped - folders) == (set(), set())


def test_the_map_would_catch_a_module_left_out():
    # the check itself can fail: drop one module's name from its bullet and it is reported
    bullets = _map_bullets()
    assert "contracts" in TICKED.findall(bullets["core/"])
    assert "contracts" not in TICKED.findall(bullets["core/"].replace("`contracts`", "contracts"))
