"""Bibliography readers: one module per family of export formats, and their registry.

Every reader takes the file's path (for messages) and its content, and returns a
DataFrame with the columns of :data:`RAW_COLUMNS`: the bibliographic fields as the
file gives them (not yet normalised; :mod:`revalign.bibliography.importer` does that for all
formats at once), plus ``_entry`` (the entry's label in ``origins``: BibTeX key,
CSL-JSON id, or the 1-based record number) and ``_line`` (first line of the entry,
when known). A syntactically broken file raises :class:`InputError` with the line;
warnings go to ``df.attrs["warnings"]``.

- :mod:`.registry`: the formats (:data:`FORMATS`, :data:`FORMAT_NAMES`, :data:`READERS`).
- :mod:`.detect`: :func:`detect_format`, from the content, not the extension.
- families: :mod:`.bibtex`, :mod:`.tagged` (RIS, Web of Science, MEDLINE, refer),
  :mod:`.tables` (Scopus and the other CSV layouts), :mod:`.xmlfiles`, :mod:`.jsonfiles`.
"""

from __future__ import annotations

from revalign.bibliography.readers.detect import detect_format
from revalign.bibliography.readers.registry import (
    FORMAT_NAMES,
    FORMATS,
    READERS,
    REGISTRY,
    SPECS,
    Format,
    supported_formats_text,
)
from revalign.bibliography.records import RAW_COLUMNS

__all__ = [
    "FORMATS", "FORMAT_NAMES", "READERS", "REGISTRY", "SPECS", "RAW_COLUMNS", "Format", "detect_format",
    "supported_formats_text",
]  # fmt: skip
