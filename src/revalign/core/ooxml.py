"""Office Open XML files (XLSX) with the same bytes on every run.

A spreadsheet written by openpyxl carries the time it was written, in its ZIP entries and in
``docProps/core.xml``; :func:`normalise_zip` replaces both with fixed values.
"""

from __future__ import annotations

import io
import re
import zipfile

FIXED_DATETIME = "2000-01-01T00:00:00Z"
ZIP_DATETIME = (1980, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML ZIP with fixed entry timestamps and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + FIXED_DATETIME + m.group(3),
                    text,
                )
                content = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATETIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, content)
    return out.getvalue()
