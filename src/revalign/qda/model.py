"""Exchange with qualitative-analysis software through REFI-QDA (QDA-XML 1.0).

Three commands, for moving a coded project between revalign and NVivo, ATLAS.ti,
MAXQDA, QualCoder or Taguette:

- ``qda export-codebook CODEBOOK.yml -o FILE.qdc``: the codebook as a REFI-QDA codebook;
- ``qda export-project -o FILE.qdpx``: the coded segments as a REFI-QDA project;
- ``qda import FILE.qdpx -o segments.csv``: a project written by any of those programs
  back into a segments file.

How revalign's codebook becomes a REFI-QDA code tree (the same in both exports):

- the framework is a non-codable category (``isCodable="false"``) holding one codable
  code per component, named by the component's English label;
- the themes, and the polarity, facet and context vocabularies, are non-codable categories
  ``Themes``, ``Polarity``, ``Facet``, ``Context``, each holding one codable code per term;
- a name used twice (a theme labelled like a component, say) gets its kind appended,
  ``Strategic design (theme)``, because several programs merge codes of the same name;
- GUIDs are UUID 5 of a fixed namespace and ``kind:id``, colours come from the component's
  ``colour`` or a fixed palette: a re-export is byte-identical;
- each code's description ends with a line ``revalign-id: KIND:ID``, which the importer
  reads back even if the code was renamed or given a new GUID by another program.

The export lives in :mod:`revalign.qda.export`, the import in :mod:`revalign.qda.importer`.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from revalign.core.contracts import SEGMENT_COLUMNS as _SEGMENT_COLUMNS
from revalign.core.palette import OKABE_ITO, POLARITY_COLOURS

# Fixed namespace for every GUID revalign writes (uuid5 of a URL; never change it,
# or exports stop being reproducible and re-imports stop recognising codes by GUID).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/revalign/revalign/refi-qda")

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "revalign"

SEGMENT_COLUMNS = list(_SEGMENT_COLUMNS)

# Kinds of code revalign knows; "component" is a framework dimension.
VOCAB_KINDS = ("theme", "polarity", "facet", "context")
KINDS = ("component",) + VOCAB_KINDS
CATEGORY_NAMES = {"theme": "Themes", "polarity": "Polarity", "facet": "Facet", "context": "Context"}
# Segment column that each kind fills.
COLUMN_OF_KIND = {
    "component": "dimension",
    "theme": "theme",
    "polarity": "polarity",
    "facet": "facet",
    "context": "context",
}

# Palette for codes without a colour, and the polarity colours: those of the figures.
PALETTE = OKABE_ITO
VOCAB_COLOURS = {"theme": PALETTE[1:], "facet": ["#009E73", "#CC79A7"], "context": ["#E69F00", "#56B4E9"]}

REVALIGN_ID_RE = re.compile(r"^\s*revalign-id:\s*([a-z]+):([A-Za-z0-9_]+)\s*$", re.MULTILINE)
_NAME_PUNCT = re.compile(r"[\W_]+")  # anything but letters and digits, in any script
# Characters XML 1.0 cannot carry.
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def make_guid(*parts: str) -> str:
    """Deterministic GUID (8-4-4-4-12 lowercase hex) of *parts*."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def xml_text(text: str) -> str:
    """*text* without the control characters XML 1.0 cannot hold."""
    return _XML_ILLEGAL.sub("", text)


