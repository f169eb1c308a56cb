"""Stage 02 as a whole: the rule criteria and people's decisions, record by record.

:func:`screen_run` takes the corpus, the import summary and the ``screening:`` parameters and
returns a :class:`Screened`: one row per record (:data:`COLUMNS`, written as ``screening.csv``)
saying what happened to it, who or which criterion decided, at which stage and why; the PRISMA
2020 counts built from those rows (:mod:`revalign.screening.prisma`); and, when people screened,
their decisions, the agreement between them per stage and the open conflicts.

Each record goes through the PRISMA 2020 flow:

``arm``
    ``databases`` (databases and registers: the bibliography exports), ``other_methods``
    (``screening.other_methods``: the records of named files, or of named source types, such as
    documents chosen by name), or ``none`` for the review itself (``inreflist = self`` or source
    type ``review``): it is in the bibliography so that coded evidence can cite it, but it is not a
    record the review found.
``outcome``
    ``not_a_record``; ``automation`` (removed before screening by a rule criterion, when people
    screen: the criteria are then a pre-filter); ``records_excluded`` (excluded at title/abstract:
    by a criterion when no person screened, else by people); ``not_retrieved``;
    ``reports_excluded`` (excluded at full text, with a reason); ``included``.
``decided_by``
    ``criterion`` (the ``reason`` is its code, :data:`revalign.screening.rules.REASONS`), the
    reviewers who agreed, or ``resolution``; ``source`` is the ``FILE:LINE`` of the decision.

The rule criteria come first. Records they keep are screened by people when the run names
decision files: every database record then needs a title/abstract decision, and, once any
full-text decision exists, every record included at title/abstract needs a full-text one. When no
full-text decision exists, the reports of the records included at title/abstract count as sought,
retrieved and assessed, and ``prisma.json`` says that full-text assessment was not recorded.
Records identified by other methods go straight to retrieval (the PRISMA 2020 template has no
record screening in that arm); a criterion or person that excludes one excludes its report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from revalign.core.contracts import SCREENING
from revalign.core.errors import InputError, InputErrors
from revalign.screening import people, rules
from revalign.screening.decisions import EXCLUDE, FULL_TEXT, INCLUDE, NOT_RETRIEVED, TITLE_ABSTRACT, Source, read_all
from revalign.screening.records import RecordIndex

DATABASES = "databases"
OTHER_METHODS = "other_methods"
NONE = "none"
#: the PRISMA 2020 places of a record, in the flow's order (the contract's values of ``outcome``)
OUTCOMES: tuple[str, ...] = SCREENING.column("outcome").values
#: the columns of ``screening.csv``, in order (revalign.core.contracts.SCREENING)
COLUMNS: list[str] = SCREENING.names


@dataclass
class Screened:
    """What stage 02 found; see the module docstring."""

    records: pd.DataFrame  # COLUMNS, one row per record of the corpus
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)  # people's decisions, matched
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)  # per record and stage (people)
    agreement: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=people.AGREEMENT_COLUMNS))
    problems: list[InputError] = field(default_factory=list)
    full_text_recorded: bool = False
    people: bool = False

    def raise_problems(self) -> None:
        if self.problems:
            raise InputErrors(self.problems)


def arms(corpus: pd.DataFrame, screening: pd.DataFrame, params) -> pd.Series:
    """The PRISMA arm of each record: databases, other_methods or none (the review itself)."""
    om = params.other_methods
    files = {Path(f).name for f in om.files} | set(om.files)
    origin_files = corpus["origins"].astype("string").fillna("") if "origins" in corpus.columns else None

    def from_files(origins: str) -> bool:
        return any(o.rsplit(":", 1)[0] in files for o in origins.split("; ") if o)

    by_file = origin_files.map(from_files).astype(bool) if (origin_files is not None and files) else False
    by_type = screening["sourcetype"].isin(list(om.source_types))
    arm = pd.Series(DATABASES, index=screening.index, dtype="string")
    arm[by_type | by_file] = OTHER_METHODS
    arm[screening["reason"] == "review_itself"] = NONE
    return arm


def _people(corpus, index: RecordIndex, params, root: Path, shown) -> tuple:
    sources = [
        Source(
            _path(root, d if isinstance(d, str) else d.file),
            None if isinstance(d, str) else d.reviewer,
            None if isinstance(d, str) else d.stage,
            shown(_path(root, d if isinstance(d, str) else d.file)),
        )
        for d in params.decisions
    ]
    raw = read_all(sources)
    decisions, problems = people.match_decisions(raw, index)
    resolutions, more = people.read_resolutions([_path(root, r) for r in params.resolutions], index, shown)
    problems += more
    outcomes, more = people.combine(decisions, resolutions)
    return decisions, outcomes, problems + more


def _path(root: Path, p: str) -> Path:
    q = Path(p)
    return q if q.is_absolute() else root / q


def screen_run(
    corpus: pd.DataFrame,
    params,
    root: Path | str = ".",
    shown=str,
    lang: str = "en",
    params_file: Path | str | None = None,
    decisions_line: int | None = None,
) -> Screened:
    """Rules, then people (see the module docstring); problems are collected in ``Screened.problems``.

    *params* is the ``screening:`` block (:class:`revalign.core.config.Screening`); its paths are
    relative to *root*; *shown* turns a path into the text messages show; a record without a
    decision is reported against *params_file* at *decisions_line* (the ``decisions:`` key).
    """
    root = Path(root)
    corpus = corpus.reset_index(drop=True)
    ruled = rules.screen(corpus, params)
    index = RecordIndex(corpus)
    out = ruled.copy()
    out["citation_key"] = [index.key(r) for r in out["record_id"]]
    out["arm"] = arms(corpus, ruled, params)
    out["decided_by"] = "criterion"
    out["source"] = ""
    result = Screened(records=out, people=bool(params.decisions))
    if result.people:
        result.decisions, result.outcomes, result.problems = _people(corpus, index, params, root, shown)
        result.full_text_recorded = bool((result.outcomes["stage"] == FULL_TEXT).any())
        result.agreement = people.agreement(result.decisions, result.outcomes, lang)
    _apply(result, params_file, decisions_line)
    result.records = SCREENING.produced(result.records[COLUMNS], "screening.flow.screen_run")
    return result


def _outcome_of_rule(arm: str, reason: str, people_screen: bool) -> tuple[str, str]:
    """(outcome, stage) of a record a criterion excluded."""
    if reason == "review_itself":
        return "not_a_record", "identification"
    if arm == OTHER_METHODS:
        return "reports_excluded", FULL_TEXT
    return ("automation", "identification") if people_screen else ("records_excluded", TITLE_ABSTRACT)


def _apply(result: Screened, params_file, line) -> None:
    """Fill decision, reason, stage, outcome, decided_by and source of every record."""
    rec = result.records
    final = {}
    if result.people:
        for r in result.outcomes.to_dict("records"):
            final[(r["record_id"], r["stage"])] = r
    missing_ta, missing_ft = [], []
    outcome = pd.Series("", index=rec.index, dtype=object)
    stage = pd.Series("", index=rec.index, dtype=object)
    # records a criterion excluded: one outcome per (arm, reason), not one Python step per record
    by_rule = rec["decision"].eq(EXCLUDE).to_numpy(dtype=bool)
    for (arm, reason), idx in rec.loc[by_rule].groupby(["arm", "reason"], sort=False).groups.items():
        outcome[idx], stage[idx] = _outcome_of_rule(arm, reason, result.people)
    for i, r in zip(rec.index[~by_rule], rec.loc[~by_rule].to_dict("records"), strict=True):
        rid, arm = r["record_id"], r["arm"]
        ta, ft = final.get((rid, TITLE_ABSTRACT)), final.get((rid, FULL_TEXT))
        if result.people and ta is None and arm == DATABASES:
            missing_ta.append(r["citation_key"])
        if ta is not None and ta["decision"] == EXCLUDE:
            if ft is not None:
                where, line = ft["source"].rsplit(":", 1)
                result.problems.append(
                    InputError(where, f"{r['citation_key']} has a full-text decision but was excluded at "
                               f"title/abstract ({ta['source']}); remove one of the two", int(line))
                )  # fmt: skip
            _set(rec, i, ta, EXCLUDE)
            outcome[i] = "records_excluded" if arm == DATABASES else "reports_excluded"
            stage[i] = TITLE_ABSTRACT
            continue
        if ta is not None and ta["decision"] == "":
            outcome[i] = "included"  # an open conflict: a problem already; counted as included meanwhile
            stage[i] = TITLE_ABSTRACT
            continue
        if ft is None:
            if result.full_text_recorded and (ta is not None or arm == OTHER_METHODS):
                missing_ft.append(r["citation_key"])
            if ta is not None:
                _set(rec, i, ta, INCLUDE)
            outcome[i] = "included"
            stage[i] = FULL_TEXT if ta is None else TITLE_ABSTRACT
            continue
        _set(rec, i, ft, INCLUDE if ft["decision"] == INCLUDE else EXCLUDE)
        outcome[i] = ({INCLUDE: "included", EXCLUDE: "reports_excluded", NOT_RETRIEVED: "not_retrieved"}.get(
            ft["decision"], "included"))  # fmt: skip
        stage[i] = FULL_TEXT
    rec["outcome"] = outcome.to_numpy()
    rec["stage"] = stage.to_numpy()
    for what, keys in (("title/abstract", missing_ta), ("full-text", missing_ft)):
        if keys:
            shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
            result.problems.append(
                InputError(
                    params_file,
                    f"screening.decisions: {len(keys)} record(s) have no {what} decision: {shown}; write them to a sheet with "
                    "revalign screen export PARAMS -o TO_SCREEN.xlsx, decide them and add the sheet to "
                    "screening.decisions",
                    line,
                )
            )


def _set(rec: pd.DataFrame, i: int, outcome: dict, decision: str) -> None:
    """Record people's *outcome* (a row of :func:`revalign.screening.people.combine`) on row *i*."""
    rec.at[i, "decision"] = decision
    if decision == INCLUDE:
        reason = "included"
    elif outcome["decision"] == NOT_RETRIEVED:
        reason = NOT_RETRIEVED
    else:
        reason = outcome["reason"]
    rec.at[i, "reason"] = reason
    rec.at[i, "decided_by"] = outcome["decided_by"]
    rec.at[i, "source"] = outcome["source"]
