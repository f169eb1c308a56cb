"""ZIP archives from others (.qdpx projects, .xlsx sheets) read within limits (SECURITY.md).

Every limit is checked before or while the work is done, never after: the number of members
is read from the archive's end record before :mod:`zipfile` builds its list of members; a
member is streamed, and refused when it declares or inflates to more than its limit, or
inflates more than ``ratio`` times its compressed size (members over ``ratio_floor``); the
bytes inflated from one archive have a total limit too. Encrypted members are refused.
Breaking a limit raises :class:`InputError` naming the archive.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revalign.core.atomic import check_input_file
from revalign.core.errors import InputError

_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error)


@dataclass
class ZipLimits:
    """The limits of one kind of archive, and the bytes inflated from it so far."""

    members: int  # members in the archive
    member_bytes: int  # uncompressed bytes of one member that is read
    total_bytes: int  # uncompressed bytes read from the whole archive
    ratio: int = 200  # uncompressed / compressed size ...
    ratio_floor: int = 2**20  # ... for members larger than this
    read: int = field(default=0, compare=False)  # bytes inflated so far


def entry_count(path: Path) -> int | None:
    """Entries the archive's end-of-central-directory record declares (None if not found).

    Read from the last 64 KiB before :mod:`zipfile` builds its list of members, so an
    archive declaring millions of members is refused without building that list."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    total = struct.unpack_from("<H", tail, at + 10)[0]
    return None if total == 0xFFFF else total  # 0xFFFF: ZIP64, counted after opening


def open_zip(
    path: Path, limits: ZipLimits, not_zip: str, what: str = "a ZIP archive", again: str = "save it again"
) -> zipfile.ZipFile:
    """The archive at *path*, opened after its member count is checked; *not_zip* is the
    message when it is not a ZIP archive at all, *again* what to do when it is damaged."""
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, f"is a directory, expected {what}")
    check_input_file(path)
    too_many = f"the archive has {{:,}} members, more than the {limits.members:,} allowed; is this {what}?"
    declared = entry_count(path)
    if declared is not None and declared > limits.members:
        raise InputError(path, too_many.format(declared))
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        with open(path, "rb") as fh:
            if fh.read(4) == b"PK\x03\x04":
                raise InputError(
                    path, f"the ZIP archive is damaged or cut short (truncated download?); {again}"
                ) from None
        raise InputError(path, not_zip) from None
    if len(zf.infolist()) > limits.members:
        n = len(zf.infolist())
        zf.close()
        raise InputError(path, too_many.format(n))
    return zf


def _too_big(member: str, size: int, limit: int) -> str:
    return (
        f"{member} would inflate to {size:,} bytes or more (limit {limit:,} uncompressed); "
        "refusing to read it (a ZIP bomb?)"
    )


def stream_member(zf: zipfile.ZipFile, path: Path, member: str, limits: ZipLimits) -> Iterator[bytes]:
    """The bytes of *member* in chunks of at most 1 MiB, with every limit checked as they come."""
    info = zf.getinfo(member)
    if info.flag_bits & 0x1:
        raise InputError(path, f"{member} is encrypted (password-protected); save or export it without a password")
    if info.file_size > limits.member_bytes:
        raise InputError(path, _too_big(member, info.file_size, limits.member_bytes))
    limit_ratio = limits.ratio * max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor and info.file_size > limit_ratio:
        raise InputError(
            path,
            f"{member} inflates {info.file_size // max(info.compress_size, 1):,} times its "
            f"compressed size (limit {limits.ratio}); refusing to read it (a ZIP bomb?)",
        )
    count = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(2**20):
                count += len(chunk)
                limits.read += len(chunk)
                if count > limits.member_bytes:
                    raise InputError(path, _too_big(member, count, limits.member_bytes))
                if count > limits.ratio_floor and count > limit_ratio:
                    raise InputError(
                        path,
                        f"{member} inflates more than {limits.ratio} times its compressed size; "
                        "refusing to read it (a ZIP bomb?)",
                    )
                if limits.read > limits.total_bytes:
                    raise InputError(
                        path,
                        f"the archive inflates to more than {limits.total_bytes:,} bytes in all; "
                        "refusing to read more (a ZIP bomb?)",
                    )
                yield chunk
    except _ZIP_ERRORS as exc:
        raise InputError(path, f"cannot read {member} from the archive: {exc}") from None


def read_member(zf: zipfile.ZipFile, path: Path, member: str, limits: ZipLimits) -> bytes:
    """A member's bytes, read in a stream with the size, ratio and encryption checks."""
    out = io.BytesIO()
    for chunk in stream_member(zf, path, member, limits):
        out.write(chunk)
    return out.getvalue()


class MemberStream(io.RawIOBase):
    """A member as a file object for a streaming parser (lxml's ``iterparse``), with the
    limits of :func:`stream_member`; the parser never holds the whole member."""

    def __init__(self, zf: zipfile.ZipFile, path: Path, member: str, limits: ZipLimits):
        self._chunks = stream_member(zf, path, member, limits)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:  # a writable buffer (bytearray, memoryview)
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n
