"""Read a REFI-QDA project (.qdpx) written by revalign, QualCoder, NVivo, ATLAS.ti, MAXQDA or
Taguette into revalign segments.

What becomes a segment: every ``PlainTextSelection`` of a text source (or of the text
representation of a PDF source) coded with a code that maps to a framework component
gives one row per (coder, component). Its other codes fill ``theme``, ``polarity``,
``facet`` and ``context``; what they leave empty is taken from ``key: value`` lines of the
selection's ``Description`` (revalign's own export writes them there), else left empty.

Mapping a code to the codebook, first rule that applies:

1. the mapping file (``--map``): ``code name: component_id`` or ``code name: KIND:ID``
   (KIND one of component, theme, polarity, facet, context), ``~`` to ignore a code;
2. a GUID revalign gave the code on export, or a ``revalign-id: KIND:ID`` line in its
   description;
3. its name equals an id or a label (in any language of the codebook) of a component, theme or
   vocabulary term (case-insensitive; ``Name (kind)`` restricts the kind); a name that
   fits more than one kind is settled by the names of the categories above it (e.g.
   ``Themes``, ``Polarity``, the framework's name), else reported as ambiguous;
4. the nearest ancestor code or category that maps (a sub-code of "Empower learners"
   counts as "Empower learners").

Codes that map to nothing are counted and listed, never dropped silently.

Where source text is read from (a shared project must not read the recipient's files):
``internal://`` names a member of the archive and nothing else; ``absolute://`` and
``relative://`` name files on the computer that wrote the project and are refused unless
the user names a folder with ``sources_dir`` (``--sources-dir DIR``): then a relative path
is taken inside that folder (the project's ``basePath`` is not trusted) and an absolute
one must lie inside it, both after ``..`` and symbolic links are resolved.

Limits, checked before or while the work is done (SECURITY.md, :mod:`revalign.core.ziplimits`):
at most :data:`MAX_MEMBERS` archive members; a member read is at most :data:`MAX_MEMBER_BYTES`
uncompressed, declared and counted while it streams, and at most :data:`MAX_RATIO` times its
compressed size, and all members read together at most :data:`MAX_TOTAL_BYTES`; no encrypted
members; project.qde without a DTD (no entities, no external DTD), parsed as it streams, nested
at most :data:`MAX_XML_DEPTH` elements deep and holding at most :data:`MAX_XML_ELEMENTS`
elements; the excerpts of all selections together at most :data:`MAX_EXCERPT_CHARS` characters.

Positions are offsets in Unicode characters (code points) into the source's plain text
(UTF-8, a BOM is not counted). A CRLF line break counts as two characters, as the
text file stores it (NVivo, MAXQDA, QualCoder), except in projects from ATLAS.ti, which
count it as one; with ``crlf="auto"`` the selection names (which most programs set to
the start of the selected text) decide when they fit only one reading.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from revalign.core.atomic import check_input_file
from revalign.core.errors import InputError
from revalign.core.yamlio import load_yaml
from revalign.core.ziplimits import MemberStream, ZipLimits, open_zip, read_member
from revalign.qda.model import (
    KINDS,
    REVALIGN_ID_RE,
    SEGMENT_COLUMNS,
    code_tree,
    iter_codes,
    norm_guid,
    norm_name,
    schema_path,
)

DESCRIPTION_RE = re.compile(
    r"^\s*(segment_id|ref_key|locator|theme|polarity|facet|context)\s*:[ \t]*(.*?)\s*$", re.MULTILINE
)
KIND_SUFFIX_RE = re.compile(r"^(.*?)\s*\((component|dimension|theme|polarity|facet|context)\)\s*$", re.I)
MAX_MEMBERS = 20_000  # archive members (sources, media, project.qde)
MAX_MEMBER_BYTES = 256 * 2**20  # uncompressed bytes of one member that is read
MAX_RATIO = 200  # uncompressed / compressed size, for members larger than RATIO_FLOOR
RATIO_FLOOR = 2**20
MAX_XML_DEPTH = 200  # element nesting in project.qde (codes nest inside codes)
MAX_TOTAL_BYTES = 1024 * 2**20  # uncompressed bytes read from one archive, all members together
# Elements of project.qde: each is a node of lxml's tree (~600 bytes with its attributes), so this
# bounds the tree at about 300 MB; a project of 100,000 coded selections has about 400,000.
MAX_XML_ELEMENTS = 500_000
# Characters of all excerpts together: each selection's text is copied into its segment.
MAX_EXCERPT_CHARS = 50_000_000
SOURCE_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".html", ".htm", ".md")
# Category names that hint at a kind (English and Indonesian), besides the framework's own.
KIND_HINTS = {
    "component": {"component", "components", "dimension", "dimensions", "dimensi", "komponen", "framework"},
    "theme": {"theme", "themes", "tema"},
    "polarity": {"polarity", "polaritas"},
    "facet": {"facet", "facets", "aspek", "faset"},
    "context": {"context", "contexts", "konteks"},
}


# ---- the mapping file --------------------------------------------------------------------
@dataclass
class Mapping:
    codes: dict[str, tuple[str, str] | tuple[str, None]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def _vocab_ids(cb, kind: str) -> list[str]:
    if kind == "component":
        return cb.component_ids
    return cb.vocabulary("themes" if kind == "theme" else kind)


def parse_target(value, cb) -> tuple[str, str] | None:
    """'component_id' or 'KIND:ID' -> (kind, id); None if not valid."""
    value = str(value).strip()
    kind, _, item = value.partition(":")
    if not item:
        kind, item = "component", value
    kind = "component" if kind == "dimension" else kind
    if kind in KINDS and item in _vocab_ids(cb, kind):
        return kind, item
    return None


def load_mapping(path: str | Path, cb) -> Mapping:
    """Read a mapping YAML: ``code name: target`` pairs, or sections ``codes:`` and ``sources:``
    (``source name: ref_key``). A target is a component id, ``KIND:ID`` or ``~`` (ignore)."""
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, "a mapping file must be a mapping of code name to component id", 1)
    sectioned = set(data) <= {"codes", "sources"} and all(isinstance(v, dict) or v is None for v in data.values())
    codes = (data.get("codes") or {}) if sectioned else data
    sources = (data.get("sources") or {}) if sectioned else {}
    prefix = ("codes",) if sectioned else ()
    mapping = Mapping()
    for name, target in codes.items():
        line = lines.line(prefix + (name,))
        if target is None or str(target).strip().lower() == "ignore":
            mapping.codes[norm_name(str(name))] = ("ignore", None)
            continue
        parsed = parse_target(target, cb)
        if parsed is None:
            raise InputError(
                path,
                f"{name}: {target!r} is not a component id or KIND:ID of the codebook "
                f"(components: {', '.join(cb.component_ids)})",
                line,
            )
        mapping.codes[norm_name(str(name))] = parsed
    for name, ref_key in sources.items():
        if not isinstance(ref_key, str) or not ref_key.strip():
            raise InputError(path, f"sources: {name}: expected a citation key", lines.line(("sources", name)))
        mapping.sources[str(name)] = ref_key.strip()
    return mapping


# ---- the code table ----------------------------------------------------------------------
@dataclass
class Code:
    guid: str
    name: str
    codable: bool
    description: str
    parent: Code | None
    line: int | None
    target: tuple[str, str | None] | None = None  # (kind, id), ("ignore", None) or None
    how: str = ""

    @property
    def path(self) -> str:
        names, c = [], self
        while c is not None:
            names.append(c.name)
            c = c.parent
        return " > ".join(reversed(names))


class _Resolver:
    def __init__(self, cb, mapping: Mapping | None):
        self.mapping = mapping or Mapping()
        self.export_guids = {c.guid: (c.kind, c.item_id) for c in iter_codes(code_tree(cb)) if c.kind}
        self.index: dict[str, set[tuple[str, str]]] = {}
        for kind in KINDS:
            items = cb.components if kind == "component" else getattr(cb, "themes" if kind == "theme" else kind)
            for it in items:
                for key in (it.id, *(it.label.text(lg) for lg in it.label.languages)):
                    self.index.setdefault(norm_name(key), set()).add((kind, it.id))
        self.hints = {k: set(v) for k, v in KIND_HINTS.items()}
        self.hints["component"] |= {norm_name(cb.framework.id), norm_name(cb.framework.name)}
        self.cb = cb

    def resolve(self, code: Code) -> None:
        name = norm_name(code.name)
        if name in self.mapping.codes:
            code.target, code.how = self.mapping.codes[name], "mapping file"
            return
        if code.guid in self.export_guids:
            code.target, code.how = self.export_guids[code.guid], "revalign GUID"
            return
        m = REVALIGN_ID_RE.search(code.description or "")
        if m and parse_target(f"{m.group(1)}:{m.group(2)}", self.cb):
            code.target, code.how = parse_target(f"{m.group(1)}:{m.group(2)}", self.cb), "revalign-id"
            return
        restrict = None
        m = KIND_SUFFIX_RE.match(code.name)
        if m and norm_name(m.group(1)) in self.index:
            name, restrict = norm_name(m.group(1)), m.group(2).lower().replace("dimension", "component")
        candidates = {c for c in self.index.get(name, set()) if restrict is None or c[0] == restrict}
        if len(candidates) > 1:
            hinted = set()
            anc = code.parent
            while anc is not None and not hinted:
                hinted = {c for c in candidates if norm_name(anc.name) in self.hints[c[0]]}
                anc = anc.parent
            candidates = hinted or candidates
        if len(candidates) == 1:
            code.target, code.how = next(iter(candidates)), "name"
            return
        if len(candidates) > 1:
            code.how = "ambiguous: " + " or ".join(sorted(f"{k} {i}" for k, i in candidates))
            return
        anc = code.parent
        while anc is not None:
            if anc.target is not None and anc.target[0] != "ignore":
                code.target, code.how = anc.target, f"parent {anc.name!r}"
                return
            anc = anc.parent


# ---- the result --------------------------------------------------------------------------
@dataclass
class ImportResult:
    file: str
    origin: str
    rows: list[dict]
    n_sources: int
    n_selections: int
    n_users: int
    unmapped: list[dict]  # one per coding of an unmapped code
    unmapped_codes: list[tuple[str, int, str]]  # (path, codings, reason)
    unused_unmapped: int
    no_component: int
    skipped: dict[str, int]
    warnings: list[str]
    crlf_rules: dict[str, str]

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=SEGMENT_COLUMNS)

    def unmapped_frame(self):
        import pandas as pd

        return pd.DataFrame(self.unmapped, columns=["code", "source", "start", "end", "coder", "excerpt"])

    def summary_lines(self, output) -> list[str]:
        out = [
            f"read {self.file} (origin: {self.origin or 'not stated'}): {self.n_sources} text sources, "
            f"{self.n_selections} coded selections, {self.n_users} users"
        ]
        for name, rule in sorted(self.crlf_rules.items()):
            out.append(f"note: source {name!r} has CRLF line breaks; counted as {rule} character(s)")
        for kind, n in sorted(self.skipped.items()):
            out.append(f"note: {n} {kind} not imported (only coded plain-text selections are)")
        out.extend(f"warning: {w}" for w in self.warnings)
        if self.unmapped_codes:
            n = sum(c for _, c, _ in self.unmapped_codes)
            out.append(
                f"warning: {len(self.unmapped_codes)} code(s) could not be mapped to the codebook "
                f"({n} codings not imported); map them with --map MAP.yml:"
            )
            for path, count, reason in self.unmapped_codes:
                out.append(f"  {path}  ({count} codings{'; ' + reason if reason else ''})")
        if self.unused_unmapped:
            out.append(f"note: {self.unused_unmapped} other unmapped code(s) are not used in any coding")
        if self.no_component:
            out.append(
                f"warning: {self.no_component} coded selection(s) have no framework component code and give no segment"
            )
        out.append(f"wrote {len(self.rows)} segments to {output}")
        return out


# ---- reading the archive -----------------------------------------------------------------
def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str):
    return [c for c in el if _local(c) == name]


def _first_text(el, name: str) -> str:
    for c in _children(el, name):
        return c.text or ""
    return ""


def _limits() -> ZipLimits:
    return ZipLimits(
        members=MAX_MEMBERS, member_bytes=MAX_MEMBER_BYTES, total_bytes=MAX_TOTAL_BYTES, ratio=MAX_RATIO,
        ratio_floor=RATIO_FLOOR,
    )  # fmt: skip


def _open_zip(path: Path) -> zipfile.ZipFile:
    return open_zip(
        path,
        _limits(),
        "not a ZIP archive; a .qdpx project is a ZIP holding project.qde and "
        "sources/ (a .qdc codebook or a .qde alone cannot be imported here)",
        what="a REFI-QDA project",
        again="export the project again",
    )


def _find_qde(zf: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in zf.namelist() if not n.endswith("/")]
    for n in names:
        if n.lower() == "project.qde":
            return n
    qdes = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
    if len(qdes) == 1:
        return qdes[0]
    raise InputError(path, "no project.qde in the archive; is this a REFI-QDA project (.qdpx)?")


def _parse_xml(stream, where: str):
    """Parse project.qde from *stream* as it inflates: no DTD (so no entities and nothing
    fetched), bounded nesting, at most MAX_XML_ELEMENTS elements."""
    depth = elements = 0
    try:
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=True,
        )
        for event, el in events:
            if event == "start":
                depth += 1
                elements += 1
                if elements > MAX_XML_ELEMENTS:
                    raise InputError(
                        where,
                        f"more than {MAX_XML_ELEMENTS:,} XML elements; refusing to read more "
                        "(a project with 100,000 coded selections has about 400,000)",
                        el.sourceline,
                    )
                if depth > MAX_XML_DEPTH:
                    raise InputError(
                        where,
                        f"elements nested more than {MAX_XML_DEPTH} deep (codes inside "
                        "codes?); is this a REFI-QDA project?",
                        el.sourceline,
                    )
            else:
                depth -= 1
        root = events.root
    except etree.XMLSyntaxError as exc:
        raise InputError(where, f"malformed XML: {exc.msg}", exc.lineno or None) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.system_url or docinfo.doctype:
        raise InputError(
            where, "a DOCTYPE (DTD, entities) is not allowed in a REFI-QDA project; refusing to read it", 1
        )
    return root


def validate_project(root, where: str) -> None:
    """Check a parsed project.qde against Project.xsd; raise on the first violation."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(schema_path("Project.xsd")))
    for err in schema.iter_errors(etree.ElementTree(root)):
        line = getattr(err, "sourceline", None)
        reason = (err.reason or str(err)).strip().rstrip(".")
        raise InputError(where, f"not valid against the REFI-QDA project schema: {reason}", line)


