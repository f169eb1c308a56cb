"""Table 1 for readers: Markdown, LaTeX (booktabs) and XLSX, written atomically and deterministically.

Text from the data is escaped for each format: HTML and Markdown's own characters in
Markdown, LaTeX's special characters in LaTeX, and in XLSX every text is a string cell,
never a formula, with the "quote prefix" mark on a text a spreadsheet would run as a
formula (OWASP CSV-injection guidance; SECURITY.md). Numbers stay numbers.

``presentation(table, lang)`` picks the columns a reader needs and names them in
English or Indonesian; the writers render that frame. The same table written twice
gives the same bytes: the XLSX has fixed document properties (created and modified
dates) and fixed ZIP entry timestamps.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from revalign.core.atomic import FORMULA_START, spreadsheet_text, write_bytes, write_text  # noqa: F401
from revalign.core.codebook import Codebook
from revalign.core.i18n import N_, messages
from revalign.core.ooxml import to_xlsx_bytes

HEADERS = {
    "dimension_label": N_("Dimension"),
    "level_label": N_("Alignment level"),
    "level_label_p": N_("Alignment level (probability)"),
    "confidence": N_("Confidence (GRADE-CERQual)"),
    "evidence": N_("Evidence claims (strength / gap / mixed; sources)"),
    "score": N_("Score"),
    "key_strength": N_("Key strength"),
    "critical_gap": N_("Critical gap"),
    "published": N_("Published level"),
    "match": N_("Reproduced"),
    "why": N_("Why not reproduced"),
}


def _evidence(row) -> str:
    return f"{row['n_strength']} / {row['n_gap']} / {row['n_mixed']}; {row['n_sources']}"


def _has(table: pd.DataFrame, col: str) -> bool:
    return col in table.columns and bool((table[col].fillna("").astype(str) != "").any())


def presentation(table: pd.DataFrame, lang: str = "en", cb: Codebook | None = None) -> pd.DataFrame:
    """The reader's version of table1: columns headed in *lang* (message catalog), the published level by its label."""
    _ = messages(lang)
    h = {k: _(v) for k, v in HEADERS.items()}
    out = pd.DataFrame()
    out[h["dimension_label"]] = table["dimension_label"]
    if "level_probability" in table.columns:  # "Fairly aligned (0.71)": the bootstrap probability of the level
        out[h["level_label_p"]] = [
            lab if pd.isna(p) else f"{lab} ({float(p):.2f})"
            for lab, p in zip(table["level_label"], table["level_probability"], strict=False)
        ]
    else:
        out[h["level_label"]] = table["level_label"]
    if _has(table, "confidence"):
        out[h["confidence"]] = table["confidence"].fillna("")
    out[h["evidence"]] = [_evidence(r) for _i, r in table.iterrows()]
    out[h["score"]] = [("" if pd.isna(v) else f"{float(v):+.2f}") for v in table["score"]]
    out[h["key_strength"]] = table["key_strength"].fillna("")
    out[h["critical_gap"]] = table["critical_gap"].fillna("")
    published = table["published_level"].fillna("").astype(str) if "published_level" in table.columns else None
    if published is not None and (published != "").any():
        labels = {lv.id: lv.label.text(lang) for lv in cb.levels} if cb is not None else {}
        out[h["published"]] = [labels.get(v, v) for v in published]
        yes, no = _("yes"), _("no")
        out[h["match"]] = [
            "" if (pd.isna(m) or p == "") else (yes if bool(m) else no)
            for m, p in zip(table["matches_published"], published, strict=False)
        ]
        if _has(table, "replication_note"):
            out[h["why"]] = table["replication_note"].fillna("")
    return out


