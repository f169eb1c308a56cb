"""The ``screen`` commands and ``check``'s look at screening: people's decisions outside a run.

``python -m revalign screen export PARAMS -o TO_SCREEN.xlsx [-o TO_SCREEN.ris] [--stage full_text]``
    the records still to screen at a stage (title/abstract: those the criteria keep and no
    decision file decides; full text: those included at title/abstract without a full-text
    decision), as a sheet (XLSX or CSV: the decision sheet's columns ``record, reviewer, stage,
    decision, reason`` ready to fill, then the record's title, year, DOI, authors and abstract) and
    as RIS (to import into Rayyan or ASReview LAB; ``ID`` is the citation key). Fill in the sheet
    (one row per reviewer), or screen the RIS in the tool and export its decisions, and add the
    file to ``screening.decisions``: the round trip.
``python -m revalign screen conflicts PARAMS -o CONFLICTS.xlsx [-o CONFLICTS.csv]``
    the conflicts between reviewers that no resolution sheet decides yet, as a sheet to decide
    (:func:`revalign.screening.people.conflict_sheet`); name it under ``screening.resolutions``.

Both read the bibliography exports (de-duplicated as stage 01 does) and the decision files of the
parameter file; a problem of a decision file stops them with ``error: FILE:LINE``, except the
conflicts themselves for ``screen conflicts``. :func:`problems` gives ``check`` every problem of
the decisions and resolutions at once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from revalign.core.errors import InputError, InputErrors
from revalign.screening import flow
from revalign.screening.decisions import INCLUDE, TITLE_ABSTRACT

SHEET_INFO = ("title", "year", "doi", "authors", "abstract")


def _corpus(cfg) -> pd.DataFrame:
    from revalign.bibliography.importer import read_bibliography

    return read_bibliography(cfg.bibliography_files, source_categories=cfg.params.source_categories).records


def _screen(cfg, corpus: pd.DataFrame | None = None) -> flow.Screened:
    from revalign.screening.stage import _decisions_line

    corpus = _corpus(cfg) if corpus is None else corpus
    return flow.screen_run(
        corpus, cfg.params.screening, cfg.root, cfg.rel, cfg.lang, cfg.params_file, _decisions_line(cfg)
    )


def problems(cfg, corpus: pd.DataFrame) -> list[InputError]:
    """Every problem of the run's decision and resolution files (for ``revalign check``)."""
    if not cfg.params.screening.decisions and not cfg.params.screening.resolutions:
        return []
    try:
        return _screen(cfg, corpus).problems
    except InputErrors as exc:
        return list(exc.errors)
    except InputError as exc:
        return [exc]


def screened_records(cfg, corpus: pd.DataFrame) -> pd.DataFrame:
    """Stage 02's decision on each record (what ``screening.csv`` will hold), nothing written;
    InputErrors for every problem of the decision files."""
    result = _screen(cfg, corpus)
    result.raise_problems()
    return result.records


def to_screen(cfg, stage: str) -> pd.DataFrame:
    """The corpus rows still to screen at *stage* (see the module docstring)."""
    corpus = _corpus(cfg).reset_index(drop=True)
    s = _screen(cfg, corpus)
    rec = s.records
    ruled_out = rec["decided_by"].eq("criterion") & rec["decision"].eq("exclude")
    decided: set[str] = set()
    retrieved = rec["arm"].eq(flow.OTHER_METHODS) & ~ruled_out
    if len(s.outcomes):
        decided = set(s.outcomes.loc[s.outcomes["stage"] == stage, "record_id"])
        ta = s.outcomes[s.outcomes["stage"] == TITLE_ABSTRACT]
        retrieved |= rec["record_id"].isin(set(ta.loc[ta["decision"] == INCLUDE, "record_id"]))
    if stage == TITLE_ABSTRACT:
        todo = rec["arm"].eq(flow.DATABASES) & ~ruled_out & ~rec["record_id"].isin(decided)
    else:
        todo = retrieved & ~rec["record_id"].isin(decided)
    return corpus[todo.to_numpy()]


