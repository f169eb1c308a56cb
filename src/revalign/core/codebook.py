"""The codebook: a framework's components, the review's themes, and the coding vocabularies.

A codebook is a YAML file validated by the schema below. ``headline: true`` marks
the components that appear in the results table. A codebook may name a ``base``
codebook (a path relative to itself) from which it takes any vocabulary it does not
define itself (themes, polarity, facet, context, levels): a codebook for a second framework
shares the review's themes and levels with the codebook the segments are coded on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from revalign.core.errors import InputError, InputErrors, display_path
from revalign.core.yamlio import KeyPath, LineMap, load_yaml, pydantic_errors

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
NONE_GRADE = "none"  # the grade of a part with no evidence (a level's `when` may name it)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
FALLBACK_LANG = "en"
_LANG_RE = re.compile(LANG_PATTERN)
_warned_langs: set[str] = set()


def _check_language_keys(data: T, what: str) -> T:
    if not isinstance(data, dict):
        return data
    for key in data:
        if not isinstance(key, str) or not _LANG_RE.match(key):
            raise ValueError(f"{what} keys are language codes such as en, id, de, pt-BR; got {key!r}")
    return data


FALLBACK_NOTE = "they are shown in English, or in the first language they have where they have no English label"


def label_candidates(lang: str) -> list[str]:
    """Label keys to try for *lang*, most specific first: ``pt-BR`` -> ``pt-BR``, ``pt``."""
    parts = (lang or FALLBACK_LANG).split("-")
    return ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]


class Label(BaseModel):
    """An entry's name by language code: ``{en: ..., id: ...}``; a plain string is English.

    ``label.text("de")`` (or ``label.de``) gives the German label, else the English one,
    else the first one given.
    """

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str] = Field(init=False)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {FALLBACK_LANG: data}
        if isinstance(data, dict) and not data:
            raise ValueError("give the label in at least one language, e.g. {en: My label}")
        return _check_language_keys(data, "label")

    @property
    def languages(self) -> list[str]:
        return list(self.__pydantic_extra__ or {})

    def has(self, lang: str) -> bool:
        """Whether the label is given in *lang* (or in its language without the region)."""
        return any(c in (self.__pydantic_extra__ or {}) for c in label_candidates(lang))

    def text(self, lang: str = FALLBACK_LANG, warn: bool = True) -> str:
        """The label in *lang*; else in its language without the region (``de`` for ``de-AT``); else in
        English; else in the first language it is given in (warned once per language, unless *warn* is false)."""
        texts = self.__pydantic_extra__ or {}
        for candidate in label_candidates(lang):
            if candidate in texts:
                return texts[candidate]
        if warn and lang not in _warned_langs:
            _warned_langs.add(lang)
            print(f"warning: some codebook labels have no {lang!r} label; {FALLBACK_NOTE}", file=sys.stderr)
        return texts.get(FALLBACK_LANG) or next(iter(texts.values()))

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and _LANG_RE.match(name):
            return self.text(name)
        return super().__getattr__(name)  # type: ignore[misc]  # pydantic defines it only outside TYPE_CHECKING

    def __str__(self) -> str:
        return self.text(FALLBACK_LANG)


class Indicators(BaseModel):
    """Indicator terms by language code: ``{en: [...], id: [...]}``; a missing language has none."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, list[str]] = Field(init=False)

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        return _check_language_keys(data, "indicators")

    @property
    def languages(self) -> list[str]:
        return list(self.__pydantic_extra__ or {})

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and _LANG_RE.match(name):
            return (self.__pydantic_extra__ or {}).get(name, [])
        return super().__getattr__(name)  # type: ignore[misc]  # pydantic defines it only outside TYPE_CHECKING


# What a polarity code means to the alignment rule (docs/protocol.md): evidence for the
# dimension, evidence of a shortfall, or both in one claim. The codebook's own ids and labels
# name the codes; the rule, the tables and the figures work with these roles.
STRENGTH = "strength"
GAP = "gap"
MIXED = "mixed"
ROLES: tuple[str, ...] = (STRENGTH, GAP, MIXED)
Role = Literal["strength", "gap", "mixed"]


