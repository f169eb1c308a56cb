"""JSON Schemas of the files users write: the parameter file and the codebook.

Both are generated from the pydantic models that validate them (:class:`revalign.core.config.Params`,
:class:`revalign.core.codebook.Codebook`), descriptions included, so an editor with a YAML language
server (VS Code's YAML extension, JupyterLab with the LSP extension) completes keys, shows what each
means and marks a wrong key while the user types. ``python -m revalign schema -o DIR`` writes them;
the copies in ``docs/schemas/`` are the ones ``revalign init`` points a new review's files at, with the
comment ``# yaml-language-server: $schema=...`` (tests/unit/core/test_schemas.py keeps them current).
``revalign check`` stays the authority: a schema cannot say what needs two files (a code that the
codebook does not declare, a citation key that is not in the corpus).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

from revalign.core.atomic import write_text

#: file name of each schema, by the file it describes
FILES = {"params": "params.schema.json", "codebook": "codebook.schema.json"}
#: where the repository keeps them (relative to its root)
FOLDER = "docs/schemas"


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``params`` or ``codebook``."""
    from revalign.core.codebook import Codebook
    from revalign.core.config import Params

    models: dict[str, type[BaseModel]] = {"params": Params, "codebook": Codebook}
    schema = models[name].model_json_schema()
    titles = {"params": "revalign parameter file", "codebook": "revalign codebook"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": titles[name]}


def schema_text(name: str) -> str:
    """The schema as the committed file holds it (two-space indents, a final newline)."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def modeline(yaml_file: str | Path, name: str, root: str | Path) -> str:
    """The comment that points an editor at the schema from *yaml_file* (both inside *root*)."""
    target = Path(root) / FOLDER / FILES[name]
    rel = Path(*[".."] * (len(Path(yaml_file).relative_to(root).parts) - 1), target.relative_to(root))
    return f"# yaml-language-server: $schema={rel.as_posix()}\n"


def write_schemas(folder: str | Path) -> list[Path]:
    """Write both schemas into *folder*; returns the paths."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return [write_text(Path(folder) / file, schema_text(name)) for name, file in FILES.items()]


def cli_schema(args: argparse.Namespace) -> int:
    """``python -m revalign schema -o DIR``."""
    for path in write_schemas(args.output):
        print(f"wrote {path}")
    return 0
