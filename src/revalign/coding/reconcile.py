"""Reconciliation of two coders: the disagreement sheet, and the consensus coding decided on it.

:func:`disagreement_sheet` lists, from :func:`revalign.coding.two_coders.compare_claims`, one row
per claim, dimension and field (:data:`FIELDS`) where the coders differ, with an empty ``decision``
column; :func:`write_sheet` writes it as CSV and XLSX. The coders fill in ``decision``: ``A``,
``B`` or the agreed code itself (``presence``: yes or no; ``sources``: citation keys separated by
``;``). :func:`read_sheet` reads the decided sheet back, and :func:`reconcile` builds the consensus
segments (``coder`` = ``consensus``) and a log of every decision.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from revalign.coding.two_coders import ClaimComparison, claim_units, claims, mixed_code
from revalign.core.errors import InputError

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook

FIELDS = ("presence", "sources", "polarity", "facet", "context")
SHEET_COLUMNS = [
    "claim_id",
    "dimension",
    "field",
    "code_a",
    "code_b",
    "decision",
    "note",
    "locator",
    "excerpt_a",
    "excerpt_b",
    "coding_a",
    "coding_b",
]
LOG_COLUMNS = ["claim_id", "dimension", "field", "code_a", "code_b", "decision", "result"]


# ---- the sheet ------------------------------------------------------------------------------


def disagreement_sheet(result: ClaimComparison, coding_a: str = "", coding_b: str = "") -> pd.DataFrame:
    """One row per claim, dimension and field where the coders differ; ``decision`` left empty.

    ``presence`` rows: one coder coded the claim to the dimension, the other did not
    (codes ``yes`` / ``no``). Other rows: a field of a unit both coded. The decision is
    ``A``, ``B`` or the agreed code itself (for ``presence``: yes or no; for ``sources``:
    citation keys separated by ``;``).
    """
    ia = result["units_a"].set_index(["claim_id", "dimension"])
    ib = result["units_b"].set_index(["claim_id", "dimension"])
    rows = []
    for u in sorted(set(ia.index) | set(ib.index)):
        ra = ia.loc[u] if u in ia.index else None
        rb = ib.loc[u] if u in ib.index else None
        base = {
            "claim_id": u[0],
            "dimension": u[1],
            "decision": "",
            "note": "",
            "locator": (ra if ra is not None else rb)["locator"],
            "excerpt_a": "" if ra is None else ra["excerpt"],
            "excerpt_b": "" if rb is None else rb["excerpt"],
            "coding_a": coding_a,
            "coding_b": coding_b,
        }
        if ra is None or rb is None:
            rows.append(
                {
                    **base,
                    "field": "presence",
                    "code_a": "no" if ra is None else "yes",
                    "code_b": "no" if rb is None else "yes",
                }
            )
            continue
        for f in ("sources", "polarity", "facet", "context"):
            if ra[f] != rb[f]:
                rows.append({**base, "field": f, "code_a": ra[f], "code_b": rb[f]})
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def write_sheet(sheet: pd.DataFrame, csv_path: str | Path, xlsx_path: str | Path) -> None:
    """The disagreement sheet as CSV and XLSX, both neutralised by the one function for sheets
    people edit, :func:`revalign.core.atomic.spreadsheet_text`: in the CSV a text a spreadsheet
    would run as a formula gets an apostrophe in front; in the XLSX every text is a string
    cell, marked "quote prefix" when it looks like a formula (:func:`revalign.core.ooxml.to_xlsx_bytes`).
    :func:`read_sheet` reads both back as they were."""
    from revalign.core.atomic import write_bytes, write_csv
    from revalign.core.ooxml import to_xlsx_bytes

    write_csv(sheet, csv_path, spreadsheet=True)  # a sheet people edit: no cell runs as a formula
    write_bytes(xlsx_path, to_xlsx_bytes(sheet, sheet="disagreements", freeze_header=True))


# ---- the decided sheet -----------------------------------------------------------------------


def read_sheet(path: str | Path) -> pd.DataFrame:
    """A decided disagreement sheet (CSV or XLSX) with a ``line`` column (file line / sheet row).

    An XLSX workbook is read within the limits of :func:`revalign.core.ooxml.read_xlsx`; a
    text that :func:`revalign.core.atomic.spreadsheet_text` neutralised when the sheet was
    written gets its apostrophe dropped (:func:`revalign.core.atomic.from_spreadsheet_text`),
    in both formats. A control character other than tab and line breaks is an error on its line.
    """
    from revalign.core.atomic import from_spreadsheet_text

    path = Path(path)
    if not path.exists():
        raise InputError(path, "disagreement sheet not found")
    if path.suffix.lower() == ".xlsx":
        from revalign.core.ooxml import read_xlsx

        df = read_xlsx(path)
        _refuse_control_characters(df, path)
    else:
        from revalign.core.yamlio import read_text_checked

        text = read_text_checked(path)  # control characters refused here, with their line
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except Exception as exc:  # noqa: BLE001
            raise InputError(path, f"not a readable CSV file ({exc})") from None
    df = df.map(from_spreadsheet_text)
    missing = [c for c in ("claim_id", "dimension", "field", "code_a", "code_b", "decision") if c not in df.columns]
    if missing:
        raise InputError(
            path, "missing column(s) " + ", ".join(missing) + "; use the sheet that revalign agree wrote", 1
        )
    df = df.astype(str).apply(lambda s: s.str.strip())
    df["line"] = range(2, len(df) + 2)
    return df


def _refuse_control_characters(df: pd.DataFrame, path: Path) -> None:
    """An XLSX cell holding a control character other than tab and line breaks: an error on its row."""
    from revalign.core.yamlio import CONTROL_CHARACTERS, control_character_message

    for i, row in enumerate(df.itertuples(index=False), start=2):
        for value in row:
            m = CONTROL_CHARACTERS.search(value) if isinstance(value, str) else None
            if m:
                raise InputError(path, control_character_message(m.group(0)), i)


def _decide(row, path, allowed: dict) -> str:
    d, f = row["decision"], row["field"]
    if f not in FIELDS:
        raise InputError(path, f"field {f!r} is not one of {', '.join(FIELDS)}", row["line"])
    if not d:
        raise InputError(
            path,
            f"no decision for claim {row['claim_id']} / {row['dimension']} / {f}; write A, B or the agreed code",
            row["line"],
        )
    if d.upper() in ("A", "B"):
        return row["code_a"] if d.upper() == "A" else row["code_b"]
    if f == "presence" and d.lower() not in ("yes", "no"):
        raise InputError(path, f"decision {d!r} for presence must be A, B, yes or no", row["line"])
    if f in allowed and d not in allowed[f]:
        raise InputError(
            path,
            f"decision {d!r} is not a {f} code of the codebook (use A, B or one of: {', '.join(allowed[f])})",
            row["line"],
        )
    return d.lower() if f == "presence" else d


def _allowed_values(codebook: Codebook | None) -> dict[str, list[str]]:
    """The codebook's vocabulary for each decidable field (empty without a codebook)."""
    if codebook is None:
        return {}
    return {
        "polarity": codebook.vocabulary("polarity"),
        "facet": codebook.vocabulary("facet"),
        "context": codebook.vocabulary("context"),
    }