class Term(_Strict):
    """An entry of a closed vocabulary (polarity, facet, context, theme).

    ``role`` (polarity terms): what the code means to the rule, ``strength``, ``gap`` or
    ``mixed``; a code named ``strength``, ``gap`` or ``mixed`` without a role takes that role
    (codebooks written before roles existed). ``weight`` (facet and context terms): the
    term's weight in the alignment rule (1 when absent); ``focus: true`` (context terms): the
    review's own context (at most one).
    """

    id: str = Field(pattern=ID_PATTERN)
    label: Label
    description: str = ""
    role: Role | None = None
    weight: float | None = Field(default=None, ge=0)
    focus: bool = False


class PartGrade(_Strict):
    """A grade of one part (facet) of the evidence: strength share s >= min_share (> when strict)."""

    id: str = Field(pattern=ID_PATTERN)
    min_share: float = Field(ge=0, le=1)
    strict: bool = False
    description: str = ""


class Component(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: Label
    phrase: str
    description: str
    include: str = ""
    exclude: str = ""
    indicators: Indicators = Field(default_factory=Indicators)
    headline: bool = False
    colour: str | None = Field(default=None, pattern=r"^#[0-9A-Fa-f]{6}$")
    # For a framework other than the reference one: the ids of the reference
    # framework's components this one corresponds to (empty: none).
    maps_to: list[str] = Field(default_factory=list)


class Level(_Strict):
    """An ordinal alignment level. ``when`` (part id -> allowed grades, ``none`` = no evidence)
    defines it by the grades of the evidence parts (docs/protocol.md section 3); a level
    without ``when`` is the catch-all, or, when no level has one, the single-score rule applies.
    """

    rank: int = Field(ge=0)
    id: str = Field(pattern=ID_PATTERN)
    label: Label
    description: str = ""
    when: dict[str, list[str]] | None = None


class Framework(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    year: int | None = None
    definition: str
    source_key: str | None = None  # citation key of the definition in the bibliography
    maps_to_framework: str | None = None  # id of the framework that maps_to refers to


# an entry of one of the codebook's id lists
_Entry = TypeVar("_Entry", Component, Term, Level, PartGrade)


class Codebook(_Strict):
    """A codebook (YAML): the framework, its components, the codes a segment takes and the alignment
    levels. Ids are lower-case letters, digits and _; labels are {language code: text}."""

    framework: Framework = Field(
        description="The framework the review codes against; its id is what a parameter file's framework names."
    )
    base: str | None = Field(
        None, description="Optional: a codebook (a path relative to this file) whose entries this one starts from."
    )
    components: list[Component] = Field(
        min_length=1, description="The framework's dimensions; headline: true puts one in the results table."
    )
    themes: list[Term] = Field(default_factory=list, description="The themes a segment takes (segments.csv theme).")
    polarity: list[Term] = Field(
        default_factory=list,
        description="The polarity codes (segments.csv polarity), each with its role: strength, gap or mixed.",
    )
    facet: list[Term] = Field(
        default_factory=list,
        description="The facet codes (segments.csv facet); the facets the levels' when conditions name are the parts.",
    )
    context: list[Term] = Field(
        default_factory=list,
        description="The context codes (segments.csv context); focus: true marks the context the review is about.",
    )
    levels: list[Level] = Field(
        default_factory=list, description="The ordinal alignment levels, rank 0 the lowest (docs/protocol.md)."
    )
    part_grades: list[PartGrade] = Field(
        default_factory=list,
        description="Optional: the grades of the evidence parts, when levels are defined by them (docs/protocol.md "
        "section 3).",
    )

    @field_validator("components", "themes", "polarity", "facet", "context", "levels", "part_grades")
    @classmethod
    def _unique_ids(cls, items: list[_Entry]) -> list[_Entry]:
        seen = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"id {item.id!r} appears twice")
            seen.add(item.id)
        return items

    @field_validator("levels")
    @classmethod
    def _levels_ranked(cls, levels: list[Level]) -> list[Level]:
        ranks = sorted(level.rank for level in levels)
        if levels and ranks != list(range(len(ranks))):
            found = ", ".join(map(str, ranks))
            raise ValueError(f"ranks must be 0, 1, 2, ... without gaps or repeats (found {found}); renumber them")
        return levels

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Codebook:
        # load_codebook asks for the problems itself, to report each on its own line
        if (info.context or {}).get("defer_problems"):
            return self
        for _loc, message in self.problems():
            raise ValueError(message)
        return self

    def problems(self) -> list[tuple[KeyPath, str]]:
        """What is inconsistent across entries, as ``(location, message)``; the location is the
        key path in the YAML (``("polarity", 2, "role")``) so that a message names its line."""
        return [*self._role_problems(), *self._level_problems()]

    def _role_problems(self) -> Iterator[tuple[KeyPath, str]]:
        for name in ("themes", "facet", "context"):
            for i, t in enumerate(getattr(self, name)):
                if t.role is not None:
                    yield (name, i, "role"), f"{name}: {t.id!r} has a role; only polarity codes have one"
        for name in ("themes", "polarity", "facet"):
            for i, t in enumerate(getattr(self, name)):
                if t.focus:
                    yield (name, i, "focus"), f"{name}: {t.id!r} has focus: true; only a context code can be the focus"
        focus = [(i, t.id) for i, t in enumerate(self.context) if t.focus]
        if len(focus) > 1:
            ids = ", ".join(x for _, x in focus)
            yield ("context", focus[1][0], "focus"), f"context: {len(focus)} codes have focus: true ({ids}); mark one"
        by_role: dict[str, list[tuple[int, str]]] = {}
        roleless = False
        for i, t in enumerate(self.polarity):
            role = t.role or (t.id if t.id in ROLES else None)
            if role is None:
                roleless = True
                yield (
                    ("polarity", i, "id"),
                    f"polarity: code {t.id!r} has no role; add `role: strength`, `role: gap` or `role: mixed` "
                    "(what the code means to the alignment rule)",
                )
                continue
            by_role.setdefault(role, []).append((i, t.id))
        for role, codes in by_role.items():
            if len(codes) > 1:
                ids = ", ".join(x for _, x in codes)
                yield (
                    ("polarity", codes[1][0], "role"),
                    f"polarity: {len(codes)} codes have role {role} ({ids}); give each role to one code",
                )
        missing = [r for r in (STRENGTH, GAP) if r not in by_role]
        if self.polarity and missing and not roleless:
            yield (
                ("polarity",),
                f"polarity: no code has role {' or '.join(missing)}; the rule needs one code for strengths "
                "and one for gaps",
            )

    def _level_problems(self) -> Iterator[tuple[KeyPath, str]]:
        conditional = [(i, lv) for i, lv in enumerate(self.levels) if lv.when is not None]
        if not conditional:
            return
        if not self.part_grades:
            i = conditional[0][0]
            yield (
                ("levels", i, "when"),
                "levels: a level with `when` needs the codebook's part_grades (the grades it names)",
            )
            return
        grades = [g.id for g in self.part_grades] + [NONE_GRADE]
        facets = [f.id for f in self.facet]
        for i, lv in conditional:
            for part, allowed in (lv.when or {}).items():
                if facets and part not in facets:
                    yield (
                        ("levels", i, "when", part),
                        f"levels: level {lv.id!r}: part {part!r} is not a facet id (use one of: {', '.join(facets)})",
                    )
                bad = [g for g in allowed if g not in grades]
                if bad:
                    yield (
                        ("levels", i, "when", part),
                        f"levels: level {lv.id!r}: grade {bad[0]!r} is not in part_grades (use: {', '.join(grades)})",
                    )
        lowest = min(self.levels, key=lambda lv: lv.rank)
        for i, lv in enumerate(self.levels):
            if lv.when is None and lv.id != lowest.id:
                yield (
                    ("levels", i, "id"),
                    f"levels: level {lv.id!r} has no `when`; with `when` conditions, only the lowest level "
                    f"({lowest.id!r}) has none (it takes every other case)",
                )
        if lowest.when is not None:
            i = self.levels.index(lowest)
            yield (
                ("levels", i, "when"),
                f"levels: the lowest level {lowest.id!r} has a `when`; leave it out (the lowest level takes every "
                "case the higher levels do not cover)",
            )

    # ---- convenience -------------------------------------------------------------
    @cached_property
    def component_ids(self) -> list[str]:
        return [c.id for c in self.components]

    @cached_property
    def headline_ids(self) -> list[str]:
        return [c.id for c in self.components if c.headline]

    def component(self, cid: str) -> Component:
        for c in self.components:
            if c.id == cid:
                return c
        raise KeyError(cid)

    @cached_property
    def polarity_roles(self) -> dict[str, str]:
        """Polarity code id -> its role (``strength``, ``gap``, ``mixed``)."""
        return {t.id: t.role or t.id for t in self.polarity}

    def role_code(self, role: str) -> str | None:
        """The polarity code that has *role* (None: no code has it; ``mixed`` is optional)."""
        return next((code for code, r in self.polarity_roles.items() if r == role), None)

    def role_label(self, role: str, lang: str = FALLBACK_LANG) -> str | None:
        """The label of the polarity code that has *role* (None: no code has it)."""
        code = self.role_code(role)
        return self.label("polarity", code, lang) if code else None

    @cached_property
    def parts(self) -> list[str]:
        """The facets the levels are defined on: those the levels' ``when`` conditions name
        (in the facet list's order); every facet when no level has a condition."""
        named = {part for lv in self.levels if lv.when for part in lv.when}
        facets = [f.id for f in self.facet]
        return [f for f in facets if f in named] if named else facets

    @cached_property
    def focus_context(self) -> str | None:
        """The context code marked ``focus: true`` (the review's own setting), or None."""
        return next((t.id for t in self.context if t.focus), None)

    def vocabulary(self, name: str) -> list[str]:
        """Ids of a closed vocabulary: 'themes', 'polarity', 'facet', 'context', 'levels'."""
        return [t.id for t in getattr(self, name)]

    def label(self, kind: str, item_id: str, lang: str = "en") -> str:
        """Label of a component, theme, polarity, facet, context or level id in *lang*."""
        items = self.components if kind in ("component", "dimension") else getattr(self, kind)
        for item in items:
            if item.id == item_id:
                return item.label.text(lang)
        raise KeyError(f"{kind} {item_id!r}")

    def entries(self) -> Iterator[tuple[str, Component | Term | Level]]:
        """Every entry that has a label, as ``(kind, entry)``: components, themes, vocabularies, levels."""
        for c in self.components:
            yield "components", c
        for name in ("themes", "polarity", "facet", "context", "levels"):
            for item in getattr(self, name):
                yield name, item

    @cached_property
    def languages(self) -> list[str]:
        """Languages in which every label is given (English first when present)."""
        common = None
        for _, item in self.entries():
            langs = set(item.label.languages)
            common = langs if common is None else common & langs
        common = common or set()
        return sorted(common, key=lambda lang: (lang != FALLBACK_LANG, lang))

    def missing_translations(self, lang: str) -> list[str]:
        """``kind:id`` of every entry without a label in *lang*."""
        return [f"{kind}:{item.id}" for kind, item in self.entries() if not item.label.has(lang)]

    def levels_by_rank(self) -> list[Level]:
        return sorted(self.levels, key=lambda level: level.rank)


_VOCABS = ("themes", "polarity", "facet", "context", "levels", "part_grades")


def _check_unique_ids(path: Path, data: dict[str, Any], lines: LineMap) -> None:
    """An id used twice in one list, reported on the line of its second use."""
    for name in ("components", *_VOCABS):
        items = data.get(name)
        if not isinstance(items, list):
            continue
        first: dict[str, int | None] = {}
        for i, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            line = lines.line((name, i, "id"))
            if item_id in first:
                raise InputError(
                    path,
                    f"{name}: id {item_id!r} appears twice (first on line {first[item_id]}); give each its own id",
                    line,
                )
            first[item_id] = line


def _base_path(path: Path, base_name: object, lines: LineMap, chain: tuple[Path, ...]) -> Path:
    """The file a codebook's ``base:`` names, checked: inside the project folder that holds the
    codebook (or, outside any project, the codebook's own folder) after links are resolved
    (revalign.core.confine), existing, and not leading back to a codebook on the way there."""
    from revalign.core.confine import outside, project_folder

    line = lines.line(("base",))
    if not isinstance(base_name, str):
        raise InputError(path, "base: give the file name of the base codebook", line)
    base_path = (path.parent / base_name).resolve()
    if base_path == path.resolve():
        raise InputError(path, "base: a codebook cannot be its own base", line)
    reason = outside(base_path, project_folder(path) or path.resolve().parent)
    if reason is not None:
        raise InputError(path, f"base: {base_name} {reason}", line)
    if base_path in chain:
        cycle = " -> ".join(display_path(p) for p in (*chain[chain.index(base_path) :], path.resolve(), base_path))
        raise InputError(path, f"base: {base_name} leads back to this codebook (a cycle of bases: {cycle})", line)
    if not base_path.exists():
        raise InputError(path, f"base: codebook {base_name} not found next to this file", line)
    return base_path


def load_codebook(path: str | Path, _chain: tuple[Path, ...] = ()) -> Codebook:
    """Read and validate a codebook YAML (and its base); errors name the file and line."""
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, "a codebook must be a mapping with framework, components, ...", 1)
    base_name = data.get("base")
    if base_name:
        base_path = _base_path(path, base_name, lines, _chain)
        base = load_codebook(base_path, (*_chain, path.resolve()))
        for vocab in _VOCABS:
            if not data.get(vocab):
                data[vocab] = [item.model_dump() for item in getattr(base, vocab)]
    _check_unique_ids(path, data, lines)
    try:
        cb = Codebook.model_validate(data, context={"defer_problems": True})
    except ValidationError as exc:
        raise InputErrors(pydantic_errors(path, exc, lines, Codebook)) from None
    problems = [InputError(path, message, lines.line(loc)) for loc, message in cb.problems()]
    if problems:
        raise InputErrors(problems)
    for vocab in ("polarity", "facet", "context", "levels", "themes"):
        if not getattr(cb, vocab):
            raise InputError(path, f"{vocab}: the codebook (or its base) must define this vocabulary", 1)
    return cb


