"""Screening by people: the decisions of two (or more) reviewers per stage, their agreement, the
conflicts between them and how each conflict was resolved.

:func:`match_decisions` attaches each decision (rows of :mod:`revalign.screening.decisions`) to
the record of the corpus it is about (:mod:`revalign.screening.records`); a decision that fits no
record or several records is a problem with its ``FILE:LINE``, never dropped in silence.

:func:`combine` decides each record at each stage:

- a *resolution* (a row of a decided conflict sheet, ``screening.resolutions``) decides it;
- else the reviewers' common decision, when they agree (at full text an exclusion also needs
  one reason: two different reasons are a conflict, as in Covidence);
- else the record is a *conflict*: reviewers disagree, or the only decision is ``maybe``. An
  unresolved conflict is a problem naming the line of its first decision.

:func:`agreement` compares every two reviewers of a stage on the records both decided, with the
agreement statistics of :mod:`revalign.core.agreement` (the same code the coding's two coders
use): observed agreement, Cohen's kappa, prevalence-adjusted kappa (PABAK), and the number of
conflicts and of those resolved.

:func:`conflict_sheet` lists the conflicts as a sheet to decide (``revalign screen conflicts``):
one row per record and stage, the reviewers' decisions side by side, an empty ``decision``
column. People write ``include``, ``exclude`` (with a ``reason`` at full text), ``not_retrieved``,
or ``A`` / ``B`` for the decision (and reason) of reviewer A or B, and name the sheet under
``screening.resolutions``; :func:`read_resolutions` reads it back.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd

from revalign.core.errors import InputError
from revalign.screening.decisions import (
    DECISIONS,
    EXCLUDE,
    FULL_TEXT,
    INCLUDE,
    MAYBE,
    NOT_RETRIEVED,
    STAGES,
    decision_word,
    stage_word,
)
from revalign.screening.records import RecordIndex
from revalign.screening.sheets import read_table

FINAL = (INCLUDE, EXCLUDE, NOT_RETRIEVED)  # what a stage's outcome can be
#: columns of the conflict sheet that revalign reads back (ids); two more are for people (:func:`conflict_sheet`)
SHEET_COLUMNS = ["record", "stage", "decision", "reason", "reviewer_a", "reviewer_b"]
AGREEMENT_COLUMNS = [
    "stage", "reviewer_a", "reviewer_b", "records_a", "records_b", "records_both", "observed_agreement",
    "kappa", "pabak", "kappa_note", "conflicts", "resolved",
]  # fmt: skip
OUTCOME_COLUMNS = ["record_id", "stage", "decision", "reason", "decided_by", "source", "conflict"]


def where(source: str, line: int) -> str:
    return f"{source}:{line}"


def match_decisions(decisions: pd.DataFrame, index: RecordIndex) -> tuple[pd.DataFrame, list[InputError]]:
    """(*decisions* with ``record_id`` and ``citation_key``, problems): unmatched or ambiguous rows are problems."""
    problems, ids = [], []
    for r in decisions.to_dict("records"):
        found = index.find(r["record"], r["doi"], r["title"], r["year"])
        if found.record_id is None:
            problems.append(InputError(r["source"], found.problem, r["line"]))
        ids.append(found.record_id)
    out = decisions.assign(record_id=ids)
    out = out[out["record_id"].notna()].reset_index(drop=True)
    out["citation_key"] = [index.key(i) for i in out["record_id"]]
    return out, problems


def _votes(decisions: pd.DataFrame) -> tuple[dict, list[InputError]]:
    """{(record_id, stage): {reviewer: row}}; a reviewer deciding one record twice, differently, is a problem."""
    votes: dict[tuple[str, str], dict[str, dict]] = {}
    problems = []
    for r in decisions.to_dict("records"):
        unit = votes.setdefault((r["record_id"], r["stage"]), {})
        first = unit.get(r["reviewer"])
        if first is None:
            unit[r["reviewer"]] = r
        elif (first["decision"], first["reason"]) != (r["decision"], r["reason"]):
            problems.append(
                InputError(
                    r["source"],
                    f"{r['reviewer']} decided {r['citation_key']} ({r['stage']}) twice: {r['decision']} here, "
                    f"{first['decision']} at {where(first['source'], first['line'])}",
                    r["line"],
                )
            )
    return votes, problems


def _agreed(unit: dict[str, dict]) -> tuple[str, str] | None:
    """(decision, reason) the reviewers of one record and stage agree on, or None (a conflict)."""
    decisions = {r["decision"] for r in unit.values()}
    if len(decisions) != 1 or MAYBE in decisions:
        return None
    decision = decisions.pop()
    reasons = sorted({r["reason"] for r in unit.values() if r["reason"]})
    stage = next(iter(unit.values()))["stage"]
    if decision == EXCLUDE and stage == FULL_TEXT and len(reasons) > 1:
        return None
    return decision, (reasons[0] if reasons else "")


def _vote_text(unit: dict[str, dict]) -> str:
    return "; ".join(
        f"{name}: {r['decision']}" + (f" ({r['reason']})" if r["reason"] else "") for name, r in sorted(unit.items())
    )


def combine(decisions: pd.DataFrame, resolutions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[InputError]]:
    """(one row per record and stage with :data:`OUTCOME_COLUMNS`, problems); see the module docstring.

    *decisions* and *resolutions* are matched (:func:`match_decisions`, :func:`read_resolutions`).
    """
    votes, problems = _votes(decisions)
    decided = {}
    if resolutions is not None:
        for r in resolutions.to_dict("records"):
            decided[(r["record_id"], r["stage"])] = r
    rows = []
    for unit_key in sorted(set(votes) | set(decided), key=lambda u: (STAGES.index(u[1]), u[0])):
        unit = votes.get(unit_key, {})
        agreed = _agreed(unit) if unit else None
        conflict = bool(unit) and agreed is None
        res = decided.get(unit_key)
        if res is not None:
            decision, reason = _resolved(res, unit)
            rows.append([*unit_key, decision, reason, "resolution", where(res["source"], res["line"]), conflict])
        elif agreed is not None:
            first = min(unit.values(), key=lambda r: (r["source"], r["line"]))
            who = ", ".join(sorted(unit))
            rows.append([*unit_key, *agreed, who, where(first["source"], first["line"]), False])
        else:
            first = min(unit.values(), key=lambda r: (r["source"], r["line"]))
            key = first["citation_key"]
            what = "reviewers disagree" if len(unit) > 1 else "the only decision is maybe"
            problems.append(
                InputError(
                    first["source"],
                    f"unresolved conflict on {key} ({unit_key[1]}): {what} ({_vote_text(unit)}); decide it in a "
                    "conflict sheet (revalign screen conflicts PARAMS -o SHEET.xlsx) and name the sheet under "
                    "screening.resolutions",
                    first["line"],
                )
            )
            rows.append([*unit_key, "", "", "", where(first["source"], first["line"]), True])
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS), problems


def _resolved(res: dict, unit: dict[str, dict]) -> tuple[str, str]:
    """(decision, reason) of a resolution row; ``A`` / ``B``: reviewer A's / B's decision (sheet order)."""
    choice = res["decision"]
    if choice in ("A", "B"):
        names = sorted(unit)
        pick = res.get("reviewer_" + choice.lower()) or (names[0 if choice == "A" else 1] if len(names) > 1 else "")
        if pick not in unit:
            raise InputError(
                res["source"], f"decision {choice}: no reviewer {choice} decided this record at this stage", res["line"]
            )
        return unit[pick]["decision"], res["reason"] or unit[pick]["reason"]
    return choice, res["reason"]


# ---- agreement ------------------------------------------------------------------------------------


def agreement(decisions: pd.DataFrame, outcomes: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per stage and pair of reviewers: records each decided, both decided, and the agreement statistics."""
    from revalign.core.agreement import two_raters

    rows = []
    for stage in STAGES:
        at = decisions[decisions["stage"] == stage]
        reviewers = sorted(at["reviewer"].unique())
        out = outcomes[outcomes["stage"] == stage]
        n_conflicts = int(out["conflict"].sum())
        n_resolved = int((out["conflict"] & (out["decided_by"] == "resolution")).sum())
        used = set(at["decision"])
        cats = [d for d in DECISIONS if d in used or d in (INCLUDE, EXCLUDE)]
        for a, b in combinations(reviewers, 2):
            la = dict(
                zip(at.loc[at["reviewer"] == a, "record_id"], at.loc[at["reviewer"] == a, "decision"], strict=True)
            )
            lb = dict(
                zip(at.loc[at["reviewer"] == b, "record_id"], at.loc[at["reviewer"] == b, "decision"], strict=True)
            )
            stats = two_raters(la, lb, categories=cats, lang=lang)
            rows.append(
                {
                    "stage": stage,
                    "reviewer_a": a,
                    "reviewer_b": b,
                    "records_a": stats["n_a"],
                    "records_b": stats["n_b"],
                    "records_both": stats["n_shared"],
                    "observed_agreement": stats["observed_agreement"],
                    "kappa": stats["kappa"]["value"],
                    "pabak": stats["pabak"]["value"],
                    "kappa_note": stats["kappa"]["reason"] or "",
                    "conflicts": n_conflicts,
                    "resolved": n_resolved,
                }
            )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


