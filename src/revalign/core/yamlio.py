"""Read YAML with line numbers, so a validation error can point at the line.

``load_yaml(path)`` returns the data and a :class:`LineMap` that answers "on which
line is the value at this key path". Syntax errors become :class:`InputError`
with the line the YAML parser reports.

YAML from others is read with bounds checked on the parser's event stream before any
structure is built (one pass, linear in the file): nesting at most :data:`MAX_DEPTH`
levels, at most :data:`MAX_ALIAS_VALUES` values added by aliases (a ~400-byte "alias bomb"
expands to hundreds of millions; values written out in the file are not counted, they cost
what the file's size does), no alias inside its own anchor, and keys that are plain values
(not a mapping or a list).

Every text file a user writes is read by :func:`read_text_checked`: UTF-8, no NUL, no
byte-order mark in the middle, and no control character other than tab and line breaks
(:func:`control_character_problems`: a vertical tab that Word writes for Shift+Enter, an
escape sequence, a C1 character of mis-decoded Windows-1252 text).
"""

from __future__ import annotations

import difflib
import re
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from revalign.core.atomic import check_input_file
from revalign.core.errors import InputError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

#: a path of keys and list positions into a YAML document (``("levels", 0, "when")``)
KeyPath = tuple[Any, ...]


class LineMap:
    def __init__(self, lines: dict[KeyPath, int]):
        self._lines = lines

    def line(self, path: KeyPath | list[Any]) -> int | None:
        """Line (1-based) of the value at *path*, or of its nearest known parent."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), None)


MAX_DEPTH = 64  # nesting levels of lists and mappings
MAX_ALIAS_VALUES = 100_000  # values that aliases add to the file when expanded
# The limits pass reads only the event stream, so it may use LibYAML's parser when PyYAML has it
# (ten times faster); the document itself is built by the pure-Python loader, whose messages and
# marks the errors quote.
_EVENTS_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node: yaml.Node, path: KeyPath, out: dict[KeyPath, int], seen: set[int] | None = None) -> None:
    """Record the line of every key path; a node reached again through an alias is not
    walked again (its lines are those of its first path)."""
    seen = set() if seen is None else seen
    out[path] = node.start_mark.line + 1
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), out, seen)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), out, seen)


def check_limits(path: str | Path, text: str) -> None:
    """Raise InputError if *text* nests deeper than MAX_DEPTH, if its aliases add more than
    MAX_ALIAS_VALUES values when expanded, or if an alias is used inside its own anchor. One
    pass over the parser's events, whose own work is linear (it keeps a stack, it does not
    recurse). Values written out are not counted: a codebook of 12,000 themes is just long.

    LibYAML's parser reads ahead and may stop on an error (its own nesting limit, a syntax
    error) before yielding the events that break a limit here; the pure-Python parser, which
    yields each event as it goes, then reads the file again so that the limit is named."""
    try:
        _check_events(path, text, _EVENTS_LOADER)
    except yaml.YAMLError:
        if _EVENTS_LOADER is yaml.SafeLoader:
            return  # syntax errors are reported by the loader, with their line
        try:
            _check_events(path, text, yaml.SafeLoader)
        except yaml.YAMLError:
            return


def _check_events(path: str | Path, text: str, loader: type[yaml.SafeLoader]) -> None:
    sizes: dict[str, int] = {}  # values of each anchored node, its aliases expanded
    stack: list[list[Any]] = [[None, 0]]  # [anchor, values so far] per open collection
    open_anchors: set[str] = set()
    expanded = 0  # values added by aliases
    for event in yaml.parse(text, Loader=loader):
        line = _mark_line(event.start_mark)  # the parser marks every event
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) > MAX_DEPTH:
                raise InputError(
                    path,
                    f"lists and mappings nested more than {MAX_DEPTH} levels deep; is this the right file?",
                    line,
                )
            stack.append([event.anchor, 1])
            if event.anchor:
                open_anchors.add(event.anchor)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, n = stack.pop()
            if anchor:
                sizes[anchor] = n
                open_anchors.discard(anchor)
            stack[-1][1] += n
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            stack[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise InputError(
                    path,
                    f"alias *{event.anchor} is used inside its own anchor "
                    f"&{event.anchor} (a structure that contains itself)",
                    line,
                )
            size = sizes.get(event.anchor or "", 1)  # (an alias always names its anchor)
            stack[-1][1] += size
            expanded += size
            if expanded > MAX_ALIAS_VALUES:
                raise InputError(
                    path,
                    f"aliases expand this file by more than {MAX_ALIAS_VALUES:,} values "
                    "(a YAML alias bomb?); write the values out",
                    line,
                )


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                what = "a mapping" if isinstance(key_node, yaml.MappingNode) else "a list"
                raise yaml.constructor.ConstructorError(
                    None, None, f"{what} used as a key; a key must be a plain name", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {seen[key]}); keep only one of them",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_BINARY = "binary data (NUL bytes) in a text file; is this the right file?"


def read_text_checked(path: str | Path) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise InputError naming the problem."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder, expected a file")
    check_input_file(path)  # a FIFO or a device would block or never end
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "file is UTF-16; save it as UTF-8")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(path, "a ZIP archive (an Excel or Word file?), not a text file; export it as CSV or text")
    if b"\x00" in data:
        order = _utf16_without_bom(data)
        if order:
            raise InputError(path, f"looks like UTF-16 ({order}) without a byte-order mark; save it as UTF-8")
        raise InputError(path, _BINARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not valid UTF-8 (Latin-1 or Windows-1252?); save it as UTF-8", line) from None
    check_decoded(path, text)
    check_control_characters(path, text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_without_bom(data: bytes) -> str | None:
    """'little-endian' / 'big-endian' when *data* reads as mostly-ASCII UTF-16: every other byte NUL."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "little-endian"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "big-endian"
    return None