def norm_name(name: str) -> str:
    """A code name as compared with the codebook's ids and labels.

    QDA programs and their users spell names freely, so case, diacritics, punctuation
    (underscores, hyphens, commas...) and "&" versus "and" do not count:
    "Ethical Study & Application" and "ethical-study and applicatión" both give
    "ethical study and application".
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    return " ".join(_NAME_PUNCT.sub(" ", text).split())


def norm_guid(guid: str | None) -> str:
    return (guid or "").strip().strip("{}").lower()


def schema_path(name: str) -> Path:
    """Path of a bundled REFI-QDA schema: 'Project.xsd' or 'Codebook.xsd'."""
    return Path(str(resources.files("revalign.qda") / "schemas" / name))


# ---- the code tree of a codebook ------------------------------------------------------
@dataclass
class CodeSpec:
    guid: str
    name: str
    codable: bool
    kind: str | None = None  # component, theme, polarity, facet, context; None for categories
    item_id: str | None = None
    colour: str | None = None
    description: str = ""
    children: list[CodeSpec] = field(default_factory=list)


def _component_description(c) -> str:
    parts = [c.description.strip()]
    if c.phrase:
        parts.append(f"Phrase of the definition: {c.phrase.strip()}")
    if c.include:
        parts.append(f"Include: {c.include.strip()}")
    if c.exclude:
        parts.append(f"Exclude: {c.exclude.strip()}")
    langs = c.indicators.languages
    for lang in sorted(langs, key=lambda x: (x != "en", langs.index(x))):  # English first, then as given
        terms = getattr(c.indicators, lang)
        if terms:
            parts.append(("Indicators: " if lang == "en" else f"Indicators ({lang}): ") + "; ".join(terms))
    parts.extend(_other_labels(c.label))
    return "\n".join(p for p in parts if p)


def _other_labels(label) -> list[str]:
    """``Label (xx): ...`` for each language other than English the codebook names *label* in."""
    return [f"Label ({lang}): {label.text(lang)}" for lang in label.languages if lang != "en"]


def _vocab_code(kind: str, i: int, t, role: str | None = None) -> CodeSpec:
    """The code of the *i*-th term *t* of a vocabulary kind (*role*: a polarity code's role)."""
    if kind == "polarity":
        colour = POLARITY_COLOURS.get(role or "", PALETTE[i % len(PALETTE)])
    else:
        pal = VOCAB_COLOURS[kind]
        colour = pal[i % len(pal)]
    desc = "\n".join(p for p in (t.description.strip(), *_other_labels(t.label)) if p)
    return CodeSpec(
        guid=make_guid(kind, t.id),
        name=t.label.en,
        codable=True,
        kind=kind,
        item_id=t.id,
        colour=colour.upper(),
        description=desc,
    )


def _finish_leaves(tree: list[CodeSpec]) -> None:
    """Names used twice (case-insensitively) get their kind appended; descriptions get the revalign id."""
    leaves = [c for cat in tree for c in cat.children]
    counts: dict[str, int] = {}
    for c in leaves + tree:
        counts[norm_name(c.name)] = counts.get(norm_name(c.name), 0) + 1
    for c in leaves:
        if counts[norm_name(c.name)] > 1:
            c.name = f"{c.name} ({c.kind})"
    for c in leaves:
        c.description = (c.description + "\n" if c.description else "") + f"revalign-id: {c.kind}:{c.item_id}"


def code_tree(cb) -> list[CodeSpec]:
    """The codebook as REFI-QDA codes: top-level categories with their codes."""
    fw = cb.framework
    components = [
        CodeSpec(
            guid=make_guid("component", fw.id, c.id),
            name=c.label.en,
            codable=True,
            kind="component",
            item_id=c.id,
            colour=(c.colour or PALETTE[i % len(PALETTE)]).upper(),
            description=_component_description(c),
        )
        for i, c in enumerate(cb.components)
    ]
    tree = [
        CodeSpec(
            guid=make_guid("framework", fw.id),
            name=fw.name,
            codable=False,
            description=fw.definition.strip(),
            children=components,
        )
    ]
    for kind in VOCAB_KINDS:
        terms = getattr(cb, "themes" if kind == "theme" else kind)
        if not terms:
            continue
        roles = cb.polarity_roles if kind == "polarity" else {}
        codes = [_vocab_code(kind, i, t, roles.get(t.id)) for i, t in enumerate(terms)]
        tree.append(
            CodeSpec(guid=make_guid("category", kind), name=CATEGORY_NAMES[kind], codable=False, children=codes)
        )
    _finish_leaves(tree)
    return tree


def iter_codes(tree: list[CodeSpec]):
    for c in tree:
        yield c
        yield from iter_codes(c.children)