def roles_of(segs: pd.DataFrame, cb: Codebook | None) -> pd.Series:
    """The role (strength, gap, mixed) of each segment's polarity code, as a pandas Series.

    Segments read with a codebook carry a ``role`` column already; otherwise the codebook's
    roles map the codes (without a codebook the codes are taken to be role names).
    """
    if "role" in segs.columns:
        return segs["role"].astype(str)
    if cb is None:
        return segs["polarity"].astype(str)
    roles = cb.polarity_roles
    return segs["polarity"].astype(str).map(lambda code: roles.get(code, code))


def warn_missing_translations(cb: Codebook, lang: str, path: str | Path | None = None) -> str | None:
    """Warn once per process and language when some labels lack *lang* (they fall back to English, or
    to the first language they have).

    Returns the warning text (None when every label has *lang* or it was already given).
    """
    missing = cb.missing_translations(lang)
    if not missing or lang in _warned_langs:
        return None
    _warned_langs.add(lang)
    where = f"{display_path(path)}: " if path else ""
    shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
    text = (
        f"warning: {where}{len(missing)} of {sum(1 for _ in cb.entries())} labels have no {lang!r} "
        f"label ({shown}); {FALLBACK_NOTE}"
    )
    print(text, file=sys.stderr)
    return text


def reference_codebook(cb: Codebook, codebook_path: str | Path) -> Codebook | None:
    """The codebook whose component ids *cb*'s ``maps_to`` refer to (its ``base``), or None.

    A second framework is not coded directly: the segments stay coded on the reference
    framework (the base codebook) and are mapped onto the second one through ``maps_to``.
    """
    if not cb.base or not any(c.maps_to for c in cb.components):
        return None
    return load_codebook((Path(codebook_path).parent / cb.base).resolve())


def coding_codebook(codebook_path: str | Path) -> Codebook:
    """The codebook the segments are coded with: the run's own, or its reference framework's."""
    cb = load_codebook(codebook_path)
    return reference_codebook(cb, codebook_path) or cb