# ---- the conflict sheet and its decisions ---------------------------------------------------------


def conflict_sheet(
    decisions: pd.DataFrame, outcomes: pd.DataFrame, titles: dict[str, str], lang: str = "en"
) -> pd.DataFrame:
    """The unresolved conflicts as a sheet to decide: :data:`SHEET_COLUMNS` (``decision`` and ``reason``
    empty), then, for people, every reviewer's decision and the record's title (headers in *lang*)."""
    from revalign.core.i18n import messages

    _ = messages(lang)
    votes, _problems = _votes(decisions)
    open_ = outcomes[outcomes["conflict"] & (outcomes["decided_by"] != "resolution")]
    rows = []
    for r in open_.to_dict("records"):
        unit = votes.get((r["record_id"], r["stage"]), {})
        names = sorted(unit)
        key = next(iter(unit.values()))["citation_key"] if unit else r["record_id"]
        rows.append(
            [key, r["stage"], "", "", names[0] if names else "", names[1] if len(names) > 1 else "",
             _vote_text(unit), titles.get(r["record_id"], "")]
        )  # fmt: skip
    return pd.DataFrame(rows, columns=[*SHEET_COLUMNS, _("Reviewers' decisions"), _("Title")])


def read_resolutions(paths: list[Path], index: RecordIndex, shown=str) -> tuple[pd.DataFrame, list[InputError]]:
    """(decided rows of the resolution sheets, problems). Columns ``record, stage, decision, reason``
    (more may follow: the conflict sheet's); a row without a decision is an unresolved conflict."""
    rows, problems = [], []
    for path in paths:
        df = read_table(path)
        cols = {c.strip().casefold(): c for c in df.columns}
        missing = [c for c in ("record", "stage", "decision") if c not in cols]
        if missing:
            raise InputError(path, f"missing column(s) {', '.join(missing)}: a resolution sheet has record, stage, "
                             "decision, reason", 1)  # fmt: skip
        for r in df.to_dict("records"):
            line, record = r["_line"], r[cols["record"]].strip()
            stage = stage_word(r[cols["stage"]])
            value = r[cols["decision"]].strip()
            if stage is None:
                problems.append(
                    InputError(path, f"stage {r[cols['stage']]!r}: expected title_abstract or full_text", line)
                )
                continue
            if not value:
                problems.append(
                    InputError(
                        path,
                        f"unresolved conflict on {record} ({stage}): no decision; write include, exclude, "
                        "not_retrieved, A or B",
                        line,
                    )
                )
                continue
            decision = value.upper() if value.upper() in ("A", "B") else decision_word(value)
            if decision not in (*FINAL, "A", "B"):
                problems.append(
                    InputError(path, f"decision {value!r}: expected include, exclude, not_retrieved, A or B", line)
                )
                continue
            found = index.find(record)
            if found.record_id is None:
                problems.append(InputError(path, found.problem, line))
                continue
            rows.append(
                {
                    "record_id": found.record_id,
                    "stage": stage,
                    "decision": decision,
                    "reason": " ".join(str(r.get(cols.get("reason", ""), "")).split()),
                    "reviewer_a": r.get(cols.get("reviewer_a", ""), ""),
                    "reviewer_b": r.get(cols.get("reviewer_b", ""), ""),
                    "source": shown(path),
                    "line": line,
                }
            )
    return pd.DataFrame(rows, columns=["record_id", "stage", "decision", "reason", "reviewer_a", "reviewer_b",
                                       "source", "line"]), problems  # fmt: skip
