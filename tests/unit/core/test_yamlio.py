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