def check_decoded(path: str | Path, text: str) -> None:
    """Refuse decoded text with NUL characters or a byte-order mark after its start."""
    if "\x00" in text:
        raise InputError(path, _BINARY)
    if "\ufeff" in text:
        line = text[: text.index("\ufeff")].count("\n") + 1
        raise InputError(path, "byte-order mark (U+FEFF) in the middle of the file; remove it", line)


class _Mark(Protocol):  # PyYAML's marks (pure-Python and LibYAML ones)
    line: int


def _mark_line(mark: _Mark | None) -> int | None:
    return mark.line + 1 if mark is not None else None


def yaml_syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """``(line, message)`` of a YAML syntax error, in the words of someone editing the file.

    PyYAML says what its parser expected (``expected <block end>, but found '<block mapping
    start>'``); a person needs to hear what is wrong with the line: most often its indentation.
    """
    problem = exc.problem or str(exc)
    context = exc.context or ""
    line = _mark_line(exc.problem_mark or exc.context_mark)
    start = _mark_line(exc.context_mark)
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if "quoted scalar" in context:
        return start, "invalid YAML: a quoted text starts here and its closing quote is missing"
    if "flow sequence" in context or "flow mapping" in context:
        close = "]" if "sequence" in context else "}"
        what = "list in [ ]" if close == "]" else "mapping in { }"
        return (
            start,
            f"invalid YAML: the {what} that starts on this line is not closed with '{close}' (or a comma is missing)",
        )
    if "<stream end>" in problem or (line is not None and line > n_lines):
        return n_lines, "invalid YAML: the file ends inside a list or mapping (truncated?)"
    if "\\t" in problem or "\t" in problem:
        return line, (
            "invalid YAML: a tab is used for indentation; YAML indents with spaces only: replace the tab with spaces"
        )
    if problem.startswith("expected <block end>") or problem.startswith("did not find expected"):
        kind = "list" if "collection" in context else "mapping"
        where = f" (the {kind} that starts on line {start})" if start and start != line else ""
        return line, (
            f"invalid YAML: wrong indentation: this line is indented differently from the lines above it{where}; "
            "indent the keys of one mapping, and the items of one list, by the same number of spaces"
        )
    if problem == "mapping values are not allowed here":
        return line, (
            "invalid YAML: a ':' YAML cannot place here: check the indentation of this line (is it indented "
            "under a key that already has a value?), or put a value that holds ': ' in quotes"
        )
    if problem == "could not find expected ':'":
        return start, (
            "invalid YAML: this line is neither 'key: value' nor a list item '- ...': add the ':' or check the "
            "indentation"
        )
    detail = f"{context}: {problem}" if context else problem
    return line, f"invalid YAML: {detail}"


# Control characters (Unicode category Cc) other than tab, line feed and carriage return:
# C0, DEL and the C1 block (what Windows-1252 text decoded as Latin-1 leaves behind).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    0x0B: "vertical tab, which Word writes for Shift+Enter",
    0x0C: "form feed, a page break",
    0x1B: "escape, which starts a terminal control sequence",
    0x7F: "delete",
    0x85: "next line",
}
MAX_CONTROL_LINES = 20  # lines listed per file; then a count