def notes(table: pd.DataFrame, lang: str = "en", replication: str = "") -> list[str]:
    """The notes under the reader's table, in *lang*: what the probability, the confidence, the counts and
    the replication column mean. *replication*: the replication in one sentence (revalign.alignment.replication)."""
    _ = messages(lang)
    out = []
    if "level_probability" in table.columns and table["level_probability"].notna().any():
        out.append(
            _(
                "Probability: the share of resamples of the cited sources that give this level, given this coding "
                "and rule (a bootstrap over sources; not the probability that the level is true)."
            )
        )
    if _has(table, "confidence"):
        out.append(
            _(
                "Confidence: GRADE-CERQual. It is not given where a component could not be assessed; the evidence "
                "profile gives each component's judgement and its explanation."
            )
        )
    out.append(
        _(
            "Evidence claims: statements of the review that cite a source, counted once per claim; the review's "
            "own uncited statements are not counted. Score: (S - G) / (S + G) of the weighted claims."
        )
    )
    if replication:
        out.append(
            _("Reproduced: the level is the published level exactly. {replication}.").format(replication=replication)
        )
    return out


# ---- Markdown ------------------------------------------------------------------------------


def _md_cell(value) -> str:
    """A cell's text for a Markdown table: HTML escaped (Markdown passes raw HTML through),
    backslashes and pipes escaped, line breaks as spaces."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = html.escape(text, quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(df: pd.DataFrame, notes: list[str] | None = None) -> str:
    """A Markdown (pipe) table, then each note as a paragraph."""
    cols = list(df.columns)
    lines = ["| " + " | ".join(_md_cell(c) for c in cols) + " |", "|" + "|".join("---" for _c in cols) + "|"]
    for _i, row in df.iterrows():
        lines.append("| " + " | ".join(_md_cell(row[c]) for c in cols) + " |")
    for note in notes or []:
        lines += ["", _md_cell(note)]
    return "\n".join(lines) + "\n"


# ---- LaTeX ---------------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "|": r"\textbar{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def latex_escape(text: object) -> str:
    """Escape LaTeX's special characters in *text* (one pass, so escapes are not escaped again)."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], text).replace("\n", " ")


def to_latex(df: pd.DataFrame, caption: str = "", label: str = "tab:alignment", notes: list[str] | None = None) -> str:
    """A booktabs table; long text columns (key strength, gap) as paragraph columns; notes below it."""
    spec = []
    for c in df.columns:
        longest = df[c].astype(str).str.len().max() if len(df) else 0
        spec.append(r"p{4cm}" if longest and longest > 40 else "l")
    lines = [r"\begin{table}[htbp]", r"\centering", r"\small"]
    if caption:
        lines.append(r"\caption{" + latex_escape(caption) + "}")
    lines.append(r"\label{" + label + "}")
    lines += [r"\begin{tabular}{" + "".join(spec) + "}", r"\toprule"]
    lines.append(" & ".join(latex_escape(c) for c in df.columns) + r" \\")
    lines.append(r"\midrule")
    for _i, row in df.iterrows():
        lines.append(" & ".join(latex_escape(row[c]) for c in df.columns) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if notes:
        lines.append(r"\par\smallskip\footnotesize")
        lines += [latex_escape(n) + r"\par" for n in notes]
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


# ---- XLSX ----------------------------------------------------------------------------------


# ---- all three -----------------------------------------------------------------------------


def write_tables(
    table: pd.DataFrame,
    processed_dir: str | Path,
    lang: str = "en",
    cb: Codebook | None = None,
    stem: str = "table1",
    caption: str = "",
    replication: str = "",
) -> list[Path]:
    """Write ``stem.md``, ``stem.tex`` and ``stem.xlsx`` beside table1.csv, each with the table's notes
    (:func:`notes`; in the XLSX on a second sheet); return their paths."""
    d = Path(processed_dir)
    df = presentation(table, lang, cb)
    texts = notes(table, lang, replication)
    paths = [
        write_text(d / f"{stem}.md", to_markdown(df, texts)),
        write_text(d / f"{stem}.tex", to_latex(df, caption, notes=texts)),
        write_bytes(
            d / f"{stem}.xlsx",
            to_xlsx_bytes(df, title=caption, notes=texts, notes_sheet=messages(lang).gettext("Notes")),
        ),
    ]
    return paths
