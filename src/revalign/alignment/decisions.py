"""Coding decisions as data: the judgements a review's protocol names, each with its alternative coding.

A review declares, in the file the parameter file names as ``coding_decisions`` (YAML), the
coding decisions its protocol calls judgements, and for each what the other choice would
change::

    decisions:
      - id: normative_claims
        label: {en: Normative claims}
        protocol: "2.1"                      # where the protocol decides it (free text)
        chosen: {en: coded as gaps (an unmet need)}
        alternative: {en: coded as strengths (they show how the component can be built in)}
        change:                              # segment_id -> the columns the alternative sets
          S106: {polarity: strength}
        add:                                 # rows the alternative codes in addition (segment columns)
          - {segment_id: S001, ref_key: ..., locator: ..., theme: ..., dimension: ..., polarity: ...,
             facet: ..., context: ..., excerpt: ..., claim_id: ...}
        drop: [S130]                         # rows the alternative does not code
        parameters: {context_weighting: true}   # rule parameters the alternative sets

Labels are given by language code like the codebook's. Nothing here knows any review: the
published review's decisions are in its own file (``data/raw/coding/decisions.yml``).
:mod:`revalign.alignment.specification` reruns Table 1 under every combination.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from revalign.core.codebook import ID_PATTERN, Codebook, Label
from revalign.core.config import Alignment
from revalign.core.errors import InputError, InputErrors
from revalign.core.yamlio import LineMap, load_yaml, pydantic_errors

# The segment columns an alternative may set; segment_id stays the row's identity.
SETTABLE = ("ref_key", "locator", "theme", "dimension", "polarity", "facet", "context", "excerpt", "coder", "claim_id")
# The rule parameters an alternative may set (the judgements that are not coding).
PARAMETERS = ("context_weighting", "mixed_share", "include_synthesis")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Decision(_Strict):
    """One coding decision and what its alternative changes."""

    id: str = Field(pattern=ID_PATTERN)
    label: Label
    protocol: str = ""
    chosen: Label
    alternative: Label
    change: dict[str, dict[str, str]] = Field(default_factory=dict)
    add: list[dict[str, str]] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)


class DecisionsFile(_Strict):
    decisions: list[Decision] = Field(min_length=1)


@dataclass
class CodingDecisions:
    """The decisions of a review (:class:`Decision`), read and checked against its segments and codebook."""

    path: Path
    decisions: list[Decision] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.decisions]

    def get(self, decision_id: str) -> Decision:
        return next(d for d in self.decisions if d.id == decision_id)


def _problems(
    path: Path, df: DecisionsFile, lines: LineMap, segs: pd.DataFrame, cb: Codebook, ref_keys: set[str] | None
) -> list[InputError]:
    ids = set(segs["segment_id"].astype(str))
    vocab = {
        "dimension": set(cb.component_ids),
        "polarity": set(cb.vocabulary("polarity")),
        "facet": set(cb.vocabulary("facet")),
        "context": set(cb.vocabulary("context")),
        "theme": set(cb.vocabulary("themes")),
    }
    if ref_keys is not None:
        vocab["ref_key"] = ref_keys
    out = []
    seen: set[str] = set()

    def bad(loc: tuple, message: str) -> None:
        out.append(InputError(path, message, lines.line(loc)))

    def check_values(loc: tuple, values: dict[str, str]) -> None:
        for col, value in values.items():
            if col not in SETTABLE:
                bad((*loc, col), f"{col!r} is not a segment column an alternative can set ({', '.join(SETTABLE)})")
            elif col in vocab and str(value) not in vocab[col]:
                what = "a citation key of the bibliography" if col == "ref_key" else f"a {col} id of the codebook"
                bad((*loc, col), f"{col} {value!r} is not {what}")

    for i, d in enumerate(df.decisions):
        loc = ("decisions", i)
        if d.id in seen:
            bad((*loc, "id"), f"decision id {d.id!r} appears twice")
        seen.add(d.id)
        if not (d.change or d.add or d.drop or d.parameters):
            bad(loc, f"decision {d.id!r}: the alternative changes nothing (give change, add, drop or parameters)")
        for sid, values in d.change.items():
            if sid not in ids:
                bad((*loc, "change", sid), f"decision {d.id!r}: segment {sid!r} is not in the segments file")
            check_values((*loc, "change", sid), values)
        for sid in d.drop:
            if sid not in ids:
                bad((*loc, "drop"), f"decision {d.id!r}: segment {sid!r} is not in the segments file")
        for j, row in enumerate(d.add):
            need = [c for c in ("segment_id", "ref_key", "dimension", "polarity", "facet", "context") if c not in row]
            if need:
                bad((*loc, "add", j), f"decision {d.id!r}: an added row needs {', '.join(need)}")
            elif str(row["segment_id"]) in ids:
                bad((*loc, "add", j, "segment_id"), f"segment {row['segment_id']!r} is already in the segments file")
            check_values((*loc, "add", j), {k: v for k, v in row.items() if k != "segment_id"})
        for key in d.parameters:
            if key not in PARAMETERS:
                bad(
                    (*loc, "parameters", key),
                    f"{key!r} is not a rule parameter a decision can set ({', '.join(PARAMETERS)})",
                )
        if d.parameters:
            try:
                Alignment.model_validate(d.parameters)
            except ValidationError as exc:
                for e in pydantic_errors(path, exc, LineMap({})):
                    bad((*loc, "parameters"), f"decision {d.id!r}: parameters.{e.message}")
    return out


def read_decisions(
    path: str | Path, segs: pd.DataFrame, cb: Codebook, ref_keys: set[str] | None = None
) -> CodingDecisions:
    """Read the decisions file and check it against the segments and the codebook (module docstring)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "coding decisions file not found")
    data, lines = load_yaml(path)
    if isinstance(data, dict):  # every value as text, as the segments are read
        for d in data.get("decisions") or []:
            if isinstance(d, dict):
                for key in ("change",):
                    if isinstance(d.get(key), dict):
                        d[key] = {str(k): {c: str(v) for c, v in (vals or {}).items()} for k, vals in d[key].items()}
                if isinstance(d.get("add"), list):
                    d["add"] = [
                        {c: str(v) for c, v in row.items()} if isinstance(row, dict) else row for row in d["add"]
                    ]
                if isinstance(d.get("drop"), list):
                    d["drop"] = [str(x) for x in d["drop"]]
    try:
        parsed = DecisionsFile.model_validate(data)
    except ValidationError as exc:
        raise InputErrors(pydantic_errors(path, exc, lines)) from None
    problems = _problems(path, parsed, lines, segs, cb, ref_keys)
    if problems:
        raise InputErrors(problems)
    return CodingDecisions(path, list(parsed.decisions))


def apply(
    segs: pd.DataFrame,
    p: Alignment,
    decisions: list[Decision],
    cb: Codebook,
    synthesis_keys: set[str],
) -> tuple[pd.DataFrame, Alignment]:
    """The segments and parameters with the alternatives of *decisions* applied (in the file's order)."""
    out = segs.copy()
    update: dict[str, Any] = {}
    for d in decisions:
        if d.drop:
            out = out[~out["segment_id"].isin(d.drop)]
        for sid, values in d.change.items():
            m = out["segment_id"] == sid
            for col, value in values.items():
                out.loc[m, col] = value
        if d.add:
            rows = pd.DataFrame([{c: "" for c in out.columns} | row for row in d.add])
            out = pd.concat([out, rows[[c for c in out.columns if c in rows.columns]]], ignore_index=True)
        update.update(d.parameters)
    out = out.fillna("")
    if "role" in out.columns:
        roles = cb.polarity_roles
        out["role"] = out["polarity"].map(lambda code: roles.get(code, code))
    out["is_synthesis"] = out["ref_key"].isin(synthesis_keys)
    return out.reset_index(drop=True), p.model_copy(update=update) if update else p
