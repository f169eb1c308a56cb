"""Read YAML with line numbers, so a validation error can point at the line.

``load_yaml(path)`` returns the data and a :class:`LineMap` that answers "on which
line is the value at this key path". Syntax errors become :class:`InputError`
with the line the YAML parser reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from revalign.core.errors import InputError


class LineMap:
    def __init__(self, lines: dict[tuple, int]):
        self._lines = lines

    def line(self, path: tuple | list) -> int | None:
        """Line (1-based) of the value at *path*, or of its nearest known parent."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), None)


def _walk(node, path: tuple, out: dict) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), out)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]}); keep only one of them", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def read_text_checked(path: str | Path) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise InputError naming the problem."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a directory, expected a file")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "file is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        raise InputError(path, "binary data (NUL bytes) in a text file; is this the right file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not valid UTF-8 (Latin-1 or Windows-1252?); save it as UTF-8", line) from None
    if "\ufeff" in text:
        line = text[: text.index("\ufeff")].count("\n") + 1
        raise InputError(path, "byte-order mark (U+FEFF) in the middle of the file; remove it", line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: str | Path) -> tuple[Any, LineMap]:
    path = Path(path)
    text = read_text_checked(path)
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if "<stream end>" in problem or (line is not None and line > n_lines):
            raise InputError(path, "invalid YAML: the file ends inside a list or mapping (truncated?)", n_lines) from None
        raise InputError(path, f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise InputError(path, f"invalid YAML: {exc}") from None
    lines: dict[tuple, int] = {}
    if node is not None:
        _walk(node, (), lines)
    if data is None:
        raise InputError(path, "file is empty")
    return data, LineMap(lines)


ID_PATTERN = r"^[a-z][a-z0-9_]*$"  # ids of codebook entries (revalign.core.codebook)


def _describe(value) -> str:
    """A value as a user would recognise it in a message: a list / a mapping / its repr."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def pydantic_error(path: str | Path, exc, linemap: LineMap) -> InputError:
    """Turn the first error of a pydantic ValidationError into an InputError."""
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    key = ".".join(str(p) for p in loc) or "(top level)"
    msg = err.get("msg", "invalid value").removeprefix("Value error, ")
    if err.get("type") == "extra_forbidden":
        msg = "unknown key; check its spelling"
    elif err.get("type") == "string_pattern_mismatch" and (err.get("ctx") or {}).get("pattern") == ID_PATTERN:
        msg = f"{err.get('input')!r} is not a valid id; use lower-case letters, digits and _, starting with a letter"
    elif str(err.get("type", "")).endswith(("_type", "_parsing")) and "input" in err:
        msg += f"; got {_describe(err['input'])}"
    elif err.get("type") == "missing":
        msg = "required key is missing; add it"
    line = linemap.line(loc)
    if err.get("type") == "missing" and len(loc) == 1:
        line = None  # a top-level key that is absent has no line of its own
    return InputError(path, f"{key}: {msg}", line)