def _decode(data: bytes, where: str, line: int | None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                where,
                "a text source marked as UTF-16 is not valid UTF-16 (an odd number of bytes, or a broken pair?)",
                line,
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(where, "a text source is not UTF-8 text", line) from None


def _norm_ws(text: str) -> str:
    """Runs of whitespace as one space (a leading line break stays visible as a space)."""
    return re.sub(r"\s+", " ", text)


def _choose_crlf(raw: str, selections, default: str) -> str:
    """Pick the reading ('one' or 'two') under which selection names match the text."""
    texts = {"one": raw.replace("\r\n", "\n"), "two": raw}
    votes = {"one": 0, "two": 0}
    for start, _end, name in selections:
        probe = _norm_ws(re.sub(r"(\.\.\.|…)\s*$", "", name or "")).strip()[:30]
        if len(probe) < 4:
            continue
        for rule, text in texts.items():
            if 0 <= start <= len(text) and _norm_ws(text[start : start + 4 * len(probe) + 8]).startswith(probe):
                votes[rule] += 1
    if votes["one"] != votes["two"]:
        return max(votes, key=votes.get)
    return default


class _Archive:
    def __init__(
        self,
        path: Path,
        zf: zipfile.ZipFile,
        qde: str,
        sources_dir: Path | None = None,
        limits: ZipLimits | None = None,
    ):
        self.path, self.zf, self.qde = path, zf, qde
        self.limits = limits or _limits()
        self.sources_dir = sources_dir
        self.where = f"{path}/{qde}"
        self.members = {n.lower(): n for n in zf.namelist() if not n.endswith("/")}

    def source_bytes(self, uri: str, name: str, line: int | None) -> bytes:
        if uri.startswith("internal://"):
            rel = uri[len("internal://") :].lstrip("/")
            for cand in (f"sources/{rel}", rel):
                if cand.lower() in self.members:
                    return read_member(self.zf, self.path, self.members[cand.lower()], self.limits)
            base = PurePosixPath(rel).name.lower()
            hits = [m for low, m in self.members.items() if PurePosixPath(low).name == base]
            if len(hits) == 1:
                return read_member(self.zf, self.path, hits[0], self.limits)
            raise InputError(
                self.where,
                f"source {name!r}: {uri} is missing from sources/ in the archive; "
                "export the project again with its sources",
                line,
            )
        if uri.startswith(("relative://", "absolute://")):
            return self._outside(uri, name, line)
        raise InputError(
            self.where,
            f"source {name!r}: unknown path {uri!r} (expected internal://, relative:// or absolute://)",
            line,
        )

    def _outside(self, uri: str, name: str, line: int | None) -> bytes:
        """A source outside the archive: only inside --sources-dir, after resolving .. and links."""
        if self.sources_dir is None:
            raise InputError(
                self.where,
                f"source {name!r}: {uri} is a file outside the archive; a shared project "
                "may only read files you allow: name their folder with --sources-dir DIR, "
                "or export the project with its sources inside",
                line,
            )
        root = self.sources_dir.resolve()
        if uri.startswith("relative://"):
            candidate = root / uri[len("relative://") :].lstrip("/")
        else:
            candidate = Path(uri[len("absolute://") :])
        real = Path(os.path.realpath(candidate))
        if not real.is_relative_to(root):
            raise InputError(
                self.where,
                f"source {name!r}: {uri} resolves to a path outside --sources-dir {self.sources_dir}; refused",
                line,
            )
        if not real.is_file():
            raise InputError(
                self.where,
                f"source {name!r}: {uri} is not in the archive and not found in --sources-dir {self.sources_dir}",
                line,
            )
        check_input_file(real)
        if real.stat().st_size > MAX_MEMBER_BYTES:
            raise InputError(self.where, f"source {name!r}: {uri} is larger than {MAX_MEMBER_BYTES:,} bytes", line)
        return real.read_bytes()


def _int_attr(el, attr: str, where: str) -> int:
    value = el.get(attr)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(where, f"{_local(el)}: {attr} must be a whole number, got {value!r}", el.sourceline) from None


def _ref_key_from_name(name: str) -> str:
    low = name.lower()
    for suf in SOURCE_SUFFIXES:
        if low.endswith(suf):
            return name[: -len(suf)].strip()
    return name.strip()


def import_project(
    path: str | Path,
    cb,
    mapping: Mapping | None = None,
    strict: bool = False,
    crlf: str = "auto",
    sources_dir: str | Path | None = None,
) -> ImportResult:
    """Read a .qdpx into segments (see the module docstring for the rules).

    *sources_dir*: the folder from which sources named by ``absolute://`` or ``relative://``
    paths may be read (None: only sources inside the archive)."""
    path = Path(path)
    if sources_dir is not None:
        sources_dir = Path(sources_dir)
        if not sources_dir.exists():
            raise InputError(sources_dir, "--sources-dir: folder not found")
        if not sources_dir.is_dir():
            raise InputError(sources_dir, "--sources-dir: not a folder")
    zf = _open_zip(path)
    with zf:
        qde = _find_qde(zf, path)
        where = f"{path}/{qde}"
        limits = _limits()
        root = _parse_xml(io.BufferedReader(MemberStream(zf, path, qde, limits), 2**16), where)
        if strict:
            validate_project(root, where)
        ns = etree.QName(root).namespace or ""
        if _local(root) != "Project" or not ns.startswith("urn:QDA-XML:project"):
            raise InputError(
                where,
                f"root element is {etree.QName(root).text}, expected Project in namespace urn:QDA-XML:project:1.0",
                root.sourceline,
            )
        origin = root.get("origin") or ""
        archive = _Archive(path, zf, qde, sources_dir, limits)
        return _import(root, archive, cb, mapping, crlf, origin)


def _read_users(root) -> dict[str, str]:
    users: dict[str, str] = {}
    for users_el in _children(root, "Users"):
        for u in _children(users_el, "User"):
            g = norm_guid(u.get("guid"))
            users[g] = (u.get("name") or u.get("id") or g).strip()
    return users


def _read_codes(root, resolver: _Resolver) -> dict[str, Code]:
    codes: dict[str, Code] = {}

    def walk(el, parent):
        for c in _children(el, "Code"):
            code = Code(
                guid=norm_guid(c.get("guid")),
                name=(c.get("name") or "").strip(),
                codable=(c.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                description=_first_text(c, "Description"),
                parent=parent,
                line=c.sourceline,
            )
            resolver.resolve(code)
            codes[code.guid] = code
            walk(c, code)

    for book in _children(root, "CodeBook"):
        for codes_el in _children(book, "Codes"):
            walk(codes_el, None)
    return codes


@dataclass
class _Collected:
    """What the import gathers while it walks the sources."""

    users: dict[str, str]
    codes: dict[str, Code]
    rows: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    unmapped_count: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    crlf_rules: dict[str, str] = field(default_factory=dict)
    n_sources: int = 0
    n_selections: int = 0
    no_component: int = 0
    used_ids: set[str] = field(default_factory=set)
    where: str = ""
    excerpt_chars: int = 0  # characters of excerpt copied into rows so far (MAX_EXCERPT_CHARS)

    def add_excerpt(self, n: int, sel) -> None:
        self.excerpt_chars += n
        if self.excerpt_chars > MAX_EXCERPT_CHARS:
            raise InputError(
                self.where,
                f"the coded selections copy more than {MAX_EXCERPT_CHARS:,} characters of excerpt in all "
                "(many selections of a long source?); refusing to read more",
                sel.sourceline,
            )

    def skip(self, kind, n=1):
        if n:
            self.skipped[kind] = self.skipped.get(kind, 0) + n


def _text_sources(root, state: _Collected) -> list:
    """Text sources: TextSource, and the text representation of a PDFSource."""
    text_sources = []
    for sources_el in _children(root, "Sources"):
        for src in sources_el:
            kind = _local(src)
            if kind == "TextSource":
                text_sources.append((src, src.get("name") or ""))
            elif kind == "PDFSource":
                reps = _children(src, "Representation")
                for rep in reps:
                    text_sources.append((rep, src.get("name") or rep.get("name") or ""))
                state.skip("PDF area selections", len(_children(src, "PDFSelection")))
            else:
                state.skip(f"{kind} sources")
    return text_sources


def _raw_text(src, src_name: str, archive: _Archive) -> str:
    where = archive.where
    content = _children(src, "PlainTextContent")
    if content:
        return content[0].text or ""
    if src.get("plainTextPath"):
        return _decode(archive.source_bytes(src.get("plainTextPath"), src_name, src.sourceline), where, src.sourceline)
    raise InputError(
        where,
        f"source {src_name!r} has coded selections but no plain text (neither plainTextPath nor PlainTextContent)",
        src.sourceline,
    )


def _apply_crlf(raw: str, spans, src_name: str, crlf, default_rule: str, state: _Collected) -> str:
    if "\r\n" not in raw:
        return raw
    rule = crlf if crlf != "auto" else _choose_crlf(raw, spans, default_rule)
    state.crlf_rules[src_name] = "one" if rule == "one" else "two"
    return raw.replace("\r\n", "\n") if rule == "one" else raw


def _check_span(sel, start: int, end: int, text: str, src_name: str, where: str) -> None:
    label = sel.get("name") or sel.get("guid") or "?"
    if start < 0 or end < start:
        raise InputError(
            where,
            f"selection {label!r} in source {src_name!r}: positions {start}-{end} are not a range",
            sel.sourceline,
        )
    if end > len(text):
        raise InputError(
            where,
            f"selection {label!r} ({start}-{end}) runs past the end of source "
            f"{src_name!r} ({len(text)} characters); was the source text changed after coding? "
            "export the project again",
            sel.sourceline,
        )


def _import_source(src, src_name: str, archive: _Archive, mapping, crlf, default_rule: str, state: _Collected):
    where = archive.where
    selections = _children(src, "PlainTextSelection")
    state.skip("codings of whole sources", len(_children(src, "Coding")))
    coded = [s for s in selections if _children(s, "Coding")]
    if not src_name:
        src_name = src.get("guid") or "source"
    state.n_sources += 1
    if not coded:
        return
    raw = _raw_text(src, src_name, archive)
    spans = [(_int_attr(s, "startPosition", where), _int_attr(s, "endPosition", where), s.get("name")) for s in coded]
    text = _apply_crlf(raw, spans, src_name, crlf, default_rule, state)
    ref_key = mapping.sources.get(src_name) or mapping.sources.get(_ref_key_from_name(src_name))
    for sel, (start, end, _) in zip(coded, spans, strict=False):
        _check_span(sel, start, end, text, src_name, where)
        state.n_selections += 1
        _import_selection(src, sel, src_name, start, end, text, ref_key, state)


def _codings_by_coder(sel, state: _Collected) -> dict[str, list[Code | str]]:
    """Codings of a selection grouped by coder, in document order."""
    sel_user = norm_guid(sel.get("creatingUser") or sel.get("modifyingUser"))
    by_coder: dict[str, list[Code | str]] = {}
    for coding in _children(sel, "Coding"):
        coder_guid = norm_guid(coding.get("creatingUser")) or sel_user
        coder = state.users.get(coder_guid, coder_guid)
        for ref in _children(coding, "CodeRef"):
            g = norm_guid(ref.get("targetGUID"))
            by_coder.setdefault(coder, []).append(state.codes.get(g) or g)
    return by_coder


def _import_selection(src, sel, src_name: str, start: int, end: int, text: str, ref_key, state: _Collected):
    state.add_excerpt(end - start, sel)
    excerpt = text[start:end].replace("\r\n", "\n").replace("\r", "\n")
    desc = {k: v for k, v in DESCRIPTION_RE.findall(_first_text(sel, "Description"))}
    label = sel.get("name") or sel.get("guid") or "?"
    by_coder = _codings_by_coder(sel, state)
    for coder, coded_with in by_coder.items():
        values = _coder_values(coded_with, src_name, start, end, coder, excerpt, state)
        if not values["component"]:
            state.no_component += 1
            continue
        attrs = _coder_attrs(values, desc, label, src_name, coder, state)
        single = len(values["component"]) == 1 and len(by_coder) == 1
        for k, comp in enumerate(values["component"]):
            if k or coder != next(iter(by_coder)):
                state.add_excerpt(len(excerpt), sel)  # a further row with the same text
            sid = desc.get("segment_id", "") if single else ""
            if not sid or sid in state.used_ids:
                h = hashlib.sha1(f"{src.get('guid')}|{start}|{end}|{coder}|{comp}".encode()).hexdigest()
                sid = f"qda-{h[:10]}"
            state.used_ids.add(sid)
            state.rows.append(
                {
                    "segment_id": sid,
                    "ref_key": ref_key or desc.get("ref_key") or _ref_key_from_name(src_name),
                    "locator": desc.get("locator") or f"{src_name}:{start}-{end}",
                    "theme": attrs["theme"],
                    "dimension": comp,
                    "polarity": attrs["polarity"],
                    "facet": attrs["facet"],
                    "context": attrs["context"],
                    "excerpt": excerpt,
                    "coder": coder,
                }
            )


def _coder_values(coded_with, src_name: str, start: int, end: int, coder: str, excerpt: str, state: _Collected):
    """The codebook values one coder gave a selection, by kind; unmapped codes are recorded."""
    values: dict[str, list[str]] = {k: [] for k in KINDS}
    for code in coded_with:
        target = code.target if isinstance(code, Code) else None
        if target is None:
            cname = code.path if isinstance(code, Code) else f"<code {code} not in the codebook>"
            state.unmapped_count[cname] = state.unmapped_count.get(cname, 0) + 1
            state.unmapped.append(
                {"code": cname, "source": src_name, "start": start, "end": end, "coder": coder, "excerpt": excerpt}
            )
        elif target[0] != "ignore" and target[1] not in values[target[0]]:
            values[target[0]].append(target[1])
    return values


def _coder_attrs(values, desc: dict, label: str, src_name: str, coder: str, state: _Collected) -> dict[str, str]:
    """One value per non-component kind: the code, else the description's, else empty (several: warn)."""
    attrs = {}
    for kind in KINDS[1:]:
        if len(values[kind]) > 1:
            state.warnings.append(
                f"selection {label!r} in {src_name!r}: several {kind} codes "
                f"({', '.join(values[kind])}) by {coder or 'unknown user'}; {kind} left empty"
            )
            attrs[kind] = ""
        else:
            attrs[kind] = values[kind][0] if values[kind] else desc.get(kind, "")
    return attrs


def _import(root, archive: _Archive, cb, mapping, crlf, origin) -> ImportResult:
    mapping = mapping or Mapping()
    users = _read_users(root)
    codes = _read_codes(root, _Resolver(cb, mapping))
    default_rule = "one" if "atlas" in origin.lower() else "two"
    state = _Collected(users=users, codes=codes, where=archive.where)
    for src, src_name in _text_sources(root, state):
        _import_source(src, src_name, archive, mapping, crlf, default_rule, state)
    reasons = {c.path: c.how for c in codes.values()}
    unmapped_codes = sorted(
        ((p, n, reasons.get(p, "")) for p, n in state.unmapped_count.items()), key=lambda t: (-t[1], t[0])
    )
    unused = sum(1 for c in codes.values() if c.codable and c.target is None and c.path not in state.unmapped_count)
    return ImportResult(
        file=str(archive.path),
        origin=origin,
        rows=state.rows,
        n_sources=state.n_sources,
        n_selections=state.n_selections,
        n_users=len(users),
        unmapped=state.unmapped,
        unmapped_codes=unmapped_codes,
        unused_unmapped=unused,
        no_component=state.no_component,
        skipped=state.skipped,
        warnings=state.warnings,
        crlf_rules=state.crlf_rules,
    )
