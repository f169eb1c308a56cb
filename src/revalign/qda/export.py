"""Write a codebook (.qdc) and coded segments (.qdpx) as REFI-QDA files.

Layout of an exported project (the README's REFI-QDA section tells the user's side):

- one ``TextSource`` per ``ref_key`` (named by the key), whose plain text
  ``sources/GUID.txt`` holds that reference's distinct excerpts, in order of first
  appearance, separated by a blank line (two segments with the same excerpt share its
  text);
- one ``PlainTextSelection`` per segment, with character offsets into that text, coded
  with its component and, when set, its theme, polarity, facet and context codes; the
  segment's coder is the selection's and the codings' ``creatingUser``;
- the selection's ``Description`` keeps the rest, one ``key: value`` a line
  (``segment_id``, ``ref_key``, ``locator``, ``theme``, ``polarity``, ``facet``, ``context``)
  so an import gets back exactly what was exported.

No dates are written (the schema does not require them); ZIP entries are sorted with a
fixed timestamp and permissions, so the same input gives the same bytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from revalign.core.atomic import atomic_path, write_bytes
from revalign.qda.model import (
    CODEBOOK_NS,
    ORIGIN,
    PROJECT_NS,
    VOCAB_KINDS,
    CodeSpec,
    code_tree,
    iter_codes,
    make_guid,
    xml_text,
)

SOURCE_SEPARATOR = "\n\n"
DESCRIPTION_KEYS = ("segment_id", "ref_key", "locator", "theme", "polarity", "facet", "context")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# ---- XML building ------------------------------------------------------------------------
def _code_element(parent, spec: CodeSpec, ns: str) -> None:
    attrs = {"guid": spec.guid, "name": xml_text(spec.name), "isCodable": "true" if spec.codable else "false"}
    if spec.colour:
        attrs["color"] = spec.colour
    el = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
    if spec.description:
        etree.SubElement(el, f"{{{ns}}}Description").text = xml_text(spec.description)
    for child in spec.children:
        _code_element(el, child, ns)


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def codebook_xml(cb) -> bytes:
    """The codebook as a QDA-XML codebook document (.qdc)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS})
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for spec in code_tree(cb):
        _code_element(codes, spec, CODEBOOK_NS)
    return _serialise(root)


def write_codebook(cb, output: str | Path) -> int:
    write_bytes(output, codebook_xml(cb))
    return sum(1 for _ in iter_codes(code_tree(cb)))


def _description(row: dict) -> str:
    return "\n".join(f"{k}: {' '.join(row[k].split())}" for k in DESCRIPTION_KEYS)


def _source_text(rows: list[dict]) -> tuple[str, dict[str, tuple[int, int]]]:
    """A source's text, the distinct excerpts in order of first appearance, and each excerpt's span."""
    spans: dict[str, tuple[int, int]] = {}
    pieces: list[str] = []
    pos = 0
    for r in rows:
        excerpt = xml_text(r["excerpt"].replace("\r\n", "\n").replace("\r", "\n"))
        if excerpt not in spans:
            if pieces:
                pieces.append(SOURCE_SEPARATOR)
                pos += len(SOURCE_SEPARATOR)
            spans[excerpt] = (pos, pos + len(excerpt))
            pieces.append(excerpt)
            pos += len(excerpt)
    return "".join(pieces) + "\n", spans


def _selection_element(src, r: dict, spans, guid_of, user_guid, ns: str) -> None:
    """One segment as a PlainTextSelection of *src*, with one Coding per code it carries."""
    start, end = spans[xml_text(r["excerpt"].replace("\r\n", "\n").replace("\r", "\n"))]
    attrs = {
        "guid": make_guid("selection", r["segment_id"]),
        "name": xml_text(r["segment_id"]),
        "startPosition": str(start),
        "endPosition": str(end),
    }
    if r["coder"]:
        attrs["creatingUser"] = user_guid[r["coder"]]
    sel = etree.SubElement(src, f"{{{ns}}}PlainTextSelection", attrs)
    etree.SubElement(sel, f"{{{ns}}}Description").text = xml_text(_description(r))
    keys = [("component", r["dimension"])] + [(k, r[k]) for k in VOCAB_KINDS if r[k]]
    for key in keys:
        code = guid_of[key]
        cattrs = {"guid": make_guid("coding", r["segment_id"], code)}
        if r["coder"]:
            cattrs["creatingUser"] = user_guid[r["coder"]]
        coding = etree.SubElement(sel, f"{{{ns}}}Coding", cattrs)
        etree.SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": code})


def _source_elements(root, segments: list[dict], guid_of, user_guid, ns: str) -> dict[str, bytes]:
    """One TextSource per ref_key under *root*; returns the 'sources/GUID.txt' -> bytes entries."""
    by_ref: dict[str, list[dict]] = {}
    for r in segments:
        by_ref.setdefault(r["ref_key"], []).append(r)
    files: dict[str, bytes] = {}
    if by_ref:
        sources = etree.SubElement(root, f"{{{ns}}}Sources")
    for ref_key, rows in by_ref.items():
        text, spans = _source_text(rows)
        sguid = make_guid("source", ref_key)
        files[f"sources/{sguid}.txt"] = text.encode("utf-8")
        src = etree.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            {"guid": sguid, "name": xml_text(ref_key), "plainTextPath": f"internal://{sguid}.txt"},
        )
        for r in rows:
            _selection_element(src, r, spans, guid_of, user_guid, ns)
    return files


def project_files(segments: list[dict], cb, name: str | None = None) -> dict[str, bytes]:
    """The archive entries of a project: 'project.qde' and 'sources/GUID.txt' -> bytes."""
    ns = PROJECT_NS
    tree = code_tree(cb)
    guid_of = {(c.kind, c.item_id): c.guid for c in iter_codes(tree) if c.kind}

    coders = list(dict.fromkeys(r["coder"] for r in segments if r["coder"]))
    user_guid = {c: make_guid("user", c) for c in coders}

    root = etree.Element(
        f"{{{ns}}}Project",
        {"name": xml_text(name or f"revalign: {cb.framework.name}"), "origin": ORIGIN},
        nsmap={None: ns},
    )
    if coders:
        users = etree.SubElement(root, f"{{{ns}}}Users")
        for c in coders:
            etree.SubElement(users, f"{{{ns}}}User", {"guid": user_guid[c], "name": xml_text(c)})
    codes = etree.SubElement(etree.SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    for spec in tree:
        _code_element(codes, spec, ns)
    files = _source_elements(root, segments, guid_of, user_guid, ns)
    files["project.qde"] = _serialise(root)
    return files


def write_zip(files: dict[str, bytes], output: str | Path) -> None:
    """Write *files* as a ZIP, deterministically (sorted, fixed dates), atomically."""
    with atomic_path(output) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name], compresslevel=9)


def write_project(segments: list[dict], cb, output: str | Path, name: str | None = None) -> dict:
    files = project_files(segments, cb, name)
    write_zip(files, output)
    return {
        "segments": len(segments),
        "sources": len(files) - 1,
        "users": len({r["coder"] for r in segments if r["coder"]}),
    }
