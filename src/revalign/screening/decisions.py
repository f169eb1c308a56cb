"""People's screening decisions, read from what screening tools export or from a plain sheet.

:func:`read_decisions` reads one decision file into rows of :data:`COLUMNS`: who decided
(``reviewer``), at which ``stage`` (``title_abstract`` or ``full_text``), the ``decision``
(:data:`DECISIONS`), the ``reason`` (of an exclusion), the identifiers the file gives for the
record (``record`` as written in a sheet, ``doi``, ``title``, ``year``) and where it was read
(``source``, ``line``). The format is told by the content (:func:`detect`):

``rayyan``
    Rayyan's export (``articles.csv``, or RIS): each record's ``notes`` (RIS ``N1``) hold
    ``RAYYAN-INCLUSION: {"Anna"=>"Included", "Ben"=>"Excluded"}`` (one entry per reviewer:
    Included, Excluded or Maybe) and ``RAYYAN-EXCLUSION-REASONS: wrong population,background
    article``. The reasons are the record's, not a reviewer's: each reviewer who excluded it gets
    them all. Rayyan does not say which stage: title/abstract unless the parameter entry says
    ``stage: full_text``.
``covidence``
    Covidence's study lists (``Covidence #`` column), one list per file, named by Covidence
    ``review_<id>_<list>_csv_<date>.csv``: ``irrelevant`` (excluded at title/abstract),
    ``excluded`` (excluded at full text, the reason in ``Notes`` as ``Exclusion reason: ...;``),
    ``included`` (included at both stages); ``screen`` and ``select`` (still to decide) hold no
    decision. Covidence exports the team's consensus, so the reviewer is ``Covidence``.
``asreview``
    ASReview LAB's exported data set: CSV, TSV or XLSX with the label column ``included``
    (ASReview 1) or ``asreview_label`` (ASReview 2): 1 relevant (include), 0 irrelevant
    (exclude), empty or -1 not seen (no decision); or RIS with ``N1  - ASReview_relevant``,
    ``ASReview_irrelevant`` or ``ASReview_not_seen``. One person's title/abstract labels: the
    reviewer is the export's ``asreview_user_name``, else the entry's ``reviewer``, else the
    file's name without its extension.
``sheet``
    A CSV or XLSX sheet ``record, reviewer, stage, decision, reason`` (``reason`` optional;
    ``year`` may help match a title): ``record`` is a citation key, a DOI or a title; ``stage`` is
    ``title_abstract`` or ``full_text``; ``decision`` is include, exclude, maybe or
    not_retrieved (a full text that could not be obtained), in any case, also ``included``,
    ``excluded``, ``yes``, ``no``, ``1``, ``0``.

A row the format cannot read (an unknown decision, a missing stage) raises :class:`InputError`
with its line; rows without a decision (ASReview's not seen, Covidence's lists still to decide)
are not decisions and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from revalign.core.errors import InputError
from revalign.core.yamlio import read_text_checked
from revalign.screening.sheets import is_workbook, read_table

INCLUDE = "include"
EXCLUDE = "exclude"
MAYBE = "maybe"
NOT_RETRIEVED = "not_retrieved"
DECISIONS = (INCLUDE, EXCLUDE, MAYBE, NOT_RETRIEVED)
TITLE_ABSTRACT = "title_abstract"
FULL_TEXT = "full_text"
STAGES = (TITLE_ABSTRACT, FULL_TEXT)
FORMATS = ("rayyan", "covidence", "asreview", "sheet")

COLUMNS = ["source", "line", "format", "reviewer", "stage", "decision", "reason", "record", "doi", "title", "year"]

# how people and tools write a decision -> the decision
_WORDS = {
    INCLUDE: ("include", "included", "in", "yes", "y", "1", "relevant", "eligible"),
    EXCLUDE: ("exclude", "excluded", "out", "no", "n", "0", "irrelevant", "ineligible"),
    MAYBE: ("maybe", "unsure", "undecided", "?"),
    NOT_RETRIEVED: ("not_retrieved", "not retrieved", "not-retrieved", "unavailable", "not available"),
}
DECISION_WORDS = {w: d for d, words in _WORDS.items() for w in words}
STAGE_WORDS = {
    "title_abstract": TITLE_ABSTRACT,
    "title/abstract": TITLE_ABSTRACT,
    "title and abstract": TITLE_ABSTRACT,
    "title-abstract": TITLE_ABSTRACT,
    "ta": TITLE_ABSTRACT,
    "full_text": FULL_TEXT,
    "full text": FULL_TEXT,
    "full-text": FULL_TEXT,
    "fulltext": FULL_TEXT,
    "ft": FULL_TEXT,
}


@dataclass(frozen=True)
class Source:
    """A decision file and what its parameter entry adds: the reviewer and the stage."""

    path: Path
    reviewer: str | None = None
    stage: str | None = None
    shown: str = ""  # the path as shown in messages (relative to the project)

    @property
    def name(self) -> str:
        return self.shown or str(self.path)


def decision_word(value: str) -> str | None:
    """The decision a cell means (:data:`DECISIONS`), or None."""
    v = " ".join(str(value).strip().casefold().split())
    if v.endswith(".0") and v[:-2] in ("0", "1"):  # numbers written by a spreadsheet
        v = v[:-2]
    return DECISION_WORDS.get(v)


def stage_word(value: str) -> str | None:
    return STAGE_WORDS.get(" ".join(str(value).strip().casefold().split()))


def _row(src: Source, line, fmt, reviewer, stage, decision, reason="", record="", doi="", title="", year="") -> dict:
    return {
        "source": src.name,
        "line": int(line),
        "format": fmt,
        "reviewer": str(reviewer).strip(),
        "stage": stage,
        "decision": decision,
        "reason": " ".join(str(reason or "").split()),
        "record": str(record or "").strip(),
        "doi": str(doi or "").strip(),
        "title": " ".join(str(title or "").split()),
        "year": str(year or "").strip(),
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["line"] = df["line"].astype(int)
    return df


# ---- format detection ------------------------------------------------------------------------


def _lower_columns(df: pd.DataFrame) -> dict[str, str]:
    return {c.strip().casefold(): c for c in df.columns if c != "_line"}


def detect(src: Source) -> str:
    """The format of a decision file (:data:`FORMATS`), from its content; InputError when none fits."""
    path = src.path
    if not is_workbook(path):
        text = read_text_checked(path)
        head = text.lstrip()[:4096]
        if head.startswith("TY  -"):
            if "RAYYAN-INCLUSION" in text or "RAYYAN-EXCLUSION-REASONS" in text:
                return "rayyan"
            if re.search(r"ASReview_(relevant|irrelevant|not_seen)", text):
                return "asreview"
            raise InputError(
                path,
                "a RIS file without screening decisions (no RAYYAN-INCLUSION or ASReview_relevant notes): "
                "export it from Rayyan or ASReview LAB with the decisions",
                1,
            )
    cols = _lower_columns(read_table(path).head(0))
    if "covidence #" in cols:
        return "covidence"
    if {"record", "reviewer", "stage", "decision"} <= set(cols):
        return "sheet"
    if "asreview_label" in cols or "included" in cols:
        return "asreview"
    if "notes" in cols:
        return "rayyan"
    raise InputError(
        path,
        "not a screening decision file: expected a Rayyan export (notes with RAYYAN-INCLUSION), a Covidence "
        "export (Covidence #), an ASReview LAB export (included or asreview_label) or a sheet with the columns "
        "record, reviewer, stage, decision, reason",
        1,
    )


# ---- Rayyan -------------------------------------------------------------------------------------

_RAYYAN_INCLUSION = re.compile(r"RAYYAN-INCLUSION:\s*\{(?P<body>[^}]*)\}")
_RAYYAN_PAIR = re.compile(r'"(?P<name>(?:[^"\\]|\\.)*)"\s*=>\s*"(?P<value>(?:[^"\\]|\\.)*)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*(?P<reasons>[^|]*)")
_RAYYAN_VALUES = {"included": INCLUDE, "excluded": EXCLUDE, "maybe": MAYBE}


def rayyan_notes(notes: str) -> tuple[dict[str, str], list[str]]:
    """({reviewer: Included|Excluded|Maybe}, [exclusion reasons]) from a Rayyan ``notes`` value."""
    votes: dict[str, str] = {}
    m = _RAYYAN_INCLUSION.search(notes or "")
    if m:
        for p in _RAYYAN_PAIR.finditer(m.group("body")):
            votes[p.group("name").replace('\\"', '"')] = p.group("value")
    r = _RAYYAN_REASONS.search(notes or "")
    reasons = [x.strip() for x in r.group("reasons").split(",") if x.strip()] if r else []
    return votes, reasons


def _rayyan_decisions(src: Source, records: list[dict]) -> list[dict]:
    """*records*: dicts with ``notes``, ``line``, ``doi``, ``title``, ``year``."""
    stage = src.stage or TITLE_ABSTRACT
    out = []
    for rec in records:
        votes, reasons = rayyan_notes(rec["notes"])
        for reviewer, value in votes.items():
            decision = _RAYYAN_VALUES.get(value.strip().casefold())
            if decision is None:
                raise InputError(
                    src.path,
                    f"Rayyan decision {value!r} of {reviewer}: expected Included, Excluded or Maybe",
                    rec["line"],
                )
            reason = ", ".join(reasons) if decision == EXCLUDE else ""
            out.append(_row(src, rec["line"], "rayyan", reviewer, stage, decision, reason, "", **_ids(rec)))
    return out


def _ids(rec: dict) -> dict:
    return {k: rec.get(k) or "" for k in ("doi", "title", "year")}


# ---- RIS (Rayyan and ASReview write the decisions into N1) -------------------------------------


def _ris_records(path: Path) -> list[dict]:
    from revalign.bibliography.readers.tagged import ris_records

    out = []
    for line, rec in ris_records(path, read_text_checked(path)):
        notes = rec.get("notes") or []
        notes = notes if isinstance(notes, list) else [notes]
        first = {k: (v[0] if isinstance(v, list) and v else v) for k, v in rec.items()}
        out.append(
            {
                "line": line,
                "notes": " | ".join(str(n) for n in notes),
                "doi": first.get("doi") or "",
                "title": first.get("title") or first.get("primary_title") or "",
                "year": str(first.get("year") or first.get("publication_year") or "")[:4],
            }
        )
    return out


_ASREVIEW_RIS = re.compile(r"ASReview_(relevant|irrelevant|not_seen)")


def _asreview_ris(src: Source) -> list[dict]:
    reviewer = src.reviewer or src.path.stem
    out = []
    for rec in _ris_records(src.path):
        labels = _ASREVIEW_RIS.findall(rec["notes"])
        if not labels or labels[0] == "not_seen":
            continue
        decision = INCLUDE if labels[0] == "relevant" else EXCLUDE
        out.append(_row(src, rec["line"], "asreview", reviewer, src.stage or TITLE_ABSTRACT, decision, **_ids(rec)))
    return out


# ---- tables -------------------------------------------------------------------------------------


def _get(row: dict, cols: dict[str, str], *names: str) -> str:
    for n in names:
        if n in cols:
            v = str(row[cols[n]]).strip()
            if v and v.upper() != "NA":
                return v
    return ""


def _table_ids(row: dict, cols: dict[str, str]) -> dict:
    return {
        "doi": _get(row, cols, "doi", "do"),
        "title": _get(row, cols, "title", "primary_title", "ti"),
        "year": _get(row, cols, "year", "publication_year", "published year", "py")[:4],
    }


def _rayyan_table(src: Source, df: pd.DataFrame) -> list[dict]:
    cols = _lower_columns(df)
    records = [
        {"line": r["_line"], "notes": str(r[cols["notes"]]), **_table_ids(r, cols)} for r in df.to_dict("records")
    ]
    return _rayyan_decisions(src, records)


_COVIDENCE_LIST = re.compile(r"(?:^|_)(included|excluded|irrelevant|screen|select)(?:_|$)", re.IGNORECASE)
_COVIDENCE_REASON = re.compile(r"Exclusion reason:\s*(?P<reason>[^;]*)", re.IGNORECASE)


def _covidence(src: Source, df: pd.DataFrame) -> list[dict]:
    m = _COVIDENCE_LIST.search(src.path.stem)
    if not m:
        raise InputError(
            src.path,
            "a Covidence export, but its name does not say which list it is: keep the name Covidence gives it "
            "(review_<id>_included_csv_<date>.csv, ..._excluded_..., ..._irrelevant_...)",
        )
    which = m.group(1).lower()
    if which in ("screen", "select"):
        return []  # records still to decide
    cols = _lower_columns(df)
    out = []
    for r in df.to_dict("records"):
        ids = _table_ids(r, cols)
        line = r["_line"]
        if which == "irrelevant":
            out.append(_row(src, line, "covidence", "Covidence", TITLE_ABSTRACT, EXCLUDE, **ids))
            continue
        out.append(_row(src, line, "covidence", "Covidence", TITLE_ABSTRACT, INCLUDE, **ids))
        if which == "included":
            out.append(_row(src, line, "covidence", "Covidence", FULL_TEXT, INCLUDE, **ids))
        else:
            found = _COVIDENCE_REASON.search(_get(r, cols, "notes"))
            reason = found.group("reason").strip() if found else ""
            out.append(_row(src, line, "covidence", "Covidence", FULL_TEXT, EXCLUDE, reason, **ids))
    return out


def _asreview_table(src: Source, df: pd.DataFrame) -> list[dict]:
    cols = _lower_columns(df)
    label = cols.get("asreview_label") or cols.get("included")
    out = []
    for r in df.to_dict("records"):
        value = str(r[label]).strip()
        if value in ("", "-1", "-1.0") or value.upper() == "NA":
            continue  # not seen
        decision = {"1": INCLUDE, "1.0": INCLUDE, "0": EXCLUDE, "0.0": EXCLUDE}.get(value)
        if decision is None:
            raise InputError(
                src.path, f"ASReview label {value!r}: expected 1 (relevant), 0 (irrelevant) or empty", r["_line"]
            )
        reviewer = _get(r, cols, "asreview_user_name") or src.reviewer or src.path.stem
        out.append(
            _row(src, r["_line"], "asreview", reviewer, src.stage or TITLE_ABSTRACT, decision, **_table_ids(r, cols))
        )
    return out


def _sheet(src: Source, df: pd.DataFrame) -> list[dict]:
    cols = _lower_columns(df)
    out = []
    for r in df.to_dict("records"):
        line = r["_line"]
        record = _get(r, cols, "record")
        if not record:
            raise InputError(src.path, "no record: give its citation key, DOI or title", line)
        reviewer = _get(r, cols, "reviewer") or src.reviewer
        if not reviewer:
            raise InputError(src.path, f"record {record!r}: no reviewer", line)
        stage = stage_word(_get(r, cols, "stage")) or src.stage
        if stage is None:
            value = _get(r, cols, "stage")
            raise InputError(src.path, f"stage {value!r}: expected title_abstract or full_text", line)
        value = _get(r, cols, "decision")
        decision = decision_word(value)
        if decision is None:
            raise InputError(
                src.path, f"decision {value!r} for {record!r}: expected include, exclude, maybe or not_retrieved", line
            )
        if decision == NOT_RETRIEVED and stage != FULL_TEXT:
            raise InputError(src.path, f"{record!r}: not_retrieved is a full-text decision (stage full_text)", line)
        year = _get(r, cols, "year")
        out.append(_row(src, line, "sheet", reviewer, stage, decision, _get(r, cols, "reason"), record, year=year))
    return out


def read_decisions(src: Source) -> pd.DataFrame:
    """The decisions in one file, as rows of :data:`COLUMNS` (see the module docstring)."""
    fmt = detect(src)
    if not is_workbook(src.path) and read_text_checked(src.path).lstrip().startswith("TY  -"):
        rows = _rayyan_decisions(src, _ris_records(src.path)) if fmt == "rayyan" else _asreview_ris(src)
        return _frame(rows)
    df = read_table(src.path)
    reader = {"rayyan": _rayyan_table, "covidence": _covidence, "asreview": _asreview_table, "sheet": _sheet}[fmt]
    return _frame(reader(src, df))


def read_all(sources: list[Source]) -> pd.DataFrame:
    """The decisions of every file, in the order given."""
    frames = [read_decisions(s) for s in sources]
    return pd.concat(frames, ignore_index=True) if frames else _frame([])
