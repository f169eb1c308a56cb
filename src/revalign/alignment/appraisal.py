"""Critical appraisal of the cited sources, for GRADE-CERQual (docs/protocol.md, section 6).

The appraisal file (the parameter file's ``appraisal``) is a CSV in long form, one row per
source and criterion::

    ref_key, design, tool, criterion, judgement, reason

- ``tool`` names the appraisal tool chosen for the source's design (:data:`TOOLS`: CASP
  qualitative, the MMAT categories, JBI checklists, AACODS for grey literature and policy
  documents), or ``relevance`` for the source's fit to the review question (CERQual's
  relevance component: population or perspective, phenomenon of interest, setting);
- every criterion of the chosen tool, and the three relevance criteria, get one row each:
  one ``judgement`` and its ``reason`` (never empty);
- ``judgement``: ``yes``, ``partly``, ``no``, ``unclear`` (the tool's "can't tell"),
  ``not_applicable`` (the criterion does not apply to this source), or ``not_assessed``
  (the appraiser could not judge it, e.g. the full text was not read: the reason says so).

Validated where read: a tool or criterion the registry does not know, a source without a
row for one of its tool's criteria, a second row for the same criterion, a design or tool
that changes between the rows of one source, an empty reason: each is an
``error: FILE:LINE: ...``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from revalign.core.contracts import APPRAISAL
from revalign.core.errors import InputError

#: the file's columns (revalign.core.contracts.APPRAISAL, where they are defined)
COLUMNS: tuple[str, ...] = tuple(APPRAISAL.names)

YES, PARTLY, NO, UNCLEAR, NOT_APPLICABLE, NOT_ASSESSED = (
    "yes",
    "partly",
    "no",
    "unclear",
    "not_applicable",
    "not_assessed",
)
JUDGEMENTS: tuple[str, ...] = APPRAISAL.column(
    "judgement"
).values  # (YES, PARTLY, NO, UNCLEAR, NOT_APPLICABLE, NOT_ASSESSED)
# How far a judgement falls short of the criterion (0 met, 1 not met); not_applicable and
# not_assessed have none (the first is left out, the second leaves the source unappraised).
SHORTFALL = {YES: 0.0, PARTLY: 0.5, UNCLEAR: 0.5, NO: 1.0}

RELEVANCE_TOOL = "relevance"


@dataclass(frozen=True)
class Tool:
    """A critical appraisal tool: its name as published, a reference, and its criteria (id -> question)."""

    id: str
    name: str
    reference: str
    criteria: dict[str, str]


def _tool(tid: str, name: str, reference: str, *questions: tuple[str, str]) -> Tool:
    return Tool(tid, name, reference, dict(questions))


_MMAT_REF = (
    "Hong QN et al. (2018). Mixed Methods Appraisal Tool (MMAT), version 2018. Registration of Copyright #1148552."
)
_MMAT_SCREEN = (
    ("s1", "Are there clear research questions?"),
    ("s2", "Do the collected data allow to address the research questions?"),
)

TOOLS: dict[str, Tool] = {
    t.id: t
    for t in (
        _tool(
            "casp_qualitative",
            "CASP Qualitative Studies Checklist",
            "Critical Appraisal Skills Programme (2018). CASP Qualitative Checklist.",
            ("q1", "Was there a clear statement of the aims of the research?"),
            ("q2", "Is a qualitative methodology appropriate?"),
            ("q3", "Was the research design appropriate to address the aims of the research?"),
            ("q4", "Was the recruitment strategy appropriate to the aims of the research?"),
            ("q5", "Was the data collected in a way that addressed the research issue?"),
            ("q6", "Has the relationship between researcher and participants been adequately considered?"),
            ("q7", "Have ethical issues been taken into consideration?"),
            ("q8", "Was the data analysis sufficiently rigorous?"),
            ("q9", "Is there a clear statement of findings?"),
            ("q10", "How valuable is the research?"),
        ),
        _tool(
            "mmat_qualitative",
            "MMAT 2018, qualitative studies",
            _MMAT_REF,
            *_MMAT_SCREEN,
            ("1.1", "Is the qualitative approach appropriate to answer the research question?"),
            ("1.2", "Are the qualitative data collection methods adequate to address the research question?"),
            ("1.3", "Are the findings adequately derived from the data?"),
            ("1.4", "Is the interpretation of results sufficiently substantiated by data?"),
            ("1.5", "Is there coherence between qualitative data sources, collection, analysis and interpretation?"),
        ),
        _tool(
            "mmat_quantitative_descriptive",
            "MMAT 2018, quantitative descriptive studies",
            _MMAT_REF,
            *_MMAT_SCREEN,
            ("4.1", "Is the sampling strategy relevant to address the research question?"),
            ("4.2", "Is the sample representative of the target population?"),
            ("4.3", "Are the measurements appropriate?"),
            ("4.4", "Is the risk of nonresponse bias low?"),
            ("4.5", "Is the statistical analysis appropriate to answer the research question?"),
        ),
        _tool(
            "mmat_mixed_methods",
            "MMAT 2018, mixed methods studies",
            _MMAT_REF,
            *_MMAT_SCREEN,
            ("5.1", "Is there an adequate rationale for using a mixed methods design?"),
            ("5.2", "Are the different components of the study effectively integrated?"),
            ("5.3", "Are the outputs of the integration adequately interpreted?"),
            ("5.4", "Are divergences and inconsistencies between results adequately addressed?"),
            ("5.5", "Do the components adhere to the quality criteria of each tradition of the methods involved?"),
        ),
        _tool(
            "jbi_systematic_reviews",
            "JBI Checklist for Systematic Reviews and Research Syntheses",
            "Aromataris E et al. (2015). Int J Evid Based Healthc 13(3):132-140; JBI critical appraisal tools.",
            ("q1", "Is the review question clearly and explicitly stated?"),
            ("q2", "Were the inclusion criteria appropriate for the review question?"),
            ("q3", "Was the search strategy appropriate?"),
            ("q4", "Were the sources and resources used to search for studies adequate?"),
            ("q5", "Were the criteria for appraising studies appropriate?"),
            ("q6", "Was critical appraisal conducted by two or more reviewers independently?"),
            ("q7", "Were there methods to minimize errors in data extraction?"),
            ("q8", "Were the methods used to combine studies appropriate?"),
            ("q9", "Was the likelihood of publication bias assessed?"),
            ("q10", "Were recommendations for policy and/or practice supported by the reported data?"),
            ("q11", "Were the specific directives for new research appropriate?"),
        ),
        _tool(
            "jbi_text_opinion",
            "JBI Checklist for Text and Opinion",
            "McArthur A et al. (2015). Int J Evid Based Healthc 13(3):188-195; JBI critical appraisal tools.",
            ("q1", "Is the source of the opinion clearly identified?"),
            ("q2", "Does the source of opinion have standing in the field of expertise?"),
            ("q3", "Are the interests of the relevant population the central focus of the opinion?"),
            ("q4", "Is the stated position the result of an analytical process, and is there logic in the opinion?"),
            ("q5", "Is there reference to the extant literature?"),
            ("q6", "Is any incongruence with the literature or sources logically defended?"),
        ),
        _tool(
            "aacods",
            "AACODS checklist for grey literature",
            "Tyndall J (2010). AACODS checklist. Flinders University.",
            ("authority", "Is the producer of the document identifiable and credible (authority)?"),
            ("accuracy", "Does the document state a method and support its claims (accuracy)?"),
            ("coverage", "Are the limits of the document stated (coverage)?"),
            ("objectivity", "Is the document free of a vested interest in its conclusions (objectivity)?"),
            ("date", "Is the document dated, and recent enough for the question (date)?"),
            ("significance", "Is the document meaningful for the question (significance)?"),
        ),
        _tool(
            RELEVANCE_TOOL,
            "GRADE-CERQual relevance: the context of the review question",
            "Noyes J et al. (2018). Implementation Science 13(Suppl 1):4.",
            ("population", "Does the source concern the population or perspective of the review question?"),
            ("phenomenon", "Does the source concern the phenomenon of interest of the review question?"),
            ("setting", "Does the source concern the setting of the review question?"),
        ),
    )
}


@dataclass(frozen=True)
class Judged:
    """One criterion of one source: the judgement and its reason."""

    judgement: str
    reason: str
    line: int


@dataclass
class SourceAppraisal:
    """What the appraisal file says about one source."""

    ref_key: str
    design: str = ""
    tool: str = ""  # the methodological tool (not ``relevance``)
    criteria: dict[str, Judged] = field(default_factory=dict)  # the methodological tool's criteria
    relevance: dict[str, Judged] = field(default_factory=dict)  # population, phenomenon, setting
    line: int = 0

    @property
    def limitations_assessed(self) -> bool:
        """Every criterion of the tool judged (``not_assessed`` nowhere)."""
        return bool(self.tool) and all(j.judgement != NOT_ASSESSED for j in self.criteria.values())

    @property
    def relevance_assessed(self) -> bool:
        return bool(self.relevance) and all(j.judgement != NOT_ASSESSED for j in self.relevance.values())

    def shortfall(self) -> float | None:
        """Share of the applicable criteria of the tool not met (``partly`` and ``unclear`` count half);
        None when some criterion was not assessed."""
        if not self.limitations_assessed:
            return None
        values = [SHORTFALL[j.judgement] for j in self.criteria.values() if j.judgement in SHORTFALL]
        return sum(values) / len(values) if values else 0.0

    def relevance_score(self) -> float | None:
        """Mean fit to the review question's context (yes 1, partly or unclear 0.5, no 0); None when not assessed."""
        if not self.relevance_assessed:
            return None
        values = [1.0 - SHORTFALL[j.judgement] for j in self.relevance.values() if j.judgement in SHORTFALL]
        return sum(values) / len(values) if values else 1.0