def _sheet(rows: pd.DataFrame, stage: str, lang: str) -> pd.DataFrame:
    from revalign.core.i18n import messages

    _ = messages(lang)
    heads = {
        "title": _("Title"),
        "year": _("Year"),
        "doi": _("DOI"),
        "authors": _("Authors"),
        "abstract": _("Abstract"),
    }
    sheet = pd.DataFrame(
        {
            "record": rows["citation_key"].fillna(rows["record_id"]).astype(str).to_numpy(),
            "reviewer": "",
            "stage": stage,
            "decision": "",
            "reason": "",
        }
    )
    for col in SHEET_INFO:
        values = rows[col] if col in rows.columns else pd.Series("", index=rows.index)
        sheet[heads[col]] = values.astype("string").fillna("").to_numpy()
    return sheet


def _ris(rows: pd.DataFrame) -> str:
    import rispy

    entries = []
    for r in rows.to_dict("records"):

        def text(col: str, r: dict = r) -> str:
            v = r.get(col)
            return "" if v is None or pd.isna(v) else str(v)

        e = {"type_of_reference": "JOUR" if text("doc_type") in ("", "article") else "GEN", "id": text("citation_key")}
        e.update({k: text(c) for k, c in (("title", "title"), ("year", "year"), ("doi", "doi"),
                                           ("abstract", "abstract"), ("secondary_title", "source_title")) if text(c)})  # fmt: skip
        if text("authors"):
            e["authors"] = [a.strip() for a in text("authors").split(";") if a.strip()]
        if text("keywords"):
            e["keywords"] = [k.strip() for k in text("keywords").split(";") if k.strip()]
        entries.append(e)
    return rispy.dumps(entries)


def _write(table: pd.DataFrame, path: Path, sheet_name: str, ris: str | None = None) -> None:
    from revalign.core.atomic import write_bytes, write_csv, write_text
    from revalign.core.ooxml import to_xlsx_bytes

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_bytes(path, to_xlsx_bytes(table, sheet=sheet_name, freeze_header=True))
    elif suffix == ".csv":
        write_csv(table, path, spreadsheet=True)
    elif suffix == ".ris" and ris is not None:
        write_text(path, ris)
    else:
        kinds = ".xlsx, .csv or .ris" if ris is not None else ".xlsx or .csv"
        raise InputError(path, f"-o: the file's extension says what to write; use {kinds}")


def cli_export(args) -> int:
    """``python -m revalign screen export PARAMS -o FILE [-o FILE] [--stage STAGE]``."""
    from revalign.core import config
    from revalign.core.i18n import messages

    cfg = config.load(args.params)
    rows = to_screen(cfg, args.stage)
    sheet, ris = _sheet(rows, args.stage, cfg.lang), _ris(rows)
    for out in args.output:
        _write(sheet, Path(out), "to screen", ris)
    _ = messages(cfg.lang)
    print(
        _.ngettext("{n} record to screen at {stage}; wrote {files}", "{n} records to screen at {stage}; wrote {files}",
                   len(rows)).format(n=len(rows), stage=args.stage, files=", ".join(args.output))
    )  # fmt: skip
    return 0


def cli_conflicts(args) -> int:
    """``python -m revalign screen conflicts PARAMS -o FILE [-o FILE]``."""
    from revalign.core import config
    from revalign.core.i18n import messages
    from revalign.screening.people import conflict_sheet

    cfg = config.load(args.params)
    corpus = _corpus(cfg)
    s = _screen(cfg, corpus)
    others = [p for p in s.problems if "unresolved conflict" not in p.message]
    if others:
        raise InputErrors(others)
    titles = dict(zip(corpus["record_id"].astype(str), corpus["title"].astype("string").fillna(""), strict=True))
    sheet = conflict_sheet(s.decisions, s.outcomes, titles, cfg.lang) if s.people else pd.DataFrame()
    for out in args.output:
        _write(sheet, Path(out), "conflicts")
    _ = messages(cfg.lang)
    print(
        _.ngettext(
            "{n} conflict to decide; wrote {files}", "{n} conflicts to decide; wrote {files}", len(sheet)
        ).format(n=len(sheet), files=", ".join(args.output))
    )
    return 0
