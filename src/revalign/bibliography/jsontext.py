"""JSON text of the bibliography exports, decoded with one-line errors.

The CSL-JSON reader decodes its array item by item (:func:`raw_decode`, so a broken item
is reported on its own line); the exports read whole (OpenAlex, Publish or Perish) use
:func:`load_json`. Both report a truncated file, nesting too deep for the parser and a
number too long to be a year, volume or page as ``InputError`` with the line.
"""

from __future__ import annotations

import json
import re

from revalign.core.errors import InputError


def json_line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def json_error(path, text: str, exc: json.JSONDecodeError) -> InputError:
    if not text[exc.pos :].strip() or (exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1 :]):
        return InputError(path, "invalid JSON: the file ends inside an item (truncated?); export it again", exc.lineno)
    return InputError(path, f"invalid JSON: {exc.msg}", exc.lineno)


MAX_JSON_DIGITS = 100  # digits of a JSON integer (years, volumes, pages need a handful)


class _BigNumber(ValueError):
    pass


def parse_int(digits: str) -> int:
    if len(digits) > MAX_JSON_DIGITS:
        raise _BigNumber(digits)
    return int(digits)


def raw_decode(path, text: str, decoder, pos: int, item="a CSL-JSON item", export="a CSL-JSON export"):
    """decoder.raw_decode, with nesting too deep and huge numbers as one-line errors."""
    try:
        return decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise json_error(path, text, exc) from None
    except RecursionError:
        raise InputError(path, f"JSON nested too deeply to be {item}", json_line(text, pos)) from None
    except _BigNumber:
        m = re.compile(rf"\d{{{MAX_JSON_DIGITS + 1},}}").search(text, pos)
        line = json_line(text, m.start() if m else pos)
        raise InputError(path, f"a number with more than {MAX_JSON_DIGITS} digits; is this {export}?", line) from None


def load_json(path, text: str, export: str):
    """The one JSON value of *text*, with the CSL-JSON reader's one-line errors (line, truncation,
    nesting, huge numbers); for the JSON exports read whole. *export*: 'an OpenAlex export'."""
    ws = re.compile(r"\s*")
    pos = ws.match(text).end()
    value, end = raw_decode(path, text, json.JSONDecoder(parse_int=parse_int), pos, export, export)
    if ws.match(text, end).end() != len(text):
        raise InputError(path, "invalid JSON: extra data after the value", json_line(text, end))
    return value
