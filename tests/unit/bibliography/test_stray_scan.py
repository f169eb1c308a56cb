"""The fast scan for stray characters (importer._has_stray) finds exactly what the repair's regular
expression finds (importer._STRAY_RE): every byte value, a BOM inside the text, at chunk edges."""

from __future__ import annotations

from revalign.bibliography import importer


def test_every_byte_value_is_found_as_the_regular_expression_finds_it(monkeypatch):
    monkeypatch.setattr(importer, "_CHUNK", 7)  # small chunks: a character at every place in a chunk
    text = b'"Title","Authors"\r\n"A title","Ann Smith"\n'
    for value in range(1, 256):
        for at in (0, 6, 7, 13, len(text)):
            data = text[:at] + bytes([value]) + text[at:]
            expected = importer._STRAY_RE.search(data, 0) is not None
            assert importer._has_stray(data, 0) == expected, (value, at)
    # by hand: tab, LF and CR are text; U+0001 and DEL are not
    assert not importer._has_stray(b"a\tb\r\nc", 0)
    assert importer._has_stray(b"a\x01b", 0) and importer._has_stray(b"a\x7fb", 0)


def test_a_bom_counts_only_after_the_start_given():
    data = b"\xef\xbb\xbfrecord_id\nr1\n"
    assert not importer._has_stray(data, 3)  # the file's own BOM is skipped
    assert importer._has_stray(data, 0)
    assert importer._has_stray(b"ab\xef\xbb\xbfc", 0)
    assert not importer._has_stray(b"ab\xef\xbbc", 0)  # a part of one is no BOM
