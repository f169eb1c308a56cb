import pytest

from revalign.core.errors import InputError
from revalign.core.yamlio import load_yaml, read_text_checked


def test_line_map_points_at_nested_keys(tmp_path):
    p = tmp_path / "x.yml"
    p.write_text("a: 1\nb:\n  c: 2\n  d:\n    - e\n    - f\n")
    data, lines = load_yaml(p)
    assert data == {"a": 1, "b": {"c": 2, "d": ["e", "f"]}}
    assert lines.line(("a",)) == 1
    assert lines.line(("b", "c")) == 3
    assert lines.line(("b", "d", 1)) == 6
    assert lines.line(("b", "zzz")) == 2  # unknown child: its parent's line


def test_syntax_error_names_line(tmp_path):
    p = tmp_path / "bad.yml"
    p.write_text("a: 1\nb: [1, 2\nc: 3\n")
    with pytest.raises(InputError) as exc:
        load_yaml(p)
    assert exc.value.file == str(p)
    assert exc.value.line in (2, 3)
    assert "invalid YAML" in exc.value.message


def test_duplicate_key_is_an_error(tmp_path):
    p = tmp_path / "dup.yml"
    p.write_text("a: 1\nb: 2\na: 3\n")
    with pytest.raises(InputError) as exc:
        load_yaml(p)
    assert exc.value.line == 3
    assert "duplicate key 'a'" in exc.value.message


@pytest.mark.parametrize(
    "data, fragment",
    [
        ("caf\u00e9: 1\n".encode("latin-1"), "not valid UTF-8"),
        ("a: 1\n".encode("utf-16"), "UTF-16"),
        (b"a: 1\n\x00\x01", "binary"),
        ("name: value\n".encode("utf-16-le"), "looks like UTF-16 (little-endian) without a byte-order mark"),
        ("name: value\n".encode("utf-16-be"), "looks like UTF-16 (big-endian) without a byte-order mark"),
        (bytes(range(256)), "binary data (NUL bytes)"),
        (b"a: 1\n\xef\xbb\xbfb: 2\n", "byte-order mark"),
    ],
)
def test_encoding_problems_are_input_errors(tmp_path, data, fragment):
    p = tmp_path / "enc.yml"
    p.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_text_checked(p)
    assert fragment in exc.value.message


def test_bom_at_start_and_crlf_are_accepted(tmp_path):
    p = tmp_path / "ok.yml"
    p.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert read_text_checked(p) == "a: 1\nb: 2\n"


def test_empty_file_is_an_error(tmp_path):
    p = tmp_path / "empty.yml"
    p.write_text("")
    with pytest.raises(InputError, match="empty"):
        load_yaml(p)


# YAML syntax errors in plain words (issue 21): each text below was written by hand with one mistake;
# the line is the line of that mistake, counted by hand, and the message names what to fix.
@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a:\n    b: 1\n  c: 2\n", 3, "wrong indentation"),  # key indented between two levels
        ("a:\n  - x: 1\n    y: 2\n   - x: 3\n", 4, "wrong indentation"),  # list item one space off
        ("a:\n  - x: 1\n   y: 2\n", 3, "wrong indentation"),  # key of a list item one space off
        ("items:\n  - 1\n  - 2\n  other: 3\n", 4, "wrong indentation"),  # key inside a list
        ("a:\n  b: 1\n   c: 2\n", 3, "indentation of this line"),  # key indented under a value
        ("a: text\n  b: 1\n", 2, "indentation of this line"),
        ("a: b: c\n", 1, "in quotes"),  # a value holding ': '
        ("a:\n\t- 1\n", 2, "a tab is used for indentation"),
        ("a: 1\nb\nc: 2\n", 2, "neither 'key: value'"),
        ("a: [1, 2\nb: 3\n", 1, "not closed with ']'"),
        ("label: {de: x, en: y\n", 1, "not closed with '}'"),
        ("a: 'abc\nb: 2\n", 1, "closing quote is missing"),
    ],
)
def test_syntax_errors_say_what_is_wrong_in_plain_words(tmp_path, text, line, words):
    p = tmp_path / "c.yml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(p)
    assert err.value.line == line
    assert words in err.value.message
    assert "<block" not in err.value.message and "token" not in err.value.message  # no parser jargon


def test_unknown_key_gets_the_closest_valid_key_at_any_depth():
    from pydantic import ValidationError

    from revalign.core.codebook import Codebook
    from revalign.core.config import Params
    from revalign.core.yamlio import LineMap, pydantic_errors

    data = {"bibliography": ["a.bib"], "codebook": "c.yml", "segments": "s.csv", "lnag": "de"}
    data["screening"] = {"year_mn": 2010}
    try:
        Params.model_validate(data)
    except ValidationError as exc:
        messages = sorted(e.message for e in pydantic_errors("p.yml", exc, LineMap({}), Params))
    assert messages == [
        "lnag: unknown key; did you mean 'lang'?",
        "screening.year_mn: unknown key; did you mean 'year_min'?",
    ]
    cb = {
        "framework": {"id": "f", "name": "F", "definition": "D"},
        "components": [{"id": "a", "label": "A", "phrase": "a", "description": "d"}],
        "levels": [{"rank": 0, "id": "low", "label": "Low", "descripton": "typo"}],
        "zzzz": 1,
    }
    try:
        Codebook.model_validate(cb, context={"defer_problems": True})
    except ValidationError as exc:
        messages = sorted(e.message for e in pydantic_errors("c.yml", exc, LineMap({}), Codebook))
    # inside a list of levels the keys of a level are meant; nothing is close to zzzz: the keys are listed
    assert messages[0] == "levels.0.descripton: unknown key; did you mean 'description'?"
    assert messages[1].startswith("zzzz: unknown key; the keys allowed here are: ")
    assert "components" in messages[1] and "levels" in messages[1]