def _read_decisions(sheet: pd.DataFrame, sheet_path, allowed: dict) -> tuple[dict, list]:
    """({(claim, dimension): {field: decided value}}, log rows) from the decided sheet."""
    decided: dict[tuple[str, str], dict[str, str]] = {}
    log = []
    for row in sheet.to_dict("records"):
        value = _decide(row, sheet_path, allowed)
        decided.setdefault((row["claim_id"], row["dimension"]), {})[row["field"]] = value
        log.append(
            {**{k: row[k] for k in ("claim_id", "dimension", "field", "code_a", "code_b", "decision")}, "result": value}
        )
    return decided, log


def _check_decided_units_known(decided: dict, known: set, sheet_path) -> None:
    """Every unit of the sheet must be in one of the codings."""
    for u in decided:
        if u not in known:
            raise InputError(
                sheet_path, f"claim {u[0]} / dimension {u[1]} is in neither coding; is this the right sheet?"
            )


def _keeps_single_coder_unit(u, dec: dict, sheet_path) -> bool:
    """Whether a unit coded by one coder only was decided to be kept (``presence`` = yes)."""
    keep = dec.get("presence")
    if keep is None:
        raise InputError(sheet_path, f"claim {u[0]} / dimension {u[1]}: coded by one coder only and not in the sheet")
    return keep == "yes"


def _rebuild_disputed_rows(first: dict, unit, disputed: dict) -> list[dict]:
    """A disputed unit's rows, one per decided source, with the decided (else the unit's) codes."""
    out = []
    sources = disputed.get("sources", unit["sources"]).split(";")
    for s in [s.strip() for s in sources if s.strip()]:
        r = dict(first)
        r["ref_key"] = s
        for f in ("polarity", "facet", "context"):
            v = disputed.get(f, unit[f])
            if "+" in v:  # a compound code: keep the coder's own rows for this field
                v = first[f]
            r[f] = v
        out.append(r)
    return out


def reconcile(
    sheet: pd.DataFrame,
    a: pd.DataFrame,
    b: pd.DataFrame,
    sheet_path: str | Path = "sheet",
    codebook: Codebook | None = None,
    path_a: str | Path = "A",
    path_b: str | Path = "B",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(consensus segments, log) from the two codings and the decided sheet.

    Units both coders coded alike are taken from A. For a disputed unit the decided
    value replaces the field; the unit's rows are rebuilt one per decided source,
    carrying A's (else B's) theme, locator and excerpt. ``coder`` is ``consensus``.
    """
    decided, log = _read_decisions(sheet, sheet_path, _allowed_values(codebook))
    ua = claim_units(a, mixed_code(codebook), path_a).set_index(["claim_id", "dimension"])
    ub = claim_units(b, mixed_code(codebook), path_b).set_index(["claim_id", "dimension"])
    known = set(ua.index) | set(ub.index)
    _check_decided_units_known(decided, known, sheet_path)
    ca, cb_ = claims(a, path_a), claims(b, path_b)
    out = []
    for u in sorted(known):
        dec = decided.get(u, {})
        if (u not in ua.index or u not in ub.index) and not _keeps_single_coder_unit(u, dec, sheet_path):
            continue
        src_df, src_claims = (a, ca) if u in ua.index else (b, cb_)
        rows = src_df[(src_claims == u[0]).to_numpy() & (src_df["dimension"] == u[1]).to_numpy()]
        disputed = {f: v for f, v in dec.items() if f != "presence"}
        if not disputed:
            out.extend(r for r in rows.to_dict("records"))
            continue
        out.extend(_rebuild_disputed_rows(rows.iloc[0].to_dict(), (ua if u in ua.index else ub).loc[u], disputed))
    cols = [c for c in a.columns if c != "line"]
    cons = pd.DataFrame(out)[cols].reset_index(drop=True)
    cons["segment_id"] = [f"S{i:03d}" for i in range(1, len(cons) + 1)]
    cons["coder"] = "consensus"
    return cons, pd.DataFrame(log, columns=LOG_COLUMNS)
