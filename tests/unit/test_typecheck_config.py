"""The type checker's configuration (pyproject.toml [tool.mypy], run by `make typecheck` in `make test`).

mypy itself runs in `make test`; these tests keep its configuration honest: every module a stage
notebook imports (a stage's public API) and the whole core are checked strictly, none of them is
among the modules whose errors are still ignored, and the environment installs mypy and the stubs.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def _overrides(flag: str) -> list[str]:
    out: list[str] = []
    for block in CONFIG.get("overrides", []):
        if block.get(flag):
            mods = block["module"]
            out += [mods] if isinstance(mods, str) else mods
    return out


def _matches(module: str, patterns: list[str]) -> bool:
    return any(module == p or fnmatch(module, p) for p in patterns)


def notebook_imports() -> set[str]:
    """The revalign modules the stage notebooks import (``from revalign import alignment`` names the package)."""
    mods: set[str] = set()
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("revalign"):
                    for alias in node.names:
                        sub = f"{node.module}.{alias.name}"
                        path = ROOT / "src" / sub.replace(".", "/")
                        is_module = path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()
                        mods.add(sub if is_module else node.module)
                elif isinstance(node, ast.Import):
                    mods.update(a.name for a in node.names if a.name.startswith("revalign"))
    return mods


def test_notebooks_import_something_from_the_package():
    # the stage notebooks call the package (so the check below is not vacuous)
    assert {"revalign.alignment", "revalign.report.build", "revalign.project.notebook"} <= notebook_imports()


def test_every_module_a_notebook_imports_is_checked_strictly():
    strict = _overrides("disallow_untyped_defs")
    lax = [m for m in notebook_imports() if not _matches(m, strict)]
    assert lax == [], f"add them to the strict block of [tool.mypy] in pyproject.toml: {sorted(lax)}"


def test_the_core_and_each_stage_module_are_strict():
    strict = _overrides("disallow_untyped_defs")
    for module in ("revalign.core.codebook", "revalign.core.config", "revalign.core.contracts"):
        assert _matches(module, strict), module
    stages = sorted(p.parent.name for p in (ROOT / "src/revalign").glob("*/stage.py"))
    assert stages == ["bibliography", "coding", "screening"]
    for name in stages:
        assert _matches(f"revalign.{name}.stage", strict), name


def test_no_strict_module_has_its_errors_ignored():
    strict = _overrides("disallow_untyped_defs")
    ignored = _overrides("ignore_errors")
    both = [m for m in ignored if _matches(m, strict)]
    assert both == []


def test_make_test_runs_the_type_checker_and_the_environment_installs_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert test_recipe and "typecheck" in test_recipe.group(1)
    assert re.search(r"^typecheck:.*\n\t\$\(PY\) -m mypy", makefile, re.M)
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for package in ("mypy", "pandas-stubs", "types-pyyaml"):
        assert re.search(rf"^{re.escape(package)}==", lock, re.M | re.I), package
    assert CONFIG["cache_dir"] == ".mypy_cache"
    assert ".mypy_cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