class Appraisal(Mapping[str, SourceAppraisal]):
    """The appraisal file: ref_key -> :class:`SourceAppraisal` (a read-only mapping)."""

    def __init__(self, path: Path, sources: dict[str, SourceAppraisal]):
        self.path = path
        self._sources = sources

    def __getitem__(self, key: str) -> SourceAppraisal:
        return self._sources[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def tools_used(self) -> list[str]:
        """The methodological tools the file uses, in registry order."""
        used = {s.tool for s in self._sources.values()}
        return [t for t in TOOLS if t in used]

    def not_assessed(self) -> dict[str, list[str]]:
        """ref_key -> the criteria (``tool:criterion``) judged ``not_assessed``."""
        out = {}
        for key, s in self._sources.items():
            missing = [f"{s.tool}:{c}" for c, j in s.criteria.items() if j.judgement == NOT_ASSESSED]
            missing += [f"{RELEVANCE_TOOL}:{c}" for c, j in s.relevance.items() if j.judgement == NOT_ASSESSED]
            if missing:
                out[key] = missing
        return out


LEGACY = ("peer_reviewed", "empirical")


def read_appraisal(path: str | Path) -> Appraisal:
    """Read and validate the appraisal file (module docstring)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "appraisal file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text; save the appraisal file as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        raise InputError(path, "file is empty; expected a header with " + ", ".join(COLUMNS), 1) from None
    if all(c in header for c in LEGACY) and "criterion" not in header:
        raise InputError(
            path,
            "this is the older appraisal form (peer_reviewed, empirical); GRADE-CERQual needs one judgement "
            "and reason per criterion of a named appraisal tool: columns " + ", ".join(COLUMNS) + " (docs/protocol.md "
            "section 6)",
            1,
        )
    APPRAISAL.read(pd.DataFrame(columns=header), path)  # the columns, on line 1 (rows: checked below)
    sources: dict[str, SourceAppraisal] = {}
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise InputError(path, f"row has {len(row)} cells, the header has {len(header)}", line)
        _add_row(path, sources, {k: v.strip() for k, v in zip(header, row, strict=False)}, line)
    for s in sources.values():
        _check_complete(path, s)
    return Appraisal(path, sources)


def _add_row(path: Path, sources: dict[str, SourceAppraisal], rec: dict[str, str], line: int) -> None:
    key, tool_id, crit, judgement = rec["ref_key"], rec["tool"], rec["criterion"], rec["judgement"]
    if not key:
        raise InputError(path, "empty ref_key", line)
    tool = TOOLS.get(tool_id)
    if tool is None:
        raise InputError(path, f"tool {tool_id!r} is not one revalign knows; use one of: " + ", ".join(TOOLS), line)
    if crit not in tool.criteria:
        raise InputError(path, f"criterion {crit!r} is not one of {tool_id}'s: " + ", ".join(tool.criteria), line)
    if judgement not in JUDGEMENTS:
        raise InputError(path, f"judgement {judgement!r} must be one of: " + ", ".join(JUDGEMENTS), line)
    if not rec["reason"]:
        raise InputError(path, f"{key}, {tool_id} {crit}: give the reason for the judgement", line)
    s = sources.setdefault(key, SourceAppraisal(key, line=line))
    if rec["design"] and s.design and rec["design"] != s.design:
        raise InputError(path, f"{key}: design {rec['design']!r} differs from {s.design!r} on line {s.line}", line)
    s.design = s.design or rec["design"]
    target = s.relevance if tool_id == RELEVANCE_TOOL else s.criteria
    if tool_id != RELEVANCE_TOOL:
        if s.tool and s.tool != tool_id:
            raise InputError(path, f"{key}: a second appraisal tool {tool_id!r} (the first is {s.tool!r})", line)
        s.tool = tool_id
    if crit in target:
        raise InputError(path, f"{key}, {tool_id} {crit}: judged twice (first on line {target[crit].line})", line)
    target[crit] = Judged(judgement, rec["reason"], line)


def _check_complete(path: Path, s: SourceAppraisal) -> None:
    for tool_id, judged in ((s.tool, s.criteria), (RELEVANCE_TOOL, s.relevance)):
        if not judged:
            continue
        absent = [c for c in TOOLS[tool_id].criteria if c not in judged]
        if absent:
            raise InputError(
                path,
                f"{s.ref_key}: {tool_id} criterion {absent[0]!r} has no row (every criterion of the tool needs one "
                "judgement and its reason; not_assessed when it could not be judged)",
                s.line,
            )
