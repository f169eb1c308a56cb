"""Parameter files: schema, defaults, and where a run writes its outputs.

A parameter file (``params/NAME.yml``) names its inputs relative to the repository
root. The run called ``default`` writes to the committed locations
(``data/processed``, ``figures``, ``reports/report.html``, ``notebooks``); any
other run writes everything under ``runs/NAME/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from revalign.core.codebook import load_codebook, warn_missing_translations
from revalign.core.errors import InputError, InputErrors
from revalign.core.yamlio import KeyPath, LineMap, load_yaml, pydantic_errors, read_text_checked

if TYPE_CHECKING:
    _PathBase = Path
else:  # Path() is a PosixPath or a WindowsPath; Python 3.11 cannot subclass Path itself
    _PathBase = type(Path())


def repo_root(start: str | Path | None = None) -> Path:
    """The directory holding ``pyproject.toml``, searched upward from *start* (or cwd)."""
    here = Path(start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "src" / "revalign").exists():
            return candidate
    return Path.cwd().resolve()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


SOURCE_TYPES = ("primary", "secondary", "review", "unknown")
MAX_KEYWORD_CHARS = 300  # one screening keyword (SECURITY.md: a matcher's work grows with it)
Keyword = Annotated[str, Field(max_length=MAX_KEYWORD_CHARS)]


class DecisionFile(_Strict):
    """One file of screening decisions (revalign.screening.decisions), with what the file does not say.

    ``file``: a Rayyan, Covidence or ASReview LAB export, or a sheet ``record, reviewer, stage,
    decision, reason``; ``reviewer`` and ``stage`` name who decided and at which stage when the
    file does not (an ASReview export holds one person's title/abstract labels).
    """

    file: str
    reviewer: str | None = None
    stage: Literal["title_abstract", "full_text"] | None = None


class OtherMethods(_Strict):
    """Records identified by other methods than database searches (PRISMA 2020's right-hand arm):
    every record of the bibliography ``files`` named here, and every record whose source type
    is one of ``source_types`` (sources chosen by name: policy documents, organisations' reports)."""

    files: list[str] = Field(default_factory=list)
    source_types: list[Literal["primary", "secondary", "review", "unknown"]] = Field(default_factory=list)


class Screening(_Strict):
    """Screening criteria (see revalign.screening.rules). Empty lists mean "no restriction".

    ``keywords``: the search terms by language code (``{en: [...], es: [...]}``), or one list
    (``[...]``, kept as ``{en: [...]}``: the language only labels the list); a record matches
    any of them. ``keywords_<lang>`` (``keywords_en``, ``keywords_id``), the form of earlier
    parameter files, is read as ``keywords: {<lang>: [...]}``.
    ``window_applies_to`` / ``keywords_apply_to``: the source types (``sourcetype``
    column; ``unknown`` when blank) the year window / keyword criterion applies to;
    ``None`` (the default) means every record.
    ``decisions`` / ``resolutions``: people's screening decisions and decided conflict sheets;
    ``other_methods``: which records were identified by other methods (see :class:`OtherMethods`).
    """

    year_min: int = 2015
    year_max: int = 2025
    keywords: dict[str, list[Keyword]] = Field(default_factory=dict)
    doc_types: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    window_applies_to: list[Literal["primary", "secondary", "review", "unknown"]] | None = None
    keywords_apply_to: list[Literal["primary", "secondary", "review", "unknown"]] | None = None
    # People's decisions (revalign.screening.decisions) and the decided conflict sheets
    decisions: list[str | DecisionFile] = Field(default_factory=list)
    resolutions: list[str] = Field(default_factory=list)
    other_methods: OtherMethods = Field(default_factory=OtherMethods)

    @model_validator(mode="before")
    @classmethod
    def _keywords_by_language(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("keywords"), list):
            data["keywords"] = {"en": data["keywords"]}
        old = [k for k in data if re.fullmatch(r"keywords_[a-z]{2,3}", k)]
        if old and isinstance(data.get("keywords") or {}, dict):
            merged = dict(data.get("keywords") or {})
            for k in old:
                lang = k.removeprefix("keywords_")
                merged[lang] = [*merged.get(lang, []), *(data.pop(k) or [])]
            data["keywords"] = merged
        return data

    @property
    def all_keywords(self) -> list[str]:
        """Every keyword of every language, in the order given."""
        return [k for words in self.keywords.values() for k in words]

    @field_validator("year_max")
    @classmethod
    def _window(cls, year_max: int, info: ValidationInfo) -> int:
        year_min = info.data.get("year_min")
        if year_min is not None and year_min > year_max:
            raise ValueError(f"year_min ({year_min}) is after year_max ({year_max}); swap them")
        return year_max


class Corroboration(_Strict):
    """How many distinct cited sources (and source types) an extreme level needs."""

    top_min_sources: int = Field(3, ge=0)
    top_min_source_types: int = Field(2, ge=0)
    bottom_min_sources: int = Field(2, ge=0)
    bottom_min_source_types: int = Field(1, ge=0)


class SensitivityGrid(_Strict):
    """The grid the sensitivity analysis sweeps (each list: values tried for one parameter)."""

    context_weighting: list[bool] = Field(default_factory=lambda: [False, True])
    mixed_share: list[float] = Field(default_factory=lambda: [0.25, 0.5, 0.75])
    threshold_shift: list[float] = Field(default_factory=lambda: [-0.1, 0.0, 0.1])
    top_min_sources: list[int] = Field(default_factory=lambda: [2, 3, 4])
    include_synthesis: list[bool] = Field(default_factory=lambda: [False, True])


class Bootstrap(_Strict):
    """Resampling the cited sources (docs/protocol.md section 5): replicates and the seed."""

    replicates: int = Field(1000, ge=0)
    seed: int = 20231


Weight = Annotated[float, Field(ge=0)]


# revalign 0.1 wrote one key per weighted codebook term, ``<term id>_weight: 2.0``
_TERM_WEIGHT_KEY = re.compile(r"^(?P<term>[a-z][a-z0-9_]*)_weight$")


class Alignment(_Strict):
    """Parameters of the alignment rule (see revalign.alignment.rule and docs/protocol.md).

    Facet and context weights are declared in the codebook (``weight`` on each term);
    ``facet_weights`` / ``context_weights`` override them for one run.
    ``context_weighting``: apply context weights (default: only in the single-score rule).
    ``synthesis_key``: the citation key that stands for the review itself (none: no synthesis
    apart from corpus records marked as the review).
    """

    facet_weights: dict[str, Weight] = Field(default_factory=dict)
    context_weights: dict[str, Weight] = Field(default_factory=dict)
    term_weights: dict[str, Weight] = Field(
        default_factory=dict,
        description="Weights by codebook term id, facet or context (the form of revalign 0.1's "
        "'<term>_weight' keys, which are read into it); prefer facet_weights / context_weights.",
    )
    context_weighting: bool | None = None
    mixed_share: float = Field(0.5, ge=0, le=1)
    thresholds: list[float] = Field(default_factory=lambda: [-0.5, 0.0, 0.5], min_length=1)
    grade_shift: float = Field(0.0, ge=-1, le=1)
    corroboration: Corroboration = Field(default_factory=Corroboration)
    include_synthesis: bool = False
    synthesis_key: str | None = None
    source_type_field: str = "sourcecategory"
    key_excerpts: int = Field(2, ge=1)
    bootstrap: Bootstrap = Field(default_factory=Bootstrap)
    sensitivity: SensitivityGrid = Field(default_factory=SensitivityGrid)

    @model_validator(mode="before")
    @classmethod
    def _old_weight_keys(cls, data: Any) -> Any:
        """Parameter files written for revalign 0.1 gave one key per weighted term
        (``<term id>_weight``); they still read, as ``term_weights`` (which the codebook then
        assigns to facets or contexts: revalign.alignment.units)."""
        if not isinstance(data, dict):
            return data
        old = {k: v for k, v in data.items() if isinstance(k, str) and _TERM_WEIGHT_KEY.match(k)}
        if not old:
            return data
        data = {k: v for k, v in data.items() if k not in old}
        moved = {m["term"]: v for k, v in old.items() if (m := _TERM_WEIGHT_KEY.match(k))}  # (all match: above)
        data["term_weights"] = {**moved, **(data.get("term_weights") or {})}
        return data

    @field_validator("thresholds")
    @classmethod
    def _ordered(cls, t: list[float]) -> list[float]:
        if any(b <= a for a, b in zip(t, t[1:], strict=False)):
            raise ValueError(f"thresholds must increase strictly, got {t}; list them from lowest to highest")
        if any(not -1 <= x <= 1 for x in t):
            raise ValueError(f"thresholds must lie in [-1, 1] (the range of the balance score), got {t}")
        return t


class BibliographyEntry(_Strict):
    """A bibliography export named with how to read it: ``{file: x.csv, columns: {title: Title}}``
    (the columns of a CSV that matches no known export; revalign.bibliography.readers.tables)."""

    file: str
    columns: dict[str, str] | None = None


class ReviewQuestion(_Strict):
    """The review question and the context it names, against which each source's relevance is judged
    (GRADE-CERQual: population or perspective, phenomenon of interest, setting)."""

    question: str
    population: str = ""
    phenomenon: str = ""
    setting: str = ""


class Params(_Strict):
    """A run's parameter file (params/NAME.yml): its inputs, relative to the repository root, and the
    settings of each stage. Check one with ``python -m revalign check PARAMS``."""

    bibliography: list[str | BibliographyEntry] = Field(
        description="Your bibliography exports (BibTeX, RIS, CSL-JSON, Scopus or Web of Science files and the other "
        "formats the README lists, any mix); an entry {file, columns} reads any CSV by a column map."
    )
    codebook: str = Field(description="The codebook (YAML): framework, components, codes and levels.")
    segments: str = Field(
        description="The coded segments: a CSV with segment_id, ref_key, locator, theme, dimension, polarity, "
        "facet, context, excerpt, coder (or a REFI-QDA .qdpx project)."
    )
    published_table: str | None = Field(
        None, description="Optional: a published results table (CSV), for stage 04's replication check."
    )
    key_statistics: str | None = Field(
        None, description="Optional: the numbers the review quotes (CSV: a label, the value, the source's key)."
    )
    appraisal: str | None = Field(
        None,
        description="Optional: the source appraisal table for the confidence rating (docs/protocol.md section 6).",
    )
    coding_decisions: str | None = Field(
        None,
        description="Optional: the coding decisions the protocol names as judgements, each with its alternative "
        "coding (YAML), for stage 04's specification table.",
    )
    review_question: ReviewQuestion | None = Field(
        None, description="Optional: the review question and the context it names (GRADE-CERQual relevance)."
    )
    notes: str | None = Field(
        None,
        description="Optional: commentary about this particular review (markdown, sections '## 01 ...' to "
        "'## 05 ...'), shown at the end of each notebook.",
    )
    in_text_citations: str | None = Field(
        None, description="Optional: the review's in-text citations (CSV), for stage 01's citation audit."
    )
    framework: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Optional; when given it must equal the codebook's framework.id (a check that the parameter "
        "file and the codebook belong together).",
    )
    lang: str = Field(
        "en",
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="Language code of labels and of the program's words (en, id, de, ...); what is missing in "
        "it is shown in English.",
    )
    title: str = Field("Framework alignment review", description="The run's title, shown in the report.")
    screening: Screening = Field(
        default_factory=Screening,
        description="Stage 02: the rule criteria (year window, keywords, document types, languages) and people's "
        "screening decisions.",
    )
    alignment: Alignment = Field(
        default_factory=Alignment,
        description="Stage 04: the alignment rule's weights, thresholds, corroboration, bootstrap and sensitivity "
        "grid (docs/protocol.md).",
    )
    source_categories: dict[str, str] = Field(
        default_factory=dict,
        description="Source category of a work whose export has no sourcecategory field, by its document type or "
        "the export's own entry type (lower case), e.g. {government document: policy, webpage: media}.",
    )


class _ExportPath(_PathBase):
    """A path that carries how to read the export it names (``columns``)."""

    columns: dict[str, str] | None = None


RUN_NAME = re.compile(r"[A-Za-z0-9._-]+")


def run_name(params_file: Path, root: Path) -> str:
    """The run's name: the parameter file's name without ``.yml``, checked.

    A run writes under ``runs/NAME/``, so the name may hold only letters, digits, ``.``,
    ``_`` and ``-`` and may not be dots only (``...yml`` would give ``..``). The name
    ``default`` (the committed results) belongs to ``params/default.yml`` alone.
    """
    name = params_file.stem
    if not RUN_NAME.fullmatch(name) or not name.strip("."):
        raise InputError(
            params_file,
            f"the run name {name!r} (the file's name without .yml) may hold only letters, "
            "digits, '.', '_' and '-', and not dots only; rename the file",
        )
    if name == "lab":
        raise InputError(params_file, "the run name 'lab' is kept for interactive runs (runs/lab/); rename the file")
    if name == "default" and params_file.resolve() != (root / "params" / "default.yml").resolve():
        raise InputError(
            params_file,
            "only params/default.yml may be called default.yml (that run writes the "
            "committed results); rename the file",
        )
    return name


class RunConfig:
    """A validated parameter file plus the paths a run reads and writes.

    *output_dir* (an interactive run, revalign.project.notebook) puts every output under that
    folder, laid out like ``runs/NAME/``; *reads_from* is then the run whose files of earlier
    stages are read where the folder has none.
    """

    def __init__(
        self,
        params: Params,
        params_file: Path,
        root: Path,
        output_dir: Path | None = None,
        reads_from: RunConfig | None = None,
    ):
        self.params = params
        self.params_file = params_file
        self.root = root
        self.name = run_name(params_file, root)
        self.reads_from = reads_from
        if output_dir is not None:
            self.out = Path(output_dir)
            self.processed_dir = self.out / "processed"
            self.figures_dir = self.out / "figures"
            self.interim_dir = self.out / "interim"
            self.notebooks_dir = self.out / "notebooks"
            self.report_path = self.out / "report.html"
        elif self.name == "default":
            self.out = root
            self.processed_dir = root / "data" / "processed"
            self.figures_dir = root / "figures"
            self.interim_dir = root / "data" / "interim"
            self.notebooks_dir = root / "notebooks"
            self.report_path = root / "reports" / "report.html"
        else:
            self.out = root / "runs" / self.name
            self.processed_dir = self.out / "processed"
            self.figures_dir = self.out / "figures"
            self.interim_dir = self.out / "interim"
            self.notebooks_dir = self.out / "notebooks"
            self.report_path = self.out / "report.html"

    # The parameters, read as attributes (cfg.lang, cfg.screening.year_min ...): each one named here, so
    # that an editor and a type checker know what a config has (tests/unit/core/test_config.py checks
    # that every field of Params is here).
    @property
    def bibliography(self) -> list[str | BibliographyEntry]:
        return self.params.bibliography

    @property
    def codebook(self) -> str:
        return self.params.codebook

    @property
    def segments(self) -> str:
        return self.params.segments

    @property
    def published_table(self) -> str | None:
        return self.params.published_table

    @property
    def key_statistics(self) -> str | None:
        return self.params.key_statistics

    @property
    def appraisal(self) -> str | None:
        return self.params.appraisal

    @property
    def coding_decisions(self) -> str | None:
        return self.params.coding_decisions

    @property
    def review_question(self) -> ReviewQuestion | None:
        return self.params.review_question

    @property
    def notes(self) -> str | None:
        return self.params.notes

    @property
    def in_text_citations(self) -> str | None:
        return self.params.in_text_citations

    @property
    def framework(self) -> str | None:
        return self.params.framework

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def title(self) -> str:
        return self.params.title

    @property
    def screening(self) -> Screening:
        return self.params.screening

    @property
    def alignment(self) -> Alignment:
        return self.params.alignment

    @property
    def source_categories(self) -> dict[str, str]:
        return self.params.source_categories

    def rel(self, path: str | Path) -> str:
        """*path* as shown to a reader: relative to the repository root when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    @overload
    def path(self, relative: str) -> Path: ...
    @overload
    def path(self, relative: None) -> None: ...
    @overload
    def path(self, relative: str | None) -> Path | None: ...
    def path(self, relative: str | None) -> Path | None:
        """An input path from the parameter file, resolved against the repo root."""
        if relative is None:
            return None
        p = Path(relative)
        return p if p.is_absolute() else self.root / p

    @property
    def bibliography_files(self) -> list[Path]:
        """The bibliography exports; one named with ``columns`` carries them as ``.columns``,
        which :func:`revalign.bibliography.importer.read_bibliography` reads."""
        out: list[Path] = []
        for entry in self.params.bibliography:
            if isinstance(entry, str):
                out.append(self.path(entry))
            else:
                p = _ExportPath(self.path(entry.file))
                p.columns = entry.columns
                out.append(p)
        return out

    def input_files(self) -> dict[str, list[Path]]:
        """Every input file by parameter name (for Make's dependencies and checks)."""
        out = {"bibliography": self.bibliography_files}
        for key in (
            "codebook",
            "segments",
            "published_table",
            "key_statistics",
            "appraisal",
            "coding_decisions",
            "notes",
            "in_text_citations",
        ):
            value: str | None = getattr(self.params, key)
            out[key] = [self.path(value)] if value else []
        scr = self.params.screening
        out["screening_decisions"] = [self.path(d if isinstance(d, str) else d.file) for d in scr.decisions]
        out["screening_resolutions"] = [self.path(r) for r in scr.resolutions]
        return out

    def check_inputs_exist(self, keys: Iterable[str] | None = None) -> None:
        """Raise InputError for the first missing input file (of *keys*, default all)."""
        for key, paths in self.input_files().items():
            if keys is not None and key not in keys:
                continue
            for p in paths:
                if not p.exists():
                    raise InputError(self.params_file, f"{key}: input file {self.rel(p)} does not exist")

    def ensure_dirs(self) -> None:
        for d in (self.processed_dir, self.figures_dir, self.interim_dir, self.report_path.parent):
            d.mkdir(parents=True, exist_ok=True)

    def summary(self) -> dict[str, Any]:
        """The run's parameters as plain data, for display in notebooks and the report."""
        data = self.params.model_dump()
        data["run"] = self.name
        data["params_file"] = self.rel(self.params_file)
        return data


def load(
    params_file: str | Path = "params/default.yml",
    root: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    output_dir: Path | None = None,
    reads_from: RunConfig | None = None,
) -> RunConfig:
    """Read and validate a parameter file; relative paths resolve against the repo root.

    *overrides* (``{"alignment.thresholds": [...]}``, from a notebook's parameters cell) replace
    the file's values before validation; a bad one is reported as the parameters cell's.
    *output_dir* and *reads_from*: see RunConfig.
    """
    root = Path(root).resolve() if root else repo_root()
    path = Path(params_file)
    if not path.is_absolute():
        path = root / path
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(path, "a parameter file must be a mapping of keys to values", 1)
    if isinstance(data.get("bibliography"), str):
        data["bibliography"] = [data["bibliography"]]
    for dotted, value in (overrides or {}).items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            child = node.get(key)
            if child is None:
                child = node[key] = {}
            if not isinstance(child, dict):
                break  # the file's own value is wrong there: the validation says so
            node = child
        else:
            node[last] = value
    try:
        params = Params.model_validate(data)
    except ValidationError as exc:
        errors = pydantic_errors(path, exc, lines, Params)
        # an error in a value the parameters cell set, or beside one (year_min against year_max)
        cell_parents = {k.rpartition(".")[0] for k in overrides or {}}
        for i, e in enumerate(errors):
            key = e.message.split(":", 1)[0]
            beside = key.rpartition(".")[0] in cell_parents - {""}
            if beside or any(key == k or key.startswith(f"{k}.") for k in overrides or {}):
                errors[i] = InputError("the parameters cell", e.message)
        raise InputErrors(errors) from None
    cfg = RunConfig(params, path, root, output_dir, reads_from)
    outside = inputs_outside(cfg, lines)
    if outside:  # refused before any of them is read (the codebook just below, for one)
        raise InputErrors(outside)
    codebook_path = cfg.path(params.codebook)
    # The codebook is read here only when the parameters say something it must agree with.
    if codebook_path.is_file() and (params.framework is not None or params.lang != "en"):
        cb = load_codebook(codebook_path)
        if params.framework is not None and params.framework != cb.framework.id:
            raise InputError(
                path,
                f"framework: {params.framework!r} is not the framework of the codebook "
                f"{cfg.rel(codebook_path)} ({cb.framework.id!r}); give that id or leave framework out",
                lines.line(("framework",)),
            )
        warn_missing_translations(cb, params.lang, codebook_path)
    return cfg


INPUT_KEYS = (
    "bibliography", "in_text_citations", "codebook", "segments", "published_table", "key_statistics", "appraisal",
    "notes",
)  # fmt: skip


def input_outside(
    cfg_or_file: RunConfig | str | Path, key: str, value: str, path: Path, root: Path, line: int | None
) -> InputError | None:
    """The error for an input path of a parameter file that lies outside the project folder
    (revalign.core.confine), or None; ``check`` reports the same error through this function."""
    from revalign.core.confine import outside

    reason = outside(path, root)
    if reason is None:
        return None
    params_file = cfg_or_file.params_file if isinstance(cfg_or_file, RunConfig) else cfg_or_file
    return InputError(params_file, f"{key}: {value} {reason}", line)


def inputs_outside(cfg: RunConfig, lines: LineMap) -> list[InputError]:
    """Every input path of *cfg* that lies outside the project folder, as errors on their lines:
    the keys of :data:`INPUT_KEYS` and the screening decision and resolution files."""
    named: list[tuple[str, str, KeyPath]] = []  # (key as reported, value as written, where in the file)
    for key in INPUT_KEYS:
        value = getattr(cfg.params, key)
        entries = value if isinstance(value, list) else [value] if value else []
        files = [v if isinstance(v, str) else v.file for v in entries]  # {file: ..., columns: ...}
        named += [(key, v, (key, i) if key == "bibliography" else (key,)) for i, v in enumerate(files)]
    scr = cfg.params.screening
    for key, items in (("decisions", scr.decisions), ("resolutions", scr.resolutions)):
        for i, item in enumerate(items):
            named.append((f"screening.{key}", item if isinstance(item, str) else item.file, ("screening", key, i)))
    errors: list[InputError] = []
    for key, value, where in named:
        err = input_outside(cfg, key, value, cfg.path(value), cfg.root, lines.line(where))
        if err is not None:
            errors.append(err)
    return errors


def read_notes(cfg: RunConfig) -> str | None:
    """The markdown of the run's ``notes`` file (commentary about a specific review), or None."""
    path = cfg.path(cfg.params.notes)
    if path is None:
        return None
    return read_text_checked(path)


def build_dir(cfg: RunConfig) -> Path:
    """Make's own files of run *cfg* (rules, check stamp, lock, the kept import): the Makefile's ``BUILD``."""
    return cfg.interim_dir / ".make" if cfg.name == "default" else cfg.out / ".make"
