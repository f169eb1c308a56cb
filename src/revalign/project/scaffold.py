"""``python -m revalign init NAME``: the files of a new review, ready to run as they are.

Writes ``params/NAME.yml`` and ``data/raw/NAME/`` (a codebook template with two example
dimensions, ``segments.csv`` with its header and two example rows, and a ``bibliography/``
folder holding a small example export) from the templates in ``project/template/``.
``make report PARAMS=params/NAME.yml`` runs on the result unchanged; the user then
replaces the examples with their own material. Nothing that exists is overwritten.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from revalign.core.errors import InputError
from revalign.core.schemas import modeline

TEMPLATE = Path(__file__).parent / "template"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,63}")  # the whole name (fullmatch: no trailing newline)
RESERVED = {"default", "examples", "bibliography", "codebook", "coding", "published", "notes"}


def _render(text: str, name: str) -> str:
    return text.replace("{name}", name)


def scaffold(name: str, root: Path) -> list[Path]:
    """Create the files of review *name* under *root*; returns them. InputError if *name* is unusable."""
    if not NAME_PATTERN.fullmatch(name):
        shown = name if name.isprintable() else repr(name)  # a control character is shown, never sent to the terminal
        raise InputError(shown, "not a usable NAME; use lower-case letters, digits, _ and -, starting with a letter")
    if name in RESERVED:
        raise InputError(name, "this NAME is used by the project itself; choose another")
    params = root / "params" / f"{name}.yml"
    data = root / "data" / "raw" / name
    for existing in (params, data):
        if existing.exists():
            raise InputError(existing, "already exists; choose another NAME or remove it first")
    # Build everything in a temporary directory beside the target, then move it into place,
    # so that a failure leaves nothing half-written.
    data.parent.mkdir(parents=True, exist_ok=True)
    params.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(dir=data.parent, prefix=f".{name}.") as tmp:
        staged = Path(tmp) / name
        for src in sorted(TEMPLATE.rglob("*")):
            rel = src.relative_to(TEMPLATE)
            if src.is_dir() or rel == Path("params.yml") or "__pycache__" in rel.parts:
                continue
            dst = staged / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            text = _render(src.read_text(encoding="utf-8"), name)
            if rel == Path("codebook.yml"):  # an editor completes and checks it against the codebook's schema
                text = modeline(data / rel, "codebook", root) + text
            dst.write_text(text, encoding="utf-8")
        params_text = modeline(params, "params", root) + _render(
            (TEMPLATE / "params.yml").read_text(encoding="utf-8"), name
        )
        staged_params = Path(tmp) / "params.yml"
        staged_params.write_text(params_text, encoding="utf-8")
        shutil.move(str(staged), str(data))
        try:
            shutil.move(str(staged_params), str(params))
        except BaseException:
            shutil.rmtree(data, ignore_errors=True)
            raise
    written = [params, *sorted(p for p in data.rglob("*") if p.is_file())]
    return written


def cli_init(args) -> int:
    from revalign.core.config import repo_root
    from revalign.core.errors import display_path

    root = repo_root()
    written = scaffold(args.name, root)
    print("\n".join(f"wrote {display_path(p)}" for p in written))
    print(
        f"\nnext: replace the examples in data/raw/{args.name}/ with your material, then\n"
        f"  .venv/bin/python -m revalign check params/{args.name}.yml\n"
        f"  make report PARAMS=params/{args.name}.yml"
    )
    return 0
