"""A .qdpx is read with limits checked before the work: ZIP members, XML, nesting.

Attacks (issue 14): a 2 MB project whose project.qde or a source inflates to 2 GiB
(MemoryError), an encrypted entry, a UTF-16 source with an odd byte count, entities and
DTDs in project.qde, 1,500 nested codes (RecursionError). Each must give exit 2 and one
line naming the archive. Archives are built here; headers are patched byte by byte
where an attacker would lie in them (offsets from the ZIP specification, APPNOTE 4.3.7
and 4.3.12: local header flags at +6, sizes at +18/+22; central header flags at +8,
sizes at +20/+24).
"""

from __future__ import annotations

import struct
import zipfile

from hostile import (
    SOURCE_GUID,
    make_qdpx,
    no_temp_files,
    one_error_line,
    project_qde,
    qda_import,
    run_main,
    time_limit,
)

SRC = f"sources/{SOURCE_GUID}.txt"


def _patch(path, member, *, size=None, flag=None):
    """Rewrite the declared uncompressed size and/or OR a flag into *member*'s headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    name = member.encode()
    central = 0
    while True:
        central = data.find(b"PK\x01\x02", central)
        n = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + n] == name:
            break
        central += 4
    if size is not None:
        struct.pack_into("<I", data, local + 22, size)
        struct.pack_into("<I", data, central + 24, size)
    if flag is not None:
        for off in (local + 6, central + 8):
            struct.pack_into("<H", data, off, struct.unpack_from("<H", data, off)[0] | flag)
    path.write_bytes(bytes(data))
    return path


def _run(tmp_path, qdpx, capfd, pattern, *extra):
    out = tmp_path / "seg.csv"
    code, o, e = run_main(qda_import(qdpx, out, *extra), capfd)
    line = one_error_line(code, e, where=str(qdpx), pattern=pattern)
    assert not out.exists()
    no_temp_files(tmp_path)
    return line


# ---- ZIP -------------------------------------------------------------------------------------
def test_declared_uncompressed_size_checked_before_reading(tmp_path, capfd):
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(), {SRC: b"Learners chose their own courses."})
    _patch(qdpx, "project.qde", size=2**31)  # says 2 GiB
    _run(tmp_path, qdpx, capfd, r"uncompressed|too large|limit")


def test_source_with_high_compression_ratio_refused(tmp_path, capfd):
    # 64 MiB of one letter deflates about 1000:1 (a classic bomb member); honest headers
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(), {SRC: b"a" * (64 * 2**20)})
    assert qdpx.stat().st_size < 2**20
    _run(tmp_path, qdpx, capfd, r"ratio|bomb|compress")


def test_actual_size_larger_than_declared_refused(tmp_path, capfd):
    # passes on a5f39f4 too (zipfile stops at the declared size and reports a bad CRC)
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(), {SRC: b"Learners chose their own courses. " * 30000})
    _patch(qdpx, SRC, size=1000)
    _run(tmp_path, qdpx, capfd, r"")


def test_too_many_members_refused(tmp_path, capfd):
    members = {f"sources/x{i}.txt": b"" for i in range(20_001)}
    members[SRC] = b"Learners chose their own courses."
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(), members, compression=zipfile.ZIP_STORED)
    _run(tmp_path, qdpx, capfd, r"members|entries|files")


def test_encrypted_entry_is_one_line(tmp_path, capfd):
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(), {SRC: b"Learners chose their own courses."})
    _patch(qdpx, SRC, flag=0x1)
    _run(tmp_path, qdpx, capfd, r"encrypt|password")


def test_encrypted_project_qde_is_one_line(tmp_path, capfd):
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde())
    _patch(qdpx, "project.qde", flag=0x1)
    _run(tmp_path, qdpx, capfd, r"encrypt|password")


def test_utf16_source_with_odd_byte_count_is_one_line(tmp_path, capfd):
    data = b"\xff\xfe" + "Learners chose their own courses.".encode("utf-16-le") + b"x"
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(), {SRC: data})
    _run(tmp_path, qdpx, capfd, r"UTF-16|text source")


# ---- XML -------------------------------------------------------------------------------------
LAUGHS = """<!DOCTYPE Project [
<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"""


def test_internal_entities_refused_in_text(tmp_path, capfd):
    qde = project_qde(doctype=LAUGHS, source_name="&lol4;")
    qdpx = make_qdpx(tmp_path / "p.qdpx", qde, {SRC: b"Learners chose their own courses."})
    _run(tmp_path, qdpx, capfd, r"DTD|DOCTYPE|entit")


def test_external_entity_refused(tmp_path, capfd):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    code = (
        '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Empower learners" isCodable="true">'
        "<Description>&xxe;</Description></Code>"
    )
    qdpx = make_qdpx(
        tmp_path / "p.qdpx", project_qde(doctype=doctype, codes_xml=code), {SRC: b"Learners chose their own courses."}
    )
    line = _run(tmp_path, qdpx, capfd, r"DTD|DOCTYPE|entit")
    assert "TOP-SECRET" not in line


def test_external_dtd_refused(tmp_path, capfd):
    doctype = '<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/project.dtd">\n'
    qdpx = make_qdpx(tmp_path / "p.qdpx", project_qde(doctype=doctype), {SRC: b"Learners chose their own courses."})
    _run(tmp_path, qdpx, capfd, r"DTD|DOCTYPE")


def test_1500_nested_codes_is_one_line(tmp_path, capfd):
    depth = 1500
    codes = (
        "".join(
            f'<Code guid="aaaaaaaa-0000-4000-8000-{i:012d}" name="c{i}" isCodable="true">' for i in range(2, depth + 2)
        )
        + "</Code>" * depth
    )
    qde = project_qde(
        codes_xml=f'<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Empower learners" '
        f'isCodable="true">{codes}</Code>'
    )
    qdpx = make_qdpx(tmp_path / "p.qdpx", qde, {SRC: b"Learners chose their own courses."})
    with time_limit(30):
        line = _run(tmp_path, qdpx, capfd, r"nest|deep")
    assert ":" in line.split(str(qdpx), 1)[1]  # names a line of project.qde