def control_character_message(char: str) -> str:
    """The message for one control character, the same wherever it is found."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code, "an invisible control character")
    return (
        f"control character U+{code:04X} ({name}) in the text; only tab and line breaks may be "
        "used; replace it with a space or a line break"
    )


def control_character_problems(text: str, limit: int | None = MAX_CONTROL_LINES) -> list[tuple[int | None, str]]:
    """``(line, message)`` for each line of *text* with a control character other than tab and
    line breaks (the first such character of the line), at most *limit* lines and then one
    line with the count of the rest. Linear in the text."""
    problems: list[tuple[int | None, str]] = []
    line, pos, last, more = 1, 0, 0, 0
    for m in CONTROL_CHARACTERS.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if line == last:
            continue
        last = line
        if limit is not None and len(problems) >= limit:
            more += 1
            continue
        problems.append((line, control_character_message(m.group(0))))
    if more:
        problems.append((None, f"and {more} more line{'s' if more != 1 else ''} with control characters"))
    return problems


def check_control_characters(path: str | Path, text: str) -> None:
    """Raise InputError at the first control character of *text* other than tab and line breaks."""
    m = CONTROL_CHARACTERS.search(text)
    if m:
        raise InputError(path, control_character_message(m.group(0)), text.count("\n", 0, m.start()) + 1)


def load_yaml(path: str | Path) -> tuple[Any, LineMap]:
    path = Path(path)
    text = read_text_checked(path)
    check_limits(path, text)
    loader = _UniqueKeyLoader(text)
    try:  # parsed once: the node tree gives the lines, and the data is built from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line, message = yaml_syntax_problem(exc, text)
        raise InputError(path, message, line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise InputError(path, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _walk(node, (), lines)
    if data is None:
        raise InputError(path, "file is empty")
    return data, LineMap(lines)


ID_PATTERN = r"^[a-z][a-z0-9_]*$"  # ids of codebook entries (revalign.core.codebook)


def _describe(value: object) -> str:
    """A value as a user would recognise it in a message: a list / a mapping / its repr."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``Model``, ``list[Model]``, ``Model | None``...)."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def allowed_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys a mapping at *loc* (a key path into data validated by the pydantic *model*) may have."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field = next(
            (f for name, f in current.model_fields.items() if part in (name, f.alias, f.validation_alias)), None
        )
        current = _model_in(field.annotation) if field is not None else None
    if current is None:
        return []
    return [f.alias if isinstance(f.alias, str) else name for name, f in current.model_fields.items()]


def unknown_key_message(key: object, allowed: list[str]) -> str:
    """What to say of an unknown key: the closest valid key, else the valid keys."""
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6) if allowed else []
    if close:
        return f"unknown key; did you mean {close[0]!r}?"
    if allowed:
        shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
        return f"unknown key; the keys allowed here are: {shown}"
    return "unknown key; check its spelling"


def pydantic_errors(
    path: str | Path, exc: ValidationError, linemap: LineMap, model: type[BaseModel] | None = None
) -> list[InputError]:
    """Every error of a pydantic ValidationError as an InputError, in the order pydantic gives.

    With the *model* that was validated, an unknown key is answered with the closest valid key.
    """
    out: list[InputError] = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        key = ".".join(str(p) for p in loc) or "(top level)"
        msg = err.get("msg", "invalid value").removeprefix("Value error, ")
        if err.get("type") == "extra_forbidden":
            msg = unknown_key_message(loc[-1] if loc else "", allowed_keys(model, loc[:-1]) if model else [])
        elif err.get("type") == "string_pattern_mismatch" and (err.get("ctx") or {}).get("pattern") == ID_PATTERN:
            msg = (
                f"{err.get('input')!r} is not a valid id; use lower-case letters, digits and _, starting with a letter"
            )
        elif str(err.get("type", "")).endswith(("_type", "_parsing")) and "input" in err:
            msg += f"; got {_describe(err['input'])}"
        elif err.get("type") == "missing":
            msg = "required key is missing; add it"
        elif err.get("type") == "string_too_long":
            limit = (err.get("ctx") or {}).get("max_length")
            msg = f"a text of {len(str(err.get('input', ''))):,} characters, more than the {limit} allowed here"
        line = linemap.line(loc)
        if err.get("type") == "missing" and len(loc) == 1:
            line = None  # a top-level key that is absent has no line of its own
        out.append(InputError(path, f"{key}: {msg}", line))
    return out


def pydantic_error(path: str | Path, exc: ValidationError, linemap: LineMap) -> InputError:
    """Turn the first error of a pydantic ValidationError into an InputError."""
    return pydantic_errors(path, exc, linemap)[0]
